"""Issue 19: the cost of a page grows with its lines, linearly, whatever the lines are; and the shortcuts
that make a line cheap (distinct lines scored once, records written in pieces, paragraphs joined at once)
give exactly what the plain computation gives."""

from __future__ import annotations

import functools
import json
import random
import time

import pytest

from segmenter import load_model
from segmenter.reflow import _join, _join_all
from segmenter.write import record_json, to_jsonl


def _page(kind: str, n: int) -> str:
    rng = random.Random(n)
    if kind == "one-char":
        return "a\n" * n
    if kind == "random-cjk":  # every line different: nothing to share between lines
        return "".join("".join(chr(rng.randrange(0x4E00, 0x9FA6)) for _ in range(rng.randint(1, 2))) + "\n" for _ in range(n))
    if kind == "one-paragraph":  # an unfinished sentence on every line: one block of n lines
        return "新华社北京1月25日电 今天上午举行了会议，\n" + "与会代表认真讨论了今年的工作安排和具体措施，\n" * n
    if kind == "heads-inside-broken-paragraphs":  # every head block set between the halves of a paragraph
        cycle = ["# 第{k}个新闻标题", "", "新华社记者 王雷鸣", "", "这是一段完整的正文内容。", "", "，后半段接着说下去，然后又没有说完，", ""]
        return "\n".join(cycle[k % 8].format(k=k) for k in range(n))
    if kind == "kickers-over-headlines":  # a kicker ending in a dash over every headline, after text
        cycle = ["这是第{k}段完整的正文内容，记者今天获悉。", "", "第{k}个引题——", "", "## 第{k}个新闻标题", "",
                 "新华社北京1月25日电 又一段正文。", ""]
        return "\n".join(cycle[k % 8].format(k=k) for k in range(n))
    if kind == "furniture-and-body":
        cycle = ["第3版", "责任编辑：王平", "", "正文第{k}段，记者今天获悉。", ""]
        return "\n".join(cycle[k % 5].format(k=k) for k in range(n))
    raise ValueError(kind)


@pytest.mark.parametrize(
    "kind",
    ["one-char", "random-cjk", "one-paragraph", "furniture-and-body", "heads-inside-broken-paragraphs", "kickers-over-headlines"],
)
def test_split_time_grows_linearly_with_the_lines_of_a_page(kind: str) -> None:
    """The whole split (classifier, stitcher, records, JSON) at 2k and 8k lines: linear is 4x, quadratic
    16x; the bound leaves room for a busy machine (CPU time, best of two)."""
    seg = load_model(words=False)

    def cost(n: int) -> float:
        text = _page(kind, n)
        best = float("inf")
        for _ in range(2):
            start = time.process_time()
            to_jsonl(seg.split(text))
            best = min(best, time.process_time() - start)
        return best

    cost(200)  # warm: the scorer's tables
    small, large = cost(2000), cost(8000)
    assert large <= 8 * small + 0.05, f"{kind}: 2k lines {small:.3f} s, 8k lines {large:.3f} s"


def test_a_record_written_in_pieces_is_the_record_of_its_dict(monkeypatch: pytest.MonkeyPatch) -> None:
    from segmenter import write

    articles = load_model(words=False).split(_page("furniture-and-body", 200) + "\n" + _page("one-paragraph", 30))
    want = [json.dumps(a.to_dict(), ensure_ascii=False) for a in articles]
    monkeypatch.setattr(write, "_ITEMS_CHUNK", 3)
    assert any(len(a.lines) + len(a.blocks) > 3 for a in articles)  # the pieces are exercised
    assert [record_json(a) for a in articles] == want


