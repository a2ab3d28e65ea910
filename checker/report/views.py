"""The views of findings and agreements: what the page shows of them, computed here so the
templates stay dumb (sides, their figures in their sentences, revisions, charts), and the
context they are made in: claims and documents by id, the page's anchors, names for ids. Also
the text helpers the page shares: `tidy`, `split_sentence`, `lang_of`."""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from checker.models import SEVERITIES, Claim, Document, Finding
from checker.report.charts import Chart, NumberLine, number_line, timeline_charts
from checker.report.numbers import format_interval, format_quantity, format_ratio, format_stated
from checker.report.quantities import Agreement
from checker.sentences import detect_lang

if TYPE_CHECKING:
    from checker.claims import Lexicon

__all__ = [
    "MAX_CLAIMS_PER_AGREEMENT",
    "AgreementView",
    "Anchors",
    "ClaimView",
    "Context",
    "FindingView",
    "Labels",
    "RevisionView",
    "SideView",
    "agreement_view",
    "finding_view",
    "lang_of",
    "severity_rank",
    "split_sentence",
    "tidy",
]

# Figures of an agreement shown before it is opened.
MAX_CLAIMS_PER_AGREEMENT = 3

_SEVERITY_RANK = MappingProxyType({name: rank for rank, name in enumerate(SEVERITIES)})
_SIDE_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_.~-]+")
# Masked citation markers and markup leave runs of spaces, and spaces before punctuation.
_GAP_BEFORE_PUNCTUATION = re.compile(r"[ \t\u00a0\u3000]+(?=[.,;:!?%)\]}。，、；：！？）」』》])")
_SPACES = re.compile(r"[ \t\u00a0]{2,}")


@dataclass(frozen=True, slots=True)
class ClaimView:
    claim: Claim
    anchor: str  # id of the figure in the documents view, "" when its document is not shown
    doc_anchor: str
    file: str  # path shown, relative to the corpus folder
    before: str  # the sentence around the figure, tidied for reading
    figure: str
    after: str
    stated: str
    normalized: str
    interval: str
    lang: str  # of the sentence
    title_lang: str
    outlet: str
    role: str  # "earlier" or "later" when its sentence revises it, else ""
    said_by: str = ""  # the source its sentence cites ("according to the IEA"), if any


@dataclass(frozen=True, slots=True)
class RevisionView:
    earlier: ClaimView
    later: ClaimView
    words: str  # "2.85 million tons → 380,000 tons, downgraded by U.S. Geological Survey"


@dataclass(frozen=True, slots=True)
class SideView:
    label: str
    index: int
    members: tuple[Claim, ...]  # every claim of the side
    claims: tuple[ClaimView, ...]  # the ones shown as written, at most Context.max_claims
    sources: int  # independent sources
    articles: int
    outlets: tuple[str, ...]
    unnamed: int  # independent sources without an outlet
    consensus: bool
    revisions: tuple[RevisionView, ...]  # figures this side's later values revise
    rows: str  # the facts-data rows of the figures not shown, space-separated
    unlisted: int  # figures not shown and not in the facts data either

    @property
    def hidden(self) -> int:
        return len(self.members) - len(self.claims)


@dataclass(frozen=True, slots=True)
class FindingView:
    anchor: str
    finding_id: str
    code: str
    severity: str
    rank: int
    kind: str
    key: str
    quantity: str
    message: str
    explanation: str
    reason: str
    ratio: str
    gap: float
    entities: tuple[str, ...]
    sides: tuple[SideView, ...]
    numberline: NumberLine | None
    charts: tuple[Chart, ...]


@dataclass(frozen=True, slots=True)
class AgreementView:
    anchor: str
    label: str
    key: str
    value: str  # the figure they agree on, as stated and normalized
    sources: int
    articles: int
    outlets: tuple[tuple[str, int], ...]
    claims: tuple[ClaimView, ...]
    count: int
    rows: str
    unlisted: int


# --- text ---


def tidy(text: str) -> str:
    """Text for reading: no run of spaces, no space before punctuation ("capacity ." reads
    "capacity."), where masked citation markers or markup left them. Display only: the data
    keep the text as found, so its offsets stay true."""
    return _SPACES.sub(" ", _GAP_BEFORE_PUNCTUATION.sub("", text))


def lang_of(text: str) -> str:
    """The language of a text ("zh" or "en"); "en" for none."""
    return detect_lang(text) if text else "en"


