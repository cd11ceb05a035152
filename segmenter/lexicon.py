"""A light word lexicon: the stitcher's break question answered without the 0.9 GB pkuseg model.

The stitcher asks one thing of words: does a word run across this break (``中医|药、中餐``)? pkuseg answers
it well but costs seconds and most of a gigabyte to load. At training time pkuseg segments the training
text of both corpora (:func:`build_lexicon`); the words it finds and their counts are kept, sorted, in a
few MB (``NAME.words.npz``, listed on the model's card under ``"lexicon"``). At split time a page's break
window is segmented by the most probable sequence of those words (a unigram model: each word's share of
the training text; a character the lexicon lacks is a one-character word of the lowest count), and the
question is asked of that segmentation exactly as :func:`segmenter.api.word_crosses` asks it of pkuseg's.

The file holds no pickles: the words as one UTF-8 blob joined by newlines and their counts as an array,
read with ``numpy.load(allow_pickle=False)``.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

FORMAT = "segmenter-lexicon/1"
#: characters either side of a break that the word test looks at (as :func:`segmenter.api.word_crosses`)
CROSS_WINDOW = 6
#: the shortest word across a break that counts (a two-character one is as often a guess: ``完|药``)
CROSS_MIN = 3
#: the longest word kept: longer "words" are names and numbers the break question never needs whole
MAX_WORD = 12
#: words seen fewer times than this in the training text are dropped (1: all are kept; 147,000 words of
#: both corpora make a 0.64 MB file)
MIN_COUNT = 1


#: a run of two or more Latin letters and digits (either width), with decimal points and per cent signs inside
_RUN = re.compile(r"[0-9A-Za-z０-９Ａ-Ｚａ-ｚ][0-9A-Za-z０-９Ａ-Ｚａ-ｚ.．%％]*[0-9A-Za-z０-９Ａ-Ｚａ-ｚ%％]")


class Lexicon:
    """Words and their counts in the training text, with the break question answered from them.

    Parameters
    ----------
    words : sequence of str
        Distinct words, none empty or containing a newline.
    counts : sequence of int
        How often each occurred in the training text (same order).

    Examples
    --------
    >>> lex = Lexicon(["中医药", "中医", "药", "中餐", "、"], [5, 20, 30, 4, 100])
    >>> lex.crosses("发展中医", "药、中餐")
    True
    >>> lex.crosses("中医", "中餐")
    False
    """

    def __init__(self, words: Sequence[str], counts: Sequence[int]) -> None:
        if len(words) != len(counts):
            raise ValueError(f"{len(words)} words but {len(counts)} counts")
        order = np.argsort(np.asarray(words, dtype=str)) if len(words) else np.zeros(0, dtype=int)
        self.words: list[str] = [words[k] for k in order]
        self.counts = np.asarray(counts, dtype=np.int64)[order] if len(words) else np.zeros(0, dtype=np.int64)
        self._scores: dict[str, float] | None = None
        self._unknown = 0.0
        self._longest = 1
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: object) -> bool:
        return word in self._table()

    def _table(self) -> dict[str, float]:
        """Word → log probability, built on first use (about 0.1 s for 300,000 words)."""
        table = self._scores
        if table is None:
            with self._lock:
                if self._scores is None:
                    total = float(self.counts.sum()) + 1.0
                    logs = np.log(self.counts / total).tolist() if len(self.counts) else []
                    self._unknown = math.log(1.0 / total)
                    self._longest = max(map(len, self.words), default=1)
                    self._scores = dict(zip(self.words, logs))
                table = self._scores
        return table

    def segment(self, text: str) -> list[str]:
        """The most probable split of ``text`` into lexicon words (unknown characters stand alone).

        Parameters
        ----------
        text : str
            Any short text (the work grows with its length times the longest word).

        Returns
        -------
        list of str
            Words whose concatenation is ``text``.
        """
        table = self._table()
        unknown, longest = self._unknown, self._longest
        n = len(text)
        # a run of Latin letters and digits is one word, known or not (``BEPS``, ``0.6``), as pkuseg keeps it
        runs = {m.end(): m.start() for m in _RUN.finditer(text)}
        best = [0.0] + [-math.inf] * n
        back = [0] * (n + 1)
        for end in range(1, n + 1):
            top, where = best[end - 1] + table.get(text[end - 1], unknown), end - 1
            for start in range(max(0, end - longest), end - 1):
                score = table.get(text[start:end])
                if score is not None and best[start] + score > top:
                    top, where = best[start] + score, start
            run = runs.get(end)
            if run is not None and best[run] + unknown > top:
                top, where = best[run] + unknown, run
            best[end], back[end] = top, where
        out: list[str] = []
        end = n
        while end > 0:
            out.append(text[back[end] : end])
            end = back[end]
        return out[::-1]

    def crosses(self, left: str, right: str) -> bool:
        """Whether a word of at least :data:`CROSS_MIN` characters runs across the break ``left|right``.

        The same question as :func:`segmenter.api.word_crosses` asks of pkuseg, on the same window of
        :data:`CROSS_WINDOW` characters either side, with whitespace dropped as pkuseg drops it.
        """
        a, b = "".join(left[-CROSS_WINDOW:].split()), "".join(right[:CROSS_WINDOW].split())
        if not a or not b:
            return False
        return tokens_cross(self.segment(a + b), len(a))

    def save(self, path: str | Path) -> None:
        """Write the lexicon as an ``.npz`` (no pickles inside)."""
        blob = "\n".join(self.words).encode("utf-8")
        np.savez_compressed(
            path,
            format=np.array(FORMAT),
            words=np.frombuffer(blob, dtype=np.uint8),
            counts=self.counts.astype(np.uint32),
        )

    @classmethod
    def load(cls, path: str | Path) -> Lexicon:
        """Read a lexicon written by :meth:`save`; ``ValueError`` for any other file."""
        with np.load(path, allow_pickle=False) as data:
            if "format" not in data or str(data["format"]) != FORMAT:
                raise ValueError(f"not a segmenter lexicon (format {FORMAT!r} expected)")
            blob = data["words"].tobytes().decode("utf-8")
            counts = data["counts"].astype(np.int64)
        words = blob.split("\n") if blob else []
        if len(words) != len(counts):
            raise ValueError(f"{len(words)} words but {len(counts)} counts")
        lexicon = cls.__new__(cls)
        lexicon.__setstate__({"words": words, "counts": counts})  # saved sorted: no second sort
        return lexicon

    def __getstate__(self) -> dict[str, object]:
        # a pickled copy (e.g. sent to a worker) carries the words and counts, not the lock or the table
        return {"words": self.words, "counts": self.counts}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.words, self.counts = state["words"], state["counts"]  # type: ignore[assignment]
        self._scores, self._unknown, self._longest = None, 0.0, 1
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self)} words)"


def tokens_cross(tokens: Iterable[str], at: int) -> bool:
    """Whether one of ``tokens`` (in order, concatenated) of at least :data:`CROSS_MIN` characters spans
    position ``at``: starts before it and ends after it."""
    pos = 0
    for tok in tokens:
        end = pos + len(tok)
        if pos < at < end and len(tok) >= CROSS_MIN:
            return True
        if end > at:
            return False
        pos = end
    return False


def training_texts(corpora: Iterable[str | Path], limit: int | None = None) -> Iterator[str]:
    """Every paragraph, headline, kicker and deck of the training pages of the corpora (the training
    split of :func:`segmenter.corpus.in_split`, never a reserved page); ``limit``: the first pages of
    each corpus only, as ``segmenter train --limit`` renders them."""
    from .corpus import read_corpus

    for path in corpora:
        for page in read_corpus(path, split="train")[:limit]:
            for article in page.articles:
                for text in (article.kicker, *article.paragraphs, article.deck):
                    if text:
                        yield text


def build_lexicon(
    texts: Iterable[str],
    segment: Callable[[str], list[str]] | None = None,
    *,
    min_count: int = MIN_COUNT,
    max_word: int = MAX_WORD,
) -> Lexicon:
    """Count the words pkuseg finds in ``texts`` and keep the frequent ones.

    Parameters
    ----------
    texts : iterable of str
        Training text (:func:`training_texts`).
    segment : callable, optional
        A word segmenter; default: pkuseg (:func:`segmenter.words.words`), loaded once.
    min_count : int, default=MIN_COUNT
        Drop words seen fewer times (single characters are always kept: they are the fallback).
    max_word : int, default=MAX_WORD
        Drop longer words.

    Returns
    -------
    Lexicon
        Also holds each word's half-width form (``１２月`` → ``12月``) where that differs, with its count
        added, since pages come in both widths.
    """
    from .lines import to_halfwidth

    if segment is None:
        from .words import get_word_segmenter

        segment = get_word_segmenter()
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(segment(text))
    for word, count in list(counts.items()):
        half = to_halfwidth(word)
        if half != word and not half.isspace():
            counts[half] += count
    kept = {w: c for w, c in counts.items() if len(w) <= max_word and (c >= min_count or len(w) == 1)}
    kept = {w: c for w, c in kept.items() if w and "\n" not in w and not w.isspace()}
    logger.info("lexicon: %d of %d distinct words kept", len(kept), len(counts))
    return Lexicon(list(kept), list(kept.values()))
