"""The charts of a finding, as geometry the page's SVG draws: the number line (each side's
interval on one axis, linear or log) and the timelines (its figures against publication date
and against the period they are for), with their axes and ticks."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import chain
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from checker.models import Claim
from checker.report.numbers import (
    EPOCH,
    date_label,
    format_interval,
    format_number,
    format_quantity,
)

if TYPE_CHECKING:
    from checker.report.views import SideView

__all__ = [
    "LOG_SCALE_SPAN",
    "Arrow",
    "Bar",
    "Chart",
    "NumberLine",
    "Series",
    "Tick",
    "coordinate",
    "number_line",
    "side_claims",
    "timeline_charts",
]

# Intervals spanning this factor or more are drawn on a log axis, or the small ones vanish.
LOG_SCALE_SPAN = 10.0

# The number line, in SVG user units; the SVG scales to the width of its box.
_SVG_WIDTH, _LABEL_WIDTH, _ROW_HEIGHT, _AXIS_HEIGHT, _PAD = 640, 170, 20, 26, 10
# The timeline charts: width, height, the room for the value labels left and the dates below.
_CHART_WIDTH, _CHART_HEIGHT, _CHART_LEFT, _CHART_BOTTOM = 320, 150, 84, 22


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    label: str
    edge: bool = False  # near the right edge: the label ends at the tick, not centred on it


@dataclass(frozen=True, slots=True)
class Bar:
    y: float
    x1: float
    x2: float
    x: float  # the stated value
    open_left: bool  # the interval runs past the left edge (0 on a log axis, -inf)
    open_right: bool  # ... past the right edge ("over 90 t": +inf)
    side: int
    label: str
    title: str
    consensus: bool = False
    earlier_x: float | None = None  # where the value stood before its own sentence revised it


@dataclass(frozen=True, slots=True)
class NumberLine:
    scale: str  # "log" or "linear"
    unit: str
    width: int
    height: int
    label_width: int
    axis_y: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]


@dataclass(frozen=True, slots=True)
class Series:
    """The figures of one side on a chart, drawn as one path of dots."""

    side: int
    title: str
    dots: str  # the path of its dots, "M{x} {y}h0" each: made here, as a side has thousands
    later: tuple[tuple[float, float], ...]  # the later values of revisions, ringed


@dataclass(frozen=True, slots=True)
class Arrow:
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True, slots=True)
class Chart:
    """A quantity's figures against time: by publication date or by the period they are for."""

    by: str  # "published" or "period"
    title: str
    scale: str
    width: int
    height: int
    left: int
    bottom: float
    figures: int
    series: tuple[Series, ...]
    arrows: tuple[Arrow, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]  # Tick.x is the y position here
    missing: int  # figures with no date of this kind, not drawn


def coordinate(value: float) -> str:
    """An SVG coordinate, short: 20 rather than 20.0."""
    return f"{round(value, 1):g}"


# --- the number line ---


def number_line(sides: Sequence[SideView]) -> NumberLine | None:
    """The intervals of a finding's sides on one axis, one row per side: the bar spans the
    intervals of all its figures, the dot is the value of its first.

    None when the claims do not share a unit (nothing to draw them against) or have no finite
    bound. The axis is logarithmic when the values span LOG_SCALE_SPAN or more.
    """
    every = [claim for side in sides for claim in side_claims(side)]
    units = set(map(attrgetter("unit"), every))
    if len(units) != 1:
        return None
    unit = units.pop()
    bounds = map(attrgetter("low", "value", "high"), every)
    points = list(filter(math.isfinite, chain.from_iterable(bounds)))
    if not points:
        return None
    use_log = _use_log(points, unit)
    if use_log:
        points = [point for point in points if point > 0]
    axis = _Axis(min(points), max(points), use_log, _LABEL_WIDTH + _PAD, _SVG_WIDTH - _PAD)
    bars = tuple(_bar(axis, side, top=_PAD + row * _ROW_HEIGHT) for row, side in enumerate(sides))
    axis_y = _PAD + len(sides) * _ROW_HEIGHT + 4
    return NumberLine(
        scale="log" if use_log else "linear",
        unit=unit,
        width=_SVG_WIDTH,
        height=int(axis_y + _AXIS_HEIGHT),
        label_width=_LABEL_WIDTH,
        axis_y=axis_y,
        bars=bars,
        ticks=tuple(replace(tick, edge=tick.x > _SVG_WIDTH - 50) for tick in axis.ticks(unit)),
    )


def side_claims(side: SideView) -> tuple[Claim, ...]:
    """The figures of a side and the earlier ones they revise: all its charts place."""
    if not side.revisions:
        return side.members
    return (*side.members, *(revision.earlier.claim for revision in side.revisions))


def _use_log(points: Sequence[float], unit: str) -> bool:
    positive = [point for point in points if point > 0]
    return (
        unit != "date"
        and bool(positive)
        and min(points) >= 0
        and max(positive) / min(positive) >= LOG_SCALE_SPAN
    )


