"""Render clean corpus pages as an extractor would have written them, with their gold annotation.

The People's Daily corpus holds clean articles; the segmenter must read pages as PDF/OCR extractors
write them. :func:`render_page` bridges the two: it lays a corpus page out as page text with the noise
seen in real extracted pages (unreliable Markdown heading levels, full- and half-width characters,
blank-line habits, headline blocks with kickers, decks and bylines, closing datelines, section heads,
paragraphs broken across columns, columns printed out of order, repeated runs, photo items, notices,
continuations, page furniture) and writes the gold annotation the rendering knows, in exactly the
format of ``gold/README.md``.

What is noisy is decided per page by a :class:`RenderStyle`, drawn with :meth:`RenderStyle.sample`.

Examples
--------
>>> import random
>>> from segmenter.corpus import CorpusArticle, CorpusPage
>>> page = CorpusPage("19980105", 2, [CorpusArticle("19980105-02-001", ["标题", "正文第一段。"])])
>>> text, gold = render_page(page, random.Random(0), RenderStyle())
>>> print(text)
# 标题
<BLANKLINE>
正文第一段。
>>> [(line["n"], line["label"]) for line in gold["lines"]]
[(1, 'headline'), (3, 'body')]
"""

from __future__ import annotations

import datetime
import itertools
import logging
import random
import re
from dataclasses import dataclass, fields, replace
from typing import Any, Literal

from . import patterns as P
from .corpus import CorpusArticle, CorpusPage, Era
from .labels import Kind, Label
from .lines import WIDE, to_halfwidth

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------------------------------
# character width

_HALF_TO_FULL = {cp: cp + 0xFEE0 for cp in range(0x21, 0x7F)}
#: what the common "mixed" pages print in ASCII: digits, Latin letters and the signs that go with numbers
_MIXED_CHARS = "０１２３４５６７８９％．－／＋＝＜＞＆＠＃＊～" + "".join(
    chr(c) for c in list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B))
)
_TO_MIXED = {ord(c): ord(c) - 0xFEE0 for c in _MIXED_CHARS}
_TO_MIXED_PARENS = {**_TO_MIXED, ord("（"): ord("("), ord("）"): ord(")")}


def to_fullwidth(text: str) -> str:
    """Map printable ASCII (not the space) to its full-width form, as in the 1998 corpus.

    Examples
    --------
    >>> to_fullwidth("1月(A)")
    '１月（Ａ）'
    """
    return text.translate(_HALF_TO_FULL)


def _convert_width(text: str, width: str, half_parens: bool) -> str:
    if width == "half":
        return to_halfwidth(text)
    if width == "mixed":
        return text.translate(_TO_MIXED_PARENS if half_parens else _TO_MIXED)
    return text


# --------------------------------------------------------------------------------------------------
# corpus patterns (written for the full-width corpus; synthesised text is written the same way)

_HAN = "\u4e00-\u9fff"
_D = "0-9０-９"
_CNUM = "一二三四五六七八九十○〇零"
_N = f"[{_D}{_CNUM}]{{1,4}}"
#: a dateline opening a paragraph: ``新华社北京１月９日电（记者鹿永建）``, ``据新华社日内瓦１月２４日电``
_DATELINE_OPEN = re.compile(
    rf"^(?P<dl>(?:据)?(?:新华社|中新社|本报)(?:[{_HAN}·]{{1,12}}?)?(?:{_N}月)?{_N}日(?:专|急)?电)"
    rf"(?P<credit>（(?P<who>(?:本报|新华社)?(?:特派)?记者)(?P<names>[{_HAN}·、]{{2,30}})）)?"
)
#: any dateline-like opening, for the optional space after it
_DATELINE_ANY = re.compile(
    rf"^(?:据)?(?:新华社|中新社|本报)(?:[{_HAN}·]{{0,12}}?)?(?:(?:{_N}月)?{_N}日)?(?:专|急)?(?:电|讯)"
)
#: ``记者赵志文报道：`` after a ``本报…讯`` dateline
_REPORTER_SAYS = re.compile(rf"^(?P<who>(?:本报|新华社)?记者)(?P<names>[{_HAN}、]{{2,20}}?)报道：")
_DATELINE_ONLY = re.compile(r"^（(?:据)?(?:新华社|中新社|本报)[^（）]{0,20}(?:电|讯)）$")
_TRAILING_DATELINE = re.compile(r"(?P<dl>（(?:据)?(?:新华社|中新社|本报)[^（）]{0,20}电）)$")
_CREDIT_ONLY = re.compile(r"^（[^（）]{0,30}(?:摄|新华社发|新华社稿|照片|供图|摄影报道)[^（）]{0,8}）$")
_CREDIT_END = re.compile(r"（[^（）]{0,30}(?:摄|照片|供图|摄影报道)）$|（新华社发[^（）]{0,12}）$")
#: ``（新华社记者兰红光摄）`` → who + name, to space it like today's pages
_CREDIT_PARTS = re.compile(rf"（(?P<who>(?:新华社|本报)?(?:特约)?记者)?(?P<name>[{_HAN}]{{2,4}})摄）$")
_CAPTION_START = re.compile(r"^(?:图为|图：|图片：|上图|下图|左图|右图|压题照片|题图)")
_BYLINE = re.compile(
    rf"^(?:□|■)?\s*(?:本报|新华社|中新社|人民日报|经济日报|光明日报)?(?:驻[{_HAN}]{{1,8}})?"
    r"(?:特约|特派)?(?:记者|通讯员|评论员|撰稿人)"
)
_TITLED_AUTHOR = re.compile(
    r"(?:主席|总理|部长|书记|省长|市长|主任|委员长|局长|院长|社长|会长|校长|经理|厂长|司令员|政委|大使|司长|厅长|处长"
    r"|总裁|董事长|导演|代表|教授|研究员|主编|总编辑|记者|作家|编辑)"
    rf"[{_HAN}]{{2,3}}$"
)
_PAREN_AUTHOR = re.compile(rf"^（[{_HAN}、·\s]{{2,20}}）$")
_SPEECH_DATE = re.compile(rf"^（[{_D}{_CNUM}]{{2,4}}年[{_D}{_CNUM}]{{1,3}}月[{_D}{_CNUM}]{{1,3}}日）$")
_NUMBERED = re.compile(
    rf"^(?:（[{_CNUM}{_D}]{{1,3}}）|[{_CNUM}]{{1,3}}、|[{_CNUM}]{{1,3}}$|第[{_CNUM}]{{1,3}}[章节部分篇]|●)"
)
_HEAD_ROLES = (Label.HEADLINE.value, Label.SUBHEAD.value, Label.BYLINE.value)
_END_PUNCT = frozenset("。！？；：，、…”’』」）)!?;:,.")
_DIGITS = frozenset("0123456789０１２３４５６７８９")
_DECK_DASH = re.compile(r"—{2,}|－{2,}")
_NAME_ONLY = re.compile(rf"^[{_HAN}]{{2,15}}$")

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "赖常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单"
    "季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄席"
)
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘"
_PLACES = (
    "北京",
    "上海",
    "天津",
    "重庆",
    "河北",
    "山西",
    "辽宁",
    "吉林",
    "江苏",
    "浙江",
    "安徽",
    "福建",
    "江西",
    "山东",
    "河南",
    "湖北",
    "湖南",
    "广东",
    "四川",
    "贵州",
    "云南",
    "陕西",
    "甘肃",
    "青海",
    "广西",
    "宁夏",
    "新疆",
    "内蒙古",
    "沈阳",
    "大连",
    "南京",
    "杭州",
    "济南",
    "青岛",
    "郑州",
    "武汉",
    "长沙",
    "广州",
    "深圳",
    "成都",
    "西安",
    "昆明",
)
_CITIES = (
    "沈阳",
    "大连",
    "南京",
    "杭州",
    "济南",
    "青岛",
    "郑州",
    "武汉",
    "长沙",
    "广州",
    "成都",
    "西安",
    "昆明",
)
_FOREIGN = (
    "美国",
    "日本",
    "俄罗斯",
    "英国",
    "法国",
    "德国",
    "埃及",
    "南非",
    "巴西",
    "印度",
    "泰国",
    "意大利",
)
_SECTIONS = (
    "要闻",
    "国内新闻",
    "国际",
    "经济",
    "理论",
    "文化",
    "体育",
    "副刊",
    "评论",
    "社会",
    "科教",
    "读者来信",
    "综合",
)
_CN_DIGITS = "零一二三四五六七八九"
_WEEKDAYS = "一二三四五六日"


