"""PDF input (segmenter/pdf.py) and visual-line text (segmenter/reflow.py) on small typeset pages.

tests/data/typeset_*.pdf were typeset by scripts/typeset.py's typesetter from training-split pages (a few
short articles each); the .txt and .layout.txt beside them are poppler's pdftotext output of the same
PDFs, and .gold.json their gold. Bad PDFs are built here byte by byte.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from segmenter import InputError, split_page
from segmenter.evaluate import normalize, score_page
from segmenter.pdf import PdfText, read_pdf
from segmenter.read import read_page
from segmenter.reflow import detect, reflow

DATA = Path(__file__).resolve().parent / "data"
ROOT = Path(__file__).resolve().parent.parent
ERAS = ("pd1998", "pd2019")


def _gold(era: str) -> dict:
    return json.loads((DATA / f"typeset_{era}.gold.json").read_text(encoding="utf-8"))


def _gold_text(era: str) -> str:
    """Every printed character of the page, in no particular order."""
    from segmenter.evaluate import strip_markdown

    return "".join(sorted(normalize(strip_markdown(line["text"])) for line in _gold(era)["lines"]))


def _pdf_bytes(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """A PDF file of these objects (1-based numbers, object 1 the catalog) with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer_extra, xref)
    return bytes(out)


def _page_without_text() -> bytes:
    """One page that draws a filled rectangle (a scan's image would be the same to a text reader)."""
    content = b"0 0 1 rg 100 100 300 400 re f"
    return _pdf_bytes(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        ]
    )


# --- reading a PDF ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("era", ERAS)
def test_pdf_text_keeps_every_printed_character(era: str) -> None:
    text = read_pdf((DATA / f"typeset_{era}.pdf").read_bytes(), name=f"{era}.pdf")
    assert isinstance(text, PdfText) and text.pages == 1
    assert "".join(sorted(normalize(line) for line in text.splitlines())) != ""
    # the same characters as the gold lines, whatever the reading order
    assert sorted(normalize(text)) == sorted(_gold_text(era))
    # every visual line is in exactly one paragraph, and the paragraphs hold the same text
    numbered = {i for i, line in enumerate(text.splitlines(), 1) if line.strip()}
    sources = [n for refs in text.reflowed.sources.values() for n, _ in refs]
    assert sorted(sources) == sorted(numbered)
    assert sorted("".join(normalize(line.text) for line in text.reflowed.lines)) == sorted(_gold_text(era))


@pytest.mark.parametrize("era", ERAS)
def test_split_page_on_a_pdf_path_finds_the_articles(era: str) -> None:
    path = DATA / f"typeset_{era}.pdf"
    gold = _gold(era)
    records = [a.to_dict() for a in split_page(path)]
    score = score_page(records, gold)
    assert score.correct_articles == score.gold_articles == len([a for a in gold["articles"] if a["id"]])
    # the same from the bytes and from a str path
    assert [a.to_dict() for a in split_page(path.read_bytes())] == records
    assert [a.to_dict() for a in split_page(str(path))] == records
    # every visual line of the PDF's text is in exactly one record
    text = read_page(path).text
    listed = sorted(ref["n"] for r in records for ref in r["lines"])
    assert listed == [i for i, line in enumerate(text.splitlines(), 1) if line.strip()]


def test_headline_set_large_is_read_as_the_headline() -> None:
    gold = _gold("pd1998")
    records = split_page(DATA / "typeset_pd1998.pdf")
    heads = {normalize(a.headline) for a in records if a.headline}
    assert {normalize(a["headline"]) for a in gold["articles"] if a["headline"]} <= heads


