"""The four text layers of akhbar, one function each, from lightest to strongest.

============  ===============================================================  ==================================
layer         what it does                                                     used for
============  ===============================================================  ==================================
display       :func:`akhbar.arabic.repair.repair`: fix damage, keep the words  what is stored and shown
search        fold (آأإٱ→ا, ى→ي, ة→ه, harakat/tatweel off, digits→ASCII,       the full-text index and queries
              presentation forms and lam-alef ligatures → letters, Persian
              look-alikes → Arabic, Latin lower-cased) + light stemming
dedup         search folding + hamza carriers (ؤ→و, ئ→ي, ء dropped), no        shingles for near-duplicates
              punctuation, digits → ASCII; no stemming
entity key    dedup + transliteration variants folded (غ/ج/ك/گ/ق, ڤ/ف, پ/ب,    grouping spellings of one name
              چ/تش), spaces/hyphens inside the name removed, long vowels
              after the first letter dropped, doubled letters collapsed
============  ===============================================================  ==================================

Display text is the only one ever shown; the others are derived and can be recomputed. Names are never stemmed.
Hot paths use precompiled ``str.translate`` tables and one regex pass: no per-character Python loops.
"""

from __future__ import annotations

import re

from akhbar.arabic.repair import PRESENTATION_FORMS, repair
from akhbar.arabic.stem import light_stem, protected_names

display = repair

_HARAKAT = [*range(0x064B, 0x0660), 0x0670, 0x06D6, *range(0x06D7, 0x06EE)]
_INVISIBLES = [0x0640, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF]

_SEARCH_LETTERS = {
    "آ": "ا",
    "أ": "ا",
    "إ": "ا",
    "ٱ": "ا",
    "ى": "ي",
    "ة": "ه",
    "ک": "ك",  # Persian look-alikes
    "ڪ": "ك",
    "ی": "ي",
    "ې": "ي",
    "ە": "ه",
    "ہ": "ه",
    "ھ": "ه",
    "ۀ": "ه",
    "ۃ": "ه",
}


def _build_table(letters: dict[str, str], drop: list[int]) -> dict[int, str | None]:
    table: dict[int, str | None] = {ord(k): v for k, v in letters.items()}
    table.update(dict.fromkeys(drop))
    for d in range(10):
        table[0x0660 + d] = str(d)  # Arabic-Indic digits
        table[0x06F0 + d] = str(d)  # Persian digits
    table[0x066B] = "."  # Arabic decimal separator
    table[0x066C] = ","  # Arabic thousands separator
    # Presentation forms (incl. lam-alef ligatures ﻻ ﻷ ﻹ ﻵ) → base letters, then folded like them.
    for cp, base in PRESENTATION_FORMS.items():
        table[cp] = "".join((table[ord(ch)] or "") if ord(ch) in table else ch for ch in base)
    return table


SEARCH_TABLE = _build_table(_SEARCH_LETTERS, _HARAKAT + _INVISIBLES)
DEDUP_TABLE = _build_table({**_SEARCH_LETTERS, "ؤ": "و", "ئ": "ي"}, [*_HARAKAT, *_INVISIBLES, 0x0621])

# A word after folding: letters and digits (no underscore, so ``#عاصي_الحلاني`` gives two words).
_WORD = re.compile(r"[^\W_]+")


def fold_search(text: str) -> str:
    """Search folding without stemming (also what queries and names go through before matching)."""
    return text.translate(SEARCH_TABLE).lower()


# A raw word of display text: letters, digits, harakat and tatweel (``_`` is turned into a space first, so that
# ``#عاصي_الحلاني`` gives two words).
_RAW_WORD = re.compile("[\\w\u064b-\u065f\u0670\u0640\u200c\u200d]+")

# Raw word → its search term. News vocabulary repeats, so one dict look-up per word replaces folding and stemming
# (str.translate with a dict is ~35 MB/s on Arabic; per-word caching keeps the layer well above 20 MB/s per core).
_TERM_CACHE: dict[str, str] = {}
_TERM_CACHE_LIMIT = 500_000


def search_term(word: str) -> str:
    """Search term of one raw word: folded, lower-cased, light-stemmed (Arabic only); "" when nothing is left."""
    term = _TERM_CACHE.get(word)
    if term is None:
        folded = word.translate(SEARCH_TABLE).lower()
        term = "".join(_WORD.findall(folded))
        if term and "\u0621" <= term[0] <= "\u064a":
            term = light_stem(term, protected_names())
        if len(_TERM_CACHE) >= _TERM_CACHE_LIMIT:
            _TERM_CACHE.clear()
        _TERM_CACHE[word] = term
    return term


