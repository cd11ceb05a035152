"""The stitcher's repair passes over head blocks: each head block heads its own text.

The walk (:func:`segmenter.stitch.segment`) opens an article at each head block and gives it the text that
follows. An extractor does not always print a head block over its text: it prints it after its body, over
a headless photo item or the next article's text, two head blocks one over the other, or a headline as the
last line of the text above. These passes, run by :func:`segmenter.repeats.merge_fragments` before repeated
text is put back, give each head block its text, by where the text stands and how much of the headline its
lead restates (:func:`segmenter.drafts._similarity`).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from . import patterns as P
from .drafts import FOREIGN_LEAD, HEAD, OWN_LEAD, REPEAT_WINDOW, TEXT, Draft, headline_like, similarity
from .facts import BODY as _BODY, CAPTION as _CAPTION
from .facts import HEADLINE as _HEADLINE, SECTION as _SECTION, SUBHEAD as _SUBHEAD
from .facts import PageFacts



def repair_heads(drafts: list[Draft], labels: list[str], keys: Sequence[str], facts: PageFacts) -> list[Draft]:
    """Give each head block its own text: the repair passes in order (the first step of
    :func:`segmenter.repeats.merge_fragments`).

    Parameters
    ----------
    drafts : list of Draft
        The walk's drafts in file order, none empty.
    labels : list of str
        The lines' labels; corrected in place (a headline read as the last line of the text before it
        becomes a headline, an intertitle read as a headline a section again).
    keys : sequence of str
        Each line's comparison form (:func:`segmenter.drafts.line_keys`).
    facts : PageFacts
        The page's line facts.

    Returns
    -------
    list of Draft
        The drafts, in file order of their first line; lines move between them, none is lost.
    """
    drafts = _split_double_heads(drafts, labels, keys, facts)
    _headlines_read_as_last_lines(drafts, facts, labels, keys)
    drafts = _headlines_after_run_in_reports(drafts, facts, labels, keys)
    drafts = _heads_after_bodies(drafts, labels, keys, facts)
    drafts = _photo_reports_after_heads(drafts, labels, keys, facts)
    drafts = _heads_over_foreign_text(drafts, labels, keys, facts)
    _heads_over_moved_text(drafts, labels, keys)
    return drafts

#: a body printed before its head block is the tail of the previous article: cuts among its last lines
HEAD_AFTER_WINDOW = 80


#: cutting a headed article in two needs the moved head to match the lead after the cut clearly
CUT_PENALTY = 0.2


#: lines of another article an extractor prints inside one (a moved column), at most
MOVED_RUN = 3


#: headline similarity that gives a head block the headless text after the few lines it sits over
MOVED_LEAD = 0.3


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
        if not headline_like(facts.plain[last], labels[last]) or not P.ends_sentence(keys[before]):
            continue
        if similarity(keys[last], "".join(keys[i] for i in texts[: min(3, len(texts) - 1)])) >= OWN_LEAD:
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
        if not headline_like(facts.plain[last], labels[last]) or not P.ends_sentence(keys[texts[-2]]):
            continue
        own = similarity(keys[last], "".join(keys[i] for i in texts[:3]))
        best, at = OWN_LEAD, None
        for j in range(1, len(texts) - 1):
            if facts.key_dateline[texts[j]]:
                score = similarity(keys[last], "".join(keys[i] for i in texts[j : min(j + 3, len(texts) - 1)]))
                if score >= best and score > own:
                    best, at = score, j
        if at is None:
            continue
        cut = d.members.index(texts[at])
        labels[last] = _HEADLINE
        out.append(Draft(members=[last] + d.members[cut:-1]))
        d.members = d.members[:cut]
    return out


def _heads_after_bodies(drafts: list[Draft], labels: list[str], keys: Sequence[str], facts: PageFacts) -> list[Draft]:
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
        at = _head_after_cut(head, prev, labels, keys, facts)
        if at is None:
            continue
        d.members = d.members + prev.members[at:]
        prev.members = prev.members[:at]
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
    own_matches = similarity(own, "".join(lead[:3])) >= FOREIGN_LEAD
    best_j, best = None, 0.0
    for j in [0, *range(max(1, len(texts) - HEAD_AFTER_WINDOW), len(texts))]:
        if j == 0 and not whole:
            continue
        score = similarity(head, "".join(lead[j : j + 3]))  # the moved head matches the lead of its body
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
            best_j is not None and score == best and not similarity(head, lead[best_j]) and similarity(head, lead[j])
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
    lead = max(texts[at : at + 3], key=lambda i: similarity(head, keys[i]))
    return j, article.members.index(lead)


def _section_piece(piece: Draft, labels: Sequence[str], keys: Sequence[str], head: str) -> bool:
    """Whether ``piece`` reads as a section of the text a head block ``head`` heads: opened by its one
    headline (a section head further down read as a byline does not count), sharing the head's words as a
    headline shares them with its own lead."""
    if piece.continued or [i for i in piece.members if labels[i] == _HEADLINE] != piece.members[:1]:
        return False
    return similarity(head, "".join(keys[i] for i in piece.text_lines(labels))) >= FOREIGN_LEAD


def _section_under_lead(prev: Draft, first: Draft, labels: Sequence[str], keys: Sequence[str], head: str) -> bool:
    """Whether a lone head block ``head`` heads a headless lead ``first`` and the one-line-headed ``prev``
    after it (:func:`_section_piece`).

    The lead must restate the headline clearly.
    """
    if first.has_headline(labels) or first.continued or not _section_piece(prev, labels, keys, head):
        return False
    first_text = first.text_lines(labels)
    return bool(first_text) and similarity(head, "".join(keys[i] for i in first_text[:3])) >= OWN_LEAD


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
        under_match = similarity(head, under_lead)
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
            score = similarity(head, "".join(keys[i] for i in texts[j : j + 3]))
            if score >= best:
                best_j, best = j, score
        if best_j is None:
            out.append(d)
            continue
        # the block's own part ends at a second headline (the next article's), or at a line that heads
        # the text under it
        stay = heads[1] if len(heads) > 1 else next(
            (n for n in range(heads[0] + 1, len(block)) if similarity(keys[block[n]], under_lead) >= OWN_LEAD),
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
        if similarity(head, moved) >= FOREIGN_LEAD:
            continue
        home = _headline_home(drafts, k, moved, labels, keys)
        if home is None and similarity(head, "".join(keys[i] for i in own[:3])) < MOVED_LEAD:
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
        if heads and similarity(keys[heads[0]], text) >= OWN_LEAD:
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
    return similarity(key, "".join(keys[i] for i in d.text_lines(labels)[:3])) >= OWN_LEAD
