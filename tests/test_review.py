"""numcheck review: drafts against a corpus, a reference table and themselves, like a linter.

The golden cases are in tests/fixtures/review/cases.json; this module runs them and tests the
exit codes, --fail-on, --select/--ignore, suppression comments, the baseline and the reference
table through the command line.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from checker import cli
from checker import review as review_module
from checker.review import ReviewOptions, review, review_rules

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "review"
CASES = json.loads((FIXTURES / "cases.json").read_text("utf-8"))["cases"]
SLIP = FIXTURES / "slip.md"
WIRE = FIXTURES / "corpus"


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    def json(self) -> dict[str, Any]:
        return json.loads(self.out)


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for the session: entries are keyed by content, so sharing it is safe."""
    return tmp_path_factory.mktemp("numcheck-cache")


@pytest.fixture(autouse=True)
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Case paths are relative to the repository root; CI's CI=true is set per test."""
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("CI", raising=False)


@pytest.fixture
def numcheck(capsysbinary: pytest.CaptureFixture[bytes], cache_dir: Path) -> Any:
    def run(*args: str | Path) -> Run:
        argv = ["review", "--no-config", "--cache-dir", str(cache_dir), *map(str, args)]
        code = cli.main(argv)
        captured = capsysbinary.readouterr()
        return Run(code, captured.out.decode("utf-8"), captured.err.decode("utf-8"))

    return run


def _found(document: dict[str, Any]) -> list[tuple[str, int, int]]:
    return sorted((f["code"], f["line"], f["col"]) for f in document["findings"])


# ---------------------------------------------------------------------------------------------
# golden cases


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_case(case: dict[str, Any], numcheck: Any) -> None:
    result = numcheck(case["draft"], "--against", *case["against"], "--format", "json")
    assert result.code == case["exit"], result.out + result.err
    document = result.json()
    expected = sorted((f["code"], f["line"], f["col"]) for f in case["findings"])
    assert _found(document) == expected
    claims = {claim["claim_id"]: claim for claim in document["claims"]}
    lines = (ROOT / case["draft"]).read_text("utf-8").splitlines()
    for want in case["findings"]:
        place = (want["code"], want["line"], want["col"])
        found = next(f for f in document["findings"] if (f["code"], f["line"], f["col"]) == place)
        assert found["severity"] == want["severity"]
        assert found["path"] == case["draft"]
        # the line and column point at the figure in the draft file as written
        assert lines[want["line"] - 1][want["col"] - 1:].startswith(want["figure"])
        if "cites" in want:
            cited = [claims[cid] for cid in found["claim_ids"] if cid in claims]
            assert any(
                c["origin"] == "corpus"
                and c["path"].endswith(want["cites"]["path"])
                and want["cites"]["title"] in c["title"]
                and c["surface"] == want["cites"]["surface"]
                for c in cited
            ), cited


def test_the_slip_named_in_the_issue_via_a_real_process(cache_dir: Path) -> None:
    """`numcheck review` as CI runs it: a ×10 slip exits 1 at its line and column and names the
    seed article; the figure restated in other words or units exits 0."""
    command = [sys.executable, "-m", "checker", "review", "--no-config", "--cache-dir",
               str(cache_dir)]
    slipped = subprocess.run([*command, str(SLIP.relative_to(ROOT))], capture_output=True,
                             text=True, cwd=ROOT, check=False)
    assert slipped.returncode == 1, slipped.stderr
    first = slipped.stdout.splitlines()[0]
    assert first.startswith("tests/fixtures/review/slip.md:3:32: NC102 error ")
    assert "003_bbf5dcb64bd24d90.txt" in slipped.stdout
    assert "澳大利亚刚拿中国3亿订单" in slipped.stdout  # the seed article's title
    assert "2025-09-27" in slipped.stdout  # and its date
    assert "consensus 540,000 tons (1 outlet: Sou Hu Cai Jing)" in slipped.stdout
    for restated in ("restated_thousand.md", "restated_wan.md"):
        fine = subprocess.run([*command, str((FIXTURES / restated).relative_to(ROOT))],
                              capture_output=True, text=True, cwd=ROOT, check=False)
        assert fine.returncode == 0, fine.stdout + fine.stderr
        assert fine.stdout.startswith("No findings in 1 draft")


