"""The line classifier at prediction time: label probabilities for every line of a page.

A saved model is predicted from its arrays (:class:`LinearModel`: vocabulary, coefficients, classes)
with numpy alone — the arithmetic of the trained scikit-learn Pipeline of :mod:`segmenter.pipeline`
(features → DictVectorizer → multinomial logistic regression) without importing scikit-learn. Logistic
regression's probabilities are reasonably calibrated for a linear model, so each line carries its
label's probability as a confidence.

Where the first pass shows paragraphs broken at a column end, the lines it did not call body get a second
look on the page with those paragraphs whole (:func:`rejoin_broken`). That is only the adjacent, plain
case, for the classifier's sake; the stitcher joins broken paragraphs for the output with its own evidence
(moved columns, words across the break).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from . import patterns as P
from .era import page_era
from .features import LineContext, PageView, featurize
from .labels import Label
from .lines import Line

if TYPE_CHECKING:
    from .facts import PageFacts


def predict_lines(
    model: Any, lines: Sequence[Line], *, rejoin: bool = True, context: Any = None, facts: PageFacts | None = None
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Label every line of one page.

    Parameters
    ----------
    model : Pipeline or LinearModel
        A fitted Pipeline from :func:`make_pipeline`, or its arrays (:class:`LinearModel`).
    lines : sequence of Line
        The page's non-empty lines in file order.
    rejoin : bool, default=True
        Where the first pass finds paragraphs broken at a column end, label the head lines again on
        the page with those paragraphs whole (:func:`rejoin_broken`).
    context : ContextPass, optional
        Read the probabilities again, each line's beside its neighbours' (:mod:`segmenter.context`),
        after the rejoin (the lines of a broken paragraph keep theirs); its classes must be the model's.
    facts : PageFacts, optional
        The lines' facts (:class:`segmenter.facts.PageFacts`), when the caller has them: the features read
        their plain forms and heading levels instead of working them out again.

    Returns
    -------
    labels : list of str
        The most probable label of each line.
    confidence : ndarray of shape (n_lines,)
        Its probability.
    proba : ndarray of shape (n_lines, n_labels)
        All label probabilities, columns in ``model.classes_`` order.
    """
    if isinstance(model, LinearModel):
        fast: Any = model
    else:
        from sklearn.utils.validation import check_is_fitted

        from .pipeline import _fast_path

        fast = _fast_path(model)
        if fast is None:
            check_is_fitted(model)
    if not lines:
        return [], np.zeros(0), np.zeros((0, len(model.classes_)))
    # the page's era (segmenter.era), where the model reads features per era
    era = page_era(getattr(model, "era_model_", None), [line.text for line in lines], facts.norm if facts else None)
    if era is not None and type(fast) is LinearModel:
        fast = fast.for_era(era)

    def probabilities(contexts: Sequence[LineContext]) -> np.ndarray:
        found = fast.predict_proba(contexts) if fast is not None else None
        return found if found is not None else model.predict_proba(contexts)

    classes = [str(c) for c in model.classes_]
    if type(fast) is LinearModel:
        proba = _predict_page(fast, lines, rejoin, facts)
    else:
        view = PageView(lines, era=era)
        proba = probabilities(view.contexts())
        if rejoin:
            rejoin_broken(probabilities, view, [classes[k] for k in proba.argmax(axis=1)], proba, classes)
    if context is not None:
        if [str(c) for c in context.classes_] != classes:
            raise ValueError(f"the context pass's classes {context.classes_.tolist()} are not the line model's {classes}")
        fresh = context.predict_proba(proba)
        # a paragraph broken at a column end keeps its body label, as in the rejoin: the pass sees the
        # neighbours' labels, not that the line before stops inside the sentence this one ends
        for group in broken_paragraphs(lines, [classes[k] for k in proba.argmax(axis=1)]):
            if len(group) > 1:
                fresh[group] = proba[group]
        proba = fresh
    best = proba.argmax(axis=1)
    return [classes[k] for k in best], proba[np.arange(len(best)), best], proba


#: the shortest first half of a broken paragraph (a shorter unfinished line is more likely a heading)
BROKEN_MIN = 10


