"""The public contract: the JSON Schema, the real JSON output, the CSV header and the docs agree."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import jsonschema
import pytest

from checker import cli
from checker.models import DIMENSIONS, QUALIFIERS
from checker.report.table import COLUMNS, json_schema

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="module")
def schema() -> dict:
    document = json_schema()
    jsonschema.Draft202012Validator.check_schema(document)
    return document


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("schema") / "facts.json"
    assert cli.main(["extract", str(SEEDS), "--format", "json", "--out", str(out)]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


def test_the_seed_output_is_valid(schema: dict, output: dict) -> None:
    assert output["claims"], "the seeds hold figures"
    validator = jsonschema.Draft202012Validator(schema)
    errors = [f"{list(err.absolute_path)}: {err.message}" for err in validator.iter_errors(output)]
    assert errors == []


def test_open_bounds_in_the_output_are_null(output: dict) -> None:
    open_ended = [
        claim for claim in output["claims"]
        if claim["qualifier"] == "lower" and claim["dimension"] not in ("percent", "date")
    ]
    assert open_ended, "the seeds hold lower bounds such as 'more than'"
    assert all(claim["high"] is None for claim in open_ended)


def test_schema_columns_are_the_table_columns(schema: dict) -> None:
    claim = schema["$defs"]["claim"]
    assert claim["required"] == list(COLUMNS)
    assert list(claim["properties"]) == list(COLUMNS)


def test_schema_vocabularies_are_the_models(schema: dict) -> None:
    properties = schema["$defs"]["claim"]["properties"]
    assert tuple(properties["dimension"]["enum"]) == DIMENSIONS
    assert tuple(properties["qualifier"]["enum"]) == QUALIFIERS


@pytest.mark.parametrize(
    ("column", "bad"),
    [("high", "inf"), ("line", 0), ("qualifier", "roughly"), ("dimension", "weight"),
     ("iso", "March 2024"), ("surface", "")],
)
def test_schema_rejects_what_breaks_the_contract(schema: dict, output: dict, column, bad) -> None:
    broken = copy.deepcopy(output)
    broken["claims"] = [broken["claims"][0]]
    broken["claims"][0][column] = bad
    assert not jsonschema.Draft202012Validator(schema).is_valid(broken)
    del broken["claims"][0][column]
    assert not jsonschema.Draft202012Validator(schema).is_valid(broken)


def test_csv_header_is_the_contract_order(tmp_path: Path) -> None:
    out = tmp_path / "facts.csv"
    assert cli.main(["extract", str(SEEDS), "--out", str(out)]) == 0
    header = out.read_text(encoding="utf-8").split("\n", 1)[0]
    assert header.split(",") == list(COLUMNS)


def test_the_docs_describe_every_column_in_order() -> None:
    text = (ROOT / "docs" / "fact-table.md").read_text(encoding="utf-8")
    documented = re.findall(r"^\| \d+ \| `(\w+)` \|", text, flags=re.MULTILINE)
    assert documented == list(COLUMNS)
    for dimension in DIMENSIONS:
        assert f"| `{dimension}` |" in text, dimension
