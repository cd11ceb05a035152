"""The merge model's mechanics: what it reads of two neighbouring articles, what joining them does, and
that it is trained, saved, listed on the card and loaded like the other decision models."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from segmenter.api import load_model
from segmenter.breaks import BreakModel
from segmenter.cli import main
from segmenter.facts import PageFacts
from segmenter.lines import split_lines
from segmenter.merges import MERGE_THRESHOLD, as_merge_model, decide_merges, pair_features
from segmenter.model import add_merges, card_path, merges_path, read_model, sha256_file
from segmenter.records import build_records
from segmenter.stitch import stitch
from small_training import needs_corpora, train_args

H, S, B, BY, SEC = "headline", "subhead", "body", "byline", "section"

# a package: one headline, two short stories each with its own title and writer
PACKAGE = [
    ("# 年夜饭 年味浓（新春走基层）", H),
    ("山东胶州·杨维安、杨孝亮父子", S),
    ("## 脱贫年夜饭 再定新目标", H),
    ("本报记者 潘俊强", BY),
    ("腊月二十八，杨维安一家早早忙活起来，炖鸡、炸丸子，一桌年夜饭渐渐有了模样。", B),
    ("“今年日子好了，年夜饭也丰盛了。”杨维安说，家里养了七十多只羊，收入翻了一番。", B),
    ("黑龙江漠河·外地游客", S),
    ("## 相聚北极村 体验东北年", H),
    ("本报记者 方 圆", BY),
    ("来自广东的游客王女士一家，第一次在北极村过年，冰雪和烟花让孩子们兴奋不已。", B),
    ("“在零下三十多摄氏度吃饺子，这样的年夜饭终生难忘。”王女士说。", B),
]


def constant(joins: bool) -> BreakModel:
    """A merge model that always says the same (its only feature is the bias)."""
    return BreakModel(
        vocabulary={"bias": 0}, coef=np.array([5.0 if joins else -5.0]), intercept=0.0, threshold=MERGE_THRESHOLD
    )


def records(items: list[tuple[str, str]], merges: BreakModel | None) -> list[dict]:
    lines = split_lines("\n\n".join(t for t, _ in items))
    labels = [label for _, label in items]
    st = stitch(lines, labels, merges=merges)
    return [a.to_dict() for a in build_records(st, lines, st.labels, [1.0] * len(lines), source="t")]


def test_without_a_merge_model_the_package_stories_stand_apart() -> None:
    assert len(records(PACKAGE, None)) == 2
    assert len(records(PACKAGE, constant(False))) == 2


def test_joined_stories_keep_every_line_once_and_the_first_headline() -> None:
    recs = records(PACKAGE, constant(True))
    assert len(recs) == 1
    assert recs[0]["headline"] == "年夜饭 年味浓（新春走基层）"
    taken = sorted(ref["n"] for ref in recs[0]["lines"])
    assert taken == sorted(set(taken)) and len(taken) == len(PACKAGE)
    # the second story's kicker and title are intertitles of the package now, its writer still a byline
    by_n = {ref["n"]: ref["label"] for ref in recs[0]["lines"]}
    assert by_n[13] == by_n[15] == SEC and by_n[17] == BY


def test_pair_features_read_both_articles() -> None:
    lines = split_lines("\n\n".join(t for t, _ in PACKAGE))
    labels = [label for _, label in PACKAGE]
    st = stitch(lines, labels)
    a, b = st.articles
    f = pair_features(a, b, st.labels, PageFacts(lines))
    assert f["b_byline"] and not f["b_headless"] and not f["b_lead_dated"]
    assert f["b_shape"] == "sHb" and not f["same_shape"]  # the first article opens with the package headline
    assert f["a_head_tag"] and f["b_first"] == S


def test_a_continued_article_is_never_joined_to_the_one_before() -> None:
    items = [("# 新规定发布", H), (PACKAGE[4][0], B), ("（上接第一版）" + PACKAGE[5][0], B), (PACKAGE[9][0], B)]
    lines = split_lines("\n\n".join(t for t, _ in items))
    labels = [label for _, label in items]
    st = stitch(lines, labels)
    assert len(st.articles) == 2 and st.articles[1].continued
    assert len(decide_merges(constant(True), st.articles, list(st.labels), PageFacts(lines))) == 2


def test_the_shipped_model_has_a_merge_model_on_its_card() -> None:
    loaded = load_model().loaded
    assert loaded.merges is not None and loaded.merges.threshold == MERGE_THRESHOLD
    card = json.loads(card_path(loaded.path).read_text(encoding="utf-8"))
    assert card["merges"]["sha256"] == sha256_file(merges_path(loaded.path))


@needs_corpora
def test_train_writes_a_merge_model_no_merges_removes_it_and_add_merges_puts_one_back(tmp_path: Path) -> None:
    out = tmp_path / "m.joblib"
    common = train_args(tmp_path, out, "--limit", "8", "--no-lexicon")
    assert main(common) == 0
    card = json.loads(card_path(out).read_text(encoding="utf-8"))
    assert card["merges"]["file"] == merges_path(out).name == "m.merges.npz"
    assert card["params"]["merges"] == {"C": 1.0}
    merges = load_model(out).loaded.merges
    assert merges is not None
    assert main([*common, "--overwrite", "--no-merges"]) == 0
    assert not merges_path(out).exists() and load_model(out).loaded.merges is None
    add_merges(out, merges)
    assert read_model(out).merges is not None
    assert as_merge_model(merges) is merges
