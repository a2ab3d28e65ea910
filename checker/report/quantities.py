"""What a report says beyond its findings: the quantities that were checked and agree, each
compared quantity's figures over time, and what the run read with what.

The groups are those the run's findings were made from (`Result.grouping`), or are formed again
here with checker.group when the run kept none or the rulebook is another. Copies can only join
sources, so they are looked for only among the articles of groups that their outlets leave two
sources or more.

    >>> found = overview(checker.run(["articles/"]))
    >>> [(agreement.label, agreement.sources) for agreement in found.agreements]
    [('China · refining and processing', 2)]
"""

from __future__ import annotations

import hashlib
import math
import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checker.models import Claim, Document, Finding, QuantityKey

if TYPE_CHECKING:
    from checker.pipeline import Result
    from checker.rulebook import Rulebook

__all__ = [
    "Agreement",
    "Overview",
    "RunInfo",
    "Timeline",
    "common_folder",
    "default_rulebook",
    "overview",
]


@dataclass(frozen=True, slots=True)
class Agreement:
    """A quantity whose figures were compared and agree: from two or more independent sources,
    and no finding about it."""

    key: str
    period: str
    label: str
    claims: tuple[Claim, ...]
    sources: int  # independent sources
    outlets: tuple[tuple[str, int], ...]  # (outlet, articles), most articles first
    value: float  # the value the figures share (their median)
    stated: Claim  # the figure that shows it best


@dataclass(frozen=True, slots=True)
class Timeline:
    """A compared quantity's figures by publication date and by period."""

    key: str
    period: str
    label: str
    finding_ids: tuple[str, ...]  # empty for an agreement
    claims: tuple[Claim, ...]  # by publication date, then id


@dataclass(frozen=True, slots=True)
class RunInfo:
    corpus: str  # the folder holding every document read
    files: int
    documents: int
    figures: int
    problems: int
    rules: str  # a fingerprint of rules/ and the lexicon files merged into the lexicon
    lexicons: tuple[str, ...]  # those lexicon files, as names
    numcheck: str  # the version


@dataclass(frozen=True, slots=True)
class Overview:
    agreements: tuple[Agreement, ...]
    timelines: tuple[Timeline, ...]
    run: RunInfo
    single_source: int = 0  # quantities that agree, but in articles of one source only

    def records(self) -> dict[str, Any]:
        """The report.json members: "agreements", "timelines", "run"."""
        return {
            "agreements": [_agreement_record(agreement) for agreement in self.agreements],
            "timelines": [_timeline_record(timeline) for timeline in self.timelines],
            "run": _run_record(self.run),
        }


def default_rulebook(documents: Sequence[Document]) -> Rulebook:
    """The rulebook a run over the documents' folder uses by default: rules/ and the packs
    the corpus's numcheck.toml names."""
    from checker.config import corpus_lexicons
    from checker.rulebook import Rulebook

    folder = common_folder(document.path for document in documents)
    return Rulebook.load(lexicons=corpus_lexicons([folder] if folder else []))


def overview(
    result: Result,
    rulebook: Rulebook | None = None,
    source_of: Mapping[str, str] | None = None,
) -> Overview:
    """Agreements, timelines and the run of `result`, read with `rulebook` (default: the run's,
    else as the run would have; see default_rulebook); `source_of` (doc_id -> its source) when
    known."""
    from checker.classify import quantity_label
    from checker.compare import compare
    from checker.copies import copies, independent
    from checker.group import group

    rulebook = rulebook or result.rulebook or default_rulebook(result.documents)
    outlet_of = {document.doc_id: document.source for document in result.documents}
    # Until copies are known, outlets alone bound the sources from above: copies only join them.
    sources = independent({}, outlet_of) if source_of is None else source_of
    if result.grouping is not None and result.rulebook is rulebook:  # the findings' groups
        grouping = replace(result.grouping, source_of=sources)
    else:
        keyed = [claim for claim in result.claims if isinstance(claim.key, QuantityKey)]
        grouping = group(keyed, result.documents, rulebook, sources)
    flagged = {(str(finding.key), str(getattr(finding, "period", "") or ""))
               for finding in result.findings}
    agreeing = 0
    comparisons = []
    for each in grouping.groups:
        if (str(each.key), each.period) in flagged or len({c.doc_id for c in each.claims}) < 2:
            continue
        comparison = compare(each, grouping, rulebook.settings)
        if not comparison.disagrees:
            agreeing += 1
            if len({grouping.source(claim) for claim in each.claims}) >= 2:
                comparisons.append(comparison)
    if source_of is None and comparisons:
        wanted = {claim.doc_id for comparison in comparisons for claim in comparison.group.claims}
        among = [document for document in result.documents if document.doc_id in wanted]
        grouping = replace(grouping, source_of=copies(among, rulebook.settings))
    agreements = []
    for comparison in comparisons:
        claims = comparison.group.claims
        sources = len({grouping.source(claim) for claim in claims})
        if sources < 2:
            continue
        side = comparison.sides[0]
        agreements.append(
            Agreement(
                key=str(comparison.group.key),
                period=comparison.group.period,
                label=quantity_label(comparison.group.key, comparison.group.period, rulebook,
                                     comparison.group.named),
                claims=claims,
                sources=sources,
                outlets=_outlets(claims, outlet_of),
                value=side.value,
                stated=side.stated,
            )
        )
    agreements.sort(key=lambda agreement: (agreement.label.casefold(), agreement.key,
                                           agreement.period))
    timelines = _finding_timelines(result) + tuple(
        Timeline(a.key, a.period, a.label, (), _by_date(a.claims)) for a in agreements
    )
    return Overview(tuple(agreements), timelines, _run_info(result, rulebook),
                    single_source=agreeing - len(agreements))


