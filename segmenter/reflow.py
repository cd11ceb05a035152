"""Visual lines → paragraphs: text that keeps the printed lines of a page, read back into paragraphs.

``pdftotext``, OCR engines and PDF text layers give one line per printed line: a paragraph of a
newspaper column is broken every 15-20 characters, and ``pdftotext -layout`` puts the columns of a page
side by side on one line. The line classifier and the stitcher read paragraphs, so such text is first
reflowed here:

1. :func:`detect` tells visual-line text from paragraph text: most lines of about one width, most of
   them not ending a sentence; ``"layout"`` when many lines hold wide gaps (columns side by side).
2. ``-layout`` text is cut into column segments (:func:`layout_segments`) at the gaps where many lines
   have a column start; segments become :class:`VLine` boxes in a character grid, grouped into blocks
   and put in reading order by recursive XY-cuts (:func:`reading_order`), as a PDF page's lines are.
3. The lines of each block are joined into paragraphs (:func:`paragraphs`): a line that does not reach
   the block's right edge ends its paragraph, an indented line starts one, so does a change of size.

The result (:class:`Reflowed`) is a list of :class:`~segmenter.lines.Line` for the classifier, each with
the input line numbers it came from; :func:`expand` maps the records' line references back to them, so
every input line is still in exactly one record.
"""

from __future__ import annotations

import bisect
import itertools
import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from . import patterns as P
from .lines import Line, clean_line, is_latin

logger = logging.getLogger(__name__)

#: a line that ends here ends a sentence (and may end a paragraph)
_SENTENCE_END = re.compile(r"[。！？!?；：…][”’\"'」』）)】》]*$")
#: a mark of punctuation inside a sentence or at its end: running text holds one in every printed line or two
_CLAUSE_MARK = re.compile(r"[，。、；：！？,;:!?]")
#: a wide gap inside a line of ``-layout`` text: two or more spaces between text
_GAP = re.compile(r"(?<=\S)( {2,}| (?=\S))")
#: visual-line text: lines this wide at most (display cells) for most lines
_MAX_VISUAL_WIDTH = 80
#: ... and at least this wide
_MIN_VISUAL_WIDTH = 20
#: detection reads this many non-empty lines at most
_SAMPLE_LINES = 3000
_BREAK = re.compile(r"\r\n?|\n")
_LINE = re.compile(r"[^\r\n]+")


@dataclass
class VLine:
    """One visual line (or one column's segment of a ``-layout`` line).

    Attributes
    ----------
    ns : tuple of int
        Input line numbers (1-based) this line stands for.
    text : str
        Its text, stripped.
    x0, x1 : float
        Left and right end (display cells in text, points in a PDF).
    top, bottom : float
        Vertical extent, growing downwards (rows in text, points from the top of the page in a PDF).
    size : float
        Font size (1 in text).
    page : int
        0-based page (a PDF); 0 in text.
    """

    ns: tuple[int, ...]
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float = 1.0
    page: int = 0
    bold: bool = False
    piece: int = 0  # k for the k-th column segment of a -layout line (the line's pieces share its number)


@dataclass
class Paragraph:
    """A reflowed paragraph: its text, the visual lines it came from, and whether it is set larger."""

    text: str
    head: int = 0  # 0 text; 1 set much larger (a headline); 2 larger (a deck, an intertitle); 3 a smaller
    # heading set much larger in a stack with a larger one (a kicker or deck over or under a headline)
    lines: list[VLine] = field(default_factory=list)
    indented: bool = False  # the first line is indented: the paragraph surely starts here
    full_end: bool = False  # the last line reaches the measure: the paragraph may run on
    ruled: bool = False  # a rule printed between it and the paragraph before (a PDF): written two blank lines down


@dataclass
class Reflowed:
    """Lines for the classifier and, for each, the input line numbers it stands for.

    ``lines[i].n`` counts one blank line between paragraphs, as paragraph text is written (two before a
    paragraph a printed rule sets apart, ``Paragraph.ruled``: a wide gap, where an article ends);
    ``sources[lines[i].n]`` lists the input lines of that paragraph as ``(n, piece)``: ``piece`` numbers
    the column segments of one ``-layout`` line (0 for a whole line).
    """

    lines: list[Line]
    sources: dict[int, list[tuple[int, int | None]]]
    kind: str = "plain"


class _CharWidths(dict):  # type: ignore[type-arg]
    """Each character's display width, looked up once (a page uses a few thousand distinct characters;
    a dict lookup per character instead of a Unicode database call)."""

    def __missing__(self, c: str) -> int:
        w = self[c] = 2 if c > "\x7f" and unicodedata.east_asian_width(c) in "WFA" else 1
        return w


_WIDTHS = _CharWidths()
#: above this many distinct characters the widths are looked up afresh (memory stays bounded)
_WIDTHS_KEPT = 65536


def width(text: str) -> int:
    """Display width: 2 for a wide (CJK, full-width) character or a non-ASCII one of ambiguous width
    (curly quotes and dashes are set full-width in Chinese text), 1 for any other."""
    if text.isascii():
        return len(text)
    if len(_WIDTHS) > _WIDTHS_KEPT:
        _WIDTHS.clear()
    return sum(map(_WIDTHS.__getitem__, text))


#: two or more spaces between words: columns side by side (``-layout`` text)
_GAPPED = re.compile(r"\S {2,}\S")


