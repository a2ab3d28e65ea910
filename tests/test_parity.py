"""English-Chinese parity: the same figure stated in both languages is read with the same
normalized value and dimension (tests/cases/parity.json, scored as bench/extraction.py does)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import extraction as bench  # noqa: E402

MIN_PAIRS = 150
GOAL = 0.97


def test_parity_suite() -> None:
    from checker.extraction import Extractor

    pairs = bench.load_parity()
    assert len(pairs) >= MIN_PAIRS
    report = bench.score_parity(pairs, bench.Extraction(Extractor()))
    failed = [f"{v.expected.surface}: {v.got}" for v in report.verdicts if not v.passed]
    assert (report.rate() or 0) >= GOAL, "\n".join(failed)


def test_parity_pairs_are_well_formed() -> None:
    ids = [pair["id"] for pair in bench.load_parity()]
    assert len(ids) == len(set(ids))
    for pair in bench.load_parity():
        assert pair["figures"], pair["id"]
        for en, zh in pair["figures"]:
            assert en in pair["en"] and zh in pair["zh"], pair["id"]
