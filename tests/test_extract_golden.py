"""Golden extraction cases: every figure listed in tests/cases/extract_<language>.json must be
extracted with the stated value, unit and qualifier, and nothing listed as absent may be."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any

import pytest

from checker.models import DIMENSIONS, QUALIFIERS

CASES_DIR = Path(__file__).parent / "cases"
LANGS = ("en", "zh", "ru", "de", "fr")
# The language the pipeline gives the extractor for a sentence: Chinese or not.
READ_AS = {"zh": "zh"}
MIN_CASES = {"en": 100, "zh": 100}
REQUIRED = ("surface", "value", "unit", "qualifier")
NUMERIC_OPTIONAL = ("low", "high", "stated_value", "confidence")
TEXT_OPTIONAL = ("change", "stated_unit", "dimension", "iso")


def load_cases(lang: str) -> list[dict[str, Any]]:
    data = json.loads((CASES_DIR / f"extract_{lang}.json").read_text(encoding="utf-8"))
    return data["cases"]


def golden_params() -> list[Any]:
    return [pytest.param(lang, case, id=case["id"]) for lang in LANGS for case in load_cases(lang)]


@pytest.fixture(scope="module")
def extractor() -> Any:
    # Imported here so the data checks below still run while the extractor is broken.
    from checker.extraction import Extractor

    return Extractor()


def overlap(mention: Any, start: int, end: int) -> int:
    return min(mention.end, end) - max(mention.start, start)


def mention_at(mentions: list[Any], start: int, end: int) -> Any | None:
    """The mention covering most of text[start:end] (the earliest on a tie), or None."""
    hits = [m for m in mentions if overlap(m, start, end) > 0]
    return max(hits, key=lambda m: (overlap(m, start, end), -m.start), default=None)


def expected_fields(figure: dict[str, Any]) -> dict[str, Any]:
    """The figure's checked keys, numbers wrapped for a relative comparison."""
    fields = {key: figure[key] for key in ("unit", "qualifier", *TEXT_OPTIONAL) if key in figure}
    for key in ("value", *NUMERIC_OPTIONAL):
        if key in figure:
            fields[key] = pytest.approx(figure[key], rel=1e-6)
    return fields


@pytest.mark.parametrize(("lang", "case"), golden_params())
def test_golden_case(extractor: Any, lang: str, case: dict[str, Any]) -> None:
    text = case["text"]
    reference = case.get("reference")
    mentions = extractor.mentions(
        text, READ_AS.get(lang, "en"), datetime.date.fromisoformat(reference) if reference else None
    )
    found = [m.surface for m in mentions]
    cursor = 0
    for figure in case["expected"]:
        start = text.index(figure["surface"], cursor)
        cursor = start + len(figure["surface"])
        mention = mention_at(mentions, start, cursor)
        assert mention is not None, f"{figure['surface']!r} not extracted; got {found}"
        want = expected_fields(figure)
        got = {key: getattr(mention, key) for key in want}
        assert got == want, f"{figure['surface']!r} extracted as {mention.surface!r}"
    for before, after in zip(mentions, mentions[1:], strict=False):
        assert before.end <= after.start, f"read twice: {before.surface!r}, {after.surface!r}"
    for absent in case.get("absent", []):
        for match in re.finditer(re.escape(absent), text):
            wrong = [m.surface for m in mentions if overlap(m, match.start(), match.end()) > 0]
            assert not wrong, f"{absent!r} must not be a figure; got {wrong}"


@pytest.mark.parametrize("lang", LANGS)
def test_case_file_is_well_formed(lang: str) -> None:
    cases = load_cases(lang)
    assert len(cases) >= MIN_CASES.get(lang, 3)
    for case in cases:
        assert case["expected"] or case.get("absent"), case["id"]
        cursor = 0
        for figure in case["expected"]:
            missing = [key for key in REQUIRED if key not in figure]
            assert not missing, f"{case['id']}: {figure.get('surface')!r} lacks {missing}"
            assert figure["qualifier"] in QUALIFIERS, case["id"]
            assert figure.get("dimension", "other") in DIMENSIONS, case["id"]
            assert figure["unit"] != "date" or "iso" in figure, f"{case['id']}: date without iso"
            start = case["text"].find(figure["surface"], cursor)
            assert start >= 0, f"{case['id']}: {figure['surface']!r} not in text (in order)"
            cursor = start + len(figure["surface"])


def test_case_ids_are_unique() -> None:
    ids = [case["id"] for lang in LANGS for case in load_cases(lang)]
    duplicates = sorted({case_id for case_id in ids if ids.count(case_id) > 1})
    assert not duplicates