def search_terms(text: str) -> list[str]:
    """The search layer: the index terms of a text (folded, tokenized, light-stemmed), in order."""
    words = _RAW_WORD.findall(text.replace("_", " "))
    lookup = _TERM_CACHE.__getitem__
    try:
        return list(filter(None, map(lookup, words)))  # all in C when every word is cached
    except KeyError:
        return [t for t in map(search_term, words) if t]


def term_spans(text: str) -> list[tuple[str, int, int]]:
    """Search terms of a text with the character span of the raw word each came from (for highlighting)."""
    out = []
    for match in _RAW_WORD.finditer(text):
        start = match.start()
        for part in match.group(0).split("_"):
            if term := search_term(part):
                out.append((term, start, start + len(part)))
            start += len(part) + 1
    return out


def search_text(text: str) -> str:
    """The search layer as one space-separated string (what the full-text index stores)."""
    return " ".join(search_terms(text))


def dedup_tokens(text: str) -> list[str]:
    """The dedup layer: strongly folded words, for shingling. Punctuation is dropped, digits are ASCII."""
    return _WORD.findall(text.translate(DEDUP_TABLE).lower())


def dedup_text(text: str) -> str:
    return " ".join(dedup_tokens(text))


# --- entity key -------------------------------------------------------------------------------------------------

# Letters that stand for one foreign sound in different writers' hands. /g/ is written غ (Levant, Gulf), ج (Egypt),
# ك (Iraq, older texts) or گ (the Persian letter); /v/ ڤ or ف; /p/ پ or ب; /tʃ/ چ or تش; /t/ in foreign names ت or ط
# (طوني/توني كروس, أنطوان/أنتوان).
_ENTITY_LETTERS = str.maketrans({"غ": "ج", "ك": "ج", "گ": "ج", "ڤ": "ف", "پ": "ب", "چ": "ش", "ژ": "ز", "ط": "ت"})
_TSH = re.compile("تش")
_NOT_LETTER = re.compile(r"[\W_]+")  # digits stay: إف-16 is not إف-35, مونديال 2018 is not مونديال 2022
_LONG_VOWELS_AFTER_FIRST = re.compile("(?<=.)[اوي]")
_DOUBLED = re.compile(r"(.)\1+")
# Compound names written glued or apart: عبدالفتاح = عبد الفتاح, عبدالرحمن = عبد الرحمن.
_ABD_AL = re.compile(r"(?<!\w)عبد ?ال(?=\w)")


def _entity_word(word: str) -> str:
    if word.startswith("ال") and len(word) > 4:  # الناتو = ناتو, الأوروغواي = أوروغواي
        word = word[2:]
    if word.endswith("ه") and len(word) > 3:  # final ة/ه written ا: سورية = سوريا, بنزيمة = بنزيما
        word = word[:-1] + "ا"
    return word


def entity_key(name: str) -> str:
    """The entity-key layer: one key for every spelling of a name.

    ``بيونغ يانغ`` = ``بيونغيانغ`` = ``بيونج يانج`` = ``بيونجيانج``; ``كيم جونغ-أون`` = ``كيم جونج اون``. Doubled
    letters are collapsed before the long vowels are dropped, so ``سويسرا`` (سسر) stays apart from ``سوريا`` (سر).
    Measured on 206 variant groups and 161 near-miss pairs from ANT (``bench/entities.py``). Keys group candidates;
    deciding that two mentions are one entity also needs type and context (``محمد``/``محمود`` share a key).
    """
    return _LONG_VOWELS_AFTER_FIRST.sub("", entity_shape(name))


def entity_shape(name: str) -> str:
    """The entity key before its long vowels are dropped: ``تركيا`` → ``ترجيا``, ``ترويكا`` → ``ترويجا`` (one key,
    ترج). Where a key is too short to tell names apart, the shapes do (see :mod:`akhbar.analyze.entity_policy`)."""
    key = " ".join(_entity_word(word) for word in _ABD_AL.sub("عبد ", " ".join(dedup_tokens(name))).split())
    key = _TSH.sub("ش", key).translate(_ENTITY_LETTERS)
    return _DOUBLED.sub(r"\1", _NOT_LETTER.sub("", key))


__all__ = [
    "dedup_text",
    "dedup_tokens",
    "display",
    "entity_key",
    "entity_shape",
    "fold_search",
    "search_term",
    "search_terms",
    "search_text",
    "term_spans",
]
