"""Local worker processes against a Dask local cluster: the same report on the same cores.

bench/corpus.py writes N articles (the seed export format, 50 per file) into a temporary folder;
then `python -m checker report CORPUS --out OUT --quiet --no-cache` runs with `--jobs J` (the
local engine: J worker processes) and with `--engine dask --jobs J` (a Dask LocalCluster of J
worker processes, one thread each, started by numcheck for the run), alternating, --runs times
each, each in a fresh process; medians, and the ratio of the two measured in the same sitting.
The findings of every run's report.json are compared with those of the first local run. Peak
memory is measured as in bench/scale.py: the machine's memory in use above the run's start (the
machine doing nothing else).

    .venv/bin/python bench/engines.py                                # 10,000 articles, 3 runs each
    .venv/bin/python bench/engines.py --articles 1000 --runs 1       # a quick look
    .venv/bin/python bench/engines.py --write                        # record in bench/RESULTS.md

The Dask engine needs numcheck[dask] (dask[dataframe,distributed]) in the running interpreter.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from corpus import write_corpus  # noqa: E402
from scale import Run, median_seconds, plural, report_command, runs_text, timed_run  # noqa: E402

SECTION = "engines"


def engine_options(jobs: int) -> dict[str, list[str]]:
    """The numcheck options of each engine, on `jobs` worker processes."""
    return {
        "local": ["--jobs", str(jobs), "--no-cache"],
        "dask": ["--engine", "dask", "--jobs", str(jobs), "--no-cache"],
    }


@dataclass(frozen=True, slots=True)
class Engine:
    name: str
    options: tuple[str, ...]
    runs: tuple[Run, ...]
    same_findings: tuple[bool, ...]  # per run: the findings of the first local run

    @property
    def seconds(self) -> float:
        return median_seconds(self.runs)

    @property
    def peak_mb(self) -> float:
        return max(run.peak_mb for run in self.runs)

    @property
    def complete(self) -> bool:
        return all(run.ok for run in self.runs)


def findings(report_json: Path) -> list[Any] | None:
    """The findings of a report.json; None when the run wrote none."""
    if not report_json.exists():
        return None
    return json.loads(report_json.read_bytes())["findings"]


def measure(
    corpus: Path, jobs: int, runs: int, timeout: float, workdir: Path
) -> tuple[tuple[Engine, ...], int]:
    """Each engine's runs, and how many findings the first local run reported."""
    options = engine_options(jobs)
    done: dict[str, list[Run]] = {name: [] for name in options}
    same: dict[str, list[bool]] = {name: [] for name in options}
    reference = None
    for number in range(runs):
        # Alternating, so that a slow spell of the machine falls on both.
        for name, extra in options.items():
            out = workdir / f"report-{name}"
            (out / "report.json").unlink(missing_ok=True)
            log = workdir / f"stderr-{name}.log"
            run = timed_run(report_command(corpus, out, extra), timeout, log)
            found = findings(out / "report.json") if run.ok else None
            if reference is None:
                reference = found
            done[name].append(run)
            same[name].append(found is not None and found == reference)
            print(
                f"  {name}, run {number + 1}/{runs}: {run.seconds:.1f} s, {run.peak_mb:,.0f} MB, "
                f"exit {run.exit_code}",
                file=sys.stderr,
                flush=True,
            )
            if not run.ok:
                print(log.read_text("utf-8", "replace")[-2000:], file=sys.stderr)
    engines = tuple(
        Engine(name, tuple(extra), tuple(done[name]), tuple(same[name]))
        for name, extra in options.items()
    )
    return engines, len(reference or ())


def markdown(
    engines: tuple[Engine, ...],
    articles: int,
    files: int,
    megabytes: float,
    findings_count: int,
    runs: int,
    seed: int,
    argv: list[str],
) -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    local, dask = engines
    lines = [
        "## Local and Dask engines (bench/engines.py)",
        "",
        f"Date: {date.today().isoformat()}. Machine: {os.cpu_count()} CPUs, {memory:.0f} GB RAM, "
        f"Python {platform.python_version()} ({platform.machine()}, {platform.system()}).",
        "",
        f"Corpus: {articles:,} articles of `bench/corpus.py --seed {seed}` ({files:,} files, "
        f"{megabytes:.1f} MB, the seed export format). Each run is `python -m checker report "
        "CORPUS --out OUT --quiet` with the options below, in a fresh process, without the cache "
        "(every file is extracted); the two engines alternate, "
        f"{plural(runs, 'run')} each, median wall time. The Dask run includes starting and "
        "stopping its local cluster. Peak memory: the most memory in use on the machine (total "
        "less available) above what was in use when the run started, sampled every 0.1 s: the "
        "process and all its children (the worker processes of either engine), each page "
        "counted once, on a machine doing nothing else.",
        "",
        "| engine | options | wall time (median) | runs | peak memory in use |",
        "|---|---|---:|---|---:|",
    ]
    for engine in engines:
        lines.append(
            f"| {engine.name} | `{shlex.join(engine.options)}` | {engine.seconds:.1f} s | "
            f"{runs_text(engine.runs)} | {engine.peak_mb:,.0f} MB |"
        )
    lines.append("")
    if local.complete and dask.complete:
        lines.append(
            f"- Dask / local: **{dask.seconds / local.seconds:.2f}x** the wall time "
            f"({dask.seconds:.1f} s against {local.seconds:.1f} s)."
        )
    else:
        lines.append("- A run failed or was stopped: no ratio (see the runs above).")
    identical = all(local.same_findings) and all(dask.same_findings)
    lines.append(
        f"- Findings: the {findings_count:,} findings of every run's report.json are identical "
        "across engines and runs."
        if identical
        else "- Findings: NOT identical across engines and runs (per run, local: "
        f"{_same_text(local)}; dask: {_same_text(dask)})."
    )
    lines += [
        "",
        "Reproduce from the repository root:",
        "",
        "```sh",
        f".venv/bin/python bench/engines.py {shlex.join(argv)}".rstrip(),
        "```",
    ]
    return "\n".join(lines)


def _same_text(engine: Engine) -> str:
    return ", ".join("same" if same else "different" for same in engine.same_findings)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, metavar="N")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes of each engine")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per run")
    parser.add_argument("--write", action="store_true", help="record in bench/RESULTS.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="numcheck-engines-") as folder:
        workdir = Path(folder)
        corpus = workdir / "corpus"
        started = time.perf_counter()
        written = write_corpus(corpus, args.articles, args.seed)
        megabytes = sum(path.stat().st_size for path in written) / 1e6
        print(
            f"  {args.articles:,} articles generated in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
            flush=True,
        )
        engines, findings_count = measure(corpus, args.jobs, args.runs, args.timeout, workdir)
    text = markdown(
        engines, args.articles, len(written), megabytes, findings_count, args.runs, args.seed, argv
    )
    print(text)
    if args.write:
        from sections import write_section

        write_section(SECTION, text)
    complete = all(engine.complete for engine in engines)
    same = all(all(engine.same_findings) for engine in engines)
    return 0 if complete and same else 1


if __name__ == "__main__":
    raise SystemExit(main())
