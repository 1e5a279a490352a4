"""Inputs and format detection: folders, globs, .gz, stdin-like streams, and damaged input that must not crash."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from akhbar.ingest.base import ReadOptions
from akhbar.ingest.detect import InputFile, detect_format, iter_inputs, read_input
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
