"""Benchmark: related articles (akhbar.link.related) against judged pools on the ANT corpus, and their latency.

Run from the repo root:  .venv/bin/python bench/related.py [--db /tmp/ant.db]

Judgments: ``bench/data/related_judgments.tsv`` - 100 query articles (20 per outlet, seeded). Pooled twice:

* 2023: the top 5 candidates of four methods (bm25 "more like this", tf-idf cosine, shared entities, bm25 within
  ±7 days; near-duplicates of the query kept out), graded 2 = same story or a direct development, 1 = related
  background, 0 = not related (``old_grade``);
* 2026-12: the top 8 of the ranker with the same-event rule (``methods`` = ``akhbar-2026-12``; ``-12b``: those of
  the ranker with the floor that were still unjudged; ``-12c``: the rest of each query's top 20 without the floor)
  added, and every pair the old guide had graded 1 or 2; ``-12d``: the unjudged top 5 of wider re-rankings (20-60
  candidates, with and without a story bonus) and of the served lists, 88 pairs; all
  judged blind again with the same-event guide's four labels (``bench/data/EVENT_GUIDE.md``; the judges saw the two
  texts only, in shuffled order): ``same_event`` (another
  report of the very same happening: "also reported by", never further reading), ``same_story`` (another development
  of the story), ``related``, ``unrelated``. Pairs the old guide graded 0 keep ``unrelated``.

For each system, over the queries with at least one relevant candidate: nDCG@5 with gains same_story 2, related 1,
unrelated and same_event 0 (ideal ranking from all judged candidates of the query); P@5 (related or better, empty
slots count as misses); precision of what is shown (related or better / listed: an empty list beats a wrong one);
the share of listed items that report the same event; the share of the top 5 that was judged (a never-judged
article counts as not relevant). ``nDCG@5 (2023)`` scores the same lists with the old grades. Systems:

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
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from akhbar.link.related import RelatedConfig, related, served_related
from akhbar.store.base import RelatedIndex
from akhbar.store.sqlite import SQLiteStore
from antdb import ANT, DEFAULT_DB, docno_ids, ensure_db

REPO = Path(__file__).resolve().parents[1]
JUDGMENTS = REPO / "bench" / "data" / "related_judgments.tsv"
GAINS = {"same_story": 2, "related": 1, "unrelated": 0, "same_event": 0}


def ndcg(gains: list[int], ideal: list[int], k: int = 5) -> float:
    def dcg(values: list[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(values[:k]))

    best = dcg(sorted(ideal, reverse=True))
    return dcg(gains) / best if best else 0.0


Judged = dict[str, dict[str, int]]


def read_judgments(ids: dict[str, str]) -> tuple[Judged, Judged, set[tuple[str, str]]]:
    """The judged pools by article id: query → candidate → gain, the same with the 2023 grades, and the pairs judged
    ``same_event``."""
    judged: defaultdict[str, dict[str, int]] = defaultdict(dict)
    old_grades: defaultdict[str, dict[str, int]] = defaultdict(dict)
    same_event: set[tuple[str, str]] = set()
    with open(JUDGMENTS, encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            query, candidate = ids[row["query_docno"]], ids[row["candidate_docno"]]
            judged[query][candidate] = GAINS[row["label"]]
            if row["old_grade"]:
                old_grades[query][candidate] = int(row["old_grade"])
            if row["label"] == "same_event":
                same_event.add((query, candidate))
    return judged, old_grades, same_event


def figures(
    lists: Callable[[str], list[str]],
    judged: Judged,
    same_event: set[tuple[str, str]],
    old_grades: Judged | None = None,
) -> dict[str, float]:
    """The table's figures for a system (``lists``: query id → the ids it lists, best first) over the queries with at
    least one relevant candidate."""
    queries = [q for q, grades in judged.items() if any(g > 0 for g in grades.values())]
    scores, old_scores, precisions, coverage = [], [], [], []
    listed = relevant = repeats = 0
    for query in queries:
        found = lists(query)
        grades = judged[query]
        gains = [grades.get(a, 0) for a in found]
        scores.append(ndcg(gains, list(grades.values())))
        if old_grades is not None:
            old = old_grades[query]
            old_scores.append(ndcg([old.get(a, 0) for a in found], list(old.values())))
        precisions.append(sum(g > 0 for g in gains) / 5)
        coverage.append(sum(a in grades for a in found) / max(1, len(found)))
        listed += len(found)
        relevant += sum(g > 0 for g in gains)
        repeats += sum((query, a) in same_event for a in found)
    return {
        "ndcg5": statistics.mean(scores),
        "p5": statistics.mean(precisions),
        "shown_precision": relevant / max(1, listed),
        "listed": listed / len(queries),
        "same_event": repeats / max(1, listed),
        "judged5": statistics.mean(coverage),
        "ndcg5_2023": statistics.mean(old_scores) if old_scores else float("nan"),
    }


def ranked_now(store: RelatedIndex, config: RelatedConfig) -> Callable[[str], list[str]]:
    """The system that ranks a query's top 5 now, with ``config``."""
    return lambda query: [ref.id for ref in related(store, query, k=5, config=config)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    args = parser.parse_args()
    if not ANT.is_file():
        sys.exit(f"ANT corpus not found at {ANT}: this benchmark needs ../shared/data")
    ensure_db(args.db)
    judged, old_grades, same_event = read_judgments(docno_ids())
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
    print(f"{'system':28}{'nDCG@5':>8}{'P@5':>7}{'shown P':>9}{'listed':>8}{'same event':>12}{'judged@5':>10}"
          f"{'nDCG@5 (2023)':>15}")  # fmt: skip
    stored_lists = store.db.execute("SELECT 1 FROM related_links LIMIT 1").fetchone() is not None
    runs = {name: ranked_now(store, config) for name, config in systems.items()}
    if stored_lists:  # what the API serves: stored at ingest, re-ranked when stale
        runs["served (stored lists)"] = lambda q: [ref.id for ref in served_related(store, q, k=5)]
    for name, lists in runs.items():
        f = figures(lists, judged, same_event, old_grades)
        print(f"{name:28}{f['ndcg5']:8.3f}{f['p5']:7.3f}{f['shown_precision']:9.3f}{f['listed']:8.2f}"
              f"{f['same_event']:12.3f}{f['judged5']:10.2f}{f['ndcg5_2023']:15.3f}")  # fmt: skip

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
