"""What kind of disagreement: findings from comparisons, each under a rule of rules/codes/.

Stage: comparison -> findings (and article -> findings for the arithmetic inside one article).
A rule file names one of a few check types implemented here and gives its parameters, severity,
message template and explanation:

    pair checks (classify two sides that disagree, tried in the rules' priority order)
        ratio-near-unit-factor       x1000 for kg vs t, 1.102 for tonnes vs short tons ...
        ratio-near-power-of-ten      x10, x100 ...: a slipped decimal point or scale word
        finer-figure-beyond-coarser  99.99% vs 99.999%: the figures differ below the coarser
                                     one's last digit
        bound-excludes               "over 90%" vs "85%"
    group checks
        sides-disagree               sides that no pair check explains
        bounds-near-power-of-ten     "over 26,000" vs "over 260,000": bounds one way, x10 apart
        same-number-other-currency   "$1.5 billion" vs "¥1.5 billion": a currency slipped
        transposed-digits            8,804,190 vs 8,804,109: two digits swapped
        same-value-other-period      one figure given for different periods
    article checks
        change-arithmetic            "from A to B" against a stated % change
        parts-times-each             n parties x "each" against a stated total
        shares-sum                   shares of one whole summing past 100%
"""

from __future__ import annotations

import bisect
import hashlib
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import combinations
from types import MappingProxyType
from typing import Any

from checker.claims import WEAK_PARTIES, measure, restated_label, restated_words
from checker.compare import BOUNDS, Comparison, Interval, Side, agree, interval
from checker.copies import outlet_names
from checker.extraction.numerals import NORMALIZE
from checker.group import Group, Grouping
from checker.models import SEVERITIES, Claim, Finding, QuantityKey
from checker.rulebook import Rule, Rulebook

__all__ = ["classify", "finding_order", "quantity_label", "side_outlets"]


@dataclass(frozen=True, slots=True)
class _Verdict:
    """What a pair check says about two sides."""

    factor: float
    details: Mapping[str, str]


_ROOM = 1e-6
_DIGITS = 6  # ratios and points are rounded so that float noise does not reach the report

PairCheck = Callable[[Side, Side, Comparison, Rule], "_Verdict | None"]


def classify(
    comparisons: Iterable[Comparison],
    claims: Sequence[Claim],
    grouping: Grouping,
    rulebook: Rulebook,
) -> tuple[Finding, ...]:
    """Every finding of a corpus, in a stable order."""
    findings: dict[str, Finding] = {}
    comparisons = list(comparisons)
    for comparison in comparisons:
        for finding in _group_findings(comparison, rulebook):
            findings.setdefault(finding.finding_id, finding)
        for finding in _bound_slips(comparison, grouping, rulebook):
            findings.setdefault(finding.finding_id, finding)
        for finding in _transpositions(comparison, grouping, rulebook):
            findings.setdefault(finding.finding_id, finding)
    for finding in _period_findings(grouping, rulebook):
        findings.setdefault(finding.finding_id, finding)
    for finding in _currency_findings(grouping, rulebook):
        findings.setdefault(finding.finding_id, finding)
    for finding in _article_findings(claims, grouping, rulebook):
        findings.setdefault(finding.finding_id, finding)
    return tuple(sorted(findings.values(), key=finding_order))


def finding_order(finding: Finding) -> tuple[int, str, str, str]:
    return (SEVERITIES.index(finding.severity), finding.code, finding.quantity, finding.finding_id)


def quantity_label(
    key: QuantityKey, period: str, rulebook: Rulebook, named: Iterable[str] = ()
) -> str:
    """Russia · reserves · heavy rare earths · 2024: what the claims are about, for people
    (a party read from the text by the words its claims name it with: `party_names`)."""
    lexicon = rulebook.lexicon
    if key.restated:
        metric = f"“{restated_label(key.metric)}”"
    else:
        metric = key.metric if key.phrase else lexicon.metric_label(key.metric)
    labels = (lexicon.entity_label(key.entity, named) if key.entity else "", metric)
    parts = [label for label in labels if label]
    parts += [lexicon.scope_label(token) for token in key.scope_tokens]
    if period:
        parts.append(period)
    return " · ".join(parts)


