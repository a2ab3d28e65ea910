"""Same quantity on any topic (issue 12): the planted pairs of tests/cases/topics_gold.json.

The corpus tests/fixtures/topics holds articles on electric-car sales, city populations, company
results and public-health counts, in English and Chinese, none of them in rules/lexicon.toml.
bench/topics.py scores a run against the gold pairs; `.venv/bin/python bench/topics.py` prints
the misses.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import topics  # noqa: E402

FOUND_AT_LEAST = 0.95


@pytest.fixture(scope="module")
def scored() -> dict[str, Any]:
    return topics.score()


def _pairs(rows: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"#{row['pair']} {row['note']} ({row['category']}): "
        f"{row['a']['file']} {row['a']['surface']!r} / {row['b']['file']} {row['b']['surface']!r}"
        for row in rows
    )


def test_every_gold_figure_is_in_the_fact_table(scored: dict[str, Any]) -> None:
    missing = scored["gold_figures_not_found"]
    assert not missing, "gold figures with no claim:\n" + "\n".join(
        f"pair {m['pair']}{m['side']}: {m['file']}: {m['surface']!r}" for m in missing
    )


def test_contradictions_are_found(scored: dict[str, Any]) -> None:
    tally = scored["contradictions"]
    assert tally["total"] >= 30
    assert tally["hit"] >= FOUND_AT_LEAST * tally["total"], (
        f"{tally['hit']}/{tally['total']} contradictions found; missed:\n"
        + _pairs(scored["missed_contradictions"])
    )


def test_agreeing_restatements_are_not_flagged(scored: dict[str, Any]) -> None:
    assert scored["agreeing_flagged"]["total"] >= 30
    assert not scored["flagged_agreeing"], "agreeing pairs flagged:\n" + _pairs(
        scored["flagged_agreeing"]
    )


def test_distinct_quantities_are_not_compared(scored: dict[str, Any]) -> None:
    assert not scored["compared_distinct"], "figures of different quantities compared:\n" + _pairs(
        scored["compared_distinct"]
    )
