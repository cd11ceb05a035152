"""The split model's mechanics: where it may cut an article, that a cut keeps every line once and makes the
intertitle run the new article's head block, and that it is saved, listed on the card and loaded."""

from __future__ import annotations

import json

import numpy as np

from segmenter.api import load_model
from segmenter.breaks import BreakModel
from segmenter.lines import split_lines
from segmenter.model import card_path, sha256_file, splits_path
from segmenter.records import build_records
from segmenter.splits import SPLIT_THRESHOLD, as_split_model, split_features
from segmenter.stitch import stitch

H, B, SEC, S = "headline", "body", "section", "subhead"

# a commentary, then a headline the classifier read as an intertitle and the report under it
PAGE = [
    ("# 老旧小区，好看更要宜居", H),
    ("老旧小区改造，既是惠民举措，又是民心工作；既是基建项目，更是社会治理工程。", B),
    ("好事要办好，向前一步少不了，“七分管”解决起来难度确实不小。", B),
    ("## 冲锋向前决胜小康", SEC),
    ("“冲锋号已经吹响。我们要万众一心加油干，越是艰险越向前。”习近平主席在新年贺词中这样说。", B),
    ("冲锋号已经吹响，需要一鼓作气的精神。摆脱贫困，承载着中国人民和中华民族的千年夙愿。", B),
    ("## 小结", SEC),  # a run that ends the article heads nothing
]


def records(items: list[tuple[str, str]], splits) -> list[dict]:
    lines = split_lines("\n\n".join(t for t, _ in items))
    labels = [label for _, label in items]
    st = stitch(lines, labels, splits=splits)
    return [a.to_dict() for a in build_records(st, lines, st.labels, [1.0] * len(lines), source="t")]


def test_without_a_split_the_intertitle_stays_inside() -> None:
    assert len(records(PAGE, None)) == 1
    assert len(records(PAGE, lambda features, run, draft: False)) == 1


def test_a_cut_makes_the_run_a_head_block_and_keeps_every_line_once() -> None:
    asked: list[list[int]] = []

    def cut(features, run, draft) -> bool:
        asked.append(list(run))
        return True

    recs = records(PAGE, cut)
    assert asked == [[3]]  # the run at the article's end is never asked about
    assert [r["headline"] for r in recs] == ["老旧小区，好看更要宜居", "冲锋向前决胜小康"]
    taken = sorted(ref["n"] for r in recs for ref in r["lines"])
    assert taken == sorted(set(taken)) and len(taken) == len(PAGE)
    assert {ref["n"]: ref["label"] for ref in recs[1]["lines"]}[7] == H


def test_features_read_both_parts_and_the_run() -> None:
    lines = split_lines("\n\n".join(t for t, _ in PAGE))
    labels = [label for _, label in PAGE]
    seen: list[dict] = []

    def keep(features, run, draft) -> bool:
        seen.append(features)
        return False

    st = stitch(lines, labels, splits=keep)
    assert len(seen) == 1
    f = seen[0]
    assert f["run"] == "1" and f["b_first"] == H and not f["b_headless"] and f["a_paragraphs"] == "3"
    assert st.labels[3] == SEC  # asked and kept: the intertitle is given back its label
    assert callable(split_features)


def test_a_model_cuts_from_its_threshold_on() -> None:
    always = BreakModel(vocabulary={"bias": 0}, coef=np.array([5.0]), intercept=0.0, threshold=SPLIT_THRESHOLD)
    never = BreakModel(vocabulary={"bias": 0}, coef=np.array([-5.0]), intercept=0.0, threshold=SPLIT_THRESHOLD)
    assert len(records(PAGE, always)) == 2 and len(records(PAGE, never)) == 1
    assert as_split_model(always) is always


def test_the_shipped_model_has_a_split_model_on_its_card() -> None:
    loaded = load_model().loaded
    assert loaded.splits is not None and loaded.splits.threshold == SPLIT_THRESHOLD
    card = json.loads(card_path(loaded.path).read_text(encoding="utf-8"))
    assert card["splits"]["sha256"] == sha256_file(splits_path(loaded.path))
