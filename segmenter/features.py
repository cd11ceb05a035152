"""Line features: pure functions from a page's lines to feature dicts for ``DictVectorizer``.

A line's label depends on its neighbours (a headline is followed by a byline, a dateline or body), so a
sample is a :class:`LineContext` — a page and an index — and :func:`featurize` turns it into the
line's own features plus its neighbours' (prefixed ``p1:``, ``n1:`` …). Each line's own features are
computed once per page and shared by its neighbours.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import patterns as P
from .lines import Line

Features = dict[str, Any]

_ASCII_LETTER = re.compile("[A-Za-z]")
#: runs of characters that are never digits (``str.isdigit``): ASCII but ``0-9``, general punctuation, CJK
#: symbols and the basic block of ideographs; a line's digits are counted among the few others it holds
_NEVER_DIGITS = re.compile("[\x00-/:-\x7f\u2000-\u206f\u3000-\u3020\u4e00-\u9fff]+")

#: lines up to this many characters get character and word features (headline, byline, caption candidates)
SHORT = 36
#: the subset of a neighbour's features that its neighbour sees
_NEIGHBOUR_KEYS = (
    "md", "len", "end", "dl_start", "dl_only", "byline", "credit", "caption_start", "notice",
    "section_no", "deck", "cont_from", "gap_b", "gap_a", "space", "colon", "mid",
)


_LEN_EDGES = (2, 4, 6, 8, 10, 13, 16, 20, 25, 30, 40, 60, 100, 200)
#: the buckets' names, made once: a page's lines share them instead of holding a string each
_LEN_NAMES = tuple(f"<={edge}" for edge in _LEN_EDGES)


#: the names of small counts, made once (``str(k)`` makes a new string each time: 50 bytes a line each)
_COUNTS = tuple(str(k) for k in range(10))


def _len_bucket(n: int) -> str:
    if n <= _LEN_EDGES[-1]:
        return _LEN_BY_N[n]
    return ">200"


#: the length bucket of every length up to the last edge (a page's every distinct line asks)
_LEN_BY_N = tuple(next(name for edge, name in zip(_LEN_EDGES, _LEN_NAMES) if k <= edge) for k in range(_LEN_EDGES[-1] + 1))


def _end_class(ch: str) -> str:
    known = _END_CLASSES.get(ch)
    if known is not None:
        return known
    if ch.isdigit():
        return "digit"
    if P.is_han(ch):
        return "cjk"
    if ch.isascii() and ch.isalpha():
        return "latin"
    return "other"


#: the classes of the punctuation a line ends or opens with
_END_CLASSES = {
    ch: name
    for chars, name in (
        ("。!?！？", "stop"),
        ("”’」』\"'", "quote"),
        (")）】]", "bracket"),
        (",，、", "comma"),
        (";；:：", "semi"),
        ("…", "ellipsis"),
    )
    for ch in chars
}


def _gap(n: int) -> str:
    return _COUNTS[min(n, 2)] if n >= 0 else str(n)


#: flags of a line, each a pattern of the normalised line and how it is applied; a flag is set only where
#: true (a false flag is DictVectorizer's 0.0: it adds nothing, and leaving it out saves every line a key)
_MATCHED_FLAGS = (
    ("cont_from", P.CONTINUED_FROM.match),
    ("cont_to", P.CONTINUED_TO.search),
    ("section_no", P.SECTION_NUMBER.match),
    ("deck", P.DECK.match),
)


def line_features(
    text: str,
    gap_before: int,
    gap_after: int,
    words: Callable[[str], list[str]] | None = None,
    *,
    plain: str | None = None,
    level: int | None = None,
) -> Features:
    """Features of one line on its own.

    Parameters
    ----------
    text : str
        The cleaned line as printed (Markdown marks included).
    gap_before, gap_after : int
        Blank lines before and after it (the page edge counts as 2).
    words : callable, optional
        A word segmenter; when given, short lines get bag-of-words features.
    plain, level : optional
        The line's ``norm(strip_markdown(text)).strip()`` and heading level, when the page's facts have
        them (:class:`segmenter.facts.PageFacts`): not worked out again.

    Returns
    -------
    dict
        Feature name → value, ready for ``DictVectorizer``. A flag is present only where it is true
        (``DictVectorizer`` reads a false one as 0.0, which adds nothing).
    """
    if level is None:
        level = P.heading_level(text)
    s = P.norm(P.strip_markdown(text)).strip() if plain is None else plain
    n = len(s)
    f: Features = {
        "bias": 1.0,
        "md": _COUNTS[level] if 0 <= level < 10 else str(level),
        "len": _len_bucket(n),
        "loglen": math.log1p(n) / 6.0,
        "gap_b": _gap(gap_before),
        "gap_a": _gap(gap_after),
    }
    if not s:
        f["empty"] = 1.0
        return f
    last, first = s[-1], s[0]
    f["end"] = _end_class(last)
    f["first"] = "cjk" if P.is_han(first) else _end_class(first)
    if not first.isalnum():
        f["first_ch=" + first] = 1.0
    if not last.isalnum():
        f["last_ch=" + last] = 1.0
    commas = s.count(",") + s.count("、")
    stops = s.count("。") + s.count("!") + s.count("?")
    f["commas"] = _COUNTS[min(commas, 3)]
    f["stops"] = _COUNTS[min(stops, 3)]
    if " " in s or "\u3000" in s:
        f["space"] = True
    if ":" in s[:-1]:
        f["colon"] = True
    if "“" in s or "\"" in s:
        f["quote"] = True
    if "《" in s:
        f["book"] = True
    if "(" in s:
        f["bracket"] = True
    digits = sum(map(str.isdigit, _NEVER_DIGITS.sub("", s)))  # not a call a character: a page's every line
    f["digits"] = min(digits / n * 3, 1.0)
    # ASCII letters are exactly [A-Za-z]; a C-speed findall instead of a loop over every character
    f["latin"] = min(len(_ASCII_LETTER.findall(s)) / n * 3, 1.0)

    # ``s`` is normalised and stripped already: the pattern functions of normalised text, not the ones
    # that normalise again (a page's every distinct line passes here once)
    dateline = P.dateline_of_normed(s)
    if dateline is not None:
        f["dl_start"] = True
        if P.DATELINE_ONLY.match(s.replace(" ", "")) is not None:
            f["dl_only"] = True
        f["dl_any"] = True
    elif P.has_dateline(s):
        f["dl_any"] = True
    if P.byline_of_normed(s):
        f["byline"] = True
    if P.credit_of_norm(s):
        f["credit"] = True
    if P.CAPTION_START.match(s) is not None:
        f["caption_start"] = True
    if "拍摄" in s:
        f["shot"] = True
    if n <= 30 and P.NOTICE.search(s) is not None:
        f["notice"] = True
    # what running heads, foot lines and layout credits name (``第3版``, ``版式设计：…``, ``制图：…``)
    if n <= 40 and P.RUNNING_HEAD.search(s) is not None:
        f["furniture"] = True
    for name, match in _MATCHED_FLAGS:
        if match(s) is not None:
            f[name] = True
    # "，现在的…": the line carries on a sentence the line before it broke off
    if first in P.NON_OPENING:
        f["mid"] = True

    if n <= SHORT:
        f["f1=" + s[:1]] = 1.0
        f["f2=" + s[:2]] = 1.0
        f["l1=" + s[-1:]] = 1.0
        f["l2=" + s[-2:]] = 1.0
        if words is not None:
            toks = words(s)
            f["wn"] = str(min(len(toks), 12))
            for w in toks:
                if not w.isspace():
                    f["w=" + w] = 1.0
    return f


@dataclass(eq=False)
class PageView:
    """A page's lines with each line's own features computed once, on demand."""

    lines: Sequence[Line]
    _local: dict[bool, list[Features]] = field(default_factory=dict, repr=False)
    #: how modern the page reads (:mod:`segmenter.era`, rounded by :func:`era_step`); None: features uncrossed
    era: float | None = None

    def gaps(self) -> list[tuple[int, int]]:
        """Blank lines before and after each line (:func:`page_gaps`)."""
        return page_gaps(self.lines)

    def local(self, words: Callable[[str], list[str]] | None) -> list[Features]:
        """Each line's own features (cached per page)."""
        key = words is not None
        if key not in self._local:
            local = [line_features(line.text, b, a, words) for line, (b, a) in zip(self.lines, self.gaps())]
            levels = page_levels(self.lines)
            for f in local:
                f["levels"] = levels
            self._local[key] = local
        return self._local[key]

    def contexts(self) -> list[LineContext]:
        """One sample per line, in page order."""
        return [LineContext(self, i) for i in range(len(self.lines))]

    def folded(self, groups: Sequence[Sequence[int]]) -> PageView:
        """The page with each group of consecutive lines as one line (a broken paragraph read whole).

        Line numbers move up by the lines folded in, so that the blank lines around every line stay as
        printed; a line left alone therefore keeps its own features, and those already computed here
        are reused, not computed again.
        """
        whole = fold_lines(self.lines, groups)
        view = PageView(whole, era=self.era)
        gaps = view.gaps()
        for key, local in self._local.items():
            segment: Callable[[str], list[str]] | None = None
            if key:
                from .words import words as segment
            rows = []
            for k, group in enumerate(groups):
                if len(group) == 1:
                    rows.append(local[group[0]])
                else:
                    row = line_features(whole[k].text, *gaps[k], segment)
                    row["levels"] = local[group[0]]["levels"]  # a page's heading levels: body lines add none
                    rows.append(row)
            view._local[key] = rows
        return view


