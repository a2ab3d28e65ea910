"""The integrations of `numcheck review`: the pre-commit hook and the example GitHub workflow.

The hook's entry is run as pre-commit runs it (the entry, then the staged files); the workflow's
`numcheck` commands are parsed by numcheck's own argument parser and run on a fixture.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from checker.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "review"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
WORKFLOW = ROOT / "docs" / "github-actions-review.yml"


def numcheck_command() -> list[str]:
    """The installed console script, else the same command through the interpreter."""
    script = Path(sys.executable).with_name("numcheck")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "checker"]


def run_numcheck(
    argv: list[str], cache: Path, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "NUMCHECK_CACHE_DIR": str(cache)}
    environment.pop("CI", None)
    return subprocess.run([*numcheck_command(), *argv], capture_output=True, text=True, cwd=cwd,
                          env=environment, check=False)


# ---------------------------------------------------------------------------------------------
# pre-commit


@pytest.fixture(scope="module")
def hook() -> dict[str, Any]:
    hooks = yaml.safe_load(HOOKS.read_text("utf-8"))
    assert isinstance(hooks, list) and len(hooks) == 1
    return hooks[0]


def test_the_hook_is_a_valid_pre_commit_hook(hook: dict[str, Any]) -> None:
    # the keys pre-commit requires of a hook, and those this one relies on
    assert {"id", "name", "entry", "language"} <= set(hook)
    assert hook["id"] == "numcheck-review"
    assert hook["language"] == "python"  # pre-commit installs the repository with pip
    assert "markdown" in hook["types"]
    assert hook.get("pass_filenames", True) is True  # the staged drafts are its arguments
    entry = shlex.split(hook["entry"])
    assert entry[:2] == ["numcheck", "review"]
    build_parser().parse_args([*entry[1:], "draft.md"])  # the entry is a valid command


def test_the_hook_runs_on_staged_drafts(hook: dict[str, Any], tmp_path: Path) -> None:
    """pre-commit runs `entry file...` in the repository; the slip fails the commit, the
    restated figure passes."""
    project = tmp_path / "project"
    (project / "drafts").mkdir(parents=True)
    for name in ("slip.md", "restated_wan.md"):
        shutil.copy(FIXTURES / name, project / "drafts" / name)
    (project / "corpus").mkdir()
    shutil.copy(ROOT / "seeds" / "003_bbf5dcb64bd24d90.txt", project / "corpus")
    (project / "pyproject.toml").write_text(
        '[tool.numcheck]\ncorpus = ["corpus"]\nlexicon = ["rare-earths"]\n', "utf-8")
    entry = shlex.split(hook["entry"])[1:]
    failed = run_numcheck([*entry, "drafts/slip.md", "drafts/restated_wan.md"],
                          tmp_path / "cache", cwd=project)
    assert failed.returncode == 1, failed.stderr
    assert failed.stdout.startswith("drafts/slip.md:3:32: NC102 error")
    passed = run_numcheck([*entry, "drafts/restated_wan.md"], tmp_path / "cache", cwd=project)
    assert passed.returncode == 0, passed.stdout + passed.stderr


# ---------------------------------------------------------------------------------------------
# GitHub Actions


@pytest.fixture(scope="module")
def workflow() -> dict[Any, Any]:
    return yaml.safe_load(WORKFLOW.read_text("utf-8"))


def _steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def _numcheck_commands(workflow: dict[Any, Any]) -> list[list[str]]:
    commands = []
    for step in _steps(workflow):
        for line in str(step.get("run", "")).splitlines():
            words = shlex.split(line, comments=True)
            if words[:2] == ["numcheck", "review"]:
                commands.append(words)
    return commands


def test_the_workflow_is_a_pull_request_workflow(workflow: dict[Any, Any]) -> None:
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "pull_request" in triggers
    assert workflow["permissions"]["security-events"] == "write"
    uses = [step.get("uses", "") for step in _steps(workflow)]
    assert any(use.startswith("actions/checkout@") for use in uses)
    assert any(use.startswith("github/codeql-action/upload-sarif@") for use in uses)


def test_the_workflow_commands_are_valid(workflow: dict[Any, Any]) -> None:
    commands = _numcheck_commands(workflow)
    formats = set()
    for words in commands:
        args = build_parser().parse_args(words[1:])
        formats.add(args.format)
        if args.format == "sarif":
            upload = next(step for step in _steps(workflow)
                          if step.get("uses", "").startswith("github/codeql-action/upload-sarif"))
            assert upload["with"]["sarif_file"] == args.output
    assert formats == {"github", "sarif"}


def test_the_workflow_commands_run(workflow: dict[Any, Any], tmp_path: Path) -> None:
    """Each `numcheck review` of the workflow, run in a checkout with a draft that slips."""
    project = tmp_path / "checkout"
    (project / "drafts").mkdir(parents=True)
    shutil.copy(FIXTURES / "slip.md", project / "drafts" / "slip.md")
    for words in _numcheck_commands(workflow):
        argv = [str(project / "drafts" / "slip.md") if word == "drafts/*.md" else word
                for word in words[1:]]
        completed = run_numcheck(argv, tmp_path / "cache", cwd=project)
        args = build_parser().parse_args(words[1:])
        if args.format == "github":
            assert completed.returncode == 1
            assert completed.stdout.startswith("::error file=")
        else:
            assert completed.returncode == 0  # --fail-on never: the upload step still runs
            assert (project / args.output).is_file()
