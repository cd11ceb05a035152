#!/usr/bin/env python3
"""What the stitcher's text sets would cost as integers: ``python scripts/set_building_cost.py``.

The stitcher compares texts by sets of strings: each line's character pairs with their counts over the page
(:class:`segmenter.breaks.PageGrams`) and each line's 4-grams (:mod:`segmenter.repeats`). This measures, on
the benchmark pages, building them as the stitcher does against building the same sets as integer codes
sliced from one numpy array of the page's code points (a pair: two code points in one integer; a 4-gram: four
page-local character numbers of 16 bits) — the cheapest form of the "text sets as integer arrays" redesign,
before any of the set algebra the stitcher does with them. Medians of 7 passes, CPU milliseconds per page.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from segmenter.breaks import _NOT_LETTERS, _bigrams  # noqa: E402
from segmenter.repeats import _ngrams  # noqa: E402


def pairs_as_strings(texts: Sequence[str]) -> list[frozenset[str]]:
    """Each normalised line's character pairs, as the stitcher makes them (:func:`segmenter.breaks._bigrams`)."""
    return [_bigrams(t) for t in texts]


def pairs_as_codes(texts: Sequence[str]) -> list[frozenset[int]]:
    """The same sets as integers ``first << 21 | second``, sliced from one array of the page's code points
    (each line's letters only, as :func:`~segmenter.breaks._bigrams` keeps them)."""
    texts = [_NOT_LETTERS.sub("", t) for t in texts]
    points = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    codes = ((points[:-1] << 21) | points[1:]).tolist() if len(points) > 1 else []
    out, start = [], 0
    for t in texts:
        out.append(frozenset(codes[start : start + len(t) - 1]) if len(t) > 1 else frozenset())
        start += len(t)
    return out


def grams_as_strings(texts: Sequence[str]) -> list[set[str]]:
    """Each line's 4-grams, as the stitcher makes them (:func:`segmenter.repeats._ngrams`)."""
    return [_ngrams(t) for t in texts]


def grams_as_codes(texts: Sequence[str]) -> list[set[int]]:
    """The same sets (for texts of five characters or more) as four page-local character numbers in one integer."""
    points = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)
    number = np.unique(points, return_inverse=True)[1].astype(np.int64)
    n = len(number)
    codes = ((number[:-3] << 48) | (number[1:-2] << 32) | (number[2:-1] << 16) | number[3:]).tolist() if n > 3 else []
    out, start = [], 0
    for t in texts:
        out.append(set(codes[start : start + len(t) - 3]) if len(t) > 4 else set())
        start += len(t)
    return out


def cost(build: Callable[[Sequence[str]], list[Any]], pages: list[list[str]], count: bool) -> float:
    """Median CPU ms per page of building every page's sets (and counting the pairs over the page)."""
    runs = []
    for _ in range(7):
        start = time.process_time()
        for texts in pages:
            sets = build(texts)
            if count:
                Counter(itertools.chain.from_iterable(sets))
        runs.append((time.process_time() - start) / len(pages) * 1000)
    return statistics.median(runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpora" / "pd1998" / "pages.jsonl.gz"))
    args = parser.parse_args(argv)
    from segmenter.benchmark import benchmark_pages
    from segmenter.facts import PageFacts
    from segmenter.lines import split_lines

    normed, keys = [], []
    for text, _ in benchmark_pages(corpus=args.corpus):
        facts = PageFacts(split_lines(text))
        normed.append(list(facts.normed))
        keys.append([facts.key[i] for i in range(len(facts.lines))])
    # the codes stand for the same sets: one code per distinct pair or 4-gram of every line
    for texts, page_keys in zip(normed, keys):
        assert list(map(len, pairs_as_codes(texts))) == list(map(len, pairs_as_strings(texts)))
        long = [t for t in page_keys if len(t) > 4]
        assert list(map(len, grams_as_codes(long))) == list(map(len, grams_as_strings(long)))
    print(f"{len(normed)} pages; CPU ms a page, medians of 7 passes\n")
    print("| sets | as strings (the stitcher's) | as integer codes |\n| --- | ---: | ---: |")
    print(f"| each line's character pairs, counted over the page | {cost(pairs_as_strings, normed, True):.2f} "
          f"| {cost(pairs_as_codes, normed, True):.2f} |")
    print(f"| each line's 4-grams | {cost(grams_as_strings, keys, False):.2f} | {cost(grams_as_codes, keys, False):.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
