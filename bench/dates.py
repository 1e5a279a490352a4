"""Benchmark: akhbar.arabic.dates.parse against dateparser and htmldate on tests/data/dates.tsv.

Run from the repo root:  .venv/bin/python bench/dates.py [--verbose]

Scores, per parser, over every row of the table:
  exact     the same datetime: same wall clock and same UTC offset (or both naive); for NONE rows, no date
  same day  the same calendar day (htmldate only ever returns a day, so it is scored on this alone)
  wrong     a date that is not the expected one (or any date for a NONE row)
  missed    no date where one was expected
and the mean parse time per string. --verbose lists every row where a parser is not exact.

dateparser runs with languages=['ar', 'en'], DATE_ORDER=DMY and REQUIRE_PARTS day/month/year (so it may not invent
a day, like ours); rows with a reference get RELATIVE_BASE + the reference's offset, rows with default_tz get
TIMEZONE. Note two conventions differ by design: dateparser keeps the reference clock for "أمس" (ours: midnight),
and it returns aware values whenever a TIMEZONE is set; both cost it "exact" but not "same day".
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[1]
TABLE = REPO / "tests" / "data" / "dates.tsv"
sys.path.insert(0, str(REPO / "src"))  # also runnable without the editable install

from akhbar.arabic.dates import parse  # noqa: E402


@dataclass(frozen=True)
class Row:
    text: str
    expected: datetime | None
    note: str
    reference: datetime | None
    default_tz: ZoneInfo | None


def load_rows() -> list[Row]:
    rows = []
    with TABLE.open(encoding="utf-8", newline="") as f:
        for rec in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            exp, ref, tz = rec["expected"].strip(), (rec["reference"] or "").strip(), (rec["default_tz"] or "").strip()
            rows.append(
                Row(
                    text=rec["text"],
                    expected=None if exp == "NONE" else datetime.fromisoformat(exp),
                    note=rec["note"],
                    reference=datetime.fromisoformat(ref) if ref else None,
                    default_tz=ZoneInfo(tz) if tz else None,
                )
            )
    return rows


# A runner turns a row into a datetime (or a bare date, for htmldate), or None.
Runner = Callable[[Row], "datetime | date | None"]


def run_ours(row: Row) -> datetime | None:
    return parse(row.text, default_tz=row.default_tz, reference=row.reference).value


def make_dateparser() -> Runner | None:
    try:
        import dateparser
    except ImportError:
        return None

    base: dict[str, Any] = {
        "DATE_ORDER": "DMY",
        "PREFER_DAY_OF_MONTH": "first",
        "REQUIRE_PARTS": ["day", "month", "year"],
    }

    def run(row: Row) -> datetime | None:
        settings = dict(base)
        if row.reference is not None:
            settings["RELATIVE_BASE"] = row.reference.replace(tzinfo=None)
            offset = row.reference.utcoffset()
            if offset is not None:
                minutes = int(offset.total_seconds() // 60)
                sign = "+" if minutes >= 0 else "-"
                settings["TIMEZONE"] = f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"
                settings["RETURN_AS_TIMEZONE_AWARE"] = True
        if row.default_tz is not None:
            settings["TIMEZONE"] = str(row.default_tz)
            settings["RETURN_AS_TIMEZONE_AWARE"] = True
        try:
            value = dateparser.parse(row.text, languages=["ar", "en"], settings=settings)
        except Exception:
            return None
        return value if isinstance(value, datetime) else None

    return run


def make_htmldate() -> Runner | None:
    try:
        from htmldate import find_date
    except ImportError:
        return None

    def run(row: Row) -> date | None:
        html = f"<html><body><p>{row.text}</p></body></html>"
        try:
            found = find_date(html, original_date=True, extensive_search=True)
        except Exception:
            return None
        return date.fromisoformat(found) if found else None

    return run


@dataclass
class Score:
    name: str
    exact: int = 0
    same_day: int = 0
    wrong: int = 0
    missed: int = 0
    seconds: float = 0.0
    runs: int = 0
    misses: list[tuple[Row, object]] = field(default_factory=list)


def _offset(tz: tzinfo | None, value: datetime) -> object:
    return tz.utcoffset(value) if tz is not None else None


def score_row(score: Score, row: Row, got: datetime | date | None, day_only: bool) -> None:
    want = row.expected
    if want is None:
        if got is None:
            score.exact += 1
            score.same_day += 1
        else:
            score.wrong += 1
            score.misses.append((row, got))
        return
    if got is None:
        score.missed += 1
        score.misses.append((row, got))
        return
    got_day = got.date() if isinstance(got, datetime) else got
    if got_day == want.date():
        score.same_day += 1
    exact = (
        not day_only
        and isinstance(got, datetime)
        and got.replace(tzinfo=None) == want.replace(tzinfo=None)
        and _offset(got.tzinfo, got) == _offset(want.tzinfo, want)
    )
    if exact:
        score.exact += 1
    else:
        if got_day != want.date():
            score.wrong += 1
        score.misses.append((row, got))


def bench(name: str, runner: Runner, rows: list[Row], repeat: int, day_only: bool = False) -> Score:
    score = Score(name)
    runner(rows[0])  # warm-up: lazy imports and language data load on the first call
    for row in rows:
        start = time.perf_counter()
        for _ in range(repeat):
            got = runner(row)
        score.seconds += time.perf_counter() - start
        score.runs += repeat
        score_row(score, row, got, day_only)
    return score


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--verbose", "-v", action="store_true", help="list every row a parser does not get exactly")
    args = ap.parse_args()
    warnings.simplefilter("ignore")  # dateparser/pytz deprecation chatter

    rows = load_rows()
    n = len(rows)
    n_none = sum(r.expected is None for r in rows)
    print(f"table: {TABLE.relative_to(REPO)}: {n} rows ({n - n_none} with a date, {n_none} that must give none)\n")

    scores: list[Score] = [bench("akhbar.dates.parse", run_ours, rows, repeat=20)]
    missing: list[str] = []
    dp = make_dateparser()
    if dp is None:
        missing.append("dateparser: not installed")
    else:
        scores.append(bench("dateparser.parse", dp, rows, repeat=1))
    hd = make_htmldate()
    if hd is None:
        missing.append("htmldate: not installed")
    else:
        scores.append(bench("htmldate.find_date (day only)", hd, rows, repeat=1, day_only=True))

    header = f"{'parser':<31} {'exact':>14} {'same day':>14} {'wrong':>6} {'missed':>7} {'time/string':>12}"
    print(header)
    print("-" * len(header))
    for s in scores:
        exact = "n/a" if s.name.startswith("htmldate") else f"{s.exact:>3} {100 * s.exact / n:5.1f}%"
        per = s.seconds / s.runs
        timing = f"{per * 1e6:8.1f} µs" if per < 1e-3 else f"{per * 1e3:8.2f} ms"
        print(
            f"{s.name:<31} {exact:>14} {s.same_day:>3} {100 * s.same_day / n:5.1f}%    {s.wrong:>6} {s.missed:>7} "
            f"{timing:>12}"
        )
    for line in missing:
        print(line)

    for s in scores:
        if s.name.startswith("akhbar") or args.verbose:
            print(f"\n{s.name}: {len(s.misses)} rows not exact")
            for row, got in s.misses:
                want = row.expected.isoformat() if row.expected else "NONE"
                shown = got.isoformat() if isinstance(got, date) else "None"
                print(f"  {row.text[:60]!r:<64} want {want:<26} got {shown}  [{row.note}]")


if __name__ == "__main__":
    main()
