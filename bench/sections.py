"""bench/RESULTS.md holds one section per benchmark script, each between its own markers, so a
script rewrites its results and leaves the others' alone."""

from __future__ import annotations

import os
import re
from pathlib import Path

RESULTS_FILE = Path(__file__).resolve().parent / "RESULTS.md"
_HEADER = (
    "# Benchmark results\n\n"
    "Each section is written by the script it names; rerun that script to update it.\n"
)


def write_section(name: str, markdown: str, path: Path = RESULTS_FILE) -> None:
    """Replace the section `name` of the results file (appending it the first time)."""
    begin, end = f"<!-- begin: {name} -->", f"<!-- end: {name} -->"
    block = f"{begin}\n{markdown.strip()}\n{end}"
    text = path.read_text("utf-8") if path.exists() else _HEADER
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    temporary = path.with_suffix(".tmp")
    temporary.write_text(text, "utf-8")
    os.replace(temporary, path)
