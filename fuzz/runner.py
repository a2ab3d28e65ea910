"""What every fuzz target here shares: with atheris, fuzz the target; without it, or given files,
run each input once (a smoke test, or the replay of a crash)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path


def files_of(paths: Iterable[Path]) -> Iterator[bytes]:
    """The bytes of each file, a folder's files in order."""
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            yield file.read_bytes()


def with_format_byte(paths: Iterable[Path], formats: int) -> Iterator[bytes]:
    """Each file's bytes once per format, behind the byte that picks the format."""
    for data in files_of(paths):
        for index in range(formats):
            yield bytes([index]) + data


def main(
    argv: list[str],
    make_target: Callable[[], Callable[[bytes], None]],
    inputs: Callable[[list[Path]], Iterator[bytes]],
    smoke: Iterable[Path],
) -> int:
    try:
        import atheris
    except ImportError:
        atheris = None
    if atheris is None or not argv[1:] or all(Path(a).is_file() for a in argv[1:]):
        target = make_target()
        paths = [Path(a) for a in argv[1:] if not a.startswith("-")] or list(smoke)
        count = 0
        for data in inputs(paths):
            target(data)
            count += 1
        print(f"{count} inputs, no failure")
        return 0
    with atheris.instrument_imports(include=["checker"]):
        target = make_target()
    atheris.Setup(argv, target)
    atheris.Fuzz()
    return 0
