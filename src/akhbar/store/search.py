"""Backend-independent search pieces: user query → analyzed query, and display text → highlighted snippet.

Queries go through the same search layer as the indexed text (:func:`akhbar.arabic.normalize.search_terms`), so
``الكتاب`` finds ``كتاب`` and ``والكتاب``, ``اسرائيل`` finds ``إسرائيل`` and diacritics never matter. User syntax is
never passed to the engine: only analyzed terms (letters and digits) are, so no query can raise a syntax error.
Latin-script names are expanded into their Arabic spellings, so ``Kim Jong Un`` finds ``كيم جونغ أون``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from akhbar.analyze.entity_policy import identity_key
from akhbar.arabic.normalize import dedup_text, search_terms, term_spans
from akhbar.arabic.translit import MAX_NAME_WORDS, arabic_candidates

_PHRASE = re.compile(r'"([^"]+)"|«([^»]+)»')
SNIPPET_WORDS = 32
# What one query may cost, whatever is typed. Latin words given Arabic spellings, per query: each costs a dictionary
# look-up and maybe a character-model decoding (~1 ms); later Latin words are searched as written. Groups (words,
# phrases, names) per query: every one is a posting-list intersection; a pasted paragraph keeps its first words.
MAX_EXPANDED_WORDS = 16
MAX_GROUPS = 64


Phrase = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Query:
    """An analyzed query: every group must match; a group matches when any of its phrases does.

    A word or a quoted phrase is a group of one phrase. A run of Latin words (``Kim Jong Un``) is a group of its
    likely Arabic spellings (see :func:`akhbar.arabic.translit.arabic_candidates`) plus the Latin words themselves.
    """

    groups: tuple[tuple[Phrase, ...], ...]

    @property
    def terms(self) -> frozenset[str]:
        return frozenset(term for group in self.groups for phrase in group for term in phrase)

    def __bool__(self) -> bool:
        return bool(self.groups)

    def fts5(self, *, any_group: bool = False) -> str:
        """An FTS5 MATCH expression. Terms are ``\\w`` only (letters and digits): nothing needs escaping."""
        parts = ["(" + " OR ".join('"' + " ".join(p) + '"' for p in group) + ")" for group in self.groups]
        return (" OR " if any_group else " AND ").join(parts)

    def tsquery(self, *, any_group: bool = False, title_only: bool = False) -> str:
        """The same expression as :meth:`fts5` as a PostgreSQL ``tsquery`` literal (cast with ``::tsquery``, never
        through a text search configuration: the terms are already the indexed lexemes). A phrase is its terms
        joined by ``<->``; ``title_only`` keeps matches in the title (weight A, see the PostgreSQL store)."""
        mark = ":A" if title_only else ""

        def lexeme(term: str) -> str:
            return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'" + mark

        parts = [
            "(" + " | ".join("(" + " <-> ".join(lexeme(t) for t in p) + ")" for p in group) + ")"
            for group in self.groups
        ]
        return (" | " if any_group else " & ").join(parts)


_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'\-]*(?:\s+[A-Za-z][A-Za-z'\-]*)*")


def parse_query(text: str, names: Mapping[str, Sequence[str]] | None = None) -> Query:
    """``"كوريا الشمالية" صواريخ Kim Jong Un`` → a phrase, a word, and the Arabic spellings of a Latin name.

    A run of Latin words is one name when it has at most ``MAX_NAME_WORDS`` words; a longer run (a pasted English
    sentence) is taken word by word. The work is bounded: at most ``MAX_EXPANDED_WORDS`` Latin words are expanded and
    at most ``MAX_GROUPS`` groups kept, so no query can cost more than a few milliseconds to analyze. ``names``: the
    names of the query that the archive knows, each with the entity's other spellings: an Arabic one (as
    :func:`arabic_names` cut it) is a group of all of them (``بيونغيانغ`` finds ``بيونج يانج``, ``بوتن`` finds
    ``بوتين``); a Latin one (by :func:`latin_name_key`) adds them to its own (``Houthis`` finds ``ميليشيات الحوثي``)."""
    groups: list[tuple[Phrase, ...]] = []
    for match in _PHRASE.finditer(text):
        terms = tuple(search_terms(match.group(1) or match.group(2)))
        if terms:
            groups.append((terms,))
    rest = _PHRASE.sub(" ", text)
    for name, spellings in latin_names(rest):
        arabic = [*spellings, *(names or {}).get(latin_name_key(name), ())]  # and the entity's other spellings
        alternatives = [tuple(search_terms(a)) for a in arabic] + [tuple(search_terms(name))]
        groups.append(tuple(dict.fromkeys(p for p in alternatives if p)))
    rest = _LATIN_RUN.sub(" ", rest)
    for name in sorted(names or {}, key=len, reverse=True):  # a known name: all its spellings, in place of its words
        spelled = f" {name} "
        if spelled in f" {rest} ":
            alternatives = [tuple(search_terms(name))] + [tuple(search_terms(s)) for s in (names or {})[name]]
            groups.append(tuple(dict.fromkeys(p for p in alternatives if p)))
            rest = f" {rest} ".replace(spelled, " ", 1)
    groups.extend(((term,),) for term in dict.fromkeys(search_terms(rest)))
    return Query(tuple(dict.fromkeys(g for g in groups if g))[:MAX_GROUPS])


def latin_names(text: str) -> list[tuple[str, list[str]]]:
    """The Latin names of a query (quoted phrases left out), each with its likely Arabic spellings
    (:func:`akhbar.arabic.translit.arabic_candidates`): a run of Latin words is one name when it has at most
    ``MAX_NAME_WORDS`` words, else each word is one; past ``MAX_EXPANDED_WORDS`` words a name gets no spellings."""
    budget = MAX_EXPANDED_WORDS
    out: dict[str, tuple[str, list[str]]] = {}  # a name repeated is expanded once
    for run in _LATIN_RUN.findall(_PHRASE.sub(" ", text)):
        words = run.split()
        for name in [run] if len(words) <= MAX_NAME_WORDS else words:
            if (key := latin_name_key(name)) not in out:
                size = len(name.split())
                out[key] = (name, arabic_candidates(name) if size <= budget else [])
                budget = max(0, budget - size)
    return list(out.values())


def latin_name_key(name: str) -> str:
    """How a Latin name of a query is known in the ``names`` given to :func:`parse_query`."""
    return " ".join(name.lower().split())


def typing_distance(a: str, b: str) -> int:
    """Letters to change, add, drop or swap (neighbours) to type ``b`` for ``a``, on the dedup layer (hamza forms,
    ى/ي and ة/ه are not slips): how far a suggestion is from what was typed."""
    x, y = dedup_text(a), dedup_text(b)
    previous2: list[int] = []
    previous = list(range(len(y) + 1))
    for i, cx in enumerate(x, 1):
        current = [i]
        for j, cy in enumerate(y, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (cx != cy))
            if i > 1 and j > 1 and cx == y[j - 2] and x[i - 2] == cy:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]


# A spelling a search expands a name into carries at least this share of the entity's mentions: rare spellings are
# mostly slips or wrong merges (ماي ساي in ميسي's entity), and each one, rare and so weighty in bm25, ranks the few
# articles that use it above those about the entity. Set by hand, not tuned: bench/search.py scores the widening
# with it at nDCG@10 0.923 (without widening 0.890).
MIN_SPELLING_SHARE = 0.02


def name_spellings(name: str, counts: Mapping[str, int]) -> list[str]:
    """The spellings of an entity (``counts``: its spellings and their mentions) that a query naming it as ``name``
    also finds: the same name, to the key of its identity (its listed other names are the same name: ``الحوثيين``
    finds ``ميليشيات الحوثي``; its short forms and titles are not, and ``كيم`` alone is many people), and not rare.
    Empty when nothing is left but the name as typed (its words are then searched as words, not as a phrase)."""
    key = identity_key(name)
    total = sum(counts.values()) or 1
    typed = search_terms(name)
    found = [
        spelling
        for spelling, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if n / total >= MIN_SPELLING_SHARE and identity_key(spelling) == key and search_terms(spelling) != typed
    ]
    return found


def arabic_names(text: str, *, longest: int = 3, most: int = 8) -> list[str]:
    """The runs of Arabic words of a query that may name someone or something, longest first (up to ``longest``
    words, from its first ``most`` words; quoted phrases and Latin runs left out): what the archive is asked to
    know (:meth:`akhbar.archive.Archive.search`)."""
    words = _LATIN_RUN.sub(" ", _PHRASE.sub(" ", text)).split()[:most]
    words = [w for w in words if any("\u0621" <= c <= "\u064a" for c in w)]
    sizes = range(min(longest, len(words)), 0, -1)
    return [" ".join(words[i : i + n]) for n in sizes for i in range(len(words) - n + 1)]


# Letters a user swaps for one another when the sound is not Arabic or the word is typed by ear (entity keys have
# already folded غ/ك/گ into ج and ط into ت): the Gulf ق for g (قوقل = غوغل), the emphatics and the sibilants.
_CONFUSED = ("قج", "سصث", "زذظضد", "حهخ", "تث")


def key_variants(key: str) -> list[str]:
    """Entity keys one typing slip away from ``key`` (:func:`akhbar.arabic.normalize.entity_key`): two neighbouring
    letters swapped (خاشجقي → خاشقجي), one letter left out or typed double, or one letter of a group users confuse
    (``_CONFUSED``), or every ق a g. Long vowels are not in keys, so a missing or extra ا/و/ي is no slip at all
    (رونلدو = رونالدو). Keys of fewer than 3 letters have too many neighbours to guess from: none."""
    if len(key.replace(" ", "")) < 3:
        return []
    out: dict[str, None] = {}
    for i in range(len(key)):
        out[key[:i] + key[i + 1 :]] = None
        if i + 1 < len(key) and key[i] != key[i + 1]:
            out[key[:i] + key[i + 1] + key[i] + key[i + 2 :]] = None
        for group in _CONFUSED:
            if key[i] in group:
                for other in group.replace(key[i], ""):
                    out[key[:i] + other + key[i + 1 :]] = None
    out[key.replace("ق", "ج")] = None  # who writes g as ق does so throughout: قوقل, جوجل
    out.pop(key, None)
    return [variant for variant in out if len(variant.replace(" ", "")) >= 3 and variant.strip() == variant]


def make_snippet(texts: list[str], query: Query, words: int = SNIPPET_WORDS) -> tuple[str, list[tuple[int, int]]]:
    """The passage of ``texts`` (title, then body blocks) that matches the most query terms (the first that matches
    every group of the query: the rest of a long article is not read), with the matches' spans.

    Returns the snippet and the character spans of matched words inside it (for ``<mark>`` or terminal bold).
    """
    wanted = query.terms
    groups = [frozenset(term for phrase in group for term in phrase) for group in query.groups]
    best: tuple[int, int, str, list[tuple[str, int, int]]] | None = None
    for index, text in enumerate(texts):
        spans = term_spans(text)
        found = {term for term, _, _ in spans if term in wanted}
        if best is None or len(found) > best[0]:
            best = (len(found), index, text, spans)
        if all(found & group for group in groups):  # the first passage with every group: no need to read on
            break
    if best is None:
        return "", []
    _, _, text, spans = best
    first = next((i for i, (term, _, _) in enumerate(spans) if term in wanted), 0)
    lo = max(0, first - words // 4)
    hi = min(len(spans), lo + words)
    if not spans:
        return text[:300], []
    start = spans[lo][1] if lo > 0 else 0
    end = spans[hi - 1][2] if hi < len(spans) else len(text)
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    snippet = prefix + text[start:end] + suffix
    shift = len(prefix) - start
    marks = [(a + shift, b + shift) for term, a, b in spans[lo:hi] if term in wanted]
    return snippet, marks