# ---------------------------------------------------------------------------------------------
# Groups: pairs of sides, then what is left


def _group_findings(comparison: Comparison, rulebook: Rulebook) -> list[Finding]:
    if not comparison.disagrees:
        return []
    findings = []
    unexplained = False
    for first, second in combinations(comparison.sides, 2):
        if _revised(first, second):
            continue  # a figure and the value its own sentence revises it to: not a conflict
        verdict = None
        for rule in rulebook.pair_rules():
            verdict = _PAIR_CHECKS[rule.check](first, second, comparison, rule)
            if verdict is not None:
                findings.append(_pair_finding(rule, verdict, first, second, comparison, rulebook))
                break
        unexplained = unexplained or verdict is None
    remaining = rulebook.rule("sides-disagree")
    if unexplained and remaining is not None:
        findings.append(_sides_finding(remaining, comparison, rulebook))
    return findings


def _revised(first: Side, second: Side) -> bool:
    """Whether one side holds only figures their sentences revise, each with the value it is
    revised to on the other side: the earlier value is history, not a rival figure."""
    for earlier, later in ((first, second), (second, first)):
        if any(c.role != "superseded" for c in earlier.claims):
            continue  # most sides: decided without the other side's sentences
        revised = {(c.doc_id, c.sentence_start) for c in later.claims if c.role == "revision"}
        if all((c.doc_id, c.sentence_start) in revised for c in earlier.claims):
            return True
    return False


def _revisions(claims: Iterable[Claim]) -> tuple[tuple[str, str, str], ...]:
    """(earlier id, later id, words) of each revision among `claims`."""
    by_sentence: dict[tuple[str, int, str], dict[str, Claim]] = {}
    for claim in claims:
        words = dict(claim.evidence).get("revision")
        if words and claim.role in ("superseded", "revision"):
            by_sentence.setdefault((claim.doc_id, claim.sentence_start, words), {})[
                claim.role] = claim
    return tuple(sorted((pair["superseded"].claim_id, pair["revision"].claim_id, words)
                        for (_, _, words), pair in by_sentence.items() if len(pair) == 2))


def _pair_finding(
    rule: Rule, verdict: _Verdict, first: Side, second: Side, comparison: Comparison,
    rulebook: Rulebook,
) -> Finding:
    sides = _ordered((first, second), comparison)
    ratio, points = _gap(sides, comparison.is_percent or _is_rank(comparison))
    values = {
        "a": sides[0].stated.surface,
        "b": sides[1].stated.surface,
        "factor": _number(verdict.factor),
        **verdict.details,
    }
    return _finding(
        rule, comparison.group, rulebook, sides, values, ratio=ratio, points=points,
        consensus=_consensus_index(sides),
    )


def _sides_finding(rule: Rule, comparison: Comparison, rulebook: Rulebook) -> Finding:
    sides = _ordered(comparison.sides, comparison)
    ratio, points = _gap(sides, comparison.is_percent or _is_rank(comparison))
    values = {"count": str(len(sides))}
    return _finding(
        rule, comparison.group, rulebook, sides, values, ratio=ratio, points=points,
        consensus=_consensus_index(sides),
    )


def _is_rank(comparison: Comparison) -> bool:
    return comparison.group.claims[0].dimension == "rank"


def _ordered(sides: Sequence[Side], comparison: Comparison) -> tuple[Side, ...]:
    """The side held by the most sources first, then by value."""
    return tuple(sorted(sides, key=lambda s: (-len(s.sources), s.value, s.claim_ids)))


def _consensus_index(sides: Sequence[Side]) -> int | None:
    counts = [len(side.sources) for side in sides]
    return 0 if len(sides) >= 2 and counts.count(counts[0]) == 1 else None


def _gap(sides: Sequence[Side], percent: bool) -> tuple[float | None, float | None]:
    """How far apart the sides are: in points for percentages, as a ratio otherwise."""
    values = [float(side.value) for side in sides]
    if percent:
        return None, round(max(values) - min(values), _DIGITS)
    magnitudes = [abs(v) for v in values if v]
    if len(magnitudes) < len(values) or min(values) * max(values) < 0:
        return None, None
    return round(max(magnitudes) / min(magnitudes), _DIGITS), None


