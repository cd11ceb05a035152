"""Model files that are missing, corrupt, from another scikit-learn, or fail their checksum.

Unpickling runs code, so a model is loaded only when the SHA-256 of its ``.joblib`` (and of its
numpy-only ``.npz`` arrays, when the card lists them) matches the meta card beside it. Every refusal
is a :class:`ModelError` whose message says what to do, and through the command line one line on
stderr, exit 1, nothing written -- once per run, not once per page.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import joblib
import pytest

from segmenter import ModelError, load_model, split_page
from segmenter import model as model_module
from segmenter.cli import main
from segmenter.model import DEFAULT_MODEL, card_path, read_model, sha256_file

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "data" / "pages").glob("*.txt"))


@pytest.fixture()
def copied(tmp_path: Path) -> Path:
    """A copy of the shipped model's files (model, card, arrays) outside the package."""
    for source in DEFAULT_MODEL.parent.glob(DEFAULT_MODEL.stem + ".*"):
        shutil.copyfile(source, tmp_path / source.name)
    return tmp_path / DEFAULT_MODEL.name


def _card(path: Path) -> dict:
    return json.loads(card_path(path).read_text(encoding="utf-8"))


def _write_card(path: Path, card: dict) -> None:
    card_path(path).write_text(json.dumps(card), encoding="utf-8")


