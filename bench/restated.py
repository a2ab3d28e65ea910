"""Restated slips: each figure-bearing sentence, restated in a second article, once with one figure
x10 and once unchanged; are the slips flagged, the unchanged restatements left alone, and no two
unrelated sentences paired?

Sentences come from the extraction suites in ../shared/benchmarks (quantulum3 `quantities.json`,
`quantities.ambiguity.json` and the inputs of `expand.json`; every Recognizers-Text `Number` and
`NumberWithUnit` model file, English and Chinese) and from the sentences of seeds/
(`checker.ingest.read_corpus` + `checker.sentences.split_sentences`). Whitespace is collapsed;
a sentence is kept when numcheck's extractor finds a figure in it that is not a date; the same
text is kept once (the first suite that has it).

For each sentence two articles are written, A (the sentence as is) and B (its restatement):
- slipped variant: in B the first figure that can be rewritten cleanly has its number x10, by
  moving the decimal point in its digits ("1.8" -> "18", "300" -> "3000", "1,500,000" ->
  "15,000,000", "36.57亿" -> "365.7亿"); figures in words, with two numbers ("2 1/2", ranges),
  or percentages that would pass 100% are skipped, and the rewrite counts only when the
  extractor reads the new figure as 10x the old one in the same unit;
- unchanged variant: B holds the sentence as is.
Each article has a title and one or more figure-free lead sentences of made-up words of its
own, added until checker.copies.same_article no longer takes A and B for copies (numcheck
collapses copies into one source). Every article is dated 2025-06-01.

All pairs of a variant go into one corpus folder of JSON Lines files, and `checker.run` reads it
once, in this process. Findings are attributed through their claim_ids: claim -> article ->
sentence. Reported, by suite:
- slips flagged: pairs with a finding whose claim_ids hold the original figure and its x10
  restatement (and how many of those are NC102 magnitude slips);
- unchanged flagged: pairs with a finding that sets a claim of A against one of B (a figure and
  its revision, which a finding shows as one figure's history, are not set against each other);
- unrelated pairings: findings whose claim_ids come from two or more sentences that differ in
  more than their numbers (findings across a suite's variants of one sentence, "The weight is
  20 (kg)" and "The weight is 45{kg)", are counted apart);
- coverage: of the non-date figures of the A articles, the share with an entity and a metric,
  and the share with a key.

    .venv/bin/python bench/restated.py                  # print the tables
    .venv/bin/python bench/restated.py --json out.json  # and the numbers, with examples
    .venv/bin/python bench/restated.py --write          # and record them in bench/RESULTS.md
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import json
import platform
import re
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from checker.claims import restated_words  # noqa: E402
from checker.copies import copies, normalized_body, same_article  # noqa: E402
from checker.extraction import Extractor  # noqa: E402
from checker.extraction.numerals import (  # noqa: E402
    HANZI_NUMERAL_CHARS,
    NORMALIZE,
    NUMBER_WORDS,
)
from checker.ingest import read_corpus  # noqa: E402
from checker.models import Claim, Finding, Mention  # noqa: E402
from checker.rulebook import Settings  # noqa: E402
from checker.sentences import detect_lang, split_sentences  # noqa: E402

__all__ = [
    "Item",
    "Pair",
    "attribute",
    "build_pairs",
    "load_sentences",
    "slipped",
    "times_ten",
    "write_corpus",
]

DEFAULT_SUITES = ROOT.parent / "shared" / "benchmarks"
SEEDS = ROOT / "seeds"
PUBLISHED = "2025-06-01"
REFERENCE = date.fromisoformat(PUBLISHED)
ARTICLES_PER_FILE = 500
MAX_LEADS = 12
SECTION = "restated"
VARIANTS = ("unchanged", "slipped")

QUANTULUM_FILES = ("quantities.json", "quantities.ambiguity.json", "expand.json")
SUITE_ORDER = (
    "quantulum3", "rt/en/number", "rt/en/numberwithunit", "rt/zh/number", "rt/zh/numberwithunit",
    "seeds",
)
BENCHMARK_SUITES = SUITE_ORDER[:-1]
# The benchmark sentences are unrelated to one another, so a finding across two of them pairs
# figures it should not. The seeds sentences share their topics (the same reserves and shares
# restated by several articles), so they are a corpus of their own, whose findings across
# sentences are its own disagreements, reported apart.
CORPORA = (("benchmarks", BENCHMARK_SUITES), ("seeds", ("seeds",)))
# The seeds are read with the pack their folder names (seeds/numcheck.toml); the benchmark
# sentences with the stock lexicon.
PACKS = {"seeds": ("rare-earths",)}

_NUMERAL = re.compile(r"\d[\d,]*(?:\.\d+)?")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DOC = re.compile(r"s(\d{5})([ab])$")
_LETTERS = re.compile(r"[^\W\d_]+")
_NO_HANZI_NUMERALS = str.maketrans("", "", HANZI_NUMERAL_CHARS)


@dataclass(frozen=True, slots=True)
class Item:
    """A sentence of a suite, with the figures the extractor finds in it alone."""

    suite: str
    text: str
    lang: str
    mentions: tuple[Mention, ...] = ()


@dataclass(slots=True)
class Pair:
    """One sentence's two articles: A (as is) and B (restated), with their figure-free leads.

    `figure` is the mention of the sentence rewritten x10 in `slip` (None: none could be), at
    `slip_span` in the slipped sentence."""

    index: int
    item: Item
    leads_a: list[str] = field(default_factory=list)
    leads_b: list[str] = field(default_factory=list)
    titles: tuple[str, str] = ("", "")
    figure: Mention | None = None
    slip: str | None = None
    slip_span: tuple[int, int] | None = None
    skipped: str = ""  # why no figure of the sentence was rewritten

    def body(self, side: str, variant: str) -> str:
        leads = self.leads_a if side == "a" else self.leads_b
        sentence = self.slip if side == "b" and variant == "slipped" else self.item.text
        assert sentence is not None
        return _joined([*leads, sentence], self.item.lang)

    def sentence_offset(self, side: str) -> int:
        """Where the sentence begins in the body of article `side`."""
        leads = self.leads_a if side == "a" else self.leads_b
        return len(_joined([*leads, ""], self.item.lang))


def _joined(parts: Sequence[str], lang: str) -> str:
    return ("" if lang == "zh" else " ").join(parts)


# ---------------------------------------------------------------------------------------------
# sentences


def suite_inputs(suites: Path) -> Iterator[tuple[str, str]]:
    """(suite, input) for every input of the benchmark suites, in file order."""
    for name in QUANTULUM_FILES:
        path = suites / "quantulum3" / name
        for case in json.loads(path.read_text("utf-8")):
            if isinstance(case, dict) and isinstance(case.get("req"), str):
                yield "quantulum3", case["req"]
    rt = suites / "recognizers-text"
    for kind in ("Number", "NumberWithUnit"):
        for language, code in (("English", "en"), ("Chinese", "zh")):
            for path in sorted((rt / kind / language).glob("*.json")):
                for case in json.loads(path.read_text("utf-8-sig")):
                    if isinstance(case, dict) and isinstance(case.get("Input"), str):
                        yield f"rt/{code}/{kind.lower()}", case["Input"]


def seed_inputs(seeds: Path) -> Iterator[tuple[str, str]]:
    corpus = read_corpus([seeds])
    for document in corpus.documents:
        for sentence in split_sentences(document):
            yield "seeds", sentence.text


def clean(text: str) -> str:
    return " ".join(text.split())


def load_sentences(
    inputs: Iterable[tuple[str, str]], extractor: Extractor
) -> tuple[list[Item], Counter[str]]:
    """The inputs with a non-date figure, whitespace collapsed, each text once; and how many
    inputs each suite had."""
    seen: set[str] = set()
    items: list[Item] = []
    total: Counter[str] = Counter()
    for suite, raw in inputs:
        total[suite] += 1
        text = clean(raw)
        if not text or text in seen:
            continue
        seen.add(text)
        lang = detect_lang(text)
        mentions = tuple(extractor.mentions(text, lang, REFERENCE))
        if any(mention.dimension != "date" for mention in mentions):
            items.append(Item(suite, text, lang, mentions))
    return items, total


# ---------------------------------------------------------------------------------------------
# the x10 rewrite


def times_ten(digits: str) -> str | None:
    """The numeral `digits` ("1.8", "1,500,000", "300") x10, written as it was (grouping kept):
    the decimal point moves one place right. None when it cannot be written cleanly."""
    grouped = "," in digits
    if grouped and not _GROUPED.fullmatch(digits):
        return None
    whole, _, fraction = digits.replace(",", "").partition(".")
    whole, fraction = whole + (fraction[:1] or "0"), fraction[1:]
    whole = whole.lstrip("0") or "0"
    if grouped:
        whole = f"{int(whole):,}"
    return whole + ("." + fraction if fraction else "")


def slipped(text: str, mention: Mention) -> tuple[str, tuple[int, int]] | None:
    """`text` with the figure of `mention` x10 and the figure's new span; None when the figure
    has no single numeral in digits to rewrite."""
    surface = text[mention.start:mention.end]
    numerals = list(_NUMERAL.finditer(surface))
    if len(numerals) != 1:
        return None
    numeral = numerals[0]
    start, end = mention.start + numeral.start(), mention.start + numeral.end()
    # a numeral running on outside the figure ("2.5" read as "5") is not the figure's whole number
    before, after = text[max(0, start - 2):start], text[end:end + 2]
    if before[-1:].isdigit() or (before[-1:] in (".", ",") and before[:1].isdigit()):
        return None
    if after[:1].isdigit() or (after[:1] in (".", ",") and after[1:2].isdigit()):
        return None
    new = times_ten(numeral.group())
    if new is None:
        return None
    rewritten = text[:start] + new + text[end:]
    return rewritten, (mention.start, mention.end + len(new) - len(numeral.group()))


def choose_slip(item: Item, extractor: Extractor) -> tuple[Mention, str, tuple[int, int]] | str:
    """The first figure of the sentence that can be rewritten x10, the slipped sentence and the
    new figure's span; else why none could be."""
    why = "no figure in digits"
    for mention in item.mentions:
        if mention.dimension == "date":
            continue
        if mention.dimension == "percent" and abs(mention.stated_value) * 10 > 100:
            why = "a percentage above 100% x10"
            continue
        found = slipped(item.text, mention)
        if found is None:
            continue
        text, span = found
        expected = mention.stated_value * 10
        for new in extractor.mentions(text, item.lang, REFERENCE):
            if new.start < span[1] and span[0] < new.end and new.dimension == mention.dimension \
                    and new.stated_unit == mention.stated_unit \
                    and abs(new.stated_value - expected) <= 1e-9 * max(1.0, abs(expected)):
                return mention, text, (new.start, new.end)
        why = "the rewrite is not read as x10"
    return why


