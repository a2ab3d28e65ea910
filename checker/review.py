"""Pre-publication review: a draft's figures against a corpus, a reference table and itself.

An editor's question is "is my draft about to print a figure that contradicts the sources?".
The stages, each a function of this module:

    read_draft      a draft file -> documents with suppression comments found, then blanked
    reference       a CSV of trusted figures -> claims marked as reference (checker.reference)
    corpus          the corpus -> only the claims about a quantity the draft names, from the
                    index of checker.cache (claims cached by file content)
    compare         group, compare and classify these claims as `numcheck report` does
    locate          the findings that involve a draft figure, placed at it in the draft; a
                    finding whose draft figure sides with the reference, or with the figure held
                    by the most independent sources, is only information
    triage          --select/--ignore, suppression comments (and NC301 for unused ones), the
                    baseline

`review(drafts, options)` runs them all and returns a Review; checker.report.lint renders it.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath
from types import MappingProxyType

from checker.baseline import fingerprint, read_baseline, split_known, write_baseline
from checker.cache import ClaimIndex, Progress, Snapshot, corpus_files
from checker.cache import fingerprint as index_fingerprint
from checker.claims import PHRASE_PREFIX, is_comparable
from checker.config import corpus_lexicons
from checker.errors import ConfigError, load_toml
from checker.extraction import Extractor
from checker.group import Grouping
from checker.ingest import parse_bytes
from checker.models import SEVERITIES, Claim, Document, Finding, Problem
from checker.pipeline import FileReader, document_claims, line_col, line_starts
from checker.reference import ORIGIN as REFERENCE
from checker.reference import ReferenceTable, read_reference
from checker.rulebook import RULES_DIR, Rule, Rulebook, RuleError
from checker.suppression import Suppression, apply, find_suppressions, mask_suppressions

__all__ = [
    "DRAFT",
    "CORPUS",
    "REFERENCE",
    "Draft",
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
REVIEW_CHECKS = ("unused-suppression",)
_REQUIRED = ("code", "name", "kind", "check", "severity", "message", "explanation")


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
    draft_side: int | None = None  # the side holding the draft's figures; None on several
    authority: int | None = None  # the side of the reference, else of the most sources
    authority_kind: str = ""  # "reference", "consensus" or ""
    note: str = ""  # why the severity differs from the rule's

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
    for path in sorted((rules_dir / "review").glob("*.toml")):
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
        cls, select: Sequence[str], ignore: Sequence[str], known: Iterable[str]
    ) -> Selection:
        every = sorted(set(known))
        chosen = set(_expand(select, every, "--select")) if select else set(every)
        chosen -= set(_expand(ignore, every, "--ignore"))
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
    base = Rulebook.load(options.rules_dir, (*corpus_lexicons(options.corpus), *options.lexicons))
    rulebook = replace(base, settings=replace(base.settings, **dict(options.tolerance)))
    rules = tuple(sorted(rulebook.rules + review_rules(options.rules_dir),
                         key=lambda rule: rule.code))
    selection = Selection.parse(options.select, options.ignore, (rule.code for rule in rules))
    missing = [path for path in options.corpus if not Path(path).exists()]
    if missing:
        raise ConfigError("corpus: no such file or directory: " + ", ".join(missing))
    taken: set[str] = set()
    read = [
        read_draft(item, taken=taken) if isinstance(item, str)
        else read_draft(item[0], item[1], taken)
        for item in dict.fromkeys(drafts)  # a draft named twice is reviewed once
    ]
    extractor = Extractor()
    draft_claims = [
        [claim for document in draft.documents
         for claim in document_claims(document, extractor, base)]
        for draft in read
    ]
    table = (read_reference(options.reference, base.lexicon, extractor) if options.reference
             else ReferenceTable("", (), MappingProxyType({})))
    compared = _Compared.run(read, draft_claims, table, options, (base, rulebook), progress)
    located = _locate(compared, read)
    return _triage(located, read, compared, rules, selection, options)


@dataclass(frozen=True, slots=True)
class _Compared:
    """The findings among the drafts' claims, the reference and the corpus claims they name."""

    claims: Mapping[str, Claim]
    origins: Mapping[str, str]
    urls: Mapping[str, str]
    sources: Mapping[str, str]
    findings: tuple[Finding, ...]
    snapshot: Snapshot

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
        extract = FileReader(base.rules_dir, base.lexicons)
        print_ = index_fingerprint(base.rules_dir, base.lexicons)
        matcher = _phrase_matcher(rulebook.settings.phrase_ratio)

        def read(folder: Path | None) -> tuple[Snapshot, list[tuple[list[Claim], dict[str, str]]]]:
            with ClaimIndex.open(folder, print_, base.settings) as index:
                snapshot = index.update(files, extract, progress)
                named = []
                for claims in draft_claims:
                    keys = {c.key for c in claims if is_comparable(c) and c.key}
                    corpus, documents = index.claims(snapshot, keys, matcher, taken)
                    located = {doc_id: doc.location for doc_id, doc in documents.items()}
                    named.append((corpus, index.sources(located)))
                return snapshot, named

        try:
            snapshot, named = read(options.cache_dir)
        except (ConfigError, sqlite3.Error) as error:  # a cache is a convenience, not a need
            reason = error.reason if isinstance(error, ConfigError) else str(error)
            problems.append(Problem(str(options.cache_dir), f"cache not used ({reason}); the "
                                                            "corpus is read afresh"))
            snapshot, named = read(None)
        if not snapshot.documents:
            problems.append(Problem(", ".join(options.corpus) or "corpus",
                                    "no article could be read: the drafts are checked against "
                                    "the reference and themselves only"))
        claims: dict[str, Claim] = {}
        origins: dict[str, str] = {}
        sources: dict[str, str] = {}
        findings: list[Finding] = []
        for own, (corpus, source_of) in zip(draft_claims, named, strict=True):
            everything = [*own, *table.claims, *corpus]
            found, grouping = _compare(everything, source_of, rulebook,
                                       {claim.claim_id for claim in own})
            findings += found
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
        )


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
        return any(claim.claim_id in draft_ids for claim in members)

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


