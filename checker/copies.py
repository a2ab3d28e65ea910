"""Which articles are copies of one another, and which are one independent source.

Articles whose normalized bodies are near-identical (rapidfuzz ratio, threshold in
rules/comparison.toml) are one source, and so are the articles of one outlet (Document.source,
compared case-folded); a syndicated copy does not confirm its original, nor does an outlet
confirm itself. An article without an outlet is a source of its own, with its copies.

A few documents are compared pair by pair; in a larger corpus only the pairs whose bodies share
a MinHash band (`minhash_bands`, word shingles) are. `copies` finds the copies among documents
at hand. A run finds them as its workers return each file's bands: with a `CopyFinder`, or
the claims index (checker.cache), which keeps each document's bands and finds the copies of a
file when it is indexed; both then place them in the run's files with `located_copies`.

A MinHash of our own, not datasketch's: on the bodies of bench/corpus.py it is about twice as
fast a body and gives a sixth of the candidate pairs for the same copies, without scipy
(bench/RESULTS.md, copies).
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import combinations
from typing import Any

from checker.models import Document
from checker.rulebook import Settings

__all__ = [
    "BANDS",
    "OUTLET",
    "CopyFinder",
    "Location",
    "PAIRWISE_LIMIT",
    "ROWS",
    "components",
    "copies",
    "copies_among",
    "independent",
    "located_copies",
    "minhash_bands",
    "normalized_body",
    "outlet_key",
    "outlet_names",
    "same_article",
]

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
# MinHash: BANDS bands of ROWS hashes each; two bodies that share a band are compared in full.
# 16 bands of 4 rows: a copy with 4% of its words changed (Jaccard about 0.67) shares a band 99%
# of the time, while articles that merely share sentences (Jaccard 0.3) rarely do, so a corpus
# of such articles does not turn into millions of candidate pairs (bench/RESULTS.md, scale).
BANDS, ROWS = 16, 4
SHINGLE_WORDS = 5
_PRIME = 4294967311  # the first prime above 2**32


def normalized_body(text: str) -> str:
    """The body as checker.group compares it: case-folded words separated by single spaces."""
    return _NON_WORD.sub(" ", text.casefold()).strip()


def minhash_bands(body: str) -> tuple[int, ...]:
    """BANDS hashes of a normalized body's MinHash signature (word shingles); two bodies sharing
    one are candidate copies. Empty for an empty body."""
    import numpy as np

    # the words of a normalized body are split by single spaces: split as bytes, encoded once
    words = body.encode().split()
    if not words:
        return ()
    width = min(SHINGLE_WORDS, len(words))
    # A shingle's hash combines the hashes of its words, so each word is hashed once.
    word_hashes = np.fromiter(map(zlib.crc32, words), np.uint64, len(words))
    # The weighted sum of each window of `width` words, a shifted slice a weight (what
    # sliding_window_view gives, without its cost on a short body; the sum wraps the same).
    count = len(words) - width + 1
    hash_a, hash_b, weights = _hash_parameters()
    sums = word_hashes[:count] * weights[0]
    for offset in range(1, width):
        sums += word_hashes[offset:offset + count] * weights[offset]
    shingles = sums % _PRIME  # a repeated shingle leaves each minimum as it is: not deduplicated
    # A row a shingle, a column a hash function: the minimum runs down contiguous rows, and
    # x - x // p * p is numpy's fast division where x % p is not (the same remainder).
    hashed = np.multiply.outer(shingles, hash_a)
    hashed += hash_b
    quotients = hashed // _PRIME
    quotients *= _PRIME
    hashed -= quotients
    rows = hashed.min(axis=0).reshape(BANDS, ROWS)
    return tuple(zlib.crc32(row.tobytes()) for row in rows)


@functools.cache  # made when first needed: numpy is not imported by a run that hashes nothing
def _hash_parameters() -> tuple[Any, Any, Any]:
    """The fixed parameters of the hash functions, derived from their index (no random state):
    (a, b) of each of the BANDS * ROWS hash functions, and the weights of a shingle's words.
    a, b and the weights are below 2**31 and shingle hashes below _PRIME (about 2**32), so
    a * x + b stays below 2**64; the weighted sum of a shingle's word hashes may wrap, which only
    mixes it."""
    import numpy as np

    def numbers(name: str, count: int) -> Any:
        derived = (hashlib.blake2b(f"{name}-{i}".encode(), digest_size=4).digest()
                   for i in range(count))
        values = [1 + int.from_bytes(d, "big") % (2**31 - 1) for d in derived]
        array = np.array(values, np.uint64)
        array.flags.writeable = False  # shared by every call
        return array

    count = BANDS * ROWS
    return (numbers("minhash-a", count), numbers("minhash-b", count),
            numbers("shingle", SHINGLE_WORDS))


# Up to this many documents every pair is compared; beyond it only documents that share a
# MinHash band (`minhash_bands`), which keeps a large corpus near-linear.
PAIRWISE_LIMIT = 60


def copies(documents: Sequence[Document], settings: Settings) -> dict[str, str]:
    """doc_id -> its independent source (`independent`): its near-identical copies and the
    articles of its outlet are one source. A run with a claims index takes them from there
    (checker.cache.ClaimIndex.sources)."""
    by_id = {document.doc_id: document for document in documents}
    bands = {} if len(by_id) <= PAIRWISE_LIMIT else {
        doc_id: minhash_bands(normalized_body(document.body)) for doc_id, document in by_id.items()
    }

    def bodies(ids: Iterable[str]) -> dict[str, str]:
        return {doc_id: normalized_body(by_id[doc_id].body) for doc_id in ids}

    copy_of = copies_among(by_id, bands, bodies, settings)
    return independent(copy_of, {doc_id: document.source for doc_id, document in by_id.items()})


# A source with an outlet is named OUTLET + its outlets' names, OUTLET-separated: ingest masks
# control characters in doc_ids, so no doc_id looks like one.
OUTLET = "\x1e"


def independent(copy_of: Mapping[str, str], outlet_of: Mapping[str, str]) -> dict[str, str]:
    """doc_id -> its independent source, from copies (doc_id -> the first of its copies) and
    outlets (doc_id -> Document.source): copies and articles of one outlet are one source.

    A source with an outlet is known by its outlet names (`outlet_names`); one without, by the
    smallest doc_id of its copies, as `copies_among` gives it. A copy across two outlets makes
    both one source (a wire story printed by two papers confirms nothing).
    """
    forest = _Forest(sorted(set(copy_of) | set(outlet_of)))
    for doc_id, first in copy_of.items():
        forest.join(doc_id, first)
    keys = {outlet: outlet_key(outlet) for outlet in set(outlet_of.values())}  # a few outlets
    with_outlet = [doc_id for doc_id in sorted(outlet_of) if keys[outlet_of[doc_id]]]
    first_of_outlet: dict[str, str] = {}
    for doc_id in with_outlet:
        forest.join(first_of_outlet.setdefault(keys[outlet_of[doc_id]], doc_id), doc_id)
    roots = forest.roots()
    names: dict[str, dict[str, str]] = {}  # root -> outlet key -> the name first written
    for doc_id in with_outlet:
        outlet = outlet_of[doc_id]
        names.setdefault(roots[doc_id], {}).setdefault(keys[outlet], " ".join(outlet.split()))
    return {
        doc_id: OUTLET + OUTLET.join(sorted(names[root].values(), key=str.casefold))
        if root in names else root
        for doc_id, root in roots.items()
    }


def outlet_key(outlet: str) -> str:
    """An outlet as compared: "Reuters", "REUTERS" and " reuters." are one outlet."""
    return " ".join(_NON_WORD.sub(" ", unicodedata.normalize("NFKC", outlet).casefold()).split())


def outlet_names(source: str) -> tuple[str, ...]:
    """The outlets a source (a value of `independent`) is named by; () for a doc_id."""
    return tuple(source.split(OUTLET)[1:]) if source.startswith(OUTLET) else ()


def copies_among(
    ids: Iterable[str],
    bands: Mapping[str, Sequence[int]],
    bodies: Callable[[Iterable[str]], Mapping[str, str]],
    settings: Settings,
) -> dict[str, str]:
    """Copies among documents known by id: every pair up to PAIRWISE_LIMIT documents, else the
    pairs that share a band; `bodies` gives the normalized bodies of the documents compared."""
    ordered = sorted(ids)
    if len(ordered) <= PAIRWISE_LIMIT:
        pairs: list[tuple[str, str]] = list(combinations(ordered, 2))
    else:
        buckets: dict[tuple[int, int], list[str]] = {}
        for doc_id in ordered:
            for band, value in enumerate(bands.get(doc_id, ())):
                buckets.setdefault((band, value), []).append(doc_id)
        pairs = sorted({pair for members in buckets.values() if len(members) > 1
                        for pair in combinations(members, 2)})
    text = bodies({doc_id for pair in pairs for doc_id in pair})
    forest = _Forest(ordered)
    for first, second in pairs:
        if not forest.joined(first, second) and same_article(text[first], text[second],
                                                             settings):
            forest.join(first, second)
    return forest.roots()


# A stored document: the number of its file's content (files of one content share it) and its
# number in the file
Location = tuple[int, int]


def located_copies(
    located: Mapping[str, Location],
    pairs: Callable[[Sequence[int]], Iterable[tuple[Location, Location]]],
    bodies: Callable[[Iterable[Location]], Mapping[Location, str]],
    settings: Settings,
) -> dict[str, str]:
    """doc_id -> the first of its copies (`components`), for documents known by where they are
    stored (`located`: doc_id -> its location). Up to PAIRWISE_LIMIT documents every pair is
    compared; beyond, the documents of one location are copies unless it is empty, and so are
    the pairs of locations that `pairs(contents)` found among those contents' documents (a
    `CopyFinder`, or the claims index). `bodies` gives the normalized bodies of locations."""
    if len(located) <= PAIRWISE_LIMIT:
        text = bodies(located.values())
        return copies_among(located, {}, lambda ids: {
            doc_id: text.get(located[doc_id], "") for doc_id in ids}, settings)
    by_location: dict[Location, list[str]] = {}
    for doc_id, location in located.items():
        by_location.setdefault(location, []).append(doc_id)
    shared = [location for location, ids in by_location.items() if len(ids) > 1]
    text = bodies(shared)  # one content in two files: copies, unless it is empty
    found = [(by_location[location][0], other) for location in shared if text.get(location)
             for other in by_location[location][1:]]
    for first, second in pairs(sorted({content for content, _ in by_location})):
        if first in by_location and second in by_location:
            found.append((by_location[first][0], by_location[second][0]))
    return components(located, found)


class CopyFinder:
    """Copies among documents added one at a time, as a run's workers return them: each is
    compared with the documents added before it that share a MinHash band with it and are of
    lengths close enough (what the claims index does with its tables, checker.cache).
    `stored` reads the body of a document given to `known`, which keeps none."""

    def __init__(
        self, settings: Settings, stored: Callable[[Location], str] | None = None
    ) -> None:
        self._settings = settings
        self._stored = stored
        self._buckets: dict[int, list[Location]] = {}  # band number and value in one -> documents
        self._lengths: dict[Location, int] = {}
        self._bodies: dict[Location, bytes] = {}  # zlib: a corpus's bodies stay in memory
        self._pairs: list[tuple[Location, Location]] = []

    def known(self, location: Location, bands: Sequence[int], length: int) -> None:
        """A document compared only with the documents added after it (its copies among
        those before are known), its body read with `stored` unless `add` keeps it."""
        for band, value in enumerate(bands):
            self._buckets.setdefault(band << 32 | value, []).append(location)
        self._lengths[location] = length

    def add(
        self, location: Location, bands: Sequence[int], body: bytes, length: int
    ) -> list[tuple[Location, Location]]:
        """A document: its `minhash_bands`, its normalized body (zlib) and that body's length.
        Returns the pairs it makes with the documents before it, (it, the other)."""
        factor = self._settings.duplicate_length_factor
        candidates = {other for band, value in enumerate(bands)
                      for other in self._buckets.get(band << 32 | value, ())}
        text = ""
        found = []
        for other in candidates:
            other_length = self._lengths[other]
            if length <= other_length * factor and other_length <= length * factor:
                text = text or zlib.decompress(body).decode("utf-8")
                if same_article(self.text(other), text, self._settings):
                    found.append((location, other))
        self.known(location, bands, length)
        self._bodies[location] = body
        self._pairs += found
        return found

    def text(self, location: Location) -> str:
        if location not in self._bodies and self._stored is not None:
            return self._stored(location)
        return zlib.decompress(self._bodies[location]).decode("utf-8")

    def bodies(self, locations: Iterable[Location]) -> dict[Location, str]:
        return {location: self.text(location) for location in locations}

    def pairs(self, contents: Sequence[int]) -> list[tuple[Location, Location]]:
        """The pairs found among the documents of these contents."""
        wanted = set(contents)
        return [(first, second) for first, second in self._pairs
                if first[0] in wanted and second[0] in wanted]


def components(ids: Iterable[str], pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """doc_id -> the smallest doc_id connected to it by pairs of copies (a copy of a copy is
    one source too)."""
    forest = _Forest(sorted(ids))
    for first, second in pairs:
        forest.join(first, second)
    return forest.roots()


def same_article(first: str, second: str, settings: Settings) -> bool:
    """Two normalized bodies are copies of one article: near-identical (rapidfuzz ratio) and
    of lengths close enough to be."""
    from rapidfuzz import fuzz

    if not first or not second:
        return False
    short, long = sorted((len(first), len(second)))
    if long > short * settings.duplicate_length_factor:
        return False
    return bool(fuzz.ratio(first, second, score_cutoff=settings.duplicate_ratio))


class _Forest:
    """Union-find over doc_ids; a set is known by its smallest id."""

    def __init__(self, ids: Iterable[str]) -> None:
        self._parent = {doc_id: doc_id for doc_id in ids}

    def _root(self, doc_id: str) -> str:
        while self._parent[doc_id] != doc_id:
            doc_id = self._parent[doc_id]
        return doc_id

    def joined(self, first: str, second: str) -> bool:
        return self._root(first) == self._root(second)

    def join(self, first: str, second: str) -> None:
        a, b = self._root(first), self._root(second)
        self._parent[max(a, b)] = min(a, b)

    def roots(self) -> dict[str, str]:
        return {doc_id: self._root(doc_id) for doc_id in self._parent}
