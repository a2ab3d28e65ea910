"""A review as a linter shows it: text, json, jsonl, sarif, github annotations, junit.

    text    `path:line:col: CODE severity message`, then the sources that disagree (title,
            date, the figure as stated, where) and the consensus; colour when asked for
    json    {"version", "claims", "findings", "summary"}: the drafts' claims and every claim a
            finding cites, each with its "origin" (draft, corpus, reference)
    jsonl   one finding per line, with the claims it cites
    sarif   SARIF 2.1.0, for code-scanning views (columns in Unicode code points)
    github  `::error file=…,line=…,col=…::` workflow commands: annotations on a pull request
    junit   JUnit XML for CI dashboards: a failing test case per finding

Every renderer is a pure function of the Review: the same review gives the same bytes (no
timestamps). Text from articles and drafts is untrusted: control characters are shown escaped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote
from xml.etree import ElementTree

from checker.copies import outlet_names
from checker.group import sources_phrase
from checker.models import SEVERITIES, Claim, Finding
from checker.report import table
from checker.report.findings import FINDING_COLUMNS
from checker.report.table import dumps
from checker.review import DRAFT, REFERENCE, Review, ReviewFinding
from checker.rulebook import Rule
from checker.version import __version__

__all__ = [
    "LINT_FORMATS",
    "LINT_VERSION",
    "SARIF_LEVELS",
    "SARIF_SCHEMA",
    "claim_records",
    "corpus_line",
    "figures_line",
    "finding_record",
    "render",
    "review_document",
    "sarif_log",
    "summary_line",
]

LINT_VERSION = 1
LINT_FORMATS = ("text", "json", "jsonl", "sarif", "github", "junit")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
GITHUB_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}
REVIEW_FIELDS = ("path", "line", "col", "end_line", "end_col", "draft_claim_ids", "draft_figures",
                 "fingerprint", "rule_severity", "draft_side", "authority", "authority_kind",
                 "note", "also", "fix", "replacement")
SHOWN_PER_SIDE = 3  # claims listed per side in text; the rest are counted
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_STYLES = {"error": "1;31", "warning": "1;33", "info": "1;36", "path": "1", "code": "1",
           "dim": "2"}


def render(review: Review, fmt: str, *, color: bool = False) -> bytes:
    """The review in format `fmt` (one of LINT_FORMATS)."""
    renderers: Mapping[str, Callable[[Review], bytes]] = {
        "text": lambda r: _text(r, color).encode("utf-8"),
        "json": lambda r: dumps(review_document(r)) + b"\n",
        "jsonl": _jsonl,
        "sarif": lambda r: dumps(sarif_log(r)) + b"\n",
        "github": lambda r: _github(r).encode("utf-8"),
        "junit": lambda r: _junit(r).encode("utf-8"),
    }
    if fmt not in renderers:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(LINT_FORMATS)}")
    return renderers[fmt](review)


def _clean(text: str) -> str:
    """Control characters (an escape sequence in an article) shown, never obeyed."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}", text.replace("\u2029", " "))


# ---------------------------------------------------------------------------------------------
# what every format says about a finding


def _others(review: Review, found: ReviewFinding) -> list[tuple[int, list[Claim]]]:
    """The sides the draft is not on (every side when it is on several), with their claims."""
    sides = []
    for index, side in enumerate(found.finding.sides):
        if found.draft_side is not None and index == found.draft_side:
            continue
        claims = [review.claims[cid] for cid in side
                  if cid in review.claims and review.origins.get(cid) != DRAFT]
        if claims:
            sides.append((index, claims))
    return sides


def _cited(claim: Claim, review: Review) -> str:
    """A source as a reader checks it: the figure as stated, the title, the date, where."""
    if review.origins.get(claim.claim_id) == REFERENCE:
        url = review.urls.get(claim.claim_id, "")
        return f"{claim.surface} — {claim.title}{f' <{url}>' if url else ''} " \
               f"({_shown(claim.path)}:{claim.line})"
    title = claim.title or Path(claim.path).name
    outlet = " / ".join(outlet_names(review.sources.get(claim.claim_id, "")))
    date = f", {claim.published[:10]}" if claim.published else ""
    said = dict(claim.evidence).get("said by", "")
    return f"{claim.surface} — “{title}”{f', {outlet}' if outlet else ''}{date}" \
           f"{f', said by {said}' if said else ''} ({_shown(claim.path)}:{claim.line}:{claim.col})"


def _shown(path: str) -> str:
    """A path relative to the working folder when it is inside it, else as given."""
    given = Path(path)
    if not given.is_absolute():
        return path
    try:
        return given.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return path


