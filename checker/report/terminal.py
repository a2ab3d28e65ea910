"""A run for the terminal, rendered with rich: a summary of the corpus, then the findings.

Each finding shows the quantity (entity · metric · scope · period), the rule that classified it,
each side's independent sources and their outlets, its figures as stated and normalized with
where they are (title, date, file:line), the ratio or the points between the sides, and why the
figures were compared.

rich drops colour and styling by itself when the output is not a terminal, so the same
report reads well in a pipe or a CI log.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from checker.claims import coverage
from checker.errors import printable
from checker.group import sources_phrase
from checker.models import DIMENSIONS, SEVERITIES, Claim, Finding, Problem

if TYPE_CHECKING:
    from checker.pipeline import Result
    from checker.terms import Term

__all__ = [
    "ShownClaim",
    "ShownFinding",
    "ShownSide",
    "Summary",
    "finding_view",
    "print_summary",
    "summary",
    "terms_view",
]

_TITLE_WIDTH = 48
_MAX_DOCUMENT_ROWS = 40  # beyond this the table stops being a summary; facts.csv has it all
# A summary, not the report: the first findings (errors first) and a side's first figures;
# findings.csv and report.html have them all.
_MAX_FINDINGS = 50
_MAX_CLAIMS_PER_SIDE = 5
_SEVERITY_STYLES = {"error": "bold red", "warning": "bold yellow", "info": "bold cyan"}
_UNIT_SIGNS = {"percent": "%", "x": "×"}


@dataclass(frozen=True, slots=True)
class ShownClaim:
    """A figure as a finding shows it: as stated, normalized, and where it is."""

    surface: str
    normalized: str = ""
    path: str = ""  # "" for a claim the run does not hold (its id is the surface)
    line: int = 0
    source: str = ""


@dataclass(frozen=True, slots=True)
class ShownSide:
    label: str
    claims: tuple[ShownClaim, ...]
    more: int  # figures of the side not shown


@dataclass(frozen=True, slots=True)
class ShownFinding:
    severity: str
    code: str
    name: str
    quantity: str
    gap: str
    message: str
    sides: tuple[ShownSide, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class Summary:
    """What the terminal shows of a run, in plain values: made from a run's result, or read back
    from the report folder's stamp when a run over the same input keeps its report."""

    documents: int
    figures: int
    problems: tuple[Problem, ...]
    compared: bool  # whether the run looked for findings: coverage and findings are shown
    coverage: str
    by_dimension: tuple[tuple[str, int], ...]
    by_document: tuple[tuple[str, str, int], ...]  # title, date, figures
    more_documents: tuple[int, int]  # documents not listed, and their figures
    severities: tuple[tuple[str, int], ...]
    findings: tuple[ShownFinding, ...]
    more_findings: int

    @classmethod
    def of(cls, result: Result, *, findings: bool = False) -> Summary:
        claims = {claim.claim_id: claim for claim in result.claims} if findings else {}
        counts = Counter(claim.doc_id for claim in result.claims)
        listed = list(result.documents)
        hidden = listed[_MAX_DOCUMENT_ROWS:]
        by_dimension = Counter(claim.dimension for claim in result.claims)
        severities = Counter(finding.severity for finding in result.findings)
        return cls(
            documents=len(result.documents),
            figures=len(result.claims),
            problems=tuple(result.problems),
            compared=findings,
            coverage=str(coverage(result.claims)) if findings else "",
            by_dimension=tuple((name, by_dimension[name]) for name in (
                [name for name in DIMENSIONS if name in by_dimension]
                + sorted(name for name in by_dimension if name not in DIMENSIONS))),
            by_document=tuple(
                (printable(document.title or Path(document.path).name),
                 document.published[:10], counts[document.doc_id])
                for document in listed[:_MAX_DOCUMENT_ROWS]),
            more_documents=(len(hidden), sum(counts[document.doc_id] for document in hidden)),
            severities=tuple((level, severities[level]) for level in SEVERITIES
                             if severities[level]) if findings else (),
            findings=tuple(_shown(finding, claims)
                           for finding in result.findings[:_MAX_FINDINGS]) if findings else (),
            more_findings=max(0, len(result.findings) - _MAX_FINDINGS) if findings else 0,
        )

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["problems"] = [[p.path, p.reason, p.line, list(p.details)] for p in self.problems]
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Summary:
        """A summary as `to_json` wrote it; a KeyError, TypeError or ValueError when it is not."""
        def side(item: Mapping[str, Any]) -> ShownSide:
            return ShownSide(item["label"], tuple(ShownClaim(**claim) for claim in item["claims"]),
                             int(item["more"]))

        return cls(
            documents=int(data["documents"]),
            figures=int(data["figures"]),
            problems=tuple(Problem(path, reason, line, tuple(details))
                           for path, reason, line, details in data["problems"]),
            compared=bool(data["compared"]),
            coverage=str(data["coverage"]),
            by_dimension=tuple((str(name), int(n)) for name, n in data["by_dimension"]),
            by_document=tuple((str(title), str(day), int(n))
                              for title, day, n in data["by_document"]),
            more_documents=(int(data["more_documents"][0]), int(data["more_documents"][1])),
            severities=tuple((str(level), int(n)) for level, n in data["severities"]),
            findings=tuple(
                ShownFinding(**{**item, "sides": tuple(side(s) for s in item["sides"])})
                for item in data["findings"]),
            more_findings=int(data["more_findings"]),
        )


