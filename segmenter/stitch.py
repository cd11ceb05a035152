"""The stitcher: group labelled lines into articles.

It works on line indices and never drops one: every line ends in exactly one :class:`Draft` (an article)
or in the page's leftovers. Steps, in order:

1. :func:`segment` walks the page once and opens an article at each headline block, at a hard break
   (a closing dateline, a photo credit, a sign-off, a wide blank gap, ``（上接第X版）``, a
   dateline-opened paragraph that starts a brief, a caption that opens a photo item, a paragraph the
   break model of :mod:`segmenter.breaks` finds about something else), attaching everything else to the
   open article;
2. :func:`merge_fragments` puts back what the walk split off wrongly: a headline block with no body
   after it, or over text it does not match, heads the body printed just before it; a headless run whose
   text the page already printed, or that continues an unfinished sentence of another article, goes to
   that article, and so does a run at the end of an article that an earlier one already printed;
3. :func:`order_article` restores each article's reading order: head lines first, repeated text marked
   ``dup``, and a paragraph broken at a column end joined to the line that continues it, which it looks
   for among the next few lines (a moved column), by sentence continuity and words that cross the break.
"""

from __future__ import annotations

import itertools
import logging
import re
import statistics
from collections import Counter
from collections.abc import Callable, Sequence, Set as AbstractSet
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from . import patterns as P
from .facts import BODY as _BODY, BYLINE as _BYLINE, CAPTION as _CAPTION, DATELINE as _DATELINE
from .facts import HEADLINE as _HEADLINE, OTHER as _OTHER, SECTION as _SECTION, SUBHEAD as _SUBHEAD
from .facts import Kept, Memo, PageFacts
from .lines import Line

if TYPE_CHECKING:
    import numpy as np

    from .breaks import BreakModel

logger = logging.getLogger(__name__)


HEAD = frozenset({_HEADLINE, _SUBHEAD, _BYLINE})
TEXT = frozenset({_BODY, _SECTION, _CAPTION})
#: how far ahead a broken paragraph looks for its continuation (lines of the same article)
JOIN_WINDOW = 6
#: a headless run is a copy of another article when this share of its text already stands there
DUP_SHARE = 0.8
#: … or when this many of its substantial paragraphs already stand there
DUP_LINES = 2
#: share of a headed text's paragraphs (or :data:`HEADED_TEXT_REPEAT` of its text) the page printed before
#: for it to be a heading printed again with its paragraphs
HEADED_REPEAT = 0.2
HEADED_TEXT_REPEAT = 0.5
#: a line stands in a text already when this share of its 4-grams does
LINE_REPEAT = 0.9
#: the shortest line (in characters) that counts as a repeat of text printed before
REPEAT_MIN = 8
#: containment checks are quadratic in an article's size; above this many characters, or lines, only exact
#: repeats count
MAX_CONTAINMENT_CHARS = 300_000
MAX_CONTAINMENT_LINES = 2_000
#: an extractor repeats text near where it first printed it: repeats are looked for among this many
#: articles before, which keeps the pass linear on a page of thousands of articles
REPEAT_WINDOW = 12
#: a body printed before its head block is the tail of the previous article: cuts among its last lines
HEAD_AFTER_WINDOW = 80
#: a headline that shares less than this of its character pairs with the text under it does not head it …
FOREIGN_LEAD = 0.2
#: … and heads the text printed before it when it shares at least this much with that text's lead
OWN_LEAD = 0.5
#: characters no heading opens with ("’97…" does: the apostrophe of a year)
_NO_HEAD_OPENS = P.NON_OPENING - {"’"}
#: cutting a headed article in two needs the moved head to match the lead after the cut clearly
CUT_PENALTY = 0.2
#: lines of another article an extractor prints inside one (a moved column), at most
MOVED_RUN = 3
#: headline similarity that gives a head block the headless text after the few lines it sits over
MOVED_LEAD = 0.3


@dataclass
class Draft:
    """An article under construction: line indices and what the stitcher learnt about them."""

    members: list[int] = field(default_factory=list)
    closed: bool = False
    #: closed by a photo credit after its text: in a modern feature the text may go on under the picture
    by_credit: bool = False
    continued: bool = False
    dup: set[int] = field(default_factory=set)
    join: set[int] = field(default_factory=set)
    # running tallies for the first pass, which must not rescan an article at every line
    counts: Counter[str] = field(default_factory=Counter, repr=False)
    seen: set[str] = field(default_factory=set, repr=False)
    dated: bool = False
    #: whether a headline or kicker came, and a byline or caption after one (:func:`_head_done`), over the
    #: first ``tallied`` members, the last of them ``last_tallied``
    titled: bool = field(default=False, repr=False)
    head_complete: bool = field(default=False, repr=False)
    tallied: int = field(default=0, repr=False)
    last_tallied: int = field(default=-1, repr=False)

    def add(self, i: int, label: str, key: str, dated: bool = False) -> None:
        """Append line ``i`` (first pass), keeping the tallies."""
        members = self.members
        fresh = self.tallied == len(members) and (not members or members[-1] == self.last_tallied)
        members.append(i)
        self.by_credit = False  # only the line right after the credit is asked about
        self.counts[label] += 1
        self.seen.add(key)
        self.dated |= dated and label == _BODY
        if fresh:
            self.tallied, self.last_tallied = len(members), i
            if label == _HEADLINE or label == _SUBHEAD:
                self.titled = True
            elif self.titled and (label == _BYLINE or label == _CAPTION):
                self.head_complete = True

    def head(self, labels: Sequence[str]) -> list[int]:
        return [i for i in self.members if labels[i] in HEAD]

    def text_lines(self, labels: Sequence[str]) -> list[int]:
        return [i for i in self.members if labels[i] in TEXT]

    def has_headline(self, labels: Sequence[str]) -> bool:
        return any(labels[i] == _HEADLINE for i in self.members)


@dataclass
class Stitched:
    """The stitcher's result: articles in reading order and the leftover line indices."""

    articles: list[Draft]
    leftovers: list[int]
    #: the labels after the stitcher's corrections (a line above a byline becomes a headline, …)
    labels: list[str]
    #: the dateline each line opens with (:attr:`segmenter.facts.PageFacts.dateline`), for the records; the
    #: rest of the page's facts is let go with the stitcher (memory on a long page)
    datelines: list[str | None] | None = field(default=None, repr=False, compare=False)


def _key(text: str) -> str:
    """Comparison form of a line: NFKC, no Markdown marks, no whitespace."""
    return "".join(P.norm(P.strip_markdown(text)).split())


def line_keys(lines: Sequence[Line]) -> list[str]:
    """Comparison form (:func:`_key`) of each line of a page."""
    return [_key(line.text) for line in lines]


def _gap_limit(lines: Sequence[Line]) -> int:
    """Blank lines between two lines that mean a break between articles on this page."""
    gaps = [b.n - a.n - 1 for a, b in zip(lines, lines[1:]) if b.n != a.n]
    usual = int(statistics.median(gaps)) if gaps else 1
    return max(2, usual + 1)


