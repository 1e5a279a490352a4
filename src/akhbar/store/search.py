"""Backend-independent search pieces: user query → analyzed query, and display text → highlighted snippet.

Queries go through the same search layer as the indexed text (:func:`akhbar.arabic.normalize.search_terms`), so
``الكتاب`` finds ``كتاب`` and ``والكتاب``, ``اسرائيل`` finds ``إسرائيل`` and diacritics never matter. User syntax is
never passed to the engine: only analyzed terms (letters and digits) are, so no query can raise a syntax error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from akhbar.arabic.normalize import search_terms, term_spans

_PHRASE = re.compile(r'"([^"]+)"|«([^»]+)»')
SNIPPET_WORDS = 32


@dataclass(frozen=True, slots=True)
class Query:
    """An analyzed query: phrases (each a tuple of terms; a single word is a one-term phrase), all required."""

    phrases: tuple[tuple[str, ...], ...]

    @property
    def terms(self) -> frozenset[str]:
        return frozenset(term for phrase in self.phrases for term in phrase)

    def __bool__(self) -> bool:
        return bool(self.phrases)

    def fts5(self, *, any_term: bool = False) -> str:
        """An FTS5 MATCH expression: quoted phrases joined by AND (or OR). Terms are ``\\w`` only: nothing to escape."""
        parts = ['"' + " ".join(phrase) + '"' for phrase in self.phrases]
        return (" OR " if any_term else " AND ").join(parts)


def parse_query(text: str) -> Query:
    """``"كوريا الشمالية" صواريخ`` → a phrase and a word. Anything else in the query is just text."""
    phrases: list[tuple[str, ...]] = []
    for match in _PHRASE.finditer(text):
        terms = tuple(search_terms(match.group(1) or match.group(2)))
        if terms:
            phrases.append(terms)
    rest = _PHRASE.sub(" ", text)
    phrases.extend((term,) for term in dict.fromkeys(search_terms(rest)))
    return Query(tuple(dict.fromkeys(phrases)))


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
