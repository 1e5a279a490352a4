"""What every store offers (SQLite now, PostgreSQL later) and the values it returns."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from akhbar.model import Article, Failure


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

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "outlet": self.outlet,
            "published_at": self.published_at,
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "highlights": [list(span) for span in self.highlights],
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


class Store(Protocol):
    """Persistence of articles and quarantined input. Knows nothing about linking."""

    def transaction(self) -> AbstractContextManager[None]:
        """Group writes: all of them land or none (an interrupted ingest leaves the store as it was before)."""
        ...

    def put(self, article: Article) -> PutOutcome: ...

    def quarantine(self, failure: Failure) -> None: ...

    def get(self, article_id: str) -> Article | None:
        """An article by id, or by a unique id prefix of at least 6 characters."""
        ...

    def search(self, query: str, *, limit: int = 10, offset: int = 0) -> list[SearchHit]: ...

    def stats(self) -> Stats: ...

    def failures(self, *, limit: int = 100) -> list[Failure]: ...

    def iter_articles(self) -> Iterator[Article]: ...

    def close(self) -> None: ...
