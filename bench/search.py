"""Benchmark: search quality on the ANT archive, judged queries, akhbar beside a plain full-text engine.

Run from the repo root:  .venv/bin/python bench/search.py [--db /tmp/ant.db]
                         .venv/bin/python bench/search.py --pool /tmp/search-pool.tsv   (candidates to judge)

Queries: ``bench/data/search_queries.tsv`` - 103 queries written blind to akhbar by reading the corpus
(SEARCH_GUIDE.md): names in the spellings users type (بيونج يانج, كيم يونغ أون, نتانياهو), Latin names (Pyongyang,
Macron; q84-q103: organizations and places as the English-language press writes them, Houthis, ISIS, IMF), slips
(قوقل, خاشجقي), topics and phrases, each with its information need. Judgments: ``bench/data/search_judgments.tsv`` -
the top 10 of every system below pooled, shuffled, and graded blind against the need (2 = about it, 1 = mentions it
substantively, 0 = not); a hit never judged counts as not relevant.

Systems, one run, the same archive (the whole ANT corpus ingested by ``akhbar ingest``, built when missing):

* ``plain FTS5``: SQLite's own full-text search over the raw title and text (``unicode61``, diacritics removed, bm25,
  title weighted as ours): what a generic engine gives Arabic;
* ``akhbar, words only``: akhbar's search before its entity spellings (the search layer: hamza, ى/ي, ة/ه and clitics
  folded; Latin names transliterated);
* ``akhbar``: a query's Arabic names the archive knows also find the entity's other spellings (the shipped search);
* ``akhbar + «هل تقصد»``: the shipped search, its suggestion followed when it offers one (what a reader who clicks
  it gets).

Per system: nDCG@10 (gains 2/1/0, ideal from every judged hit of the query), P@10 (grade >= 1), queries with no hit,
and the same by query kind. Latency: p50/p95 of the shipped search over the queries.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import math
import random
import sqlite3
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import akhbar
from akhbar.store.sql import BODY_WEIGHT, TITLE_WEIGHT
from antdb import ANT, DEFAULT_DB, docno_ids, ensure_db

REPO = Path(__file__).resolve().parents[1]
QUERIES = REPO / "bench" / "data" / "search_queries.tsv"
JUDGMENTS = REPO / "bench" / "data" / "search_judgments.tsv"
PLAIN_DB = Path("/tmp/akhbar-bench-plain-fts.db")
DEPTH = 10
TITLE_QUERIES = 200


def plain_index(path: Path = PLAIN_DB) -> sqlite3.Connection:
    """SQLite FTS5 over the raw ANT titles and texts (built once, ~1 minute): the generic engine's baseline."""
    fresh = not path.exists()
    db = sqlite3.connect(path)
    if fresh:
        db.execute(
            "CREATE VIRTUAL TABLE plain USING fts5(docno UNINDEXED, title, text,"
            " tokenize='unicode61 remove_diacritics 2')"
        )
        with gzip.open(ANT, "rt", encoding="utf-8") as f:
            rows = ((r["docno"], r.get("title") or "", r.get("text") or "") for r in map(json.loads, f))
            db.executemany("INSERT INTO plain VALUES (?, ?, ?)", rows)
        db.commit()
    return db


def plain_search(db: sqlite3.Connection, query: str, limit: int) -> list[str]:
    """Every word must match (as a generic engine does by default); docnos, best first."""
    words = ['"' + w.replace('"', "") + '"' for w in query.split() if w.strip('"')]
    if not words:
        return []
    rows = db.execute(
        "SELECT docno FROM plain WHERE plain MATCH ? ORDER BY bm25(plain, 0, ?, ?) LIMIT ?",
        (" AND ".join(words), TITLE_WEIGHT, BODY_WEIGHT, limit),
    ).fetchall()
    return [r[0] for r in rows]