def detect(text: str) -> str | None:
    """Whether ``text`` is visual-line text: ``"layout"`` (columns side by side), ``"plain"`` or None.

    Paragraph text has lines of every length, most ending a sentence; printed lines are mostly of one
    width (a column's measure) and mostly end inside a sentence.
    """
    # the first lines tell (a page is of one kind throughout): bounded time on a page of any size
    runs = (m.group().strip() for m in _LINE.finditer(text))
    lines = list(itertools.islice((line for line in runs if line), _SAMPLE_LINES))
    if len(lines) < 12:
        return None
    gapped = sum(1 for line in lines if _GAPPED.search(line))
    if gapped >= 0.15 * len(lines):
        return "layout"
    # printed lines mostly end inside a sentence: where most end one (paragraph text, nearly every page),
    # the lines' widths need not be measured
    open_end = sum(1 for line in lines if not _SENTENCE_END.search(line)) / len(lines)
    if open_end < 0.5:
        return None
    # a line longer than any column is paragraph text: two cells a character is near enough
    widths = [width(line) if len(line) <= _MAX_VISUAL_WIDTH else 2 * len(line) for line in lines]
    long = [w for w in widths if w >= 12]
    if len(long) < 8:
        return None
    common, _ = _common_width(long)
    if common > _MAX_VISUAL_WIDTH:
        return None
    # pdftotext joins two or three columns' lines where a gutter is narrow: a multiple of the width.
    # Weighted by width: a poem on a page of paragraphs has lines of one width, but few of its characters
    near = sum(w for w in long if any(abs(w - k * common) <= 3 * k for k in (1, 2, 3))) / sum(widths)
    # and counted by lines: a page of short titles and names (calligraphy, a list) has a few of one width
    at_width = sum(1 for w in widths if any(abs(w - k * common) <= 3 * k for k in (1, 2, 3))) / len(widths)
    # a column holds ten characters a line or more; a list of short items (captions, verse) is no column
    visual = common >= _MIN_VISUAL_WIDTH and near >= 0.35 and at_width >= 0.35
    return "plain" if visual else None


