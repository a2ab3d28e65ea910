"""Paths -> the files of a corpus: the one walk every command makes.

A folder is walked recursively, its files sorted by the path they are shown under: hidden
entries, a folder's own README, LICENSE... and other suffixes are skipped; a symbolic link out
of the folder is refused (NUMCHECK_FOLLOW_LINKS=1 follows it); a symlink loop or a second way
to a folder or file (by device and inode) is walked once. A file named explicitly is read
whatever its suffix. Strings, not Path objects, and no realpath per file: a corpus may hold
100,000 files.

Each file also gets the prefix of its documents' ids here, once: its stem, or its shown path
when two files share a stem.
"""

from __future__ import annotations

import errno
import os
import stat
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from checker.models import Problem

__all__ = [
    "FOLDER_DOCS",
    "FOLLOW_LINKS_ENV",
    "HTML_SUFFIXES",
    "JSONL_SUFFIXES",
    "JSON_SUFFIX",
    "TEXT_SUFFIXES",
    "CorpusFile",
    "corpus_files",
    "format_of",
    "id_prefixes",
    "link_out_of",
    "link_problem",
    "links_followed_anywhere",
    "not_regular_reason",
    "os_reason",
]

FOLLOW_LINKS_ENV = "NUMCHECK_FOLLOW_LINKS"
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
JSON_SUFFIX = ".json"  # an array of article objects (as JSON Lines has them a line each), or one
# What a folder walk picks up; a file named explicitly is read whatever its suffix.
TEXT_SUFFIXES = (frozenset({".txt", ".text", ".md", ".markdown", JSON_SUFFIX}) | HTML_SUFFIXES
                 | JSONL_SUFFIXES)
# Files about a folder rather than articles in it, skipped in a folder walk (by stem).
FOLDER_DOCS = frozenset({"README", "LICENSE", "CHANGELOG", "CONTRIBUTING", "NOTICE"})


@dataclass(frozen=True, slots=True)
class CorpusFile:
    """A file of the corpus: where it is and how it is shown (the given path, joined)."""

    location: str
    shown: str


def corpus_files(
    paths: Iterable[str | os.PathLike[str]], exclude: Iterable[str | os.PathLike[str]] = ()
) -> tuple[list[CorpusFile], list[Problem]]:
    """The files of the corpus at `paths`, sorted by shown path, each once (the first way to a
    file is the one read), and what could not be walked. Files in `exclude` (the drafts) are
    left out."""
    found: list[CorpusFile] = []
    problems: list[Problem] = []
    for given in paths:
        location = os.fspath(given)
        shown = PurePath(location).as_posix()
        try:
            mode = os.stat(location).st_mode
        except OSError as error:
            problems.append(Problem(shown, os_reason(error)))
            continue
        if stat.S_ISDIR(mode):
            found.extend(_walk(location, shown, problems))
        elif stat.S_ISREG(mode):
            found.append(CorpusFile(location, shown))
        else:
            problems.append(Problem(shown, not_regular_reason(mode)))
    seen = {identity for identity in map(_identity, exclude) if identity is not None}
    files: list[CorpusFile] = []
    for file in sorted(found, key=lambda f: f.shown):
        identity = _identity(file.location)
        if identity is None or identity not in seen:
            if identity is not None:
                seen.add(identity)
            files.append(file)
    return files, problems


def id_prefixes(files: Sequence[CorpusFile]) -> list[str]:
    """The prefix of each file's document ids: the file's stem, or its shown path without the
    suffix when two files share a stem."""
    names = [os.path.splitext(os.path.basename(file.location))[0] for file in files]
    stems = Counter(names)
    return [
        stem if stems[stem] == 1 else str(PurePath(file.shown).with_suffix(""))
        for stem, file in zip(names, files, strict=True)
    ]


