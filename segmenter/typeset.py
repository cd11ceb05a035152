"""Typeset rendered pages as multi-column newspaper PDFs, keeping the gold (training and evaluation data only).

A rendered page (:func:`segmenter.render.render_page`: text and gold) is laid out the way a newspaper sets
it: a strip of page furniture on top, then article blocks placed on a column grid (a skyline: each block
goes where its columns are highest), each with its headline set larger across the block's columns, decks
a size between, and the body set in the block's columns with justified lines and indented paragraphs,
captions smaller under a picture frame, some blocks boxed. What varies from page to page (drawn from the
generator): page size, column count, gutter, body size, leading, indentation style, headline sizes and
alignment, how many columns a block spans.

Every printed line is returned as a :class:`PrintedLine` that names the gold line it came from, so any
extraction of the PDF (``pdftotext``, a PDF library) can be scored against the page's gold.

Needs ``reportlab`` and a CJK TrueType font (Debian: ``apt-get install fonts-wqy-microhei``); not part of
the runtime package: ``pip install 'segmenter[typeset]'``.
"""

from __future__ import annotations

import io
import random
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .evaluate import strip_markdown

#: CJK fonts looked for, in this order (Debian packages fonts-wqy-microhei, fonts-wqy-zenhei, fonts-noto-cjk)
FONT_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)
_FONT = "SegmenterCJK"
#: punctuation a line may not start with: it hangs at the end of the line before
_NO_START = frozenset("，。、；：？！”’）》」』】,.;:?!)%")
#: page sizes in points: A3, A4, a broadsheet
_PAGES = ((842.0, 1191.0), (595.0, 842.0), (900.0, 1300.0))


@dataclass(frozen=True)
class PrintedLine:
    """One line as printed: where, how large, and the gold line it came from.

    Attributes
    ----------
    page : int
        0-based PDF page.
    x0, x1, y : float
        Left and right end and baseline, in PDF points (origin bottom left).
    size : float
        Font size in points.
    text : str
        The characters printed.
    gold_n : int
        The ``n`` of the gold line this printed line is part of.
    """

    page: int
    x0: float
    x1: float
    y: float
    size: float
    text: str
    gold_n: int


def find_font() -> str:
    """Path of an installed CJK font; raises ``RuntimeError`` naming the package to install."""
    for path in FONT_PATHS:
        if Path(path).is_file():
            return path
    raise RuntimeError("no CJK font found: apt-get install -y fonts-wqy-microhei")


@cache
def _register() -> None:
    try:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("typesetting needs reportlab: pip install 'segmenter[typeset]'") from None
    pdfmetrics.registerFont(TTFont(_FONT, find_font(), subfontIndex=0))


@cache
def _char_width(ch: str) -> float:
    """Width of ``ch`` at size 1."""
    from reportlab.pdfbase import pdfmetrics

    return pdfmetrics.stringWidth(ch, _FONT, 1000) / 1000.0


def wrap(text: str, width: float, size: float, indent: float = 0.0) -> list[str]:
    """Break ``text`` into lines of at most ``width`` points at ``size`` (the first line indented).

    Greedy, character by character as CJK is set; closing punctuation never starts a line (the
    character before it goes down with it: nothing is set past the measure, into the gutter), and a run
    of ASCII letters or digits is not broken unless longer than a line.
    """
    lines: list[str] = []
    tokens = re.findall(r"[A-Za-z0-9.%\-]{1,12}|.", text)
    line, used, avail = "", 0.0, width - indent
    for tok in tokens:
        w = sum(_char_width(c) for c in tok) * size
        if line and used + w > avail + 0.01:
            carry = ""
            if tok[0] in _NO_START and len(line) > 1:
                line, carry = line[:-1], line[-1]
            lines.append(line)
            line, avail = carry, width
            used = sum(_char_width(c) for c in carry) * size
        line += tok
        used += w
    if line:
        lines.append(line)
    return lines


