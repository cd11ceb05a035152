"""Reading the People's Daily corpora and the hand-annotated gold pages.

Two kinds of material feed the segmenter:

* the People's Daily corpora (``pages.jsonl.gz``): clean articles regrouped by date and page, which
  :mod:`segmenter.render` turns into realistic page text for training. Two eras, one reader: January
  1998 (``pd1998``: the headline is the first paragraph) and 2019–2020 (``pd2019``: kicker, headline and
  deck are fields of their own, the paragraphs are the text);
* gold pages: ``pages/X.txt`` as an extractor wrote it plus ``gold/X.json``, the hand annotation
  (format in ``../shared/gold/README.md``), used for evaluation.

The corpora are read by path and never copied into the repository. Training may only use 1998 pages
dated up to :data:`CORPUS_SPLIT_DATE` and modern pages of :data:`MODERN_TRAIN_MONTHS`; the later 1998
pages and :data:`MODERN_EVAL_MONTHS` are reserved for evaluation, and any other month is neither.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Literal

from .labels import Kind, Label

log = logging.getLogger(__name__)

#: last date (``YYYYMMDD``) of the training part of the 1998 corpus; later pages are for evaluation only
CORPUS_SPLIT_DATE = "19980124"
#: months (``YYYYMM``) of the modern corpus that training may use
MODERN_TRAIN_MONTHS = ("201902", "201910", "202001")
#: the modern corpus's held-out month: the figures of record, never trained on or tuned by
MODERN_EVAL_MONTHS = ("202002",)


class Era(str, Enum):
    """The conventions a corpus page was printed with."""

    #: January 1998: the headline is the article's first paragraph, sub-headlines run on or follow it
    PD1998 = "pd1998"
    #: 2019 on: kicker, headline and deck are separate; bylines, credits and intertitles are paragraphs
    MODERN = "pd2019"


def in_split(date: str, split: str) -> bool:
    """Whether a corpus page of ``date`` (``YYYYMMDD``) belongs to ``split``.

    Examples
    --------
    >>> in_split("19980124", "train"), in_split("19980125", "eval"), in_split("20200205", "train")
    (True, True, False)
    >>> in_split("20191001", "train"), in_split("20200301", "eval"), in_split("20200301", "all")
    (True, False, True)
    """
    if split == "all":
        return True
    if date[:4] == "1998":
        return date <= CORPUS_SPLIT_DATE if split == "train" else date > CORPUS_SPLIT_DATE
    months = MODERN_TRAIN_MONTHS if split == "train" else MODERN_EVAL_MONTHS
    return date[:6] in months

#: annotators' notes that the corpus appends to headlines (and a few sub-headlines): not printed text
_NOTE = re.compile(r"（附?图片[０-９0-9]*张?）|（图片）")
_ATTACHED = re.compile(r"（附?图片([０-９0-9]+)张）")

_LABELS = frozenset(label.value for label in Label)
_KINDS = frozenset(kind.value for kind in Kind)
_LINE_KEYS = ("n", "text", "label", "article", "join", "dup")
_ARTICLE_KEYS = ("id", "kind", "headline", "continued", "order")


@dataclass
class CorpusArticle:
    """One article of the corpus.

    Attributes
    ----------
    id : str
        Corpus id ``YYYYMMDD-PP-AAA`` (date, page, article).
    paragraphs : list of str
        The paragraphs in corpus order; the first is the headline (annotator notes removed).
    picture_item : bool
        The annotators marked the headline ``（图片）``: the item is itself a picture with its caption.
    pictures : int
        Number of pictures the annotators noted as attached (``（附图片２张）``), 0 when none.
    kicker, deck : str or None
        A modern article's kicker (引题, above the headline) and deck (副题, under it), when it has them.
    era : Era
        The conventions it was printed with; a modern article's first paragraph is the corpus's
        ``headline`` field (empty when it has none) and the rest its text.
    """

    id: str
    paragraphs: list[str]
    picture_item: bool = False
    pictures: int = 0
    kicker: str | None = None
    deck: str | None = None
    era: Era = Era.PD1998


@dataclass
class CorpusPage:
    """One newspaper page of the corpus.

    Attributes
    ----------
    date : str
        ``YYYYMMDD``.
    page : int
        Page number (1-based).
    articles : list of CorpusArticle
        The page's articles in corpus order (not necessarily the printed order).
    """

    date: str
    page: int
    articles: list[CorpusArticle]

    @property
    def era(self) -> Era:
        """The era of the page's articles (1998 for an empty page)."""
        return self.articles[0].era if self.articles else Era.PD1998


