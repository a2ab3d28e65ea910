"""Mutations: a corpus sentence restated in a draft once with a slip and once equivalently; does
`numcheck review` flag each slip at the draft's figure, exactly once, and leave the equivalents
alone?

Corpora: seeds/ (read with the pack its numcheck.toml names) and tests/fixtures/topics/ (the stock
lexicon). Their documents are read with `checker.ingest.read_corpus` and their figures with
`checker.pipeline.document_claims`, in this process.

Sentences: a sentence of a corpus article is taken when one of its non-date figures has a full
key (entity and metric read, the key not a restated sentence) whose entity was read in the
sentence itself (no ("entity from", ...) in the claim's evidence), and a surface holding exactly
one numeral in digits that does not run on outside it. The first such figure is the one mutated.
Whitespace is collapsed; a sentence text is taken once per corpus (the first article that has
it), in the order of the corpus's files and of the sentences in them.

Drafts: one per sentence and variant, "# Draft\\n\\n<sentence>\\n" (the sentence on line 3).
Slips (each made only where it applies to the figure; why not is counted):
- x10: the decimal point of the numeral one place right ("28.5" -> "285", "2,700" -> "27,000";
  not for a share that would pass 100%);
- /10: one place left ("28.5" -> "2.85", "300" -> "30", "5" -> "0.5");
- unit: another unit of the same dimension, the number unchanged ("tons" -> "kilograms", 吨 ->
  千克; the table is bench/mutations/words.toml);
- currency: another currency, the number unchanged ("$" -> "€", 美元 -> 欧元, 元 -> 美元);
- wan-yi: 万 for 亿 or 亿 for 万 right after the numeral of a Chinese figure (not 万亿);
- swapped: the last two adjacent different digits of the numeral swapped ("28.5" -> "25.8",
  "2,700" -> "2,070"), unless the result starts with a zero ("80" has none).
Equivalents:
- scale: the same value in another scale: a scale word written out ("2.85 million" ->
  "2,850,000", "302万" -> "3,020,000"), or a plain number of 1,000 or more (10,000 in Chinese)
  given one ("380,000" -> "380 thousand", "8,804,190" -> "8.80419 million", "242765" ->
  "24.2765万");
- converted: the unit of the table, the number multiplied by its exact factor and written
  with a scale word where it is a million or more (10,000 in Chinese): "28.5 million tons" ->
  "28.5 billion kilograms", "6340平方公里" -> "63.4万公顷";
- words: an integer 1-20 of an English sentence in words ("8 years" -> "eight years", "5%" ->
  "five percent"; not after a currency sign);
- language: a one-clause sentence in the other language stating the figure of the same entity
  and measure: "{period}{entity}{metric}{qualifier}{value}。" ("2023年中国销量为949.5万辆。") for
  an English sentence, "{period}{entity}'s {metric} stood at {qualifier}{value}." ("In 2023,
  Norway's sales stood at 28.4%.") for a Chinese one. The names come from numcheck's own tables:
  an entity of the lexicon (its label, its first Chinese alias) or a place of the gazetteer
  (checker.places: its English name, its shortest simplified Chinese name that reads back as the
  same place); the metric's first Chinese trigger, and in English the first of its label, its id
  and its triggers that is a trigger (or a trigger's plural). The period is given when it is a
  year; units, counted nouns, money and qualifiers come from words.toml. Made only when both
  names are known and the key has no scope, is not a phrase metric, not a change, not a range.
Control: "unchanged", the sentence as is, so a finding the corpus itself causes (the sentence's
quantity disputed in the corpus, or not in it at all) is not taken for the mutation's.

All drafts of one corpus and one variant are reviewed in one process, as an editor would:
`python -m checker review 0000.md 0001.md ... --against CORPUS --format json --no-cache
--no-config --fail-on never` (each draft is compared alone: checker.review). A finding is at the
figure when its line is 3 and its columns [col, end_col) overlap the mutated figure's.
- A slip is flagged when exactly one finding of severity error or warning is at the figure; also
  counted: more than one there, none there but one elsewhere in the draft, only info there, and
  any error or warning anywhere.
- An equivalent is flagged when a finding of severity error or warning is at the figure or
  names a draft claim that overlaps it (draft_claim_ids).
- Keyed as the source: the draft's claim at the figure has the corpus figure's key.
The goals (slips >= 95% flagged exactly once at the figure; 0% of equivalents flagged) are
judged, as in mutation testing, on the "clean" sentences: those whose unchanged restatement
passes, drawing no finding at all at the figure (the corpus holds the quantity and agrees with
the sentence). A sentence whose quantity the corpus disputes cannot show a slip being caught (a
x10 slip of the minority figure may land on the consensus) nor an equivalent being left alone
(an equivalent of a minority figure still contradicts most sources); the numbers over every
sentence are given beside.

    .venv/bin/python bench/mutations.py                  # print the tables
    .venv/bin/python bench/mutations.py --json out.json  # and every variant, with the misses
    .venv/bin/python bench/mutations.py --write          # and record them in bench/RESULTS.md
"""

from __future__ import annotations

import argparse
import calendar
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from checker.claims import Lexicon  # noqa: E402
from checker.config import corpus_lexicons  # noqa: E402
from checker.extraction import Extractor  # noqa: E402
from checker.ingest import read_corpus  # noqa: E402
from checker.models import Claim  # noqa: E402
from checker.pipeline import document_claims  # noqa: E402
from checker.rulebook import Rulebook  # noqa: E402

__all__ = [
    "Source",
    "Variant",
    "evaluate",
    "in_words",
    "load_sources",
    "mutate",
    "rescale",
    "shift_point",
    "swap_digits",
    "swap_wan_yi",
    "swap_word",
    "written",
]

