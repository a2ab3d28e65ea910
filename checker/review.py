"""Pre-publication review: a draft's figures against a corpus, a reference table and itself.

An editor's question is "is my draft about to print a figure that contradicts the sources?".
The stages, each a function of this module:

    read_draft      a draft file -> documents with suppression comments found, then blanked
    reference       a CSV of trusted figures -> claims marked as reference (checker.reference)
    corpus          the corpus -> only the claims about a quantity the draft names, from the
                    index of checker.cache (claims cached by file content)
    compare         group, compare and classify these claims as `numcheck report` does
    locate          one finding per draft figure and quantity, placed at the draft figure
                    that departs from the reference or the consensus (the side held by the most
                    independent sources): the strongest classification, the others its notes,
                    and a fix hint in the draft's own unit; a draft figure on the side of the
                    authority is only information
    account         every draft figure: agrees (with how many sources), disagrees, or not
                    checked and why (NC302)
    triage          --select/--ignore, suppression comments (and NC301 for unused ones), the
                    baseline

`review(drafts, options)` runs them all and returns a Review; checker.report.lint renders it.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from operator import attrgetter
from pathlib import Path, PurePath
from types import MappingProxyType

from checker.baseline import fingerprint, read_baseline, split_known, write_baseline
from checker.cache import ClaimIndex, Snapshot, temporary_index_error, without_cache
from checker.cache import fingerprint as index_fingerprint
from checker.claims import PHRASE_PREFIX, is_comparable, restated_words
from checker.config import corpus_lexicons
from checker.copies import outlet_names
from checker.discover import corpus_files
from checker.errors import ConfigError, load_toml
from checker.extraction import Extractor
from checker.extraction.numerals import NORMALIZE, find_numerals
from checker.file_facts import Progress
from checker.group import Grouping, party_names, sources_phrase
from checker.ingest import parse_bytes
from checker.models import SEVERITIES, Claim, Document, Finding, Problem
from checker.pipeline import FileReader, document_claims, line_col, line_starts
from checker.reference import ORIGIN as REFERENCE
from checker.reference import ReferenceTable, read_reference
from checker.rulebook import RULES_DIR, Rule, Rulebook, RuleError
from checker.suppression import Suppression, apply, find_suppressions, mask_suppressions
from checker.units import Units

__all__ = [
    "DRAFT",
    "CORPUS",
    "REFERENCE",
    "STATUSES",
    "Draft",
    "DraftFigure",
    "DraftError",
    "Review",
    "ReviewFinding",
    "ReviewOptions",
    "Selection",
    "read_draft",
    "review",
    "review_rules",
]

DRAFT, CORPUS = "draft", "corpus"
REVIEW_CHECKS = ("unused-suppression", "unchecked-figure")
STATUSES = ("agrees", "disagrees", "unchecked")
_REQUIRED = ("code", "name", "kind", "check", "severity", "message", "explanation")
_claim_id = attrgetter("claim_id")


class DraftError(ConfigError):
    """A draft that cannot be read: named, with the reason; the review stops (exit 2)."""


@dataclass(frozen=True, slots=True)
class ReviewOptions:
    """What a draft is checked against, and how findings are triaged."""

    corpus: tuple[str, ...] = ()
    reference: str = ""
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    baseline: str = ""
    update_baseline: bool = False  # write the baseline from this run's findings
    create_baseline: bool = True  # write a missing baseline (refused in CI: it would hide all)
    cache_dir: Path | None = None  # None: the index lives in memory for this run
    tolerance: Mapping[str, float] = field(default_factory=dict)  # Settings field -> value
    rules_dir: Path = RULES_DIR
    # Pack names and lexicon files, merged after those the corpus folders name (checker.packs).
    lexicons: tuple[str, ...] = ()
    # The share of a draft's figures (0-100) that must be checkable; below it the review fails.
    min_checked: float | None = None
    # Where select and ignore were given, for errors: the options, or the configuration file.
    select_from: str = "--select"
    ignore_from: str = "--ignore"


@dataclass(frozen=True, slots=True)
class Draft:
    """A draft as read: its documents (comments blanked) and its suppression comments."""

    path: str
    documents: tuple[Document, ...]
    suppressions: tuple[Suppression, ...]


@dataclass(frozen=True, slots=True)
class ReviewFinding:
    """A finding located in a draft: at the first draft figure it involves."""

    finding: Finding  # its severity is the one reported
    path: str
    line: int
    col: int
    end_line: int
    end_col: int  # just past the figure
    draft_claim_ids: tuple[str, ...]
    fingerprint: str
    draft_figures: str  # the draft's figures as written, for the baseline
    rule_severity: str  # the rule's severity before the sides were weighed
    draft_side: int | None = None  # the side holding the anchor figure
    authority: int | None = None  # the side of the reference, else of the most sources
    authority_kind: str = ""  # "reference", "consensus" or ""
    note: str = ""  # why the severity differs from the rule's
    also: tuple[str, ...] = ()  # the other findings about this figure and quantity, in short
    fix: str = ""  # "sources say 540,000 tons": the authority in the draft's unit and language
    replacement: str = ""  # the figure of the fix alone ("540,000 tons"), for editors

    @property
    def code(self) -> str:
        return self.finding.code

    @property
    def severity(self) -> str:
        return self.finding.severity

    @property
    def message(self) -> str:
        return self.finding.message

    @property
    def quantity(self) -> str:
        return self.finding.quantity


@dataclass(frozen=True, slots=True)
class DraftFigure:
    """A draft figure and what the review made of it."""

    claim_id: str
    path: str
    line: int
    col: int
    surface: str
    status: str  # one of STATUSES
    why: str  # "1 outlet: Reuters", "3 independent sources", "NC102", "nothing in … about …"
    sources: int = 0  # independent non-draft sources on its side


@dataclass(frozen=True, slots=True)
class Review:
    """What a review found, and what a renderer needs to show it."""

    drafts: tuple[str, ...]
    findings: tuple[ReviewFinding, ...]  # selected, not suppressed, not in the baseline
    claims: Mapping[str, Claim]  # the drafts' claims and every claim a finding cites
    origins: Mapping[str, str]  # claim id -> draft | corpus | reference
    urls: Mapping[str, str]  # reference claim id -> url
    sources: Mapping[str, str]  # claim id -> its independent source (copies count once)
    rules: tuple[Rule, ...]  # every rule that can report, for SARIF
    problems: tuple[Problem, ...]  # corpus input that could not be used
    documents: int = 0  # corpus documents
    compared: int = 0  # corpus claims about the quantities the drafts name
    suppressed: int = 0
    baselined: int = 0
    baseline_written: str = ""  # the baseline file written by this run, if any
    figures: tuple[DraftFigure, ...] = ()  # every draft figure but dates, in draft order
    corpus: tuple[str, ...] = ()  # the corpus paths
    corpus_figures: int = 0  # comparable figures in the corpus
    indexed: str = ""  # when the newest corpus file was indexed (ISO 8601, UTC)
    min_checked: float | None = None  # --min-checked

    def counts(self) -> dict[str, int]:
        """How many draft figures agree, disagree, were not checked."""
        return {status: sum(f.status == status for f in self.figures) for status in STATUSES}

    @property
    def checked_share(self) -> float:
        """The share of draft figures that could be checked, 0-100 (100 with none)."""
        if not self.figures:
            return 100.0
        return 100.0 * sum(f.status != "unchecked" for f in self.figures) / len(self.figures)

    @property
    def too_few_checked(self) -> bool:
        return self.min_checked is not None and self.checked_share < self.min_checked

    def at_or_above(self, level: str) -> tuple[ReviewFinding, ...]:
        """Findings of severity `level` or worse; none for "never"."""
        if level not in SEVERITIES:
            return ()
        rank = SEVERITIES.index(level)
        return tuple(f for f in self.findings if SEVERITIES.index(f.severity) <= rank)


# ---------------------------------------------------------------------------------------------
# rules and selection


def review_rules(rules_dir: Path = RULES_DIR) -> tuple[Rule, ...]:
    """The rules of rules/review/: findings about the draft itself, not about figures."""
    rules = []
    for path in sorted((rules_dir / "review").glob("NC*.toml")):
        data = load_toml(path)
        missing = [name for name in _REQUIRED if not str(data.get(name, "")).strip()]
        if missing:
            raise RuleError(f"missing {', '.join(missing)}", path)
        if data["code"] != path.stem:
            raise RuleError(f"code {data['code']!r} does not match the file name", path)
        if data["check"] not in REVIEW_CHECKS:
            raise RuleError(f"unknown check {data['check']!r}; one of {', '.join(REVIEW_CHECKS)}",
                            path)
        if data["severity"] not in SEVERITIES:
            raise RuleError(f"severity must be one of {', '.join(SEVERITIES)}", path)
        rules.append(Rule(
            code=data["code"], name=data["name"], kind=data["kind"], check=data["check"],
            severity=data["severity"], message=data["message"].strip(),
            explanation=data["explanation"].strip(), priority=int(data.get("priority", 100)),
            path=str(path),
        ))
    return tuple(rules)


@dataclass(frozen=True, slots=True)
class Selection:
    """The codes a run reports: --select (codes or prefixes; default all) minus --ignore."""

    codes: frozenset[str]
    known: frozenset[str]

    @classmethod
    def parse(
        cls, select: Sequence[str], ignore: Sequence[str], known: Iterable[str],
        given: tuple[str, str] = ("--select", "--ignore"),
    ) -> Selection:
        """`given`: where select and ignore came from, for errors."""
        every = sorted(set(known))
        chosen = set(_expand(select, every, given[0])) if select else set(every)
        chosen -= set(_expand(ignore, every, given[1]))
        return cls(frozenset(chosen), frozenset(every))

    def wants(self, code: str) -> bool:
        return code in self.codes


def _expand(tokens: Sequence[str], known: Sequence[str], option: str) -> list[str]:
    codes = []
    for token in tokens:
        token = token.strip().upper()
        matched = list(known) if token == "ALL" else [c for c in known if c.startswith(token)]
        if not token or not matched:
            raise ConfigError(f"{option}: unknown code {token!r}; known codes: {', '.join(known)}")
        codes += matched
    return codes


# ---------------------------------------------------------------------------------------------
# drafts


def read_draft(path: str, data: bytes | None = None, taken: set[str] | None = None) -> Draft:
    """A draft file (or its bytes, for stdin): documents with suppression comments blanked.

    `taken` holds document ids already used by other drafts; this draft's ids avoid them.
    """
    shown = PurePath(path).as_posix()
    if data is None:
        location = Path(path)
        if not location.is_file():
            reason = "not a file" if location.exists() else "no such file or directory"
            raise DraftError(reason, shown)
        try:
            data = location.read_bytes()
        except OSError as error:
            raise DraftError(error.strerror or str(error), shown) from error
    suffix = PurePath(path).suffix.lower() or ".md"
    corpus = parse_bytes(data, shown, suffix)
    if not corpus.documents:
        reason = corpus.problems[0].reason if corpus.problems else "no text"
        raise DraftError(f"cannot read the draft: {reason}", shown)
    text = _comment_text(data, corpus.documents[0].text)
    used = taken if taken is not None else set()
    documents = []
    for number, document in enumerate(corpus.documents, start=1):
        doc_id = document.doc_id
        if doc_id in used:
            doc_id = f"{PurePath(shown).with_suffix('')}#{number}"
        used.add(doc_id)
        documents.append(replace(document, doc_id=doc_id, text=mask_suppressions(document.text)))
    return Draft(shown, tuple(documents), find_suppressions(text, shown))


def _comment_text(data: bytes, fallback: str) -> str:
    """The draft as written, to find comments in (HTML documents have them blanked)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return fallback


