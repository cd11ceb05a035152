#!/usr/bin/env python3
"""CPU cost per MB and per line of ``split`` on the fuzz script's hostile pages against normal ones.

``python scripts/hostile_cost.py [--code DIR] [--pages N] [--lines N]``: the pages of ``scripts/fuzz.py``'s
hostile generators (one-character lines, headings only, short bold lines; ``--lines`` lines a page) and its
normal pages (corpus and synthetic, as the fuzz run makes them), or with ``--fuzz N`` the very pages of a
``fuzz.py --pages N`` run, split in one process with the shipped model
and the default word test, as ``split_page`` does; CPU seconds (``time.process_time``, which a busy shared
machine disturbs far less than the fuzz run's wall time) per MB of UTF-8 text and µs per line, and each kind
against normal text. ``--code DIR`` imports the segmenter from another checkout, so that two versions are
measured back to back on the same pages.

    python scripts/hostile_cost.py --code /tmp/older_checkout
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("one-char", "headings", "bold")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", default=str(ROOT), help="checkout whose segmenter package is measured")
    parser.add_argument("--pages", type=int, default=10, help="hostile pages of each kind (default 10)")
    parser.add_argument("--lines", type=int, default=2000, help="lines of a hostile page (default 2000)")
    parser.add_argument("--normal", type=int, default=200, help="normal pages (default 200)")
    parser.add_argument("--fuzz", type=int, metavar="N", help="instead: the pages of `fuzz.py --pages N` (seed 0), "
                        "by kind, those of 1 KB or more, as its per-MB table groups them")
    parser.add_argument("--stages", action="store_true", help="also CPU µs a line in each stage of split, by kind")
    args = parser.parse_args(argv)
    sys.path.insert(0, args.code)
    sys.path.insert(0, str(ROOT / "scripts"))
    import fuzz
    from segmenter.api import load_model

    seg = load_model()
    rng = random.Random(7)
    pages: dict[str, list[str]] = {"normal": []}
    if args.fuzz:
        for k in range(args.fuzz):
            page = fuzz.make_page(f"0:{k}", fuzz._corpus(True), hostile=0.1)  # as fuzz.py's run makes it
            if len(page.text.encode("utf-8", errors="surrogatepass")) >= 1024:
                pages.setdefault(page.hostile or "normal", []).append(page.text)
    else:
        pages["normal"] = [fuzz.make_page(f"cost:{k}", fuzz._corpus(True)).text for k in range(args.normal)]
        for kind in KINDS:
            pages[kind] = [fuzz.HOSTILE[kind](rng, args.lines) for _ in range(args.pages)]
    seg.split(pages["normal"][0])  # models loaded, caches warm
    stages = _time_stages() if args.stages else None
    base = None
    print(f"{args.code}: CPU per MB and per line of split")
    for kind, texts in pages.items():
        lines = sum(len(t.splitlines()) for t in texts)
        mb = sum(len(t.encode("utf-8", errors="surrogatepass")) for t in texts) / 1e6
        start = time.process_time()
        for text in texts:
            seg.split(text)
        took = time.process_time() - start
        base = base if base is not None else took / mb
        print(f"{kind}: {len(texts)} pages, {lines:,} lines, {mb:.2f} MB: {took / mb:.2f} s/MB, "
              f"{took / lines * 1e6:.1f} µs/line, {took / mb / base:.1f}× normal")
        if stages is not None:
            print("    " + ", ".join(f"{name} {spent / lines * 1e6:.1f}" for name, spent in
                                     sorted(stages.items(), key=lambda kv: -kv[1]) if spent / lines >= 5e-8))
            stages.clear()
    return 0


#: the stages of split timed by --stages: module, function (a class's method as "Class.method")
STAGES = (
    ("segmenter.api", "predict_lines"), ("segmenter.api", "build_records"), ("segmenter.api", "split_lines"),
    ("segmenter.reflow", "reflow"), ("segmenter.stitch", "PageFacts"), ("segmenter.stitch", "segment"),
    ("segmenter.stitch", "merge_fragments"), ("segmenter.stitch", "order_article"),
    ("segmenter.heads", "decide_heads"), ("segmenter.heads", "head_features"), ("segmenter.breaks", "break_features"),
    ("segmenter.breaks", "BreakModel.probability"), ("segmenter.breaks", "_summary"),
    ("segmenter.breaks", "_small_step_key"), ("segmenter.breaks", "_step_key"),
    ("segmenter.breaks", "PageGrams.of"), ("segmenter.api", "stitch"),
)


def _time_stages() -> dict[str, float]:
    """Wrap each stage of :data:`STAGES` so that its CPU time, without the stages it calls, adds up in the
    returned dict (the wrappers cost about a microsecond a call: read the figures as a breakdown)."""
    import functools
    import importlib

    spent: dict[str, float] = {}
    inner: list[float] = []

    def timed(name: str, fn):  # noqa: ANN001, ANN202 - any callable
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            start = time.process_time()
            inner.append(0.0)
            try:
                return fn(*args, **kwargs)
            finally:
                took = time.process_time() - start
                spent[name] = spent.get(name, 0.0) + took - inner.pop()
                if inner:
                    inner[-1] += took

        return wrapper

    for module_name, name in STAGES:
        owner = importlib.import_module(module_name)
        attribute = name
        if "." in name:
            owner_name, attribute = name.split(".")
            owner = getattr(owner, owner_name)
        if hasattr(owner, attribute):  # an older checkout may lack a stage
            setattr(owner, attribute, timed(name.replace("segmenter.", ""), getattr(owner, attribute)))
    return spent


if __name__ == "__main__":
    sys.exit(main())
