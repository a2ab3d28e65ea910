"""Corpus claims cached by file content, so a review reads only the figures it needs.

A review compares a draft with the claims of a whole corpus, but only with the claims about the
quantities the draft names. The index keeps, per file content (a BLAKE2 hash of the bytes, and
the format its suffix selects), the documents of the file and their comparable claims, in one
SQLite database:

    entries     one row per (content hash, format): the problems reading it, and the facts:
                every document and claim of the file (zlib JSON), from which a report is built
    documents   per entry: id, title, date, ..., the normalized body (zlib)
    claims      per entry: the claim's values (JSON, in the order of the facts), with its key,
                the key's parts and its document's id, title, date and source as columns
                (a look-up reads a claim's row alone, without a join)
    bands       each document's MinHash bands (band number and value in one integer) and the
                length of its normalized body: the documents sharing a band, of lengths close
                enough to be copies, are candidate copies
    copies      pairs of documents whose bodies are near-identical (checker.copies.same_article),
                found when the later of the two is indexed, so a run does not look for them
    files       path -> size, mtime, inode and content hash, so an unchanged file is not
                read again (a file changed within RACY_SECONDS of being indexed is re-hashed)

The database file is named after a fingerprint of everything that shapes a claim: the files of
rules/, the package's source and version, and SCHEMA_VERSION; any change gives a new, empty
index. Files are extracted in batches through any `map` (the builtin, a process pool's, a
Dask client's), so the work may run elsewhere; entries are written in transactions, so a
reader never sees half a file's claims, and several processes may share the folder. Without
a folder (`ClaimIndex.open(None, ...)`: a review without a cache folder) the index is a
temporary file for one run; a run without one needs no index (checker.pipeline).

Entries do not depend on where a file is: an entry's facts are a file's `FileFacts`
(checker.file_facts), read under a placeholder name; the path, document ids and titles are
filled in when claims are loaded.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import tempfile
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from itertools import groupby
from operator import itemgetter
from pathlib import Path, PurePath
from typing import Any

import orjson

from checker.claims import is_comparable
from checker.copies import CopyFinder, Location, independent, located_copies, same_article
from checker.discover import CorpusFile, format_of, id_prefixes, os_reason
from checker.errors import ConfigError
from checker.file_facts import (
    PLACEHOLDER,
    STORED_FIELDS,
    Extract,
    Facts,
    FileFacts,
    Mapper,
    PlacedFile,
    Progress,
    batched,
    claim_from_stored,
    file_facts,
    file_problems,
    placed_facts,
    restamped,
    stored_values,
    with_finite_defaults,
)
from checker.ingest import file_bytes, max_file_bytes_from_env, unique_id
from checker.models import Claim, Document, Problem, QuantityKey
from checker.rulebook import Settings
from checker.version import __version__

__all__ = [
    "CACHE_ENV",
    "SCHEMA_VERSION",
    "ClaimIndex",
    "EntryRows",
    "IndexedDocument",
    "Snapshot",
    "default_cache_dir",
    "entry_rows",
    "extract_batch",
    "fingerprint",
]

CACHE_ENV = "NUMCHECK_CACHE_DIR"
SCHEMA_VERSION = 8
RACY_SECONDS = 2.0  # a file changed this soon after it was indexed may change unseen: re-hash it
STALE_DAYS = 30  # index files of other fingerprints unused this long are removed
OPEN_ATTEMPTS = 10  # a run opening an index another run is making waits up to 2.25 s
_PACKAGE = Path(__file__).resolve().parent
# Where a stored claim keeps its key: the claims table holds it and the evidence as JSON texts
_KEY = STORED_FIELDS.index("key")

# The look-ups of a review, and of the copies of a file being indexed; a run that adds more
# files than the index holds drops them and makes them again after, sorted at once rather than
# kept row by row (claims: a fourth of the CPU and a seventh of the time at 500,000 rows;
# bands, whose values come in no order: 9.3 against 2.3 s at 100,000 one-article files), and
# finds the copies in memory meanwhile. An index opened without them makes them.
_LOOK_UP_INDEXES = """
CREATE INDEX IF NOT EXISTS claims_by_key ON claims(key);
CREATE INDEX IF NOT EXISTS claims_by_phrase ON claims(entity, scope, measure, metric);
CREATE INDEX IF NOT EXISTS bands_by_value ON bands(band, length);  -- covers the pairs query
"""
_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries(
    entry INTEGER PRIMARY KEY, digest TEXT NOT NULL, kind TEXT NOT NULL, problems TEXT NOT NULL,
    documents INTEGER NOT NULL, claims INTEGER NOT NULL, facts BLOB NOT NULL,
    added_ns INTEGER NOT NULL, UNIQUE(digest, kind));
CREATE TABLE IF NOT EXISTS documents(
    entry INTEGER NOT NULL, number INTEGER NOT NULL, doc_id TEXT NOT NULL, title TEXT NOT NULL,
    published TEXT NOT NULL, source TEXT NOT NULL, url TEXT NOT NULL, lang TEXT NOT NULL,
    body BLOB NOT NULL, PRIMARY KEY(entry, number));
CREATE TABLE IF NOT EXISTS claims(
    entry INTEGER NOT NULL, number INTEGER NOT NULL, key TEXT NOT NULL, entity TEXT NOT NULL,
    metric TEXT NOT NULL, scope TEXT NOT NULL, measure TEXT NOT NULL, doc_id TEXT NOT NULL,
    title TEXT NOT NULL, published TEXT NOT NULL, source TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS bands(
    entry INTEGER NOT NULL, number INTEGER NOT NULL, band INTEGER NOT NULL,
    length INTEGER NOT NULL, PRIMARY KEY(entry, number, band)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS copies(
    entry INTEGER NOT NULL, number INTEGER NOT NULL, other_entry INTEGER NOT NULL,
    other_number INTEGER NOT NULL, PRIMARY KEY(entry, number, other_entry, other_number))
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS files(
    location TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    inode INTEGER NOT NULL, checked_ns INTEGER NOT NULL, digest TEXT NOT NULL);
""" + _LOOK_UP_INDEXES