# ---------------------------------------------------------------------------------------------
# the review


def review(
    drafts: Sequence[str | tuple[str, bytes]],
    options: ReviewOptions,
    *,
    progress: Progress | None = None,
) -> Review:
    """Review drafts (paths, or (name, bytes) for stdin) against the corpus, reference and
    themselves."""
    cache = options.cache_dir
    base = Rulebook.load(options.rules_dir, (*corpus_lexicons(options.corpus), *options.lexicons),
                         cache / "words" if cache is not None else None)
    rulebook = replace(base, settings=replace(base.settings, **dict(options.tolerance)))
    rules = tuple(sorted(rulebook.rules + review_rules(options.rules_dir),
                         key=lambda rule: rule.code))
    selection = Selection.parse(options.select, options.ignore, (rule.code for rule in rules),
                                (options.select_from, options.ignore_from))
    missing = [path for path in options.corpus if not Path(path).exists()]
    if missing:
        raise ConfigError("corpus: no such file or directory: " + ", ".join(missing))
    taken: set[str] = set()
    read = [
        read_draft(item, taken=taken) if isinstance(item, str)
        else read_draft(item[0], item[1], taken)
        for item in dict.fromkeys(drafts)  # a draft named twice is reviewed once
    ]
    extractor = Extractor(units=Units(cache_folder=cache / "units" if cache is not None else None))
    draft_claims = [
        [claim for document in draft.documents
         for claim in document_claims(document, extractor, base)]
        for draft in read
    ]
    table = (read_reference(options.reference, base.lexicon, extractor) if options.reference
             else ReferenceTable("", (), MappingProxyType({})))
    compared = _Compared.run(read, draft_claims, table, options, (base, rulebook), progress)
    located = _locate(compared, read, {rule.code: rule.priority for rule in rules},
                      _hints(options.rules_dir), extractor.lexicon.scales)
    figures = _account(located, compared, draft_claims)
    return _triage(located, figures, read, compared, rules, selection, options)


