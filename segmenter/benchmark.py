"""Speed benchmark: cost per page against the floor of any line-based tool, with accuracy beside it.

``python3 scripts/benchmark.py`` (``--quick`` for a shorter run) measures, on the three shared pages and
the reserved corpus pages (dated after :data:`~segmenter.corpus.CORPUS_SPLIT_DATE`) rendered by
:mod:`segmenter.render`:

* the **scan**: one pass of NFKC normalisation and the dateline regex over every line, which any
  line-based tool pays; and the Markdown-heading baseline of :mod:`segmenter.evaluate`;
* for each configuration of the segmenter (the shipped model, with and without the word model, and a
  model trained with the other word-feature setting): warm pages/s and characters/s in one process,
  the ratio of its cost per page to the scan's, peak RSS, and its accuracy on the same pages;
* cold start: process start to the first record on stdout of ``segmenter split``;
* ``--jobs 1`` against ``--jobs 2`` on a batch of 260 pages, end to end and with warm workers.

Each configuration runs in a fresh child process (``python -c``), so that its RSS and caches are its own.
Every figure is the median of several runs; the scan and the segmenter alternate run by run, so that a
busy machine slows both alike. Library code: nothing here prints; :func:`run` returns the report.
"""

from __future__ import annotations

import datetime as _dt
import json
import logging
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
#: the targets of the speed issue, checked at the end of the report
TARGET_RATIO, STRETCH_RATIO = 8.0, 5.0
TARGET_COLD_S = 0.5
TARGET_RSS_MB = 1200.0
#: peak RSS of a process in the default configuration (the word lexicon, no pkuseg)
TARGET_DEFAULT_RSS_MB = 300.0
TARGET_SPEEDUP = 1.8
#: the default configuration of ``segmenter split``: the targets are checked on it
DEFAULT_CONFIG = "segmenter, shipped model (default: the model's word lexicon)"
#: pages of the ``--jobs`` batch: the reserved pages rendered this many times each (52 × 5 = 260)
BATCH_COPIES = 5

Page = tuple[str, dict[str, Any]]


# --------------------------------------------------------------------------------------------------
# pages and the reference scan


def benchmark_pages(*, corpus: str | Path | None = None, seed: int = 14, copies: int = 1) -> list[Page]:
    """The shared annotated pages and the reserved corpus pages rendered with their gold.

    Parameters
    ----------
    corpus : path-like, optional
        ``pages.jsonl.gz``; default: the shared corpus beside the repository. Missing: shared pages only.
    seed : int, default=14
        Rendering seed (the one ``segmenter train`` scores its reserved pages with).
    copies : int, default=1
        Renderings per reserved page.

    Returns
    -------
    list of (str, dict)
        Page text and gold, shared pages first.
    """
    from .train import DEFAULT_CORPUS, DEFAULT_GOLD, DEFAULT_PAGES, annotated_pages, rendered_pages

    pages = annotated_pages(DEFAULT_PAGES, DEFAULT_GOLD)
    corpus = Path(corpus) if corpus is not None else DEFAULT_CORPUS
    if corpus.is_file():
        pages += rendered_pages(corpus, split="eval", seed=seed, copies=copies)
    else:
        logger.warning("no corpus at %s: benchmarking the shared pages only", corpus)
    return pages


def page_stats(texts: Sequence[str]) -> dict[str, int]:
    """Pages, characters and non-empty lines of a set of pages."""
    return {
        "pages": len(texts),
        "chars": sum(map(len, texts)),
        "lines": sum(1 for t in texts for line in t.splitlines() if line.strip()),
    }


def scan(text: str) -> int:
    """The floor of a line-based tool: NFKC-normalise the page and search each line for a dateline.

    Returns
    -------
    int
        Lines with a dateline (returned so that the work cannot be optimised away).
    """
    from .patterns import DATELINE

    search = DATELINE.search
    return sum(1 for line in unicodedata.normalize("NFKC", text).splitlines() if search(line))


def clear_caches() -> None:
    """Empty the per-process caches of normalised lines and words, so a timed pass sees new text."""
    from . import api, patterns, words

    # plain objects to mypy, whose ``hasattr`` check then finds ``cache_clear`` on each
    cached: tuple[object, ...] = (
        getattr(patterns, "norm", None),
        patterns,  # its other line caches (patterns.cache_clear)
        getattr(api, "word_crosses", None),
        getattr(words, "_cached_words", None),
    )
    for fn in cached:
        if hasattr(fn, "cache_clear"):
            fn.cache_clear()


