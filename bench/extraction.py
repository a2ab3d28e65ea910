"""Score numcheck's extractor on public extraction suites and time it against quantulum3.

Run from the repository root with the project venv:

    .venv/bin/python bench/extraction.py              # print the tables
    .venv/bin/python bench/extraction.py --verbose    # and every failure
    .venv/bin/python bench/extraction.py --write      # and rewrite RESULTS.md, failures/

The suites are read in place from ../shared/benchmarks (--suites to point elsewhere). The speed
comparison needs quantulum3, which has its own venv (bench/.venv-quantulum, see bench/README.md)
because of its pins: when the running interpreter lacks quantulum3, that venv's python runs this
script with --speed-json, which times both extractors side by side in one process.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
# Appended: an installed numcheck (or PYTHONPATH) wins, the work tree is the fallback.
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))

import pint  # noqa: E402

from checker.models import Mention  # noqa: E402

sys.path.insert(0, str(BENCH))
from sections import write_section  # noqa: E402

QUANTULUM_VENV = BENCH / ".venv-quantulum"
QUANTULUM_PYTHON = QUANTULUM_VENV / "bin" / "python"
UNITS_FILE = BENCH / "quantulum_units.toml"
JUDGED_FILE = BENCH / "judged_wrong.toml"
RESULTS_FILE = BENCH / "RESULTS.md"
FAILURES_DIR = BENCH / "failures"
CASES_DIR = ROOT / "tests" / "cases"
GOLD_FILE = CASES_DIR / "seeds_gold.json"
PARITY_FILE = CASES_DIR / "parity.json"
NEWS_LANGS = ("en", "zh")
SEEDS_DIR = ROOT / "seeds"

RT_TOLERANCE = 1e-6
QUANTULUM_TOLERANCE = 1e-3
GOLD_TOLERANCE = 1e-6
INPUT_WIDTH = 110  # characters of an input shown in a failure line

GOALS = (
    ("rt/zh (currency+dimension+percent)", 0.90),
    ("quantulum3/quantities", 0.90),
    ("seeds/gold", 0.98),
    ("news/en", 0.97),
    ("news/zh", 0.97),
    ("parity/en-zh", 0.97),
)
SPEED_GOAL = 20.0

# Which of numcheck's dimensions each Recognizers-Text model is about, for false positives.
PHYSICAL = frozenset(
    {
        "mass",
        "length",
        "area",
        "volume",
        "speed",
        "temperature",
        "data",
        "frequency",
        "power",
        "energy",
        "other",
    }
)
IN_SCOPE = MappingProxyType(
    {
        "currency": frozenset({"currency"}),
        "percent": frozenset({"percent"}),
        "dimension": PHYSICAL,
    }
)


@dataclass(frozen=True)
class RTSuite:
    name: str
    path: str  # under recognizers-text/
    lang: str
    kind: str  # currency | dimension | percent


RT_SUITES = (
    RTSuite("rt/zh/currency", "NumberWithUnit/Chinese/CurrencyModel.json", "zh", "currency"),
    RTSuite("rt/zh/dimension", "NumberWithUnit/Chinese/DimensionModel.json", "zh", "dimension"),
    RTSuite("rt/zh/percent", "Number/Chinese/PercentModel.json", "zh", "percent"),
    RTSuite("rt/en/currency", "NumberWithUnit/English/CurrencyModel.json", "en", "currency"),
    RTSuite("rt/en/dimension", "NumberWithUnit/English/DimensionModel.json", "en", "dimension"),
    RTSuite("rt/en/percent", "Number/English/PercentModel.json", "en", "percent"),
)


# --- what a suite expects and what came back -------------------------------------------------


@dataclass(frozen=True)
class Expected:
    """One expected figure; `start`/`end` are a half-open character span of the input."""

    start: int
    end: int
    surface: str
    value: float | None
    unit: str = ""
    iso: str = ""
    qualifier: str = ""


@dataclass(frozen=True)
class Case:
    suite: str
    lang: str
    text: str
    expected: tuple[Expected, ...]


@dataclass(frozen=True)
class Verdict:
    case: Case
    expected: Expected
    passed: bool  # the suite's headline check
    checks: tuple[tuple[str, bool], ...]  # secondary checks, named, for the extra columns
    got: str  # the overlapping mentions, for failure lists
    judged: str = ""  # why the expectation is judged wrong, "" when it stands


@dataclass(frozen=True)
class SuiteReport:
    name: str
    headline: str  # what `passed` means
    cases: int
    verdicts: tuple[Verdict, ...]
    false_positives: tuple[str, ...] = ()
    in_scope_mentions: int = 0
    notes: tuple[str, ...] = ()

    @property
    def judged(self) -> int:
        return sum(1 for v in self.verdicts if v.judged)

    def rate(self, adjusted: bool = False, check: str | None = None) -> float | None:
        verdicts = [v for v in self.verdicts if not (adjusted and v.judged)]
        if not verdicts:
            return None
        return sum(1 for v in verdicts if _outcome(v, check)) / len(verdicts)

    def passed(self, adjusted: bool = False) -> int:
        return sum(1 for v in self.verdicts if v.passed and not (adjusted and v.judged))

    def check_names(self) -> list[str]:
        names: list[str] = []
        for verdict in self.verdicts:
            names.extend(name for name, _ in verdict.checks if name not in names)
        return names


def _outcome(verdict: Verdict, check: str | None) -> bool:
    if check is None:
        return verdict.passed
    return dict(verdict.checks).get(check, False)


@dataclass(frozen=True)
class Judgement:
    suite: str
    input: str
    surface: str | None
    reason: str


@dataclass
class Extraction:
    """Runs the extractor over inputs; a crash becomes a note instead of ending the run."""

    extractor: Any
    errors: list[str] = field(default_factory=list)

    def mentions(self, text: str, lang: str | None, reference: date | None = None) -> list[Mention]:
        try:
            return list(self.extractor.mentions(text, lang, reference))
        except Exception as error:  # the extractor is under test: record, keep going
            self.errors.append(f"{type(error).__name__}: {error} <- {shorten(text)}")
            return []


# --- small helpers ---------------------------------------------------------------------------


def shorten(text: str, width: int = INPUT_WIDTH) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def close(a: float | None, b: float | None, tolerance: float) -> bool:
    if a is None or b is None or math.isnan(a) or math.isnan(b):
        return False
    return math.isclose(a, b, rel_tol=tolerance, abs_tol=1e-12)


def overlaps(mention: Mention, expected: Expected) -> bool:
    return mention.start < expected.end and expected.start < mention.end


def describe(mention: Mention) -> str:
    stated = f"{mention.stated_value:g}{(' ' + mention.stated_unit) if mention.stated_unit else ''}"
    extra = f" {mention.change}" if mention.change else ""
    return (
        f"{mention.surface!r} [{mention.start}:{mention.end}] stated {stated} -> "
        f"{mention.value:g} {mention.unit} ({mention.dimension}, {mention.qualifier}{extra})"
    )


def describe_all(mentions: Iterable[Mention]) -> str:
    found = [describe(m) for m in mentions]
    return "; ".join(found) if found else "nothing overlapping"


def range_ends_as_stated(mention: Mention) -> tuple[float, ...]:
    """The two ends of a range mention in the scale of its stated value (a suite that expects
    one end of "5-20%" or "eight to 10 feet" finds it here)."""
    if mention.qualifier != "range":
        return ()
    scale = mention.stated_value / mention.value if mention.value else 1.0
    return (mention.low * scale, mention.high * scale)


def value_found(mention: Mention, value: float, tolerance: float, percent: bool) -> bool:
    candidates = [mention.stated_value, *range_ends_as_stated(mention)]
    if percent:
        candidates.append(mention.value)
    return any(close(candidate, value, tolerance) for candidate in candidates)


def load_judgements(path: Path = JUDGED_FILE) -> list[Judgement]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        Judgement(item["suite"], item["input"], item.get("surface"), item["reason"])
        for item in data.get("case", [])
    ]


def judgement_for(
    judgements: Sequence[Judgement], suite: str, text: str, expected: Expected
) -> Judgement | None:
    for judgement in judgements:
        if judgement.suite != suite or judgement.input != text:
            continue
        if judgement.surface is None or judgement.surface == expected.surface:
            return judgement
    return None


def unused_judgements(judgements: Sequence[Judgement], reports: Sequence[SuiteReport]) -> list[str]:
    used = {
        (v.case.suite, v.case.text, v.expected.surface)
        for r in reports
        for v in r.verdicts
        if v.judged
    }
    scored = {r.name for r in reports}
    return [
        f"{j.suite}: {shorten(j.input)} {j.surface or ''}".rstrip()
        for j in judgements
        if j.suite in scored
        and not any(s == j.suite and t == j.input and (j.surface in (None, e)) for s, t, e in used)
    ]


# --- Recognizers-Text ------------------------------------------------------------------------


def rt_value(resolution: dict[str, Any]) -> float | None:
    raw = resolution.get("value")
    if raw is None or str(raw).strip().lower() in ("", "null"):
        return None
    return float(str(raw).strip().rstrip("%"))


def load_rt(suite: RTSuite, base: Path) -> list[Case]:
    items = json.loads((base / "recognizers-text" / suite.path).read_text(encoding="utf-8-sig"))
    cases = []
    for item in items:
        expected = tuple(
            Expected(
                start=result["Start"],
                end=result["End"] + 1,  # the suite's End is inclusive
                surface=result["Text"],
                value=rt_value(result["Resolution"]),
                unit=result["Resolution"].get("unit", ""),
                iso=result["Resolution"].get("isoCurrency", "") or "",
            )
            for result in item["Results"]
        )
        cases.append(Case(suite.name, suite.lang, item["Input"], expected))
    return cases


def score_rt(
    suite: RTSuite, cases: Sequence[Case], extraction: Extraction, judgements: Sequence[Judgement]
) -> SuiteReport:
    percent = suite.kind == "percent"
    verdicts: list[Verdict] = []
    false_positives: list[str] = []
    in_scope = 0
    for case in cases:
        mentions = extraction.mentions(case.text, case.lang)
        for expected in case.expected:
            overlapping = [m for m in mentions if overlaps(m, expected)]
            hits = [
                m
                for m in overlapping
                if expected.value is not None
                and value_found(m, expected.value, RT_TOLERANCE, percent)
            ]
            checks = [
                (
                    "and read as " + suite.kind,
                    any(m.dimension in IN_SCOPE[suite.kind] for m in hits),
                )
            ]
            if suite.kind == "currency" and expected.iso and hits:
                checks.append(("ISO code", any(m.unit == expected.iso for m in hits)))
            judgement = judgement_for(judgements, suite.name, case.text, expected)
            verdicts.append(
                Verdict(
                    case,
                    expected,
                    bool(hits),
                    tuple(checks),
                    describe_all(overlapping),
                    judgement.reason if judgement else "",
                )
            )
        for mention in mentions:
            if mention.dimension not in IN_SCOPE[suite.kind]:
                continue
            in_scope += 1
            if not any(overlaps(mention, e) for e in case.expected):
                false_positives.append(f"{shorten(case.text)}  =>  {describe(mention)}")
    return SuiteReport(
        suite.name, "value found", len(cases), tuple(verdicts), tuple(false_positives), in_scope
    )


# --- quantulum3 ------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitSpec:
    pint: str  # the expected unit as a pint expression
    units: tuple[str, ...]  # numcheck's canonical unit(s); () = any unit of the same dimension


@dataclass(frozen=True)
class UnitTable:
    registry: pint.UnitRegistry
    specs: dict[str, UnitSpec]

    def parse(self, unit: str) -> pint.Unit | None:
        try:
            return self.registry.Unit(unit)
        except Exception:  # numcheck's unit string is not pint's: no unit match
            return None


def load_unit_table(path: Path = UNITS_FILE) -> UnitTable:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    registry: pint.UnitRegistry = pint.UnitRegistry(on_redefinition="raise")
    for definition in data.get("definitions", []):
        registry.define(definition)
    specs = {
        name: UnitSpec(spec["pint"], tuple(u for u in _as_list(spec["unit"]) if u))
        for name, spec in data["units"].items()
    }
    return UnitTable(registry, specs)


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def load_quantulum(base: Path) -> list[Case]:
    items = json.loads((base / "quantulum3" / "quantities.json").read_text(encoding="utf-8"))
    cases = []
    for item in items:
        text = item["req"]
        cursor = 0
        expected = []
        for result in item["res"]:
            surface = result["surface"]
            start = text.find(surface, cursor)
            if start < 0:
                start = text.find(surface)
            end = start + len(surface) if start >= 0 else -1
            cursor = max(cursor, end)
            expected.append(Expected(start, end, surface, float(result["value"]), result["unit"]))
        cases.append(Case("quantulum3/quantities", "en", text, tuple(expected)))
    return cases


def is_year_as_date(mention: Mention, expected: Expected) -> bool:
    """numcheck reads a year ("in 1979", "the 1960s") as a date; quantulum3 as a bare number."""
    value = expected.value
    return (
        expected.unit == "dimensionless"
        and value is not None
        and value.is_integer()
        and mention.dimension == "date"
        and mention.iso[:4] == f"{int(value):04d}"
    )


def converted_value(table: UnitTable, expected: Expected, mention: Mention) -> float | None:
    """The expected value in numcheck's unit when the two units agree, else None."""
    spec = table.specs.get(expected.unit)
    target = table.parse(mention.unit)
    if spec is None or target is None or expected.value is None:
        return None
    quantity = table.registry.Quantity(expected.value, spec.pint)
    if spec.units:
        # numcheck's units for the expected one (count, x or percent for a bare number): the
        # value is converted into the one the mention is in.
        if not any(table.parse(unit) == target for unit in spec.units):
            return None
        convert_to = target
    else:
        convert_to = target
        if quantity.dimensionality != (1 * target).dimensionality:
            return None
    try:
        return float(quantity.to(convert_to).magnitude)
    except pint.DimensionalityError:
        return None


