"""Inputs and format detection: folders, globs, .gz, stdin-like streams, and damaged input that must not crash."""

from __future__ import annotations

import gzip
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest

from akhbar.ingest.base import ReadOptions, decode_text
from akhbar.ingest.detect import STREAM_READERS, InputFile, detect_format, iter_inputs, read_input
from akhbar.model import Article, Failure
from tests.conftest import EXAMPLES

PAGE = "عنوان الخبر\nتاريخ النشر: 13th, September 2023 GMT\nنص الخبر الأول في سطر واحد.\n"


@pytest.mark.parametrize(
    ("name", "head", "fmt"),
    [
        ("a.txt", PAGE.encode(), "textpage"),
        ("a", PAGE.encode(), "textpage"),
        ("a.html", b"<p>x</p>", "html"),
        ("page", b"<!DOCTYPE html><html lang='ar'>", "html"),
        ("feed.xml", b'<?xml version="1.0"?><rss version="2.0">', "feed"),
        ("x", b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">', "feed"),
        ("a.warc.gz", b"\x1f\x8b", "warc"),
        ("a", b"WARC/1.0\r\n", "warc"),
        ("a.jsonl", b'{"title": "x"}\n', "jsonl"),
        ("a", b'{"docno": "AL-1", "src": "alarabia", "text": "x"}\n', "ant"),
        ("jawhara.tar.gz", b"\x1f\x8b", "ant-trec"),
    ],
)
def test_detect_format(name: str, head: bytes, fmt: str) -> None:
    assert detect_format(name, head) == fmt


def test_folder_walk_reads_news_files_only() -> None:
    names = [i.name for i in iter_inputs(str(EXAMPLES)) if isinstance(i, InputFile)]
    assert any(n.endswith(".txt") for n in names) and any(n.endswith(".warc.gz") for n in names)
    assert not any(n.endswith((".md", ".py")) for n in names)


def test_glob_and_missing_paths(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(PAGE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(PAGE.replace("الأول", "الثاني"), encoding="utf-8")
    found = list(iter_inputs(str(tmp_path / "*.txt")))
    assert [Path(i.name).name for i in found if isinstance(i, InputFile)] == ["a.txt", "b.txt"]
    missing = list(iter_inputs(str(tmp_path / "nope.txt")))
    assert len(missing) == 1 and isinstance(missing[0], Failure) and "no such file" in missing[0].reason
    nomatch = list(iter_inputs(str(tmp_path / "*.html")))
    assert len(nomatch) == 1 and isinstance(nomatch[0], Failure)


def read_file(path: Path) -> list[Article | Failure]:
    return list(read_input(InputFile(str(path), path), ReadOptions()))


def test_gzipped_page(tmp_path: Path) -> None:
    path = tmp_path / "page.txt.gz"
    path.write_bytes(gzip.compress(PAGE.encode()))
    records = read_file(path)
    assert len(records) == 1 and isinstance(records[0], Article)


def test_truncated_gzip_is_one_failure(tmp_path: Path) -> None:
    data = gzip.compress((PAGE * 200).encode())
    path = tmp_path / "page.txt.gz"
    path.write_bytes(data[: len(data) // 2])
    records = read_file(path)
    assert len(records) == 1 and isinstance(records[0], Failure)
    assert records[0].source == str(path)


def test_truncated_gzip_jsonl_keeps_what_was_read(tmp_path: Path) -> None:
    lines = "".join(f'{{"title": "عنوان {i}", "text": "نص الخبر رقم {i} كاملا."}}\n' for i in range(2000))
    data = gzip.compress(lines.encode())
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(data[: len(data) * 2 // 3])
    records = read_file(path)
    articles = [r for r in records if isinstance(r, Article)]
    failures = [r for r in records if isinstance(r, Failure)]
    assert len(articles) > 100
    assert len(failures) == 1


def test_truncated_warc_keeps_records_before_the_damage(tmp_path: Path) -> None:
    data = (EXAMPLES / "warc" / "news.warc.gz").read_bytes()
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[: int(len(data) * 0.8)])
    records = read_file(path)
    assert any(isinstance(r, Article) for r in records)
    assert isinstance(records[-1], Failure)


def test_every_example_format_reads() -> None:
    expected = {"textpages": "textpage", "html": "html", "feeds": "feed", "jsonl": "jsonl", "warc": "warc"}
    for folder, reader in expected.items():
        inputs = [i for i in iter_inputs(str(EXAMPLES / folder)) if isinstance(i, InputFile)]
        records = [r for i in inputs if "/pages/" not in i.name for r in read_input(i, ReadOptions())]
        articles = [r for r in records if isinstance(r, Article)]
        assert articles, folder
        assert {a.provenance.reader for a in articles} == {reader}, folder


# --- decoding: a few bad bytes, byte order marks (issue 16, item 9) ----------------------------------------------

BODY = "أعلنت البلدية اليوم عن خطة جديدة لتوسيع الحدائق العامة في الأحياء الشرقية خلال العام المقبل."
UTF8_PAGE = f"خطة لتوسيع الحدائق\nتاريخ النشر: 13th, September 2023 GMT\n{BODY}\n"


def test_a_few_bad_bytes_keep_a_page_utf8() -> None:
    # Three stray bytes (a 0xff, a lead byte with no continuation, a lone continuation byte) in a UTF-8 page: the
    # page is UTF-8 with U+FFFD where the bad bytes were, not Windows-1256 mojibake.
    words = BODY.encode().split(b" ")
    damaged = b" ".join([words[0] + b"\xff", words[1], b"\xc3" + words[2], *words[3:-1], b"\x80" + words[-1]])
    data = "خطة لتوسيع الحدائق\n".encode() + damaged + b"\n"
    text = decode_text(data)
    assert text.startswith("خطة لتوسيع الحدائق\n")
    assert text.count("\ufffd") == 3
    assert text.replace("\ufffd", "") == "خطة لتوسيع الحدائق\n" + BODY + "\n"


def test_bad_bytes_in_a_short_utf8_title_line() -> None:
    assert (
        decode_text("عاجل: ".encode() + b"\xff" + " قمة في الشرق الأقصى".encode()) == "عاجل: \ufffd قمة في الشرق الأقصى"
    )


@pytest.mark.parametrize("text", [UTF8_PAGE, "قمة", "عنوان الخبر، والنص؟ نعم؛ كلمة«اقتباس»"])
def test_windows_1256_text_is_still_windows_1256(text: str) -> None:
    assert decode_text(text.encode("cp1256")) == text
    assert decode_text(text.encode("cp1256"), "utf-8") == text  # a wrong declaration does not make it UTF-8


def test_a_few_bad_bytes_through_the_reader(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(UTF8_PAGE.encode().replace(" الحدائق العامة".encode(), b" \xff\xfe" + "الحدائق العامة".encode()))
    records = read_file(path)
    assert len(records) == 1 and isinstance(records[0], Article)
    assert records[0].title == "خطة لتوسيع الحدائق"
    assert "\ufffd" in records[0].text and "الحدائق العامة" in records[0].text


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_a_text_page_with_a_byte_order_mark(tmp_path: Path, encoding: str) -> None:
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    path = tmp_path / "page.txt"
    path.write_bytes(bom + UTF8_PAGE.encode(encoding))
    records = read_file(path)
    assert len(records) == 1 and isinstance(records[0], Article), records
    assert records[0].title == "خطة لتوسيع الحدائق"
    assert records[0].text == BODY


HTML_PAGE = (
    '<!DOCTYPE html><html lang="ar"><head><meta charset="utf-16"><title>خطة لتوسيع الحدائق</title></head>'
    f"<body><article><p>{BODY}</p><p>{BODY.replace('الشرقية', 'الغربية')}</p></article></body></html>"
)


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe" + HTML_PAGE.encode("utf-16-le"),
        b"\xfe\xff" + HTML_PAGE.encode("utf-16-be"),
        ('<?xml version="1.0" encoding="UTF-16"?>' + HTML_PAGE.replace("<!DOCTYPE html>", "")).encode("utf-16"),
    ],
    ids=["utf-16-le meta", "utf-16-be meta", "xml declaration"],
)
def test_a_utf16_html_page_with_a_byte_order_mark(tmp_path: Path, data: bytes) -> None:
    assert detect_format("page", data[:4096]) == "html"  # sniffed through the UTF-16
    path = tmp_path / "page"
    path.write_bytes(data)
    records = read_file(path)
    assert len(records) == 1 and isinstance(records[0], Article), records
    assert records[0].title == "خطة لتوسيع الحدائق"
    assert records[0].body[0].text == BODY


def test_utf16_declared_without_a_byte_order_mark() -> None:
    # An HTTP header (or a WARC record's) may say UTF-16 for a page without a BOM: the bytes' shape says which order.
    assert decode_text(HTML_PAGE.encode("utf-16-le"), "utf-16") == HTML_PAGE
    assert decode_text(HTML_PAGE.encode("utf-16-be"), "UTF-16") == HTML_PAGE
    # A <meta charset=utf-16> read from ASCII bytes is wrong by construction (HTML's rule): the page is UTF-8.
    assert decode_text(HTML_PAGE.encode(), "utf-16") == HTML_PAGE


def test_a_utf16_feed_with_a_byte_order_mark(tmp_path: Path) -> None:
    rss = (
        '<?xml version="1.0" encoding="UTF-16"?><rss version="2.0"><channel><title>صحيفة المدينة</title>'
        f"<item><title>خطة لتوسيع الحدائق</title><description>{BODY}</description></item></channel></rss>"
    )
    path = tmp_path / "feed"
    path.write_bytes(rss.encode("utf-16"))
    records = read_file(path)
    assert len(records) == 1 and isinstance(records[0], Article), records
    assert records[0].title == "خطة لتوسيع الحدائق"


@pytest.mark.parametrize(
    "data", [b"\xff\xfe" + bytes(range(256)) * 40, b"\xef\xbb\xbf" + bytes(range(32)) * 100, b"\xff\xfe\x00\x00"]
)
def test_a_byte_order_mark_does_not_make_binary_data_text(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "blob.txt"
    path.write_bytes(data)
    records = read_file(path)
    assert len(records) == 1 and isinstance(records[0], Failure)
    assert "binary" in records[0].reason or "empty" in records[0].reason


def test_an_exception_escaping_a_reader_is_one_failure_and_the_next_input_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last line of defence: a reader's bug ends that input with a Failure, never the run."""
    real = STREAM_READERS["jsonl"]

    def buggy(stream: BinaryIO, source: str, options: ReadOptions) -> Iterator[Article | Failure]:
        records = real(stream, source, options)
        yield next(records)
        raise RuntimeError("a bug\nover two lines")

    monkeypatch.setitem(STREAM_READERS, "jsonl", buggy)
    first = tmp_path / "a.jsonl"
    first.write_text('{"title": "عنوان", "text": "نص الخبر."}\n' * 3, encoding="utf-8")
    second = tmp_path / "b.txt"
    second.write_text(PAGE, encoding="utf-8")
    out = read_file(first)
    assert [type(r).__name__ for r in out] == ["Article", "Failure"]
    bad = out[1]
    assert isinstance(bad, Failure) and bad.source == str(first) and bad.position == "after record 1"
    assert bad.reason == (
        f"internal error reading {first} after record 1: RuntimeError: a bug over two lines; please report"
    )
    assert bad.reader == "jsonl"
    assert [type(r).__name__ for r in read_file(second)] == ["Article"]


def test_first_line_nested_too_deep_is_read_as_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonl"
    path.write_text("[" * 50_000 + "]" * 50_000 + '\n{"title": "عنوان", "text": "نص الخبر."}\n', encoding="utf-8")
    out = read_file(path)
    assert [type(r).__name__ for r in out] == ["Failure", "Article"]
    assert isinstance(out[0], Failure) and out[0].reason.startswith("JSON nested too deep")


def test_file_name_that_is_not_utf8_is_recorded_with_escaped_bytes(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    try:
        with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "wb") as fh:
            fh.write(PAGE.encode())
    except OSError:
        pytest.skip("this file system only takes UTF-8 file names")
    (item,) = iter_inputs(str(folder))
    assert isinstance(item, InputFile)
    (a,) = read_input(item, ReadOptions())
    assert isinstance(a, Article) and a.provenance.source == str(folder / "caf\\xe9.txt")
    a.provenance.source.encode("utf-8")