def segment(
    lines: Sequence[Line],
    labels: Sequence[str],
    keys: Sequence[str] | None = None,
    breaks: Callable[[Draft, int], bool] | None = None,
    head_opens: AbstractSet[int] = frozenset(),
    facts: PageFacts | None = None,
) -> tuple[list[Draft], list[int]]:
    """First pass: split the page into article drafts in file order.

    Parameters
    ----------
    lines : sequence of Line
        The page's non-empty lines.
    labels : sequence of str
        Their labels.
    keys : sequence of str, optional
        Each line's comparison form (:func:`line_keys`); computed when not given.
    breaks : callable, optional
        ``breaks(draft, i)``: whether paragraph ``i`` after the draft's paragraph opens a new article,
        asked where no rule has decided (:meth:`segmenter.breaks.BreakModel.for_page`).
    head_opens : set of int, optional
        Lines where the head model decided that a head run opens an article (:mod:`segmenter.heads`).
    facts : PageFacts, optional
        The page's line facts (:class:`segmenter.facts.PageFacts`); computed when not given.

    Returns
    -------
    drafts : list of Draft
    leftovers : list of int
        Indices of ``other`` lines.
    """
    drafts: list[Draft] = []
    leftovers: list[int] = []
    cur: Draft | None = None
    limit = _gap_limit(lines)
    n = len(lines)
    F = facts if facts is not None else PageFacts(lines)
    keys = F.key if keys is None else keys

    def new() -> Draft:
        draft = Draft()
        drafts.append(draft)
        return draft

    for i in range(n):
        line = lines[i]
        label = labels[i]
        if label == _BODY and _title_over_a_dated_lead(F, labels, i):
            # "2025年全国机动车达4.69亿辆" over "新华社北京1月26日电 …": digits made it read as text
            label = labels[i] = _HEADLINE
        if label != _OTHER and _running_head(F, i):
            # "第3版 要闻", "责任编辑：王某", "3" at the top or the foot of the page: furniture, whatever it read as
            label = labels[i] = _OTHER
        if label == _OTHER and not P.FURNITURE.search(F.norm[i]) and (
            _photo_title(F, labels, i) or _title_at_an_edge(F, labels, i, cur)
        ):
            # a title at the top or the foot of the page, where running heads and page numbers are printed
            label = labels[i] = _HEADLINE
        if label == _OTHER:
            leftovers.append(i)
            continue
        if (label == _BODY or _name_not_under_a_title(F, labels, i)) and _photo_title(F, labels, i):
            # "腊八到 粥飘香" over a caption: the photo item's title, however the classifier read it
            label = labels[i] = _HEADLINE
        wide_gap = i > 0 and line.n - lines[i - 1].n - 1 >= limit
        if label in HEAD and keys[i][:1] in _NO_HEAD_OPENS:
            # "、入境消费等…": a line that opens with a character no heading opens with carries on a paragraph
            label = labels[i] = _BODY
        if label in HEAD and i + 1 < n and keys[i + 1][:1] in _NO_HEAD_OPENS and lines[i + 1].n - line.n - 1 < limit:
            # "…他说" over "，现在的农村…": the next line finishes its sentence, so it is no heading
            label = labels[i] = _BODY
        if label in HEAD and P.CONTINUED_TO.search(keys[i]):
            # "…金牌“零”的突(下转第十版)": only text runs on to another page, never a heading
            label = labels[i] = _BODY
        if label in (_BYLINE, _SECTION, _BODY) and _notice_title(F, i):
            # "某拍卖有限公司 拍卖公告" names its issuer the way a byline names a reporter, but it is a title
            label = labels[i] = _HEADLINE
        if label == _BYLINE and F.credit[i]:
            # "(王尽彦摄于乌干达)" names a photographer: a credit, not an author
            label = labels[i] = _CAPTION
        if label in (_HEADLINE, _SECTION, _BYLINE) and cur is not None and _in_verse(
            cur, F, labels, i
        ):
            # "听涛声奔泻大海", "闯三峡" between short lines of a poem: lines of the poem, not a heading or a name
            label = labels[i] = _BODY
        if label == _BYLINE and cur is not None and not cur.closed and _signs_off(F.norm_strip[i], cur):
            # "（邹蓬 王国平）" after the text: the writers sign off the article they end
            cur.add(i, label, keys[i])
            cur.closed = True
            continue
        if label in HEAD:
            has_text = cur is not None and any(cur.counts[t] for t in TEXT)
            if (
                cur is None
                or cur.closed
                or wide_gap
                or i in head_opens
                or (label == _HEADLINE and _notice_title(F, i))
            ):
                # a notice's title is never a section of the text above it
                cur = new()
            elif label == _HEADLINE and has_text and _marked_like_a_section(cur, F, labels, i):
                # "## 云南汽笛催春到客商翩翩来" after "## 广西…" and "## 贵州…" sections: the next one
                label = labels[i] = _SECTION
                cur.add(i, label, keys[i])
                continue
            elif label == _HEADLINE and has_text and _section_unrestated(cur, F, labels, keys, i):
                label = labels[i] = _SECTION
                cur.add(i, label, keys[i])
                continue
            elif label == _HEADLINE and _head_done(cur, labels) and not (
                _section_in_series(cur, F, labels, i, i + 1)  # (the article has a section: it has text)
                and _similarity(keys[i], keys[i + 1][: max(20, 2 * len(keys[i]))]) < OWN_LEAD
            ):
                # a headline after a complete head block (it has its byline, or a credit) opens the next
                # article, unless it is the plain next head of a sectioned text whose paragraph does not
                # open by restating it, as a new report's lead does (an intertitle's paragraph may share
                # its words further on)
                cur = new()
            elif has_text:
                # a byline or deck alone inside body text is more likely part of it than a new article
                j = i
                while j < min(n, i + 8) and labels[j] in HEAD:
                    j += 1
                run = [labels[k] for k in range(i, j)]
                if _section_in_series(cur, F, labels, i, j):
                    if label != _BYLINE:
                        label = labels[i] = _SECTION
                    cur.add(i, label, keys[i])
                    continue
                opens = (
                    _HEADLINE in run
                    or (j < n and F.dateline[j] is not None)
                    or (len(run) >= 2 and _SUBHEAD in run)
                )
                prev = cur.members[-1]
                decks_only = _HEADLINE not in run and all(
                    P.DECK.match(F.normed[k])
                    for k in range(i, j)
                    if labels[k] == _SUBHEAD
                )
                # a head block of decks ("——流动中的乡情和亲情") and bylines, or a byline alone under an
                # unfinished short "paragraph": the line above was the headline
                heads_prev = (opens and decks_only) or (not opens and label == _BYLINE)
                if heads_prev and _headline_like(F.plain[prev], labels[prev]):
                    cur.counts[labels[prev]] -= 1
                    labels[prev] = _HEADLINE
                    cur.members.pop()
                    cur = new()
                    cur.add(prev, labels[prev], keys[prev])
                elif opens:
                    if _HEADLINE not in run:
                        _promote_headline(range(i, j), F, labels)
                    cur = new()
                elif (
                    run == [_BYLINE]
                    and not cur.counts[_HEADLINE]
                    and cur.dated
                    and P.ends_sentence(keys[prev])
                    and F.byline[i]
                ):
                    # "新华社记者 王雷鸣" after a finished dated brief: the writer of the next item
                    cur = new()
            cur.add(i, labels[i], keys[i])
            continue
        starts_dateline = F.dateline[i] is not None
        continued = F.continued_from[i]
        if label == _DATELINE:
            if cur is None or (cur.closed and not _only_head(cur) and not _closing_dateline(cur, F.norm_strip[i], labels)):
                cur = new()
            elif _closes_next_brief(cur, F, labels, i):
                # "新华社长沙…电 湖南省…" then "云南省…" and "（新华社昆明…电）": the closing dateline and the
                # paragraph it closes are the next brief of a headless run
                last = cur.members.pop()
                cur.counts[labels[last]] -= 1
                cur = new()
                cur.add(last, labels[last], keys[last])
            cur.add(i, label, keys[i])
            if any(cur.counts[t] for t in TEXT):
                cur.closed = True
            continue
        # body, section, caption
        asked = False
        if cur is not None and cur.by_credit and breaks is not None and label in _ASKED and not (wide_gap or continued):
            # a credit after the text ends a photo brief, or credits a picture in the middle of a feature:
            # the break model says which; where the text goes on, the rules below still see the step
            cur.by_credit, asked = False, True
            cur.closed = breaks(cur, i)
        later_picture = label == _CAPTION and P.LATER_PICTURE.match(F.norm[i]) is not None
        picture_label = label == _CAPTION and P.PICTURE_LABEL.match(F.normed[i])
        if later_picture and cur is not None and not wide_gap and _has_pictures(cur, F, labels):
            cur.closed = False  # "2、图为…" after the first picture and its credit: the same set, its credit to come
        elif label == _CAPTION and cur is not None and cur.closed and not wide_gap and _note_on_credit(
            cur, F, labels, i
        ):
            pass  # "（传真照片）" or a second photographer's credit under a credit: the same pictures
        elif picture_label and cur is not None and not wide_gap and labels[cur.members[-1]] == _BODY:
            cur.closed = False  # "图片：" after the writers' sign-off: the pictures of the article it signs off
        elif cur is None or cur.closed or wide_gap:
            cur = new()
        elif label == _BODY and _photo_item_done(cur, F, labels, keys, i):
            cur = new()  # a photo item (headline, captions, credit), then a brief about something else
        elif continued:
            cur = new()
        elif (
            starts_dateline
            and label == _BODY
            and _opened(cur, F.dateline[i] or "")
            and keys[i] not in cur.seen
            and labels[cur.members[-1]] != _SECTION  # a section may introduce its own dateline
            and _opens_brief(cur, F, i)
        ):
            cur = new()
        elif (
            breaks is not None
            and label in _ASKED
            and labels[cur.members[-1]] in _ASKED
            and (label == labels[cur.members[-1]] == _BODY or _caption_step(cur, F, labels, i))
            and not cur.continued  # "（上接第五版）…": the tail of a long article runs to the next head block
            and not asked
            and breaks(cur, i)
        ):
            cur = new()  # the break model: this paragraph is about something else (a headless brief)
        elif label == _CAPTION and _caption_after_body(cur, F, labels, i):
            if _photo_lead(cur, F, labels):
                lead = cur.members.pop()
                cur.counts[labels[lead]] -= 1
                cur = new()
                cur.add(lead, labels[lead], keys[lead])
            else:
                cur = new()
        if continued:
            cur.continued = True
        cur.add(i, label, keys[i], starts_dateline)
        if label == _CAPTION and F.credit[i] and not picture_label and _credit_closes(cur, labels):
            # a credit ends a photo item; right under a headline it is the article's own picture
            cur.closed = True
            cur.by_credit = cur.counts[_BODY] >= 2
        elif label == _BODY and P.SIGN_OFF.search(F.norm[i]):
            # "……。（孟西安）", "（完）": the writer's sign-off ends the article
            cur.closed = True
    return drafts, leftovers


#: the steps the break model is asked about: from text to text, captions read for paragraphs included
_ASKED = (_BODY, _CAPTION)


def _caption_step(draft: Draft, facts: PageFacts, labels: Sequence[str], i: int) -> bool:
    """Whether a step to or from a caption is one the break model may cut: not to a credit or to the
    next numbered picture of a set ("2、…"), which belong to the picture above, and not to a caption
    under a headline (a titled photo item prints several)."""
    t = facts.plain[i]
    if facts.plain_credit[i] or P.FIRST_PICTURE.match(t) or P.LATER_PICTURE.match(t):
        return False
    return labels[i] != _CAPTION or not draft.counts[_HEADLINE]


#: the longest line of verse: a poem prints short lines one after another
VERSE_LINE = 16


def _verse_line(facts: PageFacts, i: int) -> bool:
    return 0 < len(facts.plain[i]) <= VERSE_LINE and not facts.level[i]


def _in_verse(draft: Draft, facts: PageFacts, labels: Sequence[str], i: int) -> bool:
    """Whether line ``i`` sits inside a poem: the draft's last three lines and the next line are short
    unmarked lines of text, as verse prints them (a heading sits between paragraphs)."""
    last = draft.members[-3:]
    if len(last) < 3 or draft.closed or not _verse_line(facts, i):
        return False
    if facts.norm[i].rstrip()[-1:] == ")":
        return False  # "国泰民安(篆刻)": the title of a work printed after the poem
    if any(labels[k] != _BODY or not _verse_line(facts, k) for k in last):
        return False
    if i + 1 >= len(labels) or labels[i + 1] not in (_BODY, _BYLINE):
        return False
    # a writer's byline ("新华社记者 王松") or a dateline under it: a headline after a notice's short lines
    return _verse_line(facts, i + 1) and not facts.byline[i + 1] and facts.dateline[i + 1] is None


def _running_head(facts: PageFacts, i: int) -> bool:
    """A short line at the page's top or foot that names a page, a weekday or the editors."""
    if 0 < i < len(facts.lines) - 1:
        return False
    t = facts.plain[i]
    return len(t) <= 30 and P.RUNNING_HEAD.search(t) is not None and not P.CONTINUED_FROM.match(t) and not P.CONTINUED_TO.search(t)


def _title_at_an_edge(facts: PageFacts, labels: Sequence[str], i: int, cur: Draft | None) -> bool:
    """A short line read as page furniture that names no page, date or editor: a title at the page's edge.

    At the top it heads the text under it; at the foot it is the head block of the headless text above
    it, printed after its body.
    """
    t = facts.plain[i]
    if not t or len(t) > 40 or P.ends_sentence(t):
        return False
    if i == 0:
        return len(labels) > 1 and labels[1] in (_BODY, _BYLINE, _SUBHEAD)
    if i == len(labels) - 1:
        return cur is not None and not cur.has_headline(labels) and any(labels[k] in TEXT for k in cur.members)
    return False


def _title_over_a_dated_lead(facts: PageFacts, labels: Sequence[str], i: int) -> bool:
    """A short unfinished line, after a finished one, right over a paragraph that opens with a dateline.

    Half of a broken paragraph is never followed by a wire report's opening, and the end of one finishes
    its sentence: such a line heads the report.
    """
    # the cheap conditions first (all are pure): most lines fail one before a pattern is matched
    if i + 1 >= len(labels) or labels[i + 1] != _BODY:
        return False
    t = facts.plain[i]
    if not t or len(t) > 30 or P.ends_sentence(t) or not _after_a_finished_line(facts, labels, i):
        return False
    return P.find_dateline(facts.norm[i + 1]) is not None and facts.plain_dateline[i] is None


def _notice_title(facts: PageFacts, i: int) -> bool:
    """A notice's title (``拍卖公告``) over a paragraph, not a notice's closing ``特此公告``."""
    return facts.plain_notice_title[i] and not facts.plain[i].startswith("特此") and i + 1 < len(facts.lines)


def _name_not_under_a_title(facts: PageFacts, labels: Sequence[str], i: int) -> bool:
    """A line read as a byline that names no reporter and sits under no title: it may be a title itself."""
    if labels[i] != _BYLINE or facts.byline[i]:
        return False
    return i == 0 or labels[i - 1] not in (_HEADLINE, _SUBHEAD)


