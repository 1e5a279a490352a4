"""The search index (store.textindex): the same matches as the store's exact search, filters inside the index,
in step with the archive through crashes, updates, copies and damage; readers never write it."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import tantivy

import akhbar
from akhbar.archive import Archive
from akhbar.pipeline import PipelineConfig
from akhbar.store import is_postgres
from akhbar.store.base import ArticleFilter
from akhbar.store.textindex import day_bound

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
# Words, a quoted phrase, a Latin name (its Arabic spellings), an Arabic name the archive knows in other spellings,
# two words no single article has (any of them is then ranked).
QUERIES = ["كوريا الشمالية", '"كوريا الشمالية"', "Pyongyang", "بيونغيانغ", "بوتن", "الصواريخ", "كيم زيلنسكي"]


def _ids(hits: list[akhbar.SearchHit]) -> set[str]:
    return {hit.id for hit in hits}


def _exact(archive: Archive, query: str, where: ArticleFilter = ArticleFilter()) -> set[str]:
    index, archive.search_index = archive.search_index, None
    try:
        return _ids(archive.search(query, limit=1000, where=where))
    finally:
        archive.search_index = index


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite archive of every example article, with its search index (copied by the tests that change it)."""
    db = tmp_path_factory.mktemp("index") / "news.db"
    with akhbar.open(db) as archive:
        archive.ingest([EXAMPLES])
    return db


@pytest.fixture
def archive_copy(built: Path, tmp_path: Path) -> Callable[[], Path]:
    def make() -> Path:
        db = tmp_path / f"copy{len(list(tmp_path.glob('copy*.db')))}.db"
        shutil.copy(built, db)
        shutil.copytree(f"{built}.search", f"{db}.search")
        return db

    return make


def test_the_index_finds_what_the_exact_search_finds(new_db: Callable[[], str], tmp_path: Path) -> None:
    db = new_db()
    config = PipelineConfig(search_index=str(tmp_path / "index") if is_postgres(db) else None)
    with akhbar.open(db, config) as archive:
        archive.ingest([EXAMPLES])
        assert archive.search_index is not None and archive.search_index.lag(archive.store) == 0
        for query in QUERIES:
            found = _ids(archive.search(query, limit=1000))
            assert found and found == _exact(archive, query), query
            top = [h.id for h in archive.search(query, limit=3)]
            assert top == [h.id for h in archive.search(query, limit=1000)][:3]  # a page is the head of the ranking
        first, second = archive.search("كوريا", limit=2), archive.search("كوريا", limit=2, offset=2)
        assert [h.id for h in first + second] == [h.id for h in archive.search("كوريا", limit=4)]
        assert all(hit.snippet and hit.highlights for hit in first)


def test_filters_are_applied_inside_the_index_as_the_store_applies_them(built: Path) -> None:
    with akhbar.open(built) as archive:
        outlet = archive.outlets()[0][0]
        entity = archive.store.entities_in(archive.search("بوتين", limit=1)[0].id)[0][0]
        tag = archive.tags(archive.search("كوريا", limit=1)[0].id)[0].text
        filters = [
            ArticleFilter(outlet=outlet),
            ArticleFilter(entity=entity),
            ArticleFilter(tag=tag),
            ArticleFilter(since="2024-09-01"),
            ArticleFilter(since="2024-01", until="2024-09"),
            ArticleFilter(outlet=outlet, since="2023-01-01", until="2030-12-31"),
            ArticleFilter(entity=2**70),
        ]
        kept_something = 0
        for where in filters:
            for query in ["كوريا", "بوتين", "Pyongyang"]:
                found = _ids(archive.search(query, limit=1000, where=where))
                assert found == _exact(archive, query, where), (query, where)
                kept_something += bool(found)
        assert kept_something >= 8


def test_day_bounds_compare_as_the_store_compares_iso_days() -> None:
    assert day_bound("2024-05-03") == 20240503
    assert day_bound("2024-05") == 20240500 and day_bound("2024") == 20240000
    assert day_bound("2024-05-03T10:00:00+03:00") == 20240503
    assert day_bound("") is None


