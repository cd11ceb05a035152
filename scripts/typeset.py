#!/usr/bin/env python3
"""Build and score the typeset PDF set: rendered corpus pages set as multi-column PDFs.

Each corpus page of the chosen split is rendered (:func:`segmenter.train.rendered_pages`, as
``scripts/evaluate.py`` renders its held-out pages), typeset as a PDF (:mod:`segmenter.typeset`) and
extracted with poppler's ``pdftotext`` in its default and its ``-layout`` mode. For each page the
directory gets ``NAME.pdf``, ``NAME.txt`` (default mode), ``NAME.layout.txt`` and ``NAME.gold.json`` (the
rendered page's gold plus every printed line with the gold line it came from).

``score`` then splits every form with the shipped model (or ``--model``) and prints article scores against the gold:
the rendered paragraph text, the pdftotext forms read as they come (no reflow) and reflowed
(:mod:`segmenter.reflow`), and the PDF read by :mod:`segmenter.pdf`. Line numbers differ between the
forms, so the line-level scores (labels, B-cubed) are not comparable: only the article-level ones are
printed.

    python scripts/typeset.py build --era 1998 --split eval --out /tmp/ts98        # 52 reserved pages
    python scripts/typeset.py build --era modern --split eval --limit 60 --out /tmp/tsmod
    python scripts/typeset.py score /tmp/ts98 /tmp/tsmod
    python scripts/typeset.py bench /tmp/ts98 /tmp/tsmod                        # warm seconds a page
    python scripts/typeset.py compare /tmp/ts98     # pypdfium2, pdfplumber, PyMuPDF (those installed)
    python scripts/typeset.py build --era 1998 --split train --out /tmp/tstrain  # for train --typeset
    python scripts/typeset.py build --era 1998 --split eval --typesetter chromium --out /tmp/ch98  # HTML+CSS

Needs reportlab, a CJK font and poppler-utils (``bash scripts/install.sh typeset`` and
``apt-get install -y fonts-wqy-microhei poppler-utils``); ``--typesetter chromium`` sets the pages in HTML
and CSS and prints them with headless chromium instead (:mod:`segmenter.typeset_html`; ``apt-get install
-y chromium fonts-noto-cjk fonts-wqy-microhei poppler-utils``), a second typesetter to evaluate on.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from datetime import date
from pathlib import Path

from segmenter.train import DEFAULT_CORPUS, DEFAULT_MODERN_CORPUS, rendered_pages

#: the seed the held-out pages are rendered with (as scripts/evaluate.py's reserved pages)
EVAL_SEED = 2025
TRAIN_SEED = 13
#: the text forms of a typeset page: (form, file suffix)
TEXT_FORMS = (("paragraph text", ".para.txt"), ("pdftotext", ".txt"), ("pdftotext -layout", ".layout.txt"))


def build(args: argparse.Namespace) -> int:
    from segmenter.typeset import pdftotext, printed_to_json, typeset

    corpus = DEFAULT_CORPUS if args.era == "1998" else DEFAULT_MODERN_CORPUS
    seed = args.seed if args.seed is not None else (EVAL_SEED if args.split == "eval" else TRAIN_SEED)
    pages = rendered_pages(corpus, split=args.split, seed=seed, copies=args.copies)
    if args.limit is not None:
        step = max(1, len(pages) // args.limit)  # spread over the month, not its first days
        pages = pages[::step][: args.limit]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    for text, gold in pages:
        name = Path(str(gold["source"])).stem
        rng = random.Random(f"{seed}:{name}")
        if args.typesetter == "chromium":  # the second typesetter: HTML and CSS printed by chromium
            from segmenter.typeset_html import typeset_html

            pdf, style = typeset_html(gold, rng, one_page=not args.run_over)
            record = {"gold": gold, "printed": [], "typesetter": "chromium", "style": style}
        else:
            pdf, printed = typeset(gold, rng)
            record = {"gold": gold, "printed": printed_to_json(printed)}
        (out / f"{name}.pdf").write_bytes(pdf)
        (out / f"{name}.txt").write_text(pdftotext(pdf), encoding="utf-8")
        (out / f"{name}.layout.txt").write_text(pdftotext(pdf, layout=True), encoding="utf-8")
        (out / f"{name}.para.txt").write_text(text, encoding="utf-8")
        (out / f"{name}.gold.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    seconds = time.perf_counter() - t0
    print(f"{len(pages)} pages typeset ({args.typesetter}) into {out} in {seconds:.0f} s", file=sys.stderr)
    return 0


#: forms that bound what a text extraction can reach: the rendering without its Markdown heading marks
#: (no text extractor sees a mark), and the printed lines in the order they were set (an extractor that
#: never merges columns nor mixes their lines; a blank line where a column or a size ends)
ORACLE_FORMS = ("paragraph text, heading marks removed", "printed lines in reading order (ideal extractor)")


def unmarked(text: str) -> str:
    """Paragraph text with its Markdown heading marks (``#``, ``##`` ...) removed."""
    return re.sub(r"(?m)^#+[ \t]+", "", text)


def printed_in_order(printed: list[dict]) -> str:
    """The printed lines in the order they were set, one a line, a blank line where a column ends (the
    next line is set higher up, far lower, on another page or in another size)."""
    out: list[str] = []
    prev: dict | None = None
    for line in printed:
        if prev is not None and (
            line["page"] != prev["page"]
            or line["y"] > prev["y"]
            or prev["y"] - line["y"] > 3 * line["size"]
            or abs(line["size"] - prev["size"]) > 0.01
        ):
            out.append("")
        out.append(line["text"])
        prev = line
    return "\n".join(out) + "\n"


def _forms(folder: Path, oracles: bool = False) -> dict[str, list[tuple[object, dict]]]:
    """Each form's (page input, gold) pairs; a form's input is text, or a PdfText for the PDF."""
    from segmenter.pdf import read_pdf

    forms: dict[str, list[tuple[object, dict]]] = {}
    for gold_path in sorted(folder.glob("*.gold.json")):
        name = gold_path.name.removesuffix(".gold.json")
        record = json.loads(gold_path.read_text(encoding="utf-8"))
        gold = record["gold"]
        for form, suffix in TEXT_FORMS:
            forms.setdefault(form, []).append(((folder / f"{name}{suffix}").read_text(encoding="utf-8"), gold))
        if oracles:
            para = (folder / f"{name}.para.txt").read_text(encoding="utf-8")
            forms.setdefault(ORACLE_FORMS[0], []).append((unmarked(para), gold))
            if record["printed"]:  # chromium's pages keep no per-line record
                forms.setdefault(ORACLE_FORMS[1], []).append((printed_in_order(record["printed"]), gold))
        forms.setdefault("PDF", []).append((read_pdf((folder / f"{name}.pdf").read_bytes(), name=name), gold))
    return forms


def score(args: argparse.Namespace) -> int:
    from segmenter.api import load_model
    from segmenter.evaluate import score_pages

    model = load_model(args.model)
    today = date.today().isoformat()
    rows = []
    for folder in map(Path, args.folders):
        for form, pages in _forms(folder, oracles=args.oracles).items():
            if args.forms and not any(form.startswith(f) for f in args.forms):
                continue
            variants = [("", True)]
            if form.startswith(("pdftotext", "printed lines")):
                variants = [(" as it comes (no reflow)", False), (" reflowed", True)]
            for what, reflow in variants:
                t0 = time.perf_counter()
                pairs = [
                    ([a.to_dict() for a in model.split(text, source=str(gold["source"]), reflow=reflow)], gold)
                    for text, gold in pages
                ]
                s = score_pages(pairs).as_row()
                secs = (time.perf_counter() - t0) / max(len(pages), 1)
                rows.append(
                    f"| {folder.name} | {form}{what} | {len(pages)} | {s['article_f1']:.3f} | {s['content_f1']:.3f} "
                    f"| {s['headline_accuracy']:.3f} | {secs:.2f} |"
                )
                print(rows[-1], file=sys.stderr)
    print(f"Typeset pages, {args.model or 'shipped model'} ({today})\n")
    print("| set | form | pages | article F1 | content F1 | headline acc. | s/page |")
    print("|---|---|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    return 0


def page_style(printed: list[dict]) -> tuple[float, float, float]:
    """The body size, the narrowest column gutter and the leading of a typeset page, the last two in
    multiples of the body size (ems), measured from its printed lines (first page, body-size lines)."""
    from collections import Counter

    body = Counter(round(p["size"], 2) for p in printed).most_common(1)[0][0]
    lines = [p for p in printed if round(p["size"], 2) == body and p["page"] == 0]
    lefts = sorted(x for x, k in Counter(round(p["x0"]) for p in lines).items() if k > 5)
    rights = sorted(x for x, k in Counter(round(p["x1"]) for p in lines).items() if k > 5)
    gaps = [min((a - b for a in lefts if a > b), default=0.0) for b in rights]
    gutter = min((g for g in gaps if g > 0), default=float("nan"))
    column = sorted({p["y"] for p in lines if lefts and abs(p["x0"] - lefts[0]) < 1}, reverse=True)
    steps = Counter(round(a - b, 1) for a, b in zip(column, column[1:]))
    leading = steps.most_common(1)[0][0] if steps else float("nan")
    return body, gutter / body, leading / body


def styles(args: argparse.Namespace) -> int:
    """Article F1 of pdftotext text by the page's leading and gutter (pdftotext's own thresholds)."""
    from segmenter.api import load_model
    from segmenter.evaluate import score_pages

    model = load_model()
    groups: dict[tuple[str, str, str], list[tuple[list, dict]]] = {}
    single: dict[tuple[str, str], list[int]] = {}  # lines of default-mode text that are one printed line
    for folder in map(Path, args.folders):
        for gold_path in sorted(folder.glob("*.gold.json")):
            record = json.loads(gold_path.read_text(encoding="utf-8"))
            gold = record["gold"]
            _, gutter, leading = page_style(record["printed"])
            # pdftotext: baselines more than 1.5 font sizes apart are not one block; words up to 1.5 font
            # sizes apart are one line (poppler TextOutputDev.cc, maxLineSpacingDelta / maxWordSpacing)
            lead = "leading >= 1.5 em" if leading >= 1.5 else "leading < 1.5 em"
            gut = "gutter >= 1.5 em" if gutter >= 1.5 else "gutter < 1.5 em" if gutter == gutter else "gutter not measured"
            printed = {p["text"].replace(" ", "") for p in record["printed"]}
            plain = gold_path.with_name(gold_path.name.removesuffix(".gold.json") + ".txt").read_text(encoding="utf-8")
            lines = [line.replace(" ", "") for line in plain.splitlines() if line.strip()]
            counts = single.setdefault((folder.name, lead), [0, 0])
            counts[0] += sum(line in printed for line in lines)
            counts[1] += len(lines)
            for form, suffix in TEXT_FORMS[1:]:
                text = gold_path.with_name(gold_path.name.removesuffix(".gold.json") + suffix).read_text(encoding="utf-8")
                records = [a.to_dict() for a in model.split(text, source=str(gold["source"]))]
                for key in ((folder.name, form, lead), (folder.name, form, gut)):
                    groups.setdefault(key, []).append((records, gold))
    print(f"pdftotext text reflowed, by the page's typesetting ({date.today().isoformat()})\n")
    print("| set | form | pages typeset with | pages | article F1 |")
    print("|---|---|---|---:|---:|")
    for (name, form, what), pairs in sorted(groups.items()):
        print(f"| {name} | {form} | {what} | {len(pairs)} | {score_pages(pairs).as_row()['article_f1']:.3f} |")
    print("\n| set | pages typeset with | pdftotext lines that are exactly one printed line |")
    print("|---|---|---:|")
    for (name, what), (one, total) in sorted(single.items()):
        print(f"| {name} | {what} | {one:,} of {total:,} ({one / max(total, 1):.1%}) |")
    return 0


def bench(args: argparse.Namespace) -> int:
    """Warm seconds to read and split the typeset PDFs with the most articles (read_pdf + split)."""
    import statistics

    from segmenter.api import load_model
    from segmenter.pdf import read_pdf

    model = load_model()
    pages = []
    for folder in map(Path, args.folders):
        for gold_path in folder.glob("*.gold.json"):
            gold = json.loads(gold_path.read_text(encoding="utf-8"))["gold"]
            pdf = gold_path.with_name(gold_path.name.removesuffix(".gold.json") + ".pdf")
            pages.append((len([a for a in gold["articles"] if a["id"]]), pdf))
    pages.sort(reverse=True)
    rows = []
    for articles, pdf in pages[: args.pages]:
        data = pdf.read_bytes()
        model.split(read_pdf(data))  # warm: the model and the word model loaded, caches filled
        t0 = time.perf_counter()
        text = read_pdf(data, name=pdf.name)
        t1 = time.perf_counter()
        records = model.split(text)
        t2 = time.perf_counter()
        rows.append((articles, len(records), len(data), t1 - t0, t2 - t1))
    today = date.today().isoformat()
    print(f"PDF pages with the most gold articles, warm ({today})\n")
    print("| gold articles | records | PDF bytes | read s | split s | total s |")
    print("|---:|---:|---:|---:|---:|---:|")
    for a, r, size, read, split in rows:
        print(f"| {a} | {r} | {size:,} | {read:.2f} | {split:.2f} | {read + split:.2f} |")
    totals = [read + split for *_, read, split in rows]
    print(f"\nmedian {statistics.median(totals):.2f} s, max {max(totals):.2f} s")
    return 0


def _chars_pdfium(data: bytes) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    return "".join(page.get_textpage().get_text_range() for page in doc)


def _chars_pdfplumber(data: bytes) -> str:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "".join(c["text"] for page in pdf.pages for c in page.chars)


def _chars_pymupdf(data: bytes) -> str:
    import pymupdf

    with pymupdf.open(stream=data) as doc:
        return "".join(
            ch["c"]
            for page in doc
            for block in page.get_text("rawdict")["blocks"]
            for line in block.get("lines", [])
            for span in line["spans"]
            for ch in span["chars"]
        )


def compare(args: argparse.Namespace) -> int:
    """Characters with positions from each PDF library: seconds a page, and whether the text is right."""
    from collections import Counter

    readers = {"pypdfium2": _chars_pdfium, "pdfplumber (pdfminer.six)": _chars_pdfplumber, "PyMuPDF": _chars_pymupdf}
    golds = sorted(Path(args.folder).glob("*.gold.json"))[: args.pages]
    print(f"PDF libraries on {len(golds)} typeset pages ({date.today().isoformat()})\n")
    print("| library | s/page | pages with every printed character |")
    print("|---|---:|---:|")
    for name, read in readers.items():
        try:
            read(golds[0].with_name(golds[0].name.removesuffix(".gold.json") + ".pdf").read_bytes())
        except ImportError:
            print(f"| {name} | not installed | |")
            continue
        seconds, exact = 0.0, 0
        for gold_path in golds:
            printed = json.loads(gold_path.read_text(encoding="utf-8"))["printed"]
            want = Counter(c for p in printed for c in p["text"] if not c.isspace())
            data = gold_path.with_name(gold_path.name.removesuffix(".gold.json") + ".pdf").read_bytes()
            t0 = time.perf_counter()
            got = Counter(c for c in read(data) if not c.isspace())
            seconds += time.perf_counter() - t0
            exact += got == want
        print(f"| {name} | {seconds / len(golds):.3f} | {exact}/{len(golds)} |")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="typeset a split of a corpus")
    b.add_argument("--era", choices=("1998", "modern"), required=True)
    b.add_argument("--split", choices=("train", "eval"), default="eval")
    b.add_argument("--seed", type=int, help=f"rendering seed (default {EVAL_SEED} for eval, {TRAIN_SEED} for train)")
    b.add_argument("--copies", type=int, default=1)
    b.add_argument("--limit", type=int, help="at most this many pages, spread over the split")
    b.add_argument("--out", required=True)
    b.add_argument(
        "--typesetter",
        choices=("reportlab", "chromium"),
        default="reportlab",
        help="reportlab (segmenter/typeset.py, default) or HTML and CSS printed by headless chromium "
        "(segmenter/typeset_html.py; evaluation only)",
    )
    b.add_argument(
        "--run-over",
        action="store_true",
        help="chromium only: let the text run over onto more pages (every column broken at the page's foot) "
        "instead of printing the page taller",
    )
    s = sub.add_parser("score", help="score every form of typeset folders")
    s.add_argument("folders", nargs="+")
    s.add_argument("--forms", nargs="+", metavar="FORM", help="score only the forms whose name starts so")
    s.add_argument("--model", help="model file (.joblib) to split with (default: the shipped model)")
    s.add_argument("--oracles", action="store_true", help=f"also score the bounding forms: {'; '.join(ORACLE_FORMS)}")
    t = sub.add_parser("bench", help="time reading and splitting the typeset PDFs with the most articles")
    t.add_argument("folders", nargs="+")
    t.add_argument("--pages", type=int, default=8)
    y = sub.add_parser("styles", help="pdftotext F1 by the pages' leading and gutter")
    y.add_argument("folders", nargs="+")
    c = sub.add_parser("compare", help="the PDF libraries' speed and text on a typeset folder")
    c.add_argument("folder")
    c.add_argument("--pages", type=int, default=20)
    args = parser.parse_args(argv)
    return {"build": build, "score": score, "bench": bench, "styles": styles, "compare": compare}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
