"""The title model: which line of an article's title block is its headline?

A modern title block has up to three parts — a kicker above the headline, often a whole sentence
(``中办国办印发`` / ``…考核措施``), the headline, and a deck under it (often ``——…``) — and with two lines
either may be the headline: ``澳网女单`` / ``郑赛赛朱琳张帅晋级次轮`` is a kicker and its headline,
``雄安新区两个规划获批`` / ``标志新区规划建设进入新阶段`` a headline and its deck. The classifier reads each
line with its neighbours' probabilities (the context pass) but not their lengths, marks or endings, and on
the development split's modern pages one article in 75 came out with its kicker or deck for headline.

Once the stitcher has put an article together, each line of a title block of two or more lines that the
classifier read with one headline is put to a logistic regression over :func:`title_features` — where it
stands in the block, its headline and subhead probabilities and how they compare with the other lines',
its length against theirs, its ``#`` level against theirs, an ending that introduces (``：``, ``——``, a verb
of saying), a deck's opening dash, a column tag (``（人民论坛）``), and what follows the block — and the
likeliest line is the headline, the others kickers and decks. It is trained by :func:`fit_titles` on the
training pages as the stitcher (with the other decision models) leaves them; the gold says which line is
the headline.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from . import patterns as P
from .breaks import BreakModel, Walk, _bucket, as_break_model, fit_decision
from .facts import BODY, BYLINE, CAPTION, DATELINE, HEADLINE, SECTION, SUBHEAD, PageFacts

if TYPE_CHECKING:
    from .drafts import Draft

logger = logging.getLogger(__name__)

Features = dict[str, Any]

#: inverse regularisation strength of the title model
TITLE_C = 1.0
#: the decision is a choice among the block's lines; the card keeps a threshold like the other models'
TITLE_THRESHOLD = 0.5
#: title blocks longer than this are left as the classifier read them
MAX_BLOCK = 4
_LENGTH_EDGES = (4, 8, 12, 16, 22, 30, 40)
#: how a kicker ends: it introduces the line under it (``周强强调``, ``郑州商品交易所——``, ``国家卫健委：``)
_LEAD_IN_ENDS = ("—", ":", "：", "强调", "表示", "指出", "要求", "印发", "提出")
#: what may follow a title block, as :func:`title_features` reads it (anything else is ``"other"``)
_AFTER = frozenset({BYLINE, DATELINE, BODY, SECTION, CAPTION, "none"})
#: a column tag after a headline (``（人民论坛）``, ``(新春走基层)``)
_TAG = re.compile(r"[（(][^（()）]{2,16}[)）]$")


def title_block(draft: Draft, labels: Sequence[str]) -> list[int]:
    """The lines of the article's title block: its first head lines (headlines and subheads, repeats left
    out) before anything else, when there are two or more and exactly one reads as the headline."""
    block: list[int] = []
    for i in draft.members:
        if i in draft.dup:
            continue
        if labels[i] not in (HEADLINE, SUBHEAD):
            break
        block.append(i)
        if len(block) > MAX_BLOCK:
            return []
    if len(block) < 2 or sum(labels[i] == HEADLINE for i in block) != 1:
        return []
    return block


def title_features(facts: PageFacts, labels: Sequence[str], block: Sequence[int], r: int, after: str) -> Features:
    """What the title model reads of the block's line ``block[r]`` (``after``: the label of the line after
    the block, ``"none"`` at the article's end).

    Returns
    -------
    dict
        Feature name to value, for a ``DictVectorizer``.
    """
    x = block[r]
    m = len(block)
    p_head, p_sub = facts.p_headline, facts.p_subhead
    others = [k for k in block if k != x]
    plain = facts.plain[x]
    length = len(facts.key[x])
    lengths = [len(facts.key[k]) for k in others]
    levels = [facts.level[k] for k in block]
    marked = [v for v in levels if v]
    level = facts.level[x]
    if not level:
        level_vs = "unmarked" if not marked else "unmarked_among_marked"
    else:
        level_vs = "top" if level == min(marked) else "deeper"
        if len(set(marked)) == 1:
            level_vs = "same"
    where = f"{r}/{m}"
    return {
        "pos": where,
        "was_headline": labels[x] == HEADLINE,
        "p_head": float(p_head[x]),
        "p_sub": float(p_sub[x]),
        "p_head_vs": float(p_head[x]) - max(float(p_head[k]) for k in others),
        "p_sub_vs": float(p_sub[x]) - max(float(p_sub[k]) for k in others),
        "len": _bucket(length, _LENGTH_EDGES),
        "longest": length > max(lengths),
        "shortest": length < min(lengths),
        "len_ratio": min(3.0, length / max(1, max(lengths))),
        "level": level_vs,
        "lead_in": plain.endswith(_LEAD_IN_ENDS),
        "deck": bool(P.DECK.match(plain)),
        "tag": bool(_TAG.search(plain)),
        "after|pos": f"{after}|{where}",
        "lead_in|pos": f"{plain.endswith(_LEAD_IN_ENDS)}|{where}",
    }


#: ``decide(rows, block) -> k``: which line of the block (``block[k]``, described by ``rows[k]``) is the
#: headline (``None``: leave the block as it is)
TitleDecision = Callable[[list[Features], list[int]], "int | None"]


def decision(model: BreakModel) -> TitleDecision:
    """The title decision of a fitted model: the block's likeliest headline."""

    def choose(rows: list[Features], _block: list[int]) -> int | None:
        scores = [model.score(row) for row in rows]
        return max(range(len(rows)), key=lambda k: (scores[k], -k)) if rows else None

    return choose