def _timed(fn: Callable[[str], object], texts: Sequence[str]) -> tuple[float, float]:
    clear_caches()
    wall, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        fn(text)
    return time.perf_counter() - wall, time.process_time() - cpu


def _peak_rss_mb() -> float:
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1 << 20) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB elsewhere


# --------------------------------------------------------------------------------------------------
# one configuration, measured in its own process


@dataclass
class ConfigResult:
    """What one configuration of the segmenter costs and scores on the benchmark pages."""

    name: str
    model: str | None
    #: the word mode (:func:`segmenter.api.word_mode`): lexicon, pkuseg or none
    words: str
    uses_word_features: bool = False
    model_load_s: float = 0.0
    word_load_s: float | None = None
    word_model_loaded: bool = False
    seg_wall: list[float] = field(default_factory=list)
    seg_cpu: list[float] = field(default_factory=list)
    scan_wall: list[float] = field(default_factory=list)
    peak_rss_mb: float = 0.0
    scores: dict[str, float] = field(default_factory=dict)


def measure_config(pages: Sequence[Page], *, name: str, model: str | None, words: str, runs: int) -> ConfigResult:
    """Load a configuration in this process and time warm passes over the pages, alternating with the scan.

    Parameters
    ----------
    pages : sequence of (str, dict)
        Text and gold.
    name : str
        Label of the configuration in the report.
    model : str or None
        Model file; None for the shipped one.
    words : {"lexicon", "pkuseg", "none"}
        The stitcher's word test (:class:`~segmenter.api.Segmenter`); with ``"pkuseg"`` the word model is
        loaded before the timed passes.
    runs : int
        Timed passes (each preceded by a scan pass); caches are emptied before every pass.
    """
    from .api import load_model
    from .evaluate import evaluate_pages

    result = ConfigResult(name, model, words)
    start = time.perf_counter()
    seg = load_model(model, words=words)
    result.model_load_s = time.perf_counter() - start
    result.uses_word_features = seg.loaded.uses_words
    if words == "pkuseg" or result.uses_word_features:
        from .words import get_word_segmenter

        start = time.perf_counter()
        get_word_segmenter().load()
        result.word_load_s = time.perf_counter() - start
    texts = [text for text, _ in pages]
    _timed(seg.split, texts)  # a first pass: lazy imports, the fast path's set-up
    for _ in range(runs):
        result.scan_wall.append(_timed(scan, texts)[0])
        wall, cpu = _timed(seg.split, texts)
        result.seg_wall.append(wall)
        result.seg_cpu.append(cpu)
    result.scores = evaluate_pages(pages, segmenter=seg).as_row()
    from . import words as words_module

    instance = getattr(words_module, "_instance", None)
    result.word_model_loaded = bool(instance is not None and instance.is_loaded)
    result.peak_rss_mb = _peak_rss_mb()
    return result


def batch_pass(files: Sequence[str], *, jobs: int, runs: int) -> list[float]:
    """Seconds of :func:`~segmenter.batch.run_batch` over the files with warm workers (the first pass starts them)."""
    from .batch import run_batch

    def one() -> float:
        start = time.perf_counter()
        failed = sum(1 for r in run_batch(files, jobs=jobs) if r.error)
        if failed:
            raise RuntimeError(f"{failed} pages of the benchmark batch failed")
        return time.perf_counter() - start

    one()
    return [one() for _ in range(runs)]


def child(request_file: str) -> None:
    """Entry point of a child process: read the request, measure, write the answer beside it."""
    request = json.loads(Path(request_file).read_text(encoding="utf-8"))
    logging.basicConfig(level=logging.WARNING)
    if request["task"] == "config":
        pages = [tuple(p) for p in json.loads(Path(request["pages"]).read_text(encoding="utf-8"))]
        answer: Any = asdict(
            measure_config(
                pages, name=request["name"], model=request["model"], words=request["words"], runs=request["runs"]
            )
        )
    else:
        answer = batch_pass(request["files"], jobs=request["jobs"], runs=request["runs"])
    Path(request["answer"]).write_text(json.dumps(answer), encoding="utf-8")


