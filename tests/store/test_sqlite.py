"""The SQLite store: idempotent writes, updates, quarantine, transactions, and Arabic-aware search."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from akhbar.analyze.annotate import Analysis
from akhbar.analyze.entities import ArticleEntity, Mention
from akhbar.arabic.normalize import entity_key
from akhbar.model import Article, Block, Failure, Provenance, RelatedRef
from akhbar.store.base import PutOutcome, StoreError
from akhbar.store.sqlite import SQLiteStore

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
def store(tmp_path: Path) -> SQLiteStore:
    s = SQLiteStore(tmp_path / "a.db")
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
def filled(store: SQLiteStore) -> SQLiteStore:
    with store.transaction():
        for a in CORPUS:
            store.put(a)
    return store


def test_put_is_idempotent_and_updates_in_place(store: SQLiteStore) -> None:
    a = CORPUS[0]
    assert store.put(a) is PutOutcome.NEW
    assert store.put(a) is PutOutcome.UNCHANGED
    changed = replace(a, body=[Block("paragraph", "نص معدل تماما.")])
    assert store.put(changed) is PutOutcome.UPDATED
    assert store.stats().articles == 1
    assert store.get("a1") == changed
    assert store.search("معدل")[0].id == "a1"
    assert store.search("الدولي") == []  # the old text is gone from the index


def test_round_trip_keeps_every_field(store: SQLiteStore) -> None:
    a = replace(
        CORPUS[0],
        url="https://example.test/x",
        attribution="وكالات",
        author="سامي",
        body=[Block("heading", "عنوان فرعي"), Block("paragraph", "نص.")],
    )
    store.put(a)
    assert store.get(a.id) == a


def test_get_by_unique_prefix(filled: SQLiteStore) -> None:
    store = SQLiteStore(":memory:")
    long_id = "abcdef0123456789"
    store.put(replace(CORPUS[0], id=long_id))
    store.put(replace(CORPUS[1], id="abcdff0000000000"))
    found = store.get("abcdef")
    assert found is not None and found.id == long_id
    assert store.get("abcd") is None  # too short to be a prefix
    assert filled.get("nope") is None


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
def test_arabic_search(filled: SQLiteStore, query: str, expected: set[str]) -> None:
    assert {hit.id for hit in filled.search(query)} == expected


def test_title_matches_rank_first(filled: SQLiteStore) -> None:
    hits = filled.search("كتاب")
    assert hits[0].id in {"a1", "a2"}  # in the title
    assert hits[-1].id == "a3"  # only in the body


def test_snippet_highlights_the_matched_words(filled: SQLiteStore) -> None:
    hit = filled.search("والكتاب")[0]
    marked = [hit.snippet[a:b] for a, b in hit.highlights]
    assert marked and all("كتاب" in word for word in marked)


@pytest.mark.parametrize(
    "query", ['"', "AND", "OR NOT", "NEAR(", "*", "a:b", "title:كتاب", "'); DROP TABLE articles; --", "^", "(((", ""]
)
def test_user_syntax_never_crashes(filled: SQLiteStore, query: str) -> None:
    filled.search(query)
    assert filled.stats().articles == len(CORPUS)


def test_no_all_terms_match_falls_back_to_any(filled: SQLiteStore) -> None:
    assert {h.id for h in filled.search("إسرائيل موسكو")} == {"a4", "a5"}


def test_quarantine_counts_each_failure_once(store: SQLiteStore) -> None:
    failure = Failure("bad.html", "byte 0", "binary data, not text", "\x00", "html")
    store.quarantine(failure)
    store.quarantine(failure)
    assert store.stats().failures == 1
    assert store.failures() == [failure]


def test_interrupted_transaction_leaves_store_as_it_was(store: SQLiteStore) -> None:
    store.put(CORPUS[0])
    with pytest.raises(KeyboardInterrupt), store.transaction():
        store.put(CORPUS[1])
        store.put(replace(CORPUS[0], title="عنوان جديد"))
        raise KeyboardInterrupt
    assert store.stats().articles == 1
    assert store.get("a1") == CORPUS[0]
    assert store.search("عنوان جديد") == []


def test_stats_per_outlet_and_day(filled: SQLiteStore) -> None:
    stats = filled.stats()
    assert stats.articles == 6
    assert dict(stats.per_outlet) == {"العربية": 5, "فرانس 24": 1}
    assert dict(stats.per_day) == {"2024-05-01": 4, "2024-05-02": 1, "2024-05-03": 1}


def test_reopening_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    first = SQLiteStore(path)
    first.put(CORPUS[0])
    first.close()
    second = SQLiteStore(path)
    assert second.get("a1") == CORPUS[0]
    assert second.put(CORPUS[0]) is PutOutcome.UNCHANGED
    second.close()


def test_same_article_filed_twice_merges_tags_and_reruns_are_unchanged(store: SQLiteStore) -> None:
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


def test_an_older_version_never_replaces_a_newer_one(store: SQLiteStore) -> None:
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


def test_entities_meet_across_articles_on_their_key(store: SQLiteStore) -> None:
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


def test_updated_text_replaces_its_mentions(store: SQLiteStore) -> None:
    store.put(CORPUS[5], analysis=Analysis(entities=places(("بيونغ يانغ", 20))))
    store.put(replace(CORPUS[5], title="عنوان جديد"), analysis=Analysis(entities=places(("موسكو", 3))))
    assert store.entity("بيونغ يانغ") is None
    moscow = store.entity("موسكو")
    assert moscow is not None and moscow.article_count == 1


def person(name: str, start: int = 0) -> ArticleEntity:
    return ArticleEntity("PERS", name, entity_key(name), [Mention("PERS", name, start, start + len(name))])


def test_a_surname_alone_is_the_one_person_with_that_full_name(store: SQLiteStore) -> None:
    store.put(
        replace(CORPUS[1], id="s1"), analysis=Analysis(entities=[person("بوتين")])
    )  # the short form arrives first
    store.put(replace(CORPUS[0], id="f1"), analysis=Analysis(entities=[person("فلاديمير بوتين")]))
    store.put(replace(CORPUS[2], id="s2"), analysis=Analysis(entities=[person("بوتين"), person("بوتين", 30)]))
    putin = store.entity("بوتين")
    assert putin is not None and putin.name == "فلاديمير بوتين"
    assert putin.article_count == 3
    assert store.entity("فلاديمير بوتين") == putin


def test_a_shared_family_name_is_not_guessed(store: SQLiteStore) -> None:
    store.put(replace(CORPUS[0], id="k1"), analysis=Analysis(entities=[person("كيم جونغ أون")]))
    store.put(replace(CORPUS[1], id="k2"), analysis=Analysis(entities=[person("كيم يو جونغ")]))
    store.put(replace(CORPUS[2], id="k3"), analysis=Analysis(entities=[person("كيم")]))
    alone = store.entity("كيم")
    assert alone is not None and alone.name == "كيم" and alone.article_count == 1
    kim = store.entity("كيم جونغ أون")
    assert kim is not None and kim.article_count == 1


def test_names_that_share_a_key_but_not_a_name_stay_apart(store: SQLiteStore) -> None:
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


def test_a_stray_tagging_error_does_not_block_the_surname(store: SQLiteStore) -> None:
    for i in range(5):
        store.put(replace(CORPUS[0], id=f"p{i}"), analysis=Analysis(entities=[person("فلاديمير بوتين")]))
    store.put(
        replace(CORPUS[1], id="stray"), analysis=Analysis(entities=[person("بوتين وكيم")])
    )  # a tagger slip, seen once
    store.put(replace(CORPUS[2], id="short"), analysis=Analysis(entities=[person("بوتين")]))
    putin = store.entity("بوتين")
    assert putin is not None and putin.name == "فلاديمير بوتين" and putin.article_count == 6


def test_same_text_with_other_tags_keeps_its_mentions(store: SQLiteStore) -> None:
    store.put(CORPUS[5], analysis=Analysis(entities=places(("بيونغ يانغ", 20))))
    assert store.put(replace(CORPUS[5], tags=["آسيا"]), seen_in_run=True) is PutOutcome.UPDATED  # no entities given
    pyongyang = store.entity("بيونغ يانغ")
    assert pyongyang is not None and pyongyang.article_count == 1


def test_changed_text_without_entities_drops_stale_mentions(store: SQLiteStore) -> None:
    store.put(CORPUS[5], analysis=Analysis(entities=places(("بيونغ يانغ", 20))))
    store.put(replace(CORPUS[5], body=[Block("paragraph", "نص جديد تماما.")]))
    assert store.entity("بيونغ يانغ") is None


def test_entity_lookup_by_odd_ids_finds_nothing_and_never_fails(store: SQLiteStore) -> None:
    # Found by the API fuzzer: '²' is a digit to Python; a 30-digit id overflows SQLite's integers.
    for ref in ("²", "٣", "9" * 30, "0", "-1"):
        assert store.entity(ref) is None


def test_running_entity_counts_match_the_mentions_after_edits(store: SQLiteStore) -> None:
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
