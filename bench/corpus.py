"""A synthetic corpus for benchmarks: N articles in English and Chinese, recombined from seeds/.

The seed articles are read at run time (nothing of their text is kept in this file): each
sentence becomes a template of literal text and slots, once, at the start:

- figure slots: the digits of each figure the extractor finds, with their scale word. Per
  article a figure mostly keeps its seed value; sometimes it is rounded differently (28.5 ->
  28.6, 99.999 -> 99.99), slips by x10 or /10 (28.5 -> 2.85), or is restated in another scale
  with the same value (2.85 million -> 2,850,000; 2700吨 -> 0.27万吨 in Chinese sentences), so the
  corpus holds figures that agree and figures that disagree;
- year slots: the years of dates, shifted by a few years per article;
- entity slots: China, Russia, Australia, the U.S., Japan (中国, 俄罗斯, 澳大利亚, 美国, 日本 in
  Chinese text), permuted in some sentences.

An article is a recombined seed title, a date in 2023-2026 and a body in the shape of a seed
body ("Core Viewpoint - ... Group 1: heading - bullet - bullet ...") filled with random seed
sentences; its language follows the seeds' mix of English and Chinese bodies. The same
arguments give the same articles, byte for byte (one `random.Random(seed)`, no global state).

    python bench/corpus.py --articles 100000 --seed 7 --out /tmp/corpus-100k
    python bench/corpus.py --articles 1000 --seed 7 --out /tmp/corpus-1k --format jsonl
    python bench/corpus.py --articles 100000 --seed 7 --out /tmp/single-100k --layout single

From other bench scripts (bench/ on sys.path):

    from corpus import generate, write_corpus
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
import re
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from checker.extraction import Extractor  # noqa: E402
from checker.ingest import read_corpus  # noqa: E402
from checker.models import Document, Mention  # noqa: E402
from checker.sentences import detect_lang, split_sentences  # noqa: E402

__all__ = ["Article", "Templates", "generate", "load_templates", "write_corpus", "FORMATS"]

SEEDS = ROOT / "seeds"
FORMATS = ("export", "txt", "jsonl")
LAYOUTS = ("packed", "single")
ARTICLES_PER_FILE = 50  # export and jsonl files, unless --files says otherwise
FILES_PER_FOLDER = 1000  # the single layout: one article a file, in folders of this many

# How often a figure is rewritten, by kind; the rest keep the seed's figure.
ROUNDED, SLIPPED, RESTATED = 0.10, 0.06, 0.08
ENTITY_SWAP = 0.2  # share of sentences whose country names are permuted
# Share of articles that are syndicated copies of a recent one (a last bullet or sentence cut,
# a day or three later): near-identical bodies, which numcheck counts as one source.
COPY_SHARE = 0.03
RECENT = 200  # how many recent articles a copy may come from
CITATION_SHARE = 0.8  # share of English sentences ending in a marker like [5][6]
# Years added to the dates of an article: mostly none, sometimes one or two either way.
YEAR_SHIFTS = (-2, -1, -1, -1) + (0,) * 12 + (1, 1, 1, 2)
MAX_SHIFT = max(abs(shift) for shift in YEAR_SHIFTS)
FIRST_DAY = date(2023, 1, 1).toordinal()
DAYS = date(2027, 1, 1).toordinal() - FIRST_DAY  # published dates spread over 2023-2026

ENTITIES = {
    "en": ("China", "Russia", "Australia", "U.S.", "Japan"),
    "zh": ("中国", "俄罗斯", "澳大利亚", "美国", "日本"),
}
# The names as they replace another in running text ("the U.S.", not "U.S.").
_IN_TEXT = {"en": ("China", "Russia", "Australia", "the U.S.", "Japan"), "zh": ENTITIES["zh"]}
# A name directly followed by a capitalized word is part of a longer name ("South China Sea",
# "U.S. Treasury") and is left alone; "the" before "U.S." goes with it.
_ENTITY = {
    "en": re.compile(
        r"(?<![\w.])(?:[Tt]he )?(?P<name>China|Russia|Australia|U\.S\.|US|Japan)(?!\w)(?! [A-Z])"
    ),
    "zh": re.compile("(?P<name>中国|俄罗斯|澳大利亚|美国|日本)"),
}
_ENTITY_ALIASES = {"US": "U.S."}
_NUMBER = re.compile(
    r"(?<![A-Za-z.,_])(?<![A-Za-z]-)"
    r"(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?!\d|[.,]\d)"
    r"(?P<scale> (?:thousand|million|billion|trillion)\b|万亿|亿|万)?(?![A-Za-z])"
)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_LABEL = re.compile(r"(?:Group|Part|Section)\s+\d+\s*(?:[:：-]\s*(?P<heading>.*))?\Z")
_TERMINAL = re.compile(r"[.!?;。！？；…]+[\"'”’」』）)]*\Z")
_ABBREVIATION_END = re.compile(r"(?:^|\W)(?:[A-Za-z]\.)+[A-Za-z]\Z")
_ENDS_IN_PUNCTUATION = re.compile(r"[.!?。！？…]\Z")
_MASKED_BEFORE_PUNCTUATION = re.compile(r" {2,}(?=[,.;:!?)，。；：！？]|\Z)")
_SPACE_RUN = re.compile(r" {2,}")
_TITLE_BREAK = re.compile(r"[,:?!，：？！]")
_OPEN_QUOTES, _CLOSE_QUOTES = "《“「(（", "》”」)）"

EN_SCALES = {" thousand": 3, " million": 6, " billion": 9, " trillion": 12}
ZH_SCALES = {"万": 4, "亿": 8, "万亿": 12}
# A scale restated one step down: "1.5 billion" -> "1,500 million", "3亿" -> "30000万".
_SCALE_DOWN = {
    " trillion": " billion",
    " billion": " million",
    " million": "",
    " thousand": "",
    "万亿": "亿",
    "亿": "万",
    "万": "",
}
_SCALE_EXPONENT = {**EN_SCALES, **ZH_SCALES, "": 0}


# ---------------------------------------------------------------------------------------------
# templates: seed sentences split once into literal text and slots


@dataclass(frozen=True, slots=True)
class _Draw:
    """What is drawn once per article and shared by its sentences."""

    random: Callable[[], float]
    sample: Callable[[Sequence[_Template], int], list[_Template]]  # without repeats
    shift: int  # index into a year slot's variants
    names: dict[str, tuple[str, ...]]  # the permuted country names of each language


@dataclass(frozen=True, slots=True)
class _Figure:
    keep: str
    rounded: tuple[str, ...]
    slipped: tuple[str, ...]
    restated: tuple[str, ...]

    def render(self, draw: _Draw, swap: bool) -> str:
        roll = draw.random()
        if roll >= ROUNDED + SLIPPED + RESTATED:
            return self.keep
        if roll < ROUNDED:
            variants = self.rounded
        elif roll < ROUNDED + SLIPPED:
            variants = self.slipped
        else:
            variants = self.restated
        if not variants:
            return self.keep
        return variants[int(draw.random() * len(variants))]


@dataclass(frozen=True, slots=True)
class _Year:
    shifted: tuple[str, ...]  # the year shifted by -MAX_SHIFT .. +MAX_SHIFT

    def render(self, draw: _Draw, swap: bool) -> str:
        return self.shifted[draw.shift]


@dataclass(frozen=True, slots=True)
class _Entity:
    keep: str
    index: int
    names: str  # the key of the names in `_Draw.names`: the language, "^" when capitalized

    def render(self, draw: _Draw, swap: bool) -> str:
        return draw.names[self.names][self.index] if swap else self.keep


_Slot = _Figure | _Year | _Entity
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class _Template:
    """A sentence as literal text around slots; `literals` has one more item than `slots`."""

    literals: tuple[str, ...]
    slots: tuple[_Slot, ...]
    end: str  # the closing punctuation, after which nothing but a citation marker goes
    lang: str
    has_entities: bool

    def fill(self, draw: _Draw, marker: str = "") -> str:
        if self.slots:
            swap = self.has_entities and draw.random() < ENTITY_SWAP
            out = [self.literals[0]]
            for slot, literal in zip(self.slots, self.literals[1:], strict=True):
                out.append(slot.render(draw, swap))
                out.append(literal)
            text = "".join(out)
        else:
            text = self.literals[0]
        if marker:
            return text + marker + self.end
        if self.end[:1] == "." and text[-1:] == ".":  # "for the U.S." ends with one period
            return text + self.end[1:]
        return text + self.end


@dataclass(frozen=True, slots=True)
class _Shape:
    """The outline of a seed body: an opener, how many groups, headed or not, how many sentences."""

    opener: bool
    groups: int
    headed: bool
    sentences: int


@dataclass(frozen=True, slots=True)
class Templates:
    """The seeds, prepared once: sentence templates by kind, titles as clauses, body shapes."""

    prose: dict[str, tuple[_Template, ...]]  # body sentences by language
    headings: tuple[_Template, ...]  # the words after "Group N:"
    openers: tuple[str, ...]  # "Core Viewpoint"
    titles: tuple[tuple[_Template, ...], ...]  # each seed title as clauses
    shapes: tuple[_Shape, ...]  # English bodies
    zh_lengths: tuple[int, ...]  # sentences per Chinese body
    zh_share: float  # share of seed bodies in Chinese
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Article:
    """One generated article; `published` is "YYYY-MM-DD HH:MM", `lang` the body's language."""

    index: int
    title: str
    published: str
    source: str
    body: str
    lang: str


