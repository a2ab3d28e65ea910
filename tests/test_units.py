"""The unit registry: pint's disk cache of parsed definitions is a convenience, never a cause of
failure; loading numcheck does not load dask."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from checker.units import Units


def resolved(units: Units) -> list[tuple[str, str, float]]:
    return [(c.unit, c.dimension, c.convert(1.0)) for c in
            (units.require(expr) for expr in ("万 * metric_ton", "千瓦时", "USD / kilogram"))]


def test_a_cached_registry_reads_units_as_a_fresh_one(tmp_path: Path) -> None:
    fresh = resolved(Units())
    assert resolved(Units(cache_folder=tmp_path)) == fresh  # writes the cache
    assert list(tmp_path.iterdir())
    assert resolved(Units(cache_folder=tmp_path)) == fresh  # reads it


def test_a_damaged_or_unusable_cache_is_left_aside(tmp_path: Path) -> None:
    fresh = resolved(Units())
    Units(cache_folder=tmp_path)
    for path in tmp_path.iterdir():
        path.write_bytes(b"\x80\x04garbage")
    assert resolved(Units(cache_folder=tmp_path)) == fresh
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("", "utf-8")
    assert resolved(Units(cache_folder=not_a_folder)) == fresh


def test_starting_a_review_imports_no_array_library() -> None:
    """pint imports numpy, scipy and dask whenever they are installed; numcheck's registry hides
    them (0.3 s of every command), and they stay importable (the Dask engine, pandas)."""
    code = ("import sys, checker.cli, checker.review, checker.report.lint; "
            "print(*(name in sys.modules for name in ('dask', 'numpy', 'scipy'))); "
            "import dask.base, numpy; "
            "print(*(name in sys.modules for name in ('dask', 'numpy')))")
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout.split()
    assert shown == ["False"] * 3 + ["True"] * 2
