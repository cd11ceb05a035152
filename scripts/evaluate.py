#!/usr/bin/env python3
"""The evaluation protocol behind the README's accuracy table.

Models are trained here, in memory, on the training part of the corpora only (rendered by the project's
renderer): 1998 pages dated <= 19980124 and the modern months 2019-02, 2019-10 and 2020-01. Neither the
shared real pages, nor the reserved 1998 pages (>= 19980125), nor the held-out modern month 2020-02 are
seen in training. Each model is scored on

* the annotated real pages (``data/pages`` + ``data/gold``), also rewritten in the other forms extractors
  write (no ``#`` marks, no blank lines, full- or half-width: :func:`segmenter.render.restyle_page`) and
  with one article's head block printed after its body (:func:`segmenter.render.heads_after_bodies`) or
  one article printed twice (:func:`segmenter.render.articles_printed_twice`) or a fifth of the paragraphs
  broken in two (:func:`segmenter.render.paragraphs_broken`; also on the plain form) or a column of one
  article printed out of order inside it (:func:`segmenter.render.columns_moved`), or a Markdown picture line
  above each caption (:func:`segmenter.render.pictures_added`), or with running heads and foot lines
  (:func:`segmenter.render.running_heads_added`), or cut into printed lines as an OCR engine
  writes them (:func:`segmenter.render.printed_lines`), or the three pages'
  articles shuffled onto new pages, each next to new neighbours (:func:`segmenter.render.articles_recombined`;
  also on the plain form);
* the reserved 1998 pages rendered with seeds training never uses (:data:`EVAL_COPIES` ways each), and
* the held-out modern month rendered with :data:`MODERN_SEEDS` (one rendering a page per seed; the figure of
  record is the mean over the seeds),

beside the Markdown-heading baseline, and across eras: a model trained on the 1998 pages alone and one
trained on the modern months alone, each scored on the other era. Prints dated Markdown tables;
``--out FILE`` also appends them.

    python scripts/evaluate.py                 # about 15 minutes on 2 cores
    python scripts/evaluate.py --words         # also the configuration with the pkuseg word features
    python scripts/evaluate.py --write-gate    # store the shipped model's scores as the eval gate
    python scripts/evaluate.py --render-seeds 2026 2027 2028   # the reserved 1998 pages rendered other ways too
    python scripts/evaluate.py --models - models/mine.joblib  # no training: saved models on every tier (- : shipped)
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from segmenter.breaks import as_break_model, fit_breaks
from segmenter.evaluate import (
    Scores,
    baseline_scores,
    data_hash,
    evaluate_pages,
    format_label_table,
    format_table,
    score_pages,
)
from segmenter.api import break_words, shipped_lexicon
from segmenter.model import DECISIONS
from segmenter.render import (
    RESTYLES,
    articles_printed_twice,
    articles_recombined,
    columns_moved,
    heads_after_bodies,
    paragraphs_broken,
    pictures_added,
    printed_lines,
    restyle_page,
    running_heads_added,
    setext_headings,
)
from segmenter.train import (
    DEFAULT_CORPUS,
    DEFAULT_GOLD,
    DEFAULT_MODERN_CORPUS,
    DEFAULT_PAGES,
    OutOfFold,
    annotated_pages,
    fit,
    fit_decisions,
    fit_teacher,
    rendered_pages,
)

ROOT = Path(__file__).resolve().parent.parent
GATE = ROOT / "data" / "eval_gate.json"
TRAIN_SEED, EVAL_SEED = 13, 2025
#: two renderings of each reserved 1998 page: one rendering of 52 pages moves article F1 by +-0.03 between seeds
EVAL_COPIES = 2
#: the held-out modern month (472 pages) is rendered once with each of these seeds
MODERN_SEEDS = (2025, 2026, 2027)


@dataclass
class Trained:
    """A line model with its decision models, trained in memory."""

    line: Any
    context: Any
    heads: Any
    breaks: Any
    merges: Any
    breaks_alone: Any = None  # a break model trained on the walk without the head model
    # the head, break and merge models trained on the line model's labels without the context pass
    without_context: tuple[Any, Any, Any] = (None, None, None)
    seconds: float = 0.0
    # the join and title models, trained last on the walk the head, break and merge models make
    joins: Any = None
    titles: Any = None


def train_models(pages: list, *, words: bool = False, ablations: bool = False) -> Trained:
    """The line model, its context pass, the head, break, merge, join and title models on ``pages`` (as
    ``segmenter train`` does; the join and title models read the shipped model's word lexicon, as split does)."""
    t0 = time.perf_counter()
    line = fit(pages, words=words, seed=TRAIN_SEED)
    teacher = fit_teacher(pages, line, words=words, seed=TRAIN_SEED)

    fitted = fit_decisions(pages, teacher, crosses=break_words(True, shipped_lexicon()), seed=TRAIN_SEED)
    heads, breaks, merges, joins, titles = (fitted[part] for part in DECISIONS)
    alone = as_break_model(fit_breaks(pages, teacher, seed=TRAIN_SEED)) if ablations else None
    plain: tuple[Any, Any, Any] = (None, None, None)
    if ablations:
        first = fit_decisions(pages, OutOfFold([line], 1), seed=TRAIN_SEED, parts=("heads", "breaks", "merges"))
        plain = (first["heads"], first["breaks"], first["merges"])
    return Trained(line, teacher.context, heads, breaks, merges, alone, plain, time.perf_counter() - t0, joins, titles)


def mean_scores(runs: list[Scores]) -> Scores:
    """One Scores over several renderings of the same pages (summed, so a mean weighted by articles)."""
    return score_pages([]) if not runs else sum(runs[1:], runs[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="the 1998 corpus")
    parser.add_argument("--modern-corpus", default=str(DEFAULT_MODERN_CORPUS), help="the modern corpus")
    parser.add_argument("--copies", type=int, default=3, help="renderings per training page")
    parser.add_argument("--words", action="store_true", help="also evaluate a model trained with word features")
    parser.add_argument("--out", help="append the tables to this Markdown file")
    parser.add_argument("--write-gate", action="store_true", help=f"write minimum scores to {GATE.name}")
    parser.add_argument(
        "--render-seeds", type=int, nargs="*", default=[], metavar="SEED",
        help="also score the default and the shipped model on the reserved 1998 pages rendered with these seeds "
        "(how much the figures move with the rendering alone)",
    )
    parser.add_argument(
        "--models", nargs="+", metavar="MODEL",
        help="train nothing: score these saved models (.joblib; '-' for the shipped model) on the real pages, the "
        "reserved 1998 pages (seed 2025 and each --render-seeds) and the held-out month (each of its seeds), "
        "and the real pages in the other forms, with the means of record (a few minutes)",
    )
    args = parser.parse_args(argv)
    if args.models:
        print(saved_models_report(args.models, args.corpus, args.modern_corpus, args.render_seeds))
        return 0

    real = annotated_pages(DEFAULT_PAGES, DEFAULT_GOLD)
    reserved = rendered_pages(args.corpus, split="eval", seed=EVAL_SEED, copies=EVAL_COPIES)
    modern = {seed: rendered_pages(args.modern_corpus, split="eval", seed=seed, copies=1) for seed in MODERN_SEEDS}
    train_1998 = rendered_pages(args.corpus, split="train", seed=TRAIN_SEED, copies=args.copies)
    train_modern = rendered_pages(args.modern_corpus, split="train", seed=TRAIN_SEED, copies=args.copies)
    timing: list[str] = []

    train_both = rendered_pages(
        [args.corpus, args.modern_corpus], split="train", seed=TRAIN_SEED, copies=args.copies, balance=True
    )
    both = train_models(train_both, ablations=True)
    timing.append(f"both eras: trained in {both.seconds:.0f} s")
    only_1998 = train_models(train_1998)
    timing.append(f"1998 only: trained in {only_1998.seconds:.0f} s")
    only_modern = train_models(train_modern)
    timing.append(f"modern only: trained in {only_modern.seconds:.0f} s")
    # (name, models, words in the stitcher, context pass, head model, break model, merge model); the models'
    # join and title models stitch every row but the ones named for their absence
    Config = tuple[str, Trained, bool, Any, Any, Any, Any]
    configs: list[Config] = [
        ("segmenter (default: both eras)", both, True, both.context, both.heads, both.breaks, both.merges),
        ("segmenter, no join model", both, True, both.context, both.heads, both.breaks, both.merges),
        ("segmenter, no title model", both, True, both.context, both.heads, both.breaks, both.merges),
        ("segmenter --no-words", both, False, both.context, both.heads, both.breaks, both.merges),
        ("segmenter, no context pass", both, True, None, *both.without_context),
        ("segmenter, no merge model", both, True, both.context, both.heads, both.breaks, None),
        ("segmenter, no head or merge model", both, True, both.context, None, both.breaks_alone, None),
        ("segmenter, no decision models (rules only)", both, True, both.context, None, None, None),
        ("trained on 1998 pages only", only_1998, True, only_1998.context, only_1998.heads, only_1998.breaks,
         only_1998.merges),
        ("trained on modern pages only", only_modern, True, only_modern.context, only_modern.heads,
         only_modern.breaks, only_modern.merges),
    ]
    if args.words:
        with_words = train_models(train_both, words=True)
        timing.append(f"--words: trained in {with_words.seconds:.0f} s")
        configs.append(
            ("segmenter, model trained --words", with_words, True, with_words.context, with_words.heads,
             with_words.breaks, with_words.merges)
        )

    def score(pages: list, config: Config) -> Scores:
        name, models, stitch_words, context, heads, breaks, merges = config
        joins = None if "no join model" in name or "rules only" in name else models.joins
        titles = None if "no title model" in name or "rules only" in name else models.titles
        return evaluate_pages(
            pages, model_pipeline=models.line, words=stitch_words, breaks=breaks, heads=heads, merges=merges,
            context=context, joins=joins, titles=titles,
        )

    rows_real, rows_res, rows_modern = [], [], []
    first: tuple[Scores, Scores, Scores] | None = None
    for config in configs:
        t0 = time.perf_counter()
        s_real, s_res = score(real, config), score(reserved, config)
        s_modern = mean_scores([score(pages, config) for pages in modern.values()])
        timing.append(f"{config[0]}: scored in {time.perf_counter() - t0:.0f} s")
        rows_real.append((config[0], s_real))
        rows_res.append((config[0], s_res))
        rows_modern.append((config[0], s_modern))
        first = first or (s_real, s_res, s_modern)
    assert first is not None
    from segmenter.api import load_model

    shipped_model = load_model(words=True)
    shipped_res = evaluate_pages(reserved, segmenter=shipped_model)
    shipped_modern_runs = {seed: evaluate_pages(pages, segmenter=shipped_model) for seed, pages in modern.items()}
    shipped_modern = mean_scores(list(shipped_modern_runs.values()))
    rows_res.append(("shipped model (also trained on data/pages)", shipped_res))
    rows_modern.append(("shipped model (also trained on data/pages)", shipped_modern))
    for seed, scores in shipped_modern_runs.items():
        rows_modern.append((f"shipped model, seed {seed} alone", scores))
    rows_real.append(("markdown-heading baseline", baseline_scores(real)))
    rows_res.append(("markdown-heading baseline", baseline_scores(reserved)))
    rows_modern.append(("markdown-heading baseline", mean_scores([baseline_scores(p) for p in modern.values()])))

    # the real pages as other extractors would write them (the default configuration's models)
    default = configs[0]

    def forms(pages: list) -> Scores:
        return score(pages, default)

    rows_forms = [(name, forms(pages)) for name, pages in real_forms(real)]

    rows_seeds = []
    for seed in args.render_seeds:
        pages = rendered_pages(args.corpus, split="eval", seed=seed, copies=EVAL_COPIES)
        rows_seeds.append((f"segmenter (default), seed {seed}", forms(pages)))
        rows_seeds.append((f"shipped model, seed {seed}", evaluate_pages(pages, segmenter=shipped_model)))

    seeds_arg = f" --render-seeds {' '.join(map(str, args.render_seeds))}" if args.render_seeds else ""
    today = date.today().isoformat()
    machine = f"{platform.machine()}, Python {platform.python_version()}"
    seeds = ", ".join(map(str, MODERN_SEEDS))
    parts = [
        format_table(
            rows_modern,
            f"held-out modern month 2020-02 ({len(modern[MODERN_SEEDS[0]])} pages), rendered with seeds {seeds}, "
            "scores over the three renderings",
            today,
        ),
        format_label_table(first[2]),
        format_table(
            rows_res, f"reserved 1998 pages >= 19980125, each rendered {EVAL_COPIES} ways (seed {EVAL_SEED})", today
        ),
        format_label_table(first[1]),
        format_table(rows_real, "real annotated pages (none of them seen in training)", today),
        format_label_table(first[0]),
        format_table(rows_forms, "the same real pages rewritten in another form, default configuration", today),
        *(
            [format_table(rows_seeds, f"reserved 1998 pages rendered with other seeds ({EVAL_COPIES} ways each)", today)]
            if rows_seeds
            else []
        ),
        "Run: `python scripts/evaluate.py" + (" --words" if args.words else "") + seeds_arg + f"` ({machine}); "
        + "; ".join(timing),
    ]
    report = "\n\n".join(parts) + "\n"
    print(report)
    if args.out:
        with open(args.out, "a", encoding="utf-8") as fh:
            fh.write("\n" + report)
    if args.write_gate:
        # the shipped model per tier, checked by tests/test_eval_gate.py; a small margin below today's
        # scores: the gate catches regressions, not noise
        gate = {
            "created": today,
            "what": "the shipped model's minimum scores on rendered pages that training never sees",
            "tiers": [
                {
                    "name": "reserved 1998 pages >= 19980125",
                    "corpus": "pd1998",
                    "seed": EVAL_SEED,
                    "copies": EVAL_COPIES,
                    "data_hash": data_hash(reserved),
                    "min": _mins(shipped_res),
                },
                {
                    "name": "held-out modern month 2020-02",
                    "corpus": "pd2019",
                    "seed": MODERN_SEEDS[0],
                    "copies": 1,
                    "data_hash": data_hash(modern[MODERN_SEEDS[0]]),
                    "min": _mins(shipped_modern_runs[MODERN_SEEDS[0]]),
                },
            ],
        }
        GATE.write_text(json.dumps(gate, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {GATE}")
    return 0


def real_forms(real: list) -> list[tuple[str, list]]:
    """The real pages rewritten in the other forms extractors write, each form's pages under its row name."""
    out = [(style, [restyle_page(t, g, style) for t, g in real]) for style in RESTYLES]
    broken = [paragraphs_broken(text, gold, 0.2, seed) for seed in range(3) for text, gold in real]
    out.append((f"a fifth of the paragraphs broken in two ({len(broken)} pages: 3 seeds)", broken))
    plain_broken = [paragraphs_broken(*restyle_page(t, g, "plain"), 0.2, seed) for seed in range(3) for t, g in real]
    out.append((f"plain, and a fifth of the paragraphs broken ({len(plain_broken)} pages: 3 seeds)", plain_broken))
    for blank in (True, False):
        printed = [printed_lines(text, gold, measure, blank) for measure in (14, 18, 24) for text, gold in real]
        what = "a blank line between paragraphs" if blank else "no blank lines (an OCR engine's lines)"
        out.append((f"printed lines of 14, 18 and 24 characters, {what} ({len(printed)} pages)", printed))
    pictured = [pictures_added(text, gold, 0) for text, gold in real]
    out.append((f"a Markdown picture line above each caption ({len(pictured)} pages)", pictured))
    for rules in (False, True):
        setext = [setext_headings(text, gold, rules) for text, gold in real]
        what = "underlined headings and rules between articles" if rules else "underlined (setext) headings"
        out.append((f"Markdown with {what} ({len(setext)} pages)", setext))
    headed = [running_heads_added(text, gold, form) for form in range(4) for text, gold in real]
    out.append((f"running heads above and foot lines below ({len(headed)} pages: 4 layouts)", headed))
    moved = [(t2, g2) for seed in range(3) for text, gold in real for _, t2, g2 in columns_moved(text, gold, seed)]
    out.append((f"a column printed out of order inside its article ({len(moved)} pages: each article in turn, 3 seeds)", moved))
    for what, rewrite in (("head block after the body", heads_after_bodies), ("article printed twice", articles_printed_twice)):
        rewritten = [(t2, g2) for text, gold in real for _, t2, g2 in rewrite(text, gold)]
        out.append((f"{what} ({len(rewritten)} pages: each article in turn)", rewritten))
    recombined = [page for seed in range(10) for page in articles_recombined(real, seed)]
    for what, pages in (("", recombined), ("plain, ", [restyle_page(t, g, "plain") for t, g in recombined])):
        out.append((f"{what}the articles shuffled onto new pages ({len(pages)} pages: 10 seeds)", pages))
    moved_heads = [(t2, g2) for text, gold in recombined[:12] for _, t2, g2 in heads_after_bodies(text, gold)]
    out.append((f"the articles shuffled, a head block after its body ({len(moved_heads)} pages: each article in turn)", moved_heads))
    return out


def saved_models_report(models: list[str], corpus: str, modern_corpus: str, render_seeds: list[int]) -> str:
    """Saved models scored on every tier without training (``--models``): a dated Markdown table per tier and
    one of the means of record (reserved 1998: the mean over seed 2025 and ``render_seeds``; 2020-02: over
    :data:`MODERN_SEEDS`)."""
    from segmenter.api import load_model

    loaded = [(name, load_model(None if name == "-" else name)) for name in models]
    label = {name: "shipped model" if name == "-" else name for name in models}
    real = annotated_pages(DEFAULT_PAGES, DEFAULT_GOLD)
    tiers: list[tuple[str, list]] = [("real annotated pages", real)]
    for seed in [EVAL_SEED, *render_seeds]:
        pages = rendered_pages(corpus, split="eval", seed=seed, copies=EVAL_COPIES)
        tiers.append((f"reserved 1998 pages >= 19980125, seed {seed} ({EVAL_COPIES} ways each)", pages))
    for seed in MODERN_SEEDS:
        tiers.append((f"held-out modern month 2020-02, seed {seed}", rendered_pages(modern_corpus, split="eval", seed=seed, copies=1)))
    # the real pages in other extractors' forms: what tells how a model trained without them reads real pages
    # (a model trained on them, as the shipped one is, has seen their text)
    tiers += [(f"real pages, {name}", pages) for name, pages in real_forms(real)]
    today = date.today().isoformat()
    scored = {title: [(label[name], evaluate_pages(pages, segmenter=model)) for name, model in loaded] for title, pages in tiers}
    parts = [format_table(rows, title, today) for title, rows in scored.items()]
    means = ["| model | reserved 1998, mean article F1 | 2020-02, mean article F1 | 2020-02, mean headline accuracy "
             "| real pages' forms, article F1 (pooled) |",
             "| --- | ---: | ---: | ---: | ---: |"]

    def mean(runs: list[Scores], key: str) -> float:
        """The mean of a score over renderings, each rendering weighing the same (the means of record)."""
        return sum(getattr(x, key) for x in runs) / len(runs)

    for k, (name, _) in enumerate(loaded):
        old = [rows[k][1] for title, rows in scored.items() if title.startswith("reserved")]
        new = [rows[k][1] for title, rows in scored.items() if title.startswith("held-out")]
        forms = mean_scores([rows[k][1] for title, rows in scored.items() if title.startswith("real pages, ")])
        means.append(f"| {label[name]} | {mean(old, 'article_f1'):.4f} | {mean(new, 'article_f1'):.4f} | "
                     f"{mean(new, 'headline_accuracy'):.4f} | {forms.article_f1:.4f} |")
    seeds_arg = f" --render-seeds {' '.join(map(str, render_seeds))}" if render_seeds else ""
    parts.append(f"### {today} — means over the renderings\n\n" + "\n".join(means))
    parts.append(f"Run: `python scripts/evaluate.py --models {' '.join(models)}{seeds_arg}`")
    return "\n\n".join(parts) + "\n"


def _mins(scores: object) -> dict[str, float]:
    row = scores.as_row()  # type: ignore[attr-defined]
    keys = ("article_f1", "content_f1", "headline_accuracy", "line_macro_f1", "bcubed_f1", "join_f1")
    return {k: round(max(0.0, row[k] - 0.02), 3) for k in keys}


if __name__ == "__main__":
    sys.exit(main())
