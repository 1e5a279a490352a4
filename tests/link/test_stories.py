"""Online story clustering: one event across outlets is one story; another event, or the same actors months
later, is another; the timeline is in time order."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

import akhbar
from akhbar.link.stories import StoryConfig, days_outside
from akhbar.model import Article, Block, Provenance

SUMMIT = [
    "التقى الرئيس الروسي فلاديمير بوتين الزعيم الكوري الشمالي كيم جونغ أون في قاعدة فوستوتشني الفضائية بأقصى"
    " الشرق الروسي، في قمة تثير قلق الغرب من صفقة أسلحة وذخائر بين موسكو وبيونغ يانغ.",
    "عقد بوتين وكيم جونغ أون قمة في قاعدة فوستوتشني الفضائية، وقال الكرملين إن المحادثات تناولت التعاون العسكري"
    " والأقمار الصناعية، فيما حذرت واشنطن بيونغ يانغ من تزويد موسكو بالذخائر.",
    "قمة فوستوتشني بين فلاديمير بوتين وكيم جونغ أون انتهت بتبادل الهدايا، وأكد الزعيم الكوري الشمالي دعمه لموسكو"
    " بينما تخشى واشنطن صفقة ذخائر مقابل تكنولوجيا الأقمار الصناعية.",
]
OPEC = (
    "اتفقت مجموعة أوبك بلس على خفض طوعي جديد لإنتاج النفط في الربع الأول من العام المقبل، وقالت السعودية إن"
    " الخفض يهدف إلى دعم استقرار أسواق النفط العالمية."
)
LATER = (
    "صادق مجلس الدوما الروسي على معاهدة الشراكة الاستراتيجية الشاملة مع كوريا الشمالية التي وقعها بوتين وكيم"
    " جونغ أون، وتنص المعاهدة على الدفاع المشترك."
)
OUTLETS = ["العربية", "الخليج", "الوطن"]


def article(key: str, text: str, when: datetime, outlet: str) -> Article:
    return Article(
        id=key,
        url=f"https://example.test/{key}",
        outlet=outlet,
        title=text.split("،")[0][:80],
        published_at=when,
        author=None,
        body=[Block("paragraph", text)],
        provenance=Provenance("-", "test"),
    )


def test_one_event_across_outlets_is_one_story_and_others_are_not(store_db: str) -> None:
    start = datetime(2023, 9, 13, 8, tzinfo=UTC)
    items = [article(f"s{i}", text, start + timedelta(hours=5 * i), OUTLETS[i]) for i, text in enumerate(SUMMIT)]
    items.append(article("opec", OPEC, start + timedelta(hours=3), "العربية"))
    items.append(article("later", LATER, start + timedelta(days=400), "الخليج"))
    with akhbar.open(store_db) as archive:
        archive.ingest_records(reversed(items))  # arrival order does not matter: a batch is linked oldest first
        story_of = {a.id: archive.store.story_of(a.id) for a in items}
        assert story_of["s0"] == story_of["s1"] == story_of["s2"] is not None
        assert story_of["opec"] != story_of["s0"]
        assert story_of["later"] != story_of["s0"]
        record = archive.story(story_of["s0"])  # type: ignore[arg-type]
        assert record is not None
        assert [a.id for a in record.articles] == ["s0", "s1", "s2"]  # the timeline is in time order
        assert set(record.summary.outlets) == set(OUTLETS)
        assert any("بوتين" in name for _, name, _ in record.entities)
        listed = archive.stories()
        assert listed[0].id == story_of["later"]  # most recently active first
        assert archive.rebuild_stories() == 3
        assert len({archive.store.story_of(a.id) for a in items[:3]}) == 1


def test_time_outside_a_story_span() -> None:
    first, last = "2023-09-13T08:00:00+00:00", "2023-09-14T08:00:00+00:00"
    assert days_outside("2023-09-13T20:00:00+00:00", first, last) == 0
    assert days_outside("2023-09-17T08:00:00+00:00", first, last) == 3
    assert days_outside(None, first, last) == 0
    assert StoryConfig().window_days >= 7


def test_an_article_whose_text_changes_moves_story_without_breaking(store_db: str) -> None:
    # Regression: an article alone in its story, re-linked after an edit, once deleted the story it then joined.
    start = datetime(2023, 9, 13, 8, tzinfo=UTC)
    with akhbar.open(store_db) as archive:
        archive.ingest_records([article("s0", SUMMIT[0], start, OUTLETS[0])])
        archive.ingest_records([article("s0", SUMMIT[0] + " وأضاف الكرملين تفاصيل جديدة.", start, OUTLETS[0])])
        archive.ingest_records([article("s0", SUMMIT[1], start, OUTLETS[0])])
        story_id = archive.store.story_of("s0")
        assert story_id is not None
        record = archive.story(story_id)
        assert record is not None and [a.id for a in record.articles] == ["s0"]
        assert archive.failures() == []


def test_a_bug_while_linking_costs_that_article_its_links_only(store_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import akhbar.link.linker as linker

    real_place = linker.place

    def flaky_place(
        store: object, article_id: str, config: StoryConfig, reports: object = None, cache: object = None
    ) -> int:
        if article_id == "s1":
            raise RuntimeError("boom")
        return real_place(store, article_id, config, reports, cache)  # type: ignore[arg-type]

    monkeypatch.setattr(linker, "place", flaky_place)
    start = datetime(2023, 9, 13, 8, tzinfo=UTC)
    items = [article(f"s{i}", text, start + timedelta(hours=i), OUTLETS[i]) for i, text in enumerate(SUMMIT)]
    with akhbar.open(store_db) as archive:
        report = archive.ingest_records(items)
        assert report.new == 3 and report.failed == 1
        assert all(archive.get(a.id) is not None for a in items)  # stored, all three
        assert archive.store.story_of("s1") is None and archive.store.story_of("s0") is not None
        fingerprinted = {r[0] for r in archive.store.db.execute("SELECT article FROM fingerprints")}
        assert archive.store.rowid("s1") not in fingerprinted  # all of its linking was undone, not half of it
        assert archive.store.rowid("s0") in fingerprinted
        failure = archive.failures()[0]
        assert "linking" in failure.reason and failure.reader == "link"


def test_an_undated_article_joins_only_a_story_it_plainly_belongs_to_and_sorts_last(store_db: str) -> None:
    """No date, no time to keep it apart: the same actors' later news (a treaty ratified a year on) is not the
    summit's story, while another report of the summit itself joins it, listed after the dated reports."""
    start = datetime(2023, 9, 13, 8, tzinfo=UTC)
    items = [article(f"s{i}", text, start + timedelta(hours=5 * i), OUTLETS[i]) for i, text in enumerate(SUMMIT)]
    undated_later = replace(article("later", LATER, start, "الخليج"), published_at=None)
    undated_report = replace(article("again", SUMMIT[0] + " " + SUMMIT[2], start, "الوطن"), published_at=None)
    with akhbar.open(store_db) as archive:
        archive.ingest_records([*items, undated_later, undated_report])
        story_of = {a.id: archive.store.story_of(a.id) for a in [*items, undated_later, undated_report]}
        assert story_of["s0"] == story_of["s1"] == story_of["s2"] is not None
        assert story_of["later"] != story_of["s0"]
        assert story_of["again"] == story_of["s0"]
        record = archive.story(story_of["s0"])  # type: ignore[arg-type]
        assert record is not None and [a.id for a in record.articles] == ["s0", "s1", "s2", "again"]


