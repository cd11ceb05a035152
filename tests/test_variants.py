"""The annotated pages as other extractors would write them: no ``#`` marks, no blank lines, full- or
half-width characters. Each page's articles must survive every change of form.

The shipped model saw these pages in their own form only. Named after what broke: without ``#`` marks a
plain headline read as a section merged its article into the one above; without blank lines a photo
item's report was read as the last paragraph of the article above it; with every heading at ``###`` the
headlines read as decks (until training pages with one-level marks were added); with headings in bold
(``**标题**``) and no ``#`` the marks were read as text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from segmenter import load_model
from segmenter.evaluate import score_pages
from segmenter.render import RESTYLES, restyle_page
from segmenter.render import (
    articles_printed_twice,
    articles_recombined,
    columns_moved,
    heads_after_bodies,
    paragraphs_broken,
    pictures_added,
    running_heads_added,
    setext_headings,
)
from segmenter.train import annotated_pages

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def segmenter():
    return load_model()


@pytest.mark.parametrize("style", RESTYLES)
def test_annotated_pages_keep_their_articles_in_another_form(style: str, segmenter) -> None:
    pages = [restyle_page(text, gold, style) for text, gold in annotated_pages(DATA / "pages", DATA / "gold")]
    assert pages, "data/pages is empty"
    pairs = [([a.to_dict() for a in segmenter.split(text, source=gold["source"])], gold) for text, gold in pages]
    scores = score_pages(pairs)
    assert scores.article_f1 == 1.0, f"{style}: article F1 {scores.article_f1:.3f}"
    assert scores.line_macro_f1 >= 0.9


def test_restyle_keeps_the_gold_in_step_with_the_lines() -> None:
    text, gold = annotated_pages(DATA / "pages", DATA / "gold")[0]
    new_text, new_gold = restyle_page(text, gold, "plain")
    page = new_text.split("\n")
    assert "" not in page and not any(line.startswith("#") for line in page)
    for line in new_gold["lines"]:
        assert page[line["n"] - 1].strip(), "a gold line points at a blank line"


def test_unknown_style_is_refused_with_the_choices() -> None:
    with pytest.raises(ValueError, match="no-marks"):
        restyle_page("x", {"lines": [], "articles": []}, "sideways")


#: head blocks moved after their body that the segmenter does not put back yet, and why
HEAD_AFTER_KNOWN: dict[tuple[str, int], str] = {}


def _cases(rewrite, known: dict | None = None) -> list:
    """One test case per rewritten page, ``known`` failures marked with their reason."""
    known = known or {}
    cases = []
    for text, gold in annotated_pages(DATA / "pages", DATA / "gold"):
        for article, new_text, new_gold in rewrite(text, gold):
            key = (str(gold["source"])[:3], article)
            marks = [pytest.mark.xfail(reason=known[key], strict=False)] if key in known else []
            cases.append(pytest.param(new_text, new_gold, id=f"{key[0]}-article{article}", marks=marks))
    return cases


def _articles_of(text: str, gold: dict, segmenter) -> float:
    return _articles_of_all([(text, gold)], segmenter)


def _articles_of_all(cases: list, segmenter) -> float:
    """Article F1 of the segmenter over rewritten pages ``(text, gold)``, scored together."""
    pairs = [([a.to_dict() for a in segmenter.split(t, source=g["source"])], g) for t, g in cases]
    return score_pages(pairs).article_f1


@pytest.mark.parametrize("text, gold", _cases(heads_after_bodies, HEAD_AFTER_KNOWN))
def test_head_block_printed_after_its_body_heads_it_again(text: str, gold: dict, segmenter) -> None:
    assert _articles_of(text, gold, segmenter) == 1.0


@pytest.mark.parametrize("style", RESTYLES)
def test_head_blocks_printed_after_their_body_in_every_extractor_form(style: str, segmenter) -> None:
    # regression: in the one-level and bold forms, page 002's photo item with its head block after it lost
    # its report to the article above (the report's first lines read as that article's body)
    cases = [restyle_page(t, g, style) for text, gold in annotated_pages(DATA / "pages", DATA / "gold")
             for _, t, g in heads_after_bodies(text, gold)]
    assert _articles_of_all(cases, segmenter) == 1.0


@pytest.mark.parametrize("text, gold", _cases(articles_printed_twice))
def test_article_printed_twice_comes_out_once(text: str, gold: dict, segmenter) -> None:
    # regression: a continued article ("（上接第一版）…") printed again came out as a second article
    assert _articles_of(text, gold, segmenter) == 1.0


@pytest.mark.parametrize("seed", range(3))
def test_a_column_printed_out_of_order_stays_in_its_article(seed: int, segmenter) -> None:
    # page 004 prints lines 168-170 of an article before the line that continues 166: every article in turn
    cases = [(t, g) for text, gold in annotated_pages(DATA / "pages", DATA / "gold") for _, t, g in columns_moved(text, gold, seed)]
    assert len(cases) >= 5
    assert _articles_of_all(cases, segmenter) == 1.0


@pytest.mark.parametrize("style", ["as printed", "no-blank-lines", "half-width"])
def test_articles_keep_their_bounds_next_to_new_neighbours(style: str, segmenter) -> None:
    # regression: with the pages' articles shuffled onto new pages, a notice after a news report was read
    # as its byline or section, a photo item's title at the top of a page as a running head, and a
    # headline opening a page as a kicker over nothing (article F1 0.964 before, corpus-only model)
    pages = [page for seed in range(10) for page in articles_recombined(annotated_pages(DATA / "pages", DATA / "gold"), seed)]
    if style != "as printed":
        pages = [restyle_page(text, gold, style) for text, gold in pages]
    assert len(pages) >= 30
    assert _articles_of_all(pages, segmenter) == 1.0


def test_recombined_pages_hold_every_gold_line_once_on_its_printed_line() -> None:
    pages = annotated_pages(DATA / "pages", DATA / "gold")
    recombined = articles_recombined(pages, 0)
    assert sum(len(g["lines"]) for _, g in recombined) == sum(len(g["lines"]) for _, g in pages)
    original = {line["text"] for _, g in pages for line in g["lines"]}
    for text, gold in recombined:
        printed = text.split("\n")
        assert all(printed[line["n"] - 1] == line["text"] and line["text"] in original for line in gold["lines"])
        ids = {a["id"] for a in gold["articles"]}
        assert {line["article"] for line in gold["lines"]} <= ids | {0}
        # an article printed on two of the pages never meets its other printing on one new page
        headlines = [a["headline"] for a in gold["articles"] if a.get("headline")]
        assert len(headlines) == len(set(headlines))


@pytest.mark.parametrize("style", ["as printed", "plain", "no-blank-lines", "half-width"])
@pytest.mark.parametrize("seed", range(3))
def test_section_after_a_broken_lead_paragraph_is_not_read_as_a_headline(style: str, seed: int, segmenter) -> None:
    # regression: with a fifth of the paragraphs broken in two, a broken lead paragraph pushed the byline
    # out of the classifier's reach and the section head under it opened an article (plain form 0.835)
    pages = annotated_pages(DATA / "pages", DATA / "gold")
    if style != "as printed":
        pages = [restyle_page(text, gold, style) for text, gold in pages]
    broken = [paragraphs_broken(text, gold, 0.2, seed) for text, gold in pages]
    assert _articles_of_all(broken, segmenter) == 1.0


def test_every_rewrite_keeps_each_gold_line_on_its_printed_line() -> None:
    for text, gold in annotated_pages(DATA / "pages", DATA / "gold"):
        rewritten = [paragraphs_broken(text, gold, 0.2, 0)]
        rewritten += [(t, g) for _, t, g in heads_after_bodies(text, gold) + articles_printed_twice(text, gold)]
        rewritten += [(t, g) for _, t, g in columns_moved(text, gold, 0)]
        for new_text, new_gold in rewritten:
            page = new_text.split("\n")
            numbers = [line["n"] for line in new_gold["lines"]]
            assert len(numbers) == len(set(numbers))
            assert all(page[line["n"] - 1] == line["text"] for line in new_gold["lines"])
            ordered = {n for a in new_gold["articles"] for n in a.get("order", [])}
            assert ordered <= set(numbers)


def test_a_moved_column_leaves_the_text_alone_and_the_reading_order_in_the_gold() -> None:
    for text, gold in annotated_pages(DATA / "pages", DATA / "gold"):
        texts = {line["n"]: line["text"] for line in gold["lines"]}
        reading = {a["id"]: [texts[n] for n in a["order"]] for a in gold["articles"]}
        for article, new_text, new_gold in columns_moved(text, gold, 0):
            new_texts = {line["n"]: line["text"] for line in new_gold["lines"]}
            assert sorted(new_texts.values()) == sorted(texts.values())
            # the reading order of every article is as before; the moved article's file order is not
            assert {a["id"]: [new_texts[n] for n in a["order"]] for a in new_gold["articles"]} == reading
            order = next(a["order"] for a in new_gold["articles"] if a["id"] == article)
            assert order != sorted(order)


@pytest.mark.parametrize("style", ["as printed", "no-blank-lines"])
def test_markdown_picture_lines_stay_with_their_captions(style: str, segmenter) -> None:
    # regression: a Markdown converter's picture line (``![](images/….jpg)``) above a photo item's caption
    # was read as body text: the item's headline became an intertitle of the article above (0.865 before)
    pages = [pictures_added(text, gold, seed) for seed in range(2) for text, gold in annotated_pages(DATA / "pages", DATA / "gold")]
    if style != "as printed":
        pages = [restyle_page(text, gold, style) for text, gold in pages]
    assert sum(line["text"].startswith("![") for _, gold in pages for line in gold["lines"]) >= 4
    assert _articles_of_all(pages, segmenter) == 1.0
    for text, gold in pages:
        records = [a.to_dict() for a in segmenter.split(text, source=gold["source"])]
        owner = {ref["n"]: (k, ref["label"]) for k, rec in enumerate(records) for ref in rec["lines"]}
        for line in gold["lines"]:
            if line["text"].startswith("!["):
                caption = next(n for n in sorted(owner) if n > line["n"])  # the caption under it
                assert owner[line["n"]] == (owner[caption][0], "other")
                # its text stays in the record, in an ``other`` block of its own
                blocks = records[owner[caption][0]]["blocks"]
                assert {"label": "other", "text": line["text"], "lines": [line["n"]]} in blocks


def test_pictures_added_keeps_the_gold_in_step_with_the_lines() -> None:
    for text, gold in annotated_pages(DATA / "pages", DATA / "gold"):
        new_text, new_gold = pictures_added(text, gold, 0)
        printed = new_text.split("\n")
        assert all(printed[line["n"] - 1] == line["text"] for line in new_gold["lines"])
        assert sorted(n for a in new_gold["articles"] for n in a["order"]) == sorted(line["n"] for line in new_gold["lines"])


@pytest.mark.parametrize("form", range(4))
def test_running_heads_and_foot_lines_are_furniture(form: int, segmenter) -> None:
    # regression: a paper's name alone ("人民日报", "新华每日电讯 2026年1月26日"), a section with its page number
    # ("要闻 2") and a date line under a masthead were read as headlines of articles of their own (0.941)
    pages = [running_heads_added(text, gold, form) for text, gold in annotated_pages(DATA / "pages", DATA / "gold")]
    assert _articles_of_all(pages, segmenter) == 1.0
    for text, gold in pages:
        records = [a.to_dict() for a in segmenter.split(text, source=gold["source"])]
        furniture = {line["n"] for line in gold["lines"] if line["label"] == "other"}
        taken = {ref["n"]: (rec["kind"], ref["label"]) for rec in records for ref in rec["lines"]}
        assert all(taken[n] == ("other", "other") for n in furniture)


@pytest.mark.parametrize("rules", [False, True], ids=["underlined headings", "and rules between articles"])
def test_setext_headings_and_rules_are_read_as_markdown(rules: bool, segmenter) -> None:
    # regression: an underline (``======`` under a headline) and a rule (``***`` between two articles) were read
    # as lines of text, so a headline read as the last line of the article above (16/18 and 13/18 before)
    pages = [setext_headings(text, gold, rules) for text, gold in annotated_pages(DATA / "pages", DATA / "gold")]
    assert _articles_of_all(pages, segmenter) == 1.0
    for text, gold in pages:
        records = [a.to_dict() for a in segmenter.split(text, source=gold["source"])]
        owner = {ref["n"]: (k, ref["label"]) for k, rec in enumerate(records) for ref in rec["lines"]}
        article_of = {line["n"]: line["article"] for line in gold["lines"]}
        for line in gold["lines"]:
            if line["label"] == "other":  # an underline with its heading, a rule with the article above it
                above = max(n for n in owner if n < line["n"] and article_of.get(n) == line["article"])
                assert owner[line["n"]] == (owner[above][0], "other")