def _ratio_bounds(first: Side, second: Side) -> tuple[float, float] | None:
    """How many times the larger side can be the smaller one, given their intervals."""
    small, large = sorted((first.common, second.common), key=lambda i: (i.low + i.high))
    if small.low <= 0 or not math.isfinite(large.high) or not math.isfinite(small.high):
        return None
    return large.low / small.high, large.high / small.low


def _near(factor: float, bounds: tuple[float, float], tolerance: float) -> bool:
    low, high = bounds
    return factor * (1 - tolerance) <= high and low <= factor * (1 + tolerance)


def _unit_factor(first: Side, second: Side, comparison: Comparison, rule: Rule) -> _Verdict | None:
    if first.bounds_only or second.bounds_only:
        return None
    if first.written_units == second.written_units:
        return None  # both in tons: a factor of 1000 is a slipped scale word, not a unit slip
    bounds = _ratio_bounds(first, second)
    dimension = comparison.group.claims[0].dimension
    if bounds is None:
        return None
    for entry in rule.params.get("factors", []):
        near = _near(entry["factor"], bounds, rule.params["tolerance"])
        if entry["dimension"] == dimension and near:
            return _Verdict(float(entry["factor"]), {"units": entry["units"]})
    return None


def _power_of_ten(first: Side, second: Side, comparison: Comparison, rule: Rule) -> _Verdict | None:
    if first.bounds_only or second.bounds_only:
        return None
    bounds = _ratio_bounds(first, second)
    if bounds is None:
        return None
    for power in range(1, int(rule.params["max_power"]) + 1):
        if _near(10.0**power, bounds, rule.params["tolerance"]):
            return _Verdict(10.0**power, {})
    return None


def _finer_beyond_coarser(
    first: Side, second: Side, comparison: Comparison, rule: Rule
) -> _Verdict | None:
    first_step, second_step = first.step, second.step
    if first_step is None or second_step is None:
        return None
    (coarse, coarse_step), (fine, fine_step) = sorted(
        ((first, first_step), (second, second_step)), key=lambda pair: -pair[1]
    )
    # Steps come from float arithmetic (99.995 - 99.985): compare them with a little room.
    if coarse_step < fine_step * float(rule.params["min_step_factor"]) * (1 - _ROOM):
        return None
    if abs(coarse.value - fine.value) > coarse_step * (1 + _ROOM):
        return None
    return _Verdict(coarse_step / fine_step, {"coarse": coarse.stated.surface,
                                              "fine": fine.stated.surface})


def _bound_excludes(
    first: Side, second: Side, comparison: Comparison, rule: Rule
) -> _Verdict | None:
    if first.bounds_only == second.bounds_only:
        return None
    bound, other = (first, second) if first.bounds_only else (second, first)
    return _Verdict(1.0, {"bound": bound.stated.surface, "figure": other.stated.surface})


_PAIR_CHECKS: Mapping[str, PairCheck] = MappingProxyType({
    "ratio-near-unit-factor": _unit_factor,
    "ratio-near-power-of-ten": _power_of_ten,
    "finer-figure-beyond-coarser": _finer_beyond_coarser,
    "bound-excludes": _bound_excludes,
})


# ---------------------------------------------------------------------------------------------
# Bounds one way, a power of ten apart


def _bound_slips(comparison: Comparison, grouping: Grouping, rulebook: Rulebook) -> list[Finding]:
    """Bounds in the same direction whose values are 10, 100... times apart: both may hold, but
    a writer means a figure near the bound, so one of them slipped."""
    rule = rulebook.rule("bounds-near-power-of-ten")
    if rule is None:
        return []
    by_value: dict[tuple[str, str, float], list[Claim]] = {}
    for claim in comparison.group.claims:
        if claim.qualifier in BOUNDS and claim.value:
            by_value.setdefault((claim.qualifier, claim.change, claim.value), []).append(claim)
    findings = []
    for first, second, factor in _powers_apart(sorted(by_value), rule):
        if {c.doc_id for c in by_value[first] + by_value[second]} == {by_value[first][0].doc_id}:
            continue  # one article giving both bounds: two quantities it tells apart
        sides = [_bound_side(by_value[first], grouping), _bound_side(by_value[second], grouping)]
        ordered = _ordered(sides, comparison)
        values = {"a": ordered[0].stated.surface, "b": ordered[1].stated.surface,
                  "factor": _number(factor)}
        findings.append(_finding(rule, comparison.group, rulebook, ordered, values,
                                 ratio=_safe_ratio(first[2], second[2])))
    return findings