def _sources_of(claims: Iterable[Claim], review: Review) -> str:
    """"1 outlet: Reuters", "3 sources": the independent sources of claims, named by outlet."""
    sources = {review.sources.get(c.claim_id, c.doc_id) for c in claims}
    named = {" / ".join(outlet_names(source)) for source in sources} - {""}
    return sources_phrase(len(sources), sorted(named, key=str.casefold))


def _authority(review: Review, found: ReviewFinding) -> str:
    """"consensus 540,000 tons (1 outlet: Reuters)", "reference …", or why there is none."""
    sides = found.finding.sides
    if found.authority is None or found.authority >= len(sides):
        return "none: the sources are split evenly" if found.draft_side is not None else ""
    if found.draft_side is None and found.authority_kind != "reference":
        return ""  # the draft contradicts itself; counting sources would not settle it
    claims = [review.claims[cid] for cid in sides[found.authority] if cid in review.claims]
    figures = [c for c in claims if review.origins.get(c.claim_id) != DRAFT] or claims
    if found.authority_kind == "reference":
        held = [c for c in figures if review.origins.get(c.claim_id) == REFERENCE]
        return _cited(held[0], review) if held else ""
    return f"{figures[0].surface} ({_sources_of(figures, review)})"


def _details(review: Review, found: ReviewFinding) -> list[tuple[str, str]]:
    """(label, text) lines under a finding's headline."""
    if not found.draft_claim_ids:
        return []
    drafted = [review.claims[cid] for cid in found.draft_claim_ids if cid in review.claims]
    lines = [("draft", " · ".join(f"{c.surface} (line {c.line}:{c.col})" for c in drafted))]
    elsewhere = [review.claims[cid] for side in found.finding.sides for cid in side
                 if review.origins.get(cid) == DRAFT and cid not in found.draft_claim_ids
                 and cid in review.claims]
    if elsewhere:
        lines.append(("draft", "also " + " · ".join(
            f"{c.surface} (line {c.line}:{c.col})" for c in elsewhere)))
    if found.code in ("NC301", "NC302"):
        return []  # the message says it all
    for _, claims in _others(review, found):
        corpus = [c for c in claims if review.origins.get(c.claim_id) != REFERENCE]
        shown = corpus[:SHOWN_PER_SIDE]
        for claim in shown:
            lines.append(("source", _cited(claim, review)))
        if len(corpus) > len(shown):
            more = len(corpus) - len(shown)
            lines.append(("", f"… and {more} more on this side"))
    for side in found.finding.sides:
        for cid in side:
            if review.origins.get(cid) == REFERENCE and cid in review.claims:
                agrees = found.draft_side is not None and side == found.finding.sides[
                    found.draft_side]
                label = "reference" + (" (agrees)" if agrees else "")
                lines.append((label, _cited(review.claims[cid], review)))
    authority = _authority(review, found)
    if authority and found.authority_kind != "reference":
        lines.append((found.authority_kind or "consensus", authority))
    if found.fix:
        lines.append(("fix", found.fix))
    if found.note:
        lines.append(("note", found.note))
    lines += [("also", text) for text in found.also]
    return [(label, _clean(text)) for label, text in lines]


# ---------------------------------------------------------------------------------------------
# text


def _paint(text: str, style: str, color: bool) -> str:
    return f"\x1b[{_STYLES[style]}m{text}\x1b[0m" if color and style in _STYLES else text


def _text(review: Review, color: bool) -> str:
    out = []
    for found in review.findings:
        where = _paint(_clean(f"{found.path}:{found.line}:{found.col}:"), "path", color)
        code = _paint(found.code, "code", color)
        severity = _paint(found.severity, found.severity, color)
        out.append(f"{where} {code} {severity} {_clean(found.message)}")
        for label, text in _details(review, found):
            out.append("    " + _paint(f"{label:<9}", "dim", color) + " " + text)
    out.append(summary_line(review))
    return "\n".join(out) + "\n"


def summary_line(review: Review) -> str:
    """How many findings of each severity, what was compared, what was set aside; then how many
    draft figures agree, disagree, were not checked, and the corpus they were checked against."""
    return "\n".join([_findings_line(review), figures_line(review), corpus_line(review)])


def figures_line(review: Review) -> str:
    """"Draft figures: 5 agree, 1 disagrees, 2 not checked (75% checked)"."""
    counts = review.counts()
    words = {"agrees": ("agrees", "agree"), "disagrees": ("disagrees", "disagree"),
             "unchecked": ("not checked", "not checked")}
    parts = ", ".join(f"{n} {words[status][n != 1]}" for status, n in counts.items())
    line = f"Draft figures: {parts} ({review.checked_share:.0f}% checked)"
    if review.too_few_checked:
        line += f"; fewer than --min-checked {review.min_checked:g}%"
    return line + "."


