"""Writing records: JSON Lines (the contract), JSON, Markdown, plain text, an HTML review page and a draft
gold file; files written atomically, and never over a file that segmenter did not write.

How segmenter knows its own files (:func:`written_by_segmenter`): every format carries a mark that a
user's file does not have by chance --

* JSON Lines / JSON: the records themselves (an object with ``source``, ``index``, ``kind`` and ``lines``);
* Markdown: a first line ``<!-- segmenter page: NAME -->``; plain text: a first line ``segmenter page: NAME``;
* HTML (review pages and their index): ``<meta name="generator" content="segmenter ...">``;
* a draft gold file: a ``draft`` entry holding the SHA-256 of its lines and articles, so that a draft the
  user has corrected no longer counts as segmenter's;
* an empty file (nothing to lose).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from enum import Enum
from pathlib import Path
from typing import Any

from . import __version__
from .records import Article, block_item, line_item

#: the installed package: nothing is ever written inside it without ``--overwrite``
PACKAGE_DIR = Path(__file__).resolve().parent


class Format(str, Enum):
    """Output formats of ``segmenter split``."""

    JSONL = "jsonl"
    JSON = "json"
    MARKDOWN = "markdown"
    TEXT = "text"
    HTML = "html"
    GOLD = "gold"

    @property
    def suffix(self) -> str:
        """File name ending for ``--out-dir``."""
        return {
            "jsonl": ".jsonl",
            "json": ".json",
            "markdown": ".md",
            "text": ".txt",
            "html": ".html",
            "gold": ".json",
        }[self.value]

    @property
    def one_per_file(self) -> bool:
        """Whether pages in this format cannot be concatenated on stdout (a document per page)."""
        return self in (Format.JSON, Format.HTML, Format.GOLD)


#: first line of a Markdown / plain text page: names the source page and marks the file as segmenter's
MARKDOWN_MARK = "<!-- segmenter page: {source} -->"
TEXT_MARK = "segmenter page: {source}"
_MARK_RE = re.compile(r"^(?:<!-- segmenter page: .* -->|segmenter page: .*)$")
#: in every HTML file segmenter writes
HTML_GENERATOR = f'<meta name="generator" content="segmenter {__version__}">'
_HTML_MARK = b'<meta name="generator" content="segmenter '
_RECORD_KEYS = frozenset({"source", "index", "kind", "lines"})


#: items of a record's ``blocks`` or ``lines`` turned into JSON at a time (a long page's record is written
#: piece by piece, never held as one dict per line)
_ITEMS_CHUNK = 4096


def _json_list(items: Sequence[Any], item: Callable[[Any], Any]) -> Iterator[str]:
    """``json.dumps([item(x) for x in items], ensure_ascii=False)`` in pieces, :data:`_ITEMS_CHUNK` items a piece."""
    yield "["
    for k in range(0, len(items), _ITEMS_CHUNK):
        chunk = json.dumps([item(x) for x in items[k : k + _ITEMS_CHUNK]], ensure_ascii=False)[1:-1]
        yield chunk if k == 0 else ", " + chunk
    yield "]"


def _record_parts(article: Article) -> Iterator[str]:
    """``json.dumps(article.to_dict(), ensure_ascii=False)`` in pieces, without the dicts of a long
    article's lines."""
    if len(article.lines) + len(article.blocks) <= _ITEMS_CHUNK:
        yield json.dumps(article.to_dict(), ensure_ascii=False)
        return
    yield json.dumps(article.head(), ensure_ascii=False)[:-1]
    yield ', "blocks": '
    yield from _json_list(article.blocks, block_item)
    yield ', "text": '
    yield json.dumps(article.text, ensure_ascii=False)
    yield ', "lines": '
    yield from _json_list(article.lines, line_item)
    yield "}"


def record_json(article: Article) -> str:
    """``json.dumps(article.to_dict(), ensure_ascii=False)``, without the dicts of a long article's lines."""
    return "".join(_record_parts(article))


def jsonl_parts(articles: Iterable[Article]) -> Iterator[str]:
    """:func:`to_jsonl` in pieces, to be written one after another (a long page's output is never held whole)."""
    for article in articles:
        yield from _record_parts(article)
        yield "\n"


def to_jsonl(articles: Iterable[Article]) -> str:
    """One JSON record per line (UTF-8 text, not ASCII escapes)."""
    return "".join(jsonl_parts(articles))


def to_json(articles: Iterable[Article]) -> str:
    """A JSON array of records, indented for reading."""
    return json.dumps([a.to_dict() for a in articles], ensure_ascii=False, indent=2) + "\n"


