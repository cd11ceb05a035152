"""The stitcher: group labelled lines into articles.

It works on line indices and never drops one: every line ends in exactly one :class:`~segmenter.drafts.Draft`
(an article) or in the page's leftovers. :func:`stitch` runs the steps in order, each a module of its own:

1. :func:`segment` (here) walks the page once and opens an article at each headline block, at a hard break
   (a closing dateline, a photo credit, a sign-off, a wide blank gap, ``（上接第X版）``, a
   dateline-opened paragraph that starts a brief, a caption that opens a photo item, a paragraph the
   break model of :mod:`segmenter.breaks` finds about something else), attaching everything else to the
   open article; the head model (:mod:`segmenter.heads`) has decided the head runs it is sure of before;
2. :func:`segmenter.repeats.merge_fragments` puts back what the walk split off wrongly: first the repair
   passes of :mod:`segmenter.repairs` give each head block its own text (printed before it, or after a
   column moved under it), then a headless run whose text the page already printed, or that continues an
   unfinished sentence of another article, goes to that article, and so does a run at the end of an
   article that an earlier one already printed;
3. :func:`segmenter.order.order_article` restores each article's reading order: head lines first, repeated
   text marked ``dup``, and a paragraph broken at a column end joined to the line that continues it, which
   it looks for among the next few lines (a moved column), by sentence continuity and words that cross the
   break;
4. the merge model (:mod:`segmenter.merges`) joins an article to the one before it where both hold one
   story, and a column printed inside a broken paragraph goes back (:mod:`segmenter.order`).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Callable, Sequence, Set as AbstractSet
from typing import TYPE_CHECKING

from . import patterns as P
from .drafts import (
    FOREIGN_LEAD,
    HEAD,
    NO_HEAD_OPENS,
    OWN_LEAD,
    TEXT,
    Draft,
    Stitched,
    bracketed,
    headline_like,
    line_key,
    similarity,
)
from .facts import BODY as _BODY, BYLINE as _BYLINE, CAPTION as _CAPTION, DATELINE as _DATELINE
from .facts import HEADLINE as _HEADLINE, OTHER as _OTHER, SECTION as _SECTION, SUBHEAD as _SUBHEAD
from .facts import PageFacts
from .lines import Line
from .order import (
    artist_credit,
    columns_in_broken_paragraphs,
    headline_by_level,
    headline_from_subhead,
    lead_ins_with_their_line,
    order_article,
)
from .repeats import merge_fragments

if TYPE_CHECKING:
    import numpy as np

    from .breaks import BreakModel
    from .joins import JoinDecision
    from .titles import TitleDecision


def _gap_limit(lines: Sequence[Line]) -> int:
    """Blank lines between two lines that mean a break between articles on this page."""
    gaps = [b.n - a.n - 1 for a, b in zip(lines, lines[1:]) if b.n != a.n]
    usual = int(statistics.median(gaps)) if gaps else 1
    return max(2, usual + 1)


def segment(
    lines: Sequence[Line],
    labels: list[str],
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
    labels : list of str
        Their labels (the walk relabels some lines in place).
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
        if label in HEAD and keys[i][:1] in NO_HEAD_OPENS:
            # "、入境消费等…": a line that opens with a character no heading opens with carries on a paragraph
            label = labels[i] = _BODY
        if label in HEAD and i + 1 < n and keys[i + 1][:1] in NO_HEAD_OPENS and lines[i + 1].n - line.n - 1 < limit:
            # "…他说" over "，现在的农村…": the next line finishes its sentence, so it is no heading
            label = labels[i] = _BODY
        if label in HEAD and P.CONTINUED_TO.search(keys[i]):
            # "…金牌“零”的突(下转第十版)": only text runs on to another page, never a heading
            label = labels[i] = _BODY
        if label in (_BYLINE, _SECTION, _BODY, _SUBHEAD) and _notice_title(F, i) and (
            label != _SUBHEAD or (labels[i + 1] in TEXT and not F.plain[i].startswith("—"))
        ):
            # "某拍卖有限公司 拍卖公告" names its issuer the way a byline names a reporter, but it is a title;
            # "债权债务转让公告" read as a subhead over the notice's text too (a kicker that names a notice
            # stands over its headline, a deck opens with a dash)
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
                and similarity(keys[i], keys[i + 1][: max(20, 2 * len(keys[i]))]) < OWN_LEAD
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
                if heads_prev and headline_like(F.plain[prev], labels[prev]):
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
    """A short line at the page's top or foot (or under or over another such line) that names a page, a
    weekday, the paper or the editors."""
    n = len(facts.lines)
    if 0 < i < n - 1:
        # a second line of the page's head or foot: next to one that is furniture
        beside = i - 1 if i <= 2 else i + 1 if i >= n - 3 else None
        if beside is None or not _is_running_head(facts, beside):
            return False
    return _is_running_head(facts, i)


def _is_running_head(facts: PageFacts, i: int) -> bool:
    """A short line that names a page, a weekday, the paper or the editors, wherever it stands."""
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
    return bracketed(facts.norm_strip[i])


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


def _signs_off(text: str, draft: Draft) -> bool:
    """A bracketed name line (normalised and stripped) right after an article's text."""
    return bool(draft.counts[_BODY]) and bracketed(text)


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
    if body <= 2 and heads and similarity(facts.key[heads[0]], line_key(text)) >= FOREIGN_LEAD:
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
    return similarity(head, keys[i]) < FOREIGN_LEAD <= similarity(head, captions)