SECTION = "mutations"
WORDS_FILE = Path(__file__).resolve().parent / "mutations" / "words.toml"
CORPORA = (("seeds", ROOT / "seeds"), ("topics", ROOT / "tests" / "fixtures" / "topics"))
SLIPS = ("x10", "/10", "unit", "currency", "wan-yi", "swapped")
EQUIVALENTS = ("scale", "converted", "words", "language")
CONTROL = "unchanged"
KINDS = (CONTROL, *SLIPS, *EQUIVALENTS)
DRAFT_HEAD = "# Draft\n\n"
LINE = 3  # the sentence's line in a draft
FLAGGING = ("error", "warning")
SLIP_GOAL, EQUIVALENT_GOAL = 95.0, 0.0

_NUMERAL = re.compile(r"\d[\d,]*(?:\.\d+)?")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_CJK = re.compile(r"[\u3400-\u9fff]")
_SCALE_EN = re.compile(r"\s*(thousand|million|billion|trillion)\b", re.IGNORECASE)
_SCALE_ZH = re.compile(r"万亿|亿|万")
SCALES = {"thousand": 3, "million": 6, "billion": 9, "trillion": 12, "万": 4, "亿": 8, "万亿": 12}
_SCALE_WORDS = {"en": (("trillion", 12), ("billion", 9), ("million", 6)),
                "zh": (("亿", 8), ("万", 4))}
NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
                "seventeen", "eighteen", "nineteen", "twenty")
CURRENCY_SIGNS = "$€£¥"


# ---------------------------------------------------------------------------------------------
# the words of words.toml


@dataclass(frozen=True, slots=True)
class Swap:
    """A word of a figure and what a mutation writes for it (`factor`: `to` per `from`)."""

    old: str
    new: str
    factor: Decimal = Decimal(1)


@dataclass(frozen=True, slots=True)
class Words:
    units: tuple[Swap, ...]
    currencies: tuple[Swap, ...]
    language: Mapping[str, Any]

    @classmethod
    def load(cls, path: Path = WORDS_FILE) -> Words:
        data = tomllib.loads(path.read_text("utf-8"))
        return cls(
            units=tuple(Swap(row["from"], row["to"], Decimal(row["factor"]))
                        for row in data["unit"]),
            currencies=tuple(Swap(row["from"], row["to"]) for row in data["currency"]),
            language=data["language"],
        )

    def term(self, word: str, lang: str) -> str | None:
        """A stated unit or counted noun in the other language (None: not in the table)."""
        other = "zh" if lang == "en" else "en"
        for row in self.language["term"]:
            if row[lang] == word:
                return str(row[other])
        return None


# ---------------------------------------------------------------------------------------------
# pure rewrites of a numeral or a figure


def _digits_of(numeral: str) -> tuple[str, int, bool, bool] | None:
    """A numeral's digits, where its point stands, whether it is grouped and has a fraction."""
    grouped = "," in numeral
    if grouped and not _GROUPED.fullmatch(numeral):
        return None
    whole, point, fraction = numeral.replace(",", "").partition(".")
    return whole + fraction, len(whole), grouped, bool(point)


def _numeral(digits: str, point: int, grouped: bool) -> str:
    whole = digits[:point].lstrip("0") or "0"
    fraction = digits[point:]
    if grouped:
        whole = f"{int(whole):,}"
    return whole + ("." + fraction if fraction else "")


def shift_point(numeral: str, places: int) -> str | None:
    """The numeral with its decimal point moved `places` to the right (left when negative),
    written as it was (grouping kept): x10 is 1, /10 is -1. The zeros a shift left leaves after
    the point of a whole number go ("300" / 10 is "30", not "30.0"). None for a numeral that is
    not cleanly written ("12,34")."""
    read = _digits_of(numeral)
    if read is None:
        return None
    digits, point, grouped, had_fraction = read
    point += places
    if point > len(digits):
        digits += "0" * (point - len(digits))
    if point < 1:
        digits, point = "0" * (1 - point) + digits, 1
    if not had_fraction:
        digits = digits[:point] + digits[point:].rstrip("0")
    return _numeral(digits, point, grouped)


def swap_digits(numeral: str) -> str | None:
    """The numeral with its last two adjacent different digits swapped (separators stay where
    they are): "28.5" -> "25.8", "2,700" -> "2,070". None when every such swap would put a zero
    first ("80", "100") or there is none ("5", "99")."""
    places = [i for i, char in enumerate(numeral) if char.isdigit()]
    for a, b in reversed(list(zip(places, places[1:], strict=False))):
        if numeral[a] == numeral[b]:
            continue
        chars = list(numeral)
        chars[a], chars[b] = chars[b], chars[a]
        swapped = "".join(chars)
        if not re.match(r"0[\d,]", swapped):
            return swapped
    return None


def swap_wan_yi(figure: str) -> str | None:
    """The figure with the 万 or 亿 right after its numeral swapped for the other ("302万辆" ->
    "302亿辆"); None when there is none or it is 万亿."""
    numeral = _NUMERAL.search(figure)
    if numeral is None:
        return None
    after = figure[numeral.end():]
    if after.startswith("万亿") or after[:1] not in ("万", "亿"):
        return None
    return figure[:numeral.end()] + ("亿" if after[0] == "万" else "万") + after[1:]


def _word_pattern(swaps: Sequence[Swap]) -> re.Pattern[str]:
    """The swaps' words, longest first; a Latin word only whole."""
    parts = []
    for swap in sorted(swaps, key=lambda s: (-len(s.old), s.old)):
        word = re.escape(swap.old)
        if swap.old[:1].isalpha() and not _CJK.match(swap.old):
            word = rf"(?<![A-Za-z-]){word}(?![A-Za-z-])"
        parts.append(word)
    return re.compile("|".join(parts))


