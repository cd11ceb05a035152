"""Hostile input (issue "Hostile input and faults"): patterns that cannot backtrack badly, an input bound,
models that never run code, names and text that never stop a batch.

Timing tests compare a size with a larger one (the law, not a speed target) with a generous factor.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest

from segmenter import patterns as P
from segmenter import split_page

# --------------------------------------------------------------------------------------------------
# regular expressions


def _best_time(run: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


#: strings that make a badly written pattern backtrack: runs of spaces after a fixed word, runs of
#: digits, runs of one repeated opener
_ADVERSARIAL: dict[str, Callable[[int], str]] = {
    "摄 + spaces + x": lambda n: "摄" + " " * n + "x",
    "供图 + spaces + x": lambda n: "供图" + " " * n + "x",
    "下转第1版 + spaces + x": lambda n: "下转第1版" + " " * n + "x",
    "dateline + spaces + x": lambda n: "新华社北京1月25日电" + " " * n + "x",
    "本报 + spaces + x": lambda n: "本报" + " " * n + "x",
    "公告 + spaces + x": lambda n: "公告" + " " * n + "x",
    "a + spaces + b": lambda n: "a" + " " * n + "b",
    "digits": lambda n: "1" * n,
    "digits + space pairs": lambda n: "1 " * (n // 2),
    "bold marks": lambda n: "**a" + "** " * (n // 3),
    "brackets": lambda n: "(" * n,
    "第 + space pairs": lambda n: "第 " * (n // 2),
}
_PATTERNS = {name: value for name, value in vars(P).items() if isinstance(value, re.Pattern)}


@pytest.mark.parametrize("pattern", sorted(_PATTERNS))
def test_no_pattern_backtracks_badly(pattern: str) -> None:
    # before the fix: CREDIT on 摄 + 1,000 spaces + x took 2 ms and on 8,000 spaces 130 ms (quadratic)
    regex = _PATTERNS[pattern]
    for name, make in _ADVERSARIAL.items():
        small, big = make(1000), make(8000)
        t_small = _best_time(lambda: (regex.search(small), regex.match(small)))
        t_big = _best_time(lambda: (regex.search(big), regex.match(big)))
        assert t_big <= 20 * t_small + 0.002, f"{pattern} on {name}: {t_small * 1e3:.2f} ms → {t_big * 1e3:.2f} ms"


def test_lines_of_a_credit_word_and_spaces_cost_linear_time() -> None:
    # the case: lines of 摄 + 2,000 spaces + x took 16.7 ms each in the credit pattern
    def page(n: int) -> str:
        return "\n".join("摄" + " " * (n - i) + "x" for i in range(40))

    # before the fix 485 → 1,940 spaces took 0.10 s → 1.47 s (×15), after 0.01 s → 0.04 s (×2 to ×4)
    split_page(page(50))  # warm: model loaded
    t_small = _best_time(lambda: split_page(page(485)))
    t_big = _best_time(lambda: split_page(page(1940)))
    assert t_big <= 10 * t_small + 0.02, f"{t_small:.3f} s → {t_big:.3f} s for 4× the spaces"


def test_the_fixed_patterns_still_find_what_they_found() -> None:
    assert P.is_credit("（新华社记者 王强 摄）") and P.is_credit("本报记者 刘洋摄  ") and P.is_credit("张三供图)")
    assert not P.is_credit("摄" + " " * 50 + "x")
    assert P.CONTINUED_TO.search("（下转第３版）".translate({0xFF08: "(", 0xFF09: ")", 0xFF13: "3"}))
    assert P.CONTINUED_TO.search("下转第3版 ) ") and not P.CONTINUED_TO.search("下转第3版 x")
    assert P.is_dateline_only("（新华社北京１月２５日电）") and P.DATELINE_ONLY.match("新华社北京1月25日电 (记者 王) )")
    assert P.FURNITURE.search("1998年1月9日") and P.FURNITURE.search("12 月 3 日") and P.FURNITURE.search("x12月3日")
    assert P.is_byline("本报记者 王明") and P.is_byline("新华社 “新华视点”记者") and P.is_byline("□ 本报  记者")


# --------------------------------------------------------------------------------------------------
# models: split never unpickles; the card and the arrays are checked against a schema

import hashlib  # noqa: E402
import json  # noqa: E402
import zipfile  # noqa: E402
from pathlib import Path  # noqa: E402

import joblib  # noqa: E402
import numpy as np  # noqa: E402

from segmenter import ModelError, load_model  # noqa: E402
from segmenter.cli import main  # noqa: E402
from segmenter.model import card_path, check_card, read_model  # noqa: E402
from test_model_files import _card, _write_card, copied  # noqa: E402, F401 - the shipped model's files copied

ROOT = Path(__file__).resolve().parent.parent
PAGE = sorted((ROOT / "data" / "pages").glob("*.txt"))[0]


class _CreatesAFile:
    """Unpickling this opens (creates) a file: code run by loading a model."""

    def __init__(self, target: Path) -> None:
        self.target = str(target)

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (self.target, "w"))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _evil_model(copied: Path, marker: Path) -> Path:
    """The attack of the issue: a pickle that runs code, its own SHA-256 on the card, ``"arrays": null``."""
    joblib.dump(_CreatesAFile(marker), copied)
    card = _card(copied)
    card["sha256"] = _sha(copied)
    card["arrays"] = None
    _write_card(copied, card)
    return copied


def test_a_sealed_pickle_without_arrays_is_never_unpickled(copied: Path, tmp_path: Path) -> None:
    marker = tmp_path / "code-ran"
    path = _evil_model(copied, marker)
    for load in (read_model, load_model):
        with pytest.raises(ModelError, match="no numpy arrays.*--trust-pickle"):
            load(path)
    assert not marker.exists()


def test_a_sealed_pickle_is_refused_by_split_with_one_line(
    copied: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marker = tmp_path / "code-ran"
    path = _evil_model(copied, marker)
    assert main(["split", "--model", str(path), str(PAGE)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"segmenter: error: {path}: the model has no numpy arrays")
    assert not marker.exists()


def test_trust_pickle_is_what_unpickles_and_the_test_pickle_does_run_code(copied: Path, tmp_path: Path) -> None:
    marker = tmp_path / "code-ran"
    path = _evil_model(copied, marker)
    with pytest.raises(ModelError, match="not a fitted segmenter Pipeline"):
        read_model(path, trust_pickle=True)
    assert marker.exists()  # so the tests above would have seen it
    marker.unlink()
    read_model.__globals__["_CACHE"].clear()
    assert main(["split", "--trust-pickle", "--model", str(path), str(PAGE)]) == 1
    assert marker.exists()  # the command line passes --trust-pickle on


def _set(field: str, value: object) -> Callable[[dict], None]:
    def change(card: dict) -> None:
        keys = field.split(".")
        target = card
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value

    return change


#: malformed card fields (each one an "internal error" before) → what the message names
MALFORMED: dict[str, tuple[Callable[[dict], None], str]] = {
    "labels 5": (_set("labels", 5), "'labels' must be a list"),
    "labels twice": (_set("labels", ["body", "body"]), "'labels' lists a label twice"),
    "versions a string": (_set("versions", "1.9.1"), "'versions' must be an object"),
    "versions without scikit-learn": (_set("versions", {"python": "3.11"}), "names no scikit-learn version"),
    "arrays a string": (_set("arrays", "x.npz"), "'arrays' must be null or an object"),
    "arrays outside the folder": (_set("arrays.file", "../other/x.npz"), "'arrays.file' must be a file name"),
    "arrays absolute": (_set("arrays.file", "/etc/passwd"), "'arrays.file' must be a file name"),
    "arrays file a number": (_set("arrays.file", 7), "'arrays.file' must be a file name"),
    "arrays checksum not hex": (_set("arrays.sha256", None), "'arrays.sha256' must be a SHA-256"),
    "break model up a folder": (_set("breaks.file", ".."), "'breaks.file' must be a file name"),
    "head threshold a word": (_set("heads.threshold", "high"), "'heads.threshold' must be a number"),
    "head threshold true": (_set("heads.threshold", True), "'heads.threshold' must be a number"),
    "model file in another folder": (_set("file", "sub/default.joblib"), "'file' must be a file name"),
    "model checksum a list": (_set("sha256", [1]), "'sha256' must be a SHA-256"),
    "lexicon outside the folder": (_set("lexicon", {"file": "../w.npz", "sha256": "0" * 64}), "'lexicon.file'"),
    "word-feature flag a string": (_set("words", "yes"), "'words' must be true or false"),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_a_malformed_card_field_is_a_model_error_naming_card_and_field(
    copied: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    change, phrase = MALFORMED[case]
    card = _card(copied)
    change(card)
    _write_card(copied, card)
    with pytest.raises(ModelError) as error:
        read_model(copied)
    assert str(error.value).startswith(str(card_path(copied))) and phrase in str(error.value)
    assert main(["split", "--model", str(copied), str(PAGE)]) == 1
    err = capsys.readouterr().err
    assert "internal error" not in err and phrase in err and err.count("\n") == 1


def test_a_lexicon_entry_like_the_break_model_is_accepted_on_the_card(copied: Path) -> None:
    card = _card(copied)
    card["lexicon"] = {"file": "default.words.npz", "sha256": "0" * 64, "words": 3}
    card["words"] = False  # the classifier's word-feature flag
    check_card(card, card_path(copied))


def _reseal_part(copied: Path, part: str, arrays: dict[str, np.ndarray]) -> Path:
    target = copied.parent / _card(copied)[part]["file"]
    with open(target, "wb") as fh:
        np.savez(fh, **arrays)
    card = _card(copied)
    card[part]["sha256"] = _sha(target)
    _write_card(copied, card)
    return target


def _arrays(copied: Path, part: str) -> dict[str, np.ndarray]:
    with np.load(copied.parent / _card(copied)[part]["file"], allow_pickle=False) as data:
        return {k: data[k] for k in data.files}


def _wrong_shape(a: dict[str, np.ndarray]) -> None:
    a["coef"] = a["coef"][:, :-1]


def _wrong_dtype(a: dict[str, np.ndarray]) -> None:
    a["coef"] = a["coef"].astype(str)


def _not_finite(a: dict[str, np.ndarray]) -> None:
    a["coef"] = a["coef"].copy()
    a["coef"][0, 0] = np.nan


def _array_missing(a: dict[str, np.ndarray]) -> None:
    del a["intercept"]


def _other_classes(a: dict[str, np.ndarray]) -> None:
    a["classes"] = a["classes"][::-1].copy()


BAD_ARRAYS: dict[str, tuple[Callable[[dict], None], str]] = {
    "coef one column short": (_wrong_shape, "do not fit"),
    "coef as strings": (_wrong_dtype, "array 'coef' is 2-dimensional <U"),
    "a coefficient NaN": (_not_finite, "not finite"),
    "no intercept": (_array_missing, "holds arrays"),
    "classes in another order than the card": (_other_classes, "are not the card's labels"),
}


@pytest.mark.parametrize("case", list(BAD_ARRAYS))
def test_arrays_of_the_wrong_shape_are_refused_at_load_not_on_every_page(copied: Path, case: str) -> None:
    change, phrase = BAD_ARRAYS[case]
    arrays = _arrays(copied, "arrays")
    change(arrays)
    target = _reseal_part(copied, "arrays", arrays)
    with pytest.raises(ModelError, match=re.escape(phrase)) as error:
        read_model(copied)
    assert str(error.value).startswith(str(target))


def test_a_break_model_of_the_wrong_shape_is_refused(copied: Path) -> None:
    arrays = _arrays(copied, "breaks")
    arrays["coef"] = np.zeros((2, len(arrays["names"])))
    target = _reseal_part(copied, "breaks", arrays)
    with pytest.raises(ModelError, match=f"^{re.escape(str(target))}: cannot read the model's break model"):
        read_model(copied)


def test_an_npz_with_a_pickled_array_is_refused_without_running_it(copied: Path, tmp_path: Path) -> None:
    marker = tmp_path / "code-ran"
    arrays = _arrays(copied, "heads")
    evil = np.empty(1, dtype=object)
    evil[0] = _CreatesAFile(marker)
    arrays["names"] = evil
    _reseal_part(copied, "heads", arrays)
    with pytest.raises(ModelError, match="cannot read the model's head model"):
        read_model(copied)
    assert not marker.exists()


def test_an_npz_declaring_a_giant_array_is_refused_before_loading(copied: Path) -> None:
    from numpy.lib import format as npy

    target = copied.parent / _card(copied)["heads"]["file"]
    arrays = _arrays(copied, "heads")
    with zipfile.ZipFile(target, "w") as archive:
        for name, value in arrays.items():
            with archive.open(name + ".npy", "w") as fh:
                if name == "coef":  # a header that promises 80 GB and no data
                    npy.write_array_header_1_0(fh, {"descr": "<f8", "fortran_order": False, "shape": (10**10,)})
                else:
                    npy.write_array(fh, value)
    card = _card(copied)
    card["heads"]["sha256"] = _sha(target)
    _write_card(copied, card)
    with pytest.raises(ModelError, match=r"its arrays would take 80,000,\d{3},\d{3} bytes"):
        read_model(copied)


# --------------------------------------------------------------------------------------------------
# an input bound: files by their size, streams in chunks

import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
import tracemalloc  # noqa: E402

from segmenter import InputError  # noqa: E402
from segmenter.read import read_page  # noqa: E402


def test_a_3_gb_sparse_file_is_refused_by_its_size_without_reading_it(tmp_path: Path) -> None:
    sparse = tmp_path / "sparse.txt"
    with open(sparse, "wb") as fh:
        fh.truncate(3 * 1024**3)
    start = time.perf_counter()
    with pytest.raises(InputError, match=r"sparse.txt: 3,221,225,472 bytes, above the limit of 67,108,864"):
        read_page(sparse)
    assert time.perf_counter() - start < 1.0  # reading 3 GB of zeros takes seconds


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_dev_zero_is_refused_once_past_the_bound_and_memory_stays_within_it() -> None:
    bound = 4 * 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match=r"^/dev/zero: more than 4,194,304 bytes"):
            read_page("/dev/zero", max_bytes=bound)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1.5 * bound


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_read_in_chunks_up_to_the_bound(tmp_path: Path) -> None:
    fifo = tmp_path / "page.fifo"
    os.mkfifo(fifo)

    def feed(data: bytes) -> threading.Thread:
        def write() -> None:
            with open(fifo, "wb") as fh:
                try:
                    fh.write(data)
                except BrokenPipeError:  # the reader stopped at the bound
                    pass

        thread = threading.Thread(target=write)
        thread.start()
        return thread

    thread = feed("# 标题\n\n正文。\n".encode() * 100)
    assert "正文" in read_page(fifo, max_bytes=10_000).text
    thread.join()
    thread = feed(b"x" * 50_000)
    with pytest.raises(InputError, match="more than 10,000 bytes"):
        read_page(fifo, max_bytes=10_000)
    thread.join()


def test_split_page_has_the_bound_too() -> None:
    page = "# 标题\n\n正文。\n" * 100  # 2,000 characters, 3 bytes each in UTF-8
    with pytest.raises(InputError, match="<text>: 5,000 bytes, above the limit of 4,000"):
        split_page("正文。\n" * 500, max_bytes=4_000)
    with pytest.raises(InputError, match="p.txt: 4,000 bytes"):
        split_page(b"a\n" * 2_000, source="p.txt", max_bytes=3_999)
    assert split_page(page, max_bytes=None) and split_page(page, max_bytes=len(page.encode()))


def test_split_page_bounds_a_file_by_its_size(tmp_path: Path) -> None:
    # regression: a path went to Segmenter.split, which read it under the default bound whatever max_bytes said
    page = tmp_path / "p.txt"
    page.write_text("# 标题\n\n正文。\n" * 100, encoding="utf-8")
    size = page.stat().st_size
    with pytest.raises(InputError, match=f"p.txt: {size:,} bytes, above the limit of {size - 1:,}"):
        split_page(page, max_bytes=size - 1)
    assert split_page(page, max_bytes=size) and split_page(page, max_bytes=None)
    # the bound is where the file is read: Segmenter.split, which split_page hands a path to
    with pytest.raises(InputError, match=f"above the limit of {size - 1:,}"):
        load_model().split(page, max_bytes=size - 1)


def _cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "segmenter.cli", *args]
    return subprocess.run(command, input=stdin, capture_output=True, timeout=120, check=False)


def test_stdin_past_the_bound_is_one_error_line() -> None:
    run = _cli("split", "--max-bytes", "1M", "-", stdin=b"\0" * (3 * 1024 * 1024))
    assert run.returncode == 1 and run.stdout == b""
    assert run.stderr.decode() == (
        "segmenter: error: -: more than 1,048,576 bytes, above the limit of 1,048,576 (--max-bytes); "
        "split it into pages or raise the limit\n"
    )


@pytest.mark.parametrize("value", ["0", "x", "1.5M", "-3", "12Q"])
def test_a_bad_max_bytes_is_a_usage_error(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["split", "--max-bytes", value, str(PAGE)])
    assert stop.value.code == 2 and "--max-bytes" in capsys.readouterr().err


def test_max_bytes_takes_units() -> None:
    from segmenter.cli import _size

    assert [_size(v) for v in ("1000", "500K", "64M", "1G", "2MiB", "3mb")] == [1000, 512000, 64 << 20, 1 << 30,
                                                                                2 << 20, 3 << 20]


# --------------------------------------------------------------------------------------------------
# names and text: escaped names, lone surrogates, user errors with user messages


def _gbk_name(folder: Path, stem: str = "标题") -> Path:
    """A file whose name is GBK bytes (not UTF-8), as Python sees it: lone surrogates."""
    return folder / os.fsdecode(stem.encode("gbk") + b".txt")


def test_a_file_name_that_is_not_utf8_is_escaped_in_records_and_messages(tmp_path: Path) -> None:
    good = _gbk_name(tmp_path)
    good.write_text("# 标题\n\n新华社北京1月25日电 正文。\n", encoding="utf-8")
    bad = _gbk_name(tmp_path, "坏")
    bad.write_bytes(b"x\0y")
    run = _cli("split", str(good), str(bad), str(PAGE))
    assert run.returncode == 1
    out = run.stdout.decode("utf-8")  # valid UTF-8
    sources = {json.loads(line)["source"] for line in out.splitlines()}
    assert sources == {"\\xb1\\xea\\xcc\\xe2.txt", PAGE.name}
    err = run.stderr.decode("utf-8")
    assert "\\xbb\\xb5.txt: binary data (NUL bytes)" in err and "3 pages" not in err and "2 pages" in err


def test_a_file_name_that_is_not_utf8_keeps_its_bytes_in_the_out_dir(tmp_path: Path) -> None:
    page = _gbk_name(tmp_path)
    page.write_text("# 标题\n\n正文。\n", encoding="utf-8")
    assert main(["split", "--out-dir", str(tmp_path / "out"), str(page)]) == 0
    assert os.listdir(os.fsencode(tmp_path / "out")) == ["标题".encode("gbk") + b".jsonl"]


def test_a_lone_surrogate_never_stops_a_batch(tmp_path: Path) -> None:
    # utf-7 can spell a lone surrogate (+2D0-): the first page wrote nothing and stopped the batch before
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_bytes("# 标题\n\n正文有".encode("utf-7") + b"+2D0-" + "代理。\n".encode("utf-7"))
    second.write_bytes("# 标题二\n\n正文。\n".encode("utf-7"))
    run = _cli("split", "--encoding", "utf-7", str(first), str(second))
    assert run.returncode == 0
    records = [json.loads(line) for line in run.stdout.decode("utf-8").splitlines()]
    assert [r["source"] for r in records] == ["a.txt", "b.txt"]
    assert "正文有\ufffd代理。" in records[0]["blocks"][0]["text"]
    assert "a.txt: 1 lone surrogate(s) replaced with U+FFFD" in run.stderr.decode()


@pytest.mark.parametrize("codec", ["rot13", "base64", "zlib", "hex", "idna", "punycode", "unicode_escape", "nope"])
def test_an_encoding_that_is_not_for_text_files_is_a_usage_error(codec: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["split", "--encoding", codec, str(PAGE)])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and err.count("\n") == 1 and "argument --encoding" in err and codec in err


def test_an_encoding_that_is_not_for_text_files_is_an_input_error_in_the_library(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"p.txt: 'rot13' is not an encoding of text files"):
        from segmenter.read import decode

        decode(b"abc", name="p.txt", encoding="rot13")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_stdout_on_a_full_disk_is_one_line_and_exit_1() -> None:
    with open("/dev/full", "w") as full:
        command = [sys.executable, "-m", "segmenter.cli", "split", str(PAGE)]
        run = subprocess.run(command, stdout=full, stderr=subprocess.PIPE, timeout=120, check=False)
    assert run.returncode == 1
    assert run.stderr.decode() == "segmenter: error: standard output: No space left on device\n"


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize(
    ("shell", "message"),
    [
        ('"$@" >&-', "segmenter: error: standard output is closed; write to files with --out-dir DIR\n"),
        ('"$@" - <&-', "segmenter: error: -: standard input is closed\n"),
    ],
)
def test_closed_standard_streams_are_one_line_and_exit_1(shell: str, message: str) -> None:
    args = [sys.executable, "-m", "segmenter.cli", "split"] + ([] if "-" in shell.split() else [str(PAGE)])
    run = subprocess.run(["bash", "-c", shell, "bash", *args], capture_output=True, timeout=120, check=False)
    assert run.returncode == 1 and run.stderr.decode() == message


def test_an_unwritable_out_dir_is_an_error_before_any_page_is_split(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import tempfile

    from segmenter import batch

    out = tmp_path / "out"
    out.mkdir()
    if os.geteuid() == 0:  # root writes into a read-only directory: let the file system say no
        def refuse(*args: object, **kwargs: object) -> None:
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(tempfile, "mkstemp", refuse)
    else:
        out.chmod(0o500)

    def no_pages(*args: object, **kwargs: object) -> None:
        raise AssertionError("pages were split before the out-dir was checked")

    monkeypatch.setattr(batch, "run_batch", no_pages)
    assert main(["split", "--out-dir", str(out), str(PAGE)]) == 1
    assert capsys.readouterr().err == f"segmenter: error: --out-dir {out}: Permission denied\n"


# --------------------------------------------------------------------------------------------------
# the fuzz script's hostile pages, small


def test_every_hostile_kind_of_the_fuzz_script_passes_its_checks() -> None:
    import fuzzscript

    fuzz = fuzzscript.load()
    seen: dict[str, str] = {}
    k = 0
    while len(seen) < len(fuzz.HOSTILE) + 2 and k < 2000:  # + utf-7 surrogates and non-UTF-8 names
        page = fuzz.make_page(f"hostile:{k}", hostile=1.0, hostile_lines=150)
        seen.setdefault(page.hostile, f"hostile:{k}")
        k += 1
    assert set(seen) == {*fuzz.HOSTILE, "utf7-surrogates", "name-gbk"}
    for kind, seed in sorted(seen.items()):
        outcome = fuzz.run_one(seed, use_corpus=False, determinism=True, hostile=1.0, hostile_lines=150)
        assert outcome.problems == [], (kind, seed, outcome.problems[:3])


def test_a_warning_about_a_file_whose_name_is_not_utf8_is_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = _gbk_name(tmp_path)
    empty.write_bytes(b"\n\n")
    assert main(["split", str(empty)]) == 0
    assert capsys.readouterr().err == f"segmenter: warning: {tmp_path}/\\xb1\\xea\\xcc\\xe2.txt: empty page (no line with text), no articles\n"
