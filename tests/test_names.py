"""checker.names and checker.places: names read from the text, places from the gazetteers."""

from __future__ import annotations

from dataclasses import replace

import pytest
from test_claims import make_claims

from checker.claims import annotate
from checker.names import entity_id
from checker.places import Places
from checker.rulebook import Rulebook


@pytest.fixture(scope="module")
def rulebook() -> Rulebook:
    return Rulebook.load()


@pytest.mark.parametrize(("words", "expected"), [
    ("比亚迪股份有限公司", "比亚迪"),
    ("腾讯控股有限公司", "腾讯"),
    ("BYD Co. Ltd.", "byd"),
    ("Tesla, Inc.", "tesla"),
    ("Group", "group"),  # a suffix alone is the name
])
def test_company_suffixes_are_cut_longest_first_until_none_ends_the_name(
    words: str, expected: str, rulebook: Rulebook
) -> None:
    assert entity_id(words, rulebook.lexicon) == expected


def test_places_have_one_id_in_every_language_and_codes_are_no_names(
    rulebook: Rulebook,
) -> None:
    places = Places(rulebook.lexicon.place_names, rulebook.lexicon.place_suffixes)
    same = ["United States", "U.S.", "USA", "America", "American", "美国"]
    assert {places.get(name).id for name in same} == {"united_states"}  # type: ignore[union-attr]
    assert places.get("重庆市").id == places.get("重庆").id == "chongqing"  # type: ignore[union-attr]
    for word in ("Per", "Are", "Can", "Nor", "IT"):
        assert places.get(word) is None, word


def test_documents_annotated_together_do_not_share_their_names(rulebook: Rulebook) -> None:
    first = make_claims("Tesla sold 5 cars in 2023.", [{"surface": "5 cars", "dimension": "count"}])
    second = [replace(claim, doc_id="other", claim_id="other:1")
              for claim in make_claims("Ford Motor sold 7 cars in 2023.",
                                       [{"surface": "7 cars", "dimension": "count"}])]
    entities = [claim.entity for claim in annotate([*first, *second], rulebook.lexicon)]
    assert entities == ["tesla", "ford_motor"]


def test_the_world_is_no_party_whose_shares_add_up(rulebook: Rulebook) -> None:
    assert not rulebook.lexicon.is_party("world")
    assert rulebook.lexicon.is_party("acme_tractors")
