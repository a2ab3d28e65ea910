"""The analysts' report: one self-contained HTML page of findings, agreements, documents, facts
and the run.

The page has no external resources: CSS, JavaScript and data are inline, so it opens from disk
and offline. Article text is untrusted: the templates autoescape everything, the data for the
script is JSON with `<`, `>` and `&` written as \\u escapes, and the script builds what it shows
with `textContent`, never `innerHTML`. Output is deterministic: no timestamps (the page reads
when it was written from its file), stable order.

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
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import chain, islice
from operator import attrgetter
from pathlib import Path, PurePath
from types import MappingProxyType
from typing import IO, TYPE_CHECKING, Any

from checker.claims import coverage
from checker.models import SEVERITIES, Claim, Document, Finding
from checker.report.quantities import (
    Agreement,
    Overview,
    common_folder,
    default_rulebook,
    overview,
)
from checker.report.table import dumps
from checker.sentences import detect_lang

if TYPE_CHECKING:
    from jinja2 import Environment
    from markupsafe import Markup

    from checker.claims import Lexicon
    from checker.pipeline import Result
    from checker.rulebook import Rulebook

__all__ = [
    "MAX_CLAIMS_PER_SIDE",
    "MAX_DOCUMENT_CHARS",
    "MAX_FACTS",
    "MAX_FINDINGS",
    "format_interval",
    "format_number",
    "format_quantity",
    "format_ratio",
    "number_line",
    "render_html",
    "split_sentence",
    "tidy",
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
# Figures of an agreement shown before it is opened.
MAX_CLAIMS_PER_AGREEMENT = 3
# Intervals spanning this factor or more are drawn on a log axis, or the small ones vanish.
LOG_SCALE_SPAN = 10.0

_SEVERITY_RANK = MappingProxyType({name: rank for rank, name in enumerate(SEVERITIES)})
_SIDE_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_EPOCH = date(1970, 1, 1)
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_.~-]+")
_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
_CURRENCY_PREFIX = re.compile(r"[A-Z]{0,2}[$€£¥₹]")
_JSON_ESCAPES = MappingProxyType({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})
# Masked citation markers and markup leave runs of spaces, and spaces before punctuation.
_GAP_BEFORE_PUNCTUATION = re.compile(r"[ \t\u00a0\u3000]+(?=[.,;:!?%)\]}。，、；：！？）」』》])")
_SPACES = re.compile(r"[ \t\u00a0]{2,}")

# The number line, in SVG user units; the SVG scales to the width of its box.
_SVG_WIDTH, _LABEL_WIDTH, _ROW_HEIGHT, _AXIS_HEIGHT, _PAD = 640, 170, 20, 26, 10
# The timeline charts: width, height, the room for the value labels left and the dates below.
_CHART_WIDTH, _CHART_HEIGHT, _CHART_LEFT, _CHART_BOTTOM = 320, 150, 84, 22

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


# --- view models: what the templates show, computed here so the templates stay dumb ---


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    label: str
    edge: bool = False  # near the right edge: the label ends at the tick, not centred on it


@dataclass(frozen=True, slots=True)
class Bar:
    y: float
    x1: float
    x2: float
    x: float  # the stated value
    open_left: bool  # the interval runs past the left edge (0 on a log axis, -inf)
    open_right: bool  # ... past the right edge ("over 90 t": +inf)
    side: int
    label: str
    title: str
    consensus: bool = False
    earlier_x: float | None = None  # where the value stood before its own sentence revised it


@dataclass(frozen=True, slots=True)
class NumberLine:
    scale: str  # "log" or "linear"
    unit: str
    width: int
    height: int
    label_width: int
    axis_y: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]


@dataclass(frozen=True, slots=True)
class Series:
    """The figures of one side on a chart, drawn as one path of dots."""

    side: int
    title: str
    dots: str  # the path of its dots, "M{x} {y}h0" each: made here, as a side has thousands
    later: tuple[tuple[float, float], ...]  # the later values of revisions, ringed


@dataclass(frozen=True, slots=True)
class Arrow:
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass(frozen=True, slots=True)
class Chart:
    """A quantity's figures against time: by publication date or by the period they are for."""

    by: str  # "published" or "period"
    title: str
    scale: str
    width: int
    height: int
    left: int
    bottom: float
    figures: int
    series: tuple[Series, ...]
    arrows: tuple[Arrow, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]  # Tick.x is the y position here
    missing: int  # figures with no date of this kind, not drawn


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
    claims: tuple[ClaimView, ...]  # the ones shown as written, at most MAX_CLAIMS_PER_SIDE
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
    context = _Context(
        claims={claim.claim_id: claim for claim in result.claims},
        documents={document.doc_id: document for document in result.documents},
        shown=frozenset(document.doc_id for document in shown),
        root=common_folder(document.path for document in result.documents),
        anchors=_Anchors(),
        max_claims=max_claims_per_side,
        labels=_Labels(rulebook.lexicon, result.claims),
    )
    # the page opens sorted by severity, the given order breaking ties: its first findings
    listed = sorted(result.findings, key=_severity_rank)[:max_findings]
    wanted = _claims_on_view(listed, quantities)
    facts = _facts_data(result.claims, context, max_facts, wanted)
    findings = tuple(_finding_view(finding, context) for finding in listed)
    agreements = tuple(_agreement_view(agreement, context) for agreement in quantities.agreements)
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
    findings: Sequence[FindingView], anchors: _Anchors
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
    env.filters["n"] = _coordinate
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


