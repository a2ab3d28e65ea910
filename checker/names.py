"""The named parties of a sentence, read from the text itself: no list of the topic's names.

English: runs of capitalised words and acronyms ("Tesla", "BYD", "General Motors", "F-35",
"Lockheed Martin Corp."), with a possessive ("Tesla's"), joined by "of" or "&" ("Bank of
America", "S&P"); company suffixes ("Inc.", "Ltd", "Group") are not part of the id. A
capitalised word that only opens a sentence is a name when something else says so: the
gazetteer or a pack knows it, it is capitalised elsewhere in the article, it is an acronym, a
possessive or an unknown word. Chinese: the proper nouns jieba tags (people, places,
organizations, other proper nouns) and Latin names inside Chinese text.

Each name gets one id: a country, region or city from checker.places (美国 = U.S. = American =
united_states), a pack's entity (rules/packs/), a name the article glosses in the other
language ("特斯拉（Tesla）" = tesla), else its own words in snake case.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from checker.places import Places, snake_id
from checker.words import ChineseWord, Words

if TYPE_CHECKING:
    from checker.claims import Lexicon

__all__ = ["CAPITALS", "LETTERS", "Name", "NameReader", "entity_id", "glossed", "opens",
           "title_case"]

_CJK = re.compile(r"[\u3400-\u9fff]")
# Latin letters, with accents ("Nestlé", "Škoda"), and those that may be capitals (the Latin
# Extended blocks interleave cases: a word's capital is tested again in Python), as character
# class ranges
LETTERS = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
CAPITALS = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u024f"
# A word that may belong to an English name: "Tesla", "BYD", "F-35", "iPhone", "U.S.", "S&P".
_TOKEN = re.compile(rf"[{LETTERS}0-9][{LETTERS}0-9'’.&\-]*[{LETTERS}0-9.]|[{LETTERS}]")
_POSSESSIVE = re.compile(rf"(?:'s|’s|'|’)(?![{LETTERS}])")
_INITIALS = re.compile(r"(?:[A-Za-z]\.){2,}")  # U.S., U.K.
# Where a sentence, or a part that reads like one, begins: its first word is capitalised anyway.
_OPENING = re.compile(r"(?:^|[:;.!?\"“”(\[]|\s[-–—•]|\n)\s*$")
_OPENING_WINDOW = 12
_UPPER = re.compile(f"[{CAPITALS}]")
_HEADING_END = re.compile(r"\s*(?:\d+\s*)?(?:[-–—:]\s|$)")
_SEGMENT_START = re.compile(r"[:;.!?\n]\s|\s[-–—•]\s")
_HEADING_WORD = re.compile(r"[^\W\d_][\w'’&.\-]*")
_GLOSSED_CJK = re.compile(r"([\u3400-\u9fff]{2,8})\s*[（(]\s*[A-Za-z]")
# jieba's tags of words that are no name: verbs, adverbs, prepositions, particles, numerals...
_NOT_NAME_TAGS = frozenset("vdpucrmqxyfte")
# Tags jieba gives loosely (a person's name, "other proper noun"): after a place, such a word is a
# noun the place qualifies (美国幼儿园), not a second name.
_LOOSE = frozenset({"nr", "nz", "nrt", "nrfg"})
_GLOSS_AFTER = re.compile(r"\s*[（(]\s*([A-Za-z][A-Za-z0-9 .&'’\-]{0,40}?)\s*[)）]")
_GLOSS_CJK_AFTER = re.compile(r"\s*[（(]\s*([\u3400-\u9fff·]{2,12})\s*[)）]")


@dataclass(frozen=True, slots=True)
class Name:
    """A named party (or a cited source) in a sentence; offsets are into the sentence."""

    start: int
    end: int
    id: str
    label: str
    kind: str  # country | region | city | company | organization | product | commodity |
    #            source | name (a name nothing else knows)
    words: str
    possessive: bool = False
    how: str = "named"  # named | place | lexicon | alias | term (a term the segmenter tags
    #                     as a proper noun: a disease, a product; the weaker reading of a party)
    given: str = ""  # the id of the words alone, when an alias gave another

    def at(self, start: int, end: int, possessive: bool = False) -> Name:
        """The same name found at another place (cheaper than dataclasses.replace)."""
        return Name(start, end, self.id, self.label, self.kind, self.words, possessive, self.how,
                    self.given)

    @property
    def is_party(self) -> bool:
        """What a figure can be about: not a commodity, not a cited source."""
        return self.kind not in ("commodity", "source")



def entity_id(words: str, lexicon: Lexicon) -> str:
    """The id of a name's own words: snake case, without company suffixes ("BYD Co. Ltd." ->
    byd, 比亚迪股份有限公司 -> 比亚迪)."""
    return snake_id(_without_suffixes(words, lexicon))


def _without_suffixes(words: str, lexicon: Lexicon) -> str:
    """A name less the company suffixes that end it, longest first, as long as one does."""
    text = words.strip()
    cut = True
    while cut:
        cut = False
        for suffix in lexicon.company_suffixes:
            before = text[: -len(suffix)]
            if text.endswith(suffix) and before and (
                    _CJK.search(suffix) or before.endswith((" ", ","))):
                text, cut = before.rstrip(" ,"), True
                break
    return text


class NameReader:
    """Finds the names of sentences; one per lexicon (the gazetteer and segmenter are big,
    each loaded when first needed)."""

    def __init__(self, lexicon: Lexicon, words: Words | None = None) -> None:
        self.lex = lexicon
        self.words = words or Words()
        self.places = Places(lexicon.place_names, lexicon.place_suffixes)
        self._resolved: dict[tuple[str, str], Name] = {}
        joiners = "|".join(re.escape(word) for word in sorted(lexicon.name_joiners))
        # both kinds open a word: one test of the character before, where most fail
        self._name_tokens = re.compile(
            rf"(?<![{LETTERS}0-9])(?:(?<!['’.&\-])(?=[{LETTERS}0-9'’.&\-]*[{CAPITALS}])"
            rf"(?:{_TOKEN.pattern})|(?:{joiners})(?![{LETTERS}0-9]))"
        )

    def read(
        self,
        text: str,
        lang: str,
        figures: Sequence[tuple[int, int]] = (),
        capitalised: Container[str] = frozenset(),
        heading: bool = False,
    ) -> list[Name]:
        """The names in `text`, in order. `figures` are spans no name may overlap;
        `capitalised` the words the article spells as names; `heading` for a title in Title
        Case, whose capitals prove nothing."""
        lexicon_names = self._lexicon_names(text, figures)
        taken = [(n.start, n.end) for n in lexicon_names]
        blocked = tuple(figures) + tuple(taken)
        found = self._english(text, blocked, capitalised, heading)
        if lang == "zh" or _CJK.search(text):
            found += self._chinese(text, blocked)
        return sorted(lexicon_names + found, key=lambda n: (n.start, n.end))

    def glosses(self, text: str, names: Iterable[Name]) -> dict[str, str]:
        """Names this text gives in both languages, "特斯拉（Tesla）" or "BYD (比亚迪)":
        the words of each -> the id of the Latin one."""
        found = {}
        for name in names:
            after = _GLOSS_AFTER if _CJK.search(name.words) else _GLOSS_CJK_AFTER
            match = after.match(text, name.end)
            if match is None:
                continue
            other = match.group(1)
            latin, cjk = (other, name.words) if _CJK.search(name.words) else (name.words, other)
            target = self._resolve(latin, "named")
            if target.kind == "name" or name.kind == "name":
                # a place or a pack's name keeps its own id; the other words take it
                known = name if name.kind != "name" else target
                found[cjk] = found[latin] = known.id
        return found

    # -- the lexicon's names (packs) ------------------------------------------------------------

    def _lexicon_names(self, text: str, figures: Sequence[tuple[int, int]]) -> list[Name]:
        names = []
        for m in self.lex.names.finditer(text):
            if _overlaps(m.start(), m.end(), figures):
                continue  # a word inside a figure ("12,000 Australian farmers")
            entity_id_ = self.lex.name_ids[m.group("name")]
            if entity_id_:
                entity = self.lex.entities[entity_id_]
                kind, label = entity.kind, entity.label
            else:
                kind, label = "source", m.group("name")
            names.append(Name(m.start(), m.end(), entity_id_ or snake_id(label), label, kind,
                              m.group("name"), bool(m.group("possessive")), "lexicon"))
        return names

    # -- English ------------------------------------------------------------------------------

    def _english(
        self,
        text: str,
        blocked: Sequence[tuple[int, int]],
        capitalised: Container[str],
        heading: bool,
    ) -> list[Name]:
        if not _UPPER.search(text):
            return []  # no capital, no name (a Chinese sentence, a lower-case fragment)
        names = []
        runs = self._runs(text, blocked)
        if heading and title_case(text):  # its capitals prove nothing: other evidence must
            runs = [] if text.isupper() else [  # all capitals: acronyms prove nothing
                part for run in runs for part in self._named_parts(text, run, capitalised)]
        for run in runs:
            if heading or opens(text, run[0].start):
                run = self._without_opening_word(run, capitalised)
            if len(run) == 1 and not self._is_name_alone(run[0], text, capitalised, heading):
                continue
            start, end = run[0].start, run[-1].end
            words = text[start:end]
            if not heading and self._heading(text, start, end):
                continue  # a heading in Title Case ("Group 2: Global Impact - ...")
            name = self._resolve(words, "named")
            names.append(name.at(start, end, run[-1].possessive))
        return names

    def _runs(self, text: str, blocked: Sequence[tuple[int, int]]) -> list[list[_Token]]:
        """Runs of capitalised words one space apart, joined by "of" or "&", ended by a comma,
        a possessive or a full stop; then trimmed of opening and title words."""
        runs: list[list[_Token]] = []
        current: list[_Token] = []
        joiner: _Token | None = None
        last_end = -1
        spans = sorted(blocked)
        for token in _tokens(text, self.lex.company_suffixes, self._name_tokens):
            spaced = text[last_end:token.start] == " "
            last_end = token.end + token.tail
            while spans and spans[0][1] <= token.start:
                spans.pop(0)  # blocked spans wholly before this token
            if spans and spans[0][0] < token.end:
                current, joiner = _close(runs, current), None
                continue
            if current and spaced and joiner is None and token.word in self.lex.name_joiners:
                joiner = token
                continue
            if self._capitalised(token.word):
                if current and spaced:
                    current += [joiner, token] if joiner is not None else [token]
                else:
                    current = _close(runs, current) + [token]
            else:
                current = _close(runs, current)
            joiner = None
            if token.tail or token.possessive:
                current = _close(runs, current)
        _close(runs, current)
        return [trimmed for run in runs if (trimmed := self._trimmed(run))]

    def _named_parts(
        self, text: str, run: list[_Token], capitalised: Container[str]
    ) -> list[list[_Token]]:
        """The parts of a title's run that are names beyond their capitals: the longest words
        the body holds as written ("Bank of America"), else stretches of words that are names
        on their own ("Goldman Sachs Profit Jumps": Goldman Sachs; "Flu Season Strains
        Hospitals": none), a place apart ("Tesla China Sales": Tesla, China). A place after a
        joiner whose name is not kept is no party ("Bank of China Profit": not China)."""
        parts: list[list[_Token]] = [[]]
        index = 0
        while index < len(run):
            last = next((last for last in range(len(run) - 1, index, -1)
                         if run[last].word not in self.lex.name_joiners
                         and text[run[index].start:run[last].end] in capitalised), index)
            token = run[index]
            place = self.places.get(token.word) is not None
            after_joiner = index > 0 and run[index - 1].word in self.lex.name_joiners
            if last > index:
                parts += [run[index:last + 1], []]
            elif (token.word in self.lex.name_joiners or not self._named(token.word, capitalised)
                  or (place and after_joiner)):
                parts.append([])
            elif place:
                parts += [[token], []]
            else:
                parts[-1].append(token)
            index = last + 1
        return [part for part in parts if part]

    def _named(self, word: str, capitalised: Container[str]) -> bool:
        """A capitalised word that is a name wherever it stands: the article spells it so, or
        it is a place, an acronym, a code with digits, no dictionary word, or one the
        dictionary spells with a capital ("Tesla")."""
        return (_is_acronym(word) or any(ch.isdigit() for ch in word)
                or self.places.get(word) is not None or word in capitalised
                or not self.words.known(word) or self.words.proper(word))

    def _without_opening_word(self, run: list[_Token], capitalised: Container[str]) -> list[_Token]:
        """"Rival Li Auto", "Neighbouring Guangzhou": an ordinary word capitalised because it
        opens the sentence is not part of the name that follows it ("General Motors" keeps its
        first word: what follows is an ordinary word too)."""
        first, rest = run[0], run[1:]
        if not rest or rest[0].word in self.lex.name_joiners or (
                rest[0].word in self.lex.company_suffixes):
            return run
        if (not self.words.known(first.word) or self.words.known(rest[0].word)
                or first.word in capitalised):
            return run
        return rest

    def _heading(self, text: str, start: int, end: int) -> bool:
        """A run ending a Title Case phrase that opens a sentence and is set off by a dash or a
        colon: a heading or a label, not a party."""
        if not _HEADING_END.match(text, end):
            return False
        opened = max((m.end() for m in _SEGMENT_START.finditer(text, 0, start)), default=0)
        return all(word[0].isupper() or word.lower() in self.lex.opening_words
                   for word in _HEADING_WORD.findall(text, opened, end))

    def _trimmed(self, run: list[_Token]) -> list[_Token]:
        """A run without leading opening words ("In", "The", "Last"), cut at a title word
        ("Tesla CEO Elon Musk": Tesla)."""
        kept: list[_Token] = []
        for token in run:
            lower = token.word.lower()
            if lower in self.lex.title_words:
                if kept:
                    break
                continue
            if not kept and (lower in self.lex.opening_words or token.word in self.lex.months):
                continue
            kept.append(token)
        while kept and kept[-1].word in self.lex.name_joiners:
            kept.pop()
        return kept

    def _capitalised(self, word: str) -> bool:
        first = word[0]
        if not (first.isupper() or (first.isalpha() and not word.islower())):
            return False  # most words: lower case, or digits ("2023", "3.5")
        return word not in self.lex.months and word.lower() not in self.lex.not_names

    def _is_name_alone(
        self, token: _Token, text: str, capitalised: Container[str], heading: bool
    ) -> bool:
        """One capitalised word: a name unless it is capitalised only because of where it
        stands (the start of a sentence, a Title Case heading)."""
        word = token.word
        if word.lower() in self.lex.opening_words:
            return False
        opening = heading or opens(text, token.start)
        if not opening:
            return True
        return token.possessive or self._named(word, capitalised)

    # -- Chinese ------------------------------------------------------------------------------

    def _chinese(self, text: str, blocked: Sequence[tuple[int, int]]) -> list[Name]:
        names = []
        for start, end in _free_stretches(text, blocked):
            words = self.words.chinese(text[start:end], start)
            index = 0
            while index < len(words):
                if not (words[index].proper and _CJK.search(words[index].text)):
                    index += 1
                    continue
                last = index
                while (last + 1 < len(words) and words[last + 1].proper
                       and words[last + 1].start == words[last].end):
                    last += 1
                if words[index].tag == "ns" and last > index and words[index + 1].tag in _LOOSE:
                    last = index  # 美国幼儿园: the place, and a noun it qualifies
                # a company suffix after a name is part of it (比亚迪股份有限公司)
                while (last + 1 < len(words) and words[last + 1].text in self.lex.company_suffixes):
                    last += 1
                last = _to_gloss(words, last, text)
                begin, finish = words[index].start, words[last].end
                spoken = text[begin:finish]
                if len(spoken) >= 2 and spoken not in self.lex.not_names:
                    how = "term" if {w.tag for w in words[index:last + 1]} <= {"nz"} else "named"
                    name = self._resolve(spoken, how)
                    names.append(name.at(begin, finish))
                index = last + 1
                qualified = index < len(words) and words[index].tag in _LOOSE
                if words[index - 1].tag == "ns" and qualified:
                    index += 1
        return names + self._glossed_words(text, names, blocked)

    def _glossed_words(
        self, text: str, names: Sequence[Name], blocked: Sequence[tuple[int, int]]
    ) -> list[Name]:
        """Chinese words the text glosses with a Latin name ("蔚来（NIO）") are a name, whatever
        the segmenter made of them."""
        found = []
        for m in _GLOSSED_CJK.finditer(text):
            begin, finish = m.start(1), m.end(1)
            if any(n.start < finish and begin < n.end for n in names) or _overlaps(
                    begin, finish, blocked):
                continue
            words = self.words.chinese(text[begin:finish], begin)
            if words and words[-1].tag[:1] not in _NOT_NAME_TAGS and len(words[-1].text) >= 2:
                name = self._resolve(words[-1].text, "named")
                found.append(name.at(words[-1].start, words[-1].end))
        return found

    # -- one id per name ----------------------------------------------------------------------

    def _resolve(self, words: str, how: str) -> Name:
        """The party some words name: a place, else the words' own id."""
        key = (words, how)
        if key not in self._resolved:
            self._resolved[key] = self._resolve_afresh(words, how)
        return self._resolved[key]

    def _resolve_afresh(self, words: str, how: str) -> Name:
        place = self.places.get(words)
        if place is not None:
            return Name(0, 0, place.id, place.label, place.kind, words, how="place")
        own = entity_id(words, self.lex)
        known = self.lex.entities.get(own)
        if known is not None:
            return Name(0, 0, own, known.label, known.kind, words, how="lexicon")
        return Name(0, 0, own, _label(words, self.lex), "name", words, how=how)


# Not frozen: built for each word a sentence is read into, and a frozen dataclass takes
# several times as long to build.
@dataclass(slots=True)
class _Token:
    """An English word: "Tesla" in "Tesla's" (possessive) or in "Tesla." (a full stop after)."""

    start: int
    end: int
    word: str
    possessive: bool = False
    tail: int = 0  # characters of punctuation after the word that end a name: "," or "."


def _tokens(text: str, abbreviations: frozenset[str], pattern: re.Pattern[str]) -> list[_Token]:
    """The words of `text` that may belong to a name: those with a capital, and joiners (the
    others only end a run, which the text between two tokens shows as well)."""
    tokens = []
    for m in pattern.finditer(text):
        word, end = m.group(), m.end()
        possessive = _POSSESSIVE.search(word) if "'" in word or "’" in word else None
        if possessive is not None and possessive.end() == len(word):
            word, end = word[: possessive.start()], m.start() + possessive.start()
            tokens.append(_Token(m.start(), end, word, True))
            continue
        tail = 0
        if word.endswith(".") and not (_INITIALS.fullmatch(word) or word in abbreviations):
            word, end, tail = word[:-1], end - 1, 1
        if text[end + tail:end + tail + 1] == ",":
            tail += 1
        tokens.append(_Token(m.start(), end, word, False, tail))
    return tokens


def _to_gloss(words: Sequence[ChineseWord], last: int, text: str) -> int:
    """A name's last word, taking in the nouns between it and a Latin gloss right after
    ("宁德时代（CATL）": the place 宁德 and 时代 are one name)."""
    position = last
    while (position + 1 < len(words) and position - last < 2
           and words[position + 1].tag.startswith("n")):
        position += 1
        if _GLOSS_AFTER.match(text, words[position].end):
            return position
    return last


def opens(text: str, position: int) -> bool:
    """Whether a sentence, or a part that reads like one, begins at `position` (looking a few
    characters back: the whole text before it would make reading a sentence quadratic)."""
    return _OPENING.search(text, max(0, position - _OPENING_WINDOW), position) is not None


def glossed(names: Iterable[Name], glosses: Mapping[str, str]) -> list[Name]:
    """The names, each the article glosses (`NameReader.glosses`) with the gloss's id."""
    return [_glossed(name, glosses) for name in names] if glosses else list(names)


def _glossed(name: Name, glosses: Mapping[str, str]) -> Name:
    target = glosses.get(name.words)
    if target is None or target == name.id or name.kind != "name":
        return name
    return replace(name, id=target, how="alias", given=name.id)


def _label(words: str, lexicon: Lexicon) -> str:
    return _without_suffixes(words, lexicon) or words.strip()


def title_case(text: str) -> bool:
    """Whether every word of four letters or more has a capital: "Tesla Sales Slump in
    Europe", "Apple Unveils New iPhone"; not "Orvane Foods results"."""
    long = [word for word in _HEADING_WORD.findall(text) if len(word) >= 4]
    return len(long) >= 2 and not any(word.islower() for word in long)


def _is_acronym(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)




def _overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(start < s_end and s_start < end for s_start, s_end in spans)


def _free_stretches(text: str, blocked: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The stretches of `text` between blocked spans (figures): segmented apart, so a figure's
    characters do not join a word (2023年销量)."""
    stretches, position = [], 0
    for start, end in sorted(blocked):
        if start > position:
            stretches.append((position, start))
        position = max(position, end)
    if position < len(text):
        stretches.append((position, len(text)))
    return stretches


def _close(runs: list[list[_Token]], current: list[_Token]) -> list[_Token]:
    if current:
        runs.append(current)
    return []
