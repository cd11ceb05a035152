"""Nothing is lost, checked on generated pages (hypothesis).

Pages are random mixes of real-looking headlines, kickers, decks, bylines, datelines, body
paragraphs, section heads, captions and credits, page furniture, English, numbers and Traditional
Chinese, blank lines (or none), repeated lines, paragraphs broken at random points, and arbitrary
Unicode with control, zero-width and separator characters, joined by LF, CRLF or lone CR.

For each: every non-empty line is in exactly one record's ``lines``; the text of every line that
is not repeated elsewhere is in its record; the records serialise; a second split gives the same
records; nothing raises. The invariants are :func:`check_page` of ``scripts/fuzz.py``, which runs
the same checks on 10 000 pages outside CI. Examples are few here (CI time); ``derandomize`` keeps
CI runs reproducible.
"""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import fuzzscript
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from segmenter import Segmenter, load_model
from segmenter.read import decode

ROOT = Path(__file__).resolve().parent.parent


def _load_fuzz() -> ModuleType:
    """``scripts/fuzz.py``: its page generator and its invariant checker ``check_page``."""
    return fuzzscript.load()


FUZZ = _load_fuzz()
check_page = FUZZ.check_page

PAGE_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def model() -> Segmenter:
    """The shipped model, loaded once for the module (``read_model`` caches it per process)."""
    return load_model()


# --- strategies -----------------------------------------------------------------------------------------

ODD_CHARS = st.sampled_from(FUZZ.CONTROLS + ["\t", "\u3000", "\u00a0", " ", "\ufffd", "\U0002a6a5", "\u0301", "\u202e"])
ANY_TEXT = st.text(st.characters(codec=None, exclude_characters="\r\n"), max_size=30)


