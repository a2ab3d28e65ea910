"""The installed numcheck's version, for the modules that print or fingerprint it.

A module of its own so that no part of the package imports `checker` itself, whose functions
import the pipeline.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

__all__ = ["__version__"]

try:
    __version__ = version("numcheck")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
