"""Score akhbar.arabic.dates.parse against the independent held-out table.

The table (tests/data/dates_heldout.tsv) was written blind to the parser and
to its development table, so the hit rate here is an honest estimate.

Run from the repo root:  .venv/bin/python bench/dates_heldout.py
"""

from __future__ import annotations

import csv
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from akhbar.arabic.dates import parse  # noqa: E402

TABLE = ROOT / "tests" / "data" / "dates_heldout.tsv"
COLUMNS = ["text", "expected", "note", "reference", "default_tz"]


def load(path: Path = TABLE) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        if reader.fieldnames != COLUMNS:
            raise SystemExit(f"bad header in {path}: {reader.fieldnames}")
        return [{k: (v or "") for k, v in row.items()} for row in reader]


def same(got: datetime | None, want: datetime | None) -> bool:
    if got is None or want is None:
        return got is None and want is None
    got_aware = got.tzinfo is not None and got.utcoffset() is not None
    want_aware = want.tzinfo is not None and want.utcoffset() is not None
    if got_aware != want_aware:
        return False
    if want_aware:
        # same instant and same wall-clock offset
        return got == want and got.utcoffset() == want.utcoffset()
    return got == want


def main() -> int:
    rows = load()
    misses = []
    for row in rows:
        want = None if row["expected"] == "NONE" else datetime.fromisoformat(row["expected"])
        tz = ZoneInfo(row["default_tz"]) if row["default_tz"] else None
        ref = datetime.fromisoformat(row["reference"]) if row["reference"] else None
        try:
            result = parse(row["text"], default_tz=tz, reference=ref)
            got, reason = result.value, result.reason
        except Exception as exc:  # a crash is a miss, not an abort
            got, reason = None, f"EXCEPTION {type(exc).__name__}: {exc}"
        if not same(got, want):
            misses.append((row, got, reason))

    hits = len(rows) - len(misses)
    print(f"held-out dates: {hits}/{len(rows)} = {hits / len(rows):.1%}")
    for row, got, reason in misses:
        shown = got.isoformat() if got is not None else "NONE"
        print(f"{row['text']} | {row['expected']} | {shown} | {reason}  [{row['note']}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
