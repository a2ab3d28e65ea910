"""Peak memory of one large one-line file: is it a bounded multiple of the file's size?

A file of one line (no line breaks: a flattened export, a scraped page) of SIZE MB is made of the
bodies of `bench/corpus.py` articles joined by spaces, and `numcheck extract` and `numcheck
report --no-cache` read it in a fresh process each; the peak resident memory of that process
(`ru_maxrss`, from os.wait4) is reported, and how many times the file's size it grows beyond
the peak of the smallest file (which is mostly the libraries and word lists a run loads).

    .venv/bin/python bench/memory.py                  # 0.1, 1, 3 and 9.9 MB; print the table
    .venv/bin/python bench/memory.py --write          # and record it in bench/RESULTS.md
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate  # noqa: E402
from scale import counts, timed_run  # noqa: E402
from sections import write_section  # noqa: E402

SECTION = "memory"
SIZES_MB = (0.1, 1.0, 3.0, 9.9)
TIMEOUT = 1800.0


def one_line_file(path: Path, megabytes: float, seed: int = 7) -> None:
    """Article bodies, their whitespace collapsed, joined by spaces until `megabytes` (10^6
    bytes); cut at a character boundary."""
    limit = int(megabytes * 1_000_000)
    parts, size = [], 0
    for article in generate(10**6, seed):
        body = " ".join(article.body.split())
        parts.append(body)
        size += len(body.encode()) + 1
        if size > limit:
            break
    path.write_text(" ".join(parts).encode()[:limit].decode("utf-8", "ignore"), "utf-8")


def measure(sizes: tuple[float, ...]) -> list[dict[str, object]]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="numcheck-memory-") as temporary:
        folder = Path(temporary)
        for megabytes in sizes:
            corpus = folder / f"one-line-{megabytes:g}mb"
            corpus.mkdir()
            file = corpus / "one.txt"
            one_line_file(file, megabytes)
            size = file.stat().st_size
            row: dict[str, object] = {"size": size}
            for command in ("extract", "report"):
                out = folder / f"{command}-{megabytes:g}"
                argv = [sys.executable, "-m", "checker", command, str(file), "--no-cache",
                        "--out", str(out / "facts.csv" if command == "extract" else out),
                        "--quiet"]
                run = timed_run(argv, TIMEOUT, folder / f"{command}.log")
                if run.exit_code != 0:
                    raise SystemExit(f"{command} failed: {(folder / f'{command}.log').read_text()}")
                row[command] = run.main_peak_mb * 2**20
                if command == "report":
                    row["claims"], row["findings"] = counts(out / "report.json")
            rows.append(row)
    return rows


def table(rows: list[dict[str, object]]) -> str:
    lines = ["| file | claims | findings | extract: peak memory | report: peak memory |",
             "|---:|---:|---:|---:|---:|"]
    first = rows[0]
    for row in rows:
        size = float(row["size"])  # type: ignore[arg-type]
        cells = []
        for command in ("extract", "report"):
            peak, base = float(row[command]), float(first[command])  # type: ignore[arg-type]
            grown = "" if row is first else f" (+{(peak - base) / size:.0f}x the file)"
            cells.append(f"{peak / 1e6:,.0f} MB{grown}")
        lines.append(f"| {size / 1e6:.1f} MB | {row['claims']:,} | {row['findings']:,} | "
                     f"{cells[0]} | {cells[1]} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=list(SIZES_MB),
                        help="file sizes in MB")
    parser.add_argument("--write", action="store_true", help="record in bench/RESULTS.md")
    args = parser.parse_args(argv)
    rows = measure(tuple(args.sizes))
    print(table(rows))
    if args.write:
        write_section(SECTION, "\n".join([
            "## Memory of one large one-line file (bench/memory.py)", "",
            f"Date: {date.today().isoformat()}. Machine: {platform.machine()}, Python "
            f"{platform.python_version()} ({platform.system()}). A file of one line made of "
            "generated article bodies (`bench/corpus.py`, seed 7) joined by spaces; `numcheck "
            "extract` and `numcheck report --no-cache` each in a fresh process; peak resident "
            "memory of that process (`ru_maxrss`), and in brackets what it grows beyond the "
            "smallest file's peak, in multiples of the file's size. "
            "Reproduce: `.venv/bin/python bench/memory.py --write`.", "",
            table(rows),
        ]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
