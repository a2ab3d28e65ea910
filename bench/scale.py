"""numcheck on generated corpora: wall time, peak memory, claims per second, where the time goes.

For each size N and each layout, bench/corpus.py writes N articles in the seed export format into
a temporary folder — packed, 50 articles a file, or single, one article a file (the same
articles: what differs is the cost per file); then
`python -m checker report DIR --out OUT --quiet --cache-dir CACHE` runs
--runs times, each in a fresh process and each cold: CACHE is emptied before every run, so
writing the cache is part of the time (unless --numcheck-args holds --no-cache). Then, with the
cache the last cold run left, the same command runs again --runs times with nothing changed and
--runs times after a figure of one corpus file was edited: what a re-run costs. Medians.

Peak memory is the most memory in use on the machine (total less available, psutil) above what
was in use when the run started, sampled every 0.1 s: the numcheck process and all its children
(the --jobs workers, a Dask cluster, the fork that writes report.html), each page counted once,
and whatever else the machine does meanwhile (so it should be idle; files on a tmpfs count too).
The sum of their resident set sizes is sampled too, an upper bound (a page two processes share
counts twice: a fork shares all of its parent's), and so is the main process's own peak
(ru_maxrss, from os.wait4). With --profile N, one more cold run at N goes under pyinstrument
(a sampling profiler) and the section lists the functions the time goes to; it sees the main
process only.

    .venv/bin/python bench/scale.py                                  # 1k and 10k, 3 runs each
    .venv/bin/python bench/scale.py --articles 1000 --runs 1         # a quick look
    .venv/bin/python bench/scale.py --profile 10000 --write          # record in bench/RESULTS.md
    .venv/bin/python bench/scale.py --numcheck-args="--jobs 2"       # options of numcheck report
    .venv/bin/python bench/scale.py --articles 1000 10000 100000 --numcheck-args="--jobs 2"
    .venv/bin/python bench/scale.py --layout single --articles 10000 100000 --runs 1

--profile needs pyinstrument in the running interpreter (`.venv/bin/pip install pyinstrument`);
the memory sampling needs psutil (installed with numcheck[dask]). The package's modules are
compiled to bytecode first, as `pip install` does.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from corpus import Templates, load_templates, write_corpus  # noqa: E402

SECTION = "scale"
LAYOUTS = ("packed", "single")
# Goals of issue 16 ("100,000 one-article files in two minutes"), by layout.
SCALING_GOAL = 10.5  # 10x the articles may cost at most 10.5x the time
SCALING_SIZES = (10_000, 100_000)  # the pair the scaling goal is about
GOAL_ARTICLES = 100_000
GOAL_JOBS = 2
TIME_GOAL_100K = {"packed": 166.0, "single": 120.0}  # seconds, 100,000 articles, --jobs 2
MEMORY_GOAL_MB = 3072.0
RERUN_GOAL = 10.0  # seconds for a re-run with nothing changed, 100,000 one-article files
SAMPLE_SECONDS = 0.1  # how often the memory of the process tree is sampled
TREE_THRESHOLD = 0.02  # profile tree: leave out frames under this share of the run
OWN_TIME_ROWS = 12
# A figure with a percent sign; its last digit is the one an edit changes.
FIGURE = re.compile(r"\d(?=%)")


@dataclass(frozen=True, slots=True)
class Run:
    seconds: float
    in_use_peak_mb: float  # sampled: the machine's memory in use, above the run's start
    tree_peak_mb: float  # sampled: the process and its children's resident sets, summed
    main_peak_mb: float  # the process alone, from the kernel
    exit_code: int
    timed_out: bool

    @property
    def peak_mb(self) -> float:
        # A spike of the main process between two samples is still counted.
        return max(self.in_use_peak_mb, self.main_peak_mb)

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out


@dataclass(frozen=True, slots=True)
class Size:
    layout: str
    articles: int
    files: int
    megabytes: float
    generated_seconds: float
    runs: tuple[Run, ...]  # cold: an empty cache each time
    unchanged: tuple[Run, ...]  # re-runs with the cache, nothing changed
    edited: tuple[Run, ...]  # re-runs with the cache, one file edited before each
    claims: int
    findings: int

    @property
    def seconds(self) -> float:
        return median_seconds(self.runs)

    @property
    def peak_mb(self) -> float:
        return max(run.peak_mb for run in self.runs)

    @property
    def tree_peak_mb(self) -> float:
        return max(run.tree_peak_mb for run in self.runs)

    @property
    def main_peak_mb(self) -> float:
        return max(run.main_peak_mb for run in self.runs)

    @property
    def complete(self) -> bool:
        return all(run.ok for run in (*self.runs, *self.unchanged, *self.edited))


def median_seconds(runs: Sequence[Run]) -> float:
    return statistics.median(run.seconds for run in runs)


def compile_package() -> None:
    """The package's bytecode, written once as `pip install` does: an editable install under
    PYTHONDONTWRITEBYTECODE would otherwise compile every module in every process."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "checker")], check=True)


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


