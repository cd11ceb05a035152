"""Saving and loading the line-classifier Pipeline with its meta card.

A model is three files side by side: ``NAME.joblib`` (the pickled Pipeline, for retraining and
inspection), ``NAME.npz`` (its arrays: vocabulary, coefficients, classes; no pickles) and ``NAME.json``
(the meta card: versions, labels, training-data hashes, scores, and the SHA-256 of both files), and a
fourth to a ninth when it was trained with them: ``NAME.context.npz``, ``NAME.breaks.npz``, ``NAME.heads.npz``,
``NAME.merges.npz``, ``NAME.joins.npz`` and ``NAME.titles.npz``, the arrays of the context pass
(:mod:`segmenter.context`), of the article-break model (:mod:`segmenter.breaks`), of the head model
(:mod:`segmenter.heads`), of the merge model (:mod:`segmenter.merges`), of the join model
(:mod:`segmenter.joins`) and of the title model (:mod:`segmenter.titles`), their checksums on the same card;
and ``NAME.words.npz``, the word lexicon (:mod:`segmenter.lexicon`), listed under ``"lexicon"`` (the card's ``"words"`` says whether the classifier uses word features).
:func:`read_model` checks the card against a schema (:func:`check_card`: the type of every field it
reads, file names inside the model's folder) and every checksum, then predicts from the arrays with numpy
alone (``allow_pickle=False``, names, shapes and dtypes checked by :func:`read_npz`): no scikit-learn
import at start-up and no unpickling. A checksum on the card is no signature -- whoever can write the file
can write the card -- so the pickled Pipeline serves training only: a model without arrays (a Pipeline of
another shape) is unpickled only when the caller says ``trust_pickle=True`` (``--trust-pickle``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import platform
import re
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ModelError
from .labels import LABELS

logger = logging.getLogger(__name__)

FORMAT = "segmenter-line-model/1"
DEFAULT_MODEL = Path(__file__).parent / "models" / "default.joblib"
_CACHE: dict[tuple[str, float], LoadedModel] = {}


@dataclass(frozen=True)
class LoadedModel:
    """A fitted Pipeline and the meta card it was checked against."""

    #: the fitted classifier: its numpy-only arrays (a ``LinearModel``) when the card lists them, else
    #: the unpickled scikit-learn Pipeline
    pipeline: Any
    meta: dict[str, Any]
    path: Path
    #: the article-break model the stitcher asks at body → body steps; ``None`` for a model trained without
    breaks: Any = None
    #: the head model that decides head runs inside text (:mod:`segmenter.heads`); ``None`` without one
    heads: Any = None
    #: the word lexicon that answers the stitcher's break question (:mod:`segmenter.lexicon`); ``None``
    #: for a model written without one (the stitcher then asks pkuseg)
    lexicon: Any = None
    #: the merge model that joins an article to the one before it (:mod:`segmenter.merges`); ``None``
    #: without one
    merges: Any = None
    #: the context pass that reads the line probabilities again beside the neighbours'
    #: (:mod:`segmenter.context`); ``None`` for a model trained without one
    context: Any = None
    #: the join model that says which line carries on a paragraph broken at a column end
    #: (:mod:`segmenter.joins`); ``None`` without one (the stitcher's rules join)
    joins: Any = None
    #: the title model that says which line of an article's title block is its headline
    #: (:mod:`segmenter.titles`); ``None`` without one (the classifier's headline stands)
    titles: Any = None

    @property
    def uses_words(self) -> bool:
        """Whether the model needs the pkuseg word model."""
        return bool(self.meta.get("words", False))


def sha256_file(path: str | os.PathLike[str]) -> str:
    """Hex SHA-256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def card_path(model_path: str | os.PathLike[str]) -> Path:
    """Where the meta card of a model file lives."""
    return Path(model_path).with_suffix(".json")


def _versions() -> dict[str, str]:
    import joblib
    import sklearn

    from . import __version__

    return {
        "segmenter": __version__,
        "scikit-learn": sklearn.__version__,
        "joblib": joblib.__version__,
        "python": platform.python_version(),
    }


