"""The extractor reads no further a sentence without a digit or a word or character one of its
readers looks for. It must never pass over a figure: every sentence of the golden extraction
cases and of the topic fixtures gives the same figures with that test left out."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from checker.extraction import Extractor
from checker.ingest import read_corpus
from checker.pipeline import reference_date, sentences

TESTS = Path(__file__).parent
Sentence = tuple[str, str, datetime.date | None]


def _golden() -> list[Sentence]:
    found = []
    for path in sorted((TESTS / "cases").glob("extract_*.json")):
        lang = "zh" if path.stem.endswith("_zh") else "en"  # as the pipeline gives it
        for case in json.loads(path.read_text("utf-8"))["cases"]:
            reference = case.get("reference")
            found.append((case["text"], lang,
                          datetime.date.fromisoformat(reference) if reference else None))
    return found


def _topics() -> list[Sentence]:
    documents = read_corpus(sorted((TESTS / "fixtures" / "topics").rglob("*.md"))).documents
    return [(s.text, s.lang, reference_date(d)) for d in documents for s in sentences(d)]


@pytest.mark.parametrize("read", [_golden, _topics], ids=["golden", "topics"])
def test_no_sentence_with_a_figure_is_passed_over(
    read: Callable[[], list[Sentence]], monkeypatch: pytest.MonkeyPatch
) -> None:
    extractor, reading_all = Extractor(), Extractor()
    monkeypatch.setattr(reading_all, "_may_hold_figures", lambda text, tokens: True)
    test = extractor._may_hold_figures
    passed_over = []

    def counted(text: str, tokens: frozenset[str]) -> bool:
        if test(text, tokens):
            return True
        passed_over.append(text)
        return False

    monkeypatch.setattr(extractor, "_may_hold_figures", counted)
    for text, lang, reference in read():
        assert extractor.mentions(text, lang, reference) == reading_all.mentions(
            text, lang, reference
        ), text
    assert passed_over, "no sentence passed over: the test shows nothing"
