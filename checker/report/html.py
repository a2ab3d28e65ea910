"""The analysts' report: one self-contained HTML page of findings, documents and facts.

The page has no external resources: CSS, JavaScript and data are inline, so it opens from disk
and offline. Article text is untrusted: the templates autoescape everything, the data for the
script is JSON with `<`, `>` and `&` written as \\u escapes, and the script builds its table
with `textContent`, never `innerHTML`. Output is deterministic: no timestamps, stable order.

    >>> from checker.report.html import write_html
    >>> write_html(checker.run(["seeds/"]), "reports/report.html")
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import math
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path, PurePath
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from checker.claims import coverage
from checker.models import SEVERITIES, Claim, Document
from checker.report.table import dumps

if TYPE_CHECKING:
    from jinja2 import Environment

    from checker.pipeline import Result

__all__ = [
    "MAX_CLAIMS_PER_SIDE",
    "MAX_DOCUMENT_CHARS",
    "MAX_FACTS",
    "format_interval",
    "format_number",
    "format_quantity",
    "format_ratio",
    "number_line",
    "render_html",
    "split_sentence",
    "write_html",
]

# Beyond these the page gets slow to open; facts.csv always has every figure.
MAX_FACTS = 5_000
MAX_DOCUMENT_CHARS = 1_000_000
# A side of a finding in a large corpus can hold thousands of figures; a few examples say what
# it claims, and report.json, findings.csv and facts.csv have the rest.
MAX_CLAIMS_PER_SIDE = 5
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

# The number line, in SVG user units; the SVG scales to the width of its box.
_SVG_WIDTH, _LABEL_WIDTH, _ROW_HEIGHT, _AXIS_HEIGHT, _PAD = 640, 170, 20, 26, 10

# The columns of the facts view and of its CSV download: (key, label, type).
_FACT_COLUMNS = (
    ("surface", "Figure", "text"),
    ("value", "Value", "number"),
    ("low", "Low", "number"),
    ("high", "High", "number"),
    ("unit", "Unit", "text"),
    ("dimension", "Dimension", "text"),
    ("qualifier", "Qualifier", "text"),
    ("entity", "Entity", "text"),
    ("metric", "Metric", "text"),
    ("period", "Period", "text"),
    ("key", "Key", "text"),
    ("title", "Document", "text"),
    ("published", "Date", "text"),
    ("file", "File", "text"),
    ("line", "Line", "number"),
    ("sentence", "Sentence", "text"),
)


# --- view models: what the templates show, computed here so the templates stay dumb ---


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    label: str


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
class ClaimView:
    claim: Claim
    anchor: str  # id of the figure in the documents view, "" when its document is not shown
    doc_anchor: str
    file: str  # path shown, relative to the corpus folder
    before: str  # the sentence around the figure
    figure: str
    after: str
    stated: str
    normalized: str
    interval: str


@dataclass(frozen=True, slots=True)
class SideView:
    label: str
    index: int
    members: tuple[Claim, ...]  # every claim of the side
    claims: tuple[ClaimView, ...]  # the ones shown, at most MAX_CLAIMS_PER_SIDE
    sources: int

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


@dataclass(frozen=True, slots=True)
class FindingLink:
    anchor: str
    code: str
    severity: str
    message: str


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of document text; a figure when `anchor` is set."""

    text: str
    anchor: str = ""
    title: str = ""
    link: str = ""  # the finding the figure takes part in
    severity: str = ""


