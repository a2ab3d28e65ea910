"""A figure no party and measure were read for is compared with the same sentence restated in
another article (tests/cases/restated.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.claims import restated_sentence, restated_words
from checker.pipeline import run

CASES = json.loads((Path(__file__).parent / "cases" / "restated.json").read_text("utf-8"))["cases"]
# Each article opens with words of its own, so that no two are copies of one another.
LEADS = ("Harbour desk notes follow.", "Valley bureau report, second edition.")


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_restated_sentences(case: dict, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    rows = [{"id": f"a{number}", "title": f"Note {number}", "published": "2025-06-01",
             "text": f"{LEADS[number % 2]} {text}"} for number, text in enumerate(case["articles"])]
    corpus.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), "utf-8")
    result = run([corpus])
    assert sorted({finding.code for finding in result.findings}) == sorted(case["codes"])
    for finding in result.findings:
        assert finding.reason.startswith("same sentence in 2 articles")


@pytest.mark.parametrize(
    ("sentence", "figure", "masked"),
    [
        ("His score is equal to or less than 30 in 2009, up 12%.", "less than 30",
         "his score is equal to or less than @ in # up #"),
        ("How will I look like twenty-one years and six months in the future?", "six months",
         "how will i look like # years and @ months in the future"),
        ("I want a dozen eggs from the shop", "a dozen", "i want @ eggs from the shop"),
        ("Is it still the case when >30", ">30", "is it still the case when > @"),
        ("本期开奖结束后，奖池金额攀升至３６.57亿元。", "３６.57亿元",
         "本期开奖结束后 奖池金额攀升至 @ 亿元"),
    ],
)
def test_a_restated_sentence_masks_numbers_and_keeps_words(
    sentence: str, figure: str, masked: str
) -> None:
    start = sentence.index(figure)
    assert restated_sentence(sentence, (start, start + len(figure))) == masked


def test_words_are_counted_without_numbers() -> None:
    assert restated_words("the weight is @ kg") == 4
    assert restated_words("# 万 # 千 @ 百") == 0
    assert restated_words("本期开奖结束后 奖池金额攀升至 @ 亿元") == 4 + 4 + 1
