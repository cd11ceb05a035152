"""The article-break model: does a paragraph after a paragraph open a new article?

The line classifier sees two lines either side; whether the next paragraph still belongs to the article
above is a question about the article so far. In a run of headless one-paragraph briefs, or a brief
printed under the end of a longer article, nothing but the text itself says where one item ends: each
brief is about something else (``阿富汗一架客机…坠毁`` / ``白俄罗斯一架…客机…坠毁``), while the
paragraphs of one article keep its words. The stitcher asks this model at every step from a paragraph to
the next that no rule has settled (:func:`segmenter.stitch.segment`); a caption counts as a paragraph
(a brief read as one) unless it is a credit, the next numbered picture, or under a headline.

Samples are (article so far, next line) pairs; :func:`break_features` is a pure function of them
(text similarity weighted by how rare a character pair is on the page, how the next paragraph opens,
what the article so far has). The model is a scikit-learn Pipeline (DictVectorizer → logistic
regression) trained by :func:`fit_breaks` on the training pages (rendered corpus pages and annotated
ones) with the line model's own labels, and shipped as plain arrays (:class:`BreakModel`) beside the
line model.
"""

from __future__ import annotations

import functools
import itertools
import logging
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence, Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from . import patterns as P
from .classify import names_vocabulary, vocabulary_names
from .facts import BODY as _BODY, BYLINE as _BYLINE, CAPTION as _CAPTION, DATELINE as _DATELINE
from .facts import HEADLINE as _HEADLINE, SECTION as _SECTION, SUBHEAD as _SUBHEAD, Kept, Memo, PageFacts
from .lines import Line

if TYPE_CHECKING:  # stitch imports this module's types only for hints
    from .drafts import Draft

logger = logging.getLogger(__name__)


Features = dict[str, Any]

#: break probability from which the stitcher opens a new article
THRESHOLD = 0.5
#: inverse regularisation strength of the break model's logistic regression
BREAK_C = 1.0

_TEXT = (_BODY, _SECTION, _CAPTION)
_TITLES = (_HEADLINE, _SUBHEAD)
_COUNTED = (*_TEXT, *_TITLES, _BYLINE, _DATELINE)
_NOT_LETTERS = re.compile(r"[\s\W\d_]")
#: words that carry a paragraph on from the one above (``他说``, ``此外``, ``同时``)
_CARRY_ON = (
    "与此同时", "此外", "另外", "同时", "对此", "为此", "因此", "所以", "然而", "不过", "其中", "目前",
    "随后", "据悉", "他们", "我们", "他", "她", "它", "这", "此", "但", "而", "并", "还", "又", "其", "该",
)
#: openings of paragraphs kept per page (:func:`_opening`), the last ones asked about
OPENINGS_KEPT = 4096
#: summaries of the articles so far kept per page (:func:`_summary`), the last ones asked about
SUMMARIES_KEPT = 16
#: the paragraph lengths the break features tell apart
_LENGTH_EDGES = (19, 39, 79, 149, 299)
#: the paragraph counts the break features tell apart; from the last edge on, all alike
_PARAGRAPH_EDGES = (1, 2, 3, 5, 8, 13)
_PARAGRAPHS_SEEN = _PARAGRAPH_EDGES[-1] + 1
#: articles so far of at most this many character pairs are told apart by their pairs, not by which they are
SMALL_STEP = 64
#: steps of such articles whose answers are kept per page
STEPS_KEPT = 4096
#: the characters those words open with: most paragraphs open with none of them
_CARRY_ON_FIRST = frozenset(word[0] for word in _CARRY_ON)
#: a time named early in a paragraph's opening clause: the lead of a report
_EARLY_TIME = re.compile(r"(?:[0-9０-９]+|[一二三四五六七八九十〇○]+)日|近日|日前|最近|今天|昨天|前不久|近期|目前")


def _bigrams(text: str) -> frozenset[str]:
    """Character pairs of a text's letters (punctuation, digits and spaces dropped); frozen, so that a step
    key holds a line's set itself (and its hash, worked out once) rather than a copy."""
    t = _NOT_LETTERS.sub("", text)
    return frozenset([t[k : k + 2] for k in range(len(t) - 1)])


def _bucket(n: float, edges: Sequence[float]) -> str:
    """The first edge ``n`` is not above, as a string; ``"more"`` past the last."""
    for edge in edges:
        if n <= edge:
            return str(edge)
    return "more"


#: each paragraph count's bucket as the break features read it (counts from the last edge on alike)
_PARAGRAPH_BUCKETS = tuple(_bucket(n, _PARAGRAPH_EDGES) for n in range(_PARAGRAPHS_SEEN + 1))
#: … and the few counts a finished notice's features tell apart
_FEW_PARAGRAPHS = tuple(_bucket(n, (1, 2, 3)) for n in range(_PARAGRAPHS_SEEN + 1))

