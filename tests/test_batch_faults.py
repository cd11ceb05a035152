"""Faults in a batch: a worker that dies, SIGTERM, closing the batch early, temporary files of killed writes.

Regression tests of issue 19 ("a killed worker hangs a batch forever", "SIGTERM to a --jobs 2 run prints
worker tracebacks", "a killed write leaves .x.jsonl.*.tmp that --skip-existing never removes"). The
subprocess tests run the real command over a few pages, one of them a FIFO that nobody writes to: the
worker that opens it waits there (``wait_for_partner`` in its ``/proc/PID/wchan``), so the test knows
which worker holds which page without any hook in the code. Timeouts are generous: the machine may be
busy; the batch ending "within seconds" is measured in docs/speed.md, not timed here.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import segmenter.batch as batch_module
from segmenter.batch import PageResult, process_page, remove_stale_temps, run_batch

PAGES = sorted((Path(__file__).resolve().parent.parent / "data" / "pages").glob("*.txt"))
ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not batch_module._can_fork(), reason="the fault tests kill forked workers (Linux)")


@pytest.fixture()
def pages(tmp_path: Path) -> list[str]:
    """Nine pages, the shared pages three times over under distinct names."""
    paths = []
    for k in range(9):
        path = tmp_path / "in" / f"p{k}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(PAGES[k % len(PAGES)].read_bytes())
        paths.append(str(path))
    return paths


def _dies_on(name: str) -> object:
    """A ``process_page`` whose worker is killed (SIGKILL, as by the out-of-memory killer) on the page ``name``."""
    real = process_page

    def page(path: str, **options: object) -> PageResult:
        if Path(path).name == name:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path, **options)

    return page


def test_a_worker_killed_on_a_page_fails_that_page_and_the_rest_finish(
    monkeypatch: pytest.MonkeyPatch, pages: list[str]
) -> None:
    serial = [r.output for r in run_batch(pages, words=False)]
    monkeypatch.setattr(batch_module, "CHUNK_PAGES", 3)  # the dead worker held pages after its page too
    monkeypatch.setattr(batch_module, "process_page", _dies_on("p4.txt"))
    others = set(multiprocessing.active_children())
    results = list(run_batch(pages, jobs=2, words=False))
    assert [r.path for r in results] == pages
    dead = results[4]
    assert dead.error is not None and pages[4] in dead.error and "killed by SIGKILL" in dead.error
    assert [r.output for k, r in enumerate(results) if k != 4] == [o for k, o in enumerate(serial) if k != 4]
    assert set(multiprocessing.active_children()) <= others


def test_workers_that_keep_dying_end_the_batch(monkeypatch: pytest.MonkeyPatch, pages: list[str]) -> None:
    def always(path: str, **options: object) -> PageResult:
        os.kill(os.getpid(), signal.SIGKILL)
        raise AssertionError("unreachable")

    monkeypatch.setattr(batch_module, "process_page", always)
    others = set(multiprocessing.active_children())
    results = list(run_batch(pages[:5], jobs=2, words=False))
    assert [r.path for r in results] == pages[:5]
    assert all(r.error and r.path in r.error and "died" in r.error for r in results)
    assert set(multiprocessing.active_children()) <= others


def test_closing_the_batch_early_stops_its_workers(pages: list[str], tmp_path: Path) -> None:
    others = set(multiprocessing.active_children())
    results = run_batch(pages, jobs=2, words=False, out_dir=str(tmp_path / "out"))
    (tmp_path / "out").mkdir()
    assert next(results).ok
    assert len(set(multiprocessing.active_children()) - others) == 2
    results.close()  # as the command does on SIGTERM, Ctrl-C or a closed pipe
    assert set(multiprocessing.active_children()) <= others
    assert not list((tmp_path / "out").glob(".*.tmp"))


def test_temporary_files_of_killed_writes_are_removed_by_the_next_run(pages: list[str], tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "p0.jsonl").write_text("kept\n", encoding="utf-8")
    old = time.time() - 2 * batch_module.STALE_TEMP_S
    left = [out_dir / ".p0.jsonl.k2j4_x9a.tmp", out_dir / ".p1.jsonl.abcdefgh.tmp"]
    young = out_dir / ".p2.jsonl.zzzzzzzz.tmp"  # maybe a run writing into the same folder right now
    foreign = [out_dir / ".notes.jsonl.abcdefgh.tmp", out_dir / ".p3.jsonl.tmp"]  # not a write of this batch
    for path in [*left, young, *foreign]:
        path.write_text("half a recor", encoding="utf-8")
    for path in [*left, *foreign]:
        os.utime(path, (old, old))
    results = list(run_batch(pages[:3], words=False, out_dir=str(out_dir), skip_existing=True))
    assert [r.skipped for r in results] == [True, False, False]
    assert (out_dir / "p0.jsonl").read_text(encoding="utf-8") == "kept\n"
    assert not any(p.exists() for p in left)
    assert young.exists() and all(p.exists() for p in foreign)
    assert remove_stale_temps(out_dir, {"p2.jsonl"}, older_than=0) == 1 and not young.exists()


# --- the real command, a real kill ------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _waiting_on_the_fifo(proc: subprocess.Popen[bytes], timeout: float = 120) -> int:
    """The worker of ``proc`` that has opened the FIFO page and waits for a writer."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        for child in _children(proc.pid):
            try:
                wchan = Path(f"/proc/{child}/wchan").read_text()
            except OSError:
                continue
            if wchan == "wait_for_partner":  # "0" while it runs (or where the kernel hides it)
                return child
        time.sleep(0.05)
    proc.kill()
    raise AssertionError(f"no worker waited on the FIFO (exit {proc.poll()}): {proc.communicate()[1]!r}")


