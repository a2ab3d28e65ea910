"""What each figure is about: its entity, metric, scope and period, read from its sentence.

Stage: Claim -> Claim. The claims of one sentence are read together (a date in the sentence is
the period of the figure beside it), with their document as context. Names are read from the
text itself (checker.names: capitalised runs, acronyms, the proper nouns a Chinese segmenter
tags, places from gazetteers); measures from rules/lexicon.toml's general table, packs and the
figure's own noun phrase. This module holds the few rules that decide which word belongs to
which figure:

- clauses: a sentence is cut at , ; : ( ) and before words like "which", "while", "compared to";
  a figure's own clause is searched first.
- entity: a possessive right before the figure ("China's 99.99%"); else the nearest name in the
  clause that is not the other party ("relies on China", "exports to the US"); else, in a clause
  opened by "which", the last name before it; else the sentence's subject; else the nearest name
  in an earlier clause. A weak name (a term tagged as a proper noun, a name qualifying a noun:
  "the Lovozero mine") counts only when no other will do; a cited source ("…, the WHO said")
  only after the commodity the sentence names ("the price of gallium") and a scope word that
  names a party ("worldwide": the world). A sentence that names no party takes the party of the
  sentences before or of the title; "the company", 该公司 take the last party of their kind.
- metric: a strong trigger ("cost", "relies on") right before the figure; else the head of the
  phrase after it ("37% of global rare earth *reserves*"); else the nearest trigger before it; a
  figure whose phrases hold no noun of their own takes the metric of the clause before ("with a
  total of 28.5 million tons identified" after "... rare earth reserves"). Only metrics that
  accept the figure's dimension are considered. English triggers written in dictionary form
  match every form of the word ("sell": "sold", "sells").
- scope: lexicon scope words next to the figure, the commodity when the entity is not one, the
  other party ("with:china"), "own" for a share of the entity's own total, "each" for a
  per-party amount.
- period: the nearest date in the clause that is not a baseline ("a 3% increase from 2024");
  else, when the clause has no date, the nearest in the clauses before ("In 2022, …").

Figures that no metric covers are keyed by the noun phrase around them ("~recovery rate"), which
checker.group matches across claims with rapidfuzz. Each claim keeps the words that decided its
key in `evidence`.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import accumulate, chain
from math import prod
from types import MappingProxyType
from typing import Any

from checker.extraction.lexicon import initials
from checker.extraction.numerals import HANZI_NUMERAL_CHARS, NORMALIZE, NUMBER_WORDS, find_numerals
from checker.models import Claim, QuantityKey
from checker.names import CAPITALS, LETTERS, Name, NameReader, glossed, opens, title_case
from checker.words import Words

__all__ = [
    "WEAK_PARTIES",
    "Context",
    "Coverage",
    "Entity",
    "Lexicon",
    "Metric",
    "Scope",
    "annotate",
    "coverage",
    "is_checkable",
    "is_comparable",
    "measure",
    "period_of",
    "restated_label",
    "restated_sentence",
    "restated_words",
]

PHRASE_PREFIX = "~"  # marks a metric built from a noun phrase rather than the lexicon
_CJK = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.\-]*[A-Za-z0-9]|[A-Za-z0-9]|[\u3400-\u9fff]")
_SPLITTERS = re.compile(r"(?=[,;:()，；：（）。！？!?—])"  # one test where no splitter starts
                        r"(?:(?<!\d),|,(?!\d)|[;:()，；：（）。！？!?—])")
_NUMBER_WORDS = frozenset(
    [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred",
        "hundreds", "thousand", "thousands", "million", "millions", "billion", "billions",
        "trillion", "dozen", "dozens", "a", "an",
    ]
)
_MAX_PHRASE_WORDS = 8
_LATIN_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_CAPITALISED = re.compile(rf"(?<![{LETTERS}0-9'’.])[{CAPITALS}][{LETTERS}]+")
_POSSESSIVE_END = re.compile(r"(?:'s|’s|'|’)$")
_LOWER_WORD = re.compile(rf"(?<![{LETTERS}0-9'’.])[a-z\u00df-\u00f6\u00f8-\u00ff]+")
_GLOSS = re.compile(r"[\u3400-\u9fff]\s*[（(]\s*[A-Za-z]|[A-Za-z]\s*[（(]\s*[\u3400-\u9fff]")
# A name that qualifies a noun: after a determiner (or coordinated with one that is), before a
# lower-case word.
_COORDINATED = re.compile(r"\bthe\s+[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*\s+(?:and|or|&)\s+$")
_NOUN_AFTER = re.compile(r"(?:\s*(?:,|and|or|&)\s+[A-Z][\w.’'-]*)*\s+([a-z][a-z-]+)\b")
# A restated sentence's tokens: the number masks, comparison signs, runs of letters (a Chinese
# run whole).
_RESTATED_TOKEN = re.compile(r"[@#<>≤≥]|[^\W\d_]+")
_NO_HANZI_NUMERALS = str.maketrans("", "", HANZI_NUMERAL_CHARS)
# A "sentence" of more numbers than this is a table flattened into a line, which nobody restates:
# keying each of its figures by the whole line would cost time and memory quadratic in them.
_RESTATED_MAX_NUMERALS = 24
# Who made a revision: "… downgraded to 380,000 tons by the U.S. Geological Survey".
_BY_NAME = re.compile(r"\s+by\s+(?:the\s+)?([A-Z][\w.&’'-]*(?:\s+(?:of\s+)?[A-Z][\w.&’'-]*)*)")
# How many sentences back a figure that names no party looks for one.
_CONTEXT_SENTENCES = 2


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    label: str
    kind: str  # country | organization | company | product | commodity
    implicit: bool = False

    @property
    def is_party(self) -> bool:
        """Countries, companies, products: what a figure can be *about*, unlike a commodity."""
        return self.kind != "commodity"


@dataclass(frozen=True, slots=True)
class Metric:
    id: str
    label: str
    dimensions: frozenset[str]
    strong: bool = False
    world_share: bool = False

    def accepts(self, measure_name: str) -> bool:
        return measure_name.split(":")[-1] in self.dimensions


@dataclass(frozen=True, slots=True)
class Scope:
    id: str
    label: str
    implicit: bool = False
    before_only: bool = False
    entity: str = ""  # the party a figure with no other is about ("global": the world)


_READINGS = ("earlier_sentence", "title", "cited_source", "weak_name", "noun_phrase")


def _certainty(table: Mapping[str, Any]) -> Mapping[str, float]:
    """[certainty]: a factor in (0, 1] for each weaker reading of a key, all of them."""
    if set(table) != set(_READINGS):
        raise ValueError(f"[certainty] must give {', '.join(_READINGS)}")
    if not all(isinstance(v, int | float) and 0 < v <= 1 for v in table.values()):
        raise ValueError("[certainty] factors must be numbers above 0, at most 1")
    return MappingProxyType({reading: float(table[reading]) for reading in _READINGS})


def _lemma_phrase(text: str, words: Words) -> str:
    """"relies on" -> "rely on": each English word in its dictionary form."""
    return _LATIN_WORD.sub(lambda m: words.lemma(m.group()), text).lower()


def _alternation(words: Iterable[str]) -> str:
    """One pattern for many words; at a position the longest word wins; Latin words whole.

    The words are compiled into a trie ("rare earth", "rare earths" -> rare earth(?:s)?), which
    keeps matching fast however long the lexicon grows.
    """
    listed = sorted({word for word in words if word})
    latin = [word for word in listed if _CJK.search(word) is None]
    mixed = [word for word in listed if _CJK.search(word) is not None]
    branches = []
    if mixed:  # behind its initials: a Latin word fails one test, not one for each branch
        branches.append(f"{initials(mixed)}(?:{_trie(mixed)})")
    if latin:
        branches.append(rf"(?<![A-Za-z0-9])(?:{_trie(latin)})(?![A-Za-z0-9])")
    if not branches:
        return r"(?!x)x"
    # where no word can start, one test instead of every branch of the trie (a third of the
    # time of the metric words' pattern)
    return f"{initials(listed)}(?:{'|'.join(branches)})"


def _trie(words: Iterable[str]) -> str:
    root: dict[str, dict] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here
    return _trie_pattern(root)


def _trie_pattern(node: dict[str, dict]) -> str:
    branches = [re.escape(char) + _trie_pattern(child) for char, child in node.items() if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" not in node:
        return body
    return f"(?:{body})?"  # greedy: the longer word is tried first


@dataclass(frozen=True)
class Lexicon:
    """rules/lexicon.toml, compiled into the patterns `annotate` uses."""

    entities: Mapping[str, Entity]
    metrics: Mapping[str, Metric]
    scopes: Mapping[str, Scope]
    name_ids: Mapping[str, str]  # alias -> entity id; "" for a cited source
    trigger_ids: Mapping[str, str]  # lower-case trigger -> metric id
    scope_ids: Mapping[str, str]  # lower-case word -> scope id
    names: re.Pattern[str]
    triggers: re.Pattern[str]  # those matched as written (Chinese, inflected English)
    scope_words: re.Pattern[str]
    openers: re.Pattern[str]
    relative: frozenset[str]
    counterpart: frozenset[str]
    counterpart_fillers: frozenset[str]
    baseline: frozenset[str]
    connectors: frozenset[str]
    stops: frozenset[str]
    participle_endings: tuple[str, ...]
    plain: frozenset[str]  # stopwords, generic nouns and change words: no meaning of their own
    determiners: frozenset[str]
    subject_words: int
    phrase_key_words: int
    each_after: re.Pattern[str]
    each_before: re.Pattern[str]
    total_before: re.Pattern[str]
    total_after: re.Pattern[str]
    parties: Mapping[str, int]
    parties_words: re.Pattern[str]
    # How names are read (checker.names): words around a name, and names no source gives.
    company_suffixes: tuple[str, ...]  # longest first, so the longest that ends a name is cut
    name_joiners: frozenset[str]
    title_words: frozenset[str]
    opening_words: frozenset[str]
    months: frozenset[str]
    not_names: frozenset[str]
    place_names: Mapping[str, str]  # a name -> the English name of its place ("U.S.")
    # Words that stand for a party named earlier ("the company", 该公司) -> the kinds it may be.
    anaphors: Mapping[str, frozenset[str]]
    anaphor_words: re.Pattern[str]
    place_suffixes: frozenset[str]
    # A figure right after these revises an earlier one of its sentence ("downgraded to").
    revised_to: re.Pattern[str]
    # A name before these words, or after "according to", cites a source: what it says may be
    # about another party ("…, the World Health Organization said").
    speech_after: re.Pattern[str]
    speech_before: re.Pattern[str]
    copulas: re.Pattern[str]  # "is", "stood at": what ties a clause's subject to its figure
    # Trigger words by lemma, so "sold", "sells" and "sale" find the trigger "sell".
    lemma_triggers: re.Pattern[str]
    lemma_trigger_ids: Mapping[str, str]
    lemma_trigger_heads: frozenset[str]  # their first words: a sentence with none has none
    certainty: Mapping[str, float]  # how much of a key's certainty each weaker reading leaves
    words: Words = field(default_factory=Words, compare=False, repr=False)

    @cached_property
    def reader(self) -> NameReader:
        """The names of sentences, read with these words; built when first used."""
        return NameReader(self, self.words)

    @classmethod
    def from_toml(cls, data: Mapping[str, Any], words: Words | None = None) -> Lexicon:
        entities = {
            key: Entity(key, spec["label"], spec["kind"], spec.get("implicit", False))
            for key, spec in data["entity"].items()
        }
        metrics = {
            key: Metric(
                key,
                spec["label"],
                frozenset(spec["dimensions"]),
                spec.get("strong", False),
                spec.get("world_share", False),
            )
            for key, spec in data["metric"].items()
        }
        scopes = {
            key: Scope(
                key, spec["label"], spec.get("implicit", False), spec.get("before_only", False),
                spec.get("entity", ""),
            )
            for key, spec in data.get("scope", {}).items()
        }
        name_ids = {alias: key for key, spec in data.get("entity", {}).items()
                    for alias in spec["aliases"]}
        name_ids.update({alias: "" for alias in data.get("sources", {}).get("aliases", ())})
        trigger_ids = {
            word.lower(): key for key, spec in data["metric"].items() for word in spec["triggers"]
        }
        scope_ids = {
            word.lower(): key for key, spec in data["scope"].items() for word in spec["words"]
        }
        grammar, roles, names = data["grammar"], data["roles"], data["names"]
        possessive = r"(?:'s|’s|'|’)?"
        words = words or Words()
        # A trigger written in its dictionary form ("sell") stands for all its forms ("sold");
        # one written otherwise ("mining", not "mine") only for itself.
        lemma_trigger_ids = {
            word: key for word, key in trigger_ids.items()
            if not _CJK.search(word) and _lemma_phrase(word, words) == word
        }
        anaphors = {
            phrase.lower(): frozenset(kinds) for phrase, kinds in names["anaphors"].items()
        }
        revision = names["revision_verbs"]
        return cls(
            entities=entities,
            metrics=metrics,
            scopes=scopes,
            name_ids=name_ids,
            trigger_ids=trigger_ids,
            scope_ids=scope_ids,
            names=re.compile(rf"(?P<name>{_alternation(name_ids)})(?P<possessive>{possessive})"),
            triggers=re.compile(
                _alternation(word for word in trigger_ids if word not in lemma_trigger_ids),
                re.IGNORECASE,
            ),
            scope_words=re.compile(_alternation(scope_ids), re.IGNORECASE),
            openers=re.compile(_alternation(grammar["clause_openers"]), re.IGNORECASE),
            relative=frozenset(word.lower() for word in grammar["relative_pronouns"]),
            counterpart=frozenset(word.lower() for word in grammar["counterpart_words"]),
            counterpart_fillers=frozenset(w.lower() for w in grammar["counterpart_fillers"]),
            baseline=frozenset(word.lower() for word in grammar["baseline_words"]),
            connectors=frozenset(grammar["phrase_connectors"]),
            stops=frozenset(grammar["phrase_stops"]),
            participle_endings=tuple(grammar["participle_endings"]),
            plain=frozenset(
                word.lower()
                for key in ("stopwords", "generic_nouns", "change_words", "phrase_connectors")
                for word in grammar[key]
            ),
            determiners=frozenset(word.lower() for word in grammar["determiners"]),
            subject_words=int(grammar["subject_words"]),
            phrase_key_words=int(grammar["phrase_key_words"]),
            each_after=re.compile(rf"\s*(?:{_alternation(roles['each_after'])})", re.IGNORECASE),
            each_before=re.compile(rf"(?:{_alternation(roles['each_before'])}).{{0,3}}$"),
            total_before=re.compile(
                rf"(?:{_alternation(roles['total_before'])})(?:\s+[A-Za-z]+)?"
                r"(?:\s+(?:of|at|reaching|to))?\s*$",
                re.IGNORECASE,
            ),
            total_after=re.compile(rf"\s*(?:{_alternation(roles['total_after'])})", re.IGNORECASE),
            parties={word.lower(): int(count) for word, count in roles["parties"].items()},
            parties_words=re.compile(_alternation(roles["parties"]), re.IGNORECASE),
            company_suffixes=tuple(sorted(set(names["company_suffixes"]),
                                          key=lambda word: (-len(word), word))),
            name_joiners=frozenset(names["joiners"]),
            title_words=frozenset(word.lower() for word in names["title_words"]),
            opening_words=frozenset(word.lower() for word in names["opening_words"]),
            months=frozenset(names["months"]),
            not_names=frozenset(word.lower() for word in names["not_names"]),
            place_names=MappingProxyType(dict(names["places"])),
            anaphors=MappingProxyType(anaphors),
            anaphor_words=re.compile(_alternation(anaphors), re.IGNORECASE),
            place_suffixes=frozenset(names["place_suffixes"]),
            speech_after=re.compile(
                rf"\s*(?:[（(][^)）]{{0,40}}[)）])?\s*(?:has |have |had )?"
                rf"(?:{_alternation(names['speech_after'])})",
                re.IGNORECASE,
            ),
            copulas=re.compile(_alternation(grammar["copulas"]), re.IGNORECASE),
            speech_before=re.compile(
                rf"(?:{_alternation(names['speech_before'])})\s*(?:the\s+)?$",
                re.IGNORECASE,
            ),
            revised_to=re.compile(
                rf"{initials(revision)}"
                rf"(?:(?:{_alternation(w for w in revision if _CJK.search(w))})\s*$"
                rf"|(?<![A-Za-z])(?:{_alternation(w for w in revision if not _CJK.search(w))})"
                r"(?:\s+[a-z]+ly)?(?:\s+(?:down|up|downward|upward|back))?\s+to\s+$)",
                re.IGNORECASE),
            lemma_triggers=re.compile(_alternation(lemma_trigger_ids), re.IGNORECASE),
            lemma_trigger_ids=MappingProxyType(lemma_trigger_ids),
            lemma_trigger_heads=frozenset(word.split()[0] for word in lemma_trigger_ids),
            certainty=_certainty(data["certainty"]),
            words=words,
        )

    def entity_label(self, entity_id: str, named: Iterable[str] = ()) -> str:
        """A party's name for people: a lexicon's label, a place's English name, else the
        words the text named it with most often (Latin script first), else its id."""
        entity = self.entities.get(entity_id)
        if entity is not None:
            return entity.label
        place = self.reader.places.get(entity_id.replace("_", " "))
        if place is not None:
            return place.label
        spoken = Counter(_POSSESSIVE_END.sub("", words) for words in named if "(" not in words)
        ranked = sorted(spoken, key=lambda words: (not words.isascii(), -spoken[words]))
        return ranked[0] if ranked else entity_id.replace("_", " ")

    def is_place(self, entity_id: str) -> bool:
        """An id the gazetteer gives a country, region or city ("united_states")."""
        return self.reader.places.get(entity_id.replace("_", " ")) is not None

    def is_party(self, entity_id: str) -> bool:
        """What a figure can be about: any name read from the text, not a pack's commodity nor
        the whole a scope word stands for ("worldwide": the world, of which shares are shares)."""
        entity = self.entities.get(entity_id)
        if entity is not None:
            return entity.is_party
        return all(scope.entity != entity_id for scope in self.scopes.values())

    def metric_label(self, metric_id: str) -> str:
        if metric_id.startswith(PHRASE_PREFIX):
            return metric_id[len(PHRASE_PREFIX):]
        metric = self.metrics.get(metric_id)
        return metric.label if metric else metric_id

    def scope_label(self, token: str) -> str:
        kind, _, rest = token.partition(":")
        if kind == "with":
            return f"with {self.entity_label(rest)}"
        if token in self.scopes:
            return self.scopes[token].label
        if token in self.entities:
            return self.entities[token].label
        if token in self.metrics:
            return self.metrics[token].label
        return {"own": "own total", "each": "each party"}.get(token, token)


# ---------------------------------------------------------------------------------------------
# Public helpers on claims


def measure(claim: Claim) -> str:
    """The dimension a claim is compared in; a rise or fall is a change, not a level."""
    if claim.change in ("increase", "decrease"):
        return f"{claim.dimension}:change"
    return claim.dimension


def is_checkable(claim: Claim) -> bool:
    """A claim with an entity and a metric: what the coverage counts."""
    return bool(claim.entity and claim.metric and claim.dimension != "date")


def is_comparable(claim: Claim) -> bool:
    """A claim with a key: an entity and a metric, or else its sentence (a restatement of it
    in another article is about the same quantity)."""
    return claim.key is not None and claim.dimension != "date"


def restated_sentence(
    sentence: str, own: tuple[int, int], numerals: Sequence[tuple[int, int]] | None = None
) -> str:
    """A sentence as the key of its figure at `own`: the numerals of that figure "@" (the whole
    figure when it has none: "a dozen"), every other numeral "#", the words folded (NFKC, case)
    and joined by single spaces, punctuation dropped. The figure's own words stay: "more than @"
    is not "less than @", "usd @" not "eur @"."""
    normal = sentence.translate(NORMALIZE)
    if numerals is None:
        numerals = numeral_spans(sentence)
    start, end = own
    if not any(start <= n_start and n_end <= end for n_start, n_end in numerals):
        numerals = [n for n in numerals if n[1] <= start or n[0] >= end] + [own]
    parts, position = [], 0
    for n_start, n_end in sorted(numerals):
        if n_start < position:
            continue
        inside = start <= n_start and n_end <= end
        parts += [normal[position:n_start], " @ " if inside else " # "]
        position = n_end
    parts.append(normal[position:])
    folded = unicodedata.normalize("NFKC", "".join(parts)).casefold()
    return " ".join(_RESTATED_TOKEN.findall(folded))


def numeral_spans(sentence: str) -> list[tuple[int, int]]:
    """Where the numerals of a sentence are, in digits, words or Chinese."""
    normal = sentence.translate(NORMALIZE)
    words = frozenset(_LATIN_WORD.findall(normal.lower()))
    return [(n.start, n.end) for n in find_numerals(normal, math.inf, words)]


def restated_label(masked: str, around: int = 6) -> str:
    """A restated sentence for people: the figure as "…", and at most `around` words either
    side of it."""
    tokens = masked.split()
    at = tokens.index("@") if "@" in tokens else 0
    start, end = max(0, at - around), min(len(tokens), at + around + 1)
    shown = ["…" if token == "@" else token for token in tokens[start:end]]
    return " ".join((["…"] if start else []) + shown + (["…"] if end < len(tokens) else []))


def restated_words(masked: str) -> int:
    """How many words a restated sentence holds besides its numbers (a Chinese run counts a
    word per two characters, numeral characters aside)."""
    count = 0
    for token in masked.split():
        if _CJK.match(token):
            count += (len(token.translate(_NO_HANZI_NUMERALS)) + 1) // 2
        elif token not in ("@", "#") and token not in NUMBER_WORDS:
            count += 1
    return count


@dataclass(frozen=True, slots=True)
class Coverage:
    """How much of a corpus could be checked: figures with both an entity and a metric.

    Dates are counted apart: they are read as the periods of other figures, not compared.
    """

    figures: int
    dates: int
    keyed: int

    @property
    def share(self) -> float:
        compared = self.figures - self.dates
        return self.keyed / compared if compared else 0.0

    def __str__(self) -> str:
        compared = self.figures - self.dates
        dates = f"; {self.dates} date{'' if self.dates == 1 else 's'} read as periods"
        return (
            f"{self.keyed} of {compared} figures ({self.share:.0%}) have an entity and a metric"
            f"{dates if self.dates else ''}"
        )


def coverage(claims: Iterable[Claim]) -> Coverage:
    listed = list(claims)
    return Coverage(
        figures=len(listed),
        dates=sum(claim.dimension == "date" for claim in listed),
        keyed=sum(is_checkable(claim) for claim in listed),
    )


def period_of(iso: str) -> str:
    """The period a date names, as short as it can be said: 2024, 2025-09, 2026-Q4, 2023-08-01."""
    start, _, end = iso.partition("/")
    if not end or start == end:
        return start
    (y1, m1, d1), (y2, m2, d2) = start.split("-"), end.split("-")
    if y1 == y2 and (m1, d1, m2, d2) == ("01", "01", "12", "31"):
        return y1
    if y1 == y2 and m1 == m2 and d1 == "01":
        return f"{y1}-{m1}"
    quarters = {("01", "03"): 1, ("04", "06"): 2, ("07", "09"): 3, ("10", "12"): 4}
    if y1 == y2 and d1 == "01" and (m1, m2) in quarters:
        return f"{y1}-Q{quarters[(m1, m2)]}"
    return iso


class Context:
    """What one document says beyond a sentence: its title, the sentences before, the words it
    capitalises mid-sentence and the names it gives in both languages ("特斯拉（Tesla）").

    A figure whose sentence names no party takes the party of the sentences just before, or of
    the title; "the company" or 该公司 takes the last party of a kind it can stand for.
    """

    def __init__(self, lexicon: Lexicon, title: str = "",
                 sentences: Sequence[tuple[int, str, str]] = ()) -> None:
        """`sentences`: (start, text, lang) of each sentence of the document, in order."""
        self.lex = lexicon
        self.title = title
        self._sentences = list(sentences)
        self._index = {start: i for i, (start, _, _) in enumerate(self._sentences)}
        self._names: dict[tuple[int, tuple[tuple[int, int], ...]], list[Name]] = {}
        self._read_last: dict[int, list[Name]] = {}  # a sentence's names as last read

    @cached_property
    def body(self) -> list[str]:
        """The texts of the document's sentences but its title (which opens the body of .md and
        .txt files)."""
        return [text for _, text, _ in self._sentences if text.strip("# ") != self.title]

    @cached_property
    def capitalised(self) -> frozenset[str]:
        """Words the document spells as names: capitalised where a sentence does not open, or
        capitalised at least twice (a title counts, unless in Title Case) and never in lower
        case."""
        found, openings = set(), Counter[str]()
        texts = [*([] if title_case(self.title) else [self.title]), *self.body]
        for text in texts:
            for m in _CAPITALISED.finditer(text):
                if m.group() in found or not m.group()[0].isupper():
                    continue  # a name already: where else it stands does not matter (or "ł",
                    # which the character class takes for a capital)
                if text is self.title or opens(text, m.start()):
                    openings[m.group()] += 1
                else:
                    found.add(m.group())
        repeated = [word for word, count in openings.items() if count >= 2 and word not in found]
        if repeated:  # the document's words in lower case are needed only for these
            lower = set(chain.from_iterable(_LOWER_WORD.findall(text) for text in texts))
            found.update(word for word in repeated
                         if not {word.lower(), word.lower() + "s"} & lower)
        return frozenset(found)

    @cached_property
    def glosses(self) -> Mapping[str, str]:
        found: dict[str, str] = {}
        for start, text, lang in self._sentences:
            if ("(" in text or "（" in text) and _GLOSS.search(text):
                found.update(self.lex.reader.glosses(text, self._read(start, text, lang)))
        return found

    def names(self, start: int, text: str, lang: str,
              figures: Sequence[tuple[int, int]] = ()) -> list[Name]:
        """The names of the sentence at `start`, read once, with the document's glosses."""
        return glossed(self._read(start, text, lang, figures), self.glosses)

    def _read(self, start: int, text: str, lang: str,
              figures: Sequence[tuple[int, int]] = ()) -> list[Name]:
        place = (start, tuple(figures))
        if place not in self._names:
            self._names[place] = self.lex.reader.read(text, lang, figures, _Spelled(self))
        self._read_last[start] = self._names[place]
        return self._names[place]

    @cached_property
    def _title_names(self) -> list[Name]:
        lang = "zh" if _CJK.search(self.title) else "en"
        return self.lex.reader.read(self.title, lang, (), _Spelled(self), heading=True)

    def earlier_parties(self, start: int) -> Iterable[tuple[Name, str]]:
        """Parties named before the sentence at `start`, nearest first, with where they were:
        the sentences just before, then the title."""
        index = self._index.get(start, 0)
        for back in range(index - 1, max(index - 1 - _CONTEXT_SENTENCES, -1), -1):
            s_start, text, lang = self._sentences[back]
            if text.strip("# ") == self.title:
                continue  # the title opens the body of .md and .txt files: read as a title
            read = self._read_last.get(s_start) or self._read(s_start, text, lang)
            for name in reversed(glossed(read, self.glosses)):
                if name.is_party:
                    yield name, "an earlier sentence"
        for name in self._title_names if self.title else ():
            if name.is_party:
                yield name, "the title"


