"""Training the line classifier from annotated pages and rendered corpus pages.

Two sources of labelled lines, in the gold format of ``data/gold/README.md``:

* annotated pages (``pages/X.txt`` + ``gold/X.json``), e.g. a user's own;
* People's Daily corpus pages of both eras (1998 dated up to :data:`~segmenter.corpus.CORPUS_SPLIT_DATE`,
  modern of :data:`~segmenter.corpus.MODERN_TRAIN_MONTHS`), rendered into realistic page text by
  :mod:`segmenter.render`, which knows the gold of what it writes;
* typeset pages (``--typeset``: rendered pages set as PDFs by ``scripts/typeset.py build``), read as
  ``split`` reads a PDF and pdftotext's text, each line labelled by the gold line its text came from
  (:func:`segmenter.typeset.training_pages`).

Deterministic for a seed. ``segmenter train`` (or ``scripts/train.py``) writes the model and its meta card.
"""

from __future__ import annotations

import argparse
import logging
import re
import time
import zlib
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from .era import page_era
from .features import LineContext, PageView
from .lines import split_lines
from .model import model_files

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent


def data_base(package_parent: Path = ROOT) -> Path:
    """Where the default data folders are: run from a clone (the package beside setup.cfg), the clone;
    installed, the current directory -- never site-packages."""
    return package_parent if (package_parent / "setup.cfg").is_file() else Path(".")


_BASE = data_base()
#: the shared corpora sit beside the clone (or beside the current folder)
_SHARED = (ROOT.parent if _BASE == ROOT else Path("..")) / "shared"
DEFAULT_CORPUS = _SHARED / "corpora" / "pd1998" / "pages.jsonl.gz"
DEFAULT_MODERN_CORPUS = _SHARED / "corpora" / "pd2019" / "pages.jsonl.gz"
#: what ``segmenter train`` renders by default: both eras
DEFAULT_CORPORA = (DEFAULT_CORPUS, DEFAULT_MODERN_CORPUS)
#: inverse regularisation strength of the line classifier's logistic regression
LINE_C = 2.0
#: folds of the training pages for the context pass's probabilities (:mod:`segmenter.context`)
CONTEXT_FOLDS = 3
#: folds of the training pages for the decision models' labels (:class:`OutOfFold`)
FOLDS = 1
DEFAULT_PAGES = _BASE / "data" / "pages"
DEFAULT_GOLD = _BASE / "data" / "gold"
#: where ``segmenter train`` without ``--out`` writes: a new file here (see :func:`default_out`)
DEFAULT_OUT_DIR = Path("models")

Page = tuple[str, dict[str, Any]]


def page_samples(text: str, gold: dict[str, Any], era_model: Any = None) -> tuple[list[LineContext], list[str]]:
    """Classifier samples and their gold labels for one page.

    Lines are split exactly as at prediction time; each gets the label of its gold line number.

    Raises
    ------
    ValueError
        When a non-empty line has no gold label (the annotation does not fit the text).
    """
    lines = split_lines(text)
    by_n = {item["n"]: item["label"] for item in gold["lines"]}
    missing = [line.n for line in lines if line.n not in by_n]
    if missing:
        raise ValueError(f"{gold.get('source', '<page>')}: lines {missing[:5]} have no gold label")
    era = page_era(era_model, [line.text for line in lines])
    return PageView(lines, era=era).contexts(), [by_n[line.n] for line in lines]


def samples(pages: Iterable[Page], era_model: Any = None) -> tuple[list[LineContext], list[str]]:
    """Samples and labels of many pages, concatenated (each page read in its era where ``era_model`` is given)."""
    X: list[LineContext] = []
    y: list[str] = []
    for text, gold in pages:
        xs, ys = page_samples(text, gold, era_model)
        X += xs
        y += ys
    return X, y