def _powers_apart(
    keys: Sequence[tuple[str, str, float]], rule: Rule
) -> Iterator[tuple[tuple[str, str, float], tuple[str, str, float], float]]:
    """Pairs of (qualifier, change, value) keys of one direction whose values are a power of ten
    apart, and the power: each value looks up its multiples, so a group of many values stays
    fast."""
    tolerance = rule.params["tolerance"]
    by_direction: dict[tuple[str, str], list[tuple[str, str, float]]] = {}
    for key in keys:
        if key[2] > 0:
            by_direction.setdefault(key[:2], []).append(key)
    for members in by_direction.values():
        values = [key[2] for key in members]  # sorted, as `keys` are
        for small in members:
            for power in range(1, int(rule.params["max_power"]) + 1):
                target = small[2] * 10.0**power
                low = bisect.bisect_left(values, target * (1 - tolerance))
                high = bisect.bisect_right(values, target * (1 + tolerance))
                for large in members[low:high]:
                    yield small, large, 10.0**power


def _bound_side(claims: Sequence[Claim], grouping: Grouping) -> Side:
    value = claims[0].value
    sources = tuple(sorted({grouping.source(claim) for claim in claims}))
    return Side(claims=tuple(sorted(claims, key=lambda c: c.claim_id)),
                common=Interval(value, value), sources=sources, value=value)


# ---------------------------------------------------------------------------------------------
# Two digits swapped


def _transpositions(
    comparison: Comparison, grouping: Grouping, rulebook: Rulebook
) -> list[Finding]:
    """Figures of one quantity, from different articles, written with the same digits but two
    neighbours swapped (8,804,190 and 8,804,109; "about 87.8%" and "about 88.7%"): a copying
    slip, even where rounding or a qualifier lets the two agree."""
    rule = rulebook.rule("transposed-digits")
    if rule is None:
        return []
    by_digits: dict[tuple[str, float, str], list[Claim]] = {}
    read: dict[tuple[str, float], tuple[str, float] | None] = {}  # many claims share a surface
    for claim in comparison.group.claims:
        if claim.change:
            continue
        place = (claim.surface, claim.stated_value)
        written = read[place] if place in read else read.setdefault(place, _written_digits(claim))
        if written is not None:
            by_digits.setdefault((*written, claim.qualifier), []).append(claim)
    # only figures with the same digits in another order can be transpositions of each other
    anagrams: dict[tuple[str, float, str], list[tuple[str, float, str]]] = {}
    for key in sorted(by_digits):
        anagrams.setdefault(("".join(sorted(key[0])), *key[1:]), []).append(key)
    findings = []
    pairs = (pair for keys in anagrams.values() for pair in combinations(keys, 2))
    for first, second in pairs:
        if not _swapped(first[0], second[0]):
            continue
        if len({c.doc_id for c in by_digits[first] + by_digits[second]}) < 2:
            continue
        sides = [_plain_side(by_digits[first], grouping), _plain_side(by_digits[second], grouping)]
        ordered = _ordered(sides, comparison)
        values = {"a": ordered[0].stated.surface, "b": ordered[1].stated.surface}
        findings.append(_finding(rule, comparison.group, rulebook, ordered, values))
    return findings


def _written_digits(claim: Claim) -> tuple[str, float] | None:
    """The digits of a figure's one numeral as written (at least three of them), and what one
    unit of that numeral is worth (its scale and unit); None for any other figure."""
    runs = _DIGIT_RUN.findall(claim.surface.translate(NORMALIZE))
    if len(runs) != 1:
        return None
    digits = "".join(ch for ch in runs[0] if ch.isdigit())
    value = float(runs[0].replace(",", "").replace(" ", ""))
    if len(digits.lstrip("0")) < 3 or not value:
        return None
    return digits, round(claim.stated_value / value, 9)