class _Spelled:
    """A document's words spelled as names (`Context.capitalised`), found when first asked;
    the words of a name ("Bank of America") when a sentence of the body holds them as written."""

    __slots__ = ("_context",)

    def __init__(self, context: Context) -> None:
        self._context = context

    def __contains__(self, words: object) -> bool:
        if isinstance(words, str) and " " in words:
            return any(words in text for text in self._context.body)
        return words in self._context.capitalised


def annotate(
    claims: Iterable[Claim], lexicon: Lexicon, context: Context | None = None
) -> list[Claim]:
    """The claims with entity, metric, scope, period, key and evidence filled in, same order.
    `context` is the claims' document, for figures whose sentence names no party."""
    ordered = list(claims)
    by_sentence: dict[tuple[str, int, str], list[Claim]] = {}
    for claim in ordered:
        place = (claim.doc_id, claim.sentence_start, claim.sentence)
        by_sentence.setdefault(place, []).append(claim)
    contexts: dict[str, Context] = {}
    annotated: dict[str, Claim] = {}
    for (doc_id, start, text), members in by_sentence.items():
        if all(claim.dimension == "date" for claim in members):
            annotated.update((claim.claim_id, claim) for claim in members)
            continue  # dates are periods of other figures: nothing to read for them
        reading = _Reading(text, members, lexicon,
                           context or contexts.setdefault(doc_id, Context(lexicon)), start)
        for claim in members:
            annotated[claim.claim_id] = reading.attach(claim)
        for earlier_id, later_id in reading.revised:  # a revision is of the revised quantity
            earlier, later = annotated[earlier_id], annotated[later_id]
            if earlier.key is not None and not earlier.key.restated:
                annotated[later_id] = replace(  # of its period too: "in March" is the revision's
                    later, entity=earlier.entity, metric=earlier.metric, scope=earlier.scope,
                    key=replace(earlier.key, measure=measure(later)),
                    period=earlier.period or later.period)
    return [annotated[claim.claim_id] for claim in ordered]


