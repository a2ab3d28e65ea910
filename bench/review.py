"""Review latency: a one-page draft against an indexed corpus of N generated articles.

The package's modules are compiled to bytecode once first, as `pip install` does (an editable
install under PYTHONDONTWRITEBYTECODE would compile them in every run). For each corpus size:

1. N articles are generated with bench/corpus.py (seeds recombined, figures perturbed) into a
   temporary folder, in the "search documents" export format of seeds/ (50 articles a file) or
   one article a file (`--layout txt`);
2. the draft is one more generated article (another seed), written as a Markdown page;
3. indexing: `numcheck report CORPUS --jobs 2 --cache-dir CACHE --out TMP --quiet` extracts
   every article in worker processes into the cache that review reads too (timed once: it is
   what "already indexed" pays for, the whole report included; `--index-jobs` sets the workers);
4. the review: `numcheck review DRAFT --against CORPUS --cache-dir CACHE`, `--runs` times, as a
   separate process each time, as an editor or CI runs it (wall time: interpreter start,
   imports, reading the draft, checking every corpus file against the index, the comparison,
   the output); medians. Each run is timed with `--format json` (every corpus figure a finding
   cites is listed) and with the default text output, one after the other. The part of it that
   is Python starting and importing numcheck is timed apart;
5. after one corpus file is edited, the next review re-reads that file only (timed once).

    .venv/bin/python bench/review.py                           # 10,000 articles, print
    .venv/bin/python bench/review.py --write                   # and record in bench/RESULTS.md
    .venv/bin/python bench/review.py --articles 10000 100000 --layout export txt
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for _path in (str(ROOT), str(ROOT / "bench")):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from corpus import generate, load_templates, write_corpus  # noqa: E402
from scale import compile_package, report_command  # noqa: E402

SECTION = "review"
GOAL_SECONDS = 2.0
IMPORTS = ("from checker.extraction import Extractor; Extractor().mentions('5 tons'); "
           "import checker.review, checker.report.lint, checker.cli")


@dataclass(frozen=True)
class Measured:
    articles: int
    files: int
    megabytes: float
    layout: str
    index_jobs: int
    index_seconds: float
    review_seconds: tuple[float, ...]  # --format json
    text_seconds: tuple[float, ...]  # the default text output
    startup_seconds: tuple[float, ...]
    edited_seconds: float
    compared: int
    findings: int
    exit_code: int
    cache_megabytes: float

    @property
    def median(self) -> float:
        return statistics.median(self.review_seconds)

    @property
    def text_median(self) -> float:
        return statistics.median(self.text_seconds)


def _numcheck(*args: str) -> list[str]:
    return [sys.executable, "-m", "checker", "review", "--no-config", "--quiet", *args]


def _timed(command: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    elapsed = time.perf_counter() - started
    if completed.returncode not in (0, 1):
        raise SystemExit(f"numcheck failed ({completed.returncode}): {completed.stderr}")
    return elapsed, completed


def _draft(folder: Path, seed: int) -> Path:
    """One generated article as a Markdown page: a heading and its bullets as paragraphs."""
    (article,) = generate(1, seed)
    paragraphs = [part.strip() for part in article.body.replace(" - ", "\n\n").split("\n\n")]
    draft = folder / "draft.md"
    text = f"# {article.title}\n\n" + "\n\n".join(p for p in paragraphs if p) + "\n"
    draft.write_text(text, "utf-8")
    return draft


def measure(n: int, seed: int, runs: int, layout: str, index_jobs: int,
            workdir: Path) -> Measured:
    corpus, cache = workdir / f"corpus-{n}-{layout}", workdir / f"cache-{n}-{layout}"
    print(f"  generating {n:,} articles ({layout})", file=sys.stderr, flush=True)
    written = write_corpus(corpus, n, seed, fmt=layout, templates=load_templates())
    draft = _draft(workdir, seed + 1)
    text_command = _numcheck(str(draft), "--against", str(corpus), "--cache-dir", str(cache))
    command = [*text_command, "--format", "json"]
    print(f"  indexing (numcheck report --jobs {index_jobs})", file=sys.stderr, flush=True)
    index = report_command(corpus, workdir / f"report-{n}-{layout}",
                           ["--jobs", str(index_jobs), "--cache-dir", str(cache)])
    index_seconds, _ = _timed(index)
    print(f"  indexed in {index_seconds:.1f} s; reviewing", file=sys.stderr, flush=True)
    review_seconds, text_seconds, startup_seconds = [], [], []
    completed = None
    for _ in range(runs):
        elapsed, completed = _timed(command)
        review_seconds.append(elapsed)
        text_seconds.append(_timed(text_command)[0])
        startup_seconds.append(_timed([sys.executable, "-c", IMPORTS])[0])
    assert completed is not None
    document = json.loads(completed.stdout)
    edited = written[len(written) // 2]
    edited.write_text(edited.read_text("utf-8") + "\n", "utf-8")
    edited_seconds, _ = _timed(command)
    return Measured(
        articles=n,
        files=len(written),
        megabytes=sum(path.stat().st_size for path in written) / 1e6,
        layout=layout,
        index_jobs=index_jobs,
        index_seconds=index_seconds,
        review_seconds=tuple(review_seconds),
        text_seconds=tuple(text_seconds),
        startup_seconds=tuple(startup_seconds),
        edited_seconds=edited_seconds,
        compared=document["summary"]["compared"],
        findings=len(document["findings"]),
        exit_code=completed.returncode,
        cache_megabytes=sum(p.stat().st_size for p in cache.glob("index-*")) / 1e6,
    )


def markdown(sizes: list[Measured], runs: int, seed: int, argv: list[str]) -> str:
    machine = f"{os.cpu_count()} CPUs (nproc), Python {platform.python_version()} " \
              f"({platform.machine()}, {platform.system()})"
    command = " ".join(["python bench/review.py", *argv]).strip()
    lines = [
        "## Review latency (bench/review.py)",
        "",
        f"Date: {date.today().isoformat()}. Machine: {machine}.",
        "",
        f"A one-page Markdown draft (one more generated article, seed {seed + 1}) reviewed with "
        "`numcheck review DRAFT --against CORPUS --cache-dir CACHE`, with `--format json` and "
        "with the default text output, against "
        f"corpora generated by bench/corpus.py (seed {seed}), each review a new process; "
        f"medians of {runs} run{'' if runs == 1 else 's'} after the corpus was indexed. "
        "Indexing is `numcheck report CORPUS --jobs J --cache-dir CACHE --out OUT --quiet` "
        "(J below), timed once: it extracts every article into the cache review reads, and "
        "writes the report. The package's modules are compiled to bytecode first, as "
        "`pip install` does. "
        f"Reproduce: `.venv/bin/{command}`.",
        "",
        "| articles | files | MB | indexing (report, --jobs) | review, json (median) | review, "
        "text (median) | of which Python start and imports | after editing one file (json) | "
        "figures compared | findings | index MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size in sizes:
        lines.append(
            f"| {size.articles:,} | {size.files:,} ({size.layout}) | {size.megabytes:.1f} | "
            f"{size.index_seconds:.1f} s ({size.index_jobs}) | **{size.median:.2f} s** | "
            f"**{size.text_median:.2f} s** | "
            f"{statistics.median(size.startup_seconds):.2f} s | {size.edited_seconds:.2f} s | "
            f"{size.compared:,} | {size.findings} | {size.cache_megabytes:.0f} |"
        )
    lines.append("")
    for size in sizes:
        verdict = "met" if max(size.median, size.text_median) <= GOAL_SECONDS else "missed"
        lines.append(f"- {size.articles:,} articles ({size.layout}): review {size.median:.2f} s "
                     f"with json, {size.text_median:.2f} s with text (goal ≤ {GOAL_SECONDS:g} s): "
                     f"{verdict}; runs, json: "
                     + ", ".join(f"{s:.2f}" for s in size.review_seconds) + " s; text: "
                     + ", ".join(f"{s:.2f}" for s in size.text_seconds) + " s.")
    lines += [
        "",
        "Where a review's time goes: the interpreter and imports (pint's unit registry, the "
        "extraction patterns) are the column above; the rest is reading the draft, a `stat` of "
        "every corpus file against the index (a file whose size, time and inode are unchanged is "
        "not read), the SQLite look-up of the claims with the draft's keys, the copies among "
        "their articles (found by the index when it stored them), the comparison of those "
        "claims only, and the output (with json, every corpus figure a finding cites). Indexing "
        "reads and extracts every article once; an edited file is read again on the next "
        "review, alone, and compared with the articles sharing a MinHash band with it.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[10_000], metavar="N")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--layout", choices=("export", "txt"), nargs="+", default=["export"],
                        help="export: 50 articles a file (default); txt: one a file")
    parser.add_argument("--index-jobs", type=int, default=2, metavar="J",
                        help="worker processes of the indexing report (default 2)")
    parser.add_argument("--write", action="store_true", help="record in bench/RESULTS.md")
    args = parser.parse_args(argv)
    compile_package()
    with tempfile.TemporaryDirectory(prefix="numcheck-review-") as folder:
        sizes = [measure(n, args.seed, args.runs, layout, args.index_jobs, Path(folder))
                 for layout in dict.fromkeys(args.layout) for n in sorted(set(args.articles))]
    text = markdown(sizes, args.runs, args.seed, argv)
    print(text)
    if args.write:
        from sections import write_section

        write_section(SECTION, text)
    return 0 if all(max(size.median, size.text_median) <= GOAL_SECONDS for size in sizes) else 1


if __name__ == "__main__":
    raise SystemExit(main())
