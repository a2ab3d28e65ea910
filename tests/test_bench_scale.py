"""bench/scale.py: the pure parts (options read, the one-figure edit, the goal verdicts)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import scale  # noqa: E402


@pytest.mark.parametrize(
    ("extra", "jobs", "no_cache"),
    [
        ([], 1, False),
        (["--jobs", "2"], 2, False),
        (["--jobs=4", "--no-cache"], 4, True),
        (["-j2", "--engine", "dask"], 2, False),
    ],
)
def test_numcheck_options(extra: list[str], jobs: int, no_cache: bool) -> None:
    options = scale.numcheck_options(extra)
    assert (options.jobs, options.no_cache) == (jobs, no_cache)


def test_edit_figure_changes_one_digit_of_the_first_percentage() -> None:
    text = "In 2024 output rose 19% and exports 7%."
    edited = scale.edit_figure(text)
    assert edited == "In 2024 output rose 10% and exports 7%."
    assert scale.edit_figure(edited) != edited
    with pytest.raises(ValueError):
        scale.edit_figure("no percentage here")


def test_file_to_edit_is_the_first_with_a_percentage_from_the_middle_on(tmp_path: Path) -> None:
    texts = ["rose 5%", "no figure", "no figure", "fell 2%", "no figure"]
    written = [tmp_path / f"{number}.txt" for number in range(len(texts))]
    for path, text in zip(written, texts, strict=True):
        path.write_text(text, "utf-8")
    assert scale.file_to_edit(written) == written[3]
    assert scale.file_to_edit(written[:3]) == written[0]  # none from the middle on: from the start
    with pytest.raises(ValueError):
        scale.file_to_edit(written[1:3])


def _size(
    articles: int, seconds: float, peak_mb: float = 500.0, layout: str = "single",
    again: float | None = None,
) -> scale.Size:
    run = scale.Run(seconds, peak_mb, peak_mb * 2, peak_mb / 2, exit_code=0, timed_out=False)
    unchanged = () if again is None else (scale.Run(again, peak_mb, peak_mb, peak_mb, 0, False),)
    return scale.Size(layout, articles, 1, 1.0, 0.1, (run,), unchanged, (), claims=10, findings=1)


def test_goals_judged_only_as_the_goal_says() -> None:
    sizes = [_size(1000, 2.0), _size(10_000, 11.0), _size(100_000, 115.0, again=9.0)]
    lines = "\n".join(scale.goal_lines(sizes, jobs=2))
    assert "single: 1,000 -> 10,000 articles costs **5.5x** the time (for information" in lines
    assert "single: 10,000 -> 100,000 articles costs **10.5x** the time (goal" in lines
    assert "single: 100,000 articles: 115 s and 500 MB" in lines
    assert "re-run with nothing changed: 9.0 s (goal: at most 10 s): met." in lines
    assert "NOT met" not in lines

    with_one_job = "\n".join(scale.goal_lines(sizes, jobs=1))
    assert "not measured as the goal says" in with_one_job

    small = "\n".join(scale.goal_lines(sizes[:1], jobs=2))
    assert small.count("not measured in this run") == 2


def test_each_layout_is_held_to_its_own_goal() -> None:
    """150 s meets the packed goal (166 s), not the single one (120 s); nor a 12 s re-run."""
    sizes = [_size(100_000, 150.0, layout="packed"), _size(100_000, 150.0, again=12.0)]
    lines = scale.goal_lines(sizes, jobs=2)
    (packed,) = [line for line in lines if line.startswith("- packed: 100,000")]
    single = [line for line in lines if line.startswith("- single: 100,000")]
    assert packed.endswith(": met.")
    assert [line.endswith("NOT met.") for line in single] == [True, True]
    assert scale.goal_lines([_size(100_000, 200.0, 3500.0, "packed")], jobs=2)[-1].endswith(
        "NOT met.")


def test_counts_reads_the_report_it_is_given(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    assert scale.counts(report) == (0, 0)
    report.write_text('{"claims": [{}, {}, {}], "findings": [{}]}', "utf-8")
    assert scale.counts(report) == (3, 1)