# ---------------------------------------------------------------------------------------------
# the articles


_CONSONANTS = "bdfgklmnprstvz"
_VOWELS = "aeiou"
# Chinese characters with no numeral, unit, date or place word among them
_HAN = "编辑部报道评论专栏记者采访综述观察目读来信社区文化生活版面刊晨晚特稿随笔杂谈说明栏注释"


def _stream(*seed: object) -> Iterator[int]:
    counter = 0
    while True:
        digest = hashlib.blake2b(repr((seed, counter)).encode(), digest_size=32).digest()
        yield from digest
        counter += 1


def lead_sentence(lang: str, *seed: object) -> str:
    """A figure-free sentence of made-up words (made-up characters' order in Chinese)."""
    bytes_ = _stream(*seed)
    if lang == "zh":
        return "".join(_HAN[next(bytes_) % len(_HAN)] for _ in range(14)) + "。"
    words = []
    for _ in range(7):
        syllables = 2 + next(bytes_) % 2
        words.append("".join(_CONSONANTS[next(bytes_) % len(_CONSONANTS)] +
                             _VOWELS[next(bytes_) % len(_VOWELS)] for _ in range(syllables)))
    return " ".join(words) + "."  # lower case: made-up words capitalised would read as names


def title(index: int, side: str) -> str:
    bytes_ = _stream("title", index, side)
    word = "".join(_CONSONANTS[next(bytes_) % len(_CONSONANTS)] + _VOWELS[next(bytes_) % 5]
                   for _ in range(3))
    return f"Desk notes {word} {index:05d}{side}"


