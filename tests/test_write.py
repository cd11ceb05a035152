"""Markdown and plain text output for people: the dateline once, and every page named (issue 17)."""

from __future__ import annotations

from pathlib import Path

import pytest

from segmenter import split_page
from segmenter.cli import main
from segmenter.records import Article, Block, LineRef
from segmenter.write import to_markdown, to_text

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "data" / "pages").glob("*.txt"))

DATELINE = "新华社北京1月25日电"


def article(body_starts_with_dateline: bool) -> Article:
    body = f"{DATELINE} 日前，有关部门发布了通知。" if body_starts_with_dateline else "日前，有关部门发布了通知。"
    blocks = [Block("body", body, [3])]
    if not body_starts_with_dateline:
        blocks.insert(0, Block("dateline", f"（{DATELINE}）", [2]))
    return Article("p.txt", 0, "news", "标题", byline="新华社记者", dateline=DATELINE, blocks=blocks,
                   lines=[LineRef(1, "headline", 0.9), LineRef(3, "body", 0.9)])  # fmt: skip


@pytest.mark.parametrize("in_body", [True, False])
@pytest.mark.parametrize("render", [to_markdown, to_text])
def test_the_dateline_is_printed_once(render, in_body: bool) -> None:  # noqa: ANN001
    assert render([article(in_body)]).count(DATELINE) == 1


def test_the_dateline_is_printed_once_on_a_real_page() -> None:
    articles = split_page(PAGES[1].read_text(encoding="utf-8"), source=PAGES[1].name)
    dated = [a for a in articles if a.dateline]
    assert dated
    for render in (to_markdown, to_text):
        for a in dated:
            shown = render([a])
            assert shown.count(a.dateline) == (a.text.count(a.dateline) or 1), (render.__name__, a.dateline)


@pytest.mark.parametrize("fmt", ["markdown", "text"])
def test_several_pages_on_stdout_each_name_their_source(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["split", *map(str, PAGES), "--format", fmt, "--no-words"]) == 0
    out = capsys.readouterr().out
    positions = [out.find(f"segmenter page: {page.name}") for page in PAGES]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
    if fmt == "markdown":
        assert all(f"\n# {page.name}\n" in out for page in PAGES)


def test_an_empty_page_writes_nothing() -> None:
    assert to_markdown([]) == to_text([]) == ""
