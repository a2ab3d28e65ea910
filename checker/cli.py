"""The `numcheck` command: parse arguments, run the pipeline, hand the result to a renderer.

Exit codes: 0 the run completed (unreadable files are warned about, the rest is still read);
1 an output file could not be written; 2 a usage error, a file in rules/ that cannot be used,
or nothing could be read at all; 130 interrupted (SIGINT), 143 terminated (SIGTERM).
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import gc
import os
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from checker.errors import ConfigError, printable
from checker.interrupts import Terminated, exit_code, raise_on_sigterm
from checker.version import __version__

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

    from checker.config import ReviewConfig
    from checker.pipeline import Engine, Result
    from checker.report.folder import Stamp
    from checker.rulebook import Rule

__all__ = ["build_parser", "bundled_seeds", "main"]

PROG = "numcheck"
EXIT_OK, EXIT_OUTPUT, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
# The formats of checker.report.table, named here so that parsing arguments needs no pandas.
FORMATS = ("csv", "json", "jsonl", "parquet")
REPORT_FORMATS = ("text", "json")
PROGRESS_DELAY = 0.5  # seconds before a progress bar is worth showing
# File names and article text may hold control characters; they never reach the terminal raw.


class UsageError(Exception):
    """Bad arguments or no usable input: exit 2 with the message."""


def bundled_seeds() -> Path:
    """The sample corpus that comes with the package, the default input of `numcheck report`."""
    from checker.paths import SEEDS_DIR

    return SEEDS_DIR


class _Parser(argparse.ArgumentParser):
    """argparse that suggests the nearest command, choice or flag to a misspelt one, and reports
    an unknown flag with the usage of the command it was given to (Python 3.11's argparse
    collects a command's unknown flags and reports them with the top-level usage)."""

    def _check_value(self, action: argparse.Action, value: object) -> None:
        if action.choices is not None and value not in action.choices:
            choices = ", ".join(map(repr, action.choices))
            near = _did_you_mean(str(value), [str(choice) for choice in action.choices])
            hint = f"; did you mean {near!r}?" if near else ""
            raise argparse.ArgumentError(
                action, f"invalid choice: {value!r}{hint} (choose from {choices})")

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            command = self._command_parser(parsed)
            # Unknown flags before and after the command are collected together; a hidden
            # alias (help=SUPPRESS) is accepted but never suggested.
            flags = [flag for action in (*self._actions, *command._actions)
                     if action.help != argparse.SUPPRESS for flag in action.option_strings]
            words = []
            for extra in extras:
                hint = extra.startswith("-") and _did_you_mean(extra.split("=", 1)[0], flags)
                words.append(f"{extra} (did you mean {hint}?)" if hint else extra)
            command.error("unrecognized arguments: " + " ".join(words))
        return parsed

    def _command_parser(self, parsed: argparse.Namespace) -> argparse.ArgumentParser:
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                chosen = action.choices.get(getattr(parsed, action.dest, None))
                return chosen if chosen is not None else self
        return self


def _did_you_mean(word: str, candidates: Sequence[str]) -> str:
    """The candidate nearest to `word`, or "" when none is near."""
    return next(iter(difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)), "")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Extract the figures in a corpus of articles into a fact table, and report "
        "where sources disagree about the same quantity.",
        epilog="Run `numcheck COMMAND --help` for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
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
    extract.add_argument("--out", "-o", metavar="FILE", help="write to FILE instead of stdout")
    extract.add_argument("--quiet", action="store_true", help="no progress bar")
    _add_lexicon(extract)
    _add_engine(extract)

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
        "--out", "-o", metavar="DIR", default="reports", help="output folder (default: ./reports)"
    )
    report.add_argument(
        "--format",
        choices=REPORT_FORMATS,
        default="text",
        help="text: print the report (default); json: print report.json on stdout instead",
    )
    report.add_argument("--quiet", action="store_true", help="no progress bar and no report")
    _add_lexicon(report)
    _add_engine(report)
    _add_review(commands)
    _add_terms(commands)
    _add_rule(commands)
    return parser