def _reseal(path: Path) -> None:
    """Make the card's checksum match the file again (a corrupt file that was 'signed'), and drop
    the card's numpy-only arrays, if any, so that the Pipeline itself is what gets loaded."""
    card = _card(path)
    card["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    card.pop("arrays", None)
    _write_card(path, card)


def _listed(path: Path, part: str) -> Path:
    """The numpy-only file the card lists under ``part`` (skips when this model has none)."""
    entry = _card(path).get(part)
    if not entry:
        pytest.skip(f"this model has no {part} file")
    return path.parent / entry["file"]


def test_the_shipped_model_matches_its_card() -> None:
    card = _card(DEFAULT_MODEL)
    assert card["sha256"] == sha256_file(DEFAULT_MODEL)
    for part in ("arrays", "breaks"):
        if card.get(part):
            assert card[part]["sha256"] == sha256_file(DEFAULT_MODEL.parent / card[part]["file"])
    assert read_model().meta["sha256"] == card["sha256"]


def test_a_copied_model_with_its_card_loads_and_splits_like_the_shipped_one(copied: Path) -> None:
    text = PAGES[0].read_text(encoding="utf-8")
    expected = [a.to_dict() for a in split_page(text)]
    assert [a.to_dict() for a in split_page(text, model=load_model(copied))] == expected


# each case: how to break the copy, what the message must say (the problem and what to do)
def _missing(m: Path) -> Path:
    return m.with_name("nothing-here.joblib")


def _directory(m: Path) -> Path:
    return m.parent


def _card_given(m: Path) -> Path:
    return card_path(m)


def _no_card(m: Path) -> Path:
    card_path(m).unlink()
    return m


def _card_not_json(m: Path) -> Path:
    card_path(m).write_text("{not json", encoding="utf-8")
    return m


def _card_of_something_else(m: Path) -> Path:
    _write_card(m, {"format": "another-tool/3", "sha256": "0" * 64})
    return m


def _card_with_unknown_labels(m: Path) -> Path:
    card = _card(m)
    card["labels"] = [*card["labels"], "advert"]
    _write_card(m, card)
    return m


def _changed_file(m: Path) -> Path:
    with open(m, "ab") as fh:
        fh.write(b"\0")
    return m


def _other_sklearn(m: Path) -> Path:
    card = _card(m)
    card["versions"]["scikit-learn"] = "1.5.2"
    _write_card(m, card)
    return m


def _truncated_but_sealed(m: Path) -> Path:
    data = m.read_bytes()
    m.write_bytes(data[: len(data) // 3])
    _reseal(m)
    return m


def _garbage_but_sealed(m: Path) -> Path:
    m.write_bytes(b"this is not a pickle at all\n")
    _reseal(m)
    return m


def _not_a_pipeline(m: Path) -> Path:
    joblib.dump({"weights": [1, 2, 3]}, m)
    _reseal(m)
    return m


def _part_missing(part: str) -> Callable[[Path], Path]:
    def breaker(m: Path) -> Path:
        _listed(m, part).unlink()
        return m

    return breaker


def _part_changed(part: str) -> Callable[[Path], Path]:
    def breaker(m: Path) -> Path:
        with open(_listed(m, part), "ab") as fh:
            fh.write(b"\0")
        return m

    return breaker


def _part_garbage_but_sealed(part: str) -> Callable[[Path], Path]:
    def breaker(m: Path) -> Path:
        target = _listed(m, part)
        target.write_bytes(b"not an npz archive")
        card = _card(m)
        card[part]["sha256"] = hashlib.sha256(target.read_bytes()).hexdigest()
        _write_card(m, card)
        return m

    return breaker


BROKEN: dict[str, tuple[Callable[[Path], Path], list[str]]] = {
    "missing": (_missing, ["no model file there", "check the --model path"]),
    "a directory": (_directory, ["is a directory", "pass the model's .joblib file"]),
    "the card given": (_card_given, ["is a meta card", "pass the .joblib model file"]),
    "no card beside it": (_no_card, [f"no meta card {DEFAULT_MODEL.stem}.json beside the model", "segmenter train"]),
    "card not JSON": (_card_not_json, ["unreadable meta card", "retrain with `segmenter train`"]),
    "card of another tool": (_card_of_something_else, ["not a segmenter meta card", "`segmenter train`"]),
    "card with unknown labels": (_card_with_unknown_labels, ["['advert'] are not segmenter labels", "retrain"]),
    "checksum mismatch": (_changed_file, ["checksum does not match its meta card", "reinstall or retrain"]),
    "other scikit-learn": (_other_sklearn, ["trained with scikit-learn 1.5.2", "pip install 'scikit-learn==1.5.2'"]),
    # without arrays only the pickle could load it, never without --trust-pickle (see tests/test_hostile.py)
    "truncated": (_truncated_but_sealed, ["no numpy arrays", "--trust-pickle"]),
    "not a pickle": (_garbage_but_sealed, ["no numpy arrays", "--trust-pickle"]),
    "not a pipeline": (_not_a_pipeline, ["no numpy arrays", "--trust-pickle"]),
    "arrays missing": (_part_missing("arrays"), ["arrays file is missing", "reinstall or retrain"]),
    "arrays checksum mismatch": (_part_changed("arrays"), ["checksum does not match", "reinstall or retrain"]),
    "arrays not readable": (_part_garbage_but_sealed("arrays"), ["cannot read the model's arrays", "retrain"]),
    "break model missing": (_part_missing("breaks"), ["break model is missing", "reinstall or retrain"]),
    "break model checksum mismatch": (_part_changed("breaks"), ["checksum does not match", "reinstall or retrain"]),
    "break model not readable": (_part_garbage_but_sealed("breaks"), ["cannot read the model's break model", "retrain"]),
    "context pass missing": (_part_missing("context"), ["context pass is missing", "reinstall or retrain"]),
    "context pass checksum mismatch": (_part_changed("context"), ["checksum does not match", "reinstall or retrain"]),
    "context pass not readable": (_part_garbage_but_sealed("context"), ["cannot read the model's context pass", "retrain"]),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_model_raises_a_model_error_that_says_what_to_do(copied: Path, case: str) -> None:
    breaker, phrases = BROKEN[case]
    path = breaker(copied)
    with pytest.raises(ModelError) as error:
        read_model(path)
    message = str(error.value)
    assert message.startswith(str(path.parent))  # names the file at fault: model, card or arrays
    for phrase in phrases:
        assert phrase in message
    with pytest.raises(ModelError):
        load_model(path)


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_model_is_one_error_line_for_the_whole_run(
    copied: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    breaker, phrases = BROKEN[case]
    path = breaker(copied)
    out_dir = tmp_path / "out"
    code = main(["split", "--model", str(path), "--out-dir", str(out_dir), *map(str, PAGES)])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"segmenter: error: {path.parent}")
    assert phrases[0] in lines[0]
    assert not out_dir.exists() or list(out_dir.iterdir()) == []


def test_a_file_that_fails_its_checksum_is_never_unpickled(copied: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _reseal(copied)  # no arrays: the Pipeline would be unpickled
    _changed_file(copied)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("joblib.load was called on a file that fails its checksum")

    monkeypatch.setattr(joblib, "load", refuse)
    with pytest.raises(ModelError, match="checksum"):
        read_model(copied, trust_pickle=True)


def test_a_model_changed_after_loading_is_checked_again(copied: Path) -> None:
    assert read_model(copied).path == copied
    _changed_file(copied)
    stat = copied.stat()
    os.utime(copied, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # a new mtime even on a coarse clock
    with pytest.raises(ModelError, match="checksum"):
        read_model(copied)


def test_a_missing_shipped_model_says_to_reinstall(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(model_module, "DEFAULT_MODEL", tmp_path / "default.joblib")
    with pytest.raises(ModelError, match="reinstall the package or train one with `segmenter train`"):
        read_model()


def test_an_unreadable_model_file_is_a_model_error(copied: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(path: object) -> str:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(model_module, "sha256_file", denied)
    with pytest.raises(ModelError, match="cannot read the model file"):
        read_model(copied)


def test_a_broken_model_end_to_end_has_no_traceback(copied: Path) -> None:
    _other_sklearn(copied)
    run = subprocess.run(
        [sys.executable, "-m", "segmenter.cli", "split", "--model", str(copied), str(PAGES[0])],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 1
    assert run.stdout == ""
    assert "Traceback" not in run.stderr
    assert run.stderr.count("\n") == 1 and "trained with scikit-learn 1.5.2" in run.stderr
