"""checker.claims: what each figure is about, read from its sentence.

The cases are data: tests/cases/claims.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.claims import annotate, coverage, is_checkable, measure, period_of
from checker.extraction import Extractor
from checker.ingest import read_corpus
from checker.models import Claim, Document
from checker.pipeline import document_claims
from checker.rulebook import Rulebook

ROOT = Path(__file__).resolve().parents[1]
CASES = json.loads((ROOT / "tests" / "cases" / "claims.json").read_text("utf-8"))["cases"]
SENTENCE_START = 100  # the sentence's offset in its (imaginary) file


@pytest.fixture(scope="module")
def rulebook() -> Rulebook:
    return Rulebook.load(lexicons=["rare-earths"])


def make_claims(sentence: str, figures: list[dict]) -> list[Claim]:
    """Claims as the pipeline places them, from a sentence and the surfaces of its figures."""
    claims, searched_from = [], 0
    for figure in figures:
        offset = sentence.index(figure["surface"], searched_from)
        searched_from = offset + 1
        start = SENTENCE_START + offset
        claims.append(
            Claim(
                claim_id=f"doc:{start}-{start + len(figure['surface'])}",
                doc_id="doc",
                path="doc.txt",
                title="",
                published="2025-10-21",
                lang="zh" if any("\u4e00" <= ch <= "\u9fff" for ch in sentence) else "en",
                line=1,
                col=start + 1,
                start=start,
                end=start + len(figure["surface"]),
                sentence=sentence,
                surface=figure["surface"],
                value=1.0,
                low=0.5,
                high=1.5,
                unit="",
                dimension=figure["dimension"],
                qualifier=figure.get("qualifier", "exact"),
                stated_value=1.0,
                stated_unit="",
                change=figure.get("change", ""),
                iso=figure.get("iso", ""),
                sentence_start=SENTENCE_START,
            )
        )
    return claims


@pytest.mark.parametrize("case", CASES, ids=[case["rule"][:60] for case in CASES])
def test_claims_get_their_entity_metric_scope_and_period(case: dict, rulebook: Rulebook) -> None:
    claims = annotate(make_claims(case["sentence"], case["figures"]), rulebook.lexicon)
    by_surface = {claim.surface: claim for claim in claims}
    for surface, expected in case["expect"].items():
        claim = by_surface[surface]
        got = {field: getattr(claim, field) for field in expected}
        assert got == expected, f"{surface!r}: evidence {claim.evidence}"


def test_a_claim_keeps_the_words_that_decided_its_key(rulebook: Rulebook) -> None:
    sentence = "Russia claims rare earth reserves of 28.5 million tons in 2024."
    claims = make_claims(
        sentence,
        [{"surface": "28.5 million tons", "dimension": "mass"},
         {"surface": "2024", "dimension": "date", "iso": "2024-01-01/2024-12-31"}],
    )
    claim = annotate(claims, rulebook.lexicon)[0]
    assert str(claim.key) == "russia|reserves||mass"
    assert dict(claim.evidence) == {"entity": "Russia", "metric": "reserves", "period": "2024"}


def test_annotate_keeps_order_and_identity(rulebook: Rulebook) -> None:
    case = CASES[0]
    claims = make_claims(case["sentence"], case["figures"])
    annotated = annotate(list(reversed(claims)), rulebook.lexicon)
    assert [c.claim_id for c in annotated] == [c.claim_id for c in reversed(claims)]
    assert all(a.surface == b.surface for a, b in zip(annotated, reversed(claims), strict=True))


def test_offsets_are_found_even_without_the_sentence_start(rulebook: Rulebook) -> None:
    import dataclasses

    case = CASES[0]
    claims = [dataclasses.replace(c, sentence_start=0) for c in make_claims(case["sentence"],
                                                                           case["figures"])]
    annotated = {c.surface: c for c in annotate(claims, rulebook.lexicon)}
    assert annotated["99.99%"].entity == "china"


def test_without_entity_or_metric_the_key_is_the_restated_sentence(rulebook: Rulebook) -> None:
    claims = make_claims("It rose to 42 last week.", [{"surface": "42", "dimension": "count"}])
    claim = annotate(claims, rulebook.lexicon)[0]
    assert not is_checkable(claim) and claim.key is not None and claim.key.restated
    assert claim.key.metric == "it rose to @ last week"
    assert str(claim.key) == '|"it rose to @ last week"||count'


@pytest.mark.parametrize(
    ("iso", "period"),
    [
        ("2024-01-01/2024-12-31", "2024"),
        ("2025-09-01/2025-09-30", "2025-09"),
        ("2026-10-01/2026-12-31", "2026-Q4"),
        ("2023-08-01", "2023-08-01"),
        ("2023-08-01/2023-08-01", "2023-08-01"),
        ("2023-03-15/2023-06-20", "2023-03-15/2023-06-20"),
    ],
)
def test_periods_are_said_as_short_as_they_can_be(iso: str, period: str) -> None:
    assert period_of(iso) == period


def test_a_rise_or_fall_is_measured_as_a_change() -> None:
    (claim,) = make_claims("exports fell 34%", [{"surface": "34%", "dimension": "percent",
                                                 "change": "decrease"}])
    assert measure(claim) == "percent:change"


def test_coverage_counts_dates_apart(rulebook: Rulebook) -> None:
    case = next(c for c in CASES if c["rule"].startswith("a date in the clause"))
    claims = annotate(make_claims(case["sentence"], case["figures"]), rulebook.lexicon)
    covered = coverage(claims)
    assert (covered.figures, covered.dates, covered.keyed) == (4, 2, 2)
    assert covered.share == 1.0
    assert "2 of 2 figures (100%)" in str(covered)


OPEN_CASES = json.loads(
    (ROOT / "tests" / "cases" / "claims_open.json").read_text("utf-8"))["cases"]


@pytest.fixture(scope="module")
def stock() -> tuple[Extractor, Rulebook]:
    return Extractor(), Rulebook.load()


@pytest.mark.parametrize("case", OPEN_CASES, ids=[case["rule"][:60] for case in OPEN_CASES])
def test_figures_on_any_topic_get_their_party_and_measure(
    case: dict, stock: tuple[Extractor, Rulebook], tmp_path: Path
) -> None:
    """No pack: the parties and measures of these articles are read from their text."""
    article = tmp_path / "article.md"
    dated = f"---\npublished: {case['published']}\n---\n" if "published" in case else ""
    article.write_text(f"{dated}# {case['title']}\n\n{case['text']}\n", "utf-8")
    (document,) = read_corpus([article]).documents
    claims = {claim.surface: claim for claim in document_claims(document, *stock)}
    for surface, expected in case["expect"].items():
        assert surface in claims, f"{surface!r} not extracted: {sorted(claims)}"
        claim = claims[surface]
        got = {field: getattr(claim, field) for field in expected}
        assert got == expected, f"{surface!r}: evidence {claim.evidence}"


@pytest.mark.parametrize("sentence", [
    "Die Wahlbeteiligung lag bei 76,6 Prozent, 2021 waren es 76,4 Prozent.",
    "Le taux de chômage est de 7,3 % en 2024, et il est plus bas que les années précédentes.",
    "Россия добыла 28,5 млн т угля в 2023 году.",
])
def test_a_sentence_in_a_language_the_lexicon_does_not_read_is_listed_not_keyed(
    tmp_path: Path, sentence: str
) -> None:
    """English triggers must not read German, French or Russian words ("Die" is not the verb
    "die"): the figures are in the fact table, but nothing says what they measure."""
    path = tmp_path / "mixed.txt"
    english = "Turnout was 76.6% in 2025, the election office said."
    path.write_text(f"Turnout\n\n{english}\n\n{sentence}\n", "utf-8")
    (document,) = read_corpus([path]).documents
    claims = list(document_claims(document, Extractor(), Rulebook.load()))
    foreign = [claim for claim in claims if claim.start > document.text.index(sentence[:10])]
    assert foreign and all(claim.key is None and not claim.metric for claim in foreign)
    assert any(claim.key is not None for claim in claims if claim not in foreign)


@pytest.mark.parametrize(("row", "sep"), [("{} tons", ", "), ("{}万辆", "，")])
def test_a_table_flattened_into_one_sentence_is_listed_not_read_as_prose(
    stock: tuple[Extractor, Rulebook], row: str, sep: str
) -> None:
    """Past the [tables] limit of rules/extraction.toml a sentence is a flattened table: every
    figure is in the fact table, none is keyed by the words of its long row; at the limit, the
    sentence is still read as prose."""
    extractor, rulebook = stock
    limit = extractor.lexicon.table_figures

    def claims(figures: int) -> list[Claim]:
        values = sep.join(row.format(i + 1) for i in range(figures))
        text = f"China's car sales were {values} in 2023."
        document = Document("t", "t.txt", text, 0, len(text), title="Car sales")
        return [c for c in document_claims(document, extractor, rulebook) if c.dimension != "date"]

    prose, table = claims(limit - 1), claims(limit + 1)
    assert len(prose) == limit - 1 and any(claim.key is not None for claim in prose)
    assert len(table) == limit + 1 and all(c.key is None and not c.metric for c in table)
