"""Files -> Documents.

Reads the "search documents" export (several articles per file), plain text, Markdown,
HTML and JSON Lines. Every Document.text has the length of the decoded file and keeps its
newlines: what is not prose (citation markers, URLs, markup, JSON around the text, control
characters) is masked by spaces, so offsets and line numbers found in it are those of the file.
A file that cannot be used becomes a Problem; the others are still read.

Input is untrusted and may be anything: a file larger than the size limit (NUMCHECK_MAX_FILE_MB,
default 10 MB) is refused before it is read, so memory stays bounded whatever a folder holds;
pipes and devices are refused without blocking; a symlink loop is walked once.
"""

from __future__ import annotations

import codecs
import html
import json
import os
import re
import stat
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path, PurePath

import charset_normalizer

from checker.discover import (
    HTML_SUFFIXES,
    JSON_SUFFIX,
    JSONL_SUFFIXES,
    CorpusFile,
    corpus_files,
    id_prefixes,
    not_regular_reason,
    os_reason,
)
from checker.errors import ConfigError
from checker.models import Document, Problem
from checker.sentences import LINE_BREAK, detect_lang

__all__ = [
    "Corpus",
    "DEFAULT_MAX_FILE_MB",
    "FileRefused",
    "MAX_FILE_ENV",
    "file_bytes",
    "max_file_bytes_from_env",
    "parse_bytes",
    "parse_text",
    "read_bounded",
    "read_corpus",
    "too_large_reason",
    "unique_id",
]

# Reading a file's figures takes some 20 (extract) to 40 (report) times its size in memory: a
# 10 MB export peaked at 300 MB and 530 MB of resident memory. A larger file is refused, unread,
# rather than allowed to exhaust memory; an article file is seldom above 1 MB.
DEFAULT_MAX_FILE_MB = 10
MAX_FILE_ENV = "NUMCHECK_MAX_FILE_MB"

# A preamble line this long is an article body without a title, not a header like "Workflow".
UNTITLED_BODY_MIN_CHARS = 80

_MAGIC = (
    (b"%PDF", "PDF"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"\xd0\xcf\x11\xe0", "Office document"),
    (b"\x7fELF", "executable"),
    (b"\x1f\x8b", "gzip archive"),
    (b"7z\xbc\xaf", "7z archive"),
    (b"Rar!", "RAR archive"),
    (b"RIFF", "RIFF media"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"\x00\x00\x01\x00", "icon"),
    (b"wOFF", "font"),
    (b"SQLite format 3", "SQLite database"),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# Never prose, and a terminal would obey them (ESC sequences): masked wherever text is kept.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ASCII = bytes(range(0x80))
# At most this share of the non-ASCII bytes of a UTF-8 file may be broken before it is taken for
# another encoding (a cp1252 or GBK file has hardly any valid UTF-8 sequence).
_BROKEN_UTF8_SHARE = 0.05
_GLUED_CJK = re.compile(r"(?<=[A-Za-z])[\u3400-\u9fff]|[\u3400-\u9fff](?=[A-Za-z])")
_LETTER_RUN = re.compile(r"[^\W\d_]+")
# One-byte encodings a short file that is not UTF-8 is most often in: Western European, then
# Russian in its two usual forms.
_SINGLE_BYTE_ENCODINGS = ("cp1252", "cp1251", "koi8_r")
_COMMON_CJK = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")

_NOT_NEWLINE = re.compile(r"[^\n]")
_CITATION = re.compile(r"\[\s*\d{1,3}(?:\s*[,–-]\s*\d{1,3})*\s*\]")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'，。）)\]]+")
_MARKDOWN_LINK_TARGET = re.compile(r"(?<=\])\([^)\s]*\)")
_SEPARATOR = re.compile("[·•・]")  # between the source and the date of a source line
_SOURCE_LINE = re.compile(
    rf"^(?P<source>\S[^\n]{{0,120}}?)[ \t]*{_SEPARATOR.pattern}[ \t]*"
    r"(?P<date>\d{4}-\d{1,2}-\d{1,2})(?:[ T]+(?P<time>\d{1,2}:\d{2})(?::\d{2})?)?[ \t\r]*$",
    re.MULTILINE,
)
_ISO_PREFIX = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2}))?")
_MARKDOWN_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_MARKDOWN_EMPHASIS = re.compile(r"[*_`]+")
_FIRST_LINE = re.compile(r"\S[^\n]*")
_SPACES = re.compile(r"\s+")
_VISIBLE = re.compile(r"\S")


@dataclass(frozen=True, slots=True)
class Corpus:
    """The documents read, in a stable order, and what could not be read."""

    documents: tuple[Document, ...]
    problems: tuple[Problem, ...]


@dataclass(frozen=True, slots=True)
class _Article:
    start: int
    end: int
    title: str = ""
    published: str = ""
    source: str = ""
    url: str = ""
    doc_id: str = ""  # an id the file gives (JSON Lines "id")
    line: int = 0  # the line a one-line record starts on (JSON Lines)


class _DecodeError(Exception):
    """Why the bytes of a file are not text."""


class FileRefused(Exception):
    """Why a file is not read at all (too large, not a regular file)."""


@dataclass(frozen=True, slots=True)
class _Decoded:
    text: str
    warning: str = ""  # the file was read, but not all of it as written
    line: int | None = None


# ---------------------------------------------------------------------------------------------
# public API


