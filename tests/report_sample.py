"""A small hand-made run for the HTML report tests: four articles, their figures, three findings.

Built by hand rather than by the pipeline so that the report can be tested before (and
independently of) the stages that find disagreements. Titles, bodies and a finding message
carry markup that must come out as text.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

from checker.models import Claim, Document, Finding, Problem
from checker.pipeline import Result

HOSTILE_TITLE = 'Reserves <script>alert("title")</script>'
HOSTILE_BODY = '<img src=x onerror=alert("body")>'

# doc_id -> (path, title, published, lang, url, lines); each line is one sentence.
ARTICLES = {
    "a#1": (
        "/corpus/en/a.txt",
        HOSTILE_TITLE,
        "2025-06-26T10:04",
        "en",
        "javascript:alert('url')",
        [
            f"A note {HOSTILE_BODY} before the figures.",
            "Russia holds 28.5 million tons of rare earth reserves.",
            "China's refining share is over 90% this year.",
        ],
    ),
    "b#1": (
        "/corpus/en/b.txt",
        "Russia downgrades its reserves",
        "2025-11-09T08:41",
        "en",
        "https://example.org/b",
        ["Russia's reserves of 2.85 million tons were cut to 380,000 tons, a cut of 2.85 million."],
    ),
    "c#1": (
        "/corpus/zh/c.txt",
        "中国稀土纯度达到99.999%",
        "2025-10-14",
        "zh",
        "",
        ["中国稀土纯度达到99.999%。", "美国只有99.99%。"],
    ),
    "d#1": (
        "/corpus/en/d.txt",
        "Purity, again",
        "",
        "en",
        "",
        ["Purity reached 99.999% in 2024.", "Refining share stood at 85% in 2023."],
    ),
}

# (doc_id, surface, occurrence, value, low, high, unit, dimension, qualifier, entity, metric)
FIGURES = [
    (
        "a#1",
        "28.5 million tons",
        0,
        28.5e9,
        28.45e9,
        28.55e9,
        "kg",
        "mass",
        "exact",
        "russia",
        "reserves",
    ),
    (
        "a#1",
        "over 90%",
        0,
        90.0,
        90.0,
        math.inf,
        "percent",
        "percent",
        "lower",
        "china",
        "refining_share",
    ),
    (
        "b#1",
        "2.85 million tons",
        0,
        2.85e9,
        2.845e9,
        2.855e9,
        "kg",
        "mass",
        "exact",
        "russia",
        "reserves",
    ),
    ("b#1", "380,000 tons", 0, 3.8e8, 3.75e8, 3.85e8, "kg", "mass", "exact", "russia", "reserves"),
    # The second "2.85 million" of the sentence: the highlight must land on it, not the first.
    (
        "b#1",
        "2.85 million",
        1,
        2.85e9,
        2.845e9,
        2.855e9,
        "kg",
        "mass",
        "exact",
        "russia",
        "reserve_cut",
    ),
    (
        "c#1",
        "99.999%",
        0,
        99.999,
        99.9985,
        99.9995,
        "percent",
        "percent",
        "exact",
        "china",
        "purity",
    ),
    ("c#1", "99.99%", 0, 99.99, 99.985, 99.995, "percent", "percent", "exact", "us", "purity"),
    (
        "d#1",
        "99.999%",
        0,
        99.999,
        99.9985,
        99.9995,
        "percent",
        "percent",
        "exact",
        "china",
        "purity",
    ),
    ("d#1", "85%", 0, 85.0, 84.5, 85.5, "percent", "percent", "exact", "china", "refining_share"),
]


def documents() -> dict[str, Document]:
    built = {}
    for doc_id, (path, title, published, lang, url, lines) in ARTICLES.items():
        head = f"{title}\n\n"
        text = head + "\n".join(lines) + "\n"
        built[doc_id] = Document(
            doc_id=doc_id,
            path=path,
            text=text,
            start=len(head),
            end=len(text),
            title=title,
            published=published,
            url=url,
            lang=lang,
        )
    return built


def claims(docs: dict[str, Document]) -> list[Claim]:
    made = []
    for (
        doc_id,
        surface,
        occurrence,
        value,
        low,
        high,
        unit,
        dimension,
        qualifier,
        entity,
        metric,
    ) in FIGURES:
        document = docs[doc_id]
        start = document.start - 1  # in the body, not the title line above it
        for _ in range(occurrence + 1):
            start = document.text.index(surface, start + 1)
        end = start + len(surface)
        line_start = document.text.rfind("\n", 0, start) + 1
        line_end = document.text.index("\n", start)
        made.append(
            Claim(
                claim_id=f"{doc_id}:{start}-{end}",
                doc_id=doc_id,
                path=document.path,
                title=document.title,
                published=document.published,
                lang=document.lang,
                line=document.text.count("\n", 0, start) + 1,
                col=start - line_start + 1,
                start=start,
                end=end,
                sentence=document.text[line_start:line_end],
                surface=surface,
                value=value,
                low=low,
                high=high,
                unit=unit,
                dimension=dimension,
                qualifier=qualifier,
                # As written: tons before conversion to kg, "%" for percent.
                stated_value=value / 1000 if unit == "kg" else value,
                stated_unit={"kg": "tons", "percent": "%"}.get(unit, unit),
                entity=entity,
                metric=metric,
                key=f"{entity}|{metric}",
            )
        )
    return made


def claim_id(made: list[Claim], doc_id: str, surface: str) -> str:
    return next(c.claim_id for c in made if c.doc_id == doc_id and c.surface == surface)


def sample_result() -> Result:
    docs = documents()
    made = claims(docs)

    def ids(*pairs: tuple[str, str]) -> tuple[str, ...]:
        return tuple(claim_id(made, doc_id, surface) for doc_id, surface in pairs)

    reserves = Finding(
        finding_id="NC102-russia-reserves",
        code="NC102",
        severity="error",
        kind="magnitude-slip",
        key="russia|reserves",
        claim_ids=ids(
            ("a#1", "28.5 million tons"), ("b#1", "2.85 million tons"), ("b#1", "380,000 tons")
        ),
        message="28.5 million tons vs 2.85 million tons: a factor of 10 apart",
        explanation="What it flags: values a power of ten apart.\nWhy: a slipped decimal point.",
        sides=(
            ids(("a#1", "28.5 million tons")),
            ids(("b#1", "2.85 million tons")),
            ids(("b#1", "380,000 tons")),
        ),
        reason="same entity (Russia) and metric (reserves)",
        ratio=10.0,
    )
    purity = Finding(
        finding_id="NC104-china-purity",
        code="NC104",
        severity="warning",
        kind="rounding-level",
        key="china|purity",
        claim_ids=ids(("c#1", "99.999%"), ("d#1", "99.999%"), ("c#1", "99.99%")),
        message="99.999% vs 99.99% <b>purity</b>",  # built from article text: escaped too
        explanation="Rounding is information.",
        sides=(ids(("c#1", "99.999%"), ("d#1", "99.999%")), ids(("c#1", "99.99%"))),
        reason="same metric",
        ratio=1.00009,
    )
    # A finding type from a later version: extra fields, no sides, an unknown claim id.
    period = SimpleNamespace(
        finding_id="NC106 refining/share",
        code="NC106",
        severity="info",
        kind="period-differs",
        key="china|refining_share",
        claim_ids=ids(("a#1", "over 90%"), ("d#1", "85%")) + ("gone#1:0-1",),
        message="over 90% this year and 85% in 2023",
        explanation="",
        consensus="85%",
        sides=(),
        reason="",
        ratio=None,
    )
    return Result(
        documents=tuple(docs.values()),
        claims=tuple(made),
        problems=(Problem(path="/corpus/scan.txt", reason="binary file <not text>"),),
        findings=(period, reserves, purity),
    )