# --- text ---


def tidy(text: str) -> str:
    """Text for reading: no run of spaces, no space before punctuation ("capacity ." reads
    "capacity."), where masked citation markers or markup left them. Display only: the data
    keep the text as found, so its offsets stay true."""
    return _SPACES.sub(" ", _GAP_BEFORE_PUNCTUATION.sub("", text))


def _coordinate(value: float) -> str:
    """An SVG coordinate, short: 20 rather than 20.0."""
    return f"{round(value, 1):g}"


def _lang(text: str) -> str:
    return detect_lang(text) if text else "en"


def _lang_attr(text: str) -> Markup:
    """ lang="zh" on an element of the English page whose text is Chinese, so that it is
    set in a Chinese font and read out as Chinese."""
    from markupsafe import Markup

    return Markup(' lang="zh"') if _lang(str(text)) == "zh" else Markup("")


def _lang_is(lang: str) -> Markup:
    from markupsafe import Markup, escape

    return Markup(f' lang="{escape(lang or "en")}"')  # Markup.format costs more, per figure


class _Labels:
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


# --- numbers ---


def format_number(value: float) -> str:
    """A figure for reading: 380,000; 28.5 million; 0.5; 1.2×10¹⁸; ∞."""
    if math.isnan(value):
        return "?"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    magnitude = abs(value)
    if magnitude >= 1e15 or 0 < magnitude < 1e-4:
        mantissa, exponent = f"{value:.3e}".split("e")
        mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa}×10{str(int(exponent)).translate(_SUPERSCRIPT)}"
    for scale, word in _SCALES:
        if magnitude >= scale:
            return f"{_significant(value / scale)} {word}"
    return _significant(value)


def _significant(value: float) -> str:
    text = f"{value:,.6g}"
    return text if "e" not in text else f"{value:,.0f}"


def format_quantity(value: float, unit: str, iso: str = "") -> str:
    """A value in its canonical unit: 80%, 28.5 billion kg, 3×, 2024-08-01."""
    if unit == "date":
        return iso or _date_label(value)
    number = format_number(value)
    if unit == "percent":
        return f"{number}%"
    if unit in ("count", ""):
        return number
    if unit == "x":
        return f"{number}×"
    if unit == "rank":
        return f"#{number}"
    return f"{number} {unit}"


def format_interval(claim: Claim) -> str:
    """The interval a figure stands for, or "" when it is a single point."""
    if claim.low == claim.high:
        return ""
    if claim.unit == "date":
        if claim.iso and "/" in claim.iso:
            return claim.iso.replace("/", " – ")
        return f"{_date_label(claim.low)} – {_date_label(claim.high)}"
    if not (math.isfinite(claim.low) and math.isfinite(claim.high)):
        return f"{format_quantity(claim.low, claim.unit)} – {format_number(claim.high)}"
    low = _split_unit(format_quantity(claim.low, claim.unit))
    high = _split_unit(format_quantity(claim.high, claim.unit))
    if low[1] == high[1]:  # "28.45 – 28.55 billion kg" rather than the unit twice
        return f"{low[0]} – {high[0]}{high[1]}"
    return f"{''.join(low)} – {''.join(high)}"