def _cn_number(n: int) -> str:
    """``12`` → ``十二`` (for page numbers up to 99)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def _ends_open(text: str) -> bool:
    """True when ``text`` does not end like a sentence (a heading or a label, not a paragraph)."""
    return bool(text) and text[-1] not in _END_PUNCT


def _digit_share(text: str) -> float:
    return sum(ch in _DIGITS for ch in text) / max(len(text), 1)


def _is_credit_only(text: str) -> bool:
    return bool(_CREDIT_ONLY.match(text))


def _is_byline(text: str) -> bool:
    if len(text) > 40 or any(ch in text for ch in "。，；！？：“"):
        return False
    if _BYLINE.match(text) or _TITLED_AUTHOR.search(text):
        return True
    # bare author names: all Han, cut into 2–3 character names that each open with a common surname
    return bool(_NAME_ONLY.match(text)) and _names_only(text)


def _names_only(text: str) -> bool:
    """True when ``text`` splits into 2–3 character names that each start with a common surname."""
    ok = [True] + [False] * len(text)
    for end in range(2, len(text) + 1):
        ok[end] = any(end - size >= 0 and ok[end - size] and text[end - size] in _SURNAMES for size in (2, 3))
    return ok[len(text)]


def _is_text(text: str) -> bool:
    """True for a paragraph of running text (too long, or opening with a dateline, for a headline)."""
    return (len(text) > 50 and "。" in text) or bool(_DATELINE_ANY.match(text) and len(text) > 30)


def _is_caption(text: str, next_text: str | None) -> bool:
    if _CREDIT_END.search(text) or _CAPTION_START.match(text):
        return True
    return next_text is not None and _is_credit_only(next_text) and len(text) <= 300


# --------------------------------------------------------------------------------------------------
# style


@dataclass
class RenderStyle:
    """How one page is rendered: the knobs of the extraction noise.

    The defaults render faithfully (Markdown headings, ASCII digits with Chinese punctuation, a blank
    line between lines, no noise); :meth:`sample` draws a realistic random style. Probabilities are per
    candidate (article, paragraph, ...) unless noted.

    Attributes
    ----------
    heading_marks : {"markdown", "plain", "mixed"}
        Markdown ``#`` marks on headings, none, or marks on about half of the heading lines.
    lead_level, headline_level : int
        ``#`` count of the first article's headline and of the others' (1 or 2).
    level_jitter : float
        Chance that a headline takes the other level anyway (levels are unreliable).
    kicker_level, deck_level, section_level : int
        ``#`` count of kickers, decks and section heads; 0 prints them unmarked.
    width : {"full", "half", "mixed"}
        Keep the corpus's full-width characters, convert them all to ASCII, or the common mix: ASCII
        digits and letters with Chinese punctuation ``，。：（）``.
    half_parens : bool
        With ``width="mixed"``, print parentheses in ASCII too.
    blank_lines : int
        Blank lines between consecutive lines (1 usual, 0 none).
    extra_blank_prob : float
        Chance of 2–3 blank lines between two articles.
    leading_blanks : int
        Blank lines before the first line.
    trailing_newline : bool
        End the file with a newline.
    dateline_space : bool
        Write a space after an opening dateline (``新华社北京1月25日电 日前``).
    credit_spacing : bool
        Space names in credits and bylines (``（新华社记者 X 摄）``, ``本报记者 X``).
    byline_box_prob : float
        Chance that a byline is printed with a leading ``□``.
    split_deck : bool
        Split a headline with a run-on sub-headline at its ``——`` into headline and deck.
    kicker_prob : float
        Chance that a sub-headline is printed above the headline (a kicker) instead of below.
    synth_byline_prob : float
        Chance to add a byline line to an article that has none.
    closing_dateline_prob : float
        Chance to move an opening dateline to a closing ``（新华社…电）`` line (its reporter credit
        becomes a byline); also the chance to set a dateline glued to the last paragraph on its own line.
    split_credit_prob : float
        Chance to print a caption's photo credit on a line of its own.
    synth_section_prob : float
        Chance to give a long article without section heads numbered ones (``（二）``, ``二、``).
    glue_section_prob : float
        Chance that a section head is glued onto the paragraph after it (then labelled body).
    photo_synth_prob : float
        Chance that a brief is printed as a photo caption with a credit.
    photo_headline_drop_prob : float
        Chance that a photo item is printed without its headline.
    continued_prob : float
        Per page (not page 1): chance that one article is a continuation ``（上接第一版）``.
    continues_prob : float
        Per page: chance that one long article breaks off with ``（下转第X版）``.
    notices : int
        Number of notices (公告, 启事, 声明) added to the page.
    furniture : {"none", "top", "bottom", "both"}
        Where page furniture (running head, page number) is printed.
    shuffle_prob : float
        Chance to swap two neighbouring articles (printed order differs from corpus order anyway).
    join_prob : float
        Chance that a body paragraph is broken across columns into two lines.
    join_gap_prob : float
        Chance that another article's lines are printed between the two halves of a broken paragraph.
    move_run_prob : float
        Chance that a run of an article's lines is printed out of order within the article.
    cross_move_prob : float
        Per page: chance that a run of one article's lines is printed inside another article.
    headline_after_prob : float
        Chance that an article's headline block is printed after its body.
    dup_prob : float
        Per page: chance that the extractor repeats a run of an article (or all of it) 1–2 more times.
    """

    heading_marks: Literal["markdown", "plain", "mixed"] = "markdown"
    lead_level: int = 1
    headline_level: int = 1
    level_jitter: float = 0.0
    kicker_level: int = 2
    deck_level: int = 2
    section_level: int = 3
    width: Literal["full", "half", "mixed"] = "mixed"
    half_parens: bool = False
    blank_lines: int = 1
    extra_blank_prob: float = 0.0
    leading_blanks: int = 0
    trailing_newline: bool = False
    dateline_space: bool = False
    credit_spacing: bool = False
    byline_box_prob: float = 0.0
    split_deck: bool = False
    kicker_prob: float = 0.0
    synth_byline_prob: float = 0.0
    closing_dateline_prob: float = 0.0
    split_credit_prob: float = 0.0
    synth_section_prob: float = 0.0
    glue_section_prob: float = 0.0
    photo_synth_prob: float = 0.0
    photo_headline_drop_prob: float = 0.0
    continued_prob: float = 0.0
    continues_prob: float = 0.0
    notices: int = 0
    furniture: Literal["none", "top", "bottom", "both"] = "none"
    shuffle_prob: float = 0.0
    join_prob: float = 0.0
    join_gap_prob: float = 0.0
    move_run_prob: float = 0.0
    cross_move_prob: float = 0.0
    headline_after_prob: float = 0.0
    dup_prob: float = 0.0

    #: knobs that change which text is printed or how paragraphs are cut (not only the layout)
    CONTENT_KNOBS = (
        "split_deck",
        "kicker_prob",
        "synth_byline_prob",
        "closing_dateline_prob",
        "split_credit_prob",
        "synth_section_prob",
        "glue_section_prob",
        "photo_synth_prob",
        "photo_headline_drop_prob",
        "continued_prob",
        "continues_prob",
        "byline_box_prob",
    )

    @classmethod
    def sample(cls, rng: random.Random) -> RenderStyle:
        """Draw a style with the mix of habits seen in real extracted pages.

        Parameters
        ----------
        rng : random.Random
            The source of randomness (the style is a function of its state).

        Returns
        -------
        RenderStyle
        """
        # the choices typed as their fields are (a bare list literal reads as ``list[str]``)
        mark_kinds: list[Literal["markdown", "plain", "mixed"]] = ["markdown", "plain", "mixed"]
        width_kinds: list[Literal["full", "half", "mixed"]] = ["full", "half", "mixed"]
        furniture_kinds: list[Literal["none", "top", "bottom", "both"]] = ["none", "top", "bottom", "both"]
        marks = rng.choices(mark_kinds, [0.55, 0.3, 0.15])[0]
        width = rng.choices(width_kinds, [0.2, 0.25, 0.55])[0]
        blank = 1 if rng.random() < 0.85 else 0
        return cls(
            heading_marks=marks,
            lead_level=1 if rng.random() < 0.8 else 2,
            headline_level=rng.choice([1, 2]),
            level_jitter=rng.choice([0.0, 0.1, 0.25]),
            kicker_level=rng.choice([2, 2, 3, 0]),
            deck_level=rng.choice([2, 2, 2, 3, 0]),
            section_level=rng.choice([3, 3, 2, 0, 0]),
            width=width,
            half_parens=rng.random() < 0.3,
            blank_lines=blank,
            extra_blank_prob=rng.choice([0.0, 0.05, 0.15, 0.3]),
            leading_blanks=rng.choice([0, 1, 2, 2]),
            trailing_newline=rng.random() < 0.5,
            dateline_space=rng.random() < 0.6,
            credit_spacing=rng.random() < 0.6,
            byline_box_prob=rng.choice([0.0, 0.0, 0.5, 0.9]),
            split_deck=rng.random() < 0.85,
            kicker_prob=rng.choice([0.0, 0.2, 0.4]),
            synth_byline_prob=rng.choice([0.0, 0.15, 0.4]),
            closing_dateline_prob=rng.choice([0.0, 0.2, 0.5, 0.8]),
            split_credit_prob=rng.choice([0.0, 0.5, 0.9]),
            synth_section_prob=rng.choice([0.0, 0.0, 0.2, 0.5]),
            glue_section_prob=rng.choice([0.0, 0.0, 0.1]),
            photo_synth_prob=rng.choice([0.0, 0.1, 0.25]),
            photo_headline_drop_prob=rng.choice([0.0, 0.3, 0.6]),
            continued_prob=rng.choice([0.0, 0.3, 0.6]),
            continues_prob=rng.choice([0.0, 0.1, 0.3]),
            notices=rng.choices([0, 1, 2, 3], [0.7, 0.12, 0.1, 0.08])[0],
            furniture=rng.choices(furniture_kinds, [0.6, 0.25, 0.1, 0.05])[0],
            shuffle_prob=rng.choice([0.0, 0.1, 0.3]),
            join_prob=rng.choice([0.0, 0.03, 0.08, 0.15]),
            join_gap_prob=rng.choice([0.0, 0.1, 0.3]),
            move_run_prob=rng.choice([0.0, 0.05, 0.15]),
            cross_move_prob=rng.choice([0.0, 0.2, 0.5]),
            headline_after_prob=rng.choice([0.0, 0.0, 0.0, 0.03, 0.08]),
            dup_prob=rng.choice([0.0, 0.15, 0.3, 0.6]),
        )

    def faithful(self) -> RenderStyle:
        """This style with every content-changing knob off: only layout noise remains.

        The printed text of each corpus article, with repeats removed and broken paragraphs joined,
        is then its corpus paragraphs up to character width, Markdown marks and spaces.
        """
        # each knob's own type (bool or float): no one value type fits them all
        off: dict[str, Any] = {
            f.name: (False if isinstance(getattr(self, f.name), bool) else 0.0)
            for f in fields(self)
            if f.name in self.CONTENT_KNOBS
        }
        return replace(self, **off)


# --------------------------------------------------------------------------------------------------
# internal representation


@dataclass
class _Unit:
    """One printed line before rendering."""

    role: str  # a Label value
    text: str  # corpus-form text, no Markdown marks
    mark: str = ""  # heading kind for marks: headline, kicker, deck, section
    art: int = 0  # article key on the page, 0 = page furniture
    rank: int = 0  # position in the article's reading order
    join: bool = False
    dup: bool = False
    tight: bool = False  # printed right under the previous line (notice bodies)
    marked: bool = True  # print its Markdown mark (decided once so that repeats look the same)


@dataclass
class _Article:
    key: int
    kind: str
    units: list[_Unit]
    source: str | None = None
    continued: bool = False
    lead: bool = False
    level: int = 1


def _name(rng: random.Random) -> str:
    given = "".join(rng.choice(_GIVEN) for _ in range(rng.choice([1, 2, 2])))
    return rng.choice(_SURNAMES) + given


def _synth_byline(rng: random.Random, spaced: bool) -> str:
    sep = " " if spaced else ""
    names = " ".join(_name(rng) for _ in range(rng.choice([1, 1, 2, 3])))
    one = _name(rng)
    return rng.choice(
        [
            f"本报记者{sep}{one}",
            f"本报记者{sep}{names}",
            f"新华社记者{sep}{names}",
            "新华社记者",
            "本报评论员",
            "新华社“新华视点”记者",
            f"新华社“新华视点”记者{sep}{names}",
            f"本报驻{rng.choice(_FOREIGN)}记者{sep}{one}",
            f"本报通讯员{sep}{one}",
            "本报特约评论员",
        ]
    )


def _synth_credit(rng: random.Random, spaced: bool) -> str:
    sep = " " if spaced else ""
    name = _name(rng)
    org = rng.choice(_PLACES) + rng.choice(["市委宣传部", "日报社", "市文旅局", "县融媒体中心", "市气象局"])
    return rng.choice(
        [
            f"（新华社记者{sep}{name}{sep}摄）",
            f"新华社发（{name}{sep}摄）",
            f"（{name}摄）",
            f"（本报记者{sep}{name}{sep}摄）",
            f"（新华社发{sep}{org}供图）",
            f"（{org}供图）",
        ]
    )


def _fw_date(date: str) -> tuple[str, str, str, str]:
    """``19980125`` → full-width (year, month, day) strings and the weekday character."""
    d = datetime.date(int(date[:4]), int(date[4:6]), int(date[6:8]))
    return (
        to_fullwidth(str(d.year)),
        to_fullwidth(str(d.month)),
        to_fullwidth(str(d.day)),
        _WEEKDAYS[d.weekday()],
    )


def _synth_furniture(rng: random.Random, date: str, page: int) -> str:
    year, month, day, week = _fw_date(date)
    when = f"{year}年{month}月{day}日"
    num = to_fullwidth(str(page))
    section = rng.choice(_SECTIONS)
    return rng.choice(
        [
            f"人民日报 {when} 星期{week}",
            f"{when} 星期{week}",
            f"第{num}版",
            f"第{_cn_number(page)}版",
            f"{section} 第{num}版",
            f"人民日报 第{num}版 {section}",
            f"{when} 星期{week} 第{num}版 {section}",
            f"责任编辑：{_name(rng)}",
        ]
    )


def _synth_notice(rng: random.Random, date: str) -> tuple[str, str]:
    """A notice (headline, body) in corpus form, made from templates with random fillers."""
    year, month, _, _ = _fw_date(date)
    m = int(to_halfwidth(month))
    later = to_fullwidth(str(m % 12 + 1))
    d1, d2 = to_fullwidth(str(rng.randint(1, 28))), to_fullwidth(str(rng.randint(1, 28)))
    hour = to_fullwidth(str(rng.choice([9, 10, 14, 15])))
    place = rng.choice(_PLACES)
    city = rng.choice(_CITIES) + "市"
    brand = rng.choice(_SURNAMES) + rng.choice(_GIVEN)
    company = f"{place}{brand}{rng.choice(['实业有限公司', '贸易有限公司', '建设集团有限公司', '科技股份有限公司'])}"
    auctioneer = f"{place}{brand}拍卖有限公司"
    phone = to_fullwidth("0" + str(rng.randint(10, 999)) + "-" + str(rng.randint(1000000, 89999999)))
    number = to_fullwidth(str(rng.randint(10**9, 10**10)))
    person = "、".join(_name(rng) for _ in range(rng.randint(1, 3)))
    road = rng.choice(["人民路", "解放路", "建设大街", "中山路", "长江路", "黄河大道"])
    cross = rng.choice(["北京路", "和平路", "胜利街", "滨河路", "东风路"])
    amount = to_fullwidth(str(rng.randint(5, 500)))
    templates = [
        (
            "公告",
            (
                f"因{rng.choice(['市政管道施工', '道路改造', '热力管网检修', '桥梁维修'])}需要，自{year}年{month}月{d1}日至"
                f"{later}月{d2}日，对{road}（{cross}至{rng.choice(['环城路', '南关街'])}段）实施交通管制，"
                "过往车辆请绕道行驶。由此带来的不便，敬请谅解。特此公告。"
            ),
        ),
        (
            rng.choice(["拍卖公告", f"{auctioneer} 拍卖公告"]),
            (
                f"受有关单位委托，我公司定于{year}年{later}月{d1}日{hour}时，在本公司拍卖厅对{place}"
                f"{rng.choice(['某厂区土地使用权', '一批机动车辆', '办公用房一处', '库存物资一批'])}进行公开拍卖。"
                f"有意竞买者请于拍卖前一日持有效证件到本公司办理竞买手续。联系电话：{phone}"
            ),
        ),
        (
            "遗失声明",
            (
                f"{company}不慎遗失{rng.choice(['营业执照副本', '公章一枚', '税务登记证正本', '开户许可证'])}，"
                f"编号：{number}，特此声明作废。"
            ),
        ),
        (
            rng.choice(["迁址启事", "启事"]),
            (
                f"因业务发展需要，{company}自{year}年{later}月{d1}日起迁至{city}{road}{to_fullwidth(str(rng.randint(1, 300)))}号"
                f"办公，联系电话：{phone}。特此启事。"
            ),
        ),
        (
            "债权债务转让公告",
            (
                f"{person}：于{to_fullwidth(str(rng.randint(1990, 1997)))}年{to_fullwidth(str(rng.randint(1, 12)))}月"
                f"向{company}借款{amount}万元，现该债权已依法转让，请债务人自本公告发布之日起向受让方履行还款义务。"
            ),
        ),
        (
            rng.choice(["招聘启事", "招聘"]),
            (
                f"{company}因业务发展需要，现面向社会公开招聘{rng.choice(['财会人员', '技术人员', '销售人员'])}"
                f"{to_fullwidth(str(rng.randint(2, 20)))}名，报名截止日期为{later}月{d2}日。联系电话：{phone}"
            ),
        ),
        (
            "注销公告",
            f"{company}经股东会决议，决定注销本公司。请债权人自本公告发布之日起四十五日内向本公司清算组申报债权。",
        ),
    ]
    return rng.choice(templates)


# --------------------------------------------------------------------------------------------------
# planning one article


def _split_headline(head: str) -> tuple[str, str | None]:
    """Split a headline with a run-on sub-headline at its dash: ``主题——副题`` → (主题, ——副题)."""
    match = _DECK_DASH.search(head)
    if match is None or match.start() < 4 or len(head) - match.end() < 2:
        return head, None
    return head[: match.start()], head[match.start() :]


def _classify(art: CorpusArticle, split_deck: bool) -> tuple[str, list[_Unit]]:
    """Give every corpus paragraph the label the gold would give it; return (kind, units)."""
    if art.era is Era.MODERN:
        return _classify_modern(art)
    paras = art.paragraphs
    head = paras[0]
    if len(paras) == 1:
        # a single paragraph is the item itself: a brief, or the title of a picture or chart
        if len(head) <= 30 and _ends_open(head) and not _is_text(head):
            return (Kind.PHOTO if art.picture_item else Kind.NEWS).value, [
                _Unit(Label.HEADLINE.value, head, "headline")
            ]
        role = Label.CAPTION if art.picture_item else Label.BODY
        return (Kind.PHOTO if art.picture_item else Kind.NEWS).value, [_Unit(role.value, head)]

    units: list[_Unit] = []
    if _is_text(head):
        # no headline at all: a brief (with its author's name after it) or a run of paragraphs
        i, subheads = 0, 2
    else:
        headline, deck = _split_headline(head) if split_deck else (head, None)
        units.append(_Unit(Label.HEADLINE.value, headline, "headline"))
        if deck:
            units.append(_Unit(Label.SUBHEAD.value, deck, "deck"))
        i, subheads = 1, 0

    # the headline block: sub-headlines, bylines, a speech's date, a caption under the headline
    while units and i < len(paras) and i <= 4:
        p = paras[i]
        nxt = paras[i + 1] if i + 1 < len(paras) else None
        if _is_credit_only(p) or _is_caption(p, nxt):
            units.append(_Unit(Label.CAPTION.value, p))
        elif _is_byline(p) or (i == 1 and _NAME_ONLY.match(p) and len(p) <= 3):  # a pen name
            units.append(_Unit(Label.BYLINE.value, p))
        elif _SPEECH_DATE.match(p):
            units.append(_Unit(Label.SUBHEAD.value, p))
        elif (
            subheads < 2
            and len(p) <= 45
            and _ends_open(p)
            and _digit_share(p) < 0.3
            and not any(u.role == Label.BYLINE.value for u in units)
            and i + 1 < len(paras)
        ):
            units.append(_Unit(Label.SUBHEAD.value, p, "deck"))
            subheads += 1
        else:
            break
        i += 1

    body = paras[i:]
    # poems and tables run short lines one after another: there they are text, not section heads
    short = [len(p) <= 24 and _ends_open(p) for p in body]
    runs_of_short = sum(a and b for a, b in itertools.pairwise(short))
    verse = runs_of_short >= max(2, len(body) // 5)
    for j, p in enumerate(body):
        nxt = body[j + 1] if j + 1 < len(body) else None
        last = j == len(body) - 1
        if _DATELINE_ONLY.match(p):
            role = Label.DATELINE
        elif _is_credit_only(p) or _is_caption(p, nxt):
            role = Label.CAPTION
        elif last and j > 0 and _PAREN_AUTHOR.match(p):
            role = Label.BYLINE
        elif (
            j > 0
            and not verse
            and nxt is not None
            and len(p) <= 28
            and _ends_open(p)
            and _digit_share(p) < 0.3
            and not p.startswith(("“", "『", "《"))
        ) or (
            j > 0 and not verse and nxt is not None and len(p) <= 12 and _NUMBERED.match(p) and _ends_open(p)
        ):
            role = Label.SECTION
        else:
            role = Label.BODY
        units.append(_Unit(role.value, p, "section" if role is Label.SECTION else ""))

    return _kind_of(units, art.picture_item), units


def _kind_of(units: list[_Unit], picture_item: bool = False) -> str:
    """News or photo, from the article's labelled units; a photo item's lone text becomes its caption."""
    kind = Kind.NEWS
    text_units = [u for u in units if u.role in (Label.BODY.value, Label.CAPTION.value)]
    captions = [u for u in text_units if u.role == Label.CAPTION.value]
    headline = next((u.text for u in units if u.role == Label.HEADLINE.value), "")
    if (
        picture_item
        or headline.startswith(("图片新闻", "图片报道"))
        or (captions and len(text_units) <= 4 and sum(len(u.text) for u in text_units) < 600)
    ):
        kind = Kind.PHOTO
        bodies = [u for u in text_units if u.role == Label.BODY.value]
        if (
            len(bodies) == 1
            and len(captions) <= 1
            and not any(
                _CAPTION_START.match(u.text) or _CREDIT_END.search(u.text) and len(u.text) > 30
                for u in captions
            )
        ):
            bodies[0].role = Label.CAPTION.value  # the picture's only text is its caption
    return kind.value


#: a modern photo credit on a paragraph of its own: ``新华社记者 肖艺九摄``, ``张进刚摄（影像中国）``,
#: ``本报记者 张 枨摄影报道``, ``中车长客公司供图``, ``图片来源：人民视觉``
_MODERN_CREDIT = re.compile(
    r"^(?:[^。，；！？：“”]{1,30}(?:摄|摄影|摄影报道|供图|绘|漫画)(?:（[^（）]{1,10}）)?"
    r"|(?:本版)?(?:图片来源|图片提供|资料图片)(?:[：:].{1,20})?|[^。，；！？：]{1,30}（资料图片）)$"
)
#: layout credits, page furniture of modern pages: ``版式设计：张丹峰``, ``本版制图：蔡华伟``, ``本版责编：…``
_LAYOUT_CREDIT = re.compile(r"^(?:本版)?(?:版式设计|制图|责编|责任编辑|美编|摄影|编辑)\s?[：:]")
#: a modern dateline on a line of its own: ``（本报约翰内斯堡电）``, ``（新华社北京2月3日电 记者梅世雄）``
_MODERN_DATELINE_ONLY = re.compile(r"^（(?:据)?(?:新华社|中新社|本报)[^（）]{0,40}(?:电|讯)[^（）]{0,30}）$")
#: a package story's or a letter's writer under its own title: ``江西丰城 徐新林``, ``北京朝阳 林 峰``
_PLACE_AND_NAME = re.compile(rf"^[{_HAN}]{{2,10}}(?: [{_HAN}]{{1,3}}){{1,3}}$")
#: a feature's box heads, printed as short paragraphs before the text
_BOX_HEADS = frozenset({"核心阅读", "编者按", "编者的话", "引子", "引 子", "开栏的话", "人物小传", "阅读提示", "链接"})


def _classify_modern(art: CorpusArticle) -> tuple[str, list[_Unit]]:
    """Label a modern article: kicker / headline / deck from the corpus fields, the rest by its shape.

    Bylines, photo credits, intertitles and closing datelines are paragraphs like any other in the
    modern corpus; they are recognised here by the conventions of the era (credits on a line of their
    own anywhere in the text, intertitles inside long features, a package's short stories each with a
    title and a writer). Layout credits (``版式设计：…``) are page furniture: label ``other``.
    """
    units: list[_Unit] = []
    if art.kicker:
        units.append(_Unit(Label.SUBHEAD.value, art.kicker, "kicker"))
    if art.paragraphs[0]:
        units.append(_Unit(Label.HEADLINE.value, art.paragraphs[0], "headline"))
    if art.deck:
        units.append(_Unit(Label.SUBHEAD.value, art.deck, "deck"))
    body = art.paragraphs[1:]
    if units and units[0].role == Label.SUBHEAD.value and len(units) == 1:
        units[0] = _Unit(Label.HEADLINE.value, art.kicker or "", "headline")  # a kicker alone is the title

    short = [len(p) <= 24 and _ends_open(p) for p in body]
    runs_of_short = sum(a and b for a, b in itertools.pairwise(short))
    verse = runs_of_short >= max(3, len(body) // 4)
    for j, p in enumerate(body):
        nxt = body[j + 1] if j + 1 < len(body) else None
        previous = units[-1].role if units else None
        compact = p.replace(" ", "")
        if _LAYOUT_CREDIT.match(p) and len(p) <= 40:
            role = Label.OTHER
        elif _MODERN_DATELINE_ONLY.match(p) or _DATELINE_ONLY.match(p):
            role = Label.DATELINE
        elif len(p) <= 40 and (_MODERN_CREDIT.match(p) or _is_credit_only(p)):
            role = Label.CAPTION
        elif (
            (j == 0 or previous in (Label.SECTION.value, Label.HEADLINE.value, Label.SUBHEAD.value))
            and len(p) <= 30
            and (_is_byline(p) or _PLACE_AND_NAME.match(p))
            and nxt is not None
        ):
            role = Label.BYLINE  # under the headline, or a package story's writer under its title
        elif j == len(body) - 1 and j > 0 and len(compact) <= 4 and _is_byline(compact):
            role = Label.BYLINE  # a commentary signed with the writer's name alone
        elif j == len(body) - 1 and j > 0 and _PAREN_AUTHOR.match(p):
            role = Label.BYLINE
        elif _CAPTION_START.match(p) or (
            nxt is not None and len(nxt) <= 40 and _MODERN_CREDIT.match(nxt) and len(p) <= 300
        ):
            role = Label.CAPTION
        elif (
            compact in _BOX_HEADS
            or (
                not verse
                and nxt is not None
                and (j > 0 or len(p) <= 6)
                and len(p) <= 30
                and _ends_open(p)
                and _digit_share(p) < 0.3
                and not p.startswith(("（", "("))
            )
            or (not verse and nxt is not None and len(p) <= 14 and _NUMBERED.match(p) and _ends_open(p))
        ):
            role = Label.SECTION
        else:
            role = Label.BODY
        units.append(_Unit(role.value, p, "section" if role is Label.SECTION else ""))
    return _kind_of(units), units


def _plan_article(art: CorpusArticle, key: int, style: RenderStyle, rng: random.Random) -> _Article:
    kind, units = _classify(art, style.split_deck)
    article = _Article(key=key, kind=kind, units=units, source=art.id)
    head_end = next((k for k, u in enumerate(units) if u.role not in _HEAD_ROLES), len(units))
    has_headline = any(u.role == Label.HEADLINE.value for u in units)
    modern = art.era is Era.MODERN

    # a sub-headline printed above the headline is a kicker (a modern article names its own)
    if (
        has_headline
        and not modern
        and len(units) > 1
        and units[1].mark == "deck"
        and not _DECK_DASH.match(units[1].text)
        and rng.random() < style.kicker_prob
    ):
        kicker = units.pop(1)
        kicker.mark = "kicker"
        units.insert(0, kicker)

    bodies = [k for k, u in enumerate(units) if u.role == Label.BODY.value]
    has_byline = any(u.role == Label.BYLINE.value for u in units)

    # an opening dateline becomes a closing one; its reporter credit becomes the byline
    if bodies and kind == Kind.NEWS.value and rng.random() < style.closing_dateline_prob:
        first = units[bodies[0]]
        match = _DATELINE_OPEN.match(first.text)
        rest = first.text[match.end() :].lstrip() if match else ""
        reporter = _REPORTER_SAYS.match(rest)
        # ``match`` as well, for mypy: no dateline leaves ``rest`` empty, where no reporter is found
        if reporter and match and not has_byline and not match["credit"]:
            rest = rest[reporter.end() :]
        elif rest.startswith("记者"):
            match = None  # the reporter would be left dangling
        if (
            match
            and len(rest) >= 10
            and not rest.startswith("（")
            and (match["credit"] is None or not has_byline)
        ):
            first.text = rest.lstrip("，, ")
            closing = "（" + match["dl"].removeprefix("据") + "）"
            units.append(_Unit(Label.DATELINE.value, closing))
            if match["credit"] or reporter:
                agency = "本报" if match["dl"].startswith("本报") else "新华社"
                found = match if match["credit"] else reporter
                assert found is not None  # a credit, or else a reporter: the branch is taken for one
                who = found["who"] if found["who"].startswith(("本报", "新华社")) else agency + found["who"]
                names = found["names"].replace("、", " " if style.credit_spacing else "、")
                byline = f"{who} {names}" if style.credit_spacing else f"{who}{names}"
                units.insert(head_end, _Unit(Label.BYLINE.value, byline))
                has_byline = True
    # a closing dateline glued to the last paragraph goes on its own line
    last_body = [k for k, u in enumerate(units) if u.role == Label.BODY.value]
    if last_body and rng.random() < style.closing_dateline_prob:
        unit = units[last_body[-1]]
        match = _TRAILING_DATELINE.search(unit.text)
        if match and match.start() >= 4:
            unit.text = unit.text[: match.start()]
            units.insert(last_body[-1] + 1, _Unit(Label.DATELINE.value, match["dl"]))

    # a byline only where the first paragraph names no reporter (it opens with no dateline)
    bodies = [k for k, u in enumerate(units) if u.role == Label.BODY.value]
    opening = units[bodies[0]].text[:40] if bodies else ""
    if (
        has_headline
        and not has_byline
        and kind == Kind.NEWS.value
        and len(bodies) >= 3
        and not _DATELINE_ANY.match(opening)
        and "记者" not in opening
        and rng.random() < style.synth_byline_prob
    ):
        block = (Label.HEADLINE.value, Label.SUBHEAD.value)
        head_end = next((k for k, u in enumerate(units) if u.role not in block), len(units))
        units.insert(head_end, _Unit(Label.BYLINE.value, _synth_byline(rng, style.credit_spacing)))

    for unit in units:
        if unit.role == Label.BYLINE.value:
            if style.credit_spacing:
                unit.text = re.sub(rf"^(.*?记者)([{_HAN}]{{2,4}})$", r"\1 \2", unit.text)
            if rng.random() < style.byline_box_prob and not unit.text.startswith(("□", "（")):
                unit.text = rng.choice(["□", "□ "]) + unit.text
        elif unit.role == Label.BODY.value and style.dateline_space:
            match = _DATELINE_ANY.match(unit.text)
            if match and match.end() < len(unit.text) and unit.text[match.end()] not in _END_PUNCT | {"（"}:
                unit.text = unit.text[: match.end()] + " " + unit.text[match.end() :]
        if unit.role == Label.CAPTION.value and style.credit_spacing:
            unit.text = _CREDIT_PARTS.sub(
                lambda m: f"（{m['who'] + ' ' if m['who'] else ''}{m['name']} 摄）", unit.text
            )

    # photo credits on their own line
    k = 0
    while k < len(units):
        unit = units[k]
        match = _CREDIT_END.search(unit.text) if unit.role == Label.CAPTION.value else None
        if match and match.start() >= 8 and rng.random() < style.split_credit_prob:
            unit.text, credit = unit.text[: match.start()], unit.text[match.start() :]
            units.insert(k + 1, _Unit(Label.CAPTION.value, credit))
        k += 1

    # numbered section heads in a long article that has none
    bodies = [k for k, u in enumerate(units) if u.role == Label.BODY.value]
    if (
        kind == Kind.NEWS.value
        and len(bodies) >= 8
        and not any(u.role == Label.SECTION.value for u in units)
        and rng.random() < style.synth_section_prob
    ):
        parts = rng.randint(2, min(5, len(bodies) // 3))
        at = sorted(rng.sample(bodies[2:], parts - 1))
        start = 1 if rng.random() < 0.5 else 2
        shape = rng.choice(["（{}）", "（{}）", "{}"])
        if start == 1:
            at = [bodies[0], *at]
        for offset, pos in enumerate(at):
            units.insert(
                pos + offset, _Unit(Label.SECTION.value, shape.format(_cn_number(start + offset)), "section")
            )

    # a section head glued onto its paragraph
    k = 0
    while k < len(units) - 1:
        if (
            units[k].role == Label.SECTION.value
            and units[k + 1].role == Label.BODY.value
            and rng.random() < style.glue_section_prob
        ):
            units[k + 1].text = units[k].text + rng.choice(["", " "]) + units[k + 1].text
            del units[k]
        k += 1

    if (
        kind == Kind.PHOTO.value
        and len(units) > 1
        and units[0].role == Label.HEADLINE.value
        and rng.random() < style.photo_headline_drop_prob
    ):
        units.pop(0)

    article.units = units
    return article


def _photo_from_brief(article: _Article, rng: random.Random, style: RenderStyle) -> None:
    """Print a brief as a photo item: its text is the caption, a credit follows."""
    article.kind = Kind.PHOTO.value
    unit = article.units[0]
    unit.role = Label.CAPTION.value
    credit = _synth_credit(rng, style.credit_spacing)
    if rng.random() < 0.5:
        article.units.append(_Unit(Label.CAPTION.value, credit))
    else:
        unit.text = unit.text + credit


def _cut_point(text: str, rng: random.Random, low: float = 0.2, high: float = 0.8) -> int | None:
    """A place to cut a paragraph: after a clause sign mostly, else anywhere (columns cut words too)."""
    n = len(text)
    if n < 16:
        return None
    lo, hi = max(4, int(n * low)), min(n - 3, int(n * high))
    if lo >= hi:
        return None
    if rng.random() < 0.4:
        signs = [k + 1 for k in range(lo, hi) if text[k] in "，、；：。"]
        if signs:
            return rng.choice(signs)
    return rng.randint(lo, hi)


def _make_continued(article: _Article, rng: random.Random, page: int) -> bool:
    """Turn ``article`` into the part printed after ``（上接第X版）``: no headline block, starts mid-text."""
    bodies = [k for k, u in enumerate(article.units) if u.role == Label.BODY.value]
    if len(bodies) < 4:
        return False
    start = bodies[rng.randint(0, len(bodies) // 2)]
    units = article.units[start:]
    first = units[0]
    if rng.random() < 0.6:
        cut = _cut_point(first.text, rng, 0.1, 0.6)
        if cut is not None:
            first.text = first.text[cut:].lstrip()
    source_page = rng.randint(1, max(1, page - 1))
    label = _cn_number(source_page) if rng.random() < 0.75 else to_fullwidth(str(source_page))
    first.text = rng.choice(["（上接第{}版）", "（上接第{}版）", "（紧接第{}版）"]).format(label) + first.text
    first.join = False
    article.units = units
    article.continued = True
    return True


def _make_continues(article: _Article, rng: random.Random, page: int) -> bool:
    """Cut ``article`` off with ``（下转第X版）``: the rest is printed on another page."""
    bodies = [k for k, u in enumerate(article.units) if u.role == Label.BODY.value]
    if len(bodies) < 4:
        return False
    stop = bodies[rng.randint(len(bodies) // 2, len(bodies) - 1)]
    units = article.units[: stop + 1]
    last = units[-1]
    if rng.random() < 0.6:
        cut = _cut_point(last.text, rng, 0.4, 0.9)
        if cut is not None:
            last.text = last.text[:cut]
    target = page + rng.randint(1, 3)
    label = _cn_number(target) if rng.random() < 0.75 else to_fullwidth(str(target))
    last.text = last.text + f"（下转第{label}版）"
    article.units = units
    return True


def _split_paragraphs(article: _Article, rng: random.Random, prob: float) -> None:
    """Break body paragraphs across columns: the second piece continues the first (``join``)."""
    out: list[_Unit] = []
    for unit in article.units:
        pieces = [unit]
        if unit.role == Label.BODY.value and not unit.tight and len(unit.text) >= 30 and rng.random() < prob:
            cut = _cut_point(unit.text, rng)
            if cut is not None:
                first, second = unit.text[:cut].rstrip(), unit.text[cut:].lstrip()
                if first and second:
                    pieces = [replace(unit, text=first), replace(unit, text=second, join=True)]
        out.extend(pieces)
    article.units = out


# --------------------------------------------------------------------------------------------------
# laying the page out


def _print_sequence(article: _Article, rng: random.Random, style: RenderStyle) -> list[_Unit]:
    """The article's units in printed order: maybe its headline block after the body, maybe a moved run."""
    seq = list(article.units)
    head_roles = _HEAD_ROLES
    head_end = next((k for k, u in enumerate(seq) if u.role not in head_roles), len(seq))
    if (
        0 < head_end < len(seq) - 1
        and seq[0].role != Label.BODY.value
        and rng.random() < style.headline_after_prob
    ):
        seq = seq[head_end:] + seq[:head_end]
        head_end = 0
    # a column printed out of place: a run of body lines moves a few lines up or down
    body = [k for k, u in enumerate(seq) if u.role not in head_roles]
    lo, hi = (body[0], body[-1] + 1) if body else (0, 0)
    if (
        hi - lo >= 4
        and all(seq[k].role not in head_roles for k in range(lo, hi))
        and rng.random() < style.move_run_prob
    ):
        if rng.random() < 0.5:
            moved = _section_into_own_join(seq, lo, hi, rng)
            if moved is not None:
                return moved
        length = rng.randint(1, min(3, hi - lo - 2))
        start = rng.randint(lo, hi - length)
        run = seq[start : start + length]
        rest = seq[:start] + seq[start + length :]
        choices = [k for k in range(max(lo, start - 4), min(hi - length, start + 4) + 1) if k != start]
        if choices:
            dest = rng.choice(choices)
            seq = rest[:dest] + run + rest[dest:]
    return seq


