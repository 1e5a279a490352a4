"""Bad input at the ingest boundary never ends a run: a damaged WARC, a JSON line nested too deep, a lone surrogate.

Each bad document becomes one Failure in the quarantine (what, where, why); every good document of the run, before
and after it and in the other inputs, is stored; nothing stored before is lost. Inputs are written by the tests.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import akhbar
from akhbar.model import Article, article_id
from akhbar.serve.cli import app
from tests.ingest.test_warc import html_page

PAGE = (
    "افتتاح مكتبة عامة في الحي القديم\n"
    "افتتحت البلدية صباح اليوم مكتبة عامة جديدة في الحي القديم بعد عامين من أعمال الترميم.\n"
    "وتضم المكتبة آلاف الكتب للأطفال والكبار وقاعة للمطالعة تفتح أبوابها حتى المساء.\n"
)
DEEP = "[" * 50_000 + "]" * 50_000  # json.loads raises RecursionError on it, not JSONDecodeError


def write_warc(path: Path, pages: range) -> list[str]:
    """An archive of one HTML response per page number (a request before each); returns the page URLs."""
    urls = []
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for n in pages:
            url = f"https://example.com/news/{n}"
            request = StatusAndHeaders(f"GET /news/{n} HTTP/1.1", [("Host", "example.com")], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", http_headers=request))
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            payload = io.BytesIO(html_page(n).encode())
            writer.write_record(writer.create_warc_record(url, "response", payload=payload, http_headers=http))
            urls.append(url)
    return urls


def test_a_damaged_warc_does_not_cut_the_next_warc_of_the_run(tmp_path: Path, store_db: str) -> None:
    damaged = tmp_path / "damaged.warc.gz"
    write_warc(damaged, range(5))
    data = damaged.read_bytes()
    damaged.write_bytes(data[: len(data) - 300])  # cut inside the last page's record
    good = tmp_path / "good.warc.gz"
    good_urls = write_warc(good, range(10, 16))
    with akhbar.open(store_db) as archive:
        report = archive.ingest([damaged, good])
        failures = archive.failures()
        assert len(failures) == 1, failures
        assert failures[0].source == str(damaged) and failures[0].reader == "warc"
        assert "truncated" in failures[0].reason
        stored = archive.stats().articles
        assert stored == report.new == 4 + len(good_urls)  # the damaged archive's last page is the failure
        for url in good_urls:
            assert archive.get(article_id(url=url, title="", text="")) is not None, url
    assert report.failed == 1
    assert report.skipped["damaged"] == 1 and report.skipped["html"] == 4 + len(good_urls)


def test_bad_json_lines_are_quarantined_and_the_run_goes_on(tmp_path: Path, store_db: str) -> None:
    before = tmp_path / "before.txt"
    before.write_text(PAGE.replace("مكتبة", "حديقة"), encoding="utf-8")
    good = {"title": "عنوان الخبر الأول", "text": "نص الخبر الأول كاملا في فقرة واحدة.", "url": "https://x.test/1"}
    last = {"title": "عنوان الخبر الأخير", "text": "نص الخبر الأخير كاملا في فقرة واحدة.", "url": "https://x.test/4"}
    surrogate = '{"title": "عنوان \\ud800 الثالث", "text": "نص \\udfff الخبر الثالث.", "url": "https://x.test/\\ud800"}'
    own_bad_id = {"id": {"x": 1}, "title": "عنوان", "body": [{"type": "paragraph", "text": "نص."}]}
    lines = tmp_path / "items.jsonl"
    rows = [json.dumps(good, ensure_ascii=False), DEEP, surrogate, json.dumps(own_bad_id), json.dumps(last)]
    lines.write_text("\n".join(rows) + "\n", encoding="utf-8")
    after = tmp_path / "after.txt"
    after.write_text(PAGE, encoding="utf-8")
    with akhbar.open(store_db) as archive:
        assert archive.ingest([before]).new == 1
        report = archive.ingest([lines, after])
        assert report.new == 4  # the good lines, the line with a lone surrogate, and the next file
        assert archive.stats().articles == 5  # and nothing stored before is lost
        kept = archive.get(article_id(url="https://x.test/\ufffd", title="", text=""))
        assert isinstance(kept, Article) and kept.title == "عنوان \ufffd الثالث"
        failures = sorted(archive.failures(), key=lambda f: f.position)
    assert [(f.source, f.position, f.reader) for f in failures] == [
        (str(lines), "line 2", "jsonl"),
        (str(lines), "line 4", "jsonl"),
    ]
    assert failures[0].reason.startswith("JSON nested too deep") and failures[0].excerpt.startswith("[[[")
    assert failures[1].reason == "not a valid akhbar article: field 'id' must be a non-empty string, got dict"


def test_cli_ingest_of_bad_json_lines_reports_them_without_a_traceback(tmp_path: Path) -> None:
    lines = tmp_path / "items.jsonl"
    good = json.dumps({"title": "عنوان الخبر", "text": "نص الخبر كاملا."}, ensure_ascii=False)
    lines.write_text("\n".join([good, DEEP, '{"title": "\\ud800", "text": "\\udc00 نص"}']) + "\n", encoding="utf-8")
    only_bad = tmp_path / "bad.jsonl"
    only_bad.write_text(DEEP + "\n", encoding="utf-8")
    runner = CliRunner()
    db = str(tmp_path / "akhbar.db")
    result = runner.invoke(app, ["ingest", str(lines), "--db", db])
    assert result.exit_code == 0 and result.exception is None, result.output
    assert "Traceback" not in result.output and "JSON nested too deep" in result.stderr
    # Nothing at all read: exit status 1, as for any input that gives no article (see `akhbar ingest --help`).
    result = runner.invoke(app, ["ingest", str(only_bad), "--db", db])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output and "JSON nested too deep" in result.stderr
    result = runner.invoke(app, ["failures", "--json", "--db", db])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    quarantined = sorted((Path(row["source"]).name, row["position"]) for row in rows)
    assert quarantined == [("bad.jsonl", "line 1"), ("items.jsonl", "line 2")]


@pytest.mark.parametrize(
    ("url", "title", "text"),
    [
        (None, "\ud800", "\udfff"),
        ("https://example.com/\ud800", "", ""),
        ("http://[unclosed/x", "", ""),
        ("http://[::1", "", ""),
        (None, "", ""),
    ],
)
def test_article_id_never_raises(url: str | None, title: str, text: str) -> None:
    assert len(article_id(url=url, title=title, text=text)) == 20


def test_a_reader_bug_on_a_posted_document_is_one_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    """The API's path (read_text_document) has the same last line of defence as files: a failure, not a 500."""
    from akhbar.ingest import detect
    from akhbar.ingest.base import ReadOptions

    def broken(data: bytes, source: str, options: ReadOptions) -> list[Article]:
        raise ZeroDivisionError("a bug")

    monkeypatch.setitem(detect.BYTES_READERS, "textpage", broken)
    records = list(detect.read_text_document(PAGE.encode("utf-8"), "posted.txt", ReadOptions()))
    assert len(records) == 1 and not isinstance(records[0], Article)
    assert "internal error reading posted.txt" in records[0].reason and "ZeroDivisionError" in records[0].reason


