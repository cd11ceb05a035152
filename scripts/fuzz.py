#!/usr/bin/env python3
"""Fuzz the segmenter with generated pages and check that nothing is lost.

Each page is drawn from its own seed (``SEED:INDEX``), so any failure can be replayed alone:

    python scripts/fuzz.py --pages 10000 --jobs 2          # the run reported in the README (not in CI)
    python scripts/fuzz.py --pages 200                      # a quick look
    python scripts/fuzz.py --replay 0:4711 --show           # one page again, printed
    python scripts/fuzz.py --pages 2000 --adversarial 0.5   # half the pages hostile (see below)

A page is either synthetic -- real-looking headlines, kickers, decks, bylines, datelines, body
paragraphs, section heads, captions and credits, page furniture, English, numbers and Traditional
Chinese lines, mixed with blank lines or none, repeated runs, paragraphs broken at random points,
moved lines -- or a People's Daily 1998 page rendered by :mod:`segmenter.render` when the shared
corpus is there. Then noise is laid over it: CRLF or lone-CR line ends, tabs, full-width and
trailing spaces, zero-width and control characters, arbitrary Unicode (astral, combining, RTL,
private use, lone surrogates for the API), every newline dropped (one enormous line), and the
bytes re-encoded (UTF-8 with or without BOM, UTF-16/32 with BOM, GB18030) and decoded again.

A share of the pages (``--adversarial``, default 0.1) is hostile instead (issue "Hostile input and
faults"): heading-only pages, pages of one-character lines, one huge line of ``。``, random short bold
lines, lines of ``摄`` + hundreds of spaces, ``utf-7`` bytes that spell lone surrogates (read through
:func:`segmenter.read.decode`), and pages whose file name is not UTF-8 (GBK bytes, split through
:func:`segmenter.batch.process_page` so the name reaches the output). Their sizes are bounded by
``--hostile-lines`` (default 2,000 lines): the stitcher's pass over heading runs was quadratic when this
was written, and the report gives the time per MB of each kind next to that of the normal pages.

For every page :func:`check_page` tests the invariants of the issue "Bad and unusual input":

* the decoded text equals the generated text, whatever the encoding;
* every non-empty input line is in exactly one record's ``lines`` (the pieces of an over-long line
  each exactly once, numbered 0, 1, 2, ...), and no record names a blank or absent line;
* every character of a line that is not repeated elsewhere on the page is in its record's output
  (a block, or the headline/subheadlines/byline/dateline field);
* the records serialise to JSON, and splitting again gives the same records (every 10th page);
* no exception escapes.

Exit status 0 when every page passed, 1 otherwise; ``--save DIR`` keeps failing pages as files.
"""

from __future__ import annotations

import argparse
import codecs
import json
import random
import re
import sys
import time
import traceback
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpora" / "pd1998" / "pages.jsonl.gz"

# --------------------------------------------------------------------------------------------------
# what pages are made of (written for this script; none is a line of the sample pages)

