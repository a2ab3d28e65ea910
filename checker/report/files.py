"""Writing files so that a reader never sees half of one, nor a mix of two runs.

Every file is written to a temporary file beside it first; only when all of them are complete
are they renamed into place, and an interrupt (SIGINT, SIGTERM) waits until the renames are
done. On an error nothing is replaced and no temporary file is left behind.

    >>> from checker.report.files import write_atomic
    >>> write_atomic("reports/notes.txt", b"...")
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO

from checker.interrupts import deferred

__all__ = ["FileWriter", "WriteError", "write_atomic", "write_files"]

# Writes one file's content into the binary file it is given.
FileWriter = Callable[[IO[bytes]], object]

_BUFFER_SIZE = 1 << 20  # the writers hand over many small pieces


class WriteError(OSError):
    """A file could not be written, so none of its set was replaced.

    `filename` is the file meant and `strerror` the reason: "cannot write {filename}: {strerror}".
    """

    def __init__(self, path: Path, error: OSError) -> None:
        super().__init__(error.errno, error.strerror or str(error), str(path))


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