@dataclass
class _Style:
    """One page's typographic choices (drawn by :meth:`draw`)."""

    width: float
    height: float
    margin: float
    columns: int
    gutter: float
    body: float
    leading: float
    indent: bool
    head_center: bool
    box_prob: float
    rule: bool

    @classmethod
    def draw(cls, rng: random.Random) -> _Style:
        width, height = rng.choice(_PAGES)
        columns = rng.choice((3, 4)) if width < 700 else rng.choice((4, 5, 5, 6))
        body = rng.uniform(8.5, 10.5)
        return cls(
            width=width,
            height=height,
            margin=rng.uniform(28, 48),
            columns=columns,
            gutter=rng.uniform(8, 16),
            body=body,
            leading=body * rng.uniform(1.3, 1.6),
            indent=rng.random() < 0.85,
            head_center=rng.random() < 0.5,
            box_prob=rng.uniform(0.0, 0.25),
            rule=rng.random() < 0.5,
        )

    @property
    def column_width(self) -> float:
        return (self.width - 2 * self.margin - (self.columns - 1) * self.gutter) / self.columns


def _printable(line: Mapping[str, Any]) -> str:
    return strip_markdown(str(line["text"])).strip()


def _blocks(gold: Mapping[str, Any]) -> tuple[list[Mapping[str, Any]], list[list[Mapping[str, Any]]]]:
    """The furniture lines and each article's lines in reading order (articles in order of first line)."""
    by_n = {int(line["n"]): line for line in gold["lines"]}
    furniture = [line for line in gold["lines"] if int(line.get("article", 0)) == 0]
    arts = sorted((a for a in gold["articles"] if a["id"] != 0), key=lambda a: min(a["order"]) if a["order"] else 0)
    listed = {int(n) for a in arts for n in a["order"]}
    blocks = [[by_n[int(n)] for n in a["order"] if int(n) in by_n] for a in arts]
    for line in gold["lines"]:  # an article line no order lists (should not happen): print it anyway
        if int(line.get("article", 0)) != 0 and int(line["n"]) not in listed:
            furniture.append(line)
    return furniture, [b for b in blocks if b]


class _Page:
    """The canvas, the skyline of the column grid and the printed lines so far."""

    def __init__(self, canvas: Any, style: _Style) -> None:
        self.canvas = canvas
        self.style = style
        self.page = 0
        self.printed: list[PrintedLine] = []
        self.top = style.height - style.margin
        self.sky = [self.top] * style.columns

    def new_page(self) -> None:
        self.canvas.showPage()
        self.page += 1
        self.sky = [self.top] * self.style.columns

    def col_x(self, j: int) -> float:
        return self.style.margin + j * (self.style.column_width + self.style.gutter)

    def text(self, x: float, y: float, size: float, text: str, n: int, justify: float = 0.0) -> None:
        """Print one line at (x, y); ``justify`` > 0 spreads it to that width."""
        c = self.canvas
        natural = sum(_char_width(ch) for ch in text) * size
        obj = c.beginText(x, y)
        obj.setFont(_FONT, size)
        space = (justify - natural) / (len(text) - 1) if justify > natural and len(text) > 1 else 0.0
        obj.setCharSpace(min(space, size * 0.25))
        obj.textOut(text)
        c.drawText(obj)
        x1 = x + natural + obj._charSpace * max(len(text) - 1, 0)
        self.printed.append(PrintedLine(self.page, round(x, 2), round(x1, 2), round(y, 2), round(size, 2), text, n))


def _set_furniture(page: _Page, lines: Sequence[Mapping[str, Any]], rng: random.Random) -> None:
    st = page.style
    size = st.body * 0.9
    y = page.top - size
    for line in lines:
        for piece in wrap(_printable(line), st.width - 2 * st.margin, size):
            page.text(st.margin, y, size, piece, int(line["n"]))
            y -= size * 1.4
    y -= size * 0.3
    page.canvas.setLineWidth(1.2)
    page.canvas.line(st.margin, y, st.width - st.margin, y)
    page.sky = [y - st.body * 1.5] * st.columns


def _body_lines(
    lines: Sequence[Mapping[str, Any]], st: _Style, width: float, rng: random.Random
) -> list[tuple[str, float, int, float, bool]]:
    """The article's lines below its head set at ``width``: (text, size, gold n, indent, last of paragraph)."""
    out = []
    for line in lines:
        label, text = line["label"], _printable(line)
        if not text:
            continue
        size, indent = st.body, 0.0
        if label == "caption":
            size = st.body * 0.85
        elif label == "section":
            size = st.body * 1.15
        elif label == "body" and st.indent:
            indent = 2 * st.body
        elif label in ("headline", "subhead"):  # a head inside the body: an intertitle or a second headline
            size = st.body * 1.3
        pieces = wrap(text, width, size, indent)
        for k, piece in enumerate(pieces):
            out.append((piece, size, int(line["n"]), indent if k == 0 else 0.0, k == len(pieces) - 1))
    return out


