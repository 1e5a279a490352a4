"""The Python API, and an ingest killed half-way: the store stays consistent and a re-run finishes the job."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import akhbar
from akhbar.archive import BATCH_SIZE
from akhbar.model import Article
from akhbar.pipeline import PipelineConfig
from akhbar.store import is_postgres
from akhbar.store.sql import SCHEMA_VERSION
from tests.conftest import EXAMPLES

N_ARTICLES = 1200  # enough that the run is killed after its first batch (200) and well before the end


def write_jsonl(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            row = {
                "title": f"خبر تجريبي رقم {i} عن القمة",
                "text": f"هذا نص الخبر التجريبي رقم {i}.\nوفيه فقرة ثانية عن بيونغ يانغ وموسكو رقم {i}.",
                "url": f"https://example.test/news/{i}",
            }
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


COUNTS = ("SELECT count(*) FROM articles", "SELECT count(*) FROM blocks", "SELECT count(*) FROM search")


def counts(db: str) -> tuple[int, int, int] | None:
    """Articles, blocks and indexed rows of the archive, from another connection; None before the schema exists."""
    if is_postgres(db):
        import psycopg

        with psycopg.connect(db) as pg:
            try:
                a, b, c = (pg.execute(q.encode()).fetchone()[0] for q in COUNTS)  # type: ignore[index]
            except psycopg.errors.UndefinedTable:
                return None
        return a, b, c
    if not Path(db).exists():
        return None
    con = sqlite3.connect(db)
    try:
        a, b, c = (con.execute(q).fetchone()[0] for q in COUNTS)
    except sqlite3.OperationalError:
        return None  # schema not created yet
    finally:
        con.close()
    return a, b, c


def test_killed_ingest_resumes_without_duplicates(tmp_path: Path, store_db: str) -> None:
    source, db = tmp_path / "many.jsonl", store_db
    write_jsonl(source, N_ARTICLES)
    cmd = [sys.executable, "-m", "akhbar.serve.cli", "ingest", str(source), "--db", db]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        found = counts(db)
        if found is not None and found[0] > 0:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    found = counts(db)
    assert found is not None
    articles, blocks, indexed = found
    assert articles == indexed and blocks == 2 * articles  # whole batches only, index in step
    assert articles < N_ARTICLES, "the ingest finished before it could be killed; raise N_ARTICLES"

    finished = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert finished.returncode == 0, finished.stderr
    assert counts(db) == (N_ARTICLES, 2 * N_ARTICLES, N_ARTICLES)
    counted = ("new", "updated", "unchanged", "failed", "skipped")  # "name count what-it-counts" lines
    summary = {
        parts[0]: parts[1]
        for parts in map(str.split, finished.stderr.splitlines())
        if parts[:1] and parts[0] in counted
    }
    assert summary["unchanged"] == f"{articles:,}"  # what the killed run stored is not written again
    assert summary["new"] == f"{N_ARTICLES - articles:,}"


def test_an_ingest_interrupted_mid_batch_keeps_whole_batches_only(tmp_path: Path, store_db: str) -> None:
    source = tmp_path / "some.jsonl"
    write_jsonl(source, BATCH_SIZE + 60)
    config = PipelineConfig(entities=False)

    def interrupt(record: object, outcome: object) -> None:
        nonlocal seen
        seen += 1
        if seen == BATCH_SIZE + 30:  # half-way through the second batch
            raise KeyboardInterrupt

    seen = 0
    with akhbar.open(store_db, config) as archive, pytest.raises(KeyboardInterrupt):
        archive.ingest([source], on_record=interrupt)
    assert counts(store_db) == (BATCH_SIZE, 2 * BATCH_SIZE, BATCH_SIZE)  # the first batch, nothing of the second
    with akhbar.open(store_db, config) as archive:
        assert archive.stats().articles == BATCH_SIZE
        assert len(archive.search("بيونغ يانغ", limit=1000)) == BATCH_SIZE
        report = archive.ingest([source])
        assert (report.new, report.unchanged) == (60, BATCH_SIZE)
    assert counts(store_db) == (BATCH_SIZE + 60, 2 * (BATCH_SIZE + 60), BATCH_SIZE + 60)


def test_python_api(store_db: str) -> None:
    records = list(akhbar.parse(EXAMPLES / "textpages" / "08_putin_arrives_pyongyang_skynews.txt"))
    assert all(isinstance(r, Article) for r in records) and len(records) == 3
    with akhbar.open(store_db) as archive:
        report = archive.ingest([EXAMPLES / "textpages"])
        assert report.new >= 18 and report.failed == 0 and report.read_anything
        hits = archive.search("بيونغ يانغ")
        assert hits and all(h.snippet for h in hits)
        article = archive.get(hits[0].id)
        assert article is not None and article.title == hits[0].title
        assert archive.stats().articles == report.new


def test_entities_across_spellings_and_latin_names(store_db: str) -> None:
    with akhbar.open(store_db) as archive:
        archive.ingest([EXAMPLES / "textpages", EXAMPLES / "html"])
        pyongyang = archive.entity("pyongyang")  # a Latin name finds the Arabic entity
        assert pyongyang is not None and pyongyang.type == "LOC"
        assert pyongyang.romanization == "Pyongyang"
        assert {"بيونغ يانغ", "بيونج يانج", "بيونغيانغ"} <= {s for s, _ in pyongyang.spellings}
        assert archive.entity("بيونجيانج") == pyongyang  # any Arabic spelling finds it too
        kim = archive.entity("كيم جونج-أون")
        assert kim is not None and kim.type == "PERS" and kim.article_count >= 5
        hits = archive.search("Kim Jong Un")
        assert len(hits) >= 5
        assert all(h.highlights for h in hits)


def test_tags_and_summary_are_stored_with_each_article(store_db: str) -> None:
    with akhbar.open(store_db) as archive:
        archive.ingest([EXAMPLES / "textpages"])
        hit = archive.search("فوستوشني")[0]
        assert hit.summary and hit.summary.split()[0] in archive.get(hit.id).text  # type: ignore[union-attr]
        tags = archive.tags(hit.id)
        assert 3 <= len(tags) <= 8
        assert len({t.text for t in tags}) == len(tags)
        people = [t for t in tags if t.kind == "entity" and t.entity is not None]
        assert people
        for tag in people:  # an entity tag shows the archive's display spelling of that entity
            record = archive.entity(str(tag.entity))
            assert record is not None and record.name == tag.text


def test_the_same_report_in_two_outlets_is_also_reported_by(store_db: str) -> None:
    with akhbar.open(store_db) as archive:
        archive.ingest([EXAMPLES])
        groups = archive.duplicate_groups()
        assert groups, "the examples hold one summit report published by two outlets"
        primary, *others = groups[0]
        assert others and {primary.outlet, *(o.outlet for o in others)} >= {"العربية", "الخليج"}
        view = archive.view(primary.id)
        assert view is not None and [r.id for r in view.also_reported_by] == [o.id for o in others]


def _people_archive(path: Path) -> Path:
    """Articles that name people only in full: إيمانويل ماكرون, and two people called كيم."""
    rows = []
    macron = "قال الرئيس الفرنسي إيمانويل ماكرون إن بلاده ستواصل دعمها للحوار بين الطرفين في الأيام المقبلة."
    kims = "التقى الزعيم الكوري الشمالي كيم جونغ أون بشقيقته كيم يو جونغ في بيونغ يانغ لبحث الزيارة المقبلة."
    for i in range(3):
        rows.append(
            {"title": f"باريس تدعو إلى الحوار {i}", "text": f"{macron} تقرير {i}", "url": f"https://x.test/m{i}"}
        )
        rows.append({"title": f"لقاء في بيونغ يانغ {i}", "text": f"{kims} تقرير {i}", "url": f"https://x.test/k{i}"})
    source = path / "people.jsonl"
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return source


def test_an_entity_is_found_by_a_word_one_person_owns(tmp_path: Path, store_db: str) -> None:
    """ماكرون or Macron alone finds إيمانويل ماكرون even when no article names him by his surname alone; كيم, a word
    of two people's names, finds no one entity and lists both."""
    with akhbar.open(store_db) as archive:
        archive.ingest([_people_archive(tmp_path)])
        macron = archive.entity("إيمانويل ماكرون")
        assert macron is not None
        for ref in ("ماكرون", "Macron"):
            found = archive.entity(ref)
            assert found is not None and found.id == macron.id, ref
            assert archive.entity_candidates(ref) == []
        assert archive.entity("كيم") is None
        assert {c.name for c in archive.entity_candidates("كيم")} == {"كيم جونغ أون", "كيم يو جونغ"}
        assert archive.entity("فلانوف") is None and archive.entity_candidates("فلانوف") == []


