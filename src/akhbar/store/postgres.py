"""PostgreSQL store: the tables, answers and semantics of :class:`akhbar.store.sqlite.SQLiteStore`, on a server.

Every public method answers exactly as the SQLite store does (the test suite runs on both). What had to be designed
rather than translated:

* Transactions. ``transaction()`` nests by depth like the SQLite store (the outermost one commits), and takes a
  transaction-scoped advisory lock (one per schema) when it begins: writers are serialized, as SQLite's
  ``BEGIN IMMEDIATE`` serializes them, so the read-then-write steps of ``put`` (merging versions, resolving entities,
  running counts) never race another writer. Readers never wait.
* Order. Text columns compared or sorted are ``COLLATE "C"`` (byte order, as SQLite compares), and every ``ORDER BY``
  on a nullable column says where NULLs go (SQLite: first ascending, last descending).
* Search. The index holds the same search-layer terms as the FTS5 table (``akhbar.arabic.normalize.search_text``,
  never re-analyzed): the ``search`` table keeps the title and body terms as text, and a ``tsvector`` the store
  writes itself, lexeme by lexeme (no text search configuration or parser is ever used, so PostgreSQL neither
  stems, folds nor re-tokenizes; the effect of ``simple`` without its parser), title positions with weight A and body
  positions with weight B after a one-position gap (no phrase spans the two), in a GIN index. Queries are tsqueries
  from :meth:`akhbar.store.search.Query.tsquery`: the same groups, phrases (``<->``) and any-group fallback as the FTS5
  expression; a title-only query matches weight A.
* Ranking is FTS5's bm25, computed, not approximated by ``ts_rank``: for each query phrase, its weighted frequency in
  the row (each title occurrence counts TITLE_WEIGHT, each body one BODY_WEIGHT), its idf
  log((N - n + 0.5) / (n + 0.5)) (at least 1e-6) with n the rows matching the phrase, the row's length and the
  average length. Single words are read from ``postings`` (term, article, title and body frequency, row length; the
  frequencies are included in the primary key's index, so a term's postings are an index-only range): exact counts,
  and ranking is a join. A query of single words is answered from postings alone (a row matches a group when it
  has a posting of one of the group's words), without reading any text; a query with a phrase of several words
  matches through the GIN index and counts its phrases in the indexed text (``akhbar_phrase_freq``) of the matching
  rows. Articles are joined only for the rows that can be on the page (those scoring at least the page's last score,
  ties included), then ordered in full. n is counted at query time from postings (an index range) or, for a phrase,
  with the GIN index: exact and never stale, where a stored document-frequency table would be a hot row per common
  word under every write (measured: counting is ~13% of search time at 30,000 articles, under 1 ms at the median).
  N and the total length are kept in ``search_stats`` by every write of the index. Same formula,
  constants, order of floating-point operations and tie order (date, then rowid) as SQLite: the scores are SQLite's
  to the last bit (tested). The difference that remains is in matching phrases, not scoring them: tsvector positions
  stop at 16,383 and at 256 per word, so a phrase beyond that point of a very long article may not match on
  PostgreSQL (a tsvector also holds at most 1 MB of lexemes).
* NUL. PostgreSQL text cannot hold U+0000, which SQLite keeps (input read as text can carry it, and the quarantine
  keeps excerpts of binary input): the connection writes it as U+FFFE, a Unicode noncharacter that text never
  holds, and reads U+FFFE back as NUL, so every string round-trips as in SQLite.
* Round trips. A server is a round trip away: an article's entities are resolved with one read of the candidates
  and written in a few statements (not a few per entity), search snippets read their blocks at once.
* Bulk writes. :meth:`PostgresStore.put_many` COPYs the articles not stored yet (articles, blocks, tags, links, the
  search index and postings) and resolves their entities in order as ``put`` does, writing the mentions, counts
  and tags of a run of new articles at once; ids already stored go through ``put``.
  :meth:`PostgresStore.put_fingerprints` COPYs the fingerprints and LSH buckets of articles that have none yet.
"""

from __future__ import annotations

import logging
import math
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import psycopg
from psycopg import sql
from psycopg.abc import Buffer
from psycopg.types.string import StrDumper, StrDumperUnknown, TextLoader

from akhbar.analyze.annotate import Analysis
from akhbar.analyze.entity_policy import EntityConfig
from akhbar.arabic.normalize import dedup_text, search_text
from akhbar.model import Article
from akhbar.store.base import ArticleFilter, PutOutcome, StoreBusy, StoreError, db_label
from akhbar.store.search import Query, parse_query
from akhbar.store.sql import (
    BODY_WEIGHT,
    MAX_CANDIDATES,
    SCHEMA_VERSION,
    TITLE_WEIGHT,
    SQLStore,
    article_values,
    utc_now,
)