def numcheck_options(extra: Sequence[str]) -> argparse.Namespace:
    """The options of `numcheck report` among `extra` that decide what a run measures."""
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--jobs", "-j", type=int, default=1)
    parser.add_argument("--no-cache", action="store_true")
    known, _ = parser.parse_known_args(list(extra))
    return known


def file_to_edit(written: Sequence[Path]) -> Path:
    """The file the edited re-run changes: the first with a percentage from the middle on (a
    small corpus of one article a file has files without one)."""
    middle = len(written) // 2
    for path in (*written[middle:], *written[:middle]):
        if FIGURE.search(path.read_text("utf-8")):
            return path
    raise ValueError("no file with a percentage to edit")


def edit_figure(text: str) -> str:
    """`text` with one figure changed: the last digit of the first percentage, plus one."""
    found = FIGURE.search(text)
    if found is None:
        raise ValueError("no percentage to edit")
    digit = str((int(found.group()) + 1) % 10)
    return text[: found.start()] + digit + text[found.end() :]


def tree_rss(root: psutil.Process) -> int:
    """Resident bytes of `root` and all its descendants now (pages they share count for each)."""
    try:
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for process in processes:
        # A process may end between the listing and the reading.
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            total += process.memory_info().rss
    return total


def memory_in_use() -> int:
    """Bytes of memory in use on this machine (total less available)."""
    memory = psutil.virtual_memory()
    return memory.total - memory.available


def timed_run(command: Sequence[str], timeout: float, log: Path) -> Run:
    """Run `command` in a fresh process: wall time, the peak memory in use and the peak resident
    memory of its process tree (sampled), and that of the process alone."""
    started = time.perf_counter()
    tree_peak = in_use_peak = 0
    in_use_before = memory_in_use()
    with log.open("wb") as stderr:
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr)
        root = psutil.Process(process.pid)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                _kill_tree(root)
                pid, status, usage = os.wait4(process.pid, 0)
                break
            tree_peak = max(tree_peak, tree_rss(root))
            in_use_peak = max(in_use_peak, memory_in_use() - in_use_before)
            time.sleep(SAMPLE_SECONDS)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    timed_out = seconds > timeout
    return Run(seconds, in_use_peak / 2**20, tree_peak / 2**20, usage.ru_maxrss / 1024,
               process.returncode, timed_out)


def _kill_tree(root: psutil.Process) -> None:
    """Stop a run that took too long, its workers first (they would outlive it)."""
    for process in [*root.children(recursive=True), root]:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.kill()


def counts(report_json: Path) -> tuple[int, int]:
    """Claims and findings in a report.json; (0, 0) when the run wrote none.

    Read in a child process: a child forked from this one starts with this one's peak resident
    memory, so loading a large report here would be counted in the next run's `ru_maxrss`."""
    if not report_json.exists():
        return 0, 0
    script = ("import json, sys; data = json.load(open(sys.argv[1], 'rb')); "
              "print(len(data.get('claims', ())), len(data.get('findings', ())))")
    found = subprocess.run([sys.executable, "-c", script, str(report_json)], check=True,
                           capture_output=True, text=True).stdout.split()
    return int(found[0]), int(found[1])


