"""Figures in English and Chinese text: numerals, scale words, units, qualifiers, ranges, dates."""

from checker.extract.engine import Extractor

__all__ = ["Extractor"]