def _marked(text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A heading as extractors write it: with or without Markdown marks."""
    return st.tuples(st.sampled_from(["", "# ", "## ", "### ", "#", "**"]), text).map(lambda t: t[0] + t[1])


PARAGRAPH = st.tuples(
    st.sampled_from(["", *FUZZ.DATELINES]),
    st.lists(st.sampled_from(FUZZ.SENTENCES), min_size=1, max_size=4),
).map(lambda t: t[0] + "".join(t[1]))

LINE = st.one_of(
    _marked(st.sampled_from(FUZZ.HEADLINES)),
    _marked(st.sampled_from(FUZZ.KICKERS + FUZZ.DECKS)),
    st.sampled_from(FUZZ.BYLINES),
    PARAGRAPH,
    PARAGRAPH,
    st.sampled_from(FUZZ.SECTIONS + FUZZ.CAPTIONS + FUZZ.CLOSING),
    st.sampled_from(FUZZ.FURNITURE + FUZZ.ENGLISH + FUZZ.NUMBERS + FUZZ.TRADITIONAL),
    ANY_TEXT,
)


@st.composite
def noisy_line(draw: st.DrawFn) -> str:
    """A line with, now and then, odd characters inside it, an indent or trailing spaces."""
    line = draw(LINE)
    for _ in range(draw(st.integers(0, 2))):
        k = draw(st.integers(0, len(line)))
        line = line[:k] + draw(ODD_CHARS) + line[k:]
    indent = draw(st.sampled_from(["", "", "", "\u3000\u3000", "\t", " "]))
    return indent + line + draw(st.sampled_from(["", "", " ", "\t"]))


@st.composite
def pages(draw: st.DrawFn) -> str:
    """A page: lines, blank lines, repeats of earlier lines and broken paragraphs, any line ends."""
    lines: list[str] = []
    for _ in range(draw(st.integers(0, 25))):
        action = draw(st.sampled_from(["line", "line", "line", "blank", "repeat", "broken"]))
        if action == "blank":
            lines.append(draw(st.sampled_from(["", "", " ", "\u3000", "\u200b", "\t"])))
        elif action == "repeat" and lines:
            start = draw(st.integers(0, len(lines) - 1))
            lines += lines[start : start + draw(st.integers(1, 4))]
        elif action == "broken":
            text = draw(PARAGRAPH)
            cut = draw(st.integers(1, len(text) - 1))
            lines += [text[:cut], text[cut:]] if draw(st.booleans()) else [text[:cut], "", text[cut:]]
        else:
            lines.append(draw(noisy_line()))
    ends = draw(st.sampled_from(["\n", "\r\n", "\r", "mixed"]))
    if ends == "mixed":
        return "".join(line + draw(st.sampled_from(["\n", "\r\n", "\r"])) for line in lines)
    return ends.join(lines) + draw(st.sampled_from(["", ends]))


def _records(model: Segmenter, text: str) -> list[dict[str, Any]]:
    return [a.to_dict() for a in model.split(text, source="page.txt")]


# --- the properties -------------------------------------------------------------------------------------


@PAGE_SETTINGS
@given(text=pages())
@example(text="")
@example(text="\r\n\r\n\u200b\r\n")
@example(text="# 标题\r正文第一段。\r\r# 标题\r正文第一段。")
@example(text="新华社北京1月25日电 正文。" * 300)  # one line longer than the piece limit
@example(text="*\x0b*春耕备耕有序推进 粮食生产开局良好")  # a list bullet (a vertical tab reads as a space)
def test_every_line_lands_once_and_keeps_its_text(model: Segmenter, text: str) -> None:
    records = _records(model, text)
    assert check_page(text, records) == []
    json.dumps(records, ensure_ascii=False)


@PAGE_SETTINGS
@given(text=pages())
def test_splitting_is_deterministic(model: Segmenter, text: str) -> None:
    first = _records(model, text)
    assert _records(model, text) == first
    assert _records(Segmenter(), text) == first  # a fresh Segmenter on the same (cached) model


@settings(max_examples=60, deadline=None, derandomize=bool(os.environ.get("CI")))
@given(text=st.text(st.characters(codec=None), max_size=300))
def test_arbitrary_unicode_never_raises(model: Segmenter, text: str) -> None:
    """Any string at all, lone surrogates and every control character included."""
    records = _records(model, text)
    assert check_page(text, records) == []


@settings(max_examples=200, deadline=None, derandomize=bool(os.environ.get("CI")))
@given(
    text=st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=200).filter(
        lambda t: not t.startswith("\ufeff")
    ),
    codec=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be-bom", "utf-32"]),
)
def test_unicode_encodings_decode_to_the_same_text(text: str, codec: str) -> None:
    data = codecs.BOM_UTF16_BE + text.encode("utf-16-be") if codec == "utf-16-be-bom" else text.encode(codec)
    decoded = decode(data)
    assert decoded.text == text
    assert decoded.bad_bytes == 0


def test_records_do_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """Two processes with different PYTHONHASHSEED give byte-identical output for generated pages."""
    paths = []
    for k in range(6):
        page = FUZZ.make_page(f"hashseed:{k}")
        path = tmp_path / f"p{k}.txt"
        path.write_text(page.text.replace("\x00", ""), encoding="utf-8", errors="replace", newline="")
        paths.append(str(path))
    outputs = []
    for seed in ("1", "2"):
        run = subprocess.run(
            [sys.executable, "-m", "segmenter.cli", "split", "--quiet", *paths],
            capture_output=True,
            timeout=300,
            check=False,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert run.returncode == 0, run.stderr
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1] and outputs[0].count(b"\n") > 6


# --- the checker catches what it must --------------------------------------------------------------------

PAGE = "# 标题一\n\n新华社北京1月25日电 第一段。\n\n第二段，\n未完的句子。\n\n# 标题二\n\n另一篇的正文。\n"


@pytest.mark.parametrize(
    "damage",
    ["drop a line", "line twice", "blank line named", "lose text", "lose a headline", "bad pieces"],
)
def test_the_checker_reports_lost_or_doubled_lines(model: Segmenter, damage: str) -> None:
    records = _records(model, PAGE)
    assert check_page(PAGE, records) == []
    first, last = records[0], records[-1]
    if damage == "drop a line":
        last["lines"].pop()
    elif damage == "line twice":
        last["lines"].append(dict(first["lines"][0]))
    elif damage == "blank line named":
        first["lines"].append({"n": 2, "label": "body", "confidence": 1.0})
    elif damage == "lose text":
        block = next(b for r in records for b in r["blocks"] if "第一段" in b["text"])
        block["text"] = block["text"].replace("第一段", "")
    elif damage == "lose a headline":
        first["headline"] = "标题"
    else:
        first["lines"][0]["piece"] = 2
    assert check_page(PAGE, records) != []
