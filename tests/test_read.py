"""Tests of reading page files: encoding detection, binary refusal, bad bytes, file errors."""

from __future__ import annotations

import codecs
import io
import logging
import os
import random
import sys
from pathlib import Path

import pytest

from segmenter.errors import InputError
from segmenter.read import Decoded, decode, read_page

# A made-up page in the shape the extractor writes: Markdown headings, byline, dateline, body
# with full-width punctuation, a caption, numbers and Latin letters.
PAGE = """

# 春耕备耕有序推进 粮食生产开局良好

## ——各地扎实做好农业生产各项工作

新华社记者 张明 李华

新华社北京3月12日电 眼下正是春耕备耕的关键时期，各地抢抓农时，组织农民开展田间管理。“今年的种子、化肥都已经备齐了。”河南省农业农村厅负责人说。

据统计，截至3月10日，全国已春播粮食1.2亿亩，完成意向面积的12.5%，进度同比略快。农机手们驾驶GPS导航拖拉机在田间作业……

### 科技助力 农业生产提质增效

这是3月11日拍摄的麦田（无人机照片）。

（新华社记者 王强 摄）
"""

TRADITIONAL = """# 香港特別行政區經濟穩步復甦

本報記者 陳大文

香港特別行政區政府今日發表聲明，表示將繼續支持經濟發展。「我們對未來充滿信心」，行政長官說。這項計劃包括興建新的醫院與學校，預計明年完成。
"""


def _with_bom(bom: bytes, codec: str) -> bytes:
    return bom + PAGE.encode(codec)


ENCODED = {
    "utf-8": (PAGE.encode("utf-8"), {"utf-8"}),
    "utf-8 BOM": (_with_bom(codecs.BOM_UTF8, "utf-8"), {"utf-8-sig"}),
    "gb18030": (PAGE.encode("gb18030"), {"gb18030"}),
    "gbk": (PAGE.encode("gbk"), {"gb18030"}),
    # Python's gb2312 codec maps A1AA to U+2015; GB18030 reads the same bytes as the em dash.
    "gb2312": (PAGE.replace("\u2014", "\u2015").encode("gb2312"), {"gb18030"}),
    "utf-16 le BOM": (_with_bom(codecs.BOM_UTF16_LE, "utf-16-le"), {"utf-16-le"}),
    "utf-16 be BOM": (_with_bom(codecs.BOM_UTF16_BE, "utf-16-be"), {"utf-16-be"}),
    "utf-32 le BOM": (_with_bom(codecs.BOM_UTF32_LE, "utf-32-le"), {"utf-32-le"}),
    "utf-32 be BOM": (_with_bom(codecs.BOM_UTF32_BE, "utf-32-be"), {"utf-32-be"}),
}


@pytest.mark.parametrize("label", list(ENCODED))
def test_every_encoding_gives_the_same_text(label: str) -> None:
    data, codecs_ok = ENCODED[label]
    decoded = decode(data)
    assert decoded == Decoded(PAGE, decoded.encoding, 0)
    assert decoded.encoding in codecs_ok


@pytest.mark.parametrize("codec", ["utf-8", "big5", "cp950"])
def test_traditional_chinese_survives(codec: str) -> None:
    decoded = decode(TRADITIONAL.encode(codec))
    assert decoded.text == TRADITIONAL
    assert decoded.bad_bytes == 0
    assert decoded.encoding == ("utf-8" if codec == "utf-8" else "cp950")


def test_english_and_numbers_are_utf8() -> None:
    text = "Page 12\n\nMARKETS 2025-03-12 +3.5% / 1,024\n"
    assert decode(text.encode("ascii")) == Decoded(text, "utf-8", 0)


def test_latin1_is_not_mistaken_for_gb18030(caplog: pytest.LogCaptureFixture) -> None:
    # "ü" + "r" is a valid GBK pair, so the bytes decode strictly as GB18030: the plausibility
    # check must still reject that reading (one rare hanzi in ASCII text).
    text = "Reports from the Swiss bureau in Zürich follow below. " + "The markets opened higher today. " * 20
    data = text.encode("cp1252")
    data.decode("gb18030")  # the trap is real
    with caplog.at_level(logging.WARNING, logger="segmenter.read"):
        decoded = decode(data, name="swiss.txt")
    assert decoded.encoding == "utf-8"
    assert decoded.bad_bytes == 1
    assert decoded.text == text.replace("ü", "\ufffd")
    assert "swiss.txt" in caplog.text and "1 undecodable" in caplog.text


