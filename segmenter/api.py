"""The public entry points: a :class:`Segmenter` and the :func:`split_page` shortcut.

The data path of one page: text → :func:`~segmenter.lines.split_lines` → features and
:func:`~segmenter.classify.predict_lines` → :func:`~segmenter.stitch.stitch` →
:func:`~segmenter.records.build_records`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

from .classify import predict_lines
from .facts import PageFacts
from .lines import Line, split_lines, unspace
from .model import LoadedModel, read_model
from .read import MAX_BYTES
from .patterns import is_picture, is_rule
from .records import Article, attach_pictures, build_records
from .stitch import stitch

logger = logging.getLogger(__name__)


def _set_aside(text: str) -> bool:
    """Whether a line is no text and is read around: a picture, a rule, a heading's underline."""
    return is_picture(text) or is_rule(text)


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
    trust_pickle : bool, default=False
        Allow a model without numpy arrays to be unpickled (unpickling runs the file's code; see
        :func:`~segmenter.model.read_model`).
    """

    def __init__(
        self, model: str | os.PathLike[str] | None = None, words: bool | str = True, *, trust_pickle: bool = False
    ) -> None:
        self.model = model
        word_mode(words)  # a wrong value fails here, not on the first page
        self.words = words
        self.trust_pickle = trust_pickle
        self._loaded: LoadedModel | None = None

    def load(self) -> Segmenter:
        """Load the model; returns ``self``."""
        if self._loaded is None:
            self._loaded = read_model(self.model, trust_pickle=self.trust_pickle)
        return self

    @property
    def loaded(self) -> LoadedModel:
        """The loaded model (loads it on first access)."""
        return self.load()._loaded  # type: ignore[return-value]

    def split_lines(self, lines: Sequence[Line], source: str = "") -> list[Article]:
        """Articles of a page already split into :class:`~segmenter.lines.Line` objects.

        A picture line (a Markdown image, ``![](images/3f7a.jpg)``) is no text: the page is read without
        it, and it joins the article of the caption beside it (:func:`~segmenter.records.attach_pictures`).
        So is a Markdown rule (``---``), which joins the article above it; an underline (``===``, ``---``
        right under a line) makes that line a heading (``#``, ``##``: a setext heading) and joins it.
        """
        if any(line.text[:1] in "!<-=*_" and _set_aside(line.text) for line in lines):
            return self._split_around_set_aside(lines, source)
        model = self.loaded
        # what the classifier and the stitcher read about each line, worked out once
        facts = PageFacts(lines)
        labels, confidence, proba = predict_lines(model.pipeline, lines, context=model.context, facts=facts)
        stitched = stitch(
            lines,
            labels,
            break_words(self.words, model.lexicon),
            model.breaks,
            model.heads,
            proba,
            [str(c) for c in model.pipeline.classes_],
            model.merges,
            facts,
            model.joins,
            model.titles,
        )
        return build_records(stitched, lines, stitched.labels, confidence, source=source)

    def _split_around_set_aside(self, lines: Sequence[Line], source: str) -> list[Article]:
        """:meth:`split_lines` of a page with pictures or rules: the page is read as if they were not printed
        (the blank lines around one merge into one gap), then each joins an article."""
        from .reflow import expand

        kept: list[Line] = []  # the lines read, renumbered
        originals: list[Line] = []  # the same lines as the input numbers them
        pictures: list[Line] = []
        rules: list[Line] = []
        sources: dict[int, list[tuple[int, int | None]]] = {}
        between: list[int] = []  # the lines set aside since the last line kept
        last, last_new = 0, 0  # the last line kept: its number in the input and as read
        for line in lines:
            if is_picture(line.text):
                pictures.append(line)
                between.append(line.n)
                continue
            if is_rule(line.text):
                rules.append(line)
                underline = line.text.lstrip()[0]
                if underline in "=-" and not between and kept and last == line.n - 1:
                    # a setext heading: the line right above it, underlined
                    if not kept[-1].text.startswith(("#", "*")):
                        kept[-1] = replace(kept[-1], text=("# " if underline == "=" else "## ") + kept[-1].text)
                between.append(line.n)
                continue
            originals.append(line)
            if line.n == last:  # another piece of an over-long line
                n = last_new
            elif not between:
                n = last_new + line.n - last  # the gap as printed
            else:
                # the blank runs around what was set aside merge into the longest of them
                cuts = [last, *between, line.n]
                gap = max(b - a - 1 for a, b in zip(cuts, cuts[1:]))
                n = last_new + 1 + gap
                if line.piece == 0:
                    line = replace(line, blank_before=gap > 0)
                if kept:
                    kept[-1] = replace(kept[-1], blank_after=gap > 0)
                between = []
            moved = replace(line, n=n)
            kept.append(moved)
            sources.setdefault(n, [(line.n, None)])
            last, last_new = line.n, n
        articles = expand(self.split_lines(kept, source=source), sources) if kept else []
        return attach_pictures(articles, pictures, originals, source=source, above=rules)

    def split(
        self,
        text: str | bytes | os.PathLike[str],
        source: str = "",
        *,
        reflow: bool = True,
        max_bytes: int | None = MAX_BYTES,
    ) -> list[Article]:
        """Articles of one page of text, in reading order (leftovers last, as ``kind == "other"``).

        ``bytes`` are decoded as ``segmenter split`` decodes a file (encoding detected, a PDF read by
        :mod:`segmenter.pdf`; raises :class:`~segmenter.errors.InputError` for other binary data). A path
        (``os.PathLike``, or a one-line ``str`` naming an existing ``.pdf`` file) is read as a file.
        Visual-line text (``pdftotext`` output: a line per printed line) is reflowed into paragraphs
        first (:mod:`segmenter.reflow`), and a run of one-character lines (a title set vertically) is
        read as one line, unless ``reflow`` is false; records still list the input lines. Text with a space
        between its Chinese characters (some OCR engines write it so) is read without those spaces
        (:func:`~segmenter.lines.unspace`), and the records' text is written without them.
        A file is refused above ``max_bytes`` (its size, before it is read; ``None``: no bound); text and
        bytes are not bounded here: :func:`split_page` and ``segmenter split`` bound them.
        """
        from .pdf import as_path

        path = as_path(text)
        if path is not None:
            from .read import read_page

            text = read_page(path, max_bytes=max_bytes).text
        elif isinstance(text, (bytes, bytearray)):
            from .read import decode

            text = decode(bytes(text), name=source or "<bytes>").text
        elif not isinstance(text, str):
            raise TypeError(f"a page is str (or bytes to decode), not {type(text).__name__}")
        # a PDF's text carries its paragraphs, read from the layout (segmenter.pdf.PdfText)
        flowed = getattr(text, "reflowed", None)
        if flowed is None:
            # an OCR engine that sets a space between Chinese characters: read as the page prints them
            text = unspace(text)
        if flowed is None and reflow:
            from .reflow import reflow as reflow_text

            flowed = reflow_text(text)
        if flowed is None:
            from .reflow import fold_tiny_runs

            lines = split_lines(text)
            # a run of one-character lines (a title set vertically) reads as one line, and costs as one
            flowed = fold_tiny_runs(lines) if reflow else None
            if flowed is None:
                return self.split_lines(lines, source=source)
        from .reflow import expand

        return expand(self.split_lines(flowed.lines, source=source), flowed.sources)


def _check_size(text: object, name: str, max_bytes: int | None) -> None:
    """Refuse a page above ``max_bytes``: bytes by their length, text by its UTF-8 size (a file is bounded
    where :meth:`Segmenter.split` reads it; anything else is its to refuse)."""
    if max_bytes is None or not isinstance(text, (str, bytes, bytearray)):
        return
    size = len(text)
    if isinstance(text, str) and size <= max_bytes < 4 * size:  # a character is 1 to 4 bytes in UTF-8
        size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > max_bytes:
        from .read import too_big

        raise too_big(name, size, max_bytes)


_DEFAULT: dict[str, Segmenter] = {}


def load_model(
    path: str | os.PathLike[str] | None = None, *, words: bool | str = True, trust_pickle: bool = False
) -> Segmenter:
    """A loaded :class:`Segmenter` for the model at ``path`` (default: the shipped model).

    ``trust_pickle=True`` lets a model without numpy arrays be unpickled: only for a model whose origin
    you trust (unpickling runs the code in the file).

    Raises
    ------
    ModelError
        When the model is missing, fails its checksum or meta card, or was written by another
        scikit-learn version, or has no arrays and ``trust_pickle`` is false; the message says how to
        fix it.
    """
    return Segmenter(path, words=words, trust_pickle=trust_pickle).load()


def split_page(
    text: str | bytes | os.PathLike[str],
    *,
    source: str = "",
    model: Segmenter | None = None,
    max_bytes: int | None = MAX_BYTES,
) -> list[Article]:
    """Split the text of one newspaper page into article records.

    Parameters
    ----------
    text : str, bytes or path
        The whole page as the extractor wrote it; bytes are decoded with the encoding detected as
        for a file (UTF-8 with or without BOM, UTF-16/32 with BOM, GB18030/GBK, Big5), or read as a
        PDF when they are one. A path (``pathlib.Path``, or a one-line ``str`` naming an existing
        ``.pdf`` file) is read as ``segmenter split`` reads a file. Text with one line per printed
        line (``pdftotext``) is reflowed into paragraphs first.
    source : str, optional
        Name to put in each record's ``source``.
    model : Segmenter, optional
        From :func:`load_model`; default: the shipped model, loaded once per process.
    max_bytes : int or None, default=64 MiB
        Refuse a page larger than this (UTF-8 bytes for ``str``, a file by its size); ``None``: no bound.

    Returns
    -------
    list of Article
        In reading order; ``Article.to_dict()`` gives the JSON record. Every non-empty line of
        ``text`` is in exactly one record's ``lines``; an empty page gives ``[]``.

    Raises
    ------
    InputError
        For bytes that are binary data or not text in a known encoding; for a page above ``max_bytes``.
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
    _check_size(text, source or ("<text>" if isinstance(text, str) else "<bytes>"), max_bytes)
    return model.split(text, source=source, max_bytes=max_bytes)
