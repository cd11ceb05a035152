"""``segmenter split`` as a user runs it: refusals, exit codes, batches, atomic output files.

Exit codes: 0 success (an empty page too, with a warning), 1 a file or the model could not be
processed, 2 a usage error. Every problem is one line on stderr naming the file; no traceback
unless ``-v``. Most tests call :func:`segmenter.cli.main` in this process; a few run the real
command in a subprocess to see exit codes and stderr exactly as a shell does.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from segmenter import read as read_module
from segmenter import write as write_module
from segmenter.cli import main

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "data" / "pages").glob("*.txt"))
BINARY = bytes(range(256)) * 4


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``segmenter ARGS`` in this process: exit code, stdout, stderr."""
    try:
        code = main(list(args))
    except SystemExit as stop:  # argparse's usage errors
        code = int(stop.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_command(*args: str, env: dict[str, str] | None = None, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    """The real ``segmenter`` command in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "segmenter.cli", *args],
        capture_output=True,
        timeout=300,
        check=False,
        env={**os.environ, **(env or {})},
        **kwargs,  # type: ignore[arg-type]
    )


def records(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


@pytest.fixture()
def batch(tmp_path: Path) -> dict[str, str]:
    """Three good pages and a binary file under distinct names, as in the issue's example."""
    files = {}
    for name, page in zip("abc", PAGES):
        (tmp_path / f"{name}.txt").write_bytes(page.read_bytes())
        files[name] = str(tmp_path / f"{name}.txt")
    (tmp_path / "bad.bin").write_bytes(BINARY)
    files["bad"] = str(tmp_path / "bad.bin")
    return files


# --- one page -----------------------------------------------------------------------------------------


def test_one_page_gives_json_lines_on_stdout_and_nothing_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "split", str(PAGES[1]))
    assert (code, err) == (0, "")
    recs = records(out)
    assert len(recs) >= 3 and all(r["source"] == PAGES[1].name for r in recs)
    assert [r["index"] for r in recs] == list(range(len(recs)))


def test_stdin_gives_the_same_records(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    _, from_file, _ = run(capsys, "split", str(PAGES[1]))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(PAGES[1].read_bytes())))
    code, from_stdin, err = run(capsys, "split", "-")
    assert (code, err) == (0, "")
    def strip(recs: list[dict]) -> list[dict]:
        return [{k: v for k, v in r.items() if k != "source"} for r in recs]

    assert strip(records(from_stdin)) == strip(records(from_file))
    assert {r["source"] for r in records(from_stdin)} == {"<stdin>"}


# --- refusals ---------------------------------------------------------------------------------------------


def _missing(tmp_path: Path) -> str:
    return str(tmp_path / "no-such-page.txt")


def _directory(tmp_path: Path) -> str:
    (tmp_path / "pages").mkdir()
    return str(tmp_path / "pages")


def _binary(tmp_path: Path) -> str:
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n" + BINARY)
    return str(tmp_path / "photo.png")


def _damaged_pdf(tmp_path: Path) -> str:
    """A PDF is read as one (segmenter/pdf.py): a broken one is a PDF error, not binary data."""
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4\n" + BINARY)
    return str(tmp_path / "scan.pdf")


def _garbage(tmp_path: Path) -> str:
    """No NUL bytes, but no text in any encoding either (random high bytes)."""
    import random

    rng = random.Random(3)
    (tmp_path / "noise.txt").write_bytes(bytes(rng.randrange(0x80, 0x100) for _ in range(20_000)))
    return str(tmp_path / "noise.txt")


