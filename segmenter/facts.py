"""Facts about a page's lines, computed once per page and read by every stitching decision.

The stitcher's rules, its repair passes and the features of the break and head models ask the same
questions about the same lines again and again: the line as read (NFKC, no Markdown marks), its
comparison form, whether it opens with a dateline, whether it is a photo credit or a byline, its ``#``
level. :class:`PageFacts` works each answer out once — the forms of every line up front, the pattern facts
on first use (many lines are never asked about) — so that the cost per line stays a few pattern matches,
however many rules read it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from . import patterns as P
from .labels import Label
from .lines import Line

if TYPE_CHECKING:
    import numpy as np

    from .breaks import PageGrams

# the label strings as plain constants: an enum member's ``.value`` costs a descriptor call, and the
# stitcher reads labels millions of times on a long page
HEADLINE = Label.HEADLINE.value
SUBHEAD = Label.SUBHEAD.value
SECTION = Label.SECTION.value
BYLINE = Label.BYLINE.value
DATELINE = Label.DATELINE.value
BODY = Label.BODY.value
CAPTION = Label.CAPTION.value
OTHER = Label.OTHER.value


_UNSET: Any = object()


class Memo:
    """``fact[i]``: ``compute(source[i])``, worked out on first use and kept (the list of answers is made
    on the first question: most facts are never asked on most pages)."""

    __slots__ = ("compute", "source", "known")

    def __init__(self, compute: Callable[[Any], Any], source: Sequence[Any]) -> None:
        self.compute, self.source = compute, source
        self.known: list[Any] | None = None

    def __getitem__(self, i: int) -> Any:
        known = self.known
        if known is None:
            known = self.known = [_UNSET] * len(self.source)
        value = known[i]
        if value is _UNSET:
            value = known[i] = self.compute(self.source[i])
        return value


class Kept(Sequence[Any]):
    """``fact[i]``: ``compute(source[i])``, worked out when asked; the answers for the last ``kept`` lines
    asked are kept, then forgotten all at once. For facts too large to keep for every line of a long page
    (a set per line); a sequence, so that it can stand where a list of them would."""

    __slots__ = ("compute", "source", "kept", "known")

    def __init__(self, compute: Callable[[Any], Any], source: Sequence[Any], kept: int) -> None:
        self.compute, self.source, self.kept = compute, source, kept
        self.known: dict[int, Any] = {}

    def __len__(self) -> int:
        return len(self.source)

    def __getitem__(self, i: Any) -> Any:
        if i < 0:
            i += len(self.source)
        value = self.known.get(i, _UNSET)
        if value is _UNSET:
            value = self.compute(self.source[i])  # past the end: IndexError, which ends an iteration
            if len(self.known) >= self.kept:
                self.known.clear()
            self.known[i] = value
        return value


def _proba_column(label: str) -> Any:
    """A :class:`PageFacts` property: the classifier's probability of ``label`` for each line (zeros
    without probabilities), worked out on first use."""

    def column(self: PageFacts) -> np.ndarray:
        return self._column(label)

    column.__doc__ = f"The classifier's probability of ``{label}`` for each line (zeros without probabilities)."
    return cached_property(column)


#: distinct line texts whose forms :func:`_page_forms` keeps while it reads a page (a page's repeated lines —
#: furniture, one-character lines — are among the first; a page of distinct lines does not fill memory)
_FORMS_KEPT = 65536


def _line_forms(text: str) -> tuple[str, str, str, str, str, str | None, bool]:
    """The forms and facts of one line that every line is asked (see :class:`PageFacts`), one line at a
    time: the pattern functions' caches then serve the line's later questions from its first."""
    bare = P.strip_markdown(text)
    normed = P.norm(bare)
    whole = normed if bare == text else P.norm(text)  # norm(text) of a line without marks
    return (
        normed,
        normed.strip(),
        "".join(normed.split()),
        whole,
        whole.strip(),
        P.dateline_of_normed(normed),  # find_dateline(text)
        P.CONTINUED_FROM.match(normed) is not None,  # is_continued_from(text)
    )


def _page_forms(lines: Sequence[Line]) -> tuple[list[Any], ...]:
    """:func:`_line_forms` of every line, as seven lists (a text repeated on the page is worked out once)."""
    known: dict[str, tuple[str, str, str, str, str, str | None, bool]] = {}
    rows: list[tuple[str, str, str, str, str, str | None, bool]] = []
    add = rows.append
    for line in lines:
        forms = known.get(line.text)
        if forms is None:
            forms = _line_forms(line.text)
            if len(known) < _FORMS_KEPT:
                known[line.text] = forms
        add(forms)
    # the rows turned into columns at C speed, not a value at a time
    return tuple(map(list, zip(*rows))) if rows else ([], [], [], [], [], [], [])


class PageFacts:
    """What the stitcher and its models read about each line of a page, computed once.

    Every line's ``normed`` form (``norm(strip_markdown(text))``), ``plain`` form (the same, stripped)
    and comparison ``key`` (no whitespace at all) are computed up front; the pattern facts are indexed
    like lists and computed on first use, each exactly the pattern function's answer for that argument.

    Parameters
    ----------
    lines : sequence of Line
        The page's non-empty lines.
    proba : ndarray, optional
        The line classifier's probabilities (the head model reads them), columns in ``classes`` order.
    classes : sequence of str
        The classifier's labels.
    grams : PageGrams, optional
        The page's character pairs, when the caller has them; else built on first use.
    """

    def __init__(
        self,
        lines: Sequence[Line],
        proba: np.ndarray | None = None,
        classes: Sequence[str] = (),
        grams: PageGrams | None = None,
    ) -> None:
        self.lines = lines
        # asked about nearly every line: computed up front, a line at a time, which costs less than asking
        # on demand: ``normed``, ``plain``, ``key`` (above); ``norm``: ``P.norm(text)``, the raw line
        # normalised, Markdown marks kept; ``norm_strip``: ``P.norm(text).strip()``; ``dateline``:
        # ``P.find_dateline(text)``; ``continued_from``: ``P.is_continued_from(text)``
        (
            self.normed,
            self.plain,
            self.key,
            self.norm,
            self.norm_strip,
            self.dateline,
            self.continued_from,
        ) = _page_forms(lines)
        self._grams = grams
        self._proba, self._classes = proba, classes
        #: ``P.find_dateline`` of the comparison form
        self.key_dateline = Memo(P.dateline_of_norm, self.key)
        #: ``P.find_dateline`` of the plain form
        self.plain_dateline = Memo(P.dateline_of_norm, self.plain)
        #: ``P.is_credit(text)`` and of the plain form
        self.credit = Memo(P.credit_of_norm, self.norm)  # the forms at hand, not norm and its cache again
        self.plain_credit = Memo(P.is_credit, self.plain)
        #: ``P.is_byline(text)`` and of the plain form
        self.byline = Memo(P.byline_of_normed, self.normed)
        self.plain_byline = Memo(P.is_byline, self.plain)
        #: ``P.is_notice_title(text)`` and of the plain form
        self.notice_title = Memo(P.notice_title_of_plain, self.plain)
        self.plain_notice_title = Memo(P.is_notice_title, self.plain)
        #: ``P.ends_sentence`` of the comparison form
        self.key_ends = Memo(P.ends_sentence, self.key)
        #: what the break model reads of a paragraph's opening, by its text (a page that prints the same
        #: line again and again asks once)
        self.openings: dict[str, Any] = {}

    def read_proba(self, proba: np.ndarray | None, classes: Sequence[str]) -> None:
        """Take the line classifier's probabilities (columns in ``classes`` order), for facts built before
        the lines were classified; facts that read them must not have been asked yet."""
        if any(name in self.__dict__ for name in ("p_headline", "p_subhead", "p_section", "p_body")):
            raise ValueError("the probabilities were read before they were given")
        self._proba, self._classes = proba, classes

    @cached_property
    def plain_continued_from(self) -> list[bool]:
        """Whether each line's plain form opens with ``（上接第X版）`` (the head model looks back over the
        lines above every head run for one: a list, not a fact worked out on first use)."""
        match = P.CONTINUED_FROM.match
        return [match(t) is not None for t in self.plain]

    @cached_property
    def level(self) -> list[int]:
        """Each line's heading level (:func:`segmenter.patterns.heading_level`)."""
        return [P.heading_level(line.text) for line in self.lines]

    @property
    def grams(self) -> PageGrams:
        """The page's character pairs with their rarity (:class:`segmenter.breaks.PageGrams`)."""
        if self._grams is None:
            from .breaks import PageGrams

            self._grams = PageGrams.of(self.lines, self.normed)
        return self._grams

    def _column(self, label: str) -> np.ndarray:
        import numpy as np

        columns = {str(c): k for k, c in enumerate(self._classes)}
        if self._proba is None or label not in columns:
            return np.zeros(len(self.lines))
        return np.asarray(self._proba[:, columns[label]], dtype=float)

    p_headline = _proba_column(HEADLINE)
    p_subhead = _proba_column(SUBHEAD)
    p_section = _proba_column(SECTION)
    p_body = _proba_column(BODY)
