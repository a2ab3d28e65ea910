"""The review's output formats: text, json, jsonl, SARIF 2.1.0, GitHub annotations, JUnit XML.

SARIF is validated against tests/fixtures/review/sarif-2.1.0-subset.schema.json: the official
schema file is not shipped by any package and cannot be downloaded here, so the fixture states
the objects numcheck writes as the SARIF 2.1.0 specification defines them (see its description).
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any
from xml.etree import ElementTree

import jsonschema
import pytest

from checker.report.lint import LINT_FORMATS, render
from checker.review import Review, ReviewOptions, review

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "review"
SCHEMA = json.loads((FIXTURES / "sarif-2.1.0-subset.schema.json").read_text("utf-8"))
# ::level file=...,line=...[,col=...,endColumn=...],endLine=...,title=...::message
ANNOTATION = re.compile(
    r"^::(?P<level>error|warning|notice) (?P<props>[^:]*(?:%3A[^:]*)*)::(?P<message>[^\n]*)$"
)


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> Review:
    """Findings of every kind: against the corpus and the reference, within a draft, an unused
    suppression, and a draft with none."""
    options = ReviewOptions(
        corpus=(str(ROOT / "seeds"), str(FIXTURES / "corpus")),
        reference=str(FIXTURES / "reference.csv"),
        cache_dir=tmp_path_factory.mktemp("cache"),
    )
    drafts = ["slip.md", "self.md", "NC301.md", "agrees.md", "restated_wan.md"]
    return review([str((FIXTURES / name).relative_to(ROOT)) for name in drafts], options)


@pytest.fixture(autouse=True)
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_the_fixture_review_has_every_severity(reviewed: Review) -> None:
    assert {f.severity for f in reviewed.findings} == {"error", "warning", "info"}
    assert {"NC102", "NC201", "NC301"} <= {f.code for f in reviewed.findings}


# ---------------------------------------------------------------------------------------------
# SARIF


def test_sarif_validates_against_the_2_1_0_schema(reviewed: Review) -> None:
    log = json.loads(render(reviewed, "sarif"))
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    validator = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_the_schema_catches_what_sarif_forbids(reviewed: Review) -> None:
    """The subset schema is not vacuous: a misspelt property or a wrong level fails."""
    validator = jsonschema.Draft7Validator(SCHEMA)
    log = json.loads(render(reviewed, "sarif"))
    log["runs"][0]["results"][0]["severity"] = "error"  # SARIF says "level"
    assert list(validator.iter_errors(log))
    log = json.loads(render(reviewed, "sarif"))
    log["runs"][0]["results"][0]["level"] = "info"  # SARIF says "note"
    assert list(validator.iter_errors(log))
    log = json.loads(render(reviewed, "sarif"))
    del log["runs"][0]["tool"]["driver"]["name"]
    assert list(validator.iter_errors(log))


def test_sarif_results_point_at_the_draft_and_their_rules(reviewed: Review) -> None:
    run = json.loads(render(reviewed, "sarif"))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert run["columnKind"] == "unicodeCodePoints"  # columns count characters, as numcheck does
    assert len(run["results"]) == len(reviewed.findings)
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for result, found in zip(run["results"], reviewed.findings, strict=True):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == found.code
        assert result["level"] == levels[found.severity]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert (region["startLine"], region["startColumn"]) == (found.line, found.col)
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri == found.path
        assert result["partialFingerprints"]["numcheck/v1"] == found.fingerprint
        assert result["message"]["text"].startswith(found.message)


# ---------------------------------------------------------------------------------------------
# GitHub annotations


def test_github_annotations(reviewed: Review) -> None:
    lines = render(reviewed, "github").decode("utf-8").splitlines()
    assert len(lines) == len(reviewed.findings)
    levels = {"error": "error", "warning": "warning", "info": "notice"}
    for line, found in zip(lines, reviewed.findings, strict=True):
        match = ANNOTATION.match(line)
        assert match, line
        assert match["level"] == levels[found.severity]
        props = dict(item.split("=", 1) for item in match["props"].split(","))
        assert props["file"] == found.path
        assert (int(props["line"]), int(props["col"])) == (found.line, found.col)
        assert int(props["endColumn"]) >= found.col
        assert props["title"] == f"{found.code} {found.finding.name}"
        # the details are on further lines of one message: escaped, never a raw newline
        assert match["message"].startswith(found.message.replace("%", "%25"))


def test_github_escapes_properties_and_data(reviewed: Review) -> None:
    found = reviewed.findings[0]
    odd = replace(found, path="drafts/a,b:c%.md",
                  finding=replace(found.finding, message="50% of\nit"))
    (line,) = render(replace(reviewed, findings=(odd,)), "github").decode().splitlines()
    assert "file=drafts/a%2Cb%3Ac%25.md," in line
    assert "::50%25 of%0Ait%0A" in line


# ---------------------------------------------------------------------------------------------
# JUnit, JSON, JSON Lines, text


def test_junit(reviewed: Review) -> None:
    root = ElementTree.fromstring(render(reviewed, "junit"))
    assert root.tag == "testsuites"
    assert int(root.get("failures", "-1")) == len(reviewed.findings)
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert set(suites) == set(reviewed.drafts)
    for path, suite in suites.items():
        failures = suite.findall("testcase/failure")
        assert len(failures) == sum(f.path == path for f in reviewed.findings)
        if not failures:  # a draft with no finding is a passing test case
            assert [case.get("name") for case in suite.iter("testcase")] == ["no findings"]
    first = reviewed.findings[0]
    failure = next(root.iter("failure"))
    assert failure.get("type") == f"{first.code} {first.severity}"
    assert f"{first.path}:{first.line}:{first.col}" in (failure.text or "")


def _strict_json(text: str) -> Any:
    def refuse(name: str) -> None:
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


def test_json_holds_the_drafts_claims_and_every_cited_claim(reviewed: Review) -> None:
    document = _strict_json(render(reviewed, "json").decode())
    assert list(document) == ["version", "claims", "findings", "summary", "figures"]
    claims = {claim["claim_id"]: claim for claim in document["claims"]}
    assert {c["origin"] for c in claims.values()} == {"draft", "corpus", "reference"}
    for finding in document["findings"]:
        assert set(finding["claim_ids"]) <= set(claims)
        assert all(claims[cid]["origin"] == "draft" for cid in finding["draft_claim_ids"])
        assert finding["path"] in reviewed.drafts
    drafted = [c for c in claims.values() if c["origin"] == "draft"]
    assert len(drafted) == sum(origin == "draft" for origin in reviewed.origins.values())
    assert document["summary"]["findings"] == {
        level: sum(f.severity == level for f in reviewed.findings)
        for level in ("error", "warning", "info")
    }


def test_jsonl_is_one_finding_a_line(reviewed: Review) -> None:
    lines = render(reviewed, "jsonl").decode().splitlines()
    assert len(lines) == len(reviewed.findings)
    for line, found in zip(lines, reviewed.findings, strict=True):
        record = _strict_json(line)
        assert (record["code"], record["line"], record["col"]) == (
            found.code, found.line, found.col)
        assert {c["claim_id"] for c in record["claims"]} >= set(found.draft_claim_ids)


def test_text_is_plain_unless_colour_is_asked_for(reviewed: Review) -> None:
    plain = render(reviewed, "text").decode()
    assert "\x1b" not in plain
    first = reviewed.findings[0]
    assert plain.splitlines()[0] == (
        f"{first.path}:{first.line}:{first.col}: {first.code} {first.severity} {first.message}")
    found, figures, corpus = plain.rstrip().splitlines()[-3:]
    assert found.startswith("Found ") and figures.startswith("Draft figures: ")
    assert corpus.startswith("Corpus: ")
    coloured = render(reviewed, "text", color=True).decode()
    assert "\x1b[1;31merror\x1b[0m" in coloured


def test_text_names_the_sources_and_the_consensus(reviewed: Review) -> None:
    plain = render(reviewed, "text").decode()
    block = re.split(r"\n(?=\S)", plain.split("tests/fixtures/review/slip.md:3:32: NC102")[1])[0]
    assert "source    540,000 tons — “澳大利亚刚拿中国3亿订单" in block
    assert "2025-09-27" in block
    assert "reference 540000 tonnes — Trade statistics office" in block


def test_article_text_cannot_drive_the_terminal(reviewed: Review) -> None:
    found = reviewed.findings[0]
    cited = next(cid for cid in found.finding.claim_ids if reviewed.origins[cid] == "corpus")
    claims = dict(reviewed.claims)
    claims[cited] = replace(claims[cited], title="evil \x1b]0;owned\x07 title")
    tampered = replace(reviewed, claims=MappingProxyType(claims))
    for fmt in ("text", "github", "junit", "sarif"):
        shown = render(tampered, fmt).decode()
        assert "\x1b" not in shown and "\x07" not in shown, fmt


@pytest.mark.parametrize("fmt", LINT_FORMATS)
def test_every_format_is_deterministic(reviewed: Review, fmt: str) -> None:
    assert render(reviewed, fmt) == render(reviewed, fmt)


def test_an_unknown_format_is_refused(reviewed: Review) -> None:
    with pytest.raises(ValueError, match="yaml"):
        render(reviewed, "yaml")
