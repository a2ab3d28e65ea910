"""checker.words: English lemmas from simplemma's dictionary, kept as a trie in a cache folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.words import Words

# words of other topics than the seeds: car sales, elections, company results
WORDS = ("sold", "deliveries", "voters", "elected", "ballots", "earnings", "Tesla", "Google",
         "Apple", "Sales", "New-energy", "turnout", "xyzzyq")


def _readings(words: Words) -> list[tuple[str, bool, bool]]:
    return [(words.lemma(word), words.known(word), words.proper(word)) for word in WORDS]


def test_a_cache_folder_gives_the_readings_of_the_packaged_dictionary(tmp_path: Path) -> None:
    packaged = _readings(Words())
    assert packaged[0][0] == "sell" and packaged[1][0] == "delivery"
    assert packaged[-1][1] is False  # not a word
    assert _readings(Words(tmp_path / "words")) == packaged
    kept = list((tmp_path / "words").iterdir())
    assert [path.suffix for path in kept] == [".dic"]
    written = kept[0].stat().st_mtime_ns
    assert _readings(Words(tmp_path / "words")) == packaged  # read back, not built again
    assert kept[0].stat().st_mtime_ns == written


def test_a_cache_folder_that_cannot_be_made_still_gives_lemmas(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", "utf-8")
    assert _readings(Words(blocked / "words")) == _readings(Words())
    assert "cache" in caplog.text.lower()