def _section_into_own_join(seq: list[_Unit], lo: int, hi: int, rng: random.Random) -> list[_Unit] | None:
    """An intertitle and the paragraph under it printed a few lines early, between the two halves of a
    paragraph of the same article broken across columns (page 004 prints its lines 168–170 so: a column
    that opens with an intertitle, set before the column it follows). None where the article has no
    such pair."""
    section, body = Label.SECTION.value, Label.BODY.value
    runs = []
    for s in range(lo + 1, hi - 1):
        if seq[s].role != section:
            continue
        end = s + 1
        while end < hi and end - s < 3 and seq[end].role == body and not seq[end].join:
            end += 1
            if end < hi and not seq[end].join and rng.random() < 0.5:
                break
        if end == s + 1 or (end < hi and seq[end].join):
            continue  # the intertitle's paragraphs whole: neither half of a broken one
        for t in range(max(lo + 1, s - 6), s):
            if seq[t].join and seq[t - 1].role == body:
                runs.append((s, end, t))
    if not runs:
        return None
    s, end, t = rng.choice(runs)
    return seq[:t] + seq[s:end] + seq[t:s] + seq[end:]


def _runs_of(flat: list[_Unit], key: int) -> list[tuple[int, int]]:
    """Maximal runs ``[start, end)`` of consecutive units of article ``key`` in ``flat``."""
    runs, start = [], None
    for k, unit in enumerate(flat + [_Unit("", "", art=-1)]):
        if unit.art == key and start is None:
            start = k
        elif unit.art != key and start is not None:
            runs.append((start, k))
            start = None
    return runs