def quantulum_value_found(table: UnitTable, expected: Expected, mention: Mention) -> bool:
    assert expected.value is not None
    if is_year_as_date(mention, expected):
        return True
    if value_found(mention, expected.value, QUANTULUM_TOLERANCE, percent=True):
        return True
    return close(mention.value, converted_value(table, expected, mention), QUANTULUM_TOLERANCE)


def quantulum_unit_found(table: UnitTable, expected: Expected, mention: Mention) -> bool:
    if is_year_as_date(mention, expected):
        return True
    return close(mention.value, converted_value(table, expected, mention), QUANTULUM_TOLERANCE)


def score_quantulum(
    cases: Sequence[Case],
    extraction: Extraction,
    judgements: Sequence[Judgement],
    table: UnitTable,
) -> SuiteReport:
    verdicts: list[Verdict] = []
    false_positives: list[str] = []
    mentions_total = 0
    unknown_units = sorted({e.unit for c in cases for e in c.expected} - set(table.specs))
    for case in cases:
        mentions = extraction.mentions(case.text, case.lang)
        mentions_total += len(mentions)
        for expected in case.expected:
            overlapping = [m for m in mentions if overlaps(m, expected)]
            value_ok = any(quantulum_value_found(table, expected, m) for m in overlapping)
            unit_ok = any(quantulum_unit_found(table, expected, m) for m in overlapping)
            judgement = judgement_for(judgements, case.suite, case.text, expected)
            verdicts.append(
                Verdict(
                    case,
                    expected,
                    unit_ok,
                    (("value only", value_ok),),
                    describe_all(overlapping),
                    judgement.reason if judgement else "",
                )
            )
        if not case.expected:
            false_positives.extend(
                f"{shorten(case.text)}  =>  {describe(m)}"
                for m in mentions
                if m.dimension != "date"
            )
    notes = (
        [f"units missing from {UNITS_FILE.name}: {', '.join(unknown_units)}"]
        if (unknown_units)
        else []
    )
    return SuiteReport(
        "quantulum3/quantities",
        "value+unit",
        len(cases),
        tuple(verdicts),
        tuple(false_positives),
        mentions_total,
        tuple(notes),
    )


