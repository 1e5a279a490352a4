"""``akhbar bulk run`` on Spark local[2] over the examples: tables by day, quarantine, resuming, near-duplicates."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pyarrow.dataset as ds

import akhbar
from akhbar.bulk.job import BulkConfig, BulkReport, run
from akhbar.model import Article
from tests.bulk.conftest import INPUTS
from tests.conftest import EXAMPLES


def table(out: Path, name: str) -> list[dict[str, Any]]:
    partitioned = name not in ("duplicate_pairs", "duplicate_groups", "_inputs")
    return ds.dataset(out / name, format="parquet", partitioning="hive" if partitioned else None).to_table().to_pylist()


def test_every_arabic_article_of_the_inputs_is_in_the_tables(bulk_out: tuple[Path, BulkReport]) -> None:
    out, report = bulk_out
    expected = {r.id for src in INPUTS[:-1] for r in akhbar.parse(src) if isinstance(r, Article)}
    rows = table(out, "articles")
    assert {r["id"] for r in rows} == expected
    assert report.articles == len(rows) and report.read == report.inputs == 31
    assert report.skipped == {"skipped_non_html": 4}  # the WARC's PDF, image, request and warcinfo records
    by_id = {r["id"]: r for r in rows}
    blocks = table(out, "blocks")
    sample = next(r for r in rows if r["title"].startswith("بوتين وكيم"))
    assert sample["day"] == "2023-09-13"  # partitioned by publication day
    assert [b["position"] for b in blocks if b["article_id"] == sample["id"]] == list(
        range(sum(b["article_id"] == sample["id"] for b in blocks))
    )
    mentions = table(out, "mentions")
    entities = table(out, "entities")
    assert {m["article_id"] for m in mentions} <= set(by_id)
    assert any(e["name"] in ("بيونغ يانغ", "بيونج يانج", "بيونغيانغ") for e in entities)
    assert all(len(r["signature"]) == 128 and len(r["bands"]) == 40 for r in rows)
    assert all(t["kind"] in ("entity", "phrase") for t in table(out, "tags"))


def test_failures_are_quarantined_with_where_and_why(bulk_out: tuple[Path, BulkReport]) -> None:
    out, report = bulk_out
    rows = table(out, "quarantine")
    reasons = {(Path(r["source"]).name, r["position"]): r["reason"] for r in rows}
    assert "invalid JSON" in reasons[("articles.jsonl", "line 4")]
    assert reasons[("input.warc.gz", "-")] == "no such file or folder"
    assert report.failures == len(rows) == 2


def test_a_rerun_skips_completed_files_and_writes_nothing_twice(spark: Any, bulk_out: tuple[Path, BulkReport]) -> None:
    out, _ = bulk_out
    before = len(table(out, "articles"))
    again = run(INPUTS, BulkConfig(out=str(out), master="local[2]", partitions=2), spark)
    assert (again.skipped_done, again.read, again.articles) == (31, 0, 0)
    assert len(table(out, "articles")) == before
    assert again.duplicate_groups >= 1  # counted from the table already there


def test_an_interrupted_batch_is_dropped_and_its_files_read_again(spark: Any, tmp_path: Path) -> None:
    out = tmp_path / "out"
    inputs = [str(EXAMPLES / "textpages")]
    first = run(inputs, BulkConfig(out=str(out), master="local[2]", partitions=2), spark)
    # A run killed after writing a batch's tables but before recording its files: one batch folder too many.
    for day in (out / "articles").glob("day=*"):
        for batch in day.glob("batch=*"):
            shutil.copytree(batch, day / "batch=2026-11-25-killed")
    shutil.rmtree(out / "_inputs")
    second = run(inputs, BulkConfig(out=str(out), master="local[2]", partitions=2), spark)
    assert second.read == first.read == len(list((EXAMPLES / "textpages").glob("*.txt")))
    assert not list((out / "articles").glob("day=*/batch=2026-11-25-killed"))
    ids = [r["id"] for r in table(out, "articles")]
    # the first run's batch is unrecorded now too, so it is dropped and written again: each article once
    assert sorted(ids) == sorted(set(ids)) and len(ids) == first.articles


def test_near_duplicates_are_grouped_under_the_earliest_article(bulk_out: tuple[Path, BulkReport]) -> None:
    out, report = bulk_out
    groups = table(out, "duplicate_groups")
    articles = {r["id"]: r for r in table(out, "articles")}
    assert report.duplicate_groups == len({g["head_id"] for g in groups}) >= 1
    for group in groups:
        head = articles[group["head_id"]]
        member = articles[group["article_id"]]
        assert (head["published_at"] or "9999") <= (member["published_at"] or "9999")
    pairs = table(out, "duplicate_pairs")
    assert all(p["similarity"] >= 0.3 for p in pairs)
    # the wire copy reposted by another outlet (examples 02 and 03) is one report
    titles = {articles[g["article_id"]]["outlet"] for g in groups}
    assert len(titles) >= 2
