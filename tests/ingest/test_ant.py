"""ANT corpus readers: the multisource JSON lines and the JawharaFM TREC-like tarball."""

from __future__ import annotations

import gzip
import io
import itertools
import json
import re
import tarfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from akhbar.ingest import ant
from akhbar.ingest.ant import OUTLETS, read_ant_jsonl, read_ant_tar, read_ant_trec
from akhbar.ingest.base import ReadOptions
from akhbar.model import Article, Failure, article_id

OPTIONS = ReadOptions()

# Fixtures in the corpus' shapes, with text written for these tests.
ROWS = [
    {
        "docno": "AL-sport-1-20180301",
        "url": "http://www.alarabiya.net/ar/sports/2018/03/01/مباراة.html",
        "src": "alarabia",
        "cat": "sport",
        "title": "فوز الفريق المحلي في مباراة الافتتاح",
        "time": "Thu, 01 Mar 2018 21:35:43 +0400",
        "author": "دبي - سامر نبيل",
        "abstract": "فاز الفريق المحلي في مباراة الافتتاح",
        "text": "فاز الفريق المحلي في مباراة الافتتاح بهدفين.\nوسجل #لاعب_الوسط الهدف الثاني في الدقيقة الأخيرة.",
        "path": "Alarabia/sport/AL-sport-1-20180301.txt",
    },
    {
        "docno": "SK-economy-2-20180302",
        "url": "https://www.skynewsarabia.com/business/2-اسعار",
        "src": "skynews",
        "cat": "economy",
        "title": "استقرار أسعار الذهب",
        "time": "Fri, 02 Mar 2018 09:00:00 GMT",
        "author": "",
        "abstract": "",
        "text": "استقرت أسعار الذهب في تعاملات الصباح.",
        "path": "SkyNews/economy/SK-economy-2-20180302.txt",
    },
]


