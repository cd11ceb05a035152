"""The public entry points: a :class:`Segmenter` and the :func:`split_page` shortcut.

The data path of one page: text → :func:`~segmenter.lines.split_lines` → features and
:func:`~segmenter.classify.predict_lines` → :func:`~segmenter.stitch.stitch` →
:func:`~segmenter.records.build_records`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from .classify import predict_lines
from .lines import Line, split_lines
from .model import LoadedModel, read_model
from .records import Article, build_records
from .stitch import stitch

logger = logging.getLogger(__name__)

#: characters either side of a break that the word test looks at
_CROSS_WINDOW = 6


@lru_cache(maxsize=8192)
def word_crosses(left: str, right: str) -> bool:
    """Whether pkuseg puts a word across the break between ``left`` and ``right``.

    ``中医`` + ``药、中餐`` → ``中医药`` crosses: the two lines are one sentence broken at a column end.
    Loads the full word model on first use (once per process: seconds and most of a gigabyte); the
    default is the model's lexicon (:meth:`segmenter.lexicon.Lexicon.crosses`), which asks the same.
    """
    from .lexicon import tokens_cross
    from .words import words

    a, b = left[-_CROSS_WINDOW:], right[:_CROSS_WINDOW]
    if not a or not b:
        return False
    # a two-character word across the break is as often a segmenter's guess ("完|药") as a real word
    return tokens_cross(words(a + b), len(a))


#: what answers the stitcher's question whether a word runs across a break (``words=`` of :class:`Segmenter`)
WORD_MODES = ("lexicon", "pkuseg", "none")


def word_mode(words: bool | str) -> str:
    """The word mode a ``words`` argument means: True is ``"lexicon"``, False ``"none"``.

    Raises
    ------
    ValueError
        For anything but a bool or one of :data:`WORD_MODES`.
    """
    if words is True:
        return "lexicon"
    if words is False or words is None:
        return "none"
    if words not in WORD_MODES:
        raise ValueError(f"words must be True, False or one of {', '.join(WORD_MODES)}; got {words!r}")
    return str(words)


def break_words(words: bool | str, lexicon: Any = None) -> Callable[[str, str], bool] | None:
    """The stitcher's word test for a word mode (:func:`word_mode`) and a model's lexicon.

    ``"lexicon"`` without a lexicon (a model written before lexicons) asks pkuseg, as such a model did.
    """
    mode = word_mode(words)
    if mode == "none":
        return None
    if mode == "lexicon" and lexicon is not None:
        return lexicon.crosses
    return word_crosses


def shipped_lexicon() -> Any:
    """The shipped model's word lexicon (``None`` when it has none): the word test of experiments that
    train a classifier in memory (:mod:`segmenter.evaluate`), built from the same training split."""
    return read_model().lexicon


class Segmenter:
    """Split newspaper pages into articles with one loaded model.

    Construction is cheap; :meth:`load` reads the model (checksum and meta card checked): the line
    classifier and, when the model has them, the stitcher's break model (:mod:`segmenter.breaks`), head
    model and word lexicon (:mod:`segmenter.lexicon`). The pkuseg word model is loaded only with
    ``words="pkuseg"`` (or for a model without a lexicon), once per process, on the first text that needs it.

    Parameters
    ----------
    model : path-like, optional
        A model file written by ``segmenter train``; default: the model shipped in the package.
    words : bool or {"lexicon", "pkuseg", "none"}, default=True
        How the stitcher tests sentence continuity where punctuation and adjacency leave a broken
        paragraph ambiguous (a moved column): whether a word runs across the break. ``True`` or
        ``"lexicon"``: from the model's word lexicon (a few MB, loaded with the model; a model without
        one asks pkuseg); ``"pkuseg"``: the full pkuseg word model (0.9 GB, loaded once per process on
        the first break that needs it); ``False`` or ``"none"``: never. The classifier uses pkuseg when
        its model was trained with word features, whatever this says.
    """

    def __init__(self, model: str | os.PathLike[str] | None = None, words: bool | str = True) -> None:
        self.model = model
        word_mode(words)  # a wrong value fails here, not on the first page
        self.words = words
        self._loaded: LoadedModel | None = None

    def load(self) -> Segmenter:
        """Load the model; returns ``self``."""
        if self._loaded is None:
            self._loaded = read_model(self.model)
        return self

    @property
    def loaded(self) -> LoadedModel:
        """The loaded model (loads it on first access)."""
        return self.load()._loaded  # type: ignore[return-value]

    def split_lines(self, lines: Sequence[Line], source: str = "") -> list[Article]:
        """Articles of a page already split into :class:`~segmenter.lines.Line` objects."""
        model = self.loaded
        labels, confidence, proba = predict_lines(model.pipeline, lines)
        stitched = stitch(
            lines,
            labels,
            break_words(self.words, model.lexicon),
            model.breaks,
            model.heads,
            proba,
            [str(c) for c in model.pipeline.classes_],
        )
        return build_records(stitched, lines, stitched.labels, confidence, source=source)

    def split(self, text: str | bytes, source: str = "") -> list[Article]:
        """Articles of one page of text, in reading order (leftovers last, as ``kind == "other"``).

        ``bytes`` are decoded as ``segmenter split`` decodes a file (encoding detected; raises
        :class:`~segmenter.errors.InputError` for binary data).
        """
        if isinstance(text, (bytes, bytearray)):
            from .read import decode

            text = decode(bytes(text), name=source or "<bytes>").text
        elif not isinstance(text, str):
            raise TypeError(f"a page is str (or bytes to decode), not {type(text).__name__}")
        return self.split_lines(split_lines(text), source=source)


_DEFAULT: dict[str, Segmenter] = {}


def load_model(path: str | os.PathLike[str] | None = None, *, words: bool | str = True) -> Segmenter:
    """A loaded :class:`Segmenter` for the model at ``path`` (default: the shipped model).

    Raises
    ------
    ModelError
        When the model is missing, fails its checksum or meta card, or was written by another
        scikit-learn version; the message says how to fix it.
    """
    return Segmenter(path, words=words).load()


def split_page(text: str | bytes, *, source: str = "", model: Segmenter | None = None) -> list[Article]:
    """Split the text of one newspaper page into article records.

    Parameters
    ----------
    text : str or bytes
        The whole page as the extractor wrote it; bytes are decoded with the encoding detected as
        for a file (UTF-8 with or without BOM, UTF-16/32 with BOM, GB18030/GBK, Big5).
    source : str, optional
        Name to put in each record's ``source``.
    model : Segmenter, optional
        From :func:`load_model`; default: the shipped model, loaded once per process.

    Returns
    -------
    list of Article
        In reading order; ``Article.to_dict()`` gives the JSON record. Every non-empty line of
        ``text`` is in exactly one record's ``lines``; an empty page gives ``[]``.

    Raises
    ------
    InputError
        For bytes that are binary data or not text in a known encoding.
    TypeError
        For anything but ``str`` or ``bytes``.

    Examples
    --------
    >>> from segmenter import split_page
    >>> arts = split_page("# 标题\\n\\n新华社北京1月25日电 正文。")
    >>> arts[0].headline
    '标题'
    """
    if model is None:
        model = _DEFAULT.get("default")
        if model is None:
            model = _DEFAULT.setdefault("default", load_model())
    return model.split(text, source=source)
