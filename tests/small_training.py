"""A small `segmenter train` run on both eras' corpora, for the tests of what training writes."""

from __future__ import annotations

from pathlib import Path

import pytest

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"

#: skips a test that trains on both eras when the shared corpora are not beside the clone
needs_corpora = pytest.mark.skipif(not (CORPORA / "pd2019" / "pages.jsonl.gz").is_file(), reason="needs ../shared/corpora")


def train_args(tmp_path: Path, out: Path, *options: str) -> list[str]:
    """`segmenter train` arguments: the first pages of both eras' corpora rendered once, no scoring, no
    annotated pages, ``options``, the model written to ``out``."""
    corpora = [str(CORPORA / "pd1998" / "pages.jsonl.gz"), str(CORPORA / "pd2019" / "pages.jsonl.gz")]
    return ["train", "--corpus", *corpora, "--copies", "1", "--no-eval", *options, "--pages", str(tmp_path / "none"), "--out", str(out)]
