"""The line classifier at prediction time: broken paragraphs read whole for a second look at head lines."""

from __future__ import annotations

import numpy as np
import pytest

from segmenter.classify import BROKEN_MIN, broken_paragraphs, predict_lines, rejoin_broken
from segmenter.features import PageView, context_features
from segmenter.lines import split_lines
from segmenter.model import read_model

H, S, B, BY, C = "headline", "section", "body", "byline", "caption"

OPEN = "国家医药管理局今天在京召开全国医药工作会议，部署今年医药"  # stops inside a sentence
REST = "行业的结构调整，重点扶持一批医药骨干企业。"
DONE = "会议要求各地加快推进医药行业的结构调整。"

GROUP_CASES = [
    # (lines, labels, groups)
    ([OPEN, REST], [B, B], [[0, 1]]),  # a paragraph broken at a column end
    ([DONE, REST], [B, B], [[0], [1]]),  # the first line ends its sentence
    ([OPEN, REST], [H, B], [[0], [1]]),  # only body lines are paragraphs
    ([OPEN, REST], [B, S], [[0], [1]]),
    ([OPEN[:BROKEN_MIN - 1], REST], [B, B], [[0], [1]]),  # too short to tell from a heading
    ([OPEN, OPEN, REST], [B, B, B], [[0, 1, 2]]),  # broken twice (three columns)
    ([OPEN, "新华社北京1月6日电 记者从会上获悉，今年将新建一批医药企业。"], [B, B], [[0], [1]]),  # a dateline opens a paragraph
    (["# 标题", OPEN, REST, "小标题", DONE], [H, B, B, S, B], [[0], [1, 2], [3], [4]]),
]


@pytest.mark.parametrize("texts, labels, groups", GROUP_CASES)
def test_broken_paragraphs_golden(texts: list[str], labels: list[str], groups: list[list[int]]) -> None:
    lines = split_lines("\n".join(texts))
    assert broken_paragraphs(lines, labels) == groups


def test_every_line_is_in_one_group() -> None:
    texts = [OPEN, REST, "小标题", OPEN, OPEN, REST, DONE]
    lines = split_lines("\n".join(texts))
    groups = broken_paragraphs(lines, [B, B, S, B, B, B, B])
    assert [i for g in groups for i in g] == list(range(len(lines)))


def _page() -> list:
    # headline, byline, a lead paragraph broken in two, a section head, more text
    return split_lines("\n\n".join(["全国医药工作会议召开", "本报记者 王平", OPEN, REST, "加快结构调整", DONE, DONE]))


def test_second_look_sees_the_paragraph_whole_and_relabels_only_head_lines() -> None:
    lines = _page()
    labels = [H, BY, B, B, H, B, B]
    proba = np.full((len(lines), 3), 1 / 3)
    classes = [B, H, S]
    seen: list[list[str]] = []

    def probabilities(contexts):
        seen.append([c.page.lines[c.i].text for c in contexts])
        out = np.zeros((len(contexts), 3))
        out[:, 2] = 1.0  # says "section" for every line it is asked about
        return out

    rejoin_broken(probabilities, PageView(lines), labels, proba, classes)
    # asked once, about the lines not called body, on the page with the lead paragraph as one line
    assert seen == [["全国医药工作会议召开", "本报记者 王平", "加快结构调整"]]
    assert labels == [S, S, B, B, S, B, B]
    assert proba[4].tolist() == [0.0, 0.0, 1.0] and proba[2].tolist() == [1 / 3] * 3


def test_no_second_look_without_a_broken_paragraph() -> None:
    lines = split_lines("\n\n".join(["全国医药工作会议召开", DONE, DONE]))

    def probabilities(contexts):
        raise AssertionError("asked again although nothing is broken")

    rejoin_broken(probabilities, PageView(lines), [H, B, B], np.zeros((3, 3)), [B, H, S])


def test_a_folded_page_keeps_the_features_of_the_lines_left_alone() -> None:
    lines = _page()
    view = PageView(lines)
    view.local(None)  # computed once, as the first pass does
    folded = view.folded(broken_paragraphs(lines, [H, BY, B, B, S, B, B]))
    fresh = PageView(folded.lines)
    assert [ln.text for ln in folded.lines][2] == OPEN + REST
    for k in range(len(folded.lines)):
        assert context_features(folded.local(None), k) == context_features(fresh.local(None), k)


def test_rejoin_can_be_turned_off_and_changes_nothing_on_unbroken_pages() -> None:
    model = read_model().pipeline
    lines = split_lines("\n\n".join(["# 全国医药工作会议召开", "本报记者 王平", OPEN + REST, "加快结构调整", DONE]))
    first = predict_lines(model, lines, rejoin=False)
    again = predict_lines(model, lines)
    assert first[0] == again[0]
    assert np.array_equal(first[2], again[2])


def test_the_page_facts_the_splitter_shares_give_the_labels_of_a_fresh_read() -> None:
    # split_lines builds a page's facts once and the classifier reads its plain forms and heading levels
    # from them: the probabilities must be those of the classifier working them out itself
    from pathlib import Path

    from segmenter.facts import PageFacts

    loaded = read_model()
    pages = sorted((Path(__file__).resolve().parent.parent / "data" / "pages").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in pages]
    texts.append("**标题**\n\n# 标题 二\n\n  ## 一个 小标题\n\n正文第一段，说了些话。\n\n__粗体__\n")
    for text in texts:
        lines = split_lines(text)
        _, _, alone = predict_lines(loaded.pipeline, lines, context=loaded.context)
        _, _, shared = predict_lines(loaded.pipeline, lines, context=loaded.context, facts=PageFacts(lines))
        np.testing.assert_allclose(shared, alone, rtol=0, atol=1e-12)


def test_page_facts_refuse_probabilities_after_a_fact_read_them() -> None:
    from segmenter.facts import PageFacts

    lines = split_lines("# 标题\n\n正文。\n")
    facts = PageFacts(lines)
    facts.read_proba(np.full((2, 1), 0.5), ["headline"])
    assert facts.p_headline.tolist() == [0.5, 0.5]
    with pytest.raises(ValueError, match="before they were given"):
        facts.read_proba(np.zeros((2, 1)), ["headline"])
