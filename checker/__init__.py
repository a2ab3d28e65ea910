"""numcheck: find the figures in a corpus of articles, and where they disagree.

    >>> import checker
    >>> facts = checker.extract(["seeds/"])      # the fact table, a pandas DataFrame
    >>> result = checker.run(["seeds/"])         # documents, claims and problems

Heavy dependencies (pandas, pint) are imported on first use, not by `import checker`.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable
from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from checker.models import Claim, Document, Mention, Problem, Sentence

if TYPE_CHECKING:
    import pandas as pd

    from checker.pipeline import Result, run

__all__ = [
    "Claim",
    "Document",
    "Mention",
    "Problem",
    "Result",
    "Sentence",
    "__version__",
    "extract",
    "run",
]

try:
    __version__ = version("numcheck")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

# Public names served from submodules that are only imported when first asked for.
_LAZY = {"Result": "checker.pipeline", "run": "checker.pipeline"}


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
    from pathlib import Path

    from checker.pipeline import run
    from checker.report.table import claims_frame

    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    paths = list(paths)
    if not any(Path(path).exists() for path in paths):
        raise FileNotFoundError(f"no such file or directory: {', '.join(map(str, paths))}")
    result = run(paths)
    for problem in result.problems:
        warnings.warn(str(problem), UserWarning, stacklevel=2)
    return claims_frame(result.claims)
