"""The index of corpus claims: cached by file content, the same claims as the pipeline reads."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from test_bad_input import troubleshooting

from checker import copies as copies_module
from checker.cache import ClaimIndex, fingerprint
from checker.claims import is_checkable, is_comparable
from checker.copies import copies, minhash_bands, normalized_body
from checker.discover import corpus_files
from checker.extraction import Extractor
from checker.file_facts import read_entry
from checker.ingest import read_corpus
from checker.models import Claim, Document, Problem, QuantityKey
from checker.pipeline import FileReader, LocalEngine, document_claims, run
from checker.review import ReviewOptions, review
from checker.rulebook import RULES_DIR, Rulebook, Settings

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SETTINGS = Settings.load()
FIXTURES = ROOT / "tests" / "fixtures" / "review"


class CountingExtract:
    """The extraction the index runs for a file it has not seen, counting the files."""

    def __init__(self) -> None:
        self.rulebook = Rulebook.load(lexicons=["rare-earths"])
        self.extractor = Extractor()
        self.calls = 0

    def __call__(
        self, data: bytes, kind: str
    ) -> tuple[Sequence[Document], Sequence[Claim], Sequence[Problem]]:
        self.calls += 1
        documents, problems = read_entry(data, kind)
        claims = [c for d in documents for c in document_claims(d, self.extractor, self.rulebook)]
        return documents, claims, problems


def all_keys(claims: Sequence[Claim]) -> set[QuantityKey]:
    return {claim.key for claim in claims if claim.key}


@pytest.fixture(scope="module")
def seeds_claims() -> tuple[Claim, ...]:
    return run([SEEDS], compare=False).claims


def test_the_corpus_files_are_the_files_the_pipeline_reads(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    shutil.copytree(ROOT / "tests" / "fixtures" / "ingest", folder / "ingest")
    shutil.copytree(SEEDS, folder / "seeds")
    (folder / ".hidden.txt").write_text("skipped", "utf-8")
    (folder / "image.png").write_bytes(b"\x89PNG")
    files, problems = corpus_files([folder])
    read = read_corpus([folder])
    # one walk: every file is read, or is named in a problem (an empty fixture, say)
    shown = {document.path for document in read.documents} | {p.path for p in read.problems}
    assert [file.shown for file in files] == sorted(shown)
    assert not problems
    assert all(not Path(file.shown).name.startswith(".") for file in files)
    draft = folder / "seeds" / "README.md"
    assert str(draft) not in [file.location for file in files]  # a README is not an article
    excluded, _ = corpus_files([folder], exclude=[folder / "ingest" / "note.md"])
    assert len(excluded) == len(files) - 1


def test_the_index_gives_the_pipelines_claims(seeds_claims: tuple[Claim, ...]) -> None:
    """Every comparable claim of the seeds, re-read from the index under its own path and id."""
    expected = sorted((c for c in seeds_claims if is_checkable(c) and c.key),
                      key=lambda c: c.claim_id)
    files, _ = corpus_files([SEEDS])
    with ClaimIndex.open(None, "test", SETTINGS) as index:
        snapshot = index.update(files, CountingExtract())
        found, documents = index.claims(snapshot, all_keys(expected))
    assert sorted(found, key=lambda c: c.claim_id) == expected
    assert snapshot.documents == len(run([SEEDS], compare=False).documents)
    assert {doc.path for doc in documents.values()} <= {c.path for c in expected}


def test_a_second_run_reads_nothing_again(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    files, _ = corpus_files([corpus])
    first, second, third = CountingExtract(), CountingExtract(), CountingExtract()
    with ClaimIndex.open(tmp_path / "cache", "test", SETTINGS) as index:
        index.update(files, first)
    with ClaimIndex.open(tmp_path / "cache", "test", SETTINGS) as index:
        index.update(files, second)
    assert first.calls == len(files) and second.calls == 0
    # an edited file is read again, and only it
    edited = Path(files[0].location)
    edited.write_text(edited.read_text("utf-8") + "\nA new line: 12 tons of gallium.\n", "utf-8")
    with ClaimIndex.open(tmp_path / "cache", "test", SETTINGS) as index:
        index.update(files, third)
    assert third.calls == 1


def test_touching_a_file_rehashes_it_without_reading_its_figures(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    files, _ = corpus_files([corpus])
    with ClaimIndex.open(tmp_path / "cache", "test", SETTINGS) as index:
        index.update(files, CountingExtract())
    later = CountingExtract()
    os.utime(files[0].location, ns=(1, 1))
    with ClaimIndex.open(tmp_path / "cache", "test", SETTINGS) as index:
        index.update(files, later)
    assert later.calls == 0


def test_the_same_content_at_two_paths_is_read_once(tmp_path: Path) -> None:
    seed = sorted(SEEDS.glob("*.txt"))[3]
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(seed, tmp_path / folder / "copy.txt")
    files, _ = corpus_files([tmp_path / "a", tmp_path / "b"])
    extract = CountingExtract()
    with ClaimIndex.open(None, "test", SETTINGS) as index:
        snapshot = index.update(files, extract)
        keys = all_keys(run([seed], compare=False).claims)
        found, documents = index.claims(snapshot, keys)
    assert extract.calls == 1
    paths = {claim.path for claim in found}
    assert paths == {f"{tmp_path.as_posix()}/a/copy.txt", f"{tmp_path.as_posix()}/b/copy.txt"}
    ids = {claim.doc_id for claim in found}
    assert len(ids) == 2 * len({c.doc_id for c in found if c.path.endswith("a/copy.txt")})


def test_a_change_of_rules_makes_a_new_index(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(RULES_DIR, rules)
    before = fingerprint(rules)
    assert fingerprint(rules) == before  # stable
    lexicon = rules / "lexicon.toml"
    lexicon.write_text(lexicon.read_text("utf-8") + "\n# a comment changes the file\n", "utf-8")
    after = fingerprint(rules)
    assert after != before
    with ClaimIndex.open(tmp_path / "cache", before, SETTINGS) as old, \
            ClaimIndex.open(tmp_path / "cache", after, SETTINGS) as new:
        assert old.path != new.path


def test_a_damaged_index_is_replaced(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    with ClaimIndex.open(cache, "test", SETTINGS) as index:
        path = index.path
    assert path is not None
    path.write_bytes(b"this is not a database" * 100)
    files, _ = corpus_files([sorted(SEEDS.glob("*.txt"))[0]])
    with ClaimIndex.open(cache, "test", SETTINGS) as index:
        snapshot = index.update(files, CountingExtract())
    assert snapshot.documents > 0


def test_an_index_damaged_inside_is_rebuilt_on_the_next_run(tmp_path: Path) -> None:
    cache, corpus = tmp_path / "cache", sorted(SEEDS.glob("*.txt"))[:3]
    first = run(corpus, cache_dir=cache)
    (index,) = cache.glob("index-*.sqlite3")
    with contextlib.closing(sqlite3.connect(index)) as db:
        (page_size,) = db.execute("PRAGMA page_size").fetchone()
        (root,) = db.execute("SELECT rootpage FROM sqlite_schema WHERE name = 'entries'").fetchone()
    data = bytearray(index.read_bytes())
    # garbage in the first page of the table every run reads, the file's header intact (a page
    # picked at random may be one a warm run never reads)
    start = (root - 1) * page_size
    data[start:start + page_size] = os.urandom(page_size)
    index.write_bytes(bytes(data))
    damaged = run(corpus, cache_dir=cache)
    assert len(damaged.claims) == len(first.claims)  # read afresh, in full
    assert any("the damaged index was removed" in p.reason for p in damaged.problems)
    again = run(corpus, cache_dir=cache)
    assert not any("cache not used" in p.reason for p in again.problems)
    assert len(again.claims) == len(first.claims)


def test_a_full_temporary_folder_is_an_error_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import checker.cache as cache_module
    from checker.errors import ConfigError

    connect = cache_module._connect

    def full(path: str) -> sqlite3.Connection:
        if not path:
            raise sqlite3.OperationalError("database or disk is full")
        return connect(path)

    monkeypatch.setattr(cache_module, "_connect", full)
    with pytest.raises(ConfigError, match="cannot write the temporary index .*TMPDIR"):
        review([str(FIXTURES / "slip.md")], ReviewOptions(corpus=(str(SEEDS),)))


@pytest.mark.parametrize("limit", [10_000, 0], ids=["pairwise", "by band"])
def test_a_run_without_a_cache_folder_opens_no_index_and_finds_the_same(
    corpus_with_copies: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    """Without a cache folder the files go from the workers to the result, copies found from
    the bands the workers made; the result is the one a run through a cache folder gives
    (the copies, two files of one content, two of an empty one)."""
    import checker.cache as cache_module

    monkeypatch.setattr(copies_module, "PAIRWISE_LIMIT", limit)
    for copy in ("1", "2"):
        (corpus_with_copies / f"empty{copy}.txt").write_text("---\n\n***\n", "utf-8")
    seed = sorted(corpus_with_copies.glob("0*.txt"))[3]
    shutil.copy(seed, corpus_with_copies / "same.txt")
    cached = run([corpus_with_copies], cache_dir=tmp_path / "cache")

    def refused(path: str) -> sqlite3.Connection:
        raise AssertionError(f"an index was opened: {path!r}")

    monkeypatch.setattr(cache_module, "_connect", refused)
    afresh = run([corpus_with_copies], engine=LocalEngine(jobs=2))
    assert afresh == cached
    assert afresh.sources["same#1"] == afresh.sources[f"{seed.stem}#1"]
    assert afresh.sources["empty2#1"] == "empty2#1"
    assert len(set(afresh.sources.values())) < len(afresh.sources) - 1


def test_a_cache_that_cannot_be_used_is_only_a_warning(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be", "utf-8")
    found = review([str(FIXTURES / "slip.md")],
                   ReviewOptions(corpus=(str(SEEDS),), cache_dir=blocker / "cache"))
    assert [f.code for f in found.findings] == ["NC102"]
    assert any("cache not used" in problem.reason for problem in found.problems)


@pytest.fixture
def corpus_with_copies(tmp_path: Path) -> Path:
    """The seeds and syndicated copies of two of them (the last sentences cut), without their
    one outlet, so that only copies make articles one source."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        text = without_outlet(seed.read_text("utf-8"))
        (corpus / seed.name).write_text(text, "utf-8")
        if seed.name < "002":
            (corpus / f"copy-{seed.name}").write_text(text[: int(len(text) * 0.97)], "utf-8")
    return corpus


