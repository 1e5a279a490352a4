"""Per-article understanding that is stored beside the article: entities, key phrases, tags and a summary.

Mention offsets are into :func:`analysis_text` — the title, a newline, then the body blocks joined by newlines —
so a reader can find every mention in the display text again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from akhbar.analyze.entities import ArticleEntity, Mention, resolve_in_article
from akhbar.analyze.entity_policy import CandidateFetch, EntityConfig
from akhbar.analyze.keyphrases import KeyPhrase, key_phrases
from akhbar.analyze.known_names import with_known_names
from akhbar.analyze.mentions import clean_mentions
from akhbar.analyze.ner import NerTagger
from akhbar.analyze.summary import summarize
from akhbar.analyze.tags import Tag, choose_tags, dateline_end
from akhbar.model import Article


@dataclass(slots=True)
class Analysis:
    entities: list[ArticleEntity] = field(default_factory=list)
    phrases: list[KeyPhrase] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    summary: str = ""


# Bump when a change to the analysis code itself (not to a shipped model or list: those are hashed) makes it find,
# key or merge entities or choose tags differently: archives analyzed before are then told to run `akhbar reindex`.
# 2: names of models/news_names.tsv found where the tagger misses them; 3: a lone word used 8 times is a topic tag,
# and a hashtag mark is no part of a name (دونالد #ترمب); 4: tags shown whole (قوات سوريا الديمقراطية); 5: the
# country a title names by adjective is a tag (محكمة مصرية); 6: a listed name replaces the parts the tagger cut
# (مانشستر سيتي, not مانشستر), and a word that only points at a name is no mention (المدينة, الولاية); 7: a listed
# name after لل (للحوثيين), a listed name the tagger typed MISC takes the list's type, an organization's name read as
# adjectives is none (المساعدات الخارجية الأمريكية); 8: a site's domain is no name (نت of العربية.نت), and a listed
# canonical name that is the most frequent spelling is shown, not a longer one (الحوثيين, not ميليشيات الحوثي);
# 9: a compound name keeps its first half (فتح الله غولن, not الله غولن), كوري and مشهد are no names alone, and
# ولي العهد, months, في المائة and the halves of فرانس برس are no tags
ANALYSIS_REVISION = 9


@lru_cache(maxsize=4)
def analysis_signature(rules: EntityConfig | None = None) -> str:
    """Which analysis an archive's entities and tags come from: a hash of this code's revision, the entity rules and
    every shipped model and list. An archive keeps the signature it was analyzed with; articles analyzed with
    another one key some names differently (an alias added to the list makes أمريكا another key), so the two halves
    of the archive would not merge: see :attr:`akhbar.archive.Archive.analysis_outdated`."""
    digest = hashlib.sha256(f"{ANALYSIS_REVISION}\n{rules or EntityConfig()!r}\n".encode())
    for entry in sorted(resources.files("akhbar.models").iterdir(), key=lambda e: e.name):
        if entry.is_file() and entry.name != "PROVENANCE.md" and not entry.name.endswith(".py"):
            digest.update(entry.name.encode() + b"\0" + entry.read_bytes())
    return digest.hexdigest()[:16]


def analysis_text(article: Article) -> str:
    return article.title + "\n" + article.text


def analyze(
    article: Article,
    tagger: NerTagger | None = None,
    *,
    entities: bool = True,
    rules: EntityConfig | None = None,
    stored: CandidateFetch | None = None,
) -> Analysis:
    """Tag the article's names (the shipped CRF model unless a tagger is given; skipped when ``entities`` is False),
    group them into entities, find key phrases, choose tags and write the summary. ``stored``: the archive's
    entities by key, as evidence where a name starts after a proclitic (:mod:`akhbar.analyze.mentions`); without it
    the shipped lists and the article alone decide."""
    found: list[ArticleEntity] = []
    if entities:
        text = analysis_text(article)
        spans = (tagger or NerTagger.default()).entities(text)
        spans = with_known_names(text, spans)
        mentions = clean_mentions([Mention(s.type, s.text, s.start, s.end) for s in spans], text, rules, stored)
        found = resolve_in_article(mentions, rules)
    phrases = key_phrases(article, names=[(m.start, m.end) for e in found for m in e.mentions])
    title_end = len(article.title)
    first_paragraph = next((b.text for b in article.body if b.type == "paragraph"), "")
    lead_start = article.text.find(first_paragraph) if first_paragraph else 0
    lead_end = title_end + 1 + max(lead_start, 0) + len(first_paragraph)
    dateline = (title_end + 1, title_end + 1 + dateline_end(article.text))
    tags = choose_tags(
        found,
        phrases,
        title_end=title_end,
        lead_end=lead_end,
        dateline=dateline,
        text_end=title_end + 1 + len(article.text),
        text=analysis_text(article),
    )
    return Analysis(entities=found, phrases=phrases, tags=tags, summary=summarize(article))
