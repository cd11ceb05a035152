"""Reading the People's Daily corpus and the gold pages."""

from __future__ import annotations

import copy
import gzip
import hashlib
import json
from pathlib import Path

import pytest

from segmenter.corpus import (
    Era,
    CORPUS_SPLIT_DATE,
    GoldPage,
    clean_paragraph,
    corpus_hash,
    gold_hash,
    read_corpus,
    read_gold,
    read_gold_pages,
    validate_gold,
    write_gold,
)

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpora" / "pd1998" / "pages.jsonl.gz"
PAGES, GOLD = SHARED / "pages", SHARED / "gold"

needs_corpus = pytest.mark.skipif(not CORPUS.exists(), reason="corpus not available")
needs_gold = pytest.mark.skipif(not GOLD.exists(), reason="shared gold pages not available")


def _page(date: str, page: int, paragraphs: list[str], **fields: str | None) -> str:
    """One corpus page line with one article; ``fields`` (kicker, headline, deck) make it modern."""
    article = {"id": f"{date}-{page:02d}-001", **fields, "paragraphs": paragraphs}
    return json.dumps({"date": date, "page": page, "articles": [article]}, ensure_ascii=False)


@pytest.fixture()
def tiny_corpus(tmp_path: Path) -> Path:
    path = tmp_path / "pages.jsonl.gz"
    lines = [
        _page("19980101", 1, ["新年讲话——一九九八年（附图片１张）", "正文。"]),
        _page("19980124", 2, ["挂起红灯迎新年（图片）", "元旦来临。（新华社记者戴浩摄）"]),
        _page("19980125", 1, ["评估用的页（附图片２张）", "（附图片１张）", "正文。"]),
        _page("19980131", 4, ["最后一页", "正文。"]),
    ]
    return _write_corpus(path, lines)


def _write_corpus(path: Path, lines: list[str]) -> Path:
    """A corpus file of these JSON lines, gzipped as the shared corpora are."""
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize(
    ("split", "dates"),
    [
        ("train", ["19980101", "19980124"]),
        ("eval", ["19980125", "19980131"]),
        ("all", ["19980101", "19980124", "19980125", "19980131"]),
    ],
)
def test_split_by_date(tiny_corpus: Path, split: str, dates: list[str]) -> None:
    assert [page.date for page in read_corpus(tiny_corpus, split=split)] == dates


def test_unknown_split_is_rejected(tiny_corpus: Path) -> None:
    with pytest.raises(ValueError, match="split"):
        read_corpus(tiny_corpus, split="test")  # type: ignore[arg-type]


def test_notes_removed_and_remembered(tiny_corpus: Path) -> None:
    pages = read_corpus(tiny_corpus, split="all")
    first, photo, evaluation = (pages[k].articles[0] for k in range(3))
    assert first.paragraphs[0] == "新年讲话——一九九八年"
    assert (first.picture_item, first.pictures) == (False, 1)
    assert photo.paragraphs[0] == "挂起红灯迎新年"
    assert photo.picture_item
    # a paragraph that was nothing but a note disappears
    assert evaluation.paragraphs == ["评估用的页", "正文。"]
    assert evaluation.pictures == 3  # the notes add up


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("迈向充满希望的新世纪（附图片１张）", "迈向充满希望的新世纪"),
        ("祝酒词（图片）（夏清泉画）", "祝酒词（夏清泉画）"),
        ("（图片）", ""),
        ("图片新闻", "图片新闻"),
        ("（新华社记者兰红光摄）", "（新华社记者兰红光摄）"),
    ],
)
def test_clean_paragraph(raw: str, clean: str) -> None:
    assert clean_paragraph(raw) == clean


@needs_corpus
def test_real_corpus_split_and_notes() -> None:
    train = read_corpus(CORPUS)
    evaluation = read_corpus(CORPUS, split="eval")
    assert train and evaluation
    assert all(page.date <= CORPUS_SPLIT_DATE for page in train)
    assert all(page.date > CORPUS_SPLIT_DATE for page in evaluation)
    assert len(train) + len(evaluation) == len(read_corpus(CORPUS, split="all")) == 278
    paragraphs = [p for page in train + evaluation for a in page.articles for p in a.paragraphs]
    assert not [p for p in paragraphs if "（附图片" in p or "（图片）" in p]
    assert all(p.strip() == p and p for p in paragraphs)


@needs_corpus
def test_corpus_hash_is_sha256_of_bytes() -> None:
    assert corpus_hash(CORPUS) == hashlib.sha256(CORPUS.read_bytes()).hexdigest()


@needs_gold
def test_shared_gold_files_validate() -> None:
    pages = read_gold_pages(PAGES, GOLD)
    assert [page.source for page in pages] == sorted(p.name for p in PAGES.glob("*.txt"))
    for page in pages:
        assert page.gold["source"] == page.source
        assert page.gold["lines"] and page.gold["articles"]


@needs_gold
def test_gold_hash_depends_on_content_not_order() -> None:
    pages = read_gold_pages(PAGES, GOLD)
    assert gold_hash(pages) == gold_hash(list(reversed(pages)))
    changed = [GoldPage(p.source, p.text + "x", p.gold) for p in pages]
    assert gold_hash(changed) != gold_hash(pages)


def _valid_gold() -> dict:
    return {
        "source": "x.txt",
        "lines": [
            {"n": 1, "text": "# 标题", "label": "headline", "article": 1, "join": False, "dup": False},
            {"n": 3, "text": "正文第一段，", "label": "body", "article": 1, "join": False, "dup": False},
            {"n": 4, "text": "接着写完。", "label": "body", "article": 1, "join": True, "dup": False},
            {"n": 6, "text": "第3版", "label": "other", "article": 0, "join": False, "dup": False},
        ],
        "articles": [
            {"id": 1, "kind": "news", "headline": "标题", "continued": False, "order": [1, 3, 4]},
        ],
    }


