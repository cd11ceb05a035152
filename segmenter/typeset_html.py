"""A second typesetter: rendered pages set in HTML and CSS and printed to PDF by headless chromium
(evaluation data only).

:mod:`segmenter.typeset` sets pages with reportlab by its own rules (a skyline of article blocks, lines
broken by its own ``wrap``); a segmenter tuned on those PDFs could be fitting one program's habits. This
module sets the same rendered pages (:func:`segmenter.render.render_page`'s gold, the articles in the order
:func:`segmenter.typeset._blocks` gives) as an HTML page whose layout and line breaking are left to a
browser engine (Blink, through Debian's ``chromium``): CSS page size and margins, one of three page layouts
(a CSS grid of article blocks spanning one to four columns, articles stacked in flex columns of unequal
height, or the whole page one CSS multi-column flow), each article's text in CSS columns, headlines spanning
the article's columns, kickers and decks smaller, bylines set apart, boxes with borders and shaded
backgrounds, picture placeholders with their captions, paragraphs indented or spaced, and the fonts, sizes,
gutters and leading drawn per page from Debian's CJK fonts (Noto Serif/Sans CJK, WenQuanYi Micro Hei).

The gold is the rendered page's, unchanged: every gold line is printed once, in its article's block, so the
PDF's text scores against it exactly as a :mod:`segmenter.typeset` PDF does (a line's ``n`` of the PDF is
not the gold's; only article-level scores compare). Where each printed line stands is the browser's
choice, so no per-line record (``printed``) is kept.

Needs ``chromium`` (``apt-get install -y chromium``) and CJK fonts (``apt-get install -y fonts-noto-cjk
fonts-wqy-microhei``); ``scripts/typeset.py build --typesetter chromium`` builds a folder of such pages.
"""

from __future__ import annotations

import html
import random
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .typeset import _blocks, _printable

#: font families looked for (fontconfig names); the first of each list that is installed is used
BODY_FONTS = ("Noto Serif CJK SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei")
HEAD_FONTS = ("Noto Sans CJK SC", "Noto Serif CJK SC", "WenQuanYi Micro Hei")
#: page sizes in points (A3, A4, a broadsheet, a tabloid)
_PAGES = ((842.0, 1191.0), (595.0, 842.0), (900.0, 1300.0), (700.0, 1000.0))
_LAYOUTS = ("grid", "stacks", "flow")


def find_chromium() -> str | None:
    """The chromium executable on PATH, or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def _installed_fonts() -> set[str]:
    try:
        done = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=30)
    except (FileNotFoundError, subprocess.TimeoutExpired):
        return set()
    return {name.strip() for line in done.stdout.splitlines() for name in line.split(",")}


@dataclass
class HtmlStyle:
    """One page's choices (drawn by :meth:`draw`); lengths in points."""

    width: float
    height: float
    margin: float
    layout: str
    columns: int
    gutter: float
    body: float
    leading: float
    indent: bool
    para_space: float
    body_font: str
    head_font: str
    head_weight: int
    head_center: float
    head_scale: float
    box_prob: float
    rules: bool

    @classmethod
    def draw(cls, rng: random.Random, fonts: set[str] | None = None) -> HtmlStyle:
        fonts = _installed_fonts() if fonts is None else fonts
        body_fonts = [f for f in BODY_FONTS if f in fonts] or ["serif"]
        head_fonts = [f for f in HEAD_FONTS if f in fonts] or ["sans-serif"]
        width, height = rng.choice(_PAGES)
        if width < 800:  # A4, a tabloid
            columns = rng.choice((3, 4, 5))
        else:  # A3, a broadsheet
            columns = rng.choice((4, 5, 6, 6, 7)) if width < 850 else rng.choice((5, 6, 7, 8))
        body = rng.uniform(8.0, 11.0)
        indent = rng.random() < 0.75
        return cls(
            width=width,
            height=height,
            margin=rng.uniform(20, 50),
            layout=rng.choice(_LAYOUTS),
            columns=columns,
            gutter=rng.uniform(6, 20),
            body=round(body, 2),
            leading=round(rng.uniform(1.25, 1.75), 2),
            indent=indent,
            para_space=0.0 if indent and rng.random() < 0.8 else round(rng.uniform(0.2, 0.8), 2),
            body_font=rng.choice(body_fonts),
            head_font=rng.choice(head_fonts),
            head_weight=rng.choice((400, 700, 700, 900)),
            head_center=rng.random(),
            head_scale=rng.uniform(1.5, 3.0),
            box_prob=rng.uniform(0.0, 0.3),
            rules=rng.random() < 0.5,
        )