def read_corpus(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    max_file_bytes: int | None = None,
) -> Corpus:
    """Read files and folders (as checker.discover walks them) into documents.

    Files are read in the order of their paths, whatever the order they were given in, so the
    same files give the same documents and ids. A file larger than `max_file_bytes` (default:
    the environment's NUMCHECK_MAX_FILE_MB, else DEFAULT_MAX_FILE_MB) is a Problem, unread.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    limit = max_file_bytes if max_file_bytes is not None else max_file_bytes_from_env()
    files, problems = corpus_files(paths)
    documents: list[Document] = []
    used_ids: set[str] = set()
    for file, prefix in zip(files, id_prefixes(files), strict=True):
        file_documents, file_problems = _read_file(file, prefix, used_ids, limit)
        documents.extend(file_documents)
        problems.extend(file_problems)
    return Corpus(documents=tuple(documents), problems=_sorted_problems(problems))


def parse_text(text: str, path: str = "<stdin>", suffix: str = ".txt") -> Corpus:
    """Documents from text already in memory (a draft on stdin); `suffix` picks the format."""
    id_prefix = PurePath(path).stem or "stdin"
    documents, problems = _parse(text, path, id_prefix, suffix.lower(), set())
    return Corpus(documents=tuple(documents), problems=tuple(problems))


def parse_bytes(data: bytes, path: str = "<stdin>", suffix: str = ".txt") -> Corpus:
    """Documents from the bytes of a file already in memory, decoded as `read_corpus` would."""
    id_prefix = PurePath(path).stem or "stdin"
    documents, problems = _parse_bytes(data, path, id_prefix, suffix.lower(), set())
    return Corpus(documents=tuple(documents), problems=_sorted_problems(problems))


def max_file_bytes_from_env() -> int:
    """The size limit per file: NUMCHECK_MAX_FILE_MB megabytes (0: none), else the default."""
    given = os.environ.get(MAX_FILE_ENV, "").strip()
    if not given:
        return DEFAULT_MAX_FILE_MB * 1_000_000
    try:
        megabytes = float(given)
    except ValueError:
        megabytes = -1.0
    if not megabytes >= 0 or megabytes == float("inf"):
        raise ConfigError(f"{MAX_FILE_ENV} must be a number of megabytes (0 for no limit), "
                          f"not {given!r}")
    return int(megabytes * 1_000_000) if megabytes else sys.maxsize


def _sorted_problems(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    return tuple(sorted(problems, key=lambda p: (p.path, p.line or 0, p.reason)))


# ---------------------------------------------------------------------------------------------
# reading and decoding one file


def _read_file(
    file: CorpusFile, id_prefix: str, used_ids: set[str], limit: int
) -> tuple[list[Document], list[Problem]]:
    data = file_bytes(file, limit)
    if isinstance(data, Problem):
        return [], [data]
    suffix = PurePath(file.location).suffix.lower()
    return _parse_bytes(data, file.shown, id_prefix, suffix, used_ids)


def file_bytes(file: CorpusFile, limit: int) -> bytes | Problem:
    """A corpus file's bytes, or why they cannot be read: not a regular file, larger than
    `limit` (both known from its status, before it is opened), gone or unreadable."""
    try:
        status = os.stat(file.location)
        if not stat.S_ISREG(status.st_mode):
            return Problem(file.shown, not_regular_reason(status.st_mode))
        if status.st_size > limit:
            return Problem(file.shown, too_large_reason(status.st_size, limit))
        return read_bounded(Path(file.location), limit)
    except OSError as error:
        return Problem(file.shown, os_reason(error))
    except FileRefused as refused:  # a pipe, or a file grown past the limit meanwhile
        return Problem(file.shown, str(refused))


def read_bounded(location: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes.

    Opened without blocking and checked before reading, so that a named pipe or a device in
    a folder (or a link to /dev/zero) is refused rather than waited on or read for ever; read
    to at most one byte past the limit, so that a file growing meanwhile cannot get through.
    """
    descriptor = os.open(location, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with open(descriptor, "rb", closefd=True) as handle:
        mode = os.fstat(descriptor)
        if not stat.S_ISREG(mode.st_mode):
            raise FileRefused(not_regular_reason(mode.st_mode))
        if mode.st_size > limit:
            raise FileRefused(too_large_reason(mode.st_size, limit))
        # read(n) sets n bytes aside first: ask for the size the file has, plus one byte to
        # notice a file still being written, and only then for the rest up to the limit
        data = handle.read(mode.st_size + 1)
        if len(data) > mode.st_size:
            data += handle.read(limit + 1 - len(data) if limit < sys.maxsize else -1)
    if len(data) > limit:
        raise FileRefused(too_large_reason(len(data), limit))
    return data


def too_large_reason(size: int, limit: int) -> str:
    shown = f"{size / 1e6:.1f} MB"
    if f"{size / 1e6:.1f}" == f"{limit / 1e6:.1f}":  # "10.0 MB, the limit is 10 MB" says nothing
        shown = f"{size:,} bytes"
    return (
        f"file too large ({shown}, the limit is {limit / 1e6:g} MB): split it, or "
        f"raise the limit with {MAX_FILE_ENV}=<megabytes>"
    )


def _parse_bytes(
    data: bytes, shown: str, id_prefix: str, suffix: str, used_ids: set[str]
) -> tuple[list[Document], list[Problem]]:
    if not data.strip():
        return [], [Problem(shown, "empty file")]
    try:
        decoded = _decode(data)
    except _DecodeError as error:
        return [], [Problem(shown, str(error))]
    if not decoded.text.strip():
        return [], [Problem(shown, "empty file")]
    documents, problems = _parse(decoded.text, shown, id_prefix, suffix, used_ids)
    if decoded.warning:
        problems.insert(0, Problem(shown, decoded.warning, decoded.line))
    return documents, problems


def _decode(data: bytes) -> _Decoded:
    """UTF-8 (BOM or not), a BOM's UTF-16/32, GB18030 when it reads as Chinese, UTF-8 with a
    few broken bytes (replaced, with a warning), else detection."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise _DecodeError(f"binary file ({kind}), not text")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _Decoded(_checked(data.decode(encoding)))
            except UnicodeDecodeError as error:
                raise _DecodeError(f"cannot decode text as {encoding}: {error.reason}") from error
    try:
        return _Decoded(_checked(data.decode("utf-8")))
    except UnicodeDecodeError as error:
        first_error = error.start
    if b"\x00" not in data:
        chinese = _as_chinese(data)
        if chinese is not None:
            return _Decoded(_checked(chinese))
        mended = _mostly_utf8(data, first_error)
        if mended is not None:
            return mended
        guessed = _single_byte(data)
        if guessed is not None:
            text, encoding = guessed
            return _Decoded(_checked(text), f"not UTF-8: read as {encoding}, a guess; save the "
                                            "file as UTF-8 to be sure")
    match = charset_normalizer.from_bytes(data).best()
    if match is None:
        reason = "binary file (NUL bytes), not text" if b"\x00" in data else "unknown encoding"
        raise _DecodeError(f"cannot decode text: {reason}")
    return _Decoded(_checked(str(match)))


def _mostly_utf8(data: bytes, first_error: int) -> _Decoded | None:
    """UTF-8 text with a few broken bytes (a cut or a bad copy): each broken sequence becomes
    U+FFFD and the file is read, with a warning saying where."""
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd") - data.count("\ufffd".encode())
    non_ascii = len(data.translate(None, _ASCII))
    if broken > _BROKEN_UTF8_SHARE * non_ascii:
        return None
    line = data.count(b"\n", 0, first_error) + 1
    noun = "sequence" if broken == 1 else "sequences"
    warning = f"{broken} byte {noun} not valid UTF-8, read as U+FFFD (the first on line {line})"
    return _Decoded(_checked(text), warning, line)


def _as_chinese(data: bytes) -> str | None:
    """Short GBK files fool general detectors, and this corpus is English and Chinese."""
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    non_ascii = sum(1 for _ in _NON_ASCII.finditer(text))
    common = sum(1 for _ in _COMMON_CJK.finditer(text))
    # A character glued inside a Latin word is two bytes of another encoding ("Müller" in
    # cp1252 reads as "M黮ler"); Chinese touches Latin letters only now and then ("Tesla的")
    glued = len(_GLUED_CJK.findall(text))
    if not non_ascii or common < 0.95 * non_ascii or glued > 0.2 * common:
        return None
    return text


def _single_byte(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) of a short file in one of the common one-byte encodings, when one of
    them reads as words of one script in natural case; else None."""
    best: tuple[float, str, str] | None = None
    for encoding in _SINGLE_BYTE_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        words = [w for w in _LETTER_RUN.findall(text) if not w.isascii()]
        if not words:
            continue
        score = sum(_natural_word(word) for word in words) / len(words)
        if best is None or score > best[0]:
            best = (score, encoding, text)
    return (best[2], best[1]) if best is not None and best[0] >= 0.9 else None


def _natural_word(word: str) -> bool:
    """A word of one script written in one of the cases words are written in; a Latin word
    mostly of accented letters ("Äîáû", Russian read as cp1252) is none."""
    scripts = {unicodedata.name(char, "?").split()[0] for char in word}
    cased = word.islower() or word.isupper() or (word[:1].isupper() and word[1:].islower())
    accented = sum(not char.isascii() for char in word)
    return len(scripts) == 1 and cased and not (scripts == {"LATIN"} and 2 * accented > len(word))


def _checked(text: str) -> str:
    controls = sum(1 for _ in _CONTROL_CHARS.finditer(text))
    if controls > max(2, len(text) // 100):
        raise _DecodeError("binary file (control characters), not text")
    return text


# ---------------------------------------------------------------------------------------------
# formats


def _parse(
    text: str, shown: str, id_prefix: str, suffix: str, used_ids: set[str]
) -> tuple[list[Document], list[Problem]]:
    problems: list[Problem] = []
    if suffix in JSONL_SUFFIXES:
        masked, articles = _json_articles(text, _lines(text), shown, id_prefix, problems)
    elif suffix == JSON_SUFFIX:
        records = _array_items(text, shown, problems)
        masked, articles = _json_articles(text, records, shown, id_prefix, problems)
    elif suffix in HTML_SUFFIXES:
        masked, article = _html_article(text, id_prefix)
        articles = [article]
    else:
        markdown = suffix in (".md", ".markdown")
        masked, given = _front_matter(text)
        masked = _mask_non_prose(masked, markdown=markdown)
        export = _export_articles(masked, markdown)
        if export is None:
            masked, article = _plain_article(masked, id_prefix, markdown)
            articles = [article]
        else:
            masked, articles = export
        articles = _with_front_matter(articles, given)
    masked = _printable(masked)
    documents = []
    for number, article in enumerate(articles, start=1):
        own_id = f"{id_prefix}:{article.line}" if article.line else f"{id_prefix}#{number}"
        own_id = _printable(own_id)
        wanted = _printable(article.doc_id)
        doc_id = unique_id(wanted or own_id, used_ids, own_id)
        if wanted and doc_id != wanted:
            reason = f"duplicate id {wanted!r}, kept as {doc_id!r}"
            problems.append(Problem(shown, reason, article.line or None))
        body = masked[article.start : article.end]
        documents.append(
            Document(
                doc_id=doc_id,
                path=shown,
                text=masked,
                start=article.start,
                end=article.end,
                title=_printable(article.title),
                published=article.published,
                source=_printable(article.source),
                url=_printable(article.url),
                lang=detect_lang(body if body.strip() else article.title),
            )
        )
    return documents, problems


def unique_id(wanted: str, used_ids: set[str], fallback: str = "") -> str:
    """`wanted`, or `fallback` (default: `wanted`), `fallback~2`, `~3`... when taken; taken
    from now on."""
    fallback = fallback or wanted
    doc_id = fallback if wanted in used_ids else wanted
    copy = 1
    while doc_id in used_ids:
        copy += 1
        doc_id = f"{fallback}~{copy}"
    used_ids.add(doc_id)
    return doc_id


def _printable(text: str) -> str:
    """Control characters as spaces: the length, and so every offset, is kept."""
    return _UNPRINTABLE.sub(" ", text)


def _mask(match: re.Match[str]) -> str:
    return _NOT_NEWLINE.sub(" ", match.group())


def _mask_non_prose(text: str, markdown: bool = False) -> str:
    """Citation markers and URLs become spaces of the same length."""
    text = _CITATION.sub(_mask, text)
    if markdown:
        text = _MARKDOWN_LINK_TARGET.sub(_mask, text)
    if "http" not in text and "www." not in text:  # what every URL begins with: most bodies lack it
        return text
    return _URL.sub(_mask, text)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding whitespace; an empty span stays at `start`."""
    first = _VISIBLE.search(text, start, end)
    if first is None:
        return start, start
    last = len(text[first.start() : end].rstrip())
    return first.start(), first.start() + last


def _iso(year: str, month: str, day: str, hour: str | None, minute: str | None) -> str:
    try:
        moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
    except ValueError:
        return ""
    return moment.strftime("%Y-%m-%dT%H:%M" if hour is not None else "%Y-%m-%d")


def _normalized_date(value: object) -> str:
    """An ISO date of a metadata value: ISO 8601 ("2024-01-03T10:00:00Z"), or a date as
    written ("3 January 2024", "Wed, 03 Jan 2024 10:00:00 GMT", 2024年1月3日); "" else."""
    text = str(value).strip() if value else ""
    match = _ISO_PREFIX.match(text)
    if match:
        return _iso(*match.groups())
    found = _date_at_end(text)
    return found[1] if found and found[0] == 0 else ""


def _date_at_end(text: str) -> tuple[int, str] | None:
    """Where a date that ends `text` starts, and the date in ISO 8601."""
    for pattern in _DATES:
        match = pattern.search(text)
        if match is None:
            continue
        parts = match.groupdict()
        month = parts.get("m") or str(_MONTHS.get(parts["mon"].casefold().rstrip("."), 0))
        iso = _iso(parts["y"], month, parts["d"], parts.get("H"), parts.get("M"))
        if iso:
            return match.start(), iso
    return None


def _one_line(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


# the "search documents" export ------------------------------------------------------------------


def _source_lines(text: str) -> list[re.Match[str]]:
    """`_SOURCE_LINE.finditer(text)`, matched only at the start of the lines that hold a
    separator: a match is one whole line, and most lines of an export hold none."""
    found = []
    position = 0
    while separator := _SEPARATOR.search(text, position):
        if match := _SOURCE_LINE.match(text, text.rfind("\n", 0, separator.start()) + 1):
            found.append(match)
        line_end = text.find("\n", separator.end())  # the next line: each line tried once
        if line_end < 0:
            break
        position = line_end + 1
    return found


def _export_articles(text: str, markdown: bool = False) -> tuple[str, list[_Article]] | None:
    """Articles of the export: a title line, a `source·date` line, then the body.

    An article's span runs from its title line (headlines hold figures too) to the end of its
    body. The source line is metadata: kept in the fields and masked in the text, so its date
    is never read as a figure. None when the text is not an export.
    """
    source_lines = _source_lines(text)
    if not source_lines:
        return None
    text = _compose(text, _unmasked_spans(text, [line.span() for line in source_lines]))
    title_starts = []  # where each title line starts; the source line's start if none
    previous_end = 0
    for source_line in source_lines:
        before = text[previous_end : source_line.start()].rstrip()
        title_starts.append(
            previous_end + before.rfind("\n") + 1 if before else source_line.start()
        )
        previous_end = source_line.end()
    articles = _untitled_opening(text, title_starts[0])
    for index, source_line in enumerate(source_lines):
        following = title_starts[index + 1] if index + 1 < len(source_lines) else len(text)
        title = _one_line(text[title_starts[index] : source_line.start()])
        if markdown:
            title = _markdown_title(title)
        start, end = _trimmed(text, title_starts[index] if title else source_line.end(), following)
        articles.append(
            _Article(
                start=start,
                end=end,
                title=title,
                published=_source_line_date(source_line),
                source=source_line.group("source").strip(),
            )
        )
    return text, articles


def _source_line_date(source_line: re.Match[str]) -> str:
    time = source_line.group("time")
    hour, minute = time.split(":") if time else (None, None)
    year, month, day = source_line.group("date").split("-")
    return _iso(year, month, day, hour, minute)


def _unmasked_spans(text: str, masked: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """The pieces of `text` outside the `masked` spans, for `_compose`."""
    pieces = []
    cursor = 0
    for start, end in masked:
        pieces.append((cursor, start, text[cursor:start]))
        cursor = end
    pieces.append((cursor, len(text), text[cursor:]))
    return pieces


def _untitled_opening(text: str, first_title_start: int) -> list[_Article]:
    """Lines before the first title are headers ("Workflow", a topic), unless one is prose."""
    for line in _FIRST_LINE.finditer(text, 0, first_title_start):
        if len(line.group().strip()) >= UNTITLED_BODY_MIN_CHARS:
            start, end = _trimmed(text, line.start(), first_title_start)
            return [_Article(start=start, end=end)]
    return []


# plain text and Markdown -------------------------------------------------------------------------


def _plain_article(text: str, id_prefix: str, markdown: bool) -> tuple[str, _Article]:
    """The file as one article, titled by its first Markdown heading (else its first line), or
    a text file by its name. A byline-and-date line right under the title ("*Reuters, 3 January
    2024*") is metadata: kept in the fields and masked in the text, so its date is no figure;
    it also makes a text file's first line its title."""
    title_line = (_MARKDOWN_HEADING.search(text) if markdown else None) or _FIRST_LINE.search(text)
    title, source, published = PurePath(id_prefix).name, "", ""
    if markdown and title_line:
        title = _markdown_title(title_line.group())
    following = _FIRST_LINE.search(text, title_line.end()) if title_line else None
    byline = _byline(following.group()) if following else None
    if title_line and following and byline:
        source, published = byline
        if not markdown:
            title = _one_line(title_line.group())
        text = _compose(text, _unmasked_spans(text, [following.span()]))
    start, end = _trimmed(text, 0, len(text))
    return text, _Article(start=start, end=end, title=title, published=published, source=source)


def _markdown_title(line: str) -> str:
    heading = _MARKDOWN_HEADING.match(line)
    return _one_line(_MARKDOWN_EMPHASIS.sub("", heading.group(1) if heading else line))


# metadata: front matter, bylines, fields named by a file -------------------------------------

# A name part longer than this, or holding figures or sentence punctuation, is prose.
BYLINE_MAX_CHARS = 160
BYLINE_MAX_WORDS = 12


def _byline(line: str) -> tuple[str, str] | None:
    """(outlet, ISO date) of a byline-and-date line: "*Reuters, 3 January 2024*", "Reuters ·
    2024-01-03", "By Jane Doe, Reuters, Jan. 3, 2024", "新华社 2024年1月3日"; the outlet is ""
    when the line names only an author or only a date. None for any other line."""
    plain = _BYLINE_WRAPPING.sub("", line)
    if len(plain) > BYLINE_MAX_CHARS or plain.startswith("#"):
        return None
    found = _date_at_end(plain)
    if found is None:
        return None
    name = _DATE_LABEL.sub("", plain[: found[0]])
    if _NOT_A_NAME.search(name) or len(name.split()) > BYLINE_MAX_WORDS:
        return None
    # "Reuters, 3 January 2024", not "Prices fell on 3 January 2024"
    if name.strip() and not _BEFORE_DATE.search(name) and not _COMMON_CJK.search(name):
        return None
    return _outlet(name), found[1]


def _outlet(name: str) -> str:
    """The outlet a byline's name part gives: its first part that is not the author's ("By
    Jane Doe, Reuters" -> "Reuters")."""
    name = _SOURCE_LABEL.sub("", _MARKDOWN_EMPHASIS.sub("", name).strip())
    parts = [part.strip() for part in _BYLINE_PARTS.split(name)]
    outlets = [part for part in parts if part and not _AUTHOR.match(part)]
    return outlets[0] if outlets else ""


def _front_matter(text: str) -> tuple[str, dict[str, str]]:
    """The text with a leading `---` block of `key: value` lines masked, and the fields it
    gives (_FIELD_NAMES); nested YAML values are not read."""
    block = _FRONT_MATTER.match(text)
    if block is None:
        return text, {}
    record = {}
    for field in _FRONT_MATTER_FIELD.finditer(block.group("fields")):
        value = field.group("value")
        if value[:1] in ("\"", "'") and value[-1:] == value[:1] and len(value) >= 2:
            value = value[1:-1]
        if value[:1] not in ("[", "{", "|", ">", "&", "*"):
            record.setdefault(field.group("name"), value)
    return _compose(text, _unmasked_spans(text, [block.span()])), _given_fields(record)


def _given_fields(record: Mapping[str, object]) -> dict[str, str]:
    """title, published, source and url as a record (JSON, front matter) names them."""
    by_name: dict[str, object] = {}
    for name, value in record.items():
        by_name.setdefault(_FIELD_SPELLING.sub("", str(name)).casefold(), value)
    given = {}
    for field, names in _FIELD_NAMES.items():
        values = (_field_text(by_name.get(name)) for name in names)
        value = next((value for value in values if value), "")
        if value:
            given[field] = _normalized_date(value) if field == "published" else value
    return {field: value for field, value in given.items() if value}


def _field_text(value: object) -> str:
    if isinstance(value, dict):  # {"name": "Reuters", "id": ...} (news APIs)
        value = value.get("name") or value.get("title")
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return ""
    return _one_line(str(value))


def _with_front_matter(articles: list[_Article], given: Mapping[str, str]) -> list[_Article]:
    """The front matter is the article's own metadata; in a file of several articles it only
    fills in what an article lacks."""
    if not given:
        return articles
    if len(articles) == 1:
        return [replace(articles[0], **given)]
    filling = {field: value for field, value in given.items() if field != "title"}
    return [replace(article, **{field: value for field, value in filling.items()
                                if not getattr(article, field)}) for article in articles]


# The names a record's fields go by, the first given preferred; compared case-folded and
# without "_", "-" or ".", so "published_at", "publishedAt" and "datePublished" are found.
_FIELD_NAMES = {
    "title": ("title", "headline"),
    "published": ("published", "date", "publishedat", "publishdate", "pubdate", "datepublished",
                  "publicationdate", "created", "createdat"),
    "source": ("source", "outlet", "publisher", "publication", "sitename", "site", "sourcename",
               "media", "newspaper"),
    "url": ("url", "link", "canonicalurl", "canonical", "permalink", "sourceurl"),
}
_FIELD_SPELLING = re.compile(r"[\W_]+")
_FRONT_MATTER = re.compile(
    r"\A---[ \t]*\r?\n(?P<fields>(?:[^\n]*\n){0,200}?)(?:---|\.\.\.)[ \t]*\r?(?=\n|\Z)"
)
_FRONT_MATTER_FIELD = re.compile(
    r"^(?P<name>[A-Za-z][\w.-]*)[ \t]*:[ \t]*(?P<value>\S[^\n]*?)[ \t]*\r?$", re.MULTILINE
)
_BYLINE_WRAPPING = re.compile(r"^[\s*_>~|—–-]+|[\s*_~|—–-]+$")
_BYLINE_PARTS = re.compile(r"\s*(?:[,，、;；·•・|/—–]|\s-\s)\s*")
_AUTHOR = re.compile(r"(?i)(?:(?:written\s+)?by\s|作者|记者|撰文|文[/:：])")
_SOURCE_LABEL = re.compile(r"(?i)^(?:source|来源|出处)\s*[:：]\s*")
_DATE_LABEL = re.compile(r"(?i)(?:\b(?:last\s+)?(?:published|updated|posted|dated)(?:\s+on)?|"
                         r"发布时间|发布于|更新于)\s*[:：]?[\s,·•・|—–-]*$")
_NOT_A_NAME = re.compile(r"[\d%$€£¥!?。！？“”\"]")
_BEFORE_DATE = re.compile(r"[,，·•・|/—–:：-]\s*$")


def _month_names() -> dict[str, int]:
    from babel.dates import get_month_names

    names = {"sept": 9}
    for width in ("wide", "abbreviated"):
        for number, name in get_month_names(width, locale="en").items():
            names[name.casefold()] = number
    return names


def _day_names() -> list[str]:
    from babel.dates import get_day_names

    return [name for width in ("wide", "abbreviated")
            for name in get_day_names(width, locale="en").values()]


_MONTHS = _month_names()
_MONTH = "(?P<mon>{})\\.?".format("|".join(sorted(_MONTHS, key=len, reverse=True)))
_WEEKDAY = "(?:(?:{}),?\\s+)?".format("|".join(sorted(_day_names(), key=len, reverse=True)))
_DAY = r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?<!\d)(?P<y>\d{4})"
# a time after a date as written is allowed, not kept
_CLOCK = (r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?"
          r"(?:\s*(?:[a-z]{1,5}|[+-]\d{2}:?\d{2}))?)?")
_DATES = tuple(re.compile(pattern + r"[\s.]*$", re.IGNORECASE) for pattern in (
    _YEAR + r"-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[ T]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::\d{2})?"
    r"(?:\.\d+)?(?:\s*(?:Z|[+-]\d{2}:?\d{2}|[a-z]{2,5}))?)?",
    _YEAR + r"/(?P<m>\d{1,2})/(?P<d>\d{1,2})",
    _WEEKDAY + _DAY + r"\.?\s+" + _MONTH + r",?\s+" + _YEAR + _CLOCK,
    _WEEKDAY + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + _CLOCK,
    _YEAR + r"\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]" + _CLOCK,
))


# HTML ------------------------------------------------------------------------------------------


def _html_article(text: str, id_prefix: str) -> tuple[str, _Article]:
    parser = _MaskingParser(text)
    parser.feed(text)
    parser.close()
    pieces = [(start, start + 1, LINE_BREAK) for start in parser.block_starts]
    for start, end in _merged(parser.visible):
        pieces.append((start, end, _decode_in_place(text[start:end], _REFERENCE, _html_char)))
    masked = _mask_non_prose(_compose(text, pieces))
    start, end = _trimmed(masked, 0, len(masked))
    title = _one_line(html.unescape(parser.title)) or _one_line(html.unescape(parser.heading))
    meta = parser.meta
    return masked, _Article(
        start=start,
        end=end,
        title=title or PurePath(id_prefix).name,
        published=_normalized_date(meta.get("published")),
        source=meta.get("source", ""),
        url=meta.get("url", ""),
    )


def _json_ld_fields(block: str) -> dict[str, str]:
    """published, source and url of the first article a JSON-LD block describes."""
    try:
        data = json.loads(block)
    except (ValueError, RecursionError):
        return {}
    pending = [data]
    while pending:  # a list, an "@graph", or the article itself
        item = pending.pop(0)
        if isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, dict):
            pending.append(item.get("@graph"))
            if "datePublished" in item or "publisher" in item:
                return {field: _field_text(item.get(name))
                        for name, field in _JSON_LD_FIELDS.items() if _field_text(item.get(name))}
    return {}


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Adjacent spans joined: text and references with no tag between form one run."""
    runs: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if runs and start <= runs[-1][1]:
            runs[-1] = (runs[-1][0], max(end, runs[-1][1]))
        else:
            runs.append((start, end))
    return runs


def _html_char(reference: str) -> str:
    return html.unescape(reference)


_WHITESPACE = re.compile(r"\s")


def _decode_in_place(raw: str, escape: re.Pattern[str], decode: Callable[[str], str]) -> str:
    """`raw` with each escape decoded, kept the same length.

    An escape is longer than its character; the spaces owed are put at the next whitespace
    (or the end), so "&euro;5" reads "€5" and "China&rsquo;s" reads "China’s", not "€     5".
    Every whitespace, and so every word not holding an escape, stays at its offset in the file.
    """
    parts: list[str] = []
    owed = 0
    cursor = 0
    for match in escape.finditer(raw):
        part, owed = _pay_spaces(raw[cursor : match.start()], owed)
        parts.append(part)
        shown = decode(match.group())
        if len(shown) > len(match.group()):
            shown = match.group()
        parts.append(shown)
        owed += len(match.group()) - len(shown)
        if shown.isspace():
            parts.append(" " * owed)
            owed = 0
        cursor = match.end()
    part, owed = _pay_spaces(raw[cursor:], owed)
    parts.append(part + " " * owed)
    return "".join(parts)


def _pay_spaces(text: str, owed: int) -> tuple[str, int]:
    space = _WHITESPACE.search(text) if owed else None
    if space is None:
        return text, owed
    return text[: space.start()] + " " * owed + text[space.start() :], 0


def _compose(text: str, pieces: list[tuple[int, int, str]]) -> str:
    """`text` with each (start, end, replacement) piece put in and every gap masked."""
    out: list[str] = []
    cursor = 0
    for start, end, replacement in sorted(pieces):
        if start < cursor:  # never overlap; keep the first
            continue
        out.append(_NOT_NEWLINE.sub(" ", text[cursor:start]))
        out.append(replacement)
        cursor = end
    out.append(_NOT_NEWLINE.sub(" ", text[cursor:]))
    composed = "".join(out)
    assert len(composed) == len(text)
    return composed


_HIDDEN_ELEMENTS = frozenset({"script", "style", "template", "title", "head"})
# fmt: off
_BLOCK_ELEMENTS = frozenset({
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "ul",
})
# fmt: on
_REFERENCE = re.compile(r"&#(?:[0-9]+|[xX][0-9a-fA-F]+);?|&[a-zA-Z][-.a-zA-Z0-9]*;?")
# <meta> name or property -> the field it gives and its rank: of several, the lowest rank wins.
# JSON-LD (schema.org NewsArticle) ranks 1, a canonical link 0.
_META_FIELDS = {
    "article:published_time": ("published", 0),
    "og:published_time": ("published", 0),
    "datepublished": ("published", 1),
    "parsely-pub-date": ("published", 1),
    "citation_publication_date": ("published", 1),
    "date": ("published", 2),
    "pubdate": ("published", 2),
    "publishdate": ("published", 2),
    "dc.date": ("published", 2),
    "dcterms.date": ("published", 2),
    "og:site_name": ("source", 0),
    "publisher": ("source", 2),
    "article:publisher": ("source", 2),
    "dc.publisher": ("source", 2),
    "dcterms.publisher": ("source", 2),
    "citation_publisher": ("source", 2),
    "application-name": ("source", 3),
    "og:url": ("url", 1),
}
_JSON_LD_FIELDS = {"datePublished": "published", "publisher": "source", "url": "url"}


class _MaskingParser(HTMLParser):
    """Collects the visible text of a page as pieces placed at their offsets in the file.

    html.parser is a loop, not a recursion, so deep nesting costs nothing extra.
    """

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.visible: list[tuple[int, int]] = []  # raw text and references, not masked
        self.block_starts: list[int] = []  # where a block element's tag begins
        self.hidden_depth = 0
        self.title = ""
        self.heading = ""
        self.in_title = 0
        self.in_heading = 0
        self.found: dict[str, tuple[int, str]] = {}  # field -> (rank, value)
        self.in_json_ld = False
        self.json_ld: list[str] = []

    @property
    def meta(self) -> dict[str, str]:
        """published, source and url, as the page's metadata gives them."""
        for block in self.json_ld:
            for field, value in _json_ld_fields(block).items():
                self._offer(field, 1, value)
        return {field: value for field, (_, value) in self.found.items()}

    def _offer(self, field: str, rank: int, value: str) -> None:
        value = _one_line(html.unescape(value))
        if field == "source" and _URL.match(value):  # a publisher's page, not its name
            return
        if value and (field not in self.found or rank < self.found[field][0]):
            self.found[field] = (rank, value)

    def _file_offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open_or_close(tag, +1)
        if tag in ("meta", "link"):
            self._read_meta(tag, dict(attrs))
        elif tag == "script" and (dict(attrs).get("type") or "").lower() == "application/ld+json":
            self.in_json_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag: str) -> None:
        self._open_or_close(tag, -1)
        if tag == "script":
            self.in_json_ld = False

    def _open_or_close(self, tag: str, step: int) -> None:
        if tag in _BLOCK_ELEMENTS:
            self.block_starts.append(self._file_offset())
        if tag == "body":  # whatever the head left open, the body is shown
            self.hidden_depth = 0
        elif tag in _HIDDEN_ELEMENTS:
            self.hidden_depth = max(0, self.hidden_depth + step)
        if tag == "title":
            self.in_title = max(0, self.in_title + step)
        elif tag == "h1" and (self.in_heading or not self.heading.strip()):
            self.in_heading = max(0, self.in_heading + step)

    def _read_meta(self, tag: str, attrs: dict[str, str | None]) -> None:
        if tag == "link":
            if (attrs.get("rel") or "").lower() == "canonical" and attrs.get("href"):
                self._offer("url", 0, attrs["href"] or "")
            return
        name = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        if name in _META_FIELDS and attrs.get("content"):
            self._offer(*_META_FIELDS[name], attrs["content"] or "")

    def handle_data(self, data: str) -> None:
        self._visible(self._file_offset(), data)

    def handle_entityref(self, name: str) -> None:
        self._reference()

    def handle_charref(self, name: str) -> None:
        self._reference()

    def _reference(self) -> None:
        start = self._file_offset()
        match = _REFERENCE.match(self.text, start)
        if match is not None:
            self._visible(start, match.group())

    def _visible(self, start: int, raw: str) -> None:
        if self.in_json_ld:
            self.json_ld[-1] += raw
        if self.in_title:
            self.title += raw
        if self.in_heading:
            self.heading += raw
        if not self.hidden_depth:
            self.visible.append((start, start + len(raw)))