def _entity_snapshot(db: str) -> dict[str, object]:
    """What entity resolution made, independent of row numbers: per article, its entities (display name, type,
    mention spans) and chosen tags; and every entity's spellings with counts."""
    with akhbar.open(db, read_only=True) as archive:
        refs, _ = archive.articles(limit=1000)
        per_article = {
            ref.id: (
                sorted((name, kind, n) for _, name, kind, n in archive.store.entities_in(ref.id)),
                [(t.kind, t.text) for t in archive.tags(ref.id)],
            )
            for ref in refs
        }
        names = {name for entities, _ in per_article.values() for name, _, _ in entities}
        spellings = {}
        for name in sorted(names):
            record = archive.entity(name)
            spellings[name] = sorted(record.spellings) if record is not None else None
    return {"articles": per_article, "spellings": spellings}


def test_reindex_re_resolves_entities_as_a_fresh_ingest_would(tmp_path: Path, new_db: Callable[[], str]) -> None:
    """An archive stored without entities (or with an older akhbar's) is re-resolved by reindex_entities exactly
    as a fresh ingest resolves them; reindexing twice changes nothing; articles are untouched."""
    fresh, old = new_db(), new_db()
    with akhbar.open(fresh) as archive:
        archive.ingest([EXAMPLES])
    with akhbar.open(old, PipelineConfig(entities=False)) as archive:
        archive.ingest([EXAMPLES])
        before = archive.stats()
    assert _entity_snapshot(old) != _entity_snapshot(fresh)
    with akhbar.open(old) as archive:
        assert archive.reindex_entities() == before.articles
        assert archive.stats() == before
    assert _entity_snapshot(old) == _entity_snapshot(fresh)
    with akhbar.open(old) as archive:
        archive.reindex_entities()
    assert _entity_snapshot(old) == _entity_snapshot(fresh)