def are_copies(first: str, second: str, settings: Settings) -> bool:
    """Whether numcheck takes two bodies for copies of one article (checker.group)."""
    return same_article(normalized_body(first), normalized_body(second), settings)


def build_pairs(items: Sequence[Item], extractor: Extractor, settings: Settings) -> list[Pair]:
    """A pair of articles per sentence, with its x10 rewrite (when one can be made) and enough
    leads that neither variant's A and B are copies."""
    pairs = []
    for index, item in enumerate(items):
        pair = Pair(index, item, titles=(title(index, "a"), title(index, "b")))
        chosen = choose_slip(item, extractor)
        if isinstance(chosen, str):
            pair.skipped = chosen
        else:
            pair.figure, pair.slip, pair.slip_span = chosen
        variants = ("unchanged", "slipped") if pair.slip is not None else ("unchanged",)
        while len(pair.leads_a) < MAX_LEADS:
            number = len(pair.leads_a)
            for side, leads in (("a", pair.leads_a), ("b", pair.leads_b)):
                candidate = number
                while True:  # a lead the extractor reads a figure in is drawn again
                    lead = lead_sentence(item.lang, index, side, candidate)
                    if not extractor.mentions(lead, item.lang, REFERENCE):
                        break
                    candidate += 1000
                leads.append(lead)
            if not any(are_copies(pair.body("a", v), pair.body("b", v), settings)
                       for v in variants):
                break
        else:
            raise RuntimeError(f"sentence {index}: its articles stay copies: {item.text[:80]!r}")
        pairs.append(pair)
    return pairs


