"""The eval gate: the shipped model keeps its scores on rendered pages of each era (data hash checked)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from segmenter.api import load_model
from segmenter.evaluate import check_gate, data_hash, evaluate_pages
from segmenter.train import DEFAULT_CORPUS, DEFAULT_MODERN_CORPUS, rendered_pages

GATE = Path(__file__).resolve().parent.parent / "data" / "eval_gate.json"
CORPORA = {"pd1998": DEFAULT_CORPUS, "pd2019": DEFAULT_MODERN_CORPUS}
TIERS: list[dict[str, Any]] = json.loads(GATE.read_text(encoding="utf-8"))["tiers"]


@pytest.mark.parametrize("tier", TIERS, ids=[tier["corpus"] for tier in TIERS])
def test_shipped_model_meets_the_eval_gate(tier: dict[str, Any]) -> None:
    corpus = CORPORA[tier["corpus"]]
    if not corpus.is_file():
        pytest.skip(f"needs {corpus}")
    pages = rendered_pages(corpus, split="eval", seed=tier["seed"], copies=tier["copies"])
    assert data_hash(pages) == tier["data_hash"], (
        f"{tier['name']}: the pages render differently than when the gate was set: "
        "re-run `python scripts/evaluate.py --write-gate` and review the new scores"
    )
    scores = evaluate_pages(pages, segmenter=load_model(words=True))
    assert check_gate(scores, tier) == []
