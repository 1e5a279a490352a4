"""How much a search-layer term tells about a text: inverse document frequency from real news.

The table (``models/term_df.tsv``, built by ``tools/build_term_df.py`` from 30k ANT articles) ships in the package so
that weights are sensible from an archive's first article. A term the table lacks is rare: it gets the weight of a
term seen in one article.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from akhbar.arabic.normalize import search_term

DF_FILE = "term_df.tsv"


@dataclass(frozen=True, slots=True)
class TermWeights:
    articles: int
    df: dict[str, int]
    _idf: dict[str, float] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        total = math.log(self.articles + 1)
        self._idf.update((term, total - math.log(n + 1)) for term, n in self.df.items())

    def idf(self, term: str) -> float:
        """Smoothed inverse document frequency, ``log((N + 1) / (df + 1))``: 0 for a word every article has."""
        found = self._idf.get(term)
        return found if found is not None else math.log(self.articles + 1)


@cache
def term_weights() -> TermWeights:
    text = resources.files("akhbar.models").joinpath(DF_FILE).read_text(encoding="utf-8")
    lines = text.splitlines()
    _, total = lines[0].split("\t")
    df = {term: int(n) for term, n in (line.split("\t") for line in lines[1:] if line)}
    return TermWeights(int(total), df)


# A word of the language, not a typo or two words glued together: its term is in this many of the table's 30k
# articles (الاحتفال 609, انطلق 162; the glued الاحتفالوانطلق 0).
COMMON_WORD_ARTICLES = 20


def is_common_word(word: str) -> bool:
    """Whether ``word`` (display spelling) is a common word of real news, on the search layer."""
    return term_weights().df.get(search_term(word), 0) >= COMMON_WORD_ARTICLES
