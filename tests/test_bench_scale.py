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


def _size(articles: int, seconds: float, peak_mb: float = 500.0) -> scale.Size:
    run = scale.Run(seconds, peak_mb, peak_mb / 2, exit_code=0, timed_out=False)
    return scale.Size(articles, 1, 1.0, 0.1, (run,), (), (), claims=10, findings=1)


def test_goals_judged_only_as_the_goal_says() -> None:
    sizes = [_size(1000, 2.0), _size(10_000, 20.0), _size(100_000, 210.0)]
    lines = "\n".join(scale.goal_lines(sizes, jobs=2))
    assert "1,000 -> 10,000 articles costs **10.0x** the time (for information" in lines
    assert "10,000 -> 100,000 articles costs **10.5x** the time (goal" in lines
    assert "100,000 articles: 210 s and 500 MB" in lines and lines.endswith("met.")
    assert "NOT met" not in lines

    with_one_job = "\n".join(scale.goal_lines(sizes, jobs=1))
    assert "not measured as the goal says" in with_one_job

    small = "\n".join(scale.goal_lines(sizes[:1], jobs=2))
    assert small.count("not measured in this run") == 2
