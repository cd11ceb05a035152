"""The split model: is an intertitle inside an article the headline of another story?

The head model decides each head run inside text before the walk, reading a few lines around it; a
headline it reads as an intertitle (``冲锋向前决胜小康`` printed under the last paragraph of a commentary,
``电信网络诈骗案件去年共破获二十万起`` / ``## 破案数上升 发案数下降`` under a report) leaves its story inside
the article above, which only the whole of both parts shows. Once the stitcher has put the articles
together (the merge model included), each run of intertitles after text is put to a logistic regression
over the two parts it would cut the article into, read as two neighbouring articles with the run as the
second one's head block (:func:`segmenter.merges.pair_features`) and the run's own facts
(:func:`split_features`); where it says so, the article is cut there and the run becomes the second one's
head block. It is trained by :func:`fit_splits` on the training pages as the stitcher leaves them; the gold
says whether the run's first line belongs to another article than the text above it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from .breaks import BreakModel, _bucket, as_break_model, fit_decision, labelled_pages
from .drafts import Draft
from .facts import BODY, HEADLINE, SECTION, SUBHEAD, PageFacts
from .merges import pair_features

logger = logging.getLogger(__name__)

Features = dict[str, Any]

#: inverse regularisation strength of the split model
SPLIT_C = 1.0
#: the probability from which an article is cut at an intertitle
SPLIT_THRESHOLD = 0.5

#: ``decide(features, run, draft) -> bool``: cut ``draft`` at the intertitle run ``run``
SplitDecision = Callable[[Features, list[int], Draft], bool]


def _part(draft: Draft, members: list[int]) -> Draft:
    kept = set(members)
    return Draft(members=members, dup=draft.dup & kept, join=draft.join & kept)


def split_features(a: Draft, b: Draft, run: Sequence[int], labels: Sequence[str], facts: PageFacts) -> Features:
    """What the split model reads of cutting an article into ``a`` and ``b`` at the intertitle run ``run``
    (``b``'s first lines, labelled as a head block already)."""
    f = pair_features(a, b, labels, facts)
    first = run[0]
    f["run"] = _bucket(len(run), (1, 2, 3))
    f["p_headline"] = float(facts.p_headline[first])
    f["p_section"] = float(facts.p_section[first])
    f["run_level"] = str(min(facts.level[first], 3))
    return f


def decide_splits(drafts: list[Draft], labels: list[str], facts: PageFacts, decide: SplitDecision) -> list[Draft]:
    """Cut each article at every intertitle run ``decide`` takes for another story's head block; the run's
    first line becomes the new article's headline and the rest of the run its subheads (``labels`` in place).

    Returns
    -------
    list of Draft
        As many articles or more, in the same order.
    """
    out: list[Draft] = []
    for d in drafts:
        rest = d
        start = 0
        while True:
            found = _next_cut(rest, labels, facts, decide, start)
            if found is None:
                out.append(rest)
                break
            a, b, start = found
            a.continued = rest.continued
            out.append(a)
            rest = b
    return out


def _next_cut(
    d: Draft, labels: list[str], facts: PageFacts, decide: SplitDecision, start: int
) -> tuple[Draft, Draft, int] | None:
    """The first intertitle run of ``d`` from member ``start`` on that ``decide`` cuts at: the two parts."""
    members = d.members
    seen_text = any(labels[i] == BODY for i in members[:start])
    m = start
    while m < len(members):
        i = members[m]
        if labels[i] == BODY:
            seen_text = True
        elif labels[i] == SECTION and seen_text and i not in d.dup:
            end = m + 1
            while end < len(members) and labels[members[end]] in (SECTION, SUBHEAD):
                end += 1
            if end < len(members):  # a run that ends the article heads nothing
                run = members[m:end]
                saved = [labels[k] for k in run]
                labels[run[0]] = HEADLINE
                for k in run[1:]:
                    labels[k] = SUBHEAD
                a, b = _part(d, members[:m]), _part(d, members[m:])
                if decide(split_features(a, b, run, labels, facts), run, d):
                    return a, b, 0
                for k, label in zip(run, saved):
                    labels[k] = label
            m = end
            continue
        m += 1
    return None


def decision(model: BreakModel) -> SplitDecision:
    """The split decision of a fitted model: cut from its threshold on."""
    return lambda features, _run, _draft: model.probability(features) >= model.threshold


def split_samples(
    pages: Sequence[tuple[str, dict[str, Any]]],
    line_model: Any,
    *,
    heads: Any = None,
    breaks: Any = None,
    merges: Any = None,
    joins: Any = None,
    crosses: Callable[[str, str], bool] | None = None,
) -> tuple[list[Features], list[int]]:
    """Split samples of labelled pages: every intertitle run after text in the articles the stitcher makes,
    1 where the gold puts its first line in another article than the text above it (and the walk cuts
    there, as a right decision leaves the article)."""
    from .joins import as_join_model
    from .merges import as_merge_model
    from .stitch import stitch

    heads, breaks = as_break_model(heads), as_break_model(breaks)
    merges, joins = as_merge_model(merges), as_join_model(joins)
    classes = [str(c) for c in line_model.classes_]
    X: list[Features] = []
    y: list[int] = []
    for lines, _gold, article, labels, proba in labelled_pages(pages, line_model):

        def teacher(features: Features, run: list[int], draft: Draft) -> bool:
            above = next(
                (article.get(lines[k].n, 0) for k in reversed(draft.members[: draft.members.index(run[0])])
                 if labels[k] == BODY),
                0,
            )
            here = article.get(lines[run[0]].n, 0)
            target = int(here != 0 and here != above)
            X.append(features)
            y.append(target)
            return bool(target)

        stitch(lines, labels, crosses, breaks, heads, proba, classes, merges, joins=joins, splits=teacher)
    return X, y


def fit_splits(
    pages: Sequence[tuple[str, dict[str, Any]]],
    line_model: Any,
    *,
    heads: Any = None,
    breaks: Any = None,
    merges: Any = None,
    joins: Any = None,
    crosses: Callable[[str, str], bool] | None = None,
    C: float = SPLIT_C,
    seed: int = 0,
) -> Any:
    """Fit the split-model Pipeline on labelled pages (see :func:`split_samples`); ``None`` with a warning
    when the pages show no intertitle run of one kind."""
    X, y = split_samples(pages, line_model, heads=heads, breaks=breaks, merges=merges, joins=joins, crosses=crosses)
    return fit_decision(X, y, name="split model", samples="intertitle runs", ones="another story's head", C=C, seed=seed)


def as_split_model(model: Any) -> BreakModel | None:
    """A :class:`~segmenter.breaks.BreakModel` with :data:`SPLIT_THRESHOLD` from a fitted split Pipeline."""
    return as_break_model(model, SPLIT_THRESHOLD)
