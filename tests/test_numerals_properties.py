"""Property tests for the numeral parser: any number written in digits, English words or Chinese
numerals reads back as itself, and no text makes extraction fail."""

from __future__ import annotations

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.extraction import Extractor
from checker.extraction.numerals import NORMALIZE, find_numerals

ROUND_FROM = 1000

ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def spell(n: int) -> str:
    """English words for 0 <= n < 10**12, the way copy writes them."""
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("-" + ONES[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        return ONES[n // 100] + " hundred" + (" and " + spell(rest) if rest else "")
    for size, name in ((10**9, "billion"), (10**6, "million"), (1000, "thousand")):
        if n >= size:
            rest = n % size
            return spell(n // size) + " " + name + (" " + spell(rest) if rest else "")
    raise ValueError(n)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=4))
def test_digits_read_back(integer: int, decimals: int) -> None:
    fraction = f"{integer % 7919:0{decimals}d}"[:decimals] if decimals else ""
    written = f"{integer:,}" + (f".{fraction}" if decimals else "")
    (numeral,) = find_numerals(f"about {written} units", ROUND_FROM)
    assert numeral.value == pytest.approx(float(written.replace(",", "")), rel=1e-12)
    assert numeral.start == len("about ") and numeral.end == len("about ") + len(written)
    if decimals:
        assert numeral.step == pytest.approx(10.0**-decimals)


@given(st.integers(min_value=1, max_value=10**11))
def test_english_words_read_back(n: int) -> None:
    text = f"There were {spell(n)} tons."
    (numeral,) = find_numerals(text, ROUND_FROM)
    assert numeral.value == n
    assert text[numeral.start : numeral.end] == spell(n)


@given(st.integers(min_value=1, max_value=10**12))
def test_chinese_numerals_read_back(n: int) -> None:
    written = cn2an.an2cn(n)
    (numeral,) = find_numerals(f"产量为{written}吨。", ROUND_FROM)
    assert numeral.value == n
    assert numeral.end - numeral.start == len(written)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=999_999), st.sampled_from(["万吨", "亿吨", "吨"]))
def test_chinese_tonnage_normalizes(extractor: Extractor, n: int, unit: str) -> None:
    scale = {"万吨": 1e4, "亿吨": 1e8, "吨": 1.0}[unit]
    (mention,) = extractor.mentions(f"储量为{n}{unit}。", "zh")
    assert mention.unit == "kg"
    assert mention.value == pytest.approx(n * scale * 1000, rel=1e-9)
    assert mention.stated_value == pytest.approx(n * scale, rel=1e-9)


@given(st.text(max_size=300))
def test_extraction_never_raises(extractor: Extractor, text: str) -> None:
    for mention in extractor.mentions(text):
        assert 0 <= mention.start < mention.end <= len(text)
        assert mention.surface == text[mention.start : mention.end]
        assert mention.low <= mention.high


def test_normalize_keeps_length() -> None:
    sample = "１２３，４５６．７８％ 萬億貳點 −5"
    assert len(sample.translate(NORMALIZE)) == len(sample)
