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
  of the story), ``related``, ``unrelated``;
* 2026-12-07: the 886 pairs the old guide had graded 0, until then kept ``unrelated``, judged blind again the same way
  (note ``2026-12-07 (judged again)``): a second judge had found a third of them ``related`` under the current guide
  (the same team, conflict or company in another story). 573 stayed ``unrelated``; 298 are ``related``, 14
  ``same_story``, 1 ``same_event``. Every figure before this date was measured on the old labels. ``-12e``: the
  unjudged top 5 of the re-ranking that counts shared tags (ranked now and served), 5 pairs, judged the same way;
  ``-12f``: the unjudged top 5 once listed names replaced the parts the tagger cut (ranked now and served), 5 pairs;
  ``-12g``: those once the groups and institutions the tagger never tags were listed (الحوثيين), 2 pairs;
  ``-12h``: those once the ANT reader cut the sites' furniture (CNN Arabic's "more news" items), 10 pairs.

A second judge (``bench/data/related_second_judge.tsv``) judged every pair of 20 random queries again, blind, with the
same guide: the table after the systems gives their agreement, and the nDCG@5 of ranking by the second judge's labels,
beside ours, on those queries. Both judges are the same kind of reader (a model given the guide, never the system's
output), so read their agreement as an upper bound of what two people would reach.

For each system, over the queries with at least one relevant candidate: nDCG@5 with gains same_story 2, related 1,
unrelated and same_event 0 (ideal ranking from all judged candidates of the query); P@5 (related or better, empty
slots count as misses); precision of what is shown (related or better / listed: an empty list beats a wrong one);
the share of listed items that report the same event; the share of the top 5 that was judged (a never-judged
article counts as not relevant). ``nDCG@5 (2023)`` scores the same lists with the old grades. Systems:

* ``bm25 mlt``: the lexical half of ours alone (the article's top tf-idf terms as one bm25 OR query), in bm25 order;
* ``entities``: the entity half alone;
* ``first stage (+ time)``: both, mixed with time closeness, not re-ranked;
* ``bm25 mlt, re-ranked``: bm25's candidates through our re-ranking (what this table called ``bm25 mlt`` until
  2026-12-07: the baseline figures quoted before then had our re-ranking in them);
* ``akhbar (shipped)``: the shipped ``related``; ``served``: the lists the archive stored at ingest.

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
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from akhbar.link.related import RelatedConfig, related, served_related
from akhbar.store.base import RelatedIndex
from akhbar.store.sqlite import SQLiteStore
from antdb import ANT, DEFAULT_DB, docno_ids, ensure_db

REPO = Path(__file__).resolve().parents[1]
JUDGMENTS = REPO / "bench" / "data" / "related_judgments.tsv"
SECOND_JUDGE = REPO / "bench" / "data" / "related_second_judge.tsv"
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