@dataclass(frozen=True, slots=True)
class _SeedBody:
    """A seed body taken apart: its opener, the words after each "Group N:", its sentences."""

    opener: str
    labels: tuple[str, ...]  # the heading of each group, "" for a bare "Group N"
    sentences: tuple[tuple[str, str], ...]  # (text, language)
    lang: str


def load_templates(seeds: Path = SEEDS) -> Templates:
    """Read the seed corpus and split its sentences and titles into templates."""
    corpus = read_corpus([seeds])
    extractor = Extractor()
    titles, bodies = [], []
    for document in corpus.documents:
        reference = _reference(document.published)
        if document.title:
            clauses = _title_clauses(document.title)
            titles.append(tuple(_template(c, extractor, reference, "title") for c in clauses))
        body = _seed_body(document)
        if body.sentences:
            bodies.append((body, reference))
    prose: dict[str, list[_Template]] = {"en": [], "zh": []}
    for body, reference in bodies:
        for text, lang in body.sentences:
            prose[lang].append(_template(text, extractor, reference, "prose"))
    english = [body for body, _ in bodies if body.lang == "en"]
    chinese = [body for body, _ in bodies if body.lang == "zh"]
    return Templates(
        prose={lang: tuple(found) for lang, found in prose.items()},
        headings=tuple(
            _template(label, extractor, reference, "title")
            for body, reference in bodies
            for label in body.labels
            if label
        ),
        openers=tuple(sorted({body.opener for body, _ in bodies if body.opener})),
        titles=tuple(titles),
        shapes=tuple(
            _Shape(bool(b.opener), len(b.labels), any(b.labels), len(b.sentences)) for b in english
        ),
        zh_lengths=tuple(len(body.sentences) for body in chinese) or (0,),
        zh_share=len(chinese) / max(1, len(bodies)),
        sources=tuple(sorted({d.source for d in corpus.documents if d.source})) or ("numcheck",),
    )


