"""Regular expressions for the fixed forms of a Chinese newspaper page.

Every pattern works on text normalised with :func:`norm` (NFKC: half-width digits, Latin letters and
brackets), so one pattern serves both the full-width 1998 archive and today's half-width pages.
"""

from __future__ import annotations

import functools
import re
import unicodedata

CN_NUM = "一二三四五六七八九十〇零两"
_NUM = rf"(?:\d{{1,4}}|[{CN_NUM}]{{1,3}})"

#: Markdown heading marks an extractor writes in front of a line.
MD_HEADING = re.compile(r"^\s*(#{1,6})\s*")
#: a whole line in bold (``**标题**``): converters that write no ``#`` marks often mark headings so
MD_BOLD = re.compile(r"^\s*(\*\*|__)(?=\S)(.+?)(?<=\S)\1\s*$")
#: the heading level a bold line counts as (bold marks every heading alike, as one ``#`` level would)
BOLD_LEVEL = 2

#: News agencies and papers that open datelines.
_AGENCY = r"(?:新华社|中新社|中通社|本报|人民日报|新华网|人民网|央视|法新社|路透社|美联社|共同社|塔斯社|俄新社)"

#: ``新华社北京1月25日电``, ``据新华社日内瓦1月24日电``, ``本报北京1月9日讯``, ``新华社华盛顿十二月三十一日电``,
#: ``本报西安电``, ``据新华社电``
DATELINE = re.compile(
    rf"(?:据)?{_AGENCY}[^\s,，。:：;；]{{0,14}}?(?:{_NUM}月)?{_NUM}日(?:专|急|综合)?电"
    rf"|本报[^\s,，。:：;；]{{0,10}}?(?:{_NUM}月{_NUM}日)?(?:专)?讯"
    # a wire without a date, "本报西安电", "据新华社成都电", "据新华社电": a place or none, not a word
    # ("本报记者…电话", "新华社电视台")
    rf"|(?:据)?{_AGENCY}(?!记者|评论|特约|通讯)[^\s\W\d_讯和]{{0,5}}?专?电(?![话视脑影力器子台站网信报讯])"
)
#: every match of :data:`DATELINE` holds an agency's name (``本报`` among them): a line without one needs no
#: search of the whole pattern at every position
_AGENCY_NAME = re.compile(_AGENCY)
#: a reporter's name bracket right after a dateline: ``(记者 王其冰)``
REPORTER = re.compile(r"^\((?:本报)?(?:特派)?记者[^()]{1,30}\)")
#: a line that is nothing but a dateline, usually the closing one: ``(新华社北京1月25日电)``
DATELINE_ONLY = re.compile(rf"^\(?\s*(?:{DATELINE.pattern})\s*(?:\([^()]{{0,30}}\)\s*)?\)?$")