def broken_paragraphs(lines: Sequence[Line], labels: Sequence[str]) -> list[list[int]]:
    """The page's lines grouped into paragraphs: a body line of at least :data:`BROKEN_MIN` characters
    that stops inside a sentence goes with the body line after it (a paragraph broken at a column end).

    Every line is in exactly one group, in file order; most groups are one line.
    """
    body = Label.BODY.value
    groups: list[list[int]] = []
    for i in range(len(lines)):
        if i and _continues(lines, labels, i, body):
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def _continues(lines: Sequence[Line], labels: Sequence[str], i: int, body: str) -> bool:
    """Whether line ``i`` goes with the line before it in :func:`broken_paragraphs`."""
    prev = lines[i - 1]
    return (
        labels[i - 1] == body
        and labels[i] == body
        and prev.piece == 0
        and lines[i].piece == 0
        and len(prev.text) >= BROKEN_MIN
        and not P.ends_sentence(P.norm(prev.text))
        and P.find_dateline(lines[i].text) is None
    )


def rejoin_broken(
    probabilities: Callable[[Sequence[LineContext]], np.ndarray],
    view: PageView,
    labels: list[str],
    proba: np.ndarray,
    classes: list[str],
) -> None:
    """Label a page's head lines again with its broken paragraphs whole; ``labels`` and ``proba`` in place.

    ``view`` is the page as the first pass saw it; ``probabilities(contexts)`` gives the classifier's
    label probabilities, columns in ``classes`` order.

    The classifier sees two lines either side; a lead paragraph broken in two pushes the byline under a
    headline out of reach of the section head below it, and the section is read as a headline. On the
    page with each broken paragraph as one line the classifier sees what it was trained on. Only lines
    it did not call body are labelled again; the broken paragraphs keep their labels.
    """

    def folded(groups: list[list[int]], redo: list[int]) -> np.ndarray:
        contexts = view.folded(groups).contexts()
        return probabilities([contexts[k] for k in redo])

    _second_look(view.lines, labels, proba, classes, folded)


def _second_look(
    lines: Sequence[Line],
    labels: list[str],
    proba: np.ndarray,
    classes: list[str],
    folded: Callable[[list[list[int]], list[int]], np.ndarray],
) -> None:
    """:func:`rejoin_broken` given ``folded(groups, redo)``: the probabilities of the samples ``redo`` of
    the page with the line ``groups`` folded."""
    body = Label.BODY.value
    if not any(_continues(lines, labels, i, body) for i in range(1, len(lines))):
        return  # nothing broken: the first pass stands (and no group is made for each line)
    groups = broken_paragraphs(lines, labels)
    redo = [k for k, group in enumerate(groups) if len(group) == 1 and labels[group[0]] != Label.BODY.value]
    if not redo:
        return
    again = folded(groups, redo)
    for k, row in zip(redo, again):
        i = groups[k][0]
        label = classes[int(row.argmax())]
        if label != labels[i]:
            labels[i] = label
            proba[i] = row


def vocabulary_names(vocabulary: dict[str, int]) -> np.ndarray:
    """A fitted vocabulary (feature name → column) as the array of names by column, for an ``.npz``."""
    names = np.empty(len(vocabulary), dtype=object)
    for name, index in vocabulary.items():
        names[index] = name
    return names.astype(str)


def names_vocabulary(names: np.ndarray) -> dict[str, int]:
    """The vocabulary back from :func:`vocabulary_names`."""
    return {name: k for k, name in enumerate(names.tolist())}


#: the arrays of a line classifier's ``.npz``: name → (dimensions, dtype kinds)
_LINEAR_ARRAYS = {"names": (1, "U"), "coef": (2, "f"), "intercept": (1, "f"), "classes": (1, "U"),
                  "words": (0, "b"), "separator": (0, "U")}
#: samples featurised at a time by :meth:`LinearModel.predict_proba`
_CHUNK = 4096


