"""A folder of bad input through the command: each bad file is named in one warning with its
reason (and line), the good files, and the good parts of partly bad ones, are still checked."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
import pytest

from checker import cli

CHINESE = "中国控制了全球70%的稀土开采，俄罗斯储量约2.85万吨。\n"


def troubleshooting_stem(message: str) -> str:
    """The words of a message that do not change with its file: before the first number,
    quote, colon or parenthesis (after a leading count)."""
    return re.split(r"[\d('\":]", re.sub(r"^\d+ ", "", message), maxsplit=1)[0].strip()


def troubleshooting() -> str:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    section = readme.split("\n## Troubleshooting\n", 1)[1]
    return section.split("\n## ", 1)[0]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NUMCHECK_MAX_FILE_MB", "0.2")  # 200 kB stands for 10 MB, in less time
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "good.txt").write_text("Russia holds 28.5 million tons of reserves.", "utf-8")
    (folder / "paper.txt").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    (folder / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (folder / "gbk.txt").write_bytes(CHINESE.encode("gbk"))
    (folder / "utf16.md").write_bytes(CHINESE.encode("utf-16"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "cut.txt").write_bytes(CHINESE.encode() + b"\xff" + CHINESE.encode())
    (folder / "huge.txt").write_text("Output rose 5%.\n" * 16_000, "utf-8")  # 256 kB
    depth = 10_000
    (folder / "deep.html").write_text("<div>" * depth + "Exports fell 34%." + "</div>" * depth)
    (folder / "records.jsonl").write_text(
        '{"text": "Output rose 7%."}\n{"text": \n[1, 2]\n{"text": "Prices rose 9%."}\n', "utf-8"
    )
    try:
        os.symlink("loop.txt", folder / "loop.txt")
    except OSError:
        pytest.skip("no symlinks here")
    return folder


def test_each_bad_file_is_one_warning_and_the_rest_is_checked(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    missing = folder / "missing.txt"
    assert cli.main(["report", str(folder), str(missing), "--out", str(out), "--quiet"]) == 0
    prefix = f"numcheck: warning: {folder}/"
    warnings = capsys.readouterr().err.splitlines()
    assert all(line.startswith(prefix) for line in warnings), warnings
    reasons = {line[len(prefix) :].split(": ", 1)[0]: line.split(": ", 3)[3] for line in warnings}
    assert reasons == {
        "paper.txt": "binary file (PDF), not text",
        "image.html": "binary file (PNG image), not text",
        "empty.txt": "empty file",
        "cut.txt:2": "1 byte sequence not valid UTF-8, read as U+FFFD (the first on line 2)",
        "huge.txt": "file too large (0.3 MB, the limit is 0.2 MB): split it, or raise the "
        "limit with NUMCHECK_MAX_FILE_MB=<megabytes>",
        "records.jsonl:2": "invalid JSON: Expecting value (column 10)",
        "records.jsonl:3": "an article must be a JSON object",
        "loop.txt": "symbolic link loop",
        "missing.txt": "no such file or directory",
    }
    section = troubleshooting()
    for reason in reasons.values():  # every warning is explained in the README
        assert len(troubleshooting_stem(reason)) > 5 and troubleshooting_stem(reason) in section
    facts = pd.read_csv(out / "facts.csv", keep_default_na=False)
    read = {(Path(row.path).name, row.surface) for row in facts.itertuples()}
    assert {
        ("good.txt", "28.5 million tons"),
        ("gbk.txt", "约2.85万吨"),
        ("utf16.md", "约2.85万吨"),
        ("cut.txt", "约2.85万吨"),
        ("deep.html", "34%"),
        ("records.jsonl", "7%"),
        ("records.jsonl", "9%"),
    } <= read
    assert "huge.txt" not in {name for name, _ in read}


def test_nothing_readable_exits_2_naming_the_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "paper.txt").write_bytes(b"%PDF-1.7\n")
    (tmp_path / "empty.md").write_bytes(b"")
    assert cli.main(["extract", str(tmp_path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[:2] == [
        f"numcheck: warning: {tmp_path}/empty.md: empty file",
        f"numcheck: warning: {tmp_path}/paper.txt: binary file (PDF), not text",
    ]
    assert err[2] == f"numcheck: error: no documents could be read from {tmp_path}"
    assert troubleshooting_stem("no documents could be read from") in troubleshooting()


def test_a_run_of_digits_does_not_end_the_run(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Output rose 5%.", "utf-8")
    (tmp_path / "digits.txt").write_text("Serial " + "7" * 4_301 + ".", "utf-8")
    assert cli.main(["extract", str(tmp_path), "--out", str(tmp_path / "facts.csv")]) == 0


def test_an_article_that_breaks_extraction_is_a_warning(tmp_path: Path, monkeypatch) -> None:
    from checker.extraction import Extractor
    from checker.pipeline import run

    (tmp_path / "good.txt").write_text("Output rose 5%.", "utf-8")
    (tmp_path / "bad.txt").write_text("Output rose 7%.", "utf-8")
    mentions = Extractor.mentions

    def fragile(self, text, lang=None, reference=None):
        if "7%" in text:
            raise RuntimeError("boom")
        return mentions(self, text, lang, reference)

    monkeypatch.setattr(Extractor, "mentions", fragile)
    result = run([tmp_path])
    assert [c.surface for c in result.claims] == ["5%"]
    (problem,) = result.problems
    assert problem.path.endswith("bad.txt") and "RuntimeError: boom" in problem.reason