def test_a_kill_between_the_archive_commit_and_the_index_commit_is_caught_up(archive_copy: Callable[[], Path]) -> None:
    """The window the change log is for: the archive has committed an article, the index has not (kill -9)."""
    db = archive_copy()
    page = db.parent / "zoo.jsonl"
    row = {"url": "https://zoo.example/1", "title": "زرافة في حديقة الحيوان", "text": "ولدت زرافة صغيرة في الحديقة."}
    page.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    script = f"""
import os, signal
import akhbar
archive = akhbar.open({str(db)!r})
article = next(iter(akhbar.parse({str(page)!r})))
archive.store.put(article)  # committed; the write path catches the index up only after its commit
os.kill(os.getpid(), signal.SIGKILL)
"""
    killed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert killed.returncode == -9, killed.stderr
    calls: list[None] = []
    with akhbar.open(db, read_only=True) as reader:
        assert reader.search_index is not None and reader.search_index.lag(reader.store) == 1
        reader.on_search_index_behind = lambda: calls.append(None)
        assert [h.title for h in reader.search("زرافة")] == ["زرافة في حديقة الحيوان"]  # the exact search answers
        assert calls and reader.search_index.lag(reader.store) == 1  # a reader asks; it never writes the index
    with akhbar.open(db) as writer:
        assert [h.title for h in writer.search("زرافة")] == ["زرافة في حديقة الحيوان"]
        assert writer.search_index is not None and writer.search_index.lag(writer.store) == 0
        assert len(writer.search_index.rowids()) == writer.store.size()


def test_an_updated_article_is_found_by_its_new_words_only(tmp_path: Path) -> None:
    source = tmp_path / "news.jsonl"
    row = {"url": "https://x.example/a", "title": "اجتماع وزراء الزراعة", "text": "ناقش الوزراء محصول القمح هذا العام."}
    source.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    with akhbar.open(tmp_path / "news.db") as archive:
        archive.ingest([source])
        assert _ids(archive.search("القمح"))
        row["text"] = "ناقش الوزراء محصول الشعير هذا العام."
        source.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
        assert archive.ingest([source]).updated == 1
        assert not archive.search("القمح") and _ids(archive.search("الشعير"))
        assert archive.search_index is not None and archive.search_index.rowids() == [1]


