"""The files of a report: report.json written a record at a time is the document it always was,
and the set of files is replaced whole or not at all."""

from __future__ import annotations

import io
import json
import math
import os
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import IO

import pandas as pd
import pytest
from report_sample import sample_result

import checker
from checker import cli
from checker.claims import coverage
from checker.report import REPORT_FILES, WriteError, write_report
from checker.report.files import write_files
from checker.report.findings import (
    FINDING_COLUMNS,
    REPORT_VERSION,
    findings_csv,
    findings_frame,
    report_document,
    report_json,
    write_report_json,
)
from checker.report.table import COLUMNS, claims_frame, json_records, render, write_claims_csv

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="module")
def seeds_result() -> checker.Result:
    return checker.run([SEEDS])


def with_ties(result: checker.Result) -> checker.Result:
    """The sample's Finding objects (not the one of a later version), one of them a tie."""
    findings = [finding for finding in result.findings if isinstance(finding, checker.Finding)]
    first, second = findings
    return replace(
        result, findings=(replace(first, consensus=0), replace(second, consensus=None))
    )


def framed_bytes(result: checker.Result) -> bytes:
    """report.json as it was made before it was streamed: from the claims' and findings'
    DataFrames, then json.dumps of the whole."""
    covered = coverage(result.claims)
    document = {
        "version": REPORT_VERSION,
        "claims": json_records(claims_frame(result.claims), COLUMNS),
        "findings": json_records(findings_frame(result.findings), FINDING_COLUMNS),
        "coverage": {
            "figures": covered.figures,
            "dates": covered.dates,
            "keyed": covered.keyed,
            "share": round(covered.share, 4),
        },
    }
    return (json.dumps(document, ensure_ascii=False, allow_nan=False, indent=2) + "\n").encode()


def awkward_claims() -> tuple[checker.Claim, ...]:
    """Claims with what CSV and number formatting can trip on."""
    claim = sample_result().claims[0]
    return tuple(
        replace(claim, claim_id=f"x{number}", value=value, low=low, sentence=sentence, title=title)
        for number, (value, low, sentence, title) in enumerate([
            (1e16, -math.inf, 'He said "28.5, not 2.85",\nthen left.', "标题, 带逗号"),
            (5e-324, math.nan, "", '"quoted"'),
            (0.0, 0.0, "zero before minus zero", ""),  # equal numbers, cells of their own
            (0.1 + 0.2, -0.0, "line\r\nbreak", ""),
            (123456789012345678.0, 1.7976931348623157e308, "tab\there", "a;b"),
        ])
    )


@pytest.mark.parametrize("name", ["seeds", "sample", "awkward", "no findings", "nothing"])
def test_streamed_report_json_is_the_document_as_json_dumps_wrote_it(
    name: str, seeds_result: checker.Result
) -> None:
    sample = with_ties(sample_result())
    result = {
        "seeds": seeds_result,
        "sample": sample,
        "awkward": replace(sample, claims=awkward_claims(), findings=()),
        "no findings": replace(sample, findings=()),
        "nothing": replace(sample, claims=(), findings=()),
    }[name]
    written = io.BytesIO()
    write_report_json(result.claims, result.findings, written)
    assert written.getvalue() == framed_bytes(result)
    assert json.loads(written.getvalue()) == report_document(result.claims, result.findings)
    assert report_json(result.claims, result.findings) == written.getvalue()


def test_open_bounds_are_null_and_a_tie_has_no_consensus() -> None:
    result = with_ties(sample_result())
    text = report_json(result.claims, result.findings).decode()
    document = json.loads(text)
    over = next(claim for claim in document["claims"] if claim["surface"] == "over 90%")
    assert over["high"] is None and over["low"] == 90.0
    # An index stays an integer when another finding is a tie; in findings.csv too.
    assert [finding["consensus"] for finding in document["findings"]] == [0, None]
    assert '"consensus": 0,' in text
    table = pd.read_csv(io.BytesIO(findings_csv(result.findings)), dtype=str, keep_default_na=False)
    assert list(table["consensus"]) == ["0", ""]


@pytest.mark.parametrize("name", ["seeds", "sample", "awkward", "nothing"])
def test_facts_csv_is_the_fact_tables_csv(name: str, seeds_result: checker.Result) -> None:
    claims = {
        "seeds": seeds_result.claims,
        "sample": sample_result().claims,
        "awkward": awkward_claims(),
        "nothing": (),
    }[name]
    written = io.BytesIO()
    write_claims_csv(claims, written)
    assert written.getvalue() == render(claims_frame(claims), "csv")
    assert not written.closed  # the caller's file stays open


# --- all or nothing ---


def earlier_report(out: Path) -> dict[str, bytes]:
    out.mkdir(parents=True, exist_ok=True)
    for name in REPORT_FILES:
        (out / name).write_bytes(f"earlier {name}\n".encode())
    return folder_bytes(out)