def without_outlet(seed_text: str) -> str:
    """A seed export with its outlet lines blanked: each file one article with no outlet."""
    return seed_text.replace("Sou Hu Cai Jing·", "                ")


@pytest.mark.parametrize("workers", [1, 2], ids=["a file a batch", "one batch"])
def test_copies_found_by_the_index_are_those_of_the_pipeline(
    corpus_with_copies: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    """The sources a run counts are the ones checker.group counts, whether the index compares
    the documents pairwise or takes the copies it found when it stored them, a file at a time
    or all in one batch (several workers: batches of at least MIN_BATCH_BYTES)."""
    documents = read_corpus([corpus_with_copies]).documents
    expected = copies(documents, Rulebook.load().settings)
    assert len(set(expected.values())) < len(expected)  # there are copies to find
    files, _ = corpus_files([corpus_with_copies])
    done: list[int] = []

    def progress(files_done: int, _: int) -> None:
        done.append(files_done)

    for limit in (10_000, 0):
        monkeypatch.setattr(copies_module, "PAIRWISE_LIMIT", limit)
        done.clear()
        with ClaimIndex.open(None, "test", SETTINGS) as index:
            snapshot = index.update(files, CountingExtract(), progress, workers=workers)
            assert index.sources(index.facts(snapshot).located) == expected
        assert done == (list(range(1, len(files) + 1)) if workers == 1 else [len(files)])


@pytest.mark.parametrize("limit", [10_000, 0])
def test_one_content_in_two_files_is_one_source_unless_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    monkeypatch.setattr(copies_module, "PAIRWISE_LIMIT", limit)
    seed = sorted(SEEDS.glob("*.txt"))[3]
    for name, text in (("a", without_outlet(seed.read_text("utf-8"))), ("b", "---\n\n***\n")):
        for copy in ("1", "2"):
            (tmp_path / f"{name}{copy}.txt").write_text(text, "utf-8")
    files, _ = corpus_files([tmp_path])
    documents = read_corpus([tmp_path]).documents
    with ClaimIndex.open(None, "test", SETTINGS) as index:
        sources = index.sources(index.facts(index.update(files, CountingExtract())).located)
    assert sources == copies(documents, SETTINGS)
    assert sources["a2#1"] == "a1#1" and sources["b2#1"] == "b2#1"


def test_copies_follow_a_rulebook_changed_in_memory(corpus_with_copies: Path) -> None:
    """The index keeps the copies rules/ defines; a rulebook with other thresholds gets its own."""

    class Seen(LocalEngine):
        sources: Mapping[str, str] = {}

        def findings(self, result: Any, rulebook: Rulebook,
                     source_of: Mapping[str, str]) -> Any:
            Seen.sources = source_of
            return result

    rulebook = Rulebook.load(lexicons=["rare-earths"])
    run([corpus_with_copies], engine=Seen(), rulebook=rulebook)
    assert len(set(Seen.sources.values())) < len(Seen.sources)
    stricter = dataclasses.replace(
        rulebook, settings=dataclasses.replace(rulebook.settings, duplicate_ratio=101.0))
    run([corpus_with_copies], engine=Seen(), rulebook=stricter)
    assert Seen.sources == {doc_id: doc_id for doc_id in Seen.sources}


def test_a_copy_indexed_later_is_found_and_one_left_out_is_not(
    corpus_with_copies: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Copies are found when a file is indexed, against every document stored before it; a run
    counts only the copies among its own files."""
    monkeypatch.setattr(copies_module, "PAIRWISE_LIMIT", 0)
    everything, _ = corpus_files([corpus_with_copies])
    originals = [file for file in everything if "copy-" not in file.shown]
    expected = copies(read_corpus([corpus_with_copies]).documents, Rulebook.load().settings)
    extract = CountingExtract()
    with ClaimIndex.open(tmp_path / "cache", "test", SETTINGS) as index:
        alone = index.sources(index.facts(index.update(originals, CountingExtract())).located)
        together = index.sources(index.facts(index.update(everything, extract)).located)
        again = index.sources(index.facts(index.update(originals, CountingExtract())).located)
    assert extract.calls == 2  # only the copies were read
    assert together == expected
    assert alone == again == {doc_id: doc_id for doc_id in alone}


def test_minhash_bands_are_stable_and_tell_bodies_apart() -> None:
    first, second = (normalized_body(path.read_text("utf-8"))
                     for path in sorted(SEEDS.glob("*.txt"))[:2])
    assert minhash_bands(first) == minhash_bands(first)
    assert minhash_bands(first) != minhash_bands(second)
    assert minhash_bands("") == ()
    cut = first[: int(len(first) * 0.97)]
    assert set(minhash_bands(first)) & set(minhash_bands(cut))


def test_a_run_adding_more_than_the_index_holds_finds_copies_of_what_it_held(
    corpus_with_copies: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that adds more files than the index holds finds the copies in memory, its band
    index made after it: against the documents stored before it too."""
    monkeypatch.setattr(copies_module, "PAIRWISE_LIMIT", 0)
    everything, _ = corpus_files([corpus_with_copies])
    held = [file for file in everything if Path(file.shown).name.startswith("000")]
    assert len(held) == 1 and len(everything) > 2 * len(held)  # the run adds more than it held
    with ClaimIndex.open(tmp_path / "cache", "test", SETTINGS) as index:
        index.update(held, CountingExtract())
        sources = index.sources(index.facts(index.update(everything, CountingExtract())).located)
        assert index.path is not None
    assert sources == copies(read_corpus([corpus_with_copies]).documents, SETTINGS)
    with contextlib.closing(sqlite3.connect(index.path)) as connection:
        (alone,) = connection.execute("SELECT COUNT(*) FROM copies WHERE entry = other_entry "
                                      "AND number = other_number").fetchone()
    assert alone == 0  # a new document is compared with those before it, not with itself


@pytest.mark.parametrize("workers", [1, 2], ids=["a file a batch", "one batch"])
def test_the_facts_placed_as_files_return_are_those_read_back(
    corpus_with_copies: Path, tmp_path: Path, workers: int
) -> None:
    """An update that extracts files places their facts as the batches return; with files
    stored before and one content in two files, they are what reading them back gives."""
    shutil.copy(next(corpus_with_copies.glob("001*.txt")), corpus_with_copies / "again.txt")
    everything, _ = corpus_files([corpus_with_copies])
    with ClaimIndex.open(tmp_path / "cache", "test", SETTINGS) as index:
        index.update(everything[:2], CountingExtract())
        placed = index.update(everything, CountingExtract(), workers=workers, place=True).facts
        again = index.update(everything, CountingExtract(), place=True)
        assert again.facts is None  # nothing extracted: read back when asked
        read = index.facts(again)
    assert placed is not None and placed.claims
    assert placed == read


def test_copies_of_what_another_process_indexes_meanwhile_are_found(
    corpus_with_copies: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two runs fill one cache folder at once, each adding more than it holds: the copies one
    adds of files the other added meanwhile are found."""
    monkeypatch.setattr(copies_module, "PAIRWISE_LIMIT", 0)
    everything, _ = corpus_files([corpus_with_copies])
    originals = [file for file in everything if "copy-" not in file.shown]
    folder = tmp_path / "cache"
    other_extract = CountingExtract()

    def meanwhile(function: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        for number, item in enumerate(items):
            if number == 1:  # once the first file is stored, another run stores the originals
                with ClaimIndex.open(folder, "test", SETTINGS) as other:
                    other.update(originals, other_extract)
            yield function(item)

    with ClaimIndex.open(folder, "test", SETTINGS) as index:
        snapshot = index.update(everything, CountingExtract(), map_=meanwhile)
        sources = index.sources(index.facts(snapshot).located)
    assert other_extract.calls == len(originals) - 1  # all but the first file
    assert sources == copies(read_corpus([corpus_with_copies]).documents, SETTINGS)


def test_an_index_another_run_holds_is_waited_for_not_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLITE_BUSY while opening: another run is making the index. Removing it as damaged
    would break that run (its write-ahead log gone): the open waits, or gives up leaving it."""
    import checker.cache as cache_module

    folder = tmp_path / "cache"
    with ClaimIndex.open(folder, "test", SETTINGS) as index:
        assert index.path is not None
        path = index.path
    inode = os.stat(path).st_ino
    connect, calls = cache_module._connect, []

    def busy(target: str, times: int) -> sqlite3.Connection:
        calls.append(target)
        if len(calls) <= times:
            raise sqlite3.OperationalError("database is locked")
        return connect(target)

    monkeypatch.setattr(cache_module.time, "sleep", lambda seconds: None)
    monkeypatch.setattr(cache_module, "_connect", lambda target: busy(target, 2))
    with ClaimIndex.open(folder, "test", SETTINGS) as index:
        assert index.path == path
    assert len(calls) == 3
    calls.clear()
    monkeypatch.setattr(cache_module, "_connect", lambda target: busy(target, 1_000))
    with pytest.raises(sqlite3.OperationalError):
        ClaimIndex.open(folder, "test", SETTINGS)
    assert len(calls) == cache_module.OPEN_ATTEMPTS
    assert os.stat(path).st_ino == inode  # the same file throughout: never removed


def test_two_processes_share_a_cache(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "checker", "review", "--no-config", "--cache-dir",
               str(tmp_path / "cache"), str(FIXTURES / "slip.md"), "--format", "jsonl"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
            for _ in range(2)]
    outputs = [process.communicate(timeout=300) for process in runs]
    assert [process.returncode for process in runs] == [1, 1], [err for _, err in outputs]
    assert outputs[0][0] == outputs[1][0] and outputs[0][0]
    with sqlite3.connect(next((tmp_path / "cache").glob("index-*.sqlite3"))) as db:
        (entries,) = db.execute("SELECT COUNT(*) FROM entries").fetchone()
    assert entries == len(corpus_files([SEEDS])[0])


def test_the_facts_of_a_file_come_back_as_they_were_read(tmp_path: Path) -> None:
    """Claims are stored positionally: a field out of place would show here."""
    path = sorted(SEEDS.glob("*.txt"))[0]
    reader = FileReader(RULES_DIR, Rulebook.load(lexicons=["rare-earths"]).lexicons)
    documents, claims, _ = reader(path.read_bytes(), ".txt")
    assert claims and any(claim.evidence for claim in claims)
    files, _ = corpus_files([path])
    with ClaimIndex.open(tmp_path / "cache", "test", SETTINGS) as index:
        facts = index.facts(index.update(files, reader))
    placed = {document.doc_id: document for document in facts.documents}
    assert len(facts.claims) == len(claims)
    for stored, read in zip(facts.claims, claims, strict=True):
        document = placed[stored.doc_id]
        assert stored.path == document.path == str(path) and stored.title == document.title
        assert dataclasses.replace(stored, claim_id=read.claim_id, doc_id=read.doc_id,
                                   path=read.path, title=read.title) == read


def test_a_phrase_metric_finds_the_claims_of_a_near_identical_phrase(tmp_path: Path) -> None:
    """A draft keyed "~recovery rates" reads the corpus claims keyed "~recovery rate" when the
    phrase matcher says they are one metric, and no others."""
    article = tmp_path / "corpus" / "gallium.txt"
    article.parent.mkdir()
    article.write_text("The U.S. attempts to recycle gallium have proven insufficient, with a "
                       "recovery rate of only 20%.\n", "utf-8")
    files, _ = corpus_files([article.parent])
    with ClaimIndex.open(None, "test", SETTINGS) as index:
        snapshot = index.update(files, CountingExtract())
        phrase = QuantityKey("united_states", "recovery rate", "percent", ("gallium",),
                             phrase=True)
        (stored,) = [claim for claim in index.claims(snapshot, [phrase])[0]]
        wanted = [QuantityKey("united_states", "recovery rates", "percent", ("gallium",),
                              phrase=True)]
        found, documents = index.claims(
            snapshot, wanted, lambda theirs, asked: (theirs, asked) == ("~recovery rate",
                                                                        "~recovery rates"))
        refused, _ = index.claims(snapshot, wanted, lambda theirs, asked: False)
    assert stored.surface == "20%" and stored.metric == "~recovery rate"
    assert [claim.claim_id for claim in found] == [stored.claim_id]
    assert set(documents) == {stored.doc_id}
    assert refused == []


def test_the_claims_looked_up_by_key_come_back_as_they_were_read(tmp_path: Path) -> None:
    """The claims table stores its own copy of each comparable claim: open bounds
    ("more than 26,000" has no upper one) must come back unbounded, not as missing."""
    files, _ = corpus_files([SEEDS])
    reader = FileReader(RULES_DIR, Rulebook.load(lexicons=["rare-earths"]).lexicons)
    with ClaimIndex.open(tmp_path / "cache", "test", SETTINGS) as index:
        snapshot = index.update(files, reader)
        facts = index.facts(snapshot)
        keyed = [claim for claim in facts.claims if claim.key and is_comparable(claim)]
        looked_up, _ = index.claims(snapshot, {claim.key for claim in keyed})
    assert any(claim.high == float("inf") for claim in keyed)
    by_place = {(claim.path, claim.start): claim for claim in keyed}
    assert len(looked_up) == len(keyed)
    for claim in looked_up:
        read = by_place[(claim.path, claim.start)]
        assert dataclasses.replace(claim, claim_id=read.claim_id, doc_id=read.doc_id,
                                   title=read.title) == read


def test_a_first_run_makes_the_look_up_indexes_beside_the_rest(tmp_path: Path) -> None:
    """A first run makes the look-up indexes after its last batch, on a connection of its own:
    a look-up waits for them, and they are there once the index is closed."""
    files, _ = corpus_files([SEEDS])
    look_ups = {"claims_by_key", "claims_by_phrase", "bands_by_value"}

    def indexes(path: Path) -> set[str]:
        with contextlib.closing(sqlite3.connect(path)) as connection:
            return {name for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' "
                "AND name NOT LIKE 'sqlite_autoindex_%'")}

    with ClaimIndex.open(tmp_path / "cache", "test", SETTINGS) as index:
        snapshot = index.update(files, CountingExtract())
        assert index.path is not None
        index.claims(snapshot, {QuantityKey("russia", "reserves", "mass")})
        assert indexes(index.path) == look_ups
    with ClaimIndex.open(tmp_path / "again", "test", SETTINGS) as index:
        index.update(files, CountingExtract())
    assert indexes(ClaimIndex.path_in(tmp_path / "again", "test")) == look_ups


def test_a_full_cache_disk_is_a_warning_and_the_index_is_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLITE_FULL in the cache folder: the run reads afresh, says so naming the folder, and
    removes the index and the write-ahead log it grew, so the disk is not left full."""
    import checker.cache as cache_module

    connect = cache_module._connect

    def nearly_full(target: str) -> sqlite3.Connection:
        connection = connect(target)
        if target:  # the cache folder's index: room for two more pages
            pages = connection.execute("PRAGMA page_count").fetchone()[0]
            connection.execute(f"PRAGMA max_page_count = {pages + 2}")
        return connection

    cache, corpus = tmp_path / "cache", sorted(SEEDS.glob("*.txt"))[:3]
    monkeypatch.setattr(cache_module, "_connect", nearly_full)
    full = run(corpus, cache_dir=cache)
    monkeypatch.undo()
    assert len(full.claims) == len(run(corpus, cache_dir=None).claims)  # read afresh, in full
    (problem,) = [p for p in full.problems if "cache not used" in p.reason]
    assert problem.path == str(cache)
    assert "database or disk is full" in problem.reason
    assert "removed" in problem.reason
    assert problem.reason.split("(")[1].split(")")[0] in troubleshooting()  # README says so
    assert not list(cache.glob("index-*"))


def _mounted_tmpfs(folder: Path, size: str) -> bool:
    folder.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True, check=False)
    return done.returncode == 0


def test_a_full_cache_filesystem_is_left_with_room(tmp_path: Path) -> None:
    """The same on a real full filesystem (a 400 KB tmpfs; needs root): exit 0, a warning and
    no traceback, and the index's files gone."""
    disk = tmp_path / "disk"
    if not _mounted_tmpfs(disk, "400k"):
        pytest.skip("mounting a tmpfs needs root")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "checker", "report", str(SEEDS), "--cache-dir",
             str(disk / "cache"), "--out", str(tmp_path / "out"), "--quiet"],
            capture_output=True, text=True, check=False, cwd=ROOT,
        )
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        assert f"{disk / 'cache'}: cache not used (database or disk is full" in done.stderr
        assert not list((disk / "cache").glob("index-*"))
        assert shutil.disk_usage(disk).free > 300_000
    finally:
        subprocess.run(["umount", str(disk)], check=False)