_DIGIT_RUN = re.compile(r"\d+(?:[, ]\d{3})*(?:\.\d+)?")


def _swapped(first: str, second: str) -> bool:
    """Whether two digit strings differ by two neighbouring digits swapped."""
    if len(first) != len(second):
        return False
    apart = [index for index, (a, b) in enumerate(zip(first, second, strict=True)) if a != b]
    return (len(apart) == 2 and apart[1] == apart[0] + 1
            and first[apart[0]] == second[apart[1]] and first[apart[1]] == second[apart[0]])


# ---------------------------------------------------------------------------------------------
# One figure, several periods


def _period_findings(grouping: Grouping, rulebook: Rulebook) -> list[Finding]:
    rule = rulebook.rule("same-value-other-period")
    if rule is None:
        return []
    findings = []
    for key, family in sorted(grouping.by_key.items()):
        claims = [c for c in family if c.period and c.qualifier not in BOUNDS]
        clusters = [cluster for unit in sorted({c.unit for c in claims})
                    for cluster in _agreeing_clusters([c for c in claims if c.unit == unit],
                                                      rulebook)]
        for cluster in clusters:
            periods = sorted({claim.period for claim in cluster})
            if len(periods) < 2:
                continue
            sides = tuple(
                tuple(c for c in cluster if c.period == period) for period in periods
            )
            group = Group(key, "", tuple(cluster), _period_reason(key, periods, rulebook))
            values = {
                "a": sides[0][0].surface,
                "periods": " and ".join(periods),
            }
            plain = [_plain_side(side, grouping) for side in sides]
            findings.append(_finding(rule, group, rulebook, plain, values))
    return findings


def _agreeing_clusters(claims: Sequence[Claim], rulebook: Rulebook) -> list[list[Claim]]:
    """Each claim joins the first cluster whose every member it agrees with."""
    settings = rulebook.settings
    clusters: list[tuple[list[Claim], list[Interval], Interval]] = []
    for claim in claims:
        own = interval(claim, settings)
        for index, (members, intervals, common) in enumerate(clusters):
            # Overlapping what all members share means overlapping each: no need to ask each.
            shared = own.meet(common)
            if shared.low < shared.high or all(agree(own, other) for other in intervals):
                members.append(claim)
                intervals.append(own)
                clusters[index] = (members, intervals, common.meet(own))
                break
        else:
            clusters.append(([claim], [own], own))
    return [members for members, _, _ in clusters]


# ---------------------------------------------------------------------------------------------
# One number, two currencies


def _currency_findings(grouping: Grouping, rulebook: Rulebook) -> list[Finding]:
    """Figures of one quantity with the same number in different currencies ("$1.5 billion",
    "¥1.5 billion"): no exchange rate makes them comparable, but the same digits in two
    currencies are one figure whose currency slipped."""
    rule = rulebook.rule("same-number-other-currency")
    if rule is None:
        return []
    findings = []
    for key, family in sorted(grouping.by_key.items()):
        money = [c for c in family if c.dimension == "currency" and c.stated_value]
        by_number: dict[float, list[Claim]] = {}
        for claim in money:
            by_number.setdefault(claim.stated_value, []).append(claim)
        for number, claims in sorted(by_number.items()):
            units = sorted({c.unit for c in claims})
            periods = {c.period for c in claims if c.period}
            if len(units) < 2 or len(periods) > 1 or len({c.doc_id for c in claims}) < 2:
                continue
            sides = [_plain_side([c for c in claims if c.unit == unit], grouping) for unit in units]
            reason = (f"same quantity ({quantity_label(key, '', rulebook)}) and the same number, "
                      f"{_number(number)}, in {' and '.join(units)}")
            group = Group(key, next(iter(periods), ""), tuple(claims), reason)
            values = {"a": sides[0].stated.surface, "b": sides[1].stated.surface,
                      "units": " and ".join(units)}
            findings.append(_finding(rule, group, rulebook, sides, values))
    return findings


def _period_reason(key: QuantityKey, periods: Sequence[str], rulebook: Rulebook) -> str:
    label = quantity_label(key, "", rulebook)
    return f"same quantity ({label}) and an agreeing value, stated for {' and '.join(periods)}"


