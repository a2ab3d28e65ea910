"""A figure and the value its own sentence revises it to (tests/cases/revisions.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from checker.pipeline import run

CASES = json.loads((Path(__file__).parent / "cases" / "revisions.json").read_text("utf-8"))[
    "cases"]


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_revisions(case: dict[str, Any], tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    rows = [{"id": "revised", "title": "Figures revised", "published": "2025-06-01",
             "text": case["text"]},
            {"id": "other", "title": "Another desk", "published": "2025-06-02",
             "text": case["other"]}]
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    result = run([corpus])
    roles = {c.surface: c.role for c in result.claims if c.doc_id == "revised"}
    if case["revised"] is None:
        assert "superseded" not in roles.values() and "revision" not in roles.values()
    else:
        earlier, later, words = case["revised"]
        assert roles[earlier] == "superseded" and roles[later] == "revision"
    assert sorted({f.code for f in result.findings}) == case["codes"]
    for finding in result.findings:  # a revision is never set against its own earlier value
        for first, second, _ in finding.revisions:  # never the two sides of a finding
            sides = [set(side) for side in finding.sides]
            assert not (len(sides) == 2 and any(first in s for s in sides)
                        and any(second in s for s in sides))
        if case["revised"] is not None and finding.revisions:
            assert case["revised"][2] in finding.reason
