"""Tests of the evaluation module and the Markdown-heading baseline."""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import pytest

from segmenter.evaluate import (
    MISSING,
    Scores,
    char_ngram_f1,
    check_gate,
    format_label_table,
    format_table,
    gold_article_text,
    markdown_baseline,
    normalize,
    score_page,
    score_pages,
)

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PAGE_NAMES = sorted(p.stem for p in (SHARED / "pages").glob("*.txt")) if SHARED.is_dir() else []
needs_shared = pytest.mark.skipif(len(PAGE_NAMES) < 3, reason="../shared pages and gold are not available")

RECORD_KEYS = {
    "source", "index", "kind", "headline", "subheadlines", "byline", "dateline", "continued", "blocks", "text", "lines",
}  # fmt: skip


def load_gold(name: str) -> dict[str, Any]:
    return json.loads((SHARED / "gold" / f"{name}.json").read_text(encoding="utf-8"))


def load_page(name: str) -> str:
    return (SHARED / "pages" / f"{name}.txt").read_text(encoding="utf-8")


def perfect_blocks(by_n: dict[int, Any], article: dict[str, Any]) -> list[dict[str, Any]]:
    """One block per paragraph: a ``join`` line extends the block of the line before it (repeats skipped)."""
    blocks: list[dict[str, Any]] = []
    for n in article["order"]:
        line = by_n[n]
        if line["dup"]:
            continue
        if line["join"] and blocks:
            blocks[-1]["text"] += line["text"]
            blocks[-1]["lines"].append(n)
        else:
            blocks.append({"label": line["label"], "text": line["text"], "lines": [n]})
    return blocks


def record_from_gold(gold: dict[str, Any], article: dict[str, Any], index: int) -> dict[str, Any]:
    """The record a perfect system would write for one gold article."""
    by_n = {line["n"]: line for line in gold["lines"]}
    return {
        "source": gold["source"],
        "index": index,
        "kind": article["kind"],
        "headline": article["headline"],
        "subheadlines": [],
        "byline": None,
        "dateline": None,
        "continued": article["continued"],
        "blocks": perfect_blocks(by_n, article),
        "text": gold_article_text(gold, article),
        "lines": [{"n": n, "label": by_n[n]["label"], "confidence": 1.0} for n in article["order"]],
    }


def perfect_records(gold: dict[str, Any]) -> list[dict[str, Any]]:
    """A perfect system's output: one record per gold article, furniture in a closing ``other`` record."""
    records = [record_from_gold(gold, a, i) for i, a in enumerate(a for a in gold["articles"] if a["id"] != 0)]
    furniture = [line for line in gold["lines"] if line["article"] == 0]
    if furniture:
        records.append(
            {
                "source": gold["source"], "index": len(records), "kind": "other", "headline": None,
                "subheadlines": [], "byline": None, "dateline": None, "continued": False,
                "blocks": [{"label": "other", "text": ln["text"], "lines": [ln["n"]]} for ln in furniture],
                "text": "",
                "lines": [{"n": ln["n"], "label": ln["label"], "confidence": 1.0} for ln in furniture],
            }
        )  # fmt: skip
    return records


def single(records: list[dict[str, Any]], gold: dict[str, Any]) -> Scores:
    return score_pages([(records, gold)])


def tiny_gold() -> dict[str, Any]:
    """A hand-made page: furniture, two articles (one without headline), a dup line."""
    lines = [
        (1, "第3版 要闻", "other", 0, False),
        (3, "# 甲地举办冬季运动会", "headline", 1, False),
        (5, "新华社甲地1月2日电 冬季运动会今天在甲地开幕，来自各地的运动员参加比赛。", "body", 1, False),
        (7, "比赛共设十个大项，将持续到本月底。", "body", 1, False),
        (9, "比赛共设十个大项，将持续到本月底。", "body", 1, True),
        (11, "这是开幕式现场。（新华社记者 某某 摄）", "caption", 2, False),
        (13, "人民日报社出版", "other", 0, False),
    ]
    return {
        "source": "tiny.txt",
        "lines": [
            {"n": n, "text": t, "label": lab, "article": a, "join": False, "dup": d} for n, t, lab, a, d in lines
        ],
        "articles": [
            {"id": 1, "kind": "news", "headline": "甲地举办冬季运动会", "continued": False, "order": [3, 5, 7, 9]},
            {"id": 2, "kind": "photo", "headline": None, "continued": False, "order": [11]},
        ],
    }