def test_only_findings_involving_the_draft_are_reported(numcheck: Any) -> None:
    """The seeds disagree among themselves in several places; a draft about something else
    gets none of it."""
    from checker.pipeline import run

    assert run([ROOT / "seeds"]).findings  # the corpus has disagreements of its own
    result = numcheck(FIXTURES / "restated_thousand.md", "--format", "json")
    assert result.code == 0
    assert result.json()["findings"] == []


def test_a_draft_inside_the_corpus_is_not_its_own_source(tmp_path: Path, numcheck: Any) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(ROOT / "seeds" / "003_bbf5dcb64bd24d90.txt", corpus)
    shutil.copy(ROOT / "seeds" / "numcheck.toml", corpus)  # its pack
    draft = corpus / "draft.md"
    shutil.copy(SLIP, draft)
    document = numcheck(draft, "--against", corpus, "--format", "json").json()
    assert [f["code"] for f in document["findings"]] == ["NC102"]
    origins = {c["path"]: c["origin"] for c in document["claims"]}
    assert origins[draft.as_posix()] == "draft"


def test_drafts_are_reviewed_alone(numcheck: Any) -> None:
    """What a draft is told does not depend on the other drafts of the run (pre-commit passes
    only the changed files)."""
    alone = numcheck(SLIP, "--format", "json").json()["findings"]
    together = numcheck(SLIP, FIXTURES / "restated_wan.md", FIXTURES / "self.md", "--format",
                        "json").json()["findings"]
    assert [f for f in together if f["path"] == alone[0]["path"]] == alone
    assert not [f for f in together if f["path"].endswith("restated_wan.md")]


def test_a_draft_on_stdin(cache_dir: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "checker", "review", "--no-config", "--cache-dir", str(cache_dir),
         "-", "--stdin-filename", "pasted.md"],
        input=SLIP.read_bytes(), capture_output=True, cwd=ROOT, check=False,
    )
    assert completed.returncode == 1
    assert completed.stdout.decode().startswith("pasted.md:3:32: NC102 error")


# ---------------------------------------------------------------------------------------------
# exit codes and --fail-on


def test_exit_0_1_and_fail_on(numcheck: Any) -> None:
    assert numcheck(SLIP).code == 1  # an error; default --fail-on warning
    assert numcheck(SLIP, "--fail-on", "error").code == 1
    assert numcheck(SLIP, "--fail-on", "never").code == 0
    agrees = FIXTURES / "agrees.md"  # only an info finding
    assert numcheck(agrees, "--against", WIRE).code == 0
    assert numcheck(agrees, "--against", WIRE, "--fail-on", "info").code == 1
    self_draft = FIXTURES / "self.md"  # warnings only
    assert numcheck(self_draft, "--against", WIRE).code == 1
    assert numcheck(self_draft, "--against", WIRE, "--fail-on", "error").code == 0


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--select", "NC999"], "NC999"),
        (["--ignore", "NC1,XX7"], "XX7"),
        (["--against", "no/such/corpus"], "no/such/corpus"),
        (["--reference", FIXTURES / "reference_missing.csv"], "reference_missing.csv:1"),
        (["--reference", FIXTURES / "reference_bad_value.csv"], "reference_bad_value.csv:3"),
        (["--update-baseline"], "--baseline"),
        (["--config", "no-such-config.toml"], "no-such-config.toml"),
        (["--format", "yaml"], "yaml"),
    ],
    ids=["unknown select", "unknown ignore", "missing corpus", "reference columns",
         "reference value", "update without baseline", "missing config", "unknown format"],
)
def test_exit_2_names_the_problem(args: list[Any], named: str, numcheck: Any) -> None:
    result = numcheck(SLIP, *args)
    assert result.code == 2
    assert named in result.err


def test_exit_2_for_a_draft_that_cannot_be_read(tmp_path: Path, numcheck: Any) -> None:
    missing = numcheck(tmp_path / "nowhere.md")
    assert missing.code == 2 and "nowhere.md" in missing.err
    binary = tmp_path / "scan.md"
    binary.write_bytes(b"%PDF-1.4\x00\x01\x02")
    unreadable = numcheck(binary)
    assert unreadable.code == 2 and "scan.md" in unreadable.err and "binary" in unreadable.err


