"""PDF layouts from another typesetter than reportlab: a browser engine's (segmenter/typeset_html.py).

tests/data/chromium_layout.pdf is tests/data/chromium_layout.html printed by headless chromium (Debian's
``chromium --headless --print-to-pdf``): two headlines set large side by side over a gutter narrower than
half their size, text with a wide leading and spaced paragraphs, a justified line spread wide where a long
web address went down to the next line, and fonts set in CSS pixels under a 0.75 scale. The tests that
print with chromium themselves skip where it (or a CJK font) is missing; ``.ci/run`` installs both.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from segmenter.evaluate import strip_markdown
from segmenter.pdf import read_pdf
from segmenter.reflow import VLine, reading_order

DATA = Path(__file__).resolve().parent / "data"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _has_cjk_font() -> bool:
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=30).stdout
    except (FileNotFoundError, subprocess.TimeoutExpired):
        return False
    return "WenQuanYi Micro Hei" in out


needs_chromium = pytest.mark.skipif(
    CHROMIUM is None or not _has_cjk_font(),
    reason="chromium or fonts-wqy-microhei is not installed (.ci/run installs both)",
)

HEADLINES = ["河边小城新修图书馆开门迎客", "山村学校用上太阳能热水器了"]


def _source_paragraphs() -> list[str]:
    """The headlines and paragraphs of the test page's HTML, in reading order, without spaces."""
    html = (DATA / "chromium_layout.html").read_text(encoding="utf-8")
    return [re.sub(r"\s+", "", t) for t in re.findall(r"<(?:h1|p)>(.*?)</(?:h1|p)>", html)]


def _read(pdf: bytes) -> list[str]:
    return [re.sub(r"\s+", "", line.text) for line in read_pdf(pdf, name="chromium_layout.pdf").reflowed.lines]


def _check_reading(paras: list[str]) -> None:
    # each headline whole and marked as one, read before its own text and after the first article's
    assert [p for p in paras if p.startswith("#")] == [f"#{h}" for h in HEADLINES]
    assert [strip_markdown(p) for p in paras] == _source_paragraphs()


def test_headlines_side_by_side_over_a_narrow_gutter_are_two_headlines() -> None:
    """Regression: the two headlines' first lines, on one baseline 8 pt apart (less than half their
    22 pt), were read as one line "河边小城新修图书馆山村学校用上", and their second lines as another
    headline; a justified line spread wide was cut into pieces at its wide spaces."""
    _check_reading(_read((DATA / "chromium_layout.pdf").read_bytes()))


def test_font_size_is_the_printed_size_under_a_scaled_text_matrix() -> None:
    """chromium writes a 9 pt font as 12 (CSS pixels) under a 0.75 scale: the size is the printed one."""
    from segmenter.pdf import _chars, _pdfium

    pdfium = _pdfium()
    doc = pdfium.PdfDocument((DATA / "chromium_layout.pdf").read_bytes())
    page = doc[0]
    textpage = page.get_textpage()
    sizes = Counter(round(c[5]) for c in _chars(textpage.raw, pdfium.raw, page.get_height()))
    textpage.close()
    page.close()
    doc.close()
    assert sizes.most_common(1)[0][0] == 9 and 22 in sizes


def _column(x0: float, tops: list[float], width: float = 90.0, size: float = 9.0) -> list[VLine]:
    return [VLine((), f"字{x0}{t}", x0, x0 + width, t, t + size, size) for t in tops]


def test_a_wide_row_sticking_into_the_next_column_does_not_scramble_the_reading_order() -> None:
    """Regression: a table row wider than its article's two columns crossed the gutter into the column
    beside, so no cut separated them and every block was read by its left end: the first column of
    each article, then the second's. A cut a block sticks out over by less than a quarter of its width
    is taken."""
    a1, a2 = _column(40, [100, 112, 124]), _column(140, [100, 112, 124])
    wide = [VLine((), "宽表格行", 40, 270, 150, 159, 9.0)]
    b1, b2 = _column(40, [170, 182, 194]), _column(140, [170, 182, 194])
    beside = _column(250, [100 + 12 * k for k in range(9)])
    order = reading_order([beside, b2, a2, wide, b1, a1], lambda b: False)
    assert order == [a1, a2, wide, b1, b2, beside]


def test_the_html_page_prints_every_gold_line_once() -> None:
    import html as html_

    from segmenter.typeset_html import page_html

    gold = _small_gold()
    for seed in range(6):  # every layout: grid, stacked columns, one flow
        html, style = page_html(gold, random.Random(seed), fonts={"WenQuanYi Micro Hei"})
        assert style.layout in ("grid", "stacks", "flow")
        for line in gold["lines"]:
            text = strip_markdown(line["text"]).strip()
            assert html.count(f">{html_.escape(text)}<") == 1, (seed, text)  # one element's whole text


