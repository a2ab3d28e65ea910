"""Lexicon packs and the user's own words: the merge, the pack a corpus names, --lexicon, the
config's `lexicon`, the errors of a bad lexicon file, and `numcheck terms`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from checker import cli
from checker.config import corpus_lexicons, load_config
from checker.errors import ConfigError
from checker.packs import lexicon_data, pack_names
from checker.pipeline import run
from checker.rulebook import RULES_DIR, Rulebook
from checker.terms import terms

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
# Two spellings of one company that nothing in the text links: a pack does.
TRACTORS = """# Farm news

Acme Tractors sold 12,000 tractors in 2024, the company said.

## Elsewhere

ACMT sold 1,200 tractors in 2024, according to a dealer.
"""
TOPIC = """[entity.acme]
label = "Acme"
kind = "company"
aliases = ["Acme Tractors", "Acme", "ACMT"]

[metric.sales]
label = "sales"
triggers = ["sold", "sales"]
dimensions = ["count", "currency"]
"""


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def test_the_base_has_the_grammar_and_the_pack_the_topic() -> None:
    base = lexicon_data(RULES_DIR)
    assert base["entity"] == {}
    assert "sales" in base["metric"] and "reserves" not in base["metric"]
    assert "clause_openers" in base["grammar"]
    assert "rare-earths" in pack_names(RULES_DIR)
    packed = Rulebook.load(lexicons=["rare-earths"])
    assert "china" in packed.lexicon.entities and "reserves" in packed.lexicon.metrics
    assert packed.lexicons == (RULES_DIR.resolve() / "packs" / "rare_earths.toml",)


def test_a_layer_extends_lists_and_adds_entries(tmp_path: Path) -> None:
    more = _write(tmp_path / "more.toml", """
[entity.china]
aliases = ["Middle Kingdom"]

[entity.acme]
label = "Acme"
kind = "company"
aliases = ["Acme"]

[grammar]
stopwords = ["herewith"]
subject_words = 6

[sources]
aliases = ["Farm Journal"]
""")
    pack = RULES_DIR / "packs" / "rare_earths.toml"
    data = lexicon_data(RULES_DIR, [pack, more])
    china = data["entity"]["china"]
    assert china["label"] == "China" and china["aliases"][-1] == "Middle Kingdom"
    assert "China" in china["aliases"]  # extended, not replaced
    assert data["entity"]["acme"]["kind"] == "company"
    assert data["grammar"]["stopwords"][-1] == "herewith"
    assert data["grammar"]["subject_words"] == 6
    assert "Farm Journal" in data["sources"]["aliases"] and "USGS" in data["sources"]["aliases"]
    lexicon = Rulebook.load(lexicons=["rare-earths", more]).lexicon
    assert lexicon.name_ids["Middle Kingdom"] == "china" and lexicon.name_ids["Acme"] == "acme"


@pytest.mark.parametrize(
    ("text", "reason", "line"),
    [
        ("[entity.acme]\nlabel = \"Acme\"\n", "[entity.acme] is new and needs kind, aliases", 1),
        ("[colours]\nred = 1\n", "unknown table [colours]", 1),
        ("[grammar]\nfavourite_words = [\"x\"]\n", "unknown key grammar.favourite_words", 2),
        ("[grammar]\nstopwords = \"the\"\n", "grammar.stopwords must be a list of strings", 2),
        ("[sources]\naliases = [1, 2]\n", "sources.aliases must be a list of strings", 2),
        ("[entity.acme\n", "invalid TOML", 1),
    ],
)
def test_a_bad_lexicon_file_names_the_file_and_line(
    tmp_path: Path, text: str, reason: str, line: int
) -> None:
    bad = _write(tmp_path / "bad.toml", text)
    with pytest.raises(ConfigError) as raised:
        Rulebook.load(lexicons=[bad])
    assert reason in raised.value.reason
    assert Path(raised.value.path) == bad and raised.value.line == line


def test_an_unknown_pack_or_a_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown lexicon pack 'fish'.*rare-earths"):
        Rulebook.load(lexicons=["fish"])
    with pytest.raises(ConfigError, match="no such lexicon file"):
        Rulebook.load(lexicons=[tmp_path / "missing.toml"])


def test_the_seeds_name_their_pack() -> None:
    assert corpus_lexicons([SEEDS]) == ("rare-earths",)
    assert corpus_lexicons([next(SEEDS.glob("*.txt"))]) == ("rare-earths",)  # a file: its folder
    assert corpus_lexicons([ROOT / "tests"]) == ()


def test_lexicon_paths_in_a_config_are_its_own(tmp_path: Path) -> None:
    config = _write(tmp_path / "numcheck.toml", 'lexicon = ["rare-earths", "words/topic.toml"]\n')
    assert load_config(config).lexicon == ("rare-earths", str(tmp_path / "words" / "topic.toml"))
    _write(tmp_path / "bad" / "numcheck.toml", "lexicon = 3\n")
    with pytest.raises(ConfigError, match="lexicon: must be a list of strings"):
        load_config(tmp_path / "bad" / "numcheck.toml")


@pytest.fixture
def farm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A corpus about tractors, no pack of its own; the working folder is its project."""
    _write(tmp_path / "articles" / "farm.md", TRACTORS)
    _write(tmp_path / "topic.toml", TOPIC)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _acme_sales(result_claims: tuple) -> list[str]:
    return [str(claim.key) for claim in result_claims if claim.entity == "acme"]


