"""Numerals: where a number is written and what it is worth, before scale words and units.

Three scripts: digits ("1,234.5", "2.48×10^-5"), English words ("twelve thousand",
"one hundred and twenty") and Chinese numerals ("十五", "三百五十"). Each numeral carries
`step`, the size of its last written digit, because rounding is information.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from text_to_num import text2num

__all__ = [
    "Numeral",
    "find_numerals",
    "has_cjk",
    "digits_step",
    "NORMALIZE",
    "NUMBER_WORDS",
    "HANZI_NUMERAL_CHARS",
    "NUMERAL_CHARS",
    "parse_hanzi",
    "hanzi_numeral",
    "digits_pattern",
    "DecimalComma",
    "may_group_otherwise",
]

# One character for one, so offsets stay true: full-width forms (１２３, ．, ％) to ASCII, and
# traditional and financial numerals (萬, 億, 貳, 點) to the plain ones. Financial forms that
# are also common words (陆 in 大陆, 伍 in 队伍) are left alone.
NORMALIZE = str.maketrans(
    {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F) if chr(c) not in "，：；（）！？"}
    # every other script's decimal digits (٣٫٥: Arabic-Indic three, decimal point, five) as ASCII
    | {chr(c): str(unicodedata.decimal(chr(c))) for c in range(0x80, 0x10000)
       if unicodedata.category(chr(c)) == "Nd" and not 0xFF10 <= c <= 0xFF19}
    | {"٫": ".", "٬": ","}
    | {"−": "-", "\u3000": " ", "\u00a0": " ", "\u202f": " ", "⁄": "/"}
    | dict(
        zip("壹贰貳叁參肆捌玖拾佰仟萬億兩點個對", "一二二三三四八九十百千万亿两点个对", strict=True)
    )
)

# Digit runs longer than a figure can be (ids, hashes) are left alone: at most 24 digits, and
# exponents of at most three, keep every conversion below finite and fast.
# A numeral never begins inside a word ("COVID-19", "A4") or after a thousands comma
# ("RM120,000" is one amount) but for "minus-5", "sub-300" and a currency written in letters
# ("USD10m", "RM23.50"). A decimal may begin with its point (".001 per cent").
_DIGITS_BEFORE = (
    r"(?=\.?\d)(?:(?<![A-Za-z0-9_.])(?<![A-Za-z\u4e00-\u9fff]-)(?<![A-Za-z0-9]\+)(?<!\d:)"
    r"|(?<=[Mm]inus-)|(?<=\bsub-){letters})"
    r"(?!\d{{1,2}}:\d\d)(?!(?<=\d,)\d{{3}}(?!\d))"
)
# Thousands grouped by threes, or the Indian way by lakhs and crores (12,34,567); two or more
# groups after points are thousands wherever they are written (1.500.000).
_DIGITS_BODY = (
    r"(?P<int>\d{1,3}(?:\.\d{3}){2,7}(?!\.?\d)|\d{1,2}(?:,\d\d)+,\d{3}(?![\d,])"
    r"|\d{1,3}(?:,\d{3}){1,7}(?!\d)|\d{1,3}(?: \d{3}){1,7}(?![\d,])|\d{1,24}(?!\d)"
    r"|(?=\.\d))"
    r"(?:\.(?P<frac>\d{1,24}))?"
    r"(?:(?P<ten>\s?[×x*]\s?(?:10\^?|(?P<base>[2-9]|1[1-6])\^)(?P<exp10>-?\d{1,3}))"
    r"|[eE](?P<exp>[-+]?\d{1,3})\b|\^(?P<power>-?\d{1,2})(?!\d))?"
    r"(?:\s(?P<num>\d{1,9})/(?P<den>\d{1,9})|/(?P<den_only>\d{1,9})(?![\d/]))?"
)


def digits_pattern(letter_prefixes: Iterable[str] = ()) -> re.Pattern[str]:
    """The pattern of numerals in digits; one may follow any of `letter_prefixes` directly."""
    letters = "".join(f"|(?<=(?<![A-Za-z]){re.escape(p)})" for p in letter_prefixes)
    return re.compile(_DIGITS_BEFORE.format(letters=letters) + _DIGITS_BODY)


_DIGITS = digits_pattern()

# "2½", "⅓": a vulgar fraction, alone or after a whole number
_FRACTIONS = "½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞"
_VULGAR = re.compile(rf"(?<![\d.])(?:(?P<int>\d+)\s?)?(?P<frac>[{_FRACTIONS}])")
_VULGAR_CHARS = re.compile(f"[{_FRACTIONS}]")
_ONES = [
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
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SCALES = ["hundred", "thousand", "million", "billion", "trillion"]
_WORD = rf"(?:(?:{'|'.join(_TENS)})(?:-(?:{'|'.join(_ONES[1:10])}))?|{'|'.join(_ONES)})"
# A number below a hundred in words, "forty-five" or "forty five" (cents after dollars).
SMALL_WORDS = rf"(?:(?:{'|'.join(_TENS)})(?:[-\s](?:{'|'.join(_ONES[1:10])}))?|{'|'.join(_ONES)})"
# the first letters of the words a match begins with, looked ahead for first: most places of a
# sentence fail that test at once, instead of trying each word there
_WORDS_START = "".join(sorted({word[0] for word in ["a", *_ONES, *_TENS]}))
_WORDS = re.compile(
    rf"(?=[{_WORDS_START}])\b(?:(?:a|one)\s+(?:{'|'.join(_SCALES)})|{_WORD})"
    rf"(?:(?:\s+and\s+|\s+|-)(?:{_WORD}|{'|'.join(_SCALES)})\b)*\b",
    re.IGNORECASE,
)

_HANZI_DIGITS = "零〇一二两三四五六七八九十"
# Numeral characters may stand a space apart ("一 百 五 十"); a trailing 千 that begins a unit
# (千克, 千米, 千瓦) belongs to the unit.
HANZI_NUMERAL_CHARS = _HANZI_DIGITS + "百千万亿点"
_HANZI_CHAR = rf"(?:[{_HANZI_DIGITS}百万亿点]|千(?![克米瓦卡焦比字]))"
_HANZI = re.compile(rf"(?:{_HANZI_CHAR} ?)*[{_HANZI_DIGITS}](?: ?{_HANZI_CHAR})*")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Every numeral has a digit, one of these characters or one of NUMBER_WORDS
NUMERAL_CHARS = _FRACTIONS + _HANZI_DIGITS


@dataclass(frozen=True, slots=True)
class Numeral:
    start: int
    end: int
    value: float
    step: float  # size of the last significant digit written
    script: str  # "digits" | "words" | "hanzi"
    # below 1 when the reading is a guess: "1,5" in English (a decimal comma, or a list?)
    confidence: float = 1.0


def digits_step(integer: str, fraction: str | None, round_from: float) -> float:
    """Size of the last significant digit of a written number ("28.5" -> 0.1)."""
    if fraction:
        return 10.0 ** -len(fraction)
    plain = integer.replace(",", "")
    if int(plain) >= round_from:
        zeros = len(plain) - len(plain.rstrip("0"))
        return 10.0**zeros
    return 1.0


NUMBER_WORDS = frozenset(_ONES + _TENS + _SCALES)


def has_cjk(text: str) -> bool:
    """Whether `text` holds a CJK character; ASCII text is known at once to hold none."""
    return not text.isascii() and _CJK.search(text) is not None


def find_numerals(
    text: str,
    round_from: float,
    words: frozenset[str] = NUMBER_WORDS,
    digits: re.Pattern[str] = _DIGITS,
    comma: DecimalComma | None = None,
) -> list[Numeral]:
    """Every numeral in `text` (already mapped through NORMALIZE), in order, not overlapping.

    `words` are the lowercase words of `text`, when the caller has them: without a number
    word among them the word pattern is not run. `digits` is `digits_pattern()` of the
    currencies written in letters. `comma` says how a decimal comma is read (see
    `DecimalComma`); without it, as in a language that does not write one.
    """
    vulgar = not text.isascii() and _VULGAR_CHARS.search(text)  # ASCII text holds none
    found = [_from_vulgar(m) for m in _VULGAR.finditer(text)] if vulgar else []
    taken = [(n.start, n.end) for n in found]
    in_digits = [_from_digits(m, round_from) for m in _digit_matches(digits, text)]
    if _DIGIT_COMMA.search(text):
        in_digits = _decimal_commas(text, in_digits, comma or DecimalComma(False), round_from)
    elif comma is not None and comma.native and _POINT_GROUP.search(text):
        in_digits = _decimal_commas(text, in_digits, comma, round_from)
    found += [n for n in in_digits if not _overlaps(n, taken)]
    taken = [(n.start, n.end) for n in found]
    for m in _WORDS.finditer(text) if not NUMBER_WORDS.isdisjoint(words) else ():
        numeral = _from_words(m)
        if numeral is not None and not _overlaps(numeral, taken):
            found.append(numeral)
    if has_cjk(text):
        for m in _HANZI.finditer(text):
            numeral = hanzi_numeral(m.group(), m.start(), round_from)
            if numeral is not None and not _overlaps(numeral, taken):
                found.append(numeral)
    found.sort(key=lambda n: n.start)
    return found


# Where a numeral in digits begins. Its pattern opens with lookarounds, which give the regex
# engine no first character to look for: it would be tried at every character of the text.
_DIGIT_OR_POINT = re.compile(r"[\d.]")


def _digit_matches(digits: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """`digits.finditer(text)`, the pattern tried only where a digit or a point stands."""
    pos = 0
    while place := _DIGIT_OR_POINT.search(text, pos):
        match = digits.match(text, place.start())
        if match is None:
            pos = place.start() + 1
        else:
            yield match
            pos = max(match.end(), place.start() + 1)


@dataclass(frozen=True, slots=True)
class DecimalComma:
    """How a comma between digits is read. A comma before digits that are not a group of three
    ("28,5", "1,25") is a decimal comma in any text; in text of a language that writes decimal
    commas (`native`: Russian, German, French…) "1,500" is one too (1.5). Where the text's
    language says otherwise — "1,5" in English may be a list, "1,500" in German a thousand
    and a half in English style — the reading keeps `ambiguous` of its confidence."""

    native: bool
    ambiguous: float = 0.5


# digits, a comma, digits: where a decimal comma may stand
_DIGIT_COMMA = re.compile(r"\d,\d")
# a point before three digits: a thousands point, in a language that writes decimal commas
_POINT_GROUP = re.compile(r"\d\.\d{3}(?!\d)")
_COMMA_OR_POINT_GROUP = re.compile(r"\d(?:,\d|\.\d{3}(?!\d))")  # either, in one search
_PLAIN_INTEGER = re.compile(r"\d{1,3}(?: \d{3})+|\d{1,3}(?:\.\d{3})+|\d+")
_ONE_GROUP = re.compile(r"(\d{1,3}),(\d{3})")
_ONE_POINT_GROUP = re.compile(r"(\d{1,3})\.(\d{3})")


def may_group_otherwise(text: str) -> bool:
    """Whether `text` has digits that a language writing decimal commas reads otherwise than
    English: "28,5", "1,500", "1.500" (see `DecimalComma`)."""
    return _COMMA_OR_POINT_GROUP.search(text) is not None


def _decimal_commas(
    text: str, numerals: list[Numeral], comma: DecimalComma, round_from: float
) -> list[Numeral]:
    """Numerals in digits with their decimal commas read: "28,5" one numeral, 28.5, not 28
    and 5; "2.345,6" is 2345.6, and in a language that writes decimal commas "1.500" is 1500.
    A run of numbers joined by commas ("1,2,3") is a list, not decimals."""
    out: list[Numeral] = []
    index = 0
    while index < len(numerals):
        n = numerals[index]
        nxt = numerals[index + 1] if index + 1 < len(numerals) else None
        listed = n.start >= 2 and text[n.start - 1] == "," and text[n.start - 2].isdigit()
        written = text[n.start : n.end]
        if (
            nxt is not None
            and not listed
            and nxt.start == n.end + 1
            and text[n.end] == ","
            and _PLAIN_INTEGER.fullmatch(written)
            and text[nxt.start : nxt.end].isdigit()
            and len(text[nxt.start : nxt.end]) != 3
            and not _DIGIT_COMMA.match(text, nxt.end - 1)
            and not re.match(r"\.\d", text[nxt.end : nxt.end + 2])
        ):
            fraction = text[nxt.start : nxt.end]
            out.append(Numeral(
                n.start, nxt.end,
                float(written.replace(" ", "").replace(".", "") + "." + fraction),
                10.0 ** -len(fraction), "digits", 1.0 if comma.native else comma.ambiguous,
            ))
            index += 2
            continue
        group = _ONE_GROUP.fullmatch(written)
        point = _ONE_POINT_GROUP.fullmatch(written)
        if comma.native and group and not listed and not _DIGIT_COMMA.match(text, n.end - 1):
            # "1,500": one and a half in Russian, a thousand and five hundred in English
            n = Numeral(n.start, n.end, float(f"{group[1]}.{group[2]}"), 0.001, "digits",
                        comma.ambiguous)
        elif comma.native and point and not listed:
            # "1.500": a thousand and five hundred in German, one and a half in English
            whole = point[1] + point[2]
            n = Numeral(n.start, n.end, float(whole), digits_step(whole, None, round_from),
                        "digits", comma.ambiguous)
        out.append(n)
        index += 1
    return out


def _overlaps(numeral: Numeral, spans: list[tuple[int, int]]) -> bool:
    return any(numeral.start < end and start < numeral.end for start, end in spans)


def _from_digits(m: re.Match[str], round_from: float) -> Numeral:
    integer, fraction = m["int"].replace(" ", "").replace(".", ""), m["frac"]
    value = float(integer.replace(",", "") + ("." + fraction if fraction else ""))
    step = digits_step(integer, fraction, round_from)
    exponent = m["exp10"] or m["exp"]
    if m["ten"] and "^" not in m["ten"] and len(integer) > 1:  # "1280×1024": two sizes
        end = m.end("frac") if fraction else m.end("int")
        return Numeral(m.start(), end, value, step, "digits")
    if exponent is not None:  # "2.48×10^-5", "8x2^10", "4e14"
        factor = float(m["base"] or 10) ** int(exponent)
        value, step = value * factor, step * factor
    elif m["power"] is not None:  # "2^10"
        value, step = value ** int(m["power"]), 0.0
    if m["den"]:
        value += int(m["num"]) / int(m["den"]) if int(m["den"]) else 0.0
        step = 1 / int(m["den"]) if int(m["den"]) else step
    elif m["den_only"]:
        denominator = int(m["den_only"])
        if denominator == 0 or value >= denominator:  # "24/7", "50/50": not fractions
            return Numeral(
                m.start(), m.end("frac") if fraction else m.end("int"), value, step, "digits"
            )
        value /= denominator
        step /= denominator
    return Numeral(m.start(), m.end(), value, step, "digits")


def _from_vulgar(m: re.Match[str]) -> Numeral:
    value = unicodedata.numeric(m["frac"]) + (int(m["int"]) if m["int"] else 0)
    return Numeral(m.start(), m.end(), value, 0.0, "digits")


def _from_words(m: re.Match[str]) -> Numeral | None:
    words = m.group().lower()
    if words.startswith("a "):
        words = "one " + words[2:]
    while words.endswith((" and", "-")):
        words = words.rsplit(" ", 1)[0] if words.endswith(" and") else words[:-1]
    try:
        value = float(text2num(words, "en"))
    except ValueError:
        return None
    last = words.replace("-", " ").split()[-1]
    step = {
        "hundred": 100.0,
        "thousand": 1e3,
        "million": 1e6,
        "billion": 1e9,
        "trillion": 1e12,
    }.get(last, 1.0)
    return Numeral(m.start(), m.start() + len(m.group().rstrip(" -")), value, step, "words")


# Numerals of one digit, most of those in Chinese text (一 in 一个): read without cn2an
_HANZI_DIGIT_VALUES = {char: float(value) for value, char in enumerate("零一二三四五六七八九")}
_HANZI_DIGIT_VALUES["两"] = 2.0


def parse_hanzi(written: str) -> float | None:
    """The value of a Chinese numeral ("十五亿", "三点五", "百"), or None."""
    written = written.replace(" ", "").replace("〇", "零")
    if written in _HANZI_DIGIT_VALUES:
        return _HANZI_DIGIT_VALUES[written]
    if written and all(c in "十百千万亿" for c in written):
        return math.prod({"十": 10, "百": 100, "千": 1e3, "万": 1e4, "亿": 1e8}[c] for c in written)
    if len(written) > 24:  # longer than any figure: a run of characters, not a number
        return None
    import cn2an  # on first use: its import takes longer than reading a page of figures

    try:
        return float(cn2an.cn2an(written, "smart"))
    except (ValueError, KeyError, IndexError, TypeError, OverflowError):
        return None


def hanzi_numeral(written: str, start: int, round_from: float) -> Numeral | None:
    """The Chinese numeral `written` at `start`, or None if it is not a number."""
    written = written.rstrip("点 ")
    value = parse_hanzi(written)
    if value is None or not math.isfinite(value) or value >= 1e24:
        return None
    if "点" in written:
        step = 10.0 ** -len(written.split("点", 1)[1].replace(" ", ""))
    else:
        step = digits_step(str(int(value)), None, round_from)
    return Numeral(start, start + len(written), value, step, "hanzi")
