"""The report page of a 1,000-article corpus in Chromium: its size, and how fast its filters answer.

Two corpora are generated with bench/corpus.py (`--articles 1000 --seed 7`): the generator's
export format (every article from one outlet, so nothing agrees independently), and the same
articles as JSON Lines without outlets, where copies alone decide independence and the
Agreements view fills up. Each is read by `checker.run`, written by
`checker.report.write_report`, and its `report.html` opened from disk in the system's Chromium
(Debian's `chromium` on PATH, driven by Playwright; Playwright's own browser download is not
used).

A filter's time is measured in the page: from setting the control and dispatching its event to
the frame after the page changed (`requestAnimationFrame`, then a task). Every value of FILTERS
(the findings view) and FACTS_FILTERS (the facts view) is set once to warm the engine up, then
`--passes` more times; medians and maxima are over the timed passes. Goals: the page at most
5 MB, a filter within 100 ms.

    .venv/bin/python bench/page.py            # print the section
    .venv/bin/python bench/page.py --write    # and record it in bench/RESULTS.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for _path in (str(ROOT), str(ROOT / "bench")):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import chromium  # noqa: E402
from corpus import load_templates, write_corpus  # noqa: E402
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402

import checker  # noqa: E402
from checker.report import write_report  # noqa: E402

SECTION = "page"
ARTICLES, SEED = 1000, 7
MAX_PAGE_BYTES = 5_000_000
MAX_FILTER_MS = 100.0
DESKTOP = {"width": 1280, "height": 900}

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

CORPORA = {
    "export": "export format (one outlet: nothing agrees independently)",
    "jsonl": "JSON Lines without outlets (copies alone decide independence)",
}


@dataclass(frozen=True)
class Measured:
    fmt: str
    documents: int
    findings: int
    agreements: int
    page_bytes: int
    findings_ms: tuple[float, ...]
    facts_ms: tuple[float, ...]


def generate(folder: Path, fmt: str, articles: int = ARTICLES, seed: int = SEED) -> Path:
    """The corpus as bench/corpus.py writes it; in JSON Lines, without outlets."""
    write_corpus(folder, articles, seed, fmt=fmt, templates=load_templates())
    if fmt == "jsonl":  # no outlets: independence by copies alone
        for path in folder.glob("*.jsonl"):
            records = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
            lines = [json.dumps({k: v for k, v in r.items() if k != "source"}, ensure_ascii=False)
                     for r in records]
            path.write_text("\n".join(lines) + "\n", "utf-8")
    return folder


def timings(page: Page, filters: list[tuple[str, list[str], str]], passes: int) -> list[float]:
    measured = []
    for selector, values, event in filters:
        for value in values:  # a pass untimed: it warms the engine up
            page.evaluate(MEASURE, [selector, value, event])
        for value in values * passes:
            measured.append(page.evaluate(MEASURE, [selector, value, event]))
    return measured


def measure(browser: Browser, fmt: str, articles: int, seed: int, passes: int,
            workdir: Path) -> Measured:
    print(f"  {fmt}: generating {articles:,} articles, running numcheck", file=sys.stderr,
          flush=True)
    corpus = generate(workdir / f"corpus-{fmt}", fmt, articles, seed)
    result = checker.run([corpus])
    write_report(result, workdir / f"report-{fmt}")
    page_file = workdir / f"report-{fmt}" / "report.html"

    print(f"  {fmt}: timing the filters in Chromium", file=sys.stderr, flush=True)
    context = browser.new_context(viewport=DESKTOP)  # type: ignore[arg-type]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(page_file.as_uri())
    findings = timings(page, FILTERS, passes)
    page.goto(page_file.as_uri() + "#facts")
    facts = timings(page, FACTS_FILTERS, passes)
    agreements = page.locator("article.agreement").count()
    context.close()
    if errors:
        raise SystemExit(f"script errors in the {fmt} page: {errors}")
    return Measured(fmt, len(result.documents), len(result.findings), agreements,
                    page_file.stat().st_size, tuple(findings), tuple(facts))


def _values(filters: list[tuple[str, list[str], str]]) -> str:
    return ", ".join(f"`{value}`" if value else "cleared" for value in filters[0][1])


def markdown(rows: list[Measured], articles: int, seed: int, passes: int, chromium: str,
             load: float, note: str) -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    machine = (f"{os.cpu_count()} CPUs, {memory:.0f} GB RAM, Python "
               f"{platform.python_version()} ({platform.machine()}, {platform.system()}), "
               f"Chromium {chromium} headless, load average {load:.1f} (1 min) when started"
               + (f", {note}" if note else ""))
    timed = f"each value set {1 + passes} times and the first pass dropped (a warm-up)"
    lines = [
        "## Report page (bench/page.py)",
        "",
        f"Date: {date.today().isoformat()}. Machine: {machine}.",
        "",
        f"A {articles:,}-article corpus from `bench/corpus.py --articles {articles} --seed "
        f"{seed}`, read by `checker.run` and written by `checker.report.write_report`; "
        "`report.html` opened from disk in Chromium. A filter's time is measured in the page: "
        "from setting the control and dispatching its event to the frame after the page changed "
        f"(`requestAnimationFrame`, then a task), {timed}. Findings filters: search "
        f"({_values(FILTERS)}), severity (each, then all), rule (`NC102`, `NC101`, all). Facts "
        f"filter: search ({_values(FACTS_FILTERS)}), the table drawn 100 rows at a time.",
        "",
        "| corpus | findings | agreements | page | findings filter, median / max | facts filter, "
        "median / max |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {CORPORA[row.fmt]} | {row.findings:,} | {row.agreements:,} | "
            f"{row.page_bytes:,} bytes | {statistics.median(row.findings_ms):.1f} / "
            f"{max(row.findings_ms):.1f} ms | {statistics.median(row.facts_ms):.1f} / "
            f"{max(row.facts_ms):.1f} ms |"
        )
    largest = max(row.page_bytes for row in rows)
    slowest = max(max(row.findings_ms + row.facts_ms) for row in rows)
    lines += [
        "",
        f"- Page at most {MAX_PAGE_BYTES / 1e6:g} MB (goal): "
        f"{'met' if largest <= MAX_PAGE_BYTES else 'missed'}, {largest / 1e6:.2f} MB at the "
        "most. What holds it there: a side shows 3 wordings and draws the rest from the facts "
        "data when opened; the facts data write each text once (rows are indexes); each rule's "
        "explanation is on the page once; the documents view holds the first 250,000 characters "
        "of articles.",
        f"- A filter answers within {MAX_FILTER_MS:g} ms (goal): "
        f"{'met' if slowest <= MAX_FILTER_MS else 'missed'}, {slowest:.0f} ms at the most.",
        "- Before these changes the same export-format page was 9.6 MB (every side's first 5 "
        "figures, rule texts per finding, facts rows holding their text).",
        "",
        "Reproduce: `.venv/bin/python bench/page.py --write` (prints both rows; "
        "`tests/test_html_scale.py` checks the size and that each filter filters, untimed).",
    ]
    return "\n".join(lines)


def goals_met(rows: list[Measured]) -> bool:
    return all(row.page_bytes <= MAX_PAGE_BYTES
               and max(row.findings_ms + row.facts_ms) <= MAX_FILTER_MS for row in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=ARTICLES, metavar="N")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--passes", type=int, default=1,
                        help="timed passes over the filter values after the warm-up (1)")
    parser.add_argument("--note", default="",
                        help="added to the machine line, e.g. 'shared with other work'")
    parser.add_argument("--write", action="store_true", help="record in bench/RESULTS.md")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]  # before this run adds its own
    executable = chromium.executable()
    if executable is None:
        parser.error("no `chromium` on PATH: install it (apt-get install chromium)")
    with sync_playwright() as playwright, \
            tempfile.TemporaryDirectory(prefix="numcheck-page-") as folder:
        browser = chromium.launch(playwright, executable)
        rows = [measure(browser, fmt, args.articles, args.seed, args.passes, Path(folder))
                for fmt in CORPORA]
        version = f"{browser.version.split('.')[0]} (`{executable}`)"
        browser.close()
    text = markdown(rows, args.articles, args.seed, args.passes, version, load, args.note)
    print(text)
    if args.write:
        from sections import write_section

        write_section(SECTION, text)
    return 0 if goals_met(rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
