"""The trainable model: a scikit-learn Pipeline, features → DictVectorizer → logistic regression.

Used to train (:func:`make_pipeline`) and to read a pickled Pipeline; prediction from a saved model
goes through :class:`segmenter.classify.LinearModel`, which needs numpy alone. The whole Pipeline is
the ``.joblib`` model file (see :mod:`segmenter.model`).
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from .features import Features, LineContext, featurize

class LineFeaturizer(TransformerMixin, BaseEstimator):
    """Turn :class:`~segmenter.features.LineContext` samples into feature dicts: the Pipeline's first step.

    Parameters
    ----------
    words : bool, default=False
        Add bag-of-words features for short lines, from pkuseg (loads the word model once per process
        on first use).
    """

    def __init__(self, words: bool = False) -> None:
        self.words = words

    def fit(self, X: Sequence[LineContext], y: Any = None) -> LineFeaturizer:
        """Nothing to learn; returns ``self``."""
        return self

    def transform(self, X: Sequence[LineContext]) -> list[Features]:
        """Feature dicts, one per sample."""
        return featurize(X, self.words)


def make_pipeline(*, words: bool = False, C: float = 2.0, max_iter: int = 300, seed: int = 0) -> Any:
    """A fresh, unfitted line-classifier Pipeline.

    Parameters
    ----------
    words : bool, default=False
        Use pkuseg word features on short lines.
    C : float, default=2.0
        Inverse regularisation strength of the logistic regression.
    max_iter : int, default=300
        Solver iterations.
    seed : int, default=0
        Random state, for reproducible training.
    """
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    return Pipeline(
        [
            ("features", LineFeaturizer(words=words)),
            ("vectorize", DictVectorizer(sparse=True)),
            ("classify", LogisticRegression(C=C, max_iter=max_iter, random_state=seed)),
        ]
    )


class FastLinear:
    """The arithmetic of a fitted features → DictVectorizer → LogisticRegression Pipeline, lean.

    Gives exactly the probabilities of ``Pipeline.predict_proba`` (same sparse matrix, same product,
    same softmax) without the per-call input validation of three estimators and with a plain
    dictionary lookup in place of ``DictVectorizer``'s generic type dispatch, which together cost
    more than computing the features. Built by :func:`_fast_path` only for Pipelines of exactly that
    shape; anything else goes through scikit-learn.

    Parameters
    ----------
    featurizer : LineFeaturizer
        The Pipeline's first step.
    vectorizer : DictVectorizer
        Fitted, ``sparse=True``.
    classifier : LogisticRegression
        Fitted, more than two classes (the softmax case).
    """

    def __init__(self, featurizer: LineFeaturizer, vectorizer: Any, classifier: Any) -> None:
        self.featurizer = featurizer
        self.vocabulary: dict[str, int] = vectorizer.vocabulary_
        self.separator: str = vectorizer.separator
        self.coef = classifier.coef_
        self.intercept = classifier.intercept_
        self.n_features = len(self.vocabulary)

    def matches(self, vectorizer: Any, classifier: Any) -> bool:
        """Whether the estimators still hold the fitted state this was built from (not refitted)."""
        return (
            vectorizer.vocabulary_ is self.vocabulary
            and classifier.coef_ is self.coef
            and classifier.intercept_ is self.intercept
        )

    def vectorize(self, rows: Sequence[Features]) -> Any:
        """The sparse matrix ``DictVectorizer.transform`` makes of ``rows``; None for a value it would not take."""
        from scipy import sparse

        vocab, sep = self.vocabulary, self.separator
        indices: list[int] = []
        values: list[float] = []
        indptr = [0]
        for row in rows:
            for name, value in row.items():
                kind = type(value)
                if kind is str:
                    index = vocab.get(name + sep + value)
                    value = 1.0
                elif kind is bool or kind is float or kind is int:
                    index = vocab.get(name)
                else:  # None, numpy scalars, iterables: leave them to DictVectorizer
                    return None
                if index is not None:
                    indices.append(index)
                    values.append(float(value))
            indptr.append(len(indices))
        matrix = sparse.csr_array(
            (np.array(values, dtype=np.float64), np.array(indices, dtype=np.intc), np.array(indptr, dtype=np.intc)),
            shape=(len(rows), self.n_features),
        )
        # DictVectorizer sorts each row's columns; the product then adds terms in the same order
        matrix.sort_indices()
        return matrix

    def predict_proba(self, contexts: Sequence[Any]) -> np.ndarray | None:
        """Label probabilities of the samples, columns in ``classes_`` order; None to fall back."""
        matrix = self.vectorize(self.featurizer.transform(contexts))
        if matrix is None:
            return None
        # LogisticRegression.decision_function and predict_proba, minus the checks
        scores = matrix @ self.coef.T + self.intercept
        from .classify import _softmax

        return _softmax(scores)


_FAST: weakref.WeakKeyDictionary[Any, FastLinear] = weakref.WeakKeyDictionary()


def _fast_path(model: Any) -> FastLinear | None:
    """The :class:`FastLinear` of a Pipeline of the shipped shape, cached per Pipeline; else None."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    if type(model) is not Pipeline or len(model.steps) != 3:
        return None
    featurizer, vectorizer, classifier = (step for _, step in model.steps)
    if (
        type(featurizer) is not LineFeaturizer
        or type(vectorizer) is not DictVectorizer
        or type(classifier) is not LogisticRegression
        or not vectorizer.sparse
        or vectorizer.dtype is not np.float64
        or not hasattr(vectorizer, "vocabulary_")
        or getattr(classifier, "coef_", None) is None
        or len(getattr(classifier, "classes_", ())) <= 2
        or classifier.coef_.dtype != np.float64
    ):
        return None
    fast = _FAST.get(model)
    if fast is None or fast.featurizer is not featurizer or not fast.matches(vectorizer, classifier):
        fast = _FAST[model] = FastLinear(featurizer, vectorizer, classifier)
    return fast
