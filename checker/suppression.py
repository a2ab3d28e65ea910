"""Suppression comments in drafts, and which findings they silence.

    <!-- numcheck: ignore NC101 -->            findings NC101
    <!-- numcheck: ignore NC101, NC102 -->     findings NC101 or NC102
    <!-- numcheck: ignore -->                  every finding
    <!-- numcheck: ignore NC102 -- quoted as said -->   words after the codes are a reason
    <!-- numcheck: ignore -- quoted as said -->         a bare comment's reason follows "--"
    <!-- numcheck: ignore NC1O2 -->            nothing: an unknown code, reported (NC301)

A comment alone on its line silences the findings of the next line only; a comment after text
silences the findings of its own line only. A finding is placed at one draft figure
(checker.review), and only a comment covering that figure's line silences it. The comment is an
HTML comment, so Markdown and HTML hide it from readers; it is found in plain text drafts too.
Comments are blanked before figures are read, so "NC101" is not a figure.
A comment that silenced nothing is reported (NC301) by checker.review.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from checker.pipeline import line_col, line_starts

__all__ = ["Applied", "Suppression", "apply", "find_suppressions", "mask_suppressions"]

_COMMENT = re.compile(r"<!--\s*numcheck\s*:\s*ignore\b(?P<rest>.*?)-->", re.IGNORECASE | re.DOTALL)
_CODE = re.compile(r"[A-Za-z]{2}\d{3}")
_NOT_NEWLINE = re.compile(r"[^\n]")

_Item = TypeVar("_Item")


@dataclass(frozen=True, slots=True)
class Suppression:
    """One comment: where it is and the codes it names (none: every code)."""

    path: str
    line: int
    col: int
    end_line: int
    end_col: int  # just past the comment
    codes: tuple[str, ...]
    text: str
    alone: bool = True  # nothing but blanks around it on its line(s)

    @property
    def lines(self) -> range:
        """The lines it silences: the next one when it stands alone, else its own."""
        return range(self.end_line + 1, self.end_line + 2) if self.alone else range(
            self.line, self.end_line + 1)

    def silences(self, code: str, path: str, line: int) -> bool:
        return path == self.path and line in self.lines and (not self.codes or code in self.codes)


def find_suppressions(text: str, path: str) -> tuple[Suppression, ...]:
    """The suppression comments of a draft's text, in order."""
    starts = line_starts(text)
    found = []
    for match in _COMMENT.finditer(text):
        line, col = line_col(starts, match.start())
        end_line, end_col = line_col(starts, match.end())
        before = text[text.rfind("\n", 0, match.start()) + 1:match.start()]
        after_end = text.find("\n", match.end())
        after = text[match.end():after_end if after_end >= 0 else len(text)]
        found.append(Suppression(path, line, col, end_line, end_col,
                                 _codes(match.group("rest")), " ".join(match.group().split()),
                                 alone=not (before.strip() or after.strip())))
    return tuple(found)


def _codes(rest: str) -> tuple[str, ...]:
    """The codes a comment names: the tokens before its reason ("--"). A first token that is no
    code ("NC1O2", "E501") is kept as written, so it silences nothing and is reported as
    unknown: a typo must not silence every finding on the line."""
    codes = []
    tokens = [t for t in re.split(r"[\s,]+", rest.split("--", 1)[0].strip()) if t]
    for token in tokens:
        if not _CODE.fullmatch(token):
            if not codes:
                codes.append(token.upper())
            break
        codes.append(token.upper())
    return tuple(dict.fromkeys(codes))


def mask_suppressions(text: str) -> str:
    """The text with every suppression comment blanked (newlines kept, so offsets hold)."""
    return _COMMENT.sub(lambda match: _NOT_NEWLINE.sub(" ", match.group()), text)


@dataclass(frozen=True, slots=True)
class Applied(Generic[_Item]):
    """Findings left after the comments, how many were silenced, and what silenced nothing."""

    kept: tuple[_Item, ...]
    silenced: int
    # each comment that silenced nothing it could have: with the codes that did not apply
    # (empty for a comment naming no code)
    unused: tuple[tuple[Suppression, tuple[str, ...]], ...]


def apply(
    findings: Iterable[_Item],
    suppressions: Sequence[Suppression],
    code_of: Callable[[_Item], str],
    places_of: Callable[[_Item], Iterable[tuple[str, int]]],
    selected: Callable[[str], bool],
) -> Applied[_Item]:
    """Silence the findings a comment covers. A code not `selected` could not have been found,
    so a comment is not blamed for it."""
    used: set[tuple[int, str]] = set()  # (comment index, code); code "" for a bare comment
    kept = []
    silenced = 0
    for finding in findings:
        code = code_of(finding)
        places = list(places_of(finding))
        hits = [
            index for index, comment in enumerate(suppressions)
            if any(comment.silences(code, path, line) for path, line in places)
        ]
        for index in hits:
            used.add((index, code if suppressions[index].codes else ""))
        if hits:
            silenced += 1
        else:
            kept.append(finding)
    unused = []
    for index, comment in enumerate(suppressions):
        if comment.codes:
            idle = tuple(c for c in comment.codes if (index, c) not in used and selected(c))
            if idle:
                unused.append((comment, idle))
        elif (index, "") not in used:
            unused.append((comment, ()))
    return Applied(tuple(kept), silenced, tuple(unused))