def swap_word(text: str, swaps: Sequence[Swap], start: int = 0,
              end: int | None = None) -> tuple[str, Swap, int, int] | None:
    """`text` with the first word of `swaps` in text[start:end] replaced: the new text, the swap
    and where the new word stands. None when no word is there."""
    found = _word_pattern(swaps).search(text, start, len(text) if end is None else end)
    if found is None:
        return None
    swap = next(s for s in swaps if s.old == found.group())
    new = text[:found.start()] + swap.new + text[found.end():]
    return new, swap, found.start(), found.start() + len(swap.new)


def _plain(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros: 2.70 -> "2.7", 2.7E+3 -> "2700"."""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _grouped(value: Decimal) -> str:
    whole, _, fraction = _plain(value).partition(".")
    return f"{int(whole):,}" + ("." + fraction if fraction else "")


def written(value: Decimal, lang: str, thousands: bool = False) -> str:
    """A value written sensibly: English with million/billion/trillion from a million up
    (`thousands`: "thousand" from 1,000 up), else grouped digits; Chinese with 亿 or 万 from
    10,000 up, else plain digits."""
    scales = _SCALE_WORDS[lang] + ((("thousand", 3),) if thousands and lang == "en" else ())
    for word, exponent in scales:
        if abs(value) >= Decimal(10) ** exponent:
            mantissa = _plain(value.scaleb(-exponent))
            return f"{mantissa} {word}" if lang == "en" else mantissa + word
    return _grouped(value) if lang == "en" else _plain(value)


def scale_after(text: str, end: int, lang: str) -> re.Match[str] | None:
    """The scale word right after a numeral ending at `end`: " million", 万, 亿, 万亿."""
    pattern = _SCALE_EN if lang == "en" else _SCALE_ZH
    return pattern.match(text, end)


def value_of(numeral: str, scale: str = "") -> Decimal | None:
    """A numeral and its scale word as an exact decimal."""
    try:
        value = Decimal(numeral.replace(",", ""))
    except InvalidOperation:
        return None
    return value.scaleb(SCALES[scale.strip().lower()]) if scale.strip() else value


def rescale(numeral: str, scale: str, lang: str) -> str | None:
    """The same value in another scale: a scale word written out in grouped digits ("2.85",
    "million" -> "2,850,000"; "302", "万" -> "3,020,000"), or a plain number of 1,000 or more
    (10,000 in Chinese) given one ("380,000" -> "380 thousand"; "242765" -> "24.2765万"). None
    for a smaller plain number."""
    value = value_of(numeral, scale)
    if value is None:
        return None
    if scale.strip():
        return _grouped(value)
    if value < (1000 if lang == "en" else 10000):
        return None
    return written(value, lang, thousands=True)


def in_words(numeral: str, after: str = "") -> tuple[str, int] | None:
    """An integer 1-20 in English words, and how many characters of `after` it takes with it
    ("5", "%" -> ("five percent", 1)); None for any other numeral."""
    if not numeral.isdigit() or not 1 <= int(numeral) <= 20 or numeral.startswith("0"):
        return None
    word = NUMBER_WORDS[int(numeral)]
    return (f"{word} percent", 1) if after.startswith("%") else (word, 0)


# ---------------------------------------------------------------------------------------------
# the sentences


@dataclass(frozen=True, slots=True)
class Source:
    """A corpus sentence and the figure of it that is mutated; spans are in `text`."""

    corpus: str
    path: str
    line: int
    lang: str
    text: str
    figure: tuple[int, int]
    numeral: tuple[int, int]
    surface: str
    key: str
    entity: str
    metric: str
    metric_phrase: bool
    scoped: bool
    change: bool
    period: str
    dimension: str
    unit: str
    stated_unit: str
    stated_value: float
    qualifier: str


@dataclass(frozen=True, slots=True)
class Variant:
    """A draft sentence made from a source: `figure` is the mutated figure's span in `text`."""

    kind: str
    source: int
    text: str
    figure: tuple[int, int]


def collapse(text: str) -> tuple[str, list[int]]:
    """Whitespace runs as one space, the ends stripped; and where each character of `text`
    went (a character of a run: where the run's space went)."""
    out: list[str] = []
    where = []
    for char in text:
        if char.isspace():
            if out and out[-1] != " ":
                out.append(" ")
            where.append(len(out) - 1 if out else 0)
        else:
            where.append(len(out))
            out.append(char)
    while out and out[-1] == " ":
        out.pop()
    where.append(len(out))
    return "".join(out), where


def _numeral_in(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The one numeral in digits of text[start:end], when it does not run on outside it."""
    found = list(_NUMERAL.finditer(text, start, end))
    if len(found) != 1:
        return None
    a, b = found[0].span()
    before, after = text[max(0, a - 2):a], text[b:b + 2]
    if before[-1:].isdigit() or (before[-1:] in (".", ",") and before[:1].isdigit()):
        return None
    if after[:1].isdigit() or (after[:1] in (".", ",") and after[1:2].isdigit()):
        return None
    return a, b


def _chosen(claim: Claim) -> bool:
    return (claim.dimension != "date" and claim.key is not None and not claim.key.restated
            and bool(claim.entity) and bool(claim.metric)
            and not any(part == "entity from" for part, _ in claim.evidence))


def load_sources(corpus: str, folder: Path, extractor: Extractor) -> list[Source]:
    """The sentences of a corpus with a figure to mutate, in order, each text once."""
    rulebook = Rulebook.load(lexicons=tuple(corpus_lexicons([folder])))
    documents = read_corpus([folder]).documents
    sources: list[Source] = []
    seen: set[str] = set()
    for document in documents:
        by_sentence: dict[int, list[Claim]] = defaultdict(list)
        for claim in document_claims(document, extractor, rulebook):
            by_sentence[claim.sentence_start].append(claim)
        for claims in by_sentence.values():
            text, where = collapse(claims[0].sentence)
            if text in seen:
                continue
            for claim in claims:
                if not _chosen(claim):
                    continue
                start = where[claim.start - claim.sentence_start]
                end = where[claim.end - claim.sentence_start - 1] + 1
                numeral = _numeral_in(text, start, end)
                if numeral is None:
                    continue
                seen.add(text)
                key = claim.key
                assert key is not None
                sources.append(Source(
                    corpus=corpus, path=_shown(document.path), line=claim.line,
                    lang=claim.lang, text=text, figure=(start, end), numeral=numeral,
                    surface=text[start:end], key=str(key), entity=claim.entity,
                    metric=key.metric, metric_phrase=key.phrase, scoped=bool(key.scope_tokens),
                    change=key.measure.endswith(":change"), period=claim.period,
                    dimension=claim.dimension, unit=claim.unit, stated_unit=claim.stated_unit,
                    stated_value=claim.stated_value, qualifier=claim.qualifier))
                break
    return sources


def _shown(path: str) -> str:
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return path


# ---------------------------------------------------------------------------------------------
# names in both languages (the other-language sentence)


@dataclass(frozen=True, slots=True)
class Names:
    """English and Chinese names of entities and metrics, from numcheck's own tables."""

    lexicon: Lexicon

    def entity(self, entity_id: str) -> tuple[str, str] | None:
        """(English, Chinese) name of an entity of the lexicon or a place of the gazetteer."""
        found = self.lexicon.entities.get(entity_id)
        if found is not None:
            chinese = [alias for alias, eid in self.lexicon.name_ids.items()
                       if eid == entity_id and _CJK.search(alias)]
            return (found.label, chinese[0]) if chinese and found.label else None
        return _place_names(tuple(sorted(self.lexicon.place_suffixes))).get(entity_id)

    def metric(self, metric_id: str) -> tuple[str, str] | None:
        """(English, Chinese) word of a lexicon metric: in Chinese its first Chinese trigger; in
        English the first of its label, its id and its triggers that is a trigger (or the plural
        of one)."""
        found = self.lexicon.metrics.get(metric_id)
        if found is None:
            return None
        triggers = [word for word, mid in self.lexicon.trigger_ids.items() if mid == metric_id]
        chinese = [word for word in triggers if _CJK.search(word)]
        latin = [word for word in triggers if not _CJK.search(word)]
        english = [word for word in (found.label.lower(), metric_id.replace("_", " "), *latin)
                   if word in latin or word.removesuffix("s") in latin]
        return (english[0], chinese[0]) if english and chinese else None


@cache
def _place_names(suffixes: tuple[str, ...]) -> Mapping[str, tuple[str, str]]:
    """place id -> (English name, Chinese name) for every place of checker.places with a
    simplified Chinese name of two characters or more that reads back as the same place: a name
    that is also a name with one of the lexicon's place suffixes (深圳, as 深圳市 is) before
    others, then the shortest, then the first the gazetteer gives."""
    import opencc

    from checker.places import Places, _city_names, _ranked_country_names

    places = Places()
    simplified = opencc.OpenCC("t2s")
    candidates: dict[str, tuple[str, list[str]]] = {}
    named = [(name, place) for name, place, _ in _ranked_country_names()]
    named += list(_city_names().items())
    for name, place in named:
        entry = candidates.setdefault(place.id, (place.label, []))
        if _CJK.search(name) and len(name) >= 2 and simplified.convert(name) == name \
                and name not in entry[1]:
            entry[1].append(name)
    names = {}
    for place_id, (label, chinese) in candidates.items():

        def rank(name: str, chinese: list[str] = chinese) -> tuple[bool, int, int]:
            official = any(name + suffix in chinese for suffix in suffixes)
            return not official, len(name), chinese.index(name)

        for name in sorted(chinese, key=rank):
            back = places.get(name)
            if back is not None and back.id == place_id:
                names[place_id] = (label, name)
                break
    return names


# ---------------------------------------------------------------------------------------------
# the variants


def _replace(text: str, span: tuple[int, int], new: str) -> str:
    return text[:span[0]] + new + text[span[1]:]


def _figure_after(source: Source, old_end: int, new_end: int) -> tuple[int, int]:
    """The figure's span once an edit of its text ending at `old_end` ends at `new_end`."""
    figure_start, figure_end = source.figure
    return figure_start, max(figure_end + new_end - old_end, new_end)


def _numeral_edit(source: Source, new: str | None, why: str) -> Variant | str:
    if new is None:
        return why
    a, b = source.numeral
    return Variant("", 0, _replace(source.text, (a, b), new),
                   _figure_after(source, b, a + len(new)))


def _value(source: Source) -> tuple[Decimal, re.Match[str] | None] | str:
    """The figure's value from its digits and scale word, when it is the value numcheck read."""
    a, b = source.numeral
    scale = scale_after(source.text, b, source.lang)
    value = value_of(source.text[a:b], scale.group() if scale else "")
    if value is None:
        return "numeral not read"
    if abs(float(value) - source.stated_value) > 1e-9 * max(1.0, abs(source.stated_value)):
        return "value not its digits"
    return value, scale


def mutate(source: Source, kind: str, words: Words, names: Names | None = None) -> Variant | str:
    """The draft sentence of `kind` for a source (index 0, kind set by the caller); else why the
    kind does not apply to its figure."""
    text, (a, b) = source.text, source.numeral
    numeral = text[a:b]
    if kind == CONTROL:
        return Variant("", 0, text, source.figure)
    if kind == "x10":
        if source.dimension == "percent" and not source.change and source.stated_value * 10 > 100:
            return "a share past 100%"
        return _numeral_edit(source, shift_point(numeral, 1), "numeral not cleanly written")
    if kind == "/10":
        return _numeral_edit(source, shift_point(numeral, -1), "numeral not cleanly written")
    if kind == "swapped":
        return _numeral_edit(source, swap_digits(numeral), "no two digits to swap")
    if kind == "wan-yi":
        figure = text[source.figure[0]:source.figure[1]]
        swapped = swap_wan_yi(figure) if source.lang == "zh" else None
        if swapped is None:
            return "no 万 or 亿"
        return Variant("", 0, _replace(text, source.figure, swapped), source.figure)
    if kind in ("unit", "currency"):
        table = words.units if kind == "unit" else words.currencies
        start = b if kind == "unit" else source.figure[0]
        found = swap_word(text, table, start, source.figure[1])
        if found is None:
            return f"no {kind} of the table"
        new, swap, _, end = found
        return Variant("", 0, new, _figure_after(source, end - len(swap.new) + len(swap.old), end))
    if kind == "scale":
        read = _value(source)
        if isinstance(read, str):
            return read
        _, scale = read
        end = scale.end() if scale else b
        new = rescale(numeral, scale.group() if scale else "", source.lang)
        if new is None:
            return "a small number without a scale word"
        return Variant("", 0, _replace(text, (a, end), new),
                       _figure_after(source, end, a + len(new)))
    if kind == "converted":
        return _converted(source, words)
    if kind == "words":
        if source.lang != "en":
            return "not English"
        if text[a - 1:a] and text[a - 1] in CURRENCY_SIGNS:
            return "after a currency sign"
        spelled = in_words(numeral, text[b:])
        if spelled is None:
            return "not an integer 1-20"
        word, taken = spelled
        if a == 0:
            word = word.capitalize()
        return Variant("", 0, _replace(text, (a, b + taken), word),
                       _figure_after(source, b + taken, a + len(word)))
    if kind == "language":
        return _other_language(source, words, names)
    raise ValueError(f"unknown kind {kind!r}")


def _converted(source: Source, words: Words) -> Variant | str:
    text, (a, b) = source.text, source.numeral
    found = swap_word(text, words.units, b, source.figure[1])
    if found is None:
        return "no unit of the table"
    read = _value(source)
    if isinstance(read, str):
        return read
    value, scale = read
    new_text, swap, _, unit_end = found
    end = scale.end() if scale else b
    number = written(value * swap.factor, source.lang)
    # the unit comes after the number: the number is replaced second, in the unit-swapped text
    rewritten = _replace(new_text, (a, end), number)
    figure_end = max(unit_end, source.figure[1] + len(swap.new) - len(swap.old))
    return Variant("", 0, rewritten,
                   (source.figure[0], figure_end + len(number) - (end - a)))


def _other_language(source: Source, words: Words, names: Names | None) -> Variant | str:
    if names is None:
        return "no names"
    if source.metric_phrase:
        return "a phrase measure"
    if source.scoped:
        return "a scoped key"
    if source.change:
        return "a change"
    if source.qualifier == "range":
        return "a range"
    entity, metric = names.entity(source.entity), names.metric(source.metric)
    if entity is None:
        return "entity not named in both languages"
    if metric is None:
        return "metric not named in both languages"
    read = _value(source)
    if isinstance(read, str):
        return read
    value = read[0]
    other = "zh" if source.lang == "en" else "en"
    language = words.language
    number = written(value, other)
    if source.dimension == "currency":
        money = language["money"].get(source.unit)
        if money is None:
            return "money not in the table"
        value_text = money[other].format(number)
    else:
        term = words.term(source.stated_unit.strip(), source.lang) if source.stated_unit else ""
        if term is None and source.dimension != "count":
            return "unit not in the table"
        term = term or ""
        value_text = number + ("" if other == "zh" or term == "%" or not term else " ") + term
    period = _period(source.period, language["period"][other])
    if period is None:
        return "a period not a year, month or day"
    qualifier = language["qualifier"][other][source.qualifier]
    sentence = language[other].format(period=period, entity=entity[other == "zh"],
                                      metric=metric[other == "zh"], qualifier=qualifier,
                                      value=value_text)
    start = sentence.index(value_text, len(period))
    return Variant("", 0, sentence, (start, start + len(value_text)))


def _period(period: str, templates: Mapping[str, str]) -> str | None:
    """A period of the fact table (2023, 2025-09, 2023-12-31) put with `templates`; "" for none,
    None for one of another form."""
    if not period:
        return ""
    found = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", period)
    if found is None:
        return None
    year, month, day = found.groups()
    form = ("year_end" if (month, day) == ("12", "31") else "day") if day else (
        "month" if month else "year")
    return templates[form].format(year=year, month=int(month or 0), day=int(day or 0),
                                  month_name=calendar.month_name[int(month or 0)])


def build_variants(sources: Sequence[Source], words: Words, names_by_corpus: Mapping[str, Names],
                   kinds: Sequence[str] = KINDS
                   ) -> tuple[list[Variant], dict[tuple[str, str], Counter[str]]]:
    """Every variant of `kinds` that applies, and by (corpus, kind) why the others do not."""
    variants = []
    skipped: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for index, source in enumerate(sources):
        for kind in kinds:
            made = mutate(source, kind, words, names_by_corpus.get(source.corpus))
            if isinstance(made, str):
                skipped[(source.corpus, kind)][made] += 1
            else:
                variants.append(Variant(kind, index, made.text, made.figure))
    return variants, skipped


# ---------------------------------------------------------------------------------------------
# the reviews


def draft_text(sentence: str) -> str:
    return f"{DRAFT_HEAD}{sentence}\n"


def review_drafts(sentences: Sequence[str], corpus: Path, folder: Path) -> dict[str, Any]:
    """`numcheck review` of one draft per sentence (0000.md, ...) against `corpus`, in one
    process; the JSON it writes."""
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for number, sentence in enumerate(sentences):
        name = f"{number:04d}.md"
        (folder / name).write_text(draft_text(sentence), "utf-8")
        names.append(name)
    command = [sys.executable, "-m", "checker", "review", *names, "--against", str(corpus),
               "--format", "json", "--no-cache", "--no-config", "--fail-on", "never", "--quiet"]
    # this checkout's numcheck, whatever the interpreter has installed
    paths = [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False,
                          env=environment)
    if done.returncode != 0:
        raise RuntimeError(f"numcheck review failed ({done.returncode}): {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@dataclass(slots=True)
class Outcome:
    """What the review said about one draft."""

    at_figure: list[dict[str, Any]] = field(default_factory=list)  # findings at the figure
    involving: list[dict[str, Any]] = field(default_factory=list)  # naming its draft claim
    elsewhere: list[dict[str, Any]] = field(default_factory=list)
    read_as: list[dict[str, Any]] = field(default_factory=list)  # draft claims at the figure

    def flagging(self, findings: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        return [f for f in findings if f["severity"] in FLAGGING]

    @property
    def slip(self) -> str:
        """once | multiple | elsewhere | info | none"""
        here = len(self.flagging(self.at_figure))
        if here == 1:
            return "once"
        if here > 1:
            return "multiple"
        if self.flagging(self.elsewhere):
            return "elsewhere"
        return "info" if self.at_figure else "none"

    @property
    def equivalent_flagged(self) -> bool:
        return bool(self.flagging(self.at_figure + self.involving))

    @property
    def anywhere(self) -> bool:
        return bool(self.flagging(self.at_figure + self.involving + self.elsewhere))


def evaluate(review: Mapping[str, Any], path: str, figure: tuple[int, int]) -> Outcome:
    """The findings of the review for the draft `path` whose sentence (line 3) holds the
    figure at `figure` (offsets in the sentence): at the figure, naming its claims, elsewhere."""
    columns = (figure[0] + 1, figure[1] + 1)
    outcome = Outcome()
    ids = set()
    for claim in review["claims"]:
        if claim.get("origin") != "draft" or claim.get("path") != path:
            continue
        span = (claim["col"], claim["col"] + claim["end"] - claim["start"])
        if claim["line"] == LINE and _overlaps(span, columns):
            ids.add(claim["claim_id"])
            outcome.read_as.append(claim)
    for finding in review["findings"]:
        if finding["path"] != path:
            continue
        same_line = finding["line"] == LINE and finding.get("end_line", LINE) == LINE
        if same_line and _overlaps((finding["col"], finding["end_col"]), columns):
            outcome.at_figure.append(finding)
        elif ids & set(finding.get("draft_claim_ids") or ()):
            outcome.involving.append(finding)
        else:
            outcome.elsewhere.append(finding)
    return outcome


def run_reviews(sources: Sequence[Source], variants: Sequence[Variant], jobs: int
                ) -> dict[int, Outcome]:
    """Each corpus's variants of each kind reviewed in one process; variant index -> outcome."""
    batches: dict[tuple[str, str], list[int]] = defaultdict(list)
    for number, variant in enumerate(variants):
        batches[(sources[variant.source].corpus, variant.kind)].append(number)
    folders = dict(CORPORA)
    outcomes: dict[int, Outcome] = {}
    with tempfile.TemporaryDirectory(prefix="mutations-") as temporary:

        def one(batch: tuple[tuple[str, str], list[int]]) -> None:
            (corpus, kind), members = batch
            folder = Path(temporary) / corpus / kind.replace("/", "div")
            review = review_drafts([variants[i].text for i in members], folders[corpus], folder)
            for number, index in enumerate(members):
                outcomes[index] = evaluate(review, f"{number:04d}.md", variants[index].figure)

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            list(pool.map(one, sorted(batches.items())))
    return outcomes


# ---------------------------------------------------------------------------------------------
# the numbers


def _said(findings: Iterable[dict[str, Any]]) -> list[str]:
    return [f"{f['line']}:{f['col']} {f['code']} {f['severity']}: {f['message']}" for f in findings]


def _control(outcome: Outcome | None) -> str:
    """How the corpus takes the sentence as is: agrees | disputed | not checked | not reviewed."""
    if outcome is None:
        return "not reviewed"
    shown = outcome.at_figure + outcome.involving
    if not shown:
        return "agrees"
    return "not checked" if all(f.get("kind") == "coverage" for f in shown) else "disputed"


def _why(source: Source, variant: Variant, outcome: Outcome, control: str) -> str:
    """A miss's group: what the review did, and what stood in its way."""
    if variant.kind in SLIPS:
        did = {"multiple": "more than one error/warning at the figure",
               "elsewhere": "flagged elsewhere only", "info": "only info at the figure",
               "none": "no finding at the figure"}[outcome.slip]
    else:
        did = "flagged"
    keys = {claim.get("key") or "" for claim in outcome.read_as}
    if not outcome.read_as:
        cause = "draft figure not read"
    elif source.key not in keys:
        cause = "draft figure keyed otherwise"
    elif control != "agrees":
        cause = f"the sentence as is: {control}"
    else:
        cause = "keyed as the source, corpus agrees"
    return f"{did}; {cause}"


def measure(sources: Sequence[Source], variants: Sequence[Variant],
            outcomes: Mapping[int, Outcome],
            skipped: Mapping[tuple[str, str], Counter[str]]) -> dict[str, Any]:
    """The numbers by corpus and kind, the goals, and every miss."""
    control = {variant.source: _control(outcomes.get(number))
               for number, variant in enumerate(variants) if variant.kind == CONTROL}
    rows: dict[str, dict[str, dict[str, Any]]] = {}
    misses = []
    for corpus in [name for name, _ in CORPORA] + ["all"]:
        rows[corpus] = {}
        for kind in KINDS:
            members = [(number, v) for number, v in enumerate(variants) if v.kind == kind
                       and corpus in ("all", sources[v.source].corpus)]
            results = [outcomes[number] for number, _ in members]
            clean = [outcomes[n] for n, v in members if control.get(v.source) == "agrees"]
            keyed = sum(1 for (_, v), o in zip(members, results, strict=True)
                        if sources[v.source].key in {c.get("key") for c in o.read_as})
            row: dict[str, Any] = {
                "made": len(members),
                "not_made": dict(sum((skipped.get((name, kind), Counter())
                                      for name, _ in CORPORA if corpus in ("all", name)),
                                     Counter()).most_common()),
                "keyed_as_source": keyed,
                "anywhere": sum(o.anywhere for o in results),
                "clean": len(clean),
            }
            if kind in SLIPS or kind == CONTROL:
                counts = Counter(o.slip for o in results)
                row.update({name: counts[name] for name in
                            ("once", "multiple", "elsewhere", "info", "none")})
                row["clean_once"] = sum(o.slip == "once" for o in clean)
            if kind in EQUIVALENTS or kind == CONTROL:
                row["flagged"] = sum(o.equivalent_flagged for o in results)
                row["clean_flagged"] = sum(o.equivalent_flagged for o in clean)
            if kind == CONTROL:
                row["control"] = dict(Counter(control[v.source] for _, v in members).most_common())
            rows[corpus][kind] = row
    for number, variant in enumerate(variants):
        outcome = outcomes[number]
        missed = (variant.kind in SLIPS and outcome.slip != "once") or (
            variant.kind in EQUIVALENTS and outcome.equivalent_flagged)
        if not missed:
            continue
        source = sources[variant.source]
        misses.append({
            "corpus": source.corpus, "kind": variant.kind,
            "group": _why(source, variant, outcome, control.get(variant.source, "")),
            "source": f"{source.path}:{source.line}", "sentence": source.text,
            "figure": source.surface, "key": source.key, "draft": variant.text,
            "draft_figure": variant.text[variant.figure[0]:variant.figure[1]],
            "read_as": [{"surface": c.get("surface"), "value": c.get("value"),
                         "unit": c.get("unit"), "key": c.get("key")} for c in outcome.read_as],
            "at_figure": _said(outcome.at_figure), "involving": _said(outcome.involving),
            "elsewhere": _said(outcome.elsewhere),
            "sentence_as_is": control.get(variant.source, ""),
        })
    return {"date": date.today().isoformat(), "sentences": _sentence_counts(sources),
            "rows": rows, "misses": misses}


def _sentence_counts(sources: Sequence[Source]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for source in sources:
        by_lang = counts.setdefault(source.corpus, {"en": 0, "zh": 0})
        by_lang[source.lang] = by_lang.get(source.lang, 0) + 1
    return counts


# ---------------------------------------------------------------------------------------------
# output


def _rate(part: int, whole: int) -> str:
    return f"{part}/{whole} {100 * part / whole:.1f}%" if whole else "0/0 -"


def _share(part: int, whole: int) -> float:
    return 100 * part / whole if whole else 0.0


_Column = tuple[str, Callable[[Mapping[str, Any]], str]]
SLIP_COLUMNS: tuple[_Column, ...] = (
    ("made", lambda row: str(row["made"])),
    ("flagged once at the figure", lambda row: _rate(row["once"], row["made"])),
    ("more than once there", lambda row: str(row["multiple"])),
    ("elsewhere only", lambda row: str(row["elsewhere"])),
    ("only info there", lambda row: str(row["info"])),
    ("nothing", lambda row: str(row["none"])),
    ("any error/warning in the draft", lambda row: str(row["anywhere"])),
    ("keyed as the source", lambda row: _rate(row["keyed_as_source"], row["made"])),
    ("clean sentences: flagged once", lambda row: _rate(row["clean_once"], row["clean"])),
)
EQUIVALENT_COLUMNS: tuple[_Column, ...] = (
    ("made", lambda row: str(row["made"])),
    ("flagged at the figure", lambda row: _rate(row["flagged"], row["made"])),
    ("any error/warning in the draft", lambda row: str(row["anywhere"])),
    ("keyed as the source", lambda row: _rate(row["keyed_as_source"], row["made"])),
    ("clean sentences: flagged", lambda row: _rate(row["clean_flagged"], row["clean"])),
)


def _table(numbers: dict[str, Any], what: str, kinds: Sequence[str],
           columns: Sequence[_Column]) -> list[str]:
    lines = ["| corpus | " + " | ".join([what, *(name for name, _ in columns)]) + " |",
             "|---|---|" + "---:|" * len(columns)]
    for corpus, rows in numbers["rows"].items():
        label = f"**{corpus}**" if corpus == "all" else corpus
        for kind in kinds:
            name = f"{kind} (control)" if kind == CONTROL else kind
            cells = [label, name, *(cell(rows[kind]) for _, cell in columns)]
            lines.append("| " + " | ".join(cells) + " |")
    return lines


def table(numbers: dict[str, Any]) -> str:
    """The slips, then the equivalents, by corpus and kind (the control in both)."""
    return "\n".join([*_table(numbers, "slip", (CONTROL, *SLIPS), SLIP_COLUMNS), "",
                      *_table(numbers, "equivalent", (CONTROL, *EQUIVALENTS),
                              EQUIVALENT_COLUMNS)])


def _totals(numbers: dict[str, Any], kinds: Sequence[str], part: str, whole: str) -> tuple[int,
                                                                                           int]:
    rows = numbers["rows"]["all"]
    return sum(rows[k][part] for k in kinds), sum(rows[k][whole] for k in kinds)


def goals(numbers: dict[str, Any]) -> list[str]:
    def verdict(ok: bool) -> str:
        return "met" if ok else "not met"

    once, slips = _totals(numbers, SLIPS, "once", "made")
    clean_once, clean_slips = _totals(numbers, SLIPS, "clean_once", "clean")
    flagged, equivalents = _totals(numbers, EQUIVALENTS, "flagged", "made")
    clean_flagged, clean_equivalents = _totals(numbers, EQUIVALENTS, "clean_flagged", "clean")
    # As in mutation testing, a mutant is judged against an original that passes: the goals are
    # met or not on the clean sentences; every sentence is shown beside them.
    return [
        f"slips flagged exactly once at the draft figure, clean sentences: "
        f"{_rate(clean_once, clean_slips)} (goal >= {SLIP_GOAL:.0f}%): "
        f"{verdict(_share(clean_once, clean_slips) >= SLIP_GOAL)}; every sentence: "
        f"{_rate(once, slips)}",
        f"equivalents flagged, clean sentences: {_rate(clean_flagged, clean_equivalents)} "
        f"(goal {EQUIVALENT_GOAL:.0f}%): {verdict(clean_flagged == 0)}; every sentence: "
        f"{_rate(flagged, equivalents)} (the sentence's quantity disputed in the corpus: the "
        "draft restates a figure most sources do not hold)",
    ]


def miss_groups(numbers: dict[str, Any], examples: int = 2) -> list[str]:
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for miss in numbers["misses"]:
        grouped[(miss["kind"], miss["group"])].append(miss)
    lines = []
    for (kind, group), members in sorted(grouped.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        shown = []
        for miss in members[:examples]:
            said = (miss["at_figure"] or miss["involving"] or miss["elsewhere"] or ["nothing"])[0]
            shown.append(f"{miss['draft']!r} ({miss['corpus']}): {said}")
        lines.append(f"- {kind}, {group}: {len(members)}. " + " | ".join(shown))
    return lines


def _not_made(numbers: dict[str, Any]) -> str:
    rows = numbers["rows"]["all"]
    parts = []
    for kind in KINDS[1:]:
        reasons = rows[kind]["not_made"]
        if reasons:
            parts.append(f"{kind}: " + ", ".join(f"{why} {n}" for why, n in reasons.items()))
    return "; ".join(parts)


def section(numbers: dict[str, Any], command: str) -> str:
    sentences = ", ".join(f"{corpus} {counts['en']} English + {counts['zh']} Chinese"
                          for corpus, counts in numbers["sentences"].items())
    control = numbers["rows"]["all"][CONTROL]["control"]
    seconds = numbers["seconds"]
    about = (
        "Each sentence of seeds/ and tests/fixtures/topics/ with a figure keyed in the sentence "
        "itself (entity and metric read there, numeral in digits) is restated alone in a "
        "Markdown draft, once per slip (x10, /10, another unit, another currency, 万 for 亿, "
        "two digits swapped) and once per equivalent (another scale, the unit converted, "
        "words, the other language) that applies to its figure, and once as is (the control). "
        "All drafts of a corpus and a kind go to one `numcheck review --against CORPUS "
        "--format json --no-cache`. A slip is flagged when exactly one error or warning is at "
        "the draft figure; an equivalent when any error or warning is at it or names it. "
        "Clean sentences: the control draws no finding at the figure. The docstring of "
        "bench/mutations.py says exactly what is made and counted.")
    notes = [
        *(f"- {line}" for line in goals(numbers)),
        f"- Not made (the variant does not apply to the figure): {_not_made(numbers)}.",
        f"- Runtime: {seconds['total']:.1f} s ({seconds['reviews']:.1f} s in "
        f"{numbers['reviews']} `numcheck review` processes, {numbers['jobs']} at a time).",
    ]
    return "\n\n".join([
        "## Mutations (bench/mutations.py)",
        f"Date: {numbers['date']}. Commit: {numbers.get('commit') or 'unknown'}. Machine: "
        f"{platform.machine()}, Python {platform.python_version()} ({platform.system()}).",
        about,
        f"Sentences: {sentences}. The sentence as is: "
        + ", ".join(f"{what} {n}" for what, n in control.items()) + ".",
        "To reproduce, from the repository root (`--json PATH` writes every miss with the "
        f"sentence, the draft and what the review said): `{command}`",
        table(numbers),
        "\n".join(notes),
        "Misses by kind and cause, most first (two examples each: the draft sentence, then the "
        "first thing the review said at the figure, or elsewhere):",
        "\n".join(miss_groups(numbers)),
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1),
                        help="reviews run at a time (default: CPUs, at most 4)")
    parser.add_argument("--kinds", nargs="+", choices=KINDS[1:], metavar="KIND",
                        help=f"these variants only, and the control (of: {' '.join(KINDS[1:])})")
    parser.add_argument("--json", type=Path, metavar="PATH", help="write the numbers as JSON")
    parser.add_argument("--write", action="store_true", help="record in bench/RESULTS.md")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    extractor = Extractor()
    words = Words.load()
    sources: list[Source] = []
    names: dict[str, Names] = {}
    for corpus, folder in CORPORA:
        sources += load_sources(corpus, folder, extractor)
        names[corpus] = Names(Rulebook.load(lexicons=tuple(corpus_lexicons([folder]))).lexicon)
    kinds = (CONTROL, *args.kinds) if args.kinds else KINDS
    variants, skipped = build_variants(sources, words, names, kinds)
    reviewing = time.perf_counter()
    outcomes = run_reviews(sources, variants, args.jobs)
    reviewed = time.perf_counter()
    numbers = measure(sources, variants, outcomes, skipped)
    numbers["commit"] = _commit()
    numbers["jobs"] = args.jobs
    numbers["reviews"] = len({(sources[v.source].corpus, v.kind) for v in variants})
    numbers["seconds"] = {"reviews": round(reviewed - reviewing, 2),
                          "total": round(time.perf_counter() - started, 2)}

    lines = [*goals(numbers), f"seconds: {numbers['seconds']}"]
    print(table(numbers) + "\n\n" + "\n".join(f"- {line}" for line in lines))
    if args.json:
        numbers["variants"] = [{**asdict(v), "corpus": sources[v.source].corpus}
                               for v in variants]
        args.json.write_text(json.dumps(numbers, ensure_ascii=False, indent=2) + "\n", "utf-8")
    if args.write:
        from sections import write_section

        command = ".venv/bin/python bench/mutations.py --write"
        if args.kinds:
            command += " --kinds " + " ".join(args.kinds)
        write_section(SECTION, section(numbers, command))
    return 0


def _commit() -> str:
    from restated import _commit as commit

    return commit()


if __name__ == "__main__":
    sys.exit(main())