def ndcg(gains: list[int], ideal: list[int], k: int = DEPTH) -> float:
    def dcg(values: list[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(values[:k]))

    best = dcg(sorted(ideal, reverse=True))
    return dcg(gains) / best if best else 0.0


def read_queries() -> list[dict[str, str]]:
    with open(QUERIES, encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


@contextmanager
def without_index(archive: akhbar.Archive) -> Iterator[None]:
    """The shipped search answered by the store's exact bm25 (FTS5 scores every match), as before the search index."""
    index, archive.search_index = archive.search_index, None
    try:
        yield
    finally:
        archive.search_index = index


def title_queries(archive: akhbar.Archive, n: int = TITLE_QUERIES) -> tuple[list[str], dict[str, float], float]:
    """Known-item search: ``n`` queries of 2 to 4 consecutive words cut from random titles; the article a query was
    cut from (and any stored under the same title) is its one relevant hit. nDCG@10 of the shipped search with the
    index and with the exact bm25, and the mean top-10 overlap of the two."""
    rng = random.Random(TITLE_QUERIES)
    refs, _ = archive.articles(limit=1_000_000)
    rows = sorted((ref.id, ref.title) for ref in refs)
    same_title: defaultdict[str, set[str]] = defaultdict(set)
    for article_id, title in rows:
        same_title[title].add(article_id)
    queries, relevant = [], []
    for _, title in rng.sample(rows, n * 2):
        words = [w for w in title.split() if len(w) > 1]
        if len(words) < 3 or len(queries) == n:
            continue
        size = rng.randint(2, min(4, len(words)))
        start = rng.randrange(len(words) - size + 1)
        queries.append(" ".join(words[start : start + size]))
        relevant.append(same_title[title])
    scores: dict[str, float] = {}
    found: dict[str, list[list[str]]] = {}
    for way, off in (("index", False), ("exact bm25", True)):
        with without_index(archive) if off else nullcontext():
            found[way] = [[h.id for h in archive.search(q, limit=DEPTH)] for q in queries]
        scores[way] = statistics.mean(
            ndcg([int(i in wanted) for i in ids], [1] * len(wanted))
            for ids, wanted in zip(found[way], relevant, strict=True)
        )
    shared = [len(set(a) & set(b)) / len(b) for a, b in zip(found["index"], found["exact bm25"], strict=True) if b]
    return queries, scores, statistics.mean(shared)


def systems(
    archive: akhbar.Archive, plain: sqlite3.Connection, canonical: Callable[[str], str]
) -> dict[str, Callable[[str], list[str]]]:
    """Each system: query → docnos, best first (akhbar's ids mapped to one docno per article)."""

    def shipped(query: str) -> list[str]:
        return [canonical(h.id) for h in archive.search(query, limit=DEPTH)]

    def words_only(query: str) -> list[str]:
        return [canonical(h.id) for h in archive.store.search(query, limit=DEPTH)]

    def exact(query: str) -> list[str]:
        with without_index(archive):
            return shipped(query)

    def suggested(query: str) -> list[str]:
        return shipped(archive.suggest(query) or query)

    return {
        "plain FTS5": lambda q: [canonical(d) for d in plain_search(plain, q, DEPTH)],
        "akhbar, words only": words_only,
        "akhbar, exact bm25": exact,
        "akhbar": shipped,
        "akhbar + «هل تقصد»": suggested,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--pool", type=Path, help="write the unjudged pooled (query, docno) pairs here and stop")
    args = parser.parse_args()
    if not ANT.is_file():
        sys.exit(f"ANT corpus not found at {ANT}: this benchmark needs ../shared/data")
    ensure_db(args.db)
    ids = docno_ids()
    first_docno: dict[str, str] = {}
    for docno, article_id in ids.items():
        first_docno.setdefault(article_id, docno)

    def canonical(ref: str) -> str:  # an akhbar id or a docno → the article's first docno
        return first_docno.get(ids.get(ref, ref), ref)

    queries = read_queries()
    judged: defaultdict[str, dict[str, int]] = defaultdict(dict)
    if JUDGMENTS.exists():
        with open(JUDGMENTS, encoding="utf-8") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                judged[row["qid"]][canonical(row["docno"])] = int(row["grade"])
    with akhbar.open(args.db) as archive:  # a writer: brings the archive's search index in step (built once)
        archive.update_search_index()
    with akhbar.open(args.db, read_only=True) as archive:
        known_items = title_queries(archive)
        runs = systems(archive, plain_index(), canonical)
        results = {name: {q["qid"]: run(q["query"]) for q in queries} for name, run in runs.items()}
        times: dict[str, list[float]] = {"index": [], "exact bm25": []}
        for q in queries:
            for way, off in (("index", False), ("exact bm25", True)):
                with without_index(archive) if off else nullcontext():
                    start = time.perf_counter()
                    archive.search_with_suggestion(q["query"], limit=DEPTH)
                    times[way].append(1000 * (time.perf_counter() - start))
    if args.pool:
        pairs = sorted(
            {(q, d) for found in results.values() for q, docnos in found.items() for d in docnos if d not in judged[q]}
        )
        random.Random(2026).shuffle(pairs)
        args.pool.write_text("qid\tdocno\n" + "".join(f"{q}\t{d}\n" for q, d in pairs), encoding="utf-8")
        print(f"{len(pairs)} unjudged pairs written to {args.pool}")
        return
    kinds = sorted({q["kind"] for q in queries})
    scored = [q for q in queries if any(g > 0 for g in judged[q["qid"]].values())]
    print(
        f"{len(queries)} queries, {len(scored)} with a relevant judged hit; "
        f"{sum(map(len, judged.values()))} judged pairs\n"
    )
    header = f"{'system':22}{'nDCG@10':>9}{'P@10':>7}{'no hit':>8}{'judged@10':>11}  " + "".join(
        f"{k:>8}" for k in kinds
    )
    print(header + "   (nDCG@10 by kind)")
    for name, found in results.items():
        scores, precisions, coverage, by_kind = [], [], [], defaultdict(list)
        for q in scored:
            grades = judged[q["qid"]]
            docnos = found[q["qid"]]
            value = ndcg([grades.get(d, 0) for d in docnos], list(grades.values()))
            scores.append(value)
            by_kind[q["kind"]].append(value)
            precisions.append(sum(grades.get(d, 0) > 0 for d in docnos) / DEPTH)
            coverage.append(sum(d in grades for d in docnos) / max(1, len(docnos)))
        empty = sum(not found[q["qid"]] for q in queries)
        print(f"{name:22}{statistics.mean(scores):9.3f}{statistics.mean(precisions):7.3f}{empty:8}"
              f"{statistics.mean(coverage):11.2f}  "
              + "".join(f"{statistics.mean(by_kind[k]) if by_kind[k] else 0:8.3f}" for k in kinds))  # fmt: skip
    overlap = [
        len(set(results["akhbar"][q]) & set(exact)) / len(exact)
        for q, exact in results["akhbar, exact bm25"].items()
        if exact
    ]
    print(f"\ntop-10 overlap of the shipped search (index) with exact bm25: {statistics.mean(overlap):.3f}")
    print(
        f"{len(known_items[0])} queries cut from titles (the article they were cut from, and any of the same title,"
        " is the one relevant hit): nDCG@10 "
        + ", ".join(f"{way} {value:.3f}" for way, value in known_items[1].items())
        + f"; top-10 overlap {known_items[2]:.3f}"
    )
    for way, values in times.items():
        values.sort()
        print(
            f"shipped search + suggestion over {len(values)} queries, {way}: p50 {values[len(values) // 2]:.1f} ms,"
            f" p95 {values[int(0.95 * len(values))]:.1f} ms"
        )


if __name__ == "__main__":
    main()