# JSON Lines ------------------------------------------------------------------------------------

_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+')
_JSON_ESCAPE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4}|\\."
)
_JSON_ESCAPE_SHOWN = {"n": LINE_BREAK, "r": " ", "t": "\t", "b": " ", "f": " "}


def _lines(text: str) -> Iterator[tuple[str, int, int]]:
    """The records of JSON Lines: (a line that is not blank, where it starts, its number)."""
    line_start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            yield line, line_start, number
        line_start += len(line) + 1


_SPACE = re.compile(r"\s*")


def _array_items(text: str, shown: str, problems: list[Problem]) -> list[tuple[str, int, int]]:
    """The records of a .json file: the items of its top-level array (text, start, line), or
    the file as one record when it is not an array."""
    position = _SPACE.match(text).end()  # type: ignore[union-attr]
    if not text.startswith("[", position):
        return [(text, 0, 1)]
    decoder, items, line, counted = json.JSONDecoder(), [], 1, 0
    position = _SPACE.match(text, position + 1).end()  # type: ignore[union-attr]
    while not text.startswith("]", position):
        line += text.count("\n", counted, position)
        counted = position
        try:
            _, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            problems.append(Problem(shown, f"invalid JSON: {error.msg}", error.lineno))
            return items
        except RecursionError:
            problems.append(Problem(shown, "invalid JSON: nested too deeply", line))
            return items
        items.append((text[position:end], position, line))
        position = _SPACE.match(text, end).end()  # type: ignore[union-attr]
        if text.startswith(",", position):
            position = _SPACE.match(text, position + 1).end()  # type: ignore[union-attr]
        elif not text.startswith("]", position):
            line += text.count("\n", counted, position)
            problems.append(Problem(shown, "invalid JSON: expected ',' or ']' after an item",
                                    line))
            return items
    return items


