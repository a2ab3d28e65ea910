"""The HTML report as a page: escaping, structure, the number line, caps, size, determinism.

The page is parsed with the standard library's HTML parser, so the assertions are about the
elements a browser would build, not about substrings. The browser itself is driven in
test_html_browser.py.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from report_sample import HOSTILE_BODY, HOSTILE_TITLE, sample_result

import checker
from checker.report.html import MAX_CLAIMS_PER_SIDE, render_html, write_html
from checker.report.numbers import format_interval, format_number, format_ratio
from checker.report.views import split_sentence

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
MAX_SEEDS_PAGE = 2_000_000  # bytes: the limit for the seeds report


# --- a minimal DOM ---


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def __repr__(self) -> str:  # the default would print the whole page
        return f"<{self.tag} {self.attrs}>"

    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)

    def walk(self) -> Iterator[Node]:
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.walk()

    def find_all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        return [
            node
            for node in self.walk()
            if (tag is None or node.tag == tag) and (cls is None or cls in node.classes)
        ]

    def by_id(self, element_id: str) -> Node:
        found = [node for node in self.walk() if node.attrs.get("id") == element_id]
        assert len(found) == 1, f"{len(found)} elements with id {element_id!r}"
        return found[0]


class _Builder(HTMLParser):
    VOID = {"meta", "input", "br", "img", "hr", "link", "source", "base", "embed", "wbr", "col"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs}, self.current)
        self.current.children.append(node)
        if tag not in self.VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs}, self.current)
        self.current.children.append(node)

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        assert node is not None and node.parent is not None, f"stray </{tag}>"
        self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(page: str) -> Node:
    builder = _Builder()
    builder.feed(page)
    builder.close()
    assert builder.current is builder.root, f"<{builder.current.tag}> left open"
    return builder.root


@pytest.fixture(scope="module")
def result() -> checker.Result:
    return sample_result()


@pytest.fixture(scope="module")
def page(result: checker.Result) -> str:
    return render_html(result)


@pytest.fixture(scope="module")
def dom(page: str) -> Node:
    return parse(page)


def facts_json(dom: Node) -> dict:
    return json.loads(dom.by_id("facts-data").text())


def fact_rows(dom: Node) -> list[dict]:
    """The facts data's rows as the script reads them: texts looked up, document fields in."""
    data = facts_json(dom)
    interned = set(data["interned"])
    rows = []
    for values in data["rows"]:
        row = {
            name: data["strings"][value] if name in interned else value
            for name, value in zip(data["fields"], values, strict=True)
        }
        document = dict(zip(data["docFields"], data["docs"][row["doc"]], strict=True))
        row.update({f"doc_{name}": value for name, value in document.items()})
        rows.append(row)
    return rows


# --- untrusted text ---


def test_markup_in_titles_bodies_and_messages_stays_text(page: str, dom: Node) -> None:
    scripts = dom.find_all("script")
    assert [script.attrs.get("type", "") for script in scripts] == ["application/json", ""]
    assert not dom.find_all("img")
    assert not dom.find_all("b")  # from a finding message
    handlers = [
        (node.tag, name) for node in dom.walk() for name in node.attrs if name.startswith("on")
    ]
    assert handlers == []
    text = dom.text()
    assert HOSTILE_TITLE in text and HOSTILE_BODY in text and "<b>purity</b>" in text
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;" in page


def test_data_for_the_script_cannot_close_its_script_element(page: str, dom: Node) -> None:
    start = page.index('<script type="application/json" id="facts-data">')
    block = page[start : page.index("</script>", start)]
    assert not re.search(r"[<>&]", block.split(">", 1)[1])
    titles = {row["doc_title"] for row in fact_rows(dom)}
    assert HOSTILE_TITLE in titles  # intact once parsed, so the table shows it as written


def test_only_web_urls_become_links(dom: Node) -> None:
    hrefs = [node.attrs["href"] for node in dom.find_all("a")]
    assert "https://example.org/b" in hrefs
    assert not [href for href in hrefs if href.lower().startswith("javascript:")]
    external = [href for href in hrefs if not href.startswith("#")]
    assert external == ["https://example.org/b"]