def _page_name(articles: Sequence[Article]) -> str:
    return (articles[0].source if articles else "") or "(unnamed page)"


def _dateline_shown(a: Article) -> str | None:
    """The dateline for the article's head, unless its text already starts a paragraph with it."""
    return a.dateline if a.dateline and a.dateline not in a.text else None


def to_markdown(articles: Sequence[Article]) -> str:
    """Articles as Markdown, for people reading the result: the page named first, an article per ``##``."""
    if not articles:
        return ""
    name = _page_name(articles)
    out: list[str] = [MARKDOWN_MARK.format(source=name), "", f"# {name}", ""]
    for a in articles:
        if a.kind == "other":
            out.append("---\n\n*Page furniture (no article):*\n")
            out.extend(f"> {b.text}\n" for b in a.blocks)
            out.append("")
            continue
        out.append(f"## {a.headline}" if a.headline else f"## ({a.kind}, no headline)")
        for sub in a.subheadlines:
            out.append(f"*{sub}*")
        meta = [x for x in (a.byline, _dateline_shown(a)) if x]
        if a.continued:
            meta.append("continued from another page")
        if meta:
            out.append("_" + " · ".join(meta) + "_")
        out.append("")
        for b in a.blocks:
            if b.label == "section":
                out.append(f"### {b.text}\n")
            elif b.label == "caption":
                out.append(f"> {b.text}\n")
            elif b.label != "dateline":
                out.append(b.text + "\n")
    return "\n".join(out).rstrip("\n") + "\n"


def to_text(articles: Sequence[Article]) -> str:
    """Articles as plain text: the page named first, then per article its head and paragraphs, articles
    separated by a blank line and a rule."""
    if not articles:
        return ""
    parts = []
    for a in articles:
        head = [a.headline] if a.headline else []
        head += a.subheadlines
        head += [x for x in (a.byline, _dateline_shown(a)) if x]
        parts.append("\n".join(head + [a.text]).strip("\n"))
    body = ("\n\n" + "=" * 20 + "\n\n").join(parts)
    return f"{TEXT_MARK.format(source=_page_name(articles))}\n\n{body}\n"


#: labels whose lines become a field of the record, never a block (so a missing block is no repeat)
_FIELD_LABELS = frozenset({"headline", "subhead", "byline"})


def to_gold(articles: Sequence[Article], text: str) -> dict[str, Any]:
    """The segmenter's reading of a page as a draft annotation in the format of ``data/gold/README.md``.

    Lines the segmenter left over get article ``0``; a line that continues its block is ``join``; a line
    of an article that is in no block (and is not a headline, subhead or byline) is ``dup``. An over-long
    line cut into pieces is listed once, with its first piece's label and article. The ``draft`` entry
    holds the checksum of the lines and articles (see :func:`written_by_segmenter`).

    Parameters
    ----------
    articles : sequence of Article
        The page's records, as :func:`~segmenter.api.split_page` returns them.
    text : str
        The page's text, as split (the gold ``text`` of a line is the line as in the file).
    """
    from .lines import _BREAK

    physical = _BREAK.split(text)
    lines: dict[int, dict[str, Any]] = {}
    entries: list[dict[str, Any]] = []
    next_id = 0
    for a in articles:
        aid = 0
        if a.kind != "other":
            next_id += 1
            aid = next_id
        shown = {n for b in a.blocks for n in b.lines}
        joined = {n for b in a.blocks for n in b.lines[1:] if n != b.lines[0]}
        order = []
        for ref in a.lines:
            if ref.n in lines:
                continue
            lines[ref.n] = {
                "n": ref.n,
                "text": physical[ref.n - 1],
                "label": ref.label,
                "article": aid,
                "join": ref.n in joined,
                "dup": ref.label not in _FIELD_LABELS and ref.n not in shown,
            }
            order.append(ref.n)
        if aid:
            entries.append(
                {"id": aid, "kind": a.kind, "headline": a.headline, "continued": a.continued, "order": order}
            )
    body = {"lines": sorted(lines.values(), key=lambda item: item["n"]), "articles": entries}
    draft = {"by": f"segmenter {__version__}", "sha256": _gold_digest(body)}
    return {"source": _page_name(articles) if articles else "", "draft": draft, **body}


