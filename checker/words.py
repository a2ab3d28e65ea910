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
from dataclasses import dataclass
from functools import cache
from typing import Any

__all__ = ["ChineseWord", "Words"]

# jieba's tags for proper nouns: person, place, organization, other proper noun (and the
# transliterated and foreign person names it tags apart).
PROPER_TAGS = frozenset({"nr", "nrt", "nrfg", "ns", "nt", "nz"})


@dataclass(frozen=True, slots=True)
class ChineseWord:
    start: int  # offsets into the text given
    end: int
    text: str
    tag: str  # jieba's part of speech: n, v, ns, nr, eng, m, x ...

    @property
    def proper(self) -> bool:
        return self.tag in PROPER_TAGS


class Words:
    """Lemmas and segmentation for one process; each tool is loaded when first used."""

    def __init__(self) -> None:
        self._lemmas: dict[str, str] = {}
        self._segmenter: Any = None

    def lemma(self, word: str) -> str:
        """The dictionary form of an English word, lower case ("Sold" -> "sell")."""
        found = self._lemmas.get(word)  # by the word as written: no lower-casing each time
        if found is None:
            import simplemma

            lower = word.lower()
            found = simplemma.lemmatize(lower, lang="en") if lower.isalpha() else lower
            self._lemmas[word] = found
        return found

    def known(self, word: str) -> bool:
        """An ordinary English word: simplemma knows it, or each part of it ("New-energy")."""
        import simplemma

        return all(simplemma.is_known(part, lang="en") for part in word.lower().split("-") if part)

    def proper(self, word: str) -> bool:
        """Whether the dictionary knows the capitalised word as a proper noun ("Tesla",
        "Google"; not "Sales" or "Apple", which it reads as common nouns)."""
        import simplemma

        return (word[:1].isupper() and simplemma.is_known(word, lang="en")
                and simplemma.lemmatize(word, lang="en")[:1].isupper())

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