def _hints(rules_dir: Path) -> Mapping[str, str]:
    """language -> how a fix hint reads (rules/review/hints.toml)."""
    path = rules_dir / "review" / "hints.toml"
    data = load_toml(path) if path.is_file() else {}
    return MappingProxyType({lang: str(entry["fix"]) for lang, entry in data.items()
                             if isinstance(entry, dict) and "fix" in entry})


@dataclass(frozen=True, slots=True)
class _Compared:
    """The findings among the drafts' claims, the reference and the corpus claims they name."""

    claims: Mapping[str, Claim]
    origins: Mapping[str, str]
    urls: Mapping[str, str]
    sources: Mapping[str, str]
    findings: tuple[Finding, ...]
    snapshot: Snapshot
    # draft claim id -> (independent non-draft sources it was compared with and their outlets,
    # or 0 and why it could not be checked)
    checkable: Mapping[str, tuple[int, str]]

    @classmethod
    def run(
        cls,
        drafts: Sequence[Draft],
        draft_claims: Sequence[Sequence[Claim]],
        table: ReferenceTable,
        options: ReviewOptions,
        rulebooks: tuple[Rulebook, Rulebook],
        progress: Progress | None,
    ) -> _Compared:
        """Each draft is compared alone (with the reference and the corpus), so its findings do
        not depend on the other drafts of the run. `rulebooks`: as in rules/ (to read figures),
        and with the run's tolerances (to compare them)."""
        base, rulebook = rulebooks
        taken = {d.doc_id for draft in drafts for d in draft.documents}
        taken |= {claim.doc_id for claim in table.claims}
        files, problems = corpus_files(options.corpus, exclude=[d.path for d in drafts])
        print_ = index_fingerprint(base.rules_dir, base.lexicons)
        extract = FileReader(base.rules_dir, base.lexicons, print_)
        matcher = _phrase_matcher(rulebook.settings.phrase_ratio)

        def read(folder: Path | None) -> tuple[Snapshot, list[tuple[list[Claim], dict[str, str]]]]:
            with ClaimIndex.open(folder, print_, base.settings) as index:
                snapshot = index.update(files, extract, progress)
                named = []
                for claims in draft_claims:
                    keys = {c.key for c in claims if is_comparable(c) and c.key}
                    corpus, documents = index.claims(snapshot, keys, matcher, taken)
                    located = {doc_id: doc.location for doc_id, doc in documents.items()}
                    outlets = {doc_id: doc.source for doc_id, doc in documents.items()}
                    named.append((corpus, index.sources(located, outlets)))
                return snapshot, named

        try:
            try:
                snapshot, named = read(options.cache_dir)
            except (ConfigError, sqlite3.Error) as error:  # a cache is a convenience
                if options.cache_dir is None:
                    raise
                problems.append(without_cache(error, options.cache_dir, print_))
                snapshot, named = read(None)
        except sqlite3.Error as error:
            raise temporary_index_error(error) from error
        if not snapshot.documents:
            problems.append(Problem(", ".join(options.corpus) or "corpus",
                                    "no article could be read: the drafts are checked against "
                                    "the reference and themselves only"))
        claims: dict[str, Claim] = {}
        origins: dict[str, str] = {}
        sources: dict[str, str] = {}
        findings: list[Finding] = []
        checkable: dict[str, tuple[int, str]] = {}
        for own, (corpus, source_of) in zip(draft_claims, named, strict=True):
            everything = [*own, *table.claims, *corpus]
            found, grouping = _compare(everything, source_of, rulebook,
                                       {claim.claim_id for claim in own})
            findings += found
            checkable |= _checkable(own, grouping, rulebook)
            claims |= {claim.claim_id: claim for claim in everything}
            origins |= {c.claim_id: CORPUS for c in corpus}
            origins |= {c.claim_id: REFERENCE for c in table.claims}
            origins |= {c.claim_id: DRAFT for c in own}
            sources |= {c.claim_id: grouping.source(c) for c in everything}
        return cls(
            claims=MappingProxyType(claims),
            origins=MappingProxyType(origins),
            urls=table.urls,
            sources=MappingProxyType(sources),
            findings=tuple(findings),
            snapshot=replace(snapshot, problems=tuple(problems) + snapshot.problems),
            checkable=MappingProxyType(checkable),
        )


