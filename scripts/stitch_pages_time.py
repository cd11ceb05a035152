"""CPU time of the stitch part (stitcher and records) on the pages of ``scripts/stitch_equivalence.py``.

The classifier runs first for every page (not timed); then the stitcher and the records, ``--repeat`` times
over all pages, the best pass reported (CPU seconds, and milliseconds per page).

    PYTHONPATH=$PWD python scripts/stitch_pages_time.py --repeat 3
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-era", type=int, default=150)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    from stitch_equivalence import pages

    from segmenter.api import Segmenter
    from segmenter.classify import predict_lines
    from segmenter.lines import split_lines
    from segmenter.records import build_records
    from segmenter.stitch import stitch

    model = Segmenter(words=False).load().loaded
    classes = [str(c) for c in model.pipeline.classes_]
    prepared = []
    for name, text in pages(args.per_era, 0):
        if name.startswith("adversarial"):
            continue  # ordinary pages only: the adversarial ones are scripts/stitch_profile.py's
        lines = split_lines(text)
        prepared.append((lines, *predict_lines(model.pipeline, lines, context=model.context)))
    best = float("inf")
    for _ in range(args.repeat):
        start = time.process_time()
        for lines, labels, confidence, proba in prepared:
            stitched = stitch(lines, labels, None, model.breaks, model.heads, proba, classes)
            build_records(stitched, lines, stitched.labels, confidence)
        best = min(best, time.process_time() - start)
    n = len(prepared)
    print(f"{n} pages, {sum(len(p[0]) for p in prepared)} lines: stitch + records {best:.2f} s CPU, {1000 * best / n:.2f} ms/page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