def _outlets(claims: Iterable[Claim], outlet_of: Mapping[str, str]) -> tuple[tuple[str, int], ...]:
    articles = {claim.doc_id for claim in claims}
    counts = Counter(outlet_of.get(doc_id, "") for doc_id in articles)
    counts.pop("", None)
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _by_date(claims: Iterable[Claim]) -> tuple[Claim, ...]:
    return tuple(sorted(claims, key=lambda claim: (claim.published[:10], claim.claim_id)))


def _finding_timelines(result: Result) -> tuple[Timeline, ...]:
    """One timeline per quantity that findings are about (key and period), in finding order."""
    claims = {claim.claim_id: claim for claim in result.claims}
    quantities: dict[tuple[str, str], list[Finding]] = {}
    for finding in result.findings:
        period = str(getattr(finding, "period", "") or "")
        quantities.setdefault((str(finding.key), period), []).append(finding)
    timelines = []
    for (key, period), findings in quantities.items():
        ids = set(chain.from_iterable(finding.claim_ids for finding in findings))
        members = [claims[i] for i in ids if i in claims]  # in any order: _by_date sorts them
        label = next((str(f.quantity) for f in findings if getattr(f, "quantity", "")), key)
        found = tuple(str(finding.finding_id) for finding in findings)
        timelines.append(Timeline(key, period, label, found, _by_date(members)))
    return tuple(timelines)


# --- the run ---


def common_folder(paths: Iterable[str]) -> str:
    """The folder that holds every path ("" when there is none, or they are on other drives)."""
    folders = {os.path.dirname(os.path.abspath(path)) for path in paths}
    if not folders:
        return ""
    try:
        return os.path.commonpath(sorted(folders))
    except ValueError:
        return ""


def _run_info(result: Result, rulebook: Rulebook) -> RunInfo:
    from checker.version import __version__

    paths = {document.path for document in result.documents}
    return RunInfo(
        corpus=common_folder([*paths, *(problem.path for problem in result.problems)]),
        files=len(paths),
        documents=len(result.documents),
        figures=len(result.claims),
        problems=len(result.problems),
        rules=rules_fingerprint(rulebook.rules_dir, rulebook.lexicons),
        lexicons=tuple(_lexicon_name(path, rulebook.rules_dir) for path in rulebook.lexicons),
        numcheck=__version__,
    )


def rules_fingerprint(rules_dir: Path, lexicons: Sequence[Path] = ()) -> str:
    """12 hex digits that change when a file of rules/ or a merged lexicon file changes."""
    digest = hashlib.blake2b(digest_size=6)
    for path in sorted(rules_dir.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(rules_dir).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    for path in lexicons:
        digest.update(b"lexicon\0" + Path(path).read_bytes() + b"\0")
    return digest.hexdigest()


def _lexicon_name(path: Path, rules_dir: Path) -> str:
    try:
        return Path(path).relative_to(rules_dir).as_posix()
    except ValueError:
        return Path(path).name


# --- report.json records ---


def _agreement_record(agreement: Agreement) -> dict[str, Any]:
    return {
        "key": agreement.key,
        "period": agreement.period,
        "quantity": agreement.label,
        "value": _number(agreement.value),
        "unit": agreement.stated.unit,
        "stated": agreement.stated.surface,
        "claim_ids": [claim.claim_id for claim in agreement.claims],
        "sources": agreement.sources,
        "outlets": [{"name": name, "articles": count} for name, count in agreement.outlets],
    }


def _timeline_record(timeline: Timeline) -> dict[str, Any]:
    return {
        "key": timeline.key,
        "period": timeline.period,
        "quantity": timeline.label,
        "finding_ids": list(timeline.finding_ids),
        "points": [
            {
                "claim_id": claim.claim_id,
                "published": claim.published[:10],
                "period": claim.period,
                "value": _number(claim.value),
                "unit": claim.unit,
                "role": claim.role,
            }
            for claim in timeline.claims
        ],
    }



def _run_record(run: RunInfo) -> dict[str, Any]:
    return {**asdict(run), "lexicons": list(run.lexicons)}


def _number(value: float) -> float | None:
    """As report.json writes numbers: JSON has no infinity or NaN, so those are null."""
    return value if math.isfinite(value) else None