def _move_into_other(flat: list[_Unit], rng: random.Random, keys: list[int]) -> None:
    """Print a run of one article's body lines inside another article."""
    if len(keys) < 2:
        return
    src, dst = rng.sample(keys, 2)
    runs = [r for r in _runs_of(flat, src) if r[1] - r[0] >= 3]
    if not runs:
        return
    start, end = rng.choice(runs)
    length = rng.randint(1, min(3, end - start - 1))
    first = rng.randint(start + 1, end - length)  # never the article's first printed line
    run = flat[first : first + length]
    if any(u.role in _HEAD_ROLES for u in run):
        return  # columns of text wander, headline blocks stay with their article
    del flat[first : first + length]
    spots = [k for k in range(1, len(flat)) if flat[k - 1].art == dst and flat[k].art == dst]
    if not spots:
        flat[first:first] = run
        return
    dest = rng.choice(spots)
    flat[dest:dest] = run


def _gap_in_join(flat: list[_Unit], rng: random.Random) -> None:
    """Print another article's lines between the two halves of a broken paragraph."""
    joins = [u for k, u in enumerate(flat) if k > 0 and u.join and flat[k - 1].art == u.art]
    if not joins:
        return
    second = rng.choice(joins)
    others = sorted({u.art for u in flat} - {second.art, 0})
    if not others:
        return
    runs = [r for r in _runs_of(flat, rng.choice(others)) if r[1] - r[0] >= 2]
    if not runs:
        return
    start, end = rng.choice(runs)
    length = rng.randint(1, min(3, end - start - 1))
    first = rng.randint(start + 1, end - length)  # never the other article's first printed line
    run = flat[first : first + length]
    if any(u.role in _HEAD_ROLES for u in run):
        return
    del flat[first : first + length]
    target = next(k for k, u in enumerate(flat) if u is second)
    flat[target:target] = run