def test_an_archive_knows_when_its_articles_were_analyzed_by_another_akhbar(new_db: Callable[[], str]) -> None:
    """An upgrade that keys names otherwise (a new alias, another model) leaves the stored articles as they were:
    the archive records which analysis made them, says so once articles of another analysis join them, and is one
    again after reindex. Reading an archive changes nothing."""
    from akhbar.archive import ANALYSIS_KEY, MIXED_ANALYSIS

    db = new_db()
    pages = EXAMPLES / "textpages"
    with akhbar.open(db) as archive:
        assert not archive.analysis_outdated  # empty
        archive.ingest([pages / "01_summit_alwatan.txt"])
        current = archive.store.meta(ANALYSIS_KEY)
        assert current and current != MIXED_ANALYSIS and not archive.analysis_outdated
        archive.ingest([pages / "01_summit_alwatan.txt"])  # unchanged: nothing analyzed, nothing changes
        assert archive.store.meta(ANALYSIS_KEY) == current
        with archive.store.transaction():
            archive.store.set_meta(ANALYSIS_KEY, "an-older-akhbar")  # as an archive an earlier version made
    with akhbar.open(db, read_only=True) as reader:
        assert reader.analysis_outdated and reader.store.meta(ANALYSIS_KEY) == "an-older-akhbar"
    with akhbar.open(db) as archive:
        archive.ingest([pages / "02_summit_wire_alarabiya.txt"])
        assert archive.store.meta(ANALYSIS_KEY) == MIXED_ANALYSIS and archive.analysis_outdated
        archive.reindex_entities()
        assert archive.store.meta(ANALYSIS_KEY) == current and not archive.analysis_outdated
    with akhbar.open(db, PipelineConfig(entities=False)) as archive:
        assert archive.analysis_outdated  # analyzing without entities is another analysis


