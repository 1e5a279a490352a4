"""Benchmark: search at 30k, 100k and 1M articles — the search index (tantivy, top-k) beside the store's exact bm25
(SQLite FTS5, which scores every match), in one run, through the shipped search (``Archive.search``).

Run from the repo root:

    .venv/bin/python bench/search_scale.py                                  # 30k, 100k, 1M (~40 minutes, ~20 GB)
    .venv/bin/python bench/search_scale.py --sizes 30000,100000 --queries 50

The archive: the whole ANT corpus ingested by ``akhbar ingest`` (bench/antdb.py, built once), copied, then grown to
each size with synthetic copies of its articles written with SQL straight into the archive's tables (the store's own
load path takes 71 minutes for 1M articles, see bench/scale.py; this benchmark measures search, not loading). Copy
``k`` of an article: new id and URL, dated ``k`` corpus spans earlier, the same blocks, tags and entities (one
mention per entity), and its search-layer text re-worded: a quarter of its terms replaced by terms drawn from the
corpus, so copies are not duplicates and the vocabulary and term frequencies stay those of real Arabic news.

At each size: the search index is rebuilt (``akhbar reindex search``'s path): articles/s and bytes per article; then
latency p50/p95/p99 of the shipped search (hits with snippets: what a results page shows) with the index, and with
the index switched off (the store's exact bm25, today's search before the index), for:

* ``common``: single words among the 300 the most articles use (السعودية, وزير, اليمن …);
* ``rare``: single words 3 to 30 articles of the real corpus use;
* ``phrase``: two adjacent title words, quoted;
* ``filtered``: a common word with an outlet, a 90-day range or an entity (one of each in turn).

Each query is timed on its first run (what it reads may still be on disk: after the rebuild read the whole archive,
the index's files are partly out of the page cache at 1M) and, for the index, run again (in memory).

Also the top-10 overlap of the two (same archive, same queries). Goals (issue 15): p95 < 10 ms at 1M including
snippets, build >= 5,000 articles/s.
"""

from __future__ import annotations

import argparse
import logging
import random
import shutil
import sqlite3
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

import akhbar  # noqa: E402
from akhbar.store.base import ArticleFilter  # noqa: E402
from antdb import DEFAULT_DB, ensure_db  # noqa: E402

WORK = Path("/tmp/akhbar-bench-search")
REWORD_SHARE = 0.25
GOAL_P95_MS, GOAL_BUILD_PER_S = 10.0, 5000.0


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else float("nan")


@dataclass
class Source:
    """The real archive's articles, as the copies are made from them."""

    top: int  # highest rowid of the real archive: copy k of article r is row r + k * top
    span_days: int
    search: list[tuple[int, str, str]]  # rowid, search-layer title, body
    vocabulary: list[str]  # every term of a sample of bodies, with repeats (a draw follows term frequency)


def read_source(db: sqlite3.Connection, rng: random.Random) -> Source:
    top = db.execute("SELECT max(rowid) FROM articles WHERE id NOT LIKE '%~%'").fetchone()[0]  # copies' ids: ~k
    first, last = db.execute(
        "SELECT min(published_day), max(published_day) FROM articles WHERE rowid <= ?", (top,)
    ).fetchone()
    span = (time.mktime(time.strptime(last, "%Y-%m-%d")) - time.mktime(time.strptime(first, "%Y-%m-%d"))) // 86400
    rows = db.execute("SELECT rowid, title, body FROM search WHERE rowid <= ? ORDER BY rowid", (top,)).fetchall()
    vocabulary = [term for _, _, body in rng.sample(rows, min(3000, len(rows))) for term in body.split()]
    return Source(top, int(span) + 1, rows, vocabulary)


