"""Benchmark: parse and ingest the ANT multisource corpus, search the archive, and read HTML beside trafilatura.

Run from the repo root:  .venv/bin/python bench/ingest.py [--limit N] [--skip-ingest]

Phases, each in a fresh subprocess so that its peak RSS (``ru_maxrss``) is its own:

  parse       ``akhbar.parse(path)`` over ``multisource-v2.1.jsonl.gz`` (format auto-detected: ANT), every record
              consumed: articles/s and MB/s of decompressed input.
  ingest      ``akhbar.open(db).ingest([path])`` into a fresh SQLite file in a temp dir: articles/s, final DB size.
  re-ingest   the same file again into the same DB (every article "unchanged"): articles/s.
  search      ~200 queries (100 Arabic words and 100 two-word phrases cut from titles, picked deterministically):
              p50/p95 latency of ``archive.search(q, limit=10)`` (snippets included), after 5 warm-up queries.
  html        the 9 pages of examples/html: ``trafilatura.extract(html, output_format="txt", with_metadata=True)`` vs
              ``akhbar.parse(path)`` (trafilatura inside, plus our Arabic reader: date, byline, repair); ms/page,
              median of 5 runs after one warm-up run. trafilatura gets the page already decoded to a string
              (``trafilatura.utils.decode_file``, untimed); ours reads the file and decodes it itself.

``--limit N`` reads only the first N rows (copied to a temp .jsonl.gz); ``--skip-ingest`` runs parse and html only;
``--jobs 1 2`` ingests once per job count (each into a new DB, the first one's kept for the later phases) and prints
their speed beside each other: ``bench/ingest.py --limit 1500 --jobs 1 2`` is the ``--jobs`` figure of the README.
Data: ``$AKHBAR_SHARED`` or ``../shared`` beside the repo. Nothing is left behind: the DB lives in a temp dir.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))  # also runnable without the editable install

ANT_FILE = Path("data") / "ant" / "multisource-v2.1.jsonl.gz"
HTML_DIR = REPO / "examples" / "html"
N_WORD_QUERIES = N_PHRASE_QUERIES = 100
WARMUP_QUERIES = 5
HTML_RUNS = 5


def shared_root() -> Path:
    return Path(os.environ.get("AKHBAR_SHARED", REPO.parent / "shared"))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# ---------------------------------------------------------------------------------------------------------------------
# Phases (each runs in its own process and prints one JSON object)
# ---------------------------------------------------------------------------------------------------------------------


def phase_parse(path: str) -> dict[str, Any]:
    import akhbar
    from akhbar.model import Article

    rss_before = peak_rss_mb()
    articles = failures = 0
    reasons: Counter[str] = Counter()
    start = time.perf_counter()
    for record in akhbar.parse(path):
        if isinstance(record, Article):
            articles += 1
        else:
            failures += 1
            reasons[record.reason] += 1
    seconds = time.perf_counter() - start
    return {
        "articles": articles,
        "failures": failures,
        "reasons": reasons.most_common(3),
        "seconds": seconds,
        "rss_before": rss_before,
        "rss_peak": peak_rss_mb(),
    }


def db_size(db: str) -> int:
    return sum(os.path.getsize(p) for p in (db, db + "-wal", db + "-shm") if os.path.exists(p))


def phase_ingest(path: str, db: str, jobs: int = 1) -> dict[str, Any]:
    import akhbar

    rss_before = peak_rss_mb()
    start = time.perf_counter()
    with akhbar.open(db) as archive:
        report = archive.ingest([path], jobs=jobs)
    seconds = time.perf_counter() - start
    return {
        **report.to_json(),
        "articles": report.articles,
        "failures": report.failed,
        "seconds": seconds,
        "rss_before": rss_before,
        "rss_peak": peak_rss_mb(),
        "db_bytes": db_size(db),
        "db_main_bytes": os.path.getsize(db),
    }


_ARABIC_WORD = re.compile(r"[\u0621-\u064a]{3,}")


def pick_queries(path: str) -> list[str]:
    """100 single words and 100 adjacent two-word phrases from titles spread evenly over the file."""
    titles = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            title = json.loads(line).get("title")
            words = _ARABIC_WORD.findall(title) if isinstance(title, str) else []
            if len(words) >= 2:
                titles.append(words)
    if not titles:
        return []
    queries: dict[str, None] = {}
    for i in range(N_WORD_QUERIES):
        words = titles[(i * len(titles)) // N_WORD_QUERIES]
        queries.setdefault(words[i % len(words)])
    for i in range(N_PHRASE_QUERIES):
        words = titles[(i * len(titles) + len(titles) // 2) // N_PHRASE_QUERIES % len(titles)]
        j = i % (len(words) - 1)
        queries.setdefault(f"{words[j]} {words[j + 1]}")
    return list(queries)


def phase_search(path: str, db: str) -> dict[str, Any]:
    import akhbar

    queries = pick_queries(path)
    rss_before = peak_rss_mb()
    latencies = []
    zero = []
    with akhbar.open(db) as archive:
        for q in queries[:WARMUP_QUERIES]:
            archive.search(q, limit=10)
        for q in queries:
            start = time.perf_counter()
            hits = archive.search(q, limit=10)
            latencies.append(time.perf_counter() - start)
            if not hits:
                zero.append(q)
    latencies.sort()
    return {
        "queries": len(queries),
        "p50": statistics.median(latencies) if latencies else 0.0,
        "p95": latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))] if latencies else 0.0,
        "max": latencies[-1] if latencies else 0.0,
        "zero_hits": len(zero),
        "zero_examples": zero[:5],
        "rss_before": rss_before,
        "rss_peak": peak_rss_mb(),
    }


def phase_html() -> dict[str, Any]:
    import trafilatura
    from trafilatura.utils import decode_file

    import akhbar
    from akhbar.model import Article

    pages = sorted(HTML_DIR.glob("*.html"))
    decoded = {p: decode_file(p.read_bytes()) for p in pages}

    def peer(page: Path) -> int:
        out = trafilatura.extract(decoded[page], output_format="txt", with_metadata=True) or ""
        if out.startswith("---\n"):  # the metadata header: count the body only, like ours
            out = out.split("\n---\n", 1)[-1]
        return len(out.strip())

    def ours(page: Path) -> int:
        records = list(akhbar.parse(page))
        return sum(len(r.text) for r in records if isinstance(r, Article))

    rows = []
    for page in pages:
        peer(page), ours(page)  # warm-up
        times: dict[str, list[float]] = {"peer": [], "ours": []}
        chars = {"peer": 0, "ours": 0}
        for _ in range(HTML_RUNS):
            for name, fn in (("peer", peer), ("ours", ours)):
                start = time.perf_counter()
                chars[name] = fn(page)
                times[name].append(time.perf_counter() - start)
        rows.append(
            {
                "page": page.name,
                "kb": page.stat().st_size / 1024,
                "peer_ms": 1000 * statistics.median(times["peer"]),
                "ours_ms": 1000 * statistics.median(times["ours"]),
                "peer_chars": chars["peer"],
                "ours_chars": chars["ours"],
            }
        )
    return {"pages": rows, "rss_peak": peak_rss_mb()}


def run_phase(args: argparse.Namespace) -> None:
    if args.phase == "parse":
        out = phase_parse(args.input)
    elif args.phase == "ingest":
        out = phase_ingest(args.input, args.db, args.jobs[0])
    elif args.phase == "search":
        out = phase_search(args.input, args.db)
    else:
        out = phase_html()
    print(json.dumps(out, ensure_ascii=False))


def child(phase: str, input_path: str | None = None, db: str | None = None, jobs: int = 1) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--phase", phase, "--jobs", str(jobs)]
    if input_path:
        cmd += ["--input", input_path]
    if db:
        cmd += ["--db", db]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        sys.exit(f"bench/ingest.py: the {phase} phase failed (exit {proc.returncode}); its stderr is above")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


# ---------------------------------------------------------------------------------------------------------------------
# The driver
# ---------------------------------------------------------------------------------------------------------------------


def input_stats(path: Path) -> tuple[int, int]:
    """(rows, decompressed bytes) of a .jsonl.gz."""
    rows = size = 0
    with gzip.open(path, "rb") as f:
        for line in f:
            rows += 1
            size += len(line)
    return rows, size


def first_rows(source: Path, n: int, target: Path) -> None:
    with gzip.open(source, "rb") as f, gzip.open(target, "wb", compresslevel=1) as out:
        for i, line in enumerate(f):
            if i >= n:
                break
            out.write(line)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from importlib.metadata import version

    load = "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()) if hasattr(os, "getloadavg") else ""
    return (
        f"machine: {os.cpu_count()} cores ({cpu}), {load}; Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, trafilatura {version('trafilatura')}, akhbar {version('akhbar')}"
    )


def rate(n: float, seconds: float) -> str:
    return f"{n / seconds:,.0f}" if seconds > 0 else "-"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="only the first N rows of the corpus (default: all)")
    ap.add_argument("--skip-ingest", action="store_true", help="run the parse and html phases only")
    ap.add_argument(
        "--jobs", type=int, nargs="+", default=[1], help="ingest once per job count, each into a new DB (default: 1)"
    )
    ap.add_argument("--phase", choices=["parse", "ingest", "search", "html"], help=argparse.SUPPRESS)
    ap.add_argument("--input", help=argparse.SUPPRESS)
    ap.add_argument("--db", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.phase:
        run_phase(args)
        return

    source = shared_root() / ANT_FILE
    if not source.is_file():
        sys.exit(
            f"bench/ingest.py: the ANT corpus is not at {source}.\n"
            "Put the shared data folder beside the repo (../shared) or set AKHBAR_SHARED to it."
        )
    print(machine())
    with tempfile.TemporaryDirectory(prefix="akhbar-bench-") as tmp:
        path = source
        if args.limit is not None:
            path = Path(tmp) / f"multisource-first-{args.limit}.jsonl.gz"
            first_rows(source, args.limit, path)
        rows, size = input_stats(path)
        which = f"its first {rows:,} rows, copied to a temp file" if args.limit is not None else f"{rows:,} rows"
        print(f"input: {source} ({which}; {size / 1e6:.1f} MB decompressed, {path.stat().st_size / 1e6:.1f} MB gzip)\n")

        results: list[tuple[str, dict[str, Any]]] = []
        print("running parse ...", file=sys.stderr, flush=True)
        results.append(("parse", child("parse", str(path))))
        search: dict[str, Any] | None = None
        by_jobs: list[tuple[str, dict[str, Any]]] = []
        if not args.skip_ingest:
            db = str(Path(tmp) / "bench.db")  # the first job count's archive: re-ingested and searched below
            for n, jobs in enumerate(args.jobs):
                label = "ingest (new DB)" if args.jobs == [1] else f"ingest ({jobs} job{'s' * (jobs > 1)})"
                print(f"running {label} ...", file=sys.stderr, flush=True)
                by_jobs.append((label, child("ingest", str(path), db if n == 0 else f"{db}.{n}", jobs)))
            results += by_jobs
            print("running re-ingest ...", file=sys.stderr, flush=True)
            results.append(("re-ingest (unchanged)", child("ingest", str(path), db)))
            print("running search ...", file=sys.stderr, flush=True)
            search = child("search", str(path), db)
        print("running html ...", file=sys.stderr, flush=True)
        html = child("html")

    header = (
        f"{'phase':<22} {'articles':>9} {'failures':>8} {'seconds':>8} {'articles/s':>10} {'MB/s':>6} "
        f"{'RSS start':>9} {'peak RSS':>9}  outcome"
    )
    print(header)
    print("-" * (len(header) + 30))
    for name, r in results:
        outcome = ""
        if "new" in r:
            outcome = f"new {r['new']:,}, updated {r['updated']:,}, unchanged {r['unchanged']:,}"
            if name.startswith("ingest"):
                outcome += f"; DB {r['db_bytes'] / 1e6:.1f} MB"
        elif r["reasons"]:
            outcome = "; ".join(f"{n}× {reason}" for reason, n in r["reasons"])
        records = r["articles"] + r["failures"]
        mb_s = f"{size / 1e6 / r['seconds']:6.2f}" if r["seconds"] else "-"
        print(
            f"{name:<22} {r['articles']:>9,} {r['failures']:>8,} {r['seconds']:>8.1f} "
            f"{rate(records, r['seconds']):>10} {mb_s:>6} {r['rss_before']:>7.0f}MB {r['rss_peak']:>7.0f}MB  {outcome}"
        )
    if len(by_jobs) > 1:
        (first, base), *others = by_jobs
        print("\n" + "; ".join(f"{name}: {base['seconds'] / r['seconds']:.2f}× {first}" for name, r in others))
    if search is not None:
        print(
            f"\nsearch: {search['queries']} queries (words and 2-word phrases from titles), limit=10: "
            f"p50 {1000 * search['p50']:.1f} ms, p95 {1000 * search['p95']:.1f} ms, max {1000 * search['max']:.1f} ms; "
            f"{search['zero_hits']} with no hit{' ' + str(search['zero_examples']) if search['zero_hits'] else ''}; "
            f"peak RSS {search['rss_peak']:.0f} MB"
        )

    pages = html["pages"]
    print(f"\nHTML: {len(pages)} pages of examples/html, ms/page, median of {HTML_RUNS} runs")
    print(f"{'page':<44} {'KB':>5} {'trafilatura':>12} {'akhbar.parse':>13} {'ratio':>6}   body chars (traf. / ours)")
    for p in pages:
        ratio = p["ours_ms"] / p["peer_ms"] if p["peer_ms"] else float("nan")
        print(
            f"{p['page']:<44} {p['kb']:>5.1f} {p['peer_ms']:>12.2f} {p['ours_ms']:>13.2f} {ratio:>5.2f}x"
            f"   {p['peer_chars']:>5} / {p['ours_chars']}"
        )
    peer = statistics.mean(p["peer_ms"] for p in pages)
    ours = statistics.mean(p["ours_ms"] for p in pages)
    print(f"{'mean':<44} {'':>5} {peer:>12.2f} {ours:>13.2f} {ours / peer:>5.2f}x")
    print("(chars: trafilatura's text without its metadata header; ours: the article body text)")


if __name__ == "__main__":
    main()
