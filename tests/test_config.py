"""Review settings: [tool.numcheck] in pyproject.toml or a numcheck.toml; flags override them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checker import cli
from checker.config import ReviewConfig, find_config, load_config
from checker.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "review"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder with a draft with a ×10 slip and a corpus holding the seed it slips
    from; the working folder is a subfolder of it."""
    (tmp_path / "drafts").mkdir()
    shutil.copy(FIXTURES / "slip.md", tmp_path / "drafts" / "slip.md")
    (tmp_path / "corpus").mkdir()
    shutil.copy(ROOT / "seeds" / "003_bbf5dcb64bd24d90.txt", tmp_path / "corpus")
    shutil.copy(ROOT / "seeds" / "numcheck.toml", tmp_path / "corpus")  # its pack
    monkeypatch.chdir(tmp_path / "drafts")
    monkeypatch.delenv("CI", raising=False)
    return tmp_path


def review(project: Path, *args: str) -> int:
    return cli.main(["review", "slip.md", "--cache-dir", str(project / ".cache"), *args])


def test_no_file_no_settings(tmp_path: Path) -> None:
    assert find_config(tmp_path) is None
    assert load_config(None) == ReviewConfig()


def test_numcheck_toml_is_found_upwards_and_its_paths_are_its_own(project: Path) -> None:
    config = project / "numcheck.toml"
    config.write_text('corpus = ["corpus"]\nreference = "refs.csv"\nfail-on = "error"\n', "utf-8")
    assert find_config(project / "drafts") == config
    loaded = load_config(config)
    assert loaded.corpus == (str(project / "corpus"),)
    assert loaded.reference == str(project / "refs.csv")
    assert loaded.fail_on == "error"


def test_pyproject_counts_only_with_a_tool_numcheck_table(project: Path) -> None:
    pyproject = project / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\n', "utf-8")
    assert find_config(project / "drafts") != pyproject
    pyproject.write_text('[project]\nname = "x"\n\n[tool.numcheck]\nselect = "NC101, NC102"\n',
                         "utf-8")
    assert find_config(project / "drafts") == pyproject
    assert load_config(pyproject).select == ("NC101", "NC102")
    (project / "numcheck.toml").write_text('ignore = ["NC106"]\n', "utf-8")
    assert find_config(project / "drafts") == project / "numcheck.toml"  # beside it, it wins


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('corpse = ["x"]\n', "unknown key 'corpse'"),
        ('fail-on = "sometimes"\n', "fail-on: must be one of"),
        ('format = "yaml"\n', "format: must be one of"),
        ("corpus = 3\n", "corpus: must be a list of strings"),
        ('reference = ""\n', "reference: must be a non-empty string"),
        ("[tolerance]\napprox-relative = -1\n", "approx-relative: must be a number"),
        ("[tolerance]\nslack = 0.1\n", "slack: unknown tolerance"),
        ("[tolerance]\napprox-relative = inf\n", "approx-relative: must be a number from 0 to 1"),
        ("[tolerance]\napprox-relative = nan\n", "approx-relative: must be a number"),
        ("[tolerance]\napprox-points = 1e308\n", "approx-points: must be a number from 0 to 100"),
        ("min-checked = 120\n", "min-checked: must be a number from 0 to 100"),
        ("fail-on = \n", "invalid TOML"),
    ],
)
def test_a_bad_setting_names_the_file_and_line(tmp_path: Path, text: str, says: str) -> None:
    config = tmp_path / "numcheck.toml"
    config.write_text("# settings\n" + text, "utf-8")
    with pytest.raises(ConfigError, match=says) as raised:
        load_config(config)
    assert str(raised.value).startswith(f"{config}:")
    assert raised.value.line is not None and raised.value.line >= 2


def test_a_bad_setting_is_exit_2(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "numcheck.toml").write_text('fail_on = "error"\n', "utf-8")
    assert review(project) == 2
    assert "numcheck.toml:1: unknown key 'fail_on'" in capsys.readouterr().err


def test_a_bad_code_in_the_configuration_names_the_file(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "numcheck.toml").write_text('ignore = ["NC1O2"]\n', "utf-8")
    assert review(project) == 2
    err = capsys.readouterr().err
    assert "numcheck.toml: ignore: unknown code 'NC1O2'" in err and "--ignore" not in err


def test_the_configured_corpus_is_the_default(project: Path) -> None:
    empty = project / "empty"
    empty.mkdir()
    (empty / "note.txt").write_text("Nothing about canola.\n", "utf-8")
    (project / "numcheck.toml").write_text('corpus = ["empty"]\n', "utf-8")
    assert review(project) == 0  # nothing in the configured corpus contradicts the draft
    assert review(project, "--against", str(project / "corpus")) == 1  # the flag wins


def test_flags_override_the_file(project: Path) -> None:
    (project / "numcheck.toml").write_text(
        'corpus = ["corpus"]\nselect = ["NC101"]\nfail-on = "never"\n', "utf-8")
    assert review(project) == 0
    assert review(project, "--fail-on", "warning") == 0  # NC102 is still not selected
    assert review(project, "--fail-on", "warning", "--select", "NC102") == 1
    assert review(project, "--no-config") == 1  # the bundled seeds, every code, fail on warning


def test_pyproject_settings_apply(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.numcheck]\ncorpus = ["corpus"]\nignore = ["NC10"]\n', "utf-8")
    assert review(project) == 0
    assert review(project, "--config", str(project / "pyproject.toml"), "--ignore", "NC2") == 1


def test_the_configured_format_and_baseline(project: Path, capsys: pytest.CaptureFixture[str]
                                            ) -> None:
    (project / "numcheck.toml").write_text(
        'corpus = ["corpus"]\nformat = "github"\nbaseline = "baseline.json"\n', "utf-8")
    capsys.readouterr()
    assert review(project) == 0  # the baseline is written, with today's finding
    assert (project / "baseline.json").is_file()
    assert review(project, "--baseline", str(project / "other.json"), "--update-baseline") == 0
    (project / "baseline.json").unlink()
    (project / "numcheck.toml").write_text('corpus = ["corpus"]\nformat = "github"\n', "utf-8")
    capsys.readouterr()
    assert review(project) == 1
    assert capsys.readouterr().out.startswith("::error file=slip.md,line=3,col=32,")


def test_a_tolerance_override_changes_what_agrees(project: Path) -> None:
    """An approximate draft figure 11% below the source: a disagreement with the 5% of
    rules/comparison.toml, agreement with a 15% tolerance."""
    draft = project / "drafts" / "slip.md"
    draft.write_text("# Canola\n\nAustralia is preparing to ship about 480,000 tons of canola "
                     "to China.\n", "utf-8")
    (project / "numcheck.toml").write_text('corpus = ["corpus"]\n', "utf-8")
    assert review(project) == 1
    (project / "numcheck.toml").write_text(
        'corpus = ["corpus"]\n\n[tolerance]\napprox-relative = 0.15\n', "utf-8")
    assert review(project) == 0
