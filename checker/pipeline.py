"""The ordered stages from files to the fact table.

Each stage takes one type and returns one type:

    read       a file's bytes                -> documents (checker.ingest; `FileReader`)
    sentences  Document                      -> tuple[Sentence, ...]
    extract    Sentence                      -> list[Mention]
    place      Document, Sentence, Mention   -> Claim
    annotate   Claim                         -> Claim with entity, metric, scope, period, key
                                                (checker.claims; a sentence's claims together)
    group      claims                        -> groups of claims about one quantity
    compare    group                         -> comparison: the sides that disagree
    classify   comparison                    -> findings

`run` chains the stages: files are read and their figures extracted by a `FileReader`, in
batches through an engine's map (worker processes with `LocalEngine(jobs=N)`, a Dask cluster
with checker.distributed), a content once. With a cache folder the facts go through a claims
index (checker.cache) that keeps each file's facts by content, so a run extracts only files it
has not seen; without one, from the workers to the result. No stage imports a
renderer; a caller that wants to show progress passes a callback. `run_unless` stops once the
index is up to date when the caller holds the output of a run over the same input (a report
folder's stamp: checker.report.folder), so a re-run with nothing changed reads no claims back.
"""

from __future__ import annotations

import bisect
import hashlib
import os
import re
import sqlite3
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache, partial
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from checker.cache import ClaimIndex, Snapshot, fingerprint, without_cache
from checker.claims import Context, annotate
from checker.config import corpus_lexicons
from checker.copies import CopyFinder, copies, independent, located_copies
from checker.discover import CorpusFile, corpus_files, format_of, id_prefixes
from checker.errors import ConfigError
from checker.extraction import Extractor
from checker.file_facts import (
    Facts,
    FileFacts,
    PlacedFile,
    Progress,
    batched,
    extract_files,
    file_problems,
    placed_facts,
    read_entry,
)
from checker.ingest import file_bytes, max_file_bytes_from_env
from checker.models import Claim, Document, Finding, Mention, Problem, Sentence
from checker.rulebook import Rulebook, Settings
from checker.sentences import split_sentences

if TYPE_CHECKING:
    from checker.group import Grouping

__all__ = [
    "Engine",
    "FileReader",
    "LocalEngine",
    "Progress",
    "Result",
    "claim_id",
    "document_claims",
    "extract",
    "findings",
    "line_col",
    "line_starts",
    "place",
    "reference_date",
    "run",
    "run_unless",
    "sentences",
]

PathLike = str | os.PathLike[str]
Held = TypeVar("Held")  # what the caller of run_unless keeps of an earlier run


@dataclass(frozen=True, slots=True)
class Result:
    """What a run found: the documents read, their figures, and the input that could not be used."""

    documents: tuple[Document, ...]
    claims: tuple[Claim, ...]
    problems: tuple[Problem, ...]
    findings: tuple[Finding, ...] = ()
    # doc_id -> its independent source (copies and one outlet count once), when the run compared
    sources: Mapping[str, str] = field(default_factory=dict)
    # A digest of what the result is a function of: the corpus's files as read, the problems,
    # rules/, the lexicons and the package; "" unless the run read through its cache folder with
    # a rulebook of its own loading. Where a result came from is not what it holds: not compared.
    made_from: str = field(default="", compare=False)
    # The rulebook the run read and compared with, for the renderers (loading it takes a while).
    rulebook: Rulebook | None = field(default=None, compare=False, repr=False)
    # The groups the findings were made from with `rulebook`, when the engine keeps them: the
    # report's agreements come from the same groups (grouping again takes a while).
    grouping: Grouping | None = field(default=None, compare=False, repr=False)


def sentences(document: Document) -> tuple[Sentence, ...]:
    """Split a document's body into sentences with offsets into `Document.text`."""
    return tuple(split_sentences(document))


def reference_date(document: Document) -> date | None:
    """The article's date, against which relative dates ("by December 1") are read."""
    try:
        return date.fromisoformat(document.published[:10])
    except ValueError:
        return None


def extract(
    sentence: Sentence, extractor: Extractor, reference: date | None = None
) -> list[Mention]:
    """The figures in one sentence, offsets relative to the sentence."""
    return extractor.mentions(sentence.text, sentence.lang, reference)


