"""``akhbar load``: a bulk run's output in a store (SQLite and PostgreSQL) is what ``akhbar ingest`` stores."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import akhbar
from akhbar.archive import Archive
from akhbar.bulk.load import load
from akhbar.serve.cli import app
from akhbar.store import open_store
from tests.bulk.conftest import INPUTS


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    """The same inputs through ``akhbar ingest`` (SQLite): the reference."""
    archive = akhbar.open(tmp_path_factory.mktemp("ref") / "ref.db")
    archive.ingest(INPUTS)
    return archive


def test_loaded_articles_equal_ingested_ones(
    bulk_out: tuple[Path, Any], ingested: Archive, new_db: Callable[[], str]
) -> None:
    out, run_report = bulk_out
    store = open_store(new_db())
    try:
        report = load(out, store)
        assert (report.new, report.updated, report.errors) == (run_report.articles, 0, [])
        # the broken JSON line and the missing input (a rerun records the missing input again: counted once)
        assert store.stats().failures == 2 and report.failures >= 2
        reference = ingested.store
        ids = sorted(a.id for a in reference.iter_articles())
        assert sorted(a.id for a in store.iter_articles()) == ids
        for article_id in ids:
            assert store.stored_hash(article_id) == reference.stored_hash(article_id)
            assert store.summary(article_id) == reference.summary(article_id)
            assert [t.text for t in store.auto_tags(article_id)] == [t.text for t in reference.auto_tags(article_id)]
            assert {r.id for r in store.duplicates_of(article_id)} == {
                r.id for r in reference.duplicates_of(article_id)
            }
        loaded, expected = store.entity("بيونغ يانغ"), reference.entity("بيونغ يانغ")
        assert loaded is not None and expected is not None
        assert (loaded.article_count, dict(loaded.spellings)) == (expected.article_count, dict(expected.spellings))
        assert [h.id for h in store.search("بيونغ يانغ", limit=20)] == [
            h.id for h in reference.search("بيونغ يانغ", limit=20)
        ]
    finally:
        store.close()


def test_loading_again_changes_nothing(bulk_out: tuple[Path, Any], new_db: Callable[[], str]) -> None:
    out, _ = bulk_out
    store = open_store(new_db())
    try:
        first = load(out, store)
        second = load(out, store)
        assert (second.new, second.updated, second.unchanged) == (0, 0, first.new)
        assert store.stats().articles == first.new
    finally:
        store.close()


def test_load_command_then_the_archive_serves_the_articles(
    bulk_out: tuple[Path, Any], new_db: Callable[[], str]
) -> None:
    out, run_report = bulk_out
    db = new_db()
    result = CliRunner().invoke(app, ["load", str(out), "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    found = CliRunner().invoke(app, ["search", "فوستوتشني", "--db", db, "--json", "-n", "1"])
    assert found.exit_code == 0 and found.stdout.strip()
    with akhbar.open(db) as archive:
        assert archive.stats().articles == run_report.articles


def test_load_of_a_folder_that_is_no_bulk_output_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["load", str(tmp_path), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2
    assert "no articles table" in result.output
