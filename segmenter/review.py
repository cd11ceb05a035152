"""The review page: what the segmenter did with a page, as one self-contained HTML file.

``segmenter review PAGE... --out DIR`` (or ``segmenter split --format html``) writes ``DIR/PAGE.html`` per
page -- the page's lines as printed, each coloured by its article with its label and confidence, unsure
lines flagged, the article list beside them (click one to highlight its lines) -- and ``DIR/index.html``,
the pages of the batch sorted by how unsure the segmenter was. No network: CSS and script are inline.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .records import Article

#: a line whose label has a probability below this is flagged as unsure
LOW_CONFIDENCE = 0.6
#: the batch's index, written beside the pages' files
INDEX_NAME = "index.html"
#: the page's summary, read back by :func:`write_index`
_SUMMARY_META = "segmenter-page"

_CSS = """
body{font:14px/1.5 system-ui,"Noto Sans CJK SC","Source Han Sans SC",sans-serif;margin:0;color:#222}
header{padding:8px 16px;border-bottom:1px solid #ccc;background:#fafafa}
h1{font-size:18px;margin:0}
main{display:flex;align-items:flex-start}
#page{flex:3;padding:8px 16px;min-width:0}
#articles{flex:2;position:sticky;top:0;max-height:100vh;overflow:auto;padding:8px 16px;border-left:1px solid #ccc}
ol{list-style:none;margin:0;padding:0}
.line{display:flex;gap:8px;padding:1px 4px;border-left:6px solid hsl(var(--hue),55%,45%);
  background:hsl(var(--hue),70%,94%);margin:1px 0;cursor:pointer}
.line.other{border-left-color:#999;background:#eee}
.line.start{margin-top:6px}
.blank{height:8px}
.n{color:#888;min-width:3em;text-align:right;font-variant-numeric:tabular-nums}
.label{min-width:5.5em;font-size:12px;color:#555}
.conf{min-width:3em;font-size:12px;color:#555;font-variant-numeric:tabular-nums}
.text{flex:1;white-space:pre-wrap;word-break:break-all}
.low .conf{color:#b00;font-weight:bold}
.flag{color:#b00;font-size:12px}
.line.hl{outline:2px solid hsl(var(--hue),60%,35%);background:hsl(var(--hue),85%,80%)}
.line.dim{opacity:.45}
.article{border-left:6px solid hsl(var(--hue),55%,45%);padding:4px 8px;margin:4px 0;cursor:pointer;
  background:hsl(var(--hue),70%,96%)}
.article.other{border-left-color:#999;background:#f4f4f4}
.article.active{outline:2px solid #333}
.article .meta{font-size:12px;color:#555}
.legend span{margin-right:12px}
table{border-collapse:collapse}
td,th{padding:2px 8px;border-bottom:1px solid #ddd;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}
"""

_SCRIPT = """
(function(){
  var items = document.querySelectorAll('.article');
  var lines = document.querySelectorAll('.line');
  function show(k){
    var first = null;
    lines.forEach(function(el){
      var on = (' ' + el.dataset.articles + ' ').indexOf(' ' + k + ' ') >= 0;
      el.classList.toggle('hl', on); el.classList.toggle('dim', !on);
      if(on && !first){ first = el; }
    });
    items.forEach(function(el){ el.classList.toggle('active', el.dataset.article === k); });
    if(first){ first.scrollIntoView({block: 'center'}); }
  }
  items.forEach(function(el){
    el.addEventListener('click', function(){ show(el.dataset.article); });
    el.addEventListener('keydown', function(e){ if(e.key === 'Enter'){ show(el.dataset.article); } });
  });
  lines.forEach(function(el){
    el.addEventListener('click', function(){ show(el.dataset.articles.split(' ')[0]); });
  });
})();
"""


@dataclass
class PageSummary:
    """How sure the segmenter was about one page (what the index sorts by)."""

    source: str
    lines: int
    articles: int
    unsure: int
    uncertainty: float

    @classmethod
    def of(cls, articles: Sequence[Article], low: float = LOW_CONFIDENCE) -> PageSummary:
        """The summary of a page's records: ``uncertainty`` is the mean of 1 - confidence over its lines."""
        conf = [ref.confidence for a in articles for ref in a.lines]
        return cls(
            source=articles[0].source if articles else "",
            lines=len(conf),
            articles=sum(a.kind != "other" for a in articles),
            unsure=sum(c < low for c in conf),
            uncertainty=round(sum(1 - c for c in conf) / len(conf), 4) if conf else 0.0,
        )


def _hue(k: int) -> int:
    return round(k * 137.508) % 360  # the golden angle: neighbouring articles get distant colours


def _article_name(a: Article) -> str:
    if a.kind == "other":
        return "Leftovers (page furniture, no article)"
    return a.headline or f"({a.kind}, no headline)"


def review_page(articles: Sequence[Article], text: str, *, low: float = LOW_CONFIDENCE) -> str:
    """One page's review as a self-contained HTML document.

    Parameters
    ----------
    articles : sequence of Article
        The page's records (:func:`~segmenter.api.split_page`).
    text : str
        The page text they were split from: its lines are shown as printed, blank lines included.
    low : float, default=LOW_CONFIDENCE
        Lines whose label has a lower probability are flagged as unsure.
    """
    from .lines import _BREAK

    physical = _BREAK.split(text)
    # what each input line became: (article number, label, confidence, flags) per piece
    refs: dict[int, list[tuple[int, str, float, list[str]]]] = {}
    starts: set[int] = set()
    for k, a in enumerate(articles, 1):
        shown = {n for b in a.blocks for n in b.lines}
        previous = 0
        for j, ref in enumerate(a.lines):
            flags = []
            if ref.confidence < low:
                flags.append("unsure label")
            if ref.n < previous:
                flags.append("read out of file order")
            if a.kind != "other" and ref.label not in ("headline", "subhead", "byline") and ref.n not in shown:
                flags.append("repeat, text kept once")
            if j == 0:
                starts.add(ref.n)
            previous = max(previous, ref.n)
            refs.setdefault(ref.n, []).append((k, ref.label, ref.confidence, flags))
    other = {k for k, a in enumerate(articles, 1) if a.kind == "other"}
    summary = PageSummary.of(articles, low)
    name = summary.source or "(unnamed page)"

    rows = []
    for n, raw in enumerate(physical, 1):
        if n not in refs:
            rows.append(f'<li class="blank" data-n="{n}"></li>' if not raw.strip() else _unassigned(n, raw))
            continue
        pieces = refs[n]
        k = pieces[0][0]
        conf = min(p[2] for p in pieces)
        flags = sorted({f for p in pieces for f in p[3]})
        classes = ["line"]
        classes += ["low"] if conf < low else []
        classes += ["other"] if k in other else []
        classes += ["start"] if n in starts else []
        label = "/".join(dict.fromkeys(p[1] for p in pieces))
        numbers = " ".join(str(x) for x in dict.fromkeys(p[0] for p in pieces))
        flag = f' <span class="flag" title="{html.escape(", ".join(flags))}">⚠ {html.escape(", ".join(flags))}</span>'
        rows.append(
            f'<li class="{" ".join(classes)}" id="L{n}" data-n="{n}" data-articles="{numbers}" '
            f'data-label="{html.escape(label)}" data-confidence="{conf:.4f}" style="--hue:{_hue(k)}">'
            f'<span class="n">{n}</span><span class="label">{html.escape(label)}</span>'
            f'<span class="conf">{conf:.2f}</span><span class="text">{html.escape(raw.strip())}'
            f"{flag if flags else ''}</span></li>"
        )

    items = []
    for k, a in enumerate(articles, 1):
        meta = [a.kind] + [x for x in (a.byline, a.dateline) if x]
        if a.continued:
            meta.append("continued from another page")
        unsure = sum(ref.confidence < low for ref in a.lines)
        meta.append(f"{len(a.lines)} lines" + (f", {unsure} unsure" if unsure else ""))
        subs = "".join(f'<div class="sub">{html.escape(s)}</div>' for s in a.subheadlines)
        items.append(
            f'<li class="article{" other" if a.kind == "other" else ""}" data-article="{k}" tabindex="0" '
            f'style="--hue:{_hue(k)}"><b class="headline">{k}. {html.escape(_article_name(a))}</b>{subs}'
            f'<div class="meta">{html.escape(" · ".join(meta))}</div></li>'
        )

    facts = (
        f"{summary.lines} lines, {summary.articles} articles, {summary.unsure} unsure lines "
        f"(label probability &lt; {low:g}), uncertainty {summary.uncertainty:.3f}"
    )
    return _document(
        f"{name} — segmenter review",
        _summary_meta(summary),
        f"<header><h1>{html.escape(name)}</h1><p>{facts}. Click an article to highlight its lines; "
        "⚠ marks unsure labels, repeats and lines read out of file order.</p></header>"
        f'<main><section id="page"><ol class="lines">{"".join(rows)}</ol></section>'
        f'<aside id="articles"><h2>Articles</h2><ol>{"".join(items)}</ol></aside></main>'
        f"<script>{_SCRIPT}</script>",
    )


def _unassigned(n: int, raw: str) -> str:
    # a line the records do not take (never expected: every non-empty line is in one record); shown, flagged
    return (
        f'<li class="line low" id="L{n}" data-n="{n}" data-articles="" style="--hue:0"><span class="n">{n}</span>'
        f'<span class="label">-</span><span class="conf">-</span><span class="text">{html.escape(raw.strip())}'
        ' <span class="flag">⚠ in no record</span></span></li>'
    )


def _summary_meta(summary: PageSummary) -> str:
    data = json.dumps(summary.__dict__, ensure_ascii=False)
    return f'<meta name="{_SUMMARY_META}" content="{html.escape(data, quote=True)}">'


def _document(title: str, head: str, body: str) -> str:
    from .write import HTML_GENERATOR

    return (
        '<!DOCTYPE html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
        f"{HTML_GENERATOR}\n{head}\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def read_summary(path: str | os.PathLike[str]) -> PageSummary | None:
    """The summary a review page carries in its head; ``None`` for a file without one."""
    import re

    try:
        with open(path, encoding="utf-8") as fh:
            head = fh.read(8192)
    except (OSError, UnicodeDecodeError):
        return None
    found = re.search(rf'<meta name="{_SUMMARY_META}" content="([^"]*)">', head)
    if not found:
        return None
    data: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return PageSummary(**data)


def index_page(pages: Sequence[tuple[str, PageSummary]]) -> str:
    """The index of a batch: one row per page (``(file name, summary)``), the least sure first."""
    ranked = sorted(pages, key=lambda item: (-item[1].uncertainty, -item[1].unsure, item[0]))
    rows = "".join(
        f'<tr><td><a href="{html.escape(file)}">{html.escape(s.source or file)}</a></td>'
        f'<td class="num">{s.uncertainty:.3f}</td><td class="num">{s.unsure}</td>'
        f'<td class="num">{s.lines}</td><td class="num">{s.articles}</td></tr>'
        for file, s in ranked
    )
    return _document(
        "segmenter review",
        "",
        f"<header><h1>segmenter review: {len(ranked)} pages</h1><p>The least sure pages first: uncertainty is "
        f"the mean of 1 − confidence over a page's lines; unsure lines have a label probability below "
        f"{LOW_CONFIDENCE:g}.</p></header><main><section id=\"page\"><table><thead><tr><th>page</th>"
        "<th>uncertainty</th><th>unsure lines</th><th>lines</th><th>articles</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></section></main>",
    )


def write_index(out_dir: str | os.PathLike[str], files: Sequence[str | os.PathLike[str]]) -> Path:
    """Write ``out_dir/index.html`` for the review pages ``files`` (each read back for its summary)."""
    from .write import write_atomic

    pages = []
    for file in files:
        summary = read_summary(file)
        if summary is not None:
            pages.append((os.path.relpath(file, out_dir), summary))
    target = Path(out_dir) / INDEX_NAME
    write_atomic(target, index_page(pages))
    return target