class _Axis:
    """Maps values to positions in [start, end], linear or log10."""

    def __init__(self, low: float, high: float, log: bool, start: float, end: float):
        self.log = log
        lo, hi = (math.log10(low), math.log10(high)) if log else (low, high)
        if hi == lo:  # one point: give it some room
            spread = 0.5 if log else (abs(lo) * 0.1 or 1.0)
            lo, hi = lo - spread, hi + spread
        margin = (hi - lo) * 0.06
        self.lo, self.hi = lo - margin, hi + margin
        self.start, self.end = start, end

    def x(self, value: float) -> float:
        low_end, high_end = (self.start, self.end)
        if value == math.inf:
            return high_end
        if value == -math.inf or (self.log and value <= 0):
            return low_end
        position = math.log10(value) if self.log else value
        fraction = (position - self.lo) / (self.hi - self.lo)
        return round(low_end + min(max(fraction, 0.0), 1.0) * (high_end - low_end), 1)

    def tick_values(self, most: int = 5) -> list[float]:
        """Round values inside the axis, 3 to `most` of them where the axis allows: powers of
        ten, with 2 and 5 (or 3) times them on a short log axis; on a linear axis steps of 1,
        2, 2.5 or 5 times a power of ten."""
        if not self.log:
            return _nice_ticks(self.lo, self.hi, most)
        first, last = math.ceil(self.lo), math.floor(self.hi)
        if last - first + 1 >= 3:
            step = math.ceil((last - first + 1) / most)
            return [10.0**power for power in range(first, last + 1, step)]
        for factors in ((1, 3), (1, 2, 5), (1, 1.5, 2, 3, 5, 7)):
            values = [
                factor * 10.0**power
                for power in range(math.floor(self.lo), math.ceil(self.hi) + 1)
                for factor in factors
                if self.lo <= math.log10(factor * 10.0**power) <= self.hi
            ]
            if len(values) >= 3:
                return values[:: math.ceil(len(values) / most)]
        return [10.0**self.lo, 10.0 ** ((self.lo + self.hi) / 2), 10.0**self.hi]

    def ticks(self, unit: str) -> tuple[Tick, ...]:
        return tuple(Tick(self.x(value), _tick_label(value, unit)) for value in self.tick_values())


def _nice_ticks(low: float, high: float, most: int = 5) -> list[float]:
    """The coarsest round step (1, 2, 2.5 or 5 times a power of ten) that gives at least 3
    ticks between `low` and `high`, and at most `most`."""
    power = 10 ** math.floor(math.log10(high - low))
    for step in (power * factor for factor in (5, 2.5, 2, 1, 0.5, 0.25, 0.2, 0.1)):
        first = math.ceil(low / step)
        values = [round(index * step, 12) for index in range(first, math.floor(high / step) + 1)]
        if len(values) >= 3:
            return values[:: math.ceil(len(values) / most)]
    return [low, (low + high) / 2, high]


def _tick_label(value: float, unit: str) -> str:
    """A tick's value, short: masses from a tonne up in tonnes, as articles write them."""
    if unit == "date":
        return date_label(value)
    if unit == "kg" and abs(value) >= 1000:
        return f"{format_number(value / 1000)} t"
    return format_quantity(value, unit)


def _bar(axis: _Axis, side: SideView, top: float) -> Bar:
    first, count = side.members[0], len(side.members)
    low = min(map(attrgetter("low"), side.members))
    high = max(map(attrgetter("high"), side.members))
    x1, x2 = axis.x(low), axis.x(high)
    interval = format_interval(first)
    title = f"{first.surface} → {format_quantity(first.value, first.unit, first.iso)}"
    title += f" [{interval}]" if interval else ""
    count_label = f" ({count:,})" if count > 1 else ""
    earlier = side.revisions[0].earlier.claim if side.revisions else None
    if earlier is not None:
        title += f"\nrevised from {earlier.surface}: {side.revisions[0].words}"
    return Bar(
        y=top + _ROW_HEIGHT / 2,
        x1=x1,
        x2=x2,
        x=axis.x(first.value) if math.isfinite(first.value) else x1,
        open_left=low == -math.inf or (axis.log and low <= 0),
        open_right=high == math.inf,
        side=side.index,
        label=f"{side.label}  {_shorten(first.surface, 22 - len(count_label))}{count_label}",
        title=title if count == 1 else f"{count:,} figures; the first: {title}",
        consensus=side.consensus,
        earlier_x=axis.x(earlier.value) if earlier and math.isfinite(earlier.value) else None,
    )


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- timelines ---


