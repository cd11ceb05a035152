"""The package's type hints say what its code does: ``mypy`` (configured in setup.cfg) finds no error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_finds_no_error(tmp_path_factory: pytest.TempPathFactory) -> None:
    pytest.importorskip("mypy")
    # a fresh cache outside the repo: the check starts clean and leaves no .mypy_cache behind
    cache = tmp_path_factory.mktemp("mypy_cache")
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", "setup.cfg", "--cache-dir", str(cache)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, f"mypy found errors:\n{done.stdout}{done.stderr}"
