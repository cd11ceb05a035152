#!/usr/bin/env python3
"""Speed benchmark of the segmenter: ``python3 scripts/benchmark.py [--quick] [--append FILE]``.

Prints a dated Markdown table (the machine it ran on included) to stdout; ``--append`` also adds it to a
file. The logic is in :mod:`segmenter.benchmark`.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from segmenter.benchmark import run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs; no comparison model unless cached")
    parser.add_argument("--runs", type=int, help="timed passes per figure (default 5, --quick 3)")
    parser.add_argument("--corpus", help="pd1998 pages.jsonl.gz (default: ../shared/corpora/pd1998)")
    parser.add_argument("--no-words", action="store_true", help="skip the configurations with the word model")
    parser.add_argument(
        "--other-model", help="model with the other word-feature setting (default: train and cache one)"
    )
    parser.add_argument("--no-jobs", action="store_true", help="skip --jobs 1 against --jobs 2")
    parser.add_argument("--append", metavar="FILE", help="also append the table to FILE")
    parser.add_argument("-v", "--verbose", action="store_true", help="say what is being measured")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="benchmark: %(message)s")
    report = run(
        quick=args.quick,
        runs=args.runs,
        corpus=args.corpus,
        words=not args.no_words,
        other_model=args.other_model,
        jobs=not args.no_jobs,
    )
    table = report.markdown()
    print(table)
    if args.append:
        with open(args.append, "a", encoding="utf-8") as handle:
            handle.write("\n" + table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