def test_lexicon_files_key_the_figures(farm: Path) -> None:
    assert not _acme_sales(run([farm / "articles"], compare=False).claims)
    keyed = run([farm / "articles"], lexicons=[farm / "topic.toml"])
    assert _acme_sales(keyed.claims) == ["acme|sales||count"] * 2
    assert [finding.code for finding in keyed.findings] == ["NC102"]


def test_report_takes_lexicon_flags_and_config(
    farm: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def codes(*args: str) -> list[str]:
        assert cli.main(["report", "articles", "--out", "out", "--format", "json", *args]) == 0
        return [finding["code"] for finding in json.loads(capsys.readouterr().out)["findings"]]

    assert codes() == []
    assert codes("--lexicon", "topic.toml") == ["NC102"]
    _write(farm / "pyproject.toml", '[tool.numcheck]\nlexicon = ["topic.toml"]\n')
    assert codes() == ["NC102"]


def test_review_takes_lexicon_flags(farm: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(farm / "draft.md", "# Draft\n\nAcme sold 120,000 tractors in 2024.\n")
    args = ["review", "draft.md", "--against", "articles", "--no-config", "--no-cache"]
    assert cli.main(args) == 0
    assert cli.main([*args, "--lexicon", "topic.toml"]) == 1
    assert "NC102" in capsys.readouterr().out


def test_a_bad_lexicon_file_exits_2_naming_it(
    farm: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(farm / "bad.toml", "[metric.tractor_hours]\nlabel = \"hours\"\n")
    assert cli.main(["report", "articles", "--out", "out", "--lexicon", "bad.toml"]) == 2
    err = capsys.readouterr().err
    assert err == (f"numcheck: error: {farm / 'bad.toml'}:1: [metric.tractor_hours] is new and "
                   "needs triggers, dimensions\n")
    assert not (farm / "out").exists()
    assert cli.main(["extract", "articles", "--lexicon", "no-such-pack"]) == 2
    assert "unknown lexicon pack 'no-such-pack'" in capsys.readouterr().err


def test_terms_counts_figures_and_comparable_ones() -> None:
    rulebook = Rulebook.load(lexicons=["rare-earths"])
    claims = run([SEEDS], compare=False).claims
    found = terms(claims, rulebook.lexicon)
    china = next(term for term in found if term.id == "china")
    assert china.kind == "entity" and china.label == "China" and china.in_lexicon
    assert china.figures == sum(claim.entity == "china" for claim in claims)
    assert 0 < china.comparable <= china.figures
    kinds = [term.kind for term in found]
    assert kinds == sorted(kinds, key=("entity", "measure").index)
    assert len(terms(claims, rulebook.lexicon, top=2)) == 4


def test_terms_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert cli.main(["terms", str(SEEDS), "--format", "json", "--no-cache"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["version"] == 1
    first = document["terms"][0]
    assert set(first) == {"kind", "id", "label", "in_lexicon", "figures", "comparable",
                          "documents"}
    assert cli.main(["terms", str(SEEDS), "--top", "3", "--no-cache"]) == 0
    out = capsys.readouterr().out
    assert "Entities" in out and "Measures" in out and "China" in out and "comparable" in out
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    (corpus / "numcheck.toml").unlink()
    assert cli.main(["terms", str(corpus), "--format", "json", "--no-cache"]) == 0
    unpacked = json.loads(capsys.readouterr().out)["terms"]
    assert not any(t["in_lexicon"] for t in unpacked if t["kind"] == "entity")