#: bylines: ``新华社记者 谢希瑶``, ``□新华社记者``, ``本报记者 X``, ``本报评论员``, ``新华社“新华视点”记者``
BYLINE = re.compile(
    r"^[□■◇◆●○]?\s*(?:(?:本报|新华社|人民日报|经济日报|光明日报|中新社)\s*)?(?:“[^”]{1,8}”)?"
    r"(?:特约|特派|驻\S{1,6})?(?:记者|通讯员|评论员|特约评论员|特稿|撰稿人|观察员)"
)
#: photo credits: ``(新华社记者 X 摄)``, ``新华社发(X 摄)``, ``X供图``, ``本报记者 X摄``, ``(X摄影报道)``, ``…。(新华社发美联社照片)``
CREDIT = re.compile(r"摄(?:影报道)?\s*(?:\)\s*)?$|摄(?:影报道)?\s*\([^()]{1,12}\)\s*$|摄于[^()]{0,12}\)\s*$|摄影[:：]|供图\s*(?:\)\s*)?$|^\(?新华社发|新华社发\s*\(|\(新华社发[^()]{0,12}\)\s*$|\(图片\)|\(附图片")
#: what every match of :data:`CREDIT` holds (``摄``, ``供图``, ``新华社发``, ``图片``): a line without any needs
#: no search of its ten alternatives at every position
_CREDIT_WORDS = ("摄", "供图", "新华社发", "图片")
#: a sign-off after the last sentence: ``……。(孟西安)``, ``(完)``, ``(本报记者 王平)``
SIGN_OFF = re.compile(r"[。!?！？”]\s*\((?:完|[^()\d,，。]{2,14})\)\s*$")
#: what a caption usually opens with
CAPTION_START = re.compile(r"^(?:这是|图为|图[一二三四\d]|上图|下图|左图|右图|[左右上下]图[:：]|照片)")
#: a news lead names its time early: ``日本政府二十三日决定…``, ``近日，…``, ``日前，…``
LEAD_TIME = re.compile(rf"^[^。!?；;]{{0,25}}?(?:{_NUM}日|日前|近日|近期|前不久|不久前)")
#: the first picture of a numbered set: ``1、图为…``, ``△上：…``
FIRST_PICTURE = re.compile(r"^(?:[1一][、:：.]|△[上左])")
#: the second or a later picture of a numbered set: ``2、图为…``, ``２：…``, ``△下：…``
LATER_PICTURE = re.compile(r"^(?:[2-9][、:：.]|[二三四五六七八九][、:：]|△[中下右]|[下右]图[:：])")
#: a label announcing the article's own pictures: ``图片：``, ``附图：`` (the caption follows); a picture
#: printed over the headline: ``压题照片：``, ``压题照片为…``, ``题图：``
PICTURE_LABEL = re.compile(r"^(?:(?:图片|附图|配图|照片)\s*[:：]|压题照片\s*[:：为]|题图(?:速写)?\s*[:：为])")
#: notices and advertisements
NOTICE = re.compile(r"(?:公告|启事|声明|通告|公示|讣告|招标|拍卖|遗失|更正|通知)\s*$")
# what running heads and foot lines name: a page (``第３版``), a weekday, the editors, a web or mail address
_PAGE_NAMES = rf"第\s*{_NUM}\s*版|星期[一二三四五六日天]|编辑|责编|校对|版式|^(?:本版)?制图\s*[:：]|www\.|@"
#: papers whose name a running head prints
_PAPERS = r"人民日报|新华每日电讯|光明日报|经济日报|中国日报|解放军报|工人日报|农民日报|中国青年报|法治日报|科技日报|参考消息"
#: what only page furniture names: those, a mail box, a bare page number, a paper's name alone or before a
#: date (not ``人民日报评论员``), or a page's section and number alone (``要闻 2``); a date alone may open a headline
RUNNING_HEAD = re.compile(
    rf"{_PAGE_NAMES}|电子(?:邮箱|信箱)|^\d{{1,3}}$|^(?:{_PAPERS})(?:\s|\d|$)|^[\u4e00-\u9fff]{{2,4}}\s*\d{{1,2}}$"
)
#: running heads and page numbers: ``第３版``, ``星期五``, ``责任编辑：…``, the paper's name, a date
FURNITURE = re.compile(rf"{_PAGE_NAMES}|{_PAPERS}|\d{{4}}\s*年\s*\d+\s*月|(?<!\d)\d+\s*月\s*\d+\s*日|https?:")
#: ``(上接第一版)``, ``(下转第3版)``
CONTINUED_FROM = re.compile(rf"^\(?\s*(?:上接|紧接|接)第?{_NUM}版\s*\)?")
CONTINUED_TO = re.compile(rf"下转第?{_NUM}版\s*(?:\)\s*)?$")
#: numbered section heads: ``(二)``, ``三、``, ``1.``
SECTION_NUMBER = re.compile(rf"^(?:\({_NUM}\)|{_NUM}[、.．]|第{_NUM}[部章节篇])")
#: the dash that opens a deck: ``——我国社会工作取得新成效``
DECK = re.compile(r"^(?:——|－－|--|—)")