def test_cli_splits_a_pdf_and_a_text_page_in_one_batch(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    sample = sorted((ROOT / "data" / "pages").glob("*.txt"))[0]
    page.write_text(sample.read_text(encoding="utf-8"), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "segmenter.cli", "split", "--out-dir", str(tmp_path / "out"),
         str(DATA / "typeset_pd2019.pdf"), str(page)],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads((tmp_path / "out" / "typeset_pd2019.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert out["source"] == "typeset_pd2019.pdf"
    assert (tmp_path / "out" / "page.jsonl").stat().st_size > 0


# --- bad PDFs: one line each, bounded time ------------------------------------------------------------------------


def test_pdf_without_a_text_layer_says_so() -> None:
    with pytest.raises(InputError, match=r"^scan\.pdf: PDF without a text layer \(a scan\?\)"):
        read_pdf(_page_without_text(), name="scan.pdf")


def test_truncated_pdf_is_one_error() -> None:
    data = (DATA / "typeset_pd2019.pdf").read_bytes()
    with pytest.raises(InputError, match=r"^cut\.pdf: damaged"):
        read_pdf(data[: len(data) // 3], name="cut.pdf")


def test_encrypted_pdf_asks_for_decryption() -> None:
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >>" % (b"00" * 32, b"11" * 32)
    data = _pdf_bytes(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            encrypt,
        ],
        trailer_extra=b"/Encrypt 4 0 R /ID [<%s> <%s>] " % (b"ab" * 16, b"ab" * 16),
    )
    with pytest.raises(InputError, match=r"^locked\.pdf: encrypted PDF"):
        read_pdf(data, name="locked.pdf")


def test_pdf_bomb_of_ten_thousand_pages_is_refused_quickly() -> None:
    kids = b" ".join(b"3 0 R" for _ in range(10_000))
    data = _pdf_bytes(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + kids + b"] /Count 10000 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ]
    )
    t0 = time.perf_counter()
    with pytest.raises(InputError, match=r"^bomb\.pdf: PDF of 10000 pages"):
        read_pdf(data, name="bomb.pdf")
    assert time.perf_counter() - t0 < 5


def test_huge_compressed_stream_is_bounded() -> None:
    # half a million characters on one page from a 2 KB compressed stream
    content = zlib.compress(b"BT /F1 1 Tf 10 10 Td " + (b"(" + b"ab" * 500 + b") Tj ") * 500 + b"ET", 9)
    data = _pdf_bytes(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )
    t0 = time.perf_counter()
    with pytest.raises(InputError, match=r"^big\.pdf: page 1: \d+ characters on one page"):
        read_pdf(data, name="big.pdf")
    assert time.perf_counter() - t0 < 60


def test_bad_pdf_in_a_batch_loses_nothing_else(tmp_path: Path) -> None:
    from segmenter.batch import run_batch

    bad = tmp_path / "scan.pdf"
    bad.write_bytes(_page_without_text())
    results = list(run_batch([str(bad), str(DATA / "typeset_pd2019.pdf")], jobs=1))
    assert results[0].error == f"{bad}: PDF without a text layer (a scan?): run OCR on it first, e.g. ocrmypdf"
    assert results[1].error is None and results[1].articles >= 3


# --- visual-line text -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix, kind", [(".txt", "plain"), (".layout.txt", "layout")])
@pytest.mark.parametrize("era", ERAS)
def test_pdftotext_output_is_detected_and_reflowed_without_losing_a_line(era: str, suffix: str, kind: str) -> None:
    text = (DATA / f"typeset_{era}{suffix}").read_text(encoding="utf-8")
    if era == "pd1998":  # the small modern page has too few lines to tell
        assert detect(text) == kind
    flowed = reflow(text, kind)
    assert flowed is not None
    numbered = [i for i, line in enumerate(text.splitlines(), 1) if line.strip()]
    refs = [ref for refs in flowed.sources.values() for ref in refs]
    assert len(set(refs)) == len(refs) and sorted({n for n, _ in refs}) == numbered
    assert sorted("".join(normalize(line.text) for line in flowed.lines)) == sorted(normalize(text))
    if era == "pd1998":
        records = [a.to_dict() for a in split_page(text)]
        listed = [(ref["n"], ref.get("piece", 0)) for r in records for ref in r["lines"]]
        assert sorted(listed) == sorted(refs)


def test_pdftotext_paragraphs_are_joined() -> None:
    text = (DATA / "typeset_pd1998.txt").read_text(encoding="utf-8")
    flowed = reflow(text, "plain")
    assert flowed is not None
    assert len(flowed.lines) < len([line for line in text.splitlines() if line.strip()]) * 0.6
    gold = _gold("pd1998")
    paragraphs = {normalize(line["text"]) for line in gold["lines"] if len(line["text"]) > 40}
    joined = {normalize(line.text) for line in flowed.lines}
    assert len(paragraphs & joined) >= len(paragraphs) // 2


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["新华社北京1", "2月25日电（记者张三）"], "新华社北京12月25日电（记者张三）"),
        (["受理诉求202", "5万件，同比"], "受理诉求2025万件，同比"),
        (["the Belt and", "Road Initiative"], "the Belt and Road Initiative"),
        (["COVID-", "19疫情"], "COVID-19疫情"),
    ],
)
def test_a_number_broken_at_a_line_end_is_joined_without_a_space(lines: list[str], joined: str) -> None:
    # regression: a Chinese column breaks a number anywhere; the join set a space in it ("1 2月25日电"), and
    # the dateline was no longer read as one
    from segmenter.reflow import _join, _join_all

    assert _join_all(lines) == _join(*lines) == joined


def paragraph_groups(page: str) -> list[list[int]]:
    """The input line numbers of each paragraph that plain visual lines reflow into."""
    flowed = reflow(page, "plain")
    assert flowed is not None
    return [[n for n, _ in flowed.sources[line.n]] for line in flowed.lines]


def test_printed_lines_without_blank_lines_keep_heads_datelines_bylines_and_credits_apart() -> None:
    # regression: an OCR engine's printed lines with no blank line between paragraphs ran a headline on into
    # its report's dateline, a deck into its headline, a credit into the next article (a line as wide as a
    # paragraph's first line, whose indentation the engine dropped, reads as full)
    page = "\n".join([
        "社会工作事关党长期执政和国家长治久安事",
        "关社会和谐稳定和人民幸福安康面向最广泛",
        "的社会领域。",
        "（新华社北京1月25日电）",
        "中央军委印发军队党组织选举工作规定",
        "新华社北京1月25日电 日前中央军委印发《",
        "军队党组织选举工作规定》，自2月1日起施",
        "行。规定坚持以习近平新时代中国特色社会",
        "主义思想为指导以党章为根本遵循。",
        "凝心聚力推动社会工作高质量发展大局",
        "——我国社会工作取得新成效开创新局面",
        "新华社记者 张晓松 李三",
        "今天，全国社会工作会议在北京举行，会议",
        "总结了一年来的工作，部署了新的任务。",
        "图为会议现场，代表们认真听取报告。",
        "（新华社记者 旦增尼玛 摄）",
        "（上接第一版）中非开启外交关系七十周年",
        "之际，双方举行了一系列的纪念活动。",
        "探访世界海拔最高的铁路信号工区段",
        "1月23日，扎加藏布信号工区信号工成格乐",
        "在整治轨道电路箱盒引线，天气寒冷。",
    ])
    assert paragraph_groups(page) == [[1, 2, 3], [4], [5], [6, 7, 8, 9], [10], [11], [12], [13, 14], [15, 16], [17, 18], [19], [20, 21]]


def test_a_title_after_a_sentence_that_fills_its_line_is_not_run_into_the_paragraph_above() -> None:
    # regression: an OCR engine's lines with no blank line between paragraphs; a paragraph whose last sentence
    # ended exactly at the line's end took the next article's headline as its last words, whether the
    # headline was short, as wide as a column over its report's dateline, or cut at the measure in two lines
    page = "\n".join([
        "太阳耀斑事件如果足够强大，释放的高能粒子",
        "到达地球后会产生太阳辐射风暴，影响通信。",
        "相关论文发表在国际期刊《天文学报》上面。",
        "探访世界海拔最高的铁路信号工区",
        "海拔四千米的扎加藏布信号工区，坐落于西藏",
        "那曲市安多县岗尼乡，是海拔最高的工区之一",
        "，这里常年朔风凛冽，冬季气温常跌至零下。",
        "这是记者在二十六日开幕的全国会议上获悉。",
        "全国机动车保有量达到四亿六千九百万辆多",
        "新华社北京1月26日电 公安部26日发布最新",
        "统计，全国机动车保有量达4.69亿辆。",
        "这是记者在二十六日开幕的全国会议上获悉。",
        "凝心聚力推动社会工作高质量发展开创新局面",
        "大有作为",
        "——我国社会工作取得新成效",
    ])
    # … and a headline cut at the measure into two lines, over its deck
    assert paragraph_groups(page) == [[1, 2, 3], [4], [5, 6, 7, 8], [9], [10, 11], [12], [13, 14], [15]]


@pytest.mark.parametrize(
    ("text", "before", "full", "opens"),
    [
        ("新华社北京1月25日电 日前，中央军委", "中央军委印发军队党组织选举工作规定", True, True),
        ("新华社北京1月25日电 日前，中央军委", "会议结束后，代表们表示，据", True, False),  # 据|新华社…电: one sentence
        ("——我国社会工作取得新成效开创新局面", "凝心聚力推动社会工作高质量发展大局", True, True),
        ("——这是他第三次来到这里，他说", "记者在现场看到，工人们正在忙碌，", True, False),
        ("今天，全国社会工作会议在北京举行", "新华社记者 张晓松 李三", False, True),
        ("丰昊", "新华社记者 谢希瑶 黄韬铭 王", True, False),  # a byline that fills its line goes on
        ("）", "（新华社记者 旦增尼玛曲珠 摄", True, False),  # no line opens with a closing bracket
        ("（上接第一版）中非开启外交关系", "图为会议现场，代表们认真听取", True, True),
        ("中央军委印发军队党组织选举工作", "（新华社北京1月25日电）", True, True),
    ],
)
def test_which_visual_line_opens_a_paragraph(text: str, before: str, full: bool, opens: bool) -> None:
    from segmenter.reflow import _opens_paragraph

    assert _opens_paragraph(text, before, full) is opens


@pytest.mark.parametrize("blank", [True, False], ids=["a blank line between paragraphs", "an OCR engine's lines"])
def test_the_sample_pages_in_printed_lines_keep_their_articles(blank: bool) -> None:
    # without blank lines: 49 of 54 articles before a title after a sentence that fills its line was set apart
    from segmenter import load_model
    from segmenter.render import printed_lines
    from segmenter.train import annotated_pages

    model = load_model()
    real = annotated_pages(ROOT / "data" / "pages", ROOT / "data" / "gold")
    for measure in (14, 18, 24):
        for text, gold in real:
            printed, printed_gold = printed_lines(text, gold, measure, blank=blank)
            assert detect(printed) == "plain"
            records = [a.to_dict() for a in model.split(printed, source=gold["source"])]
            score = score_page(records, printed_gold)
            assert score.correct_articles == score.gold_articles, (measure, gold["source"])


def test_paragraph_text_is_not_reflowed() -> None:
    for page in sorted((ROOT / "data" / "pages").glob("*.txt")):
        assert detect(page.read_text(encoding="utf-8")) is None, page.name


def test_reflow_false_reads_the_lines_as_they_come() -> None:
    from segmenter.api import load_model

    text = (DATA / "typeset_pd1998.txt").read_text(encoding="utf-8")
    model = load_model()
    raw = model.split(text, reflow=False)
    flowed = model.split(text)
    # as they come, every printed line is a line of its own: many more blocks than paragraphs
    assert sum(len(a.blocks) for a in raw) > sum(len(a.blocks) for a in flowed)


def test_a_one_line_text_ending_in_pdf_is_text_unless_the_file_exists(tmp_path: Path) -> None:
    from segmenter.pdf import as_path

    assert as_path("见附件 report.pdf") is None  # no such file: page text
    page = tmp_path / "page.pdf"
    page.write_bytes((DATA / "typeset_pd2019.pdf").read_bytes())
    assert as_path(str(page)) == str(page)
    assert as_path(page) == str(page)
    assert as_path(f"{page}\n第二行") is None


def test_heading_across_columns_does_not_run_into_the_body() -> None:
    # pdftotext writes a headline set across three columns as a block of its own, wider than any column
    # line and ending inside a sentence; the body's first paragraph starts in the next block
    head = "某市召开全市经济工作会议部署今年重点任务确保经济平稳运行"
    body = "本报讯 记者张三报道：某市今天召开经济工作会议，总结去年工作，部署今年任务。会上，市领导就做好今年经济工作提出了明确要求，强调要稳字当头、稳中求进，扎实推进各项重点工作落实落地见效。"
    column = [body[i : i + 15] for i in range(0, len(body), 15)]
    text = "\n".join([head, "", *column, "", *column, ""])
    flowed = reflow(text, "plain")
    assert flowed is not None
    assert flowed.lines[0].text.lstrip("# ") == head
    assert flowed.lines[1].text.startswith("本报讯")


_PROSE = (
    "本报讯 记者李明报道：今年以来，全省各地认真落实各项惠民政策，城乡居民收入稳步增长，市场供应充足，"
    "物价总体平稳。据统计，全省社会消费品零售总额比去年同期增长百分之九，农村市场增速快于城市市场，"
    "节日期间各大商场客流明显增加，消费者购买年货的热情高涨，超市里的米面粮油和肉蛋奶供应充足。"
)


def _lines(text: str, width: int = 15) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)]


