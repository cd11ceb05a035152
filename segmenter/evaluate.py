"""Score article records against gold pages, and the Markdown-heading baseline.

A system's output for a page is a list of record dicts (the output contract, see the project README); the
gold for a page is the JSON described in ``shared/gold/README.md``. :func:`score_page` compares the two and
returns summable counts (:class:`PageScore`); :func:`score_pages` micro-averages them over a set of pages
(:class:`Scores`).

Metrics
-------
article P/R/F1
    A system article is correct when it is matched one-to-one to a gold article whose content has a
    character 3-gram F1 of at least :data:`CONTENT_THRESHOLD` with it and whose headline is equal after
    :func:`normalize` (no headline matches no headline only). The matching maximises the number of
    correct pairs, ties broken by content F1.
content F1, headline accuracy
    Mean over gold articles of the content F1 of the system article assigned to it by a one-to-one
    assignment maximising total content F1 (0 when unassigned), and the fraction of gold articles whose
    assigned system article has the equal headline.
line labels
    Per-label precision/recall/F1 over the gold lines, and their macro F1 over the labels that occur in
    gold or system output. A gold line the system output does not list counts as wrong.
B-cubed
    Precision/recall/F1 of the line → article clustering, averaged over the gold lines.

The record of kind ``other`` (the page's leftovers) is never matched to a gold article; each of its lines
is a cluster of its own for B-cubed, and its line labels are scored like any other.
"""

from __future__ import annotations

import datetime as _dt
import logging
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, NamedTuple

from segmenter.labels import LABELS, TEXT_LABELS, Kind, Label

logger = logging.getLogger(__name__)

#: content 3-gram F1 a matched pair needs for the system article to count as correct
CONTENT_THRESHOLD = 0.9
#: the label a gold line gets in the confusion counts when no system record lists it
MISSING = "<missing>"

_MARKS = re.compile(r"^\s*#+\s*")
_BOLD = re.compile(r"^(\*\*|__)(?=\S)(.+?)(?<=\S)\1\s*$")
_SPACE = re.compile(r"\s+")


# --------------------------------------------------------------------------------------------------
# text


def strip_markdown(line: str) -> str:
    """Remove the Markdown heading marks (``#``, ``##``, …, or bold around the whole line) from one line.

    Parameters
    ----------
    line : str
        One line of text.

    Returns
    -------
    str
        ``line`` without its leading marks or bold wrapper; other text is left as it is.
    """
    line = _MARKS.sub("", line, count=1)
    bold = _BOLD.match(line.strip())
    return bold.group(2) if bold else line


