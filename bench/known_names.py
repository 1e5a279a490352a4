"""Benchmark: the names the tagger misses and the news-names list finds (akhbar.analyze.known_names).

Run from the repo root:  .venv/bin/python bench/known_names.py [--db /tmp/ant.db]

* Precision of what the list adds: ``bench/data/known_name_spans_judged.tsv`` holds 400 spans the list added to ANT
  articles where the tagger found nothing (two seeded samples of the list's first versions, 200 each, pools
  ``2026-12-07a`` and ``-b``), judged blind by a reader who saw the span in ~120 characters of context and never the
  system or its types: ``full`` (exactly a name of a person, place or organization), ``partial`` (part of a longer
  name), ``not_name``; and 120 spans of the names written by hand (``tools/news_names_hand.txt``: platforms, armed
  groups, institutions; one span an article, at most six of one name; pool ``-c``), judged blind the same way. The
  articles are analyzed again with the current code and list; a judged span it still adds counts (in all and by
  pool), one it no longer adds is printed apart, and new spans (none judged) are counted.
* Coverage (``--db``, an archive of the whole ANT corpus built by ``akhbar ingest``): for names the tagger misses
  often, how many of the articles that name them (the word, after an optional proclitic) the archive links to their
  entity.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import sqlite3
from collections import Counter
from pathlib import Path

from akhbar.analyze.known_names import PROCLITICS, known_name_spans
from akhbar.analyze.ner import NerTagger
from akhbar.arabic.normalize import fold_search
from antdb import ANT

JUDGED = Path(__file__).resolve().parent / "data" / "known_name_spans_judged.tsv"
NAMES = ("داعش", "نيمار", "مانشستر سيتي", "النصر", "ترامب", "ميسي", "فيسبوك", "أردوغان")


def judged_precision() -> None:
    with open(JUDGED, encoding="utf-8") as f:
        judged = list(csv.DictReader(f, delimiter="\t"))
    wanted = {row["docno"] for row in judged}
    texts: dict[str, str] = {}
    with gzip.open(ANT, "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row["docno"] in wanted and row["docno"] not in texts:
                texts[row["docno"]] = f"{row['title']}\n{row['text'] or ''}"
    tagger = NerTagger.default()
    added = {d: {s.start: s for s in known_name_spans(t, tagger.entities(t))} for d, t in texts.items()}
    kept: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    typed = 0
    for row in judged:
        span = added[row["docno"]].get(int(row["start"]))
        (kept if span is not None else dropped)[row["label"]] += 1
        typed += span is not None and row["label"] == "full" and row["type"] == span.type
    n = sum(kept.values())
    judged_starts = {(r["docno"], int(r["start"])) for r in judged}
    unjudged = sum(1 for d, spans in added.items() for start in spans if (d, start) not in judged_starts)
    print(f"{len(judged)} judged spans in {len(texts)} articles; the current code adds {n} of them "
          f"(and {unjudged} unjudged spans in the same articles)")  # fmt: skip
    name_or_part = (kept["full"] + kept["partial"]) / n
    print(f"  a whole name {kept['full'] / n:.3f}, a whole name of the type we give it {typed / n:.3f}, "
          f"a name or part of one {name_or_part:.3f}, no name {kept['not_name'] / n:.3f}")  # fmt: skip
    print(f"  no longer added: {dict(dropped)}")
    for pool in sorted({row["pool"] for row in judged}):
        labels = Counter(
            row["label"] for row in judged if row["pool"] == pool and int(row["start"]) in added[row["docno"]]
        )
        total = sum(labels.values())
        if total:
            print(f"  pool {pool}: {total} spans, a whole name {labels['full'] / total:.3f}, "
                  f"a name or part of one {(labels['full'] + labels['partial']) / total:.3f}")  # fmt: skip


def coverage(db: Path) -> None:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    print(f"\narticles that name it / linked to its entity ({db})")
    bodies = [
        (rowid, fold_search(f"{title}\n{text or ''}"))
        for rowid, title, text in con.execute(
            "SELECT a.rowid, a.title, (SELECT group_concat(text, ' ') FROM blocks b WHERE b.article = a.rowid)"
            " FROM articles a"
        )
    ]
    for name in NAMES:
        folded = fold_search(name)
        pattern = re.compile(rf"(?<![^\W\d_])(?:{'|'.join(PROCLITICS)})?{re.escape(folded)}(?![^\W\d_])")
        naming = {rowid for rowid, body in bodies if pattern.search(body)}
        top = con.execute(
            "SELECT entity FROM mentions WHERE spelling = ? GROUP BY entity ORDER BY count(*) DESC LIMIT 1", (name,)
        ).fetchone()
        linked = (
            {r for (r,) in con.execute("SELECT DISTINCT article FROM mentions WHERE entity = ?", top)} if top else set()
        )
        print(
            f"  {name:14} {len(naming):6} {len(naming & linked):7}  ({len(naming & linked) / max(1, len(naming)):.2f})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    judged_precision()
    if args.db:
        coverage(args.db)


if __name__ == "__main__":
    main()
