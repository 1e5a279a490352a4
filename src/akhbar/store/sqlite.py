"""SQLite store: one file, WAL journal, FTS5 over search-layer text, a quarantine of failed input.

Writes happen inside :meth:`SQLiteStore.transaction`: an ingest interrupted by Ctrl-C or a kill loses only its open
batch, and re-running it finishes the job without duplicates (``put`` is idempotent on the article id and content).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from akhbar.analyze.annotate import Analysis
from akhbar.analyze.entity_policy import EntityConfig
from akhbar.arabic.normalize import search_text
from akhbar.model import Article
from akhbar.store.base import ArticleFilter, PutOutcome, StoreBusy, StoreError
from akhbar.store.search import Query, parse_query
from akhbar.store.sql import BODY_WEIGHT, MAX_CANDIDATES, SCHEMA_VERSION, TITLE_WEIGHT, SQLStore

# Upgrades of an older archive, made by its first writer in one transaction: version -> (statements to the next
# version, that version). Readers read an older version as it is (nothing they read changed).
MIGRATIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "3": (  # 4: the tagger's type of each mention, counted per entity (entity_policy.majority_type)
        (
            "ALTER TABLE mentions ADD COLUMN type TEXT",
            "UPDATE mentions SET type = (SELECT type FROM entities WHERE rowid = mentions.entity)",
            "CREATE TABLE IF NOT EXISTS entity_types (entity INTEGER NOT NULL REFERENCES entities (rowid),"
            " type TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (entity, type)) WITHOUT ROWID",
            "INSERT INTO entity_types SELECT entity, type, count(*) FROM mentions GROUP BY entity, type",
        ),
        "4",
    ),
    "4": (  # 5: the search index's change log, the archive's own id (store.textindex), names' words by name
        (
            "CREATE TABLE IF NOT EXISTS search_log (seq INTEGER PRIMARY KEY, article INTEGER NOT NULL)",
            "INSERT OR IGNORE INTO meta VALUES ('archive_id', lower(hex(randomblob(16))))",
            "CREATE INDEX IF NOT EXISTS entity_words_entity ON entity_words (entity)",
        ),
        "5",
    ),
}
# How long one attempt to take the write lock waits (SQLite's busy timeout). A writer that is refused logs and tries
# again; a reader in WAL mode never waits for a writer.
BUSY_SECONDS = 5.0
log = logging.getLogger("akhbar.store")


def _statements(script: str) -> Iterator[str]:
    """The statements of an SQL script (``sqlite3.complete_statement`` tells where one ends, triggers included)."""
    pending = ""
    for line in script.splitlines(keepends=True):
        if not pending and (not line.strip() or line.lstrip().startswith("--")):
            continue
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending.strip()
            pending = ""
    if pending.strip():
        yield pending.strip()


class SQLiteStore(SQLStore):
    """One connection to an archive file. Use a connection from one thread at a time (a server keeps a pool).

    ``read_only``: the connection never writes (``PRAGMA query_only``), never creates the file or the schema, and in
    WAL mode is never blocked by a writer: what a web server's requests use. A writer creates the schema once, when
    the file has none. Writers take turns: a second writer waits for the first's transaction to end (logging that it
    waits) for at most ``writer_wait`` seconds (None: as long as it takes), then raises :class:`StoreBusy`.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        read_only: bool = False,
        writer_wait: float | None = None,
        entity_config: EntityConfig | None = None,
    ) -> None:
        self.path = str(path)
        self.entity_config = entity_config or EntityConfig()
        self.read_only = read_only
        self.writer_wait = writer_wait
        if read_only and self.path != ":memory:" and not Path(self.path).is_file():
            raise StoreError(f"{self.path}: no archive there")
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a batch is one transaction. Not bound to the
        # opening thread: a pool hands a connection to one thread at a time.
        self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=BUSY_SECONDS)
        self.db.row_factory = sqlite3.Row
        self._depth = 0
        if read_only:
            self.db.execute("PRAGMA query_only = ON")
            if not self._check_version():
                raise StoreError(f"{self.path}: not an akhbar archive yet (no schema: ingest into it first)")
            return
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.execute("PRAGMA synchronous = NORMAL")
        if not self._check_version():
            self._create_schema()

    def _execute(self, query: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        cursor: sqlite3.Cursor = self.db.execute(query, params)
        return cursor

    def _execute_many(self, query: str, rows: Sequence[Sequence[Any]]) -> None:
        self.db.executemany(query, rows)

    def _any_of(self, ids: Sequence[Any], kind: str = "bigint") -> tuple[str, list[Any]]:
        return f"IN ({','.join('?' * len(ids))})", list(ids)

    def _insert(
        self, table: str, columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[Any]], conflict: str = ""
    ) -> None:
        names = ", ".join(name for name, _ in columns)
        marks = ", ".join("?" * len(columns))
        self.db.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks}) {conflict}", rows)

    def close(self) -> None:
        self.db.close()

    def _check_version(self) -> bool:
        """Whether the file has akhbar's schema (of this version; another version is a :class:`StoreError`)."""
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except sqlite3.DatabaseError as error:  # no meta table yet (a new file), or not a database at all
            if "no such table" in str(error):
                return False
            raise StoreError(f"{self.path}: not an akhbar database ({error})") from error
        if row is not None and row[0] != SCHEMA_VERSION:
            if row[0] not in MIGRATIONS:
                raise StoreError(
                    f"{self.path}: database schema version {row[0]}, this akhbar uses version {SCHEMA_VERSION};"
                    " ingest the inputs again into a new database file"
                )
            if not self.read_only:
                self._migrate()
        return row is not None

    def _migrate(self) -> None:
        """Bring an older archive to this version (:data:`MIGRATIONS`), in one write transaction."""
        with self.transaction():
            version = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
            while version != SCHEMA_VERSION:  # another writer may have upgraded it while this one waited
                statements, version = MIGRATIONS[version]
                for statement in statements:
                    self.db.execute(statement)
                self.db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (version,))
                log.warning("%s: archive upgraded to schema version %s", self.path, version)

    def _create_schema(self) -> None:
        """Create the tables of a new archive in one write transaction (two processes creating it at once: the
        second finds it made). Opening an existing archive writes nothing."""
        if self.path != ":memory:":
            self.db.execute("PRAGMA journal_mode = WAL")  # stored in the file: every later connection uses WAL
        schema = resources.files("akhbar.store").joinpath("schema/sqlite.sql").read_text(encoding="utf-8")
        with self.transaction():  # statement by statement: executescript would commit the transaction first
            for statement in _statements(schema):
                if not statement.upper().startswith("PRAGMA"):  # per-connection settings are made in __init__
                    self.db.execute(statement)
            self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))

    SNAPSHOT_BEGIN = "BEGIN DEFERRED"  # in WAL mode a reader keeps the state its first read saw until it ends

    def _rollback(self) -> None:
        self.db.execute("ROLLBACK")

    def _index(self, rowid: int, article: Article) -> None:
        self.db.execute(
            "INSERT INTO search (rowid, title, body) VALUES (?,?,?)",
            (rowid, search_text(article.title), search_text(article.text)),
        )

    def _unindex(self, rowid: int) -> None:
        self.db.execute("DELETE FROM search WHERE rowid = ?", (rowid,))

    def _begin(self) -> None:
        """``BEGIN IMMEDIATE``: take the write lock now, waiting while another process holds it."""
        waited = 0.0
        while True:
            try:
                self.db.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) and "busy" not in str(error):
                    raise
            waited += BUSY_SECONDS
            if self.writer_wait is not None and waited >= self.writer_wait:
                raise StoreBusy(f"{self.path}: another process is writing to this archive (waited {waited:.0f} s)")
            log.warning(
                "%s: another process is writing to this archive; waiting for it (%.0f s so far)", self.path, waited
            )

    # --- writes -------------------------------------------------------------------------------------------------

    def put_many(self, items: Iterable[tuple[Article, Analysis | None]]) -> list[PutOutcome]:
        """Store many articles in one transaction: the same outcomes and state as :meth:`put` on each in turn (one
        SQLite transaction is already the fast path: the cost of a put is its statements, not a round trip)."""
        with self.transaction():
            return [self.put(article, analysis=analysis) for article, analysis in items]

    # --- neighbours (link.related) ----------------------------------------------------------------------------------

    def size(self) -> int:
        """How many articles are stored: the highest rowid, instant and exact. Articles are never deleted, and an
        ``INTEGER PRIMARY KEY`` without AUTOINCREMENT takes the highest + 1, so a rolled-back (killed) batch leaves
        no gap (tests/store/test_crash_resume.py checks it; PostgreSQL's sequences do leave gaps: it keeps a count)."""
        return int(self.db.execute("SELECT coalesce(max(rowid), 0) FROM articles").fetchone()[0])

    def lexical_neighbours(
        self, article_id: str, terms: Sequence[str], *, limit: int, titles_only: bool = False
    ) -> list[tuple[int, float]]:
        """Articles matching any of ``terms`` (in their titles only, if asked: much cheaper), best bm25 first
        (title boosted): (rowid, positive score)."""
        if not terms:
            return []
        expression = ("{title} : (" if titles_only else "(") + " OR ".join(f'"{t}"' for t in terms) + ")"
        rows = self.db.execute(
            "SELECT search.rowid, -bm25(search, ?, ?) FROM search WHERE search MATCH ?"
            " AND search.rowid != (SELECT rowid FROM articles WHERE id = ?) ORDER BY bm25(search, ?, ?), search.rowid"
            " LIMIT ?",
            (TITLE_WEIGHT, BODY_WEIGHT, expression, article_id, TITLE_WEIGHT, BODY_WEIGHT, limit),
        ).fetchall()
        return [(r[0], r[1]) for r in rows]

    def entity_neighbours(
        self, article_id: str, weights: dict[int, float], *, limit: int
    ) -> list[tuple[int, float, list[int]]]:
        """Articles sharing the weighted entities: (rowid, sum of shared weights, shared entity ids), best first."""
        if not weights:
            return []
        values = ",".join("(?, ?)" for _ in weights)
        rows = self.db.execute(
            f"WITH w(entity, weight) AS (VALUES {values}),"
            " shared AS (SELECT DISTINCT m.article, m.entity FROM mentions m JOIN w ON w.entity = m.entity)"
            " SELECT shared.article, sum(w.weight) AS score, group_concat(shared.entity) FROM shared"
            " JOIN w ON w.entity = shared.entity WHERE shared.article != (SELECT rowid FROM articles WHERE id = ?)"
            " GROUP BY shared.article ORDER BY score DESC, shared.article LIMIT ?",
            [*(v for item in weights.items() for v in item), article_id, limit],
        ).fetchall()
        return [(r[0], r[1], [int(e) for e in r[2].split(",")]) for r in rows]

    # --- near-duplicates ------------------------------------------------------------------------------------------

    def fingerprint_candidates(
        self, article_id: str, text_hash: str, bands: Sequence[int]
    ) -> list[tuple[int, str, bytes]]:
        """Stored articles that share an LSH band key or the text hash: (rowid, text hash, signature blob)."""
        rowid = self.rowid(article_id)
        rows = self.db.execute(
            "SELECT f.article, f.text_hash, f.signature FROM fingerprints f WHERE f.article IN ("
            " SELECT article FROM lsh_buckets WHERE "
            + " OR ".join("(band = ? AND bucket = ?)" for _ in bands)
            + " UNION SELECT article FROM fingerprints WHERE text_hash = ?) AND f.article != ?"
            " ORDER BY f.article DESC LIMIT ?",
            [*(v for band, key in enumerate(bands) for v in (band, key)), text_hash, rowid, MAX_CANDIDATES],
        ).fetchall()
        return [(r[0], r[1], r[2]) for r in rows]

    def put_fingerprints(self, items: Sequence[tuple[str, str, bytes, Sequence[int]]]) -> None:
        """:meth:`put_fingerprint` of every (article id, text hash, signature, bands), in order, in one transaction."""
        with self.transaction():
            for article_id, text_hash, signature, bands in items:
                self.put_fingerprint(article_id, text_hash, signature, bands)

    # --- reads --------------------------------------------------------------------------------------------------

    def _ranked(self, parsed: Query, limit: int, offset: int, where: ArticleFilter) -> list[Any]:
        """FTS5's bm25 (title weighted), best first; if no article has every group, any group."""
        condition, kept = self._filter(where)
        sql = (
            "SELECT a.rowid, a.id, a.title, a.outlet, a.published_at, a.summary, -bm25(search, ?, ?) AS score"
            f" FROM search JOIN articles a ON a.rowid = search.rowid WHERE search MATCH ? AND {condition}"
            " ORDER BY score DESC, a.published_at DESC, a.rowid LIMIT ? OFFSET ?"
        )
        rows = self.db.execute(sql, (TITLE_WEIGHT, BODY_WEIGHT, parsed.fts5(), *kept, limit, offset)).fetchall()
        if not rows and len(parsed.groups) > 1 and offset == 0:
            any_group = (TITLE_WEIGHT, BODY_WEIGHT, parsed.fts5(any_group=True), *kept, limit, 0)
            rows = self.db.execute(sql, any_group).fetchall()
        return rows

    def match_count(self, query: str, *, cap: int) -> int:
        parsed = parse_query(query)
        if not parsed:
            return 0
        sql = "SELECT count(*) FROM (SELECT 1 FROM search WHERE search MATCH ? LIMIT ?)"
        return int(self.db.execute(sql, (parsed.fts5(), cap)).fetchone()[0])

    def refresh_statistics(self) -> None:
        """Let the query planner see the tables as they are now (after a bulk load)."""
        self.db.execute("PRAGMA optimize")
