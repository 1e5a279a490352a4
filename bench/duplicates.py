"""Benchmark: near-duplicate detection (akhbar.link.duplicates) on the ANT corpus.

Run from the repo root:  .venv/bin/python bench/duplicates.py [--bands 24 --rows 5 --threshold 0.5]

* The 1,187 URLs the corpus files twice (two docnos, one article): all must be found (recall 100%).
* ``ant/silver-near-duplicate-pairs.tsv`` (4,909 pairs with word 6-gram Jaccard >= 0.2, derived by overlap, not
  judged): recall per Jaccard band, and precision = found pairs that are in the silver list / found pairs (every
  pair with 6-gram Jaccard >= 0.2 is in it, so a found pair outside it is a false alarm at any sensible threshold).
* The LSH S-curve of the banding, candidates compared per article, fingerprint speed (articles/s) and, for the
  same input, datasketch's MinHash (the other well-kept library) for speed.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

from akhbar.arabic.normalize import dedup_tokens
from akhbar.link.duplicates import DedupConfig, candidate_probability, estimated_jaccard, fingerprint_text, shingles

REPO = Path(__file__).resolve().parents[1]
ANT = REPO.parent / "shared" / "data" / "ant"
BANDS = [(0.2, 0.3), (0.3, 0.5), (0.5, 0.8), (0.8, 1.01)]


def read_corpus() -> tuple[dict[str, str], dict[str, str], set[tuple[str, str]]]:
    """ANT's texts and outlets by docno, and the pairs of docnos filed under one URL (the same article twice)."""
    corpus = ANT / "multisource-v2.1.jsonl.gz"
    if not corpus.is_file():
        sys.exit(f"ANT corpus not found at {corpus}: this benchmark needs ../shared/data")
    texts: dict[str, str] = {}
    src: dict[str, str] = {}
    by_url: defaultdict[str, list[str]] = defaultdict(list)
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            texts[row["docno"]] = f"{row.get('title') or ''}\n{row.get('text') or ''}"
            src[row["docno"]] = row["src"]
            by_url[row["url"]].append(row["docno"])
    return texts, src, {tuple(sorted(d)) for d in by_url.values() if len(d) == 2}  # type: ignore[misc]


