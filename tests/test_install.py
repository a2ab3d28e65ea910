"""A normal install works from any folder: `pip install .` (not editable) into a fresh venv, then
`numcheck report` and `numcheck review` run elsewhere, with rules/ and seeds/ from the package."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("pyproject.toml", "README.md", "checker", "rules", "seeds")


def test_every_subpackage_is_installed() -> None:
    """pyproject.toml lists the packages (rules/ and seeds/ are mapped into the package)."""
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]
    found = {".".join(path.parent.relative_to(ROOT).parts)
             for path in (ROOT / "checker").rglob("__init__.py")}
    assert found <= set(listed["packages"])
    assert {"checker._rules", "checker._seeds"} <= set(listed["packages"])


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv with the package installed from a copy of the source (the build writes into the
    folder it builds, not into this checkout); its bin folder."""
    base = tmp_path_factory.mktemp("install")
    source = base / "source"
    source.mkdir()
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=skip)
        else:
            shutil.copy(ROOT / name, source / name)
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                          f"{source}{os.sep}"], capture_output=True, text=True, check=False)
    assert pip.returncode == 0, pip.stdout + pip.stderr
    shutil.rmtree(source)  # nothing may still read the source
    return venv / "bin"


def _numcheck(bin_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {"PATH": f"{bin_dir}{os.pathsep}/usr/bin:/bin", "HOME": str(cwd),
                   "NUMCHECK_CACHE_DIR": str(cwd / "cache"), "NO_COLOR": "1"}
    return subprocess.run([str(bin_dir / "numcheck"), *args], cwd=cwd, env=environment,
                          capture_output=True, text=True, check=False)


def test_report_runs_from_another_folder(installed: Path, tmp_path: Path) -> None:
    bundled = _numcheck(installed, tmp_path, "report", "--out", "out", "--format", "json")
    assert bundled.returncode == 0, bundled.stderr
    assert "site-packages/checker/_seeds" in bundled.stdout  # the bundled corpus
    assert '"code": "NC102"' in bundled.stdout.replace('":"', '": "')  # read with its pack
    assert (tmp_path / "out" / "report.html").is_file()
    corpus = tmp_path / "articles"
    corpus.mkdir()
    (corpus / "a.md").write_text("# A\n\nAcme sold 120 tractors in 2024.\n", "utf-8")
    (corpus / "b.md").write_text("# B\n\nAcme sold 12 tractors in 2024.\n", "utf-8")
    own = _numcheck(installed, tmp_path, "report", "articles", "--out", "own")
    assert own.returncode == 0, own.stderr
    assert "2 documents" in own.stdout


def test_review_runs_from_another_folder(installed: Path, tmp_path: Path) -> None:
    shutil.copy(ROOT / "tests" / "fixtures" / "review" / "slip.md", tmp_path / "draft.md")
    review = _numcheck(installed, tmp_path, "review", "draft.md")
    assert review.returncode == 1, review.stdout + review.stderr
    assert review.stdout.startswith("draft.md:3:32: NC102 error")
