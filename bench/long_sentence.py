"""One sentence of many figures (a table flattened into a line): is the time linear in them?

For each pattern ("1 1 1 … tons", "1,234, 1,234, …", "1% 1% …", "1 to 2 to 3 …", "1万 1万 …") a
document of one sentence with N figures is read by `document_claims`, N = 1,000, 10,000 and
100,000, in this process, after a warm-up: extraction, as a sentence of more figures than the
`[tables]` limit of rules/extraction.toml is a flattened table, listed and not read as prose.
The median of `--runs` timings in CPU seconds of this process (on a machine shared with other
work, wall time measures the others too). Reported: seconds per N, and the ratio per 10x more
figures (goal: at most 12x, and at most 5 s for 100,000 figures).

    .venv/bin/python bench/long_sentence.py            # print the table
    .venv/bin/python bench/long_sentence.py --write    # and record it in bench/RESULTS.md
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sections import write_section  # noqa: E402

from checker.extraction import Extractor  # noqa: E402
from checker.models import Document  # noqa: E402
from checker.pipeline import document_claims  # noqa: E402
from checker.rulebook import Rulebook  # noqa: E402

SECTION = "long-sentence"
SIZES = (1_000, 10_000, 100_000)
PATTERNS = {
    "1 1 1 … tons": lambda n: "Output was " + " ".join(["1"] * n) + " tons.",
    "1,234, 1,234, …": lambda n: "Shipments were " + ", ".join(["1,234"] * n) + " tons.",
    "1% 1% …": lambda n: "Shares were " + " ".join(["1%"] * n) + ".",
    "1 to 2 to 3 …": lambda n: "It went " + " to ".join(str(i % 9 + 1) for i in range(n)) + ".",
    "1万 1万 …": lambda n: "产量为" + "，".join(["1万"] * n) + "吨。",
}
MAX_RATIO, MAX_SECONDS = 12.0, 5.0


def timed(text: str, extractor: Extractor, rulebook: Rulebook, runs: int) -> tuple[float, int]:
    """Median CPU seconds of `document_claims` over a one-sentence document, and its claims."""
    document = Document("long", "long.txt", text, 0, len(text), title="long")
    seconds, claims = [], 0
    for _ in range(runs):
        started = time.process_time()
        claims = sum(1 for _ in document_claims(document, extractor, rulebook))
        seconds.append(time.process_time() - started)
    return statistics.median(seconds), claims


def measure(runs: int, sizes: tuple[int, ...] = SIZES) -> list[dict[str, object]]:
    extractor, rulebook = Extractor(), Rulebook.load()
    for make in PATTERNS.values():  # warm-up: patterns compiled, the Chinese segmenter loaded
        timed(make(100), extractor, rulebook, 1)
    rows = []
    for name, make in PATTERNS.items():
        row: dict[str, object] = {"pattern": name}
        for size in sizes:
            row[size] = timed(make(size), extractor, rulebook, runs)
        rows.append(row)
    return rows


def table(rows: list[dict[str, object]], sizes: tuple[int, ...] = SIZES) -> str:
    head = " | ".join(f"{size:,} figures" for size in sizes)
    ratios = " | ".join(f"x{sizes[i + 1] // sizes[i]} ratio" for i in range(len(sizes) - 1))
    lines = [f"| pattern | {head} | {ratios} |",
             "|---|" + "---:|" * (2 * len(sizes) - 1)]
    for row in rows:
        times = [row[size][0] for size in sizes]  # type: ignore[index]
        cells = " | ".join(f"{t:.2f} s ({row[size][1]:,} claims)"  # type: ignore[index]
                           for t, size in zip(times, sizes, strict=True))
        steps = " | ".join(f"{times[i + 1] / times[i]:.1f}" for i in range(len(times) - 1))
        lines.append(f"| {row['pattern']} | {cells} | {steps} |")
    return "\n".join(lines)


def goals(rows: list[dict[str, object]], sizes: tuple[int, ...] = SIZES) -> list[str]:
    worst_ratio = max(row[sizes[i + 1]][0] / row[sizes[i]][0]  # type: ignore[index]
                      for row in rows for i in range(len(sizes) - 1))
    slowest = max(row[sizes[-1]][0] for row in rows)  # type: ignore[index]
    return [
        f"largest ratio per 10x figures: {worst_ratio:.1f} (goal <= {MAX_RATIO:g}): "
        f"{'met' if worst_ratio <= MAX_RATIO else 'not met'}",
        f"slowest {sizes[-1]:,}-figure sentence: {slowest:.1f} s (goal <= {MAX_SECONDS:g} s): "
        f"{'met' if slowest <= MAX_SECONDS else 'not met'}",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timings per size (median)")
    parser.add_argument("--write", action="store_true", help="record in bench/RESULTS.md")
    args = parser.parse_args(argv)
    rows = measure(args.runs)
    lines = [table(rows), "", *(f"- {line}" for line in goals(rows))]
    print("\n".join(lines))
    if args.write:
        body = "\n".join([
            "## One sentence of many figures (bench/long_sentence.py)", "",
            f"Date: {date.today().isoformat()}. Machine: {platform.machine()}, Python "
            f"{platform.python_version()} ({platform.system()}). `document_claims` (extraction; a "
            "sentence of more than `[tables] max_figures` figures is listed, not annotated) of a "
            f"one-sentence document, medians of {args.runs} runs in one process "
            "after a warm-up, in CPU seconds of the process. Reproduce: "
            "`.venv/bin/python bench/long_sentence.py --write`.", "",
            *lines,
        ])
        write_section(SECTION, body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