def test_an_index_of_another_archive_a_restored_archive_or_a_damaged_index_is_rebuilt(
    archive_copy: Callable[[], Path], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ours = archive_copy()
    with akhbar.open(ours) as archive:
        expected = _ids(archive.search("كوريا", limit=1000))
    # Another archive's index (its own articles and row numbers) put where ours belongs.
    other = tmp_path / "other.db"
    with akhbar.open(other) as archive:
        archive.ingest([EXAMPLES / "jsonl"])
    shutil.rmtree(f"{ours}.search")
    shutil.copytree(f"{other}.search", f"{ours}.search")
    with akhbar.open(ours) as archive:
        assert archive.search_index is not None and archive.search_index.lag(archive.store) is None
        assert _ids(archive.search("كوريا", limit=1000)) == expected
        assert archive.search_index.lag(archive.store) == 0
    # An index ahead of its archive: the archive was restored from an earlier copy.
    earlier = tmp_path / "earlier.db"
    shutil.copy(other, earlier)
    with akhbar.open(other) as archive:
        archive.ingest([EXAMPLES / "textpages"])
    shutil.copy(earlier, other)
    with akhbar.open(other) as archive:
        assert archive.search_index is not None and archive.search_index.lag(archive.store) is None
        assert _ids(archive.search("كوريا", limit=1000)) == _exact(archive, "كوريا")
        assert len(archive.search_index.rowids()) == archive.store.size()
    # A damaged index.
    (Path(f"{ours}.search") / "meta.json").write_text("{not json", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="akhbar.store"), akhbar.open(ours) as archive:
        assert _ids(archive.search("كوريا", limit=1000)) == expected
    assert "cannot be read" in caplog.text


def test_a_reader_searches_the_archive_when_there_is_no_index_and_says_so(
    archive_copy: Callable[[], Path], caplog: pytest.LogCaptureFixture
) -> None:
    db = archive_copy()
    shutil.rmtree(f"{db}.search")
    with caplog.at_level(logging.WARNING, logger="akhbar"), akhbar.open(db, read_only=True) as reader:
        assert reader.search("كوريا") and reader.search("بوتين")
    assert not Path(f"{db}.search").exists()
    assert caplog.text.count("the search index is missing") == 1
    assert "akhbar reindex search" in caplog.text


def test_while_another_process_writes_the_index_a_writer_stores_and_finds_everything(
    archive_copy: Callable[[], Path], tmp_path: Path
) -> None:
    db = archive_copy()
    # The index's writer lock held elsewhere (a file lock: as another process holds it).
    held = tantivy.Index.open(f"{db}.search").writer(heap_size=15_000_000, num_threads=1)
    source = tmp_path / "late.jsonl"
    row = {"url": "https://x.example/late", "title": "مهرجان الزيتون السنوي", "text": "افتتح مهرجان الزيتون اليوم."}
    source.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    with akhbar.open(db) as archive:
        assert archive.ingest([source]).new == 1
        assert archive.search_index is not None and archive.search_index.lag(archive.store) == 1
        assert [h.title for h in archive.search("الزيتون")] == ["مهرجان الزيتون السنوي"]  # the exact search
        held.wait_merging_threads()  # the other writer is done: its lock is released
        assert [h.title for h in archive.search("الزيتون")] == ["مهرجان الزيتون السنوي"]
        assert archive.search_index.lag(archive.store) == 0


def test_the_index_holds_one_state_and_one_document_per_article(archive_copy: Callable[[], Path]) -> None:
    db = archive_copy()
    with akhbar.open(db) as archive:
        assert archive.search_index is not None
        archive.search_index.rebuild(archive.store)
        for _ in range(2):  # every article logged again, as replays after crashes would: replaced, never doubled
            with archive.store.transaction():
                archive.store._changed(list(range(1, archive.store.size() + 1)))
            assert archive.search_index.catch_up(archive.store) == archive.store.size()
        index = tantivy.Index.open(f"{db}.search")
        index.reload()
        states = index.searcher().search(tantivy.Query.term_query(index.schema, "kind", "state"), 10).count
        assert states == 1
        assert archive.search_index.rowids() == list(range(1, archive.store.size() + 1))


def test_a_catch_up_in_pages_commits_its_last_full_page(
    archive_copy: Callable[[], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from akhbar.store import textindex

    db = archive_copy()
    with akhbar.open(db) as archive:
        size = archive.store.size()
        monkeypatch.setattr(textindex, "PAGE", 3)
        assert size % 3 == 0  # the last page is full: no short page tells the loop it is done
        with archive.store.transaction():
            archive.store._changed(list(range(1, size + 1)))
        assert archive.search_index is not None and archive.search_index.catch_up(archive.store) == size
        assert archive.search_index.lag(archive.store) == 0


def test_an_index_of_an_older_version_is_rebuilt(
    archive_copy: Callable[[], Path], caplog: pytest.LogCaptureFixture
) -> None:
    db = archive_copy()
    shutil.rmtree(f"{db}.search")
    builder = tantivy.SchemaBuilder()  # an earlier layout: other fields, its own state
    builder.add_text_field("kind", tokenizer_name="raw")
    builder.add_text_field("state", stored=True, tokenizer_name="raw")
    builder.add_text_field("body", tokenizer_name="default")
    schema = builder.build()
    Path(f"{db}.search").mkdir()
    older = tantivy.Index(schema, f"{db}.search")
    writer = older.writer(heap_size=15_000_000, num_threads=1)
    state = json.dumps({"archive": "x", "format": "akhbar-search-0", "seq": 1})
    writer.add_document(tantivy.Document.from_dict({"kind": "state", "state": state, "body": "كوريا"}, schema))
    writer.commit()
    writer.wait_merging_threads()
    with akhbar.open(db, read_only=True) as reader:
        assert reader.search_index is not None and reader.search_index.lag(reader.store) is None
        assert _ids(reader.search("كوريا", limit=1000)) == _exact(reader, "كوريا")
    with caplog.at_level(logging.WARNING, logger="akhbar.store"), akhbar.open(db) as archive:
        assert _ids(archive.search("كوريا", limit=1000)) == _exact(archive, "كوريا")
        assert archive.search_index is not None and archive.search_index.lag(archive.store) == 0
    assert "of another version" in caplog.text
