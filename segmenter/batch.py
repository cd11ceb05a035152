"""Batches of pages: one page per task, run in this process, in local worker processes, or on a Dask cluster.

Every task is :func:`process_page`, run through joblib whatever the backend; each worker process loads the
model at most once (a per-process cache) and reports a :class:`PageResult` instead of raising, so one bad
file never stops a batch. With an output directory the worker writes the page's file itself (atomically)
and returns only counts, so memory does not grow with the batch. Results come back in input order.

* ``jobs=1``: every page in this process.
* ``local`` with ``jobs > 1``: on Linux, joblib's ``multiprocessing`` backend with *forked* workers, which
  inherit the model loaded here (and the word model, shared copy-on-write), in rounds of
  :data:`CHUNK_PER_WORKER` pages per worker; elsewhere joblib's ``loky`` workers, each loading the model.
* ``dask``: joblib's Dask backend on an existing cluster; the workers need this package installed and
  must see the input (and output) paths.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import SegmenterError, display_name
from .write import Format, render, write_atomic

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


_SEGMENTERS: dict[tuple[str | None, bool, bool], object] = {}


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
        content = render(articles, fmt, decoded.text)
        if target is not None:
            write_atomic(target, content)
            result.out_path = str(target)
        else:
            result.output = content
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


def run_batch(
    paths: Sequence[str],
    *,
    jobs: int = 1,
    backend: str = "local",
    scheduler: str | None = None,
    **options: object,
) -> Iterator[PageResult]:
    """Process pages in input order, yielding each result as soon as it (and all before it) are done.

    Parameters
    ----------
    paths : sequence of str
        Input files; ``-`` (stdin) is always read and split in this process.
    jobs : int, default=1
        Worker processes for ``local``; 1 runs every page in this process. The ``dask`` backend uses
        every worker thread of the cluster whatever ``jobs`` says.
    backend : {"local", "dask"}
        ``local``: joblib's ``loky`` processes on this machine. ``dask``: the same tasks through
        joblib's Dask backend on the cluster at ``scheduler`` (``pip install '.[dask]'`` from a clone);
        the workers need the package and must see the input paths (and ``out_dir``) at the same paths.
    scheduler : str, optional
        Address of the Dask scheduler, e.g. ``tcp://10.0.0.5:8786``; required for ``dask``.
    **options
        Passed to :func:`process_page`.

    Yields
    ------
    PageResult
        One per path, in the order of ``paths``.

    Raises
    ------
    ValueError
        For an unknown backend, ``jobs < 1`` or ``dask`` without a scheduler.
    ImportError
        For ``dask`` when the optional extra is not installed.
    """
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    if backend == "dask":
        yield from _run_dask(paths, scheduler=scheduler, **options)
        return
    if backend != "local":
        raise ValueError(f"unknown backend {backend!r}: expected 'local' or 'dask'")
    remote = [p for p in paths if p != "-"]
    if jobs == 1 or len(remote) <= 1:
        for path in paths:
            yield process_page(path, **options)  # type: ignore[arg-type]
        return
    from joblib import Parallel, parallel_config

    n_jobs = min(jobs, len(remote))
    if not _can_fork():
        # batch_size="auto" groups pages per task once it has timed a few; the generator keeps the order
        parallel = Parallel(n_jobs=n_jobs, backend="loky", return_as="generator", batch_size="auto")
        yield from _in_order(paths, parallel, options, task=_page_in_worker)
        return
    import multiprocessing

    # Forked workers inherit the model (and the word model, shared copy-on-write) loaded here once,
    # so they start in milliseconds; loky's fresh interpreters would each spend a second or more
    # importing scikit-learn and loading the model before their first page.
    _preload(options)
    fork = multiprocessing.get_context("fork")
    with parallel_config(backend="multiprocessing", context=fork), Parallel(n_jobs=n_jobs, batch_size=1) as parallel:
        yield from _in_order(paths, _chunked(parallel, CHUNK_PER_WORKER * n_jobs), options)


#: pages per worker in one round of the forked pool: results stream out round by round, and a worker
#: idles at most one page's time per round
CHUNK_PER_WORKER = 32


def _can_fork() -> bool:
    """Whether worker processes may be forked from this one (Linux; elsewhere fork is unsafe or missing)."""
    import multiprocessing

    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _preload(options: dict[str, object]) -> None:
    """Load the model of ``options`` in this process (and the word model when it will be used)."""
    try:
        seg = _segmenter(
            options.get("model"), options.get("words", True), bool(options.get("trust_pickle"))  # type: ignore[arg-type]
        )
        # forked workers share what is loaded here; loaded in each worker, the word model would cost
        # every worker its 3-4 s and 0.9 GB (a single process keeps loading it lazily, if ever)
        from .api import word_mode

        if word_mode(options.get("words", True)) == "pkuseg" or seg.loaded.uses_words:  # type: ignore[arg-type]
            from .words import get_word_segmenter

            get_word_segmenter().load()
    except (SegmenterError, ImportError) as exc:  # every page will report it
        logger.debug("not preloading the model: %s", exc)


#: whether this (loky worker) process has loaded its models: see :func:`_page_in_worker`
_worker_ready = False


def _page_in_worker(path: str, **options: Any) -> PageResult:
    """:func:`process_page` in a ``loky`` worker, whose first page loads the models first.

    loky replaces a worker whose memory has grown by more than 300 MB since its first task (its leak
    guard, active where psutil is installed). The word model, loaded lazily on the first page that
    needs it (0.9 GB), got every worker replaced after such a page, and each new worker loaded it
    again: loaded during the first task, it is part of the size loky measures the growth from.
    """
    global _worker_ready
    if not _worker_ready:
        _preload(options)
        _worker_ready = True
    return process_page(path, **options)


def _chunked(parallel: Any, size: int) -> Callable[[Iterable[Any]], Iterator[PageResult]]:
    """Make a backend without generator results stream: run ``size`` tasks per call, in order."""

    def run(tasks: Iterable[Any]) -> Iterator[PageResult]:
        tasks = iter(tasks)
        while chunk := list(itertools.islice(tasks, size)):
            yield from parallel(chunk)

    return run


def _in_order(
    paths: Sequence[str],
    parallel: Any,
    options: dict[str, object],
    task: Callable[..., PageResult] = process_page,
) -> Iterator[PageResult]:
    """Run the files on ``parallel``, each through ``task``, and stdin here; yield results in the order of ``paths``."""
    from joblib import delayed

    # a worker process cannot read this process's stdin: ``-`` is split here, at its place in the order
    results = iter(parallel(delayed(task)(p, **options) for p in paths if p != "-"))
    for path in paths:
        yield process_page(path, **options) if path == "-" else next(results)  # type: ignore[arg-type]


def _run_dask(paths: Sequence[str], *, scheduler: str | None, **options: object) -> Iterator[PageResult]:
    if scheduler is None:
        raise ValueError("--backend dask needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786)")
    try:
        from dask.distributed import Client
    except ImportError:  # pragma: no cover - depends on the optional extra
        raise ImportError(
            "the Dask backend needs the optional extra: pip install '.[dask]' in a clone of the repository"
        ) from None
    from joblib import Parallel, parallel_config

    # the client is handed to joblib's backend, which would otherwise open a second connection
    with Client(scheduler, set_as_default=False) as client, parallel_config(backend="dask", client=client):
        parallel = Parallel(n_jobs=-1, return_as="generator", batch_size="auto")
        yield from _in_order(paths, parallel, options)
