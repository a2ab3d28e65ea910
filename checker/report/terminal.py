"""A short summary of a run for the terminal, rendered with rich.

rich drops colour and styling by itself when the output is not a terminal, so the same
summary reads well in a pipe or a CI log.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from checker.models import DIMENSIONS, Claim, Document, Problem

if TYPE_CHECKING:
    from checker.pipeline import Result

__all__ = ["print_summary", "summary"]

_TITLE_WIDTH = 48
_MAX_DOCUMENT_ROWS = 40  # beyond this the table stops being a summary; facts.csv has it all


def summary(result: Result, written: Iterable[Path] = ()) -> RenderableType:
    """The whole summary: totals, problems, figures by dimension and by document."""
    parts: list[RenderableType] = [_totals(result)]
    if result.problems:
        parts.append(_problems(result.problems))
    if result.claims:
        parts.append(_by_dimension(result.claims))
    if result.documents:
        parts.append(_by_document(result.documents, result.claims))
    parts.extend(Text.assemble("Wrote ", (str(path), "bold")) for path in written)
    return Group(*_spaced(parts))


def print_summary(result: Result, console: Console, written: Iterable[Path] = ()) -> None:
    console.print(summary(result, written))


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


def _table(title: str) -> Table:
    return Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)


def _problems(problems: Iterable[Problem]) -> Group:
    # A list rather than a table: paths are long, and each line should read as "file: reason".
    lines: list[RenderableType] = [Text("Problems", style="italic")]
    for problem in problems:
        where = f"{problem.path}:{problem.line}" if problem.line else problem.path
        lines.append(Text.assemble("  ", (where, "yellow"), ": ", problem.reason))
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
        title = Text(document.title or Path(document.path).name, no_wrap=True, overflow="ellipsis")
        table.add_row(title, document.published[:10], str(counts[document.doc_id]))
    if len(listed) > _MAX_DOCUMENT_ROWS:
        hidden = listed[_MAX_DOCUMENT_ROWS:]
        figures = sum(counts[document.doc_id] for document in hidden)
        table.add_row(Text(f"… {len(hidden)} more documents", style="italic"), "", str(figures))
    return table