def test_the_analysis_signature_follows_the_rules_and_the_shipped_models() -> None:
    from dataclasses import replace

    from akhbar.analyze.annotate import analysis_signature
    from akhbar.analyze.entity_policy import EntityConfig

    assert analysis_signature() == analysis_signature(EntityConfig())
    other = replace(EntityConfig(), **{next(iter(EntityConfig.__dataclass_fields__)): 0})
    assert analysis_signature(other) != analysis_signature()


def test_the_archive_answers_what_it_knows_of_names_alike_on_both_stores(
    tmp_path: Path, new_db: Callable[[], str]
) -> None:
    """The evidence ingest asks the store for (entity_candidates, read by entity_policy.stored_mentions): the stored
    entities of a key with their spellings, type and mentions; the same on SQLite and on the test's backend."""
    from akhbar.analyze.entity_policy import stored_mentions
    from akhbar.arabic.normalize import entity_key

    sqlite_db, other = str(tmp_path / "evidence.db"), new_db()
    for db in (sqlite_db, other):
        with akhbar.open(db) as archive:
            archive.ingest([EXAMPLES])
    with akhbar.open(sqlite_db, read_only=True) as archive:
        top = archive.store.entity_candidates(
            [k for (k,) in archive.store.db.execute("SELECT DISTINCT key FROM entities ORDER BY key LIMIT 60")]
        )
    assert top and any(c.mentions >= 2 for cs in top.values() for c in cs)
    with akhbar.open(other, read_only=True) as archive:
        assert archive.store.entity_candidates(list(top)) == top
        spellings = {s for cs in top.values() for c in cs for s in c.spellings}
        counts = stored_mentions(spellings, archive.store.entity_candidates)
    own_key = {s: n for s, n in counts.items() if entity_key(s) in top}  # a spelling may sit under another key
    assert own_key
    for spelling, n in own_key.items():
        assert n >= max((c.mentions for c in top[entity_key(spelling)] if spelling in c.spellings), default=0)


def _execute(db: str, *statements: str) -> None:
    """Run statements on the archive's database outside akhbar, each committed."""
    if is_postgres(db):
        import psycopg

        with psycopg.connect(db, autocommit=True) as pg:
            for statement in statements:
                pg.execute(statement.encode())
        return
    con = sqlite3.connect(db, isolation_level=None)
    try:
        for statement in statements:
            con.execute(statement)
    finally:
        con.close()