def measure(
    layout: str,
    articles: int,
    seed: int,
    runs: int,
    extra: Sequence[str],
    timeout: float,
    templates: Templates,
    workdir: Path,
) -> Size:
    corpus, out = workdir / f"corpus-{layout}-{articles}", workdir / f"report-{articles}"
    cache = workdir / f"cache-{articles}"
    cached = not numcheck_options(extra).no_cache
    command = report_command(corpus, out, [*extra, "--cache-dir", str(cache)] if cached else extra)
    started = time.perf_counter()
    written = write_corpus(corpus, articles, seed, templates=templates, layout=layout)
    generated = time.perf_counter() - started

    def repeat(label: str, before_each: Callable[[], object] | None = None) -> tuple[Run, ...]:
        done: list[Run] = []
        for number in range(runs):
            if before_each is not None:
                before_each()
            run = timed_run(command, timeout, workdir / "stderr.log")
            done.append(run)
            print(
                f"  {articles:,} articles {layout}, {label} {number + 1}/{runs}: "
                f"{run.seconds:.1f} s, "
                f"{run.peak_mb:,.0f} MB, exit {run.exit_code}",
                file=sys.stderr,
                flush=True,
            )
            if not run.ok:
                print(
                    (workdir / "stderr.log").read_text("utf-8", "replace")[-2000:], file=sys.stderr
                )
                break
        return tuple(done)

    cold = repeat("cold run", lambda: shutil.rmtree(cache, ignore_errors=True))
    claims, findings = counts(out / "report.json")
    unchanged = edited = ()
    if cached and all(run.ok for run in cold):
        unchanged = repeat("re-run, nothing changed")
        target = file_to_edit(written)
        original = target.read_bytes()
        edited = repeat(
            "re-run, one file edited",
            lambda: target.write_text(edit_figure(target.read_text("utf-8")), "utf-8"),
        )
        target.write_bytes(original)  # the profile run sees the generated corpus
    shutil.rmtree(cache, ignore_errors=True)
    return Size(
        layout=layout,
        articles=articles,
        files=len(written),
        megabytes=sum(path.stat().st_size for path in written) / 1e6,
        generated_seconds=generated,
        runs=cold,
        unchanged=unchanged,
        edited=edited,
        claims=claims,
        findings=findings,
    )


# ---------------------------------------------------------------------------------------------
# profile


@dataclass(frozen=True, slots=True)
class Profile:
    layout: str
    articles: int
    seconds: float
    own: tuple[tuple[str, float], ...]  # checker function -> seconds, its libraries included
    tree: str


