"""The line classifier: one scikit-learn Pipeline, features → DictVectorizer → logistic regression.

The whole Pipeline is the model file (see :mod:`segmenter.model`). Logistic regression gives
probabilities that are well calibrated for a linear model on these features (measured in
``scripts/evaluate.py --calibration``), so each line carries its label's probability as a confidence.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from .features import LineFeaturizer, PageView
from .labels import Label
from .lines import Line


def make_pipeline(*, words: bool = True, C: float = 2.0, max_iter: int = 300, seed: int = 0) -> Pipeline:
    """A fresh, unfitted line-classifier Pipeline.

    Parameters
    ----------
    words : bool, default=True
        Use pkuseg word features on short lines.
    C : float, default=2.0
        Inverse regularisation strength of the logistic regression.
    max_iter : int, default=300
        Solver iterations.
    seed : int, default=0
        Random state, for reproducible training.
    """
    return Pipeline(
        [
            ("features", LineFeaturizer(words=words)),
            ("vectorize", DictVectorizer(sparse=True)),
            ("classify", LogisticRegression(C=C, max_iter=max_iter, random_state=seed)),
        ]
    )


def predict_lines(model: Pipeline, lines: Sequence[Line]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Label every line of one page.

    Parameters
    ----------
    model : Pipeline
        A fitted Pipeline from :func:`make_pipeline`.
    lines : sequence of Line
        The page's non-empty lines in file order.

    Returns
    -------
    labels : list of str
        The most probable label of each line.
    confidence : ndarray of shape (n_lines,)
        Its probability.
    proba : ndarray of shape (n_lines, n_labels)
        All label probabilities, columns in ``model.classes_`` order.
    """
    check_is_fitted(model)
    if not lines:
        return [], np.zeros(0), np.zeros((0, len(model.classes_)))
    proba = model.predict_proba(PageView(lines).contexts())
    best = proba.argmax(axis=1)
    classes = [str(c) for c in model.classes_]
    labels = [classes[k] for k in best]
    return labels, proba[np.arange(len(best)), best], proba


def known_labels() -> list[str]:
    """All labels the classifier may emit."""
    return [label.value for label in Label]
