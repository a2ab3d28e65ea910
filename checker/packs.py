"""The lexicon as layers: the base of rules/, domain packs, the user's own files.

    rules/lexicon.toml          the general grammar (how clauses, phrases and roles are read)
    rules/packs/<name>.toml     a domain pack: entities, metrics, scope words, source names
    any other TOML file         the user's own words, in the same schema

A run's lexicon is the merge of these documents in order: base, then packs and files as given.
Tables merge key by key; a list given again is extended (an entity named again gains aliases, a
metric triggers, a grammar list words); any other value given again replaces the earlier one.
A pack or file is checked as it is merged, so a mistake is an error naming its file and line.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from checker.config import is_pack_name
from checker.errors import ConfigError, line_of, load_toml

__all__ = ["BASE", "PACKS", "lexicon_data", "lexicon_files", "pack_names"]

BASE = "lexicon.toml"
PACKS = "packs"
# What a topic's words are, and the keys a new entry of each must give.
_ENTRIES: Mapping[str, tuple[str, ...]] = {
    "entity": ("label", "kind", "aliases"),
    "metric": ("label", "triggers", "dimensions"),
    "scope": ("label", "words"),
}
_WORDS = (*_ENTRIES, "sources")  # the other tables of the base (grammar, roles...) are extended


def pack_names(rules_dir: Path) -> tuple[str, ...]:
    """The packs in rules/packs/, by the name a user gives them ("rare-earths")."""
    return tuple(sorted(path.stem.replace("_", "-")
                        for path in (rules_dir / PACKS).glob("*.toml")))


def lexicon_files(
    given: Iterable[str | os.PathLike[str]], rules_dir: Path
) -> tuple[Path, ...]:
    """Pack names and file paths -> the files, in order, each once."""
    files: dict[Path, None] = {}
    for item in given:
        files[_file(item, rules_dir)] = None
    return tuple(files)


def _file(item: str | os.PathLike[str], rules_dir: Path) -> Path:
    if not is_pack_name(item):
        path = Path(item).expanduser().resolve()
        if not path.is_file():
            raise ConfigError("no such lexicon file", path)
        return path
    name = str(item)
    path = (rules_dir / PACKS / f"{name.replace('-', '_')}.toml").resolve()
    if not path.is_file():
        known = ", ".join(pack_names(rules_dir)) or "none"
        raise ConfigError(f"unknown lexicon pack {name!r} (packs: {known}; a file of your own "
                          "is given by its path, ending in .toml)")
    return path


def lexicon_data(rules_dir: Path, files: Iterable[Path] = ()) -> dict[str, Any]:
    """rules/lexicon.toml with `files` merged on top, as checker.claims.Lexicon.from_toml
    reads it."""
    data: dict[str, Any] = {"entity": {}, "metric": {}, "scope": {}, "sources": {"aliases": []}}
    base = rules_dir / BASE
    _merge(data, load_toml(base), base, base=True)
    for path in files:
        document = load_toml(path)
        _check(document, data, path)
        _merge(data, document, path)
    return data


def _check(document: Mapping[str, Any], data: Mapping[str, Any], path: Path) -> None:
    """A layer holds only the lexicon's tables, and every entry it adds is complete."""
    for table, value in document.items():
        if table not in data:
            known = ", ".join(data)
            raise ConfigError(f"unknown table [{table}]; a lexicon has {known}", path,
                              _line(path, table))
        if not isinstance(value, dict):
            raise ConfigError(f"{table} must be a table", path, _line(path, table))
    for table, required in _ENTRIES.items():
        for key, entry in document.get(table, {}).items():
            name = f"{table}.{key}"
            if not isinstance(entry, dict):
                raise ConfigError(f"{name} must be a table", path, _line(path, name))
            missing = [field for field in required
                       if key not in data[table] and field not in entry]
            if missing:
                raise ConfigError(f"[{name}] is new and needs {', '.join(missing)}", path,
                                  _line(path, name))
    for table in sorted(data.keys() - set(_WORDS)):
        for key in document.get(table, {}):
            if key not in data[table]:
                known = ", ".join(data[table])
                raise ConfigError(f"unknown key {table}.{key}; known: {known}", path,
                                  _line(path, f"{table}.{key}"))


def _merge(
    into: dict[str, Any], layer: Mapping[str, Any], path: Path, where: str = "",
    *, base: bool = False,
) -> None:
    for key, value in layer.items():
        name = f"{where}.{key}" if where else key
        if isinstance(value, list) and not all(isinstance(word, str) for word in value):
            raise ConfigError(f"{name} must be a list of strings", path, _line(path, name))
        if key not in into:
            into[key] = copy.deepcopy(value)
            continue
        old = into[key]
        if isinstance(old, dict) and isinstance(value, dict):
            _merge(old, value, path, name, base=base)
        elif isinstance(old, list) and isinstance(value, list):
            into[key] = old + [word for word in value if word not in old]
        elif base or type(old) is type(value):
            into[key] = value
        else:
            kind = {dict: "a table", list: "a list of strings"}.get(type(old), type(old).__name__)
            raise ConfigError(f"{name} must be {kind}, as in {BASE}", path, _line(path, name))


def _line(path: Path, name: str) -> int | None:
    """The line of a table header or of a key, for an error message."""
    return line_of(path, f"[{name}]") or line_of(path, f"{name.rsplit('.', 1)[-1]} =")
