"""The types that flow through the pipeline: Document -> Sentence -> Mention -> Claim.

Every offset is a character offset into the source file as decoded, so a claim can be
found again in the file it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any

__all__ = [
    "Document", "Sentence", "Mention", "QuantityKey", "Claim", "Finding", "Problem", "QUALIFIERS",
    "DIMENSIONS", "SEVERITIES",
]

QUALIFIERS = ("exact", "approx", "lower", "upper", "range")

SEVERITIES = ("error", "warning", "info")

DIMENSIONS = (
    "mass", "currency", "percent", "duration", "energy", "power", "length", "area", "volume",
    "speed", "temperature", "data", "frequency", "count", "ratio", "rank", "date", "other",
)


@dataclass(frozen=True, slots=True)
class Document:
    """One article. `text` is the whole decoded file with non-prose masked by spaces
    (citation markers, HTML markup), so offsets into it are offsets into the file."""

    doc_id: str
    path: str
    text: str
    start: int  # where the article's body begins in `text`
    end: int  # where it ends
    title: str = ""
    published: str = ""  # ISO 8601 date or date-time, "" when unknown
    source: str = ""
    url: str = ""
    lang: str = "en"

    @property
    def body(self) -> str:
        return self.text[self.start:self.end]


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a document; `start`/`end` are offsets into `Document.text`."""

    doc_id: str
    start: int
    end: int
    text: str
    lang: str = "en"


@dataclass(frozen=True, slots=True)
class Mention:
    """One figure as found in a sentence; offsets are relative to the sentence.

    `stated_value`/`stated_unit` are the figure as written (scale words applied);
    `value`/`low`/`high` are in the canonical `unit` of `dimension`, `low`/`high` being the
    interval the figure stands for after its qualifier, range and rounding.
    """

    start: int
    end: int
    surface: str
    stated_value: float
    stated_unit: str
    value: float
    low: float
    high: float
    unit: str
    dimension: str
    qualifier: str = "exact"
    change: str = ""  # "", "from", "to", "increase", "decrease"
    iso: str = ""  # dates: ISO 8601 date or interval "start/end"
    confidence: float = 1.0


@dataclass(frozen=True, slots=True, order=True)
class QuantityKey:
    """What a claim is a figure of: claims are compared only when their keys are equal.

    `str(key)` is the fact table's `key` column, `entity|metric|scope|measure`: a metric read
    from a noun phrase written `~phrase`, a restated sentence in quotes, the scope's words and the
    parts below "+"-joined, sorted (`with:<entity>` for the other party, `own`, `each`).
    """

    entity: str
    metric: str  # a lexicon metric's id, or the noun phrase when `phrase`
    measure: str  # the dimension; "<dimension>:change" for a rise or fall
    scope: tuple[str, ...] = ()  # narrowing words' ids (scope words, commodities, metrics)
    other: str = ""  # the other party ("relies on China"): its entity id
    own: bool = False  # a share of the entity's own total, not of the world's
    each: bool = False  # an amount per party ("$1 billion each")
    phrase: bool = False  # the metric is the figure's noun phrase, matched with rapidfuzz
    # No party or no measure was read: the metric is the figure's sentence, its words folded and
    # its figures masked ("@" this one, "#" the others), so the same sentence in another
    # article is the same quantity.
    restated: bool = False

    @property
    def scope_tokens(self) -> tuple[str, ...]:
        """The scope as the fact table writes it."""
        parts = [*self.scope, *([f"with:{self.other}"] if self.other else []),
                 *(["own"] if self.own else []), *(["each"] if self.each else [])]
        return tuple(sorted(parts))

    @property
    def metric_text(self) -> str:
        if self.restated:
            return f'"{self.metric}"'
        return f"~{self.metric}" if self.phrase else self.metric

    def __str__(self) -> str:
        return "|".join((self.entity, self.metric_text, "+".join(self.scope_tokens), self.measure))


# What a claim takes over from the mention it places.
_FIGURE_FIELDS = (
    "surface", "value", "low", "high", "unit", "dimension", "qualifier", "stated_value",
    "stated_unit", "change", "iso", "confidence",
)


@dataclass(frozen=True, slots=True)
class Claim:
    """One row of the fact table: a mention placed in its document and file."""

    claim_id: str
    doc_id: str
    path: str
    title: str
    published: str
    lang: str
    line: int
    col: int
    start: int
    end: int
    sentence: str
    surface: str
    value: float
    low: float
    high: float
    unit: str
    dimension: str
    qualifier: str
    stated_value: float
    stated_unit: str
    change: str = ""
    iso: str = ""
    entity: str = ""
    metric: str = ""
    scope: str = ""
    period: str = ""
    key: QuantityKey | None = None  # set when entity and metric are: what it is a figure of
    confidence: float = 1.0
    sentence_start: int = 0  # where `sentence` begins in the file, so the figure can be found in it
    # "each" for a per-party amount, "total" for a stated total, "superseded" for a figure its
    # sentence revises and "revision" for the figure that revises it, else ""
    role: str = ""
    parties: int = 0  # how many parties share a per-party amount, when the sentence says
    # The words that decided entity, metric, scope and period: (("entity", "Russia's"), ...).
    evidence: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_mention(cls, mention: Mention, **placed: Any) -> Claim:
        """A claim for `mention`: its figure fields, plus where it stands (`placed`)."""
        return cls(**dict(zip(_FIGURE_FIELDS, _figure_fields(mention), strict=True)), **placed)

    def with_fields(self, **changes: Any) -> Claim:
        """`dataclasses.replace`, at half its cost: a sentence of 100,000 figures makes as
        many claims twice over."""
        values = dict(zip(_CLAIM_FIELDS, _claim_fields(self), strict=True))
        values.update(changes)
        return Claim(**values)


_CLAIM_FIELDS = tuple(f.name for f in fields(Claim))
_claim_fields = attrgetter(*_CLAIM_FIELDS)
_figure_fields = attrgetter(*_FIGURE_FIELDS)


@dataclass(frozen=True, slots=True)
class Finding:
    """A disagreement between claims about one quantity, or another rule hit.

    `sides` groups the claim ids that agree with each other; `reason` says why the claims are
    taken to be about the same quantity.
    """

    finding_id: str
    code: str
    severity: str
    kind: str
    key: str
    claim_ids: tuple[str, ...]
    message: str
    explanation: str
    sides: tuple[tuple[str, ...], ...] = ()
    reason: str = ""
    ratio: float | None = None  # larger / smaller value of the sides, when a ratio means something
    name: str = ""  # the rule's name, e.g. "magnitude-slip"
    quantity: str = ""  # what the claims are about, for people: "Russia · reserves"
    period: str = ""  # the period the compared claims share, "" when unknown
    points: float | None = None  # for percentages: how many points apart the sides are
    sources: tuple[int, ...] = ()  # independent sources of each side
    consensus: int | None = None  # index of the side held by the most sources; None on a tie
    # Figures its sentence revises, among the claims: (earlier claim id, later claim id, the words
    # "2.85 million tons → 380,000 tons, downgraded by U.S. Geological Survey"). The later value
    # supersedes the earlier; they are one figure's history, not two sources.
    revisions: tuple[tuple[str, str, str], ...] = ()
    # The outlets of each side's independent sources, one name per source that has an outlet
    # ("AP / Reuters" for a copy across two), sorted; a source without one is counted in
    # `sources` only, so len(outlets[i]) <= sources[i].
    outlets: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class Problem:
    """A file, or part of one, that could not be used, and why."""

    path: str
    reason: str
    line: int | None = None
    details: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.reason}"
