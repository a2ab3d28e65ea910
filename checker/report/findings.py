"""Findings as a table (pandas, CSV) and the whole report as one JSON document.

`report.json` is {"version", "claims", "findings", "coverage"}: the fact table of
docs/fact-table.md, the findings of docs/findings.md, and how much of the corpus was checkable.
Its shape is described by checker/schema/report.schema.json. The same input gives the same bytes.
It is written a record at a time, so a large corpus never has to fit in memory as one string.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from types import MappingProxyType
from typing import IO, TYPE_CHECKING, Any

from checker.claims import coverage
from checker.models import Claim, Finding
from checker.report.table import claim_records, dumps

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FINDING_COLUMNS",
    "REPORT_VERSION",
    "finding_records",
    "findings_csv",
    "findings_frame",
    "report_document",
    "report_json",
    "report_schema",
    "write_report_json",
]

# Bumped when a finding field is renamed, removed or changes meaning; adding one does not.
REPORT_VERSION = 1

# name -> what it holds; the order is the column order of findings.csv and of each JSON finding.
FINDING_COLUMNS: Mapping[str, str] = MappingProxyType({
    "finding_id": "text",
    "code": "text",
    "name": "text",
    "severity": "text",
    "kind": "text",
    "key": "text",
    "quantity": "text",
    "period": "text",
    "claim_ids": "list of text",
    "sides": "list of lists of text",
    "sources": "list of integers",
    "outlets": "list of lists of text",
    "consensus": "integer or null",
    "ratio": "number or null",
    "points": "number or null",
    "message": "text",
    "reason": "text",
    "explanation": "text",
})


def findings_frame(findings: Iterable[Finding]) -> pd.DataFrame:
    """One row per finding, the columns of FINDING_COLUMNS in order.

    `claim_ids`, `sides`, `sources` and `outlets` hold lists; `consensus` is None on a tie;
    `ratio` and `points` are NaN when they do not apply.
    """
    import pandas as pd

    rows = [_row(finding) for finding in findings]
    frame = pd.DataFrame(rows, columns=list(FINDING_COLUMNS))
    for name in ("ratio", "points"):
        frame[name] = frame[name].astype("float64")
    # Inferred, a tie (None) among the indexes would turn them all into floats: 0.0 and NaN.
    consensus = [row["consensus"] for row in rows]
    frame["consensus"] = pd.Series(consensus, index=frame.index, dtype=object)
    return frame


def finding_records(findings: Iterable[Finding]) -> Iterator[dict[str, Any]]:
    """The findings as JSON-ready dicts, the keys of FINDING_COLUMNS in order, one at a time;
    `ratio` and `points` are None when they do not apply."""
    for finding in findings:
        yield _numbers(_row(finding), infinite=False)


def _row(finding: Finding) -> dict[str, Any]:
    return {
        "finding_id": finding.finding_id,
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity,
        "kind": finding.kind,
        "key": finding.key,
        "quantity": finding.quantity,
        "period": finding.period,
        "claim_ids": list(finding.claim_ids),
        "sides": [list(side) for side in finding.sides],
        "sources": list(finding.sources),
        "outlets": [list(side) for side in finding.outlets],
        "consensus": finding.consensus,
        "ratio": finding.ratio,
        "points": finding.points,
        "message": finding.message,
        "reason": finding.reason,
        "explanation": finding.explanation,
    }


def _numbers(record: dict[str, Any], infinite: bool) -> dict[str, Any]:
    """`record` with its `ratio` and `points` as floats, or None where they do not apply (None,
    NaN) and, unless `infinite`, where they are infinite (JSON has no infinity; CSV has "inf")."""
    for name in ("ratio", "points"):
        value = record[name]
        kept = value is not None and value == value and (infinite or math.isfinite(value))
        record[name] = float(value) if kept else None
    return record


def findings_csv(findings: Iterable[Finding]) -> bytes:
    """findings.csv: lists joined by spaces (outlet names by "; "), sides by " | ", a missing
    number as an empty cell."""
    buffer = io.BytesIO()
    write_findings_csv(findings, buffer)
    return buffer.getvalue()


def write_findings_csv(findings: Iterable[Finding], handle: IO[bytes]) -> None:
    """findings.csv written to `handle`, not made whole in memory first: the bytes pandas'
    to_csv writes of `findings_frame`, with the csv module and settings pandas uses."""
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
    try:
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(FINDING_COLUMNS)
        writer.writerows(_csv_row(finding) for finding in findings)
    finally:
        text.detach()  # flushed, and the handle stays open for its owner, also after an error


def _csv_row(finding: Finding) -> list[Any]:
    record = _numbers(_row(finding), infinite=True)  # the csv module writes a float's repr
    record["claim_ids"] = " ".join(record["claim_ids"])
    record["sides"] = " | ".join(" ".join(side) for side in record["sides"])
    record["sources"] = " ".join(map(str, record["sources"]))
    record["outlets"] = " | ".join("; ".join(side) for side in record["outlets"])
    index = record["consensus"]
    record["consensus"] = "" if index is None else str(index)
    return ["" if value is None else value for value in record.values()]  # pandas: NA empty


def report_document(claims: Iterable[Claim], findings: Iterable[Finding]) -> dict[str, Any]:
    """The report as a dict, the document that report.json holds."""
    listed = list(claims)
    return {
        "version": REPORT_VERSION,
        "claims": list(claim_records(listed)),
        "findings": list(finding_records(findings)),
        "coverage": _coverage(listed),
    }


def report_json(claims: Iterable[Claim], findings: Iterable[Finding]) -> bytes:
    """report.json: the fact table, the findings and the coverage in one document."""
    buffer = io.BytesIO()
    write_report_json(claims, findings, buffer)
    return buffer.getvalue()


def write_report_json(
    claims: Iterable[Claim], findings: Iterable[Finding], handle: IO[bytes]
) -> None:
    """Write report.json into a binary file a record at a time: the bytes of `dumps` of
    `report_document`, without holding the document in memory."""
    listed = list(claims)
    handle.write(b'{\n  "version": %d,\n  "claims": ' % REPORT_VERSION)
    _write_array(handle, claim_records(listed))
    handle.write(b',\n  "findings": ')
    _write_array(handle, finding_records(findings))
    handle.write(b',\n  "coverage": ' + dumps(_coverage(listed), level=1) + b"\n}\n")


def _write_array(handle: IO[bytes], records: Iterable[dict[str, Any]]) -> None:
    """A JSON array one level into the document, its records encoded a thousand at a time
    (encoding and writing them one by one took most of the time)."""
    records = iter(records)  # each batch takes the next records, also from a list
    opening = b"["
    while batch := list(islice(records, 1024)):
        encoded = dumps(batch, level=1)  # b'[\n    {...},\n    {...}\n  ]'
        handle.write(opening)
        handle.write(memoryview(encoded)[1 : -len(b"\n  ]")])  # not copied: megabytes
        opening = b","
    handle.write(b"[]" if opening == b"[" else b"\n  ]")


def _coverage(claims: list[Claim]) -> dict[str, Any]:
    covered = coverage(claims)
    return {
        "figures": covered.figures,
        "dates": covered.dates,
        "keyed": covered.keyed,
        "share": round(covered.share, 4),
    }


def report_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of report.json, shipped with the package."""
    from importlib.resources import files

    text = files("checker").joinpath("schema", "report.schema.json").read_text(encoding="utf-8")
    return json.loads(text)