def robustness(base: Path, extraction: Extraction) -> str:
    """quantulum3's errors.json: inputs that once crashed a parser."""
    inputs = json.loads((base / "quantulum3" / "errors.json").read_text(encoding="utf-8"))
    before = len(extraction.errors)
    for text in inputs:
        extraction.mentions(text, "en")
    crashed = len(extraction.errors) - before
    return f"quantulum3 errors.json: {len(inputs) - crashed}/{len(inputs)} inputs without a crash"


# --- seeds gold through the pipeline ---------------------------------------------------------


def locate(text: str, surface: str, occurrence: int) -> int:
    """Offset of the `occurrence`-th (1-based) occurrence of `surface` in `text`, or -1."""
    position = -1
    for _ in range(occurrence):
        position = text.find(surface, position + 1)
        if position < 0:
            return -1
    return position


def file_texts(result: Any) -> dict[str, str]:
    """Each file's decoded text by file name; the gold counts occurrences in the file as it is,
    so the raw file is read where it can be (ingest masks citation markers in Document.text)."""
    texts: dict[str, str] = {}
    for document in result.documents:
        name = Path(document.path).name
        if name not in texts:
            try:
                texts[name] = Path(document.path).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                texts[name] = document.text
    return texts


def gold_span(texts: dict[str, str], entry: dict[str, Any]) -> tuple[str, int, int]:
    name = Path(entry["file"]).name
    start = locate(texts.get(name, ""), entry["surface"], int(entry.get("occurrence", 1)))
    return name, start, (start + len(entry["surface"]) if start >= 0 else -1)


