"""numcheck: find the figures in a corpus of articles, and where they disagree.

    >>> import checker
    >>> facts = checker.extract(["seeds/"])      # the fact table, a pandas DataFrame
    >>> claims, findings = checker.check(["seeds/"])  # the fact table and where it disagrees
    >>> result = checker.run(["seeds/"])         # documents, claims, findings and problems
    >>> result = checker.run(["archive/"], engine=checker.LocalEngine(jobs=4), cache_dir="cache")
    ... # (worker processes import the main module again: run it under `if __name__ == "__main__"`)

Heavy dependencies (pandas, pint) are imported on first use, not by `import checker`.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable
from importlib import import_module
from typing import TYPE_CHECKING, Any, NamedTuple

from checker.models import Claim, Document, Finding, Mention, Problem, Sentence
from checker.version import __version__

if TYPE_CHECKING:
    import pandas as pd

    from checker.pipeline import LocalEngine, Result, run

__all__ = [
    "Checked",
    "Claim",
    "Document",
    "Finding",
    "LocalEngine",
    "Mention",
    "Problem",
    "Result",
    "Sentence",
    "__version__",
    "check",
    "extract",
    "run",
]


# Public names served from submodules that are only imported when first asked for.
_LAZY = {
    "LocalEngine": "checker.pipeline",
    "Result": "checker.pipeline",
    "run": "checker.pipeline",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


PathOrPaths = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]


def extract(paths: PathOrPaths) -> pd.DataFrame:
    """The fact table of the articles in `paths` (files or folders), one row per figure.

    Files that cannot be read are reported with a warning naming the file and the reason;
    use `run` to get them as `Problem`s instead. Raises FileNotFoundError when no path exists.
    """
    from checker.pipeline import run
    from checker.report.table import claims_frame

    result = run(_existing(paths), compare=False)
    _warn(result.problems)
    return claims_frame(result.claims)


class Checked(NamedTuple):
    """What `check` returns: the fact table and the findings, as DataFrames."""

    claims: pd.DataFrame
    findings: pd.DataFrame


def check(paths: PathOrPaths) -> Checked:
    """The fact table of the articles in `paths` and the findings: where they disagree.

    `claims` has the columns of docs/fact-table.md; `findings` one row per finding with the
    columns of docs/findings.md (`sides` lists the claim ids that agree with one another).
    Files that cannot be read are reported with a warning, as by `extract`.
    """
    from checker.pipeline import run
    from checker.report.findings import findings_frame
    from checker.report.table import claims_frame

    result = run(_existing(paths))
    _warn(result.problems)
    return Checked(claims_frame(result.claims), findings_frame(result.findings))


def _existing(paths: PathOrPaths) -> list[str | os.PathLike[str]]:
    from pathlib import Path

    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    listed = list(paths)
    if not any(Path(path).exists() for path in listed):
        raise FileNotFoundError(f"no such file or directory: {', '.join(map(str, listed))}")
    return listed


def _warn(problems: Iterable[Problem]) -> None:
    for problem in problems:
        warnings.warn(str(problem), UserWarning, stacklevel=3)
