#!/usr/bin/env python3
"""CPU cost of ``split`` per page and its profile: ``python scripts/profile_split.py [--code DIR] [--top N]``.

The benchmark pages (:func:`segmenter.benchmark.benchmark_pages`: the shared pages and the reserved 1998 pages
rendered) split in one process with the shipped model: CPU milliseconds per page (``time.process_time``, which
a busy shared machine disturbs far less than wall time; caches emptied before each pass), then the top
entries of a cProfile pass by own time. ``--code DIR`` imports the segmenter from another checkout (e.g. an
older commit's ``git archive`` unpacked), so that two versions are measured back to back on the same pages.

    python scripts/profile_split.py --words none --top 15
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", default=str(ROOT), help="checkout whose segmenter package is measured")
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpora" / "pd1998" / "pages.jsonl.gz"))
    parser.add_argument("--words", default="none", help="word test: none (default), or lexicon/pkuseg where known")
    parser.add_argument("--passes", type=int, default=5, help="timed passes (the median is printed)")
    parser.add_argument("--top", type=int, default=15, help="profile entries shown (0: no profile)")
    args = parser.parse_args(argv)
    sys.path.insert(0, args.code)
    from segmenter.api import load_model
    from segmenter.benchmark import benchmark_pages, clear_caches

    texts = [text for text, _ in benchmark_pages(corpus=args.corpus)]
    words = {"none": False, "true": True}.get(args.words, args.words)
    seg = load_model(words=words)
    for text in texts[:3]:
        seg.split(text)
    costs = []
    for _ in range(args.passes):
        clear_caches()
        start = time.process_time()
        for text in texts:
            seg.split(text)
        costs.append((time.process_time() - start) / len(texts) * 1000)
    print(f"{args.code}: {len(texts)} pages, CPU ms/page median {statistics.median(costs):.2f} (min {min(costs):.2f})")
    if args.top:
        clear_caches()
        profile = cProfile.Profile()
        profile.enable()
        for text in texts:
            seg.split(text)
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(args.top)
        print(out.getvalue().replace(str(Path(args.code).resolve()) + "/", ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
