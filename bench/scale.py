"""numcheck on generated corpora: wall time, peak memory, claims per second, where the time goes.

For each size N, bench/corpus.py writes N articles (the seed export format, 50 per file) into a
temporary folder; then `python -m checker report DIR --out OUT --quiet` runs --runs times, each in
a fresh process; medians. Peak memory is the maximum resident set size of that process (from
os.wait4). With --profile N, one more run at N goes under pyinstrument (a sampling profiler) and
the section lists the functions the time goes to.

    .venv/bin/python bench/scale.py                                  # 1k and 10k, 3 runs each
    .venv/bin/python bench/scale.py --articles 1000 --runs 1         # a quick look
    .venv/bin/python bench/scale.py --profile 10000 --write          # record in bench/RESULTS.md
    .venv/bin/python bench/scale.py --numcheck-args="--jobs 2"       # options of numcheck report

--profile needs pyinstrument in the running interpreter (`.venv/bin/pip install pyinstrument`).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from corpus import Templates, load_templates, write_corpus  # noqa: E402

SECTION = "scale"
# Goals of issue 7 ("Performance and scale").
SCALING_GOAL = 11.0  # 10x the articles may cost at most 11x the time
TIME_GOAL_100K = 300.0  # seconds for 100,000 articles with --jobs 2
MEMORY_GOAL_MB = 4096.0
TREE_THRESHOLD = 0.02  # profile tree: leave out frames under this share of the run
OWN_TIME_ROWS = 12


@dataclass(frozen=True, slots=True)
class Run:
    seconds: float
    peak_mb: float
    exit_code: int
    timed_out: bool


@dataclass(frozen=True, slots=True)
class Size:
    articles: int
    files: int
    megabytes: float
    generated_seconds: float
    runs: tuple[Run, ...]
    claims: int
    findings: int

    @property
    def seconds(self) -> float:
        return statistics.median(run.seconds for run in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(run.peak_mb for run in self.runs)

    @property
    def complete(self) -> bool:
        return all(run.exit_code == 0 and not run.timed_out for run in self.runs)


def report_command(corpus: Path, out: Path, extra: Sequence[str]) -> list[str]:
    return [
        sys.executable,
        "-m",
        "checker",
        "report",
        str(corpus),
        "--out",
        str(out),
        "--quiet",
        *extra,
    ]


def timed_run(command: Sequence[str], timeout: float, log: Path) -> Run:
    """Run `command` in a fresh process: wall time and its own peak resident memory."""
    started = time.perf_counter()
    with log.open("wb") as stderr:
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.05)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    timed_out = seconds > timeout
    return Run(seconds, usage.ru_maxrss / 1024, process.returncode, timed_out)


def counts(report_json: Path) -> tuple[int, int]:
    """Claims and findings in a report.json; (0, 0) when the run wrote none."""
    if not report_json.exists():
        return 0, 0
    data = json.loads(report_json.read_bytes())
    return len(data.get("claims", ())), len(data.get("findings", ()))


def measure(
    articles: int,
    seed: int,
    runs: int,
    extra: Sequence[str],
    timeout: float,
    templates: Templates,
    workdir: Path,
) -> Size:
    corpus, out = workdir / f"corpus-{articles}", workdir / f"report-{articles}"
    started = time.perf_counter()
    written = write_corpus(corpus, articles, seed, templates=templates)
    generated = time.perf_counter() - started
    done = []
    for number in range(runs):
        run = timed_run(report_command(corpus, out, extra), timeout, workdir / "stderr.log")
        done.append(run)
        print(
            f"  {articles:,} articles, run {number + 1}/{runs}: {run.seconds:.1f} s, "
            f"{run.peak_mb:,.0f} MB, exit {run.exit_code}",
            file=sys.stderr,
            flush=True,
        )
        if run.exit_code != 0 or run.timed_out:
            print((workdir / "stderr.log").read_text("utf-8", "replace")[-2000:], file=sys.stderr)
            break
    claims, findings = counts(out / "report.json")
    return Size(
        articles=articles,
        files=len(written),
        megabytes=sum(path.stat().st_size for path in written) / 1e6,
        generated_seconds=generated,
        runs=tuple(done),
        claims=claims,
        findings=findings,
    )


# ---------------------------------------------------------------------------------------------
# profile


@dataclass(frozen=True, slots=True)
class Profile:
    articles: int
    seconds: float
    own: tuple[tuple[str, float], ...]  # checker function -> seconds, its libraries included
    tree: str


def profile(
    articles: int, seed: int, extra: Sequence[str], templates: Templates, workdir: Path
) -> Profile:
    from pyinstrument.renderers import ConsoleRenderer
    from pyinstrument.session import Session

    corpus, out = workdir / f"corpus-{articles}", workdir / f"profile-report-{articles}"
    if not corpus.exists():
        write_corpus(corpus, articles, seed, templates=templates)
    session_file = workdir / "profile.pyisession"
    command = [
        sys.executable,
        "-m",
        "pyinstrument",
        "-r",
        "pyisession",
        "-o",
        str(session_file),
        "-m",
        "checker",
        "report",
        str(corpus),
        "--out",
        str(out),
        "--quiet",
        *extra,
    ]
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    session = Session.load(str(session_file))
    renderer = ConsoleRenderer(
        unicode=False,
        color=False,
        time="percent_of_total",
        short_mode=True,
        processor_options={"filter_threshold": TREE_THRESHOLD},
    )
    rendered = renderer.render(session).replace(str(corpus), "CORPUS").replace(str(out), "OUT")
    tree = "\n".join(line[3:] for line in rendered.splitlines() if line.startswith(".  "))
    own = own_time(session.root_frame())
    return Profile(articles, session.duration, own, tree.strip("\n"))


def own_time(root: Any) -> tuple[tuple[str, float], ...]:
    """Seconds spent in each checker function itself or in library code it calls directly
    (pandas, json, rapidfuzz...), not in other checker functions; largest first."""
    totals: dict[str, float] = {}
    stack = [(root, "(start-up, outside checker/)")]
    while stack:
        frame, owner = stack.pop()
        if _is_checker(frame):
            name = f"{frame.class_name}.{frame.function}" if frame.class_name else frame.function
            owner = f"{_short_path(frame.file_path)}:{name}"
        children = list(frame.children)
        own = frame.time - sum(child.time for child in children)
        totals[owner] = totals.get(owner, 0.0) + max(0.0, own)
        stack.extend((child, owner) for child in children)
    return tuple(sorted(totals.items(), key=lambda item: (-item[1], item[0])))


def _is_checker(frame: Any) -> bool:
    path = (frame.file_path or "").replace(os.sep, "/")
    return "/checker/" in path and "site-packages" not in path and path.endswith(".py")


def _short_path(path: str) -> str:
    path = path.replace(os.sep, "/")
    return path[path.rindex("/checker/") + 1 :]


# ---------------------------------------------------------------------------------------------
# the section


def markdown(
    sizes: Sequence[Size],
    runs: int,
    seed: int,
    extra: Sequence[str],
    found: Profile | None,
    argv: Sequence[str],
) -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    command = "python -m checker report CORPUS --out OUT --quiet" + (
        " " + shlex.join(extra) if extra else ""
    )
    lines = [
        "## Scale (bench/scale.py)",
        "",
        f"Date: {date.today().isoformat()}. Machine: {os.cpu_count()} CPUs, {memory:.0f} GB RAM, "
        f"Python {platform.python_version()} ({platform.machine()}, {platform.system()}).",
        "",
        f"Corpus: `bench/corpus.py --seed {seed}`, the seed export format, 50 articles per file. "
        f"Each run is `{command}` in a fresh process; {runs} runs per size, median wall time; "
        "peak memory is the largest resident set size of a run. Claims per second: the claims of "
        "report.json over the median wall time (start-up and writing the reports included).",
        "",
        "| articles | files | MB | generated in | claims | findings | wall time (median) | runs | "
        "peak memory | claims/s | articles/s |",
        "|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for size in sizes:
        each = ", ".join(_run_text(run) for run in size.runs)
        lines.append(
            f"| {size.articles:,} | {size.files:,} | {size.megabytes:.1f} | "
            f"{size.generated_seconds:.2f} s | {size.claims:,} | {size.findings:,} | "
            f"{size.seconds:.1f} s | {each} | {size.peak_mb:,.0f} MB | "
            f"{size.claims / size.seconds:,.0f} | {size.articles / size.seconds:,.1f} |"
        )
    lines += ["", *goal_lines(sizes)]
    if found is not None:
        lines += ["", *profile_lines(found)]
    lines += [
        "",
        "Reproduce from the repository root:",
        "",
        "```sh",
        ".venv/bin/pip install pyinstrument    # for --profile",
        f".venv/bin/python bench/scale.py {shlex.join(argv)}".rstrip(),
        f".venv/bin/python bench/corpus.py --articles {sizes[-1].articles} --seed {seed} "
        "--out /tmp/corpus    # a corpus alone",
        "```",
    ]
    return "\n".join(lines)


def _run_text(run: Run) -> str:
    if run.timed_out:
        return f"> {run.seconds:.0f} s (stopped)"
    return f"{run.seconds:.1f}" + ("" if run.exit_code == 0 else f" (exit {run.exit_code})")


def goal_lines(sizes: Sequence[Size]) -> list[str]:
    lines = []
    by_count = {size.articles: size for size in sizes if size.complete}
    for small in sorted(by_count):
        if small * 10 in by_count:
            ratio = by_count[small * 10].seconds / by_count[small].seconds
            verdict = "met" if ratio <= SCALING_GOAL else "NOT met"
            lines.append(
                f"- Scaling: {small:,} -> {small * 10:,} articles costs **{ratio:.1f}x** the time "
                f"(goal: at most {SCALING_GOAL:g}x for 10x the articles): {verdict}."
            )
    big = by_count.get(100_000)
    if big is None:
        lines.append(
            f"- 100,000 articles in at most {TIME_GOAL_100K:.0f} s and "
            f"{MEMORY_GOAL_MB / 1024:g} GB (with `--jobs 2`): not measured in this run."
        )
    else:
        verdict = (
            "met" if big.seconds <= TIME_GOAL_100K and big.peak_mb <= MEMORY_GOAL_MB else "NOT met"
        )
        lines.append(
            f"- 100,000 articles: {big.seconds:.0f} s and {big.peak_mb:,.0f} MB (goal: at most "
            f"{TIME_GOAL_100K:.0f} s and {MEMORY_GOAL_MB / 1024:g} GB with `--jobs 2`): {verdict}."
        )
    for size in sizes:
        if not size.complete:
            lines.append(f"- {size.articles:,} articles: a run failed or was stopped (see above).")
    return lines


def profile_lines(found: Profile) -> list[str]:
    lines = [
        f"### Where the time goes ({found.articles:,} articles, one run under pyinstrument, "
        f"{found.seconds:.1f} s)",
        "",
        "Own time: each checker function with the library code it calls directly (pandas, json, "
        "rapidfuzz, jinja2...), without the other checker functions it calls.",
        "",
        "| function | seconds | share |",
        "|---|---:|---:|",
    ]
    for name, seconds in found.own[:OWN_TIME_ROWS]:
        lines.append(f"| `{name}` | {seconds:.2f} | {seconds / found.seconds:.1%} |")
    lines += [
        "",
        f"The call tree (frames of at least {TREE_THRESHOLD:.0%} of the run):",
        "",
        "```",
        found.tree,
        "```",
    ]
    return lines


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[1000, 10_000], metavar="N")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", type=int, metavar="N", help="profile one run at N articles")
    parser.add_argument(
        "--numcheck-args",
        default="",
        metavar="ARGS",
        help='more options of numcheck report, e.g. "--jobs 2"',
    )
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per run")
    parser.add_argument("--write", action="store_true", help="record in bench/RESULTS.md")
    args = parser.parse_args(argv)
    extra = shlex.split(args.numcheck_args)
    templates = load_templates()
    with tempfile.TemporaryDirectory(prefix="numcheck-scale-") as folder:
        workdir = Path(folder)
        sizes = [
            measure(n, args.seed, args.runs, extra, args.timeout, templates, workdir)
            for n in sorted(set(args.articles))
        ]
        found = None
        if args.profile:
            print(f"  profiling {args.profile:,} articles", file=sys.stderr, flush=True)
            found = profile(args.profile, args.seed, extra, templates, workdir)
    text = markdown(sizes, args.runs, args.seed, extra, found, argv)
    print(text)
    if args.write:
        from sections import write_section

        write_section(SECTION, text)
    return 0 if all(size.complete for size in sizes) else 1


if __name__ == "__main__":
    raise SystemExit(main())
