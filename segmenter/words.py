"""Chinese word segmentation: pkuseg's shipped model, run by spacy-pkuseg as spaCy's Chinese tokenizer runs it.

The model is the ``default`` one that the ``pkuseg`` 0.0.25 sdist installs inside its package
(``<site-packages>/pkuseg/models/default``), so nothing is downloaded at run time. Loading it
takes seconds and most of a gigabyte, so it happens once per process, on first use.

Where the load goes (a fresh process, files in the page cache): unpickling ``features.pkl``, a dict of
2.6 million feature strings and sets of 1.2 million n-grams, ~2-3 s; ``weights.npz`` (106 MB of
float64), ~0.5 s; importing spaCy, ~1 s. The segmenter is built with ``spacy_pkuseg.pkuseg(model_dir,
user_dict="default")``, the very call spaCy's tokenizer makes in ``initialize``, so spaCy itself is not
imported. Re-encoding the features (msgpack, marshal, one joined string split into a dict) was measured
no faster than the pickle: the cost is building millions of Python strings and their hash table.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import importlib.util
import io
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from segmenter.errors import ModelError

logger = logging.getLogger(__name__)

#: what installs the word model's packages, in the order pkuseg's sdist needs (it builds
#: against the numpy and cython already installed, hence ``--no-build-isolation``)
INSTALL_COMMAND = (
    'python3 -m pip install "setuptools>=70.1" wheel numpy cython'
    ' && python3 -m pip install --no-build-isolation "pkuseg==0.0.25"'
    ' && python3 -m pip install "spacy>=3.8,<3.9" "spacy-pkuseg>=1.0,<2"'
    "  (or, from the repository: bash scripts/install.sh)"
)

#: files a pkuseg model directory must hold; features come as msgpack (spacy-pkuseg) or pickle (pkuseg)
_WEIGHTS_FILE = "weights.npz"
_FEATURE_FILES = ("features.msgpack", "features.pkl")

#: bound of the :func:`words` cache; headlines, bylines and furniture lines repeat across pages
WORDS_CACHE_SIZE = 65536


def _missing(package: str) -> ImportError:
    """Build the ImportError that says how to install the word model's packages."""
    return ImportError(
        f"{package} is not installed; the word model needs it (or split with --no-words). "
        f"Install with: {INSTALL_COMMAND}"
    )


def default_model_dir() -> str:
    """Return the directory of the model that the ``pkuseg`` package ships.

    The package is located without being imported: importing it would load its compiled
    extensions for nothing, since spacy-pkuseg does the segmenting.

    Returns
    -------
    str
        ``<site-packages>/pkuseg/models/default``; it is not checked to exist.

    Raises
    ------
    ImportError
        If ``pkuseg`` is not installed; the message gives the install command.
    """
    spec = importlib.util.find_spec("pkuseg")
    if spec is None or not spec.submodule_search_locations:
        raise _missing("pkuseg")
    package_dir = next(iter(spec.submodule_search_locations))
    return os.path.join(package_dir, "models", "default")


def _check_model_dir(model_dir: str) -> None:
    """Raise ModelError unless ``model_dir`` holds a pkuseg model's weights and features."""
    path = Path(model_dir)
    if not path.is_dir():
        raise ModelError(
            f"pkuseg model directory not found: {model_dir}; the default model comes with "
            f"pkuseg 0.0.25. Install with: {INSTALL_COMMAND}"
        )
    lacking = [] if (path / _WEIGHTS_FILE).is_file() else [_WEIGHTS_FILE]
    if not any((path / name).is_file() for name in _FEATURE_FILES):
        lacking.append(" or ".join(_FEATURE_FILES))
    if lacking:
        raise ModelError(
            f"pkuseg model directory {model_dir} lacks {', '.join(lacking)}; reinstall pkuseg 0.0.25 "
            f"with: {INSTALL_COMMAND}"
        )


def _load_cut(model_dir: str | None) -> Callable[[str], list[str]]:
    """Load pkuseg with spacy-pkuseg and return its segmenting function."""
    model_dir = default_model_dir() if model_dir is None else model_dir
    _check_model_dir(model_dir)  # before the imports: the cheap failure first
    try:
        import spacy_pkuseg
    except ImportError as exc:
        raise _missing("spacy-pkuseg") from exc

    # spacy-pkuseg prints a warning to stderr when it falls back to pkuseg's features.pkl;
    # a library must not print, so it goes to the debug log instead.
    chatter = io.StringIO()
    gc_was_enabled = gc.isenabled()
    # unpickling ~4 million feature strings triggers many useless collections: ~35% of the load
    gc.disable()
    try:
        with contextlib.redirect_stderr(chatter):
            # what spaCy's ChineseTokenizer.initialize(pkuseg_model=..., pkuseg_user_dict="default")
            # does, without importing spaCy (about a second)
            seg = spacy_pkuseg.pkuseg(model_dir, user_dict="default")
    except ImportError:
        raise
    # a truncated or foreign model file fails in many ways (pickle, zip, an assert): all are ModelError
    except Exception as exc:
        raise ModelError(f"cannot load the pkuseg model in {model_dir}: {exc}") from exc
    finally:
        if gc_was_enabled:
            gc.enable()
    if chatter.getvalue().strip():
        logger.debug("spacy-pkuseg said: %s", chatter.getvalue().strip())
    # spaCy's tokenizer would wrap these words in a Doc, which costs ~40% more than the segmenting
    # itself and adds nothing here: its non-space tokens are exactly these words (tests/test_words.py).
    return seg.cut