def _in_child(request: dict[str, Any], workdir: Path, timeout: float = 1800) -> Any:
    request_file = workdir / f"request-{time.monotonic_ns()}.json"
    request["answer"] = str(request_file.with_suffix(".answer.json"))
    request_file.write_text(json.dumps(request), encoding="utf-8")
    code = f"from segmenter.benchmark import child; child({str(request_file)!r})"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=timeout, cwd=ROOT)
    return json.loads(Path(request["answer"]).read_text(encoding="utf-8"))


# --------------------------------------------------------------------------------------------------
# whole processes: cold start and batches through the command line


def cold_start(args: Sequence[str], runs: int) -> list[float]:
    """Seconds from starting ``python -m segmenter.cli ARGS`` to its first line on stdout, per run."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "segmenter.cli", *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT
        )
        assert proc.stdout is not None
        first = proc.stdout.readline()
        times.append(time.perf_counter() - start)
        proc.stdout.read()
        if proc.wait() != 0 or not first:
            raise RuntimeError(f"segmenter {' '.join(args)} failed (exit {proc.returncode})")
    return times


def _cpu_jiffies() -> tuple[int, int] | None:
    """(busy, total) clock ticks of all CPUs since boot, from /proc/stat; None where there is none."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields[:8]) - idle, sum(fields[:8])


@dataclass
class BatchRun:
    """One whole ``segmenter split`` process over the batch."""

    wall: float
    cpu: float  # user + system seconds of the command and its worker processes
    other_cores: float | None  # cores kept busy by other processes meanwhile (None: unknown)


def cli_batch(files: Sequence[str], *, jobs: int, runs: int) -> list[BatchRun]:
    """Whole ``segmenter split -q --jobs N FILES`` processes (start-up included), one per run.

    Besides the wall time, the CPU time of the command with its workers and how busy the machine was
    with other processes meanwhile: on a shared machine a second worker can only go as fast as a free
    core lets it.
    """
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    out = []
    for _ in range(runs):
        before = _cpu_jiffies()
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "segmenter.cli", "split", "-q", "--jobs", str(jobs), *files],
            stdout=subprocess.DEVNULL,
            cwd=ROOT,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise RuntimeError(f"segmenter split --jobs {jobs} failed (exit {proc.returncode})")
        after = _cpu_jiffies()
        cpu = usage.ru_utime + usage.ru_stime
        other = None
        if before and after:
            other = max(0.0, ((after[0] - before[0]) / ticks - cpu) / wall)
        out.append(BatchRun(wall, cpu, other))
    return out


# --------------------------------------------------------------------------------------------------
# the other model and the machine


