"""The realistic page renderer: valid gold, determinism, phenomena, faithfulness to the corpus."""

from __future__ import annotations

import itertools
import random
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from segmenter.corpus import CorpusArticle, CorpusPage, Era, check_gold_text, read_corpus, validate_gold
from segmenter.labels import Label
from segmenter.render import (
    RenderStyle,
    render_corpus,
    render_page,
    render_page_traced,
    to_fullwidth,
    to_halfwidth,
)

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "pd1998" / "pages.jsonl.gz"
pytestmark = pytest.mark.skipif(not CORPUS.exists(), reason="corpus not available")

MARKS = re.compile(r"^#+ ")


@pytest.fixture(scope="module")
def train() -> list[CorpusPage]:
    return read_corpus(CORPUS)


@pytest.fixture(scope="module")
def sample(train: list[CorpusPage]) -> list[CorpusPage]:
    """A few dozen pages spread over the training dates."""
    return train[::6]


def _norm(text: str) -> str:
    return "".join(to_halfwidth(MARKS.sub("", text)).split())


def _check(text: str, gold: dict[str, Any]) -> None:
    """Everything the gold format promises, beyond validate_gold."""
    validate_gold(gold, gold["source"])
    check_gold_text(gold, text, gold["source"])
    file_lines = text.split("\n")
    assert [line["n"] for line in gold["lines"]] == [n for n, t in enumerate(file_lines, 1) if t.strip()]
    by_n = {line["n"]: line for line in gold["lines"]}
    assert [a["id"] for a in gold["articles"]] == list(range(1, len(gold["articles"]) + 1))
    for line in gold["lines"]:
        assert line["text"] == line["text"].strip()
        assert (line["article"] == 0) == (line["label"] == Label.OTHER.value)
        assert not (line["join"] and line["dup"])
    for article in gold["articles"]:
        order = [by_n[n] for n in article["order"]]
        headlines = [line for line in order if line["label"] == "headline" and not line["dup"]]
        expected = MARKS.sub("", headlines[0]["text"]) if headlines else None
        assert article["headline"] == expected
        assert not order[0]["join"]
        originals = {line["text"] for line in order if not line["dup"]}
        for line in order:
            if line["dup"]:
                assert line["text"] in originals  # a repeat repeats the article's own text


def _paragraphs(gold: dict[str, Any], article_id: int) -> list[str]:
    """The article's paragraphs: reading order, repeats dropped, broken paragraphs joined."""
    by_n = {line["n"]: line for line in gold["lines"]}
    article = next(a for a in gold["articles"] if a["id"] == article_id)
    out: list[str] = []
    for n in article["order"]:
        line = by_n[n]
        if line["dup"]:
            continue
        if line["join"]:
            out[-1] += MARKS.sub("", line["text"])
        else:
            out.append(MARKS.sub("", line["text"]))
    return out


def test_width_helpers() -> None:
    assert to_halfwidth("１２月（新华社）：ＡＢ，。") == "12月(新华社):AB,。"
    assert to_fullwidth("12月(A)") == "１２月（Ａ）"
    assert to_halfwidth(to_fullwidth("x 1.5%")) == "x 1.5%"


def test_default_style_is_faithful_and_simple() -> None:
    page = CorpusPage(
        "19980105",
        2,
        [
            CorpusArticle(
                "a", ["主题——副题", "本报记者张三", "新华社北京１月４日电　正文，有１２个字。", "第二段。"]
            ),
            CorpusArticle("b", ["一条简讯，只有一段文字，没有标题。"]),
        ],
    )
    text, gold = render_page(page, random.Random(0), RenderStyle())
    assert text.split("\n") == [
        "# 主题——副题",
        "",
        "本报记者张三",
        "",
        "新华社北京1月4日电 正文，有12个字。",
        "",
        "第二段。",
        "",
        "一条简讯，只有一段文字，没有标题。",
    ]
    assert [line["label"] for line in gold["lines"]] == ["headline", "byline", "body", "body", "body"]
    assert [(a["kind"], a["headline"]) for a in gold["articles"]] == [("news", "主题——副题"), ("news", None)]


