"""The segmenter as a spaCy pipeline component: ``nlp.add_pipe("newspaper_articles")``.

Registered through the ``spacy_factories`` entry point (setup.cfg), so an installed package needs no
import::

    import spacy

    nlp = spacy.blank("zh")                       # character tokens: offline, no pkuseg needed
    nlp.add_pipe("newspaper_articles")            # config: {"model": null (shipped) or a path, "words": true}
    doc = nlp(open("page.txt", encoding="utf-8").read())
    for span in doc.spans["articles"]:
        print(span.label_, span._.headline, span._.confidence)

What the component sets on a Doc whose text is one newspaper page:

* ``doc.spans["lines"]``: a span per input line an article took (the line without its surrounding
  whitespace), label = the line's label (``headline``, ``body`` ...); ``span._.line`` its 1-based
  number, ``span._.article`` the article's index, ``span._.confidence`` the label's probability.
* ``doc.spans["articles"]``: a span per article, label = its kind (``news``, ``photo``, ``notice``;
  ``other`` for the leftovers), from its first to its last line in the text (a moved column of another
  article can lie inside: the ``lines`` spans say exactly which lines are the article's);
  ``span._.headline``, ``byline``, ``dateline``, ``continued``, ``article`` (index) and ``confidence``
  (the mean of its lines').
* ``doc._.articles``: the records (:meth:`segmenter.records.Article.to_dict`), the JSON contract.

``nlp.to_disk`` copies the model's files into the pipeline folder and ``from_disk`` loads them from
there, so a saved pipeline is complete on its own.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from .api import Segmenter
from .lines import _BREAK

#: the component's name in ``nlp.add_pipe``
FACTORY = "newspaper_articles"

_SPAN_ATTRS = ("headline", "byline", "dateline", "continued", "article", "confidence", "line")
for _name in _SPAN_ATTRS:
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)
if not Doc.has_extension("articles"):
    Doc.set_extension("articles", default=None)

_CFG = "cfg.json"


@Language.factory(FACTORY, default_config={"model": None, "words": True})
def make_newspaper_articles(nlp: Language, name: str, model: str | None, words: bool) -> NewspaperArticles:
    """Build the component (spaCy calls this for ``nlp.add_pipe("newspaper_articles", config={...})``).

    Parameters
    ----------
    nlp : Language
        The pipeline.
    name : str
        The component's name in it.
    model : str or None
        A model file written by ``segmenter train``; ``None`` for the shipped model.
    words : bool
        As :class:`segmenter.Segmenter`'s ``words``.
    """
    return NewspaperArticles(nlp, name, model=model, words=words)


class NewspaperArticles:
    """Split the Doc's text, one newspaper page, into article and line spans (see the module docstring)."""

    def __init__(self, nlp: Language, name: str = FACTORY, *, model: str | None = None, words: bool = True) -> None:
        self.name = name
        self.model = model
        self.words = words
        self._segmenter = Segmenter(model, words=words)

    def __call__(self, doc: Doc) -> Doc:
        """Set ``doc.spans["articles"]``, ``doc.spans["lines"]`` and ``doc._.articles``."""
        articles = self._segmenter.split(doc.text)
        bounds = _line_bounds(doc.text)
        line_spans: list[Span] = []
        article_spans: list[Span] = []
        for k, article in enumerate(articles):
            spans: list[Span] = []
            for ref in article.lines:
                if ref.n not in bounds or any(s._.line == ref.n for s in spans):
                    continue  # a second piece of an over-long line: the line has one span
                start, end = bounds[ref.n]
                span = doc.char_span(start, end, label=ref.label, alignment_mode="expand")
                if span is None:
                    continue
                span._.line, span._.article, span._.confidence = ref.n, k, ref.confidence
                spans.append(span)
            line_spans += spans
            if not spans:
                continue
            whole = doc[min(s.start for s in spans) : max(s.end for s in spans)]
            whole = Span(doc, whole.start, whole.end, label=article.kind)
            whole._.headline, whole._.byline, whole._.dateline = article.headline, article.byline, article.dateline
            whole._.continued, whole._.article = article.continued, k
            whole._.confidence = sum(ref.confidence for ref in article.lines) / len(article.lines)
            article_spans.append(whole)
        doc.spans["lines"] = line_spans
        doc.spans["articles"] = article_spans
        doc._.articles = [a.to_dict() for a in articles]
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        """Process Docs one page at a time (the model is loaded once)."""
        for doc in stream:
            yield self(doc)

    # -- serialisation: the model's files travel with the pipeline

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write the model's files and the component's settings into the folder ``path``."""
        from .model import model_files

        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        source = self._segmenter.loaded.path
        for file in model_files(source):
            if file.is_file():
                shutil.copy2(file, path / file.name)
        cfg = {"model_file": source.name, "words": self.words}
        (path / _CFG).write_text(json.dumps(cfg), encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> NewspaperArticles:
        """Load the model written by :meth:`to_disk` into this component."""
        path = Path(path)
        cfg: dict[str, Any] = json.loads((path / _CFG).read_text(encoding="utf-8"))
        self.words = bool(cfg.get("words", True))
        self._segmenter = Segmenter(path / cfg["model_file"], words=self.words).load()
        return self


def _line_bounds(text: str) -> dict[int, tuple[int, int]]:
    """For each line number, the character range of the line without its surrounding whitespace."""
    bounds: dict[int, tuple[int, int]] = {}
    pos, n = 0, 1
    for match in [*_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        raw = text[pos:end]
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            bounds[n] = (pos + lead, pos + lead + len(stripped))
        if match is None:
            break
        pos, n = match.end(), n + 1
    return bounds


__all__ = ["FACTORY", "NewspaperArticles", "make_newspaper_articles"]
