"""Command line: ``segmenter split | train | evaluate``. The only module that prints or exits.

Exit codes: 0 success (also for an empty page, with a warning), 1 a page or the model could not be
processed, 2 a usage error, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM: the workers are stopped, no
output file is left half-written). Errors are one line on stderr naming the file and the problem; ``-v``
adds tracebacks and debug logs.
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

from . import __version__
from .errors import SegmenterError
from .write import Format

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
EXIT_TERMINATED = 128 + signal.SIGTERM
logger = logging.getLogger("segmenter")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, like every other usage error
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``segmenter`` command."""
    parser = _Parser(prog="segmenter", description="Split Chinese newspaper page text into article records.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    split = sub.add_parser("split", help="split pages into articles (JSON Lines on stdout by default)")
    split.add_argument("files", nargs="+", metavar="FILE", help="page text files; - reads stdin")
    split.add_argument("--out-dir", metavar="DIR", help="write DIR/<stem>.<ext> per page instead of stdout")
    split.add_argument("--format", choices=[f.value for f in Format], default="jsonl", help="output format")
    split.add_argument("--model", metavar="PATH", help="model file (.joblib with its .json card beside it)")
    split.add_argument("--encoding", help="input encoding (default: detected)")
    split.add_argument(
        "--no-words",
        action="store_true",
        help="never load the pkuseg word model (by default it is loaded, once, only for a page whose broken "
        "paragraphs punctuation cannot resolve)",
    )
    split.add_argument("--jobs", type=_positive, default=1, metavar="N", help="pages in parallel: N worker processes")
    split.add_argument(
        "--backend",
        choices=["local", "dask"],
        default="local",
        help="local: --jobs processes on this machine; dask: every worker of the cluster at --scheduler",
    )
    split.add_argument(
        "--scheduler", metavar="ADDRESS", help="Dask scheduler for --backend dask, e.g. tcp://10.0.0.5:8786"
    )
    split.add_argument("--skip-existing", action="store_true", help="skip pages whose output file exists")
    split.add_argument("-q", "--quiet", action="store_true", help="no progress bar, no summary, no warnings")
    split.add_argument("-v", "--verbose", action="store_true", help="debug logs and tracebacks")

    train = sub.add_parser("train", help="train the line classifier and write a model with its meta card")
    from .train import add_arguments as add_train_arguments

    add_train_arguments(train)
    train.add_argument("-v", "--verbose", action="store_true", help="debug logs")

    evaluate = sub.add_parser("evaluate", help="score the segmenter against gold pages")
    from .evaluate import add_arguments as add_eval_arguments

    add_eval_arguments(evaluate)
    evaluate.add_argument("-v", "--verbose", action="store_true", help="debug logs")
    return parser


def _not_page_warning(record: logging.LogRecord) -> bool:
    # a page's warnings come back in its result and are printed with it (see batch._PageWarnings)
    return not getattr(record, "segmenter_page_warning", False)


def _setup_logging(verbose: bool, quiet: bool = False) -> None:
    level = logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING
    logging.basicConfig(level=level, format="segmenter: %(levelname)s: %(message)s", stream=sys.stderr)
    logging.getLogger("segmenter").setLevel(level)
    for handler in logging.getLogger().handlers:
        if _not_page_warning not in handler.filters:
            handler.addFilter(_not_page_warning)


def _check_targets(args: argparse.Namespace, parser: argparse.ArgumentParser) -> None:
    """Refuse two inputs that would write the same output file (the second would replace the first)."""
    from .batch import output_path

    seen: dict[str, str] = {}
    for path in args.files:
        target = str(output_path(path, args.out_dir, args.format))
        if target in seen:
            parser.error(f"{seen[target]} and {path} would both write {target}")
        seen[target] = path


def _utf8_stdout() -> None:
    """Write records as UTF-8 (the JSON Lines contract) even under a locale with another encoding."""
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    if encoding != "utf8" and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")


def _split(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if args.backend == "dask" and not args.scheduler:
        parser.error("--backend dask needs --scheduler ADDRESS")
    if args.files.count("-") > 1:
        parser.error("stdin (-) can be read only once")
    if args.out_dir is not None:
        if os.path.exists(args.out_dir) and not os.path.isdir(args.out_dir):
            parser.error(f"--out-dir {args.out_dir}: exists and is not a directory")
        _check_targets(args, parser)
        try:
            os.makedirs(args.out_dir, exist_ok=True)
        except OSError as exc:
            print(f"segmenter: error: --out-dir {args.out_dir}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_FAIL
    else:
        if len(args.files) > 1 and args.format == "json":
            parser.error("--format json writes one array per page: use --out-dir with several files")
        if args.skip_existing:
            parser.error("--skip-existing needs --out-dir")

    from .batch import run_batch
    from .model import read_model

    # a bad model is one error for the run, not one per page (raises ModelError, caught in main)
    read_model(args.model)
    _utf8_stdout()

    results = batch = run_batch(
        args.files,
        jobs=args.jobs,
        backend=args.backend,
        scheduler=args.scheduler,
        model=args.model,
        words=not args.no_words,
        fmt=args.format,
        out_dir=args.out_dir,
        encoding=args.encoding,
        skip_existing=args.skip_existing,
    )
    show_bar = not args.quiet and len(args.files) > 1 and sys.stderr.isatty()
    if show_bar:
        from tqdm import tqdm

        results = tqdm(results, total=len(args.files), unit="page", file=sys.stderr)
    pages = articles = failed = skipped = 0
    out = sys.stdout
    with contextlib.closing(batch):  # however the loop ends (SIGTERM, Ctrl-C, a closed pipe), the workers stop
        for res in results:
            for warning in res.warnings:
                if not args.quiet:
                    print(f"segmenter: warning: {warning}", file=sys.stderr)
            if res.error is not None:
                failed += 1
                print(f"segmenter: error: {res.error}", file=sys.stderr)
                continue
            pages += 1
            skipped += res.skipped
            articles += res.articles
            if res.output:
                out.write(res.output)
                out.flush()
    # the summary counts the pages split (or skipped); a single file's error line is enough on its own
    if not args.quiet and len(args.files) > 1:
        extra = f", {skipped} skipped" if skipped else ""
        print(f"{pages} pages, {articles} articles, {failed} failed{extra}", file=sys.stderr)
    return EXIT_FAIL if failed else EXIT_OK


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
        if args.command == "split":
            with _sigterm_stops():
                return _split(args, parser)
        if args.command == "train":
            from .train import run as run_train

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
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - a bug of ours: one line unless -v asks for the traceback
        if verbose:
            traceback.print_exc()
        hint = "" if verbose else "; run with -v for the traceback"
        print(f"segmenter: error: internal error ({type(exc).__name__}: {exc}){hint}", file=sys.stderr)
        return EXIT_FAIL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
