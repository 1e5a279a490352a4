"""SQLite store: one file, WAL journal, FTS5 over search-layer text, a quarantine of failed input.

Writes happen inside :meth:`SQLiteStore.transaction`: an ingest interrupted by Ctrl-C or a kill loses only its open
batch, and re-running it finishes the job without duplicates (``put`` is idempotent on the article id and content).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from akhbar.arabic.normalize import dedup_text, search_text
from akhbar.model import Article, Block, Failure, Provenance, RelatedRef
from akhbar.store.base import PutOutcome, SearchHit, Stats, merge_versions
from akhbar.store.search import make_snippet, parse_query

SCHEMA_VERSION = "1"
# bm25 column weights: a match in the title counts three times one in the body.
TITLE_WEIGHT, BODY_WEIGHT = 3.0, 1.0


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class SQLiteStore:
    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a batch is one transaction.
        self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        if self.path != ":memory:":
            self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.db.execute("PRAGMA busy_timeout = 10000")
        schema = resources.files("akhbar.store").joinpath("schema/sqlite.sql").read_text(encoding="utf-8")
        self.db.executescript(schema)
        self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
        self._depth = 0

    # --- writes -------------------------------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.db.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")
        finally:
            self._depth = 0

    def put(self, article: Article, *, seen_in_run: bool = False) -> PutOutcome:
        with self.transaction():
            row = self.db.execute("SELECT * FROM articles WHERE id = ?", (article.id,)).fetchone()
            if row is not None and row["content_hash"] != article.content_hash():
                article = merge_versions(self._article(row), article, seen_in_run=seen_in_run)
            content_hash = article.content_hash()
            if row is not None and row["content_hash"] == content_hash:
                return PutOutcome.UNCHANGED
            now = _now()
            values = (
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
            if row is None:
                rowid = self.db.execute(
                    "INSERT INTO articles (url, outlet, attribution, title, published_at, published_day, author, lang,"
                    " provenance, content_hash, id, ingested_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (*values, article.id, now, now),
                ).lastrowid
                outcome = PutOutcome.NEW
            else:
                rowid = row["rowid"]
                self.db.execute(
                    "UPDATE articles SET url=?, outlet=?, attribution=?, title=?, published_at=?, published_day=?,"
                    " author=?, lang=?, provenance=?, content_hash=?, updated_at=? WHERE rowid=?",
                    (*values, now, rowid),
                )
                for table in ("blocks", "tags", "related"):
                    self.db.execute(f"DELETE FROM {table} WHERE article = ?", (rowid,))
                self.db.execute("DELETE FROM search WHERE rowid = ?", (rowid,))
                outcome = PutOutcome.UPDATED
            self._write_parts(rowid, article)
        return outcome

    def _write_parts(self, rowid: int | None, article: Article) -> None:
        self.db.executemany(
            "INSERT INTO blocks VALUES (?,?,?,?)",
            [(rowid, i, block.type, block.text) for i, block in enumerate(article.body)],
        )
        self.db.executemany(
            "INSERT INTO tags VALUES (?,?,?,?)",
            [(rowid, i, tag, dedup_text(tag)) for i, tag in enumerate(article.tags)],
        )
        self.db.executemany(
            "INSERT INTO related VALUES (?,?,?,?)",
            [(rowid, i, ref.id, ref.title) for i, ref in enumerate(article.related)],
        )
        self.db.execute(
            "INSERT INTO search (rowid, title, body) VALUES (?,?,?)",
            (rowid, search_text(article.title), search_text(article.text)),
        )

    def quarantine(self, failure: Failure) -> None:
        now = _now()
        with self.transaction():
            self.db.execute(
                "INSERT INTO quarantine (source, position, reader, reason, excerpt, first_seen, last_seen)"
                " VALUES (?,?,?,?,?,?,?) ON CONFLICT (source, position, reason)"
                " DO UPDATE SET last_seen = excluded.last_seen, seen = seen + 1",
                (failure.source, failure.position, failure.reader, failure.reason, failure.excerpt, now, now),
            )

    # --- reads --------------------------------------------------------------------------------------------------

    def get(self, article_id: str) -> Article | None:
        row = self.db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None and len(article_id) >= 6:
            rows = self.db.execute(
                "SELECT * FROM articles WHERE id >= ? AND id < ? LIMIT 2", (article_id, article_id + "\uffff")
            ).fetchall()
            row = rows[0] if len(rows) == 1 else None
        return self._article(row) if row is not None else None

    def _article(self, row: sqlite3.Row) -> Article:
        rowid = row["rowid"]
        blocks = self.db.execute("SELECT type, text FROM blocks WHERE article = ? ORDER BY position", (rowid,))
        tags = self.db.execute("SELECT tag FROM tags WHERE article = ? ORDER BY position", (rowid,))
        related = self.db.execute("SELECT target, title FROM related WHERE article = ? ORDER BY position", (rowid,))
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

    def iter_articles(self) -> Iterator[Article]:
        for row in self.db.execute("SELECT * FROM articles ORDER BY rowid").fetchall():
            yield self._article(row)

    def search(self, query: str, *, limit: int = 10, offset: int = 0) -> list[SearchHit]:
        """Ranked hits (bm25, title boosted) with highlighted snippets. Every term must match; if no article has
        them all, articles with any of them are ranked instead."""
        parsed = parse_query(query)
        if not parsed:
            return []
        limit = max(1, min(limit, 1000))
        sql = (
            "SELECT a.rowid, a.id, a.title, a.outlet, a.published_at, bm25(search, ?, ?) AS score"
            " FROM search JOIN articles a ON a.rowid = search.rowid WHERE search MATCH ?"
            " ORDER BY score, a.published_at DESC LIMIT ? OFFSET ?"
        )
        rows = self.db.execute(sql, (TITLE_WEIGHT, BODY_WEIGHT, parsed.fts5(), limit, offset)).fetchall()
        if not rows and len(parsed.phrases) > 1 and offset == 0:
            rows = self.db.execute(sql, (TITLE_WEIGHT, BODY_WEIGHT, parsed.fts5(any_term=True), limit, 0)).fetchall()
        hits = []
        for row in rows:
            texts = [
                row["title"],
                *(
                    b["text"]
                    for b in self.db.execute(
                        "SELECT text FROM blocks WHERE article = ? ORDER BY position", (row["rowid"],)
                    )
                ),
            ]
            snippet, marks = make_snippet(texts[1:] or texts, parsed)
            hits.append(
                SearchHit(row["id"], row["title"], row["outlet"], row["published_at"], -row["score"], snippet, marks)
            )
        return hits

    def stats(self) -> Stats:
        count = self.db.execute("SELECT count(*) FROM articles").fetchone()[0]
        failures = self.db.execute("SELECT count(*) FROM quarantine").fetchone()[0]
        per_outlet = self.db.execute(
            "SELECT coalesce(outlet, '(unknown)'), count(*) AS n FROM articles GROUP BY 1 ORDER BY n DESC, 1"
        ).fetchall()
        per_day = self.db.execute(
            "SELECT coalesce(published_day, '(unknown)'), count(*) FROM articles GROUP BY 1 ORDER BY 1"
        ).fetchall()
        reasons = self.db.execute(
            "SELECT reason, count(*) AS n FROM quarantine GROUP BY 1 ORDER BY n DESC LIMIT 20"
        ).fetchall()
        return Stats(
            articles=count,
            failures=failures,
            per_outlet=[(r[0], r[1]) for r in per_outlet],
            per_day=[(r[0], r[1]) for r in per_day],
            failures_per_reason=[(r[0], r[1]) for r in reasons],
        )

    def failures(self, *, limit: int = 100) -> list[Failure]:
        rows = self.db.execute(
            "SELECT source, position, reason, excerpt, reader FROM quarantine ORDER BY last_seen DESC, rowid LIMIT ?",
            (limit,),
        ).fetchall()
        return [Failure(r["source"], r["position"], r["reason"], r["excerpt"], r["reader"]) for r in rows]

    def close(self) -> None:
        self.db.close()