def _repeat_run(flat: list[_Unit], rng: random.Random, keys: list[int]) -> None:
    """The extractor prints a run of an article (or all of it) again, 1–2 more times."""
    key = rng.choice(keys)
    runs = _runs_of(flat, key)
    if not runs:
        return
    start, end = rng.choice(runs)
    if rng.random() < 0.3:
        length = end - start  # the whole run, often the whole article
    else:
        length = rng.randint(1, min(6, end - start))
    first = rng.randint(start, end - length)
    run = flat[first : first + length]
    copies = 2 if rng.random() < 0.25 else 1
    clones = [replace(u, dup=True, join=False) for _ in range(copies) for u in run]
    where = rng.random()
    if where < 0.2 and first > start:
        # printed early: the copy sits before the lines it repeats, after one of its article's lines
        dest = rng.randint(start + 1, first)
    elif where < 0.5:
        after = first + length
        boundaries = [
            k for k in range(after + 1, len(flat) + 1) if k == len(flat) or flat[k].art != flat[k - 1].art
        ]
        dest = rng.choice(boundaries) if boundaries else after
    else:
        dest = first + length
    flat[dest:dest] = clones


def _build_gold(
    flat: list[_Unit], articles: dict[int, _Article], line_no: list[int], texts: list[str], source: str
) -> tuple[dict[str, Any], dict[int, str | None]]:
    ids: dict[int, int] = {}
    for unit in flat:
        if unit.art and unit.art not in ids:
            ids[unit.art] = len(ids) + 1
    lines = [
        {
            "n": n,
            "text": text,
            "label": unit.role,
            "article": ids.get(unit.art, 0),
            "join": unit.join,
            "dup": unit.dup,
        }
        for unit, n, text in zip(flat, line_no, texts)
    ]
    number = {id(unit): n for unit, n in zip(flat, line_no)}
    text_of = {id(unit): text for unit, text in zip(flat, texts)}
    gold_articles = []
    sources: dict[int, str | None] = {}
    for key, aid in ids.items():
        own = [u for u in flat if u.art == key]
        order = sorted((u for u in own if not u.dup), key=lambda u: u.rank)
        previous: _Unit | None = None
        for unit in flat:
            if unit.art != key:
                continue
            if unit.dup:
                # a repeated line goes right after the line of its article printed before it
                pos = next((k for k, u in enumerate(order) if u is previous), -1) if previous else -1
                order.insert(pos + 1, unit)
            previous = unit
        headline = next(
            (
                re.sub(r"^#+\s*", "", text_of[id(u)])
                for u in order
                if u.role == Label.HEADLINE.value and not u.dup
            ),
            None,
        )
        article = articles[key]
        gold_articles.append(
            {
                "id": aid,
                "kind": article.kind,
                "headline": headline,
                "continued": article.continued,
                "order": [number[id(u)] for u in order],
            }
        )
        sources[aid] = article.source
    return {"source": source, "lines": lines, "articles": gold_articles}, sources