class Labels:
    """Names for people of the ids of entities, measures and scope words."""

    def __init__(self, lexicon: Lexicon, claims: Iterable[Claim]) -> None:
        self.lexicon = lexicon
        self.named: dict[str, list[str]] = {}  # entity -> the words the text named it with
        for claim in claims:
            for part, words in claim.evidence:
                if part == "entity" and claim.entity:
                    self.named.setdefault(claim.entity, []).append(words)
        self._entities: dict[str, str] = {}

    def entity(self, entity_id: str) -> str:
        label = self._entities.get(entity_id)
        if label is None:
            label = self._entities[entity_id] = self.lexicon.entity_label(
                entity_id, self.named.get(entity_id, ())
            )
        return label

    def metric(self, metric_id: str) -> str:
        return self.lexicon.metric_label(metric_id).replace("_", " ")

    def scope(self, scope: str) -> str:
        return ", ".join(self.lexicon.scope_label(token) for token in scope.split("+") if token)


# --- context ---


class Anchors:
    """HTML ids from arbitrary ids: safe in a URL fragment, and unique within the page."""

    def __init__(self) -> None:
        self._taken: dict[str, str] = {}
        self._given: dict[tuple[str, str], str] = {}

    def __call__(self, prefix: str, raw: str) -> str:
        if (prefix, raw) in self._given:
            return self._given[(prefix, raw)]
        base = f"{prefix}-{_UNSAFE_ID.sub('-', raw).strip('-') or 'x'}"
        anchor, number = base, 1
        while anchor in self._taken:
            number += 1
            anchor = f"{base}-{number}"
        self._taken[anchor] = raw
        self._given[(prefix, raw)] = anchor
        return anchor


@dataclass(frozen=True, slots=True)
class Context:
    """What every part of the page looks claims and documents up in."""

    claims: Mapping[str, Claim]
    documents: Mapping[str, Document]
    shown: frozenset[str]  # ids of the documents whose text is on the page
    root: str  # the corpus folder, paths are shown relative to it
    anchors: Anchors
    max_claims: int  # shown per side of a finding
    labels: Labels
    files: dict[str, str] = field(default_factory=dict)  # path -> as shown, computed once
    rows: dict[str, int] = field(default_factory=dict)  # claim id -> its row in the facts data

    def file(self, path: str) -> str:
        """The path as the page shows it: relative to the corpus folder."""
        shown = self.files.get(path)
        if shown is None:
            shown = self.files[path] = _display_path(path, self.root)
        return shown

    def outlet(self, claim: Claim) -> str:
        document = self.documents.get(claim.doc_id)
        return document.source if document is not None else ""

    def lookup(self, claim_ids: Iterable[str]) -> tuple[Claim, ...]:
        """The claims of these ids, in order, less those not known."""
        # a finding of a large corpus holds hundreds of thousands: one lookup each, in map
        return tuple(filter(None, map(self.claims.get, claim_ids)))

    def rest(self, claims: Iterable[Claim]) -> tuple[str, int]:
        """The facts-data rows of `claims`, space-separated, and how many have none."""
        # read in C (map), not in a Python loop: a side may hold hundreds of thousands
        rows = list(map(self.rows.get, map(attrgetter("claim_id"), claims)))
        listed = " ".join([str(row) for row in rows if row is not None])
        return listed, rows.count(None)


def _display_path(path: str, root: str) -> str:
    """A path relative to the corpus folder: short, and the same on every machine."""
    if not root:
        return path
    try:
        return Path(os.path.relpath(os.path.abspath(path), root)).as_posix()
    except ValueError:
        return path


# --- findings ---


def severity_rank(finding: Finding) -> int:
    """Where a finding's severity sorts, errors first."""
    return _SEVERITY_RANK.get(finding.severity, len(SEVERITIES))


def finding_view(finding: Any, context: Context) -> FindingView:
    members = context.lookup(finding.claim_ids)
    revisions = _revisions(finding, context)
    sides = _sides(finding, context, revisions)
    ratio = getattr(finding, "ratio", None)
    severity = str(finding.severity)
    line = number_line(sides)
    return FindingView(
        anchor=context.anchors("finding", str(finding.finding_id)),
        finding_id=str(finding.finding_id),
        code=str(finding.code),
        severity=severity,
        rank=severity_rank(finding),
        kind=str(getattr(finding, "kind", "") or ""),
        key=str(getattr(finding, "key", "") or ""),
        quantity=str(getattr(finding, "quantity", "") or "")
        or _quantity(finding, members, context),
        message=str(getattr(finding, "message", "") or ""),
        explanation=str(getattr(finding, "explanation", "") or "").strip(),
        reason=str(getattr(finding, "reason", "") or ""),
        ratio=format_ratio(ratio),
        gap=ratio if ratio is not None and math.isfinite(ratio) else _gap(members),
        entities=tuple(sorted(filter(None, set(map(attrgetter("entity"), members))))),
        sides=sides,
        numberline=line,
        charts=timeline_charts(sides, line.scale if line else ""),
    )