def folded_text(lines: Sequence[Line], group: Sequence[int]) -> str:
    """The text of one group of consecutive lines read as one line (:func:`fold_lines`)."""
    return "".join(lines[i].text for i in group)


def fold_lines(lines: Sequence[Line], groups: Sequence[Sequence[int]]) -> list[Line]:
    """The lines with each group of consecutive lines as one (see :meth:`PageView.folded`)."""
    whole: list[Line] = []
    shift = 0
    for group in groups:
        first, last = lines[group[0]], lines[group[-1]]
        whole.append(Line(first.n - shift, folded_text(lines, group), first.blank_before, last.blank_after, first.piece))
        shift += last.n - first.n
    return whole


def page_gaps(lines: Sequence[Line]) -> list[tuple[int, int]]:
    """Blank lines before and after each line, from the line numbers (the page edge counts as 2)."""
    out = []
    last = len(lines) - 1
    for i, line in enumerate(lines):
        if i == 0:
            before = 2 if line.blank_before else 0
        else:
            before = max(0, line.n - lines[i - 1].n - 1)
        if i == last:
            after = 2 if line.blank_after else 0
        else:
            after = max(0, lines[i + 1].n - line.n - 1)
        out.append((before, after))
    return out


#: the characters a marked line opens with (``#``, ``**``, ``__``)
_MARKS = frozenset("#*_")


