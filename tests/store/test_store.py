"""The stores, SQLite and PostgreSQL, through one suite: idempotent writes, updates, quarantine, transactions,
Arabic-aware search, entities, bulk writes. Tests about SQLite files (and PostgreSQL schemas) come last."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from akhbar.analyze.annotate import Analysis
from akhbar.analyze.entities import ArticleEntity, Mention, resolve_in_article
from akhbar.analyze.tags import Tag
from akhbar.arabic.normalize import entity_key
from akhbar.model import Article, Block, Failure, Provenance, RelatedRef
from akhbar.store import open_store
from akhbar.store.base import ArticleFilter, PutOutcome, Store, StoreError
from akhbar.store.sqlite import SQLiteStore
from tests.conftest import postgres_schema

RIYADH = timezone(timedelta(hours=3))


def article(id: str, title: str, *paragraphs: str, outlet: str = "العربية", day: int = 1) -> Article:
    return Article(
        id=id,
        title=title,
        body=[Block("paragraph", p) for p in paragraphs],
        provenance=Provenance("test", "test"),
        outlet=outlet,
        published_at=datetime(2024, 5, day, 10, 30, tzinfo=RIYADH),
        tags=["كوريا الشمالية", "روسيا"],
        related=[RelatedRef("other", "خبر آخر")],
    )


@pytest.fixture
def store(store_db: str) -> Iterator[Store]:
    s = open_store(store_db)
    yield s
    s.close()


CORPUS = [
    article("a1", "معرض الكتاب يفتتح أبوابه", "افتتح معرض الكتاب الدولي أبوابه اليوم بمشاركة واسعة."),
    article("a2", "قراءة في كتاب جديد", "صدر كتاب جديد عن تاريخ المنطقة."),
    article("a3", "جولة ثقافية", "زار الوفد المكتبة والكتاب في أيديهم.", outlet="فرانس 24", day=2),
    article("a4", "إسرائيل تعلن", "أعلنت إسرائيل اليوم عن خطة جديدة."),
    article("a5", "مُباحَثاتٌ في مُوسْكُو", "عُقِدَت مُباحَثاتٌ مُطَوَّلَةٌ في مُوسْكُو."),
    article("a6", "قمة بيونغ يانغ", "وصل الرئيس إلى بيونغ يانغ لعقد قمة مع كيم جونغ أون.", day=3),
]


@pytest.fixture
def filled(store: Store) -> Store:
    with store.transaction():
        for a in CORPUS:
            store.put(a)
    return store


def test_put_is_idempotent_and_updates_in_place(store: Store) -> None:
    a = CORPUS[0]
    assert store.put(a) is PutOutcome.NEW
    assert store.put(a) is PutOutcome.UNCHANGED
    changed = replace(a, body=[Block("paragraph", "نص معدل تماما.")])
    assert store.put(changed) is PutOutcome.UPDATED
    assert store.stats().articles == 1
    assert store.get("a1") == changed
    assert store.search("معدل")[0].id == "a1"
    assert store.search("الدولي") == []  # the old text is gone from the index


def test_round_trip_keeps_every_field(store: Store) -> None:
    a = replace(
        CORPUS[0],
        url="https://example.test/x",
        attribution="وكالات",
        author="سامي",
        body=[Block("heading", "عنوان فرعي"), Block("paragraph", "نص.")],
    )
    store.put(a)
    assert store.get(a.id) == a


def test_get_by_unique_prefix(store: Store) -> None:
    long_id = "abcdef0123456789"
    store.put(replace(CORPUS[0], id=long_id))
    store.put(replace(CORPUS[1], id="abcdff0000000000"))
    found = store.get("abcdef")
    assert found is not None and found.id == long_id
    assert store.get("abcd") is None  # too short to be a prefix
    assert store.get("abcdf") is None
    store.put(replace(CORPUS[2], id="abcdef9999"))
    assert store.get("abcdef") is None  # no longer unique
    assert store.get("nope") is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("الكتاب", {"a1", "a2", "a3"}),  # finds كتاب and والكتاب
        ("كتاب", {"a1", "a2", "a3"}),
        ("اسرائيل", {"a4"}),  # hamza does not matter
        ("مباحثات موسكو", {"a5"}),  # diacritics never matter
        ('"بيونغ يانغ"', {"a6"}),  # a phrase
        ("كيم جونغ اون", {"a6"}),
    ],
)
def test_arabic_search(filled: Store, query: str, expected: set[str]) -> None:
    assert {hit.id for hit in filled.search(query)} == expected


def test_title_matches_rank_first(filled: Store) -> None:
    hits = filled.search("كتاب")
    assert hits[0].id in {"a1", "a2"}  # in the title
    assert hits[-1].id == "a3"  # only in the body


def test_snippet_highlights_the_matched_words(filled: Store) -> None:
    hit = filled.search("والكتاب")[0]
    marked = [hit.snippet[a:b] for a, b in hit.highlights]
    assert marked and all("كتاب" in word for word in marked)


@pytest.mark.parametrize(
    "query", ['"', "AND", "OR NOT", "NEAR(", "*", "a:b", "title:كتاب", "'); DROP TABLE articles; --", "^", "(((", ""]
)
def test_user_syntax_never_crashes(filled: Store, query: str) -> None:
    filled.search(query)
    assert filled.stats().articles == len(CORPUS)


def test_no_all_terms_match_falls_back_to_any(filled: Store) -> None:
    assert {h.id for h in filled.search("إسرائيل موسكو")} == {"a4", "a5"}


def test_quarantine_counts_each_failure_once(store: Store) -> None:
    failure = Failure("bad.html", "byte 0", "binary data, not text", "\x00", "html")
    store.quarantine(failure)
    store.quarantine(failure)
    assert store.stats().failures == 1
    assert store.failures() == [failure]


def test_interrupted_transaction_leaves_store_as_it_was(store: Store) -> None:
    store.put(CORPUS[0])
    with pytest.raises(KeyboardInterrupt), store.transaction():
        store.put(CORPUS[1])
        store.put(replace(CORPUS[0], title="عنوان جديد"))
        raise KeyboardInterrupt
    assert store.stats().articles == 1
    assert store.get("a1") == CORPUS[0]
    assert store.search("عنوان جديد") == []


def test_stats_per_outlet_and_day(filled: Store) -> None:
    stats = filled.stats()
    assert stats.articles == 6
    assert dict(stats.per_outlet) == {"العربية": 5, "فرانس 24": 1}
    assert dict(stats.per_day) == {"2024-05-01": 4, "2024-05-02": 1, "2024-05-03": 1}


def test_reopening_keeps_everything(store_db: str) -> None:
    first = open_store(store_db)
    first.put(CORPUS[0])
    first.close()
    second = open_store(store_db)
    assert second.get("a1") == CORPUS[0]
    assert second.put(CORPUS[0]) is PutOutcome.UNCHANGED
    second.close()


def test_a_snapshot_reads_one_state_while_a_writer_commits(store_db: str) -> None:
    """A parallel ingest's worker analyzes a batch inside a snapshot: what the writer commits meanwhile is not seen
    until the snapshot ends, on both stores."""
    writer, reader = open_store(store_db), open_store(store_db, read_only=True)
    try:
        writer.put(CORPUS[0])
        with reader.snapshot():
            assert reader.get("a1") is not None
            writer.put(CORPUS[1])
            assert reader.get(CORPUS[1].id) is None and reader.size() == 1
        assert reader.get(CORPUS[1].id) == CORPUS[1] and reader.size() == 2
    finally:
        reader.close()
        writer.close()


def test_same_article_filed_twice_merges_tags_and_reruns_are_unchanged(store: Store) -> None:
    economy = replace(CORPUS[0], tags=["اقتصاد"])
    technology = replace(CORPUS[0], tags=["تكنولوجيا"])
    assert store.put(economy) is PutOutcome.NEW
    assert store.put(technology, seen_in_run=True) is PutOutcome.UPDATED
    stored = store.get("a1")
    assert stored is not None and stored.tags == ["اقتصاد", "تكنولوجيا"]
    # the same input again, in a new run: nothing changes, whatever the order
    assert store.put(economy) is PutOutcome.UNCHANGED
    assert store.put(technology, seen_in_run=True) is PutOutcome.UNCHANGED
    assert store.put(technology) is PutOutcome.UNCHANGED


def test_an_older_version_never_replaces_a_newer_one(store: Store) -> None:
    newer = replace(CORPUS[0], title="عنوان محدث", published_at=CORPUS[0].published_at + timedelta(hours=2))
    store.put(newer)
    assert store.put(CORPUS[0]) is PutOutcome.UNCHANGED
    assert store.get("a1") == newer
    # within one run, two versions with the same date: the first one read stays, on every run
    twin = replace(newer, title="عنوان آخر")
    assert store.put(twin, seen_in_run=True) is PutOutcome.UNCHANGED
    # across runs, a same-date version with new content is an update
    assert store.put(twin) is PutOutcome.UPDATED


def places(*names: tuple[str, int]) -> list[ArticleEntity]:
    out = []
    for name, start in names:
        out.append(ArticleEntity("LOC", name, entity_key(name), [Mention("LOC", name, start, start + len(name))]))
    return out


def test_entities_meet_across_articles_on_their_key(store: Store) -> None:
    store.put(CORPUS[5], analysis=Analysis(entities=places(("بيونغ يانغ", 20))))
    store.put(
        replace(CORPUS[0], id="b1", published_at=CORPUS[0].published_at + timedelta(days=30)),
        analysis=Analysis(entities=places(("بيونجيانج", 5))),
    )
    found = store.entity("بيونج يانج")  # a third spelling finds the one entity
    assert found is not None
    assert found.type == "LOC" and found.article_count == 2
    assert dict(found.spellings) == {"بيونغ يانغ": 1, "بيونجيانج": 1}
    assert [a[0] for a in found.articles] == ["a6", "b1"]  # oldest first
    assert found.first_seen is not None and found.first_seen < (found.last_seen or "")
    assert store.entity(str(found.id)) == found
    assert store.entity("موسكو") is None


def test_other_names_of_one_entity_meet_across_articles(store: Store) -> None:
    """أمريكا in one report and الولايات المتحدة in another are one entity, found by any of its names; each report
    keeps the name it wrote."""
    store.put(CORPUS[5], analysis=Analysis(entities=resolve_in_article([Mention("LOC", "أمريكا", 20, 26)])))
    united_states = resolve_in_article([Mention("LOC", "الولايات المتحدة", 5, 21)])
    store.put(replace(CORPUS[0], id="b1"), analysis=Analysis(entities=united_states))
    found = store.entity("أميركا")
    assert found is not None and found.article_count == 2
    assert dict(found.spellings) == {"أمريكا": 1, "الولايات المتحدة": 1}
    assert store.entity("الولايات المتحدة الأمريكية") == found
    assert store.entity("المملكة المتحدة") is None


def test_updated_text_replaces_its_mentions(store: Store) -> None:
    store.put(CORPUS[5], analysis=Analysis(entities=places(("بيونغ يانغ", 20))))
    store.put(replace(CORPUS[5], title="عنوان جديد"), analysis=Analysis(entities=places(("موسكو", 3))))
    assert store.entity("بيونغ يانغ") is None
    moscow = store.entity("موسكو")
    assert moscow is not None and moscow.article_count == 1


def person(name: str, start: int = 0) -> ArticleEntity:
    return ArticleEntity("PERS", name, entity_key(name), [Mention("PERS", name, start, start + len(name))])


def test_an_article_says_which_of_its_entities_are_its_tags(store: Store) -> None:
    """Read also weighs the names an article only passes by less than its tags: the store says which is which."""
    moscow, pyongyang = places(("موسكو", 5), ("بيونغ يانغ", 20))
    tags = [Tag("entity", "موسكو", 3.0, moscow)]
    store.put(CORPUS[5], analysis=Analysis(entities=[moscow, pyongyang], tags=tags))
    entities = store.article_entities(CORPUS[5].id)
    names = store.entity_names([entity for entity, *_ in entities])
    assert {names[entity]: tag for entity, _, _, tag in entities} == {"موسكو": True, "بيونغ يانغ": False}


def test_a_surname_alone_is_the_one_person_with_that_full_name(store: Store) -> None:
    store.put(
        replace(CORPUS[1], id="s1"), analysis=Analysis(entities=[person("بوتين")])
    )  # the short form arrives first
    store.put(replace(CORPUS[0], id="f1"), analysis=Analysis(entities=[person("فلاديمير بوتين")]))
    store.put(replace(CORPUS[2], id="s2"), analysis=Analysis(entities=[person("بوتين"), person("بوتين", 30)]))
    putin = store.entity("بوتين")
    assert putin is not None and putin.name == "فلاديمير بوتين"
    assert putin.article_count == 3
    assert store.entity("فلاديمير بوتين") == putin


def test_a_shared_family_name_is_not_guessed(store: Store) -> None:
    store.put(replace(CORPUS[0], id="k1"), analysis=Analysis(entities=[person("كيم جونغ أون")]))
    store.put(replace(CORPUS[1], id="k2"), analysis=Analysis(entities=[person("كيم يو جونغ")]))
    store.put(replace(CORPUS[2], id="k3"), analysis=Analysis(entities=[person("كيم")]))
    alone = store.entity("كيم")
    assert alone is not None and alone.name == "كيم" and alone.article_count == 1
    kim = store.entity("كيم جونغ أون")
    assert kim is not None and kim.article_count == 1


def test_names_that_share_a_key_but_not_a_name_stay_apart(store: Store) -> None:
    # صلاح and صالح share an entity key; the transliteration dictionary knows them as Salah and Saleh.
    store.put(replace(CORPUS[0], id="salah"), analysis=Analysis(entities=[person("محمد صلاح")]))
    store.put(replace(CORPUS[1], id="saleh"), analysis=Analysis(entities=[person("محمد صالح")]))
    store.put(replace(CORPUS[2], id="short"), analysis=Analysis(entities=[person("صلاح")]))
    salah, saleh = store.entity("محمد صلاح"), store.entity("محمد صالح")
    assert salah is not None and saleh is not None and salah.id != saleh.id
    assert salah.article_count == 2 and {s for s, _ in salah.spellings} == {"صلاح", "محمد صلاح"}
    assert saleh.article_count == 1
    assert store.entity("صالح") is None  # nobody called صالح alone was mentioned


def test_a_database_of_another_schema_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    SQLiteStore(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="schema version 1"):
        SQLiteStore(path)


def test_a_stray_tagging_error_does_not_block_the_surname(store: Store) -> None:
    for i in range(5):
        store.put(replace(CORPUS[0], id=f"p{i}"), analysis=Analysis(entities=[person("فلاديمير بوتين")]))
    store.put(
        replace(CORPUS[1], id="stray"), analysis=Analysis(entities=[person("بوتين وكيم")])
    )  # a tagger slip, seen once
    store.put(replace(CORPUS[2], id="short"), analysis=Analysis(entities=[person("بوتين")]))
    putin = store.entity("بوتين")
    assert putin is not None and putin.name == "فلاديمير بوتين" and putin.article_count == 6


def test_same_text_with_other_tags_keeps_its_mentions(store: Store) -> None:
    store.put(CORPUS[5], analysis=Analysis(entities=places(("بيونغ يانغ", 20))))
    assert store.put(replace(CORPUS[5], tags=["آسيا"]), seen_in_run=True) is PutOutcome.UPDATED  # no entities given
    pyongyang = store.entity("بيونغ يانغ")
    assert pyongyang is not None and pyongyang.article_count == 1


def test_changed_text_without_entities_drops_stale_mentions(store: Store) -> None:
    store.put(CORPUS[5], analysis=Analysis(entities=places(("بيونغ يانغ", 20))))
    store.put(replace(CORPUS[5], body=[Block("paragraph", "نص جديد تماما.")]))
    assert store.entity("بيونغ يانغ") is None


def test_entity_lookup_by_odd_ids_finds_nothing_and_never_fails(store: Store) -> None:
    # Found by the API fuzzer: '²' is a digit to Python; a 30-digit id overflows SQLite's integers.
    for ref in ("²", "٣", "9" * 30, "0", "-1"):
        assert store.entity(ref) is None


def test_running_entity_counts_match_the_mentions_after_edits(store: Store) -> None:
    store.put(replace(CORPUS[0], id="a"), analysis=Analysis(entities=places(("بيونغ يانغ", 20), ("بيونغيانغ", 40))))
    store.put(replace(CORPUS[1], id="b"), analysis=Analysis(entities=places(("بيونغ يانغ", 5))))
    store.put(replace(CORPUS[0], id="a", title="عنوان آخر"), analysis=Analysis(entities=places(("موسكو", 3))))
    store.put(replace(CORPUS[1], id="b", title="عنوان ثالث"))  # text changed, not analyzed: its mentions go
    expected = store.db.execute(
        "SELECT entity, spelling, count(*) FROM mentions GROUP BY entity, spelling ORDER BY 1, 2"
    ).fetchall()
    kept = store.db.execute("SELECT entity, spelling, n FROM entity_spellings ORDER BY 1, 2").fetchall()
    assert [tuple(r) for r in kept] == [tuple(r) for r in expected]
    articles = store.db.execute(
        "SELECT entity, count(DISTINCT article), count(*) FROM mentions GROUP BY entity ORDER BY 1"
    ).fetchall()
    counted = store.db.execute("SELECT entity, articles, mentions FROM entity_counts WHERE articles > 0 ORDER BY 1")
    assert [tuple(r) for r in counted] == [tuple(r) for r in articles]
    assert store.entity("بيونغ يانغ") is None
    moscow = store.entity("موسكو")
    assert moscow is not None and moscow.spellings == [("موسكو", 1)]


def test_nested_transactions_commit_with_the_outermost(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        with store.transaction():
            store.put(CORPUS[0])
        store.put(CORPUS[1])  # the inner block is done, but nothing is committed until the outer one is
        raise RuntimeError
    assert store.stats().articles == 0
    with store.transaction():
        with store.transaction():
            store.put(CORPUS[0])
        store.put(CORPUS[1])
    assert store.stats().articles == 2


def test_a_failed_savepoint_undoes_its_own_writes_only(store: Store) -> None:
    with store.transaction():
        store.put(CORPUS[0])
        with pytest.raises(RuntimeError), store.savepoint():
            store.put(CORPUS[1])
            raise RuntimeError
        store.put(CORPUS[2])
    assert {a.id for a in store.iter_articles()} == {"a1", "a3"}
    with pytest.raises(RuntimeError), store.savepoint():  # outside a transaction too
        store.put(CORPUS[3])
        raise RuntimeError
    assert store.get("a4") is None


def test_listing_filters_and_pages(filled: Store) -> None:
    refs, total = filled.list_articles(limit=2)
    assert total == 6 and [r.id for r in refs] == ["a6", "a3"]  # newest first
    page, _ = filled.list_articles(limit=2, offset=2)
    assert [r.id for r in page] == ["a5", "a4"]  # same day: the later arrival first
    assert filled.list_articles(ArticleFilter(outlet="فرانس 24"))[1] == 1
    assert filled.list_articles(ArticleFilter(tag="كوريا الشماليه"))[1] == 6  # any spelling of the tag
    assert [r.id for r in filled.list_articles(ArticleFilter(since="2024-05-02", until="2024-05-02"))[0]] == ["a3"]
    assert filled.outlets() == [("العربية", 5), ("فرانس 24", 1)]


def test_search_filters_before_ranking_and_paging(filled: Store) -> None:
    """Filters are applied in the store, before ranking: a page of filtered hits is full even when the best hits
    overall are filtered out, and agrees with filtering the unfiltered ranking."""
    everything = [h.id for h in filled.search("الكتاب", limit=50)]
    assert set(everything) >= {"a1", "a2", "a3"}
    in_france24 = [h.id for h in filled.search("الكتاب", where=ArticleFilter(outlet="فرانس 24"))]
    assert in_france24 == ["a3"]
    on_day_one = [h.id for h in filled.search("الكتاب", where=ArticleFilter(since="2024-05-01", until="2024-05-01"))]
    assert on_day_one == [i for i in everything if i in {"a1", "a2"}]
    first, second = (
        [h.id for h in filled.search("الكتاب", limit=1, offset=n, where=ArticleFilter(outlet="العربية"))]
        for n in (0, 1)
    )
    assert first + second == [i for i in everything if i in {"a1", "a2"}]
    assert filled.search("الكتاب", where=ArticleFilter(tag="روسيا")) != []  # a page tag, as lists filter
    assert filled.search("الكتاب", where=ArticleFilter(since="2030-01-01")) == []
    assert filled.search("الكتاب", where=ArticleFilter(entity=2**70)) == []  # no such id


def batch_items() -> list[tuple[Article, Analysis | None]]:
    """New articles with and without analysis, an id twice in one batch, and an update of a stored article."""
    later = CORPUS[0].published_at + timedelta(days=1)  # type: ignore[operator]
    return [
        (CORPUS[5], Analysis(entities=places(("بيونغ يانغ", 20)), summary="قمة في بيونغ يانغ.")),
        (CORPUS[1], None),
        (replace(CORPUS[0], id="f1"), Analysis(entities=[person("فلاديمير بوتين")])),
        (replace(CORPUS[2], id="s1"), Analysis(entities=[person("بوتين"), person("بوتين", 30)])),
        (replace(CORPUS[1], tags=["ثقافة"]), None),  # the same id again, in the same batch
        (replace(CORPUS[3], title="إسرائيل تعلن خطة", published_at=later), None),  # stored before the batch
        (CORPUS[4], Analysis(entities=places(("موسكو", 25)))),
    ]


def test_put_many_is_put_one_by_one(new_db: Callable[[], str]) -> None:
    one_by_one, bulk = open_store(new_db()), open_store(new_db())
    try:
        for store in (one_by_one, bulk):
            store.put(CORPUS[3])
        expected = [one_by_one.put(article, analysis=analysis) for article, analysis in batch_items()]
        assert bulk.put_many(batch_items()) == expected
        assert expected[:5] == [PutOutcome.NEW, PutOutcome.NEW, PutOutcome.NEW, PutOutcome.NEW, PutOutcome.UPDATED]
        assert bulk.put_many(batch_items()) == [PutOutcome.UNCHANGED] * len(expected)  # rerun: nothing changes
        assert list(bulk.iter_articles()) == list(one_by_one.iter_articles())
        for article_id in ("a6", "a2", "f1", "s1", "a4", "a5"):
            assert bulk.rowid(article_id) == one_by_one.rowid(article_id)
            assert bulk.summary(article_id) == one_by_one.summary(article_id)
            assert bulk.entities_in(article_id) == one_by_one.entities_in(article_id)
            assert bulk.indexed_terms(article_id) == one_by_one.indexed_terms(article_id)
        for name in ("بيونغ يانغ", "بوتين", "موسكو"):
            assert bulk.entity(name) == one_by_one.entity(name)
        for query in ("كتاب", "بيونغ يانغ", "إسرائيل خطة", "ثقافة"):
            assert bulk.search(query) == one_by_one.search(query)
        assert bulk.stats() == one_by_one.stats()
        assert bulk.put_many([]) == []
    finally:
        one_by_one.close()
        bulk.close()


def test_an_interrupted_put_many_leaves_the_store_as_it_was(store: Store) -> None:
    store.put(CORPUS[0])

    def items() -> Iterator[tuple[Article, Analysis | None]]:
        yield CORPUS[1], None
        yield replace(CORPUS[0], title="عنوان جديد"), None
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        store.put_many(items())
    assert [a.id for a in store.iter_articles()] == ["a1"]
    assert store.get("a1") == CORPUS[0]
    assert store.search("عنوان جديد") == [] and store.search("كتاب")[0].id == "a1"


# --- SQLite files and PostgreSQL schemas -------------------------------------------------------------------------


def test_both_backends_rank_alike(tmp_path: Path) -> None:
    """Scores, ties and fallbacks: PostgreSQL's bm25 is SQLite FTS5's, to the last bit."""
    with postgres_schema() as url:
        stores = [open_store(tmp_path / "rank.db"), open_store(url)]
        try:
            for store in stores:
                store.put_many([(a, None) for a in CORPUS])
                store.put_many([(replace(a, id=a.id + "-copy", outlet="نسخة"), None) for a in CORPUS])  # exact ties
            for query in ("كتاب", "الكتاب جديد", '"بيونغ يانغ"', "إسرائيل موسكو", "Kim Jong Un", "قمة"):
                sqlite_hits, pg_hits = (s.search(query, limit=20) for s in stores)
                assert sqlite_hits == pg_hits, query
            for titles_only in (False, True):
                terms = ["كتاب", "جديد", "معرض", "قمه", "غائب"]
                sqlite_found, pg_found = (
                    s.lexical_neighbours("a1", terms, limit=20, titles_only=titles_only) for s in stores
                )
                assert sqlite_found == pg_found
        finally:
            for store in stores:
                store.close()


def test_a_postgres_schema_of_another_version_is_refused() -> None:
    with postgres_schema() as url:
        open_store(url).close()
        import psycopg

        with psycopg.connect(url, autocommit=True) as db:
            db.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
        with pytest.raises(StoreError, match="schema version 1"):
            open_store(url)


def test_a_postgres_url_as_a_path_leaves_it_is_still_a_url() -> None:
    with postgres_schema() as url:
        store = open_store(Path(url))  # pathlib folds "//" into "/": the CLI's --db once was a Path
        try:
            store.put(CORPUS[0])
            assert store.get("a1") == CORPUS[0]
        finally:
            store.close()


def test_text_with_nul_round_trips(store: Store) -> None:
    # Input read as text can carry NUL: SQLite keeps it, PostgreSQL text cannot hold it (the store stands in for it).
    odd = replace(CORPUS[0], title="عنوان\x00فيه صفر", body=[Block("paragraph", "نص\x00 فيه صفر")], tags=["\x00"])
    assert store.put(odd) is PutOutcome.NEW
    assert store.get("a1") == odd
    assert store.put(odd) is PutOutcome.UNCHANGED
    assert store.search("صفر")[0].title == odd.title


def typed(kind: str, name: str, times: int) -> ArticleEntity:
    """One article's entity of this type, mentioned ``times`` times (mentions 20 characters apart)."""
    mentions = [Mention(kind, name, 20 * i, 20 * i + len(name)) for i in range(times)]
    return ArticleEntity(kind, name, entity_key(name), mentions)


def test_an_entity_is_typed_as_most_of_its_mentions_are(store: Store) -> None:
    """The tagger types برشلونة a place in one article and a club in two more: one entity, a club; when the club's
    article is replaced by one about the city, the entity is a place again. Both stores keep the same counts."""
    store.put(replace(CORPUS[0], id="city"), analysis=Analysis(entities=[typed("LOC", "برشلونة", 12)]))
    for i in range(2):
        store.put(replace(CORPUS[i + 1], id=f"club{i}"), analysis=Analysis(entities=[typed("ORG", "برشلونة", 8)]))
    barcelona = store.entity("برشلونة")
    assert barcelona is not None and barcelona.type == "ORG" and barcelona.article_count == 3
    store.put_analyses([("club1", Analysis(entities=[typed("LOC", "برشلونة", 8)]))])
    barcelona = store.entity("برشلونة")
    assert barcelona is not None and barcelona.type == "LOC" and barcelona.article_count == 3