def test_double_spaced_columns_are_read_column_by_column() -> None:
    # pdftotext writes a block a line where the leading is wide, and two columns' lines row by row
    left, right = _lines(_PROSE), _lines(_PROSE[7:])
    rows = [line for pair in zip(left, right) for line in pair]
    flowed = reflow("\n\n".join(rows) + "\n", "plain")
    assert flowed is not None
    text = "".join(line.text for line in flowed.lines)
    assert "".join(left[: len(right)]) in text


def test_double_spaced_single_column_keeps_its_order() -> None:
    lines = _lines(_PROSE + _PROSE[7:])
    flowed = reflow("\n\n".join(lines) + "\n", "plain")
    assert flowed is not None
    assert "".join(line.text for line in flowed.lines) == "".join(lines)


def test_closing_bracket_credit_is_not_joined_with_the_next_headline() -> None:
    # a dateline or credit in brackets ends one article; the short headline after it starts the next
    column = _lines(_PROSE)
    text = "\n".join([*column, "", "（赵玉平阎蒙立）", "", "湖北送医送药", "", *column, ""])
    flowed = reflow(text, "plain")
    assert flowed is not None
    texts = [line.text.lstrip("# ") for line in flowed.lines]
    assert "（赵玉平阎蒙立）" in texts and "湖北送医送药" in texts