def _locate(compared: _Compared, drafts: Sequence[Draft]) -> list[ReviewFinding]:
    order = {draft.path: index for index, draft in enumerate(drafts)}
    starts = {draft.path: line_starts(draft.documents[0].text) for draft in drafts}
    located = []
    for finding in compared.findings:
        involved = sorted(
            (compared.claims[cid] for cid in finding.claim_ids
             if compared.origins.get(cid) == DRAFT),
            key=lambda c: (order[c.path], c.start, c.claim_id),
        )
        if not involved:
            continue  # the corpus disagrees with itself: not the draft's business
        for path in dict.fromkeys(c.path for c in involved):  # each draft is weighed alone
            own = [c for c in involved if c.path == path]
            weighed = _weigh(finding, {c.claim_id for c in own}, compared)
            located.append(_located(finding, own, weighed, starts[path]))
    return located


def _located(
    finding: Finding, own: Sequence[Claim], weighed: _Weighed, starts: Sequence[int]
) -> ReviewFinding:
    """The finding at the first of one draft's figures it involves."""
    anchor = own[0]
    end_line, end_col = line_col(starts, anchor.end)
    figures = [c.surface for c in own]
    return ReviewFinding(
        finding=replace(finding, severity=weighed.severity),
        path=anchor.path,
        line=anchor.line,
        col=anchor.col,
        end_line=end_line,
        end_col=end_col,
        draft_claim_ids=tuple(c.claim_id for c in own),
        fingerprint=fingerprint(_stable_path(anchor.path), finding.code, finding.key,
                                finding.period, figures),
        draft_figures=" / ".join(figures),
        rule_severity=finding.severity,
        draft_side=weighed.draft_side,
        authority=weighed.authority,
        authority_kind=weighed.kind,
        note=weighed.note,
    )


@dataclass(frozen=True, slots=True)
class _Weighed:
    severity: str
    draft_side: int | None
    authority: int | None
    kind: str
    note: str


def _weigh(finding: Finding, draft_ids: set[str], compared: _Compared) -> _Weighed:
    """Which side the draft is on, which side has the authority, and what follows for severity.

    The authority is the side of the reference when one side holds it; else the side held by
    the most independent non-draft sources (none on a tie). A draft figure on the side of the
    authority does not contradict it: the finding is only information.
    """
    sides = finding.sides
    on = [index for index, side in enumerate(sides) if draft_ids & set(side)]
    held = [index for index, side in enumerate(sides)
            if any(compared.origins.get(cid) == REFERENCE for cid in side)]
    authority, kind = (held[0], "reference") if len(held) == 1 else (None, "")
    if authority is None:
        counts = [
            len({compared.sources[cid] for cid in side if compared.origins.get(cid) != DRAFT})
            for side in sides
        ]
        best = max(counts, default=0)
        if best and counts.count(best) == 1:
            authority, kind = counts.index(best), "consensus"
    if len(on) != 1:  # the draft contradicts itself: the rule's severity stands
        return _Weighed(finding.severity, None, authority, kind, "")
    if authority == on[0] and finding.severity != "info":
        note = f"the draft agrees with the {kind}; other sources disagree"
        return _Weighed("info", on[0], authority, kind, note)
    return _Weighed(finding.severity, on[0], authority, kind, "")


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
    drafts: Sequence[Draft],
    compared: _Compared,
    rules: Sequence[Rule],
    selection: Selection,
    options: ReviewOptions,
) -> Review:
    selected = [found for found in located if selection.wants(found.code)]
    comments = [comment for draft in drafts for comment in draft.suppressions]

    def places(found: ReviewFinding) -> list[tuple[str, int]]:
        return [(compared.claims[cid].path, compared.claims[cid].line)
                for cid in found.draft_claim_ids]

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
    lines = f"lines {comment.lines.start}-{comment.lines.stop - 1}"
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