HEADLINES = [
    "春耕备耕有序推进 粮食生产开局良好",
    "我国新能源汽车产销量连续多年居世界首位",
    "多地出台措施促进消费回暖",
    "国际油价小幅上涨",
    "冬奥场馆赛后利用迎来新机遇",
    "长江流域生态保护取得新进展",
    "全国铁路春运客流平稳有序",
    "科技创新引领产业转型升级",
    "城市更新让老街区焕发新活力",
    "乡村振兴路上的“新农人”",
    "外贸进出口保持稳定增长",
    "高校毕业生就业形势总体稳定",
    "守护一江清水向东流",
    "我国首艘自主设计的极地科考破冰船完成首航",
    "联合国秘书长呼吁加强气候行动",
    "冰雪经济持续升温",
    "让更多老年人共享数字生活",
    "中欧班列开行数量创新高",
]
KICKERS = ["深化改革 扩大开放", "新春走基层", "权威发布", "一线调研"]
DECKS = ["——各地扎实做好春季农业生产工作", "——来自基层一线的调查", "——写在全国两会召开之际", "—访问团成员谈感受"]
BYLINES = [
    "本报记者 王明",
    "新华社记者 李华 张强",
    "□新华社记者",
    "本报通讯员 赵刚 本报记者 孙丽",
    "新华社“新华视点”记者",
    "本报评论员",
    "■本报记者  陈晓",
]
DATELINES = [
    "新华社北京3月12日电",
    "本报上海5月6日讯",
    "据新华社日内瓦1月24日电",
    "新华社华盛顿十二月三十一日电",
    "新华社北京１月９日电（记者鹿永建）",
    "本报北京1月9日讯 记者赵志文报道：",
]
CLOSING = ["（新华社北京1月25日电）", "(新华社广州2月3日电)", "（完）", "（本报记者 王平）"]
SENTENCES = [
    "眼下正是春耕备耕的关键时期，各地抢抓农时，组织农民开展田间管理。",
    "“今年的种子、化肥都已经备齐了。”当地农业农村部门负责人说。",
    "据统计，截至3月10日，全国已春播粮食1.2亿亩，进度同比略快。",
    "农机手们驾驶北斗导航拖拉机在田间作业，一天能完成上百亩地的播种。",
    "专家表示，这一做法既提高了效率，也降低了成本。",
    "近年来，当地坚持生态优先、绿色发展，水质持续改善。",
    "记者在现场看到，工人们正在紧张有序地进行设备调试；",
    "会议指出，要坚持稳中求进工作总基调，完整、准确、全面贯彻新发展理念，",
    "该项目总投资约35亿元，预计明年6月建成投产，",
    "“我们对未来充满信心！”",
    "数据显示，一季度社会消费品零售总额同比增长4.7%。",
    "截至目前，已有超过1200家企业入驻园区，带动就业2.3万人……",
    "他说，这是一个值得期待的开始。",
    "与此同时，相关部门将进一步加强监管，确保各项措施落到实处。",
    "游客在景区内参观游览，感受传统文化的魅力",
    "2025年，全市GDP达到1.2万亿元，增长5.3%",
]
SECTIONS = ["### 科技助力 农业生产提质增效", "（二）", "一、坚持稳中求进", "**绿色发展结硕果**", "2.抓好重点项目建设"]
CAPTIONS = [
    "这是3月11日拍摄的麦田（无人机照片）。",
    "图为游客在景区参观。",
    "（新华社记者 王强 摄）",
    "新华社发（孟德龙 摄）",
    "上图：工人在生产线上作业。本报记者 刘洋摄",
    "照片由受访者提供",
]
FURNITURE = ["2026年1月26日 星期一", "第3版", "要闻", "责编：张三 美编：李四", "- 12 -", "人民日报", "2 0 2 6 . 1 . 2 6"]
ENGLISH = [
    "Xinhua News Agency, Beijing, Jan. 25",
    "GDP grew 5.2 percent in 2023.",
    "WHO",
    "http://www.example.com/news/2026/01/25/index.html",
    "COVID-19",
]
NUMBERS = ["2025", "12345", "3.14159", "1,234,567", "12%", "０３１２", "1/2", "-7", "100000000000000000000"]
TRADITIONAL = [
    "香港特別行政區經濟穩步復甦",
    "「我們對未來充滿信心」，行政長官說。這項計劃包括興建新的醫院與學校，預計明年完成。",
    "本報記者 陳大文",
    "臺灣同胞踴躍參與兩岸交流活動",
]
#: blocks of arbitrary Unicode: CJK extension A/B, Hangul, Arabic, Hebrew, Devanagari, combining
#: marks, emoji, mathematical alphanumerics, private use, specials, box drawing, Latin-1
UNICODE_RANGES = [
    (0x3400, 0x4DBF),
    (0x20000, 0x2A6DF),
    (0xAC00, 0xD7A3),
    (0x0600, 0x06FF),
    (0x0590, 0x05FF),
    (0x0900, 0x097F),
    (0x0300, 0x036F),
    (0x1F300, 0x1FAFF),
    (0x1D400, 0x1D7FF),
    (0xE000, 0xF8FF),
    (0xFFF0, 0xFFFD),
    (0x2500, 0x257F),
    (0x00A0, 0x00FF),
    (0x4E00, 0x9FFF),
    (0xFF01, 0xFF5E),
]
#: characters an extractor leaves in lines: C0/C1 controls, the separators Python's splitlines
#: breaks on, zero-width characters, the BOM, bidi marks, the soft hyphen
CONTROLS = [chr(c) for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))] + list(
    "\u2028\u2029\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u00ad\u202e"
)


# --------------------------------------------------------------------------------------------------
# generating a page


@dataclass
class Page:
    """A generated page: its text, how it was made (for the report) and what may be checked on it."""

    text: str
    recipe: list[str] = field(default_factory=list)
    #: bytes the reader gets, and the text they must decode to (None: not decoded, API only)
    data: bytes | None = None
    codec: str | None = None
    #: the hostile kind of the page (see :data:`HOSTILE`), ``None`` for a normal page
    hostile: str | None = None
    #: a file name of non-UTF-8 bytes: the page is split through the batch runner from such a file
    file_name: bytes | None = None


