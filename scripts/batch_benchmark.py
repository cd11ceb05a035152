#!/usr/bin/env python3
"""Batch speed-up: whole ``segmenter split --jobs N`` commands over rendered pages, and each worker's memory.

``python3 scripts/batch_benchmark.py [--pages 1000] [--runs 3] [--settings stdout,out-dir,no-words]``

The pages are the reserved corpus pages rendered by :mod:`segmenter.render` (as in
:func:`segmenter.benchmark.benchmark_pages`), written once to a scratch folder. For each setting
(records to stdout or to ``--out-dir``; with or without the word model) it runs ``--jobs 1`` and
``--jobs 2`` alternately, ``--runs`` times each, and reports the median wall time of the whole command
(start-up and model loads included), its CPU time with its workers, how busy the machine was with other
processes meanwhile, and the largest RSS, PSS and private memory of one worker (sampled from
``/proc/PID/smaps_rollup`` every 0.1 s; PSS counts pages shared with the batch's process and the other
worker by their share). Prints a dated Markdown table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from segmenter.benchmark import _commit, _cpu_jiffies, benchmark_pages, machine  # noqa: E402


def write_pages(folder: Path, count: int) -> list[str]:
    """``count`` rendered reserved pages as files in ``folder`` (several renderings of each)."""
    from segmenter.benchmark import _shared

    shared = len(_shared())
    copies = 1
    while True:
        pages = benchmark_pages(seed=15, copies=copies)[shared:]
        if len(pages) >= count or not pages:
            break
        copies = -(-count * copies // len(pages))
    files = []
    for k, (text, _) in enumerate(pages[:count]):
        path = folder / f"page{k:06d}.txt"
        path.write_text(text, encoding="utf-8")
        files.append(str(path))
    return files


def _memory(pid: int) -> dict[str, int]:
    """Rss, Pss and private (clean + dirty) kB of a process, from smaps_rollup."""
    fields: dict[str, int] = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
            name, value = line.split(":", 1)
            fields[name] = int(value.split()[0])
    except (OSError, ValueError, IndexError):
        return {}
    return {
        "rss": fields.get("Rss", 0),
        "pss": fields.get("Pss", 0),
        "private": fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0),
    }


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def run_once(files: list[str], jobs: int, extra: list[str]) -> dict[str, float]:
    """One whole command: wall and CPU seconds, other processes' cores, the largest worker's memory (MB)."""
    ticks = os.sysconf("SC_CLK_TCK")
    before = _cpu_jiffies()
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "segmenter.cli", "split", "-q", "--jobs", str(jobs), *extra, *files],
        stdout=subprocess.DEVNULL,
        cwd=ROOT,
    )
    peak = {"rss": 0, "pss": 0, "private": 0}
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.1):
            for child in _children(proc.pid) if jobs > 1 else [proc.pid]:
                for key, value in _memory(child).items():
                    peak[key] = max(peak[key], value)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stop.set()
    sampler.join()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"segmenter split --jobs {jobs} {' '.join(extra)} failed")
    after = _cpu_jiffies()
    cpu = usage.ru_utime + usage.ru_stime
    other = max(0.0, ((after[0] - before[0]) / ticks - cpu) / wall) if before and after else float("nan")
    return {"wall": wall, "cpu": cpu, "other": other, **{k: v / 1024 for k, v in peak.items()}}


def _spin(n: int) -> int:
    total = 0
    for k in range(n):
        total += k * k % 7
    return total


def ceiling(seconds: float = 3.0) -> float:
    """What two processes give perfectly parallel pure-Python work here now: the speed-up of 2 loops over 1."""
    import multiprocessing

    n = 1_000_000
    start = time.perf_counter()
    _spin(n)
    n = int(n * seconds / (time.perf_counter() - start))
    start = time.perf_counter()
    _spin(n)
    one = time.perf_counter() - start
    with multiprocessing.get_context("fork").Pool(2) as pool:
        start = time.perf_counter()
        pool.map(_spin, [n, n])
        two = time.perf_counter() - start
    return 2 * one / two


def wait_for_quiet(max_wait: float, busy_below: float = 0.25) -> float:
    """Wait (at most ``max_wait`` s) until other processes keep fewer than ``busy_below`` cores busy over 2 s.

    On a shared machine whose scheduler gives each session its share (Linux autogroup), a second worker
    gains nothing while others keep the cores busy; the speed-up can only be measured when they rest.
    Returns the cores busy in the last window.
    """
    ticks = os.sysconf("SC_CLK_TCK")
    deadline = time.monotonic() + max_wait
    while True:
        before = _cpu_jiffies()
        time.sleep(2.0)
        after = _cpu_jiffies()
        busy = (after[0] - before[0]) / ticks / 2.0 if before and after else 0.0
        if busy < busy_below or time.monotonic() > deadline:
            return busy


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--wait-quiet", type=float, default=0.0, metavar="S", help="before each pair of runs, wait up to S s for the machine to rest")
    parser.add_argument("--settings", default="stdout,out-dir,no-words", help="comma-separated: stdout, out-dir, no-words")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="segmenter-batch-"))
    try:
        (scratch / "in").mkdir()
        files = write_pages(scratch / "in", args.pages)
        settings = {
            "stdout": [],
            "out-dir": ["--out-dir", str(scratch / "out")],
            "no-words": ["--no-words", "--out-dir", str(scratch / "out")],
        }
        loads = [os.getloadavg()[0]]
        rows = []
        for name in args.settings.split(","):
            runs: dict[int, list[dict[str, float]]] = {1: [], 2: []}
            for _ in range(args.runs):
                if args.wait_quiet:
                    print(f"busy cores before the pair: {wait_for_quiet(args.wait_quiet):.2f}", file=sys.stderr)
                for jobs in (1, 2):
                    shutil.rmtree(scratch / "out", ignore_errors=True)
                    runs[jobs].append(run_once(files, jobs, settings[name]))
                    print(f"{name} --jobs {jobs}: {runs[jobs][-1]}", file=sys.stderr)
            loads.append(os.getloadavg()[0])
            rows.append((name, runs))
        limit = ceiling()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    def med(values: list[float]) -> float:
        return statistics.median(values)

    lines = [
        f"### {dt.date.today().isoformat()} — `python3 scripts/batch_benchmark.py --pages {args.pages} --runs {args.runs}`",
        "",
        f"Machine: {machine()}; load average (1 min) {', '.join(f'{x:.1f}' for x in loads)} at the start and after each "
        f"setting. Commit {_commit()}. {len(files)} rendered reserved pages; medians of {args.runs} whole commands "
        "per cell, --jobs 1 and --jobs 2 alternating.",
        "",
        "| setting | --jobs 1 s | --jobs 2 s | speed-up | pages/s --jobs 2 | CPU ms/page 1 / 2 | other processes' cores 1 / 2 "
        "| worker RSS / PSS / private MB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, runs in rows:
        one, two = (med([r["wall"] for r in runs[j]]) for j in (1, 2))
        cpu = [med([r["cpu"] for r in runs[j]]) / len(files) * 1000 for j in (1, 2)]
        other = [med([r["other"] for r in runs[j]]) for j in (1, 2)]
        memory = [max(r[k] for r in runs[2]) for k in ("rss", "pss", "private")]
        lines.append(
            f"| {name} | {one:.1f} | {two:.1f} | {one / two:.2f}× | {len(files) / two:.0f} | {cpu[0]:.1f} / {cpu[1]:.1f} "
            f"| {other[0]:.1f} / {other[1]:.1f} | {memory[0]:.0f} / {memory[1]:.0f} / {memory[2]:.0f} |"
        )
    lines += [
        "",
        f"The same machine's ceiling right after: two processes of a pure-Python loop do {limit:.2f}× the work of one "
        "in the same time.",
    ]
    print("\n".join(lines))  # a dated table for docs/speed.md
    return 0


if __name__ == "__main__":
    sys.exit(main())
