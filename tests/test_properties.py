"""Property tests across ingest and extraction (the numeral parser has its own in
test_numerals_properties.py): a quantity written in any of the English and Chinese surface forms
reads back as itself, and no text or bytes make ingest or extraction fail.

The number of examples comes from the hypothesis profile (tests/conftest.py): HYPOTHESIS_PROFILE=
long for a long run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.discover import HTML_SUFFIXES, JSONL_SUFFIXES, TEXT_SUFFIXES
from checker.extraction import Extractor
from checker.ingest import parse_bytes, parse_text
from checker.sentences import split_sentences

SUFFIXES = sorted(TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES)

# Written unit -> (factor to the canonical unit, canonical unit); the scale words go between.
EN_MASS = {"t": 1000.0, "tons": 1000.0, "tonnes": 1000.0, "kg": 1.0}
EN_SCALES = {"": 1.0, "thousand": 1e3, "million": 1e6, "billion": 1e9}
EN_CURRENCY = {"$": "USD", "US$": "USD"}
ZH_MASS = {"吨": 1000.0, "公斤": 1.0, "千克": 1.0}
ZH_SCALES = {"": 1.0, "万": 1e4, "亿": 1e8}
ZH_CURRENCY = {"美元": "USD", "元": "CNY"}


@dataclass(frozen=True)
class Written:
    sentence: str
    surface: str
    value: float
    unit: str
    lang: str


def _digits(integer: int, fraction: str, separators: bool) -> str:
    whole = f"{integer:,}" if separators else str(integer)
    return f"{whole}.{fraction}" if fraction else whole


@st.composite
def numbers(draw: st.DrawFn, largest: int = 999_999) -> tuple[str, float]:
    """A number as digits (with or without thousands separators) and its value."""
    integer = draw(st.integers(min_value=1, max_value=largest))
    fraction = draw(st.sampled_from(["", "", draw(st.from_regex(r"[0-9]{1,2}", fullmatch=True))]))
    written = _digits(integer, fraction, draw(st.booleans()))
    return written, float(f"{integer}.{fraction}" if fraction else integer)


@st.composite
def english(draw: st.DrawFn) -> Written:
    kind = draw(st.sampled_from(["mass", "money", "percent"]))
    if kind == "percent":
        number, value = draw(numbers(largest=99))
        sign = draw(st.sampled_from(["%", " percent"]))
        surface = f"{number}{sign}"
        return Written(f"The share was {surface} at the time.", surface, value, "percent", "en")
    number, value = draw(numbers())
    scale = draw(st.sampled_from(sorted(EN_SCALES)))
    scaled = f"{number} {scale}" if scale else number
    if kind == "mass":
        unit = draw(st.sampled_from(sorted(EN_MASS)))
        surface = f"{scaled} {unit}"
        expected = value * EN_SCALES[scale] * EN_MASS[unit]
        return Written(f"Reserves were put at {surface} by officials.", surface, expected, "kg",
                       "en")
    prefix = draw(st.sampled_from(sorted(EN_CURRENCY)))
    surface = f"{prefix}{scaled}"
    return Written(f"The plant cost {surface} to build.", surface, value * EN_SCALES[scale],
                   EN_CURRENCY[prefix], "en")


@st.composite
def chinese(draw: st.DrawFn) -> Written:
    kind = draw(st.sampled_from(["mass", "money", "percent", "percent-words"]))
    if kind == "percent-words":
        tenths = draw(st.integers(min_value=1, max_value=999))
        value = tenths / 10
        surface = "百分之" + cn2an.an2cn(f"{value:g}")
        return Written(f"其份额为{surface}。", surface, value, "percent", "zh")
    if kind == "percent":
        number, value = draw(numbers(largest=99))
        surface = f"{number}%"
        return Written(f"其份额为{surface}。", surface, value, "percent", "zh")
    number, value = draw(numbers())
    scale = draw(st.sampled_from(sorted(ZH_SCALES)))
    if kind == "mass":
        unit = draw(st.sampled_from(sorted(ZH_MASS)))
        surface = f"{number}{scale}{unit}"
        return Written(f"报告称储量为{surface}。", surface,
                       value * ZH_SCALES[scale] * ZH_MASS[unit], "kg", "zh")
    unit = draw(st.sampled_from(sorted(ZH_CURRENCY)))
    surface = f"{number}{scale}{unit}"
    return Written(f"该项目投资为{surface}。", surface, value * ZH_SCALES[scale],
                   ZH_CURRENCY[unit], "zh")


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


# Year-like amounts ("1900 kg", "$2000", "2023 million tons") are amounts, not years.
@pytest.mark.parametrize(
    "written",
    [
        Written("Reserves were put at 1900 kg by officials.", "1900 kg", 1900.0, "kg", "en"),
        Written("The plant cost $2000 to build.", "$2000", 2000.0, "USD", "en"),
        Written("Reserves were put at 2023 million tons.", "2023 million tons", 2.023e12, "kg",
                "en"),
    ],
    ids=["1900 kg", "$2000", "2023 million tons"],
)
def test_a_year_like_quantity_reads_back(extractor: Extractor, written: Written) -> None:
    _read_back(extractor, written)


def _read_back(extractor: Extractor, written: Written) -> None:
    mentions = extractor.mentions(written.sentence, written.lang)
    matching = [m for m in mentions if m.surface == written.surface]
    assert matching, (written, [(m.surface, m.value, m.unit) for m in mentions])
    (mention,) = matching
    assert mention.unit == written.unit
    assert mention.value == pytest.approx(written.value, rel=1e-9)
    assert mention.qualifier == "exact"


@given(english())
def test_english_quantities_read_back(extractor: Extractor, written: Written) -> None:
    _read_back(extractor, written)


@given(chinese())
def test_chinese_quantities_read_back(extractor: Extractor, written: Written) -> None:
    _read_back(extractor, written)


@given(st.text(max_size=400), st.sampled_from(["en", "zh", None]))
def test_extraction_never_raises_whatever_the_language(
    extractor: Extractor, text: str, lang: str | None
) -> None:
    for mention in extractor.mentions(text, lang):
        assert text[mention.start : mention.end] == mention.surface


# Text that looks like each format, so the parsers go past their first check.
FORMAT_LIKE = st.one_of(
    st.text(max_size=300),
    st.builds(lambda a, b: f'{{"id": "{a}", "text": "{b}"}}\n{a}', st.text(max_size=40),
              st.text(max_size=80)),
    st.builds(lambda a, b: f"<html><title>{a}</title><p>{b}</p>", st.text(max_size=40),
              st.text(max_size=80)),
    st.builds(lambda a, b: f"{a}\nSou Hu·2025-06-26 10:04\n{b}", st.text(max_size=40),
              st.text(max_size=80)),
)


@given(FORMAT_LIKE, st.sampled_from(SUFFIXES))
def test_ingest_never_raises_and_keeps_offsets(text: str, suffix: str) -> None:
    corpus = parse_text(text, f"draft{suffix}", suffix)
    for document in corpus.documents:
        assert len(document.text) == len(text)  # offsets are the file's
        assert 0 <= document.start <= document.end <= len(text)
        for sentence in split_sentences(document):
            assert document.text[sentence.start : sentence.end] == sentence.text


@given(st.binary(max_size=600), st.sampled_from(SUFFIXES))
def test_any_bytes_give_documents_or_problems(data: bytes, suffix: str) -> None:
    corpus = parse_bytes(data, f"draft{suffix}", suffix)
    assert all(problem.reason for problem in corpus.problems)
    if not corpus.documents:
        assert corpus.problems


def test_the_profile_comes_from_the_environment() -> None:
    wanted = os.environ.get("HYPOTHESIS_PROFILE", "ci")
    assert settings.default.max_examples == settings.get_profile(wanted).max_examples
    assert settings.get_profile("ci").max_examples < settings.get_profile("long").max_examples
