"""The HTML report in a real browser: Playwright driving the system's Chromium, page opened from
file:// with the network unused.

Playwright's own browser download does not work everywhere, so the test uses the `chromium`
found on PATH (Debian's package; .ci/run installs it) and is skipped, saying why, without it.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ViewportSize, expect, sync_playwright
from report_sample import HOSTILE_TITLE, sample_result

import checker
from checker.report.html import write_html

CHROMIUM = shutil.which("chromium")
if CHROMIUM is None and os.environ.get("CI"):
    pytest.fail("no `chromium` on PATH in CI: .ci/run should have installed it", pytrace=False)
if CHROMIUM is None:
    pytest.skip(
        "no `chromium` on PATH: install it (apt-get install chromium) to run the browser tests",
        allow_module_level=True,
    )

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def sample_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = write_html(sample_result(), tmp_path_factory.mktemp("report") / "report.html")
    return path.as_uri()


class Page:
    """A page that records script errors and every request that is not for a local file."""

    def __init__(self, browser: Browser, viewport: ViewportSize = DESKTOP):
        self.context = browser.new_context(viewport=viewport, accept_downloads=True)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on(
            "console",
            lambda message: self.errors.append(message.text) if message.type == "error" else None,
        )
        self.page.on(
            "request",
            lambda request: (
                None
                if request.url.startswith(("file:", "blob:", "data:"))
                else self.requests.append(request.url)
            ),
        )

    def visible(self, selector: str) -> int:
        return self.page.locator(f"{selector}:visible").count()

    def close(self) -> None:
        assert self.errors == [], "script errors or blocked resources"
        assert self.requests == [], "the page asked the network for something"
        self.context.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    opened = Page(browser)
    yield opened
    opened.close()


def test_shows_every_finding_and_filters(page: Page, sample_url: str) -> None:
    page.page.goto(sample_url)
    assert page.page.locator("#shown-count").inner_text() == "3"
    assert page.visible("article.finding") == 3
    assert page.page.title() == "numcheck report — 3 findings"

    page.page.select_option("#f-severity", "error")
    assert page.page.locator("#shown-count").inner_text() == "1"
    assert page.visible("article.finding") == 1
    assert page.page.locator("article.finding:visible h3").inner_text() == "russia · reserves"

    page.page.select_option("#f-severity", "")
    page.page.check("#f-hide-info")
    assert page.visible("article.finding") == 2
    page.page.fill("#f-search", "中国稀土纯度")  # the title of a source, in Chinese
    assert page.visible("article.finding") == 1
    page.page.fill("#f-search", "no finding says this")
    assert page.visible("article.finding") == 0
    expect(page.page.locator("#no-match")).to_be_visible()

    page.page.click("#f-reset")
    page.page.wait_for_function("document.querySelector('#shown-count').textContent === '3'")
    page.page.select_option("#f-entity", "us")
    assert page.visible("article.finding") == 1
    page.page.click("#f-reset")
    page.page.click("button[data-filter-code='NC106']")
    assert page.page.locator("article.finding:visible").get_attribute("data-code") == "NC106"


def test_sort_by_gap(page: Page, sample_url: str) -> None:
    page.page.goto(sample_url)
    page.page.select_option("#f-sort", "gap")
    order = page.page.locator("article.finding").evaluate_all("nodes => nodes.map(n => n.id)")
    assert order[0] == "finding-NC102-russia-reserves"  # ×10 apart beats 99.999 vs 99.99


def test_deep_link_opens_a_finding_even_when_filtered_out(page: Page, sample_url: str) -> None:
    page.page.goto(sample_url)
    page.page.select_option("#f-severity", "error")
    page.page.goto(sample_url + "#finding-NC106-refining-share")
    target = page.page.locator("#finding-NC106-refining-share")
    expect(target).to_be_visible()
    assert page.page.locator("#f-severity").input_value() == ""  # the filter gave way
    box, viewport = target.bounding_box(), page.page.viewport_size
    assert box is not None and viewport is not None and 0 <= box["y"] < viewport["height"]
    assert page.page.evaluate("document.activeElement.id") == "finding-NC106-refining-share"


def test_deep_link_to_a_figure_opens_the_documents_view(page: Page, sample_url: str) -> None:
    page.page.goto(sample_url)
    page.page.click("article#finding-NC102-russia-reserves .side >> nth=2 >> .source a >> nth=1")
    expect(page.page.locator("#documents")).to_be_visible()
    expect(page.page.locator("#findings")).to_be_hidden()
    assert page.page.locator(".tabs a[aria-current='page']").inner_text().startswith("Documents")
    mark = page.page.locator("#documents mark:has-text('380,000 tons')")
    expect(mark).to_be_visible()
    assert "russia|reserves" in (mark.get_attribute("title") or "")
    mark.click()  # a figure in a finding links back to it
    expect(page.page.locator("#finding-NC102-russia-reserves")).to_be_visible()


def test_facts_table_sorts_filters_and_downloads_what_is_shown(page: Page, sample_url: str) -> None:
    page.page.goto(sample_url + "#facts")
    rows = page.page.locator("#facts-table tbody tr")
    assert rows.count() == 9
    assert page.page.locator("#facts-table tbody").inner_text().count(HOSTILE_TITLE) == 2

    page.page.click("#facts-table th button:text-is('Value')")
    page.page.click("#facts-table th button:text-is('Value')")  # descending
    assert rows.first.locator("td").first.inner_text() == "28.5 million tons"
    assert page.page.locator("#facts-table th[aria-sort='descending']").inner_text() == "Value"

    page.page.fill("#facts-search", "99.99")
    assert rows.count() == 3 and page.page.locator("#facts-count").inner_text() == "3"
    page.page.select_option("#facts-dimension", "percent")
    with page.page.expect_download() as download_info:
        page.page.click("#facts-download")
    download = download_info.value
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    assert len(table) == 3
    assert {row["surface"] for row in table} == {"99.999%", "99.99%"}
    assert "中国稀土纯度达到99.999%" in {row["title"] for row in table}


def test_phone_width_does_not_scroll_sideways(browser: Browser, sample_url: str) -> None:
    phone = Page(browser, PHONE)
    phone.page.goto(sample_url)
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    phone.close()


def test_screenshot(page: Page, sample_url: str, tmp_path: Path) -> None:
    page.page.goto(sample_url + "#finding-NC102-russia-reserves")
    shot = tmp_path / "report.png"
    page.page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 10_000  # a page, not a blank


def test_seeds_report_opens_offline(page: Page, tmp_path: Path) -> None:
    result = checker.run([SEEDS])
    url = write_html(result, tmp_path / "report.html").as_uri()
    page.page.goto(url)
    assert page.page.locator("#shown-count, #findings p.empty").count() >= 1
    assert page.visible("article.finding") == len(result.findings)
    page.page.goto(url + "#facts")
    assert page.page.locator("#facts-table tbody tr").count() == len(result.claims)
    page.page.screenshot(path=str(tmp_path / "seeds.png"))
