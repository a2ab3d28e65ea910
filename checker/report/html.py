"""The analysts' report: one self-contained HTML page of findings, agreements, documents, facts
and the run.

The page has no external resources: CSS, JavaScript and data are inline, so it opens from disk
and offline. Article text is untrusted: the templates autoescape everything, the data for the
script is JSON with `<`, `>` and `&` written as \\u escapes, and the script builds what it shows
with `textContent`, never `innerHTML`. Output is deterministic: no timestamps (the page reads
when it was written from its file), stable order.

The parts have their own modules: the views of findings and agreements `checker.report.views`,
the number line and timelines `checker.report.charts`, figures for people
`checker.report.numbers`.

    >>> from checker.report.html import write_html
    >>> write_html(checker.run(["seeds/"]), "reports/report.html")
"""

from __future__ import annotations

import base64
import hashlib
import math
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path, PurePath
from types import MappingProxyType
from typing import IO, TYPE_CHECKING, Any

from checker.claims import coverage
from checker.models import SEVERITIES, Claim, Document, Finding
from checker.report.charts import coordinate, side_claims
from checker.report.numbers import format_interval, format_quantity
from checker.report.quantities import Overview, common_folder, default_rulebook, overview
from checker.report.table import dumps
from checker.report.views import (
    Anchors,
    Context,
    FindingView,
    Labels,
    agreement_view,
    finding_view,
    lang_of,
    severity_rank,
    split_sentence,
    tidy,
)

if TYPE_CHECKING:
    from jinja2 import Environment
    from markupsafe import Markup

    from checker.pipeline import Result
    from checker.rulebook import Rulebook

__all__ = [
    "MAX_CLAIMS_PER_SIDE",
    "MAX_DOCUMENT_CHARS",
    "MAX_FACTS",
    "MAX_FINDINGS",
    "render_html",
    "stream_html",
    "write_html",
]

# Beyond these the page gets slow to open; facts.csv always has every figure.
MAX_FACTS = 5_000
MAX_DOCUMENT_CHARS = 250_000
# Findings listed, errors first: a flattened table can make tens of thousands (a 312 MB page);
# findings.csv and report.json hold every one.
MAX_FINDINGS = 2_000
# A side of a finding in a large corpus can hold thousands of figures: a few are on the page
# as written, the rest are drawn from the facts data when the side is opened.
MAX_CLAIMS_PER_SIDE = 3

_JSON_ESCAPES = MappingProxyType({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})

# The columns of the facts view and of its CSV download: (key, label, type, shown at first).
_FACT_COLUMNS = (
    ("surface", "Figure", "text", True),
    ("value", "Value", "number", True),
    ("low", "Low", "number", False),
    ("high", "High", "number", False),
    ("unit", "Unit", "text", True),
    ("dimension", "Dimension", "text", False),
    ("qualifier", "Qualifier", "text", True),
    ("entity", "Entity", "text", True),
    ("metric", "Measure", "text", True),
    ("scope", "Scope", "text", False),
    ("period", "Period", "text", True),
    ("key", "Key", "text", False),
    ("title", "Document", "text", True),
    ("published", "Date", "text", True),
    ("outlet", "Outlet", "text", False),
    ("file", "File", "text", False),
    ("line", "Line", "number", False),
    ("sentence", "Sentence", "text", True),
)
# What a row of the facts data holds, in order; document fields are in its own list.
_ROW_FIELDS = (
    "surface", "value", "low", "high", "unit", "dimension", "qualifier", "entity", "metric",
    "scope", "period", "key", "doc", "line", "sentence", "at", "anchor",
)
_DOC_FIELDS = ("title", "published", "outlet", "file", "anchor", "lang")
# The row items given as an index into the data's `strings`: each text is written once.
_INTERNED = (
    "surface", "unit", "dimension", "qualifier", "entity", "metric", "scope", "period", "key",
    "sentence",
)


# --- view models of the documents and the summary ---


