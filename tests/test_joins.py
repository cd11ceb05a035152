"""The join model's mechanics: what it reads of a stopped line and a candidate, that its decision is the one
the stitcher takes, and that it is trained, saved, listed on the card and loaded like the other decision
models; and the bug it fixed, pinned on the shipped model."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from segmenter.api import load_model
from segmenter.breaks import BreakModel
from segmenter.cli import main
from segmenter.joins import JOIN_THRESHOLD, as_join_model, decision, join_features, with_cross
from segmenter.lines import split_lines
from segmenter.model import add_joins, card_path, joins_path, read_model, sha256_file
from segmenter.records import build_records
from segmenter.stitch import stitch
from small_training import needs_corpora, train_args

H, B = "headline", "body"

# two paragraphs, each broken at a column end; the second one's rest opens with an enumeration comma
BROKEN = [
    ("# 海关推进通关便利化", H),
    ("记者：全国海关将如何贯彻落实这一", B),
    ("要求，进一步增强进出口企业的获得感？", B),
    ("倪岳峰：一是深化改革攻坚推进通关提效降费，转变管理理念", B),
    ("、管理方式，继续精简审批事项，压缩内部审批环节。", B),
    ("二是统一规范执法，维护公平公正的市场秩序。", B),
]


def paragraphs(items: list[tuple[str, str]], joins) -> list[list[int]]:
    """The line numbers of each body block of the page's one article."""
    lines = split_lines("\n\n".join(t for t, _ in items))
    labels = [label for _, label in items]
    st = stitch(lines, labels, joins=joins)
    records = [a.to_dict() for a in build_records(st, lines, st.labels, [1.0] * len(lines), source="t")]
    assert len(records) == 1
    return [block["lines"] for block in records[0]["blocks"] if block["label"] == B]


def test_features_read_both_sides_of_the_break() -> None:
    f = join_features("转变管理理念", "、管理方式，继续精简", rank=2, between=2, heads_between=0, above_open=True)
    assert f["first_non_opening"] and f["first_class"] == "、" and f["last"] == "念"
    assert not f["next"] and f["rank"] == "2" and f["above_open"] and "cross" not in f
    g = with_cross(join_features("这一", "要求，", rank=0, between=0, heads_between=0, above_open=False), True)
    assert g["next"] and g["cross"] and g["cross|next"] and g["next|pair"] == "han|han"
    assert not with_cross(f, True)["cross|next"]


def test_the_decision_is_the_one_the_stitcher_takes() -> None:
    # a decision that never joins leaves every line a paragraph of its own; one that always takes the
    # last candidate joins each stopped line to it
    assert paragraphs(BROKEN, lambda rows, line, cands, cross: None) == [[3], [5], [7], [9], [11]]
    taken = paragraphs(BROKEN, lambda rows, line, cands, cross: len(rows) - 1)
    assert [3, 11] in taken


def test_regression_a_stopped_line_takes_its_own_rest_not_a_later_line_that_opens_with_a_comma() -> None:
    # the rules joined line 3 to line 9 (it opens with 、, which no paragraph opens with) and left line 5
    # alone; the shipped model's join model reads the break right after line 3 as the likelier one
    joins = load_model().loaded.joins
    assert paragraphs(BROKEN, None) != [[3, 5], [7, 9], [11]]
    assert paragraphs(BROKEN, joins) == [[3, 5], [7, 9], [11]]


def test_the_shipped_model_has_a_join_model_on_its_card() -> None:
    loaded = load_model().loaded
    assert loaded.joins is not None and loaded.joins.threshold == JOIN_THRESHOLD
    card = json.loads(card_path(loaded.path).read_text(encoding="utf-8"))
    assert card["joins"]["sha256"] == sha256_file(joins_path(loaded.path))


@pytest.mark.parametrize("seed", range(40))
def test_the_decision_asks_the_word_test_lazily_and_answers_as_the_full_rows_do(seed: int) -> None:
    rng = np.random.default_rng(seed)
    names = ["next", "above_open", "running", "cross", "cross|next"]
    model = BreakModel(
        vocabulary={n: k for k, n in enumerate(names)},
        coef=np.round(rng.normal(0.0, 2.0, len(names)), 1),  # rounded: ties happen
        intercept=float(np.round(rng.normal(0.0, 1.0), 1)),
        threshold=JOIN_THRESHOLD,
    )
    n = int(rng.integers(1, 7))
    rows = [
        {"next": k == 0, "above_open": bool(rng.integers(2)), "running": bool(rng.integers(2))} for k in range(n)
    ]
    crossed = [bool(rng.integers(2)) for _ in range(n)]
    asked: list[int] = []

    def cross(k: int) -> bool:
        asked.append(k)
        return crossed[k]

    got = decision(model)([dict(r) for r in rows], 0, list(range(n)), cross)
    full = [model.score(with_cross(dict(r), c)) for r, c in zip(rows, crossed)]
    floor = 0.0  # the log-odds of the threshold 0.5
    qualified = [k for k in range(n) if full[k] >= floor]
    want = min(qualified, key=lambda k: (-full[k], k)) if qualified else None
    assert got == want
    assert len(asked) == len(set(asked)) <= n


def test_a_constant_model_decides_through_its_threshold() -> None:
    never = BreakModel(vocabulary={"next": 0}, coef=np.array([-9.0]), intercept=-9.0, threshold=JOIN_THRESHOLD)
    assert paragraphs(BROKEN, never) == [[3], [5], [7], [9], [11]]


@needs_corpora
def test_train_writes_join_and_title_models_no_joins_removes_one_and_add_joins_puts_it_back(tmp_path: Path) -> None:
    out = tmp_path / "m.joblib"
    common = train_args(tmp_path, out, "--limit", "8", "--no-lexicon")
    assert main(common) == 0
    card = json.loads(card_path(out).read_text(encoding="utf-8"))
    assert card["joins"]["file"] == joins_path(out).name == "m.joins.npz"
    assert card["params"]["joins"] == {"C": 1.0, "words": "none"}
    # the title model is fitted after it, on the same walk
    assert card["titles"]["file"] == "m.titles.npz" and card["params"]["titles"] == {"C": 1.0}
    joins = load_model(out).loaded.joins
    assert joins is not None
    assert main([*common, "--overwrite", "--no-joins"]) == 0
    assert not joins_path(out).exists() and load_model(out).loaded.joins is None
    add_joins(out, joins)
    assert read_model(out).joins is not None
    assert as_join_model(joins) is joins
