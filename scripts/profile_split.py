#!/usr/bin/env python3
"""CPU cost of ``split`` per page and its profile: ``python scripts/profile_split.py [--code DIR] [--top N]``.

The benchmark pages (:func:`segmenter.benchmark.benchmark_pages`: the shared pages and the reserved 1998 pages
rendered) split in one process with the shipped model: CPU milliseconds per page (``time.process_time``, which
a busy shared machine disturbs far less than wall time; caches emptied before each pass), then the top
entries of a cProfile pass by own time. ``--code DIR`` imports the segmenter from another checkout (e.g. an
older commit's ``git archive`` unpacked), so that two versions are measured back to back on the same pages.
``--stages`` also prints the CPU time of each stage of ``split`` and each pass of the stitcher, each timed
where it is called (the page's character pairs where the stitcher first asks for them).

    python scripts/profile_split.py --words none --top 15
    python scripts/profile_split.py --words lexicon --top 0 --stages
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


#: what ``--stages`` times: (module, attribute, stage); a stitcher pass is timed where ``stitch`` calls it
STAGES = (
    ("segmenter.api", "PageFacts", "line facts (PageFacts)"),
    ("segmenter.api", "predict_lines", "classifier"),
    ("segmenter.api", "stitch", "stitcher, all of it"),
    ("segmenter.api", "build_records", "records"),
    ("segmenter.stitch", "segment", "  the walk (segment)"),
    ("segmenter.stitch", "merge_fragments", "  repeats and continuations (merge_fragments)"),
    ("segmenter.stitch", "order_article", "  reading order (order_article)"),
    ("segmenter.stitch", "columns_in_broken_paragraphs", "  columns_in_broken_paragraphs"),
    ("segmenter.heads", "decide_heads", "  head model (decide_heads)"),
    ("segmenter.merges", "decide_merges", "  merge model (decide_merges)"),
    ("segmenter.titles", "choose_headlines", "  title model (choose_headlines)"),
)


@contextmanager
def timed_stages(costs: Counter[str]) -> Iterator[None]:
    """Add each stage's CPU seconds to ``costs`` while in the block (the functions wrapped, then put back)."""
    import importlib

    from segmenter.breaks import PageGrams

    def timer(function: Callable[..., Any], stage: str) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                costs[stage] += time.process_time() - start

        return timed

    saved = []
    for module_name, name, stage in STAGES:
        module = importlib.import_module(module_name)
        saved.append((module, name, getattr(module, name)))
        setattr(module, name, timer(getattr(module, name), stage))
    pairs = PageGrams.__dict__["of"]
    # (a compiled checkout's class method cannot be wrapped: its pairs stay in the stitcher's time)
    if hasattr(pairs, "__func__"):
        PageGrams.of = classmethod(timer(pairs.__func__, "  the page's character pairs (PageGrams.of)"))  # type: ignore[method-assign]
    try:
        yield
    finally:
        PageGrams.of = pairs  # type: ignore[method-assign]
        for module, name, function in saved:
            setattr(module, name, function)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", default=str(ROOT), help="checkout whose segmenter package is measured")
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpora" / "pd1998" / "pages.jsonl.gz"))
    parser.add_argument("--words", default="none", help="word test: none (default), or lexicon/pkuseg where known")
    parser.add_argument("--passes", type=int, default=5, help="timed passes (the median is printed)")
    parser.add_argument("--top", type=int, default=15, help="profile entries shown (0: no profile)")
    parser.add_argument("--stages", action="store_true", help="also the CPU time of each stage and stitcher pass")
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
    if args.stages:
        stages: Counter[str] = Counter()
        with timed_stages(stages):
            for _ in range(args.passes):
                clear_caches()
                for text in texts:
                    seg.split(text)
        per_page = args.passes * len(texts) / 1000
        order = {stage: k for k, (_, _, stage) in enumerate(STAGES)}
        for stage, cost in sorted(stages.items(), key=lambda kv: order.get(kv[0], len(order))):
            print(f"{stage:48s} {cost / per_page:6.2f} ms/page")
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
