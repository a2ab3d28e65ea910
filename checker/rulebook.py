"""The rules/ folder as data: the lexicon, the comparison settings and the finding codes.

    rules/lexicon.toml       how sentences are read (the base of the lexicon)
    rules/packs/*.toml       a topic's entities, metrics, scope words (checker.packs)
    rules/comparison.toml    tolerances, near-duplicate and phrase-matching thresholds
    rules/codes/NC*.toml     one file per finding code: check type, severity, message, explanation

Everything is read with tomllib and checked when loaded, so a broken rule file is an error that
names the file, not a wrong report.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from checker.claims import Lexicon
from checker.errors import ConfigError, line_of, load_toml
from checker.models import SEVERITIES
from checker.packs import BASE, lexicon_data, lexicon_files
from checker.paths import RULES_DIR
from checker.words import Words

__all__ = ["RULES_DIR", "Rule", "RuleError", "Rulebook", "Settings", "Thresholds"]


# The check types a rule file may name, by the stage that runs them (checker.classify).
GROUP_CHECKS = ("sides-disagree", "same-value-other-period", "bounds-near-power-of-ten",
                "same-number-other-currency", "transposed-digits")
PAIR_CHECKS = ("ratio-near-unit-factor", "ratio-near-power-of-ten", "finer-figure-beyond-coarser",
               "bound-excludes")
ARTICLE_CHECKS = ("change-arithmetic", "parts-times-each", "shares-sum")
CHECKS = GROUP_CHECKS + PAIR_CHECKS + ARTICLE_CHECKS

_Built = TypeVar("_Built")

_REQUIRED = ("code", "name", "kind", "check", "severity", "message", "explanation")


class RuleError(ConfigError):
    """A file in rules/ that cannot be used; the message names it and, when it can, the line."""


@dataclass(frozen=True, slots=True)
class Thresholds:
    """How far apart the sides of a finding are before its severity changes.

    `ratio` compares values (larger / smaller); `points` compares percentages (difference).
    At or beyond the error bounds a finding is an error; below the info bounds, info.
    """

    error_ratio: float | None = None
    error_points: float | None = None
    info_ratio: float | None = None
    info_points: float | None = None

    def severity(
        self, base: str, ratio: float | None, points: float | None,
        relative: float | None = None,
    ) -> str:
        """`relative`: the points as a share of the larger percentage; a gap under the info
        points is information only when it is also under the info ratio relative to the figures
        (0.9 points is a rounding matter for 70%, not for 7.6%)."""
        gap, error, info = (
            (points, self.error_points, self.info_points)
            if points is not None
            else (ratio, self.error_ratio, self.info_ratio)
        )
        if gap is None:
            return base
        if error is not None and gap >= error:
            return "error"
        small = info is not None and gap < info
        if points is not None and relative is not None and self.info_ratio is not None:
            small = small and 1 + relative < self.info_ratio
        return "info" if small else base


@dataclass(frozen=True, slots=True)
class Rule:
    """One finding code, as written in rules/codes/<code>.toml."""

    code: str
    name: str
    kind: str
    check: str
    severity: str
    message: str
    explanation: str
    priority: int = 100
    params: Mapping[str, Any] = field(default_factory=dict)
    thresholds: Thresholds = Thresholds()
    weak_severity: str = ""  # the severity of a finding on weak evidence; "" keeps its own
    path: str = ""

    @classmethod
    def from_file(cls, path: Path) -> Rule:
        data = _toml(path)
        missing = [name for name in _REQUIRED if not str(data.get(name, "")).strip()]
        if missing:
            raise RuleError(f"missing {', '.join(missing)}", path)
        if data["code"] != path.stem:
            reason = f"code {data['code']!r} does not match the file name"
            raise RuleError(reason, path, line_of(path, "code", str(data["code"])))
        if data["check"] not in CHECKS:
            reason = f"unknown check {data['check']!r}; one of {', '.join(CHECKS)}"
            raise RuleError(reason, path, line_of(path, "check", str(data["check"])))
        for key in ("severity", "weak_severity"):
            if key in data and data[key] not in SEVERITIES:
                reason = f"{key} must be one of {', '.join(SEVERITIES)}"
                raise RuleError(reason, path, line_of(path, key, str(data[key])))
        return _built(path, lambda: cls._from_data(data, path))

    @classmethod
    def _from_data(cls, data: Mapping[str, Any], path: Path) -> Rule:
        limits = data.get("thresholds", {})
        return cls(
            code=data["code"],
            name=data["name"],
            kind=data["kind"],
            check=data["check"],
            severity=data["severity"],
            message=data["message"].strip(),
            explanation=data["explanation"].strip(),
            priority=int(data.get("priority", 100)),
            params=MappingProxyType(dict(data.get("params", {}))),
            thresholds=Thresholds(
                error_ratio=limits.get("error_ratio"),
                error_points=limits.get("error_points"),
                info_ratio=limits.get("info_ratio"),
                info_points=limits.get("info_points"),
            ),
            weak_severity=data.get("weak_severity", ""),
            path=str(path),
        )

    def grade(
        self, ratio: float | None = None, points: float | None = None,
        relative: float | None = None,
    ) -> str:
        return self.thresholds.severity(self.severity, ratio, points, relative)


@dataclass(frozen=True, slots=True)
class Settings:
    """rules/comparison.toml."""

    approx_relative: float = 0.05
    approx_points: float = 1.0
    arithmetic_relative: float = 0.05
    duplicate_ratio: float = 90.0
    duplicate_length_factor: float = 1.25
    phrase_ratio: float = 85.0
    restated_min_words: int = 3
    restated_strong_words: int = 8

    @classmethod
    def load(cls, rules_dir: Path = RULES_DIR) -> Settings:
        """rules/comparison.toml of `rules_dir`; a file that cannot be used raises RuleError."""
        path = rules_dir / "comparison.toml"
        return _built(path, lambda: cls.from_toml(_toml(path)))

    @classmethod
    def from_toml(cls, data: Mapping[str, Any]) -> Settings:
        tolerance, duplicates, phrases = data["tolerance"], data["duplicates"], data["phrases"]
        restated = data["restated"]
        return cls(
            approx_relative=float(tolerance["approx_relative"]),
            approx_points=float(tolerance["approx_points"]),
            arithmetic_relative=float(tolerance["arithmetic_relative"]),
            duplicate_ratio=float(duplicates["min_ratio"]),
            duplicate_length_factor=float(duplicates["max_length_factor"]),
            phrase_ratio=float(phrases["min_ratio"]),
            restated_min_words=int(restated["min_words"]),
            restated_strong_words=int(restated["strong_words"]),
        )


@dataclass(frozen=True, slots=True)
class Rulebook:
    """All of rules/ that comparison needs, loaded once per run."""

    lexicon: Lexicon
    settings: Settings
    rules: tuple[Rule, ...]
    rules_dir: Path = RULES_DIR  # the folder it came from, which extraction reads too
    lexicons: tuple[Path, ...] = ()  # the packs and files merged into its lexicon, in order

    @classmethod
    def load(
        cls,
        rules_dir: Path = RULES_DIR,
        lexicons: Iterable[str | os.PathLike[str]] = (),
        cache_folder: Path | None = None,
    ) -> Rulebook:
        """Read rules/, its lexicon merged with `lexicons` (pack names or files, in order: see
        checker.packs); a file that cannot be used raises a ConfigError naming it (and its
        line), a RuleError when it is in rules/. `cache_folder`: where the English dictionary
        its lexicon reads words with is kept between runs (checker.words.Words)."""
        files = lexicon_files(lexicons, rules_dir)
        lexicon_path = files[-1] if files else rules_dir / BASE
        lexicon = _built(lexicon_path, lambda: Lexicon.from_toml(
            _toml(rules_dir, lexicon_data, files), Words(cache_folder)))
        settings = Settings.load(rules_dir)
        rules = tuple(
            sorted(
                (Rule.from_file(path) for path in sorted((rules_dir / "codes").glob("*.toml"))),
                key=lambda rule: (rule.priority, rule.code),
            )
        )
        return cls(lexicon=lexicon, settings=settings, rules=rules, rules_dir=rules_dir,
                   lexicons=files)

    def rule(self, check: str) -> Rule | None:
        """The rule that runs a check type, if one is configured."""
        return next((rule for rule in self.rules if rule.check == check), None)

    def pair_rules(self) -> tuple[Rule, ...]:
        return tuple(rule for rule in self.rules if rule.check in PAIR_CHECKS)


def _toml(
    path: Path, read: Callable[..., dict[str, Any]] = load_toml, *args: Any
) -> dict[str, Any]:
    """`read(path, *args)`; an error in a file of rules/ is a RuleError."""
    try:
        return read(path, *args)
    except RuleError:
        raise
    except ConfigError as error:
        if not error.path or not Path(error.path).resolve().is_relative_to(path.resolve()):
            raise
        raise RuleError(error.reason, error.path, error.line) from error


def _built(path: Path, build: Callable[[], _Built]) -> _Built:
    """`build()`, with a missing key or a value of the wrong type reported against `path`."""
    try:
        return build()
    except ConfigError:
        raise
    except KeyError as error:
        raise RuleError(f"missing key {error.args[0]!r}", path) from error
    except (TypeError, ValueError, AttributeError, re.error) as error:
        raise RuleError(f"unusable value: {error}", path) from error
