"""bench/corpus.py: a synthetic corpus recombined from the seeds, deterministic and readable."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

from checker.extraction import Extractor
from checker.ingest import read_corpus
from checker.pipeline import run
from checker.sentences import detect_lang

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import corpus  # noqa: E402

ARTICLES = 60


@pytest.fixture(scope="module")
def templates() -> corpus.Templates:
    return corpus.load_templates()


@pytest.fixture(scope="module")
def exported(templates: corpus.Templates, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export")
    corpus.write_corpus(out, ARTICLES, seed=11, templates=templates)
    return out


def _contents(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_same_arguments_give_byte_identical_files(
    templates: corpus.Templates, exported: Path, tmp_path: Path
) -> None:
    again = corpus.write_corpus(tmp_path / "again", ARTICLES, seed=11, templates=templates)
    corpus.write_corpus(tmp_path / "other", ARTICLES, seed=12, templates=templates)
    assert len(again) == 2  # 50 articles per file
    assert _contents(tmp_path / "again") == _contents(exported)
    assert _contents(tmp_path / "other") != _contents(exported)


def test_the_single_layout_holds_the_same_articles_one_a_file(
    templates: corpus.Templates, exported: Path, tmp_path: Path
) -> None:
    written = corpus.write_corpus(tmp_path, ARTICLES, seed=11, templates=templates,
                                  layout="single")
    single, packed = read_corpus([tmp_path]), read_corpus([exported])
    assert len(written) == len(single.documents) == ARTICLES
    assert {path.parent for path in written} == {tmp_path / "000"}
    assert [(d.title, d.published, d.source, d.body) for d in single.documents] == [
        (d.title, d.published, d.source, d.body) for d in packed.documents
    ]
    with pytest.raises(ValueError, match="layout"):
        corpus.write_corpus(tmp_path, 1, seed=11, templates=templates, layout="spread")


def test_articles_do_not_depend_on_how_they_are_split_into_files(
    templates: corpus.Templates, exported: Path, tmp_path: Path
) -> None:
    corpus.write_corpus(tmp_path, ARTICLES, seed=11, files=7, templates=templates)
    split, whole = read_corpus([tmp_path]), read_corpus([exported])
    assert len(list(tmp_path.iterdir())) == 7
    assert [(d.title, d.published, d.body) for d in split.documents] == [
        (d.title, d.published, d.body) for d in whole.documents
    ]


def test_export_reads_back_as_one_document_per_article(
    templates: corpus.Templates, exported: Path
) -> None:
    read = read_corpus([exported])
    articles = list(corpus.generate(ARTICLES, seed=11, templates=templates))
    assert read.problems == ()
    assert len(read.documents) == ARTICLES
    assert [d.title for d in read.documents] == [a.title for a in articles]
    assert [d.published for d in read.documents] == [
        a.published.replace(" ", "T") for a in articles
    ]
    assert {d.published[:4] for d in read.documents} <= {"2023", "2024", "2025", "2026"}


@pytest.mark.parametrize(("fmt", "files"), [("jsonl", 2), ("txt", ARTICLES)])
def test_other_formats_read_back(
    templates: corpus.Templates, tmp_path: Path, fmt: str, files: int
) -> None:
    written = corpus.write_corpus(tmp_path, ARTICLES, seed=11, fmt=fmt, templates=templates)
    read = read_corpus([tmp_path])
    assert len(written) == files
    assert read.problems == ()
    assert len(read.documents) == ARTICLES


def test_both_languages_in_about_the_seed_mix(templates: corpus.Templates) -> None:
    langs = Counter(a.lang for a in corpus.generate(400, seed=5, templates=templates))
    assert langs["en"] > langs["zh"] > 0
    assert abs(langs["zh"] / 400 - templates.zh_share) < 0.05
    for article in corpus.generate(40, seed=5, templates=templates):
        assert detect_lang(article.body) == article.lang
        assert detect_lang(article.title) == "zh"  # the seed titles are Chinese


def test_figures_both_agree_and_disagree_with_the_seeds(exported: Path) -> None:
    def figures(path: Path) -> list[tuple[float, str]]:
        claims = run([path], compare=False).claims
        return [(float(f"{c.value:.9g}"), c.unit) for c in claims if c.unit != "date"]

    seed_figures = set(figures(ROOT / "seeds"))
    generated = figures(exported)
    kept = [f for f in generated if f in seed_figures]
    changed = [f for f in generated if f not in seed_figures]
    slipped = [
        (value, unit)
        for value, unit in changed
        if any((float(f"{value * factor:.9g}"), unit) in seed_figures for factor in (10, 0.1))
    ]
    assert len(kept) > len(changed) > 0
    assert slipped, "no figure off by a factor of ten"


def test_chinese_tonnage_is_restated_in_wan_only_in_chinese(templates: corpus.Templates) -> None:
    extractor = Extractor()
    zh = corpus._template("俄罗斯的稀土产量为2700吨。", extractor, None, "prose")
    en = corpus._template("Russia produced 2,700 tons.", extractor, None, "prose")
    zh_figure = next(slot for slot in zh.slots if isinstance(slot, corpus._Figure))
    en_figure = next(slot for slot in en.slots if isinstance(slot, corpus._Figure))
    assert zh_figure.restated == ("0.27万",)
    assert "27,000" in en_figure.slipped and "270" in en_figure.slipped
    assert not any("万" in text for text in en_figure.restated + en_figure.rounded)
    wan = corpus._template("储量约2.85万吨。", extractor, None, "prose")
    assert next(s for s in wan.slots if isinstance(s, corpus._Figure)).restated == ("28500",)


def test_entities_are_swapped_in_some_sentences(templates: corpus.Templates) -> None:
    seed_text = " ".join(d.body for d in read_corpus([ROOT / "seeds"]).documents)
    bodies = " ".join(a.body for a in corpus.generate(200, seed=5, templates=templates))

    def per_million_chars(name: str, text: str) -> float:
        return text.count(name) / len(text) * 1e6

    # Japan is rare in the seeds; swaps put it where China, Russia... stood.
    assert per_million_chars("Japan", bodies) > 3 * per_million_chars("Japan", seed_text)
    assert per_million_chars("China", bodies) < per_million_chars("China", seed_text)


def test_command_line_writes_the_files(tmp_path: Path) -> None:
    assert corpus.main(["--articles", "3", "--seed", "1", "--out", str(tmp_path)]) == 0
    assert [path.name for path in tmp_path.iterdir()] == ["0.txt"]
