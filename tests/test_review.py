"""The review page (``segmenter review``, ``split --format html``) and the draft gold (``--format gold``).

The browser test drives Debian's ``chromium`` headless through the DevTools protocol over a pipe
(``--remote-debugging-pipe``: no websocket library, no download): it loads a review page from disk,
clicks an article in the list with a real mouse event, reads which lines are highlighted, and saves a
screenshot into the test's tmp folder. It skips only when chromium is not installed (``.ci/run``
installs it).
"""

from __future__ import annotations

import base64
import json
import os
import re
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from segmenter import load_model, split_page
from segmenter.cli import main
from segmenter.corpus import check_gold_text, read_gold
from segmenter.evaluate import score_pages
from segmenter.records import Article, Block, LineRef
from segmenter.review import LOW_CONFIDENCE, PageSummary, index_page, read_summary, review_page
from segmenter.write import to_gold, written_by_segmenter

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "data" / "pages").glob("*.txt"))
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def test_review_writes_a_page_per_input_and_an_index_sorted_by_uncertainty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "review"
    assert main(["review", *map(str, PAGES), "--out", str(out), "--no-words"]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted([p.stem + ".html" for p in PAGES] + ["index.html"])
    summaries = {p.stem: read_summary(out / (p.stem + ".html")) for p in PAGES}
    index = (out / "index.html").read_text(encoding="utf-8")
    linked = re.findall(r'<a href="([^"]+)\.html">', index)
    assert sorted(linked) == sorted(summaries)
    assert [summaries[name].uncertainty for name in linked] == sorted(  # type: ignore[union-attr]
        (s.uncertainty for s in summaries.values()), reverse=True  # type: ignore[union-attr]
    )
    # a second run replaces its own files
    assert main(["review", *map(str, PAGES), "--out", str(out), "--no-words"]) == 0
    assert all(written_by_segmenter(p) for p in out.iterdir())


def test_the_page_shows_every_line_as_printed_and_needs_no_network() -> None:
    text = PAGES[0].read_text(encoding="utf-8")
    articles = split_page(text, source=PAGES[0].name)
    page = review_page(articles, text)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page) and "@import" not in page
    shown = dict(re.findall(r'<li class="line[^"]*" id="L(\d+)".*?<span class="text">(.*?)(?: <span class="flag"|</span>)', page))
    import html

    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            assert html.unescape(shown[str(n)]) == line.strip()


def test_unsure_lines_and_repeats_are_flagged_and_the_index_ranks_pages() -> None:
    text = "# 标题\n正文第一段。\n正文第一段。\n第3版"
    articles = [
        Article("p.txt", 0, "news", "标题", blocks=[Block("body", "正文第一段。", [2])],
                lines=[LineRef(1, "headline", 0.95), LineRef(2, "body", 0.9), LineRef(3, "body", 0.4)]),
        Article("p.txt", 1, "other", None, blocks=[Block("other", "第3版", [4])], lines=[LineRef(4, "other", 0.8)]),
    ]  # fmt: skip
    page = review_page(articles, text)
    flagged = re.findall(r'id="L(\d+)"[^>]*>(?:(?!</li>).)*?⚠ ([^<]*)</span>', page)
    assert dict(flagged) == {"3": "repeat, text kept once, unsure label"}
    assert 'class="line low" id="L3"' in page and 'class="line other start" id="L4"' in page
    summary = PageSummary.of(articles)
    assert summary.unsure == 1 and summary.articles == 1 and summary.lines == 4
    calm = PageSummary("calm.txt", 10, 2, 0, 0.01)
    index = index_page([("calm.html", calm), ("p.html", summary)])
    assert index.index("p.html") < index.index("calm.html")
    assert LOW_CONFIDENCE > 0.4


# ------------------------------------------------------------------------------- the browser test


def _high_fd(fd: int) -> int:
    import fcntl

    high = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return high