# ---------------------------------------------------------------------------------------------
# when the index cannot be used


def damaged(error: BaseException) -> bool:
    """Whether a database error says the index file is damaged ("database disk image is
    malformed", "file is not a database"), not locked or full."""
    return isinstance(error, sqlite3.DatabaseError) and not isinstance(
        error, sqlite3.OperationalError)


def without_cache(
    error: ConfigError | sqlite3.Error, folder: Path, print_: str
) -> Problem:
    """What a run that falls back from the cache folder to a fresh read says; a damaged index
    is removed, so the next run builds it anew instead of falling back again."""
    reason = error.reason if isinstance(error, ConfigError) else str(error)
    if damaged(error):
        ClaimIndex.discard(folder, print_)
        reason += "; the damaged index was removed and is built anew on the next run"
    elif _full(error):  # the write-ahead log it grew would keep the disk full
        ClaimIndex.discard(folder, print_)
        reason += "; the index and its write-ahead log were removed, not to leave the disk full"
    return Problem(str(folder), f"cache not used ({reason}); the corpus is read afresh")


def _locked(error: BaseException) -> bool:
    """Whether a database error is SQLITE_BUSY: "database is locked"."""
    return isinstance(error, sqlite3.OperationalError) and (
        getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_BUSY
        or "locked" in str(error))


def _full(error: BaseException) -> bool:
    """Whether a database error is SQLITE_FULL: "database or disk is full"."""
    return isinstance(error, sqlite3.OperationalError) and (
        getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
        or "disk is full" in str(error))


def temporary_index_error(error: sqlite3.Error) -> ConfigError:
    """A run without a cache folder that cannot write its temporary index (a full disk)."""
    return ConfigError(f"cannot write the temporary index ({error}): free space in "
                       f"{tempfile.gettempdir()} or point TMPDIR elsewhere")


# ---------------------------------------------------------------------------------------------
# where the index lives, and what invalidates it


def default_cache_dir() -> Path:
    """$NUMCHECK_CACHE_DIR, else $XDG_CACHE_HOME/numcheck, else ~/.cache/numcheck."""
    given = os.environ.get(CACHE_ENV, "").strip()
    if given:
        return Path(given).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "numcheck"


def fingerprint(rules_dir: Path, lexicons: Sequence[Path] = ()) -> str:
    """A hash of what shapes a claim: rules/, the lexicon files merged into its lexicon (in
    order), the package's source and version, the schema."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{SCHEMA_VERSION}|{__version__}".encode())
    for root in (rules_dir, _PACKAGE):
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    for path in lexicons:
        digest.update(b"lexicon\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------------
# the index


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The corpus of one run: its files, what could not be read, and its size."""

    files: tuple[PlacedFile, ...]
    problems: tuple[Problem, ...]
    documents: int
    figures: int = 0  # comparable figures (checker.claims.is_comparable)
    indexed_ns: int = 0  # when the newest of its files was extracted into the index
    # A hash of each file's shown name, id prefix, content and format, and of the problems:
    # equal for equal corpora, whichever index holds them
    digest: str = ""
    # The facts of the files, when the update placed them as their batches returned
    # (`ClaimIndex.update(place=True)`); else `ClaimIndex.facts` reads them.
    facts: Facts | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class IndexedDocument:
    """A corpus document as stored, placed in a file of the run: not its text."""

    doc_id: str
    path: str
    title: str
    published: str
    location: tuple[int, int]  # (entry, number): the stored document, the same in every file
    source: str = ""  # its outlet