#: the pairs of a line that has none (shared, never changed)
_NO_PAIRS: frozenset[str] = frozenset()


#: above this many characters a page's line pairs are worked out when asked, not kept for every line
LAZY_CHARS = 2_000_000
#: … and the pairs of this many lines are kept at once
PAIRS_KEPT = 4096


def _line_pairs(text: str) -> frozenset[str]:
    """A line's pairs; a line without pairs shares one empty set (a page of a million one-character lines
    is not a million sets)."""
    return _bigrams(text) or _NO_PAIRS


class PageGrams:
    """A page's lines as character-pair sets, with each pair's rarity on the page.

    A pair's weight is ``log((lines + 1) / lines using it)``: names are rare on a page, ``中国`` is not.
    Line totals are worked out on first use and kept: the stitcher asks about some lines many times.
    """

    def __init__(self, grams: Sequence[frozenset[str]]) -> None:
        self.grams = grams
        counts = Counter(itertools.chain.from_iterable(grams))
        n = len(grams) + 1
        # one log per distinct count, not per pair (nor per line: a long page has few distinct counts)
        logs = {c: math.log(n / c) for c in set(counts.values())}
        # each pair's weight in C (``zip`` over the counts' keys and mapped values), not a comprehension
        self.weights: dict[str, float] = dict(zip(counts, map(logs.__getitem__, counts.values())))
        # line totals, worked out on first use
        self._totals = Memo(lambda pairs: sum(map(self.weights.__getitem__, pairs)), grams)

    #: share of the page's lines that open like a report's lead (a time early, a dateline): a page of briefs
    lead_share: float = 0.0

    @classmethod
    def of(cls, lines: Sequence[Line], normed: Sequence[str] | None = None) -> PageGrams:
        """The pairs of ``lines`` (``normed``: each line's ``norm(strip_markdown(text))``, when known)."""
        plain = [P.norm(P.strip_markdown(line.text)) for line in lines] if normed is None else normed
        # a giant page's pairs are worked out when asked (a set per line costs about 4 KB)
        grams: Sequence[frozenset[str]]
        if sum(map(len, plain)) > LAZY_CHARS:
            grams = Kept(_line_pairs, plain, PAIRS_KEPT)
        else:
            # a text printed again shares its line's set (never changed: the readers put sets together anew)
            known: dict[str, frozenset[str]] = {}
            grams = []
            for t in plain:
                pairs = known.get(t)
                if pairs is None:
                    pairs = known[t] = _line_pairs(t)
                grams.append(pairs)
        page = cls(grams)
        leads = sum(1 for t in plain if P.LEAD_TIME.match(t) or P.dateline_of_norm(t) is not None)
        page.lead_share = leads / max(1, len(plain))
        return page

    def total(self, i: int) -> float:
        """The weight of all of line ``i``'s pairs."""
        return self._totals[i]

    def line_share(self, hits: AbstractSet[str], line: int) -> float:
        """:meth:`shared` of line ``line``'s pairs whose ``hits`` (``part & first``, and ``| part & second``,
        built by the caller) are known."""
        total = self.total(line)
        if not total:
            return 0.0
        return sum(map(self.weights.__getitem__, hits)) / total

    def shared(
        self, part: AbstractSet[str], first: AbstractSet[str], second: AbstractSet[str] = frozenset(), line: int | None = None
    ) -> float:
        """Share of ``part``'s pairs found in ``first`` or ``second``, each weighted by its rarity.

        ``line``: ``part`` is that line's pairs (its total is kept); otherwise pairs the page does not
        use weigh nothing.
        """
        if not part:
            return 0.0
        weights = self.weights
        if line is not None:
            total = self.total(line)
        else:
            part = _on_page(part, weights)
            total = sum(map(weights.__getitem__, part))
        if not total:
            return 0.0
        hits = part & first
        if second:
            hits |= part & second
        return sum(map(weights.__getitem__, hits)) / total


def _on_page(part: AbstractSet[str], weights: dict[str, float]) -> set[str]:
    """``{g for g in part if g in weights}``, the same set built in C where it can be.

    A dict's keys view intersected with a smaller set walks that set and adds each pair the dict holds, in
    the comprehension's order, so the new set is laid out alike and iterates alike (its weights are summed
    in that order); with a set as large as the dict's keys, the view would be walked instead, hence the
    comprehension.
    """
    if len(part) < len(weights):
        return weights.keys() & part
    return {g for g in part if g in weights}


