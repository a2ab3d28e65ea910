"""The Python API and the pipeline stages behind it."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from datetime import date
from importlib.metadata import version
from pathlib import Path

import pandas as pd
import pytest

import checker
from checker import pipeline
from checker.discover import corpus_files
from checker.models import Claim, Document, Mention, Sentence
from checker.report.table import COLUMNS

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="module")
def result() -> checker.Result:
    return checker.run([SEEDS])


def test_public_names_resolve() -> None:
    import checker.extraction  # the subpackage must not shadow a public name

    for name in checker.__all__:
        assert getattr(checker, name) is not None, name
    assert checker.Claim is Claim and checker.Result is pipeline.Result
    assert checker.__version__ == version("numcheck")


def test_import_is_light() -> None:
    code = (
        "import sys, checker; "
        "heavy = [m for m in ('pandas', 'pint', 'pyarrow', 'rich') if m in sys.modules]; "
        "print(heavy)"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert completed.stdout.strip() == "[]", completed.stderr


def test_extract_returns_the_contract_columns() -> None:
    facts = checker.extract([SEEDS])
    assert isinstance(facts, pd.DataFrame)
    assert list(facts.columns) == list(COLUMNS)
    assert len(facts) > 0
    assert facts["claim_id"].is_unique
    assert set(facts["qualifier"]) <= {"exact", "approx", "lower", "upper", "range"}


def test_extract_takes_a_single_path() -> None:
    one = sorted(SEEDS.glob("*.txt"))[0]
    by_path, by_str = checker.extract(one), checker.extract(str(one))
    assert by_path["claim_id"].tolist() == by_str["claim_id"].tolist()


def test_extract_refuses_when_no_path_exists(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="nope"):
        checker.extract(tmp_path / "nope")


def test_extract_warns_about_unreadable_files(tmp_path: Path) -> None:
    (tmp_path / "scan.txt").write_bytes(bytes(range(256)) * 8)
    with pytest.warns(UserWarning, match="scan.txt"):
        facts = checker.extract(tmp_path)
    assert list(facts.columns) == list(COLUMNS) and facts.empty


def test_result_is_frozen_and_holds_findings(result: checker.Result) -> None:
    assert result.findings and checker.run([SEEDS], compare=False).findings == ()
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.claims = ()  # type: ignore[misc]
    assert len(result.documents) > len(list(SEEDS.glob("*.txt")))  # files hold several articles
    assert result.problems == ()


def test_claims_are_sorted_by_file_and_position(result: checker.Result) -> None:
    order = [(claim.path, claim.start) for claim in result.claims]
    assert order == sorted(order)
    assert len({claim.claim_id for claim in result.claims}) == len(result.claims)


def test_claims_point_at_their_figure_in_the_file(result: checker.Result) -> None:
    documents = {document.doc_id: document for document in result.documents}
    for claim in result.claims:
        document = documents[claim.doc_id]
        assert document.text[claim.start:claim.end] == claim.surface
        lines = Path(claim.path).read_text(encoding="utf-8").split("\n")
        line = lines[claim.line - 1]
        assert line[claim.col - 1:claim.col - 1 + len(claim.surface)] == claim.surface
        assert claim.title == document.title and claim.published == document.published


def test_progress_counts_the_files_read() -> None:
    calls: list[tuple[int, int]] = []
    checker.run([SEEDS], progress=lambda done, total: calls.append((done, total)))
    files = len(corpus_files([SEEDS])[0])
    assert calls and calls[-1] == (files, files)
    assert [done for done, _ in calls] == sorted({done for done, _ in calls})


# The stages on their own, with hand-made inputs.

TEXT = "Title\nSource·2024-03-05 10:00\nIt rose to 2,700 tons.\nSecond line: 5%."


def make_document() -> Document:
    return Document(
        doc_id="d1", path="x.txt", text=TEXT, start=TEXT.index("It"), end=len(TEXT),
        title="Title", published="2024-03-05T10:00", lang="en",
    )


def make_mention(surface: str, sentence_text: str) -> Mention:
    start = sentence_text.index(surface)
    return Mention(
        start=start, end=start + len(surface), surface=surface, stated_value=2700,
        stated_unit="tons", value=2.7e6, low=2.65e6, high=2.75e6, unit="kg", dimension="mass",
    )


def test_place_locates_a_mention_in_file_and_document() -> None:
    document = make_document()
    sentence_start = TEXT.index("Second")
    sentence = Sentence("d1", start=sentence_start, end=len(TEXT), text=TEXT[sentence_start:])
    mention = make_mention("5%", sentence.text)
    claim = pipeline.place(document, sentence, mention)
    assert TEXT[claim.start:claim.end] == "5%"
    assert (claim.line, claim.col) == (4, len("Second line: ") + 1)
    assert claim.claim_id == pipeline.place(document, sentence, mention).claim_id
    assert (claim.doc_id, claim.path, claim.published) == ("d1", "x.txt", "2024-03-05T10:00")
    assert claim.sentence == sentence.text and claim.value == 2.7e6


@pytest.mark.parametrize(
    ("offset", "expected"),
    [(0, (1, 1)), (4, (1, 5)), (5, (1, 6)), (6, (2, 1)), (TEXT.index("It"), (3, 1))],
)
def test_line_col_is_one_based(offset: int, expected: tuple[int, int]) -> None:
    assert pipeline.line_col(pipeline.line_starts(TEXT), offset) == expected


@pytest.mark.parametrize(
    ("published", "expected"),
    [("2024-03-05T10:00", date(2024, 3, 5)), ("2024-03-05", date(2024, 3, 5)), ("", None),
     ("March 2024", None)],
)
def test_reference_date_comes_from_the_article(published: str, expected: date | None) -> None:
    document = dataclasses.replace(make_document(), published=published)
    assert pipeline.reference_date(document) == expected


def test_extract_stage_passes_language_and_reference_date() -> None:
    seen: list[tuple[str, str | None, date | None]] = []

    class RecordingExtractor:
        def mentions(self, text: str, lang: str | None = None, reference: date | None = None):
            seen.append((text, lang, reference))
            return []

    sentence = Sentence(doc_id="d1", start=0, end=5, text="约2.85万吨", lang="zh")
    assert pipeline.extract(sentence, RecordingExtractor(), date(2025, 1, 2)) == []
    assert seen == [("约2.85万吨", "zh", date(2025, 1, 2))]