@dataclass(frozen=True, slots=True)
class FindingLink:
    anchor: str
    code: str
    severity: str


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of document text; a figure when `anchor` is set."""

    text: str
    anchor: str = ""
    title: str = ""
    link: str = ""  # the finding the figure takes part in
    severity: str = ""
    lang: str = ""  # set when it is not the document's


@dataclass(frozen=True, slots=True)
class DocumentView:
    anchor: str
    title: str
    title_lang: str
    published: str
    outlet: str
    file: str
    url: str
    lang: str
    figures: int
    findings: tuple[FindingLink, ...]
    segments: tuple[Segment, ...]


@dataclass(frozen=True, slots=True)
class CodeCount:
    code: str
    kind: str
    severity: str
    count: int


@dataclass(frozen=True, slots=True)
class Summary:
    documents: int
    figures: int
    problems: tuple[str, ...]
    checkable: str  # "" until claims carry entities and metrics
    by_severity: tuple[tuple[str, int], ...]
    by_code: tuple[CodeCount, ...]


# --- public API ---


def render_html(
    result: Result,
    *,
    rulebook: Rulebook | None = None,
    quantities: Overview | None = None,
    max_facts: int = MAX_FACTS,
    max_document_chars: int = MAX_DOCUMENT_CHARS,
    max_claims_per_side: int = MAX_CLAIMS_PER_SIDE,
    max_findings: int = MAX_FINDINGS,
) -> str:
    """The report page for a run, as a string. `rulebook` names entities and measures (default:
    the one a run over the corpus folder uses); `quantities` is the run's Overview when the
    caller has it already."""
    return "".join(_page(result, rulebook, quantities, max_facts, max_document_chars,
                         max_claims_per_side, max_findings))


def stream_html(
    result: Result,
    handle: IO[bytes],
    *,
    rulebook: Rulebook | None = None,
    quantities: Overview | None = None,
) -> None:
    """The page of `render_html`, written to `handle` as it is made: a page of many findings
    is never held whole, as text and again as bytes (a 300 MB page took 1.4 GB)."""
    pieces: list[str] = []
    size = 0
    for piece in _page(result, rulebook, quantities, MAX_FACTS, MAX_DOCUMENT_CHARS,
                       MAX_CLAIMS_PER_SIDE, MAX_FINDINGS):
        pieces.append(piece)
        size += len(piece)
        if size >= _STREAM_CHARS:
            handle.write("".join(pieces).encode("utf-8"))
            pieces, size = [], 0
    handle.write("".join(pieces).encode("utf-8"))


_STREAM_CHARS = 1 << 20


def _page(
    result: Result,
    rulebook: Rulebook | None,
    quantities: Overview | None,
    max_facts: int,
    max_document_chars: int,
    max_claims_per_side: int,
    max_findings: int,
) -> Iterator[str]:
    """The pieces of the report page, in order, as the template makes them."""
    from markupsafe import Markup

    rulebook = rulebook or result.rulebook or default_rulebook(result.documents)
    quantities = quantities or overview(result, rulebook)
    env = _environment()
    shown = _documents_within(result.documents, max_document_chars)
    context = Context(
        claims={claim.claim_id: claim for claim in result.claims},
        documents={document.doc_id: document for document in result.documents},
        shown=frozenset(document.doc_id for document in shown),
        root=common_folder(document.path for document in result.documents),
        anchors=Anchors(),
        max_claims=max_claims_per_side,
        labels=Labels(rulebook.lexicon, result.claims),
    )
    # the page opens sorted by severity, the given order breaking ties: its first findings
    listed = sorted(result.findings, key=severity_rank)[:max_findings]
    wanted = _claims_on_view(listed, quantities)
    facts = _facts_data(result.claims, context, max_facts, wanted)
    findings = tuple(finding_view(finding, context) for finding in listed)
    agreements = tuple(agreement_view(agreement, context) for agreement in quantities.agreements)
    documents = _document_views(shown, result.claims, findings, context)
    css, script = _resource(env, "report.css"), _resource(env, "report.js")
    template = env.get_template("report.html.j2")
    entities = {entity for finding in findings for entity in finding.entities}
    return template.generate(
        summary=_summary(result),
        findings=findings,
        hidden_findings=len(result.findings) - len(listed),
        rules=_rule_texts(findings, context.anchors),
        agreements=agreements,
        run=quantities.run,
        single_source=quantities.single_source,
        codes=sorted({finding.code for finding in findings}),
        entities=sorted(((context.labels.entity(e), e) for e in entities), key=_label_order),
        documents=documents,
        hidden_documents=len(result.documents) - len(shown),
        facts=facts,
        facts_json=Markup(_script_json(facts)),
        css=Markup(css),
        script=Markup(script),
        # The page's Content-Security-Policy lets exactly this style and script run.
        style_hash=_csp_hash(css),
        script_hash=_csp_hash(script),
        severities=SEVERITIES,
        version=_version(),
    )


def write_html(
    result: Result,
    path: str | os.PathLike[str],
    *,
    rulebook: Rulebook | None = None,
    max_facts: int = MAX_FACTS,
    max_document_chars: int = MAX_DOCUMENT_CHARS,
    max_claims_per_side: int = MAX_CLAIMS_PER_SIDE,
    max_findings: int = MAX_FINDINGS,
) -> Path:
    """Write the report page to `path` atomically; returns the path."""
    from checker.report.files import write_atomic

    page = render_html(
        result,
        rulebook=rulebook,
        max_facts=max_facts,
        max_document_chars=max_document_chars,
        max_claims_per_side=max_claims_per_side,
        max_findings=max_findings,
    )
    return write_atomic(path, page.encode("utf-8"))


def _label_order(item: tuple[str, str]) -> tuple[str, str]:
    return (item[0].casefold(), item[1])


def _rule_texts(
    findings: Sequence[FindingView], anchors: Anchors
) -> dict[str, tuple[str, str, str]]:
    """code -> (anchor, kind, explanation): each rule's explanation, once on the page."""
    rules: dict[str, tuple[str, str, str]] = {}
    for finding in findings:
        if finding.explanation and finding.code not in rules:
            rules[finding.code] = (anchors("rule", finding.code), finding.kind,
                                   finding.explanation)
    return rules


