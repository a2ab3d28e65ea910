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
from itertools import islice
from operator import attrgetter
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import orjson

from checker.models import Claim, QuantityKey
from checker.report.files import write_atomic

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "COLUMNS",
    "FORMATS",
    "TABLE_VERSION",
    "claim_records",
    "claims_frame",
    "dumps",
    "format_for",
    "json_records",
    "json_schema",
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


def claims_frame(claims: Iterable[Claim]) -> pd.DataFrame:
    """One row per claim, exactly the contract columns in order, with fixed dtypes."""
    import pandas as pd

    rows = list(claims)
    data = {name: [_cell(claim, name) for claim in rows] for name in COLUMNS}
    dtypes = {name: _PANDAS_DTYPES[kind] for name, kind in _COLUMN_TYPES.items()}
    return pd.DataFrame(data, columns=list(COLUMNS)).astype(dtypes)


def claim_records(claims: Iterable[Claim]) -> Iterator[dict[str, Any]]:
    """The claims as JSON-ready rows, one at a time: what `json_records` makes of their
    `claims_frame`, without building the frame (an open bound or a missing number is None)."""
    # a review cites thousands of corpus claims: the fields are read in one call, and only
    # the key and the numbers are converted (the others are of their column's type already)
    values_of = attrgetter(*COLUMNS)
    key = COLUMNS.index("key")
    numbers = [index for index, kind in enumerate(_COLUMN_TYPES.values()) if kind == "float"]
    keys = _KeyTexts()
    for claim in claims:
        row = list(values_of(claim))
        row[key] = keys.text(row[key])
        for index in numbers:
            value = float(row[index])
            row[index] = value if math.isfinite(value) else None
        yield dict(zip(COLUMNS, row, strict=True))


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


def _cell(claim: Claim, name: str) -> Any:
    """A claim's field as the fact table holds it: its key as `entity|metric|scope|measure`."""
    value = getattr(claim, name)
    return _key_text(value) if name == "key" else value


def _key_text(key: QuantityKey | None) -> str:
    return "" if key is None else str(key)


def write_claims_csv(claims: Iterable[Claim], handle: IO[bytes]) -> None:
    """The fact table as CSV into a binary file, a row at a time: the bytes of
    `render(claims_frame(claims), "csv")`, many times faster and without the frame."""
    rows = _csv_rows(claims)
    while chunk := "".join(islice(rows, 1024)):  # a write call a row would take a fifth
        handle.write(chunk.encode("utf-8"))


def _csv_rows(claims: Iterable[Claim]) -> Iterator[str]:
    """The lines of facts.csv: its header, then a row a claim, as pandas writes them (with the
    csv module: a float as repr() does, NaN as an empty cell)."""
    cells, numbers = _TextCells(), _NumberCells()
    # Most cells repeat from claim to claim: a document's, a key and the labels are made cells
    # once, rather than quoted by csv.writer at every row; a sentence, for its claims in a row
    # (kept for all, the sentences would be a second copy of the corpus's text).
    runs = _RunCells(cells)  # a run of text columns -> its cells
    keys = _KeyTexts()
    sentence, sentence_cell = None, ""
    yield runs[COLUMNS] + "\n"
    for claim in claims:
        if claim.sentence != sentence:
            sentence, sentence_cell = claim.sentence, cells.quoted(claim.sentence)
        document, label, stated = map(
            runs.__getitem__, (_document_cells(claim), _label_cells(claim), _stated_cells(claim))
        )
        key = cells[keys.text(claim.key)]
        yield (
            f"{cells.quoted(claim.claim_id)},{document},{cells[claim.lang]},"
            f"{int(claim.line)},{int(claim.col)},{int(claim.start)},{int(claim.end)},"
            f"{sentence_cell},{cells.quoted(claim.surface)},{numbers[claim.value]},"
            f"{numbers[claim.low]},{numbers[claim.high]},{label},{key},"
            f"{numbers[claim.confidence]},{numbers[claim.stated_value]},{stated}\n"
        )


# The columns of a facts.csv row that come in runs of text, as write_claims_csv writes them.
_document_cells = attrgetter("doc_id", "path", "title", "published")
_label_cells = attrgetter("unit", "dimension", "qualifier", "entity", "metric", "scope", "period")
_stated_cells = attrgetter("stated_unit", "change", "iso")


class _KeyTexts(dict[int, tuple[Any, str]]):
    """A claim's key -> its text in the table, worked out once a key: the claims of a key share
    one object, found by id (its hash is computed in Python), and held so its id stays its own."""

    def text(self, key: Any) -> str:
        held = self.get(id(key))
        if held is None:
            held = self[id(key)] = (key, _key_text(key))
        return held[1]


class _TextCells(dict[Any, str]):
    """Text -> its CSV cell as csv.writer writes it (quoted when it holds a comma, a quote or a
    line break), each text worked out once."""

    def __init__(self) -> None:
        super().__init__()
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\n")

    def __missing__(self, text: Any) -> str:
        cell = self[text] = self.quoted(text)
        return cell

    def quoted(self, text: Any) -> str:
        """The cell of a text that is seldom repeated, not kept."""
        text = str(text)
        # what csv.writer may quote a text for (a carriage return: by Python version)
        if not ("," in text or '"' in text or "\n" in text or "\r" in text):
            return text
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerow((text, ""))  # two cells: a lone empty one is written quoted
        return self._buffer.getvalue()[: -len(",\n")]


class _RunCells(dict[tuple[Any, ...], str]):
    """Texts of consecutive columns -> their cells, comma-joined, each run worked out once."""

    def __init__(self, cells: _TextCells) -> None:
        super().__init__()
        self._cells = cells

    def __missing__(self, texts: tuple[Any, ...]) -> str:
        joined = self[texts] = ",".join(map(self._cells.__getitem__, texts))
        return joined


class _NumberCells(dict[Any, str]):
    """Number -> its CSV cell as a float (repr; NaN empty), each value worked out once. Zero
    is never kept: 0.0 and -0.0 are equal keys with cells of their own; nor NaN."""

    def __missing__(self, number: Any) -> str:
        value = float(number)
        if value != value:  # NaN: a key equal to nothing, not kept
            return ""
        cell = repr(value)
        if value:
            self[number] = cell
        return cell


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


def dumps(document: Any, *, compact: bool = False, level: int = 0) -> bytes:
    """JSON as numcheck writes it, in UTF-8 (orjson): indented by two spaces as if `level`
    levels deep in a larger document (for one written a piece at a time), or on one line
    (`compact`). An open bound or a missing number must be None by now (JSON has no NaN or
    Infinity); orjson writes any left as null."""
    if compact:
        return orjson.dumps(document)
    text = orjson.dumps(document, option=orjson.OPT_INDENT_2)
    return text.replace(b"\n", b"\n" + b"  " * level) if level else text


def _json(frame: pd.DataFrame) -> bytes:
    return dumps({"version": TABLE_VERSION, "claims": _records(frame)}) + b"\n"


def _jsonl(frame: pd.DataFrame) -> bytes:
    return b"".join(dumps(record, compact=True) + b"\n" for record in _records(frame))


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
