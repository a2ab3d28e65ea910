"""The fact-table writers: columns, types, formats, open bounds, determinism, atomic writes."""

from __future__ import annotations

import dataclasses
import io
import json
import math
import os

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.models import Claim
from checker.report import table
from checker.report.table import COLUMNS, FORMATS, claims_frame, format_for, render, write

CONTRACT_ORDER = [
    "claim_id", "doc_id", "path", "title", "published", "lang", "line", "col", "start", "end",
    "sentence", "surface", "value", "low", "high", "unit", "dimension", "qualifier", "entity",
    "metric", "scope", "period", "key", "confidence", "stated_value", "stated_unit", "change",
    "iso",
]


def make_claim(start: int, **changes: object) -> Claim:
    """A claim as the pipeline would place it; only the table's handling of it is under test."""
    claim = Claim(
        claim_id=f"doc-1:{start}-{start + 8}",
        doc_id="doc-1",
        path="corpus/a.txt",
        title="稀土 \"reserves\", revised",
        published="2025-08-10T02:20",
        lang="en",
        line=2,
        col=start + 1,
        start=start,
        end=start + 8,
        sentence='It holds over 90%, "by far"\nthe most.',
        surface="over 90%",
        value=90.0,
        low=90.0,
        high=math.inf,
        unit="percent",
        dimension="percent",
        qualifier="lower",
        stated_value=90.0,
        stated_unit="%",
    )
    return dataclasses.replace(claim, **changes)


def sample_claims() -> list[Claim]:
    return [
        make_claim(10),
        make_claim(40, low=-math.inf, high=0.0, qualifier="upper", surface="below zero"),
        make_claim(70, value=28.5e9, low=28.45e9, high=28.55e9, unit="kg", dimension="mass"),
    ]


@pytest.fixture
def frame() -> pd.DataFrame:
    return claims_frame(sample_claims())


def test_columns_are_the_contract_in_order(frame: pd.DataFrame) -> None:
    assert list(COLUMNS) == CONTRACT_ORDER
    assert list(frame.columns) == CONTRACT_ORDER
    assert list(claims_frame([]).columns) == CONTRACT_ORDER


def test_column_types_hold_for_empty_and_full_tables(frame: pd.DataFrame) -> None:
    for empty_or_full in (frame, claims_frame([])):
        for name in ("line", "col", "start", "end"):
            assert empty_or_full[name].dtype == "int64", name
        for name in ("value", "low", "high", "confidence", "stated_value"):
            assert empty_or_full[name].dtype == "float64", name
        assert pd.api.types.is_string_dtype(empty_or_full["surface"])


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_json_has_no_infinity_and_open_bounds_are_null(frame: pd.DataFrame, fmt: str) -> None:
    text = render(frame, fmt).decode("utf-8")
    assert "Infinity" not in text and "NaN" not in text
    if fmt == "json":
        document = json.loads(text)
        assert document["version"] == table.TABLE_VERSION
        records = document["claims"]
    else:
        records = [json.loads(line) for line in text.splitlines()]
    assert [record["high"] for record in records] == [None, 0.0, 28.55e9]
    assert [record["low"] for record in records] == [90.0, None, 28.45e9]
    assert all(list(record) == CONTRACT_ORDER for record in records)
    assert records[0]["title"] == "稀土 \"reserves\", revised"  # UTF-8, not \u escapes
    assert "稀土" in text


def test_csv_keeps_open_bounds_and_quotes_text(frame: pd.DataFrame) -> None:
    data = render(frame, "csv")
    assert data.splitlines()[0].decode() == ",".join(CONTRACT_ORDER)
    back = pd.read_csv(io.BytesIO(data), keep_default_na=False)
    assert back["high"].tolist() == [math.inf, 0.0, 28.55e9]
    assert back["low"].tolist()[1] == -math.inf
    assert back["sentence"].tolist() == frame["sentence"].tolist()  # newline and quotes survive
    assert back["entity"].tolist() == ["", "", ""]


def test_parquet_round_trip_keeps_types_and_values(frame: pd.DataFrame) -> None:
    back = pd.read_parquet(io.BytesIO(render(frame, "parquet")))
    assert list(back.columns) == CONTRACT_ORDER
    assert back["high"].tolist() == [math.inf, 0.0, 28.55e9]
    assert back["start"].dtype == "int64"
    assert back["title"].tolist() == frame["title"].tolist()


@pytest.mark.parametrize("fmt", FORMATS)
def test_rendering_is_deterministic(fmt: str) -> None:
    first = render(claims_frame(sample_claims()), fmt)
    second = render(claims_frame(sample_claims()), fmt)
    assert first == second
    assert render(claims_frame(sample_claims()[:2]), fmt) != first


def test_unknown_format_is_refused(frame: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="xml"):
        render(frame, "xml")


@pytest.mark.parametrize(
    ("name", "expected"),
    [("facts.csv", "csv"), ("facts.JSON", "json"), ("a/b.jsonl", "jsonl"),
     ("x.parquet", "parquet"), ("facts.txt", "csv"), ("facts", "csv")],
)
def test_format_follows_the_file_suffix(name: str, expected: str) -> None:
    assert format_for(name) == expected


def test_write_replaces_the_file_and_leaves_no_temporary(tmp_path, frame: pd.DataFrame) -> None:
    target = tmp_path / "facts.json"
    target.write_text("old")
    write(frame, target)
    assert json.loads(target.read_text(encoding="utf-8"))["claims"][0]["surface"] == "over 90%"
    assert [path.name for path in tmp_path.iterdir()] == ["facts.json"]


def test_a_failed_write_keeps_the_old_file(tmp_path, frame: pd.DataFrame, monkeypatch) -> None:
    target = tmp_path / "facts.csv"
    target.write_text("old")

    def refuse(source: object, destination: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        write(frame, target)
    assert target.read_text() == "old"
    assert [path.name for path in tmp_path.iterdir()] == ["facts.csv"]


def test_written_files_follow_the_umask(tmp_path, frame: pd.DataFrame) -> None:
    previous = os.umask(0o022)
    try:
        path = write(frame, tmp_path / "facts.csv")
    finally:
        os.umask(previous)
    assert path.stat().st_mode & 0o777 == 0o644


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**63, 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=30,
)


@given(json_values, st.integers(0, 3))
def test_dumps_writes_the_document_indented_as_json_does(document: object, level: int) -> None:
    """The same document back, laid out as json.dumps(indent=2) lays it out (numbers may be
    spelled another way: 1e-7 for 1e-07), shifted by `level` levels."""
    written = table.dumps(document, level=level).decode("utf-8")
    expected = json.dumps(document, ensure_ascii=False, allow_nan=False, indent=2)
    assert json.loads(written) == document
    def indents(lines: list[str]) -> list[int]:
        return [len(line) - len(line.lstrip(" ")) for line in lines]

    assert indents(written.split("\n" + "  " * level)) == indents(expected.split("\n"))
    assert json.loads(table.dumps(document, compact=True)) == document
    assert b"\n" not in table.dumps(document, compact=True)