def profile(
    layout: str,
    articles: int,
    seed: int,
    extra: Sequence[str],
    templates: Templates,
    workdir: Path,
) -> Profile:
    from pyinstrument.renderers import ConsoleRenderer
    from pyinstrument.session import Session

    corpus = workdir / f"corpus-{layout}-{articles}"
    out = workdir / f"profile-report-{articles}"
    if not corpus.exists():
        write_corpus(corpus, articles, seed, templates=templates, layout=layout)
    cache = workdir / "profile-cache"  # new and empty: a cold run, as the timed ones
    if not numcheck_options(extra).no_cache:
        extra = [*extra, "--cache-dir", str(cache)]
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
    rendered = renderer.render(session)
    for path, name in ((corpus, "CORPUS"), (out, "OUT"), (cache, "CACHE")):
        rendered = rendered.replace(str(path), name)
    tree = "\n".join(line[3:] for line in rendered.splitlines() if line.startswith(".  "))
    own = own_time(session.root_frame())
    return Profile(layout, articles, session.duration, own, tree.strip("\n"))


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
    options = numcheck_options(extra)
    cache = "" if options.no_cache else " --cache-dir CACHE"
    command = f"python -m checker report CORPUS --out OUT --quiet{cache}" + (
        " " + shlex.join(extra) if extra else ""
    )
    cold = (
        "the cache is not used (`--no-cache`)"
        if options.no_cache
        else "each run is cold: CACHE is a new, empty folder, so writing the cache is timed too"
    )
    lines = [
        "## Scale (bench/scale.py)",
        "",
        f"Date: {date.today().isoformat()}. Machine: {os.cpu_count()} CPUs, {memory:.0f} GB RAM, "
        f"Python {platform.python_version()} ({platform.machine()}, {platform.system()}).",
        "",
        f"Corpus: `bench/corpus.py --seed {seed}`, the seed export format, in two layouts of the "
        "same articles: packed, 50 articles a file, and single, one article a file "
        "(`--layout single`, 1,000 files a folder). "
        f"Each run is `{command}` in a fresh process; {cold}; {plural(runs, 'run')} per size, "
        "median wall time. Peak memory: the most memory in use on the machine (total less "
        "available) above what was in use when the run started, sampled every "
        f"{SAMPLE_SECONDS:g} s with psutil, over the runs: the numcheck process and all its "
        "children (worker processes, a Dask cluster, the fork writing report.html), each page "
        "counted once, on a machine doing nothing else. Then the largest sum of their resident "
        "set sizes, an upper bound (a page two processes share counts in each), and the main "
        "process's own peak (`ru_maxrss`, from the kernel). Claims per second: the claims of "
        "report.json over the median wall time (start-up and writing the reports included).",
        "",
        "| layout | articles | files | MB | generated in | claims | findings | wall time (median) "
        "| runs | peak memory in use | resident sets, summed | main process | claims/s "
        "| articles/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|",
    ]
    for size in sizes:
        # A run that failed or was stopped has no rate to speak of.
        done = all(run.ok for run in size.runs)
        claims_rate = f"{size.claims / size.seconds:,.0f}" if done else "-"
        articles_rate = f"{size.articles / size.seconds:,.1f}" if done else "-"
        lines.append(
            f"| {size.layout} | {size.articles:,} | {size.files:,} | {size.megabytes:.1f} | "
            f"{size.generated_seconds:.2f} s | {size.claims:,} | {size.findings:,} | "
            f"{size.seconds:.1f} s | {runs_text(size.runs)} | {size.peak_mb:,.0f} MB | "
            f"{size.tree_peak_mb:,.0f} MB | {size.main_peak_mb:,.0f} MB | {claims_rate} | "
            f"{articles_rate} |"
        )
    rerun = [size for size in sizes if size.unchanged]
    if rerun:
        lines += [
            "",
            "Re-runs with the cache the last cold run left, each a fresh process: with nothing "
            "changed, and after one figure of one corpus file was edited (a percentage in the "
            "middle file of the corpus, changed anew before each run), which re-extracts that "
            "file alone; medians.",
            "",
            "| layout | articles | cold run (median) | nothing changed (median) | runs | "
            "one file edited (median) | runs |",
            "|---|---:|---:|---:|---|---:|---|",
        ]
        for size in rerun:
            edited = f"{median_seconds(size.edited):.1f} s" if size.edited else "-"
            lines.append(
                f"| {size.layout} | {size.articles:,} | {size.seconds:.1f} s | "
                f"{median_seconds(size.unchanged):.1f} s | {runs_text(size.unchanged)} | "
                f"{edited} | {runs_text(size.edited)} |"
            )
    lines += ["", *goal_lines(sizes, options.jobs)]
    if found is not None:
        lines += ["", *profile_lines(found, options.jobs)]
    lines += [
        "",
        "Reproduce from the repository root:",
        "",
        "```sh",
        ".venv/bin/pip install pyinstrument    # for --profile",
        f".venv/bin/python bench/scale.py {shlex.join(argv)}".rstrip(),
        f".venv/bin/python bench/corpus.py --articles {sizes[-1].articles} --seed {seed} "
        f"--layout {sizes[-1].layout} --out /tmp/corpus    # a corpus alone",
        "```",
    ]
    return "\n".join(lines)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def runs_text(runs: Sequence[Run]) -> str:
    return ", ".join(_run_text(run) for run in runs)


def _run_text(run: Run) -> str:
    if run.timed_out:
        return f"> {run.seconds:.0f} s (stopped)"
    return f"{run.seconds:.1f}" + ("" if run.exit_code == 0 else f" (exit {run.exit_code})")


def goal_lines(sizes: Sequence[Size], jobs: int) -> list[str]:
    lines = []
    for layout in LAYOUTS:
        measured = [size for size in sizes if size.layout == layout]
        if measured:
            lines += _layout_goal_lines(layout, measured, jobs)
    for size in sizes:
        if not size.complete:
            lines.append(f"- {size.layout}, {size.articles:,} articles: a run failed or was "
                         "stopped (see above).")
    return lines


