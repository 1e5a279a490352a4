"""Key phrases of an article: the noun phrases that say what it is about (``الحرس الثوري``, ``وزير الخارجية``).

No Arabic part-of-speech tagger installs offline, so phrases are found by the shape of Arabic noun phrases: a run of
content words (no function word, digit or punctuation inside; a coordinated ``والـ`` word starts a new run), one to
three words long, whose last word carries the article ``ال`` (a definite noun or adjective ends both the construct
state ``وزير الخارجية`` and the noun-adjective phrase ``الحرس الثوري``) or is a name completing an indefinite noun
(``قطاع غزة``, ``كأس الاتحاد الإنجليزي``), a year after it kept (``كأس العالم 2018``). No word looks like a verb (an
indefinite word with an imperfect-tense prefix ``يـ``/``سيـ``/``ستـ``/``تتـ``/``سأ``, a conjunction before ``تـ``/``نـ``
as in ``وتلزم``, a past-tense ending ``ـت``/``ـوا``/``ـنا``) or carries a possessive (``آمالهم``); a preposition glued
to a word may open a phrase but never continue one (``فيرجين للطيران للانتقاد`` is no phrase); the first word is not
a relational adjective (``الروسي``, ``الكورية``). Names (the entity mentions) are tags of their own: their spans never
enter a phrase but as such a last word. A lone word must be a definite noun the body returns to at least three times.
Phrases are counted on the search layer (so ``والحرس الثوري`` and ``الحرس الثوري`` are one phrase) and shown in their
most frequent spelling, a glued conjunction or preposition removed (``بالحرس`` → ``الحرس``), never stemmed.

Score: occurrences (the title's count twice) × the mean idf of the phrase's words (from real news, see
:mod:`akhbar.analyze.weights`), longer phrases slightly preferred; a phrase inside a longer chosen one is dropped.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from akhbar.analyze.entity_policy import is_behind_proclitic
from akhbar.analyze.weights import TermWeights, term_weights
from akhbar.arabic.normalize import search_term, search_terms
from akhbar.arabic.stopwords import is_stopword
from akhbar.arabic.tokenize import split_clitics
from akhbar.model import Article

_WORD = re.compile(r"[\u0621-\u064a\u0671-\u06d3]+")
_TOKEN = re.compile(r"[\u0621-\u064a\u0671-\u06d3]+|(?<![\d.,/])(?:19|20)\d\d(?![\d.,/%])")
# Anything between two words that is not plain space ends a run: punctuation, digits, Latin, line breaks.
_GLUE = re.compile(r"[ \u00a0]+\Z")


@dataclass(frozen=True, slots=True)
class KeyPhrase:
    text: str  # display spelling
    key: str  # search-layer terms joined by a space: how phrases are compared
    count: int
    score: float
    in_title: bool = False


@lru_cache(maxsize=200_000)
def _display_word(word: str, first: bool) -> str:
    """A phrase's first word without the proclitics glued before its article (``بالحرس`` → ``الحرس``, ``للحكومة``
    → ``الحكومة``), as the Arabic layer splits them: never by the letters alone (``وكالة`` is no و + ك + ``الة``)."""
    if not first:
        return word
    pieces = split_clitics(word)
    if len(pieces) > 2 and pieces[-2].startswith("ال"):
        return pieces[-2] + pieces[-1]
    return word


def _runs(text: str, offset: int = 0, names: Sequence[tuple[int, int]] = ()) -> list[tuple[list[str], bool]]:
    """Runs of consecutive content words (display spelling) not broken by punctuation or function words, each with
    whether its last word is a name. ``names``: the entity mentions' spans, in offsets of ``text`` plus ``offset``;
    a name ends the run it follows as one word of it (``قطاع غزة``, ``كأس الاتحاد الإنجليزي``: a noun phrase built on
    a name), else it is left out. A coordinated word (``والصواريخ``, ``وكوريا``) starts a new run. A year right after
    a word ends the run as a word of it (``كأس العالم 2018``, ``رؤية 2030``)."""
    runs: list[tuple[list[str], bool]] = []
    current: list[str] = []
    last_end = 0
    spans = sorted(names)
    starts = [a for a, _ in spans]
    inside_name = -1  # where the name being skipped ends (offset of text)
    for match in _TOKEN.finditer(text):
        gap = text[last_end : match.start()]
        glued = not gap or bool(_GLUE.match(gap))
        last_end = match.end()
        if current and not glued:
            runs.append((current, False))
            current = []
        word = match.group(0)
        if match.start() < inside_name:
            continue
        if word[0].isdigit():
            if current:
                runs.append(([*current, word], False))
            current = []
            continue
        start, end = offset + match.start(), offset + match.end()
        before = bisect_left(starts, end)  # mentions do not overlap: only the last to start before the word's end
        if before > 0 and spans[before - 1][1] > start:  # can cover it (a clitic may precede the name: لغزة)
            name_start, name_end = spans[before - 1]
            if current and name_start >= start:
                runs.append(([*current, text[name_start - offset : name_end - offset]], True))
            elif current:
                runs.append((current, False))
            current = []
            inside_name = name_end - offset
            continue
        # A word ending in tatweel is a prefix written apart from what follows (الـ5, بـ"الجيش"): no phrase word.
        if is_stopword(word) or (word[0] in "وف" and is_stopword(word[1:])) or len(word) < 2 or word[-1] == "ـ":
            if current:
                runs.append((current, False))
            current = []
            continue
        if current and _CONJOINED.match(word):
            runs.append((current, False))
            current = []
        current.append(word)
    if current:
        runs.append((current, False))
    return runs


_CONJOINED = re.compile("^و(?:ال|لل).{2}")
_VERB_LIKE = re.compile("^(?:[وف]?(?:ي|سي|ست|سن|تت|سأ)..+|[وف][تن]..+|.+[^ا]ت|.+وا|.+[^ا]نا)$")
# A word with a possessive pronoun ("آمالهم", "طاقتها", "تسميمهما") opens a clause, not a noun phrase an editor files
# a story under: it is never inside a phrase (a definite word cannot carry one).
_POSSESSIVE = re.compile("(?:ها|هم|هما|هن|كم|كما)$")
# A preposition glued to a definite word ("للطيران", "بالهدف") starts a prepositional phrase: it may open a key
# phrase (shown without it) but never continue one ("فيرجين للطيران للانتقاد" is two phrases, not one).
_PREPOSITION_AL = re.compile("^(?:و|ف)?(?:(?:ب|ك|ل)ال|لل).{2}")
# A glued preposition on an indefinite word shows in how rarely the word is written so: "بلقب", "كمدخل", "بتصميم"
# are much rarer than "لقب", "مدخل", "تصميم", while "بطولة", "لجنة", "كأس" are words of their own. The margin is in
# idf units (log document frequency): 0.7 is about half as frequent.
_PREPOSITION = re.compile("^(?:و|ف)?(?:ب|ك|ل)(?=..)")
_PREPOSITION_IDF_MARGIN = 0.7
_NISBA = re.compile("(?:ي|ية|يه|يون|يين)$")
# Nouns that end like a relational adjective and head a phrase, bound to the word after them: ``ولي العهد`` (without
# it the phrase was its tail, ``العهد السعودي``, a tag of 76 ANT articles), ``وادي السيليكون``, ``نادي الهلال``.
_BOUND_HEADS = frozenset({"ولي", "وادي", "نادي"})


@lru_cache(maxsize=200_000)
def _bound_head(word: str) -> bool:
    """Whether a word is one of the nouns above, behind a proclitic or two (``لولي``, ``بنادي``)."""
    return is_behind_proclitic(word, _BOUND_HEADS)


# A longer phrase used this often replaces the chosen phrase it holds. On the editor tags judged blind
# (bench/tags.py --judged): must-recall 0.485 -> 0.511 at precision 0.671 -> 0.675; dev and test halves both gain;
# 2 and 4-5 uses do less well (0.496 and 0.500-0.504 must-recall).
LONGER_PHRASE_COUNT = 3


@lru_cache(maxsize=200_000)
def _is_definite(word: str) -> bool:
    return _display_word(word, True).startswith("ال")


@lru_cache(maxsize=200_000)
def _glued_preposition_term(word: str) -> tuple[str, str]:
    return search_term(word), search_term(_PREPOSITION.sub("", word, count=1))


def _glued_preposition(word: str, weights: TermWeights) -> bool:
    """An indefinite word that is a preposition and a more common word (``بلقب`` = ``ب`` + ``لقب``)."""
    if not _PREPOSITION.match(word) or _is_definite(word):
        return False
    if _PREPOSITION.sub("", word, count=1).startswith("ال"):
        return False  # a preposition + ال the Arabic layer does not split (وكالة is no و + ك + الة)
    whole, rest = _glued_preposition_term(word)
    return bool(rest) and weights.idf(whole) >= weights.idf(rest) + _PREPOSITION_IDF_MARGIN


def key_phrases(
    article: Article, *, names: Sequence[tuple[int, int]] = (), limit: int = 10, max_words: int = 3
) -> list[KeyPhrase]:
    """The article's key phrases, best first. ``names``: the spans of the article's entity mentions in the analysis
    text (title, newline, body): names are tags of their own and never enter a phrase there (the same words
    elsewhere may: ``النووي`` of an entity ``البرنامج النووي الإيراني`` still ends ``الاتفاق النووي``)."""
    weights = term_weights()
    counts: Counter[tuple[str, ...]] = Counter()
    in_body: Counter[tuple[str, ...]] = Counter()
    in_title: set[tuple[str, ...]] = set()
    spellings: defaultdict[tuple[str, ...], Counter[tuple[str, ...]]] = defaultdict(Counter)
    for weight, text, offset in ((2, article.title, 0), (1, article.text, len(article.title) + 1)):
        for run, named in _runs(text, offset, names):
            terms = [search_term(w) for w in run]
            if named:  # the name: its search-layer terms as one word of the phrase
                terms[-1] = " ".join(search_terms(run[-1]))
            last = len(run) - 1
            # Per word, once: can it end a phrase, can it be inside one, can it continue one. A name ends a phrase
            # only after the noun it completes (indefinite: قطاع غزة, never الرئيس ترامب).
            ends = [
                bool(t)
                and (
                    (named and k == last and k > 0 and not _is_definite(run[k - 1]))
                    or (not (named and k == last) and _is_definite(w))
                    or (w[0].isdigit() and k > 0 and _is_definite(run[k - 1]))
                )
                for k, (w, t) in enumerate(zip(run, terms, strict=True))
            ]
            inside = [
                bool(t)
                and ((named and k == last) or _is_definite(w) or not (_VERB_LIKE.match(w) or _POSSESSIVE.search(w)))
                for k, (w, t) in enumerate(zip(run, terms, strict=True))
            ]
            continues = [
                (named and k == last) or (not _PREPOSITION_AL.match(w) and not _glued_preposition(w, weights))
                for k, w in enumerate(run)
            ]
            for i in range(len(run)):
                if named and i == last:
                    continue  # the name alone is an entity tag, not a phrase
                if (
                    not inside[i]
                    or run[i][0].isdigit()
                    or (_NISBA.search(run[i]) and not _bound_head(run[i]))
                    or _glued_preposition(run[i], weights)
                    or (i > 0 and _bound_head(run[i - 1]))
                ):
                    continue  # a phrase starts with its noun, not an adjective, a preposition or a bound word
                for j in range(i + 1, min(len(run), i + max_words) + 1):
                    if not inside[j - 1] or (j - 1 > i and not continues[j - 1]):
                        break
                    if not ends[j - 1]:
                        continue
                    key = tuple(terms[i:j])
                    counts[key] += weight
                    in_body[key] += weight == 1
                    if weight == 2:
                        in_title.add(key)
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
        candidates.append(KeyPhrase(text, " ".join(key), count, score, key in in_title))
    scored_phrases = candidates
    chosen: list[KeyPhrase] = []
    for phrase in scored_phrases:
        padded = f" {phrase.key} "
        held = next((i for i, c in enumerate(chosen) if f" {c.key} " in padded), None)
        if held is not None:
            # A longer phrase holding a chosen one (أسعار النفط, النفط) takes its place when the article uses it as
            # a phrase often enough: the editor files the story under the whole phrase.
            if phrase.count >= LONGER_PHRASE_COUNT and not any(
                padded in f" {c.key} " for i, c in enumerate(chosen) if i != held
            ):
                chosen[held] = phrase
            continue
        if any(padded in f" {c.key} " for c in chosen):
            continue  # "الحرس" inside "الحرس الثوري"
        chosen.append(phrase)
        if len(chosen) >= limit:
            break
    return chosen