# --- templates ---


def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("checker.report", "templates"),
        autoescape=True,  # every template, whatever its suffix: article text is untrusted
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["lang_attr"] = _lang_attr
    env.filters["n"] = coordinate
    env.filters["lang_is"] = _lang_is
    return env


def _resource(env: Environment, name: str) -> str:
    """A CSS or JS file of the templates folder, inlined verbatim: ours, not the corpus'."""
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, name)
    closing = "</style" if name.endswith(".css") else "</script"
    if closing in source.lower():
        raise ValueError(f"{name} must not contain {closing}>")
    return source


def _csp_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def _script_json(data: Any) -> str:
    """JSON that can sit inside <script>: no "</script>", "<!--" or "&" survives in the text."""
    text = dumps(data, compact=True).decode("utf-8")
    return re.sub("[<>&]", lambda match: _JSON_ESCAPES[match.group()], text)


def _version() -> str:
    from checker.version import __version__

    return __version__


# --- template filters ---


def _lang_attr(text: str) -> Markup:
    """ lang="zh" on an element of the English page whose text is Chinese, so that it is
    set in a Chinese font and read out as Chinese."""
    from markupsafe import Markup

    return Markup(' lang="zh"') if lang_of(str(text)) == "zh" else Markup("")


def _lang_is(lang: str) -> Markup:
    from markupsafe import Markup, escape

    return Markup(f' lang="{escape(lang or "en")}"')  # Markup.format costs more, per figure


# --- documents ---


def _documents_within(documents: Sequence[Document], budget: int) -> tuple[Document, ...]:
    """The first documents whose text fits in `budget` characters (at least one)."""
    shown: list[Document] = []
    used = 0
    for document in documents:
        used += document.end - document.start
        if used > budget and shown:
            break
        shown.append(document)
    return tuple(shown)