def test_deterministic_for_a_seed(train: list[CorpusPage]) -> None:
    pages = train[:6]
    first = render_corpus(pages, seed=7, copies=2)
    assert first == render_corpus(pages, seed=7, copies=2)
    assert [text for text, _ in first] != [text for text, _ in render_corpus(pages, seed=8, copies=2)]
    # copies are styled differently
    assert first[0][0] != first[1][0]
    assert render_page(pages[0], random.Random(3)) == render_page(pages[0], random.Random(3))


@pytest.mark.parametrize("augment", [{"one_level": 1.0}, {"bold": 1.0}])
def test_heading_augmentations_change_only_the_marks(train: list[CorpusPage], augment: dict) -> None:
    pages = train[:4]
    plain = render_corpus(pages, seed=7)
    changed = render_corpus(pages, seed=7, **augment)
    for (text, gold), (new_text, new_gold) in zip(plain, changed):
        assert new_gold == gold
        old_lines, new_lines = text.split("\n"), new_text.split("\n")
        assert len(old_lines) == len(new_lines)
        marked = [(a, b) for a, b in zip(old_lines, new_lines) if a != b]
        assert all(a.startswith("#") for a, _ in marked)
        if "bold" in augment:
            assert all(b.startswith("**") and b.endswith("**") for _, b in marked)
            assert not any(line.startswith("#") for line in new_lines)
    # a share of 0 changes nothing, and the draws do not disturb the renderings themselves
    assert render_corpus(pages, seed=7, bold=0.0) == plain


def test_style_sample_is_deterministic_and_faithful_switches_content_off() -> None:
    style = RenderStyle.sample(random.Random(11))
    assert style == RenderStyle.sample(random.Random(11))
    clean = replace(style, split_deck=True, kicker_prob=0.5, notices=2).faithful()
    assert not clean.split_deck and clean.kicker_prob == 0.0
    assert clean.notices == 2 and clean.dup_prob == style.dup_prob  # layout noise stays


def test_gold_is_valid_on_every_training_page(train: list[CorpusPage]) -> None:
    rendered = render_corpus(train, seed=1)
    assert len(rendered) == len(train)
    for text, gold in rendered:
        _check(text, gold)


@pytest.mark.parametrize("knob", ["join_prob", "dup_prob"])
def test_joins_and_dups_appear_when_asked(sample: list[CorpusPage], knob: str) -> None:
    flag = "join" if knob == "join_prob" else "dup"
    style = replace(RenderStyle(), **{knob: 1.0})
    for page in sample[:10]:
        text, gold = render_page(page, random.Random(0), style)
        _check(text, gold)
        if sum(len(a.paragraphs) for a in page.articles) >= 4:
            assert any(line[flag] for line in gold["lines"]), page
    for page in sample[:10]:
        _, gold = render_page(page, random.Random(0), RenderStyle())
        assert not any(line[flag] for line in gold["lines"])