REFUSED = {
    "missing": (_missing, "no such file"),
    "directory": (_directory, "is a directory, expected a text file"),
    "binary": (_binary, "binary data (NUL bytes), not a text page"),
    "damaged pdf": (_damaged_pdf, "damaged or unreadable PDF"),
    "undecodable": (_garbage, "not text in a known encoding"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_bad_input_is_one_line_exit_1_and_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    make, problem = REFUSED[case]
    path = make(tmp_path)
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, "split", path, "--out-dir", str(out_dir))
    assert code == 1 and out == ""
    assert err.startswith(f"segmenter: error: {path}: {problem}") and err.count("\n") == 1
    assert list(out_dir.iterdir()) == []
    # to stdout: the same single line, nothing on stdout
    assert run(capsys, "split", path) == (1, "", err)


def test_an_unreadable_file_is_one_line_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "secret.txt"
    path.write_bytes(PAGES[0].read_bytes())
    if os.geteuid() != 0:  # a real permission problem where the test is not root
        path.chmod(0)
    else:  # root reads anything: make open() say what the kernel would say to anybody else
        real_open = open

        def denied(file: object, *args: object, **kwargs: object) -> object:
            if str(file) == str(path):
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

        monkeypatch.setattr(read_module, "open", denied, raising=False)
    code, out, err = run(capsys, "split", str(path))
    assert (code, out) == (1, "")
    assert err == f"segmenter: error: {path}: permission denied\n"


@pytest.mark.parametrize(
    "content",
    [b"", b"   \n\t\n", "\u3000\u3000\r\n\u200b\r\n".encode(), b"\r\r\r", "\ufeff\n".encode()],
    ids=["empty", "spaces and tabs", "full-width spaces, zero-width, CRLF", "lone CRs", "BOM only"],
)
def test_an_empty_page_is_exit_0_with_a_warning_and_no_articles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    path = tmp_path / "blank.txt"
    path.write_bytes(content)
    code, out, err = run(capsys, "split", str(path))
    assert (code, out) == (0, "")
    assert err == f"segmenter: warning: {path}: empty page (no line with text), no articles\n"
    code, out, err = run(capsys, "split", "--quiet", str(path))
    assert (code, out, err) == (0, "", "")


# --- usage errors -------------------------------------------------------------------------------------------

USAGE = {
    "no command": ([], "the following arguments are required"),
    "no file": (["split"], "the following arguments are required: FILE"),
    "unknown option": (["split", "--colour", "x.txt"], "unrecognized arguments: --colour"),
    "jobs 0": (["split", "--jobs", "0", "x.txt"], "must be at least 1"),
    "json of several pages": (["split", "--format", "json", "a.txt", "b.txt"], "use --out-dir"),
    "skip-existing alone": (["split", "--skip-existing", "a.txt"], "--skip-existing needs --out-dir"),
    "stdin twice": (["split", "-", "-"], "stdin (-) can be read only once"),
    "same output twice": (["split", "--out-dir", "OUT", "x/a.txt", "y/a.txt"], "x/a.txt and y/a.txt would both write"),
    "out-dir is a file": (["split", "--out-dir", "FILE", "a.txt"], "exists and is not a directory"),
}


@pytest.mark.parametrize("case", list(USAGE))
def test_a_usage_error_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str) -> None:
    (tmp_path / "file").write_text("x")
    argv, message = USAGE[case]
    argv = [a.replace("OUT", str(tmp_path / "out")).replace("FILE", str(tmp_path / "file")) for a in argv]
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert message in err and "Traceback" not in err
    assert err.count("\n") == 1 and "error:" in err
    assert not (tmp_path / "out").exists()


def test_an_out_dir_that_cannot_be_created_is_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "file").write_text("x")
    out_dir = tmp_path / "file" / "out"
    code, out, err = run(capsys, "split", str(PAGES[0]), "--out-dir", str(out_dir))
    assert (code, out) == (1, "")
    assert err.startswith(f"segmenter: error: --out-dir {out_dir}: ") and err.count("\n") == 1


# --- batches ------------------------------------------------------------------------------------------------


def test_a_batch_splits_every_good_file_reports_each_failure_and_sums_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], batch: dict[str, str]
) -> None:
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, "split", batch["a"], batch["b"], batch["bad"], batch["c"], "--out-dir", str(out_dir))
    assert (code, out) == (1, "")
    assert sorted(p.name for p in out_dir.iterdir()) == ["a.jsonl", "b.jsonl", "c.jsonl"]
    written = [r for p in sorted(out_dir.iterdir()) for r in records(p.read_text(encoding="utf-8"))]
    articles = sum(r["kind"] != "other" for r in written)
    assert articles > 10
    assert err.splitlines() == [
        f"segmenter: error: {batch['bad']}: binary data (NUL bytes), not a text page",
        f"3 pages, {articles} articles, 1 failed",
    ]
    # the same batch to stdout: the good pages' records in input order, the same report
    code, out, err2 = run(capsys, "split", batch["a"], batch["b"], batch["bad"], batch["c"])
    assert code == 1 and err2 == err
    assert [r["source"] for r in records(out)] == [r["source"] for r in written]