def _paragraph(rng: random.Random, dateline: bool) -> str:
    text = "".join(rng.choice(SENTENCES) for _ in range(rng.randint(1, 4)))
    if dateline:
        text = rng.choice(DATELINES) + rng.choice(["", " ", "　"]) + text
    return text


def _heading(rng: random.Random, text: str) -> str:
    marks = rng.choice(["", "", "# ", "## ", "### ", "#", "#### ", "**"])
    return marks + text + ("**" if marks == "**" else "")


def _article(rng: random.Random) -> list[str]:
    """The lines of one article, in printed order (no blank lines yet)."""
    out: list[str] = []
    kind = rng.random()
    if kind < 0.15:  # a photo item
        if rng.random() < 0.5:
            out.append(_heading(rng, rng.choice(HEADLINES)))
        out += [rng.choice(CAPTIONS) for _ in range(rng.randint(1, 3))]
        return out
    if kind < 0.25:  # a brief: a dateline paragraph alone
        return [_paragraph(rng, True)]
    if rng.random() < 0.3:
        out.append(_heading(rng, rng.choice(KICKERS)))
    out.append(_heading(rng, rng.choice(HEADLINES)))
    if rng.random() < 0.3:
        out.append(_heading(rng, rng.choice(DECKS)))
    if rng.random() < 0.5:
        out.append(rng.choice(BYLINES))
    for k in range(rng.randint(1, 8)):
        if k and rng.random() < 0.15:
            out.append(rng.choice(SECTIONS))
        out.append(_paragraph(rng, k == 0 and rng.random() < 0.6))
    if rng.random() < 0.2:
        out.append(rng.choice(CAPTIONS))
    if rng.random() < 0.3:
        out.append(rng.choice(CLOSING))
    return out


def _random_unicode(rng: random.Random, n: int, surrogates: bool = False) -> str:
    chars = []
    for _ in range(n):
        r = rng.random()
        if r < 0.1:
            chars.append(rng.choice(CONTROLS))
        elif r < 0.15:
            chars.append(rng.choice(" \t\u3000\u00a0"))
        elif surrogates and r < 0.17:
            chars.append(chr(rng.randint(0xD800, 0xDFFF)))
        else:
            lo, hi = rng.choice(UNICODE_RANGES)
            chars.append(chr(rng.randint(lo, hi)))
    return "".join(chars)


def _odd_line(rng: random.Random) -> str:
    pool = rng.choice([ENGLISH, NUMBERS, TRADITIONAL, FURNITURE])
    return rng.choice(pool)


def _break_paragraph(rng: random.Random, lines: list[str]) -> None:
    """Cut a long line in two at a random point (a paragraph broken at a column end)."""
    long = [i for i, line in enumerate(lines) if len(line) > 12]
    if not long:
        return
    i = rng.choice(long)
    cut = rng.randint(2, len(lines[i]) - 2)
    lines[i : i + 1] = [lines[i][:cut], lines[i][cut:]]


def synthetic_lines(rng: random.Random, recipe: list[str]) -> list[str]:
    """Lines of a synthetic page, in printed order, with repeats, breaks and moved lines."""
    lines: list[str] = []
    if rng.random() < 0.3:
        lines += rng.sample(FURNITURE, rng.randint(1, 3))
        recipe.append("furniture")
    for _ in range(rng.randint(0, 7)):
        lines += _article(rng)
        if rng.random() < 0.15:
            lines.append(_odd_line(rng))
    for _ in range(rng.choice([0, 0, 1, 3])):
        _break_paragraph(rng, lines)
        recipe.append("broken")
    if lines and rng.random() < 0.25:  # an extractor printed a run again
        a = rng.randrange(len(lines))
        b = min(len(lines), a + rng.randint(1, 6))
        at = rng.randint(0, len(lines))
        lines[at:at] = lines[a:b]
        recipe.append("repeat")
    if len(lines) > 3 and rng.random() < 0.15:  # a moved column
        a = rng.randrange(len(lines) - 1)
        run = lines[a : a + rng.randint(1, 3)]
        del lines[a : a + len(run)]
        at = rng.randint(0, len(lines))
        lines[at:at] = run
        recipe.append("moved")
    if rng.random() < 0.15:
        for _ in range(rng.randint(1, 5)):
            lines.insert(rng.randint(0, len(lines)), _random_unicode(rng, rng.randint(1, 40)))
        recipe.append("unicode-lines")
    return lines