@dataclass(frozen=True, slots=True)
class Placed:
    """Where an article's body lies in the file written: its first character's offset in the
    decoded file, and the offset in the file of each of its characters (JSON escapes take
    more than one)."""

    pair: int
    side: str
    value_start: int
    raw_offsets: tuple[int, ...]

    def body_index(self, file_offset: int) -> int:
        """The character of the body at a file offset (the one whose escape holds it)."""
        return max(0, bisect.bisect_right(self.raw_offsets, file_offset - self.value_start) - 1)


def write_corpus(pairs: Sequence[Pair], variant: str, folder: Path) -> dict[str, Placed]:
    """The variant's articles as JSON Lines files in `folder`; article id -> where it is."""
    placed: dict[str, Placed] = {}
    records = []
    for pair in pairs:
        if variant == "slipped" and pair.slip is None:
            continue
        for side in "ab":
            records.append((pair, side))
    for number in range(0, len(records), ARTICLES_PER_FILE):
        lines = []
        offset = 0
        for pair, side in records[number:number + ARTICLES_PER_FILE]:
            doc_id = f"s{pair.index:05d}{side}"
            body = pair.body(side, variant)
            head = json.dumps({"id": doc_id, "title": pair.titles[side == "b"],
                               "published": PUBLISHED}, ensure_ascii=False)[:-1] + ', "text": "'
            raw, raw_offsets = [], []
            position = 0
            for char in body:
                raw_offsets.append(position)
                escaped = json.dumps(char, ensure_ascii=False)[1:-1]
                raw.append(escaped)
                position += len(escaped)
            line = head + "".join(raw) + '"}'
            placed[doc_id] = Placed(pair.index, side, offset + len(head), tuple(raw_offsets))
            lines.append(line)
            offset += len(line) + 1
        name = f"{variant}-{number // ARTICLES_PER_FILE:03d}.jsonl"
        (folder / name).write_text("\n".join(lines) + "\n", "utf-8")
    return placed


# ---------------------------------------------------------------------------------------------
# attribution


@dataclass(frozen=True, slots=True)
class Located:
    """A claim of the run, in its article: which pair, which side, and its span in the pair's
    sentence (None for a claim of a lead)."""

    claim: Claim
    pair: int
    side: str
    span: tuple[int, int] | None


def locate(claims: Iterable[Claim], placed: dict[str, Placed], pairs: Sequence[Pair],
           variant: str) -> dict[str, Located]:
    """claim_id -> where the claim stands among the pairs."""
    located = {}
    for claim in claims:
        match = _DOC.search(claim.doc_id)
        if match is None:
            raise ValueError(f"a claim of an article not written here: {claim.claim_id}")
        where = placed[match.group(0)]
        pair = pairs[where.pair]
        begin = pair.sentence_offset(where.side)
        start = where.body_index(claim.start) - begin
        end = where.body_index(claim.end - 1) + 1 - begin
        length = len(pair.body(where.side, variant)) - begin
        span = (start, end) if start >= 0 and end <= length else None
        located[claim.claim_id] = Located(claim, where.pair, where.side, span)
    return located


def _overlaps(span: tuple[int, int] | None, other: tuple[int, int]) -> bool:
    return span is not None and span[0] < other[1] and other[0] < span[1]


@dataclass(slots=True)
class Attribution:
    """The findings of one variant's run, attributed to the pairs."""

    flagged: set[int] = field(default_factory=set)  # pairs whose A and B a finding pairs
    slips: set[int] = field(default_factory=set)  # pairs with the slipped figure and its original
    slips_by_code: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    unrelated: list[Finding] = field(default_factory=list)  # findings across sentences
    # findings across sentences that differ in their numbers only (a suite's variants of one
    # sentence: "The weight is 20 (kg)", "The weight is 45{kg)"): one sentence restated
    variants: list[Finding] = field(default_factory=list)
    unrelated_pairs: set[tuple[int, int]] = field(default_factory=set)
    lead_claims: int = 0

    def merge(self, other: Attribution) -> None:
        self.flagged |= other.flagged
        self.slips |= other.slips
        self.slips_by_code.update(other.slips_by_code)
        self.unrelated += other.unrelated
        self.variants += other.variants
        self.unrelated_pairs |= other.unrelated_pairs
        self.lead_claims += other.lead_claims


def _apart(finding: Finding, first: str, second: str) -> bool:
    """Whether a finding sets two of its claims against each other: on different sides (a
    finding without sides: both among its claim_ids)."""
    if not finding.sides:
        return first in finding.claim_ids and second in finding.claim_ids
    earlier = {pair[0] for pair in finding.revisions}
    later = {pair[1] for pair in finding.revisions}
    if {first, second} <= earlier | later and ({first, second} & earlier) and (
            {first, second} & later):
        return False  # the finding shows them as one figure's history (a revision), not rivals
    side = {claim_id: number for number, ids in enumerate(finding.sides) for claim_id in ids}
    return first in side and second in side and side[first] != side[second]


