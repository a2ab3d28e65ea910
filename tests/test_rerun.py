"""`numcheck report` run again over the same input, with a cache folder, keeps the report the
last run wrote (checker.report.folder's stamp): it prints and leaves what a full run would,
and anything that could change the report makes a full run."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import checker.cache
import checker.pipeline
from checker import cli
from checker.report import REPORT_FILES
from checker.report.folder import STAMP_FILE

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Three seed articles, the seeds' numcheck.toml (the rare-earths pack) and a file that
    cannot be read, so that a run has a warning to give."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in [*sorted(SEEDS.glob("*.txt"))[:3], SEEDS / "numcheck.toml"]:
        shutil.copy(path, folder / path.name)
    (folder / "scan.txt").write_bytes(b"%PDF-1.7\n")
    return folder


@pytest.fixture
def report(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> Run:
    """`numcheck report CORPUS --out OUT --cache-dir CACHE --quiet ARGS...`: exit code,
    stdout, stderr."""

    def run_report(*args: str, out: Path = tmp_path / "out") -> tuple[int, str, str]:
        capsys.readouterr()
        code = cli.main(["report", str(corpus), "--out", str(out), "--quiet",
                         "--cache-dir", str(tmp_path / "cache"), *args])
        printed = capsys.readouterr()
        return code, printed.out, printed.err

    return run_report


def written(out: Path) -> dict[str, tuple[int, int]]:
    """Each report file's inode and time: a file written again has another inode."""
    return {name: (os.stat(out / name).st_ino, os.stat(out / name).st_mtime_ns)
            for name in REPORT_FILES}


def contents(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in REPORT_FILES}


def test_a_rerun_with_nothing_changed_keeps_the_report_and_its_warnings(
    report: Run, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = report()
    assert first[0] == 0 and "scan.txt" in first[2]  # the warning about the unreadable file
    before, states = contents(out), written(out)
    assert report() == first
    assert written(out) == states  # not written again
    assert contents(out) == before


def test_a_rerun_with_nothing_changed_reads_no_facts(
    report: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report is kept before a claim is read: reading a corpus's facts back takes seconds
    at 100,000 files."""
    report()
    read: list[object] = []
    placed = checker.cache.placed_facts
    monkeypatch.setattr(checker.cache, "placed_facts",
                        lambda files: read.append(files) or placed(files))
    assert report()[0] == 0
    assert read == []


def test_a_kept_report_is_what_a_full_run_writes_and_prints(
    report: Run, corpus: Path, tmp_path: Path
) -> None:
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    report("--format", "json")
    states = written(out)
    kept = report("--format", "json")
    assert written(out) == states
    full = report("--format", "json", "--no-cache", out=fresh)
    assert kept == full
    assert contents(out) == contents(fresh)
    assert kept[1].startswith("{")  # report.json, printed from the kept file


def test_a_text_report_kept_prints_what_the_full_run_printed(
    report: Run, corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The summary a full run printed is in the stamp: a text run over the same input prints it
    again from there, its report files named as kept."""

    def text_run(out: Path, *args: str) -> str:
        capsys.readouterr()
        code = cli.main(["report", str(corpus), "--out", str(out), "--cache-dir",
                         str(tmp_path / "cache"), *args])
        assert code == 0
        return capsys.readouterr().out

    def words(text: str, out: Path) -> str:  # long paths wrap anywhere at the terminal's width
        return "".join(text.replace("Wrote ", "Kept ").split()).replace(
            "".join(str(out).split()), "OUT")

    out = tmp_path / "out"
    full = text_run(out)
    assert "Findings:" in full and "why compared:" in full and "Wrote" in full
    states = written(out)
    kept = text_run(out)
    assert written(out) == states  # nothing read back, nothing written
    assert "Kept" in kept and "Wrote" not in kept and words(kept, out) == words(full, out)
    report()  # a quiet run keeps them too
    assert written(out) == states
    fresh = tmp_path / "fresh"
    assert words(text_run(fresh, "--no-cache"), fresh) == words(kept, out)


@pytest.mark.parametrize("change", [
    "an article edited", "an article added", "an article removed", "the pack file edited",
    "the corpus's pack dropped", "the numcheck version", "the rules", "the format", "no cache",
    "a report file edited", "a report file removed", "the stamp damaged",
])
def test_a_change_makes_a_full_run(
    change: str, report: Run, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    pack = tmp_path / "pack.toml"
    pack.write_text('[entity.lanthanum_land]\nlabel = "Lanthanum Land"\nkind = "country"\n'
                    'aliases = ["Lanthanum Land"]\n', "utf-8")
    report("--lexicon", str(pack))
    states = written(out)
    args = ["--lexicon", str(pack)]
    first = corpus / sorted(path.name for path in corpus.glob("0*.txt"))[0]
    if change == "an article edited":
        first.write_text(first.read_text("utf-8").replace("%", " percent", 1), "utf-8")
    elif change == "an article added":
        shutil.copy(SEEDS / sorted(path.name for path in SEEDS.glob("*.txt"))[3], corpus)
    elif change == "an article removed":
        first.unlink()
    elif change == "the pack file edited":
        pack.write_text(pack.read_text("utf-8") + "# another version\n", "utf-8")
    elif change == "the corpus's pack dropped":
        (corpus / "numcheck.toml").unlink()
    elif change == "the numcheck version":
        monkeypatch.setattr(checker.cache, "__version__", "99.0")
    elif change == "the rules":  # rules/ is in the fingerprint (test_cache)
        fingerprint = checker.pipeline.fingerprint
        monkeypatch.setattr(checker.pipeline, "fingerprint",
                            lambda *given: fingerprint(*given) + "-other-rules")
    elif change == "the format":
        args += ["--format", "json"]
    elif change == "no cache":
        args += ["--no-cache"]
    elif change == "a report file edited":
        with (out / "facts.csv").open("a", encoding="utf-8") as handle:
            handle.write("an edit\n")
    elif change == "a report file removed":
        (out / "report.html").unlink()
    elif change == "the stamp damaged":
        (out / STAMP_FILE).write_text("{", "utf-8")
    edited = contents(out) if change == "a report file edited" else None
    code, _, _ = report(*args)
    assert code == 0
    renewed = written(out)
    assert all(renewed[name] != states[name] for name in REPORT_FILES)  # all written again
    if edited is not None:
        assert contents(out) != edited  # the edit is undone


def test_the_digest_of_a_run_is_that_of_its_input(corpus: Path, tmp_path: Path) -> None:
    one = checker.pipeline.run([corpus], cache_dir=tmp_path / "one")
    other = checker.pipeline.run([corpus], cache_dir=tmp_path / "other")
    assert one.made_from and one.made_from == other.made_from  # whichever index read it
    assert checker.pipeline.run([corpus]).made_from == ""  # no cache folder: never kept
    blocker = tmp_path / "a-file"
    blocker.write_text("where the cache folder should be", "utf-8")
    fallen_back = checker.pipeline.run([corpus], cache_dir=blocker)
    assert "cache not used" in str(fallen_back.problems) and fallen_back.made_from == ""
    article = sorted(corpus.glob("0*.txt"))[0]
    article.write_text(article.read_text("utf-8") + "\nIt sold 7 tons.\n", "utf-8")
    assert checker.pipeline.run([corpus], cache_dir=tmp_path / "one").made_from != one.made_from
