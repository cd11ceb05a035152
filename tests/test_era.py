"""The page-era model (segmenter.era): statistics of a page's text, a logistic regression, plain arrays."""

from __future__ import annotations

import numpy as np
import pytest

from segmenter.era import STATISTICS, EraModel, page_statistics

OLD_PAGE = [
    "中共中央举行春节团拜会",
    "新华社北京１月２６日电　中共中央、国务院今天在人民大会堂举行一九九八年春节团拜会。",
    "本报讯　记者从有关部门获悉，１９９７年全国粮食总产量再创新高，达到一万亿斤。",
    "（李新）",
]
NEW_PAGE = [
    "# 习近平给“硬骨头六连”全体官兵回信",
    "## 勉励他们把“硬骨头精神”发扬光大 把连队建设得更加坚强",
    "本报记者 李 刚",
    "2020年1月19日，中央军委举行慰问驻京部队老干部迎新春文艺演出，2019年的成绩令人鼓舞。",
    "——记全国优秀共产党员",
    "新华社记者 王建民摄",
]


def test_page_statistics_have_one_value_per_statistic_and_read_the_years_named() -> None:
    old, new = page_statistics(OLD_PAGE), page_statistics(NEW_PAGE)
    assert old.shape == new.shape == (len(STATISTICS),)
    col = {name: k for k, name in enumerate(STATISTICS)}
    assert old[col["years_old"]] > 0 and old[col["years_new"]] == 0 and old[col["full_digits"]] == 1.0
    assert new[col["years_new"]] > 0 and new[col["years_old"]] == 0 and new[col["marked"]] == pytest.approx(2 / 6)
    assert page_statistics([]).shape == (len(STATISTICS),)


def _pages(n: int, seed: int) -> tuple[list[list[str]], list[bool]]:
    rng = np.random.default_rng(seed)
    pages, modern = [], []
    for _ in range(n):
        is_new = bool(rng.random() < 0.5)
        source = NEW_PAGE if is_new else OLD_PAGE
        pages.append([source[k] for k in rng.permutation(len(source))[: int(rng.integers(2, len(source) + 1))]])
        modern.append(is_new)
    return pages, modern


def test_fitted_on_both_eras_it_tells_them_apart_and_survives_save_and_load(tmp_path) -> None:
    pages, modern = _pages(60, 0)
    model = EraModel().fit(pages, modern)
    assert model.probability(NEW_PAGE) > 0.9 and model.probability(OLD_PAGE) < 0.1
    model.save(tmp_path / "e.npz")
    again = EraModel.load(tmp_path / "e.npz")
    assert again.probability(NEW_PAGE) == pytest.approx(model.probability(NEW_PAGE))


def test_one_era_alone_is_refused() -> None:
    with pytest.raises(ValueError, match="both eras"):
        EraModel().fit([OLD_PAGE, OLD_PAGE], [False, False])


def test_an_unfitted_era_model_says_so() -> None:
    with pytest.raises(ValueError, match="not fitted"):
        EraModel().probability(NEW_PAGE)


@pytest.mark.parametrize(
    "change, message",
    [({"names": np.array(["x"] * len(STATISTICS))}, "are not these"), ({"scale": np.zeros(len(STATISTICS))}, "positive")],
    ids=["other statistics", "zero scale"],
)
def test_arrays_that_are_no_era_model_are_refused(tmp_path, change: dict, message: str) -> None:
    k = len(STATISTICS)
    arrays = {"mean": np.zeros(k), "scale": np.ones(k), "coef": np.zeros(k), "intercept": np.array(0.0),
              "names": np.asarray(STATISTICS), **change}
    np.savez(tmp_path / "e.npz", **arrays)
    with pytest.raises(ValueError, match=message):
        EraModel.load(tmp_path / "e.npz")


