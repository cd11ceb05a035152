"""The spaCy component: ``spacy.blank("zh").add_pipe("newspaper_articles")``."""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")

from segmenter import load_model  # noqa: E402
from segmenter.spacy_component import FACTORY  # noqa: E402  (registers the factory in this process)

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "data" / "pages").glob("*.txt"))


@pytest.fixture(scope="module")
def nlp():  # noqa: ANN201
    pipeline = spacy.blank("zh")  # the character segmenter: no pkuseg, nothing downloaded
    pipeline.add_pipe(FACTORY, config={"words": False})
    return pipeline


def test_spans_point_at_the_lines_of_each_record(nlp) -> None:  # noqa: ANN001
    text = PAGES[1].read_text(encoding="utf-8")
    doc = nlp(text)
    records = [a.to_dict() for a in load_model(words=False).split(text)]
    assert doc._.articles == records
    assert [s.label_ for s in doc.spans["articles"]] == [r["kind"] for r in records]
    assert [s._.headline for s in doc.spans["articles"]] == [r["headline"] for r in records]
    physical = text.split("\n")
    lines = list(doc.spans["lines"])
    assert len(lines) == sum(len({ref["n"] for ref in r["lines"]}) for r in records)
    for span in lines:
        record = records[span._.article]
        ref = next(ref for ref in record["lines"] if ref["n"] == span._.line)
        assert span.label_ == ref["label"] and span._.confidence == pytest.approx(ref["confidence"], abs=1e-4)
        assert span.text == physical[span._.line - 1].strip()
    for k, article in enumerate(doc.spans["articles"]):
        own = [s for s in lines if s._.article == k]
        assert article.start == min(s.start for s in own) and article.end == max(s.end for s in own)
        assert 0.0 < article._.confidence <= 1.0


def test_pipe_over_many_pages_gives_what_single_calls_give(nlp) -> None:  # noqa: ANN001
    texts = [p.read_text(encoding="utf-8") for p in PAGES] * 2 + ["", "   \n"]
    piped = list(nlp.pipe(texts, batch_size=3))
    assert [d._.articles for d in piped] == [nlp(t)._.articles for t in texts]
    assert len(piped[-1].spans["articles"]) == 0 and piped[-1]._.articles == []


def test_to_disk_carries_the_model_and_from_disk_reads_it(nlp, tmp_path: Path) -> None:  # noqa: ANN001
    nlp.to_disk(tmp_path / "pipeline")
    folder = tmp_path / "pipeline" / FACTORY
    card = json.loads((folder / "default.json").read_text(encoding="utf-8"))
    assert (folder / card["file"]).is_file() and (folder / card["arrays"]["file"]).is_file()
    loaded = spacy.load(tmp_path / "pipeline")
    component = loaded.get_pipe(FACTORY)
    assert component._segmenter.loaded.path == folder / "default.joblib"
    text = PAGES[0].read_text(encoding="utf-8")
    assert loaded(text)._.articles == nlp(text)._.articles


def test_a_missing_model_path_names_it(tmp_path: Path) -> None:
    from segmenter import ModelError

    broken = spacy.blank("zh")
    broken.add_pipe(FACTORY, config={"model": str(tmp_path / "nowhere.joblib"), "words": False})
    with pytest.raises(ModelError, match="nowhere.joblib"):
        broken("# 标题\n正文。")


def _has_entry_point() -> bool:
    return any(ep.name == FACTORY for ep in importlib.metadata.entry_points(group="spacy_factories"))


@pytest.mark.skipif(not _has_entry_point(), reason="installed without the spacy_factories entry point: pip install -e .")
def test_the_factory_is_found_through_the_entry_point_without_an_import() -> None:
    code = (
        "import spacy, sys; nlp = spacy.blank('zh'); nlp.add_pipe('newspaper_articles', config={'words': False});"
        "doc = nlp(open(sys.argv[1], encoding='utf-8').read()); print(len(doc.spans['articles']))"
    )
    done = subprocess.run([sys.executable, "-c", code, str(PAGES[0])], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == len(load_model(words=False).split(PAGES[0].read_text(encoding="utf-8")))
