"""Batches in parallel: ``--jobs N`` on local processes and the same tasks on a Dask cluster.

Every parallel run must give exactly what a run in this process gives, in input order, with errors
reported per file. The Dask tests start a ``LocalCluster`` on loopback and skip when the optional
``dask``/``distributed`` extra is not installed.
"""

from __future__ import annotations

import collections
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from segmenter.batch import PageResult, process_page, run_batch
from segmenter.cli import main

PAGES = sorted((Path(__file__).resolve().parent.parent / "data" / "pages").glob("*.txt"))


def _outputs(results: Iterator[PageResult]) -> list[tuple[str, str | None, str | None]]:
    return [(Path(r.path).name, r.output, r.error) for r in results]


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Eight pages with distinct names: the shared pages, two with their lines in another order, a broken one."""
    folder = tmp_path_factory.mktemp("batch")
    paths = []
    for k, page in enumerate(PAGES):
        text = page.read_text(encoding="utf-8")
        for variant, body in (("a", text), ("b", "\n\n".join(reversed(text.split("\n\n"))))):
            target = folder / f"{k}{variant}_{page.name}"
            target.write_text(body, encoding="utf-8")
            paths.append(str(target))
    binary = folder / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    paths.insert(3, str(binary))
    paths.append(str(folder / "missing.txt"))
    return paths


@pytest.fixture(scope="module")
def serial(batch: list[str]) -> list[tuple[str, str | None, str | None]]:
    return _outputs(run_batch(batch, jobs=1))


def test_serial_reference_is_sound(serial: list[tuple[str, str | None, str | None]]) -> None:
    good = [out for _, out, err in serial if err is None]
    bad = {name: err for name, _, err in serial if err is not None}
    assert len(good) == 2 * len(PAGES)
    assert all(out and json.loads(out.splitlines()[0])["kind"] for out in good)
    assert set(bad) == {"binary.txt", "missing.txt"}
    assert "missing.txt" in bad["missing.txt"] and "binary.txt" in bad["binary.txt"]


def test_jobs_2_gives_the_serial_output_in_order(
    batch: list[str], serial: list[tuple[str, str | None, str | None]]
) -> None:
    assert _outputs(run_batch(batch, jobs=2)) == serial


def test_spawned_workers_where_fork_is_not_used(
    monkeypatch: pytest.MonkeyPatch, batch: list[str], serial: list[tuple[str, str | None, str | None]]
) -> None:
    import segmenter.batch as batch_module

    monkeypatch.setattr(batch_module, "_can_fork", lambda: False)  # as on macOS and Windows
    assert _outputs(run_batch(batch, jobs=2)) == serial


def test_chunks_of_one_page_keep_the_order(
    monkeypatch: pytest.MonkeyPatch, batch: list[str], serial: list[tuple[str, str | None, str | None]]
) -> None:
    import segmenter.batch as batch_module

    # a chunk per page and a window of four pages a worker: many round trips, results held back for order
    monkeypatch.setattr(batch_module, "CHUNK_PAGES", 1)
    monkeypatch.setattr(batch_module, "WINDOW_PAGES", 1)
    assert _outputs(run_batch(batch, jobs=3)) == serial


def test_workers_get_chunks_of_pages_not_one_page_per_task(monkeypatch: pytest.MonkeyPatch) -> None:
    import segmenter.batch as batch_module

    sent: list[int] = []

    class Conn:
        def send(self, chunk: list[tuple[int, str]]) -> None:
            sent.append(len(chunk))

    pool = batch_module._Pool(2, {})
    pool.workers = [batch_module._Worker(None, Conn()), batch_module._Worker(None, Conn())]
    todo = collections.deque((k, f"p{k}.txt") for k in range(1000))
    pool.feed(todo, limit=10**6)
    chunk = batch_module.CHUNK_PAGES
    assert sent == [chunk, chunk] and chunk > 1
    pool.workers[0].held.popleft()  # one page answered: the next chunk is queued before the worker runs dry
    pool.feed(todo, limit=10**6)
    assert sent == [chunk] * 3 and len(pool.workers[0].held) == 2 * chunk - 1
    while todo:  # the workers answer everything they hold each round: near the end the chunks get smaller
        for worker in pool.workers:
            worker.held.clear()
        pool.feed(todo, limit=10**6)
    assert sum(sent) == 1000 and sent[-1] == 1 and max(sent) == batch_module.CHUNK_PAGES


def test_jobs_writes_the_same_files(tmp_path: Path, batch: list[str]) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    for jobs, folder in ((1, one), (2, two)):
        folder.mkdir()
        results = list(run_batch(batch, jobs=jobs, out_dir=str(folder), fmt="markdown"))
        assert [r.ok for r in results] == [Path(p).exists() and not p.endswith("binary.txt") for p in batch]
    names = sorted(p.name for p in one.iterdir())
    assert names == sorted(p.name for p in two.iterdir()) and len(names) == 2 * len(PAGES)
    for name in names:
        assert (one / name).read_bytes() == (two / name).read_bytes()


def test_stdin_is_split_in_this_process_at_its_place(monkeypatch: pytest.MonkeyPatch, batch: list[str]) -> None:
    data = PAGES[1].read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    paths = [batch[0], "-", batch[1], batch[2]]
    results = list(run_batch(paths, jobs=2))
    assert [r.path for r in results] == paths
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    assert results[1].output == process_page("-").output
    assert results[1].output and '"source": "<stdin>"' in results[1].output


def test_a_bug_on_one_page_is_reported_for_that_page(monkeypatch: pytest.MonkeyPatch, batch: list[str]) -> None:
    import segmenter.batch as batch_module

    def broken(*args: object) -> object:
        raise IndexError("boom")

    monkeypatch.setattr(batch_module, "_segmenter", broken)
    result = process_page(batch[0])
    assert result.error is not None and "IndexError: boom" in result.error and batch[0] in result.error


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"jobs": 0}, "at least 1"),
        ({"backend": "spark"}, "unknown backend"),
        ({"backend": "dask"}, "needs --scheduler"),
    ],
)
def test_bad_batch_settings(batch: list[str], kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        list(run_batch(batch[:2], **kwargs))  # type: ignore[arg-type]


def test_cli_jobs_output_and_summary(capsys: pytest.CaptureFixture[str], batch: list[str]) -> None:
    files = [p for p in batch if "binary" not in p and "missing" not in p]
    assert main(["split", *files]) == 0
    serial = capsys.readouterr()
    assert main(["split", "--jobs", "2", *files]) == 0
    parallel = capsys.readouterr()
    assert parallel.out == serial.out and parallel.out.count("\n") > 10
    assert parallel.err == serial.err
    assert serial.err.startswith(f"{len(files)} pages, ") and serial.err.endswith(" 0 failed\n")


def test_cli_reports_each_failed_file_and_exits_1(capsys: pytest.CaptureFixture[str], batch: list[str]) -> None:
    assert main(["split", "--jobs", "2", *batch]) == 1
    err = capsys.readouterr().err.splitlines()
    errors = [line for line in err if line.startswith("segmenter: error:")]
    assert len(errors) == 2
    assert "binary.txt" in errors[0] and "missing.txt" in errors[1]
    assert err[-1].endswith(" 2 failed") and " pages, " in err[-1]


def test_progress_bar_only_on_a_terminal_and_not_with_quiet(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], batch: list[str]
) -> None:
    files = batch[:3]
    files = [p for p in files if "binary" not in p]
    assert main(["split", *files]) == 0
    assert "page/s" not in capsys.readouterr().err  # not a terminal: no bar
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["split", *files]) == 0
    err = capsys.readouterr().err
    assert f"{len(files)}/{len(files)}" in err and "page" in err
    assert main(["split", "--quiet", *files]) == 0
    assert capsys.readouterr().err == ""


# --- the Dask backend -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A Dask cluster of one worker process with two threads, on loopback only."""
    pytest.importorskip("dask")
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=40,
    ) as local:
        yield local.scheduler_address


