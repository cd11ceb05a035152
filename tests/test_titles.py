"""The title model's mechanics: which blocks it reads, what it reads of a title line, that its choice is the
record's headline, and that it is saved, listed on the card and loaded like the other decision models."""

from __future__ import annotations

import json

import numpy as np
import pytest

from segmenter.api import load_model
from segmenter.breaks import BreakModel
from segmenter.drafts import Draft
from segmenter.facts import PageFacts
from segmenter.lines import split_lines
from segmenter.model import DECISIONS, add_decision, add_titles, card_path, read_model, sha256_file, titles_path
from segmenter.records import build_records
from segmenter.stitch import stitch
from segmenter.titles import TITLE_THRESHOLD, as_title_model, title_block, title_features

H, S, B, BY = "headline", "subhead", "body", "byline"

# a kicker that is a whole sentence over its headline, the classifier's headline on the kicker
PAGE = [
    ("中办国办印发", H),
    ("省（自治区、直辖市）污染防治攻坚战成效考核措施", S),
    ("本报记者 王浩", BY),
    ("新华社北京5月30日电 近日，中共中央办公厅、国务院办公厅印发了考核措施，并发出通知。", B),
    ("通知要求，各地区各部门要结合实际认真贯彻落实。", B),
]


def records(items: list[tuple[str, str]], titles) -> list[dict]:
    lines = split_lines("\n\n".join(t for t, _ in items))
    labels = [label for _, label in items]
    st = stitch(lines, labels, titles=titles)
    return [a.to_dict() for a in build_records(st, lines, st.labels, [1.0] * len(lines), source="t")]


def test_a_title_block_has_two_lines_or_more_and_one_headline() -> None:
    labels = [label for _, label in PAGE]
    assert title_block(Draft(members=[0, 1, 2, 3, 4]), labels) == [0, 1]
    assert title_block(Draft(members=[0, 2, 3]), labels) == []  # one title line: nothing to choose
    assert title_block(Draft(members=[1, 2, 3]), labels) == []  # no headline read: the other passes decide
    assert title_block(Draft(members=[0, 1, 2], dup={1}), labels) == []  # a repeat is no title line


def test_features_compare_the_line_with_the_rest_of_its_block() -> None:
    lines = split_lines("\n\n".join(t for t, _ in PAGE))
    labels = [label for _, label in PAGE]
    facts = PageFacts(lines)
    kicker = title_features(facts, labels, [0, 1], 0, BY)
    headline = title_features(facts, labels, [0, 1], 1, BY)
    assert kicker["pos"] == "0/2" and kicker["was_headline"] and kicker["shortest"] and not kicker["longest"]
    assert headline["longest"] and headline["after|pos"] == "byline|1/2" and headline["level"] == "unmarked"
    assert title_features(facts, labels, [0, 1], 0, B)["after|pos"] == "body|0/2"


def test_the_choice_is_the_records_headline_and_the_other_line_a_subhead() -> None:
    assert records(PAGE, None)[0]["headline"] == "中办国办印发"
    second = lambda rows, block: len(rows) - 1  # noqa: E731 - a decision that takes the block's last line
    record = records(PAGE, second)[0]
    assert record["headline"] == "省（自治区、直辖市）污染防治攻坚战成效考核措施"
    assert record["subheadlines"] == ["中办国办印发"]
    assert records(PAGE, lambda rows, block: None)[0]["headline"] == "中办国办印发"


def test_a_model_picks_the_line_its_features_favour() -> None:
    longest = BreakModel(vocabulary={"longest": 0}, coef=np.array([3.0]), intercept=0.0, threshold=TITLE_THRESHOLD)
    assert records(PAGE, longest)[0]["headline"] == "省（自治区、直辖市）污染防治攻坚战成效考核措施"
    assert as_title_model(longest) is longest


def test_the_shipped_model_has_a_title_model_on_its_card(tmp_path) -> None:
    loaded = load_model().loaded
    assert loaded.titles is not None and loaded.titles.threshold == TITLE_THRESHOLD
    card = json.loads(card_path(loaded.path).read_text(encoding="utf-8"))
    assert card["titles"]["sha256"] == sha256_file(titles_path(loaded.path))
    # and a copy of the model without one gets it back from its arrays
    copy = tmp_path / "m.joblib"
    for src, name in ((loaded.path, "m.joblib"), (card_path(loaded.path), "m.json")):
        (tmp_path / name).write_bytes(src.read_bytes())
    (tmp_path / "m.npz").write_bytes(loaded.path.with_suffix(".npz").read_bytes())
    bare = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    for part in ("context", "breaks", "heads", "merges", "joins", "titles", "lexicon"):
        bare[part] = None
    bare["file"], bare["arrays"]["file"] = "m.joblib", "m.npz"
    (tmp_path / "m.json").write_text(json.dumps(bare), encoding="utf-8")
    assert read_model(copy).titles is None
    add_titles(copy, loaded.titles, fitted_on="test")
    assert read_model(copy).titles is not None
    assert json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))["titles"]["fitted_on"] == "test"


def test_add_decision_gives_a_bare_copy_each_decision_model_and_names_the_parts_it_knows(tmp_path) -> None:
    loaded = read_model()
    copy = tmp_path / "m.joblib"
    for src, name in ((loaded.path, "m.joblib"), (card_path(loaded.path), "m.json")):
        (tmp_path / name).write_bytes(src.read_bytes())
    (tmp_path / "m.npz").write_bytes(loaded.path.with_suffix(".npz").read_bytes())
    bare = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    for part in ("context", "lexicon", *DECISIONS):
        bare[part] = None
    bare["file"], bare["arrays"]["file"] = "m.joblib", "m.npz"
    (tmp_path / "m.json").write_text(json.dumps(bare), encoding="utf-8")
    for part in DECISIONS:
        assert getattr(read_model(copy), part) is None
        written = add_decision(copy, part, getattr(loaded, part), fitted_on="test")
        assert written == tmp_path / f"m.{part}.npz"
        got = getattr(read_model(copy), part)
        assert got is not None and got.threshold == getattr(loaded, part).threshold
        assert np.array_equal(got.coef, getattr(loaded, part).coef)
    card = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert all(card[part]["fitted_on"] == "test" for part in DECISIONS)
    with pytest.raises(ValueError, match="not a decision model"):
        add_decision(copy, "context", loaded.heads)
