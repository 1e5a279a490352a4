"""Benchmark: online story clustering (akhbar.link.stories) against a hand-labelled slice of the ANT corpus.

Run from the repo root:  .venv/bin/python bench/stories.py [--db /tmp/akhbar-bench-ant.db] [--threshold 0.3 ...]

Labels: ``bench/data/event_pairs.tsv`` - 490 ANT pairs judged blind (``EVENT_GUIDE.md``): one story means
``same_event`` or ``same_story``; pairwise precision, recall and F1 of landing in one story (the goal: F1 >= 0.85).
``bench/data/event_pairs_second_judge.tsv`` - 150 of those pairs judged again blind by a second judge with the same
guide (2026-12-07; the guide's hard cases name a few pairs as decided): the two judges' agreement, and each scored by
the other beside our clusters. Both judges are the same kind of reader (a model given the guide), so read their
agreement as an upper bound of what two people would reach.
``bench/data/stories_ant.tsv`` - 352 articles in 33 stories (8-12 each, every story covered by two or more
outlets), chosen and read by the akhbar team, with hard cases on purpose: the three phases of the Korea summits,
three Novichok stories, two Gaza events, the Douma attack / T4 strike / Western strikes of April 2018.

The whole corpus (31k articles) is clustered in one pass in publication order (``rebuild``: what an archive ingested
in time order holds); the labelled articles are then scored on the clusters they landed in, so the other 31k
articles compete for them as they would in real use. Scores: adjusted Rand index, B-cubed precision/recall/F1,
purity (share of articles whose cluster's majority label is theirs) and the number of clusters the labelled
articles are split over (33 is perfect). Baseline: the same pass with entities off (lexical only). The database is
the ANT corpus ingested by ``akhbar ingest`` (built when missing); its stories are rebuilt by every run.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
import time
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

from akhbar.link.linker import LinkConfig, Linker
from akhbar.link.stories import StoryConfig
from akhbar.store.sqlite import SQLiteStore
from antdb import ANT, DEFAULT_DB, docno_ids, ensure_db

REPO = Path(__file__).resolve().parents[1]
LABELS = REPO / "bench" / "data" / "stories_ant.tsv"
PAIRS = REPO / "bench" / "data" / "event_pairs.tsv"
SECOND_JUDGE = REPO / "bench" / "data" / "event_pairs_second_judge.tsv"


def _pairs(n: int) -> float:
    return n * (n - 1) / 2


def adjusted_rand(truth: list[str], predicted: list[int]) -> float:
    table = Counter(zip(truth, predicted, strict=True))
    a, b = Counter(truth), Counter(predicted)
    index = sum(_pairs(n) for n in table.values())
    sum_a, sum_b = sum(_pairs(n) for n in a.values()), sum(_pairs(n) for n in b.values())
    expected = sum_a * sum_b / _pairs(len(truth))
    top = (sum_a + sum_b) / 2
    return (index - expected) / (top - expected) if top != expected else 1.0


def bcubed(truth: list[str], predicted: list[int]) -> tuple[float, float, float]:
    by_label, by_cluster = defaultdict(set), defaultdict(set)
    for i, (t, p) in enumerate(zip(truth, predicted, strict=True)):
        by_label[t].add(i)
        by_cluster[p].add(i)
    pairs = list(zip(truth, predicted, strict=True))
    precision = sum(len(by_cluster[p] & by_label[t]) / len(by_cluster[p]) for t, p in pairs)
    recall = sum(len(by_cluster[p] & by_label[t]) / len(by_label[t]) for t, p in pairs)
    precision, recall = precision / len(truth), recall / len(truth)
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def purity(truth: list[str], predicted: list[int]) -> float:
    members = defaultdict(list)
    for t, p in zip(truth, predicted, strict=True):
        members[p].append(t)
    return sum(Counter(m).most_common(1)[0][1] for m in members.values()) / len(truth)


def pairwise(store: SQLiteStore, pairs: list[tuple[str, str, bool]]) -> tuple[float, float, float]:
    """Precision, recall and F1 of "the two articles share a story" against the judged pairs."""
    tp = predicted = gold = 0
    for a, b, together in pairs:
        story_a, story_b = store.story_of(a), store.story_of(b)
        joined = story_a is not None and story_a == story_b
        tp += joined and together
        predicted += joined
        gold += together
    p = tp / predicted if predicted else 0.0
    r = tp / gold if gold else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def read_labels(ids: dict[str, str]) -> tuple[dict[str, str], list[tuple[str, str, bool]]]:
    """By article id: the labelled slice's stories, and the judged pairs with whether they are one story."""
    with open(LABELS, encoding="utf-8") as f:
        labels = {ids[r["docno"]]: r["story"] for r in csv.DictReader(f, delimiter="\t")}
    with open(PAIRS, encoding="utf-8") as f:
        pairs = [
            (ids[r["docno_a"]], ids[r["docno_b"]], r["label"] in ("same_event", "same_story"))
            for r in csv.DictReader(f, delimiter="\t")
        ]
    return labels, pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    defaults = StoryConfig()
    parser.add_argument("--threshold", type=float, nargs="*", default=[defaults.threshold])
    parser.add_argument("--time-scale", type=float, default=defaults.time_scale_days)
    parser.add_argument("--baseline", action="store_true", help="also run the lexical-only baseline")
    args = parser.parse_args()
    if not ANT.is_file():
        sys.exit(f"ANT corpus not found at {ANT}: this benchmark needs ../shared/data")
    ensure_db(args.db)
    labels, pairs = read_labels(docno_ids())
    store = SQLiteStore(args.db)
    print(f"{len(labels)} labelled articles in {len(set(labels.values()))} stories; "
          f"clustering all {store.size()} articles in publication order\n")  # fmt: skip
    configs = [(f"akhbar θ={t}", replace(StoryConfig(), threshold=t, time_scale_days=args.time_scale))
               for t in args.threshold]  # fmt: skip
    if args.baseline:
        configs.append(
            (f"lexical only θ={defaults.threshold}", replace(StoryConfig(), lexical_weight=1.0, entity_weight=0.0))
        )
    columns = (
        ("ARI", 7),
        ("B3 P", 7),
        ("B3 R", 7),
        ("B3 F1", 7),
        ("purity", 8),
        ("clusters", 10),
        ("stories", 9),
        ("pair P", 8),
        ("pair R", 8),
        ("pair F1", 9),
    )
    print(f"{'system':22}" + "".join(f"{name:>{width}}" for name, width in columns) + f"{'s':>6}")
    for name, config in configs:
        start = time.perf_counter()
        total = Linker(store, LinkConfig(stories=config)).rebuild_stories()  # as ingest and `akhbar stories --rebuild`
        elapsed = time.perf_counter() - start
        story = {a: store.story_of(a) for a in labels}
        truth = [labels[a] for a in labels]
        predicted = [story[a] or -i for i, a in enumerate(labels)]
        p, r, f1 = bcubed(truth, predicted)
        pp, pr, pf = pairwise(store, pairs)
        print(f"{name:22}{adjusted_rand(truth, predicted):7.3f}{p:7.3f}{r:7.3f}{f1:7.3f}"
              f"{purity(truth, predicted):8.3f}{len(set(predicted)):10}{total:9}{pp:8.3f}{pr:8.3f}{pf:9.3f}"
              f"{elapsed:6.0f}")  # fmt: skip
    print(f"\n({math.ceil(store.size() / max(1, elapsed))} articles placed per second in the last run)")
    second_judge(store, docno_ids())