def save_model(
    pipeline: Any,
    path: str | os.PathLike[str],
    meta: dict[str, Any] | None = None,
    breaks: Any = None,
    heads: Any = None,
    lexicon: Any = None,
    merges: Any = None,
    context: Any = None,
    joins: Any = None,
    titles: Any = None,
) -> Path:
    """Write ``pipeline`` to ``path`` and its meta card beside it, both atomically.

    Parameters
    ----------
    pipeline : Pipeline
        The fitted line classifier.
    path : path-like
        Target ``.joblib`` file.
    meta : dict, optional
        Extra card fields: training data hashes, scores, parameters.
    breaks : Pipeline or BreakModel, optional
        The fitted article-break model, written as ``NAME.breaks.npz`` and listed on the card.
    heads : Pipeline or BreakModel, optional
        The fitted head model, written as ``NAME.heads.npz`` and listed on the card.
    lexicon : Lexicon, optional
        The word lexicon (:mod:`segmenter.lexicon`), written as ``NAME.words.npz`` and listed on the card.
    merges : Pipeline or BreakModel, optional
        The fitted merge model, written as ``NAME.merges.npz`` and listed on the card.
    context : ContextPass, optional
        The fitted context pass, written as ``NAME.context.npz`` and listed on the card.
    joins : Pipeline or BreakModel, optional
        The fitted join model, written as ``NAME.joins.npz`` and listed on the card.
    titles : Pipeline or BreakModel, optional
        The fitted title model, written as ``NAME.titles.npz`` and listed on the card.

    Returns
    -------
    Path
        The meta card's path.
    """
    import joblib

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".joblib.tmp")
    os.close(fd)
    try:
        joblib.dump(pipeline, tmp, compress=3)
        digest = sha256_file(tmp)
        os.chmod(tmp, 0o644)  # mkstemp makes it 0600; a model is shared data
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    arrays = _save_arrays(pipeline, path)
    card = {
        "format": FORMAT,
        "file": path.name,
        "sha256": digest,
        "arrays": arrays,
        "context": _save_part(context, context_path(path), lambda part: {"window": part.window}),
        "breaks": _write_decision("breaks", breaks, path),
        "heads": _write_decision("heads", heads, path),
        "merges": _write_decision("merges", merges, path),
        "joins": _write_decision("joins", joins, path),
        "titles": _write_decision("titles", titles, path),
        "lexicon": _save_lexicon(lexicon, lexicon_path(path)),
        "labels": [str(c) for c in pipeline.classes_],
        "versions": _versions(),
        **(meta or {}),
    }
    return _write_card(card, card_path(path))


def _write_card(card: dict[str, Any], card_file: Path) -> Path:
    """Write a meta card atomically."""
    tmp_card = card_file.with_suffix(".json.tmp")
    tmp_card.write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp_card, card_file)
    return card_file


def lexicon_path(model_path: str | os.PathLike[str]) -> Path:
    """Where the word lexicon of a model lives."""
    return Path(model_path).with_suffix(".words.npz")


def _save_lexicon(lexicon: Any, target: Path, **extra: Any) -> dict[str, Any] | None:
    """Write a word lexicon to ``target``; its card entry (``None`` without one)."""
    return _save_part(lexicon, target, lambda lex: {"words": len(lex), **extra})


def _save_part(part: Any, target: Path, entry: Callable[[Any], dict[str, Any]]) -> dict[str, Any] | None:
    """Write a part of the model that saves itself (``part.save(path)``) to ``target``; its card entry,
    ``entry(part)`` beside file name and checksum (``None`` without a part: an old file of it is removed)."""
    if part is None:
        if target.is_file():
            target.unlink()  # a retrained model without one must not leave the old one beside it
        return None
    digest = _write_npz(part.save, target)
    return {"file": target.name, "sha256": digest, **entry(part)}


def add_lexicon(path: str | os.PathLike[str], lexicon: Any, **extra: Any) -> Path:
    """Give the model at ``path`` a word lexicon (``NAME.words.npz``) without retraining it.

    The model is checked first (:func:`read_model`); the lexicon file and then the card are written
    atomically, the card's other entries unchanged. ``extra`` goes into the card's ``lexicon`` entry.

    Returns
    -------
    Path
        The lexicon file.
    """
    return _add_part(path, "lexicon", lambda target: _save_lexicon(lexicon, target, **extra), lexicon_path(path))