# --------------------------------------------------------------------------------------------------
# text helpers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# 凝心聚力 推动发展", "凝心聚力推动发展"),
        ("### （二）\n正文 第一段", "(二)正文第一段"),  # marks per line, NFKC full-width brackets
        ("  ## 标题\n\n　全角空格", "标题全角空格"),
        ("世卫组织：美国", "世卫组织:美国"),
        ("正文里的#号不动", "正文里的#号不动"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize(text: str | None, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("", "", 1.0),
        ("", "   \n ", 1.0),  # whitespace only is empty
        (None, "", 1.0),
        ("", "新华社北京电", 0.0),
        ("新华社北京电", "新华社北京电", 1.0),
        ("新华社 北京电", "# 新华社北京电", 1.0),  # whitespace and Markdown marks do not count
        ("（二）", "(二)", 1.0),  # NFKC
        ("甲", "甲", 1.0),  # shorter than 3: the whole string is one gram
        ("甲乙", "甲乙", 1.0),
        ("甲乙", "甲丙", 0.0),
        ("甲乙", "甲乙丙", 0.0),  # one gram "甲乙" vs one gram "甲乙丙"
        ("甲甲甲甲", "甲甲甲", 2 * 1 / (2 + 1)),  # multisets: {甲甲甲: 2} vs {甲甲甲: 1}
        ("甲乙丙丁", "乙丙丁戊", 2 * 1 / (2 + 2)),
        ("甲乙丙", "丁戊己", 0.0),
    ],
)
def test_char_ngram_f1(a: str | None, b: str | None, expected: float) -> None:
    assert char_ngram_f1(a, b) == pytest.approx(expected)
    assert char_ngram_f1(b, a) == pytest.approx(expected)  # symmetric


def test_char_ngram_f1_other_n() -> None:
    assert char_ngram_f1("甲乙丙", "甲乙丁", n=1) == pytest.approx(2 / 3)
    with pytest.raises(ValueError):
        char_ngram_f1("甲", "乙", n=0)


def test_gold_article_text_takes_content_labels_in_order_without_dups() -> None:
    gold = tiny_gold()
    text = gold_article_text(gold, gold["articles"][0])
    assert text == (
        "新华社甲地1月2日电 冬季运动会今天在甲地开幕，来自各地的运动员参加比赛。\n比赛共设十个大项，将持续到本月底。"
    )
    assert gold_article_text(gold, 2) == "这是开幕式现场。（新华社记者 某某 摄）"
    with pytest.raises(ValueError):
        gold_article_text(gold, 99)


def test_gold_article_text_follows_order_not_file_order() -> None:
    gold = tiny_gold()
    gold["articles"][0]["order"] = [3, 7, 5, 9]
    assert gold_article_text(gold, 1).startswith("比赛共设")


@needs_shared
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_dup_lines_do_not_change_gold_content(name: str) -> None:
    gold = load_gold(name)
    without = copy.deepcopy(gold)
    dups = {line["n"] for line in gold["lines"] if line["dup"]}
    without["lines"] = [line for line in gold["lines"] if not line["dup"]]
    for article in without["articles"]:
        article["order"] = [n for n in article["order"] if n not in dups]
    for article in gold["articles"]:
        assert gold_article_text(gold, article) == gold_article_text(without, article["id"])


# --------------------------------------------------------------------------------------------------
# golden cases on the shared pages


@needs_shared
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_perfect_system_scores_one_everywhere(name: str) -> None:
    gold = load_gold(name)
    scores = single(perfect_records(gold), gold)
    row = scores.as_row()
    assert row["gold_articles"] == row["system_articles"] == row["correct_articles"] == len(gold["articles"])
    for metric, value in row.items():
        if metric not in {"pages", "gold_articles", "system_articles", "correct_articles"}:
            assert value == pytest.approx(1.0), metric
    assert all(s.f1 == pytest.approx(1.0) for s in scores.label_scores().values())


@needs_shared
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_merging_two_articles_loses_recall_and_bcubed_precision(name: str) -> None:
    gold = load_gold(name)
    records = perfect_records(gold)
    first, second = records[0], records[1]
    first["lines"] += second["lines"]
    first["blocks"] += second["blocks"]
    first["text"] += "\n" + second["text"]
    del records[1]
    scores = single(records, gold)
    assert scores.correct_articles <= len(gold["articles"]) - 1
    assert scores.article_recall < 1.0
    assert scores.bcubed_precision < 1.0
    assert scores.bcubed_recall == pytest.approx(1.0)
    assert scores.line_macro_f1 == pytest.approx(1.0)  # labels untouched


