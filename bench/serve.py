"""Benchmark: the HTTP server under load - requests/s and latency for a mix of article, search and related calls.

Run from the repo root:  .venv/bin/python bench/serve.py [--db /tmp/akhbar-bench-ant.db] [--seconds 60]
                         [--clients 50] [--workers 2] [--ingest 3000] [--relink]

``akhbar serve`` runs in its own process(es) on 127.0.0.1 over the ANT database (30k articles; built by
``akhbar ingest`` when missing); the load comes from a second process: ``wrk`` (Debian's package, C, with a Lua
script for the mix) when installed, else this process with asyncio + httpx (which spends more CPU than the server
it loads: its figures are a floor). ``--clients`` concurrent keep-alive clients for ``--seconds``, each picking at
random: 50% an article record (``/api/articles/{id}``), 20% related
articles, 20% a search (Arabic queries and Latin names), 10% the reader's article page (``/article/{id}``). Both
share the machine's 2 cores, so the figures are a floor. Printed: requests/s, p50/p95/p99 per kind and overall,
errors (any non-2xx or transport error); beside them, the same server's ceiling on ``/api/health`` (no database
work) with the same clients. Goal: >= 200 requests/s with 0 errors.

Each run serves a fresh copy of the built archive (as ``akhbar ingest`` left it: lists ranked early in the ingest are
stale, and a read ranks them again without storing). While the load runs, ``akhbar ingest`` writes ``--ingest`` more
articles (ANT articles under new URLs) into the same file in another process: reads must never fail or stall for it
(issue 16: 50 clients with an ingest running, 0 errors). Printed besides: the ingest's own rate under load and the
server's peak RSS. ``--relink``: then ``akhbar relink`` (stale lists ranked and stored) and the same load again.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import random
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx

from antdb import ANT, DEFAULT_DB, ensure_db

QUERIES = [
    "كوريا الشمالية", "ترامب", "بوتين", "القدس", "الحوثي", "السعودية", "إيران", "كأس العالم", "النفط", "الانتخابات",
    "Kim Jong Un", "Trump", "Pyongyang", "Putin", "Khashoggi", "غزة", "سوريا", "الاتحاد الأوروبي", "فيسبوك", "ميسي",
]  # fmt: skip
MIX = [("article", 0.5), ("related", 0.2), ("search", 0.2), ("page", 0.1)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pick(rng: random.Random) -> str:
    x, total = rng.random(), 0.0
    for kind, share in MIX:
        total += share
        if x < total:
            return kind
    return MIX[-1][0]


async def load(
    base: str, ids: list[str], seconds: float, clients: int, only: str | None = None
) -> dict[str, list[float]]:
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    stop = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:

        async def worker(seed: int) -> None:
            rng = random.Random(seed)
            while time.monotonic() < stop:
                kind = only or pick(rng)
                article = rng.choice(ids)
                url = {
                    "article": f"/api/articles/{article}",
                    "related": f"/api/articles/{article}/related",
                    "search": "/api/search",
                    "page": f"/article/{article}",
                    "health": "/api/health",
                }[kind]
                params = {"q": rng.choice(QUERIES)} if kind == "search" else None
                start = time.perf_counter()
                try:
                    response = await client.get(url, params=params)
                    ok = 200 <= response.status_code < 300
                except httpx.HTTPError:
                    ok = False
                latencies[kind].append(time.perf_counter() - start)
                if not ok:
                    errors[kind] += 1

        await asyncio.gather(*(worker(i) for i in range(clients)))
    latencies["_errors"] = [float(sum(errors.values()))]
    return latencies


def report(name: str, latencies: dict[str, list[float]], seconds: float) -> None:
    errors = int(latencies.pop("_errors")[0])
    everything = sorted(t for values in latencies.values() for t in values)

    def q(values: list[float], p: float) -> float:
        return 1000 * values[min(len(values) - 1, int(p * len(values)))] if values else 0.0

    print(f"\n{name}: {len(everything)} requests in {seconds:.0f} s = {len(everything) / seconds:.0f} requests/s, "
          f"errors {errors}")  # fmt: skip
    print(f"{'kind':10}{'n':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for kind, values in sorted(latencies.items()):
        values.sort()
        print(f"{kind:10}{len(values):8}{q(values, 0.5):9.1f}{q(values, 0.95):9.1f}{q(values, 0.99):9.1f}")
    print(f"{'all':10}{len(everything):8}{q(everything, 0.5):9.1f}{q(everything, 0.95):9.1f}{q(everything, 0.99):9.1f}")


WRK_SCRIPT = """
math.randomseed(7)
local ids = {%(ids)s}
local queries = {%(queries)s}
local errors = 0
local function enc(s)
  return (s:gsub("[^%%w]", function(c) return string.format("%%%%%%02X", string.byte(c)) end))