def test_page_loads_nothing_and_its_policy_admits_only_its_own_script_and_style(
    dom: Node,
) -> None:
    assert not [node for node in dom.walk() if "src" in node.attrs or node.tag == "link"]
    policy = next(
        node.attrs["content"]
        for node in dom.find_all("meta")
        if node.attrs.get("http-equiv") == "Content-Security-Policy"
    )
    assert "default-src 'none'" in policy

    def digest(source: str) -> str:
        return "sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()

    script = next(node for node in dom.find_all("script") if "type" not in node.attrs)
    assert f"script-src '{digest(script.text())}'" in policy
    assert f"style-src '{digest(dom.find_all('style')[0].text())}'" in policy


# --- structure ---


def test_utf8_and_chinese_text_verbatim(page: str, dom: Node) -> None:
    head = dom.find_all("head")[0]
    first = next(child for child in head.children if isinstance(child, Node))
    assert first.tag == "meta" and first.attrs.get("charset") == "utf-8"
    assert "中国稀土纯度达到" in page  # not turned into character references
    css = dom.find_all("style")[0].text()
    assert "Noto Sans CJK SC" in css and "Microsoft YaHei" in css


def test_summary_counts(dom: Node, result: checker.Result) -> None:
    stats = {
        node.find_all("dt")[0].text(): node.find_all("dd")[0].text()
        for node in dom.find_all("dl", "stats")[0].find_all("div")
    }
    assert stats == {
        "Documents": "4",
        "Figures": str(len(result.claims)),
        "Checkable": "100%",
        "Error": "1",
        "Warning": "1",
        "Info": "1",
    }
    codes = [
        row.find_all("td")[0].text() for row in dom.find_all("table", "codes")[0].find_all("tr")[1:]
    ]
    assert codes == ["NC102", "NC104", "NC106"]
    assert "binary file <not text>" in dom.find_all("details", "problems")[0].text()


def test_findings_are_sorted_by_severity_with_deep_link_ids(dom: Node) -> None:
    findings = dom.find_all("article", "finding")
    assert [node.attrs["data-severity"] for node in findings] == ["error", "warning", "info"]
    assert [node.attrs["id"] for node in findings] == [
        "finding-NC102-russia-reserves",
        "finding-NC104-china-purity",
        "finding-NC106-refining-share",  # space and slash are not fragment-safe
    ]
    for node in findings:
        permalink = node.find_all("a", "permalink")[0]
        assert permalink.attrs["href"] == "#" + node.attrs["id"]


def test_a_finding_shows_its_sides_sources_and_rule(dom: Node) -> None:
    finding = dom.by_id("finding-NC102-russia-reserves")
    assert finding.find_all("h3")[0].text() == "Russia · reserves"  # labels, not ids
    assert finding.find_all("h3")[0].attrs["title"] == "russia|reserves"
    assert finding.find_all(cls="ratio")[0].text() == "×10"
    assert finding.find_all(cls="kind")[0].text() == "magnitude-slip"
    sides = finding.find_all("section", "side")
    assert [side.attrs["aria-label"] for side in sides] == ["Side A", "Side B", "Side C"]
    stated = [side.find_all("strong")[0].text() for side in sides]
    assert stated == ["28.5 million tons", "2.85 million tons", "380,000 tons"]
    normalized = [side.find_all("span", "norm")[0].text() for side in sides]
    assert normalized[0] == "= 28.5 billion kg [28.45 – 28.55 billion kg]"
    sources = [" ".join(side.find_all("p", "source")[0].text().split()) for side in sides]
    assert sources[0] == f"{HOSTILE_TITLE} · 2025-06-26 · en/a.txt:4"
    assert sources[1] == "Russia downgrades its reserves · 2025-11-09 · en/b.txt:3"
    # The rule's explanation is on the page once; the finding links to it.
    rule = finding.find_all("details", "rule")[0]
    assert "What it flags" in dom.by_id(rule.attrs["data-rule"]).text()
    assert "same entity (Russia)" in finding.find_all("p", "reason")[0].text()