def _add_terms(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    terms = commands.add_parser(
        "terms",
        help="list a corpus's frequent entities and measures: a start for a lexicon pack",
        description="Read the articles in PATH and list the entities and measures their figures "
        "were keyed by, with how many figures each has and how many of those are comparable "
        "(another figure shares their key). A frequent term with few comparable figures is "
        "where a pack helps: see docs/own-topic.md.",
        epilog="examples:\n"
        "  numcheck terms ~/articles\n"
        "  numcheck terms ~/articles --lexicon my-topic.toml --top 50\n"
        "  numcheck terms seeds/ --format json | jq '.terms[0]'",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    terms.add_argument("paths", nargs="+", metavar="PATH", help="a file or folder of articles")
    terms.add_argument("--top", type=_positive, default=30, metavar="N",
                       help="at most N entities and N measures (default: 30)")
    terms.add_argument("--format", choices=REPORT_FORMATS, default="text",
                       help="text: tables (default); json: {\"version\", \"terms\": [...]}")
    terms.add_argument("--quiet", action="store_true", help="no progress bar")
    _add_lexicon(terms)
    _add_engine(terms)


def _add_rule(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rule = commands.add_parser(
        "rule",
        help="explain a finding code: its name, severity, message and an example",
        description="Print a finding code's name, severity, message template and explanation "
        "with an example, as written in rules/codes/ and rules/review/.",
        epilog="examples:\n"
        "  numcheck rule NC102\n"
        "  numcheck rule --all",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    which = rule.add_mutually_exclusive_group(required=True)
    which.add_argument("code", nargs="?", metavar="CODE",
                       help="a finding code such as NC102, or its name (any case)")
    which.add_argument("--all", action="store_true",
                       help="list every code with its name and severity")


def _add_lexicon(command: argparse.ArgumentParser) -> None:
    command.add_argument("--lexicon", action="append", default=[], metavar="PACK|FILE",
                         help="read entities and measures with a pack of rules/packs/ (e.g. "
                         "rare-earths) or a lexicon file of your own; repeatable, added after "
                         "the corpus folder's and the config's (see docs/own-topic.md)")


def _add_engine(command: argparse.ArgumentParser) -> None:
    """Where the work runs, and the cache of extracted files."""
    work = command.add_argument_group("engine and cache")
    work.add_argument("--jobs", "-j", type=_positive, default=1, metavar="N",
                      help="extract in N worker processes (default: 1, this process)")
    work.add_argument("--engine", choices=("local", "dask"), default="local",
                      help="local: this machine (default); dask: a Dask cluster, see "
                      "docs/scale.md (pip install 'numcheck[dask]')")
    work.add_argument("--scheduler", metavar="ADDRESS",
                      help="with --engine dask: the scheduler to use, e.g. tcp://10.0.0.5:8786 "
                      "(default: a local cluster of --jobs workers)")
    work.add_argument("--cache-dir", metavar="DIR",
                      help="where the facts of each file are kept by content, so a re-run "
                      "extracts only new or changed files (default: $NUMCHECK_CACHE_DIR, else "
                      "$XDG_CACHE_HOME/numcheck, else ~/.cache/numcheck)")
    work.add_argument("--no-cache", action="store_true", help="read every file afresh")


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return number


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    restore_sigterm = raise_on_sigterm()
    thresholds = gc.get_threshold()
    # A run keeps hundreds of thousands of objects to its end (claims, rows); at the default
    # thresholds the cyclic collector would scan them again and again.
    gc.set_threshold(200_000, 30, 30)
    try:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit as stop:  # argparse exits on --help, --version and bad usage
            return stop.code if isinstance(stop.code, int) else EXIT_USAGE
        command = {"extract": _extract, "report": _report, "review": _review,
                   "terms": _terms, "rule": _rule}[args.command]
        return command(args)
    except (UsageError, ConfigError) as error:
        _say("error", str(error))
        return EXIT_USAGE
    except KeyboardInterrupt:
        _say("error", "interrupted")
        return EXIT_INTERRUPTED
    except Terminated as stop:
        _say("error", "terminated")
        return exit_code(stop.signum)
    except BrokenPipeError:
        # The reader went away (`numcheck extract ... | head`): stop quietly, and point stdout
        # at devnull so that the flush at exit does not fail a second time.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OUTPUT
    finally:
        gc.set_threshold(*thresholds)
        restore_sigterm()


def _say(level: str, message: str) -> None:
    print(f"{PROG}: {level}: {printable(message)}", file=sys.stderr)


def _extract(args: argparse.Namespace) -> int:
    from checker.report.table import claims_frame, format_for, render

    fmt = args.format or (format_for(args.out) if args.out else "csv")
    if fmt == "parquet" and not args.out:
        raise UsageError("parquet is a binary format: give --out FILE")
    result = _run(args.paths, args)
    data = render(claims_frame(result.claims), fmt)
    if args.out:
        return _write(Path(args.out), data)
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    from rich.console import Console

    from checker.report import REPORT_FILES, WriteError, write_report
    from checker.report.folder import Stamp, write_stamp
    from checker.report.terminal import Summary, print_summary

    paths = args.paths or [_default_corpus()]
    out = Path(args.out)
    options = ("--format", args.format)
    outcome = _run_unless(paths, args, findings=True, held=partial(_stamp_held, out, options))
    if isinstance(outcome, Stamp):  # an earlier run's files over the same input stand
        shown, written, kept = outcome.summary, [out / name for name in REPORT_FILES], True
    else:
        try:
            written = write_report(outcome, out, rulebook=outcome.rulebook)
        except WriteError as error:  # none of the files was replaced
            _say("error", f"cannot write {error.filename}: {error.strerror}")
            return EXIT_OUTPUT
        shown, kept = Summary.of(outcome, findings=True), False
        if outcome.made_from:
            with contextlib.suppress(OSError):  # unstamped, the next run writes them anew
                write_stamp(out, outcome.made_from, options, shown)
    if args.format == "json":
        with (out / "report.json").open("rb") as handle:
            shutil.copyfileobj(handle, sys.stdout.buffer)
        sys.stdout.flush()
    elif not args.quiet:
        print_summary(shown, Console(), written=written, kept=kept)
    return EXIT_OK


def _stamp_held(out: Path, options: tuple[str, ...], made_from: str) -> Stamp | None:
    """The stamp of the report folder `out`, when its files are those of a run over
    `made_from` with `options`."""
    from checker.report.folder import read_stamp

    stamp = read_stamp(out)
    return stamp if stamp is not None and stamp.holds(made_from, options, out) else None


def _terms(args: argparse.Namespace) -> int:
    import json

    from rich.console import Console

    from checker.report.terminal import terms_view
    from checker.terms import terms

    result = _run(args.paths, args)
    assert result.rulebook is not None  # a run keeps the rulebook it read with
    found = terms(result.claims, result.rulebook.lexicon, top=args.top)
    if args.format == "json":
        document = {"version": 1, "terms": [term.as_dict() for term in found]}
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        sys.stdout.flush()
    else:
        Console().print(terms_view(found))
    return EXIT_OK


def _rule(args: argparse.Namespace) -> int:
    from checker.review import review_rules
    from checker.rulebook import Rulebook

    rules = sorted((*Rulebook.load().rules, *review_rules()), key=lambda rule: rule.code)
    if args.all:
        width = max(len(rule.name) for rule in rules)
        for rule in rules:
            print(f"{rule.code}  {rule.name:<{width}}  {rule.severity}")
        return EXIT_OK
    by_key = {key.upper(): rule for rule in rules for key in (rule.code, rule.name)}
    found = by_key.get(args.code.strip().upper())
    if found is None:
        near = _did_you_mean(args.code.strip().upper(), list(by_key))
        hint = f"; did you mean {by_key[near].code} ({by_key[near].name})?" if near else "."
        known = ", ".join(rule.code for rule in rules)
        raise UsageError(f"unknown rule code {args.code!r}{hint} Known codes: {known}.")
    print(f"{found.code} {found.name}\n")
    print(f"Severity: {_severity_text(found)}")
    print(f"Message:  {found.message}\n")
    print(found.explanation)
    return EXIT_OK


def _severity_text(rule: Rule) -> str:
    """The rule's severity and what changes it, worded as in docs/findings.md."""
    limits = rule.thresholds
    parts = [rule.severity]
    for level, at, ratio, points in (
        ("error", "at", limits.error_ratio, limits.error_points),
        ("info", "under", limits.info_ratio, limits.info_points),
    ):
        gaps = []
        if ratio is not None:
            gaps.append(f"×{ratio:g}")
        if points is not None:
            gaps.append(f"{points:g} point" + ("" if points == 1 else "s"))
        if gaps:
            parts.append(f"{level} {at} {' or '.join(gaps)} apart")
    if rule.weak_severity and rule.weak_severity != rule.severity:
        parts.append(f"{rule.weak_severity} when the evidence is weak")
    return "; ".join(parts)


def _default_corpus() -> Path:
    seeds = bundled_seeds()
    if not seeds.is_dir():
        raise UsageError(f"no PATH given and the bundled corpus {seeds} is missing")
    return seeds


def _write(target: Path, data: bytes) -> int:
    from checker.report.files import write_atomic

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, data)
    except OSError as error:
        _say("error", f"cannot write {target}: {error.strerror or error}")
        return EXIT_OUTPUT
    return EXIT_OK


def _run(
    paths: Sequence[str | Path], args: argparse.Namespace, *, findings: bool = False
) -> Result:
    """Run the pipeline (with `findings`, to the end) on the engine and cache `args` name, warn
    about every problem, and insist on at least one document."""
    from checker.pipeline import Result

    result = _run_unless(paths, args, findings=findings)
    assert isinstance(result, Result)
    return result


def _run_unless(
    paths: Sequence[str | Path],
    args: argparse.Namespace,
    *,
    findings: bool = False,
    held: Callable[[str], Stamp | None] | None = None,
) -> Result | Stamp:
    """`_run`; with `held`, an earlier run's report folder may stand instead
    (checker.pipeline.run_unless): then its stamp is returned, and its problems warned about."""
    from rich.console import Console

    from checker.config import find_config, load_config
    from checker.pipeline import Result, run, run_unless

    if not any(Path(path).exists() for path in paths):
        raise UsageError("no such file or directory: " + ", ".join(map(str, paths)))
    if args.scheduler and args.engine != "dask":
        raise UsageError("--scheduler needs --engine dask")
    lexicons = args.lexicons = _lexicons(args, load_config(find_config()))
    console = Console(stderr=True)
    with _DelayedProgress(console, enabled=console.is_terminal and not args.quiet) as progress:
        if held is None:
            result = run(paths, progress=progress, compare=findings, engine=_engine(args),
                         cache_dir=_cache_dir(args), lexicons=lexicons)
        else:
            result = run_unless(paths, held, progress=progress, engine=_engine(args),
                                cache_dir=_cache_dir(args), lexicons=lexicons)
    for problem in result.problems:
        _say("warning", str(problem))
    if isinstance(result, Result) and not result.documents:
        raise UsageError("no documents could be read from " + ", ".join(map(str, paths)))
    return result


def _lexicons(args: argparse.Namespace, config: ReviewConfig) -> tuple[str, ...]:
    """The config's lexicons, then those of --lexicon (the corpus folders' come first, in
    checker.pipeline.run and checker.review)."""
    return (*config.lexicon, *args.lexicon)


def _engine(args: argparse.Namespace) -> Engine:
    if args.engine == "dask":
        from checker.distributed import DaskEngine

        return DaskEngine(scheduler=args.scheduler, workers=args.jobs)
    from checker.pipeline import LocalEngine

    return LocalEngine(jobs=args.jobs)


def _cache_dir(args: argparse.Namespace) -> Path | None:
    from checker.cache import default_cache_dir

    if args.no_cache:
        return None
    return Path(args.cache_dir).expanduser() if args.cache_dir else default_cache_dir()


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

    def __call__(self, done: int, total: int) -> None:
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
            "Reading files",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=self._console,
            transient=True,
        )
        self._bar.start()
        self._task = self._bar.add_task("read", total=total)


# ---------------------------------------------------------------------------------------------
# numcheck review: exit 0 nothing at or above --fail-on, 1 findings at or above it, 2 a usage,
# configuration or tool error (a crash must not pass for findings).


def _add_review(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from checker.config import FAIL_ON, LINT_FORMATS

    review = commands.add_parser(
        "review",
        help="check drafts against the corpus, a reference table and themselves, like a linter",
        description="Check the figures of DRAFT (Markdown, text or HTML; - reads stdin) against "
        "the corpus (--against, else the configured corpus, else the bundled seeds/), a "
        "reference table of trusted figures (--reference) and the draft itself. Findings are "
        "placed at the draft's figures. Settings are read from [tool.numcheck] in "
        "pyproject.toml or a numcheck.toml; flags override them.",
        epilog="exit codes: 0 no finding at or above --fail-on; 1 findings at or above it, or "
        "fewer figures checked than --min-checked; 2 usage, configuration or tool error.\n\n"
        "examples:\n"
        "  numcheck review draft.md\n"
        "  numcheck review drafts/*.md --against ~/articles --reference refs.csv\n"
        "  numcheck review draft.md --format sarif --out numcheck.sarif\n"
        "  numcheck review draft.md --baseline numcheck-baseline.json\n"
        "suppress a finding in the draft, on its line or the line before:\n"
        "  <!-- numcheck: ignore NC102 -->",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    review.add_argument("drafts", nargs="+", metavar="DRAFT", help="a draft file; - reads stdin")
    review.add_argument("--against", action="extend", nargs="+", metavar="PATH",
                        help="the corpus: files or folders of articles")
    review.add_argument("--reference", metavar="FILE.csv",
                        help="trusted figures: entity, metric, scope, period, value, unit, "
                        "source, url")
    review.add_argument("--format", choices=LINT_FORMATS, help="output format (default: text)")
    # dest "output": the name review's callers read; --output is the old spelling, kept working.
    review.add_argument("--out", "-o", dest="output", metavar="FILE",
                        help="write to FILE, not stdout")
    review.add_argument("--output", dest="output", help=argparse.SUPPRESS)
    review.add_argument("--fail-on", choices=FAIL_ON,
                        help="the severity that fails the run (default: warning)")
    review.add_argument("--min-checked", type=_percent, metavar="PERCENT",
                        help="fail (exit 1) when fewer than PERCENT of the draft's figures "
                        "could be checked against the corpus or the reference")
    review.add_argument("--baseline", metavar="FILE",
                        help="report only findings not in FILE; a missing FILE is written "
                        "with today's findings (not in CI)")
    review.add_argument("--update-baseline", action="store_true",
                        help="write the baseline from this run's findings")
    review.add_argument("--select", action="append", metavar="CODES",
                        help="report only these codes or prefixes (comma-separated)")
    review.add_argument("--ignore", action="append", metavar="CODES",
                        help="do not report these codes or prefixes (comma-separated)")
    _add_lexicon(review)
    review.add_argument("--config", metavar="FILE", help="read settings from FILE")
    review.add_argument("--no-config", action="store_true", help="read no settings file")
    review.add_argument("--cache-dir", metavar="DIR",
                        help="where corpus claims are cached (default: $NUMCHECK_CACHE_DIR, "
                        "else the configured cache-dir, else ~/.cache/numcheck)")
    review.add_argument("--no-cache", action="store_true", help="read the corpus afresh")
    review.add_argument("--stdin-filename", metavar="NAME",
                        help="the name (and format, by suffix) of a draft read from stdin")
    review.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                        help="colour in text output (default: auto, on a terminal)")
    review.add_argument("--quiet", action="store_true", help="no progress bar")


def _review(args: argparse.Namespace) -> int:
    import traceback

    try:
        return _review_run(args)
    except (UsageError, ConfigError, KeyboardInterrupt, Terminated, BrokenPipeError):
        raise
    except Exception as error:  # exit 1 means findings: a crash must not pass for them
        _say("error", f"internal error: {type(error).__name__}: {error}")
        traceback.print_exc(file=sys.stderr)
        return EXIT_USAGE


def _review_run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from checker.cache import CACHE_ENV, default_cache_dir
    from checker.config import find_config, load_config, split_codes
    from checker.report.lint import render
    from checker.review import ReviewOptions, review

    if args.config and not Path(args.config).is_file():
        raise UsageError(f"no such config file: {args.config}")
    config = load_config(None if args.no_config else (args.config or find_config()))
    cache_dir = None
    if not args.no_cache:
        cache_dir = Path(args.cache_dir or os.environ.get(CACHE_ENV, "").strip()
                         or config.cache_dir or default_cache_dir())
    corpus = tuple(args.against or config.corpus)
    if not corpus:
        corpus = (str(_default_corpus()),)
        _say("note", f"no --against given: the draft is checked against the bundled sample "
                     f"corpus {corpus[0]}")
    options = ReviewOptions(
        corpus=corpus,
        reference=args.reference or config.reference,
        select=tuple(code for item in args.select or () for code in split_codes(item))
        or config.select,
        ignore=tuple(code for item in args.ignore or () for code in split_codes(item))
        or config.ignore,
        select_from="--select" if args.select else f"{config.path}: select",
        ignore_from="--ignore" if args.ignore else f"{config.path}: ignore",
        baseline=args.baseline or config.baseline,
        update_baseline=args.update_baseline,
        create_baseline=os.environ.get("CI", "").strip().lower() in ("", "0", "false", "no"),
        cache_dir=cache_dir,
        tolerance=config.tolerance,
        lexicons=_lexicons(args, config),
        min_checked=args.min_checked if args.min_checked is not None else config.min_checked,
    )
    drafts: list[str | tuple[str, bytes]] = []
    for draft in args.drafts:
        if draft == "-":
            drafts.append((args.stdin_filename or "<stdin>", sys.stdin.buffer.read()))
        else:
            drafts.append(draft)
    console = Console(stderr=True)
    with _DelayedProgress(console, enabled=console.is_terminal and not args.quiet) as bar:
        result = review(drafts, options, progress=bar)
    for problem in result.problems:
        _say("warning", str(problem))
    if result.baseline_written:
        _say("note", f"wrote the baseline {result.baseline_written} with {result.baselined} "
                     "finding(s); later runs report only new ones")
    fmt = args.format or config.format or "text"
    data = render(result, fmt, color=_colour(args.color) and not args.output)
    if args.output:
        if _write(Path(args.output), data) != EXIT_OK:
            return EXIT_USAGE
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    fail_on = args.fail_on or config.fail_on or "warning"
    if result.too_few_checked:
        _say("error", f"{result.checked_share:.0f}% of the draft figures could be checked, "
                      f"fewer than --min-checked {result.min_checked:g}%")
    return 1 if result.at_or_above(fail_on) or result.too_few_checked else EXIT_OK


def _percent(text: str) -> float:
    try:
        value = float(text.rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"must be from 0 to 100, not {text}")
    return value


def _colour(choice: str) -> bool:
    """Colour on a terminal, unless NO_COLOR; FORCE_COLOR forces it (no-color.org)."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"