class ClaimIndex:
    """The SQLite index of corpus claims; use as a context manager."""

    def __init__(
        self, connection: sqlite3.Connection, path: Path | None, settings: Settings
    ) -> None:
        self._db = connection
        self.path = path
        self.settings = settings
        self._indexing: Future[None] | None = None  # the look-up indexes, being made

    @classmethod
    def open(cls, folder: Path | None, print_: str, settings: Settings) -> ClaimIndex:
        """The index for fingerprint `print_` in `folder`; a private temporary file when
        `folder` is None (memory stays free).

        `settings`: the near-duplicate thresholds copies are found with: those of the rules
        folder the fingerprint covers, as the copies stored stay in the index.
        A folder that cannot be written raises ConfigError; a damaged database is replaced.
        """
        if folder is None:
            return cls(_connect(""), None, settings)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            ignore = folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# numcheck's cache: never committed\n*\n", "utf-8")
        except OSError as error:
            raise ConfigError(f"cannot use the cache folder: {error.strerror or error}",
                              folder) from error
        path = cls.path_in(folder, print_)
        _remove_stale(folder, path)
        for attempt in range(1, OPEN_ATTEMPTS + 1):
            try:
                return cls(_connect(str(path)), path, settings)
            except sqlite3.DatabaseError as error:
                if damaged(error):
                    break
                # another run making the same index holds it a moment (SQLite does not wait
                # for a lock that would deadlock): wait; removing it would break that run
                if not _locked(error) or attempt == OPEN_ATTEMPTS:
                    raise
                time.sleep(0.05 * attempt)
        cls.discard(folder, print_)
        return cls(_connect(str(path)), path, settings)

    @staticmethod
    def path_in(folder: Path, print_: str) -> Path:
        return folder / f"index-{print_[:20]}.sqlite3"

    @classmethod
    def discard(cls, folder: Path, print_: str) -> None:
        """Remove a damaged index, so that the next run builds it anew."""
        path = cls.path_in(folder, print_)
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            with contextlib.suppress(OSError):
                leftover.unlink()

    def __enter__(self) -> ClaimIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            self._indexed()
        finally:
            self._db.close()

    def _indexed(self) -> None:
        """Wait for the look-up indexes, when they are being made (an error in making
        them is raised here)."""
        indexing, self._indexing = self._indexing, None
        if indexing is not None:
            indexing.result()

    # -- keeping it up to date -----------------------------------------------------------------

    def update(
        self,
        files: Sequence[CorpusFile],
        extract: Extract,
        progress: Progress | None = None,
        *,
        map_: Mapper = map,
        workers: int = 1,
        place: bool = False,
    ) -> Snapshot:
        """Index every file not yet indexed; the snapshot of the corpus as it is now.

        The files to extract go to `extract` in batches through `map_`, in the order of the
        files; with a pool's map, `extract` must be picklable, and `workers` says how many
        batches run at once. With `place`, when there are files to extract, the snapshot holds the
        files' facts, placed as each batch returns, while the workers extract the next (what
        `facts` would read after).
        """
        self._indexed()
        limit = max_file_bytes_from_env()
        known = {row[0]: row[1:] for row in self._db.execute(
            "SELECT location, size, mtime_ns, inode, checked_ns, digest FROM files")}
        entries = {(d, k): e for e, d, k in self._db.execute(
            "SELECT entry, digest, kind FROM entries")}
        located: list[tuple[CorpusFile, tuple[str, str]]] = []
        problems: list[Problem] = []
        pending: dict[tuple[str, str], tuple[CorpusFile, bytes]] = {}
        seen_files: list[tuple[str, int, int, int, str]] = []
        for file in files:
            read = _digest(file, limit, known)
            if isinstance(read, Problem):
                problems.append(read)
                continue
            digest, data, record = read
            if record is not None:
                seen_files.append(record)
            content = (digest, format_of(file.location))
            located.append((file, content))
            if content not in entries and content not in pending:
                pending[content] = (file, data if data is not None else b"")
        self._remember_files(seen_files)
        prefixes = id_prefixes([file for file, _ in located])
        with contextlib.closing(
                self._extract(pending, entries, extract, progress, map_, workers)) as extracted:
            facts = None
            if place and pending:  # else nothing overlaps, and a caller may not read them
                facts = placed_facts(self._arriving(located, prefixes, entries, extracted))
            for _ in extracted:  # the batches left when the facts are not placed: all
                pass
        indexed = tuple(
            PlacedFile(file, entries[content], prefix)
            for (file, content), prefix in zip(located, prefixes, strict=True)
        )
        problems.extend(self._problems(indexed))
        documents, figures, newest = self._sizes(indexed)
        ordered = tuple(sorted(problems, key=lambda p: (p.path, p.line or 0, p.reason)))
        corpus = hashlib.blake2b(digest_size=16)
        for (file, (digest, kind)), prefix in zip(located, prefixes, strict=True):
            corpus.update(f"{file.shown}\0{prefix}\0{digest}\0{kind}\0".encode())
        corpus.update(repr(ordered).encode())
        return Snapshot(indexed, ordered, documents, figures, newest, corpus.hexdigest(), facts)

    def _extract(
        self,
        pending: dict[tuple[str, str], tuple[CorpusFile, bytes]],
        entries: dict[tuple[str, str], int],
        extract: Extract,
        progress: Progress | None,
        map_: Mapper,
        workers: int,
    ) -> Iterator[list[tuple[tuple[str, str], int, bytes]]]:
        """Extract the pending files in batches, adding each file's entry as its batch returns;
        yields each batch's (content, entry, facts). A file's bytes are let go once its batch
        is sent."""
        ordered = list(pending)
        batches = batched(
            ordered, [len(pending[item][1]) or _size(pending[item][0]) for item in ordered],
            workers)

        def work(batch: Sequence[tuple[str, str]]) -> list[tuple[bytes, str]]:
            sent = []
            for item in batch:
                file, data = pending.pop(item)
                sent.append((data or _read(file), item[1]))
            return sent

        done = 0
        found: _FoundInMemory | None = None
        if len(pending) > len(entries):
            self._db.executescript("DROP INDEX IF EXISTS claims_by_key;"
                                   "DROP INDEX IF EXISTS claims_by_phrase;"
                                   "DROP INDEX IF EXISTS bands_by_value;")
            found = _FoundInMemory(CopyFinder(self.settings, self._body))
        try:
            results = map_(partial(extract_batch, extract), (work(batch) for batch in batches))
            for batch, rows in zip(batches, results, strict=True):
                with self._db:  # one transaction a batch: each file whole with its copies
                    added = self._add(list(zip(batch, rows, strict=True)), entries)
                    if found is None:
                        self._link([entry for entry, _ in added])
                    else:
                        self._link_in_memory(added, found)
                done += len(batch)
                if progress is not None:
                    progress(done, len(ordered))
                yield [(item, entries[item], row.extracted.facts)
                       for item, row in zip(batch, rows, strict=True)]
        finally:
            if found is not None:
                self._make_look_up_indexes()

    def _arriving(
        self,
        located: Sequence[tuple[CorpusFile, tuple[str, str]]],
        prefixes: Sequence[str],
        entries: Mapping[tuple[str, str], int],
        extracted: Iterator[list[tuple[tuple[str, str], int, bytes]]],
    ) -> Iterator[tuple[PlacedFile, bytes]]:
        """The files in order, each with its entry's facts, as soon as its entry is indexed:
        the facts of the batches `extracted` now are kept until their last file is placed."""
        uses = Counter(content for _, content in located)
        fresh: dict[int, bytes] = {}
        ready: list[tuple[PlacedFile, tuple[str, str]]] = []

        def placed() -> Iterator[tuple[PlacedFile, bytes]]:
            files = [file for file, _ in ready]
            for (file, blob), (_, content) in zip(self._blobs(files, fresh), ready, strict=True):
                yield file, blob
                uses[content] -= 1
                if not uses[content]:
                    fresh.pop(file.entry, None)
            ready.clear()

        for (file, content), prefix in zip(located, prefixes, strict=True):
            if content not in entries:  # in a batch still extracted: place those before first
                yield from placed()
                while content not in entries:
                    fresh.update((entry, facts) for item, entry, facts in next(extracted)
                                 if uses[item])  # else placed already: stored meanwhile
            ready.append((PlacedFile(file, entries[content], prefix), content))
        yield from placed()

    def _make_look_up_indexes(self) -> None:
        """Make the look-up indexes, which a report does not read: beside the rest of the run,
        on a connection of their own (SQLite works without the GIL), when the index is a file
        another connection can open."""
        if self.path is None:
            self._db.executescript(_LOOK_UP_INDEXES)
            return
        worker = ThreadPoolExecutor(1, thread_name_prefix="numcheck-index")
        self._indexing = worker.submit(_make_indexes, str(self.path))
        worker.shutdown(wait=False)  # the thread ends with its one task

    def _remember_files(self, records: Sequence[tuple[str, int, int, int, str]]) -> None:
        if not records:
            return
        now = time.time_ns()
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)",
                [(loc, size, mtime, inode, now, digest)
                 for loc, size, mtime, inode, digest in records],
            )

    def _add(
        self,
        batch: Sequence[tuple[tuple[str, str], EntryRows]],
        entries: dict[tuple[str, str], int],
    ) -> list[tuple[int, EntryRows]]:
        """Insert the entries of a batch of files ((digest, kind), rows), within the caller's
        transaction, each table in one statement: a statement per file and table cost more
        than the rows on a corpus of small files. Returns the entries added, with their rows;
        `entries` gets every file's, also those another process indexed meanwhile."""
        # The write lock first, so that no other process numbers an entry between the two reads.
        self._db.execute("BEGIN IMMEDIATE")
        keys = [key for key, _ in batch]
        for start in range(0, len(keys), 400):
            chunk = keys[start:start + 400]
            for entry, digest, kind in self._db.execute(
                "SELECT entry, digest, kind FROM entries WHERE digest IN "
                f"({_marks(chunk)})", [digest for digest, _ in chunk],
            ):
                entries[(digest, kind)] = entry
        (last,) = self._db.execute("SELECT COALESCE(MAX(entry), 0) FROM entries").fetchone()
        now = time.time_ns()
        added: list[tuple[int, EntryRows]] = []
        tables: dict[str, list[tuple[Any, ...]]] = {
            "entries": [], "documents": [], "claims": [], "bands": []}
        for (digest, kind), rows in batch:
            if (digest, kind) in entries:  # another process indexed it meanwhile
                continue
            entry = entries[(digest, kind)] = last + len(added) + 1
            added.append((entry, rows))
            tables["entries"].append((entry, digest, kind, rows.extracted.problems,
                                      len(rows.documents), len(rows.claims), rows.extracted.facts,
                                      now))
            tables["documents"] += [(entry, *row) for row in rows.documents]
            tables["claims"] += [(entry, *row) for row in rows.claims]
            tables["bands"] += [(entry, *row) for row in rows.bands]
        for table, values in tables.items():
            if values:
                self._db.executemany(
                    f"INSERT INTO {table} VALUES ({_marks(values[0])})", values)
        return added

    def _link(self, entries: Sequence[int]) -> None:
        """Record which documents of new entries are copies of one indexed before or beside
        them: the pairs sharing a MinHash band, compared in full. Entries are numbered in the
        order they are written, so each pair is compared once, by the later of the two. Bodies
        whose lengths differ too much to be copies (`same_article`) are not read."""
        pairs: list[tuple[int, int, int, int]] = []
        factor = self.settings.duplicate_length_factor
        for start in range(0, len(entries), 500):
            chunk = entries[start:start + 500]
            pairs += self._db.execute(
                "SELECT DISTINCT new.entry, new.number, old.entry, old.number FROM bands AS new "
                "JOIN bands AS old ON old.band = new.band AND (old.entry < new.entry OR "
                "(old.entry = new.entry AND old.number < new.number)) "
                "AND new.length <= old.length * ? AND old.length <= new.length * ? "
                f"WHERE new.entry IN ({_marks(chunk)})", (factor, factor, *chunk),
            ).fetchall()
        text = self.bodies(location for pair in pairs for location in (pair[:2], pair[2:]))
        self._db.executemany("INSERT OR IGNORE INTO copies VALUES (?, ?, ?, ?)", [
            pair for pair in pairs
            if same_article(text.get(pair[:2], ""), text.get(pair[2:], ""), self.settings)
        ])

    def _link_in_memory(
        self, added: Sequence[tuple[int, EntryRows]], found: _FoundInMemory
    ) -> None:
        """`_link`, with the documents in memory (`found`), while the bands have no index: the
        finder first learns the documents indexed since it last looked (another process's,
        or, at the first batch, all that the index held), then compares the new ones."""
        query = "SELECT entry, number, band, length FROM bands WHERE entry > ?"
        bounds = [found.newest]
        if added:  # the new entries come after all others
            query += " AND entry < ?"
            bounds.append(added[0][0])
        rows = self._db.execute(query + " ORDER BY entry, number, band", bounds)
        for location, bands in groupby(rows, key=itemgetter(0, 1)):
            values = list(bands)  # a band's number and value in one integer, by number
            found.finder.known(location, [band & 0xFFFFFFFF for _, _, band, _ in values],
                               values[0][3])
            found.newest = max(found.newest, location[0])
        pairs = []
        for entry, stored in added:
            extracted = stored.extracted
            for number, document in enumerate(zip(extracted.bands, extracted.bodies,
                                                  extracted.lengths, strict=True)):
                pairs += found.finder.add((entry, number), *document)
            found.newest = max(found.newest, entry)
        self._db.executemany("INSERT OR IGNORE INTO copies VALUES (?, ?, ?, ?)",
                             [(*new, *old) for new, old in pairs])

    def _body(self, location: Location) -> str:
        return self.bodies([location]).get(location, "")

    def _problems(self, files: Sequence[PlacedFile]) -> list[Problem]:
        stored = dict(self._db.execute(
            "SELECT entry, problems FROM entries WHERE problems != '[]'"))
        return [problem for file in files if file.entry in stored
                for problem in file_problems(file, stored[file.entry])]

    def _sizes(self, files: Sequence[PlacedFile]) -> tuple[int, int, int]:
        """The documents and comparable figures of the files, and when the newest was indexed."""
        per_entry = Counter(file.entry for file in files)
        sizes = {entry: (documents, claims, added) for entry, documents, claims, added in
                 self._db.execute("SELECT entry, documents, claims, added_ns FROM entries")}
        documents = sum(sizes.get(entry, (0, 0, 0))[0] * n for entry, n in per_entry.items())
        figures = sum(sizes.get(entry, (0, 0, 0))[1] * n for entry, n in per_entry.items())
        newest = max((sizes.get(entry, (0, 0, 0))[2] for entry in per_entry), default=0)
        return documents, figures, newest

    # -- reading claims ------------------------------------------------------------------------

    def claims(
        self,
        snapshot: Snapshot,
        keys: Iterable[QuantityKey],
        phrase: Callable[[str, str], bool] | None = None,
        taken_ids: Iterable[str] = (),
    ) -> tuple[list[Claim], dict[str, IndexedDocument]]:
        """The corpus claims with one of `keys`, and the documents they are in (by doc_id).

        For a key whose metric is a phrase ("~recovery rate"), claims with another phrase of the
        same entity, scope and measure are taken when `phrase(theirs, wanted)` says so.
        `taken_ids` are document ids already in use (the drafts'); corpus ids avoid them.
        """
        self._indexed()  # a look-up without them reads every claim
        wanted = sorted(set(keys))
        by_entry = _by_entry(snapshot)
        rows: list[tuple[Any, ...]] = []
        for start in range(0, len(wanted), 500):
            chunk = [str(key) for key in wanted[start:start + 500]]
            rows += self._db.execute(_CLAIM_ROWS + f"WHERE c.key IN ({_marks(chunk)})", chunk)
        if phrase is not None:
            rows += self._phrase_rows(wanted, phrase)
        rows = [row for row in dict.fromkeys(rows) if row[0] in by_entry]
        documents = _placed({row[:2]: row[4:] for row in rows}, by_entry, set(taken_ids))
        claims = []
        # many claims share a key and words of evidence: each is read once and shared, a key
        # asked for as the very object asked (dictionaries keyed by it then compare no fields)
        asked = {key: key for key in wanted}
        keys_read: dict[str, QuantityKey] = {}
        evidence_read: dict[str, tuple[tuple[str, str], ...]] = {}
        for entry, number, data, *_ in rows:
            sentence, values = _claim_data(data)
            key, evidence = values[_KEY], values[-1]
            if key not in keys_read:
                keys_read[key] = asked.get(read := _key(key), read)
            values[_KEY] = keys_read[key]
            values[-1] = evidence_read.get(evidence) or evidence_read.setdefault(
                evidence, tuple(map(tuple, orjson.loads(evidence))))
            for file in by_entry[entry]:
                claims.append(claim_from_stored(
                    documents[(file.file.shown, entry, number)], sentence, values))
        by_id = {doc.doc_id: doc for doc in documents.values()}
        return claims, by_id

    def sources(
        self, located: Mapping[str, tuple[int, int]], outlets: Mapping[str, str] | None = None
    ) -> dict[str, str]:
        """doc_id -> its independent source, as checker.copies.copies finds it, for documents
        placed in a run (doc_id -> its stored (entry, number)): copies (every pair of a few
        documents, else those found when they were indexed) and articles of one outlet
        (doc_id -> its outlet, when the caller has them: `IndexedDocument.source`)."""
        if outlets is None:
            stored = self._column(located.values(), "source")
            outlets = {doc_id: stored.get(location, "") for doc_id, location in located.items()}
        return independent(self._copies(located), outlets)

    def _copies(self, located: Mapping[str, tuple[int, int]]) -> dict[str, str]:
        return located_copies(located, self._copy_pairs, self.bodies, self.settings)

    def _copy_pairs(self, entries: Sequence[int]) -> Iterator[tuple[Location, Location]]:
        """The copies found among the documents of these entries when they were indexed."""
        for start in range(0, len(entries), 500):
            chunk = entries[start:start + 500]
            for entry, number, other_entry, other_number in self._db.execute(
                    f"SELECT * FROM copies WHERE entry IN ({_marks(chunk)})", chunk):
                yield (entry, number), (other_entry, other_number)

    def facts(self, snapshot: Snapshot) -> Facts:
        """Every document and claim of the snapshot, placed in its file, as a run reads them
        (document ids unique across the corpus, in the order of the files)."""
        if snapshot.facts is not None:
            return snapshot.facts
        return placed_facts(self._blobs(snapshot.files))

    def _blobs(
        self, files: Sequence[PlacedFile], fresh: Mapping[int, bytes] | None = None
    ) -> Iterator[tuple[PlacedFile, bytes]]:
        """Each file with the facts of its entry: from `fresh` (entry -> facts) when there,
        else fetched 500 entries a query, not one by one."""
        fresh = fresh or {}
        for start in range(0, len(files), 500):
            chunk = files[start:start + 500]
            wanted = sorted({file.entry for file in chunk if file.entry not in fresh})
            blobs = dict(self._db.execute(
                f"SELECT entry, facts FROM entries WHERE entry IN ({_marks(wanted)})", wanted,
            )) if wanted else {}
            for file in chunk:
                yield file, fresh[file.entry] if file.entry in fresh else blobs[file.entry]

    def _phrase_rows(
        self, keys: Sequence[QuantityKey], phrase: Callable[[str, str], bool]
    ) -> list[tuple[Any, ...]]:
        rows = []
        for key in keys:
            if not key.phrase:
                continue
            scope, metric = "+".join(key.scope_tokens), key.metric_text
            rows += [
                row for row in self._db.execute(
                    _CLAIM_ROWS + "WHERE c.entity = ? AND c.scope = ? AND c.measure = ? "
                    "AND c.metric LIKE '~%' AND c.metric != ?",
                    (key.entity, scope, key.measure, metric))
                if phrase(row[3], metric)
            ]
        return rows

    def bodies(self, locations: Iterable[tuple[int, int]]) -> dict[tuple[int, int], str]:
        """Normalized bodies of stored documents, by (entry, number)."""
        return {location: zlib.decompress(body).decode("utf-8")
                for location, body in self._column(locations, "body").items()}

    def _column(
        self, locations: Iterable[tuple[int, int]], column: str
    ) -> dict[tuple[int, int], Any]:
        """A column of the documents table for stored documents, by (entry, number)."""
        numbers: dict[int, list[int]] = {}
        for entry, number in set(locations):
            numbers.setdefault(entry, []).append(number)
        found = {}
        for entry, wanted in sorted(numbers.items()):
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                for number, value in self._db.execute(
                    f"SELECT number, {column} FROM documents WHERE entry = ? AND number IN "
                    f"({_marks(chunk)})", (entry, *chunk),
                ):
                    found[(entry, number)] = value
        return found


