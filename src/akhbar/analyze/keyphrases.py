"""Key phrases of an article: the noun phrases that say what it is about (``الحرس الثوري``, ``وزير الخارجية``).

No Arabic part-of-speech tagger installs offline, so phrases are found by the shape of Arabic noun phrases: a run of
content words (no function word, name, digit or punctuation inside; a coordinated ``والـ`` word starts a new run),
one to three words long, whose last word carries the article ``ال`` (a definite noun or adjective ends both the
construct state ``وزير الخارجية`` and the noun-adjective phrase ``الحرس الثوري``), with no word that looks like a
verb (an indefinite word with an imperfect-tense prefix ``يـ``/``سيـ``/``ستـ``/``تتـ``, a conjunction before
``تـ``/``نـ`` as in ``وتلزم``, or a past-tense ending ``ـت``/``ـوا``) and not starting with a relational adjective
(``الروسي``, ``الكورية``). A lone word must be a definite noun the body returns to at least three times. Phrases
are counted on the search layer (so ``والحرس الثوري`` and ``الحرس الثوري`` are one phrase) and shown in their most
frequent spelling, a glued conjunction or preposition removed (``بالحرس`` → ``الحرس``), never stemmed.

Score: occurrences (the title's count twice) × the mean idf of the phrase's words (from real news, see
:mod:`akhbar.analyze.weights`), longer phrases slightly preferred; a phrase inside a longer chosen one is dropped.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from akhbar.analyze.weights import term_weights
from akhbar.arabic.normalize import search_term
from akhbar.arabic.stopwords import is_stopword
from akhbar.model import Article

_WORD = re.compile(r"[\u0621-\u064a\u0671-\u06d3]+")
# Anything between two words that is not plain space ends a run: punctuation, digits, Latin, line breaks.
_GLUE = re.compile(r"[ \u00a0]+\Z")
_CLITIC_BEFORE_AL = re.compile("^(?:و|ف)?(?:ب|ل|ك)?(?=ال)")
_LIL = re.compile("^(?:و|ف)?لل(?=.{2})")  # للحكومة = ل + الحكومة


@dataclass(frozen=True, slots=True)
class KeyPhrase:
    text: str  # display spelling
    key: str  # search-layer terms joined by a space: how phrases are compared
    count: int
    score: float


@lru_cache(maxsize=200_000)
def _display_word(word: str, first: bool) -> str:
    if not first:
        return word
    if _LIL.match(word):
        return _LIL.sub("ال", word, count=1)
    return _CLITIC_BEFORE_AL.sub("", word, count=1)


def _runs(text: str, names: frozenset[str] = frozenset()) -> list[list[str]]:
    """Runs of consecutive content words (display spelling) not broken by punctuation, function words or names;
    a coordinated word (``والصواريخ``, ``وكوريا``) starts a new run."""
    runs: list[list[str]] = []
    current: list[str] = []
    last_end = 0
    for match in _WORD.finditer(text):
        gap = text[last_end : match.start()]
        last_end = match.end()
        if current and (not _GLUE.match(gap) if gap else False):
            runs.append(current)
            current = []
        word = match.group(0)
        if is_stopword(word) or len(word) < 2 or search_term(word) in names:
            if current:
                runs.append(current)
            current = []
            continue
        if current and _CONJOINED.match(word):
            runs.append(current)
            current = []
        current.append(word)
    if current:
        runs.append(current)
    return runs


_CONJOINED = re.compile("^و(?:ال|لل).{2}")
_VERB_LIKE = re.compile("^(?:[وف]?(?:ي|سي|ست|سن|تت)..+|[وف][تن]..+|.+[^ا]ت|.+وا)$")
_NISBA = re.compile("(?:ي|ية|يه|يون|يين)$")


@lru_cache(maxsize=200_000)
def _is_definite(word: str) -> bool:
    return _display_word(word, True).startswith("ال") or _LIL.match(word) is not None


def key_phrases(article: Article, *, names: Iterable[str] = (), limit: int = 10, max_words: int = 3) -> list[KeyPhrase]:
    """The article's key phrases, best first. Words of ``names`` (the article's entity mentions, which are tags of
    their own) never enter a phrase."""
    weights = term_weights()
    name_terms = frozenset(t for name in names for t in map(search_term, _WORD.findall(name)) if t)
    counts: Counter[tuple[str, ...]] = Counter()
    in_body: Counter[tuple[str, ...]] = Counter()
    spellings: defaultdict[tuple[str, ...], Counter[tuple[str, ...]]] = defaultdict(Counter)
    for weight, text in ((2, article.title), (1, article.text)):
        for run in _runs(text, name_terms):
            terms = [search_term(w) for w in run]
            # Per word, once: can it end a phrase, can it be inside one, can it start one.
            ends = [bool(t) and _is_definite(w) for w, t in zip(run, terms, strict=True)]
            inside = [bool(t) and (_is_definite(w) or not _VERB_LIKE.match(w)) for w, t in zip(run, terms, strict=True)]
            for i in range(len(run)):
                if not inside[i] or _NISBA.search(run[i]):  # a phrase starts with its noun, not an adjective
                    continue
                for j in range(i + 1, min(len(run), i + max_words) + 1):
                    if not inside[j - 1]:
                        break
                    if not ends[j - 1]:
                        continue
                    key = tuple(terms[i:j])
                    counts[key] += weight
                    in_body[key] += weight == 1
                    spellings[key][tuple(run[i:j])] += 1
    scored = []
    for key, count in counts.items():
        if len(key) == 1 and in_body[key] < 3:  # a lone word is a topic only when the article keeps coming back to it
            continue
        idf = sum(weights.idf(t) for t in key) / len(key)
        scored.append((count * idf * (1 + 0.25 * (len(key) - 1)), key, count))
    scored.sort(key=lambda t: (-t[0], t[1]))
    candidates = []
    for score, key, count in scored[: limit * 4]:  # spelled out only for the few that can be chosen
        shown: Counter[str] = Counter()
        for words, n in spellings[key].items():
            shown[" ".join(_display_word(w, k == 0) for k, w in enumerate(words))] += n
        text = min(shown.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0]
        candidates.append(KeyPhrase(text, " ".join(key), count, score))
    scored_phrases = candidates
    chosen: list[KeyPhrase] = []
    for phrase in scored_phrases:
        padded = f" {phrase.key} "
        if any(padded in f" {c.key} " or f" {c.key} " in padded for c in chosen):
            continue  # "الحرس" inside "الحرس الثوري", or the other way round
        chosen.append(phrase)
        if len(chosen) >= limit:
            break
    return chosen
