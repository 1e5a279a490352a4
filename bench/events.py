"""Benchmark: "also reported by", stories and "read also" against ANT pairs judged blind as same event / same story.

Run from the repo root:  .venv/bin/python bench/events.py [--db /tmp/akhbar-bench-ant.db]

Labels: ``bench/data/event_pairs.tsv`` (490 ANT pairs, guide ``bench/data/EVENT_GUIDE.md``): ``same_event`` (the same
news event, reported again or by another outlet), ``same_story`` (another development of one ongoing story),
``related`` (same topic or actors, another story), ``unrelated``. Pooled by the judge's own sampler, never from
akhbar's output.

Scored on what the archive serves for the earlier article of each pair (the whole ANT corpus ingested, as a reader
meets it; built by ``akhbar ingest`` when missing, see ``antdb.py``):

* "also reported by" (``Archive.duplicates``): precision and recall of the other article being listed, for
  ``same_event``;
* stories (``story_of``): pairwise precision, recall and F1 of "one story" for ``same_event`` or ``same_story``
  (the issue's goal: F1 >= 0.85);
* "read also" (top 5, ranked now by :func:`akhbar.link.related.related`: what an ingest or ``akhbar relink`` stores
  and serves; the archive's stored lists may be older): how many pairs of each label list the other article; a
  ``same_event`` one there is the same report shown again (goal: at most 3% of the top five).
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from pathlib import Path

import akhbar
from akhbar.link.related import related as rank_related
from antdb import DEFAULT_DB, docno_ids, ensure_db

PAIRS = Path(__file__).resolve().parent / "data" / "event_pairs.tsv"
LABELS = ("same_event", "same_story", "related", "unrelated")


def _prf(tp: int, predicted: int, gold: int) -> str:
    p = tp / predicted if predicted else 0.0
    r = tp / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"P {p:.3f}  R {r:.3f}  F1 {f:.3f}  ({tp} of {predicted} predicted, {gold} judged)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    args = parser.parse_args()
    ensure_db(args.db)
    with open(PAIRS, encoding="utf-8") as f:
        pairs = [(r["docno_a"], r["docno_b"], r["label"]) for r in csv.DictReader(f, delimiter="\t")]
    ids = docno_ids()
    labels = Counter(label for _, _, label in pairs)
    dup = {label: 0 for label in LABELS}
    story = {label: 0 for label in LABELS}
    related = {label: 0 for label in LABELS}
    missing = 0
    top5 = same_event_in_top5 = 0
    with akhbar.open(args.db, read_only=True) as archive:
        for a, b, label in pairs:
            ida, idb = ids.get(a), ids.get(b)
            if ida is None or idb is None or archive.get(ida) is None or archive.get(idb) is None:
                missing += 1
                continue
            if idb in {r.id for r in archive.duplicates(ida)}:  # what the article page shows
                dup[label] += 1
            sa, sb = archive.store.story_of(ida), archive.store.story_of(idb)
            if sa is not None and sa == sb:
                story[label] += 1
            listed = [r.id for r in rank_related(archive.store, ida, k=5)]
            top5 += len(listed)
            if idb in listed:
                related[label] += 1
                same_event_in_top5 += label == "same_event"
    print(f"{len(pairs)} judged pairs ({', '.join(f'{k} {labels[k]}' for k in LABELS)}); not in the archive: {missing}")
    print(f"\n{'label':12}{'also reported by':>18}{'same story':>12}{'read also top 5':>17}")
    for label in LABELS:
        print(f"{label:12}{dup[label]:>18}{story[label]:>12}{related[label]:>17}")
    print("\n'also reported by' for same_event: " + _prf(dup["same_event"], sum(dup.values()), labels["same_event"]))
    together = labels["same_event"] + labels["same_story"]
    print(
        "stories, same event or story:      "
        + _prf(story["same_event"] + story["same_story"], sum(story.values()), together)
    )
    print(
        f"read also: {same_event_in_top5} same-event articles among the judged pairs' top-5 lists "
        f"({top5} listed in all)"
    )


if __name__ == "__main__":
    main()