def render_page_traced(
    page: CorpusPage, rng: random.Random, style: RenderStyle | None = None, *, source: str | None = None
) -> tuple[str, dict[str, Any], dict[int, str | None]]:
    """Like :func:`render_page`, also returning which corpus article each gold article comes from.

    Parameters
    ----------
    page : CorpusPage
        The clean page.
    rng : random.Random
        The source of randomness.
    style : RenderStyle, optional
        Drawn with :meth:`RenderStyle.sample` when omitted.
    source : str, optional
        The gold ``source`` name; default ``<era>_<date>_<page>.txt`` (``pd1998_19980125_02.txt``).

    Returns
    -------
    text : str
        The page text.
    gold : dict
        The annotation.
    sources : dict
        Gold article id → corpus article id, ``None`` for synthesised items (notices).
    """
    style = style if style is not None else RenderStyle.sample(rng)
    source = source or f"{page.era.value}_{page.date}_{page.page:02d}.txt"

    articles: dict[int, _Article] = {}
    sequence: list[_Article] = []
    for k, corpus_article in enumerate(page.articles, 1):
        article = _plan_article(corpus_article, k, style, rng)
        if not article.units:
            continue
        if (
            article.kind == Kind.NEWS.value
            and len(article.units) == 1
            and article.units[0].role == Label.BODY.value
            and 30 <= len(article.units[0].text) <= 220
            and not _DATELINE_ANY.match(article.units[0].text)
            and not re.search(r"（[^（）]{2,12}）$", article.units[0].text)  # a news brief with its author
            and rng.random() < style.photo_synth_prob
        ):
            _photo_from_brief(article, rng, style)
        articles[k] = article
        sequence.append(article)
    if sequence:
        sequence[0].lead = True

    longs = [
        a
        for a in sequence
        if a.kind == Kind.NEWS.value and sum(u.role == Label.BODY.value for u in a.units) >= 4
    ]
    if page.page > 1 and longs and rng.random() < style.continued_prob:
        article = rng.choice(longs)
        if _make_continued(article, rng, page.page):
            longs.remove(article)
            sequence.remove(article)
            sequence.insert(rng.choice([0, len(sequence), rng.randint(0, len(sequence))]), article)
    if longs and rng.random() < style.continues_prob:
        _make_continues(rng.choice(longs), rng, page.page)

    for _ in range(len(sequence)):
        if len(sequence) > 1 and rng.random() < style.shuffle_prob / 3:
            k = rng.randrange(len(sequence) - 1)
            sequence[k], sequence[k + 1] = sequence[k + 1], sequence[k]

    next_key = max(articles, default=0) + 1
    for _ in range(style.notices):
        title, body = _synth_notice(rng, page.date)
        notice = _Article(
            key=next_key,
            kind=Kind.NOTICE.value,
            units=[_Unit(Label.HEADLINE.value, title, "headline"), _Unit(Label.BODY.value, body, tight=True)],
        )
        articles[next_key] = notice
        next_key += 1
        pos = len(sequence) if rng.random() < 0.6 else rng.randint(0, len(sequence))
        sequence.insert(pos, notice)

    # levels: the lead headline is often '#', the others '##' - and extractors are not consistent
    for article in sequence:
        level = style.lead_level if article.lead else style.headline_level
        if rng.random() < style.level_jitter:
            level = 3 - level
        article.level = level

    flat: list[_Unit] = []
    for article in sequence:
        _split_paragraphs(article, rng, style.join_prob)
        for rank, unit in enumerate(article.units):
            # a layout credit inside an article's text is page furniture: it belongs to no article
            unit.art, unit.rank = (0 if unit.role == Label.OTHER.value else article.key), rank
            unit.marked = style.heading_marks != "mixed" or rng.random() < 0.5
        flat.extend(_print_sequence(article, rng, style))

    keys = [a.key for a in sequence if len(a.units) >= 3]
    if rng.random() < style.cross_move_prob:
        _move_into_other(flat, rng, keys)
    if rng.random() < style.join_gap_prob:
        _gap_in_join(flat, rng)
    if keys and rng.random() < style.dup_prob:
        for _ in range(1 if rng.random() < 0.7 else 2):
            _repeat_run(flat, rng, keys)

    if style.furniture in ("top", "both"):
        flat.insert(0, _Unit(Label.OTHER.value, _synth_furniture(rng, page.date, page.page)))
    if style.furniture in ("bottom", "both"):
        flat.append(_Unit(Label.OTHER.value, _synth_furniture(rng, page.date, page.page)))

    return _write(flat, articles, style, rng, source)


def _marks(unit: _Unit, article: _Article | None, style: RenderStyle) -> str:
    if not unit.mark or style.heading_marks == "plain" or article is None:
        return ""
    if not unit.marked:
        return ""
    level = {
        "headline": article.level,
        "kicker": style.kicker_level,
        "deck": style.deck_level,
        "section": style.section_level,
    }.get(unit.mark, 0)
    return "#" * level + " " if level else ""


def _write(
    flat: list[_Unit], articles: dict[int, _Article], style: RenderStyle, rng: random.Random, source: str
) -> tuple[str, dict[str, Any], dict[int, str | None]]:
    out: list[str] = [""] * style.leading_blanks
    line_no: list[int] = []
    texts: list[str] = []
    kept: list[_Unit] = []
    previous: _Unit | None = None
    for unit in flat:
        body = " ".join(_convert_width(unit.text, style.width, style.half_parens).split())
        if not body:
            continue
        text = _marks(unit, articles.get(unit.art), style) + body
        if previous is not None:
            blanks = 0 if unit.tight else style.blank_lines
            if unit.art != previous.art and not unit.tight and rng.random() < style.extra_blank_prob:
                blanks = rng.choice([2, 3]) if style.blank_lines else 1
            out.extend([""] * blanks)
        out.append(text)
        line_no.append(len(out))
        texts.append(text)
        kept.append(unit)
        previous = unit
    page_text = "\n".join(out) + ("\n" if style.trailing_newline and out else "")
    gold, sources = _build_gold(kept, articles, line_no, texts, source)
    return page_text, gold, sources


def render_page(
    page: CorpusPage, rng: random.Random, style: RenderStyle | None = None
) -> tuple[str, dict[str, Any]]:
    """Render a clean corpus page as extracted page text, with its gold annotation.

    Parameters
    ----------
    page : CorpusPage
        The clean page (from :func:`segmenter.corpus.read_corpus`).
    rng : random.Random
        The source of randomness; the same state gives the same page.
    style : RenderStyle, optional
        The noise to apply; drawn with :meth:`RenderStyle.sample` from ``rng`` when omitted.

    Returns
    -------
    text : str
        The page text as an extractor would write it.
    gold : dict
        Its annotation in the format of ``gold/README.md``: ``source``, ``lines`` (every non-empty
        line with ``n``, ``text``, ``label``, ``article``, ``join``, ``dup``) and ``articles`` (``id``,
        ``kind``, ``headline``, ``continued``, ``order``). Page furniture is ``article: 0``.
    """
    text, gold, _ = render_page_traced(page, rng, style)
    return text, gold


def render_corpus(
    pages: list[CorpusPage], seed: int, copies: int = 1, one_level: float = 0.0, bold: float = 0.0
) -> list[tuple[str, dict[str, Any]]]:
    """Render every page ``copies`` times, each time in a differently drawn style.

    Deterministic for a seed: each rendering has its own generator seeded from ``seed``, the page's
    date and number and the copy index, so adding pages does not change the others.

    Parameters
    ----------
    pages : list of CorpusPage
        Clean pages (for training, only ``read_corpus(path, split="train")``).
    seed : int
        Random seed.
    copies : int
        Renderings per page.
    one_level : float, default=0.0
        Share of renderings whose ``#`` marks are then all set to one level (1–3): some extractors mark
        every heading alike, so a model must not read the level alone (a training augmentation; drawn
        from a generator of its own, so the renderings themselves do not change).
    bold : float, default=0.0
        Share of renderings whose ``#`` headings are then written in bold instead (``**标题**``), as
        some converters write every heading (also a training augmentation with a generator of its own).

    Returns
    -------
    list of (str, dict)
        ``(text, gold)`` pairs, page by page, copy by copy.
    """
    result = []
    for page in pages:
        for copy in range(copies):
            rng = random.Random(f"{seed}:{page.date}:{page.page}:{copy}")
            source = f"{page.era.value}_{page.date}_{page.page:02d}_r{copy}.txt"
            text, gold, _ = render_page_traced(page, rng, None, source=source)
            if one_level:
                levels = random.Random(f"{seed}:{page.date}:{page.page}:{copy}:levels")
                if levels.random() < one_level:
                    text = _one_level(text, levels.randint(1, 3))
            if bold and random.Random(f"{seed}:{page.date}:{page.page}:{copy}:bold").random() < bold:
                text = _each_line(text, _embolden)
            result.append((text, gold))
    return result


def _one_level(text: str, level: int) -> str:
    """Every ``#`` heading mark of a page set to ``level``."""
    return re.sub(r"(?m)^[ \t]*#{1,6}[ \t]*", "#" * level + " ", text)


# ---------------------------------------------------------------------------------------------------
# An annotated page in the form another extractor would have written it


def _each_line(text: str, edit: Any) -> str:
    return "\n".join(edit(line) for line in text.split("\n"))


def _widen(line: str) -> str:
    mark = re.match(r"^\s*#*\s*", line)
    end = mark.end() if mark else 0
    return line[:end] + to_fullwidth(line[end:])  # extractors write "#" marks in ASCII


def _embolden(line: str) -> str:
    mark = P.MD_HEADING.match(line)
    return f"**{line[mark.end():].strip()}**" if mark and line[mark.end():].strip() else line


def _printed_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.split("\n"), 1) if line.strip()]