def _split_unit(text: str) -> tuple[str, str]:
    """ "28.5 billion kg" -> ("28.5", " billion kg"); "80%" -> ("80", "%")."""
    match = re.match(r"[#−-]?[\d,.]+(?:×10\S*)?|∞", text)
    return (text[: match.end()], text[match.end() :]) if match else (text, "")


def format_ratio(ratio: float | None) -> str:
    """×10, ×2.5, ×1.0001: enough digits to tell the ratio from 1, "" when it is 1 or unknown."""
    if ratio is None or not math.isfinite(ratio) or ratio <= 0:
        return ""
    for digits in (3, 4, 5, 6):
        text = f"{ratio:.{digits}g}"
        if float(text) != 1:
            return f"×{_significant(float(text))}"
    return ""


def _date_label(days: float) -> str:
    if not math.isfinite(days):
        return format_number(days)
    try:
        return (_EPOCH + timedelta(days=round(days))).isoformat()
    except OverflowError:
        return format_number(days)


def _stated(claim: Claim) -> str:
    """The figure as written with its scale word applied: "28.5 million tons", "2.85万 吨"."""
    if claim.unit == "date":
        return claim.surface
    unit, number = claim.stated_unit, format_number(claim.stated_value)
    symbol = _CURRENCY_PREFIX.match(unit)
    if symbol:  # "$ per kilogram" reads "$12 per kilogram"
        return f"{symbol.group()}{number}{unit[symbol.end() :]}"
    glue = "" if not unit or unit == "%" or not unit[:1].isascii() else " "
    return f"{number}{glue}{unit}"


# --- findings ---


class _Anchors:
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
class _Context:
    """What every part of the page looks claims and documents up in."""

    claims: Mapping[str, Claim]
    documents: Mapping[str, Document]
    shown: frozenset[str]  # ids of the documents whose text is on the page
    root: str  # the corpus folder, paths are shown relative to it
    anchors: _Anchors
    max_claims: int  # shown per side of a finding
    labels: _Labels
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


def _severity_rank(finding: Finding) -> int:
    return _SEVERITY_RANK.get(finding.severity, len(SEVERITIES))


def _finding_view(finding: Any, context: _Context) -> FindingView:
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
        rank=_severity_rank(finding),
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


def _revisions(finding: Any, context: _Context) -> dict[str, tuple[str, str]]:
    """earlier claim id -> (later claim id, the words that say who revised it)."""
    found: dict[str, tuple[str, str]] = {}
    for revision in getattr(finding, "revisions", ()) or ():
        earlier, later, words = revision
        if earlier in context.claims and later in context.claims:
            found[earlier] = (later, str(words))
    return found


def _sides(
    finding: Any, context: _Context, revisions: Mapping[str, tuple[str, str]]
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
    given: Sequence[Any], index: int, members: Sequence[Claim], context: _Context
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


def _claim_view(claim: Claim, context: _Context, role: str = "") -> ClaimView:
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
        stated=_stated(claim),
        normalized=format_quantity(claim.value, claim.unit, claim.iso),
        interval=format_interval(claim),
        lang=_lang(before + figure + after),
        title_lang=_lang(claim.title),
        outlet=context.outlet(claim),
        role=role,
        said_by=dict(claim.evidence).get("said by", ""),
    )


def _value_title(claim: Claim) -> str:
    parts = [format_quantity(claim.value, claim.unit, claim.iso)]
    interval = format_interval(claim)
    if interval:
        parts.append(f"[{interval}]")
    parts.append(str(claim.key) if claim.key else "no key")
    return " · ".join(parts)


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


def _quantity(finding: Any, members: Sequence[Claim], context: _Context) -> str:
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


def _agreement_view(agreement: Agreement, context: _Context) -> AgreementView:
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


# --- the number line ---