def _seed_body(document: Document) -> _SeedBody:
    title_end = document.text.find("\n", document.start) if document.title else document.start
    texts = [
        (_clean(sentence.text), sentence.lang)
        for sentence in split_sentences(document)
        if sentence.start >= title_end
    ]
    opener = texts[0][0] if texts and _is_opener(texts[0][0]) else ""
    if opener:
        texts = texts[1:]
    labels = [(_LABEL.match(text), (text, lang)) for text, lang in texts]
    return _SeedBody(
        opener=opener,
        labels=tuple(label.group("heading") or "" for label, _ in labels if label),
        sentences=tuple(pair for label, pair in labels if not label),
        lang=detect_lang(document.body),
    )


def _reference(published: str) -> date | None:
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def _clean(text: str) -> str:
    """The sentence without the runs of spaces left where citation markers were masked."""
    return _SPACE_RUN.sub(" ", _MASKED_BEFORE_PUNCTUATION.sub("", text)).strip()


def _is_opener(text: str) -> bool:
    """ "Core Viewpoint": a short label with no figure and no closing punctuation."""
    return (
        len(text.split()) <= 3 and not any(c.isdigit() for c in text) and not _TERMINAL.search(text)
    )


def _title_clauses(title: str) -> list[str]:
    """A title cut after each comma, colon, question or exclamation mark outside quotes."""
    clauses, start, depth = [], 0, 0
    for index, char in enumerate(title):
        if char in _OPEN_QUOTES:
            depth += 1
        elif char in _CLOSE_QUOTES:
            depth = max(0, depth - 1)
        elif depth == 0 and _TITLE_BREAK.match(char):
            clauses.append(title[start : index + 1])
            start = index + 1
    if title[start:].strip():
        clauses.append(title[start:])
    return [clause for clause in clauses if clause.strip()]