def test_a_missing_reference_column_is_named(numcheck: Any) -> None:
    result = numcheck(SLIP, "--reference", FIXTURES / "reference_missing.csv")
    assert "missing columns scope, unit, url" in result.err


def test_exit_2_when_the_tool_fails(monkeypatch: pytest.MonkeyPatch, numcheck: Any) -> None:
    """Exit 1 means findings; a crash must not be mistaken for them."""
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(review_module, "review", broken)
    result = numcheck(SLIP)
    assert result.code == 2
    assert "internal error: RuntimeError: disk on fire" in result.err


# ---------------------------------------------------------------------------------------------
# --select and --ignore


def test_select_and_ignore_codes_and_prefixes(numcheck: Any) -> None:
    assert numcheck(SLIP, "--select", "NC101").code == 0
    assert numcheck(SLIP, "--select", "NC10").code == 1  # a prefix
    assert numcheck(SLIP, "--ignore", "NC102").code == 0
    assert numcheck(SLIP, "--select", "NC1", "--ignore", "NC102,NC103").code == 0
    assert numcheck(SLIP, "--select", "nc102").code == 1  # codes are not case-sensitive


# ---------------------------------------------------------------------------------------------
# suppression comments


def test_a_comment_on_the_line_before_or_the_same_line_suppresses(
    tmp_path: Path, numcheck: Any
) -> None:
    suppressed = FIXTURES / "suppressed.md"
    result = numcheck(suppressed, "--format", "json")
    assert result.code == 0
    document = result.json()
    assert document["findings"] == []
    assert document["summary"]["suppressed"] == 2
    # the same draft without its comments has the two findings the comments silenced
    bare = tmp_path / "suppressed.md"
    bare.write_text("\n".join(
        line.split("<!--")[0].rstrip() for line in suppressed.read_text("utf-8").splitlines()
    ) + "\n", "utf-8")
    found = numcheck(bare, "--format", "json").json()
    assert _found(found) == [("NC102", 4, 32), ("NC201", 6, 34)]


def test_a_comment_in_an_html_draft(tmp_path: Path, numcheck: Any) -> None:
    page = (FIXTURES / "slip.html").read_text("utf-8")
    draft = tmp_path / "page.html"
    draft.write_text(page.replace("<p>Australia", "<!-- numcheck: ignore NC102 -->\n<p>Australia"),
                     "utf-8")
    result = numcheck(draft, "--format", "json")
    assert result.code == 0
    assert result.json()["summary"]["suppressed"] == 1


def test_colour_only_when_asked_or_on_a_terminal(numcheck: Any) -> None:
    assert "\x1b[" not in numcheck(SLIP).out  # piped: plain
    assert "\x1b[1;31merror\x1b[0m" in numcheck(SLIP, "--color", "always").out


def test_a_suppression_names_its_code(tmp_path: Path, numcheck: Any) -> None:
    draft = tmp_path / "other_code.md"
    draft.write_text(SLIP.read_text("utf-8").replace(
        "Australia", "<!-- numcheck: ignore NC101 --> Australia"), "utf-8")
    document = numcheck(draft, "--format", "json").json()
    assert sorted(f["code"] for f in document["findings"]) == ["NC102", "NC301"]


def test_the_comment_is_not_read_as_a_figure(numcheck: Any) -> None:
    document = numcheck(FIXTURES / "NC301.md", "--format", "json").json()
    surfaces = [c["surface"] for c in document["claims"] if c["origin"] == "draft"]
    assert surfaces == ["540,000 tons"]


def test_an_unused_suppression_is_reported(numcheck: Any) -> None:
    result = numcheck(FIXTURES / "NC301.md", "--format", "json")
    assert result.code == 0  # info: below the default --fail-on
    (finding,) = result.json()["findings"]
    assert (finding["code"], finding["severity"], finding["line"], finding["col"]) == (
        "NC301", "info", 3, 1)
    assert "NC102" in finding["message"]
    assert numcheck(FIXTURES / "NC301.md", "--fail-on", "info").code == 1
    assert numcheck(FIXTURES / "NC301.md", "--ignore", "NC301").code == 0
    used = numcheck(FIXTURES / "NC301.ok.md", "--format", "json").json()
    assert used["findings"] == [] and used["summary"]["suppressed"] == 1


