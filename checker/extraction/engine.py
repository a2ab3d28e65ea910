"""Sentence text -> figures (Mentions): numeral, scale word, unit, qualifier, range, change."""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from text_to_num import text2num

from checker.extraction.dates import CHINESE_DATE_CHARS, MONTH_WORDS, DateSpan, find_dates
from checker.extraction.lexicon import Language, Lexicon, ascii_words
from checker.extraction.numerals import (
    NORMALIZE,
    NUMBER_WORDS,
    NUMERAL_CHARS,
    Numeral,
    find_numerals,
    hanzi_numeral,
    has_cjk,
    may_group_otherwise,
    parse_hanzi,
)
from checker.models import Mention
from checker.units import RULES_DIR, Canonical, Units

__all__ = ["Extractor"]

_CJK = re.compile(r"[\u4e00-\u9fff]")
_TOKEN = re.compile(r"[a-z]+")
_DIGIT_BEFORE = re.compile(r"\d\s?$")
_EPOCH = date(1970, 1, 1).toordinal()
_NEXT_WORD = re.compile(r"[\s-]?([A-Za-zµ°Ω][A-Za-z°]*(?:[-/][A-Za-z]+)?)")
_COUNT_NOUN = re.compile(r"[\s-]([A-Za-z][A-Za-z'-]*)")
_PER = re.compile(r"\s*(?:/|per\s+|a\s+|an\s+|each\s+)", re.IGNORECASE)
_ZH_PER = re.compile(r"\s*(?:/|每)")
# "m^2", "km²", "s-1", "s2" written right after a unit, or "km squared"
_POWER = re.compile(r"(?:\^(-?[1-4])|(-?[1-4])(?![\d.,])|([²³])|\s(squared|cubed)\b)")
_SQUARE_AFTER = re.compile(r"\s?(square|sq\.?|cubic|cu\.?)(?=\s+[a-z])", re.IGNORECASE)
_SCALED_CODE = re.compile(r"([kKM])([A-Z]{3})")  # MUSD, MEUR: millions of a currency
_ATTACHED_SCALE = re.compile(r"([kKmMbBT])(?![A-Za-z])")
_ZH_SCALE = re.compile(r"\s?(万亿|千亿|百亿|十亿|千万|百万|亿|万|千)")
_ZH_ABOUT = re.compile(r"(多|余)")
_PLUS_MINUS = re.compile(r"\s*(?:\+/-|±|\+-)\s*")
_BETWEEN = re.compile(r"\bbetween\s+$", re.IGNORECASE)
_ZH_PER_BEFORE = re.compile(r"每\s*(\S{1,3}?)\s*$")
_HANZI_NUMBER = r"[零〇一二两三四五六七八九十百千万亿点]"
_ZH_FRACTION = re.compile(
    rf"(负)?(\d+|{_HANZI_NUMBER}+)\s*分\s*之\s*(-?\d{{1,3}}(?:[,，]\d{{3}})+(?:\.\d+)?|-?\d+(?:\.\d+)?"
    rf"|(?:{_HANZI_NUMBER} ?)*{_HANZI_NUMBER})\s*([kK](?![A-Za-z]))?"
)
_ZH_TENTHS = re.compile(r"\s?(成|折)(半)?")
_ZH_HALF = re.compile(r"半")
_SMALL = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|\d{1,3})"
_ONE_IN = re.compile(  # the lookahead: the first characters of _SMALL, tried at every word
    rf"\b(?=[otfsen\d])(?P<part>{_SMALL})\s+(?:in|out\s+of)\s+(?:every\s+)?(?P<whole>\d{{1,3}}(?:,\d{{3}})+|"
    rf"{_SMALL}|a\s+hundred|a\s+thousand)\b(?!\s*(?:%|percent|[-–.,]\d))",
    re.IGNORECASE,
)
# What every match of _ONE_IN holds, searched for first: a search for it takes a fraction of
# the time of _ONE_IN's, and most sentences lack it
_IN_OR_OUT_OF = re.compile(r"\s(?:in|out\s+of)\s", re.IGNORECASE)
# After "three times": the end of the clause or a word of when or how often makes it a count
# of events ("visited three times last year"); else a multiple ("three times as large").
_EVENTS_AFTER = re.compile(
    r"\s*(?:[.,;:!?)]|$)|\s+(?:in|a|an|per|each|every|last|this|since|before|after|during|so|"
    r"already|on|at|with|by|and|or|but|until|for|when|while|within)\b",
    re.I,
)
_PLURAL_AFTER = re.compile(r"\s+(?:[a-z]+[^s\W]s|people)\b")
_SPACED_SCALE = re.compile(r"\s([MB])(?=\s+(?:[a-z]+[^s\W]s|people)\b)")  # "8 B people"
_ZIP = re.compile(r"\b[A-Z]{2}\s\d{5}(?:-\d{4})?$")
# "Maddon, 66, said": a name, then an age between commas
_NAME_BEFORE_AGE = re.compile(r"\b[A-Z][a-z]+,\s$")
_SPACES_BEFORE = re.compile(r"\s*$")
_RATE_BEFORE = re.compile(r"(?:\b(?:once|twice|thrice|times|per|every|each)|[\d%])\s*$", re.I)
_OF = re.compile(r"\s+(?:of|the)\b", re.IGNORECASE)
_DEGREE_WINDOW = {"en": (40, 30), "zh": (10, 2)}
_CLAUSE_END = re.compile(
    r"[.;!?。；！？，,](?:\s|$)|[。；！？，]"
)  # characters read for an angle's words
_NUMBER_BEFORE = re.compile(r"[\d.,零〇一二两三四五六七八九十百千万]+\s*$")
_LATER = re.compile(r"\s+(?:later|earlier|ago|afterwards)\b", re.IGNORECASE)
_BY_BEFORE = re.compile(r"\bby\s+$", re.IGNORECASE)
_BY_WORD = re.compile(r"\sby\s", re.IGNORECASE)
_OF_AFTER = re.compile(r"(?:\s+of\b)?", re.IGNORECASE)
_HANZI_SCALE = {"十": 10.0, "百": 100.0}
_MINUS = re.compile(r"(?:(?<![\w.,)%-])-|负|零下|\bminus[\s-]+)$", re.IGNORECASE)
_BY = re.compile(r"\s?(?:[×x]|比)\s?[\d一二两三四五六七八九十零]")  # "1280×1024", 2比2
_DASH = re.compile(r"\s?[-–—]\s?")
_TO_ONLY = re.compile(r"\s+to\s+", re.IGNORECASE)
_ZH_RANK_PREFIX = re.compile(r"第$")
_ORDINAL = re.compile(
    r"\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    r"(?<![\w.])\d+(?:st|nd|rd|th))(?=[\s-])",
    re.IGNORECASE,
)
_ORDINALS = {
    w: i
    for i, w in enumerate(
        [
            "zeroth",
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
            "twelfth",
        ]
    )
}
# Words that may stand between "from"/"to" and the figure: "from a planned 150 units to less
# than 100", "from 143 units in 2022 to an expected 36".
_BETWEEN_WORDS = (
    r"(?:(?:about|around|nearly|roughly|almost|just|a|an|the|planned|expected|estimated|"
    r"projected|forecast|less than|more than|fewer than|over|under)\s+)*"
)
_FROM = {
    "en": re.compile(rf"\bfrom\s+{_BETWEEN_WORDS}$", re.IGNORECASE),
    "zh": re.compile(r"(?:从|由)\s*(?:每\S{1,3}?)?\s*$"),
}
_TO = {
    "en": re.compile(
        rf"\s*(?:(?:in|by)\s+(?:19|20)\d\d\s+)?(?:to|up to)\s+{_BETWEEN_WORDS}", re.IGNORECASE
    ),
    "zh": re.compile(r"\s*[\u4e00-\u9fff]{0,3}?(?:至|到)\s*"),
}


