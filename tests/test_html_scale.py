"""The report page of a 1,000-article corpus (bench/corpus.py) in Chromium: at most 5 MB, and
a filter answers within 100 ms, measured in the page from the input to the next frame.

Two corpora: the generator's export format (every article from one outlet, so nothing agrees
independently), and the same articles as JSON Lines without outlets, where copies alone decide
independence and the Agreements view fills up. bench/RESULTS.md ("Report page") records the
numbers; `pytest tests/test_html_scale.py -s` prints them.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from test_html_browser import (
    DESKTOP,
    Page,
    browser,  # noqa: F401 (the Chromium fixture)
)

import checker
from checker.report import write_report

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = 1000
MAX_PAGE_BYTES = 5_000_000
MAX_FILTER_MS = 100.0

# From setting a control to the frame after the page has changed, in milliseconds.
MEASURE = """async ([selector, value, event]) => {
  const control = document.querySelector(selector);
  const start = performance.now();
  control.value = value;
  control.dispatchEvent(new Event(event));
  document.body.getBoundingClientRect();
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done)));
  return performance.now() - start;
}"""

# (control, values to set one after another, event); "" clears it again.
FILTERS = [
    ("#f-search", ["c", "ch", "china", "china 9", "", "russia", ""], "input"),
    ("#f-severity", ["error", "warning", "info", ""], "change"),
    ("#f-code", ["NC102", "NC101", ""], "change"),
]
FACTS_FILTERS = [("#facts-search", ["c", "ch", "china", "", "tons", ""], "input")]


def generate(folder: Path, fmt: str) -> Path:
    command = [sys.executable, str(ROOT / "bench" / "corpus.py"), "--articles", str(ARTICLES),
               "--seed", "7", "--out", str(folder), "--format", fmt]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    if fmt == "jsonl":  # no outlets: independence by copies alone
        for path in folder.glob("*.jsonl"):
            records = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
            lines = [json.dumps({k: v for k, v in r.items() if k != "source"}, ensure_ascii=False)
                     for r in records]
            path.write_text("\n".join(lines) + "\n", "utf-8")
    return folder


def timings(page: Page, filters: list[tuple[str, list[str], str]]) -> list[float]:
    measured = []
    for selector, values, event in filters:
        for value in values * 2:  # twice: the first pass warms the engine up
            measured.append(page.page.evaluate(MEASURE, [selector, value, event]))
    return measured[len(measured) // 2 :]


@pytest.mark.parametrize("fmt", ["export", "jsonl"])
def test_a_1000_article_page_is_small_and_filters_fast(
    fmt: str, browser: Browser, tmp_path: Path  # noqa: F811
) -> None:
    corpus = generate(tmp_path / "corpus", fmt)
    result = checker.run([corpus])
    assert len(result.documents) == ARTICLES
    write_report(result, tmp_path / "report")
    page_file = tmp_path / "report" / "report.html"
    size = page_file.stat().st_size

    opened = Page(browser, DESKTOP)
    opened.page.goto(page_file.as_uri())
    findings = timings(opened, FILTERS)
    opened.page.goto(page_file.as_uri() + "#facts")
    facts = timings(opened, FACTS_FILTERS)
    agreements = opened.page.locator("article.agreement").count()
    opened.close()

    print(
        f"\n{fmt}: {len(result.findings)} findings, {agreements} agreements, page {size:,} bytes;"
        f" findings filter median {statistics.median(findings):.1f} ms,"
        f" max {max(findings):.1f} ms; facts filter median {statistics.median(facts):.1f} ms,"
        f" max {max(facts):.1f} ms"
    )
    assert size <= MAX_PAGE_BYTES
    assert max(findings) <= MAX_FILTER_MS, findings
    assert max(facts) <= MAX_FILTER_MS, facts
    if fmt == "jsonl":
        assert agreements > 50