def test_posted_json_nested_too_deep_or_with_a_lone_surrogate(tmp_path: Path) -> None:
    """POST /api/ingest with the bodies that once gave 500: 400 for JSON nested too deep; a lone surrogate is
    replaced and the article stored."""
    from fastapi.testclient import TestClient

    from akhbar.serve.app import create_app

    with TestClient(create_app(tmp_path / "api.db"), base_url="http://127.0.0.1") as client:
        deep = client.post("/api/ingest", content=DEEP.encode(), headers={"Content-Type": "application/json"})
        assert deep.status_code == 400 and "nested too deep" in deep.json()["error"]
        body = '{"title": "عنوان \\ud800 تجريبي", "text": "' + PAGE.replace("\n", " ") + '"}'
        posted = client.post("/api/ingest", content=body.encode(), headers={"Content-Type": "application/json"})
        assert posted.status_code == 201, posted.text
        assert "\ufffd" in posted.json()["articles"][0]["title"]


def test_failure_excerpts_are_printable() -> None:
    from akhbar.model import excerpt_of

    assert excerpt_of("a\x1b[31mb\nc\td\ud800e\x85") == "a\\x1b[31mb\nc\td\ufffde\\x85"
    assert excerpt_of(b"\xff\x07x") == "\ufffd\\x07x"
