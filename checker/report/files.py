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
import sys
import threading
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING

from checker.interrupts import deferred

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

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

    def __reduce__(self) -> tuple[type[WriteError], tuple[Path, OSError]]:
        # raised in the process writing files apart (write_files) and again in its parent
        return WriteError, (Path(self.filename), OSError(self.errno, self.strerror))


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write `data` to a temporary file beside `path`, then rename it over `path` in one step."""
    target = Path(path)
    write_files({target: lambda handle: handle.write(data)})
    return target


def write_files(writers: Mapping[Path, FileWriter], *, apart: Collection[Path] = ()) -> list[Path]:
    """Write every file with its writer, then replace them all at once; returns the paths.

    The files of `apart` are written by a copy of this process (a fork) while this one writes
    the others, where a fork is safe enough: on Linux, from a process running no other Python
    thread (a fork copies only the thread that makes it, and a lock another thread held stays
    held in the copy; threads of native libraries, numpy's, hold none the writers use; Python
    3.12 and later warn of them all the same). Elsewhere they are written here, in their turn.

    Raises WriteError, naming the file, when one cannot be written or replaced: then none is.
    (A folder in the way is found before the first rename; a rename failing after that, on an
    I/O error, would leave the files renamed before it in place.)
    """
    temporaries = {target: _temporary(target) for target in writers}
    forked = [target for target in writers if target in apart] if _can_fork() else []
    child: _Child | None = None
    try:
        if forked:
            child = _Child([(writers[t], temporaries[t], t) for t in forked])
            try:
                child.start()
            except OSError:  # no process could be made (out of memory): they are written here
                child, forked = None, []
        for target, write in writers.items():
            if target not in forked:
                _write(write, temporaries[target], target)
        if child is not None:
            child.wait()
        for target in temporaries:
            _check_replaceable(target)
        with deferred():  # an interrupt waits until the set is replaced whole
            for target, temporary in temporaries.items():
                try:
                    os.replace(temporary, target)
                except OSError as error:
                    raise WriteError(target, error) from error
    except BaseException:
        try:
            if child is not None:
                child.stop()
        finally:
            for temporary in temporaries.values():
                with contextlib.suppress(OSError):  # a read-only folder: the error above says why
                    temporary.unlink(missing_ok=True)
        raise
    # the files just written tell the time (no clock read: the reports stay a function of input)
    written = max((os.stat(target).st_mtime for target in writers), default=0.0)
    for folder in {target.parent for target in writers}:
        _remove_stale_temporaries(folder, written)
    return list(writers)


def _write(write: FileWriter, temporary: Path, target: Path) -> None:
    try:
        # open() applies the umask, unlike tempfile's private 0600 files.
        with open(temporary, "xb", buffering=_BUFFER_SIZE) as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        raise WriteError(target, error) from error


def _can_fork() -> bool:
    return sys.platform == "linux" and threading.active_count() == 1


class _Child:
    """Files written by a fork of this process; what went wrong there is raised by `wait`."""

    def __init__(self, files: list[tuple[FileWriter, Path, Path]]) -> None:
        import multiprocessing

        self._first = files[0][2]
        context = multiprocessing.get_context("fork")
        self._outcome, self._sent = context.Pipe(duplex=False)
        self._process = context.Process(target=_write_all, args=(files, self._sent),
                                        name="numcheck-writer")

    def start(self) -> None:
        try:
            self._process.start()
        finally:
            self._sent.close()  # the child's end stays open there alone: its exit ends the pipe

    def wait(self) -> None:
        try:
            error = self._outcome.recv()
        except EOFError:  # it ended without a word: killed, or crashed
            error = None
        except Exception as unreadable:  # an error sent that cannot be made again here
            error = RuntimeError(f"writing {self._first}: {unreadable}")
        self._end()
        if error is None and self._process.exitcode:
            ended = ChildProcessError(f"its writer ended with exit code {self._process.exitcode}")
            error = WriteError(self._first, ended)
        if error is not None:
            raise error

    def stop(self) -> None:
        """End it at once: what it writes is thrown away."""
        if self._process.is_alive():
            self._process.kill()
        self._end()

    def _end(self) -> None:
        self._process.join()
        self._outcome.close()


def _write_all(files: list[tuple[FileWriter, Path, Path]], outcome: Connection) -> None:
    """In the fork: write the files, then say what went wrong, if anything."""
    import traceback

    try:
        for write, temporary, target in files:
            _write(write, temporary, target)
    except BaseException as error:  # raised again by the parent, with where it was raised here
        error.add_note("".join(traceback.format_exception(error)).rstrip())
        try:
            outcome.send(error)
        except Exception:  # an error that cannot be sent: its text
            outcome.send(RuntimeError(f"{type(error).__name__}: {error}"))
    else:
        outcome.send(None)


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