@dataclass
class GoldPage:
    """A real extracted page with its hand annotation.

    Attributes
    ----------
    source : str
        File name of the page text (``X.txt``).
    text : str
        The page text exactly as the extractor wrote it.
    gold : dict
        The annotation, in the format of ``gold/README.md``.
    """

    source: str
    text: str
    gold: dict[str, Any]


def to_ascii_digits(text: str) -> str:
    """Turn full-width digits ``０``–``９`` into ASCII digits, leaving everything else alone."""
    return text.translate({cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)})


def clean_paragraph(text: str) -> str:
    """Remove annotators' notes such as ``（附图片１张）`` and surrounding whitespace from a paragraph.

    Parameters
    ----------
    text : str
        A corpus paragraph.

    Returns
    -------
    str
        The printed text; empty when the paragraph was nothing but a note.

    Examples
    --------
    >>> clean_paragraph("迈向充满希望的新世纪——一九九八年新年讲话（附图片１张）")
    '迈向充满希望的新世纪——一九九八年新年讲话'
    >>> clean_paragraph("（图片）")
    ''
    """
    return " ".join(_NOTE.sub("", text).split())


def read_corpus(path: str | Path, *, split: Literal["train", "eval", "all"] = "train") -> list[CorpusPage]:
    """Read a People's Daily corpus (either era), one :class:`CorpusPage` per page, in file order.

    Parameters
    ----------
    path : str or Path
        ``pages.jsonl.gz`` (gzip-compressed JSON lines; plain ``.jsonl`` is accepted too). An article
        with a ``headline`` field is modern (:attr:`Era.MODERN`): its kicker and deck are kept apart.
    split : {"train", "eval", "all"}
        ``"train"``: 1998 pages dated up to :data:`CORPUS_SPLIT_DATE` and modern pages of
        :data:`MODERN_TRAIN_MONTHS`; ``"eval"``: later 1998 pages and :data:`MODERN_EVAL_MONTHS`;
        ``"all"``: every page (see :func:`in_split`).

    Returns
    -------
    list of CorpusPage
        Annotator notes are removed from every paragraph; paragraphs that were only a note are
        dropped, as are articles left without text.

    Raises
    ------
    ValueError
        If ``split`` is unknown or a line of the file is not a page object.
    """
    if split not in ("train", "eval", "all"):
        raise ValueError(f"split must be 'train', 'eval' or 'all', not {split!r}")
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    pages: list[CorpusPage] = []
    with opener(path, "rt", encoding="utf-8") as handle:
        for number, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
                date, page_no, raw_articles = str(obj["date"]), int(obj["page"]), obj["articles"]
                if not in_split(date, split):
                    continue
                articles = [a for a in map(_corpus_article, raw_articles) if a is not None]
            except (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
                raise ValueError(f"{path}: line {number}: not a corpus page ({exc})") from exc
            pages.append(CorpusPage(date=date, page=page_no, articles=articles))
    log.debug("read %d %s pages from %s", len(pages), split, path)
    return pages


def _field(raw: dict[str, Any], key: str) -> str | None:
    value = clean_paragraph(str(raw.get(key) or ""))
    return value or None


def _corpus_article(raw: dict[str, Any]) -> CorpusArticle | None:
    """One article of either era; ``None`` when nothing printable is left."""
    raw_paragraphs = [str(p) for p in raw["paragraphs"]]
    paragraphs = [p for p in map(clean_paragraph, raw_paragraphs) if p]
    if "headline" in raw:
        if not paragraphs and not raw.get("headline"):
            return None
        return CorpusArticle(
            id=str(raw["id"]),
            paragraphs=[_field(raw, "headline") or "", *paragraphs],
            kicker=_field(raw, "kicker"),
            deck=_field(raw, "deck"),
            era=Era.MODERN,
        )
    if not paragraphs:
        return None
    # notes sit on the headline or a sub-headline: look at the first few paragraphs only
    head = "".join(raw_paragraphs[:5])
    attached = sum(int(to_ascii_digits(m)) for m in _ATTACHED.findall(head))
    return CorpusArticle(
        id=str(raw["id"]),
        paragraphs=paragraphs,
        picture_item="（图片）" in raw_paragraphs[0],
        pictures=attached,
    )


def corpus_hash(path: str | Path) -> str:
    """SHA-256 of the corpus file's bytes, for a model's meta card.

    Parameters
    ----------
    path : str or Path
        The corpus file.

    Returns
    -------
    str
        Hex digest.
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _fail(path: str | Path, problem: str) -> ValueError:
    return ValueError(f"{path}: {problem}")


def validate_gold(gold: Any, where: str | Path = "<gold>") -> None:
    """Check that ``gold`` is a well-formed annotation; raise ``ValueError`` naming the problem.

    Checks the keys and types of every line and article, that labels and kinds are known, that line
    numbers are unique, that every line's article exists (``0`` is allowed for page furniture and is
    not listed among the articles) and that each article's ``order`` lists exactly its lines.

    Parameters
    ----------
    gold : dict
        The parsed annotation.
    where : str or Path
        Named in the error message (usually the file).

    Raises
    ------
    ValueError
        ``"<where>: <problem>"`` for the first problem found.
    """
    if not isinstance(gold, dict):
        raise _fail(where, "not a JSON object")
    for key, kind in (("source", str), ("lines", list), ("articles", list)):
        if key not in gold:
            raise _fail(where, f"missing key {key!r}")
        if not isinstance(gold[key], kind):
            raise _fail(where, f"{key!r} must be a {kind.__name__}")
    seen_n: set[int] = set()
    lines_of: dict[int, set[int]] = {}
    for index, line in enumerate(gold["lines"]):
        at = f"lines[{index}]"
        if not isinstance(line, dict):
            raise _fail(where, f"{at} is not an object")
        missing = [key for key in _LINE_KEYS if key not in line]
        if missing:
            raise _fail(where, f"{at} misses {', '.join(missing)}")
        n = line["n"]
        if not isinstance(n, int) or isinstance(n, bool) or n < 1:
            raise _fail(where, f"{at}: n must be a positive integer, not {n!r}")
        at = f"line n={n}"
        if n in seen_n:
            raise _fail(where, f"{at} is listed twice")
        seen_n.add(n)
        if not isinstance(line["text"], str) or not line["text"].strip():
            raise _fail(where, f"{at}: text must be a non-empty string")
        if line["label"] not in _LABELS:
            raise _fail(where, f"{at}: label {line['label']!r} is not one of {', '.join(sorted(_LABELS))}")
        article = line["article"]
        if not isinstance(article, int) or isinstance(article, bool) or article < 0:
            raise _fail(where, f"{at}: article must be an integer >= 0, not {article!r}")
        for flag in ("join", "dup"):
            if not isinstance(line[flag], bool):
                raise _fail(where, f"{at}: {flag} must be true or false, not {line[flag]!r}")
        lines_of.setdefault(article, set()).add(n)
    ids: set[int] = set()
    for index, art in enumerate(gold["articles"]):
        at = f"articles[{index}]"
        if not isinstance(art, dict):
            raise _fail(where, f"{at} is not an object")
        missing = [key for key in _ARTICLE_KEYS if key not in art]
        if missing:
            raise _fail(where, f"{at} misses {', '.join(missing)}")
        aid = art["id"]
        if not isinstance(aid, int) or isinstance(aid, bool) or aid < 1:
            raise _fail(where, f"{at}: id must be a positive integer, not {aid!r}")
        at = f"article {aid}"
        if aid in ids:
            raise _fail(where, f"{at} is listed twice")
        ids.add(aid)
        if art["kind"] not in _KINDS:
            raise _fail(where, f"{at}: kind {art['kind']!r} is not one of {', '.join(sorted(_KINDS))}")
        if art["headline"] is not None and not isinstance(art["headline"], str):
            raise _fail(where, f"{at}: headline must be a string or null")
        if not isinstance(art["continued"], bool):
            raise _fail(where, f"{at}: continued must be true or false")
        order = art["order"]
        if not isinstance(order, list) or not all(
            isinstance(n, int) and not isinstance(n, bool) for n in order
        ):
            raise _fail(where, f"{at}: order must be a list of line numbers")
        if len(set(order)) != len(order):
            raise _fail(where, f"{at}: order lists a line twice")
    unknown = sorted(set(lines_of) - ids - {0})
    if unknown:
        raise _fail(where, f"lines refer to articles that are not listed: {unknown[:5]}")
    for art in gold["articles"]:
        at, order = f"article {art['id']}", art["order"]
        own = lines_of.get(art["id"], set())
        if set(order) != own:
            extra = sorted(set(order) - own)
            lacking = sorted(own - set(order))
            detail = []
            if extra:
                detail.append(f"lists lines not in the article: {extra[:5]}")
            if lacking:
                detail.append(f"misses the article's lines: {lacking[:5]}")
            raise _fail(where, f"{at}: order {'; '.join(detail)}")


def read_gold(path: str | Path) -> dict[str, Any]:
    """Read and validate one gold annotation file.

    Parameters
    ----------
    path : str or Path
        ``gold/X.json``.

    Returns
    -------
    dict
        The annotation (``source``, ``lines``, ``articles``).

    Raises
    ------
    ValueError
        If the file is not JSON or breaks the format; the message names the file and the problem.
    """
    try:
        gold = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise _fail(path, f"not valid JSON ({exc})") from exc
    except UnicodeDecodeError as exc:
        raise _fail(path, f"not UTF-8 ({exc})") from exc
    validate_gold(gold, path)
    return gold


def write_gold(path: str | Path, gold: dict[str, Any]) -> None:
    """Validate ``gold`` and write it in the layout of the shared gold files (UTF-8, indent 1).

    Parameters
    ----------
    path : str or Path
        Destination ``.json`` file.
    gold : dict
        The annotation.

    Raises
    ------
    ValueError
        If ``gold`` breaks the format.
    """
    validate_gold(gold, path)
    Path(path).write_text(json.dumps(gold, ensure_ascii=False, indent=1), encoding="utf-8")


def check_gold_text(gold: dict[str, Any], text: str, where: str | Path = "<gold>") -> None:
    """Check that a gold annotation matches its page text line for line.

    Every non-empty line of ``text`` must be listed once with its exact text and number.

    Parameters
    ----------
    gold : dict
        A valid annotation.
    text : str
        The page text.
    where : str or Path
        Named in the error message.

    Raises
    ------
    ValueError
        On the first mismatch.
    """
    file_lines = text.split("\n")
    listed = {line["n"]: line["text"] for line in gold["lines"]}
    for n, line in enumerate(file_lines, 1):
        line = line.rstrip("\r")
        if line.strip() and n not in listed:
            raise _fail(where, f"non-empty page line {n} is not annotated")
    for n, line_text in listed.items():
        if n > len(file_lines):
            raise _fail(where, f"line n={n} is beyond the page's {len(file_lines)} lines")
        if file_lines[n - 1].rstrip("\r") != line_text:
            raise _fail(where, f"line n={n}: text differs from the page")


def read_gold_pages(pages_dir: str | Path, gold_dir: str | Path) -> list[GoldPage]:
    """Pair every ``pages_dir/X.txt`` with ``gold_dir/X.json`` and read both.

    Parameters
    ----------
    pages_dir : str or Path
        Directory of page texts.
    gold_dir : str or Path
        Directory of annotations.

    Returns
    -------
    list of GoldPage
        Sorted by file name; pages without an annotation are skipped (and logged).

    Raises
    ------
    ValueError
        If an annotation is malformed or does not match its page text.
    """
    pages_dir, gold_dir = Path(pages_dir), Path(gold_dir)
    result: list[GoldPage] = []
    for page_path in sorted(pages_dir.glob("*.txt")):
        gold_path = gold_dir / f"{page_path.stem}.json"
        if not gold_path.exists():
            log.warning("no gold annotation for %s", page_path.name)
            continue
        gold = read_gold(gold_path)
        text = page_path.read_text(encoding="utf-8")
        check_gold_text(gold, text, gold_path)
        result.append(GoldPage(source=page_path.name, text=text, gold=gold))
    return result


def gold_hash(pages: list[GoldPage]) -> str:
    """SHA-256 over the page texts and annotations, independent of their order.

    Parameters
    ----------
    pages : list of GoldPage
        Gold pages as read by :func:`read_gold_pages`.

    Returns
    -------
    str
        Hex digest.
    """
    digest = hashlib.sha256()
    for page in sorted(pages, key=lambda p: p.source):
        digest.update(page.source.encode("utf-8") + b"\0")
        digest.update(page.text.encode("utf-8") + b"\0")
        digest.update(json.dumps(page.gold, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\0")
    return digest.hexdigest()
