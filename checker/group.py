"""Which claims are about the same quantity.

Stage: claims -> groups. Claims are compared only when entity, metric, scope and measure (the
dimension, or a change) agree and their periods are equal or unknown; a claim of unknown period
joins the group of every period of its key. Metrics built from a noun phrase ("~recovery rate")
are matched across claims with rapidfuzz. A figure keyed by its sentence (no party or no metric
read: `QuantityKey.restated`) is compared only with the same sentence in another article, and
only when the sentence has words enough to say what it measures. Each group says why its claims
belong together.

Sources: copies of one article and the articles of one outlet are one source (checker.copies).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property

from checker.claims import WEAK_PARTIES, Lexicon, is_comparable, restated_words
from checker.copies import copies
from checker.models import Claim, Document, QuantityKey
from checker.rulebook import Rulebook

__all__ = [
    "Group",
    "Grouping",
    "comparable",
    "group",
    "match_phrases",
    "party_names",
    "sources_phrase",
]


@dataclass(frozen=True)
class Group:
    """Claims about one quantity in one period (or of unknown period), and why."""

    key: QuantityKey
    period: str  # the explicit period of the group; "" when its claims name none
    claims: tuple[Claim, ...]
    reason: str

    # Worked out when first asked for and then kept: a large group has findings by the
    # hundred, and a group whose claims agree has none. (No slots: the values are kept in
    # the instance's __dict__.)

    @cached_property
    def named(self) -> tuple[str, ...]:
        """The words the claims named their party with, for the group's label."""
        return party_names(self.claims)

    @cached_property
    def noted(self) -> tuple[Claim, ...]:
        """The claims whose words qualify a finding about them (a party read from weak
        evidence, a figure and its revision), in order."""
        return tuple(claim for claim in self.claims
                     if claim.role in ("superseded", "revision")
                     or any(part == "entity from" and words in WEAK_PARTIES
                            for part, words in claim.evidence))


def party_names(claims: Iterable[Claim]) -> tuple[str, ...]:
    """The words each claim's party was read from ("Russia's"), as a label counts them."""
    return tuple(words for claim in claims for part, words in claim.evidence if part == "entity")


@dataclass(frozen=True, slots=True)
class Grouping:
    """The groups of a corpus and the independent source of each article."""

    groups: tuple[Group, ...]
    source_of: Mapping[str, str]  # doc_id -> its independent source (`independent`)
    by_key: Mapping[QuantityKey, tuple[Claim, ...]]  # every comparable claim of a key, any period

    def source(self, claim: Claim) -> str:
        return self.source_of.get(claim.doc_id, claim.doc_id)


def group(
    claims: Iterable[Claim],
    documents: Sequence[Document],
    rulebook: Rulebook,
    source_of: Mapping[str, str] | None = None,
) -> Grouping:
    """Group the comparable claims of a corpus by key and period; the copies among `documents`
    are found here unless `source_of` gives them (doc_id -> its source, as `copies` does)."""
    by_key: dict[QuantityKey, list[Claim]] = {}
    for claim in comparable(claims, rulebook):
        assert claim.key is not None  # comparable claims are keyed
        by_key.setdefault(claim.key, []).append(claim)
    groups = []
    for key in sorted(by_key):
        members = sorted(by_key[key], key=_by_id)
        for unit in sorted({claim.unit for claim in members}):
            # figures in units that do not convert (USD and CNY, USD and USD/kg) are not
            # compared: no exchange rate is applied
            for period, bucket in _periods([c for c in members if c.unit == unit]):
                if len(bucket) >= 2:
                    reason = _reason(key, bucket, period, rulebook)
                    groups.append(Group(key, period, tuple(bucket), reason))
    return Grouping(
        groups=tuple(groups),
        source_of=copies(documents, rulebook.settings) if source_of is None else source_of,
        by_key={key: tuple(sorted(by_key[key], key=_by_id)) for key in sorted(by_key)},
    )


def comparable(claims: Iterable[Claim], rulebook: Rulebook) -> list[Claim]:
    """The claims that can be compared, each keyed by the phrase that stands for its metric
    among them (near-identical phrase metrics are one quantity) and by the one id of names the
    corpus links (`linked_names`)."""
    checkable = _restatements([claim for claim in claims if is_comparable(claim)],
                              rulebook.settings.restated_min_words)
    phrases = match_phrases({claim.key.metric for claim in checkable
                             if claim.key and claim.key.phrase}, rulebook.settings.phrase_ratio)
    aliases = linked_names(checkable, rulebook.lexicon)
    keyed = []
    for claim in checkable:
        if claim.key is None or (claim.change == "from" and not claim.key.restated):
            continue  # the earlier level of "from A to B": of another time than the article's
        own = claim.key
        entity = aliases.get(own.entity, own.entity)
        metric = phrases.get(own.metric, own.metric) if own.phrase else own.metric
        if entity == own.entity and metric == own.metric:  # most claims: no copy to make
            keyed.append(claim)
        else:
            keyed.append(replace(claim, key=replace(own, entity=entity, metric=metric)))
    return keyed


def _restatements(claims: list[Claim], min_words: int) -> list[Claim]:
    """The claims less those keyed by a sentence that no other article restates, or by one too
    short to tell what it is about."""
    documents: dict[QuantityKey, set[str]] = {}
    for claim in claims:
        if claim.key is not None and claim.key.restated:
            documents.setdefault(claim.key, set()).add(claim.doc_id)
    enough = {key: len(docs) >= 2 and restated_words(key.metric) >= min_words
              for key, docs in documents.items()}
    return [claim for claim in claims
            if claim.key is not None and (not claim.key.restated or enough[claim.key])]


