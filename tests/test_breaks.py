"""The article-break model: its features, its arrays, how the stitcher asks it, and training it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from segmenter import load_model
from segmenter.breaks import (
    BreakModel,
    PageGrams,
    SoFar,
    as_break_model,
    break_features,
    fit_breaks,
    make_break_pipeline,
)
from segmenter.cli import main
from segmenter.lines import split_lines
from segmenter.model import breaks_path, card_path, read_model, sha256_file
from segmenter.records import build_records
from segmenter.stitch import stitch
from segmenter.train import DEFAULT_CORPUS, rendered_pages

H, B, C, D = "headline", "body", "caption", "dateline"

# a report in two paragraphs (the second keeps the first one's names), and briefs about other things
REPORT = [
    "新华社北京1月6日电 国家医药管理局今天在京召开全国医药工作会议，部署今年医药行业的结构调整。",
    "国家医药管理局局长在会上说，今年医药行业要加快结构调整，重点扶持一批医药骨干企业。",
]
BRIEFS = [
    "阿富汗一架客机13日晚在巴基斯坦俾路支省坠毁，机上八十多位乘客和机组人员全部遇难。",
    "挪威外交大臣沃勒贝克13日在哥本哈根说，挪威将派一名观察员前往阿尔及利亚。",
    "赞比亚司法当局十日对前总统卡翁达提出正式起诉，指控他参与去年的未遂政变。",
]


def _lines(texts: list[str]) -> list:
    return split_lines("\n\n".join(texts))


def _features(texts: list[str], labels: list[str]) -> dict:
    """Features of the step from all lines but the last (the article so far) to the last."""
    lines = _lines(texts)
    page = PageGrams.of(lines)
    so_far = SoFar.of(range(len(lines) - 1), lines, labels, page)
    return break_features(so_far, lines, labels, len(lines) - 1, page)


# --- features: golden cases -----------------------------------------------------------------------------

FEATURE_CASES = [
    # (article so far, labels, next paragraph, feature, expected)
    (["# 医药会议召开", REPORT[0]], [H, B], REPORT[1], "headed", True),
    ([BRIEFS[0]], [B], BRIEFS[1], "headed", False),
    ([BRIEFS[0]], [B], BRIEFS[1], "q_lead_time", True),  # "挪威外交大臣沃勒贝克13日…"
    ([REPORT[0]], [B], "他说，今年将继续推进这项工作。", "carry_on", True),
    ([REPORT[0]], [B], "此外，会议还部署了其他工作。", "carry_on=此外", 1.0),
    ([REPORT[0]], [B], REPORT[1], "p_end", "。"),
    ([REPORT[0][:30]], [B], REPORT[0][30:], "p_end", "open"),
    ([REPORT[0]], [B], "新华社上海1月5日电 上海今年将新建一批社区服务中心。", "q_dateline", True),
    ([BRIEFS[0]], [B], BRIEFS[1], "lead_new", True),  # its opening clause names nothing said above
    ([REPORT[0]], [B], REPORT[1], "lead_new", False),
    ([REPORT[0], "（新华社北京1月6日电）"], [B, D], REPORT[1], "dated", True),
    (["# 医药会议召开", REPORT[0]], [H, B], REPORT[1], "paragraphs", "1"),
    # a notice's body is a paragraph or two: what follows a finished one is the next item …
    (["遗失声明", "某某公司不慎遗失营业执照副本，特此声明。"], [H, B], REPORT[0], "notice_done", True),
    (["遗失声明", "某某公司不慎遗失营业执照副本，特此声明。"], [H, B], REPORT[0], "notice_done|paragraphs", "True|1"),
    # … but not the rest of a paragraph broken at a column end, nor what follows a news headline
    (["遗失声明", "某某公司不慎遗失营业执照副本，"], [H, B], "特此声明。", "notice_done", False),
    (["# 医药会议召开", REPORT[0]], [H, B], REPORT[1], "notice_done", False),
    # the items of a column under one mark: "△…" after "△…"
    (["△上海第一八佰伴红火。浦东的商场目前日均营业额达千万元。"], [B], "△VCD有降价空间。据行家分析，价格还会下降。", "bullets", "△>△"),
    ([REPORT[0]], [B], "△VCD有降价空间。据行家分析，价格还会下降。", "bullets", ">△"),
    ([REPORT[0]], [B], REPORT[1], "bullets", None),
]


@pytest.mark.parametrize("above, labels, text, name, expected", FEATURE_CASES)
def test_break_features_golden(above: list[str], labels: list[str], text: str, name: str, expected: object) -> None:
    f = _features([*above, text], [*labels, B])
    assert f.get(name) == expected


def test_text_similarity_is_high_within_an_article_and_low_across_briefs() -> None:
    within = _features(REPORT, [B, B])
    across = _features(BRIEFS[:2], [B, B])
    for name in ("sim_pq", "sim_text", "rare_pq", "rare_text"):
        assert within[name] > across[name] + 0.1, name


def test_rare_character_pairs_weigh_more_than_common_ones() -> None:
    # "会议" is on every line of the page, "医药" on two: sharing "医药" says more than sharing "会议"
    lines = _lines(["会议医药", "会议开幕", "会议闭幕", "会议结束"])
    page = PageGrams.of(lines)
    assert page.shared({"会议", "医药"}, {"医药"}) > page.shared({"会议", "医药"}, {"会议"})
    assert page.shared(set(), {"医药"}) == 0.0
    assert page.shared({"会议", "医药"}, {"会议"}, {"医药"}) == pytest.approx(1.0)


def test_a_summary_kept_up_line_by_line_equals_one_made_at_once() -> None:
    texts = ["# 医药会议召开", *REPORT, "（新华社北京1月6日电）", *BRIEFS]
    labels = [H, B, B, D, B, B, B]
    lines = _lines(texts)
    page = PageGrams.of(lines)
    kept = SoFar()
    for k in range(1, len(lines) + 1):
        kept.extend(list(range(k)), lines, labels, page)
    assert vars(kept) == vars(SoFar.of(range(len(lines)), lines, labels, page))


def test_features_are_a_pure_function() -> None:
    texts, labels = [*BRIEFS[:2], BRIEFS[2]], [B, B, B]
    assert _features(texts, labels) == _features(texts, labels)


# --- the arrays ----------------------------------------------------------------------------------------


def _tiny_pipeline():
    X = [{"lead_new": True, "q_len": "79"}, {"lead_new": False, "q_len": "149"}] * 10
    y = [1, 0] * 10
    return make_break_pipeline().fit(X, y), X


def test_arrays_give_the_pipelines_probabilities_and_survive_a_round_trip(tmp_path: Path) -> None:
    pipeline, X = _tiny_pipeline()
    model = BreakModel.from_pipeline(pipeline, threshold=0.4)
    expected = pipeline.predict_proba(X[:2])[:, 1]
    assert [model.probability(x) for x in X[:2]] == pytest.approx(expected, abs=1e-12)
    model.save(tmp_path / "b.npz")
    again = BreakModel.load(tmp_path / "b.npz")
    assert again.threshold == 0.4
    assert [again.probability(x) for x in X[:2]] == pytest.approx(expected, abs=1e-12)
    assert again.probability({"unknown_feature": 1.0}) == pytest.approx(model.probability({}))


def test_a_numeric_feature_whose_name_holds_the_separator_scores_as_the_pipeline_does() -> None:
    # the break model's "carry_on=他": 1.0 is a numeric feature named with "=": the arrays once scored it at
    # nothing (they looked such a name up among string values only), while the Pipeline gives it its column
    X = [
        {"carry_on": True, "carry_on=他": 1.0, "q_len": "79"},
        {"carry_on": True, "carry_on=但": 1.0, "q_len": "149"},
        {"q_len": "79", "sim_text": 0.4},
        {"q_len": "149", "sim_text": 0.1},
    ] * 5
    y = [1, 0, 1, 0] * 5
    pipeline = make_break_pipeline().fit(X, y)
    model = BreakModel.from_pipeline(pipeline)
    assert [model.probability(x) for x in X[:4]] == pytest.approx(pipeline.predict_proba(X[:4])[:, 1], abs=1e-12)
    assert model.score({"carry_on=他": 1.0}) != pytest.approx(model.score({}))


def test_an_unfitted_pipeline_is_refused() -> None:
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        BreakModel.from_pipeline(make_break_pipeline())


def test_as_break_model_takes_a_pipeline_a_model_or_none() -> None:
    pipeline, _ = _tiny_pipeline()
    model = as_break_model(pipeline)
    assert isinstance(model, BreakModel)
    assert as_break_model(model) is model
    assert as_break_model(None) is None


# --- how the stitcher asks it ---------------------------------------------------------------------------


def _stub(feature: str, weight: float = 20.0) -> BreakModel:
    """A break model that breaks exactly where ``feature`` is set."""
    return BreakModel({feature: 0}, np.array([weight]), -weight / 2)


def _records(texts: list[str], labels: list[str], breaks: BreakModel | None) -> list[dict]:
    lines = _lines(texts)
    st = stitch(lines, labels, breaks=breaks)
    return [a.to_dict() for a in build_records(st, lines, st.labels, [1.0] * len(lines), source="t")]


def test_a_break_model_splits_a_run_of_headless_briefs_the_rules_keep_together() -> None:
    texts, labels = BRIEFS, [B, B, B]
    assert len(_records(texts, labels, None)) == 1
    recs = _records(texts, labels, _stub("lead_new"))
    assert [r["text"] for r in recs] == BRIEFS
    assert all(r["headline"] is None for r in recs)


class _Spy(BreakModel):
    """A break model that never breaks and keeps the features of every step it is asked about."""

    def __init__(self) -> None:
        super().__init__({}, np.zeros(0), 0.0)
        self.asked: list[dict] = []

    def probability(self, features: dict) -> float:
        self.asked.append(features)
        return 0.0


def test_the_break_model_is_asked_between_paragraphs_not_into_a_titled_photo_item() -> None:
    spy = _Spy()
    texts = ["# 医药会议召开", REPORT[0], REPORT[1], "图为会场。", "（新华社记者 王平 摄）"]
    recs = _records(texts, [H, B, B, C, C], spy)
    assert len(spy.asked) == 1  # REPORT[0] → REPORT[1]; not at the headline, not at the captions
    assert len(recs) == 1


@pytest.mark.parametrize(
    "labels, asked",
    [
        ([C, C, C], 2),  # headless briefs the classifier read as captions: each step asked
        ([B, C, B], 2),
        ([C, B, C], 2),
    ],
)
def test_the_break_model_is_asked_between_headless_captions_and_paragraphs(labels: list[str], asked: int) -> None:
    # regression: a run of one-paragraph foreign briefs read as captions (no credit under them) stayed one
    # record, since only body → body steps were asked
    spy = _Spy()
    assert len(_records(BRIEFS, labels, spy)) == 1
    assert len(spy.asked) == asked
    assert len(_records(BRIEFS, labels, _stub("lead_new"))) == 3


def test_an_article_continued_from_another_page_is_never_cut_by_the_break_model() -> None:
    # regression: the tail of an article continued from page 5 lost its last paragraphs to a "brief"
    texts = ["（上接第五版）" + BRIEFS[0], BRIEFS[1], BRIEFS[2]]
    recs = _records(texts, [B, B, B], _stub("bias"))
    assert len(recs) == 1 and recs[0]["continued"]
    assert len(_records([BRIEFS[0], BRIEFS[1], BRIEFS[2]], [B, B, B], _stub("bias"))) == 3


@pytest.mark.parametrize("under", ["（新华社记者 王平 摄）", "2、图为会场外的群众。"])
def test_a_credit_or_the_next_numbered_picture_is_never_cut_from_its_caption(under: str) -> None:
    recs = _records(["1、" + BRIEFS[0], under], [C, C], _stub("bias"))
    assert len(recs) == 1


def test_every_line_stays_in_one_record_when_the_model_breaks_everywhere() -> None:
    texts = ["# 医药会议召开", *REPORT, *BRIEFS, "（新华社北京1月6日电）"]
    labels = [H, B, B, B, B, B, D]
    recs = _records(texts, labels, _stub("bias"))
    taken = sorted(ref["n"] for r in recs for ref in r["lines"])
    assert taken == sorted({line.n for line in _lines(texts)})
    assert recs[0]["headline"] == "医药会议召开"


def test_the_shipped_model_has_a_break_model_on_its_card() -> None:
    loaded = read_model()
    entry = loaded.meta["breaks"]
    assert entry["sha256"] == sha256_file(loaded.path.parent / entry["file"])
    assert isinstance(loaded.breaks, BreakModel)


def test_the_shipped_model_splits_briefs_and_keeps_a_report_whole() -> None:
    model = load_model()
    briefs = [a for a in model.split("\n\n".join(BRIEFS)) if a.kind != "other"]
    assert len(briefs) == len(BRIEFS)
    report = [a for a in model.split("\n\n".join(["# 全国医药工作会议召开", *REPORT])) if a.kind != "other"]
    assert len(report) == 1


# --- training -------------------------------------------------------------------------------------------


def test_no_break_model_from_pages_without_a_break() -> None:
    pipeline, _ = _tiny_pipeline()  # never asked: there are no body → body steps that break
    text = "# 医药会议召开\n\n" + "\n\n".join(REPORT)
    gold = {"lines": [{"n": line.n, "label": lab, "article": 1} for line, lab in zip(split_lines(text), [H, B, B])]}
    from segmenter.train import fit

    line_model = fit([(text, gold)] * 2)
    assert fit_breaks([(text, gold)], line_model) is None


@pytest.mark.skipif(not DEFAULT_CORPUS.is_file(), reason="needs ../shared/corpora/pd1998")
def test_train_writes_a_break_model_beside_the_model_and_no_breaks_removes_it(tmp_path: Path) -> None:
    out = tmp_path / "m.joblib"
    none = str(tmp_path / "no-annotated-pages")
    common = ["train", "--corpus", str(DEFAULT_CORPUS), "--limit", "8", "--copies", "1", "--no-eval", "--pages", none]
    assert main([*common, "--out", str(out)]) == 0
    card = json.loads(card_path(out).read_text(encoding="utf-8"))
    assert card["breaks"]["file"] == breaks_path(out).name
    assert card["breaks"]["sha256"] == sha256_file(breaks_path(out))
    model = load_model(out)
    assert model.loaded.breaks is not None
    assert model.split(rendered_pages(DEFAULT_CORPUS, split="train", seed=1, copies=1, limit=1)[0][0])

    assert main([*common, "--out", str(out), "--no-breaks"]) == 0
    assert not breaks_path(out).exists()
    assert json.loads(card_path(out).read_text(encoding="utf-8"))["breaks"] is None
    assert load_model(out).loaded.breaks is None


# --- facts and repeated steps (issue 15 item 3, issue 19 item 1) -------------------------------------------


def test_break_features_read_from_the_page_facts_equal_those_computed_afresh() -> None:
    from segmenter.facts import PageFacts

    texts = [*REPORT, "## 小标题", "△上海第一八佰伴红火。", "△VCD有降价空间。", "他说，这是好事", *BRIEFS]
    labels = [B, B, "section", B, B, B, B, B, B]
    lines = _lines(texts)
    facts = PageFacts(lines)
    page = PageGrams.of(lines, facts.normed)
    assert page.grams == PageGrams.of(lines).grams
    for i in range(1, len(lines)):
        so_far = SoFar.of(range(i), lines, labels, page)
        assert break_features(so_far, lines, labels, i, page, facts) == break_features(so_far, lines, labels, i, page)


def test_a_run_of_one_line_printed_again_and_again_gets_the_answers_of_each_step_asked_afresh() -> None:
    """The break model's answer is reused for a step equal to the last one (a page of 'a\\n' * N asks the same
    step a million times); the reused answers must be the ones each step gets when asked afresh."""
    from segmenter.facts import PageFacts
    from segmenter.drafts import Draft

    model = load_model(words=False).loaded.breaks
    texts = ["a"] * 30 + [BRIEFS[0]] * 3 + ["a"] * 5 + REPORT + ["他说，这是好事"] * 4
    lines = _lines(texts)
    labels = [B] * len(lines)
    facts = PageFacts(lines)
    asked = model.for_page(lines, labels, PageGrams.of(lines), facts)
    draft = Draft()
    draft.add(0, B, facts.key[0])
    for i in range(1, len(lines)):
        so_far = SoFar.of(draft.members, lines, labels, PageGrams.of(lines))
        afresh = model.probability(break_features(so_far, lines, labels, i, PageGrams.of(lines))) >= model.threshold
        assert asked(draft, i) == afresh, f"step to line {i}"
        draft.add(i, B, facts.key[i])


def test_steps_with_equal_small_keys_have_equal_features() -> None:
    """The break model's answers are kept by the step's small key (an article of few pairs; numbered headings
    read as paragraphs, 标题1, 标题2, … ask the same step from ever new articles): equal keys, whatever the
    articles and lines, must mean equal features."""
    import random

    from segmenter.breaks import SMALL_STEP, _small_step_key
    from segmenter.facts import PageFacts

    rng = random.Random(18)
    pool = [
        *(f"# 标题{k}" for k in range(6)), *(f"标题{k}" for k in range(6)), "a", "中", "。", "1", "# 标题",
        "△上海第一八佰伴红火。", "△VCD有降价空间。", "（新华社记者 王某摄）", "他说，这是好事", "新华社北京1月6日电",
        "1998" * 6, "——" * 12,
        *REPORT, *BRIEFS,
    ]
    texts = [rng.choice(pool) for _ in range(300)]
    lines = split_lines("".join(t + "\n" * rng.randint(1, 3) for t in texts))
    kinds = [B, B, B, "caption", "section", "headline", "subhead", "byline", "dateline"]
    labels = [rng.choice(kinds) for _ in lines]
    facts = PageFacts(lines)
    page = PageGrams.of(lines, facts.normed)
    seen: dict = {}
    again = 0
    for _ in range(3000):
        i = rng.randint(1, len(lines) - 1)
        members = sorted(rng.sample(range(i), rng.randint(1, min(4, i))))
        so_far = SoFar.of(members, lines, labels, page)
        if len(so_far.text) + len(so_far.head) > SMALL_STEP:
            continue
        key = _small_step_key(so_far, lines, labels, i, facts, page)
        features = break_features(so_far, lines, labels, i, page, facts)
        if key in seen:
            again += 1
            assert seen[key] == features
        seen[key] = features
    assert again > 100  # the keys do meet again, from other articles and lines


# --- out-of-fold labels for the decision models --------------------------------------------------------


def test_all_renderings_of_a_page_fall_in_one_fold() -> None:
    from segmenter.train import fold_of, page_key

    assert page_key({"source": "pd1998_19980101_01_r3.txt"}) == page_key({"source": "pd1998_19980101_01_r0.txt"})
    assert page_key({"source": "004_cdc80b8b71ed997f.txt"}) == "004_cdc80b8b71ed997f.txt"
    sources = [f"pd2019_201902{d:02d}_{k:02d}_r{r}.txt" for d in range(1, 29) for k in range(1, 5) for r in range(3)]
    folds = {}
    for source in sources:
        folds.setdefault(page_key({"source": source}), set()).add(fold_of({"source": source}, 2))
    assert all(len(f) == 1 for f in folds.values())
    assert {f for fs in folds.values() for f in fs} == {0, 1}  # both folds are used


def test_the_decision_models_learn_from_labels_of_a_line_model_that_did_not_see_the_page() -> None:
    from segmenter.breaks import labelled_pages
    from segmenter.train import OutOfFold, fold_of

    class Constant:
        """A line model that reads every line as one label."""

        def __init__(self, label: str) -> None:
            self.label = label
            self.classes_ = np.array(["body", "headline"])

    pages = [(f"第{k}段。\n\n另一段。", {"source": f"p{k}_r0.txt", "lines": []}) for k in range(12)]
    stand_in = OutOfFold([Constant("body"), Constant("headline")], 2)
    assert list(stand_in.classes_) == ["body", "headline"]
    import segmenter.classify as classify

    seen = []
    original = classify.predict_lines
    try:
        classify.predict_lines = lambda model, lines, context=None: (
            seen.append(model.label) or [model.label] * len(lines), None, None
        )
        list(labelled_pages(pages, stand_in))
    finally:
        classify.predict_lines = original
    assert seen == [["body", "headline"][fold_of(gold, 2)] for _, gold in pages]


def test_a_giant_pages_pairs_worked_out_when_asked_are_those_kept_for_every_line(monkeypatch: pytest.MonkeyPatch) -> None:
    # issue 19: a 50 MB page held a 4 KB pair set per line; above LAZY_CHARS they are worked out when asked
    import segmenter.breaks as breaks
    from segmenter import split_page

    text = rendered_pages(DEFAULT_CORPUS, split="train", seed=3, copies=1, limit=2)[1][0] if DEFAULT_CORPUS.is_file() else "\n\n".join(REPORT * 5)
    lines = split_lines(text)
    kept = PageGrams.of(lines)
    expected = [r.to_dict() for r in split_page(text)]
    monkeypatch.setattr(breaks, "LAZY_CHARS", 0)
    monkeypatch.setattr(breaks, "PAIRS_KEPT", 3)  # forgets all the time
    lazy = PageGrams.of(lines)
    assert not isinstance(lazy.grams, list)
    assert lazy.weights == kept.weights
    assert [lazy.grams[i] for i in range(len(lines))] == kept.grams
    assert lazy.grams[-1] == kept.grams[-1]
    assert [lazy.total(i) for i in range(len(lines))] == [kept.total(i) for i in range(len(lines))]
    assert [r.to_dict() for r in split_page(text)] == expected


def test_only_the_last_articles_summaries_are_kept_and_an_older_one_is_summed_again_alike() -> None:
    # issue 19: every article's pairs kept for the whole walk held most of a 50 MB page's memory
    from segmenter.breaks import SUMMARIES_KEPT, _summary
    from segmenter.drafts import Draft

    lines = _lines(REPORT * 30)
    labels = [B] * len(lines)
    page = PageGrams.of(lines)
    drafts = [Draft(members=[k, k + 1]) for k in range(0, 2 * (SUMMARIES_KEPT + 5), 2)]
    summaries: dict = {}
    first = [vars(_summary(summaries, d, lines, labels, page)).copy() for d in drafts]
    assert len(summaries) == SUMMARIES_KEPT
    again = vars(_summary(summaries, drafts[0], lines, labels, page))
    assert again == first[0]