def test_the_figure_is_highlighted_where_it_stands_in_its_sentence(dom: Node) -> None:
    # "2.85 million" appears twice in its sentence; the claim is the second one.
    result = sample_result()
    claim = next(c for c in result.claims if c.metric == "reserve_cut")
    document = next(d for d in result.documents if d.doc_id == claim.doc_id)
    before, figure, after = split_sentence(claim, document)
    assert figure == "2.85 million" and after == "."
    assert before.count("2.85 million") == 1
    marks = dom.by_id("finding-NC102-russia-reserves").find_all("mark")
    assert [mark.text() for mark in marks] == [
        "28.5 million tons",
        "2.85 million tons",
        "380,000 tons",
    ]


def test_a_finding_without_sides_or_with_a_missing_claim_still_renders(dom: Node) -> None:
    finding = dom.by_id("finding-NC106-refining-share")
    sides = finding.find_all("section", "side")
    assert len(sides) == 2  # one per known claim; the unknown id is skipped
    assert not finding.find_all(cls="ratio")


def test_number_line_is_logarithmic_across_orders_of_magnitude(dom: Node) -> None:
    def svg(finding_id: str) -> Node:
        return dom.by_id(finding_id).find_all("svg")[0]

    assert "log" in svg("finding-NC102-russia-reserves").attrs["aria-label"]
    assert "linear" in svg("finding-NC104-china-purity").attrs["aria-label"]
    bars = svg("finding-NC102-russia-reserves").find_all("g", "bar")
    assert len(bars) == 3
    points = [float(bar.find_all("circle")[0].attrs["cx"]) for bar in bars]
    # 28.5 M, 2.85 M, 380 k: equal ratios are equal distances on a log axis.
    assert points[0] > points[1] > points[2]
    expected = math.log10(28.5e9 / 2.85e9) / math.log10(2.85e9 / 3.8e8)
    assert math.isclose((points[0] - points[1]) / (points[1] - points[2]), expected, rel_tol=0.02)
    open_ended = svg("finding-NC106-refining-share").find_all("path", "arrow")
    assert len(open_ended) == 1  # "over 90%" runs off the right edge


def crowded_result(copies: int) -> checker.Result:
    """The sample with one more finding: `copies` figures of 28.5 million tons on side A, the
    first half of them in one repeated sentence, against the 2.85 million tons of side B."""
    result = sample_result()
    surface = "28.5 million tons"
    original = next(c for c in result.claims if c.surface == surface)
    slipped = next(c for c in result.claims if c.surface == "2.85 million tons")
    crowd = [
        replace(
            original,
            claim_id=f"copy#{number}:0-17",
            doc_id=f"copy#{number}",
            path=f"/corpus/en/copy{number}.txt",
            sentence=original.sentence if number < copies // 2 else f"Copy {number}: {surface}.",
        )
        for number in range(copies)
    ]
    crowded = checker.Finding(
        finding_id="NC101-crowded",
        code="NC101",
        severity="error",
        kind="conflict",
        key="russia|reserves",
        claim_ids=tuple(c.claim_id for c in crowd) + (slipped.claim_id,),
        message="many against one",
        explanation="",
        sides=(tuple(c.claim_id for c in crowd), (slipped.claim_id,)),
    )
    return replace(result, claims=result.claims + tuple(crowd), findings=(crowded,))


def test_a_crowded_side_shows_a_few_figures_and_says_where_the_rest_are() -> None:
    result = crowded_result(copies=40)
    dom = parse(render_html(result, max_claims_per_side=6))
    side, other = dom.by_id("finding-NC101-crowded").find_all("section", "side")
    # One figure per wording: the 20 copies of one sentence show as one.
    sentences = [node.text() for node in side.find_all("blockquote")]
    assert len(sentences) == len(set(sentences)) == 6
    assert " ".join(side.find_all("h4")[0].text().split()) == "A 40 independent sources"
    more = side.find_all("details", "more")[0]
    assert " ".join(more.find_all("summary")[0].text().split()) == (
        "Show 34 more figures on this side"
    )
    assert all(name in more.text() for name in ("report.json", "findings.csv", "facts.csv"))
    # The rest are drawn from the facts data when the side is opened: every one is there.
    rows = fact_rows(dom)
    hidden = [rows[int(index)] for index in more.attrs["data-rows"].split()]
    assert len(hidden) == 34 and all(row["surface"] == "28.5 million tons" for row in hidden)
    assert len(other.find_all("div", "claim")) == 1 and not other.find_all("details", "more")


