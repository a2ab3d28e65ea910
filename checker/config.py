"""The review settings of a project: `[tool.numcheck]` in pyproject.toml, or a numcheck.toml.

The file is looked for from the current folder upwards: the first folder holding a numcheck.toml
(its keys at the top level) or a pyproject.toml with a `[tool.numcheck]` table wins. Paths in
the file are relative to the folder it is in. Command-line flags override the file.

    [tool.numcheck]
    corpus = ["articles/"]             # what drafts are checked against (default: seeds/)
    reference = "data/reference.csv"   # trusted figures
    select = ["NC1", "NC2"]            # codes or code prefixes; default: every code
    ignore = ["NC106"]
    fail-on = "warning"                # error | warning | info | never
    format = "text"                    # text | json | jsonl | sarif | github | junit
    baseline = "numcheck-baseline.json"
    cache-dir = ".numcheck-cache"
    lexicon = ["rare-earths", "words/my-topic.toml"]   # packs by name, lexicon files by path

    [tool.numcheck.tolerance]          # overrides of rules/comparison.toml [tolerance]
    approx-relative = 0.05
    approx-points = 1.0
    arithmetic-relative = 0.05

A numcheck.toml in a corpus folder says what the corpus is about: its `lexicon` applies whenever
that folder is read (`corpus_lexicons`), wherever numcheck runs; the bundled seeds/ name the
rare-earths pack so.

A key the file should not have, or a value of the wrong type, is a ConfigError naming the file
and the line, never ignored.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from checker.errors import ConfigError, line_of, load_toml

__all__ = [
    "CONFIG_FILE",
    "FAIL_ON",
    "LINT_FORMATS",
    "TOLERANCES",
    "ReviewConfig",
    "corpus_lexicons",
    "find_config",
    "is_pack_name",
    "load_config",
    "split_codes",
]

CONFIG_FILE = "numcheck.toml"
PYPROJECT = "pyproject.toml"
FAIL_ON = ("error", "warning", "info", "never")
LINT_FORMATS = ("text", "json", "jsonl", "sarif", "github", "junit")
# Config key -> the field of checker.rulebook.Settings it overrides.
TOLERANCES: Mapping[str, str] = MappingProxyType({
    "approx-relative": "approx_relative",
    "approx-points": "approx_points",
    "arithmetic-relative": "arithmetic_relative",
})
_KEYS = ("corpus", "reference", "select", "ignore", "fail-on", "format", "baseline", "cache-dir",
         "tolerance", "lexicon", "min-checked")
# A pack is named by a word ("rare-earths"); anything else in a lexicon list is a file's path.
_PACK_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


@dataclass(frozen=True, slots=True)
class ReviewConfig:
    """Settings from a config file, paths already made absolute; empty when there is none."""

    path: str = ""  # the file read, "" for none
    corpus: tuple[str, ...] = ()
    reference: str = ""
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str = ""
    format: str = ""
    baseline: str = ""
    cache_dir: str = ""
    tolerance: Mapping[str, float] = field(default_factory=dict)  # Settings field -> value
    lexicon: tuple[str, ...] = ()  # pack names, and absolute paths of lexicon files
    min_checked: float | None = None  # the share of draft figures (0-100) that must be checked


def is_pack_name(given: str | os.PathLike[str]) -> bool:
    """Whether a lexicon entry names a pack of rules/packs/ rather than a file."""
    return isinstance(given, str) and _PACK_NAME.fullmatch(given) is not None


def corpus_lexicons(paths: Iterable[str | os.PathLike[str]]) -> tuple[str, ...]:
    """The lexicons named by the corpus itself: the `lexicon` of a numcheck.toml in each folder
    read (for a file, its folder), in the order of `paths`."""
    found: dict[str, None] = {}
    for given in paths:
        path = Path(given)
        own = (path if path.is_dir() else path.parent) / CONFIG_FILE
        if own.is_file():
            found.update(dict.fromkeys(load_config(own).lexicon))
    return tuple(found)


def find_config(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The config file that applies in `start` (default: the current folder), or None."""
    folder = Path(start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        own = candidate / CONFIG_FILE
        if own.is_file():
            return own
        pyproject = candidate / PYPROJECT
        if pyproject.is_file() and "numcheck" in load_toml(pyproject).get("tool", {}):
            return pyproject
    return None


def load_config(path: str | os.PathLike[str] | None) -> ReviewConfig:
    """Read a numcheck.toml or the `[tool.numcheck]` table of a pyproject.toml."""
    if path is None:
        return ReviewConfig()
    path = Path(path)
    data = load_toml(path)
    if path.name == PYPROJECT:
        table = data.get("tool", {}).get("numcheck", {})
        where = "[tool.numcheck]"
    else:
        table, where = data, path.name
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table", path)
    return _parsed(table, path, where)


def _parsed(table: Mapping[str, Any], path: Path, where: str) -> ReviewConfig:
    for key in table:
        if key not in _KEYS:
            known = ", ".join(_KEYS)
            raise ConfigError(f"unknown key {key!r} in {where}; known keys: {known}", path,
                              line_of(path, key))
    root = path.resolve().parent
    read = _Reader(table, path)
    return ReviewConfig(
        path=str(path),
        corpus=tuple(_absolute(root, item) for item in read.strings("corpus")),
        reference=_absolute(root, read.string("reference")) if "reference" in table else "",
        select=read.codes("select"),
        ignore=read.codes("ignore"),
        fail_on=read.choice("fail-on", FAIL_ON),
        format=read.choice("format", LINT_FORMATS),
        baseline=_absolute(root, read.string("baseline")) if "baseline" in table else "",
        cache_dir=_absolute(root, read.string("cache-dir")) if "cache-dir" in table else "",
        tolerance=read.tolerance(),
        lexicon=tuple(item if is_pack_name(item) else _absolute(root, item)
                      for item in read.strings("lexicon")),
        min_checked=read.percent("min-checked"),
    )


def _absolute(root: Path, given: str) -> str:
    try:
        path = Path(given).expanduser()
    except RuntimeError:  # "~nobody/x": no such user; the name is read as written
        path = Path(given)
    return str(root / path)


@dataclass(frozen=True, slots=True)
class _Reader:
    """Typed access to the table, with errors that name the key and its line."""

    table: Mapping[str, Any]
    path: Path

    def fail(self, key: str, reason: str) -> ConfigError:
        return ConfigError(f"{key}: {reason}", self.path, line_of(self.path, key))

    def string(self, key: str) -> str:
        value = self.table.get(key, "")
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "must be a non-empty string")
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(key, "must be a list of strings")
        return tuple(value)

    def codes(self, key: str) -> tuple[str, ...]:
        """Codes as a list, or one string of codes separated by commas or spaces."""
        return tuple(code for item in self.strings(key) for code in split_codes(item))

    def choice(self, key: str, choices: Sequence[str]) -> str:
        if key not in self.table:
            return ""
        value = self.table[key]
        if value not in choices:
            raise self.fail(key, f"must be one of {', '.join(choices)}, not {value!r}")
        return str(value)

    def percent(self, key: str) -> float | None:
        if key not in self.table:
            return None
        value = self.table[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
            raise self.fail(key, f"must be a number from 0 to 100, not {value!r}")
        return float(value)

    def tolerance(self) -> Mapping[str, float]:
        given = self.table.get("tolerance", {})
        if not isinstance(given, dict):
            raise self.fail("tolerance", "must be a table")
        values = {}
        for key, value in given.items():
            if key not in TOLERANCES:
                known = ", ".join(TOLERANCES)
                raise self.fail(key, f"unknown tolerance; known: {known}")
            # "inf" or "nan" would switch comparison off without a word: a bounded number only
            most = 1.0 if key.endswith("-relative") else 100.0
            if (isinstance(value, bool) or not isinstance(value, int | float)
                    or not 0 <= value <= most):
                raise self.fail(key, f"must be a number from 0 to {most:g}, not {value!r}")
            values[TOLERANCES[key]] = float(value)
        return MappingProxyType(values)


def split_codes(text: str) -> list[str]:
    """ "NC101, NC102 NC2" -> ["NC101", "NC102", "NC2"]."""
    return [code.strip().upper() for code in text.replace(",", " ").split() if code.strip()]
