#!/usr/bin/env python3
"""How often the model's word lexicon answers the stitcher's break question as pkuseg does.

``python scripts/lexicon_agreement.py [--model PATH] [--every N]``

The question: does a word of three or more characters run across the break between two lines
(:func:`segmenter.api.word_crosses` asks pkuseg, :meth:`segmenter.lexicon.Lexicon.crosses` the lexicon).
Two samples of real breaks, both from text no model was trained on (the reserved 1998 dates and the held-out
month 2020-02; measuring only, nothing tuned on them):

* column-end breaks: every paragraph of the held-out text cut every ``N`` characters (a column's width), each
  cut one question;
* the questions the stitcher itself asks while splitting those pages rendered (with a fifth of their
  paragraphs broken and a column moved in each, so that it has breaks to ask about), recorded.

Prints a dated Markdown table: agreement and the four cells of the confusion matrix per sample; ``--score``
also scores those pages split with each word test (lexicon, pkuseg, none) against their gold.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from segmenter.api import load_model, word_crosses
from segmenter.corpus import read_corpus
from segmenter.render import columns_moved, paragraphs_broken, render_corpus
from segmenter.train import DEFAULT_CORPORA

SEED = 2718


def column_breaks(corpora: list[str], every: int) -> list[tuple[str, str]]:
    """Each held-out paragraph cut every ``every`` characters: (line before, line after) pairs."""
    pairs = []
    for path in corpora:
        for page in read_corpus(path, split="eval"):
            for article in page.articles:
                for text in article.paragraphs:
                    for cut in range(every, len(text), every):
                        pairs.append((text[cut - every : cut], text[cut : cut + every]))
    return pairs


def stress_pages(corpora: list[str]) -> list[tuple[str, dict]]:
    """The held-out pages rendered with a fifth of their paragraphs broken, and each also with a column
    moved: pages on which the stitcher asks about breaks, with their gold."""
    pages = []
    for path in corpora:
        for k, (text, gold) in enumerate(render_corpus(read_corpus(path, split="eval"), seed=SEED, copies=1)):
            broken, gold2 = paragraphs_broken(text, gold, 0.2, SEED + k)
            pages.append((broken, gold2))
            pages += [(t, g) for _, t, g in columns_moved(broken, gold2, SEED + k)[:1]]
    return pages


def asked_breaks(pages: list[tuple[str, dict]], model: str | None) -> list[tuple[str, str]]:
    """The break questions the stitcher asks while splitting ``pages``."""
    asked: list[tuple[str, str]] = []
    seg = load_model(model, words="lexicon")
    lexicon = seg.loaded.lexicon
    ask = lexicon.crosses

    def recording(left: str, right: str) -> bool:
        asked.append((left, right))
        return ask(left, right)

    lexicon.crosses = recording  # the instance attribute shadows the method while recording
    try:
        for text, _ in pages:
            seg.split(text)
    finally:
        del lexicon.crosses
    return asked


def compare(pairs: list[tuple[str, str]], lexicon) -> Counter:
    cells: Counter = Counter()
    for left, right in pairs:
        cells[(word_crosses(left, right), lexicon.crosses(left, right))] += 1
    return cells


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="model with a lexicon (default: the shipped one)")
    parser.add_argument("--corpus", nargs="+", default=[str(p) for p in DEFAULT_CORPORA])
    parser.add_argument("--every", type=int, default=23, help="column width of the cut paragraphs")
    parser.add_argument("--score", action="store_true", help="also score the pages split with each word test")
    args = parser.parse_args(argv)
    lexicon = load_model(args.model).loaded.lexicon
    if lexicon is None:
        print("lexicon_agreement: error: the model has no word lexicon (scripts/build_lexicon.py)", file=sys.stderr)
        return 1
    pages = stress_pages(args.corpus)
    rows = []
    for name, pairs in (
        (f"column-end breaks (held-out paragraphs cut every {args.every} characters)", column_breaks(args.corpus, args.every)),
        ("breaks the stitcher asks about (held-out pages rendered, paragraphs broken, a column moved)", asked_breaks(pages, args.model)),
    ):
        start = time.perf_counter()
        cells = compare(pairs, lexicon)
        n = sum(cells.values())
        agree = cells[(True, True)] + cells[(False, False)]
        rows.append(
            f"| {name} | {n:,} | {agree / n:.4f} | {cells[(True, True)]:,} | {cells[(True, False)]:,} "
            f"| {cells[(False, True)]:,} | {cells[(False, False)]:,} | {time.perf_counter() - start:.0f} |"
        )
    print(f"## {date.today().isoformat()} — `python scripts/lexicon_agreement.py --every {args.every}`\n")
    print(f"Lexicon: {len(lexicon):,} words.\n")
    print("| sample | breaks | agreement | both cross | pkuseg only | lexicon only | neither | s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print("\n".join(rows))
    if args.score:
        from segmenter.evaluate import evaluate_pages, format_table

        scored = [(f"--words {mode}", evaluate_pages(pages, segmenter=load_model(args.model, words=mode))) for mode in ("lexicon", "pkuseg", "none")]
        print()
        print(format_table(scored, f"the same {len(pages)} pages split with each word test", date.today().isoformat()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