def test_another_report_of_the_event_joins_the_story_its_reports_are_in(store_db: str) -> None:
    """Another outlet's report of the very event, in words too far from the story's mean for the threshold, still
    joins the story of its same-event reports; without reports it would start a story of its own."""
    from akhbar.link.stories import place

    start = datetime(2023, 9, 13, 8, tzinfo=UTC)
    items = [article(f"s{i}", text, start + timedelta(hours=i), OUTLETS[i]) for i, text in enumerate(SUMMIT)]
    items.append(article("opec", OPEC, start + timedelta(hours=4), "العربية"))
    with akhbar.open(store_db) as archive:
        archive.ingest_records(items)
        summit_story = archive.store.story_of("s0")
        assert archive.store.story_of("opec") != summit_story
        with archive.store.transaction():
            place(archive.store, "opec", StoryConfig(), reports=lambda _: ["s1", "s2"])
        assert archive.store.story_of("opec") == summit_story
        with archive.store.transaction():
            place(archive.store, "opec", StoryConfig(), reports=lambda _: [])
        assert archive.store.story_of("opec") != summit_story


def test_the_writers_profile_cache_gives_the_profiles_the_store_gives_and_follows_changed_text(store_db: str) -> None:
    """Read also and stories compare each new article with a score of stored ones; the writer keeps their text part
    between links, and an article linked anew (its text changed) is read again."""
    from akhbar.link.stories import ProfileCache, article_profile

    start = datetime(2023, 9, 13, 8, tzinfo=UTC)
    items = [article(f"s{i}", text, start + timedelta(hours=i), OUTLETS[i]) for i, text in enumerate(SUMMIT)]
    with akhbar.open(store_db) as archive:
        archive.ingest_records(items)
        cache = ProfileCache(size=2)
        for item in items + items:
            assert article_profile(archive.store, item.id, cache=cache) == article_profile(archive.store, item.id)
        warm = archive.linker.profiles
        before = warm.terms(archive.store, "s0", StoryConfig().article_terms)
        archive.ingest_records([replace(items[0], body=[Block("paragraph", "أعلنت وزارة الزراعة موسم حصاد القمح.")])])
        after = warm.terms(archive.store, "s0", StoryConfig().article_terms)
        assert after != before and after[0] == article_profile(archive.store, "s0").terms


def test_a_close_earlier_read_also_pick_is_evidence_of_the_story(store_db: str) -> None:
    """An article no story is close enough to as a whole joins the story of a close read-also pick published in
    the days before it (another development of a long story): close_earlier names such picks only, never a later
    article, nor one published too long before, nor one under the likeness asked for."""
    from akhbar.link.linker import LinkConfig, Linker
    from akhbar.link.related import STORED, close_earlier, ranked

    start = datetime(2023, 9, 13, 8, tzinfo=UTC)
    items = [article(f"s{i}", text, start + timedelta(days=3 * i), OUTLETS[i]) for i, text in enumerate(SUMMIT)]
    items.append(article("opec", OPEC, start + timedelta(days=4), "العربية"))
    with akhbar.open(store_db) as archive:
        archive.ingest_records(items)
        store = archive.store
        picks = {a: ranked(store, a, k=STORED) for a in ("s1", "s2")}
        assert close_earlier(store, "s1", 0.0, 14, picks["s1"]) == ["s0"]  # s2 is later, OPEC no pick
        assert set(close_earlier(store, "s2", 0.0, 14, picks["s2"])) == {"s0", "s1"}
        assert close_earlier(store, "s2", 0.0, 4, picks["s2"]) == ["s1"]
        assert close_earlier(store, "s2", 100.0, 14, picks["s2"]) == []
        linker = Linker(store, LinkConfig(stories=replace(StoryConfig(), neighbour_likeness=0.0)))
        assert {"s0", "s1"} <= set(linker.story_evidence("s2"))
        assert "opec" not in linker.story_evidence("s2")