def _after_a_finished_line(facts: PageFacts, labels: Sequence[str], i: int) -> bool:
    """Line ``i`` opens the page or follows something other than a paragraph still running."""
    return i == 0 or labels[i - 1] != _BODY or P.ends_sentence(facts.norm[i - 1])


def _photo_title(facts: PageFacts, labels: Sequence[str], i: int) -> bool:
    """A short unfinished "paragraph" right over a photo's caption is the photo item's title."""
    if i + 1 >= len(labels) or labels[i + 1] != _CAPTION:
        return False
    t = facts.plain[i]
    if not t or len(t) > 20 or P.ends_sentence(t) or facts.plain_dateline[i] is not None or facts.plain_credit[i]:
        return False
    return _after_a_finished_line(facts, labels, i)


def _photo_lead(draft: Draft, facts: PageFacts, labels: Sequence[str]) -> bool:
    """Whether the draft's last paragraph is the lead of the photo item whose caption comes next.

    A photo item prints a short report and then its caption; with no blank line or headline between it
    and the article above, only the report's opening tells: a lead names its time early
    (``南非…部长…日前表示``) after a paragraph that ended its sentence.
    """
    if len(draft.members) < 4:
        return False
    last, before = draft.members[-1], draft.members[-2]
    if labels[last] != _BODY or labels[before] not in TEXT:
        return False
    if facts.norm[before].rstrip()[-1:] not in P.SENTENCE_END:
        return False
    return P.LEAD_TIME.match(facts.norm[last]) is not None


def _has_pictures(draft: Draft, facts: PageFacts, labels: Sequence[str]) -> bool:
    """Whether the draft's last lines show a picture: a caption, or a text opening with ``1、`` / ``△上``."""
    for i in draft.members[-3:]:
        text = facts.norm[i]
        if labels[i] == _CAPTION or P.CAPTION_START.match(text) or P.FIRST_PICTURE.match(text):
            return True
    return False


def _note_on_credit(draft: Draft, facts: PageFacts, labels: Sequence[str], i: int) -> bool:
    """A short bracketed line (``（传真照片）``, ``（罗伟 摄）``) right under a photo credit adds to that credit."""
    last = draft.members[-1] if draft.members else None
    if last is None or labels[last] != _CAPTION or not facts.credit[last]:
        return False
    return _bracketed(facts.norm_strip[i])


def _closing_dateline(draft: Draft, text: str, labels: Sequence[str]) -> bool:
    """A bracketed dateline after an article closed by its writers' names or a photo credit closes it too
    (``text``: the dateline line, normalised and stripped)."""
    if not draft.members or labels[draft.members[-1]] == _DATELINE:
        return False
    if not any(draft.counts[t] for t in TEXT):
        return False
    return text.startswith("(")


def _closes_next_brief(draft: Draft, facts: PageFacts, labels: Sequence[str], i: int) -> bool:
    """Whether a bracketed closing dateline closes only the draft's last paragraph: the draft is headless,
    and the paragraph before that one opened with a dateline of its own (one brief, then the next); or
    the paper's own ``本报讯`` opened the draft, and a report so opened never closes with a dateline."""
    if draft.closed or len(draft.members) < 2:
        return False
    if not facts.norm_strip[i].startswith("("):
        return False
    before, last = draft.members[-2:]
    if labels[before] != _BODY or labels[last] != _BODY:
        return False
    if facts.dateline[last] is not None:
        return False
    if draft.counts[_HEADLINE]:
        # "本报讯 …" opened the article: the paper's own report carries no closing dateline
        first = next((k for k in draft.members if labels[k] == _BODY), None)
        return first is not None and first != last and (facts.dateline[first] or "").endswith("讯")
    return facts.dateline[before] is not None


def _short_bracketed(text: str) -> bool:
    """A line that is all one bracketed note of at most 30 characters: ``（邹蓬 王国平）``, ``（传真照片）``."""
    return _bracketed(P.norm(text).strip())


def _bracketed(t: str) -> bool:
    """:func:`_short_bracketed` of a line already normalised and stripped."""
    return t.startswith("(") and t.endswith(")") and len(t) <= 30


def _signs_off(text: str, draft: Draft) -> bool:
    """A bracketed name line (normalised and stripped) right after an article's text."""
    return bool(draft.counts[_BODY]) and _bracketed(text)


def _only_head(draft: Draft) -> bool:
    return sum(draft.counts[h] for h in HEAD) == len(draft.members)


def _opened(draft: Draft, dateline: str) -> bool:
    """Whether a dateline-opened paragraph starts a new brief: the draft already had its own opening
    dateline, or already runs several paragraphs (an editor's note or a caption may precede a dateline);
    two for the paper's own ``本报讯``, which opens a report and never a later part of one."""
    return draft.counts[_BODY] >= (2 if dateline.endswith("讯") else 3) or draft.dated


def _section_in_series(draft: Draft, facts: PageFacts, labels: Sequence[str], i: int, j: int) -> bool:
    """A lone plain headline between body lines of an article that already has a section is its next section.

    Long articles print several section heads; once one is known, another short head line with no
    Markdown mark, no byline and no dateline under it is far likelier the next section than a new article
    — unless a caption follows within the two lines after its paragraph: a photo item's title over its
    picture's text. A byline asked about here stays a byline (the writer under a package story's title).
    """
    if j != i + 1 or j >= len(labels) or labels[j] != _BODY:
        return False
    if facts.level[i] or facts.dateline[j] is not None:
        return False
    if _CAPTION in labels[j : j + 3]:  # "党员服务队 关爱小乘客" over a line of text, a caption and a credit
        return False
    return draft.counts[_SECTION] >= 1


def _marked_like_a_section(draft: Draft, facts: PageFacts, labels: Sequence[str], i: int) -> bool:
    """A lone marked head line at the level of the article's sections, over a paragraph, is its next
    section: two sections at that level make it the article's section level, and so does one when the
    article's marked headline is a level above it (not a coincidence either way)."""
    level = facts.level[i]
    if not level or i + 1 >= len(labels) or labels[i + 1] != _BODY or facts.notice_title[i]:
        return False  # "## 公告" after a law's sections is a notice of its own
    if facts.dateline[i + 1] is not None:
        return False
    heads = [k for k in draft.members if labels[k] == _HEADLINE]
    head_level = facts.level[heads[0]] if heads else 0
    if head_level == level:
        return False
    same = [k for k in draft.members if labels[k] == _SECTION and facts.level[k] == level]
    return len(same) >= (1 if 0 < head_level < level else 2)


def _opens_brief(draft: Draft, facts: PageFacts, i: int) -> bool:
    """Whether a dateline-opened paragraph inside an article starts a headless brief.

    Under a headline it usually does not: a round-up prints several wire reports, each with its own
    dateline, under one headline. It does when the next line opens with a dateline too (a run of briefs),
    unless a deck under the headline announces several reports, and when the dateline is the paper's
    own brief opener (``本报讯``).
    """
    if not draft.counts[_HEADLINE]:
        return True
    if (facts.dateline[i] or "").endswith("讯"):
        return True  # "本报讯", "本报北京1月20日讯": the paper's own briefs, one per item
    if draft.counts[_SUBHEAD]:
        return False  # a headline with a deck over wire reports: a round-up of them ("东亚经济传真")
    return i + 1 < len(facts.lines) and facts.dateline[i + 1] is not None


#: a lone section head repeats less than this share of its character pairs in the text above it
LONE_ABOVE = 0.15
#: and at least this share in the two lines under it, as a headline does in its lead
LONE_BELOW = 0.15


def _pairs(key: str) -> set[str]:
    """Character pairs of a line's letters (digits and punctuation dropped)."""
    t = "".join(ch for ch in key if ch.isalpha())
    return {t[k : k + 2] for k in range(len(t) - 1)}


def _lone_section_at(draft: Draft, facts: PageFacts, labels: Sequence[str], keys: Sequence[str]) -> int | None:
    """Where a headed article's one and only section head is the next article's headline, or None.

    Sections come in series; one alone after a finished paragraph, in plain type, unnumbered, naming
    nothing the article said before (nor its headline) while the paragraph under it restates it, is a
    short report's headline the classifier read as a section (``郑州建大型污水处理厂`` after a one-paragraph
    report on a bridge).
    """
    members = draft.members
    sections = [k for k, m in enumerate(members) if labels[m] == _SECTION]
    if len(sections) != 1 or not draft.counts[_HEADLINE]:
        return None
    k = sections[0]
    at = members[k]
    key = keys[at]
    if k == 0 or k + 1 >= len(members) or facts.level[at]:
        return None
    if labels[members[k - 1]] != _BODY or labels[members[k + 1]] != _BODY:
        return None
    if not P.ends_sentence(keys[members[k - 1]]) or P.SECTION_NUMBER.match(key) or P.is_byline(key):
        return None
    own = _pairs(key)
    if len(own) < 3:
        return None
    above: set[str] = set()
    head: set[str] = set()
    for m in members[:k]:
        if labels[m] == _BODY:
            above |= _pairs(keys[m])
        elif labels[m] in (_HEADLINE, _SUBHEAD):
            head |= _pairs(keys[m])
    below = set().union(*(_pairs(keys[m]) for m in members[k + 1 : k + 3]))
    if own & head or len(own & above) >= LONE_ABOVE * len(own) or len(own & below) < LONE_BELOW * len(own):
        return None
    if any(labels[m] in HEAD for m in members[k + 1 :]):
        return None
    return k


def _section_unrestated(draft: Draft, facts: PageFacts, labels: Sequence[str], keys: Sequence[str], i: int) -> bool:
    """A plain head line after a finished paragraph of a sectioned article, over a paragraph that does not
    restate it (less than :data:`LONE_BELOW` of its pairs), is the article's next section: a new article's
    lead restates its headline."""
    if not draft.counts[_SECTION] or not draft.counts[_HEADLINE]:
        return False
    if i + 1 >= len(labels) or labels[i + 1] != _BODY or facts.level[i]:
        return False
    prev = draft.members[-1]
    if labels[prev] != _BODY or not P.ends_sentence(keys[prev]) or facts.dateline[i + 1]:
        return False
    if len(keys[i + 1]) < 40:
        return False  # "细语(中国画)" over "(杨光利)": a picture and its artist
    last = next(k for k in reversed(draft.members) if labels[k] == _SECTION)
    if P.SECTION_NUMBER.match(keys[last]) or len(_pairs(keys[last])) < 3:
        return False  # after "（一）", "（二）" the next section is numbered too; a titled head is the next article
    own = _pairs(keys[i])
    below = set().union(*(_pairs(keys[m]) for m in range(i + 1, min(len(labels), i + 3))))
    return len(own & below) < LONE_BELOW * len(own)