def corpus_line(review: Review) -> str:
    """"Corpus: seeds (25 documents, 165 comparable figures, indexed 2026-12-06T16:40:00+00:00)"."""
    named = ", ".join(_shown(path) for path in review.corpus) or "none"
    documents = f"{review.documents} document{'' if review.documents == 1 else 's'}"
    count = review.corpus_figures
    figures = f"{count} comparable figure{'' if count == 1 else 's'}"
    indexed = f", indexed {review.indexed}" if review.indexed else ""
    return f"Corpus: {_clean(named)} ({documents}, {figures}{indexed})."


def _findings_line(review: Review) -> str:
    counts = {level: sum(f.severity == level for f in review.findings) for level in SEVERITIES}
    drafts = f"{len(review.drafts)} draft{'' if len(review.drafts) == 1 else 's'}"
    found = ", ".join(f"{n} {level}{'s' if n != 1 and level != 'info' else ''}"
                      for level, n in counts.items())
    head = f"Found {found} in {drafts}" if review.findings else f"No findings in {drafts}"
    figures = f"{review.compared} figure{'' if review.compared == 1 else 's'}"
    documents = f"{review.documents} corpus document{'' if review.documents == 1 else 's'}"
    drafts_name = "the draft names" if len(review.drafts) == 1 else "the drafts name"
    corpus = f" ({figures} of {documents} are about the quantities {drafts_name})"
    aside = []
    if review.suppressed:
        aside.append(f"{review.suppressed} suppressed by comments")
    if review.baselined:
        verb = "recorded in" if review.baseline_written else "already in"
        aside.append(f"{review.baselined} {verb} the baseline")
    return head + corpus + (f"; {', '.join(aside)}" if aside else "") + "."


# ---------------------------------------------------------------------------------------------
# json and jsonl


def _number(value: Any) -> Any:
    return None if isinstance(value, float) and not math.isfinite(value) else value


def claim_records(claims: Iterable[Claim], review: Review) -> list[dict[str, Any]]:
    """Fact-table rows, each with where it comes from: draft, corpus or reference."""
    records = list(table.claim_records(claims))
    for record in records:
        record["origin"] = review.origins.get(record["claim_id"], "")
        record["url"] = review.urls.get(record["claim_id"], "")
    return records


def finding_record(found: ReviewFinding) -> dict[str, Any]:
    """The columns of findings.csv, then where the finding is in the draft and how it was
    weighed."""
    finding: Finding = found.finding
    record: dict[str, Any] = {}
    for name in FINDING_COLUMNS:
        value = getattr(finding, name)
        if name in ("sides", "outlets"):
            value = [list(side) for side in value]
        elif isinstance(value, tuple):
            value = list(value)
        record[name] = _number(value)
    for name in REVIEW_FIELDS:
        value = getattr(found, name)
        record[name] = list(value) if isinstance(value, tuple) else value
    return record


def review_document(review: Review) -> dict[str, Any]:
    counts = {level: sum(f.severity == level for f in review.findings) for level in SEVERITIES}
    return {
        "version": LINT_VERSION,
        "claims": claim_records(review.claims.values(), review),
        "findings": [finding_record(found) for found in review.findings],
        "summary": {
            "drafts": list(review.drafts),
            "findings": counts,
            "suppressed": review.suppressed,
            "baselined": review.baselined,
            "corpus": list(review.corpus),
            "corpus_documents": review.documents,
            "corpus_figures": review.corpus_figures,
            "indexed": review.indexed,
            "compared": review.compared,
            "figures": review.counts(),
            "checked_share": round(review.checked_share, 1),
            "min_checked": review.min_checked,
        },
        "figures": [
            {"claim_id": f.claim_id, "path": f.path, "line": f.line, "col": f.col,
             "surface": f.surface, "status": f.status, "why": f.why, "sources": f.sources}
            for f in review.figures
        ],
    }


def _jsonl(review: Review) -> bytes:
    lines = []
    for found in review.findings:
        record = finding_record(found)
        cited = dict.fromkeys((*found.draft_claim_ids, *found.finding.claim_ids))
        record["claims"] = claim_records(
            (review.claims[cid] for cid in cited if cid in review.claims), review)
        lines.append(dumps(record, compact=True) + b"\n")
    return b"".join(lines)


# ---------------------------------------------------------------------------------------------
# SARIF 2.1.0


def _uri(path: str) -> str:
    if Path(path).is_absolute():
        return Path(path).as_uri()
    return quote(Path(path).as_posix(), safe="/")


def _region(line: int, col: int, end_line: int, end_col: int) -> dict[str, int]:
    return {"startLine": line, "startColumn": col, "endLine": end_line, "endColumn": end_col}


def _rule_descriptor(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.name.replace("-", " ").capitalize()},
        "fullDescription": {"text": rule.explanation},
        "help": {"text": rule.explanation},
        "defaultConfiguration": {"level": SARIF_LEVELS[rule.severity]},
        "properties": {"kind": rule.kind},
    }


