"""What every store offers (SQLite, PostgreSQL) and the values it returns."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from akhbar.arabic.normalize import dedup_text
from akhbar.model import Article, Block, Failure, Provenance, RelatedRef

if TYPE_CHECKING:
    from akhbar.analyze.annotate import Analysis
    from akhbar.analyze.entity_policy import Candidate, Owner
    from akhbar.store.search import Query


def is_postgres(db: str | Path) -> bool:
    """Whether ``db`` names a PostgreSQL database: a ``postgresql://`` or ``postgres://`` URL (also as
    ``pathlib.Path`` leaves it, with one slash: the CLI's ``--db`` option is a Path)."""
    return str(db).startswith(("postgresql:/", "postgres:/"))


def db_label(db: str | Path) -> str:
    """``db`` as messages may show it: a PostgreSQL URL without its password."""
    text = str(db)
    if not is_postgres(text):
        return text
    parts = urlsplit(text)
    if parts.password is None:
        return text
    netloc = f"{parts.username}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


# What a store holds of entities, in the order they can be emptied (mentions before the entities they point at):
# everything ``clear_entities`` forgets and ``put_analyses`` writes again.
ENTITY_TABLES = (
    "mentions",
    "entity_words",
    "entity_spellings",
    "entity_counts",
    "entity_types",
    "auto_tags",
    "entities",
)


class StoreError(Exception):
    """A database akhbar cannot use as it is (another schema version, not an akhbar database)."""


class StoreBusy(StoreError):
    """Another process held the archive's write lock for longer than this writer was willing to wait."""


