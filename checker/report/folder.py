"""The files of a report folder: facts.csv, findings.csv, report.json and report.html, written
all or none (checker.report.files), and the stamp saying what they were made from.

    >>> from checker.report import write_report
    >>> paths = write_report(checker.run(["seeds/"]), "reports")

The stamp (STAMP_FILE, written last) holds the digest of the run's input (`Result.made_from`),
the size, time and inode of each report file as written, and what the terminal shows of the run
(its problems among it): a run over the same input that finds the files as they were written
need not make them again (`numcheck report` with a cache folder, see
checker.pipeline.run_unless).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from checker.models import Problem
from checker.report.files import FileWriter, WriteError, write_atomic, write_files

if TYPE_CHECKING:
    from checker.pipeline import Result
    from checker.report.quantities import Overview
    from checker.report.terminal import Summary
    from checker.rulebook import Rulebook

__all__ = [
    "REPORT_FILES",
    "STAMP_FILE",
    "Stamp",
    "read_stamp",
    "write_report",
    "write_report_json",
    "write_stamp",
]

# The files of a report, in the order they are written and listed.
REPORT_FILES = ("facts.csv", "findings.csv", "report.json", "report.html")
STAMP_FILE = ".numcheck-stamp.json"  # hidden: a corpus walk skips it, as the folder may be inside


def write_report(
    result: Result, out_dir: str | os.PathLike[str], *, rulebook: Rulebook | None = None
) -> list[Path]:
    """Write the files of REPORT_FILES for a run into `out_dir` (created if need be), all of
    them or, on an error (WriteError), none: the previous report stays as it was. `rulebook`
    is the run's (default: the result's, else the one a run over the corpus folder uses)."""
    from checker.report.findings import write_findings_csv
    from checker.report.html import stream_html
    from checker.report.quantities import default_rulebook, overview
    from checker.report.table import write_claims_csv

    folder = Path(out_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise WriteError(folder, error) from error

    rulebook = rulebook or result.rulebook or default_rulebook(result.documents)
    quantities = overview(result, rulebook, result.sources or None)
    writers: dict[str, FileWriter] = {
        "facts.csv": lambda handle: write_claims_csv(result.claims, handle),
        "findings.csv": lambda handle: write_findings_csv(result.findings, handle),
        "report.json": lambda handle: write_report_json(result, quantities, handle),
        "report.html": lambda handle: stream_html(
            result, handle, rulebook=rulebook, quantities=quantities
        ),
    }
    # the page is written beside the tables, by a fork that shares the claims in memory
    return write_files({folder / name: writers[name] for name in REPORT_FILES},
                       apart=(folder / "report.html",))


def write_report_json(result: Result, quantities: Overview, handle: IO[bytes]) -> None:
    """report.json: the fact table, the findings and the coverage as checker.report.findings
    writes them, then "agreements", "timelines" and "run" (checker.report.quantities)."""
    from checker.report.findings import write_report_json as write_findings
    from checker.report.table import dumps

    closing = b"\n}\n"
    tail = _HeldBack(handle, len(closing))
    write_findings(result.claims, result.findings, tail)
    if tail.held != closing:
        raise ValueError("report.json does not end as expected")
    for name, value in quantities.records().items():
        handle.write(b',\n  "%s": ' % name.encode() + dumps(value, level=1))
    handle.write(closing)


class _HeldBack:
    """A file that passes on everything written to it but its last `size` bytes."""

    def __init__(self, handle: IO[bytes], size: int) -> None:
        self.handle, self.size, self.held = handle, size, b""

    def write(self, data: bytes | memoryview) -> int:
        if len(data) < self.size:
            joined = self.held + data
        else:  # a large piece (a batch of records) is passed on without a copy
            self.handle.write(self.held)
            joined = memoryview(data)
        self.handle.write(joined[: -self.size])
        self.held = bytes(joined[-self.size :])
        return len(data)


@dataclass(frozen=True, slots=True)
class Stamp:
    """What the report files of a folder were made from, and how they were left."""

    made_from: str  # Result.made_from of the run that wrote them
    options: tuple[str, ...]  # the options of the command that wrote them
    files: tuple[tuple[str, int, int, int], ...]  # (name, size, mtime_ns, inode) of each
    summary: Summary  # what the terminal showed of the run

    @property
    def problems(self) -> tuple[Problem, ...]:
        """What the run warned about."""
        return self.summary.problems

    def holds(
        self, made_from: str, options: tuple[str, ...], out_dir: str | os.PathLike[str]
    ) -> bool:
        """Whether the folder's report files are those of a run over `made_from` with
        `options`: made by it and, by their size, time and inode, not replaced or edited
        since."""
        if not made_from or (made_from, options) != (self.made_from, self.options):
            return False
        states = _file_states(Path(out_dir))
        return bool(states) and states == self.files


def write_stamp(
    out_dir: str | os.PathLike[str],
    made_from: str,
    options: tuple[str, ...],
    summary: Summary,
) -> None:
    """Stamp the report files just written into `out_dir` as made by a run over `made_from`
    with `options`, which the terminal showed as `summary`."""
    folder = Path(out_dir)
    record = {
        "made_from": made_from,
        "options": list(options),
        "files": _file_states(folder),
        "summary": summary.to_json(),
    }
    write_atomic(folder / STAMP_FILE, json.dumps(record, ensure_ascii=False).encode())


def read_stamp(out_dir: str | os.PathLike[str]) -> Stamp | None:
    """The stamp of `out_dir`; None when there is none, or it cannot be read."""
    from checker.report.terminal import Summary  # rich, for a run that prints

    try:
        record = json.loads((Path(out_dir) / STAMP_FILE).read_bytes())
        return Stamp(
            made_from=record["made_from"],
            options=tuple(record["options"]),
            files=tuple((name, size, mtime, inode) for name, size, mtime, inode in
                        record["files"]),
            summary=Summary.from_json(record["summary"]),
        )
    except (OSError, ValueError, KeyError, TypeError):  # a stamp of another making: a full run
        return None


def _file_states(folder: Path) -> tuple[tuple[str, int, int, int], ...]:
    """(name, size, mtime_ns, inode) of each report file; () when one is missing."""
    states = []
    for name in REPORT_FILES:
        try:
            status = os.stat(folder / name)
        except OSError:
            return ()
        states.append((name, status.st_size, status.st_mtime_ns, status.st_ino))
    return tuple(states)