#: characters that end a sentence, so a line ending in one is a finished paragraph
SENTENCE_END = frozenset("。！？!?…」』”’\")）)》.;；:：")
#: characters that cannot open a paragraph: a line starting with one continues the previous line
NON_OPENING = frozenset("、，,。．.；;：:！!？?）)」』”’》〉】")

_ZW = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
#: whether a text holds a zero-width character at all (a C-speed search; ``translate`` is slow)
_HAS_ZW = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
#: entries of the :func:`norm` cache and of the line tests asked most (:func:`find_dateline` about six times
#: a line): features, stitcher and records normalise and test the same lines of a page
NORM_CACHE_SIZE = 8192


@functools.lru_cache(maxsize=NORM_CACHE_SIZE)
def norm(text: str) -> str:
    """NFKC-normalise ``text`` (full-width → half-width) and drop zero-width characters."""
    # the full-width marks most lines hold first, as NFKC writes them (a C-speed replace each): a line with no
    # other character to change is then NFKC already, which ``normalize`` answers with its quick check. NFKC
    # of the line is unchanged: each mark and its NFKC form (one ASCII starter) decompose alike
    text = unicodedata.normalize(
        "NFKC", text.replace("，", ",").replace("：", ":").replace("；", ";").replace("（", "(").replace("）", ")")
    )
    return text.translate(_ZW) if _HAS_ZW.search(text) else text


#: the closing marks a heading may end with (``## 标题 ##``)
MD_HEADING_CLOSE = re.compile(r"(?<![ \t])[ \t]+#+[ \t]*$")  # tried once a run of spaces: linear
#: a list item's bullet (``- ``, ``* ``, ``+ ``): converters write a paragraph that opens with ``●`` so
MD_BULLET = re.compile(r"^\s*[-*+][ \t]+(?=\S)")


def strip_markdown(text: str) -> str:
    """Remove the Markdown marks of a line: a heading's leading (``## ``) and closing (`` ##``) marks, bold
    around the whole line, or a list item's bullet (``- ``)."""
    mark = MD_HEADING.match(text) if text.lstrip()[:1] == "#" else None
    if mark is not None:
        text = MD_HEADING_CLOSE.sub("", text[mark.end() :])
    text = text.strip()
    # a bullet, unless the line ends in one too: ``- 12 -`` is a page number
    if mark is None and text[:1] in "-*+" and text[-1:] not in "-*+" and MD_BULLET.match(text):
        text = MD_BULLET.sub("", text, count=1)
    bold = MD_BOLD.match(text) if text[:1] in "*_" else None
    return bold.group(2).strip() if bold else text


@functools.lru_cache(maxsize=NORM_CACHE_SIZE)
def is_notice_title(text: str) -> bool:
    """Whether a headline is a notice's title (``拍卖公告``, ``遗失声明``): short, ending in a notice word."""
    return notice_title_of_plain(norm(strip_markdown(text)).strip())


def notice_title_of_plain(title: str) -> bool:
    """:func:`is_notice_title` of a line whose ``norm(strip_markdown(text)).strip()`` is ``title``."""
    return len(title) <= 30 and NOTICE.search(title) is not None


def heading_level(text: str) -> int:
    """Number of leading ``#`` marks, :data:`BOLD_LEVEL` for a line all in bold, 0 for a plain line."""
    match = MD_HEADING.match(text)
    if match:
        return len(match.group(1))
    return BOLD_LEVEL if MD_BOLD.match(text) else 0


@functools.lru_cache(maxsize=NORM_CACHE_SIZE)
def find_dateline(text: str) -> str | None:
    """Return the dateline a line opens with or consists of, without brackets, else ``None``.

    Only the first 40 characters are searched: a dateline that matters opens a paragraph or
    stands alone, and a name in running text must not count.

    Examples
    --------
    >>> find_dateline("新华社北京1月25日电 日前，中央军委印发")
    '新华社北京1月25日电'
    >>> find_dateline("（新华社北京１月２５日电）")
    '新华社北京1月25日电'
    """
    return dateline_of_normed(norm(strip_markdown(text)))