class PutOutcome(StrEnum):
    """What storing an article did. Re-ingesting the same input is always ``unchanged``."""

    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Which articles a list or a search keeps (every field optional; all given must hold): the outlet, a tag (the
    page's or akhbar's, any spelling), an entity id (with its short forms: a surname alone), publication days from
    ``since`` to ``until`` (``YYYY-MM-DD``, inclusive; undated articles fall outside a day range)."""

    outlet: str | None = None
    tag: str | None = None
    entity: int | None = None
    since: str | None = None
    until: str | None = None

    def __bool__(self) -> bool:
        return any(v is not None and v != "" for v in (self.outlet, self.tag, self.entity, self.since, self.until))


@dataclass(frozen=True, slots=True)
class IndexedArticle:
    """What the search index holds of an article (:mod:`akhbar.store.textindex`): its search-layer title and text as
    the store indexed them, and the fields a search filters on (publication day as ``YYYYMMDD``, entity ids, the dedup
    keys of its page tags and akhbar's tags)."""

    rowid: int
    title: str
    body: str
    outlet: str | None
    day: int | None
    entities: tuple[int, ...]
    tags: tuple[str, ...]


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


def article_from_rows(row: Any, blocks: Iterable[Any], tags: Iterable[Any], related: Iterable[Any]) -> Article:
    """An article from its stored rows (both backends store the same columns): the ``articles`` row, then its
    ``blocks`` (type, text), ``tags`` (tag) and ``related`` (target, title) rows in position order."""
    prov = json.loads(row["provenance"])
    return Article(
        id=row["id"],
        url=row["url"],
        outlet=row["outlet"],
        attribution=row["attribution"],
        title=row["title"],
        published_at=datetime.fromisoformat(row["published_at"]) if row["published_at"] else None,
        author=row["author"],
        body=[Block(b["type"], b["text"]) for b in blocks],
        tags=[t["tag"] for t in tags],
        related=[RelatedRef(r["target"], r["title"]) for r in related],
        lang=row["lang"],
        provenance=Provenance(prov["source"], prov["reader"], prov.get("offset"), prov.get("record")),
    )


def entity_from_rows(row: Any, name: str | None, spellings: Sequence[Any], articles: Sequence[Any]) -> EntityRecord:
    """An entity record from its ``entities`` row, display ``name``, (spelling, n) rows most used first, and the
    (id, title, published_at) rows of its articles, oldest first."""
    dates = [a["published_at"] for a in articles if a["published_at"]]
    return EntityRecord(
        id=row["rowid"],
        type=row["type"],
        key=row["key"],
        name=name or row["key"],
        spellings=[(r["spelling"], r["n"]) for r in spellings],
        article_count=len(articles),
        first_seen=dates[0] if dates else None,
        last_seen=dates[-1] if dates else None,
        articles=[(a["id"], a["title"], a["published_at"]) for a in articles],
    )


# The store's roles. Each part of akhbar depends on the roles it uses (linking on the link index, stories and
# related lists; the archive on all of them); :class:`Store` is all of them, what both backends offer with the same
# semantics (one test suite runs on both, see :mod:`akhbar.store.sql`); :func:`akhbar.store.open_store` picks one.
# Articles have an internal row number (``rowid``) that link data refers to; it never leaves the store's callers in
# :mod:`akhbar.link`.


class Transactions(Protocol):
    def transaction(self) -> AbstractContextManager[None]:
        """Group writes: all of them land or none (an interrupted ingest leaves the store as it was before).
        Nested calls join the outermost transaction."""
        ...

    def savepoint(self) -> AbstractContextManager[None]:
        """A nested unit of work inside the current transaction: on error only its own writes are undone."""
        ...

    def snapshot(self) -> AbstractContextManager[None]:
        """Reads that all see the archive as it stood when the block began, whatever other writers commit
        meanwhile (a worker of a parallel ingest analyzes a batch against what the batches before it stored)."""
        ...


class ArticleStore(Transactions, Protocol):
    """Articles, their analyses, entities, quarantined input and search: what the archive reads and writes."""

    def put(self, article: Article, *, seen_in_run: bool = False, analysis: Analysis | None = None) -> PutOutcome:
        """Store an article with its analysis (entities, tags, summary of its text); an id already stored is merged
        (see :func:`merge_versions`)."""
        ...

    def put_many(self, items: Iterable[tuple[Article, Analysis | None]]) -> list[PutOutcome]:
        """Store many articles in one transaction: the same outcomes and state as :meth:`put` on each in turn."""
        ...

    def quarantine(self, failure: Failure) -> None: ...

    def clear_entities(self) -> None:
        """Forget every entity, mention and chosen tag (before re-resolving them all: ``akhbar reindex``)."""
        ...

    def meta(self, key: str) -> str | None:
        """A value the archive keeps about itself (such as which analysis its entities come from), or None."""
        ...

    def set_meta(self, key: str, value: str) -> None: ...

    def put_analyses(self, items: Sequence[tuple[str, Analysis]]) -> None:
        """Write the analyses of stored articles (by id, in order), resolving their entities as ``put`` does."""
        ...

    def stored_hash(self, article_id: str) -> str | None:
        """The content hash of the stored version of an article, or None when it is not stored."""
        ...

    def get(self, article_id: str) -> Article | None:
        """An article by id, or by a unique id prefix of at least 6 characters."""
        ...

    def iter_articles(self) -> Iterator[Article]: ...

    def list_articles(
        self, where: ArticleFilter = ArticleFilter(), *, limit: int = 20, offset: int = 0
    ) -> tuple[list[ArticleRef], int]:
        """Articles newest first, filtered; one page and the total."""
        ...

    def outlets(self) -> list[tuple[str, int]]: ...

    def search(
        self,
        query: str,
        *,
        limit: int = 10,
        offset: int = 0,
        names: Mapping[str, Sequence[str]] | None = None,
        where: ArticleFilter = ArticleFilter(),
    ) -> list[SearchHit]:
        """Ranked hits for a query (:func:`akhbar.store.search.parse_query`) among the articles ``where`` keeps;
        ``names``: Arabic names of the query with the other spellings of the entity each names."""
        ...

    def match_count(self, query: str, *, cap: int) -> int:
        """How many articles have every word of the query as typed (no other spellings), counting up to ``cap``."""
        ...

    def summary(self, article_id: str) -> str | None: ...

    def auto_tags(self, article_id: str) -> list[TagRef]: ...

    def entity(self, ref: str) -> EntityRecord | None:
        """An entity by id, or by any spelling of its name (the one with most mentions when types differ)."""
        ...

    def entity_candidates(self, keys: Sequence[str]) -> dict[str, list[Candidate]]:
        """The stored entities of each key, oldest first, as the entity policy weighs them (what the archive knows
        of names, for :func:`akhbar.analyze.entity_policy.stored_mentions`)."""
        ...

    def spelling_counts(self, entity_ids: Sequence[int]) -> dict[int, dict[str, int]]:
        """Each entity's spellings with their mentions (for the spellings a search expands a name into)."""
        ...

    def word_owners(self, word_key: str) -> list[Owner]:
        """Multi-word person names that have a word of this entity key, with their mentions and the word's
        signature there (for :func:`akhbar.analyze.entity_policy.surname_owner`)."""
        ...

    def entities_in(self, article_id: str) -> list[tuple[int, str, str, int]]: ...

    def stats(self) -> Stats: ...

    def failures(self, *, limit: int = 100) -> list[Failure]: ...

    def refresh_statistics(self) -> None:
        """Update the planner's statistics after a bulk load (a load changes the tables' sizes by orders)."""
        ...

    def close(self) -> None: ...


class LinkIndex(Protocol):
    """What linking reads to find an article's neighbours (:mod:`akhbar.link.related`, :mod:`akhbar.link.stories`)."""

    def size(self) -> int:
        """About how many articles are stored (instant)."""
        ...

    def rowid(self, article_id: str) -> int:
        """The internal row number of an article (KeyError when it is not stored)."""
        ...

    def indexed_terms(self, article_id: str) -> tuple[list[str], list[str]]: ...

    def lexical_neighbours(
        self, article_id: str, terms: Sequence[str], *, limit: int, titles_only: bool = False
    ) -> list[tuple[int, float]]: ...

    def article_entities(self, article_id: str) -> list[tuple[int, int, int, bool]]: ...

    def entity_neighbours(
        self, article_id: str, weights: dict[int, float], *, limit: int
    ) -> list[tuple[int, float, list[int]]]: ...

    def shared_entities(self, article_id: str, rowids: Sequence[int]) -> dict[int, set[int]]: ...

    def spellings_in(self, article_id: str) -> dict[int, str]: ...

    def refs(self, rowids: Sequence[int]) -> dict[int, ArticleRef]: ...

    def group_members(self, article_id: str) -> set[int]: ...

    def entity_names(self, entity_ids: Sequence[int]) -> dict[int, str]: ...

    def phrase_tags(self, rowids: Sequence[int]) -> dict[int, set[str]]: ...

    def tag_keys(self, rowids: Sequence[int]) -> dict[int, set[int | str]]:
        """Every tag of these articles as one comparable value: an entity tag by its entity id, a key phrase by its
        dedup-layer key (by rowid; an article without tags has an empty set)."""
        ...


class StoryStore(Protocol):
    """Stories: their profiles and members (:mod:`akhbar.link.stories`) and what readers see of them."""

    def story_of(self, article_id: str) -> int | None: ...

    def stories_of(self, rowids: Sequence[int]) -> dict[int, int]: ...

    def stories_mentioning(
        self, entity_ids: Sequence[int], since: str | None, until: str | None, *, limit: int = 30
    ) -> set[int]: ...

    def story_profiles(self, story_ids: Sequence[int]) -> list[StoryProfile]: ...

    def save_story(self, story: StoryProfile, article_id: str, similarity: float) -> int: ...

    def leave_story(self, article_id: str) -> None: ...

    def clear_stories(self) -> None: ...

    def ids_in_time_order(self) -> list[str]: ...

    def stories(self, *, since: str | None = None, limit: int = 50, offset: int = 0) -> list[StorySummary]: ...

    def story(self, story_id: int) -> StoryRecord | None: ...


class RelatedLists(Protocol):
    """Ranked related lists, stored so that a view reads them (:mod:`akhbar.link.related`)."""

    def put_related(self, rowid: int, refs: Sequence[tuple[int, float, str]], *, ranked: bool = False) -> None: ...

    def ranked_at(self, rowid: int) -> int: ...

    def related_list(self, rowid: int) -> list[tuple[int, float, str]]: ...

    def stored_related(self, article_id: str, k: int) -> list[ArticleRef]: ...


class DuplicateStore(Transactions, Protocol):
    """Fingerprints and near-duplicate groups (:mod:`akhbar.link.duplicates`)."""

    def fingerprint_candidates(
        self, article_id: str, text_hash: str, bands: Sequence[int]
    ) -> list[tuple[int, str, bytes]]: ...

    def put_fingerprint(self, article_id: str, text_hash: str, signature: bytes, bands: Sequence[int]) -> None: ...

    def put_fingerprints(self, items: Sequence[tuple[str, str, bytes, Sequence[int]]]) -> None: ...

    def join_duplicates(self, article_id: str, matches: Sequence[tuple[int, float]]) -> None: ...

    def join_duplicates_of(self, article_id: str, matches: Sequence[tuple[str, float]]) -> None:
        """:meth:`join_duplicates` with the matched articles named by id (a bulk run's pairs come that way)."""
        ...

    def duplicates_of(self, article_id: str) -> list[ArticleRef]: ...

    def duplicate_groups(self, *, limit: int = 100, offset: int = 0) -> list[list[ArticleRef]]: ...


class SearchFeed(Protocol):
    """What the search index reads to stay in step with the store: every write of an article's text, tags or
    entities appends its row id to a change log (in the write's own transaction), numbered in commit order."""

    def archive_id(self) -> str:
        """A random id made with the archive: an index built from another archive (or a restored copy) is told apart."""
        ...

    def last_change(self) -> int:
        """The number of the latest change committed (0: none yet)."""
        ...

    def size(self) -> int:
        """How many articles are stored."""
        ...

    def changes(self, after: int, limit: int) -> list[tuple[int, int]]:
        """Changes numbered after ``after``, in order: (number, article row id), at most ``limit``."""
        ...

    def article_rowids(self, after: int, limit: int) -> list[int]:
        """Row ids of stored articles above ``after``, ascending, at most ``limit`` (a full rebuild's pages)."""
        ...

    def indexed_articles(self, rowids: Sequence[int]) -> list[IndexedArticle]:
        """What the search index holds of these articles (those still stored)."""
        ...

    def short_forms(self, entity_id: int) -> list[int]:
        """Entities that are a short form of this one (a surname alone): an entity filter keeps them too."""
        ...

    def search_hits(self, scored: Sequence[tuple[int, float]], query: Query) -> list[SearchHit]:
        """Hits for ranked (row id, score) pairs, in that order, with snippets highlighting ``query``'s terms."""
        ...


class RelatedIndex(LinkIndex, RelatedLists, Protocol):
    """What ranking related articles uses."""


class StoryIndex(LinkIndex, StoryStore, Transactions, Protocol):
    """What clustering stories uses."""


class Store(ArticleStore, LinkIndex, StoryStore, RelatedLists, DuplicateStore, SearchFeed, Protocol):
    """Persistence of articles, entities, quarantined input, link data and search: every role above."""
