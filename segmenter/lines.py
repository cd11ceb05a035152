"""Split page text into numbered, cleaned lines; fast width and Unicode normalisation.

Line numbers are the ones the user's editor and the gold annotation show: only ``\\r\\n``, a lone
``\\r`` and ``\\n`` end a line. The other characters Python's :meth:`str.splitlines` also breaks
on -- VT, FF, the separators FS/GS/RS, NEL, U+2028 LINE SEPARATOR and U+2029 PARAGRAPH
SEPARATOR -- become spaces inside the line, so they never shift the numbering.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Line ends that count for the numbering.
_BREAK = re.compile(r"\r\n?|\n")
#: Other separators: spaces (see the module docstring).
_AS_SPACE = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
#: Zero-width characters extractors leave behind; removed.
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_CONTROLS = [c for c in (*range(0x20), *range(0x7F, 0xA0)) if chr(c) not in "\t\r\n" + _AS_SPACE]
_CLEAN = str.maketrans(
    {**{ord(c): " " for c in _AS_SPACE}, **dict.fromkeys(map(ord, _ZERO_WIDTH), None), **dict.fromkeys(_CONTROLS)}
)
#: Whether a text needs :data:`_CLEAN` at all (most pages do not; the search is C-speed).
_DIRTY = re.compile("[" + re.escape(_AS_SPACE + _ZERO_WIDTH) + "\x00-\x08\x0e-\x1f\x7f-\x9f]")

#: End of a sentence in an over-long line: final punctuation, the closing quotes and brackets
#: that belong to the sentence (``。”``), and the spaces after it.
_SENTENCE_END = re.compile(r"[。！？!?；;][”’\"'」』）)\]】》〉]*\s*")

_HALFWIDTH = str.maketrans({**{0xFF01 + i: 0x21 + i for i in range(0x5E)}, 0x3000: 0x20})

#: Wide characters: Han, kana, CJK punctuation and full-width forms, and the middle dot, dashes, quotes and
#: ellipsis Chinese text sets (U+3000, the ideographic space, is not one)
WIDE = "\u00b7\u2014-\u2027\u2e80-\u2fff\u3001-\u303f\u3040-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff01-\uffef"
#: A wide character followed by one space and another wide character (counted, not consumed)
_SPACED_PAIR = re.compile(f"[{WIDE}] (?=[{WIDE}])")
#: A run of two or more wide characters with nothing between them
_TIGHT_RUN = re.compile(f"[{WIDE}]{{2,}}")
#: One space between a wide character and another, a digit or a sign (not a Latin letter, nor the ``#`` and
#: ``*`` of Markdown marks)
_LONE_SPACE = re.compile(f"(?<=[{WIDE}]) (?=[^\\sA-Za-z#*])|(?<=[^\\sA-Za-z#*]) (?=[{WIDE}])")
#: Characters of a page looked at to tell spaced text (a page is of one kind throughout)
SPACED_SAMPLE = 20_000
#: Share of adjacent wide characters written with a space between them from which a page is spaced text
SPACED_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class Line:
    """One non-empty line of a page (or one sentence-sized piece of an over-long line).

    Attributes
    ----------
    n : int
        1-based line number in the input file; blank lines count.
    text : str
        The cleaned line: zero-width and control characters (but tab) removed, leading and
        trailing whitespace (including U+3000 and no-break space) stripped.
    blank_before : bool
        Whether the physical line before is blank or the page starts here. False between the
        pieces of one line.
    blank_after : bool
        Whether the physical line after is blank or the page ends here. False between the
        pieces of one line.
    piece : int
        0, 1, 2, ... for the pieces of an over-long line; 0 for any other line.
    """

    n: int
    text: str
    blank_before: bool
    blank_after: bool
    piece: int = 0


def clean_line(line: str) -> str:
    """Clean one physical line: the ``text`` a :class:`Line` gets.

    Zero-width characters and control characters other than tab are removed, the separators
    of the module docstring become spaces, and leading and trailing whitespace (including
    U+3000 and no-break space) is stripped.

    Parameters
    ----------
    line : str
        One line, without its line break.

    Returns
    -------
    str
        The cleaned line; ``""`` for a blank one.
    """
    return (line.translate(_CLEAN) if _DIRTY.search(line) else line).strip()


def split_pieces(text: str, max_chars: int) -> list[str]:
    """Cut an over-long line into sentence-sized pieces of at most ``max_chars`` characters.

    A piece ends after sentence-final punctuation ``。！？!?；;``, the closing quotes and
    brackets right after it and any following spaces; a sentence longer than ``max_chars`` is
    cut every ``max_chars`` characters. Linear time.

    Parameters
    ----------
    text : str
        One line.
    max_chars : int
        The longest piece, at least 1.

    Returns
    -------
    list of str
        Non-empty pieces whose concatenation is ``text`` (``[]`` for ``""``).
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, got {max_chars}")
    pieces: list[str] = []
    start = 0
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    if not ends or ends[-1] != len(text):
        ends.append(len(text))
    for end in ends:
        while end - start > max_chars:
            pieces.append(text[start : start + max_chars])
            start += max_chars
        if end > start:
            pieces.append(text[start:end])
            start = end
    return pieces