def gold_value_agrees(claim: Any, entry: dict[str, Any]) -> bool:
    if entry["unit"] == "date":  # a date's value is its ISO form
        return bool(claim.iso == entry["value"])
    return close(claim.value, float(entry["value"]), GOLD_TOLERANCE)


def describe_claim(claim: Any) -> str:
    value = claim.iso if claim.unit == "date" else f"{claim.value:g}"
    return f"{claim.surface!r} [{claim.start}:{claim.end}] {value} {claim.unit} ({claim.qualifier})"


def score_gold(gold: dict[str, Any], result: Any) -> SuiteReport:
    texts = file_texts(result)
    claims_by_file: dict[str, list[Any]] = {}
    for claim in result.claims:
        claims_by_file.setdefault(Path(claim.path).name, []).append(claim)

    def overlapping(name: str, start: int, end: int) -> list[Any]:
        return [c for c in claims_by_file.get(name, []) if c.start < end and start < c.end]

    verdicts: list[Verdict] = []
    notes: list[str] = []
    entries = gold.get("figures", [])
    for entry in entries:
        name, start, end = gold_span(texts, entry)
        if start < 0:
            notes.append(
                f"not in {name} (occurrence {entry.get('occurrence', 1)}): {entry['surface']!r}"
            )
        claims = overlapping(name, start, end)
        value_ok = [c for c in claims if gold_value_agrees(c, entry)]
        unit_ok = [c for c in value_ok if c.unit == entry["unit"]]
        all_ok = [c for c in unit_ok if c.qualifier == entry["qualifier"]]
        expected = Expected(
            start, end, entry["surface"], None, entry["unit"], qualifier=entry["qualifier"]
        )
        case = Case("seeds/gold", "", f"{name}: {entry['surface']!r}", (expected,))
        got = "; ".join(describe_claim(c) for c in claims) or "nothing overlapping"
        verdicts.append(
            Verdict(
                case,
                expected,
                bool(all_ok),
                (("found", bool(claims)), ("value", bool(value_ok)), ("value+unit", bool(unit_ok))),
                f"want {entry['value']} {entry['unit']} ({entry['qualifier']}); got {got}",
            )
        )
    hits: list[str] = []
    not_figures = gold.get("not_figures", [])
    for entry in not_figures:
        name, start, end = gold_span(texts, entry)
        if start < 0:
            notes.append(f"not_figure not in {name}: {entry['surface']!r}")
        hits.extend(
            f"{name}: {entry['surface']!r} read as {describe_claim(c)}"
            for c in overlapping(name, start, end)
        )
    return SuiteReport(
        "seeds/gold",
        "value+unit+qualifier",
        len(entries),
        tuple(verdicts),
        tuple(hits),
        len(not_figures),
        tuple(notes),
    )