# ---------------------------------------------------------------------------------------------
# Reading one sentence


class _Figures:
    """The figures of a sentence, (start, end) sorted, asked about by position in log time: a
    sentence of thousands of figures (a table flattened to one line) must not take quadratic
    time."""

    __slots__ = ("spans", "_starts", "_reach")

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        self.spans = sorted(spans)
        self._starts = [start for start, _ in self.spans]
        self._reach = list(accumulate((end for _, end in self.spans), max))  # furthest end so far

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return iter(self.spans)

    def overlapping(self, start: int, end: int) -> Iterator[tuple[int, int]]:
        """The figures sharing a character with [start, end) (a point: end == start + 1)."""
        index = bisect.bisect_left(self._starts, end) - 1
        while index >= 0 and self._reach[index] > start:
            if self.spans[index][1] > start:
                yield self.spans[index]
            index -= 1

    def overlap(self, start: int, end: int) -> bool:
        """Whether a figure shares a character with [start, end): one that starts before `end`
        reaches past `start`."""
        index = bisect.bisect_left(self._starts, end) - 1
        return index >= 0 and self._reach[index] > start

    def last_end_before(self, position: int, floor: int) -> int:
        """The end of the last figure that ends by `position` and starts at `floor` or later,
        else `floor` (figures do not overlap, so the last one has the furthest end)."""
        index = bisect.bisect_right(self._starts, position) - 1
        while index >= 0 and self.spans[index][0] >= floor:
            if self.spans[index][1] <= position:
                return self.spans[index][1]
            index -= 1
        return floor

    def first_start_from(self, position: int, default: int) -> int:
        """The start of the first figure starting at `position` or later, else `default`."""
        index = bisect.bisect_left(self._starts, position)
        return min(self._starts[index], default) if index < len(self._starts) else default