def sarif_log(review: Review) -> dict[str, Any]:
    """The review as a SARIF 2.1.0 log: one run, every rule, one result per finding."""
    rules = sorted(review.rules, key=lambda rule: rule.code)
    index = {rule.code: number for number, rule in enumerate(rules)}
    results = [_sarif_result(found, review, index) for found in review.findings]
    notifications = [
        {"level": "warning", "message": {"text": _clean(str(problem))},
         "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(problem.path)}}}]}
        for problem in review.problems
    ]
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "numcheck",
                "version": __version__,
                "rules": [_rule_descriptor(rule) for rule in rules],
            }},
            "invocations": [invocation],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


def _sarif_result(
    found: ReviewFinding, review: Review, index: Mapping[str, int]
) -> dict[str, Any]:
    details = "".join(f"\n{label}: {text}" if label else f"\n{text}"
                      for label, text in _details(review, found))
    result: dict[str, Any] = {
        "ruleId": found.code,
        "level": SARIF_LEVELS[found.severity],
        "message": {"text": _clean(found.message) + details},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": _uri(found.path)},
            "region": _region(found.line, found.col, found.end_line, found.end_col),
        }}],
        "partialFingerprints": {"numcheck/v1": found.fingerprint},
        "properties": {
            "name": found.finding.name,
            "kind": found.finding.kind,
            "quantity": found.quantity,
            "ruleSeverity": found.rule_severity,
        },
    }
    if found.code in index:
        result["ruleIndex"] = index[found.code]
    if found.replacement:
        result["fixes"] = [{
            "description": {"text": _clean(found.fix)},
            "artifactChanges": [{
                "artifactLocation": {"uri": _uri(found.path)},
                "replacements": [{
                    "deletedRegion": _region(found.line, found.col, found.end_line, found.end_col),
                    "insertedContent": {"text": _clean(found.replacement)},
                }],
            }],
        }]
    related: list[dict[str, Any]] = []
    for _, claims in _others(review, found):
        for claim in claims[:SHOWN_PER_SIDE]:
            related.append({
                "id": len(related),
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(claim.path)},
                    "region": {"startLine": claim.line, "startColumn": claim.col},
                },
                "message": {"text": _clean(_cited(claim, review))},
            })
    if related:
        result["relatedLocations"] = related
    return result


# ---------------------------------------------------------------------------------------------
# GitHub workflow commands


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _github(review: Review) -> str:
    lines = []
    for found in review.findings:
        properties = {"file": found.path, "line": str(found.line)}
        if found.end_line == found.line:  # GitHub takes columns only within one line
            properties["col"] = str(found.col)
            properties["endColumn"] = str(max(found.col, found.end_col - 1))  # inclusive
        properties["endLine"] = str(found.end_line)
        properties["title"] = f"{found.code} {found.finding.name}"
        shown = ",".join(f"{key}={_escape_property(_clean(value))}"
                         for key, value in properties.items())
        body = "\n".join([_clean(found.message)] + [
            f"{label}: {text}" if label else text for label, text in _details(review, found)
        ])
        lines.append(f"::{GITHUB_LEVELS[found.severity]} {shown}::{_escape_data(body)}")
    return "".join(line + "\n" for line in lines)


# ---------------------------------------------------------------------------------------------
# JUnit XML


def _junit(review: Review) -> str:
    by_draft: dict[str, list[ReviewFinding]] = {path: [] for path in review.drafts}
    for found in review.findings:
        by_draft.setdefault(found.path, []).append(found)
    total = sum(max(1, len(found)) for found in by_draft.values())
    root = ElementTree.Element("testsuites", {
        "name": "numcheck review", "tests": str(total), "failures": str(len(review.findings)),
        "errors": "0",
    })
    for path, findings in by_draft.items():
        suite = ElementTree.SubElement(root, "testsuite", {
            "name": _clean(path), "tests": str(max(1, len(findings))),
            "failures": str(len(findings)), "errors": "0",
        })
        if not findings:
            ElementTree.SubElement(suite, "testcase", {"classname": _clean(path),
                                                       "name": "no findings"})
        for found in findings:
            case = ElementTree.SubElement(suite, "testcase", {
                "classname": _clean(path),
                "name": f"{found.code} {found.line}:{found.col} {_clean(found.quantity)}".strip(),
            })
            failure = ElementTree.SubElement(case, "failure", {
                "type": f"{found.code} {found.severity}", "message": _clean(found.message),
            })
            failure.text = "\n".join(
                [_clean(f"{found.path}:{found.line}:{found.col}: {found.code} {found.severity}")]
                + [f"{label}: {text}" if label else text for label, text in _details(review, found)]
            )
    ElementTree.indent(root)
    body = ElementTree.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"

