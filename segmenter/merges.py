"""The merge model: does an article the stitcher made hold the same story as the one before it?

The walk opens an article at every head run its rules or the head model take for a headline, and at every
paragraph the break model takes for a new story; both look a few lines around. Some of what they open
carries on the article before it, which only the two whole articles show: a package of short stories under
one headline (each with its own title and writer), a column of briefs under a column name, a long feature
whose intertitle read as a headline. After the stitcher has put each article together, each one is put to a
logistic regression over :func:`pair_features` — how the two articles open and close, their heads' shapes,
bylines and datelines, and how much of the second one's lead shares the rare character pairs of the first
one's text — and joins the article before it where the model says so; its head lines become intertitles.
It is trained by :func:`fit_merges` on the training pages as the stitcher (with the line, head and break
models) leaves them; the gold says whether two neighbours hold the same article, and the walk over the
neighbours follows the gold, as :func:`segmenter.breaks.break_samples` does.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from . import patterns as P
from .breaks import BreakModel, Walk, _bucket, as_break_model, fit_decision, span
from .facts import BODY, BYLINE, CAPTION, DATELINE, HEADLINE, SECTION, SUBHEAD, PageFacts

if TYPE_CHECKING:
    from .drafts import Draft

logger = logging.getLogger(__name__)

Features = dict[str, Any]

#: inverse regularisation strength of the merge model
MERGE_C = 1.0
#: the probability from which two neighbours become one article
MERGE_THRESHOLD = 0.5
#: text lines of the second article whose pairs are compared with the first article's text (its lead)
LEAD_LINES = 4
#: an article is read by its first and its last lines only (its head block, its lead, the text the next
#: one follows): a chain of joins on a page of thousands of lines stays linear
HEAD_WINDOW, TAIL_WINDOW = 8, 56
_TEXT = frozenset({BODY, SECTION, CAPTION})
_SHAPE = {HEADLINE: "H", SUBHEAD: "s", SECTION: "S", BYLINE: "b"}
#: a text that ends with something in brackets: a signature (``（吴秋余）``) or a closing dateline
_BRACKETED_END = re.compile(r"[（(][^（()）]{1,20}[)）]$")


def _head_shape(draft: Draft, labels: Sequence[str]) -> str:
    """The labels of the head lines before an article's first paragraph, as letters (``sHb``: kicker,
    headline, byline)."""
    shape = []
    for i in draft.members[:6]:
        if labels[i] == BODY:
            break
        if labels[i] in _SHAPE:
            shape.append(_SHAPE[labels[i]])
    return "".join(shape)


def _headline(draft: Draft, labels: Sequence[str], facts: PageFacts) -> str:
    return next((facts.plain[i] for i in draft.members[:HEAD_WINDOW] if labels[i] == HEADLINE), "")


def _window(draft: Draft) -> list[int]:
    """The members an article is read by: its first :data:`HEAD_WINDOW` and last :data:`TAIL_WINDOW`."""
    members = draft.members
    if len(members) <= HEAD_WINDOW + TAIL_WINDOW:
        return members
    return members[:HEAD_WINDOW] + members[-TAIL_WINDOW:]


class _Side:
    """What :func:`pair_features` reads of one article, gathered in one pass over :func:`_window`; its text's
    character pairs put together on first use (an article is the first of a pair once)."""

    __slots__ = ("text", "titles", "paragraphs", "sections", "subheads", "byline", "caption",
                 "dated", "text_dated", "headline", "shape", "_pairs", "_grams")

    def __init__(self, draft: Draft, labels: Sequence[str], facts: PageFacts) -> None:
        self.text: list[int] = []
        self.titles: list[int] = []
        self.paragraphs: list[int] = []
        self.sections = self.subheads = 0
        self.byline = self.caption = self.dated = self.text_dated = False
        dateline = facts.dateline
        for i in _window(draft):
            label = labels[i]
            dated = dateline[i] is not None
            if label in _TEXT:
                self.text.append(i)
                self.text_dated |= dated
                if label == BODY:
                    self.paragraphs.append(i)
                elif label == SECTION:
                    self.sections += 1
                    self.titles.append(i)
                else:
                    self.caption = True
            elif label == HEADLINE or label == SUBHEAD:
                self.titles.append(i)
                self.subheads += label == SUBHEAD
            elif label == BYLINE:
                self.byline = True
            self.dated |= dated or label == DATELINE
        self.headline = _headline(draft, labels, facts)
        self.shape = _head_shape(draft, labels)
        self._pairs: set[str] | None = None
        self._grams = facts.grams.grams

    @property
    def pairs(self) -> set[str]:
        """The character pairs of the article's text (its window's)."""
        if self._pairs is None:
            grams = self._grams
            self._pairs = set().union(*(grams[i] for i in self.text)) if self.text else set()
        return self._pairs


def pair_features(
    a: Draft, b: Draft, labels: Sequence[str], facts: PageFacts, sides: tuple[_Side, _Side] | None = None
) -> Features:
    """Features of two neighbouring articles ``a`` and ``b`` (``b`` printed after ``a``): one story?

    Parameters
    ----------
    a, b : Draft
        The articles, their members in reading order (:func:`segmenter.order.order_article` done).
    labels : sequence of str
        The stitcher's labels.
    facts : PageFacts
        The page's facts.
    sides : tuple, optional
        What was read of ``a`` and ``b`` already (:func:`decide_merges` keeps it); read here when not given.

    Returns
    -------
    dict
        Feature name → value, for ``DictVectorizer``.
    """
    f, fill = _pair_row(a, b, labels, facts, sides)
    fill()
    return f


#: the edges of the share's bucket (``share_b``)
SHARE_EDGES = (0.05, 0.1, 0.2, 0.35)
#: the values ``share_b`` may take
SHARE_BUCKETS = (*map(str, SHARE_EDGES), "more")
#: what the share's bucket reads until :func:`_pair_row`'s ``fill`` puts it in (no value the model knows)
_UNSHARED = ""


def _pair_row(
    a: Draft, b: Draft, labels: Sequence[str], facts: PageFacts, sides: tuple[_Side, _Side] | None = None
) -> tuple[Features, Callable[[], None]]:
    """:func:`pair_features`, but for the shares of pairs (``share``, its bucket ``share_b`` and
    ``first|share``, ``title_in_a``), at no weight (0.0, and a bucket no model knows) until ``fill()`` puts
    them in their places (the row's order, in which its weights are summed, stays)."""
    plain, grams = facts.plain, facts.grams
    sa, sb = sides if sides is not None else (_Side(a, labels, facts), _Side(b, labels, facts))
    a_head, b_head = sa.headline, sb.headline
    first, last = b.members[0], a.members[-1]
    b_lead_line = sb.paragraphs[0] if sb.paragraphs else None
    a_closed = labels[last] == DATELINE or (labels[last] != HEADLINE and _BRACKETED_END.search(plain[last]) is not None)
    b_byline = sb.byline
    b_lead_dated = b_lead_line is not None and facts.dateline[b_lead_line] is not None
    gap = facts.lines[first].n - facts.lines[last].n - 1
    a_shape, b_shape = sa.shape, sb.shape
    f: Features = {
        "bias": 1.0,
        "a_headless": not a_head,
        "b_headless": not b_head,
        "b_first": labels[first],
        "a_last": labels[last],
        "a_closed": a_closed,
        "a_byline": sa.byline,
        "b_byline": b_byline,
        "a_dated": sa.text_dated,
        "b_dated": sb.dated,
        "b_lead_dated": b_lead_dated,
        "b_lead_time": b_lead_line is not None and P.LEAD_TIME.match(plain[b_lead_line]) is not None,
        "a_photo": not sa.paragraphs and sa.caption,
        "b_photo": not sb.paragraphs and sb.caption,
        "a_head_len": _bucket(len(a_head), (0, 5, 8, 12, 20)),
        "b_head_len": _bucket(len(b_head), (0, 6, 10, 16, 24)),
        "a_head_tag": a_head.endswith(("）", ")")),
        "b_head_tag": b_head.endswith(("）", ")")),
        "a_head_dot": "·" in a_head,
        "a_sections": _bucket(sa.sections, (0, 1, 3)),
        "b_sections": _bucket(sb.sections, (0, 1, 3)),
        "a_paragraphs": _bucket(len(sa.paragraphs), (1, 3, 6, 12)),
        "b_paragraphs": _bucket(len(sb.paragraphs), (1, 3, 6, 12)),
        "b_subheads": sb.subheads > 0,
        "b_lines": _bucket(len(b.members), (2, 4, 8, 16)),
        "levels": f"{min(facts.level[a.members[0]], 3)}|{min(facts.level[first], 3)}",
        # the shares of pairs, filled in by ``fill`` (in place: the row's order stays)
        "share": 0.0,
        "share_b": _UNSHARED,
        "title_in_a": 0.0,
        "gap": str(min(3, gap)) if gap >= 0 else "back",
        "b_shape": b_shape,
        "same_shape": bool(b_shape) and a_shape[: len(b_shape)] == b_shape,
        "a_notice": bool(a_head) and facts.plain_notice_title[a.members[0]],
    }
    f["first|share"] = _UNSHARED
    f["first|byline|dated"] = f"{f['b_first']}|{b_byline}|{f['b_dated']}"
    f["first|byline|lead_dated"] = f"{f['b_first']}|{b_byline}|{b_lead_dated}"
    f["closed|first"] = f"{a_closed}|{f['b_first']}"
    f["shape|a_head_tag"] = f"{b_shape}|{f['a_head_tag']}"

    def fill() -> None:
        a_pairs = sa.pairs
        b_lead: set[str] = set().union(*(grams.grams[i] for i in sb.text[:LEAD_LINES])) if sb.text else set()
        b_title: set[str] = set().union(*(grams.grams[i] for i in sb.titles)) if sb.titles else set()
        share = grams.shared(b_lead, a_pairs) if b_lead and a_pairs else 0.0
        f["share"] = share
        f["share_b"] = _bucket(share, SHARE_EDGES)
        f["title_in_a"] = grams.shared(b_title, a_pairs) if b_title and a_pairs else 0.0
        f["first|share"] = f"{f['b_first']}|{f['share_b']}"

    return f, fill


def _share_spans(model: BreakModel, first: str) -> list[tuple[float, float]]:
    """The least and the most log-odds the shares of :func:`_pair_row`'s ``fill`` add to a row whose second
    article opens with a line labelled ``first``: the share's own weight, its bucket's with the bucket's
    and first label's, and the title's share's."""
    sep = model.separator
    buckets = [
        model.weight(f"share_b{sep}{value}") + model.weight(f"first|share{sep}{first}|{value}") for value in SHARE_BUCKETS
    ]
    return [span(model.weight("share")), (min(buckets), max(buckets)), span(model.weight("title_in_a"))]


def join(a: Draft, b: Draft, labels: list[str]) -> None:
    """Put article ``b`` at the end of ``a``: its headline and kickers become intertitles of ``a``."""
    for i in b.members:
        if labels[i] in (HEADLINE, SUBHEAD):
            labels[i] = SECTION
    a.members += b.members
    a.dup |= b.dup
    a.join |= b.join
    a.continued |= b.continued


def decide_merges(model: BreakModel, drafts: list[Draft], labels: list[str], facts: PageFacts) -> list[Draft]:
    """Join each article to the one before it where the merge model says they hold one story.

    Parameters
    ----------
    model : BreakModel
        The fitted merge model (its ``threshold`` decides).
    drafts : list of Draft
        The stitcher's articles in reading order, each in its own reading order.
    labels : list of str
        The stitcher's labels; a joined article's head lines become sections here.
    facts : PageFacts
        The page's facts.

    Returns
    -------
    list of Draft
        As many articles or fewer, in the same order.
    """
    threshold = model.threshold

    def one_story(p: float) -> bool:
        return p >= threshold

    spans: dict[str, list[tuple[float, float]]] = {}  # by the second article's first label

    def joins(f: Features, fill: Callable[[], None], _a: Draft, _b: Draft) -> bool:
        first = f["b_first"]
        if first not in spans:
            spans[first] = _share_spans(model, first)
        # the shares of pairs only where the rest of the row leaves the answer open
        return model.outcome(f, fill, spans[first], one_story)

    return _walk(drafts, labels, facts, joins)


def _walk(
    drafts: list[Draft],
    labels: list[str],
    facts: PageFacts,
    joins: Callable[[Features, Callable[[], None], Draft, Draft], bool],
) -> list[Draft]:
    """Put each article after the first to ``joins(features, fill, article before, article)`` and join it where
    that says so (the features as :func:`_pair_row` leaves them: ``fill()`` completes them); the article
    before is the one the joins so far left (read again once it has grown)."""
    out: list[Draft] = []
    prev_side: _Side | None = None
    for d in drafts:
        side = _Side(d, labels, facts)
        if out and prev_side is not None and not d.continued:
            if joins(*_pair_row(out[-1], d, labels, facts, (prev_side, side)), out[-1], d):
                join(out[-1], d, labels)
                prev_side = _Side(out[-1], labels, facts)
                continue
        out.append(d)
        prev_side = side
    return out


def merge_samples(
    pages: Sequence[tuple[str, dict[str, Any]]], line_model: Any, walk: Walk
) -> tuple[list[Features], list[int]]:
    """Merge samples of labelled pages: each pair of neighbouring articles the stitcher makes with the line
    model's labels (and the models of ``walk``, its merge model left out), 1 where the gold puts most of both
    in one article.

    The walk over the neighbours follows the gold: an article the gold says carries on the one before it
    joins it before the next pair is asked about, as a right decision leaves it.
    """
    classes = [str(c) for c in line_model.classes_]
    X: list[Features] = []
    y: list[int] = []
    for lines, _gold, article, proba, stitch_page in walk.pages(pages, line_model):
        stitched = stitch_page(merges=None)
        facts = PageFacts(lines, proba, classes)
        labels = stitched.labels

        # each article's story, the gold article most of its lines belong to; a join keeps it (both had it)
        stories: dict[int, int] = {}

        def story(d: Draft) -> int:
            if id(d) not in stories:
                counts: dict[int, int] = {}
                for i in d.members:
                    key = article.get(lines[i].n, 0)
                    counts[key] = counts.get(key, 0) + 1
                stories[id(d)] = max(counts, key=counts.__getitem__)
            return stories[id(d)]

        def teacher(features: Features, fill: Callable[[], None], a: Draft, b: Draft) -> bool:
            target = int(story(b) != 0 and story(b) == story(a))
            fill()
            X.append(features)
            y.append(target)
            return bool(target)

        _walk(stitched.articles, labels, facts, teacher)
    return X, y


def fit_merges(
    pages: Sequence[tuple[str, dict[str, Any]]], line_model: Any, walk: Walk, *, C: float = MERGE_C, seed: int = 0
) -> Any:
    """Fit the merge-model Pipeline on labelled pages (see :func:`merge_samples`).

    Returns
    -------
    Pipeline or None
        Fitted (``BreakModel.from_pipeline(p, MERGE_THRESHOLD)`` gives its arrays); ``None`` when the pages
        show no pair of one kind, with a warning.
    """
    X, y = merge_samples(pages, line_model, walk)
    return fit_decision(X, y, name="merge model", samples="neighbouring articles", ones="one story", C=C, seed=seed)


def as_merge_model(model: Any) -> BreakModel | None:
    """A :class:`~segmenter.breaks.BreakModel` with :data:`MERGE_THRESHOLD` from a fitted merge Pipeline; a
    BreakModel or ``None`` as it is."""
    return as_break_model(model, MERGE_THRESHOLD)
