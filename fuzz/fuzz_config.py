"""Fuzz target for the configuration: any bytes as a numcheck.toml give settings or a
ConfigError naming the file: never another exception, and no setting that switches comparison
off (every tolerance a finite number).

    python fuzz/fuzz_config.py -max_total_time=600 fuzz/corpus-config tests/fixtures/rules

Without atheris, or given files, each input runs once (see fuzz/runner.py).
"""

from __future__ import annotations

import math
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # runner.py, beside this file
from runner import files_of, main  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SMOKE_INPUTS = (ROOT / "tests" / "fixtures" / "rules" / "numcheck.toml", ROOT / "pyproject.toml")


def make_target() -> Callable[[bytes], None]:
    from checker.config import load_config
    from checker.errors import ConfigError

    folder = Path(tempfile.mkdtemp(prefix="fuzz-config-"))
    path = folder / "numcheck.toml"

    def one_input(data: bytes) -> None:
        path.write_bytes(data)
        try:
            config = load_config(path)
        except ConfigError as error:
            assert str(path) in str(error)
            return
        assert all(math.isfinite(value) for value in config.tolerance.values())
        assert config.min_checked is None or 0 <= config.min_checked <= 100

    return one_input


def smoke_inputs(paths: list[Path]) -> Iterator[bytes]:
    yield from files_of(paths)


if __name__ == "__main__":
    sys.exit(main(sys.argv, make_target, smoke_inputs, SMOKE_INPUTS))