def add_merges(path: str | os.PathLike[str], merges: Any) -> Path:
    """Give the model at ``path`` a merge model (``NAME.merges.npz``, :mod:`segmenter.merges`) without
    retraining the rest: checked first, the file and then the card written atomically, the card's other
    entries unchanged.

    Returns
    -------
    Path
        The merge model's file.
    """
    return add_decision(path, "merges", merges)


def add_joins(path: str | os.PathLike[str], joins: Any, **extra: Any) -> Path:
    """Give the model at ``path`` a join model (``NAME.joins.npz``, :mod:`segmenter.joins`) without
    retraining the rest: checked first, the file and then the card written atomically, the card's other
    entries unchanged. ``extra`` goes into the card's ``joins`` entry (how it was fitted:
    ``scripts/add_decisions.py``).

    Returns
    -------
    Path
        The join model's file.
    """
    return add_decision(path, "joins", joins, **extra)


def add_titles(path: str | os.PathLike[str], titles: Any, **extra: Any) -> Path:
    """Give the model at ``path`` a title model (``NAME.titles.npz``, :mod:`segmenter.titles`) without
    retraining the rest, as :func:`add_joins` does.

    Returns
    -------
    Path
        The title model's file.
    """
    return add_decision(path, "titles", titles, **extra)


#: the decision models a model may hold, in the order they are fitted (each on the walk the ones before it make)
DECISIONS = ("heads", "breaks", "merges", "joins", "titles")


def add_decision(path: str | os.PathLike[str], part: str, model: Any, **extra: Any) -> Path:
    """Give the model at ``path`` one decision model, ``part`` of :data:`DECISIONS` (a fitted Pipeline or its
    arrays), without retraining the rest: checked first, the file and then the card written atomically, the
    card's other entries unchanged. ``extra`` goes into the card's entry (how it was fitted:
    ``scripts/add_decisions.py``).

    Returns
    -------
    Path
        The part's file (``NAME.PART.npz``).

    Raises
    ------
    ValueError
        When ``part`` is not a decision model's name.
    """
    if part not in DECISIONS:
        raise ValueError(f"{part!r} is not a decision model; use one of {', '.join(DECISIONS)}")
    where, convert = _decision_part(part)
    arrays = convert(model)

    def write(target: Path) -> dict[str, Any] | None:
        entry = _save_decision(arrays, target)
        return None if entry is None else {**entry, **extra}

    return _add_part(path, part, write, where(path))


def _write_decision(part: str, model: Any, model_path: Path) -> dict[str, Any] | None:
    """Write one decision model of the model at ``model_path`` (none: nothing); its card entry."""
    where, convert = _decision_part(part)
    return _save_decision(convert(model), where(model_path))


def _decision_part(part: str) -> tuple[Callable[[str | os.PathLike[str]], Path], Callable[[Any], Any]]:
    """Where a decision model of a model lives, and how a fitted one becomes the arrays its decision reads
    (its own threshold; the head model decides at the break model's)."""
    from .breaks import as_break_model
    from .joins import as_join_model
    from .merges import as_merge_model
    from .titles import as_title_model

    # annotated: mypy would infer the join of the converters' signatures as a bare ``function``
    parts: dict[str, tuple[Callable[[str | os.PathLike[str]], Path], Callable[[Any], Any]]] = {
        "heads": (heads_path, as_break_model),
        "breaks": (breaks_path, as_break_model),
        "merges": (merges_path, as_merge_model),
        "joins": (joins_path, as_join_model),
        "titles": (titles_path, as_title_model),
    }
    return parts[part]


def _add_part(path: str | os.PathLike[str], field: str, write: Callable[[Path], Any], target: Path) -> Path:
    """Write one part of the model at ``path`` to ``target`` (``write(target)`` gives its card entry) and
    put the entry on the card under ``field``; the model is checked first."""
    path = Path(path)
    read_model(path)
    card = read_card(path)
    card[field] = write(target)
    _write_card(card, card_path(path))
    resolved = str(path.resolve())
    for key in [key for key in _CACHE if key[0] == resolved]:
        del _CACHE[key]  # the card changed, the model file did not: read it afresh next time
    return target


def arrays_path(model_path: str | os.PathLike[str]) -> Path:
    """Where the numpy-only copy of a model lives (see :class:`~segmenter.classify.LinearModel`)."""
    return Path(model_path).with_suffix(".npz")