def grow(db: sqlite3.Connection, source: Source, target: int, rng: random.Random) -> None:
    """Add copies until the archive holds ``target`` articles (one transaction per copy of the corpus)."""
    size = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    top, count = source.top, len(source.search)
    while size < target:
        k, start = divmod(size - count, count)  # copy k + 1 of the source rows from position start on
        k += 1
        part = source.search[start : start + min(count - start, target - size)]
        want, lo, cut = len(part), part[0][0], part[-1][0]  # source rowids lo..cut
        offset, days = k * top, -k * source.span_days
        started = time.perf_counter()
        db.execute("BEGIN")
        db.execute(
            "INSERT INTO articles (rowid, id, url, outlet, attribution, title, published_at, published_day, author,"
            " lang, provenance, content_hash, summary, ingested_at, updated_at)"
            " SELECT rowid + ?1, id || ?2, url || ?2, outlet, attribution, title,"
            " CASE WHEN published_at IS NULL THEN NULL ELSE datetime(published_at, ?3 || ' days') END,"
            " CASE WHEN published_day IS NULL THEN NULL ELSE date(published_day, ?3 || ' days') END,"
            " author, lang, provenance, content_hash || ?2, summary, ingested_at, updated_at"
            " FROM articles WHERE rowid BETWEEN ?5 AND ?4",
            (offset, f"~{k}", days, cut, lo),
        )
        for table, columns in (
            ("blocks", "article + ?1, position, type, text"),
            ("tags", "article + ?1, position, tag, tag_key"),
            ("auto_tags", "article + ?1, position, kind, text, key, entity, score"),
        ):
            db.execute(
                f"INSERT INTO {table} SELECT {columns} FROM {table} WHERE article BETWEEN ?3 AND ?2", (offset, cut, lo)
            )
        db.execute(
            "INSERT INTO mentions SELECT article + ?1, entity, min(start), min(start) + 1, min(spelling), min(type)"
            " FROM mentions WHERE article BETWEEN ?3 AND ?2 GROUP BY article, entity",
            (offset, cut, lo),
        )
        words = source.vocabulary
        rows = []
        for rowid, title, body in part:
            terms = body.split()
            for i in rng.sample(range(len(terms)), int(len(terms) * REWORD_SHARE)):
                terms[i] = rng.choice(words)
            rows.append((rowid + offset, title, " ".join(terms)))
        db.executemany("INSERT INTO search (rowid, title, body) VALUES (?,?,?)", rows)
        db.execute("INSERT INTO search_log (article) SELECT rowid FROM articles WHERE rowid > ?", (offset + lo - 1,))
        db.execute("COMMIT")
        size += want
        print(f"  grown to {size:,} articles ({time.perf_counter() - started:.0f} s for copy {k})", flush=True)


def queries(db: sqlite3.Connection, rng: random.Random, n: int) -> dict[str, list[tuple[str, ArticleFilter]]]:
    """The query sets, drawn from the real corpus (rows up to the first copy)."""
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, search, row)")
    by_df = db.execute("SELECT term, doc FROM temp.vocab WHERE term GLOB '*[^0-9]*' ORDER BY doc DESC").fetchall()
    common = [t for t, _ in by_df[:300] if len(t) > 2]
    total = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    rare = [t for t, df in by_df if 3 <= df * 30_000 / total <= 30 and len(t) > 3]
    titles = [r[0].split() for r in db.execute("SELECT title FROM search ORDER BY random() LIMIT 2000")]
    phrases = [f'"{t[i]} {t[i + 1]}"' for t in titles if len(t) > 3 for i in [rng.randrange(len(t) - 1)]]
    outlets = [r[0] for r in db.execute("SELECT outlet FROM articles WHERE outlet IS NOT NULL GROUP BY outlet")]
    days = [r[0] for r in db.execute("SELECT published_day FROM articles WHERE published_day IS NOT NULL LIMIT 5000")]
    entities = [r[0] for r in db.execute("SELECT entity FROM entity_counts ORDER BY articles DESC LIMIT 200")]
    filtered = []
    for i in range(n):
        word = rng.choice(common)
        if i % 3 == 0:
            where = ArticleFilter(outlet=rng.choice(outlets))
        elif i % 3 == 1:
            day = rng.choice(days)
            end = time.strftime("%Y-%m-%d", time.gmtime(time.mktime(time.strptime(day, "%Y-%m-%d")) + 90 * 86400))
            where = ArticleFilter(since=day, until=end)
        else:
            where = ArticleFilter(entity=rng.choice(entities))
        filtered.append((word, where))
    return {
        "common": [(w, ArticleFilter()) for w in rng.sample(common, min(n, len(common)))],
        "rare": [(w, ArticleFilter()) for w in rng.sample(rare, min(n, len(rare)))],
        "phrase": [(p, ArticleFilter()) for p in rng.sample(phrases, min(n, len(phrases)))],
        "filtered": filtered,
    }