def test_the_default_cap_and_a_capped_facts_view() -> None:
    result = crowded_result(copies=2 * MAX_CLAIMS_PER_SIDE + 2)
    dom = parse(render_html(result, max_facts=2))
    side = dom.by_id("finding-NC101-crowded").find_all("section", "side")[0]
    assert len(side.find_all("div", "claim")) == MAX_CLAIMS_PER_SIDE
    more = side.find_all("details", "more")[0]
    hidden = 2 * MAX_CLAIMS_PER_SIDE + 2 - MAX_CLAIMS_PER_SIDE
    assert f"Show {hidden} more figures" in more.text()
    # The facts data holds 2 rows: the figures beyond them are said to be elsewhere.
    listed = len(more.attrs["data-rows"].split())
    assert listed <= 2
    assert f"{hidden - listed} of them are not on this page" in " ".join(more.text().split())


def test_the_number_line_of_a_crowded_finding_has_one_row_per_side() -> None:
    dom = parse(render_html(crowded_result(copies=40)))
    bars = dom.by_id("finding-NC101-crowded").find_all("g", "bar")
    assert [bar.find_all("text")[0].text() for bar in bars] == [
        "A  28.5 million tons (40)",
        "B  2.85 million tons",
    ]
    assert bars[0].find_all("title")[0].text().startswith("40 figures; the first: 28.5 million")


def test_documents_view_marks_every_figure_and_links_to_findings(
    dom: Node, result: checker.Result
) -> None:
    view = dom.by_id("documents")
    marks = view.find_all("mark", "fig")
    assert len(marks) == len(result.claims)
    mark = next(node for node in marks if node.text() == "380,000 tons")
    assert mark.attrs["title"].startswith(
        "380 million kg · [375 – 385 million kg] · russia|reserves"
    )
    assert mark.parent is not None and mark.parent.attrs["href"] == "#finding-NC102-russia-reserves"
    lone = next(node for node in marks if node.text() == "2.85 million")  # in no finding
    assert lone.parent is not None and lone.parent.tag == "div"
    article = dom.by_id("doc-b-1")
    assert [a.text() for a in article.find_all("p", "takes-part")[0].find_all("a")] == ["NC102"]
    body = article.find_all("div", "body")[0].text()
    assert body == next(d for d in result.documents if d.doc_id == "b#1").body


def test_claim_and_document_links_resolve(dom: Node) -> None:
    ids = {node.attrs["id"] for node in dom.walk() if "id" in node.attrs}
    targets = {
        node.attrs["href"][1:] for node in dom.find_all("a") if node.attrs["href"].startswith("#")
    }
    assert targets <= ids


def test_facts_data_holds_every_claim(dom: Node, result: checker.Result) -> None:
    data = facts_json(dom)
    assert data["total"] == len(data["rows"]) == len(result.claims)
    row = fact_rows(dom)[1]
    assert row["surface"] == "over 90%" and row["high"] == "inf" and row["doc_file"] == "en/a.txt"
    # The script shows labels, the ids in tooltips.
    assert data["labels"]["entity"]["us"] == "United States"
    assert not [node for node in dom.walk() if node.attrs.get("id") == "facts-capped"]


def test_facts_are_capped_with_a_note(result: checker.Result) -> None:
    dom = parse(render_html(result, max_facts=2))
    data = facts_json(dom)
    assert len(data["rows"]) == 2 and data["total"] == len(result.claims)
    assert "holds 2 of 9 figures" in dom.by_id("facts-capped").text()
    assert "facts.csv" in dom.by_id("facts-capped").text()


def test_documents_are_capped_with_a_note_and_no_dead_links(result: checker.Result) -> None:
    first = result.documents[0]
    dom = parse(render_html(result, max_document_chars=first.end - first.start + 1))
    assert len(dom.by_id("documents").find_all("article", "document")) == 1
    assert "3 more documents" in dom.by_id("documents").find_all("p", "note")[0].text()
    ids = {node.attrs["id"] for node in dom.walk() if "id" in node.attrs}
    targets = {
        node.attrs["href"][1:] for node in dom.find_all("a") if node.attrs["href"][:1] == "#"
    }
    assert targets <= ids
    # The sources are still named, only not linked.
    source = dom.by_id("finding-NC104-china-purity").find_all("p", "source")[0]
    assert "中国稀土纯度达到99.999%" in source.text() and not source.find_all("a")


