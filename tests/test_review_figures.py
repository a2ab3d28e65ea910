"""Every draft figure accounted for; one finding per draft figure and quantity, at the figure
that departs; fix hints in the draft's own unit and language; suppression lines
(tests/fixtures/review/figures.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from checker.report.lint import render, sarif_log
from checker.review import Review, ReviewOptions, review

ROOT = Path(__file__).resolve().parents[1]
CASES = json.loads((ROOT / "tests" / "fixtures" / "review" / "figures.json")
                   .read_text("utf-8"))["cases"]


def reviewed(case: dict[str, Any], folder: Path, **options: Any) -> Review:
    draft = folder / "draft.md"
    draft.write_text(case["draft"], "utf-8")
    against = tuple(str(ROOT / path) for path in case["against"])
    return review([str(draft)], ReviewOptions(corpus=against, **options))


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_figures(case: dict[str, Any], tmp_path: Path) -> None:
    result = reviewed(case, tmp_path)
    assert [[f.code, f.line, f.severity] for f in result.findings] == case["findings"]
    assert result.counts() == case["figures"]
    assert [f.fix for f in result.findings] == case["fixes"]
    for found in result.findings:  # each finding sits at a draft figure (NC301 at a comment)
        if found.code != "NC301":
            assert found.draft_claim_ids[0] in {f.claim_id for f in result.figures}


def test_each_figure_has_one_error_or_warning_at_most(tmp_path: Path) -> None:
    for case in CASES:
        result = reviewed(case, tmp_path)
        anchors = [f.draft_claim_ids[0] for f in result.findings if f.severity != "info"]
        assert len(anchors) == len(set(anchors)), case["name"]


def test_the_summary_names_the_corpus_and_counts_the_figures(tmp_path: Path) -> None:
    result = reviewed(CASES[0], tmp_path)
    text = render(result, "text").decode()
    assert "Draft figures: 1 agrees, 1 disagrees, 1 not checked (67% checked)." in text
    assert "Corpus: " in text and "(3 documents, 3 comparable figures, indexed " in text
    document = json.loads(render(result, "json"))
    assert document["summary"]["figures"] == {"agrees": 1, "disagrees": 1, "unchecked": 1}
    assert {f["status"] for f in document["figures"]} == {"agrees", "disagrees", "unchecked"}


def test_a_strict_desk_fails_when_too_few_figures_were_checked(tmp_path: Path) -> None:
    uncovered = next(case for case in CASES if case["figures"]["unchecked"] == 1
                     and not case["figures"]["agrees"] and not case["figures"]["disagrees"])
    assert reviewed(uncovered, tmp_path, min_checked=50).too_few_checked
    assert not reviewed(uncovered, tmp_path).too_few_checked
    covered = CASES[1]
    assert not reviewed(covered, tmp_path, min_checked=100).too_few_checked


def test_the_fix_is_a_sarif_fix_and_in_github_annotations(tmp_path: Path) -> None:
    result = reviewed(CASES[1], tmp_path)
    (sarif,) = sarif_log(result)["runs"][0]["results"]
    (change,) = sarif["fixes"][0]["artifactChanges"]
    (replacement,) = change["replacements"]
    assert replacement["insertedContent"]["text"] == "28.5 million tons"
    assert replacement["deletedRegion"]["startLine"] == 3
    assert "fix: sources say 28.5 million tons" in render(result, "github").decode()


@pytest.fixture
def numcheck(monkeypatch: pytest.MonkeyPatch) -> Any:
    from checker import cli

    monkeypatch.delenv("CI", raising=False)
    return lambda *argv: cli.main(["review", "--no-config", "--no-cache", *map(str, argv)])


def test_min_checked_fails_the_run_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], numcheck: Any
) -> None:
    draft = tmp_path / "ferries.md"
    draft.write_text("# Ferries\n\nThe ferry carried 1.2 million passengers last year.\n", "utf-8")
    against = ("--against", ROOT / "seeds")
    assert numcheck(draft, *against) == 0  # an info finding does not fail the run
    assert numcheck(draft, *against, "--min-checked", "50") == 1
    assert "fewer than --min-checked 50%" in capsys.readouterr().err
    assert numcheck(draft, *against, "--min-checked", "150") == 2


def test_without_a_corpus_the_bundled_sample_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], numcheck: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    draft = tmp_path / "draft.md"
    draft.write_text("# Reserves\n\nRussia claims rare earth reserves of 28.5 million tons.\n",
                     "utf-8")
    numcheck(draft)
    captured = capsys.readouterr()
    assert "checked against the bundled sample corpus" in captured.err
    assert "Corpus: " in captured.out
