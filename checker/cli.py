"""The `numcheck` command: parse arguments, run the pipeline, hand the result to a renderer.

Exit codes: 0 the run completed (unreadable files are warned about, the rest is still read);
1 an output file could not be written; 2 a usage error, or nothing could be read at all;
130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import checker

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

    from checker.models import Document
    from checker.pipeline import Result

__all__ = ["build_parser", "bundled_seeds", "main"]

PROG = "numcheck"
EXIT_OK, EXIT_OUTPUT, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
# The formats of checker.report.table, named here so that parsing arguments needs no pandas.
FORMATS = ("csv", "json", "jsonl", "parquet")
REPORT_FORMATS = ("text", "json")
PROGRESS_DELAY = 0.5  # seconds before a progress bar is worth showing


class UsageError(Exception):
    """Bad arguments or no usable input: exit 2 with the message."""


def bundled_seeds() -> Path:
    """The sample corpus next to the package, the default input of `numcheck report`."""
    return Path(checker.__file__).resolve().parents[1] / "seeds"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Extract the figures in a corpus of articles into a fact table, and report "
        "where sources disagree about the same quantity.",
        epilog="Run `numcheck COMMAND --help` for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {checker.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    extract = commands.add_parser(
        "extract",
        help="write the fact table (one row per figure) to stdout or a file",
        description="Write the fact table of the articles in PATH (files or folders).",
        epilog="examples:\n"
        "  numcheck extract seeds/ > facts.csv\n"
        "  numcheck extract seeds/ --format json | jq '.claims[0]'\n"
        "  numcheck extract a.txt b.md --format parquet --out facts.parquet",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    extract.add_argument("paths", nargs="+", metavar="PATH", help="a file or folder of articles")
    extract.add_argument(
        "--format",
        choices=FORMATS,
        help="output format (default: from the --out suffix, else csv)",
    )
    extract.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")
    extract.add_argument("--quiet", action="store_true", help="no progress bar")

    report = commands.add_parser(
        "report",
        help="find where sources disagree; write reports/ and print the findings",
        description="Read the articles in PATH (default: the bundled seeds/ corpus), find the "
        "figures that disagree about the same quantity, write facts.csv, findings.csv, "
        "report.json and report.html into the output folder, and print the findings.",
        epilog="examples:\n"
        "  numcheck report\n"
        "  numcheck report ~/articles --out /tmp/articles-report\n"
        "  numcheck report --format json | jq '.findings[] | .message'",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    report.add_argument("paths", nargs="*", metavar="PATH", help="a file or folder of articles")
    report.add_argument(
        "--out", metavar="DIR", default="reports", help="output folder (default: ./reports)"
    )
    report.add_argument(
        "--format",
        choices=REPORT_FORMATS,
        default="text",
        help="text: print the report (default); json: print report.json on stdout instead",
    )
    report.add_argument("--quiet", action="store_true", help="no progress bar and no report")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    try:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as stop:  # argparse exits on --help, --version and bad usage
            return stop.code if isinstance(stop.code, int) else EXIT_USAGE
        command = _extract if args.command == "extract" else _report
        return command(args)
    except UsageError as error:
        _say("error", str(error))
        return EXIT_USAGE
    except KeyboardInterrupt:
        _say("error", "interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`numcheck extract ... | head`): stop quietly, and point stdout
        # at devnull so that the flush at exit does not fail a second time.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OUTPUT


def _say(level: str, message: str) -> None:
    print(f"{PROG}: {level}: {message}", file=sys.stderr)


def _extract(args: argparse.Namespace) -> int:
    from checker.report.table import claims_frame, format_for, render

    fmt = args.format or (format_for(args.out) if args.out else "csv")
    if fmt == "parquet" and not args.out:
        raise UsageError("parquet is a binary format: give --out FILE")
    result = _run(args.paths, quiet=args.quiet)
    data = render(claims_frame(result.claims), fmt)
    if args.out:
        return _write(Path(args.out), data)
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    from rich.console import Console

    from checker.report.findings import findings_csv, report_json
    from checker.report.html import render_html
    from checker.report.table import claims_frame, render
    from checker.report.terminal import print_summary

    paths = args.paths or [_default_corpus()]
    result = _run(paths, quiet=args.quiet, findings=True)
    out = Path(args.out)
    report = report_json(result.claims, result.findings)
    outputs = {
        out / "facts.csv": render(claims_frame(result.claims), "csv"),
        out / "findings.csv": findings_csv(result.findings),
        out / "report.json": report,
        out / "report.html": render_html(result).encode("utf-8"),
    }
    for target, data in outputs.items():
        status = _write(target, data)
        if status != EXIT_OK:
            return status
    if args.format == "json":
        sys.stdout.buffer.write(report)
        sys.stdout.flush()
    elif not args.quiet:
        print_summary(result, Console(), written=list(outputs), findings=True)
    return EXIT_OK


def _default_corpus() -> Path:
    seeds = bundled_seeds()
    if not seeds.is_dir():
        raise UsageError(f"no PATH given and the bundled corpus {seeds} is missing")
    return seeds


def _write(target: Path, data: bytes) -> int:
    from checker.report.table import write_atomic

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, data)
    except OSError as error:
        _say("error", f"cannot write {target}: {error.strerror or error}")
        return EXIT_OUTPUT
    return EXIT_OK


def _run(paths: Sequence[str | Path], *, quiet: bool, findings: bool = False) -> Result:
    """Run the pipeline (with `findings`, to the end), warn about every problem, and insist on
    at least one document."""
    from rich.console import Console

    from checker.pipeline import run

    if not any(Path(path).exists() for path in paths):
        raise UsageError("no such file or directory: " + ", ".join(map(str, paths)))
    console = Console(stderr=True)
    with _DelayedProgress(console, enabled=console.is_terminal and not quiet) as progress:
        result = run(paths, progress=progress, compare=findings)
    for problem in result.problems:
        _say("warning", str(problem))
    if not result.documents:
        raise UsageError("no documents could be read from " + ", ".join(map(str, paths)))
    return result


class _DelayedProgress:
    """A progress callback that shows a transient bar once a run has taken a moment."""

    def __init__(self, console: Console, *, enabled: bool, delay: float = PROGRESS_DELAY):
        self._console = console
        self._enabled = enabled
        self._delay = delay
        self._started = time.monotonic()
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> _DelayedProgress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()

    def __call__(self, document: Document, done: int, total: int) -> None:
        if not self._enabled:
            return
        if self._bar is None:
            if time.monotonic() - self._started < self._delay:
                return
            self._start(total)
        assert self._bar is not None and self._task is not None
        self._bar.update(self._task, completed=done, total=total)

    def _start(self, total: int) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        self._bar = Progress(
            "Reading documents",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=self._console,
            transient=True,
        )
        self._bar.start()
        self._task = self._bar.add_task("read", total=total)
