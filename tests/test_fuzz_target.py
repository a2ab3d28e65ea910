"""The atheris fuzz targets (fuzz/fuzz_extract.py, fuzz_review.py, fuzz_config.py) import and run
without atheris: fed inputs directly here, and as a command that replays files, as it replays a
crash the fuzzer saved."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "fuzz" / "fuzz_extract.py"

HOSTILE_INPUTS = [
    b"",
    b"\x00",
    b"\x02" + b"<div>" * 10_000 + b"5%" + b"</div>" * 10_000,
    b"\x03" + b'{"text": "Output rose 5%", "a": ' + b"[" * 50_000 + b"]" * 50_000 + b"}\n",
    b"\x03" + b'{"text": "\\ud800 \\u001b[2J 28.5 million tons"}\n{broken\n',
    b"\x00%PDF-1.7\n" + bytes(range(256)),
    b"\x01" + "中国控制了全球70%的稀土开采。".encode("gb18030"),
    b"\x00" + "约2.85万吨，逾90%，超过1,000亿美元。".encode("utf-16"),
    b"\x00" + b"1" * 4_300 + b" tons",
    b"\x00" + b"$" * 2_000 + b"1.5 billion " + b"%" * 2_000,
]


def _module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def fuzz_module() -> ModuleType:
    return _module(TARGET)


def test_the_target_takes_hostile_inputs(fuzz_module: ModuleType) -> None:
    target = fuzz_module.make_target()
    for data in HOSTILE_INPUTS:
        target(data)


def test_the_target_takes_a_run_of_4301_digits(fuzz_module: ModuleType) -> None:
    fuzz_module.make_target()(b"\x00" + b"1" * 4_301)


def test_the_target_takes_every_smoke_input(fuzz_module: ModuleType) -> None:
    target = fuzz_module.make_target()
    inputs = list(fuzz_module.smoke_inputs(list(fuzz_module.SMOKE_INPUTS)))
    assert len(inputs) >= 4 * 9  # the seeds and the fixtures, in each format
    for data in inputs:
        target(data)


def test_the_target_replays_files_as_a_command(tmp_path: Path) -> None:
    saved = tmp_path / "crash-0"
    saved.write_bytes(HOSTILE_INPUTS[4])
    completed = subprocess.run(
        [sys.executable, str(TARGET), str(saved)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert completed.stdout.strip() == "4 inputs, no failure"


@pytest.mark.parametrize("name", ["fuzz_review", "fuzz_config"])
def test_the_other_targets_take_hostile_and_smoke_inputs(name: str) -> None:
    module = _module(ROOT / "fuzz" / f"{name}.py")
    target = module.make_target()
    for data in [*HOSTILE_INPUTS[:6], b"\x00[tolerance]\napprox-relative = inf\n",
                 b'# th\nlexicon = ["~rare e"]\n',
                 b"\x00<!-- numcheck: ignore NC1O2 -->\n5.4 million tons",
                 *module.smoke_inputs(list(module.SMOKE_INPUTS))]:
        target(data)
