"""bench/restated.py: the x10 rewrite, articles that are not copies, and findings traced to
sentences."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from checker.extraction import Extractor
from checker.ingest import read_corpus
from checker.models import Finding
from checker.pipeline import document_claims
from checker.rulebook import Settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import restated  # noqa: E402

SENTENCES = [
    ("made/en", "Russia holds 2.85 million tons of rare earth reserves."),
    ("made/en", "The plant built 300 cars and sold them for $1,500,000 in total."),
    ("made/en", "Output was two hundred units, about 95% of capacity."),
    ("made/zh", "中国稀土储量为4400万吨。"),
]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="module")
def pairs(extractor: Extractor) -> list[restated.Pair]:
    items, totals = restated.load_sentences(SENTENCES, extractor)
    assert [item.text for item in items] == [text for _, text in SENTENCES]
    assert totals["made/en"] == 3
    return restated.build_pairs(items, extractor, Settings.load())


@pytest.mark.parametrize(
    ("digits", "expected"),
    [("1.8", "18"), ("300", "3000"), ("2.85", "28.5"), ("0.05", "0.5"), ("1,500,000", "15,000,000"),
     ("1,234.5", "12,345"), ("4400", "44000"), ("12,34", None)],
)
def test_times_ten_moves_the_decimal_point(digits: str, expected: str | None) -> None:
    assert restated.times_ten(digits) == expected


def test_the_first_figure_that_can_be_rewritten_is_slipped(pairs: list[restated.Pair]) -> None:
    russia, plant, words, chinese = pairs
    assert russia.slip == "Russia holds 28.5 million tons of rare earth reserves."
    assert plant.slip == "The plant built 3000 cars and sold them for $1,500,000 in total."
    assert chinese.slip == "中国稀土储量为44000万吨。"
    assert russia.slip_span is not None
    assert russia.slip[slice(*russia.slip_span)].startswith("28.5 million tons")
    # "two hundred" is in words and 95% x10 would pass 100%: no slip
    assert words.slip is None and words.skipped


def test_the_two_articles_are_not_copies(pairs: list[restated.Pair]) -> None:
    settings = Settings.load()
    for pair in pairs:
        assert pair.titles[0] != pair.titles[1]
        assert pair.leads_a and pair.leads_a != pair.leads_b
        for variant in restated.VARIANTS:
            if variant == "slipped" and pair.slip is None:
                continue
            first, second = pair.body("a", variant), pair.body("b", variant)
            assert first.endswith(pair.item.text)
            assert not restated.are_copies(first, second, settings)


def test_findings_are_traced_to_sentences(
    pairs: list[restated.Pair], extractor: Extractor, tmp_path: Path
) -> None:
    placed = restated.write_corpus(pairs, "slipped", tmp_path)
    assert sorted(placed) == ["s00000a", "s00000b", "s00001a", "s00001b", "s00003a", "s00003b"]
    corpus = read_corpus([tmp_path])  # as checker.run reads it, without the lexicon
    assert not corpus.problems
    claims = [claim for document in corpus.documents
              for claim in document_claims(document, extractor)]
    located = restated.locate(claims, placed, pairs, "slipped")
    assert all(where.span is not None for where in located.values())  # no figure in the leads

    def claim(pair: int, side: str, surface: str) -> str:
        (found,) = [where.claim.claim_id for where in located.values()
                    if (where.pair, where.side) == (pair, side) and surface in where.claim.surface]
        return found

    russia_a, russia_b = claim(0, "a", "2.85 million"), claim(0, "b", "28.5 million")
    cars_a, price_b = claim(1, "a", "300"), claim(1, "b", "$1,500,000")
    chinese_a = claim(3, "a", "4400万")

    def finding(*sides: tuple[str, ...]) -> Finding:
        ids = tuple(claim_id for side in sides for claim_id in side)
        return Finding("f", "NC102", "error", "", "", ids, "", "", sides=sides)

    found = restated.attribute(
        [finding((russia_a,), (russia_b,)),  # the slip and its original
         finding((cars_a,), (price_b,)),  # two figures of one sentence: its copies, not its slip
         finding((russia_a,), (chinese_a,))],  # two unrelated sentences
        located, pairs, "slipped",
    )
    assert found.slips == {0}
    assert found.flagged == {0, 1}
    assert [len(each.claim_ids) for each in found.unrelated] == [2]
    assert found.unrelated_pairs == {(0, 3)}
    # on one side, the two copies agree: not flagged
    agreeing = restated.attribute([finding((russia_a, russia_b), (chinese_a,))], located, pairs,
                                  "slipped")
    assert agreeing.flagged == set() and agreeing.unrelated_pairs == {(0, 3)}
