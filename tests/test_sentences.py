"""Sentence splitting: the cases in tests/cases/sentences.json, offsets, and speed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.ingest import parse_text, read_corpus
from checker.models import Document
from checker.sentences import detect_lang, split_sentences

CASES = json.loads((Path(__file__).parent / "cases" / "sentences.json").read_text("utf-8"))
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _document(body: str, masked: bool) -> Document:
    if masked:  # through ingest, which masks the citation markers
        (document,) = parse_text(body, "case.txt").documents
        return document
    return Document(doc_id="case", path="case.txt", text=body, start=0, end=len(body))


@pytest.mark.parametrize("case", CASES["cases"], ids=lambda case: case["name"])
def test_sentence_cases(case: dict) -> None:
    document = _document(case["body"], case.get("mask_citations", False))
    sentences = split_sentences(document)
    assert [sentence.text for sentence in sentences] == case["sentences"]
    if "langs" in case:
        assert [sentence.lang for sentence in sentences] == case["langs"]
    previous_end = 0
    for sentence in sentences:
        assert document.text[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip()
        assert sentence.start >= previous_end
        assert sentence.doc_id == document.doc_id
        previous_end = sentence.end


def test_offsets_point_into_the_whole_text_not_the_body() -> None:
    text = "Title line\nSource·2025-01-01\nPrices rose 5%. Output fell.\nNext title\n"
    body = "Prices rose 5%. Output fell."
    start = text.index(body)
    document = Document("d", "d.txt", text, start, start + len(body))
    sentences = split_sentences(document)
    assert [(s.start, s.end) for s in sentences] == [
        (start, start + len("Prices rose 5%.")),
        (text.index("Output"), text.index("Output") + len("Output fell.")),
    ]


def test_empty_body_has_no_sentences() -> None:
    assert split_sentences(Document("d", "d.txt", "Title\n", 6, 6)) == ()


def test_detect_lang() -> None:
    assert detect_lang("中国控制了全球90%的精炼能力") == "zh"
    assert detect_lang("China holds 37% of global reserves (中国)") == "en"
    assert detect_lang("") == "en"


def test_seed_sentences_are_exact() -> None:
    corpus = read_corpus([SEEDS])
    assert sum(len(document.body) for document in corpus.documents) > 40_000
    all_sentences = [split_sentences(document) for document in corpus.documents]
    for document, sentences in zip(corpus.documents, all_sentences, strict=True):
        for sentence in sentences:
            assert document.start <= sentence.start < sentence.end <= document.end
            assert document.text[sentence.start : sentence.end] == sentence.text
            # a bullet marker or a heading label never hides inside a sentence
            assert " - " not in sentence.text or any(c.isdigit() for c in sentence.text)
            assert "Group " not in sentence.text[1:]