def split_lines(text: str, *, max_chars: int = 2000) -> list[Line]:
    """Split a page into its non-empty cleaned lines, numbered as in the file.

    Parameters
    ----------
    text : str
        The whole page.
    max_chars : int, optional
        Lines longer than this (an extractor that dropped the newlines) are cut into
        sentence-sized pieces by :func:`split_pieces`; the pieces share ``n``.

    Returns
    -------
    list of Line
        In file order. Blank lines (empty after cleaning) are not returned but count in the
        numbering and in ``blank_before``/``blank_after``.
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, got {max_chars}")
    # Break first, clean after: a zero-width character between CR and LF is two line ends.
    raw = _BREAK.split(text)
    if _DIRTY.search(text):
        physical = [line.translate(_CLEAN).strip() for line in raw]
    else:
        physical = [line.strip() for line in raw]
    last = len(physical) - 1
    lines: list[Line] = []
    for i, line in enumerate(physical):
        if not line:
            continue
        before = i == 0 or not physical[i - 1]
        after = i == last or not physical[i + 1]
        if len(line) <= max_chars:
            lines.append(Line(i + 1, line, before, after))
            continue
        pieces = split_pieces(line, max_chars)
        end = len(pieces) - 1
        for k, piece in enumerate(pieces):
            lines.append(Line(i + 1, piece, before and k == 0, after and k == end, k))
    return lines


def is_latin(ch: str) -> bool:
    """Whether ``ch`` is an ASCII Latin letter (a line of Latin text wraps at a space, so two lines joined
    between two letters get one back; between anything else, a Chinese column broke the line, no space)."""
    return "a" <= ch <= "z" or "A" <= ch <= "Z"


def to_halfwidth(text: str) -> str:
    """Map full-width ASCII forms (U+FF01-U+FF5E) and U+3000 to their ASCII counterparts.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        ``"１２月，ＡＢ"`` → ``"12月,AB"``; everything else unchanged.
    """
    return text.translate(_HALFWIDTH)


def normalize(text: str) -> str:
    """Unicode NFKC normalisation (full-width forms, compatibility characters).

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        ``unicodedata.normalize("NFKC", text)``.
    """
    return unicodedata.normalize("NFKC", text)


def is_spaced(text: str) -> bool:
    """Whether ``text`` sets a space between its Chinese characters, as some OCR engines write them.

    Parameters
    ----------
    text : str
        A whole page; its first :data:`SPACED_SAMPLE` characters tell (bounded time on a page of any size).

    Returns
    -------
    bool
        True when at least 20 pairs of adjacent wide characters (Han, CJK punctuation, full-width forms)
        are written with one space between them and they are :data:`SPACED_SHARE` or more of all such
        pairs. A page that spaces only its bylines (``新华社记者 谢希瑶 黄韬铭``) or paired intertitles is
        not spaced text.
    """
    sample = text[:SPACED_SAMPLE]
    if sample.count(" ") * 8 < len(sample):  # spaced text has a space every two or three characters
        return False
    spaced = len(_SPACED_PAIR.findall(sample))
    if spaced < 20:
        return False
    tight = sum(len(run) - 1 for run in _TIGHT_RUN.findall(sample))
    return spaced >= SPACED_SHARE * (spaced + tight)


def unspace(text: str) -> str:
    """The page without the spaces an OCR engine set between its Chinese characters.

    Parameters
    ----------
    text : str
        A whole page.

    Returns
    -------
    str
        Where :func:`is_spaced` holds, ``text`` with every single space beside a wide character removed
        unless a Latin letter or a Markdown mark (``#``, ``*``) stands on its other side; two or more
        spaces, the spaces between Latin words or numbers, and the line breaks stay, so every line keeps
        its number. Otherwise ``text`` itself.

    Examples
    --------
    >>> unspace("新 华 社 北 京 1 月 25 日 电 （ 记 者 张 三 ） 今 天 ， 会 议 在 京 举 行 。")
    '新华社北京1月25日电（记者张三）今天，会议在京举行。'
    >>> unspace("新华社记者 谢希瑶 黄韬铭")
    '新华社记者 谢希瑶 黄韬铭'
    """
    return _LONE_SPACE.sub("", text) if is_spaced(text) else text
