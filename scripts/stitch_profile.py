"""Time (and optionally profile) the stitcher alone on an adversarial page.

The line classifier runs once per page shape and size; its labels and probabilities are kept in a cache
folder, so that a later run times the stitcher and the records only (``/usr/bin/time -v`` around it then
measures the stitch part's peak memory, plus the page's lines and labels).

    PYTHONPATH=$PWD python scripts/stitch_profile.py a 100000 --profile 15
    /usr/bin/time -v env PYTHONPATH=$PWD python scripts/stitch_profile.py a 1000000 --whole
    /usr/bin/time -v env PYTHONPATH=$PWD python scripts/stitch_profile.py heads 16000

Pages: ``a`` (``'a\\n' * N``), ``heads`` (``'# 标题\\n' * N``), ``bold`` (N random short bold lines).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import random
import sys
import time
from pathlib import Path

import numpy as np


def page(kind: str, n: int) -> str:
    """The adversarial page ``kind`` of ``n`` lines."""
    if kind == "a":
        return "a\n" * n
    if kind == "heads":
        return "# 标题\n" * n
    if kind == "bold":
        rng = random.Random(0)
        chars = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可也你"
        return "".join("**" + "".join(rng.choice(chars) for _ in range(rng.randint(1, 6))) + "**\n" for _ in range(n))
    raise ValueError(f"unknown page kind {kind!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=("a", "heads", "bold"))
    parser.add_argument("lines", type=int)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/stitch_profile"), help="labels cache folder")
    parser.add_argument("--profile", type=int, default=0, metavar="K", help="print the top K entries by total time")
    parser.add_argument("--load-only", action="store_true", help="stop before stitching (the memory floor)")
    parser.add_argument("--whole", action="store_true", help="time the whole split instead (classifier included, no cache)")
    args = parser.parse_args(argv)

    from segmenter.api import Segmenter
    from segmenter.lines import split_lines
    from segmenter.records import build_records
    from segmenter.stitch import stitch

    if args.whole:
        text = page(args.kind, args.lines)
        segmenter = Segmenter(words=False).load()
        start, cpu = time.perf_counter(), time.process_time()
        records = segmenter.split(text)
        took, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(f"whole split, {args.kind} x {args.lines}: {took:.2f} s wall, {cpu:.2f} s CPU, {len(records)} records")
        return 0
    model = Segmenter(words=False).load().loaded
    lines = split_lines(page(args.kind, args.lines))
    args.cache.mkdir(parents=True, exist_ok=True)
    stem = args.cache / f"{args.kind}_{args.lines}"
    if stem.with_suffix(".json").exists():
        labels, confidence = json.loads(stem.with_suffix(".json").read_text())
        proba = np.load(stem.with_suffix(".npy"))
    else:
        from segmenter.classify import predict_lines

        start = time.perf_counter()
        labels, confidence, proba = predict_lines(model.pipeline, lines, context=model.context)
        print(f"classifier: {time.perf_counter() - start:.2f} s (cached in {args.cache})")
        stem.with_suffix(".json").write_text(json.dumps([list(labels), list(map(float, confidence))]))
        np.save(stem.with_suffix(".npy"), proba)
    classes = [str(c) for c in model.pipeline.classes_]
    if args.load_only:
        return 0

    def run() -> None:
        stitched = stitch(lines, labels, None, model.breaks, model.heads, proba, classes)
        build_records(stitched, lines, stitched.labels, confidence)

    start, cpu = time.perf_counter(), time.process_time()
    if args.profile:
        prof = cProfile.Profile()
        prof.runcall(run)
        took = time.perf_counter() - start
        pstats.Stats(prof).sort_stats("tottime").print_stats(args.profile)
    else:
        run()
        took = time.perf_counter() - start
    cpu = time.process_time() - cpu
    print(f"stitch + records, {args.kind} x {args.lines}: {took:.2f} s wall, {cpu:.2f} s CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