#: read each page's features also as its era's (segmenter.era; research.md, "the page's era")
ERA = True
#: share of training renderings whose heading marks are all set to one level (see ``render_corpus``)
ONE_LEVEL = 0.25
#: share of training renderings whose headings are written in bold instead of ``#`` (see ``render_corpus``)
BOLD = 0.08


#: with several corpora, a smaller one is rendered up to this many times as often as ``copies`` says
BALANCE_CAP = 4


def balanced_copies(sizes: Sequence[int], copies: int, cap: int = BALANCE_CAP) -> list[int]:
    """Renderings per page for corpora of ``sizes`` pages, so that each weighs about as much as the largest.

    Examples
    --------
    >>> balanced_copies([226, 1332], 3)
    [12, 3]
    >>> balanced_copies([500, 600], 2)
    [2, 2]
    """
    largest = max(sizes, default=0)
    return [max(copies, min(cap * copies, round(copies * largest / size))) if size else copies for size in sizes]


def rendered_pages(
    corpus: str | Path | Sequence[str | Path],
    *,
    split: str,
    seed: int,
    copies: int,
    limit: int | None = None,
    balance: bool = False,
) -> list[Page]:
    """Corpus pages of one split rendered into page text with their gold.

    ``corpus`` is one corpus file or several (both eras: :data:`DEFAULT_CORPORA`), rendered one after
    the other; ``limit`` caps the pages taken from each; ``balance`` renders a smaller corpus more often
    (:func:`balanced_copies`), so that the 278 pages of 1998 are not outweighed by the modern months.
    Training renderings (``split="train"``) also get :data:`ONE_LEVEL` of their pages with every heading
    at one level; evaluation renderings are left as drawn.
    """
    from .corpus import read_corpus
    from .render import render_corpus

    paths = [corpus] if isinstance(corpus, (str, Path)) else list(corpus)
    train = split == "train"
    corpora = []
    for path in paths:
        pages = read_corpus(path, split=split)  # type: ignore[arg-type]
        corpora.append(pages[:limit] if limit is not None else pages)
    counts = balanced_copies([len(pages) for pages in corpora], copies) if balance else [copies] * len(corpora)
    result: list[Page] = []
    for pages, n in zip(corpora, counts):
        result += render_corpus(
            pages, seed=seed, copies=n, one_level=ONE_LEVEL if train else 0.0, bold=BOLD if train else 0.0
        )
    return result


def read_annotated(pages_dir: str | Path, gold_dir: str | Path) -> list[Any]:
    """Annotated pages as :class:`~segmenter.corpus.GoldPage`; empty when the folders do not exist."""
    from .corpus import read_gold_pages

    if not Path(pages_dir).is_dir() or not Path(gold_dir).is_dir():
        return []
    return read_gold_pages(pages_dir, gold_dir)


def annotated_pages(pages_dir: str | Path, gold_dir: str | Path) -> list[Page]:
    """Annotated pages as (text, gold) pairs; empty when the folders do not exist."""
    return [(p.text, p.gold) for p in read_annotated(pages_dir, gold_dir)]


#: seeds of the rewritten forms of annotated pages added to training (the tests' rewrites use 0-9)
_FORM_SEEDS = range(100, 10_000)


def annotated_forms(pages: Sequence[Page], copies: int, seed: int) -> list[Page]:
    """Annotated pages in other extractors' forms, ``copies`` rounds of them, as extra training pages.

    A user's own annotated pages are few beside thousands of rendered corpus pages; each round adds every
    page once more in each form of :data:`segmenter.render.RESTYLES`, with a fifth of its paragraphs
    broken in two, with one head block after its body, and the pages' articles shuffled onto new pages,
    each drawn with its own seed (none that the tests' rewrites use).
    """
    from .render import RESTYLES, articles_recombined, heads_after_bodies, paragraphs_broken, restyle_page

    out: list[Page] = []
    if not pages:
        return out
    for k in range(copies):
        round_seed = _FORM_SEEDS[(seed * 97 + k) % len(_FORM_SEEDS)]
        for text, gold in pages:
            out += [restyle_page(text, gold, style) for style in RESTYLES]
            out.append(paragraphs_broken(text, gold, 0.2, round_seed))
            moved = heads_after_bodies(text, gold)
            if moved:
                _, t2, g2 = moved[round_seed % len(moved)]
                out.append((t2, g2))
        out += articles_recombined(list(pages), round_seed)
    return out


