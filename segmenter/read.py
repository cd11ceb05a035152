"""Read one page file as text: detect its encoding, refuse binary data, count bad bytes.

Newspaper pages arrive as UTF-8 from modern extractors but as GBK/GB18030 from older archives
(the People's Daily corpus was GBK) and now and then as Big5 or UTF-16 with a byte order mark.
:func:`decode` settles the encoding once, from the bytes alone, in linear time:

1. a byte order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE);
2. strict UTF-8;
3. GB18030 (a superset of GBK and GB2312) or Big5 (cp950), but only when the decoded text is
   plausible Chinese: GB18030 and Big5 accept most byte strings, so a Latin-1 file or Big5
   bytes read as GBK would otherwise come out as a soup of rare characters;
4. otherwise the decoding with the fewest undecodable bytes, those bytes replaced by U+FFFD.

UTF-16 without a byte order mark is never guessed (its NUL bytes make it binary here).

A page is bounded: :func:`read_page` refuses a file larger than ``max_bytes`` (default
:data:`MAX_BYTES`, 64 MiB) from its size alone, without reading it, and reads streams (stdin, FIFOs,
devices such as ``/dev/zero``) in chunks, refusing them as soon as they pass the bound. Lone
surrogates that a codec produces (``utf-7``) are replaced with U+FFFD and reported, so the text can
always be written as UTF-8. :func:`display_name` escapes a file name that is not UTF-8 for messages and
records.
"""

from __future__ import annotations

import codecs
import functools
import logging
import os
import re
import sys
from dataclasses import dataclass
from typing import BinaryIO, TypeVar

from segmenter.errors import InputError, display_name

logger = logging.getLogger(__name__)

#: Byte order marks, longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: Share of the non-ASCII characters that must be common Chinese characters or punctuation
#: before a GB18030 or Big5 reading is believed.
_PLAUSIBLE_SHARE = 0.9
#: Detection looks at the start, middle and end of a page, this much of each: it keeps the
#: scoring of candidate encodings cheap on 50 MB pages.
_SAMPLE_CHARS = 100_000
_SAMPLE_BYTES = 256 * 1024
_Seq = TypeVar("_Seq", str, bytes)
#: Undecodable bytes become lone surrogates (U+DC80..U+DCFF) first, so that one C-speed
#: ``subn`` both counts them and swaps them for U+FFFD.
_ESCAPED = re.compile("[\udc00-\udcff]")
_ESCAPE_HANDLER = "segmenter-escape"
#: any lone surrogate: not a character, cannot be written as UTF-8
_SURROGATE = re.compile("[\ud800-\udfff]")
#: the default bound on a page: a newspaper page is tens of KB; 64 MiB is a whole archive by mistake
MAX_BYTES = 64 * 1024 * 1024
#: streams are read this much at a time
_CHUNK = 1 << 20
#: codecs that decode bytes to text but are no encoding of a text file (domain names, escapes)
_NOT_FILE_ENCODINGS = frozenset({"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape"})


@dataclass(frozen=True)
class Decoded:
    """The text of a page and how it was decoded.

    Attributes
    ----------
    text : str
        The decoded text, without a byte order mark; undecodable bytes are U+FFFD.
    encoding : str
        Python codec name used, e.g. ``"utf-8"``, ``"utf-8-sig"``, ``"gb18030"``, ``"cp950"``,
        ``"utf-16-le"``.
    bad_bytes : int
        How many bytes could not be decoded and were replaced.
    """

    text: str
    encoding: str
    bad_bytes: int


