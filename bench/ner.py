"""Benchmark: the CRF NER tagger (akhbar.analyze.ner) on our ANERcorp dev split, plus raw-text throughput.

Run from the repo root:  .venv/bin/python bench/ner.py [--articles N]

* Quality: conlleval exact-match P/R/F1 per type and micro overall on *our dev split*: the last 10% of the sentences
  of ANERcorp's CAMeL train split (the shipped model never saw them), with 95% bootstrap intervals (1,000 resamples
  of the dev sentences), beside the same figures of the model shipped before (its dev tags are kept in
  ``bench/ner_before.json``: tags only, no text), and the paired interval of the F1 difference (the same resamples
  for both). Published results are on the CAMeL *test* split, which we never use: a different (if similar) set of
  sentences, so the comparison is indicative only.
  Two "after" tables: each sentence tagged on its own, and runs of 20 consecutive sentences tagged as one document
  (ANERcorp has no document marks), with the document-level consistency that entities() applies to each text.
* Speed: tokens/s of tagging dev as documents (feature extraction + CRF + consistency) in one process on one core,
  first pass (per-word feature cache cold: the figure the goal is checked on) and second pass (cache warm); and
  tokens/s of entities() on raw ANT articles (tokenize + sentence split + tag + offsets). Other load on the machine
  skews it: the load average is printed.
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

from akhbar.analyze.ner import (
    DOCUMENT_SENTENCES,
    MODEL_FILE,
    NerTagger,
    chunks,
    evaluate_sentences,
    read_conll,
    score,
    stage2_path,
)
from akhbar.analyze.ner_train import KINDS, bootstrap, split_dev
from akhbar.arabic.tokenize import tokenize

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("AKHBAR_SHARED", REPO.parent / "shared")) / "data"
SPEED_GOAL = 30_000  # tokens/s per core
BEFORE = Path(__file__).with_name("ner_before.json")
PUBLISHED = [
    ("AraBERT (Antoun et al. 2020; CAMeL Tools NER)", 83.1),
    ("BiLSTM-CRF", 81.7),
]


def print_comparison(gold: list[list[str]], before: list[list[str]], after: list[list[str]], title: str) -> None:
    print(f"\n{title}")
    rows = {
        "before": (score(gold, before), bootstrap(gold, before)),
        "after": (score(gold, after), bootstrap(gold, after, baseline=before)),
    }
    ci_head = "F1 [95% CI]"
    print(
        f"{'type':<8}{'gold':>5} | {'before: P':>9} {'R':>6} {ci_head:>20} | {'after: P':>9} {'R':>6} {ci_head:>20} |"
        f" {'dF1 [95% CI]':>21}"
    )
    for kind in KINDS:
        cells = []
        f1 = {}
        for name in ("before", "after"):
            s, ci = rows[name]
            prf = s.overall if kind == "overall" else s.per_type.get(kind)
            if prf is None:
                cells.append(f"{'-':>9} {'-':>6} {'-':>20}")
                f1[name] = 0.0
                continue
            lo, hi = ci[kind]["F1"]
            cells.append(f"{prf.precision:9.3f} {prf.recall:6.3f} {prf.f1:6.3f} [{lo:.3f}, {hi:.3f}]")
            f1[name] = prf.f1
        dlo, dhi = rows["after"][1][kind]["dF1"]
        n_gold = sum(
            len(chunks_of) for chunks_of in ([c for c in chunks(g) if kind in ("overall", c[0])] for g in gold)
        )
        delta = f"{100 * (f1['after'] - f1['before']):+6.1f} [{100 * dlo:+.1f}, {100 * dhi:+.1f}]"
        print(f"{kind:<8}{n_gold:5d} | {cells[0]} | {cells[1]} | {delta:>21}")


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

    gold = [tags for _, tags in dev]
    before_info = json.loads(BEFORE.read_text(encoding="utf-8"))
    before = [line.split() if line else [] for line in before_info["dev_tags"]]
    n = f"{len(dev)} sentences, {cold.tokens} tokens, {cold.overall.gold} entities"
    print(f"\nDev split (last 10% of ANERcorp train: {n})")
    print(f"before: {before_info['model']}, each sentence on its own")
    print("95% intervals: bootstrap over dev sentences (1,000 resamples); dF1: paired, after - before")
    sentence_tags = [tagger.tag_tokens(tokens) for tokens, _ in dev]
    document_tags = tagger.tag_document_runs([tokens for tokens, _ in dev], DOCUMENT_SENTENCES)
    print_comparison(gold, before, sentence_tags, "after, each sentence on its own (tag_tokens)")
    print_comparison(
        gold,
        before,
        document_tags,
        f"after, runs of {DOCUMENT_SENTENCES} sentences as one document (tag_document: what entities() does per text)",
    )
    o = cold.overall
    print("\nPublished F1 on the CAMeL *test* split (not our dev split; indicative only):")
    for name, f1 in PUBLISHED:
        print(f"  {name:<48} {f1:.1f}")
    print(f"  {'akhbar CRF (dev split of train)':<48} {100 * o.f1:.1f}")

    print("\nSpeed (single process, one core)")
    verdict = "PASS" if cold.tokens_per_s >= SPEED_GOAL else "FAIL"
    print(f"  tag_tokens, cold cache: {cold.tokens_per_s:,.0f} tokens/s  (goal ≥ {SPEED_GOAL:,}: {verdict})")
    print(f"  tag_tokens, warm cache: {warm.tokens_per_s:,.0f} tokens/s")
    if "speed" in before_info:
        print(f"  before (recorded): {before_info['speed']}")
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

    models = resources.files("akhbar.models")
    size = len(models.joinpath(MODEL_FILE).read_bytes())
    second = models.joinpath(stage2_path(MODEL_FILE).name)
    size2 = len(second.read_bytes()) if second.is_file() else 0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # ru_maxrss is in KiB on Linux
    stages = f" (stage 1 {size / 1e6:.2f} MB + stage 2 {size2 / 1e6:.2f} MB)" if size2 else ""
    print(f"\nmodel size: {(size + size2) / 1e6:.2f} MB{stages}   peak RSS: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
