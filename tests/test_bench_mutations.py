"""bench/mutations.py: the rewrites of a figure, exact to the character, and how a review's
findings are placed at the draft figure."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import mutations  # noqa: E402


@pytest.fixture(scope="module")
def words() -> mutations.Words:
    return mutations.Words.load()


@pytest.mark.parametrize(
    ("numeral", "expected"),
    [("28.5", "285"), ("2.85", "28.5"), ("300", "3000"), ("2,700", "27,000"), ("0.05", "0.5"),
     ("1,234.5", "12,345"), ("12,34", None)],
)
def test_times_ten(numeral: str, expected: str | None) -> None:
    assert mutations.shift_point(numeral, 1) == expected


@pytest.mark.parametrize(
    ("numeral", "expected"),
    [("28.5", "2.85"), ("300", "30"), ("2,700", "270"), ("380,000", "38,000"), ("5", "0.5"),
     ("0.5", "0.05"), ("242,765", "24,276.5"), ("2.50", "0.250"), ("2185.8", "218.58")],
)
def test_divided_by_ten(numeral: str, expected: str) -> None:
    assert mutations.shift_point(numeral, -1) == expected


@pytest.mark.parametrize(
    ("numeral", "expected"),
    [("28.5", "25.8"), ("2.85", "2.58"), ("2,700", "2,070"), ("302", "320"), ("1779.01", "1779.10"),
     ("0.5", "5.0"), ("80", None), ("100", None), ("5", None), ("99", None)],
)
def test_swapped_digits(numeral: str, expected: str | None) -> None:
    assert mutations.swap_digits(numeral) == expected


@pytest.mark.parametrize(
    ("figure", "expected"),
    [("302万辆", "302亿辆"), ("3833亿美元", "3833万美元"), ("约为5.8万例", "约为5.8亿例"),
     ("14.8万亿元", None), ("2850例", None), ("30%", None)],
)
def test_wan_yi_swap(figure: str, expected: str | None) -> None:
    assert mutations.swap_wan_yi(figure) == expected


def _swapped(text: str, swaps: tuple[mutations.Swap, ...]) -> str:
    found = mutations.swap_word(text, swaps)
    assert found is not None, text
    return found[0]


def test_unit_swap_keeps_the_number(words: mutations.Words) -> None:
    found = mutations.swap_word("2.85 million tons", words.units)
    assert found is not None
    new, swap, start, end = found
    assert new == "2.85 million kilograms" and swap.factor == 1000
    assert new[start:end] == "kilograms"
    assert _swapped("54万吨", words.units) == "54万千克"
    assert _swapped("6340平方公里", words.units) == "6340公顷"
    assert _swapped("408 kg", words.units) == "408 t"
    assert _swapped("at least 8 years", words.units) == "at least 8 months"
    # whole words only: the "t" of "units" is no unit
    assert mutations.swap_word("36 units", words.units) is None


def test_currency_swap(words: mutations.Words) -> None:
    assert _swapped("$1.5 billion", words.currencies) == "€1.5 billion"
    assert _swapped("3833亿美元", words.currencies) == "3833亿欧元"
    assert _swapped("4009.2亿元", words.currencies) == "4009.2亿美元"
    assert _swapped("400.9 billion yuan", words.currencies) == "400.9 billion dollars"


@pytest.mark.parametrize(
    ("numeral", "scale", "lang", "expected"),
    [("28.5", " million", "en", "28,500,000"), ("2.85", " million", "en", "2,850,000"),
     ("54", "万", "zh", "540,000"), ("302", "万", "zh", "3,020,000"),
     ("380,000", "", "en", "380 thousand"), ("2,700", "", "en", "2.7 thousand"),
     ("8,804,190", "", "en", "8.80419 million"), ("242765", "", "zh", "24.2765万"),
     ("2850", "", "zh", None), ("408", "", "en", None)],
)
def test_scale_rewrite(numeral: str, scale: str, lang: str, expected: str | None) -> None:
    assert mutations.rescale(numeral, scale, lang) == expected


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [("28.5e9", "en", "28.5 billion"), ("2.7e6", "en", "2.7 million"), ("0.408", "en", "0.408"),
     ("540000", "en", "540,000"), ("5.4e8", "zh", "5.4亿"), ("634000", "zh", "63.4万"),
     ("2700", "zh", "2700")],
)
def test_written(value: str, lang: str, expected: str) -> None:
    assert mutations.written(Decimal(value), lang) == expected


@pytest.mark.parametrize(
    ("numeral", "after", "expected"),
    [("8", " years", ("eight", 0)), ("5", "%", ("five percent", 1)), ("20", "", ("twenty", 0)),
     ("21", "", None), ("0", "", None), ("2.5", "", None)],
)
def test_in_words(numeral: str, after: str, expected: tuple[str, int] | None) -> None:
    assert mutations.in_words(numeral, after) == expected


def _source(text: str, figure: str, **fields: object) -> mutations.Source:
    start = text.index(figure)
    numeral = mutations._NUMERAL.search(text, start)
    assert numeral is not None
    defaults: dict[str, object] = {
        "corpus": "made", "path": "made.md", "line": 1, "lang": "en", "key": "",
        "entity": "", "metric": "", "metric_phrase": False, "scoped": False, "change": False,
        "period": "", "dimension": "mass", "unit": "kg", "stated_unit": "tons",
        "stated_value": 28.5e6, "qualifier": "exact"}
    return mutations.Source(text=text, figure=(start, start + len(figure)),
                            numeral=numeral.span(), surface=figure, **{**defaults, **fields})


@pytest.mark.parametrize(
    ("kind", "sentence", "figure"),
    [("x10", "Russia holds 285 million tons of reserves.", "285 million tons"),
     ("/10", "Russia holds 2.85 million tons of reserves.", "2.85 million tons"),
     ("unit", "Russia holds 28.5 million kilograms of reserves.", "28.5 million kilograms"),
     ("swapped", "Russia holds 25.8 million tons of reserves.", "25.8 million tons"),
     ("scale", "Russia holds 28,500,000 tons of reserves.", "28,500,000 tons"),
     ("converted", "Russia holds 28.5 billion kilograms of reserves.",
      "28.5 billion kilograms")],
)
def test_a_sentence_mutated(words: mutations.Words, kind: str, sentence: str,
                            figure: str) -> None:
    source = _source("Russia holds 28.5 million tons of reserves.", "28.5 million tons")
    made = mutations.mutate(source, kind, words)
    assert isinstance(made, mutations.Variant)
    assert made.text == sentence
    assert made.text[slice(*made.figure)] == figure


def test_a_variant_that_does_not_apply_says_why(words: mutations.Words) -> None:
    share = _source("China refines 90% of the world's rare earths.", "90%", dimension="percent",
                    unit="percent", stated_unit="%", stated_value=90.0)
    assert mutations.mutate(share, "x10", words) == "a share past 100%"
    assert mutations.mutate(share, "wan-yi", words) == "no 万 or 亿"
    assert mutations.mutate(share, "swapped", words) == "no two digits to swap"


def test_findings_are_placed_at_the_figure() -> None:
    review = {
        "claims": [{"origin": "draft", "path": "0000.md", "line": 3, "col": 14, "start": 22,
                    "end": 39, "claim_id": "c1", "key": "russia|reserves||mass"}],
        "findings": [
            {"path": "0000.md", "line": 3, "col": 14, "end_line": 3, "end_col": 31,
             "severity": "error", "code": "NC102", "message": "", "draft_claim_ids": ["c1"]},
            {"path": "0000.md", "line": 3, "col": 1, "end_line": 3, "end_col": 7,
             "severity": "info", "code": "NC302", "message": "", "draft_claim_ids": ["c2"]},
            {"path": "0001.md", "line": 3, "col": 14, "end_line": 3, "end_col": 31,
             "severity": "error", "code": "NC102", "message": "", "draft_claim_ids": ["c9"]},
        ],
    }
    outcome = mutations.evaluate(review, "0000.md", (13, 30))
    assert [f["code"] for f in outcome.at_figure] == ["NC102"]
    assert [f["code"] for f in outcome.elsewhere] == ["NC302"]
    assert outcome.slip == "once" and outcome.equivalent_flagged
    assert [c["claim_id"] for c in outcome.read_as] == ["c1"]
    assert mutations.evaluate(review, "0000.md", (0, 5)).slip == "elsewhere"
