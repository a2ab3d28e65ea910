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


def test_starting_numcheck_does_not_import_dask() -> None:
    """pint imports dask whenever it is installed; numcheck's registry hides it (0.17 s of every
    command), and dask stays importable for the Dask engine."""
    code = ("import sys, checker.review, checker.units; print('dask' in sys.modules); "
            "import dask.base; print('dask' in sys.modules)")
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout.split()
    assert shown == ["False", "True"]