@dataclass(frozen=True, slots=True)
class _Quantity:
    """A numeral with what is written around it, before it becomes a Mention."""

    start: int
    end: int
    value: float  # scale applied
    step: float
    written_unit: str
    expr: str | None  # pint expression of the unit, None for counts
    confidence: float = 1.0
    qualifier: str = "exact"
    scale: float = 1.0


class Extractor:
    """Finds every figure in a text. One instance holds the registry and compiled lexicon."""

    def __init__(self, rules_dir: Path = RULES_DIR, units: Units | None = None) -> None:
        self.lexicon = Lexicon.load(rules_dir, units)
        self.units = self.lexicon.units
        # 个多月, 两个半小时: a word between 个 and the unit
        after_ge = sorted((n[1:] for n in self.units.cjk_names if n.startswith("个")), key=len)
        self._ge = re.compile(rf"\s*个(多|余|半)({'|'.join(reversed(after_ge))})")
        # Every figure but "a tonne" is written with a digit or a word or character one of the
        # readers below looks for (之 of 三分之一), taken from their own lists: most sentences
        # have none.
        lexicon = self.lexicon
        self._figure_words = (NUMBER_WORDS | MONTH_WORDS | frozenset(_ORDINALS)
                              | lexicon.fraction_hints | frozenset(lexicon.vague_values))
        self._figure_chars = re.compile(rf"[\d{NUMERAL_CHARS}{CHINESE_DATE_CHARS}之]")

    def mentions(
        self, text: str, lang: str | None = None, reference: date | None = None
    ) -> list[Mention]:
        """The figures of `text`, in order; offsets are into `text`. Invisible characters
        ("1\u200b23万吨", a zero-width space from a web page) are read as absent."""
        if text.isascii() or not _INVISIBLE.search(text):
            return self._mentions(text, lang, reference)
        kept = [index for index, char in enumerate(text) if not _INVISIBLE.match(char)]
        seen = "".join(text[index] for index in kept)
        kept.append(len(text))
        return [
            replace(m, start=kept[m.start], end=kept[m.end - 1] + 1,
                    surface=text[kept[m.start]:kept[m.end - 1] + 1])
            for m in self._mentions(seen, lang, reference)
        ]

    def _mentions(self, text: str, lang: str | None, reference: date | None) -> list[Mention]:
        original = text
        if not text.isascii():  # NORMALIZE maps no ASCII character
            text = text.translate(NORMALIZE)
        # the words of the text, so that patterns for words it lacks need not run
        tokens = _words(text)
        if self._may_hold_figures(text, tokens):
            found, taken = self._figures(text, lang, reference, tokens)
        else:
            found, taken = [], _Taken()
        if "a" in tokens or "an" in tokens:
            found.extend(
                m for m in self._one_of_a_unit(text, taken.spans)
                if not taken.overlaps(m.start, m.end)
            )
        found.sort(key=lambda m: (m.start, m.end))
        if text != original:  # the surface is shown as written, not as normalized
            found = [replace(m, surface=original[m.start : m.end]) for m in found]
        return found

    def _may_hold_figures(self, text: str, tokens: frozenset[str]) -> bool:
        """Whether `text` (normalized, its words `tokens`) may hold a figure but "a tonne"."""
        if not self._figure_words.isdisjoint(tokens) or self._figure_chars.search(text):
            return True
        # patterns apart: one alternation of them all takes five times as long
        chinese = self.lexicon.zh_words, self.lexicon.zh_vague
        return has_cjk(text) and any(pattern.search(text) for pattern in chinese)

    def _figures(
        self, text: str, lang: str | None, reference: date | None, tokens: frozenset[str]
    ) -> tuple[list[Mention], _Taken]:
        """The figures of `text` but "a tonne", and the spans they take."""
        lang = lang or ("zh" if len(_CJK.findall(text)) * 3 > len(text) else "en")
        found = [self._date(text, d) for d in find_dates(text, reference, tokens)]
        taken = _Taken((m.start, m.end) for m in found)
        words = [m for m in self._words_only(text, tokens) if not taken.overlaps(m.start, m.end)]
        found.extend(words)
        taken.extend((m.start, m.end) for m in words)
        numerals = [
            n
            for n in find_numerals(
                text, self.lexicon.round_from, tokens, self.lexicon.digits,
                self.lexicon.decimal_comma.reading(text) if may_group_otherwise(text) else None,
            )
            if not taken.overlaps(n.start, n.end)
        ]
        i = 0
        per: dict[str, tuple[str, str]] = {}  # currency -> the "per kg" it was last quoted in
        while i < len(numerals):
            read, used = self._read(text, numerals, i, lang, per)
            found.extend(m for m in read if not taken.overlaps(m.start, m.end))
            taken.extend((m.start, m.end) for m in read)
            i += used
        return found, taken

    # -- figures -------------------------------------------------------------------------

    def _read(
        self, text: str, numerals: list[Numeral], i: int, lang: str, per: dict[str, tuple[str, str]]
    ) -> tuple[list[Mention], int]:
        n = numerals[i]
        rules = self._language(text, n, lang)
        if rules.not_figures and rules.not_figures.match(text, n.start):
            return [], 1
        if rules is self.lexicon.zh:
            found = self._zh_numeral(text, n)
            if found is None:
                return [], 1
            n = numerals[i] = found
        elif (
            self.lexicon.en_names_after.match(text, n.end)
            or self.lexicon.address.match(text, n.end)
            or _ZIP.search(text, max(0, n.start - 4), n.end)
        ) or (
            self.lexicon.clock_after.match(text, n.end)
            and self.lexicon.clock_before.search(text, max(0, n.start - 10), n.start)
        ):
            return [], 1  # "11 a.m.", "0401 GMT", "at 2 pm", "iPhone 11 Pro", "MA 02115"
        if _BY.match(text, n.end):  # "1280×1024" a size, 2比2 a score: not two figures
            return [], 2 if i + 1 < len(numerals) and numerals[i + 1].start <= n.end + 3 else 1
        if _ZH_RANK_PREFIX.search(text, max(0, n.start - 1), n.start):
            rank = self._rank(text, n)  # 第二大 is a rank; 第二个 only an ordinal
            return ([rank] if rank else []), 1
        first = self._quantity(text, n, rules, per)
        labelled = self.lexicon.labels.search(text, max(0, n.start - 12), n.start)
        if first is not None and first.expr is None and labelled:
            return [], 1  # "Group 1", "Phase 2": a label; "level 30% above" is still a figure
        if first is None and n.script == "hanzi" and i + 1 < len(numerals):
            first = _Quantity(n.start, n.end, n.value, n.step, "", None, 0.8)
            if self._joined(text, first, numerals[i + 1], rules) != "range":
                first = None
        if first is None:
            return [], 1
        second, used = None, 1
        if i + 1 < len(numerals):
            nxt = numerals[i + 1]
            joined = self._joined(text, first, nxt, rules)
            if joined is not None:
                second = self._quantity(text, nxt, rules, per)
                used = 2
        if (
            second is not None
            and first.expr
            and second.expr
            and (self._canonical(_carry(first, second)).unit != self._canonical(second).unit)
        ):
            return [self._mention(text, first, rules)], 1  # "44 ml to 50 mg": not one range
        if second is not None and joined == "list":  # "45 and 50 mg": the first takes the unit
            return [self._mention(text, _carry(first, second), rules)], 1
        if second is not None and joined == "plusminus":  # "9.83e-3 +/- 1e-5 km/s2"
            centre, error = _carry(first, second), second
            return [
                self._range(
                    text,
                    replace(centre, value=centre.value - error.value),
                    replace(centre, end=error.end, value=centre.value + error.value),
                    rules,
                )
            ], used
        if second is not None and joined == "change":
            third = self._range_end(text, numerals, i + 2, second, rules, per)
            if third is not None:  # "from 24.2 to 33-35 billion": the level reached is a range
                end = _carry(third, second)
                second = _carry(second, third)
                first = _carry(first, second)
                to = replace(self._range(text, second, end, rules), change="to")
                return [self._mention(text, first, rules, change="from"), to], 3
            first = _carry(first, second)
            second = _carry(second, first)
            return [
                self._mention(text, first, rules, change="from"),
                self._mention(text, second, rules, change="to"),
            ], used
        if second is not None and self._score(text, first, second):
            return [], used  # "drew 2-2", "won 3-1": a score
        if second is not None and self._level_after_change(text, first, second, rules):
            # "rose 5% to 120": the change and the level it reached
            return [self._mention(text, first, rules), self._mention(text, second, rules)], used
        if second is not None:
            first, second = _carry(first, second), _carry(second, first)
            return [self._range(text, first, second, rules)], used
        return [self._mention(text, first, rules)], 1

    def _range_end(
        self,
        text: str,
        numerals: list[Numeral],
        i: int,
        start: _Quantity,
        rules: Language,
        per: dict[str, tuple[str, str]],
    ) -> _Quantity | None:
        """The figure ending a range that begins with `start`, a bare number ("33-35 billion"),
        or None."""
        if i >= len(numerals) or start.expr is not None or start.scale != 1.0:
            return None
        if self._joined(text, start, numerals[i], rules) != "range":
            return None
        return self._quantity(text, numerals[i], rules, per)

    def _score(self, text: str, first: _Quantity, second: _Quantity) -> bool:
        """ "won 3-1", "drew 2-2": two bare numbers joined by a dash after a word of the game."""
        if first.expr or second.expr or first.written_unit or second.written_unit:
            return False
        if not _DASH.fullmatch(text, first.end, second.start):
            return False
        return bool(self.lexicon.score_before.search(text, max(0, first.start - 30), first.start))

    def _level_after_change(
        self, text: str, first: _Quantity, second: _Quantity, rules: Language
    ) -> bool:
        """ "rose 5% to 120", "fell 3% to $40": a change with a unit of its own, then "to" and
        the level reached; "rose 5 to 7%" stays a range."""
        if rules is not self.lexicon.en or first.expr is None:
            return False
        if not _TO_ONLY.fullmatch(text, first.end, second.start):
            return False
        return bool(self._change(text, first.start, first.end, rules))

    def _zh_numeral(self, text: str, n: Numeral) -> Numeral | None:
        """The numeral as a figure, or None when it names something: a month (6月), "this one"
        (这一天); a numeral begun inside a set word or a weekday (唯一一组, 周五一名) starts
        after it."""
        lexicon = self.lexicon
        if lexicon.zh_names_after.match(text, n.end):
            return None
        if n.value == 1 and lexicon.zh_one_after.search(text, max(0, n.start - 2), n.start):
            return None
        if n.script != "hanzi":
            return n
        cut = n.start
        words = lexicon.zh.not_figures
        for m in words.finditer(text, max(0, n.start - 3), n.end) if words else ():
            if m.start() < n.start < m.end():
                cut = max(cut, m.end())
        for m in lexicon.zh_weekday.finditer(text, max(0, n.start - 2), n.end + 1):
            if m.start(1) == n.start:
                cut = max(cut, m.end(1))
        if cut == n.start:
            return n
        return hanzi_numeral(text[cut : n.end], cut, lexicon.round_from) if cut < n.end else None

    def _language(self, text: str, n: Numeral, lang: str) -> Language:
        around = text[max(0, n.start - 1) : n.start] + text[n.end : n.end + 2]
        if n.script == "hanzi" or _CJK.search(around):
            return self.lexicon.zh
        return self.lexicon.en if lang == "en" or not has_cjk(text) else self.lexicon.zh

    def _joined(self, text: str, first: _Quantity, nxt: Numeral, rules: Language) -> str | None:
        """How two neighbouring numerals are joined: "change" (from A to B), "range",
        "plusminus" (A ± B), "list" (A and B of one unit), or None."""
        minus = _MINUS.search(text, first.end, nxt.start)
        gap = text[first.end : minus.start() if minus else nxt.start]
        prefix = self.lexicon.currency_before.search(gap)
        if prefix:
            gap = gap[: prefix.start()]
        lang = "zh" if rules is self.lexicon.zh else "en"
        if _FROM[lang].search(text, max(0, first.start - 40), first.start):
            to = _TO[lang].match(gap)
            if to and to.end() == len(gap):
                changed = rules.change_from is None or rules.change_from.search(
                    text, max(0, first.start - 80), first.start
                )
                if changed:
                    return "change"  # without a verb of change, "from 7 to 10" may be a range
        if _PLUS_MINUS.fullmatch(gap):
            return "plusminus"
        if rules.list_joiner and first.expr is None and not first.written_unit:
            joiner = rules.list_joiner.match(gap)
            if (
                joiner
                and joiner.end() == len(gap)
                and joiner.group(1).lower() != "and"
                or (
                    joiner
                    and joiner.end() == len(gap)
                    and not _BETWEEN.search(text, max(0, first.start - 9), first.start)
                )
            ):
                return "list"
        joiner = rules.range_joiner.match(gap)
        if not joiner or joiner.end() != len(gap):
            return None
        if joiner.group(1).lower() == "and":
            before = text[max(0, first.start - 12) : first.start].lower()
            return "range" if "between" in before else None
        return "range"

    def _quantity(
        self, text: str, n: Numeral, rules: Language, per_currency: dict[str, tuple[str, str]]
    ) -> _Quantity | None:
        """The numeral with its currency, scale word and unit. A bare price takes the "per kg"
        its currency was last quoted in, in the same sentence ("from $350 per kg ... to $725")."""
        start, end, value, step = n.start, n.end, n.value, n.step
        zh = rules is self.lexicon.zh
        expr: str | None = None
        written: list[str] = []
        qualifier = "exact"
        minus = _MINUS.search(text, max(0, start - 6), start)
        if minus:  # "-22.2%", "负3.9%", "$-99.99"
            value, start = -value, minus.start()
        prefix = self.lexicon.currency_before.search(text, max(0, start - 4), start)
        if prefix:
            start = prefix.start(1)
            expr = self.units.currency_prefix[prefix.group(1)]
            written.append(prefix.group(1))
        per_before = _ZH_PER_BEFORE.search(text, max(0, start - 6), start) if zh else None
        rate: tuple[str, str, int] | None = None  # 每年 before the figure: (unit, written, start)
        if per_before:
            unit = self._unit(text, per_before.start(1), True, has_currency=False)
            if unit and not _is_currency(self, unit[0]):
                per_currency["*"] = (unit[0], unit[1])
                rate = (unit[0], unit[1], per_before.start())
        about = _ZH_ABOUT.match(text, end) if zh else None
        if about:  # "100多吨": more than 100
            end, qualifier = about.end(), "lower"
        factor = 1.0
        scale = self._scale(text, end, zh, bool(prefix))
        if scale:
            factor, end = scale
            value, step = value * factor, step * factor
        if zh:
            tenths = _ZH_TENTHS.match(text, end)
            if tenths:  # 九成 = 90%; 75折 = 75%; 三成半 = 35%
                times = 10 if (tenths.group(1) == "成" or value < 10) else 1
                value = (value + (0.5 if tenths.group(2) else 0)) * times
                return _Quantity(
                    start,
                    tenths.end(),
                    value,
                    step * times,
                    tenths.group(1),
                    "percent",
                    qualifier=qualifier,
                )
        unit = self._unit(text, end, zh, has_currency=bool(prefix))
        if unit is None and not zh and not prefix and self._age(text, start, end, n):
            unit = ("year", "years", end)  # "aged 18 to 34", "Maddon, 66,"
        if unit and unit[1].lower() == "times" and _EVENTS_AFTER.match(text, unit[2]):
            # "visited three times", "four times per week": a count of events; "three times as
            # large" a multiple
            unit = ("count", unit[1], unit[2])
        more = self._ge.match(text, end) if zh and not prefix else None
        if more:  # 三个多月, 两个半小时
            unit = ("个" + more.group(2), "个" + more.group(2), more.end())
            if more.group(1) == "半":
                value += 0.5 * factor
            else:
                qualifier = "lower"
        if unit:
            unit_expr, unit_written, end = unit
            if not zh and _is_currency(self, unit_expr):
                code = _SCALED_CODE.fullmatch(unit_written)
                if code and _is_currency(self, code.group(2)):  # "30 MUSD": 30 million USD
                    unit_expr = unit_written = code.group(2)
                    scaled: tuple[float, int] | None = (
                        self.lexicon.scales[code.group(1).lower()],
                        end,
                    )
                else:  # "75 USD million"
                    scaled = None if factor != 1.0 else self._scale(text, end, False, True)
                if scaled:
                    factor = scaled[0]
                    value, step, end = value * factor, step * factor, scaled[1]
            # "$5 a kg" has no unit after the figure; "¥300每吨" composes the two
            expr = (
                f"({expr}) * ({unit_expr})"
                if expr and not _is_currency(self, unit_expr)
                else unit_expr
            )
            written.append(unit_written)
            value, end, step = self._subunits(text, end, expr, value, step)
            half = _ZH_HALF.match(text, end) if zh else None
            if half and step >= 1:  # 一吨半: one and a half tons
                value, end = value + 0.5 * factor, half.end()
        per = self._per(text, end, zh) if expr and not self._is_share(expr) else None
        if per and expr:
            if _is_currency(self, expr):
                per_currency[expr] = per[:2]
            while per:  # "20 J/m^2 per year"
                per_expr, per_written, end = per
                expr = f"({expr}) / ({per_expr})"
                written.append(("每" if zh else "per ") + per_written)
                per = self._per(text, end, zh)
        elif expr is not None and "*" in per_currency and _is_currency(self, expr):
            per_expr, per_written = per_currency["*"]
            expr = f"({expr}) / ({per_expr})"
            written.append("每" + per_written)
            start = rate[2] if rate else start
        elif (
            rate
            and expr is not None
            and not self._is_share(expr)
            and self.units.resolve(f"({expr}) / ({rate[0]})") is not None
        ):  # 每年生产5万吨, 每小时85英里: a rate
            expr = f"({expr}) / ({rate[0]})"
            written.append("每" + rate[1])
            start = rate[2]
        elif expr in per_currency:
            per_expr, per_written = per_currency[expr]
            expr = f"({expr}) / ({per_expr})"
            written.append(("每" if zh else "per ") + per_written)
        confidence = 1.0
        if expr is None:
            if n.script == "hanzi" and not zh:
                return None
            noun = self._count_noun(text, end, zh)
            if (
                noun is not None
                and zh
                and n.value == 1
                and _CJK.match(text, noun[1])
                and text[noun[1]] != "之"  # 以一票之差: by one vote
            ):
                return None  # 一张王牌: "a trump card", an article rather than a count
            if noun is not None and noun[0].endswith("ed") and text[end] == "-":
                return None  # "three-legged": a modifier, not a count
            if noun is not None:
                written.append(noun[0])
                end = noun[1]
                confidence = 0.8
            elif n.script == "hanzi":
                return None
            else:
                confidence = 0.5
            if n.script == "words" and n.value == 1 and noun is None:
                return None
            after = text[end : end + 1]
            if n.script == "digits" and after.isascii() and after.isalpha():
                return None  # "5G", "3D": a name, not a figure
        return _Quantity(
            start, end, value, step, " ".join(written), expr, confidence * n.confidence,
            qualifier, factor,
        )

    def _age(self, text: str, start: int, end: int, n: Numeral) -> bool:
        """A bare number that is an age: after "aged", or between commas after a name."""
        if self.lexicon.age_before.search(text, max(0, start - 16), start):
            return True
        return (
            n.script == "digits"
            and n.value.is_integer()
            and 0 < n.value < 120
            and text[end : end + 1] == ","
            and bool(_NAME_BEFORE_AGE.search(text, max(0, start - 20), start))
        )

    def _is_share(self, expr: str) -> bool:
        """A percent or multiple: "5% a year" stays a percent, not a frequency."""
        canonical = self.units.resolve(expr)
        return canonical is not None and canonical.unit in ("percent", "x")

    def _subunits(
        self, text: str, end: int, expr: str, value: float, step: float
    ) -> tuple[float, int, float]:
        """Add the smaller units written after an amount: 五元三毛, 50元6角三分, "13 dollars and
        45 cents", "5 feet 2 inches"; after money, a last bare number is the next smaller unit
        ("15 dollars 50" = 15.50, "one kuai five mao five" = 1.55). The step becomes the
        smallest unit read."""
        main = self.units.resolve(expr)
        if main is None:
            return value, end, step
        one = main.convert(1.0)
        smallest = one
        while m := self.lexicon.subunit.match(text, end):
            sub = self.units.resolve(self.units.subunits[m.group(2)])
            amount = _small_number(m.group(1))
            if amount is None or sub is None or sub.unit != main.unit:
                break
            size = sub.convert(1.0)
            if not 0 < size < smallest:
                break
            value += amount * size / one
            smallest, end = size, m.end()
            if not _CJK.match(m.group(2)):  # 五元三毛 keeps the step of its yuan
                step = size / one
        if main.dimension != "currency" or _CJK.match(text, end):
            return value, end, step
        bare = self.lexicon.subunit_bare.match(text, end)
        if bare:
            amount = _small_number(bare.group(1))
            size = smallest / (100 if smallest == one else 10)
            if amount is not None and amount * size < smallest:
                value += amount * size / one
                end, step = bare.end(1), size / one
        return value, end, step

    def _scale(self, text: str, pos: int, zh: bool, has_currency: bool) -> tuple[float, int] | None:
        if zh:
            m = _ZH_SCALE.match(text, pos)
            if m:
                # 千克 and 千米 are units, not a scale word before 克 and 米
                unit = self.lexicon.zh.unit_after.match(text, pos)
                if (
                    unit
                    and len(unit.group(1)) > len(m.group(1))
                    and unit.group(1).startswith(m.group(1))
                ):
                    return None
                return self.lexicon.scales[m.group(1)], m.end()
        m = self.lexicon.scale_after.match(text, pos)
        if m:
            return self.lexicon.scales[m.group(1).lower()], m.end()
        m = _ATTACHED_SCALE.match(text, pos) or _SPACED_SCALE.match(text, pos)
        if m and (
            has_currency
            or m.group(1) in "kK"  # "25k": no unit is written k
            or self._unit(text, m.end(), False, False)
            or self._unit(text, m.end(), True, False)
            or _PLURAL_AFTER.match(text, m.end())  # "2.7m sales", "35m devices"
        ):
            return self.lexicon.scales[m.group(1).lower()], m.end()
        return None

    def _unit(
        self, text: str, pos: int, zh: bool, has_currency: bool, after_per: bool = False
    ) -> tuple[str, str, int] | None:
        """The unit written at `pos`: (pint expression, as written, end)."""
        rules = self.lexicon.zh if zh else self.lexicon.en
        m = rules.unit_after.match(text, pos)
        if m is None and zh:
            m = self.lexicon.en.unit_after.match(text, pos)
        if m is not None:
            written = m.group(m.lastindex or 0)
            expr = self.units.written(written) or (written if self.units.resolve(written) else None)
            if expr is not None:
                return self._powered(text, expr, written, m.end())
        degree = None if after_per else self.lexicon.degree.match(text, pos)
        if degree:  # "80 degrees", "45°", 30度: by the words around
            return self._degree(text, pos, degree, zh)
        if zh:
            return None
        inch = None if after_per else self.lexicon.inch.match(text, pos)
        if inch:
            return "inch", "in", inch.end()
        square = _SQUARE_AFTER.match(text, pos)
        word = _NEXT_WORD.match(text, square.end() if square else pos)
        if word is None:
            return None
        name = self.units.pint_word(word.group(1))
        if (
            name is None
            and len(word.group(1)) <= 2
            and (after_per or _POWER.match(text, word.end()))
        ):
            name = self.units.pint_word(word.group(1), single=True)  # "km/s2", "4e14 s-1"
        if name is None:
            return None
        if square:
            name = f"{name} ** {2 if square.group(1).lower().startswith('s') else 3}"
        return self._powered(text, name, text[pos : word.end()].strip(" -"), word.end())

    def _degree(
        self, text: str, pos: int, m: re.Match[str], zh: bool
    ) -> tuple[str, str, int] | None:
        """Degrees with no scale written: an angle near a word of angles, nothing near a word of
        study ("degrees in law"), else a temperature (the language's scale, or the one written
        before the figure: 华氏80度)."""
        lexicon = self.lexicon
        before, after = _DEGREE_WINDOW["zh" if zh else "en"]
        around = _CLAUSE_END.split(text[max(0, pos - before) : pos])[-1]
        around += _CLAUSE_END.split(text[pos : m.end() + after])[0]
        if lexicon.degree_angle.search(around):
            return lexicon.degree_units["angle"], m.group(1), m.end()
        if not zh and lexicon.degree_study.search(around):
            return None
        number = _NUMBER_BEFORE.search(text, 0, pos)
        scale = lexicon.degree_scale_before.search(
            text, max(0, pos - 16), number.start() if number else pos
        )
        unit = lexicon.degree_units[scale.group(1) if scale else "zh" if zh else "en"]
        return unit, m.group(1), m.end()

    def _powered(self, text: str, expr: str, written: str, end: int) -> tuple[str, str, int]:
        m = _POWER.match(text, end) if expr != "x" else None
        if m:
            exponent = (
                m.group(1)
                or m.group(2)
                or {"²": "2", "³": "3", "squared": "2", "cubed": "3"}[
                    (m.group(3) or m.group(4)).lower()
                ]
            )
            if self.units.resolve(f"({expr}) ** {exponent}") is not None:
                return f"({expr}) ** {exponent}", written + m.group(), m.end()
        return expr, written, end

    def _per(self, text: str, pos: int, zh: bool) -> tuple[str, str, int] | None:
        m = (_ZH_PER if zh else _PER).match(text, pos)
        if not m:
            return None
        unit = self._unit(text, m.end(), zh, has_currency=False, after_per=True)
        if unit is None or unit[0] in self.units.currency_prefix.values():
            return None
        if _LATER.match(text, unit[2]):
            return None  # "140 pounds a year later": a time after, not a rate
        return unit

    def _count_noun(self, text: str, pos: int, zh: bool) -> tuple[str, int] | None:
        """What a bare number counts, and where the noun ends: "120 jets", "700架", "five
        Central Asian countries" (the first plural within four words, else the next word)."""
        if zh:
            m = self.lexicon.zh.classifier.match(text, pos) if self.lexicon.zh.classifier else None
            return (m.group(1), m.end()) if m else None
        words: list[re.Match[str]] = []
        while len(words) < 4:  # match at pos only: a search would scan the rest of the text
            m = _COUNT_NOUN.match(text, pos)
            if m is None:
                break
            word = m.group(1)
            if word.lower() in self.lexicon.not_count_nouns:
                break
            words.append(m)
            if self._plural(word):
                return word, m.end()
            pos = m.end()
        if not words:
            return None
        first = words[0]
        # A participle ("over 65 reached 71%"; not "three-legged", a modifier the caller
        # rejects) is counted only as a noun of its own, before a word that is none: "the 12
        # injured were".
        participle = (len(first.group(1)) > 4 and first.group(1).endswith("ed")
                      and text[first.start()] != "-")
        alone = len(words) == 1 and _COUNT_NOUN.match(text, first.end()) is not None
        return None if participle and not alone else (first.group(1), first.end())

    def _plural(self, word: str) -> bool:
        return (word.endswith("s") and not word.endswith("ss")
                or word.lower() in self.lexicon.plural_nouns)

    def _rank(self, text: str, n: Numeral) -> Mention | None:
        """第N大, 第N位: a rank. Called only for a numeral written after 第."""
        m = self.lexicon.zh.rank.match(text, n.end)
        if not m:
            return None
        return self._fixed(text, n.start - 1, m.end(), n.value, m.group(1) or "第", "rank")

    def _words_only(self, text: str, tokens: frozenset[str]) -> list[Mention]:
        """Figures with no numeral: ordinal ranks ("fifth-largest") and fractions ("half of")."""
        found: list[Mention] = []
        ranks = not self.lexicon.en_rank_hints.isdisjoint(tokens)
        for m in _ORDINAL.finditer(text) if ranks else ():
            rank = self.lexicon.en.rank.match(text, m.end())
            if rank:
                word = m.group(1).lower()
                position = _ORDINALS.get(word) or int(re.sub(r"\D", "", word) or 0)
                found.append(
                    self._fixed(text, m.start(), rank.end(), position, rank.group(1), "rank")
                )
        if "in" in tokens or "of" in tokens:
            found.extend(self._one_in(text))
        if not self.lexicon.fraction_hints.isdisjoint(tokens):
            found.extend(self._fractions(text))
            for m in self.lexicon.multiple.finditer(text):
                qualifier, start, end = self._qualifier(text, m.start(), m.end(), self.lexicon.en)
                value = self.lexicon.word_values[m.group(1).lower()]
                found.append(self._fixed(text, start, end, value, m.group(1), "x", qualifier))
        for m in self.lexicon.zh_words.finditer(text) if has_cjk(text) else ():
            word = m.group()
            if word in self.lexicon.zh_percent_words:
                found.append(
                    self._fixed(
                        text,
                        m.start(),
                        m.end(),
                        self.lexicon.zh_percent_words[word],
                        word,
                        "percent",
                    )
                )
            else:  # 一半 a share, 一倍 a multiple
                found.append(
                    self._share(text, m.start(), m.end(), self.lexicon.word_values[word], word)
                )
        found.extend(self._vague(text, tokens))
        for m in _ZH_FRACTION.finditer(text) if "之" in text else ():
            # 百分之百 is read whole above
            spans = [(f.start, f.end) for f in found]
            fractions = self._zh_fraction(text, m)
            found.extend(f for f in fractions if not _inside(f.start, f.end, spans))
        return found

    def _vague(self, text: str, tokens: frozenset[str]) -> list[Mention]:
        """Vague amounts with a unit or the noun they count: "dozens of people" (at least 24),
        "hundreds of billions of dollars", 数十人, 上百家; the least the words allow, a lower
        bound."""
        lexicon = self.lexicon
        found: list[Mention] = []
        english = (
            () if lexicon.vague_values.keys().isdisjoint(tokens) else lexicon.vague.finditer(text)
        )
        for m in english:
            if _DIGIT_BEFORE.search(text, max(0, m.start() - 2), m.start()):
                continue  # "28,5 millions de tonnes": a scale word after a figure, not vague
            value = lexicon.vague_values[m["first"].lower()]
            for word in _TOKEN.findall(m["more"].lower()):
                if word != "of":
                    value *= lexicon.vague_values[word.rstrip("s") + "s"] / 2
            after = _OF_AFTER.match(text, m.end())
            of = bool(after and after.group())
            end = after.end() if after else m.end()
            quantity = self._counted(text, m.start(), end, value, False, of)
            if quantity is not None:
                found.append(self._mention(text, quantity, lexicon.en))
        for m in lexicon.zh_vague.finditer(text) if has_cjk(text) else ():
            value = lexicon.zh_vague_values[m.group(1)]
            for char in m.group(2):
                value *= lexicon.scales[char] if char in lexicon.scales else _HANZI_SCALE[char]
            quantity = self._counted(text, m.start(), m.end(), value, True)
            if quantity is not None:
                found.append(self._mention(text, quantity, lexicon.zh))
        return found

    def _counted(
        self, text: str, start: int, end: int, value: float, zh: bool, of: bool = False
    ) -> _Quantity | None:
        """A lower bound of `value` of the unit or counted noun written at `end` (after "of"
        when `of`; else an English noun must be a plural), or None."""
        unit = self._unit(text, end, zh, has_currency=False)
        if unit is not None:
            expr, written, end = unit
            return _Quantity(start, end, value, 0.0, written, expr, 0.8, "lower")
        noun = self._count_noun(text, end, zh)
        if noun is None or not (zh or of or noun[0].endswith("s") or noun[0].lower() == "people"):
            return None  # "billions stayed idle": no noun counted
        return _Quantity(start, noun[1], value, 0.0, noun[0], None, 0.8, "lower")

    def _one_in(self, text: str) -> list[Mention]:
        """ "one in five", "one out of three": a fraction of a whole."""
        found = []
        for m in _ONE_IN.finditer(text) if _IN_OR_OUT_OF.search(text) else ():
            try:
                part, whole = _number_word(m["part"].lower()), _number_word(m["whole"].lower())
            except ValueError:
                continue
            if whole and part < whole:
                found.append(self._share(text, m.start(), m.end(), part / whole, m.group()))
        return found

    def _one_of_a_unit(self, text: str, taken: list[tuple[int, int]]) -> list[Mention]:
        """ "a gallon of beer", "a penny", "a decade": one of a unit. A duration after a figure
        or "twice" is a rate ("$5 a day", "twice a week"), and one before "earlier" or "ago" a
        time ("up 3% from a year earlier"), not a figure of its own."""
        found = []
        ends = {end for _, end in taken}
        for m in self.lexicon.article.finditer(text):
            word = _COUNT_NOUN.match(text, m.end() - 1)
            if word and word.group(1).lower() in self.lexicon.not_one_of:
                continue  # "a bit", "a shot"
            unit = self._unit(text, m.end(), False, has_currency=False)
            if unit is None:
                continue
            expr, written, end = unit
            canonical = self.units.resolve(expr)
            if canonical is None or canonical.dimension in ("percent", "ratio"):
                continue
            if canonical.dimension == "duration" and (
                _RATE_BEFORE.search(text, max(0, m.start() - 8), m.start())
                or _SPACES_BEFORE.search(text, max(0, m.start() - 8), m.start()).start() in ends
                or _LATER.match(text, end)  # "from a year earlier": when, not how long
            ):
                continue
            found.append(
                self._mention(
                    text, _Quantity(m.start(), end, 1.0, 0.0, written, expr), self.lexicon.en
                )
            )
        return found

    def _fractions(self, text: str) -> list[Mention]:
        """Fractions in words: a share ("one-tenth of") or an amount ("two and a half miles")."""
        found = []
        for m in self.lexicon.fraction.finditer(text):
            numerator = (m["num"] or "").lower()
            # "half million", "three quarters billion"
            scale = self.lexicon.scale_after.match(text, m.end())
            after = scale.end() if scale else m.end()
            unit = self._unit(text, after, False, has_currency=False)
            # "fell by a third", "cut by half": a share of what came before
            by = _BY_BEFORE.search(text, max(0, m.start() - 4), m.start())
            if not numerator:  # "half of the cobalt"; "third" alone is an ordinal
                if not (scale or m["den"].lower() == "half" and (by or _OF.match(text, m.end()))):
                    continue
                numerator = "a"
            elif (
                numerator in ("a", "an")
                and unit is None
                and not (scale or by or _OF.match(text, m.end()))
            ):
                continue  # "a third country": an ordinal, not a fraction
            value = _number_word(numerator) / self.lexicon.denominators[m["den"].lower()] + (
                _number_word(m["whole"].lower()) if m["whole"] else 0.0
            )
            if scale:
                value *= self.lexicon.scales[scale.group(1).lower()]
                expr, written, end = unit or (None, "", scale.end())
                q = _Quantity(m.start(), end, value, 0.0, written, expr)
                found.append(self._mention(text, q, self.lexicon.en))
            elif unit is not None:
                expr, written, end = unit
                q = _Quantity(m.start(), end, value, 0.0, written, expr)
                found.append(self._mention(text, q, self.lexicon.en))
            else:
                qualifier, start, end = self._qualifier(text, m.start(), m.end(), self.lexicon.en)
                found.append(self._share(text, start, end, value, m["den"], qualifier))
        return found

    def _zh_fraction(self, text: str, m: re.Match[str]) -> list[Mention]:
        """三分之一 is a third; 百分之九十, 千分之二 are percentages."""
        whole, written = _number(m.group(2)), m.group(3)
        end = m.end()
        part = _number(written)
        while part is None and len(written) > 1:  # 百分之七十百分位: the numeral ends sooner
            written = written[:-1]
            part, end = _number(written), m.start(3) + len(written)
        if not whole or part is None:
            return []
        scale = 1000 if m.group(4) and end == m.end() else 1
        step = _written_step(written) * scale
        value = (-1 if m.group(1) else 1) * part * scale
        if whole >= 100 and math.log10(whole).is_integer():
            factor = 100 / whole
            qualifier, start, end = self._qualifier(text, m.start(), end, self.lexicon.zh)
            mention = self._fixed(
                text,
                start,
                end,
                value * factor,
                m.group(2) + "分之",
                "percent",
                qualifier,
                step * factor,
            )
            return [replace(mention, change=self._change(text, start, end, self.lexicon.zh))]
        qualifier, start, end = self._qualifier(text, m.start(), end, self.lexicon.zh)
        return [self._share(text, start, end, value / whole, "分之", qualifier)]

    # -- building mentions ---------------------------------------------------------------

    def _canonical(self, q: _Quantity) -> Canonical:
        canonical = self.units.resolve(q.expr) if q.expr else None
        return canonical or self.units.count

    def _qualifier(self, text: str, start: int, end: int, rules: Language) -> tuple[str, int, int]:
        before = rules.qualifier_before.search(text, max(0, start - 24), start)
        if before:
            group = before.lastindex or 1
            return rules.qualifiers[before.group(group).lower()], before.start(group), end
        after = rules.qualifier_after.match(text, end)
        if after:
            return rules.qualifiers[after.group(1).lower()], start, after.end()
        return "exact", start, end

    def _change(self, text: str, start: int, end: int, rules: Language, money: bool = False) -> str:
        m = rules.change_before.search(text, max(0, start - 30), start)
        if m:
            word = m.group(1).lower()
            if money and word in rules.money_levels and not _BY_WORD.search(m.group()):
                return ""  # "raised $10m" from investors: the amount raised, not a rise
            return rules.changes[word]
        if rules.change_after:
            m = rules.change_after.match(text, end)
            if m:
                return rules.changes[m.group(1).lower()]
        return ""

    def _mention(self, text: str, q: _Quantity, rules: Language, change: str = "") -> Mention:
        canonical = self._canonical(q)
        qualifier, start, end = self._qualifier(text, q.start, q.end, rules)
        if q.qualifier != "exact":
            qualifier = q.qualifier
        if not change and canonical.unit != "x":
            change = self._change(text, start, end, rules, canonical.dimension == "currency")
        low, high = _interval(
            q.value,
            q.step,
            qualifier,
            self.lexicon.approx_tolerance,
            canonical.unit == "percent" and not change,
        )
        return Mention(
            start=start,
            end=end,
            surface=text[start:end],
            stated_value=q.value,
            stated_unit=q.written_unit,
            value=canonical.convert(q.value),
            low=_convert(canonical, low),
            high=_convert(canonical, high),
            unit=canonical.unit,
            dimension=canonical.dimension,
            qualifier=qualifier,
            change=change,
            confidence=q.confidence,
        )

    def _range(self, text: str, first: _Quantity, second: _Quantity, rules: Language) -> Mention:
        canonical = self._canonical(second)
        _, start, _ = self._qualifier(text, first.start, first.end, rules)
        between = _BETWEEN.search(text, max(0, start - 9), start)
        start = between.start() if between else start
        low, high = sorted((first.value, second.value))
        middle = (low + high) / 2
        return Mention(
            start=start,
            end=second.end,
            surface=text[start : second.end],
            stated_value=middle,
            stated_unit=second.written_unit,
            value=canonical.convert(middle),
            low=canonical.convert(low),
            high=canonical.convert(high),
            unit=canonical.unit,
            dimension=canonical.dimension,
            qualifier="range",
            change=self._change(text, start, second.end, rules),
            confidence=min(first.confidence, second.confidence),
        )

    def _share(
        self, text: str, start: int, end: int, fraction: float, written: str,
        qualifier: str = "exact",
    ) -> Mention:
        """A fraction of a whole ("a fifth", "one in five", 五分之一) is a share: stated as
        written, in percent like every share (20%), so that it meets the percentages about
        the same quantity; a fraction above one ("three halves") is a multiple."""
        if not 0 < fraction < 1:
            return self._fixed(text, start, end, fraction, written, "x", qualifier)
        mention = self._fixed(text, start, end, fraction * 100, written, "percent", qualifier)
        return replace(mention, stated_value=fraction, stated_unit=written)

    def _fixed(
        self,
        text: str,
        start: int,
        end: int,
        value: float,
        written: str,
        expr: str,
        qualifier: str = "exact",
        step: float = 0.0,
    ) -> Mention:
        """A figure read whole ("fifth-largest", "a third", 百分之三点五): no unit to convert."""
        canonical = self.units.require(expr)
        low, high = _interval(
            value, step, qualifier, self.lexicon.approx_tolerance, canonical.unit == "percent"
        )
        return Mention(
            start=start,
            end=end,
            surface=text[start:end],
            stated_value=value,
            stated_unit=written,
            value=value,
            low=low,
            high=high,
            unit=canonical.unit,
            dimension=canonical.dimension,
            qualifier=qualifier,
        )

    def _date(self, text: str, d: DateSpan) -> Mention:
        first, last = d.first.toordinal() - _EPOCH, d.last.toordinal() - _EPOCH
        return Mention(
            start=d.start,
            end=d.end,
            surface=text[d.start : d.end],
            stated_value=float(first),
            stated_unit="date",
            value=float(first),
            low=float(first),
            high=float(last),
            unit="date",
            dimension="date",
            qualifier=d.qualifier,
            iso=d.iso,
        )


