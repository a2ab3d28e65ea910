"""The report page of a 1,000-article corpus (bench/corpus.py) in Chromium: at most 5 MB, every
article read, and each filter control filters (fewer shown for a value, all again when cleared).

Two corpora: the generator's export format (every article from one outlet, so nothing agrees
independently), and the same articles as JSON Lines without outlets, where copies alone decide
independence and the Agreements view fills up. How fast the filters answer is measured by
bench/page.py, not here (timings on a shared machine are noise); bench/RESULTS.md ("Report
page") records its numbers.
"""

from __future__ import annotations

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
sys.path.insert(0, str(ROOT / "bench"))

from page import ARTICLES, MAX_PAGE_BYTES, generate  # noqa: E402

# (control, a value that narrows what is shown, how it is set); "" clears it again.
FILTERS = [("#f-search", "china", "fill"), ("#f-severity", "error", "select"),
           ("#f-code", "NC102", "select")]
FACTS_FILTERS = [("#facts-search", "china", "fill")]


def assert_filters(page: Page, filters: list[tuple[str, str, str]], count: str, rows: str,
                   drawn: int | None = None) -> None:
    """Each control shows fewer (but some) for its value, and all of them once cleared: the
    count the page states, and the rows on screen (the facts table draws `drawn` at a time)."""
    total = int(page.page.locator(count).inner_text())
    for selector, value, how in filters:
        for setting in (value, ""):
            if how == "fill":
                page.page.fill(selector, setting)
            else:
                page.page.select_option(selector, setting)
            shown = int(page.page.locator(count).inner_text())
            assert (0 < shown < total) if setting else shown == total, (selector, setting)
            assert page.visible(rows) == min(shown, drawn or shown), (selector, setting)


@pytest.mark.parametrize("fmt", ["export", "jsonl"])
def test_a_1000_article_page_is_small_and_filters(
    fmt: str, browser: Browser, tmp_path: Path  # noqa: F811
) -> None:
    corpus = generate(tmp_path / "corpus", fmt)
    result = checker.run([corpus])
    assert len(result.documents) == ARTICLES
    write_report(result, tmp_path / "report")
    page_file = tmp_path / "report" / "report.html"
    assert page_file.stat().st_size <= MAX_PAGE_BYTES

    opened = Page(browser, DESKTOP)
    opened.page.goto(page_file.as_uri())
    assert int(opened.page.locator("#shown-count").inner_text()) == len(result.findings)
    assert_filters(opened, FILTERS, "#shown-count", "article.finding")
    opened.page.goto(page_file.as_uri() + "#facts")
    assert_filters(opened, FACTS_FILTERS, "#facts-count", "#facts-table tbody tr", drawn=100)
    agreements = opened.page.locator("article.agreement").count()
    opened.close()
    if fmt == "jsonl":
        assert agreements > 50