@needs_shared
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_splitting_an_article_loses_bcubed_recall(name: str) -> None:
    gold = load_gold(name)
    records = perfect_records(gold)
    k = max(range(len(records)), key=lambda i: len(records[i]["lines"]))
    whole = records[k]
    half = len(whole["lines"]) // 2
    tail = dict(whole, headline=None, lines=whole["lines"][half:], text="")
    whole["lines"] = whole["lines"][:half]
    records.insert(k + 1, tail)
    scores = single(records, gold)
    assert scores.bcubed_recall < 1.0
    assert scores.bcubed_precision == pytest.approx(1.0)
    assert scores.system_articles == len(gold["articles"]) + 1
    assert scores.article_precision < 1.0


@needs_shared
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_wrong_headline_makes_the_article_incorrect(name: str) -> None:
    gold = load_gold(name)
    records = perfect_records(gold)
    records[0]["headline"] = (records[0]["headline"] or "") + "不对"
    scores = single(records, gold)
    n = len(gold["articles"])
    assert scores.correct_articles == n - 1
    assert scores.headline_accuracy == pytest.approx((n - 1) / n)
    assert scores.content_f1 == pytest.approx(1.0)


@needs_shared
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_headline_compared_after_normalisation(name: str) -> None:
    gold = load_gold(name)
    records = perfect_records(gold)
    for record in records:
        if record["headline"]:
            record["headline"] = "## " + " ".join(record["headline"]) + " \n"
    assert single(records, gold).article_f1 == pytest.approx(1.0)


@needs_shared
def test_repeated_text_in_output_lowers_content() -> None:
    # 000_… prints one article three times over: its gold content keeps one copy
    name = next(n for n in PAGE_NAMES if any(line["dup"] for line in load_gold(n)["lines"]))
    gold = load_gold(name)
    records = perfect_records(gold)
    by_n = {line["n"]: line for line in gold["lines"]}
    for record, article in zip(records, gold["articles"], strict=True):
        labels = {"body", "section", "caption"}
        record["text"] = "\n".join(by_n[n]["text"] for n in article["order"] if by_n[n]["label"] in labels)
    scores = single(records, gold)
    assert scores.content_f1 < 1.0
    assert scores.article_recall < 1.0


@needs_shared
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_markdown_baseline_on_shared_pages(name: str) -> None:
    gold = load_gold(name)
    text = load_page(name)
    records = markdown_baseline(text, source=f"{name}.txt")
    page_lines = text.split("\n")
    for i, record in enumerate(records):
        assert set(record) == RECORD_KEYS
        assert record["index"] == i and record["kind"] == "news" and record["source"] == f"{name}.txt"
        assert record["text"] == "\n".join(b["text"] for b in record["blocks"])
        for entry in record["lines"]:
            assert page_lines[entry["n"] - 1].strip()  # every listed line is a non-empty page line
            assert entry["confidence"] == 1.0
    listed = [e["n"] for r in records for e in r["lines"]]
    assert sorted(listed) == sorted(line["n"] for line in gold["lines"])  # every non-empty line, once
    row = single(records, gold).as_row()
    assert all(math.isfinite(v) and 0.0 <= v for v in row.values())


@needs_shared
def test_markdown_baseline_is_below_perfect_somewhere() -> None:
    worst = []
    for name in PAGE_NAMES:
        gold = load_gold(name)
        row = single(markdown_baseline(load_page(name)), gold).as_row()
        worst.append(min(row["article_f1"], row["content_f1"], row["line_macro_f1"], row["bcubed_f1"]))
    assert min(worst) < 1.0


# --------------------------------------------------------------------------------------------------
# synthetic cases


def test_furniture_and_leftovers() -> None:
    gold = tiny_gold()
    records = perfect_records(gold)
    assert records[-1]["kind"] == "other"
    scores = single(records, gold)
    assert scores.system_articles == 2 and scores.correct_articles == 2
    assert scores.bcubed_f1 == pytest.approx(1.0) and scores.line_macro_f1 == pytest.approx(1.0)

    # furniture swallowed by an article: B³ precision drops, the label of that line is wrong
    records = perfect_records(gold)
    records[0]["lines"].insert(0, {"n": 1, "label": "body", "confidence": 0.5})
    del records[-1]["lines"][0]
    scores = single(records, gold)
    assert scores.bcubed_precision < 1.0 and scores.bcubed_recall == pytest.approx(1.0)
    assert scores.label_scores()["other"].recall == pytest.approx(0.5)