def _plain_side(claims: Sequence[Claim], grouping: Grouping | None = None) -> Side:
    """A side of claims as they are; within one article (no `grouping`) the article is its
    source."""
    value = claims[0].value
    sources = {grouping.source(c) if grouping else c.doc_id for c in claims}
    return Side(tuple(claims), Interval(claims[0].low, claims[0].high), tuple(sorted(sources)),
                value)


# ---------------------------------------------------------------------------------------------
# Arithmetic inside one article


def _article_findings(
    claims: Sequence[Claim], grouping: Grouping, rulebook: Rulebook
) -> list[Finding]:
    by_doc: dict[str, list[Claim]] = {}
    for claim in claims:
        by_doc.setdefault(claim.doc_id, []).append(claim)
    findings = []
    for doc_id in sorted(by_doc):
        members = sorted(by_doc[doc_id], key=lambda c: (c.start, c.claim_id))
        outlet = " / ".join(outlet_names(grouping.source_of.get(doc_id, doc_id)))
        for check, run in _ARTICLE_CHECKS.items():
            rule = rulebook.rule(check)
            if rule is not None:
                findings += [replace(found, outlets=tuple((outlet,) if outlet else ()
                                                          for _ in found.sides))
                             for found in run(members, rule, rulebook)]
    return findings


def _change_arithmetic(claims: Sequence[Claim], rule: Rule, rulebook: Rulebook) -> list[Finding]:
    """"rose from $350 to $725, up 107%": the ends imply the change."""
    slack = rulebook.settings.arithmetic_relative
    findings = []
    for sentence in _by_sentence(claims):
        froms = [c for c in sentence if c.change == "from"]
        tos = [c for c in sentence if c.change == "to"]
        changes = [c for c in sentence if c.change in ("increase", "decrease")
                   and c.dimension == "percent"]
        for start, end in zip(froms, tos, strict=False):
            if start.unit != end.unit or not start.value:
                continue
            implied = (end.value - start.value) / start.value * 100
            for stated in [c for c in changes if _same_clause(c, start, end)]:
                bounds = interval(stated, rulebook.settings)
                margin = slack * abs(stated.value)
                if bounds.low - margin <= implied <= bounds.high + margin:
                    continue
                values = {"from": start.surface, "to": end.surface, "stated": stated.surface,
                          "implied": f"{implied:+.1f}%"}
                group = Group(_article_key(end.entity, end), stated.period, (start, end, stated),
                              "the same sentence gives both ends of a change and the change")
                sides = [_plain_side((start, end)), _plain_side((stated,))]
                findings.append(_finding(rule, group, rulebook, sides, values))
    return findings


_CLAUSE_BREAK = re.compile(r";|\b(?:while|whereas|but|and)\b|，|；")


def _same_clause(stated: Claim, start: Claim, end: Claim) -> bool:
    """A stated change belongs to a from/to pair when no clause break stands between them
    ("rose from $350 to $725, up 107%"; not "..., while cobalt output fell 20%")."""
    first, last = min(stated.start, start.start), max(stated.end, end.end)
    between = stated.sentence[first - stated.sentence_start : last - stated.sentence_start]
    return not _CLAUSE_BREAK.search(between)


def _parts_times_each(claims: Sequence[Claim], rule: Rule, rulebook: Rulebook) -> list[Finding]:
    """"$1 billion each from the U.S. and Australia" against "a total of $3 billion"."""
    slack = rulebook.settings.arithmetic_relative
    findings = []
    parts = [c for c in claims if c.role == "each" and c.parties >= 2 and c.metric]
    totals = [c for c in claims if c.role == "total" and c.metric]
    for part in parts:
        for total in totals:
            if (total.metric, total.unit) != (part.metric, part.unit) or total is part:
                continue
            if part.period and total.period and part.period != total.period:
                continue
            summed = part.value * part.parties
            margin = slack * abs(total.value)
            if total.low - margin <= summed <= total.high + margin:
                continue
            values = {"each": part.surface, "parties": str(part.parties),
                      "sum": _number(summed), "unit": part.unit, "total": total.surface}
            shared = part.entity if part.entity == total.entity else ""
            group = Group(
                _article_key(shared, part), total.period, (part, total),
                f"same article and metric {rulebook.lexicon.metric_label(part.metric)}: "
                "an amount per party and a total",
            )
            sides = [_plain_side((part,)), _plain_side((total,))]
            findings.append(_finding(rule, group, rulebook, sides, values,
                                     ratio=_safe_ratio(total.value, summed)))
    return findings