def test_an_archive_of_schema_3_is_upgraded_by_its_first_writer(new_db: Callable[[], str]) -> None:
    """An archive stored before mention types were kept (schema 3) is read as it is, and upgraded in place by the
    first writer: each mention gets its entity's type, the per-type counts are filled, the search index's change log
    starts (the index is rebuilt from the articles), nothing else changes."""
    from akhbar.analyze.entity_policy import majority_type
    from tests.store.test_crash_resume import connection, snapshot

    db = new_db()
    with akhbar.open(db) as archive:
        archive.ingest([EXAMPLES])
        stats = archive.stats()
    before = snapshot(db)
    _execute(  # back to what schema 3 wrote
        db,
        "DROP TABLE entity_types",
        "ALTER TABLE mentions DROP COLUMN type",
        "DROP TABLE search_log",
        "DELETE FROM meta WHERE key = 'archive_id'",
        "UPDATE meta SET value = '3' WHERE key = 'schema_version'",
    )
    with akhbar.open(db, read_only=True) as archive:
        assert archive.stats() == stats and archive.entity("بيونغ يانغ") is not None
    with akhbar.open(db) as archive:
        assert archive.stats() == stats
        found = {hit.id for hit in archive.search("الصواريخ", limit=1000)}  # SQLite: through the rebuilt index
        assert found and found == {hit.id for hit in archive.store.search("الصواريخ", limit=1000)}
    with connection(db) as read:
        assert read("SELECT value FROM meta WHERE key = 'schema_version'") == [(SCHEMA_VERSION,)]
        assert read("SELECT count(*) FROM mentions WHERE type IS NULL") == [(0,)]
        counts: dict[int, dict[str, int]] = {}
        for entity, kind, n in read("SELECT entity, type, n FROM entity_types"):
            counts.setdefault(entity, {})[kind] = n
        entities = read("SELECT rowid, type FROM entities")
        assert entities and all(majority_type(counts.get(e, {}), kind) == kind for e, kind in entities)
        assert sum(sum(c.values()) for c in counts.values()) == read("SELECT count(*) FROM mentions")[0][0]
    after = snapshot(db)
    changed = ("mentions", "entity_types", "search_log")
    assert {k: v for k, v in after.items() if k not in changed} == {k: v for k, v in before.items() if k not in changed}


def test_an_arabic_name_finds_every_spelling_of_its_entity(new_db: Callable[[], str]) -> None:
    """بيونغيانغ, بيونج يانج and Pyongyang find the same articles; بوتن (Putin written short) finds بوتين's, with
    the spelling each article uses highlighted."""
    db = new_db()
    with akhbar.open(db) as archive:
        archive.ingest([EXAMPLES])
    with akhbar.open(db, read_only=True) as archive:
        latin = {h.id for h in archive.search("Pyongyang", limit=1000)}
        assert len(latin) > 10
        for spelling in ("بيونغ يانغ", "بيونغيانغ", "بيونج يانج", "بيونجيانج"):
            assert {h.id for h in archive.search(spelling, limit=1000)} == latin, spelling
        putin = archive.search("بوتن", limit=1000)
        assert putin and {h.id for h in putin} == {h.id for h in archive.search("بوتين", limit=1000)}
        assert all("بوتين" in "".join(h.snippet[a:b] for a, b in h.highlights) for h in putin[:5])


def test_a_latin_name_finds_every_spelling_of_its_entity(tmp_path: Path, store_db: str) -> None:
    """Houthis, as the English-language press writes the group, finds the reports that name it الحوثيين, ميليشيات
    الحوثي or أنصار الله (another name of the same entity, which no letter of "Houthis" spells), and nothing else;
    ISIS finds what Islamic State finds."""
    reports = {
        "h1": ("غارات على مواقع الحوثيين في صعدة", "قال التحالف إن غاراته استهدفت مواقع الحوثيين في صعدة."),
        "h2": ("ميليشيات الحوثي تطلق صاروخا", "أطلقت ميليشيات الحوثي صاروخا باليستيا نحو جازان."),
        "h3": ("أنصار الله تعلن السيطرة على موقع", "أعلنت جماعة أنصار الله السيطرة على موقع. وقال أنصار الله ذلك."),
        "d1": ("تنظيم داعش يتبنى الهجوم", "تبنى تنظيم داعش الهجوم على نقطة تفتيش."),
        "d2": ("تنظيم الدولة الإسلامية يخسر آخر معاقله", "خسر تنظيم الدولة الإسلامية آخر معاقله في المنطقة."),
        "o1": ("ارتفاع أسعار النفط", "ارتفعت أسعار النفط في الأسواق العالمية اليوم."),
    }
    source = tmp_path / "latin.jsonl"
    rows = [{"title": t, "text": x, "url": f"https://x.test/{k}"} for k, (t, x) in reports.items()]
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    with akhbar.open(store_db) as archive:
        archive.ingest([source])
    with akhbar.open(store_db, read_only=True) as archive:
        key = {a.url.rsplit("/", 1)[1]: a.id for a in archive.store.iter_articles() if a.url}

        def found(query: str) -> set[str]:
            return {k for k, article_id in key.items() if article_id in {h.id for h in archive.search(query)}}

        assert found("Houthis") == {"h1", "h2", "h3"}
        assert found("Hezbollah") == set()
        assert found("ISIS") == found("Islamic State") == found("Daesh") == {"d1", "d2"}


