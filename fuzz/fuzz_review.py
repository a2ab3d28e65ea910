"""Fuzz target for review drafts: any bytes, read as a draft of any format and reviewed against
a small corpus, give a review or a DraftError naming the draft: never another exception, and
every finding sits on a line of the draft.

    python fuzz/fuzz_review.py -max_total_time=600 fuzz/corpus-review tests/fixtures/review

Without atheris, or given files, each input runs once (see fuzz/runner.py).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # runner.py, beside this file
from runner import main, with_format_byte  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "fixtures" / "review" / "corpus"
SMOKE_INPUTS = (ROOT / "tests" / "fixtures" / "review",)
SUFFIXES = (".md", ".txt", ".html")


def make_target() -> Callable[[bytes], None]:
    from checker.review import DraftError, ReviewOptions, review

    options = ReviewOptions(corpus=(str(CORPUS),))

    def one_input(data: bytes) -> None:
        if not data:
            return
        name = f"draft{SUFFIXES[data[0] % len(SUFFIXES)]}"
        try:
            result = review([(name, data[1:])], options)
        except DraftError as error:
            assert name in str(error)
            return
        lines = data[1:].decode("utf-8", "replace").count("\n") + 1
        for found in result.findings:
            assert 1 <= found.line <= lines + 1, (found.line, lines)

    return one_input


def smoke_inputs(paths: list[Path]) -> Iterator[bytes]:
    """Each file's bytes, once for each format."""
    return with_format_byte(paths, len(SUFFIXES))

if __name__ == "__main__":
    sys.exit(main(sys.argv, make_target, smoke_inputs, SMOKE_INPUTS))
