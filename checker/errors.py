"""Configuration that cannot be used: one error type, naming the file and the line.

Everything in rules/ is read through `load_toml` (tomllib, never a loader that can run code),
so a typo in a rule file stops the run with `rules/codes/NC101.toml:3: ...`, not a traceback
or a wrong report.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any

__all__ = ["ConfigError", "line_of", "load_toml", "printable"]

# Control characters, line breaks included: shown escaped wherever a file name or a title meets
# a terminal or a one-line field, so a name cannot move the cursor, colour the screen or break a
# line.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")

# tomllib (before Python 3.14) puts the position only in its message.
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)")
_TOML_END = re.compile(r"\s*\(at end of document\)")


class ConfigError(ValueError):
    """A configuration file that cannot be used: where (file and line, when known) and why."""

    def __init__(
        self, reason: str, path: str | os.PathLike[str] = "", line: int | None = None
    ) -> None:
        self.reason = reason
        self.path = os.fspath(path)
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        if not self.path:
            return self.reason
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.reason}"


def load_toml(path: str | os.PathLike[str]) -> dict[str, Any]:
    """A TOML file as a dict; a missing or malformed file is a ConfigError with its line."""
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        position = _TOML_POSITION.search(message)
        if position is None:
            line = _line_count(path) if _TOML_END.search(message) else None
            reason = _TOML_END.sub("", message)
        else:
            line = int(position.group(1))
            reason = f"{_TOML_POSITION.sub('', message)} (column {position.group(2)})"
        raise ConfigError(f"invalid TOML: {reason}", path, line) from error
    except UnicodeDecodeError as error:
        raise ConfigError("invalid TOML: not UTF-8 text", path) from error
    except OSError as error:
        raise ConfigError(f"cannot read: {error.strerror or error}", path) from error


def line_of(path: str | os.PathLike[str], *needles: str) -> int | None:
    """The first line of a text file holding every one of `needles`, for an error message."""
    try:
        lines = Path(path).read_text("utf-8", errors="replace").splitlines()
    except OSError:
        return None
    for number, line in enumerate(lines, start=1):
        if all(needle in line for needle in needles):
            return number
    return None


def _line_count(path: str | os.PathLike[str]) -> int | None:
    try:
        return max(1, len(Path(path).read_bytes().splitlines()))
    except OSError:
        return None


def printable(text: str) -> str:
    """`text` with its control characters and line breaks escaped ("\\x1b", "\\x0a")."""
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)