def test_leftover_record_is_never_an_article() -> None:
    gold = tiny_gold()
    records = perfect_records(gold)
    records[1]["kind"] = "other"  # the photo article reported as leftovers
    scores = single(records, gold)
    assert scores.system_articles == 1
    assert scores.correct_articles == 1
    assert scores.article_recall == pytest.approx(0.5)
    assert scores.content_f1 == pytest.approx(0.5)
    # a single-line article is a singleton either way, so B³ does not notice
    assert scores.bcubed_f1 == pytest.approx(1.0)


def test_missing_line_counts_as_wrong() -> None:
    gold = tiny_gold()
    records = perfect_records(gold)
    records[0]["lines"] = [e for e in records[0]["lines"] if e["n"] != 7]
    page = score_page(records, gold)
    assert page.confusion[("body", MISSING)] == 1
    scores = single(records, gold)
    body = scores.label_scores()["body"]
    assert body.recall == pytest.approx(2 / 3) and body.precision == pytest.approx(1.0) and body.support == 3
    assert MISSING not in scores.label_scores()
    assert scores.bcubed_recall < 1.0


def test_label_errors_and_macro_over_seen_labels() -> None:
    gold = tiny_gold()
    records = perfect_records(gold)
    records[1]["lines"][0]["label"] = "body"  # caption → body
    scores = single(records, gold)
    per = scores.label_scores()
    assert set(per) == {"headline", "body", "caption", "other"}
    assert per["caption"].f1 == 0.0 and per["caption"].support == 1 and per["caption"].predicted == 0
    assert per["body"].precision == pytest.approx(3 / 4)
    assert scores.line_macro_f1 == pytest.approx((1 + 2 * 0.75 / 1.75 + 0 + 1) / 4)


def test_null_headline_matches_null_only() -> None:
    gold = tiny_gold()
    for headline, correct in [(None, 2), ("", 2), ("   ", 2), ("这是开幕式", 1)]:
        records = perfect_records(gold)
        records[1]["headline"] = headline
        assert single(records, gold).correct_articles == correct, headline
    records = perfect_records(gold)
    records[0]["headline"] = None  # gold has a headline
    assert single(records, gold).correct_articles == 1


def test_content_threshold() -> None:
    gold = tiny_gold()
    records = perfect_records(gold)
    records[0]["text"] = records[0]["text"][:20]  # far too short
    page = score_page(records, gold)
    assert page.correct_articles == 1
    assert 0 < page.matches[0].content_f1 < 0.9 and page.matches[0].record == 0 and not page.matches[0].correct


def test_matching_maximises_correct_pairs() -> None:
    # greedy pairing by best content F1 would pair each system article with the wrong headline
    base = "".join(chr(0x4E00 + 7 * i) for i in range(120))
    extra = "".join(chr(0x5E00 + 7 * i) for i in range(4))
    gold = {
        "source": "x.txt",
        "lines": [
            {"n": 1, "text": base, "label": "body", "article": 1, "join": False, "dup": False},
            {"n": 3, "text": base + extra, "label": "body", "article": 2, "join": False, "dup": False},
        ],
        "articles": [
            {"id": 1, "kind": "news", "headline": "甲", "continued": False, "order": [1]},
            {"id": 2, "kind": "news", "headline": "乙", "continued": False, "order": [3]},
        ],
    }
    records = [
        {"kind": "news", "headline": "乙", "text": base, "lines": [{"n": 1, "label": "body"}]},
        {"kind": "news", "headline": "甲", "text": base + extra, "lines": [{"n": 3, "label": "body"}]},
    ]
    assert char_ngram_f1(base, base + extra) >= 0.9
    assert single(records, gold).correct_articles == 2


def test_duplicate_system_articles_count_once() -> None:
    gold = tiny_gold()
    records = perfect_records(gold)
    records.insert(1, copy.deepcopy(records[0]) | {"lines": []})
    scores = single(records, gold)
    assert scores.correct_articles == 2 and scores.system_articles == 3
    assert scores.article_precision == pytest.approx(2 / 3) and scores.article_recall == pytest.approx(1.0)


def test_score_pages_micro_averages() -> None:
    gold = tiny_gold()
    good = perfect_records(gold)
    bad = perfect_records(gold)
    bad[0]["headline"] = "别的标题"
    bad.insert(0, {"kind": "news", "headline": "多余", "text": "无关的内容文字", "lines": []})
    a, b = single(good, gold), single(bad, gold)
    both = score_pages([(good, gold), (bad, gold)])
    assert both.pages == 2 and both.gold_articles == 4
    assert both.article_precision == pytest.approx((a.correct_articles + b.correct_articles) / (2 + 3))
    assert both.bcubed_precision == pytest.approx((a.bcubed_precision + b.bcubed_precision) / 2)  # same items
    assert both.headline_accuracy == pytest.approx(3 / 4)