@dataclass(eq=False)
class SoFar:
    """What an article so far has, kept up as lines join it: its text's and its titles' character pairs,
    its lines by label, whether a dateline opened a paragraph, and its last line.

    The stitcher asks at every step of a long article; summing the article afresh each time would make
    a page of many short lines quadratic.
    """

    text: set[str] = field(default_factory=set)
    head: set[str] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_COUNTED, 0))
    dated: bool = False
    notice: bool = False
    last: int = -1
    taken: int = 0

    @classmethod
    def of(cls, members: Sequence[int], lines: Sequence[Line], labels: Sequence[str], page: PageGrams) -> SoFar:
        """The summary of an article's lines ``members`` (in the order taken)."""
        return cls().extend(members, lines, labels, page)

    def extend(
        self,
        members: Sequence[int],
        lines: Sequence[Line],
        labels: Sequence[str],
        page: PageGrams,
        facts: PageFacts | None = None,
    ) -> SoFar:
        """Take the members not yet taken (``members`` is the same article, grown); returns ``self``
        (``facts``: the page's line facts, when the caller has them)."""
        grams = page.grams
        for k in range(self.taken, len(members)):
            m = members[k]
            label = labels[m]
            if label in self.counts:
                self.counts[label] += 1
            if label in _TEXT:
                if grams[m]:
                    self.text |= grams[m]
                if label == _BODY and not self.dated:
                    self.dated = (facts.dateline[m] if facts is not None else P.find_dateline(lines[m].text)) is not None
            elif label in _TITLES:
                if grams[m]:
                    self.head |= grams[m]
                if label == _HEADLINE and not self.notice:
                    self.notice = facts.notice_title[m] if facts is not None else P.is_notice_title(lines[m].text)
        self.taken = len(members)
        if members:
            self.last = members[-1]
        return self


#: marks that open the items of a list or a column of short items
_BULLETS = "△▲●○■□◆◇★☆"


def _bullet(text: str) -> str:
    """The list mark a text opens with, or ""."""
    return text[:1] if text[:1] in _BULLETS else ""


def _opening(q: str, pairs: frozenset[str] | None = None) -> tuple[str, bool, bool, bool, bool, str, frozenset[str], str]:
    """What the break features read of the next paragraph ``q`` alone (normalised, stripped): its first
    character, a time or a dateline early, its length, the pairs of its opening, a carry-on word
    (``pairs``: the whole line's, when known, are its opening's if it is short)."""
    first = q[:1]
    carry_on = next((word for word in _CARRY_ON if q.startswith(word)), "") if first in _CARRY_ON_FIRST else ""
    time30 = _EARLY_TIME.search(q[:30]) is not None
    return (
        "han" if P.is_han(first) else first,
        P.LEAD_TIME.match(q) is not None,
        time30,
        time30 and _EARLY_TIME.search(q[:12]) is not None,  # none in 30 characters: none in their first 12
        P.dateline_of_norm(q) is not None,
        _bucket(len(q), _LENGTH_EDGES),
        pairs if pairs is not None and len(q) <= 12 else _bigrams(q[:12]),
        carry_on,
    )


def _opening_of(
    q: str, facts: PageFacts, pairs: frozenset[str] | None = None
) -> tuple[str, bool, bool, bool, bool, str, frozenset[str], str]:
    """:func:`_opening` of ``q``, kept in the page's facts (a page that prints the same line again asks once)."""
    opening = facts.openings.get(q)
    if opening is None:
        if len(facts.openings) >= OPENINGS_KEPT:
            facts.openings.clear()  # memory stays bounded on a page of many different lines
        opening = facts.openings[q] = _opening(q, pairs)
    return opening


def break_features(
    so_far: SoFar, lines: Sequence[Line], labels: Sequence[str], i: int, page: PageGrams, facts: PageFacts | None = None
) -> Features:
    """Features of the step from an article so far to line ``i``.

    Parameters
    ----------
    so_far : SoFar
        The article so far (:meth:`SoFar.of`); its last line is the paragraph above.
    lines : sequence of Line
        The page's non-empty lines.
    labels : sequence of str
        Their labels.
    i : int
        The next paragraph (a body line, or a caption).
    page : PageGrams
        The page's character pairs (:meth:`PageGrams.of`).
    facts : PageFacts, optional
        The page's line facts (:class:`segmenter.facts.PageFacts`), when the caller has them.

    Returns
    -------
    dict
        Feature name → value, for ``DictVectorizer``.
    """
    f, fill = _step_features(so_far, lines, labels, i, page, facts)
    fill()
    return f


#: the features of a step that :func:`_step_features` leaves for its ``fill``: shares of pairs weighted by
#: their rarity, each from 0 to 1, which the pair sets' own overlaps nearly always outweigh
RARE_FEATURES = ("rare_pq", "rare_text", "rare_lead")