def numbers_masked(item: Item) -> str:
    """A sentence's words less its figures (the extractor's) and numerals, folded: two sentences
    alike in this differ in their numbers only."""
    text, position, parts = item.text, 0, []
    for mention in sorted(item.mentions, key=lambda m: m.start):
        parts.append(text[position:max(position, mention.start)])
        position = max(position, mention.end)
    parts.append(text[position:])
    folded = unicodedata.normalize("NFKC", " ".join(parts).translate(NORMALIZE)).casefold()
    words = (word.translate(_NO_HANZI_NUMERALS) for word in _LETTERS.findall(folded)
             if word not in NUMBER_WORDS)
    return " ".join(word for word in words if word)


def attribute(findings: Iterable[Finding], located: dict[str, Located], pairs: Sequence[Pair],
              variant: str) -> Attribution:
    """Which pairs' A and B each finding sets against each other, whether it does so for a
    slipped figure and its original, and which findings hold figures of different sentences."""
    result = Attribution()
    result.lead_claims = sum(1 for where in located.values() if where.span is None)
    for finding in findings:
        members = [located[claim_id] for claim_id in finding.claim_ids if claim_id in located]
        sentences = sorted({where.pair for where in members})
        if len({numbers_masked(pairs[index].item) for index in sentences}) > 1:
            result.unrelated.append(finding)
            result.unrelated_pairs.update(
                (a, b) for i, a in enumerate(sentences) for b in sentences[i + 1:])
        elif len(sentences) > 1:
            result.variants.append(finding)
        for index in sentences:
            ours = [where for where in members if where.pair == index]
            in_a = [w for w in ours if w.side == "a"]
            in_b = [w for w in ours if w.side == "b"]
            if not any(_apart(finding, a.claim.claim_id, b.claim.claim_id)
                       for a in in_a for b in in_b):
                continue
            result.flagged.add(index)
            pair = pairs[index]
            if variant != "slipped" or pair.figure is None or pair.slip_span is None:
                continue
            original = (pair.figure.start, pair.figure.end)
            if any(_apart(finding, a.claim.claim_id, b.claim.claim_id)
                   for a in in_a if _overlaps(a.span, original)
                   for b in in_b if _overlaps(b.span, pair.slip_span)):
                result.slips.add(index)
                result.slips_by_code[index].add(finding.code)
    return result

# ---------------------------------------------------------------------------------------------
# the run


def run_variant(
    pairs: Sequence[Pair], variant: str, lexicons: Sequence[str] = ()
) -> tuple[Any, dict[str, Located], float]:
    """One corpus of `pairs` read by checker.run (with the packs `lexicons`, as the corpus the
    sentences come from is read); the result, its claims located among the pairs
    (`pairs[i].index == i` throughout), and the seconds checker.run took."""
    import checker

    with tempfile.TemporaryDirectory(prefix=f"restated-{variant}-") as folder:
        placed = write_corpus(pairs, variant, Path(folder))
        started = time.perf_counter()
        result = checker.run([folder], lexicons=lexicons)
        seconds = time.perf_counter() - started
    problems = [str(problem) for problem in result.problems]
    if problems:
        raise RuntimeError("the corpus was not read cleanly: " + "; ".join(problems[:5]))
    return result, placed, seconds


def _rate(part: int, whole: int) -> str:
    return f"{part}/{whole} {100 * part / whole:.1f}%" if whole else "0/0 -"


def _examples(found: Sequence[Finding], located: dict[str, Located], pairs: Sequence[Pair],
              limit: int = 20) -> list[dict[str, Any]]:
    return [{
        "code": finding.code, "key": finding.key, "message": finding.message,
        "claims": [{"suite": pairs[located[c].pair].item.suite,
                    "sentence": pairs[located[c].pair].item.text,
                    "article": located[c].side, "surface": located[c].claim.surface,
                    "key": str(located[c].claim.key or "")}
                   for c in finding.claim_ids if c in located],
    } for finding in found[:limit]]