def _lone_sections(drafts: list[Draft], facts: PageFacts, labels: list[str], keys: Sequence[str]) -> list[Draft]:
    """Split each draft at a lone section head that is the next article's headline (:func:`_lone_section_at`)."""
    out: list[Draft] = []
    for d in drafts:
        out.append(d)
        k = _lone_section_at(d, facts, labels, keys)
        if k is None:
            continue
        tail = d.members[k:]
        labels[tail[0]] = _HEADLINE
        rest = Draft(closed=d.closed)
        for m in tail:
            rest.add(m, labels[m], keys[m], facts.dateline[m] is not None)
        del d.members[k:]
        d.counts = Counter(labels[m] for m in d.members)
        d.seen = {keys[m] for m in d.members}
        out.append(rest)  # right after the walk: no repeats or joins marked yet (order_article does that)
    return out


def _promote_headline(span: range, facts: PageFacts, labels: list[str]) -> None:
    """A head block without a headline: its first subhead that is not a deck (``——…``, ``●…``) is it."""
    subs = [k for k in span if labels[k] == _SUBHEAD]
    plain = [k for k in subs if not P.DECK.match(facts.normed[k]) and facts.normed[k][:1] not in "●■◆○□"]
    if plain or subs:
        labels[(plain or subs)[0]] = _HEADLINE


def _head_done(draft: Draft, labels: Sequence[str]) -> bool:
    """Whether the draft's head block is complete: a headline (or a kicker) with a byline or a caption after it.

    The draft may already have text: a further headline then opens the next article even inside a
    sectioned one (letting such a line become a section instead was measured no better: 0.833 either way).
    The walk's tally answers when it covers the draft's lines as they stand (no line taken back since).
    """
    members = draft.members
    if draft.tallied == len(members) and (not members or members[-1] == draft.last_tallied):
        return draft.head_complete
    seen_headline = False
    for i in draft.members:
        if labels[i] in (_HEADLINE, _SUBHEAD):
            seen_headline = True
        elif seen_headline and labels[i] in (_BYLINE, _CAPTION):
            return True
    return False


def _headline_like(t: str, label: str) -> bool:
    """A body line (or one read as a section head) that could be a headline: short and not ending a
    sentence with a full stop (``t``: the line's plain form)."""
    return (
        label in (_BODY, _SECTION)
        and 4 <= len(t) <= 50
        and t[-1] not in "。.;；:：,，、"
        and t[0] not in _NO_HEAD_OPENS
    )


#: the first of a set of numbered pictures (the later ones are :data:`patterns.LATER_PICTURE`)
_FIRST_PICTURE = re.compile(r"^1[、:：.]")


def _caption_after_body(draft: Draft, facts: PageFacts, labels: Sequence[str], i: int) -> bool:
    """A caption printed after an article's body text opens a photo item of its own.

    (A picture label, ``图片：``, never gets here: :func:`segment` keeps it with the article it follows.)
    A caption that opens like one (``图为…``) under a headline and one or two paragraphs is that photo
    report's own, and a bare credit line (``（新华社记者 X 摄）``) still closes the item it follows.
    """
    if not draft.members or labels[draft.members[-1]] != _BODY:
        return False
    if not facts.key_ends[draft.members[-1]]:
        return False  # "…三座高海拔车站的信号设备" then "乐观向上的姿态…": the rest of a broken paragraph
    body = draft.counts[_BODY]
    if not (draft.counts[_HEADLINE] or body >= 3) or draft.counts[_CAPTION]:
        return False
    text = facts.normed[i]
    if body <= 2 and P.CAPTION_START.match(text):
        return False  # "图为…" under a headline and a short text: a photo report's own picture
    if body <= 2 and _FIRST_PICTURE.match(text) and not draft.dated:
        return False  # "1、…" too, unless a wire report's dateline opened the text: pictures of something else
    heads = [k for k in draft.members if labels[k] == _HEADLINE]
    if body <= 2 and heads and _similarity(facts.key[heads[0]], _key(text)) >= FOREIGN_LEAD:
        return False  # "喜迁新居" over "…教师张青（左一）高兴地搬进新居。": the report's picture, whatever it opens with
    # a bare credit closes the item above; "1、杭州开通人才查询系统网络。（王定昶 摄）" is a picture's caption
    return not (P.is_credit(text) and len(text) <= 30 and "。" not in text)


def _photo_item_done(draft: Draft, facts: PageFacts, labels: Sequence[str], keys: Sequence[str], i: int) -> bool:
    """Whether a headline, its pictures' captions and a credit were a photo item, so that body line ``i``
    opens the next item.

    A credit right under a head block's pictures leaves the article open (its text may follow the
    picture, :func:`_credit_closes`); the text is the article's own when its headline matches it, and a
    photo item's title matches its captions instead.
    """
    if draft.counts[_BODY] or not draft.counts[_HEADLINE]:
        return False
    if draft.counts[_BYLINE] or draft.counts[_SUBHEAD]:
        return False  # a writer or a deck heads an article's text: a photo item has a title and its pictures
    last = draft.members[-1]
    if labels[last] != _CAPTION or not facts.credit[last]:
        return False
    head = "".join(keys[k] for k in draft.members if labels[k] == _HEADLINE)
    captions = "".join(keys[k] for k in draft.members if labels[k] == _CAPTION)
    return _similarity(head, keys[i]) < FOREIGN_LEAD <= _similarity(head, captions)


def _credit_closes(draft: Draft, labels: Sequence[str]) -> bool:
    """A photo credit closes the item unless it captions the picture under a headline block."""
    if len(draft.members) < 2 or draft.counts[_BODY]:
        return True
    before = labels[draft.members[-2]]
    return before not in HEAD and before != _CAPTION


def _ngrams(text: str, n: int = 4) -> set[str]:
    if len(text) <= n:
        return {text} if text else set()
    return {text[k : k + n] for k in range(len(text) - n + 1)}


class _LineGrams:
    """The 4-grams of a page's lines (:func:`_ngrams`), each line's worked out once, and of runs of lines
    put together from them: the repeat tests ask about the same lines again and again (a line, its
    draft's text, the article it joins), and slicing every 4-gram afresh was the stitcher's largest cost.
    """

    __slots__ = ("keys", "line", "last")

    #: lines whose grams are kept at once: memory stays bounded on a page of many lines
    KEPT = 4096

    def __init__(self, keys: Sequence[str]) -> None:
        self.keys = keys
        #: ``line[i]``: ``_ngrams(keys[i])`` (the kept set itself: never change it)
        self.line = Kept(_ngrams, keys, self.KEPT)
        #: the last run asked (:meth:`read`) and its grams
        self.last: tuple[tuple[int, ...], set[str]] = ((), set())

    def joined(self, idx: Sequence[int]) -> set[str]:
        """``_ngrams("".join(keys[i] for i in idx))``, a new set (the one kept by :meth:`read`, which is let go:
        the caller keeps it and may change it)."""
        run = tuple(idx)
        if run == self.last[0]:
            grams = self.last[1]
            self.last = ((), set())
            return grams
        return self._put_together(run)

    def read(self, idx: Sequence[int]) -> set[str]:
        """:meth:`joined`, kept for the next question about the same run (a draft's text is asked about by
        one repeat test after another, then kept whole): the kept set itself, never change it."""
        run = tuple(idx)
        if run != self.last[0]:
            self.last = run, self._put_together(run)
        return self.last[1]

    def _put_together(self, idx: Sequence[int]) -> set[str]:
        """The lines' own 4-grams and those across the joins between them."""
        parts = [self.keys[i] for i in idx]
        text = "".join(parts)
        size = len(text)
        if size <= 4:
            return {text} if text else set()
        grams: set[str] = set()
        start = 0
        for i, part in zip(idx, parts):
            if len(part) >= 4:
                grams |= self.line[i]
            if start:
                # the 4-grams that run across the join at ``start``
                grams.update(text[p : p + 4] for p in range(max(0, start - 3), min(start, size - 3)))
            start += len(part)
        return grams


def _contained_share(grams: set[str], whole_grams: set[str]) -> float:
    """Share of the 4-grams ``grams`` (a text's :func:`_ngrams`) that ``whole_grams`` holds."""
    if not grams:
        return 0.0
    # one C-speed intersection instead of a membership test per gram: the same count
    return len(grams & whole_grams) / len(grams)


def merge_fragments(
    drafts: list[Draft],
    lines: Sequence[Line],
    labels: list[str],
    crosses: Callable[[str, str], bool] | None = None,
    keys: Sequence[str] | None = None,
    facts: PageFacts | None = None,
) -> list[Draft]:
    """Second pass: join drafts that the walk split apart but belong together.

    Parameters
    ----------
    drafts : list of Draft
        From :func:`segment`, in file order.
    lines : sequence of Line
        The page.
    labels : list of str
        The lines' labels; corrected in place (a heading inside a repeated run becomes a section, a deck
        read as the next headline becomes one).
    crosses : callable, optional
        ``crosses(left, right)`` tells whether a word runs across the break between two texts.
    keys : sequence of str, optional
        Each line's comparison form (:func:`line_keys`); computed when not given.
    facts : PageFacts, optional
        The page's line facts (:class:`segmenter.facts.PageFacts`); computed when not given.

    Returns
    -------
    list of Draft
        Fewer or as many drafts, still in file order of their first line.
    """
    F = facts if facts is not None else PageFacts(lines)
    keys = F.key if keys is None else keys
    # the walk can leave a draft empty (its one line went to the next head block): it must not stand
    # between a head block and the text it heads
    drafts = [d for d in drafts if d.members]
    # 1. a headline block heads its own text: printed before it, or after a column moved under it
    drafts = _split_double_heads(drafts, labels, keys, F)
    _headlines_read_as_last_lines(drafts, F, labels, keys)
    drafts = _headlines_after_run_in_reports(drafts, F, labels, keys)
    drafts = _heads_after_bodies(drafts, labels, keys, F)
    drafts = _photo_reports_after_heads(drafts, labels, keys, F)
    drafts = _heads_over_foreign_text(drafts, labels, keys, F)
    _heads_over_moved_text(drafts, labels, keys)

    # 2. a headless draft that repeats or continues another article goes back to it
    lg = _LineGrams(keys)
    out = []
    grams: list[set[str]] = []
    # the keys of each kept article's head lines and of all its lines, kept up as it grows (like its grams):
    # summing a long article afresh for every draft that comes back to it would be quadratic
    heads: list[set[str]] = []
    every: list[set[str]] = []
    # … and its text lines and its headlines' keys run together, which _lead_of_repeated reads
    texts: list[list[int]] = []
    owns: list[str] = []

    def headlines(members: Sequence[int]) -> str:
        return "".join(keys[i] for i in members if labels[i] == _HEADLINE)
    queue = list(reversed(drafts))
    while queue:
        d = queue.pop()
        cut = _repeated_tail(d, out, grams, keys, labels, lg) if out else None
        if cut is not None:
            # text of its own, then a run the page already printed in an earlier article: the run is a
            # repeat placed after this article (it goes back to the earlier one), not part of it
            queue += [Draft(members=d.members[cut:]), replace(d, members=d.members[:cut])]
            continue
        text_idx = d.text_lines(labels)
        target = None
        if not d.has_headline(labels) and not d.continued and text_idx and out:
            target = _repeats(d, out, grams, keys, labels, lg)
            if target is None and crosses is not None:
                target = _continues(out, d, F, labels, keys, crosses)
        elif not d.has_headline(labels) and text_idx and out:
            # a continued article printed again, "（上接第一版）" and all: a repeat of the continued one only
            target = _repeats(d, out, grams, keys, labels, lg)
            if target is not None and not out[target].continued:
                target = None
        elif d.has_headline(labels) and out:
            # the same article printed again with its headline: same headline and text already there
            head = {keys[i] for i in d.head(labels)}
            for k in range(max(0, len(out) - REPEAT_WINDOW), len(out)):
                if _printed_again(head, text_idx, heads[k], grams[k], keys, lg):
                    target = k
                    break
            if target is None and text_idx:
                # a "headline" over text the page already printed in another article: a heading inside
                # that article, printed again with a run of its paragraphs
                target = _repeats(d, out, grams, keys, labels, lg)
                if target is not None and not _mostly_repeated(text_idx, grams[target], keys, lg):
                    # a law after the decision amending it, which quotes a few of its articles: its own
                    target = None
                cut = (
                    _lead_of_repeated(d, out[target], labels, keys, (every[target], texts[target], owns[target]))
                    if target is not None
                    else None
                )
                if target is not None and cut is not None:
                    # no: a head block printed after the last copy of its article, whose first copy the
                    # walk ran into the article above; it heads everything from that copy's lead on
                    t = out[target]
                    d.members = d.members + t.members[cut:]
                    t.members = t.members[:cut]
                    grams[target] = _text_grams(keys, t.text_lines(labels), lg)
                    heads[target] = {keys[i] for i in t.head(labels)}
                    every[target] = {keys[i] for i in t.members}
                    texts[target], owns[target] = t.text_lines(labels), headlines(t.members)
                    text_idx = d.text_lines(labels)
                    target = None
                elif target is not None:
                    own = heads[target]
                    for i in d.head(labels):
                        if labels[i] == _HEADLINE and keys[i] not in own:
                            labels[i] = _SECTION
        if target is not None:
            out[target].members.extend(d.members)
            out[target].continued |= d.continued
            grams[target] |= _text_grams(keys, text_idx, lg)
            heads[target] |= {keys[i] for i in d.head(labels)}
            every[target] |= {keys[i] for i in d.members}
            texts[target] += d.text_lines(labels)
            owns[target] += headlines(d.members)
            continue
        out.append(d)
        grams.append(_text_grams(keys, text_idx, lg))
        heads.append({keys[i] for i in d.head(labels)})
        every.append({keys[i] for i in d.members})
        texts.append(d.text_lines(labels))
        owns.append(headlines(d.members))
        if len(grams) > REPEAT_WINDOW:
            # never read again: memory stays bounded on a giant page
            gone = -REPEAT_WINDOW - 1
            grams[gone], heads[gone], every[gone], texts[gone], owns[gone] = set(), set(), set(), [], ""
    return out