def _set_article(page: _Page, lines: Sequence[Mapping[str, Any]], rng: random.Random) -> None:
    st = page.style
    # the head: the headline and the decks and kickers around it, up to the first text line
    k = 0
    while k < len(lines) and lines[k]["label"] in ("headline", "subhead") and k < 4:
        k += 1
    head, rest = lines[:k], lines[k:]
    chars = sum(len(_printable(line)) for line in rest)
    span = 1 if chars < 300 else rng.choice((1, 2, 2, 3)) if chars < 1500 else rng.choice((2, 3, 3, 4))
    span = min(span, st.columns)
    while True:
        j = min(range(st.columns - span + 1), key=lambda j: (-min(page.sky[j : j + span]), j))
        y_top = min(page.sky[j : j + span])
        width = span * st.column_width + (span - 1) * st.gutter
        body = _body_lines(rest, st, st.column_width, rng)
        head_sets = []
        for line in head:
            size = (st.body * rng.uniform(1.6, 2.6) * (1 + 0.15 * (span - 1))) if line["label"] == "headline" else (
                st.body * rng.uniform(1.15, 1.4)
            )
            for piece in wrap(_printable(line), width, size):
                head_sets.append((piece, size, int(line["n"])))
        head_h = sum(s * 1.3 for _, s, _ in head_sets) + (st.body if head_sets else 0)
        per_col = -(-len(body) // span) if body else 0
        needed = head_h + per_col * st.leading + st.leading
        if y_top - needed >= st.margin or y_top >= page.top - st.leading * 3:
            break
        page.new_page()
    boxed = rng.random() < st.box_prob and span == 1 and len(body) < 40
    y = y_top - st.body * 0.5
    for piece, size, n in head_sets:
        y -= size * 1.1
        natural = sum(_char_width(ch) for ch in piece) * size
        x = page.col_x(j) + ((width - natural) / 2 if st.head_center else 0.0)
        page.text(x, y, size, piece, n)
        y -= size * 0.2
    y -= st.body * 0.6 if head_sets else 0.0
    body_top = y
    col, row = 0, 0
    bottom = y
    for i, (piece, size, n, indent, last) in enumerate(body):
        if row >= per_col or body_top - (row + 1) * st.leading < st.margin:
            if col + 1 < span:
                col, row = col + 1, 0
            else:  # the page is full: the rest goes on to the next page, one column wide
                page.new_page()
                j, span, col, row, body_top = 0, 1, 0, 0, page.top - st.body
                per_col = len(body)
        yy = body_top - (row + 1) * st.leading
        x = page.col_x(j + col) + indent
        full = not last and size == st.body
        page.text(x, yy, size, piece, n, justify=(st.column_width - indent) if full else 0.0)
        bottom = min(bottom, yy)
        row += 1
    bottom -= st.leading * 0.6
    if boxed:
        page.canvas.setLineWidth(0.6)
        page.canvas.rect(page.col_x(j) - 3, bottom, width + 6, y_top - bottom - 2)
    if st.rule:
        page.canvas.setLineWidth(0.4)
        page.canvas.line(page.col_x(j), bottom - 2, page.col_x(j) + width, bottom - 2)
    gap = st.body * rng.uniform(1.0, 2.0)
    for c in range(j, j + span):
        page.sky[c] = bottom - gap


def typeset(gold: Mapping[str, Any], rng: random.Random) -> tuple[bytes, list[PrintedLine]]:
    """Typeset one rendered page's gold lines as a PDF.

    Parameters
    ----------
    gold : Mapping
        The gold of a rendered page (``lines`` with ``n``, ``text``, ``label``, ``article``; ``articles``
        with ``order``).
    rng : random.Random
        Draws the page's style and the blocks' spans.

    Returns
    -------
    pdf : bytes
        The PDF (the font subset embedded).
    printed : list of PrintedLine
        Every printed line, in the order it was set, with the gold line it came from.
    """
    _register()
    from reportlab.pdfgen.canvas import Canvas

    style = _Style.draw(rng)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(style.width, style.height), invariant=True, pageCompression=1)
    page = _Page(canvas, style)
    furniture, blocks = _blocks(gold)
    _set_furniture(page, furniture, rng)
    for block in blocks:
        _set_article(page, block, rng)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue(), page.printed


