"""Benchmark: akhbar at scale — Spark bulk vs one process, and SQLite vs PostgreSQL grown to 100k and 1M articles.

Run from the repo root:

    .venv/bin/python bench/scale.py spark                      # Spark local[2] vs one process on the same input
    .venv/bin/python bench/scale.py grow --store sqlite --sizes 30000,100000,1000000
    .venv/bin/python bench/scale.py grow --store postgresql --pg postgresql://akhbar:akhbar@127.0.0.1/akhbar_bench

``spark``: the first ``--sample`` (3,000) ANT articles, split into 8 JSON-lines files, processed (read, repair,
entities, key phrases, tags, summary, fingerprint) three ways: the stage functions in this one process (what
``akhbar ingest`` spends before it writes), ``akhbar bulk run --master local[2]`` (fresh JVM and workers: every fixed
cost counted) and ``akhbar ingest`` itself (the same stages plus the SQLite store and linking). Speed-up and
per-article overhead of Spark, and an estimate for one month of CC-NEWS from the measured per-article cost.

``grow``: a store grown to each size of ``--sizes`` from the ANT corpus analyzed once by ``akhbar bulk run`` (its
Parquet output; built when missing, ~10 minutes). Beyond the 31.5k real articles, copies are synthetic: re-keyed
(new id and URL), re-dated (shifted by whole corpus spans) and re-worded — a quarter of the words outside entity
mentions replaced by corpus words of the same length, so every mention offset of the stored analysis stays right,
copies are not near-duplicates of their source (5-gram Jaccard ≈ 0.13, under the 0.3 threshold) and the vocabulary
stays real Arabic news. Articles go in through the load path (``put_many`` in batches of 1,000 + fingerprints: what
``akhbar load`` does). At each size: load time and articles/s for the step, database size, peak RSS of this process
(which also holds the 31.5k source articles, ~0.5 GB), and latency p50/p95 of 200 searches (words and phrases cut
from titles) and of related articles for 200 random articles — ranked now (a first view) and served from the stored
list (every later view).

Peers printed beside the figures: the goals of issue 7 (1M articles in < 1 h, RSS < 4 GiB, related p95 < 20 ms).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from akhbar.analyze.annotate import Analysis, analysis_text  # noqa: E402
from akhbar.bulk.load import _day_articles  # noqa: E402
from akhbar.bulk.records import article_from_rows  # noqa: E402
from akhbar.link.duplicates import Fingerprint, fingerprint  # noqa: E402
from akhbar.model import Article, Block  # noqa: E402

ANT = REPO.parent / "shared" / "data" / "ant" / "multisource-v2.1.jsonl.gz"
BULK_OUT = Path("/tmp/akhbar-bench-scale/ant-bulk")
WORD = re.compile(r"\w+")
REWORD_SHARE = 0.25
GOALS = {"hour_for_1m": 3600.0, "rss_gib": 4.0, "related_p95_ms": 20.0}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else float("nan")


# --- spark: Spark local[2] vs one process -------------------------------------------------------------------------


def sample_inputs(folder: Path, n: int, shards: int = 8) -> list[Path]:
    """The first ``n`` ANT rows as ``shards`` JSON-lines files (Spark reads one task per file)."""
    paths = [folder / f"ant-{i}.jsonl" for i in range(shards)]
    outs = [p.open("w", encoding="utf-8") for p in paths]
    with gzip.open(ANT, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i >= n:
                break
            outs[i % shards].write(line)
    for out in outs:
        out.close()
    return paths


def spark_phase(args: argparse.Namespace) -> None:
    from akhbar.bulk.stages import BulkOptions, analyze_articles, read_inputs

    work = Path(tempfile.mkdtemp(prefix="akhbar-scale-spark-"))
    try:
        inputs = sample_inputs(work, args.sample)
        started = time.perf_counter()
        rows = list(analyze_articles(read_inputs([str(p) for p in inputs], BulkOptions()), BulkOptions(), "bench"))
        one = time.perf_counter() - started
        articles = sum(1 for r in rows if r["kind"] == "article")
        del rows
        print(f"one process (stages only):   {articles:,} articles in {one:6.1f} s = {articles / one:6.1f} articles/s")

        cmd = [sys.executable, "-m", "akhbar.serve.cli"]
        started = time.perf_counter()
        subprocess.run(
            [*cmd, "bulk", "run", *map(str, inputs), "--out", str(work / "out"), "--master", "local[2]", "--json"],
            check=True,
            capture_output=True,
        )
        spark = time.perf_counter() - started
        print(
            f"Spark local[2] (bulk run):   {articles:,} articles in {spark:6.1f} s = {articles / spark:6.1f} articles/s"
        )

        started = time.perf_counter()
        subprocess.run([*cmd, "ingest", *map(str, inputs), "--db", str(work / "a.db")], check=True, capture_output=True)
        ingest = time.perf_counter() - started
        print(
            f"akhbar ingest (store+link): {articles:,} articles in {ingest:6.1f} s"
            f" = {articles / ingest:6.1f} articles/s"
        )

        started = time.perf_counter()
        subprocess.run(
            [
                *cmd,
                "bulk",
                "run",
                str(REPO / "examples" / "textpages"),
                "--out",
                str(work / "tiny"),
                "--master",
                "local[2]",
            ],
            check=True,
            capture_output=True,
        )
        fixed = time.perf_counter() - started
        per_core = one / articles
        spark_per_article = (spark - fixed) / articles * 2  # core-seconds per article inside Spark
        print(
            f"\nspeed-up local[2] vs one process: {one / spark:.2f}× (ideal on 2 cores: 2×); fixed cost of a run"
            f" (JVM, workers, model load, commit, dedup) ≈ {fixed:.0f} s; per article {per_core * 1000:.1f} ms one"
            f" process vs {spark_per_article * 1000:.1f} core-ms in Spark (overhead"
            f" {(spark_per_article / per_core - 1) * 100:+.0f}%)"
        )
        # CC-NEWS: ~1.3M Arabic-or-not HTML records a day in 2024 (≈ 40M a month; the Arabic share is a few %), but
        # every record is read and language-checked, and only Arabic articles are analyzed.
        month_arabic = args.month_arabic
        core_hours = month_arabic * spark_per_article / 3600
        print(
            f"one month of CC-NEWS, {month_arabic:,} Arabic articles at {spark_per_article * 1000:.1f} core-ms each:"
            f" {core_hours:,.0f} core-hours → {core_hours / 32:,.1f} h on 4 × 8-core executors,"
            f" {core_hours / 128:,.1f} h on 16 × 8-core (plus reading the ~40M non-Arabic records)"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


# --- grow: synthetic growth into a store --------------------------------------------------------------------------


def ensure_bulk_output(out: Path) -> None:
    if (out / "articles").is_dir():
        return
    if not ANT.is_file():
        sys.exit(f"no bulk output at {out} and no ANT corpus at {ANT}: this benchmark needs ../shared/data")
    print(f"building {out} (akhbar bulk run over ANT, local[2])…", flush=True)
    subprocess.run(
        [sys.executable, "-m", "akhbar.serve.cli", "bulk", "run", str(ANT), "--out", str(out), "--master", "local[2]"],
        check=True,
    )


def source_articles(out: Path) -> list[tuple[Article, Analysis, Fingerprint]]:
    items = []
    for day_dir in sorted((out / "articles").glob("day=*")):
        for row, parts in _day_articles(out, day_dir.name.removeprefix("day=")):
            items.append(article_from_rows(row, *parts))
    return items


class Synthesizer:
    """Copies of real articles: new id, URL and date, a quarter of the words (outside mentions) replaced."""

    def __init__(self, sources: list[tuple[Article, Analysis, Fingerprint]]) -> None:
        self.sources = sources
        by_length: dict[int, set[str]] = defaultdict(set)
        for article, _, _ in sources[:3000]:
            for word in WORD.findall(article.text):
                by_length[len(word)].add(word)
        self.words = {n: sorted(ws) for n, ws in by_length.items()}
        dates = [a.published_at for a, _, _ in sources if a.published_at is not None]
        self.span = (max(dates).replace(tzinfo=None) - min(dates).replace(tzinfo=None)).days + 1 if dates else 365

    def copy(self, index: int) -> tuple[Article, Analysis, Fingerprint]:
        article, analysis, fp = self.sources[index % len(self.sources)]
        generation = index // len(self.sources)
        if generation == 0:
            return article, analysis, fp
        rng = random.Random(index)
        text = analysis_text(article)
        taken = [(m.start, m.end) for e in analysis.entities for m in e.mentions]
        chars = list(text)
        for match in WORD.finditer(text):
            if rng.random() >= REWORD_SHARE or any(s < match.end() and match.start() < e for s, e in taken):
                continue
            options = self.words.get(len(match.group()))
            if options:
                chars[match.start() : match.end()] = rng.choice(options)
        title, *lines = "".join(chars).split("\n")
        body = [Block(b.type, line) for b, line in zip(article.body, lines, strict=True)]
        new_id = hashlib.blake2b(f"{article.id}#{generation}".encode(), digest_size=10).hexdigest()
        copy = replace(
            article,
            id=new_id,
            url=f"{article.url or 'https://example.test/' + article.id}?copy={generation}",
            title=title,
            body=body,
            published_at=article.published_at + timedelta(days=self.span * generation)
            if article.published_at
            else None,
        )
        return copy, analysis, fingerprint(copy)


def measure(store: Any, rng: random.Random, ids: list[str], titles: list[str]) -> dict[str, float]:
    from akhbar.link.related import served_related

    queries = []
    for title in rng.sample(titles, min(200, len(titles))):
        words = [w for w in WORD.findall(title) if len(w) > 3]
        if len(words) >= 2:
            queries.append(words[0] if len(queries) % 2 else f"{words[0]} {words[1]}")  # a word, or two
    search = []
    for q in queries:
        started = time.perf_counter()
        store.search(q, limit=10)
        search.append((time.perf_counter() - started) * 1000)
    picks = rng.sample(ids, min(200, len(ids)))
    first, later = [], []
    for article_id in picks:
        started = time.perf_counter()
        served_related(store, article_id, k=5)
        first.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        served_related(store, article_id, k=5)
        later.append((time.perf_counter() - started) * 1000)
    return {
        "search_p50": pct(search, 0.5),
        "search_p95": pct(search, 0.95),
        "related_ranked_p50": pct(first, 0.5),
        "related_ranked_p95": pct(first, 0.95),
        "related_served_p50": pct(later, 0.5),
        "related_served_p95": pct(later, 0.95),
    }


def db_size_mb(store_kind: str, target: str, store: Any) -> float:
    if store_kind == "sqlite":
        return sum(p.stat().st_size for p in Path(target).parent.glob(Path(target).name + "*")) / 1e6
    row = store.db.execute("SELECT pg_database_size(current_database())").fetchone()
    return float(row[0]) / 1e6


def grow_phase(args: argparse.Namespace) -> None:
    from akhbar.store import open_store

    sizes = sorted(int(s) for s in args.sizes.split(","))
    ensure_bulk_output(args.bulk_out)
    started = time.perf_counter()
    sources = source_articles(args.bulk_out)
    synth = Synthesizer(sources)
    print(
        f"{len(sources):,} analyzed ANT articles read in {time.perf_counter() - started:.0f} s"
        f" (corpus span {synth.span} days); RSS {peak_rss_mb():.0f} MB",
        flush=True,
    )
    work = Path(tempfile.mkdtemp(prefix="akhbar-scale-", dir=args.work))
    target = args.pg if args.store == "postgresql" else str(work / "scale.db")
    if args.store == "postgresql":
        _reset_pg(args.pg)
    store = open_store(target)
    rng = random.Random(7)
    ids: list[str] = []
    titles: list[str] = []
    loaded = 0
    load_seconds = 0.0
    print(f"\n{args.store}: grown to {', '.join(f'{s:,}' for s in sizes)} articles")
    header = (
        f"{'articles':>10} {'load s':>8} {'art/s':>7} {'DB MB':>8} {'RSS MB':>7} {'search p50/p95 ms':>18}"
        f" {'related ranked p50/p95':>23} {'served p50/p95':>15}"
    )
    print(header, flush=True)
    try:
        for size in sizes:
            step_started = time.perf_counter()
            step = size - loaded
            for start in range(loaded, size, 1000):
                batch = [synth.copy(i) for i in range(start, min(size, start + 1000))]
                with store.transaction():
                    store.put_many([(a, an) for a, an, _ in batch])
                    store.put_fingerprints([(a.id, fp.text_hash, fp.to_blob(), fp.bands) for a, _, fp in batch])
                ids.extend(a.id for a, _, _ in batch)
                if len(titles) < 20000:
                    titles.extend(a.title for a, _, _ in batch[:50])
            store.refresh_statistics()  # as `akhbar load` does at its end
            step_seconds = time.perf_counter() - step_started
            load_seconds += step_seconds
            loaded = size
            figures = measure(store, rng, ids, titles)
            print(
                f"{size:>10,} {load_seconds:>8.0f} {step / step_seconds:>7.0f}"
                f" {db_size_mb(args.store, target, store):>8.0f}"
                f" {peak_rss_mb():>7.0f} {figures['search_p50']:>8.1f}/{figures['search_p95']:<9.1f}"
                f" {figures['related_ranked_p50']:>11.1f}/{figures['related_ranked_p95']:<11.1f}"
                f" {figures['related_served_p50']:>7.2f}/{figures['related_served_p95']:<7.2f}",
                flush=True,
            )
            print(json.dumps({"store": args.store, "size": size, "load_seconds": round(load_seconds, 1), **figures}))
    finally:
        store.close()
        if args.store == "sqlite" and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    per_article = load_seconds / max(1, loaded)
    print(
        f"\nload path {loaded / load_seconds:.0f} articles/s → 1M in {per_article * 1e6 / 60:.0f} min"
        f" (goal < 60 min with analysis: analysis itself runs at the Spark rate of `bench/scale.py spark`)"
    )
    print(f"goals: 1M < 1 h · RSS < {GOALS['rss_gib']} GiB · related p95 < {GOALS['related_p95_ms']:.0f} ms")


def _reset_pg(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        con.execute("DROP SCHEMA public CASCADE")
        con.execute("CREATE SCHEMA public")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="phase", required=True)
    spark = sub.add_parser("spark", help="Spark local[2] vs one process on the same input")
    spark.add_argument("--sample", type=int, default=3000)
    spark.add_argument("--month-arabic", type=int, default=1_000_000, help="Arabic articles in a CC-NEWS month")
    grow = sub.add_parser("grow", help="grow a store to the given sizes and measure it")
    grow.add_argument("--store", choices=("sqlite", "postgresql"), default="sqlite")
    grow.add_argument("--sizes", default="30000,100000,1000000")
    grow.add_argument("--pg", default="postgresql://akhbar:akhbar@127.0.0.1:5432/akhbar_bench")
    grow.add_argument("--bulk-out", type=Path, default=BULK_OUT)
    grow.add_argument("--work", default="/tmp")
    grow.add_argument("--keep", action="store_true", help="keep the SQLite file")
    args = parser.parse_args()
    if args.phase == "spark":
        if not ANT.is_file():
            sys.exit(f"no ANT corpus at {ANT}: this benchmark needs ../shared/data")
        spark_phase(args)
    else:
        grow_phase(args)


if __name__ == "__main__":
    main()
