"""Interval logic: which claims of a group agree, and the sides they form.

Stage: group -> comparison. Every claim stands for an interval, `low`..`high` of the fact table,
which already holds its rounding ("28.5 million" is 28.45-28.55 million), its qualifier ("over
90%" is 90-100) and its range. Approximations are widened to at least the tolerance of
rules/comparison.toml (relative, and in points for percentages); a fall is a negative change.

Two claims agree when their intervals overlap; touching ends do not count, so "85%" (84.5-85.5)
and "86%" (85.5-86.5) disagree, as do "99.99%" and "99.999%". A side is a set of claims that all
share one point. Figures (exact, approximate, ranges) form the sides; a bound ("over 90%", "up
to 28.5 million t") then joins the side holding its own value, else the one side it agrees
with; a bound that agrees with several sides says nothing about the disagreement and is set
aside, and one that agrees with none is a side of its own.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import groupby

from checker.group import Group, Grouping
from checker.models import Claim
from checker.rulebook import Settings

__all__ = ["Comparison", "Interval", "Side", "agree", "compare", "interval"]

BOUNDS = ("lower", "upper")


@dataclass(frozen=True, slots=True)
class Interval:
    low: float
    high: float

    @property
    def degenerate(self) -> bool:
        return self.low == self.high

    def meet(self, other: Interval) -> Interval:
        return Interval(max(self.low, other.low), min(self.high, other.high))

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high


@dataclass(frozen=True, slots=True)
class Side:
    """Claims that agree with one another: they share every point of `common`.

    What the checks ask of a side again and again (is it only bounds, which claim shows it, its
    finest rounding step) is worked out once, when it is made.
    """

    claims: tuple[Claim, ...]
    common: Interval
    sources: tuple[str, ...]  # independent sources (copies of one article count once)
    value: float  # the value the side stands for, in the canonical unit
    bounds_only: bool = field(init=False, compare=False)
    # The claim that best shows the side's value: an exact figure nearest its value.
    stated: Claim = field(init=False, compare=False)
    # The finest rounding step among the side's exact figures (0.01 for "99.99%"), if any.
    step: float | None = field(init=False, compare=False)
    claim_ids: tuple[str, ...] = field(init=False, compare=False)
    written_units: frozenset[str] = field(init=False, compare=False)  # as written, case-folded

    def __post_init__(self) -> None:
        steps = [c.high - c.low for c in self.claims if c.qualifier == "exact" and c.high > c.low]
        stated = min(
            self.claims,
            key=lambda c: (c.qualifier in BOUNDS, c.qualifier != "exact", abs(c.value - self.value),
                           c.claim_id),
        )
        object.__setattr__(self, "bounds_only", all(c.qualifier in BOUNDS for c in self.claims))
        object.__setattr__(self, "stated", stated)
        object.__setattr__(self, "step", min(steps) if steps else None)
        object.__setattr__(self, "claim_ids", tuple(claim.claim_id for claim in self.claims))
        object.__setattr__(self, "written_units",
                           frozenset(claim.stated_unit.lower() for claim in self.claims))


@dataclass(frozen=True, slots=True)
class Comparison:
    """A group's claims split into sides that disagree with one another."""

    group: Group
    sides: tuple[Side, ...]  # by value, lowest first
    set_aside: tuple[Claim, ...]  # bounds that agree with several sides
    consensus: int | None  # index of the side held by the most sources; None on a tie

    @property
    def disagrees(self) -> bool:
        return len(self.sides) >= 2

    @property
    def is_percent(self) -> bool:
        return self.group.claims[0].dimension == "percent"


def interval(claim: Claim, settings: Settings) -> Interval:
    """The interval a claim stands for, in its canonical unit; a fall is negative."""
    low, high = claim.low, claim.high
    if claim.qualifier == "approx":
        half = max(
            (high - low) / 2,
            settings.approx_relative * abs(claim.value),
            settings.approx_points if claim.dimension == "percent" else 0.0,
        )
        low, high = claim.value - half, claim.value + half
    if claim.change == "decrease":
        low, high = -high, -low
    return Interval(low, high)


def agree(a: Interval, b: Interval) -> bool:
    """Overlap with room between the ends; a single point (a rank, a date) may touch."""
    met = a.meet(b)
    return met.low < met.high or (met.low == met.high and (a.degenerate or b.degenerate))


def compare(group: Group, grouping: Grouping, settings: Settings) -> Comparison:
    """Split a group into sides; find the side held by the most independent sources."""
    intervals = {claim.claim_id: interval(claim, settings) for claim in group.claims}
    figures = [c for c in group.claims if c.qualifier not in BOUNDS]
    bounds = [c for c in group.claims if c.qualifier in BOUNDS]
    pools = _stab(figures, intervals)
    set_aside = []
    loose: list[Claim] = []
    for bound in sorted(bounds, key=lambda c: c.claim_id):
        own = intervals[bound.claim_id]
        value = _signed_value(bound)
        agreeing = [index for index, (_, common) in enumerate(pools) if agree(common, own)]
        holding = [index for index in agreeing if pools[index][1].contains(value)]
        chosen = holding[:1] or (agreeing if len(agreeing) == 1 else [])
        if chosen:
            members, common = pools[chosen[0]]
            members.append(bound)
            pools[chosen[0]] = (members, common.meet(own))
        elif agreeing:
            set_aside.append(bound)
        else:
            loose.append(bound)
    pools += _stab(loose, intervals)
    sides = sorted(
        (_side(members, common, grouping) for members, common in pools),
        key=lambda side: (side.value, side.claim_ids),
    )
    return Comparison(group, tuple(sides), tuple(set_aside), _consensus(sides))


_Pool = tuple[list[Claim], Interval]


def _stab(claims: Sequence[Claim], intervals: dict[str, Interval]) -> list[_Pool]:
    """Greedy stabbing: by upper end, each claim joins the first pool it shares a point with.

    Claims of one interval are next to each other in that order and join the same pool, so
    they are placed together: a large group holds many claims of few distinct figures.
    """
    pools: list[tuple[list[Claim], Interval]] = []
    ordered = sorted(claims, key=lambda c: (intervals[c.claim_id].high, intervals[c.claim_id].low,
                                            c.claim_id))
    for own, run in groupby(ordered, key=lambda c: intervals[c.claim_id]):
        alike = list(run)
        for index, (members, common) in enumerate(pools):
            if agree(common, own):
                members.extend(alike)
                pools[index] = (members, common.meet(own))
                break
        else:
            pools.append((alike, own))
    return pools


def _signed_value(claim: Claim) -> float:
    return -claim.value if claim.change == "decrease" else claim.value


def _side(members: Iterable[Claim], common: Interval, grouping: Grouping) -> Side:
    claims = tuple(sorted(members, key=lambda c: c.claim_id))
    figures = [_signed_value(c) for c in claims if c.qualifier not in BOUNDS]
    value = statistics.median(figures) if figures else _signed_value(claims[0])
    if not math.isfinite(value):
        value = common.low if math.isfinite(common.low) else common.high
    sources = tuple(sorted({grouping.source(claim) for claim in claims}))
    return Side(claims=claims, common=common, sources=sources, value=value)


def _consensus(sides: Sequence[Side]) -> int | None:
    if len(sides) < 2:
        return 0 if sides else None
    counts = [len(side.sources) for side in sides]
    best = max(counts)
    return counts.index(best) if counts.count(best) == 1 else None

