"""The word lexicon: the stitcher's break question without the pkuseg model (segmenter.lexicon)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from segmenter.api import Segmenter, break_words, word_crosses, word_mode
from segmenter.errors import ModelError
from segmenter.lexicon import Lexicon, build_lexicon, tokens_cross
from segmenter.model import DEFAULT_MODEL, add_lexicon, card_path, lexicon_path, read_card, read_model, sha256_file

WORDS = {"中医药": 5, "中医": 20, "药": 30, "中餐": 4, "、": 100, "发展": 40, "发": 3, "展": 3, "新华社": 50}


def _lexicon() -> Lexicon:
    return Lexicon(list(WORDS), list(WORDS.values()))


def test_a_word_across_the_break_is_found() -> None:
    lex = _lexicon()
    assert lex.segment("发展中医药、中餐") == ["发展", "中医药", "、", "中餐"]
    assert lex.crosses("发展中医", "药、中餐")
    assert not lex.crosses("发展中医药", "、中餐")  # the break falls between words
    assert not lex.crosses("中", "餐")  # a two-character word across a break does not count
    assert not lex.crosses("", "药") and not lex.crosses("中医", "")


@pytest.mark.parametrize("text", ["", "x", "未知的字符串", "中医药中医药", "a b"])
def test_segmentation_covers_the_text(text: str) -> None:
    assert "".join(_lexicon().segment(text)) == text


def test_a_run_of_letters_and_digits_is_one_word() -> None:
    lex = _lexicon()
    assert lex.segment("发展BEPS中医") == ["发展", "BEPS", "中医"]
    assert lex.segment("0.6万") == ["0.6", "万"]
    assert lex.crosses("实施BE", "PS行动")


def test_tokens_cross_needs_three_characters_over_the_break() -> None:
    assert tokens_cross(["发展", "中医药"], 4)
    assert not tokens_cross(["发展", "中医药"], 2)
    assert not tokens_cross(["发", "展中"], 2)


def test_save_and_load_without_pickles(tmp_path: Path) -> None:
    lex = _lexicon()
    lex.save(tmp_path / "w.npz")
    with np.load(tmp_path / "w.npz", allow_pickle=False) as data:
        assert data["words"].dtype == np.uint8
    back = Lexicon.load(tmp_path / "w.npz")
    assert back.words == sorted(WORDS) and len(back) == len(WORDS)
    assert back.segment("发展中医药") == lex.segment("发展中医药")


def test_a_pickled_copy_answers_alike() -> None:
    import pickle

    lex = _lexicon()
    lex.crosses("中医", "药")  # the table is built
    copy = pickle.loads(pickle.dumps(lex))
    assert copy.words == lex.words and copy.crosses("发展中医", "药、中餐")


def test_a_foreign_npz_is_not_a_lexicon(tmp_path: Path) -> None:
    np.savez(tmp_path / "x.npz", words=np.zeros(3))
    with pytest.raises(ValueError, match="not a segmenter lexicon"):
        Lexicon.load(tmp_path / "x.npz")


def test_build_keeps_frequent_words_single_characters_and_halfwidth_forms() -> None:
    texts = ["中医药 中医药", "１２月 罕见词"]
    lex = build_lexicon(texts, lambda t: t.split(), min_count=2)
    assert "中医药" in lex and "罕见词" not in lex
    assert "１２月" not in lex  # seen once
    lex = build_lexicon(texts, lambda t: t.split(), min_count=1)
    assert "１２月" in lex and "12月" in lex


def _model_copy(tmp_path: Path) -> Path:
    for part in DEFAULT_MODEL.parent.glob(DEFAULT_MODEL.stem + ".*"):
        if not part.name.endswith(".words.npz"):
            shutil.copy(part, tmp_path / part.name)
    path = tmp_path / DEFAULT_MODEL.name
    card = read_card(path)
    card["lexicon"] = None
    card_path(path).write_text(json.dumps(card), encoding="utf-8")
    return path


def test_add_lexicon_lists_it_on_the_card_and_leaves_the_rest(tmp_path: Path) -> None:
    path = _model_copy(tmp_path)
    before = read_card(path)
    files = {p.name: sha256_file(p) for p in tmp_path.iterdir()}
    add_lexicon(path, _lexicon(), min_count=1)
    card = read_card(path)
    assert card["lexicon"]["file"] == lexicon_path(path).name == "default.words.npz"
    assert card["lexicon"]["sha256"] == sha256_file(lexicon_path(path)) and card["lexicon"]["words"] == len(WORDS)
    assert {k: v for k, v in card.items() if k != "lexicon"} == {k: v for k, v in before.items() if k != "lexicon"}
    assert {p.name: sha256_file(p) for p in tmp_path.iterdir() if p.suffix != ".json" and p.name in files} == {
        k: v for k, v in files.items() if not k.endswith(".json")
    }
    assert read_model(path).lexicon is not None and len(read_model(path).lexicon) == len(WORDS)


def test_a_changed_lexicon_file_is_a_model_error(tmp_path: Path) -> None:
    path = _model_copy(tmp_path)
    add_lexicon(path, _lexicon())
    Lexicon(["别的"], [1]).save(lexicon_path(path))
    (tmp_path / "default.joblib").touch()  # a new mtime: not the cached model
    with pytest.raises(ModelError, match="checksum"):
        read_model(path)


def test_word_modes() -> None:
    lex = _lexicon()
    assert word_mode(True) == "lexicon" and word_mode(False) == "none" and word_mode("pkuseg") == "pkuseg"
    assert break_words(True, lex) == lex.crosses
    assert break_words("pkuseg", lex) is word_crosses
    assert break_words("lexicon", None) is word_crosses  # a model without a lexicon asks pkuseg, as before
    assert break_words("none", lex) is None
    with pytest.raises(ValueError, match="words must be"):
        Segmenter(words="maybe")


CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "pd1998" / "pages.jsonl.gz"


@pytest.mark.skipif(read_model().lexicon is None or not CORPUS.is_file(), reason="no shipped lexicon or no corpus")
def test_split_answers_from_the_lexicon_without_importing_pkuseg() -> None:
    # training pages with broken paragraphs and moved columns: the stitcher asks about some breaks
    code = f"""