def _common_width(widths: Sequence[int]) -> tuple[int, int]:
    """The most common width (in buckets of 3 cells) and how many lines have it; the bucket's top."""
    buckets = Counter(w // 3 for w in widths)
    bucket, count = max(buckets.items(), key=lambda kv: (kv[1], kv[0]))
    return max(w for w in widths if w // 3 == bucket), count


# --------------------------------------------------------------------------------------------------
# -layout text: columns side by side


def _segments(line: str) -> list[tuple[int, str]]:
    """(start, text) of the runs of a line separated by two or more spaces."""
    return [(m.start(), m.group()) for m in re.finditer(r"\S+(?: \S+)*", line) if m.group().strip()]


def column_starts(lines: Sequence[str]) -> list[int]:
    """Character positions where many lines start a column segment (after a gap of 2+ spaces)."""
    starts: Counter[int] = Counter()
    for line in lines:
        for start, seg in _segments(line):
            if start > 0 and len(seg) >= 4:
                starts[start] += 1
    floor = max(3, len(lines) // 40)
    peaks: list[int] = []
    for pos, count in sorted(starts.items(), key=lambda kv: -kv[1]):
        if count < floor:
            break
        if all(abs(pos - p) > 3 for p in peaks):
            peaks.append(pos)
    return sorted(peaks)


def layout_segments(text: str) -> list[VLine]:
    """The column segments of ``-layout`` text as boxes in the character grid (row = input line)."""
    raw = [line.expandtabs() for line in _BREAK.split(text)]
    starts = column_starts(raw)
    out: list[VLine] = []
    for row, line in enumerate(raw):
        pieces = _segments(line)
        # a single space where a column starts splits too (pdftotext keeps one space at a narrow gutter)
        cut: list[tuple[int, str]] = []
        for start, seg in pieces:
            begin = 0
            for m in re.finditer(r"(?<=[^\x00-\x7f]) (?=\S)", seg):
                pos = start + m.end()
                if any(abs(pos - s) <= 2 for s in starts) and m.start() - begin >= 4:
                    cut.append((start + begin, seg[begin : m.start()]))
                    begin = m.end()
            cut.append((start + begin, seg[begin:]))
        pieces_out = [(start, clean_line(seg)) for start, seg in cut]
        for k, (start, seg) in enumerate((st, sg) for st, sg in pieces_out if sg):
            box = (float(start), float(start + len(seg)), float(row), float(row + 1))
            out.append(VLine((row + 1,), seg, *box, piece=k))
    return out


# --------------------------------------------------------------------------------------------------
# blocks and reading order (text grid and PDF alike)


def blocks_of(lines: Sequence[VLine], *, gap: float, align: float) -> list[list[VLine]]:
    """Group lines into blocks: a line joins the block whose last line is just above it, aligned with it.

    ``gap`` is how far below the block's last line (top to top) a line may start; ``align`` how far
    its left end may be from the block's left end (or its right end from the block's right end).
    Lines of one block have about one size.
    """
    blocks: list[list[VLine]] = []
    open_: list[list[VLine]] = []
    for line in sorted(lines, key=lambda v: (v.page, v.top, v.x0)):
        best = None
        for block in open_:
            last = block[-1]
            if last.page != line.page or not 0 < line.top - last.top <= gap * max(line.size, last.size):
                continue
            # an intertitle is set about 15 % larger than the text, a caption 15 % smaller: blocks of their own
            if abs(line.size - last.size) > 0.12 * max(line.size, last.size):
                continue
            left = min(v.x0 for v in block)
            right = max(v.x1 for v in block)
            overlap = line.x0 < right and line.x1 > left
            centred = abs(line.x0 + line.x1 - left - right) / 2 <= align * line.size
            if abs(line.x0 - left) <= align * line.size or (
                overlap and (abs(line.x1 - right) <= align * line.size or centred)
            ):
                best = block
                break
        if best is None:
            best = []
            blocks.append(best)
            open_.append(best)
        best.append(line)
        open_ = [b for b in open_ if line.page == b[-1].page and line.top - b[-1].top <= 3 * gap * line.size]
        if best not in open_:
            open_.append(best)
    return blocks


#: boxes that stand for more than a block's own lines (a heading over the columns of its text), by id
_Boxes = dict[int, tuple[float, float, float, float]]


def _box(block: Sequence[VLine], boxes: _Boxes | None = None) -> tuple[float, float, float, float]:
    if boxes and id(block) in boxes:
        return boxes[id(block)]
    return (min(v.x0 for v in block), max(v.x1 for v in block), min(v.top for v in block), max(v.bottom for v in block))


def widen_headings(blocks: list[list[VLine]], heading: Callable[[list[VLine]], bool], raw: _Boxes | None = None) -> _Boxes:
    """Each heading's box widened over the columns of text that start just below it.

    A short headline set flush left over a body of three columns covers one column on the page but heads
    all three: read as one column wide, the XY-cut would read the first column of the body, and what is
    set below it, before the second. The text just below a heading, and the columns beside it that start
    at the same height with no other heading above them, belong to it: those to its right, and those to
    its left when the heading is centred over them all. ``raw``: the blocks' own boxes, when known.
    """
    boxes: _Boxes = {}
    if len(blocks) > UNDER_HEADINGS_MAX:
        return boxes  # more blocks than a newspaper page has: each heading as printed (bounded time)
    heads = [b for b in blocks if heading(b)]
    head_ids = {id(b) for b in heads}
    # the other blocks by page and top, to find those set just below a heading without a pass over all
    order = {id(b): k for k, b in enumerate(blocks)}
    texts = sorted((b for b in blocks if id(b) not in head_ids), key=lambda b: (b[0].page, _box(b, raw)[2], order[id(b)]))
    tops = [(b[0].page, _box(b, raw)[2]) for b in texts]
    for head in heads:
        x0, x1, top, bottom = _box(head, raw)
        size = max(v.size for v in head)
        page = head[0].page
        lo = bisect.bisect_left(tops, (page, bottom - 0.5 * size))
        hi = bisect.bisect_right(tops, (page, bottom + 2.5 * size))
        # in page order where their left ends tie, as the blocks came
        below = sorted(texts[lo:hi], key=lambda b: (_box(b, raw)[0], order[id(b)]))
        chain = [b for b in below if _box(b, raw)[0] < x1 and _box(b, raw)[1] > x0]
        if not chain:
            continue
        first_top = min(_box(b, raw)[2] for b in chain)
        right = max(_box(b, raw)[1] for b in chain)
        # text set beside the heading, in a column that runs on from above it: another article's (stacks
        # of articles side by side), never this heading's, however near its next paragraph starts (found
        # when first asked)
        beside: list[tuple[float, float]] | None = None

        def headed(bx0: float, bx1: float, btop: float) -> bool:
            """Whether another heading stands over this column: it is that heading's text."""
            return any(
                o is not head and o[0].page == page and _box(o, raw)[0] < bx1 and _box(o, raw)[1] > bx0
                and top - 4 * size < _box(o, raw)[3] <= btop + size
                for o in heads
            )

        def running(bx0: float, bx1: float) -> bool:
            """Whether text is set in this column beside the heading."""
            nonlocal beside
            if beside is None:
                beside = [
                    _box(o, raw)[:2]
                    for o in texts
                    if o[0].page == page and _box(o, raw)[2] < bottom - 0.5 * size and _box(o, raw)[3] > top + 0.5 * size
                ]
            return any(ox0 < bx1 and ox1 > bx0 for ox0, ox1 in beside)

        for b in below:
            bx0, bx1, btop, _ = _box(b, raw)
            if bx0 < right or bx0 - right > 3 * size or abs(btop - first_top) > size:
                continue
            if headed(bx0, bx1, btop) or running(bx0, bx1):
                break
            right = bx1
        left = min(x0, min(_box(b, raw)[0] for b in chain))
        # a heading centred over its columns: the columns to its left that start with those under it
        # and that it stands in the middle of (with those to its right); one column or several at once
        reach = left
        for b in sorted(below, key=lambda b: -_box(b, raw)[1]):
            bx0, bx1, btop, _ = _box(b, raw)
            if bx1 > reach or reach - bx1 > 3 * size or abs(btop - first_top) > size:
                continue
            if headed(bx0, bx1, btop) or running(bx0, bx1):
                break
            reach = bx0
            if abs((x0 + x1) / 2 - (bx0 + max(x1, right)) / 2) <= size:
                left = bx0
        boxes[id(head)] = (left, max(x1, right), top, bottom)
    return boxes


def reading_order(
    blocks: list[list[VLine]],
    heading: Callable[[list[VLine]], bool] | None = None,
    depth: int = 0,
    boxes: _Boxes | None = None,
) -> list[list[VLine]]:
    """Blocks in reading order by recursive XY-cuts: bands top to bottom, columns left to right within.

    A horizontal cut is a height no block straddles, a vertical cut a position no block straddles; the
    horizontal cuts are tried first, unless the page's blocks have both and the widest vertical gap is
    wider than the widest horizontal one (stacks of articles side by side, a PDF's blocks only). A
    heading is read with what is set under it: no horizontal cut passes just below a block ``heading``
    says is one (two articles' headlines side by side would otherwise be read before either body), and a
    heading spans the columns of its text
    (:func:`widen_headings`). Where only cuts just below a heading exist (a column of headings and
    text), those are taken; where no cut exists at all, the cut the fewest blocks stick out over by a
    little is taken (:func:`_rough_cut`; a PDF's blocks only, given with ``heading``), else blocks are
    read by left end then top.
    """
    if boxes is None:
        # every block's box, and whether it is a heading, worked out once (each cut asks again, at every level)
        boxes = {id(b): _box(b) for b in blocks}
        if heading is not None:
            flags = {id(b): heading(b) for b in blocks}
            heading = _known(flags)
            boxes.update(widen_headings(blocks, heading, boxes))  # it reads the boxes as printed, then they widen
    if len(blocks) <= 1 or depth > 60:
        return list(blocks)
    pages = sorted({b[0].page for b in blocks})
    if len(pages) > 1:
        return [
            b for p in pages for b in reading_order([b for b in blocks if b[0].page == p], heading, depth + 1, boxes)
        ]
    # 1: horizontal cuts (by top), 0: vertical cuts (by left end); then horizontal cuts below headings
    # too (a column of headings and text: nothing else to cut)
    across = _cut(blocks, 1, heading, boxes)
    down = _cut(blocks, 0, None, boxes)
    if heading is not None and len(across) > 1 and len(down) > 1 and _widest_gap(down, 0, boxes) > _widest_gap(across, 1, boxes):
        # stacks of articles side by side, each ending where it ends: a gutter runs from top to bottom,
        # and a height where every stack happens to have a gap is no band of the page; the wider gap wins
        across = [blocks]
    for groups in (across, down):
        if len(groups) > 1:
            return [b for g in groups for b in reading_order(g, heading, depth + 1, boxes)]
    if heading is not None:
        # headlines side by side over their own columns, with no clean cut: each with the text under it
        groups = _under_headings(blocks, heading, boxes)
        if len(groups) > 1:
            return [b for g in groups for b in reading_order(g, heading, depth + 1, boxes)]
    groups = _cut(blocks, 1, None, boxes)
    if len(groups) > 1:
        return [b for g in groups for b in reading_order(g, heading, depth + 1, boxes)]
    # a PDF's boxes are exact: a block sticking out over a cut is a wide row, not the grid's drift
    groups = _rough_cut(blocks, boxes) if heading is not None else [blocks]
    if len(groups) > 1:
        return [b for g in groups for b in reading_order(g, heading, depth + 1, boxes)]
    return sorted(blocks, key=lambda b: (_box(b, boxes)[0], _box(b, boxes)[2]))


def _known(flags: dict[int, bool]) -> Callable[[list[VLine]], bool]:
    """A heading test that reads each block's answer, worked out before."""

    def heading(block: list[VLine]) -> bool:
        return flags[id(block)]

    return heading


def _widest_gap(groups: list[list[list[VLine]]], axis: int, boxes: _Boxes | None) -> float:
    """The widest gap between consecutive groups of a cut along ``axis``."""
    lo, hi = (2, 3) if axis else (0, 1)
    widest = 0.0
    reach = max(_box(b, boxes)[hi] for b in groups[0])
    for group in groups[1:]:
        widest = max(widest, min(_box(b, boxes)[lo] for b in group) - reach)
        reach = max(reach, max(_box(b, boxes)[hi] for b in group))
    return widest


#: more blocks than a newspaper page has without a clean cut: :func:`_rough_cut` is not tried (on the
#: typeset test pages it is asked about groups of 69 blocks at most)
ROUGH_CUT_MAX = 500
#: more blocks than a newspaper page has: :func:`_under_headings` (blocks × headings) is not tried
UNDER_HEADINGS_MAX = 2000


def _under_headings(
    blocks: list[list[VLine]], heading: Callable[[list[VLine]], bool], boxes: _Boxes | None
) -> list[list[list[VLine]]]:
    """Where the only cut left passes under a row of headings side by side (two articles' headlines over
    their own columns, with an article set across both below them), each heading with the blocks set
    under it, then the rest: one group when the blocks do not start with such a row.

    A block is under a heading when its middle is within the heading's box (widened over its columns)
    and no other heading stands between them; the row's headings are those that start the blocks, side
    by side, with nothing else as high.
    """
    if len(blocks) > UNDER_HEADINGS_MAX:
        return [blocks]
    top_band = _cut(blocks, 1, None, boxes)[0]
    row = sorted(top_band, key=lambda b: _box(b, boxes)[0])
    if len(row) < 2 or not all(heading(b) for b in row):
        return [blocks]
    if any(_box(a, boxes)[1] > _box(b, boxes)[0] for a, b in zip(row, row[1:])):
        return [blocks]  # not side by side
    taken = {id(b) for b in row}
    # the other headings with their boxes, top to bottom
    heads = sorted(((b, _box(b, boxes)) for b in blocks if heading(b) and id(b) not in taken), key=lambda hb: hb[1][2])
    groups: list[list[list[VLine]]] = []
    for head in row:
        x0, x1, _, bottom = _box(head, boxes)
        group = [head]
        size = max(v.size for v in head)
        # a deck or a second heading line set right under it is part of its head block
        for h, (hx0, hx1, htop, hbottom) in heads:
            if id(h) not in taken and x0 <= (hx0 + hx1) / 2 <= x1 and -1e-6 <= htop - bottom <= 1.5 * size:
                group.append(h)
                taken.add(id(h))
                bottom = hbottom
        for b in blocks:
            if id(b) in taken or heading(b):  # a heading below heads its own text
                continue
            bx0, bx1, btop, _ = _box(b, boxes)
            if not (x0 <= (bx0 + bx1) / 2 <= x1) or btop < bottom - 1e-6:
                continue
            # another heading between: the block is that heading's
            if any(id(h) not in taken and bottom - 1e-6 <= htop < btop and hx0 < bx1 and hx1 > bx0
                   for h, (hx0, hx1, htop, _) in heads):
                continue
            group.append(b)
            taken.add(id(b))
        groups.append(group)
    rest = [b for b in blocks if id(b) not in taken]
    return groups + ([rest] if rest else [])


def _rough_cut(blocks: list[list[VLine]], boxes: _Boxes | None) -> list[list[list[VLine]]]:
    """Where no cut is clean, a vertical cut (else a horizontal one) that a few blocks stick out over
    by a little (a wide table row, a heading a little wider than its columns): each of them at most a
    quarter of its width (height) past the cut, the least of them all in area; those blocks go to the
    side that holds most of them. One group when there is no such cut, or more than
    :data:`ROUGH_CUT_MAX` blocks (every cut is weighed against every block)."""
    if len(blocks) > ROUGH_CUT_MAX:
        return [blocks]
    for lo, hi, lo2, hi2 in ((0, 1, 2, 3), (2, 3, 0, 1)):
        best: tuple[float, float] | None = None
        for cut in sorted({_box(b, boxes)[lo] for b in blocks}):
            cost = 0.0
            for b in blocks:
                box = _box(b, boxes)
                if box[lo] < cut < box[hi]:
                    over = min(cut - box[lo], box[hi] - cut)
                    if over > 0.25 * (box[hi] - box[lo]):
                        break
                    cost += over * (box[hi2] - box[lo2])
            else:
                mids = [(_box(b, boxes)[lo] + _box(b, boxes)[hi]) / 2 for b in blocks]
                if min(mids) < cut < max(mids) and (best is None or cost < best[0]):
                    best = (cost, cut)
        if best is not None:
            cut = best[1]
            before = [b for b in blocks if (_box(b, boxes)[lo] + _box(b, boxes)[hi]) / 2 < cut]
            return [before, [b for b in blocks if (_box(b, boxes)[lo] + _box(b, boxes)[hi]) / 2 >= cut]]
    return [blocks]


def _cut(
    blocks: list[list[VLine]], axis: int, heading: Callable[[list[VLine]], bool] | None, boxes: _Boxes | None
) -> list[list[list[VLine]]]:
    """``blocks`` split at every cut along ``axis`` (1 horizontal, 0 vertical), none just below a heading."""
    lo, hi = (2, 3) if axis else (0, 1)
    items = sorted(blocks, key=lambda b: _box(b, boxes)[lo])
    groups: list[list[list[VLine]]] = [[items[0]]]
    reach = _box(items[0], boxes)[hi]
    for block in items[1:]:
        box = _box(block, boxes)
        if box[lo] >= reach - 1e-6 and not (heading and _heading_above(groups[-1], box[lo], heading, boxes)):
            groups.append([])
        groups[-1].append(block)
        reach = max(reach, box[hi])
    return groups


def _heading_above(
    group: list[list[VLine]], cut: float, heading: Callable[[list[VLine]], bool], boxes: _Boxes | None = None
) -> bool:
    """Whether a heading of ``group`` ends just above the height ``cut``."""
    return any(heading(b) and _box(b, boxes)[3] >= cut - 3 * b[-1].size for b in group)


# --------------------------------------------------------------------------------------------------
# paragraphs


def _join(a: str, b: str) -> str:
    """Join two visual lines of one paragraph: a space only between two Latin words (a Chinese column
    breaks a number anywhere, ``202|5年``, but a Latin line wraps at a space)."""
    if a and b and is_latin(a[-1]) and is_latin(b[0]):
        return a + " " + b
    return a + b


def _join_all(texts: Sequence[str]) -> str:
    """The visual lines of one paragraph joined as :func:`_join` joins them one after another, at once
    (adding line by line copies the paragraph for every line: quadratic in a long one)."""
    parts = [texts[0]]
    last = texts[0][-1:]
    for b in texts[1:]:
        if last and b and is_latin(last) and is_latin(b[0]):
            parts.append(" ")
        parts.append(b)
        last = b[-1:] or last
    return "".join(parts)


def paragraphs(
    block: Sequence[VLine],
    *,
    measure: float | None = None,
    tol: float = 0.8,
    lost_indent: float = 0.0,
    open_slack: float | None = None,
    text_cues: bool = False,
    title_slack: float | None = None,
) -> list[Paragraph]:
    """Join the lines of one block into paragraphs.

    A line ends its paragraph when its right end falls short of the block's right edge by more than
    ``tol`` of its size (or when it is the block's last line); a line starts one when it is indented by
    more than ``tol`` of its size. ``measure`` is the block's width when known from elsewhere (a block of
    one or two lines cannot show it). ``lost_indent`` is the indentation an extractor dropped (pdftotext
    writes an indented first line flush left): a paragraph's first line that falls short by about that
    much is full. ``open_slack``, when given, is how far short a line that does not end a sentence may
    fall and still be full (text measures width in characters, not points: a justified line with
    narrow punctuation holds more characters than one without). ``text_cues``: the lines are text without
    sizes, so a line also ends its paragraph where the next one opens with a dateline, is a byline, or opens
    a deck under a headline (:func:`_opens_paragraph`); a PDF shows these by their sizes. ``title_slack``, when
    given, is how far a paragraph's first line without a mark of punctuation may fall short of the measure
    less ``lost_indent`` and still be full (where blocks do not set titles apart, a title is as wide as it
    happens to be; a full first line is the measure less its indentation).
    """
    if not block:
        return []
    left = min(v.x0 for v in block)
    right = max(v.x1 for v in block) if measure is None else left + measure
    if len(block) >= 3 and measure is None:
        ends = sorted(v.x1 for v in block)
        right = ends[len(ends) * 3 // 4]  # a line or two may hang a punctuation mark past the measure
    out: list[Paragraph] = []
    current: Paragraph | None = None
    for i, line in enumerate(block):
        indented = line.x0 - left > tol * line.size
        if current is None or indented:
            if current is not None:
                current.text = _join_all([v.text for v in current.lines])
                out.append(current)
            current = Paragraph(line.text, lines=[line], indented=indented)
        else:
            current.lines.append(line)  # its text joined when it is complete
        slack = tol * line.size
        if open_slack is not None and not _SENTENCE_END.search(line.text):
            slack = open_slack
        if len(current.lines) == 1 and lost_indent:
            if title_slack is not None and not _CLAUSE_MARK.search(line.text):
                slack = min(slack, title_slack)
            slack += lost_indent
        short = line.x1 < right - slack
        if (
            text_cues
            and not short
            and i + 1 < len(block)
            and _opens_paragraph(block[i + 1].text, line.text, line.x1 >= right - 1.0)
        ):
            short = True  # a headline, a deck, a byline, a credit: a fixed form ends its paragraph
        if text_cues and not short and _title_follows(block, i, right, open_slack):
            short = True  # a sentence ends as the line fills, and a title (no mark of punctuation) comes next
        if short or i == len(block) - 1:
            current.full_end = not short
            current.text = _join_all([v.text for v in current.lines])
            out.append(current)
            current = None
    return out


#: the printed lines a title may take (a long headline cut at a narrow column's measure)
TITLE_LINES = 2


def _title_follows(block: Sequence[VLine], i: int, right: float, open_slack: float | None) -> bool:
    """Whether line ``i`` of a block, which ends a sentence, is the last of its paragraph because a title
    comes next: one line or two (:data:`TITLE_LINES`) without a mark of punctuation (a printed line of
    running text holds one in every line or two, and a paragraph's last line ends in one), the last of
    which ends its own paragraph — short of the measure, the block's last line, or over a line that opens
    one (a dateline, a byline, a deck's dash). Where a sentence ends exactly as its line fills, nothing else
    says the paragraph ended there; text with no blank lines between blocks (an OCR engine's lines) ran the
    next article's headline into the paragraph above it."""
    if i + 1 >= len(block) or not _SENTENCE_END.search(block[i].text):
        return False
    for k in range(i + 1, min(len(block), i + 1 + TITLE_LINES)):
        title = block[k]
        # a deck's dash, a bracketed credit or closing dateline: forms the other cues read
        if _CLAUSE_MARK.search(title.text) or title.text.startswith(("—", "-", "（", "(")) or _ends_in_credit(title.text):
            return False
        if k + 1 >= len(block) or title.x1 < right - (open_slack if open_slack is not None else 0.8 * title.size):
            return True
        if _opens_paragraph(block[k + 1].text, title.text, title.x1 >= right - 1.0):
            return True
    return False


#: where a page's visual lines have no blank lines between blocks, how far (display cells) a paragraph's first
#: line without a mark of punctuation may fall short of the measure less the dropped indentation and be full
TITLE_SLACK = 1.0


def _opens_paragraph(text: str, before: str, full: bool = False) -> bool:
    """Whether visual line ``text`` opens a paragraph whatever the line ``before`` it.

    It does when it opens with a dateline (``新华社北京1月25日电``, unless the line before ends in ``据``) or a
    continuation mark (``（上接第一版）``), is a byline, or opens with a dash under a line without a mark of
    punctuation (a deck under its headline: a line of running text holds a comma); and when ``before`` is a
    byline, a dateline in brackets that closes a report, or ends in a photo credit. Never where ``text``
    opens with a mark no line opens with (``，``, ``）``: the rest of the line before), and where ``before``
    fills the measure (``full``) only if it is complete (a credit's closing bracket): a byline or a credit
    that fills its line may go on in the next.
    """
    if text[:1] in P.NON_OPENING:
        return False
    if text.startswith("—"):
        return _CLAUSE_MARK.search(before) is None
    head = P.norm(text[:40]).lstrip("(")
    if head.startswith(("新华社", "本报", "据新华社", "中新社")) and P.find_dateline(head) is not None:
        return not before.endswith("据") and P.DATELINE.match(head) is not None
    if head.startswith(("上接", "紧接", "接第")) and P.is_continued_from(text):
        return True
    if len(before) <= 40 and ((not full and P.is_byline(before)) or _closing_dateline(before)):
        return True
    if _ends_in_credit(before) and (not full or before.endswith(("）", ")"))):
        return True
    return len(text) <= 40 and P.is_byline(text)


def _closing_dateline(text: str) -> bool:
    """Whether a line is a dateline in brackets alone, as one closes a report: ``（新华社北京1月25日电）``."""
    t = P.norm(text).strip()
    return t[:1] == "(" and t[-1:] == ")" and P.find_dateline(t) is not None


def _ends_in_credit(text: str) -> bool:
    """Whether a line ends in a photo credit: ``（新华社记者 张三 摄）``, ``新华社发``, ``供图``."""
    tail = P.norm(text[-30:]).rstrip()
    return tail.endswith(("摄)", "摄", "供图", "供图)", "新华社发")) and P.is_credit(tail)


def _plain_paragraphs(text: str) -> list[Paragraph]:
    """Paragraphs of default-mode visual lines: blocks are the runs between blank lines."""
    physical = [clean_line(line) for line in _BREAK.split(text)]
    widths = [width(line) for line in physical if line]
    measure, _ = _common_width([w for w in widths if w >= 12] or widths or [0])
    blocks: list[list[VLine]] = [[]]
    for i, line in enumerate(physical):
        if not line:
            blocks.append([])
            continue
        blocks[-1].append(VLine((i + 1,), line, 0.0, float(width(line)), float(i), float(i + 1)))
    blocks = [b for b in blocks if b]
    if sum(len(b) == 1 for b in blocks) >= 0.6 * len(blocks) >= 6:
        blocks = _deinterleave(blocks)
    # pdftotext drops a paragraph's indentation (two characters: four cells); a line is measured in
    # display cells, not points, so a full line with narrow punctuation may look five cells short
    # an engine that writes its lines with no blank line between blocks sets no title apart: read a
    # paragraph's first line strictly there (pdftotext's blocks do set them apart, and its lines vary more)
    unbroken = len(blocks) <= 1 + len(widths) // 200  # no blank line, or a stray one in 200 lines
    return _assemble(
        blocks, float(measure), lost_indent=4.0, open_slack=5.0, runs=True, title_slack=TITLE_SLACK if unbroken else None
    )


def _deinterleave(blocks: list[list[VLine]]) -> list[list[VLine]]:
    """Columns read back from text pdftotext wrote a block a line (a leading over 1.5 font sizes).

    It then writes the lines of side-by-side columns row by row: line i of k columns is column i mod k's.
    A column's line break falls inside a word, so the right k is the one whose line ends and the starts
    of the lines k further on most often form a character pair found inside the page's lines.
    """
    pairs = Counter(a + b for v in (b[0] for b in blocks) for a, b in zip(v.text, v.text[1:]) if a != " " != b)
    out: list[list[VLine]] = []
    run: list[VLine] = []

    def flush() -> None:
        if len(run) < 6:
            out.extend([v] for v in run)
        else:
            def hits(k: int) -> float:
                return sum(pairs[a.text[-1] + b.text[0]] > 0 for a, b in zip(run, run[k:])) / (len(run) - k)

            k = max(range(1, 5), key=lambda k: (hits(k), -k))
            out.extend(run[j::k] for j in range(k))
        run.clear()

    for block in blocks:
        if len(block) == 1:
            run.append(block[0])
        else:
            flush()
            out.append(block)
    flush()
    return out


def _assemble(
    blocks: list[list[VLine]],
    measure: float,
    *,
    lost_indent: float,
    open_slack: float,
    runs: bool = False,
    title_slack: float | None = None,
) -> list[Paragraph]:
    """Paragraphs of text blocks in reading order, ``measure`` the usual width of a column's line.

    ``runs``: the blocks are the runs of lines between blank lines that pdftotext wrote (default mode),
    which sets a line apart where its size changes: a block of one line (a headline as wide as a column)
    runs on into no paragraph, and a heading set in several lines is one block, not short lines of
    several blocks (a kicker over a headline).
    """
    out: list[Paragraph] = []
    block_of: dict[int, int] = {}  # each paragraph's block, by id
    single = False  # the block before is one line
    for k, block in enumerate(blocks):
        span = [v.x1 - v.x0 for v in block]
        width_known = len(block) >= 3
        # a short block of lines none of which reaches the column's measure: a heading set in several
        # lines, each line as wide as the one before (a deck after a headline is not)
        if len(block) <= 3 and all(w < measure - 4 for w in span):
            joinable = all(
                wa >= wb and not _SENTENCE_END.search(a.text) and not b.text.startswith(("—", "-", "（", "("))
                for a, b, wa, wb in zip(block, block[1:], span, span[1:])
            )
            if not joinable:
                out.extend(Paragraph(v.text, lines=[v]) for v in block)
                continue
            paras = [Paragraph("".join(v.text for v in block), lines=list(block))]
        else:
            paras = paragraphs(
                block,
                measure=None if width_known else measure,
                tol=1.5,
                lost_indent=lost_indent,
                open_slack=open_slack,
                text_cues=True,
                title_slack=title_slack,
            )
        # a paragraph broken at a column's end: the block before ends inside a sentence on a full line,
        # this one starts flush left with more than a heading's short line
        if (
            out
            and paras
            and out[-1].full_end
            and not (runs and single)
            and not _SENTENCE_END.search(out[-1].text)
            and not paras[0].indented
            and (len(paras[0].lines) > 1 or paras[0].full_end)
            and not _wider_than_column(out[-1].lines[-1], measure)
            and not _wider_than_column(paras[0].lines[0], measure)
        ):
            first = paras.pop(0)
            out[-1].text = _join(out[-1].text, first.text)
            out[-1].lines += first.lines
            out[-1].full_end = first.full_end
        out.extend(paras)
        block_of.update((id(para), k) for para in paras)
        single = len(block) == 1
    return _join_wrapped_headings(out, 0.6 * measure, block_of if runs else None)


def _wider_than_column(line: VLine, measure: float) -> bool:
    """A line a quarter wider than a column's measure is no column's line: a heading set across columns
    (pdftotext writes it as a block of its own), which no paragraph runs on into or out of."""
    return measure > 0 and line.x1 - line.x0 > 1.25 * measure


def _furniture_or_credit(text: str) -> bool:
    """A byline, a photo credit, a dateline or page furniture: a line of its own, never a heading's part."""
    return (
        P.is_byline(text)
        or P.is_credit(text)
        or P.is_dateline_only(text)
        or P.find_dateline(text) is not None
        or P.RUNNING_HEAD.search(P.norm(text)) is not None
    )


def _join_wrapped_headings(
    paras: list[Paragraph], short: float, block_of: dict[int, int] | None = None
) -> list[Paragraph]:
    """Join runs of short one-line paragraphs that read as one heading set large in several lines.

    A headline in a large size takes a few characters a line; each line is short, none ends a sentence,
    each is about as wide as the one before or narrower, and none opens like a byline or a list item.
    ``block_of``: each paragraph's block (by id), where a heading's lines are in one block.
    """
    out: list[Paragraph] = []
    for para in paras:
        prev = out[-1] if out else None
        if (
            prev is not None
            and len(para.lines) == 1
            and all(v.x1 <= short for v in prev.lines)
            and para.lines[0].x1 <= short
            and prev.lines[-1].x1 >= para.lines[0].x1 - 2
            and not _SENTENCE_END.search(prev.text)
            and not prev.text.endswith(("）", ")"))  # a dateline or a credit in brackets ends its article
            and not para.text.startswith(tuple("□■◆◇●○★☆(（【[《—"))
            and not any(_furniture_or_credit(t) for t in (prev.text, para.text))
            and not P.is_notice_title(prev.text)
            and (block_of is None or block_of.get(id(prev)) == block_of.get(id(para)))
        ):
            prev.text += para.text
            prev.lines += para.lines
            continue
        out.append(para)
    return out


def _layout_paragraphs(text: str) -> list[Paragraph]:
    segments = layout_segments(text)
    blocks = blocks_of(segments, gap=2.0, align=2.0)
    widths = [int(v.x1 - v.x0) for v in segments if v.x1 - v.x0 >= 6]
    measure, _ = _common_width(widths or [0])
    # -layout keeps the indentation; positions count characters, so a full line may be two short
    return _assemble(reading_order(blocks), float(measure), lost_indent=0.0, open_slack=2.5)


def to_lines(paras: Sequence[Paragraph], kind: str) -> Reflowed:
    """The classifier's lines for ``paras`` (a blank line between each, headings marked ``#``)."""
    lines: list[Line] = []
    sources: dict[int, list[tuple[int, int | None]]] = {}
    n = -1
    for para in paras:
        # one blank line between paragraphs; two after a rule (a wide gap: an article ends there)
        n += 3 if para.ruled and n > 0 else 2
        # a headline set large gets the Markdown mark the classifier knows; a deck or an intertitle set
        # a little larger stays unmarked (paragraph text rarely marks them, and a mark opens an article)
        text = {1: "# ", 3: "## ", 2: "### "}.get(para.head, "") + para.text
        lines.append(Line(n, text, True, True))
        sources[n] = [(m, v.piece) for v in para.lines for m in v.ns]
    return Reflowed(lines, sources, kind)


def reflow(text: str, kind: str | None = None) -> Reflowed | None:
    """Reflow visual-line text into paragraph lines; None when ``text`` is not visual-line text.

    Parameters
    ----------
    text : str
        A whole page.
    kind : {"plain", "layout"}, optional
        Skip detection (:func:`detect`) and read the text as this kind.

    Returns
    -------
    Reflowed or None
        Every non-empty input line is in exactly one paragraph's sources.
    """
    kind = kind or detect(text)
    if kind is None:
        return None
    paras = _layout_paragraphs(text) if kind == "layout" else _plain_paragraphs(text)
    logger.debug("reflowed %s visual-line text into %d paragraphs", kind, len(paras))
    return to_lines(paras, kind)


#: a line of at most this many characters is set a character a line …
TINY = 2
#: … and a run of at least this many such lines (a blank line between them at most) is one text: a title
#: set vertically, or text an extractor broke at every character
TINY_RUN = 8
#: … read in lines of at most this many (a paragraph's length: a long run is text, not one title)
TINY_FOLD = 100


def fold_tiny_runs(lines: Sequence[Line]) -> Reflowed | None:
    """The page with each run of :data:`TINY_RUN` or more lines of :data:`TINY` characters or fewer read
    as one line (as lines of :data:`TINY_FOLD` at most); None where the page has no such run.

    Lines after a run move up by the lines folded into it, so that the blank lines around every line stay
    as printed (the classifier reads them); ``sources`` maps every line back to its input lines.
    """
    # the runs first, in one pass that keeps nothing for a page without one (most pages)
    runs: list[tuple[int, int]] = []
    start = -1
    last = len(lines) - 1
    for i, line in enumerate(lines):
        # a piece of an over-long line keeps its own line number: never part of a run
        tiny = len(line.text) <= TINY and not line.piece and (i == last or lines[i + 1].n != line.n)
        if tiny and start >= 0 and line.n - lines[i - 1].n <= 2:
            continue
        if start >= 0 and i - start >= TINY_RUN:
            runs.append((start, i))
        start = i if tiny else -1
    if start >= 0 and len(lines) - start >= TINY_RUN:
        runs.append((start, len(lines)))
    if not runs:
        return None
    groups: list[range] = []
    at = 0
    for a, b in runs:
        groups.extend(range(i, i + 1) for i in range(at, a))
        groups.extend(range(k, min(b, k + TINY_FOLD)) for k in range(a, b, TINY_FOLD))
        at = b
    groups.extend(range(i, i + 1) for i in range(at, len(lines)))
    out: list[Line] = []
    sources: dict[int, list[tuple[int, int | None]]] = {}
    shift = 0
    for group in groups:
        first, end = lines[group[0]], lines[group[-1]]
        n = first.n - shift
        if len(group) > 1:
            out.append(Line(n, "".join(lines[i].text for i in group), first.blank_before, end.blank_after))
            sources[n] = [(lines[i].n, 0) for i in group]
        else:
            out.append(replace(first, n=n))
            if n not in sources:
                sources[n] = [(first.n, None)]  # a line as it was (each piece of it keeps its own number)
        shift += end.n - first.n
    logger.debug("read %d runs of one-character lines as lines", len(runs))
    return Reflowed(out, sources, "tiny")


def expand(articles: list, sources: dict[int, list[tuple[int, int | None]]]) -> list:
    """Point ``articles`` (records built on reflowed lines) back to the input lines, in place.

    Each line reference becomes one per input line (or column segment: ``piece``; ``None`` keeps the
    reference's own) of its paragraph, with the same label and confidence; each block lists the input
    lines it joins.
    """
    for article in articles:
        article.lines = [
            replace(ref, n=n, piece=ref.piece if piece is None else piece)
            for ref in article.lines
            for n, piece in sources.get(ref.n, [(ref.n, None)])
        ]
        for block in article.blocks:
            numbers = [n for m in block.lines for n, _ in sources.get(m, [(m, 0)])]
            block.lines = [n for i, n in enumerate(numbers) if i == 0 or n != numbers[i - 1]]
    return articles
