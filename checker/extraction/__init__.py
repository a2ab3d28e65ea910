"""Figures in English and Chinese text: numerals, scale words, units, qualifiers, ranges, dates."""

from checker.extraction.engine import Extractor

__all__ = ["Extractor"]