def _checkable(
    own: Sequence[Claim], grouping: Grouping, rulebook: Rulebook
) -> dict[str, tuple[int, str]]:
    """Each draft figure (dates aside): how many independent non-draft sources share a group
    with it and which outlets they are, or 0 and why none does."""
    from checker.classify import quantity_label

    draft_ids = {claim.claim_id for claim in own}
    keyed = {claim.claim_id: key for key, family in grouping.by_key.items() for claim in family}
    peers: dict[str, set[str]] = {}
    for each in grouping.groups:
        outside = {grouping.source(c) for c in each.claims if c.claim_id not in draft_ids}
        for claim in each.claims:
            if claim.claim_id in draft_ids:
                peers.setdefault(claim.claim_id, set()).update(outside)
    result = {}
    for claim in own:
        if claim.dimension == "date":
            continue
        key = keyed.get(claim.claim_id)
        if peers.get(claim.claim_id):
            sources = peers[claim.claim_id]
            named = sorted({" / ".join(outlet_names(s)) for s in sources} - {""}, key=str.casefold)
            result[claim.claim_id] = (len(sources), sources_phrase(len(sources), named))
        elif key is not None:
            what = (quantity_label(key, claim.period, rulebook, party_names([claim]))
                    or "its quantity")
            result[claim.claim_id] = (0, f"nothing in the corpus is about {what}")
        elif claim.key is not None and claim.key.restated:
            short = restated_words(claim.key.metric) < rulebook.settings.restated_min_words
            result[claim.claim_id] = (0, "its sentence names no party or measure" + (
                ", and is too short to be matched" if short
                else ", and no corpus article restates it"))
        else:
            result[claim.claim_id] = (0, "it is the earlier end of a change")
    return result


