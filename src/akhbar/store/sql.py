"""What the SQLite and PostgreSQL stores do the same way: one text of each query, the differences stated as data.

:class:`SQLStore` holds every method whose SQL both databases run as written: writes and transactions, entity
resolution and its running counts, reads of articles, entities, stories, related lists and near-duplicate groups,
and the link index. Its queries use ``?`` placeholders (SQLite's style); the PostgreSQL store turns them into
psycopg's ``%s``, the way peewee keeps one query layer over several dialects. What each backend states for itself
is small (the abstract methods below): how a statement runs (``_execute``, ``_execute_many``), a list of ids as a
parameter (``_any_of``: ``IN (?, …)`` or ``= ANY(array)``), rows written in bulk (``_insert``: executemany or one
``unnest``), how a writer's transaction begins (``BEGIN IMMEDIATE`` or an advisory lock) and how an article enters and
leaves the search index. Searching and ranking (FTS5's bm25 vs the same bm25 computed over postings), connection
setup and schema upgrades, and PostgreSQL's COPY bulk path stay in the backend modules.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from akhbar.analyze.annotate import Analysis
from akhbar.analyze.entities import ArticleEntity, Mention
from akhbar.analyze.entity_policy import (
    SHORT_FORM_TYPES,
    Candidate,
    EntityConfig,
    Owner,
    identity_key,
    join,
    lookup,
    majority_type,
    needs_word_shapes,
    owns,
    shown_name,
    surname_owner,
    word_forms,
    word_shapes,
)
from akhbar.arabic.normalize import dedup_text
from akhbar.model import Article, Failure
from akhbar.store.base import (
    ENTITY_TABLES,
    ArticleFilter,
    ArticleRef,
    EntityRecord,
    IndexedArticle,
    PutOutcome,
    SearchHit,
    Stats,
    StoryProfile,
    StoryRecord,
    StorySummary,
    TagRef,
    article_from_rows,
    entity_from_rows,
    merge_versions,
)
from akhbar.store.search import Query, make_snippet, parse_query

SCHEMA_VERSION = "5"
# Near-duplicate candidates compared per article, the most recent first. Templated pages (a site's boilerplate, a
# feed of near-identical bulletins) can put thousands of articles in one LSH bucket: comparing with all of them would
# make linking quadratic, and the most recent ones already tell which group the article belongs to.
MAX_CANDIDATES = 200
# bm25 column weights: a match in the title counts three times one in the body.
TITLE_WEIGHT, BODY_WEIGHT = 3.0, 1.0


# Tables written in bulk (SQLStore._insert): each column's name and its PostgreSQL type (for unnest).
_AUTO_TAG_COLUMNS = (
    ("article", "bigint"), ("position", "int"), ("kind", "text"), ("text", "text"), ("key", "text"),
    ("entity", "bigint"), ("score", "float8"),
)  # fmt: skip
_MENTION_COLUMNS = (
    ("article", "bigint"), ("entity", "bigint"), ("start", "int"), ('"end"', "int"), ("spelling", "text"),
    ("type", "text"),
)  # fmt: skip
_WORD_COLUMNS = (("word_key", "text"), ("entity", "bigint"), ("word_form", "text"))
_SPELLING_COLUMNS = (("entity", "bigint"), ("spelling", "text"), ("n", "bigint"))
_COUNT_COLUMNS = (("entity", "bigint"), ("articles", "bigint"), ("mentions", "bigint"))
_TYPE_COLUMNS = (("entity", "bigint"), ("type", "text"), ("n", "bigint"))


def article_values(article: Article, content_hash: str) -> tuple[Any, ...]:
    """The ``articles`` columns from url to content_hash, as stored."""
    return (
        article.url,
        article.outlet,
        article.attribution,
        article.title,
        article.published_at.isoformat() if article.published_at else None,
        article.published_at.date().isoformat() if article.published_at else None,
        article.author,
        article.lang,
        json.dumps(article.provenance.to_json(), ensure_ascii=False),
        content_hash,
    )


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def encode_signature(signature: tuple[str | None, ...]) -> str:
    return " ".join(form or "?" for form in signature)


def decode_signature(text: str) -> tuple[str | None, ...]:
    return tuple(None if form == "?" else form for form in text.split())


class SQLStore(ABC):
    """The archive's queries that read and write alike on both databases (see the module's docstring)."""

    entity_config: EntityConfig
    _depth: int  # how deep in nested transaction() blocks this connection is (0: none open)

    # --- the dialect: what each backend provides ------------------------------------------------------------------

    @abstractmethod
    def _execute(self, query: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement (``?`` placeholders); returns a cursor: ``fetchone``, ``fetchall``, iteration."""

    @abstractmethod
    def _execute_many(self, query: str, rows: Sequence[Sequence[Any]]) -> None: ...

    @abstractmethod
    def _any_of(self, ids: Sequence[Any], kind: str = "bigint") -> tuple[str, list[Any]]:
        """The dialect's list parameter: ``column <fragment>`` is true for any of ``ids``, with the fragment's
        parameters (SQLite: ``IN (?, ?, …)``, one per id; PostgreSQL: ``= ANY(?::bigint[])``, one array: one
        statement text for any number of ids)."""

    @abstractmethod
    def _insert(
        self, table: str, columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[Any]], conflict: str = ""
    ) -> None:
        """Insert rows (``columns``: each one's name and PostgreSQL type) with an ``ON CONFLICT`` clause, in as few
        statements as the database allows (SQLite: one prepared statement run per row; PostgreSQL: one statement
        over arrays)."""

    @abstractmethod
    def _begin(self) -> None:
        """Open the outermost transaction; a writer takes the write lock, waiting its turn (``writer_wait``)."""

    @abstractmethod
    def _rollback(self) -> None: ...

    # How a read-only transaction that sees one state of the archive begins (its first read takes the snapshot).
    SNAPSHOT_BEGIN: str

    @abstractmethod
    def _index(self, rowid: int, article: Article) -> None:
        """Add the article to the search index (FTS5 row; tsvector, postings and totals)."""

    @abstractmethod
    def _unindex(self, rowid: int) -> None:
        """Take the article out of the search index (before it is indexed again)."""

    @abstractmethod
    def size(self) -> int: ...

    @abstractmethod
    def _ranked(self, parsed: Query, limit: int, offset: int, where: ArticleFilter) -> list[Any]:
        """A page of the articles ``where`` keeps that match, best first: rows with rowid, id, title, outlet,
        published_at, summary and score (bm25, higher is better)."""

    # --- writes ---------------------------------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A unit of writes: nested ones join the outermost, which takes the write lock (writers take turns, see
        the backends' ``_begin``) and commits, or rolls back on any error."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._begin()
        self._depth = 1
        try:
            yield
        except BaseException:
            self._rollback()
            raise
        else:
            self._execute("COMMIT")
        finally:
            self._depth = 0

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads that all see the archive as it stood when the block began (see :class:`Transactions`). Inside a
        transaction its reads already see one state: the block joins it."""
        if self._depth:
            yield
            return
        self._execute(self.SNAPSHOT_BEGIN)
        self._depth = 1  # a transaction() inside joins this one (and may not write)
        try:
            self._execute("SELECT 1 FROM articles LIMIT 1").fetchall()  # the snapshot is taken now
            yield
        finally:
            self._depth = 0
            self._rollback()

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A nested unit of work inside the current transaction: on error only its own writes are undone. Outside a
        transaction it opens one (put() nests its own transaction inside it)."""
        if not self._depth:
            with self.transaction(), self.savepoint():
                yield
            return
        self._execute("SAVEPOINT unit")
        try:
            yield
        except BaseException:
            self._execute("ROLLBACK TO SAVEPOINT unit")
            self._execute("RELEASE SAVEPOINT unit")
            raise
        else:
            self._execute("RELEASE SAVEPOINT unit")

    def put(self, article: Article, *, seen_in_run: bool = False, analysis: Analysis | None = None) -> PutOutcome:
        incoming = article
        with self.transaction():
            row = self._execute("SELECT * FROM articles WHERE id = ?", (article.id,)).fetchone()
            stored = self._article(row) if row is not None and row["content_hash"] != article.content_hash() else None
            if stored is not None:
                article = merge_versions(stored, article, seen_in_run=seen_in_run)
            content_hash = article.content_hash()
            if row is not None and row["content_hash"] == content_hash:
                return PutOutcome.UNCHANGED
            # Mentions are offsets into the text: they go when the text changes, and are replaced when the analysis
            # of the incoming text is given; the same text with other tags keeps them.
            text_changed = stored is None or (stored.title, stored.body) != (article.title, article.body)
            keeps_incoming = (article.title, article.body) == (incoming.title, incoming.body)
            new_analysis = analysis is not None and keeps_incoming
            now = utc_now()
            values = article_values(article, content_hash)
            if row is None:
                rowid = int(
                    self._execute(
                        "INSERT INTO articles (url, outlet, attribution, title, published_at, published_day, author,"
                        " lang, provenance, content_hash, id, ingested_at, updated_at)"
                        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING rowid",
                        (*values, article.id, now, now),
                    ).fetchone()[0]
                )
                outcome = PutOutcome.NEW
            else:
                rowid = row["rowid"]
                self._execute(
                    "UPDATE articles SET url=?, outlet=?, attribution=?, title=?, published_at=?, published_day=?,"
                    " author=?, lang=?, provenance=?, content_hash=?, updated_at=? WHERE rowid=?",
                    (*values, now, rowid),
                )
                # What was derived from the text (mentions, tags chosen, summary) goes with it.
                derived = ("mentions", "auto_tags") if text_changed or new_analysis else ()
                if derived:
                    self._uncount_mentions(rowid)
                for table in ("blocks", "tags", "related", *derived):
                    self._execute(f"DELETE FROM {table} WHERE article = ?", (rowid,))
                if derived:
                    self._execute("UPDATE articles SET summary = NULL WHERE rowid = ?", (rowid,))
                self._unindex(rowid)
                outcome = PutOutcome.UPDATED
            self._write_parts(rowid, article)
            if analysis is not None and new_analysis:
                self._write_analysis(rowid, analysis)
            self._changed([rowid])
        return outcome

    def _write_parts(self, rowid: int, article: Article) -> None:
        self._execute_many(
            "INSERT INTO blocks VALUES (?,?,?,?)",
            [(rowid, i, block.type, block.text) for i, block in enumerate(article.body)],
        )
        self._execute_many(
            "INSERT INTO tags VALUES (?,?,?,?)",
            [(rowid, i, tag, dedup_text(tag)) for i, tag in enumerate(article.tags)],
        )
        self._execute_many(
            "INSERT INTO related VALUES (?,?,?,?)",
            [(rowid, i, ref.id, ref.title) for i, ref in enumerate(article.related)],
        )
        self._index(rowid, article)

    def quarantine(self, failure: Failure) -> None:
        now = utc_now()
        with self.transaction():
            self._execute(
                "INSERT INTO quarantine (source, position, reader, reason, excerpt, first_seen, last_seen)"
                " VALUES (?,?,?,?,?,?,?) ON CONFLICT (source, position, reason)"
                " DO UPDATE SET last_seen = excluded.last_seen, seen = quarantine.seen + 1",
                (failure.source, failure.position, failure.reader, failure.reason, failure.excerpt, now, now),
            )

    def clear_entities(self) -> None:
        """Forget every entity, mention and chosen tag (before :meth:`put_analyses` re-resolves them all)."""
        with self.transaction():
            for table in ENTITY_TABLES:
                self._execute(f"DELETE FROM {table}")

    def stored_hash(self, article_id: str) -> str | None:
        row = self._execute("SELECT content_hash FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row is not None else None

    # --- entities: resolution and running counts ------------------------------------------------------------------

    def put_analyses(self, items: Sequence[tuple[str, Analysis]]) -> None:
        """Write the analyses of stored articles (by id, in order), resolving their entities as ``put`` does."""
        with self.transaction():
            rowids = [self.rowid(article_id) for article_id, _ in items]
            for rowid in rowids:
                self._uncount_mentions(rowid)
                self._execute("DELETE FROM mentions WHERE article = ?", (rowid,))
                self._execute("DELETE FROM auto_tags WHERE article = ?", (rowid,))
            for rowid, (_, analysis) in zip(rowids, items, strict=True):
                self._execute("UPDATE articles SET summary = ? WHERE rowid = ?", (analysis.summary or None, rowid))
            self._write_analyses([(rowid, analysis) for rowid, (_, analysis) in zip(rowids, items, strict=True)])
            self._changed(rowids)

    def _write_analysis(self, rowid: int, analysis: Analysis) -> None:
        self._execute("UPDATE articles SET summary = ? WHERE rowid = ?", (analysis.summary or None, rowid))
        self._execute("DELETE FROM auto_tags WHERE article = ?", (rowid,))
        self._write_analyses([(rowid, analysis)])

    def _write_analyses(self, items: Sequence[tuple[int, Analysis]]) -> None:
        """The mentions and akhbar's tags of articles (their summaries are written with them), in order."""
        if not items:
            return
        entity_ids = self._write_mentions_many([(rowid, analysis.entities) for rowid, analysis in items])
        tags = [
            (
                rowid,
                i,
                tag.kind,
                tag.text,
                dedup_text(tag.text),
                ids.get(id(tag.entity)) if tag.entity else None,
                tag.score,
            )
            for (rowid, analysis), ids in zip(items, entity_ids, strict=True)
            for i, tag in enumerate(analysis.tags)
        ]
        self._insert("auto_tags", _AUTO_TAG_COLUMNS, tags)

    def _write_mentions_many(self, items: Sequence[tuple[int, Sequence[ArticleEntity]]]) -> list[dict[int, int]]:
        """Store the mentions of articles (rowid, entities), in order; returns, per article, the stored entity row
        of each article entity (by ``id()``).

        Entity by entity and article by article in order (:func:`akhbar.analyze.entity_policy.join` decides), in a
        few statements for all the articles: the candidate entities of every key are read at once (and kept current
        as these articles create or widen them: no one else writes meanwhile, the writer holds the lock), the
        mentions, name words and running counts are written at once (summed per entity and spelling)."""
        result: list[dict[int, int]] = []
        mentions: list[tuple[int, int, int, int, str, str]] = []
        words: dict[tuple[str, int, str], None] = {}
        spellings: Counter[tuple[int, str]] = Counter()
        per_entity: dict[int, list[int]] = {}  # entity -> [articles, mentions]
        types: Counter[tuple[int, str]] = Counter()  # (entity, type) -> mentions
        retyped: set[int] = set()
        # key -> [[rowid, signature, spellings, type, mentions, mentions per type]]
        known = self._stored_entities(list(dict.fromkeys(entity.key for _, entities in items for entity in entities)))
        for rowid, entities in items:
            ids: dict[int, int] = {}
            by_entity: dict[int, list[Mention]] = {}
            for entity in entities:
                entity_id = self._entity_row(entity, known.setdefault(entity.key, []))
                ids[id(entity)] = entity_id
                by_entity.setdefault(entity_id, []).extend(entity.mentions)
                mentions += [(rowid, entity_id, m.start, m.end, m.text, m.type) for m in entity.mentions]
                named = word_forms(entity.name)
                if entity.type in SHORT_FORM_TYPES and len(named) > 1:
                    words.update(dict.fromkeys((k, entity_id, encode_signature(form)) for k, form in named))
            touched = []
            for entity in entities:  # the article's spellings and mentions, for the candidates of the next articles
                for row in known[entity.key]:
                    if row[0] == ids[id(entity)]:
                        row[2].update(m.text for m in entity.mentions)
                        row[4] += len(entity.mentions)
                        row[5].update(m.type for m in entity.mentions)
                        types.update((row[0], m.type) for m in entity.mentions)
                        touched.append(row)
            for row in touched:  # typed as most of its mentions are, after each article
                if (best := majority_type(row[5], row[3])) != row[3]:
                    row[3] = best
                    retyped.add(row[0])
            # Running counts (of an article with mentions); two article entities can meet in one stored entity.
            if any(by_entity.values()):
                for entity_id, found in by_entity.items():
                    spellings.update(Counter((entity_id, m.text) for m in found))
                    counts = per_entity.setdefault(entity_id, [0, 0])
                    counts[0] += 1
                    counts[1] += len(found)
            result.append(ids)
        self._insert("mentions", _MENTION_COLUMNS, mentions, "ON CONFLICT DO NOTHING")
        self._insert("entity_words", _WORD_COLUMNS, list(words), "ON CONFLICT DO NOTHING")
        self._insert(
            "entity_spellings",
            _SPELLING_COLUMNS,
            [(entity, spelling, n) for (entity, spelling), n in spellings.items()],
            "ON CONFLICT (entity, spelling) DO UPDATE SET n = entity_spellings.n + excluded.n",
        )
        self._insert(
            "entity_counts",
            _COUNT_COLUMNS,
            [(entity, c[0], c[1]) for entity, c in per_entity.items()],
            "ON CONFLICT (entity) DO UPDATE SET articles = entity_counts.articles + excluded.articles,"
            " mentions = entity_counts.mentions + excluded.mentions",
        )
        self._insert(
            "entity_types",
            _TYPE_COLUMNS,
            [(entity, kind, n) for (entity, kind), n in types.items()],
            "ON CONFLICT (entity, type) DO UPDATE SET n = entity_types.n + excluded.n",
        )
        self._execute_many(
            "UPDATE entities SET type = ? WHERE rowid = ?",
            [(row[3], row[0]) for rows in known.values() for row in rows if row[0] in retyped],
        )
        return result

    def _entity_row(self, entity: ArticleEntity, candidates: list[list[Any]]) -> int:
        """The stored entity this article's entity joins (:func:`akhbar.analyze.entity_policy.join` decides), else a
        new one. ``candidates``: the stored entities of that key, oldest first, as [rowid, signature, spellings,
        type, mentions, mentions per type]; kept current as this batch writes (an article's spellings join the rows
        after the article)."""
        joined, signature = join(
            entity.name,
            entity.signature,
            [Candidate(c[0], c[1], tuple(sorted(c[2])), c[3], c[4]) for c in candidates],
            self.entity_config,
            kind=entity.type,
        )
        if joined is not None:
            row = next(c for c in candidates if c[0] == joined)
            if signature != row[1]:
                self._execute(
                    "UPDATE entities SET signature = ? WHERE rowid = ?", (encode_signature(signature), joined)
                )
                row[1] = signature
            return int(joined)
        new = int(
            self._execute(
                "INSERT INTO entities (type, key, signature) VALUES (?, ?, ?) RETURNING rowid",
                (entity.type, entity.key, encode_signature(entity.signature)),
            ).fetchone()[0]
        )
        candidates.append([new, tuple(entity.signature), set(), entity.type, 0, Counter()])
        return new

    def _stored_entities(self, keys: Sequence[str]) -> dict[str, list[list[Any]]]:
        """The stored entities of each key, oldest first, as [rowid, signature, spellings, type, mentions, mentions
        per type]."""
        known: dict[str, list[list[Any]]] = {}
        rows: list[Any] = []
        for start in range(0, len(keys), 500):
            any_of, params = self._any_of(keys[start : start + 500], "text")
            rows += self._execute(
                "SELECT e.rowid, e.key, e.type, e.signature, coalesce(c.mentions, 0) FROM entities e"
                f" LEFT JOIN entity_counts c ON c.entity = e.rowid WHERE e.key {any_of}",
                params,
            ).fetchall()
        rows.sort(key=lambda r: r[0])
        stored: dict[int, set[str]] = {}
        typed: dict[int, Counter[str]] = {}
        for start in range(0, len(rows), 500):
            any_of, params = self._any_of([r[0] for r in rows[start : start + 500]])
            for entity_id, spelling in self._execute(
                f"SELECT entity, spelling FROM entity_spellings WHERE entity {any_of}", params
            ):
                stored.setdefault(entity_id, set()).add(spelling)
            for entity_id, kind, n in self._execute(
                f"SELECT entity, type, n FROM entity_types WHERE entity {any_of}", params
            ):
                typed.setdefault(entity_id, Counter())[kind] = n
        for row in rows:
            signature, spellings, per_type = decode_signature(row[3]), stored.get(row[0], set()), typed.get(row[0])
            known.setdefault(row[1], []).append([row[0], signature, spellings, row[2], row[4], per_type or Counter()])
        return known

    def _uncount_mentions(self, rowid: int) -> None:
        """Take an article's mentions out of the running counts (before the mentions themselves go)."""
        spellings = self._execute(
            "SELECT entity, spelling, count(*) FROM mentions WHERE article = ? GROUP BY entity, spelling", (rowid,)
        ).fetchall()
        self._execute_many(
            "UPDATE entity_spellings SET n = n - ? WHERE entity = ? AND spelling = ?",
            [(n, entity, spelling) for entity, spelling, n in spellings],
        )
        per_entity: Counter[int] = Counter()
        for entity, _, n in spellings:
            per_entity[entity] += n
        self._execute_many(
            "UPDATE entity_counts SET articles = articles - 1, mentions = mentions - ? WHERE entity = ?",
            [(n, entity) for entity, n in per_entity.items()],
        )
        self._execute("DELETE FROM entity_spellings WHERE n <= 0")
        types = self._execute(
            "SELECT entity, type, count(*) FROM mentions WHERE article = ? AND type IS NOT NULL GROUP BY entity, type",
            (rowid,),
        ).fetchall()
        self._execute_many(
            "UPDATE entity_types SET n = n - ? WHERE entity = ? AND type = ?", [(n, e, t) for e, t, n in types]
        )
        self._execute("DELETE FROM entity_types WHERE n <= 0")
        self._retype({e for e, _, _ in types})

    def _retype(self, entity_ids: Iterable[int]) -> None:
        """Type the entities as most of their mentions are (:func:`akhbar.analyze.entity_policy.majority_type`)."""
        ids = sorted(set(entity_ids))
        if not ids:
            return
        any_of, params = self._any_of(ids)
        current = {r[0]: r[1] for r in self._execute(f"SELECT rowid, type FROM entities WHERE rowid {any_of}", params)}
        counts: dict[int, dict[str, int]] = {}
        for entity, kind, n in self._execute(f"SELECT entity, type, n FROM entity_types WHERE entity {any_of}", params):
            counts.setdefault(entity, {})[kind] = n
        changed = [
            (best, entity)
            for entity, kind in current.items()
            if (best := majority_type(counts.get(entity, {}), kind)) != kind
        ]
        self._execute_many("UPDATE entities SET type = ? WHERE rowid = ?", changed)

    def entity_candidates(self, keys: Sequence[str]) -> dict[str, list[Candidate]]:
        """The stored entities of each key, oldest first, as the entity policy weighs them."""
        return {
            key: [Candidate(r[0], r[1], tuple(sorted(r[2])), r[3], r[4]) for r in rows]
            for key, rows in self._stored_entities(keys).items()
        }

    # --- reading articles -----------------------------------------------------------------------------------------

    def get(self, article_id: str) -> Article | None:
        row = self._execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None and len(article_id) >= 6:
            rows = self._execute(
                "SELECT * FROM articles WHERE id >= ? AND id < ? ORDER BY id LIMIT 2",
                (article_id, article_id + "\uffff"),
            ).fetchall()
            row = rows[0] if len(rows) == 1 else None
        return self._article(row) if row is not None else None

    def _article(self, row: Any) -> Article:
        rowid = row["rowid"]
        blocks = self._execute("SELECT type, text FROM blocks WHERE article = ? ORDER BY position", (rowid,))
        tags = self._execute("SELECT tag FROM tags WHERE article = ? ORDER BY position", (rowid,))
        related = self._execute("SELECT target, title FROM related WHERE article = ? ORDER BY position", (rowid,))
        return article_from_rows(row, blocks, tags, related)

    def iter_articles(self) -> Iterator[Article]:
        for row in self._execute("SELECT * FROM articles ORDER BY rowid").fetchall():
            yield self._article(row)

    def list_articles(
        self, where: ArticleFilter = ArticleFilter(), *, limit: int = 20, offset: int = 0
    ) -> tuple[list[ArticleRef], int]:
        """Articles newest first (undated last; ties by arrival, newest first: a stable order for paging), those
        ``where`` keeps. Returns one page and the total."""
        condition, params = self._filter(where)
        total = self._execute(f"SELECT count(*) FROM articles a WHERE {condition}", params).fetchone()[0]
        rows = self._execute(
            f"SELECT a.id, a.title, a.outlet, a.published_at FROM articles a WHERE {condition}"
            " ORDER BY a.published_at IS NULL, a.published_at DESC, a.rowid DESC LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
        return [ArticleRef(r[0], r[1], r[2], r[3]) for r in rows], int(total)

    def _filter(self, where: ArticleFilter) -> tuple[str, list[Any]]:
        """``where`` as a condition on ``articles a``, with its parameters (``FALSE`` for an id no row can have)."""
        conditions, params = ["TRUE"], []  # type: tuple[list[str], list[Any]]
        if where.outlet:
            conditions.append("a.outlet = ?")
            params.append(where.outlet)
        if where.tag:
            key = dedup_text(where.tag)
            conditions.append(
                "(a.rowid IN (SELECT article FROM tags WHERE tag_key = ?)"
                " OR a.rowid IN (SELECT article FROM auto_tags WHERE key = ?))"
            )
            params += [key, key]
        if where.entity is not None:
            if not -(2**63) <= where.entity < 2**63:  # no such id (a database integer has 64 bits)
                return "FALSE", []
            any_of, ids = self._any_of([where.entity, *self.short_forms(where.entity)])
            conditions.append(f"a.rowid IN (SELECT article FROM mentions WHERE entity {any_of})")
            params += ids
        if where.since:
            conditions.append("a.published_day >= ?")
            params.append(where.since[:10])
        if where.until:
            conditions.append("a.published_day <= ?")
            params.append(where.until[:10])
        return " AND ".join(conditions), params

    def search(
        self,
        query: str,
        *,
        limit: int = 10,
        offset: int = 0,
        names: Mapping[str, Sequence[str]] | None = None,
        where: ArticleFilter = ArticleFilter(),
    ) -> list[SearchHit]:
        """Ranked hits (bm25, title boosted) with highlighted snippets, among the articles ``where`` keeps. Every
        term must match; if no article has them all, articles with any of them are ranked instead (the backend's
        ``_ranked``: FTS5, or the same bm25 over postings). The snippets read the blocks of the page's hits only."""
        parsed = parse_query(query, names)
        if not parsed:
            return []
        rows = self._ranked(parsed, max(1, min(limit, 1000)), offset, where)
        return self._hits(rows, parsed)

    def search_hits(self, scored: Sequence[tuple[int, float]], query: Query) -> list[SearchHit]:
        if not scored:
            return []
        any_of, ids = self._any_of([rowid for rowid, _ in scored])
        found = {
            row["rowid"]: row
            for row in self._execute(
                f"SELECT rowid, id, title, outlet, published_at, summary FROM articles WHERE rowid {any_of}", ids
            )
        }
        columns = ("rowid", "id", "title", "outlet", "published_at", "summary")
        rows = [
            {**{column: found[rowid][column] for column in columns}, "score": score}
            for rowid, score in scored
            if rowid in found
        ]
        return self._hits(rows, query)

    def _hits(self, rows: Sequence[Any], parsed: Query) -> list[SearchHit]:
        """Ranked rows (rowid, id, title, outlet, published_at, summary, score) as hits with snippets: the blocks of
        these rows only are read."""
        blocks: dict[int, list[str]] = {row["rowid"]: [] for row in rows}
        if blocks:
            any_of, ids = self._any_of(list(blocks))
            for article, text in self._execute(
                f"SELECT article, text FROM blocks WHERE article {any_of} ORDER BY article, position", ids
            ):
                blocks[article].append(text)
        hits = []
        for row in rows:
            texts = [row["title"], *blocks[row["rowid"]]]
            snippet, marks = make_snippet(texts[1:] or texts, parsed)
            hit = (row["id"], row["title"], row["outlet"], row["published_at"], row["score"], snippet, marks)
            hits.append(SearchHit(*hit, row["summary"]))
        return hits

    # --- the search index's feed (store.textindex) ---------------------------------------------------------------

    def _changed(self, rowids: Sequence[int]) -> None:
        """Log a write of these articles for the search index, in the writer's transaction."""
        self._insert("search_log", (("article", "bigint"),), [(rowid,) for rowid in rowids])

    def archive_id(self) -> str:
        return str(self._execute("SELECT value FROM meta WHERE key = 'archive_id'").fetchone()[0])

    def meta(self, key: str) -> str | None:
        row = self._execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self._execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def last_change(self) -> int:
        return int(self._execute("SELECT coalesce(max(seq), 0) FROM search_log").fetchone()[0])

    def changes(self, after: int, limit: int) -> list[tuple[int, int]]:
        rows = self._execute("SELECT seq, article FROM search_log WHERE seq > ? ORDER BY seq LIMIT ?", (after, limit))
        return [(int(r[0]), int(r[1])) for r in rows]

    def article_rowids(self, after: int, limit: int) -> list[int]:
        rows = self._execute("SELECT rowid FROM articles WHERE rowid > ? ORDER BY rowid LIMIT ?", (after, limit))
        return [int(r[0]) for r in rows]

    def indexed_articles(self, rowids: Sequence[int]) -> list[IndexedArticle]:
        if not rowids:
            return []
        any_of, ids = self._any_of(list(rowids))
        entities: dict[int, list[int]] = {rowid: [] for rowid in rowids}
        mentions = f"SELECT DISTINCT article, entity FROM mentions WHERE article {any_of}"
        for article, entity in self._execute(mentions, ids):
            entities[article].append(entity)
        tags: dict[int, dict[str, None]] = {rowid: {} for rowid in rowids}
        for article, key in self._execute(
            f"SELECT article, tag_key FROM tags WHERE article {any_of}"
            f" UNION ALL SELECT article, key FROM auto_tags WHERE article {any_of}",
            ids + ids,
        ):
            tags[article][key] = None
        rows = self._execute(
            "SELECT a.rowid, s.title, s.body, a.outlet, a.published_day FROM articles a"
            f" JOIN search s ON s.rowid = a.rowid WHERE a.rowid {any_of} ORDER BY a.rowid",
            ids,
        )
        return [
            IndexedArticle(
                rowid=r[0],
                title=r[1],
                body=r[2],
                outlet=r[3],
                day=int(r[4].replace("-", "")) if r[4] else None,
                entities=tuple(sorted(entities[r[0]])),
                tags=tuple(tags[r[0]]),
            )
            for r in rows
        ]

    def outlets(self) -> list[tuple[str, int]]:
        rows = self._execute(
            "SELECT outlet, count(*) AS n FROM articles WHERE outlet IS NOT NULL"
            " GROUP BY outlet ORDER BY n DESC, outlet"
        )
        return [(r[0], r[1]) for r in rows]

    def summary(self, article_id: str) -> str | None:
        row = self._execute("SELECT summary FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row is not None else None

    def auto_tags(self, article_id: str) -> list[TagRef]:
        """The tags akhbar chose for an article, best first; entity tags in the archive's display spelling."""
        rows = self._execute(
            "SELECT t.kind, t.text, t.entity, t.score FROM auto_tags t JOIN articles a ON a.rowid = t.article"
            " WHERE a.id = ? ORDER BY t.position",
            (article_id,),
        ).fetchall()
        tags: list[TagRef] = []
        shown: set[str] = set()
        for row in rows:
            entity, text = row["entity"], row["text"]
            if entity is not None:
                entity, text = self._canonical(entity, text)
            if dedup_text(text) in shown:  # two spellings that the archive knows as one entity: one tag
                continue
            shown.add(dedup_text(text))
            tags.append(TagRef(row["kind"], text, entity, row["score"]))
        return tags

    def stats(self) -> Stats:
        count = self._execute("SELECT count(*) FROM articles").fetchone()[0]
        failures = self._execute("SELECT count(*) FROM quarantine").fetchone()[0]
        per_outlet = self._execute(
            "SELECT coalesce(outlet, '(unknown)'), count(*) AS n FROM articles GROUP BY 1 ORDER BY n DESC, 1"
        ).fetchall()
        per_day = self._execute(
            "SELECT coalesce(published_day, '(unknown)'), count(*) FROM articles GROUP BY 1 ORDER BY 1"
        ).fetchall()
        reasons = self._execute(
            "SELECT reason, count(*) AS n FROM quarantine GROUP BY 1 ORDER BY n DESC, 1 LIMIT 20"
        ).fetchall()
        return Stats(
            articles=count,
            failures=failures,
            per_outlet=[(r[0], r[1]) for r in per_outlet],
            per_day=[(r[0], r[1]) for r in per_day],
            failures_per_reason=[(r[0], r[1]) for r in reasons],
        )

    def failures(self, *, limit: int = 100) -> list[Failure]:
        rows = self._execute(
            "SELECT source, position, reason, excerpt, reader FROM quarantine ORDER BY last_seen DESC, rowid LIMIT ?",
            (limit,),
        ).fetchall()
        return [Failure(r["source"], r["position"], r["reason"], r["excerpt"], r["reader"]) for r in rows]

    # --- reading entities -----------------------------------------------------------------------------------------

    def entity(self, ref: str) -> EntityRecord | None:
        if ref.isascii() and ref.isdigit():  # an id ('²' and '٣' are digits to Python, not ids)
            if len(ref) > 18:  # beyond 64-bit integers: no such row
                return None
            row = self._execute(
                "SELECT rowid, type, key, signature FROM entities WHERE rowid = ?", (int(ref),)
            ).fetchone()
            return self._entity(row) if row is not None else None
        rows = self._execute(
            "SELECT e.rowid, e.type, e.key, e.signature, count(*) AS mentions FROM entities e JOIN mentions m"
            " ON m.entity = e.rowid WHERE e.key = ? GROUP BY e.rowid ORDER BY mentions DESC, e.rowid",
            (identity_key(ref),),
        ).fetchall()
        candidates = self._candidates(rows)
        found = lookup(ref, candidates, self.entity_config)
        return self._entity(next(r for r in rows if r["rowid"] == found)) if found is not None else None

    def _entity(self, row: Any) -> EntityRecord:
        if row["type"] in SHORT_FORM_TYPES and (owner := self._person_owner(row["rowid"], row)) is not None:
            row = self._execute("SELECT rowid, type, key, signature FROM entities WHERE rowid = ?", (owner,)).fetchone()
        short_forms = self.short_forms(row["rowid"]) if row["type"] in SHORT_FORM_TYPES else []
        ids = [row["rowid"], *short_forms]
        any_of, params = self._any_of(ids)
        spellings = self._execute(
            f"SELECT spelling, CAST(sum(n) AS BIGINT) AS n FROM entity_spellings WHERE entity {any_of}"
            " GROUP BY spelling ORDER BY n DESC, spelling",
            params,
        ).fetchall()
        articles = self._execute(
            "SELECT a.id, a.title, a.published_at FROM articles a WHERE a.rowid IN"
            f" (SELECT m.article FROM mentions m WHERE m.entity {any_of})"
            " ORDER BY a.published_at IS NULL, a.published_at, a.rowid",
            params,
        ).fetchall()
        name = shown_name(
            [(r["spelling"], r["n"]) for r in spellings],
            full_name=row["type"] in SHORT_FORM_TYPES,
            config=self.entity_config,
        )
        return entity_from_rows(row, name, spellings, articles)

    def entities_in(self, article_id: str) -> list[tuple[int, str, str, int]]:
        """The entities an article names: (canonical entity id, display name, type, mentions here), most named
        first; a surname alone counts for the full name it stands for."""
        rows = self._execute(
            "SELECT m.entity, e.type, count(*) AS n FROM mentions m JOIN entities e ON e.rowid = m.entity"
            " JOIN articles a ON a.rowid = m.article WHERE a.id = ? GROUP BY m.entity, e.type"
            " ORDER BY n DESC, m.entity",
            (article_id,),
        ).fetchall()
        names: dict[int, str] = {}
        kinds: dict[int, str] = {}
        counts: Counter[int] = Counter()
        for entity, kind, n in rows:
            canonical, name = self._canonical(entity, "")
            names.setdefault(canonical, name)
            kinds.setdefault(canonical, kind)
            counts[canonical] += n
        return sorted(((e, names[e], kinds[e], n) for e, n in counts.items()), key=lambda t: (-t[3], t[0]))

    def entity_names(self, entity_ids: Sequence[int]) -> dict[int, str]:
        return {e: self._canonical(e, "")[1] for e in entity_ids}

    def spelling_counts(self, entity_ids: Sequence[int]) -> dict[int, dict[str, int]]:
        out: dict[int, dict[str, int]] = {e: {} for e in entity_ids}
        for start in range(0, len(entity_ids), 500):
            any_of, ids = self._any_of(entity_ids[start : start + 500])
            for entity, spelling, n in self._execute(
                f"SELECT entity, spelling, n FROM entity_spellings WHERE entity {any_of}", ids
            ):
                out[entity][spelling] = n
        return out

    def word_owners(self, word_key: str) -> list[Owner]:
        """Multi-word names (people, organizations) that have this word, with their mentions, the word's signature
        there and their type."""
        owners = self._word_owners_unshaped(word_key)
        shapes = self._word_shapes(word_key, owners, [o.id for o in owners])
        return [replace(o, word_shapes=shapes.get(o.id, ())) for o in owners]

    def _word_owners_unshaped(self, word_key: str, condition: str = "TRUE", params: Sequence[Any] = ()) -> list[Owner]:
        """:meth:`word_owners` without their word shapes, those ``condition`` keeps (on the owner's entity row ``e``
        and its counts ``c``)."""
        rows = self._execute(
            "SELECT DISTINCT w.entity, coalesce(c.mentions, 0) AS n, w.word_form, e.type FROM entity_words w"
            " JOIN entities e ON e.rowid = w.entity LEFT JOIN entity_counts c ON c.entity = w.entity"
            f" WHERE w.word_key = ? AND {condition}",
            (word_key, *params),
        ).fetchall()
        return [Owner(r[0], r[1], decode_signature(r[2]), r[3]) for r in rows]

    def _owners_that_decide(self, word_key: str, kind: str, mentions: int, candidate: int, own: int) -> list[Owner]:
        """The owners :func:`~akhbar.analyze.entity_policy.owns` weighs when asked whether ``candidate`` (``own``
        mentions) owns a word of this type and ``mentions``: of the type, mentioned often enough, and the candidate
        or its rivals (mentioned as often, or within ``dominance`` of it). A first name such as محمد has thousands of
        owners; a handful decide."""
        share, dominance = self.entity_config.owner_share, self.entity_config.dominance
        n = "coalesce(c.mentions, 0)"
        return self._word_owners_unshaped(
            word_key,
            f"e.type = ? AND {n} * ? >= ? AND (w.entity = ? OR {n} >= ? OR {n} * ? > ? OR ? > ?)",
            (kind, share, mentions, candidate, own, dominance, own, dominance, own),
        )

    def _word_shapes(self, word_key: str, owners: Sequence[Owner], ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
        """The word's shapes in the spellings of these owners, for those whose type compares shapes."""
        types = {o.id: o.type for o in owners}
        shaped = sorted({i for i in ids if needs_word_shapes(word_key, types.get(i, ""), self.entity_config)})
        if not shaped:
            return {}
        any_of, params = self._any_of(shaped)
        spellings = self._execute(f"SELECT entity, spelling FROM entity_spellings WHERE entity {any_of}", params)
        return word_shapes(word_key, [(r[0], r[1]) for r in spellings])

    def _person_owner(self, entity_id: int, row: Any) -> int | None:
        """The full name (of its type) a single-word entity stands for (``بوتين`` → ``فلاديمير بوتين``; the policy
        decides from its mentions and most frequent spelling); ``row``: its key, signature and type."""
        mentions, spelling = self._own_mentions(entity_id)
        return surname_owner(
            decode_signature(row["signature"]),
            self.word_owners(row["key"]),
            self.entity_config,
            kind=row["type"],
            mentions=mentions,
            spelling=spelling,
        )

    def _own_mentions(self, entity_id: int) -> tuple[int, str | None]:
        """An entity's mentions and its most frequent spelling."""
        row = self._execute(
            "SELECT c.mentions, (SELECT spelling FROM entity_spellings WHERE entity = c.entity"
            " ORDER BY n DESC, spelling LIMIT 1) FROM entity_counts c WHERE c.entity = ?",
            (entity_id,),
        ).fetchone()
        return (row[0], row[1]) if row is not None else (0, None)

    def short_forms(self, entity_id: int) -> list[int]:
        """Single-word entities (of this type) that stand for this full name (see :meth:`_person_owner`), each weighed
        against only the names that can decide it (a first name such as حسن has hundreds)."""
        rows = self._execute(
            "SELECT DISTINCT e.rowid, e.key, e.signature, e.type FROM entity_words w"
            " JOIN entities o ON o.rowid = w.entity"
            " JOIN entities e ON e.type = o.type AND e.key = w.word_key WHERE w.entity = ? ORDER BY e.rowid",
            (entity_id,),
        ).fetchall()
        own = self._own_mentions(entity_id)[0]
        return [r[0] for r in rows if self._stands_for(r, entity_id, own)]

    def _stands_for(self, row: Any, entity_id: int, own: int) -> bool:
        """Whether the single-word entity ``row`` (rowid, key, signature, type) stands for ``entity_id`` (``own``
        mentions): :meth:`_person_owner`'s answer, reading the spellings of only the names that can decide it."""
        mentions, spelling = self._own_mentions(row["rowid"])
        owners = self._owners_that_decide(row["key"], row["type"], mentions, entity_id, own)
        return owns(
            entity_id,
            decode_signature(row["signature"]),
            owners,
            lambda ids: self._word_shapes(row["key"], owners, ids),
            self.entity_config,
            kind=row["type"],
            mentions=mentions,
            spelling=spelling,
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

    def _candidates(self, rows: Sequence[Any]) -> list[Candidate]:
        """Stored entities (rows with rowid, signature, type, mentions) as the policy weighs them."""
        spellings: dict[int, list[str]] = {}
        if rows:
            any_of, ids = self._any_of([r["rowid"] for r in rows])
            for entity_id, spelling in self._execute(
                f"SELECT entity, spelling FROM entity_spellings WHERE entity {any_of} ORDER BY spelling", ids
            ):
                spellings.setdefault(entity_id, []).append(spelling)
        return [
            Candidate(
                r["rowid"],
                decode_signature(r["signature"]),
                tuple(spellings.get(r["rowid"], ())),
                r["type"],
                r["mentions"],
            )
            for r in rows
        ]

    # --- the link index (link.related, link.stories) --------------------------------------------------------------

    def rowid(self, article_id: str) -> int:
        """The internal row number of an article (KeyError when it is not stored)."""
        row = self._execute("SELECT rowid FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise KeyError(article_id)
        return int(row[0])

    def refs(self, rowids: Sequence[int]) -> dict[int, ArticleRef]:
        """Short references of articles by rowid."""
        if not rowids:
            return {}
        any_of, ids = self._any_of(rowids)
        rows = self._execute(f"SELECT rowid, id, title, outlet, published_at FROM articles WHERE rowid {any_of}", ids)
        return {r[0]: ArticleRef(r[1], r[2], r[3], r[4]) for r in rows}

    def indexed_terms(self, article_id: str) -> tuple[list[str], list[str]]:
        """The search-layer terms of an article's title and body, as indexed."""
        row = self._execute(
            "SELECT s.title, s.body FROM search s JOIN articles a ON a.rowid = s.rowid WHERE a.id = ?", (article_id,)
        ).fetchone()
        return (row[0].split(), row[1].split()) if row is not None else ([], [])

    def article_entities(self, article_id: str) -> list[tuple[int, int, int, bool]]:
        """The entities an article mentions: (entity rowid, mentions here, articles mentioning it anywhere, whether
        it is one of the article's tags), by entity rowid."""
        rows = self._execute(
            "SELECT m.entity, count(*),"
            " coalesce((SELECT c.articles FROM entity_counts c WHERE c.entity = m.entity), 0),"
            " EXISTS (SELECT 1 FROM auto_tags t WHERE t.article = m.article AND t.entity = m.entity)"
            " FROM mentions m JOIN articles a ON a.rowid = m.article WHERE a.id = ? GROUP BY m.article, m.entity"
            " ORDER BY m.entity",
            (article_id,),
        ).fetchall()
        return [(r[0], r[1], r[2], bool(r[3])) for r in rows]

    def shared_entities(self, article_id: str, rowids: Sequence[int]) -> dict[int, set[int]]:
        """For each of the articles ``rowids``, the entities it shares with the article."""
        if not rowids:
            return {}
        any_of, ids = self._any_of(rowids)
        rows = self._execute(
            f"SELECT DISTINCT m.article, m.entity FROM mentions m WHERE m.article {any_of} AND m.entity IN"
            " (SELECT x.entity FROM mentions x JOIN articles a ON a.rowid = x.article WHERE a.id = ?)",
            [*ids, article_id],
        ).fetchall()
        out: dict[int, set[int]] = {r: set() for r in rowids}
        for rowid, entity in rows:
            out[rowid].add(entity)
        return out

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

    def group_members(self, article_id: str) -> set[int]:
        """Rowids of the article and of its near-duplicates."""
        rowid = self.rowid(article_id)
        rows = self._execute(
            "SELECT d.article FROM duplicates me JOIN duplicates d ON d.group_head = me.group_head"
            " WHERE me.article = ?",
            (rowid,),
        ).fetchall()
        return {rowid, *(r[0] for r in rows)}

    def phrase_tags(self, rowids: Sequence[int]) -> dict[int, set[str]]:
        """Key-phrase tags of articles (dedup-layer text), by rowid."""
        if not rowids:
            return {}
        any_of, ids = self._any_of(rowids)
        out: dict[int, set[str]] = {r: set() for r in rowids}
        for rowid, text in self._execute(
            f"SELECT article, text FROM auto_tags WHERE kind = 'phrase' AND article {any_of}", ids
        ):
            out[rowid].add(text)
        return out

    def tag_keys(self, rowids: Sequence[int]) -> dict[int, set[int | str]]:
        if not rowids:
            return {}
        any_of, ids = self._any_of(rowids)
        out: dict[int, set[int | str]] = {r: set() for r in rowids}
        rows = self._execute(f"SELECT article, entity, key FROM auto_tags WHERE article {any_of}", ids)
        for rowid, entity, key in rows:
            out[rowid].add(entity if entity is not None else key)
        return out

    # --- stories (link.stories) -----------------------------------------------------------------------------------

    def story_of(self, article_id: str) -> int | None:
        row = self._execute(
            "SELECT sm.story FROM story_members sm JOIN articles a ON a.rowid = sm.article WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        return int(row[0]) if row is not None else None

    def stories_of(self, rowids: Sequence[int]) -> dict[int, int]:
        """The story of each of these articles that has one (article rowid → story id)."""
        if not rowids:
            return {}
        any_of, ids = self._any_of(rowids)
        rows = self._execute(f"SELECT article, story FROM story_members WHERE article {any_of}", ids)
        return {r[0]: r[1] for r in rows}

    def stories_mentioning(
        self, entity_ids: Sequence[int], since: str | None, until: str | None, *, limit: int = 30
    ) -> set[int]:
        """The stories whose articles published in [since, until] mention the most of the entities (at most
        ``limit``: each candidate costs a profile comparison)."""
        if not entity_ids:
            return set()
        any_of, ids = self._any_of(entity_ids)
        sql = (
            "SELECT sm.story, count(DISTINCT m.entity) AS shared FROM mentions m"
            " JOIN story_members sm ON sm.article = m.article JOIN articles a ON a.rowid = m.article"
            f" WHERE m.entity {any_of}"
        )
        params: list[object] = list(ids)
        if since and until:
            sql += " AND a.published_at BETWEEN ? AND ?"
            params += [since, until]
        sql += " GROUP BY sm.story ORDER BY shared DESC, sm.story DESC LIMIT ?"
        return {r[0] for r in self._execute(sql, [*params, limit])}

    def story_profiles(self, story_ids: Sequence[int]) -> list[StoryProfile]:
        if not story_ids:
            return []
        any_of, ids = self._any_of(story_ids)
        rows = self._execute(
            f"SELECT rowid, first_seen, last_seen, size, terms, entities FROM stories WHERE rowid {any_of}"
            " ORDER BY rowid",
            ids,
        ).fetchall()
        return [
            StoryProfile(
                r[0],
                r[1],
                r[2],
                r[3],
                json.loads(r[4]),
                {int(k): v for k, v in json.loads(r[5]).items()},
            )
            for r in rows
        ]

    def save_story(self, story: StoryProfile, article_id: str, similarity: float) -> int:
        """Create (``story.id`` 0) or update a story's profile and make the article a member (it must have left any
        story it was in: :meth:`leave_story`); returns the id."""
        rowid = self.rowid(article_id)
        values = (
            story.first_seen,
            story.last_seen,
            story.size,
            json.dumps(story.terms, ensure_ascii=False),
            json.dumps({str(k): v for k, v in story.entities.items()}),
        )
        with self.transaction():
            if story.id:
                self._execute(
                    "UPDATE stories SET first_seen=?, last_seen=?, size=?, terms=?, entities=? WHERE rowid=?",
                    (*values, story.id),
                )
                story_id = story.id
            else:
                story_id = int(
                    self._execute(
                        "INSERT INTO stories (first_seen, last_seen, size, terms, entities) VALUES (?,?,?,?,?)"
                        " RETURNING rowid",
                        values,
                    ).fetchone()[0]
                )
            self._execute("INSERT INTO story_members VALUES (?, ?, ?)", (rowid, story_id, similarity))
        return story_id

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

    def clear_stories(self) -> None:
        with self.transaction():
            self._execute("DELETE FROM story_members")
            self._execute("DELETE FROM stories")

    def ids_in_time_order(self) -> list[str]:
        return [
            r[0] for r in self._execute("SELECT id FROM articles ORDER BY published_at IS NULL, published_at, rowid")
        ]

    def stories(self, *, since: str | None = None, limit: int = 50, offset: int = 0) -> list[StorySummary]:
        """Stories, the most recently active first (optionally only those active since a date)."""
        sql = "SELECT rowid, first_seen, last_seen, size FROM stories"
        params: list[object] = []
        if since:
            sql += " WHERE last_seen >= ?"
            params.append(since)
        sql += " ORDER BY last_seen IS NULL, last_seen DESC, size DESC, rowid LIMIT ? OFFSET ?"
        rows = self._execute(sql, [*params, limit, offset]).fetchall()
        return [self._story_summary(r[0], r[1], r[2], r[3]) for r in rows]

    def story(self, story_id: int) -> StoryRecord | None:
        if not -(2**63) <= story_id < 2**63:  # no such id (a database integer has 64 bits)
            return None
        row = self._execute(
            "SELECT rowid, first_seen, last_seen, size FROM stories WHERE rowid = ?", (story_id,)
        ).fetchone()
        if row is None:
            return None
        summary = self._story_summary(row[0], row[1], row[2], row[3])
        articles = self._execute(
            "SELECT a.id, a.title, a.outlet, a.published_at, sm.similarity FROM story_members sm"
            " JOIN articles a ON a.rowid = sm.article WHERE sm.story = ?"
            " ORDER BY a.published_at IS NULL, a.published_at, a.rowid",
            (story_id,),
        ).fetchall()
        entities = self._execute(
            "SELECT m.entity, count(DISTINCT m.article) AS n FROM story_members sm JOIN mentions m"
            " ON m.article = sm.article WHERE sm.story = ? GROUP BY m.entity ORDER BY n DESC, m.entity LIMIT 12",
            (story_id,),
        ).fetchall()
        names = self.entity_names([e[0] for e in entities])
        return StoryRecord(
            summary,
            [ArticleRef(r[0], r[1], r[2], r[3], r[4]) for r in articles],
            [(e[0], names[e[0]], e[1]) for e in entities if names[e[0]]],
        )

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

    # --- stored related lists (link.related) ----------------------------------------------------------------------

    def put_related(self, rowid: int, refs: Sequence[tuple[int, float, str]], *, ranked: bool = False) -> None:
        """Replace an article's related list: (other rowid, score, reason), best first. ``ranked``: the list was
        just ranked against the whole archive (its size is noted, see :meth:`ranked_at`)."""
        with self.transaction():
            if ranked:
                self._execute(
                    "INSERT INTO related_ranked VALUES (?, ?) ON CONFLICT (article) DO UPDATE SET size = excluded.size",
                    (rowid, self.size()),
                )
            self._execute("DELETE FROM related_links WHERE article = ?", (rowid,))
            self._execute_many(
                "INSERT INTO related_links VALUES (?, ?, ?, ?, ?)",
                [(rowid, i, other, score, reason) for i, (other, score, reason) in enumerate(refs)],
            )

    def ranked_at(self, rowid: int) -> int:
        """The archive size when the article's list was last ranked in full (0: never)."""
        row = self._execute("SELECT size FROM related_ranked WHERE article = ?", (rowid,)).fetchone()
        return int(row[0]) if row is not None else 0

    def related_list(self, rowid: int) -> list[tuple[int, float, str]]:
        rows = self._execute(
            "SELECT other, score, reason FROM related_links WHERE article = ? ORDER BY position", (rowid,)
        )
        return [(r[0], r[1], r[2]) for r in rows]

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

    # --- near-duplicates (link.duplicates) ------------------------------------------------------------------------

    def put_fingerprint(self, article_id: str, text_hash: str, signature: bytes, bands: Sequence[int]) -> None:
        """Store (or replace) an article's fingerprint; it leaves its near-duplicate group until linked again."""
        rowid = self.rowid(article_id)
        with self.transaction():
            self._leave_group(rowid)
            self._execute("DELETE FROM lsh_buckets WHERE article = ?", (rowid,))
            self._execute(
                "INSERT INTO fingerprints VALUES (?, ?, ?) ON CONFLICT (article) DO UPDATE"
                " SET text_hash = excluded.text_hash, signature = excluded.signature",
                (rowid, text_hash, signature),
            )
            self._execute_many(
                "INSERT INTO lsh_buckets VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [(band, key, rowid) for band, key in enumerate(bands)],
            )

    def join_duplicates_of(self, article_id: str, matches: Sequence[tuple[str, float]]) -> None:
        self.join_duplicates(article_id, [(self.rowid(other), similarity) for other, similarity in matches])

    def join_duplicates(self, article_id: str, matches: Sequence[tuple[int, float]]) -> None:
        """Make the article one report with the matched articles (rowid, similarity) and their groups.

        The usual case - a new article copying members of one group - writes one row. Only merging groups, or an
        article earlier than its group's head, re-points members (each group headed by its earliest article)."""
        if not matches:
            return
        rowid = self.rowid(article_id)
        similarity = dict(matches)
        with self.transaction():
            others = [other for other, _ in matches]
            any_of, ids = self._any_of(others)
            grouped = {
                r[0]: r[1]
                for r in self._execute(f"SELECT article, group_head FROM duplicates WHERE article {any_of}", ids)
            }
            heads = set(grouped.values())
            loose = [other for other in others if other not in grouped]  # matched articles in no group yet
            for member in [rowid, *loose]:
                self._execute(
                    "INSERT INTO duplicates VALUES (?, ?, ?) ON CONFLICT (article) DO UPDATE SET similarity = ?",
                    (member, member, similarity.get(member, max(similarity.values())), similarity.get(member, 1.0)),
                )
            if len(heads) == 1 and not self._earlier_than([rowid, *loose], next(iter(heads))):
                head = next(iter(heads))
                any_of, ids = self._any_of([rowid, *loose])
                self._execute(f"UPDATE duplicates SET group_head = ? WHERE article {any_of}", [head, *ids])
                return
            members = {rowid, *loose, *heads}
            for head in heads:
                members.update(
                    r[0] for r in self._execute("SELECT article FROM duplicates WHERE group_head = ?", (head,))
                )
            self._set_head(sorted(members))

    def _earlier_than(self, rowids: Sequence[int], head: int) -> bool:
        """Whether one of the articles was published before the group head (so it must head the group)."""
        any_of, ids = self._any_of([*rowids, head])
        row = self._execute(
            f"SELECT rowid FROM articles WHERE rowid {any_of}"
            " ORDER BY published_at IS NULL, published_at, rowid LIMIT 1",
            ids,
        ).fetchone()
        return bool(row is not None and row[0] != head)

    def _set_head(self, members: Sequence[int]) -> int:
        """Point every member at the earliest published one (undated last, then the first stored)."""
        any_of, ids = self._any_of(members)
        head = self._execute(
            f"SELECT rowid FROM articles WHERE rowid {any_of}"
            " ORDER BY published_at IS NULL, published_at, rowid LIMIT 1",
            ids,
        ).fetchone()[0]
        self._execute(f"UPDATE duplicates SET group_head = ? WHERE article {any_of}", [head, *ids])
        self._execute("UPDATE duplicates SET similarity = 1.0 WHERE article = ?", (head,))
        return int(head)

    def _leave_group(self, rowid: int) -> None:
        row = self._execute("SELECT group_head FROM duplicates WHERE article = ?", (rowid,)).fetchone()
        if row is None:
            return
        self._execute("DELETE FROM duplicates WHERE article = ?", (rowid,))
        rest = [r[0] for r in self._execute("SELECT article FROM duplicates WHERE group_head = ?", (row[0],))]
        if len(rest) == 1:  # a group of one is no group
            self._execute("DELETE FROM duplicates WHERE article = ?", (rest[0],))
        elif rest and row[0] == rowid:
            self._set_head(rest)

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
