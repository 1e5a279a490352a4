"""Choose the ANT articles for the hand-judged tag set (``bench/data/tags_judged.tsv``).

Run from the repo root:  .venv/bin/python bench/sample_tag_articles.py [--per-outlet 25] [--seed 2018]

Stratified, seeded and light (one pass over the corpus, standard library only):

* outlets: every outlet gets the same number of articles (``--per-outlet``), so AlArabiya holds a fifth (≤ a third);
* categories: within an outlet the quota is spread as evenly as possible over the categories the outlet has
  (ANT's ``cat``: culture, economy, internationalNews, middleEast, sport, technology), the remainder going to the
  categories in a seeded order;
* dates: within an (outlet, category) cell the articles are sorted by time and cut into as many equal time-ordered
  slices as the cell's quota, one article drawn at random from each slice, so every cell spans Feb-Oct 2018;
* length: only articles of 120 to 1,200 words of text are eligible; exact repeats of a title are dropped.

Prints ``docno<TAB>src<TAB>cat<TAB>date<TAB>words`` lines in a stable order (outlet, category, time); the judged
file keeps the docnos only, never article text.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
from collections import defaultdict
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ANT = REPO.parent / "shared" / "data" / "ant" / "multisource-v2.1.jsonl.gz"
MIN_WORDS, MAX_WORDS = 120, 1200
_WORD = re.compile(r"\S+")


def _timestamp(raw: str) -> float:
    try:
        return parsedate_to_datetime(raw).timestamp()
    except (TypeError, ValueError):
        return 0.0


def load_cells(path: Path) -> dict[tuple[str, str], list[tuple[float, str, int]]]:
    """(src, cat) -> [(time, docno, words)] of the eligible articles."""
    cells: dict[tuple[str, str], list[tuple[float, str, int]]] = defaultdict(list)
    seen_titles: set[str] = set()
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            art = json.loads(line)
            words = len(_WORD.findall(art.get("text") or ""))
            if not MIN_WORDS <= words <= MAX_WORDS:
                continue
            title = (art.get("title") or "").strip()
            if not title or title in seen_titles:
                continue
            seen_titles.add(title)
            cells[(art["src"], art["cat"])].append((_timestamp(art.get("time") or ""), art["docno"], words))
    return cells


def sample(
    cells: dict[tuple[str, str], list[tuple[float, str, int]]], per_outlet: int, seed: int
) -> list[tuple[str, str, float, str, int]]:
    rng = random.Random(seed)
    chosen: list[tuple[str, str, float, str, int]] = []
    outlets = sorted({src for src, _ in cells})
    for src in outlets:
        cats = sorted(cat for s, cat in cells if s == src)
        base, extra = divmod(per_outlet, len(cats))
        bonus = set(rng.sample(cats, extra))
        for cat in cats:
            quota = base + (cat in bonus)
            pool = sorted(cells[(src, cat)])
            quota = min(quota, len(pool))
            for i in range(quota):
                lo, hi = i * len(pool) // quota, (i + 1) * len(pool) // quota
                when, docno, words = pool[rng.randrange(lo, hi)]
                chosen.append((src, cat, when, docno, words))
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ANT)
    parser.add_argument("--per-outlet", type=int, default=25)
    parser.add_argument("--seed", type=int, default=2018)
    args = parser.parse_args(argv)
    for src, cat, when, docno, words in sample(load_cells(args.corpus), args.per_outlet, args.seed):
        day = datetime.fromtimestamp(when, tz=UTC).date().isoformat()
        sys.stdout.write(f"{docno}\t{src}\t{cat}\t{day}\t{words}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
