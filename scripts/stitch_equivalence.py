"""Check that a change to the stitcher leaves its output byte for byte as it was.

Renders a fixed sample of training-split corpus pages of both eras, the annotated pages in every rewritten
form the variant tests use, and a few adversarial pages, splits each with the shipped model (words off), and
writes every page's JSON records as one line of a JSON Lines file. ``--save FILE`` records the output,
``--check FILE`` compares the output of the code as it is now with a recorded one and names the pages that
differ (exit code 1 when any does).

    PYTHONPATH=$PWD python scripts/stitch_equivalence.py --save /tmp/stitch_before.jsonl
    PYTHONPATH=$PWD python scripts/stitch_equivalence.py --check /tmp/stitch_before.jsonl

Only the training split of the corpora is read (held-out and reserved pages stay unread).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"


def pages(per_era: int, seed: int) -> list[tuple[str, str]]:
    """``(name, text)`` of every page the check splits, in a fixed order."""
    from segmenter.corpus import read_corpus
    from segmenter.render import (
        RESTYLES,
        articles_printed_twice,
        articles_recombined,
        columns_moved,
        heads_after_bodies,
        paragraphs_broken,
        render_corpus,
        restyle_page,
    )
    from segmenter.train import annotated_pages

    out: list[tuple[str, str]] = []
    for era in ("pd1998", "pd2019"):
        path = CORPORA / era / "pages.jsonl.gz"
        if not path.exists():
            print(f"stitch_equivalence: warning: {path} not found, its era is skipped", file=sys.stderr)
            continue
        corpus = read_corpus(path, split="train")
        sample = random.Random(seed).sample(corpus, min(per_era, len(corpus)))
        for text, gold in render_corpus(sample, seed):
            out.append((gold["source"], text))
    annotated = annotated_pages(ROOT / "data" / "pages", ROOT / "data" / "gold")
    for text, gold in annotated:
        src = gold["source"]
        out.append((src, text))
        for style in RESTYLES:
            out.append((f"{src}:{style}", restyle_page(text, gold, style)[0]))
        for k, t, _ in heads_after_bodies(text, gold):
            out.append((f"{src}:heads_after:{k}", t))
        for k, t, _ in articles_printed_twice(text, gold):
            out.append((f"{src}:twice:{k}", t))
        for s in (0, 1):
            for k, t, _ in columns_moved(text, gold, s):
                out.append((f"{src}:moved{s}:{k}", t))
            out.append((f"{src}:broken{s}", paragraphs_broken(text, gold, 0.2, s)[0]))
    for s in (0, 1):
        for k, (text, _) in enumerate(articles_recombined(annotated, s)):
            out.append((f"recombined{s}:{k}", text))
    rng = random.Random(seed)
    out.append(("adversarial:a", "a\n" * 3000))
    out.append(("adversarial:heads", "# 标题\n" * 2000))
    out.append(("adversarial:bold", "".join(f"**{rng.choice('甲乙丙丁戊')}{rng.randint(0, 99)}**\n" for _ in range(2000))))
    return out


def run(per_era: int, seed: int) -> list[tuple[str, str]]:
    """``(name, records as JSON)`` of every page."""
    from segmenter.api import Segmenter

    model = Segmenter(words=False).load()
    result = []
    for name, text in pages(per_era, seed):
        records = [a.to_dict() for a in model.split(text, source=name)]
        result.append((name, json.dumps(records, ensure_ascii=False, sort_keys=True)))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path, help="write the output of the code as it is now to FILE")
    group.add_argument("--check", type=Path, help="compare the output with the one recorded in FILE")
    parser.add_argument("--per-era", type=int, default=150, help="corpus pages of each era (default 150)")
    parser.add_argument("--seed", type=int, default=0, help="sampling and rendering seed (default 0)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    result = run(args.per_era, args.seed)
    digest = hashlib.sha256("\n".join(r for _, r in result).encode()).hexdigest()[:16]
    took = time.perf_counter() - start
    if args.save:
        with open(args.save, "w", encoding="utf-8") as handle:
            for name, records in result:
                handle.write(json.dumps({"page": name, "records": records}, ensure_ascii=False) + "\n")
        print(f"{len(result)} pages recorded in {args.save} (digest {digest}, {took:.1f} s)")
        return 0
    with open(args.check, encoding="utf-8") as handle:
        before = [json.loads(line) for line in handle]
    differ = [name for (name, records), old in zip(result, before) if name != old["page"] or records != old["records"]]
    if len(before) != len(result):
        print(f"{len(result)} pages now, {len(before)} recorded")
        return 1
    for name in differ[:20]:
        print(f"differs: {name}")
    print(f"{len(result)} pages, {len(differ)} differ (digest {digest}, {took:.1f} s)")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