def _template(text: str, extractor: Extractor, reference: date | None, kind: str) -> _Template:
    lang = detect_lang(text)
    core, end = _split_end(text)
    if kind == "prose" and not end and not _ENDS_IN_PUNCTUATION.search(core):
        end = "。" if lang == "zh" else "."
    mentions = extractor.mentions(text, lang, reference)
    spans = _figure_spans(text, mentions, lang) + _entity_spans(text, lang)
    literals, slots, cursor = [], [], 0
    for start, stop, slot in sorted(spans, key=lambda span: span[0]):
        if start < cursor or stop > len(core):  # overlapping, or in the closing punctuation
            continue
        literals.append(text[cursor:start])
        slots.append(slot)
        cursor = stop
    literals.append(core[cursor:])
    return _Template(
        literals=tuple(literals),
        slots=tuple(slots),
        end=end,
        lang=lang,
        has_entities=any(isinstance(slot, _Entity) for slot in slots),
    )


def _split_end(text: str) -> tuple[str, str]:
    """The sentence and its closing punctuation; the "." of a closing "U.S." stays with it."""
    end = _TERMINAL.search(text)
    if end is None:
        return text, ""
    core, closing = text[: end.start()].rstrip(), end.group()
    if closing.startswith(".") and _ABBREVIATION_END.search(core):
        core, closing = text[: end.start() + 1], closing[1:]
    return core, closing


def _figure_spans(text: str, mentions: list[Mention], lang: str) -> list[tuple[int, int, _Slot]]:
    spans: list[tuple[int, int, _Slot]] = []
    for mention in mentions:
        if mention.dimension == "date":
            for year in _YEAR.finditer(text, mention.start, mention.end):
                shifted = tuple(
                    str(int(year.group()) + shift) for shift in range(-MAX_SHIFT, MAX_SHIFT + 1)
                )
                spans.append((year.start(), year.end(), _Year(shifted)))
            continue
        numbers = list(_NUMBER.finditer(text, mention.start, mention.end))
        if numbers:
            after = text[numbers[-1].end() : numbers[-1].end() + 1]
            figure = _figure(text, numbers, lang, mention.dimension == "percent", after)
            spans.append((numbers[0].start(), numbers[-1].end(), figure))
    return spans


def _entity_spans(text: str, lang: str) -> list[tuple[int, int, _Slot]]:
    spans: list[tuple[int, int, _Slot]] = []
    for match in _ENTITY[lang].finditer(text):
        name = match.group("name")
        index = ENTITIES[lang].index(_ENTITY_ALIASES.get(name, name))
        names = lang + ("^" if match.start() == 0 else "")
        spans.append((match.start(), match.end(), _Entity(match.group(), index, names)))
    return spans


# ---------------------------------------------------------------------------------------------
# figures rewritten by value


@dataclass(frozen=True, slots=True)
class _Number:
    digits: Decimal
    scale: str  # " million", "万", ""
    commas: bool  # written with thousands separators

    @classmethod
    def parse(cls, match: re.Match[str]) -> _Number:
        digits = match.group("digits")
        return cls(Decimal(digits.replace(",", "")), match.group("scale") or "", "," in digits)


def _figure(
    text: str, numbers: Sequence[re.Match[str]], lang: str, percent: bool, after: str
) -> _Figure:
    """A figure slot: the seed digits and, computed once, each way of rewriting them."""
    parsed = [_Number.parse(match) for match in numbers]
    joiners = [text[a.end() : b.start()] for a, b in itertools.pairwise(numbers)]
    keep = text[numbers[0].start() : numbers[-1].end()]

    def variants(change: Callable[[_Number], _Number | None]) -> tuple[str, ...]:
        changed = [change(number) for number in parsed]
        if any(number is None for number in changed):
            return ()
        shown = _join([_show(number, lang) for number in changed if number is not None], joiners)
        return () if shown == keep else (shown,)

    def within_bounds(number: _Number | None) -> _Number | None:
        too_large = percent and number is not None and _value(number) > 100
        return None if number is None or number.digits <= 0 or too_large else number

    def same_width(old: _Number, new: _Number | None) -> _Number | None:
        """A rounding keeps the count of whole digits: not 99.999 -> 100.000, 98 -> 100."""
        if new is None or len(str(int(new.digits))) != len(str(int(old.digits))):
            return None
        return within_bounds(new)

    rounded = [
        lambda n: same_width(n, _plus_last_place(n, +1)),
        lambda n: same_width(n, _plus_last_place(n, -1)),
        lambda n: same_width(n, _one_digit_fewer(n)),
    ]
    slipped = [lambda n: within_bounds(_scaled(n, +1)), lambda n: within_bounds(_scaled(n, -1))]
    restated = [lambda n: _restated(n, lang, after)] if len(parsed) == 1 else []
    return _Figure(
        keep=keep,
        rounded=_unique(v for change in rounded for v in variants(change)),
        slipped=_unique(v for change in slipped for v in variants(change)),
        restated=_unique(v for change in restated for v in variants(change)),
    )


