"""RSS/Atom reader."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from akhbar.ingest import feeds
from akhbar.ingest.base import ReadOptions
from akhbar.ingest.feeds import read_feed
from akhbar.model import Article, Failure, article_id

OPTIONS = ReadOptions()

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>نشرة الساحل</title><link>https://example.com/</link><description>أخبار المدن الساحلية</description>
  <item>
    <title>افتتاح ميناء الصيد بعد تحديثه</title>
    <link>https://example.com/news/port</link>
    <pubDate>Wed, 13 Sep 2023 10:15:00 +0300</pubDate>
    <dc:creator>كتب: مازن الحلبي</dc:creator>
    <category>اقتصاد، موانئ</category>
    <category>صيد</category>
    <description>ملخص قصير عن الميناء</description>
    <content:encoded><![CDATA[
      <p>افتتح المحافظ صباح اليوم ميناء الصيد بعد أشهر من أعمال التحديث والتوسعة.</p>
      <h2>أرصفة جديدة</h2>
      <p>وتشمل التحديثات أرصفة جديدة ومخازن مبردة لحفظ الأسماك.</p>
      <p><strong>اقرأ أيضا:</strong> <a href="/news/boats">قوارب حديثة للصيادين</a></p>
    ]]></content:encoded>
  </item>
  <item>
    <title>تحذير من رياح قوية</title>
    <link>https://example.com/news/wind</link>
    <pubDate>Thu, 14 Sep 2023 06:00:00 GMT</pubDate>
    <description>حذرت هيئة الأرصاد من رياح قوية على السواحل مساء الخميس.</description>
  </item>
  <item>
    <title>عنوان بلا نص</title>
    <link>https://example.com/news/empty</link>
  </item>
  <item>
    <title>خبر بعد عنصر فاشل</title>
    <link>https://example.com/news/after</link>
    <description>نص الخبر الذي يأتي بعد العنصر الفارغ.</description>
  </item>
</channel>
</rss>"""


def records(data: str | bytes, options: ReadOptions = OPTIONS) -> list[Article | Failure]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return list(read_feed(raw, "feed.xml", options))


def test_rss_entry_fields() -> None:
    first = records(RSS)[0]
    assert isinstance(first, Article)
    assert first.title == "افتتاح ميناء الصيد بعد تحديثه"
    assert first.url == "https://example.com/news/port"
    assert first.id == article_id(url="https://example.com/news/port", title="", text="")
    assert first.outlet == "نشرة الساحل"
    assert first.author == "مازن الحلبي"
    assert first.tags == ["اقتصاد", "موانئ", "صيد"]
    assert first.provenance.record == "item 1" and first.provenance.reader == "feed"


def test_rfc822_date_keeps_its_offset() -> None:
    first, second = records(RSS)[:2]
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.published_at == datetime(2023, 9, 13, 10, 15, tzinfo=timezone(timedelta(hours=3)))
    assert first.published_at is not None and first.published_at.utcoffset() == timedelta(hours=3)
    assert second.published_at == datetime(2023, 9, 14, 6, 0, tzinfo=UTC)


def test_content_encoded_goes_through_the_html_block_logic() -> None:
    first = records(RSS)[0]
    assert isinstance(first, Article)
    assert [(b.type, b.text) for b in first.body] == [
        ("paragraph", "افتتح المحافظ صباح اليوم ميناء الصيد بعد أشهر من أعمال التحديث والتوسعة."),
        ("heading", "أرصفة جديدة"),
        ("paragraph", "وتشمل التحديثات أرصفة جديدة ومخازن مبردة لحفظ الأسماك."),
    ]
    assert [r.title for r in first.related] == ["قوارب حديثة للصيادين"]
    assert first.related[0].id == article_id(url="https://example.com/news/boats", title="", text="")


def test_description_when_no_content_and_failure_for_empty_item() -> None:
    out = records(RSS)
    assert isinstance(out[1], Article)
    assert out[1].text == "حذرت هيئة الأرصاد من رياح قوية على السواحل مساء الخميس."
    assert isinstance(out[2], Failure) and out[2].position == "item 3" and "no text" in out[2].reason
    assert isinstance(out[3], Article) and out[3].provenance.record == "item 4"


