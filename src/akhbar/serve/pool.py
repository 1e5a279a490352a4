"""The connections of one server process: read-only archives lent to one request at a time, and one writer.

A GET never writes: it borrows a read-only archive (SQLite ``query_only``; a read-only PostgreSQL session) from the
pool for the length of the request and gives it back, so a connection is never used by two requests at once (FastAPI
runs a dependency and its endpoint in different worker threads: a connection per *thread* would be shared). With
SQLite in WAL mode, readers never wait for the writer. A related list a reader finds stale (ranked when the archive
was much smaller) is served as stored and queued; a background thread has the writer rank the queued lists, a few
per transaction, so a view costs what a stored list costs and the lists still become current. The same thread brings
the search index in step when a reader finds it behind the archive (another process wrote, or the index is missing:
that reader searches the archive directly meanwhile), and once when the server starts.

Writes (``POST /api/ingest``) go through the one writer,
one at a time; when another process (an ``akhbar ingest``) holds the archive's write lock for longer than
``writer_wait``, the request fails with :class:`~akhbar.store.base.StoreBusy` (the API answers 503) instead of
holding a worker thread indefinitely.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import akhbar
from akhbar.archive import Archive
from akhbar.pipeline import PipelineConfig
from akhbar.store.base import StoreBusy

# How long a posted document waits for another process's write transaction (an ingest batch takes seconds).
WRITER_WAIT_SECONDS = 30.0
# Idle read-only archives kept for reuse; more are opened while more requests run at once, and closed after.
MAX_IDLE_READERS = 64
# Stale related lists readers met, waiting for the writer to rank them (more are dropped: they come back on a later
# view); ranked this many per write transaction, so a POST never waits long behind them.
MAX_STALE_QUEUED = 10_000
STALE_BATCH = 20

log = logging.getLogger("akhbar.serve")


class Archives:
    """A pool of read-only archives over one database, and its one writer."""

    def __init__(self, db: str | Path, config: PipelineConfig | None = None) -> None:
        self.db = str(db)
        self.config = config
        self._idle: list[Archive] = []
        self._lock = threading.Lock()
        self._writer: Archive | None = None
        self._writing = threading.Lock()
        self._stale: dict[str, None] = {}  # insertion-ordered set of article ids
        self._index_behind = True  # checked once at start: the index may be missing or behind
        self._work_ready = threading.Condition(self._lock)
        self._background: threading.Thread | None = None
        self._closing = False
        # Create or check the schema once, up front, as a writer: errors surface here, and readers find it made.
        akhbar.open(self.db, config).close()
        self._queue_index_catch_up()

    @contextmanager
    def reading(self) -> Iterator[Archive]:
        """A read-only archive for the length of one request."""
        with self._lock:
            archive = self._idle.pop() if self._idle else None
        if archive is None:
            archive = akhbar.open(self.db, self.config, read_only=True)
            archive.on_stale_related = self._queue_stale
            archive.on_search_index_behind = self._queue_index_catch_up
        try:
            yield archive
        finally:
            with self._lock:
                keep = len(self._idle) < MAX_IDLE_READERS
                if keep:
                    self._idle.append(archive)
            if not keep:
                archive.close()

    @contextmanager
    def writing(self) -> Iterator[Archive]:
        """The writer, for one request at a time (others of this process wait their turn here)."""
        with self._writing:
            if self._writer is None:
                self._writer = akhbar.open(self.db, self.config, writer_wait=WRITER_WAIT_SECONDS)
            yield self._writer

    def _queue_stale(self, article_id: str) -> None:
        """A reader served a stale related list: the writer ranks it in the background (see the module notes)."""
        with self._lock:
            if self._closing or article_id in self._stale or len(self._stale) >= MAX_STALE_QUEUED:
                return
            self._stale[article_id] = None
            self._wake_writer()

    def _queue_index_catch_up(self) -> None:
        """A reader found the search index behind the archive: the writer catches it up in the background."""
        with self._lock:
            if self._closing:
                return
            self._index_behind = True
            self._wake_writer()

    def _wake_writer(self) -> None:
        """(Holding ``_lock``.) Start the background writer thread if needed, and tell it there is work."""
        if self._background is None or not self._background.is_alive():
            self._background = threading.Thread(
                target=self._write_in_background, name="akhbar-background-writer", daemon=True
            )
            self._background.start()
        self._work_ready.notify()

    def _write_in_background(self) -> None:
        while True:
            with self._lock:
                while not self._stale and not self._index_behind and not self._closing:
                    self._work_ready.wait()
                if self._closing:
                    return
                batch = list(self._stale)[:STALE_BATCH]
                index_behind, self._index_behind = self._index_behind, False
            try:
                with self.writing() as writer:
                    if index_behind:
                        writer.update_search_index()
                    if batch:
                        writer.rank_related(batch)
            except StoreBusy as busy:  # another process writes for long: these lists come back on a later view
                log.warning("stale related lists left for later: %s", busy)
            except Exception:  # a bug: logged with its traceback; the server goes on
                log.exception("background writing failed")
            with self._lock:
                for article_id in batch:
                    self._stale.pop(article_id, None)

    def close(self) -> None:
        """Close every idle connection and the writer (at shutdown); later requests open new ones."""
        with self._lock:
            self._closing = True
            self._stale.clear()
            self._work_ready.notify_all()
            background, self._background = self._background, None
        if background is not None:
            background.join(timeout=30)
        with self._lock:
            self._closing = False
            idle, self._idle = self._idle, []
        for archive in idle:
            archive.close()
        with self._writing:
            if self._writer is not None:
                self._writer.close()
                self._writer = None
