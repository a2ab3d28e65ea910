"""The numcheck command's usage: one --out option, "did you mean" for misspelt commands, flags
and choices, a command's own usage line on its errors, and `numcheck rule`."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from checker import cli

ROOT = Path(__file__).resolve().parents[1]
ONE_SEED = sorted((ROOT / "seeds").glob("*.txt"))[0]
SLIP = ROOT / "tests" / "fixtures" / "review" / "slip.md"
WIRE = ROOT / "tests" / "fixtures" / "review" / "corpus"
RULE_FILES = sorted([*(ROOT / "rules" / "codes").glob("NC*.toml"),
                     *(ROOT / "rules" / "review").glob("NC*.toml")])
CODES = [path.stem for path in RULE_FILES]


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def numcheck(capsys: pytest.CaptureFixture[str]):
    def run(*args: str | Path) -> Run:
        code = cli.main([str(arg) for arg in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


# ---------------------------------------------------------------------------------------------
# --out, the one name of the output option


@pytest.mark.parametrize("command", [["extract", "a.txt"], ["report"], ["review", "draft.md"]])
@pytest.mark.parametrize("flag", ["--out", "-o"])
def test_every_command_takes_out_and_o(command: list[str], flag: str) -> None:
    args = cli.build_parser().parse_args([*command, flag, "target"])
    assert vars(args).get("out", vars(args).get("output")) == "target"


@pytest.mark.parametrize("command", ["extract", "report", "review"])
def test_help_names_out_and_never_output(command: str, numcheck) -> None:
    result = numcheck(command, "--help")
    assert result.code == 0
    assert "--out" in result.out and "-o" in result.out
    assert "--output" not in result.out


def test_extract_o_writes_the_file(tmp_path: Path, numcheck) -> None:
    out = tmp_path / "facts.json"
    assert numcheck("extract", ONE_SEED, "-o", out).code == 0
    assert out.read_text("utf-8").startswith("{")


@pytest.mark.parametrize("flag", ["--out", "-o", "--output"])
def test_review_writes_out_and_still_takes_output(flag: str, tmp_path: Path, numcheck) -> None:
    out = tmp_path / "review.sarif"
    result = numcheck("review", SLIP, "--against", WIRE, "--no-config", "--format", "sarif",
                      "--fail-on", "never", flag, out)
    assert result.code == 0, result.err
    assert result.out == ""
    assert '"version": "2.1.0"' in out.read_text("utf-8")


# ---------------------------------------------------------------------------------------------
# did you mean, and the command's own usage line


def test_misspelt_command_suggests_the_nearest(numcheck) -> None:
    result = numcheck("reviw", "draft.md")
    assert result.code == 2
    assert result.err.startswith("usage: numcheck [-h]")
    assert "invalid choice: 'reviw'; did you mean 'review'?" in result.err


def test_a_word_near_no_command_gets_no_suggestion(numcheck) -> None:
    result = numcheck("frobnicate")
    assert result.code == 2
    assert "invalid choice: 'frobnicate'" in result.err and "did you mean" not in result.err


def test_misspelt_flag_suggests_the_nearest_with_the_commands_usage(numcheck) -> None:
    result = numcheck("review", "--agianst", "corpus")
    assert result.code == 2
    assert result.err.startswith("usage: numcheck review ")
    assert "numcheck review: error: unrecognized arguments: --agianst (did you mean --against?)" \
        in result.err


def test_misspelt_choice_suggests_the_nearest(numcheck) -> None:
    result = numcheck("review", "draft.md", "--format", "sarfi")
    assert result.code == 2
    assert result.err.startswith("usage: numcheck review ")
    assert "invalid choice: 'sarfi'; did you mean 'sarif'?" in result.err


def test_the_hidden_alias_is_never_suggested(numcheck) -> None:
    result = numcheck("review", "draft.md", "--outptu", "x.sarif")
    assert result.code == 2
    assert "(did you mean --out?)" in result.err


@pytest.mark.parametrize("command", [["extract", "a.txt"], ["report"], ["review", "draft.md"],
                                     ["terms", "a.txt"], ["rule", "NC101"]])
def test_an_unknown_flag_shows_its_commands_usage(command: list[str], numcheck) -> None:
    result = numcheck(*command, "--no-such-flag")
    assert result.code == 2
    assert result.err.startswith(f"usage: numcheck {command[0]} ")
    assert f"numcheck {command[0]}: error: unrecognized arguments: --no-such-flag" in result.err


def test_usage_errors_from_the_installed_command() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "checker", "extract", "a.txt", "--formt", "csv"],
        capture_output=True, text=True, check=False,
    )
    assert completed.returncode == 2 and completed.stdout == ""
    assert completed.stderr.startswith("usage: numcheck extract ")
    assert "--formt (did you mean --format?) csv" in completed.stderr


# ---------------------------------------------------------------------------------------------
# numcheck rule


def test_rule_prints_the_rule(numcheck) -> None:
    result = numcheck("rule", "NC102")
    assert result.code == 0 and result.err == ""
    lines = result.out.splitlines()
    assert lines[0] == "NC102 magnitude-slip"
    assert "Severity: error; warning when the evidence is weak" in lines
    assert any(line.startswith("Message:  {quantity}: {a} vs {b}") for line in lines)
    assert any(line.startswith("What it flags:") for line in lines)
    assert any(line.startswith("Example:") for line in lines)


def test_rule_states_what_changes_the_severity(numcheck) -> None:
    result = numcheck("rule", "NC101")
    assert "Severity: warning; error at ×1.5 or 10 points apart; info under ×1.01 or 1 point " \
        "apart; info when the evidence is weak" in result.out


@pytest.mark.parametrize("given", ["nc301", "Nc301", " NC301", "unused-suppression"])
def test_rule_codes_are_case_insensitive_and_names_work(given: str, numcheck) -> None:
    result = numcheck("rule", given)
    assert result.code == 0
    assert result.out.startswith("NC301 unused-suppression\n")


def test_every_rule_file_is_explained(numcheck) -> None:
    for code in CODES:
        result = numcheck("rule", code)
        assert result.code == 0 and "Example:" in result.out, code


def test_rule_all_lists_every_code_with_name_and_severity(numcheck) -> None:
    result = numcheck("rule", "--all")
    assert result.code == 0
    rows = [line.split() for line in result.out.splitlines()]
    assert [row[0] for row in rows] == CODES
    assert all(len(row) == 3 and row[2] in ("error", "warning", "info") for row in rows)
    assert ["NC102", "magnitude-slip", "error"] in rows


def test_unknown_rule_code_names_the_known_ones(numcheck) -> None:
    result = numcheck("rule", "NC12")
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("numcheck: error: unknown rule code 'NC12'; "
                                 "did you mean NC102 (magnitude-slip)?")
    assert all(code in result.err for code in CODES)


def test_unknown_rule_code_far_from_any(numcheck) -> None:
    result = numcheck("rule", "zzz")
    assert result.code == 2
    assert "did you mean" not in result.err and "Known codes: NC101" in result.err


@pytest.mark.parametrize("args", [[], ["NC101", "--all"]])
def test_rule_needs_a_code_or_all(args: list[str], numcheck) -> None:
    result = numcheck("rule", *args)
    assert result.code == 2
    assert result.err.startswith("usage: numcheck rule ")