def _connect(target: str) -> sqlite3.Connection:
    connection = sqlite3.connect(target, timeout=60)  # writers wait for one another
    try:
        if target:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
        connection.executescript(_SCHEMA)
    except BaseException:
        connection.close()
        raise
    return connection


def _make_indexes(target: str) -> None:
    """The look-up indexes of the file `target`, on a connection of its own."""
    connection = sqlite3.connect(target, timeout=60)
    try:
        connection.executescript(_LOOK_UP_INDEXES)
    finally:
        connection.close()


def _remove_stale(folder: Path, keep: Path) -> None:
    """Index files of other fingerprints, unused for STALE_DAYS, are removed (best effort)."""
    cutoff = time.time() - STALE_DAYS * 86400
    for path in folder.glob("index-*.sqlite3*"):
        if path.name.startswith(keep.name):
            continue
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < cutoff:
                path.unlink()


def _digest(
    file: CorpusFile, limit: int, known: Mapping[str, tuple[Any, ...]]
) -> tuple[str, bytes | None, tuple[str, int, int, int, str] | None] | Problem:
    """A file's content hash, its bytes and the files table's row for it; or why it cannot
    be read. A file `known` (location -> its row) unchanged in size, time and inode, and
    within the limit, is not read: its hash is the row's, with neither bytes nor a new row."""
    try:
        status = os.stat(file.location)
    except OSError as error:
        return Problem(file.shown, os_reason(error))
    location = os.path.abspath(file.location)
    row = known.get(location)
    if (row is not None and row[3] - status.st_mtime_ns > RACY_SECONDS * 1e9
            and tuple(row[:3]) == (status.st_size, status.st_mtime_ns, status.st_ino)
            and status.st_size <= limit):
        return str(row[4]), None, None
    data = file_bytes(file, limit)
    if isinstance(data, Problem):
        return data
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    return digest, data, (location, status.st_size, status.st_mtime_ns, status.st_ino, digest)