def _revisions(finding: Any, context: Context) -> dict[str, tuple[str, str]]:
    """earlier claim id -> (later claim id, the words that say who revised it)."""
    found: dict[str, tuple[str, str]] = {}
    for revision in getattr(finding, "revisions", ()) or ():
        earlier, later, words = revision
        if earlier in context.claims and later in context.claims:
            found[earlier] = (later, str(words))
    return found


def _sides(
    finding: Any, context: Context, revisions: Mapping[str, tuple[str, str]]
) -> tuple[SideView, ...]:
    """The sides of a finding, each with its outlets and whether it is the consensus; a side
    made only of figures that another side's figures revise is that side's history, not a side
    of its own."""
    groups = [tuple(side) for side in getattr(finding, "sides", ()) or ()]
    if not groups:  # no grouping given: each claim stands on its own
        groups = [(claim_id,) for claim_id in finding.claim_ids]
    history, folded = _histories(groups, revisions)
    consensus = getattr(finding, "consensus", None)
    sources = tuple(getattr(finding, "sources", ()) or ())
    outlets = tuple(getattr(finding, "outlets", ()) or ())
    roles = _roles(revisions)
    views: list[SideView] = []
    for index, group in enumerate(groups):
        if index in folded:
            continue
        members = context.lookup(group)
        if not members:
            continue
        shown = _examples(members, context.max_claims)
        rows, unlisted = context.rest(_others(members, shown))
        articles = len(set(map(attrgetter("doc_id"), members)))
        count = _count(sources, index, articles)
        named = _side_outlets(outlets, index, members, context)
        views.append(
            SideView(
                label=_side_label(len(views)),
                index=len(views),
                members=members,
                claims=tuple(_claim_view(c, context, roles.get(c.claim_id, "")) for c in shown),
                sources=count,
                articles=articles,
                outlets=named,
                # the finding names one outlet per source that has one
                unnamed=max(count - len(named), 0) if index < len(outlets) else 0,
                consensus=isinstance(consensus, int) and consensus == index,
                revisions=tuple(
                    RevisionView(
                        earlier=_claim_view(context.claims[earlier], context, "earlier"),
                        later=_claim_view(context.claims[revisions[earlier][0]], context, "later"),
                        words=revisions[earlier][1],
                    )
                    for earlier in history.get(index, ())
                ),
                rows=rows,
                unlisted=unlisted,
            )
        )
    return tuple(views)


def _histories(
    groups: Sequence[tuple[str, ...]], revisions: Mapping[str, tuple[str, str]]
) -> tuple[dict[int, list[str]], set[int]]:
    """Side -> the earlier figures its figures revise, and the sides folded into another: those
    made only of figures that one other side's figures revise."""
    history: dict[int, list[str]] = {}
    folded: set[int] = set()
    if not revisions:  # most findings: no need to index their (many) claims
        return history, folded
    side_of = {claim_id: index for index, group in enumerate(groups) for claim_id in group}
    for index, group in enumerate(groups):
        if not group or not all(c in revisions for c in group):
            continue
        targets = {side_of.get(revisions[c][0]) for c in group}
        target = targets.pop() if len(targets) == 1 else None
        if target is not None and target != index:
            history.setdefault(target, []).extend(group)
            folded.add(index)
    return history, folded


def _roles(revisions: Mapping[str, tuple[str, str]]) -> dict[str, str]:
    roles = {earlier: "earlier" for earlier in revisions}
    roles.update({later: "later" for later, _ in revisions.values()})
    return roles


def _count(counts: Sequence[Any], index: int, default: int) -> int:
    value = counts[index] if index < len(counts) else None
    return value if isinstance(value, int) else default


def _side_outlets(
    given: Sequence[Any], index: int, members: Sequence[Claim], context: Context
) -> tuple[str, ...]:
    """The finding's outlets of the side, else those of its articles."""
    if index < len(given) and given[index]:
        return tuple(str(name) for name in given[index])
    named = {context.outlet(claim) for claim in members}
    return tuple(sorted((name for name in named if name), key=str.casefold))


def _examples(members: Sequence[Claim], limit: int) -> list[Claim]:
    """At most `limit` of a side's claims, in their order, one per sentence: a side made of
    many copies of one article shows how else the figure was put, not the copies."""
    chosen: list[Claim] = []
    sentences: set[str] = set()
    for claim in members:
        if len(chosen) == limit:
            break
        if claim.sentence not in sentences:
            sentences.add(claim.sentence)
            chosen.append(claim)
    return chosen


