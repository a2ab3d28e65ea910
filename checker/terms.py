"""A corpus's frequent entities and measures, as the pipeline keyed its figures: a start for a pack.

A figure is compared with others only when they share its key (entity | metric | scope |
measure). For each entity and each measure the claims name, `terms` counts its figures and how
many of them are comparable: their key is shared by another figure. A phrase with many figures
and few comparable ones is where a pack's aliases or triggers would help (docs/own-topic.md).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from checker.claims import PHRASE_PREFIX, Lexicon
from checker.models import Claim

__all__ = ["KINDS", "Term", "terms"]

KINDS = ("entity", "measure")


@dataclass(frozen=True, slots=True)
class Term:
    """One entity or measure of a corpus."""

    kind: str  # "entity" or "measure"
    id: str  # as in the claims' entity or metric column
    label: str  # the lexicon's label, else the phrase itself
    in_lexicon: bool  # named by the lexicon (base, pack or file), not only read from the text
    figures: int  # figures about it
    comparable: int  # of those, figures whose key another figure shares
    documents: int  # documents it has figures in

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def terms(claims: Iterable[Claim], lexicon: Lexicon, *, top: int | None = None) -> tuple[Term, ...]:
    """The entities and measures of `claims`, most figures first (then by id); at most `top` of
    each kind."""
    claims = list(claims)
    shared = Counter(claim.key for claim in claims if claim.key)
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    documents: dict[tuple[str, str], set[str]] = defaultdict(set)
    for claim in claims:
        for kind, value in (("entity", claim.entity), ("measure", claim.metric)):
            if not value:
                continue
            count = counts[kind, value]
            count[0] += 1
            count[1] += shared[claim.key] > 1 if claim.key else 0
            documents[kind, value].add(claim.doc_id)
    found = [_term(kind, value, count, len(documents[kind, value]), lexicon)
             for (kind, value), count in counts.items()]
    found.sort(key=lambda term: (KINDS.index(term.kind), -term.figures, term.id))
    if top is None:
        return tuple(found)
    return tuple(term for kind in KINDS for term in [t for t in found if t.kind == kind][:top])


def _term(kind: str, value: str, count: list[int], documents: int, lexicon: Lexicon) -> Term:
    known = lexicon.entities if kind == "entity" else lexicon.metrics
    entry = known.get(value)
    label = entry.label if entry is not None else value.removeprefix(PHRASE_PREFIX)
    return Term(kind, value, label, entry is not None, count[0], count[1], documents)