def test_big5_read_as_gbk_is_rejected_for_cp950() -> None:
    # Big5 bytes are nearly all valid GBK; the GBK reading is a soup of rare characters.
    data = (TRADITIONAL * 3).encode("big5")
    data.decode("gb18030")
    assert decode(data).encoding == "cp950"


def test_bom_is_not_part_of_the_text() -> None:
    assert decode(codecs.BOM_UTF8 + "标题".encode()).text == "标题"
    assert decode(codecs.BOM_UTF8 + "标题".encode(), encoding="utf-8").text == "标题"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param("标题\n\n正文。\n".encode().replace(b"\n\n", b"\n\x00\n"), id="NUL in UTF-8"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", id="PNG header"),
        pytest.param(PAGE.encode("utf-16-le"), id="UTF-16 LE without BOM"),
        pytest.param(codecs.BOM_UTF8 + b"abc\x00def", id="NUL after UTF-8 BOM"),
    ],
)
def test_nul_bytes_are_binary(data: bytes) -> None:
    with pytest.raises(InputError) as info:
        decode(data, name="page.txt")
    assert info.value.path == "page.txt"
    assert info.value.problem == "binary data (NUL bytes), not a text page"


@pytest.mark.parametrize("size", [2_000, 200_000, 2_000_000])
def test_random_bytes_are_refused(size: int) -> None:
    rng = random.Random(size)
    data = bytes(rng.randrange(1, 256) for _ in range(size)) if size < 10_000 else rng.randbytes(size)
    data = data.replace(b"\x00", b"\x01")
    with pytest.raises(InputError, match=r"not text in a known encoding \(\d+ undecodable bytes.*; pass --encoding"):
        decode(data)


def test_utf16_chinese_without_bom_is_not_guessed() -> None:
    # Pure CJK in UTF-16 has no NUL bytes; it must not come back as some GB18030 reading.
    data = "社会工作事关党长期执政和国家长治久安".encode("utf-16-le")
    assert b"\x00" not in data
    with pytest.raises(InputError, match="not text in a known encoding"):
        decode(data)


@pytest.mark.parametrize(
    ("codec", "expected"),
    [("utf-8", "utf-8"), ("gbk", "gb18030")],
)
def test_a_few_bad_bytes_are_replaced_with_a_warning(
    codec: str, expected: str, caplog: pytest.LogCaptureFixture
) -> None:
    good = (PAGE * 4).encode(codec)
    # 0xFF is invalid in UTF-8 and GBK alike; put it between lines so no character is cut.
    cut = [i for i, b in enumerate(good) if b == 0x0A][5:8]
    data = bytearray(good)
    for offset, i in enumerate(cut):
        data.insert(i + offset, 0xFF)
    with caplog.at_level(logging.WARNING, logger="segmenter.read"):
        decoded = decode(bytes(data), name="damaged.txt")
    assert decoded.encoding == expected
    assert decoded.bad_bytes == 3
    assert decoded.text.count("\ufffd") == 3
    assert decoded.text.replace("\ufffd", "") == PAGE * 4
    [record] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "damaged.txt" in record.getMessage() and "3 undecodable" in record.getMessage()


def test_big_file_with_bad_bytes_warns_once(caplog: pytest.LogCaptureFixture) -> None:
    # Larger than the detection sample (start, middle, end): one bad byte inside it, one outside.
    good = (PAGE * 2500).encode("gbk")
    assert len(good) > 3 * 256 * 1024
    first, second = good.index(b"\n", 100), good.index(b"\n", 400_000)  # cut no character
    data = good[:first] + b"\xff" + good[first:second] + b"\xff" + good[second:]
    with caplog.at_level(logging.WARNING, logger="segmenter.read"):
        decoded = decode(data, name="big.txt")
    assert (decoded.encoding, decoded.bad_bytes) == ("gb18030", 2)
    assert [r.getMessage() for r in caplog.records] == [
        "big.txt: 2 undecodable byte(s) replaced with U+FFFD (read as gb18030)"
    ]