def read_silver() -> dict[tuple[str, str], float]:
    silver: dict[tuple[str, str], float] = {}
    with open(ANT / "silver-near-duplicate-pairs.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            a, b = row["docno1"], row["docno2"]
            silver[(min(a, b), max(a, b))] = float(row["text_6gram_jaccard"])
    return silver


def link_all(texts: dict[str, str], config: DedupConfig, *, quiet: bool = False) -> set[tuple[str, str]]:
    """Near-duplicate pairs found the way an archive links: each article against those before it."""
    start = time.perf_counter()
    prints = {docno: fingerprint_text(text, config) for docno, text in texts.items()}
    elapsed = time.perf_counter() - start
    if not quiet:
        print(f"{len(prints)} articles fingerprinted in {elapsed:.1f} s: {len(prints) / elapsed:.0f} articles/s "
              f"(rensa R-MinHash, {config.permutations} permutations, word {config.shingle}-grams)")  # fmt: skip
    buckets: defaultdict[tuple[int, int], list[str]] = defaultdict(list)
    by_hash: defaultdict[str, list[str]] = defaultdict(list)
    found: set[tuple[str, str]] = set()
    compared = 0
    start = time.perf_counter()
    for docno, fp in prints.items():  # online, as an archive does it: each article against those before it
        candidates = {other for band, key in enumerate(fp.bands) for other in buckets[(band, key)]}
        candidates.update(by_hash[fp.text_hash])
        compared += len(candidates)
        for other in candidates:
            same_text = prints[other].text_hash == fp.text_hash
            if same_text or estimated_jaccard(fp.signature, prints[other].signature) >= config.threshold:
                found.add((min(docno, other), max(docno, other)))
        for band, key in enumerate(fp.bands):
            buckets[(band, key)].append(docno)
        by_hash[fp.text_hash].append(docno)
    link_time = time.perf_counter() - start
    if not quiet:
        per_article = 1000 * link_time / len(prints)
        print(f"linking: {compared / len(prints):.2f} candidates compared per article, "
              f"{per_article:.3f} ms per article; {len(found)} near-duplicate pairs found\n")  # fmt: skip
    return found


def figures(config: DedupConfig | None = None) -> dict[str, float]:
    """The figures the quality gate pins: recall on the URLs filed twice, on silver pairs of 6-gram Jaccard >= 0.5,
    and the share of found pairs that are silver pairs."""
    texts, _, doubles = read_corpus()
    found = link_all(texts, config or DedupConfig(), quiet=True)
    silver = read_silver()
    high = [p for p, j in silver.items() if j >= 0.5]
    return {
        "twice_filed_recall": sum(d in found for d in doubles) / len(doubles),
        "silver_recall_jaccard_0.5": sum(p in found for p in high) / len(high),
        "silver_precision": sum(p in silver for p in found) / max(1, len(found)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    defaults = DedupConfig()
    parser.add_argument("--bands", type=int, default=defaults.bands)
    parser.add_argument("--rows", type=int, default=defaults.rows)
    parser.add_argument("--threshold", type=float, default=defaults.threshold)
    parser.add_argument("--peer", action="store_true", help="also time datasketch MinHash on 2,000 articles")
    args = parser.parse_args()
    config = DedupConfig(bands=args.bands, rows=args.rows, permutations=max(128, args.bands * args.rows),
                         threshold=args.threshold)  # fmt: skip
    texts, src, doubles = read_corpus()
    found = link_all(texts, config)

    missed = [d for d in doubles if d not in found]
    print(f"URLs filed twice: {len(doubles) - len(missed)}/{len(doubles)} found "
          f"(recall {100 * (len(doubles) - len(missed)) / len(doubles):.1f}%)")  # fmt: skip

    silver = read_silver()
    print(f"\nsilver pairs (6-gram Jaccard >= 0.2): recall by band, with our threshold {config.threshold} on "
          f"estimated {config.shingle}-gram Jaccard")  # fmt: skip
    print(f"{'6-gram Jaccard':>16}{'pairs':>8}{'found':>8}{'recall':>8}{'cross-outlet':>14}")
    for low, high in BANDS:
        pairs = [p for p, j in silver.items() if low <= j < high]
        hit = [p for p in pairs if p in found]
        cross = [p for p in pairs if src[p[0]] != src[p[1]]]
        cross_hit = [p for p in cross if p in found]
        print(f"{f'[{low:.1f}, {min(high, 1):.1f}' + (']' if high > 1 else ')'):>16}{len(pairs):8}{len(hit):8}"
              f"{100 * len(hit) / max(1, len(pairs)):7.1f}%{f'{len(cross_hit)}/{len(cross)}':>14}")  # fmt: skip
    in_silver = sum(p in silver for p in found)
    same_url = sum(p in doubles for p in found)
    share = 100 * in_silver / max(1, len(found))
    print(f"precision: {in_silver}/{len(found)} found pairs are silver pairs ({share:.1f}%)"
          f"; {same_url} of them are the same URL filed twice")  # fmt: skip
    outside = [p for p in found if p not in silver][:5]
    for a, b in outside:
        exact = _jaccard(texts[a], texts[b], config.shingle)
        print(f"  not in silver: {a} {b} exact {config.shingle}-gram Jaccard {exact:.2f}")

    print("\nLSH S-curve (chance a pair becomes a candidate):")
    print(
        "  " + "  ".join(f"J={j:.1f}: {candidate_probability(j, config):.3f}" for j in (0.2, 0.3, 0.4, 0.5, 0.6, 0.8))
    )

    if args.peer:
        _peer(list(texts.values())[:2000], config)


def _jaccard(a: str, b: str, size: int) -> float:
    x, y = set(shingles(dedup_tokens(a), size)), set(shingles(dedup_tokens(b), size))
    return len(x & y) / len(x | y) if x | y else 0.0


def _peer(texts: list[str], config: DedupConfig) -> None:
    try:
        from datasketch import MinHash
    except ImportError:
        print("\ndatasketch not installed (pip install datasketch): peer timing skipped")
        return
    start = time.perf_counter()
    for text in texts:
        m = MinHash(num_perm=config.permutations, seed=1)
        m.update_batch([s.encode("utf-8") for s in shingles(dedup_tokens(text), config.shingle)])
    peer = time.perf_counter() - start
    start = time.perf_counter()
    for text in texts:
        fingerprint_text(text, config)
    ours = time.perf_counter() - start
    print(f"\nfingerprint {len(texts)} articles: akhbar (rensa) {len(texts) / ours:.0f}/s, "
          f"datasketch MinHash.update_batch {len(texts) / peer:.0f}/s")  # fmt: skip


if __name__ == "__main__":
    main()
