"""The hand-checked gold of every figure in seeds/, asserted through the whole pipeline."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from checker.pipeline import run

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
GOLD = json.loads((ROOT / "tests" / "cases" / "seeds_gold.json").read_text("utf-8"))
REQUIRED_RATE = 0.98


def _span(file: str, surface: str, occurrence: int) -> tuple[int, int]:
    text = (SEEDS / file).read_text("utf-8")
    start = -1
    for _ in range(occurrence):
        start = text.find(surface, start + 1)
        assert start >= 0, f"{file}: {surface!r} occurrence {occurrence} not in the file"
    return start, start + len(surface)


@pytest.fixture(scope="module")
def claims_by_file():
    result = run([SEEDS], compare=False)
    by_file = defaultdict(list)
    for claim in result.claims:
        by_file[Path(claim.path).name].append(claim)
    return by_file


def _overlapping(claims, start: int, end: int):
    hits = [c for c in claims if c.start < end and start < c.end]
    return max(hits, key=lambda c: min(c.end, end) - max(c.start, start), default=None)


def _agrees(claim, figure: dict) -> bool:
    if claim is None or claim.unit != figure["unit"] or claim.qualifier != figure["qualifier"]:
        return False
    if figure["unit"] == "date":
        return claim.iso == figure["value"]
    return claim.value == pytest.approx(figure["value"], rel=1e-6)


def test_gold_figures_are_extracted_right(claims_by_file):
    misses = []
    for figure in GOLD["figures"]:
        start, end = _span(figure["file"], figure["surface"], figure["occurrence"])
        claim = _overlapping(claims_by_file[figure["file"]], start, end)
        if not _agrees(claim, figure):
            got = claim and (claim.surface, claim.iso or claim.value, claim.unit, claim.qualifier)
            misses.append(
                f"{figure['file']}: {figure['surface']!r} "
                f"want {figure['value']} {figure['unit']} {figure['qualifier']}, got {got}"
            )
    rate = 1 - len(misses) / len(GOLD["figures"])
    assert rate >= REQUIRED_RATE, f"{rate:.1%} right; misses:\n" + "\n".join(misses)


def test_not_figures_stay_out(claims_by_file):
    wrong = []
    for item in GOLD["not_figures"]:
        text = (SEEDS / item["file"]).read_text("utf-8")
        for m in re.finditer(re.escape(item["surface"]), text):
            claim = _overlapping(claims_by_file[item["file"]], m.start(), m.end())
            if (
                claim is not None
                and claim.dimension != "date"
                or (claim is not None and item["surface"] in claim.surface)
            ):
                wrong.append(f"{item['file']}: {item['surface']!r} read as {claim.surface!r}")
    assert not wrong, "\n".join(wrong)


def test_no_citation_marker_reaches_the_fact_table(claims_by_file):
    for file, claims in claims_by_file.items():
        text = (SEEDS / file).read_text("utf-8")
        markers = [m.span() for m in re.finditer(r"\[\d+\]", text)]
        assert markers, f"{file} has no markers: the test would prove nothing"
        for claim in claims:
            assert "[" not in claim.surface
            assert not any(claim.start < end and start < claim.end for start, end in markers), (
                f"{file}: {claim.surface!r} overlaps a citation marker"
            )