def test_dask_backend_gives_the_local_output(
    cluster: str, batch: list[str], serial: list[tuple[str, str | None, str | None]]
) -> None:
    assert _outputs(run_batch(batch, backend="dask", scheduler=cluster)) == serial


def test_cli_dask_backend(cluster: str, capsys: pytest.CaptureFixture[str], batch: list[str]) -> None:
    files = [p for p in batch if "binary" not in p and "missing" not in p][:4]
    assert main(["split", *files]) == 0
    local = capsys.readouterr().out
    assert main(["split", "--backend", "dask", "--scheduler", cluster, *files]) == 0
    assert capsys.readouterr().out == local


def test_cli_dask_needs_a_scheduler(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["split", "--backend", "dask", str(PAGES[0])])
    assert stop.value.code == 2
    assert "--scheduler" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("words", "has_lexicon", "preloads"),
    [
        (True, True, False),
        ("lexicon", True, False),
        ("none", True, False),
        ("pkuseg", True, True),
        # a model written before lexicons asks pkuseg in lexicon mode: forked workers must share it, not
        # load 0.9 GB each (the preload used to look at the mode alone)
        (True, False, True),
        ("lexicon", False, True),
    ],
)
def test_the_word_model_is_preloaded_exactly_when_the_pages_will_ask_it(
    monkeypatch: pytest.MonkeyPatch, words: object, has_lexicon: bool, preloads: bool
) -> None:
    import types

    from segmenter import batch as batch_module
    from segmenter import words as words_module

    lexicon = types.SimpleNamespace(crosses=lambda left, right: False) if has_lexicon else None
    loaded = types.SimpleNamespace(lexicon=lexicon, uses_words=False)
    monkeypatch.setattr(batch_module, "_segmenter", lambda *args: types.SimpleNamespace(loaded=loaded))
    calls: list[str] = []
    fake = types.SimpleNamespace(load=lambda: calls.append("load"))
    monkeypatch.setattr(words_module, "get_word_segmenter", lambda: fake)
    batch_module._preload({"words": words})
    assert calls == (["load"] if preloads else [])