def folder_bytes(out: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(out.iterdir()) if path.is_file()}


def test_write_report_writes_every_file(tmp_path: Path) -> None:
    result = with_ties(sample_result())
    written = write_report(result, tmp_path / "new" / "reports")
    assert [path.name for path in written] == list(REPORT_FILES)
    out = tmp_path / "new" / "reports"
    assert sorted(path.name for path in out.iterdir()) == sorted(REPORT_FILES)  # no temporary
    # report.json is the findings document, then what the page shows beside the findings.
    written_json, findings_json = (out / "report.json").read_bytes(), report_json(
        result.claims, result.findings
    )
    assert written_json.startswith(findings_json[: -len(b"\n}\n")] + b',\n  "agreements": ')
    assert list(json.loads(written_json)) == [*json.loads(findings_json), "agreements",
                                              "timelines", "run"]
    assert (out / "facts.csv").read_bytes().startswith(b"claim_id,doc_id,")


def test_a_folder_in_the_way_replaces_nothing(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    before = earlier_report(out)
    (out / "report.html").unlink()
    (out / "report.html").mkdir()  # renaming a file over it would fail
    del before["report.html"]
    with pytest.raises(WriteError) as raised:
        write_report(with_ties(sample_result()), out)
    assert raised.value.filename == str(out / "report.html")
    assert raised.value.strerror == "Is a directory"
    assert folder_bytes(out) == before  # the earlier files, and no temporary
    assert sorted(path.name for path in out.iterdir()) == sorted(REPORT_FILES)


def test_an_error_while_writing_replaces_nothing(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    before = earlier_report(out)

    def full(handle: object) -> None:
        raise OSError(28, "No space left on device")

    writers = {
        out / "facts.csv": lambda handle: handle.write(b"new facts\n"),
        out / "report.json": full,
        out / "report.html": lambda handle: handle.write(b"new page\n"),
    }
    with pytest.raises(WriteError) as raised:
        write_files(writers)
    assert raised.value.filename == str(out / "report.json")
    assert raised.value.strerror == "No space left on device"
    assert folder_bytes(out) == before


def test_an_interrupt_while_writing_replaces_nothing(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    before = earlier_report(out)

    def interrupted(handle: object) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_files({out / "facts.csv": lambda h: h.write(b"new\n"), out / "x": interrupted})
    assert folder_bytes(out) == before


def writes_pid(handle: IO[bytes]) -> None:
    handle.write(str(os.getpid()).encode())


on_linux = pytest.mark.skipif(sys.platform != "linux", reason="files are written apart on Linux")


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files apart are written by a fork even though an earlier test left a thread waiting
    (Dask keeps one for the life of the process); the test below checks the rule itself."""
    import checker.report.files as files

    monkeypatch.setattr(files, "_can_fork", lambda: True)


@on_linux
@pytest.mark.usefixtures("forks")
def test_a_file_apart_is_written_by_another_process(tmp_path: Path) -> None:
    here, apart = tmp_path / "facts.csv", tmp_path / "report.html"
    write_files({here: writes_pid, apart: writes_pid}, apart=[apart])
    assert here.read_text() == str(os.getpid())
    assert apart.read_text() not in ("", str(os.getpid()))
    assert sorted(path.name for path in tmp_path.iterdir()) == ["facts.csv", "report.html"]


def test_a_file_apart_is_written_here_while_other_threads_run(tmp_path: Path) -> None:
    """A fork copies only its own thread: with another running, nothing is written apart."""
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        write_files({tmp_path / "report.html": writes_pid}, apart=[tmp_path / "report.html"])
    finally:
        stop.set()
        other.join()
    assert (tmp_path / "report.html").read_text() == str(os.getpid())


def full(handle: object) -> None:
    raise OSError(28, "No space left on device")


def killed(handle: object) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


@on_linux
@pytest.mark.usefixtures("forks")
@pytest.mark.parametrize(("writer", "reason"), [
    (full, "No space left on device"),
    (killed, "its writer ended with exit code -9"),
])
def test_a_file_apart_that_fails_is_named_and_replaces_nothing(
    tmp_path: Path, writer: Callable[[object], None], reason: str
) -> None:
    out = tmp_path / "reports"
    before = earlier_report(out)
    parent = os.getpid()

    def apart(handle: object) -> None:
        assert os.getpid() != parent, "written here, not apart"  # killed would end the tests
        writer(handle)

    with pytest.raises(WriteError) as raised:
        write_files({out / "facts.csv": writes_pid, out / "report.html": apart},
                    apart=[out / "report.html"])
    assert raised.value.filename == str(out / "report.html")
    assert raised.value.strerror == reason
    assert folder_bytes(out) == before


@on_linux
@pytest.mark.usefixtures("forks")
def test_a_bug_apart_is_raised_here_with_where_it_was_raised(tmp_path: Path) -> None:
    def broken(handle: object) -> None:
        raise ValueError("no such view")

    with pytest.raises(ValueError, match="no such view") as raised:
        write_files({tmp_path / "report.html": broken}, apart=[tmp_path / "report.html"])
    assert "in broken" in raised.value.__notes__[0]
    assert list(tmp_path.iterdir()) == []


def test_the_command_names_the_file_and_keeps_the_earlier_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "reports"
    before = earlier_report(out)
    (out / "report.html").unlink()
    (out / "report.html").mkdir()
    del before["report.html"]
    one_seed = sorted(SEEDS.glob("*.txt"))[0]
    assert cli.main(["report", str(one_seed), "--out", str(out), "--quiet"]) == cli.EXIT_OUTPUT
    assert capsys.readouterr().err == (
        f"numcheck: error: cannot write {out / 'report.html'}: Is a directory\n"
    )
    assert folder_bytes(out) == before


def test_a_failed_clean_up_does_not_hide_why_writing_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a read-only folder even removing the temporaries fails: the error says why writing
    failed, not why the clean-up did."""
    from checker.report.files import WriteError, write_files

    def refuse(self: Path, missing_ok: bool = False) -> None:
        raise OSError(30, "Read-only file system")

    def broken(handle: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "unlink", refuse)
    with pytest.raises(WriteError) as raised:
        write_files({tmp_path / "a.csv": broken})
    assert "No space left" in str(raised.value.strerror)


def test_temporaries_a_killed_run_left_are_removed_later(tmp_path: Path) -> None:
    import os

    from checker.report.files import STALE_SECONDS, write_files

    old = tmp_path / ".report.html.0123456789ab.tmp"
    young = tmp_path / ".report.html.ba9876543210.tmp"
    mine = tmp_path / "notes.tmp"
    for path in (old, young, mine):
        path.write_text("half", "utf-8")
    long_ago = os.stat(old).st_mtime - STALE_SECONDS - 10
    os.utime(old, (long_ago, long_ago))
    os.utime(mine, (long_ago, long_ago))
    write_files({tmp_path / "a.csv": lambda handle: handle.write(b"x\n")})
    assert not old.exists() and young.exists() and mine.exists()


def test_the_page_and_findings_csv_are_written_as_they_are_made(
    seeds_result: checker.Result, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """write_report never holds report.html or findings.csv whole in memory (a page of 69,000
    findings made as one string and then as bytes took 1.4 GB), and writes the same bytes."""
    import checker.report.findings as findings_module
    import checker.report.html as html_module

    page = html_module.render_html(seeds_result).encode("utf-8")
    table = findings_module.findings_csv(seeds_result.findings)

    def whole(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("made whole in memory")

    monkeypatch.setattr(html_module, "render_html", whole)
    monkeypatch.setattr(findings_module, "findings_csv", whole)
    write_report(seeds_result, tmp_path)
    assert (tmp_path / "report.html").read_bytes() == page
    assert (tmp_path / "findings.csv").read_bytes() == table


def test_the_terminal_summary_lists_the_first_findings_and_a_sides_first_figures(
    seeds_result: checker.Result, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A summary, not the report: past its limits it says how many more there are."""
    from rich.console import Console

    from checker.report import terminal

    def printed() -> str:
        console = Console(file=io.StringIO(), width=200, color_system=None)
        terminal.print_summary(terminal.Summary.of(seeds_result, findings=True), console)
        return console.file.getvalue()  # type: ignore[attr-defined]

    assert "more finding" not in printed()
    assert printed().count("why compared:") == len(seeds_result.findings) >= 2
    monkeypatch.setattr(terminal, "_MAX_FINDINGS", 1)
    monkeypatch.setattr(terminal, "_MAX_CLAIMS_PER_SIDE", 1)
    text = printed()
    hidden = len(seeds_result.findings) - 1
    assert f"… and {hidden:,} more finding{'s' if hidden != 1 else ''}" in text
    assert text.count("why compared:") == 1
    wide = [side for side in seeds_result.findings[0].sides if len(side) > 1]
    assert wide and text.count("more on this side") == len(wide)


def test_the_terminal_summary_reads_back_as_it_was_written(seeds_result: checker.Result) -> None:
    """A report folder's stamp keeps the summary as JSON; read back, it is the same summary."""
    from checker.models import Problem
    from checker.report.terminal import Summary

    warned = replace(seeds_result, problems=(Problem("scan.txt", "binary file", 3, ("PDF",)),))
    shown = Summary.of(warned, findings=True)
    assert shown.findings and shown.problems and shown.by_document
    assert Summary.from_json(json.loads(json.dumps(shown.to_json()))) == shown
    with pytest.raises(KeyError):
        Summary.from_json({})