def _compare(
    claims: Sequence[Claim], source_of: Mapping[str, str], rulebook: Rulebook,
    draft_ids: Set[str],
) -> tuple[tuple[Finding, ...], Grouping]:
    """Group, compare and classify as the pipeline does, with copies found by `_copies`: only
    the groups, quantities and articles that hold a figure of `draft_ids`, as no other finding
    concerns the draft (a large corpus names many periods and articles the draft does not)."""
    from checker.classify import classify
    from checker.compare import compare
    from checker.group import group

    def concerned(members: Iterable[Claim]) -> bool:
        # map, not a generator: a key of a large corpus has thousands of members
        return not draft_ids.isdisjoint(map(_claim_id, members))

    grouping = replace(group(claims, (), rulebook), source_of=source_of)
    relevant = replace(
        grouping,
        groups=tuple(each for each in grouping.groups if concerned(each.claims)),
        by_key={key: family for key, family in grouping.by_key.items() if concerned(family)},
    )
    comparisons = [compare(each, relevant, rulebook.settings) for each in relevant.groups]
    own = [claim for claim in claims if claim.claim_id in draft_ids]
    return classify(comparisons, own, relevant, rulebook), grouping


def _phrase_matcher(min_ratio: float) -> Callable[[str, str], bool]:
    """Two phrase metrics name one quantity at checker.group's rapidfuzz threshold."""
    from rapidfuzz import fuzz

    def similar(theirs: str, wanted: str) -> bool:
        a, b = theirs[len(PHRASE_PREFIX):], wanted[len(PHRASE_PREFIX):]
        return bool(fuzz.token_sort_ratio(a, b) >= min_ratio)

    return similar


# ---------------------------------------------------------------------------------------------
# locating findings in the drafts


def _locate(
    compared: _Compared,
    drafts: Sequence[Draft],
    priorities: Mapping[str, int],
    hints: Mapping[str, str],
    scales: Mapping[str, float],
) -> list[ReviewFinding]:
    """One finding per draft figure and quantity, at the draft figure that departs from the
    authority; the draft's other figures of that quantity are cited in it, not reported again."""
    order = {draft.path: index for index, draft in enumerate(drafts)}
    starts = {draft.path: line_starts(draft.documents[0].text) for draft in drafts}

    def place(claim: Claim) -> tuple[int, int, str]:
        return order[claim.path], claim.start, claim.claim_id

    about: dict[tuple[str, str, str], list[Finding]] = {}  # (path, key, period) -> findings
    for finding in compared.findings:
        paths = {compared.claims[cid].path for cid in finding.claim_ids
                 if compared.origins.get(cid) == DRAFT}
        for path in paths:  # each draft is weighed alone
            about.setdefault((path, finding.key, finding.period), []).append(finding)
    located = []
    for (path, _, _), found in about.items():
        drafted = sorted({cid: compared.claims[cid] for f in found for cid in f.claim_ids
                          if compared.origins.get(cid) == DRAFT
                          and compared.claims[cid].path == path}.values(), key=place)
        # the findings of one quantity split its claims into the same sides
        sides = list(dict.fromkeys(frozenset(side) for f in found for side in f.sides))
        held, kind = _authority(sides, compared)
        if held is None:  # no side to depart from: one finding, at the first figure
            anchors, agreeing = drafted[:1], drafted[1:]
        else:
            agreeing = [c for c in drafted if c.claim_id in held]
            anchors = [c for c in drafted if c.claim_id not in held] or agreeing[:1]
        for anchor in anchors:
            chosen = _strongest(found, anchor, held, priorities)
            others = [f for f in found if f is not chosen and anchor.claim_id in f.claim_ids]
            cited = [anchor, *(c for c in agreeing if c is not anchor)]
            located.append(_located(chosen, anchor, cited, held, kind, others, compared,
                                    starts[path], hints, scales))
    return located