@pytest.fixture()
def fifo_batch(pages: list[str], tmp_path: Path) -> Iterator[list[str]]:
    """The nine pages with a FIFO nobody writes to as the fourth."""
    fifo = tmp_path / "in" / "p3-stuck.txt"
    os.mkfifo(fifo)
    yield [*pages[:3], str(fifo), *pages[3:]]


def _start(files: list[str], out_dir: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.Popen(
        [sys.executable, "-m", "segmenter.cli", "split", "--jobs", "2", "--no-words", "--out-dir", str(out_dir), *files],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )


def test_cli_a_worker_killed_with_sigkill_fails_its_page_and_the_batch_ends(
    fifo_batch: list[str], tmp_path: Path
) -> None:
    """Regression: `kill -KILL` of one worker hung `segmenter split --jobs 2` forever, silently."""
    out_dir = tmp_path / "out"
    proc = _start(fifo_batch, out_dir)
    os.kill(_waiting_on_the_fifo(proc), signal.SIGKILL)
    _, err = proc.communicate(timeout=120)
    lines = err.decode().splitlines()
    assert proc.returncode == 1, lines
    assert lines[0].startswith(f"segmenter: error: {fifo_batch[3]}: not split: ") and "SIGKILL" in lines[0]
    assert lines[1:] == [lines[1]] and lines[1].startswith(f"{len(fifo_batch) - 1} pages, ")
    assert lines[1].endswith(" 1 failed")
    written = sorted(p.name for p in out_dir.iterdir())
    assert written == sorted(Path(p).stem + ".jsonl" for p in fifo_batch if "stuck" not in p)


def test_cli_sigterm_stops_a_jobs_2_run_cleanly(fifo_batch: list[str], tmp_path: Path) -> None:
    """Regression: SIGTERM to a --jobs 2 run printed the workers' tracebacks."""
    out_dir = tmp_path / "out"
    proc = _start(fifo_batch, out_dir)
    _waiting_on_the_fifo(proc)
    workers = _children(proc.pid)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=120)
    assert (proc.returncode, err.decode()) == (143, "segmenter: terminated\n")
    assert not [p for p in out_dir.iterdir() if not p.name.endswith(".jsonl") or p.name.startswith(".")]
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]  # stopped and reaped


def test_ctrl_c_while_the_temporary_file_is_made_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # regression: a SIGINT between making the temporary file and the try that removes it left it behind;
    # then (a flaky test) a SIGINT the kernel gave to another thread of the process, which the main thread's
    # signal mask does not hold back, raised KeyboardInterrupt right as the file was made
    import os

    from segmenter import write

    real = os.open

    def interrupted_open(*args: object, **kwargs: object) -> int:
        real(*args, **kwargs)
        raise KeyboardInterrupt  # the handler runs at the first bytecode after the file is made

    monkeypatch.setattr(write.os, "open", interrupted_open)
    with pytest.raises(KeyboardInterrupt):
        write.write_atomic(tmp_path / "p.jsonl", "{}\n")
    monkeypatch.undo()
    assert not list(tmp_path.iterdir())


def test_write_atomic_never_removes_a_temporary_file_of_the_same_name_it_did_not_make(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from segmenter import write

    names = iter(["aaaaaaaa", "bbbbbbbb"])
    monkeypatch.setattr(write.secrets, "token_hex", lambda n: next(names))
    theirs = tmp_path / ".p.jsonl.aaaaaaaa.tmp"
    theirs.write_text("another run's", encoding="utf-8")
    write.write_atomic(tmp_path / "p.jsonl", "{}\n")
    assert theirs.read_text(encoding="utf-8") == "another run's"
    assert (tmp_path / "p.jsonl").read_text(encoding="utf-8") == "{}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".p.jsonl.aaaaaaaa.tmp", "p.jsonl"]