def printed_to_json(printed: Sequence[PrintedLine]) -> list[dict[str, Any]]:
    """The printed lines as JSON-ready dicts."""
    return [asdict(p) for p in printed]


def pdftotext(pdf: bytes, layout: bool = False) -> str:
    """The text poppler's ``pdftotext`` extracts from ``pdf`` (``-layout`` when ``layout``), pages joined."""
    import subprocess

    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), "-", "-"]
    try:
        done = subprocess.run(args, input=pdf, capture_output=True, check=True, timeout=60)
    except FileNotFoundError:
        raise RuntimeError("pdftotext not found: apt-get install -y poppler-utils") from None
    return done.stdout.decode("utf-8").replace("\f", "\n")


# --------------------------------------------------------------------------------------------------
# typeset pages as training pages: the lines the classifier reads from each extracted form, with gold

#: the extracted forms of a typeset page that training reads, and their files: the PDF (read by
#: :mod:`segmenter.pdf`), pdftotext's default-mode and ``-layout`` text
EXTRACTED_FORMS = {"pdf": ".pdf", "pdftotext": ".txt", "layout": ".layout.txt"}
#: a character 3-gram found in more gold lines than this says nothing about which one a line came from
_COMMON_GRAM = 8
#: a line up to this long that is exactly one gold line's text is that line (a short heading)
_SHORT = 12


def classifier_text(form: str, path: Path) -> str:
    """The text the line classifier reads for one extracted form (:data:`EXTRACTED_FORMS`) of a page, as
    paragraph text.

    A PDF is read by :mod:`segmenter.pdf`, pdftotext output reflowed by :mod:`segmenter.reflow` (left as
    it is when :func:`segmenter.reflow.detect` does not take it for visual-line text, as ``split`` does);
    reflowed paragraphs are written one a line with a blank line between, so that
    :func:`segmenter.lines.split_lines` gives the lines the classifier is given, with their numbers.
    """
    from .reflow import Reflowed, reflow

    flowed: Reflowed | None
    if form == "pdf":
        from .pdf import read_pdf

        flowed = read_pdf(path.read_bytes(), name=path.name).reflowed
    else:
        text = path.read_text(encoding="utf-8")
        flowed = reflow(text)
        if flowed is None:
            return text
    out = [""] * (flowed.lines[-1].n if flowed.lines else 0)
    for line in flowed.lines:
        out[line.n - 1] = line.text
    return "\n".join(out) + "\n"


def _key(text: str) -> str:
    """A line's characters as printed: no heading marks, no spaces (extractors add and drop them)."""
    return re.sub(r"\s+", "", strip_markdown(text.strip()))