def _phenomena(text: str, gold: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    lines = gold["lines"]
    by_n = {line["n"]: line for line in lines}
    nonempty = [line["n"] for line in lines]
    following = dict(itertools.pairwise(nonempty))
    for line in lines:
        label, t = line["label"], line["text"]
        if label == "headline":
            found.add({"# ": "headline #", "##": "headline ##"}.get(t[:2], "headline plain"))
        if label == "subhead" and "——" in t:
            found.add("deck")
        if label == "section":
            found.add("section #" if t.startswith("#") else "section plain")
        if label in ("byline", "caption", "dateline", "other"):
            found.add(label)
        if line["join"]:
            found.add("join")
        if line["dup"]:
            found.add("dup")
        if "上接" in t or "紧接" in t:
            found.add("continued")
        if "下转" in t:
            found.add("continues")
    if re.search("[０-９]", text):
        found.add("full-width digits")
    if re.search("[0-9]", text) and "，" in text:
        found.add("mixed width")
    if re.search("[0-9]", text) and "，" not in text and "," in text:
        found.add("half width")
    if "\n\n" not in text.strip():
        found.add("no blank lines")
    if "\n\n\n\n" in text.strip():
        found.add("extra blank lines")
    if text.startswith("\n"):
        found.add("leading blank line")
    for article in gold["articles"]:
        order = article["order"]
        own = [by_n[n] for n in order]
        if order != sorted(order):
            found.add("out of order")
        head = [line["n"] for line in own if line["label"] == "headline" and not line["dup"]]
        body = [line["n"] for line in own if line["label"] == "body" and not line["dup"]]
        if head and body and head[0] > max(body):
            found.add("headline after body")
        if own[0]["label"] == "subhead" and len(own) > 1 and own[1]["label"] == "headline":
            found.add("kicker")
        if article["kind"] == "photo":
            found.add("photo" if article["headline"] else "photo without headline")
        if article["kind"] == "notice" and len(order) > 1 and order[1] == order[0] + 1:
            found.add("notice")
        if article["kind"] == "news" and article["headline"] is None and len(own) == 1:
            found.add("brief")
        for prev, n in itertools.pairwise(order):
            if by_n[n]["join"] and following.get(prev) != n:
                found.add("join across other lines")
        dups = [line for line in own if line["dup"]]
        if dups and any(not line["dup"] and line["n"] > dups[0]["n"] for line in own):
            found.add("dup before the end")
        if len(dups) >= len(own) / 2:
            found.add("whole article repeated")
    return found


def test_all_phenomena_occur(sample: list[CorpusPage]) -> None:
    seen: Counter[str] = Counter()
    for text, gold in render_corpus(sample, seed=0, copies=2):
        seen.update(_phenomena(text, gold))
    expected = {
        "headline #",
        "headline ##",
        "headline plain",
        "deck",
        "section #",
        "section plain",
        "byline",
        "caption",
        "dateline",
        "other",
        "join",
        "dup",
        "continued",
        "continues",
        "full-width digits",
        "mixed width",
        "half width",
        "no blank lines",
        "extra blank lines",
        "leading blank line",
        "out of order",
        "headline after body",
        "kicker",
        "photo",
        "photo without headline",
        "notice",
        "brief",
        "join across other lines",
        "dup before the end",
        "whole article repeated",
    }
    assert expected <= set(seen), sorted(expected - set(seen))


def _layout_heavy(rng: random.Random) -> RenderStyle:
    return replace(
        RenderStyle.sample(rng).faithful(),
        join_prob=0.3,
        join_gap_prob=1.0,
        move_run_prob=0.3,
        cross_move_prob=1.0,
        headline_after_prob=0.2,
        dup_prob=1.0,
    )


def test_faithful_rendering_reproduces_corpus_paragraphs(sample: list[CorpusPage]) -> None:
    rng = random.Random(5)
    for page in sample:
        text, gold, sources = render_page_traced(page, rng, _layout_heavy(rng))
        _check(text, gold)
        corpus = {a.id: a for a in page.articles}
        assert sorted(s for s in sources.values() if s) == sorted(corpus)
        for article_id, source in sources.items():
            if source is None:
                continue
            got = [_norm(p) for p in _paragraphs(gold, article_id)]
            assert got == [_norm(p) for p in corpus[source].paragraphs], source


def test_noisy_rendering_keeps_corpus_text_in_order(sample: list[CorpusPage]) -> None:
    """With content noise too, each paragraph still ends up printed, in order (headline block aside)."""
    rng = random.Random(9)
    checked = 0
    for page in sample:
        text, gold, sources = render_page_traced(page, rng)
        _check(text, gold)
        corpus = {a.id: a for a in page.articles}
        for article in gold["articles"]:
            source = sources[article["id"]]
            got = "".join(_norm(p) for p in _paragraphs(gold, article["id"]))
            if source is None or article["continued"] or "下转" in got:
                continue  # synthesised, or cut short on purpose
            position = 0
            for paragraph in corpus[source].paragraphs[2:]:
                tail = _norm(paragraph)[-12:]
                found = got.find(tail, position)
                assert found >= 0, (source, paragraph)
                position = found + len(tail)
            checked += 1
    assert checked > 100


def test_rendered_page_looks_like_extractor_output(sample: list[CorpusPage]) -> None:
    """No Markdown marks on non-heading lines, no stray whitespace lines, no notes left."""
    for text, gold in render_corpus(sample[:12], seed=4):
        assert "（附图片" not in text and "（图片）" not in text
        for line in gold["lines"]:
            if line["text"].startswith("#"):
                assert line["label"] in ("headline", "subhead", "section")
        assert all(not t.strip() or t == t.strip() for t in text.split("\n"))


MODERN = CORPUS.parent.parent / "pd2019" / "pages.jsonl.gz"

LONG = "春节临近，各地采取多种措施保障群众过一个欢乐祥和的节日，市场供应充足，物价总体平稳，年味越来越浓。"


def test_modern_article_is_labelled_by_its_era_conventions() -> None:
    article = CorpusArticle(
        "20200120-05-01",
        ["冲锋向前决胜小康", "本报记者 张 三 李 四", LONG, "赓续红色血脉", LONG, "新华社记者 王五摄", LONG, "版式设计：蔡华伟"],
        kicker="中办国办印发通知——",
        deck="——我国社会工作取得新成效",
        era=Era.MODERN,
    )
    text, gold = render_page(CorpusPage("20200120", 5, [article]), random.Random(0), RenderStyle())
    _check(text, gold)
    labels = [(line["label"], line["article"]) for line in gold["lines"]]
    assert labels == [
        ("subhead", 1),  # the kicker above the headline
        ("headline", 1),
        ("subhead", 1),  # the deck
        ("byline", 1),
        ("body", 1),
        ("section", 1),  # an intertitle
        ("caption", 1),  # the paragraph over a credit is its picture's caption
        ("caption", 1),  # a photo credit in the middle of the feature
        ("body", 1),
        ("other", 0),  # a layout credit is page furniture
    ]
    assert gold["articles"][0]["headline"] == "冲锋向前决胜小康"


@pytest.mark.skipif(not MODERN.exists(), reason="modern corpus not available")
def test_gold_is_valid_on_modern_training_pages() -> None:
    pages = read_corpus(MODERN)[::10]
    assert pages and all(page.era is Era.MODERN for page in pages)
    labels: Counter[str] = Counter()
    for text, gold in render_corpus(pages, seed=3):
        _check(text, gold)
        assert gold["source"].startswith("pd2019_")
        labels.update(line["label"] for line in gold["lines"])
    # every label of the gold format occurs on modern pages
    assert set(labels) == {label.value for label in Label}


def test_an_intertitle_column_is_printed_inside_a_broken_paragraph_of_its_own_article() -> None:
    # page 004 prints an intertitle and its paragraph between the halves of a paragraph broken across
    # columns; the renderer must make that phenomenon, keeping every unit and the paragraphs whole
    from segmenter.render import _section_into_own_join, _Unit

    body, section = Label.BODY.value, Label.SECTION.value
    seq = [
        _Unit(Label.HEADLINE.value, "标题"),
        _Unit(body, "第一段。"),
        _Unit(body, "第二段的前半，"),
        _Unit(body, "后半。", join=True),
        _Unit(body, "第三段。"),
        _Unit(section, "小标题"),
        _Unit(body, "小标题下的一段。"),
        _Unit(body, "最后一段。"),
    ]
    moved = _section_into_own_join(seq, 1, len(seq), random.Random(0))
    assert moved is not None and sorted(map(id, moved)) == sorted(map(id, seq))
    at = next(k for k, u in enumerate(moved) if u.role == section)
    assert moved[at - 1].text == "第二段的前半，"  # printed right after the first half …
    following = moved[at + 1 :]
    k = next(k for k, u in enumerate(following) if u.join)
    assert all(u.role == body and not u.join for u in following[:k])  # … its own paragraphs whole, then the second half
    assert _section_into_own_join([u for u in seq if u.role != section], 1, len(seq) - 1, random.Random(0)) is None
