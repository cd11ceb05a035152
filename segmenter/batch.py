"""Batches of pages: run in this process, in local worker processes, or on a Dask cluster.

The unit of work is :func:`process_page`, which reports a :class:`PageResult` instead of raising, so
one bad file never stops a batch. With an output directory the worker writes the page's file itself
(atomically) and returns only counts, so memory does not grow with the batch. Results come back in
input order.

* ``jobs=1``: every page in this process.
* ``local`` with ``jobs > 1``: ``jobs`` worker processes, each loading the model once, fed chunks of
  pages over a pipe of its own (:class:`_Pool`). On Linux they are *forked* after the model (and the
  word model, shared copy-on-write) is loaded here, so they start in milliseconds; elsewhere they are
  spawned and load it themselves. Because the batch knows which pages each worker holds, a worker
  that dies (the out-of-memory killer's ``SIGKILL``) fails only the page it was splitting, with an
  error naming it; its other pages go to a new worker and the batch goes on. Stopping the batch
  (an exception here, ``SIGTERM``/``SIGINT`` turned into one by the command line, or closing the
  generator) stops the workers: each removes the temporary file of a write it was in.
* ``dask``: chunks of pages through :func:`process_pages` on an existing cluster; the workers need
  this package installed and must see the input (and output) paths.
"""

from __future__ import annotations

import collections
import contextlib
import gc
import logging
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import SegmenterError, display_name
from .write import Format, render, render_parts, write_atomic

logger = logging.getLogger(__name__)


@dataclass
class PageResult:
    """What happened to one input file."""

    path: str
    articles: int = 0
    output: str | None = None
    out_path: str | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    skipped: bool = False

    @property
    def ok(self) -> bool:
        """The page was split (or skipped because its output exists)."""
        return self.error is None


def output_path(path: str, out_dir: str | os.PathLike[str], fmt: Format | str) -> Path:
    """``DIR/<stem><suffix>`` for an input path (``stdin`` for ``-``)."""
    stem = "stdin" if path == "-" else Path(path).stem
    return Path(out_dir) / (stem + Format(fmt).suffix)


class _PageWarnings(logging.Handler):
    """Turn the WARNING records of the segmenter's loggers into the current page's ``warnings``.

    One handler on the ``segmenter`` logger with a list per thread (a Dask worker runs pages in
    threads), so a warning raised in a worker process reaches the user with its page. Records are
    marked ``segmenter_page_warning`` so the command line does not print them twice.
    """

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.local = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        sink = getattr(self.local, "sink", None)
        if sink is not None:
            sink.append(record.getMessage())
            record.segmenter_page_warning = True


_PAGE_WARNINGS = _PageWarnings()


@contextlib.contextmanager
def _collect_warnings(into: list[str]) -> Iterator[None]:
    """Collect the warnings logged in this thread while the block runs into ``into``."""
    package_logger = logging.getLogger("segmenter")
    if _PAGE_WARNINGS not in package_logger.handlers:
        package_logger.addHandler(_PAGE_WARNINGS)
    previous = getattr(_PAGE_WARNINGS.local, "sink", None)
    _PAGE_WARNINGS.local.sink = into
    try:
        yield
    finally:
        _PAGE_WARNINGS.local.sink = previous


_SEGMENTERS: dict[tuple[str | None, bool | str, bool], object] = {}


def _segmenter(model: str | None, words: bool | str, trust_pickle: bool = False):  # noqa: ANN202 - returns api.Segmenter
    from .api import load_model

    key = (model, words, trust_pickle)
    if key not in _SEGMENTERS:
        _SEGMENTERS[key] = load_model(model, words=words, trust_pickle=trust_pickle)
    return _SEGMENTERS[key]