def test_no_findings_says_so(result: checker.Result) -> None:
    empty = checker.Result(documents=result.documents, claims=result.claims, problems=())
    dom = parse(render_html(empty))
    assert not dom.find_all("article", "finding")
    assert "No findings" in dom.by_id("findings").find_all("p", "empty")[0].text()


# --- output ---


def test_output_is_deterministic(result: checker.Result, page: str) -> None:
    assert render_html(sample_result()) == page


def test_write_html_writes_the_page(tmp_path: Path, result: checker.Result, page: str) -> None:
    target = write_html(result, tmp_path / "report.html")
    assert target.read_bytes() == page.encode("utf-8")
    assert [path.name for path in tmp_path.iterdir()] == ["report.html"]  # no temporary left


@pytest.fixture(scope="module")
def seeds_result() -> checker.Result:
    return checker.run([SEEDS])


def test_seeds_report_is_small_escaped_and_complete(seeds_result: checker.Result) -> None:
    page = render_html(seeds_result)
    assert len(page.encode("utf-8")) < MAX_SEEDS_PAGE
    dom = parse(page)
    assert len(dom.find_all("article", "finding")) == len(seeds_result.findings)
    assert len(dom.by_id("documents").find_all("article", "document")) == len(
        seeds_result.documents
    )
    assert len(facts_json(dom)["rows"]) == len(seeds_result.claims)


# --- formatting ---


NUMBERS: list[tuple[float, str]] = [
    (380_000, "380,000"),
    (2.85e10, "28.5 billion"),
    (1.5e12, "1.5 trillion"),
    (2.7e6, "2.7 million"),
    (0.5, "0.5"),
    (99.999, "99.999"),
    (0, "0"),
    (-3, "-3"),
    (1.2e18, "1.2×10¹⁸"),
    (math.inf, "∞"),
]


@pytest.mark.parametrize(("value", "expected"), NUMBERS)
def test_format_number(value: float, expected: str) -> None:
    assert format_number(value) == expected


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [
        (10.0, "×10"),
        (1000.0, "×1,000"),
        (7.49, "×7.49"),
        (1.00009, "×1.0001"),
        (1.0, ""),
        (None, ""),
    ],
)
def test_format_ratio(ratio: float | None, expected: str) -> None:
    assert format_ratio(ratio) == expected


def test_format_interval(result: checker.Result) -> None:
    over = next(claim for claim in result.claims if claim.qualifier == "lower")
    assert format_interval(over) == "90% – ∞"
    month = replace(over, unit="date", iso="2023-07-01/2023-07-31", low=19539.0, high=19569.0)
    assert format_interval(month) == "2023-07-01 – 2023-07-31"
    assert format_interval(replace(over, low=90.0, high=90.0)) == ""
    assert (
        format_interval(replace(over, unit="kg", low=0.0, high=2.85e10)) == "0 kg – 28.5 billion kg"
    )


def test_findings_are_capped_with_a_note_and_counted_whole(result: checker.Result) -> None:
    """A page lists at most `max_findings` findings, errors first; its counts are of all."""
    whole = parse(render_html(result)).find_all("article", "finding")
    assert len(whole) == len(result.findings) >= 2
    dom = parse(render_html(result, max_findings=1))
    assert [card.attrs["id"] for card in dom.find_all("article", "finding")] == [
        whole[0].attrs["id"]]
    note = dom.by_id("findings-capped").text()
    assert f"first 1 of {len(whole)} findings" in note and "findings.csv" in note
    assert f"{len(whole)} findings" in dom.find_all("title")[0].text()
    rows = dom.find_all("table", "codes")[0].find_all("tr")[1:]
    assert sum(int(row.find_all("td")[-1].text()) for row in rows) == len(whole)
    assert not [node for node in parse(render_html(result)).walk()
                if node.attrs.get("id") == "findings-capped"]