def format_of(path: str | os.PathLike[str]) -> str:
    """The suffix that stands for a file's format: .jsonl, .json, .html, .md or .txt."""
    # PurePath(path).suffix without building a path: this runs for each of 100,000 files
    name = os.path.basename(os.fspath(path))
    dot = name.rfind(".")
    suffix = name[dot:].lower() if 0 < dot < len(name) - 1 else ""
    if suffix in JSONL_SUFFIXES:
        return ".jsonl"
    if suffix == JSON_SUFFIX:
        return JSON_SUFFIX
    if suffix in HTML_SUFFIXES:
        return ".html"
    if suffix in (".md", ".markdown"):
        return ".md"
    return ".txt"


def links_followed_anywhere() -> bool:
    """NUMCHECK_FOLLOW_LINKS=1: follow symbolic links that lead out of the corpus folder."""
    return os.environ.get(FOLLOW_LINKS_ENV, "").strip().lower() in ("1", "true", "yes")


def link_out_of(path: str, root: str) -> str:
    """Where `path` leads when it is a symbolic link out of the folder `root` (a real path),
    else "": a link to /etc/shadow inside a corpus must not put its lines into a report."""
    if not os.path.islink(path):
        return ""
    target = os.path.realpath(path)
    inside = target == root or target.startswith(root.rstrip(os.sep) + os.sep)
    return "" if inside else target


def link_problem(shown: str, target: str) -> Problem:
    return Problem(shown, f"symbolic link out of the corpus folder (to {target}): not followed; "
                          f"set {FOLLOW_LINKS_ENV}=1 to follow it")


def not_regular_reason(mode: int) -> str:
    kinds = (
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISSOCK, "a socket"),
    )
    kind = next((name for test, name in kinds if test(mode)), "")
    return f"not a regular file ({kind})" if kind else "not a regular file"


def os_reason(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "no such file or directory"
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, IsADirectoryError):
        return "is a directory"
    if error.errno == errno.ELOOP:
        return "symbolic link loop"
    return error.strerror or str(error)


def _identity(path: str | os.PathLike[str]) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_dev, status.st_ino


def _walk(folder: str, shown_root: str, problems: list[Problem]) -> list[CorpusFile]:
    found: list[CorpusFile] = []
    visited: set[tuple[int, int]] = set()

    def report(error: OSError) -> None:
        rel = os.path.relpath(error.filename or folder, folder)
        problems.append(Problem(_joined(shown_root, PurePath(rel).as_posix()),
                                os_reason(error)))

    root = os.path.realpath(folder)
    anywhere = links_followed_anywhere()

    def stays(directory: str, shown_dir: str, name: str) -> bool:
        target = "" if anywhere else link_out_of(os.path.join(directory, name), root)
        if target:
            problems.append(link_problem(_joined(shown_dir, name), target))
        return not target

    for directory, subdirs, names in os.walk(folder, onerror=report, followlinks=True):
        identity = _identity(directory)
        if identity in visited:  # a symlink loop or a second way into the same folder
            subdirs.clear()
            continue
        if identity is not None:
            visited.add(identity)
        rel_dir = os.path.relpath(directory, folder).replace(os.sep, "/")
        shown_dir = shown_root if rel_dir == "." else _joined(shown_root, rel_dir)
        subdirs[:] = sorted(name for name in subdirs
                            if not name.startswith(".") and stays(directory, shown_dir, name))
        for name in names:
            stem, suffix = os.path.splitext(name)
            if name.startswith(".") or suffix.lower() not in TEXT_SUFFIXES:
                continue
            if stem.upper() in FOLDER_DOCS or not stays(directory, shown_dir, name):
                continue
            found.append(CorpusFile(os.path.join(directory, name), _joined(shown_dir, name)))
    return found


def _joined(root: str, rel: str) -> str:
    """PurePath(root) / rel, as posix text, without building paths."""
    if root in ("", "."):
        return rel
    return root + rel if root.endswith("/") else f"{root}/{rel}"