def test_a_batch_without_failures_exits_0(capsys: pytest.CaptureFixture[str], batch: dict[str, str]) -> None:
    code, _, err = run(capsys, "split", batch["a"], batch["b"])
    assert code == 0
    assert err.startswith("2 pages, ") and err.endswith(", 0 failed\n") and err.count("\n") == 1


def test_skip_existing_keeps_finished_outputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], batch: dict[str, str]
) -> None:
    out_dir = tmp_path / "out"
    assert run(capsys, "split", batch["a"], "--out-dir", str(out_dir))[0] == 0
    (out_dir / "a.jsonl").write_text("kept\n", encoding="utf-8")
    code, _, err = run(capsys, "split", batch["a"], batch["b"], "--out-dir", str(out_dir), "--skip-existing")
    assert code == 0 and err.rstrip().endswith("0 failed, 1 skipped")
    assert (out_dir / "a.jsonl").read_text(encoding="utf-8") == "kept\n"
    assert records((out_dir / "b.jsonl").read_text(encoding="utf-8"))
    # without the flag every page is written again: over segmenter's own output, and over a file it did
    # not write only when asked to (see tests/test_overwrite.py)
    assert run(capsys, "split", batch["b"], "--out-dir", str(out_dir))[0] == 0
    assert run(capsys, "split", batch["a"], "--out-dir", str(out_dir))[0] == 2
    assert (out_dir / "a.jsonl").read_text(encoding="utf-8") == "kept\n"
    assert run(capsys, "split", batch["a"], "--out-dir", str(out_dir), "--overwrite")[0] == 0
    assert records((out_dir / "a.jsonl").read_text(encoding="utf-8"))


def test_an_interrupted_write_leaves_the_old_file_or_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, batch: dict[str, str]
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "a.jsonl").write_text("old\n", encoding="utf-8")

    def interrupted(fd: int) -> None:  # Ctrl-C after the data, before the rename
        raise KeyboardInterrupt

    monkeypatch.setattr(write_module.os, "fsync", interrupted)
    code, _, err = run(capsys, "split", batch["a"], batch["b"], "--out-dir", str(out_dir), "--overwrite")
    assert code == 130 and "interrupted" in err
    assert sorted(p.name for p in out_dir.iterdir()) == ["a.jsonl"]  # no b.jsonl, no temporary file
    assert (out_dir / "a.jsonl").read_text(encoding="utf-8") == "old\n"


def test_a_failed_write_is_reported_for_its_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, batch: dict[str, str]
) -> None:
    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(write_module.os, "fsync", disk_full)
    out_dir = tmp_path / "out"
    code, _, err = run(capsys, "split", batch["a"], batch["b"], "--out-dir", str(out_dir))
    assert code == 1
    assert err.splitlines() == [
        f"segmenter: error: {out_dir / 'a.jsonl'}: No space left on device",
        f"segmenter: error: {out_dir / 'b.jsonl'}: No space left on device",
        "0 pages, 0 articles, 2 failed",
    ]
    assert list(out_dir.iterdir()) == []


def test_output_files_get_the_permissions_of_a_plain_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], batch: dict[str, str]
) -> None:
    out_dir = tmp_path / "out"
    assert run(capsys, "split", batch["a"], "--out-dir", str(out_dir))[0] == 0
    umask = os.umask(0)
    os.umask(umask)
    assert (out_dir / "a.jsonl").stat().st_mode & 0o777 == 0o666 & ~umask