class DevTools:
    """A minimal Chrome DevTools protocol client over chromium's ``--remote-debugging-pipe``."""

    def __init__(self, chromium: str, profile: Path) -> None:
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # above 9, so that the redirections to fds 3 and 4 cannot overwrite one of them (bash: dash reads one digit)
        to_browser_r, from_browser_w = (_high_fd(fd) for fd in (to_browser_r, from_browser_w))
        args = [
            "--headless", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-extensions", "--hide-scrollbars", "--window-size=1400,900", f"--user-data-dir={profile}",
        ]  # fmt: skip
        # the browser reads commands on fd 3 and writes replies on fd 4
        script = f'exec "$0" "$@" 3<&{to_browser_r} 4>&{from_browser_w}'
        self.proc = subprocess.Popen(
            ["bash", "-c", script, chromium, *args, "about:blank"],
            pass_fds=(to_browser_r, from_browser_w),
            stdout=subprocess.DEVNULL,
            stderr=open(profile.parent / "chromium.log", "wb"),  # noqa: SIM115 - closed with the process
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, session: str | None = None, timeout: float = 30.0, **params: Any) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read(timeout)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method: str, timeout: float = 30.0) -> dict[str, Any]:
        while True:
            for event in self.events:
                if event.get("method") == method:
                    self.events.remove(event)
                    return event
            self.events.append(self._read(timeout))

    def _read(self, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_browser], [], [], left)[0]:
                raise TimeoutError("chromium did not answer")
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=5)
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs Debian's chromium)")
def test_clicking_an_article_in_chromium_highlights_exactly_its_lines(tmp_path: Path) -> None:
    page = PAGES[1]
    out = tmp_path / "review"
    assert main(["review", str(page), "--out", str(out), "--no-words", "--quiet"]) == 0
    articles = split_page(page.read_text(encoding="utf-8"), source=page.name)
    k = 2  # the second article of the list
    expected = sorted({ref.n for ref in articles[k - 1].lines})
    assert 0 < len(expected) < sum(len(a.lines) for a in articles)

    browser = DevTools(CHROMIUM, tmp_path / "profile")  # type: ignore[arg-type]
    try:
        target = browser.send("Target.createTarget", url="about:blank")["targetId"]
        session = browser.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        browser.send("Page.enable", session)
        browser.send("Page.navigate", session, url=(out / f"{page.stem}.html").as_uri())
        browser.wait_event("Page.loadEventFired")

        def evaluate(expression: str) -> Any:
            result = browser.send("Runtime.evaluate", session, expression=expression, returnByValue=True)
            return result["result"].get("value")

        assert evaluate("document.querySelectorAll('.line.hl').length") == 0
        box = evaluate(
            f"(function(){{var r = document.querySelector('.article[data-article=\"{k}\"]')"
            ".getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2];})()"
        )
        for kind in ("mousePressed", "mouseReleased"):  # a real click at the item's centre
            browser.send("Input.dispatchMouseEvent", session, type=kind, x=box[0], y=box[1], button="left", clickCount=1)
        highlighted = evaluate("Array.from(document.querySelectorAll('.line.hl')).map(e => +e.dataset.n)")
        active = evaluate("Array.from(document.querySelectorAll('.article.active')).map(e => e.dataset.article)")
        shot = browser.send("Page.captureScreenshot", session, format="png")["data"]
    finally:
        browser.close()
    assert sorted(highlighted) == expected
    assert active == [str(k)]
    png = base64.b64decode(shot)
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
    (tmp_path / "review-clicked.png").write_bytes(png)


# ------------------------------------------------------------------------------------- draft gold


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_a_gold_draft_round_trips_through_the_gold_reader(
    page: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = page.read_text(encoding="utf-8")
    # a page the segmenter reads differently from its gold: the blank lines gone, lines renumbered
    squeezed = "\n".join(line for line in text.splitlines() if line.strip()) + "\n"
    source = tmp_path / f"{page.stem}.txt"
    source.write_text(squeezed, encoding="utf-8")
    assert main(["split", str(source), "--format", "gold", "--out-dir", str(tmp_path / "gold"), "--no-words"]) == 0
    draft_file = tmp_path / "gold" / f"{page.stem}.json"
    gold = read_gold(draft_file)  # validates the format
    check_gold_text(gold, squeezed, draft_file)
    records = [a.to_dict() for a in load_model(words=False).split(squeezed, source=source.name)]
    row = score_pages([(records, gold)]).as_row()
    assert row["article_f1"] == row["headline_accuracy"] == row["line_macro_f1"] == 1.0
    assert row["content_f1"] > 0.999
    by_n = {line["n"]: line for line in gold["lines"]}
    for article in gold["articles"]:
        record = next(r for r in records if {ref["n"] for ref in r["lines"]} == set(article["order"]))
        assert (record["headline"], record["kind"]) == (article["headline"], article["kind"])
        first_label: dict[int, str] = {}
        for ref in record["lines"]:  # an over-long line's pieces share n: the gold lists it once
            first_label.setdefault(ref["n"], ref["label"])
        assert list(first_label) == article["order"]
        assert all(by_n[n]["label"] == label for n, label in first_label.items())


def test_gold_flags_joins_and_repeats() -> None:
    text = "# 标题\n\n正文第一段，\n接着写完。\n正文第一段，"
    articles = [
        Article("p.txt", 0, "news", "标题", blocks=[Block("body", "正文第一段，接着写完。", [3, 4])],
                lines=[LineRef(1, "headline", 0.9), LineRef(3, "body", 0.9), LineRef(4, "body", 0.9),
                       LineRef(5, "body", 0.9)]),
    ]  # fmt: skip
    gold = to_gold(articles, text)
    flags = {line["n"]: (line["join"], line["dup"]) for line in gold["lines"]}
    assert flags == {1: (False, False), 3: (False, False), 4: (True, False), 5: (False, True)}
    assert gold["articles"] == [{"id": 1, "kind": "news", "headline": "标题", "continued": False, "order": [1, 3, 4, 5]}]