def test_a_page_of_short_titles_and_names_is_not_taken_for_printed_lines() -> None:
    # a page of calligraphy (a couplet and its writer, again and again) has many lines of one width and
    # no sentence end, like pdftotext output, but few of its lines are at that width (found on a reserved
    # 1998 page of New Year calligraphy, which was reflowed into nonsense: article F1 0.90 -> 0.10)
    han = "春风送暖万家欢乐新年好瑞雪兆丰年山河锦绣国泰民安岁月长新龙腾虎跃" * 2
    names = ["(张仃)", "(王镛)", "(刘勃舒)", "(夏湘平)"]
    lines = []
    for k, n in enumerate([8, 14, 11, 14, 10, 14, 30, 14, 5, 14, 12, 14, 16, 14, 5]):
        lines += [han[k : k + n] + "(行书)", "", names[k % 4], ""]
    text = "\n".join(lines)
    assert detect(text) is None and reflow(text) is None


# --- printed rules ----------------------------------------------------------------------------------------------


def _ruled_page(rule_y: float | None) -> bytes:
    """Two stories set in one column of Helvetica, one under the other, with a rule drawn between them."""
    lines = [(700, "First story opens here and runs on."), (688, "It ends in this line."),
             (664, "Second story begins below it."), (652, "And it ends here too.")]
    text = b"".join(b"BT /F1 10 Tf 50 %d Td (%s) Tj ET\n" % (y, t.encode()) for y, t in lines)
    rule = b"0.5 w 50 %.1f m 300 %.1f l S\n" % (rule_y, rule_y) if rule_y is not None else b""
    content = text + rule
    return _pdf_bytes(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def test_a_rule_printed_between_two_stories_sets_the_second_apart() -> None:
    ruled = read_pdf(_ruled_page(676.0), name="ruled.pdf").reflowed
    plain = read_pdf(_ruled_page(None), name="plain.pdf").reflowed
    for flowed in (ruled, plain):  # every printed character in a paragraph either way
        joined = "".join(line.text for line in flowed.lines).replace(" ", "")
        assert joined == "Firststoryopenshereandrunson.Itendsinthisline.Secondstorybeginsbelowit.Anditendsheretoo."
    # a wide gap (two blank lines) before the paragraph under the rule, one blank line everywhere else
    gaps = {line.text[:12]: line.n - prev.n - 1 for prev, line in zip(ruled.lines, ruled.lines[1:])}
    assert gaps.pop("Second story") == 2 and set(gaps.values()) <= {1}
    assert all(b.n - a.n == 2 for a, b in zip(plain.lines, plain.lines[1:]))


def test_a_headline_as_wide_as_a_column_does_not_run_on_into_its_lead() -> None:
    """Regression: a headline about a column wide, which pdftotext writes as a block of one line (its size
    sets it apart), reached the column's measure and read as a paragraph running on at a column's end:
    the headline and the lead became one paragraph."""
    head = "全国交警力保交通安全形势平稳"  # 14 characters: as wide as a column of 15
    column = _lines(_PROSE)
    text = "\n".join([*column, "", head, "", *column, ""])
    flowed = reflow(text, "plain")
    assert flowed is not None
    texts = [line.text.lstrip("# ") for line in flowed.lines]
    assert head in texts
    assert any(t.startswith("本报讯") for t in texts[texts.index(head) + 1 :])


def test_a_kicker_and_a_headline_in_two_blocks_are_two_headings() -> None:
    """Regression: a kicker over a shorter headline (two sizes: two blocks in pdftotext's text) was joined
    as one heading set in two lines; a heading set in several lines is one block."""
    kicker, head = "全市经济工作会议", "部署重点任务"
    column = _lines(_PROSE)
    flowed = reflow("\n".join([*column, "", kicker, "", head, "", *column, ""]), "plain")
    assert flowed is not None
    texts = [line.text.lstrip("# ") for line in flowed.lines]
    assert kicker in texts and head in texts
    # the same two lines in one block are one heading set in two lines
    flowed = reflow("\n".join([*column, "", kicker, head, "", *column, ""]), "plain")
    assert flowed is not None
    assert kicker + head in [line.text.lstrip("# ") for line in flowed.lines]
