"""Related articles on the team's example archive: a summit report's "read also" are Korea–Russia articles, with
reasons, and never its own copies."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

import akhbar
from akhbar.archive import Archive
from tests.conftest import BACKENDS, backend_db

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module", params=BACKENDS)
def archive(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archive]:
    with backend_db(request.param, tmp_path_factory.mktemp("related") / "ex.db") as db, akhbar.open(db) as archive:
        archive.ingest([EXAMPLES])
        yield archive


def summit(archive: Archive) -> str:
    hits = archive.search("قمة بوتين كيم فوستوتشني")
    return hits[0].id


def test_read_also_is_on_topic_with_reasons(archive: Archive) -> None:
    found = archive.related(summit(archive), k=5)
    assert len(found) == 5
    assert all(ref.reason for ref in found)
    on_topic = [
        ref for ref in found if any(w in ref.title for w in ("كوري", "كيم", "بوتين", "بيونغ", "بيونج", "روسيا"))
    ]
    assert len(on_topic) >= 4, [ref.title for ref in found]
    assert not any(w in ref.title for ref in found for w in ("زلزال", "أوبك", "فيضانات"))
    assert [ref.score for ref in found] == sorted((ref.score for ref in found), reverse=True)


def test_near_duplicates_are_not_read_also(archive: Archive) -> None:
    primary, *copies = archive.duplicate_groups()[0]
    related_ids = {ref.id for ref in archive.related(primary.id, k=10)}
    assert not related_ids & {copy.id for copy in copies}


def test_shared_entities_are_named_in_the_reason(archive: Archive) -> None:
    reasons = " ".join(ref.reason for ref in archive.related(summit(archive), k=5))
    assert "بوتين" in reasons or "كيم" in reasons


def test_unknown_article_has_nothing_related(archive: Archive) -> None:
    assert archive.related("no-such-article") == []


def test_related_lists_are_stored_and_a_newcomer_enters_older_lists(store_db: str) -> None:
    with akhbar.open(store_db) as archive:
        archive.ingest([EXAMPLES / "textpages", EXAMPLES / "html"])
        summit_id = archive.search("قمة بوتين كيم فوستوتشني")[0].id
        stored = archive.store.stored_related(summit_id, 5)
        assert stored is not None and len(stored) == 5
        assert [r.id for r in archive.related(summit_id)] == [r.id for r in stored]
        # A new report arrives: it enters the stored list of every article it is related to whose list was short
        # or whose last entry it beats; other lists are left alone (no rebuild).
        store = archive.store
        ids = [r[0] for r in store.db.execute("SELECT rowid FROM articles")]
        before = {rowid: store.related_list(rowid) for rowid in ids}
        newcomer = next(iter(akhbar.parse(EXAMPLES / "textpages" / "04_summit_france24.txt")))
        assert isinstance(newcomer, akhbar.Article)
        fresh = replace(
            newcomer, id="f" * 20, url="https://example.test/new", title="قمة فوستوتشني: ما الذي اتفق عليه بوتين وكيم؟"
        )
        archive.ingest_records([fresh])
        own = store.rowid(fresh.id)
        entered = 0
        for other, score, _ in store.related_list(own):
            old = before[other]
            should = len(old) < 10 or score > old[-1][1]
            assert (own in [o for o, _, _ in store.related_list(other)]) == should
            entered += should
        assert entered >= 1
        untouched = [r for r in ids if r not in {o for o, _, _ in store.related_list(own)}]
        assert all(store.related_list(r) == before[r] for r in untouched if r != own)


def test_another_report_of_the_same_event_is_also_reported_by_not_read_also(archive: Archive) -> None:
    """Another outlet's report of the summit in other words is listed under "also reported by" and never again as
    further reading."""
    from akhbar.link.related import same_event_reports

    found = 0
    for hit in archive.search("بوتين كيم", limit=30):
        same_event = {ref.id for ref in same_event_reports(archive.store, hit.id)}
        assert same_event <= {ref.id for ref in archive.duplicates(hit.id)}
        assert not same_event & {ref.id for ref in archive.related(hit.id, k=10)}
        found += bool(same_event)
    assert found


def test_nothing_under_the_floor_is_listed(archive: Archive) -> None:
    """An empty slot beats a wrong tip: the OPEC cut's read also holds oil news only, and the Derna floods' no
    summit (both were filled with one shared country's unrelated news before the floor)."""
    opec = archive.search("أوبك خفض الإنتاج")[0].id
    titles = [ref.title for ref in archive.related(opec, k=5)]
    assert titles and all("أوبك" in t or "النفط" in t for t in titles), titles
    derna = archive.search("فيضانات درنة")[0].id
    titles = [ref.title for ref in archive.related(derna, k=5)]
    assert titles and not any("كيم" in t or "بوتين" in t for t in titles), titles


def test_an_article_that_shares_the_tags_ranks_first_when_tags_decide(archive: Archive) -> None:
    """The re-ranking counts the share of this article's tags (central names, topic phrases) the other one has too:
    weighted to decide alone, it orders the list by that share."""
    from akhbar.link.related import RelatedConfig, related

    store, article = archive.store, summit(archive)
    config = replace(RelatedConfig(), rerank_tags=100.0, background_share=float("inf"))
    found = [store.rowid(ref.id) for ref in related(store, article, k=5, config=config)]
    tags = store.tag_keys([store.rowid(article), *found])
    own = tags[store.rowid(article)]
    shares = [len(own & tags[rowid]) / len(own) for rowid in found]
    assert shares[0] > 0 and shares == sorted(shares, reverse=True), shares


def test_tag_keys_are_entity_ids_and_phrase_keys(archive: Archive) -> None:
    """What the re-ranking compares: an entity tag is its entity whatever the spelling, a phrase its dedup key."""
    from akhbar.arabic.normalize import dedup_text

    article = summit(archive)
    tags = archive.tags(article)
    keys = archive.store.tag_keys([archive.store.rowid(article)])[archive.store.rowid(article)]
    assert {t.entity for t in tags if t.entity is not None} == {k for k in keys if isinstance(k, int)}
    assert {dedup_text(t.text) for t in tags if t.kind == "phrase"} == {k for k in keys if isinstance(k, str)}
    assert archive.store.tag_keys([]) == {}