def page_is_modern(gold: dict[str, Any]) -> bool:
    """Whether a training page is of the modern era: every page but the 1998 corpus's (the annotated pages are
    of 2026)."""
    return not str(gold.get("source", "")).startswith("pd1998")


def fit(pages: Sequence[Page], *, words: bool = False, C: float = LINE_C, seed: int = 0, era: bool = ERA) -> Any:
    """Fit a fresh line-classifier Pipeline on labelled pages.

    Parameters
    ----------
    pages : sequence of (text, gold)
        Training pages.
    words : bool, default=False
        Word features for short lines.
    C : float, default=LINE_C
        Inverse regularisation strength.
    seed : int, default=0
        Random state.

    Returns
    -------
    Pipeline
        The fitted model.
    """
    from .pipeline import make_pipeline

    era_model = None
    modern = [page_is_modern(gold) for _, gold in pages]
    if era and len(set(modern)) == 2:
        from .era import EraModel

        era_model = EraModel(seed=seed).fit([[line.text for line in split_lines(t)] for t, _ in pages], modern)
    X, y = samples(pages, era_model)
    logger.info("training on %d lines of %d pages", len(y), len(pages))
    pipeline = make_pipeline(words=words, C=C, seed=seed).fit(X, y)
    pipeline.era_model_ = era_model  # how modern a page reads, for predict_lines (None: features uncrossed)
    return pipeline


class OutOfFold:
    """Line models each trained without one fold of the training pages, standing in for the line model
    where the decision models learn from its labels (:func:`segmenter.breaks.labelled_pages`).

    At split time the head and break models read the labels of a page the line model never saw; read off
    the pages it was fitted on, the labels are better than they will ever be, and the decision models may
    learn to trust them too much. Each page's labels here come from the model that did not see it (nor
    any other rendering of the same page: folds go by the page, :func:`page_key`). Measured on
    2026-12-06 it did not help (``docs/research.md``), so ``segmenter train`` uses it only with
    ``--folds 2`` or more.
    """

    def __init__(self, models: Sequence[Any], folds: int, context: Any = None) -> None:
        self.models = list(models)
        self.folds = folds
        #: the context pass that reads each page's probabilities again (:mod:`segmenter.context`), or None
        self.context = context

    @property
    def classes_(self) -> Any:
        return self.models[0].classes_

    def for_page(self, gold: dict[str, Any]) -> Any:
        """The line model that was fitted without this page."""
        return self.models[fold_of(gold, self.folds)]


def page_key(gold: dict[str, Any]) -> str:
    """The page a training page was made from: its source without the rendering's ``_rN`` suffix."""
    return re.sub(r"_r\d+(?=\.[^.]*$|$)", "", str(gold.get("source", "")))


def fold_of(gold: dict[str, Any], folds: int) -> int:
    """The fold of a training page (all renderings of one page in one fold)."""
    return zlib.crc32(page_key(gold).encode("utf-8")) % folds


def without_each_fold(pages: Sequence[Page], folds: int) -> list[list[Page]]:
    """The pages without fold 0, without fold 1, …: what each out-of-fold line model is fitted on."""
    return [[page for page in pages if fold_of(page[1], folds) != k] for k in range(folds)]


def out_of_fold(
    pages: Sequence[Page], folds: int, *, words: bool = False, C: float = LINE_C, seed: int = 0, era: bool = ERA
) -> OutOfFold:
    """Fit one line model per fold on the other folds' pages (see :class:`OutOfFold`)."""
    models = []
    for k, kept in enumerate(without_each_fold(pages, folds)):
        logger.info("out-of-fold line model %d of %d on %d pages", k + 1, folds, len(kept))
        models.append(fit(kept, words=words, C=C, seed=seed, era=era))
    return OutOfFold(models, folds)