def process_page(
    path: str,
    *,
    model: str | None = None,
    words: bool | str = True,
    fmt: Format | str = Format.JSONL,
    out_dir: str | None = None,
    encoding: str | None = None,
    skip_existing: bool = False,
    trust_pickle: bool = False,
    max_bytes: int | None = None,
) -> PageResult:
    """Read, split and write one page; errors come back in the result, never as exceptions.

    Parameters
    ----------
    path : str
        Input file, or ``-`` for stdin.
    model : str, optional
        Model file (default: the shipped model).
    words : bool or {"lexicon", "pkuseg", "none"}, default=True
        How the stitcher asks whether a word runs across an ambiguous break (see :class:`~segmenter.api.Segmenter`).
    fmt : Format or str, default="jsonl"
        Output format.
    out_dir : str, optional
        Write ``DIR/<stem>.<ext>`` atomically; otherwise the rendered text is returned in ``output``.
    encoding : str, optional
        Force the input encoding instead of detecting it.
    skip_existing : bool, default=False
        Skip a page whose output file exists.
    trust_pickle : bool, default=False
        Allow a model without numpy arrays to be unpickled (see :func:`segmenter.model.read_model`).
    max_bytes : int, optional
        Refuse a page larger than this (default :data:`segmenter.read.MAX_BYTES`).
    """
    from .read import MAX_BYTES, read_page

    result = PageResult(path)
    target = output_path(path, out_dir, fmt) if out_dir is not None else None
    if target is not None and skip_existing and target.exists():
        result.skipped = True
        result.out_path = str(target)
        return result
    try:
        with _collect_warnings(result.warnings):  # bad bytes replaced, from read_page
            decoded = read_page(path, encoding=encoding, max_bytes=MAX_BYTES if max_bytes is None else max_bytes)
        seg = _segmenter(model, words, trust_pickle)
        articles = seg.split(decoded.text, source="<stdin>" if path == "-" else display_name(Path(path).name))
        if not articles:  # every line lands in a record, so there was no line with text
            result.warnings.append(f"{path}: empty page (no line with text), no articles")
        result.articles = sum(1 for a in articles if a.kind != "other")
        if target is not None:
            # written piece by piece: a long page's output is never held whole
            write_atomic(target, render_parts(articles, fmt, decoded.text))
            result.out_path = str(target)
        else:
            result.output = render(articles, fmt, decoded.text)
    except SegmenterError as exc:
        result.error = str(exc)
    except ImportError as exc:  # an optional package (the word model's pkuseg) is not installed: say which
        result.error = f"{path}: {exc}"
    except OSError as exc:  # writing the output failed
        result.error = f"{target or path}: {exc.strerror or exc}"
    except Exception as exc:  # a bug hit by one page must not stop a batch of millions: report it per file
        logger.debug("unexpected error on %s", path, exc_info=True)
        result.error = f"{path}: internal error ({type(exc).__name__}: {exc}); please report it with this page"
    return result


def process_pages(paths: Sequence[str], **options: Any) -> list[PageResult]:
    """:func:`process_page` for each page of a chunk: the task a Dask worker runs (its model loaded once)."""
    return [process_page(path, **options) for path in paths]