def read_second_judge(ids: dict[str, str]) -> dict[str, dict[str, str]]:
    """The second judge's labels (query id → candidate id → label): every judged pair of 20 random queries."""
    second: defaultdict[str, dict[str, str]] = defaultdict(dict)
    with open(SECOND_JUDGE, encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            second[ids[row["query_docno"]]][ids[row["candidate_docno"]]] = row["label"]
    return second


def kappa(a: list[object], b: list[object]) -> tuple[float, float]:
    """Agreement of two judges on the same items, and Cohen's kappa (agreement beyond chance)."""
    agreed = sum(x == y for x, y in zip(a, b, strict=True)) / len(a)
    count_a, count_b = Counter(a), Counter(b)
    chance = sum(count_a[v] * count_b[v] for v in count_a) / len(a) ** 2
    return agreed, (agreed - chance) / (1 - chance)


def judge_ceiling(
    second: dict[str, dict[str, str]], judged: Judged, systems: dict[str, Callable[[str], list[str]]]
) -> None:
    """How far two careful readers agree, and what that means for nDCG@5: the second judge's labels as a ranking
    (ties in shuffled order, mean of 50 shuffles) scored by the main judgments, beside our systems on the same
    queries; and the other way round."""
    pairs = [(q, c) for q, labels in second.items() for c in labels]
    first_labels = {(q, c): label for q, c, label in _labels(JUDGMENTS)}
    a = [first_labels[p] for p in pairs]
    b = [second[q][c] for q, c in pairs]
    four, four_k = kappa(list(a), list(b))
    relevant, relevant_k = kappa([GAINS[x] > 0 for x in a], [GAINS[x] > 0 for x in b])
    print(f"\nsecond judge: {len(pairs)} pairs of {len(second)} random queries judged again blind")
    print(f"  agreement: four labels {four:.3f} (kappa {four_k:.3f}), relevant or not {relevant:.3f} "
          f"(kappa {relevant_k:.3f})")  # fmt: skip
    by_second = {q: {c: GAINS[label] for c, label in labels.items()} for q, labels in second.items()}
    queries = [q for q in second if any(g > 0 for g in judged[q].values())]

    def human(ranker: Judged, truth: Judged) -> float:
        rng = random.Random(7)
        scores = []
        for _ in range(50):
            for q in queries:
                order = sorted(ranker[q], key=lambda c: (-ranker[q][c], rng.random()))
                scores.append(ndcg([truth[q].get(c, 0) for c in order], list(truth[q].values())))
        return statistics.mean(scores)

    print(f"  nDCG@5 on these {len(queries)} queries, scored by the main judgments / by the second judge:")
    main = {q: judged[q] for q in queries}
    print(f"    {'a second judge ranks':26}{human(by_second, main):8.3f}{human(main, by_second):8.3f}")
    for name, lists in systems.items():
        found = {q: lists(q) for q in queries}
        on_main = statistics.mean(ndcg([main[q].get(c, 0) for c in found[q]], list(main[q].values())) for q in queries)
        on_second = statistics.mean(
            ndcg([by_second[q].get(c, 0) for c in found[q]], list(by_second[q].values())) for q in queries
        )
        print(f"    {name:26}{on_main:8.3f}{on_second:8.3f}")


def _labels(path: Path) -> list[tuple[str, str, str]]:
    """(query id, candidate id, label) of a judgments file."""
    ids = docno_ids()
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [(ids[r["query_docno"]], ids[r["candidate_docno"]], r["label"]) for r in rows]


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
        "bm25 mlt": replace(base, entity_weight=0.0, recency=0.0, rerank=0),
        "entities": replace(base, lexical_weight=0.0, recency=0.0, rerank=0),
        "first stage (+ time)": replace(base, rerank=0),
        "bm25 mlt, re-ranked": replace(base, entity_weight=0.0, recency=0.0),
        "akhbar (shipped)": base,
    }
    queries = [q for q, grades in judged.items() if any(g > 0 for g in grades.values())]
    print(f"{len(judged)} judged queries, {len(queries)} with a relevant candidate; "
          f"{sum(map(len, judged.values()))} judged pairs\n")  # fmt: skip
    print(f"{'system':28}{'nDCG@5':>8}{'P@5':>7}{'shown P':>9}{'listed':>8}{'same event':>12}{'judged@5':>10}"
          f"{'nDCG@5 (2023)':>15}")  # fmt: skip
    stored_lists = store.db.execute("SELECT 1 FROM related_links LIMIT 1").fetchone() is not None
    runs = {name: ranked_now(store, config) for name, config in systems.items()}
    if stored_lists:  # what the API serves: stored at ingest, re-ranked when stale
        runs["served"] = lambda q: [ref.id for ref in served_related(store, q, k=5)]
    for name, lists in runs.items():
        f = figures(lists, judged, same_event, old_grades)
        print(f"{name:28}{f['ndcg5']:8.3f}{f['p5']:7.3f}{f['shown_precision']:9.3f}{f['listed']:8.2f}"
              f"{f['same_event']:12.3f}{f['judged5']:10.2f}{f['ndcg5_2023']:15.3f}")  # fmt: skip

    judge_ceiling(
        read_second_judge(docno_ids()),
        judged,
        {name: lists for name, lists in runs.items() if name in ("bm25 mlt", "akhbar (shipped)", "served")},
    )

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
