"""Findings as a table (pandas, CSV) and the whole report as one JSON document.

`report.json` is {"version", "claims", "findings", "coverage"}: the fact table of
docs/fact-table.md, the findings of docs/findings.md, and how much of the corpus was checkable.
Its shape is described by checker/schema/report.schema.json. The same input gives the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from checker.claims import coverage
from checker.models import Claim, Finding
from checker.report.table import claims_frame, dumps, json_records

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FINDING_COLUMNS",
    "REPORT_VERSION",
    "findings_csv",
    "findings_frame",
    "report_document",
    "report_json",
    "report_schema",
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
    "consensus": "integer or null",
    "ratio": "number or null",
    "points": "number or null",
    "message": "text",
    "reason": "text",
    "explanation": "text",
})


def findings_frame(findings: Iterable[Finding]) -> pd.DataFrame:
    """One row per finding, the columns of FINDING_COLUMNS in order.

    `claim_ids`, `sides` and `sources` hold lists; `consensus` is None on a tie; `ratio` and
    `points` are NaN when they do not apply.
    """
    import pandas as pd

    rows = [_row(finding) for finding in findings]
    frame = pd.DataFrame(rows, columns=list(FINDING_COLUMNS))
    for name in ("ratio", "points"):
        frame[name] = frame[name].astype("float64")
    return frame


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
        "consensus": finding.consensus,
        "ratio": finding.ratio,
        "points": finding.points,
        "message": finding.message,
        "reason": finding.reason,
        "explanation": finding.explanation,
    }


def findings_csv(findings: Iterable[Finding]) -> bytes:
    """findings.csv: lists joined by spaces, sides by " | ", a missing number as an empty cell."""
    frame = findings_frame(findings).astype(object)
    frame["claim_ids"] = frame["claim_ids"].map(" ".join)
    frame["sides"] = frame["sides"].map(lambda sides: " | ".join(" ".join(s) for s in sides))
    frame["sources"] = frame["sources"].map(lambda counts: " ".join(map(str, counts)))
    frame["consensus"] = frame["consensus"].map(lambda index: "" if index is None else str(index))
    for name in ("ratio", "points"):
        frame[name] = frame[name].map(lambda value: "" if value != value else repr(float(value)))
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def report_document(
    claims: Iterable[Claim], findings: Iterable[Finding], frame: pd.DataFrame | None = None
) -> dict[str, Any]:
    """The report as a dict; `frame`, the claims' table when the caller has built it already."""
    listed = list(claims)
    covered = coverage(listed)
    return {
        "version": REPORT_VERSION,
        "claims": json_records(claims_frame(listed) if frame is None else frame, _claim_columns()),
        "findings": json_records(findings_frame(findings), FINDING_COLUMNS),
        "coverage": {
            "figures": covered.figures,
            "dates": covered.dates,
            "keyed": covered.keyed,
            "share": round(covered.share, 4),
        },
    }


def report_json(
    claims: Iterable[Claim], findings: Iterable[Finding], frame: pd.DataFrame | None = None
) -> bytes:
    """report.json: the fact table, the findings and the coverage in one document."""
    return (dumps(report_document(claims, findings, frame)) + "\n").encode("utf-8")


def _claim_columns() -> tuple[str, ...]:
    from checker.report.table import COLUMNS

    return COLUMNS


def report_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of report.json, shipped with the package."""
    from importlib.resources import files

    text = files("checker").joinpath("schema", "report.schema.json").read_text(encoding="utf-8")
    return json.loads(text)