def measure(pairs: Sequence[Pair], totals: Counter[str]) -> dict[str, Any]:
    """Both variants of every corpus read and attributed; the numbers by suite."""
    started = time.perf_counter()
    settings = Settings.load()
    runs = {variant: Attribution() for variant in VARIANTS}
    located: dict[str, dict[str, Located]] = {variant: {} for variant in VARIANTS}
    corpora: dict[str, dict[str, Any]] = {}
    cross: dict[str, dict[str, list[Finding]]] = {}
    for corpus, members in CORPORA:
        subset = [pair for pair in pairs if pair.item.suite in members]
        if not subset:
            continue
        corpora[corpus] = {}
        cross[corpus] = {}
        for variant in VARIANTS:
            written = [pair for pair in subset if variant == "unchanged" or pair.slip is not None]
            result, placed, seconds = run_variant(written, variant, PACKS.get(corpus, ()))
            where = locate(result.claims, placed, pairs, variant)
            roots = copies(result.documents, settings)
            as_copies = sum(1 for pair in written if roots.get(f"s{pair.index:05d}a", "a")
                            == roots.get(f"s{pair.index:05d}b", "b"))
            found = attribute(result.findings, where, pairs, variant)
            runs[variant].merge(found)
            located[variant].update(where)
            cross[corpus][variant] = found.unrelated
            corpora[corpus][variant] = {
                "articles": len(result.documents), "claims": len(result.claims),
                "findings": len(result.findings), "cross_sentence_findings": len(found.unrelated),
                "variant_findings": len(found.variants),
                "cross_sentence_pairs": len(found.unrelated_pairs),
                "pairs_taken_for_copies": as_copies,
                "seconds": round(seconds, 2),
            }

    figures_by_pair: dict[int, list[Claim]] = defaultdict(list)
    for where in located["unchanged"].values():
        if where.side == "a" and where.span is not None and where.claim.dimension != "date":
            figures_by_pair[where.pair].append(where.claim)
    in_cross: set[int] = set()
    for variant in VARIANTS:
        for finding in runs[variant].unrelated:
            in_cross.update(located[variant][c].pair for c in finding.claim_ids
                            if c in located[variant])
    keyed = _keyed_slipped_figures(pairs, located["slipped"])
    slipped_run = runs["slipped"]

    # slips in sentences with words enough to be compared as restated (rules/comparison.toml)
    worded = {pair.index for pair in pairs if pair.slip is not None and restated_words(
        numbers_masked(pair.item)) >= settings.restated_min_words}
    groups = {suite: [suite] for suite in SUITE_ORDER}
    groups["benchmarks"] = list(BENCHMARK_SUITES)
    groups["all"] = list(SUITE_ORDER)
    suites: dict[str, dict[str, Any]] = {}
    for name, members in groups.items():
        chosen = [pair for pair in pairs if pair.item.suite in members]
        indices = {pair.index for pair in chosen}
        figures = [claim for index in sorted(indices) for claim in figures_by_pair[index]]
        suites[name] = {
            "inputs": sum(totals[suite] for suite in members),
            "sentences": len(chosen),
            "slips": sum(1 for pair in chosen if pair.slip is not None),
            "slips_flagged": len(slipped_run.slips & indices),
            "worded_slips": len(worded & indices),
            "worded_slips_flagged": len(slipped_run.slips & worded & indices),
            "slips_flagged_nc102": sum(1 for index in slipped_run.slips & indices
                                       if "NC102" in slipped_run.slips_by_code[index]),
            "slipped_figure_keyed": sum(1 for index in indices if keyed.get(index)),
            "not_slipped": dict(sorted(Counter(pair.skipped for pair in chosen
                                               if pair.slip is None).items())),
            "unchanged": len(chosen),
            "unchanged_flagged": len(runs["unchanged"].flagged & indices),
            "sentences_in_cross_sentence_findings": len(in_cross & indices),
            "figures": len(figures),
            "with_entity_and_metric": sum(1 for claim in figures if claim.entity and claim.metric),
            "with_key": sum(1 for claim in figures if claim.key),
            "dimensions_without_key": dict(Counter(
                claim.dimension for claim in figures if not claim.key).most_common()),
        }

    missed = [pair for pair in pairs
              if pair.slip is not None and pair.index not in slipped_run.slips]
    return {
        "date": date.today().isoformat(),
        "min_words": settings.restated_min_words,
        "suites": suites,
        "corpora": corpora,
        "unrelated_findings": {variant: len(cross.get("benchmarks", {}).get(variant, []))
                               for variant in VARIANTS},
        "lead_claims": sum(run.lead_claims for run in runs.values()),
        "seconds": {"runs": round(sum(run[v]["seconds"] for run in corpora.values()
                                      for v in VARIANTS if v in run), 2),
                    "measure": round(time.perf_counter() - started, 2)},
        "examples": {
            **{f"cross_sentence_{corpus}_{variant}": _examples(found, located[variant], pairs)
               for corpus, by_variant in cross.items() for variant, found in by_variant.items()},
            "unchanged_flagged": [pairs[i].item.text for i in sorted(runs["unchanged"].flagged)],
            "slips_missed": [{"suite": p.item.suite, "sentence": p.item.text, "slip": p.slip,
                              "figure": p.figure.surface if p.figure else "",
                              "key": keyed.get(p.index, "")} for p in missed],
        },
    }


def _keyed_slipped_figures(pairs: Sequence[Pair], located: dict[str, Located]) -> dict[int, str]:
    """pair index -> the key of its original slipped figure in article A ("" when none)."""
    keys: dict[int, str] = {}
    for where in located.values():
        pair = pairs[where.pair]
        if where.side != "a" or pair.figure is None:
            continue
        if _overlaps(where.span, (pair.figure.start, pair.figure.end)) and where.claim.key:
            keys[where.pair] = str(where.claim.key)
    return keys


