"""The per-file and per-article stages of a bulk run (no Spark): what ingest reads, bulk reads; failures are rows."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import akhbar
from akhbar import pipeline
from akhbar.bulk.dedup import window_pairs
from akhbar.bulk.records import article_from_rows, day_of, nested_article
from akhbar.bulk.stages import BulkOptions, FileResult, analyze_articles, read_file, read_inputs
from akhbar.link.duplicates import fingerprint
from akhbar.model import Article, Failure
from akhbar.pipeline import prepare
from tests.conftest import EXAMPLES

OPTIONS = BulkOptions()


def test_a_file_gives_what_ingest_reads_then_its_completion() -> None:
    path = str(EXAMPLES / "jsonl" / "articles.jsonl")
    items = list(read_inputs([path], OPTIONS))
    parsed = list(akhbar.parse(path))
    assert [v.id for k, _, v in items if k == "article"] == [r.id for r in parsed if isinstance(r, Article)]
    failures = [v for k, _, v in items if k == "failure"]
    assert [f.position for f in failures] == [r.position for r in parsed if isinstance(r, Failure)] == ["line 4"]
    kind, name, result = items[-1]
    assert (kind, name) == ("file", path)
    assert isinstance(result, FileResult)
    assert (result.status, result.articles, result.failures, result.attempts) == ("ok", len(items) - 2, 1, 1)


def test_articles_in_other_languages_are_counted_and_dropped(tmp_path: Path) -> None:
    rows = [
        {
            "title": "Summit in Vladivostok",
            "text": "The leaders met at the cosmodrome for talks on the war.",
            "url": "u1",
        },
        {
            "title": "قمة في فلاديفوستوك",
            "text": "التقى الزعيمان في قاعدة فوستوتشني الفضائية لإجراء محادثات.",
            "url": "u2",
        },
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    rows = list(analyze_articles(read_inputs([str(path)], OPTIONS), OPTIONS, "2026-11-25T10:00:00Z"))
    assert [r["kind"] for r in rows] == ["skipped", "article", "file"]
    assert rows[0]["skipped"] == "skipped_language" and rows[1]["article"]["title"] == "قمة في فلاديفوستوك"


def test_a_file_that_breaks_while_read_is_read_again_and_never_yields_twice() -> None:
    data = (EXAMPLES / "textpages" / "01_summit_alwatan.txt").read_bytes()
    calls = []

    def flaky() -> io.BytesIO:
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionResetError("the filesystem dropped the connection")
        return io.BytesIO(data)

    items = list(read_file("hdfs://news/01_summit_alwatan.txt", flaky, OPTIONS))
    once = [r for r in akhbar.parse(EXAMPLES / "textpages" / "01_summit_alwatan.txt") if isinstance(r, Article)]
    assert [v.id for k, _, v in items if k == "article"] == [a.id for a in once]  # the page and its read-also article
    assert items[-1][2].attempts == 2 and items[-1][2].status == "ok"


def test_a_file_that_keeps_failing_is_one_failure_and_the_run_goes_on() -> None:
    def broken() -> io.BytesIO:
        raise ConnectionResetError("gone")

    items = list(read_file("s3a://bucket/cc-news.warc.gz", broken, OPTIONS))
    assert [k for k, _, _ in items] == ["failure", "file"]
    failure = items[0][2]
    assert "failed 2 times" in failure.reason and "ConnectionResetError" in failure.reason
    assert items[1][2].status == "failed"


def test_an_article_whose_analysis_raises_becomes_a_quarantine_row(monkeypatch: pytest.MonkeyPatch) -> None:
    items = list(read_inputs(sorted(str(p) for p in (EXAMPLES / "textpages").glob("*.txt")), OPTIONS))
    articles = [v for k, _, v in items if k == "article"]
    doomed = articles[1].id

    real = pipeline.analyze

    def analyze(article: Article, **kwargs: object) -> object:
        if article.id == doomed:
            raise RuntimeError("tagger bug")
        return real(article, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "analyze", analyze)  # the analysis stage of the one per-article composition
    rows = list(analyze_articles(items[:3], OPTIONS, "2026-11-25T10:00:00Z"))
    assert [r["kind"] for r in rows] == ["article", "failure", "file"]
    assert rows[1]["failure"]["reader"] == "process" and "tagger bug" in rows[1]["failure"]["reason"]
    assert rows[1]["failure"]["day"] == "2026-11-25"


def _flatten(nested: dict[str, object]) -> tuple[dict[str, object], list[list[dict[str, object]]]]:
    """What Spark's explode does to a nested row (the tables of akhbar.bulk.records)."""
    blocks = [{"position": i, **b} for i, b in enumerate(nested["body"])]  # type: ignore[arg-type]
    tags = [{"position": i, **t} for i, t in enumerate(nested["tags"])]  # type: ignore[arg-type]
    entities = [{"position": i, **e} for i, e in enumerate(nested["entities"])]  # type: ignore[arg-type]
    mentions = [{"entity": e["position"], "position": j, **m} for e in entities for j, m in enumerate(e["mentions"])]
    return nested, [blocks, tags, entities, mentions]


def test_rows_rebuild_the_article_its_analysis_and_fingerprint() -> None:
    items = list(read_inputs([str(EXAMPLES / "textpages" / "01_summit_alwatan.txt")], OPTIONS))
    article = prepare(items[0][2])
    analysis = pipeline.analyze(article)
    fp = fingerprint(article)
    row, parts = _flatten(nested_article(article, analysis, fp, "x"))
    back, back_analysis, back_fp = article_from_rows(row, *parts)  # type: ignore[arg-type]
    assert back == article and back.content_hash() == article.content_hash()
    assert back_analysis.entities == analysis.entities and back_analysis.summary == analysis.summary
    assert [(t.kind, t.text, t.entity) for t in back_analysis.tags] == [
        (t.kind, t.text, t.entity) for t in analysis.tags
    ]
    assert back_fp == fp
    assert day_of(article) == "2023-09-13"


def test_bucket_pairs_are_bounded_by_the_window() -> None:
    assert list(window_pairs(["a", "b", "c"], window=1)) == [("a", "b"), ("b", "c")]
    assert len(list(window_pairs([str(i) for i in range(1000)], window=200))) < 200 * 1000