def _gold_digest(body: dict[str, Any]) -> str:
    data = json.dumps([body["lines"], body["articles"]], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def render_parts(articles: Sequence[Article], fmt: Format | str, text: str | None = None) -> Iterable[str]:
    """:func:`render` in pieces to write one after another (JSON Lines: a record's lines a few thousand at
    a time; the other formats whole)."""
    if Format(fmt) is Format.JSONL:
        return jsonl_parts(articles)
    return (render(articles, fmt, text),)


def render(articles: Sequence[Article], fmt: Format | str, text: str | None = None) -> str:
    """Records of one page in the given format.

    ``text`` (the page as split) is needed by the formats that show the page's lines: ``html`` and ``gold``.
    """
    fmt = Format(fmt)
    if fmt is Format.JSONL:
        return to_jsonl(articles)
    if fmt is Format.JSON:
        return to_json(articles)
    if fmt is Format.MARKDOWN:
        return to_markdown(articles)
    if fmt is Format.TEXT:
        return to_text(articles)
    if text is None:
        raise ValueError(f"the {fmt.value} format needs the page text")
    if fmt is Format.GOLD:
        return json.dumps(to_gold(articles, text), ensure_ascii=False, indent=1) + "\n"
    from .review import review_page

    return review_page(articles, text)


#: a file larger than this that shows no mark in its first line is not read whole to look for one
_MAX_CHECKED = 64 * 2**20


def written_by_segmenter(path: str | os.PathLike[str]) -> bool:
    """Whether the file at ``path`` is empty or carries the mark of a file segmenter wrote (module docstring)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size == 0:
            return True
        with open(path, "rb") as fh:
            head = fh.read(4096)
            fh.seek(0)
            first_bytes = fh.readline(_MAX_CHECKED)
    except OSError:
        return False
    if _HTML_MARK in head:
        return True
    first = first_bytes.decode("utf-8", "replace").strip()
    if _MARK_RE.match(first):
        return True
    try:
        if first.startswith("{") and first.endswith("}"):  # JSON Lines: the first record
            return _is_record(json.loads(first))
        if first not in ("{", "[", "[]") or size > _MAX_CHECKED:
            return False
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    if isinstance(data, list):  # --format json: an array of records
        return not data or _is_record(data[0])
    if isinstance(data, dict) and isinstance(data.get("draft"), dict) and "lines" in data and "articles" in data:
        return data["draft"].get("sha256") == _gold_digest(data)
    return False


def _is_record(item: Any) -> bool:
    return isinstance(item, dict) and _RECORD_KEYS <= item.keys()


def overwrite_problem(
    target: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str]] = ()
) -> str | None:
    """Why writing ``target`` could destroy a file the user did not ask to replace; ``None`` when it cannot.

    Refused: a target inside the installed package (the shipped model, the code), a target that is one
    of ``inputs`` (also through a link), and an existing file that segmenter did not write
    (:func:`written_by_segmenter`). The command line lets ``--overwrite`` pass all three.
    """
    target = Path(target)
    if is_inside_package(target):
        return f"{target}: inside the installed segmenter package ({PACKAGE_DIR})"
    if not target.exists():
        return None
    for source in inputs:
        if source != "-" and _same_file(target, source):
            return f"{target}: is the input {source}, which the output would replace"
    if target.is_dir():
        return f"{target}: is a directory"
    if not written_by_segmenter(target):
        return f"{target}: exists and was not written by segmenter"
    return None


def is_inside_package(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` (links resolved) is in the installed package's folder."""
    return Path(path).resolve().is_relative_to(PACKAGE_DIR)


def _same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def write_atomic(path: str | os.PathLike[str], content: str | Iterable[str]) -> None:
    """Write ``content`` (a string, or strings one after another) to ``path`` through a temporary file
    and a rename.

    An interrupted run leaves the old file or none, never a truncated one, and no temporary file.
    """
    path = Path(path)
    tmp: str | None = None
    try:
        # the temporary file's name is chosen before the file is made, so that Ctrl-C or SIGTERM arriving
        # as it is made (in any thread, at any bytecode) still finds it to remove; 0o666 less the umask, the
        # mode a plain open() gives
        for _ in range(_TEMP_TRIES):
            tmp = os.path.join(path.parent, f".{path.name}.{secrets.token_hex(4)}.tmp")
            try:
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
                break
            except FileExistsError:
                tmp = None  # someone else's: never removed
        else:
            raise FileExistsError(f"no free temporary file name beside {path} after {_TEMP_TRIES} tries")
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            if isinstance(content, str):
                fh.write(content)
            else:
                for piece in content:
                    fh.write(piece)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
        raise


#: random names tried for a temporary file before giving up (a clash is a one in four billion chance)
_TEMP_TRIES = 16