def fit_teacher(
    pages: Sequence[Page],
    model: Any,
    *,
    context_folds: int = CONTEXT_FOLDS,
    label_folds: int = 1,
    words: bool = False,
    C: float = LINE_C,
    seed: int = 0,
    era: bool = ERA,
) -> OutOfFold:
    """What labels the training pages for the decision models, as the line model labels a page at split
    time: the line model ``model`` (or, with ``label_folds`` of 2 or more, line models that did not see
    the page) and the context pass (:mod:`segmenter.context`) as its ``context``.

    The context pass learns from the probabilities of ``context_folds`` out-of-fold line models; it is
    ``None`` with ``context_folds`` below 2 or fewer pages than folds.
    """
    from .context import fit_context

    def enough(folds: int, otherwise: str) -> bool:
        if len({fold_of(gold, folds) for _, gold in pages}) == folds:
            return True
        logger.warning("too few pages for %d folds: %s", folds, otherwise)
        return False

    context, oof = None, None
    if context_folds > 1 and enough(context_folds, "trained without a context pass"):
        oof = out_of_fold(pages, context_folds, words=words, C=C, seed=seed, era=era)
        context = fit_context(pages, oof, seed=seed)
    teacher = OutOfFold([model], 1, context)
    if label_folds > 1 and enough(label_folds, "the decision models learn from the line model's own labels"):
        teacher = oof if oof is not None and oof.folds == label_folds else out_of_fold(pages, label_folds, words=words, C=C, seed=seed, era=era)
        teacher.context = context
    return teacher


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``segmenter train``."""
    from .typeset import EXTRACTED_FORMS

    parser.add_argument(
        "--corpus",
        nargs="*",
        default=[str(path) for path in DEFAULT_CORPORA],
        metavar="PAGES_JSONL_GZ",
        help="corpus files to render (default: ../shared/corpora/pd1998 and pd2019 pages.jsonl.gz; '' to train "
        "on annotated pages only)",
    )
    parser.add_argument("--pages", default=str(DEFAULT_PAGES), help="folder of annotated page .txt files")
    parser.add_argument("--gold", default=str(DEFAULT_GOLD), help="folder of their gold .json files")
    parser.add_argument(
        "--out",
        help="model file to write (.joblib; card and arrays beside it); default: a new models/model-DATE.joblib",
    )
    parser.add_argument("--copies", type=int, default=3, help="renderings per corpus page")
    parser.add_argument(
        "--annotated-copies",
        type=int,
        default=0,
        help="rounds of the annotated pages' rewritten forms added to training (weighs your own pages up)",
    )
    parser.add_argument(
        "--typeset",
        nargs="+",
        metavar="DIR",
        help="folders of typeset pages (scripts/typeset.py build --split train): their PDF, pdftotext and "
        "pdftotext -layout text, read as split reads them, are added to training with the typesetter's gold",
    )
    parser.add_argument(
        "--typeset-forms",
        nargs="+",
        choices=EXTRACTED_FORMS,
        default=list(EXTRACTED_FORMS),
        metavar="FORM",
        help=f"which forms of the typeset pages to add: {', '.join(EXTRACTED_FORMS)} (pdftotext -layout; "
        "default: all)",
    )
    parser.add_argument("--seed", type=int, default=13, help="random seed of the renderings and the models")
    parser.add_argument("--C", type=float, default=LINE_C, help="the line classifier's inverse regularisation strength")
    parser.add_argument(
        "--folds",
        type=int,
        default=FOLDS,
        help="the head and break models learn from the labels of line models each fitted without one of this "
        "many folds of the pages (1: the line model's own labels of the pages it was fitted on)",
    )
    parser.add_argument("--words", action="store_true", help="add pkuseg word features for short lines")
    parser.add_argument(
        "--no-era",
        action="store_true",
        help="do not read each page's features also as its era's (the era is learned only when the training "
        "pages hold both 1998 and modern pages)",
    )
    parser.add_argument("--limit", type=int, help="use only the first N pages of each corpus (quick runs)")
    parser.add_argument("--no-eval", action="store_true", help="skip scoring on reserved corpus pages")
    parser.add_argument(
        "--no-context",
        action="store_true",
        help="no context pass: each line keeps the label the classifier gives it alone (saves three fits)",
    )
    parser.add_argument(
        "--no-breaks", action="store_true", help="no article-break model: the stitcher splits by its rules alone"
    )
    parser.add_argument(
        "--no-heads", action="store_true", help="no head model: the stitcher's rules decide head lines inside text"
    )
    parser.add_argument(
        "--no-merges", action="store_true", help="no merge model: no article joins the one before it once put together"
    )
    parser.add_argument(
        "--no-joins",
        action="store_true",
        help="no join model: the stitcher's rules say which line carries on a paragraph broken at a column end",
    )
    parser.add_argument(
        "--no-titles",
        action="store_true",
        help="no title model: the classifier's headline of each title block stands",
    )
    parser.add_argument(
        "--no-lexicon",
        action="store_true",
        help="no word lexicon (built with pkuseg from the corpora's training text, minutes): split then asks "
        "the full pkuseg model whether a word runs across a break",
    )


def default_out(folder: str | Path = DEFAULT_OUT_DIR, today: date | None = None) -> Path:
    """A model path in ``folder`` that no file of another model has: ``model-DATE.joblib``, ``-2``, ``-3`` ..."""
    stem = f"model-{(today or date.today()).isoformat()}"
    for k in range(1, 10_000):
        path = Path(folder) / (f"{stem}.joblib" if k == 1 else f"{stem}-{k}.joblib")
        if not any(file.exists() for file in model_files(path)):
            return path
    raise ValueError(f"{folder}: no free model name (give --out)")


def out_problem(out: str | Path) -> str | None:
    """Why ``segmenter train --out OUT`` must not write there without ``--overwrite``; ``None`` if it may.

    Refused: a name not ending in ``.joblib`` (the card and arrays are named after it), any model file
    inside the installed package (the shipped model), and files there that are not a model written by
    segmenter (no card of segmenter's beside them). A model segmenter wrote at ``OUT`` may be replaced.
    """
    from .model import FORMAT
    from .write import PACKAGE_DIR, is_inside_package

    out = Path(out)
    if out.suffix != ".joblib":
        return f"--out {out}: a model file name ends in .joblib"
    if is_inside_package(out):
        return f"--out {out}: inside the installed segmenter package ({PACKAGE_DIR}), e.g. the shipped model"
    existing = [f for f in model_files(out) if f.exists()]
    if not existing:
        return None
    card = out.with_suffix(".json")
    try:
        import json

        ours = json.loads(card.read_text(encoding="utf-8")).get("format") == FORMAT
    except (OSError, ValueError, AttributeError):
        ours = False
    if not ours:
        return f"--out {out}: {existing[0]} exists and is not part of a model written by segmenter"
    return None


def fit_decisions(
    pages: Sequence[Page],
    teacher: Any,
    *,
    crosses: Any = None,
    seed: int = 0,
    parts: Iterable[str] | None = None,
    given: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The decision models (:data:`segmenter.model.DECISIONS`) fitted in their order, each on the walk the
    ones before it make: the head model first (its decisions shape the walk the break model is asked in),
    then the break and merge models, and last the join and title models, which read each article as the
    others leave it, with the word test ``crosses`` split will ask (the model's own lexicon's; none without one).

    Parameters
    ----------
    pages : sequence of (str, dict)
        The training pages.
    teacher : OutOfFold or Pipeline
        What labels the pages (:func:`fit_teacher`).
    crosses : callable, optional
        The word test.
    seed : int
        The fits' seed.
    parts : iterable of str, optional
        The parts to fit (all by default); the others come from ``given`` (``None`` when not there): a
        model's own, when some of its parts are fitted again (``scripts/add_decisions.py``).
    given : dict, optional
        Decision models by part name.

    Returns
    -------
    dict
        Part name to its decision model's arrays (:class:`segmenter.breaks.BreakModel`); ``None`` for a part
        not fitted and not given, or one the pages gave no samples of both kinds for (with a warning).
    """
    from .breaks import BREAK_C, Walk, as_break_model, fit_breaks
    from .heads import HEAD_C, fit_heads
    from .joins import JOIN_C, as_join_model, fit_joins
    from .merges import MERGE_C, as_merge_model, fit_merges
    from .model import DECISIONS
    from .titles import TITLE_C, as_title_model, fit_titles

    wanted = set(DECISIONS if parts is None else parts)
    have: dict[str, Any] = {part: (given or {}).get(part) for part in DECISIONS}
    for part in DECISIONS:
        if part not in wanted:
            continue
        if part == "heads":
            have[part] = as_break_model(fit_heads(pages, teacher, C=HEAD_C, seed=seed))
        elif part == "breaks":
            have[part] = as_break_model(fit_breaks(pages, teacher, C=BREAK_C, seed=seed, heads=have["heads"]))
        elif part == "merges":
            # the merge model's walk has never had a word test
            walk = Walk(heads=have["heads"], breaks=have["breaks"])
            have[part] = as_merge_model(fit_merges(pages, teacher, walk, C=MERGE_C, seed=seed))
        else:
            joins = have["joins"] if part == "titles" else None
            walk = Walk(heads=have["heads"], breaks=have["breaks"], merges=have["merges"], joins=joins, crosses=crosses)
            if part == "joins":
                have[part] = as_join_model(fit_joins(pages, teacher, walk, C=JOIN_C, seed=seed))
            else:
                have[part] = as_title_model(fit_titles(pages, teacher, walk, C=TITLE_C, seed=seed))
    return have


def _scores_table(scores: dict[str, dict[str, float]]) -> str:
    """The reserved pages' scores of a trained model, one line per corpus."""
    keys = ("article_f1", "headline_accuracy", "line_macro_f1")
    rows = [f"  {'scored on':<34} " + " ".join(f"{k:>17}" for k in keys)]
    for name, row in scores.items():
        rows.append(f"  {name:<34} " + " ".join(f"{row.get(k, float('nan')):>17.3f}" for k in keys))
    return "\n".join(rows)


def run(args: argparse.Namespace) -> str:
    """Train, save the model and its meta card, and return a summary (``segmenter train``)."""
    from .breaks import BREAK_C
    from .heads import HEAD_C
    from .joins import JOIN_C
    from .merges import MERGE_C
    from .model import DECISIONS
    from .titles import TITLE_C
    from .corpus import CORPUS_SPLIT_DATE, MODERN_TRAIN_MONTHS, corpus_hash, gold_hash
    from .model import save_model

    t0 = time.perf_counter()
    pages: list[Page] = []
    data: dict[str, Any] = {}
    corpora = [path for path in (args.corpus or []) if path]
    for path in corpora:
        if not Path(path).is_file():
            raise ValueError(f"{path}: corpus file not found (give --corpus PATH..., or --corpus '' to skip it)")
    if getattr(args, "typeset", None):
        # first: a wrong folder is told before minutes of rendering
        from .typeset import training_pages

        typeset, data["typeset"] = training_pages(args.typeset, getattr(args, "typeset_forms", None))
        pages += typeset
    if corpora:
        rendered = rendered_pages(
            corpora, split="train", seed=args.seed, copies=args.copies, limit=args.limit, balance=True
        )
        pages += rendered
        data["corpus"] = {
            "files": [{"file": Path(path).name, "sha256": corpus_hash(path)} for path in corpora],
            "split": f"1998 dates <= {CORPUS_SPLIT_DATE}; modern months {', '.join(MODERN_TRAIN_MONTHS)}",
            "rendered_pages": len(rendered),
            "copies": args.copies,
            "balanced": True,
            "limit": args.limit,
        }
    annotated = read_annotated(args.pages, args.gold)
    own = [(p.text, p.gold) for p in annotated]
    pages += own + annotated_forms(own, args.annotated_copies, args.seed)
    if annotated:
        data["annotated"] = {
            "pages": [p.gold.get("source") for p in annotated],
            "sha256": gold_hash(annotated),
            "rewritten_rounds": args.annotated_copies,
        }
    if not pages:
        raise ValueError("no training pages: give --corpus or --pages/--gold with annotated pages")
    words = args.words
    era = ERA and not getattr(args, "no_era", False)
    model = fit(pages, words=words, C=args.C, seed=args.seed, era=era)
    # the decision models on the same pages, as the stitcher meets them with the fitted classifier's labels
    # (or, with --folds, those of line models that did not see the page), in order (fit_decisions)
    teacher = fit_teacher(
        pages,
        model,
        context_folds=0 if args.no_context else CONTEXT_FOLDS,
        # out-of-fold labels only where a head or break model learns from them
        label_folds=1 if args.no_heads and args.no_breaks else args.folds,
        words=words,
        C=args.C,
        seed=args.seed,
        era=era,
    )
    context = teacher.context
    lexicon = None
    if corpora and not args.no_lexicon:
        from .lexicon import build_lexicon, training_texts

        lexicon = build_lexicon(training_texts(corpora, args.limit))
    crosses = lexicon.crosses if lexicon is not None else None
    fitted = fit_decisions(
        pages,
        teacher,
        crosses=crosses,
        seed=args.seed,
        parts=[part for part in DECISIONS if not getattr(args, f"no_{part}", False)],
    )
    heads, breaks, merges, joins, titles = (fitted[part] for part in DECISIONS)
    seconds = time.perf_counter() - t0
    meta: dict[str, Any] = {
        "created": date.today().isoformat(),
        "words": words,
        "params": {
            "C": args.C,
            "seed": args.seed,
            "folds": teacher.folds,
            "era": getattr(model, "era_model_", None) is not None,
            "context": None if context is None else {"C": context.C, "window": context.window, "folds": CONTEXT_FOLDS},
            "breaks": None if breaks is None else {"C": BREAK_C},
            "heads": None if heads is None else {"C": HEAD_C},
            "merges": None if merges is None else {"C": MERGE_C},
            "joins": None if joins is None else {"C": JOIN_C, "words": "lexicon" if lexicon is not None else "none"},
            "titles": None if titles is None else {"C": TITLE_C},
        },
        "training_data": data,
        "training_lines": sum(len(g["lines"]) for _, g in pages),
        "training_seconds": round(seconds, 1),
    }
    if corpora and not args.no_eval:
        from .evaluate import evaluate_pages

        meta["scores"] = {}
        for path in corpora:
            reserved = rendered_pages(path, split="eval", seed=args.seed + 1, copies=1)
            scores = evaluate_pages(
                reserved,
                model_pipeline=model,
                # the word test split asks of this model: its own lexicon's (``words`` is the classifier's
                # word features, not this)
                words=crosses if crosses is not None else "none",
                context=context,
                **fitted,
            )
            meta["scores"][f"reserved_{Path(path).parent.name}_rendered"] = scores.as_row()
    card = save_model(model, args.out, meta, lexicon=lexicon, context=context, **fitted)
    summary = f"wrote {args.out} and {card.name}: {meta['training_lines']} lines, {seconds:.0f} s"
    if meta.get("scores"):
        summary += "\nscores on reserved corpus pages (rendered):\n" + _scores_table(meta["scores"])
    summary += f"\nuse it with: segmenter split PAGE.txt --model {args.out}"
    return summary