def test_an_internal_error_is_one_line_unless_verbose(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from segmenter import batch as batch_module

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("something we did not foresee")

    monkeypatch.setattr(batch_module, "run_batch", broken)
    code, out, err = run(capsys, "split", str(PAGES[0]))
    assert (code, out) == (1, "")
    assert err == (
        "segmenter: error: internal error (RuntimeError: something we did not foresee); "
        "run with -v for the traceback\n"
    )
    code, _, err = run(capsys, "split", "-v", str(PAGES[0]))
    assert code == 1 and "Traceback" in err and "something we did not foresee" in err


def test_a_page_that_hits_a_bug_fails_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, batch: dict[str, str]
) -> None:
    from segmenter.api import Segmenter

    real = Segmenter.split

    def fragile(self: Segmenter, text: str, source: str = "") -> list:
        if source == "b.txt":
            raise IndexError("list index out of range")
        return real(self, text, source=source)

    monkeypatch.setattr(Segmenter, "split", fragile)
    code, _, err = run(capsys, "split", batch["a"], batch["b"], batch["c"], "--out-dir", str(tmp_path / "out"))
    assert code == 1
    lines = err.splitlines()
    assert len(lines) == 2 and lines[0].startswith(f"segmenter: error: {batch['b']}: internal error (IndexError")
    assert lines[1].startswith("2 pages, ") and lines[1].endswith(", 1 failed")


# --- end to end: the real command ----------------------------------------------------------------------------


def test_end_to_end_exit_codes_and_no_traceback(tmp_path: Path, batch: dict[str, str]) -> None:
    good = run_command("split", batch["a"])
    assert good.returncode == 0 and good.stderr == b"" and good.stdout.count(b"\n") >= 1

    missing = run_command("split", str(tmp_path / "gone.txt"))
    assert missing.returncode == 1 and missing.stdout == b""
    assert missing.stderr.decode() == f"segmenter: error: {tmp_path / 'gone.txt'}: no such file\n"

    usage = run_command("split", "--format", "yaml", batch["a"])
    assert usage.returncode == 2 and usage.stdout == b"" and usage.stderr.count(b"\n") == 1

    mixed = run_command("split", batch["a"], batch["bad"], batch["c"], "--out-dir", str(tmp_path / "out"))
    assert mixed.returncode == 1
    err = mixed.stderr.decode().splitlines()
    assert err[0] == f"segmenter: error: {batch['bad']}: binary data (NUL bytes), not a text page"
    assert err[1].startswith("2 pages, ") and err[1].endswith(" articles, 1 failed") and len(err) == 2
    for run_ in (good, missing, usage, mixed):
        assert b"Traceback" not in run_.stderr


def test_end_to_end_records_are_utf8_whatever_the_locale(batch: dict[str, str]) -> None:
    latin = run_command("split", batch["a"], env={"PYTHONIOENCODING": "latin-1", "LC_ALL": "C"})
    assert latin.returncode == 0, latin.stderr
    utf8 = run_command("split", batch["a"])
    assert latin.stdout == utf8.stdout
    assert "新华社".encode() in latin.stdout


def test_end_to_end_a_closed_pipe_is_not_an_error(batch: dict[str, str]) -> None:
    pages = [batch["a"], batch["b"], batch["c"]] * 3
    command = [sys.executable, "-m", "segmenter.cli", "split", *pages]
    producer = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert producer.stdout is not None
    producer.stdout.read(100)
    producer.stdout.close()  # like `| head -c 100`
    _, err = producer.communicate(timeout=300)
    assert producer.returncode == 0
    assert b"Traceback" not in err


def test_end_to_end_a_killed_run_leaves_no_truncated_output(tmp_path: Path) -> None:
    """SIGKILL at any moment: every .jsonl there is complete (identical to an undisturbed run's)."""
    pages = []
    for k in range(24):
        path = tmp_path / "in" / f"p{k:02d}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(PAGES[k % 3].read_bytes())
        pages.append(str(path))
    expected = {PAGES[k].name: None for k in range(3)}
    reference = run_command("split", *pages[:3], "--out-dir", str(tmp_path / "ref"))
    assert reference.returncode == 0
    expected = {k: (tmp_path / "ref" / f"p{k:02d}.jsonl").read_bytes() for k in range(3)}

    out_dir = tmp_path / "out"
    victim = subprocess.Popen(
        [sys.executable, "-m", "segmenter.cli", "split", *pages, "--out-dir", str(out_dir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (out_dir.is_dir() and len(list(out_dir.glob("*.jsonl"))) >= 3):
        time.sleep(0.01)
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=60)
    finished = sorted(out_dir.glob("*.jsonl"))
    assert finished, "the run wrote nothing before it was killed"
    for path in finished:
        assert path.read_bytes() == expected[int(path.stem[1:]) % 3], f"{path.name} is incomplete"
