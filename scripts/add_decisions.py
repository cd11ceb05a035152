#!/usr/bin/env python3
"""Fit a trained model's decision models again on its own walk, its line model and the rest unchanged.

``segmenter train`` fits the decision models after the line model, each on the walk the ones before it make:
the head model (:mod:`segmenter.heads`), the break model, the merge model, the join model and the title
model. This script does the same for the parts named in ``--parts`` of a model already trained — after a
change to their features, or for a model trained before a part existed: the training pages are rendered as
its card says (corpora checked against the card's hashes, its seed, renderings and rounds of annotated
forms), labelled by the model itself (its line model and context pass), walked with its decision models
(the refitted ones where refitted), and the word test is its own lexicon. Only the parts' ``NAME.PART.npz``
files and their card entries are written; the model file, its line arrays and other parts are not touched.

    python scripts/add_decisions.py --model segmenter/models/default.joblib --parts joins titles --overwrite
    python scripts/add_decisions.py --model M --parts heads breaks merges joins titles --overwrite
"""

from __future__ import annotations

import argparse
import logging
import sys
import time

from segmenter.corpus import corpus_hash, gold_hash
from segmenter.errors import SegmenterError
from segmenter.breaks import BREAK_C
from segmenter.heads import HEAD_C
from segmenter.joins import JOIN_C
from segmenter.merges import MERGE_C
from segmenter.model import DECISIONS, add_decision, read_card, read_model
from segmenter.titles import TITLE_C
from segmenter.train import (
    DEFAULT_CORPORA,
    DEFAULT_GOLD,
    DEFAULT_PAGES,
    OutOfFold,
    annotated_forms,
    fit_decisions,
    read_annotated,
    rendered_pages,
)


#: each decision model's inverse regularisation strength, as `segmenter train` fits it (for its card entry)
_C = {"heads": HEAD_C, "breaks": BREAK_C, "merges": MERGE_C, "joins": JOIN_C, "titles": TITLE_C}
#: what each decision model learns from, for the error when the pages show none
_WHAT = {
    "heads": "head run inside text",
    "breaks": "step between paragraphs",
    "merges": "pair of neighbouring articles",
    "joins": "broken paragraph",
    "titles": "title block",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="the model (.joblib) to give the models")
    parser.add_argument("--corpus", nargs="+", default=[str(c) for c in DEFAULT_CORPORA], help="the corpora it was trained on")
    parser.add_argument("--pages", default=str(DEFAULT_PAGES), help="annotated pages it was trained on")
    parser.add_argument("--gold", default=str(DEFAULT_GOLD), help="their gold")
    parser.add_argument("--parts", nargs="+", choices=DECISIONS, default=["joins", "titles"], help="what to fit (each on the walk of the ones before it in the order heads breaks merges joins titles)")
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
    how = {"words": "lexicon" if crosses is not None else "none", "fitted_on": f"{len(pages)} training pages, the model's own walk (scripts/add_decisions.py)"}
    # each part is fitted on the walk the parts before it make: refitted ones, the model's own for the rest;
    # nothing is written until every part asked for is fitted
    given = {part: getattr(loaded, part) for part in DECISIONS}
    fitted = fit_decisions(pages, teacher, crosses=crosses, seed=seed, parts=args.parts, given=given)
    missing = [part for part in DECISIONS if part in args.parts and fitted[part] is None]
    if missing:
        print(f"{args.model}: the training pages showed no {_WHAT[missing[0]]} to learn from", file=sys.stderr)
        return 1
    for part in (part for part in DECISIONS if part in args.parts):
        print(f"wrote {add_decision(args.model, part, fitted[part], C=_C[part], **how)} ({time.perf_counter() - t0:.0f} s, {len(pages)} pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
