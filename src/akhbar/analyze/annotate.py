"""Per-article understanding that is stored beside the article: its entities (for now).

Mention offsets are into :func:`analysis_text` — the title, a newline, then the body blocks joined by newlines —
so a reader can find every mention in the display text again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from akhbar.analyze.entities import ArticleEntity, Mention, resolve_in_article
from akhbar.analyze.ner import NerTagger
from akhbar.model import Article


@dataclass(slots=True)
class Analysis:
    entities: list[ArticleEntity] = field(default_factory=list)


def analysis_text(article: Article) -> str:
    return article.title + "\n" + article.text


def analyze(article: Article, tagger: NerTagger | None = None) -> Analysis:
    """Tag the article's names (the shipped CRF model unless a tagger is given) and group them into entities."""
    tagger = tagger or NerTagger.default()
    spans = tagger.entities(analysis_text(article))
    return Analysis(entities=resolve_in_article([Mention(s.type, s.text, s.start, s.end) for s in spans]))