def gold_for_lines(text: str, gold: Mapping[str, Any]) -> tuple[dict[str, Any], float]:
    """Gold labels and articles for the lines of ``text``, an extraction of the page ``gold`` describes.

    Each line (a reflowed paragraph, a visual line) gets the gold line most of its character 3-grams
    come from, and that line's label and article: a paragraph the reflow joined from a heading and a text
    line is labelled by the larger part. A 3-gram found in several gold lines counts for each a share,
    one in more than :data:`_COMMON_GRAM` not at all. A line of up to :data:`_SHORT` characters that is
    a gold line's whole text is that line (a short heading, not the text line that ends in its words);
    a line without a telling 3-gram is looked up inside the gold lines. On a tie the gold line nearest
    the one before wins (an article printed twice). A line found in no gold line is ``other``, outside
    any article.

    Returns
    -------
    gold : dict
        ``source``, ``lines`` (``n``, ``text``, ``label``, ``article``) and ``articles`` (``id``, ``order``).
    agreement : float
        The share of the telling 3-grams of ``text`` (found in one to :data:`_COMMON_GRAM` gold lines)
        found in the gold line chosen for their line: 1.0 when every line is part of one gold line's
        text, lower where the reflow joined parts of several.
    """
    from .lines import split_lines

    gold_lines = [g for g in gold["lines"] if _key(str(g["text"]))]
    keys = [_key(str(g["text"])) for g in gold_lines]
    owners: dict[str, list[int]] = {}
    for i, k in enumerate(keys):
        for gram in {k[j : j + 3] for j in range(len(k) - 2)}:
            owners.setdefault(gram, []).append(i)
    texts: dict[int, str] = {}
    for line in split_lines(text):
        texts[line.n] = texts.get(line.n, "") + line.text  # the pieces of an over-long line share n
    lines: list[dict[str, Any]] = []
    order: dict[int, list[int]] = {}
    prev, pure, total = 0, 0, 0
    for n, line_text in texts.items():
        k = _key(line_text)
        votes: Counter[int] = Counter()
        grams = [found for j in range(len(k) - 2) if 0 < len(found := owners.get(k[j : j + 3], ())) <= _COMMON_GRAM]
        for found in grams:
            for i in found:
                # a fractional vote: the Counter holds floats, where typeshed's counts are int
                votes[i] += 1.0 / len(found)  # type: ignore[assignment]
        exact = [i for i, g in enumerate(keys) if g == k] if len(k) <= _SHORT else []
        if exact:  # a short heading ("启事") is that heading, not a text line ending in its words
            votes = Counter(dict.fromkeys(exact, 1.0))
        elif not votes and k:
            votes.update({i: 1.0 for i, g in enumerate(keys) if k in g})
        if votes:
            best = max(votes, key=lambda i: (round(votes[i], 6), -abs(i - prev)))
            prev = best
            g = gold_lines[best]
            label, article = str(g["label"]), int(g.get("article", 0))
            pure += sum(best in found for found in grams)
        else:
            label, article = "other", 0
        total += len(grams)
        lines.append({"n": n, "text": line_text, "label": label, "article": article})
        if article:
            order.setdefault(article, []).append(n)
    articles = [{"id": a, "order": ns} for a, ns in sorted(order.items())]
    return {"source": gold.get("source", ""), "lines": lines, "articles": articles}, pure / max(total, 1)


def training_pages(
    folders: Sequence[str | Path], forms: Sequence[str] | None = None
) -> tuple[list[tuple[str, dict[str, Any]]], dict[str, Any]]:
    """The extracted forms of typeset pages (built by ``scripts/typeset.py build``) as training pages.

    Each ``NAME.gold.json`` of each folder (the typesetter's record, ``{"gold": ..., "printed": ...}``, or
    a page's gold alone) gives one page per form of ``forms`` (keys of :data:`EXTRACTED_FORMS`; default
    all) whose file exists: the text the classifier reads (:func:`classifier_text`) and its gold
    (:func:`gold_for_lines`).

    Returns
    -------
    pages : list of (text, gold)
    summary : dict
        Pages per form and the mean character agreement of the labels (see :func:`gold_for_lines`).

    Raises
    ------
    ValueError
        A folder that does not exist or holds no ``*.gold.json``.
    """
    import json

    pages: list[tuple[str, dict[str, Any]]] = []
    counts: Counter[str] = Counter()
    agreement: list[float] = []
    for folder in map(Path, folders):
        golds = sorted(folder.glob("*.gold.json")) if folder.is_dir() else []
        if not golds:
            raise ValueError(f"{folder}: no typeset pages (NAME.gold.json; build them with scripts/typeset.py build)")
        for gold_path in golds:
            name = gold_path.name.removesuffix(".gold.json")
            record = json.loads(gold_path.read_text(encoding="utf-8"))
            gold = record.get("gold", record)
            for form, suffix in EXTRACTED_FORMS.items():
                path = folder / f"{name}{suffix}"
                if (forms is not None and form not in forms) or not path.is_file():
                    continue
                text = classifier_text(form, path)
                page_gold, share = gold_for_lines(text, gold)
                pages.append((text, page_gold))
                counts[form] += 1
                agreement.append(share)
    summary = {
        "folders": [str(f) for f in folders],
        "pages": dict(counts),
        "label_agreement": round(sum(agreement) / max(len(agreement), 1), 4),
    }
    return pages, summary
