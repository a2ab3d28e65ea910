"""Writing files so that a reader never sees half of one, nor a mix of two runs.

Every file is written to a temporary file beside it first; only when all of them are complete
are they renamed into place, and an interrupt (SIGINT, SIGTERM) waits until the renames are
done. On an error nothing is replaced and no temporary file is left behind.

    >>> from checker.report import write_report
    >>> paths = write_report(checker.run(["seeds/"]), "reports")
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING

from checker.interrupts import deferred

if TYPE_CHECKING:
    from checker.pipeline import Result
    from checker.report.quantities import Overview
    from checker.rulebook import Rulebook

__all__ = [
    "REPORT_FILES",
    "FileWriter",
    "WriteError",
    "write_atomic",
    "write_files",
    "write_report",
    "write_report_json",
]

# The files of a report, in the order they are written and listed.
REPORT_FILES = ("facts.csv", "findings.csv", "report.json", "report.html")

# Writes one file's content into the binary file it is given.
FileWriter = Callable[[IO[bytes]], object]

_BUFFER_SIZE = 1 << 20  # the writers hand over many small pieces


class WriteError(OSError):
    """A file could not be written, so none of its set was replaced.

    `filename` is the file meant and `strerror` the reason: "cannot write {filename}: {strerror}".
    """

    def __init__(self, path: Path, error: OSError) -> None:
        super().__init__(error.errno, error.strerror or str(error), str(path))


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


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write `data` to a temporary file beside `path`, then rename it over `path` in one step."""
    target = Path(path)
    write_files({target: lambda handle: handle.write(data)})
    return target


def write_files(writers: Mapping[Path, FileWriter]) -> list[Path]:
    """Write every file with its writer, then replace them all at once; returns the paths.

    Raises WriteError, naming the file, when one cannot be written or replaced: then none is.
    (A folder in the way is found before the first rename; a rename failing after that, on an
    I/O error, would leave the files renamed before it in place.)
    """
    temporaries: dict[Path, Path] = {}
    try:
        for target, write in writers.items():
            temporary = temporaries[target] = _temporary(target)
            try:
                # open() applies the umask, unlike tempfile's private 0600 files.
                with open(temporary, "xb", buffering=_BUFFER_SIZE) as handle:
                    write(handle)
                    handle.flush()
                    os.fsync(handle.fileno())
            except OSError as error:
                raise WriteError(target, error) from error
        for target in temporaries:
            _check_replaceable(target)
        with deferred():  # an interrupt waits until the set is replaced whole
            for target, temporary in temporaries.items():
                try:
                    os.replace(temporary, target)
                except OSError as error:
                    raise WriteError(target, error) from error
    except BaseException:
        for temporary in temporaries.values():
            with contextlib.suppress(OSError):  # a read-only folder: the error above says why
                temporary.unlink(missing_ok=True)
        raise
    # the files just written tell the time (no clock read: the reports stay a function of input)
    written = max((os.stat(target).st_mtime for target in writers), default=0.0)
    for folder in {target.parent for target in writers}:
        _remove_stale_temporaries(folder, written)
    return list(writers)


# A temporary of another run still writing is young; one a killed run left behind is not.
STALE_SECONDS = 3600


def _remove_stale_temporaries(folder: Path, now: float) -> None:
    """Remove what runs killed while writing left in `folder` (".report.html.<hex>.tmp")."""
    with contextlib.suppress(OSError):
        for leftover in folder.glob(".*.tmp"):
            with contextlib.suppress(OSError):
                if _TEMPORARY.fullmatch(leftover.name) and \
                        now - leftover.stat().st_mtime > STALE_SECONDS:
                    leftover.unlink()


def _temporary(target: Path) -> Path:
    return target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")


_TEMPORARY = re.compile(r"\..+\.[0-9a-f]{12}\.tmp")


def _check_replaceable(target: Path) -> None:
    """Renaming a file over a folder fails: find out before any file of the set is replaced."""
    if target.is_dir() and not target.is_symlink():
        error = IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
        raise WriteError(target, error)