def _authority(
    sides: Sequence[frozenset[str]], compared: _Compared
) -> tuple[frozenset[str] | None, str]:
    """The side of the reference when one side holds it; else the side held by the most
    independent non-draft sources (None on a tie)."""
    held = [side for side in sides if any(compared.origins.get(cid) == REFERENCE for cid in side)]
    if len(held) == 1:
        return held[0], "reference"
    counts = [len({compared.sources[cid] for cid in side if compared.origins.get(cid) != DRAFT})
              for side in sides]
    best = max(counts, default=0)
    if best and counts.count(best) == 1:
        return sides[counts.index(best)], "consensus"
    return None, ""


def _strongest(
    found: Sequence[Finding], anchor: Claim, held: frozenset[str] | None,
    priorities: Mapping[str, int],
) -> Finding:
    """The finding that says most about the anchor figure: one that sets it against the
    authority, the most severe and most specific rule first."""
    def rank(finding: Finding) -> tuple[int, int, int, str]:
        sides = [frozenset(side) for side in finding.sides]
        mine = any(anchor.claim_id in side for side in sides)
        # a side of figures the authority holds (all of them, or some: NC109 pairs two)
        against = held is None or any(side <= held for side in sides
                                      if anchor.claim_id not in side)
        return (0 if mine and against else 1, SEVERITIES.index(finding.severity),
                priorities.get(finding.code, 0), finding.finding_id)

    return min(found, key=rank)


def _located(
    finding: Finding,
    anchor: Claim,
    cited: Sequence[Claim],
    held: frozenset[str] | None,
    kind: str,
    others: Sequence[Finding],
    compared: _Compared,
    starts: Sequence[int],
    hints: Mapping[str, str],
    scales: Mapping[str, float],
) -> ReviewFinding:
    """The finding at its anchor figure (the first of `cited`, the draft figures it names),
    weighed: a draft figure on the authority's side does not contradict it, so the finding is
    only information."""
    sides = [frozenset(side) for side in finding.sides]
    draft_side = next((index for index, side in enumerate(sides) if anchor.claim_id in side), None)
    here = next((index for index, side in enumerate(sides) if held is not None and side <= held),
                None)
    severity, note = finding.severity, ""
    if here is not None and here == draft_side and severity != "info":
        severity, note = "info", f"the draft agrees with the {kind}; other sources disagree"
    fix, replacement = "", ""
    if held is not None and here != draft_side:
        replacement = _rewritten(anchor, _held_value(held, compared), scales)
        template = hints.get(anchor.lang) or hints.get("en", "")
        fix = template.format(figure=replacement) if replacement and template else ""
    end_line, end_col = line_col(starts, anchor.end)
    return ReviewFinding(
        finding=replace(finding, severity=severity),
        path=anchor.path,
        line=anchor.line,
        col=anchor.col,
        end_line=end_line,
        end_col=end_col,
        draft_claim_ids=tuple(c.claim_id for c in cited),
        fingerprint=fingerprint(_stable_path(anchor.path), finding.code, finding.key,
                                finding.period, [anchor.surface]),
        draft_figures=" / ".join(c.surface for c in cited),
        rule_severity=finding.severity,
        draft_side=draft_side,
        authority=here,
        authority_kind=kind if here is not None else "",
        note=note,
        also=tuple(f"{other.code} {other.name}: {other.message.removeprefix(other.quantity + ': ')}"
                   for other in others),
        fix=fix,
        replacement=replacement,
    )


def _held_value(side: Sequence[str], compared: _Compared) -> Claim | None:
    """The figure that shows what a side holds: its most common exact non-draft figure."""
    claims = [compared.claims[cid] for cid in side if compared.origins.get(cid) != DRAFT]
    exact = [c for c in claims if c.qualifier == "exact"] or claims
    if not exact:
        return None
    counts = Counter(c.value for c in exact)
    best = max(counts.values())
    return min((c for c in exact if counts[c.value] == best), key=lambda c: c.claim_id)