log = logging.getLogger("akhbar.store")
# Upgrades of an older archive (as the SQLite store's MIGRATIONS): version -> (statements to the next, that version).
MIGRATIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "3": (
        (
            "ALTER TABLE mentions ADD COLUMN IF NOT EXISTS type text",
            "UPDATE mentions m SET type = e.type FROM entities e WHERE e.rowid = m.entity",
            "CREATE TABLE IF NOT EXISTS entity_types (entity bigint NOT NULL REFERENCES entities (rowid),"
            " type text NOT NULL, n bigint NOT NULL, PRIMARY KEY (entity, type))",
            "INSERT INTO entity_types SELECT entity, type, count(*) FROM mentions GROUP BY entity, type",
        ),
        "4",
    ),
    "4": (
        (
            "CREATE TABLE IF NOT EXISTS search_log (seq bigserial PRIMARY KEY, article bigint NOT NULL)",
            "INSERT INTO meta VALUES ('archive_id', md5(random()::text || clock_timestamp()::text))"
            " ON CONFLICT (key) DO NOTHING",
            "CREATE INDEX IF NOT EXISTS entity_words_entity ON entity_words (entity)",
        ),
        "5",
    ),
}
# How often a writer waiting for another one's transaction tries the lock again, and says that it waits.
LOCK_POLL_SECONDS, LOCK_NOTICE_SECONDS = 0.1, 5.0

# tsvector limits: positions above MAX_POSITION are stored as MAX_POSITION, at most MAX_POSITIONS per lexeme.
MAX_POSITION = 16383
MAX_POSITIONS = 256


_NUL, _STAND_IN = "\x00", "\ufffe"


class _NulSafeDumper(StrDumperUnknown):
    """Strings as parameters (type left to the server, as psycopg's default), NUL written as its stand-in."""

    def dump(self, obj: str) -> Buffer | None:
        return super().dump(obj.replace(_NUL, _STAND_IN) if _NUL in obj else obj)


class _NulSafeTextDumper(StrDumper):
    def dump(self, obj: str) -> Buffer | None:
        return super().dump(obj.replace(_NUL, _STAND_IN) if _NUL in obj else obj)


class _NulSafeLoader(TextLoader):
    """Text read back, the stand-in read as NUL again."""

    def load(self, data: Buffer) -> bytes | str:
        text = super().load(data)
        return text.replace(_STAND_IN, _NUL) if isinstance(text, str) and _STAND_IN in text else text


# bm25 of one phrase, as FTS5 computes it (k1 = 1.2, b = 0.75, in its order of floating-point operations): {f} the
# phrase's weighted frequency in the row, {length} the row's length in terms; idf and %(avgdl)s from the query.
BM25 = (
    "idf * (({f} * (1.2::float8 + 1.0::float8))"
    " / ({f} + 1.2::float8 * ((1.0::float8 - 0.75::float8) + 0.75::float8 * {length} / %(avgdl)s::float8)))"
)


class _Row(tuple[Any, ...]):
    """A row read by position or by column name, as ``sqlite3.Row``: the queries of both stores read alike."""

    names: dict[str, int]

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self.names[key])
        return tuple.__getitem__(self, key)


def _rows(cursor: Any) -> Callable[[Sequence[Any]], _Row]:
    names = {column.name: i for i, column in enumerate(cursor.description or ())}

    def make(values: Sequence[Any]) -> _Row:
        row = _Row(values)
        row.names = names
        return row

    return make


def _lexeme(term: str) -> str:
    """A term as a tsvector/tsquery lexeme literal (terms are letters and digits, but quote anyway)."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def index_terms(article: Article) -> tuple[str, str]:
    """The search-layer text of title and body: exactly what the SQLite store puts in its FTS5 table."""
    return search_text(article.title), search_text(article.text)


def tsvector_literal(title: Sequence[str], body: Sequence[str]) -> str:
    """The tsvector of an article's terms: title at positions 1.. (weight A), body after a gap (weight B)."""
    positions: dict[str, list[str]] = {}
    last: dict[str, int] = {}
    for start, terms, weight in ((1, title, "A"), (len(title) + 2, body, "B")):
        for offset, term in enumerate(terms):
            position = min(start + offset, MAX_POSITION)
            kept = positions.setdefault(term, [])
            if last.get(term) == position or len(kept) >= MAX_POSITIONS:
                continue
            last[term] = position
            kept.append(f"{position}{weight}")
    return " ".join(f"{_lexeme(term)}:{','.join(kept)}" for term, kept in positions.items())