def _printed_again(
    head: AbstractSet[str],
    text_idx: Sequence[int],
    other_head: AbstractSet[str],
    other_grams: set[str],
    keys: Sequence[str],
    lg: _LineGrams,
) -> bool:
    """Whether a headed draft (its head lines' keys ``head``, its text lines ``text_idx``) is another
    article (``other_head``, ``other_grams``) printed again: a head line of it heads that one too, and its
    text and every paragraph of it stand there already ("注销公告" over another company's name is the next
    notice of a run, not this one again). The text's 4-grams are put together only when a head line matches."""
    return bool(
        head & other_head
        and (not (body_grams := lg.read(text_idx)) or _contained_share(body_grams, other_grams) >= DUP_SHARE)
        and all(len(keys[i]) < REPEAT_MIN or _contained_share(lg.line[i], other_grams) >= LINE_REPEAT for i in text_idx)
    )


def _mostly_repeated(text_idx: Sequence[int], grams: set[str], keys: Sequence[str], lg: _LineGrams) -> bool:
    """Whether a headed text repeats an earlier one enough to be a heading of it printed again: a share
    :data:`HEADED_REPEAT` of its paragraphs printed there before, or :data:`HEADED_TEXT_REPEAT` of its text."""
    long = [i for i in text_idx if len(keys[i]) >= REPEAT_MIN]
    repeated = sum(_contained_share(lg.line[i], grams) >= LINE_REPEAT for i in long)
    if long and repeated >= HEADED_REPEAT * len(long):
        return True
    return _contained_share(lg.read(text_idx), grams) >= HEADED_TEXT_REPEAT


def _lead_of_repeated(
    d: Draft,
    t: Draft,
    labels: Sequence[str],
    keys: Sequence[str],
    kept: tuple[AbstractSet[str], list[int], str] | None = None,
) -> int | None:
    """Where in ``t`` the text of head block ``d`` starts, when ``d``'s text repeats ``t``'s.

    Only when ``d``'s headline is not a line of ``t`` (a section printed again with its paragraphs is),
    ``t`` keeps two paragraphs or more whose lead its own headline clearly matches, and ``d``'s headline
    matches the lead of a paragraph after them clearly, and better than ``t``'s own headline does; of equal
    matches, the paragraph that matches best by itself is the lead. ``kept``: what the caller keeps of
    ``t`` as it grows — its lines' keys, its text lines, its headlines' keys run together.
    """
    if kept is None:
        kept = ({keys[i] for i in t.members}, t.text_lines(labels), "".join(keys[i] for i in t.members if labels[i] == _HEADLINE))
    t_keys, texts, own = kept
    heads = [i for i in d.members if labels[i] == _HEADLINE]
    if not heads or keys[heads[0]] in t_keys:
        return None
    head = keys[heads[0]]
    # the text above the cut must stay under a headline it matches (its first two lines, or three)
    if _similarity(own, "".join(keys[i] for i in texts[:2])) < OWN_LEAD:
        return None
    last = len(texts) if _similarity(own, "".join(keys[i] for i in texts[:3])) >= OWN_LEAD else 3
    best_j, best = None, (OWN_LEAD, 0.0)
    for j in range(2, last):
        lead = "".join(keys[i] for i in texts[j : j + 3])
        score = (_similarity(head, lead), _similarity(head, keys[texts[j]]))
        if score > best and score[0] > _similarity(own, lead):
            best_j, best = j, score
    return None if best_j is None else t.members.index(texts[best_j])


def _repeated_tail(
    d: Draft, out: list[Draft], grams: list[set[str]], keys: Sequence[str], labels: Sequence[str], lg: _LineGrams
) -> int | None:
    """Where the run of ``d``'s last lines that an earlier article already printed starts, if ``d`` has
    text of its own before it (a whole repeat is :func:`_repeats`' business).

    Not when the run repeats the article just before: then ``d``'s head is more likely a section of that
    article read as a headline, and the whole of ``d`` goes back to it.
    """
    members = d.members
    if len(grams) < 2 or not members or labels[members[-1]] not in TEXT or len(keys[members[-1]]) < REPEAT_MIN:
        return None
    window = [g for g in grams[max(0, len(grams) - REPEAT_WINDOW) : -1] if g]
    if not window:
        return None

    def repeated(i: int) -> bool:
        line = lg.line[i]
        return _contained_share(line, grams[-1]) < LINE_REPEAT and any(_contained_share(line, g) >= LINE_REPEAT for g in window)

    cut = len(members)
    while cut > 0 and labels[members[cut - 1]] in TEXT:
        last = members[cut - 1]
        if len(keys[last]) >= REPEAT_MIN and not repeated(last):
            break
        cut -= 1
    while cut < len(members) and len(keys[members[cut]]) < REPEAT_MIN:
        cut += 1  # short lines at the seam stay with the article's own text
    own = [i for i in members[:cut] if labels[i] in TEXT and len(keys[i]) >= REPEAT_MIN]
    if cut >= len(members) or not own:
        return None
    return cut


def _text_grams(keys: Sequence[str], idx: Sequence[int], lg: _LineGrams) -> set[str]:
    """4-grams of a draft's text for repeat detection (a new set); none for a giant one (memory stays
    bounded)."""
    if sum(len(keys[i]) for i in idx) > MAX_CONTAINMENT_CHARS:
        return set()
    return lg.joined(idx)


def _bigrams(text: str) -> set[str]:
    return {text[k : k + 2] for k in range(len(text) - 1)}


def _similarity(head: str, text: str) -> float:
    """Share of the headline's character bigrams that the text uses (headlines reuse the lead's words)."""
    grams = _bigrams(head)
    return sum(g in text for g in grams) / len(grams) if grams else 0.0


def _headlines_read_as_last_lines(drafts: list[Draft], facts: PageFacts, labels: list[str], keys: Sequence[str]) -> None:
    """A headless text whose last line is a short unfinished "paragraph" restating its lead, right before
    the next head block, ends with its own headline printed after it: that line is the headline."""
    for k in range(len(drafts) - 1):
        d, nxt = drafts[k], drafts[k + 1]
        if d.continued or d.has_headline(labels) or not nxt.has_headline(labels):
            continue
        texts = d.text_lines(labels)
        if len(texts) < 2 or texts[-1] != d.members[-1]:
            continue
        last, before = texts[-1], texts[-2]
        if not _headline_like(facts.plain[last], labels[last]) or not P.ends_sentence(keys[before]):
            continue
        if _similarity(keys[last], "".join(keys[i] for i in texts[: min(3, len(texts) - 1)])) >= OWN_LEAD:
            labels[last] = _HEADLINE
            d.members = [last] + d.members[:-1]
            d.counts[_BODY] -= 1
            d.counts[_HEADLINE] += 1


def _headlines_after_run_in_reports(
    drafts: list[Draft], facts: PageFacts, labels: list[str], keys: Sequence[str]
) -> list[Draft]:
    """An article's last line, short and unfinished, restating a dated report run into the article's end:
    that report's headline, printed after it.

    The line must come before the next head block or at the foot of the page, and match the report's
    opening (``新华社北京1月26日电(记者 …)2026年我国将加快建设…``) better than the article's own.
    """
    out: list[Draft] = []
    for k, d in enumerate(drafts):
        out.append(d)
        if d.continued or not d.has_headline(labels) or (k + 1 < len(drafts) and not drafts[k + 1].has_headline(labels)):
            continue
        texts = d.text_lines(labels)
        if len(texts) < 4 or texts[-1] != d.members[-1]:
            continue
        last = texts[-1]
        if not _headline_like(facts.plain[last], labels[last]) or not P.ends_sentence(keys[texts[-2]]):
            continue
        own = _similarity(keys[last], "".join(keys[i] for i in texts[:3]))
        best, at = OWN_LEAD, None
        for j in range(1, len(texts) - 1):
            if facts.key_dateline[texts[j]]:
                score = _similarity(keys[last], "".join(keys[i] for i in texts[j : min(j + 3, len(texts) - 1)]))
                if score >= best and score > own:
                    best, at = score, j
        if at is None:
            continue
        cut = d.members.index(texts[at])
        labels[last] = _HEADLINE
        out.append(Draft(members=[last] + d.members[cut:-1]))
        d.members = d.members[:cut]
    return out