def run_batch(
    paths: Sequence[str],
    *,
    jobs: int = 1,
    backend: str = "local",
    scheduler: str | None = None,
    **options: Any,
) -> Generator[PageResult, None, None]:
    """Process pages in input order, yielding each result as soon as it (and all before it) are done.

    Close the generator (or let it finish) to stop the worker processes; an exception raised into
    it (``KeyboardInterrupt``, or one raised by a ``SIGTERM`` handler) stops them too, each removing
    the temporary file of a write it was in.

    Parameters
    ----------
    paths : sequence of str
        Input files; ``-`` (stdin) is always read and split in this process.
    jobs : int, default=1
        Worker processes for ``local``; 1 runs every page in this process. The ``dask`` backend uses
        every worker thread of the cluster whatever ``jobs`` says.
    backend : {"local", "dask"}
        ``local``: worker processes on this machine, fed chunks of pages. ``dask``: chunks of pages
        through :func:`process_pages` on the cluster at ``scheduler`` (``pip install '.[dask]'`` from a clone);
        the workers need the package and must see the input paths (and ``out_dir``) at the same paths.
    scheduler : str, optional
        Address of the Dask scheduler, e.g. ``tcp://10.0.0.5:8786``; required for ``dask``.
    **options
        Passed to :func:`process_page`. With ``out_dir``, temporary files that killed writes of this
        batch's outputs left there (older than :data:`STALE_TEMP_S`) are removed first.

    Yields
    ------
    PageResult
        One per path, in the order of ``paths``. A page whose worker process died while splitting it
        (killed by the out-of-memory killer, say) comes back with an ``error`` naming it.

    Raises
    ------
    ValueError
        For an unknown backend, ``jobs < 1`` or ``dask`` without a scheduler.
    ImportError
        For ``dask`` when the optional extra is not installed.
    """
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    if backend not in ("local", "dask"):
        raise ValueError(f"unknown backend {backend!r}: expected 'local' or 'dask'")
    if options.get("out_dir") is not None:
        out_dir, fmt = options["out_dir"], options.get("fmt", Format.JSONL)
        remove_stale_temps(out_dir, {output_path(p, out_dir, fmt).name for p in paths})
    if backend == "dask":
        yield from _run_dask(paths, scheduler=scheduler, **options)
        return
    files = sum(1 for p in paths if p != "-")
    if jobs == 1 or files <= 1:
        for path in paths:
            yield process_page(path, **options)
        return
    yield from _run_pool(paths, min(jobs, files), options)


# --------------------------------------------------------------------------------------------------
# temporary files of killed writes

#: a temporary file of :func:`~segmenter.write.write_atomic`: ``.<output name>.<8 random characters>.tmp``
_TEMP = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp")
#: a temporary file this old was left by a killed write (a write takes milliseconds); a younger one
#: may belong to a run writing into the same directory right now
STALE_TEMP_S = 60.0


def remove_stale_temps(out_dir: str | os.PathLike[str], names: set[str], *, older_than: float = STALE_TEMP_S) -> int:
    """Remove the temporary files that killed writes of the outputs ``names`` left in ``out_dir``.

    Parameters
    ----------
    out_dir : path-like
        The output directory; a missing or unreadable one holds nothing to remove.
    names : set of str
        Output file names (``<stem>.<ext>``) whose temporary files may go.
    older_than : float, default=STALE_TEMP_S
        Seconds since a temporary file was last written before it counts as left behind.

    Returns
    -------
    int
        How many files were removed.
    """
    removed = 0
    now = time.time()
    try:
        entries = os.scandir(out_dir)
    except OSError:
        return 0
    with entries:
        for entry in entries:
            match = _TEMP.fullmatch(entry.name)
            if match is None or match["name"] not in names:
                continue
            try:
                if not entry.is_file(follow_symlinks=False) or now - entry.stat().st_mtime < older_than:
                    continue
                os.unlink(entry.path)
            except OSError:  # removed meanwhile, or not ours to remove
                continue
            removed += 1
    if removed:
        logger.info("removed %d temporary files of interrupted writes from %s", removed, out_dir)
    return removed


# --------------------------------------------------------------------------------------------------
# local worker processes

#: most pages a worker is sent at a time (fewer near the end of a batch, so that the workers finish
#: together): one message per chunk, one answer per page
CHUNK_PAGES = 16
#: pages the batch may run ahead of the first unfinished one (at least four chunks a worker): the results
#: held back for output in order stay bounded (records on stdout: about 50 KB a page) when one page is
#: slow, and the other workers go on for many seconds' worth of pages meanwhile
WINDOW_PAGES = 1024
#: how much further ahead with ``out_dir``, whose results are a few hundred bytes
WINDOW_OUT_DIR_FACTOR = 16
#: seconds the workers have to stop (after their last chunk, or SIGTERM) before they are killed
STOP_TIMEOUT_S = 5.0
#: workers that may die holding no page before the batch stops replacing them, per job
IDLE_DEATHS_PER_JOB = 2