def normalize(text: str | None) -> str:
    """Normalise text for comparison: NFKC, leading ``#`` marks removed per line, all whitespace removed.

    Parameters
    ----------
    text : str or None
        Any text, possibly of several lines. ``None`` is treated as empty.

    Returns
    -------
    str
        The normalised text (line breaks are whitespace, so lines are simply concatenated).
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    return "".join(_SPACE.sub("", strip_markdown(line)) for line in text.splitlines())


def _headline_key(headline: Any) -> str | None:
    """The comparable form of a headline; ``None`` for no headline (a blank string is no headline)."""
    if headline is None:
        return None
    return normalize(str(headline)) or None


def _lines_by_number(gold: Mapping[str, Any]) -> dict[int, Mapping[str, Any]]:
    return {int(line["n"]): line for line in gold["lines"]}


def _article_text(by_n: Mapping[int, Mapping[str, Any]], article: Mapping[str, Any]) -> str:
    parts: list[str] = []
    for n in article["order"]:
        line = by_n.get(int(n))
        if line is None:
            raise ValueError(f"gold article {article.get('id')!r} orders line {n}, which the gold lacks")
        if line["label"] in TEXT_LABELS and not line.get("dup", False):
            parts.append(strip_markdown(line["text"]).strip())
    return "\n".join(parts)


def gold_article_text(gold: Mapping[str, Any], article: Mapping[str, Any] | int) -> str:
    """The content of a gold article: its body, section and caption lines in reading order, repeats dropped.

    Parameters
    ----------
    gold : Mapping
        A gold page (``lines`` and ``articles``).
    article : Mapping or int
        One of ``gold["articles"]``, or its ``id``.

    Returns
    -------
    str
        The texts of the lines in the article's ``order`` whose label is body, section or caption and
        that are not ``dup``, Markdown marks stripped, joined with ``"\\n"``.

    Raises
    ------
    ValueError
        If the article id is unknown or its ``order`` names a line the gold does not list.
    """
    if not isinstance(article, Mapping):
        found: list[Mapping[str, Any]] = [a for a in gold["articles"] if a["id"] == article]
        if not found:
            raise ValueError(f"no gold article with id {article!r}")
        article = found[0]
    return _article_text(_lines_by_number(gold), article)


class _Grams(NamedTuple):
    counts: Counter[str]
    total: int


def _grams(text: str | None, n: int = 3) -> _Grams:
    if n < 1:
        raise ValueError(f"n-gram size must be at least 1, got {n}")
    norm = normalize(text)
    if not norm:
        return _Grams(Counter(), 0)
    if len(norm) < n:  # too short for one n-gram: the whole string is its only gram
        return _Grams(Counter([norm]), 1)
    counts = Counter(norm[i : i + n] for i in range(len(norm) - n + 1))
    return _Grams(counts, len(norm) - n + 1)


def _grams_f1(a: _Grams, b: _Grams) -> float:
    if not a.total and not b.total:
        return 1.0
    if not a.total or not b.total:
        return 0.0
    small, large = (a, b) if len(a.counts) <= len(b.counts) else (b, a)
    overlap = sum(min(c, large.counts[g]) for g, c in small.counts.items())
    return 2.0 * overlap / (a.total + b.total)


def char_ngram_f1(a: str | None, b: str | None, n: int = 3) -> float:
    """F1 of the multisets of character n-grams of two normalised texts.

    Parameters
    ----------
    a, b : str or None
        The texts; both go through :func:`normalize` first.
    n : int, default 3
        The n-gram length.

    Returns
    -------
    float
        ``2 * |A ∩ B| / (|A| + |B|)`` over the n-gram multisets; 1.0 when both texts are empty, 0.0 when
        exactly one is. A text shorter than ``n`` characters is one gram (the whole string).
    """
    return _grams_f1(_grams(a, n), _grams(b, n))


# --------------------------------------------------------------------------------------------------
# scores


class LabelScore(NamedTuple):
    """Precision, recall and F1 of one line label; ``support`` gold lines, ``predicted`` system lines."""

    precision: float
    recall: float
    f1: float
    support: int
    predicted: int


class ArticleMatch(NamedTuple):
    """How one gold article fared.

    ``record`` is the index in the page's record list of the system article assigned to it by content
    (``None`` when none overlaps it), ``content_f1`` and ``headline_equal`` describe that pair, and
    ``correct`` says whether the gold article was matched correctly in the article matching.
    """

    gold_id: int
    record: int | None
    content_f1: float
    headline_equal: bool
    correct: bool


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def _ratio(num: float, den: float, empty: float) -> float:
    return num / den if den else empty


@dataclass
class PageScore:
    """The counts of one page's evaluation; they add up over pages (see :func:`score_pages`).

    Attributes
    ----------
    source : str
        The page (gold ``source``).
    gold_articles, system_articles, correct_articles : int
        Articles in the gold, articles in the output (the ``other`` record excluded), correct ones.
    content_f1_sum : float
        Sum over gold articles of the content F1 of the assigned system article.
    headline_correct : int
        Gold articles whose assigned system article has the equal headline.
    confusion : Counter
        ``(gold label, system label)`` → number of gold lines; the system label is :data:`MISSING` for a
        line no record lists.
    bcubed_precision_sum, bcubed_recall_sum : float
        Sums over the gold lines of their B-cubed precision and recall.
    items : int
        Gold lines (the B-cubed items).
    join_tp, join_fp, join_fn : int
        Broken paragraphs: pairs of lines (a, b) where b continues a's paragraph, found / wrongly
        joined / missed.
    matches : list of ArticleMatch
        One per gold article, for error analysis.
    """

    source: str
    gold_articles: int = 0
    system_articles: int = 0
    correct_articles: int = 0
    content_f1_sum: float = 0.0
    headline_correct: int = 0
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    bcubed_precision_sum: float = 0.0
    bcubed_recall_sum: float = 0.0
    items: int = 0
    join_tp: int = 0
    join_fp: int = 0
    join_fn: int = 0
    matches: list[ArticleMatch] = field(default_factory=list)


@dataclass
class Scores:
    """Micro-averaged scores over a set of pages: summed counts and the metrics derived from them.

    Build it with :func:`score_pages` (or :meth:`add` page by page). An empty set of pages scores 1.0:
    nothing was to be found and nothing wrong was found.
    """

    pages: int = 0
    gold_articles: int = 0
    system_articles: int = 0
    correct_articles: int = 0
    content_f1_sum: float = 0.0
    headline_correct: int = 0
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    bcubed_precision_sum: float = 0.0
    bcubed_recall_sum: float = 0.0
    items: int = 0
    join_tp: int = 0
    join_fp: int = 0
    join_fn: int = 0

    def add(self, page: PageScore) -> None:
        """Add one page's counts.

        Parameters
        ----------
        page : PageScore
            The page's evaluation.
        """
        self.pages += 1
        self.gold_articles += page.gold_articles
        self.system_articles += page.system_articles
        self.correct_articles += page.correct_articles
        self.content_f1_sum += page.content_f1_sum
        self.headline_correct += page.headline_correct
        self.confusion.update(page.confusion)
        self.bcubed_precision_sum += page.bcubed_precision_sum
        self.bcubed_recall_sum += page.bcubed_recall_sum
        self.items += page.items
        self.join_tp += page.join_tp
        self.join_fp += page.join_fp
        self.join_fn += page.join_fn

    def __add__(self, other: Scores) -> Scores:
        """The scores of both sets of pages together (several renderings of a tier, say)."""
        total = Scores()
        for f in fields(Scores):
            setattr(total, f.name, getattr(self, f.name) + getattr(other, f.name))
        return total

    # articles -----------------------------------------------------------------------------------
    @property
    def article_precision(self) -> float:
        """Correct system articles / system articles."""
        return _ratio(self.correct_articles, self.system_articles, 1.0 if self.gold_articles == 0 else 0.0)

    @property
    def article_recall(self) -> float:
        """Correct system articles / gold articles."""
        return _ratio(self.correct_articles, self.gold_articles, 1.0 if self.system_articles == 0 else 0.0)

    @property
    def article_f1(self) -> float:
        """Harmonic mean of article precision and recall."""
        return _f1(self.article_precision, self.article_recall)

    @property
    def content_f1(self) -> float:
        """Mean over gold articles of the assigned system article's content 3-gram F1."""
        return _ratio(self.content_f1_sum, self.gold_articles, 1.0 if self.system_articles == 0 else 0.0)

    @property
    def headline_accuracy(self) -> float:
        """Fraction of gold articles whose assigned system article has the equal headline."""
        return _ratio(self.headline_correct, self.gold_articles, 1.0 if self.system_articles == 0 else 0.0)

    # line labels --------------------------------------------------------------------------------
    def label_scores(self) -> dict[str, LabelScore]:
        """Per-label scores over the labels that occur in the gold or the system output.

        Returns
        -------
        dict of str to LabelScore
            Known labels first in :data:`segmenter.labels.LABELS` order, then any unknown system labels.
        """
        support: Counter[str] = Counter()
        predicted: Counter[str] = Counter()
        hits: Counter[str] = Counter()
        for (gold, system), count in self.confusion.items():
            support[gold] += count
            if system != MISSING:
                predicted[system] += count
            if gold == system:
                hits[gold] += count
        seen = set(support) | set(predicted)
        ordered = [label for label in LABELS if label in seen] + sorted(seen - set(LABELS))
        out: dict[str, LabelScore] = {}
        for label in ordered:
            p = _ratio(hits[label], predicted[label], 0.0)
            r = _ratio(hits[label], support[label], 0.0)
            out[label] = LabelScore(p, r, _f1(p, r), support[label], predicted[label])
        return out

    @property
    def line_macro_f1(self) -> float:
        """Macro F1 of the line labels (1.0 when there are no lines)."""
        scores = self.label_scores()
        return sum(s.f1 for s in scores.values()) / len(scores) if scores else 1.0

    # B-cubed ------------------------------------------------------------------------------------
    @property
    def bcubed_precision(self) -> float:
        """B-cubed precision of the line → article assignment."""
        return _ratio(self.bcubed_precision_sum, self.items, 1.0)

    @property
    def bcubed_recall(self) -> float:
        """B-cubed recall of the line → article assignment."""
        return _ratio(self.bcubed_recall_sum, self.items, 1.0)

    @property
    def bcubed_f1(self) -> float:
        """Harmonic mean of B-cubed precision and recall."""
        return _f1(self.bcubed_precision, self.bcubed_recall)

    @property
    def join_f1(self) -> float:
        """F1 of the broken-paragraph joins (pairs of lines that form one paragraph)."""
        p = _ratio(self.join_tp, self.join_tp + self.join_fp, 1.0)
        r = _ratio(self.join_tp, self.join_tp + self.join_fn, 1.0)
        return _f1(p, r)

    def as_row(self) -> dict[str, float]:
        """All headline metrics and counts as one flat row (the keys :func:`check_gate` understands).

        Returns
        -------
        dict of str to float
        """
        return {
            "pages": float(self.pages),
            "gold_articles": float(self.gold_articles),
            "system_articles": float(self.system_articles),
            "correct_articles": float(self.correct_articles),
            "article_precision": self.article_precision,
            "article_recall": self.article_recall,
            "article_f1": self.article_f1,
            "content_f1": self.content_f1,
            "headline_accuracy": self.headline_accuracy,
            "line_macro_f1": self.line_macro_f1,
            "bcubed_precision": self.bcubed_precision,
            "bcubed_recall": self.bcubed_recall,
            "bcubed_f1": self.bcubed_f1,
            "join_f1": self.join_f1,
        }


