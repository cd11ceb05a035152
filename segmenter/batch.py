"""Batches of pages: one page per task, run in this process, in local worker processes, or on a Dask cluster.

Every task is :func:`process_page`; each worker process loads the model once (a per-process cache) and
reports a :class:`PageResult` instead of raising, so one bad file never stops a batch. With an output
directory the worker writes the page's file itself (atomically) and returns only counts, so memory does
not grow with the batch.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import SegmenterError
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


_SEGMENTERS: dict[tuple[str | None, bool], object] = {}


def _segmenter(model: str | None, words: bool):  # noqa: ANN202 - returns api.Segmenter
    from .api import load_model

    key = (model, words)
    if key not in _SEGMENTERS:
        _SEGMENTERS[key] = load_model(model, words=words)
    return _SEGMENTERS[key]


def process_page(
    path: str,
    *,
    model: str | None = None,
    words: bool = False,
    fmt: Format | str = Format.JSONL,
    out_dir: str | None = None,
    encoding: str | None = None,
    skip_existing: bool = False,
) -> PageResult:
    """Read, split and write one page; errors come back in the result, never as exceptions.

    Parameters
    ----------
    path : str
        Input file, or ``-`` for stdin.
    model : str, optional
        Model file (default: the shipped model).
    words : bool, default=False
        Use the word model for sentence continuity.
    fmt : Format or str, default="jsonl"
        Output format.
    out_dir : str, optional
        Write ``DIR/<stem>.<ext>`` atomically; otherwise the rendered text is returned in ``output``.
    encoding : str, optional
        Force the input encoding instead of detecting it.
    skip_existing : bool, default=False
        Skip a page whose output file exists.
    """
    from .read import read_page

    result = PageResult(path)
    target = output_path(path, out_dir, fmt) if out_dir is not None else None
    if target is not None and skip_existing and target.exists():
        result.skipped = True
        result.out_path = str(target)
        return result
    try:
        decoded = read_page(path, encoding=encoding)
        seg = _segmenter(model, words)
        if not decoded.text.strip():
            result.warnings.append(f"{path}: empty page, no articles")
            articles = []
        else:
            articles = seg.split(decoded.text, source="<stdin>" if path == "-" else Path(path).name)
        result.articles = sum(1 for a in articles if a.kind != "other")
        content = render(articles, fmt)
        if target is not None:
            write_atomic(target, content)
            result.out_path = str(target)
        else:
            result.output = content
    except SegmenterError as exc:
        result.error = str(exc)
    except OSError as exc:  # writing the output failed
        result.error = f"{target or path}: {exc.strerror or exc}"
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
        Input files.
    jobs : int, default=1
        Worker processes (``local``) or concurrent tasks (``dask``); 1 runs in this process.
    backend : {"local", "dask"}
        ``dask`` runs the same tasks through joblib's Dask backend on the cluster at ``scheduler``
        (needs ``pip install segmenter[dask]``).
    scheduler : str, optional
        Address of the Dask scheduler, e.g. ``tcp://10.0.0.5:8786``.
    **options
        Passed to :func:`process_page`.
    """
    if backend == "dask":
        yield from _run_dask(paths, jobs=jobs, scheduler=scheduler, **options)
        return
    if jobs == 1 or len(paths) <= 1:
        for path in paths:
            yield process_page(path, **options)  # type: ignore[arg-type]
        return
    from joblib import Parallel, delayed

    parallel = Parallel(n_jobs=jobs, backend="loky", return_as="generator", batch_size=1)
    yield from parallel(delayed(process_page)(p, **options) for p in paths)


def _run_dask(paths: Sequence[str], *, jobs: int, scheduler: str | None, **options: object) -> Iterator[PageResult]:
    try:
        from dask.distributed import Client
    except ImportError:  # pragma: no cover - depends on the optional extra
        raise ImportError(
            "the Dask backend needs the optional extra: pip install 'segmenter[dask]'"
        ) from None
    from joblib import Parallel, delayed, parallel_config

    if scheduler is None:
        raise ValueError("--backend dask needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786)")
    with Client(scheduler, set_as_default=False) as client:
        with parallel_config(backend="dask", scheduler_host=client.scheduler.address):
            parallel = Parallel(n_jobs=max(jobs, 1), return_as="generator", batch_size=1)
            yield from parallel(delayed(process_page)(p, **options) for p in paths)