def _heads_after_bodies(drafts: list[Draft], labels: Sequence[str], keys: Sequence[str], facts: PageFacts) -> list[Draft]:
    """Give each head block printed after its body (a draft with a headline and no text) that body.

    Right to left, so that a chain of such blocks resolves: the body printed just before a lone head
    block is all of a headless draft, or the tail of the previous article, cut where the two headlines
    best match the text on either side of the cut.
    """
    for k in range(len(drafts) - 1, 0, -1):
        d, prev = drafts[k], drafts[k - 1]
        if d.text_lines(labels) or not d.has_headline(labels) or prev.continued:
            continue
        texts = prev.text_lines(labels)
        if not texts:
            continue
        head = "".join(keys[i] for i in d.members if labels[i] == _HEADLINE)
        if not prev.has_headline(labels):
            d.members = d.members + prev.members  # the head goes first in reading order
            prev.members = []
            continue
        if k >= 2 and _section_under_lead(prev, drafts[k - 2], labels, keys, head):
            # the article's lead, then its first section read as a headline, then its head block
            first = drafts[k - 2]
            labels[prev.head(labels)[0]] = _SECTION
            d.members = d.members + first.members + prev.members
            first.members, prev.members = [], []
            continue
        taken = _sections_after_cut(drafts, k, labels, keys, facts, head)
        if taken is not None:
            # the article's lead at the end of the article before, then its sections each read as a
            # headline (an article printed again repeats them), then its head block
            start, cut = taken
            article = drafts[start]
            moved = article.members[cut:]
            article.members = article.members[:cut]
            for piece in drafts[start + 1 : k]:
                labels[piece.head(labels)[0]] = _SECTION
                moved += piece.members
                piece.members = []
            d.members = d.members + moved
            continue
        cut = _head_after_cut(head, prev, labels, keys, facts)
        if cut is None:
            continue
        d.members = d.members + prev.members[cut:]
        prev.members = prev.members[:cut]
    return [d for d in drafts if d.members]


def _photo_reports_after_heads(
    drafts: list[Draft], labels: Sequence[str], keys: Sequence[str], facts: PageFacts
) -> list[Draft]:
    """A head block printed after its photo report's pictures takes the report's text too.

    With the block after them, a report's caption and credit went to the block, and the report's
    paragraphs before them, read as body, to the article above (or to a headless run, such as a repeated
    copy put back only later): the block takes that draft's tail where its headline matches the text
    (:func:`_head_after_cut`, never the whole draft).
    """
    for k in range(1, len(drafts)):
        d, above = drafts[k], drafts[k - 1]
        texts = d.text_lines(labels)
        head = [i for i in d.members if labels[i] == _HEADLINE]
        if not head or not texts or any(labels[i] != _CAPTION for i in texts):
            continue
        if min(head) < max(texts) or d.continued or above.continued:
            continue
        cut = _head_after_cut("".join(keys[i] for i in head), above, labels, keys, facts, whole=False)
        if cut is not None:
            block = [i for i in d.members if labels[i] in HEAD]
            d.members = block + above.members[cut:] + [i for i in d.members if labels[i] not in HEAD]
            above.members = above.members[:cut]
    return [d for d in drafts if d.members]


def _head_after_cut(
    head: str, prev: Draft, labels: Sequence[str], keys: Sequence[str], facts: PageFacts, whole: bool = True
) -> int | None:
    """Where a head block printed after its body cuts the article ``prev`` above it: the index in its
    members from which the text is the block's, or None.

    The cut goes where the block's headline best matches the next lines, a dateline opening them adding
    to the evidence. ``whole=False``: the block may not take all of ``prev``'s text, and it needs the
    headline to match the lines clearly (:data:`OWN_LEAD`), whatever opens them.
    """
    texts = prev.text_lines(labels)
    lead = [keys[i] for i in texts]
    own = "".join(keys[i] for i in prev.members if labels[i] == _HEADLINE)
    # a cut that leaves the previous headline over a lead it does not match is suspect
    own_matches = _similarity(own, "".join(lead[:3])) >= FOREIGN_LEAD
    best_j, best = None, 0.0
    for j in [0, *range(max(1, len(texts) - HEAD_AFTER_WINDOW), len(texts))]:
        if j == 0 and not whole:
            continue
        score = _similarity(head, "".join(lead[j : j + 3]))  # the moved head matches the lead of its body
        if not whole and score < OWN_LEAD:
            continue
        if j == 0:
            score -= 0.25  # leaving the previous headline without text needs clear evidence
        else:
            score -= CUT_PENALTY if own_matches else 0.5
            score += 0.3 if whole and facts.key_dateline[texts[j]] else 0.0  # a dateline opens a body
        # of cuts whose three lines match as well, the first whose own first line matches at all: the three
        # lines of a cut one line early hold the same lead, after a line that names nothing of it
        if score > best or (
            best_j is not None and score == best and not _similarity(head, lead[best_j]) and _similarity(head, lead[j])
        ):
            best_j, best = j, score
    return None if best_j is None else prev.members.index(texts[best_j])


#: at most this many sections read as headlines between a lead and its head block printed after them
SECTIONS_UNDER_LEAD = 8


def _sections_after_cut(
    drafts: list[Draft], k: int, labels: Sequence[str], keys: Sequence[str], facts: PageFacts, head: str
) -> tuple[int, int] | None:
    """Where lone head block ``drafts[k]`` finds its text when two or more drafts opened by one headline
    each, all sharing its words, stand between it and the article whose tail holds its lead: (that
    article's index, the cut in its members), or None.

    Two or more, never one: a single such draft is the text of a headline of its own as often."""
    j = k - 1
    while j > 0 and k - j <= SECTIONS_UNDER_LEAD and _section_piece(drafts[j], labels, keys, head):
        j -= 1
    if k - 1 - j < 2 or not drafts[j].has_headline(labels) or drafts[j].continued:
        return None
    article = drafts[j]
    cut = _head_after_cut(head, article, labels, keys, facts, whole=False)
    if cut is None:
        return None
    # of the three lines the cut was scored by (it is a text line), the lead is the one that shares most
    # with the head
    texts = article.text_lines(labels)
    at = texts.index(article.members[cut])
    lead = max(texts[at : at + 3], key=lambda i: _similarity(head, keys[i]))
    return j, article.members.index(lead)


def _section_piece(piece: Draft, labels: Sequence[str], keys: Sequence[str], head: str) -> bool:
    """Whether ``piece`` reads as a section of the text a head block ``head`` heads: opened by its one
    headline (a section head further down read as a byline does not count), sharing the head's words as a
    headline shares them with its own lead."""
    if piece.continued or [i for i in piece.members if labels[i] == _HEADLINE] != piece.members[:1]:
        return False
    return _similarity(head, "".join(keys[i] for i in piece.text_lines(labels))) >= FOREIGN_LEAD


def _section_under_lead(prev: Draft, first: Draft, labels: Sequence[str], keys: Sequence[str], head: str) -> bool:
    """Whether a lone head block ``head`` heads a headless lead ``first`` and the one-line-headed ``prev``
    after it (:func:`_section_piece`).

    The lead must restate the headline clearly.
    """
    if first.has_headline(labels) or first.continued or not _section_piece(prev, labels, keys, head):
        return False
    first_text = first.text_lines(labels)
    return bool(first_text) and _similarity(head, "".join(keys[i] for i in first_text[:3])) >= OWN_LEAD


def _heads_over_foreign_text(drafts: list[Draft], labels: list[str], keys: Sequence[str], facts: PageFacts) -> list[Draft]:
    """A head block over text it does not match, right after text it does match, heads that text.

    An extractor that prints a head block after its body puts it just above the next item's text (a
    headless brief or photo item, or the next article's own head block); a headline reuses the words of
    its own lead, not those of the text under it. The text before it is all of a headless draft, or a
    dateline-opened tail of the previous article (a round-up read too far). Lines of the block that do
    match the text under it (the next article's headline read as a deck) stay with that text.
    """
    out: list[Draft] = []
    k = 0
    while k < len(drafts):
        d = drafts[k]
        k += 1
        prev = out[-1] if out else None
        block = list(itertools.takewhile(lambda i: labels[i] in HEAD, d.members))
        under = [i for i in d.members[len(block) :] if labels[i] in TEXT]
        heads = [n for n, i in enumerate(block) if labels[i] == _HEADLINE]
        head = keys[block[heads[0]]] if heads else ""
        under_lead = "".join(keys[i] for i in under[:3])
        under_match = _similarity(head, under_lead)
        if prev is None or prev.continued or d.continued or not head or not under or under_match >= FOREIGN_LEAD:
            out.append(d)
            continue
        texts = prev.text_lines(labels)
        if prev.has_headline(labels):
            cuts = [j for j in range(1, len(texts)) if facts.key_dateline[texts[j]]]
            best = OWN_LEAD
        else:
            # a headless text has no headline of its own to lose: the block matching it at all, and
            # better than the text under it, is enough
            cuts = [0] if texts else []
            best = max(FOREIGN_LEAD, under_match + 0.01)
        best_j = None
        for j in cuts:
            score = _similarity(head, "".join(keys[i] for i in texts[j : j + 3]))
            if score >= best:
                best_j, best = j, score
        if best_j is None:
            out.append(d)
            continue
        # the block's own part ends at a second headline (the next article's), or at a line that heads
        # the text under it
        stay = heads[1] if len(heads) > 1 else next(
            (n for n in range(heads[0] + 1, len(block)) if _similarity(keys[block[n]], under_lead) >= OWN_LEAD),
            len(block),
        )
        if stay < len(block) and labels[block[stay]] == _SUBHEAD:
            labels[block[stay]] = _HEADLINE
        cut = prev.members.index(texts[best_j])
        moved = Draft(members=block[:stay] + prev.members[cut:])
        prev.members = prev.members[:cut]
        d.members = block[stay:] + d.members[len(block) :]
        if not prev.members:
            out.pop()
        out += [moved, d]
        if stay == len(block) and k < len(drafts) and _captions_only(drafts[k], labels):
            d.members += drafts[k].members  # the headless text's own picture caption
            k += 1
    return out


def _heads_over_moved_text(drafts: list[Draft], labels: Sequence[str], keys: Sequence[str]) -> None:
    """A head block over a few lines it does not match, right before headless text it does match, heads that.

    An extractor can print a column of another article between a head block and its text: the block then
    reads as heading those lines, and its own text, printed after them, as a headless item. A headline
    reuses the words of its own lead, so the block goes to the text it matches; the lines it sat over
    stay where they were, an item without a headline (a later pass may return them to their article).
    The lines can tell too: when they restate another article's headline (they are its lead), they go to
    that article and the block to the text after them, however little a literary headline shares with it.
    """
    for k in range(len(drafts) - 1):
        d, e = drafts[k], drafts[k + 1]
        if d.continued or e.continued or not e.members or e.has_headline(labels):
            continue
        block = list(itertools.takewhile(lambda i: labels[i] in HEAD, d.members))
        under = d.members[len(block) :]
        heads = [i for i in block if labels[i] == _HEADLINE]
        own = e.text_lines(labels)
        if not heads or not 1 <= len(under) <= MOVED_RUN or any(labels[i] in HEAD for i in under) or not own:
            continue
        head = keys[heads[0]]
        moved = "".join(keys[i] for i in under)
        if _similarity(head, moved) >= FOREIGN_LEAD:
            continue
        home = _headline_home(drafts, k, moved, labels, keys)
        if home is None and _similarity(head, "".join(keys[i] for i in own[:3])) < MOVED_LEAD:
            continue
        e.members = block + e.members
        d.members = under
        if home is not None:
            # the lines restate another article's headline: its lead, printed under this block
            drafts[home].members += under
            d.members = []
    drafts[:] = [d for d in drafts if d.members]


