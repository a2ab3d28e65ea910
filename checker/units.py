"""The one pint registry, and how a written unit becomes a canonical one.

The registry is pint's defaults plus rules/units.txt (scale words, currencies, Chinese unit
names); rules/units.toml maps written forms pint cannot parse ("$", "US$", "tons") to pint
expressions and names the canonical unit of each dimension.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from checker.errors import ConfigError, line_of, load_toml
from checker.paths import RULES_DIR


@contextlib.contextmanager
def _unimportable(*names: str) -> Iterator[None]:
    """The packages look absent to what is imported meanwhile (importlib reads a None in
    sys.modules as "not installed"), unless they are loaded already."""
    hidden = [name for name in names if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        for name in hidden:
            del sys.modules[name]


# pint imports numpy, scipy and dask whenever they are installed, for arrays numcheck never
# gives it: 0.3 s of CPU at the start of every command (numcheck's magnitudes are floats).
with _unimportable("dask", "numpy", "scipy"):
    import pint

__all__ = ["RULES_DIR", "Canonical", "Units", "UnitsError", "UnitError", "UndefinedUnitError"]

UnitError = pint.errors.PintError
UndefinedUnitError = pint.errors.UndefinedUnitError


# Named dimensions, as pint dimensionalities; a compound ("USD/kg") is composed from these.
_NAMED_DIMENSIONS = {
    "mass": "[mass]",
    "duration": "[time]",
    "energy": "[mass] * [length] ** 2 / [time] ** 2",
    "power": "[mass] * [length] ** 2 / [time] ** 3",
    "length": "[length]",
    "area": "[length] ** 2",
    "volume": "[length] ** 3",
    "speed": "[length] / [time]",
    "temperature": "[temperature]",
    "frequency": "1 / [time]",
    "ratio": "[multiple]",
    "rank": "[rank]",
}


def _any_case(word: str) -> bool:
    """Words of four letters or more match in any case; short symbols only as written."""
    return len(word) >= 4 or not word.isascii()


class UnitsError(ConfigError):
    """A unit in rules/ that pint cannot read; the message names the file and the line."""


# A definition line of units.txt: `name = ...`; not a comment, a directive (@group) or a prefix.
_BLOCKS = ("@group", "@system", "@context", "@defaults")  # directives that run to @end
_DEFINED_NAME = re.compile(r"^\s*([^\s#@=\[\]-][^\s=]*)\s*=")


@dataclass(frozen=True, slots=True)
class Canonical:
    """A written unit resolved: its canonical unit, dimension and the conversion to it."""

    unit: str
    dimension: str
    convert: Callable[[float], float]


class Units:
    """Reads rules/units.txt and rules/units.toml; resolves written units to canonical ones."""

    def __init__(self, rules_dir: Path = RULES_DIR, cache_folder: Path | None = None) -> None:
        """`cache_folder`: where pint keeps its parsed definitions between runs (pint's own
        disk cache, checked against the files' times); a cache it cannot use is left aside."""
        definitions = rules_dir / "units.txt"
        try:
            self.registry, defined = _registry(definitions, cache_folder)
        except UnitsError:
            raise
        except Exception:  # a damaged cache file, an unwritable folder: as if there were none
            if cache_folder is None:
                raise
            self.registry, defined = _registry(definitions, None)
        try:
            data = load_toml(rules_dir / "units.toml")
        except ConfigError as error:
            raise UnitsError(error.reason, error.path, error.line) from error
        self.currency_prefix: dict[str, str] = data["currency_prefix"]
        self.after: dict[str, str] = data["after"]
        self.subunits: dict[str, str] = data["subunits"]
        self._after_folded = {k.lower(): v for k, v in self.after.items() if _any_case(k)}
        self.not_units = frozenset(data["not_units"]["words"])
        self._canonical_of = data["canonical"]
        self._dimensionalities = {
            name: self.registry.get_dimensionality(expr) for name, expr in _NAMED_DIMENSIONS.items()
        }
        self._resolved: dict[str, Canonical | None] = {}
        self._words: dict[tuple[str, bool], str | None] = {}
        # Chinese unit names are matched as written, so the extractor needs the list.
        self.cjk_names = [
            n for n in defined if n and "\u4e00" <= n[0] <= "\u9fff" and self.resolve(n)
        ]
        for expr in sorted(
            set(self.after.values())
            | set(self.currency_prefix.values())
            | set(self.subunits.values())
        ):
            if self.resolve(expr) is None:
                table = rules_dir / "units.toml"
                line = line_of(table, f'"{expr}"')
                raise UnitsError(f"pint cannot read the unit {expr!r}", table, line)
        self.count = self.require("count")

    def require(self, expr: str) -> Canonical:
        """Like `resolve`, for a unit numcheck itself names ("count", "rank", "percent")."""
        canonical = self.resolve(expr)
        if canonical is None:
            raise UnitsError(f"the unit registry cannot read {expr!r}", RULES_DIR / "units.txt")
        return canonical

    def written(self, word: str) -> str | None:
        """The pint expression of a unit as written after a figure ("tons", "kWh", "美元")."""
        if word in self.after:
            return self.after[word]
        if _any_case(word):
            return self._after_folded.get(word.lower())
        # "KG", "CM": a short symbol in capitals, as Chinese copy often writes them
        return self.after.get(word.lower()) if word.isupper() and len(word) > 1 else None

    def scale(self, word: str) -> float:
        """The multiplier of a scale word defined in units.txt ("million", "万")."""
        return float(self.registry.Quantity(1, word).to("dimensionless").magnitude)

    def pint_word(self, word: str, single: bool = False) -> str | None:
        """A unit word pint knows by itself ("kilometres", "TeV"), or None.

        Pint also reads many English words as units by splitting off a prefix ("units" as
        micro-nit); only a spelled-out prefix with a spelled-out unit, or a symbol with a
        capital letter, is accepted; a one-letter symbol only when `single` (the caller knows
        from the context, as in "km/s2", that it is a unit).
        """
        if (word, single) in self._words:
            return self._words[word, single]
        found = None
        if (single and len(word) == 1) or (word.lower() not in self.not_units and len(word) > 1):
            try:
                parsed = self.registry.parse_unit_name(word)
            except (pint.errors.DefinitionSyntaxError, ValueError):
                parsed = ()
            # "min" is the minute, not a milli-inch: a reading without a prefix comes first
            parsed = tuple(sorted(parsed, key=lambda p: p[0] != ""))
            if len(parsed) == 1 or (parsed and parsed[0][0] == ""):
                prefix, name, _suffix = parsed[0]
                rest = word[len(prefix) :].rstrip("s") if word.lower().startswith(prefix) else ""
                spelled = len(word) >= 3 and (not prefix or len(rest) >= 3)
                symbol = single or len(word) <= 4 and any(c.isupper() for c in word)
                resolved = self.resolve(prefix + name) if spelled or symbol else None
                # a spelled word that resolves to no named dimension ("sigma") is prose; a
                # symbol with a capital ("mGy") is a unit whatever it measures
                if resolved is not None and (symbol or resolved.dimension != "other"):
                    found = prefix + name
        self._words[word, single] = found
        return found

    def resolve(self, expr: str) -> Canonical | None:
        """Canonical unit, dimension and converter for a pint expression; None if unreadable."""
        if expr not in self._resolved:
            self._resolved[expr] = self._resolve(expr)
        return self._resolved[expr]

    def _resolve(self, expr: str) -> Canonical | None:
        try:
            source = self.registry.parse_expression(expr)
        except (pint.errors.PintError, SyntaxError, TypeError, ValueError, AttributeError):
            return None
        if not isinstance(source, self.registry.Quantity):
            return None
        unit, dimension = self._canonical_unit(source)
        if unit is None:
            return None
        try:
            target = self.registry.Quantity(1, unit)
            source.to(target.units)
        except pint.errors.PintError:
            return None
        if dimension == "temperature":
            units = source.units

            def convert(value: float) -> float:
                return float(self.registry.Quantity(value, units).to("degC").magnitude)

            return Canonical("degC", dimension, convert)
        factor = float(source.to(target.units).magnitude) / float(target.magnitude)
        return Canonical(unit, dimension, lambda value: value * factor)

    def _canonical_unit(self, quantity: pint.Quantity) -> tuple[str | None, str]:
        dims = quantity.dimensionality
        text = str(quantity.units)
        if not dims:
            if "percent" in text:
                return "percent", "percent"
            root = str(quantity.to_root_units().units)
            if root == "count":
                return "count", "count"
            if root == "bit":
                return "B", "data"
            return None, "other"
        for name, dimensionality in self._dimensionalities.items():
            if dims == dimensionality:
                return self._canonical_of[name], name
        currencies = [d for d in dims if d.startswith("[currency_")]
        if len(currencies) == 1 and dims[currencies[0]] == 1:
            code = currencies[0][len("[currency_") : -1].upper()
            rest = dims / self.registry.get_dimensionality(currencies[0])
            if not rest:
                return code, "currency"
            for name, dimensionality in self._dimensionalities.items():
                if rest == 1 / dimensionality:
                    return f"{code}/{self._canonical_of[name]}", "currency"
        return f"{quantity.to_base_units().units:~}", "other"


def _registry(definitions: Path, cache_folder: Path | None) -> tuple[pint.UnitRegistry, list[str]]:
    registry = pint.UnitRegistry(on_redefinition="raise", autoconvert_offset_to_baseunit=True,
                                 cache_folder=cache_folder)
    return registry, _load_definitions(registry, definitions)


def _load_definitions(registry: pint.UnitRegistry, definitions: Path) -> list[str]:
    """Load units.txt into `registry` and return the names it defines; a definition pint cannot
    read, or one naming a unit that is defined nowhere, is a UnitsError with its line."""
    try:
        registry.load_definitions(str(definitions))
    except Exception as exc:  # pint raises several types for one cause: a bad definition
        line = _first_unreadable_line(definitions)
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UnitsError(f"pint cannot read this definition: {reason}", definitions, line) from exc
    # pint resolves the units a definition refers to only when it is used: check them now.
    names = []
    for line, name in _defined_names(definitions):
        try:
            registry.get_dimensionality(name)
        except pint.errors.PintError as exc:
            reason = f"pint cannot read the definition of {name!r}: {exc}"
            raise UnitsError(reason, definitions, line) from exc
        names.append(name)
    return names


def _defined_names(definitions: Path) -> Iterator[tuple[int, str]]:
    text = definitions.read_text("utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        match = _DEFINED_NAME.match(line)
        if match:
            yield number, match.group(1)


def _first_unreadable_line(definitions: Path) -> int | None:
    """The line of the first definition a fresh registry refuses, read one at a time; only
    called once loading has failed, since pint's own messages seldom give the line."""
    registry: pint.UnitRegistry = pint.UnitRegistry(on_redefinition="raise")
    chunk: list[str] = []
    first = 0
    lines = definitions.read_text("utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        stripped = line.split("#", 1)[0].strip()
        if not stripped:
            continue
        if not chunk:
            first = number
        chunk.append(line)
        if chunk[0].lstrip().startswith(_BLOCKS) and not stripped.startswith("@end"):
            continue  # a block (@group ... @end) is loaded whole
        try:
            registry.load_definitions(chunk)
        except Exception:  # any refusal marks the line
            return first
        chunk = []
    return first if chunk else None