def corpus_lines(rng: random.Random, pages: Sequence[Any], recipe: list[str]) -> list[str]:
    """Lines of a corpus page rendered as an extractor would have written it."""
    from segmenter.render import render_page

    page = rng.choice(pages)
    text, _ = render_page(page, rng)
    recipe.append(f"corpus:{page.date}-{page.page}")
    return text.split("\n")


def _with_blank_lines(rng: random.Random, lines: list[str], recipe: list[str]) -> list[str]:
    style = rng.choice(["keep", "keep", "none", "double", "random"])
    if style == "keep":
        return lines
    recipe.append(f"blanks-{style}")
    if style == "none":
        return [line for line in lines if line.strip()]
    out: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        out.append(line)
        if style == "double" or rng.random() < 0.5:
            out.append(rng.choice(["", "", " ", "\t", "\u3000", "\u200b"]))
    return out


def _noisy(rng: random.Random, line: str, recipe: set[str]) -> str:
    """Spaces, tabs, zero-width and control characters in and around a line."""
    r = rng.random()
    if r < 0.05:
        recipe.add("indent")
        line = rng.choice(["\u3000\u3000", "\t", "  ", "\u00a0"]) + line
    if rng.random() < 0.05:
        recipe.add("trailing")
        line += rng.choice([" ", "  ", "\t", "\u3000"])
    if line and rng.random() < 0.04:
        recipe.add("controls")
        k = rng.randint(0, len(line))
        line = line[:k] + rng.choice(CONTROLS) + line[k:]
    if line and rng.random() < 0.02:
        recipe.add("unicode")
        k = rng.randint(0, len(line))
        line = line[:k] + _random_unicode(rng, rng.randint(1, 6)) + line[k:]
    return line


_HAN = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研"


def _han(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(_HAN) for _ in range(n))


def _hostile_headings(rng: random.Random, n: int) -> str:
    # the 16,000 lines of "# 标题"; some pages numbered, so the lines are not all repeats
    numbered = rng.random() < 0.5
    return "\n".join(f"# 标题{k}" if numbered else "# 标题" for k in range(n)) + "\n"


def _hostile_one_char(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("a中1。，#*") + "\n" for _ in range(n))


def _hostile_full_stops(rng: random.Random, n: int) -> str:
    return "。" * n  # one line: the reader cuts it into pieces, one a character


def _hostile_bold(rng: random.Random, n: int) -> str:
    return "".join(f"**{_han(rng, rng.randint(1, 6))}**\n" for _ in range(n))


