"""The same input gives byte-identical outputs: every report file, every fact-table format, in
another process (another hash seed, time zone, locale and SOURCE_DATE_EPOCH), a moment later,
with the files named in another order."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checker.report.folder import STAMP_FILE

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
FORMATS = ("csv", "json", "jsonl", "parquet")

# One process: the report, then the fact table in every format.
CHILD = """
import sys
from checker import cli
out, paths = sys.argv[1], sys.argv[2:]
status = cli.main(["report", *paths, "--out", out, "--quiet"])
for fmt in ("csv", "json", "jsonl", "parquet"):
    status = status or cli.main(["extract", *paths, "--out", f"{out}/facts-table.{fmt}"])
sys.exit(status)
"""

# Two runs that share nothing but the input.
ENVIRONMENTS = (
    {"PYTHONHASHSEED": "1", "TZ": "UTC", "LC_ALL": "C"},
    {"PYTHONHASHSEED": "4242", "TZ": "Asia/Shanghai", "LC_ALL": "C.UTF-8",
     "SOURCE_DATE_EPOCH": "1700000000"},
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds with one file of each other format, two files that cannot be read and two
    that give the same id to a record (which keeps it must not depend on the order)."""
    folder = tmp_path_factory.mktemp("corpus")
    for path in [*SEEDS.glob("*.txt"), *FIXTURES.iterdir()]:
        shutil.copy(path, folder / path.name)
    (folder / "scan.txt").write_bytes(b"%PDF-1.7\n")
    (folder / "blank.md").write_bytes(b"")
    record = '{"id": "alpha", "text": "Russia holds 2.85 million tons of rare earth reserves."}'
    (folder / "more.jsonl").write_text(record + "\n", "utf-8")
    return folder


def _run(corpus: Path, out: Path, paths: list[str], environment: dict[str, str]) -> None:
    env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    completed = subprocess.run(
        [sys.executable, "-c", CHILD, str(out), *paths],
        env=env | environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]


def test_two_runs_give_byte_identical_files(corpus: Path, tmp_path: Path) -> None:
    files = sorted(str(path) for path in corpus.iterdir())
    first, second = tmp_path / "first", tmp_path / "second"
    # one run reads the folder; the other the files, named in reverse order
    _run(corpus, first, [str(corpus)], ENVIRONMENTS[0])
    _run(corpus, second, files[::-1], ENVIRONMENTS[1])
    # the stamp records the files' inodes and times, which no two runs share: not a report
    names = sorted(path.name for path in first.iterdir() if path.name != STAMP_FILE)
    assert names == sorted(
        ["facts.csv", "findings.csv", "report.json", "report.html"]
        + [f"facts-table.{fmt}" for fmt in FORMATS]
    )
    assert sorted(path.name for path in second.iterdir() if path.name != STAMP_FILE) == names
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert b"scan.txt" in (first / "report.html").read_bytes()  # the problem is listed


# Reading the clock is how a timestamp gets into an output; only the progress bar's
# monotonic clock (never written anywhere) is read.
CLOCK_CALLS = {
    ("datetime", "now"),
    ("datetime", "today"),
    ("datetime", "utcnow"),
    ("date", "today"),
    ("time", "time"),
    ("time", "time_ns"),
    ("time", "localtime"),
    ("time", "gmtime"),
    ("time", "ctime"),
    ("time", "strftime"),
    ("time", "asctime"),
}


# Modules that read the clock for something never written into an output.
CLOCK_ALLOWED = {
    "checker/cache.py": "when a file was indexed and which stale index files to remove: kept in "
    "the cache database and used for housekeeping, never in a report",
}


def test_no_module_reads_the_clock() -> None:
    found = []
    for path in sorted((ROOT / "checker").rglob("*.py")):
        if path.relative_to(ROOT).as_posix() in CLOCK_ALLOWED:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and (node.value.id, node.attr) in CLOCK_CALLS
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []
