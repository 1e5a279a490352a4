"""The ANT archive the linking and serving benches share: built once by ``akhbar ingest``, and the corpus's docnos
mapped to akhbar article ids (the ids come from the URL, as the ANT reader makes them)."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

from akhbar.model import article_id

REPO = Path(__file__).resolve().parents[1]
ANT = REPO.parent / "shared" / "data" / "ant" / "multisource-v2.1.jsonl.gz"
DEFAULT_DB = Path("/tmp/akhbar-bench-ant.db")


def ensure_db(db: Path) -> None:
    """Ingest the ANT corpus into ``db`` unless it exists (~15 minutes on 2 cores); exit when the corpus is absent."""
    if db.exists():
        return
    if not ANT.is_file():
        sys.exit(f"no database at {db} and no ANT corpus at {ANT} to build one: this benchmark needs ../shared/data")
    print(f"building {db} (akhbar ingest of the ANT corpus, ~15 minutes)…", flush=True)
    subprocess.run([sys.executable, "-m", "akhbar.serve.cli", "ingest", str(ANT), "--db", str(db)], check=True)


def docno_ids(path: Path = ANT) -> dict[str, str]:
    """ANT docno → akhbar article id."""
    out = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            out[row["docno"]] = article_id(url=row.get("url"), title=row.get("title") or "", text=row.get("text") or "")
    return out
