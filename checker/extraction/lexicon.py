"""The word lists of rules/extraction.toml, compiled once into the patterns the extractor uses."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from checker.units import RULES_DIR, Units

__all__ = ["Lexicon", "Language"]


def _alternation(words: list[str] | set[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True) if w)


@dataclass(frozen=True)
class Language:
    """Patterns for one language. `before_*` match at the end of the text before a figure,
    `after_*` at the start of the text after it."""

    qualifier_before: re.Pattern[str]
    qualifier_after: re.Pattern[str]
    qualifiers: dict[str, str]  # written qualifier -> exact|approx|lower|upper
    range_joiner: re.Pattern[str]
    change_before: re.Pattern[str]
    change_after: re.Pattern[str] | None
    changes: dict[str, str]  # written word -> increase|decrease
    unit_after: re.Pattern[str]  # longest written unit, currency or scale word
    classifier: re.Pattern[str] | None
    rank: re.Pattern[str]
    label_before: re.Pattern[str] | None
    not_figures: re.Pattern[str] | None


@dataclass(frozen=True)
class Lexicon:
    units: Units
    approx_tolerance: float
    round_from: float
    en: Language
    zh: Language
    scales: dict[str, float]
    fractions: dict[str, float]
    fraction: re.Pattern[str]
    zh_words: re.Pattern[str]  # 一半, 对折: figures written without numerals
    zh_percent_words: dict[str, float]
    subunit: re.Pattern[str]  # "三毛" after "五元", "50 cents" after "3 dollars"
    en_rank_hints: tuple[str, ...]  # substrings without which no rank or fraction can match
    fraction_hints: tuple[str, ...]
    not_count_nouns: frozenset[str]
    currency_before: re.Pattern[str]

    @classmethod
    def load(cls, rules_dir: Path = RULES_DIR, units: Units | None = None) -> Lexicon:
        units = units or Units(rules_dir)
        with open(rules_dir / "extraction.toml", "rb") as f:
            data = tomllib.load(f)
        en, zh = data["en"], data["zh"]
        scale_words = ["thousand", "million", "billion", "trillion", "万亿", "亿", "万", "千"]
        scales = {w: units.scale(w) for w in scale_words}
        scales |= {"bn": 1e9, "mn": 1e6, "mln": 1e6, "tn": 1e12, "k": 1e3, "m": 1e6, "b": 1e9,
                   "t": 1e12, "百万": 1e6, "千万": 1e7, "十亿": 1e9, "百亿": 1e10, "千亿": 1e11}
        after_en = [w for w in units.after if w.isascii()]
        long_en = [w for w in after_en if len(w) >= 4]
        short_en = [w for w in after_en if len(w) < 4]
        short_en += [w.upper() for w in short_en if w.islower() and len(w) > 1 and w.upper() not in units.after]
        after_zh = [w for w in units.after if not w.isascii()] + units.cjk_names
        prefixes = _alternation(list(units.currency_prefix))
        zh_bounds = zh["lower"] + zh["upper"] + zh["approx"]
        multiples = {k.lower(): v for k, v in en["multiples"].items()} | zh["fractions"]
        fractions = {k.lower(): v for k, v in en["fractions"].items()} | multiples
        followers = _alternation(en["fraction_followers"])
        return cls(
            units=units,
            approx_tolerance=data["intervals"]["approx_tolerance"],
            round_from=data["intervals"]["trailing_zeros_round_from"],
            en=Language(
                qualifier_before=re.compile(
                    rf"(?:^|(?<=[^\w]))({_alternation(en['lower'] + en['upper'] + en['approx'])})\s*$",
                    re.IGNORECASE),
                qualifier_after=re.compile(
                    rf"\s*({_alternation(en['lower_after'] + en['upper_after'] + en['approx_after'])})(?!\w)",
                    re.IGNORECASE),
                qualifiers=_qualifier_map(en),
                range_joiner=re.compile(rf"\s*({_alternation(en['range_joiners'])})\s*", re.IGNORECASE),
                change_before=re.compile(
                    rf"(?<![\w-])({_alternation(en['increase_before'] + en['decrease_before'])})"
                    r"(?:\s+(?:by|to|of))?\s+(?:(?:about|around|nearly|almost|some|roughly|over|"
                    r"more than|less than|just|only)\s+)?$", re.IGNORECASE),
                change_after=re.compile(
                    rf"[\s-]*({_alternation(en['increase_after'] + en['decrease_after'])})\b",
                    re.IGNORECASE),
                changes=_change_map(en),
                unit_after=re.compile(
                    rf"[\s-]?(?:(?i:({_alternation(long_en)}))|({_alternation(short_en)}))(?![A-Za-z0-9])"),
                classifier=None,
                rank=re.compile(
                    rf"(?:st|nd|rd|th)?[\s-]+({_alternation(en['superlatives'])})\b", re.IGNORECASE),
                label_before=re.compile(rf"(?<![\w.])({_alternation(en['labels'])})\s*$", re.IGNORECASE),
                not_figures=None,
            ),
            zh=Language(
                # a bound of two characters or more may stand a few words before its figure
                # (至少需要6亿美元); a one-character one (约, 近) only right before it
                qualifier_before=re.compile(
                    rf"(?:({_alternation([w for w in zh_bounds if len(w) > 1])})[^\d，。；、,;]{{0,6}}"
                    rf"|({_alternation([w for w in zh_bounds if len(w) == 1])})\s*)$"),
                qualifier_after=re.compile(
                    rf"\s*({_alternation(zh['lower_after'] + zh['upper_after'] + zh['approx_after'])})"),
                qualifiers=_qualifier_map(zh),
                range_joiner=re.compile(rf"\s*({_alternation(zh['range_joiners'])})\s*"),
                change_before=re.compile(
                    rf"({_alternation(zh['increase_before'] + zh['decrease_before'])})(?:了|约|近|超过|达)?\s*$"),
                change_after=None,
                changes=_change_map(zh),
                unit_after=re.compile(rf"\s*({_alternation(after_zh)})"),
                classifier=re.compile(rf"\s?({_alternation(zh['classifiers'])})"),
                rank=re.compile(rf"({_alternation(zh['superlatives'])})"),
                label_before=None,
                not_figures=re.compile(_alternation(zh["not_figures"])),
            ),
            scales=scales,
            fractions=fractions,
            fraction=re.compile(
                rf"\b(?:({_alternation(list(fractions))})\s+(?={followers}\b)|({_alternation(list(multiples))})\b)",
                re.IGNORECASE),
            zh_words=re.compile(_alternation(list(zh["fractions"]) + list(zh["percent_words"]))),
            zh_percent_words=zh["percent_words"],
            subunit=re.compile(
                r"\s*(?:又|零|and\s+)?\s*(\d+|[零一二两三四五六七八九十]+)\s*"
                rf"({_alternation(list(units.subunits))})(?![A-Za-z])"),
            en_rank_hints=tuple({w.split()[-1].lower() for w in en["superlatives"]}),
            fraction_hints=tuple({w.replace("-", " ").split()[-1].rstrip("s") for w in fractions if w.isascii()}),
            not_count_nouns=frozenset(en["not_count_nouns"]),
            currency_before=re.compile(rf"(?:^|(?<![A-Za-z]))({prefixes})\s?$"),
        )


def _qualifier_map(language: dict) -> dict[str, str]:
    mapping = {}
    for qualifier in ("lower", "upper", "approx"):
        for word in language[qualifier] + language[f"{qualifier}_after"]:
            mapping[word.lower()] = qualifier
    return mapping


def _change_map(language: dict) -> dict[str, str]:
    mapping = {}
    for direction in ("increase", "decrease"):
        for place in ("before", "after"):
            for word in language.get(f"{direction}_{place}", []):
                mapping[word.lower()] = direction
    return mapping
