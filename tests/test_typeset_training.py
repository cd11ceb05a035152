"""Typeset pages as training data: ``segmenter train --typeset DIR`` (segmenter/typeset.py).

The two small typeset pages of tests/data (a PDF, its pdftotext text in both modes and the rendered
page's gold) are read as ``split`` reads them; each line the classifier is given must get a gold label
and article from the gold line its text came from.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from segmenter.cli import main
from segmenter.lines import split_lines
from segmenter.pdf import read_pdf
from segmenter.reflow import reflow
from segmenter.train import page_samples
from segmenter.typeset import EXTRACTED_FORMS, gold_for_lines, training_pages

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    """The two committed typeset pages, as ``scripts/typeset.py build`` writes a folder."""
    out = tmp_path / "typeset"
    out.mkdir()
    for path in DATA.glob("typeset_*"):
        shutil.copy(path, out / path.name)
    return out


def test_each_form_is_read_as_split_reads_it_and_every_line_has_its_gold(folder: Path) -> None:
    pages, summary = training_pages([folder])
    assert summary["pages"] == {form: 2 for form in EXTRACTED_FORMS}
    assert len(pages) == 6 and summary["label_agreement"] > 0.85
    for (text, gold), (name, (form, suffix)) in zip(
        pages, [(n, f) for n in ("typeset_pd1998", "typeset_pd2019") for f in EXTRACTED_FORMS.items()]
    ):
        path = folder / f"{name}{suffix}"
        if form == "pdf":
            seen = read_pdf(path.read_bytes()).reflowed.lines
        else:
            raw = path.read_text(encoding="utf-8")
            flowed = reflow(raw)
            seen = flowed.lines if flowed is not None else split_lines(raw)
        # the classifier's lines, numbered as the training page numbers them
        assert [(line.n, line.text) for line in split_lines(text)] == [(line.n, line.text) for line in seen]
        X, y = page_samples(text, gold)  # raises when a line has no gold label
        assert len(y) == len(seen)
        source = json.loads((folder / f"{name}.gold.json").read_text(encoding="utf-8"))
        headlines = {line["text"].lstrip("# ") for line in source["lines"] if line["label"] == "headline"}
        by_text = {line["text"].lstrip("# "): line for line in gold["lines"]}
        # a headline the PDF reader sets as a paragraph of its own is labelled headline, in its article
        for head in headlines & by_text.keys():
            want = next(g for g in source["lines"] if g["text"].lstrip("# ") == head)
            assert by_text[head]["label"] == "headline" and by_text[head]["article"] == want["article"]


def test_a_line_joined_from_two_gold_lines_takes_the_larger_part() -> None:
    gold = {
        "source": "p.txt",
        "lines": [
            {"n": 1, "text": "# 全国春耕生产全面展开", "label": "headline", "article": 1},
            {"n": 3, "text": "本报北京三月五日电 各地农业部门组织农民抢抓农时，备耕春播进展顺利。", "label": "body", "article": 1},
            {"n": 5, "text": "# 城市公园迎来赏花游客", "label": "headline", "article": 2},
        ],
    }
    text = "全国春耕生产全面展开本报北京三月五日电 各地农业部门\n组织农民抢抓农时\n\n城市公园迎来赏花游客\n图\n"
    labelled, agreement = gold_for_lines(text, gold)
    got = [(line["n"], line["label"], line["article"]) for line in labelled["lines"]]
    # "图" is in no gold line: other, outside any article (never dropped)
    assert got == [(1, "body", 1), (2, "body", 1), (4, "headline", 2), (5, "other", 0)]
    assert labelled["articles"] == [{"id": 1, "order": [1, 2]}, {"id": 2, "order": [4]}]
    assert 0.5 < agreement < 1.0  # the first line holds the headline's 3-grams too


def test_train_adds_the_typeset_pages_and_names_them_on_the_card(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.joblib"
    args = ["train", "--corpus", "", "--pages", str(tmp_path / "none"), "--no-eval", "--out", str(out)]
    assert main([*args, "--typeset", str(folder)]) == 0
    card = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert card["training_data"]["typeset"]["pages"] == {form: 2 for form in EXTRACTED_FORMS}
    assert card["training_lines"] == sum(len(g["lines"]) for _, g in training_pages([folder])[0])


def test_train_names_a_folder_without_typeset_pages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "m.joblib"
    code = main(["train", "--corpus", "", "--no-eval", "--typeset", str(tmp_path), "--out", str(out)])
    err = capsys.readouterr().err.strip()
    assert code == 1 and str(tmp_path) in err and "no typeset pages" in err and len(err.splitlines()) == 1
    assert not out.exists()