def timed(
    archive: akhbar.Archive, sets: dict[str, list[tuple[str, ArticleFilter]]], *, again: bool = False
) -> dict[str, tuple]:
    """Per kind: the time of each query's first run, its hits' ids, and (``again``) the time of a second run, when
    what it reads is in memory."""
    out = {}
    for kind, items in sets.items():
        times, results, repeated = [], [], []
        for query, where in items:
            started = time.perf_counter()
            hits = archive.search(query, limit=10, where=where)
            times.append((time.perf_counter() - started) * 1000)
            results.append([h.id for h in hits])
            if again:
                started = time.perf_counter()
                archive.search(query, limit=10, where=where)
                repeated.append((time.perf_counter() - started) * 1000)
        out[kind] = (times, results, repeated)
    return out


def folder_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def report(n: int, build: float, indexed: int, size_per: float, with_index: dict, exact: dict, sets: dict) -> None:
    cells, overlaps = [], []
    for kind in sets:
        (t_index, r_index, _), (t_exact, r_exact, _) = with_index[kind], exact[kind]
        cells.append(
            f"{pct(t_index, 0.5):.1f}/{pct(t_index, 0.95):.1f}/{pct(t_index, 0.99):.1f}|"
            f"{pct(t_exact, 0.5):.0f}/{pct(t_exact, 0.95):.0f}/{pct(t_exact, 0.99):.0f}"
        )
        shared = [len(set(a) & set(b)) / max(1, len(b)) for a, b in zip(r_index, r_exact, strict=True) if b]
        overlaps.append(f"{kind} {sum(shared) / max(1, len(shared)):.2f}")
    head = f"{n:>10,} {build:>8.1f} {indexed / build:>7.0f} {size_per:>6.0f}  "
    print(head + "  ".join(f"{c:>26}" for c in cells))
    print(f"{'':>10} top-10 overlap with exact bm25: " + ", ".join(overlaps))
    print(
        f"{'':>10} the same queries again, index p50/p95/p99 ms: "
        + ", ".join(
            f"{kind} {pct(r, 0.5):.1f}/{pct(r, 0.95):.1f}/{pct(r, 0.99):.1f}"
            for kind in sets
            for r in [with_index[kind][2]]
        )
    )
    by_filter: dict[str, tuple[list[float], list[float]]] = {}
    for (_, where), t_index, t_exact in zip(
        sets["filtered"], with_index["filtered"][0], exact["filtered"][0], strict=True
    ):
        kind = "entity" if where.entity is not None else "outlet" if where.outlet else "days"
        by_filter.setdefault(kind, ([], []))[0].append(t_index)
        by_filter[kind][1].append(t_exact)
    print(
        f"{'':>10} filtered, p95 ms index|exact: "
        + ", ".join(f"{k} {pct(a, 0.95):.1f}|{pct(b, 0.95):.0f}" for k, (a, b) in sorted(by_filter.items())),
        flush=True,
    )


