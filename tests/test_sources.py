"""Sources: every format's title, date, outlet and URL (tests/cases/sources.json), a byline as
metadata and never a figure, and independence by outlet in the report and the review."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from checker.copies import OUTLET, independent, outlet_key, outlet_names
from checker.group import sources_phrase
from checker.ingest import parse_text, read_corpus
from checker.pipeline import findings, run
from checker.report.findings import finding_records, findings_csv
from checker.report.lint import render
from checker.report.terminal import finding_view
from checker.review import ReviewOptions, review

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "tests" / "fixtures" / "ingest"
OUTLETS = ROOT / "tests" / "fixtures" / "outlets"
CASES = json.loads((ROOT / "tests" / "cases" / "sources.json").read_text("utf-8"))["documents"]
FIELDS = ("title", "published", "source", "url")


@pytest.fixture(scope="module")
def extracted():
    return run([SOURCES], compare=False)


@pytest.mark.parametrize("case", CASES, ids=[case["doc_id"] for case in CASES])
def test_each_format_gives_title_date_outlet_and_url(case: dict, extracted) -> None:
    documents = {d.doc_id: d for d in read_corpus([SOURCES / case["file"]]).documents}
    document = documents[case["doc_id"]]
    assert {name: getattr(document, name) for name in FIELDS} == {
        name: case[name] for name in FIELDS
    }
    raw = (SOURCES / case["file"]).read_text("utf-8")
    for line in case["masked"]:
        assert line in raw and line not in document.text
    assert len(document.text) == len(raw)
    figures = [c.surface for c in extracted.claims if c.doc_id == case["doc_id"]]
    assert figures == case["figures"]


def test_the_issue_s_byline_is_a_date_and_an_outlet_not_a_figure() -> None:
    """"*Reuters, 3 January 2024*" under a title: published 2024-01-03, outlet Reuters."""
    text = "# Rare earths\n\n*Reuters, 3 January 2024*\n\nReserves were 28.5 million tons.\n"
    (document,) = parse_text(text, "article.md", ".md").documents
    assert (document.published, document.source) == ("2024-01-03", "Reuters")
    result = run([SOURCES / "byline_md.md"], compare=False)
    assert [c.dimension for c in result.claims] == ["mass"]
    assert all(c.published == "2024-01-03" for c in result.claims)


@pytest.mark.parametrize(
    ("line", "outlet", "published"),
    [
        ("*Reuters, 3 January 2024*", "Reuters", "2024-01-03"),
        ("Reuters · 2024-01-03", "Reuters", "2024-01-03"),
        ("By Jane Doe, Reuters, Jan. 3, 2024", "Reuters", "2024-01-03"),
        ("_Reuters — updated January 3, 2024 at 10:04 a.m. EST_", "Reuters", "2024-01-03"),
        ("**Source:** Xinhua, 2024/01/03", "Xinhua", "2024-01-03"),
        ("新华社 2024年1月3日", "新华社", "2024-01-03"),
        ("Published: Wed, 03 Jan 2024 10:00:00 GMT", "", "2024-01-03"),
        ("By Jane Doe, 3 January 2024", "", "2024-01-03"),
    ],
)
def test_byline_forms(line: str, outlet: str, published: str) -> None:
    (document,) = parse_text(f"Title\n{line}\n\nBody 5%.\n", "a.txt", ".txt").documents
    assert (document.title, document.source, document.published) == ("Title", outlet, published)
    assert line not in document.text


@pytest.mark.parametrize(
    "line",
    [
        "Prices fell on 3 January 2024",  # prose: no separator before the date
        "Output rose 5%, 3 January 2024",  # a figure
        "Reuters, 3 January",  # no year
        "Reuters, 31 February 2024",  # no such day
        "## 3 January 2024",  # a heading
    ],
)
def test_lines_that_are_not_bylines_stay_text(line: str) -> None:
    (document,) = parse_text(f"Title\n{line}\n\nBody 5%.\n", "note.txt", ".txt").documents
    assert (document.title, document.source, document.published) == ("note", "", "")
    assert line in document.text


def test_a_markdown_title_never_keeps_its_heading_marks() -> None:
    """An export-format Markdown file (a heading, then `outlet · date`) is titled without "#"."""
    (document,) = read_corpus(
        [ROOT / "tests" / "fixtures" / "topics" / "cars" / "zh_byd_qiche.md"]
    ).documents
    assert document.title == "比亚迪领跑，理想汽车紧随其后"
    assert (document.source, document.published) == ("汽车周刊", "2024-01-06")


def test_front_matter_fills_in_what_the_articles_of_an_export_lack() -> None:
    opening = "An opening summary without a title line, long enough to be an article's body: 5%."
    text = (f"---\ntitle: The file\nsource: Wire\nurl: https://example.com/x\n---\n{opening}\n"
            "First\nOwn Outlet·2024-01-02\nBody 1%.\n")
    untitled, first = parse_text(text, "export.txt").documents
    assert (untitled.title, untitled.source, untitled.url) == ("", "Wire", "https://example.com/x")
    assert (first.title, first.source, first.url) == ("First", "Own Outlet", "https://example.com/x")


# --- independence ------------------------------------------------------------------------------


def test_independent_sources_join_copies_and_outlets() -> None:
    copy_of = {"a": "a", "a2": "a", "b": "b", "c": "c", "d": "d", "e": "e"}
    outlet_of = {"a": "Reuters", "a2": "AP", "b": " REUTERS.", "c": "", "d": "Xinhua", "e": ""}
    sources = independent(copy_of, outlet_of)
    # a, its copy in AP, and b (Reuters again) are one source, named by both outlets
    assert sources["a"] == sources["a2"] == sources["b"] == f"{OUTLET}AP{OUTLET}Reuters"
    assert outlet_names(sources["b"]) == ("AP", "Reuters")
    assert sources["d"] == f"{OUTLET}Xinhua" and sources["c"] == "c" and sources["e"] == "e"
    assert outlet_names("c") == ()
    assert outlet_key("  Sou Hu  Cai-Jing ") == outlet_key("sou hu cai jing") == "sou hu cai jing"


def test_sources_phrase() -> None:
    assert sources_phrase(1, ("Sou Hu Cai Jing",)) == "1 outlet: Sou Hu Cai Jing"
    assert sources_phrase(3, ("Reuters", "Xinhua")) == (
        "3 independent sources: Reuters, Xinhua, 1 without an outlet")
    assert sources_phrase(2, ()) == "2 independent sources"
    assert sources_phrase(6, tuple("ABCDEF")) == "6 outlets: A, B, C, D, 2 more"


@pytest.fixture(scope="module")
def outlets_result():
    return run([OUTLETS])


def test_two_articles_of_one_outlet_are_one_source(outlets_result) -> None:
    """28.5 Mt in two Reuters articles ("Reuters", "REUTERS") is one source; 2.85 Mt in Xinhua
    and an article with no outlet is two, and the consensus."""
    (finding,) = outlets_result.findings
    claims = {c.claim_id: c for c in outlets_result.claims}
    surfaces = [{claims[cid].surface for cid in side} for side in finding.sides]
    assert surfaces == [{"2.85 million tons"}, {"28.5 million tons"}]
    assert finding.sources == (2, 1)
    assert finding.outlets == (("Xinhua",), ("Reuters",))
    assert finding.consensus == 0
    # the comparison without a claims index (checker.copies.copies) counts the same
    again = findings(replace(outlets_result, findings=())).findings
    assert [(f.sources, f.outlets, f.consensus) for f in again] == [
        (finding.sources, finding.outlets, finding.consensus)]


def test_findings_files_and_terminal_name_the_outlets(outlets_result) -> None:
    (record,) = finding_records(outlets_result.findings)
    assert record["outlets"] == [["Xinhua"], ["Reuters"]]
    csv = findings_csv(outlets_result.findings).decode("utf-8")
    assert ",Xinhua | Reuters," in csv
    from rich.console import Console

    console = Console(width=200, record=True)
    claims = {c.claim_id: c for c in outlets_result.claims}
    console.print(finding_view(outlets_result.findings[0], claims))
    shown = console.export_text()
    assert "side A: 2 independent sources: Xinhua, 1 without an outlet — consensus" in shown
    assert "side B: 1 outlet: Reuters" in shown


def test_the_review_weighs_and_names_outlets(tmp_path: Path) -> None:
    """The cached path (checker.cache.ClaimIndex.sources) counts outlets as the report does."""
    draft = b"# Draft\n\nRussia holds 28.5 million tons of rare earth reserves.\n"
    options = ReviewOptions(corpus=(str(OUTLETS),), cache_dir=tmp_path / "cache")
    reviewed = review([("draft.md", draft)], options)
    (found,) = reviewed.findings
    assert found.finding.outlets == (("Xinhua",), ("Reuters",))
    text = render(reviewed, "text").decode("utf-8")
    assert ("consensus 2.85 million tons (2 independent sources: Xinhua, 1 without an outlet)"
            in text)
    assert "“俄罗斯稀土储量”, Xinhua, 2024-01-04" in text
