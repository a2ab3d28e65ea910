"""Figures for people, as the report page writes them: a value (380,000; 28.5 million; ∞), a
quantity in its unit (80%, 3×, 2024-08-01), the interval a figure stands for, a ratio (×2.5)
and a figure as it was stated ("28.5 million tons")."""

from __future__ import annotations

import math
import re
from datetime import date, timedelta

from checker.models import Claim

__all__ = [
    "EPOCH",
    "date_label",
    "format_interval",
    "format_number",
    "format_quantity",
    "format_ratio",
    "format_stated",
]

EPOCH = date(1970, 1, 1)  # the values of dates are days since it
_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
_CURRENCY_PREFIX = re.compile(r"[A-Z]{0,2}[$€£¥₹]")


def format_number(value: float) -> str:
    """A figure for reading: 380,000; 28.5 million; 0.5; 1.2×10¹⁸; ∞."""
    if math.isnan(value):
        return "?"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    magnitude = abs(value)
    if magnitude >= 1e15 or 0 < magnitude < 1e-4:
        mantissa, exponent = f"{value:.3e}".split("e")
        mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa}×10{str(int(exponent)).translate(_SUPERSCRIPT)}"
    for scale, word in _SCALES:
        if magnitude >= scale:
            return f"{_significant(value / scale)} {word}"
    return _significant(value)


def _significant(value: float) -> str:
    text = f"{value:,.6g}"
    return text if "e" not in text else f"{value:,.0f}"


def format_quantity(value: float, unit: str, iso: str = "") -> str:
    """A value in its canonical unit: 80%, 28.5 billion kg, 3×, 2024-08-01."""
    if unit == "date":
        return iso or date_label(value)
    number = format_number(value)
    if unit == "percent":
        return f"{number}%"
    if unit in ("count", ""):
        return number
    if unit == "x":
        return f"{number}×"
    if unit == "rank":
        return f"#{number}"
    return f"{number} {unit}"


def format_interval(claim: Claim) -> str:
    """The interval a figure stands for, or "" when it is a single point."""
    if claim.low == claim.high:
        return ""
    if claim.unit == "date":
        if claim.iso and "/" in claim.iso:
            return claim.iso.replace("/", " – ")
        return f"{date_label(claim.low)} – {date_label(claim.high)}"
    if not (math.isfinite(claim.low) and math.isfinite(claim.high)):
        return f"{format_quantity(claim.low, claim.unit)} – {format_number(claim.high)}"
    low = _split_unit(format_quantity(claim.low, claim.unit))
    high = _split_unit(format_quantity(claim.high, claim.unit))
    if low[1] == high[1]:  # "28.45 – 28.55 billion kg" rather than the unit twice
        return f"{low[0]} – {high[0]}{high[1]}"
    return f"{''.join(low)} – {''.join(high)}"


def _split_unit(text: str) -> tuple[str, str]:
    """ "28.5 billion kg" -> ("28.5", " billion kg"); "80%" -> ("80", "%")."""
    match = re.match(r"[#−-]?[\d,.]+(?:×10\S*)?|∞", text)
    return (text[: match.end()], text[match.end() :]) if match else (text, "")


def format_ratio(ratio: float | None) -> str:
    """×10, ×2.5, ×1.0001: enough digits to tell the ratio from 1, "" when it is 1 or unknown."""
    if ratio is None or not math.isfinite(ratio) or ratio <= 0:
        return ""
    for digits in (3, 4, 5, 6):
        text = f"{ratio:.{digits}g}"
        if float(text) != 1:
            return f"×{_significant(float(text))}"
    return ""


def date_label(days: float) -> str:
    """A date value, days since EPOCH, as its day: 2024-08-01."""
    if not math.isfinite(days):
        return format_number(days)
    try:
        return (EPOCH + timedelta(days=round(days))).isoformat()
    except OverflowError:
        return format_number(days)


def format_stated(claim: Claim) -> str:
    """The figure as written with its scale word applied: "28.5 million tons", "2.85万 吨"."""
    if claim.unit == "date":
        return claim.surface
    unit, number = claim.stated_unit, format_number(claim.stated_value)
    symbol = _CURRENCY_PREFIX.match(unit)
    if symbol:  # "$ per kilogram" reads "$12 per kilogram"
        return f"{symbol.group()}{number}{unit[symbol.end() :]}"
    glue = "" if not unit or unit == "%" or not unit[:1].isascii() else " "
    return f"{number}{glue}{unit}"
