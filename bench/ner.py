"""Benchmark: the CRF NER tagger (akhbar.analyze.ner) on our ANERcorp dev split, plus raw-text throughput.

Run from the repo root:  .venv/bin/python bench/ner.py [--articles N]

* Quality: conlleval exact-match P/R/F1 per type and micro overall on *our dev split*: the last 10% of the sentences
  of ANERcorp's CAMeL train split (the shipped model never saw them). Published results beside ours are on the CAMeL
  *test* split, which we never use: a different (if similar) set of sentences, so the comparison is indicative only.
* Speed: tokens/s of tag_tokens (feature extraction + CRF) in one process on one core, first pass (per-word feature
  cache cold) and second pass (cache warm); and tokens/s of entities() on raw ANT articles (tokenize + sentence split
  + tag + offsets). Other load on the machine skews it: the load average is printed.
* Model size on disk and the peak RSS of this process.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import sys
import time
from importlib import resources
from pathlib import Path

from akhbar.analyze.ner import MODEL_FILE, NerTagger, evaluate_sentences, read_conll
from akhbar.analyze.ner_train import split_dev
from akhbar.arabic.tokenize import tokenize

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("AKHBAR_SHARED", REPO.parent / "shared")) / "data"
SPEED_GOAL = 30_000  # tokens/s per core
PUBLISHED = [
    ("AraBERT (Antoun et al. 2020; CAMeL Tools NER)", 83.1),
    ("BiLSTM-CRF", 81.7),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=1000, help="ANT articles for the raw-text pass")
    args = parser.parse_args()
    conll = SHARED / "anercorp/train.txt"
    if not conll.is_file():
        sys.exit(f"{conll} not found (set AKHBAR_SHARED)")
    print(f"load average: {os.getloadavg()[0]:.2f}  cores: {os.cpu_count()}")

    t0 = time.perf_counter()
    tagger = NerTagger.default()
    tagger.tag_tokens(["بوتين"])  # loads gazetteer and clusters
    print(f"model load: {time.perf_counter() - t0:.2f}s")
    _train, dev = split_dev(read_conll(conll), 0.1)
    cold = evaluate_sentences(tagger, dev)
    warm = evaluate_sentences(tagger, dev)

    print(f"\nDev split (last 10% of ANERcorp train: {len(dev)} sentences, {cold.tokens} tokens)")
    print(f"{'type':<8}{'P':>8}{'R':>8}{'F1':>8}{'gold':>7}{'pred':>7}")
    for kind, s in sorted(cold.per_type.items()):
        print(f"{kind:<8}{s.precision:8.4f}{s.recall:8.4f}{s.f1:8.4f}{s.gold:7d}{s.predicted:7d}")
    o = cold.overall
    print(f"{'overall':<8}{o.precision:8.4f}{o.recall:8.4f}{o.f1:8.4f}{o.gold:7d}{o.predicted:7d}")
    print("\nPublished F1 on the CAMeL *test* split (not our dev split; indicative only):")
    for name, f1 in PUBLISHED:
        print(f"  {name:<48} {f1:.1f}")
    print(f"  {'akhbar CRF (dev split of train)':<48} {100 * o.f1:.1f}")

    print("\nSpeed (single process, one core)")
    print(f"  tag_tokens, cold cache: {cold.tokens_per_s:,.0f} tokens/s")
    verdict = "PASS" if warm.tokens_per_s >= SPEED_GOAL else "FAIL"
    print(f"  tag_tokens, warm cache: {warm.tokens_per_s:,.0f} tokens/s  (goal ≥ {SPEED_GOAL:,}: {verdict})")
    texts = []
    with gzip.open(SHARED / "ant/multisource-v2.1.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            texts.append(json.loads(line).get("text") or "")
            if len(texts) >= args.articles:
                break
    n_tokens = sum(len(tokenize(t)) for t in texts)
    t0 = time.perf_counter()
    n_entities = sum(len(tagger.entities(t)) for t in texts)
    seconds = time.perf_counter() - t0
    print(
        f"  entities() on {len(texts)} ANT articles: {n_tokens / seconds:,.0f} tokens/s "
        f"({n_tokens} tokens, {n_entities} entities, {seconds:.1f}s)"
    )

    size = resources.files("akhbar.models").joinpath(MODEL_FILE).read_bytes()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # ru_maxrss is in KiB on Linux
    print(f"\nmodel size: {len(size) / 1e6:.2f} MB   peak RSS: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
