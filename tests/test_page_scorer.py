"""The classifier's page-at-once scoring (classify._PageScorer) against the per-sample feature dicts it replaces."""

from __future__ import annotations

import hashlib
import json
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from segmenter.classify import LinearModel, broken_paragraphs, predict_lines, rejoin_broken
from segmenter.era import page_era
from segmenter.features import PageView, featurize
from segmenter.lines import split_lines
from segmenter.model import read_model

PAGES = sorted((Path(__file__).resolve().parent.parent / "data" / "pages").glob("*.txt"))

#: the feature dicts of the three sample pages at f4146b5 (the features the shipped model was trained on),
#: false flags left out (DictVectorizer's 0.0: ``line_features`` no longer writes them); a change of
#: features needs a retrained model and a new digest
FEATURES_DIGEST = "b04b273b4dba34f0ca84108ce7dabb0cb5169ba47fe5f2dd98d7ced683340696"


def _by_dicts(model: LinearModel, lines: list) -> tuple[list[str], np.ndarray]:
    """predict_lines as it was computed before the page scorer: one feature dict per sample (the page read in
    its era where the model has an era model)."""
    view = PageView(lines, era=page_era(model.era_model_, [x.text for x in lines]))
    proba = model.predict_proba(view.contexts())
    classes = [str(c) for c in model.classes_]
    labels = [classes[k] for k in proba.argmax(axis=1)]
    rejoin_broken(model.predict_proba, view, labels, proba, classes)
    return labels, proba


def test_features_of_the_sample_pages_are_unchanged() -> None:
    digest = hashlib.sha256()
    for path in PAGES:
        for row in featurize(PageView(split_lines(path.read_text(encoding="utf-8"))).contexts()):
            kept = sorted((name, value) for name, value in row.items() if value is not False)
            digest.update(json.dumps(kept, ensure_ascii=False).encode())
    assert digest.hexdigest() == FEATURES_DIGEST


HOSTILE = [
    "",
    "x",
    "# 标题",
    "a\n" * 700,  # one-character lines
    "# 标题\n" * 300,
    "新华社北京1月25日电\n\n正文，\n继续。\n\n本报记者 王平\n## 小标题\n**加粗**",
    "国家医药管理局今天在京召开全国医药工作会议，部署今年医药\n行业的结构调整。\n\n小标题\n\n正文。",
    # the same lines with zero to three blank lines around them: distinct lines are (text, blank lines)
    "".join(f"{t}\n" + "\n" * (k % 4) for k, t in enumerate(["第3版", "新华社北京1月25日电", "a", "# 标题"] * 40)),
]


@pytest.mark.parametrize(
    "text", [p.read_text(encoding="utf-8") for p in PAGES] + HOSTILE, ids=[p.stem for p in PAGES] + [f"hostile{k}" for k in range(len(HOSTILE))]
)
def test_page_scorer_gives_the_labels_and_probabilities_of_the_feature_dicts(text: str) -> None:
    model = read_model().pipeline
    assert isinstance(model, LinearModel)
    lines = split_lines(text)
    labels, _, proba = predict_lines(model, lines)
    want_labels, want = _by_dicts(model, lines)
    assert labels == want_labels
    np.testing.assert_allclose(proba, want.reshape(proba.shape), rtol=0, atol=1e-12)


def test_a_page_longer_than_a_chunk_scores_as_its_parts_would(monkeypatch: pytest.MonkeyPatch) -> None:
    from segmenter import classify

    model = read_model().pipeline
    lines = split_lines(PAGES[0].read_text(encoding="utf-8"))
    whole = predict_lines(model, lines)
    monkeypatch.setattr(classify, "_ROWS_CHUNK", 7)
    assert predict_lines(model, lines)[0] == whole[0]
    np.testing.assert_allclose(predict_lines(model, lines)[2], whole[2], rtol=0, atol=1e-12)


