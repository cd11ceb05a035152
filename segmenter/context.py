"""The context pass: each line's label probabilities read again beside its neighbours'.

The line classifier labels one line at a time from its own features and a few facts of the lines next to
it. What the lines around it were *labelled* it does not see: that the line under a short line is a
headline (so this one is its kicker), that the head line above was read as an intertitle (so this one,
set alike, is the next), that a byline stands two lines up. The context pass is a second, small
multinomial logistic regression over the first pass's log-probabilities of the line, of the
:data:`WINDOW` lines either side, and of the nearest line above and below, beyond them, that the first
pass did not call body — a stacked model in the sense of Wolpert (1992), a cheap stand-in for a
linear-chain CRF. It is fitted on probabilities from line models that did not see the page
(:class:`segmenter.train.OutOfFold`): read off the pages the line model was fitted on, they are surer
than they will ever be at split time.

At split time it costs one small matrix product per page (:meth:`ContextPass.predict_proba`) and is stored
as plain arrays (``NAME.context.npz``, :func:`segmenter.model.save_model`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .classify import _softmax
from .labels import Label

logger = logging.getLogger(__name__)

#: lines either side whose probabilities a line's context holds
WINDOW = 2
#: inverse regularisation strength of the context pass's logistic regression
CONTEXT_C = 1.0
#: the smallest probability read (its logarithm bounds the features)
FLOOR = 1e-6
#: distance buckets of the nearest non-body line beyond the window: 1–3, 4–6, 7 or more lines further
_FAR = 3


def n_context_features(n_classes: int, window: int = WINDOW) -> int:
    """Columns of :func:`context_features` for ``n_classes`` labels."""
    return n_classes + 2 * window * (n_classes + 1) + 2 * (n_classes + _FAR)


def context_features(proba: np.ndarray, body: int, window: int = WINDOW) -> np.ndarray:
    """The context pass's features of each line of one page.

    Parameters
    ----------
    proba : ndarray of shape (n_lines, n_classes)
        The first pass's label probabilities, lines in file order.
    body : int
        The column of the body label.
    window : int, default=WINDOW
        Lines either side.

    Returns
    -------
    ndarray of shape (n_lines, :func:`n_context_features`)
        The line's log-probabilities; those of each line up to ``window`` away with a flag for a
        position beyond the page's edge (log-probabilities zero there); those of the nearest line above
        and below whose likeliest label is not body, where it is further than ``window``, with its
        distance in three buckets (all zero where there is none).
    """
    n, k = proba.shape
    logs = np.log(np.maximum(proba, FLOOR))
    padded = np.zeros((n + 2 * window, k))
    padded[window : window + n] = logs
    outside = np.ones(n + 2 * window)
    outside[window : window + n] = 0.0
    columns = [logs]
    for d in [*range(-window, 0), *range(1, window + 1)]:
        columns.append(padded[window + d : window + d + n])
        columns.append(outside[window + d : window + d + n, None])
    heads = proba.argmax(axis=1) != body
    index = np.arange(n)
    marked = np.where(heads, index, -1)
    above = np.empty(n, dtype=np.intp)
    above[0] = -1
    above[1:] = np.maximum.accumulate(marked)[:-1]
    marked = np.where(heads, index, n)
    below = np.empty(n, dtype=np.intp)
    below[-1:] = n
    below[:-1] = np.minimum.accumulate(marked[::-1])[::-1][1:]
    for line, found, distance in ((above, above >= 0, index - above), (below, below < n, below - index)):
        far = found & (distance > window)
        near = np.zeros((n, k))
        near[far] = logs[line[far]]
        columns.append(near)
        bucket = np.zeros((n, _FAR))
        bucket[far, np.minimum(_FAR - 1, (distance[far] - window - 1) // 3)] = 1.0
        columns.append(bucket)
    return np.hstack(columns)


#: the arrays of a saved context pass: name → (dimensions, dtype kinds)
_ARRAYS = {"coef": (2, "f"), "intercept": (1, "f"), "classes": (1, "U"), "window": (0, "i")}


class ContextPass:
    """A fitted context pass: the line classifier's probabilities of a page in, better ones out.

    Parameters
    ----------
    window : int, default=WINDOW
        Lines either side whose probabilities a line's features hold (:func:`context_features`).
    C : float, default=CONTEXT_C
        Inverse regularisation strength of the logistic regression.
    max_iter : int, default=1000
        Solver iterations.
    seed : int, default=0
        Random state, for reproducible training.

    Attributes
    ----------
    classes_ : ndarray of str
        The labels, in the first pass's column order; the output columns are in the same order.
    coef_ : ndarray of shape (n_classes, n_features)
    intercept_ : ndarray of shape (n_classes,)
    """

    def __init__(self, window: int = WINDOW, C: float = CONTEXT_C, max_iter: int = 1000, seed: int = 0) -> None:
        self.window = window
        self.C = C
        self.max_iter = max_iter
        self.seed = seed

    def fit(
        self, probas: Iterable[np.ndarray], labels: Iterable[Sequence[str]], classes: Sequence[str]
    ) -> ContextPass:
        """Fit on pages: each page's first-pass probabilities (columns in ``classes`` order) and its
        lines' gold labels. Returns ``self``."""
        from sklearn.linear_model import LogisticRegression

        classes = [str(c) for c in classes]
        body = classes.index(Label.BODY.value)
        X = [context_features(p, body, self.window) for p in probas]
        y = [str(label) for page in labels for label in page]
        if not X or len(y) != sum(len(x) for x in X):
            raise ValueError("context pass: give one label per line of each page, and at least one page")
        features = np.vstack(X)
        unknown = sorted(set(y) - set(classes))
        if unknown:
            raise ValueError(f"context pass: labels {unknown} are not among the line model's classes {classes}")
        # the features are logarithms down to log(FLOOR); scaled to about -1..0 the solver converges fast
        scale = -1.0 / np.log(FLOOR)
        regression = LogisticRegression(C=self.C, max_iter=self.max_iter, random_state=self.seed)
        regression.fit(features * scale, y)
        found = [str(c) for c in regression.classes_]
        coef = np.zeros((len(classes), features.shape[1]))
        intercept = np.full(len(classes), -50.0)  # a label no training line has is never chosen
        if len(found) == 2:  # a binary regression: the same softmax with the first label's score at zero
            rows = {found[0]: (np.zeros(features.shape[1]), 0.0), found[1]: (regression.coef_[0], regression.intercept_[0])}
        else:
            rows = {c: (regression.coef_[j], regression.intercept_[j]) for j, c in enumerate(found)}
        for j, c in enumerate(classes):
            if c in rows:
                coef[j], intercept[j] = rows[c][0] * scale, rows[c][1]
        self.classes_ = np.asarray(classes)
        self.coef_ = coef
        self.intercept_ = intercept
        logger.info("context pass fitted on %d lines of %d pages", len(y), len(X))
        return self

    def predict_proba(self, proba: np.ndarray) -> np.ndarray:
        """Label probabilities of one page's lines, read with their neighbours'; columns in ``classes_`` order.

        Parameters
        ----------
        proba : ndarray of shape (n_lines, n_classes)
            The first pass's probabilities of the page's lines in file order, columns in ``classes_`` order.
        """
        if not hasattr(self, "coef_"):
            raise ValueError("this ContextPass is not fitted yet: call fit() or load() first")
        if proba.shape[0] == 0:
            return proba
        body = int(np.flatnonzero(self.classes_ == Label.BODY.value)[0])
        features = context_features(proba, body, self.window)
        # einsum's own loop, not BLAS: a matrix product wakes OpenBLAS's threads, which then spin on the other
        # cores for a while after every page (CPU a --jobs batch's other workers need; 1.7 times the CPU of a
        # page of 2,000 short lines); a few thousand products a page are no work for one core
        return _softmax(np.einsum("ij,kj->ik", features, self.coef_) + self.intercept_)

    def save(self, path: str | Path) -> None:
        """Write the arrays to an ``.npz`` file (no pickles inside)."""
        np.savez_compressed(
            path,
            coef=self.coef_,
            intercept=self.intercept_,
            classes=self.classes_.astype(str),
            window=np.array(self.window),
        )

    @classmethod
    def load(cls, path: str | Path) -> ContextPass:
        """Read arrays written by :meth:`save` (no pickles; names, dtypes and shapes checked).

        Raises
        ------
        ValueError
            When the file does not hold a context pass's arrays, consistent with each other.
        """
        from .labels import LABELS
        from .model import read_npz

        data = read_npz(path, _ARRAYS)
        classes, window = data["classes"], int(data["window"])
        if not 0 <= window <= 16:
            raise ValueError(f"window {window} is not from 0 to 16")
        width = n_context_features(len(classes), window)
        if data["coef"].shape != (len(classes), width) or data["intercept"].shape != (len(classes),):
            raise ValueError(
                f"coef {data['coef'].shape} and intercept {data['intercept'].shape} do not fit {len(classes)} "
                f"classes and {width} features"
            )
        names = classes.tolist()
        if sorted(set(names) - set(LABELS)) or len(set(names)) != len(names) or Label.BODY.value not in names:
            raise ValueError(f"classes {names} are not distinct segmenter labels with body among them")
        passed = cls(window=window)
        passed.classes_, passed.coef_, passed.intercept_ = classes, data["coef"], data["intercept"]
        return passed


def fit_context(pages: Sequence[tuple[str, dict[str, Any]]], teacher: Any, *, C: float = CONTEXT_C, seed: int = 0) -> ContextPass | None:
    """A context pass fitted on training pages as the line model meets them at split time.

    ``teacher`` labels each page with a line model that did not see it (:class:`segmenter.train.OutOfFold`);
    ``None`` without a page.
    """
    from .breaks import labelled_pages

    probas, labels = [], []
    for lines, gold, _, _, proba in labelled_pages(pages, teacher, context=False):
        by_n = {int(item["n"]): str(item["label"]) for item in gold["lines"]}
        probas.append(proba)
        labels.append([by_n[line.n] for line in lines])
    if not probas:
        return None
    return ContextPass(C=C, seed=seed).fit(probas, labels, [str(c) for c in teacher.classes_])