def _json_articles(
    text: str, records: Iterable[tuple[str, int, int]], shown: str, id_prefix: str,
    problems: list[Problem],
) -> tuple[str, list[_Article]]:
    """The articles of JSON records (text, where it starts, its line), with the file's text
    masked outside their "text" values."""
    pieces: list[tuple[int, int, str]] = []
    articles: list[_Article] = []
    for record, start, number in records:
        found = _jsonl_article(record, start, number, id_prefix, problems, shown)
        if found is not None:
            shown_text, article = found
            pieces.append((article.start, article.end, shown_text))
            articles.append(article)
    masked = _mask_non_prose(_compose(text, pieces))
    trimmed = [_trimmed(masked, article.start, article.end) for article in articles]
    return masked, [
        replace(article, start=start, end=end)
        for article, (start, end) in zip(articles, trimmed, strict=True)
    ]


def _jsonl_article(
    line: str, line_start: int, number: int, id_prefix: str, problems: list[Problem], shown: str
) -> tuple[str, _Article] | None:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        problems.append(Problem(shown, f"invalid JSON: {error.msg} (column {error.colno})", number))
        return None
    except RecursionError:  # json is recursive: a line of 10,000 "[" must not end the run
        problems.append(Problem(shown, "invalid JSON: nested too deeply", number))
        return None
    if not isinstance(record, dict):
        problems.append(Problem(shown, "an article must be a JSON object", number))
        return None
    if not isinstance(record.get("text"), str):
        problems.append(Problem(shown, 'no "text" string in the object', number))
        return None
    span = _text_value_span(line)
    if span is None:
        problems.append(Problem(shown, 'cannot locate the "text" value', number))
        return None
    raw = line[span[0] : span[1]]
    start, end = line_start + span[0], line_start + span[1]
    record_id = record.get("id")
    if isinstance(record_id, bool) or not isinstance(record_id, str | int | type(None)):
        problems.append(Problem(shown, f'"id" must be a string or a number, not '
                                       f'{type(record_id).__name__}: the record is named after '
                                       "its file and line", number))
        record_id = None
    given = _given_fields(record)
    return _decode_in_place(raw, _JSON_ESCAPE, _json_char), _Article(
        start=start,
        end=end,
        doc_id="" if record_id in (None, "") else str(record_id),
        line=number,
        **given,
    )


def _text_value_span(line: str) -> tuple[int, int] | None:
    """Where the top-level "text" string's content sits in a valid JSON object line (last wins)."""
    depth = 0
    span = None
    tokens = list(_JSON_TOKEN.finditer(line))
    for index, token in enumerate(tokens):
        value = token.group()
        if value in ("{", "["):
            depth += 1
        elif value in ("}", "]"):
            depth -= 1
        elif (
            depth == 1
            and value == '"text"'
            and index + 2 < len(tokens)
            and tokens[index + 1].group() == ":"
            and tokens[index + 2].group().startswith('"')
        ):
            span = (tokens[index + 2].start() + 1, tokens[index + 2].end() - 1)
    return span


def _json_char(escape: str) -> str:
    if escape[1] != "u":
        return _JSON_ESCAPE_SHOWN.get(escape[1], escape[1])
    char = json.loads(f'"{escape}"')
    return "\ufffd" if len(char) != 1 or "\ud800" <= char <= "\udfff" else char
