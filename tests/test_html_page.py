"""What the report page says beyond a list of findings, read from its HTML: labels for people,
the consensus, a figure's revision, outlets, the number line's ticks, Chinese marked as such,
text without gaps, the agreements, the timelines and the run; and the same in report.json.

The corpus is three articles from three outlets, written here: China's refining share agrees
across two of them, Russia's reserves do not, and one sentence revises its own figure.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import jsonschema
import pytest
from test_html import Node, fact_rows, parse

import checker
from checker.report import write_report
from checker.report.charts import _Axis
from checker.report.findings import report_schema
from checker.report.html import render_html
from checker.report.quantities import overview
from checker.report.views import tidy
from checker.sentences import detect_lang

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

ARTICLES = [
    {
        "id": "reuters-1",
        "title": "China tightens its grip on refining",
        "published": "2024-03-01",
        "source": "Reuters",
        "url": "https://example.org/r1",
        # "[1]" is a citation marker: masked, it leaves a gap before the full stop
        "text": "China controls 90% of global rare earth refining capacity [1] . "
        "Russia holds 28.5 million tons of rare earth reserves.",
    },
    {
        "id": "xinhua-1",
        "title": "中国稀土精炼能力占全球90%",
        "published": "2024-05-02",
        "source": "新华社",
        "text": "中国控制着全球90%的稀土精炼产能。俄罗斯稀土储量为2850万吨。",
    },
    {
        "id": "bloomberg-1",
        "title": "Rare earths: the numbers",
        "published": "2025-01-15",
        "source": "Bloomberg",
        "text": "China accounts for about 90% of global rare earth refining capacity. Russia's "
        "initial claim of having 2.85 million tons of rare earth reserves has been "
        "significantly downgraded to 380,000 tons by the U.S. Geological Survey.",
    },
]


def write_small_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "numcheck.toml").write_text('lexicon = ["rare-earths"]\n', "utf-8")
    lines = [json.dumps(article, ensure_ascii=False) for article in ARTICLES]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    return folder


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> checker.Result:
    return checker.run([write_small_corpus(tmp_path_factory.mktemp("small"))])


@pytest.fixture(scope="module")
def dom(small: checker.Result) -> Node:
    return parse(render_html(small))


@pytest.fixture(scope="module")
def seeds() -> checker.Result:
    return checker.run([SEEDS])


@pytest.fixture(scope="module")
def seeds_dom(seeds: checker.Result) -> Node:
    return parse(render_html(seeds))


def words(node: Node) -> str:
    return " ".join(node.text().split())


def reserves(dom: Node) -> Node:
    found = [
        node for node in dom.find_all("article", "finding") if node.attrs["data-code"] == "NC101"
    ]
    assert len(found) == 1
    return found[0]


# --- labels ---


def test_headings_and_the_entity_filter_show_labels_and_keep_ids_in_tooltips(dom: Node) -> None:
    headings = [node.find_all("h3")[0] for node in dom.find_all("article", "finding")]
    assert [h.text() for h in headings] == ["Russia · reserves", "Russia · reserves"]
    assert headings[0].attrs["title"] == "russia|reserves||mass"
    options = dom.by_id("f-entity").find_all("option")[1:]
    assert [(o.text(), o.attrs["value"], o.attrs["title"]) for o in options] == [
        ("Russia", "russia", "russia")
    ]


def test_seeds_headings_and_filter_hold_no_internal_keys(seeds_dom: Node) -> None:
    for heading in seeds_dom.by_id("findings").find_all("h3"):
        assert not re.search(r"[|_+]|with:|\(each", heading.text()), heading.text()
    labels = [option.text() for option in seeds_dom.by_id("f-entity").find_all("option")]
    assert "F-35" in labels and "f35" not in labels


# --- a finding: consensus, outlets, revision ---


def test_the_consensus_side_is_marked(dom: Node) -> None:
    sides = reserves(dom).find_all("section", "side")
    marked = [side for side in sides if "consensus" in side.classes]
    assert len(marked) == 1 and marked[0].attrs["aria-label"] == "Side A"
    assert marked[0].find_all(cls="consensus-badge")
    label = reserves(dom).find_all("g", "consensus")[0].find_all("text")[0].text()
    assert label.startswith("A ") and label.endswith("✓")


def test_each_side_names_its_outlets_and_counts_independent_sources(dom: Node) -> None:
    first, second = reserves(dom).find_all("section", "side")
    assert words(first.find_all("h4")[0]) == "A 2 independent sources consensus"
    assert words(first.find_all("p", "outlets")[0]) == "Outlets: Reuters, 新华社"
    assert first.find_all("p", "outlets")[0].find_all("span")[1].attrs["lang"] == "zh"
    assert words(second.find_all("p", "outlets")[0]) == "Outlet: Bloomberg"


def test_a_figure_its_own_sentence_revises_is_one_figures_history(dom: Node) -> None:
    finding = reserves(dom)
    sides = finding.find_all("section", "side")
    assert len(sides) == 2  # 28.5 million t against 380,000 t: 2.85 million t is no side
    revision = sides[1].find_all("p", "revision")[0]
    assert revision.find_all("s")[0].text() == "2.85 million tons"
    assert revision.find_all("strong")[0].text() == "380,000 tons"
    assert "later value" in revision.text()
    assert "downgraded by U.S. Geological Survey" in revision.text()
    later = sides[1].find_all("div", "claim")[0]
    assert "later" in later.classes and later.find_all("mark")[0].text() == "380,000 tons"
    # The number line draws the earlier value on the later one's row, with an arrow.
    bar = finding.find_all("g", "bar")[1]
    assert bar.find_all("circle", "earlier") and bar.find_all("path", "revised-head")


def test_the_seeds_russia_reserves_finding_shows_the_surveys_downgrade(seeds_dom: Node) -> None:
    findings = [
        node for node in seeds_dom.find_all("article", "finding")
        if node.find_all("p", "revision")
    ]
    assert findings, "no finding shows a revision"
    text = words(findings[0])
    assert "2.85 million tons → 380,000 tons" in text
    assert "downgraded by U.S. Geological Survey" in text


# --- the number line ---


@pytest.mark.parametrize(
    ("low", "high", "log"),
    [(3.8e8, 2.85e10, True), (9.0, 95.0, True), (99.985, 100.0005, False), (60, 70, False),
     (1.0, 1.0, False), (5e5, 5.4e6, True), (1e3, 1e12, True)],
)
def test_an_axis_has_three_to_five_round_ticks(low: float, high: float, log: bool) -> None:
    axis = _Axis(low, high, log, 180, 630)
    values = axis.tick_values()
    assert 3 <= len(values) <= 5, values
    positions = [axis.x(value) for value in values]
    assert positions == sorted(positions) and positions[0] >= 180 and positions[-1] <= 630
    assert min(b - a for a, b in zip(positions, positions[1:], strict=False)) >= 60  # room


def test_every_number_line_of_the_seeds_has_several_ticks(seeds_dom: Node) -> None:
    lines = seeds_dom.find_all("figure", "numberline")
    assert lines
    for line in lines:
        ticks = [node.text() for node in line.find_all("text", "tick")]
        assert len(ticks) >= 3, ticks
        assert len(set(ticks)) == len(ticks), ticks


def test_masses_on_an_axis_read_in_tonnes(dom: Node) -> None:
    line = reserves(dom).find_all("figure", "numberline")[0]
    ticks = [node.text() for node in line.find_all("text", "tick")]
    assert ticks and all(tick.endswith(" t") for tick in ticks), ticks


# --- language and text ---


def test_chinese_text_is_marked_lang_zh_element_by_element(seeds_dom: Node) -> None:
    checked = 0
    for node in seeds_dom.walk():
        if node.tag in ("script", "style", "option"):
            continue
        own = "".join(child for child in node.children if isinstance(child, str)).strip()
        if len(own) < 2 or detect_lang(own) != "zh":
            continue
        holder: Node | None = node
        while holder is not None and "lang" not in holder.attrs:
            holder = holder.parent
        assert holder is not None and holder.attrs["lang"] == "zh", (node, own[:40])
        checked += 1
    assert checked > 50


def test_the_font_stack_puts_a_cjk_face_first_for_chinese(seeds_dom: Node) -> None:
    css = seeds_dom.find_all("style")[0].text()
    rule = re.search(r":lang\(zh\)\s*\{\s*font-family:\s*([^;]+);", css)
    assert rule and rule.group(1).startswith('"Noto Sans CJK SC"')
    assert all(face in rule.group(1) for face in ("WenQuanYi Zen Hei", "PingFang SC",
                                                  "Microsoft YaHei"))


@pytest.mark.parametrize(
    ("text", "tidied"),
    [
        ("refining capacity     .", "refining capacity."),
        ("over 90% [1] , and", "over 90% [1], and"),
        ("稀土 。下一句", "稀土。下一句"),
        ("a   b\tc", "a b\tc"),
        ("line one\n\nline two", "line one\n\nline two"),
    ],
)
def test_tidy_closes_gaps_for_reading(text: str, tidied: str) -> None:
    assert tidy(text) == tidied


def test_sentences_are_shown_without_gaps_but_the_data_keep_offsets(
    seeds: checker.Result, seeds_dom: Node
) -> None:
    gap = re.compile(r"\s[.,;:!?。，；：]|\S {2,}\S")
    quotes = seeds_dom.find_all("blockquote", "sentence")
    assert quotes and not [q.text() for q in quotes if gap.search(q.text())]
    assert not [row["sentence"] for row in fact_rows(seeds_dom) if gap.search(row["sentence"])]
    assert any(gap.search(claim.sentence) for claim in seeds.claims)  # the data are untouched


# --- agreements, timelines, the run ---


def test_the_agreements_view_lists_quantities_that_agree_with_their_sources(dom: Node) -> None:
    view = dom.by_id("agreements")
    cards = view.find_all("article", "agreement")
    assert len(cards) == 1
    card = cards[0]
    assert card.find_all("h3")[0].text() == "China · refining and processing"
    assert "90%" in card.find_all("p", "agreed")[0].text()
    assert "2 independent sources" in words(card)
    assert words(card.find_all("p", "outlets")[0]) == "Outlets: Bloomberg, Reuters"
    assert {mark.text() for mark in card.find_all("mark")} == {"90%", "about 90%"}
    tab = next(a for a in dom.find_all("a") if a.attrs.get("data-tab") == "agreements")
    assert words(tab) == "Agreements 1"


def test_seeds_agree_only_within_one_outlet_and_say_so(seeds_dom: Node) -> None:
    # Every seed article is from one outlet: nothing is confirmed independently.
    assert not seeds_dom.by_id("agreements").find_all("article", "agreement")
    assert "one source only" in seeds_dom.by_id("single-source").text()


def test_a_finding_has_a_timeline_by_publication_date(dom: Node) -> None:
    charts = reserves(dom).find_all("figure", "chart")
    assert [chart.attrs["data-by"] for chart in charts] == ["published"]
    svg = charts[0].find_all("svg")[0]
    assert "4 figures" in svg.attrs["aria-label"]
    series = svg.find_all("g")
    assert [g.attrs["class"] for g in series] == ["side-0", "side-1"]
    assert len(svg.find_all("circle", "later")) == 1  # the revised value, ringed
    assert len(svg.find_all("path", "revised")) == 1
    years = [node.text() for node in svg.find_all("text", "tick") if "y" not in node.classes]
    assert years and all(re.fullmatch(r"\d{4}(-\d\d)?", year) for year in years)


def test_a_timeline_by_period_when_figures_name_one(seeds_dom: Node) -> None:
    by_period = [
        chart for chart in seeds_dom.find_all("figure", "chart")
        if chart.attrs["data-by"] == "period"
    ]
    assert by_period
    for chart in by_period:
        assert chart.find_all("figcaption")[0].text().startswith("By period")
        assert len(chart.find_all("path", "dots")) >= 1


def test_the_run_section_names_corpus_rules_and_version(
    small: checker.Result, dom: Node
) -> None:
    facts = {
        words(div.find_all("dt")[0]): words(div.find_all("dd")[0])
        for div in dom.by_id("run").find_all("div")
    }
    assert facts["Corpus"] == str(Path(small.documents[0].path).parent)
    assert facts["Documents"] == "3" and facts["Files read"] == "1"
    assert facts["Figures"] == str(len(small.claims))
    rules = facts["Rules and lexicon"]
    assert re.fullmatch(r"[0-9a-f]{12}: rules/, packs/rare_earths\.toml", rules)
    assert facts["numcheck"] == checker.__version__
    assert "Written" in facts  # filled in by the script from the file's modification time


def test_report_json_holds_agreements_timelines_and_the_run(
    small: checker.Result, tmp_path: Path
) -> None:
    write_report(small, tmp_path)
    document = json.loads((tmp_path / "report.json").read_text("utf-8"))
    assert list(jsonschema.Draft202012Validator(report_schema()).iter_errors(document)) == []
    (agreement,) = document["agreements"]
    assert agreement["quantity"] == "China · refining and processing"
    assert agreement["sources"] == 2 and agreement["value"] == 90.0
    assert agreement["outlets"] == [{"name": "Bloomberg", "articles": 1},
                                    {"name": "Reuters", "articles": 1}]
    timelines = {timeline["quantity"]: timeline for timeline in document["timelines"]}
    russia = timelines["Russia · reserves"]
    assert len(russia["finding_ids"]) == 2
    dates = [point["published"] for point in russia["points"]]
    assert dates == sorted(dates)
    roles = {point["role"] for point in russia["points"] if point["published"] == "2025-01-15"}
    assert roles == {"superseded", "revision"}
    assert timelines["China · refining and processing"]["finding_ids"] == []
    assert document["run"]["documents"] == 3 and document["run"]["lexicons"] == [
        "packs/rare_earths.toml"
    ]


def test_overview_of_the_hand_made_sample_does_not_need_quantity_keys() -> None:
    from report_sample import sample_result

    found = overview(sample_result())
    assert found.agreements == () and found.run.documents == 4
    assert all(not math.isnan(len(t.claims)) for t in found.timelines)


def test_copies_of_one_article_count_once_among_an_agreements_sources(tmp_path: Path) -> None:
    body = ("China controls 90% of global rare earth refining capacity, and its grip on "
            "processing has only tightened over the past decade of export controls.")
    records = [
        {"id": "a", "title": "Refining", "published": "2024-03-01", "text": body},
        {"id": "b", "title": "Refining", "published": "2024-03-04", "text": body},  # a copy
        {"id": "c", "title": "Numbers", "published": "2024-06-01",
         "text": "China accounts for about 90% of global rare earth refining capacity."},
    ]
    (tmp_path / "numcheck.toml").write_text('lexicon = ["rare-earths"]\n', "utf-8")
    lines = [json.dumps(record) for record in records]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    (agreement,) = overview(checker.run([tmp_path])).agreements
    assert agreement.sources == 2 and len({c.doc_id for c in agreement.claims}) == 3
    records[2]["text"] = body  # now all three are copies: nothing confirms anything
    lines = [json.dumps(record) for record in records]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    found = overview(checker.run([tmp_path]))
    assert found.agreements == () and found.single_source == 1


def test_a_side_says_how_many_of_its_sources_have_no_outlet(seeds_dom: Node) -> None:
    # 002's untitled opening has no outlet line: a source of its own beside Sou Hu Cai Jing.
    lines = {words(node) for node in seeds_dom.find_all("p", "outlets")}
    assert lines == {"Outlet: Sou Hu Cai Jing",
                     "Outlet: Sou Hu Cai Jing; 1 source without an outlet"}