def _idf(rows: int, hits: int) -> float:
    """FTS5's idf: log((N - n + 0.5) / (n + 0.5)), at least 1e-6."""
    idf = math.log((rows - hits + 0.5) / (hits + 0.5))
    return idf if idf > 0.0 else 1e-6


@lru_cache(maxsize=1024)
def _psycopg_style(query: str) -> bytes:
    """A shared query (``?`` placeholders, :mod:`akhbar.store.sql`) as psycopg takes it: ``%s``, a literal % doubled."""
    return query.replace("%", "%%").replace("?", "%s").encode()


def normalize_url(db: str) -> str:
    """A PostgreSQL URL as given, or as ``pathlib.Path`` leaves it (``postgresql:/host/db``: one slash)."""
    scheme, _, rest = db.partition(":")
    return f"{scheme}://{rest.lstrip('/')}"


class PostgresStore(SQLStore):
    def __init__(
        self,
        url: str,
        *,
        read_only: bool = False,
        writer_wait: float | None = None,
        entity_config: EntityConfig | None = None,
    ) -> None:
        """``read_only``: every transaction of this connection is read-only and the schema is only checked;
        ``writer_wait``: as for :class:`~akhbar.store.sqlite.SQLiteStore`, how long a writer waits for another."""
        self.url = normalize_url(url)
        self.entity_config = entity_config or EntityConfig()
        self.read_only = read_only
        self.writer_wait = writer_wait
        try:
            self.db = psycopg.connect(self.url, autocommit=True, row_factory=_rows)
        except psycopg.Error as error:
            raise StoreError(f"{db_label(self.url)}: cannot connect to PostgreSQL ({error})") from error
        self.db.adapters.register_dumper(str, _NulSafeTextDumper)
        self.db.adapters.register_dumper(str, _NulSafeDumper)  # last registered: the default for str
        for name in ("text", "varchar"):
            self.db.adapters.register_loader(name, _NulSafeLoader)
        self.path = db_label(self.url)
        self._depth = 0
        if read_only:
            self.db.execute("SET default_transaction_read_only = on")
        self._prepare()

    def close(self) -> None:
        self.db.close()

    def _prepare(self) -> None:
        """Check the schema version, and create the schema when it is missing (one process at a time)."""
        with self.db.transaction():
            if not self.read_only:
                self.db.execute("SELECT pg_advisory_xact_lock(hashtext('akhbar schema ' || current_schema()))")
            if self.db.execute("SELECT to_regclass('meta')").fetchone()[0] is not None:  # type: ignore[index]
                row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
                if row is not None and row[0] != SCHEMA_VERSION and row[0] not in MIGRATIONS:
                    raise StoreError(
                        f"{self.path}: database schema version {row[0]}, this akhbar uses version {SCHEMA_VERSION};"
                        " ingest the inputs again into a new database (or schema)"
                    )
                if row is not None and row[0] != SCHEMA_VERSION and not self.read_only:
                    version = row[0]  # an older archive: its first writer upgrades it (under the schema lock)
                    while version != SCHEMA_VERSION:
                        statements, version = MIGRATIONS[version]
                        for statement in statements:
                            self.db.execute(statement.encode())
                        self.db.execute("UPDATE meta SET value = %s WHERE key = 'schema_version'", (version,))
                        log.warning("%s: archive upgraded to schema version %s", self.path, version)
                if row is not None:
                    return
            elif self.db.execute("SELECT to_regclass('articles')").fetchone()[0] is not None:  # type: ignore[index]
                raise StoreError(f"{self.path}: not an akhbar database (it has an articles table but no meta table)")
            if self.read_only:
                raise StoreError(f"{self.path}: not an akhbar archive yet (no schema: ingest into it first)")
            schema = resources.files("akhbar.store").joinpath("schema/postgres.sql").read_text(encoding="utf-8")
            self.db.execute(schema.encode())
            self.db.execute(
                "INSERT INTO meta VALUES ('schema_version', %s) ON CONFLICT (key) DO NOTHING", (SCHEMA_VERSION,)
            )

    def _execute(self, query: str, params: Sequence[Any] = ()) -> Any:
        return self.db.execute(_psycopg_style(query), params)

    def _execute_many(self, query: str, rows: Sequence[Sequence[Any]]) -> None:
        self._many(query.replace("%", "%%").replace("?", "%s"), rows)

    def _any_of(self, ids: Sequence[Any], kind: str = "bigint") -> tuple[str, list[Any]]:
        return f"= ANY(?::{kind}[])", [list(ids)]

    def _insert(
        self, table: str, columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[Any]], conflict: str = ""
    ) -> None:
        if not rows:
            return
        names = ", ".join(name for name, _ in columns)
        arrays = ", ".join(f"%s::{kind}[]" for _, kind in columns)
        self._run(
            f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays}) {conflict}",
            tuple(list(column) for column in zip(*rows, strict=True)),
        )

    # PostgreSQL's own statements (this module's) are written in psycopg's style: %s and %(name)s.

    def _one(self, query: str, params: Sequence[Any] = ()) -> Any:
        return self.db.execute(query.encode(), params).fetchone()

    def _all(self, query: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[Any]:
        return self.db.execute(query.encode(), params).fetchall()

    def _run(self, query: str, params: Sequence[Any] = ()) -> None:
        self.db.execute(query.encode(), params)

    def _many(self, query: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            with self.db.cursor() as cursor:
                cursor.executemany(query.encode(), rows)

    # --- writes -------------------------------------------------------------------------------------------------

    def _begin(self) -> None:
        self._run("BEGIN")
        if not self.read_only:
            self._take_writer_lock()

    SNAPSHOT_BEGIN = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"

    def _rollback(self) -> None:
        if not self.db.closed:
            self._run("ROLLBACK")

    def _index(self, rowid: int, article: Article) -> None:
        row = SearchRow.of(article)
        self._run(
            "INSERT INTO search (rowid, title, body, title_len, body_len, tsv) VALUES (%s,%s,%s,%s,%s,%s::tsvector)",
            (rowid, row.title, row.body, row.title_len, row.body_len, row.tsvector),
        )
        terms, in_title, in_body = zip(*row.postings, strict=True) if row.postings else ((), (), ())
        self._run(
            "INSERT INTO postings (term, article, title_tf, body_tf, doclen)"
            " SELECT t.term, %s, t.title_tf, t.body_tf, %s FROM unnest(%s::text[], %s::int[], %s::int[])"
            " AS t (term, title_tf, body_tf)",
            (rowid, row.length, list(terms), list(in_title), list(in_body)),
        )
        self._run("UPDATE search_stats SET docs = docs + 1, tokens = tokens + %s WHERE id = 1", (row.length,))

    def _unindex(self, rowid: int) -> None:
        self._run("DELETE FROM postings WHERE article = %s", (rowid,))
        old = self._one("DELETE FROM search WHERE rowid = %s RETURNING title_len + body_len", (rowid,))
        if old is not None:
            self._run("UPDATE search_stats SET docs = docs - 1, tokens = tokens - %s WHERE id = 1", (old[0],))

    def _take_writer_lock(self) -> None:
        """Writers take turns (like SQLite's ``BEGIN IMMEDIATE``): wait for another writer's transaction to end,
        saying so every few seconds, for at most ``writer_wait`` seconds."""
        started = noticed = time.monotonic()
        while not self._one("SELECT pg_try_advisory_xact_lock(hashtext('akhbar writer ' || current_schema()))")[0]:
            waited = time.monotonic() - started
            if self.writer_wait is not None and waited >= self.writer_wait:
                raise StoreBusy(f"{self.path}: another process is writing to this archive (waited {waited:.0f} s)")
            if time.monotonic() - noticed >= LOCK_NOTICE_SECONDS:
                log.warning(
                    "%s: another process is writing to this archive; waiting for it (%.0f s)", self.path, waited
                )
                noticed = time.monotonic()
            time.sleep(LOCK_POLL_SECONDS)

    def put_many(self, items: Iterable[tuple[Article, Analysis | None]]) -> list[PutOutcome]:
        """Store many articles in one transaction; the outcomes and the stored state are those of calling
        :meth:`put` on each in turn. Articles whose id is not stored yet (first occurrence in ``items``) are written
        with COPY, their entities resolved in order as ``put`` resolves them; the others go through ``put``."""
        batch = list(items)
        if not batch:
            return []
        with self.transaction():
            ids = list(dict.fromkeys(a.id for a, _ in batch))
            stored = {r[0] for r in self._all("SELECT id FROM articles WHERE id = ANY(%s)", (ids,))}
            fresh: dict[str, int] = {}  # id -> index of its first occurrence, for ids not stored yet
            for index, (article, _) in enumerate(batch):
                if article.id not in stored and article.id not in fresh:
                    fresh[article.id] = index
            numbers = sorted(
                r[0]
                for r in self._all(
                    "SELECT nextval(pg_get_serial_sequence('articles', 'rowid')) FROM generate_series(1, %s)",
                    (len(fresh),),
                )
            )
            rowids = dict(zip(fresh.values(), numbers, strict=True))
            self._copy_new([(rowids[i], *batch[i]) for i in fresh.values()])
            self._changed(numbers)
            outcomes = []
            analyses: list[tuple[int, Analysis]] = []  # of new articles, written together before the next put
            for index, (article, analysis) in enumerate(batch):
                if index in rowids:
                    if analysis is not None:
                        analyses.append((rowids[index], analysis))
                    outcomes.append(PutOutcome.NEW)
                else:
                    self._write_analyses(analyses)
                    analyses = []
                    outcomes.append(self.put(article, analysis=analysis))
            self._write_analyses(analyses)
        return outcomes

    def _copy_new(self, rows: Sequence[tuple[int, Article, Analysis | None]]) -> None:
        if not rows:
            return
        now = utc_now()
        tokens = 0
        with self.db.cursor() as cursor:
            with cursor.copy(
                "COPY articles (rowid, url, outlet, attribution, title, published_at, published_day, author, lang,"
                " provenance, content_hash, id, summary, ingested_at, updated_at) FROM STDIN"
            ) as copy:
                for rowid, article, analysis in rows:
                    summary = (analysis.summary or None) if analysis is not None else None
                    copy.write_row(
                        (rowid, *article_values(article, article.content_hash()), article.id, summary, now, now)
                    )
            with cursor.copy("COPY blocks (article, position, type, text) FROM STDIN") as copy:
                for rowid, article, _ in rows:
                    for i, block in enumerate(article.body):
                        copy.write_row((rowid, i, block.type, block.text))
            with cursor.copy("COPY tags (article, position, tag, tag_key) FROM STDIN") as copy:
                for rowid, article, _ in rows:
                    for i, tag in enumerate(article.tags):
                        copy.write_row((rowid, i, tag, dedup_text(tag)))
            with cursor.copy("COPY related (article, position, target, title) FROM STDIN") as copy:
                for rowid, article, _ in rows:
                    for i, ref in enumerate(article.related):
                        copy.write_row((rowid, i, ref.id, ref.title))
            indexed = [(rowid, SearchRow.of(article)) for rowid, article, _ in rows]
            with cursor.copy("COPY search (rowid, title, body, title_len, body_len, tsv) FROM STDIN") as copy:
                for rowid, row in indexed:
                    tokens += row.length
                    copy.write_row((rowid, row.title, row.body, row.title_len, row.body_len, row.tsvector))
            with cursor.copy("COPY postings (term, article, title_tf, body_tf, doclen) FROM STDIN") as copy:
                for rowid, row in indexed:
                    for term, in_title, in_body in row.postings:
                        copy.write_row((term, rowid, in_title, in_body, row.length))
        self._run("UPDATE search_stats SET docs = docs + %s, tokens = tokens + %s WHERE id = 1", (len(rows), tokens))

    # --- neighbours (link.related) ----------------------------------------------------------------------------------

    def size(self) -> int:
        """How many articles are stored: exact, and instant at any size.

        Scoring reads it (idf in related lists and story profiles; a related list's staleness compares it with the
        size it was ranked at), so it must be a count, never a row number: a sequence does not roll back, so an
        ingest killed mid-batch (or any rolled-back write) leaves the highest rowid above the count, and a rerun
        then scored against a larger archive than an uninterrupted run (issue 16). It is ``search_stats.docs``:
        every article has exactly one row in the search index, written or replaced with the article in the same
        transaction (``put``, ``put_many``), and articles are never deleted; the row rolls back with them.
        Measured on this 2-core machine, 1M articles (1.5 GB of rows): this row 0.07 ms; ``count(*)`` 270 ms
        (p50) until the table is vacuumed, then 32 ms (parallel index-only scan), 39 / 3 ms at 100k; ``max(rowid)``
        0.08 ms. A related list served from the store costs ~1-2 ms in all, so ``count(*)`` was out."""
        return int(self._one("SELECT docs FROM search_stats WHERE id = 1")[0])

    def _bm25_inputs(
        self, phrases: Sequence[tuple[str, ...]], *, title_only: bool
    ) -> tuple[list[str], list[float], float] | None:
        """The query's phrases (space-separated), their idfs and the average row length; None for an empty index.

        A phrase's idf counts the rows that match it (in the title only, for a title-only query), as FTS5 does: a
        word's from its postings (an index range), a phrase of several words with the tsvector index."""
        stats = self._one("SELECT docs, tokens FROM search_stats WHERE id = 1")
        rows, tokens = (int(stats[0]), int(stats[1])) if stats is not None else (0, 0)
        if rows <= 0:
            return None
        hits: dict[tuple[str, ...], int] = {}
        words = list(dict.fromkeys(p[0] for p in phrases if len(p) == 1))
        if words:
            for word, n in self._all(
                "SELECT q.term, count(p.article) FROM unnest(%s::text[]) AS q (term)"
                " LEFT JOIN postings p ON p.term = q.term AND (p.title_tf > 0 OR NOT %s) GROUP BY q.term",
                (words, title_only),
            ):
                hits[(word,)] = int(n)
        longer = list(dict.fromkeys(p for p in phrases if len(p) > 1))
        if longer:
            queries = [Query(((phrase,),)).tsquery(title_only=title_only) for phrase in longer]
            counts = sql.SQL(", ").join(
                sql.SQL("count(*) FILTER (WHERE tsv @@ {}::tsquery)").format(sql.Literal(q)) for q in queries
            )
            union = " | ".join(f"({q})" for q in queries)
            found = self.db.execute(
                sql.SQL("SELECT {} FROM search WHERE tsv @@ {}::tsquery").format(counts, sql.Literal(union))
            ).fetchone()
            hits.update(zip(longer, (int(n) for n in found or [0] * len(longer)), strict=True))
        return [" ".join(p) for p in phrases], [_idf(rows, hits[tuple(p)]) for p in phrases], tokens / rows

    def lexical_neighbours(
        self, article_id: str, terms: Sequence[str], *, limit: int, titles_only: bool = False
    ) -> list[tuple[int, float]]:
        """Articles matching any of ``terms`` (in their titles only, if asked: much cheaper), best bm25 first
        (title boosted): (rowid, positive score)."""
        if not terms:
            return []
        inputs = self._bm25_inputs([(term,) for term in terms], title_only=titles_only)
        if inputs is None:
            return []
        phrases, idfs, avgdl = inputs
        rows = self._all(
            f"SELECT p.article, sum({BM25.format(f='f.f', length='p.doclen')} ORDER BY q.i) AS score"
            " FROM unnest(%(terms)s::text[], %(idfs)s::float8[]) WITH ORDINALITY AS q (term, idf, i)"
            " JOIN postings p ON p.term = q.term"
            " CROSS JOIN LATERAL (SELECT CASE WHEN %(title_only)s THEN %(wt)s * p.title_tf"
            " ELSE %(wt)s * p.title_tf + %(wb)s * p.body_tf END AS f) AS f"
            " WHERE (p.title_tf > 0 OR NOT %(title_only)s)"
            " AND p.article != (SELECT rowid FROM articles WHERE id = %(id)s)"
            " GROUP BY p.article ORDER BY score DESC, p.article LIMIT %(limit)s",
            {
                "terms": phrases,
                "idfs": idfs,
                "title_only": titles_only,
                "wt": TITLE_WEIGHT,
                "wb": BODY_WEIGHT,
                "avgdl": avgdl,
                "id": article_id,
                "limit": limit,
            },
        )
        return [(r[0], r[1]) for r in rows]

    def entity_neighbours(
        self, article_id: str, weights: dict[int, float], *, limit: int
    ) -> list[tuple[int, float, list[int]]]:
        """Articles sharing the weighted entities: (rowid, sum of shared weights, shared entity ids), best first."""
        if not weights:
            return []
        rows = self._all(
            "WITH w(entity, weight) AS (SELECT * FROM unnest(%s::bigint[], %s::float8[])),"
            " shared AS (SELECT DISTINCT m.article, m.entity FROM mentions m JOIN w ON w.entity = m.entity)"
            " SELECT shared.article, sum(w.weight ORDER BY shared.entity) AS score,"
            " array_agg(shared.entity ORDER BY shared.entity) FROM shared"
            " JOIN w ON w.entity = shared.entity WHERE shared.article != (SELECT rowid FROM articles WHERE id = %s)"
            " GROUP BY shared.article ORDER BY score DESC, shared.article LIMIT %s",
            (list(weights), list(weights.values()), article_id, limit),
        )
        return [(r[0], r[1], [int(e) for e in r[2]]) for r in rows]

    # --- near-duplicates ------------------------------------------------------------------------------------------

    def fingerprint_candidates(
        self, article_id: str, text_hash: str, bands: Sequence[int]
    ) -> list[tuple[int, str, bytes]]:
        """Stored articles that share an LSH band key or the text hash: (rowid, text hash, signature blob)."""
        rowid = self.rowid(article_id)
        rows = self._all(
            "SELECT f.article, f.text_hash, f.signature FROM fingerprints f WHERE f.article IN ("
            " SELECT b.article FROM lsh_buckets b JOIN unnest(%s::int[], %s::bigint[]) AS k (band, bucket)"
            " ON b.band = k.band AND b.bucket = k.bucket"
            " UNION SELECT article FROM fingerprints WHERE text_hash = %s) AND f.article != %s"
            " ORDER BY f.article DESC LIMIT %s",
            (list(range(len(bands))), list(bands), text_hash, rowid, MAX_CANDIDATES),
        )
        return [(r[0], r[1], bytes(r[2])) for r in rows]

    def put_fingerprints(self, items: Sequence[tuple[str, str, bytes, Sequence[int]]]) -> None:
        """:meth:`put_fingerprint` of every (article id, text hash, signature, bands), in order, in one transaction:
        the fingerprints of articles that have none yet (nor a group, nor buckets), each once in ``items``, are
        COPYd; the others are replaced one by one, as :meth:`put_fingerprint` does."""
        if not items:
            return
        with self.transaction():
            ids = list(dict.fromkeys(item[0] for item in items))
            rowids = {r[0]: r[1] for r in self._all("SELECT id, rowid FROM articles WHERE id = ANY(%s)", (ids,))}
            for article_id in ids:
                if article_id not in rowids:
                    raise KeyError(article_id)
            known = list(rowids.values())
            taken = {
                r[0]
                for r in self._all(
                    "SELECT article FROM fingerprints WHERE article = ANY(%(r)s::bigint[])"
                    " UNION SELECT article FROM duplicates WHERE article = ANY(%(r)s::bigint[])"
                    " UNION SELECT DISTINCT article FROM lsh_buckets WHERE article = ANY(%(r)s::bigint[])",
                    {"r": known},
                )
            }
            seen = Counter(item[0] for item in items)
            fresh = [item for item in items if seen[item[0]] == 1 and rowids[item[0]] not in taken]
            with self.db.cursor() as cursor:
                with cursor.copy("COPY fingerprints (article, text_hash, signature) FROM STDIN") as copy:
                    for article_id, text_hash, signature, _ in fresh:
                        copy.write_row((rowids[article_id], text_hash, signature))
                with cursor.copy("COPY lsh_buckets (band, bucket, article) FROM STDIN") as copy:
                    for article_id, _, _, bands in fresh:
                        rowid = rowids[article_id]
                        for band, key in dict.fromkeys(enumerate(bands)):
                            copy.write_row((band, key, rowid))
            for article_id, text_hash, signature, bands in items:
                if seen[article_id] > 1 or rowids[article_id] in taken:
                    self.put_fingerprint(article_id, text_hash, signature, bands)

    # --- reads --------------------------------------------------------------------------------------------------

    def _ranked(self, parsed: Query, limit: int, offset: int, where: ArticleFilter) -> list[Any]:
        """FTS5's bm25 computed (title weighted), best first; if no article has every group, any group.

        A query of single words is answered from postings alone (matches, frequencies and lengths: no text is
        read); a query with a phrase of several words matches through the tsvector index and counts its phrases in
        the text of the matching rows only. Either way articles are joined for the rows that can be on the page only:
        the rows scoring at least the (offset + limit)-th best score (ties included), then ordered in full."""
        phrases_in = [p for group in parsed.groups for p in group]
        inputs = self._bm25_inputs(phrases_in, title_only=False)
        if inputs is None:
            return []
        phrases, idfs, avgdl = inputs
        groups = [g for g, group in enumerate(parsed.groups) for _ in group]
        bm25 = BM25.format(f="f", length="length")
        # The filter is applied before the page's cut: only kept rows are scored (its ? become named parameters).
        condition, kept = self._filter(where)
        for n in range(len(kept)):
            condition = condition.replace("?", f"%(kept{n})s", 1)
        kept_rows = f" WHERE rowid IN (SELECT a.rowid FROM articles a WHERE {condition})" if where else ""
        if all(len(p) == 1 for p in phrases_in):
            # Single words: a row matches a group when it has a posting of one of the group's words.
            scored = (
                "WITH q AS (SELECT * FROM unnest(%(phrases)s::text[], %(idfs)s::float8[], %(groups)s::int[])"
                " WITH ORDINALITY AS q (phrase, idf, g, i)),"
                " f AS (SELECT p.article AS rowid, p.doclen AS length, q.i, q.idf, q.g,"
                " %(wt)s * p.title_tf + %(wb)s * p.body_tf AS f FROM q JOIN postings p ON p.term = q.phrase),"
                f" scored AS (SELECT rowid, sum({bm25} ORDER BY i) AS score FROM f{kept_rows} GROUP BY rowid"
                " HAVING %(any)s OR count(DISTINCT g) = %(ngroups)s),"
            )
        else:
            scored = (
                "WITH q AS (SELECT * FROM unnest(%(phrases)s::text[], %(idfs)s::float8[]) WITH ORDINALITY"
                " AS q (phrase, idf, i)),"
                " m AS (SELECT s.rowid FROM search s WHERE s.tsv @@ %(query)s::tsquery),"
                " f AS (SELECT m.rowid, p.doclen AS length, q.i, q.idf, %(wt)s * p.title_tf + %(wb)s * p.body_tf AS f"
                " FROM m JOIN postings p ON p.article = m.rowid JOIN q ON p.term = q.phrase"
                " UNION ALL SELECT s.rowid, s.title_len + s.body_len, q.i, q.idf,"
                " akhbar_phrase_freq(s.title, s.body, q.phrase, false, %(wt)s, %(wb)s)"
                " FROM m JOIN search s ON s.rowid = m.rowid CROSS JOIN q WHERE strpos(q.phrase, ' ') > 0),"
                f" scored AS (SELECT rowid, sum({bm25} ORDER BY i) AS score FROM f{kept_rows} GROUP BY rowid),"
            )
        ranked = (
            scored + " cut AS (SELECT min(score) AS score FROM"
            " (SELECT score FROM scored ORDER BY score DESC LIMIT %(upto)s) AS best)"
            " SELECT a.rowid, a.id, a.title, a.outlet, a.published_at, a.summary, scored.score"
            " FROM scored JOIN articles a ON a.rowid = scored.rowid WHERE scored.score >= (SELECT score FROM cut)"
            " ORDER BY scored.score DESC, a.published_at DESC NULLS LAST, a.rowid LIMIT %(limit)s OFFSET %(offset)s"
        )
        params = {
            "phrases": phrases,
            "idfs": idfs,
            "groups": groups,
            "ngroups": len(parsed.groups),
            "any": False,
            "wt": TITLE_WEIGHT,
            "wb": BODY_WEIGHT,
            "avgdl": avgdl,
            "query": parsed.tsquery(),
            "limit": limit,
            "offset": offset,
            "upto": limit + offset,
            **{f"kept{n}": value for n, value in enumerate(kept)},
        }
        rows = self._all(ranked, params)
        if not rows and len(parsed.groups) > 1 and offset == 0:
            params.update(query=parsed.tsquery(any_group=True), any=True, offset=0, upto=limit)
            rows = self._all(ranked, params)
        return rows

    def match_count(self, query: str, *, cap: int) -> int:
        parsed = parse_query(query)
        if not parsed:
            return 0
        sql = "SELECT count(*) FROM (SELECT 1 FROM search WHERE tsv @@ %s::tsquery LIMIT %s) AS found"
        return int(self._all(sql, (parsed.tsquery(), cap))[0][0])

    def refresh_statistics(self) -> None:
        """Let the planner see the tables as they are now: after a bulk load, before autovacuum gets to it, plans
        built for empty tables made searches ~3× slower. Postings are vacuumed too (outside a transaction), so that
        ranking reads a term's postings from the index alone (an index-only scan needs the visibility map)."""
        if not self._depth:
            self.db.execute("VACUUM (ANALYZE) postings")
        self.db.execute("ANALYZE")


@dataclass(frozen=True, slots=True)
class SearchRow:
    """What the index keeps of an article: its search-layer title and body (as the FTS5 table holds them), their
    lengths in terms, the tsvector, and the postings (term, occurrences in the title, in the body)."""

    title: str
    body: str
    title_len: int
    body_len: int
    tsvector: str
    postings: list[tuple[str, int, int]]

    @property
    def length(self) -> int:
        return self.title_len + self.body_len

    @classmethod
    def of(cls, article: Article) -> SearchRow:
        title, body = index_terms(article)
        title_terms, body_terms = title.split(), body.split()
        in_title, in_body = Counter(title_terms), Counter(body_terms)
        postings = [(term, in_title[term], in_body[term]) for term in dict.fromkeys([*title_terms, *body_terms])]
        return cls(title, body, len(title_terms), len(body_terms), tsvector_literal(title_terms, body_terms), postings)