def _css(st: HtmlStyle) -> str:
    gap = f"{st.gutter:.1f}pt"
    rule = "column-rule: 0.5pt solid #888;" if st.rules else ""
    page = {
        "grid": f"display: grid; grid-template-columns: repeat({st.columns}, 1fr); column-gap: {gap};"
        f" row-gap: {st.body * 1.2:.1f}pt; grid-auto-flow: row dense; align-items: start;",
        "stacks": f"display: flex; gap: {gap}; align-items: flex-start;",
        "flow": f"column-count: {st.columns}; column-gap: {gap}; {rule}",
    }[st.layout]
    return f"""
@page {{ size: {st.width:.0f}pt {st.height:.0f}pt; margin: {st.margin:.0f}pt; }}
html, body {{ margin: 0; padding: 0; }}
body {{ font-family: "{st.body_font}"; font-size: {st.body}pt; line-height: {st.leading}; text-align: justify;
  color: #000; -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
.masthead {{ font-family: "{st.head_font}"; font-size: {st.body * 0.9:.2f}pt; border-bottom: 1.2pt solid #000;
  margin-bottom: {st.body * 1.2:.1f}pt; padding-bottom: 2pt; display: flex; flex-wrap: wrap; gap: 0 2em; }}
.page {{ {page} }}
.stack {{ display: flex; flex-direction: column; gap: {st.body * 1.2:.1f}pt; min-width: 0; }}
article {{ min-width: 0; margin-bottom: {st.body * 1.0:.1f}pt; }}
.flow article {{ margin-bottom: {st.body * 1.4:.1f}pt; }}
article.rule {{ border-bottom: 0.6pt solid #000; padding-bottom: {st.body * 0.5:.1f}pt; }}
article.box {{ border: 0.8pt solid #000; padding: {st.body * 0.6:.1f}pt; background: #f2f2ee; }}
h1, h2, h3, .byline, figure {{ margin: 0; }}
header, h1, h2 {{ break-inside: avoid; break-after: avoid; }}
h1 {{ font-family: "{st.head_font}"; font-weight: {st.head_weight}; line-height: 1.2;
  margin: {st.body * 0.3:.1f}pt 0 {st.body * 0.5:.1f}pt; text-align: left; }}
h2 {{ font-family: "{st.head_font}"; font-weight: 400; line-height: 1.25; margin: 0 0 {st.body * 0.3:.1f}pt;
  text-align: left; }}
.center h1, .center h2 {{ text-align: center; }}
.flow .lead > header {{ column-span: all; }}
.text {{ column-gap: {gap}; {rule} }}
.text p {{ margin: 0 0 {st.para_space}em; text-indent: {"2em" if st.indent else "0"}; orphans: 1; widows: 1; }}
.text h3 {{ font-family: "{st.head_font}"; font-weight: 700; font-size: 1.1em; margin: 0.4em 0 0.2em;
  text-align: left; break-after: avoid; }}
.byline {{ font-family: "{st.head_font}"; font-size: 0.9em; text-align: right; margin: 0 0 0.3em; }}
header .byline {{ text-align: inherit; }}
figure {{ break-inside: avoid; margin: 0.3em 0 0.6em; }}
figure .img {{ background: #bbb; border: 0.5pt solid #555; }}
figcaption {{ font-family: "{st.head_font}"; font-size: 0.85em; line-height: 1.35; text-align: left;
  margin-top: 0.3em; }}
"""


def _article_html(
    lines: Sequence[Mapping[str, Any]], st: HtmlStyle, span: int, rng: random.Random, lead: bool
) -> str:
    """One article: its head (kicker, headline, decks, a byline set with them) and its text in columns."""
    k = 0
    while k < len(lines) and lines[k]["label"] in ("headline", "subhead") and k < 4:
        k += 1
    head, rest = lines[:k], lines[k:]
    hsize = st.body * st.head_scale * (1 + 0.12 * (span - 1)) * rng.uniform(0.85, 1.15)
    if lead:
        hsize *= 1.2
    column = (st.width - 2 * st.margin - (st.columns - 1) * st.gutter) / st.columns
    hsize = min(hsize, (span * column + (span - 1) * st.gutter) / 5)  # at least five characters a line
    parts = []
    for line in head:
        text = html.escape(_printable(line))
        if line["label"] == "headline":
            parts.append(f'<h1 style="font-size:{hsize:.1f}pt">{text}</h1>')
        else:  # a kicker above the headline, a deck under it
            parts.append(f'<h2 style="font-size:{st.body * rng.uniform(1.1, 1.45):.1f}pt">{text}</h2>')
    body = []
    for line in rest:
        label, text = line["label"], html.escape(_printable(line))
        if not text:
            continue
        if label == "caption":
            ratio = rng.uniform(0.45, 0.8)
            body.append(f'<figure><div class="img" style="height:{st.body * 12 * ratio:.0f}pt"></div>'
                        f"<figcaption>{text}</figcaption></figure>")
        elif label in ("section", "headline", "subhead"):  # an intertitle, a second headline in the text
            body.append(f"<h3>{text}</h3>")
        elif label in ("byline", "dateline") and len(text) < 40:
            body.append(f'<div class="byline">{text}</div>')
        else:
            body.append(f"<p>{text}</p>")
    classes = ["center"] if rng.random() < st.head_center else []
    if st.layout != "flow" and rng.random() < st.box_prob and span <= 2:
        classes.append("box")
    elif st.rules and rng.random() < 0.5:
        classes.append("rule")
    if lead:
        classes.append("lead")
    cols = span if st.layout != "flow" else 1
    style = f' style="grid-column: span {span}"' if st.layout == "grid" else ""
    text_style = f' style="column-count:{cols}"' if cols > 1 else ""
    return (f'<article class="{" ".join(classes)}"{style}><header>{"".join(parts)}</header>'
            f'<div class="text"{text_style}>{"".join(body)}</div></article>')