def _can_fork() -> bool:
    """Whether worker processes may be forked from this one (Linux; elsewhere fork is unsafe or missing)."""
    import multiprocessing

    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _preload(options: dict[str, Any]) -> None:
    """Load the model of ``options`` in this process (and the word model when it will be used)."""
    try:
        # the key process_page asks the cache with, so that forked workers find the model loaded here
        seg = _segmenter(
            options.get("model"), options.get("words", True), bool(options.get("trust_pickle"))  # type: ignore[arg-type]
        )
        # forked workers share what is loaded here; loaded in each worker, the word model would cost
        # every worker its 3-4 s and 0.9 GB (a single process keeps loading it lazily, if ever). The
        # stitcher asks it with --words pkuseg, and in lexicon mode for a model without a lexicon.
        from .api import break_words, word_crosses

        asks = break_words(options.get("words", True), seg.loaded.lexicon)  # type: ignore[arg-type]
        if asks is word_crosses or seg.loaded.uses_words:
            from .words import get_word_segmenter

            get_word_segmenter().load()
    except (SegmenterError, ImportError) as exc:  # every page will report it
        logger.debug("not preloading the model: %s", exc)


class _Stop(BaseException):
    """Raised in a worker by SIGTERM or SIGINT: the page unwinds (a write removes its temporary file)."""


def _raise_stop(signum: int, frame: object) -> None:
    raise _Stop(signum)


def _worker_main(conn: Any, options: dict[str, Any], preload: bool, inherited: list[Any]) -> None:
    """A worker process: split the chunks of ``(index, path)`` that arrive on ``conn``, answering page by page.

    ``None`` on ``conn`` ends it; so does the batch going away (end of file) and SIGTERM or SIGINT
    (the terminal's Ctrl-C reaches every process of the group: the batch, not each worker, reports it).
    It leaves through ``os._exit``: no traceback, and nothing inherited from the batch is flushed twice.
    """
    code = 0
    try:
        signal.signal(signal.SIGTERM, _raise_stop)
        signal.signal(signal.SIGINT, _raise_stop)
        for other in inherited:  # the batch's ends of the other pipes: end of file must reach their workers
            other.close()
        if preload:
            _preload(options)
        while (chunk := conn.recv()) is not None:
            for index, path in chunk:
                conn.send((index, process_page(path, **options)))
    except _Stop as stop:  # the exit code a shell gives a process the signal ended: 143 for SIGTERM
        code = 128 + stop.args[0]
    except (EOFError, BrokenPipeError):  # the batch is gone
        code = 1
    except BaseException:  # noqa: BLE001 - a bug here: the batch reports the page this worker held
        logger.debug("worker failed", exc_info=True)
        code = 70
    finally:
        os._exit(code)


@dataclass
class _Worker:
    process: Any
    conn: Any
    held: collections.deque[tuple[int, str]] = field(default_factory=collections.deque)


def _how_it_ended(code: int | None) -> str:
    """A worker process's end, in words, from its exit code."""
    if code is None:
        return "it stopped answering"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"killed by {name}" + (", as the out-of-memory killer does" if -code == signal.SIGKILL else "")
    return f"exit code {code}"


