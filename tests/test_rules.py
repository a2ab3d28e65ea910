"""rules/codes: one rule, one file; each with a name, severity, message, explanation and fixture.

A rule's fixture tests/fixtures/rules/<code>.jsonl is a tiny corpus the rule must flag; an
optional <code>.ok.jsonl is a near miss it must not flag.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checker import classify
from checker.pipeline import run
from checker.rulebook import CHECKS, RULES_DIR, Rule, Rulebook, RuleError

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "rules"
RULE_FILES = sorted((RULES_DIR / "codes").glob("*.toml"))
CODES = [path.stem for path in RULE_FILES]


@pytest.fixture(scope="module")
def rulebook() -> Rulebook:
    return Rulebook.load(lexicons=["rare-earths"])


def test_there_are_rules_and_codes_are_unique(rulebook: Rulebook) -> None:
    assert len(CODES) >= 9
    assert len({rule.code for rule in rulebook.rules}) == len(rulebook.rules) == len(CODES)
    assert len({rule.name for rule in rulebook.rules}) == len(rulebook.rules)


@pytest.mark.parametrize("path", RULE_FILES, ids=CODES)
def test_every_rule_is_complete(path: Path) -> None:
    rule = Rule.from_file(path)
    assert rule.name and rule.name == rule.name.lower() and " " not in rule.name
    assert rule.severity in ("error", "warning", "info")
    assert "{quantity}" in rule.message
    for heading in ("What it flags:", "Why it matters:", "Example:"):
        assert heading in rule.explanation, f"{path.name}: the explanation needs {heading!r}"


@pytest.mark.parametrize("code", CODES)
def test_every_rule_has_a_fixture_it_flags(code: str) -> None:
    fixture = FIXTURES / f"{code}.jsonl"
    assert fixture.is_file(), f"{code} has no fixture {fixture.relative_to(ROOT)}"
    found = [finding for finding in run([fixture]).findings if finding.code == code]
    assert found, f"{code} does not flag its fixture"
    for finding in found:
        assert "{" not in finding.message and len(finding.sides) >= 2


@pytest.mark.parametrize("code", [c for c in CODES if (FIXTURES / f"{c}.ok.jsonl").is_file()])
def test_near_misses_are_not_flagged(code: str) -> None:
    result = run([FIXTURES / f"{code}.ok.jsonl"])
    assert [f.message for f in result.findings if f.code == code] == []


def test_every_check_type_is_implemented_and_used(rulebook: Rulebook) -> None:
    group_checks = {"sides-disagree", "same-value-other-period", "bounds-near-power-of-ten",
                    "same-number-other-currency", "transposed-digits"}
    implemented = group_checks | set(classify._PAIR_CHECKS) | set(classify._ARTICLE_CHECKS)
    assert implemented == set(CHECKS)
    assert {rule.check for rule in rulebook.rules} == set(CHECKS)


def test_fixtures_belong_to_rules() -> None:
    stems = {path.name.split(".")[0] for path in FIXTURES.glob("*.jsonl")}
    assert stems <= set(CODES)


def test_a_broken_rule_file_is_an_error_naming_it(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    broken = rules / "codes" / "NC101.toml"
    broken.write_text(broken.read_text("utf-8").replace("explanation = ", "notes = "), "utf-8")
    with pytest.raises(RuleError, match="NC101.toml.*explanation"):
        Rulebook.load(rules)
    broken.write_text('code = "NC101"\ncheck = "guess"', "utf-8")
    with pytest.raises(RuleError, match="NC101.toml"):
        Rulebook.load(rules)


def test_an_unknown_check_type_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "NC999.toml"
    text = (RULES_DIR / "codes" / "NC105.toml").read_text("utf-8")
    path.write_text(text.replace('"NC105"', '"NC999"').replace("bound-excludes", "telepathy"),
                    "utf-8")
    with pytest.raises(RuleError, match="unknown check 'telepathy'"):
        Rule.from_file(path)


def test_a_weak_severity_must_be_a_severity(tmp_path: Path) -> None:
    source = (RULES_DIR / "codes" / "NC102.toml").read_text("utf-8")
    broken = tmp_path / "NC102.toml"
    broken.write_text(source.replace('weak_severity = "warning"', 'weak_severity = "low"'), "utf-8")
    with pytest.raises(RuleError, match="weak_severity must be one of") as raised:
        Rule.from_file(broken)
    assert str(broken) in str(raised.value)
