"""Extraction plus annotation throughput: this checkout against another revision, side by side.

Each revision's `document_claims` (figures found, then entity, metric, scope and period read
for each) runs over the same documents in a process of its own, the two alternating A B A B,
each process timing several passes after a warm-up. The ratio B/A of sentences per second is
taken pair by pair; the median is the figure to quote.

    python bench/annotation.py --base 6521111           # today's code against 6521111
    python bench/annotation.py --base 6521111 --write   # and record it in bench/RESULTS.md

The corpus is seeds/ (the sentences bench/extraction.py times), read with the seeds' pack
where a revision has packs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ("seeds",)

_WORKER = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
import checker
assert checker.__file__.startswith(sys.argv[1]), checker.__file__  # not an installed copy
from pathlib import Path
from checker.extraction import Extractor
from checker.ingest import read_corpus
from checker.pipeline import document_claims, sentences
from checker.rulebook import Rulebook

root, passes = Path(sys.argv[2]), int(sys.argv[3])
try:
    rulebook = Rulebook.load(lexicons=["rare-earths"])
except TypeError:  # a revision before packs: the rare-earth words are its base
    rulebook = Rulebook.load()
extractor = Extractor()
documents = [d for c in sys.argv[4:] for d in read_corpus([root / c]).documents]
count = sum(1 for d in documents for _ in sentences(d))

def one_pass():
    started = time.process_time()  # CPU time: the machine may be shared with other work
    claims = sum(1 for d in documents for _ in document_claims(d, extractor, rulebook))
    return time.process_time() - started, claims

one_pass()  # warm-up: patterns compiled, dictionaries and gazetteers loaded
times = [one_pass() for _ in range(passes)]
print(json.dumps({"sentences": count, "claims": times[0][1],
                  "seconds": sorted(t for t, _ in times)}))
"""


def measure(code_root: Path, passes: int) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _WORKER, str(code_root), str(ROOT), str(passes), *CORPORA],
        capture_output=True, text=True,
    )
    if done.returncode:
        raise SystemExit(f"{code_root}: {done.stderr.strip()}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["median"] = statistics.median(result["seconds"])
    result["rate"] = result["sentences"] / result["median"]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="the revision to compare with (git rev)")
    parser.add_argument("--rounds", type=int, default=3, help="A/B process pairs")
    parser.add_argument("--passes", type=int, default=3, help="timed passes per process")
    parser.add_argument("--write", action="store_true", help="record in bench/RESULTS.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="annotation-base-") as folder:
        base = Path(folder) / "base"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(base),
                        args.base], check=True, capture_output=True)
        try:
            pairs = []
            for _ in range(args.rounds):
                a = measure(base, args.passes)
                b = measure(ROOT, args.passes)
                pairs.append((a, b))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)],
                           check=False, capture_output=True)
    ratios = [b["rate"] / a["rate"] for a, b in pairs]
    a_rate = statistics.median(a["rate"] for a, _ in pairs)
    b_rate = statistics.median(b["rate"] for _, b in pairs)
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True).stdout.strip()
    text = "\n".join([
        f"Extraction plus annotation (`document_claims`) over seeds/ "
        f"({pairs[0][1]['sentences']} sentences), {args.rounds} process pairs alternating, "
        f"{args.passes} timed passes each after a warm-up, in CPU seconds of the process; medians "
        f"(`python bench/annotation.py --base {args.base}`, {time.strftime('%Y-%m-%d')}).",
        "",
        "| code | sentences/s | claims |",
        "|---|---:|---:|",
        f"| {args.base} (base) | {a_rate:,.0f} | {pairs[0][0]['claims']} |",
        f"| {head} (this checkout) | {b_rate:,.0f} | {pairs[0][1]['claims']} |",
        "",
        f"Ratio this/base, pair by pair: {', '.join(f'{r:.2f}' for r in ratios)}; "
        f"median **{statistics.median(ratios):.2f}** (goal ≥ 0.70).",
    ])
    print(text)
    if args.write:
        _record(text)


def _record(text: str) -> None:
    """Replace the section in bench/RESULTS.md, or add it at the end."""
    path = ROOT / "bench" / "RESULTS.md"
    heading = "## Extraction plus annotation throughput"
    current = path.read_text("utf-8")
    section = f"{heading}\n\n{text}\n"
    if heading in current:
        before, _, after = current.partition(heading)
        rest = after.split("\n## ", 1)
        current = before + section + ("\n## " + rest[1] if len(rest) > 1 else "")
    else:
        current = current.rstrip("\n") + "\n\n" + section
    path.write_text(current, "utf-8")


if __name__ == "__main__":
    main()
