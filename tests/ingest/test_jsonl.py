"""JSON-lines reader: field mapping, our own output read back, bad lines."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from akhbar.ingest import jsonl as jsonl_reader
from akhbar.ingest.base import ReadOptions
from akhbar.ingest.jsonl import read_jsonl
from akhbar.model import Article, Block, Failure, Provenance, RelatedRef, article_id

OPTIONS = ReadOptions()


def jsonl(*rows: Any) -> bytes:
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows).encode()


def read(data: bytes, options: ReadOptions = OPTIONS) -> list[Article | Failure]:
    return list(read_jsonl(io.BytesIO(data), "items.jsonl", options))


ROW = {
    "title": "افتتاح مكتبة عامة في الحي القديم",
    "text": "افتتحت البلدية مكتبة عامة جديدة.\nوتضم المكتبة آلاف الكتب للأطفال والكبار.",
    "url": "https://example.com/library",
    "date": "2023-09-13T10:15:00+03:00",
    "author": "كتب: حسن ربيع",
    "tags": "ثقافة، كتب، مكتبات",
    "source": "جريدة الحي",
}


def test_default_keys() -> None:
    (a,) = read(jsonl(ROW))
    assert isinstance(a, Article)
    assert a.title == ROW["title"]
    assert [b.text for b in a.body] == ["افتتحت البلدية مكتبة عامة جديدة.", "وتضم المكتبة آلاف الكتب للأطفال والكبار."]
    assert a.url == ROW["url"]
    assert a.id == article_id(url=ROW["url"], title="", text="")
    assert a.published_at == datetime(2023, 9, 13, 10, 15, tzinfo=timezone(timedelta(hours=3)))
    assert a.author == "حسن ربيع"
    assert a.tags == ["ثقافة", "كتب", "مكتبات"]
    assert a.outlet == "جريدة الحي"
    assert a.provenance == Provenance("items.jsonl", "jsonl", 0, "line 1")


def test_field_map() -> None:
    row = {
        "headline_ar": "عنوان مخصص",
        "story": "نص القصة المخصص.",
        "when": "13/09/2023",
        "kw": ["أ", "ب"],
        "title": "لا",
    }
    options = ReadOptions(field_map={"title": "headline_ar", "text": "story", "published_at": "when", "tags": "kw"})
    (a,) = read(jsonl(row), options)
    assert isinstance(a, Article)
    assert a.title == "عنوان مخصص"
    assert a.text == "نص القصة المخصص."
    assert a.published_at == datetime(2023, 9, 13)  # no zone in the input, none invented
    assert a.tags == ["أ", "ب"]


def test_field_map_names_only_the_mapped_key() -> None:
    (f,) = read(jsonl({"title": "عنوان", "text": "نص"}), ReadOptions(field_map={"text": "story"}))
    assert isinstance(f, Failure)
    assert f.reason == "missing field 'text' (looked for 'story')"


def test_malformed_line_then_next_line_still_read() -> None:
    data = jsonl(ROW, '{"title": "مكسور", "text": ', {**ROW, "url": "https://example.com/2"})
    out = read(data)
    assert [type(r).__name__ for r in out] == ["Article", "Failure", "Article"]
    bad = out[1]
    assert isinstance(bad, Failure)
    assert bad.position == "line 2"
    assert bad.reason.startswith("invalid JSON: ")
    assert str(bad).startswith("items.jsonl @ line 2: invalid JSON: ")
    assert bad.excerpt.startswith('{"title": "مكسور"')
    third = out[2]
    assert isinstance(third, Article) and third.provenance.record == "line 3"
    assert third.provenance.offset == len(jsonl(ROW)) + len(jsonl('{"title": "مكسور", "text": '))


def test_missing_title_or_text_names_the_field() -> None:
    out = read(jsonl({"text": "نص بلا عنوان"}, {"title": "عنوان بلا نص"}, [1, 2], "", "   "))
    assert [f.reason for f in out if isinstance(f, Failure)] == [
        "missing field 'title' (looked for 'title/headline/name')",
        "missing field 'text' (looked for 'text/body/content/article/maintext/description')",
        "expected a JSON object, got list",
    ]
    assert [f.position for f in out if isinstance(f, Failure)] == ["line 1", "line 2", "line 3"]


def test_html_text_and_list_text_and_epoch_dates() -> None:
    rows = [
        {"title": "أ", "content": "<p>فقرة</p><h2>عنوان فرعي</h2><p>فقرة أخرى</p>", "published": 1694589300},
        {"title": "ب", "body": ["الفقرة الأولى", "الفقرة الثانية"], "time": 1694589300000},
    ]
    first, second = read(jsonl(*rows))
    assert isinstance(first, Article) and isinstance(second, Article)
    assert [(b.type, b.text) for b in first.body] == [
        ("paragraph", "فقرة"),
        ("heading", "عنوان فرعي"),
        ("paragraph", "فقرة أخرى"),
    ]
    assert first.published_at == second.published_at == datetime(2023, 9, 13, 7, 15, tzinfo=UTC)
    assert second.text == "الفقرة الأولى\nالفقرة الثانية"


def test_outlet_and_author_objects_and_own_id() -> None:
    row = {"docno": "X-1", "title": "ت", "text": "ن", "source": {"id": "s", "name": "الموقع"}, "authors": ["أ", "ب"]}
    (a,) = read(jsonl(row), ReadOptions(outlet="احتياطي"))
    assert isinstance(a, Article)
    assert a.outlet == "الموقع" and a.author == "أ، ب" and a.provenance.record == "X-1"
    (b,) = read(jsonl({"title": "ت", "text": "ن"}), ReadOptions(outlet="احتياطي"))
    assert isinstance(b, Article) and b.outlet == "احتياطي"


def test_own_json_output_round_trips() -> None:
    original = Article(
        id="0123456789abcdef0123",
        title="عنوان محفوظ",
        body=[Block("paragraph", "فقرة أولى"), Block("heading", "فرعي"), Block("paragraph", "فقرة ثانية")],
        provenance=Provenance("page.html", "html", None, None),
        url="https://example.com/saved",
        outlet="موقع",
        attribution="وكالة",
        published_at=datetime(2023, 9, 13, 10, 15, tzinfo=timezone(timedelta(hours=3))),
        author="كاتب",
        tags=["وسم"],
        related=[RelatedRef("abcdefabcdefabcdefab", "خبر مرتبط")],
    )
    (back,) = read(jsonl(original.to_json()))
    assert back == original


def test_own_json_without_provenance_gets_ours() -> None:
    row = {"id": "abc", "title": "عنوان", "body": [{"type": "paragraph", "text": "نص"}]}
    (a,) = read(jsonl(row))
    assert isinstance(a, Article) and a.id == "abc"
    assert a.provenance == Provenance("items.jsonl", "jsonl", 0, "line 1")


def test_gzip_stream_and_truncated_gzip() -> None:
    # Rows that do not compress to almost nothing, so that half of the gzip holds many of them.
    rows = [{**ROW, "url": f"https://example.com/{i}", "text": hashlib.sha256(bytes(i)).hexdigest()} for i in range(50)]
    packed = gzip.compress(jsonl(*rows))
    assert len([r for r in read(packed) if isinstance(r, Article)]) == 50
    out = read(packed[: len(packed) // 2])
    assert all(isinstance(r, Article) for r in out[:-1]) and len(out) > 2
    assert isinstance(out[-1], Failure) and "truncated" in out[-1].reason


def test_overlong_line_is_a_failure_and_reading_goes_on() -> None:
    long_row = {**ROW, "text": "ن" * 5000}
    out = read(jsonl(long_row, ROW), ReadOptions(max_document_bytes=2000))
    assert isinstance(out[0], Failure) and "longer than the limit" in out[0].reason
    assert isinstance(out[1], Article) and out[1].provenance.record == "line 2"


def test_cp1256_line_is_decoded() -> None:
    raw = json.dumps({"title": "عنوان", "text": "نص"}, ensure_ascii=False).encode("cp1256") + b"\n"
    (a,) = read(raw)
    assert isinstance(a, Article) and a.title == "عنوان"


DEEP = "[" * 50_000 + "]" * 50_000  # json.loads raises RecursionError here, not JSONDecodeError


def test_line_nested_too_deep_is_a_failure_and_reading_goes_on() -> None:
    out = read(jsonl(ROW, DEEP, '{"title": ' + DEEP + "}", {**ROW, "url": "https://example.com/2"}))
    assert [type(r).__name__ for r in out] == ["Article", "Failure", "Failure", "Article"]
    for bad, line in zip(out[1:3], ("line 2", "line 3"), strict=True):
        assert isinstance(bad, Failure) and bad.position == line and bad.reader == "jsonl"
        assert bad.reason.startswith("JSON nested too deep")
        assert bad.excerpt.startswith("[[[" if line == "line 2" else '{"title": [[[')
    assert isinstance(out[3], Article) and out[3].provenance.record == "line 4"


def test_lone_surrogates_are_replaced_in_every_string_and_the_article_is_kept() -> None:
    """Policy: a lone surrogate is an encoding error of one character, replaced by U+FFFD; the line is kept."""
    line = (
        '{"title": "عنوان \\ud800 الخبر", "text": "نص \\uDFFF الخبر\\nفقرة \\ud83d\\ude00 ثانية",'
        ' "url": "https://example.com/\\ud800", "author": "\\udc00", "tags": ["وسم\\ud800"], "\\ud800": 1}'
    )
    (a,) = read(jsonl(line))
    assert isinstance(a, Article)
    assert a.title == "عنوان \ufffd الخبر"
    assert [b.text for b in a.body] == ["نص \ufffd الخبر", "فقرة 😀 ثانية"]  # a surrogate *pair* is one emoji
    assert a.url == "https://example.com/\ufffd" and a.author == "\ufffd" and a.tags == ["وسم\ufffd"]
    json.dumps(a.to_json(), ensure_ascii=False).encode("utf-8")  # storable: no surrogate anywhere
    assert a.id == article_id(url="https://example.com/\ufffd", title="", text="")


def test_own_json_with_a_lone_surrogate_is_kept_with_a_replacement_character() -> None:
    line = '{"id": "abc", "title": "عنوان \\ud800", "body": [{"type": "paragraph", "text": "\\udfff نص"}]}'
    (a,) = read(jsonl(line))
    assert isinstance(a, Article) and a.title == "عنوان \ufffd" and a.body[0].text == "\ufffd نص"


def test_number_python_will_not_convert_is_invalid_json_not_a_crash() -> None:
    out = read(jsonl('{"title": "عنوان", "text": "نص", "date": ' + "9" * 5000 + "}", ROW))
    assert isinstance(out[0], Failure) and out[0].reason.startswith("invalid JSON: ")
    assert isinstance(out[1], Article)


def test_own_json_with_fields_of_the_wrong_type_is_a_failure_naming_the_field() -> None:
    body = [{"type": "paragraph", "text": "نص"}]
    good = {"id": "abc", "title": "عنوان", "body": body}
    rows = [
        {**good, "id": {"x": 1}},
        {**good, "id": 5},
        {**good, "title": ["عنوان"]},
        {**good, "url": 7},
        {**good, "author": ["كاتب"]},
        {**good, "tags": [1, 2]},
        {**good, "related": [{"id": "x", "title": None}]},
        {**good, "lang": 3},
    ]
    out = read(jsonl(*rows, good))
    assert [f.reason for f in out if isinstance(f, Failure)] == [
        "not a valid akhbar article: field 'id' must be a non-empty string, got dict",
        "not a valid akhbar article: field 'id' must be a non-empty string, got int",
        "not a valid akhbar article: field 'title' must be a non-empty string, got list",
        "not a valid akhbar article: field 'url' must be a string or null, got int",
        "not a valid akhbar article: field 'author' must be a string or null, got list",
        "not a valid akhbar article: field 'tags' must be a list of strings",
        "not a valid akhbar article: field 'related' must be a list of objects with string 'id' and 'title'",
        "not a valid akhbar article: field 'lang' must be a string or null, got int",
    ]
    assert isinstance(out[-1], Article)


def test_own_json_with_a_malformed_provenance_gets_ours() -> None:
    row = {"id": "abc", "title": "عنوان", "body": [{"type": "paragraph", "text": "نص"}], "provenance": [1]}
    other = {**row, "provenance": {"source": 5, "reader": "html", "offset": "y"}}
    a, b = read(jsonl(row, other))
    assert isinstance(a, Article) and a.provenance == Provenance("items.jsonl", "jsonl", 0, "line 1")
    assert isinstance(b, Article) and b.provenance == Provenance("items.jsonl", "jsonl", len(jsonl(row)), "line 2")


def test_an_unexpected_error_on_one_line_is_a_failure_for_that_line(monkeypatch: pytest.MonkeyPatch) -> None:
    real = jsonl_reader._mapped

    def flaky(obj: dict[str, Any], *args: Any) -> Article | Failure:
        if obj.get("url") == "https://example.com/2":
            raise RuntimeError("a bug")
        return real(obj, *args)

    monkeypatch.setattr(jsonl_reader, "_mapped", flaky)
    out = read(jsonl(ROW, {**ROW, "url": "https://example.com/2"}, {**ROW, "url": "https://example.com/3"}))
    assert [type(r).__name__ for r in out] == ["Article", "Failure", "Article"]
    assert isinstance(out[1], Failure) and out[1].position == "line 2"
    assert out[1].reason == "internal error reading this line: RuntimeError: a bug; please report"