def _small_gold() -> dict:
    import json

    return json.loads((DATA / "typeset_pd2019.gold.json").read_text(encoding="utf-8"))


@needs_chromium
def test_chromium_prints_the_test_page_as_committed() -> None:
    """The committed PDF is what chromium prints from the committed HTML (read the same way)."""
    from segmenter.typeset_html import print_pdf

    pdf = print_pdf((DATA / "chromium_layout.html").read_text(encoding="utf-8"))
    _check_reading(_read(pdf))


@needs_chromium
def test_a_page_typeset_by_chromium_holds_every_gold_character_on_one_page() -> None:
    from segmenter.typeset_html import typeset_html

    gold = _small_gold()
    pdf, style = typeset_html(gold, random.Random(3))
    assert style["pages"] == 1
    text = read_pdf(pdf, name="page.pdf")
    want = Counter(c for line in gold["lines"] for c in strip_markdown(line["text"]) if not c.isspace())
    assert Counter(c for c in text if not c.isspace()) == want


def test_a_page_set_with_a_wide_leading_and_spaced_paragraphs_keeps_its_columns_whole() -> None:
    """Regression: lines 1.8 sizes apart with 0.8 more between paragraphs were a block each (at most
    1.9 sizes apart), and the XY-cut cut the page at every paragraph gap two columns shared."""
    from segmenter.pdf import _block_gap
    from segmenter.reflow import blocks_of

    tops, top = [], 100.0
    for k in range(24):
        tops.append(top)
        top += 9.0 * (1.8 + (0.8 if k % 4 == 3 else 0.0))
    columns = [_column(40, tops), _column(140, tops)]
    lines = [v for col in columns for v in col]
    gap = _block_gap(lines, 9.0)
    assert 2.6 < gap < 3.2
    assert sorted(map(len, blocks_of(lines, gap=gap, align=0.6))) == [24, 24]


def test_a_headline_centred_over_three_columns_is_read_before_the_first_column() -> None:
    """Regression: a short headline centred over its article's three columns covers only the middle one;
    it was widened to the right only, so the first column was read before the headline."""
    head = [VLine((), "居中的标题", 150, 220, 80, 100, 20.0)]
    cols = [_column(x, [110, 122, 134, 146]) for x in (40, 140, 240)]
    order = reading_order([cols[2], head, cols[0], cols[1]], lambda b: b[0].size > 12)
    assert order == [head, *cols]


def test_headlines_side_by_side_over_their_own_columns_each_head_their_text() -> None:
    """Regression: two articles' headlines side by side, each over its own two columns, over a third
    article set below across the middle columns (no clean cut down the page): the only cut left ran under
    the two headlines, so both were read before either body."""
    left = [VLine((), "左边的标题", 40, 230, 80, 100, 20.0)]
    deck = [VLine((), "——左边的副题", 40, 200, 104, 116, 12.0)]
    right = [VLine((), "右边的标题", 240, 430, 80, 100, 20.0)]
    a1, a2 = _column(40, [120, 132, 144, 156]), _column(140, [120, 132, 144])
    b1, b2 = _column(240, [110, 122, 134]), _column(340, [110, 122, 134, 146, 158, 170, 182])
    low = [VLine((), "下面的标题", 140, 330, 165, 185, 20.0)]
    c1, c2 = _column(140, [190, 202]), _column(240, [190, 202])
    heading = lambda b: b[0].size > 11  # noqa: E731
    order = reading_order([c2, b2, low, a2, right, c1, b1, deck, a1, left], heading)
    assert order == [left, deck, a1, a2, right, b1, b2, low, c1, c2]


def test_a_rule_under_all_of_an_articles_columns_does_not_cut_it_between_them() -> None:
    """An article's rule underlines all its columns and its last column ends higher: the rule closes the
    article, not each column; the story set under the rule is set apart."""
    from segmenter.pdf import Rule, layout_paragraphs

    def col(x0: float, tops: list[float], text: str) -> list[VLine]:
        return [VLine((), f"{text}{k}的一行文字写满了整整一栏宽度", x0, x0 + 90, t, t + 9, 9.0) for k, t in enumerate(tops)]

    first = col(40, [100 + 12 * k for k in range(8)], "甲")
    second = col(140, [100 + 12 * k for k in range(5)], "乙")  # the article's last column, shorter
    under = col(40, [210 + 12 * k for k in range(4)], "丙")  # the next story, under the rule
    rule = Rule(0, 40, 230, 198.0)
    paras, _ = layout_paragraphs(first + second + under, [rule])
    ruled = [p.text[:1] for p in paras if p.ruled]
    assert ruled == ["丙"]
    paras, _ = layout_paragraphs(first + second + under, [])
    assert not any(p.ruled for p in paras)


