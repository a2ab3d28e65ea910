"""A baseline: the findings a draft already had, so that later reviews report only new ones.

Each finding is known by a fingerprint that survives unrelated edits: the draft's path, the code,
the quantity's key and period, and the draft's figures as written; never the line, so adding a
paragraph above a figure does not make its finding new. The file lists the fingerprints with the
finding's code, place and message for people reading it in a diff; a fingerprint listed twice
stands for two findings (the same slip in two places).

    {"version": 1, "findings": [{"fingerprint": "…", "code": "NC102", "path": "drafts/a.md",
      "quantity": "Australia · exports · …", "draft": "5.4 million tons", "message": "…"}]}
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, Protocol, TypeVar

from checker.errors import ConfigError

__all__ = [
    "BASELINE_VERSION",
    "Baselined",
    "Entry",
    "baseline_bytes",
    "fingerprint",
    "read_baseline",
    "split_known",
    "write_baseline",
]

BASELINE_VERSION = 1


def fingerprint(path: str, code: str, key: str, period: str, figures: Iterable[str]) -> str:
    """Stable across edits elsewhere in the draft: no line, no column, no corpus."""
    parts = [path, code, key, period, *sorted(figures)]
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=12).hexdigest()


class Entry(Protocol):
    """What a baseline records of a finding."""

    @property
    def fingerprint(self) -> str: ...
    @property
    def code(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def quantity(self) -> str: ...
    @property
    def draft_figures(self) -> str: ...


_Found = TypeVar("_Found", bound=Entry)


def read_baseline(path: str | os.PathLike[str]) -> Counter[str]:
    """The fingerprints of a baseline file, with how many findings each stands for."""
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except OSError as error:
        raise ConfigError(f"cannot read the baseline: {error.strerror or error}", path) from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ConfigError(f"the baseline is not valid JSON: {error}", path) from error
    except RecursionError as error:
        raise ConfigError("the baseline is not valid JSON: nested too deeply", path) from error
    version = data.get("version") if isinstance(data, dict) else None
    if type(version) is not int or version != BASELINE_VERSION:  # true == 1, but is no version
        raise ConfigError(f"not a numcheck baseline (version {BASELINE_VERSION})", path)
    entries = data.get("findings")
    if not isinstance(entries, list) or not all(
        isinstance(entry, dict) and isinstance(entry.get("fingerprint"), str) for entry in entries
    ):
        raise ConfigError('"findings" must be a list of objects with a "fingerprint"', path)
    return Counter(entry["fingerprint"] for entry in entries)


def baseline_bytes(findings: Iterable[Entry]) -> bytes:
    entries = sorted(
        (
            {
                "fingerprint": found.fingerprint,
                "code": found.code,
                "path": found.path,
                "quantity": found.quantity,
                "draft": found.draft_figures,
                "message": found.message,
            }
            for found in findings
        ),
        key=lambda entry: (entry["path"], entry["code"], entry["fingerprint"], entry["message"]),
    )
    document = {"version": BASELINE_VERSION, "findings": entries}
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_baseline(path: str | os.PathLike[str], findings: Iterable[Entry]) -> None:
    """Write the baseline atomically (a temporary file beside it, then a rename)."""
    from checker.report.table import write_atomic

    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, baseline_bytes(findings))
    except OSError as error:
        raise ConfigError(f"cannot write the baseline: {error.strerror or error}", path) from error


@dataclass(frozen=True, slots=True)
class Baselined(Generic[_Found]):
    new: tuple[_Found, ...]
    known: int


def split_known(findings: Sequence[_Found], baseline: Counter[str]) -> Baselined[_Found]:
    """The findings the baseline does not list; each listed fingerprint covers one finding."""
    left = Counter(baseline)
    new = []
    for found in findings:
        if left[found.fingerprint] > 0:
            left[found.fingerprint] -= 1
        else:
            new.append(found)
    return Baselined(tuple(new), len(findings) - len(new))