def summary(shown: Summary, written: Iterable[Path] = (), *, kept: bool = False) -> RenderableType:
    """The whole report: totals, coverage, problems, figures by dimension and by document,
    then (when the run compared) the first findings, errors first; the report files, as written
    or (`kept`) as an earlier run over the same input left them."""
    parts: list[RenderableType] = [_totals(shown)]
    if shown.compared:
        parts.append(Text.assemble(("Coverage: ", "bold"), shown.coverage))
    if shown.problems:
        parts.append(_problems(shown.problems))
    if shown.by_dimension:
        parts.append(_by_dimension(shown))
    if shown.by_document:
        parts.append(_by_document(shown))
    if shown.compared:
        parts.append(_findings(shown))
    verb = "Kept" if kept else "Wrote"
    parts.extend(Text.assemble(f"{verb} ", (str(path), "bold")) for path in written)
    return Group(*_spaced(parts))


def print_summary(
    shown: Summary, console: Console, written: Iterable[Path] = (), *, kept: bool = False
) -> None:
    console.print(summary(shown, written, kept=kept))


def _spaced(parts: list[RenderableType]) -> list[RenderableType]:
    spaced: list[RenderableType] = []
    for part in parts:
        if spaced and isinstance(part, Table | Group):
            spaced.append(Text(""))
        spaced.append(part)
    return spaced


def _totals(shown: Summary) -> Text:
    counts = [
        (shown.documents, "document", "bold"),
        (shown.figures, "figure", "bold"),
        (len(shown.problems), "problem", "bold yellow" if shown.problems else "bold"),
    ]
    text = Text()
    for index, (count, noun, style) in enumerate(counts):
        if index:
            text.append(", ")
        text.append(str(count), style=style)
        text.append(f" {noun}{'' if count == 1 else 's'}")
    return text


def terms_view(terms: Iterable[Term]) -> Group:
    """`numcheck terms`: a table of entities, then one of measures."""
    parts: list[RenderableType] = []
    for kind, title in (("entity", "Entities"), ("measure", "Measures")):
        table = _table(title)
        table.add_column(kind)
        table.add_column("id", style="dim")
        table.add_column("lexicon")
        for column in ("figures", "comparable", "documents"):
            table.add_column(column, justify="right")
        for term in terms:
            if term.kind == kind:
                table.add_row(term.label, term.id, "yes" if term.in_lexicon else "-",
                              str(term.figures), str(term.comparable), str(term.documents))
        parts.append(table if table.row_count else Text(f"{title}: none", style="italic"))
    return Group(*_spaced(parts))


def _table(title: str) -> Table:
    return Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)


def _problems(problems: Iterable[Problem]) -> Group:
    # A list rather than a table: paths are long, and each line should read as "file: reason".
    lines: list[RenderableType] = [Text("Problems", style="italic")]
    for problem in problems:
        where = f"{problem.path}:{problem.line}" if problem.line else problem.path
        lines.append(Text.assemble("  ", (printable(where), "yellow"), ": ",
                                   printable(problem.reason)))
    return Group(*lines)


def _by_dimension(shown: Summary) -> Table:
    table = _table("Figures by dimension")
    table.add_column("dimension")
    table.add_column("figures", justify="right")
    for name, count in shown.by_dimension:
        table.add_row(name, str(count))
    return table


def _by_document(shown: Summary) -> Table:
    table = _table("Figures by document")
    # Narrow terminals shorten the title, never the date or the count.
    table.add_column("title", max_width=_TITLE_WIDTH)
    table.add_column("date", no_wrap=True, min_width=len("YYYY-MM-DD"))
    table.add_column("figures", justify="right", no_wrap=True, min_width=len("figures"))
    for title, day, count in shown.by_document:
        table.add_row(Text(title, no_wrap=True, overflow="ellipsis"), day, str(count))
    hidden, figures = shown.more_documents
    if hidden:
        table.add_row(Text(f"… {hidden} more documents", style="italic"), "", str(figures))
    return table


# ---------------------------------------------------------------------------------------------
# Findings


def _findings(shown: Summary) -> Group:
    heading = Text("Findings: ", style="bold")
    if not shown.severities:
        heading.append("none — no two sources disagree about a quantity both name")
        return Group(heading)
    heading.append(
        ", ".join(f"{count} {level}{'s' if count != 1 and level != 'info' else ''}"
                  for level, count in shown.severities)
    )
    parts: list[RenderableType] = [heading]
    for finding in shown.findings:
        parts.append(Text(""))
        parts.append(_finding_lines(finding))
    if shown.more_findings:
        hidden = shown.more_findings
        parts.append(Text(""))
        parts.append(Text(f"… and {hidden:,} more finding{'s' if hidden != 1 else ''}: "
                          "findings.csv and report.html have them all", style="dim"))
    return Group(*parts)