def _step_features(
    so_far: SoFar, lines: Sequence[Line], labels: Sequence[str], i: int, page: PageGrams, facts: PageFacts | None = None
) -> tuple[Features, Callable[[], None]]:
    """:func:`break_features`, but for :data:`RARE_FEATURES`, at no weight (0.0) until ``fill()`` puts them in
    their places (the row's order, in which its weights are summed, stays)."""
    prev = so_far.last
    if facts is not None:
        p, q = facts.norm_strip[prev], facts.norm_strip[i]
    else:
        p, q = P.norm(lines[prev].text).strip(), P.norm(lines[i].text).strip()
    text, head, counts, dated = so_far.text, so_far.head, so_far.counts, so_far.dated
    opening = _opening_of(q, facts, page.grams[i]) if facts is not None else _opening(q)
    q_first, lead_time, time30, time12, q_dateline, q_len, lead, carry_on = opening
    qg, pg = page.grams[i], page.grams[prev]
    # each intersection once, built as PageGrams.shared builds it (the weights are summed in its order)
    q_prev, q_text = qg & pg, qg & text
    q_head = qg & head if head else _NO_PAIRS
    sim_text = len(q_text) / max(1, len(qg))
    if q_head:
        q_text |= q_head  # the pairs found in the text or the titles
    lead_in = [g for g in lead if g in text or g in head]
    headed = int(counts[_HEADLINE] > 0)
    has_dateline = int(counts[_DATELINE] > 0 or dated)
    notice_done = so_far.notice and p[-1:] in P.SENTENCE_END
    page_leads = _bucket(page.lead_share, (0.1, 0.25, 0.5))
    f: Features = {
        "bias": 1.0,
        "p_end": p[-1:] if p[-1:] in P.SENTENCE_END else "open",
        "q_first": q_first,
        "q_lead_time": lead_time,
        "q_time30": time30,
        "q_time12": time12,
        "q_dateline": q_dateline,
        "q_len": q_len,
        "p_len": _bucket(len(p), _LENGTH_EDGES),
        # plain overlap, and the same weighted by rarity: names are rare on a page, 中国 is not
        "sim_pq": len(q_prev) / max(1, min(len(pg), len(qg))),
        "sim_text": sim_text,
        "sim_head": len(q_head) / max(1, len(head)) if head else 0.0,
        "sim_lead_text": len(lead_in) / max(1, len(lead)),
        "sim_lead_prev": len(lead & pg) / max(1, len(lead)),
        "lead_new": not lead_in,
        # the rarity-weighted shares, filled in by ``fill`` (in place: the row's order stays)
        "rare_pq": 0.0,
        "rare_text": 0.0,
        "rare_lead": 0.0,
        "headed": bool(headed),
        "subhead": counts[_SUBHEAD] > 0,
        "byline": counts[_BYLINE] > 0,
        "section": counts[_SECTION] > 0,
        "dated": bool(has_dateline),
        # a notice's body is a paragraph or two: what follows a finished one is the next item
        "notice_done": notice_done,
        "notice_done|paragraphs": f"{notice_done}|{_FEW_PARAGRAPHS[min(counts[_BODY], _PARAGRAPHS_SEEN)]}",
        "paragraphs": _PARAGRAPH_BUCKETS[min(counts[_BODY], _PARAGRAPHS_SEEN)],
        "headed|dated": f"{headed}{has_dateline}",
        "gap": str(min(3, lines[i].n - lines[prev].n - 1)),
        # a page of briefs (most paragraphs open like a lead) against one of long features
        "page_leads": page_leads,
        "page_leads|headed": f"{page_leads}|{headed}",
        "p_label": labels[prev],
        "q_label": labels[i],
        # a photo credit above: the end of a photo brief, or a picture set in the middle of a feature
        "p_credit": labels[prev] == _CAPTION and P.is_credit(p),
    }
    if _bullet(p) or _bullet(q):
        # "△VCD有降价空间。" after "△上海第一八佰伴红火。…": items of one column, each about something else
        f["bullets"] = f"{_bullet(p)}>{_bullet(q)}"
    if carry_on:
        f["carry_on"] = True
        f["carry_on=" + carry_on] = 1.0
    if i + 1 < len(lines):
        f["next"] = labels[i + 1]
        f["next_dateline"] = (facts.dateline[i + 1] if facts is not None else P.find_dateline(lines[i + 1].text)) is not None
    # conjunctions: a lead with a time opens a brief far more often where no headline is above
    f["headed&lead_time"] = headed * f["q_lead_time"]
    f["headless&lead_time"] = (1 - headed) * f["q_lead_time"]
    f["headless*sim_text"] = (1 - headed) * f["sim_text"]

    def fill() -> None:
        f["rare_pq"] = page.line_share(q_prev, i)
        f["rare_text"] = page.line_share(q_text, i)
        f["rare_lead"] = page.shared(lead, text, head)

    return f, fill


