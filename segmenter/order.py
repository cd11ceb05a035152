"""Each article's reading order, and the passes that read one article at a time.

:func:`order_article` puts head lines first, marks repeated text ``dup`` and joins a paragraph broken at a
column end to the line that continues it, which it looks for among the next few lines (a moved column), by
sentence continuity and words that cross the break. The other passes set an article's head block right (the
headline by its ``#`` level, a lone subhead made the headline, an artist's credit) and, over the page, put
back a column printed inside a broken paragraph and a kicker read as the last line of the text above.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from . import patterns as P
from .drafts import (
    HEAD,
    MAX_CONTAINMENT_CHARS,
    MAX_CONTAINMENT_LINES,
    TEXT,
    Draft,
    line_keys,
    short_bracketed,
)
from .facts import BODY as _BODY, BYLINE as _BYLINE, CAPTION as _CAPTION, DATELINE as _DATELINE
from .facts import HEADLINE as _HEADLINE, SECTION as _SECTION, SUBHEAD as _SUBHEAD
from .facts import Memo, PageFacts
from .joins import JoinDecision, join_features
from .lines import Line


#: how far ahead a broken paragraph looks for its continuation (lines of the same article)
JOIN_WINDOW = 6


def order_article(
    draft: Draft,
    lines: Sequence[Line],
    labels: Sequence[str],
    crosses: Callable[[str, str], bool] | None = None,
    keys: Sequence[str] | None = None,
    facts: PageFacts | None = None,
    joins: JoinDecision | None = None,
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
    joins : callable, optional
        The join decision (:func:`segmenter.joins.decision` of the join model): which of the candidates
        continues a stopped line; without it, the rules of :func:`_continuation` decide.

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
    # the facts, when the keys are theirs (their memos answer for these keys)
    shared = facts if facts is not None and keys is facts.key else None
    datelines = shared.key_dateline if shared is not None else Memo(P.find_dateline, keys)
    # whether a line ends a sentence: asked of each line, and again of the line above each join candidate
    ends = shared.key_ends if shared is not None else Memo(P.ends_sentence, keys)

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
        if i in dup or labels[i] != _BODY or ends[i] or len(keys[i]) < 6:
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
        if joins is not None:
            best_q = _learned_continuation(keys, labels, order, pos, cands, crosses, dup, joins, ends)
        else:
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


def _learned_continuation(
    keys: Sequence[str],
    labels: Sequence[str],
    order: list[int],
    pos: int,
    cands: list[int],
    crosses: Callable[[str, str], bool] | None,
    dup: set[int],
    joins: JoinDecision,
    ends: Memo,
) -> int | None:
    """Position in ``order`` of the line that continues the stopped line at ``pos``, as the join model
    decides among the candidates (positions ``cands``; ``ends[i]``: line ``i`` ends a sentence)."""
    i = order[pos]
    left = keys[i]
    rows = []
    for rank, q in enumerate(cands):
        right = keys[order[q]]
        between = q - pos - 1
        above = order[q - 1]
        rows.append(
            join_features(
                left,
                right,
                rank=rank,
                between=between,
                heads_between=sum(labels[order[p]] != _BODY for p in range(pos + 1, q)),
                above_open=(
                    between > 0
                    and above not in dup
                    and labels[above] == _BODY
                    and len(keys[above]) >= 6
                    and not ends[above]
                ),
            )
        )

    def cross(k: int) -> bool:
        right = keys[order[cands[k]]]
        return bool(right) and crosses(left, right)  # type: ignore[misc]

    k = joins(rows, i, [order[q] for q in cands], cross if crosses is not None else None)
    return None if k is None else cands[k]


def _continuation(
    keys: Sequence[str],
    order: list[int],
    pos: int,
    cands: list[int],
    crosses: Callable[[str, str], bool] | None,
    datelines: Memo,
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


def headline_by_level(draft: Draft, facts: PageFacts, labels: list[str]) -> None:
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


def headline_from_subhead(draft: Draft, facts: PageFacts, labels: list[str]) -> None:
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


def artist_credit(draft: Draft, lines: Sequence[Line], labels: list[str]) -> None:
    """A titled item with no text but a bracketed name under its title: a picture and its artist.

    A painting, a calligraphy or a cartoon prints its title and the artist's name (``雄风图`` /
    ``（石愚作）``, ``圆梦（中国画）`` / ``（胡才春）``); the name is the item's credit, and its only
    text, not an author's byline over text that never comes.
    """
    if draft.text_lines(labels) or not draft.has_headline(labels):
        return
    last = draft.members[-1]
    if labels[last] == _BYLINE and short_bracketed(lines[last].text):
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


def columns_in_broken_paragraphs(
    drafts: list[Draft],
    lines: Sequence[Line],
    labels: list[str],
    keys: Sequence[str],
    facts: PageFacts,
    crosses: Callable[[str, str], bool] | None,
    joins: JoinDecision | None = None,
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
            order_article(d, lines, labels, crosses, keys, facts, joins)
            out.append(d)
        else:
            for i in column:
                if labels[i] in (_HEADLINE, _SUBHEAD):
                    labels[i] = _SECTION
            out[k].members += d.members
        order_article(out[k], lines, labels, crosses, keys, facts, joins)
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


def lead_ins_with_their_line(drafts: list[Draft], labels: list[str], facts: PageFacts) -> None:
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