import sys
from segmenter import api
from segmenter.corpus import read_corpus
from segmenter.render import columns_moved, paragraphs_broken, render_corpus
seen = []
seg = api.load_model()
lexicon = seg.loaded.lexicon
ask = lexicon.crosses
lexicon.crosses = lambda a, b: seen.append((a, b)) or ask(a, b)
for k, (text, gold) in enumerate(render_corpus(read_corpus({str(CORPUS)!r}, split="train")[:6], seed=5, copies=1)):
    broken, gold2 = paragraphs_broken(text, gold, 0.3, k)
    for _, moved, _ in columns_moved(broken, gold2, k)[:1]:
        seg.split(moved)
print(len(seen), "spacy_pkuseg" in sys.modules, "spacy" in sys.modules, "pkuseg" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert int(out[0]) > 0
    assert out[1:] == ["False", "False", "False"]


def test_split_words_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from segmenter.cli import main

    page = tmp_path / "p.txt"
    page.write_text("# 标题\n\n正文。\n", encoding="utf-8")
    for mode in ("lexicon", "none"):
        assert main(["split", str(page), "--words", mode]) == 0
        assert '"headline": "标题"' in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        main(["split", str(page), "--words", "maybe"])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["split", str(page), "--words", "none", "--no-words"])
    assert exit_info.value.code == 2


@pytest.mark.skipif(not CORPUS.is_file(), reason="needs ../shared/corpora")
def test_train_writes_a_lexicon_of_the_training_pages_and_no_lexicon_removes_it(tmp_path: Path) -> None:
    from segmenter.cli import main

    out = tmp_path / "m.joblib"
    common = ["train", "--corpus", str(CORPUS), "--limit", "2", "--copies", "1", "--no-eval", "--no-breaks", "--no-heads"]
    common += ["--pages", str(tmp_path / "none"), "--out", str(out)]
    assert main(common) == 0
    card = read_card(out)
    assert card["lexicon"]["file"] == "m.words.npz" and card["lexicon"]["sha256"] == sha256_file(lexicon_path(out))
    lexicon = read_model(out).lexicon
    assert 1000 < len(lexicon) == card["lexicon"]["words"]
    assert main([*common, "--no-lexicon"]) == 0
    assert not lexicon_path(out).exists() and read_card(out)["lexicon"] is None


@pytest.mark.skipif(not CORPUS.is_file(), reason="needs ../shared/corpora")
def test_the_card_scores_a_model_as_split_runs_it_with_its_own_lexicon(tmp_path: Path) -> None:
    # regression: train scored the reserved pages with the stitcher's word test off (it passed the classifier's
    # word-feature flag), while split asks the model's own lexicon: the card's figures were not split's
    from segmenter.api import load_model
    from segmenter.cli import main
    from segmenter.evaluate import evaluate_pages
    from segmenter.train import rendered_pages

    out = tmp_path / "m.joblib"
    args = ["train", "--corpus", str(CORPUS), "--limit", "3", "--copies", "1", "--no-heads", "--no-context"]
    assert main([*args, "--pages", str(tmp_path / "none"), "--out", str(out)]) == 0
    card = read_card(out)
    assert read_model(out).lexicon is not None
    reserved = rendered_pages(CORPUS, split="eval", seed=int(card["params"]["seed"]) + 1, copies=1)
    scores = evaluate_pages(reserved, segmenter=load_model(out)).as_row()
    on_card = card["scores"]["reserved_pd1998_rendered"]
    assert on_card == pytest.approx(scores)
