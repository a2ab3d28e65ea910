"""The numcheck command: exit codes, warnings, output formats, the report folder, determinism."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import checker
from checker import cli
from checker.report.table import COLUMNS

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
# A small corpus keeps each run quick; the full seeds are read where the size matters.
ONE_SEED = sorted(SEEDS.glob("*.txt"))[0]
BINARY = bytes(range(256)) * 8  # NUL bytes and invalid UTF-8: not an article


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A folder with one good article and one binary file."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(ONE_SEED, folder / ONE_SEED.name)
    (folder / "scan.txt").write_bytes(BINARY)
    return folder


def run_cli(*args: str | Path) -> int:
    return cli.main([str(arg) for arg in args])


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("--version") == 0
    assert capsys.readouterr().out.strip() == f"numcheck {checker.__version__}"


def test_python_dash_m_is_the_same_command() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "checker", "--version"], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0
    assert completed.stdout.strip() == f"numcheck {checker.__version__}"


def test_bad_file_among_good_ones_warns_and_exits_0(
    corpus: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert run_cli("extract", corpus) == 0
    captured = capsysbinary.readouterr()
    warnings = captured.err.decode().splitlines()
    assert any(line.startswith("numcheck: warning:") and "scan.txt" in line for line in warnings)
    assert not any(ONE_SEED.name in line for line in warnings)
    facts = pd.read_csv(io.BytesIO(captured.out), keep_default_na=False)
    assert len(facts) > 0
    assert set(facts["path"].map(lambda path: Path(path).name)) == {ONE_SEED.name}


def test_missing_path_among_good_ones_is_a_warning(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    missing = tmp_path / "missing.txt"
    assert run_cli("extract", ONE_SEED, missing) == 0
    assert "missing.txt" in capsysbinary.readouterr().err.decode()


def test_only_missing_paths_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("extract", tmp_path / "nope.txt") == 2
    err = capsys.readouterr().err
    assert err.startswith("numcheck: error:") and "nope.txt" in err


def test_no_readable_document_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "scan.txt").write_bytes(BINARY)
    assert run_cli("extract", tmp_path / "scan.txt") == 2
    err = capsys.readouterr().err
    assert "scan.txt" in err and "numcheck: error:" in err


@pytest.mark.parametrize(
    "args",
    [
        ["extract", str(ONE_SEED), "--format", "xml"],
        ["extract"],
        ["extract", str(ONE_SEED), "--format", "parquet"],  # binary, needs --out
        ["frobnicate"],
        [],
    ],
)
def test_usage_errors_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(args) == 2
    assert capsys.readouterr().err.strip()


def test_interrupt_exits_130_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("checker.pipeline.run", interrupted)
    assert run_cli("extract", ONE_SEED) == 130
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl", "parquet"])
def test_extract_formats_round_trip_through_pandas(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"facts.{fmt}"
    assert run_cli("extract", ONE_SEED, "--format", fmt, "--out", out) == 0
    readers = {
        "csv": lambda: pd.read_csv(out, keep_default_na=False),
        "json": lambda: pd.DataFrame(json.loads(out.read_text(encoding="utf-8"))["claims"]),
        "jsonl": lambda: pd.read_json(out, lines=True, dtype=False),
        "parquet": lambda: pd.read_parquet(out),
    }
    back = readers[fmt]()
    expected = checker.extract(ONE_SEED)
    assert list(back.columns) == list(COLUMNS)
    assert len(back) == len(expected) > 0
    for name in ("claim_id", "surface", "unit", "dimension", "qualifier"):
        assert back[name].astype(str).tolist() == expected[name].astype(str).tolist(), name
    assert back["start"].tolist() == expected["start"].tolist()
    assert back["value"].tolist() == pytest.approx(expected["value"].tolist())


def test_extract_format_follows_the_out_suffix(tmp_path: Path) -> None:
    out = tmp_path / "facts.json"
    assert run_cli("extract", ONE_SEED, "--out", out) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["version"] == 1


def test_extract_writes_csv_to_stdout_by_default(
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    assert run_cli("extract", ONE_SEED) == 0
    header = capsysbinary.readouterr().out.split(b"\n", 1)[0].decode()
    assert header.split(",") == list(COLUMNS)


def test_report_writes_facts_csv_into_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "new" / "reports"
    assert run_cli("report", ONE_SEED, "--out", out) == 0
    facts = pd.read_csv(out / "facts.csv", keep_default_na=False)
    assert list(facts.columns) == list(COLUMNS)
    assert len(facts) == len(checker.extract(ONE_SEED)) > 0
    summary = capsys.readouterr().out
    assert "1 document" in summary and f"{len(facts)} figures" in summary
    assert str(out / "facts.csv") in summary.replace("\n", "")


def test_report_summary_names_problems(corpus: Path, tmp_path: Path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert run_cli("report", "corpus", "--out", "out") == 0
    captured = capsys.readouterr()
    assert "1 problem" in captured.out and "corpus/scan.txt: " in captured.out
    assert "corpus/scan.txt: " in captured.err


def test_report_quiet_prints_nothing(tmp_path: Path, capsys) -> None:
    assert run_cli("report", ONE_SEED, "--out", tmp_path, "--quiet") == 0
    assert capsys.readouterr() == ("", "")
    assert (tmp_path / "facts.csv").is_file()


def test_report_defaults_to_the_bundled_seeds(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert run_cli("report", "--quiet") == 0
    facts = pd.read_csv(tmp_path / "reports" / "facts.csv", keep_default_na=False)
    names = {Path(path).name for path in facts["path"]}
    assert names == {path.name for path in SEEDS.glob("*.txt")}


def test_report_without_bundled_seeds_is_a_clear_error(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setattr(cli, "bundled_seeds", lambda: tmp_path / "seeds")
    assert run_cli("report", "--out", tmp_path) == 2
    assert "seeds" in capsys.readouterr().err


def test_unwritable_output_exits_1(tmp_path: Path, capsys) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert run_cli("report", ONE_SEED, "--out", blocker) == 1
    assert "cannot write" in capsys.readouterr().err


def test_two_runs_are_byte_identical(tmp_path: Path) -> None:
    for fmt in ("json", "parquet"):
        first, second = tmp_path / f"1.{fmt}", tmp_path / f"2.{fmt}"
        assert run_cli("extract", SEEDS, "--out", first) == 0
        assert run_cli("extract", SEEDS, "--out", second) == 0
        assert first.read_bytes() == second.read_bytes()
    assert run_cli("report", SEEDS, "--out", tmp_path / "a", "--quiet") == 0
    assert run_cli("report", SEEDS, "--out", tmp_path / "b", "--quiet") == 0
    first, second = (tmp_path / name / "facts.csv" for name in "ab")
    assert first.read_bytes() == second.read_bytes()


def test_a_narrow_terminal_shortens_titles_not_counts(tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "40")
    assert run_cli("report", SEEDS, "--out", tmp_path) == 0
    lines = [line.rstrip() for line in capsys.readouterr().out.splitlines()]
    documents = int(lines[0].split()[0])  # "25 documents, 166 figures, 0 problems"
    table = lines[lines.index("Figures by document") :]
    rule = next(index for index, line in enumerate(table) if line.endswith("─"))
    rows = table[rule + 1 : rule + 1 + documents]
    facts = pd.read_csv(tmp_path / "facts.csv", keep_default_na=False)
    assert all(len(row) <= 40 and row.split()[-1].isdigit() for row in rows)
    assert sum(int(row.split()[-1]) for row in rows) == len(facts)
