"""The public API on the bundled sample pages, with the shipped model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from segmenter import Article, Segmenter, load_model, split_page
from segmenter.evaluate import score_page

DATA = Path(__file__).resolve().parent.parent / "data"
PAGES = sorted((DATA / "pages").glob("*.txt"))
CONTRACT = ["source", "index", "kind", "headline", "subheadlines", "byline", "dateline", "continued", "blocks",
            "text", "lines"]  # fmt: skip


@pytest.fixture(scope="module")
def model() -> Segmenter:
    return load_model()


def gold_of(page: Path) -> dict:
    return json.loads((DATA / "gold" / (page.stem + ".json")).read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem[:3])
def test_records_follow_the_contract_and_lose_no_line(page: Path, model: Segmenter) -> None:
    text = page.read_text(encoding="utf-8")
    articles = split_page(text, source=page.name, model=model)
    assert all(isinstance(a, Article) for a in articles)
    records = [a.to_dict() for a in articles]
    for k, rec in enumerate(records):
        assert list(rec) == CONTRACT
        assert rec["index"] == k and rec["source"] == page.name
        assert rec["text"] == "\n".join(b["text"] for b in rec["blocks"] if b["label"] in ("body", "section", "caption"))
        assert all(0.0 <= ref["confidence"] <= 1.0 for ref in rec["lines"])
    taken = [ref["n"] for rec in records for ref in rec["lines"]]
    nonempty = [n for n, line in enumerate(text.split("\n"), 1) if line.strip()]
    assert sorted(taken) == nonempty, "every non-empty line in exactly one record"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem[:3])
def test_shipped_model_on_the_sample_pages(page: Path, model: Segmenter) -> None:
    # a regression check on pages the shipped model has seen: the held-out figures are in the README
    gold = gold_of(page)
    records = [a.to_dict() for a in model.split(page.read_text(encoding="utf-8"), source=page.name)]
    score = score_page(records, gold)
    assert score.correct_articles == score.gold_articles == len(gold["articles"])
    assert score.system_articles == score.gold_articles


def test_repeated_article_text_is_output_once(model: Segmenter) -> None:
    page = DATA / "pages" / "000_9efa1fc70badbfdd.txt"
    records = [a.to_dict() for a in model.split(page.read_text(encoding="utf-8"))]
    body = "".join(r["text"] for r in records)
    paragraph = "聚焦为基层减负赋能,全面建立乡镇(街道)履行职责事项清单"
    assert page.read_text(encoding="utf-8").count(paragraph) == 4
    assert body.count(paragraph) == 1


def test_split_is_deterministic(model: Segmenter) -> None:
    text = PAGES[1].read_text(encoding="utf-8")
    first = [a.to_dict() for a in model.split(text)]
    again = [a.to_dict() for a in Segmenter().split(text)]
    assert first == again


def test_default_model_is_loaded_once() -> None:
    assert load_model().loaded is load_model().loaded


@pytest.mark.parametrize("page", PAGES[:1], ids=lambda p: p.stem[:3])
def test_ocr_text_with_a_space_between_characters_reads_as_printed(page: Path, model: Segmenter) -> None:
    """Named after the bug: an OCR engine that spaces Chinese characters (``新 华 社 北 京``) cut the
    sample pages' articles apart (article F1 0.40 on their ``ocr-spaced`` form before the spaces were
    read away)."""
    from segmenter.render import restyle_page

    text, gold = restyle_page(page.read_text(encoding="utf-8"), gold_of(page), "ocr-spaced")
    records = [a.to_dict() for a in model.split(text, source=page.name)]
    score = score_page(records, gold)
    assert score.correct_articles == score.gold_articles == score.system_articles
    # the records' text is written as the page prints it, and every input line is in one record
    assert all("新 华" not in rec["text"] and "的 " not in rec["text"] for rec in records)
    taken = sorted(ref["n"] for rec in records for ref in rec["lines"])
    assert taken == [n for n, line in enumerate(text.split("\n"), 1) if line.strip()]


@pytest.mark.parametrize(
    ("page", "homes"),
    [
        # a picture above a caption goes with the caption, one at the foot with the text above it
        ("# 标题\n\n正文第一段，会议在京举行。\n\n![](images/a.jpg)\n\n图为会议现场。\n\n（新华社记者 张三 摄）\n\n<img src='b.png'>", {5: 0, 11: 0}),
        # a page of pictures alone: a leftovers record holds them
        ("![](images/a.jpg)\n\n![图](images/b.jpg)", {1: 0, 3: 0}),
    ],
)
def test_picture_lines_join_an_article_and_keep_their_numbers(page: str, homes: dict, model: Segmenter) -> None:
    records = [a.to_dict() for a in model.split(page)]
    owner = {ref["n"]: (k, ref["label"]) for k, rec in enumerate(records) for ref in rec["lines"]}
    assert sorted(owner) == [n for n, line in enumerate(page.split("\n"), 1) if line.strip()]
    assert {n: owner[n][0] for n in homes} == homes
    assert all(owner[n][1] == "other" for n in homes)
    # a picture's text stays in its record, in an ``other`` block of its own
    blocks = {n: block for rec in records for block in rec["blocks"] for n in block["lines"]}
    assert all(blocks[n]["label"] == "other" and blocks[n]["lines"] == [n] for n in homes)


def test_a_number_broken_across_two_lines_is_joined_without_a_space(model: Segmenter) -> None:
    """Named after the bug: a paragraph broken inside a number (``到199`` / ``7年11月底``) was joined as
    ``199 7年``, a space set between any two ASCII characters; a space stays only between Latin letters."""
    page = (
        "# 全省农行存款稳步增长\n\n本报讯 近年来，全省农行坚持以存款为立行之本，呈现出良好的发展势头。到199\n\n"
        "7年11月底，省农行存款余额由年初的120亿元增加到160亿元，增长33%。"
    )
    (article,) = model.split(page)
    (block,) = article.blocks
    assert block.lines == [3, 5]
    assert "到1997年11月底" in block.text