def test_empty_scores() -> None:
    row = Scores().as_row()
    assert row["pages"] == 0.0
    counts = {"pages", "gold_articles", "system_articles", "correct_articles"}
    assert all(v == 1.0 for k, v in row.items() if k not in counts)


# --------------------------------------------------------------------------------------------------
# baseline on synthetic text


def test_markdown_baseline_structure() -> None:
    text = "第3版\n\n# 标题一\n正文一\n\n   \n正文二\n## 标题 二\r\n正文三\n#\n尾"
    records = markdown_baseline(text, source="p.txt")
    assert [r["headline"] for r in records] == [None, "标题一", "标题 二", None]
    assert [[(e["n"], e["label"]) for e in r["lines"]] for r in records] == [
        [(1, "body")],
        [(3, "headline"), (4, "body"), (7, "body")],
        [(8, "headline"), (9, "body")],
        [(10, "headline"), (11, "body")],
    ]
    assert records[1]["text"] == "正文一\n正文二"
    assert records[1]["blocks"] == [
        {"label": "body", "text": "正文一", "lines": [4]},
        {"label": "body", "text": "正文二", "lines": [7]},
    ]
    assert json.loads(json.dumps(records)) == records  # plain JSON values
    assert markdown_baseline("") == []
    assert [r["headline"] for r in markdown_baseline("一\n二")] == [None]


# --------------------------------------------------------------------------------------------------
# reports and gate


def test_format_table() -> None:
    gold = tiny_gold()
    scores = single(perfect_records(gold), gold)
    table = format_table([("perfect", scores), ("a|b", Scores())], "tiny", date="2026-01-27")
    lines = table.splitlines()
    assert lines[0] == "### tiny (2026-01-27)"
    assert lines[2].split("|")[1:-1] == [
        " system ", " pages ", " gold articles ", " article P ", " article R ", " article F1 ",
        " content F1 ", " headline acc ", " line macro F1 ", " B³ F1 ", " join F1 ",
    ]  # fmt: skip
    assert lines[4] == "| perfect | 1 | 2 | " + " | ".join(["1.000"] * 8) + " |"
    assert lines[5].startswith("| a\\|b | 0 | 0 |")
    assert dt.date.today().isoformat() in format_table([], "x")


def test_format_label_table() -> None:
    gold = tiny_gold()
    records = perfect_records(gold)
    records[1]["lines"][0]["label"] = "body"
    table = format_label_table(single(records, gold))
    rows = {line.split("|")[1].strip(): line for line in table.splitlines()[2:]}
    assert list(rows) == ["headline", "body", "caption", "other", "macro"]
    assert rows["caption"] == "| caption | 0.000 | 0.000 | 0.000 | 1 |"
    assert rows["macro"].endswith("| 7 |")


def test_check_gate() -> None:
    gold = tiny_gold()
    records = perfect_records(gold)
    records[0]["headline"] = "错"
    scores = single(records, gold)  # article F1 0.5, content F1 1.0
    gate = {"data_hash": "x", "min": {"article_f1": 0.9, "content_f1": 0.9, "bcubed_f1": 0.5}}
    assert check_gate(scores, gate) == ["article_f1"]
    assert check_gate(scores, {"min": {"article_f1": 0.5}}) == []
    with pytest.raises(ValueError):
        check_gate(scores, {"min": {"article_F1": 0.5}})
    with pytest.raises(ValueError):
        check_gate(scores, {"data_hash": "x"})


def test_assignment_without_overlap_is_no_match() -> None:
    gold = tiny_gold()
    records = [{"kind": "news", "headline": None, "text": "完全无关的一段文字内容", "lines": []}]
    page = score_page(records, gold)
    photo = page.matches[1]
    assert photo.record is None and photo.content_f1 == 0.0 and not photo.headline_equal
    assert page.headline_correct == 0


def test_content_assignment_prefers_equal_headline_on_ties() -> None:
    gold = tiny_gold()
    records = perfect_records(gold)
    records.insert(0, dict(records[0], headline="另一个标题"))  # same content, wrong headline, listed first
    page = score_page(records, gold)
    assert page.matches[0].record == 1 and page.matches[0].headline_equal
    assert page.headline_correct == 2


def test_check_gate_fails_nan(monkeypatch: pytest.MonkeyPatch) -> None:
    scores = Scores()
    monkeypatch.setattr(Scores, "as_row", lambda self: {"article_f1": float("nan")})
    assert check_gate(scores, {"min": {"article_f1": 0.0}}) == ["article_f1"]