def test_a_page_written_in_pieces_is_the_page_rendered_whole(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    from segmenter import write

    articles = load_model(words=False).split(_page("one-paragraph", 40))
    monkeypatch.setattr(write, "_ITEMS_CHUNK", 5)
    for fmt in ("jsonl", "markdown"):
        write.write_atomic(tmp_path / fmt, write.render_parts(articles, fmt))
        assert (tmp_path / fmt).read_text(encoding="utf-8") == write.render(articles, fmt)
    assert (tmp_path / "jsonl").read_text(encoding="utf-8") == "".join(
        json.dumps(a.to_dict(), ensure_ascii=False) + "\n" for a in articles
    )


def test_a_paragraph_joined_at_once_is_joined_as_line_by_line() -> None:
    rng = random.Random(0)
    pieces = ["", "a", "1", "中", "ab c", "x.", " ", "é", "中文", "B2"]
    for _ in range(500):
        texts = [rng.choice(pieces) for _ in range(rng.randint(1, 6))]
        assert _join_all(texts) == functools.reduce(_join, texts)


def test_reflowing_a_long_paragraph_grows_linearly() -> None:
    """A paragraph of visual lines was joined line by line, copying the paragraph for every line: 32k lines
    took 1.2 s against 0.04 s for 4k (34x; linear is 8x, quadratic 64x). CPU time, best of two."""
    from segmenter.reflow import reflow

    def cost(n: int) -> float:
        text = _page("one-paragraph", n)
        best = float("inf")
        for _ in range(2):
            start = time.process_time()
            assert reflow(text) is not None  # read as visual lines: the case is exercised
            best = min(best, time.process_time() - start)
        return best

    small, large = cost(4000), cost(32000)
    assert large <= 20 * small + 0.05, f"4k lines {small:.3f} s, 32k lines {large:.3f} s"


def test_page_facts_worked_out_a_line_at_a_time_are_the_pattern_functions_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    from segmenter import facts as F
    from segmenter import patterns as P
    from segmenter.lines import split_lines

    text = "\n".join(
        ["# 标题", "## （新华社北京１月２５日电）", "**加粗 标题**", "（上接第一版）", "ＡＢＣ　１２３", "a", "a", "正文，", "# 标题"]
        + ["第3版", "本报记者 王平", "  —— 副题  "] * 3
    )
    lines = split_lines(text)
    for kept in (0, 65536):  # every form worked out, or repeated texts served from the first
        monkeypatch.setattr(F, "_FORMS_KEPT", kept)
        facts = F.PageFacts(lines)
        normed = [P.norm(P.strip_markdown(line.text)) for line in lines]
        assert facts.normed == normed
        assert facts.plain == [t.strip() for t in normed]
        assert facts.key == ["".join(t.split()) for t in normed]
        assert facts.norm == [P.norm(line.text) for line in lines]
        assert facts.norm_strip == [P.norm(line.text).strip() for line in lines]
        assert facts.dateline == [P.find_dateline(line.text) for line in lines]
        assert facts.continued_from == [P.is_continued_from(line.text) for line in lines]
    assert any(facts.dateline) and any(facts.continued_from)


def test_the_literal_prechecks_of_datelines_and_credits_change_no_answer() -> None:
    from pathlib import Path

    from segmenter import patterns as P

    pages = sorted((Path(__file__).resolve().parent.parent / "data" / "pages").glob("*.txt"))
    texts = [line for p in pages for line in p.read_text(encoding="utf-8").splitlines()]
    texts += ["新华社北京1月25日电", "据新华社电", "本报西安电", "本报讯", "（新华社记者 王平 摄）", "张三供图", "(图片)",
              "新华社发(李四 摄)", "摄影：王五", "摄于北京)", "本报记者电话", "摄" + " " * 50 + "x", ""]
    found = {"dateline": 0, "credit": 0}
    for text in texts:
        t = P.norm(text)
        assert P.has_dateline(t) == (P.DATELINE.search(t) is not None), text
        assert P.is_credit(text) == (P.CREDIT.search(t) is not None), text
        found["dateline"] += P.has_dateline(t)
        found["credit"] += P.is_credit(text)
    assert found["dateline"] > 5 and found["credit"] > 5  # both answers are exercised
