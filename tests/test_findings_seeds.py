"""The findings on seeds/, reviewed by hand and pinned in tests/cases/seeds_findings.json; the
report files, their schema and their determinism."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import jsonschema
import pandas as pd
import pytest

import checker
from checker import cli
from checker.pipeline import run
from checker.report.findings import FINDING_COLUMNS, report_schema
from checker.report.table import json_schema

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
PINNED = json.loads((ROOT / "tests" / "cases" / "seeds_findings.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def result() -> checker.Result:
    return run([SEEDS])


def signature(finding, claims) -> tuple:
    """A finding as the pinned file describes it: code, key, the values of each side."""
    sides = sorted(
        tuple(sorted({round(claims[claim_id].value, 6) for claim_id in side}))
        for side in finding.sides
    )
    return finding.code, finding.key, tuple(sides)


def pinned_signature(entry: dict) -> tuple:
    sides = sorted(tuple(sorted({round(v, 6) for v in side})) for side in entry["sides"])
    return entry["code"], entry["key"], tuple(sides)


def test_the_findings_are_the_reviewed_ones(result: checker.Result) -> None:
    claims = {claim.claim_id: claim for claim in result.claims}
    reported = sorted(signature(finding, claims) for finding in result.findings)
    expected = sorted(pinned_signature(entry) for entry in PINNED["findings"])
    missing = [s for s in expected if s not in reported]
    unexpected = [s for s in reported if s not in expected]
    assert not missing and not unexpected, f"missing {missing}\nunexpected {unexpected}"


def test_russia_reserves_are_reported_and_28_5_vs_2_85_is_a_x10_slip(result) -> None:
    claims = {claim.claim_id: claim for claim in result.claims}
    russia = [f for f in result.findings if f.key == "russia|reserves||mass"]
    conflict = next(f for f in russia if f.code == "NC101")
    stated = {claims[c].surface for side in conflict.sides for c in side}
    assert {"28.5 million tons", "2.85 million tons", "380,000 tons"} <= stated
    slip = next(f for f in russia if f.code == "NC102")
    assert slip.kind == "magnitude-slip" and slip.ratio == pytest.approx(10)
    assert {claims[c].surface for c in slip.claim_ids} >= {"28.5 million tons", "2.85 million tons"}


def test_the_seed_articles_are_one_outlet_not_25_sources(result: checker.Result) -> None:
    """Every seed article but 002's untitled opening (no outlet line) is from Sou Hu Cai Jing:
    a side counts that outlet once, so no finding is settled by repeating one outlet."""
    assert {d.source for d in result.documents} == {"Sou Hu Cai Jing", ""}
    for finding in result.findings:
        assert set(finding.outlets) <= {(), ("Sou Hu Cai Jing",)}, finding.finding_id
        assert all(count <= 2 for count in finding.sources), finding.finding_id
    refining = next(f for f in result.findings if f.key == "china|refining||percent")
    assert refining.sources == (1, 1, 1, 1, 1) and refining.consensus is None


def test_chinas_purity_of_99_999_vs_99_99_is_reported(result: checker.Result) -> None:
    claims = {claim.claim_id: claim for claim in result.claims}
    purity = [f for f in result.findings if f.key == "china|purity||percent"]
    assert purity, "China's purity figures must be reported"
    stated = {claims[c].surface for f in purity for c in f.claim_ids}
    assert {"99.999%", "99.99%"} <= stated


def test_every_finding_says_why_and_where(result: checker.Result) -> None:
    claims = {claim.claim_id: claim for claim in result.claims}
    for finding in result.findings:
        assert len(finding.sides) >= 2 and len(finding.claim_ids) >= 2
        assert finding.reason and finding.message and finding.explanation
        assert set(finding.claim_ids) == {c for side in finding.sides for c in side}
        assert all(claim_id in claims for claim_id in finding.claim_ids)


def test_seed_files_in_any_order_give_the_same_findings(result: checker.Result) -> None:
    baseline = run(SEED_FILES)
    shuffler = random.Random(20251123)
    for _ in range(3):
        order = SEED_FILES[:]
        shuffler.shuffle(order)
        assert run(order).findings == baseline.findings
    assert run(list(reversed(SEED_FILES))).findings == baseline.findings
    # The folder and the files name the same claims, so the findings match too.
    assert [f.finding_id for f in result.findings] == [f.finding_id for f in baseline.findings]


def test_report_files_are_written_valid_and_byte_identical(tmp_path: Path, capsys) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert cli.main(["report", *map(str, SEED_FILES), "--out", str(first)]) == 0
    shown = capsys.readouterr().out
    assert cli.main(["report", *map(str, reversed(SEED_FILES)), "--out", str(second),
                     "--quiet"]) == 0
    for name in ("facts.csv", "findings.csv", "report.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    document = json.loads((first / "report.json").read_text("utf-8"))
    assert list(document) == ["version", "claims", "findings", "coverage", "agreements",
                              "timelines", "run"]
    errors = list(jsonschema.Draft202012Validator(report_schema()).iter_errors(document))
    assert errors == []
    assert all(list(finding) == list(FINDING_COLUMNS) for finding in document["findings"])
    findings = pd.read_csv(first / "findings.csv", keep_default_na=False)
    assert list(findings.columns) == list(FINDING_COLUMNS)
    assert len(findings) == len(document["findings"]) == len(PINNED["findings"])
    assert "Coverage:" in shown and "NC102" in shown and "magnitude-slip" in shown
    assert str(first / "report.json") in shown.replace("\n", "")


def test_report_json_on_stdout_is_the_written_file(tmp_path: Path, capsysbinary) -> None:
    assert cli.main(["report", str(SEEDS), "--out", str(tmp_path), "--format", "json"]) == 0
    out = capsysbinary.readouterr().out
    assert out == (tmp_path / "report.json").read_bytes()
    assert json.loads(out)["coverage"]["keyed"] > 0


def test_the_report_schema_holds_the_fact_table_schema_unchanged() -> None:
    assert report_schema()["$defs"]["claim"] == json_schema()["$defs"]["claim"]
    jsonschema.Draft202012Validator.check_schema(report_schema())


def test_the_terminal_report_shows_sides_sources_and_reason(tmp_path, capsys) -> None:
    assert cli.main(["report", str(SEEDS), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    block = out[out.index("NC102 magnitude-slip"):]
    block = block[: block.index("why compared")]
    assert "28.5 million tons" in block and "2.85 million tons" in block
    assert "side A" in block and "side B" in block and "consensus" in block
    assert re.search(r"002_2a04d1d7e6286e04\.txt:\d+", block)
    assert re.search(r"2\.85e10 kg", block)


def test_check_api_returns_claims_and_findings_frames() -> None:
    claims, findings = checker.check(SEEDS)
    assert isinstance(claims, pd.DataFrame) and isinstance(findings, pd.DataFrame)
    assert list(findings.columns) == list(FINDING_COLUMNS)
    assert len(findings) == len(PINNED["findings"])
    assert set(findings["severity"]) <= {"error", "warning", "info"}
    russia = claims[claims["entity"] == "russia"]
    assert "reserves" in set(russia["metric"])
    assert findings["sides"].map(len).min() >= 2


def test_the_docs_describe_every_finding_column_and_rule() -> None:
    text = (ROOT / "docs" / "findings.md").read_text("utf-8")
    documented = re.findall(r"^\| \d+ \| `(\w+)` \|", text, flags=re.MULTILINE)
    assert documented == list(FINDING_COLUMNS)
    for path in sorted((ROOT / "rules" / "codes").glob("*.toml")):
        assert f"`{path.stem}`" in text, path.stem