def _credit_closes(draft: Draft, labels: Sequence[str]) -> bool:
    """A photo credit closes the item unless it captions the picture under a headline block."""
    if len(draft.members) < 2 or draft.counts[_BODY]:
        return True
    before = labels[draft.members[-2]]
    return before not in HEAD and before != _CAPTION


def stitch(
    lines: Sequence[Line],
    labels: Sequence[str],
    crosses: Callable[[str, str], bool] | None = None,
    breaks: BreakModel | None = None,
    heads: BreakModel | None = None,
    proba: np.ndarray | None = None,
    classes: Sequence[str] = (),
    merges: BreakModel | None = None,
    facts: PageFacts | None = None,
    joins: BreakModel | JoinDecision | None = None,
    titles: BreakModel | TitleDecision | None = None,
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
    facts : PageFacts, optional
        The lines' facts, when the caller has them (the classifier read them too); they take ``proba``.
    joins : BreakModel or callable, optional
        Decides which line, if any, continues a paragraph that stops unfinished (:mod:`segmenter.joins`;
        a callable is the decision itself, as training asks it); without it, the rules of
        :func:`segmenter.order.order_article` decide.
    titles : BreakModel or callable, optional
        Decides which line of each article's title block is its headline, once the articles are put
        together (:mod:`segmenter.titles`; a callable is the decision itself); without it, the
        classifier's labels stand.

    Returns
    -------
    Stitched
        Articles in reading order and leftover line indices; together they hold every line once.
    """
    labels = list(labels)
    if joins is not None and not callable(joins):
        from .joins import decision

        joins = decision(joins)
    # what every pass and both decision models read about a line, once for the page
    if facts is None:
        facts = PageFacts(lines, proba, classes)
    else:
        facts.read_proba(proba, classes)
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
        headline_from_subhead(d, facts, labels)
    drafts = merge_fragments(drafts, lines, labels, crosses, keys, facts)
    lead_ins_with_their_line(drafts, labels, facts)
    drafts = [d for d in drafts if d.members]
    for d in drafts:
        order_article(d, lines, labels, crosses, keys, facts, joins)
        headline_by_level(d, facts, labels)
        headline_from_subhead(d, facts, labels)  # head lines printed after text come first only now
        artist_credit(d, lines, labels)
    drafts = [d for d in drafts if d.members]
    # articles in reading order: by their first line in the file (head lines may sit after the body)
    drafts.sort(key=lambda d: min(d.members))
    if merges is not None:
        from .merges import decide_merges

        drafts = decide_merges(merges, drafts, labels, facts)
    drafts = columns_in_broken_paragraphs(drafts, lines, labels, keys, facts, crosses, joins)
    if titles is not None:
        from .titles import choose_headlines, decision as title_decision

        choose_headlines(drafts, labels, facts, titles if callable(titles) else title_decision(titles))
    return Stitched(drafts, leftovers, labels, facts.dateline)
