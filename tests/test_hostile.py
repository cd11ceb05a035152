"""Hostile input (issue "Hostile input and faults"): patterns that cannot backtrack badly, an input bound,
models that never run code, names and text that never stop a batch.

Timing tests compare a size with a larger one (the law, not a speed target) with a generous factor.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest

from segmenter import patterns as P
from segmenter import split_page

# --------------------------------------------------------------------------------------------------
# regular expressions


def _best_time(run: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


#: strings that make a badly written pattern backtrack: runs of spaces after a fixed word, runs of
#: digits, runs of one repeated opener
_ADVERSARIAL: dict[str, Callable[[int], str]] = {
    "摄 + spaces + x": lambda n: "摄" + " " * n + "x",
    "供图 + spaces + x": lambda n: "供图" + " " * n + "x",
    "下转第1版 + spaces + x": lambda n: "下转第1版" + " " * n + "x",
    "dateline + spaces + x": lambda n: "新华社北京1月25日电" + " " * n + "x",
    "本报 + spaces + x": lambda n: "本报" + " " * n + "x",
    "公告 + spaces + x": lambda n: "公告" + " " * n + "x",
    "a + spaces + b": lambda n: "a" + " " * n + "b",
    "digits": lambda n: "1" * n,
    "digits + space pairs": lambda n: "1 " * (n // 2),
    "bold marks": lambda n: "**a" + "** " * (n // 3),
    "brackets": lambda n: "(" * n,
    "第 + space pairs": lambda n: "第 " * (n // 2),
}
_PATTERNS = {name: value for name, value in vars(P).items() if isinstance(value, re.Pattern)}


@pytest.mark.parametrize("pattern", sorted(_PATTERNS))
def test_no_pattern_backtracks_badly(pattern: str) -> None:
    # before the fix: CREDIT on 摄 + 1,000 spaces + x took 2 ms and on 8,000 spaces 130 ms (quadratic)
    regex = _PATTERNS[pattern]
    for name, make in _ADVERSARIAL.items():
        small, big = make(1000), make(8000)
        t_small = _best_time(lambda: (regex.search(small), regex.match(small)))
        t_big = _best_time(lambda: (regex.search(big), regex.match(big)))
        assert t_big <= 20 * t_small + 0.002, f"{pattern} on {name}: {t_small * 1e3:.2f} ms → {t_big * 1e3:.2f} ms"


def test_lines_of_a_credit_word_and_spaces_cost_linear_time() -> None:
    # the case: lines of 摄 + 2,000 spaces + x took 16.7 ms each in the credit pattern
    def page(n: int) -> str:
        return "\n".join("摄" + " " * (n - i) + "x" for i in range(40))

    split_page(page(50))  # warm: model loaded
    t_small = _best_time(lambda: split_page(page(450)), repeat=2)
    t_big = _best_time(lambda: split_page(page(1800)), repeat=2)
    assert t_big <= 6 * t_small, f"{t_small:.3f} s → {t_big:.3f} s for 4× the spaces"


def test_the_fixed_patterns_still_find_what_they_found() -> None:
    assert P.is_credit("（新华社记者 王强 摄）") and P.is_credit("本报记者 刘洋摄  ") and P.is_credit("张三供图)")
    assert not P.is_credit("摄" + " " * 50 + "x")
    assert P.CONTINUED_TO.search("（下转第３版）".translate({0xFF08: "(", 0xFF09: ")", 0xFF13: "3"}))
    assert P.CONTINUED_TO.search("下转第3版 ) ") and not P.CONTINUED_TO.search("下转第3版 x")
    assert P.is_dateline_only("（新华社北京１月２５日电）") and P.DATELINE_ONLY.match("新华社北京1月25日电 (记者 王) )")
    assert P.FURNITURE.search("1998年1月9日") and P.FURNITURE.search("12 月 3 日") and P.FURNITURE.search("x12月3日")
    assert P.is_byline("本报记者 王明") and P.is_byline("新华社 “新华视点”记者") and P.is_byline("□ 本报  记者")
