"""Fuzz target for ingest and extraction: any bytes, read as a file of any format, give
documents or problems, and every figure found in them lies where its offsets say.

With atheris (https://github.com/google/atheris; `pip install atheris`):

    mkdir -p fuzz/corpus
    python fuzz/fuzz_extract.py -max_total_time=600 fuzz/corpus seeds tests/fixtures/ingest

libFuzzer writes new inputs to the first folder and starts from the files of all of them; a
crash is saved as crash-<hash> and replays with `python fuzz/fuzz_extract.py crash-<hash>`.

Without atheris the same command runs each file (or each file of a folder) through the target
once, and with no argument it runs the bundled seeds and test fixtures: a smoke test.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # runner.py, beside this file
from runner import main, with_format_byte  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SMOKE_INPUTS = (ROOT / "seeds", ROOT / "tests" / "fixtures" / "ingest")
# The first byte of an input picks the format its other bytes are read as.
SUFFIXES = (".txt", ".md", ".html", ".jsonl")


def make_target() -> Callable[[bytes], None]:
    """The function to fuzz, with its extractor loaded once. checker is imported here, not at
    the top, so that atheris can instrument it."""
    from checker.extraction import Extractor
    from checker.ingest import parse_bytes, parse_text
    from checker.sentences import split_sentences

    extractor = Extractor()

    def one_input(data: bytes) -> None:
        if not data:
            return
        suffix = SUFFIXES[data[0] % len(SUFFIXES)]
        payload = data[1:]
        from_bytes = parse_bytes(payload, f"fuzz{suffix}", suffix)
        if not from_bytes.documents:
            assert from_bytes.problems, "no documents and no problem said why"
        from_text = parse_text(payload.decode("utf-8", "replace"), f"fuzz{suffix}", suffix)
        for document in from_bytes.documents + from_text.documents:
            assert 0 <= document.start <= document.end <= len(document.text)
            for sentence in split_sentences(document):
                assert document.text[sentence.start : sentence.end] == sentence.text
                for mention in extractor.mentions(sentence.text, sentence.lang):
                    assert sentence.text[mention.start : mention.end] == mention.surface
                    assert not math.isnan(mention.value)
                    assert mention.low <= mention.high

    return one_input


def smoke_inputs(paths: list[Path]) -> Iterator[bytes]:
    """Each file's bytes, once for each format."""
    return with_format_byte(paths, len(SUFFIXES))

if __name__ == "__main__":
    sys.exit(main(sys.argv, make_target, smoke_inputs, SMOKE_INPUTS))