end
request = function()
  local x = math.random()
  local id = ids[math.random(#ids)]
  local path
  if %(only)s then path = %(only)s
  elseif x < 0.5 then path = "/api/articles/" .. id
  elseif x < 0.7 then path = "/api/articles/" .. id .. "/related"
  elseif x < 0.9 then path = "/api/search?q=" .. enc(queries[math.random(#queries)])
  else path = "/article/" .. id end
  return wrk.format("GET", path)
end
response = function(status, headers, body)
  if status < 200 or status > 299 then errors = errors + 1 end
end
done = function(summary, latency, requests)
  io.write(string.format("WRK %%d %%d %%d %%.1f %%.1f %%.1f %%.1f\\n", summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout,
    summary.duration, latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
end
"""


def wrk_run(base: str, ids: list[str], seconds: float, clients: int, only: str | None = None) -> str:
    script = WRK_SCRIPT % {
        "ids": ",".join(f'"{i}"' for i in ids),
        "queries": ",".join('"' + q.replace('"', "") + '"' for q in QUERIES),
        "only": f'"{only}"' if only else "false",
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False, encoding="utf-8") as f:
        f.write(script)
    result = subprocess.run(
        ["wrk", "-t2", f"-c{clients}", f"-d{int(seconds)}s", "--timeout", "30s", "-s", f.name, base],
        capture_output=True,
        text=True,
        check=True,
    )
    Path(f.name).unlink()
    line = next(line for line in result.stdout.splitlines() if line.startswith("WRK "))
    n, errors, duration_us, p50, p95, p99, worst = line.split()[1:]
    duration = int(duration_us) / 1e6
    kinds = [line.strip() for line in result.stdout.splitlines() if "Socket errors" in line or "Non-2xx" in line]
    return (
        f"{int(n)} requests in {duration:.0f} s = {int(n) / duration:.0f} requests/s, errors {errors}"
        + (f" ({'; '.join(kinds)})" if kinds else "")
        + f"; latency p50 {p50} ms, p95 {p95} ms, p99 {p99} ms, max {worst} ms"
    )


def rekeyed_ant(path: Path, n: int) -> Path:
    """``n`` ANT articles under new URLs (so new ids): what a live ingest writes while readers read. The same texts
    are near-duplicates of stored articles, so linking does its full work (duplicates, related, stories)."""
    with gzip.open(ANT, "rt", encoding="utf-8") as source, path.open("w", encoding="utf-8") as out:
        for i, line in enumerate(source):
            if i >= n:
                break
            row = json.loads(line)
            row["url"] = (row.get("url") or f"https://ant.invalid/{i}") + "?akhbar-bench=live"
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory of a process and its children (uvicorn workers), summed (VmHWM, Linux)."""
    total = 0.0
    for proc in [pid, *children(pid)]:
        try:
            for line in Path(f"/proc/{proc}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            pass
    return total


def children(pid: int) -> list[int]:
    try:
        found = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    return [*found, *(g for c in found for g in children(c))]


def one_round(name: str, db: Path, ids: list[str], args: argparse.Namespace, live: Path | None) -> None:
    """Serve ``db``, put the mix on it for ``--seconds`` (with ``live`` ingested at the same time), print figures."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "akhbar.serve.cli", "serve", "--db", str(db), "--port", str(port)]
    # The server's and the ingest's messages go to files: a pipe nobody reads would fill and stall the server.
    server_log = db.with_suffix(".server.log").open("w+")
    ingest_log = db.with_suffix(".ingest.log").open("w+")
    server = subprocess.Popen([*command, "--workers", str(args.workers)], stdout=subprocess.DEVNULL,
                              stderr=server_log)  # fmt: skip
    ingest: subprocess.Popen[bytes] | None = None
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                server_log.seek(0)
                sys.exit(f"server did not start: {server_log.read()}")
            time.sleep(0.2)
        print(f"\n== {name}: {len(ids)} articles asked for; server: {args.workers} uvicorn worker(s); load: "
              f"{args.clients} clients, {args.seconds:.0f} s, same machine")  # fmt: skip
        asyncio.run(load(base, ids, 3, args.clients))  # warm-up: caches, connections, page cache
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
            before = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
        started = time.monotonic()
        if live is not None:
            print(f"ingest running at the same time: akhbar ingest {live.name} (re-keyed ANT articles)")
            ingest = subprocess.Popen([sys.executable, "-m", "akhbar.serve.cli", "ingest", str(live), "--db", str(db)],
                                      stdout=subprocess.DEVNULL, stderr=ingest_log)  # fmt: skip
        if shutil.which("wrk") and not args.python_client:
            mix = wrk_run(base, ids, args.seconds, args.clients)
            print(f"mix (article 50%, related 20%, search 20%, page 10%), wrk: {mix}")
        else:
            report("mix (article 50%, related 20%, search 20%, page 10%), python client",
                   asyncio.run(load(base, ids, args.seconds, args.clients)), args.seconds)  # fmt: skip
        elapsed = time.monotonic() - started
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
            after = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
        if ingest is not None:
            failed = ingest.poll() not in (None, 0)
            print(f"ingest during the load: {after - before} articles stored in {elapsed:.0f} s "
                  f"= {(after - before) / elapsed:.1f} articles/s{'; INGEST FAILED' if failed else ''}")  # fmt: skip
        print(f"server peak RSS (all processes): {peak_rss_mb(server.pid):.0f} MB")
        server_log.seek(0)
        logged = server_log.read()
        print(f"server log: {logged.count('Traceback')} tracebacks, {len(logged.splitlines())} lines")
        if logged.strip():
            print("  " + "\n  ".join(logged.strip().splitlines()[-5:]))
        if shutil.which("wrk") and not args.python_client:
            ceiling = wrk_run(base, ids, min(15.0, args.seconds), args.clients, only="/api/health")
            print(f"ceiling, /api/health only (no ingest): {ceiling}")
    finally:
        if ingest is not None:
            ingest.terminate()
            ingest.wait(timeout=60)
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--ingest", type=int, default=3000, help="articles ingested during the load (0: none)")
    parser.add_argument("--relink", action="store_true", help="then run akhbar relink and load again")
    parser.add_argument("--python-client", action="store_true", help="use the Python load client even if wrk exists")
    args = parser.parse_args()
    ensure_db(args.db)
    with sqlite3.connect(f"file:{args.db}?mode=ro", uri=True) as db:
        ids = [r[0] for r in db.execute("SELECT id FROM articles")]
    ids = random.Random(11).sample(ids, min(5000, len(ids)))  # the articles the load asks for
    with tempfile.TemporaryDirectory(prefix="akhbar-serve-bench-") as folder:
        copy = Path(folder) / "archive.db"  # the built archive stays as ingest left it: every run starts fresh
        with sqlite3.connect(f"file:{args.db}?mode=ro", uri=True) as source, sqlite3.connect(copy) as target:
            source.backup(target)
        live = rekeyed_ant(Path(folder) / "live.jsonl", args.ingest) if args.ingest else None
        one_round("fresh archive (as akhbar ingest left it)", copy, ids, args, live)
        if args.relink:
            started = time.monotonic()
            subprocess.run([sys.executable, "-m", "akhbar.serve.cli", "relink", "--db", str(copy)], check=True,
                           stdout=subprocess.DEVNULL)  # fmt: skip
            print(f"\nakhbar relink: {time.monotonic() - started:.0f} s")
            live2 = rekeyed_ant(Path(folder) / "live2.jsonl", 2 * args.ingest) if args.ingest else None
            if live2 is not None:  # the first round's articles are stored: take the next ones
                lines = live2.read_text(encoding="utf-8").splitlines(keepends=True)[args.ingest :]
                live2.write_text("".join(lines), encoding="utf-8")
            one_round("after akhbar relink", copy, ids, args, live2)


if __name__ == "__main__":
    main()