def _drop_line_key(gold: dict) -> None:
    del gold["lines"][1]["dup"]


def _bad_label(gold: dict) -> None:
    gold["lines"][0]["label"] = "title"


def _bad_kind(gold: dict) -> None:
    gold["articles"][0]["kind"] = "advert"


def _twice(gold: dict) -> None:
    gold["lines"][2]["n"] = 3


def _order_misses(gold: dict) -> None:
    gold["articles"][0]["order"] = [1, 3]


def _order_extra(gold: dict) -> None:
    gold["articles"][0]["order"] = [1, 3, 4, 6]


def _unknown_article(gold: dict) -> None:
    gold["lines"][1]["article"] = 7


def _join_not_bool(gold: dict) -> None:
    gold["lines"][2]["join"] = "yes"


def _no_articles(gold: dict) -> None:
    del gold["articles"]


def _empty_text(gold: dict) -> None:
    gold["lines"][0]["text"] = "  "


@pytest.mark.parametrize(
    ("breaks", "message"),
    [
        (_drop_line_key, "misses dup"),
        (_bad_label, "label 'title'"),
        (_bad_kind, "kind 'advert'"),
        (_twice, "listed twice"),
        (_order_misses, "misses the article's lines"),
        (_order_extra, "lists lines not in the article"),
        (_unknown_article, "not listed"),
        (_join_not_bool, "join must be"),
        (_no_articles, "missing key 'articles'"),
        (_empty_text, "non-empty"),
    ],
)
def test_read_gold_rejects_broken_files(tmp_path: Path, breaks, message: str) -> None:
    gold = _valid_gold()
    breaks(gold)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match=message) as info:
        read_gold(path)
    assert "broken.json" in str(info.value)


def test_read_gold_rejects_non_json(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.json: not valid JSON"):
        read_gold(path)


def test_write_then_read_round_trip(tmp_path: Path) -> None:
    gold = _valid_gold()
    path = tmp_path / "x.json"
    write_gold(path, gold)
    assert read_gold(path) == gold
    assert "标题" in path.read_text(encoding="utf-8")  # written as UTF-8, not \\u escapes
    broken = copy.deepcopy(gold)
    broken["lines"][0]["label"] = "nope"
    with pytest.raises(ValueError):
        write_gold(tmp_path / "y.json", broken)
    assert not (tmp_path / "y.json").exists()


def test_read_gold_pages_checks_text(tmp_path: Path) -> None:
    pages, golds = tmp_path / "pages", tmp_path / "gold"
    pages.mkdir()
    golds.mkdir()
    gold = _valid_gold()
    write_gold(golds / "x.json", gold)
    (pages / "x.txt").write_text("# 标题\n\n正文第一段，\n接着写完。\n\n第3版\n", encoding="utf-8")
    (pages / "unannotated.txt").write_text("没有标注\n", encoding="utf-8")
    [page] = read_gold_pages(pages, golds)
    assert page.source == "x.txt" and page.gold == gold
    (pages / "x.txt").write_text("# 标题\n\n正文第一段。\n接着写完。\n\n第3版\n", encoding="utf-8")
    with pytest.raises(ValueError, match="n=3: text differs"):
        read_gold_pages(pages, golds)
    (pages / "x.txt").write_text(
        "# 标题\n多出来的一行\n正文第一段，\n接着写完。\n\n第3版\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="line 2 is not annotated"):
        read_gold_pages(pages, golds)


def test_validate_gold_accepts_furniture_article_zero() -> None:
    validate_gold(_valid_gold())


@pytest.fixture()
def tiny_modern(tmp_path: Path) -> Path:
    path = tmp_path / "modern.jsonl.gz"
    lines = [
        _page("20190201", 1, ["新华社北京1月31日电\u00a0 正文。"], kicker="中办国办印发", headline="关于推进基层整合的实施意见", deck=None),
        _page("20200115", 2, ["本报记者\u00a0\u00a0张\u00a0\u00a0三", "正文。"], kicker=None, headline="标题", deck="——副题"),
        _page("20200205", 3, ["正文。"], kicker=None, headline="留作评估", deck=None),
        _page("20200301", 4, ["正文。"], kicker=None, headline="别的月份", deck=None),
    ]
    return _write_corpus(path, lines)


@pytest.mark.parametrize(
    ("split", "dates"),
    [
        ("train", ["20190201", "20200115"]),
        ("eval", ["20200205"]),  # the held-out month; other months are in neither split
        ("all", ["20190201", "20200115", "20200205", "20200301"]),
    ],
)
def test_modern_corpus_split_by_month(tiny_modern: Path, split: str, dates: list[str]) -> None:
    assert [page.date for page in read_corpus(tiny_modern, split=split)] == dates  # type: ignore[arg-type]


def test_modern_articles_keep_kicker_headline_and_deck_apart(tiny_modern: Path) -> None:
    first, second = (page.articles[0] for page in read_corpus(tiny_modern, split="train"))
    assert first.era is Era.MODERN and read_corpus(tiny_modern, split="train")[0].era is Era.MODERN
    assert (first.kicker, first.paragraphs[0], first.deck) == ("中办国办印发", "关于推进基层整合的实施意见", None)
    # the headline is the first paragraph, the text follows; non-breaking spaces become one space
    assert second.paragraphs == ["标题", "本报记者 张 三", "正文。"] and second.deck == "——副题"
