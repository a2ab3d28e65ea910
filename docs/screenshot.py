"""Take the README's screenshots of the HTML report: the seeds report, opened in Chromium.

    .venv/bin/python docs/screenshot.py --quantity "Russia · reserves"   # docs/screenshot.png
    .venv/bin/python docs/screenshot.py --fragment facts --click "#facts-columns summary" \
        --out docs/screenshot-facts.png
    .venv/bin/python docs/screenshot.py --out /tmp/shot.png --finding NC102-...

Needs the test extras (playwright) and a `chromium` on PATH (Debian: apt-get install chromium);
Chinese titles need a CJK font (apt-get install fonts-noto-cjk or fonts-wqy-microhei), or they
show as boxes. The report is the one `numcheck report` writes for the bundled seeds/ corpus.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import chromium  # noqa: E402  bench/chromium.py, as the browser tests start it


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=1100)
    parser.add_argument(
        "--finding", metavar="ID", help="scroll to this finding (default: the top of the page)"
    )
    parser.add_argument(
        "--quantity", metavar="WORDS", help="scroll to the first finding with this heading"
    )
    parser.add_argument("--fragment", metavar="ID", help="open the page at #ID (a view: facts)")
    parser.add_argument(
        "--click", metavar="SELECTOR", action="append", default=[], help="click it first"
    )
    args = parser.parse_args()

    executable = chromium.executable()
    if executable is None:
        print("screenshot: no `chromium` on PATH (apt-get install chromium)", file=sys.stderr)
        return 2

    from playwright.sync_api import sync_playwright

    import checker
    from checker.report.html import write_html

    result = checker.run([ROOT / "seeds"])
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        url = write_html(result, Path(folder) / "report.html").as_uri()
        if args.finding:
            url += f"#finding-{args.finding}"
        elif args.fragment:
            url += f"#{args.fragment}"
        browser = chromium.launch(playwright, executable)
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        page.goto(url)
        if args.quantity:
            heading = page.locator("article.finding h3", has_text=args.quantity).first
            page.goto(url + "#" + heading.evaluate("el => el.closest('article').id"))
        for selector in args.click:
            page.click(selector)
        page.screenshot(path=str(args.out))
        browser.close()
    print(f"wrote {args.out} ({len(result.findings)} findings in the report)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
