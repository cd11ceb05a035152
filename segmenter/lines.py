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
