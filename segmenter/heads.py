"""The head model: does a run of head lines inside text open a new article, or is it an intertitle?

A short unfinished line between two paragraphs is a headline on one page and a section head (an
intertitle) on the next; a kicker above a headline reads like an intertitle too. Modern features set
intertitles in pairs (``赓续红色血脉`` / ``坚守为民初心``), 1998 pages number them (``（二）``); a page
of short reports stacks headline after headline. Neither the line nor its two neighbours say which: the
text around it does. An intertitle's text carries on the story above (its names, its places), a new
headline's text is about something else, often opens with a dateline or a byline, and its title's
``#`` level is the level of the headlines above it rather than deeper.

Before the stitcher walks the page, each head block keeps one headline, the classifier's likeliest (a
kicker reads as much like a title as the headline does), and every *head run* — consecutive lines labelled
headline, subhead or section with text above them — is put to a logistic regression over
:func:`head_features` (the line classifier's probabilities, the run's shape and marks, intertitles of the
same shape above, what follows it, and how much of the text after it shares the rare character pairs of
the text above). Where the model is sure (:data:`MARGIN`), the decision
sets the run's labels: an opening run gets a headline (the likeliest line; lines above it are kickers) and
the stitcher opens an article at its first line; a continuing run becomes section heads of the article
above. Where it is not, the walk's rules decide as before. It is trained by :func:`fit_heads` on the
training pages with the line model's own labels; the gold says whether the run's first line belongs to
another article than the text above it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import patterns as P
from .breaks import BreakModel, PageGrams, _bucket, fit_decision, span
from .facts import PageFacts
from .labels import Label
from .lines import Line

logger = logging.getLogger(__name__)

Features = dict[str, Any]

_HEADLINE, _SUBHEAD, _SECTION = Label.HEADLINE.value, Label.SUBHEAD.value, Label.SECTION.value
#: the labels a head run is made of
HEADISH = frozenset({_HEADLINE, _SUBHEAD, _SECTION})
_TEXT = frozenset({Label.BODY.value, Label.CAPTION.value})
_GOLD_TEXT = frozenset({Label.BODY.value, Label.CAPTION.value, Label.SECTION.value, Label.DATELINE.value})
_SHORT_CODE = {_HEADLINE: "H", _SUBHEAD: "s", _SECTION: "S"}
#: text lines looked at above a run (the story it may continue) and below it (the story it heads)
ABOVE, BELOW = 12, 3
#: lines looked back for the headline above a run: a window, so that a page of many lines stays linear
LOOK_BACK = 80
#: inverse regularisation strength of the head model
HEAD_C = 1.0
#: how far from the threshold a decision must be to be taken; closer, the walk's rules decide
MARGIN = 0.45


def head_runs(labels: Sequence[str]) -> list[tuple[int, int]]:
    """Runs ``[i, j)`` of head lines (headline, subhead, section) with a text line somewhere above them."""
    runs: list[tuple[int, int]] = []
    seen_text = False
    i, n = 0, len(labels)
    while i < n:
        if labels[i] in HEADISH:
            j = i
            while j < n and labels[j] in HEADISH:
                j += 1
            if seen_text:
                runs.append((i, j))
            i = j
            continue
        seen_text |= labels[i] in _TEXT
        i += 1
    return runs


def head_features(facts: PageFacts, labels: Sequence[str], i: int, j: int) -> Features:
    """Features of the head run ``[i, j)``: does it open a new article?

    Parameters
    ----------
    facts : PageFacts
        The page's facts.
    labels : sequence of str
        The line labels (as the classifier gave them, earlier runs already decided).
    i, j : int
        The run.

    Returns
    -------
    dict
        Feature name → value, for ``DictVectorizer``.
    """
    f, fill = _run_features(facts, labels, i, j)
    fill()
    return f


#: the features of a run that :func:`_run_features` leaves for its ``fill``: shares of the rare character pairs
#: of the text above, the text below and the run's own (``p_head*below_in_above`` goes with the first)
PAIR_FEATURES = ("below_in_above", "title_in_above", "title_in_below")


def _run_features(facts: PageFacts, labels: Sequence[str], i: int, j: int) -> tuple[Features, Callable[[], None]]:
    """:func:`head_features`, but for :data:`PAIR_FEATURES` and their product, at no weight (0.0) until ``fill()``
    puts them in their places (the row's order, in which its weights are summed, stays)."""
    plain, lines, n = facts.plain, facts.lines, len(labels)
    continued_from, levels, grams = facts.plain_continued_from, facts.level, facts.grams.grams
    run = range(i, j)
    first = plain[i]
    p_head = max(facts.p_headline[k] for k in run)
    # the text above: back to the last headline (or to a "（上接第一版）…" line: the text above is the headless
    # rest of an article), its sections, at most ABOVE text lines; where the look-back stops is found in C
    back = labels[max(0, i - LOOK_BACK) : i][::-1]  # back[m] is line i - 1 - m
    stop, last_head, continued = len(back), -1, False
    if _HEADLINE in back:
        stop = back.index(_HEADLINE)
        last_head = i - 1 - stop
    if True in continued_from[i - stop : i]:  # below that headline: a headline's own line is met first
        stop = continued_from[i - stop : i][::-1].index(True)
        last_head, continued = -1, True
    window = back[:stop]
    sections = [i - 1 - m for m, label in enumerate(window) if label == _SECTION] if _SECTION in window else []
    sections_above = len(sections)
    # intertitles come in series: the same mark and about the same length as one above
    series = any(levels[k] == levels[i] and abs(len(plain[k]) - len(plain[i])) <= 4 for k in sections)
    above_lines = []  # nearest first, as the pairs are put together
    for m, label in enumerate(window):
        if label in _TEXT:
            above_lines.append(i - 1 - m)
            if len(above_lines) == ABOVE:
                break
    taken = len(above_lines)
    below_lines = [k for k in range(j, min(n, j + 8)) if labels[k] in _TEXT][:BELOW]
    prev = i - 1
    after = j if j < n else None
    level = facts.level[i]
    head_level = facts.level[last_head] if last_head >= 0 else -1
    if head_level < 0:
        relation = "nohead"
    elif level == 0 and head_level == 0:
        relation = "plain"
    elif level == head_level:
        relation = "same"
    elif level == 0:
        relation = "unmarked"
    elif head_level == 0 or level < head_level:
        relation = "higher"
    else:
        relation = "deeper"
    f: Features = {
        "bias": 1.0,
        "shape": "".join(_SHORT_CODE[labels[k]] for k in run)[:4],
        "size": _bucket(j - i, (1, 2, 3)),
        "p_head": float(p_head),
        "p_head_b": _bucket(p_head, (0.2, 0.4, 0.6, 0.8)),
        "p_section": float(facts.p_section[i]),
        "p_body": float(max(facts.p_body[k] for k in run)),
        "p_subhead": float(facts.p_subhead[i]),
        "has_headline": any(labels[k] == _HEADLINE for k in run),
        "level": str(min(level, 3)),
        "level_vs_head": relation,
        "first_len": _bucket(len(first), (4, 8, 12, 16, 22, 30, 45)),
        "first_dash": first.endswith(("——", "—", "：", ":")),
        "first_numbered": P.SECTION_NUMBER.match(first) is not None,
        "first_quote": first[:1] in "“\"《",
        "first_bracket": first.endswith(("）", ")")),
        "prev_label": labels[prev],
        "prev_end": plain[prev][-1:] in P.SENTENCE_END,
        # a kicker the classifier read as text: short, unfinished, right above
        "prev_short_open": len(plain[prev]) <= 40 and plain[prev][-1:] not in P.SENTENCE_END,
        "prev_p_subhead": float(facts.p_subhead[prev]),
        "gap_before": str(min(3, lines[i].n - lines[prev].n - 1)),
        "gap_after": str(min(3, lines[after].n - lines[j - 1].n - 1)) if after is not None else "end",
        "after_label": labels[after] if after is not None else "end",
        # the run's last line runs on into the next: a paragraph broken at a column end, not a title
        "after_mid": after is not None and plain[after][:1] in P.NON_OPENING,
        "after_dateline": after is not None and facts.plain_dateline[after] is not None,
        "after_byline": after is not None and facts.plain_byline[after],
        "below_dateline": any(facts.plain_dateline[k] is not None for k in below_lines[:1]),
        "headed_above": last_head >= 0,
        "continued_above": continued,
        "sections_above": _bucket(sections_above, (0, 1, 2, 4)),
        "series": series,
        "text_above": _bucket(taken, (1, 2, 4, 8)),
        # the pair shares, filled in by ``fill`` (in place: the row's order stays)
        "below_in_above": 0.0,
        "title_in_above": 0.0,
        "title_in_below": 0.0,
        "pair": j - i == 2 and abs(len(plain[i]) - len(plain[i + 1])) <= 2,
    }
    f["p_head*below_in_above"] = 0.0
    f["shape|level_vs_head"] = f"{f['shape']}|{relation}"

    def fill() -> None:
        above: set[str] = set()
        for k in above_lines:
            above |= grams[k]
        below: set[str] = set()
        for k in below_lines:
            below |= grams[k]
        title: set[str] = set()
        for k in run:
            title |= grams[k]
        shared = facts.grams.shared
        f["below_in_above"] = shared(below, above) if below and above else 0.0
        f["title_in_above"] = shared(title, above) if title and above else 0.0
        f["title_in_below"] = shared(title, below) if title and below else 0.0
        f["p_head*below_in_above"] = f["p_head"] * f["below_in_above"]

    return f, fill


def one_headline_per_block(labels: list[str], facts: PageFacts) -> None:
    """In a block of head lines (headlines and subheads, nothing between) read with two headlines or
    more, the classifier's likeliest headline stays one and the others become subheads: a kicker over a
    headline reads as much like a title as the headline does, and the article's headline is its first
    headline line."""
    n, k = len(labels), 0
    while k < n:
        if labels[k] not in (_HEADLINE, _SUBHEAD):
            k += 1
            continue
        j = k
        while j < n and labels[j] in (_HEADLINE, _SUBHEAD):
            j += 1
        heads = [x for x in range(k, j) if labels[x] == _HEADLINE]
        if len(heads) >= 2:
            best = max(heads, key=lambda x: facts.p_headline[x])
            for x in heads:
                if x != best:
                    labels[x] = _SUBHEAD
        k = j


def apply_decision(labels: list[str], facts: PageFacts, i: int, j: int, opens: bool) -> None:
    """Set a run's labels after the decision: a head block that has a headline, or section heads."""
    run = range(i, j)
    if not opens:
        for k in run:
            labels[k] = _SECTION
        return
    head = next((k for k in run if labels[k] == _HEADLINE), None)
    if head is None:
        head = max(run, key=lambda k: facts.p_headline[k])
        labels[head] = _HEADLINE
    for k in range(i, head):
        labels[k] = _SUBHEAD  # above the headline: kickers
    # a second headline below stays one: two head blocks may be stacked (one printed after its body),
    # which the stitcher's repair passes tell apart


def decide_heads(
    model: BreakModel,
    lines: Sequence[Line],
    labels: list[str],
    proba: np.ndarray | None,
    classes: Sequence[str],
    grams: PageGrams | None = None,
    facts: PageFacts | None = None,
) -> set[int]:
    """Decide every head run of a page in file order, relabelling ``labels`` in place (``grams``: the
    page's character pairs, when the caller has them already; ``facts``: the page's line facts, likewise).
    First, each head block keeps one headline (:func:`one_headline_per_block`).

    Returns
    -------
    set of int
        The first lines of the runs that open an article (the stitcher opens one there).
    """
    if facts is None:
        facts = PageFacts(lines, proba, classes, grams)
    one_headline_per_block(labels, facts)
    opens: set[int] = set()
    threshold = model.threshold

    def sure(p: float) -> bool | None:
        return None if abs(p - threshold) < MARGIN else p >= threshold

    # the pair shares' weights: the first's goes with the product's, which p_head scales
    below, product = model.weight("below_in_above"), model.weight("p_head*below_in_above")
    titles = [span(model.weight("title_in_above")), span(model.weight("title_in_below"))]
    for i, j in head_runs(labels):
        f, fill = _run_features(facts, labels, i, j)
        # the pair shares only where the rest of the row leaves the decision open (rarely)
        opening = model.outcome(f, fill, [*titles, span(below + product * f["p_head"])], sure)
        if opening is None:
            continue  # unsure: the walk's rules decide, as without the model
        apply_decision(labels, facts, i, j, opening)
        if opening:
            opens.add(i)
    return opens


def head_samples(pages: Sequence[tuple[str, dict[str, Any]]], line_model: Any) -> tuple[list[Features], list[int]]:
    """Head-run samples of labelled pages with the line model's labels; the gold gives each target.

    A run opens an article when its first line belongs to an article (not furniture) other than the
    article of the last text line above it (gold body, caption, section or dateline): a kicker the
    classifier read as text does not make the headline under it an intertitle. A run that holds a gold
    headline or subhead opens one too, also under its own body (a head block printed after it): only
    intertitles continue the text above. Earlier runs are decided by the gold before the
    features of later ones are read, as the page would be at prediction time after right decisions.
    """
    from .breaks import labelled_pages

    X: list[Features] = []
    y: list[int] = []
    for lines, gold, article, labels, proba in labelled_pages(pages, line_model):
        # the text above a run is what it may continue; a kicker read as text belongs to the run's article
        text = {int(item["n"]) for item in gold["lines"] if item["label"] in _GOLD_TEXT and item.get("article")}
        titles = {int(item["n"]) for item in gold["lines"] if item["label"] in (_HEADLINE, _SUBHEAD)}
        facts = PageFacts(lines, proba, [str(c) for c in line_model.classes_])
        one_headline_per_block(labels, facts)  # as decide_heads does first
        for i, j in head_runs(labels):
            here = article.get(lines[i].n, 0)
            above = next((article[lines[k].n] for k in range(i - 1, -1, -1) if lines[k].n in text), 0)
            # a head block printed after its own body opens too: the walk starts an article there, and the
            # repair pass gives it back its text (segmenter.repairs._heads_after_bodies)
            target = int(here != 0 and (here != above or any(lines[k].n in titles for k in range(i, j))))
            X.append(head_features(facts, labels, i, j))
            y.append(target)
            apply_decision(labels, facts, i, j, bool(target))
    return X, y


def fit_heads(
    pages: Sequence[tuple[str, dict[str, Any]]], line_model: Any, *, C: float = HEAD_C, seed: int = 0
) -> Any:
    """Fit the head-model Pipeline on labelled pages (see :func:`head_samples`).

    Returns
    -------
    Pipeline or None
        Fitted (:meth:`BreakModel.from_pipeline` gives its arrays); ``None`` when the pages show no run
        of one kind, with a warning.
    """
    X, y = head_samples(pages, line_model)
    return fit_decision(X, y, name="head model", samples="head runs inside text", ones="opening articles", C=C, seed=seed)