# --- the news suites (tests/cases/extract_*.json) and the parity suite ----------------------


def mention_at(mentions: Sequence[Mention], start: int, end: int) -> Mention | None:
    """The mention covering most of text[start:end] (the earliest on a tie), or None."""

    def overlap(m: Mention) -> int:
        return min(m.end, end) - max(m.start, start)

    hits = [m for m in mentions if overlap(m) > 0]
    return max(hits, key=lambda m: (overlap(m), -m.start), default=None)


def same_figure(mention: Mention | None, unit: str, value: float | str) -> bool:
    """Value and dimension as normalized: a date by its ISO span, else the canonical unit and
    the value within GOLD_TOLERANCE."""
    if mention is None or mention.unit != unit:
        return False
    if unit == "date":
        return mention.iso == value
    return close(mention.value, float(value), GOLD_TOLERANCE)


def score_news(lang: str, cases: Sequence[dict[str, Any]], extraction: Extraction) -> SuiteReport:
    """Each expected figure: found at its surface with its value and dimension (the headline),
    and its qualifier; each 'absent' text overlapped by a mention is a false positive."""
    name = f"news/{lang}"
    verdicts: list[Verdict] = []
    false_positives: list[str] = []
    for item in cases:
        text = item["text"]
        reference = date.fromisoformat(item["reference"]) if item.get("reference") else None
        mentions = extraction.mentions(text, lang, reference)
        cursor = 0
        for figure in item["expected"]:
            start = text.index(figure["surface"], cursor)
            cursor = start + len(figure["surface"])
            mention = mention_at(mentions, start, cursor)
            value = figure["iso"] if figure["unit"] == "date" else figure["value"]
            ok = same_figure(mention, figure["unit"], value)
            expected = Expected(
                start,
                cursor,
                figure["surface"],
                None if figure["unit"] == "date" else float(figure["value"]),
                figure["unit"],
                figure.get("iso", ""),
                figure["qualifier"],
            )
            qualifier = ok and mention is not None and mention.qualifier == figure["qualifier"]
            verdicts.append(
                Verdict(
                    Case(name, lang, text, (expected,)),
                    expected,
                    ok,
                    (("qualifier", qualifier),),
                    describe_all([mention] if mention else []),
                )
            )
        for absent in item.get("absent", []):
            at = text.find(absent)
            while at >= 0:
                wrong = [m for m in mentions if m.start < at + len(absent) and at < m.end]
                false_positives.extend(
                    f"{absent!r} in {shorten(text)}: {describe(m)}" for m in wrong
                )
                at = text.find(absent, at + 1)
    absent_count = sum(len(item.get("absent", [])) for item in cases)
    return SuiteReport(
        name, "value+dimension", len(cases), tuple(verdicts), tuple(false_positives), absent_count
    )


def load_news(lang: str) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = json.loads(
        (CASES_DIR / f"extract_{lang}.json").read_text(encoding="utf-8")
    )["cases"]
    return cases


def score_parity(pairs: Sequence[dict[str, Any]], extraction: Extraction) -> SuiteReport:
    """Each figure pair [English surface, Chinese surface] (the first place each is written):
    the two mentions found there have the same canonical unit and value (a date the same ISO
    span)."""
    name = "parity/en-zh"
    verdicts: list[Verdict] = []
    for pair in pairs:
        texts = {lang: pair[lang] for lang in NEWS_LANGS}
        mentions = {lang: extraction.mentions(texts[lang], lang) for lang in NEWS_LANGS}
        for surfaces in pair["figures"]:  # each side's figures in any order
            got: dict[str, Mention | None] = {}
            for lang, surface in zip(NEWS_LANGS, surfaces, strict=True):
                start = texts[lang].index(surface)
                got[lang] = mention_at(mentions[lang], start, start + len(surface))
            en, zh = got["en"], got["zh"]
            ok = en is not None and same_figure(
                zh, en.unit, en.iso if en.unit == "date" else en.value
            )
            expected = Expected(0, 0, f"{surfaces[0]} / {surfaces[1]}", None)
            verdicts.append(
                Verdict(
                    Case(name, "", f"{pair['en']} | {pair['zh']}", (expected,)),
                    expected,
                    ok,
                    (("both found", en is not None and zh is not None),),
                    f"en {describe_all([en] if en else [])}; zh {describe_all([zh] if zh else [])}",
                )
            )
    return SuiteReport(name, "same value+dimension", len(pairs), tuple(verdicts))


def load_parity() -> list[dict[str, Any]]:
    pairs: list[dict[str, Any]] = json.loads(PARITY_FILE.read_text(encoding="utf-8"))["pairs"]
    return pairs


# --- speed -----------------------------------------------------------------------------------


def seed_sentences() -> list[tuple[str, date | None]]:
    from checker.ingest import read_corpus
    from checker.pipeline import reference_date
    from checker.sentences import split_sentences

    corpus = read_corpus([str(SEEDS_DIR)])
    return [
        (sentence.text, reference_date(document))
        for document in corpus.documents
        for sentence in split_sentences(document)
        if sentence.lang == "en"
    ]


