"""Batched fingerprints (the same state as one by one) and the ranking paths of the PostgreSQL store (single words
from postings, phrases through the tsvector, pages cut at the page's last score): the same answers as SQLite."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from akhbar.analyze.annotate import Analysis
from akhbar.analyze.entities import ArticleEntity
from akhbar.arabic.normalize import entity_key
from akhbar.model import Article
from akhbar.store import open_store
from akhbar.store.base import Store
from tests.conftest import postgres_schema
from tests.store.test_store import CORPUS, article

IDS = [a.id for a in CORPUS]


def fingerprints(store: Store) -> list[tuple[str, list[list[tuple[int, str, bytes]]], list[str], list[list[str]]]]:
    """Everything a fingerprint write touches, as the store answers it: every article's candidates (its buckets,
    hash and signature as seen from each band), group and the groups."""
    out: list[tuple[str, list[list[tuple[int, str, bytes]]], list[str], list[list[str]]]] = []
    for article_id in IDS:
        found = []
        for band in range(4):
            bands = [-1] * 4
            bands[band] = 100 + band
            found.append(store.fingerprint_candidates(article_id, "none", bands))
        for text_hash in ("h1", "h2", "h3"):
            found.append(store.fingerprint_candidates(article_id, text_hash, [-1] * 4))
        out.append((article_id, found, [r.id for r in store.duplicates_of(article_id)], []))
    groups = [[r.id for r in group] for group in store.duplicate_groups()]
    return [*out, ("groups", [], [], groups)]


def test_put_fingerprints_is_put_fingerprint_one_by_one(new_db: Callable[[], str]) -> None:
    one_by_one, batched = open_store(new_db()), open_store(new_db())
    try:
        for store in (one_by_one, batched):
            store.put_many([(a, None) for a in CORPUS])
            store.put_fingerprint("a1", "h1", b"s1", [100, 7, 102, 8])
            store.put_fingerprint("a2", "h1", b"s2", [100, 9, 10, 11])
            store.join_duplicates("a2", [(store.rowid("a1"), 0.9)])
            store.put_fingerprint("a3", "h2", b"s3", [12, 101, 13, 103])
        items = [
            ("a4", "h2", b"s4", [100, 101, 14, 15]),  # new
            ("a2", "h3", b"s2b", [16, 101, 17, 103]),  # replaced, and leaves its group (of two: no group left)
            ("a5", "h1", b"s5", [100, 18, 19, 20]),  # new
            ("a6", "h3", b"s6", [21, 22, 102, 103]),  # twice: the last one stays
            ("a6", "h2", b"s6b", [100, 23, 102, 24]),
            ("a3", "h2", b"s3", [12, 101, 13, 103]),  # the same again
        ]
        for item in items:
            one_by_one.put_fingerprint(*item)
        batched.put_fingerprints(items)
        assert fingerprints(batched) == fingerprints(one_by_one)
        assert fingerprints(batched)[-1][3] == []  # a2 left the group of a1
        batched.put_fingerprints([])
        with pytest.raises(KeyError):
            batched.put_fingerprints([("a1", "h1", b"s1", [1, 2, 3, 4]), ("missing", "h", b"s", [1, 2, 3, 4])])
        assert fingerprints(batched) == fingerprints(one_by_one)
    finally:
        one_by_one.close()
        batched.close()


def test_put_fingerprints_keeps_groups_as_one_by_one(new_db: Callable[[], str]) -> None:
    one_by_one, batched = open_store(new_db()), open_store(new_db())
    try:
        for store in (one_by_one, batched):
            store.put_many([(a, None) for a in CORPUS])
            for i, article_id in enumerate(IDS[:4]):
                store.put_fingerprint(article_id, "h1", b"s", [100, i, i, i])
            store.join_duplicates("a2", [(store.rowid("a1"), 0.9)])
            store.join_duplicates("a3", [(store.rowid("a1"), 0.8), (store.rowid("a2"), 0.7)])
        items = [("a1", "h2", b"x", [5, 5, 5, 5]), ("a5", "h1", b"y", [100, 101, 102, 103])]  # the head leaves
        for item in items:
            one_by_one.put_fingerprint(*item)
        batched.put_fingerprints(items)
        assert fingerprints(batched) == fingerprints(one_by_one)
    finally:
        one_by_one.close()
        batched.close()


# --- PostgreSQL ranks as SQLite, whichever path a query takes ------------------------------------------------------

EXTRA = [
    article("b1", "كتاب كتاب كتاب", "كتاب جديد عن بيونغ يانغ وكتاب آخر.", day=4),
    article("b2", "بيونغ يانغ", "قمة في بيونغ يانغ عن كتاب جديد.", day=4),
    article("b3", "خبر بلا تاريخ", "كتاب عن قمة.", day=5),
    article("b4", "قمة", "قمة قمة عن كيم جونغ أون في بيونغ يانغ", day=5),
]

QUERIES = [
    "كتاب",  # one common word: many exact ties between copies
    "كتاب جديد",  # words only (AND)
    "كتاب غائب",  # words only, no row has both: any-group fallback
    '"بيونغ يانغ" كتاب',  # a phrase and a word
    '"بيونغ يانغ" قمة جديد',
    '"بيونغ يانغ" غائب',  # phrase and word, fallback
    "Kim Jong Un قمة",  # a Latin group (phrases) and a word
    '"يانغ بيونغ"',  # a phrase found nowhere
    "غائب",  # nothing at all
]
FALLBACKS = {"كتاب غائب", '"بيونغ يانغ" غائب'}


def test_postgres_pages_and_paths_rank_as_sqlite(tmp_path: Path) -> None:
    with postgres_schema() as url:
        stores = [open_store(tmp_path / "rank.db"), open_store(url)]
        try:
            for store in stores:
                corpus = [*CORPUS, *EXTRA]
                store.put_many([(a, None) for a in corpus])
                store.put_many([(replace(a, id=a.id + "-copy", outlet="نسخة"), None) for a in corpus])  # exact ties
                store.put(replace(EXTRA[2], id="b3-undated", published_at=None))  # ties: undated last
            for query in QUERIES:
                whole = [s.search(query, limit=50) for s in stores]
                assert whole[0] == whole[1], query
                for limit in (1, 2, 3, 5):
                    for offset in range(0, len(whole[0]) + 2):
                        sqlite_page, pg_page = (s.search(query, limit=limit, offset=offset) for s in stores)
                        assert sqlite_page == pg_page, (query, limit, offset)
                        if query not in FALLBACKS:  # the any-group fallback ranks the first page only
                            assert pg_page == whole[1][offset : offset + limit], (query, limit, offset)
            terms = ["كتاب", "جديد", "بيونغ", "يانغ", "قمه", "غائب", "كتاب"]
            for article_id in ("a1", "b1", "b2-copy", "missing"):
                for titles_only in (False, True):
                    for limit in (1, 3, 50):
                        sqlite_found, pg_found = (
                            s.lexical_neighbours(article_id, terms, limit=limit, titles_only=titles_only)
                            for s in stores
                        )
                        assert sqlite_found == pg_found, (article_id, titles_only, limit)
                        assert all(
                            rowid != stores[1].rowid(article_id) for rowid, _ in pg_found if article_id != "missing"
                        )
        finally:
            for store in stores:
                store.close()


# --- put_many writes the analyses of its new articles together: the same entities, counts and tags ---------------


def test_put_many_resolves_entities_across_new_articles_as_put(new_db: Callable[[], str]) -> None:
    from akhbar.analyze.tags import Tag
    from tests.store.test_store import person, places

    def analysed(entities: list[ArticleEntity]) -> Analysis:
        tags = [Tag("entity", e.name, 3.0 - i, e) for i, e in enumerate(entities)] + [Tag("phrase", "قمة", 1.0)]
        return Analysis(entities=entities, tags=tags, summary="ملخص")

    def items() -> list[tuple[Article, Analysis | None]]:
        return [
            (replace(CORPUS[0], id="n1"), analysed([person("بوتين"), *places(("موسكو", 25))])),
            (
                replace(CORPUS[1], id="n2"),
                analysed([person("فلاديمير بوتين"), *places(("موسكو", 25), ("بيونغ يانغ", 40))]),
            ),
            (replace(CORPUS[2], id="n3"), Analysis()),  # no entities
            (replace(CORPUS[3], id="n4"), analysed([ArticleEntity("LOC", "موسكو", entity_key("موسكو"), [])])),
            (CORPUS[4], analysed([person("بوتين", 3), person("بوتين", 30), *places(("بيونجيانج", 5))])),  # an update
            (replace(CORPUS[5], id="n5"), analysed([*places(("بيونغ يانغ", 20), ("موسكو", 60)), person("بوتين")])),
            (replace(CORPUS[0], id="n1"), analysed([person("بوتين")])),  # again: goes through put
            (replace(CORPUS[1], id="n6"), analysed([person("فلاديمير بوتين"), person("بوتين", 40)])),
        ]

    one_by_one, bulk = open_store(new_db()), open_store(new_db())
    try:
        for store in (one_by_one, bulk):
            store.put(CORPUS[4], analysis=analysed(places(("موسكو", 10))))
        expected = [one_by_one.put(a, analysis=an) for a, an in items()]
        assert bulk.put_many(items()) == expected
        for article_id in ("n1", "n2", "n3", "n4", "n5", "n6", "a5"):
            assert bulk.entities_in(article_id) == one_by_one.entities_in(article_id), article_id
            assert bulk.article_entities(article_id) == one_by_one.article_entities(article_id), article_id
            assert bulk.auto_tags(article_id) == one_by_one.auto_tags(article_id), article_id
            assert bulk.summary(article_id) == one_by_one.summary(article_id), article_id
        for name in ("بوتين", "فلاديمير بوتين", "موسكو", "بيونغ يانغ"):
            assert bulk.entity(name) == one_by_one.entity(name), name
        assert bulk.stats() == one_by_one.stats()
    finally:
        one_by_one.close()
        bulk.close()
