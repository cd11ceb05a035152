"""Read a PDF page's text layer into paragraphs: columns, reading order and visual lines from coordinates.

The text layer is read with pypdfium2 (PDFium's bindings; Apache-2.0/BSD: see ``docs/pdf.md`` for the
comparison with pdfplumber/pdfminer.six and PyMuPDF): every character with its advance box, font size
(as printed, scaled by the text matrix) and weight. Characters on one baseline, of one size and without a
gap wider than half a character form a visual line (a gutter between two columns is such a gap, a
justified line's even spread is not; a narrower gap splits characters the PDF does not write one after
the other); visual lines form blocks (one column of one article, or a headline) by
:func:`segmenter.reflow.blocks_of`, as far apart as the page's leading allows; blocks are put in reading
order by recursive XY-cuts (:func:`segmenter.reflow.reading_order`) and each block's lines are joined into
paragraphs (:func:`segmenter.reflow.paragraphs`). Headings are told by their size and written with the
Markdown marks the line classifier knows: ``#`` for the largest heading of a stack (the headline), ``##``
for the smaller ones beside it (a kicker, a deck), ``###`` for a heading set a little larger on its own (an
intertitle). The font weight is read too (``VLine.bold``) but not used yet. Horizontal rules (thin, long
path objects: a line between stories, a box's edges) cut a block where one is printed between two of its
lines, and set a paragraph apart where a rule closes the block before it or opens its own (and does not
close or open the other too: an article's rule underlines all its columns): that paragraph is written two
blank lines down, a wide gap the stitcher never joins across.

What a record's line number ``n`` means for a PDF: the line of :class:`PdfText` — the visual lines of the
PDF in reading order, one per line, a blank line between blocks, pages one after the other. That text is
what :func:`segmenter.read.read_page` returns for a PDF (``read_page("page.pdf").text``).
"""

from __future__ import annotations

import bisect
import logging
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .errors import InputError
from .reflow import Paragraph, Reflowed, VLine, _box, blocks_of, paragraphs, reading_order, to_lines

logger = logging.getLogger(__name__)

#: more pages than a newspaper page's PDF ever has: a document, or a PDF bomb
MAX_PAGES = 64
#: more characters than a page of newspaper text ever has (a broadsheet holds about 20,000)
MAX_CHARS = 400_000
#: a gap between characters wider than this share of the size splits a line (a gutter, a table cell)
SPLIT_GAP = 0.5
#: ... and so does one wider than this share between characters the PDF does not write one after the other
WIDE_GAP = 0.2
#: ... and so does a gap wider than this many points between characters on other baselines
MIN_GAP = 3.0
_BOLD_WEIGHT = 600
#: how far apart (top to top, in sizes) two lines of one block may be at least (:func:`_block_gap`)
BLOCK_GAP = 2.3
#: a line this many times the body size (the size most characters have) is a headline, marked ``#``
HEADLINE = 1.35
#: ... and this many times a heading (a deck, a kicker, an intertitle)
HEADING = 1.1


class PdfText(str):
    """The text of a PDF as the segmenter reads it, carrying its paragraphs.

    The string holds the PDF's visual lines in reading order, one per line, with a blank line between
    blocks: the lines a record's ``n`` counts. ``reflowed`` holds the paragraphs the classifier reads.
    """

    reflowed: Reflowed
    pages: int

    def __new__(cls, text: str, reflowed: Reflowed, pages: int) -> PdfText:
        obj = super().__new__(cls, text)
        obj.reflowed = reflowed
        obj.pages = pages
        return obj

    def __reduce__(self) -> tuple[Any, ...]:  # pickled across processes (a batch's workers)
        return (PdfText, (str(self), self.reflowed, self.pages))


def is_pdf(data: bytes) -> bool:
    """Whether ``data`` starts like a PDF file (``%PDF-`` within its first kilobyte, as readers accept)."""
    return b"%PDF-" in data[:1024]


def as_path(obj: object) -> str | None:
    """The file path ``obj`` names when it names one: an ``os.PathLike``, or a one-line ``str`` naming an
    existing ``.pdf`` file; None for page text."""
    if isinstance(obj, os.PathLike):
        return os.fspath(obj)  # type: ignore[return-value]
    if isinstance(obj, str) and not isinstance(obj, PdfText) and len(obj) < 4096 and "\n" not in obj:
        if obj.lower().endswith(".pdf") and os.path.isfile(obj):
            return obj
    return None


