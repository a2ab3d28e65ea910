"""checker.classify: what kind of disagreement, with which severity and message."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from checker.classify import classify
from checker.compare import compare
from checker.group import group
from checker.models import Claim, QuantityKey
from checker.pipeline import run
from checker.rulebook import Rulebook, Thresholds


@pytest.fixture(scope="module")
def rulebook() -> Rulebook:
    return Rulebook.load(lexicons=["rare-earths"])


def claim(
    claim_id: str, key: str, value: float, low: float, high: float, surface: str,
    qualifier: str = "exact", **changes: object,
) -> Claim:
    entity, metric, scope, measure = key.split("|")
    dimension = measure.split(":")[0]
    base = Claim(
        claim_id=claim_id, doc_id=claim_id.split(":")[0], path=f"{claim_id[0]}.txt", title="",
        published="", lang="en", line=1, col=1, start=int(claim_id.split(":")[1].split("-")[0]),
        end=1, sentence="", surface=surface, value=value, low=low, high=high,
        unit={"mass": "kg", "percent": "percent", "rank": "rank"}.get(dimension, "USD"),
        dimension=dimension, qualifier=qualifier, stated_value=value, stated_unit="",
        entity=entity, metric=metric, key=QuantityKey(
            entity, metric, measure, tuple(scope.split("+")) if scope else ()),
    )
    return dataclasses.replace(base, **changes)


def findings_for(claims: list[Claim], rulebook: Rulebook):
    grouping = group(claims, [], rulebook)
    comparisons = [compare(g, grouping, rulebook.settings) for g in grouping.groups]
    return classify(comparisons, claims, grouping, rulebook)


RUSSIA = "russia|reserves||mass"


def test_russia_reserves_a_magnitude_slip_and_the_conflict_around_it(rulebook: Rulebook) -> None:
    claims = [
        claim("a:1-2", RUSSIA, 28.5e9, 28.45e9, 28.55e9, "28.5 million tons"),
        claim("b:1-2", RUSSIA, 2.85e9, 2.845e9, 2.855e9, "2.85 million tons"),
        claim("b:5-6", RUSSIA, 3.8e8, 3.75e8, 3.85e8, "380,000 tons"),
    ]
    found = {f.code: f for f in findings_for(claims, rulebook)}
    assert set(found) == {"NC101", "NC102"}
    slip = found["NC102"]
    assert slip.ratio == pytest.approx(10) and slip.severity == "error"
    assert slip.sides == (("b:1-2",), ("a:1-2",))  # one source each: by value
    assert "2.85 million tons vs 28.5 million tons" in slip.message
    assert len(found["NC101"].sides) == 3 and found["NC101"].ratio == pytest.approx(75)


def test_a_unit_slip_wins_over_a_power_of_ten(rulebook: Rulebook) -> None:
    key = "f35|requirement||mass"
    claims = [claim("a:1-2", key, 417, 416.5, 417.5, "417 kg", stated_unit="kg"),
              claim("b:1-2", key, 417e3, 416.5e3, 417.5e3, "417 tons", stated_unit="tons")]
    (finding,) = findings_for(claims, rulebook)
    assert finding.code == "NC103" and "kilograms and tonnes" in finding.message


def test_a_factor_of_1000_in_one_unit_is_a_magnitude_slip(rulebook: Rulebook) -> None:
    key = "russia|reserves||mass"
    claims = [claim("a:1-2", key, 2.85e10, 2.845e10, 2.855e10, "28.5 million tons",
                    stated_unit="tons"),
              claim("b:1-2", key, 2.85e13, 2.845e13, 2.855e13, "28.5 billion tons",
                    stated_unit="tons")]
    (finding,) = findings_for(claims, rulebook)
    assert finding.code == "NC102"


def test_purity_at_two_precisions_is_a_rounding_difference(rulebook: Rulebook) -> None:
    key = "china|purity||percent"
    claims = [claim("a:1-2", key, 99.999, 99.9985, 99.9995, "99.999%"),
              claim("c:1-2", key, 99.999, 99.9985, 99.9995, "99.999%"),
              claim("b:1-2", key, 99.99, 99.985, 99.995, "99.99%")]
    (finding,) = findings_for(claims, rulebook)
    assert (finding.code, finding.severity, finding.consensus) == ("NC104", "warning", 0)
    assert finding.sources == (2, 1) and finding.points == pytest.approx(0.009)


def test_a_bound_against_a_figure_is_a_bound_conflict(rulebook: Rulebook) -> None:
    key = "china|refining||percent"
    claims = [claim("a:1-2", key, 90, 90, 100, "over 90%", "lower"),
              claim("b:1-2", key, 85, 84.5, 85.5, "85%")]
    (finding,) = findings_for(claims, rulebook)
    assert finding.code == "NC105" and finding.message.endswith("over 90% rules out 85%.")


@pytest.mark.parametrize(
    ("values", "severity"),
    [((37, 34), "warning"), ((70, 60), "error"), ((90.4, 89.6), "info")],
)
def test_severity_of_a_conflict_follows_the_points_apart(values, severity, rulebook) -> None:
    key = "china|reserves||percent"
    claims = [
        claim(f"{doc}:1-2", key, v, v - 0.05 if v % 1 else v - 0.5, v + 0.05 if v % 1 else v + 0.5,
              f"{v}%")
        for doc, v in zip("ab", values, strict=True)
    ]
    (finding,) = findings_for(claims, rulebook)
    assert (finding.code, finding.severity) == ("NC101", severity)


def test_thresholds_grade_by_ratio_or_points() -> None:
    limits = Thresholds(error_ratio=1.5, error_points=10, info_ratio=1.01, info_points=1)
    assert limits.severity("warning", ratio=2.0, points=None) == "error"
    assert limits.severity("warning", ratio=1.005, points=None) == "info"
    assert limits.severity("warning", ratio=None, points=3) == "warning"
    assert limits.severity("warning", ratio=None, points=None) == "warning"


def test_the_same_figure_in_two_periods_is_information(rulebook: Rulebook) -> None:
    key = "china|quota||mass"
    claims = [claim("a:1-2", key, 2.4e8, 2.35e8, 2.45e8, "240,000 tons", period="2023"),
              claim("b:1-2", key, 2.4e8, 2.35e8, 2.45e8, "240,000 tons", period="2025"),
              claim("c:1-2", key, 2.7e8, 2.65e8, 2.75e8, "270,000 tons", period="2024")]
    (finding,) = findings_for(claims, rulebook)
    assert (finding.code, finding.severity) == ("NC106", "info")
    assert "2023 and 2025" in finding.message


def test_figures_of_different_periods_are_not_a_conflict(rulebook: Rulebook) -> None:
    key = "china|exports||percent:change"
    claims = [claim("a:1-2", key, 34, 33.5, 34.5, "34%", change="decrease", period="2025-05"),
              claim("b:1-2", key, 30, 29.5, 30.5, "30%", change="decrease", period="2025-09")]
    assert findings_for(claims, rulebook) == ()


def test_finding_ids_are_stable_and_findings_sorted(rulebook: Rulebook) -> None:
    claims = [
        claim("a:1-2", RUSSIA, 28.5e9, 28.45e9, 28.55e9, "28.5 million tons"),
        claim("b:1-2", RUSSIA, 2.85e9, 2.845e9, 2.855e9, "2.85 million tons"),
        claim("b:5-6", RUSSIA, 3.8e8, 3.75e8, 3.85e8, "380,000 tons"),
    ]
    first = findings_for(claims, rulebook)
    again = findings_for(list(reversed(claims)), rulebook)
    assert first == again
    assert [f.code for f in first] == ["NC101", "NC102"]
    assert all(f.finding_id.startswith(f.code + "-") for f in first)


def test_messages_are_filled_and_explanations_attached(rulebook: Rulebook) -> None:
    key = "china|reserves||percent"
    claims = [
        claim("a:1-2", key, 37, 36.5, 37.5, "37%"),
        claim("b:1-2", key, 34, 33.5, 34.5, "34%"),
    ]
    (finding,) = findings_for(claims, rulebook)
    assert "{" not in finding.message and "China · reserves" in finding.message
    assert "Example" in finding.explanation and finding.reason.startswith("same entity China")


def test_a_change_is_checked_only_against_the_change_in_its_clause(tmp_path) -> None:
    from checker.pipeline import run

    article = tmp_path / "prices.txt"
    article.write_text(
        "Gallium prices rose from $350 to $725 per kg, a 10% increase, "
        "while cobalt output fell 20%.\n",
        "utf-8",
    )
    found = [f for f in run([article]).findings if f.code == "NC201"]
    assert len(found) == 1
    assert "10%" in found[0].message and "20%" not in found[0].message


def test_a_finding_on_a_party_from_an_earlier_sentence_is_weaker_and_says_so(
    tmp_path: Path,
) -> None:
    """The rule's weak_severity, and the reason names where the party came from."""
    (tmp_path / "a.md").write_text(
        "# Results\n\nOrvane Foods reported its results.\n\n"
        "Revenue rose to $4.2 billion in 2024.\n", "utf-8")
    (tmp_path / "b.md").write_text(
        "# Quarterly\n\nOrvane Foods reported revenue of $42 billion in 2024.\n", "utf-8")
    (finding,) = run([tmp_path]).findings
    rule = Rulebook.load().rule("ratio-near-power-of-ten")
    assert rule is not None and rule.severity == "error"
    assert finding.code == rule.code and finding.severity == rule.weak_severity == "warning"
    assert "on weak evidence: “Orvane Foods” from an earlier sentence" in finding.reason
    # a party read from the text is shown by the words that named it, not by its id
    assert finding.quantity == "Orvane Foods · revenue · 2024"
    assert "same entity Orvane Foods (“Orvane Foods”)" in finding.reason
    (tmp_path / "a.md").write_text(
        "# Results\n\nOrvane Foods' revenue rose to $4.2 billion in 2024.\n", "utf-8")
    (named,) = run([tmp_path]).findings
    assert named.severity == "error" and "weak evidence" not in named.reason


def test_a_fraction_of_a_whole_and_a_percentage_are_one_quantity(tmp_path: Path) -> None:
    """"A fifth" is 20%: it agrees with 20% and disagrees with 60% of the same sales."""
    (tmp_path / "a.md").write_text(
        "# Market\n\nNorvia Motors sold a fifth of all new cars in Norvia in 2023.\n", "utf-8")
    (tmp_path / "b.md").write_text(
        "# Share\n\nNorvia Motors sold 20% of all new cars in Norvia in 2023.\n", "utf-8")
    assert run([tmp_path]).findings == ()
    (tmp_path / "b.md").write_text(
        "# Share\n\nNorvia Motors sold 60% of all new cars in Norvia in 2023.\n", "utf-8")
    (finding,) = run([tmp_path]).findings
    assert finding.code == "NC101" and finding.key == "norvia_motors|sales||percent"