def linked_names(claims: Sequence[Claim], lexicon: Lexicon) -> dict[str, str]:
    """Names the corpus shows to be one party: the id of a name -> the id it stands for.

    - A name one article glosses in the other language ("特斯拉（Tesla）") is that name in
      every article.
    - A short name that ends exactly one longer name of the corpus ("Moutai", "Kweichow
      Moutai"; 茅台, 贵州茅台) is that name; a place is never a short form ("America" in
      "Bank of America").
    """
    aliases: dict[str, str] = {}
    for claim in sorted(claims, key=_by_id):
        for part, given in claim.evidence:
            if part == "alias" and given != claim.entity:
                aliases.setdefault(given, claim.entity)
    names = sorted({claim.entity for claim in claims} | set(aliases.values()))
    ending = _endings(names)
    for short in names:
        if short in aliases or lexicon.is_place(short):
            continue
        longer = ending.get(short, set())
        if len(longer) == 1:
            aliases[short] = next(iter(longer))
    for name, target in aliases.items():
        seen = {name}
        while target in aliases and target not in seen:
            seen.add(target)
            target = aliases[target]
        aliases[name] = target
    return aliases


def _endings(names: Iterable[str]) -> dict[str, set[str]]:
    """A short name -> the other names that end with it: after a word break ("_"), or, in a
    script without spaces, anywhere (two characters at least). Each name gives its own
    endings, so a corpus of thousands of names is not tried pair by pair."""
    ending: dict[str, set[str]] = {}
    for name in names:
        shorts = {name[index + 1:] for index, char in enumerate(name) if char == "_"}
        shorts.update(tail for index in range(len(name) - 1)
                      if not (tail := name[index:]).isascii())
        shorts.discard(name)
        for short in shorts:
            ending.setdefault(short, set()).add(name)
    return ending


def _by_id(claim: Claim) -> str:
    return claim.claim_id


def _periods(claims: list[Claim]) -> list[tuple[str, list[Claim]]]:
    """One bucket per explicit period, each with the claims of unknown period."""
    periods = sorted({claim.period for claim in claims if claim.period})
    unknown = [claim for claim in claims if not claim.period]
    if len(periods) <= 1:
        return [(periods[0] if periods else "", claims)]
    return [(period, [c for c in claims if c.period == period] + unknown) for period in periods]


def match_phrases(phrases: Iterable[str], min_ratio: float) -> dict[str, str]:
    """Noun phrase -> the phrase that stands for it: near-identical phrases are one metric."""
    from rapidfuzz import fuzz

    representatives: list[str] = []
    canonical = {}
    for phrase in sorted(phrases):
        match = next(
            (rep for rep in representatives if fuzz.token_sort_ratio(phrase, rep) >= min_ratio),
            None,
        )
        if match is None:
            representatives.append(phrase)
            match = phrase
        canonical[phrase] = match
    return canonical


def sources_phrase(count: int, outlets: Sequence[str], limit: int = 4) -> str:
    """"1 outlet: Sou Hu Cai Jing", "3 independent sources: Reuters, Xinhua, 1 without an
    outlet", "2 independent sources": `count` sources, `outlets` naming those that have one."""
    sources = f"{count} independent source{'' if count == 1 else 's'}"
    if not outlets:
        return sources
    named = [*outlets[:limit], *([f"{len(outlets) - limit} more"] if len(outlets) > limit else [])]
    unnamed = count - len(outlets)
    if unnamed > 0:
        return f"{sources}: {', '.join(named)}, {unnamed} without an outlet"
    return f"{count} outlet{'' if count == 1 else 's'}: {', '.join(named)}"


def _reason(
    key: QuantityKey, claims: Sequence[Claim], period: str, rulebook: Rulebook
) -> str:
    """Why these claims are about one quantity: the key, and the words in the text that made it."""
    lexicon = rulebook.lexicon
    words = _evidence(claims)
    if key.restated:
        party = f"entity {lexicon.entity_label(key.entity, words.get('entity', ()))}; " \
            if key.entity else ""
        sentences = len({claim.doc_id for claim in claims})
        return (f"same sentence in {sentences} articles, its figures aside: "
                f"“{key.metric.replace('@', '…')}”; "
                f"{party}dimension {key.measure.replace(':change', ' (a change)')}; "
                + (f"period {period}" if period else "period not stated"))
    parts = [
        f"entity {lexicon.entity_label(key.entity, words.get('entity', ()))}"
        f"{_quoted(words.get('entity', ()))}",
        f"metric {_metric_name(lexicon, key)}{_quoted(words.get('metric', ()))}",
    ]
    if key.scope_tokens:
        labels = ", ".join(lexicon.scope_label(token) for token in key.scope_tokens)
        parts.append(f"scope {labels}{_quoted(words.get('scope', ()))}")
    else:
        parts.append("no narrowing scope words")
    parts.append(f"dimension {key.measure.replace(':change', ' (a change)')}")
    parts.append(f"period {period}" if period else "period not stated")
    return "same " + "; ".join(parts)


def _metric_name(lexicon: Lexicon, key: QuantityKey) -> str:
    if key.phrase:
        return f"phrase “{key.metric}” (matched with rapidfuzz)"
    return lexicon.metric_label(key.metric)


def _evidence(claims: Sequence[Claim]) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for claim in claims:
        for part, words in claim.evidence:
            seen = found.setdefault(part, [])
            if words not in seen:
                seen.append(words)
    return {part: tuple(sorted(words, key=str.casefold)) for part, words in found.items()}


def _quoted(words: Sequence[str], limit: int = 4) -> str:
    if not words:
        return ""
    shown = ", ".join(f"“{word}”" for word in words[:limit])
    more = f", +{len(words) - limit}" if len(words) > limit else ""
    return f" ({shown}{more})"