def page_levels(lines: Iterable[Line]) -> str:
    """How many heading levels the page uses (the ``levels`` feature of every line): a "###" means a
    deck or a section only where the page also uses "#" or "##"; some extractors mark every heading alike."""
    # only a line that opens with a mark has a level (each text asked once)
    return levels_of(P.heading_level(t) for t in {line.text for line in lines} if t.lstrip()[:1] in _MARKS)


def levels_of(levels: Iterable[int]) -> str:
    """:func:`page_levels` of the lines' heading levels."""
    return str(min(len(set(levels) - {0}), 3))


@dataclass(frozen=True, eq=False)
class LineContext:
    """One sample for the classifier: line ``i`` of ``page``."""

    page: PageView
    i: int


def shown_features(nb: Features) -> list[str]:
    """What a line shows its neighbours: the names of its features that each neighbour sees as
    ``TAG:NAME`` of value 1.0 (``TAG`` one of :data:`NEIGHBOURS`: ``p1``, ``n1``, …)."""
    names = []
    for key in _NEIGHBOUR_KEYS:
        value = nb.get(key)
        if value is None or value is False:
            continue
        names.append(key if value is True else f"{key}={value}")
    return names


#: the tags of the neighbours a sample sees, by offset
NEIGHBOURS = ((-1, "p1"), (1, "n1"), (-2, "p2"), (2, "n2"))
#: the keys of a line's own features that :func:`context_extras` reads (of the line and of lines near it)
FACT_KEYS = ("md", "levels", "len", "commas", "end", "dl_start", "loglen")