def _shares_sum(claims: Sequence[Claim], rule: Rule, rulebook: Rulebook) -> list[Finding]:
    """World shares of one quantity held by different parties cannot add up past 100%."""
    metrics = rulebook.lexicon.metrics
    buckets: dict[tuple[str, tuple[str, ...], str], dict[str, Claim]] = {}
    for claim in claims:
        key = claim.key
        if key is None or key.measure != "percent" or key.phrase or key.own or key.other:
            continue  # a share of its own total or of another party's is no world share
        if key.metric not in metrics or not metrics[key.metric].world_share:
            continue
        if not rulebook.lexicon.is_party(key.entity):
            continue
        bucket = buckets.setdefault((key.metric, key.scope, claim.period), {})
        held = bucket.get(key.entity)
        if held is None or claim.low > held.low:
            bucket[key.entity] = claim
    findings = []
    for (metric, scope, period), shares in sorted(buckets.items()):
        if len(shares) < 2:
            continue
        total = sum(claim.low for claim in shares.values())
        if total <= 100:
            continue
        members = sorted(shares.values(), key=lambda c: (c.start, c.claim_id))
        key = QuantityKey("", metric, "percent", scope)
        values = {"shares": " + ".join(c.surface for c in members), "total": _number(total)}
        group = Group(key, period, tuple(members),
                      f"same article, metric {rulebook.lexicon.metric_label(metric)} as a world "
                      "share, different parties")
        findings.append(_finding(rule, group, rulebook, [_plain_side((c,)) for c in members],
                                 values, points=round(total - 100, _DIGITS)))
    return findings


_ARTICLE_CHECKS: Mapping[str, Callable[[Sequence[Claim], Rule, Rulebook], list[Finding]]] = (
    MappingProxyType({
        "change-arithmetic": _change_arithmetic,
        "parts-times-each": _parts_times_each,
        "shares-sum": _shares_sum,
    })
)


def _by_sentence(claims: Sequence[Claim]) -> list[list[Claim]]:
    sentences: dict[tuple[int, str], list[Claim]] = {}
    for claim in claims:
        sentences.setdefault((claim.sentence_start, claim.sentence), []).append(claim)
    return list(sentences.values())


# ---------------------------------------------------------------------------------------------
# Building a finding


def _finding(
    rule: Rule,
    group: Group,
    rulebook: Rulebook,
    sides: Sequence[Side],
    values: Mapping[str, str],
    ratio: float | None = None,
    points: float | None = None,
    consensus: int | None = None,
) -> Finding:
    side_ids = tuple(side.claim_ids for side in sides)
    claim_ids = tuple(sorted({claim_id for ids in side_ids for claim_id in ids}))
    quantity = quantity_label(group.key, group.period, rulebook, group.named)
    fields: dict[str, Any] = {
        "quantity": quantity or "these figures",
        "values": _values(sides),
        "ratio": _number(ratio) if ratio is not None else "",
        "points": _number(points) if points is not None else "",
        "gap": _gap_words(ratio, points, places=group.key.measure == "rank"),
        **values,
    }
    digest = hashlib.blake2b("|".join(claim_ids).encode(), digest_size=5).hexdigest()
    largest = max((abs(side.value) for side in sides), default=0.0)
    relative = points / largest if points is not None and largest else None
    severity, reason = rule.grade(ratio, points, relative), group.reason
    ids = set(claim_ids)
    weak = _weak_evidence(group, ids, rulebook.settings.restated_strong_words)
    if weak:
        severity = rule.weak_severity or severity
        reason = f"{reason}; on weak evidence: {weak}"
    revisions = _revisions(c for c in group.noted if c.claim_id in ids)
    if revisions:
        reason += "".join(f"; one figure's history, not rival sources: {words}"
                          for _, _, words in revisions)
    return Finding(
        finding_id=f"{rule.code}-{digest}",
        code=rule.code,
        severity=severity,
        kind=rule.kind,
        key=str(group.key),
        claim_ids=claim_ids,
        message=rule.message.format_map(_Template(fields)),
        explanation=rule.explanation,
        sides=side_ids,
        reason=reason,
        ratio=ratio,
        name=rule.name,
        quantity=quantity,
        period=group.period,
        points=points,
        sources=tuple(len(side.sources) for side in sides),
        consensus=consensus,
        revisions=revisions,
        outlets=tuple(side_outlets(side) for side in sides),
    )


