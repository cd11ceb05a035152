"""The eval gate: the shipped model keeps its scores on the reserved corpus pages (data hash checked)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from segmenter.api import load_model
from segmenter.evaluate import check_gate, data_hash, evaluate_pages
from segmenter.train import DEFAULT_CORPUS, rendered_pages

GATE = Path(__file__).resolve().parent.parent / "data" / "eval_gate.json"


@pytest.mark.skipif(not DEFAULT_CORPUS.is_file(), reason="needs ../shared/corpora/pd1998")
def test_shipped_model_meets_the_eval_gate() -> None:
    gate = json.loads(GATE.read_text(encoding="utf-8"))
    pages = rendered_pages(DEFAULT_CORPUS, split="eval", seed=gate["seed"], copies=gate["copies"])
    assert data_hash(pages) == gate["data_hash"], (
        "the reserved pages render differently than when the gate was set: "
        "re-run `python scripts/evaluate.py --write-gate` and review the new scores"
    )
    scores = evaluate_pages(pages, segmenter=load_model(words=True))
    assert check_gate(scores, gate) == []
