"""What every store offers (SQLite now, PostgreSQL later) and the values it returns."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from akhbar.analyze.entities import ArticleEntity
from akhbar.arabic.normalize import dedup_text
from akhbar.model import Article, Failure


class StoreError(Exception):
    """A database akhbar cannot use as it is (another schema version, not an akhbar database)."""


class PutOutcome(StrEnum):
    """What storing an article did. Re-ingesting the same input is always ``unchanged``."""

    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: str
    title: str
    outlet: str | None
    published_at: str | None
    score: float
    snippet: str
    highlights: list[tuple[int, int]]  # character spans of matched words inside ``snippet``
    summary: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "outlet": self.outlet,
            "published_at": self.published_at,
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "highlights": [list(span) for span in self.highlights],
            "summary": self.summary,
        }


@dataclass(frozen=True, slots=True)
class TagRef:
    """A semantic tag of a stored article: an entity (shown in the archive's display spelling) or a key phrase."""

    kind: str  # entity | phrase
    text: str
    entity: int | None
    score: float

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "entity": self.entity, "score": round(self.score, 3)}


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """A short reference to a stored article, as lists of related articles, duplicates and stories show it."""

    id: str
    title: str
    outlet: str | None
    published_at: str | None
    score: float = 0.0  # similarity, relevance: what the list ranks by
    reason: str = ""  # why it is listed (related articles)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "outlet": self.outlet,
            "published_at": self.published_at,
            "score": round(self.score, 4),
        }
        if self.reason:
            out["reason"] = self.reason
        return out


@dataclass(slots=True)
class StoryProfile:
    """What a story keeps to compare new articles with (see :mod:`akhbar.link.stories`). ``id`` 0: not stored yet."""

    id: int
    first_seen: str | None
    last_seen: str | None
    size: int
    terms: dict[str, float]
    entities: dict[int, float]


@dataclass(frozen=True, slots=True)
class StorySummary:
    id: int
    title: str  # the title of its most central article
    lead_id: str  # that article's id
    first_seen: str | None
    last_seen: str | None
    size: int
    outlets: list[str]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "lead_article": self.lead_id,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "size": self.size,
            "outlets": self.outlets,
        }


@dataclass(frozen=True, slots=True)
class StoryRecord:
    """A story with its articles in time order (its timeline) and the entities it is about."""

    summary: StorySummary
    articles: list[ArticleRef]
    entities: list[tuple[int, str, int]]  # (entity id, display name, articles mentioning it)

    def to_json(self) -> dict[str, Any]:
        return {
            **self.summary.to_json(),
            "articles": [a.to_json() for a in self.articles],
            "entities": [{"id": e, "name": n, "articles": c} for e, n, c in self.entities],
        }


@dataclass(frozen=True, slots=True)
class Stats:
    articles: int
    failures: int
    per_outlet: list[tuple[str, int]]
    per_day: list[tuple[str, int]]
    failures_per_reason: list[tuple[str, int]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "failures": self.failures,
            "per_outlet": dict(self.per_outlet),
            "per_day": dict(self.per_day),
            "failures_per_reason": dict(self.failures_per_reason),
        }


def merge_versions(stored: Article, incoming: Article, *, seen_in_run: bool) -> Article:
    """The version to keep when an article id that is already stored arrives again.

    Tags are merged (stored first): corpora file one article under several sections, and each filing brings its
    own tag. The content of ``incoming`` replaces the stored one — it is an update — unless it was published earlier,
    or, when the id was already stored during this same run (one input holding two versions), unless it was
    published later. So re-running an ingest over the same input always ends in the same state: unchanged.
    """
    newer = _published_later(incoming.published_at, stored.published_at)
    keep_incoming = newer is True if seen_in_run else newer is not False
    base = incoming if keep_incoming else stored
    tags = list(stored.tags)
    known = {dedup_text(tag) for tag in tags}
    for tag in incoming.tags:
        if (key := dedup_text(tag)) not in known:
            known.add(key)
            tags.append(tag)
    return replace(base, tags=tags)


def _published_later(a: datetime | None, b: datetime | None) -> bool | None:
    """True/False when ``a`` is later/earlier than ``b``; None when they are equal or cannot be compared."""
    if a is None or b is None:
        return None
    if (a.tzinfo is None) != (b.tzinfo is None):  # one zone unknown: compare the wall-clock times
        a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)
    return None if a == b else a > b


@dataclass(frozen=True, slots=True)
class EntityRecord:
    """A canonical entity as the store knows it: all its spellings, and the articles that mention it over time."""

    id: int
    type: str
    key: str
    name: str  # the most frequent spelling
    spellings: list[tuple[str, int]]
    article_count: int
    first_seen: str | None
    last_seen: str | None
    articles: list[tuple[str, str, str | None]]  # (id, title, published_at), oldest first
    romanization: str | None = None  # Latin spelling (Pyongyang, Kim Jong Un), filled in by the archive

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "key": self.key,
            "name": self.name,
            "romanization": self.romanization,
            "spellings": dict(self.spellings),
            "article_count": self.article_count,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "articles": [{"id": a, "title": t, "published_at": p} for a, t, p in self.articles],
        }


class Store(Protocol):
    """Persistence of articles, entities and quarantined input, and search: what every backend offers. The link
    data (fingerprints, duplicate groups, stories, related lists) is kept by :class:`SQLiteStore` methods that
    :mod:`akhbar.link` calls directly; another backend has to offer those too."""

    def transaction(self) -> AbstractContextManager[None]:
        """Group writes: all of them land or none (an interrupted ingest leaves the store as it was before)."""
        ...

    def put(
        self, article: Article, *, seen_in_run: bool = False, entities: Sequence[ArticleEntity] | None = None
    ) -> PutOutcome:
        """Store an article and its entities; an id already stored is merged (see :func:`merge_versions`)."""
        ...

    def entities_by_key(self, keys: Sequence[str]) -> list[EntityRecord]:
        """Entities whose key is one of ``keys``, most mentioned first."""
        ...

    def stored_hash(self, article_id: str) -> str | None:
        """The content hash of the stored version of an article, or None when it is not stored."""
        ...

    def entity(self, ref: str) -> EntityRecord | None:
        """An entity by id, or by any spelling of its name (the one with most mentions when types differ)."""
        ...

    def quarantine(self, failure: Failure) -> None: ...

    def get(self, article_id: str) -> Article | None:
        """An article by id, or by a unique id prefix of at least 6 characters."""
        ...

    def search(self, query: str, *, limit: int = 10, offset: int = 0) -> list[SearchHit]: ...

    def stats(self) -> Stats: ...

    def failures(self, *, limit: int = 100) -> list[Failure]: ...

    def iter_articles(self) -> Iterator[Article]: ...

    def close(self) -> None: ...