def _rewritten(draft: Claim, held: Claim | None, scales: Mapping[str, float]) -> str:
    """`held`'s value written as the draft writes its figure: its unit, currency sign and scale
    word ("540万吨" with 540,000 t held -> "54万吨"), the scale word left out where the value is
    less than one of it ("2 million tons" -> "200,000 tons"; 亿 gives way to 万); "" when the
    draft figure is not a single number in digits."""
    if held is None or not draft.stated_value or not draft.value or draft.change:
        return ""
    normal = draft.surface.translate(NORMALIZE)
    numerals = [n for n in find_numerals(normal, math.inf) if n.script == "digits"]
    if len(numerals) != 1 or not numerals[0].value or held.dimension != draft.dimension:
        return ""
    (numeral,) = numerals
    number = held.value / (draft.value / numeral.value)  # in the draft's unit and scale
    rest = draft.surface[numeral.end:]
    gap = rest[:len(rest) - len(rest.lstrip())]
    word = max((w for w in scales if rest.lstrip().lower().startswith(w)
                and not (w.isascii() and rest.lstrip()[len(w):len(w) + 1].isalpha())),
               key=len, default="")
    if word and abs(number) < 1:
        number *= scales[word]
        smaller = "" if word.isascii() else next(
            (w for w in ("万",) if w in scales and abs(number) >= scales[w]), "")
        if smaller:
            number /= scales[smaller]
        after = rest.lstrip()[len(word):]
        rest = gap + smaller + after if smaller else after
    grouped = "," in normal[numeral.start:numeral.end] or not word
    sign = re.search(r"[^\w\s]*$", draft.surface[:numeral.start])
    return (sign.group() if sign else "") + _digits(number, grouped) + rest


def _digits(number: float, grouped: bool) -> str:
    """A number as an editor writes it: at most four significant digits, no trailing zeros."""
    text = f"{number:.4g}"
    if "e" in text:
        text = f"{number:.4f}".rstrip("0").rstrip(".")
    value = float(text)
    if value == int(value) and abs(value) >= 1:
        return f"{int(value):,}" if grouped or abs(value) >= 10_000 else str(int(value))
    return text


def _account(
    located: Sequence[ReviewFinding], compared: _Compared, draft_claims: Sequence[Sequence[Claim]]
) -> tuple[DraftFigure, ...]:
    """Every draft figure but dates: agrees, disagrees (a finding above information is placed
    at it, or it is on a side of a draft that contradicts itself with no authority), or not
    checked and why."""
    disagreeing: dict[str, str] = {}
    for found in located:
        if found.severity == "info":
            continue
        named = found.draft_claim_ids if found.authority is None else found.draft_claim_ids[:1]
        for cid in named:
            disagreeing.setdefault(cid, found.code)
    figures = []
    for claim in (claim for claims in draft_claims for claim in claims):
        if claim.claim_id not in compared.checkable:
            continue
        sources, why = compared.checkable[claim.claim_id]
        if claim.claim_id in disagreeing:
            status, why = "disagrees", disagreeing[claim.claim_id]
        elif sources:
            status = "agrees"
        else:
            status = "unchecked"
        figures.append(DraftFigure(claim.claim_id, claim.path, claim.line, claim.col,
                                   claim.surface, status, why, sources))
    return tuple(figures)


def _stable_path(path: str) -> str:
    """The path as the baseline keys it: relative to the current folder when inside it."""
    if path.startswith("<"):
        return path
    try:
        relative = os.path.relpath(os.path.realpath(path), os.path.realpath(os.getcwd()))
    except ValueError:  # another drive
        return PurePath(path).as_posix()
    return PurePath(path).as_posix() if relative.startswith("..") else PurePath(
        relative).as_posix()


# ---------------------------------------------------------------------------------------------
# triage: selection, suppression comments, baseline


