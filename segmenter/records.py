"""Article records: what a stitched article becomes in the output (the JSON contract)."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import facts as F
from . import patterns as P
from .labels import TEXT_LABELS, Kind, Label
from .lines import Line, is_latin
from .drafts import Draft, Stitched

if TYPE_CHECKING:
    import numpy as np


@dataclass(slots=True)
class Block:
    """A paragraph (or heading, caption, dateline) of an article: one line, or several joined lines."""

    label: str
    text: str
    lines: list[int]


@dataclass(slots=True)
class LineRef:
    """An input line an article took: its 1-based number, its label and the label's probability."""

    n: int
    label: str
    confidence: float
    piece: int = 0


@dataclass
class Article:
    """One article of a page, pointing back into the input by line numbers.

    ``to_dict()`` gives the output record; ``kind == "other"`` marks the page's leftovers.
    """

    source: str
    index: int
    kind: str
    headline: str | None
    subheadlines: list[str] = field(default_factory=list)
    byline: str | None = None
    dateline: str | None = None
    continued: bool = False
    blocks: list[Block] = field(default_factory=list)
    lines: list[LineRef] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Body, section and caption text in reading order, one block per line (all text for leftovers)."""
        if self.kind == Kind.OTHER.value:
            return "\n".join(b.text for b in self.blocks)
        # an article's ``other`` blocks (a picture's link, a rule) are kept in its blocks, not its text
        return "\n".join(b.text for b in self.blocks if b.label in TEXT_LABELS)

    def to_dict(self) -> dict[str, Any]:
        """The record of the output contract (``segmenter split`` writes one per line)."""
        record = self.head()
        record["blocks"] = [block_item(b) for b in self.blocks]
        record["text"] = self.text
        record["lines"] = [line_item(ref) for ref in self.lines]
        return record

    def head(self) -> dict[str, Any]:
        """The record's fields before ``blocks``, ``text`` and ``lines`` (its last three), in order."""
        return {
            "source": self.source,
            "index": self.index,
            "kind": self.kind,
            "headline": self.headline,
            "subheadlines": list(self.subheadlines),
            "byline": self.byline,
            "dateline": self.dateline,
            "continued": self.continued,
        }


def block_item(block: Block) -> dict[str, Any]:
    """A block as an item of a record's ``blocks``."""
    # by hand: dataclasses.asdict deep-copies every line number (a third of a long page's time)
    return {"label": block.label, "text": block.text, "lines": block.lines}


def line_item(ref: LineRef) -> dict[str, Any]:
    """A line as an item of a record's ``lines``."""
    item: dict[str, Any] = {"n": ref.n, "label": ref.label, "confidence": round(ref.confidence, 4)}
    if ref.piece:
        item["piece"] = ref.piece
    return item


def _byline(text: str) -> str:
    return P.strip_markdown(text).lstrip("□■◇◆●○ ").strip()


def _kind(headline: str | None, blocks: list[Block]) -> str:
    """notice by its headline, photo when captions outweigh the text, else news."""
    if headline is not None and P.is_notice_title(headline):
        return Kind.NOTICE.value
    caption = sum(len(b.text) for b in blocks if b.label == F.CAPTION)
    body = sum(len(b.text) for b in blocks if b.label in (F.BODY, F.SECTION))
    if caption and caption >= body * 0.5:
        return Kind.PHOTO.value
    if caption and any(P.is_credit(b.text) for b in blocks if b.label == F.CAPTION) and body < 400:
        return Kind.PHOTO.value
    return Kind.NEWS.value


def build_article(
    draft: Draft,
    lines: Sequence[Line],
    labels: Sequence[str],
    confidence: Sequence[float],
    *,
    source: str,
    index: int,
    datelines: Sequence[str | None] | None = None,
) -> Article:
    """Turn a stitched draft into an :class:`Article`.

    Repeated lines (``draft.dup``) stay in ``lines`` but not in ``blocks``; joined lines (``draft.join``)
    extend the block before them. ``datelines``: each line's dateline, when the stitcher found them.
    """
    headline = None
    subheads: list[str] = []
    byline = None
    dateline = None
    blocks: list[Block] = []
    dup, join = draft.dup, draft.join
    parts: list[str] = []  # the text of a block being joined, piece by piece
    body, section = F.BODY, F.SECTION  # read for every line
    for i in draft.members:
        label, line = labels[i], lines[i]
        text = line.text
        if dateline is None and (label == body or label == F.DATELINE):
            dateline = datelines[i] if datelines is not None else P.find_dateline(text)
        if i in dup:
            continue
        if label == body:  # most lines: the branches of head lines below are passed over
            pass
        elif label == F.HEADLINE:
            if headline is None:
                headline = P.strip_markdown(text)
            else:
                subheads.append(P.strip_markdown(text))
            continue
        elif label == F.SUBHEAD:
            subheads.append(P.strip_markdown(text))
            continue
        elif label == F.BYLINE:
            if byline is None:
                byline = _byline(text)
            else:
                byline = f"{byline} {_byline(text)}"
            continue
        if i in join and blocks and blocks[-1].label == label:
            prev = blocks[-1]
            end = parts[-1][-1:] if parts else prev.text[-1:]
            piece = text.strip()
            if not parts:
                parts.append(prev.text)
            if is_latin(end) and is_latin(piece[:1]):  # a Latin line wraps at a space; a number breaks anywhere
                parts.append(" ")
            parts.append(piece)
            prev.lines.append(line.n)
        else:
            if parts:  # the joined block before is complete: its text at once (adding line by line is quadratic)
                blocks[-1].text = "".join(parts)
                parts = []
            shown = P.strip_markdown(text) if label == section else text.strip()
            blocks.append(Block(label, shown, [line.n]))
    if parts:
        blocks[-1].text = "".join(parts)
    refs = _refs(draft.members, lines, labels, confidence)
    kind = _kind(headline, blocks)
    return Article(
        source=source,
        index=index,
        kind=kind,
        headline=headline,
        subheadlines=subheads,
        byline=byline,
        dateline=dateline,
        continued=draft.continued,
        blocks=blocks,
        lines=refs,
    )