def _headline_home(drafts: list[Draft], k: int, text: str, labels: Sequence[str], keys: Sequence[str]) -> int | None:
    """Index of the one article near draft ``k`` whose headline ``text`` clearly restates (a lead does)."""
    found = []
    for m in range(max(0, k - REPEAT_WINDOW), min(len(drafts), k + REPEAT_WINDOW)):
        if m == k:
            continue
        heads = [i for i in drafts[m].members if labels[i] == _HEADLINE]
        if heads and _similarity(keys[heads[0]], text) >= OWN_LEAD:
            found.append(m)
    return found[0] if len(found) == 1 else None


def _captions_only(draft: Draft, labels: Sequence[str]) -> bool:
    return bool(draft.members) and all(labels[i] == _CAPTION for i in draft.members)


def _split_double_heads(drafts: list[Draft], labels: list[str], keys: Sequence[str], facts: PageFacts) -> list[Draft]:
    """A head block with two headlines after a body: the first headline belongs to that body (its head
    printed after it), the second opens the article that follows.

    After a headless body the first headline takes all of it; after an article with a headline of its
    own, the first headline becomes a head block of its own where it clearly matches a tail of that
    article (:func:`_head_after_cut`), as when a photo item's pictures ran into the report above them
    and its title was printed under them; :func:`_heads_after_bodies` then cuts that tail.
    """
    out: list[Draft] = []
    for d in drafts:
        heads = [k for k, i in enumerate(d.members) if labels[i] == _HEADLINE]
        prev = out[-1] if out else None
        if (
            prev is not None
            and heads
            and heads[0] > 0
            and labels[d.members[0]] == _SUBHEAD
            and all(labels[i] in HEAD for i in d.members[: heads[0]])
            and prev.text_lines(labels)
            and not prev.continued
            and not _restates_lead(keys[d.members[0]], d, labels, keys)
            and _head_after_cut(keys[d.members[0]], prev, labels, keys, facts, whole=not prev.has_headline(labels))
            is not None
        ):
            # what reads as a kicker over the next headline restates the text above: that text's own
            # headline, printed after it
            labels[d.members[0]] = _HEADLINE
            out.append(Draft(members=d.members[:1]))
            d.members = d.members[1:]
            heads = [k - 1 for k in heads]
        if (
            prev is None
            or len(heads) < 2
            or not all(labels[i] in HEAD for i in d.members[: heads[1]])
            or not prev.text_lines(labels)
            or prev.continued
        ):
            out.append(d)
            continue
        cut = heads[1]
        # kicker and byline lines right before the second headline stay with it
        while cut > heads[0] + 1 and labels[d.members[cut - 1]] == _SUBHEAD:
            cut -= 1
        if not prev.has_headline(labels):
            prev.members = d.members[:cut] + prev.members
            d.members = d.members[cut:]
        elif (
            not _restates_lead(keys[d.members[heads[0]]], d, labels, keys)
            and _head_after_cut(keys[d.members[heads[0]]], prev, labels, keys, facts, whole=False) is not None
        ):
            # a head block of its own: _heads_after_bodies gives it its text
            out.append(Draft(members=d.members[:cut]))
            d.members = d.members[cut:]
        out.append(d)
    return out


def _restates_lead(key: str, d: Draft, labels: Sequence[str], keys: Sequence[str]) -> bool:
    """Whether head line ``key`` restates the lead of draft ``d``'s text clearly (:data:`OWN_LEAD`): then it
    is that text's kicker or headline, whatever it shares with the text above."""
    return _similarity(key, "".join(keys[i] for i in d.text_lines(labels)[:3])) >= OWN_LEAD


def _repeats(
    d: Draft, out: list[Draft], grams: list[set[str]], keys: Sequence[str], labels: Sequence[str], lg: _LineGrams
) -> int | None:
    """Index of the earlier draft that ``d`` repeats in part: an extractor printed a run of it again.

    A brief shares no paragraph with another article, so a few repeated paragraphs are enough evidence:
    at least :data:`DUP_LINES` substantial lines, or a share :data:`DUP_SHARE` of the text.
    """
    idx = d.text_lines(labels)
    # the grams of each line and of the whole text once, not once per earlier draft
    long_texts = [(keys[i], lg.line[i]) for i in idx if len(keys[i]) >= 8]
    body = lg.read(idx)
    best, best_score = None, 0.0
    for k in range(max(0, len(grams) - REPEAT_WINDOW), len(grams)):
        g = grams[k]
        hits = len(body & g)
        if not hits:
            continue  # no share and no line printed there: nothing to score
        share = hits / len(body) if body else 0.0
        # a line's 4-grams are among its text's: a line can stand in g only if the text shares as many
        # with it (most earlier articles share none, and no line need be looked at)
        repeated = [
            t
            for t, t_grams in long_texts
            if hits >= (LINE_REPEAT - 0.01) * len(t_grams) and _contained_share(t_grams, g) >= LINE_REPEAT
        ]
        # a share of pairs alone with no paragraph printed whole before: one notice of a run under the
        # same template ("…公司经股东会决议，决定注销本公司…"), another company's
        if (share >= DUP_SHARE and (repeated or not long_texts)) or (
            len(repeated) >= DUP_LINES and sum(map(len, repeated)) >= 60
        ):
            score = share + len(repeated)
            if score > best_score:
                best, best_score = k, score
    return best


def _continues(
    out: list[Draft],
    d: Draft,
    facts: PageFacts,
    labels: Sequence[str],
    keys: Sequence[str],
    crosses: Callable[[str, str], bool],
) -> int | None:
    """Index of the earlier draft whose unfinished last paragraph the headless ``d`` continues."""
    first = d.text_lines(labels)[0]
    first_text = keys[first]
    if not first_text or facts.dateline[first] or P.CAPTION_START.match(first_text):
        return None
    for k in range(len(out) - 1, max(-1, len(out) - 4), -1):
        texts = out[k].text_lines(labels)
        if not texts or out[k].closed:
            continue
        last = keys[texts[-1]]
        if last and not P.ends_sentence(last):
            if first_text[0] in P.NON_OPENING or crosses(last, first_text):
                return k
    return None


def order_article(
    draft: Draft,
    lines: Sequence[Line],
    labels: Sequence[str],
    crosses: Callable[[str, str], bool] | None = None,
    keys: Sequence[str] | None = None,
    facts: PageFacts | None = None,
) -> Draft:
    """Third pass, within one article: reading order, repeats (``dup``) and broken paragraphs (``join``).

    Parameters
    ----------
    draft : Draft
        The article; its ``members`` are reordered in place.
    lines, labels : sequences
        The page.
    crosses : callable, optional
        Word-continuity test for a break, see :func:`merge_fragments`.
    keys : sequence of str, optional
        Each line's comparison form (:func:`line_keys`); computed when not given.
    facts : PageFacts, optional
        The page's line facts; without them, the datelines of the lines are looked for here.

    Returns
    -------
    Draft
        The same draft.
    """
    members = draft.members
    head = [i for i in members if labels[i] in HEAD]
    rest = [i for i in members if labels[i] not in HEAD]
    if keys is None:
        keys = facts.key if facts is not None else line_keys(lines)
    datelines = facts.key_dateline if facts is not None and keys is facts.key else Memo(P.find_dateline, keys)

    # repeats: exact copies first (keep the first), then lines contained in a longer line
    dup: set[int] = set()
    seen: dict[str, int] = {}
    for i in head + rest:
        k = keys[i]
        if k in seen and (len(k) >= 4 or labels[i] in HEAD):
            dup.add(i)
        else:
            seen.setdefault(k, i)
    total = sum(len(keys[i]) for i in rest)
    if total <= MAX_CONTAINMENT_CHARS and len(rest) <= MAX_CONTAINMENT_LINES:
        kept = [i for i in rest if i not in dup and labels[i] in TEXT]
        by_len = sorted(kept, key=lambda i: -len(keys[i]))
        # only a longer line can hold a line: the lines before its own length's group (a page of 2,000
        # headings of one length walked every pair)
        longer, size = 0, -1
        for pos, i in enumerate(by_len):
            k = keys[i]
            if len(k) != size:
                longer, size = pos, len(k)
            if size < 6:
                continue
            for j in by_len[:longer]:
                if j not in dup and k in keys[j]:
                    dup.add(i)
                    break
    draft.dup = dup

    # broken paragraphs: an unfinished body line joins the line that continues it
    order = [i for i in rest]
    join: set[int] = set()
    pos = 0
    while pos < len(order):
        i = order[pos]
        if i in dup or labels[i] != _BODY or P.ends_sentence(keys[i]) or len(keys[i]) < 6:
            pos += 1
            continue
        cands = []
        for q in range(pos + 1, min(len(order), pos + 1 + 4 * JOIN_WINDOW)):
            j = order[q]
            if j in dup:
                continue
            if labels[j] != _BODY:
                if labels[j] == _DATELINE:
                    break
                continue
            cands.append(q)
            if len(cands) >= JOIN_WINDOW:
                break
        if not cands:
            pos += 1
            continue
        best_q = _continuation(keys, order, pos, cands, crosses, datelines)
        if best_q is None:
            pos += 1
            continue
        j = order.pop(best_q)
        order.insert(pos + 1, j)
        join.add(j)
        pos += 1
    draft.members = head + order
    draft.join = join
    return draft


def _continuation(
    keys: Sequence[str],
    order: list[int],
    pos: int,
    cands: list[int],
    crosses: Callable[[str, str], bool] | None,
    datelines: Sequence[str | None],
) -> int | None:
    """Position in ``order`` of the line that continues the unfinished line at ``pos``, if any.

    Evidence, strongest first: a candidate that opens with a character no paragraph opens with; the
    very next line when nothing stands between (the common break at a column end); and, only when
    something does stand between (a moved column), a word that runs across the break — the one case
    that loads the word model.
    """
    left = keys[order[pos]]
    for q in cands:
        right = keys[order[q]]
        if right and right[0] in P.NON_OPENING and not datelines[order[q]]:
            return q
    first = cands[0]
    if first == pos + 1:
        right = keys[order[first]]
        if _mid_sentence(left) and not datelines[order[first]] and not P.is_continued_from(right):
            return first
        return None
    if crosses is None:
        return None
    for q in cands:
        right = keys[order[q]]
        if not datelines[order[q]] and crosses(left, right):
            return q
    return None


