"""Articles under construction: what the stitcher's passes (:mod:`segmenter.stitch`, :mod:`segmenter.repairs`,
:mod:`segmenter.repeats`, :mod:`segmenter.order`) hand each other.

A :class:`Draft` holds line indices, never lines: every line of a page ends in exactly one draft or in the
page's leftovers (:class:`Stitched`). The comparison form of a line (:func:`line_keys`), the similarity of a
headline to a text (:func:`similarity`) and a few tests of a line's shape are shared by the passes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from . import patterns as P
from .facts import BODY as _BODY, BYLINE as _BYLINE, CAPTION as _CAPTION
from .facts import HEADLINE as _HEADLINE, SECTION as _SECTION, SUBHEAD as _SUBHEAD
from .lines import Line


HEAD = frozenset({_HEADLINE, _SUBHEAD, _BYLINE})


TEXT = frozenset({_BODY, _SECTION, _CAPTION})


#: containment checks are quadratic in an article's size; above this many characters, or lines, only exact
#: repeats count
MAX_CONTAINMENT_CHARS = 300_000


MAX_CONTAINMENT_LINES = 2_000


#: an extractor repeats text near where it first printed it: repeats are looked for among this many
#: articles before, which keeps the pass linear on a page of thousands of articles
REPEAT_WINDOW = 12


#: a headline that shares less than this of its character pairs with the text under it does not head it …
FOREIGN_LEAD = 0.2


#: … and heads the text printed before it when it shares at least this much with that text's lead
OWN_LEAD = 0.5


#: characters no heading opens with ("’97…" does: the apostrophe of a year)
NO_HEAD_OPENS = P.NON_OPENING - {"’"}


@dataclass
class Draft:
    """An article under construction: line indices and what the stitcher learnt about them."""

    members: list[int] = field(default_factory=list)
    closed: bool = False
    #: closed by a photo credit after its text: in a modern feature the text may go on under the picture
    by_credit: bool = False
    continued: bool = False
    dup: set[int] = field(default_factory=set)
    join: set[int] = field(default_factory=set)
    # running tallies for the first pass, which must not rescan an article at every line
    counts: Counter[str] = field(default_factory=Counter, repr=False)
    seen: set[str] = field(default_factory=set, repr=False)
    dated: bool = False
    #: whether a headline or kicker came, and a byline or caption after one (:func:`_head_done`), over the
    #: first ``tallied`` members, the last of them ``last_tallied``
    titled: bool = field(default=False, repr=False)
    head_complete: bool = field(default=False, repr=False)
    tallied: int = field(default=0, repr=False)
    last_tallied: int = field(default=-1, repr=False)

    def add(self, i: int, label: str, key: str, dated: bool = False) -> None:
        """Append line ``i`` (first pass), keeping the tallies."""
        members = self.members
        fresh = self.tallied == len(members) and (not members or members[-1] == self.last_tallied)
        members.append(i)
        self.by_credit = False  # only the line right after the credit is asked about
        self.counts[label] += 1
        self.seen.add(key)
        self.dated |= dated and label == _BODY
        if fresh:
            self.tallied, self.last_tallied = len(members), i
            if label == _HEADLINE or label == _SUBHEAD:
                self.titled = True
            elif self.titled and (label == _BYLINE or label == _CAPTION):
                self.head_complete = True

    def head(self, labels: Sequence[str]) -> list[int]:
        return [i for i in self.members if labels[i] in HEAD]

    def text_lines(self, labels: Sequence[str]) -> list[int]:
        return [i for i in self.members if labels[i] in TEXT]

    def has_headline(self, labels: Sequence[str]) -> bool:
        return any(labels[i] == _HEADLINE for i in self.members)


@dataclass
class Stitched:
    """The stitcher's result: articles in reading order and the leftover line indices."""

    articles: list[Draft]
    leftovers: list[int]
    #: the labels after the stitcher's corrections (a line above a byline becomes a headline, …)
    labels: list[str]
    #: the dateline each line opens with (:attr:`segmenter.facts.PageFacts.dateline`), for the records; the
    #: rest of the page's facts is let go with the stitcher (memory on a long page)
    datelines: list[str | None] | None = field(default=None, repr=False, compare=False)


def line_key(text: str) -> str:
    """Comparison form of a line: NFKC, no Markdown marks, no whitespace."""
    return "".join(P.norm(P.strip_markdown(text)).split())


def line_keys(lines: Sequence[Line]) -> list[str]:
    """Comparison form (:func:`line_key`) of each line of a page."""
    return [line_key(line.text) for line in lines]


def short_bracketed(text: str) -> bool:
    """A line that is all one bracketed note of at most 30 characters: ``（邹蓬 王国平）``, ``（传真照片）``."""
    return bracketed(P.norm(text).strip())


def bracketed(t: str) -> bool:
    """:func:`short_bracketed` of a line already normalised and stripped."""
    return t.startswith("(") and t.endswith(")") and len(t) <= 30


def headline_like(t: str, label: str) -> bool:
    """A body line (or one read as a section head) that could be a headline: short and not ending a
    sentence with a full stop (``t``: the line's plain form)."""
    return (
        label in (_BODY, _SECTION)
        and 4 <= len(t) <= 50
        and t[-1] not in "。.;；:：,，、"
        and t[0] not in NO_HEAD_OPENS
    )


def _bigrams(text: str) -> set[str]:
    return {text[k : k + 2] for k in range(len(text) - 1)}


def similarity(head: str, text: str) -> float:
    """Share of the headline's character bigrams that the text uses (headlines reuse the lead's words)."""
    grams = _bigrams(head)
    return sum(g in text for g in grams) / len(grams) if grams else 0.0