def number_line(sides: Sequence[SideView]) -> NumberLine | None:
    """The intervals of a finding's sides on one axis, one row per side: the bar spans the
    intervals of all its figures, the dot is the value of its first.

    None when the claims do not share a unit (nothing to draw them against) or have no finite
    bound. The axis is logarithmic when the values span LOG_SCALE_SPAN or more.
    """
    every = [claim for side in sides for claim in _side_claims(side)]
    units = set(map(attrgetter("unit"), every))
    if len(units) != 1:
        return None
    unit = units.pop()
    bounds = map(attrgetter("low", "value", "high"), every)
    points = list(filter(math.isfinite, chain.from_iterable(bounds)))
    if not points:
        return None
    use_log = _use_log(points, unit)
    if use_log:
        points = [point for point in points if point > 0]
    axis = _Axis(min(points), max(points), use_log, _LABEL_WIDTH + _PAD, _SVG_WIDTH - _PAD)
    bars = tuple(_bar(axis, side, top=_PAD + row * _ROW_HEIGHT) for row, side in enumerate(sides))
    axis_y = _PAD + len(sides) * _ROW_HEIGHT + 4
    return NumberLine(
        scale="log" if use_log else "linear",
        unit=unit,
        width=_SVG_WIDTH,
        height=int(axis_y + _AXIS_HEIGHT),
        label_width=_LABEL_WIDTH,
        axis_y=axis_y,
        bars=bars,
        ticks=tuple(replace(tick, edge=tick.x > _SVG_WIDTH - 50) for tick in axis.ticks(unit)),
    )


def _side_claims(side: SideView) -> tuple[Claim, ...]:
    if not side.revisions:
        return side.members
    return (*side.members, *(revision.earlier.claim for revision in side.revisions))


def _use_log(points: Sequence[float], unit: str) -> bool:
    positive = [point for point in points if point > 0]
    return (
        unit != "date"
        and bool(positive)
        and min(points) >= 0
        and max(positive) / min(positive) >= LOG_SCALE_SPAN
    )


class _Axis:
    """Maps values to positions in [start, end], linear or log10."""

    def __init__(self, low: float, high: float, log: bool, start: float, end: float):
        self.log = log
        lo, hi = (math.log10(low), math.log10(high)) if log else (low, high)
        if hi == lo:  # one point: give it some room
            spread = 0.5 if log else (abs(lo) * 0.1 or 1.0)
            lo, hi = lo - spread, hi + spread
        margin = (hi - lo) * 0.06
        self.lo, self.hi = lo - margin, hi + margin
        self.start, self.end = start, end

    def x(self, value: float) -> float:
        low_end, high_end = (self.start, self.end)
        if value == math.inf:
            return high_end
        if value == -math.inf or (self.log and value <= 0):
            return low_end
        position = math.log10(value) if self.log else value
        fraction = (position - self.lo) / (self.hi - self.lo)
        return round(low_end + min(max(fraction, 0.0), 1.0) * (high_end - low_end), 1)

    def tick_values(self, most: int = 5) -> list[float]:
        """Round values inside the axis, 3 to `most` of them where the axis allows: powers of
        ten, with 2 and 5 (or 3) times them on a short log axis; on a linear axis steps of 1,
        2, 2.5 or 5 times a power of ten."""
        if not self.log:
            return _nice_ticks(self.lo, self.hi, most)
        first, last = math.ceil(self.lo), math.floor(self.hi)
        if last - first + 1 >= 3:
            step = math.ceil((last - first + 1) / most)
            return [10.0**power for power in range(first, last + 1, step)]
        for factors in ((1, 3), (1, 2, 5), (1, 1.5, 2, 3, 5, 7)):
            values = [
                factor * 10.0**power
                for power in range(math.floor(self.lo), math.ceil(self.hi) + 1)
                for factor in factors
                if self.lo <= math.log10(factor * 10.0**power) <= self.hi
            ]
            if len(values) >= 3:
                return values[:: math.ceil(len(values) / most)]
        return [10.0**self.lo, 10.0 ** ((self.lo + self.hi) / 2), 10.0**self.hi]

    def ticks(self, unit: str) -> tuple[Tick, ...]:
        return tuple(Tick(self.x(value), _tick_label(value, unit)) for value in self.tick_values())


def _nice_ticks(low: float, high: float, most: int = 5) -> list[float]:
    """The coarsest round step (1, 2, 2.5 or 5 times a power of ten) that gives at least 3
    ticks between `low` and `high`, and at most `most`."""
    power = 10 ** math.floor(math.log10(high - low))
    for step in (power * factor for factor in (5, 2.5, 2, 1, 0.5, 0.25, 0.2, 0.1)):
        first = math.ceil(low / step)
        values = [round(index * step, 12) for index in range(first, math.floor(high / step) + 1)]
        if len(values) >= 3:
            return values[:: math.ceil(len(values) / most)]
    return [low, (low + high) / 2, high]


def _tick_label(value: float, unit: str) -> str:
    """A tick's value, short: masses from a tonne up in tonnes, as articles write them."""
    if unit == "date":
        return _date_label(value)
    if unit == "kg" and abs(value) >= 1000:
        return f"{format_number(value / 1000)} t"
    return format_quantity(value, unit)


