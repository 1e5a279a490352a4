"""Extractive summaries: the two or three sentences of an article, beyond its lead, that say most of it.

The summary is shown above the article, where the reader meets the first paragraph next: a summary that repeats the
lead says nothing (it did, word for word, when the lead's sentences always won). So the first paragraph is never
summarized; of the sentences after it, news still puts the essentials first (the inverted pyramid), so position
weighs, and they compete on how many of the article's informative terms (idf-weighted, the title's terms counted
double) they carry. A sentence too similar to the lead or to one already chosen is skipped (redundancy), as are
sub-headings, captions and fragments too short to stand alone. Chosen sentences come back in reading order; an
article that is all lead, or whose summary would be all the rest of it, has none.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from akhbar.analyze.weights import term_weights
from akhbar.arabic.normalize import search_terms
from akhbar.arabic.sentences import split_sentences
from akhbar.model import Article


@dataclass(frozen=True, slots=True)
class SummaryConfig:
    sentences: int = 3
    min_words: int = 6  # shorter sentences are headings, captions or fragments
    max_words: int = 80  # longer "sentences" are run-on paragraphs the splitter could not cut
    max_chars: int = 600  # a summary stops growing past this
    redundancy: float = 0.5  # term-set Jaccard with a chosen sentence above which a sentence is skipped
    lead_weight: float = 1.0  # position preference: the first sentence after the lead weighs 1.5x, decaying


def summarize(article: Article, config: SummaryConfig = SummaryConfig()) -> str:
    """The article's summary as one string (its sentences joined by a space); empty when the body has none."""
    return " ".join(summary_sentences(article, config))


def summary_sentences(article: Article, config: SummaryConfig = SummaryConfig()) -> list[str]:
    paragraphs = [block.text for block in article.body if block.type == "paragraph"]
    lead = [set(search_terms(s)) for s in split_sentences(paragraphs[0])] if paragraphs else []
    candidates = [
        sentence
        for paragraph in paragraphs[1:]
        for sentence in split_sentences(paragraph)
        if config.min_words <= len(sentence.split()) <= config.max_words
    ]
    if not candidates:
        return []
    weights = term_weights()
    terms = [search_terms(s) for s in candidates]
    document = Counter(t for ts in terms for t in set(ts))
    title = set(search_terms(article.title))
    # A term matters when it is informative (idf) and recurs in this article or names the title's subject.
    importance = {t: weights.idf(t) * (min(n, 3) + (2 if t in title else 0)) for t, n in document.items()}

    # Greedy coverage: each pick is the sentence that adds the most importance not yet said (by the lead or by a
    # sentence already chosen), with a mild preference for what comes first; a sentence that mostly repeats is
    # skipped. So the summary spans the story rather than reading out the paragraphs after the lead.
    said = set().union(*lead) if lead else set()
    chosen: list[int] = []
    length = 0
    while len(chosen) < config.sentences and length < config.max_chars:
        best, best_gain = -1, 0.0
        for index, sentence_terms in enumerate(terms):
            unique = set(sentence_terms)
            if index in chosen or not unique:
                continue
            if any(_jaccard(unique, set(terms[j])) > config.redundancy for j in chosen) or any(
                _jaccard(unique, lead_terms) > config.redundancy for lead_terms in lead
            ):
                continue
            gain = sum(importance[t] for t in unique - said) / math.sqrt(len(unique))
            gain *= 1 + config.lead_weight / (2 + index)
            if gain > best_gain:
                best, best_gain = index, gain
        if best < 0:
            break
        chosen.append(best)
        said |= set(terms[best])
        length += len(candidates[best])
    if len(chosen) == len(candidates):  # the rest of the article word for word: a summary of it says nothing
        return []
    return [candidates[i] for i in sorted(chosen)]


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0
