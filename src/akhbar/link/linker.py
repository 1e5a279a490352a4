"""Linking, done as articles arrive: each newly stored text is fingerprinted and joined to the near-duplicate
group of the stored articles it copies, and placed in a story. Nothing is rebuilt: the cost per article is a few
indexed look-ups, whatever the size of the archive. Related lists are stored too, and a new article enters the
lists of the articles it is related to (:func:`akhbar.link.related.link_related`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from akhbar.link.duplicates import DedupConfig, Fingerprint, estimated_jaccard, fingerprint
from akhbar.link.related import STORED, RelatedConfig, close_earlier, link_related, ranked, same_event_reports
from akhbar.link.stories import ProfileCache, StoryConfig, place, rebuild
from akhbar.model import Article, Failure, internal_error
from akhbar.store.base import ArticleRef, Store


@dataclass(frozen=True, slots=True)
class LinkConfig:
    dedup: DedupConfig = field(default_factory=DedupConfig)
    stories: StoryConfig = field(default_factory=StoryConfig)
    related: RelatedConfig = field(default_factory=RelatedConfig)


class Linker:
    def __init__(self, store: Store, config: LinkConfig | None = None) -> None:
        self.store = store
        self.config = config or LinkConfig()
        self.profiles = ProfileCache()  # the text part of the profiles stories and read also compare

    def link_all(self, articles: list[Article]) -> list[Failure]:
        """Link stored articles whose text is new, oldest first (stories grow in time order). A bug while linking
        one article undoes that article's links only (it stays stored) and comes back as a Failure to record."""
        failures = []
        for article in sorted(articles, key=lambda a: (a.published_at is None, _sort_key(a))):
            try:
                with self.store.savepoint():
                    self.link(article)
            except Exception as error:
                failures.append(internal_error(article, "link", error, outcome="it is stored without links"))
        return failures

    def link(self, article: Article) -> None:
        """Link a stored article whose text is new (or changed): near-duplicates, its story, related lists."""
        self.profiles.forget(article.id)
        fp = fingerprint(article, self.config.dedup)
        matches = self.near_duplicates(article.id, fp)
        with self.store.transaction():
            self.store.put_fingerprint(article.id, fp.text_hash, fp.to_blob(), fp.bands)
            self.store.join_duplicates(article.id, matches)
            # Read also is ranked once: the story's evidence when no story is close enough, then the stored list.
            found = ranked(self.store, article.id, k=STORED, config=self.config.related, cache=self.profiles)
            place(self.store, article.id, self.config.stories, lambda a: self.story_evidence(a, found), self.profiles)
            link_related(self.store, article.id, self.config.related, self.profiles, found)

    def same_event(self, article_id: str) -> list[str]:
        """The ids of the stored article's other reports of its very event ("also reported by" in other words)."""
        return [ref.id for ref in same_event_reports(self.store, article_id, self.config.related)]

    def story_evidence(self, article_id: str, found: list[tuple[int, ArticleRef]] | None = None) -> list[str]:
        """The articles whose story an article joins when no story is close enough as a whole: its other reports of
        the very event, then its close earlier read-also picks (see :class:`StoryConfig`; ``found``: its ranked
        read-also list, when the caller has it)."""
        if found is None:
            found = ranked(self.store, article_id, k=STORED, config=self.config.related, cache=self.profiles)
        stories = self.config.stories
        earlier = close_earlier(self.store, article_id, stories.neighbour_likeness, stories.neighbour_days, found)
        return [*self.same_event(article_id), *earlier]

    def rebuild_stories(self) -> int:
        """Every stored article placed again in publication order, as :meth:`link` places one; returns how many
        stories."""
        return rebuild(self.store, self.config.stories, self.story_evidence, self.profiles)

    def near_duplicates(self, article_id: str, fp: Fingerprint) -> list[tuple[int, float]]:
        """Stored articles that are one report with this one: (rowid, estimated Jaccard)."""
        threshold = self.config.dedup.threshold
        matches = []
        for other, text_hash, blob in self.store.fingerprint_candidates(article_id, fp.text_hash, fp.bands):
            similarity = (
                1.0
                if text_hash == fp.text_hash
                else estimated_jaccard(fp.signature, Fingerprint.signature_from_blob(blob))
            )
            if similarity >= threshold:
                matches.append((other, similarity))
        return matches


def _sort_key(article: Article) -> str:
    when = article.published_at
    return when.replace(tzinfo=None).isoformat() if when is not None else ""