def _headline_by_level(draft: Draft, facts: PageFacts, labels: list[str]) -> None:
    """In a head block whose title lines carry Markdown levels, the highest level is the headline.

    A kicker printed above its headline is read as the headline when both are headline-like; the page's
    own ``#`` marks say which is which (``## 今年…会更好`` over ``# 朱镕基…指出``) where they differ.
    Unmarked title lines leave it to the classifier: a plain line may be a kicker or a headline.
    """
    titles = []
    for i in draft.members:
        if labels[i] in TEXT or labels[i] == _DATELINE:
            break
        if labels[i] in (_HEADLINE, _SUBHEAD) and i not in draft.dup:
            titles.append(i)
    if len(titles) < 2:
        return
    first = next((i for i in titles if labels[i] == _HEADLINE), None)
    if first is None:
        return
    level = {i: facts.level[i] for i in titles}
    marked = [i for i in titles if level[i]]
    if not level[first] or len(marked) < 2:
        return
    best = min(level[i] for i in marked)
    tops = [i for i in marked if level[i] == best]
    if len(tops) != 1 or level[first] == best:
        return
    top = tops[0]
    for i in titles:
        if labels[i] == _HEADLINE:
            labels[i] = _SUBHEAD
    labels[top] = _HEADLINE


def _headline_from_subhead(draft: Draft, facts: PageFacts, labels: list[str]) -> None:
    """A head block with title lines but no headline: its first title that is not a deck is the headline.

    At the top of a page a headline can read as the kicker of a headline that never comes (the
    classifier has seen kickers open many first pages); an article is never printed with a kicker alone.
    """
    if draft.has_headline(labels):
        return
    titles = []
    for i in draft.members:
        if labels[i] in TEXT or labels[i] == _DATELINE:
            break
        if labels[i] == _SUBHEAD and i not in draft.dup:
            titles.append(i)
    top = next((i for i in titles if not P.DECK.match(facts.plain[i])), None)
    if top is not None:
        labels[top] = _HEADLINE


def _artist_credit(draft: Draft, lines: Sequence[Line], labels: list[str]) -> None:
    """A titled item with no text but a bracketed name under its title: a picture and its artist.

    A painting, a calligraphy or a cartoon prints its title and the artist's name (``雄风图`` /
    ``（石愚作）``, ``圆梦（中国画）`` / ``（胡才春）``); the name is the item's credit, and its only
    text, not an author's byline over text that never comes.
    """
    if draft.text_lines(labels) or not draft.has_headline(labels):
        return
    last = draft.members[-1]
    if labels[last] == _BYLINE and _short_bracketed(lines[last].text):
        labels[last] = _CAPTION


#: how many of a headed article's first paragraphs may stand before the rest of a broken one (a column)
RESUME_WITHIN = 3
#: the shortest unfinished line read as the first half of a paragraph a column was printed inside
COLUMN_HALF_MIN = 12


def _resumes(
    out: Sequence[Draft],
    d: Draft,
    facts: PageFacts,
    labels: Sequence[str],
    keys: Sequence[str],
    crosses: Callable[[str, str], bool] | None,
) -> tuple[int, int] | None:
    """``(k, m)``: member ``m`` of the headed ``d`` finishes the unfinished last paragraph of ``out[k]`` (a
    word runs across, or it opens with a sign no paragraph opens with), after paragraphs of ``d`` that
    each finish a sentence; None where no such line stands among its first :data:`RESUME_WITHIN`."""
    # the first half: the last text line of one of the articles just before, right over d's head block
    # (a line is in one article only, so one article at most holds it)
    above = d.members[0] - 1
    k = next(
        (k for k in range(len(out) - 1, max(-1, len(out) - 4), -1) if out[k].text_lines(labels)[-1:] == [above]),
        None,
    )
    if k is None or out[k].closed or labels[above] != _BODY:
        return None
    last = keys[above]
    # a paragraph stops in a word (a name, a number or a title stops on its own)
    if len(last) < COLUMN_HALF_MIN or not P.is_han(last[-1]) or P.ends_sentence(last):
        return None
    seen = 0
    for m, i in enumerate(d.members):
        if labels[i] not in TEXT:
            continue
        text = keys[i]
        if (
            seen
            and text
            and facts.dateline[i] is None
            and not P.CAPTION_START.match(text)
            and (text[0] in P.NON_OPENING or (crosses is not None and P.is_han(text[0]) and crosses(last, text)))
        ):
            return k, m
        seen += 1
        if seen >= RESUME_WITHIN or not P.ends_sentence(text):
            return None
    return None


def _columns_in_broken_paragraphs(
    drafts: list[Draft],
    lines: Sequence[Line],
    labels: list[str],
    keys: Sequence[str],
    facts: PageFacts,
    crosses: Callable[[str, str], bool] | None,
) -> list[Draft]:
    """The rest of a paragraph broken across columns, printed under a head block set between its halves,
    goes back to the article of its first half with what follows it; so does the head block with the
    paragraphs over it when it has no byline or dateline of its own: a column of that article, opened by
    an intertitle (page 004 prints its lines 168–170 so). The two halves of one paragraph are one
    article's on every page; whether the lines between them are its column, the head block says.
    """
    out: list[Draft] = []
    for d in drafts:
        found = None
        if out and not d.continued and d.has_headline(labels):
            found = _resumes(out, d, facts, labels, keys, crosses)
        if found is None:
            out.append(d)
            continue
        k, cut = found
        column = d.members[:cut]
        if any(labels[i] in (_BYLINE, _DATELINE) or facts.dateline[i] is not None for i in column):
            out[k].members += d.members[cut:]
            d.members = column
            order_article(d, lines, labels, crosses, keys, facts)
            out.append(d)
        else:
            for i in column:
                if labels[i] in (_HEADLINE, _SUBHEAD):
                    labels[i] = _SECTION
            out[k].members += d.members
        order_article(out[k], lines, labels, crosses, keys, facts)
    return out


#: a line at most this long that ends as a kicker does (:data:`_LEAD_IN_ENDS`) introduces the line after it
#: (``郑州商品交易所——`` or ``温铎：`` over its headline)
LEAD_IN_MAX = 40


#: how a kicker ends: a dash, a colon, or a verb of saying (``周强强调``: what he stressed is the headline; no
#: headline of the modern training months ends so, 139 of their kickers do)
_LEAD_IN_ENDS = ("—", ":", "：", "强调", "表示", "指出")


def _leads_in(plain: str) -> bool:
    """Whether a line (its plain form) introduces the line after it: short, ending in a dash, a colon or a
    verb of saying."""
    return len(plain) <= LEAD_IN_MAX and plain.endswith(_LEAD_IN_ENDS)


def _lead_ins_with_their_line(drafts: list[Draft], labels: list[str], facts: PageFacts) -> None:
    """A short line that ends in a dash, a colon or a verb of saying goes with the head line printed right after it.

    A kicker (``郑州商品交易所——``, ``兰相田、赵虎生：``, ``周强强调``) always introduces the headline under it, in any
    era and any layout; the walk reads it as the last line of the text above when it stands after a
    finished paragraph. Where the kicker is the headline of the text above (a head block printed after
    its body), the headline after it comes up to it; otherwise the kicker goes down to the headline.
    """
    owner: dict[int, Draft] = {i: d for d in drafts for i in d.members}
    plain = facts.plain
    for i in range(len(labels) - 1):
        j = i + 1
        if labels[j] not in (_HEADLINE, _SUBHEAD) or not _leads_in(plain[i]):
            continue
        a, b = owner.get(i), owner.get(j)
        if a is None or b is None or a is b:
            continue
        if labels[i] == _HEADLINE and max(a.members) == i and a.text_lines(labels):
            # the head block after its body: its headline comes up to it
            b.members.remove(j)
            a.members.insert(a.members.index(i) + 1, j)
            owner[j] = a
            labels[i], labels[j] = _SUBHEAD, _HEADLINE
        elif labels[i] in (_BODY, _SUBHEAD, _SECTION) and len(a.members) > 1:
            a.members.remove(i)
            b.members.insert(b.members.index(j), i)
            owner[i] = b
            labels[i] = _SUBHEAD


def _mid_sentence(text: str) -> bool:
    """A line that stops inside a sentence: long enough and already running (a comma or enumeration)."""
    return len(text) >= 12 and any(ch in text for ch in ",，、;；:：")


def stitch(
    lines: Sequence[Line],
    labels: Sequence[str],
    crosses: Callable[[str, str], bool] | None = None,
    breaks: BreakModel | None = None,
    heads: BreakModel | None = None,
    proba: np.ndarray | None = None,
    classes: Sequence[str] = (),
    merges: BreakModel | None = None,
) -> Stitched:
    """Group a page's labelled lines into articles.

    Parameters
    ----------
    lines : sequence of Line
        The page's non-empty lines in file order.
    labels : sequence of str
        One label per line.
    crosses : callable, optional
        ``crosses(left, right) -> bool``: a word runs across the break between ``left`` and ``right``
        (pkuseg through spaCy in the default pipeline); without it, continuity uses punctuation only.
    breaks : BreakModel, optional
        Decides whether a body paragraph after a body paragraph opens a new article where no rule
        does (:mod:`segmenter.breaks`); without it, only the rules split.
    heads : BreakModel, optional
        Decides whether each run of head lines inside text opens an article or holds section heads
        (:mod:`segmenter.heads`), reading the classifier's probabilities ``proba`` (columns in
        ``classes`` order); without it, the walk's rules decide.
    merges : BreakModel, optional
        Decides whether each article joins the one before it, once both are put together (a package
        story, a brief of a column, a feature's intertitle read as a headline: :mod:`segmenter.merges`);
        without it, none does.

    Returns
    -------
    Stitched
        Articles in reading order and leftover line indices; together they hold every line once.
    """
    labels = list(labels)
    # what every pass and both decision models read about a line, once for the page
    facts = PageFacts(lines, proba, classes)
    keys = facts.key
    head_opens: set[int] = set()
    if heads is not None:
        from .heads import decide_heads

        head_opens = decide_heads(heads, lines, labels, proba, classes, facts.grams, facts)
    asked = breaks.for_page(lines, labels, facts.grams, facts) if breaks is not None else None
    drafts, leftovers = segment(lines, labels, keys, asked, head_opens, facts)
    drafts = _lone_sections(drafts, facts, labels, keys)
    for d in drafts:
        # a head block of its own before the fragments are put together: it may head a body printed before it
        _headline_from_subhead(d, facts, labels)
    drafts = merge_fragments(drafts, lines, labels, crosses, keys, facts)
    _lead_ins_with_their_line(drafts, labels, facts)
    drafts = [d for d in drafts if d.members]
    for d in drafts:
        order_article(d, lines, labels, crosses, keys, facts)
        _headline_by_level(d, facts, labels)
        _headline_from_subhead(d, facts, labels)  # head lines printed after text come first only now
        _artist_credit(d, lines, labels)
    drafts = [d for d in drafts if d.members]
    # articles in reading order: by their first line in the file (head lines may sit after the body)
    drafts.sort(key=lambda d: min(d.members))
    if merges is not None:
        from .merges import decide_merges

        drafts = decide_merges(merges, drafts, labels, facts)
    drafts = _columns_in_broken_paragraphs(drafts, lines, labels, keys, facts, crosses)
    return Stitched(drafts, leftovers, labels, facts.dateline)