def timed_pass(
    parse: Callable[[str, date | None], object], sentences: Sequence[tuple[str, date | None]]
) -> tuple[float, int]:
    errors = 0
    start = time.perf_counter()
    for text, reference in sentences:
        try:
            parse(text, reference)
        except Exception:  # a crash is counted, not timed out of the comparison
            errors += 1
    return time.perf_counter() - start, errors


def measure_speed(repeats: int) -> dict[str, Any]:
    """Both extractors over the same sentences in this one process, alternating who goes first."""
    import quantulum3
    from quantulum3 import parser

    from checker.extraction import Extractor

    extractor = Extractor()
    sentences = seed_sentences()
    runners: dict[str, Callable[[str, date | None], object]] = {
        "numcheck": lambda text, reference: extractor.mentions(text, "en", reference),
        "quantulum3": lambda text, _reference: parser.parse(text, lang="en_US"),
    }
    seconds: dict[str, list[float]] = {name: [] for name in runners}
    errors = {name: timed_pass(run, sentences)[1] for name, run in runners.items()}  # warm-up
    for repeat in range(repeats):
        order = list(runners) if repeat % 2 == 0 else list(reversed(runners))
        for name in order:
            seconds[name].append(timed_pass(runners[name], sentences)[0])
    return {
        "sentences": len(sentences),
        "characters": sum(len(text) for text, _ in sentences),
        "repeats": repeats,
        "seconds": seconds,
        "errors": errors,
        "quantulum3_version": getattr(quantulum3, "__version__", "?"),
        "python": platform.python_version(),
    }


def speed(repeats: int) -> dict[str, Any]:
    try:
        import quantulum3  # noqa: F401
    except ImportError:
        return speed_in_venv(repeats)
    try:
        return measure_speed(repeats)
    except Exception as error:
        return {"error": f"{type(error).__name__}: {error}"}


