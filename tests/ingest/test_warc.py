"""WARC reader: HTML responses become articles, everything else is skipped and counted, damage is reported."""

from __future__ import annotations

import gzip
import io
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from warcio.archiveiterator import ArchiveIterator as WarcioIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from akhbar.ingest.base import PageReader, ReadOptions, Record
from akhbar.ingest.html import read_html
from akhbar.ingest.warc import read_warc
from akhbar.model import Article, Failure

OPTIONS = ReadOptions()


def html_page(n: int, charset_meta: bool = True) -> str:
    meta = '<meta charset="utf-8">' if charset_meta else ""
    return (
        f"<html><head>{meta}<title>الخبر رقم {n} - موقع التجربة</title></head><body><article>"
        f"<p>هذه الفقرة الأولى من الخبر رقم {n} وهي تروي تفاصيل حدث محلي في المدينة.</p>"
        f"<p>وهذه فقرة ثانية تضيف معلومات أخرى عن الخبر رقم {n} وعن ردود الفعل عليه.</p>"
        "</article></body></html>"
    )


def _response(
    writer: WARCWriter, url: str, body: bytes, content_type: str, status: str = "200 OK", **extra: str
) -> None:
    headers = [("Content-Type", content_type), *extra.items()]
    http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http))


def build_warc(path: Path, *, gz: bool) -> list[str]:
    """A small archive of 5 HTML pages among requests, images, a PDF, a redirect and metadata; returns page URLs."""
    urls = []
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "akhbar-tests"}))
        for n in range(3):
            url = f"https://example.com/news/{n}"
            request = StatusAndHeaders(f"GET /news/{n} HTTP/1.1", [("Host", "example.com")], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", http_headers=request))
            _response(writer, url, html_page(n).encode(), "text/html; charset=utf-8")
            urls.append(url)
        _response(writer, "https://example.com/logo.jpg", b"\xff\xd8\xff\xe0" + bytes(300), "image/jpeg")
        _response(writer, "https://example.com/report.pdf", b"%PDF-1.4\n" + bytes(300), "application/pdf")
        _response(writer, "https://example.com/old", b"<html><body>moved</body></html>", "text/html", "301 Moved")
        metadata = io.BytesIO(b"outlink: https://example.com/news/0\n")
        writer.write_record(
            writer.create_warc_record(
                urls[0], "metadata", payload=metadata, warc_content_type="application/warc-fields"
            )
        )
        # The charset only in the HTTP header; a page served gzip-encoded; a page with a vague content type.
        cp_page = html_page(3, charset_meta=False).encode("cp1256")
        _response(writer, "https://example.com/news/3", cp_page, "text/html; charset=windows-1256")
        gz_page = gzip.compress(html_page(4).encode())
        _response(writer, "https://example.com/news/4", gz_page, "text/html", **{"Content-Encoding": "gzip"})
        _response(writer, "https://example.com/news/5", html_page(5).encode(), "application/octet-stream")
        urls += ["https://example.com/news/3", "https://example.com/news/4", "https://example.com/news/5"]
    return urls


def read(
    path: Path, data: bytes | None = None, read_page: PageReader = read_html
) -> tuple[list[Article | Failure], Counter[str]]:
    counts: Counter[str] = Counter()
    stream = io.BytesIO(data) if data is not None else path.open("rb")
    with stream:
        return list(read_warc(stream, str(path), OPTIONS, read_page=read_page, counters=counts)), counts


@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
def test_html_responses_become_articles(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("a.warc.gz" if gz else "a.warc")
    urls = build_warc(path, gz=gz)
    out, _ = read(path)
    assert all(isinstance(r, Article) for r in out), out
    articles = [r for r in out if isinstance(r, Article)]
    assert [a.url for a in articles] == urls
    assert [a.title for a in articles] == [f"الخبر رقم {n}" for n in range(6)]
    assert articles[3].body[0].text.startswith("هذه الفقرة الأولى من الخبر رقم 3")  # cp1256 via the HTTP charset
    assert all(a.provenance.reader == "warc" and a.provenance.source == str(path) for a in articles)


def test_provenance_offset_and_record_id_find_the_record_again(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    build_warc(path, gz=True)
    out, _ = read(path)
    with path.open("rb") as fh:
        for article in out:
            assert isinstance(article, Article) and article.provenance.offset is not None
            fh.seek(article.provenance.offset)
            record = next(iter(WarcioIterator(fh)))
            assert article.provenance.record == record.rec_headers.get_header("WARC-Record-ID")
            assert record.rec_headers.get_header("WARC-Target-URI") == article.url


def test_non_html_records_are_skipped_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    build_warc(path, gz=True)
    _, counts = read(path)
    assert counts["records"] == 14
    assert counts["html"] == 6
    assert counts["skipped_non_html"] == 8
    assert counts["skipped:warcinfo"] == 1
    assert counts["skipped:request"] == 3
    assert counts["skipped:metadata"] == 1
    assert counts["skipped:image/jpeg"] == 1
    assert counts["skipped:application/pdf"] == 1
    assert counts["skipped:status 301"] == 1
    assert counts["damaged"] == 0


@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
def test_truncated_archive_gives_articles_before_and_one_failure(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("a.warc.gz" if gz else "a.warc")
    build_warc(path, gz=gz)
    data = path.read_bytes()
    full, _ = read(path)
    # Cut inside the last page's record.
    last = full[-1]
    assert isinstance(last, Article) and last.provenance.offset is not None
    cut = last.provenance.offset + (len(data) - last.provenance.offset) // 2
    out, counts = read(path, data[:cut])
    assert out[:-1] == full[:-1]
    assert isinstance(out[-1], Failure)
    assert "truncated" in out[-1].reason
    assert out[-1].reader == "warc"
    assert counts["damaged"] == 1


def test_archive_cut_between_gzip_members_in_header(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    build_warc(path, gz=True)
    data = path.read_bytes()
    full, _ = read(path)
    second = full[1]
    assert isinstance(second, Article) and second.provenance.offset is not None
    out, _ = read(path, data[: second.provenance.offset + 40])  # a few bytes into the next gzip member
    articles = [r for r in out if isinstance(r, Article)]
    failures = [r for r in out if isinstance(r, Failure)]
    assert articles == full[:1]
    assert len(failures) == 1


def test_not_a_warc_is_a_failure(tmp_path: Path) -> None:
    out, _ = read(tmp_path / "x.warc", b"<html><body>not an archive</body></html>")
    assert len(out) == 1 and isinstance(out[0], Failure)
    assert out[0].position == "byte 0"


def test_empty_stream_gives_nothing(tmp_path: Path) -> None:
    out, counts = read(tmp_path / "x.warc", b"")
    assert out == [] and counts["records"] == 0


def test_counters_are_optional(tmp_path: Path) -> None:
    path = tmp_path / "a.warc"
    build_warc(path, gz=False)
    with path.open("rb") as fh:
        assert len(list(read_warc(fh, str(path), OPTIONS, read_page=read_html))) == 6


def test_pages_without_arabic_are_skipped_before_extraction_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "mixed.warc.gz"
    urls = build_warc(path, gz=True)
    english = (
        "<html><head><meta charset='utf-8'><title>Summit in Vladivostok</title></head><body><article>"
        + "<p>The leaders met at the cosmodrome for talks on arms, space and trade, officials said.</p>" * 5
        + "</article></body></html>"
    )
    with path.open("ab") as fh:
        writer = WARCWriter(fh, gzip=True)
        _response(writer, "https://example.org/en/summit", english.encode(), "text/html; charset=utf-8")
        _response(writer, "https://example.org/fr/sommet", english.replace("The", "Les").encode(), "text/html")
    counts: Counter[str] = Counter()
    with path.open("rb") as stream:
        records = list(
            read_warc(stream, str(path), ReadOptions(arabic_pages_only=True), read_page=read_html, counters=counts)
        )
    assert sorted(r.url for r in records if isinstance(r, Article)) == sorted(urls)  # the windows-1256 page too
    assert counts["skipped_language"] == 2 and counts["html"] == len(urls)
    everything = read(path)[0]
    assert len([r for r in everything if isinstance(r, Article)]) == len(urls) + 2  # not asked: all pages extracted


def test_damage_in_one_archive_does_not_cut_the_next_archive_of_the_run(tmp_path: Path) -> None:
    """One counter shared by a run (as the CLI passes it): each archive keeps its own accounting."""
    good = tmp_path / "good.warc.gz"
    urls = build_warc(good, gz=True)
    data = good.read_bytes()
    damaged = tmp_path / "damaged.warc.gz"
    damaged.write_bytes(data[: len(data) * 4 // 5])
    run: Counter[str] = Counter()
    outputs = []
    for path in (damaged, good, good):
        with path.open("rb") as stream:
            outputs.append(list(read_warc(stream, str(path), OPTIONS, read_page=read_html, counters=run)))
    first, second, third = outputs
    assert [type(r) for r in first[:-1]] == [Article] * (len(first) - 1) and isinstance(first[-1], Failure)
    assert "truncated" in first[-1].reason
    for out in (second, third):
        assert all(isinstance(r, Article) for r in out), out
        assert [r.url for r in out if isinstance(r, Article)] == urls
    # The run's totals are the sum of each archive's counts.
    per_file = [read(path)[1] for path in (damaged, good, good)]
    assert run == per_file[0] + per_file[1] + per_file[2]
    assert run["damaged"] == 1 and run["html"] == len(first) - 1 + 2 * len(urls)


def test_an_unexpected_error_on_one_page_is_a_failure_for_that_record(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    urls = build_warc(path, gz=True)

    def flaky(data: bytes, *args: Any, url: str | None = None, **kwargs: Any) -> Iterator[Record]:
        if url == urls[1]:
            raise RuntimeError("a bug in the page reader")
        return read_html(data, *args, url=url, **kwargs)

    out, counts = read(path, read_page=flaky)
    failures = [r for r in out if isinstance(r, Failure)]
    assert [r.url for r in out if isinstance(r, Article)] == [u for u in urls if u != urls[1]]
    assert len(failures) == 1 and failures[0].position.startswith("record <urn:uuid:")
    assert "internal error" in failures[0].reason and "RuntimeError: a bug in the page reader" in failures[0].reason
    assert counts["errors"] == 1 and counts["damaged"] == 0