def measure(archive: akhbar.Archive, folder: Path, sets: dict) -> tuple[float, int, float, dict, dict]:
    """Rebuild the archive's search index, then time the query sets with it and without it."""
    started = time.perf_counter()
    indexed = archive.update_search_index(rebuild=True)
    build = time.perf_counter() - started
    size_per = folder_bytes(folder) / max(1, indexed)
    for query, where in [(items[-1][0], items[-1][1]) for items in sets.values()]:  # models, caches, the new
        archive.search(query, where=where)  # index's files loaded: the first query after a rebuild took ~190 ms
    with_index = timed(archive, sets, again=True)
    index, archive.search_index = archive.search_index, None
    exact = timed(archive, sets)
    archive.search_index = index
    return build, indexed, size_per, with_index, exact


def postgres_phase(url: str, sizes: list[int], source_db: Path, sets: dict) -> None:
    """The same queries on a PostgreSQL archive (the store's exact bm25 over postings vs a search index that follows
    the archive's change log, as a server keeps one with AKHBAR_SEARCH_INDEX): the real articles, then copies under
    new ids (the same text: the store's write path, without entity analysis, so the entity filter is left out)."""
    import psycopg

    from akhbar.pipeline import PipelineConfig

    with psycopg.connect(url, autocommit=True) as con:
        con.execute("DROP SCHEMA public CASCADE")
        con.execute("CREATE SCHEMA public")
    folder = WORK / "postgres.search"
    shutil.rmtree(folder, ignore_errors=True)
    with akhbar.open(source_db, read_only=True) as source:
        originals = list(source.store.iter_articles())
    sets = {**sets, "filtered": [(q, w) for q, w in sets["filtered"] if w.entity is None]}
    print(f"PostgreSQL ({len(sets['filtered'])} filtered queries: outlet and days)")
    with akhbar.open(url, PipelineConfig(search_index=str(folder))) as archive:
        stored = 0
        for size in sorted(sizes):
            while stored < size:
                k, start = divmod(stored, len(originals))
                batch = [
                    a if k == 0 else replace(a, id=f"{a.id}~{k}", url=f"{a.url or a.id}~{k}")
                    for a in originals[start : start + min(1000, size - stored)]
                ]
                archive.store.put_many([(article, None) for article in batch])
                stored += len(batch)
            archive.store.refresh_statistics()
            report(stored, *measure(archive, folder, sets), sets)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="30000,100000,1000000")
    parser.add_argument("--queries", type=int, default=100, help="queries per kind")
    parser.add_argument("--source", type=Path, default=DEFAULT_DB)
    parser.add_argument("--keep", action="store_true", help="reuse the grown archive of an earlier run")
    parser.add_argument("--pg", help="also a PostgreSQL archive at this URL (its public schema is emptied)")
    parser.add_argument("--pg-sizes", default="30000,100000")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    ensure_db(args.source)
    WORK.mkdir(exist_ok=True)
    target = WORK / "archive.db"
    if not (args.keep and target.exists()):
        shutil.rmtree(WORK / "archive.db.search", ignore_errors=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        with sqlite3.connect(args.source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        akhbar.open(target).close()  # the current schema (an older bench archive is upgraded)
    rng = random.Random(15)
    db = sqlite3.connect(target, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    source = read_source(db, rng)
    sets = queries(db, rng, args.queries)
    print(f"{'articles':>10} {'build s':>8} {'art/s':>7} {'B/art':>6}  " + "  ".join(f"{k:>26}" for k in sets))
    print(f"{'':>35}  " + "  ".join(f"{'p50/p95/p99 ms  index|exact':>26}" for _ in sets))
    for size in sorted(int(s) for s in args.sizes.split(",") if s):
        grow(db, source, size, rng)
        n = db.execute("SELECT count(*) FROM articles").fetchone()[0]
        with akhbar.open(target) as archive:
            report(n, *measure(archive, Path(f"{target}.search"), sets), sets)
    if args.pg:
        postgres_phase(args.pg, [int(s) for s in args.pg_sizes.split(",")], args.source, sets)
    print(f"goals: p95 < {GOAL_P95_MS:.0f} ms at 1M with snippets; build >= {GOAL_BUILD_PER_S:,.0f} articles/s")


if __name__ == "__main__":
    main()