def _others(members: Sequence[Claim], shown: Sequence[Claim]) -> list[Claim]:
    ids = {claim.claim_id for claim in shown}
    return [claim for claim in members if claim.claim_id not in ids]


def _side_label(index: int) -> str:
    return _SIDE_LETTERS[index] if index < len(_SIDE_LETTERS) else str(index + 1)


def _claim_view(claim: Claim, context: Context, role: str = "") -> ClaimView:
    before, figure, after = split_sentence(claim, context.documents.get(claim.doc_id))
    before, after = tidy(before), tidy(after)
    in_page = claim.doc_id in context.shown
    return ClaimView(
        claim=claim,
        anchor=context.anchors("claim", claim.claim_id) if in_page else "",
        doc_anchor=context.anchors("doc", claim.doc_id) if in_page else "",
        file=context.file(claim.path),
        before=before,
        figure=figure,
        after=after,
        stated=format_stated(claim),
        normalized=format_quantity(claim.value, claim.unit, claim.iso),
        interval=format_interval(claim),
        lang=lang_of(before + figure + after),
        title_lang=lang_of(claim.title),
        outlet=context.outlet(claim),
        role=role,
        said_by=dict(claim.evidence).get("said by", ""),
    )


def split_sentence(claim: Claim, document: Document | None) -> tuple[str, str, str]:
    """The claim's sentence cut around its figure: (before, figure, after).

    The claim knows its offsets in the file, not in the sentence; the sentence is found again in
    the document text so that a figure written twice in one sentence is highlighted where it is.
    """
    sentence, surface = claim.sentence, claim.surface
    offset = _figure_offset(claim, document)
    if offset is None:
        found = sentence.find(surface) if surface else -1
        if found < 0:
            return sentence, "", ""
        offset = found
    return (
        sentence[:offset],
        sentence[offset : offset + len(surface)],
        sentence[offset + len(surface) :],
    )


def _figure_offset(claim: Claim, document: Document | None) -> int | None:
    if document is None or not claim.surface:
        return None
    sentence, surface = claim.sentence, claim.surface
    found = sentence.find(surface)
    while found >= 0:
        start = claim.start - found
        if start >= 0 and document.text[start : start + len(sentence)] == sentence:
            return found
        found = sentence.find(surface, found + 1)
    return None


def _quantity(finding: Any, members: Sequence[Claim], context: Context) -> str:
    """Entity · measure · scope · period in words, from the finding's claims."""
    labels = context.labels
    entity = _most_common(claim.entity for claim in members)
    metric = _most_common(claim.metric for claim in members)
    scope = _most_common(claim.scope for claim in members)
    period = str(getattr(finding, "period", "") or "") or _most_common(c.period for c in members)
    parts = [
        labels.entity(entity) if entity else "",
        labels.metric(metric) if metric else "",
        labels.scope(scope) if scope else "",
        period,
    ]
    return " · ".join(part for part in parts if part) or str(getattr(finding, "key", "")) or "—"


def _most_common(values: Iterable[str]) -> str:
    counts = Counter(value for value in values if value)
    if not counts:
        return ""
    # Ties go to the alphabetically first, so the page does not depend on claim order.
    return min(counts, key=lambda value: (-counts[value], value))


def _gap(members: Sequence[Claim]) -> float:
    """How far apart the values are, as a factor; 1 when that cannot be said."""
    values = [abs(claim.value) for claim in members if math.isfinite(claim.value)]
    if len({claim.unit for claim in members}) != 1 or not values or min(values) == 0:
        return 1.0
    if members[0].unit == "date":
        return 1.0
    return max(values) / min(values)


# --- agreements ---


def agreement_view(agreement: Agreement, context: Context) -> AgreementView:
    shown = _examples(agreement.claims, MAX_CLAIMS_PER_AGREEMENT)
    rows, unlisted = context.rest(_others(agreement.claims, shown))
    stated = agreement.stated
    value = format_quantity(agreement.value, stated.unit, stated.iso)
    return AgreementView(
        anchor=context.anchors("agreement", f"{agreement.key}@{agreement.period}"),
        label=agreement.label,
        key=agreement.key,
        value=f"{stated.surface} ({value})" if value != stated.surface else value,
        sources=agreement.sources,
        articles=len({claim.doc_id for claim in agreement.claims}),
        outlets=agreement.outlets,
        claims=tuple(_claim_view(claim, context) for claim in shown),
        count=len(agreement.claims),
        rows=rows,
        unlisted=unlisted,
    )
