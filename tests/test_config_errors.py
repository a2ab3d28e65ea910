"""A broken file in rules/ stops the run with exit 2 and one line naming the file and the line."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from test_bad_input import troubleshooting, troubleshooting_stem

from checker import cli
from checker.errors import ConfigError, load_toml
from checker.extraction import Extractor
from checker.rulebook import RULES_DIR, Rulebook, RuleError
from checker.units import Units, UnitsError

ROOT = Path(__file__).resolve().parents[1]
ONE_SEED = sorted((ROOT / "seeds").glob("*.txt"))[0]


def _insert(path: Path, line: int, text: str) -> int:
    """Put `text` in as line `line` of the file; returns that line."""
    lines = path.read_text("utf-8").splitlines()
    lines.insert(line - 1, text)
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return line


def _append(path: Path, text: str) -> int:
    lines = path.read_text("utf-8").splitlines()
    path.write_text("\n".join([*lines, text]) + "\n", "utf-8")
    return len(lines) + 1


def _replace(path: Path, old: str, new: str) -> int:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    return text[: text.index(old)].count("\n") + 1


# (what is broken, how, the file named, what the message says); each edit returns its line
BREAKAGES: dict[str, tuple[Callable[[Path], int | None], str, str]] = {
    "rule TOML": (
        lambda rules: _insert(rules / "codes" / "NC102.toml", 3, "severity = "),
        "codes/NC102.toml",
        "invalid TOML: Invalid value",
    ),
    "lexicon TOML": (
        lambda rules: _append(rules / "lexicon.toml", "[entity.russia"),
        "lexicon.toml",
        "invalid TOML",
    ),
    "comparison TOML": (
        lambda rules: _insert(rules / "comparison.toml", 2, "tolerance = = 1"),
        "comparison.toml",
        "invalid TOML",
    ),
    "extraction TOML": (
        lambda rules: _insert(rules / "extraction.toml", 1, '"unclosed = 1'),
        "extraction.toml",
        "invalid TOML",
    ),
    "units TOML": (
        lambda rules: _insert(rules / "units.toml", 5, "[settings"),
        "units.toml",
        "invalid TOML",
    ),
    "units.txt refers to no unit": (
        lambda rules: _append(rules / "units.txt", "frobble = 3 * zorkmid"),
        "units.txt",
        "pint cannot read the definition of 'frobble': 'zorkmid' is not defined",
    ),
    "units.txt syntax": (
        lambda rules: _insert(rules / "units.txt", 7, "two words = = 1"),
        "units.txt",
        "pint cannot read this definition",
    ),
    "units.txt redefinition": (
        lambda rules: _append(rules / "units.txt", "million = 1e6"),
        "units.txt",
        "Cannot redefine 'million'",
    ),
    "units.toml unit": (
        lambda rules: _replace(rules / "units.toml", '"US$" = "USD"', '"US$" = "USDX"'),
        "units.toml",
        "pint cannot read the unit 'USDX'",
    ),
    "extraction scale word": (
        lambda rules: _replace(rules / "extraction.toml", '"trillion",', '"trillion", "zillion",'),
        "extraction.toml",
        "not defined in rules/units.txt: 'zillion'",
    ),
    "rule check type": (
        lambda rules: _replace(rules / "codes" / "NC105.toml", '"bound-excludes"', '"telepathy"'),
        "codes/NC105.toml",
        "unknown check 'telepathy'",
    ),
    "missing setting": (
        lambda rules: (_replace(rules / "comparison.toml", "min_ratio", "min_ratto"), None)[1],
        "comparison.toml",
        "missing key 'min_ratio'",
    ),
}


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    copy = tmp_path / "rules"
    shutil.copytree(RULES_DIR, copy)
    return copy


def _load_all(rules: Path) -> None:
    Rulebook.load(rules)
    Extractor(rules)


def test_the_rules_as_shipped_load(rules: Path) -> None:
    _load_all(rules)


@pytest.mark.parametrize("broken", list(BREAKAGES))
def test_a_broken_rules_file_is_a_config_error_with_file_and_line(
    rules: Path, broken: str
) -> None:
    edit, name, reason = BREAKAGES[broken]
    line = edit(rules)
    with pytest.raises(ConfigError) as raised:
        _load_all(rules)
    error = raised.value
    assert Path(error.path) == rules / name
    assert error.line == line
    assert reason in error.reason
    where = f"{rules / name}:{line}" if line else f"{rules / name}"
    assert str(error).startswith(f"{where}: ")
    stem = troubleshooting_stem(error.reason)  # and the README says what to do
    assert len(stem) > 5 and stem in troubleshooting()


def test_rule_and_unit_errors_are_config_errors(rules: Path) -> None:
    _insert(rules / "codes" / "NC101.toml", 1, "[")
    with pytest.raises(RuleError):
        Rulebook.load(rules)
    _append(rules / "units.txt", "frobble = zorkmid")
    with pytest.raises(UnitsError):
        Units(rules)


def test_toml_error_at_the_end_of_a_file_names_its_last_line(tmp_path: Path) -> None:
    path = tmp_path / "cut.toml"
    path.write_text('a = 1\nb = [1,\n  2,\n', "utf-8")
    with pytest.raises(ConfigError) as raised:
        load_toml(path)
    assert raised.value.line == 3 and "invalid TOML" in str(raised.value)
    with pytest.raises(ConfigError, match="cannot read"):
        load_toml(tmp_path / "missing.toml")


@pytest.mark.parametrize(
    "broken", ["rule TOML", "units.txt refers to no unit", "units.toml unit"]
)
@pytest.mark.parametrize("command", ["extract", "report"])
def test_the_command_exits_2_with_one_line(
    rules: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    broken: str,
    command: str,
) -> None:
    edit, name, reason = BREAKAGES[broken]
    line = edit(rules)
    loads = SimpleNamespace(load=lambda lexicons=(): Rulebook.load(rules, lexicons))
    monkeypatch.setattr("checker.pipeline.Rulebook", loads)
    monkeypatch.setattr("checker.pipeline.Extractor", lambda *_: Extractor(rules))
    out = tmp_path / "out"
    target = out / "facts.csv" if command == "extract" else out
    assert cli.main([command, str(ONE_SEED), "--out", str(target)]) == 2
    err = capsys.readouterr().err
    assert err == f"numcheck: error: {rules / name}:{line}: {err.split(': ', 3)[3]}"
    assert reason in err and err.count("\n") == 1
    assert not out.exists()


def test_a_broken_rules_file_in_a_real_run(tmp_path: Path) -> None:
    """The package beside a broken rules/ folder, run as `python -m checker`: no traceback."""
    skip = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "checker", tmp_path / "checker", ignore=skip)
    shutil.copytree(RULES_DIR, tmp_path / "rules")
    line = _insert(tmp_path / "rules" / "lexicon.toml", 4, "label = ")
    completed = subprocess.run(
        [sys.executable, "-m", "checker", "report", str(ONE_SEED), "--out", "out", "--quiet"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 2
    expected = f"numcheck: error: {tmp_path / 'rules' / 'lexicon.toml'}:{line}: invalid TOML: "
    assert completed.stderr.startswith(expected), completed.stderr
    assert completed.stderr.count("\n") == 1 and "Traceback" not in completed.stderr
    assert not (tmp_path / "out").exists()