def second_judge(store: SQLiteStore, ids: dict[str, str]) -> None:
    """A second judge labelled 150 of the pairs again, blind, with the same guide: how often the two agree that a pair
    is one story, and the second judge's labels scored as a system by the first's, beside the clusters of the last
    run on the same pairs: the most a story clusterer can be asked for on this set."""
    with open(PAIRS, encoding="utf-8") as f:
        first = {(r["docno_a"], r["docno_b"]): r["label"] for r in csv.DictReader(f, delimiter="\t")}
    with open(SECOND_JUDGE, encoding="utf-8") as f:
        second = {(r["docno_a"], r["docno_b"]): r["label"] for r in csv.DictReader(f, delimiter="\t")}
    one_story = ("same_event", "same_story")
    pairs = sorted(second)
    agreed = sum(first[p] == second[p] for p in pairs) / len(pairs)
    same_side = sum((first[p] in one_story) == (second[p] in one_story) for p in pairs) / len(pairs)
    print(f"\nsecond judge ({SECOND_JUDGE.name}): {len(pairs)} pairs judged again blind; four labels agree on "
          f"{agreed:.3f}, one story or not on {same_side:.3f}")  # fmt: skip

    def scores(predicted: list[bool], gold: list[bool]) -> str:
        tp = sum(p and g for p, g in zip(predicted, gold, strict=True))
        precision, recall = tp / max(1, sum(predicted)), tp / max(1, sum(gold))
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return f"{precision:8.3f}{recall:8.3f}{f1:9.3f}"

    ours = []
    for a, b in pairs:
        story_a, story_b = store.story_of(ids[a]), store.story_of(ids[b])
        ours.append(story_a is not None and story_a == story_b)
    by_first = [first[p] in one_story for p in pairs]
    by_second = [second[p] in one_story for p in pairs]
    print(f"{'scored by':18}{'system':>16}{'pair P':>8}{'pair R':>8}{'pair F1':>9}")
    print(f"{'the first judge':18}{'second judge':>16}{scores(by_second, by_first)}")
    print(f"{'the first judge':18}{'akhbar':>16}{scores(ours, by_first)}")
    print(f"{'the second judge':18}{'first judge':>16}{scores(by_first, by_second)}")
    print(f"{'the second judge':18}{'akhbar':>16}{scores(ours, by_second)}")


if __name__ == "__main__":
    main()