@dataclass(frozen=True, slots=True)
class DocumentView:
    anchor: str
    title: str
    published: str
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
    max_facts: int = MAX_FACTS,
    max_document_chars: int = MAX_DOCUMENT_CHARS,
    max_claims_per_side: int = MAX_CLAIMS_PER_SIDE,
) -> str:
    """The report page for a run, as a string."""
    from markupsafe import Markup

    env = _environment()
    shown = _documents_within(result.documents, max_document_chars)
    context = _Context(
        claims={claim.claim_id: claim for claim in result.claims},
        documents={document.doc_id: document for document in result.documents},
        shown=frozenset(document.doc_id for document in shown),
        root=_common_folder(document.path for document in result.documents),
        anchors=_Anchors(),
        max_claims=max_claims_per_side,
    )
    findings = _finding_views(result.findings, context)
    documents = _document_views(shown, result.claims, findings, context)
    facts = _facts_data(result.claims, context, max_facts)
    css, script = _resource(env, "report.css"), _resource(env, "report.js")
    template = env.get_template("report.html.j2")
    return template.render(
        summary=_summary(result, findings),
        findings=findings,
        codes=sorted({finding.code for finding in findings}),
        entities=sorted({entity for finding in findings for entity in finding.entities}),
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
    max_facts: int = MAX_FACTS,
    max_document_chars: int = MAX_DOCUMENT_CHARS,
    max_claims_per_side: int = MAX_CLAIMS_PER_SIDE,
) -> Path:
    """Write the report page to `path` atomically; returns the path."""
    from checker.report.files import write_atomic

    page = render_html(
        result,
        max_facts=max_facts,
        max_document_chars=max_document_chars,
        max_claims_per_side=max_claims_per_side,
    )
    return write_atomic(path, page.encode("utf-8"))


# --- templates ---


def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(
        loader=PackageLoader("checker.report", "templates"),
        autoescape=True,  # every template, whatever its suffix: article text is untrusted
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


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
    from checker import __version__

    return __version__


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
    files: dict[str, str] = field(default_factory=dict)  # path -> as shown, computed once

    def file(self, path: str) -> str:
        """The path as the page shows it: relative to the corpus folder."""
        shown = self.files.get(path)
        if shown is None:
            shown = self.files[path] = _display_path(path, self.root)
        return shown


def _finding_views(findings: Iterable[Any], context: _Context) -> tuple[FindingView, ...]:
    views = [_finding_view(finding, context) for finding in findings]
    # The page opens sorted by severity; the given order breaks ties.
    return tuple(sorted(views, key=lambda view: view.rank))


def _finding_view(finding: Any, context: _Context) -> FindingView:
    claims = context.claims
    members = [claims[claim_id] for claim_id in finding.claim_ids if claim_id in claims]
    sides = _sides(finding, context)
    ratio = getattr(finding, "ratio", None)
    severity = str(finding.severity)
    return FindingView(
        anchor=context.anchors("finding", str(finding.finding_id)),
        finding_id=str(finding.finding_id),
        code=str(finding.code),
        severity=severity,
        rank=_SEVERITY_RANK.get(severity, len(SEVERITIES)),
        kind=str(getattr(finding, "kind", "") or ""),
        key=str(getattr(finding, "key", "") or ""),
        quantity=_quantity(finding, members),
        message=str(getattr(finding, "message", "") or ""),
        explanation=str(getattr(finding, "explanation", "") or "").strip(),
        reason=str(getattr(finding, "reason", "") or ""),
        ratio=format_ratio(ratio),
        gap=ratio if ratio is not None and math.isfinite(ratio) else _gap(members),
        entities=tuple(sorted({claim.entity for claim in members if claim.entity})),
        sides=sides,
        numberline=number_line(sides),
    )


def _sides(finding: Any, context: _Context) -> tuple[SideView, ...]:
    groups = [tuple(side) for side in getattr(finding, "sides", ()) or ()]
    if not groups:  # no grouping given: each claim stands on its own
        groups = [(claim_id,) for claim_id in finding.claim_ids]
    views: list[SideView] = []
    for group in groups:
        members = tuple(
            context.claims[claim_id] for claim_id in group if claim_id in context.claims
        )
        if members:
            shown = _examples(members, context.max_claims)
            views.append(
                SideView(
                    label=_side_label(len(views)),
                    index=len(views),
                    members=members,
                    claims=tuple(_claim_view(claim, context) for claim in shown),
                    sources=len({claim.doc_id for claim in members}),
                )
            )
    return tuple(views)


def _examples(members: Sequence[Claim], limit: int) -> list[Claim]:
    """At most `limit` of a side's claims, in their order, other sentences first: a side made
    of many copies of one article shows how else the figure was put."""
    if len(members) <= limit:
        return list(members)
    chosen: list[int] = []
    sentences: set[str] = set()
    for index, claim in enumerate(members):
        if len(chosen) == limit:
            break
        if claim.sentence not in sentences:
            sentences.add(claim.sentence)
            chosen.append(index)
    taken = set(chosen)
    repeats = (index for index in range(len(members)) if index not in taken)
    chosen.extend(itertools.islice(repeats, limit - len(chosen)))
    return [members[index] for index in sorted(chosen)]


def _side_label(index: int) -> str:
    return _SIDE_LETTERS[index] if index < len(_SIDE_LETTERS) else str(index + 1)


def _claim_view(claim: Claim, context: _Context) -> ClaimView:
    before, figure, after = split_sentence(claim, context.documents.get(claim.doc_id))
    normalized = format_quantity(claim.value, claim.unit, claim.iso)
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
        normalized=normalized,
        interval=format_interval(claim),
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


def _quantity(finding: Any, members: Sequence[Claim]) -> str:
    """entity · metric · period, from the finding when it says, else from its claims."""
    parts = []
    for name in ("entity", "metric", "period"):
        value = getattr(finding, name, None) or _most_common(getattr(c, name) for c in members)
        if name == "metric":
            scope = getattr(finding, "scope", None) or _most_common(c.scope for c in members)
            value = f"{value} ({scope})" if value and scope else value
        if value:
            parts.append(_readable(str(value)))
    return " · ".join(parts) or _readable(str(getattr(finding, "key", "") or "")) or "—"


def _readable(name: str) -> str:
    return name.replace("_", " ")


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


# --- the number line ---


def number_line(sides: Sequence[SideView]) -> NumberLine | None:
    """The intervals of a finding's sides on one axis, one row per side: the bar spans the
    intervals of all its figures, the dot is the value of its first.

    None when the claims do not share a unit (nothing to draw them against) or have no finite
    bound. The axis is logarithmic when the values span LOG_SCALE_SPAN or more.
    """
    units = {claim.unit for side in sides for claim in side.members}
    if len(units) != 1:
        return None
    unit = units.pop()
    points = [
        bound
        for side in sides
        for claim in side.members
        for bound in (claim.low, claim.value, claim.high)
        if math.isfinite(bound)
    ]
    if not points:
        return None
    positive = [point for point in points if point > 0]
    use_log = (
        unit != "date"
        and bool(positive)
        and min(points) >= 0
        and max(positive) / min(positive) >= LOG_SCALE_SPAN
    )
    if use_log:
        points = positive
    axis = _Axis(min(points), max(points), use_log)
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
        ticks=axis.ticks(unit),
    )