# The records of a sentence's reading are not frozen: one is built for each word found, and a
# frozen dataclass takes several times as long to build.
@dataclass(slots=True)
class _Span:
    start: int
    end: int
    id: str  # entity, metric or scope id
    words: str
    possessive: bool = False
    counterpart: bool = False
    party: bool = True  # a name a figure can be about (not a commodity, not a cited source)
    source: bool = False  # a name cited as the source of what the sentence says
    given: str = ""  # the id of a name's own words, when the article glosses it as another
    weak: bool = False  # a term tagged as a name, or a name qualifying a noun ("the Tesla plant")
    kind: str = ""
    how: str = ""  # where a name came from when not from the sentence itself


@dataclass(slots=True)
class _Clause:
    start: int
    body: int  # after its opening word ("which", "compared to")
    end: int
    opener: str


@dataclass(slots=True)
class _Found:
    """What was decided for one figure, and the words that decided it."""

    entity: str = ""
    metric: str = ""
    scope: tuple[str, ...] = ()
    other: str = ""  # the other party's entity id
    own: bool = False
    period: str = ""
    role: str = ""
    parties: int = 0
    evidence: tuple[tuple[str, str], ...] = ()
    certainty: float = 1.0  # how surely the key was read: lower for weaker evidence


class _Reading:
    """One sentence with the lexicon's words located in it, ready to attach its figures."""

    def __init__(self, text: str, claims: Sequence[Claim], lexicon: Lexicon,
                 context: Context, start: int) -> None:
        self.text = text
        self.lex = lexicon
        self.context = context
        self.start = start
        self.lang = claims[0].lang if claims else ""
        placed = [(_offset(claim), claim) for claim in claims]
        self.figures = _Figures((at, at + len(claim.surface)) for at, claim in placed)
        self.dates = [
            (at, at + len(claim.surface), claim)
            for at, claim in placed
            if claim.dimension == "date" and claim.iso
        ]
        self.clauses = self._clauses()
        self._clause_starts = [clause.start for clause in self.clauses]
        self.scopes = self._found(lexicon.scope_words, lexicon.scope_ids)
        # A scope word is the more specific reading: "high-purity" is not the metric "purity".
        self.triggers = [
            t for t in self._triggers()
            if not any(t.start < s.end and s.start < t.end for s in self.scopes)
        ]
        named = self.context.names(self.start, text, self.lang, self.figures.spans)
        # a lexicon's source, or a name before "said" or after "according to"
        cited = [name.kind == "source" or self._cites(name) for name in named]
        self.names = self._names(named, cited)
        # (where, words) of each source the sentence cites
        self.sayers = [(name.start, text[name.start:name.end])
                       for name, cites in zip(named, cited, strict=True) if cites]
        self._located = self.names + self.triggers + self.scopes  # the lexicon's words and names
        self._strong_names = [n for n in self.names if not n.weak]
        self._commodities = [n for n in self.names if n.kind == "commodity"]
        self._contents: dict[tuple[int, int], list[str]] = {}
        self.revisions = self._revisions(claims)
        self.revised = [(earlier, later) for later, (role, _) in self.revisions.items()
                        if role == "revision" for earlier, (other, words) in
                        self.revisions.items() if other == "superseded"
                        and words == self.revisions[later][1]]

    # -- locating words ------------------------------------------------------------------------

    def _clauses(self) -> list[_Clause]:
        cuts = [(m.start(), m.end(), "") for m in _SPLITTERS.finditer(self.text)]
        cuts += [
            (m.start(), m.end(), m.group().lower()) for m in self.lex.openers.finditer(self.text)
        ]
        cuts = [cut for cut in sorted(cuts) if not self.figures.overlap(cut[0], cut[0] + 1)]
        clauses, start, body, opener = [], 0, 0, ""
        for cut_start, cut_end, word in cuts:
            if cut_start > start:
                clauses.append(_Clause(start, body, cut_start, opener))
            start, body, opener = (cut_start, cut_end, word) if word else (cut_end, cut_end, "")
        clauses.append(_Clause(start, body, len(self.text), opener))
        return clauses

    def _found(self, pattern: re.Pattern[str], ids: Mapping[str, str]) -> list[_Span]:
        return [
            _Span(m.start(), m.end(), ids[m.group().lower()], m.group())
            for m in pattern.finditer(self.text)
        ]

    def _triggers(self) -> list[_Span]:
        """Metric words as written, and English ones by lemma too ("sold" is "sell")."""
        spans = {(span.start, span.end): span
                 for span in self._found(self.lex.triggers, self.lex.trigger_ids)}
        for start, end, metric in self._lemma_triggers():
            spans.setdefault((start, end), _Span(start, end, metric, self.text[start:end]))
        ordered = sorted(spans.values(), key=lambda span: (span.start, -span.end))
        # the longer of two overlapping words wins ("market share" over "share")
        kept: list[_Span] = []
        for span in ordered:
            if not kept or span.start >= kept[-1].end:
                kept.append(span)
        return kept

    def _lemma_triggers(self) -> Iterator[tuple[int, int, str]]:
        """Where English triggers stand by their lemmas, and their metrics."""
        forms = self.lex.words.lemmas(_LATIN_WORD.findall(self.text))
        if self.lex.lemma_trigger_heads.isdisjoint(forms):
            return  # most sentences: their words' positions are not needed
        words = list(_LATIN_WORD.finditer(self.text))
        starts = list(accumulate((len(form) + 1 for form in forms[:-1]), initial=0))
        for m in self.lex.lemma_triggers.finditer(" ".join(forms)):
            first = bisect.bisect_right(starts, m.start()) - 1
            last = bisect.bisect_right(starts, m.end() - 1) - 1
            yield words[first].start(), words[last].end(), self.lex.lemma_trigger_ids[
                m.group().lower()]

    def _cites(self, name: Name) -> bool:
        """Whether the sentence cites `name` as the source of what it says."""
        return bool(self.lex.speech_after.match(self.text, name.end) or
                    self.lex.speech_before.search(self.text, max(0, name.start - 24), name.start))

    def _names(self, named: Sequence[Name], cited: Sequence[bool]) -> list[_Span]:
        """The sentence's names as spans; `cited`: whether the sentence cites each as a
        source."""
        spans = []
        for name, source in zip(named, cited, strict=True):
            if name.kind == "source" or self.figures.overlap(name.start, name.end):
                continue  # a cited source, or a word inside a figure ("12,000 Australian farmers")
            if name.kind == "name" and any(t.start < name.end and name.start < t.end
                                           for t in self.triggers):
                continue  # a measure's words, capitalised ("Net income came to…")
            spans.append(
                _Span(
                    name.start,
                    name.end,
                    name.id,
                    self.text[name.start:name.end],
                    possessive=name.possessive,
                    counterpart=self._after_counterpart_word(name.start),
                    party=name.is_party and not source,
                    source=source,
                    kind=name.kind,
                    given=name.given,
                    weak=name.how == "term" or (name.kind == "name" and self._qualifies(name)),
                )
            )
        spans += self._anaphors(spans)
        return self._without_modifiers(sorted(spans, key=lambda span: (span.start, span.end)))

    def _qualifies(self, name: Name) -> bool:
        """"the Lovozero and Tomtor mines": names between a determiner and the noun they
        qualify."""
        words = _WORD.findall(self.text, max(0, name.start - 24), name.start)
        determined = bool(words) and words[-1].lower() in self.lex.determiners
        if not (determined or _COORDINATED.search(self.text, max(0, name.start - 80), name.start)):
            return False
        after = _NOUN_AFTER.match(self.text, name.end)
        noun = after.group(1).lower() if after else ""
        return bool(noun) and noun not in self.lex.plain and noun not in self.lex.stops

    def _anaphors(self, named: Sequence[_Span]) -> list[_Span]:
        """"the company", 该公司: the party of a kind they stand for named last before them, in
        this sentence or the ones before."""
        spans = []
        for m in self.lex.anaphor_words.finditer(self.text):
            kinds = self.lex.anaphors[m.group().lower()]
            before = ((n.id, n.words, n.kind, "") for n in reversed(named)
                      if n.end <= m.start() and n.party and n.kind in kinds)
            earlier = ((n.id, n.words, n.kind, where)
                       for n, where in self.context.earlier_parties(self.start) if n.kind in kinds)
            for entity_id, words, kind, where in chain(before, earlier):
                spans.append(_Span(m.start(), m.end(), entity_id, f"{m.group()} ({words})",
                                   counterpart=self._after_counterpart_word(m.start()),
                                   kind=kind, how=where or "this sentence"))
                break
        return spans

    def _without_modifiers(self, spans: list[_Span]) -> list[_Span]:
        """In "U.S. Raytheon" or "China's J-36" the first name only qualifies the second."""
        kept = []
        for index, span in enumerate(spans):
            following = spans[index + 1] if index + 1 < len(spans) else None
            if (
                following is not None
                and span.party
                and following.party
                and not self.text[span.end:following.start].strip()
            ):
                continue
            kept.append(span)
        return kept

    def _after_counterpart_word(self, position: int) -> bool:
        clause = self._clause_at(position)
        before = self.text[clause.body:position]
        if _CJK.search(before[-1:] or ""):
            return before[-1:] in self.lex.counterpart
        words = _WORD.findall(before)
        while words and words[-1].lower() in self.lex.counterpart_fillers:
            words.pop()
        return bool(words) and words[-1].lower() in self.lex.counterpart

    def _clause_at(self, position: int) -> _Clause:
        index = bisect.bisect_right(self._clause_starts, position) - 1
        if index >= 0 and position < self.clauses[index].end:
            return self.clauses[index]
        return self.clauses[-1]

    def _previous_figure_end(self, start: int, clause: _Clause) -> int:
        return self.figures.last_end_before(start, clause.body)

    def _said_by(self, position: int) -> tuple[tuple[str, str], ...]:
        """Who the sentence says the figure at `position` comes from ("…, the trade ministry
        said", "according to the IEA", 据统计局): the cited source of its clause, else of its
        sentence."""
        if not self.sayers:
            return ()
        clause = self._clause_at(position)
        near = [words for start, words in self.sayers if clause.start <= start < clause.end]
        return (("said by", (near or [words for _, words in self.sayers])[0]),)

    def _revisions(self, claims: Sequence[Claim]) -> dict[str, tuple[str, str]]:
        """claim id -> ("superseded" or "revision", the words that say so) for each figure the
        sentence revises ("a claim of 2.85 million tons was downgraded to 380,000 tons by the
        U.S. Geological Survey") and the figure that revises it."""
        found: dict[str, tuple[str, str]] = {}
        figures = sorted((c for c in claims if c.dimension != "date" and not c.change),
                         key=_offset)
        for later in figures:
            start = _offset(later)
            verb = self.lex.revised_to.search(self.text, max(0, start - 60), start)
            if verb is None:
                continue
            earlier = [c for c in figures if _offset(c) + len(c.surface) <= verb.start()
                       and c.dimension == later.dimension and c.claim_id not in found]
            if not earlier:
                continue
            agent = _BY_NAME.match(self.text, start + len(later.surface))
            by = agent.group(1) if agent else ""
            if by.endswith(".") and by.split()[-1].count(".") == 1:
                by = by[:-1]  # the full stop after "Survey", not one of "U.S."
            how = re.sub(r"\s+to$", "", " ".join(verb.group().split()), flags=re.IGNORECASE)
            words = f"{earlier[-1].surface} → {later.surface}, {how}{f' by {by}' if by else ''}"
            found[earlier[-1].claim_id] = ("superseded", words)
            found[later.claim_id] = ("revision", words)
        return found

    @cached_property
    def numerals(self) -> list[tuple[int, int]]:
        return numeral_spans(self.text)

    # -- attaching one figure ------------------------------------------------------------------

    def attach(self, claim: Claim) -> Claim:
        if claim.dimension == "date":
            return claim
        own = _offset(claim)
        found = self._find(claim, own)
        read = (found.entity, found.metric.removeprefix(PHRASE_PREFIX), measure(claim))
        parts = (found.other, found.own, found.role == "each",
                 found.metric.startswith(PHRASE_PREFIX))
        # the scope column shows implicit words too; the key leaves them out
        shown = QuantityKey(*read, found.scope, *parts)
        key = None
        if found.entity and found.metric and claim.change != "from":
            scope = tuple(t for t in found.scope if not self._implicit(t))
            key = shown if scope == found.scope else QuantityKey(*read, scope, *parts)
        elif len(self.numerals) <= _RESTATED_MAX_NUMERALS:
            # the earlier end of "from A to B" is of another time: only a restatement has it
            masked = restated_sentence(self.text, (own, own + len(claim.surface)), self.numerals)
            key = QuantityKey(found.entity, masked, measure(claim), restated=True)
        return claim.with_fields(
            confidence=(round(claim.confidence * found.certainty, 3) if key and not key.restated
                        else claim.confidence),
            entity=found.entity,
            metric=found.metric,
            scope="+".join(shown.scope_tokens),
            period=found.period,
            key=key,
            role=self.revisions.get(claim.claim_id, (found.role, ""))[0],
            parties=found.parties,
            evidence=found.evidence + ((("revision", self.revisions[claim.claim_id][1]),)
                                       if claim.claim_id in self.revisions else ())
            + self._said_by(own),
        )

    def _implicit(self, token: str) -> bool:
        scope = self.lex.scopes.get(token)
        return scope is not None and scope.implicit

    def _find(self, claim: Claim, start: int) -> _Found:
        end = start + len(claim.surface)
        clause = self._clause_at(start)
        phrase = self._phrase_after(claim, start, end, clause)
        before = self._phrase_before(start, clause)
        evidence: list[tuple[str, str]] = []

        entity = self._entity(start, end, clause, skip_after=self._starts_with_its(phrase))
        accepted = self._accepted(claim, (start, end))
        metric = self._metric(accepted, start, clause, phrase)
        if metric is None and not self._has_content(*phrase) and not self._has_content(*before):
            metric = self._inherited_metric(claim, accepted, start, clause)
        # A count is keyed by its own noun only: "the interdependence of the two economies" is
        # not a count of interdependence.
        metric_id = metric.id if metric else self._phrase_key(
            phrase, before if claim.dimension != "count" else (start, start),
            self._subject_phrase(clause, start) if claim.dimension != "count" else (start, start),
        )
        if entity is None and metric_id:
            entity = (self._commodity(start, clause) or self._scope_party(clause)
                      or self._cited(clause) or self._earlier_party())
        # what each weaker reading leaves of certainty (rules/lexicon.toml [certainty])
        weaker = [self.lex.certainty[reading] for reading in (
            entity is not None and _WEAKER_READINGS.get(_borrowed(entity)),
            metric is None and bool(metric_id) and "noun_phrase",
        ) if reading]
        if entity is not None:
            evidence.append(("entity", entity.words))
            if entity.given:
                evidence.append(("alias", entity.given))
            if borrowed := _borrowed(entity):
                evidence.append(("entity from", borrowed))
        if metric is not None:
            evidence.append(("metric", metric.words))
        elif metric_id:
            evidence.append(("metric", metric_id[len(PHRASE_PREFIX):]))

        role, parties = self._role(start, end, clause)
        metric_clause = self._clause_at(metric.start) if metric is not None else clause
        scope, other, own = self._scope(claim, start, clause, phrase, entity, metric,
                                        metric_clause)
        evidence += [("scope", words) for _, words in scope]
        evidence += [("scope", words) for words in (
            other.words if other else None, own, "each" if role == "each" else None) if words]
        period = self._period(start, end, clause)
        if period is not None:
            evidence.append(("period", period.surface))
        return _Found(
            entity=entity.id if entity else "",
            metric=metric_id,
            scope=tuple(sorted({token for token, _ in scope})),
            other=other.id if other else "",
            own=own is not None,
            period=period_of(period.iso) if period else "",
            role=role,
            parties=parties,
            evidence=tuple(evidence),
            certainty=prod(weaker),
        )

    # entity

    def _entity(self, start: int, end: int, clause: _Clause, skip_after: bool) -> _Span | None:
        """The party of a figure among the sentence's names; a weak name (a term the segmenter
        calls a proper noun, a name that only qualifies a noun: "the Lovozero mine") only when
        no other name will do."""
        strong = self._strong_names
        found = self._entity_among(strong, start, end, clause, skip_after)
        if found is None and len(strong) < len(self.names):
            found = self._entity_among(self.names, start, end, clause, skip_after)
        return found

    def _entity_among(self, names: Sequence[_Span], start: int, end: int, clause: _Clause,
                      skip_after: bool) -> _Span | None:
        parties = [
            n for n in names
            if clause.body <= n.start < clause.end and n.party and not n.counterpart
        ]
        for name in parties:
            between = self.text[name.end:start] if name.end <= start else "x"
            if name.possessive and not _WORD.search(between):
                return name  # "China's 99.99%"
        before = [n for n in parties if n.end <= start]
        if before:
            return before[-1]
        # "90% of its rare earth elements processed in China": "its" is the subject, not China.
        after = [] if skip_after else [n for n in parties if n.start >= end]
        if after:
            return after[0]
        if clause.opener in self.lex.relative:
            earlier = [n for n in names if n.end <= clause.start and n.party]
            if earlier:
                return earlier[-1]  # "..., China, which controls over 90%"
        subject = self._subject(names)
        if subject is not None:
            return subject
        # else the last party named in the body of an earlier clause
        earlier = [n for n in names if n.party and not n.counterpart and n.end <= clause.start
                   and self._clause_at(n.start).body <= n.start]
        return earlier[-1] if earlier else None

    def _scope_party(self, clause: _Clause) -> _Span | None:
        """A scope word that names a party of its own ("worldwide", 全球: the world), in the
        figure's clause or the nearest one before it."""
        spans = [s for s in self.scopes if self.lex.scopes[s.id].entity and s.start < clause.end]
        own = [s for s in spans if s.start >= clause.body]
        for span in own[:1] or spans[-1:]:
            return _Span(span.start, span.end, self.lex.scopes[span.id].entity, span.words,
                         kind="region")
        return None

    def _cited(self, clause: _Clause) -> _Span | None:
        """A source that speaks of itself ("Tesla said it sold…"), when nothing else is named."""
        cited = [n for n in self.names if n.source and n.kind != "commodity"]
        in_clause = [n for n in cited if clause.start <= n.start < clause.end]
        return (in_clause or cited or [None])[0]

    def _earlier_party(self) -> _Span | None:
        """The party of the sentences before, or of the title, for a sentence that names none."""
        for name, where in self.context.earlier_parties(self.start):
            return _Span(-1, -1, name.id, name.words, kind=name.kind, how=where)
        return None

    def _subject(self, names: Sequence[_Span]) -> _Span | None:
        for name in names:
            if not name.party or name.counterpart:
                continue
            leading = self.text[:name.start]
            count = len(leading.strip()) if _CJK.search(leading) else len(_WORD.findall(leading))
            return name if count < self.lex.subject_words else None
        return None

    def _commodity(self, start: int, clause: _Clause) -> _Span | None:
        """The commodity nearest the figure, in its clause first: for a figure about no party."""
        commodities = self._commodities
        if not commodities:
            return None
        in_clause = [n for n in commodities if clause.start <= n.start < clause.end]
        pool = in_clause or commodities
        return min(pool, key=lambda n: (abs(n.start - start), n.start))

    # metric

    def _accepted(self, claim: Claim, own: tuple[int, int]) -> list[_Span]:
        """The triggers of metrics that take the claim's measure, but for those inside another
        figure; `own` is where the claim's figure is."""
        name = measure(claim)
        return [
            t for t in self.triggers
            if self.lex.metrics[t.id].accepts(name) and not self._overlaps_other_figure(t, own)
        ]

    def _overlaps_other_figure(self, span: _Span, own: tuple[int, int]) -> bool:
        return any(figure != own for figure in self.figures.overlapping(span.start, span.end))

    def _strong(self, span: _Span) -> bool:
        return self.lex.metrics[span.id].strong

    def _metric(
        self, accepted: list[_Span], start: int, clause: _Clause, phrase: tuple[int, int]
    ) -> _Span | None:
        window = self._previous_figure_end(start, clause)
        near_before = [t for t in accepted if window <= t.start and t.end <= start]
        strong_near = [t for t in near_before if self._strong(t)]
        if strong_near:
            return strong_near[-1]
        following = [
            t for t in accepted
            if self._strong(t) and t.start >= phrase[1] and not self.text[phrase[1]:t.start].strip()
        ]
        if following:
            return following[0]  # "30% of its separation equipment parts sourced from China"
        in_phrase = [t for t in accepted if phrase[0] <= t.start and t.end <= phrase[1]]
        if in_phrase:
            return in_phrase[-1]  # the head of "37% of global rare earth reserves"
        if near_before:
            return near_before[-1]
        strong_in_clause = [
            t for t in accepted if clause.body <= t.start and t.end <= start and self._strong(t)
        ]
        return strong_in_clause[-1] if strong_in_clause else None

    def _inherited_metric(
        self, claim: Claim, accepted: list[_Span], start: int, clause: _Clause
    ) -> _Span | None:
        """A figure with no noun of its own is about what the words before it are about:
        "from 143 units in 2022 to an expected 36 units", "with a total of 28.5 million tons
        identified" after "Russia claims to have abundant rare earth reserves"."""
        earlier = [t for t in accepted if clause.body <= t.start and t.end <= start]
        if earlier:
            return earlier[-1]
        if claim.dimension == "count":
            return None  # "the two countries": a count borrows no metric from another clause
        for previous in reversed([c for c in self.clauses if c.end <= clause.start]):
            candidates = [t for t in accepted if previous.body <= t.start and t.end <= previous.end]
            strong = [t for t in candidates if self._strong(t)]
            if strong or candidates:
                return (strong or candidates)[-1]
        return None

    def _phrase_key(self, *spans: tuple[int, int]) -> str:
        for span in spans:
            words = self._content_words(*span)
            if words:
                if _CJK.search(words[0]):
                    return PHRASE_PREFIX + "".join(words[:_MAX_PHRASE_WORDS])
                return PHRASE_PREFIX + " ".join(words[:self.lex.phrase_key_words])
        return ""

    # the phrases around a figure

    def _phrase_after(self, claim: Claim, start: int, end: int, clause: _Clause) -> tuple[int, int]:
        """The words after a figure that say what it counts ("37% of global rare earth
        reserves", "60% purity", 全球70%的稀土开采). A count's own noun ("120 jets") is part
        of its surface and opens the phrase."""
        limit = self.figures.first_start_from(end, clause.end)
        words = list(_WORD.finditer(self.text, end, limit))
        if words and _CJK.search(words[0].group()):
            return self._cjk_phrase(words, end, limit)
        noun = self._count_noun(claim, start, end)
        connected = bool(words) and words[0].group().lower() in self.lex.connectors
        if connected:
            words = words[1:]
        elif noun is not None:
            return noun, end  # "seven key rare earth elements directly threaten": stop at the noun
        phrase_start = noun if noun is not None else (words[0].start() if words else end)
        phrase_end = end if noun is not None else phrase_start
        room = _MAX_PHRASE_WORDS if connected else 4
        previous_end = words[0].start() if words else end
        for m in words[:room]:
            if self.text[previous_end:m.start()].strip() or m.group().lower() in self.lex.stops:
                break
            if self._is_participle(m) or self._starts_strong_trigger(m.start()):
                break  # "parts sourced from China": the frame word is not part of the noun
            phrase_end = previous_end = m.end()
        return phrase_start, max(phrase_end, phrase_start)

    def _count_noun(self, claim: Claim, start: int, end: int) -> int | None:
        """Where the noun of a count begins inside its surface ("over 26,000 *patents*")."""
        if claim.dimension != "count":
            return None
        position = None
        for m in reversed(list(_WORD.finditer(claim.surface))):
            word = m.group().lower()
            if any(ch.isdigit() for ch in word) or word in _NUMBER_WORDS or _CJK.search(word):
                break
            position = start + m.start()
        return position

    def _cjk_phrase(self, words: list[re.Match[str]], end: int, limit: int) -> tuple[int, int]:
        """Chinese: the words after 的 up to punctuation, a stop word or the next figure."""
        if words[0].group() not in self.lex.connectors:
            return end, end
        phrase_start = phrase_end = words[0].end()
        for m in words[1:]:
            if self.text[phrase_end:m.start()].strip() or m.group() in self.lex.stops:
                break
            phrase_end = m.end()
        return phrase_start, min(phrase_end, limit)

    def _starts_strong_trigger(self, position: int) -> bool:
        return any(t.start == position and self._strong(t) for t in self.triggers)

    def _is_participle(self, word: re.Match[str]) -> bool:
        text = word.group().lower()
        if len(text) <= 4 or not text.endswith(self.lex.participle_endings):
            return False
        return not any(span.start <= word.start() < span.end for span in self._located)

    def _phrase_before(self, start: int, clause: _Clause) -> tuple[int, int]:
        """The noun phrase of "<phrase> of <figure>": "a recovery rate of only 20%"."""
        window = self._previous_figure_end(start, clause)
        words = list(_WORD.finditer(self.text, window, start))
        while words and (word := words[-1].group().lower()) != "of" and word in self.lex.plain:
            words.pop()
        if len(words) < 2 or words[-1].group().lower() != "of":
            return start, start
        words.pop()
        phrase_end = words[-1].end()
        phrase_start = phrase_end
        for m in reversed(words[-_MAX_PHRASE_WORDS:]):
            word = m.group().lower()
            if word in self.lex.stops or word in self.lex.determiners:
                break
            phrase_start = m.start()
        return phrase_start, phrase_end

    def _subject_phrase(self, clause: _Clause, start: int) -> tuple[int, int]:
        """The noun phrase that opens the figure's clause, up to its first stop word, when a
        copula ties it to the figure: "the average radiation dose" in "The average radiation
        dose from a CT scan is 14 mGy"."""
        if not self.lex.copulas.search(self.text, clause.body, start):
            return start, start
        phrase_start = phrase_end = None
        for m in _WORD.finditer(self.text, clause.body, start):
            word = m.group().lower()
            if word in self.lex.stops or any(ch.isdigit() for ch in word) or _CJK.search(word):
                break
            if phrase_start is None and word in self.lex.plain:
                continue
            phrase_start = m.start() if phrase_start is None else phrase_start
            phrase_end = m.end()
        if phrase_start is None or phrase_end is None:
            return start, start
        return phrase_start, phrase_end

    def _starts_with_its(self, phrase: tuple[int, int]) -> bool:
        words = _WORD.findall(self.text, phrase[0], phrase[1])
        return bool(words) and words[0].lower() in ("its", "their")

    def _content_words(self, start: int, end: int) -> list[str]:
        """Words of a phrase that are not names, lexicon words, numbers or plain words (a
        figure's phrases are asked about more than once: read once)."""
        if end <= start:
            return []
        if (start, end) not in self._contents:
            self._contents[start, end] = self._read_content_words(start, end)
        return self._contents[start, end]

    def _read_content_words(self, start: int, end: int) -> list[str]:
        covered = [
            (s.start, s.end) for s in self._located if s.start < end and start < s.end
        ] + [(m.start(), m.end()) for m in self.lex.names.finditer(self.text, start, end)]
        words = []
        for m in _WORD.finditer(self.text, start, end):
            word = m.group().lower()
            if covered and any(s <= m.start() < e for s, e in covered):
                continue
            if not word.isalpha() and any(ch.isdigit() for ch in word):
                continue
            if word in self.lex.plain or word.strip("'’") in self.lex.plain:
                continue
            words.append(word)
        return words

    def _has_content(self, start: int, end: int) -> bool:
        return bool(self._content_words(start, end))

    # scope, period, role

    def _scope(
        self,
        claim: Claim,
        start: int,
        clause: _Clause,
        phrase: tuple[int, int],
        entity: _Span | None,
        metric: _Span | None,
        metric_clause: _Clause,
    ) -> tuple[list[tuple[str, str]], _Span | None, str | None]:
        """The scope words of a figure (id, words); the other party; the words that make a
        share one of the entity's own total, if any."""
        window = self._previous_figure_end(start, clause)
        scope = []
        for span in self.scopes:
            near_before = window <= span.start and span.end <= start
            in_phrase = phrase[0] <= span.start and span.end <= phrase[1]
            if near_before or (in_phrase and not self.lex.scopes[span.id].before_only):
                scope.append((span.id, span.words))
        if metric is not None:
            for trigger in self.triggers:
                inside = phrase[0] <= trigger.start and trigger.end <= metric.start
                if inside and trigger.id != metric.id:
                    scope.append((trigger.id, trigger.words))  # "separation patents"
        if entity is not None and entity.party:
            commodity = self._commodity(start, clause)
            if commodity is not None and not self.lex.entities[commodity.id].implicit:
                scope.append((commodity.id, commodity.words))
        others = [
            n for n in self.names
            if n.counterpart and n.party and (entity is None or n.id != entity.id)
        ]
        # The other party of the figure's clause, else of the clause its metric came from.
        others = [n for n in others if clause.body <= n.start < clause.end] or [
            n for n in others if metric_clause.body <= n.start < metric_clause.end
        ]
        other = min(others, key=lambda n: (abs(n.start - start), n.start), default=None)
        own = (
            metric is not None
            and self.lex.metrics[metric.id].world_share
            and claim.dimension == "percent"
            and self._starts_possessive(phrase)
        )
        return scope, other, self.text[phrase[0]:phrase[1]] if own else None

    def _starts_possessive(self, phrase: tuple[int, int]) -> bool:
        words = _WORD.findall(self.text, phrase[0], phrase[1])
        if not words:
            return False
        first = words[0].lower()
        return first in ("its", "their") or any(
            n.possessive and n.start == phrase[0] for n in self.names
        )

    def _period(self, start: int, end: int, clause: _Clause) -> Claim | None:
        """The nearest date of the figure's clause that is not a baseline; else of the clauses
        before it ("In 2022, the company sold…", 2023年末，…人口为…)."""
        candidates = []
        earlier = []
        dated = False  # the clause has a date, if only a baseline: it borrows none
        for d_start, d_end, date in self.dates:
            if (d_start, d_end) == (start, end):
                continue
            own = self._clause_at(d_start)
            if own.end > clause.start and not (clause.body <= d_start < clause.end):
                continue
            dated = dated or own.end > clause.start
            words = [w.lower() for w in _WORD.findall(self.text[own.body:d_start])]
            if words and words[-1] in self.lex.baseline:
                continue
            if self.text[max(own.body, d_start - 1):d_start] in self.lex.baseline:
                continue
            distance = d_start - end if d_start >= end else start - d_end
            (candidates if own.end > clause.start else earlier).append((distance, d_start, date))
        found = candidates or ([] if dated else earlier)
        return min(found, key=lambda item: (item[0], item[1]))[2] if found else None

    def _role(self, start: int, end: int, clause: _Clause) -> tuple[str, int]:
        window = self._previous_figure_end(start, clause)
        if self.lex.each_after.match(self.text, end) or self.lex.each_before.search(
            self.text[max(window, start - 4):start]
        ):
            return "each", self._parties(clause)
        if self.lex.total_before.search(self.text[window:start]) or self.lex.total_after.match(
            self.text, end
        ):
            return "total", 0
        return "", 0

    def _parties(self, clause: _Clause) -> int:
        """How many parties share a per-party amount: "both", 两国, or the names in the clause."""
        said = self.lex.parties_words.search(self.text)
        if said is not None:
            return self.lex.parties[said.group().lower()]
        named = {
            n.id for n in self.names
            if clause.start <= n.start < clause.end and n.party
        }
        return len(named) if len(named) >= 2 else 0


# How a party not named beside its figure was found, as the evidence says it, and the reading
# of rules/lexicon.toml [certainty] that says how sure it is.
WEAK_PARTIES = frozenset({"an earlier sentence", "the title",
                          "a name that qualifies a noun, or a term"})
_WEAKER_READINGS = {
    "an earlier sentence": "earlier_sentence",
    "the title": "title",
    "a cited source": "cited_source",
    "a name that qualifies a noun, or a term": "weak_name",
}


def _borrowed(entity: _Span) -> str:
    """Where a party was found when not named with its figure; "" when it was."""
    if entity.start < 0 or entity.how in ("an earlier sentence", "the title"):
        return entity.how if entity.how != "this sentence" else ""
    if entity.source:
        return "a cited source"
    if entity.weak:
        return "a name that qualifies a noun, or a term"
    return ""


def _offset(claim: Claim) -> int:
    """Where the figure starts in its sentence."""
    relative = claim.start - claim.sentence_start
    if claim.sentence[relative:relative + len(claim.surface)] == claim.surface:
        return relative
    found = claim.sentence.find(claim.surface)
    return found if found >= 0 else len(claim.sentence)