def speed_in_venv(repeats: int) -> dict[str, Any]:
    if not QUANTULUM_PYTHON.exists():
        venv = QUANTULUM_PYTHON.relative_to(ROOT)
        return {"error": f"no quantulum3 here and no {venv} (bench/README.md says how to make it)"}
    done = subprocess.run(
        [
            str(QUANTULUM_PYTHON),
            str(Path(__file__).resolve()),
            "--speed-json",
            "--repeats",
            str(repeats),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return {
            "error": f"{QUANTULUM_PYTHON.relative_to(ROOT)} failed: "
            f"{done.stderr.strip().splitlines()[-1:] or done.returncode}"
        }
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    return json.loads(lines[-1]) if lines else {"error": "no output from the speed run"}


@dataclass(frozen=True)
class SpeedSummary:
    sentences: int
    numcheck_rate: float  # sentences per second, median over repeats
    quantulum_rate: float
    numcheck_median: float  # seconds per pass
    quantulum_median: float
    repeats: int
    errors: dict[str, int]
    version: str

    @property
    def ratio(self) -> float:
        return self.numcheck_rate / self.quantulum_rate if self.quantulum_rate else math.inf


def summarize_speed(raw: dict[str, Any]) -> SpeedSummary | str:
    if "error" in raw:
        return str(raw["error"])
    numcheck = statistics.median(raw["seconds"]["numcheck"])
    quantulum = statistics.median(raw["seconds"]["quantulum3"])
    count = raw["sentences"]
    return SpeedSummary(
        count,
        count / numcheck if numcheck else math.inf,
        count / quantulum if quantulum else 0.0,
        numcheck,
        quantulum,
        raw["repeats"],
        raw["errors"],
        raw["quantulum3_version"],
    )


# --- output ----------------------------------------------------------------------------------


def percent_text(rate: float | None) -> str:
    return "—" if rate is None else f"{100 * rate:.1f}%"


def combined(reports: Sequence[SuiteReport], name: str, prefix: str) -> SuiteReport | None:
    parts = [r for r in reports if r.name.startswith(prefix)]
    if not parts:
        return None
    return SuiteReport(
        name,
        parts[0].headline,
        sum(r.cases for r in parts),
        tuple(v for r in parts for v in r.verdicts),
        tuple(fp for r in parts for fp in r.false_positives),
        sum(r.in_scope_mentions for r in parts),
    )


def secondary_text(report: SuiteReport) -> str:
    pieces = []
    for name in report.check_names():
        with_check = [v for v in report.verdicts if name in dict(v.checks)]
        good = sum(1 for v in with_check if dict(v.checks)[name])
        pieces.append(f"{name} {good}/{len(with_check)}")
    if report.name.startswith("rt/"):
        pieces.append(f"false positives {len(report.false_positives)}/{report.in_scope_mentions}")
    elif report.name.startswith("quantulum3"):
        pieces.append(f"mentions where none expected {len(report.false_positives)}")
    elif report.name.startswith("news/"):
        pieces.append(
            f"absent texts read as figures {len(report.false_positives)}/{report.in_scope_mentions}"
        )
    elif report.name == "seeds/gold":
        pieces.append(
            f"not_figures read as figures {len(report.false_positives)}/{report.in_scope_mentions}"
        )
    return ", ".join(pieces)


def table(reports: Sequence[SuiteReport]) -> str:
    rows = [
        "| suite | cases | expected | counted | passed | raw | judged wrong | adjusted | more |",
        "|---|---:|---:|---|---:|---:|---:|---:|---|",
    ]
    for report in reports:
        total = len(report.verdicts)
        adjusted_total = total - report.judged
        rows.append(
            f"| {report.name} | {report.cases} | {total} | {report.headline} | "
            f"{report.passed()}/{total} | {percent_text(report.rate())} | {report.judged} | "
            f"{report.passed(True)}/{adjusted_total} {percent_text(report.rate(True))} | "
            f"{secondary_text(report)} |"
        )
    return "\n".join(rows)


def goals_text(reports: Sequence[SuiteReport], speed_summary: SpeedSummary | str) -> str:
    by_name = {r.name: r for r in reports}
    zh = combined(reports, "rt/zh (currency+dimension+percent)", "rt/zh/")
    if zh:
        by_name[zh.name] = zh
    lines = []
    for name, goal in GOALS:
        report = by_name.get(name)
        if report is None:
            lines.append(f"- {name}: not measured (goal {goal:.0%})")
            continue
        raw, adjusted = report.rate(), report.rate(True)
        verdict = (
            "met"
            if (raw or 0) >= goal
            else ("met on the adjusted rate only" if (adjusted or 0) >= goal else "NOT met")
        )
        lines.append(
            f"- {name}: raw {percent_text(raw)}, adjusted {percent_text(adjusted)} "
            f"(goal {goal:.0%}): {verdict}"
        )
    if isinstance(speed_summary, SpeedSummary):
        verdict = "met" if speed_summary.ratio >= SPEED_GOAL else "NOT met"
        lines.append(
            f"- speed: {speed_summary.ratio:.1f}x quantulum3 (goal {SPEED_GOAL:.0f}x): {verdict}"
        )
    else:
        lines.append(f"- speed: not measured ({speed_summary})")
    return "\n".join(lines)


def speed_text(summary: SpeedSummary | str) -> str:
    if isinstance(summary, str):
        return f"Not measured: {summary}"
    return "\n".join(
        [
            f"{summary.sentences} English sentences of seeds/, {summary.repeats} timed passes each "
            f"after one warm-up, alternating which goes first, in one process; medians.",
            "",
            "| extractor | seconds per pass | sentences/s | crashes |",
            "|---|---:|---:|---:|",
            f"| numcheck Extractor.mentions | {summary.numcheck_median:.3f} | "
            f"{summary.numcheck_rate:,.0f} | {summary.errors.get('numcheck', 0)} |",
            f"| quantulum3 {summary.version} parser.parse | {summary.quantulum_median:.3f} | "
            f"{summary.quantulum_rate:,.0f} | {summary.errors.get('quantulum3', 0)} |",
            "",
            f"numcheck is **{summary.ratio:.1f}x** quantulum3 in sentences per second.",
        ]
    )


def failure_lines(report: SuiteReport) -> list[str]:
    lines = []
    for verdict in report.verdicts:
        if verdict.passed:
            continue
        expected = verdict.expected
        want = f"{expected.value:g}" if expected.value is not None else "no value"
        unit = expected.iso or expected.unit
        mark = f"  [judged wrong: {verdict.judged}]" if verdict.judged else ""
        if report.name == "seeds/gold":
            lines.append(f"{verdict.case.text}  =>  {verdict.got}{mark}")
        else:
            lines.append(
                f"{shorten(verdict.case.text)}\n    want {expected.surface!r} = {want} "
                f"{unit}\n    got  {verdict.got}{mark}"
            )
    for verdict in report.verdicts:
        failed = [name for name, ok in verdict.checks if not ok]
        if verdict.passed and failed:
            lines.append(
                f"PASSED BUT NOT {', '.join(failed)}: {shorten(verdict.case.text)}\n"
                f"    want {verdict.expected.surface!r} = "
                f"{verdict.expected.iso or verdict.expected.unit}\n"
                f"    got  {verdict.got}"
            )
    lines.extend(f"FALSE POSITIVE {fp}" for fp in report.false_positives)
    lines.extend(f"NOTE {note}" for note in report.notes)
    return lines


def judged_section(reports: Sequence[SuiteReport]) -> str:
    lines = [
        f"Kept in `bench/{JUDGED_FILE.name}`; left out of the adjusted rate only. "
        "Each line: suite, the input, the expected text, why.",
        "",
    ]
    for report in reports:
        for verdict in report.verdicts:
            if verdict.judged:
                lines.append(
                    f"- {report.name}: {shorten(verdict.case.text, 90)!r} — "
                    f"{verdict.expected.surface!r}: {verdict.judged}"
                )
    return "\n".join(lines)


def machine_text() -> str:
    return (
        f"{os.cpu_count()} CPUs (nproc), Python {platform.python_version()} "
        f"({platform.machine()}, {platform.system()})"
    )


def results_markdown(
    reports: Sequence[SuiteReport], summary: SpeedSummary | str, extra: Sequence[str]
) -> str:
    zh = combined(reports, "rt/zh (currency+dimension+percent)", "rt/zh/")
    shown = [*reports, *([zh] if zh else [])]
    return "\n".join(
        [
            "## Extraction (bench/extraction.py)",
            "",
            f"Date: {date.today().isoformat()}. Machine: {machine_text()}.",
            "",
            "Reproduce from the repository root (bench/README.md says what each suite measures):",
            "",
            "```sh",
            "python3 -m venv bench/.venv-quantulum",
            "bench/.venv-quantulum/bin/pip install -r bench/requirements.txt",
            "bench/.venv-quantulum/bin/pip install -e .",
            ".venv/bin/python bench/extraction.py --write",
            "```",
            "",
            "### Pass rates",
            "",
            "Raw counts every expected figure; adjusted leaves out the cases judged wrong below.",
            "",
            table(shown),
            "",
            *[f"- {line}" for line in extra],
            "",
            "### Goals",
            "",
            goals_text(reports, summary),
            "",
            "### Speed",
            "",
            speed_text(summary),
            "",
            "### Cases judged wrong",
            "",
            judged_section(reports),
            "",
            "Failures, one block per expected figure, are in `bench/failures/`.",
            "",
        ]
    )


def write_outputs(
    reports: Sequence[SuiteReport], summary: SpeedSummary | str, extra: Sequence[str]
) -> None:
    FAILURES_DIR.mkdir(exist_ok=True)
    for report in reports:
        name = report.name.replace("/", "-") + ".txt"
        lines = failure_lines(report)
        (FAILURES_DIR / name).write_text(
            "\n".join(lines) + ("\n" if lines else ""), encoding="utf-8"
        )
    write_section("extraction", results_markdown(reports, summary, extra))


# --- main ------------------------------------------------------------------------------------


def run_suites(
    base: Path, extraction: Extraction, judgements: Sequence[Judgement]
) -> tuple[list[SuiteReport], list[str]]:
    reports = [score_rt(suite, load_rt(suite, base), extraction, judgements) for suite in RT_SUITES]
    reports.append(score_quantulum(load_quantulum(base), extraction, judgements, load_unit_table()))
    reports.extend(score_news(lang, load_news(lang), extraction) for lang in NEWS_LANGS)
    if PARITY_FILE.exists():
        reports.append(score_parity(load_parity(), extraction))
    extra = [robustness(base, extraction)]
    gold = gold_report()
    if isinstance(gold, SuiteReport):
        reports.append(gold)
    else:
        extra.append(gold)
    return reports, extra


def gold_report() -> SuiteReport | str:
    if not GOLD_FILE.exists():
        return f"seeds gold: {GOLD_FILE.relative_to(ROOT)} does not exist yet"
    try:
        from checker.pipeline import run

        result = run([SEEDS_DIR], compare=False)
    except Exception as error:
        return f"seeds gold: the pipeline failed: {type(error).__name__}: {error}"
    return score_gold(json.loads(GOLD_FILE.read_text(encoding="utf-8")), result)


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--write", action="store_true", help="rewrite bench/RESULTS.md and bench/failures/*.txt"
    )
    parser.add_argument("--verbose", action="store_true", help="print every failure")
    parser.add_argument("--repeats", type=int, default=5, help="timed passes per extractor")
    parser.add_argument("--no-speed", action="store_true", help="skip the speed comparison")
    parser.add_argument(
        "--suites",
        type=Path,
        default=ROOT.parent / "shared" / "benchmarks",
        help="folder holding recognizers-text/ and quantulum3/",
    )
    parser.add_argument("--speed-json", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    if arguments.speed_json:
        print(json.dumps(measure_speed(arguments.repeats)))
        return 0
    try:
        from checker.extraction import Extractor

        extraction = Extraction(Extractor())
    except Exception as error:
        print(f"cannot load the extractor: {type(error).__name__}: {error}", file=sys.stderr)
        return 2
    judgements = load_judgements()
    reports, extra = run_suites(arguments.suites, extraction, judgements)
    if extraction.errors:
        extra.append(f"extractor crashes: {len(extraction.errors)} (first: {extraction.errors[0]})")
    stale = unused_judgements(judgements, reports)
    if stale:
        extra.append(f"judged_wrong.toml entries matching no expected figure: {'; '.join(stale)}")
    summary = (
        "skipped (--no-speed)" if arguments.no_speed else summarize_speed(speed(arguments.repeats))
    )
    zh = combined(reports, "rt/zh (currency+dimension+percent)", "rt/zh/")
    print(table([*reports, *([zh] if zh else [])]))
    print()
    print("\n".join(f"- {line}" for line in extra))
    print()
    print(speed_text(summary))
    print()
    print(goals_text(reports, summary))
    if arguments.verbose:
        for report in reports:
            print(f"\n=== failures: {report.name}")
            print("\n".join(failure_lines(report)))
    if arguments.write:
        write_outputs(reports, summary, extra)
        print(f"\nwrote {RESULTS_FILE.relative_to(ROOT)} and {FAILURES_DIR.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
