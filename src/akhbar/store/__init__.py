"""Stores: where an archive keeps its articles. :func:`open_store` picks the backend from what ``--db`` names."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from akhbar.analyze.entity_policy import EntityConfig
from akhbar.store.base import Store, db_label, is_postgres

if TYPE_CHECKING:
    from akhbar.store.textindex import SearchIndex

__all__ = ["Store", "db_label", "is_postgres", "open_search_index", "open_store"]


def open_store(
    db: str | Path,
    *,
    read_only: bool = False,
    writer_wait: float | None = None,
    entity_rules: EntityConfig | None = None,
) -> Store:
    """A PostgreSQL store for a ``postgresql://`` URL, else a SQLite store at the path. psycopg is imported only
    here, when a URL is given: SQLite users never need it. ``read_only``: a connection that never writes (what the
    server's reads use); ``writer_wait``: how long a writer waits for another one, None for as long as it takes;
    ``entity_rules``: how the store merges entities across articles (its default rules when None)."""
    if is_postgres(db):
        from akhbar.store.postgres import PostgresStore

        return PostgresStore(str(db), read_only=read_only, writer_wait=writer_wait, entity_config=entity_rules)
    from akhbar.store.sqlite import SQLiteStore

    return SQLiteStore(db, read_only=read_only, writer_wait=writer_wait, entity_config=entity_rules)


def open_search_index(db: str | Path, folder: str | Path | None = None) -> SearchIndex | None:
    """The search index of the archive at ``db`` (:mod:`akhbar.store.textindex`): in ``folder`` when given, else
    beside a SQLite file (``news.db`` → ``news.db.search/``) or in memory for an in-memory archive. A PostgreSQL
    archive has one only where ``folder`` is given (each server keeps its own, following the archive's change log);
    without one it searches with the store's exact bm25."""
    from akhbar.store.textindex import SearchIndex

    if folder is not None:
        return SearchIndex(folder)
    if is_postgres(db):
        return None
    return SearchIndex(None if str(db) == ":memory:" else f"{db}.search")
