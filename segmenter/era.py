"""The page's era: is a page set as the modern paper sets it, or as the 1998 paper did?

One set of line-classifier weights serves two conventions badly: a kicker is a subhead on a modern page and
part of the headline in the 1998 gold; features have intertitles, 1998 pages have briefs. The line features
can carry a copy per era (research.md, "the page's era"); this module says which era a page reads as, before
the classifier runs: a logistic regression over a few statistics of the page's text (years it names, full-width
digits, how long its lines are, how many end in a dash or a bracket, open with ``本报记者``…), trained on
corpus pages of both eras. Stored as plain arrays.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

#: a year of the 1998 era named in the text, in digits or in Chinese numerals
_OLD = re.compile(r"19[4-9]\d年|一九[四五六七八九][〇一二三四五六七八九]年")
#: a year of the modern era
_NEW = re.compile(r"20[0-4]\d年|二〇[〇一二三四][〇一二三四五六七八九]年")
_FULL_DIGIT = re.compile("[０-９]")
_DIGIT = re.compile(r"\d")
#: the statistics, in column order
STATISTICS = (
    "years_old", "years_new", "full_digits", "len0", "len8", "len16", "len30", "len60", "dash_end", "dash_start",
    "bracket_end", "reporter", "credit", "xinhua", "benbao_xun", "marked", "space_in_short", "colon_short", "lines",
)


def page_statistics(texts: Sequence[str], normed: Sequence[str] | None = None) -> np.ndarray:
    """The statistics of a page's non-empty lines (their texts as printed; ``normed``: each one's
    ``norm(text)``, when known), in :data:`STATISTICS` order."""
    from . import patterns as P

    n = max(1, len(texts))
    counts = [0] * 13  # len0 … len60, dash_end, dash_start, bracket_end, reporter, credit, xinhua, benbao_xun, marked
    short_space = short_colon = 0
    # the features normalise the same lines: cached
    normed_lines = [P.norm(text) for text in texts] if normed is None else normed
    for text, normed_line in zip(texts, normed_lines):
        counts[12] += text.lstrip().startswith(("#", "**"))
        line = normed_line.strip().lstrip("#* ").rstrip("* ")
        size = len(line)
        counts[0 if size < 8 else 1 if size < 16 else 2 if size < 30 else 3 if size < 60 else 4] += 1
        if size <= 40:
            if line.endswith((")", "）")):
                counts[7] += 1
            if size <= 30:
                short_space += " " in line
                short_colon += line.endswith((":", "："))
        last, first = line[-1:], line[:1]
        if last == "—":
            counts[5] += 1
        if first == "—":
            counts[6] += line.startswith("——")
        elif first == "本":
            counts[8] += line.startswith("本报记者")
            counts[11] += line.startswith("本报讯")
        elif first == "新":
            counts[10] += line.startswith("新华社")
        # a credit: "…摄" at the end, or "（…摄）" inside (a character the line must hold either way)
        if "摄" in line:
            counts[9] += last == "摄" or "摄)" in line
    whole = "\n".join(texts)
    normed = "\n".join(normed_lines)
    digits = len(_DIGIT.findall(normed))
    row = [
        math.log1p(len(_OLD.findall(normed))),
        math.log1p(len(_NEW.findall(normed))),
        len(_FULL_DIGIT.findall(whole)) / max(1, digits),
        *(c / n for c in counts[:5]),
        counts[5] / n, counts[6] / n, counts[7] / n, counts[8] / n, counts[9] / n, counts[10] / n, counts[11] / n,
        counts[12] / n, short_space / n, short_colon / n,
        math.log1p(len(texts)) / 6,
    ]
    return np.asarray(row, dtype=np.float64)


def page_era(era_model: EraModel | None, texts: Sequence[str], normed: Sequence[str] | None = None) -> float | None:
    """The era a page's features are read in: ``era_model``'s probability for the page (its non-empty lines'
    texts; ``normed``: their ``norm(text)``, when known), rounded by :func:`~segmenter.features.era_step`;
    ``None`` without an era model (features uncrossed)."""
    if era_model is None:
        return None
    from .features import era_step

    return era_step(era_model.probability(texts, normed))


#: the arrays of a saved era model: name → (dimensions, dtype kinds)
ARRAYS = {"mean": (1, "f"), "scale": (1, "f"), "coef": (1, "f"), "intercept": (0, "f"), "names": (1, "U")}


class EraModel:
    """How modern a page reads: the probability that it is set as the modern paper sets it.

    Parameters
    ----------
    C : float, default=1.0
        Inverse regularisation strength of the logistic regression (on standardised statistics).
    seed : int, default=0
        Random state.

    Attributes
    ----------
    mean_, scale_ : ndarray of shape (n_statistics,)
        The standardisation learnt from the training pages.
    coef_ : ndarray of shape (n_statistics,)
    intercept_ : float
    """

    def __init__(self, C: float = 1.0, seed: int = 0) -> None:
        self.C = C
        self.seed = seed

    def fit(self, pages: Sequence[Sequence[str]], modern: Sequence[bool]) -> EraModel:
        """Fit on pages (each its non-empty lines' texts) and whether each is modern. Returns ``self``."""
        from sklearn.linear_model import LogisticRegression

        if len(pages) != len(modern) or len(set(modern)) < 2:
            raise ValueError("era model: give pages of both eras, and one era per page")
        X = np.vstack([page_statistics(p) for p in pages])
        mean, scale = X.mean(axis=0), X.std(axis=0)
        scale[scale == 0] = 1.0
        regression = LogisticRegression(C=self.C, max_iter=5000, class_weight="balanced", random_state=self.seed)
        regression.fit((X - mean) / scale, [int(bool(m)) for m in modern])
        self.mean_, self.scale_ = mean, scale
        self.coef_ = np.asarray(regression.coef_[0], dtype=np.float64)
        self.intercept_ = float(regression.intercept_[0])
        return self

    def probability(self, texts: Sequence[str], normed: Sequence[str] | None = None) -> float:
        """The probability that a page (its non-empty lines' texts; ``normed``: their ``norm(text)``, when
        known) is modern."""
        if not hasattr(self, "coef_"):
            raise ValueError("this EraModel is not fitted yet: call fit() or load() first")
        z = float((page_statistics(texts, normed) - self.mean_) / self.scale_ @ self.coef_) + self.intercept_
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def arrays(self) -> dict[str, np.ndarray]:
        """The fitted state as named arrays (:data:`ARRAYS`)."""
        return {
            "mean": self.mean_, "scale": self.scale_, "coef": self.coef_, "intercept": np.array(self.intercept_),
            "names": np.asarray(STATISTICS),
        }

    def save(self, path: str | Path) -> None:
        """Write the arrays to an ``.npz`` file (no pickles inside)."""
        # numpy's stub lets mypy match the ``**`` arrays against ``allow_pickle: bool``; none is named so
        np.savez_compressed(path, **self.arrays())  # type: ignore[arg-type]

    @classmethod
    def load(cls, path: str | Path) -> EraModel:
        """Read arrays written by :meth:`save` (names, dtypes and shapes checked).

        Raises
        ------
        ValueError
            When the file does not hold an era model's arrays for these statistics.
        """
        from .model import read_npz

        return cls.from_arrays(read_npz(path, ARRAYS))

    @classmethod
    def from_arrays(cls, data: dict[str, np.ndarray]) -> EraModel:
        """A fitted model from :meth:`arrays` (checked: the statistics' names, shapes, positive scales)."""
        if data["names"].tolist() != list(STATISTICS):
            raise ValueError(f"statistics {data['names'].tolist()} are not these ({len(STATISTICS)}); retrain")
        k = len(STATISTICS)
        if any(data[name].shape != (k,) for name in ("mean", "scale", "coef")) or not (data["scale"] > 0).all():
            raise ValueError("mean, scale and coef must each hold one positive-scaled number per statistic")
        model = cls()
        model.mean_, model.scale_, model.coef_ = data["mean"], data["scale"], data["coef"]
        model.intercept_ = float(data["intercept"])
        return model