#: log-odds a bound on a score is widened by: a row's float sum rounds in the last bits of its terms
#: (about 1e-14 here), and no weight is near this small
SLACK = 1e-9


def probability_of(score: float) -> float:
    """The probability a decision model's log-odds ``score`` stands for."""
    return 1.0 / (1.0 + math.exp(-score))


def span(weight: float) -> tuple[float, float]:
    """The least and the most log-odds a feature of this ``weight`` adds, for a value from 0 to 1."""
    return min(0.0, weight), max(0.0, weight)


#: the arrays of a decision model's ``.npz``: name → (dimensions, dtype kinds)
_DECISION_ARRAYS = {"names": (1, "U"), "coef": (1, "f"), "intercept": (0, "f"), "threshold": (0, "f"),
                    "separator": (0, "U")}


@dataclass(eq=False)
class BreakModel:
    """A fitted break model as plain arrays: vocabulary, coefficients, intercept, threshold.

    The arithmetic of the Pipeline of :func:`make_break_pipeline` (DictVectorizer → binary logistic
    regression) with numpy alone, like :class:`~segmenter.classify.LinearModel`: saved as ``.npz``
    without pickles.
    """

    vocabulary: dict[str, int]
    coef: np.ndarray
    intercept: float
    threshold: float = THRESHOLD
    separator: str = "="

    @classmethod
    def from_pipeline(cls, pipeline: Any, threshold: float = THRESHOLD) -> BreakModel:
        """The arrays of a fitted Pipeline from :func:`make_break_pipeline`."""
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(pipeline)
        vectorizer, classifier = (step for _, step in pipeline.steps)
        if [str(c) for c in classifier.classes_] != ["0", "1"]:
            raise ValueError(f"a break model has classes 0 and 1, not {list(classifier.classes_)}")
        return cls(
            vocabulary=dict(vectorizer.vocabulary_),
            coef=np.asarray(classifier.coef_[0], dtype=np.float64),
            intercept=float(classifier.intercept_[0]),
            threshold=threshold,
            separator=str(vectorizer.separator),
        )

    def save(self, path: str | Path) -> None:
        """Write the arrays to an ``.npz`` file (no pickles inside)."""
        np.savez_compressed(
            path,
            names=vocabulary_names(self.vocabulary),
            coef=self.coef,
            intercept=np.array(self.intercept),
            threshold=np.array(self.threshold),
            separator=np.array(self.separator),
        )

    @classmethod
    def load(cls, path: str | Path) -> BreakModel:
        """Read arrays written by :meth:`save` (no pickles; names, dtypes and shapes checked).

        Raises
        ------
        ValueError
            When the file does not hold the arrays of a decision model, consistent with each other.
        """
        from .model import read_npz

        data = read_npz(path, _DECISION_ARRAYS)
        names, coef = data["names"], data["coef"]
        if coef.shape != names.shape or len(set(names.tolist())) != len(names):
            raise ValueError(f"coef {coef.shape} does not fit {len(names)} distinct feature names")
        if not 0.0 <= float(data["threshold"]) <= 1.0:
            raise ValueError(f"threshold {float(data['threshold'])} is not from 0 to 1")
        return cls(
            vocabulary=names_vocabulary(names),
            coef=coef,
            intercept=float(data["intercept"]),
            threshold=float(data["threshold"]),
            separator=str(data["separator"]),
        )

    @functools.cached_property
    def _coefficients(self) -> list[float]:
        # Python floats: the same doubles, without a numpy scalar made at every term
        return [float(c) for c in self.coef]

    def probability(self, features: Features) -> float:
        """Probability that the step these features describe opens a new article."""
        return probability_of(self.score(features))

    def outcome(
        self,
        features: Features,
        fill: Callable[[], None],
        free: Sequence[tuple[float, float]],
        decide: Callable[[float], Any],
    ) -> Any:
        """``decide(self.probability(features))`` of the features once ``fill()`` has put in those still free.

        ``features`` hold the free ones at no weight; ``free`` gives the least and the most log-odds each may
        add. Where ``decide`` says the same at both ends of that range (it changes at most twice as the
        probability grows: false, unsure, true), it says so for every value between, and the free features
        are never worked out.
        """
        score = self.score(features)
        low = decide(probability_of(score + sum(lo for lo, _ in free) - SLACK))
        if low == decide(probability_of(score + sum(hi for _, hi in free) + SLACK)):
            return low
        fill()
        return decide(self.probability(features))

    @functools.cached_property
    def _by_name(self) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
        """The coefficients of numeric features by name, and of ``name=value`` features by name, then value:
        a row is scored without a string made for each of its features."""
        numeric: dict[str, float] = {}
        categorical: dict[str, dict[str, float]] = {}
        coef, sep = self._coefficients, self.separator
        for key, index in self.vocabulary.items():
            # every column by its whole name too: a numeric feature's name may hold the separator
            # (``carry_on=他``: 1.0), and DictVectorizer gives it the column ``carry_on=他`` as it does the
            # string feature ``carry_on``: ``他``
            numeric[key] = coef[index]
            name, found, value = key.partition(sep)
            if found:
                categorical.setdefault(name, {})[value] = coef[index]
        return numeric, categorical

    def score(self, features: Features) -> float:
        """The log-odds behind :meth:`probability`."""
        score = self.intercept
        numeric, categorical = self._by_name
        for name, value in features.items():
            if type(value) is str:
                values = categorical.get(name)
                if values is not None:
                    weight = values.get(value)
                    if weight is not None:
                        score += weight
            elif value:
                weight = numeric.get(name)
                if weight is not None:
                    score += weight * float(value)
        return score

    def weight(self, name: str) -> float:
        """The coefficient of a numeric or true/false feature (0.0 for one the model never saw)."""
        index = self.vocabulary.get(name)
        return 0.0 if index is None else self._coefficients[index]

    def for_page(
        self,
        lines: Sequence[Line],
        labels: Sequence[str],
        page: PageGrams | None = None,
        facts: PageFacts | None = None,
    ) -> Callable[[Draft, int], bool]:
        """The ``breaks(draft, i)`` question :func:`segmenter.stitch.segment` asks, for one page
        (``page``: its character pairs, ``facts``: its line facts, when the caller has them already)."""
        page = page if page is not None else PageGrams.of(lines)
        summaries: dict[int, SoFar] = {}
        last: list[Any] = [None, None, False]  # the last step's article so far, its key, its answer
        # answers by the whole step, for articles so far of few pairs (their pairs are part of the key): a
        # page of short lines asks the same few steps from ever new articles
        small: dict[tuple[Any, ...], bool] = {}

        free = [span(self.weight(name)) for name in RARE_FEATURES]
        threshold = self.threshold

        def opens(p: float) -> bool:
            return p >= threshold

        def decide(so_far: SoFar, i: int) -> bool:
            # the rarity-weighted shares only where the rest of the row leaves the answer open
            return self.outcome(*_step_features(so_far, lines, labels, i, page, facts), free, opens)

        def breaks(draft: Draft, i: int) -> bool:
            so_far = _summary(summaries, draft, lines, labels, page, facts)
            if facts is None:
                return decide(so_far, i)
            if len(so_far.text) + len(so_far.head) <= SMALL_STEP:
                key = _small_step_key(so_far, lines, labels, i, facts, page)
                answer = small.get(key)
                if answer is None:
                    answer = decide(so_far, i)
                    if len(small) >= STEPS_KEPT:
                        small.clear()  # memory stays bounded on a page of many different lines
                    small[key] = answer
                return answer
            key = _step_key(so_far, lines, labels, i, facts)
            if last[0] is so_far and last[1] == key:
                return last[2]  # the same step as the last one (a run of one line printed again and again)
            answer = decide(so_far, i)
            last[:] = so_far, key, answer
            return answer

        return breaks


