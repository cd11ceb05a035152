#!/usr/bin/env python3
"""Give a trained model the join and title models fitted on its own walk, the rest unchanged.

``segmenter train`` fits the join model (:mod:`segmenter.joins`) and then the title model
(:mod:`segmenter.titles`) last, on the articles its line, head, break and merge models make. A model trained
before they existed gets them here the same way: the training pages are rendered as its card says (corpora
checked against the card's hashes, its seed, renderings and rounds of annotated forms), labelled by the
model itself (its line model and context pass), walked with its head, break and merge models (and its join
model, for the title model), and the word test is its own lexicon. Only ``NAME.joins.npz``,
``NAME.titles.npz`` and their card entries are written; the model file and its other parts are not touched.

    python scripts/add_decisions.py --model segmenter/models/default.joblib --parts joins titles --overwrite
"""

from __future__ import annotations

import argparse
import logging
import sys
import time

from segmenter.corpus import corpus_hash, gold_hash
from segmenter.errors import SegmenterError
from segmenter.joins import JOIN_C, fit_joins
from segmenter.model import add_joins, add_titles, read_card, read_model
from segmenter.titles import TITLE_C, fit_titles
from segmenter.train import (
    DEFAULT_CORPORA,
    DEFAULT_GOLD,
    DEFAULT_PAGES,
    OutOfFold,
    annotated_forms,
    read_annotated,
    rendered_pages,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="the model (.joblib) to give the models")
    parser.add_argument("--corpus", nargs="+", default=[str(c) for c in DEFAULT_CORPORA], help="the corpora it was trained on")
    parser.add_argument("--pages", default=str(DEFAULT_PAGES), help="annotated pages it was trained on")
    parser.add_argument("--gold", default=str(DEFAULT_GOLD), help="their gold")
    parser.add_argument("--parts", nargs="+", choices=["joins", "titles"], default=["joins", "titles"], help="what to fit")
    parser.add_argument("--overwrite", action="store_true", help="replace the parts the model already has")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        return _add(args)
    except (SegmenterError, OSError, ValueError) as exc:  # a bad model or corpus path: one line, no traceback
        print(f"add_decisions: error: {exc}", file=sys.stderr)
        return 1


def _add(args: argparse.Namespace) -> int:
    """Fit the parts ``args`` names and write them beside the model; the exit code."""
    card = read_card(args.model)
    present = [part for part in args.parts if card.get(part)]
    if present and not args.overwrite:
        print(f"{args.model}: has {' and '.join(present)} already; give --overwrite to replace them", file=sys.stderr)
        return 2
    loaded = read_model(args.model)
    data = card.get("training_data") or {}
    corpus = data.get("corpus") or {}
    want = [entry.get("sha256") for entry in corpus.get("files", [])]
    have = [corpus_hash(path) for path in args.corpus]
    if want != have:
        print(f"{args.model}: its card lists other corpora than {args.corpus}; give the ones it was trained on", file=sys.stderr)
        return 2
    seed = int(card["params"]["seed"])
    t0 = time.perf_counter()
    pages = rendered_pages(
        args.corpus, split="train", seed=seed, copies=int(corpus.get("copies", 3)), limit=corpus.get("limit"), balance=True
    )
    annotated = read_annotated(args.pages, args.gold) if data.get("annotated") else []
    if annotated and gold_hash(annotated) != data["annotated"].get("sha256"):
        print(f"{args.model}: its card lists other annotated pages than {args.pages}; give the ones it was trained on", file=sys.stderr)
        return 2
    own = [(p.text, p.gold) for p in annotated]
    rounds = int((data.get("annotated") or {}).get("rewritten_rounds", 0))
    pages += own + annotated_forms(own, rounds, seed)
    teacher = OutOfFold([loaded.pipeline], 1, loaded.context)
    crosses = loaded.lexicon.crosses if loaded.lexicon is not None else None
    walk = {"heads": loaded.heads, "breaks": loaded.breaks, "merges": loaded.merges, "crosses": crosses, "seed": seed}
    how = {"words": "lexicon" if crosses is not None else "none", "fitted_on": f"{len(pages)} training pages, the model's own walk (scripts/add_decisions.py)"}
    joins = loaded.joins
    if "joins" in args.parts:
        joins = fit_joins(pages, teacher, C=JOIN_C, **walk)
        if joins is None:
            print(f"{args.model}: the training pages showed no broken paragraph to learn from", file=sys.stderr)
            return 1
        print(f"wrote {add_joins(args.model, joins, C=JOIN_C, **how)} ({time.perf_counter() - t0:.0f} s, {len(pages)} pages)")
    if "titles" in args.parts:
        titles = fit_titles(pages, teacher, joins=joins, C=TITLE_C, **walk)
        if titles is None:
            print(f"{args.model}: the training pages showed no title block to learn from", file=sys.stderr)
            return 1
        print(f"wrote {add_titles(args.model, titles, C=TITLE_C, **how)} ({time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