def test_clean_text_logs_no_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="segmenter.read"):
        decode(PAGE.encode("gbk"))
    assert not caplog.records


def test_too_many_bad_bytes_are_refused() -> None:
    data = b"abc \xff" * 300  # 20 % bad
    with pytest.raises(InputError, match=r"\(300 undecodable bytes\)"):
        decode(data)


# --- encoding override ---------------------------------------------------------------------


def test_unknown_encoding() -> None:
    with pytest.raises(InputError) as info:
        decode(b"abc", name="x.txt", encoding="no-such-codec")
    assert info.value.problem == "unknown encoding 'no-such-codec'"


@pytest.mark.parametrize("codec", ["gbk", "GB18030", "utf-8", "utf_16"])
def test_encoding_override(codec: str) -> None:
    decoded = decode(PAGE.encode(codec), encoding=codec)
    assert decoded.text == PAGE
    assert decoded.bad_bytes == 0
    assert decoded.encoding == codecs.lookup(codec).name


def test_override_allows_nul_in_utf16_only() -> None:
    assert decode("ab".encode("utf-16-le"), encoding="utf-16-le").text == "ab"
    with pytest.raises(InputError, match="NUL bytes"):
        decode(b"a\x00b", encoding="latin-1")


def test_override_counts_bad_bytes(caplog: pytest.LogCaptureFixture) -> None:
    data = PAGE.encode("utf-8") + b"\xff\xfe" + PAGE.encode("utf-8")
    with caplog.at_level(logging.WARNING, logger="segmenter.read"):
        decoded = decode(data, encoding="utf-8", name="p.txt")
    assert decoded.bad_bytes == 2
    assert decoded.text == PAGE + "\ufffd\ufffd" + PAGE
    assert "2 undecodable" in caplog.text


def test_override_with_a_stray_ascii_byte() -> None:
    # An odd trailing byte below 0x80 in UTF-16: the built-in surrogateescape cannot take it.
    decoded = decode(PAGE.encode("utf-16-le") + b"A", encoding="utf-16-le")
    assert decoded == Decoded(PAGE + "\ufffd", "utf-16-le", 1)


def test_wrong_override_is_refused() -> None:
    with pytest.raises(InputError, match=r"not text in encoding 'utf-8' \(\d+ undecodable bytes\)"):
        decode(PAGE.encode("gbk"), encoding="utf-8")


# --- read_page -----------------------------------------------------------------------------


def test_read_page_file(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(PAGE.encode("gbk"))
    assert read_page(path) == Decoded(PAGE, "gb18030", 0)
    assert read_page(str(path), encoding="gbk").text == PAGE


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    with pytest.raises(InputError) as info:
        read_page(path)
    assert (info.value.path, info.value.problem) == (str(path), "no such file")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_page(tmp_path)
    assert (info.value.path, info.value.problem) == (str(tmp_path), "is a directory, expected a text file")


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads anything")
def test_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("正文", encoding="utf-8")
    path.chmod(0)
    try:
        with pytest.raises(InputError, match="permission denied"):
            read_page(path)
    finally:
        path.chmod(0o600)


def test_permission_denied_as_root_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("segmenter.read.open", refuse, raising=False)
    with pytest.raises(InputError) as info:
        read_page(tmp_path / "page.txt")
    assert info.value.problem == "permission denied"


def test_other_os_error(tmp_path: Path) -> None:
    file = tmp_path / "file.txt"
    file.write_text("x", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_page(file / "below.txt")  # a path through a regular file
    assert info.value.problem == os.strerror(20)  # ENOTDIR: "Not a directory"


def test_dash_reads_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeStdin:
        buffer = io.BytesIO(PAGE.encode("gb18030"))

    monkeypatch.setattr(sys, "stdin", FakeStdin())
    decoded = read_page("-")
    assert decoded.text == PAGE
    assert decoded.encoding == "gb18030"


def test_dash_names_stdin_in_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeStdin:
        buffer = io.BytesIO(b"\x00\x01")

    monkeypatch.setattr(sys, "stdin", FakeStdin())
    with pytest.raises(InputError) as info:
        read_page("-")
    assert str(info.value) == "-: binary data (NUL bytes), not a text page"
