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

from akhbar.arabic.normalize import search_terms, term_spans
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
    Arabic names of the query that the archive knows (as :func:`arabic_names` cut them), each with the entity's other
    spellings: such a name is a group of all of them (``بيونغيانغ`` finds ``بيونج يانج``, ``بوتن`` finds ``بوتين``)."""
    groups: list[tuple[Phrase, ...]] = []
    for match in _PHRASE.finditer(text):
        terms = tuple(search_terms(match.group(1) or match.group(2)))
        if terms:
            groups.append((terms,))
    rest = _PHRASE.sub(" ", text)
    budget = MAX_EXPANDED_WORDS
    expanded: dict[str, tuple[Phrase, ...]] = {}  # a name repeated is expanded once
    for run in _LATIN_RUN.findall(rest):
        words = run.split()
        for name in [run] if len(words) <= MAX_NAME_WORDS else words:
            key = " ".join(name.lower().split())
            if key not in expanded:
                size = len(key.split())
                spellings = arabic_candidates(name) if size <= budget else []
                budget = max(0, budget - size)
                alternatives = [tuple(search_terms(arabic)) for arabic in spellings] + [tuple(search_terms(name))]
                expanded[key] = tuple(dict.fromkeys(p for p in alternatives if p))
            groups.append(expanded[key])
    rest = _LATIN_RUN.sub(" ", rest)
    for name in sorted(names or {}, key=len, reverse=True):  # a known name: all its spellings, in place of its words
        spelled = f" {name} "
        if spelled in f" {rest} ":
            alternatives = [tuple(search_terms(name))] + [tuple(search_terms(s)) for s in (names or {})[name]]
            groups.append(tuple(dict.fromkeys(p for p in alternatives if p)))
            rest = f" {rest} ".replace(spelled, " ", 1)
    groups.extend(((term,),) for term in dict.fromkeys(search_terms(rest)))
    return Query(tuple(dict.fromkeys(g for g in groups if g))[:MAX_GROUPS])


def arabic_names(text: str, *, longest: int = 3, most: int = 8) -> list[str]:
    """The runs of Arabic words of a query that may name someone or something, longest first (up to ``longest``
    words, from its first ``most`` words; quoted phrases and Latin runs left out): what the archive is asked to
    know (:meth:`akhbar.archive.Archive.search`)."""
    words = _LATIN_RUN.sub(" ", _PHRASE.sub(" ", text)).split()[:most]
    words = [w for w in words if any("\u0621" <= c <= "\u064a" for c in w)]
    sizes = range(min(longest, len(words)), 0, -1)
    return [" ".join(words[i : i + n]) for n in sizes for i in range(len(words) - n + 1)]


def make_snippet(texts: list[str], query: Query, words: int = SNIPPET_WORDS) -> tuple[str, list[tuple[int, int]]]:
    """The passage of ``texts`` (title, then body blocks) that matches the most query terms, with the matches' spans.

    Returns the snippet and the character spans of matched words inside it (for ``<mark>`` or terminal bold).
    """
    wanted = query.terms
    best: tuple[int, int, str, list[tuple[str, int, int]]] | None = None
    for index, text in enumerate(texts):
        spans = term_spans(text)
        found = {term for term, _, _ in spans if term in wanted}
        if best is None or len(found) > best[0]:
            best = (len(found), index, text, spans)
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


def render_marks(snippet: str, marks: list[tuple[int, int]], before: str, after: str) -> str:
    """Wrap every marked span of a snippet (``before``/``after`` e.g. ``[bold]``/``[/bold]`` or ``<mark>``)."""
    out, last = [], 0
    for a, b in marks:
        out += [snippet[last:a], before, snippet[a:b], after]
        last = b
    out.append(snippet[last:])
    return "".join(out)
