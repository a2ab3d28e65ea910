"""Where the package's data is: rules/ and the bundled seeds/ corpus.

In a source checkout (and an editable install) they are the folders at the top of the repository,
beside the package; a built wheel installs them inside it, as checker/_rules and checker/_seeds
(see [tool.setuptools.package-dir] in pyproject.toml).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["RULES_DIR", "SEEDS_DIR"]

_PACKAGE = Path(__file__).resolve().parent


def _data(name: str) -> Path:
    installed = _PACKAGE / f"_{name}"
    return installed if installed.is_dir() else _PACKAGE.parent / name


RULES_DIR = _data("rules")
SEEDS_DIR = _data("seeds")
