"""A corpus file's facts, from its bytes to the documents and claims of a run.

Where a file is extracted (a worker process, a Dask worker), its documents and claims become a
`FileFacts`: the problems of reading it, every document and claim as zlib JSON of plain
values, and what copies are found with (each document's normalized body and MinHash bands,
checker.copies): small to send back and to keep. A file
is read under a placeholder name (`read_entry`), so its facts depend on its content alone and
checker.cache can keep them by content. `placed_facts` places the facts of a run's files: each
document gets its path, its title and an id unique across the run, made here, in the order of
the files.
"""

from __future__ import annotations

import json
import math
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, TypeVar

import orjson

from checker.copies import minhash_bands, normalized_body
from checker.discover import CorpusFile
from checker.ingest import parse_bytes, unique_id
from checker.models import Claim, Document, Problem, QuantityKey

if TYPE_CHECKING:
    from checker.cache import IndexedDocument

__all__ = [
    "PLACEHOLDER",
    "STORED_FIELDS",
    "Extract",
    "Facts",
    "FileFacts",
    "Mapper",
    "PlacedFile",
    "Progress",
    "batched",
    "claim_from_stored",
    "extract_files",
    "file_facts",
    "file_problems",
    "placed_facts",
    "read_entry",
    "restamped",
    "stored_values",
    "with_finite_defaults",
]

# Documents are read under this name, replaced by the real file's name when they are placed.
PLACEHOLDER = "numcheck-placeholder-3c1f"
# A claim is stored as a list of its values in this order: Claim's own, less the fields of its
# document (its first five) and the sentence (stored once a file).
_EXCLUDED_FIELDS = ("claim_id", "doc_id", "path", "title", "published")
_CLAIM_FIELDS = tuple(f.name for f in fields(Claim) if f.name not in _EXCLUDED_FIELDS)
STORED_FIELDS = tuple(name for name in _CLAIM_FIELDS if name != "sentence")
_SENTENCE = _CLAIM_FIELDS.index("sentence")  # where the sentence goes back
_START, _END = STORED_FIELDS.index("start"), STORED_FIELDS.index("end")
_KEY = STORED_FIELDS.index("key")
# The texts of a stored claim that few values fill, many claims over
_REPEATED = tuple(STORED_FIELDS.index(name) for name in (
    "lang", "surface", "unit", "dimension", "qualifier", "stated_unit", "change", "iso", "entity",
    "metric", "scope", "period", "role"))
# orjson writes a float that is not finite as null: open bounds and an unknown number, read back
_NOT_FINITE = {STORED_FIELDS.index(name): default for name, default in (
    ("value", math.nan), ("low", -math.inf), ("high", math.inf), ("stated_value", math.nan))}
_KEY_FIELDS = tuple(f.name for f in fields(QuantityKey))  # flat: a key's fields are not nested
_DOCUMENT_FIELDS = ("doc_id", "start", "end", "title", "published", "source", "url", "lang")

# Extract the claims of one file: (bytes, the suffix of its format) -> documents, claims, problems.
Extract = Callable[[bytes, str], tuple[Sequence[Document], Sequence[Claim], Sequence[Problem]]]
# Apply a function to each item and yield the results in order, as the builtin `map` does; a
# process pool's or a Dask client's map runs the extraction of the batches elsewhere.
Mapper = Callable[[Callable[[Any], Any], Iterable[Any]], Iterable[Any]]
Progress = Callable[[int, int], None]  # (files extracted, files to extract)
Item = TypeVar("Item")
# Batches small enough that the workers finish close together (a worker's last batch is the
# others' idle time), large enough that sending one costs little beside its extraction.
BATCHES_PER_WORKER = 32
MIN_BATCH_BYTES = 1_000_000  # most of a second of extraction


@dataclass(frozen=True, slots=True)
class FileFacts:
    """What the extraction of one file gives, as plain values."""

    problems: str  # JSON [[reason, line], ...], document ids under the placeholder
    facts: bytes  # every document and claim (zlib JSON)
    # each document's normalized body (checker.copies.normalized_body) as zlib, its length, and
    # its MinHash bands (checker.copies.minhash_bands): what copies are found with
    bodies: list[bytes]
    lengths: list[int]
    bands: list[tuple[int, ...]]


