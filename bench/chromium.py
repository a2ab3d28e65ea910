"""Headless Chromium as the browser tests, bench/page.py and docs/screenshot.py start it:
Debian's `chromium` on PATH driven by Playwright (whose own browser download does not work
everywhere), with no sandbox (containers), GPU or network."""

from __future__ import annotations

import shutil
from typing import Any

__all__ = ["ARGS", "executable", "launch"]

ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def executable() -> str | None:
    """The `chromium` on PATH, or None (apt-get install chromium)."""
    return shutil.which("chromium")


def launch(playwright: Any, path: str) -> Any:
    """A headless browser of the Chromium at `path`, from a running sync_playwright()."""
    return playwright.chromium.launch(executable_path=path, args=list(ARGS))
