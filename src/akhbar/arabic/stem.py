"""Light stemming for search (light10 / Lucene ArabicStemmer style), with names protected.

A light stemmer removes at most one proclitic (``ال وال بال كال فال لل و``) and a few suffixes, with length guards, so
``الكتاب``, ``والكتاب`` and ``كتاب`` meet at ``كتاب``. Root stemmers (ISRI, Snowball) conflate far too much for news
search and mangle names; this module never produces a root. Its input is a *search-folded* word (see
:mod:`akhbar.arabic.normalize`): ة is already ه and ى is already ي, so the suffix list is written in folded letters.

Names must never be stemmed: ``فلسطين`` would lose ``ين`` and ``بوتين`` would become ``بوت``. A list of protected names
(countries and cities from CLDR and world-cities, person-name words from Wikidata, a hand list of names in the news;
built by ``tools/build_protected_names.py``, provenance in ``models/PROVENANCE.md``) is checked after and before the
proclitic is removed.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

# Longest first, so ``وال`` wins over ``و``. At most one is removed.
PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال", "و")
# In folded letters (ة→ه, ى→ي). Each is tried once, in this order, as in Lucene's ArabicStemmer.
SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")


@lru_cache(maxsize=1)
def protected_names() -> frozenset[str]:
    """Search-folded name words that are never stemmed (loaded once per process from the shipped list)."""
    text = resources.files("akhbar.models").joinpath("protected_names.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def strip_prefix(word: str) -> str:
    """Remove one proclitic; ``و`` only when at least 3 letters remain, the others when at least 2 remain."""
    for prefix in PREFIXES:
        if word.startswith(prefix):
            if len(word) - len(prefix) >= (3 if len(prefix) == 1 else 2):
                return word[len(prefix) :]
            return word
    return word


def strip_suffixes(word: str) -> str:
    """Remove light suffixes, each at most once, while at least 2 letters remain."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            word = word[: -len(suffix)]
    return word


def light_stem(word: str, protected: frozenset[str] | None = None) -> str:
    """Light stem of one search-folded word; names in ``protected`` (default: the shipped list) stay whole."""
    names = protected_names() if protected is None else protected
    bare = strip_prefix(word)
    if bare in names:
        return bare  # البحرين, والبحرين → بحرين
    if word in names:
        return word  # واشنطن: its و is a letter of the name, not a clitic
    return strip_suffixes(bare)
