"""What the SQLite and PostgreSQL stores do the same way: one text of each query, the differences stated as data.

:class:`SQLStore` holds every method whose SQL both databases run as written. Its queries use ``?`` placeholders
(SQLite's style): the PostgreSQL store turns them into psycopg's ``%s`` (see :func:`akhbar.store.postgres`), the
way peewee keeps one query layer over several dialects. What stays in the backend modules is what really differs:
connection setup and schema upgrades, writer locking, the search index (FTS5 vs tsvector and postings) and its
ranking, bulk paths (COPY), and entity resolution written for round trips on a server.

A subclass provides :meth:`SQLStore._execute` and :meth:`SQLStore._execute_many` over its connection (rows read by
position or by column name, as ``Any``), ``transaction()``, ``size()`` and the entity-writing internals
the shared methods call.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

from akhbar.analyze.entity_policy import (
    SHORT_FORM_TYPES,
    EntityConfig,
    Owner,
    shown_name,
    surname_owner,
)
from akhbar.model import Article, Failure
from akhbar.store.base import (
    ENTITY_TABLES,
    ArticleRef,
    StorySummary,
    article_from_rows,
)

SCHEMA_VERSION = "4"
# Near-duplicate candidates compared per article, the most recent first. Templated pages (a site's boilerplate, a
# feed of near-identical bulletins) can put thousands of articles in one LSH bucket: comparing with all of them would
# make linking quadratic, and the most recent ones already tell which group the article belongs to.
MAX_CANDIDATES = 200
# bm25 column weights: a match in the title counts three times one in the body.
TITLE_WEIGHT, BODY_WEIGHT = 3.0, 1.0


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def encode_signature(signature: tuple[str | None, ...]) -> str:
    return " ".join(form or "?" for form in signature)


def decode_signature(text: str) -> tuple[str | None, ...]:
    return tuple(None if form == "?" else form for form in text.split())


class SQLStore(ABC):
    """The archive's queries that read and write alike on both databases (see the module's docstring)."""

    entity_config: EntityConfig

    @abstractmethod
    def _execute(self, query: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement (``?`` placeholders); returns a cursor: ``fetchone``, ``fetchall``, iteration."""

    @abstractmethod
    def _execute_many(self, query: str, rows: Sequence[Sequence[Any]]) -> None: ...

    @abstractmethod
    def transaction(self) -> AbstractContextManager[None]:
        """A unit of writes: nested ones join the outermost, which commits (see the backends)."""

    @abstractmethod
    def word_owners(self, word_key: str) -> list[Owner]: ...

    def summary(self, article_id: str) -> str | None:
        row = self._execute("SELECT summary FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row is not None else None

    def story_of(self, article_id: str) -> int | None:
        row = self._execute(
            "SELECT sm.story FROM story_members sm JOIN articles a ON a.rowid = sm.article WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        return int(row[0]) if row is not None else None

    def stored_related(self, article_id: str, k: int) -> list[ArticleRef]:
        """The stored related list, best first, near-duplicates of the article left out (whether it is current is
        for the caller to judge: :meth:`ranked_at`)."""
        rowid = self.rowid(article_id)
        excluded = self.group_members(article_id)
        rows = self._execute(
            "SELECT r.other, r.score, r.reason, a.id, a.title, a.outlet, a.published_at FROM related_links r"
            " JOIN articles a ON a.rowid = r.other WHERE r.article = ? ORDER BY r.position",
            (rowid,),
        ).fetchall()
        out = [ArticleRef(r[3], r[4], r[5], r[6], r[1], r[2]) for r in rows if r[0] not in excluded]
        return out[:k]

    def stored_hash(self, article_id: str) -> str | None:
        row = self._execute("SELECT content_hash FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row is not None else None

    def spellings_in(self, article_id: str) -> dict[int, str]:
        """How an article writes each entity it mentions (its longest spelling)."""
        rows = self._execute(
            "SELECT m.entity, m.spelling FROM mentions m JOIN articles a ON a.rowid = m.article WHERE a.id = ?"
            " ORDER BY m.start",
            (article_id,),
        ).fetchall()
        out: dict[int, str] = {}
        for entity, spelling in rows:
            if len(spelling) > len(out.get(entity, "")):
                out[entity] = spelling
        return out

    def rowid(self, article_id: str) -> int:
        """The internal row number of an article (KeyError when it is not stored)."""
        row = self._execute("SELECT rowid FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise KeyError(article_id)
        return int(row[0])

    def related_list(self, rowid: int) -> list[tuple[int, float, str]]:
        rows = self._execute(
            "SELECT other, score, reason FROM related_links WHERE article = ? ORDER BY position", (rowid,)
        )
        return [(r[0], r[1], r[2]) for r in rows]

    def ranked_at(self, rowid: int) -> int:
        """The archive size when the article's list was last ranked in full (0: never)."""
        row = self._execute("SELECT size FROM related_ranked WHERE article = ?", (rowid,)).fetchone()
        return int(row[0]) if row is not None else 0

    def outlets(self) -> list[tuple[str, int]]:
        rows = self._execute(
            "SELECT outlet, count(*) AS n FROM articles WHERE outlet IS NOT NULL"
            " GROUP BY outlet ORDER BY n DESC, outlet"
        )
        return [(r[0], r[1]) for r in rows]

    def leave_story(self, article_id: str) -> None:
        """Take an article out of its story (its text changed); a story left empty goes. The profile keeps what
        the article added until the story is rebuilt: a small drift, not worth a rebuild per edit."""
        row = self._execute(
            "SELECT sm.article, sm.story FROM story_members sm JOIN articles a ON a.rowid = sm.article WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            return
        self._execute("DELETE FROM story_members WHERE article = ?", (row[0],))
        self._execute("UPDATE stories SET size = size - 1 WHERE rowid = ?", (row[1],))
        self._execute("DELETE FROM stories WHERE rowid = ? AND size <= 0", (row[1],))

    def iter_articles(self) -> Iterator[Article]:
        for row in self._execute("SELECT * FROM articles ORDER BY rowid").fetchall():
            yield self._article(row)

    def indexed_terms(self, article_id: str) -> tuple[list[str], list[str]]:
        """The search-layer terms of an article's title and body, as indexed."""
        row = self._execute(
            "SELECT s.title, s.body FROM search s JOIN articles a ON a.rowid = s.rowid WHERE a.id = ?", (article_id,)
        ).fetchone()
        return (row[0].split(), row[1].split()) if row is not None else ([], [])

    def group_members(self, article_id: str) -> set[int]:
        """Rowids of the article and of its near-duplicates."""
        rowid = self.rowid(article_id)
        rows = self._execute(
            "SELECT d.article FROM duplicates me JOIN duplicates d ON d.group_head = me.group_head"
            " WHERE me.article = ?",
            (rowid,),
        ).fetchall()
        return {rowid, *(r[0] for r in rows)}

    def failures(self, *, limit: int = 100) -> list[Failure]:
        rows = self._execute(
            "SELECT source, position, reason, excerpt, reader FROM quarantine ORDER BY last_seen DESC, rowid LIMIT ?",
            (limit,),
        ).fetchall()
        return [Failure(r["source"], r["position"], r["reason"], r["excerpt"], r["reader"]) for r in rows]

    def entity_names(self, entity_ids: Sequence[int]) -> dict[int, str]:
        return {e: self._canonical(e, "")[1] for e in entity_ids}

    def duplicates_of(self, article_id: str) -> list[ArticleRef]:
        """The other articles of the article's near-duplicate group ("also reported by"), earliest first."""
        rows = self._execute(
            "SELECT a.id, a.title, a.outlet, a.published_at, d.similarity FROM duplicates me"
            " JOIN duplicates d ON d.group_head = me.group_head JOIN articles a ON a.rowid = d.article"
            " JOIN articles self ON self.rowid = me.article"
            " WHERE self.id = ? AND a.id != self.id ORDER BY a.published_at IS NULL, a.published_at, a.rowid",
            (article_id,),
        ).fetchall()
        return [ArticleRef(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    def duplicate_groups(self, *, limit: int = 100, offset: int = 0) -> list[list[ArticleRef]]:
        """Near-duplicate groups, largest first: each a list whose first article is the primary."""
        heads = self._execute(
            "SELECT group_head, count(*) AS n FROM duplicates GROUP BY group_head ORDER BY n DESC, group_head"
            " LIMIT ? OFFSET ?",
            (limit, offset),
        ).fetchall()
        groups = []
        for head, _ in heads:
            rows = self._execute(
                "SELECT a.id, a.title, a.outlet, a.published_at, d.similarity FROM duplicates d"
                " JOIN articles a ON a.rowid = d.article WHERE d.group_head = ?"
                " ORDER BY d.article != ?, a.published_at IS NULL, a.published_at, a.rowid",
                (head, head),
            ).fetchall()
            groups.append([ArticleRef(r[0], r[1], r[2], r[3], r[4]) for r in rows])
        return groups

    def clear_stories(self) -> None:
        with self.transaction():
            self._execute("DELETE FROM story_members")
            self._execute("DELETE FROM stories")

    def clear_entities(self) -> None:
        """Forget every entity, mention and chosen tag (before :meth:`put_analyses` re-resolves them all)."""
        with self.transaction():
            for table in ENTITY_TABLES:
                self._execute(f"DELETE FROM {table}")

    def _story_summary(self, story_id: int, first: str | None, last: str | None, size: int) -> StorySummary:
        head = self._execute(
            "SELECT a.id, a.title FROM story_members sm JOIN articles a ON a.rowid = sm.article WHERE sm.story = ?"
            " ORDER BY sm.similarity DESC, a.published_at IS NULL, a.published_at, a.rowid LIMIT 1",
            (story_id,),
        ).fetchone()
        outlets = [
            r[0]
            for r in self._execute(
                "SELECT DISTINCT a.outlet FROM story_members sm JOIN articles a ON a.rowid = sm.article"
                " WHERE sm.story = ? AND a.outlet IS NOT NULL ORDER BY a.outlet",
                (story_id,),
            )
        ]
        return StorySummary(story_id, head[1] if head else "", head[0] if head else "", first, last, size, outlets)

    def _short_forms(self, entity_id: int) -> list[int]:
        """Single-word entities (of this type) that stand for this full name (see :meth:`_person_owner`)."""
        rows = self._execute(
            "SELECT DISTINCT e.rowid, e.key, e.signature, e.type FROM entity_words w"
            " JOIN entities o ON o.rowid = w.entity"
            " JOIN entities e ON e.type = o.type AND e.key = w.word_key WHERE w.entity = ? ORDER BY e.rowid",
            (entity_id,),
        ).fetchall()
        return [r[0] for r in rows if self._person_owner(r[0], r) == entity_id]

    def _person_owner(self, entity_id: int, row: Any) -> int | None:
        """The full name (of its type) a single-word entity stands for (``بوتين`` → ``فلاديمير بوتين``; the policy
        decides from its mentions and most frequent spelling); ``row``: its key, signature and type."""
        own = self._execute(
            "SELECT c.mentions, (SELECT spelling FROM entity_spellings WHERE entity = c.entity"
            " ORDER BY n DESC, spelling LIMIT 1) FROM entity_counts c WHERE c.entity = ?",
            (entity_id,),
        ).fetchone()
        return surname_owner(
            decode_signature(row["signature"]),
            self.word_owners(row["key"]),
            self.entity_config,
            kind=row["type"],
            mentions=own[0] if own is not None else 0,
            spelling=own[1] if own is not None else None,
        )

    def _canonical(self, entity_id: int, fallback: str) -> tuple[int, str]:
        """The entity a stored entity stands for (a surname alone: the full name) and its display spelling."""
        row = self._execute("SELECT type, key, signature FROM entities WHERE rowid = ?", (entity_id,)).fetchone()
        if row is not None and row["type"] in SHORT_FORM_TYPES:
            entity_id = self._person_owner(entity_id, row) or entity_id
        spellings = self._execute(
            "SELECT spelling, n FROM entity_spellings WHERE entity = ? ORDER BY n DESC, spelling LIMIT 20",
            (entity_id,),
        ).fetchall()
        full = row is not None and row["type"] in SHORT_FORM_TYPES
        return entity_id, shown_name(
            [(r["spelling"], r["n"]) for r in spellings], full_name=full, config=self.entity_config
        ) or fallback

    def _article(self, row: Any) -> Article:
        rowid = row["rowid"]
        blocks = self._execute("SELECT type, text FROM blocks WHERE article = ? ORDER BY position", (rowid,))
        tags = self._execute("SELECT tag FROM tags WHERE article = ? ORDER BY position", (rowid,))
        related = self._execute("SELECT target, title FROM related WHERE article = ? ORDER BY position", (rowid,))
        return article_from_rows(row, blocks, tags, related)