def _document_views(
    documents: Sequence[Document],
    claims: Sequence[Claim],
    findings: Sequence[FindingView],
    context: Context,
) -> tuple[DocumentView, ...]:
    """The documents with their figures marked."""
    anchors = context.anchors
    by_document: dict[str, list[Claim]] = {}
    for claim in claims:
        if claim.doc_id in context.shown:
            by_document.setdefault(claim.doc_id, []).append(claim)
    links = _finding_links(findings, context.shown)
    views: list[DocumentView] = []
    for document in documents:
        own = sorted(
            by_document.get(document.doc_id, ()), key=lambda claim: (claim.start, claim.end)
        )
        takes_part = {link.anchor: link for claim in own for link in links.get(claim.claim_id, ())}
        title = document.title or PurePath(document.path).name
        views.append(
            DocumentView(
                anchor=anchors("doc", document.doc_id),
                title=title,
                title_lang=lang_of(title),
                published=document.published[:10],
                outlet=document.source,
                file=context.file(document.path),
                url=document.url if _is_web_url(document.url) else "",
                lang=document.lang,
                figures=len(own),
                findings=tuple(sorted(takes_part.values(), key=lambda link: link.anchor)),
                segments=tuple(_segments(document, own, links, anchors)),
            )
        )
    return tuple(views)


def _finding_links(
    findings: Sequence[FindingView], shown: frozenset[str]
) -> dict[str, tuple[FindingLink, ...]]:
    """claim_id -> the findings it takes part in, most severe first, for the claims of the
    documents in `shown`."""
    links: dict[str, list[FindingLink]] = {}
    for finding in findings:
        link = FindingLink(finding.anchor, finding.code, finding.severity)
        for side in finding.sides:
            for claim in side_claims(side):
                if claim.doc_id in shown:
                    links.setdefault(claim.claim_id, []).append(link)
    return {claim_id: tuple(found) for claim_id, found in links.items()}


def _segments(
    document: Document,
    claims: Sequence[Claim],
    links: Mapping[str, tuple[FindingLink, ...]],
    anchors: Anchors,
) -> Iterable[Segment]:
    # U+2029 marks a break ingest inserted (an HTML block); show it as the line break it is.
    text = document.text.replace("\u2029", "\n")
    position = document.start
    for claim in claims:
        if claim.start < position or claim.end > document.end:
            continue  # overlaps the figure before it (or lies outside the body): not marked
        yield _plain(tidy(text[position : claim.start]), document.lang)
        found = links.get(claim.claim_id, ())
        title = _value_title(claim)
        if found:
            title += "\nin " + ", ".join(f"{link.code} ({link.severity})" for link in found)
        yield Segment(
            text[claim.start : claim.end],
            anchor=anchors("claim", claim.claim_id),
            title=title,
            link=found[0].anchor if found else "",
            severity=found[0].severity if found else "",
            lang=figure_lang if (figure_lang := lang_of(claim.surface)) != document.lang else "",
        )
        position = claim.end
    yield _plain(tidy(text[position : document.end]), document.lang)


def _value_title(claim: Claim) -> str:
    parts = [format_quantity(claim.value, claim.unit, claim.iso)]
    interval = format_interval(claim)
    if interval:
        parts.append(f"[{interval}]")
    parts.append(str(claim.key) if claim.key else "no key")
    return " · ".join(parts)


def _plain(text: str, lang: str) -> Segment:
    own = lang_of(text)
    return Segment(text, lang=own if own != lang and text.strip() else "")


def _is_web_url(url: str) -> bool:
    # Only http(s) becomes a link: a "javascript:" URL from an article must stay text.
    return url.lower().startswith(("http://", "https://"))


# --- summary and facts ---


def _summary(result: Result) -> Summary:
    """The run in numbers: every finding counts, listed on the page or not."""
    severities = Counter(finding.severity for finding in result.findings)
    codes: dict[str, CodeCount] = {}
    for finding in result.findings:
        known = codes.get(finding.code)
        codes[finding.code] = CodeCount(
            code=finding.code,
            kind=known.kind if known else finding.kind,
            severity=known.severity if known else finding.severity,
            count=(known.count if known else 0) + 1,
        )
    return Summary(
        documents=len(result.documents),
        figures=len(result.claims),
        problems=tuple(str(problem) for problem in result.problems),
        checkable=_checkable_share(result.claims),
        by_severity=tuple((name, severities[name]) for name in SEVERITIES if severities[name]),
        by_code=tuple(codes[code] for code in sorted(codes)),
    )


