"""Never destroy a user's files or the shipped model (issue: two ways to lose files silently, exit 0).

Refused with one line and exit 2 unless ``--overwrite``: an output that is an input (also through a
link), an output inside the installed package, an output over a file segmenter did not write, and
``segmenter train`` over the shipped model. Re-running into a folder of segmenter's own output, and
``--skip-existing``, keep working.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from segmenter.cli import main
from segmenter.model import DEFAULT_MODEL
from segmenter.train import default_out, out_problem
from segmenter.write import PACKAGE_DIR, Format, written_by_segmenter

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "data" / "pages").glob("*.txt"))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as stop:
        code = int(stop.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def pages(tmp_path: Path) -> list[Path]:
    """Two real pages copied into a scratch folder (as in the issue: ``scratch/*.txt``)."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    return [Path(shutil.copy(page, scratch / page.name)) for page in PAGES[:2]]


def test_split_text_into_the_folder_of_its_inputs_is_refused(
    pages: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # the first way: segmenter split scratch/*.txt --format text --out-dir scratch
    before = [digest(p) for p in pages]
    code, out, err = run(capsys, "split", *map(str, pages), "--format", "text", "--out-dir", str(pages[0].parent))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and f"{pages[0]}: is the input" in err and "--overwrite" in err
    assert [digest(p) for p in pages] == before


def test_the_refusal_as_a_shell_sees_it_through_python_m(pages: list[Path]) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "segmenter", "split", str(pages[0]), "--format", "text", "--out-dir", str(pages[0].parent)],
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 2 and b"Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1
    assert pages[0].read_bytes() == PAGES[0].read_bytes()


def test_an_output_that_links_to_an_input_is_refused(pages: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    out_dir = pages[0].parent.parent / "out"
    out_dir.mkdir()
    (out_dir / (pages[0].stem + ".jsonl")).symlink_to(pages[0])
    code, _, err = run(capsys, "split", str(pages[0]), "--out-dir", str(out_dir))
    assert code == 2 and "is the input" in err
    assert pages[0].read_bytes() == PAGES[0].read_bytes()


def test_a_file_segmenter_did_not_write_is_refused_unless_overwrite(
    pages: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = pages[0].parent.parent / "out"
    out_dir.mkdir()
    notes = out_dir / (pages[0].stem + ".md")
    notes.write_text("# my notes on this page\n", encoding="utf-8")
    code, _, err = run(capsys, "split", str(pages[0]), "--format", "markdown", "--out-dir", str(out_dir))
    assert code == 2 and f"{notes}: exists and was not written by segmenter" in err
    assert notes.read_text(encoding="utf-8") == "# my notes on this page\n"
    # --skip-existing leaves it alone too, and says so
    code, _, err = run(capsys, "split", *map(str, pages), "--format", "markdown", "--out-dir", str(out_dir),
                       "--skip-existing", "--no-words")  # fmt: skip
    assert code == 0 and "1 skipped" in err and notes.read_text(encoding="utf-8") == "# my notes on this page\n"
    code, _, _ = run(capsys, "split", str(pages[0]), "--format", "markdown", "--out-dir", str(out_dir),
                     "--overwrite", "--no-words")  # fmt: skip
    assert code == 0 and written_by_segmenter(notes)


def test_an_out_dir_inside_the_installed_package_is_refused(pages: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    target = PACKAGE_DIR / "models" / (pages[0].stem + ".jsonl")
    assert not target.exists()
    code, _, err = run(capsys, "split", str(pages[0]), "--out-dir", str(PACKAGE_DIR / "models"))
    assert code == 2 and "inside the installed segmenter package" in err
    assert not target.exists()


@pytest.mark.parametrize("fmt", [f.value for f in Format])
def test_rerunning_into_a_folder_of_segmenter_output_works(
    fmt: str, pages: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = pages[0].parent.parent / "out"
    args = ["split", *map(str, pages), "--format", fmt, "--out-dir", str(out_dir), "--no-words"]
    assert run(capsys, *args)[0] == 0
    written = sorted(out_dir.iterdir())
    assert len(written) == 2 and all(written_by_segmenter(p) for p in written)
    first = [p.read_bytes() for p in written]
    assert run(capsys, *args)[0] == 0
    assert [p.read_bytes() for p in sorted(out_dir.iterdir())] == first


def test_a_corrected_gold_draft_is_the_users(pages: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    out_dir = pages[0].parent.parent / "gold"
    args = ["split", str(pages[0]), "--format", "gold", "--out-dir", str(out_dir), "--no-words"]
    assert run(capsys, *args)[0] == 0
    draft = out_dir / (pages[0].stem + ".json")
    gold = json.loads(draft.read_text(encoding="utf-8"))
    gold["lines"][0]["label"] = "subhead" if gold["lines"][0]["label"] != "subhead" else "headline"
    draft.write_text(json.dumps(gold, ensure_ascii=False, indent=1), encoding="utf-8")
    assert not written_by_segmenter(draft)
    code, _, err = run(capsys, *args)
    assert code == 2 and "not written by segmenter" in err
    assert json.loads(draft.read_text(encoding="utf-8")) == gold


@pytest.mark.parametrize(
    ("content", "ours"),
    [
        ("", True),
        ('{"source": "a.txt", "index": 0, "kind": "news", "lines": []}\n', True),
        ("[]\n", True),
        ('{"source": "a.txt"}\n', False),
        ("plain text of a page\n", False),
        ("<!DOCTYPE html><html><head><title>mine</title></head></html>\n", False),
        ('{\n "source": "x", "lines": [], "articles": []\n}\n', False),
    ],
)
def test_written_by_segmenter_reads_the_mark(tmp_path: Path, content: str, ours: bool) -> None:
    path = tmp_path / "f"
    path.write_text(content, encoding="utf-8")
    assert written_by_segmenter(path) is ours


def test_review_refuses_a_page_that_would_write_the_index(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "index.txt"
    shutil.copy(PAGES[0], page)
    code, _, err = run(capsys, "review", str(page), "--out", str(tmp_path / "review"))
    assert code == 2 and "index.html" in err and not (tmp_path / "review").exists()


# ---------------------------------------------------------------------------------------------- train


def shipped_files() -> dict[str, str]:
    return {p.name: digest(p) for p in sorted(DEFAULT_MODEL.parent.glob("default.*"))}


def test_train_without_out_writes_a_new_model_under_models_never_the_shipped_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # the second way: segmenter train with no --out wrote segmenter/models/default.*
    shipped = shipped_files()
    monkeypatch.chdir(tmp_path)
    args = ["train", "--corpus", "", "--pages", str(ROOT / "data" / "pages"), "--gold", str(ROOT / "data" / "gold"),
            "--no-breaks", "--no-heads"]  # fmt: skip
    code, out, _ = run(capsys, *args)
    first = Path("models") / f"model-{date.today().isoformat()}.joblib"
    assert code == 0 and f"wrote {first}" in out and first.is_file()
    code, out, _ = run(capsys, *args)  # a second run never replaces the first
    assert code == 0 and (tmp_path / "models" / f"model-{date.today().isoformat()}-2.joblib").is_file()
    assert shipped_files() == shipped


def test_train_over_the_shipped_model_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    shipped = shipped_files()
    code, _, err = run(capsys, "train", "--corpus", "", "--out", str(DEFAULT_MODEL))
    assert code == 2 and "inside the installed segmenter package" in err and "--overwrite" in err
    assert shipped_files() == shipped


def test_train_over_files_that_are_no_model_of_segmenter_is_refused(tmp_path: Path) -> None:
    assert out_problem(tmp_path / "m.txt") is not None  # the card and arrays are named after a .joblib
    (tmp_path / "m.json").write_text('{"my": "settings"}', encoding="utf-8")
    assert "m.json exists and is not part of a model written by segmenter" in str(out_problem(tmp_path / "m.joblib"))
    (tmp_path / "n.joblib").write_bytes(b"not a model")
    assert out_problem(tmp_path / "n.joblib") is not None
    assert out_problem(tmp_path / "fresh.joblib") is None


def test_default_out_skips_names_any_model_file_uses(tmp_path: Path) -> None:
    day = date(2026, 12, 6)
    assert default_out(tmp_path, day) == tmp_path / "model-2026-12-06.joblib"
    (tmp_path / "model-2026-12-06.npz").write_bytes(b"")
    assert default_out(tmp_path, day) == tmp_path / "model-2026-12-06-2.joblib"


def test_train_prints_the_scores_at_the_end() -> None:
    from segmenter.train import _scores_table

    table = _scores_table({"reserved_pd1998_rendered": {"article_f1": 0.8431, "headline_accuracy": 0.9,
                                                        "line_macro_f1": 0.93}})  # fmt: skip
    header, row = table.splitlines()
    assert header.split() == ["scored", "on", "article_f1", "headline_accuracy", "line_macro_f1"]
    assert row.split() == ["reserved_pd1998_rendered", "0.843", "0.900", "0.930"]
