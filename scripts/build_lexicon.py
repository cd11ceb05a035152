#!/usr/bin/env python3
"""Give an existing model a word lexicon without retraining it: ``python scripts/build_lexicon.py --model PATH``.

pkuseg segments the training text of the corpora (the training split only: 1998 dates <= 19980124 and the
modern training months); the frequent words are written beside the model as ``NAME.words.npz`` and listed
on its meta card (file, SHA-256, size, what it was built from), both atomically. The model's other files
are left as they are. Takes minutes (pkuseg, about 10 MB of text) and about 1 GB of memory while it runs.

    python scripts/build_lexicon.py --model segmenter/models/default.joblib
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from segmenter.corpus import CORPUS_SPLIT_DATE, MODERN_TRAIN_MONTHS, corpus_hash
from segmenter.errors import SegmenterError
from segmenter.lexicon import MIN_COUNT, build_lexicon, training_texts
from segmenter.model import add_lexicon
from segmenter.train import DEFAULT_CORPORA


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="the model's .joblib file (its .json card beside it)")
    parser.add_argument("--corpus", nargs="+", default=[str(p) for p in DEFAULT_CORPORA], help="corpus files")
    parser.add_argument("--min-count", type=int, default=MIN_COUNT, help="drop rarer words (single characters stay)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="build_lexicon: %(message)s")
    for path in args.corpus:
        if not Path(path).is_file():
            print(f"build_lexicon: error: {path}: corpus file not found", file=sys.stderr)
            return 1
    start = time.perf_counter()
    try:
        lexicon = build_lexicon(training_texts(args.corpus), min_count=args.min_count)
        target = add_lexicon(
            args.model,
            lexicon,
            min_count=args.min_count,
            corpora=[{"file": Path(p).name, "sha256": corpus_hash(p)} for p in args.corpus],
            split=f"1998 dates <= {CORPUS_SPLIT_DATE}; modern months {', '.join(MODERN_TRAIN_MONTHS)}",
        )
    except (SegmenterError, ImportError, OSError, ValueError) as exc:
        print(f"build_lexicon: error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {target}: {len(lexicon)} words, {target.stat().st_size / 1e6:.1f} MB, {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