@dataclass(frozen=True, slots=True)
class PlacedFile:
    """A corpus file of a run: the number of its content (files of one content share it), and
    the prefix of its documents' ids."""

    file: CorpusFile
    entry: int
    id_prefix: str


@dataclass(frozen=True, slots=True)
class Facts:
    """The documents and claims of a run's files, and where each document is stored."""

    documents: tuple[Document, ...]
    claims: tuple[Claim, ...]
    located: Mapping[str, tuple[int, int]]  # doc_id -> (entry, number in its file)
    problems: tuple[Problem, ...] = ()  # ids given twice across files


def batched(items: Sequence[Item], sizes: Sequence[int], workers: int) -> list[list[Item]]:
    """Items in batches for `workers` at once: one an item for one worker (a fine progress
    bar); for several, about BATCHES_PER_WORKER a worker by size, each sent with the reader,
    whose tools a worker builds once (checker.pipeline.FileReader)."""
    target = 0.0 if workers <= 1 else max(
        MIN_BATCH_BYTES, sum(sizes) / (workers * BATCHES_PER_WORKER))
    batches: list[list[Item]] = [[]]
    filled = 0
    for item, size in zip(items, sizes, strict=True):
        if filled >= target and batches[-1]:
            batches.append([])
            filled = 0
        batches[-1].append(item)
        filled += size
    return [batch for batch in batches if batch]


def placeholder_path(kind: str) -> str:
    """The name a file of format `kind` is read under, for facts independent of the path."""
    return PLACEHOLDER + kind


def read_entry(data: bytes, kind: str) -> tuple[tuple[Document, ...], tuple[Problem, ...]]:
    """The documents of a file's bytes, read under the placeholder name."""
    corpus = parse_bytes(data, placeholder_path(kind), kind)
    return corpus.documents, corpus.problems


def extract_files(extract: Extract, batch: Sequence[tuple[bytes, str]]) -> list[FileFacts]:
    """The facts of each (bytes, format) of a batch: this runs where an engine's map sends it,
    so what it returns is small to send back."""
    return [file_facts(*extract(data, kind)) for data, kind in batch]


def file_facts(
    documents: Sequence[Document],
    claims: Sequence[Claim],
    problems: Sequence[Problem],
    stored: Sequence[list[Any]] | None = None,
) -> FileFacts:
    """A file's facts (`stored`: each claim's `stored_values`, when made already)."""
    bodies = [normalized_body(document.body) for document in documents]
    return FileFacts(
        problems=json.dumps([[problem.reason, problem.line] for problem in problems]),
        facts=_encoded(documents, claims,
                       [stored_values(c) for c in claims] if stored is None else stored),
        bodies=[zlib.compress(body.encode("utf-8"), 1) for body in bodies],
        lengths=[len(body) for body in bodies],
        bands=[minhash_bands(body) for body in bodies],
    )


def _encoded(
    documents: Sequence[Document], claims: Sequence[Claim], stored: Sequence[list[Any]]
) -> bytes:
    """The documents and claims of a file; texts and sentences once each, by index."""
    numbers = {document.doc_id: number for number, document in enumerate(documents)}
    texts: dict[str, int] = {}
    sentences: dict[str, int] = {}
    data: dict[str, list[Any]] = {
        "documents": [
            [texts.setdefault(d.text, len(texts)),
             *(getattr(d, name) for name in _DOCUMENT_FIELDS)]
            for d in documents
        ],
        "claims": [
            [numbers[c.doc_id], sentences.setdefault(c.sentence, len(sentences)), *values]
            for c, values in zip(claims, stored, strict=True)
        ],
    }
    data["texts"] = list(texts)
    data["sentences"] = list(sentences)
    return zlib.compress(orjson.dumps(data), 1)


def stored_values(claim: Claim) -> list[Any]:
    """A claim's values in STORED_FIELDS order, as JSON holds them (its key as its fields)."""
    values = [getattr(claim, name) for name in STORED_FIELDS]
    if claim.key is not None:
        values[_KEY] = tuple(getattr(claim.key, name) for name in _KEY_FIELDS)
    return values