class WordSegmenter:
    """Split Chinese text into words with pkuseg, as spaCy's Chinese tokenizer does (spacy-pkuseg).

    Construction is cheap; the model loads on :meth:`load` or on the first call.
    Pickled copies (e.g. sent to joblib workers) arrive unloaded and load on first use there.

    Parameters
    ----------
    model_dir : str or os.PathLike or None
        A pkuseg model directory (``weights.npz`` and ``features.pkl`` or ``features.msgpack``);
        None means the model shipped with the ``pkuseg`` package (:func:`default_model_dir`).

    Examples
    --------
    >>> seg = WordSegmenter()
    >>> seg("新华社北京电")  # doctest: +SKIP
    ['新华社', '北京', '电']
    """

    def __init__(self, model_dir: str | os.PathLike[str] | None = None) -> None:
        self.model_dir: str | None = None if model_dir is None else os.fspath(model_dir)
        self._cut: Callable[[str], list[str]] | None = None
        self._lock = threading.Lock()

    @property
    def is_loaded(self) -> bool:
        """bool: Whether the model is in memory."""
        return self._cut is not None

    def load(self) -> WordSegmenter:
        """Load the model unless it is loaded already.

        Returns
        -------
        WordSegmenter
            ``self``, so that ``WordSegmenter().load()`` reads naturally.

        Raises
        ------
        ImportError
            If spacy-pkuseg or (for the default model) pkuseg is missing; the message
            gives the install command.
        segmenter.errors.ModelError
            If the model directory is missing, incomplete or unreadable.
        """
        self._loaded()
        return self

    def __call__(self, text: str) -> list[str]:
        """Split ``text`` into words.

        Parameters
        ----------
        text : str
            Any text; whitespace separates words and is dropped.

        Returns
        -------
        list of str
            The words in order, none empty or containing whitespace, so that
            ``"".join(words) == "".join(text.split())``.
        """
        return self._loaded()(text)

    def _loaded(self) -> Callable[[str], list[str]]:
        """Return the segmenting function, loading the model first if needed."""
        cut = self._cut
        if cut is None:
            with self._lock:  # two threads asking at once load once
                if self._cut is None:
                    start = time.perf_counter()
                    self._cut = _load_cut(self.model_dir)
                    logger.debug(
                        "loaded the pkuseg word model from %s in %.2f s",
                        self.model_dir or "the pkuseg package",
                        time.perf_counter() - start,
                    )
                cut = self._cut
        return cut

    def __reduce__(self) -> tuple[Any, ...]:
        # the loaded model is ~800 MB and the lock cannot be pickled: send only the settings
        return (type(self), (self.model_dir,))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(model_dir={self.model_dir!r}, loaded={self.is_loaded})"


_instance: WordSegmenter | None = None
_instance_lock = threading.Lock()


def _reset_locks_after_fork() -> None:
    # A fork taken while another thread held a lock would leave it held forever in the child.
    # The loaded model itself is kept: sharing it copy-on-write is the point of forking.
    global _instance_lock
    _instance_lock = threading.Lock()
    if _instance is not None:
        _instance._lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_locks_after_fork)


def get_word_segmenter() -> WordSegmenter:
    """Return this process's word segmenter, creating it (unloaded) on the first call.

    Every call in a process returns the same object, so the model loads at most once per
    process; a joblib/loky worker is its own process and gets its own.

    Returns
    -------
    WordSegmenter
        The process-wide instance with the default model.
    """
    global _instance
    if _instance is None:
        with _instance_lock:
            if _instance is None:
                _instance = WordSegmenter()
    return _instance


@functools.lru_cache(maxsize=WORDS_CACHE_SIZE)
def _cached_words(text: str) -> tuple[str, ...]:
    # a tuple, so that no caller can change what the cache hands the next one
    return tuple(get_word_segmenter()(text))


def words(text: str) -> list[str]:
    """Split ``text`` into words with the process-wide segmenter, caching repeated texts.

    Parameters
    ----------
    text : str
        Any text; whitespace separates words and is dropped.

    Returns
    -------
    list of str
        A fresh list of the words in order (see :meth:`WordSegmenter.__call__`).

    Raises
    ------
    ImportError
        If the word model's packages are missing.
    segmenter.errors.ModelError
        If the shipped model is missing or unreadable.
    """
    return list(_cached_words(text))
