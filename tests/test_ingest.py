"""Reading files into Documents: the seed export, HTML, JSON Lines, Markdown, encodings, errors."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from checker.errors import ConfigError
from checker.ingest import Corpus, parse_bytes, parse_text, read_corpus
from checker.sentences import LINE_BREAK, split_sentences

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"

# Articles per seed file, counted by hand: 002 opens with an untitled body and ends with an
# entry that has no body.
SEED_ARTICLES = {"000": 1, "001": 2, "002": 2, "003": 10, "004": 10}
SOURCE_LINE = re.compile(r"^.+·\s?(\d{4}-\d\d-\d\d) (\d\d:\d\d)$")
MARKER = re.compile(r"\[\d+\]")


def _by_file(corpus: Corpus) -> dict[str, list]:
    grouped: dict[str, list] = {}
    for document in corpus.documents:
        grouped.setdefault(Path(document.path).name[:3], []).append(document)
    return grouped


@pytest.fixture(scope="module")
def seeds() -> Corpus:
    return read_corpus([SEEDS])


# --- the seed export ---------------------------------------------------------------------------


def test_seed_article_counts(seeds: Corpus) -> None:
    assert seeds.problems == ()
    counts = {prefix: len(documents) for prefix, documents in _by_file(seeds).items()}
    assert counts == SEED_ARTICLES


def test_seed_titles_and_dates_are_the_lines_around_each_source_line(seeds: Corpus) -> None:
    for prefix, documents in _by_file(seeds).items():
        lines = (SEEDS / Path(documents[0].path).name).read_text("utf-8").splitlines()
        expected = [
            (lines[i - 1].strip(), f"{m.group(1)}T{m.group(2)}")
            for i, line in enumerate(lines)
            if (m := SOURCE_LINE.match(line))
        ]
        dated = [(d.title, d.published) for d in documents if d.published]
        assert dated == expected, prefix
        assert all(d.source == "Sou Hu Cai Jing" for d in documents if d.published)


def test_seed_untitled_opening_and_entry_without_body(seeds: Corpus) -> None:
    first, last = _by_file(seeds)["002"]
    assert (first.title, first.published, first.source) == ("", "", "")
    assert first.body.startswith("Core Viewpoint - The global competition")
    assert first.doc_id.endswith("#1")
    assert last.title.startswith("普京打出")
    assert last.published == "2025-06-26T10:04"
    assert last.body == last.title  # an entry without a body is its headline alone
    assert [s.text for s in split_sentences(last)] == [last.title]


def test_seed_span_starts_at_the_title_line(seeds: Corpus) -> None:
    for document in seeds.documents:
        if document.title:
            assert document.body.startswith(document.title)
            assert document.text[document.start - 1] == "\n"
    (document,) = [d for d in seeds.documents if d.title.startswith("美国军工被中国铝厂")]
    assert document.start <= document.text.index("700架") < document.end


def test_seed_headers_are_not_articles(seeds: Corpus) -> None:
    for document in seeds.documents:
        for header in ("Workflow", "Search documents", "icon", "稀土联盟", "战略资源博弈"):
            assert document.title != header
            assert not document.body.startswith(header)
        assert "Sou Hu Cai Jing·" not in document.body
        assert "Sou Hu Cai Jing· " not in document.body


def test_seed_text_is_the_file_with_markers_and_source_lines_masked(seeds: Corpus) -> None:
    for document in seeds.documents:
        raw = (SEEDS / Path(document.path).name).read_text("utf-8")
        assert len(document.text) == len(raw)
        assert not MARKER.search(document.text)
        changed = {i for i, (a, b) in enumerate(zip(raw, document.text, strict=True)) if a != b}
        assert all(document.text[i] == " " for i in changed)
        markers = {i for m in MARKER.finditer(raw) for i in range(m.start(), m.end())}
        source_lines = {
            i
            for m in re.finditer(r"(?m)^Sou Hu Cai Jing·.*$", raw)
            for i in range(m.start(), m.end())
            if raw[i] != " "
        }
        assert markers and source_lines
        assert changed == markers | source_lines


def test_seed_figure_offsets_are_the_files(seeds: Corpus) -> None:
    (document,) = [d for d in seeds.documents if d.doc_id == "002_2a04d1d7e6286e04#1"]
    raw = (SEEDS / Path(document.path).name).read_text("utf-8")
    for figure in ("28.5 million tons", "37%", "over 70%"):
        start = document.text.index(figure)
        assert raw[start : start + len(figure)] == figure
        assert document.start <= start < document.end


def test_seed_ids_paths_and_order_are_stable(seeds: Corpus) -> None:
    again = read_corpus([SEEDS])
    assert again == seeds
    ids = [d.doc_id for d in seeds.documents]
    assert len(set(ids)) == len(ids)
    assert ids[0] == "000_72eb88470b3d8571#1"
    paths = [d.path for d in seeds.documents]
    assert paths == sorted(paths)
    assert all(p.startswith(SEEDS.as_posix() + "/") for p in paths)
    assert all(not p.endswith("README.md") for p in paths)


def test_seed_languages(seeds: Corpus) -> None:
    langs = {d.doc_id: d.lang for d in seeds.documents}
    assert langs["004_b4061b5fbbfaa32d#2"] == "zh"  # the one body written in Chinese
    assert langs["000_72eb88470b3d8571#1"] == "en"


# --- the export format in a small fixture --------------------------------------------------------


def test_export_fixture() -> None:
    corpus = read_corpus([FIXTURES / "export.txt"])
    assert corpus.problems == ()
    untitled, first, empty, third = corpus.documents
    assert untitled.title == "" and untitled.body.startswith("Core Viewpoint - An opening")
    assert (first.title, first.published, first.source) == (
        "第一篇标题:稀土",
        "2025-08-10T02:20",
        "Example News",
    )
    # the source line is masked and the blank line after it holds no sentence
    assert first.body.split()[:4] == ["第一篇标题:稀土", "Core", "Viewpoint", "-"]
    assert [s.text for s in split_sentences(first)][:2] == ["第一篇标题:稀土", "Core Viewpoint"]
    assert (empty.title, empty.published, empty.body) == ("第二篇标题", "2025-06-26", "第二篇标题")
    assert (third.title, third.published, third.source) == (
        "Third title",
        "2025-01-02T10:04",
        "Other Wire",
    )
    assert third.body.endswith("A second body line    .")
    assert [d.doc_id for d in corpus.documents] == [f"export#{n}" for n in range(1, 5)]


def test_plain_text_is_one_article_titled_by_its_name(tmp_path: Path) -> None:
    path = tmp_path / "note 1.txt"
    path.write_text("Output rose 5% [2].\nNo source line here.\n", "utf-8")
    (document,) = read_corpus([path]).documents
    assert document.title == "note 1"
    assert document.body == "Output rose 5%    .\nNo source line here."


def test_markdown_title_and_masked_links() -> None:
    (document,) = read_corpus([FIXTURES / "note.md"]).documents
    raw = (FIXTURES / "note.md").read_text("utf-8")
    assert document.title == "Rare earth notes"
    assert "example.com" not in document.text and "2024/05" not in document.text
    assert len(document.text) == len(raw)
    assert document.text.index("28.5 million tons") == raw.index("28.5 million tons")
    assert document.text.index("2023 figures") == raw.index("2023 figures")


# --- HTML ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page() -> tuple[str, object]:
    raw = (FIXTURES / "page.html").read_text("utf-8")
    (document,) = read_corpus([FIXTURES / "page.html"]).documents
    return raw, document


def test_html_keeps_length_lines_and_offsets(page) -> None:
    raw, document = page
    assert len(document.text) == len(raw)
    assert [i for i, c in enumerate(raw) if c == "\n"] == [
        i for i, c in enumerate(document.text) if c == "\n"
    ]
    for words in ("China controls over 90% of refining", "Output rose 5%.", "Two items"):
        assert document.text.index(words) == raw.index(words)
    assert document.body.startswith("China's")
    assert document.body.endswith("Two items")


def test_html_masks_markup_scripts_styles_and_comments(page) -> None:
    _, document = page
    for hidden in ("<", ">", "class=", "var share", "70%", "margin", "55%", "DOCTYPE", "[5]"):
        assert hidden not in document.text
    assert "Rare & earth report" not in document.text  # the title is metadata, not body


def test_html_references_are_decoded_in_place(page) -> None:
    raw, document = page
    words = " ".join(document.text.split())
    assert "AT&T paid $1.5 billion;" in words and "rose 20% in 哈尔滨." in words
    assert "20%" in document.text and "哈尔滨" in document.text and "\xa0" in document.text
    # a decoded word starts where its reference starts; the spaces saved go after the word
    assert document.text.index("$1.5") == raw.index("&#36;1.5")
    assert document.text.index("哈尔滨") == raw.index("&#21704;")
    assert document.text.index(" in ", raw.index("&#x32;")) == raw.index(
        " in ", raw.index("&#x32;")
    )


def test_html_metadata(page) -> None:
    _, document = page
    assert document.title == "Rare & earth report"
    assert document.published == "2025-08-10T02:20"
    assert document.source == "Example News"
    assert document.url == "https://example.com/rare-earths"
    assert document.doc_id == "page#1"


def test_html_blocks_split_sentences(page) -> None:
    _, document = page
    texts = [s.text for s in split_sentences(document)]
    assert "One item" in texts and "Two items" in texts
    assert texts[0].split() == ["China's", "refining", "share"]
    assert LINE_BREAK in document.text


def test_html_title_falls_back_to_first_h1(tmp_path: Path) -> None:
    path = tmp_path / "x.htm"
    path.write_text("<body><h1>Main &amp; only</h1><h1>Second</h1><p>Text 5%.</p>", "utf-8")
    (document,) = read_corpus([path]).documents
    assert document.title == "Main & only"


def test_html_deep_nesting(tmp_path: Path) -> None:
    depth = 10_000
    path = tmp_path / "deep.html"
    raw = "<div>" * depth + "<span>" * depth + "deep 5%" + "</span>" * depth + "</div>" * depth
    path.write_text(raw, "utf-8")
    (document,) = read_corpus([path]).documents
    assert document.body == "deep 5%"
    assert document.start == raw.index("deep 5%")


# --- JSON Lines ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def records() -> Corpus:
    return read_corpus([FIXTURES / "records.jsonl"])


def test_jsonl_good_lines_become_documents(records: Corpus) -> None:
    lines = (FIXTURES / "records.jsonl").read_text("utf-8").split("\n")
    assert [d.doc_id for d in records.documents] == ["alpha", "records:2", "7"]
    alpha, anonymous, chinese = records.documents
    assert (alpha.title, alpha.published, alpha.source, alpha.url) == (
        "First",
        "2025-08-10T02:20",
        "Wire",
        "https://example.com/a",
    )
    assert alpha.body == f"Russia holds 28.5 million tons    .{LINE_BREAK} A second paragraph."
    assert chinese.body == json.loads(lines[6])["text"]
    assert chinese.lang == "zh" and chinese.published == "2025-01-02"
    # the record's line is where its offsets are: lines count as in the file
    for document, line in zip(records.documents, (1, 2, 7), strict=True):
        assert document.text.count("\n", 0, document.start) + 1 == line
        assert document.path == (FIXTURES / "records.jsonl").as_posix()
    raw = (FIXTURES / "records.jsonl").read_text("utf-8")
    assert anonymous.text.index("2,700 tons") == raw.index("2,700 tons")


def test_jsonl_broken_lines_are_problems_with_line_numbers(records: Corpus) -> None:
    assert [(p.line, p.reason.split(":")[0]) for p in records.problems] == [
        (3, "invalid JSON"),
        (5, "an article must be a JSON object"),
        (6, 'no "text" string in the object'),
    ]
    assert all(p.path.endswith("records.jsonl") for p in records.problems)


def test_jsonl_duplicate_id_is_kept_under_its_line(tmp_path: Path) -> None:
    path = tmp_path / "dup.jsonl"
    path.write_text('{"id": "a", "text": "one"}\n{"id": "a", "text": "two"}\n', "utf-8")
    corpus = read_corpus([path])
    assert [d.doc_id for d in corpus.documents] == ["a", "dup:2"]
    assert [(p.line, "duplicate id" in p.reason) for p in corpus.problems] == [(2, True)]


# --- encodings and unreadable files --------------------------------------------------------------

CHINESE = (
    "稀土战争升级\n中国控制了全球70%的稀土开采，更控制了全球90%的精炼能力。俄罗斯储量约2.85万吨。\n"
)


@pytest.mark.parametrize(
    "encoded",
    [
        CHINESE.encode("gbk"),
        CHINESE.encode("gb18030"),
        CHINESE.encode("utf-16"),  # with its BOM
        CHINESE.encode("utf-16-be").join([b"\xfe\xff", b""]),
        CHINESE.encode("utf-8-sig"),
        "约2.85万吨".encode("gbk"),  # short GBK text fools general detectors
    ],
    ids=["gbk", "gb18030", "utf-16-le-bom", "utf-16-be-bom", "utf-8-bom", "short-gbk"],
)
def test_chinese_encodings_decode(tmp_path: Path, encoded: bytes) -> None:
    path = tmp_path / "zh.txt"
    path.write_bytes(encoded)
    corpus = read_corpus([path])
    assert corpus.problems == ()
    (document,) = corpus.documents
    expected = "约2.85万吨" if len(encoded) < 20 else CHINESE
    assert document.text == expected
    assert document.lang == "zh"


def test_legacy_western_encoding(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Café prices rose 5% in München last year.".encode("cp1252"))
    (document,) = read_corpus([path]).documents
    assert document.text == "Café prices rose 5% in München last year."


def test_bad_files_become_problems_and_the_rest_loads(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Output rose 5%.", "utf-8")
    (tmp_path / "paper.txt").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\n")
    (tmp_path / "image.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (tmp_path / "nul.md").write_bytes(b"abc\x00\x01\x02\x03def" * 40)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text(" \n\n", "utf-8")
    missing = tmp_path / "missing.txt"
    corpus = read_corpus([tmp_path, missing])
    assert [d.path for d in corpus.documents] == [(tmp_path / "good.txt").as_posix()]
    reasons = {Path(p.path).name: p.reason for p in corpus.problems}
    assert set(reasons) == {
        "paper.txt",
        "image.html",
        "nul.md",
        "empty.txt",
        "blank.txt",
        "missing.txt",
    }
    assert "PDF" in reasons["paper.txt"] and "PNG" in reasons["image.html"]
    assert "binary" in reasons["nul.md"]
    assert reasons["empty.txt"] == reasons["blank.txt"] == "empty file"
    assert reasons["missing.txt"] == "no such file or directory"
    assert all(str(p).startswith(p.path) for p in corpus.problems)


def test_permission_denied_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Opening is refused by the operating system here: root may read any file, so chmod alone
    # would not test it everywhere (test_unreadable_file_for_real does where it can).
    (tmp_path / "a.txt").write_text("Readable 5%.", "utf-8")
    locked = tmp_path / "b.txt"
    locked.write_text("Locked 6%.", "utf-8")
    original = os.open

    def refusing_open(path: str | os.PathLike[str], flags: int, *args: int) -> int:
        if Path(path).name == locked.name:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return original(path, flags, *args)

    monkeypatch.setattr(os, "open", refusing_open)
    corpus = read_corpus([tmp_path])
    assert [Path(d.path).name for d in corpus.documents] == ["a.txt"]
    assert [(Path(p.path).name, p.reason) for p in corpus.problems] == [
        ("b.txt", "permission denied")
    ]


# --- folders -------------------------------------------------------------------------------------


def test_folder_walk_is_sorted_skips_hidden_unknown_and_readme(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.md").write_text("# Z\nText 1.", "utf-8")
    (tmp_path / "a.txt").write_text("Text 2.", "utf-8")
    (tmp_path / "c.html").write_text("<p>Text 3.</p>", "utf-8")
    (tmp_path / ".hidden.txt").write_text("Text 4.", "utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("Text 5.", "utf-8")
    (tmp_path / "data.csv").write_text("a,b\n1,2\n", "utf-8")
    (tmp_path / "README.md").write_text("About this folder.", "utf-8")
    corpus = read_corpus([str(tmp_path)])
    root = tmp_path.as_posix()
    assert [d.path for d in corpus.documents] == [
        f"{root}/a.txt",
        f"{root}/b/z.md",
        f"{root}/c.html",
    ]
    assert corpus.problems == ()


def test_relative_paths_are_kept_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "corpus" / "sub").mkdir(parents=True)
    (tmp_path / "corpus" / "sub" / "x.txt").write_text("Text 1.", "utf-8")
    monkeypatch.chdir(tmp_path)
    (document,) = read_corpus(["corpus"]).documents
    assert document.path == "corpus/sub/x.txt"
    (document,) = read_corpus(["corpus/sub/x.txt"]).documents
    assert document.path == "corpus/sub/x.txt"


def test_explicit_file_with_unknown_suffix_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "draft.rst"
    path.write_text("Draft says 7%.", "utf-8")
    assert read_corpus([tmp_path]).documents == ()
    (document,) = read_corpus([path]).documents
    assert document.body == "Draft says 7%."


def test_symlink_loop_ends_and_files_are_read_once(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("Text 1.", "utf-8")
    try:
        os.symlink(tmp_path, tmp_path / "a" / "loop")
        os.symlink(tmp_path / "a" / "x.txt", tmp_path / "same.txt")
    except OSError:
        pytest.skip("no symlinks here")
    corpus = read_corpus([tmp_path, tmp_path / "a" / "x.txt"])
    assert [Path(d.path).name for d in corpus.documents] == ["x.txt"]


def test_same_stem_in_two_folders_gets_distinct_ids(tmp_path: Path) -> None:
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "news.txt").write_text("Text 1.", "utf-8")
    ids = [d.doc_id for d in read_corpus([tmp_path]).documents]
    assert len(set(ids)) == 2
    assert all(i.endswith("news#1") for i in ids)


def test_a_single_path_string_is_one_path() -> None:
    assert read_corpus(str(FIXTURES / "export.txt")) == read_corpus([FIXTURES / "export.txt"])


def test_parse_text_reads_a_draft_from_memory() -> None:
    corpus = parse_text("Draft [3] says 12%.\n", "draft.md", ".md")
    (document,) = corpus.documents
    assert document.body == "Draft     says 12%."
    assert document.path == "draft.md" and document.doc_id == "draft#1"


# --- hostile and unusual input -------------------------------------------------------------------

LARGE_MB = 50
# Refused unread, a 50 MB file costs what its name and its Problem cost, not its size.
REFUSED_PEAK_BYTES = 2_000_000
# Read, a file costs a few copies of its text (bytes, str, masked str): about 9x its size for
# this mixed English/Chinese export; the bound leaves room, and with the size limit it bounds
# the memory of reading any file.
READ_PEAK_FACTOR = 16


def _article_text(size: int) -> bytes:
    """About `size` bytes of the seeds' articles, whole UTF-8 characters."""
    seeds = "".join(path.read_text("utf-8") for path in sorted(SEEDS.glob("*.txt")))
    blob = seeds.encode("utf-8")
    return (blob * (size // len(blob) + 1))[:size].decode("utf-8", "ignore").encode("utf-8")


def _peak_bytes(action) -> tuple[object, int]:
    import tracemalloc

    tracemalloc.start()
    try:
        result = action()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_50_mb_file_is_refused_unread_with_bounded_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NUMCHECK_MAX_FILE_MB", raising=False)
    (tmp_path / "good.txt").write_text("Output rose 5%.", "utf-8")
    line = b"Russia holds 28.5 million tons of reserves, about 10% of the world total.\n"
    with open(tmp_path / "huge.txt", "wb") as handle:
        for _ in range(LARGE_MB * 1_000_000 // len(line) + 1):
            handle.write(line)
    corpus, peak = _peak_bytes(lambda: read_corpus([tmp_path]))
    assert peak < REFUSED_PEAK_BYTES
    assert [Path(d.path).name for d in corpus.documents] == ["good.txt"]
    (problem,) = corpus.problems
    assert Path(problem.path).name == "huge.txt"
    assert problem.reason.startswith(f"file too large ({LARGE_MB}.0 MB, the limit is 10 MB)")
    assert "NUMCHECK_MAX_FILE_MB" in problem.reason


def test_reading_a_file_under_the_limit_costs_a_bounded_multiple_of_its_size(
    tmp_path: Path,
) -> None:
    size = 4_000_000
    path = tmp_path / "export.txt"
    path.write_bytes(_article_text(size))
    read_corpus([path])  # compiled patterns and caches are not the file's cost
    corpus, peak = _peak_bytes(lambda: read_corpus([path]))
    assert corpus.problems == () and len(corpus.documents) > 1000
    assert peak < READ_PEAK_FACTOR * size


def test_the_size_limit_is_configurable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "small.txt").write_text("Output rose 5%.", "utf-8")
    (tmp_path / "large.txt").write_text("Output rose 6%. " * 200, "utf-8")  # 3,200 bytes

    def read(**limit: int) -> list[str]:
        return sorted(Path(d.path).name for d in read_corpus([tmp_path], **limit).documents)

    assert read() == ["large.txt", "small.txt"]
    assert read(max_file_bytes=1000) == ["small.txt"]
    monkeypatch.setenv("NUMCHECK_MAX_FILE_MB", "0.001")
    assert read() == ["small.txt"]
    problem = read_corpus([tmp_path]).problems[0]
    assert "the limit is 0.001 MB" in problem.reason
    monkeypatch.setenv("NUMCHECK_MAX_FILE_MB", "0")  # no limit
    assert read() == ["large.txt", "small.txt"]
    for wrong in ("lots", "-1", "nan"):
        monkeypatch.setenv("NUMCHECK_MAX_FILE_MB", wrong)
        with pytest.raises(ConfigError, match="NUMCHECK_MAX_FILE_MB must be a number"):
            read_corpus([tmp_path])


def _read_in_child(paths: list[Path], timeout: float = 60) -> list[list]:
    """read_corpus in a child process with 2 GB of address space and a time limit: input that
    would block or never end fails the test instead of hanging or exhausting the machine."""
    import subprocess
    import sys

    script = (
        "import json, resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
        "from checker.ingest import read_corpus\n"
        "corpus = read_corpus(sys.argv[1:])\n"
        "print(json.dumps([[d.path for d in corpus.documents],"
        " [[p.path, p.reason] for p in corpus.problems]]))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    return json.loads(completed.stdout)


def test_pipes_and_devices_in_a_folder_are_refused_without_blocking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NUMCHECK_FOLLOW_LINKS", "1")  # the link to /dev/zero is followed
    (tmp_path / "good.txt").write_text("Output rose 5%.", "utf-8")
    try:
        os.mkfifo(tmp_path / "pipe.txt")  # opened for reading, it would wait for a writer
        os.symlink("/dev/zero", tmp_path / "zeros.txt")  # read, it would never end
    except (OSError, AttributeError):
        pytest.skip("no named pipes or /dev/zero here")
    documents, problems = _read_in_child([tmp_path])
    assert [Path(path).name for path in documents] == ["good.txt"]
    assert {Path(path).name: reason for path, reason in problems} == {
        "pipe.txt": "not a regular file (a named pipe)",
        "zeros.txt": "not a regular file (a device)",
    }


@pytest.mark.parametrize("walker", ["ingest", "cache"])
def test_links_out_of_the_corpus_folder_are_refused_unless_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, walker: str
) -> None:
    from checker.discover import corpus_files

    corpus, outside = tmp_path / "corpus", tmp_path / "outside"
    corpus.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text("The vault holds 4,000 tons of gold.", "utf-8")
    (corpus / "a.txt").write_text("Acme Corp sold 1.8 million cars.", "utf-8")
    try:
        os.symlink(outside / "secret.txt", corpus / "secret.txt")
        os.symlink(outside, corpus / "elsewhere")
        os.symlink(corpus / "a.txt", corpus / "again.txt")  # inside: read (once)
    except OSError:
        pytest.skip("no symlinks here")

    def read() -> tuple[list[str], list[str]]:
        if walker == "ingest":
            got = read_corpus([corpus])
            return ([Path(d.path).name for d in got.documents],
                    [Path(p.path).name for p in got.problems])
        files, problems = corpus_files([corpus])
        return [Path(f.location).name for f in files], [Path(p.path).name for p in problems]

    names, refused = read()
    assert names == ["a.txt"] and sorted(refused) == ["elsewhere", "secret.txt"]
    monkeypatch.setenv("NUMCHECK_FOLLOW_LINKS", "1")
    names, refused = read()
    assert "secret.txt" in names and refused == []


def test_a_symlink_to_itself_is_a_problem_not_a_hang(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Output rose 5%.", "utf-8")
    try:
        os.symlink("self.txt", tmp_path / "self.txt")
        os.symlink("b", tmp_path / "a.md")
        os.symlink("a.md", tmp_path / "b")
    except OSError:
        pytest.skip("no symlinks here")
    corpus = read_corpus([tmp_path, tmp_path / "self.txt"])
    assert [Path(d.path).name for d in corpus.documents] == ["good.txt"]
    assert [(Path(p.path).name, p.reason) for p in corpus.problems] == [
        ("a.md", "symbolic link loop"),
        ("self.txt", "symbolic link loop"),
        ("self.txt", "symbolic link loop"),
    ]


def test_two_symlink_loops_are_walked_once(tmp_path: Path) -> None:
    # Followed blindly, two links back to the root double the walk at every level, up to the
    # 40 links a path may hold: 2**40 folders.
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("Text 1.", "utf-8")
    try:
        os.symlink(tmp_path, tmp_path / "a" / "up")
        os.symlink(tmp_path, tmp_path / "a" / "back")
    except OSError:
        pytest.skip("no symlinks here")
    documents, problems = _read_in_child([tmp_path], timeout=30)
    assert [Path(path).name for path in documents] == ["x.txt"]
    assert problems == []


def test_unreadable_file_for_real(tmp_path: Path) -> None:
    if os.name != "posix" or os.geteuid() == 0:
        pytest.skip("root reads files whatever their mode")
    (tmp_path / "a.txt").write_text("Readable 5%.", "utf-8")
    locked = tmp_path / "b.txt"
    locked.write_text("Locked 6%.", "utf-8")
    locked.chmod(0)
    try:
        corpus = read_corpus([tmp_path])
    finally:
        locked.chmod(0o644)
    assert [Path(d.path).name for d in corpus.documents] == ["a.txt"]
    assert [(Path(p.path).name, p.reason) for p in corpus.problems] == [
        ("b.txt", "permission denied")
    ]


def test_utf8_with_a_few_broken_bytes_is_read_with_a_warning(tmp_path: Path) -> None:
    good = CHINESE.encode("utf-8")
    path = tmp_path / "cut.txt"
    path.write_bytes(good + good[:-2] + b"\n" + b"Output rose 5%.\xff\xfe\n" + good)
    corpus = read_corpus([path])
    (document,) = corpus.documents
    assert document.text.count("\ufffd") == 3
    assert document.text.startswith(CHINESE) and document.text.endswith(CHINESE)
    assert "Output rose 5%." in document.text and document.lang == "zh"
    (problem,) = corpus.problems
    assert problem.line == 4  # the cut character ends line 4
    assert problem.reason == (
        "3 byte sequences not valid UTF-8, read as U+FFFD (the first on line 4)"
    )


def test_control_characters_are_masked_in_text_and_metadata(tmp_path: Path) -> None:
    # A few control characters in a long text: too few to call it binary, and each one that a
    # terminal would obey (a title change, a screen clear) is gone.
    escape = "\x1b]0;owned\x07\x1b[2J\x9b"
    prose = "Output rose 5% last year. " * 40
    (tmp_path / "a.txt").write_text(f"Output{escape} rose 5%.\n{prose}", "utf-8")
    record = {"id": f"x{escape}", "title": f"T{escape}", "source": escape, "text": f"A{escape}6%"}
    (tmp_path / "b.jsonl").write_text(json.dumps(record) + "\n", "utf-8")
    page = f"<title>H{escape}</title><p>B{escape} 7% {prose}</p>"
    (tmp_path / "c.html").write_text(page, "utf-8")
    corpus = read_corpus([tmp_path])
    assert corpus.problems == ()
    for document in corpus.documents:
        fields = (document.text, document.title, document.source, document.url, document.doc_id)
        assert not any(re.search(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]", f) for f in fields)
    plain = corpus.documents[0]
    shown = re.sub(r"[\x07\x1b\x9b]", " ", escape)  # each control character, offsets kept
    assert plain.text == f"Output{shown} rose 5%.\n{prose}"


def test_a_json_line_nested_too_deeply_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonl"
    deep = '{"text": "x", "a": ' + "[" * 100_000 + "]" * 100_000 + "}"
    path.write_text(f'{{"text": "First 5%"}}\n{deep}\n{{"text": "Third 6%"}}\n', "utf-8")
    corpus = read_corpus([path])
    assert [d.body for d in corpus.documents] == ["First 5%", "Third 6%"]
    assert [(p.line, p.reason) for p in corpus.problems] == [(2, "invalid JSON: nested too deeply")]


def test_the_order_of_the_paths_given_does_not_matter(tmp_path: Path) -> None:
    # Two files claim the id "a": which keeps it must not depend on the command line.
    (tmp_path / "one.jsonl").write_text('{"id": "a", "text": "One 5%"}\n', "utf-8")
    (tmp_path / "two.jsonl").write_text('{"id": "a", "text": "Two 6%"}\n{"text": 1}\n', "utf-8")
    (tmp_path / "three.txt").write_bytes(b"")
    paths = [tmp_path / "two.jsonl", tmp_path / "missing.txt", tmp_path / "three.txt",
             tmp_path / "one.jsonl", tmp_path / "absent.md"]
    forward, backward = read_corpus(paths), read_corpus(paths[::-1])
    assert forward == backward
    assert [(Path(d.path).name, d.doc_id) for d in forward.documents] == [
        ("one.jsonl", "a"),
        ("two.jsonl", "two:1"),
    ]
    assert [Path(p.path).name for p in forward.problems] == [
        "absent.md", "missing.txt", "three.txt", "two.jsonl", "two.jsonl"
    ]


def test_parse_bytes_decodes_like_a_file() -> None:
    corpus = parse_bytes(CHINESE.encode("gbk"), "draft.txt", ".txt")
    (document,) = corpus.documents
    assert document.text == CHINESE and document.doc_id == "draft#1"
    assert parse_bytes(b"%PDF-1.7\n", "x.txt").problems[0].reason == "binary file (PDF), not text"


def test_a_jsonl_id_that_is_no_string_or_number_is_refused_with_a_warning(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"id": {"a": 1}, "text": "Output rose 5%."}\n'
                    '{"id": 7, "text": "Output rose 6%."}\n'
                    '{"id": true, "text": "Output rose 7%."}\n', "utf-8")
    corpus = read_corpus([feed])
    ids = [d.doc_id for d in corpus.documents]
    assert "7" in ids and not any("{" in i or i == "True" for i in ids)
    assert [(p.line, p.reason.split(",")[0]) for p in corpus.problems] == [
        (1, '"id" must be a string or a number'), (3, '"id" must be a string or a number')]


def test_lone_carriage_returns_end_lines(tmp_path: Path) -> None:
    from checker.pipeline import run

    path = tmp_path / "old-mac.txt"
    path.write_bytes(b"A note.\rAcme Corp sold 1.8 million cars in 2023.\r")
    (claim,) = [c for c in run([path]).claims if c.dimension != "date"]
    assert (claim.line, claim.col) == (2, 16)


def test_the_size_message_never_says_a_file_is_as_large_as_the_limit() -> None:
    from checker.ingest import too_large_reason

    assert "10,000,001 bytes, the limit is 10 MB" in too_large_reason(10_000_001, 10_000_000)
    assert "52.4 MB, the limit is 10 MB" in too_large_reason(52_400_000, 10_000_000)


@pytest.mark.parametrize(
    ("text", "encoding"),
    [("Müller sold 5 cars for €5 million.", "cp1252"), ("Résumé du café naïve.", "cp1252"),
     ("Добыча выросла до 28 млн тонн.", "koi8_r"), ("Добыча выросла до 28 млн тонн.", "cp1251")],
)
def test_a_short_one_byte_file_is_read_right_and_said_to_be_a_guess(
    tmp_path: Path, text: str, encoding: str
) -> None:
    path = tmp_path / "short.txt"
    path.write_bytes(text.encode(encoding))
    corpus = read_corpus([path])
    assert corpus.documents[0].body == text
    assert [p.reason for p in corpus.problems] == [
        f"not UTF-8: read as {encoding}, a guess; save the file as UTF-8 to be sure"]


def test_chinese_in_gb18030_is_still_read_as_chinese(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes("中国控制了全球70%的稀土开采。".encode("gb18030"))
    corpus = read_corpus([path])
    assert corpus.documents[0].body == "中国控制了全球70%的稀土开采。" and corpus.problems == ()


def test_a_json_file_is_an_array_of_articles(tmp_path: Path) -> None:
    """A .json export: the array's objects are the articles, as JSON Lines' lines are, however
    the file is laid out; offsets and lines are the file's own."""
    records = [
        {"id": "a", "title": "Sales", "source": "Wire", "text": "Tesla sold 1.8 million cars."},
        {"title": "Zweite", "text": "BYD sold 3 million cars in 2024.", "published": "2025-01-02"},
    ]
    path = tmp_path / "export.json"
    raw = json.dumps(records, indent=2, ensure_ascii=False)
    path.write_text(raw, "utf-8")
    corpus = read_corpus([tmp_path])
    assert [d.doc_id for d in corpus.documents] == ["a", "export:8"]
    first, second = corpus.documents
    assert (first.title, first.source, second.published) == ("Sales", "Wire", "2025-01-02")
    assert first.body == "Tesla sold 1.8 million cars." and not corpus.problems
    assert second.text.index("3 million") == raw.index("3 million")
    assert second.text.count("\n", 0, second.start) + 1 == raw[:raw.index("BYD")].count("\n") + 1
    one = tmp_path / "one.json"
    one.write_text(json.dumps(records[0]), "utf-8")
    assert [d.body for d in read_corpus([one]).documents] == [first.body]


def test_a_broken_json_array_keeps_the_articles_before_the_break(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[\n{"text": "Tesla sold 1.8 million cars."},\n"a string",\n'
                    '{"text": "BYD sold 3 million cars."} {"text": "lost"}\n]', "utf-8")
    corpus = read_corpus([path])
    assert [d.body for d in corpus.documents] == ["Tesla sold 1.8 million cars.",
                                                  "BYD sold 3 million cars."]
    assert [(p.line, p.reason) for p in corpus.problems] == [
        (3, "an article must be a JSON object"),
        (4, "invalid JSON: expected ',' or ']' after an item"),
    ]


def test_a_json_file_is_read_as_json_through_the_index(tmp_path: Path) -> None:
    from checker.pipeline import run

    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "export.json").write_text(json.dumps(
        [{"text": "Tesla sold 1.8 million cars in 2023."},
         {"text": "Tesla sold 18 million cars in 2023."}]), "utf-8")
    result = run([folder], cache_dir=tmp_path / "cache")
    assert len(result.documents) == 2  # read as text, the file would be one article
    assert [claim.surface for claim in result.claims] == ["1.8 million cars", "2023",
                                                         "18 million cars", "2023"]
