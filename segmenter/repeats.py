"""Text printed again and text continued: the stitcher's second pass (:func:`merge_fragments`).

An extractor prints a run of an article, or all of it, two or three times over, and cuts an article where a
column ends. After the head blocks have their text (:mod:`segmenter.repairs`), a headless run whose text the
page already printed, or that continues an unfinished sentence of another article, goes back to that
article, and so does an article printed again with its headline. Text is compared by the 4-grams of its
lines' comparison forms (:class:`_LineGrams`), each line's worked out once.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence, Set as AbstractSet
from dataclasses import replace

from . import patterns as P
from .drafts import MAX_CONTAINMENT_CHARS, OWN_LEAD, REPEAT_WINDOW, TEXT, Draft, similarity
from .facts import BYLINE as _BYLINE, HEADLINE as _HEADLINE, SECTION as _SECTION
from .facts import Kept, PageFacts
from .lines import Line
from .repairs import repair_heads


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


def _probe(grams: set[str]) -> list[str]:
    """A few of a line's 4-grams ``grams``: more than the line may miss and still stand in a text
    (:data:`LINE_REPEAT`; one to spare over the division's rounding). A text that holds none of them cannot
    hold the line, which an ``isdisjoint`` of these few tells without the whole intersection (most texts hold
    none of a line that was not printed twice)."""
    return list(itertools.islice(grams, int(len(grams) * (1 - LINE_REPEAT)) + 2))


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
    drafts = repair_heads(drafts, labels, keys, F)

    # 2. a headless draft that repeats or continues another article goes back to it
    lg = _LineGrams(keys)
    out: list[Draft] = []
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
    if similarity(own, "".join(keys[i] for i in texts[:2])) < OWN_LEAD:
        return None
    last = len(texts) if similarity(own, "".join(keys[i] for i in texts[:3])) >= OWN_LEAD else 3
    best_j, best = None, (OWN_LEAD, 0.0)
    for j in range(2, last):
        lead = "".join(keys[i] for i in texts[j : j + 3])
        score = (similarity(head, lead), similarity(head, keys[texts[j]]))
        if score > best and score[0] > similarity(own, lead):
            best_j, best = j, score
    return None if best_j is None else t.members.index(texts[best_j])


#: writer's lines a repeated run may end with (a commentary signed under its text)
TAIL_MARKS = 2


def _repeated_tail(
    d: Draft, out: list[Draft], grams: list[set[str]], keys: Sequence[str], labels: Sequence[str], lg: _LineGrams
) -> int | None:
    """Where the run of ``d``'s last lines that an earlier article already printed starts, if ``d`` has
    text of its own before it (a whole repeat is :func:`_repeats`' business).

    The article just before counts like any other: a head block over text of its own, then a run of the
    article above printed again, heads an article of its own whose tail goes back (before 2026-12-07 the
    whole of ``d`` went back to that article, as if its head were one of its intertitles); and the run may
    end with the writer's line printed under it again (``（作者为中国驻俄罗斯大使）``).
    """
    members = d.members
    # a writer's line under the run goes back with it: it was printed with that text. (Not a closing dateline:
    # on a real page one closes the first part of a report whose rest follows; taking it fails that page.)
    end = len(members)
    while end > len(members) - TAIL_MARKS and end > 0 and labels[members[end - 1]] == _BYLINE:
        end -= 1
    if not grams or not end or labels[members[end - 1]] not in TEXT or len(keys[members[end - 1]]) < REPEAT_MIN:
        return None
    window = [g for g in grams[max(0, len(grams) - REPEAT_WINDOW) :] if g]
    if not window:
        return None

    def repeated(i: int) -> bool:
        line = lg.line[i]
        probe = _probe(line)  # a text that holds none of these cannot hold the line
        return any(not g.isdisjoint(probe) and _contained_share(line, g) >= LINE_REPEAT for g in window)

    cut = end
    while cut > 0 and labels[members[cut - 1]] in TEXT:
        last = members[cut - 1]
        if len(keys[last]) >= REPEAT_MIN and not repeated(last):
            break
        cut -= 1
    while cut < end and len(keys[members[cut]]) < REPEAT_MIN:
        cut += 1  # short lines at the seam stay with the article's own text
    own = [i for i in members[:cut] if labels[i] in TEXT and len(keys[i]) >= REPEAT_MIN]
    if cut >= end or not own:
        return None
    return cut


def _text_grams(keys: Sequence[str], idx: Sequence[int], lg: _LineGrams) -> set[str]:
    """4-grams of a draft's text for repeat detection (a new set); none for a giant one (memory stays
    bounded)."""
    if sum(len(keys[i]) for i in idx) > MAX_CONTAINMENT_CHARS:
        return set()
    return lg.joined(idx)


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
    probes = [_probe(t_grams) for _, t_grams in long_texts]
    body = lg.read(idx)
    best, best_score = None, 0.0
    for k in range(max(0, len(grams) - REPEAT_WINDOW), len(grams)):
        g = grams[k]
        if probes and all(map(g.isdisjoint, probes)):
            # no long line can stand in g, and where there are long lines a share alone never counts: most
            # earlier articles are told apart so, without the text's whole intersection with them
            continue
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