def _words(text: str) -> frozenset[str]:
    """The runs of letters a-z of `text` in lower case."""
    return frozenset(ascii_words(text) if text.isascii() else _TOKEN.findall(text.lower()))


def _number_word(word: str) -> float:
    """A numerator as written: "a", "one"... "ten", or digits."""
    word = word.replace(",", "")
    return (
        1.0
        if word in ("a", "an")
        else float(word)
        if word.isdigit()
        else float(text2num(" ".join(word.split()), "en"))
    )


def _number(written: str) -> float | None:
    plain = written.strip().replace(",", "").replace("，", "")
    try:
        return float(plain)
    except ValueError:
        return parse_hanzi(plain)


def _small_number(written: str) -> float | None:
    """A number of smaller units: digits, hanzi or English words ("forty-five")."""
    number = _number(written)
    if number is not None or not written.strip():
        return number
    try:
        return float(text2num(" ".join(written.lower().replace("-", " ").split()), "en"))
    except ValueError:
        return None


def _written_step(written: str) -> float:
    """The size of the last digit written: "3.5" and 三点五 -> 0.1."""
    for point in (".", "点"):
        if point in written:
            return 10.0 ** -len(written.split(point, 1)[1].replace(" ", ""))
    return 1.0


def _is_currency(extractor: Extractor, expr: str) -> bool:
    canonical = extractor.units.resolve(expr)
    return canonical is not None and canonical.dimension == "currency"