def _softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax, as scikit-learn computes it (shift by the row maximum, exponentiate, normalise)."""
    scores = scores - scores.max(axis=1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=1, keepdims=True)
    return scores


@dataclass(eq=False)
class LinearModel:
    """A fitted line classifier as plain arrays: vocabulary, coefficients, intercepts, classes.

    The arithmetic of the Pipeline (features → DictVectorizer → multinomial LogisticRegression) with
    numpy alone: loading it imports no scikit-learn and unpickles nothing (``np.load`` with
    ``allow_pickle=False``), so a process starts fast and a model file cannot run code. Written beside
    the ``.joblib`` by :func:`segmenter.model.save_model`; probabilities equal the Pipeline's to
    floating-point rounding.
    """

    vocabulary: dict[str, int]
    coef: np.ndarray
    intercept: np.ndarray
    classes_: np.ndarray
    words: bool = False
    separator: str = "="
    #: how modern a page reads (:class:`segmenter.era.EraModel`), where the features have a copy per era
    era_model_: Any = None

    @classmethod
    def from_pipeline(cls, pipeline: Any) -> LinearModel:
        """The arrays of a fitted Pipeline from :func:`segmenter.pipeline.make_pipeline`."""
        featurizer, vectorizer, classifier = (step for _, step in pipeline.steps)
        return cls(
            vocabulary=dict(vectorizer.vocabulary_),
            coef=np.asarray(classifier.coef_, dtype=np.float64),
            intercept=np.asarray(classifier.intercept_, dtype=np.float64),
            classes_=np.asarray([str(c) for c in classifier.classes_]),
            words=bool(featurizer.words),
            separator=str(vectorizer.separator),
            era_model_=getattr(pipeline, "era_model_", None),
        )

    def save(self, path: str | Path) -> None:
        """Write the arrays to an ``.npz`` file (no pickles inside)."""
        era = self.era_model_.arrays() if self.era_model_ is not None else {}
        np.savez_compressed(
            path,
            names=vocabulary_names(self.vocabulary),
            coef=self.coef,
            intercept=self.intercept,
            classes=self.classes_.astype(str),
            words=np.array(self.words),
            separator=np.array(self.separator),
            **{f"era_{name}": value for name, value in era.items()},
        )

    @classmethod
    def load(cls, path: str | Path) -> LinearModel:
        """Read arrays written by :meth:`save` (no pickles; names, dtypes and shapes checked).

        Raises
        ------
        ValueError
            When the file does not hold the arrays of a line classifier, consistent with each other.
        """
        from .labels import LABELS
        from .model import read_npz

        from .era import ARRAYS as ERA_ARRAYS, EraModel

        # a model that reads each page in its era holds the era model's arrays too
        data = read_npz(path, _LINEAR_ARRAYS, optional={f"era_{name}": kind for name, kind in ERA_ARRAYS.items()})
        era = EraModel.from_arrays({name: data[f"era_{name}"] for name in ERA_ARRAYS}) if "era_coef" in data else None
        names, coef, classes = data["names"], data["coef"], data["classes"]
        if coef.shape != (len(classes), len(names)) or data["intercept"].shape != (len(classes),):
            raise ValueError(
                f"coef {coef.shape} and intercept {data['intercept'].shape} do not fit {len(classes)} classes "
                f"and {len(names)} feature names"
            )
        unknown = sorted(set(classes.tolist()) - set(LABELS))
        if unknown or len(set(classes.tolist())) != len(classes) or len(set(names.tolist())) != len(names):
            raise ValueError(f"classes {classes.tolist()} or feature names are not distinct segmenter labels/names")
        return cls(
            vocabulary=names_vocabulary(names),
            coef=coef,
            intercept=data["intercept"],
            classes_=classes,
            words=bool(data["words"]),
            separator=str(data["separator"]),
            era_model_=era,
        )

    def for_era(self, era: float) -> LinearModel:
        """The model as it reads a page of era ``era`` (a step of :func:`~segmenter.features.era_step`): each
        feature's weight plus its modern copy's times ``era`` and its 1998 copy's times ``1 - era``, in one
        table, so that the page scorer reads no crossed feature. A model without copies is itself."""
        cache = self.__dict__.setdefault("_eras", {})
        known = cache.get(era)
        if known is not None:
            return known
        folded = self._era_columns()
        if folded is None:
            cache[era] = self
            return self
        vocabulary, base, copies = folded
        coef = self.coef[:, base].copy()
        for (own, copy), weight in zip(copies, (era, 1.0 - era)):
            if weight and len(own):
                coef[:, own] += weight * self.coef[:, copy]
        model = LinearModel(
            vocabulary=vocabulary, coef=coef, intercept=self.intercept,
            classes_=self.classes_, words=self.words, separator=self.separator,
        )
        cache[era] = model
        return model

    def _era_columns(self) -> tuple[dict[str, int], np.ndarray, list[tuple[np.ndarray, np.ndarray]]] | None:
        """Where :meth:`for_era` finds each feature and its copies, worked out once for every era step: the
        folded vocabulary, its features' columns, and per era tag the (folded, copy) column pairs; ``None``
        for a model without copies."""
        from .features import ERA_TAGS

        known = self.__dict__.get("_era_columns_")
        if known is not None:
            return known or None
        vocab = self.vocabulary
        names = [name for name in vocab if not name.startswith(ERA_TAGS)]
        if len(names) == len(vocab):
            self.__dict__["_era_columns_"] = ()
            return None
        copies = []
        for tag in ERA_TAGS:
            pairs = [(k, j) for k, name in enumerate(names) if (j := vocab.get(tag + name)) is not None]
            own, copy = (np.asarray(column, dtype=np.intp) for column in zip(*pairs)) if pairs else (np.empty(0, np.intp),) * 2
            copies.append((own, copy))
        folded = ({name: k for k, name in enumerate(names)}, np.asarray([vocab[name] for name in names], dtype=np.intp), copies)
        self.__dict__["_era_columns_"] = folded
        return folded

    def scorer(self) -> _PageScorer:
        """What scores whole pages with this model (:func:`predict_lines`), made once."""
        scorer = self.__dict__.get("_scorer")
        if scorer is None:
            scorer = self.__dict__["_scorer"] = _PageScorer(self)
        return scorer

    def predict_proba(self, contexts: Sequence[LineContext]) -> np.ndarray:
        """Label probabilities of the samples, columns in ``classes_`` order.

        Works through the samples in chunks, so that a giant page never holds all its feature dicts.
        """
        parts = [self._proba(contexts[k : k + _CHUNK]) for k in range(0, len(contexts), _CHUNK)]
        return np.concatenate(parts) if parts else np.zeros((0, len(self.classes_)))

    def _proba(self, contexts: Sequence[LineContext]) -> np.ndarray:
        vocab, sep = self.vocabulary, self.separator
        indices: list[int] = []
        values: list[float] = []
        rows: list[int] = []
        feats = featurize(contexts, self.words)
        for r, row in enumerate(feats):
            for name, value in row.items():
                index = vocab.get(name + sep + value) if type(value) is str else vocab.get(name)
                if index is not None:
                    indices.append(index)
                    values.append(1.0 if type(value) is str else float(value))
                    rows.append(r)
        scores = np.zeros((len(feats), len(self.classes_)))
        if indices:
            contrib = self.coef.T[np.asarray(indices)] * np.asarray(values)[:, None]
            np.add.at(scores, np.asarray(rows), contrib)
        scores += self.intercept
        return _softmax(scores)


# --------------------------------------------------------------------------------------------------
# the page at once: each distinct line's features computed and scored once, the samples' sums in numpy

#: distinct lines whose own features are held at a time while a page is scored (their score rows are kept)
_ROWS_CHUNK = 2048


def _row_sums(table: np.ndarray, indices: list[int], values: list[float] | None, ends: list[int]) -> np.ndarray:
    """Sums of ``table`` rows, ``values``-weighted (1.0 when None): row ``r`` of the result adds the
    entries ``ends[r - 1]:ends[r]`` of ``indices``."""
    out = np.zeros((len(ends), table.shape[1]))
    if not indices:
        return out
    contrib = table[np.asarray(indices, dtype=np.intp)]
    if values is not None:
        contrib *= np.asarray(values)[:, None]
    bounds = np.asarray(ends, dtype=np.intp)
    starts = np.concatenate(([0], bounds[:-1]))
    filled = bounds > starts
    out[filled] = np.add.reduceat(contrib, starts[filled], axis=0)
    return out


def _gap_codes(lines: Sequence[Line]) -> np.ndarray:
    """Each line's blank lines before and after (:func:`~segmenter.features.page_gaps`) as one code,
    ``3 * min(before, 2) + min(after, 2)``: a line's features see no more than two (``gap_b``, ``gap_a``)."""
    n = len(lines)
    if not n:
        return np.zeros(0, dtype=np.intp)
    numbers = np.fromiter((line.n for line in lines), dtype=np.intp, count=n)
    between = np.clip(np.diff(numbers) - 1, 0, 2)
    before = np.empty(n, dtype=np.intp)
    after = np.empty(n, dtype=np.intp)
    before[1:], after[:-1] = between, between
    before[0] = 2 if lines[0].blank_before else 0
    after[-1] = 2 if lines[-1].blank_after else 0
    return 3 * before + after


