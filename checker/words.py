"""Words of a sentence: English lemmas (simplemma) and Chinese words with their part of speech
(jieba, which ships its own dictionary). The one module that imports either.

    >>> words = Words()
    >>> words.lemma("sold"), words.lemma("deliveries")
    ('sell', 'delivery')
    >>> [(w.text, w.tag) for w in words.chinese("比亚迪销量增长")][:2]
    [('比亚迪', 'nr'), ('销量', 'n')]
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["ChineseWord", "Words"]

# jieba's tags for proper nouns: person, place, organization, other proper noun (and the
# transliterated and foreign person names it tags apart).
PROPER_TAGS = frozenset({"nr", "nrt", "nrfg", "ns", "nt", "nz"})


# Not frozen: built for each word a sentence is read into, and a frozen dataclass takes
# several times as long to build.
@dataclass(slots=True)
class ChineseWord:
    start: int  # offsets into the text given
    end: int
    text: str
    tag: str  # jieba's part of speech: n, v, ns, nr, eng, m, x ...

    @property
    def proper(self) -> bool:
        return self.tag in PROPER_TAGS


class Words:
    """Lemmas and segmentation for one process; each tool is loaded when first used.

    `cache_folder`: where simplemma keeps its English dictionary as a trie between runs
    (its TrieDictionaryFactory), read back in milliseconds where decoding the packaged one
    takes a tenth of a second, which a review pays at every start; without a folder, the
    packaged dictionary is decoded once per process.
    """

    def __init__(self, cache_folder: Path | None = None) -> None:
        self._lemmas: dict[str, str] = {}
        self._segmenter: Any = None
        self._cache_folder = cache_folder
        self._english: tuple[Any, Any] | None = None  # simplemma's lemmatizer and look-up

    def lemma(self, word: str) -> str:
        """The dictionary form of an English word, lower case ("Sold" -> "sell")."""
        found = self._lemmas.get(word)  # by the word as written: no lower-casing each time
        if found is None:
            lower = word.lower()
            found = self._lemmatizer().lemmatize(lower, "en") if lower.isalpha() else lower
            self._lemmas[word] = found
        return found

    def lemmas(self, words: list[str]) -> list[str]:
        """`lemma` of each word: the words read before are looked up all at once."""
        found = list(map(self._lemmas.get, words))
        if None in found:
            found = [form if form is not None else self.lemma(word)
                     for form, word in zip(found, words, strict=True)]
        return found

    def known(self, word: str) -> bool:
        """An ordinary English word: simplemma knows it, or each part of it ("New-energy")."""
        return all(self._known(part) for part in word.lower().split("-") if part)

    def proper(self, word: str) -> bool:
        """Whether the dictionary knows the capitalised word as a proper noun ("Tesla",
        "Google"; not "Sales" or "Apple", which it reads as common nouns)."""
        return (word[:1].isupper() and self._known(word)
                and self._lemmatizer().lemmatize(word, "en")[:1].isupper())

    def _known(self, token: str) -> bool:
        # simplemma.is_known, with this object's dictionary
        lookup = self._simplemma()[1]
        return lookup.get_lemma(unicodedata.normalize("NFC", token), "en") is not None

    def _lemmatizer(self) -> Any:
        return self._simplemma()[0]

    def _simplemma(self) -> tuple[Any, Any]:
        if self._english is None:
            from simplemma import Lemmatizer
            from simplemma.strategies import DefaultStrategy, DictionaryLookupStrategy
            from simplemma.strategies.dictionaries import (
                DEFAULT_DICTIONARY_FACTORY,
                TrieDictionaryFactory,
            )

            factory = (DEFAULT_DICTIONARY_FACTORY if self._cache_folder is None
                       else TrieDictionaryFactory(disk_cache_dir=str(self._cache_folder)))
            self._english = (Lemmatizer(lemmatization_strategy=DefaultStrategy(
                dictionary_factory=factory)), DictionaryLookupStrategy(factory))
        return self._english

    def chinese(self, text: str, offset: int = 0) -> list[ChineseWord]:
        """The words of a run of Chinese text, offsets shifted by `offset`."""
        if self._segmenter is None:
            self._segmenter = _segmenter()
        words, position = [], offset
        for pair in self._segmenter.cut(text, HMM=False):
            words.append(ChineseWord(position, position + len(pair.word), pair.word, pair.flag))
            position += len(pair.word)
        return words


@cache  # jieba's dictionary takes a second to load; the segmenter is only read from after
def _segmenter() -> Any:
    import jieba
    import jieba.posseg

    # jieba reports loading its dictionary on stderr at DEBUG level, with its own handler;
    # quiet only while it loads, so the user's logging is left as it was.
    logger = logging.getLogger("jieba")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        return jieba.posseg.POSTokenizer(tokenizer)
    finally:
        logger.setLevel(level)
