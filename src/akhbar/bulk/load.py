"""``akhbar load``: a bulk run's Parquet output into a store (SQLite file or PostgreSQL), no Spark needed.

Day by day (the partitions), the flat rows of each article are put back together (:func:`akhbar.bulk.records.
article_from_rows`) and written with their analysis and fingerprint through the store's bulk path (``put_many``:
COPY on PostgreSQL), ``BATCH`` articles per transaction — an interrupted load keeps the finished batches, and loading
again counts them unchanged. Then the near-duplicate pairs Spark found are joined in time order (groups headed by
their earliest article, as ``ingest`` makes them) and the quarantine rows are recorded, so ``akhbar failures`` lists
what the bulk run could not read.

Stories and related lists are not built here: ``akhbar relink`` clusters the stories and ranks every list; without
it a related list is ranked on its first view.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from akhbar.analyze.annotate import Analysis
from akhbar.bulk.dedup import NO_DATE
from akhbar.bulk.records import TABLES, article_from_rows
from akhbar.link.duplicates import Fingerprint
from akhbar.model import Article, Failure
from akhbar.store.base import PutOutcome, Store

BATCH = 1000


@dataclass(slots=True)
class LoadReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failures: int = 0  # quarantine rows recorded
    duplicate_pairs: int = 0
    days: int = 0
    errors: list[str] = field(default_factory=list)  # rows that could not be rebuilt (what, where, why)

    def to_json(self) -> dict[str, Any]:
        return {
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "failures": self.failures,
            "duplicate_pairs": self.duplicate_pairs,
            "days": self.days,
            "errors": len(self.errors),
        }


def load(out: str | Path, store: Store, *, on_day: Callable[[str, LoadReport], None] | None = None) -> LoadReport:
    """Load every article, near-duplicate pair and quarantine row of a bulk output into ``store``."""
    root = Path(out)
    if not (root / "articles").is_dir():
        raise FileNotFoundError(f"{root}: no articles table here (is it the --out folder of `akhbar bulk run`?)")
    report = LoadReport()
    order: dict[str, str] = {}  # article id → time order key, for joining duplicates oldest first
    for day in sorted(p.name.removeprefix("day=") for p in (root / "articles").glob("day=*")):
        items: list[tuple[Article, Analysis, Fingerprint]] = []
        for article_row, parts in _day_articles(root, day):
            try:
                items.append(article_from_rows(article_row, *parts))
            except (KeyError, TypeError, ValueError) as error:
                report.errors.append(f"{root}/articles/day={day}: article {article_row.get('id')!r}: {error}")
        for start in range(0, len(items), BATCH):
            _put_batch(store, items[start : start + BATCH], report)
        for article, _, _ in items:
            order[article.id] = _order_key(article)
        report.days += 1
        if on_day is not None:
            on_day(day, report)
    report.duplicate_pairs = _join_duplicates(root, store, order)
    report.failures = _quarantine(root, store)
    store.refresh_statistics()
    return report


def _put_batch(store: Store, items: list[tuple[Article, Analysis, Fingerprint]], report: LoadReport) -> None:
    with store.transaction():
        outcomes = store.put_many([(article, analysis) for article, analysis, _ in items])
        fingerprints = []
        for (article, _, fp), outcome in zip(items, outcomes, strict=True):
            setattr(report, outcome.value, getattr(report, outcome.value) + 1)
            if outcome is not PutOutcome.UNCHANGED:
                fingerprints.append((article.id, fp.text_hash, fp.to_blob(), fp.bands))
        store.put_fingerprints(fingerprints)


def _day_articles(root: Path, day: str) -> Iterator[tuple[dict[str, Any], tuple[list[dict[str, Any]], ...]]]:
    """The rows of one day, grouped per article and batch (one article may come from two runs or two inputs)."""
    tables = {table: _rows(root / table / f"day={day}") for table in TABLES}
    parts: dict[str, dict[tuple[str, str], list[dict[str, Any]]]] = {}
    for table in TABLES[1:]:
        grouped: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for row in tables[table]:
            grouped[(row["article_id"], row["batch"])].append(row)
        parts[table] = grouped
    for row in tables["articles"]:
        key = (row["id"], row["batch"])
        yield row, tuple(parts[table].get(key, []) for table in TABLES[1:])


def _rows(folder: Path) -> list[dict[str, Any]]:
    """Rows of one day of a table, with their ``batch`` (the sub-folder they were written to)."""
    import pyarrow.parquet as pq

    rows: list[dict[str, Any]] = []
    for batch_dir in sorted(folder.glob("batch=*")):
        batch = batch_dir.name.removeprefix("batch=")
        for file in sorted(batch_dir.glob("*.parquet")):
            for row in pq.read_table(file).to_pylist():
                row["batch"] = batch
                rows.append(row)
    return rows


def _order_key(article: Article) -> str:
    when = article.published_at
    return (when.replace(tzinfo=None).isoformat() if when is not None else NO_DATE) + "|" + article.id


def _join_duplicates(root: Path, store: Store, order: dict[str, str]) -> int:
    import pyarrow.parquet as pq

    folder = root / "duplicate_pairs"
    if not folder.is_dir():
        return 0
    earlier: dict[str, list[tuple[str, float]]] = defaultdict(list)
    pairs = 0
    for file in sorted(folder.glob("*.parquet")):
        for row in pq.read_table(file).to_pylist():
            a, b = sorted((row["a"], row["b"]), key=lambda i: order.get(i, "~"))
            earlier[b].append((a, float(row["similarity"])))
            pairs += 1
    with store.transaction():
        for article_id in sorted(earlier, key=lambda i: order.get(i, "~")):
            if article_id not in order:
                continue
            store.join_duplicates_of(article_id, [(a, sim) for a, sim in earlier[article_id] if a in order])
    return pairs


def _quarantine(root: Path, store: Store) -> int:
    count = 0
    folder = root / "quarantine"
    with store.transaction():
        for day_dir in sorted(folder.glob("day=*")):
            for row in _rows(day_dir):
                store.quarantine(
                    Failure(
                        source=row["source"],
                        position=row["position"],
                        reason=row["reason"],
                        excerpt=row["excerpt"] or "",
                        reader=row["reader"] or "",
                    )
                )
                count += 1
    return count
