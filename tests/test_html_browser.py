"""The HTML report in a real browser: Playwright driving the system's Chromium, page opened from
file:// with the network unused.

Playwright's own browser download does not work everywhere, so the test uses the `chromium`
found on PATH (Debian's package; .ci/run installs it) and is skipped, saying why, without it.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, ViewportSize, expect, sync_playwright
from report_sample import HOSTILE_TITLE, sample_result
from test_html_page import write_small_corpus

import checker
from checker.report.html import write_html

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import chromium  # noqa: E402  bench/chromium.py, as bench/page.py starts it

CHROMIUM = chromium.executable()
if CHROMIUM is None and os.environ.get("CI"):
    pytest.fail("no `chromium` on PATH in CI: .ci/run should have installed it", pytrace=False)
if CHROMIUM is None:
    pytest.skip(
        "no `chromium` on PATH: install it (apt-get install chromium) to run the browser tests",
        allow_module_level=True,
    )

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = chromium.launch(playwright, CHROMIUM)
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
    assert page.page.locator("article.finding:visible h3").inner_text() == "Russia · reserves"

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
    rows = page.page.locator("#facts-table tbody tr")
    assert rows.count() == 100  # a page of rows at a time keeps filtering fast
    expect(page.page.locator("#facts-more")).to_have_text(f"Show {len(result.claims) - 100} more"
                                                          f" of {len(result.claims) - 100} rows")
    page.page.click("#facts-more")
    assert rows.count() == len(result.claims)
    expect(page.page.locator("#facts-more-wrap")).to_be_hidden()
    page.page.screenshot(path=str(tmp_path / "seeds.png"))


# --- the page items an analyst reads: each checked in the browser ---


@pytest.fixture(scope="module")
def small_result(tmp_path_factory: pytest.TempPathFactory) -> checker.Result:
    return checker.run([write_small_corpus(tmp_path_factory.mktemp("small"))])


@pytest.fixture(scope="module")
def small_url(small_result: checker.Result, tmp_path_factory: pytest.TempPathFactory) -> str:
    path = write_html(small_result, tmp_path_factory.mktemp("report") / "report.html")
    os.utime(path, (WRITTEN, WRITTEN))
    return path.as_uri()


@pytest.fixture(scope="module")
def seeds_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = write_html(checker.run([SEEDS]), tmp_path_factory.mktemp("seeds") / "report.html")
    return path.as_uri()


WRITTEN = 1_767_225_600 + 9 * 3600 + 30 * 60  # 2026-01-01 09:30 UTC


def reserves(page: Page) -> Locator:
    return page.page.locator("article.finding[data-code='NC101']")


def test_labels_in_headings_filter_and_facts_with_ids_in_tooltips(
    page: Page, small_url: str
) -> None:
    page.page.goto(small_url)
    expect(reserves(page).locator("h3")).to_have_text("Russia · reserves")
    expect(reserves(page).locator("h3")).to_have_attribute("title", "russia|reserves||mass")
    assert page.page.locator("#f-entity option").all_inner_texts() == ["all", "Russia"]
    page.page.select_option("#f-entity", label="Russia")
    assert page.visible("article.finding") == 2
    page.page.goto(small_url + "#facts")
    cell = page.page.locator("#facts-table tbody tr", has_text="28.5 million tons").locator("td")
    headers = page.page.locator("#facts-table th:visible").all_inner_texts()
    entity = cell.nth(headers.index("Entity"))
    expect(entity).to_have_text("Russia")
    expect(entity).to_have_attribute("title", "russia")


def test_the_consensus_is_marked(page: Page, small_url: str) -> None:
    page.page.goto(small_url)
    consensus = reserves(page).locator(".side.consensus")
    expect(consensus).to_have_count(1)
    expect(consensus.locator(".consensus-badge")).to_be_visible()
    expect(consensus.locator(".outlets")).to_have_text("Outlets: Reuters, 新华社")
    expect(reserves(page).locator("g.bar.consensus text")).to_have_text(re.compile(r"^A .*✓$"))
    ring = consensus.evaluate("el => getComputedStyle(el).boxShadow")
    assert ring != "none"  # set apart from the other sides


def test_a_revision_is_one_figures_history_with_the_later_value_marked(
    page: Page, small_url: str
) -> None:
    page.page.goto(small_url)
    sides = reserves(page).locator(".side")
    expect(sides).to_have_count(2)
    history = sides.nth(1).locator(".revision")
    expect(history).to_contain_text("2.85 million tons → 380,000 tons")
    expect(history).to_contain_text("downgraded by U.S. Geological Survey")
    expect(history.locator(".later-badge")).to_be_visible()
    assert history.locator("s").evaluate("el => getComputedStyle(el).textDecorationLine") == (
        "line-through"
    )


def test_a_side_expands_in_place_to_all_its_figures(browser: Browser, tmp_path: Path) -> None:
    opened = Page(browser)
    url = write_html(crowded(), tmp_path / "report.html", max_claims_per_side=2).as_uri()
    opened.page.goto(url)
    side = opened.page.locator("#finding-NC101-crowded .side").first
    expect(side.locator(".claim:visible")).to_have_count(2)
    more = side.locator("details.more")
    expect(more.locator("summary")).to_have_text("Show 10 more figures on this side")
    more.locator("summary").click()
    expect(side.locator(".claim:visible")).to_have_count(12)
    added = more.locator(".claim").first
    expect(added.locator("mark")).to_have_text("28.5 million tons")
    expect(added.locator(".source code")).to_have_text(re.compile(r"copy\d+\.txt:\d+"))
    assert opened.page.url == url  # in place: no navigation
    more.locator("summary").click()
    expect(side.locator(".claim:visible")).to_have_count(2)
    opened.close()


def crowded() -> checker.Result:
    """The sample with a finding whose first side holds 12 figures, each in its own words."""
    from dataclasses import replace

    result = sample_result()
    original = next(c for c in result.claims if c.surface == "28.5 million tons")
    slipped = next(c for c in result.claims if c.surface == "2.85 million tons")
    crowd = [
        replace(original, claim_id=f"copy#{n}:0-17", doc_id=f"copy#{n}",
                path=f"/corpus/en/copy{n}.txt", sentence=f"Copy {n}: 28.5 million tons.")
        for n in range(12)
    ]
    finding = checker.Finding(
        finding_id="NC101-crowded", code="NC101", severity="error", kind="conflict",
        key="russia|reserves", claim_ids=(*(c.claim_id for c in crowd), slipped.claim_id),
        message="many against one", explanation="",
        sides=(tuple(c.claim_id for c in crowd), (slipped.claim_id,)),
    )
    return replace(result, claims=result.claims + tuple(crowd), findings=(finding,))


def test_number_lines_have_several_readable_ticks(page: Page, seeds_url: str) -> None:
    page.page.goto(seeds_url)
    lines = page.page.locator("figure.numberline svg")
    assert lines.count() >= 5
    for index in range(lines.count()):
        boxes = lines.nth(index).locator("text.tick").evaluate_all(
            "nodes => nodes.map(n => { const b = n.getBoundingClientRect();"
            " return [b.left, b.right, n.textContent]; })"
        )
        assert len(boxes) >= 3, boxes
        svg = lines.nth(index).bounding_box()
        assert svg is not None
        for (_, right, _), (left, _, _) in zip(boxes, boxes[1:], strict=False):
            assert right <= left, f"tick labels overlap: {boxes}"
        assert boxes[0][0] >= svg["x"] - 1 and boxes[-1][1] <= svg["x"] + svg["width"] + 1


def test_the_fact_table_fits_and_a_column_chooser_hides_columns(page: Page, seeds_url: str) -> None:
    page.page.goto(seeds_url + "#facts")
    width = "[document.querySelector('#facts-table').scrollWidth,"
    width += " document.querySelector('.table-wrap').clientWidth]"
    table, box = page.page.evaluate(width)
    assert table <= box, "the table is wider than its box"
    sentence = page.page.locator("#facts-table tbody tr").first.locator("td").last
    assert sentence.evaluate("el => el.scrollWidth <= el.clientWidth")  # wrapped, not cut off
    headers = page.page.locator("#facts-table th:visible")
    shown = headers.count()
    page.page.click("#facts-columns summary")
    page.page.uncheck("#facts-columns label:has-text('Sentence') input")
    expect(headers).to_have_count(shown - 1)
    assert page.page.locator("#facts-table tbody tr").first.locator("td").count() == shown - 1
    page.page.check("#facts-columns label:has-text('Key') input")
    expect(page.page.locator("#facts-table th:visible", has_text="Key")).to_have_count(1)
    page.page.select_option("#facts-dimension", "percent")
    with page.page.expect_download() as download_info:
        page.page.click("#facts-download")
    text = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and {"sentence", "entity", "key"} <= set(rows[0])  # every column, as data
    assert all(row["unit"] == "percent" for row in rows)


def chinese_fonts() -> list[str]:
    """The font families fontconfig has for Chinese text, as Chromium finds them."""
    try:
        listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True,
                                text=True, check=False).stdout
    except FileNotFoundError:
        return []
    return listed.split()


def test_chinese_is_marked_and_set_in_a_cjk_font(page: Page, seeds_url: str) -> None:
    page.page.goto(seeds_url)
    unmarked = page.page.evaluate(
        """() => {
          const found = [];
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const text = node.textContent;
            const hanzi = (text.match(/[\\u3400-\\u9fff]/g) || []).length;
            const words = (text.match(/[A-Za-z]+/g) || []).length;
            if (hanzi >= 2 && hanzi > words && node.parentElement.closest("[lang]").lang !== "zh") {
              found.push(text.slice(0, 30));
            }
          }
          return found;
        }"""
    )
    assert unmarked == []
    title = page.page.locator(".source [lang='zh']").first
    family = title.evaluate("el => getComputedStyle(el).fontFamily")
    assert family.startswith('"Noto Sans CJK SC"') and "WenQuanYi Zen Hei" in family
    if not chinese_fonts() and not os.environ.get("CI"):  # .ci/run installs one
        pytest.skip("no Chinese font installed (apt-get install fonts-wqy-zenhei)")
    session = page.context.new_cdp_session(page.page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    node = session.send("DOM.getDocument")["root"]["nodeId"]
    found = session.send("DOM.querySelector", {"nodeId": node, "selector": ".source [lang='zh']"})
    fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": found["nodeId"]})["fonts"]
    used = {font["familyName"] for font in fonts}
    assert used & {"WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Sans SC"}, used


def test_text_shows_no_gaps_before_punctuation(page: Page, small_url: str) -> None:
    page.page.goto(small_url + "#agreements")
    quote = page.page.locator("#agreements blockquote", has_text="refining capacity").first
    expect(quote).to_have_text(re.compile(r"refining capacity\.$"))
    page.page.goto(small_url + "#facts")
    sentences = page.page.locator("#facts-table tbody td.wrap").all_inner_texts()
    assert sentences and not [s for s in sentences if re.search(r"\s[.,;:。，]", s)]


def test_the_agreements_view_shows_what_was_checked_and_agrees(page: Page, small_url: str) -> None:
    page.page.goto(small_url)
    page.page.click(".tabs a[data-tab='agreements']")
    expect(page.page.locator("#agreements")).to_be_visible()
    expect(page.page.locator(".tabs a[aria-current='page']")).to_have_text("Agreements 1")
    card = page.page.locator("article.agreement")
    expect(card).to_have_count(1)
    expect(card.locator("h3")).to_have_text("China · refining and processing")
    expect(card.locator(".agreed")).to_contain_text("2 independent sources")
    expect(card.locator(".outlets")).to_have_text("Outlets: Bloomberg, Reuters")
    expect(card.locator(".claim")).to_have_count(2)


def test_the_run_section_says_what_was_read_with_what_and_when(page: Page, small_url: str) -> None:
    page.page.goto(small_url + "#run")
    run = page.page.locator("#run")
    expect(run).to_be_visible()
    expect(run).to_contain_text("Documents3")
    expect(run).to_contain_text("rules/, packs/rare_earths.toml")
    expect(run).to_contain_text(checker.__version__)
    written = page.page.evaluate("""(seconds) => {
        const t = new Date(seconds * 1000), two = (n) => String(n).padStart(2, "0");
        return t.getFullYear() + "-" + two(t.getMonth() + 1) + "-" + two(t.getDate()) + " "
          + two(t.getHours()) + ":" + two(t.getMinutes()); }""", WRITTEN)
    expect(page.page.locator("#run-written")).to_have_text(re.compile("^" + written))


def test_a_finding_charts_its_figures_by_publication_date(page: Page, small_url: str) -> None:
    page.page.goto(small_url)
    chart = reserves(page).locator("figure.chart[data-by='published']")
    expect(chart).to_be_visible()
    box = chart.locator("svg").bounding_box()
    assert box is not None and 250 <= box["width"] <= 430  # beside the next one, not huge
    assert chart.locator("g path.dots").count() == 2  # one series per side
    expect(chart.locator("circle.later")).to_have_count(1)


def test_a_finding_charts_its_figures_by_the_period_they_are_for(
    page: Page, seeds_url: str
) -> None:
    page.page.goto(seeds_url)
    chart = page.page.locator("figure.chart[data-by='period']").first
    expect(chart).to_be_visible()
    expect(chart.locator("figcaption")).to_have_text(re.compile("^By period"))
    ticks = chart.locator("text.tick:not(.y)").all_text_contents()
    assert len(ticks) >= 2 and all(re.fullmatch(r"\d{4}(-\d\d)?", tick) for tick in ticks)
    # A dot is a zero-length segment drawn by a round cap as wide as the stroke.
    dots = chart.locator("path.dots").evaluate_all(
        "nodes => nodes.map(n => [n.getAttribute('d').split('h0').length - 1,"
        " getComputedStyle(n).strokeLinecap, getComputedStyle(n).strokeWidth])"
    )
    assert sum(count for count, _, _ in dots) >= 2
    assert {(cap, width) for _, cap, width in dots} == {("round", "7px")}
