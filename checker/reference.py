"""A reference table of trusted figures, as claims a draft can be checked against.

The table is CSV with a header row naming at least these columns (others are ignored):

    entity   who the figure is about: an entity id, label or alias of rules/lexicon.toml
    metric   which quantity: a metric id, label or trigger word, or "~phrase" for a phrase metric
    scope    narrowing words, "+"-joined: scope ids or words, commodities, "with:<entity>",
             "own", "each"; empty for none
    period   2024, 2025-09, 2026-Q4, 2023-08-01, or empty when the figure holds for no period
    value    the figure as written, with its qualifier if any: 540000, "over 90", "8 to 10"
    unit     its unit as written: tonnes, %, USD, CNY/kg, years; empty for a bare count
    source   who states it (a finding cites it)
    url      where it is stated (may be empty)

Each row becomes a claim read with the extractor ("540000 tonnes" -> 5.4e8 kg, 535,000-545,000
t: the figure's precision is its rounding, as in an article) and keyed like the claims of the
corpus, so it is grouped and compared with them. A row that cannot be read is a ConfigError
naming the file, the line and the column.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath
from types import MappingProxyType

from checker.claims import PHRASE_PREFIX, Lexicon
from checker.errors import ConfigError
from checker.extraction import Extractor
from checker.models import Claim, QuantityKey
from checker.pipeline import line_starts

__all__ = ["REFERENCE_COLUMNS", "ORIGIN", "ReferenceTable", "read_reference"]

REFERENCE_COLUMNS = ("entity", "metric", "scope", "period", "value", "unit", "source", "url")
ORIGIN = "reference"  # how claims from the table are marked in review output
_PERIOD = re.compile(r"^\d{4}(?:-Q[1-4]|-\d{2}(?:-\d{2})?)?$")
# Units written before the figure.
_PREFIX_UNITS = frozenset({"$", "US$", "A$", "C$", "HK$", "€", "£", "¥", "￥"})
_SPECIAL_SCOPES = frozenset({"own", "each"})


@dataclass(frozen=True, slots=True)
class ReferenceTable:
    """The claims of a reference table and the url of each (by claim id)."""

    path: str
    claims: tuple[Claim, ...]
    urls: Mapping[str, str]


def read_reference(
    path: str | os.PathLike[str], lexicon: Lexicon, extractor: Extractor | None = None
) -> ReferenceTable:
    """Read a reference CSV; ConfigError (file, line, column) for anything it cannot use."""
    shown = PurePath(os.fspath(path)).as_posix()
    try:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8-sig")
    except OSError as error:
        raise ConfigError(f"cannot read the reference table: {error.strerror or error}",
                          shown) from error
    except UnicodeDecodeError as error:
        raise ConfigError("the reference table is not UTF-8 text", shown) from error
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise ConfigError(f"empty reference table; the header needs {', '.join(REFERENCE_COLUMNS)}",
                          shown, 1)
    names = [name.strip().lower() for name in header]
    missing = [name for name in REFERENCE_COLUMNS if name not in names]
    if missing:
        noun = "column" if len(missing) == 1 else "columns"
        raise ConfigError(f"missing {noun} {', '.join(missing)} in the header (it needs "
                          f"{', '.join(REFERENCE_COLUMNS)})", shown, 1)
    index = {name: names.index(name) for name in REFERENCE_COLUMNS}
    reading = _Rows(shown, text, lexicon, extractor or Extractor())
    claims: list[Claim] = []
    urls: dict[str, str] = {}
    line = reader.line_num + 1
    for row in reader:
        if any(cell.strip() for cell in row):
            cells = {name: (row[i].strip() if i < len(row) else "") for name, i in index.items()}
            claim = reading.claim(cells, line)
            claims.append(claim)
            urls[claim.claim_id] = cells["url"]
        line = reader.line_num + 1
    return ReferenceTable(shown, tuple(claims), MappingProxyType(urls))


@dataclass(frozen=True)
class _Rows:
    path: str
    text: str
    lexicon: Lexicon
    extractor: Extractor

    def fail(self, line: int, column: str, reason: str) -> ConfigError:
        return ConfigError(f"column {column}: {reason}", self.path, line)

    def claim(self, cells: Mapping[str, str], line: int) -> Claim:
        entity = self._entity(cells["entity"], line, "entity")
        metric = self._metric(cells["metric"], line)
        scope = sorted(self._scope(token.strip(), line) for token in cells["scope"].split("+")
                       if token.strip())
        period = cells["period"]
        if period and not _PERIOD.match(period):
            raise self.fail(line, "period", f"{period!r} is not a period like 2024, 2025-09, "
                                            "2026-Q4 or 2023-08-01")
        if not cells["source"]:
            raise self.fail(line, "source", "empty: say who states the figure")
        figure = _figure_text(cells["value"], cells["unit"])
        mentions = self.extractor.mentions(figure)
        if not cells["value"] or len(mentions) != 1 or mentions[0].start > 0 or (
            mentions[0].end < len(figure)
        ):
            raise self.fail(line, "value", f"cannot read {figure!r} as one figure")
        mention = mentions[0]
        known = self.lexicon.metrics.get(metric)
        if known is not None and not known.accepts(mention.dimension):
            raise self.fail(line, "unit", f"{figure!r} is a {mention.dimension} figure; metric "
                                          f"{metric} takes {', '.join(sorted(known.dimensions))}")
        kept = [token for token in scope
                if not (token in self.lexicon.scopes and self.lexicon.scopes[token].implicit)]
        other = [token.removeprefix("with:") for token in kept if token.startswith("with:")]
        key = QuantityKey(  # the table's columns, written as the fact table writes them
            entity, metric.removeprefix(PHRASE_PREFIX), mention.dimension,
            tuple(sorted(t for t in kept
                         if not t.startswith("with:") and t not in _SPECIAL_SCOPES)),
            other[0] if other else "", "own" in kept, "each" in kept,
            metric.startswith(PHRASE_PREFIX),
        )
        starts = line_starts(self.text)
        start = starts[line - 1] if line - 1 < len(starts) else len(self.text)
        end = self.text.find("\n", start)
        end = len(self.text) if end == -1 else end
        claim_id = f"{ORIGIN}:{PurePath(self.path).name}:{line}"
        return Claim.from_mention(
            mention,
            claim_id=claim_id,
            doc_id=claim_id,
            path=self.path,
            title=cells["source"],
            published="",
            lang="en",
            line=line,
            col=1,
            start=start,
            end=end,
            sentence=self.text[start:end].rstrip("\r"),
            entity=entity,
            metric=metric,
            scope="+".join(scope),
            period=period,
            key=key,
            sentence_start=start,
            evidence=(("entity", cells["entity"]), ("metric", cells["metric"]),
                      ("reference", cells["source"])),
        )

    def _entity(self, given: str, line: int, column: str) -> str:
        found = _lookup(given, self.lexicon.entities, {
            **{entity.label.lower(): key for key, entity in self.lexicon.entities.items()},
            **{alias.lower(): key for alias, key in self.lexicon.name_ids.items() if key},
        })
        if not found:
            raise self.fail(line, column, f"unknown entity {given!r} (not an id, label or alias "
                                          "in rules/lexicon.toml)")
        return found

    def _metric(self, given: str, line: int) -> str:
        if given.startswith(PHRASE_PREFIX) and given[len(PHRASE_PREFIX):].strip():
            return PHRASE_PREFIX + given[len(PHRASE_PREFIX):].strip().lower()
        found = _lookup(given, self.lexicon.metrics, {
            **{metric.label.lower(): key for key, metric in self.lexicon.metrics.items()},
            **self.lexicon.trigger_ids,
        })
        if not found:
            raise self.fail(line, "metric", f"unknown metric {given!r} (not an id, label or "
                                            "trigger in rules/lexicon.toml, nor a ~phrase)")
        return found

    def _scope(self, token: str, line: int) -> str:
        if token in _SPECIAL_SCOPES:
            return token
        if token.lower().startswith("with:"):
            return "with:" + self._entity(token[5:].strip(), line, "scope")
        for ids, words in (
            (self.lexicon.scopes, self.lexicon.scope_ids),
            (self.lexicon.entities, {a.lower(): k for a, k in self.lexicon.name_ids.items() if k}),
            (self.lexicon.metrics, self.lexicon.trigger_ids),
        ):
            found = _lookup(token, ids, words)
            if found:
                return found
        raise self.fail(line, "scope", f"unknown scope word {token!r}")


def _lookup(given: str, ids: Mapping[str, object], words: Mapping[str, str]) -> str:
    if given in ids:
        return given
    if given.lower() in ids:
        return given.lower()
    return words.get(given.lower(), "") if given else ""


def _figure_text(value: str, unit: str) -> str:
    if unit in _PREFIX_UNITS:
        return f"{unit}{value}"
    if unit == "%" or not unit:
        return f"{value}{unit}"
    return f"{value} {unit}"