def _pdfium() -> Any:
    try:
        import pypdfium2 as pdfium
    except ImportError:  # pragma: no cover - a default dependency
        raise ImportError("reading PDF needs pypdfium2: pip install pypdfium2") from None
    return pdfium


def _chars(textpage: Any, raw: Any, height: float) -> list[tuple[str, float, float, float, float, float, bool, int]]:
    """(char, x0, x1, baseline from the top, top, size, bold, index in the text layer) of each printed
    character of a page."""
    import ctypes

    count = raw.FPDFText_CountChars(textpage)
    if count > MAX_CHARS:
        raise ValueError(f"{count} characters on one page")
    rect = raw.FS_RECTF()
    matrix = raw.FS_MATRIX()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    out = []
    for i in range(count):
        code = raw.FPDFText_GetUnicode(textpage, i)
        if code in (0, 10, 13, 0xFFFE) or raw.FPDFText_IsGenerated(textpage, i) == 1:
            continue
        if not raw.FPDFText_GetLooseCharBox(textpage, i, rect):
            continue
        raw.FPDFText_GetCharOrigin(textpage, i, ox, oy)
        # the size as printed: the font's size scaled by the text matrix (a browser sets a 12 px font
        # under a 0.75 scale: 9 points on the page)
        size = raw.FPDFText_GetFontSize(textpage, i)
        if size and raw.FPDFText_GetMatrix(textpage, i, matrix):
            size *= abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5 or 1.0
        size = size or (rect.top - rect.bottom)
        bold = raw.FPDFText_GetFontWeight(textpage, i) >= _BOLD_WEIGHT
        out.append((chr(code), rect.left, rect.right, height - oy.value, height - rect.top, size, bold, i))
    return out


#: a path this thin (points) and at least :data:`RULE_MIN` long is a rule printed across the page
RULE_THICK = 3.0
RULE_MIN = 20.0
#: more path objects than a page of rules and boxes has: a drawing, whose paths are not read
MAX_PATHS = 5000


@dataclass(frozen=True)
class Rule:
    """A horizontal rule printed on a page (a line, or a box's top or bottom edge): where it stands."""

    page: int
    x0: float
    x1: float
    y: float  # from the top of the page, as a VLine's top


def _rules(page: Any, raw: Any, height: float, p: int) -> list[Rule]:
    """The horizontal rules of a page: thin, long path objects (lines between articles, under a
    masthead, a box's drawn edges)."""
    out: list[Rule] = []
    for k, obj in enumerate(page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=3)):
        if k >= MAX_PATHS:
            break
        left, bottom, right, top = obj.get_bounds()
        if right - left >= RULE_MIN and top - bottom <= RULE_THICK:
            out.append(Rule(p, left, right, height - (top + bottom) / 2))
    return out


def _visual_lines(chars: list, page: int) -> list[VLine]:
    """Characters → visual lines: one baseline, one size, split at gaps wider than :data:`SPLIT_GAP`."""
    rows: list[list[tuple]] = []
    for ch in sorted(chars, key=lambda c: (round(c[3], 1), c[1])):
        row = rows[-1] if rows else None
        if row is not None and abs(ch[3] - row[0][3]) <= 0.3 * ch[5]:
            row.append(ch)
        else:
            rows.append([ch])
    lines: list[VLine] = []
    for row in rows:
        row.sort(key=lambda c: c[1])
        seg: list[tuple] = []
        for k, ch in enumerate(row):
            gap = ch[1] - seg[-1][2] if seg else 0.0
            if seg and (
                (gap > SPLIT_GAP * min(ch[5], seg[-1][5]) and not _spread(row, k))
                # a narrower gap between characters the PDF does not write one after the other: two
                # lines set side by side (two headlines set large over a gutter narrower than half their
                # size); a line is written in one run, each column on its own
                or (gap > WIDE_GAP * min(ch[5], seg[-1][5]) and abs(ch[7] - seg[-1][7]) > 2)
                # two lines side by side in other sizes or on other baselines (headlines across a gutter)
                or abs(ch[5] - seg[-1][5]) > 0.03 * ch[5]
                or (gap > MIN_GAP and abs(ch[3] - seg[-1][3]) > 0.5)
            ):
                lines.append(_vline(seg, page))
                seg = []
            seg.append(ch)
        if seg:
            lines.append(_vline(seg, page))
    return [line for line in lines if line.text]