def place(
    document: Document,
    sentence: Sentence,
    mention: Mention,
    starts: Sequence[int] | None = None,
) -> Claim:
    """Locate a mention in its file and document: one row of the fact table.

    `starts` (from `line_starts(document.text)`) saves recounting the lines of a document
    for each of its mentions.
    """
    start = sentence.start + mention.start
    end = sentence.start + mention.end
    line, col = line_col(starts if starts is not None else line_starts(document.text), start)
    return Claim.from_mention(
        mention,
        claim_id=claim_id(document, start, end),
        doc_id=document.doc_id,
        path=document.path,
        title=document.title,
        published=document.published,
        lang=sentence.lang,
        line=line,
        col=col,
        start=start,
        end=end,
        sentence=sentence.text,
        sentence_start=sentence.start,
    )


def claim_id(document: Document, start: int, end: int) -> str:
    """Stable across runs and readable: the document and the span in its file."""
    return f"{document.doc_id}:{start}-{end}"


def line_starts(text: str) -> list[int]:
    """Offsets at which the lines of `text` begin: after "\\n", "\\r\\n", or a lone "\\r" (an
    old Mac file's line end, which editors count too)."""
    starts = [0]
    if "\r" not in text:  # the common case, without a pattern
        position = text.find("\n")
        while position != -1:
            starts.append(position + 1)
            position = text.find("\n", position + 1)
        return starts
    starts.extend(match.end() for match in _LINE_END.finditer(text))
    return starts


_LINE_END = re.compile(r"\r\n|\r|\n")