class _Axis:
    """Maps values to x in [_LABEL_WIDTH + pad, _SVG_WIDTH - pad], linear or log10."""

    def __init__(self, low: float, high: float, log: bool):
        self.log = log
        lo, hi = (math.log10(low), math.log10(high)) if log else (low, high)
        if hi == lo:  # one point: give it some room
            spread = 0.5 if log else (abs(lo) * 0.1 or 1.0)
            lo, hi = lo - spread, hi + spread
        margin = (hi - lo) * 0.06
        self.lo, self.hi = lo - margin, hi + margin
        self.left, self.right = _LABEL_WIDTH + _PAD, _SVG_WIDTH - _PAD

    def x(self, value: float) -> float:
        if value == math.inf:
            return self.right
        if value == -math.inf or (self.log and value <= 0):
            return self.left
        position = math.log10(value) if self.log else value
        fraction = (position - self.lo) / (self.hi - self.lo)
        return round(self.left + min(max(fraction, 0.0), 1.0) * (self.right - self.left), 1)

    def ticks(self, unit: str) -> tuple[Tick, ...]:
        if self.log:
            first, last = math.ceil(self.lo), math.floor(self.hi)
            step = max(1, math.ceil((last - first + 1) / 6))
            values = [10.0**power for power in range(first, last + 1, step)]
        else:
            values = _nice_ticks(self.lo, self.hi)
        return tuple(Tick(self.x(value), _tick_label(value, unit)) for value in values)


def _nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(power * factor for factor in (1, 2, 2.5, 5, 10) if power * factor >= raw)
    first = math.ceil(low / step) * step
    return [
        round(first + index * step, 12)
        for index in range(count + 2)
        if first + index * step <= high
    ]