def _folded_gap_codes(codes: np.ndarray, groups: Sequence[Sequence[int]]) -> np.ndarray:
    """:func:`_gap_codes` of the lines that :func:`~segmenter.features.fold_lines` makes of ``groups`` of
    consecutive lines, from the lines' own ``codes``: a whole paragraph keeps the blank lines before its first
    line and after its last."""
    first = np.fromiter((group[0] for group in groups), dtype=np.intp, count=len(groups))
    last = np.fromiter((group[-1] for group in groups), dtype=np.intp, count=len(groups))
    return codes[first] // 3 * 3 + codes[last] % 3


#: combinations of shown features whose rows a scorer remembers across pages (four rows of coefficients each)
_COMBOS_KEPT = 65536

#: values of one string-valued feature whose columns a scorer remembers (the features have a handful each)
_VALUES_KEPT = 4096

#: the columns of a distinct line's :class:`_PageRows` facts
_SHOWN, _MD_LEVELS, _LEN_COMMAS_END, _LEN, _END, _DL, _LONG_LINE = range(7)


@dataclass(eq=False)
class _PageRows:
    """Per distinct line of a page (its text and the blank lines around it): the score row of its own
    features and the codes of what it shows its neighbours (``facts[:, _SHOWN]``, a row of ``shown`` under
    each tag of :data:`~segmenter.features.NEIGHBOURS`) and of the few facts the samples' other features
    read; ``ids`` gives each line of the page its distinct line. A page that repeats its lines (furniture,
    one-character lines) holds and scores each once: about 150 bytes a distinct line and 8 a line; no
    feature dict outlives its chunk."""

    own: np.ndarray
    shown: np.ndarray
    facts: np.ndarray
    ids: np.ndarray

    def take(self, rows: Sequence[int]) -> _PageRows:
        """The page of the lines ``rows`` (the same distinct lines)."""
        return _PageRows(self.own, self.shown, self.facts, self.ids[np.asarray(rows, dtype=np.intp)])

    def put(self, at: Sequence[int], fresh: _PageRows) -> None:
        """Lines ``at`` become the lines of ``fresh``, in order."""
        first = len(self.own)
        facts = fresh.facts.copy()
        facts[:, _SHOWN] += self.shown.shape[1]  # the fresh page's combinations after this page's
        self.own = np.concatenate((self.own, fresh.own))
        self.shown = np.concatenate((self.shown, fresh.shown), axis=1)
        self.facts = np.concatenate((self.facts, facts))
        self.ids = self.ids.copy()
        self.ids[np.asarray(at, dtype=np.intp)] = fresh.ids + first


