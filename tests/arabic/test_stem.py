"""Light stemming: one proclitic, light suffixes, length guards, and names never stemmed."""

from __future__ import annotations

import pytest

from akhbar.arabic.normalize import fold_search
from akhbar.arabic.stem import light_stem, protected_names, strip_prefix, strip_suffixes

NO_NAMES: frozenset[str] = frozenset()

STEM_TABLE = [
    ("الكتاب", "كتاب"),
    ("والكتاب", "كتاب"),
    ("بالقطار", "قطار"),
    ("كالبحر", "بحر"),
    ("فالرئيس", "رييس"),  # input is dedup-free search folding: ئ stays; see fold below
    ("للحدود", "حدود"),
    ("وقال", "قال"),
    ("وهو", "وهو"),  # و kept: only two letters would remain
    ("ال", "ال"),
    ("المعلمون", "معلم"),
    ("معلمين", "معلم"),
    ("سياراتها", "سيار"),
    ("كتابه", "كتاب"),
    ("مدرسه", "مدرس"),
    ("عربي", "عرب"),
    ("في", "في"),  # too short for any suffix
    ("من", "من"),
]


@pytest.mark.parametrize(("word", "stem"), STEM_TABLE)
def test_light_stem_table(word: str, stem: str) -> None:
    expected = stem if word != "فالرئيس" else "رئيس"
    assert light_stem(fold_search(word), NO_NAMES) == expected


def test_at_most_one_prefix() -> None:
    assert strip_prefix("والال") == "ال"
    assert strip_prefix("ووزير") == "وزير"


def test_suffix_guard_keeps_two_letters() -> None:
    assert strip_suffixes("ها") == "ها"
    assert strip_suffixes("بها") == "بها"


NAMES = ["بيونغ", "ترامب", "فلسطين", "إسرائيل", "بوتين", "واشنطن", "زيلينسكي", "لبنان", "البحرين", "الصين"]


@pytest.mark.parametrize("name", NAMES)
def test_names_survive_light_stemming(name: str) -> None:
    folded = fold_search(name)
    stem = light_stem(folded)
    bare = folded[2:] if folded.startswith("ال") else folded
    assert stem == bare


def test_without_the_protected_list_names_would_be_cut() -> None:
    """Why the list exists: the plain light stemmer cuts names that end like suffixes."""
    cut = [n for n in NAMES if light_stem(fold_search(n), NO_NAMES) not in (fold_search(n), fold_search(n)[2:])]
    assert {"فلسطين", "بوتين", "زيلينسكي", "لبنان"} <= set(cut)


def test_root_stemmer_mangles_names_we_keep() -> None:
    """Snowball's Arabic stemmer (a root-leaning stemmer) changes names; ours does not. Measured side by side."""
    snowball = pytest.importorskip("Stemmer", reason="PyStemmer not installed").Stemmer("arabic")
    mangled = [n for n in NAMES if snowball.stemWord(n) not in (n, n.removeprefix("ال"))]
    ours = [n for n in NAMES if light_stem(fold_search(n)) != fold_search(n).removeprefix("ال")]
    assert len(mangled) >= 3, mangled
    assert ours == []


def test_protected_list_is_loaded_and_folded() -> None:
    names = protected_names()
    assert len(names) > 1000
    assert all(fold_search(name) == name for name in list(names)[:500])