def dateline_of_normed(normed: str) -> str | None:
    """:func:`find_dateline` of a line whose ``norm(strip_markdown(text))`` is ``normed``."""
    match = DATELINE.match(normed[:40].lstrip("(□ "))
    if match is None:
        return None
    return match.group(0)


def dateline_of_norm(t: str) -> str | None:
    """:func:`find_dateline` of a text already normalised: a :func:`norm` form, a part of one, or one with its
    whitespace dropped. Such a text normalises to itself but for marks put together anew, never an
    agency's name, so one that names no agency (every dateline does) opens with none, without being
    normalised again (its normalised form is no key of the caches: ``norm`` would run afresh)."""
    return find_dateline(t) if _AGENCY_NAME.search(t) is not None else None


def is_dateline_only(text: str) -> bool:
    """True when the line is a dateline and nothing else (``（新华社北京1月25日电）``)."""
    return bool(DATELINE_ONLY.match(norm(strip_markdown(text)).replace(" ", "")))


@functools.lru_cache(maxsize=NORM_CACHE_SIZE)
def is_byline(text: str) -> bool:
    """True for a short line that names reporters or writers."""
    return byline_of_normed(norm(strip_markdown(text)))


def byline_of_normed(t: str) -> bool:
    """:func:`is_byline` of a line whose ``norm(strip_markdown(text))`` is ``t``."""
    return len(t) <= 40 and BYLINE.match(t) is not None and not DATELINE.search(t)


#: a line that is a picture and nothing else, as Markdown converters write one: ``![](images/3f7a.jpg)``,
#: ``<img src="p1.png">``
PICTURE = re.compile(r"^\s*(?:!\[[^\]\n]*\]\([^)\n]*\)|<img\b[^>\n]*>)\s*$", re.IGNORECASE)


def is_picture(text: str) -> bool:
    """True for a line that is a Markdown (or HTML) image and nothing else."""
    return text.lstrip()[:1] in ("!", "<") and PICTURE.match(text) is not None


#: a Markdown rule (``---``, ``***``, ``___``) or a heading's underline (``===``), three marks or more
RULE = re.compile(r"^\s*([-=*_])\1{2,}\s*$")


def is_rule(text: str) -> bool:
    """True for a line that is a Markdown rule or a setext heading's underline and nothing else."""
    return text.lstrip()[:1] in "-=*_" and RULE.match(text) is not None


def is_credit(text: str) -> bool:
    """True when the line carries a photo credit."""
    return credit_of_norm(norm(text))


def credit_of_norm(t: str) -> bool:
    """:func:`is_credit` of a line whose ``norm(text)`` is ``t``."""
    return any(word in t for word in _CREDIT_WORDS) and CREDIT.search(t) is not None


def has_dateline(text: str) -> bool:
    """``DATELINE.search(text) is not None``: a dateline anywhere in ``text`` (normalised already)."""
    return _AGENCY_NAME.search(text) is not None and DATELINE.search(text) is not None


@functools.lru_cache(maxsize=NORM_CACHE_SIZE)
def is_continued_from(text: str) -> bool:
    """True when the line opens with ``（上接第X版）``."""
    return CONTINUED_FROM.match(norm(strip_markdown(text))) is not None


def is_han(ch: str) -> bool:
    """Whether ``ch`` is a CJK unified ideograph of the basic block (U+4E00–U+9FFF)."""
    return "\u4e00" <= ch <= "\u9fff"


def ends_sentence(text: str) -> bool:
    """True when the line ends with sentence-final punctuation (a finished paragraph)."""
    t = text.rstrip()
    return bool(t) and t[-1] in SENTENCE_END


def cache_clear() -> None:
    """Empty the caches of this module's line functions (a benchmark pass must see new text)."""
    for fn in (norm, is_notice_title, find_dateline, is_byline, is_continued_from):
        fn.cache_clear()