def line_col(starts: Sequence[int], offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset, in the lines of `line_starts`."""
    index = bisect.bisect_right(starts, offset) - 1
    return index + 1, offset - starts[index] + 1


def document_claims(
    document: Document, extractor: Extractor, rulebook: Rulebook | None = None
) -> Iterator[Claim]:
    """All figures of one document, placed in its file; with a rulebook, also annotated with
    what each is about."""
    reference = reference_date(document)
    starts = line_starts(document.text)
    read = list(sentences(document))
    context = None if rulebook is None else Context(
        rulebook.lexicon, document.title, [(s.start, s.text, s.lang) for s in read]
    )
    other_language = extractor.lexicon.decimal_comma.speaks
    table = extractor.lexicon.table_figures
    for sentence in read:
        placed = [
            place(document, sentence, mention, starts)
            for mention in extract(sentence, extractor, reference)
        ]
        # the figures of a table flattened into a line, or of a sentence in a language the
        # lexicon does not read ("Die" is not the verb "die"), are listed, not read for what
        # they measure
        if rulebook is None or len(placed) > table or (placed and other_language(sentence.text)):
            yield from placed
        else:
            yield from annotate(placed, rulebook.lexicon, context)


class FileReader:
    """One file's bytes -> its documents, their annotated claims, and what could not be read.

    Picklable, so worker processes can use it: it carries the rules folder and the lexicon files
    merged into its lexicon, and takes its extractor and rulebook on first use from `_tools`,
    which builds them once a process for the same files: a pool sends a reader afresh with each
    batch of files. `print_`, the fingerprint of those files (checker.cache.fingerprint), is
    worked out where first needed unless the caller has it.
    """

    __slots__ = ("rules_dir", "lexicons", "print_", "_tools")

    def __init__(
        self, rules_dir: Path, lexicons: tuple[Path, ...] = (), print_: str | None = None
    ) -> None:
        self.rules_dir = rules_dir
        self.lexicons = lexicons
        self.print_ = print_
        self._tools: tuple[Extractor, Rulebook] | None = None

    def __reduce__(
        self,
    ) -> tuple[type[FileReader], tuple[Path, tuple[Path, ...], str | None]]:
        return (FileReader, (self.rules_dir, self.lexicons, self.print_))

    def __call__(
        self, data: bytes, kind: str
    ) -> tuple[Sequence[Document], Sequence[Claim], Sequence[Problem]]:
        if self._tools is None:
            if self.print_ is None:
                self.print_ = fingerprint(self.rules_dir, self.lexicons)
            self._tools = _tools(self.rules_dir, self.lexicons, self.print_)
        extractor, rulebook = self._tools
        documents, read_problems = read_entry(data, kind)
        claims: list[Claim] = []
        problems = list(read_problems)
        for document in documents:
            try:
                claims.extend(document_claims(document, extractor, rulebook))
            except Exception as exc:  # one article that breaks extraction must not end the run
                problems.append(
                    Problem(document.path, f"figures not read ({type(exc).__name__}: {exc})")
                )
        return documents, claims, problems


@lru_cache(maxsize=1)
def _tools(rules_dir: Path, lexicons: tuple[Path, ...], print_: str) -> tuple[Extractor, Rulebook]:
    """The extractor and rulebook of a FileReader, kept for the next batch a worker process is
    sent (building them takes about 0.3 s a batch, several seconds a run). `print_`, the
    fingerprint of the files they are read from, makes a changed file build them anew; what
    they keep is only what they have worked out already, which reading more files never
    changes."""
    return Extractor(rules_dir), Rulebook.load(rules_dir, lexicons)


class Engine(Protocol):
    """Where the work of a run happens: a map for extracting batches of files, and the
    comparison of the claims. Used as a context manager around one run."""

    workers: int

    def __enter__(self) -> Engine: ...

    def __exit__(self, *exc: object) -> None: ...

    def map(self, function: Callable[[Any], Any], items: Iterable[Any]) -> Iterable[Any]: ...

    def findings(
        self, result: Result, rulebook: Rulebook, source_of: Mapping[str, str]
    ) -> Result: ...


class LocalEngine:
    """This machine: extraction in `jobs` worker processes (in this process when 1)."""

    def __init__(self, jobs: int = 1) -> None:
        if jobs < 1:
            raise ValueError(f"jobs must be at least 1, not {jobs}")
        self.workers = jobs
        self._stack = ExitStack()
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> LocalEngine:
        if self.workers > 1:
            # spawn: a worker starts clean, whatever threads the caller runs
            pool = ProcessPoolExecutor(self.workers, mp_context=get_context("spawn"),
                                       initializer=_die_with_parent, initargs=(os.getpid(),))
            self._pool = self._stack.enter_context(pool)
        return self

    def __exit__(self, kind: object = None, *exc: object) -> None:
        if self._pool is not None and kind is not None:  # an error or Ctrl-C: drop queued work
            self._pool.shutdown(wait=True, cancel_futures=True)
        self._stack.close()
        self._pool = None

    def map(self, function: Callable[[Any], Any], items: Iterable[Any]) -> Iterable[Any]:
        if self._pool is None:
            return map(function, items)
        return _in_order(self._pool, function, items, ahead=2 * self.workers)

    def findings(
        self, result: Result, rulebook: Rulebook, source_of: Mapping[str, str]
    ) -> Result:
        return findings(result, rulebook, source_of)


def _die_with_parent(parent: int) -> None:
    """A worker ends when the run that started it is gone (killed with SIGKILL, which leaves no
    chance to stop its workers): it would otherwise wait on its queue forever."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="numcheck-parent-watch", daemon=True).start()


def _in_order(
    pool: ProcessPoolExecutor, function: Callable[[Any], Any], items: Iterable[Any], ahead: int
) -> Iterator[Any]:
    """pool.map, holding at most `ahead` items in flight (pool.map sends them all at once, and
    the items are a corpus's files)."""
    waiting: deque[Future[Any]] = deque()
    for item in items:
        waiting.append(pool.submit(function, item))
        if len(waiting) >= ahead:
            yield waiting.popleft().result()
    while waiting:
        yield waiting.popleft().result()


def _claim_order(claim: Claim) -> tuple[str, int, int, str]:
    return (claim.path, claim.start, claim.end, claim.claim_id)


def run(
    paths: Iterable[PathLike],
    *,
    progress: Progress | None = None,
    rulebook: Rulebook | None = None,
    compare: bool = True,
    engine: Engine | None = None,
    cache_dir: PathLike | None = None,
    lexicons: Sequence[PathLike] = (),
) -> Result:
    """Read the corpus at `paths`: its fact table, sorted by file and position, and where its
    figures disagree (`compare=False` stops at the fact table, as `numcheck extract` does).

    Each claim carries what it is about (entity, metric, scope, period, key), read with the
    lexicon and rules of `rulebook` (default: rules/ of the package, its lexicon merged with the
    packs a corpus folder's numcheck.toml names and then `lexicons`, pack names or files: see
    checker.packs; extraction, which may run in other processes, loads them from
    `rulebook.rules_dir` and `rulebook.lexicons`, the comparison uses `rulebook` itself, so a
    rulebook changed in memory changes the comparison only). `engine` does the
    work (default: this process); with `cache_dir`, the facts of each file are kept there by
    content, and only new or changed files are extracted. A cache that cannot be used is a
    problem of the run, which then reads the corpus afresh.
    """
    result = _run(paths, None, progress=progress, rulebook=rulebook, compare=compare,
                  engine=engine, cache_dir=cache_dir, lexicons=lexicons)
    assert isinstance(result, Result)
    return result


def run_unless(
    paths: Iterable[PathLike],
    held: Callable[[str], Held | None],
    *,
    progress: Progress | None = None,
    engine: Engine | None = None,
    cache_dir: PathLike | None = None,
    lexicons: Sequence[PathLike] = (),
) -> Result | Held:
    """`run` to the findings, unless the caller holds what it made of the same input before.

    Once the index of `cache_dir` is up to date, and before the corpus's claims are read back
    from it, `held(made_from)` is asked (`made_from`: the `Result.made_from` a run would
    return); what it gives, if not None, is returned instead of a Result. The claims of files
    extracted in this run are placed as their batches return, before it asks. A run without
    a cache folder, or whose cache folder cannot be used, does not ask.
    """
    return _run(paths, held, progress=progress, compare=True, engine=engine,
                cache_dir=cache_dir, lexicons=lexicons)


@dataclass(frozen=True, slots=True)
class _Kept(Generic[Held]):
    """What the caller of run_unless held, on its way out of the run."""

    value: Held


def _run(
    paths: Iterable[PathLike],
    held: Callable[[str], Held | None] | None,
    *,
    progress: Progress | None,
    compare: bool,
    engine: Engine | None,
    cache_dir: PathLike | None,
    lexicons: Sequence[PathLike],
    rulebook: Rulebook | None = None,
) -> Result | Held:
    paths = list(paths)
    given_rulebook = rulebook is not None
    if rulebook is None:
        rulebook = Rulebook.load(lexicons=(*corpus_lexicons(paths), *lexicons))
    elif lexicons:
        raise ValueError("give lexicons to Rulebook.load when a rulebook is given")
    files, problems = corpus_files(paths)
    print_ = fingerprint(rulebook.rules_dir, rulebook.lexicons)
    reader = FileReader(rulebook.rules_dir, rulebook.lexicons, print_)
    stored = Settings.load(rulebook.rules_dir)  # the index keeps copies found with these
    with engine or LocalEngine() as working:

        def read(folder: Path) -> _Read | _Kept[Held]:
            with ClaimIndex.open(folder, print_, stored) as index:
                snapshot = index.update(files, reader, progress, map_=working.map,
                                        workers=working.workers, place=True)
                made_from = "" if given_rulebook else _made_from(
                    print_, snapshot, problems, compare)
                if held is not None and made_from:
                    kept = held(made_from)
                    if kept is not None:
                        return _Kept(kept)
                facts = index.facts(snapshot)
                sources: Mapping[str, str] = {}  # a run that stops at the fact table: none
                if compare and _copy_thresholds(rulebook.settings) == _copy_thresholds(stored):
                    sources = index.sources(facts.located)
                elif compare:  # the index keeps the copies of rules/; this rulebook differs
                    sources = copies(facts.documents, rulebook.settings)
                return _Read(facts, sources, snapshot.problems + facts.problems, made_from)

        def read_afresh() -> _Read:
            finder = CopyFinder(rulebook.settings)
            facts, read_problems = _read_files(files, reader, progress, working, finder)
            sources: Mapping[str, str] = {}
            if compare:
                sources = independent(
                    located_copies(facts.located, finder.pairs, finder.bodies,
                                   rulebook.settings),
                    {document.doc_id: document.source for document in facts.documents})
            return _Read(facts, sources, read_problems + facts.problems, "")

        outcome: _Read | _Kept[Held]
        if cache_dir is None:
            outcome = read_afresh()
        else:
            folder = Path(cache_dir)
            try:
                outcome = read(folder)
            except (ConfigError, sqlite3.Error) as error:  # a cache is a convenience
                problems.append(without_cache(error, folder, print_))
                outcome = read_afresh()
        if isinstance(outcome, _Kept):
            return outcome.value
        result = Result(
            documents=tuple(sorted(outcome.facts.documents,
                                   key=lambda d: (d.path, d.start, d.doc_id))),
            claims=tuple(sorted(outcome.facts.claims, key=_claim_order)),
            problems=(*problems, *outcome.problems),
            made_from=outcome.made_from,
            rulebook=rulebook,
        )
        if not compare:
            return result
        return replace(working.findings(result, rulebook, outcome.sources),
                       sources=outcome.sources)


@dataclass(frozen=True, slots=True)
class _Read:
    """What a run reads from the index: the facts, each document's source, the problems."""

    facts: Facts
    sources: Mapping[str, str]
    problems: tuple[Problem, ...]
    made_from: str


def _read_files(
    files: Sequence[CorpusFile],
    reader: FileReader,
    progress: Progress | None,
    engine: Engine,
    finder: CopyFinder,
) -> tuple[Facts, tuple[Problem, ...]]:
    """The facts of the files, extracted by `engine` in batches, a content once, and what could
    not be read, sorted. As each batch returns, while the workers extract the next, its
    documents go to `finder` and the files whose facts are all there are placed: the contents
    are sent in the order of the files, so the files are placed in their order."""
    limit = max_file_bytes_from_env()
    problems: list[Problem] = []
    located: list[tuple[CorpusFile, tuple[str, str]]] = []
    pending: dict[tuple[str, str], bytes] = {}  # in the order of the files
    for file in files:
        data = file_bytes(file, limit)
        if isinstance(data, Problem):
            problems.append(data)
            continue
        content = (hashlib.blake2b(data, digest_size=16).hexdigest(), format_of(file.location))
        located.append((file, content))
        pending.setdefault(content, data)
    contents = list(pending)
    entry = {content: number for number, content in enumerate(contents, 1)}
    batches = batched(contents, [len(pending[content]) for content in contents], engine.workers)
    prefixes = id_prefixes([file for file, _ in located])
    placed = [PlacedFile(file, entry[content], prefix)
              for (file, content), prefix in zip(located, prefixes, strict=True)]

    def arriving() -> Iterator[tuple[PlacedFile, bytes]]:
        # entry -> its facts, let go once the last file of that content is placed
        extracted: dict[int, FileFacts] = {}
        uses = Counter(file.entry for file in placed)
        done = 0
        waiting = iter(placed)
        file = next(waiting, None)
        # a batch's bytes are let go once it is sent
        sent = ([(pending.pop(content), content[1]) for content in batch] for batch in batches)
        for batch, facts_of in zip(batches, engine.map(partial(extract_files, reader), sent),
                                   strict=True):
            for content, of_file in zip(batch, facts_of, strict=True):
                extracted[entry[content]] = of_file
                for number, document in enumerate(zip(of_file.bands, of_file.bodies,
                                                       of_file.lengths, strict=True)):
                    finder.add((entry[content], number), *document)
            done += len(batch)
            if progress is not None:
                progress(done, len(contents))
            while file is not None and file.entry in extracted:
                problems.extend(file_problems(file, extracted[file.entry].problems))
                yield file, extracted[file.entry].facts
                uses[file.entry] -= 1
                if not uses[file.entry]:
                    del extracted[file.entry]
                file = next(waiting, None)

    facts = placed_facts(arriving())
    return facts, tuple(sorted(problems, key=lambda p: (p.path, p.line or 0, p.reason)))


def _made_from(
    print_: str, snapshot: Snapshot, problems: Sequence[Problem], compare: bool
) -> str:
    """The digest of a run's input: the index's fingerprint (rules/, lexicons, the package),
    the corpus as read, the problems of finding its files, and whether it compares."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{print_}\0{snapshot.digest}\0{compare}\0{problems!r}".encode())
    return digest.hexdigest()


def _copy_thresholds(settings: Settings) -> tuple[float, float]:
    return settings.duplicate_ratio, settings.duplicate_length_factor


def findings(
    result: Result,
    rulebook: Rulebook | None = None,
    source_of: Mapping[str, str] | None = None,
) -> Result:
    """The result with its findings: claims grouped by quantity, compared, classified; and
    the groups and the rulebook they were made with (`Result.grouping`, `Result.rulebook`).

    `source_of` (doc_id -> its source: copies count once) is found here when not given.
    """
    from checker.classify import classify
    from checker.compare import compare
    from checker.group import group

    rulebook = rulebook or Rulebook.load()
    grouping = group(result.claims, result.documents, rulebook, source_of)
    comparisons = [compare(each, grouping, rulebook.settings) for each in grouping.groups]
    found = classify(comparisons, result.claims, grouping, rulebook)
    return replace(result, findings=found, grouping=grouping, rulebook=rulebook)