def _save_arrays(pipeline: Any, path: Path) -> dict[str, str] | None:
    """Write the model's arrays beside it when it has the shipped shape; their file name and checksum."""
    from .classify import LinearModel
    from .pipeline import _fast_path

    if _fast_path(pipeline) is None:
        return None
    target = arrays_path(path)
    digest = _write_npz(LinearModel.from_pipeline(pipeline).save, target)
    return {"file": target.name, "sha256": digest}


def breaks_path(model_path: str | os.PathLike[str]) -> Path:
    """Where the article-break model of a model lives."""
    return Path(model_path).with_suffix(".breaks.npz")


def _write_npz(save: Any, target: Path) -> str:
    """Write an ``.npz`` through ``save(tmp_path)`` atomically; its SHA-256."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".npz")
    os.close(fd)
    try:
        save(tmp)
        digest = sha256_file(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return digest


def heads_path(model_path: str | os.PathLike[str]) -> Path:
    """Where the head model of a model lives."""
    return Path(model_path).with_suffix(".heads.npz")


def context_path(model_path: str | os.PathLike[str]) -> Path:
    """Where the context pass of a model lives."""
    return Path(model_path).with_suffix(".context.npz")


def merges_path(model_path: str | os.PathLike[str]) -> Path:
    """Where the merge model of a model lives."""
    return Path(model_path).with_suffix(".merges.npz")


def joins_path(model_path: str | os.PathLike[str]) -> Path:
    """Where the join model of a model lives."""
    return Path(model_path).with_suffix(".joins.npz")


def titles_path(model_path: str | os.PathLike[str]) -> Path:
    """Where the title model of a model lives."""
    return Path(model_path).with_suffix(".titles.npz")


def model_files(model_path: str | os.PathLike[str]) -> list[Path]:
    """Every file a model may have: the ``.joblib``, its card, its arrays, decision models and lexicon."""
    return [
        Path(model_path),
        card_path(model_path),
        arrays_path(model_path),
        context_path(model_path),
        breaks_path(model_path),
        heads_path(model_path),
        merges_path(model_path),
        joins_path(model_path),
        titles_path(model_path),
        lexicon_path(model_path),
    ]


def _save_decision(decision: Any, target: Path) -> dict[str, Any] | None:
    """Write a decision model's arrays (break, head or merge model) to ``target``; their card entry (``None``
    without one)."""
    from .breaks import as_break_model

    return _save_part(as_break_model(decision), target, lambda model: {"threshold": model.threshold})


def read_card(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read and check the meta card of a model file (see :func:`check_card`); raises :class:`ModelError`
    when it is unusable."""
    card_file = card_path(path)
    if not card_file.is_file():
        raise ModelError(
            f"{path}: no meta card {card_file.name} beside the model; only models written by "
            "`segmenter train` (which writes the card) can be loaded"
        )
    try:
        card = json.loads(card_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{card_file}: unreadable meta card ({exc}); retrain with `segmenter train`") from None
    if not isinstance(card, dict) or card.get("format") != FORMAT or "sha256" not in card:
        raise ModelError(
            f"{card_file}: not a segmenter meta card (format {FORMAT!r} expected); "
            "use a model written by `segmenter train`"
        )
    check_card(card, card_file)
    return card


_SHA256 = re.compile(r"[0-9a-f]{64}")
#: the parts a card may list beside the model: card field → whether its entry carries a threshold
PARTS = {"arrays": False, "context": False, "breaks": True, "heads": True, "merges": True, "joins": True, "titles": True, "lexicon": False}


def _bad_field(card_file: Path, field: str, problem: str) -> ModelError:
    return ModelError(f"{card_file}: meta card field {field!r} {problem}; retrain with `segmenter train`")


def _plain_name(value: Any, card_file: Path, field: str) -> str:
    """``value`` when it is a plain file name (the file lies in the model's own folder)."""
    if (
        not isinstance(value, str)
        or value in ("", ".", "..")
        or any(sep in value for sep in ("/", "\\", "\0"))
        or os.path.isabs(value)
        or Path(value).name != value
    ):
        raise _bad_field(card_file, field, f"must be a file name in the model's folder, not {value!r}")
    return value


def _check_sha256(value: Any, card_file: Path, field: str) -> None:
    if not isinstance(value, str) or not _SHA256.fullmatch(value):
        raise _bad_field(card_file, field, f"must be a SHA-256 in hex, not {value!r}")


def _check_part(card: dict[str, Any], card_file: Path, part: str, threshold: bool) -> None:
    """A part entry: absent, ``null`` or ``{"file": NAME, "sha256": HEX[, "threshold": 0..1]}``."""
    entry = card.get(part)
    if entry is None:
        return
    if not isinstance(entry, dict):
        raise _bad_field(card_file, part, f"must be null or an object with file and sha256, not {entry!r}")
    _plain_name(entry.get("file"), card_file, f"{part}.file")
    _check_sha256(entry.get("sha256"), card_file, f"{part}.sha256")
    if threshold:
        value = entry.get("threshold")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
            raise _bad_field(card_file, f"{part}.threshold", f"must be a number from 0 to 1, not {value!r}")


def check_card(card: dict[str, Any], card_file: str | os.PathLike[str]) -> None:
    """Check the fields of a meta card that loading reads, by type; raises :class:`ModelError` naming
    the card and the field.

    ``file`` and ``sha256`` of the model; ``arrays``, ``context``, ``breaks``, ``heads``, ``merges``, ``joins``, ``titles`` and ``lexicon`` (each ``null``
    or ``{"file", "sha256"}``, the decision models with a ``threshold`` from 0 to 1), every file a plain
    name in the model's folder; ``words`` (the classifier's word-feature flag) absent or a boolean; ``labels``
    a list of distinct segmenter labels; ``versions`` an object of strings naming the scikit-learn
    version. Other fields (scores, parameters, training data) are information and not read.
    """
    card_file = Path(card_file)
    _plain_name(card.get("file", card_file.with_suffix(".joblib").name), card_file, "file")
    _check_sha256(card.get("sha256"), card_file, "sha256")
    for part, threshold in PARTS.items():
        _check_part(card, card_file, part, threshold)
    if not isinstance(card.get("words", False), bool):
        raise _bad_field(card_file, "words", f"must be true or false, not {card['words']!r}")
    labels = card.get("labels")
    if not isinstance(labels, list) or not labels or not all(isinstance(x, str) for x in labels):
        raise _bad_field(card_file, "labels", f"must be a list of label names, not {labels!r}")
    unknown = set(labels) - set(LABELS)
    if unknown:
        raise ModelError(
            f"{card_file}: model labels {sorted(unknown)} are not segmenter labels; "
            "retrain with this version's `segmenter train`"
        )
    if len(set(labels)) != len(labels):
        raise _bad_field(card_file, "labels", f"lists a label twice: {labels!r}")
    versions = card.get("versions")
    if not isinstance(versions, dict) or not all(isinstance(v, str) for v in versions.values()):
        raise _bad_field(card_file, "versions", f"must be an object of version strings, not {versions!r}")
    if not isinstance(versions.get("scikit-learn"), str):
        raise _bad_field(card_file, "versions", "names no scikit-learn version")


def read_model(path: str | os.PathLike[str] | None = None, *, trust_pickle: bool = False) -> LoadedModel:
    """Load a line-classifier model after checking its meta card and checksum.

    Loaded once per process and path; later calls return the cached model.

    Parameters
    ----------
    path : path-like, optional
        A ``.joblib`` file with its ``.json`` card beside it; default: the model shipped in the package.
    trust_pickle : bool, default=False
        Unpickle the ``.joblib`` Pipeline when the card lists no numpy arrays. Unpickling runs whatever
        code the file holds, and a matching checksum proves nothing (the card is as writable as the
        file): only for a model whose origin you trust. Without it such a model is refused.

    Returns
    -------
    LoadedModel

    Raises
    ------
    ModelError
        When the file is missing, its card is missing or wrong, its checksum does not match, it was
        written by another scikit-learn version, its arrays are not what the card says, or it has no
        arrays and ``trust_pickle`` is false (or it does not unpickle).
    """
    path = Path(path) if path is not None else DEFAULT_MODEL
    if path.is_dir():
        raise ModelError(f"{path}: is a directory; pass the model's .joblib file")
    if path.suffix == ".json" and path.is_file():
        raise ModelError(f"{path}: is a meta card; pass the .joblib model file beside it")
    if not path.is_file():
        hint = (
            "reinstall the package or train one with `segmenter train`"
            if path == DEFAULT_MODEL
            else "check the --model path"
        )
        raise ModelError(f"{path}: no model file there; {hint}")
    key = (str(path.resolve()), path.stat().st_mtime)
    if key in _CACHE and (trust_pickle or isinstance(_CACHE[key].pipeline, _arrays_type())):
        return _CACHE[key]
    card = read_card(path)
    if card.get("arrays") is None and not trust_pickle:
        raise ModelError(
            f"{path}: the model has no numpy arrays (its card lists none) and a pickled model is never "
            "loaded by default (unpickling runs the code in the file; a checksum is no signature): "
            "pass --trust-pickle (trust_pickle=True) only for a model whose origin you trust, or retrain "
            "it with `segmenter train`"
        )
    try:
        digest = sha256_file(path)
    except OSError as exc:
        raise ModelError(f"{path}: cannot read the model file ({exc.strerror or exc})") from None
    if digest != card["sha256"]:
        raise ModelError(
            f"{path}: checksum does not match its meta card (file changed or corrupt); "
            "reinstall or retrain with `segmenter train`"
        )
    installed = _sklearn_version()
    trained = card["versions"]["scikit-learn"]
    if trained.split(".")[:2] != installed.split(".")[:2]:
        raise ModelError(
            f"{path}: trained with scikit-learn {trained}, this is {installed}; "
            f"run `pip install 'scikit-learn=={trained}'` or retrain with `segmenter train`"
        )
    arrays = _read_arrays(path, card)
    if arrays is not None and [str(c) for c in arrays.classes_] != card["labels"]:
        raise ModelError(
            f"{path.parent / card['arrays']['file']}: the arrays' classes {arrays.classes_.tolist()} are not "
            f"the card's labels {card['labels']}; retrain with `segmenter train`"
        )
    context = _read_context(path, card)
    if context is not None and [str(c) for c in context.classes_] != card["labels"]:
        raise ModelError(
            f"{path.parent / card['context']['file']}: the context pass's classes {context.classes_.tolist()} are "
            f"not the card's labels {card['labels']}; retrain with `segmenter train`"
        )
    breaks = _read_decision(path, card, "breaks", "break model")
    heads = _read_decision(path, card, "heads", "head model")
    merges = _read_decision(path, card, "merges", "merge model")
    joins = _read_decision(path, card, "joins", "join model")
    titles = _read_decision(path, card, "titles", "title model")
    lexicon = _read_lexicon(path, card)
    if arrays is not None:
        logger.debug("loaded model arrays of %s (sha256 %s)", path, digest[:12])
        model = LoadedModel(arrays, card, path, breaks, heads, lexicon, merges, context, joins, titles)
        _CACHE[key] = model
        return model
    import joblib

    try:
        pipeline = joblib.load(path)
    except Exception as exc:  # a pickle can fail in many ways; all mean the file is unusable
        raise ModelError(f"{path}: cannot load the model ({type(exc).__name__}: {exc}); retrain it") from None
    if not hasattr(pipeline, "predict_proba") or not hasattr(pipeline, "classes_"):
        raise ModelError(f"{path}: not a fitted segmenter Pipeline")
    logger.debug("loaded model %s (sha256 %s)", path, digest[:12])
    model = LoadedModel(pipeline, card, path, breaks, heads, lexicon, merges, context, joins, titles)
    _CACHE[key] = model
    return model


def _arrays_type() -> type:
    from .classify import LinearModel

    return LinearModel


def _sklearn_version() -> str:
    """The installed scikit-learn version, read from its metadata (importing it takes a second)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("scikit-learn")
    except PackageNotFoundError:
        return "not installed"


def _read_part(path: Path, card: dict[str, Any], part: str, what: str, load: Callable[[Path], Any]) -> Any:
    """A numpy-only file the card lists under ``part`` (``what`` names it in messages), loaded after
    its checksum matches; ``None`` when the card lists none."""
    entry = card.get(part)
    if not isinstance(entry, dict):
        return None
    # check_card made it a plain name: the file is in the model's folder
    target = path.parent / _plain_name(entry.get("file"), card_path(path), f"{part}.file")
    if not target.is_file():
        raise ModelError(f"{target}: the model's {what} is missing; reinstall or retrain with `segmenter train`")
    if sha256_file(target) != entry.get("sha256"):
        raise ModelError(
            f"{target}: checksum does not match the meta card (file changed or corrupt); "
            "reinstall or retrain with `segmenter train`"
        )
    try:
        return load(target)
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        raise ModelError(f"{target}: cannot read the model's {what} ({exc}); retrain it") from None


#: the most an ``.npz`` of a model may hold once loaded (the shipped arrays hold about 15 MB)
MAX_ARRAY_BYTES = 1 << 30


def read_npz(
    path: str | os.PathLike[str], spec: dict[str, tuple[int, str]], optional: dict[str, tuple[int, str]] | None = None
) -> dict[str, Any]:
    """The arrays of an ``.npz`` file, checked against ``spec`` before and after loading.

    Parameters
    ----------
    path : path-like
        The ``.npz`` file.
    spec : dict
        Array name → (number of dimensions, the dtype kinds allowed, e.g. ``"f"`` or ``"U"``); the file
        must hold exactly these arrays …
    optional : dict, optional
        … and may hold these too, all of them or none (a part some models have), checked alike.

    Returns
    -------
    dict of str to ndarray
        The arrays; float arrays are finite.

    Raises
    ------
    ValueError
        When the file is no ``.npz``, holds pickled objects, other arrays or other shapes, arrays whose
        declared size exceeds :data:`MAX_ARRAY_BYTES` (read from the headers, before loading), or a
        float that is not finite.
    """
    import numpy as np
    from numpy.lib import format as npy

    if not zipfile.is_zipfile(path):
        raise ValueError("not an .npz archive")
    declared = 0
    with zipfile.ZipFile(path) as archive:
        names = [info.filename.removesuffix(".npy") for info in archive.infolist()]
        if optional and set(optional) <= set(names):
            spec = {**spec, **optional}
        if sorted(names) != sorted(spec):
            raise ValueError(f"holds arrays {sorted(names)}, expected {sorted(spec)}")
        for info in archive.infolist():
            with archive.open(info) as fh:
                version = npy.read_magic(fh)
                read_header = npy.read_array_header_1_0 if version == (1, 0) else npy.read_array_header_2_0
                shape, _, dtype = read_header(fh)
            declared += math.prod(shape) * dtype.itemsize
    if declared > MAX_ARRAY_BYTES:
        raise ValueError(f"its arrays would take {declared:,} bytes (at most {MAX_ARRAY_BYTES:,})")
    out: dict[str, Any] = {}
    with np.load(path, allow_pickle=False) as data:
        for name, (ndim, kinds) in spec.items():
            array = data[name]
            if array.ndim != ndim or array.dtype.kind not in kinds:
                raise ValueError(
                    f"array {name!r} is {array.ndim}-dimensional {array.dtype}, expected {ndim}-dimensional "
                    f"of kind {kinds!r}"
                )
            if array.dtype.kind == "f" and not np.isfinite(array).all():
                raise ValueError(f"array {name!r} holds values that are not finite")
            out[name] = array
    return out


def _read_arrays(path: Path, card: dict[str, Any]) -> Any:
    """The model's numpy-only copy when its card lists one; ``None`` to unpickle the Pipeline instead."""
    from .classify import LinearModel

    return _read_part(path, card, "arrays", "arrays file", LinearModel.load)


def _read_context(path: Path, card: dict[str, Any]) -> Any:
    """The context pass the card lists under ``"context"`` (:mod:`segmenter.context`), or ``None``."""
    from .context import ContextPass

    return _read_part(path, card, "context", "context pass", ContextPass.load)


def _read_decision(path: Path, card: dict[str, Any], part: str, what: str) -> Any:
    """A decision model the card lists under ``part`` — ``"breaks"`` (:mod:`segmenter.breaks`),
    ``"heads"`` (:mod:`segmenter.heads`), ``"merges"`` (:mod:`segmenter.merges`), ``"joins"``
    (:mod:`segmenter.joins`) or ``"titles"`` (:mod:`segmenter.titles`), all
    :class:`~segmenter.breaks.BreakModel` arrays — or ``None``."""
    from .breaks import BreakModel

    return _read_part(path, card, part, what, BreakModel.load)


def _read_lexicon(path: Path, card: dict[str, Any]) -> Any:
    """The word lexicon the card lists under ``"lexicon"`` (:mod:`segmenter.lexicon`), or ``None``."""
    from .lexicon import Lexicon

    return _read_part(path, card, "lexicon", "word lexicon", Lexicon.load)