def _reorder(
    text: str, gold: dict[str, Any], order: list[int], article: int | None = None, blank: bool = True
) -> tuple[str, dict[str, Any]]:
    """The page's non-blank lines in a new file order, gold renumbered.

    A negative number ``-n`` in ``order`` prints line ``n`` again: a ``dup`` line of ``article``.
    ``blank`` puts one blank line after each line; without it the lines follow one another.
    """
    page = text.split("\n")
    by_n = {line["n"]: line for line in gold["lines"]}
    step = 2 if blank else 1
    new_n: dict[int, int] = {}
    copies: list[dict[str, Any]] = []
    out: list[str] = []
    for k, n in enumerate(order):
        out += [page[abs(n) - 1], ""] if blank else [page[abs(n) - 1]]
        if n > 0:
            new_n[n] = step * k + 1
        else:
            copies.append(dict(by_n[-n], n=step * k + 1, dup=True))
    gold = dict(gold)
    gold["lines"] = [dict(line, n=new_n[line["n"]]) for line in gold["lines"] if line["n"] in new_n] + copies
    gold["articles"] = [
        dict(
            a,
            order=[new_n[n] for n in a.get("order", []) if n in new_n]
            + ([c["n"] for c in copies] if a["id"] == article else []),
        )
        for a in gold["articles"]
    ]
    return "\n".join(out), gold


def heads_after_bodies(text: str, gold: dict[str, Any]) -> list[tuple[int, str, dict[str, Any]]]:
    """The page once per article whose head block opens it: that block printed after the article's last line.

    Parameters
    ----------
    text, gold : str, dict
        An annotated page.

    Returns
    -------
    list of (int, str, dict)
        ``(article id, page text, gold)`` per rewritten article, its reading order unchanged.
    """
    by_n = {line["n"]: line for line in gold["lines"]}
    lines = _printed_lines(text)
    result = []
    for article in gold["articles"]:
        mine = [n for n in lines if n in by_n and by_n[n].get("article") == article["id"]]
        block = list(itertools.takewhile(lambda n: by_n[n]["label"] in _HEAD_ROLES, mine))
        body = [n for n in mine if by_n[n]["label"] == Label.BODY.value]
        if article["id"] == 0 or not block or len(body) < 2:
            continue
        rest = [n for n in lines if n not in block]
        at = rest.index(mine[-1]) + 1
        result.append((int(article["id"]), *_reorder(text, gold, rest[:at] + block + rest[at:])))
    return result


def articles_printed_twice(text: str, gold: dict[str, Any]) -> list[tuple[int, str, dict[str, Any]]]:
    """The page once per article of three lines or more: that article printed again right after itself.

    The copy's lines are gold ``dup`` lines of the same article (its text counts once); the result is
    as :func:`heads_after_bodies` gives it.
    """
    by_n = {line["n"]: line for line in gold["lines"]}
    lines = _printed_lines(text)
    result = []
    for article in gold["articles"]:
        mine = [n for n in lines if n in by_n and by_n[n].get("article") == article["id"]]
        if article["id"] == 0 or len(mine) < 3:
            continue
        at = lines.index(mine[-1]) + 1
        order = lines[:at] + [-n for n in mine] + lines[at:]
        result.append((int(article["id"]), *_reorder(text, gold, order, int(article["id"]))))
    return result


def columns_moved(text: str, gold: dict[str, Any], seed: int) -> list[tuple[int, str, dict[str, Any]]]:
    """The page once per article of five paragraphs or more: a column of it printed out of reading order.

    One or two of its paragraphs (never its first, never half of a broken one) are printed one to three
    paragraphs further down, still inside the article, as page 004 prints its lines 168–170; the gold
    keeps the reading order. The result is as :func:`heads_after_bodies` gives it.

    Parameters
    ----------
    text, gold : str, dict
        An annotated page.
    seed : int
        Random seed of the choice of paragraphs and of how far they move.
    """
    rng = random.Random(seed)
    by_n = {line["n"]: line for line in gold["lines"]}
    lines = _printed_lines(text)
    result = []
    for article in gold["articles"]:
        body = [
            n
            for n in lines
            if n in by_n
            and by_n[n].get("article") == article["id"]
            and by_n[n]["label"] == Label.BODY.value
            and not by_n[n].get("dup")
        ]
        # whole paragraphs only: neither half of one broken across columns
        whole = [n for k, n in enumerate(body) if not by_n[n].get("join") and not (k + 1 < len(body) and by_n[body[k + 1]].get("join"))]
        if article["id"] == 0 or len(body) < 5:
            continue
        starts = [k for k in range(1, len(body) - 2) if body[k] in whole and body[k + 1] in whole]
        if not starts:
            continue
        k = rng.choice(starts)
        run = body[k : k + rng.randint(1, 2)]
        after = body[min(len(body) - 1, k + len(run) + rng.randint(0, 2))]
        rest = [n for n in lines if n not in run]
        at = rest.index(after) + 1
        result.append((int(article["id"]), *_reorder(text, gold, rest[:at] + run + rest[at:])))
    return result


def _closed_runs(text: str, gold: dict[str, Any]) -> list[list[int]]:
    """The page's printed lines cut wherever no article has lines on both sides of the cut."""
    by_n = {line["n"]: line for line in gold["lines"]}
    lines = _printed_lines(text)
    owner = [by_n[n].get("article") if n in by_n else None for n in lines]
    last = {a: k for k, a in enumerate(owner)}
    runs, start, reach = [], 0, -1
    for k, a in enumerate(owner):
        reach = max(reach, last[a])
        if reach == k:
            runs.append(lines[start : k + 1])
            start = k + 1
    return runs


def _renumbered(page: int, article: int) -> int:
    """An article id unique across pages; 0 (page furniture) stays 0."""
    return 1000 * page + int(article) if article else 0


def articles_recombined(
    pages: list[tuple[str, dict[str, Any]]], seed: int, per_page: int = 6
) -> list[tuple[str, dict[str, Any]]]:
    """Annotated pages cut into runs of whole articles, the runs shuffled and printed as new pages.

    Each article gets new neighbours (a notice after a news report, a photo item at the top of a page)
    while its own lines stay as printed. A run never shares a page with a run whose headline it
    repeats: an article printed on two of the pages would be a repeat on one.

    Parameters
    ----------
    pages : list of (str, dict)
        Annotated pages.
    seed : int
        Random seed of the shuffle.
    per_page : int, default=6
        Runs per new page.

    Returns
    -------
    list of (str, dict)
        New pages and their gold (article ids ``1000 * page + id``, furniture ``0``), a blank line after
        each line.
    """
    rng = random.Random(seed)
    by_n = [{line["n"]: line for line in gold["lines"]} for _, gold in pages]

    def headlines(p: int, run: list[int]) -> set[str]:
        ids = {by_n[p][n].get("article") for n in run if n in by_n[p]}
        return {a["headline"] for a in pages[p][1]["articles"] if a["id"] in ids and a.get("headline")}

    pool = [(p, run) for p, (text, gold) in enumerate(pages) for run in _closed_runs(text, gold)]
    rng.shuffle(pool)
    # each run's headlines once: a run joins the first page with room whose runs repeat none of them
    groups: list[list[tuple[int, list[int], set[str]]]] = []
    for p, run in pool:
        mine = headlines(p, run)
        home = next((g for g in groups if len(g) < per_page and not any(mine & theirs for _, _, theirs in g)), None)
        if home is None:
            groups.append([(p, run, mine)])
        else:
            home.append((p, run, mine))
    result = []
    for k, group in enumerate(groups):
        out: list[str] = []
        lines: list[dict[str, Any]] = []
        articles: dict[int, dict[str, Any]] = {}
        for p, run, _ in group:
            page, gold = pages[p][0].split("\n"), pages[p][1]
            new_n = {}
            for n in run:
                out += [page[n - 1], ""]
                new_n[n] = len(out) - 1
                if n in by_n[p]:
                    line = by_n[p][n]
                    lines.append(dict(line, n=new_n[n], article=_renumbered(p, line.get("article", 0))))
            ids = {by_n[p][n].get("article") for n in run if n in by_n[p]}
            for a in gold["articles"]:
                if a["id"] in ids:
                    order = [new_n[n] for n in a.get("order", []) if n in new_n]
                    articles[_renumbered(p, a["id"])] = dict(a, id=_renumbered(p, a["id"]), order=order)
        source = f"recombined-{seed}-{k}.txt"
        result.append(("\n".join(out), {"source": source, "lines": lines, "articles": list(articles.values())}))
    return result


def pictures_added(text: str, gold: dict[str, Any], seed: int) -> tuple[str, dict[str, Any]]:
    """The page as a Markdown converter writes it with its pictures: an image line above each caption.

    Above the first line of each run of caption lines that is not a credit alone, a line
    ``![](images/<hex>.jpg)`` and a blank line; in the gold it is a line of the caption's article, right
    before it in reading order, labelled ``other``: it is no text.

    Parameters
    ----------
    text, gold : str, dict
        An annotated page.
    seed : int
        Random seed of the pictures' file names.

    Returns
    -------
    (str, dict)
        The page and its gold.
    """
    by_n = {line["n"]: line for line in gold["lines"]}
    page, numbers, caption = text.split("\n"), sorted(by_n), Label.CAPTION.value
    # the first line of each run of captions, unless it is a credit alone
    chosen = {
        n
        for before, n in zip([0, *numbers], numbers)
        if by_n[n]["label"] == caption and not P.is_credit(page[n - 1]) and by_n.get(before, {}).get("label") != caption
    }
    rng = random.Random(seed)
    out: list[str] = []
    new_n: dict[int, int] = {}
    pictures: dict[int, dict[str, Any]] = {}
    for n, line in enumerate(page, 1):
        if n in chosen:
            out.append(f"![](images/{rng.getrandbits(32):08x}.jpg)")
            pictures[n] = dict(by_n[n], n=len(out), text=out[-1], label=Label.OTHER.value, join=False, dup=False)
            out.append("")
        new_n[n] = len(out) + 1
        out.append(line)
    gold = dict(gold)
    gold["lines"] = [dict(line, n=new_n[line["n"]]) for line in gold["lines"]] + list(pictures.values())
    gold["articles"] = [
        dict(a, order=[m for n in a.get("order", []) for m in ((pictures[n]["n"],) if n in pictures else ()) + (new_n[n],)])
        for a in gold["articles"]
    ]
    return "\n".join(out), gold


