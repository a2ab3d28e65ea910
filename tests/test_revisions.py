"""A figure and the value its own sentence revises it to (tests/cases/revisions.json); who a
figure is attributed to (tests/cases/attribution.json)."""

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


ATTRIBUTED = json.loads((Path(__file__).parent / "cases" / "attribution.json").read_text(
    "utf-8"))["cases"]


@pytest.mark.parametrize("case", ATTRIBUTED, ids=[case["id"] for case in ATTRIBUTED])
def test_who_a_figure_is_attributed_to(case: dict[str, Any], tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "a", "title": "Figures", "text": case["text"]},
                                 ensure_ascii=False) + "\n", "utf-8")
    (claim,) = [c for c in run([corpus]).claims if c.surface == case["figure"]]
    assert dict(claim.evidence).get("said by") == case["said_by"]


def test_the_reports_say_who_a_figure_is_attributed_to(tmp_path: Path) -> None:
    from checker.report import write_report
    from checker.report.lint import render
    from checker.review import ReviewOptions, review

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.md").write_text("# Cars\n\nAccording to Eurostat, Acme Corp sold 1.8 million "
                                 "cars in 2023.\n", "utf-8")
    (corpus / "b.md").write_text("# Cars again\n\nAcme Corp sold 18 million cars in 2023.\n",
                                 "utf-8")
    result = run([corpus])
    assert result.findings
    write_report(result, tmp_path / "out")
    assert "said by Eurostat" in (tmp_path / "out" / "report.html").read_text("utf-8")
    draft = tmp_path / "draft.md"
    draft.write_text("# Draft\n\nAcme Corp sold 180 million cars in 2023.\n", "utf-8")
    text = render(review([str(draft)], ReviewOptions(corpus=(str(corpus),))), "text").decode()
    assert "said by Eurostat" in text


def test_a_revised_figure_is_told_with_its_revision(tmp_path: Path) -> None:
    (case,) = [case for case in CASES if case["id"] == "en-downgraded-by"]
    corpus = tmp_path / "corpus.jsonl"
    rows = [{"id": "revised", "title": "Figures revised", "text": case["text"]},
            {"id": "other", "title": "Another desk", "text": case["other"]}]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    (conflict,) = [f for f in run([corpus]).findings if f.code == "NC101"]
    assert "380,000 tons, revised from 2.85 million tons (1 source)" in conflict.message
