"""How much a search-layer term tells about a text: inverse document frequency from real news.

The table (``models/term_df.tsv``, built by ``tools/build_term_df.py`` from 30k ANT articles) ships in the package so
that weights are sensible from an archive's first article. A term the table lacks is rare: it gets the weight of a
term seen in one article.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

DF_FILE = "term_df.tsv"


@dataclass(frozen=True, slots=True)
class TermWeights:
    articles: int
    df: dict[str, int]

    def idf(self, term: str) -> float:
        """Smoothed inverse document frequency, ``log((N + 1) / (df + 1))``: 0 for a word every article has."""
        return math.log((self.articles + 1) / (self.df.get(term, 0) + 1))


@cache
def term_weights() -> TermWeights:
    text = resources.files("akhbar.models").joinpath(DF_FILE).read_text(encoding="utf-8")
    lines = text.splitlines()
    _, total = lines[0].split("\t")
    df = {term: int(n) for term, n in (line.split("\t") for line in lines[1:] if line)}
    return TermWeights(int(total), df)