def setext_headings(text: str, gold: dict[str, Any], rules: bool = False) -> tuple[str, dict[str, Any]]:
    """The page as a Markdown writer that underlines its headings writes it: each ``#`` heading unmarked and
    underlined (``===`` under a level-1 heading, ``---`` under a deeper one), and with ``rules`` a rule
    (``* * *`` written ``***``) between two articles, a blank line on each side. In the gold an underline
    is an ``other`` line of its heading's article, right after it; a rule one of the article above it.

    Parameters
    ----------
    text, gold : str, dict
        An annotated page.
    rules : bool, optional
        Also a rule before each article's first line after the page's first article.

    Returns
    -------
    (str, dict)
        The page and its gold.
    """
    # each article's first line, where a rule goes before it
    starts = {min(a["order"]): a["id"] for a in gold["articles"] if a.get("order")}
    by_n, page = {line["n"]: line for line in gold["lines"]}, text.split("\n")
    out: list[str] = []
    new_n: dict[int, int] = {}
    added: dict[int, dict[str, Any]] = {}  # after line n (or before it: a rule), its new line
    previous = 0  # the article of the last line printed
    for n, line in enumerate(page, 1):
        item = by_n.get(n)
        if rules and n in starts and previous and starts[n] != previous:
            out += ["***", ""]
            added[-n] = dict(by_n[n], n=len(out) - 1, text="***", label=Label.OTHER.value, article=previous, join=False, dup=False)
        mark = P.MD_HEADING.match(line)
        if mark and item is not None and line[mark.end():].strip():
            out.append(line[mark.end():].strip())
            new_n[n] = len(out)
            out.append("=" * 6 if len(mark.group(1)) == 1 else "-" * 6)
            added[n] = dict(item, n=len(out), text=out[-1], label=Label.OTHER.value, join=False, dup=False)
        else:
            out.append(line)
            new_n[n] = len(out)
        if item is not None:
            previous = item["article"] or previous
    gold = dict(gold)
    lines = [dict(line, n=new_n[line["n"]], text=out[new_n[line["n"]] - 1]) for line in gold["lines"]]
    gold["lines"] = lines + list(added.values())
    orders = {a["id"]: [m for n in a.get("order", []) for m in (new_n[n], *((added[n]["n"],) if n in added else ()))] for a in gold["articles"]}
    for key, rule in added.items():
        if key < 0:
            orders[rule["article"]].append(rule["n"])
    gold["articles"] = [dict(a, order=orders[a["id"]]) for a in gold["articles"]]
    return "\n".join(out), gold


#: running heads and foot lines of other papers and layouts than the renderer's (``_synth_furniture``)
_HEADS_ABOVE = (
    ("2026年1月26日 星期一", "第2版 要闻"),
    ("人民日报", "2026年1月26日　星期一　第３版"),
    ("新华每日电讯 2026年1月26日",),
    ("要闻 2", "2026年1月26日 星期一"),
)
_LINES_BELOW = (("本版责编：王珏 ｜ 版式设计：沈亦伶",), ("责任编辑：张三",), ("电子信箱：yaowen@people.cn",), ())


def running_heads_added(text: str, gold: dict[str, Any], form: int) -> tuple[str, dict[str, Any]]:
    """The page with the running heads and foot lines a whole-page extractor keeps: one or two lines above the
    first article (a paper's name, a date, a page's number and section) and one below the last (the editors,
    a mail box), each a blank line apart; in the gold they are ``other`` lines of no article.

    Parameters
    ----------
    text, gold : str, dict
        An annotated page.
    form : int
        Which of four layouts of head and foot lines.

    Returns
    -------
    (str, dict)
        The page and its gold.
    """
    above, below = _HEADS_ABOVE[form % 4], _LINES_BELOW[form % 4]
    page = text.split("\n")
    out = [t for line in above for t in (line, "")]
    shift = len(out)
    out += page
    furniture = [dict(n=2 * k + 1, text=line) for k, line in enumerate(above)]
    for line in below:
        out += ["", line]
        furniture.append(dict(n=len(out), text=line))
    gold = dict(gold)
    other = dict(label=Label.OTHER.value, article=0, join=False, dup=False)
    gold["lines"] = [dict(line, n=line["n"] + shift) for line in gold["lines"]] + [dict(other, **f) for f in furniture]
    gold["articles"] = [dict(a, order=[n + shift for n in a.get("order", [])]) for a in gold["articles"]]
    return "\n".join(out), gold


def printed_lines(text: str, gold: dict[str, Any], measure: int, blank: bool) -> tuple[str, dict[str, Any]]:
    """The page as an OCR engine that keeps printed lines writes it: every line cut at a column's measure.

    Each line (its Markdown marks dropped) is cut into lines of at most ``measure`` full-width characters
    (a Latin letter or a digit is half of one); the parts after the first are lines of their own with
    ``join`` set in the gold. Headlines are cut like the text: the page keeps no sizes.

    Parameters
    ----------
    text, gold : str, dict
        An annotated page.
    measure : int
        Full-width characters in a printed line.
    blank : bool
        A blank line after each of the page's lines (an engine that marks paragraphs), or none.

    Returns
    -------
    (str, dict)
        The page and its gold.
    """
    from .reflow import width

    page = text.split("\n")
    by_n = {line["n"]: line for line in gold["lines"]}
    out: list[str] = []
    new_n: dict[int, list[int]] = {}
    for n in sorted(by_n):
        parts, cells = [""], 0
        for ch in P.strip_markdown(page[n - 1]).strip():
            w = width(ch)
            if cells + w > 2 * measure:
                parts.append("")
                cells = 0
            parts[-1] += ch
            cells += w
        new_n[n] = list(range(len(out) + 1, len(out) + len(parts) + 1))
        out += parts + ([""] if blank else [])
    gold = dict(gold)
    gold["lines"] = [
        dict(line, n=m, text=out[m - 1], join=line.get("join", False) or k > 0)
        for line in gold["lines"]
        for k, m in enumerate(new_n[line["n"]])
    ]
    gold["articles"] = [dict(a, order=[m for n in a.get("order", []) for m in new_n[n]]) for a in gold["articles"]]
    return "\n".join(out), gold


def paragraphs_broken(text: str, gold: dict[str, Any], share: float, seed: int) -> tuple[str, dict[str, Any]]:
    """The page with a share of its body paragraphs broken in two where a column would end.

    Each chosen line (over 40 characters, not a repeat) is cut at 30–70 % of its length; the second part
    becomes a line of its own with ``join`` set in the gold, right after the first in reading order.

    Parameters
    ----------
    text, gold : str, dict
        An annotated page.
    share : float
        Share of the eligible body lines to break.
    seed : int
        Random seed of the choice of lines and cut points.

    Returns
    -------
    (str, dict)
        The page and its gold.
    """
    rng = random.Random(seed)
    page = text.split("\n")
    by_n = {line["n"]: line for line in gold["lines"]}
    eligible = sorted(
        n for n, line in by_n.items() if line["label"] == Label.BODY.value and not line.get("dup") and len(page[n - 1]) > 40
    )
    chosen = set(rng.sample(eligible, round(len(eligible) * share)))
    out: list[str] = []
    new_n: dict[int, int] = {}
    heads: dict[int, str] = {}
    tails: dict[int, dict[str, Any]] = {}
    for n, line in enumerate(page, 1):
        new_n[n] = len(out) + 1
        if n in chosen:
            cut = rng.randint(int(len(line) * 0.3), int(len(line) * 0.7))
            heads[n] = line[:cut]
            out += [line[:cut], ""]
            tails[n] = dict(by_n[n], n=len(out) + 1, text=line[cut:], join=True)
            out.append(line[cut:])
        else:
            out.append(line)
    gold = dict(gold)
    gold["lines"] = [
        dict(line, n=new_n[line["n"]], **({"text": heads[line["n"]]} if line["n"] in heads else {}))
        for line in gold["lines"]
    ] + list(tails.values())
    gold["articles"] = [
        dict(a, order=[m for n in a.get("order", []) for m in (new_n[n], *([tails[n]["n"]] if n in tails else []))])
        for a in gold["articles"]
    ]
    return "\n".join(out), gold


#: forms an annotated page can be rewritten in, with its gold kept in step
RESTYLES: tuple[str, ...] = (
    "no-marks", "one-level-1", "one-level-3", "bold", "full-width", "half-width", "no-blank-lines", "plain",
    "ocr-spaced", "closing-marks", "bulleted",
)

#: Where an OCR engine that spaces Chinese text sets a space: beside every wide character
_SPACE_AT = re.compile(f"(?<=[{WIDE}])(?=\\S)|(?<=\\S)(?=[{WIDE}])")


def _close_heading(line: str) -> str:
    mark = P.MD_HEADING.match(line)
    return f"{line.rstrip()} {mark.group(1)}" if mark and line[mark.end():].strip() else line


def _space_out(line: str) -> str:
    return _SPACE_AT.sub(" ", line)


def restyle_page(text: str, gold: dict[str, Any], style: str) -> tuple[str, dict[str, Any]]:
    """Rewrite an annotated page as another extractor would have written it, with its gold in step.

    Parameters
    ----------
    text, gold : str, dict
        The page and its annotation.
    style : str
        One of :data:`RESTYLES`: ``no-marks`` drops the ``#`` heading marks, ``one-level-K`` sets them
        all to ``K`` marks, ``bold`` writes each marked heading in bold instead (``**标题**``),
        ``full-width`` and ``half-width`` convert digits, letters and punctuation,
        ``no-blank-lines`` drops the blank lines (renumbering the gold), ``plain`` drops both the marks
        and the blank lines, ``ocr-spaced`` drops the marks and sets a space beside every Chinese character
        (as some OCR engines write a page), ``closing-marks`` closes each marked heading with its marks
        (``## 标题 ##``), ``bulleted`` writes every unmarked line as a list item (``- 正文``).

    Returns
    -------
    (str, dict)
        The rewritten page and its gold.

    Examples
    --------
    >>> restyle_page("## 标题\\n\\n正文。", {"lines": [], "articles": []}, "plain")[0]
    '标题\\n正文。'
    """
    if style == "no-marks":
        return _each_line(text, lambda line: P.MD_HEADING.sub("", line, count=1)), gold
    if style.startswith("one-level-") and style[len("one-level-") :] in ("1", "2", "3", "4", "5", "6"):
        return _one_level(text, int(style[len("one-level-") :])), gold
    if style == "bold":
        return _each_line(text, _embolden), gold
    if style == "full-width":
        return _each_line(text, _widen), gold
    if style == "half-width":
        return _each_line(text, to_halfwidth), gold
    if style == "no-blank-lines":
        return _reorder(text, gold, _printed_lines(text), blank=False)
    if style == "plain":
        return restyle_page(restyle_page(text, gold, "no-marks")[0], gold, "no-blank-lines")
    if style == "closing-marks":
        return _each_line(text, _close_heading), gold
    if style == "bulleted":
        return _each_line(text, lambda line: f"- {line}" if line.strip() and not P.MD_HEADING.match(line) else line), gold
    if style == "ocr-spaced":
        return _each_line(restyle_page(text, gold, "no-marks")[0], _space_out), gold
    raise ValueError(f"unknown style {style!r}; choose one of {', '.join(RESTYLES)}")