def context_extras(local: Sequence[Mapping[str, Any]], i: int) -> Features:
    """The features of sample ``i`` that are neither a line's own nor a neighbour's: its position on the
    page and conjunctions of nearby lines' facts (``local`` needs only the :data:`FACT_KEYS`)."""
    f: Features = {}
    n = len(local)
    me = local[i]
    f["pos"] = "first" if i == 0 else "last" if i == n - 1 else str(min(4, int(5 * i / n)))
    # conjunctions the linear model cannot form by itself
    f["x:md|levels"] = f"{me['md']}|{me['levels']}"
    # a long line with clauses that stops unfinished is a broken paragraph more often than a title
    f["x:len|commas|end"] = f"{me['len']}|{me.get('commas')}|{me.get('end')}"
    if i + 1 < n:
        f["x:len|n1:dl"] = f"{me['len']}|{local[i + 1].get('dl_start', False)}"
        f["x:end|n1:len"] = f"{me.get('end')}|{local[i + 1]['len']}"
    if i > 0:
        f["x:p1end|len"] = f"{local[i - 1].get('end')}|{me['len']}"
    # where the head block ends: how far down the dateline-opened paragraph and the first long line are,
    # how far up the last long line is (a kicker, headline, deck and byline stack up to four deep)
    for k in range(1, 5):
        if i + k >= n:
            break
        if local[i + k].get("dl_start"):
            f[f"dl_ahead={k}"] = 1.0
            break
    for k in range(1, 5):
        if i + k < n and local[i + k]["loglen"] > _LONG:
            f[f"long_ahead={k}"] = 1.0
            break
    for k in range(1, 5):
        if i - k >= 0 and local[i - k]["loglen"] > _LONG:
            f[f"long_behind={k}"] = 1.0
            break
    return f


def context_features(local: list[Features], i: int, era: float | None = None) -> Features:
    """Merge line ``i``'s own features with its neighbours' (two either side) and :func:`context_extras`;
    with ``era``, also their copies for each era (:func:`crossed`)."""
    f = dict(local[i])
    n = len(local)
    for off, tag in NEIGHBOURS:
        j = i + off
        if 0 <= j < n:
            for name in shown_features(local[j]):
                f[f"{tag}:{name}"] = 1.0
        else:
            f[f"{tag}:edge"] = 1.0
    f.update(context_extras(local, i))
    return f if era is None else crossed(f, era)


#: what a feature's copy for each era is called: the modern paper's, the 1998 paper's
ERA_TAGS = ("m|", "o|")
_NEIGHBOUR_TAGS = tuple(f"{tag}:" for _, tag in NEIGHBOURS)


def era_step(p: float) -> float:
    """A page's era as the features read it: the probability rounded to 0, 1/2 or 1 (a saved model keeps one
    coefficient table per step)."""
    return round(2.0 * p) / 2.0


def crossed(f: Features, era: float) -> Features:
    """``f`` and, for each feature that is not a neighbour's, a modern copy weighted ``era`` and a 1998 copy
    weighted ``1 - era`` (Daumé's feature augmentation: shared weights learn what holds in both eras, the
    copies what holds in one). A copy of ``name: "value"`` is the number-valued ``m|name=value``."""
    out = dict(f)
    for name, value in f.items():
        if value is False or name.startswith(_NEIGHBOUR_TAGS):
            continue
        for tag, weight in zip(ERA_TAGS, (era, 1.0 - era)):
            if not weight:
                continue
            if type(value) is str:
                out[f"{tag}{name}={value}"] = weight
            elif value is True:
                out[tag + name] = weight
            else:
                out[tag + name] = float(value) * weight
    return out


#: ``loglen`` of a 40-character line: longer lines are paragraphs, not heads
_LONG = math.log1p(40) / 6.0


def featurize(X: Sequence[LineContext], words: bool = False) -> list[Features]:
    """Feature dicts of samples, one per sample (what the model's first step computes).

    Parameters
    ----------
    X : sequence of LineContext
        The samples.
    words : bool, default=False
        Add bag-of-words features for short lines (loads the word model once per process).
    """
    segment: Callable[[str], list[str]] | None = None
    if words:
        from .words import words as segment
    return [context_features(ctx.page.local(segment), ctx.i, ctx.page.era) for ctx in X]