def jsonl(rows: list[object]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()


def test_multisource_row_fields() -> None:
    first, second = read_ant_jsonl(io.BytesIO(gzip.compress(jsonl(ROWS))), "ms.jsonl.gz", OPTIONS)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.title == "فوز الفريق المحلي في مباراة الافتتاح"
    assert first.outlet == "العربية" and second.outlet == "سكاي نيوز عربية"
    assert first.tags == ["رياضة"] and second.tags == ["اقتصاد"]
    assert first.published_at == datetime(2018, 3, 1, 21, 35, 43, tzinfo=timezone(timedelta(hours=4)))
    assert second.published_at == datetime(2018, 3, 2, 9, 0, tzinfo=UTC)
    assert first.author == "دبي - سامر نبيل" and second.author is None
    assert "#لاعب_الوسط" in first.text  # inline hashtags are kept as they are
    assert first.body[0].text == "فاز الفريق المحلي في مباراة الافتتاح بهدفين."
    assert first.id == article_id(url=ROWS[0]["url"], title="", text="")  # type: ignore[arg-type]
    assert first.provenance.record == "AL-sport-1-20180301" and first.provenance.reader == "ant-jsonl"
    assert second.provenance.offset == len(jsonl(ROWS[:1]))


def test_multisource_bad_rows() -> None:
    rows = [{**ROWS[1], "text": "", "abstract": ""}, "not json", {**ROWS[1], "title": ""}, ROWS[0]]
    data = b"".join((r.encode() + b"\n") if isinstance(r, str) else jsonl([r]) for r in rows)
    out = list(read_ant_jsonl(io.BytesIO(data), "ms.jsonl", OPTIONS))
    assert [type(r).__name__ for r in out] == ["Failure", "Failure", "Failure", "Article"]
    assert isinstance(out[0], Failure) and out[0].position == "record SK-economy-2-20180302"
    assert "text" in out[0].reason
    assert isinstance(out[1], Failure) and out[1].position == "line 2" and out[1].reason.startswith("invalid JSON")
    assert isinstance(out[2], Failure) and "title" in out[2].reason


TREC = """<DOC>
<DOCNO>JA-culture-7-20170516</DOCNO>
<URL>http://www.jawharafm.net/ar/article/مهرجان/95/1</URL>
<SRC>Jawhara FM</SRC>
<CAT>culture</CAT>
<TITLE>انطلاق مهرجان المدينة للموسيقى</TITLE>
<TIME>2017-05-16T10:31:00+01:00</TIME>
<AUTHOR></AUTHOR>
<ABSTRACT>
انطلقت مساء اليوم فعاليات المهرجان.
</ABSTRACT>
<TEXT>
انطلقت مساء اليوم فعاليات مهرجان المدينة للموسيقى & الفنون بمشاركة فرق محلية.
ويستمر المهرجان أسبوعا كاملا، والدخول < 5 دنانير للعروض الصباحية.
</TEXT>
</DOC>
<DOC>
<DOCNO>JA-sport-8-20160701</DOCNO>
<URL>http://www.jawharafm.net/ar/article/مباراة/96/2</URL>
<SRC>Jawhara FM</SRC>
<CAT>localNews</CAT>
<TITLE>تأجيل مباراة الدربي</TITLE>
<TIME>01/07/2016</TIME>
<ABSTRACT>
</ABSTRACT>
<TEXT>
قررت الجامعة تأجيل مباراة الدربي إلى موعد لاحق.
</DOC>
"""


def test_trec_documents_tolerant_parse() -> None:
    first, second = read_ant_trec(io.BytesIO(TREC.encode()), "ja.txt", OPTIONS)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.title == "انطلاق مهرجان المدينة للموسيقى"
    assert first.outlet == "الجوهرة أف أم"
    assert first.tags == ["ثقافة"] and second.tags == ["وطنية"]
    assert first.published_at == datetime(2017, 5, 16, 10, 31, tzinfo=timezone(timedelta(hours=1)))
    assert [b.text for b in first.body] == [
        "انطلقت مساء اليوم فعاليات مهرجان المدينة للموسيقى & الفنون بمشاركة فرق محلية.",
        "ويستمر المهرجان أسبوعا كاملا، والدخول < 5 دنانير للعروض الصباحية.",
    ]
    assert first.provenance.record == "JA-culture-7-20170516" and first.provenance.offset == 0
    # Missing <AUTHOR>, unclosed <TEXT>, a bare day: read, zone left unknown.
    assert second.author is None
    assert second.text == "قررت الجامعة تأجيل مباراة الدربي إلى موعد لاحق."
    assert second.published_at == datetime(2016, 7, 1)
    tunis = ReadOptions(default_tz=timezone(timedelta(hours=1)))
    _, with_zone = read_ant_trec(io.BytesIO(TREC.encode()), "ja.txt", tunis)
    assert isinstance(with_zone, Article)
    assert with_zone.published_at == datetime(2016, 7, 1, tzinfo=timezone(timedelta(hours=1)))


def test_trec_unterminated_document_is_a_failure() -> None:
    data = TREC.encode() + "<DOC>\n<DOCNO>JA-x-1</DOCNO>\n<TITLE>مقطوع".encode()
    out = list(read_ant_trec(io.BytesIO(data), "ja.txt", OPTIONS))
    assert [type(r).__name__ for r in out] == ["Article", "Article", "Failure"]
    assert isinstance(out[-1], Failure) and "unterminated" in out[-1].reason
    assert out[-1].position == f"byte {len(TREC.encode())}"


def _tarball(path: Path, docs: int) -> None:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in [("antj/README.md", b"# readme\n"), ("antj/LICENSE", b"license text\n")]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for n in range(docs):
            docno = f"JA-sport-{n}-20170101"
            text = TREC.split("</DOC>")[0].replace("JA-culture-7-20170516", docno) + "</DOC>\n"
            # Varied text so that the archive does not compress to nothing.
            data = text.replace("فرق محلية", f"فرق محلية رقم {n * 7919 % 10007} و{n}").encode()
            info = tarfile.TarInfo(f"antj/sport/{docno}.txt")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def test_tarball_members(tmp_path: Path) -> None:
    path = tmp_path / "ja.tar.gz"
    _tarball(path, 30)
    with path.open("rb") as fh:
        out = list(read_ant_tar(fh, str(path), OPTIONS))
    assert len(out) == 30 and all(isinstance(a, Article) for a in out)
    assert [a.provenance.record for a in out if isinstance(a, Article)] == [f"JA-sport-{n}-20170101" for n in range(30)]


def test_truncated_tarball_gives_articles_before_and_one_failure(tmp_path: Path) -> None:
    path = tmp_path / "ja.tar.gz"
    _tarball(path, 200)
    data = path.read_bytes()
    out = list(read_ant_tar(io.BytesIO(data[: len(data) // 2]), str(path), OPTIONS))
    articles = [r for r in out if isinstance(r, Article)]
    assert len(articles) > 10
    assert all(isinstance(r, Article) for r in out[:-1])
    assert isinstance(out[-1], Failure) and "truncated" in out[-1].reason


def test_not_a_tarball_is_a_failure() -> None:
    (f,) = read_ant_tar(io.BytesIO(b"not a tar archive at all" * 40), "x.tar.gz", OPTIONS)
    assert isinstance(f, Failure) and f.position == "byte 0"


# ----------------------------------------------------------------------------------------------------------------
# The real corpus in ../shared (skipped when absent).
# ----------------------------------------------------------------------------------------------------------------


def test_multisource_first_500_rows(shared_data: Path) -> None:
    path = shared_data / "ant" / "multisource-v2.1.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        raw = [json.loads(line) for line in itertools.islice(fh, 500)]
    with path.open("rb") as fh:
        out = list(itertools.islice(read_ant_jsonl(fh, str(path), OPTIONS), 500))
    assert len(out) == 500
    assert all(isinstance(a, Article) for a in out), [f for f in out if isinstance(f, Failure)][:3]
    for row, a in zip(raw, out, strict=True):
        assert isinstance(a, Article)
        assert a.provenance.record == row["docno"]
        assert a.outlet == OUTLETS[row["src"].lower()]
        assert a.published_at is not None and a.published_at.tzinfo is not None
        offset = re.search(r"([+-]\d{4}|GMT)$", row["time"])
        assert offset is not None
        expected = timedelta(0) if offset.group(1) == "GMT" else timedelta(hours=int(offset.group(1)[1:3]))
        assert a.published_at.utcoffset() == expected
        assert a.title == " ".join(row["title"].split())
        assert a.url == row["url"]


def test_jawharafm_first_200_documents(shared_data: Path) -> None:
    path = shared_data / "ant" / "jawharafm-v1.1.tar.gz"
    with path.open("rb") as fh:
        out = list(itertools.islice(read_ant_tar(fh, str(path), OPTIONS), 200))
    assert len(out) == 200
    articles = [a for a in out if isinstance(a, Article)]
    assert len(articles) >= 195, [f for f in out if isinstance(f, Failure)]
    assert {a.outlet for a in articles} == {"الجوهرة أف أم"}
    for a in articles:
        assert a.provenance.record and a.provenance.record.startswith("JA-")
        assert a.title and a.body
        if a.published_at is not None and a.published_at.tzinfo is not None:
            assert a.published_at.utcoffset() == timedelta(hours=1)
    assert sum(1 for a in articles if a.published_at is not None) >= 195


def test_multisource_line_nested_too_deep_or_with_a_lone_surrogate_does_not_stop_the_file() -> None:
    deep = ("[" * 50_000 + "]" * 50_000).encode() + b"\n"
    surrogate = json.dumps({**ROWS[1], "title": "استقرار \ud800 أسعار الذهب"}).encode() + b"\n"  # "\ud800" escaped
    out = list(read_ant_jsonl(io.BytesIO(deep + surrogate + jsonl(ROWS[:1])), "ms.jsonl", OPTIONS))
    assert [type(r).__name__ for r in out] == ["Failure", "Article", "Article"]
    assert isinstance(out[0], Failure) and out[0].reason.startswith("JSON nested too deep")
    assert isinstance(out[1], Article) and out[1].title == "استقرار \ufffd أسعار الذهب"


def test_trec_unexpected_error_on_one_document_is_a_failure_for_it(monkeypatch: pytest.MonkeyPatch) -> None:
    real = ant._article

    def flaky(fields: dict[str, str], *args: Any) -> Article | Failure:
        if fields["title"] == "انطلاق مهرجان المدينة للموسيقى":
            raise RuntimeError("a bug")
        return real(fields, *args)

    monkeypatch.setattr(ant, "_article", flaky)
    out = list(read_ant_trec(io.BytesIO(TREC.encode()), "ja.txt", OPTIONS))
    assert [type(r).__name__ for r in out] == ["Failure", "Article"]
    assert isinstance(out[0], Failure) and out[0].position == "byte 0"
    assert out[0].reason == "internal error reading this document: RuntimeError: a bug; please report"