def _step_key(so_far: SoFar, lines: Sequence[Line], labels: Sequence[str], i: int, facts: PageFacts) -> tuple[Any, ...]:
    """Everything :func:`break_features` reads for the step from ``so_far`` to line ``i``, apart from the
    article so far's identity: two steps from the same article whose keys are equal have equal features.

    The article's pair sets only grow while it is the same :class:`SoFar`, so their sizes stand for
    their contents; a line's pairs are a function of its ``normed`` form, its opening of its text.
    """
    prev = so_far.last
    return (
        facts.norm_strip[prev],
        facts.norm_strip[i],
        facts.normed[prev],
        facts.normed[i],
        len(so_far.text),
        len(so_far.head),
        *_step_rest(so_far, lines, labels, i, facts),
    )


def _small_step_key(
    so_far: SoFar, lines: Sequence[Line], labels: Sequence[str], i: int, facts: PageFacts, page: PageGrams
) -> tuple[Any, ...]:
    """Everything :func:`break_features` reads for the step from ``so_far`` to line ``i``, the article so
    far's pairs and the two lines' pairs included, and of the two lines' texts only what the features read
    (how the paragraph above ends, its length, its list mark, whether it is a credit; the next paragraph's
    opening): two steps with equal keys have equal features, from whichever articles (numbered headings
    ``标题1``, ``标题2``, … read as paragraphs ask the same step again and again). For an article of few pairs."""
    prev = so_far.last
    p = facts.norm_strip[prev]
    end = p[-1:]
    q_first, lead_time, time30, time12, q_dateline, q_len, lead, carry_on = _opening_of(facts.norm_strip[i], facts, page.grams[i])
    return (
        end if end in P.SENTENCE_END else "",
        _bucket(len(p), _LENGTH_EDGES),
        _bullet(p),
        labels[prev] == _CAPTION and P.is_credit(p),
        (q_first, lead_time, time30, time12, q_dateline, q_len, carry_on),
        lead,  # frozen sets: a line's own, not a copy
        page.grams[prev],
        page.grams[i],
        frozenset(so_far.text),
        frozenset(so_far.head),
        *_step_rest(so_far, lines, labels, i, facts),
    )