def _unique(texts: Iterator[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(texts))


def _join(parts: list[str], joiners: list[str]) -> str:
    out = [parts[0]]
    for joiner, part in zip(joiners, parts[1:], strict=True):
        out += [joiner, part]
    return "".join(out)


def _value(number: _Number) -> Decimal:
    return number.digits.scaleb(_SCALE_EXPONENT[number.scale])


def _trailing_zeros(digits: Decimal) -> int:
    """Zeros ending a whole number of 1000 or more, read as rounding (as the extractor does)."""
    if int(digits.as_tuple().exponent) < 0 or digits < 1000:
        return 0
    text = str(int(digits))
    return len(text) - len(text.rstrip("0"))


def _plus_last_place(number: _Number, step: int) -> _Number | None:
    """One more or one less in the last digit that counts: 28.5 -> 28.6, 2,700 -> 2,800."""
    exponent = int(number.digits.as_tuple().exponent)
    unit = Decimal(1).scaleb(exponent if exponent < 0 else _trailing_zeros(number.digits))
    if number.digits < 10 * unit:  # one significant digit: 5 -> 6 is no small change
        return None
    return _Number(number.digits + step * unit, number.scale, number.commas)


def _one_digit_fewer(number: _Number) -> _Number | None:
    """A decimal cut short (99.999 -> 99.99) or a whole number rounded (417 -> 420)."""
    exponent = int(number.digits.as_tuple().exponent)
    if exponent < 0:
        shorter = number.digits.quantize(Decimal(1).scaleb(exponent + 1), rounding=ROUND_DOWN)
    else:
        whole = str(int(number.digits)).rstrip("0")
        if len(whole) <= 1:
            return None
        place = Decimal(1).scaleb(len(str(int(number.digits))) - len(whole) + 1)
        shorter = (number.digits / place).quantize(Decimal(1), rounding=ROUND_HALF_UP) * place
    return _Number(shorter, number.scale, number.commas)


def _scaled(number: _Number, power: int) -> _Number:
    """A slipped decimal point: x10 or /10."""
    return _Number(_trimmed(number.digits.scaleb(power)), number.scale, number.commas)


def _restated(number: _Number, lang: str, after: str) -> _Number | None:
    """The same value in the next scale down, or in millions or 万 when written out in full."""
    if number.scale:
        lower = _SCALE_DOWN[number.scale]
        shift = _SCALE_EXPONENT[number.scale] - _SCALE_EXPONENT[lower]
        return _Number(_trimmed(number.digits.scaleb(shift)), lower, lang == "en")
    if lang == "en" and number.digits >= 100_000 and number.digits == int(number.digits):
        return _Number(_trimmed(number.digits.scaleb(-6)), " million", False)
    if lang == "zh" and (number.digits >= 10_000 or (after == "吨" and number.digits >= 100)):
        return _Number(_trimmed(number.digits.scaleb(-4)), "万", False)
    return None


def _trimmed(digits: Decimal) -> Decimal:
    """Without zeros after the decimal point, which would claim a precision never stated."""
    text = f"{digits:f}"
    return Decimal(text.rstrip("0").rstrip(".") if "." in text else text)


def _show(number: _Number, lang: str) -> str:
    text = f"{number.digits:f}"
    whole, point, fraction = text.partition(".")
    if number.commas or (lang == "en" and abs(number.digits) >= 1000):
        whole = f"{int(whole):,}"
    return whole + point + fraction + number.scale


# ---------------------------------------------------------------------------------------------
# articles


def generate(n: int, seed: int, templates: Templates | None = None) -> Iterator[Article]:
    """`n` articles, the same for the same `seed` (stable API: bench scripts import it).

    `templates` (from `load_templates()`) saves reading the seeds again.
    """
    templates = templates or load_templates()
    rng = random.Random(seed)
    permutations = list(itertools.permutations(range(len(ENTITIES["en"]))))
    markers = _citation_markers()
    recent: deque[Article] = deque(maxlen=RECENT)
    for index in range(n):
        if recent and rng.random() < COPY_SHARE:
            yield _copy(recent[int(rng.random() * len(recent))], index, rng.random)
            continue
        draw = _article_draw(rng, permutations)
        title = _title(templates, draw)
        published = _published(draw.random)
        source = templates.sources[int(draw.random() * len(templates.sources))]
        if draw.random() < templates.zh_share:
            body, lang = _zh_body(templates, draw), "zh"
        else:
            body, lang = _en_body(templates, draw, markers), "en"
        article = Article(index, title, published, source, body, lang)
        recent.append(article)
        yield article


def _copy(original: Article, index: int, roll: Callable[[], float]) -> Article:
    """A syndicated copy: the body without its last bullet or sentence, published days later."""
    body = original.body
    cut = body.rfind(" - ") if original.lang == "en" else body.rfind("。", 0, len(body) - 1) + 1
    if cut > 0.85 * len(body):
        body = body[:cut]
    day, time_of_day = original.published.split(" ")
    later = date.fromordinal(date.fromisoformat(day).toordinal() + int(roll() * 4))
    published = f"{later.isoformat()} {time_of_day}"
    return Article(index, original.title, published, original.source, body, original.lang)


def _article_draw(rng: random.Random, permutations: list[tuple[int, ...]]) -> _Draw:
    roll = rng.random
    order = permutations[int(roll() * len(permutations))]
    names = {}
    for lang, found in _IN_TEXT.items():
        names[lang] = tuple(found[i] for i in order)
        names[lang + "^"] = tuple(name[:1].upper() + name[1:] for name in names[lang])
    shift = YEAR_SHIFTS[int(roll() * len(YEAR_SHIFTS))] + MAX_SHIFT
    return _Draw(random=roll, sample=rng.sample, shift=shift, names=names)


def _citation_markers() -> tuple[str, ...]:
    singles = tuple(f"[{n}]" for n in range(1, 21))
    pairs = tuple(f"[{n}][{n + 1}]" for n in range(1, 20))
    return singles + pairs


def _pick(items: Sequence[_T], draw: _Draw) -> _T:
    return items[int(draw.random() * len(items))]


def _title(templates: Templates, draw: _Draw) -> str:
    """The first clause of one seed title and the rest of another."""
    head = _pick(templates.titles, draw)
    tail = _pick(templates.titles, draw)
    clauses = [head[0], *(tail[1:] if len(tail) > 1 else ())]
    texts = [clause.fill(draw) for clause in clauses]
    if len(texts) > 1 and not _TITLE_BREAK.search(texts[0][-1:]):
        texts[0] += ","
    return "".join(texts).strip()


def _published(roll: Callable[[], float]) -> str:
    day = date.fromordinal(FIRST_DAY + int(roll() * DAYS))
    minute = int(roll() * 1440)
    return f"{day.isoformat()} {minute // 60:02d}:{minute % 60:02d}"


def _en_body(templates: Templates, draw: _Draw, markers: tuple[str, ...]) -> str:
    """ "Core Viewpoint - S. Group 1: heading - S. - S. Group 2: ...", as the seed summaries."""
    shape = templates.shapes[int(draw.random() * len(templates.shapes))]
    pool = templates.prose["en"]
    sentences = []
    for template in draw.sample(pool, min(shape.sentences, len(pool))):
        marker = ""
        if draw.random() < CITATION_SHARE:
            marker = " " + markers[int(draw.random() * len(markers))]
        sentences.append(template.fill(draw, marker))
    pieces = []
    if shape.opener and templates.openers:
        opener = templates.openers[int(draw.random() * len(templates.openers))]
        pieces.append(f"{opener} - {sentences.pop(0)}" if sentences else opener)
    groups = shape.groups if sentences else 0
    for group in range(groups):
        first, last = len(sentences) * group // groups, len(sentences) * (group + 1) // groups
        label = f"Group {group + 1}"
        if shape.headed and templates.headings:
            label += ": " + _pick(templates.headings, draw).fill(draw)
        pieces.append(" - ".join([label, *sentences[first:last]]))
    if not groups:
        pieces.extend(sentences)
    return " ".join(pieces)


def _zh_body(templates: Templates, draw: _Draw) -> str:
    """Seed sentences run together, as Chinese prose is; between half and all of a seed's count."""
    length = templates.zh_lengths[int(draw.random() * len(templates.zh_lengths))]
    pool = templates.prose["zh"] or templates.prose["en"]
    count = min(len(pool), max(1, math.ceil(length * (0.5 + 0.5 * draw.random()))))
    return "".join(template.fill(draw) for template in draw.sample(pool, count))


# ---------------------------------------------------------------------------------------------
# files


def write_corpus(
    out: Path,
    n: int,
    seed: int,
    fmt: str = "export",
    files: int | None = None,
    templates: Templates | None = None,
    layout: str = "packed",
) -> list[Path]:
    """Write `n` generated articles under `out` and return the files written.

    export: "search documents" export files of ~50 articles each (the format of seeds/);
    jsonl: JSON Lines files of ~50 articles each; txt: one plain-text article per file.
    `files` sets the number of export or jsonl files. The single layout writes one article a
    file (an export file of one entry, so it keeps its outlet and date), FILES_PER_FOLDER files
    to a folder: the same articles as packed, where the cost per file shows.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; one of {', '.join(LAYOUTS)}")
    out.mkdir(parents=True, exist_ok=True)
    articles = generate(n, seed, templates)
    if fmt == "txt":
        return [_write(out / f"{a.index:06d}.txt", f"{a.title}\n\n{a.body}\n") for a in articles]
    if layout == "single":
        return _write_single(out, articles, fmt)
    count = max(1, min(n, files or math.ceil(n / ARTICLES_PER_FILE)))
    width = len(str(count - 1))
    suffix, render = (".jsonl", _jsonl_line) if fmt == "jsonl" else (".txt", _export_entry)
    written = []
    for number in range(count):
        size = n * (number + 1) // count - n * number // count
        chunk = [render(article) for article in itertools.islice(articles, size)]
        header = "" if fmt == "jsonl" else "Search documents\n"
        written.append(_write(out / f"{number:0{width}d}{suffix}", header + "".join(chunk)))
    return written


def _write_single(out: Path, articles: Iterator[Article], fmt: str) -> list[Path]:
    suffix, render = (".jsonl", _jsonl_line) if fmt == "jsonl" else (".txt", _export_entry)
    header = "" if fmt == "jsonl" else "Search documents\n"
    written = []
    for article in articles:
        folder = out / f"{article.index // FILES_PER_FOLDER:03d}"
        if article.index % FILES_PER_FOLDER == 0:
            folder.mkdir(exist_ok=True)
        written.append(_write(folder / f"{article.index:06d}{suffix}", header + render(article)))
    return written


def _export_entry(article: Article) -> str:
    return f"{article.title}\n{article.source}· {article.published}\n{article.body}\n"


def _jsonl_line(article: Article) -> str:
    record = {
        "id": f"gen-{article.index:06d}",
        "title": article.title,
        "published": article.published,
        "source": article.source,
        "text": article.body,
    }
    return json.dumps(record, ensure_ascii=False) + "\n"


def _write(path: Path, text: str) -> Path:
    with path.open("w", encoding="utf-8", newline="\n") as file:
        file.write(text)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, required=True, metavar="N")
    parser.add_argument("--seed", type=int, default=0, metavar="S")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR")
    parser.add_argument("--format", choices=FORMATS, default="export")
    parser.add_argument("--files", type=int, metavar="K", help="export/jsonl files (default N/50)")
    parser.add_argument("--layout", choices=LAYOUTS, default="packed",
                        help="packed: --files files; single: one article a file")
    args = parser.parse_args(argv)
    if args.articles < 1:
        parser.error("--articles must be at least 1")
    started = time.perf_counter()
    templates = load_templates()
    prepared = time.perf_counter()
    written = write_corpus(args.out, args.articles, args.seed, args.format, args.files, templates,
                           args.layout)
    done = time.perf_counter()
    size = sum(path.stat().st_size for path in written)
    print(
        f"{args.articles:,} articles in {len(written):,} files under {args.out} "
        f"({size / 1e6:.1f} MB): templates {prepared - started:.2f} s, "
        f"articles {done - prepared:.2f} s ({args.articles / (done - prepared):,.0f}/s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