def choose_headlines(drafts: Sequence[Draft], labels: list[str], facts: PageFacts, decide: TitleDecision) -> None:
    """Give each article's title block the headline ``decide`` chooses; its other lines become subheads
    (kickers and decks). ``labels`` are changed in place."""
    for d in drafts:
        block = title_block(d, labels)
        if not block:
            continue
        after = next((labels[i] for i in d.members if i not in d.dup and i not in block), "none")
        after = after if after in _AFTER else "other"
        rows = [title_features(facts, labels, block, r, after) for r in range(len(block))]
        k = decide(rows, block)
        if k is None:
            continue
        for i in block:
            labels[i] = SUBHEAD
        labels[block[k]] = HEADLINE


def title_samples(
    pages: Sequence[tuple[str, dict[str, Any]]], line_model: Any, walk: Walk
) -> tuple[list[Features], list[int]]:
    """Title samples of labelled pages: each line of every title block the stitcher leaves (walking with the
    models of ``walk``), 1 for the one the gold labels the headline; blocks with no gold headline, or more
    than one, teach nothing and are left out."""
    X: list[Features] = []
    y: list[int] = []
    for lines, gold, _article, _proba, stitch_page in walk.pages(pages, line_model):
        headlines = {int(item["n"]) for item in gold["lines"] if item["label"] == HEADLINE}
        numbers = [line.n for line in lines]

        def teacher(rows: list[Features], block: list[int]) -> int | None:
            hits = [k for k, i in enumerate(block) if numbers[i] in headlines]
            if len(hits) != 1:
                return None
            X.extend(rows)
            y.extend(int(k == hits[0]) for k in range(len(rows)))
            return hits[0]

        stitch_page(titles=teacher)
    return X, y


def fit_titles(
    pages: Sequence[tuple[str, dict[str, Any]]], line_model: Any, walk: Walk, *, C: float = TITLE_C, seed: int = 0
) -> Any:
    """Fit the title-model Pipeline on labelled pages (see :func:`title_samples`); ``None`` with a warning
    when the pages show no title block to choose in."""
    X, y = title_samples(pages, line_model, walk)
    return fit_decision(X, y, name="title model", samples="lines of title blocks", ones="headlines", C=C, seed=seed)


def as_title_model(model: Any) -> BreakModel | None:
    """A :class:`~segmenter.breaks.BreakModel` from a fitted title Pipeline; a BreakModel or ``None`` as it is."""
    return as_break_model(model, TITLE_THRESHOLD)
