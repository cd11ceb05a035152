"""Tests of splitting a page into numbered, cleaned lines and of the width normalisers."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from segmenter.lines import Line, clean_line, is_spaced, normalize, split_lines, split_pieces, to_halfwidth, unspace
from segmenter.read import read_page

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PAGE_NAMES = sorted(p.stem for p in (SHARED / "pages").glob("*.txt")) if SHARED.is_dir() else []
needs_shared = pytest.mark.skipif(len(PAGE_NAMES) < 3, reason="../shared pages and gold are not available")

PAGE_LF = "\n\n# 春耕备耕有序推进\n\n新华社记者 张明\n正文第一段。\n\n\n正文第二段，“引语。”\n"
EXPECTED = [
    Line(3, "# 春耕备耕有序推进", True, True),
    Line(5, "新华社记者 张明", True, False),
    Line(6, "正文第一段。", False, True),
    Line(9, "正文第二段，“引语。”", True, True),
]


@pytest.mark.parametrize(
    "page",
    [
        pytest.param(PAGE_LF, id="LF"),
        pytest.param(PAGE_LF.replace("\n", "\r\n"), id="CRLF"),
        pytest.param(PAGE_LF.replace("\n", "\r"), id="CR"),
        pytest.param(
            "\r\n\r# 春耕备耕有序推进\n\r\n新华社记者 张明\r正文第一段。\n\r\n\r正文第二段，“引语。”\r\n", id="mixed"
        ),
        pytest.param(PAGE_LF.rstrip("\n"), id="no final newline"),
    ],
)
def test_line_endings_give_the_same_lines(page: str) -> None:
    assert split_lines(page) == EXPECTED


@pytest.mark.parametrize("sep", ["\x0b", "\x0c", "\x85", "\u2028", "\u2029", "\x1c"])
def test_other_separators_are_spaces_not_breaks(sep: str) -> None:
    lines = split_lines(f"标题\n正文{sep}续文\n{sep}尾行{sep}")
    assert [(line.n, line.text) for line in lines] == [(1, "标题"), (2, "正文 续文"), (3, "尾行")]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("\u3000\u3000社会工作\u3000事关全局", "社会工作\u3000事关全局"),
        ("\ufeff标题", "标题"),
        ("正\u200b文\u200c内\u200d容\u2060", "正文内容"),
        ("\u00a0 记者\t张明 \u00a0", "记者\t张明"),
        ("\t（新华社北京1月25日电）\t", "（新华社北京1月25日电）"),
        ("控制\x00字\x07符\x1b\x7f\x9f", "控制字符"),
        ("香港特別行政區經濟穩步復甦", "香港特別行政區經濟穩步復甦"),
        ("Page 12   2025-03-12", "Page 12   2025-03-12"),
        ("1,024.5", "1,024.5"),
    ],
)
def test_cleaning(raw: str, clean: str) -> None:
    assert split_lines(raw) == [Line(1, clean, True, True)]


@pytest.mark.parametrize("raw", ["", "\n\n", "\u3000\u3000\n\u200b\n \t \n\ufeff"])
def test_blank_pages_have_no_lines(raw: str) -> None:
    assert split_lines(raw) == []


def test_whitespace_only_lines_are_blank_neighbours() -> None:
    lines = split_lines("甲\n\u3000\u200b\n乙\n丙")
    assert lines == [Line(1, "甲", True, True), Line(3, "乙", True, False), Line(4, "丙", False, True)]


def _sentences(count: int) -> str:
    """Varied made-up sentences with the punctuation of a real page."""
    ends = ["。", "！", "？", "；", "。”", "？”", "!", "?", ";", "。）", "。』"]
    body = [
        "各地抢抓农时组织农民开展田间管理",
        "据统计全国已春播粮食1.2亿亩",
        "Output rose 3.5% in March",
        "他说“今年的种子都已经备齐了",
    ]
    return "".join(f"{body[i % 4]}第{i}句{ends[i % len(ends)]}" + (" " if i % 5 == 0 else "") for i in range(count))


def test_one_megabyte_line_is_cut_into_sentences() -> None:
    line = _sentences(30_000) + "无标点" * 2_000 + "结尾。"
    assert len(line.encode("utf-8")) > 1_000_000
    lines = split_lines(f"\n{line}\n\n下一行\n", max_chars=2000)
    pieces = [piece for piece in lines if piece.n == 2]
    # not `assert a == b`: on failure pytest would diff two 1 MB strings in quadratic time
    rebuilt = "".join(p.text for p in pieces) == line
    assert rebuilt, "the pieces do not concatenate to the line"
    assert [p.piece for p in pieces] == list(range(len(pieces)))
    assert all(1 <= len(p.text) <= 2000 for p in pieces)
    # sentence-sized: one sentence each, except the punctuation-free run cut at max_chars
    assert len(pieces) == 30_000 + 3 + 1
    assert sorted(len(p.text) for p in pieces)[-3:] == [2000, 2000, 2000]
    assert (pieces[0].blank_before, pieces[-1].blank_after) == (True, True)
    assert not any(p.blank_after for p in pieces[:-1]) and not any(p.blank_before for p in pieces[1:])
    assert lines[-1] == Line(4, "下一行", True, True)


def test_piece_keeps_closing_quote_and_space() -> None:
    line = "他说：“备齐了。” 今年好！（完）"
    assert split_pieces(line, 10) == ["他说：“备齐了。” ", "今年好！", "（完）"]


@pytest.mark.parametrize(
    ("text", "max_chars", "sizes"),
    [
        ("甲" * 5000, 2000, [2000, 2000, 1000]),
        ("甲" * 4000, 2000, [2000, 2000]),
        ("甲。" * 3, 1, [1, 1, 1, 1, 1, 1]),
        ("", 5, []),
    ],
)
def test_hard_cuts(text: str, max_chars: int, sizes: list[int]) -> None:
    assert [len(p) for p in split_pieces(text, max_chars)] == sizes


def test_lines_at_the_limit_stay_whole() -> None:
    line = "甲。" * 1000
    assert split_lines(line, max_chars=2000) == [Line(1, line, True, True)]
    assert len(split_lines(line + "乙", max_chars=2000)) == 1001


def test_max_chars_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_chars"):
        split_lines("abc", max_chars=0)


@needs_shared
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_numbering_matches_gold(name: str) -> None:
    gold = json.loads((SHARED / "gold" / f"{name}.json").read_text(encoding="utf-8"))
    lines = split_lines(read_page(SHARED / "pages" / f"{name}.txt").text)
    assert all(line.piece == 0 for line in lines)
    assert {line.n: line.text for line in lines} == {g["n"]: g["text"].strip() for g in gold["lines"]}


# --- the property: nothing lost, nothing moved -------------------------------------------------

_SPACES = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_GONE = "\u200b\u200c\u200d\u2060\ufeff"


def _reference_clean(line: str) -> str:
    """An independent, character-by-character statement of the cleaning rules."""
    out = []
    for ch in line:
        if ch in _SPACES:
            out.append(" ")
        elif ch in _GONE or (unicodedata.category(ch) == "Cc" and ch != "\t"):
            continue
        else:
            out.append(ch)
    return "".join(out).strip()


_ALPHABET = (
    st.sampled_from(
        list("甲乙丙丁 \t\u3000\u00a0。！？；!?;”」）") + list("\r\n") * 3 + list(_SPACES + _GONE + "\x00\x07\x7f")
    )
    | st.characters()
)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=_ALPHABET, max_size=200), max_chars=st.integers(min_value=1, max_value=30))
@example(text="\r\u200b\n甲", max_chars=1)
def test_lines_rebuild_the_physical_lines(text: str, max_chars: int) -> None:
    physical = [_reference_clean(line) for line in re.split(r"\r\n|\r|\n", text)]
    lines = split_lines(text, max_chars=max_chars)
    joined: dict[int, str] = {}
    for line in lines:
        assert line.text and len(line.text) <= max_chars
        joined[line.n] = joined.get(line.n, "") + line.text
    assert joined == {n: clean for n, clean in enumerate(physical, 1) if clean}
    assert [line.n for line in lines] == sorted(line.n for line in lines)


# --- width and Unicode normalisation -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "half"),
    [
        ("１２月３１日", "12月31日"),
        ("ＡＢｃ！？（）～", "ABc!?()~"),
        ("新华社\u3000记者", "新华社 记者"),
        ("，。、“”", ",。、“”"),  # only U+FF01-U+FF5E: the ideographic comma and quotes stay
        ("plain ASCII", "plain ASCII"),
    ],
)
def test_to_halfwidth(text: str, half: str) -> None:
    assert to_halfwidth(text) == half


def test_to_halfwidth_covers_the_whole_block() -> None:
    full = "".join(chr(c) for c in range(0xFF01, 0xFF5F))
    assert to_halfwidth(full) == "".join(chr(c) for c in range(0x21, 0x7F))
    assert to_halfwidth(full) == normalize(full)


def test_normalize_is_nfkc() -> None:
    assert normalize("１２月ｆｉ①\u3000") == unicodedata.normalize("NFKC", "１２月ｆｉ①\u3000") == "12月fi1 "


@pytest.mark.parametrize(
    ("text", "numbers"),
    [("\r\u200b\n甲", [3]), ("甲\r\x00\n乙", [1, 3]), ("\r\ufeff\n\r\n甲", [4])],
)
def test_cleaning_never_merges_line_ends(text: str, numbers: list[int]) -> None:
    # Removing the character between CR and LF must not turn two line ends into one CRLF.
    assert [line.n for line in split_lines(text)] == numbers


def test_clean_line() -> None:
    assert clean_line("\u3000\u200b记者\x0b张明\t\x00 ") == "记者 张明"


# --------------------------------------------------------------------------------------------------
# OCR text with a space between characters

SPACED_REPORT = (
    "中 央 经 济 工 作 会 议 在 北 京 举 行\n\n"
    "新 华 社 北 京 12 月 12 日 电 （ 记 者 张 晓 松 ） 中 央 经 济 工 作 会 议 12 月 10 日 至 11 日 在 北 京 举 行 。\n"
    "会 议 认 为 ， 今 年 是 极 不 平 凡 的 一 年 ，  经 济 运 行 总 体 平 稳 。 GDP 增 长 5% 。\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            SPACED_REPORT,
            "中央经济工作会议在北京举行\n\n新华社北京12月12日电（记者张晓松）中央经济工作会议12月10日至11日在北京举行。\n"
            "会议认为，今年是极不平凡的一年，  经济运行总体平稳。 GDP 增长5%。\n",
            id="spaced OCR: single spaces between wide characters and digits go, double spaces and Latin stay",
        ),
        pytest.param(
            "新华社记者 谢希瑶 黄韬铭\n赓续红色血脉 坚守为民初心\n" + "正文，中央经济工作会议在北京举行。\n" * 5,
            None,
            id="a normal page's spaced bylines and paired intertitles stay",
        ),
        pytest.param("何  龙摄\n第一章  总  则\n", None, id="few pairs: not spaced text"),
    ],
)
def test_unspace(text: str, expected: str | None) -> None:
    assert unspace(text) == (text if expected is None else expected)
    assert is_spaced(text) is (expected is not None)


def test_unspace_keeps_every_line_number() -> None:
    spaced = SPACED_REPORT.replace("\n", "\r\n") * 3
    assert [line.n for line in split_lines(unspace(spaced))] == [line.n for line in split_lines(spaced)]


def test_spaced_text_is_told_from_its_first_characters() -> None:
    # bounded time on a page of any size: only the sample is counted
    assert is_spaced(SPACED_REPORT * 2000)
    assert not is_spaced("正文，中央经济工作会议在北京举行。\n" * 2000 + SPACED_REPORT * 100)