def side_outlets(side: Side) -> tuple[str, ...]:
    """The outlets of a side's independent sources (Finding.outlets)."""
    named = (" / ".join(outlet_names(source)) for source in side.sources)
    return tuple(sorted({name for name in named if name}, key=str.casefold))


def _values(sides: Sequence[Side]) -> str:
    """"28.5 million tons (2 sources) · 380,000 tons, revised from 2.85 million tons (1 source)":
    a side of figures that their own sentences revise is told with the side of the revision."""
    revised_from: dict[int, list[str]] = {}
    told = []
    for index, side in enumerate(sides):
        later = next((other for other, candidate in enumerate(sides)
                      if candidate is not side and _revised(side, candidate)
                      and all(c.role == "superseded" for c in side.claims)), None)
        if later is None:
            told.append(index)
        else:
            revised_from.setdefault(later, []).append(side.stated.surface)
    return " · ".join(
        f"{sides[i].stated.surface}"
        + (f", revised from {' and '.join(revised_from[i])}" if i in revised_from else "")
        + f" ({_sources(len(sides[i].sources))})"
        for i in told
    )


def _article_key(entity: str, claim: Claim) -> QuantityKey:
    """The quantity of an article's arithmetic: the claim's own, with the party shared by all."""
    if claim.key is not None and not claim.key.restated:
        return replace(claim.key, entity=entity, scope=(), other="", own=False, each=False)
    return QuantityKey(entity, claim.metric, measure(claim))


def _weak_evidence(group: Group, claim_ids: set[str], strong_words: int) -> str:
    """Where the parties of a finding's claims were found when that is weak evidence (an
    earlier sentence, the title: `WEAK_PARTIES`), or a restated sentence too short to be sure
    of; "" when none was."""
    found = {}
    words = restated_words(group.key.metric) if group.key.restated else strong_words
    if words < strong_words:
        found[f"a short sentence restated ({words} words)"] = None
    for claim in group.noted:
        if claim.claim_id in claim_ids:
            words = dict(claim.evidence)
            if words.get("entity from") in WEAK_PARTIES:
                found[f"“{words.get('entity', '')}” from {words['entity from']}"] = None
    return ", ".join(sorted(found))


class _Template(dict):  # type: ignore[type-arg]
    """Message fields; a field a template names but a check does not give is left visible."""

    def __missing__(self, name: str) -> str:
        return "{" + name + "}"


def _sources(count: int) -> str:
    return f"{count} source{'' if count == 1 else 's'}"


def _gap_words(ratio: float | None, points: float | None, places: bool = False) -> str:
    if points is not None:
        unit = "place" if places else "point"
        return f"{_number(points)} {unit}{'' if points == 1 else 's'} apart"
    if ratio is not None:
        return f"a factor of {_number(ratio)} apart"
    return "apart"


def _safe_ratio(a: float, b: float) -> float | None:
    if not a or not b or a * b < 0:
        return None
    return round(max(abs(a), abs(b)) / min(abs(a), abs(b)), _DIGITS)


_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def _number(value: float | None) -> str:
    """A number for a message: 10, 1,000, 2.5, 0.009, 2 billion."""
    if value is None:
        return ""
    for scale, word in _SCALES:
        if abs(value) >= scale:
            return f"{value / scale:.3g} {word}"
    if value != 0 and abs(value) < 1e-3:
        return f"{value:.1e}"
    if abs(value - round(value)) < 1e-9:
        return f"{round(value):,}"
    return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
