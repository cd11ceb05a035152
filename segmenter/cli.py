"""Command line: ``segmenter split | review | train | evaluate``. The only module that prints or exits.

Exit codes: 0 success (also for an empty page, with a warning), 1 a page or the model could not be
processed, 2 a usage error (also an output that would replace an input, a file segmenter did not write,
or a file of the installed package, unless ``--overwrite``), 130 interrupted (Ctrl-C), 143 terminated
(SIGTERM: the workers are stopped, no output file is left half-written). Errors are one line on stderr naming
the file and the problem; ``-v`` adds tracebacks and debug logs.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import sys
import threading
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from . import __version__
from .errors import SegmenterError, display_name
from .write import Format

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
EXIT_TERMINATED = 128 + signal.SIGTERM
logger = logging.getLogger("segmenter")


class _Help(argparse.ArgumentDefaultsHelpFormatter):
    """Show an option's default in ``--help`` when it has a real one (not for flags and unset options)."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if action.default in (None, False, [], "") or "default" in (action.help or ""):
            return action.help
        return super()._get_help_string(action)


OVERWRITE_HELP = (
    "replace output files even when they are inputs, were not written by segmenter, or lie inside the "
    "installed package (refused otherwise)"
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2, like every other usage error
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def _encoding(value: str) -> str:
    from .read import text_codec

    try:
        text_codec(value)
    except LookupError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return value


_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


def _size(value: str) -> int:
    """``64M`` → 67108864; whole numbers with an optional K, M or G (1024-based)."""
    text = value.strip().upper().removesuffix("B").removesuffix("I")
    unit = text[-1:] if text[-1:] in _UNITS else ""
    digits = text[: len(text) - len(unit)]
    if not digits.isdigit() or int(digits) < 1:
        raise argparse.ArgumentTypeError(f"expected a size such as 64M, 500K or 1000000, got {value!r}")
    return int(digits) * _UNITS[unit]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``segmenter`` command."""
    parser = _Parser(prog="segmenter", description="Split Chinese newspaper page text into article records.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    split = sub.add_parser(
        "split", help="split pages into articles (JSON Lines on stdout by default)", formatter_class=_Help
    )
    split.add_argument(
        "files", nargs="+", metavar="FILE", help="page text files or PDF pages (docs/pdf.md); - reads stdin"
    )
    split.add_argument("--out-dir", metavar="DIR", help="write DIR/<stem>.<ext> per page instead of stdout")
    split.add_argument(
        "--format",
        choices=[f.value for f in Format],
        default="jsonl",
        help="output format (html: a review page per page; gold: a draft annotation to correct)",
    )
    _add_page_options(split)
    split.add_argument("--skip-existing", action="store_true", help="skip pages whose output file exists")
    split.add_argument("--overwrite", action="store_true", help=OVERWRITE_HELP)
    split.add_argument("-q", "--quiet", action="store_true", help="no progress bar, no summary, no warnings")
    split.add_argument("-v", "--verbose", action="store_true", help="debug logs and tracebacks")

    review = sub.add_parser(
        "review",
        help="write an HTML review page per page and an index.html of the batch, least sure first",
        formatter_class=_Help,
    )
    review.add_argument("files", nargs="+", metavar="PAGE", help="page text files; - reads stdin")
    review.add_argument("--out", required=True, metavar="DIR", help="folder for PAGE.html and index.html")
    _add_page_options(review)
    review.add_argument("--overwrite", action="store_true", help=OVERWRITE_HELP)
    review.add_argument("-q", "--quiet", action="store_true", help="no progress bar, no summary, no warnings")
    review.add_argument("-v", "--verbose", action="store_true", help="debug logs and tracebacks")

    train = sub.add_parser(
        "train", help="train the line classifier and write a model with its meta card", formatter_class=_Help
    )
    from .train import add_arguments as add_train_arguments

    add_train_arguments(train)
    train.add_argument(
        "--overwrite",
        action="store_true",
        help="write the model even over files segmenter did not write or the shipped model (refused otherwise)",
    )
    train.add_argument("-v", "--verbose", action="store_true", help="debug logs")

    evaluate = sub.add_parser("evaluate", help="score the segmenter against gold pages", formatter_class=_Help)
    from .evaluate import add_arguments as add_eval_arguments

    add_eval_arguments(evaluate)
    evaluate.add_argument("-v", "--verbose", action="store_true", help="debug logs")
    _add_trust_pickle(evaluate)
    return parser


def _add_trust_pickle(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--trust-pickle",
        action="store_true",
        help="load a model without numpy arrays by unpickling it (runs the file's code: only a model you trust)",
    )


def _add_page_options(parser: argparse.ArgumentParser) -> None:
    """The options of ``split`` and ``review`` that say how pages are read and split."""
    parser.add_argument(
        "--model", metavar="PATH", help="model file (.joblib with its .json card beside it); default: the shipped model"
    )
    parser.add_argument("--encoding", type=_encoding, help="input encoding (default: detected)")
    parser.add_argument(
        "--max-bytes",
        type=_size,
        default=_size("64M"),
        metavar="SIZE",
        help="refuse a page larger than SIZE bytes (suffix K, M or G: 1024-based; 64M = 67108864)",
    )
    _add_trust_pickle(parser)
    words = parser.add_mutually_exclusive_group()
    words.add_argument(
        "--words",
        choices=["lexicon", "pkuseg", "none"],
        default="lexicon",
        help="what tells whether a word runs across a break that punctuation cannot resolve: the model's word "
        "lexicon (a few MB), the full pkuseg word model (0.9 GB, loaded once, on the first page that needs it; "
        "the train extra) or nothing",
    )
    words.add_argument("--no-words", action="store_true", help="the same as --words none")
    parser.add_argument("--jobs", type=_positive, default=1, metavar="N", help="pages in parallel: N worker processes")
    parser.add_argument(
        "--backend",
        choices=["local", "dask"],
        default="local",
        help="local: --jobs processes on this machine; dask: every worker of the cluster at --scheduler",
    )
    parser.add_argument(
        "--scheduler", metavar="ADDRESS", help="Dask scheduler for --backend dask, e.g. tcp://10.0.0.5:8786"
    )


def _not_page_warning(record: logging.LogRecord) -> bool:
    # a page's warnings come back in its result and are printed with it (see batch._PageWarnings)
    return not getattr(record, "segmenter_page_warning", False)


class _Formatter(logging.Formatter):
    """``segmenter: warning: ...``: log records in the style of the messages the command prints itself."""

    def format(self, record: logging.LogRecord) -> str:
        return f"segmenter: {record.levelname.lower()}: {record.getMessage()}" + (
            "\n" + self.formatException(record.exc_info) if record.exc_info else ""
        )


def _setup_logging(verbose: bool, quiet: bool = False) -> None:
    level = logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING
    logging.basicConfig(level=level, stream=sys.stderr)
    logging.getLogger("segmenter").setLevel(level)
    for handler in logging.getLogger().handlers:
        if _not_page_warning not in handler.filters:
            handler.addFilter(_not_page_warning)
        if isinstance(handler, logging.StreamHandler) and handler.stream is sys.stderr:
            handler.setFormatter(_Formatter())


def _check_targets(args: argparse.Namespace, parser: argparse.ArgumentParser, reserved: Sequence[str] = ()) -> None:
    """Refuse outputs that would replace something: another input's output (two inputs of one stem), an
    input, a file of the installed package, or a file segmenter did not write (unless ``--overwrite``).
    ``reserved`` names the other files the command writes into the folder (a review's ``index.html``).
    """
    from .batch import output_path
    from .write import overwrite_problem

    seen: dict[str, str] = {str(Path(args.out_dir) / name): f"the {name} of the batch" for name in reserved}
    for path in args.files:
        target = output_path(path, args.out_dir, args.format)
        if str(target) in seen:
            parser.error(f"{seen[str(target)]} and {path} would both write {target}")
        seen[str(target)] = path
        if args.skip_existing and target.exists() and not any(_same(target, f) for f in args.files):
            continue  # skipped, not written
        if not args.overwrite:
            _refuse(parser, overwrite_problem(target, args.files))
    for name in reserved:
        if not args.overwrite:
            _refuse(parser, overwrite_problem(Path(args.out_dir) / name, args.files))


def _refuse(parser: argparse.ArgumentParser, problem: str | None) -> None:
    """A usage error (exit 2) for an output that would replace a file, unless there is no ``problem``."""
    if problem:
        parser.error(f"{problem} (give --overwrite to replace it)")


def _same(a: str | os.PathLike[str], b: str) -> bool:
    try:
        return b != "-" and os.path.samefile(a, b)
    except OSError:
        return False


def _utf8_stdout() -> None:
    """Write records as UTF-8 (the JSON Lines contract) even under a locale with another encoding."""
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    if encoding != "utf8" and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")


def _check_writable(out_dir: str) -> None:
    """Raise OSError unless a file can be created in ``out_dir`` (before any page is split for nothing)."""
    import tempfile

    fd, probe = tempfile.mkstemp(dir=out_dir, prefix=".segmenter-write-check.", suffix=".tmp")
    os.close(fd)
    os.unlink(probe)


def _write_out(out: TextIO, text: str) -> bool:
    """Write a page's records to stdout; on a full disk or a failing stream one error line and False."""
    try:
        out.write(text)
        out.flush()
    except BrokenPipeError:
        raise  # the reader went away: handled in main
    except OSError as exc:
        print(f"segmenter: error: standard output: {exc.strerror or exc}", file=sys.stderr)
        _drop_stdout()  # what is still buffered must not fail again at exit
        return False
    return True


def _drop_stdout() -> None:
    """Point stdout at /dev/null: the interpreter's final flush then has nowhere to fail."""
    try:
        fileno = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # no real stream (closed, or captured by a caller)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fileno)


def _split(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    code, _ = _run_pages(args, parser, "--out-dir")
    return code


def _review(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """``segmenter review``: the pages as HTML review pages, then the batch's index.html."""
    from .review import INDEX_NAME, write_index

    args.out_dir, args.format, args.skip_existing = args.out, "html", False
    code, written = _run_pages(args, parser, "--out", reserved=(INDEX_NAME,))
    if written:
        index = write_index(args.out_dir, written)
        if not args.quiet:
            print(f"review: open {index}", file=sys.stderr)
    return code


def _run_pages(
    args: argparse.Namespace, parser: argparse.ArgumentParser, out_option: str, reserved: Sequence[str] = ()
) -> tuple[int, list[str]]:
    """Split the pages of ``args`` and write or print them; the exit code and the files written."""
    if args.backend == "dask" and not args.scheduler:
        parser.error("--backend dask needs --scheduler ADDRESS")
    if args.files.count("-") > 1:
        parser.error("stdin (-) can be read only once")
    if args.out_dir is not None:
        if os.path.exists(args.out_dir) and not os.path.isdir(args.out_dir):
            parser.error(f"{out_option} {args.out_dir}: exists and is not a directory")
        _check_targets(args, parser, reserved)
        try:
            os.makedirs(args.out_dir, exist_ok=True)
            _check_writable(args.out_dir)
        except OSError as exc:
            print(f"segmenter: error: {out_option} {display_name(args.out_dir)}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_FAIL, []
    else:
        if sys.stdout is None:
            print("segmenter: error: standard output is closed; write to files with --out-dir DIR", file=sys.stderr)
            return EXIT_FAIL, []
        if len(args.files) > 1 and Format(args.format).one_per_file:
            parser.error(f"--format {args.format} writes one document per page: use --out-dir with several files")
        if args.skip_existing:
            parser.error("--skip-existing needs --out-dir")

    from .batch import run_batch
    from .model import read_model

    # a bad model is one error for the run, not one per page (raises ModelError, caught in main)
    read_model(args.model, trust_pickle=args.trust_pickle)
    _utf8_stdout()

    results = batch = run_batch(
        args.files,
        jobs=args.jobs,
        backend=args.backend,
        scheduler=args.scheduler,
        model=args.model,
        words="none" if args.no_words else args.words,
        fmt=args.format,
        out_dir=args.out_dir,
        encoding=args.encoding,
        skip_existing=args.skip_existing,
        trust_pickle=args.trust_pickle,
        max_bytes=args.max_bytes,
    )
    show_bar = not args.quiet and len(args.files) > 1 and sys.stderr.isatty()
    if show_bar:
        from tqdm import tqdm

        results = tqdm(results, total=len(args.files), unit="page", file=sys.stderr)
    pages = articles = failed = skipped = 0
    written: list[str] = []
    out = sys.stdout
    with contextlib.closing(batch):  # however the loop ends (SIGTERM, Ctrl-C, a closed pipe), the workers stop
        for res in results:
            for warning in res.warnings:
                if not args.quiet:
                    print(f"segmenter: warning: {display_name(warning)}", file=sys.stderr)
            if res.error is not None:
                failed += 1
                print(f"segmenter: error: {display_name(res.error)}", file=sys.stderr)  # a name's bytes as \xNN
                continue
            pages += 1
            skipped += res.skipped
            articles += res.articles
            if res.out_path and not res.skipped:
                written.append(res.out_path)
            if res.output and not _write_out(out, res.output):
                return EXIT_FAIL, written
    # the summary counts the pages split (or skipped); a single file's error line is enough on its own
    if not args.quiet and len(args.files) > 1:
        extra = f", {skipped} skipped" if skipped else ""
        print(f"{pages} pages, {articles} articles, {failed} failed{extra}", file=sys.stderr)
    return (EXIT_FAIL if failed else EXIT_OK), written


class _Terminated(BaseException):
    """SIGTERM, raised where the main thread is: the batch stops its workers, a write removes its temporary file."""


def _terminate(signum: int, frame: object) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once: a second SIGTERM must not cut the clean-up short
    raise _Terminated


@contextlib.contextmanager
def _sigterm_stops() -> Iterator[None]:
    """Turn SIGTERM into :class:`_Terminated` while the command runs (only the main thread can set handlers)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (``console_scripts`` passes it to ``sys.exit``)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    verbose = getattr(args, "verbose", False)
    _setup_logging(verbose, getattr(args, "quiet", False))
    try:
        if args.command in ("split", "review"):
            with _sigterm_stops():
                return (_split if args.command == "split" else _review)(args, parser)
        if args.command == "train":
            from .train import default_out, out_problem
            from .train import run as run_train

            # never the shipped model: a new file under ./models/ unless --out names one
            args.out = str(default_out()) if args.out is None else args.out
            if not args.overwrite:
                _refuse(parser, out_problem(args.out))
            print(run_train(args))
            return EXIT_OK
        from .evaluate import run as run_evaluate

        print(run_evaluate(args))
        return EXIT_OK
    except (SegmenterError, ValueError, ImportError) as exc:
        if verbose:
            traceback.print_exc()
        print(f"segmenter: error: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except KeyboardInterrupt:
        print("segmenter: interrupted", file=sys.stderr)
        return 130
    except _Terminated:
        print("segmenter: terminated", file=sys.stderr)
        return EXIT_TERMINATED
    except BrokenPipeError:
        # the reader went away (| head): not an error of ours
        _drop_stdout()
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - a bug of ours: one line unless -v asks for the traceback
        if verbose:
            traceback.print_exc()
        hint = "" if verbose else "; run with -v for the traceback"
        print(f"segmenter: error: internal error ({type(exc).__name__}: {exc}){hint}", file=sys.stderr)
        return EXIT_FAIL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