# A stored claim, its metric, and the stored fields of its document (as _placed takes them).
_CLAIM_ROWS = ("SELECT c.entry, c.number, c.data, c.metric, c.doc_id, c.title, c.published, "
               "c.source FROM claims AS c ")


def _by_entry(snapshot: Snapshot) -> dict[int, list[PlacedFile]]:
    """The files of a snapshot by their entry (files of the same content share one)."""
    by_entry: dict[int, list[PlacedFile]] = {}
    for file in snapshot.files:
        by_entry.setdefault(file.entry, []).append(file)
    return by_entry


def _placed(
    stored: Mapping[tuple[int, int], Sequence[Any]],
    by_entry: Mapping[int, Sequence[PlacedFile]],
    taken: set[str],
) -> dict[tuple[str, int, int], IndexedDocument]:
    """Stored documents, (entry, number) -> (doc_id, title, published, source), placed in
    each file holding them, with ids unique across the run, given in the order of the files."""
    placed: dict[tuple[str, int, int], IndexedDocument] = {}
    # (path, number) is unique: a file holds one entry
    ordered = sorted((file.file.shown, number, entry, index)
                     for entry, number in stored for index, file in enumerate(by_entry[entry]))
    for shown, number, entry, index in ordered:
        file = by_entry[entry][index]
        doc_id, title, published, source = stored[(entry, number)]
        placed[(shown, entry, number)] = IndexedDocument(
            unique_id(restamped(doc_id, file.id_prefix), taken),
            shown,
            PurePath(file.id_prefix).name if title == PLACEHOLDER else title,
            published,
            (entry, number),
            source,
        )
    return placed


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" for _ in values)