def test_an_unknown_code_in_a_comment_is_reported(tmp_path: Path, numcheck: Any) -> None:
    draft = tmp_path / "typo.md"
    draft.write_text("# Typo\n\n<!-- numcheck: ignore NC120 -->\nNothing here.\n", "utf-8")
    (finding,) = numcheck(draft, "--format", "json").json()["findings"]
    assert finding["code"] == "NC301" and "unknown code NC120" in finding["message"]


def test_a_comment_for_an_unselected_code_is_not_blamed(numcheck: Any) -> None:
    document = numcheck(FIXTURES / "NC301.md", "--ignore", "NC102", "--format", "json").json()
    assert document["findings"] == []


def test_a_comment_in_one_draft_does_not_silence_another(tmp_path: Path, numcheck: Any) -> None:
    other = tmp_path / "other.md"
    shutil.copy(SLIP, other)
    document = numcheck(FIXTURES / "NC301.ok.md", other, "--format", "json").json()
    assert sorted(f["path"] for f in document["findings"] if f["code"] == "NC102") == [
        other.as_posix()]


# ---------------------------------------------------------------------------------------------
# the baseline


def test_the_baseline_records_then_reports_only_new_findings(
    tmp_path: Path, numcheck: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = tmp_path / "draft.md"
    shutil.copy(SLIP, draft)
    baseline = tmp_path / "numcheck-baseline.json"
    first = numcheck(draft, "--baseline", baseline)
    assert first.code == 0  # today's findings are recorded, not reported
    assert "wrote the baseline" in first.err
    recorded = json.loads(baseline.read_text("utf-8"))
    assert [entry["code"] for entry in recorded["findings"]] == ["NC102"]
    assert recorded["findings"][0]["draft"] == "5.4 million tons"
    again = numcheck(draft, "--baseline", baseline)
    assert again.code == 0 and "1 already in the baseline" in again.out
    # unrelated edits move the figure; its finding is still the baselined one
    draft.write_text("# A new headline\n\nAn added paragraph.\n\n" + SLIP.read_text("utf-8")
                     .replace("# Canola and rare earths\n", ""), "utf-8")
    assert numcheck(draft, "--baseline", baseline).code == 0
    # a new slip is new
    with draft.open("a", encoding="utf-8") as handle:
        handle.write("\nLater, Australia is preparing to ship 60,000 tons of canola to China.\n")
    new = numcheck(draft, "--baseline", baseline, "--format", "json")
    assert new.code == 1
    figures = [f["draft_figures"] for f in new.json()["findings"]]
    assert figures and all("60,000 tons" in shown for shown in figures)
    assert new.json()["summary"]["baselined"] == 1
    assert numcheck(draft, "--baseline", baseline, "--update-baseline").code == 0
    assert numcheck(draft, "--baseline", baseline).code == 0


def test_a_baseline_entry_covers_one_occurrence(tmp_path: Path, numcheck: Any) -> None:
    draft = tmp_path / "draft.md"
    shutil.copy(SLIP, draft)
    baseline = tmp_path / "baseline.json"
    assert numcheck(draft, "--baseline", baseline).code == 0
    with draft.open("a", encoding="utf-8") as handle:
        handle.write("\nAgain: Australia is preparing to ship 5.4 million tons of canola to "
                     "China.\n")
    assert numcheck(draft, "--baseline", baseline).code == 1


def test_a_missing_baseline_is_not_created_in_ci(
    tmp_path: Path, numcheck: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", "true")
    baseline = tmp_path / "baseline.json"
    result = numcheck(SLIP, "--baseline", baseline)
    assert result.code == 2 and "--update-baseline" in result.err
    assert not baseline.exists()
    assert numcheck(SLIP, "--baseline", baseline, "--update-baseline").code == 0
    assert numcheck(SLIP, "--baseline", baseline).code == 0


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("{not json", "not valid JSON"),
        ("[" * 100_000, "nested too deeply"),
        ('{"version": true, "findings": []}', "not a numcheck baseline"),
        ('{"version": 1.0, "findings": []}', "not a numcheck baseline"),
    ],
)
def test_a_broken_baseline_is_exit_2(tmp_path: Path, numcheck: Any, text: str, says: str) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text(text, "utf-8")
    result = numcheck(SLIP, "--baseline", baseline)
    assert result.code == 2 and "baseline.json" in result.err and says in result.err
    assert "Traceback" not in result.err