class _Pool:
    """Worker processes fed chunks of pages, each over a pipe of its own, so the batch knows who holds what."""

    def __init__(self, jobs: int, options: dict[str, Any]) -> None:
        import multiprocessing

        self.jobs = jobs
        self.options = options
        self.fork = _can_fork()
        # a literal method each way: typeshed then knows the context has ``Process``
        self.context = multiprocessing.get_context("fork") if self.fork else multiprocessing.get_context("spawn")
        self.workers: list[_Worker] = []
        self.idle_deaths = 0

    def start(self) -> None:
        if self.fork:
            # forked workers inherit the model (and the word model, shared copy-on-write) loaded here
            # once, so they start in milliseconds instead of each importing scikit-learn and loading it
            _preload(self.options)
        for _ in range(self.jobs):
            self.spawn()

    def spawn(self) -> None:
        """Start one more worker."""
        parent_end, child_end = self.context.Pipe(duplex=True)
        inherited = [w.conn for w in self.workers] + [parent_end] if self.fork else []
        process = self.context.Process(
            target=_worker_main,
            args=(child_end, self.options, not self.fork, inherited),
            name="segmenter-worker",
            daemon=True,  # should this process end without closing the pool, its workers end too
        )
        if self.fork:
            for stream in (sys.stdout, sys.stderr):
                with contextlib.suppress(Exception):
                    stream.flush()
            # the loaded model in the permanent generation: the worker's collections never write to
            # (and so copy) the pages it shares with this process
            gc.freeze()
        try:
            process.start()
        finally:
            if self.fork:
                gc.unfreeze()
            child_end.close()
        self.workers.append(_Worker(process, parent_end))

    def feed(self, todo: collections.deque[tuple[int, str]], limit: int) -> None:
        """Send each worker a chunk of the pages before ``limit`` when it holds less than a chunk."""
        for worker in self.workers:
            while todo and todo[0][0] < limit:
                size = max(1, min(CHUNK_PAGES, len(todo) // (2 * len(self.workers))))
                if len(worker.held) >= size:
                    break
                chunk: list[tuple[int, str]] = []
                while todo and todo[0][0] < limit and len(chunk) < size:
                    chunk.append(todo.popleft())
                try:
                    worker.conn.send(chunk)
                except OSError:  # it died: collect() finds out and hands its pages on
                    todo.extendleft(reversed(chunk))
                    break
                worker.held.extend(chunk)

    def collect(self, done: dict[int, PageResult], todo: collections.deque[tuple[int, str]]) -> None:
        """Wait for answers or deaths; store the answers in ``done``, hand a dead worker's pages on."""
        from multiprocessing.connection import wait

        if not self.workers:
            for index, path in todo:
                done[index] = PageResult(path, error=f"{path}: not split: the batch's worker processes kept dying")
            todo.clear()
            return
        owner = {w.conn: w for w in self.workers} | {w.process.sentinel: w for w in self.workers}
        for ready in wait(list(owner)):
            worker = owner[ready]
            if worker in self.workers and not self._receive(worker, done):
                self._bury(worker, done, todo)

    def _receive(self, worker: _Worker, done: dict[int, PageResult]) -> bool:
        """Store the answers waiting on the worker's pipe; False once it is closed (the worker died)."""
        try:
            while worker.conn.poll():
                index, result = worker.conn.recv()
                worker.held.popleft()
                done[index] = result
        except (EOFError, OSError):
            return False
        return worker.process.exitcode is None

    def _bury(self, worker: _Worker, done: dict[int, PageResult], todo: collections.deque[tuple[int, str]]) -> None:
        """A worker died: fail the page it was splitting, hand its other pages on, start another worker."""
        worker.process.join(STOP_TIMEOUT_S)
        if worker.process.exitcode is None:  # its pipe broke but it lives on: it is of no use any more
            worker.process.kill()
            worker.process.join()
        worker.conn.close()
        self.workers.remove(worker)
        if worker.held:
            index, path = worker.held.popleft()
            how = _how_it_ended(worker.process.exitcode)
            done[index] = PageResult(path, error=f"{path}: not split: the worker process splitting it died ({how})")
            logger.debug("worker %s died on %s (%s)", worker.process.pid, path, how)
            self._remove_temps([path])
            todo.extendleft(reversed(worker.held))
        else:
            self.idle_deaths += 1
        if todo and self.idle_deaths <= IDLE_DEATHS_PER_JOB * self.jobs:
            try:
                self.spawn()
            except OSError as exc:  # no memory to fork, say: the workers left carry on
                logger.warning("could not start a worker process: %s", exc.strerror or exc)

    def _remove_temps(self, paths: list[str]) -> None:
        """Remove what writes of these pages' outputs by a killed worker left."""
        out_dir = self.options.get("out_dir")
        if out_dir is not None and paths:
            fmt = self.options.get("fmt", Format.JSONL)
            remove_stale_temps(out_dir, {output_path(p, out_dir, fmt).name for p in paths}, older_than=0)

    def close(self, finished: bool) -> None:
        """End the workers: after their last chunk when ``finished``, else at once (SIGTERM, then SIGKILL)."""
        for worker in self.workers:
            with contextlib.suppress(OSError):
                if finished:
                    worker.conn.send(None)
                else:
                    worker.process.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT_S
        unfinished = []
        for worker in self.workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.exitcode is None:
                worker.process.kill()
                worker.process.join()
            unfinished += [path for _, path in worker.held]
            worker.conn.close()
        self.workers.clear()
        # every worker has ended: a temporary file of a page none of them finished is a write cut short
        # (a signal that reached a worker where it could not unwind, or the kill above)
        self._remove_temps(unfinished)


def _run_pool(paths: Sequence[str], jobs: int, options: dict[str, Any]) -> Iterator[PageResult]:
    """The pages on ``jobs`` local workers (``-`` split here, at its place), in the order of ``paths``."""
    pool = _Pool(jobs, options)
    todo = collections.deque((index, path) for index, path in enumerate(paths) if path != "-")
    done: dict[int, PageResult] = {}
    window = max(WINDOW_PAGES, 4 * CHUNK_PAGES * jobs) * (WINDOW_OUT_DIR_FACTOR if options.get("out_dir") else 1)
    finished = False
    try:
        pool.start()
        for index, path in enumerate(paths):
            if path == "-":  # a worker cannot read this process's stdin; the workers go on meanwhile
                pool.feed(todo, index + window)
                yield process_page(path, **options)
                continue
            while index not in done:
                pool.feed(todo, index + window)
                pool.collect(done, todo)
            yield done.pop(index)
        finished = True
    finally:
        pool.close(finished)


# --------------------------------------------------------------------------------------------------
# Dask


def _run_dask(paths: Sequence[str], *, scheduler: str | None, **options: Any) -> Iterator[PageResult]:
    """Chunks of pages through :func:`process_pages` on a Dask cluster, in order (``-`` split here)."""
    if scheduler is None:
        raise ValueError("--backend dask needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786)")
    try:
        from dask.distributed import Client
    except ImportError:  # pragma: no cover - depends on the optional extra
        raise ImportError(
            "the Dask backend needs the optional extra: pip install '.[dask]' in a clone of the repository"
        ) from None
    import functools

    files = [p for p in paths if p != "-"]
    task = functools.partial(process_pages, **options)
    with Client(scheduler, set_as_default=False) as client:
        # a worker that dies is replaced by the cluster and its chunk run again, up to the
        # scheduler's allowed failures; past them the chunk's pages fail with the cluster's error
        futures = collections.deque(
            (chunk, client.submit(task, chunk, pure=False))
            for chunk in (files[k : k + CHUNK_PAGES] for k in range(0, len(files), CHUNK_PAGES))
        )
        answers: collections.deque[PageResult] = collections.deque()
        for path in paths:
            if path == "-":
                yield process_page(path, **options)
                continue
            if not answers:
                chunk, future = futures.popleft()
                try:
                    answers.extend(future.result())
                except Exception as exc:  # noqa: BLE001 - KilledWorker, a lost connection: per page
                    answers.extend(PageResult(p, error=f"{p}: not split: its Dask task failed ({exc})") for p in chunk)
                del future  # the cluster may forget the chunk's results
            yield answers.popleft()