def _checkable_share(claims: Sequence[Claim]) -> str:
    """The coverage the terminal report prints, as a share; "" when no claim is placed yet."""
    if not any(claim.entity or claim.metric for claim in claims):
        return ""
    return f"{coverage(claims).share:.0%}"


def _claims_on_view(findings: Sequence[Finding], quantities: Overview) -> set[str]:
    """The claims that findings and agreements show: the facts data holds them first."""
    wanted = {claim_id for finding in findings for claim_id in finding.claim_ids}
    for finding in findings:
        for revision in getattr(finding, "revisions", ()) or ():
            wanted.update(revision[:2])
    for agreement in quantities.agreements:
        wanted.update(claim.claim_id for claim in agreement.claims)
    return wanted


def _facts_data(
    claims: Sequence[Claim], context: Context, limit: int, wanted: set[str]
) -> dict[str, Any]:
    """The facts view's data, at most `limit` rows: the claims of findings and agreements, then
    the others in order. Compact: rows are lists (`fields` names their items), their text an
    index into `strings`, a document's fields (`docFields`) an index into `docs`."""
    chosen = list(islice((claim for claim in claims if claim.claim_id in wanted), limit))
    taken = {claim.claim_id for claim in chosen}
    chosen += islice((claim for claim in claims if claim.claim_id not in taken),
                     limit - len(chosen))
    order = {claim.claim_id: index for index, claim in enumerate(claims)}
    chosen.sort(key=lambda claim: order[claim.claim_id])
    documents: dict[str, int] = {}
    doc_rows: list[list[Any]] = []
    strings: dict[str, int] = {}
    labels: dict[str, dict[str, str]] = {"entity": {}, "metric": {}, "scope": {}}
    rows = []
    for claim in chosen:
        if claim.doc_id not in documents:
            documents[claim.doc_id] = len(doc_rows)
            doc_rows.append(_doc_row(claim, context))
        before, figure, after = split_sentence(claim, context.documents.get(claim.doc_id))
        before, after = tidy(before), tidy(after)
        for kind, value in (("entity", claim.entity), ("metric", claim.metric),
                            ("scope", claim.scope)):
            if value and value not in labels[kind]:
                labels[kind][value] = getattr(context.labels, kind)(value)
        context.rows[claim.claim_id] = len(rows)
        anchor = context.anchors("claim", claim.claim_id) if claim.doc_id in context.shown else ""
        texts = (claim.surface, claim.unit, claim.dimension, claim.qualifier, claim.entity,
                 claim.metric, claim.scope, claim.period, str(claim.key) if claim.key else "",
                 before + figure + after)
        surface, unit, dimension, qualifier, entity, metric, scope, period, key, sentence = (
            strings.setdefault(text, len(strings)) for text in texts
        )
        rows.append([
            surface, _json_number(claim.value), _json_number(claim.low),
            _json_number(claim.high), unit, dimension, qualifier, entity, metric, scope, period,
            key, documents[claim.doc_id], claim.line, sentence, len(before), anchor,
        ])
    return {
        "columns": [
            {"key": key, "label": label, "type": kind, "shown": shown}
            for key, label, kind, shown in _FACT_COLUMNS
        ],
        "fields": list(_ROW_FIELDS),
        "interned": list(_INTERNED),
        "docFields": list(_DOC_FIELDS),
        "docs": doc_rows,
        "strings": list(strings),
        "zh": [number for text, number in strings.items() if lang_of(text) == "zh"],
        "labels": labels,
        "rows": rows,
        "total": len(claims),
        "dimensions": sorted({claim.dimension for claim in chosen}),
    }


def _doc_row(claim: Claim, context: Context) -> list[Any]:
    in_page = claim.doc_id in context.shown
    return [
        claim.title, claim.published[:10], context.outlet(claim), context.file(claim.path),
        context.anchors("doc", claim.doc_id) if in_page else "", lang_of(claim.title),
    ]


def _json_number(value: float) -> float | str:
    """JSON has no infinity: open bounds travel as "inf"/"-inf", as in facts.csv."""
    if math.isfinite(value):
        return value
    return "?" if math.isnan(value) else ("inf" if value > 0 else "-inf")
