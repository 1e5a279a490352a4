"""The server and the archive under concurrent use (issue 16, item 2): reads never write and never wait for a writer,
a connection serves one request at a time, and a second writer waits its turn instead of failing.

A real server (uvicorn on a free loopback port, in a thread) is loaded by client threads while another process
ingests into the same file and a test connection holds the write lock longer than SQLite's busy timeout.
"""

from __future__ import annotations

import json
import random
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

import akhbar
from akhbar.serve.app import create_app
from akhbar.store.sqlite import BUSY_SECONDS

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
AKHBAR = [sys.executable, "-m", "akhbar.serve.cli"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("concurrency") / "examples.db"
    with akhbar.open(path) as archive:
        archive.ingest([EXAMPLES])
    return path


@pytest.fixture
def db(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "archive.db"
    shutil.copy(built, copy)
    return copy


def articles_jsonl(path: Path, n: int, seed: int = 3) -> Path:
    """``n`` distinct articles made of the examples' own paragraphs, shuffled (team-written text)."""
    paragraphs = [
        p.strip()
        for page in sorted((EXAMPLES / "textpages").glob("*.txt"))
        for p in page.read_text(encoding="utf-8").split("\n\n")
        if len(p.strip()) > 80
    ]
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            body = rng.sample(paragraphs, 4)
            line = {"title": f"تقرير رقم {i}: " + body[0][:60], "text": "\n\n".join(body), "url": f"https://x.test/{i}"}
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(db: Path) -> Iterator[str]:
    port = free_port()
    config = uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert running.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


def hold_write_lock(db: Path, seconds: float, started: threading.Event) -> None:
    """Hold the archive's write lock (as a long ingest batch does) for longer than SQLite's busy timeout."""
    connection = sqlite3.connect(db, isolation_level=None, timeout=30)
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("INSERT OR REPLACE INTO meta VALUES ('test_lock', 'held')")
    started.set()
    time.sleep(seconds)
    connection.execute("COMMIT")
    connection.close()


def test_reads_never_write(db: Path) -> None:
    """A read-only archive serves every page, a stale related list included, without writing anything."""
    with sqlite3.connect(db) as connection:  # every related list ranked when the archive was tiny: stale now
        connection.execute("UPDATE related_ranked SET size = 1")
        before = connection.execute("SELECT * FROM related_ranked ORDER BY article").fetchall()
    with akhbar.open(db, read_only=True) as archive:
        refs, total = archive.articles(limit=100)
        assert total == len(refs) > 10
        for ref in refs:
            view = archive.view(ref.id)
            assert view is not None
            assert archive.related(ref.id, k=5) == view.related
        assert archive.search("Kim Jong Un")
        assert archive.entity("pyongyang") is not None
        store = archive.store
        assert store.db.total_changes == 0  # type: ignore[attr-defined]
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store.db.execute("DELETE FROM related_ranked")  # type: ignore[attr-defined]
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT * FROM related_ranked ORDER BY article").fetchall() == before


def test_read_only_open_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(akhbar.store.base.StoreError, match="no archive"):
        akhbar.open(tmp_path / "missing.db", read_only=True)
    assert not (tmp_path / "missing.db").exists()


def test_opening_an_archive_takes_no_write_lock(db: Path) -> None:
    """Opening an existing archive (reader or writer) writes nothing: it used to run the schema script, which
    waited for any running ingest batch and failed after the busy timeout."""
    started = threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(db, BUSY_SECONDS + 2, started))
    holder.start()
    started.wait()
    try:
        began = time.monotonic()
        with akhbar.open(db) as writer, akhbar.open(db, read_only=True) as reader:
            assert writer.stats().articles == reader.stats().articles > 0
        assert time.monotonic() - began < 2
    finally:
        holder.join()


def test_clients_and_writers_together(server: str, db: Path, tmp_path: Path) -> None:
    """16 clients read (articles, pages, related, search, entities, health) and post while another process ingests
    into the same file and a connection holds the write lock past the busy timeout: every answer is a success
    (a GET never waits for a writer; a POST waits its turn), and no read stalls."""
    with httpx.Client(base_url=server) as client:
        ids = [item["id"] for item in client.get("/api/articles", params={"per_page": 100}).json()["items"]]
    ingest = subprocess.Popen(
        [*AKHBAR, "ingest", str(articles_jsonl(tmp_path / "more.jsonl", 250)), "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    started = threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(db, BUSY_SECONDS + 1, started))
    statuses: Counter[str] = Counter()
    slowest: dict[str, float] = {}
    problems: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + 12

    def client_loop(seed: int) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=server, timeout=60) as client:
            while time.monotonic() < stop:
                article = rng.choice(ids)
                kind, method, url, params, content = rng.choice(
                    [
                        ("article", "GET", f"/api/articles/{article}", None, None),
                        ("page", "GET", f"/article/{article}", None, None),
                        ("related", "GET", f"/api/articles/{article}/related", None, None),
                        ("search", "GET", "/api/search", {"q": rng.choice(["كيم", "Putin", "بيونغ يانغ"])}, None),
                        ("entity", "GET", "/api/entities/pyongyang", None, None),
                        ("health", "GET", "/api/health", None, None),
                    ]
                )
                if seed == 0 and rng.random() < 0.2:
                    text = f"عنوان تجريبي {rng.random()}\n\nنص تجريبي عن بيونغ يانغ وموسكو كتب للاختبار."
                    kind, method, url, params, content = "post", "POST", "/api/ingest", None, text.encode("utf-8")
                began = time.monotonic()
                try:
                    response = client.request(method, url, params=params, content=content)
                    outcome = str(response.status_code)
                except httpx.HTTPError as error:
                    outcome = type(error).__name__
                took = time.monotonic() - began
                with lock:
                    statuses[outcome] += 1
                    slowest[kind] = max(slowest.get(kind, 0.0), took)
                    if outcome not in ("200", "201"):
                        problems.append(f"{kind}: {outcome}")

    clients = [threading.Thread(target=client_loop, args=(seed,)) for seed in range(16)]
    for thread in clients:
        thread.start()
    time.sleep(2)
    holder.start()
    started.wait()
    for thread in clients:
        thread.join()
    holder.join()
    _, errors = ingest.communicate(timeout=300)
    assert ingest.returncode == 0, errors
    assert not problems, (problems[:10], statuses)
    assert sum(statuses.values()) > 100
    reads = {kind: seconds for kind, seconds in slowest.items() if kind != "post"}
    assert max(reads.values()) < BUSY_SECONDS, slowest  # a read that waited for the lock would take >= 5 s
    with akhbar.open(db, read_only=True) as archive:
        assert archive.stats().articles >= len(ids) + 250


def test_a_second_writer_waits_its_turn(db: Path) -> None:
    """`akhbar ingest` while another writer holds the lock past the busy timeout: it says it waits, then stores."""
    started = threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(db, BUSY_SECONDS + 2, started))
    holder.start()
    started.wait()
    try:
        done = subprocess.run(
            [*AKHBAR, "ingest", str(EXAMPLES / "jsonl"), "--db", str(db)], capture_output=True, text=True, timeout=300
        )
    finally:
        holder.join()
    assert done.returncode == 0, done.stderr
    assert "waiting for it" in done.stderr
    assert "Traceback" not in done.stderr


def test_stale_related_lists_are_served_as_stored_and_ranked_by_the_writer(db: Path) -> None:
    """A view of an article whose list is stale answers from the stored list at once; the server's writer ranks the
    list in the background, so it is current afterwards (and the GET itself wrote nothing)."""
    from fastapi.testclient import TestClient

    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE related_ranked SET size = 1")
        size = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
        article, rowid = connection.execute(
            "SELECT a.id, a.rowid FROM articles a JOIN related_links r ON r.article = a.rowid LIMIT 1"
        ).fetchone()
        stored = [r[0] for r in connection.execute(
            "SELECT other FROM related_links WHERE article = ? ORDER BY position", (rowid,)
        )]  # fmt: skip
    with TestClient(create_app(db), base_url="http://127.0.0.1") as client:
        served = client.get(f"/api/articles/{article}/related", params={"k": 10}).json()["items"]
        assert len(served) == min(10, len(stored))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with sqlite3.connect(db) as connection:
                ranked = connection.execute("SELECT size FROM related_ranked WHERE article = ?", (rowid,)).fetchone()
            if ranked[0] == size:
                break
            time.sleep(0.1)
        assert ranked[0] == size, "the writer did not rank the stale list"


def test_reads_never_write_on_either_store(new_db: Callable[[], str]) -> None:
    """Every page's reads on a read-only archive of each backend: stale related lists are served as stored, nothing
    is written, and a write is refused by the connection itself."""
    db = new_db()
    with akhbar.open(db) as archive:
        archive.ingest([EXAMPLES / "textpages"])
        with archive.store.transaction():  # every related list ranked when the archive was tiny: stale now
            archive.store._execute("UPDATE related_ranked SET size = 1")  # type: ignore[attr-defined]
    snapshot = "SELECT article, size FROM related_ranked ORDER BY article"
    with akhbar.open(db) as archive:
        before = [tuple(r) for r in archive.store._execute(snapshot).fetchall()]  # type: ignore[attr-defined]
    with akhbar.open(db, read_only=True) as archive:
        refs, total = archive.articles(limit=100)
        assert total == len(refs) > 10
        for ref in refs:
            view = archive.view(ref.id)
            assert view is not None and archive.related(ref.id, k=5) == view.related
        assert archive.search("كوريا الشمالية") and archive.stories()
        with pytest.raises(Exception, match=r"(?i)read.?only"), archive.store.transaction():
            archive.store._execute("DELETE FROM related_ranked")  # type: ignore[attr-defined]
    with akhbar.open(db) as archive:
        assert [tuple(r) for r in archive.store._execute(snapshot).fetchall()] == before  # type: ignore[attr-defined]
