"""Split an article body into sentences with offsets into `Document.text`.

A small regex splitter: it knows English and Chinese end punctuation, line breaks, the
" - " bullets and "Group N:" headings of exported summaries, and common abbreviations.
It looks only at candidate boundaries, never walks the text character by character.
"""

from __future__ import annotations

import re
from itertools import islice

from checker.models import Document, Sentence

__all__ = ["split_sentences", "detect_lang", "LINE_BREAK"]

# A line break that is not in the source file (an HTML block start, a JSON "\n" escape):
# it ends a sentence but does not count as a line, so line numbers stay the file's.
LINE_BREAK = "\u2029"

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_NOT_CJK = re.compile(f"[^{_CJK}]+")
_LATIN_WORD = re.compile(r"[A-Za-z]+")

# Words that end in "." without ending the sentence (compared lower-case).
# fmt: off
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "gov", "sen", "rep", "lt", "col",
    "capt", "sgt", "rev", "hon", "pres", "etc", "vs", "no", "nos", "inc", "corp", "co", "ltd",
    "bros", "dept", "univ", "fig", "figs", "approx", "est", "al", "cf", "mt", "ave", "blvd",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "mio", "mrd", "тыс",  # scale words of other languages: "28,5 Mio. Tonnen", "12,5 тыс. т"
})
# fmt: on
# "No." only abbreviates when a number follows ("No. 5"); otherwise it is the word "No".
_NEEDS_NUMBER_AFTER = frozenset({"no", "nos"})

_CLOSERS = "\"'”’」』）)\\]"
# The lookahead first: a place where no boundary can begin is passed over at once.
_BOUNDARY = re.compile(
    rf"""
    (?=[\sGPS。！？；….!?;])
    (?: (?P<hard>[\r\n\u2028{LINE_BREAK}]+)
    | (?P<zh>[。！？；…]+[{_CLOSERS}]*)
    | (?P<en>[.!?;]+[{_CLOSERS}]*)(?=\s|\Z|[{_CJK}])
    | (?P<bullet>(?<!\d)\s+-\s+|\s+-\s+(?![$€£¥]?\d))
    | (?<=\s)(?=(?:Group|Part|Section)\s+\d+\s*[:：-]) )
    """,
    re.VERBOSE,
)
_TOKEN_BEFORE = re.compile(r"[^\s\"'“‘(\[]*\Z")
_DOTTED = re.compile(r"(?:[A-Za-z]\.){2,}\Z|[A-Z]\.\Z")
_NUMBER_AFTER = re.compile(r"\s*\d")
_LIST_NUMBER = re.compile(r"\d{1,3}\.\Z")
_LEADING_BULLET = re.compile(r"(?:[-*•·]|#{1,6})\s+")  # list bullets, Markdown heading marks
_WORD_CHAR = re.compile(r"\w")


def detect_lang(text: str) -> str:
    """ "zh" when CJK characters outnumber Latin words (one hanzi ~ one word), else "en"."""
    if text.isascii():  # no CJK character, without scanning the text with a pattern
        return "en"
    cjk = len(_NOT_CJK.sub("", text))  # faster than finding each character
    if not cjk:
        return "en"
    words = sum(1 for _ in islice(_LATIN_WORD.finditer(text), cjk))  # counted as far as needed
    return "zh" if cjk > words else "en"


def split_sentences(doc: Document) -> tuple[Sentence, ...]:
    """The sentences of `doc.body`, in order, with offsets into `doc.text`."""
    text, body_start, body_end = doc.text, doc.start, doc.end
    sentences: list[Sentence] = []
    segment_start = body_start
    for match in _BOUNDARY.finditer(text, body_start, body_end):
        kind = match.lastgroup
        if kind in ("en", "zh"):
            if kind == "en" and _is_non_final_period(text, match, segment_start):
                continue
            _append(sentences, doc, segment_start, match.end())
        else:  # a line break, a bullet or the start of a heading label: not part of a sentence
            _append(sentences, doc, segment_start, match.start())
        segment_start = match.end()
    _append(sentences, doc, segment_start, body_end)
    return tuple(sentences)


def _is_non_final_period(text: str, match: re.Match[str], segment_start: int) -> bool:
    """A single "." after an abbreviation, an initial or a list number does not end a sentence."""
    if match.group("en") != ".":
        return False
    period = match.start()
    token_match = _TOKEN_BEFORE.search(text, max(segment_start, period - 24), period + 1)
    token = token_match.group() if token_match else ""
    if _DOTTED.search(token):  # U.S. e.g. i.e. a.m. J.
        return True
    word = token[:-1].lower()
    if word in _ABBREVIATIONS:
        return word not in _NEEDS_NUMBER_AFTER or bool(_NUMBER_AFTER.match(text, period + 1))
    # "1. First point" at the start of a segment is a list number, not a sentence
    if token_match is None or text[segment_start : token_match.start()].strip():
        return False
    return bool(_LIST_NUMBER.search(token))


def _append(sentences: list[Sentence], doc: Document, start: int, end: int) -> None:
    segment = doc.text[start:end]
    stripped = segment.lstrip()
    start += len(segment) - len(stripped)
    bullet = _LEADING_BULLET.match(stripped)
    if bullet:
        start += bullet.end()
        stripped = stripped[bullet.end() :]
    stripped = stripped.rstrip()
    if not _WORD_CHAR.search(stripped):
        return
    sentences.append(
        Sentence(
            doc_id=doc.doc_id,
            start=start,
            end=start + len(stripped),
            text=stripped,
            lang=detect_lang(stripped),
        )
    )