def _layout_goal_lines(layout: str, sizes: Sequence[Size], jobs: int) -> list[str]:
    lines = []
    by_count = {size.articles: size for size in sizes if size.complete}
    small, large = SCALING_SIZES
    for fewer in sorted(by_count):
        if fewer * 10 in by_count:
            ratio = by_count[fewer * 10].seconds / by_count[fewer].seconds
            if (fewer, fewer * 10) == SCALING_SIZES:
                verdict = "met" if ratio <= SCALING_GOAL else "NOT met"
                goal = f"goal: at most {SCALING_GOAL:g}x for 10x the articles): {verdict}."
            else:
                goal = f"for information; the goal is about {small:,} -> {large:,})."
            lines.append(
                f"- {layout}: {fewer:,} -> {fewer * 10:,} articles costs **{ratio:.1f}x** the "
                f"time ({goal}"
            )
    if not (small in by_count and large in by_count):
        lines.append(
            f"- {layout}: scaling {small:,} -> {large:,} articles (goal: at most "
            f"{SCALING_GOAL:g}x the time): not measured in this run."
        )
    goal = (
        f"at most {TIME_GOAL_100K[layout]:.0f} s and {MEMORY_GOAL_MB / 1024:g} GB with "
        f"`--jobs {GOAL_JOBS}`"
    )
    big = by_count.get(GOAL_ARTICLES)
    if big is None:
        lines.append(f"- {layout}: {GOAL_ARTICLES:,} articles in {goal}: not measured in this run.")
    elif jobs != GOAL_JOBS:
        lines.append(
            f"- {layout}: {GOAL_ARTICLES:,} articles: {big.seconds:.0f} s and "
            f"{big.peak_mb:,.0f} MB with `--jobs {jobs}` (goal: {goal}): not measured as the "
            "goal says."
        )
    else:
        met = big.seconds <= TIME_GOAL_100K[layout] and big.peak_mb <= MEMORY_GOAL_MB
        lines.append(
            f"- {layout}: {GOAL_ARTICLES:,} articles: {big.seconds:.0f} s and "
            f"{big.peak_mb:,.0f} MB (goal: {goal}): {'met' if met else 'NOT met'}."
        )
        if layout == "single" and big.unchanged:
            again = median_seconds(big.unchanged)
            lines.append(
                f"- {layout}: {GOAL_ARTICLES:,} articles, re-run with nothing changed: "
                f"{again:.1f} s (goal: at most {RERUN_GOAL:g} s): "
                f"{'met' if again <= RERUN_GOAL else 'NOT met'}."
            )
    return lines


def profile_lines(found: Profile, jobs: int) -> list[str]:
    lines = [
        f"### Where the time goes ({found.articles:,} articles, {found.layout} layout, one cold "
        "run under pyinstrument, "
        f"{found.seconds:.1f} s)",
        "",
        "Own time: each checker function with the library code it calls directly (pandas, json, "
        "rapidfuzz, jinja2...), without the other checker functions it calls.",
        "",
    ]
    if jobs > 1:
        lines[-1:-1] = [
            "",
            f"pyinstrument samples the main process only: with `--jobs {jobs}` the extraction "
            "runs in the worker processes, and its time appears here as the main process "
            "waiting for their results.",
        ]
    lines += [
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
    parser.add_argument("--layout", nargs="+", choices=LAYOUTS, default=list(LAYOUTS),
                        help="packed: 50 articles a file; single: one article a file")
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
    compile_package()
    extra = shlex.split(args.numcheck_args)
    templates = load_templates()
    with tempfile.TemporaryDirectory(prefix="numcheck-scale-") as folder:
        workdir = Path(folder)
        sizes = [
            measure(layout, n, args.seed, args.runs, extra, args.timeout, templates, workdir)
            for layout in args.layout
            for n in sorted(set(args.articles))
        ]
        found = None
        if args.profile:
            print(f"  profiling {args.profile:,} articles", file=sys.stderr, flush=True)
            found = profile(args.layout[-1], args.profile, args.seed, extra, templates, workdir)
    text = markdown(sizes, args.runs, args.seed, extra, found, argv)
    print(text)
    if args.write:
        from sections import write_section

        write_section(SECTION, text)
    return 0 if all(size.complete for size in sizes) else 1


if __name__ == "__main__":
    raise SystemExit(main())