def alternate_model(cache_dir: Path, *, words: bool, train: bool = True) -> Path | None:
    """A model trained like the shipped one but with word features ``words``, cached by recipe.

    The recipe (copies, seed, C) comes from the shipped model's meta card; training takes a minute or two
    the first time. With ``train=False`` only an already cached model is returned (else None).
    """
    from .model import DEFAULT_MODEL, read_card

    card = read_card(DEFAULT_MODEL)
    params = card.get("params", {})
    copies = (card.get("training_data", {}).get("corpus") or {}).get("copies", 1)
    seed, c = params.get("seed", 13), params.get("C", 2.0)
    out = cache_dir / f"model-{card['sha256'][:12]}-{'words' if words else 'nowords'}.joblib"
    if out.is_file():
        return out
    if not train:
        return None
    cache_dir.mkdir(parents=True, exist_ok=True)
    args = ["train", "--out", str(out), "--copies", str(copies), "--seed", str(seed), "--C", str(c), "--no-eval"]
    if words:
        args.append("--words")
    logger.info("training the comparison model: segmenter %s", " ".join(args))
    subprocess.run([sys.executable, "-m", "segmenter.cli", *args], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return out


def machine() -> str:
    """One line about the machine: CPU, cores, memory, OS, Python and the libraries that matter."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / (1 << 30)
        mem = f"{memory:.0f} GiB"
    except (ValueError, OSError, AttributeError):
        mem = "? GiB"
    import numpy
    import sklearn

    load = ""
    if hasattr(os, "getloadavg"):
        load = f", load average {os.getloadavg()[0]:.1f} at start"
    return (
        f"{cpu}, {os.cpu_count()} cores, {mem}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, numpy {numpy.__version__}, scikit-learn {sklearn.__version__}{load}"
    )


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10, check=False
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "?"
    return out.stdout.strip() + ("+local changes" if dirty.stdout.strip() else "") if out.returncode == 0 else "?"


# --------------------------------------------------------------------------------------------------
# the report


def _median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


@dataclass
class Report:
    """Every figure of one benchmark run; :meth:`markdown` formats it."""

    date: str
    machine: str
    commit: str
    stats: dict[str, int]
    runs: int
    scan_s: list[float]
    baseline_s: list[float]
    baseline_scores: dict[str, float]
    configs: list[ConfigResult]
    cold: dict[str, list[float]]
    batch_pages: int = 0
    cli_jobs: dict[int, list[BatchRun]] = field(default_factory=dict)
    warm_jobs: dict[int, list[float]] = field(default_factory=dict)

    def markdown(self) -> str:
        """The dated table, the batch table and the targets, as Markdown."""
        s = self.stats
        n, chars = s["pages"], s["chars"]
        out = [
            f"### Speed ({self.date})",
            "",
            f"Machine: {self.machine}. Commit {self.commit}.",
            (
                f"Pages: {n} ({s['chars']:,} characters, {s['lines']:,} non-empty lines): the shared pages and the "
                "reserved corpus pages rendered by `segmenter.render`. Medians of "
                f"{self.runs} runs; caches emptied before every pass; × scan is the cost per page over the scan's, "
                "measured alternately in the same process. Cold start: to the first record on stdout (with "
                "`--words pkuseg` the word model loads later, when the stitcher first needs it)."
            ),
            "",
            "| configuration | ms/page | pages/s | chars/s | × scan | cold start s | peak RSS MB | article F1 | line macro F1 |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]

        def row(name: str, secs: float, ratio: str, cold: str, rss: str, scores: dict[str, float] | None) -> str:
            f1 = f"{scores['article_f1']:.3f}" if scores else "—"
            macro = f"{scores['line_macro_f1']:.3f}" if scores else "—"
            return (
                f"| {name} | {secs / n * 1000:.2f} | {n / secs:,.0f} | {chars / secs:,.0f} | {ratio} | {cold} | {rss} "
                f"| {f1} | {macro} |"
            )

        scan_s = _median(self.scan_s)
        out.append(row("scan: NFKC + dateline regex per line (floor)", scan_s, "1.0", "—", "—", None))
        base = _median(self.baseline_s)
        out.append(row("Markdown-heading baseline", base, f"{base / scan_s:.1f}", "—", "—", self.baseline_scores))
        for c in self.configs:
            secs = _median(c.seg_wall)
            ratio = secs / _median(c.scan_wall)
            cold = self.cold.get(c.name)
            out.append(
                row(
                    c.name,
                    secs,
                    f"{ratio:.1f}",
                    f"{_median(cold):.2f}" if cold else "—",
                    f"{c.peak_rss_mb:,.0f}",
                    c.scores,
                )
            )
        loads = [c for c in self.configs if c.word_load_s is not None]
        if loads:
            out.append("")
            out.append(
                "Word model load (once per process): "
                + ", ".join(f"{c.word_load_s:.1f} s in {c.name!r}" for c in loads)
                + "; model file load: "
                + ", ".join(f"{c.model_load_s:.2f} s" for c in self.configs)
                + "."
            )
        if self.cli_jobs or self.warm_jobs:
            out += [
                "",
                f"Batch of {self.batch_pages} pages (the reserved pages rendered {BATCH_COPIES} times), `segmenter split -q`:",
                "",
                "| | --jobs 1 | --jobs 2 | speed-up |",
                "| --- | ---: | ---: | ---: |",
            ]
            cli, warm = self._jobs_walls(self.cli_jobs), self.warm_jobs
            for label, table in (
                ("pages/s, whole command (start-up included)", cli),
                ("pages/s, warm workers (in one process)", warm),
            ):
                if 1 in table and 2 in table:
                    one, two = self.batch_pages / _median(table[1]), self.batch_pages / _median(table[2])
                    out.append(f"| {label} | {one:.1f} | {two:.1f} | {two / one:.2f}× |")
            if 1 in self.cli_jobs and 2 in self.cli_jobs:
                cpu = {n: _median([r.cpu for r in self.cli_jobs[n]]) / self.batch_pages * 1000 for n in (1, 2)}
                out.append(f"| CPU ms per page, all processes of the command | {cpu[1]:.1f} | {cpu[2]:.1f} | |")
                other = {n: [r.other_cores for r in self.cli_jobs[n] if r.other_cores is not None] for n in (1, 2)}
                if other[1] and other[2]:
                    out.append(
                        f"| cores busy with other processes meanwhile | {_median(other[1]):.1f} | {_median(other[2]):.1f} | |"
                    )
        out += ["", "Targets:", ""]
        out += [f"- {line}" for line in self.targets()]
        return "\n".join(out) + "\n"

    def targets(self) -> list[str]:
        """One line per target of the speed issue: the measured figure and whether it holds."""

        def mark(ok: bool) -> str:
            return "holds" if ok else "**missed**"

        lines = []
        default = next((c for c in self.configs if c.name == DEFAULT_CONFIG), self.configs[0] if self.configs else None)
        if default is not None:
            ratio = _median(default.seg_wall) / _median(default.scan_wall)
            stretch = " (stretch ≤ 5×: " + mark(ratio <= STRETCH_RATIO) + ")"
            lines.append(
                f"warm cost per page ≤ {TARGET_RATIO:.0f}× the scan, shipped model: {ratio:.1f}× — {mark(ratio <= TARGET_RATIO)}{stretch}"
            )
            cold = self.cold.get(default.name)
            if cold:
                lines.append(
                    f"cold start ≤ {TARGET_COLD_S} s, default configuration: {_median(cold):.2f} s — {mark(_median(cold) <= TARGET_COLD_S)}"
                )
            lines.append(
                f"peak RSS ≤ {TARGET_DEFAULT_RSS_MB:,.0f} MB per process, default configuration: {default.peak_rss_mb:,.0f} MB — "
                f"{mark(default.peak_rss_mb <= TARGET_DEFAULT_RSS_MB)}"
            )
        with_words = [c for c in self.configs if c.word_load_s is not None]
        if with_words:
            rss = max(c.peak_rss_mb for c in with_words)
            lines.append(
                f"peak RSS ≤ {TARGET_RSS_MB:,.0f} MB per process with the word model: {rss:,.0f} MB — {mark(rss <= TARGET_RSS_MB)}"
            )
        for label, table in (("whole command", self._jobs_walls(self.cli_jobs)), ("warm workers", self.warm_jobs)):
            if 1 in table and 2 in table:
                speedup = _median(table[1]) / _median(table[2])
                busy = [r.other_cores for r in self.cli_jobs.get(2, []) if r.other_cores is not None]
                note = ""
                if busy and _median(busy) > 0.3:
                    note = (
                        f" (other processes kept {_median(busy):.1f} of the cores busy: not a fair test of two workers)"
                    )
                lines.append(
                    f"--jobs 2 ≥ {TARGET_SPEEDUP}× the pages/s of --jobs 1 ({label}): {speedup:.2f}× — "
                    f"{mark(speedup >= TARGET_SPEEDUP)}{note}"
                )
        return lines

    @staticmethod
    def _jobs_walls(table: dict[int, list[BatchRun]]) -> dict[int, list[float]]:
        return {n: [r.wall for r in runs] for n, runs in table.items()}


def run(
    *,
    quick: bool = False,
    runs: int | None = None,
    corpus: str | Path | None = None,
    words: bool = True,
    other_model: str | Path | None = None,
    jobs: bool = True,
    cache_dir: str | Path | None = None,
) -> Report:
    """Run the whole benchmark.

    Parameters
    ----------
    quick : bool, default=False
        Fewer runs; no comparison model unless one is cached or given. A few minutes at most.
    runs : int, optional
        Timed passes per figure (default 5, quick 3).
    corpus : path-like, optional
        The pd1998 ``pages.jsonl.gz``.
    words : bool, default=True
        Also measure the configurations with the word model (about 10 s to load per process).
    other_model : path-like, optional
        A model with the other word-feature setting than the shipped one; by default one is trained
        with the shipped model's recipe and cached in ``cache_dir``.
    jobs : bool, default=True
        Measure ``--jobs 1`` against ``--jobs 2``.
    cache_dir : path-like, optional
        Where the comparison model is kept; default ``$XDG_CACHE_HOME/segmenter/benchmark``.
    """
    from .evaluate import baseline_scores, markdown_baseline
    from .model import DEFAULT_MODEL, read_card

    runs = runs or (3 if quick else 5)
    cache = (
        Path(cache_dir)
        if cache_dir
        else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "segmenter" / "benchmark"
    )
    started = machine()
    pages = benchmark_pages(corpus=corpus)
    texts = [text for text, _ in pages]
    report = Report(
        date=_dt.date.today().isoformat(),
        machine=started,
        commit=_commit(),
        stats=page_stats(texts),
        runs=runs,
        scan_s=[],
        baseline_s=[],
        baseline_scores=baseline_scores(pages).as_row(),
        configs=[],
        cold={},
    )
    for _ in range(runs):
        report.scan_s.append(_timed(scan, texts)[0])
        report.baseline_s.append(_timed(markdown_baseline, texts)[0])

    shipped_words = bool(read_card(DEFAULT_MODEL).get("words", False))
    configs: list[tuple[str, str | None, str]] = [
        ("segmenter, shipped model, --no-words", None, "none"),
        (DEFAULT_CONFIG, None, "lexicon"),
    ]
    if words:
        configs.append(("segmenter, shipped model, --words pkuseg (the full word model)", None, "pkuseg"))
        other = Path(other_model) if other_model else alternate_model(cache, words=not shipped_words, train=not quick)
        if other is not None:
            label = "without" if shipped_words else "with"
            configs.append((f"segmenter, model {label} word features", str(other), "lexicon"))

    with tempfile.TemporaryDirectory(prefix="segmenter-bench-") as tmp:
        workdir = Path(tmp)
        pages_file = workdir / "pages.json"
        pages_file.write_text(json.dumps(pages, ensure_ascii=False), encoding="utf-8")
        for name, model, use_words in configs:
            logger.info("measuring %s", name)
            answer = _in_child(
                {
                    "task": "config",
                    "pages": str(pages_file),
                    "name": name,
                    "model": model,
                    "words": use_words,
                    "runs": runs,
                },
                workdir,
            )
            report.configs.append(ConfigResult(**answer))

        first_page = str(workdir / "page.txt")
        Path(first_page).write_text(texts[0], encoding="utf-8")
        for name, model, use_words in configs:
            args = ["split", first_page, "--words", use_words] + (["--model", model] if model else [])
            logger.info("cold start of %s", name)
            # a start with the word model takes ~10 s: fewer runs
            report.cold[name] = cold_start(args, runs if use_words != "pkuseg" else (1 if quick else 3))

        if jobs:
            batch = benchmark_batch(corpus, workdir / "batch")
            report.batch_pages = len(batch)
            jobs_runs = 1 if quick else 3
            for n in (1, 2):
                logger.info("batch of %d pages, --jobs %d", len(batch), n)
                report.cli_jobs[n] = cli_batch(batch, jobs=n, runs=jobs_runs)
                report.warm_jobs[n] = _in_child(
                    {"task": "batch", "files": batch, "jobs": n, "runs": jobs_runs}, workdir
                )
    return report


def benchmark_batch(corpus: str | Path | None, folder: Path) -> list[str]:
    """Write the ``--jobs`` batch (the reserved pages rendered :data:`BATCH_COPIES` times) as files."""
    folder.mkdir(parents=True, exist_ok=True)
    files: list[str] = []
    for text, gold in benchmark_pages(corpus=corpus, seed=15, copies=BATCH_COPIES)[len(_shared()) :]:
        path = folder / str(gold.get("source") or f"page{len(files):04d}.txt")
        path.write_text(text, encoding="utf-8")
        files.append(str(path))
    return files


def _shared() -> list[Page]:
    from .train import DEFAULT_GOLD, DEFAULT_PAGES, annotated_pages

    return annotated_pages(DEFAULT_PAGES, DEFAULT_GOLD)