def _refs(members: Sequence[int], lines: Sequence[Line], labels: Sequence[str], confidence: Sequence[float]) -> list[LineRef]:
    """The :class:`LineRef` of each line of ``members``."""
    return [LineRef(lines[i].n, labels[i], float(confidence[i]), lines[i].piece) for i in members]


def build_records(
    stitched: Stitched,
    lines: Sequence[Line],
    labels: Sequence[str],
    confidence: Sequence[float] | np.ndarray,
    *,
    source: str = "",
) -> list[Article]:
    """All articles of a page in reading order, then a ``kind: other`` record for the leftovers (if any)."""
    # plain floats once for the page (a numpy scalar per line costs more, and is not a float)
    confidence = confidence.tolist() if hasattr(confidence, "tolist") else [float(c) for c in confidence]
    articles = [
        build_article(d, lines, labels, confidence, source=source, index=k, datelines=stitched.datelines)
        for k, d in enumerate(stitched.articles)
    ]
    if stitched.leftovers:
        left = stitched.leftovers
        articles.append(
            Article(
                source=source,
                index=len(articles),
                kind=Kind.OTHER.value,
                headline=None,
                blocks=[Block(labels[i], lines[i].text.strip(), [lines[i].n]) for i in left],
                lines=_refs(left, lines, labels, confidence),
            )
        )
    return articles


def attach_pictures(
    articles: list[Article],
    pictures: Sequence[Line],
    kept: Sequence[Line],
    *,
    source: str = "",
    above: Sequence[Line] = (),
) -> list[Article]:
    """Give each picture line (:func:`segmenter.patterns.is_picture`) to the article of the text beside it,
    and each line of ``above`` (a rule, a heading's underline: :func:`segmenter.patterns.is_rule`) to the
    article of the line above it.

    A Markdown converter writes a picture as a line of its own (``![](images/3f7a.jpg)``), above or below
    its caption. It is no prose, so the classifier and the stitcher never see it; here it joins, labelled
    ``other`` (a block of its own, so that its text stays in the record), the article of the caption
    beside it (the line after it first), else the article of the line after it, else of the line before.
    A page of pictures alone gives them to a leftovers record. ``articles`` are changed in place; the
    list is returned, with a leftovers record added when one is needed.

    Parameters
    ----------
    articles : list of Article
        The records of the page without its picture lines.
    pictures : sequence of Line
        The picture lines, in file order.
    kept : sequence of Line
        The other lines, in file order (the ones the records were built on).
    source : str, optional
        The page's name, for a leftovers record.
    above : sequence of Line, optional
        Lines that go with the line above them (else below them), labelled ``other`` with a block too.
    """
    where: dict[int, tuple[Article, str]] = {}
    for article in articles:
        for ref in article.lines:
            where.setdefault(ref.n, (article, ref.label))
    numbers = [line.n for line in kept]
    homeless: list[Line] = []
    placed = [(line, False) for line in pictures] + [(line, True) for line in above]
    for picture, upward in sorted(placed, key=lambda item: item[0].n):
        k = bisect.bisect_right(numbers, picture.n)
        after = (numbers[k], *where[numbers[k]]) if k < len(numbers) and numbers[k] in where else None
        before = (numbers[k - 1], *where[numbers[k - 1]]) if k > 0 and numbers[k - 1] in where else None
        if upward:  # with the line above, where there is one
            with_after = before is None
        else:  # with the caption beside it, the one below first; else with the line below
            with_after = after is not None and after[2] == Label.CAPTION.value
            with_after |= before is None or before[2] != Label.CAPTION.value
        if after is not None and with_after:
            n, article, _ = after
            refs = article.lines
            at = next(m for m, r in enumerate(refs) if r.n == n)  # before the line after it
        elif before is not None:
            n, article, _ = before
            refs = article.lines
            at = max(m for m, r in enumerate(refs) if r.n == n) + 1  # after the line before it
        else:
            homeless.append(picture)
            continue
        refs.insert(at, LineRef(picture.n, Label.OTHER.value, 1.0))
        # its text stays in the record, as an ``other`` block beside the line it goes with
        blocks = article.blocks
        spot = next((m for m, b in enumerate(blocks) if n in b.lines), None)
        block = Block(Label.OTHER.value, picture.text.strip(), [picture.n])
        if spot is None:  # the line it goes with is in no block (a headline): by line number
            spot = next((m for m, b in enumerate(blocks) if b.lines and b.lines[0] > picture.n), len(blocks))
            blocks.insert(spot, block)
        else:
            blocks.insert(spot if n > picture.n else spot + 1, block)
    if homeless:
        refs = [LineRef(line.n, Label.OTHER.value, 1.0) for line in homeless]
        blocks = [Block(Label.OTHER.value, line.text.strip(), [line.n]) for line in homeless]
        if articles and articles[-1].kind == Kind.OTHER.value:  # the page's leftovers record stays last
            articles[-1].lines += refs
            articles[-1].blocks += blocks
        else:
            leftovers = Article(source, len(articles), Kind.OTHER.value, None, blocks=blocks, lines=refs)
            articles.append(leftovers)
    return articles
