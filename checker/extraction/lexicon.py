"""The word lists of rules/extraction.toml, compiled once into the patterns the extractor uses."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker.errors import ConfigError, line_of, load_toml
from checker.extraction.numerals import SMALL_WORDS, DecimalComma, digits_pattern
from checker.units import RULES_DIR, UndefinedUnitError, UnitError, Units

__all__ = ["Lexicon", "Language", "CommaLanguages", "ascii_words", "initials"]


_CJK_WORD = re.compile(r"[\u4e00-\u9fff]")


def _alternation(words: list[str] | set[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True) if w)


def initials(words: Iterable[str]) -> str:
    """A lookahead for the first characters of `words`, to open a pattern searched for in the
    text before a figure: it fails at once where no word can start, instead of trying every
    word at every character (a line of digits took 40 us a figure)."""
    first = "".join(sorted({re.escape(w[0]) for w in words if w}))
    return f"(?=[{first}])" if first else ""


@dataclass(frozen=True)
class Language:
    """Patterns for one language. `before_*` match at the end of the text before a figure,
    `after_*` at the start of the text after it."""

    qualifier_before: re.Pattern[str]
    qualifier_after: re.Pattern[str]
    qualifiers: dict[str, str]  # written qualifier -> exact|approx|lower|upper
    range_joiner: re.Pattern[str]
    change_from: re.Pattern[str] | None  # "rose from A to B" is a change; None: always
    list_joiner: re.Pattern[str] | None  # "45 and 50 mg": two figures, one unit
    change_before: re.Pattern[str]
    change_after: re.Pattern[str] | None
    changes: dict[str, str]  # written word -> increase|decrease
    money_levels: frozenset[str]  # "raised $10m": an amount of money after these is a level
    unit_after: re.Pattern[str]  # longest written unit, currency or scale word
    classifier: re.Pattern[str] | None
    rank: re.Pattern[str]
    not_figures: re.Pattern[str] | None


@dataclass(frozen=True)
class CommaLanguages:
    """Which sentences are in a language that writes decimal commas (rules/extraction.toml
    [decimal_comma]): a letter of its scripts, or its function words outnumbering English."""

    scripts: re.Pattern[str] | None
    words: frozenset[str]
    english: frozenset[str]
    min_words: int
    ambiguous: float

    def reading(self, text: str) -> DecimalComma:
        return DecimalComma(self.speaks(text), self.ambiguous)

    def speaks(self, text: str) -> bool:
        """Whether `text` is in one of these languages (none of which the claims lexicon, English
        and Chinese, reads)."""
        if self.scripts is not None and self.scripts.search(text):
            return True
        words = ascii_words(text) if text.isascii() else _LETTERS.findall(text.lower())
        native = sum(map(self.words.__contains__, words))
        if native < self.min_words:
            return False  # most sentences: their English words need not be counted
        return native > sum(map(self.english.__contains__, words))


_LETTERS = re.compile(r"[^\W\d_]+")
# ASCII letters in lower case, and every other byte a space
_ASCII_LETTERS = bytes(
    byte | 0x20 if chr(byte).isascii() and chr(byte).isalpha() else ord(" ") for byte in range(256)
)


def ascii_words(text: str) -> list[str]:
    """The runs of letters of ASCII `text`, in lower case, in order: what a pattern of letters
    finds in `text.lower()`, without the pattern (twice as fast)."""
    return text.encode().translate(_ASCII_LETTERS).decode().split()


@dataclass(frozen=True)
class Lexicon:
    units: Units
    approx_tolerance: float
    round_from: float
    table_figures: int  # a sentence of more figures is a flattened table: listed, not read
    en: Language
    zh: Language
    scales: dict[str, float]
    word_values: dict[str, float]  # "twice", 一半: figures written as one word
    denominators: dict[str, int]  # "third" -> 3
    fraction: re.Pattern[str]  # "two and a half", "one-tenth", "three halves"
    multiple: re.Pattern[str]  # "twice", "tripled"
    zh_words: re.Pattern[str]  # 一半, 对折: figures written without numerals
    zh_percent_words: dict[str, float]
    subunit: re.Pattern[str]  # "三毛" after "五元", "50 cents" after "3 dollars"
    # "15 dollars 50.", "one kuai five mao five": the next smaller unit left unwritten
    subunit_bare: re.Pattern[str]
    en_rank_hints: frozenset[str]  # words without which no rank or fraction can match
    fraction_hints: frozenset[str]
    not_count_nouns: frozenset[str]
    plural_nouns: frozenset[str]  # plurals without an -s ("people", "staff")
    currency_before: re.Pattern[str]
    labels: re.Pattern[str]  # "Group 1", "Phase 2": a number after these is a label
    inch: re.Pattern[str]  # "2 in thick": the word "in" as a unit
    article: re.Pattern[str]  # "a gallon of": one of a unit
    zh_names_after: re.Pattern[str]  # 6月: a numeral that names a month, not a figure
    zh_one_after: re.Pattern[str]  # 这一天: 一 as "this one", not a figure
    zh_weekday: re.Pattern[str]  # 周五一名: the 五 names a day
    digits: re.Pattern[str]  # numerals in digits, also right after "USD", "RM", "$US"
    en_names_after: re.Pattern[str]  # "11 a.m.", "0401 GMT": a number that names a time
    address: re.Pattern[str]  # "221 Baker Street", "MA 02115": a number in an address
    clock_after: re.Pattern[str]  # "at 2 pm": a time of day; "2 pm is 2 picometres"
    clock_before: re.Pattern[str]
    score_before: re.Pattern[str]  # "won 3-1": a score, not a range
    age_before: re.Pattern[str]  # "aged 18 to 34": years of age
    not_one_of: frozenset[str]  # "a bit", "a shot": no quantity of a unit
    degree: re.Pattern[str]  # "degrees", "°", 度 written after a figure with no scale
    degree_angle: re.Pattern[str]  # words near a degree figure that make it an angle
    degree_study: re.Pattern[str]  # "two degrees in law": no measure
    degree_scale_before: re.Pattern[str]  # 华氏80度, 摄氏30度: the scale written before
    degree_units: dict[str, str]  # "en", "zh", "angle", 华氏, 摄氏 -> pint unit
    vague: re.Pattern[str]  # "dozens", "tens of thousands", "several hundred"
    vague_values: dict[str, float]  # "dozens" -> 24: the least a vague word allows
    zh_vague: re.Pattern[str]  # 数十, 几万, 上百
    zh_vague_values: dict[str, float]  # 数 -> 2: how many of the scale word at least
    decimal_comma: CommaLanguages
    # a scale word or an abbreviation of two letters or more, after a figure: "million", "bn",
    # "млн", "Mio."
    scale_after: re.Pattern[str]

    @classmethod
    def load(cls, rules_dir: Path = RULES_DIR, units: Units | None = None) -> Lexicon:
        """rules/extraction.toml compiled; a file that cannot be used is a ConfigError."""
        units = units or Units(rules_dir)
        path = rules_dir / "extraction.toml"
        data = load_toml(path)
        try:
            return cls._compile(data, units)
        except KeyError as error:
            raise ConfigError(f"missing key {error.args[0]!r}", path) from error
        except UndefinedUnitError as error:  # a scale word units.txt lacks
            names = error.unit_names if isinstance(error.unit_names, tuple) else (error.unit_names,)
            reason = f"not defined in rules/units.txt: {', '.join(map(repr, names))}"
            raise ConfigError(reason, path, line_of(path, f'"{names[0]}"')) from error
        except (UnitError, TypeError, ValueError, AttributeError) as error:
            raise ConfigError(f"unusable value: {error}", path) from error

    @classmethod
    def _compile(cls, data: dict[str, Any], units: Units) -> Lexicon:
        en, zh, degrees, comma = data["en"], data["zh"], data["degrees"], data["decimal_comma"]
        scales = {w: units.scale(w) for w in data["scales"]["words"]}
        scales |= {k.lower(): float(v) for k, v in data["scales"]["abbreviations"].items()}
        written_scales = [w for w in scales if len(w) > 1 and not _CJK_WORD.search(w)]
        after_en = [w for w in units.after if not _CJK_WORD.search(w)]
        long_en = [w for w in after_en if len(w) >= 4]
        short_en = [w for w in after_en if len(w) < 4]
        short_en += [
            w.upper()
            for w in short_en
            if w.islower() and len(w) > 1 and w.upper() not in units.after
        ]
        after_zh = [w for w in units.after if _CJK_WORD.search(w)] + units.cjk_names
        prefixes = _alternation(list(units.currency_prefix))
        zh_bounds = zh["lower"] + zh["upper"] + zh["approx"]
        zh_long_bounds = _alternation([w for w in zh_bounds if len(w) > 1])
        zh_short_bounds = _alternation([w for w in zh_bounds if len(w) == 1])
        multiples = {k.lower(): v for k, v in en["multiples"].items()}
        denominators = {k.lower(): v for k, v in en["denominators"].items()}
        vague = {k.lower(): float(v) for k, v in en["vague"].items()}
        return cls(
            units=units,
            approx_tolerance=data["intervals"]["approx_tolerance"],
            round_from=data["intervals"]["trailing_zeros_round_from"],
            table_figures=int(data["tables"]["max_figures"]),
            en=Language(
                qualifier_before=re.compile(
                    rf"{_initials(en, 'lower', 'upper', 'approx')}(?:^|(?<=[^\w]))"
                    rf"({_words(en, 'lower', 'upper', 'approx')})\s*$",
                    re.IGNORECASE,
                ),
                qualifier_after=re.compile(
                    rf"\s*({_words(en, 'lower_after', 'upper_after', 'approx_after')})(?!\w)",
                    re.IGNORECASE,
                ),
                qualifiers=_qualifier_map(en),
                range_joiner=re.compile(
                    rf"\s*({_alternation(en['range_joiners'])})\s*", re.IGNORECASE
                ),
                change_from=re.compile(
                    rf"\b({_words(en, 'change_from', 'increase_before', 'decrease_before')})"
                    r"\s+(?:[\w$%.,-]+\s+){0,4}?from\s+(?:[a-z]+\s+){0,2}$",
                    re.IGNORECASE,
                ),
                list_joiner=re.compile(
                    rf"\s*({_alternation(en['list_joiners'])})\s*", re.IGNORECASE
                ),
                change_before=re.compile(
                    rf"{_initials(en, 'increase_before', 'decrease_before')}"
                    rf"(?<![\w-]){_not_after(en['particle_verbs'])}"
                    rf"({_words(en, 'increase_before', 'decrease_before')})"
                    # "rose by 5%" is a change; "rose to 50%" is a level
                    r"(?:\s+(?:by|of))?\s+(?:(?:about|around|nearly|almost|some|roughly|over|"
                    r"more than|less than|just|only)\s+)?$",
                    re.IGNORECASE,
                ),
                change_after=re.compile(
                    rf"[\s-]*({_words(en, 'increase_after', 'decrease_after')})\b",
                    re.IGNORECASE,
                ),
                changes=_change_map(en),
                money_levels=frozenset(w.lower() for w in en["money_levels"]),
                unit_after=re.compile(
                    rf"[\s-]?(?:(?i:({_alternation(long_en)}))|({_alternation(short_en)}))"
                    r"(?![A-Za-z0-9])"
                ),
                classifier=None,
                rank=re.compile(
                    rf"(?:st|nd|rd|th)?[\s-]+({_alternation(en['superlatives'])})\b", re.IGNORECASE
                ),
                not_figures=None,
            ),
            zh=Language(
                # a bound of two characters or more may stand a few words before its figure
                # (至少需要6亿美元); a one-character one (约, 近) only right before it
                qualifier_before=re.compile(
                    rf"{initials(zh_bounds)}"
                    rf"(?:({zh_long_bounds})[^\d，。；、,;]{{0,6}}|({zh_short_bounds})\s*)$"
                ),
                qualifier_after=re.compile(
                    rf"\s*({_words(zh, 'lower_after', 'upper_after', 'approx_after')})"
                ),
                qualifiers=_qualifier_map(zh),
                range_joiner=re.compile(rf"\s*({_alternation(zh['range_joiners'])})\s*"),
                change_from=None,
                list_joiner=None,
                change_before=re.compile(
                    rf"{_initials(zh, 'increase_before', 'decrease_before')}"
                    rf"({_words(zh, 'increase_before', 'decrease_before')})"
                    r"(?:了|约|近|超过|达)?\s*$"
                ),
                change_after=None,
                changes=_change_map(zh),
                money_levels=frozenset(),
                unit_after=re.compile(rf"\s*({_alternation(after_zh)})"),
                classifier=re.compile(rf"\s?({_alternation(zh['classifiers'])})"),
                # 第三名, 第二大; 第三 alone before punctuation is a rank too (排名第三。)
                rank=re.compile(
                    rf"({_alternation(zh['superlatives'])})|(?=\s*(?:[，。；：、,.;:！？)）]|$))"
                ),
                not_figures=re.compile(_alternation(zh["not_figures"])),
            ),
            scales=scales,
            word_values=multiples | zh["fractions"],
            denominators=denominators,
            fraction=re.compile(
                rf"\b(?:(?P<whole>{_NUMERATORS})\s+and\s+)?(?:(?P<num>a|an|{_NUMERATORS})[\s-])?"
                rf"(?P<den>{_alternation(list(denominators))})\b",
                re.IGNORECASE,
            ),
            multiple=re.compile(rf"\b({_alternation(list(multiples))})\b", re.IGNORECASE),
            zh_words=re.compile(_alternation(list(zh["fractions"]) + list(zh["percent_words"]))),
            zh_percent_words=zh["percent_words"],
            subunit=re.compile(
                rf"\s*(?:又|零|and\s+)?\s*(\d+|[零一二两三四五六七八九十]+|(?i:{SMALL_WORDS}))\s*"
                rf"({_alternation(list(units.subunits))})(?![A-Za-z])"
            ),
            subunit_bare=re.compile(
                rf"\s+(?:and\s+)?(\d{{1,2}}|(?i:{SMALL_WORDS}))(?![\w.,]?\w)"
                rf"(?=\s*(?:[.,;:!?)]|$)|\s+(?:{_alternation(en['bare_subunit_before'])})\b)"
            ),
            en_rank_hints=frozenset(w.split()[-1].lower() for w in en["superlatives"]),
            fraction_hints=frozenset(list(denominators) + list(multiples)),
            not_count_nouns=frozenset(en["not_count_nouns"]),
            plural_nouns=frozenset(en["plural_nouns"]),
            labels=re.compile(
                rf"{initials(en['labels'])}(?<![\w.])({_alternation(en['labels'])})\s*$",
                re.IGNORECASE,
            ),
            inch=re.compile(
                rf"\s?in\b(?=\s*(?:[.,;:)]|$)|\s+(?:{_alternation(en['inch_context'])})\b)"
            ),
            article=re.compile(r"\b(a|an)\s+(?=[A-Za-z])", re.IGNORECASE),
            currency_before=re.compile(rf"(?:^|(?<![A-Za-z]))({prefixes})\s?$"),
            en_names_after=re.compile(rf"\s?(?:{_alternation(en['names_after'])})(?![A-Za-z])"),
            address=re.compile(
                rf"\s+(?:[A-Z][a-z]+\s+){{1,2}}(?:{_words(en, 'street_words')})(?![A-Za-z])"
            ),
            clock_after=re.compile(rf"\s?(?:{_words(en, 'clock_after')})\b"),
            clock_before=re.compile(
                rf"{_initials(en, 'clock_before')}\b(?:{_words(en, 'clock_before')})\s+$",
                re.IGNORECASE,
            ),
            score_before=re.compile(
                rf"{_initials(en, 'score_before')}\b(?:{_words(en, 'score_before')})"
                r"\s+(?:[a-z]+\s+){0,2}$",
                re.IGNORECASE,
            ),
            age_before=re.compile(
                rf"{_initials(en, 'age_before')}\b(?:{_words(en, 'age_before')})"
                r"\s+(?:between\s+|of\s+)?$",
                re.IGNORECASE,
            ),
            not_one_of=frozenset(en["not_one_of"]),
            degree=re.compile(rf"[\s-]?({_alternation(degrees['written'])})(?![A-Za-z])"),
            degree_angle=re.compile(rf"(?i:\b|(?<=[^\x00-\x7f]))(?:{_words(degrees, 'angle')})"),
            degree_study=re.compile(rf"(?i:\b(?:{_words(degrees, 'study')})\b)"),
            degree_scale_before=re.compile(
                rf"({_words(degrees, 'fahrenheit_before', 'celsius_before')})\s*$"
            ),
            degree_units={"en": degrees["en"], "zh": degrees["zh"], "angle": degrees["angle_unit"]}
            | dict.fromkeys(degrees["fahrenheit_before"], "degree_Fahrenheit")
            | dict.fromkeys(degrees["celsius_before"], "degree_Celsius"),
            vague=_vague_pattern(list(vague)),
            vague_values=vague,
            zh_vague=re.compile(
                rf"(?<![{''.join(zh['vague_not_after'])}])({_alternation(list(zh['vague']))})"
                r"([十百千万亿]+)(?!分之)"
            ),
            zh_vague_values={k: float(v) for k, v in zh["vague"].items()},
            scale_after=re.compile(
                rf"\s?({_alternation(written_scales)})"
                r"(?!\w)",
                re.IGNORECASE,
            ),
            decimal_comma=CommaLanguages(
                scripts=(re.compile(f"[{''.join(comma['scripts'])}]") if comma["scripts"]
                         else None),
                words=frozenset(w.lower() for w in comma["words"]),
                english=frozenset(w.lower() for w in comma["english"]),
                min_words=int(comma["min_words"]),
                ambiguous=float(comma["ambiguous"]),
            ),
            digits=digits_pattern(p for p in units.currency_prefix if p[-1].isalpha()),
            zh_names_after=re.compile(rf"\s*(?:{_alternation(zh['names_after'])})"),
            zh_one_after=re.compile(rf"(?:{_alternation(zh['one_after'])})$"),
            zh_weekday=re.compile(
                rf"(?:{_alternation(zh['weekdays'])})([一二三四五六日天])(?![天次个日年])"
            ),
        )


def _vague_pattern(words: list[str]) -> re.Pattern[str]:
    """A vague word and the scale words after it: "tens of thousands", "several hundred"; a
    follower is a plural word of the list or its singular."""
    plurals = [w for w in words if w.endswith("s")]
    followers = _alternation(plurals + [w[:-1] for w in plurals])
    return re.compile(
        rf"\b(?P<first>{_alternation(words)})(?P<more>(?:\s+(?:of\s+)?(?:{followers})\b)*)",
        re.IGNORECASE,
    )


def _not_after(verbs: list[str]) -> str:
    """Lookbehinds, one per verb: "up" in "made up 18%" is part of the verb, not a rise."""
    return "".join(rf"(?<!\b{re.escape(verb)} )" for verb in verbs)


def _initials(language: dict, *keys: str) -> str:
    """`initials` of the word lists under `keys` of a language section."""
    return initials(word for key in keys for word in language[key])


def _words(language: dict, *keys: str) -> str:
    """One alternation of the word lists under `keys` of a language section."""
    return _alternation([word for key in keys for word in language[key]])


_NUMERATORS = "one|two|three|four|five|six|seven|eight|nine|ten"


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