def _step_rest(so_far: SoFar, lines: Sequence[Line], labels: Sequence[str], i: int, facts: PageFacts) -> tuple[Any, ...]:
    """What both step keys hold: the labels about the step, the gap, the article's counts as the features read them."""
    prev = so_far.last
    counts = so_far.counts
    nxt = i + 1 < len(lines)
    return (
        labels[prev],
        labels[i],
        labels[i + 1] if nxt else None,
        facts.dateline[i + 1] is not None if nxt else None,
        min(3, lines[i].n - lines[prev].n - 1),  # the gap as the features read it
        # whether there is a headline, …; paragraphs by their bucket
        counts[_HEADLINE] > 0,
        counts[_DATELINE] > 0,
        counts[_SUBHEAD] > 0,
        counts[_BYLINE] > 0,
        counts[_SECTION] > 0,
        _PARAGRAPH_BUCKETS[min(counts[_BODY], _PARAGRAPHS_SEEN)],
        so_far.dated,
        so_far.notice,
    )


def _summary(
    summaries: dict[int, SoFar],
    draft: Draft,
    lines: Sequence[Line],
    labels: Sequence[str],
    page: PageGrams,
    facts: PageFacts | None = None,
) -> SoFar:
    """The draft's :class:`SoFar`, brought up to date (kept by id: drafts live as long as the page's walk;
    only the last :data:`SUMMARIES_KEPT` drafts' are kept, an older one is summed afresh if asked again)."""
    so_far = summaries.get(id(draft))
    if so_far is None or so_far.taken > len(draft.members):
        if so_far is None and len(summaries) >= SUMMARIES_KEPT:
            # the walk asks about the article it is in: an article's pairs kept for every article of a
            # giant page held most of its memory
            del summaries[next(iter(summaries))]
        so_far = summaries[id(draft)] = SoFar()  # new, or a line was taken back from it: sum afresh
    return so_far.extend(draft.members, lines, labels, page, facts)


def as_break_model(model: Any, threshold: float = THRESHOLD) -> BreakModel | None:
    """A :class:`BreakModel` deciding at ``threshold`` from a fitted Pipeline of :func:`make_break_pipeline`;
    a BreakModel or ``None`` as it is."""
    if model is None or isinstance(model, BreakModel):
        return model
    return BreakModel.from_pipeline(model, threshold)


def fit_decision(X: list[Features], y: list[int], *, name: str, samples: str, ones: str, C: float, seed: int) -> Any:
    """A decision model's Pipeline (:func:`make_break_pipeline`) fitted on its samples; ``None`` with a warning
    when they are all of one kind (``name``: the model; ``samples``, ``ones``: what the samples and the
    positive ones are, for the log)."""
    if len(set(y)) < 2:
        logger.warning("no %s: the pages gave %d %s, %d of them %s", name, len(y), samples, sum(y), ones)
        return None
    logger.info("training the %s on %d %s, %d of them %s", name, len(y), samples, sum(y), ones)
    return make_break_pipeline(C=C, seed=seed).fit(X, y)


