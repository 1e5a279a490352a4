"""Benchmark: related articles (akhbar.link.related) against judged pools on the ANT corpus, and their latency.

Run from the repo root:  .venv/bin/python bench/related.py [--db /tmp/ant.db]

Judgments: ``bench/data/related_judgments.tsv`` - 100 query articles (20 per outlet, seeded), the top 5 candidates
of four methods pooled (bm25 "more like this", tf-idf cosine, shared entities, bm25 within ±7 days), every pair
graded by reading both: 2 = same story or a direct development, 1 = related background, 0 = not related.
Near-duplicates of the query (6-gram Jaccard >= 0.5) were kept out of the pools: they are "also reported by".

For each system, nDCG@5 with gains 2/1/0 (ideal ranking from all judged candidates of the query) and P@5 (grade
>= 1), over the queries with at least one relevant candidate. A returned article that was never judged counts as
not relevant (pooling bias against any new system: the share of its top 5 that was judged is printed). Systems:

* ``bm25 mlt``: the lexical half of ours alone (the article's top tf-idf terms as one bm25 OR query);
* ``entities``: the entity half alone;
* ``akhbar``: both, mixed with time closeness (the shipped ``related``).

The database is the whole ANT corpus ingested by ``akhbar ingest`` (built when missing: ~6 minutes).
Latency: p50/p95 of ``related`` over the 100 queries and 300 random articles.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from akhbar.link.related import RelatedConfig, related, served_related
from akhbar.store.sqlite import SQLiteStore
from antdb import ANT, DEFAULT_DB, docno_ids, ensure_db

REPO = Path(__file__).resolve().parents[1]
JUDGMENTS = REPO / "bench" / "data" / "related_judgments.tsv"


def ndcg(gains: list[int], ideal: list[int], k: int = 5) -> float:
    def dcg(values: list[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(values[:k]))

    best = dcg(sorted(ideal, reverse=True))
    return dcg(gains) / best if best else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    args = parser.parse_args()
    if not ANT.is_file():
        sys.exit(f"ANT corpus not found at {ANT}: this benchmark needs ../shared/data")
    ensure_db(args.db)
    ids = docno_ids()
    judged: defaultdict[str, dict[str, int]] = defaultdict(dict)
    with open(JUDGMENTS, encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            judged[ids[row["query_docno"]]][ids[row["candidate_docno"]]] = int(row["grade"])
    store = SQLiteStore(args.db)
    base = RelatedConfig()
    systems = {
        "bm25 mlt": replace(base, entity_weight=0.0, recency=0.0),
        "entities": replace(base, lexical_weight=0.0, recency=0.0),
        "bm25 + entities": replace(base, recency=0.0),
        "akhbar (+ time, shipped)": base,
    }
    queries = [q for q, grades in judged.items() if any(g > 0 for g in grades.values())]
    print(f"{len(judged)} judged queries, {len(queries)} with a relevant candidate; "
          f"{sum(map(len, judged.values()))} judged pairs\n")  # fmt: skip
    print(f"{'system':28}{'nDCG@5':>8}{'P@5':>7}{'judged@5':>10}")
    stored_lists = store.db.execute("SELECT 1 FROM related_links LIMIT 1").fetchone() is not None
    runs: dict[str, RelatedConfig | None] = {**systems}
    if stored_lists:
        runs["served (stored lists)"] = None  # what the API serves: stored at ingest, re-ranked when stale
    for name, config in runs.items():
        scores, precisions, coverage = [], [], []
        for query in queries:
            if config is None:
                found = [ref.id for ref in served_related(store, query, k=5)]
            else:
                found = [ref.id for ref in related(store, query, k=5, config=config)]
            grades = judged[query]
            gains = [grades.get(a, 0) for a in found]
            scores.append(ndcg(gains, list(grades.values())))
            precisions.append(sum(g > 0 for g in gains) / 5)
            coverage.append(sum(a in grades for a in found) / max(1, len(found)))
        print(f"{name:28}{statistics.mean(scores):8.3f}{statistics.mean(precisions):7.3f}"
              f"{statistics.mean(coverage):10.2f}")  # fmt: skip

    rows = [r[0] for r in store.db.execute("SELECT id FROM articles")]
    sample = list(judged) + random.Random(5).sample(rows, min(300, len(rows)))
    times = []
    for query in sample:
        start = time.perf_counter()
        related(store, query, k=5)
        times.append(1000 * (time.perf_counter() - start))
    times.sort()
    print(f"\nlatency over {len(times)} calls on {len(rows)} articles: p50 {times[len(times) // 2]:.1f} ms, "
          f"p95 {times[int(0.95 * len(times))]:.1f} ms, max {times[-1]:.1f} ms")  # fmt: skip
    example = queries[0]
    print(f"\nexample: {example}")
    for ref in related(store, example, k=5):
        print(f"  {judged[example].get(ref.id, '?')}  {ref.score:.3f}  {ref.title[:60]}  [{ref.reason}]")


if __name__ == "__main__":
    main()
