"""Same quantity on any topic: planted contradictions and restatements outside rare earths.

Runs the public API (`checker.check`) over tests/fixtures/topics (electric-car sales, city
populations, company results, public-health counts; English and Chinese) and scores it against
tests/cases/topics_gold.json (its "format" field says how a gold figure is named):

- a contradiction is FOUND when one finding's claim_ids hold a claim of each of its figures;
- an agreeing pair is FLAGGED when one finding's claim_ids hold a claim of each of its figures and
  the two claims are not on the same side of that finding (two figures that agree with each other
  sit on one side when the finding is about a third figure that disagrees with both);
- a distinct pair (another entity, period or measure) is COMPARED when one finding holds both;
- a finding MIXES quantities when its claims are gold figures of two different gold quantities.

    .venv/bin/python bench/topics.py           # print the numbers, the misses and the mix-ups
    .venv/bin/python bench/topics.py --json    # the same, machine-readable
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))  # after PYTHONPATH and the installed package: either may be scored

import checker  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "topics"
GOLD = ROOT / "tests" / "cases" / "topics_gold.json"


@dataclass
class Figure:
    """One side of a gold pair, and the claims of the fact table that are it."""

    file: str
    surface: str
    occurrence: int
    span: tuple[int, int] | None = None  # where the snippet is in the file; None: not there
    claim_ids: list[str] = field(default_factory=list)
    sentence: str = ""
    stated: list[str] = field(default_factory=list)  # the claims' surfaces

    def describe(self) -> dict[str, Any]:
        return {"file": self.file, "surface": self.surface, "occurrence": self.occurrence,
                "claims": self.claim_ids, "stated": self.stated, "sentence": self.sentence}


def _locate(figure: Figure, corpus: Path, claims_by_file: dict[str, list[dict[str, Any]]]) -> None:
    text = (corpus / figure.file).read_text(encoding="utf-8")
    start = -1
    for _ in range(max(figure.occurrence, 1)):
        start = text.find(figure.surface, start + 1)
        if start < 0:
            return
    end = start + len(figure.surface)
    figure.span = (start, end)
    for claim in claims_by_file.get(figure.file, []):
        if claim["start"] < end and claim["end"] > start:
            figure.claim_ids.append(claim["claim_id"])
            figure.stated.append(claim["surface"])
            figure.sentence = figure.sentence or " ".join(str(claim["sentence"]).split())


def _is_date(claim: dict[str, Any]) -> bool:
    return claim.get("dimension") == "date" or claim.get("unit") == "date"


def _relative(path: str, corpus: Path) -> str:
    try:
        return Path(path).resolve().relative_to(corpus.resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def score(corpus: Path = CORPUS, gold_path: Path = GOLD) -> dict[str, Any]:
    """Everything the printout shows, as one dict."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        claims_frame, findings_frame = checker.check([str(corpus)])
    claims = [row for row in claims_frame.to_dict("records") if not _is_date(row)]
    claims_by_file: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for claim in claims:
        claims_by_file[_relative(claim["path"], corpus)].append(claim)
    findings = findings_frame.to_dict("records")
    for finding in findings:
        finding["claim_ids"] = list(finding.get("claim_ids") or [])
        finding["sides"] = [list(side) for side in (finding.get("sides") or [])]

    pairs = []
    for number, entry in enumerate(gold["pairs"], start=1):
        a, b = (Figure(entry[k]["file"], entry[k]["surface"], entry[k].get("occurrence", 1))
                for k in ("a", "b"))
        _locate(a, corpus, claims_by_file)
        _locate(b, corpus, claims_by_file)
        pairs.append((number, entry, a, b))

    # Which gold quantity each located claim is (from the contradiction and agree pairs).
    quantity_of: dict[str, str] = {}
    for _, entry, a, b in pairs:
        if entry["kind"] in ("contradiction", "agree"):
            for figure in (a, b):
                for claim_id in figure.claim_ids:
                    quantity_of.setdefault(claim_id, entry["note"])

    def joint(a: Figure, b: Figure, apart: bool) -> list[dict[str, Any]]:
        """Findings holding a claim of each figure (on different sides when `apart`)."""
        hits = []
        for finding in findings:
            ids = set(finding["claim_ids"])
            for ca in a.claim_ids:
                for cb in b.claim_ids:
                    if ca == cb or ca not in ids or cb not in ids:
                        continue
                    if apart and any(ca in side and cb in side for side in finding["sides"]):
                        continue
                    hits.append(finding)
        return hits

    rows = []
    for number, entry, a, b in pairs:
        kind = entry["kind"]
        hits = joint(a, b, apart=(kind == "agree"))
        rows.append({
            "pair": number, "kind": kind, "category": entry.get("category", ""),
            "cross_language": bool(entry.get("cross_language")), "note": entry.get("note", ""),
            "hit": bool(hits), "codes": sorted({str(f["code"]) for f in hits}),
            "a": a.describe(), "b": b.describe(),
        })

    broken = [{"pair": r["pair"], "side": side, **r[side]} for r in rows for side in ("a", "b")
              if not r[side]["claims"]]

    def tally(kind: str) -> dict[str, Any]:
        chosen = [r for r in rows if r["kind"] == kind]
        hit = sum(r["hit"] for r in chosen)
        by_category: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for r in chosen:
            by_category[r["category"]][0] += r["hit"]
            by_category[r["category"]][1] += 1
        cross = [r for r in chosen if r["cross_language"]]
        return {"hit": hit, "total": len(chosen),
                "share": hit / len(chosen) if chosen else 0.0,
                "cross_language": [sum(r["hit"] for r in cross), len(cross)],
                "by_category": {k: v for k, v in sorted(by_category.items())}}

    mixed = []
    for finding in findings:
        quantities = sorted({quantity_of[c] for c in finding["claim_ids"] if c in quantity_of})
        if len(quantities) > 1:
            mixed.append({"finding_id": finding.get("finding_id"), "code": finding.get("code"),
                          "key": finding.get("key"), "quantities": quantities,
                          "message": finding.get("message")})

    keyed = [c for c in claims if str(c.get("entity") or "") and str(c.get("metric") or "")]
    return {
        "corpus": str(corpus),
        "documents": len({c["doc_id"] for c in claims_frame.to_dict("records")}),
        "figures": len(claims),
        "figures_keyed": len(keyed),
        "keyed_share": len(keyed) / len(claims) if claims else 0.0,
        "findings": len(findings),
        "findings_by_code": dict(sorted(Counter(str(f["code"]) for f in findings).items())),
        "contradictions": tally("contradiction"),
        "agreeing_flagged": tally("agree"),
        "distinct_compared": tally("distinct"),
        "gold_figures_not_found": broken,
        "missed_contradictions": [r for r in rows if r["kind"] == "contradiction" and not r["hit"]],
        "flagged_agreeing": [r for r in rows if r["kind"] == "agree" and r["hit"]],
        "compared_distinct": [r for r in rows if r["kind"] == "distinct" and r["hit"]],
        "mixed_findings": mixed,
    }