def _escape_bytes(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: each bad byte becomes the lone surrogate U+DC00 + byte.

    Unlike the built-in ``surrogateescape`` it also takes bytes below 0x80 (a stray byte at
    the end of UTF-16 data), so every codec can be decoded leniently.
    """
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return "".join(chr(0xDC00 + b) for b in bad), exc.end


codecs.register_error(_ESCAPE_HANDLER, _escape_bytes)


def _decode_lenient(data: bytes, codec: str) -> tuple[str, int]:
    """Decode ``data``, replacing undecodable bytes with U+FFFD; return the text and their count."""
    try:
        return data.decode(codec), 0
    except UnicodeDecodeError:
        pass
    try:
        # C-speed for the usual case: the bad bytes are all >= 0x80.
        text = data.decode(codec, errors="surrogateescape")
    except UnicodeDecodeError:
        text = data.decode(codec, errors=_ESCAPE_HANDLER)
    return _ESCAPED.subn("\ufffd", text)


def _too_many(bad: int, size: int) -> bool:
    """Whether ``bad`` undecodable bytes of ``size`` mean the data is not text in that encoding."""
    return bad > 0.05 * size or (bad > 100 and bad > 0.01 * size)


def _check_bad(name: str, bad: int, size: int, codec: str, forced: str | None = None) -> None:
    """Refuse data with too many undecodable bytes (see :func:`_too_many`); warn about a few.

    ``forced`` is the encoding the user named, if any, for the message.
    """
    if _too_many(bad, size):
        if forced is not None:
            raise InputError(name, f"not text in encoding {forced!r} ({bad} undecodable bytes)")
        raise InputError(name, f"not text in a known encoding ({bad} undecodable bytes); pass --encoding")
    if bad:
        logger.warning("%s: %d undecodable byte(s) replaced with U+FFFD (read as %s)", name, bad, codec)


def _ranges(*pairs: tuple[int, int]) -> frozenset[str]:
    return frozenset(chr(c) for lo, hi in pairs for c in range(lo, hi + 1))


@functools.cache
def _common_chars() -> frozenset[str]:
    """Non-ASCII characters that real Chinese text is made of.

    The hanzi of GB2312 (rows 16-87, the simplified characters in everyday use) and of Big5
    level 1 (the 5,401 frequent traditional characters), plus the punctuation and symbol
    blocks that newspapers print. Big5 bytes read as GBK land mostly outside this set (kana,
    Cyrillic, private use, GBK extension characters), and so do Latin-1 bytes read as GB18030.
    """
    chars: set[str] = set()
    gb = bytes(b for lead in range(0xB0, 0xF8) for trail in range(0xA1, 0xFF) for b in (lead, trail))
    chars.update(gb.decode("gb2312", errors="ignore"))
    big5 = bytes(
        b for lead in range(0xA4, 0xC7) for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF)) for b in (lead, trail)
    )
    chars.update(big5.decode("cp950", errors="ignore"))
    chars.discard("\ufffd")
    chars |= _ranges(
        (0x00A0, 0x00A0),  # no-break space
        (0x00B7, 0x00B7),  # middle dot in foreign names
        (0x00D7, 0x00D7),  # multiplication sign
        (0x00F7, 0x00F7),  # division sign
        (0x2000, 0x206F),  # general punctuation: “ ” … — ‰
        (0x2100, 0x218F),  # letterlike symbols, Roman numerals: ℃ №
        (0x2190, 0x21FF),  # arrows
        (0x2460, 0x24FF),  # circled digits ①
        (0x2500, 0x257F),  # box drawing ─
        (0x25A0, 0x25FF),  # geometric shapes: □ ■ ○ ● ◆ △
        (0x2600, 0x26FF),  # ★ ☆
        (0x3000, 0x303F),  # CJK punctuation: 、。《》「」【】
        (0x3200, 0x32FF),  # enclosed CJK ㈠
        (0xFF00, 0xFFEF),  # full-width forms: ，（）１２
    )
    return frozenset(chars)


def _sample(seq: _Seq, size: int) -> _Seq:
    """The start, middle and end of ``seq``, ``size`` items each, or all of it if that is shorter."""
    if len(seq) <= 3 * size:
        return seq
    mid = len(seq) // 2
    return seq[:size] + seq[mid : mid + size] + seq[-size:]


def _plausibility(text: str) -> float:
    """Share of the non-ASCII characters of (a sample of) ``text`` that are common Chinese.

    Returns 1.0 for text with no non-ASCII character at all.
    """
    text = _sample(text, _SAMPLE_CHARS)
    common = _common_chars()
    wide = 0
    good = 0
    for ch in text:
        if ch >= "\x80":
            wide += 1
            good += ch in common
    return good / wide if wide else 1.0


def _refuse_binary(data: bytes, name: str) -> None:
    if b"\x00" in data:
        raise InputError(name, "binary data (NUL bytes), not a text page")


def text_codec(encoding: str) -> str:
    """The codec name of ``encoding`` when it is an encoding of text files.

    Raises
    ------
    LookupError
        For an unknown name, a codec that is not a text encoding (``rot13``, ``base64``, ``zlib``) and
        codecs of other things than files (``idna``, ``punycode``, ``unicode_escape``).
    """
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise LookupError(f"unknown encoding {encoding!r}") from None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_FILE_ENCODINGS:
        raise LookupError(f"{encoding!r} is not an encoding of text files (e.g. utf-8, gbk, big5, utf-16)")
    return info.name


def _replace_surrogates(text: str, name: str) -> str:
    """``text`` with every lone surrogate (from ``utf-7``, say) replaced by U+FFFD, with a warning."""
    if _SURROGATE.search(text) is None:
        return text
    text, count = _SURROGATE.subn("\ufffd", text)
    logger.warning("%s: %d lone surrogate(s) replaced with U+FFFD", display_name(name), count)
    return text


def _decode_forced(data: bytes, name: str, encoding: str) -> Decoded:
    """Decode with the encoding the user named."""
    try:
        codec = text_codec(encoding)
    except LookupError as exc:
        raise InputError(name, str(exc)) from None
    if not codec.startswith(("utf-16", "utf-32")):
        _refuse_binary(data, name)
    try:
        text, bad = _decode_lenient(data, codec)
    except (UnicodeError, LookupError) as exc:  # a codec that fails on its own terms, not per byte
        raise InputError(name, f"not text in encoding {encoding!r} ({exc})") from None
    _check_bad(name, bad, len(data), codec, forced=encoding)
    return Decoded(_replace_surrogates(text.removeprefix("\ufeff"), name), codec, bad)


def _detect(data: bytes, name: str) -> Decoded:
    """Decode with the detected encoding (see the module docstring for the order)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            if not codec.startswith(("utf-16", "utf-32")):
                _refuse_binary(data, name)
            text, bad = _decode_lenient(data[len(bom) :], codec)
            # A UTF-32 LE mark is also a UTF-16 LE mark followed by U+0000: if the data is not
            # UTF-32 after all, let the UTF-16 LE entry have it.
            if codec == "utf-32-le" and bad:
                continue
            _check_bad(name, bad, len(data), codec)
            return Decoded(text, codec, bad)

    _refuse_binary(data, name)
    try:
        return Decoded(data.decode("utf-8"), "utf-8", 0)
    except UnicodeDecodeError:
        pass

    # Strictly decodable as a Chinese legacy encoding and reads like Chinese: take the better.
    best: tuple[float, str, str] | None = None
    for codec in ("gb18030", "cp950"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score = _plausibility(text)
        if score >= _PLAUSIBLE_SHARE and (best is None or score > best[0]):
            best = (score, codec, text)
        if score == 1.0:
            break
    if best is not None:
        return Decoded(best[2], best[1], 0)

    # A few bad bytes in otherwise good text: the reading that loses the fewest bytes, a legacy
    # one only if it still reads like Chinese. Candidates are compared on a sample because a
    # wrong codec can raise millions of errors on a big file; only the winner decodes it all.
    sample = _sample(data, _SAMPLE_BYTES)
    ranked: list[tuple[int, int, str]] = []
    for rank, codec in enumerate(("utf-8", "gb18030", "cp950")):
        text, bad = _decode_lenient(sample, codec)
        if codec == "utf-8" or _plausibility(text.replace("\ufffd", "")) >= _PLAUSIBLE_SHARE:
            ranked.append((bad, rank, codec))
    sample_bad, _, codec = min(ranked)
    if len(sample) < len(data) and _too_many(sample_bad, len(sample)):
        # Garbage at the start, middle and end is not a page: refuse without decoding it all
        # (the message then counts the sample's bad bytes).
        _check_bad(name, sample_bad, len(sample), codec)
    text, bad = _decode_lenient(data, codec)
    _check_bad(name, bad, len(data), codec)
    return Decoded(text, codec, bad)


def decode(data: bytes, *, name: str = "-", encoding: str | None = None) -> Decoded:
    """Decode the bytes of a page, detecting the encoding unless one is given.

    Parameters
    ----------
    data : bytes
        The whole file.
    name : str, optional
        The file as the user named it, for messages (``-`` for stdin).
    encoding : str or None, optional
        A Python codec name that overrides detection. Bytes it cannot decode are replaced
        with U+FFFD and counted.

    Returns
    -------
    Decoded
        The text (without a byte order mark), the codec used and the number of bad bytes.

    Raises
    ------
    InputError
        For an unknown ``encoding``; for NUL bytes outside UTF-16/32 (binary data); when too
        many bytes are undecodable (more than 5 %, or more than 100 and more than 1 %).

    Notes
    -----
    A few undecodable bytes are tolerated: a WARNING names the file and the count.
    """
    from .pdf import is_pdf, read_pdf  # a PDF is read by its own module (segmenter/pdf.py)

    if is_pdf(data):
        return Decoded(read_pdf(data, name=name), "pdf", 0)
    if encoding is not None:
        return _decode_forced(data, name, encoding)
    return _detect(data, name)


def too_big(name: str, size: int | str, max_bytes: int) -> InputError:
    """The error for a page above the bound (``size`` in bytes, or a phrase such as ``"more than N"``)."""
    size = f"{size:,}" if isinstance(size, int) else size
    return InputError(
        name, f"{size} bytes, above the limit of {max_bytes:,} (--max-bytes); split it into pages or raise the limit"
    )


def _read_bounded(handle: BinaryIO, name: str, max_bytes: int | None) -> bytes:
    """All of ``handle``, read in chunks; refused as soon as it passes ``max_bytes`` (None: no bound)."""
    if max_bytes is None:
        return handle.read()
    buffer = bytearray()
    while len(buffer) <= max_bytes:
        chunk = handle.read(min(_CHUNK, max_bytes + 1 - len(buffer)))
        if not chunk:
            return bytes(buffer)
        buffer += chunk
    raise too_big(name, f"more than {max_bytes:,}", max_bytes)


def read_page(
    path: str | os.PathLike[str], *, encoding: str | None = None, max_bytes: int | None = MAX_BYTES
) -> Decoded:
    """Read and decode one page file; ``-`` reads standard input.

    Parameters
    ----------
    path : str or os.PathLike
        The page file, or ``-`` for ``sys.stdin.buffer``.
    encoding : str or None, optional
        Passed to :func:`decode`.
    max_bytes : int or None, default=MAX_BYTES
        Refuse a page larger than this: a regular file by its size, before reading; a stream (stdin, a
        FIFO, a device) once that much has been read. ``None``: no bound.

    Returns
    -------
    Decoded
        See :func:`decode`.

    Raises
    ------
    InputError
        When the file is missing, a directory, unreadable, too big, binary or undecodable.
    """
    name = os.fspath(path)
    if isinstance(name, bytes):
        name = os.fsdecode(name)
    shown = display_name(name)
    if name == "-":
        stdin = getattr(sys.stdin, "buffer", None)
        if stdin is None:
            raise InputError(name, "standard input is closed")
        try:
            data = _read_bounded(stdin, name, max_bytes)
        except OSError as exc:
            raise InputError(name, f"cannot read standard input ({exc.strerror or exc})") from None
    else:
        try:
            with open(name, "rb") as handle:
                size = os.fstat(handle.fileno()).st_size  # a regular file's size; 0 for pipes and devices
                if max_bytes is not None and size > max_bytes:
                    raise too_big(shown, size, max_bytes)  # a 3 GB (sparse) file is never read
                data = _read_bounded(handle, shown, max_bytes)
        except FileNotFoundError:
            raise InputError(shown, "no such file") from None
        except IsADirectoryError:
            raise InputError(shown, "is a directory, expected a text file") from None
        except PermissionError:
            # Windows reports opening a directory as a permission error.
            if os.path.isdir(name):
                raise InputError(shown, "is a directory, expected a text file") from None
            raise InputError(shown, "permission denied") from None
        except OSError as exc:
            raise InputError(shown, str(exc.strerror or exc)) from None
    return decode(data, name=shown, encoding=encoding)
