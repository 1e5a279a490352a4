"""Build ``models/term_df.tsv``: how many news articles use each search-layer term (document frequency).

Run: ``python tools/build_term_df.py [--shared ../shared] [--min-df 3]`` (~1 min).

Source: title and text of the ANT multisource corpus (``ant/multisource-v2.1.jsonl.gz``, Apache-2.0), one count per
URL (the corpus files 1,187 articles twice). Key phrases and summaries weigh words by inverse document frequency; a
table learned from 31k real articles gives a new archive sensible weights from its first article (an archive's own
counts would be noise until it holds thousands). Only terms and counts are stored, no text. First line:
``#articles<TAB>N``.
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections import Counter
from pathlib import Path

from akhbar.arabic.normalize import search_terms

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "akhbar" / "models" / "term_df.tsv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--min-df", type=int, default=3)
    args = parser.parse_args()
    df: Counter[str] = Counter()
    seen: set[str] = set()
    with gzip.open(args.shared / "data" / "ant" / "multisource-v2.1.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            url = row.get("url") or row.get("docno")
            if url in seen:
                continue
            seen.add(url)
            df.update(set(search_terms(f"{row.get('title') or ''}\n{row.get('text') or ''}")))
    kept = sorted(((t, n) for t, n in df.items() if n >= args.min_df), key=lambda kv: (-kv[1], kv[0]))
    with open(OUT, "w", encoding="utf-8") as out:
        out.write(f"#articles\t{len(seen)}\n")
        out.writelines(f"{term}\t{n}\n" for term, n in kept)
    print(f"{OUT.relative_to(REPO)}: {len(kept)} terms (df >= {args.min_df}) from {len(seen)} articles")


if __name__ == "__main__":
    main()