def _tick_label(value: float, unit: str) -> str:
    if unit == "date":
        return _date_label(value)
    return format_quantity(value, unit)


def _bar(axis: _Axis, side: SideView, top: float) -> Bar:
    first, count = side.members[0], len(side.members)
    low = min(claim.low for claim in side.members)
    high = max(claim.high for claim in side.members)
    x1, x2 = axis.x(low), axis.x(high)
    title = f"{first.surface} → {_value_title(first)}"
    count_label = f" ({count:,})" if count > 1 else ""
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
    )


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
        views.append(
            DocumentView(
                anchor=anchors("doc", document.doc_id),
                title=document.title or PurePath(document.path).name,
                published=document.published[:10],
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
        link = FindingLink(finding.anchor, finding.code, finding.severity, finding.message)
        for side in finding.sides:
            for claim in side.members:
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
        yield Segment(text[position : claim.start])
        found = links.get(claim.claim_id, ())
        title = _value_title(claim)
        if found:
            title += "\n" + "\n".join(
                f"{link.code} {link.severity}: {link.message}" for link in found
            )
        yield Segment(
            text[claim.start : claim.end],
            anchor=anchors("claim", claim.claim_id),
            title=title,
            link=found[0].anchor if found else "",
            severity=found[0].severity if found else "",
        )
        position = claim.end
    yield Segment(text[position : document.end])


def _is_web_url(url: str) -> bool:
    # Only http(s) becomes a link: a "javascript:" URL from an article must stay text.
    return url.lower().startswith(("http://", "https://"))


# --- paths ---


def _common_folder(paths: Iterable[str]) -> str:
    folders = {os.path.dirname(os.path.abspath(path)) for path in paths}
    if not folders:
        return ""
    try:
        return os.path.commonpath(sorted(folders))
    except ValueError:  # different drives
        return ""


def _display_path(path: str, root: str) -> str:
    """A path relative to the corpus folder: short, and the same on every machine."""
    if not root:
        return path
    try:
        return Path(os.path.relpath(os.path.abspath(path), root)).as_posix()
    except ValueError:
        return path


# --- summary and facts ---


def _summary(result: Result, findings: Sequence[FindingView]) -> Summary:
    severities = Counter(finding.severity for finding in findings)
    codes: dict[str, CodeCount] = {}
    for finding in findings:
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


def _facts_data(claims: Sequence[Claim], context: _Context, limit: int) -> dict[str, Any]:
    """The facts view's data: columns and rows as lists (compact), at most `limit` rows."""
    rows = [_fact_row(claim, context) for claim in claims[:limit]]
    dimensions = sorted({claim.dimension for claim in claims[:limit]})
    return {
        "columns": [
            {"key": key, "label": label, "type": kind} for key, label, kind in _FACT_COLUMNS
        ],
        "rows": rows,
        "total": len(claims),
        "dimensions": dimensions,
    }


def _fact_row(claim: Claim, context: _Context) -> list[Any]:
    values = {
        "title": claim.title,
        "published": claim.published[:10],
        "file": context.file(claim.path),
        "line": claim.line,
        "surface": claim.surface,
        "value": _json_number(claim.value),
        "low": _json_number(claim.low),
        "high": _json_number(claim.high),
        "unit": claim.unit,
        "dimension": claim.dimension,
        "qualifier": claim.qualifier,
        "entity": claim.entity,
        "metric": claim.metric,
        "period": claim.period,
        "key": str(claim.key) if claim.key else "",
        "sentence": claim.sentence,
    }
    # The last item is the figure's anchor in the documents view, not a column.
    anchor = context.anchors("claim", claim.claim_id) if claim.doc_id in context.shown else ""
    return [values[key] for key, _, _ in _FACT_COLUMNS] + [anchor]


def _json_number(value: float) -> float | str:
    """JSON has no infinity: open bounds travel as "inf"/"-inf", as in facts.csv."""
    if math.isfinite(value):
        return value
    return "?" if math.isnan(value) else ("inf" if value > 0 else "-inf")