# ---------------------------------------------------------------------------------------------
# output


def table(numbers: dict[str, Any]) -> str:
    rows = [
        "| suite | inputs | sentences | slips made | slips flagged | of them NC102 "
        "| slips in sentences of enough words: flagged "
        "| slipped figure keyed | unchanged flagged | sentences in cross-sentence findings "
        "| non-date figures | entity+metric | key |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in numbers["suites"].items():
        label = f"**{name}**" if name in ("benchmarks", "all") else name
        rows.append(
            f"| {label} | {row['inputs']:,} | {row['sentences']:,} | {row['slips']:,} "
            f"| {_rate(row['slips_flagged'], row['slips'])} | {row['slips_flagged_nc102']} "
            f"| {_rate(row['worded_slips_flagged'], row['worded_slips'])} "
            f"| {_rate(row['slipped_figure_keyed'], row['slips'])} "
            f"| {_rate(row['unchanged_flagged'], row['unchanged'])} "
            f"| {row['sentences_in_cross_sentence_findings']} "
            f"| {row['figures']:,} | {_rate(row['with_entity_and_metric'], row['figures'])} "
            f"| {_rate(row['with_key'], row['figures'])} |"
        )
    return "\n".join(rows)


def runs_table(numbers: dict[str, Any]) -> str:
    rows = [
        "| corpus | variant | articles | claims | findings | cross-sentence findings "
        "| sentence pairs in them | findings across variants of one sentence "
        "| A and B taken for copies | checker.run |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for corpus, by_variant in numbers["corpora"].items():
        for variant, run in by_variant.items():
            rows.append(
                f"| {corpus} | {variant} | {run['articles']:,} | {run['claims']:,} "
                f"| {run['findings']:,} | {run['cross_sentence_findings']} "
                f"| {run['cross_sentence_pairs']} | {run['variant_findings']} "
                f"| {run['pairs_taken_for_copies']} "
                f"| {run['seconds']:.2f} s |")
    return "\n".join(rows)


def _share(part: int, whole: int) -> float:
    return 100 * part / whole if whole else 0.0


def goals(numbers: dict[str, Any]) -> list[str]:
    every, bench, seeds = (numbers["suites"][name] for name in ("all", "benchmarks", "seeds"))

    def verdict(ok: bool) -> str:
        return "met" if ok else "not met"

    slip = _share(every["slips_flagged"], every["slips"])
    unrelated = sum(numbers["unrelated_findings"].values())
    bench_cov = _share(bench["with_entity_and_metric"], bench["figures"])
    seeds_cov = _share(seeds["with_entity_and_metric"], seeds["figures"])
    return [
        f"slips flagged: {every['slips_flagged']}/{every['slips']} {slip:.1f}% (goal >= 90%): "
        f"{verdict(slip >= 90)}; in sentences of at least {numbers['min_words']} words besides "
        f"their numbers: {_rate(every['worded_slips_flagged'], every['worded_slips'])}",
        f"unchanged restatements flagged: {every['unchanged_flagged']} of {every['unchanged']} "
        f"(goal 0): {verdict(every['unchanged_flagged'] == 0)}",
        f"findings pairing figures of two unrelated sentences (benchmark corpus): {unrelated} "
        f"({numbers['unrelated_findings']['unchanged']} unchanged, "
        f"{numbers['unrelated_findings']['slipped']} slipped; goal 0): {verdict(unrelated == 0)}",
        f"coverage (entity and metric) on the benchmark sentences: {bench_cov:.1f}% "
        f"(goal >= 70%): {verdict(bench_cov >= 70)}",
        f"coverage (entity and metric) on the seeds/ sentences: {seeds_cov:.1f}% "
        f"(goal: not below 79%): {verdict(seeds_cov >= 79)}",
    ]


def _notes(numbers: dict[str, Any]) -> list[str]:
    examples = numbers["examples"]
    notes = []
    flagged = examples["unchanged_flagged"]
    if flagged:
        shown = "; ".join(repr(text) for text in flagged[:3])
        notes.append(f"- Unchanged restatements flagged ({len(flagged)}): {shown}"
                     + (" ..." if len(flagged) > 3 else "") + ".")
    keyed = [miss for miss in examples["slips_missed"] if miss["key"]]
    if keyed:
        shown = "; ".join(f"{miss['figure']!r} x10 ({miss['key']})" for miss in keyed[:8])
        notes.append(f"- Slips missed though the figure had a key ({len(keyed)}): {shown}"
                     + (" ..." if len(keyed) > 8 else "") + ".")
    return notes


def section(numbers: dict[str, Any], command: str) -> str:
    seconds = numbers["seconds"]
    seeds_cross = numbers["corpora"].get("seeds", {})
    cross = ", ".join(f"{run['cross_sentence_findings']} {variant}"
                      for variant, run in seeds_cross.items())
    skipped: Counter[str] = Counter(numbers["suites"]["all"]["not_slipped"])
    return "\n".join([
        "## Restated slips (bench/restated.py)",
        "",
        f"Date: {numbers['date']}. Commit: {numbers.get('commit') or 'unknown'}. Machine: "
        f"{platform.machine()}, Python {platform.python_version()} ({platform.system()}).",
        "",
        "Each sentence with a non-date figure (quantulum3 `quantities`, `quantities.ambiguity` "
        "and `expand`; Recognizers-Text `Number` and `NumberWithUnit`, English and Chinese; "
        "seeds/; whitespace collapsed, each text once) is restated in a second article with a "
        "title and figure-free lead sentences of its own (not copies to checker.group): once "
        "with one figure x10, once unchanged. The benchmark sentences are one corpus, the seeds "
        "sentences another; each variant of each is read once by `checker.run`, in one process. "
        "A slip counts as flagged when a finding sets the original figure and its x10 "
        "restatement on different sides; an unchanged restatement when a finding sets a claim "
        "of the sentence against its copy. Coverage is over the non-date figures of the "
        "original articles. A finding across two sentences that differ in their numbers only "
        "(a suite's variants of one sentence: \"The weight is 20 (kg)\", \"The weight is "
        "45{kg)\") is counted apart, not as unrelated: numcheck compares the same sentence "
        "restated with other numbers on purpose. The docstring of bench/restated.py says more.",
        "",
        "Reproduce from the repository root (`--suites DIR` when the benchmarks are not in "
        "`../shared/benchmarks`; `--json PATH` writes the numbers and examples):",
        "",
        "```sh",
        command,
        "```",
        "",
        table(numbers),
        "",
        runs_table(numbers),
        "",
        *(f"- {line}" for line in goals(numbers)),
        "- Sentences with no slip made: "
        + "; ".join(f"{why} {count}" for why, count in skipped.most_common()) + ".",
        f"- Findings across seeds sentences ({cross}): the seeds restate the same quantities "
        "in several articles, so these are the seeds' own disagreements; not counted as "
        "unrelated.",
        *_notes(numbers),
        f"- Claims read in the lead sentences: {numbers['lead_claims']}.",
        f"- Runtime: {seconds['total']:.1f} s in all: {seconds['build']:.1f} s reading the "
        f"sentences and building the articles, {seconds['runs']:.1f} s in `checker.run`.",
    ])


def _commit() -> str:
    """The checked-out commit of the code measured (a tree with changes is marked so)."""
    import subprocess

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True,
                              check=True).stdout.strip()

    try:
        commit = git("rev-parse", "--short", "HEAD")
        changed = git("status", "--porcelain", "--untracked-files=no", "--", "checker", "rules")
    except (OSError, subprocess.CalledProcessError):
        return ""
    return commit + (" with uncommitted changes to checker/ or rules/" if changed else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suites", type=Path, default=DEFAULT_SUITES,
                        help="the benchmarks folder (default: ../shared/benchmarks)")
    parser.add_argument("--seeds", type=Path, default=SEEDS)
    parser.add_argument("--limit", type=int, help="the first N sentences only (a quick look)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="write the numbers as JSON")
    parser.add_argument("--write", action="store_true", help="record in bench/RESULTS.md")
    args = parser.parse_args(argv)
    if not args.suites.is_dir():
        parser.error(f"no benchmarks folder at {args.suites} (see --suites)")

    started = time.perf_counter()
    extractor = Extractor()
    settings = Settings.load()
    inputs = [*suite_inputs(args.suites), *seed_inputs(args.seeds)]
    items, totals = load_sentences(inputs, extractor)
    if args.limit:
        items = items[:args.limit]
    pairs = build_pairs(items, extractor, settings)
    built = time.perf_counter() - started
    numbers = measure(pairs, totals)
    numbers["commit"] = _commit()
    numbers["seconds"]["build"] = round(built, 2)
    numbers["seconds"]["total"] = round(time.perf_counter() - started, 2)

    print(table(numbers))
    print()
    print(runs_table(numbers))
    print()
    for line in goals(numbers):
        print(f"- {line}")
    print(f"- seconds: {numbers['seconds']}")
    if args.json:
        args.json.write_text(json.dumps(numbers, ensure_ascii=False, indent=2) + "\n", "utf-8")
    if args.write:
        from sections import write_section

        command = ".venv/bin/python bench/restated.py --write"
        if args.limit:
            command += f" --limit {args.limit}"
        write_section(SECTION, section(numbers, command))
    return 0


if __name__ == "__main__":
    sys.exit(main())
