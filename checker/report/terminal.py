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
from pathlib import Path
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from checker.claims import coverage
from checker.errors import printable
from checker.group import sources_phrase
from checker.models import DIMENSIONS, SEVERITIES, Claim, Document, Finding, Problem

if TYPE_CHECKING:
    from checker.pipeline import Result
    from checker.terms import Term

__all__ = ["finding_view", "print_summary", "summary", "terms_view"]

_TITLE_WIDTH = 48
_MAX_DOCUMENT_ROWS = 40  # beyond this the table stops being a summary; facts.csv has it all
# A summary, not the report: the first findings (errors first) and a side's first figures;
# findings.csv and report.html have them all.
_MAX_FINDINGS = 50
_MAX_CLAIMS_PER_SIDE = 5
_SEVERITY_STYLES = {"error": "bold red", "warning": "bold yellow", "info": "bold cyan"}
_UNIT_SIGNS = {"percent": "%", "x": "×"}


def summary(
    result: Result, written: Iterable[Path] = (), *, findings: bool = False
) -> RenderableType:
    """The whole report: totals, coverage, problems, figures by dimension and by document,
    then (with `findings`) the first findings, errors first."""
    parts: list[RenderableType] = [_totals(result)]
    if findings:
        parts.append(Text.assemble(("Coverage: ", "bold"), str(coverage(result.claims))))
    if result.problems:
        parts.append(_problems(result.problems))
    if result.claims:
        parts.append(_by_dimension(result.claims))
    if result.documents:
        parts.append(_by_document(result.documents, result.claims))
    if findings:
        parts.append(_findings(result))
    parts.extend(Text.assemble("Wrote ", (str(path), "bold")) for path in written)
    return Group(*_spaced(parts))


def print_summary(
    result: Result, console: Console, written: Iterable[Path] = (), *, findings: bool = False
) -> None:
    console.print(summary(result, written, findings=findings))


def _spaced(parts: list[RenderableType]) -> list[RenderableType]:
    spaced: list[RenderableType] = []
    for part in parts:
        if spaced and isinstance(part, Table | Group):
            spaced.append(Text(""))
        spaced.append(part)
    return spaced


def _totals(result: Result) -> Text:
    counts = [
        (len(result.documents), "document", "bold"),
        (len(result.claims), "figure", "bold"),
        (len(result.problems), "problem", "bold yellow" if result.problems else "bold"),
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


def _by_dimension(claims: Iterable[Claim]) -> Table:
    counts = Counter(claim.dimension for claim in claims)
    known = [name for name in DIMENSIONS if name in counts]
    others = sorted(name for name in counts if name not in DIMENSIONS)
    table = _table("Figures by dimension")
    table.add_column("dimension")
    table.add_column("figures", justify="right")
    for name in known + others:
        table.add_row(name, str(counts[name]))
    return table


def _by_document(documents: Iterable[Document], claims: Iterable[Claim]) -> Table:
    counts = Counter(claim.doc_id for claim in claims)
    table = _table("Figures by document")
    # Narrow terminals shorten the title, never the date or the count.
    table.add_column("title", max_width=_TITLE_WIDTH)
    table.add_column("date", no_wrap=True, min_width=len("YYYY-MM-DD"))
    table.add_column("figures", justify="right", no_wrap=True, min_width=len("figures"))
    listed = list(documents)
    for document in listed[:_MAX_DOCUMENT_ROWS]:
        title = Text(printable(document.title or Path(document.path).name), no_wrap=True,
                     overflow="ellipsis")
        table.add_row(title, document.published[:10], str(counts[document.doc_id]))
    if len(listed) > _MAX_DOCUMENT_ROWS:
        hidden = listed[_MAX_DOCUMENT_ROWS:]
        figures = sum(counts[document.doc_id] for document in hidden)
        table.add_row(Text(f"… {len(hidden)} more documents", style="italic"), "", str(figures))
    return table


# ---------------------------------------------------------------------------------------------
# Findings


def _findings(result: Result) -> Group:
    counts = Counter(finding.severity for finding in result.findings)
    heading = Text("Findings: ", style="bold")
    if not result.findings:
        heading.append("none — no two sources disagree about a quantity both name")
        return Group(heading)
    heading.append(
        ", ".join(
            f"{counts[level]} {level}{'s' if counts[level] != 1 and level != 'info' else ''}"
            for level in SEVERITIES
            if counts[level]
        )
    )
    claims = {claim.claim_id: claim for claim in result.claims}
    parts: list[RenderableType] = [heading]
    for finding in result.findings[:_MAX_FINDINGS]:
        parts.append(Text(""))
        parts.append(finding_view(finding, claims))
    hidden = len(result.findings) - _MAX_FINDINGS
    if hidden > 0:
        parts.append(Text(""))
        parts.append(Text(f"… and {hidden:,} more finding{'s' if hidden != 1 else ''}: "
                          "findings.csv and report.html have them all", style="dim"))
    return Group(*parts)


def finding_view(finding: Finding, claims: Mapping[str, Claim]) -> RenderableType:
    """One finding: headline, message, each side's figures as stated and normalized with their
    sources, and why the figures were compared. Lines, not a table, so that a narrow terminal
    shortens titles rather than dropping columns."""
    headline = Text.assemble(
        (f"{finding.severity.upper():<7}", _SEVERITY_STYLES.get(finding.severity, "bold")),
        " ",
        (finding.code, "bold"),
        " ",
        (finding.name, "italic"),
        "  ",
        (finding.quantity or "", "bold"),
    )
    gap = _gap(finding)
    if gap:
        headline.append(f"  {gap}", style="dim")
    lines: list[RenderableType] = [headline, Text("  " + finding.message)]
    for index, side in enumerate(finding.sides):
        lines.append(Text("  " + _side_label(finding, index), style="bold"))
        for claim_id in side[:_MAX_CLAIMS_PER_SIDE]:
            claim = claims.get(claim_id)
            if claim is None:
                lines.append(Text(f"    {claim_id}"))
                continue
            stated = Text.assemble("    ", (claim.surface, "bold"), "  →  ", _normalized(claim))
            lines.append(stated)
            lines.append(
                Text(f"      {_where(claim)} · {_source(claim)}", style="dim", no_wrap=True,
                     overflow="ellipsis")
            )
        if len(side) > _MAX_CLAIMS_PER_SIDE:
            lines.append(Text(f"    … and {len(side) - _MAX_CLAIMS_PER_SIDE:,} more on this side",
                              style="dim"))
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


def _where(claim: Claim) -> str:
    """file:line, relative to the working directory when the file is inside it."""
    path = Path(claim.path)
    try:
        shown = path.resolve().relative_to(Path.cwd().resolve()) if path.is_absolute() else path
    except ValueError:
        shown = path
    return printable(f"{shown}:{claim.line}")


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