def _spread(row: list[tuple], k: int) -> bool:
    """Whether the gap before ``row[k]`` is a justified line's spread: written in one run with the
    characters around it and as wide as the gap before or after it (a short line justified to the
    measure, a word too long for it gone down to the next line)."""

    def gap(j: int) -> float | None:
        if j < 1 or j >= len(row) or abs(row[j][7] - row[j - 1][7]) > 2:
            return None
        return row[j][1] - row[j - 1][2]

    here = gap(k)
    if here is None:
        return False
    return any(g is not None and abs(g - here) <= 0.1 * row[k][5] for g in (gap(k - 1), gap(k + 1)))


def _vline(seg: list[tuple], page: int) -> VLine:
    text = "".join(c[0] for c in seg).strip()
    sizes = Counter(round(c[5], 1) for c in seg if not c[0].isspace())
    size = sizes.most_common(1)[0][0] if sizes else seg[0][5]
    bold = sum(c[6] for c in seg) > len(seg) / 2
    top, bottom = min(c[4] for c in seg), max(c[3] for c in seg) + 0.2 * size  # the baseline and descenders
    return VLine((), text, seg[0][1], seg[-1][2], top, bottom, size, page, bold)


def _body_size(lines: list[VLine]) -> float:
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[round(line.size, 1)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 1.0


def layout_paragraphs(lines: list[VLine], rules: Sequence[Rule] = ()) -> tuple[list[Paragraph], list[list[VLine]]]:
    """Paragraphs of a document's visual lines, and its blocks in reading order (``rules``: the
    horizontal rules printed on its pages; a paragraph after a block a rule closes, or before one a rule
    opens, starts after a rule: ``Paragraph.ruled``)."""
    body = _body_size(lines)
    gap = _block_gap(lines, body)
    # sizes are compared as rounded to a tenth of a point (an intertitle set at 1.1 em of 9.3 pt reads 10.2)
    heading = HEADING * body - 0.05
    blocks = _split_at_rules(blocks_of(lines, gap=gap, align=0.6), rules)
    blocks = reading_order(blocks, lambda b: _body_size(b) >= heading)
    out: list[Paragraph] = []
    ruling = _ruling(blocks, rules)
    prev_block: list[VLine] | None = None
    prev_size = 0.0
    for block in blocks:
        size = _body_size(block)
        head = 1 if size >= HEADLINE * body else 2 if size >= heading else 0
        # a rule under a headline, or between it and a deck or an intertitle under it, is decoration
        under_heading = prev_size >= heading and head != 1
        ruled = prev_block is not None and not under_heading and _ruled_between(prev_block, block, ruling, body)
        prev_block, prev_size = block, size
        if head:  # a heading set in several lines (centred, ragged) is one heading
            text = "".join(v.text for v in block)
            prev = out[-1] if out else None
            if prev is not None and prev.head and _same_heading(prev.lines, block) and not ruled:
                prev.text += text
                prev.lines += block
            else:
                out.append(Paragraph(text, head, list(block), ruled=ruled))
            continue
        paras = paragraphs(block, tol=0.8)
        # a paragraph that runs on at a column's end: the block's last line is full and the next block
        # in reading order starts flush left in the same size
        if out and paras and not ruled and _runs_on(out[-1], paras[0], body):
            cont = paras.pop(0)
            out[-1].text += cont.text
            out[-1].lines += cont.lines
        if ruled and paras:
            paras[0].ruled = True
        out.extend(paras)
    _stacked_headings(out)
    return out, blocks


def _split_at_rules(blocks: list[list[VLine]], rules: Sequence[Rule]) -> list[list[VLine]]:
    """Blocks cut where a rule is printed between two of their lines (across both): two stories set close."""
    if not rules or len(rules) > MAX_RULES:
        return blocks
    # the rules of each page by height, so that each pair of lines looks only at those between them
    by_page: dict[int, list[Rule]] = {}
    for rule in sorted(rules, key=lambda r: r.y):
        by_page.setdefault(rule.page, []).append(rule)
    heights = {page: [r.y for r in page_rules] for page, page_rules in by_page.items()}
    out: list[list[VLine]] = []
    for block in blocks:
        start = 0
        for k in range(1, len(block)):
            a, b = block[k - 1], block[k]
            if a.page != b.page or a.page not in by_page:
                continue
            ys, page_rules = heights[a.page], by_page[a.page]
            lo, hi = bisect.bisect_left(ys, a.bottom - 1.0), bisect.bisect_right(ys, b.top + 1.0)
            if any(
                min(r.x1, a.x1, b.x1) - max(r.x0, a.x0, b.x0) > 0.5 * min(a.x1 - a.x0, b.x1 - b.x0)
                for r in page_rules[lo:hi]
            ):
                out.append(block[start:k])
                start = k
        out.append(block[start:])
    return out


def _ruling(blocks: list[list[VLine]], rules: Sequence[Rule]) -> dict[int, tuple[Rule | None, Rule | None]]:
    """For each block (by ``id``), the rule printed right under it and the one right over it: the nearest
    across most of its width with no other block of its column between (``None`` where there is none)."""
    out: dict[int, tuple[Rule | None, Rule | None]] = {}
    if not rules or len(rules) > MAX_RULES or len(blocks) > MAX_RULED_BLOCKS:
        return out
    boxes = [_box(b) for b in blocks]
    for k, block in enumerate(blocks):
        x0, x1, top, bottom = boxes[k]
        page = block[0].page
        across = [r for r in rules if _across(r, page, boxes[k])]
        under = min((r for r in across if r.y >= bottom - 2.0), key=lambda r: r.y, default=None)
        over = max((r for r in across if r.y <= top + 2.0), key=lambda r: r.y, default=None)

        def clear(lo: float, hi: float) -> bool:
            # no other block of the column between the block and the rule
            return not any(
                j != k and blocks[j][0].page == page and bx0 < x1 and bx1 > x0 and lo < (bt + bb) / 2 < hi
                for j, (bx0, bx1, bt, bb) in enumerate(boxes)
            )

        out[id(block)] = (
            under if under is not None and clear(bottom, under.y) else None,
            over if over is not None and clear(over.y, top) else None,
        )
    return out


def _ruled_between(
    above: list[VLine], below: list[VLine], ruling: dict[int, tuple[Rule | None, Rule | None]], body: float
) -> bool:
    """Whether a rule stands between two blocks read one after the other: one right under ``above``
    with ``below`` not over it too (an article's rule underlines all its columns, and its last column
    ends higher), or one right over ``below`` with ``above`` not under it too."""
    if above[-1].page != below[0].page:
        return False  # a new page opens under its own rules (a masthead's), whatever runs on to it
    a_under = ruling.get(id(above), (None, None))[0]
    b_over = ruling.get(id(below), (None, None))[1]
    reach = RULED_WITHIN * body
    a_box, b_box = _box(above), _box(below)
    if a_under is not None and a_under.y - a_box[3] <= reach:
        if not (_across(a_under, below[0].page, b_box) and b_box[3] <= a_under.y + 2.0):
            return True
    if b_over is not None and b_box[2] - b_over.y <= reach:
        if not (_across(b_over, above[0].page, a_box) and a_box[2] >= b_over.y - 2.0):
            return True
    return False


def _across(rule: Rule, page: int, box: tuple[float, float, float, float]) -> bool:
    """Whether ``rule`` runs across at least half the width of a block on ``page`` whose box is ``box``."""
    x0, x1 = box[0], box[1]
    return rule.page == page and min(rule.x1, x1) - max(rule.x0, x0) >= 0.5 * (x1 - x0)


#: a rule at most this many body sizes under a block closes it (over a block, opens it)
RULED_WITHIN = 2.0
#: more rules or blocks than a newspaper page has: rules are not read (blocks × rules × blocks)
MAX_RULES = 400
MAX_RULED_BLOCKS = 1000


def _block_gap(lines: list[VLine], body: float) -> float:
    """How far apart (top to top, in sizes) two lines of one block may be: :data:`BLOCK_GAP`, or more on a
    page set with a wide leading or with space between paragraphs.

    The pitch of the page's text (the commonest distance between a body-size line and the next one set
    under it in its column) and, when paragraphs are spaced, the pitch from a paragraph's last line to the
    next one's first (a longer distance found often: at least one in twelve) are one block's distances;
    a little more than the longer of them is allowed.
    """
    text = sorted((v for v in lines if abs(v.size - body) <= 0.05 * body), key=lambda v: (v.page, v.top))
    pitches: Counter[float] = Counter()
    for i, a in enumerate(text):
        for b in text[i + 1 : i + 40]:  # the next line set under it in its column
            if b.page != a.page or b.top - a.top >= 4 * body:
                break
            overlap = min(a.x1, b.x1) - max(a.x0, b.x0)
            if b.top - a.top > 0.5 * body and overlap > 0.5 * min(a.x1 - a.x0, b.x1 - b.x0):
                pitches[round((b.top - a.top) / body, 1)] += 1
                break
    if not pitches:
        return BLOCK_GAP
    pitch = pitches.most_common(1)[0][0]
    total = sum(pitches.values())
    spaced = [p for p, k in pitches.items() if pitch + 0.1 < p <= pitch + 1.5 and k >= total / 12]
    longest = max(spaced, key=lambda p: pitches[p]) if spaced else pitch
    return max(BLOCK_GAP, longest + 0.35)


def _stacked_headings(paras: list[Paragraph]) -> None:
    """In a stack of headings (kicker, headline, decks) only the largest is the headline (``#``): the
    others are marked one level down (``##``, ``head = 3``); a heading on its own keeps its level."""
    i = 0
    while i < len(paras):
        j = i
        while j < len(paras) and paras[j].head:
            j += 1
        if j - i > 1:
            sizes = [max(v.size for v in p.lines) for p in paras[i:j]]
            top = max(range(j - i), key=lambda k: sizes[k])
            for k in range(i, j):
                if k - i != top and paras[k].head in (1, 2) and sizes[k - i] < 0.95 * sizes[top]:
                    paras[k].head = 3
        i = j + 1


def _same_heading(above: list[VLine], block: list[VLine]) -> bool:
    """Whether ``block`` goes on the heading ``above``: the same size, set right under it, overlapping it."""
    a, b = above[-1], block[0]
    return (
        a.page == b.page
        and abs(a.size - b.size) <= 0.03 * a.size
        and 0 <= b.top - a.bottom <= 0.8 * a.size
        and b.x0 < max(v.x1 for v in above)
        and b.x1 > min(v.x0 for v in above)
    )


def _runs_on(prev: Paragraph, nxt: Paragraph, body: float) -> bool:
    """Whether ``nxt`` (a block's first paragraph) continues ``prev`` (the last one before it)."""
    if prev.head or not prev.lines or not nxt.lines:
        return False
    last, first = prev.lines[-1], nxt.lines[0]
    if abs(last.size - body) > 0.1 * body or abs(first.size - body) > 0.1 * body:
        return False
    return prev.full_end and not nxt.indented


def read_pdf(data: bytes, *, name: str = "<pdf>", max_pages: int = MAX_PAGES) -> PdfText:
    """Read a PDF's text layer into a :class:`PdfText` (visual lines, and the paragraphs to classify).

    Parameters
    ----------
    data : bytes
        The PDF file.
    name : str, optional
        The file as the user named it, for messages.
    max_pages : int, optional
        Refuse PDFs with more pages (a newspaper page is one page, an e-edition a few).

    Raises
    ------
    InputError
        Encrypted, damaged or not a PDF; too many pages or characters; no text layer (a scan).
    """
    pdfium = _pdfium()
    raw = pdfium.raw
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        problem = str(exc).lower()
        if "password" in problem:
            raise InputError(name, "encrypted PDF (needs a password); decrypt it first") from None
        raise InputError(name, f"damaged or unreadable PDF ({exc})") from None
    try:
        pages = len(doc)
        if pages > max_pages:
            raise InputError(name, f"PDF of {pages} pages; a newspaper page has at most {max_pages}")
        vlines: list[VLine] = []
        rules: list[Rule] = []
        for p in range(pages):
            page = doc[p]
            height = page.get_height()
            textpage = page.get_textpage()
            try:
                chars = _chars(textpage.raw, raw, height)
                rules += _rules(page, raw, height, p)
            except ValueError as exc:
                raise InputError(name, f"page {p + 1}: {exc}; not a newspaper page") from None
            finally:
                textpage.close()
                page.close()
            vlines += _visual_lines(chars, p)
    except pdfium.PdfiumError as exc:
        raise InputError(name, f"damaged PDF ({exc})") from None
    finally:
        doc.close()
    if not vlines:
        raise InputError(name, "PDF without a text layer (a scan?): run OCR on it first, e.g. ocrmypdf")
    paras, blocks = layout_paragraphs(vlines, rules)
    # number the visual lines as the text shows them: blocks in reading order, a blank line between
    text_lines: list[str] = []
    for block in blocks:
        if text_lines:
            text_lines.append("")
        for line in block:
            text_lines.append(line.text)
            line.ns = (len(text_lines),)
    logger.debug("%s: %d pages, %d visual lines, %d paragraphs", name, pages, len(vlines), len(paras))
    return PdfText("\n".join(text_lines) + "\n", to_lines(paras, "pdf"), pages)