def test_crossed_features_copy_the_lines_own_and_context_features_per_era_and_leave_the_neighbours() -> None:
    from segmenter.features import crossed, era_step

    f = {"bias": 1.0, "md": "2", "space": True, "loglen": 0.5, "mid": False, "p1:md=2": 1.0, "x:md|levels": "2|1"}
    g = crossed(f, 0.5)
    assert {k: v for k, v in g.items() if k in f} == f  # the shared features as they were
    assert g["m|md=2"] == g["o|md=2"] == 0.5 and g["m|space"] == 0.5 and g["o|loglen"] == 0.25
    assert g["m|x:md|levels=2|1"] == 0.5 and g["m|bias"] == 0.5
    assert not any(k.endswith("p1:md=2") and k != "p1:md=2" for k in g) and "m|mid" not in g
    modern = crossed(f, 1.0)
    assert modern["m|md=2"] == 1.0 and not any(k.startswith("o|") for k in modern)
    assert [era_step(p) for p in (0.0, 0.2, 0.3, 0.5, 0.74, 0.76, 1.0)] == [0.0, 0.0, 0.5, 0.5, 0.5, 1.0, 1.0]


def test_a_page_read_with_an_era_gives_every_sample_the_crossed_features() -> None:
    from segmenter.features import PageView, featurize
    from segmenter.lines import split_lines

    lines = split_lines("# 标题\n\n一段正文，说了一件事情。\n")
    plain = featurize(PageView(lines).contexts())
    modern = featurize(PageView(lines, era=1.0).contexts())
    assert all(set(p) < set(m) for p, m in zip(plain, modern))
    assert all(any(k.startswith("m|") for k in m) and not any(k.startswith("o|") for k in m) for m in modern)
    folded = PageView(lines, era=0.5).folded([[0], [1]])
    assert folded.era == 0.5


def test_a_model_that_reads_pages_in_their_era_scores_alike_from_its_arrays(tmp_path) -> None:
    # the saved model folds each era's copies into one table per era step; the Pipeline reads the crossed
    # feature dicts: the two must agree on pages of both eras
    from segmenter.classify import LinearModel, predict_lines
    from segmenter.lines import split_lines
    from segmenter.train import DEFAULT_CORPUS, DEFAULT_MODERN_CORPUS, fit, rendered_pages

    if not (DEFAULT_CORPUS.is_file() and DEFAULT_MODERN_CORPUS.is_file()):
        pytest.skip("needs ../shared/corpora")
    old = rendered_pages(DEFAULT_CORPUS, split="train", seed=1, copies=1, limit=6)
    new = rendered_pages(DEFAULT_MODERN_CORPUS, split="train", seed=1, copies=1, limit=6)
    pipeline = fit(old + new, C=1.0, era=True)
    assert pipeline.era_model_ is not None
    assert any(name.startswith("m|") for name in pipeline.steps[1][1].vocabulary_)
    LinearModel.from_pipeline(pipeline).save(tmp_path / "m.npz")
    arrays = LinearModel.load(tmp_path / "m.npz")
    assert arrays.era_model_ is not None
    eras = set()
    for text, _ in old[:2] + new[:2]:
        lines = split_lines(text)
        eras.add(round(arrays.era_model_.probability([line.text for line in lines])))
        labels, _, proba = predict_lines(arrays, lines)
        want_labels, _, want = predict_lines(pipeline, lines)
        assert labels == want_labels
        np.testing.assert_allclose(proba, want, rtol=0, atol=1e-9)
    assert eras == {0, 1}


def test_a_model_file_with_part_of_the_era_arrays_is_refused(tmp_path) -> None:
    from segmenter.model import read_npz

    spec = {"a": (1, "f")}
    np.savez(tmp_path / "m.npz", a=np.zeros(2), era_coef=np.zeros(3))
    with pytest.raises(ValueError, match="holds arrays"):
        read_npz(tmp_path / "m.npz", spec, optional={"era_coef": (1, "f"), "era_mean": (1, "f")})
    np.savez(tmp_path / "m.npz", a=np.zeros(2), era_coef=np.zeros(3), era_mean=np.zeros(3))
    assert sorted(read_npz(tmp_path / "m.npz", spec, optional={"era_coef": (1, "f"), "era_mean": (1, "f")})) == [
        "a", "era_coef", "era_mean"]
