"""The ordered stages from files to the fact table.

Each stage takes one type and returns one type:

    ingest     paths                         -> Corpus
    sentences  Document                      -> tuple[Sentence, ...]
    extract    Sentence                      -> list[Mention]
    place      Document, Sentence, Mention   -> Claim
    annotate   Claim                         -> Claim with entity, metric, scope, period, key
                                                (checker.claims; a sentence's claims together)
    group      claims                        -> groups of claims about one quantity
    compare    group                         -> comparison: the sides that disagree
    classify   comparison                    -> findings

`run` chains the stages up to the fact table; `check` runs them all. No stage imports a
renderer; a caller that wants to show progress passes a callback.
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date

from checker.claims import annotate
from checker.extraction import Extractor
from checker.ingest import Corpus, read_corpus
from checker.models import Claim, Document, Finding, Mention, Problem, Sentence
from checker.rulebook import Rulebook
from checker.sentences import split_sentences

__all__ = [
    "Progress",
    "Result",
    "claim_id",
    "document_claims",
    "extract",
    "findings",
    "ingest",
    "line_col",
    "line_starts",
    "place",
    "reference_date",
    "run",
    "sentences",
]

PathLike = str | os.PathLike[str]

# Called once per document after its figures are read: (document, documents done, total).
Progress = Callable[[Document, int, int], None]


@dataclass(frozen=True, slots=True)
class Result:
    """What a run found: the documents read, their figures, and the input that could not be used."""

    documents: tuple[Document, ...]
    claims: tuple[Claim, ...]
    problems: tuple[Problem, ...]
    findings: tuple[Finding, ...] = ()


def ingest(paths: Iterable[PathLike]) -> Corpus:
    """Read files and folders into documents; unreadable input becomes a Problem, not an error."""
    return read_corpus([os.fspath(path) for path in paths])


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
    """Offsets at which the lines of `text` begin."""
    starts = [0]
    position = text.find("\n")
    while position != -1:
        starts.append(position + 1)
        position = text.find("\n", position + 1)
    return starts


def line_col(starts: Sequence[int], offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset; lines end at "\\n" as in editors and git."""
    index = bisect.bisect_right(starts, offset) - 1
    return index + 1, offset - starts[index] + 1


def document_claims(
    document: Document, extractor: Extractor, rulebook: Rulebook | None = None
) -> Iterator[Claim]:
    """All figures of one document, placed in its file; with a rulebook, also annotated with
    what each is about."""
    reference = reference_date(document)
    starts = line_starts(document.text)
    for sentence in sentences(document):
        placed = [
            place(document, sentence, mention, starts)
            for mention in extract(sentence, extractor, reference)
        ]
        yield from annotate(placed, rulebook.lexicon) if rulebook is not None else placed


def _claim_order(claim: Claim) -> tuple[str, int, int, str]:
    return (claim.path, claim.start, claim.end, claim.claim_id)


def run(
    paths: Iterable[PathLike],
    *,
    progress: Progress | None = None,
    rulebook: Rulebook | None = None,
    compare: bool = True,
) -> Result:
    """Read the corpus at `paths`: its fact table, sorted by file and position, and where its
    figures disagree (`compare=False` stops at the fact table, as `numcheck extract` does).

    Each claim carries what it is about (entity, metric, scope, period, key), read with the
    lexicon and rules of `rulebook` (default: rules/ beside the package).
    """
    rulebook = rulebook or Rulebook.load()
    corpus = ingest(paths)
    extractor = Extractor(rulebook.rules_dir)
    total = len(corpus.documents)
    claims: list[Claim] = []
    problems = list(corpus.problems)
    for done, document in enumerate(corpus.documents, start=1):
        try:
            claims.extend(document_claims(document, extractor, rulebook))
        except Exception as exc:  # one article that breaks extraction must not end the run
            problems.append(
                Problem(document.path, f"figures not read ({type(exc).__name__}: {exc})")
            )
        if progress is not None:
            progress(document, done, total)
    result = Result(
        documents=tuple(sorted(corpus.documents, key=lambda d: (d.path, d.start, d.doc_id))),
        claims=tuple(sorted(claims, key=_claim_order)),
        problems=tuple(problems),
    )
    return findings(result, rulebook) if compare else result


def findings(result: Result, rulebook: Rulebook | None = None) -> Result:
    """The result with its findings: claims grouped by quantity, compared, classified."""
    from checker.classify import classify
    from checker.compare import compare
    from checker.group import group

    rulebook = rulebook or Rulebook.load()
    grouping = group(result.claims, result.documents, rulebook)
    comparisons = [compare(each, grouping, rulebook.settings) for each in grouping.groups]
    found = classify(comparisons, result.claims, grouping, rulebook)
    return replace(result, findings=found)
