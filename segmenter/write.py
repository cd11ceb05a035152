"""Writing records: JSON Lines (the contract), JSON, Markdown and plain text, files written atomically."""

from __future__ import annotations

import functools
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from enum import Enum
from pathlib import Path

from .records import Article


class Format(str, Enum):
    """Output formats of ``segmenter split``."""

    JSONL = "jsonl"
    JSON = "json"
    MARKDOWN = "markdown"
    TEXT = "text"

    @property
    def suffix(self) -> str:
        """File name ending for ``--out-dir``."""
        return {"jsonl": ".jsonl", "json": ".json", "markdown": ".md", "text": ".txt"}[self.value]


def to_jsonl(articles: Iterable[Article]) -> str:
    """One JSON record per line (UTF-8 text, not ASCII escapes)."""
    return "".join(json.dumps(a.to_dict(), ensure_ascii=False) + "\n" for a in articles)


def to_json(articles: Iterable[Article]) -> str:
    """A JSON array of records, indented for reading."""
    return json.dumps([a.to_dict() for a in articles], ensure_ascii=False, indent=2) + "\n"


def to_markdown(articles: Iterable[Article]) -> str:
    """Articles as Markdown, for people reading the result."""
    out: list[str] = []
    for a in articles:
        if a.kind == "other":
            out.append("---\n\n*Page furniture (no article):*\n")
            out.extend(f"> {b.text}\n" for b in a.blocks)
            out.append("")
            continue
        out.append(f"## {a.headline}" if a.headline else f"## ({a.kind}, no headline)")
        for sub in a.subheadlines:
            out.append(f"*{sub}*")
        meta = [x for x in (a.byline, a.dateline) if x]
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
    return "\n".join(out).rstrip("\n") + "\n" if out else ""


def to_text(articles: Iterable[Article]) -> str:
    """Articles as plain text: headline, then paragraphs, articles separated by a blank line and a rule."""
    parts = []
    for a in articles:
        head = [a.headline] if a.headline else []
        head += a.subheadlines
        head += [x for x in (a.byline, a.dateline) if x]
        parts.append("\n".join(head + [a.text]).strip("\n"))
    return ("\n\n" + "=" * 20 + "\n\n").join(parts) + ("\n" if parts else "")


def render(articles: Sequence[Article], fmt: Format | str) -> str:
    """Records of one page in the given format."""
    fmt = Format(fmt)
    if fmt is Format.JSONL:
        return to_jsonl(articles)
    if fmt is Format.JSON:
        return to_json(articles)
    if fmt is Format.MARKDOWN:
        return to_markdown(articles)
    return to_text(articles)


def write_atomic(path: str | os.PathLike[str], content: str) -> None:
    """Write ``content`` to ``path`` through a temporary file and a rename.

    An interrupted run leaves the old file or none, never a truncated one.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            # mkstemp creates the file 0600; give it the mode a plain open() would (0666 less the umask)
            os.chmod(tmp, 0o666 & ~_umask())
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


@functools.cache
def _umask() -> int:
    """The process umask, read once (reading it means setting it, so set it straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