def test_a_misspelt_name_gets_a_suggestion_and_a_word_in_use_none(new_db: Callable[[], str]) -> None:
    """«هل تقصد»: قوقل-style slips (ق for g) of a well-known name are offered the name as the archive writes it; words
    the archive finds, and names spelled right, are left alone."""
    db = new_db()
    with akhbar.open(db) as archive:
        archive.ingest([EXAMPLES])
    with akhbar.open(db, read_only=True) as archive:
        assert not archive.search("بيونقيانق")
        suggestion = archive.suggest("بيونقيانق")
        assert suggestion in {"بيونغ يانغ", "بيونغيانغ"}
        assert archive.search(suggestion)
        for query in ("الحرب", "بيونغ يانغ", "كوريا الشمالية", "Pyongyang", ""):
            assert archive.suggest(query) is None, query


def test_ingest_on_several_processes_stores_what_one_stores(tmp_path: Path) -> None:
    """--jobs 3 (two workers analyzing while this process writes; batches of 10 so that workers start on the
    examples) makes the same archive as one job: articles, entities with their ids, tags, summaries, stories and
    related lists."""
    examples = Path(__file__).resolve().parents[1] / "examples"

    def archive_made(jobs: int) -> list[object]:
        with akhbar.open(tmp_path / f"jobs{jobs}.db") as archive:
            report = archive.ingest([examples / "textpages", examples / "html"], jobs=jobs, batch_size=10)
            refs, _ = archive.articles(limit=1000)
            made: list[object] = [report.to_json()]
            for ref in sorted(refs, key=lambda r: r.id):
                view = archive.view(ref.id)
                assert view is not None
                made.append(json.dumps(view.to_json(), ensure_ascii=False, sort_keys=True))
            return made

    one, three = archive_made(1), archive_made(3)
    assert len(one) > 20 and one == three


def test_a_misspelt_other_name_of_an_entity_gets_that_name(new_db: Callable[[], str]) -> None:
    """أمريكا is stored under the key of الولايات المتحدة (one entity); «هل تقصد» still offers أمريكا for its slips."""
    from datetime import UTC, datetime, timedelta

    from akhbar.model import Block, Provenance

    start = datetime(2024, 3, 1, 8, tzinfo=UTC)
    reports = [
        Article(
            id=f"us{i}",
            url=f"https://example.test/us{i}",
            outlet="العربية",
            title=f"أمريكا تعلن خطة جديدة رقم {i}",
            published_at=start + timedelta(days=i),
            body=[Block("paragraph", f"قالت أمريكا اليوم إنها ستعلن خطتها {i} للطاقة، وأكد مسؤول في أمريكا ذلك.")],
            provenance=Provenance("-", "test"),
        )
        for i in range(12)
    ]
    db = new_db()
    with akhbar.open(db) as archive:
        assert archive.ingest_records(reports).new == 12
    with akhbar.open(db, read_only=True) as archive:
        us = archive.entity("أمريكا")
        assert us is not None and us == archive.entity("الولايات المتحدة")
        assert not archive.search("امريقا")
        assert archive.suggest("امريقا") == "أمريكا"