def _bar(axis: _Axis, side: SideView, top: float) -> Bar:
    first, count = side.members[0], len(side.members)
    low = min(map(attrgetter("low"), side.members))
    high = max(map(attrgetter("high"), side.members))
    x1, x2 = axis.x(low), axis.x(high)
    interval = format_interval(first)
    title = f"{first.surface} → {format_quantity(first.value, first.unit, first.iso)}"
    title += f" [{interval}]" if interval else ""
    count_label = f" ({count:,})" if count > 1 else ""
    earlier = side.revisions[0].earlier.claim if side.revisions else None
    if earlier is not None:
        title += f"\nrevised from {earlier.surface}: {side.revisions[0].words}"
    return Bar(
        y=top + _ROW_HEIGHT / 2,
        x1=x1,
        x2=x2,
        x=axis.x(first.value) if math.isfinite(first.value) else x1,
        open_left=low == -math.inf or (axis.log and low <= 0),
        open_right=high == math.inf,
        side=side.index,
        label=f"{side.label}  {_shorten(first.surface, 22 - len(count_label))}{count_label}",
        title=title if count == 1 else f"{count:,} figures; the first: {title}",
        consensus=side.consensus,
        earlier_x=axis.x(earlier.value) if earlier and math.isfinite(earlier.value) else None,
    )


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- timelines ---


def timeline_charts(sides: Sequence[SideView], scale: str) -> tuple[Chart, ...]:
    """A finding's figures by publication date and by the period they are for, each where two
    or more figures have one; values on the number line's scale."""
    dated = [(side, _side_claims(side)) for side in sides]
    first = next((claims[0] for _, claims in dated if claims), None)
    if first is None or scale == "" or first.unit == "date":
        return ()
    revised = {r.earlier.claim.claim_id: r.later.claim for side in sides for r in side.revisions}
    charts = []
    for by, title, when in (
        ("published", "By publication date", attrgetter("published")),
        ("period", "By period", attrgetter("period")),
    ):
        chart = _chart(by, title, dated, when, scale == "log", revised)
        if chart is not None:
            charts.append(chart)
    return tuple(charts)


def _day(text: str) -> float | None:
    """Days since 1970 of the start of an ISO date, month or year ("2025", "2025-09")."""
    parts = text[:10].split("-")
    try:
        numbers = [int(part) for part in parts] + [1, 1]
        return float((date(numbers[0], numbers[1], numbers[2]) - _EPOCH).days)
    except (ValueError, IndexError):
        return None


def _chart(
    by: str,
    title: str,
    dated: Sequence[tuple[SideView, Sequence[Claim]]],
    when: Any,
    log: bool,
    revised: Mapping[str, Claim],
) -> Chart | None:
    # a finding's figures share few dates and values: each is placed once
    texts = set(chain.from_iterable(map(when, claims) for _, claims in dated))
    day_of = {text: _day(text) for text in texts}
    drawn = []  # (side, [(claim, day), ...]) of the sides with a figure drawn
    for side, claims in dated:
        own = [(claim, day) for claim in claims if (day := day_of[when(claim)]) is not None
               and math.isfinite(claim.value) and (claim.value > 0 or not log)]
        if own:
            drawn.append((side, own))
    days = {day for _, own in drawn for _, day in own}
    if len(days) < 2:  # one day: no time to draw against
        return None
    values = {claim.value for _, own in drawn for claim, _ in own}
    bottom = _CHART_HEIGHT - _CHART_BOTTOM
    x_axis = _Axis(min(days), max(days), False, _CHART_LEFT + 8, _CHART_WIDTH - 8)
    y_axis = _Axis(min(values), max(values), log, bottom - 8, 8)  # larger values higher up
    x_of = {day: round(x_axis.x(day)) for day in days}
    y_of = {value: round(y_axis.x(value)) for value in values}
    position = {claim.claim_id: (x_of[day], y_of[claim.value])
                for _, own in drawn for claim, day in own} if revised else {}
    later = {claim.claim_id for claim in revised.values()}
    series = []
    for side, own in drawn:
        first, last = min(day for _, day in own), max(day for _, day in own)
        span = _date_label(first)
        if first != last:
            span += f" – {_date_label(last)}"
        points = dict.fromkeys((x_of[day], y_of[claim.value]) for claim, day in own)
        series.append(Series(
            side=side.index,
            title=f"{side.label}: {own[0][0].surface}, {len(own):,} figure"
                  f"{'' if len(own) == 1 else 's'}, {span}",
            dots="".join(f"M{_coordinate(x)} {_coordinate(y)}h0" for x, y in points),
            later=tuple(position[claim.claim_id] for claim, _ in own
                        if claim.claim_id in later) if later else (),
        ))
    figures = sum(len(own) for _, own in drawn)
    unit = drawn[0][1][0][0].unit
    return Chart(
        by=by,
        title=title,
        scale="log" if log else "linear",
        width=_CHART_WIDTH,
        height=_CHART_HEIGHT,
        left=_CHART_LEFT,
        bottom=bottom,
        figures=figures,
        series=tuple(series),
        arrows=tuple(
            Arrow(*position[earlier], *position[claim.claim_id])
            for earlier, claim in revised.items()
            if earlier in position and claim.claim_id in position
        ),
        x_ticks=_date_ticks(x_axis, min(days), max(days)),
        y_ticks=tuple(Tick(y_axis.x(value), _tick_label(value, unit))
                      for value in y_axis.tick_values(most=4)),
        missing=sum(len(claims) for _, claims in dated) - figures,
    )


