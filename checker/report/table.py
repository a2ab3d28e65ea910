"""The fact table: claims as a pandas DataFrame and as CSV, JSON, JSON Lines or Parquet.

The columns, their order and their types are a public contract (docs/fact-table.md); the JSON
shape is described by checker/schema/claims.schema.json. Output is deterministic: the same
claims give the same bytes. Files are written atomically, so a reader never sees half a file.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from checker.models import Claim
from checker.report.files import write_atomic

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "COLUMNS",
    "FORMATS",
    "TABLE_VERSION",
    "Records",
    "claim_records",
    "claims_frame",
    "dumps",
    "format_for",
    "json_records",
    "json_schema",
    "record_items",
    "render",
    "write",
    "write_atomic",
    "write_claims_csv",
]

# Bumped when a column is renamed, removed or changes meaning; adding a column does not.
TABLE_VERSION = 1

# name -> type; the order is the column order of every output.
_COLUMN_TYPES: Mapping[str, str] = {
    "claim_id": "str",
    "doc_id": "str",
    "path": "str",
    "title": "str",
    "published": "str",
    "lang": "str",
    "line": "int",
    "col": "int",
    "start": "int",
    "end": "int",
    "sentence": "str",
    "surface": "str",
    "value": "float",
    "low": "float",
    "high": "float",
    "unit": "str",
    "dimension": "str",
    "qualifier": "str",
    "entity": "str",
    "metric": "str",
    "scope": "str",
    "period": "str",
    "key": "str",
    "confidence": "float",
    "stated_value": "float",
    "stated_unit": "str",
    "change": "str",
    "iso": "str",
}

COLUMNS: tuple[str, ...] = tuple(_COLUMN_TYPES)

FORMATS: tuple[str, ...] = ("csv", "json", "jsonl", "parquet")

_PANDAS_DTYPES = {"str": "str", "int": "int64", "float": "float64"}
_PYTHON_TYPES = {"str": str, "int": int, "float": float}


def claims_frame(claims: Iterable[Claim]) -> pd.DataFrame:
    """One row per claim, exactly the contract columns in order, with fixed dtypes."""
    import pandas as pd

    rows = list(claims)
    data = {name: [getattr(claim, name) for claim in rows] for name in COLUMNS}
    dtypes = {name: _PANDAS_DTYPES[kind] for name, kind in _COLUMN_TYPES.items()}
    return pd.DataFrame(data, columns=list(COLUMNS)).astype(dtypes)


def claim_records(claims: Iterable[Claim]) -> Iterator[dict[str, Any]]:
    """The claims as JSON-ready rows, one at a time: what `json_records` makes of their
    `claims_frame`, without building the frame (an open bound or a missing number is None)."""
    columns = [(name, _PYTHON_TYPES[kind]) for name, kind in _COLUMN_TYPES.items()]
    for claim in claims:
        record: dict[str, Any] = {}
        for name, convert in columns:
            value = convert(getattr(claim, name))
            record[name] = None if convert is float and not math.isfinite(value) else value
        yield record


def format_for(path: str | os.PathLike[str], default: str = "csv") -> str:
    """The output format a file name asks for by its suffix, else `default`."""
    suffix = Path(path).suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else default


def render(frame: pd.DataFrame, fmt: str) -> bytes:
    """The frame as the bytes of a file in `fmt` (one of FORMATS)."""
    renderers = {"csv": _csv, "json": _json, "jsonl": _jsonl, "parquet": _parquet}
    if fmt not in renderers:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return renderers[fmt](frame)


def write(frame: pd.DataFrame, path: str | os.PathLike[str], fmt: str | None = None) -> Path:
    """Write the frame to `path` atomically, in `fmt` or the format its suffix names."""
    return write_atomic(path, render(frame, fmt or format_for(path)))


def write_claims_csv(claims: Iterable[Claim], handle: IO[bytes]) -> None:
    """The fact table as CSV into a binary file, a row at a time: the bytes of
    `render(claims_frame(claims), "csv")`, several times faster and without the frame."""
    columns = [(name, _PYTHON_TYPES[kind]) for name, kind in _COLUMN_TYPES.items()]
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
    # pandas writes its CSV with this same module and settings, and a float as repr() does.
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    for claim in claims:
        row = [convert(getattr(claim, name)) for name, convert in columns]
        writer.writerow(["" if value != value else value for value in row])  # NaN: empty
    text.detach()  # flushed, and the handle stays open for its owner


def _csv(frame: pd.DataFrame) -> bytes:
    # Open bounds are written as inf / -inf, which pandas reads back as floats.
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return json_records(frame, COLUMNS)


def json_records(frame: pd.DataFrame, columns: Iterable[str]) -> list[dict[str, Any]]:
    """The rows of a frame as JSON-ready dicts: numpy scalars as Python numbers, no NaN/inf."""
    return [
        {name: _json_value(value) for name, value in record.items()}
        for record in frame[list(columns)].to_dict(orient="records")
    ]


def _json_value(value: Any) -> Any:
    """JSON has no NaN or Infinity: an open bound (inf) or a missing number becomes null."""
    if hasattr(value, "item"):  # a numpy scalar: use the Python number
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, tuple | list):
        return [_json_value(item) for item in value]
    return value


def dumps(document: Any, indent: int | None = 2, level: int = 0) -> str:
    """JSON as numcheck writes it: UTF-8 text, no NaN or Infinity, stable separators; indented
    as if `level` levels deep in a larger document (for one written a piece at a time)."""
    return _dumps(document, indent, level)


def _dumps(document: Any, indent: int | None, level: int = 0) -> str:
    if indent:
        pieces: list[str] = []
        _indented(document, indent, level, {}, pieces)
        return "".join(pieces)  # joined once: a review's JSON may be tens of megabytes
    return json.dumps(document, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


class Records(list[dict[str, Any]]):
    """Rows of plain values (fact-table rows), which `dumps` writes without looking into each:
    a review or a report may list hundreds of thousands."""


def record_items(records: Iterable[Mapping[str, Any]], indent: int, level: int) -> Iterator[str]:
    """Each record of plain values as `dumps(record, indent, level)` writes it, with one
    encoder for all."""
    inner = "\n" + " " * (indent * (level + 1))
    close = "\n" + " " * (indent * level)
    members = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=("," + inner, ": "))
    for record in records:
        yield "{" + inner + members.encode(record)[1:-1] + close + "}" if record else "{}"


def _indented(
    value: Any, indent: int, level: int, encoders: dict[int, json.JSONEncoder], out: list[str]
) -> None:
    """Add to `out` what json.dumps(value, indent=indent) writes, but in C where it can be: an
    object or array of plain values (a fact-table row) is one call of the C encoder, told to
    start each member on a line of its own; json's own indenting is pure Python, five times
    slower."""
    if not value or not isinstance(value, dict | list | tuple):
        out.append(_plain_encoder(encoders).encode(value))
        return
    inner = "\n" + " " * (indent * (level + 1))
    close = "\n" + " " * (indent * level)
    if isinstance(value, Records):
        opening = "["
        for item in record_items(value, indent, level + 1):
            out += (opening, inner, item)
            opening = ","
        out.append(close + "]")
        return
    if isinstance(value, dict) and not all(isinstance(key, str) for key in value):
        # keys that are not text follow json's own rules
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, indent=indent)
        out.append(text.replace("\n", close))
        return
    members: Iterable[Any] = value.values() if isinstance(value, dict) else value
    if all(not item or not isinstance(item, dict | list | tuple) for item in members):
        encoder = encoders.get(level + 1)
        if encoder is None:
            encoder = encoders[level + 1] = json.JSONEncoder(
                ensure_ascii=False, allow_nan=False, separators=("," + inner, ": "))
        text = encoder.encode(value)
        out += (text[0], inner, text[1:-1], close, text[-1])
        return
    plain = _plain_encoder(encoders)
    named = isinstance(value, dict)
    pairs: Iterable[tuple[str, Any]] = (
        value.items() if isinstance(value, dict) else (("", item) for item in value))
    opening = "{" if named else "["
    for key, item in pairs:
        out += (opening, inner, plain.encode(key), ": ") if named else (opening, inner)
        _indented(item, indent, level + 1, encoders, out)
        opening = ","
    out.append(close + ("}" if named else "]"))


def _plain_encoder(encoders: dict[int, json.JSONEncoder]) -> json.JSONEncoder:
    encoder = encoders.get(-1)
    if encoder is None:
        encoder = encoders[-1] = json.JSONEncoder(
            ensure_ascii=False, allow_nan=False, separators=(",", ": "))
    return encoder


def _json(frame: pd.DataFrame) -> bytes:
    document = {"version": TABLE_VERSION, "claims": _records(frame)}
    return (_dumps(document, indent=2) + "\n").encode("utf-8")


def _jsonl(frame: pd.DataFrame) -> bytes:
    return "".join(_dumps(record, indent=None) + "\n" for record in _records(frame)).encode(
        "utf-8"
    )


def _parquet(frame: pd.DataFrame) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow_types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64()}
    schema = pa.schema(
        [pa.field(name, arrow_types[kind], nullable=False) for name, kind in _COLUMN_TYPES.items()],
        metadata={"numcheck.fact_table.version": str(TABLE_VERSION)},
    )
    columns = [
        pa.array(frame[name].tolist(), type=arrow_types[kind])
        for name, kind in _COLUMN_TYPES.items()
    ]
    table = pa.Table.from_arrays(columns, schema=schema)
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the `json` output, shipped with the package."""
    from importlib.resources import files

    text = files("checker").joinpath("schema", "claims.schema.json").read_text(encoding="utf-8")
    return json.loads(text)
