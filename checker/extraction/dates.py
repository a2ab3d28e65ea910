"""Dates and timelines as figures with ISO bounds ("August 1, 2023", "late 2026", 2023年8月).

A date without a year ("by December 1", "in September") takes the year of the article's own
date, the `reference`; without one it is left out rather than guessed.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date

__all__ = ["DateSpan", "find_dates", "MONTH_WORDS", "CHINESE_DATE_CHARS"]

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_MONTH = rf"(?P<month>{_MONTH_NAMES})\.?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_PART_WORDS = (
    "early", "earlier", "mid", "middle", "late", "later", "the end of", "end of", "end",
    "year-end", "the beginning of", "beginning of", "the start of", "start of",
    "the first half of", "first half of", "the second half of", "second half of",
    "the first quarter of", "first quarter of", "the second quarter of", "second quarter of",
    "the third quarter of", "third quarter of", "the fourth quarter of", "fourth quarter of",
    *(f"{the}{ordinal}{between}quarter" for the in ("the ", "") for between in (" ", "-")
      for ordinal in ("first", "second", "third", "fourth")),
)
_PART = rf"(?P<part>{'|'.join(_PART_WORDS)}|Q[1-4])"
# Words before a date that bound it.
# "until" and "from" are left out: "not until late 2026" and "from 1950 to 2019" bound nothing.
_BOUND_WORDS = ("by", "before", "pre", "since", "after", "starting", "starting in", "as of",
                "beginning")
_BOUND = rf"(?:(?P<bound>{'|'.join(_BOUND_WORDS)})[\s-]+)?"
# "since the 19th century": the article may stand between the bound and the date
_BOUND_THE = _BOUND[:-2] + r"(?:the\s+)?)?"

def _first_letters(words: Iterable[str]) -> str:
    return "".join(sorted({word[0] for word in words}))


def _starting(first: str, pattern: str) -> str:
    return f"(?=[{first}]){pattern}"


# The characters a match of each pattern can start with, looked ahead for first: the patterns
# run at every place of a window, and most places fail that one test (2.5 times as fast). The
# patterns ignore case, but a month alone: their words' first letters in lower case.
_BOUND_STARTS = _first_letters(_BOUND_WORDS)
_MONTH_STARTS = _first_letters(_MONTHS)
_PART_STARTS = _first_letters(_PART_WORDS) + "q"  # and Q1-Q4

# A capitalized month name alone is a date too, but for May and March (a verb each).
_MONTHS_ALONE = ("January", "February", "April", "June", "July", "August", "September",
                 "October", "November", "December", "Jan", "Feb", "Apr", "Jun", "Jul", "Aug",
                 "Sept", "Sep", "Oct", "Nov", "Dec")
_MONTH_ALONE = re.compile(_starting(_first_letters(_MONTHS_ALONE),
                                    rf"\b(?P<month>{'|'.join(_MONTHS_ALONE)})\b\.?(?![\s,]+\d)"))
# Each pattern with one that every match of it holds, or None: searched for first in a window,
# it spares most windows the pattern's own search, which takes several times as long.
_DIGIT = re.compile(r"\d")
_OLD = re.compile(r"1[0-8]\d\d")
_WITH_MONTH = ((None, _MONTH_ALONE),) + tuple(
    (needed, re.compile(_starting(first, pattern), re.IGNORECASE))
    for needed, first, pattern in (
        (_DIGIT, _BOUND_STARTS + _MONTH_STARTS, rf"{_BOUND}\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b"),
        (_DIGIT, _BOUND_STARTS + r"\d", rf"{_BOUND}\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b"),
        (_DIGIT, _BOUND_STARTS + _MONTH_STARTS, rf"{_BOUND}\b{_MONTH},?\s+{_YEAR}\b"),
        (_DIGIT, _BOUND_STARTS + _MONTH_STARTS,
         rf"{_BOUND}\b{_MONTH}\s+{_DAY}\s*[-–]\s*(?P<day_to>[0-3]?\d)\b(?:,?\s+{_YEAR}\b)?"),
        (_DIGIT, _BOUND_STARTS + _MONTH_STARTS, rf"{_BOUND}\b{_MONTH}\s+{_DAY}\b(?![,\s]*\d)"),
        # "last March": a month, May and March too, the latest before the article
        (None, "l", rf"\b(?P<last>last)\s+{_MONTH}\b(?![\s,]+\d)"),
        # "the July-September period", "in January to March 2024"
        (None, "idfb" + _MONTH_STARTS,
         rf"(?:(?P<prep>in|during|from|between)\s+)?\b{_MONTH}\s*(?:[-–]|\s(?:to|through|and)\s)\s*"
         rf"(?P<month_to>{_MONTH_NAMES})\b(?:,?\s+{_YEAR}\b)?"),
        (None, "ibsupafdto",  # the prepositions
         rf"(?P<prep>in|by|since|until|before|pre|after|from|during|through|of)[\s-]+"
         rf"(?:early\s+|late\s+|mid-)?{_MONTH}\b(?![\s,]+\d)"),
    )
)
# A year of an earlier century is read as one after a preposition ("In 1846,", "A.D. 1000") or
# as a span ("1605–1607"), not followed by what it would count.
_OLD_YEAR = r"(?P<year>1[0-8]\d\d)"
_OLD_BEFORE = (
    r"(?:(?<=\bin )|(?<=\bof )|(?<=\bduring )|(?<=\buntil )|(?<=\bcirca )|(?<=\bc\. )"
    r"|(?<=\bA\.D\. )|(?<=\bAD )|(?<=\bthe year ))"
)
_NOT_COUNTED = (
    r"(?![,.]\d|\s*(?:%|[-–]\d|[×x*]\s?\d)|\s+(?:[a-z]+s|people|percent|million|billion)\b)"
)
_WITH_YEAR = tuple(
    (needed, re.compile(_starting(_BOUND_STARTS + first, pattern), re.IGNORECASE))
    for needed, first, pattern in (
        (re.compile("[-–/]"), r"\d",
         rf"{_BOUND}\b{_YEAR}\s*[-–/]\s*(?P<year_to>(?:19|20)?\d\d)\b(?![-/.]\d)"),
        (_OLD, r"\d",
         rf"{_BOUND}\b{_OLD_YEAR}\s*[-–]\s*(?P<year_to>1[0-8]\d\d)\b{_NOT_COUNTED}"),
        (_OLD, r"\d", rf"{_BOUND}{_OLD_BEFORE}{_OLD_YEAR}\b{_NOT_COUNTED}"),
        (None, _PART_STARTS, rf"{_BOUND}\b{_PART}(?:,|\s+of)?[\s-]+{_YEAR}\b"),
        (re.compile(r"-[01]\d-"), r"\d",
         rf"{_BOUND}\b(?P<iso>{_YEAR}-(?P<iso_month>[01]\d)-(?P<iso_day>[0-3]\d))\b"),
        (re.compile(r"\d0s", re.IGNORECASE), r"t\d",
         rf"{_BOUND}\b(?:the\s+)?(?P<decade>(?:19|20)\d0)s\b"),
        # a year, unless a unit, scale word or currency sign makes it an amount
        (None, r"\d",
         rf"(?<![$€£¥])(?<!US\$){_BOUND}\b{_YEAR}\b(?!\s*(?:%|percent|million|billion|thousand|"
         rf"trillion|tons?|tonnes?|t\b|kg|kilograms?|years?|[-–]\d|\.\d|,\d|万|亿|吨|元|美元))"),
    )
)
# "the early 17th century": 1600-1632; the century itself is 1600-1699
_CENTURY = re.compile(
    _starting(_BOUND_STARTS + r"eml\d",
              rf"{_BOUND_THE}\b(?:(?P<cpart>early|mid|late)[\s-]+)?(?P<century>2[01]|1\d|[1-9])"
              r"(?:st|nd|rd|th)\s+century\b(?!-)"),  # "21st-century" is an adjective, not a date
    re.IGNORECASE,
)
_ANY_CENTURY = re.compile(r"century", re.IGNORECASE)
_RELATIVE_WORDS = ("year", "quarter", "month")
# "last year", "so far this month": a year or month counted from the article's own date. "The
# last year" and "the past year" are the twelve months before it, no calendar period.
_RELATIVE = re.compile(
    rf"{_BOUND}\b(?:so far\s+)?(?P<relative>last|this|next)\s+"
    rf"(?P<relative_unit>{'|'.join(_RELATIVE_WORDS)})\b"
    r"(?![-–]\w)",  # "this year-end", "next month-long": another reading
    re.IGNORECASE,
)
# "the last year", "her last year", "the last May Day": no period counted from the article
_DETERMINED = re.compile(r"\b(?:the|her|his|its|their|our|my|your|very)\s+$", re.IGNORECASE)
_RELATIVE_STEP = {"last": -1, "this": 0, "next": 1}
_ANY_RELATIVE = re.compile(rf"\b(?:{'|'.join(_RELATIVE_WORDS)})\b", re.IGNORECASE)
# "the third quarter", "third-quarter", "Q3" without a year: the latest that began by the
# article's date (results are reported after their quarter)
_QUARTER = re.compile(
    rf"{_BOUND_THE}(?:\b(?:the\s+)?(?P<quarter>first|second|third|fourth)[\s-]+quarter\b"
    r"(?:\s+of\s+(?P<quarter_of>last|this|next)\s+year\b)?"
    r"|(?<![A-Za-z0-9])(?<!\d\s)Q(?P<quarter_number>[1-4])(?![A-Za-z0-9]))"
    r"(?![-–]\w)(?!\s*FY)",  # "Q4 FY2025": a fiscal quarter, of a year its company sets
    re.IGNORECASE,
)
_QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_ANY_QUARTER = re.compile(r"quarter|(?<![A-Za-z0-9])Q[1-4](?![A-Za-z0-9])", re.IGNORECASE)
_CENTURY_PARTS = {"early": (0, 32), "mid": (33, 66), "late": (67, 99), "": (0, 99)}
_ANY_YEAR = re.compile(r"(?:1\d|20)\d\d")
MONTH_WORDS = frozenset(_MONTHS)
_ANY_MONTH = re.compile(_starting(_MONTH_STARTS, rf"\b(?:{'|'.join(_MONTHS)})\b"), re.IGNORECASE)

CHINESE_DATE_CHARS = "年月季"  # a Chinese date has one of them (季度, a quarter)
_ANY_CHINESE_DATE = re.compile(f"[{CHINESE_DATE_CHARS}]")
_ZH_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
# A year is a date whatever its century (1870年); "有1500年历史" is a duration. A month
# without a year takes the article's year, or the one before or after (去年6月).
_ZH = re.compile(
    r"(?<![\d有近约逾超])(?P<zyear>1[0-9]\d\d|20\d\d|[一二][〇零一二三四五六七八九]{3})\s*年"
    r"(?:\s*(?P<zmonth>[01]?\d)\s*月(?:\s*(?P<zday>[0-3]?\d)\s*[日号])?)?"
    r"(?P<zpart>年?底|年?初|年?末|上半年|下半年|[第前]?[一二三四1-4]季度)?"
    r"|(?P<zrel>今年|去年|明年|前年|后年)?(?<!\d)(?<!\d年)(?<!\d年\s)"
    r"(?P<zmonth_only>[01]?\d)\s*月(?:\s*(?P<zday_only>[0-3]?\d)\s*[日号])?(?!\s*[份]?\d)"
    # 上半个月, 下半月: a half of the article's month
    r"|(?P<zhalf>上|下)半个?月(?!份)"
    # 今年, 去年 alone or with a part (今年上半年); 上个月, 本月: the article's year or month,
    # or one next to it. Not inside another word: 如今年轻, 说明年报, 登上月球
    r"|(?<![如说表证声标注])(?P<zrel_year>今年|去年|明年)(?!\s*[01]?\d\s*月)"
    r"(?P<zrel_part>年?底|年?初|年?末|上半年|下半年|[第前]?[一二三四1-4]季度)?"
    r"(?![轻纪龄代均产间报头华])"
    r"|(?<![登爬飞奔])(?P<zrel_month>上个?月|本月|这个月|下个?月)(?![份底初末球亮光面])"
    # 第三季度, 三季度 alone: the latest that began by the article's date; 上季度: the one
    # before (本季度 is left out: a results report calls the quarter it reports so)
    r"|(?<![\d一二三四近至十])(?P<zquarter>[第前]?[一二三四1-4])季度"
    r"|(?P<zrel_quarter>(?:上|下)个?季度)"
)
_ZH_RELATIVE_MONTH = {"上个月": -1, "上月": -1, "本月": 0, "这个月": 0, "下个月": 1, "下月": 1}
_ZH_RELATIVE_QUARTER = {"上季度": -1, "上个季度": -1, "下季度": 1, "下个季度": 1}
_ZH_QUARTER = str.maketrans("一二三四", "1234")
_ZH_RELATIVE = {"今年": 0, "去年": -1, "明年": 1, "前年": -2, "后年": 2}

_BOUND_QUALIFIER = {
    "by": "upper",
    "before": "upper",
    "pre": "upper",
    "since": "lower",
    "after": "lower",
    "starting": "lower",
    "starting in": "lower",
    "beginning": "lower",
    "as of": "exact",
}


@dataclass(frozen=True, slots=True)
class DateSpan:
    start: int
    end: int
    first: date
    last: date
    qualifier: str

    @property
    def iso(self) -> str:
        if self.first == self.last:
            return self.first.isoformat()
        return f"{self.first.isoformat()}/{self.last.isoformat()}"


def find_dates(
    text: str, reference: date | None, words: frozenset[str] | None = None
) -> Iterator[DateSpan]:
    """Dates in English and Chinese text, in order. `words`, the lowercase words of the text
    when the caller has them, spare looking for month names that are not there."""
    english = list(_english(text, reference, words))
    if not _ANY_CHINESE_DATE.search(text):
        yield from english
        return
    chinese = list(_chinese(text, reference))
    # "2019 年" is read by both: the Chinese reading, which takes the 年, is the one kept
    yield from chinese
    yield from (d for d in english if not any(d.start < c.end and c.start < d.end for c in chinese))


def _english_matches(text: str, words: frozenset[str] | None) -> list[re.Match[str]]:
    """The longest date match at each place, not overlapping."""
    # the patterns run only in a window around each year or month name the text holds
    matches: list[re.Match[str]] = []
    months = words is None or not MONTH_WORDS.isdisjoint(words)
    centuries = words is None or "century" in words
    relative = words is None or not words.isdisjoint(_RELATIVE_WORDS)
    quarters = words is None or "quarter" in words or "Q" in text
    for anchors, patterns in (
        (_ANY_MONTH if months else None, _WITH_MONTH),
        (_ANY_YEAR, _WITH_YEAR),
        (_ANY_CENTURY if centuries else None, ((None, _CENTURY),)),
        (_ANY_RELATIVE if relative else None, ((None, _RELATIVE),)),
        (_ANY_QUARTER if quarters else None, ((None, _QUARTER),)),
    ):
        if anchors is None:
            continue
        for anchor in anchors.finditer(text):
            low, high = max(0, anchor.start() - 40), min(len(text), anchor.end() + 25)
            matches.extend(
                m
                for needed, pattern in patterns
                if needed is None or needed.search(text, low, high)
                for m in pattern.finditer(text, low, high)
            )
    matches.sort(key=lambda m: (m.start(), -m.end()))
    kept: list[re.Match[str]] = []
    for m in matches:
        if not kept or m.start() >= kept[-1].end():
            kept.append(m)
    return kept


# A bare year is a count when a plural noun follows and no preposition of time precedes it
_COUNTED_AFTER = re.compile(
    r"\s+(?!(?:was|has|is|its|this|as|plus|us|does|thus|his|yes|less)\b)(?:people|[a-z]+[^s\W]s)\b"
)
_TIME_BEFORE = re.compile(
    r"\b(?:in|by|since|until|till|before|after|from|during|through|of|for|to|and|year|early|late|"
    r"mid|circa|c\.|the|a|an|its|their|his|her|our|last|this|next)[\s-]+$",
    re.IGNORECASE,
)


def _counted_year(text: str, m: re.Match[str]) -> bool:
    return bool(_COUNTED_AFTER.match(text, m.end())) and not _TIME_BEFORE.search(
        text, max(0, m.start() - 12), m.start()
    )


def _english(text: str, reference: date | None, words: frozenset[str] | None) -> Iterator[DateSpan]:
    for m in _english_matches(text, words):
        groups = {k: v for k, v in m.groupdict().items() if v}
        bound = groups.get("bound", "").lower()
        qualifier = _BOUND_QUALIFIER.get(bound, "exact")
        start = m.start("bound") if "bound" in groups else m.start()
        if "prep" in groups:  # "in September": the month is the figure, the preposition a bound
            qualifier = _BOUND_QUALIFIER.get(groups["prep"].lower(), "exact")
            start = m.start() if qualifier != "exact" else m.start("month")
        if groups.keys() == {"year"} and _counted_year(text, m):
            continue  # "About 2000 people attended": a count, not the year 2000
        counted = "relative" in groups or "last" in groups  # from the article's date
        if counted and _DETERMINED.search(text, max(0, m.start() - 12), m.start()):
            continue
        year = int(groups["year"]) if "year" in groups else (reference.year if reference else None)
        if "quarter_of" in groups and year is not None:  # "the first quarter of next year"
            year += _RELATIVE_STEP[groups["quarter_of"].lower()]
        span = _english_span(groups, year, reference)
        # Without its year, a quarter, a span of months and a month after "since" or "last"
        # are the latest that began by the article's date ("since October" in January).
        looks_back = ("month_to" in groups or "last" in groups or _quarter(groups) is not None
                      or (groups.get("bound") or groups.get("prep") or "").lower() == "since")
        if (span is not None and reference is not None and year is not None and looks_back
                and not {"year", "quarter_of"} & groups.keys() and span[0] > reference):
            span = _english_span(groups, year - 1, reference)
        if span is not None:
            yield DateSpan(start, m.end(), span[0], span[1], qualifier)


def _english_span(
    groups: Mapping[str, str], year: int | None, reference: date | None
) -> tuple[date, date] | None:
    """The first and last day of an English date's match, in `year` when it names none."""
    if "century" in groups:
        first_year = (int(groups["century"]) - 1) * 100
        low, high = _CENTURY_PARTS[groups.get("cpart", "").lower()]
        return date(max(1, first_year + low), 1, 1), date(first_year + high, 12, 31)
    if "relative" in groups:
        return _relative(reference, _RELATIVE_STEP[groups["relative"].lower()],
                         groups["relative_unit"].lower())
    if "decade" in groups:
        first_year = int(groups["decade"])
        return date(first_year, 1, 1), date(first_year + 9, 12, 31)
    if year is None:
        return None
    if "year_to" in groups:  # "2020-2025", "2013-14"
        last = int(groups["year_to"])
        last += (year // 100) * 100 if last < 100 else 0
        return (date(year, 1, 1), date(last, 12, 31)) if last > year else None
    if "iso" in groups:
        return _day(year, int(groups["iso_month"]), int(groups["iso_day"]))
    month = _MONTHS[groups["month"].lower().rstrip(".")] if "month" in groups else None
    if month is not None and "day_to" in groups:  # "Sept. 20-24"
        first_day = _day(year, month, int(groups["day"]))
        last_day = _day(year, month, int(groups["day_to"]))
        if first_day and last_day and last_day[0] > first_day[0]:
            return first_day[0], last_day[0]
        return None
    if month is not None and "month_to" in groups:  # "July-September"
        last_month = _MONTHS[groups["month_to"].lower().rstrip(".")]
        last = _month(year, last_month)
        return (date(year, month, 1), last[1]) if last and last_month > month else None
    if month is not None:
        return _day(year, month, int(groups["day"])) if "day" in groups else _month(year, month)
    quarter = _quarter(groups)
    if quarter is not None:
        return _quarter_span(year, quarter)
    if "part" in groups:
        return _part(year, groups["part"].lower())
    return date(year, 1, 1), date(year, 12, 31)


def _chinese(text: str, reference: date | None) -> Iterator[DateSpan]:
    for m in _ZH.finditer(text):
        if m["zyear"]:
            year = int(m["zyear"].translate(_ZH_DIGITS))
            if m["zday"]:
                span = _day(year, int(m["zmonth"]), int(m["zday"]))
            elif m["zmonth"]:
                span = _month(year, int(m["zmonth"]))
            elif m["zpart"]:
                span = _zh_part(year, m["zpart"])
            else:
                span = (date(year, 1, 1), date(year, 12, 31))
        elif m["zrel_year"] and reference is not None:
            year = reference.year + _ZH_RELATIVE[m["zrel_year"]]
            span = (_zh_part(year, m["zrel_part"]) if m["zrel_part"]
                    else (date(year, 1, 1), date(year, 12, 31)))
        elif m["zrel_month"]:
            span = _relative(reference, _ZH_RELATIVE_MONTH[m["zrel_month"]], "month")
        elif m["zrel_quarter"]:
            span = _relative(reference, _ZH_RELATIVE_QUARTER[m["zrel_quarter"]], "quarter")
        elif m["zquarter"] and reference is not None:
            quarter = int(m["zquarter"][-1].translate(_ZH_QUARTER))
            year = reference.year - (3 * quarter - 2 > reference.month)
            span = _zh_part(year, m["zquarter"] + "季度")
        elif reference is not None and m["zhalf"]:
            first = reference.replace(day=1 if m["zhalf"] == "上" else 16)
            last = reference.replace(day=15) if m["zhalf"] == "上" else _month_end(reference)
            span = (first, last)
        elif reference is not None:
            month = int(m["zmonth_only"])
            day = m["zday_only"]
            year = reference.year + _ZH_RELATIVE.get(m["zrel"] or "今年", 0)
            span = _day(year, month, int(day)) if day else _month(year, month)
        else:
            continue
        if span is not None:
            yield DateSpan(m.start(), m.end(), span[0], span[1], "exact")


def _relative(reference: date | None, step: int, unit: str) -> tuple[date, date] | None:
    """The calendar year, quarter or month `step` away from the article's date, if it has
    one."""
    if reference is None:
        return None
    if unit == "year":
        return date(reference.year + step, 1, 1), date(reference.year + step, 12, 31)
    if unit == "quarter":
        year, quarter = divmod(reference.year * 4 + (reference.month - 1) // 3 + step, 4)
        return _quarter_span(year, quarter + 1)
    index = reference.year * 12 + reference.month - 1 + step
    return _month(index // 12, index % 12 + 1)


def _zh_part(year: int, part: str) -> tuple[date, date] | None:
    """年底, 上半年, 第三季度, 前三季度 (its first three quarters) of `year`."""
    if part.endswith("季度"):
        quarter = _quarter_span(year, int(part[-3].translate(_ZH_QUARTER)))
        return (date(year, 1, 1), quarter[1]) if part.startswith("前") else quarter
    return _part(year, part.lstrip("年"))


def _quarter(groups: Mapping[str, str]) -> int | None:
    """The quarter a match names ("third quarter", "Q3"), if it names one."""
    if "quarter" in groups:
        return _QUARTERS[groups["quarter"].lower()]
    return int(groups["quarter_number"]) if "quarter_number" in groups else None


def _quarter_span(year: int, quarter: int) -> tuple[date, date]:
    return date(year, 3 * quarter - 2, 1), _month_end(date(year, 3 * quarter, 1))


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _day(year: int, month: int, day: int) -> tuple[date, date] | None:
    try:
        d = date(year, month, day)
    except ValueError:
        return None
    return d, d


def _month(year: int, month: int) -> tuple[date, date] | None:
    if not 1 <= month <= 12:
        return None
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


_PARTS = {  # part of a year -> (first month, last month)
    "early": (1, 3),
    "earlier": (1, 3),
    "beginning of": (1, 3),
    "start of": (1, 3),
    "初": (1, 3),
    "mid": (5, 8),
    "middle": (5, 8),
    "late": (10, 12),
    "later": (10, 12),
    "末": (10, 12),
    "first half of": (1, 6),
    "上半年": (1, 6),
    "second half of": (7, 12),
    "下半年": (7, 12),
    "first quarter of": (1, 3),
    "q1": (1, 3),
    "second quarter of": (4, 6),
    "q2": (4, 6),
    "third quarter of": (7, 9),
    "q3": (7, 9),
    "fourth quarter of": (10, 12),
    **{f"{ordinal}{between}quarter": (3 * number - 2, 3 * number)
       for number, ordinal in enumerate(("first", "second", "third", "fourth"), start=1)
       for between in (" ", "-")},
    "q4": (10, 12),
}
_YEAR_END = ("end of", "end", "year-end", "底", "末")


def _part(year: int, part: str) -> tuple[date, date] | None:
    part = part.removeprefix("the ")
    if part in _YEAR_END:
        return date(year, 12, 31), date(year, 12, 31)
    first, last = _PARTS[part]
    return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])