def page_html(
    gold: Mapping[str, Any], rng: random.Random, fonts: set[str] | None = None, stretch: float = 1.0
) -> tuple[str, HtmlStyle]:
    """The HTML page of a rendered page's gold, and the style it was drawn with (the page made
    ``stretch`` times as tall as drawn)."""
    st = HtmlStyle.draw(rng, fonts)
    st.height = round(st.height * stretch)
    furniture, blocks = _blocks(gold)
    mast = "".join(f"<span>{html.escape(_printable(line))}</span>" for line in furniture if _printable(line))
    arts = []
    for i, block in enumerate(blocks):
        chars = sum(len(_printable(line)) for line in block)
        span = 1 if chars < 300 else rng.choice((1, 2, 2, 3)) if chars < 1500 else rng.choice((2, 3, 3, 4))
        span = min(span, st.columns - 1 if st.layout == "stacks" else st.columns)
        arts.append((chars, max(span, 1), block, i == 0 and st.layout == "flow" and chars > 800))
    if st.layout == "stacks":  # columns of stacked articles: each article goes to the least filled stack
        widths, left = [], st.columns
        while left > 0:
            w = min(left, rng.choice((1, 1, 2, 2, 3)))
            widths.append(w)
            left -= w
        stacks: list[list[str]] = [[] for _ in widths]
        filled = [0.0] * len(widths)
        for chars, _, block, lead in arts:
            s = min(range(len(widths)), key=lambda j: (filled[j], j))
            stacks[s].append(_article_html(block, st, widths[s], rng, lead))
            filled[s] += chars / widths[s]
        inner = "".join(f'<div class="stack" style="flex:{w} 1 0">{"".join(a)}</div>' for w, a in zip(widths, stacks))
    else:
        inner = "".join(_article_html(block, st, span, rng, lead) for _, span, block, lead in arts)
    doc = (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>{_css(st)}</style></head>'
           f'<body><div class="masthead">{mast}</div><div class="page {st.layout}">{inner}</div></body></html>')
    return doc, st


def print_pdf(doc: str, chromium: str | None = None, timeout: float = 120) -> bytes:
    """Print an HTML document to PDF with headless chromium; raises ``RuntimeError`` when it cannot."""
    exe = chromium or find_chromium()
    if exe is None:
        raise RuntimeError("chromium not found: apt-get install -y chromium")
    with tempfile.TemporaryDirectory(prefix="segmenter-html-") as tmp:
        src, out = Path(tmp) / "page.html", Path(tmp) / "page.pdf"
        src.write_text(doc, encoding="utf-8")
        args = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out}", src.as_uri()]
        done = subprocess.run(args, capture_output=True, timeout=timeout)
        if not out.is_file():
            raise RuntimeError(f"chromium wrote no PDF (exit {done.returncode}): {done.stderr.decode()[-300:]}")
        return out.read_bytes()


def typeset_html(
    gold: Mapping[str, Any], rng: random.Random, chromium: str | None = None, one_page: bool = True
) -> tuple[bytes, dict[str, Any]]:
    """Typeset one rendered page's gold with HTML, CSS and chromium.

    Parameters
    ----------
    gold : Mapping
        The gold of a rendered page (as :func:`segmenter.typeset.typeset` takes it).
    rng : random.Random
        Draws the page's style and the articles' spans.
    chromium : str, optional
        The chromium executable (default: the one on PATH).
    one_page : bool, optional
        Set the page on one PDF page, as a newspaper prints it: where the text runs over, the page is
        printed again as many times as tall (the same columns and sizes, longer columns). Otherwise the
        browser breaks every column of the layout at the page's foot and goes on on the next page (each
        article running on in its own columns on the next page: not how a newspaper runs a story on).

    Returns
    -------
    pdf : bytes
    style : dict
        The page's style (fonts, layout, sizes), for the record.
    """
    import pypdfium2

    state = rng.getstate()
    doc, st = page_html(gold, rng)
    pdf = print_pdf(doc, chromium)
    pages = len(pypdfium2.PdfDocument(pdf))
    stretch = 1.0
    while one_page and pages > 1 and stretch < 64:
        stretch *= pages * 1.02  # a little room over: the columns of the taller page balance differently
        rng.setstate(state)  # the same draws: the same style and spans, only taller
        doc, st = page_html(gold, rng, stretch=stretch)
        pdf = print_pdf(doc, chromium)
        pages = len(pypdfium2.PdfDocument(pdf))
    return pdf, dict(vars(st), pages=pages)