def placed_facts(files: Iterable[tuple[PlacedFile, bytes]]) -> Facts:
    """The documents and claims of files, each with its content's facts (`FileFacts.facts`),
    placed in the file: document ids unique across the files, made in their order."""
    documents: list[Document] = []
    claims: list[Claim] = []
    located: dict[str, tuple[int, int]] = {}
    problems: list[Problem] = []
    taken: set[str] = set()
    shared: dict[Any, Any] = {}  # see _share
    for file, blob in files:
        data = orjson.loads(zlib.decompress(blob))
        texts, sentences = data["texts"], data["sentences"]
        own = []
        for number, (text_number, *values) in enumerate(data["documents"]):
            fields_ = dict(zip(_DOCUMENT_FIELDS, values, strict=True))
            text = texts[text_number]
            wanted = fields_.pop("doc_id")
            if wanted.startswith(PLACEHOLDER):  # an id made from the file's name
                doc_id = unique_id(restamped(wanted, file.id_prefix), taken)
            else:  # the file's own id (JSON Lines): as checker.ingest keeps it unique
                line = text.count("\n", 0, fields_["start"]) + 1
                fallback = f"{file.id_prefix}:{line}"
                doc_id = unique_id(wanted, taken, fallback)
                if doc_id != wanted:
                    problems.append(Problem(file.file.shown, f"duplicate id {wanted!r}, "
                                                             f"kept as {doc_id!r}", line))
            if fields_["title"] == PLACEHOLDER:
                fields_["title"] = PurePath(file.id_prefix).name
            document = Document(doc_id=doc_id, path=file.file.shown, text=text, **fields_)
            located[doc_id] = (file.entry, number)
            own.append(document)
        for number, sentence, *values in data["claims"]:
            claims.append(claim_from_stored(own[number], sentences[sentence],
                                            _share(with_finite_defaults(values), shared)))
        documents += own
    return Facts(tuple(documents), tuple(claims), located, tuple(problems))


def file_problems(file: PlacedFile, stored: str) -> list[Problem]:
    """The problems of reading a file, from its content's (`FileFacts.problems`)."""
    return [  # a reason may name a document id, read under the placeholder
        Problem(file.file.shown, reason.replace(PLACEHOLDER, file.id_prefix), line)
        for reason, line in json.loads(stored)
    ]


def restamped(doc_id: str, prefix: str) -> str:
    """A document id read under the placeholder, in the file whose ids start with `prefix`."""
    if doc_id.startswith(PLACEHOLDER) and doc_id[len(PLACEHOLDER):len(PLACEHOLDER) + 1] in "#:":
        return prefix + doc_id[len(PLACEHOLDER):]
    return doc_id


def with_finite_defaults(values: list[Any]) -> list[Any]:
    """Stored values as orjson read them, with their open bounds and unknown numbers back."""
    for index, default in _NOT_FINITE.items():
        if values[index] is None:
            values[index] = default
    return values


def _share(values: list[Any], shared: dict[Any, Any]) -> list[Any]:
    """A stored claim's values with those that many claims repeat (its words and units, its
    key, the words of its evidence) replaced by the one object `shared` keeps for each: a run
    holds hundreds of thousands of claims. Texts, keys and evidence are told apart by type."""
    for index in _REPEATED:
        values[index] = shared.setdefault(values[index], values[index])
    if values[_KEY] is not None:
        entity, metric, measure, scope, *rest = values[_KEY]
        fields_ = (entity, metric, measure, tuple(scope), *rest)
        values[_KEY] = shared.get(fields_) or shared.setdefault(fields_, QuantityKey(*fields_))
    evidence = tuple(shared.setdefault(pair, pair) for pair in map(tuple, values[-1]))
    values[-1] = shared.setdefault(evidence, evidence)
    return values


def claim_from_stored(
    document: Document | IndexedDocument, sentence: str, values: list[Any]
) -> Claim:
    """A claim of `document` from its stored values; positional, as this runs for every claim
    of a report."""
    start, end = values[_START], values[_END]
    # the key's fields and the evidence, as JSON lists; a row that stands for several files is
    # read once
    if isinstance(values[-1], list):
        values[-1] = tuple(tuple(pair) for pair in values[-1])
    if isinstance(values[_KEY], list):
        entity, metric, measure, scope, *rest = values[_KEY]
        values[_KEY] = QuantityKey(entity, metric, measure, tuple(scope), *rest)
    return Claim(  # type: ignore[call-arg]
        f"{document.doc_id}:{start}-{end}", document.doc_id, document.path, document.title,
        document.published, *values[:_SENTENCE], sentence, *values[_SENTENCE:],
    )