class _PageScorer:
    """Scores the samples of pages for one :class:`LinearModel` the way :meth:`LinearModel._proba` does
    from their feature dicts (same features, same values; sums in another order): the features of
    :func:`~segmenter.features.context_extras` are read from tables of columns, over the page in numpy."""

    def __init__(self, model: LinearModel) -> None:
        from .features import NEIGHBOURS

        self.model = model
        width = model.coef.shape[0]
        # the coefficients by column, and a row of zeros at the end for a feature the model lacks
        self.table = np.ascontiguousarray(np.vstack((model.coef.T, np.zeros((1, width)))))
        self.missing = len(self.table) - 1
        self.tags = [tag for _, tag in NEIGHBOURS]
        self.edges = [self.table[self._column(f"{tag}:edge")] for tag in self.tags]
        #: a shown feature's columns under each tag (None where the model lacks it)
        self._shown: dict[str, tuple[int | None, ...]] = {}
        sep = model.separator
        self.pos = np.array([self._column(f"pos{sep}{k}") for k in ("0", "1", "2", "3", "4", "first", "last")])
        self.ahead = {
            name: np.array([self.missing] + [self._column(f"{name}={k}") for k in range(1, 5)])
            for name in ("dl_ahead", "long_ahead", "long_behind")
        }
        #: codes of the values of ``len`` and ``end`` (a handful each), and the columns of their pairs
        self._lens: dict[str, int] = {}
        self._ends: dict[str | None, int] = {}
        self._pairs: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        #: what lines show their neighbours: the rows of each combination of shown features met so far under
        #: each tag (a memo: a page numbers its own combinations, so pages scored at once share no state)
        self._combos: dict[tuple[str, ...], np.ndarray] = {}
        #: the column of ``name=value`` by name, then value, for the string-valued features (a memo: a handful of
        #: values each, met on every line; a lookup of two strings made once beats joining them and hashing
        #: the join; threads may fill it at once, as any writer stores the same column)
        self._valued: dict[str, dict[str, int | None]] = {}
        self._lock = threading.Lock()  # codes of new len/end values

    def _column(self, name: str) -> int:
        """The column of a feature name, or :attr:`missing`."""
        index = self.model.vocabulary.get(name)
        return self.missing if index is None else index

    def _columns(self, name: str) -> tuple[int | None, ...]:
        """The columns of ``TAG:name`` for every neighbour tag, remembered (a bounded set: the values of
        the few shown features)."""
        vocab = self.model.vocabulary
        columns = tuple(vocab.get(f"{tag}:{name}") for tag in self.tags)
        if len(self._shown) < 65536:
            self._shown[name] = columns
        return columns

    def _code(self, codes: dict[Any, int], value: Any) -> int:
        with self._lock:  # codes only grow, one each: a table of pairs as long as the codes holds them all
            code = codes.get(value)
            if code is None:
                code = codes[value] = len(codes)
        return code

    def pairs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The columns of ``x:len|n1:dl`` by (len, dl), ``x:end|n1:len`` and ``x:p1end|len`` by (end, len)."""
        pairs = self._pairs
        if pairs is None or len(pairs[0]) < len(self._lens) or len(pairs[1]) < len(self._ends):
            sep = self.model.separator
            lens, ends = list(self._lens), list(self._ends)
            pairs = self._pairs = (
                np.array([[self._column(f"x:len|n1:dl{sep}{ln}|{dl}") for dl in (False, True)] for ln in lens]),
                np.array([[self._column(f"x:end|n1:len{sep}{end}|{ln}") for ln in lens] for end in ends]),
                np.array([[self._column(f"x:p1end|len{sep}{end}|{ln}") for ln in lens] for end in ends]),
            )
        return pairs

    def rows(self, texts: Sequence[str], gaps: np.ndarray, levels: str, line_facts: PageFacts | None = None) -> _PageRows:
        """The :class:`_PageRows` of lines (their cleaned texts, :func:`_gap_codes`, the page's levels;
        ``line_facts``: the lines' facts, whose plain forms and heading levels the features read)."""
        from .features import _LONG, _NEIGHBOUR_KEYS, line_features, shown_features

        segment: Callable[[str], list[str]] | None = None
        if self.model.words:
            from .words import words as segment
        # the distinct lines, by gap code then text: a page's repeated lines are featurised once
        seen: list[dict[str, int]] = [{} for _ in range(9)]
        distinct: list[tuple[str, int]] = []
        first: list[int] = []  # each distinct line's first place on the page
        ids = np.empty(len(texts), dtype=np.intp)
        for i, (text, code) in enumerate(zip(texts, gaps.tolist())):
            known = seen[code]
            k = known.get(text)
            if k is None:
                k = known[text] = len(distinct)
                distinct.append((text, code))
                first.append(i)
            ids[i] = k
        del seen
        vocab, sep = self.model.vocabulary, self.model.separator
        u = len(distinct)
        page = _PageRows(np.empty((u, self.table.shape[1])), np.empty(0), np.empty((u, 7), dtype=np.intp), ids)
        facts = page.facts
        lens, ends, code = self._lens, self._ends, self._code
        # this page's combinations of shown features, numbered by the values of the features a line shows
        # (a tuple of them is cheaper than the names; two tuples that show the same names share rows)
        combos: dict[tuple[Any, ...], int] = {}
        shown_names: list[tuple[str, ...]] = []
        md_levels, len_commas_end = f"x:md|levels{sep}", f"x:len|commas|end{sep}"
        # the columns of the two conjunctions, by their values (a handful on a page)
        md_columns: dict[Any, int] = {}
        shape_columns: dict[tuple[Any, ...], int] = {}
        for start in range(0, u, _ROWS_CHUNK):
            own_idx: list[int] = []
            own_val: list[float] = []
            own_end: list[int] = []
            fact_rows: list[tuple[int, ...]] = []
            get, add_index, add_value = vocab.get, own_idx.append, own_val.append
            valued = self._valued
            for j, (text, gap) in enumerate(distinct[start : start + _ROWS_CHUNK], start):
                if line_facts is None:
                    f = line_features(text, gap // 3, gap % 3, segment)
                else:
                    at = first[j]
                    f = line_features(
                        text, gap // 3, gap % 3, segment, plain=line_facts.plain[at], level=line_facts.level[at]
                    )
                f["levels"] = levels
                for name, value in f.items():
                    if value.__class__ is str:
                        columns = valued.get(name)
                        if columns is None:
                            columns = valued.setdefault(name, {})
                        index = columns.get(value, -1)
                        if index == -1:
                            index = get(name + sep + value)
                            if len(columns) < _VALUES_KEPT:
                                columns[value] = index
                        if index is not None:
                            add_index(index)
                            add_value(1.0)
                        continue
                    if value is False:  # a false flag adds nothing (DictVectorizer's 0.0)
                        continue
                    if value is True:
                        index, weight = get(name), 1.0
                    else:
                        index, weight = get(name), float(value)
                    if index is not None and weight:
                        add_index(index)
                        add_value(weight)
                own_end.append(len(own_idx))
                shown = tuple(map(f.get, _NEIGHBOUR_KEYS))
                combo = combos.get(shown)
                if combo is None:
                    combo = combos[shown] = len(combos)
                    shown_names.append(tuple(shown_features(f)))
                length, end, md = f["len"], f.get("end"), f["md"]
                md_column = md_columns.get(md)
                if md_column is None:
                    md_column = md_columns[md] = self._column(f"{md_levels}{md}|{levels}")
                shape = (length, f.get("commas"), end)
                shape_column = shape_columns.get(shape)
                if shape_column is None:
                    shape_column = shape_columns[shape] = self._column(f"{len_commas_end}{length}|{shape[1]}|{end}")
                fact_rows.append((
                    combo,
                    md_column,
                    shape_column,
                    lens[length] if length in lens else code(lens, length),
                    ends[end] if end in ends else code(ends, end),
                    "dl_start" in f and bool(f["dl_start"]),
                    f["loglen"] > _LONG,
                ))  # in the order of _SHOWN … _LONG_LINE
            facts[start : start + len(fact_rows)] = fact_rows
            page.own[start : start + len(own_end)] = _row_sums(self.table, own_idx, own_val, own_end)
        known = self._combos
        if len(known) > _COMBOS_KEPT:
            known.clear()  # a memo: nothing depends on its entries staying
        shown_rows = np.empty((len(self.tags), len(combos), self.table.shape[1]))
        for k, names in enumerate(shown_names):
            rows = known.get(names)
            if rows is None:
                rows = known[names] = self._combo_rows(names)
            shown_rows[:, k] = rows
        page.shown = shown_rows
        return page

    def _combo_rows(self, names: tuple[str, ...]) -> np.ndarray:
        """The rows of what a line shows its neighbours (the names of :func:`~segmenter.features.shown_features`)
        under each neighbour tag: tag, class."""
        rows = np.zeros((len(self.tags), self.table.shape[1]))
        for name in names:
            for t, index in enumerate(self._columns(name)):
                if index is not None:
                    rows[t] += self.table[index]
        return rows

    def extras(self, facts: np.ndarray) -> list[np.ndarray]:
        """The columns of the features of :func:`~segmenter.features.context_extras` of every sample of a
        page (``facts``: its lines' fact codes, page order), one array per feature (:attr:`missing` where
        a sample has none)."""
        n = len(facts)
        i = np.arange(n)
        pos = np.minimum(4, (5 * i / n).astype(np.intp)) if n else i
        pos[n - 1 :] = 6  # "last"
        pos[:1] = 5  # "first" (a page of one line is its first)
        len_dl, end_len, p1end_len = self.pairs()
        length, end, dl, long = facts[:, _LEN], facts[:, _END], facts[:, _DL], facts[:, _LONG_LINE]
        columns = [self.pos[pos], facts[:, _MD_LEVELS], facts[:, _LEN_COMMAS_END]]
        nxt = np.full(n, self.missing)
        nxt[:-1] = len_dl[length[:-1], dl[1:]]
        columns.append(nxt)
        nxt = np.full(n, self.missing)
        nxt[:-1] = end_len[end[:-1], length[1:]]
        columns.append(nxt)
        prev = np.full(n, self.missing)
        prev[1:] = p1end_len[end[:-1], length[1:]]
        columns.append(prev)
        # the nearest line within four ahead (behind) with the fact: k, 0 for none
        for name, flag, sign in (("dl_ahead", dl, 1), ("long_ahead", long, 1), ("long_behind", long, -1)):
            near = np.zeros(n, dtype=np.intp)
            for k in range(4, 0, -1):
                if k >= n:
                    continue
                if sign > 0:
                    near[: n - k][flag[k:] != 0] = k
                else:
                    near[k:][flag[: n - k] != 0] = k
            columns.append(self.ahead[name][near])
        return columns

    def proba(self, rows: _PageRows, samples: Sequence[int] | None = None) -> np.ndarray:
        """Label probabilities of the page's samples (all, or those listed), columns in ``classes_`` order."""
        ids = rows.ids
        n = len(ids)
        scores = rows.own[ids]
        # each neighbour's row, shifted onto the sample that sees it; the page edge where there is none
        facts = rows.facts[ids]
        combo = facts[:, _SHOWN]
        for off, edge, shown in zip((-1, 1, -2, 2), self.edges, rows.shown):
            k = abs(off)
            if off < 0:
                if n > k:
                    scores[k:] += shown[combo[: n - k]]
                scores[:k] += edge
            else:
                if n > k:
                    scores[: n - k] += shown[combo[k:]]
                scores[max(0, n - k) :] += edge
        for columns in self.extras(facts):
            scores += self.table[columns]
        chosen = scores if samples is None else scores[np.asarray(samples, dtype=np.intp)]
        chosen += self.model.intercept
        return _softmax(chosen)


def _predict_page(model: LinearModel, lines: Sequence[Line], rejoin: bool, facts: PageFacts | None = None) -> np.ndarray:
    """:func:`predict_lines`' probabilities for a :class:`LinearModel`: each distinct line's features
    computed and scored once (``facts``: the lines' facts, when the caller has them)."""
    from .features import folded_text, levels_of, page_levels

    scorer = model.scorer()
    levels = page_levels(lines) if facts is None else levels_of(facts.level)
    codes = _gap_codes(lines)
    rows = scorer.rows([line.text for line in lines], codes, levels, facts)
    proba = scorer.proba(rows)
    classes = [str(c) for c in model.classes_]
    labels = [classes[k] for k in proba.argmax(axis=1)]
    if rejoin:

        def folded(groups: list[list[int]], redo: list[int]) -> np.ndarray:
            # the page with its broken paragraphs whole: only their lines of features.fold_lines are made (a
            # line left alone keeps its rows)
            merged = [k for k, group in enumerate(groups) if len(group) > 1]
            whole = [groups[k] for k in merged]
            texts = [folded_text(lines, group) for group in whole]
            fresh = scorer.rows(texts, _folded_gap_codes(codes, whole), levels)
            page = rows.take([group[0] for group in groups])
            page.put(merged, fresh)
            return scorer.proba(page, redo)

        _second_look(lines, labels, proba, classes, folded)
    return proba