def test_atom_feed() -> None:
    atom = """<?xml version="1.0" encoding="utf-8"?>
    <feed xmlns="http://www.w3.org/2005/Atom"><title>مدونة المدينة</title>
    <entry><title type="html">عنوان &lt;b&gt;بارز&lt;/b&gt;</title><link href="https://ex.com/a"/>
    <updated>2023-09-13T10:15:00+04:00</updated><author><name>منى سعيد</name></author>
    <category term="ثقافة"/>
    <content type="html">&lt;p&gt;الفقرة الأولى&lt;/p&gt;&lt;p&gt;الفقرة الثانية&lt;/p&gt;</content></entry></feed>"""
    (a,) = records(atom)
    assert isinstance(a, Article)
    assert a.title == "عنوان بارز"
    assert a.author == "منى سعيد"
    assert a.tags == ["ثقافة"]
    assert [b.text for b in a.body] == ["الفقرة الأولى", "الفقرة الثانية"]
    assert a.published_at == datetime(2023, 9, 13, 10, 15, tzinfo=timezone(timedelta(hours=4)))


def test_outlet_from_options_when_feed_has_no_title() -> None:
    rss = """<rss version="2.0"><channel><item><title>خبر</title><link>https://ex.com/1</link>
    <description>نص قصير</description></item></channel></rss>"""
    (a,) = records(rss, ReadOptions(outlet="موقع معروف"))
    assert isinstance(a, Article) and a.outlet == "موقع معروف" and a.published_at is None


def test_broken_feed_is_a_failure() -> None:
    for bad in (b"", "<html><body><p>ليست خلاصة</p></body></html>".encode(), b"\x00\x01\x02binary"):
        (f,) = records(bad)
        assert isinstance(f, Failure) and f.position == "byte 0" and "feed" in f.reason


def test_feed_input_is_never_taken_as_a_file_name() -> None:
    (f,) = records(b"/etc/hostname")
    assert isinstance(f, Failure)


def test_empty_but_valid_feed_gives_nothing() -> None:
    assert records('<rss version="2.0"><channel><title>فارغة</title></channel></rss>') == []


def test_character_reference_to_no_character_is_a_replacement_not_a_lost_feed() -> None:
    # feedparser itself raises on these (chr() of a surrogate or past U+10FFFF): the whole feed would be lost.
    feed = (
        RSS.replace("افتتاح ميناء الصيد", "افتتاح &#xD800; ميناء &#55296;&#x110000;&#0;")
        .replace("تحذير من رياح قوية", "تحذير &#99999999999999999999; &#x1F600; &amp;#55296;")
        .replace("حذرت هيئة الأرصاد", "&#x0000000645;حذرت هيئة الأرصاد")
    )
    out = records(feed)
    assert [type(r).__name__ for r in out] == ["Article", "Article", "Failure", "Article"]
    first, second = out[0], out[1]
    assert isinstance(first, Article) and first.title == "افتتاح \ufffd ميناء \ufffd\ufffd\ufffd بعد تحديثه"
    assert isinstance(second, Article) and second.title == "تحذير \ufffd 😀 &#55296;"  # text, not a reference
    assert second.text.startswith("محذرت")  # a valid reference with leading zeros is kept as it is


def test_an_unexpected_error_on_one_entry_is_a_failure_for_that_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    real = feeds._entry

    def flaky(entry: Any, index: int, *args: Any) -> Article | Failure:
        if index == 2:
            raise RuntimeError("a bug")
        return real(entry, index, *args)

    monkeypatch.setattr(feeds, "_entry", flaky)
    out = records(RSS)
    assert [type(r).__name__ for r in out] == ["Article", "Failure", "Failure", "Article"]
    assert isinstance(out[1], Failure) and out[1].position == "item 2"
    assert out[1].reason == "internal error reading this entry: RuntimeError: a bug; please report"
    assert "https://example.com/news/wind" in out[1].excerpt