def timeline_charts(sides: Sequence[SideView], scale: str) -> tuple[Chart, ...]:
    """A finding's figures by publication date and by the period they are for, each where two
    or more figures have one; values on the number line's scale."""
    dated = [(side, side_claims(side)) for side in sides]
    first = next((claims[0] for _, claims in dated if claims), None)
    if first is None or scale == "" or first.unit == "date":
        return ()
    revised = {r.earlier.claim.claim_id: r.later.claim for side in sides for r in side.revisions}
    charts = []
    for by, title, when in (
        ("published", "By publication date", attrgetter("published")),
        ("period", "By period", attrgetter("period")),
    ):
        chart = _chart(by, title, dated, when, scale == "log", revised)
        if chart is not None:
            charts.append(chart)
    return tuple(charts)


def _day(text: str) -> float | None:
    """Days since 1970 of the start of an ISO date, month or year ("2025", "2025-09")."""
    parts = text[:10].split("-")
    try:
        numbers = [int(part) for part in parts] + [1, 1]
        return float((date(numbers[0], numbers[1], numbers[2]) - EPOCH).days)
    except (ValueError, IndexError):
        return None


def _chart(
    by: str,
    title: str,
    dated: Sequence[tuple[SideView, Sequence[Claim]]],
    when: Any,
    log: bool,
    revised: Mapping[str, Claim],
) -> Chart | None:
    # a finding's figures share few dates and values: each is placed once
    texts = set(chain.from_iterable(map(when, claims) for _, claims in dated))
    day_of = {text: _day(text) for text in texts}
    drawn = []  # (side, [(claim, day), ...]) of the sides with a figure drawn
    for side, claims in dated:
        own = [(claim, day) for claim in claims if (day := day_of[when(claim)]) is not None
               and math.isfinite(claim.value) and (claim.value > 0 or not log)]
        if own:
            drawn.append((side, own))
    days = {day for _, own in drawn for _, day in own}
    if len(days) < 2:  # one day: no time to draw against
        return None
    values = {claim.value for _, own in drawn for claim, _ in own}
    bottom = _CHART_HEIGHT - _CHART_BOTTOM
    x_axis = _Axis(min(days), max(days), False, _CHART_LEFT + 8, _CHART_WIDTH - 8)
    y_axis = _Axis(min(values), max(values), log, bottom - 8, 8)  # larger values higher up
    x_of = {day: round(x_axis.x(day)) for day in days}
    y_of = {value: round(y_axis.x(value)) for value in values}
    position = {claim.claim_id: (x_of[day], y_of[claim.value])
                for _, own in drawn for claim, day in own} if revised else {}
    later = {claim.claim_id for claim in revised.values()}
    series = []
    for side, own in drawn:
        first, last = min(day for _, day in own), max(day for _, day in own)
        span = date_label(first)
        if first != last:
            span += f" – {date_label(last)}"
        points = dict.fromkeys((x_of[day], y_of[claim.value]) for claim, day in own)
        series.append(Series(
            side=side.index,
            title=f"{side.label}: {own[0][0].surface}, {len(own):,} figure"
                  f"{'' if len(own) == 1 else 's'}, {span}",
            dots="".join(f"M{coordinate(x)} {coordinate(y)}h0" for x, y in points),
            later=tuple(position[claim.claim_id] for claim, _ in own
                        if claim.claim_id in later) if later else (),
        ))
    figures = sum(len(own) for _, own in drawn)
    unit = drawn[0][1][0][0].unit
    return Chart(
        by=by,
        title=title,
        scale="log" if log else "linear",
        width=_CHART_WIDTH,
        height=_CHART_HEIGHT,
        left=_CHART_LEFT,
        bottom=bottom,
        figures=figures,
        series=tuple(series),
        arrows=tuple(
            Arrow(*position[earlier], *position[claim.claim_id])
            for earlier, claim in revised.items()
            if earlier in position and claim.claim_id in position
        ),
        x_ticks=_date_ticks(x_axis, min(days), max(days)),
        y_ticks=tuple(Tick(y_axis.x(value), _tick_label(value, unit))
                      for value in y_axis.tick_values(most=4)),
        missing=sum(len(claims) for _, claims in dated) - figures,
    )


def _date_ticks(axis: _Axis, first: float, last: float) -> tuple[Tick, ...]:
    """Years on a long span, months on a short one, the one day when all are the same."""
    start, end = EPOCH + timedelta(days=axis.lo), EPOCH + timedelta(days=axis.hi)
    if first == last:
        return (Tick(axis.x(first), date_label(first)),)
    if (last - first) >= 2 * 365:
        step = max(1, math.ceil((end.year - start.year + 1) / 4))
        years = range(start.year + 1, end.year + 1, step)
        return tuple(Tick(axis.x(_year_day(year)), str(year)) for year in years)
    months = []
    cursor = date(start.year, start.month, 1)
    while cursor <= end:
        if cursor >= start:
            months.append(cursor)
        cursor = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
    step = max(1, math.ceil(len(months) / 4))
    return tuple(
        Tick(axis.x(float((month - EPOCH).days)), month.strftime("%Y-%m"))
        for month in months[::step]
    )


def _year_day(year: int) -> float:
    return float((date(year, 1, 1) - EPOCH).days)
