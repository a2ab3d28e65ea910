"""checker.group: which claims are about the same quantity; copies of one article."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.copies import copies
from checker.group import _endings, comparable, group, linked_names, match_phrases
from checker.models import Claim, Document, QuantityKey
from checker.rulebook import Rulebook

BODY = (
    "Russia claims to have abundant rare earth reserves, with a total of 28.5 million tons "
    "identified, primarily located in the Lovozero and Tomtor mines. China holds 37% of global "
    "rare earth reserves and dominates the processing capacity."
)


@pytest.fixture(scope="module")
def rulebook() -> Rulebook:
    return Rulebook.load(lexicons=["rare-earths"])


def document(doc_id: str, body: str) -> Document:
    return Document(doc_id=doc_id, path=f"{doc_id}.txt", text=body, start=0, end=len(body))


def key_of(text: str) -> QuantityKey | None:
    """A key as the fact table spells it, "entity|metric||measure" ("~metric" for a phrase)."""
    if not text:
        return None
    entity, metric, scope, measure = text.split("|")
    return QuantityKey(entity, metric.removeprefix("~"), measure,
                       tuple(scope.split("+")) if scope else (), phrase=metric.startswith("~"))


def claim(claim_id: str, key: str, period: str = "", **changes: object) -> Claim:
    entity, metric = (key.split("|") + ["", ""])[:2]
    base = Claim(
        claim_id=claim_id, doc_id=claim_id.split(":")[0], path="a.txt", title="", published="",
        lang="en", line=1, col=1, start=0, end=1, sentence="", surface="1", value=1.0, low=0.5,
        high=1.5, unit="kg", dimension="mass", qualifier="exact", stated_value=1.0,
        stated_unit="t", entity=entity, metric=metric, key=key_of(key), period=period,
        evidence=(("entity", entity.title()), ("metric", metric)),
    )
    return dataclasses.replace(base, **changes)


def test_a_syndicated_copy_is_recognized(rulebook: Rulebook) -> None:
    retouched = BODY.replace("primarily", "mainly").replace("  ", " ").upper()
    docs = [document("b", retouched), document("a", BODY), document("c", "Something else. " * 9)]
    sources = copies(docs, rulebook.settings)
    assert sources == {"a": "a", "b": "a", "c": "c"}


def test_copies_do_not_depend_on_the_order_of_documents(rulebook: Rulebook) -> None:
    docs = [document(name, BODY if name != "z" else BODY[::-1]) for name in ("x", "y", "z")]
    assert copies(docs, rulebook.settings) == copies(list(reversed(docs)), rulebook.settings)
    assert copies(docs, rulebook.settings) == {"x": "x", "y": "x", "z": "z"}


def test_different_articles_on_one_topic_are_not_copies(rulebook: Rulebook) -> None:
    other = "China holds 37% of global rare earth reserves. " + "Russia relies on imports. " * 6
    sources = copies([document("a", BODY), document("b", other)], rulebook.settings)
    assert sources == {"a": "a", "b": "b"}


def test_claims_group_by_key_and_a_single_claim_is_no_group(rulebook: Rulebook) -> None:
    claims = [
        claim("a:1-2", "russia|reserves||mass"),
        claim("b:1-2", "russia|reserves||mass"),
        claim("c:1-2", "china|reserves||mass"),
    ]
    grouping = group(claims, [], rulebook)
    assert [(str(g.key), [c.claim_id for c in g.claims]) for g in grouping.groups] == [
        ("russia|reserves||mass", ["a:1-2", "b:1-2"])
    ]


def test_periods_split_groups_and_unknown_periods_join_each(rulebook: Rulebook) -> None:
    key = "china|quota||mass"
    claims = [
        claim("a:1-2", key, "2023"),
        claim("b:1-2", key, "2025"),
        claim("c:1-2", key),
    ]
    grouping = group(claims, [], rulebook)
    buckets = {g.period: sorted(c.claim_id for c in g.claims) for g in grouping.groups}
    assert buckets == {"2023": ["a:1-2", "c:1-2"], "2025": ["b:1-2", "c:1-2"]}
    assert len(grouping.by_key[key_of(key)]) == 3


def test_the_earlier_end_of_a_change_is_not_compared(rulebook: Rulebook) -> None:
    key = "gallium|price||currency"
    claims = [claim("a:1-2", key, change="from"), claim("a:3-4", key, change="to"),
              claim("b:1-2", key)]
    (only,) = group(claims, [], rulebook).groups
    assert [c.claim_id for c in only.claims] == ["a:3-4", "b:1-2"]


def test_claims_without_key_or_of_dates_stay_out(rulebook: Rulebook) -> None:
    claims = [claim("a:1-2", ""), claim("b:1-2", ""),
              claim("c:1-2", "x|y||date", dimension="date"), claim("d:1-2", "x|y||date",
                                                                dimension="date")]
    assert group(claims, [], rulebook).groups == ()


def test_the_reason_names_the_shared_key_and_its_words(rulebook: Rulebook) -> None:
    claims = [claim("a:1-2", "russia|reserves||mass"), claim("b:1-2", "russia|reserves||mass")]
    reason = group(claims, [], rulebook).groups[0].reason
    assert "entity Russia" in reason and "metric reserves" in reason
    assert "“Russia”" in reason and "dimension mass" in reason and "period not stated" in reason


def test_noun_phrase_metrics_are_matched_with_rapidfuzz(rulebook: Rulebook) -> None:
    phrases = match_phrases(["recovery rate", "recovery rates", "talent shortage"],
                            rulebook.settings.phrase_ratio)
    assert phrases == {
        "recovery rate": "recovery rate",
        "recovery rates": "recovery rate",
        "talent shortage": "talent shortage",
    }
    claims = [claim("a:1-2", "united_states|~recovery rate||percent"),
              claim("b:1-2", "united_states|~recovery rates||percent")]
    (only,) = group(claims, [], rulebook).groups
    assert str(only.key) == "united_states|~recovery rate||percent"
    assert "rapidfuzz" in only.reason


def test_a_syndicated_copy_does_not_confirm_its_original(tmp_path) -> None:
    import json

    from checker.pipeline import run

    original = (
        "China holds 37% of global rare earth reserves, according to the ministry. The country "
        "has built a comprehensive industry chain over three decades of investment."
    )
    articles = [
        {"id": "original", "title": "Reserves", "published": "2025-03-01", "text": original},
        {"id": "copy", "title": "Reserves (syndicated)", "published": "2025-03-02",
         "text": original.replace("the ministry", "the Ministry")},
        {"id": "other", "title": "Reserves again", "published": "2025-04-01",
         "text": "China holds 34% of global rare earth reserves."},
    ]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(a) + "\n" for a in articles), "utf-8")
    (finding,) = run([corpus], lexicons=["rare-earths"]).findings
    assert finding.code == "NC101"
    assert sorted(len(side) for side in finding.sides) == [1, 2]  # two claims say 37%...
    assert finding.sources == (1, 1) and finding.consensus is None  # ...from one source


def test_copies_in_a_large_corpus_are_found_by_band() -> None:
    from checker.copies import PAIRWISE_LIMIT
    from checker.models import Document
    from checker.rulebook import Rulebook

    words = [f"w{i}" for i in range(2000)]
    texts = [" ".join(words[i * 15:(i + 1) * 15] * 3) for i in range(PAIRWISE_LIMIT + 40)]
    texts.append(texts[7] + " an added word")  # a syndicated copy with a small edit
    documents = [Document(doc_id=f"d{i:03d}", path=f"{i}.txt", text=t, start=0, end=len(t))
                 for i, t in enumerate(texts)]
    roots = copies(documents, Rulebook.load().settings)
    assert roots[f"d{len(texts) - 1:03d}"] == "d007"
    assert sum(root != doc_id for doc_id, root in roots.items()) == 1


def test_names_the_corpus_links_are_one_party(rulebook: Rulebook) -> None:
    """A gloss in one article links the name in every article; a short form ending exactly one
    longer name is that name; a place is never taken for a short form."""
    glossed = claim("a:1", "tesla|sales||mass",
                    evidence=(("entity", "特斯拉"), ("alias", "特斯拉")))
    plain = claim("b:1", "特斯拉|sales||mass")
    long_form = claim("c:1", "kweichow_moutai|profit||mass")
    short_form = claim("d:1", "moutai|profit||mass")
    bank = claim("e:1", "bank_of_america|revenue||mass")
    place = claim("f:1", "america|revenue||mass")
    aliases = linked_names([glossed, plain, long_form, short_form, bank, place],
                           rulebook.lexicon)
    assert aliases == {"特斯拉": "tesla", "moutai": "kweichow_moutai"}
    keys = {c.claim_id: str(c.key) for c in comparable([glossed, plain, short_form], rulebook)}
    assert keys["b:1"] == "tesla|sales||mass" and keys["d:1"] == "moutai|profit||mass"
    two_longer = [claim("g:1", "li_auto|sales||mass"), claim("h:1", "great_wall_auto|sales||mass"),
                  claim("i:1", "auto|sales||mass")]
    assert linked_names(two_longer, rulebook.lexicon) == {}


@given(st.lists(st.text(alphabet="ab_茅台", max_size=6), max_size=30))
def test_the_endings_of_names_are_those_a_pair_by_pair_test_finds(names: list[str]) -> None:
    """A short form ends a longer name after a word break, or anywhere in a script without
    spaces (two characters at least): found from each name's endings, as name by name."""

    def ends_with(name: str, short: str) -> bool:
        return name.endswith("_" + short) or (
            len(short) >= 2 and name.endswith(short) and not short.isascii())

    unique = sorted(set(names))
    found = _endings(unique)
    for short in unique:
        assert found.get(short, set()) == {
            name for name in unique if name != short and ends_with(name, short)}
