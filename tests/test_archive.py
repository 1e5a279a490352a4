"""The Python API, and an ingest killed half-way: the store stays consistent and a re-run finishes the job."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import akhbar
from akhbar.model import Article
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


def counts(db: Path) -> tuple[int, int, int]:
    con = sqlite3.connect(db)
    try:
        articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        blocks = con.execute("SELECT count(*) FROM blocks").fetchone()[0]
        indexed = con.execute("SELECT count(*) FROM search").fetchone()[0]
    finally:
        con.close()
    return articles, blocks, indexed


def test_killed_ingest_resumes_without_duplicates(tmp_path: Path) -> None:
    source, db = tmp_path / "many.jsonl", tmp_path / "k.db"
    write_jsonl(source, N_ARTICLES)
    cmd = [sys.executable, "-m", "akhbar.serve.cli", "ingest", str(source), "--db", str(db)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        if db.exists():
            try:
                if counts(db)[0] > 0:
                    break
            except sqlite3.OperationalError:
                continue  # schema not created yet
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    articles, blocks, indexed = counts(db)
    assert articles == indexed and blocks == 2 * articles  # whole batches only, index in step
    assert articles < N_ARTICLES, "the ingest finished before it could be killed; raise N_ARTICLES"

    finished = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert finished.returncode == 0, finished.stderr
    assert counts(db) == (N_ARTICLES, 2 * N_ARTICLES, N_ARTICLES)
    summary = {parts[0]: parts[1] for parts in map(str.split, finished.stderr.splitlines()) if len(parts) == 2}
    assert summary["unchanged"] == f"{articles:,}"  # what the killed run stored is not written again
    assert summary["new"] == f"{N_ARTICLES - articles:,}"


def test_python_api(tmp_path: Path) -> None:
    records = list(akhbar.parse(EXAMPLES / "textpages" / "08_putin_arrives_pyongyang_skynews.txt"))
    assert all(isinstance(r, Article) for r in records) and len(records) == 3
    with akhbar.open(tmp_path / "api.db") as archive:
        report = archive.ingest([EXAMPLES / "textpages"])
        assert report.new >= 18 and report.failed == 0 and report.read_anything
        hits = archive.search("بيونغ يانغ")
        assert hits and all(h.snippet for h in hits)
        article = archive.get(hits[0].id)
        assert article is not None and article.title == hits[0].title
        assert archive.stats().articles == report.new


def test_entities_across_spellings_and_latin_names(tmp_path: Path) -> None:
    with akhbar.open(tmp_path / "ent.db") as archive:
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


def test_tags_and_summary_are_stored_with_each_article(tmp_path: Path) -> None:
    with akhbar.open(tmp_path / "tags.db") as archive:
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


def test_the_same_report_in_two_outlets_is_also_reported_by(tmp_path: Path) -> None:
    with akhbar.open(tmp_path / "dup.db") as archive:
        archive.ingest([EXAMPLES])
        groups = archive.duplicate_groups()
        assert groups, "the examples hold one summit report published by two outlets"
        primary, *others = groups[0]
        assert others and {primary.outlet, *(o.outlet for o in others)} >= {"العربية", "الخليج"}
        view = archive.view(primary.id)
        assert view is not None and [r.id for r in view.also_reported_by] == [o.id for o in others]
