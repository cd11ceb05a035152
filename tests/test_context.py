"""The context pass (segmenter.context): each line's probabilities read again beside its neighbours'."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from segmenter import load_model
from segmenter.classify import broken_paragraphs, predict_lines
from segmenter.cli import main
from segmenter.context import ContextPass, context_features, n_context_features
from segmenter.lines import split_lines
from segmenter.model import card_path, context_path, sha256_file
from segmenter.train import DEFAULT_CORPUS, rendered_pages

CLASSES = ["body", "headline", "subhead"]
BODY, HEAD, SUB = range(3)


def _proba(labels: list[int], sure: float = 0.9) -> np.ndarray:
    """First-pass probabilities that lean ``sure`` towards each given label."""
    proba = np.full((len(labels), len(CLASSES)), (1 - sure) / (len(CLASSES) - 1))
    proba[np.arange(len(labels)), labels] = sure
    return proba


@pytest.mark.parametrize("n", [1, 2, 3, 7, 30])
def test_a_page_of_any_length_gives_one_row_of_features_per_line(n: int) -> None:
    features = context_features(_proba([BODY] * n), BODY)
    assert features.shape == (n, n_context_features(len(CLASSES)))
    assert np.isfinite(features).all()


def test_the_neighbours_beyond_the_page_are_flagged() -> None:
    k = len(CLASSES)
    features = context_features(_proba([HEAD, BODY, BODY]), BODY, window=2)
    # columns: own (k), then for d = -2, -1, +1, +2: the neighbour's k log-probabilities and a flag
    flag = {d: k + j * (k + 1) + k for j, d in enumerate((-2, -1, 1, 2))}
    assert [features[0, flag[d]] for d in (-2, -1, 1, 2)] == [1, 1, 0, 0]
    assert [features[2, flag[d]] for d in (-2, -1, 1, 2)] == [0, 0, 1, 1]
    # the line above the last but one is the headline: its log-probabilities, not zeros
    assert features[1, flag[-1] - k + HEAD] == pytest.approx(np.log(0.9))


def test_the_nearest_head_line_beyond_the_window_and_how_far() -> None:
    k = len(CLASSES)
    labels = [HEAD] + [BODY] * 9
    features = context_features(_proba(labels), BODY, window=2)
    above = k + 4 * (k + 1)  # then k log-probabilities and three distance buckets
    assert not features[:3, above : above + k + 3].any()  # none above, or within the window
    assert features[3, above + HEAD] == pytest.approx(np.log(0.9))
    buckets = features[:, above + k : above + k + 3]
    assert buckets[3].tolist() == [1, 0, 0]  # 3 lines down: 1 beyond the window
    assert buckets[6].tolist() == [0, 1, 0]
    assert buckets[9].tolist() == [0, 0, 1]
    below = above + k + 3
    assert not features[:, below:].any()  # no head line below any line


def _kicker_pages(n_pages: int, seed: int = 0) -> tuple[list[np.ndarray], list[list[str]]]:
    """Pages of body text with head blocks of two lines that the first pass reads as two headlines;
    in the gold the first line of each block is a kicker (subhead)."""
    rng = np.random.default_rng(seed)
    probas, golds = [], []
    for _ in range(n_pages):
        first, gold = [], []
        for _block in range(4):
            size = int(rng.integers(1, 3))
            first += [HEAD] * size
            gold += ["subhead", "headline"] if size == 2 else ["headline"]
            body = int(rng.integers(3, 8))
            first += [BODY] * body
            gold += ["body"] * body
        probas.append(_proba(first, sure=float(rng.uniform(0.6, 0.95))))
        golds.append(gold)
    return probas, golds


def test_a_headline_over_a_headline_is_learned_to_be_its_kicker() -> None:
    probas, golds = _kicker_pages(40)
    passed = ContextPass().fit(probas, golds, CLASSES)
    page = _proba([BODY, BODY, HEAD, HEAD, BODY, BODY, HEAD, BODY])
    labels = [CLASSES[k] for k in passed.predict_proba(page).argmax(axis=1)]
    assert labels == ["body", "body", "subhead", "headline", "body", "body", "headline", "body"]
    # the first pass alone reads both lines of the block as headlines
    assert [CLASSES[k] for k in page.argmax(axis=1)][2:4] == ["headline", "headline"]


def test_the_output_has_the_first_pass_columns_even_for_a_label_no_training_line_has() -> None:
    probas, golds = _kicker_pages(10)
    golds = [["headline" if g == "subhead" else g for g in gold] for gold in golds]
    passed = ContextPass().fit(probas, golds, CLASSES)
    out = passed.predict_proba(probas[0])
    assert out.shape == probas[0].shape
    assert np.allclose(out.sum(axis=1), 1.0)
    assert out[:, SUB].max() < 1e-6


def test_saved_and_loaded_it_gives_the_same_probabilities(tmp_path) -> None:
    probas, golds = _kicker_pages(10)
    passed = ContextPass().fit(probas, golds, CLASSES)
    passed.save(tmp_path / "c.npz")
    again = ContextPass.load(tmp_path / "c.npz")
    assert again.window == passed.window and again.classes_.tolist() == CLASSES
    assert np.allclose(again.predict_proba(probas[1]), passed.predict_proba(probas[1]))


@pytest.mark.parametrize(
    "arrays, message",
    [
        ({"coef": np.zeros((3, 5)), "intercept": np.zeros(3), "classes": np.array(CLASSES), "window": np.array(2)},
         "do not fit"),
        ({"coef": np.zeros((3, n_context_features(3))), "intercept": np.zeros(3), "classes": np.array(["x", "y", "z"]),
          "window": np.array(2)}, "not distinct segmenter labels"),
        ({"coef": np.zeros((3, n_context_features(3))), "intercept": np.zeros(3), "classes": np.array(CLASSES), "window": np.array(99)},
         "window 99"),
        ({"coef": np.zeros((3, n_context_features(3))), "intercept": np.zeros(3), "classes": np.array(CLASSES, dtype=object),
          "window": np.array(2)}, "Object arrays cannot be loaded"),
    ],
    ids=["shapes", "labels", "window", "pickled objects"],
)
def test_arrays_that_are_no_context_pass_are_refused(tmp_path, arrays: dict, message: str) -> None:
    np.savez(tmp_path / "c.npz", **arrays)
    with pytest.raises(ValueError, match=message):
        ContextPass.load(tmp_path / "c.npz")


def test_an_unfitted_context_pass_says_so() -> None:
    with pytest.raises(ValueError, match="not fitted"):
        ContextPass().predict_proba(_proba([BODY]))


def test_labels_the_line_model_does_not_have_are_refused() -> None:
    with pytest.raises(ValueError, match=r"\['advert'\] are not among"):
        ContextPass().fit([_proba([BODY, HEAD])], [["body", "advert"]], CLASSES)


def test_predict_lines_refuses_a_context_pass_of_other_labels() -> None:
    from segmenter.api import load_model
    from segmenter.classify import broken_paragraphs, predict_lines
    from segmenter.lines import split_lines

    passed = ContextPass().fit(*_kicker_pages(5), CLASSES)
    with pytest.raises(ValueError, match="are not the line model's"):
        predict_lines(load_model().loaded.pipeline, split_lines("一段正文。\n"), context=passed)


@pytest.mark.skipif(not DEFAULT_CORPUS.is_file(), reason="needs ../shared/corpora/pd1998")
def test_train_writes_a_context_pass_that_split_reads_and_no_context_removes_it(tmp_path: Path) -> None:
    out = tmp_path / "m.joblib"
    none = str(tmp_path / "no-annotated-pages")
    common = ["train", "--corpus", str(DEFAULT_CORPUS), "--limit", "9", "--copies", "1", "--no-eval", "--pages", none]
    common += ["--no-lexicon", "--out", str(out)]
    assert main(common) == 0
    card = json.loads(card_path(out).read_text(encoding="utf-8"))
    assert card["context"]["file"] == context_path(out).name == "m.context.npz"
    assert card["context"]["sha256"] == sha256_file(context_path(out))
    assert card["params"]["context"]["folds"] == 3
    loaded = load_model(out).loaded
    assert loaded.context is not None and loaded.context.classes_.tolist() == card["labels"]

    # split reads the page through the context pass: the labels are its argmax, not the first pass's
    text = rendered_pages(DEFAULT_CORPUS, split="train", seed=1, copies=1, limit=1)[0][0]
    lines = split_lines(text)
    labels, _, proba = predict_lines(loaded.pipeline, lines, context=loaded.context)
    first, _, first_proba = predict_lines(loaded.pipeline, lines)
    again = loaded.context.predict_proba(first_proba)
    broken = [i for group in broken_paragraphs(lines, first) if len(group) > 1 for i in group]
    again[broken] = first_proba[broken]  # the lines of a broken paragraph keep the first pass's
    assert np.allclose(proba, again)
    records = load_model(out).split(text)
    assert {ref.n for record in records for ref in record.lines} == {line.n for line in lines}

    assert main([*common, "--no-context"]) == 0
    assert not context_path(out).exists()
    assert json.loads(card_path(out).read_text(encoding="utf-8"))["context"] is None
    assert load_model(out).loaded.context is None


def test_the_rest_of_a_broken_paragraph_keeps_its_body_label_through_the_context_pass() -> None:
    # regression: the rest of a photo item's broken paragraph, right above its credit, was read as a caption by
    # the context pass (it sees the neighbours' labels, not that the line above stops inside a sentence), and
    # the article lost half its text
    loaded = load_model().loaded
    classes = [str(c) for c in loaded.pipeline.classes_]
    every_line_a_caption = ContextPass()
    every_line_a_caption.classes_ = np.asarray(classes)
    every_line_a_caption.coef_ = np.zeros((len(classes), n_context_features(len(classes))))
    every_line_a_caption.intercept_ = np.where(np.asarray(classes) == "caption", 10.0, 0.0)
    text = (
        "自2018年组建以来，工区负责三座高海拔车站的信号设备日常维护和故障处理。来自各民族的10名青年\n\n"
        "以乐观向上的姿态坚守岗位，以高度的责任与担当，为即将到来的春运筑牢安全防线，守护铁路畅通。\n\n"
        "另一段完整的正文，说完了。\n"
    )
    lines = split_lines(text)
    first, _, _ = predict_lines(loaded.pipeline, lines)
    assert first[:2] == ["body", "body"]
    labels, _, _ = predict_lines(loaded.pipeline, lines, context=every_line_a_caption)
    assert labels == ["body", "body", "caption"]
