"""The files of a report folder: facts.csv, findings.csv, report.json and report.html, written
all or none (checker.report.files).

    >>> from checker.report import write_report
    >>> paths = write_report(checker.run(["seeds/"]), "reports")
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, TYPE_CHECKING

from checker.report.files import FileWriter, WriteError, write_files

if TYPE_CHECKING:
    from checker.pipeline import Result
    from checker.report.quantities import Overview
    from checker.rulebook import Rulebook

__all__ = ["REPORT_FILES", "write_report", "write_report_json"]

# The files of a report, in the order they are written and listed.
REPORT_FILES = ("facts.csv", "findings.csv", "report.json", "report.html")


def write_report(
    result: Result, out_dir: str | os.PathLike[str], *, rulebook: Rulebook | None = None
) -> list[Path]:
    """Write the files of REPORT_FILES for a run into `out_dir` (created if need be), all of
    them or, on an error (WriteError), none: the previous report stays as it was. `rulebook`
    is the run's (default: the one a run over the corpus folder uses)."""
    from checker.report.findings import write_findings_csv
    from checker.report.html import stream_html
    from checker.report.quantities import default_rulebook, overview
    from checker.report.table import write_claims_csv

    folder = Path(out_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise WriteError(folder, error) from error

    rulebook = rulebook or default_rulebook(result.documents)
    quantities = overview(result, rulebook, result.sources or None)
    writers: dict[str, FileWriter] = {
        "facts.csv": lambda handle: write_claims_csv(result.claims, handle),
        "findings.csv": lambda handle: write_findings_csv(result.findings, handle),
        "report.json": lambda handle: write_report_json(result, quantities, handle),
        "report.html": lambda handle: stream_html(
            result, handle, rulebook=rulebook, quantities=quantities
        ),
    }
    return write_files({folder / name: writers[name] for name in REPORT_FILES})


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

    def write(self, data: bytes) -> int:
        joined = self.held + data
        self.handle.write(joined[: -self.size])
        self.held = joined[-self.size :]
        return len(data)
