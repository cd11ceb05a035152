"""The word model: pkuseg's shipped model through spaCy's Chinese tokenizer, loaded once."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from segmenter import words as words_mod
from segmenter.errors import ModelError
from segmenter.words import WordSegmenter, default_model_dir, get_word_segmenter, words

PAGES = Path(__file__).resolve().parent.parent / "data" / "pages"

# characters newspaper lines are made of, whitespace of every kind among them
ALPHABET = list("新华社北京记者报道的了是在经济发展中国１２３ａｂ12ab.%。，、“”（）—…·-/") + [
    " ",
    "\t",
    "\n",
    "\u3000",
    "\xa0",
    "\u2028",
    "\u200b",
]


@pytest.fixture(scope="module")
def seg() -> WordSegmenter:
    """The process-wide segmenter, loaded once for the whole module (the load takes seconds)."""
    return get_word_segmenter().load()


def test_construction_is_cheap_and_lazy(tmp_path: Path) -> None:
    lazy = WordSegmenter(tmp_path)
    assert lazy.model_dir == str(tmp_path)
    assert not lazy.is_loaded
    assert "loaded=False" in repr(lazy)


def test_default_model_dir_is_inside_the_pkuseg_package() -> None:
    model_dir = Path(default_model_dir())
    assert model_dir.parts[-3:] == ("pkuseg", "models", "default")
    assert (model_dir / "weights.npz").is_file()


def test_missing_model_dir_is_a_model_error(tmp_path: Path) -> None:
    broken = WordSegmenter(tmp_path / "nowhere")
    with pytest.raises(ModelError, match="not found.*pkuseg==0.0.25"):
        broken("新华社北京电")
    assert not broken.is_loaded


def test_incomplete_model_dir_names_what_is_missing(tmp_path: Path) -> None:
    (tmp_path / "features.pkl").write_bytes(b"")
    with pytest.raises(ModelError, match="lacks weights.npz"):
        WordSegmenter(tmp_path).load()


def test_corrupt_model_is_a_model_error(tmp_path: Path) -> None:
    (tmp_path / "features.pkl").write_bytes(b"not a pickle")
    (tmp_path / "weights.npz").write_bytes(b"not a zip")
    with pytest.raises(ModelError, match="cannot load"):
        WordSegmenter(tmp_path).load()


def test_missing_package_gives_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(words_mod.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ImportError, match=r"pkuseg is not installed.*--no-build-isolation"):
        default_model_dir()


def test_pickled_copy_arrives_unloaded(seg: WordSegmenter) -> None:
    copy = pickle.loads(pickle.dumps(seg))
    assert isinstance(copy, WordSegmenter)
    assert copy.model_dir == seg.model_dir
    assert not copy.is_loaded


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("新华社北京电", ["新华社", "北京", "电"]),
        ("推动社会工作高质量发展", ["推动", "社会", "工作", "高", "质量", "发展"]),
        ("记者  张三  报道", ["记者", "张三", "报道"]),
        ("", []),
        (" \u3000\t\n", []),
    ],
)
def test_known_segmentations(seg: WordSegmenter, text: str, expected: list[str]) -> None:
    assert seg(text) == expected


def test_a_page_line_splits_into_plausible_words(seg: WordSegmenter) -> None:
    line = "社会工作事关党长期执政和国家长治久安，事关社会和谐稳定和人民幸福安康。"
    got = seg(line)
    assert "".join(got) == line
    assert any(len(w) >= 2 for w in got)
    assert len(got) < len(line)  # not one character per word
    assert "长治久安" in got or ("长治" in got and "久安" in got)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(st.text(st.sampled_from(ALPHABET), max_size=40), st.text(max_size=20)))
def test_words_cover_the_text_without_whitespace(seg: WordSegmenter, text: str) -> None:
    got = seg(text)
    assert "".join(got) == "".join(text.split())
    assert all(w and not any(c.isspace() for c in w) for w in got)


def test_words_are_spacys_non_space_tokens(seg: WordSegmenter) -> None:
    # words.py calls the tokenizer's pkuseg directly to skip building a Doc; this is what it skips
    tokenizer = seg._cut.__self__  # the spacy_pkuseg.pkuseg the tokenizer holds
    from spacy.lang.zh import Chinese

    nlp = Chinese.from_config({"nlp": {"tokenizer": {"segmenter": "pkuseg"}}})
    nlp.tokenizer.pkuseg_seg = tokenizer  # share the loaded model rather than load a second one
    for text in ["新华社北京1月5日电 记者  张三  报道：", "ABC 公司 2025年 增长 3.5%", "\u3000全角ａｂｃ１２３\n"]:
        assert seg(text) == [t.text for t in nlp.tokenizer(text) if not t.is_space]


def test_process_wide_instance_is_reused_and_loaded_once(
    seg: WordSegmenter, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(model_dir: str | None) -> None:
        raise AssertionError("the model was loaded a second time")

    monkeypatch.setattr(words_mod, "_load_cut", fail)
    assert get_word_segmenter() is seg
    assert seg.load() is seg
    assert seg.is_loaded
    assert words("国家长治久安") == seg("国家长治久安")


def test_words_cache_hands_out_fresh_lists(seg: WordSegmenter) -> None:
    first = words("推动社会工作高质量发展")
    first.append("garbage")
    assert words("推动社会工作高质量发展") == seg("推动社会工作高质量发展")
    assert words_mod._cached_words.cache_info().hits >= 1


@pytest.mark.skipif(not PAGES.is_dir(), reason="no sample pages in data/pages")
def test_sample_page_lines_tokenise(seg: WordSegmenter) -> None:
    lines = [
        line.strip()
        for page in sorted(PAGES.glob("*.txt"))
        for line in page.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ][:200]
    assert lines
    for line in lines:
        assert "".join(seg(line)) == "".join(line.split())