def _triage(
    located: Sequence[ReviewFinding],
    figures: Sequence[DraftFigure],
    drafts: Sequence[Draft],
    compared: _Compared,
    rules: Sequence[Rule],
    selection: Selection,
    options: ReviewOptions,
) -> Review:
    unchecked_rule = next((rule for rule in rules if rule.check == "unchecked-figure"), None)
    if unchecked_rule is not None:
        located = [*located, *(_unchecked(unchecked_rule, figure, compared)
                               for figure in figures if figure.status == "unchecked")]
    selected = [found for found in located if selection.wants(found.code)]
    comments = [comment for draft in drafts for comment in draft.suppressions]

    def places(found: ReviewFinding) -> list[tuple[str, int]]:
        return [(found.path, found.line)]  # the anchor figure's line

    applied = apply(
        selected, comments, code_of=lambda found: found.code, places_of=places,
        selected=lambda code: code not in selection.known or selection.wants(code),
    )
    kept = list(applied.kept)
    unused_rule = next((rule for rule in rules if rule.check == "unused-suppression"), None)
    if unused_rule is not None and selection.wants(unused_rule.code):
        kept += [_unused(unused_rule, comment, codes, selection)
                 for comment, codes in applied.unused]
    order = {draft.path: index for index, draft in enumerate(drafts)}
    kept.sort(key=lambda f: (order.get(f.path, 0), f.line, f.col, f.code, f.finding.finding_id))
    reported, baselined, written = _baseline(kept, options)
    cited = {cid for found in reported for cid in found.finding.claim_ids}
    cited |= {cid for cid, origin in compared.origins.items() if origin == DRAFT}
    claims = {cid: compared.claims[cid] for cid in sorted(cited)}
    return Review(
        drafts=tuple(draft.path for draft in drafts),
        findings=tuple(reported),
        claims=MappingProxyType(claims),
        origins=MappingProxyType({cid: compared.origins[cid] for cid in claims}),
        urls=MappingProxyType({cid: url for cid, url in compared.urls.items() if cid in claims}),
        sources=MappingProxyType({cid: compared.sources[cid] for cid in claims}),
        rules=tuple(rules),
        problems=compared.snapshot.problems,
        documents=compared.snapshot.documents,
        compared=sum(origin == CORPUS for origin in compared.origins.values()),
        suppressed=applied.silenced,
        baselined=baselined,
        baseline_written=written,
        figures=tuple(figures),
        corpus=tuple(options.corpus),
        corpus_figures=compared.snapshot.figures,
        indexed=_iso(compared.snapshot.indexed_ns),
        min_checked=options.min_checked,
    )


def _iso(ns: int) -> str:
    if not ns:
        return ""
    return datetime.fromtimestamp(ns / 1e9, tz=UTC).isoformat(timespec="seconds")


def _unchecked(rule: Rule, figure: DraftFigure, compared: _Compared) -> ReviewFinding:
    claim = compared.claims[figure.claim_id]
    message = rule.message.format_map({"figure": figure.surface, "why": figure.why})
    digest = hashlib.blake2b(figure.claim_id.encode(), digest_size=5).hexdigest()
    finding = Finding(
        finding_id=f"{rule.code}-{digest}", code=rule.code, severity=rule.severity,
        kind=rule.kind, key=str(claim.key or ""), claim_ids=(figure.claim_id,), message=message,
        explanation=rule.explanation, name=rule.name,
    )
    return ReviewFinding(
        finding=finding, path=figure.path, line=figure.line, col=figure.col,
        end_line=figure.line, end_col=figure.col + len(figure.surface),
        draft_claim_ids=(figure.claim_id,),
        fingerprint=fingerprint(_stable_path(figure.path), rule.code, str(claim.key or ""),
                                claim.period, [figure.surface]),
        draft_figures=figure.surface, rule_severity=rule.severity,
    )


def _unused(
    rule: Rule, comment: Suppression, codes: Sequence[str], selection: Selection
) -> ReviewFinding:
    unknown = [code for code in codes if code not in selection.known]
    if unknown:
        what = f"finding of the unknown code{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}"
    elif codes:
        what = f"{', '.join(codes)} finding"
    else:
        what = "finding"
    lines = f"line {comment.lines.start}"
    message = rule.message.format_map({"comment": comment.text, "what": what, "lines": lines})
    print_ = fingerprint(_stable_path(comment.path), rule.code, "", "", [comment.text, *codes])
    digest = hashlib.blake2b(f"{comment.path}:{comment.line}:{comment.col}".encode(),
                             digest_size=5).hexdigest()
    finding = Finding(
        finding_id=f"{rule.code}-{digest}", code=rule.code, severity=rule.severity,
        kind=rule.kind, key="", claim_ids=(), message=message, explanation=rule.explanation,
        name=rule.name,
    )
    return ReviewFinding(
        finding=finding, path=comment.path, line=comment.line, col=comment.col,
        end_line=comment.end_line, end_col=comment.end_col, draft_claim_ids=(),
        fingerprint=print_, draft_figures=comment.text, rule_severity=rule.severity,
    )


def _baseline(
    found: Sequence[ReviewFinding], options: ReviewOptions
) -> tuple[Sequence[ReviewFinding], int, str]:
    """(findings to report, how many the baseline holds, the baseline written or "")."""
    if not options.baseline:
        if options.update_baseline:
            raise ConfigError("--update-baseline needs a baseline file: --baseline FILE")
        return found, 0, ""
    path = Path(options.baseline)
    if options.update_baseline or not path.exists():
        if not options.update_baseline and not options.create_baseline:
            raise ConfigError("the baseline does not exist; record it with --update-baseline "
                              "and commit it (a missing baseline is not created in CI)", path)
        write_baseline(path, found)
        return (), len(found), str(path)
    known = split_known(found, read_baseline(path))
    return known.new, known.known, ""