@dataclass(slots=True)
class _FoundInMemory:
    """Copies found in memory by a run that adds more files than the index holds."""

    finder: CopyFinder
    newest: int = 0  # the last entry the finder knows


@dataclass(frozen=True, slots=True)
class EntryRows:
    """What the index stores for one file, made where the file was extracted: its facts, and
    the rows of its other tables (without the entry)."""

    extracted: FileFacts
    documents: list[tuple[Any, ...]]
    claims: list[tuple[Any, ...]]  # the comparable claims'
    bands: list[tuple[int, int, int]]


def extract_batch(extract: Extract, batch: Sequence[tuple[bytes, str]]) -> list[EntryRows]:
    """Extract each (bytes, format) of a batch into the rows the index stores: this runs where
    the map sends it, so the rows are small to send back."""
    return [entry_rows(*extract(data, kind)) for data, kind in batch]


def entry_rows(
    documents: Sequence[Document], claims: Sequence[Claim], problems: Sequence[Problem]
) -> EntryRows:
    numbers = {document.doc_id: number for number, document in enumerate(documents)}
    stored = [stored_values(claim) for claim in claims]  # once a claim, for the facts and rows
    extracted = file_facts(documents, claims, problems, stored)
    return EntryRows(
        extracted,
        [(number, document.doc_id, document.title, document.published, document.source,
          document.url, document.lang, body)
         for number, (document, body) in enumerate(zip(documents, extracted.bodies,
                                                       strict=True))],
        [_claim_row(documents[numbers[claim.doc_id]], numbers[claim.doc_id], claim, values)
         for claim, values in zip(claims, stored, strict=True) if is_comparable(claim)],
        # the band number and the MinHash value in one integer
        [(number, band << 32 | value, length)
         for number, (values, length) in enumerate(zip(extracted.bands, extracted.lengths,
                                                       strict=True))
         for band, value in enumerate(values)],
    )


