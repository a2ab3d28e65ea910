"""Copy detection: numcheck's MinHash (checker.copies) against datasketch's MinHash/MinHashLSH.

Both hash the 5-word shingles of each normalized body of N bench/corpus.py articles into
BANDS x ROWS values and band them as checker.copies does; a pair of bodies that shares a band
is a candidate, and a candidate is a copy when checker.copies.same_article says so. Measured,
in one process, alternately, medians of --runs: the time to sign a body (datasketch: MinHash
with its default SHA-1 of each shingle, then MinHashLSH.insert), the candidate pairs each gives
(each is compared in full with rapidfuzz) and the copies each finds.

    pip install datasketch            # not a numcheck dependency
    .venv/bin/python bench/minhash.py --articles 3000 --runs 3 --write
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Sequence
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import generate, load_templates  # noqa: E402

from checker.copies import BANDS, ROWS, minhash_bands, normalized_body, same_article  # noqa: E402
from checker.rulebook import Rulebook  # noqa: E402

SECTION = "minhash"
SHINGLE_WORDS = 5


def shingles(body: str) -> list[bytes]:
    words = body.split()
    width = min(SHINGLE_WORDS, len(words))
    return [" ".join(words[i:i + width]).encode() for i in range(len(words) - width + 1)]


def own_pairs(bands: Sequence[tuple[int, ...]]) -> set[tuple[int, int]]:
    buckets: dict[tuple[int, int], list[int]] = {}
    for number, values in enumerate(bands):
        for band, value in enumerate(values):
            buckets.setdefault((band, value), []).append(number)
    return {pair for members in buckets.values() for pair in combinations(members, 2)}


def main(argv: list[str] | None = None) -> int:
    from datasketch import MinHash, MinHashLSH

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="record in bench/RESULTS.md")
    args = parser.parse_args(argv)
    bodies = [normalized_body(a.body) for a in generate(args.articles, args.seed,
                                                         load_templates())]
    own_us: list[float] = []
    theirs_us: list[float] = []
    for _ in range(args.runs):
        started = time.perf_counter()
        bands = [minhash_bands(body) for body in bodies]
        own_us.append((time.perf_counter() - started) / len(bodies) * 1e6)
        started = time.perf_counter()
        lsh = MinHashLSH(num_perm=BANDS * ROWS, params=(BANDS, ROWS))
        signed = []
        for number, body in enumerate(bodies):
            signature = MinHash(num_perm=BANDS * ROWS)
            signature.update_batch(shingles(body))
            lsh.insert(number, signature)
            signed.append(signature)
        theirs_us.append((time.perf_counter() - started) / len(bodies) * 1e6)
    ours = own_pairs(bands)
    theirs = {tuple(sorted((number, other))) for number, signature in enumerate(signed)
              for other in lsh.query(signature) if other != number}
    settings = Rulebook.load().settings
    copies = {pair: same_article(bodies[pair[0]], bodies[pair[1]], settings)
              for pair in ours | theirs}
    found_ours = {pair for pair in ours if copies[pair]}
    found_theirs = {pair for pair in theirs if copies[pair]}
    lines = [
        "## Copy detection: MinHash (bench/minhash.py)",
        "",
        f"{args.articles:,} bodies of `bench/corpus.py --seed {args.seed}`, {BANDS} bands of "
        f"{ROWS} rows, 5-word shingles; medians of {args.runs} runs, alternately, in one process.",
        "",
        "| MinHash | µs a body | candidate pairs | copies found |",
        "|---|---:|---:|---:|",
        f"| checker.copies | {statistics.median(own_us):.0f} | {len(ours):,} | "
        f"{len(found_ours):,} |",
        f"| datasketch MinHash + MinHashLSH | {statistics.median(theirs_us):.0f} | "
        f"{len(theirs):,} | {len(found_theirs):,} |",
        "",
        f"Copies found by both: {len(found_ours & found_theirs):,}. datasketch signs a body "
        f"{statistics.median(theirs_us) / statistics.median(own_us):.1f}x as slowly and gives "
        f"{len(theirs) / max(1, len(ours)):.1f}x the candidate pairs to compare in full (and "
        "needs scipy).",
        "",
        "Reproduce: `pip install datasketch`, then "
        f"`.venv/bin/python bench/minhash.py --articles {args.articles} --runs {args.runs}`.",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        from sections import write_section

        write_section(SECTION, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
