"""The join model: which line, if any, carries on a paragraph broken at a column end?

A paragraph that stops without a full stop is either broken at a column end — its rest is the next
paragraph, or one a few lines on when a column was printed in between — or whole: a lead sentence set in
bold, a line of a programme, a paragraph the crawl printed without its stop. The rule the stitcher had
(:func:`segmenter.order._continuation`) took the first candidate that opens with a sign no paragraph opens
with, else the very next line when the stopped line already ran through a comma, else one a word runs
into; it joined 77 % of the broken paragraphs and 31 % of its joins were wrong (the development split's
modern pages, 2026-12-07): a line of a programme joined the next item, and a stopped line took a
continuation three lines on that belonged to the stopped line right above it.

Here every candidate (:func:`segmenter.order.order_article` offers the next few body lines of the article)
is put to a logistic regression over :func:`join_features` — how the stopped line ends and the candidate
opens (their last and first characters, the pair across the break), whether a word runs across it, how far
the candidate is and what stands between, whether the line just above the candidate stopped unfinished
too (its own continuation) — and the likeliest candidate from :data:`JOIN_THRESHOLD` continues the line.
It is trained by :func:`fit_joins` on the training pages as the stitcher (with the line, head, break and
merge models) leaves each article; the gold says which line continues which, and the walk follows it.
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Callable, Sequence
from typing import Any

from . import patterns as P
from .breaks import BreakModel, Walk, _bucket, as_break_model, fit_decision

logger = logging.getLogger(__name__)

Features = dict[str, Any]

#: inverse regularisation strength of the join model
JOIN_C = 1.0
#: the probability from which the likeliest candidate continues the line
JOIN_THRESHOLD = 0.5
_LENGTH_EDGES = (6, 12, 20, 30, 45, 70, 110)
_CLAUSE = frozenset(",，、;；:：")


def _char_class(ch: str) -> str:
    """A character's kind: ``han``, ``digit``, ``latin``, or the character itself (punctuation, quotes)."""
    if not ch:
        return "none"
    if P.is_han(ch):
        return "han"
    if ch.isdigit():
        return "digit"
    if ch.isascii() and ch.isalpha():
        return "latin"
    return ch


def join_features(
    left: str,
    right: str,
    *,
    rank: int,
    between: int,
    heads_between: int,
    above_open: bool,
) -> Features:
    """What the join model reads of a stopped line ``left`` and a candidate ``right`` (comparison forms).

    Parameters
    ----------
    left, right : str
        The two lines' comparison forms (:func:`segmenter.drafts.line_keys`).
    rank : int
        The candidate's place among the candidates, 0 for the first body line after ``left``.
    between : int
        Lines of the article between the two (0: the next line).
    heads_between : int
        Of those, lines not labelled body (a head block or a caption the column sits under).
    above_open : bool
        The line right above the candidate (not ``left``) is body that stops unfinished: the candidate may
        be its rest.

    Returns
    -------
    dict
        Feature name to value, for a ``DictVectorizer``; whether a word runs across the break is added by
        :func:`with_cross` where the word test is asked.
    """
    last_feature, last_class, running, left_len = _left_facts(left)
    first_feature, first_class, non_opening, right_len, right_stops, continued = _right_facts(right)
    features: Features = {
        "rank": str(min(rank, 3)),
        "next": between == 0,
        "between": _bucket(between, (0, 1, 2, 4)),
        "heads_between": heads_between > 0,
        "above_open": above_open,
        "last": last_feature,
        "last_class": last_class,
        "first": first_feature,
        "first_class": first_class,
        "pair_class": last_class + "|" + first_class,
        "first_non_opening": non_opening,
        "running": running,
        "left_len": left_len,
        "right_len": right_len,
        "right_stops": right_stops,
        "right_continued_mark": continued,
    }
    if between == 0:
        features["next|pair"] = last_class + "|" + first_class
    return features


# what a line gives the features as the stopped line and as a candidate, once per text: a page of many stopped
# lines (a page of headings read as text) asks about the same candidates again and again
@functools.lru_cache(maxsize=4096)
def _left_facts(left: str) -> tuple[str, str, bool, str]:
    last = left[-1:]
    last_class = _char_class(last)
    return (
        last if last_class == "han" else last_class,
        last_class,
        any(ch in _CLAUSE for ch in left),
        _bucket(len(left), _LENGTH_EDGES),
    )


@functools.lru_cache(maxsize=4096)
def _right_facts(right: str) -> tuple[str, str, bool, str, bool, bool]:
    first = right[:1]
    first_class = _char_class(first)
    return (
        first if first_class == "han" else first_class,
        first_class,
        bool(first) and first in P.NON_OPENING,
        _bucket(len(right), _LENGTH_EDGES),
        not P.ends_sentence(right),
        P.is_continued_from(right),
    )