def make_break_pipeline(*, C: float = BREAK_C, seed: int = 0) -> Any:
    """A fresh, unfitted break-model Pipeline: feature dicts → DictVectorizer → logistic regression."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    return Pipeline(
        [
            ("vectorize", DictVectorizer()),
            ("classify", LogisticRegression(C=C, max_iter=3000, random_state=seed)),
        ]
    )


def labelled_pages(
    pages: Sequence[tuple[str, dict[str, Any]]], line_model: Any, *, context: bool = True
) -> Iterator[tuple[list[Line], dict[str, Any], dict[int, int], list[str], np.ndarray]]:
    """Each training page as the stitcher meets it: its lines, its gold, the gold article of each line
    number, and the line model's labels and probabilities (pages without a line are skipped).

    A ``line_model`` with a ``context`` attribute (:class:`segmenter.train.OutOfFold`) has its context
    pass read the probabilities again, as at split time, unless ``context`` is false."""
    from .classify import predict_lines
    from .lines import split_lines

    passed = getattr(line_model, "context", None) if context else None
    for text, gold in pages:
        lines = split_lines(text)
        if not lines:
            continue
        article = {int(item["n"]): int(item.get("article", 0)) for item in gold["lines"]}
        # out-of-fold line models (segmenter.train.OutOfFold): the one that did not see this page
        model = line_model.for_page(gold) if hasattr(line_model, "for_page") else line_model
        labels, _, proba = predict_lines(model, lines, context=passed)
        yield lines, gold, article, labels, proba


@dataclass(frozen=True)
class Walk:
    """The decision models and the word test the stitcher walks the training pages with: each decision model
    learns on the walk the ones fitted before it make (:func:`segmenter.train.fit_decisions`). Models are
    fitted Pipelines or their arrays, ``None`` where absent."""

    heads: Any = None
    breaks: Any = None
    merges: Any = None
    joins: Any = None
    crosses: Callable[[str, str], bool] | None = None

    def pages(
        self, pages: Sequence[tuple[str, dict[str, Any]]], line_model: Any
    ) -> Iterator[tuple[list[Line], dict[str, Any], dict[int, int], np.ndarray, Callable[..., Any]]]:
        """Each labelled page (:func:`labelled_pages`): its lines, its gold, the gold article of each line
        number, the line model's probabilities, and ``stitch_page(**taught)``, which stitches it with these
        models, ``taught`` standing in for the decision a model is learning (``joins=teacher``)."""
        from .joins import as_join_model
        from .merges import as_merge_model
        from .stitch import stitch

        heads, breaks = as_break_model(self.heads), as_break_model(self.breaks)
        merges, joins = as_merge_model(self.merges), as_join_model(self.joins)
        classes = [str(c) for c in line_model.classes_]
        for lines, gold, article, labels, proba in labelled_pages(pages, line_model):
            stitch_page = functools.partial(
                stitch, lines, labels, self.crosses, breaks, heads, proba, classes, merges=merges, joins=joins
            )
            yield lines, gold, article, proba, stitch_page


def break_samples(
    pages: Sequence[tuple[str, dict[str, Any]]], line_model: Any, heads: Any = None
) -> tuple[list[Features], list[int]]:
    """Break samples of labelled pages, as the stitcher meets them with the line model's labels.

    Each page is labelled by ``line_model`` and walked by :func:`segmenter.stitch.segment`; at every
    step from a paragraph to the next it asks about, the gold says whether the two lines belong to
    different articles, and the walk follows the gold, so that the article so far is the one a right
    decision leaves. With a head model (:mod:`segmenter.heads`), its decisions are made first, as in
    :func:`segmenter.stitch.stitch`.
    """
    from .drafts import line_keys
    from .stitch import segment

    X: list[Features] = []
    y: list[int] = []
    for lines, gold, article, labels, proba in labelled_pages(pages, line_model):
        opens: set[int] = set()
        if heads is not None:
            from .heads import decide_heads

            head_model = as_break_model(heads)
            assert head_model is not None  # ``heads`` is not None: a BreakModel, or a Pipeline made one
            opens = decide_heads(head_model, lines, labels, proba, [str(c) for c in line_model.classes_])
        page = PageGrams.of(lines)
        summaries: dict[int, SoFar] = {}

        def teacher(draft: Draft, i: int) -> bool:
            here, above = article.get(lines[i].n, 0), article.get(lines[draft.members[-1]].n, 0)
            target = int(here != above and here != 0)
            X.append(break_features(_summary(summaries, draft, lines, labels, page), lines, labels, i, page))
            y.append(target)
            return bool(target)

        segment(lines, labels, line_keys(lines), breaks=teacher, head_opens=opens)
    return X, y


def fit_breaks(
    pages: Sequence[tuple[str, dict[str, Any]]], line_model: Any, *, C: float = BREAK_C, seed: int = 0, heads: Any = None
) -> Any:
    """Fit a break-model Pipeline on labelled pages (see :func:`break_samples`).

    Returns
    -------
    Pipeline or None
        Fitted; :meth:`BreakModel.from_pipeline` turns it into the shipped arrays. ``None`` when the
        pages show no step of one kind (a few pages with no headless brief in a run): nothing to learn,
        and the stitcher keeps to its rules.
    """
    X, y = break_samples(pages, line_model, heads)
    if len(set(y)) < 2:
        logger.warning(
            "no break model: the pages gave %d paragraph → paragraph steps, %d of them breaks; train on more pages "
            "(the corpus, or annotated pages with runs of headless briefs) to have one",
            len(y),
            sum(y),
        )
        return None
    logger.info("training the break model on %d paragraph → paragraph steps, %d of them breaks", len(y), sum(y))
    return make_break_pipeline(C=C, seed=seed).fit(X, y)