# --------------------------------------------------------------------------------------------------
# scoring


def _is_leftovers(record: Mapping[str, Any]) -> bool:
    return record.get("kind") == Kind.OTHER.value


def _assign(weights: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """Maximum-weight one-to-one assignment of rows to columns (rectangular allowed)."""
    if not weights or not weights[0]:
        return []
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    rows, cols = linear_sum_assignment(np.asarray(weights, dtype=float), maximize=True)
    return list(zip(rows.tolist(), cols.tolist(), strict=True))


def score_page(records: Sequence[Mapping[str, Any]], gold: Mapping[str, Any]) -> PageScore:
    """Score one page's records against its gold.

    Parameters
    ----------
    records : sequence of Mapping
        The system output for the page, in the output contract (``kind``, ``headline``, ``text``,
        ``lines`` with ``n`` and ``label``; a record of kind ``other`` holds the leftovers).
    gold : Mapping
        The gold page.

    Returns
    -------
    PageScore
        The page's counts.

    Raises
    ------
    ValueError
        If a gold article orders a line the gold does not list.
    """
    by_n = _lines_by_number(gold)
    gold_arts = [a for a in gold["articles"] if a["id"] != 0]  # article 0 is "no article"
    sys_idx = [i for i, r in enumerate(records) if not _is_leftovers(r)]
    score = PageScore(str(gold.get("source", "")), gold_articles=len(gold_arts), system_articles=len(sys_idx))
    rows, cols = range(len(gold_arts)), range(len(sys_idx))

    # articles: pairwise content F1 and headline equality
    gold_grams = [_grams(_article_text(by_n, a)) for a in gold_arts]
    sys_grams = [_grams(records[i].get("text")) for i in sys_idx]
    gold_heads = [_headline_key(a.get("headline")) for a in gold_arts]
    sys_heads = [_headline_key(records[i].get("headline")) for i in sys_idx]
    f1 = [[_grams_f1(g, s) for s in sys_grams] for g in gold_grams]
    same = [[gh == sh for sh in sys_heads] for gh in gold_heads]
    ok = [[f1[i][j] >= CONTENT_THRESHOLD and same[i][j] for j in cols] for i in rows]

    # a correct pair outweighs any sum of F1s, so the count of correct pairs is maximised first
    big = min(len(gold_arts), len(sys_idx)) + 1.0
    correct_pairs = _assign([[big * ok[i][j] + f1[i][j] for j in cols] for i in rows])
    correct_gold = {i for i, j in correct_pairs if ok[i][j]}
    score.correct_articles = len(correct_gold)

    # content: maximise total F1; among equal-F1 choices prefer the equal headline
    content_pairs = dict(_assign([[f1[i][j] + 1e-9 * same[i][j] for j in cols] for i in rows]))
    for i, article in enumerate(gold_arts):
        j = content_pairs.get(i)
        if j is not None and f1[i][j] <= 0.0:
            j = None  # an assignment with no overlap at all is no match
        value = f1[i][j] if j is not None else 0.0
        head_ok = j is not None and same[i][j]
        score.content_f1_sum += value
        score.headline_correct += head_ok
        score.matches.append(
            ArticleMatch(int(article["id"]), sys_idx[j] if j is not None else None, value, head_ok, i in correct_gold)
        )

    # lines: the first record listing a line owns it
    owner: dict[int, tuple[int, str, bool]] = {}
    for r, record in enumerate(records):
        leftover = _is_leftovers(record)
        for entry in record.get("lines") or ():
            n = int(entry["n"])
            if n in owner:
                if owner[n][0] != r:
                    logger.debug(
                        "%s: line %d is in records %d and %d; the first counts", score.source, n, owner[n][0], r
                    )
                continue
            owner[n] = (r, str(entry.get("label")), leftover)  # str() of a Label is its value

    gold_cluster: dict[int, tuple[str, int]] = {}
    sys_cluster: dict[int, tuple[str, int]] = {}
    for n, line in by_n.items():
        article = int(line.get("article", 0))
        gold_cluster[n] = ("article", article) if article != 0 else ("gold-single", n)
        hit = owner.get(n)
        score.confusion[(str(line["label"]), hit[1] if hit else MISSING)] += 1
        # a missing line and a leftover line are each a cluster of their own
        sys_cluster[n] = ("record", hit[0]) if hit and not hit[2] else ("sys-single", n)

    gold_size = Counter(gold_cluster.values())
    sys_size = Counter(sys_cluster.values())
    both = Counter((gold_cluster[n], sys_cluster[n]) for n in by_n)
    for n in by_n:
        common = both[(gold_cluster[n], sys_cluster[n])]
        score.bcubed_precision_sum += common / sys_size[sys_cluster[n]]
        score.bcubed_recall_sum += common / gold_size[gold_cluster[n]]
    score.items = len(by_n)

    # broken paragraphs: a gold pair (a, b) where b has join=true and follows a in its article's order
    gold_joins = set()
    for article in gold_arts:
        kept = [n for n in article.get("order", []) if n in by_n and not by_n[n].get("dup")]
        gold_joins |= {(a, b) for a, b in zip(kept, kept[1:]) if by_n[b].get("join")}
    sys_joins = {
        (a, b)
        for r in records
        for block in r.get("blocks", [])
        for a, b in zip(block.get("lines", []), block.get("lines", [])[1:])
    }
    score.join_tp = len(gold_joins & sys_joins)
    score.join_fp = len(sys_joins - gold_joins)
    score.join_fn = len(gold_joins - sys_joins)

    unknown = {n for n in owner if n not in by_n}
    if unknown:
        logger.debug("%s: %d system lines are not gold lines (ignored)", score.source, len(unknown))
    logger.debug(
        "%s: %d/%d/%d correct/system/gold articles",
        score.source,
        score.correct_articles,
        score.system_articles,
        score.gold_articles,
    )
    return score


def score_pages(pairs: Iterable[tuple[Sequence[Mapping[str, Any]], Mapping[str, Any]]]) -> Scores:
    """Score many pages and micro-average: counts summed over pages, then the metrics computed.

    Parameters
    ----------
    pairs : iterable of (records, gold)
        The system output and the gold of each page.

    Returns
    -------
    Scores
        Article P/R/F1 from the summed counts, content F1 and headline accuracy over all gold articles,
        line-label scores from the summed confusion, B-cubed over all gold lines.
    """
    total = Scores()
    for records, gold in pairs:
        total.add(score_page(records, gold))
    return total


# --------------------------------------------------------------------------------------------------
# baseline


def markdown_baseline(text: str, source: str = "") -> list[dict[str, Any]]:
    """The baseline segmenter: every line that starts with ``#`` opens an article and is its headline.

    Each following non-empty line up to the next ``#`` line is body; non-empty lines before the first
    ``#`` line form an article with no headline.

    Parameters
    ----------
    text : str
        The page text.
    source : str, default ""
        The page's name, copied into every record.

    Returns
    -------
    list of dict
        Records in the output contract (kind ``news``, one body block per line, confidence 1.0).
    """
    groups: list[tuple[tuple[int, str] | None, list[tuple[int, str]]]] = []
    for n, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            groups.append(((n, strip_markdown(line).strip()), []))
        elif groups:
            groups[-1][1].append((n, line))
        else:
            groups.append((None, [(n, line)]))

    records: list[dict[str, Any]] = []
    for index, (head, body) in enumerate(groups):
        lines: list[dict[str, Any]] = []
        if head is not None:
            lines.append({"n": head[0], "label": Label.HEADLINE.value, "confidence": 1.0})
        lines.extend({"n": n, "label": Label.BODY.value, "confidence": 1.0} for n, _ in body)
        records.append(
            {
                "source": source,
                "index": index,
                "kind": Kind.NEWS.value,
                "headline": (head[1] or None) if head is not None else None,
                "subheadlines": [],
                "byline": None,
                "dateline": None,
                "continued": False,
                "blocks": [{"label": Label.BODY.value, "text": t, "lines": [n]} for n, t in body],
                "text": "\n".join(t for _, t in body),
                "lines": lines,
            }
        )
    return records


# --------------------------------------------------------------------------------------------------
# reports and gate

_COLUMNS: tuple[tuple[str, str], ...] = (
    ("pages", "pages"),
    ("gold articles", "gold_articles"),
    ("article P", "article_precision"),
    ("article R", "article_recall"),
    ("article F1", "article_f1"),
    ("content F1", "content_f1"),
    ("headline acc", "headline_accuracy"),
    ("line macro F1", "line_macro_f1"),
    ("B³ F1", "bcubed_f1"),
    ("join F1", "join_f1"),
)
_COUNT_COLUMNS = frozenset({"pages", "gold_articles"})


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def format_table(rows: Sequence[tuple[str, Scores]], title: str, date: str | None = None) -> str:
    """A Markdown table of scores, one row per system, under a dated heading.

    Parameters
    ----------
    rows : sequence of (str, Scores)
        System name and its scores.
    title : str
        What was evaluated (e.g. ``"shared gold pages"``).
    date : str, optional
        The date in the heading; today's ISO date by default.

    Returns
    -------
    str
        The heading, a blank line and the table, ending with a newline.
    """
    date = date or _dt.date.today().isoformat()
    out = [
        f"### {title} ({date})",
        "",
        "| system | " + " | ".join(name for name, _ in _COLUMNS) + " |",
        "| --- | " + " | ".join("---:" for _ in _COLUMNS) + " |",
    ]
    for system, scores in rows:
        row = scores.as_row()
        cells = [str(int(row[key])) if key in _COUNT_COLUMNS else f"{row[key]:.3f}" for _, key in _COLUMNS]
        out.append(f"| {_cell(system)} | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def format_label_table(scores: Scores) -> str:
    """A Markdown table of per-label line scores with a closing macro-average row.

    Parameters
    ----------
    scores : Scores
        The scores to show.

    Returns
    -------
    str
        The table, ending with a newline.
    """
    out = ["| label | P | R | F1 | support |", "| --- | ---: | ---: | ---: | ---: |"]
    per_label = scores.label_scores()
    for label, s in per_label.items():
        out.append(f"| {_cell(label)} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.support} |")
    k = len(per_label) or 1
    macro_p = sum(s.precision for s in per_label.values()) / k
    macro_r = sum(s.recall for s in per_label.values()) / k
    support = sum(s.support for s in per_label.values())
    out.append(f"| macro | {macro_p:.3f} | {macro_r:.3f} | {scores.line_macro_f1:.3f} | {support} |")
    return "\n".join(out) + "\n"


def check_gate(scores: Scores, gate: Mapping[str, Any]) -> list[str]:
    """The metrics that fall below the gate's stored minimums.

    Parameters
    ----------
    scores : Scores
        The scores to check.
    gate : Mapping
        ``{"data_hash": ..., "min": {"article_f1": 0.9, ...}}``; metric names are keys of
        :meth:`Scores.as_row`. The data hash is the caller's to compare.

    Returns
    -------
    list of str
        The failing metric names in the gate's order (a NaN value fails); empty when the gate passes.

    Raises
    ------
    ValueError
        If the gate has no ``min`` table or names a metric :meth:`Scores.as_row` does not have, so a
        typo cannot pass silently.
    """
    minimums = gate.get("min")
    if not isinstance(minimums, Mapping):
        raise ValueError("eval gate has no 'min' table of metric minimums")
    row = scores.as_row()
    unknown = [name for name in minimums if name not in row]
    if unknown:
        raise ValueError(f"eval gate names unknown metrics: {', '.join(map(str, unknown))}")
    failing: list[str] = []
    for name, minimum in minimums.items():
        value = row[name]
        if math.isnan(value) or value < float(minimum):
            logger.info("eval gate: %s = %.4f is below %.4f", name, value, float(minimum))
            failing.append(name)
    return failing


# --------------------------------------------------------------------------------------------------
# running the segmenter over gold pages (``segmenter evaluate``)


def system_records(
    text: str,
    source: str,
    *,
    pipeline: Any = None,
    segmenter: Any = None,
    words: bool | str | Callable[[str, str], bool] = True,
    relabel: Callable[[list[Any], list[str]], None] | None = None,
    breaks: Any = None,
    heads: Any = None,
    merges: Any = None,
    context: Any = None,
    joins: Any = None,
    titles: Any = None,
) -> list[dict]:
    """Records of one page from a fitted Pipeline (an experiment) or a loaded Segmenter (a shipped model).

    With a Pipeline, ``breaks`` is the break model to stitch with (a fitted break Pipeline or its
    :class:`~segmenter.breaks.BreakModel`; none: rules only), ``heads`` the head model, ``merges`` the merge model
    the join model ``joins`` and the title model ``titles`` (likewise), ``context`` the context pass over the line
    probabilities (:mod:`segmenter.context`), ``words`` the stitcher's word test (a mode of
    :func:`segmenter.api.break_words`, the shipped lexicon's for ``"lexicon"``, or the test itself: a model's own
    lexicon's ``crosses``), and ``relabel(lines, labels)`` may change the predicted labels in place before the
    stitcher sees them (``scripts/dev_split.py --gold-labels`` puts gold ones there).
    """
    if segmenter is None:
        from segmenter.api import break_words, shipped_lexicon, word_mode
        from segmenter.breaks import as_break_model
        from segmenter.classify import predict_lines
        from segmenter.joins import as_join_model
        from segmenter.lines import split_lines
        from segmenter.merges import as_merge_model
        from segmenter.records import build_records
        from segmenter.titles import as_title_model
        from segmenter.stitch import stitch

        lines = split_lines(text)
        labels, conf, proba = predict_lines(pipeline, lines, context=context)
        if relabel is not None:
            relabel(lines, labels)
        stitched = stitch(
            lines,
            labels,
            # the word test of the default configuration: the shipped lexicon (built from the training split)
            words if callable(words) else break_words(words, shipped_lexicon() if word_mode(words) == "lexicon" else None),
            as_break_model(breaks),
            as_break_model(heads),
            proba,
            [str(c) for c in pipeline.classes_],
            as_merge_model(merges),
            joins=as_join_model(joins),
            titles=as_title_model(titles),
        )
        articles = build_records(stitched, lines, stitched.labels, conf, source=source)
    else:
        articles = segmenter.split(text, source=source)
    return [a.to_dict() for a in articles]


def evaluate_pages(
    pages: Iterable[tuple[str, Mapping[str, Any]]],
    *,
    model_pipeline: Any = None,
    segmenter: Any = None,
    words: bool | str | Callable[[str, str], bool] = True,
    breaks: Any = None,
    heads: Any = None,
    merges: Any = None,
    context: Any = None,
    joins: Any = None,
    titles: Any = None,
) -> Scores:
    """Split each (text, gold) page with a model and score the records against the gold.

    Parameters
    ----------
    pages : iterable of (str, dict)
        Page text and its gold annotation.
    model_pipeline : Pipeline, optional
        A fitted line classifier (as in training experiments).
    segmenter : Segmenter, optional
        A loaded segmenter (as users run it); used when given.
    words : bool, str or callable, default=True
        The stitcher's word test where a break is ambiguous (with ``model_pipeline``): a mode of
        :func:`segmenter.api.break_words` (``"lexicon"``: the shipped model's), or the test itself
        (``crosses(left, right) -> bool``: a model's own lexicon's, as ``split`` asks it of that model).
    breaks : Pipeline or BreakModel, optional
        The article-break model to stitch with (with ``model_pipeline``); none: the rules alone.
    heads : Pipeline or BreakModel, optional
        The head model to stitch with (with ``model_pipeline``); none: the walk's rules decide head runs.
    merges : Pipeline or BreakModel, optional
        The merge model to stitch with (with ``model_pipeline``); none: no article joins the one before it.
    context : ContextPass, optional
        The context pass over the line probabilities (with ``model_pipeline``; :mod:`segmenter.context`).
    joins : Pipeline or BreakModel, optional
        The join model to stitch with (with ``model_pipeline``); none: the rules join broken paragraphs.
    titles : Pipeline or BreakModel, optional
        The title model to stitch with (with ``model_pipeline``); none: the classifier's headlines stand.
    """
    from segmenter.breaks import as_break_model
    from segmenter.joins import as_join_model
    from segmenter.merges import as_merge_model
    from segmenter.titles import as_title_model

    # once, not per page
    breaks, heads, merges = as_break_model(breaks), as_break_model(heads), as_merge_model(merges)
    joins, titles = as_join_model(joins), as_title_model(titles)
    pairs = []
    for text, gold in pages:
        records = system_records(
            text,
            str(gold.get("source", "")),
            pipeline=model_pipeline,
            segmenter=segmenter,
            words=words,
            breaks=breaks,
            heads=heads,
            merges=merges,
            context=context,
            joins=joins,
            titles=titles,
        )
        pairs.append((records, gold))
    return score_pages(pairs)


def baseline_scores(pages: Iterable[tuple[str, Mapping[str, Any]]]) -> Scores:
    """Scores of the Markdown-heading baseline on the same pages."""
    return score_pages((markdown_baseline(text, str(gold.get("source", ""))), gold) for text, gold in pages)


def data_hash(pages: Iterable[tuple[str, Mapping[str, Any]]]) -> str:
    """SHA-256 over the page texts and their gold, for the eval gate."""
    import hashlib
    import json

    digest = hashlib.sha256()
    for text, gold in pages:
        digest.update(text.encode("utf-8"))
        digest.update(json.dumps(gold, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def add_arguments(parser: Any) -> None:
    """Options of ``segmenter evaluate``."""
    from segmenter.train import DEFAULT_GOLD, DEFAULT_PAGES

    parser.add_argument("--model", help="model file (default: the shipped model)")
    parser.add_argument("--pages", default=str(DEFAULT_PAGES), help="folder of page .txt files")
    parser.add_argument("--gold", default=str(DEFAULT_GOLD), help="folder of their gold .json files")
    parser.add_argument("--no-words", action="store_true", help="stitch without the word model")
    parser.add_argument("--labels", action="store_true", help="also print per-label scores")
    parser.add_argument("--gate", help="JSON file of minimum scores; fail when any is missed")


def run(args: Any) -> str:
    """Score a model on annotated pages against the baseline; return the dated table (``segmenter evaluate``)."""
    import json
    from pathlib import Path

    from segmenter.api import load_model
    from segmenter.errors import SegmenterError
    from segmenter.train import annotated_pages

    pages = annotated_pages(args.pages, args.gold)
    if not pages:
        raise ValueError(f"no annotated pages in {args.pages} with gold in {args.gold}")
    seg = load_model(args.model, words=not args.no_words, trust_pickle=getattr(args, "trust_pickle", False))
    scores = evaluate_pages(pages, segmenter=seg)
    name = f"segmenter ({Path(seg.loaded.path).name})"
    out = format_table([(name, scores), ("markdown-heading baseline", baseline_scores(pages))], f"{args.pages}")
    if args.labels:
        out += "\n\n" + format_label_table(scores)
    if args.gate:
        gate = json.loads(Path(args.gate).read_text(encoding="utf-8"))
        if gate.get("data_hash") not in (None, data_hash(pages)):
            out += "\n\nnote: the gate was set on other data (data_hash differs); minimums still applied"
        failed = check_gate(scores, gate)
        if failed:
            raise SegmenterError(f"eval gate failed on {', '.join(failed)}\n{out}")
    return out