def _carry(q: _Quantity, other: _Quantity) -> _Quantity:
    """A figure with no unit or scale of its own takes its partner's ("5-7 million tons")."""
    if q.scale == 1.0 and other.scale != 1.0 and q.end <= other.start:
        q = replace(q, value=q.value * other.scale, step=q.step * other.scale, scale=other.scale)
    if (
        q.expr is None
        and other.expr is not None
        or (other.expr and q.expr and other.expr.startswith(f"({q.expr}) /"))
    ):
        return replace(q, written_unit=other.written_unit, expr=other.expr)
    if q.expr is None and not q.written_unit and other.written_unit:
        return replace(q, written_unit=other.written_unit)
    return q


def _interval(
    value: float, step: float, qualifier: str, tolerance: float, share: bool
) -> tuple[float, float]:
    if qualifier == "lower":
        return value, (100.0 if share and value <= 100 else math.inf)
    if qualifier == "upper":
        return (0.0 if value >= 0 else -math.inf), value
    half = step / 2
    if qualifier == "approx":
        half = max(half, abs(value) * tolerance)
    return value - half, value + half


def _convert(canonical: Canonical, value: float) -> float:
    return value if math.isinf(value) else canonical.convert(value)


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


# Characters that show nothing and split nothing for a reader: zero-width space, joiners, word
# joiner, byte-order mark, soft hyphen.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


class _Taken:
    """Spans of text already read, sorted, asked whether a new one overlaps them in log time:
    a line of thousands of figures must not take quadratic time."""

    __slots__ = ("spans", "_longest")

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self.spans: list[tuple[int, int]] = []
        self._longest = 0
        self.extend(spans)

    def extend(self, spans: Iterable[tuple[int, int]]) -> None:
        for span in spans:
            bisect.insort(self.spans, span)
            self._longest = max(self._longest, span[1] - span[0])

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect.bisect_left(self.spans, (end,)) - 1  # the spans starting before `end`
        while index >= 0 and self.spans[index][0] > start - self._longest:
            if self.spans[index][1] > start:
                return True
            index -= 1
        return False
