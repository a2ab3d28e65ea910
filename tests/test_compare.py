"""checker.compare: intervals, agreement, sides and consensus."""

from __future__ import annotations

import dataclasses
import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.compare import Interval, agree, compare, interval
from checker.group import Group, Grouping
from checker.models import Claim
from checker.rulebook import Rulebook, Settings

KEY = "china|purity||percent"


@pytest.fixture(scope="module")
def rulebook() -> Rulebook:
    return Rulebook.load(lexicons=["rare-earths"])


def figure(
    claim_id: str, value: float, low: float, high: float, qualifier: str = "exact",
    dimension: str = "percent", **changes: object,
) -> Claim:
    base = Claim(
        claim_id=claim_id, doc_id=claim_id.split(":")[0], path="a.txt", title="", published="",
        lang="en", line=1, col=1, start=0, end=1, sentence="", surface=f"{value:g}", value=value,
        low=low, high=high, unit="percent" if dimension == "percent" else "kg",
        dimension=dimension, qualifier=qualifier, stated_value=value, stated_unit="%", key=KEY,
    )
    return dataclasses.replace(base, **changes)


def sides_of(claims: list[Claim], rulebook: Rulebook, copies: dict[str, str] | None = None):
    grouping = Grouping(groups=(), source_of=copies or {}, by_key={})
    return compare(Group(KEY, "", tuple(claims), "test"), grouping, rulebook.settings)


def surfaces(comparison) -> list[list[str]]:
    return [[c.claim_id for c in side.claims] for side in comparison.sides]


def test_rounding_is_information_four_nines_and_five_nines_disagree(rulebook: Rulebook) -> None:
    five = figure("a:1-2", 99.999, 99.9985, 99.9995)
    four = figure("b:1-2", 99.99, 99.985, 99.995)
    assert not agree(interval(five, rulebook.settings), interval(four, rulebook.settings))
    assert sides_of([five, four], rulebook).disagrees


def test_touching_rounding_intervals_disagree_but_a_point_may_touch() -> None:
    assert not agree(Interval(84.5, 85.5), Interval(85.5, 86.5))  # "85%" vs "86%"
    assert agree(Interval(2, 2), Interval(2, 2))  # "second-largest" twice
    assert agree(Interval(90, 100), Interval(89.5, 90.5))  # "over 90%" and "90%"


def test_overlapping_ranges_agree(rulebook: Rulebook) -> None:
    claims = [
        figure("a:1-2", 9, 8, 10, "range", "duration"),
        figure("b:1-2", 7.5, 5, 10, "range", "duration"),
        figure("c:1-2", 8, 8, math.inf, "lower", "duration"),
    ]
    comparison = sides_of(claims, rulebook)
    assert not comparison.disagrees and len(comparison.sides) == 1


def test_a_bound_joins_the_side_holding_its_own_value(rulebook: Rulebook) -> None:
    claims = [
        figure("a:1-2", 28.5e9, 28.45e9, 28.55e9, dimension="mass"),
        figure("b:1-2", 28.5e9, 0, 28.5e9, "upper", "mass"),  # "up to 28.5 million t"
        figure("c:1-2", 2.85e9, 2.845e9, 2.855e9, dimension="mass"),
        figure("d:1-2", 3.8e8, 3.75e8, 3.85e8, dimension="mass"),
    ]
    comparison = sides_of(claims, rulebook)
    assert surfaces(comparison) == [["d:1-2"], ["c:1-2"], ["a:1-2", "b:1-2"]]
    assert comparison.consensus == 2 and comparison.set_aside == ()


def test_a_bound_agreeing_with_several_sides_is_set_aside(rulebook: Rulebook) -> None:
    claims = [figure("a:1-2", 80, 79.5, 80.5), figure("b:1-2", 95, 94.5, 95.5),
              figure("c:1-2", 70, 70, 100, "lower")]
    comparison = sides_of(claims, rulebook)
    assert surfaces(comparison) == [["a:1-2"], ["b:1-2"]]
    assert [c.claim_id for c in comparison.set_aside] == ["c:1-2"]


def test_a_bound_that_agrees_with_nothing_is_a_side(rulebook: Rulebook) -> None:
    claims = [figure("a:1-2", 90, 90, 100, "lower"), figure("b:1-2", 85, 84.5, 85.5)]
    comparison = sides_of(claims, rulebook)
    assert surfaces(comparison) == [["b:1-2"], ["a:1-2"]]
    assert comparison.sides[1].bounds_only


def test_approximations_are_widened_to_the_configured_floor() -> None:
    about = figure("a:1-2", 3, 2.85, 3.15, "approx")
    widened = interval(about, Settings(approx_relative=0.05, approx_points=1.0))
    assert (widened.low, widened.high) == (2, 4)  # "about 3%": at least a point either side
    wide = figure("b:1-2", 70, 66.5, 73.5, "approx")
    assert interval(wide, Settings(approx_points=1.0)) == Interval(66.5, 73.5)  # never narrowed


def test_a_fall_is_a_negative_change() -> None:
    fall = figure("a:1-2", 34, 33.5, 34.5, change="decrease")
    assert interval(fall, Settings()) == Interval(-34.5, -33.5)


def test_copies_count_once_for_consensus(rulebook: Rulebook) -> None:
    claims = [figure("a:1-2", 37, 36.5, 37.5), figure("a2:1-2", 37, 36.5, 37.5),
              figure("b:1-2", 34, 33.5, 34.5), figure("c:1-2", 34, 33.5, 34.5)]
    independent = sides_of(claims, rulebook)
    assert [len(s.sources) for s in independent.sides] == [2, 2]
    assert independent.consensus is None  # a tie
    syndicated = sides_of(claims, rulebook, copies={"a2": "a"})
    assert [len(s.sources) for s in syndicated.sides] == [2, 1]
    assert syndicated.consensus == 0 and syndicated.sides[0].value == 34


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=40),
            st.integers(min_value=0, max_value=6),
            st.sampled_from(["exact", "approx", "range", "lower", "upper"]),
        ),
        min_size=1,
        max_size=12,
    ),
    st.randoms(use_true_random=False),
)
def test_sides_share_a_point_and_do_not_depend_on_order(spec, shuffler: random.Random) -> None:
    rulebook = Rulebook.load(lexicons=["rare-earths"])
    claims = []
    for index, (start, width, qualifier) in enumerate(spec):
        low, high = float(start), float(start + width)
        if qualifier == "lower":
            low, high = float(start), 100.0
        elif qualifier == "upper":
            low, high = 0.0, float(start)
        claims.append(figure(f"d{index}:1-2", (low + high) / 2, low, high, qualifier))
    comparison = sides_of(claims, rulebook)
    placed = [c for side in comparison.sides for c in side.claims] + list(comparison.set_aside)
    assert sorted(c.claim_id for c in placed) == sorted(c.claim_id for c in claims)
    for side in comparison.sides:
        intervals = [interval(c, rulebook.settings) for c in side.claims]
        common = Interval(max(i.low for i in intervals), min(i.high for i in intervals))
        assert common.low <= common.high
    shuffled = claims[:]
    shuffler.shuffle(shuffled)
    assert surfaces(sides_of(shuffled, rulebook)) == surfaces(comparison)