def with_cross(row: Features, crossed: bool) -> Features:
    """``row`` with the word test's answer for its break (a word runs across it, or not)."""
    row["cross"] = crossed
    row["cross|next"] = crossed and row["next"]
    return row


#: ``decide(rows, line, candidates, cross) -> k or None``: which candidate (``candidates[k]``, described by
#: ``rows[k]``) continues the stopped ``line``; ``cross(k)`` asks the word test about the break before
#: candidate ``k`` (``None``: no word test)
JoinDecision = Callable[[list[Features], int, list[int], "Callable[[int], bool] | None"], "int | None"]


def decision(model: BreakModel) -> JoinDecision:
    """The join decision of a fitted model: the likeliest candidate, from its threshold on (ties: the nearer).

    The word test is the costly feature, and true adds a fixed weight to a candidate's log-odds: it is asked
    only of candidates that could still win with it, best bound first, so the answer is the one every
    candidate's full row gives.
    """
    floor = math.log(model.threshold / (1.0 - model.threshold)) if 0.0 < model.threshold < 1.0 else None
    w_cross, w_next = model.weight("cross"), model.weight("cross|next")
    def choose(
        rows: list[Features], _line: int, _candidates: list[int], cross: Callable[[int], bool] | None
    ) -> int | None:
        if floor is None:  # a threshold of 0 or 1: every candidate qualifies, or none
            if model.threshold >= 1.0:
                return None
            scores = [model.score(with_cross(row, cross(k)) if cross else row) for k, row in enumerate(rows)]
            return max(range(len(rows)), key=lambda k: (scores[k], -k)) if rows else None
        base = [model.score(row) for row in rows]
        gain = [(w_cross + (w_next if row["next"] else 0.0)) if cross is not None else 0.0 for row in rows]
        bound = [b + max(0.0, g) for b, g in zip(base, gain)]
        best, best_score = None, floor
        for k in sorted(range(len(rows)), key=lambda k: (-bound[k], k)):
            if bound[k] < best_score or (bound[k] == best_score and best is not None and best < k):
                break  # no candidate left can reach the best so far
            score = base[k]
            if gain[k] and cross is not None and cross(k):
                score += gain[k]
            if score > best_score or (score == best_score and (best is None or k < best)):
                best, best_score = k, score
        return best

    return choose


def _gold_next(gold: dict[str, Any]) -> dict[int, int]:
    """Line number → the line number that continues it (a broken paragraph's halves, repeats left out)."""
    by_n = {int(item["n"]): item for item in gold["lines"]}
    follows: dict[int, int] = {}
    for article in gold.get("articles", []):
        if int(article.get("id", 0)) == 0:
            continue
        kept = [n for n in article.get("order", []) if n in by_n and not by_n[n].get("dup")]
        follows.update((a, b) for a, b in zip(kept, kept[1:]) if by_n[b].get("join"))
    return follows


def join_samples(
    pages: Sequence[tuple[str, dict[str, Any]]], line_model: Any, walk: Walk
) -> tuple[list[Features], list[int]]:
    """Join samples of labelled pages: every candidate the stitcher offers a stopped line (walking with the
    models of ``walk``), 1 where the gold says it continues that line. The walk follows the gold: the
    gold's continuation, when it is among the candidates, is joined, as a right decision leaves the article."""
    X: list[Features] = []
    y: list[int] = []
    for lines, gold, _article, _proba, stitch_page in walk.pages(pages, line_model):
        follows = _gold_next(gold)
        numbers = [line.n for line in lines]

        def teacher(
            rows: list[Features], left: int, candidates: list[int], cross: Callable[[int], bool] | None
        ) -> int | None:
            want = follows.get(numbers[left])
            choice = None
            for k, (row, j) in enumerate(zip(rows, candidates)):
                if cross is not None:
                    with_cross(row, cross(k))
                hit = want is not None and numbers[j] == want
                X.append(row)
                y.append(int(hit))
                if hit:
                    choice = k
            return choice

        stitch_page(joins=teacher)
    return X, y


def fit_joins(
    pages: Sequence[tuple[str, dict[str, Any]]], line_model: Any, walk: Walk, *, C: float = JOIN_C, seed: int = 0
) -> Any:
    """Fit the join-model Pipeline on labelled pages (see :func:`join_samples`).

    Returns
    -------
    Pipeline or None
        Fitted (:func:`as_join_model` gives its arrays); ``None`` when the pages show no candidate of one
        kind, with a warning.
    """
    X, y = join_samples(pages, line_model, walk)
    return fit_decision(X, y, name="join model", samples="candidates", ones="a continuation", C=C, seed=seed)


def as_join_model(model: Any) -> BreakModel | None:
    """A :class:`~segmenter.breaks.BreakModel` with :data:`JOIN_THRESHOLD` from a fitted join Pipeline; a
    BreakModel or ``None`` as it is."""
    return as_break_model(model, JOIN_THRESHOLD)