# ---------------------------------------------------------------------------------------------
# the reference table


def test_a_finding_cites_the_reference(tmp_path: Path, numcheck: Any) -> None:
    empty = tmp_path / "empty-corpus"
    empty.mkdir()
    (empty / "note.txt").write_text("Nothing about canola here.\n", "utf-8")
    (empty / "numcheck.toml").write_text('lexicon = ["rare-earths"]\n', "utf-8")
    draft = FIXTURES / "ref_only.md"
    assert numcheck(draft, "--against", empty).code == 0  # no corpus figure to contradict
    result = numcheck(draft, "--against", empty, "--reference", FIXTURES / "reference.csv",
                      "--format", "json")
    assert result.code == 1
    document = result.json()
    (finding,) = document["findings"]
    assert finding["authority_kind"] == "reference"
    claims = {claim["claim_id"]: claim for claim in document["claims"]}
    cited = [claims[cid] for cid in finding["claim_ids"] if claims[cid]["origin"] == "reference"]
    assert [(c["title"], c["url"], c["surface"]) for c in cited] == [
        ("Trade statistics office", "https://example.org/canola", "540000 tonnes")]
    text = numcheck(draft, "--against", empty, "--reference", FIXTURES / "reference.csv").out
    assert "reference" in text and "Trade statistics office" in text


def test_a_draft_agreeing_with_the_reference_passes(numcheck: Any) -> None:
    result = numcheck(FIXTURES / "restated_thousand.md", "--reference",
                      FIXTURES / "reference.csv")
    assert result.code == 0


def test_reference_errors_name_line_and_column(tmp_path: Path, numcheck: Any) -> None:
    header = "entity,metric,scope,period,value,unit,source,url\n"
    rows = {
        "Atlantis,exports,,,5,tonnes,X,": ("column entity", "Atlantis"),
        "Australia,telepathy,,,5,tonnes,X,": ("column metric", "telepathy"),
        "Australia,exports,canola,someday,5,tonnes,X,": ("column period", "someday"),
        "Australia,exports,canola,,5,years,X,": ("column unit", "duration"),
        "Australia,exports,canola,,5,tonnes,,": ("column source", "empty"),
    }
    for row, (column, word) in rows.items():
        table = tmp_path / "refs.csv"
        table.write_text(header + row + "\n", "utf-8")
        result = numcheck(SLIP, "--reference", table)
        assert result.code == 2, row
        assert "refs.csv:2" in result.err and column in result.err and word in result.err


# ---------------------------------------------------------------------------------------------
# the library


def test_review_rules_are_complete() -> None:
    for rule in review_rules():
        assert rule.severity in ("error", "warning", "info")
        for heading in ("What it flags:", "Why it matters:", "Example:"):
            assert heading in rule.explanation
        fixture = FIXTURES / f"{rule.code}.md"
        assert fixture.is_file(), f"{rule.code} has no fixture"
        found = review([str(fixture)], ReviewOptions(corpus=(str(ROOT / "seeds"),)))
        assert rule.code in [f.code for f in found.findings]
        near_miss = FIXTURES / f"{rule.code}.ok.md"
        if near_miss.is_file():
            passed = review([str(near_miss)], ReviewOptions(corpus=(str(ROOT / "seeds"),)))
            assert rule.code not in [f.code for f in passed.findings]


def test_the_review_is_deterministic(numcheck: Any) -> None:
    args = (SLIP, FIXTURES / "self.md", "--against", ROOT / "seeds", WIRE, "--format", "json")
    assert numcheck(*args).out == numcheck(*args).out