def _date_ticks(axis: _Axis, first: float, last: float) -> tuple[Tick, ...]:
    """Years on a long span, months on a short one, the one day when all are the same."""
    start, end = _EPOCH + timedelta(days=axis.lo), _EPOCH + timedelta(days=axis.hi)
    if first == last:
        return (Tick(axis.x(first), _date_label(first)),)
    if (last - first) >= 2 * 365:
        step = max(1, math.ceil((end.year - start.year + 1) / 4))
        years = range(start.year + 1, end.year + 1, step)
        return tuple(Tick(axis.x(_year_day(year)), str(year)) for year in years)
    months = []
    cursor = date(start.year, start.month, 1)
    while cursor <= end:
        if cursor >= start:
            months.append(cursor)
        cursor = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
    step = max(1, math.ceil(len(months) / 4))
    return tuple(
        Tick(axis.x(float((month - _EPOCH).days)), month.strftime("%Y-%m"))
        for month in months[::step]
    )


def _year_day(year: int) -> float:
    return float((date(year, 1, 1) - _EPOCH).days)


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
    context: _Context,
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
                title_lang=_lang(title),
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
            for claim in _side_claims(side):
                if claim.doc_id in shown:
                    links.setdefault(claim.claim_id, []).append(link)
    return {claim_id: tuple(found) for claim_id, found in links.items()}


def _segments(
    document: Document,
    claims: Sequence[Claim],
    links: Mapping[str, tuple[FindingLink, ...]],
    anchors: _Anchors,
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
            lang=figure_lang if (figure_lang := _lang(claim.surface)) != document.lang else "",
        )
        position = claim.end
    yield _plain(tidy(text[position : document.end]), document.lang)


def _plain(text: str, lang: str) -> Segment:
    own = _lang(text)
    return Segment(text, lang=own if own != lang and text.strip() else "")


def _is_web_url(url: str) -> bool:
    # Only http(s) becomes a link: a "javascript:" URL from an article must stay text.
    return url.lower().startswith(("http://", "https://"))


# --- paths ---


def _display_path(path: str, root: str) -> str:
    """A path relative to the corpus folder: short, and the same on every machine."""
    if not root:
        return path
    try:
        return Path(os.path.relpath(os.path.abspath(path), root)).as_posix()
    except ValueError:
        return path


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
    claims: Sequence[Claim], context: _Context, limit: int, wanted: set[str]
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
        "zh": [number for text, number in strings.items() if _lang(text) == "zh"],
        "labels": labels,
        "rows": rows,
        "total": len(claims),
        "dimensions": sorted({claim.dimension for claim in chosen}),
    }


def _doc_row(claim: Claim, context: _Context) -> list[Any]:
    in_page = claim.doc_id in context.shown
    return [
        claim.title, claim.published[:10], context.outlet(claim), context.file(claim.path),
        context.anchors("doc", claim.doc_id) if in_page else "", _lang(claim.title),
    ]


def _json_number(value: float) -> float | str:
    """JSON has no infinity: open bounds travel as "inf"/"-inf", as in facts.csv."""
    if math.isfinite(value):
        return value
    return "?" if math.isnan(value) else ("inf" if value > 0 else "-inf")