def _hostile_credit_spaces(rng: random.Random, n: int) -> str:
    # lines of 摄 + spaces + x took 16.7 ms each in the credit pattern (quadratic backtracking)
    return "".join("摄" + " " * rng.randint(100, 1990) + "x\n" for _ in range(max(1, n // 20)))


#: hostile kinds → text of about ``n`` lines
HOSTILE = {
    "headings": _hostile_headings,
    "one-char": _hostile_one_char,
    "full-stops": _hostile_full_stops,
    "bold": _hostile_bold,
    "credit-spaces": _hostile_credit_spaces,
}


def _hostile_page(rng: random.Random, max_lines: int, pages: Sequence[Any]) -> Page:
    """A hostile page (see the module docstring), its size drawn up to ``max_lines`` lines."""
    kind = rng.choice([*HOSTILE, "utf7-surrogates", "name-gbk"])
    n = rng.randint(1, max_lines)
    if kind in HOSTILE:
        text = HOSTILE[kind](rng, n)
        return Page(text, [f"hostile:{kind}"], text.encode("utf-8"), "utf-8", hostile=kind)
    page = make_page(f"{rng.random()}", pages)  # a normal page underneath
    page.hostile = kind
    page.recipe.insert(0, f"hostile:{kind}")
    if kind == "utf7-surrogates":
        # utf-7 spells lone surrogates (+2D0-); the reader makes each one U+FFFD
        clean = _SURROGATES.sub("", page.text).replace("\0", "")  # a NUL byte makes it binary
        cut = rng.randint(0, len(clean))
        page.data = clean[:cut].encode("utf-7") + b"+2D0-" + clean[cut:].encode("utf-7")
        page.text, page.codec = clean[:cut] + "\ufffd" + clean[cut:], "utf-7"
    else:
        page.text = _SURROGATES.sub("", page.text).replace("\0", "")
        page.data, page.codec = page.text.encode("utf-8"), "utf-8"
        page.file_name = _han(rng, rng.randint(1, 8)).encode("gbk") + bytes([rng.randint(0x80, 0xFF)]) + b".txt"
    return page


_SURROGATES = re.compile("[\ud800-\udfff]")


def make_page(seed: str, pages: Sequence[Any] = (), *, hostile: float = 0.0, hostile_lines: int = 2000) -> Page:
    """The page of one seed (see the module docstring); ``pages`` are corpus pages, if any; a share
    ``hostile`` of the seeds give a hostile page of at most ``hostile_lines`` lines."""
    rng = random.Random(seed)
    if hostile and rng.random() < hostile:
        return _hostile_page(rng, hostile_lines, pages)
    recipe: list[str] = []
    lines = corpus_lines(rng, pages, recipe) if pages and rng.random() < 0.4 else synthetic_lines(rng, recipe)
    lines = _with_blank_lines(rng, lines, recipe)
    noise: set[str] = set()
    if rng.random() < 0.5:
        lines = [_noisy(rng, line, noise) for line in lines]
    recipe += sorted(noise)
    end = rng.choice(["\n"] * 6 + ["\r\n", "\r\n", "\r", "mixed"])
    if end == "mixed":
        text = "".join(line + rng.choice(["\n", "\r\n", "\r"]) for line in lines)
        recipe.append("ends-mixed")
    else:
        text = end.join(lines) + rng.choice(["", end, end * 3])
        if end != "\n":
            recipe.append("ends-" + ("crlf" if end == "\r\n" else "cr"))
    if rng.random() < 0.03:  # an extractor that dropped every newline
        text = re.sub(r"[\r\n]+", "", text) * rng.choice([1, 1, 3])
        recipe.append("one-line")
    surrogates = rng.random() < 0.02
    if surrogates:
        k = rng.randint(0, len(text))
        text = text[:k] + _random_unicode(rng, 5, surrogates=True) + text[k:]
        recipe.append("surrogates")
    page = Page(text, recipe)
    if not surrogates and "\x00" not in text:
        page.codec = rng.choice(["utf-8"] * 5 + ["utf-8-sig", "utf-16", "utf-16-be", "utf-32", "gb18030"])
        page.data = _encode(text, page.codec)
        if page.data is None:
            page.codec = None
    return page


def _encode(text: str, codec: str) -> bytes | None:
    """``text`` in ``codec``; UTF-16/32 always with a byte order mark, GB18030 only for plain Chinese."""
    if codec == "utf-16-be":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    if codec == "gb18030":
        # GB18030 encodes all of Unicode, but the reader believes it only for text that reads as
        # Chinese (see segmenter.read): keep it to pages without arbitrary characters
        if any(not _is_plain(ch) for ch in text):
            return None
        return text.encode("gb18030")
    return text.encode(codec)


def _is_plain(ch: str) -> bool:
    return ch < "\x7f" and (ch >= " " or ch in "\t\r\n") or "\u4e00" <= ch <= "\u9fa5" or ch in "，。、；：？！“”‘’（）《》…—·　％"


# --------------------------------------------------------------------------------------------------
# the invariants

_BREAK = re.compile(r"\r\n?|\n")
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
_HEADING = re.compile(r"^\s*#{1,6}\s*")
_BULLETS = "□■◇◆●○ "


def _gone(ch: str) -> bool:
    """Characters that the reader removes from a line (controls but tab, zero-width) or that only space."""
    o = ord(ch)
    return ch.isspace() or ch in _ZERO_WIDTH or (o < 0x20 and ch != "\t") or 0x7F <= o < 0xA0


def _deleted(ch: str) -> bool:
    """Characters the reader deletes from a line: zero-width, and controls but tab and the separators."""
    o = ord(ch)
    return ch in _ZERO_WIDTH or (o < 0x20 and ch != "\t") or 0x7F <= o < 0xA0


def visible(line: str) -> str:
    """A line without whitespace, control and zero-width characters: what must survive of it."""
    return "".join(ch for ch in line if not _gone(ch))


def physical_lines(text: str) -> list[str]:
    """The lines as an editor numbers them: only CRLF, CR and LF end a line."""
    return _BREAK.split(text)


#: separators the reader turns into spaces (the other control characters it deletes), see segmenter.lines
_AS_SPACE = frozenset("\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


_BOLD = re.compile(r"^(\*\*|__)(?=\S)(.+?)(?<=\S)\1\s*$")


#: a Markdown list item's bullet, which the reader takes off a line that does not end in one too
_LIST_BULLET = re.compile(r"^[-*+][ \t]+(?=\S)")


def _core(line: str) -> str:
    """What a record must show of a line: no Markdown heading marks, list bullet or bold wrapper, no byline
    bullet, no spaces."""
    kept = "".join(" " if ch in _AS_SPACE else ch for ch in line if ch in _AS_SPACE or not _deleted(ch))
    headed = _HEADING.match(kept.strip()) is not None
    kept = _HEADING.sub("", kept.strip(), count=1).strip()
    if not headed and kept[-1:] not in "-*+":
        kept = _LIST_BULLET.sub("", kept, count=1)
    bold = _BOLD.match(kept)  # a line all in bold is a heading: its text is shown without the marks
    kept = (bold.group(2) if bold else kept).lstrip(_BULLETS)
    return "".join(kept.split())


def _loose_key(line: str) -> str:
    """A comparison form looser than the stitcher's, so that every line it may call a repeat is one here."""
    return "".join(unicodedata.normalize("NFKC", visible(line)).replace("#", "").split())


def _repeated(keys: list[str]) -> list[bool]:
    """For each line: is it equal to, or contained in, another line of the page?"""
    counts = Counter(keys)
    by_len = sorted(range(len(keys)), key=lambda i: -len(keys[i]))
    out = [counts[k] > 1 for k in keys]
    long_keys = [keys[i] for i in by_len]
    for i, k in enumerate(keys):
        if out[i] or not k:
            continue
        for other in long_keys:
            if len(other) <= len(k):
                break
            if k in other:
                out[i] = True
                break
    return out


def check_page(text: str, records: Sequence[dict[str, Any]]) -> list[str]:
    """Problems with the records of a page (``[]`` when every invariant holds).

    Parameters
    ----------
    text : str
        The page text given to the segmenter.
    records : sequence of dict
        ``[a.to_dict() for a in split_page(text)]``.

    Returns
    -------
    list of str
        One message per broken invariant, each naming the line or record.
    """
    problems: list[str] = []
    physical = physical_lines(text)
    expected = {n for n, line in enumerate(physical, 1) if visible(line)}
    seen: dict[tuple[int, int], int] = {}
    pieces: dict[int, list[int]] = {}
    holder: dict[int, set[int]] = {}
    for r_index, rec in enumerate(records):
        if rec["index"] != r_index:
            problems.append(f"record {r_index} has index {rec['index']}")
        numbers = set()
        for ref in rec["lines"]:
            key = (ref["n"], ref.get("piece", 0))
            numbers.add(ref["n"])
            if key in seen:
                problems.append(f"line {key[0]} piece {key[1]} is in records {seen[key]} and {r_index}")
            seen[key] = r_index
            pieces.setdefault(ref["n"], []).append(key[1])
            holder.setdefault(ref["n"], set()).add(r_index)
        for block in rec["blocks"]:
            if not set(block["lines"]) <= numbers:
                problems.append(f"record {r_index}: block lines {block['lines']} not among its lines")
    got = set(pieces)
    for n in sorted(expected - got)[:5]:
        problems.append(f"line {n} is in no record: {physical[n - 1][:60]!r}")
    for n in sorted(got - expected)[:5]:
        problems.append(f"record names line {n}, which is blank or absent")
    for n, ks in pieces.items():
        if sorted(ks) != list(range(len(ks))):
            problems.append(f"line {n}: pieces {sorted(ks)[:10]} are not 0..{len(ks) - 1}")
    # content: the text of every line that is not a repeat is in its record
    numbers = sorted(expected & got)
    keys = [_loose_key(physical[n - 1]) for n in numbers]
    repeated = _repeated(keys)
    fields = [_fields(rec) for rec in records]
    everything: set[str] | None = None
    for n, rep in zip(numbers, repeated):
        if rep:
            continue
        core = _core(physical[n - 1])
        if len(pieces[n]) == 1:
            (r_index,) = holder[n]
            if not any(core in f for f in fields[r_index]):
                problems.append(f"record {r_index} lacks the text of line {n}: {core[:60]!r}")
        else:
            # an over-long line in pieces: a piece may repeat another piece (and be output once), so
            # every character must be somewhere, not every occurrence; a piece is a line of its own,
            # so Markdown marks and byline bullets at its start may go
            if everything is None:
                everything = set("".join("".join(f) for f in fields))
            missing = set(core) - everything - set("#" + _BULLETS)
            if missing:
                problems.append(f"line {n} (in pieces) lost characters {''.join(sorted(missing))[:20]!r}")
    for rec in records:
        json.dumps(rec, ensure_ascii=False)
    return problems


def _fields(rec: dict[str, Any]) -> list[str]:
    """The strings of a record that hold line text, without whitespace."""
    values = [rec["headline"] or "", rec["byline"] or "", rec["dateline"] or "", *rec["subheadlines"]]
    values += [b["text"] for b in rec["blocks"]]
    return ["".join(v.split()) for v in values]


# --------------------------------------------------------------------------------------------------
# running


@dataclass
class Outcome:
    """What happened to one page."""

    seed: str
    chars: int
    bytes: int = 0
    lines: int = 0
    records: int = 0
    seconds: float = 0.0
    recipe: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


_CORPUS_PAGES: list[Any] | None = None


def _corpus(use: bool) -> list[Any]:
    global _CORPUS_PAGES
    if not use:
        return []
    if _CORPUS_PAGES is None:
        from segmenter.corpus import read_corpus

        _CORPUS_PAGES = read_corpus(CORPUS, split="all") if CORPUS.is_file() else []
    return _CORPUS_PAGES


def _through_a_file(page: Page, out: Outcome) -> list[dict[str, Any]]:
    """Split a page from a file with a name that is not UTF-8, through the batch runner: the output must
    be UTF-8 with the name escaped in ``source``."""
    import os
    import tempfile

    from segmenter.batch import process_page

    assert page.file_name is not None and page.data is not None
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(os.fsencode(folder), page.file_name)
        with open(path, "wb") as fh:
            fh.write(page.data)
        result = process_page(os.fsdecode(path))
    if result.error is not None or result.output is None:
        out.problems.append(f"the batch runner failed on a non-UTF-8 file name: {result.error}")
        return []
    result.output.encode("utf-8")  # raises on a lone surrogate
    records = [json.loads(line) for line in result.output.splitlines()]
    expected = page.file_name.decode("utf-8", errors="backslashreplace")
    if any(r["source"] != expected for r in records):
        out.problems.append(f"source is not the escaped file name {expected!r}")
    return records


def run_one(seed: str, use_corpus: bool = True, determinism: bool = False, hostile: float = 0.0,
            hostile_lines: int = 2000) -> Outcome:
    """Generate, decode, split and check the page of one seed; never raises."""
    from segmenter import split_page
    from segmenter.read import decode

    page = make_page(seed, _corpus(use_corpus), hostile=hostile, hostile_lines=hostile_lines)
    out = Outcome(seed, len(page.text), recipe=page.recipe)
    out.bytes = len(page.text.encode("utf-8", errors="surrogatepass"))
    try:
        text = page.text
        if page.data is not None:
            decoded = decode(page.data, name=seed, encoding="utf-7" if page.codec == "utf-7" else None)
            if decoded.text != text:
                out.problems.append(f"{page.codec} bytes decoded as {decoded.encoding} to other text")
            text = decoded.text
        start = time.perf_counter()
        if page.file_name is not None:
            records = _through_a_file(page, out)
        else:
            records = [a.to_dict() for a in split_page(text, source=seed)]
        out.seconds = time.perf_counter() - start
        out.records = len(records)
        out.lines = sum(len(r["lines"]) for r in records)
        out.problems += check_page(text, records)
        if determinism:
            if page.file_name is not None:
                again = _through_a_file(page, out)
            else:
                again = [a.to_dict() for a in split_page(text, source=seed)]
            if again != records:
                out.problems.append("a second split gave other records")
    except Exception as exc:  # noqa: BLE001 - the point of fuzzing: report, never stop
        out.problems.append(f"exception {type(exc).__name__}: {exc}\n{traceback.format_exc()}")
    return out


_WARM = False


def _warm() -> None:
    """Load the line and the word model before the first page is timed (once per process)."""
    global _WARM
    if not _WARM:
        from segmenter import split_page
        from segmenter.words import get_word_segmenter

        split_page("# 标题\n\n正文。")
        get_word_segmenter().load()
        _WARM = True


def _run_chunk(seeds: list[str], use_corpus: bool, hostile: float = 0.0, hostile_lines: int = 2000) -> list[Outcome]:
    import logging

    logging.getLogger("segmenter").setLevel(logging.ERROR)  # the surrogates replaced are expected
    _warm()
    return [
        run_one(s, use_corpus, int(s.rsplit(":", 1)[1]) % 10 == 0, hostile, hostile_lines) for s in seeds
    ]


def _per_mb(outcomes: Sequence[Outcome]) -> list[str]:
    """Split time per MB of UTF-8 text, normal pages and each hostile kind (pages of at least 1 KB)."""
    groups: dict[str, list[Outcome]] = {}
    for o in outcomes:
        kind = next((r.split(":", 1)[1] for r in o.recipe if r.startswith("hostile:")), "normal")
        if o.bytes >= 1024:
            groups.setdefault(kind, []).append(o)
    rows = []
    for kind, group in sorted(groups.items()):
        mb = sum(o.bytes for o in group) / 1e6
        rows.append(f"{kind}: {len(group)} pages, {mb:.1f} MB, {sum(o.seconds for o in group) / mb:.2f} s/MB, "
                    f"slowest {max(o.seconds for o in group):.2f} s")
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000, help="how many pages (default 1000)")
    parser.add_argument("--seed", default="0", help="run seed; page i uses SEED:i")
    parser.add_argument("--start", type=int, default=0, help="first page index")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (joblib)")
    parser.add_argument("--no-corpus", action="store_true", help="synthetic pages only")
    parser.add_argument("--replay", metavar="SEED:I", help="run one page only")
    parser.add_argument("--show", action="store_true", help="with --replay: print the page and its records")
    parser.add_argument("--save", metavar="DIR", help="write failing pages to DIR/<seed>.txt")
    parser.add_argument("--adversarial", type=float, default=0.1, help="share of hostile pages (default 0.1)")
    parser.add_argument("--hostile-lines", type=int, default=2000, help="most lines of a hostile page (default 2000)")
    args = parser.parse_args(argv)
    hostile = (args.adversarial, args.hostile_lines)

    if args.replay:
        outcome = run_one(args.replay, not args.no_corpus, True, *hostile)
        if args.show:
            from segmenter import split_page

            page = make_page(args.replay, _corpus(not args.no_corpus), hostile=hostile[0], hostile_lines=hostile[1])
            print(page.text)
            print("-" * 40, page.recipe)
            for a in split_page(page.text):
                print(json.dumps(a.to_dict(), ensure_ascii=False))
        print("\n".join(outcome.problems) or "ok")
        return 1 if outcome.problems else 0

    seeds = [f"{args.seed}:{i}" for i in range(args.start, args.start + args.pages)]
    chunks = [seeds[k : k + 50] for k in range(0, len(seeds), 50)]
    start = time.perf_counter()
    if args.jobs > 1:
        from joblib import Parallel, delayed

        parallel = Parallel(n_jobs=args.jobs, return_as="generator")
        results = parallel(delayed(_run_chunk)(c, not args.no_corpus, *hostile) for c in chunks)
    else:
        results = (_run_chunk(c, not args.no_corpus, *hostile) for c in chunks)
    outcomes: list[Outcome] = []
    for done in results:
        outcomes += done
        if len(outcomes) % 1000 < 50:
            print(f"... {len(outcomes)} pages, {time.perf_counter() - start:.0f} s", file=sys.stderr)
    wall = time.perf_counter() - start

    failed = [o for o in outcomes if o.problems]
    recipes = Counter(r.split(":")[0] for o in outcomes for r in o.recipe)
    slowest = max(outcomes, key=lambda o: o.seconds)
    chars = sum(o.chars for o in outcomes)
    print(f"pages: {len(outcomes)} (seed {args.seed}, {args.start}..{args.start + args.pages - 1})")
    print(f"characters: {chars:,}; non-empty lines placed: {sum(o.lines for o in outcomes):,}; "
          f"records: {sum(o.records for o in outcomes):,}")
    print(f"wall time: {wall:.0f} s with {args.jobs} job(s); split time {sum(o.seconds for o in outcomes):.0f} s; "
          f"slowest page {slowest.seconds:.2f} s ({slowest.chars:,} chars, seed {slowest.seed})")
    print("what the pages had: " + ", ".join(f"{k} {v}" for k, v in sorted(recipes.items())))
    hostile_kinds = Counter(r for o in outcomes for r in o.recipe if r.startswith("hostile:"))
    if hostile_kinds:
        print("hostile pages: " + ", ".join(f"{k.split(':', 1)[1]} {v}" for k, v in sorted(hostile_kinds.items())))
    print("split time per MB: " + "; ".join(_per_mb(outcomes)))
    print(f"failed: {len(failed)}")
    for o in failed[:20]:
        print(f"  {o.seed} {o.recipe}: {o.problems[0].splitlines()[0]}")
        if args.save:
            Path(args.save).mkdir(parents=True, exist_ok=True)
            page = make_page(o.seed, _corpus(not args.no_corpus), hostile=hostile[0], hostile_lines=hostile[1])
            Path(args.save, o.seed.replace(":", "_") + ".txt").write_text(page.text, encoding="utf-8",
                                                                           errors="surrogatepass", newline="")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