def test_the_scorer_may_forget_its_rows_of_shown_features_between_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    from segmenter import classify

    model = read_model().pipeline
    pages = [split_lines(p.read_text(encoding="utf-8")) for p in PAGES]
    want = [predict_lines(model, lines)[2] for lines in pages]
    monkeypatch.setattr(classify, "_COMBOS_KEPT", 0)  # forget before every page
    for lines, proba in zip(pages + pages[::-1], want + want[::-1]):
        np.testing.assert_allclose(predict_lines(model, lines)[2], proba, rtol=0, atol=1e-12)
    era = page_era(model.era_model_, [x.text for x in pages[-1]])
    used = model if era is None else model.for_era(era)
    assert 0 < len(used.scorer()._combos) < len(pages[-1])


def test_a_scorer_that_keeps_no_columns_of_values_scores_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    from segmenter import classify

    model = read_model().pipeline
    pages = [split_lines(p.read_text(encoding="utf-8")) for p in PAGES]
    want = [predict_lines(model, lines)[2] for lines in pages]
    monkeypatch.setattr(classify, "_VALUES_KEPT", 0)  # every value's column looked up afresh
    fresh = LinearModel(
        model.vocabulary, model.coef, model.intercept, model.classes_, model.words, model.separator, model.era_model_
    )
    for lines, proba in zip(pages, want):
        np.testing.assert_allclose(predict_lines(fresh, lines)[2], proba, rtol=0, atol=1e-12)
    assert all(not columns for used in fresh.__dict__.get("_eras", {}).values() for columns in used.scorer()._valued.values())


def test_pages_scored_in_threads_at_once_score_as_alone() -> None:
    import threading

    shipped = read_model().pipeline
    # a scorer of its own, its tables empty: the threads race to fill them
    model = LinearModel(
        shipped.vocabulary, shipped.coef, shipped.intercept, shipped.classes_, shipped.words, shipped.separator,
        era_model_=shipped.era_model_,
    )
    pages = [split_lines(p.read_text(encoding="utf-8")) for p in PAGES] + [split_lines(t) for t in HOSTILE[3:]]
    want = [predict_lines(shipped, lines)[2] for lines in pages]
    failures: list[int] = []

    def work(k: int) -> None:
        for _ in range(3):
            for j in range(len(pages)):
                i = (j + k) % len(pages)
                if not np.allclose(predict_lines(model, pages[i])[2], want[i], rtol=0, atol=1e-12):
                    failures.append(i)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures


def test_broken_paragraphs_are_rejoined_by_the_page_scorer_too() -> None:
    model = read_model().pipeline
    lines = split_lines(PAGES[1].read_text(encoding="utf-8"))
    first = predict_lines(model, lines, rejoin=False)[0]
    assert len(broken_paragraphs(lines, first)) < len(lines)  # the case is exercised
    assert predict_lines(model, lines)[0] == _by_dicts(model, lines)[0]


@pytest.mark.parametrize("text", ["a\nb\n\nc\nd\n\n\n\ne\nf", "\n\na\nb\nc\n\n", "a"])
def test_folded_lines_keep_the_blank_lines_around_them(text: str) -> None:
    from segmenter.classify import _folded_gap_codes, _gap_codes
    from segmenter.features import fold_lines

    lines = split_lines(text)
    n = len(lines)
    for groups in ([[i] for i in range(n)], [list(range(n))], [list(range(k, min(n, k + 2))) for k in range(0, n, 2)]):
        assert _folded_gap_codes(_gap_codes(lines), groups).tolist() == _gap_codes(fold_lines(lines, groups)).tolist()


def _peak_bytes(lines: list) -> int:
    model = read_model().pipeline
    tracemalloc.start()
    predict_lines(model, lines)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def test_memory_per_line_is_a_few_hundred_bytes() -> None:
    predict_lines(read_model().pipeline, split_lines("a\n" * 10))  # the scorer's one-off tables
    small, large = _peak_bytes(split_lines("a\n" * 1500)), _peak_bytes(split_lines("a\n" * 3000))
    per_line = (large - small) / 1500
    assert per_line < 1500, per_line
