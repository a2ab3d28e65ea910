"""Article text is untrusted: nothing read is ever run, nothing read chooses where a file is
written, and nothing read reaches a browser or a terminal as markup or control codes.

The HTML escaping itself is tested on a hostile sample in test_html.py; here a hostile corpus
goes through the whole command."""

from __future__ import annotations

import ast
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from checker import cli
from checker.report.folder import STAMP_FILE

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "checker"

# Modules that can run what they load, or run commands.
UNSAFE_MODULES = {"pickle", "cPickle", "dill", "marshal", "shelve", "yaml", "subprocess", "joblib"}
UNSAFE_CALLS = {"eval", "exec", "compile", "__import__", "execfile"}
UNSAFE_ATTRIBUTES = {("os", "system"), ("os", "popen"), ("pd", "read_pickle")}


def _modules() -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text("utf-8"))) for path in sorted(PACKAGE.rglob("*.py"))]


def _where(path: Path, node: ast.AST) -> str:
    return f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"


def test_nothing_can_run_what_it_reads() -> None:
    found = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [alias.name for alias in node.names]
                if isinstance(node, ast.ImportFrom):
                    names = [node.module or ""]
                found += [_where(path, node) for n in names if n.split(".")[0] in UNSAFE_MODULES]
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                if node.func.id in UNSAFE_CALLS:
                    found.append(_where(path, node))
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and (node.value.id, node.attr) in UNSAFE_ATTRIBUTES
            ):
                found.append(_where(path, node))
    assert found == []


def test_configuration_is_read_with_tomllib_in_one_place() -> None:
    readers = sorted(
        str(path.relative_to(ROOT))
        for path, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        and any(
            name in ("tomllib", "toml", "tomli", "configparser")
            for name in ([a.name for a in node.names] + [getattr(node, "module", "") or ""])
        )
    )
    assert readers == ["checker/errors.py"]
    rules = sorted(p.relative_to(ROOT / "rules").as_posix() for p in (ROOT / "rules").rglob("*.*"))
    assert all(name.endswith(".toml") or name == "units.txt" for name in rules), rules


_WRITE_FLAGS = {"O_WRONLY", "O_RDWR", "O_CREAT", "O_APPEND", "O_TRUNC"}


def _opens_for_writing(node: ast.Call) -> bool:
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    owner = getattr(func.value, "id", "") if isinstance(func, ast.Attribute) else ""
    if name in ("write_text", "write_bytes", "mkstemp", "NamedTemporaryFile", "mkdtemp"):
        return True
    if owner in ("os", "shutil") and name in ("replace", "rename", "move", "copy", "copyfile"):
        return True
    if owner == "os" and name == "open":
        flags = {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}
        return bool(flags & _WRITE_FLAGS) and "devnull" not in flags
    if name in ("to_csv", "to_parquet", "to_json", "to_excel", "write_table"):
        # into memory, or into the handle write_files hands a writer: not a file of its own
        return bool(node.args) and not (
            isinstance(node.args[-1], ast.Name) and node.args[-1].id in ("buffer", "handle")
        )
    if name != "open":
        return False
    # open(file, mode) or path.open(mode); another class's open() (a database) is not a file
    given = node.args[1:2] if isinstance(func, ast.Name) else node.args[:1]
    modes = list(given) + [k.value for k in node.keywords if k.arg == "mode"]
    return any(
        isinstance(mode, ast.Constant) and any(c in str(mode.value) for c in "wax+")
        for mode in modes
    )


# Files that are not reports, and what makes a plain write safe for them.
NOT_REPORTS = {
    "checker/cache.py:open": "the cache folder's .gitignore, written once, harmless if cut short",
}


def test_every_file_is_written_by_write_files() -> None:
    """One writer (temporary files renamed into place) for every report and table."""
    writers = []
    for path, tree in _modules():
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Call) and _opens_for_writing(node):
                    writers.append(f"{path.relative_to(ROOT)}:{function.name}")
    assert sorted(set(writers) - set(NOT_REPORTS)) == [
        "checker/report/files.py:_write", "checker/report/files.py:write_files"]


HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"


@pytest.fixture
def hostile_corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "numcheck.toml").write_text('lexicon = ["rare-earths"]\n', "utf-8")
    records = [
        {"id": "../../../escaped", "title": HOSTILE, "url": "javascript:alert(3)",
         "text": f"Russia holds 28.5 million tons of reserves. {HOSTILE}"},
        {"id": "/tmp/absolute", "title": "\x1b]0;owned\x07 title",
         "text": "Russia holds 2.85 million tons of reserves. \x1b[2J"},
        {"id": "..", "text": "Russia holds 380,000 tons of reserves."},
    ]
    lines = [json.dumps(record) for record in records]
    (folder / "hostile.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    (folder / "page.html").write_text(
        f"<title>{HOSTILE}</title><p>&lt;script&gt;alert(4)&lt;/script&gt; China holds 44 million"
        " tons of reserves.</p>",
        "utf-8",
    )
    return folder


def _files(root: Path) -> set[str]:
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


def test_output_paths_stay_inside_out(
    hostile_corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _files(tmp_path)
    out = tmp_path / "out"
    assert cli.main(["report", str(hostile_corpus), "--out", str(out), "--quiet"]) == 0
    assert cli.main(["extract", str(hostile_corpus), "--out", str(out / "facts.parquet")]) == 0
    written = _files(tmp_path) - before
    assert written == {
        f"out/{name}"
        for name in ("facts.csv", "findings.csv", "report.json", "report.html", STAMP_FILE,
                     "facts.parquet")
    }
    report = json.loads((out / "report.json").read_text("utf-8"))
    ids = {claim["doc_id"] for claim in report["claims"]}
    assert {"../../../escaped", "/tmp/absolute", ".."} <= ids  # the ids were taken as they are


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_hostile_text_is_inert_in_the_html_report(hostile_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert cli.main(["report", str(hostile_corpus), "--out", str(out), "--quiet"]) == 0
    page = (out / "report.html").read_text("utf-8")
    parser = _Elements()
    parser.feed(page)
    assert [attrs.get("type") for tag, attrs in parser.tags if tag == "script"] == [
        "application/json",
        None,
    ]
    assert not [tag for tag, _ in parser.tags if tag == "img"]
    assert not [name for _, attrs in parser.tags for name in attrs if name.startswith("on")]
    hrefs = [attrs.get("href") or "" for tag, attrs in parser.tags if tag == "a"]
    assert not [href for href in hrefs if href.lower().startswith("javascript")]
    assert "28.5 million tons" in page and "&lt;script&gt;" in page  # shown, as text
    assert "\x1b" not in page


def test_no_control_code_reaches_the_terminal(
    hostile_corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # article text and titles hold escape sequences: ingest masks them
    assert cli.main(["report", str(hostile_corpus), "--out", str(tmp_path / "out")]) == 0
    captured = capsys.readouterr()
    assert "28.5 million" in captured.out
    assert not [c for c in captured.out + captured.err if c in "\x1b\x07\x9b"]
    # a file name holds one: the warning shows it escaped
    (hostile_corpus / "bad\x1b[2Jname.txt").write_bytes(b"%PDF-1.7\n")
    assert cli.main(["report", str(hostile_corpus), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "\x1b" not in err and "bad\\x1b[2Jname.txt: binary file (PDF)" in err