def finding_view(finding: Finding, claims: Mapping[str, Claim]) -> RenderableType:
    """One finding: headline, message, each side's figures as stated and normalized with their
    sources, and why the figures were compared. Lines, not a table, so that a narrow terminal
    shortens titles rather than dropping columns."""
    return _finding_lines(_shown(finding, claims))


def _shown(finding: Finding, claims: Mapping[str, Claim]) -> ShownFinding:
    sides = []
    for index, side in enumerate(finding.sides):
        shown = tuple(
            ShownClaim(claim.surface, _normalized(claim), claim.path, claim.line, _source(claim))
            if (claim := claims.get(claim_id)) is not None else ShownClaim(claim_id)
            for claim_id in side[:_MAX_CLAIMS_PER_SIDE]
        )
        sides.append(ShownSide(_side_label(finding, index), shown,
                               max(0, len(side) - _MAX_CLAIMS_PER_SIDE)))
    return ShownFinding(finding.severity, finding.code, finding.name, finding.quantity or "",
                        _gap(finding), finding.message, tuple(sides), finding.reason)


def _finding_lines(finding: ShownFinding) -> RenderableType:
    headline = Text.assemble(
        (f"{finding.severity.upper():<7}", _SEVERITY_STYLES.get(finding.severity, "bold")),
        " ",
        (finding.code, "bold"),
        " ",
        (finding.name, "italic"),
        "  ",
        (finding.quantity, "bold"),
    )
    if finding.gap:
        headline.append(f"  {finding.gap}", style="dim")
    lines: list[RenderableType] = [headline, Text("  " + finding.message)]
    for side in finding.sides:
        lines.append(Text("  " + side.label, style="bold"))
        for claim in side.claims:
            if not claim.path:
                lines.append(Text(f"    {claim.surface}"))
                continue
            stated = Text.assemble("    ", (claim.surface, "bold"), "  →  ", claim.normalized)
            lines.append(stated)
            lines.append(
                Text(f"      {_where(claim.path, claim.line)} · {claim.source}", style="dim",
                     no_wrap=True, overflow="ellipsis")
            )
        if side.more:
            lines.append(Text(f"    … and {side.more:,} more on this side", style="dim"))
    lines.append(Text.assemble(("  why compared: ", "italic"), finding.reason))
    return Group(*lines)


def _gap(finding: Finding) -> str:
    if finding.points is not None:
        unit = "places" if finding.key.endswith("|rank") else "points"
        return f"{_plain(finding.points)} {unit} apart"
    if finding.ratio is not None:
        return f"ratio ×{finding.ratio:.3g}"
    return ""


def _side_label(finding: Finding, index: int) -> str:
    letter = chr(ord("A") + index) if index < 26 else str(index + 1)
    sources = finding.sources[index] if index < len(finding.sources) else 0
    outlets = finding.outlets[index] if index < len(finding.outlets) else ()
    consensus = " — consensus" if finding.consensus == index else ""
    return f"side {letter}: {sources_phrase(sources, outlets)}{consensus}"


def _where(path_text: str, line: int) -> str:
    """file:line, relative to the working directory when the file is inside it."""
    path = Path(path_text)
    try:
        shown = path.resolve().relative_to(Path.cwd().resolve()) if path.is_absolute() else path
    except ValueError:
        shown = path
    return printable(f"{shown}:{line}")


def _source(claim: Claim) -> str:
    title = printable(claim.title or Path(claim.path).name)
    said = dict(claim.evidence).get("said by", "")
    shown = f"{title} ({claim.published[:10]})" if claim.published else title
    return f"{shown} · said by {printable(said)}" if said else shown


def _normalized(claim: Claim) -> str:
    """The claim in its canonical unit, with the interval it stands for when that says more."""
    if claim.dimension == "rank":
        return f"rank {_plain(claim.value)}"
    unit = _UNIT_SIGNS.get(claim.unit, f" {claim.unit}")
    sign = "-" if claim.change == "decrease" else ("+" if claim.change == "increase" else "")
    if claim.qualifier == "lower":
        return f"≥ {sign}{_plain(claim.value)}{unit}"
    if claim.qualifier == "upper":
        return f"≤ {sign}{_plain(claim.value)}{unit}"
    text = f"{sign}{_plain(claim.value)}{unit}"
    if math.isfinite(claim.low) and math.isfinite(claim.high) and claim.low != claim.high:
        text += f" [{_plain(claim.low)}–{_plain(claim.high)}]"
    return text


def _plain(value: float) -> str:
    """Short and exact enough: 2.85e10, 380,000, 99.999, 0.5."""
    if not math.isfinite(value):
        return "∞" if value > 0 else "-∞"
    if value and (abs(value) >= 1e7 or abs(value) < 1e-3):
        mantissa, exponent = f"{value:.6g}".split("e")
        return f"{mantissa}e{int(exponent)}"
    if value == round(value):
        return f"{round(value):,}"
    return f"{value:,.6g}"

