"""A file name holding terminal escapes or a line break is shown escaped: it cannot colour the
screen, move the cursor or break a line of the report, and JUnit output stays valid XML."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pytest

from checker import cli

NASTY = "a\x1b[31mred\nline.md"


@pytest.fixture
def nasty(tmp_path: Path) -> Path:
    path = tmp_path / NASTY
    try:
        path.write_text("Acme Corp sold 1.8 million cars in 2023.\n\n"
                        "Acme Corp sold 18 million cars in 2023.\n", "utf-8")
    except OSError:
        pytest.skip("this file system refuses such names")
    return path


def test_the_terminal_report_escapes_a_file_name(
    nasty: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli.main(["report", str(nasty.parent), "--out", str(tmp_path / "out"), "--no-cache"])
    out = capsys.readouterr().out
    assert "\x1b[31mred" not in out and "red\nline" not in out  # raw, it would colour the screen
    assert "a\\x1b" in out  # shown, escaped


def test_junit_stays_valid_xml_with_such_a_draft(
    nasty: Path, capsys: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    cli.main(["review", "--no-config", "--no-cache", str(nasty), "--against", str(nasty),
              "--format", "junit"])
    xml = capsys.readouterr().out
    root = ElementTree.fromstring(xml.encode("utf-8"))  # raises on invalid XML
    assert root.tag == "testsuites" and "\x1b" not in xml
