"""The head model's mechanics: which runs it is asked about, what its decisions do to labels and articles."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from segmenter.api import load_model
from segmenter.breaks import BreakModel
from segmenter.cli import main
from segmenter.heads import PageFacts, apply_decision, decide_heads, head_features, head_runs
from segmenter.lines import split_lines
from segmenter.model import card_path, heads_path, sha256_file
from segmenter.records import build_records
from segmenter.stitch import stitch
from small_training import needs_corpora, train_args

H, S, B, D, BY, C, SEC = "headline", "subhead", "body", "dateline", "byline", "caption", "section"
CLASSES = ["body", "byline", "caption", "dateline", "headline", "other", "section", "subhead"]

P1 = "新华社北京1月25日电 日前，有关部门发布了一项新的规定，自2月1日起施行。"
P2 = "规定明确了各方面的责任，提出了具体要求，对于推动工作具有重要意义。"
Q1 = "春节临近，江苏沭阳县城区的公园、广场挂上了大红灯笼，成为一道亮丽的风景线。"
Q2 = "当地还组织书法家为群众写春联、送福字，年味越来越浓。"


def constant(opens: bool) -> BreakModel:
    """A decision model that always says the same (its only feature is the bias)."""
    return BreakModel(vocabulary={"bias": 0}, coef=np.array([5.0 if opens else -5.0]), intercept=0.0)


def page(items: list[tuple[str, str]]) -> tuple[list, list[str]]:
    lines = split_lines("\n\n".join(t for t, _ in items))
    assert len(lines) == len(items)
    return lines, [label for _, label in items]


def proba_for(labels: list[str], headline_at: int | None = None) -> np.ndarray:
    proba = np.zeros((len(labels), len(CLASSES)))
    for k, label in enumerate(labels):
        proba[k, CLASSES.index(label)] = 0.9
    if headline_at is not None:
        proba[headline_at, CLASSES.index(H)] = 0.95
    return proba


@pytest.mark.parametrize(
    ("labels", "runs"),
    [
        ([H, B, B], []),  # the page's first head block has no text above it
        ([H, B, SEC, B], [(2, 3)]),
        ([H, B, S, H, S, BY, B], [(2, 5)]),  # a byline ends the run: it is not a head line of the run
        ([H, B, SEC, B, SEC, SEC, B], [(2, 3), (4, 6)]),
        ([BY, SEC, B], []),  # no text above yet
    ],
)
def test_head_runs_are_the_head_lines_with_text_above(labels: list[str], runs: list[tuple[int, int]]) -> None:
    assert head_runs(labels) == runs


def test_an_opening_run_gets_one_headline_and_kickers_above_it() -> None:
    items = [("标题", H), (P1, B), ("引题说明一件事——", SEC), ("主标题", SEC), ("——副题", H), (Q1, B)]
    lines, labels = page(items)
    facts = PageFacts(lines, proba_for(labels, headline_at=3), CLASSES)
    apply_decision(labels, facts, 2, 5, opens=True)
    # the run's own headline stays the headline; the lines above it are kickers
    assert labels[2:5] == [S, S, H]
    labels = [label for _, label in items]
    labels[4] = SEC
    apply_decision(labels, facts, 2, 5, opens=True)
    # no headline in the run: the likeliest line becomes it, the one above a kicker, the one below stays
    assert labels[2:5] == [S, H, SEC]


def test_a_continuing_run_becomes_section_heads() -> None:
    items = [("标题", H), (P1, B), ("赓续红色血脉", H), ("坚守为民初心", S), (P2, B)]
    lines, labels = page(items)
    apply_decision(labels, PageFacts(lines, None, CLASSES), 2, 4, opens=False)
    assert labels[2:4] == [SEC, SEC]


@pytest.mark.parametrize(("opens", "records"), [(True, 2), (False, 1)])
def test_the_stitcher_follows_the_head_model(opens: bool, records: int) -> None:
    items = [("# 新规定发布", H), (P1, B), (P2, B), ("## 春节将至年味浓", SEC), (Q1, B), (Q2, B)]
    lines, labels = page(items)
    st = stitch(lines, labels, heads=constant(opens), proba=proba_for(labels), classes=CLASSES)
    recs = [a.to_dict() for a in build_records(st, lines, st.labels, [1.0] * len(lines), source="t")]
    assert len(recs) == records
    assert sorted(ref["n"] for r in recs for ref in r["lines"]) == [line.n for line in lines]
    if opens:
        assert recs[1]["headline"] == "春节将至年味浓"


def test_head_features_read_what_follows_and_the_text_above() -> None:
    items = [("# 新规定发布", H), (P1, B), (P2, B), ("## 规定的要求", SEC), (P2, B)]
    lines, labels = page(items)
    f = head_features(PageFacts(lines, proba_for(labels), CLASSES), labels, 3, 4)
    assert f["shape"] == "S" and f["level_vs_head"] == "deeper" and f["headed_above"]
    assert f["below_in_above"] == pytest.approx(1.0)  # the text below repeats the text above
    items[4] = (Q1, B)
    lines, labels = page(items)
    g = head_features(PageFacts(lines, proba_for(labels), CLASSES), labels, 3, 4)
    assert g["below_in_above"] < 0.3 and g["after_dateline"] is False


def test_decide_heads_reports_the_runs_that_open() -> None:
    items = [("# 新规定发布", H), (P1, B), ("## 春节将至年味浓", SEC), (Q1, B), ("## 写春联", SEC), (Q2, B)]
    lines, labels = page(items)
    assert decide_heads(constant(True), lines, labels, proba_for(labels), CLASSES) == {2, 4}
    assert labels[2] == labels[4] == H
    lines, labels = page(items)
    assert decide_heads(constant(False), lines, labels, proba_for(labels), CLASSES) == set()
    assert labels[2] == labels[4] == SEC


def test_regression_a_continuation_after_a_photo_credit_opens_its_article() -> None:
    # a credit lets the break model say whether the text goes on under a picture; a continuation marker
    # after it still opens the continued article, whatever the model says
    items = [
        ("# 探访高原铁路信号工区", H),
        (Q1, C),
        (P2, B),
        ("（新华社记者 旦增尼玛曲珠 摄）", C),
        ("（上接第一版）" + Q2, B),
        (P2.replace("规定", "合作"), B),
    ]
    lines, labels = page(items)
    st = stitch(lines, labels, breaks=constant(False))
    recs = [a.to_dict() for a in build_records(st, lines, st.labels, [1.0] * len(lines), source="t")]
    assert len(recs) == 2 and recs[1]["continued"]


@pytest.mark.parametrize(("opens", "records"), [(False, 1), (True, 2)])
def test_text_after_a_photo_credit_goes_where_the_break_model_says(opens: bool, records: int) -> None:
    items = [("# 新规定发布", H), (P1, B), (P2, B), ("本报记者 张 文摄", C), (Q2, B)]
    lines, labels = page(items)
    # a break model that cuts only after a credit, where it is told to
    after_credit = BreakModel(vocabulary={"bias": 0, "p_credit": 1}, coef=np.array([-5.0, 10.0 if opens else 0.0]), intercept=0.0)
    st = stitch(lines, labels, breaks=after_credit)
    recs = [a.to_dict() for a in build_records(st, lines, st.labels, [1.0] * len(lines), source="t")]
    assert len(recs) == records


@needs_corpora
def test_train_on_both_eras_writes_a_head_model_and_an_era_model_and_no_heads_no_era_remove_them(tmp_path: Path) -> None:
    out = tmp_path / "m.joblib"
    common = train_args(tmp_path, out, "--limit", "6")
    assert main(common) == 0
    card = json.loads(card_path(out).read_text(encoding="utf-8"))
    assert [entry["file"] for entry in card["training_data"]["corpus"]["files"]] == ["pages.jsonl.gz"] * 2
    assert card["heads"]["file"] == heads_path(out).name == "m.heads.npz"
    assert card["heads"]["sha256"] == sha256_file(heads_path(out))
    assert load_model(out).loaded.heads is not None
    # both eras in training: each page is read in its era
    assert card["params"]["era"] is True and load_model(out).loaded.pipeline.era_model_ is not None
    assert main([*common, "--no-heads", "--no-era"]) == 0
    assert not heads_path(out).exists() and load_model(out).loaded.heads is None
    card = json.loads(card_path(out).read_text(encoding="utf-8"))
    assert card["params"]["era"] is False and load_model(out).loaded.pipeline.era_model_ is None


def test_train_names_a_missing_corpus_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere.jsonl.gz"
    code = main(["train", "--corpus", str(missing), "--no-eval", "--out", str(tmp_path / "m.joblib")])
    err = capsys.readouterr().err.strip()
    assert code == 1 and str(missing) in err and "not found" in err and len(err.splitlines()) == 1
    assert not (tmp_path / "m.joblib").exists()


def test_a_head_block_read_with_two_headlines_keeps_the_likelier_one() -> None:
    items = [("# 新规定发布", H), (P1, B), ("## 中办国办印发", H), ("# 关于推进基层整合的实施意见", H), (Q1, B)]
    lines, labels = page(items)
    proba = proba_for(labels, headline_at=3)
    decide_heads(constant(True), lines, labels, proba, CLASSES)
    # the kicker read as a headline becomes a subhead; the article's headline is the likelier line
    assert labels[2:4] == [S, H]