def _percent(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.0f}%)" if whole else "0/0"


def _print(result: dict[str, Any]) -> None:
    c, a, d = result["contradictions"], result["agreeing_flagged"], result["distinct_compared"]
    print(f"corpus: {result['corpus']} — {result['documents']} articles")
    print(f"figures extracted (dates aside): {result['figures']}")
    keyed = _percent(result["figures_keyed"], result["figures"])
    print(f"figures keyed (entity and metric): {keyed}")
    print(f"findings: {result['findings']} {result['findings_by_code']}")
    print(f"contradictions found: {_percent(c['hit'], c['total'])}"
          f"   cross-language {_percent(*c['cross_language'])}")
    for category, (hit, total) in c["by_category"].items():
        print(f"    {category:<12} {hit}/{total}")
    print(f"agreeing pairs flagged: {_percent(a['hit'], a['total'])}"
          f"   cross-language {_percent(*a['cross_language'])}")
    print(f"distinct pairs compared: {_percent(d['hit'], d['total'])}")
    print(f"findings mixing two gold quantities: {len(result['mixed_findings'])}")
    if result["gold_figures_not_found"]:
        print("\nGOLD FIGURES NOT IN THE FACT TABLE (broken gold or extraction):")
        for miss in result["gold_figures_not_found"]:
            print(f"  pair {miss['pair']}{miss['side']}: {miss['file']}: {miss['surface']!r}")

    def show(title: str, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        print(f"\n{title} ({len(rows)}):")
        for row in rows:
            codes = f" [{', '.join(row['codes'])}]" if row["codes"] else ""
            print(f"  #{row['pair']} {row['note']} ({row['category']}){codes}")
            for side in ("a", "b"):
                fig = row[side]
                print(f"     {side}: {fig['file']}: {', '.join(fig['stated']) or fig['surface']}"
                      f" — {fig['sentence']}")

    show("missed contradictions", result["missed_contradictions"])
    show("agreeing pairs flagged", result["flagged_agreeing"])
    show("distinct pairs compared", result["compared_distinct"])
    if result["mixed_findings"]:
        print(f"\nfindings mixing gold quantities ({len(result['mixed_findings'])}):")
        for mix in result["mixed_findings"]:
            print(f"  {mix['code']} {mix['key']}: {' | '.join(mix['quantities'])}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--gold", type=Path, default=GOLD)
    args = parser.parse_args(argv)
    result = score(args.corpus, args.gold)
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=1, default=str)
        print()
    else:
        _print(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