def _size(file: CorpusFile) -> int:
    try:
        return os.path.getsize(file.location)
    except OSError:
        return 0


def _read(file: CorpusFile) -> bytes:
    with open(file.location, "rb") as handle:
        return handle.read()


def _claim_row(
    document: Document, number: int, claim: Claim, values: list[Any]
) -> tuple[Any, ...]:
    """A comparable claim as the claims table holds it: the fields of its document that a
    look-up places it with (no join), and its sentence, then as in the facts (`values`: its
    `stored_values`)."""
    key = claim.key
    assert key is not None  # only comparable claims are rows of the claims table
    stored = list(values)  # shared with the facts: copied before the key is encoded
    # the key and the evidence as JSON texts of their own, each read back once per wording
    stored[_KEY] = orjson.dumps(stored[_KEY]).decode()
    stored[-1] = orjson.dumps(stored[-1]).decode()
    return (number, str(key), key.entity, key.metric_text, "+".join(key.scope_tokens),
            key.measure, document.doc_id, document.title, document.published, document.source,
            orjson.dumps([claim.sentence, *stored]))


def _claim_data(data: bytes) -> tuple[str, list[Any]]:
    """A claims-table row's sentence and stored values (as `_claim_row` wrote them)."""
    sentence, *values = orjson.loads(data)
    return sentence, with_finite_defaults(values)


def _key(text: str) -> QuantityKey:
    entity, metric, measure, scope, *rest = orjson.loads(text)
    return QuantityKey(entity, metric, measure, tuple(scope), *rest)
