"""How much comparison adds to extraction: claims -> findings against `numcheck extract`.

In one process, after one warm-up, each timed round runs side by side:

- extract:     checker.pipeline.run(seeds): what `numcheck extract` does (read, split, extract,
               place, and read what each figure is about);
- comparison:  checker.pipeline.findings(result): group, compare, classify (claims -> findings);
- annotation:  checker.claims.annotate over the same claims, the part of `extract` that reads
               entity, metric, scope and period (reported so that it is not hidden in extract).

The order of the stages alternates between rounds; the medians are compared. The goal: comparison
adds at most 20% to the time of extract.

    .venv/bin/python bench/comparison.py                # print the table
    .venv/bin/python bench/comparison.py --write        # and record it in bench/RESULTS.md
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from checker.claims import annotate  # noqa: E402
from checker.pipeline import findings, run  # noqa: E402
from checker.rulebook import Rulebook  # noqa: E402

GOAL = 0.20  # comparison may add at most this share of the extract time
SECTION = "comparison"


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def measure(corpus: Path, rounds: int) -> dict[str, list[float]]:
    rulebook = Rulebook.load()
    result = run([corpus], rulebook=rulebook, compare=False)
    findings(result, rulebook)  # warm-up: imports, rapidfuzz, compiled patterns
    stages: dict[str, Callable[[], object]] = {
        "extract": lambda: run([corpus], rulebook=rulebook, compare=False),
        "comparison": lambda: findings(result, rulebook),
        "annotation": lambda: annotate(result.claims, rulebook.lexicon),
    }
    times: dict[str, list[float]] = {name: [] for name in stages}
    names = list(stages)
    for round_ in range(rounds):
        order = names if round_ % 2 == 0 else list(reversed(names))
        for name in order:
            times[name].append(_timed(stages[name]))
    return times


def report(times: dict[str, list[float]], corpus: Path, rounds: int, counts: str) -> str:
    median = {name: statistics.median(values) for name, values in times.items()}
    added = median["comparison"] / median["extract"]
    verdict = "met" if added <= GOAL else "NOT met"
    rows = [
        ("extract (`pipeline.run`)", median["extract"], "100%"),
        ("comparison (`pipeline.findings`: group, compare, classify)", median["comparison"],
         f"{added:.1%}"),
        ("annotation (`claims.annotate`, inside extract)", median["annotation"],
         f"{median['annotation'] / median['extract']:.1%}"),
    ]
    lines = [
        "## Comparison cost",
        "",
        f"Date: {date.today().isoformat()}. Machine: {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()} ({platform.machine()}, {platform.system()}).",
        "",
        f"Corpus: `{corpus.relative_to(ROOT) if corpus.is_relative_to(ROOT) else corpus}` "
        f"({counts}). {rounds} timed rounds in one process after one warm-up, the order of the "
        "stages alternating; medians. Reproduce: `.venv/bin/python bench/comparison.py --write`.",
        "",
        "| stage | median seconds | share of extract |",
        "|---|---:|---:|",
        *(f"| {name} | {seconds:.4f} | {share} |" for name, seconds, share in rows),
        "",
        f"Comparison adds **{added:.1%}** to the time of extract (goal: at most {GOAL:.0%}): "
        f"{verdict}.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "seeds")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--write", action="store_true", help="record in bench/RESULTS.md")
    args = parser.parse_args(argv)
    corpus = args.corpus.resolve()
    times = measure(corpus, args.rounds)
    result = run([corpus], compare=False)
    checked = findings(result)
    counts = (
        f"{len(result.documents)} documents, {len(result.claims)} figures, "
        f"{len(checked.findings)} findings"
    )
    markdown = report(times, corpus, args.rounds, counts)
    print(markdown)
    if args.write:
        from sections import write_section

        write_section(SECTION, markdown)
    median = statistics.median
    return 0 if median(times["comparison"]) <= GOAL * median(times["extract"]) else 1


if __name__ == "__main__":
    raise SystemExit(main())