def test_a_headline_centred_over_six_columns_heads_the_two_columns_left_of_it() -> None:
    """Regression: a headline centred over six columns covers the middle two; the columns to its left were
    taken one at a time, each only if the heading stood in the middle of what it would then head, so the
    second column from the left (not yet the middle) stopped the first from being taken, and the first two
    columns were read before the headline."""
    head = [VLine((), "居中的大标题", 240, 430, 80, 100, 20.0)]
    cols = [_column(x, [110, 122, 134, 146]) for x in (40, 140, 240, 340, 440, 540)]
    order = reading_order([cols[3], head, cols[0], cols[5], cols[1], cols[2], cols[4]], lambda b: b[0].size > 12)
    assert order == [head, *cols]


def test_a_rule_under_a_headline_does_not_set_its_text_apart() -> None:
    """A rule printed under a headline (or between it and its deck) decorates the head block: the text
    under it is the headline's, not an article of its own."""
    from segmenter.pdf import Rule, layout_paragraphs

    head = [VLine((), "标题下有一道线", 40, 230, 80, 100, 20.0)]
    text = [VLine((), f"甲{k}的一行文字写满了整整一栏宽度", 40, 130, t, t + 9, 9.0) for k, t in enumerate([110, 122, 134, 146])]
    paras, _ = layout_paragraphs(head + text, [Rule(0, 40, 230, 104.0)])
    assert paras[0].head and not any(p.ruled for p in paras)


def test_stacks_of_articles_side_by_side_are_read_stack_by_stack() -> None:
    """Regression: articles stacked in columns of the page that end where they end (a browser's flex
    columns) leave heights where every stack happens to have a gap; cut there first, the page was read
    in bands, the text of the next stack between two articles of the first. The wider gap wins: the
    gutter running down the page."""
    head_a = [VLine((), "甲标题", 40, 230, 80, 94, 14.0)]
    a1, a2 = _column(40, [104, 116, 128]), _column(140, [104, 116, 128])
    head_b = [VLine((), "乙标题", 40, 230, 160, 174, 14.0)]
    b1, b2 = _column(40, [184, 196, 208]), _column(140, [184, 196, 208])
    s1, s2 = _column(260, [80, 92, 104, 116, 128]), _column(260, [150, 162, 174, 186, 198, 210, 222])
    heading = lambda b: b[0].size > 11  # noqa: E731
    order = reading_order([s2, b2, head_b, a2, s1, b1, a1, head_a], heading)
    assert order == [head_a, a1, a2, head_b, b1, b2, s1, s2]


def test_a_headline_is_not_widened_over_a_column_that_runs_beside_it() -> None:
    """Regression: a headline three times the text's size was widened over the gutter into the next
    stack of articles, whose paragraph happened to start level with its text; no cut then separated the
    stacks. A column whose text runs on beside the heading is another article's."""
    head_b = [VLine((), "乙标题", 40, 230, 150, 170, 20.0)]
    b1, b2 = _column(40, [180, 192, 204]), _column(140, [180, 192, 204])
    s1, s2 = _column(250, [80, 92, 104, 116, 128, 140, 152]), _column(250, [180, 192, 204, 216])
    heading = lambda b: b[0].size > 11  # noqa: E731
    order = reading_order([s2, b2, s1, b1, head_b], heading)
    assert order == [head_b, b1, b2, s1, s2]


def _scattered(n: int, seed: int = 0) -> list[list[VLine]]:
    rng = random.Random(seed)
    blocks = []
    for k in range(n):
        x, y, size = rng.uniform(20, 800), rng.uniform(20, 3000), 20.0 if k % 2 else 9.0
        blocks.append([VLine((), "字", x, x + 30, y, y + size, size)])
    return blocks


def test_reading_order_of_many_scattered_blocks_grows_about_linearly() -> None:
    """Regression: every cut asked each block's box again (a min and max over its lines), and the
    headings' widening and the rough cut weighed every block against every other: 2,000 scattered
    blocks took 4 s, and a PDF may hold 400,000 characters. Each block's box and heading test are now
    worked out once, and above a newspaper page's count of blocks neither pass is tried."""
    import time

    heading = lambda b: b[0].size > 11  # noqa: E731
    times = []
    for n in (2000, 16000):
        blocks = _scattered(n)
        start = time.process_time()
        order = reading_order(blocks, heading)
        times.append(time.process_time() - start)
        assert sorted(map(id, order)) == sorted(map(id, blocks))
    # n log n allows about 10x for 8x the blocks; the quadratic passes took 64x and more
    assert times[1] < 30 * max(times[0], 0.01)
