"""Installing and running as users do (issue 17): ``python -m segmenter``, the extras, one warning style,
a missing optional package named with its install command. The fresh-venv ``pip install .`` is measured
by hand (it downloads from PyPI): see docs/how-it-works.md and the issue's closing note."""

from __future__ import annotations

import configparser
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from segmenter import batch
from segmenter.cli import _setup_logging, main

ROOT = Path(__file__).resolve().parent.parent
PAGE = sorted((ROOT / "data" / "pages").glob("*.txt"))[0]


def setup_cfg() -> configparser.ConfigParser:
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    return cfg


def test_python_m_segmenter_is_the_command() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "segmenter", "--version"], capture_output=True, text=True,
                          env=env, timeout=60)  # fmt: skip
    assert done.returncode == 0 and done.stdout.startswith("segmenter ")


def test_pip_install_builds_nothing_pkuseg_is_the_train_extra() -> None:
    cfg = setup_cfg()
    required = cfg["options"]["install_requires"]
    assert "pkuseg==" not in required.replace("spacy-pkuseg", "")  # its sdist cannot build in pip's isolation
    extras = cfg["options.extras_require"]
    assert "pkuseg==0.0.25" in extras["train"] and "dask" in extras["dask"]
    assert "newspaper_articles = segmenter.spacy_component:" in cfg["options.entry_points"]["spacy_factories"]
    install = (ROOT / "scripts" / "install.sh").read_text(encoding="utf-8")
    assert '--no-build-isolation "pkuseg==0.0.25"' in install and ".[train" in install


def test_the_readme_names_no_other_package_on_the_index() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "segmenter[" not in readme and "pip install ." in readme
    assert len(readme.splitlines()) <= 250


def test_a_missing_optional_package_is_one_line_naming_the_install_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from segmenter.words import _missing

    def no_pkuseg(*args: object, **kwargs: object) -> None:
        raise _missing("pkuseg")

    monkeypatch.setattr(batch, "_segmenter", no_pkuseg)
    monkeypatch.setattr("segmenter.model.read_model", lambda path=None, **kwargs: None)
    code = main(["split", str(PAGE)])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and "internal error" not in err
    assert err.startswith(f"segmenter: error: {PAGE}: pkuseg is not installed") and "pip install" in err


def test_logged_warnings_look_like_printed_ones(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    saved = root.handlers[:]
    root.handlers = [logging.StreamHandler(sys.stderr)]
    try:
        _setup_logging(False)
        logging.getLogger("segmenter.test").warning("a %s", "warning")
    finally:
        root.handlers = saved
    assert capsys.readouterr().err == "segmenter: warning: a warning\n"


def test_default_data_paths_are_the_clones_or_the_current_folders_never_site_packages(tmp_path: Path) -> None:
    from segmenter.train import DEFAULT_CORPUS, DEFAULT_PAGES, data_base

    assert data_base(ROOT) == ROOT and DEFAULT_PAGES == ROOT / "data" / "pages"
    assert DEFAULT_CORPUS == ROOT.parent / "shared" / "corpora" / "pd1998" / "pages.jsonl.gz"
    site_packages = tmp_path / "lib" / "python3.11" / "site-packages"  # an installed package's parent
    site_packages.mkdir(parents=True)
    assert data_base(site_packages) == Path(".")
