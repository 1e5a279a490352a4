"""The HTML page reader: extraction rules for Arabic news pages and robustness on hostile input."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone

import pytest

from akhbar.ingest.base import ReadOptions
from akhbar.ingest.html import read_html, sniff_charset, strip_site_name
from akhbar.ingest.markup import body_parts
from akhbar.model import Article, Failure, article_id

OPTIONS = ReadOptions()

# Original fixture text (written for these tests).
P1 = "أعلنت بلدية المدينة صباح اليوم عن خطة جديدة لتوسيع شبكة الحدائق العامة في الأحياء الشرقية خلال العام المقبل."
P2 = "وقال رئيس البلدية في مؤتمر صحفي إن الخطة تشمل زراعة آلاف الأشجار وإنشاء ممرات للمشاة والدراجات."
P3 = "وأوضح أن التمويل سيأتي من ميزانية البلدية ومن مساهمات شركات محلية أبدت رغبتها في دعم المشروع."
P4 = "ويأمل السكان أن تخفف الحدائق الجديدة من حرارة الصيف وأن توفر أماكن آمنة للعب الأطفال في المساء."


def one(data: bytes | str, **kwargs: object) -> Article | Failure:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    records = list(read_html(raw, "page.html", kwargs.pop("options", OPTIONS), **kwargs))  # type: ignore[arg-type]
    assert len(records) == 1
    return records[0]


def article(data: bytes | str, **kwargs: object) -> Article:
    record = one(data, **kwargs)
    assert isinstance(record, Article), record
    return record


def page(head: str = "", body: str = "", title: str = "خطة لتوسيع الحدائق العامة") -> str:
    title_tag = f"<title>{title}</title>" if title else ""
    head = f'<meta charset="utf-8">{title_tag}{head}'
    return f'<!DOCTYPE html><html lang="ar" dir="rtl"><head>{head}</head><body>{body}</body></html>'


FULL_PAGE = page(
    title="خطة لتوسيع الحدائق العامة - صحيفة المدينة",
    head="""
<meta property="og:site_name" content="صحيفة المدينة">
<meta name="keywords" content="حدائق، بيئة، بلدية">
<link rel="canonical" href="/news/2023/parks-plan">
<script type="application/ld+json">
{"@context": "https://schema.org", "@graph": [
  {"@type": "Organization", "@id": "#org", "name": "صحيفة المدينة"},
  {"@type": "NewsArticle", "headline": "خطة لتوسيع الحدائق العامة",
   "datePublished": "2023-09-13T10:15:00+03:00", "dateModified": "2023-09-14T08:00:00+03:00",
   "author": {"@type": "Person", "name": "سلمى يوسف"}, "publisher": {"@id": "#org"},
   "keywords": ["مدن", "حدائق"]}
]}
</script>""",
    body=f"""
<header><nav><a href="/">الرئيسية</a> <a href="/local">محليات</a> <a href="/sport">رياضة</a></nav></header>
<article>
  <h1>خطة لتوسيع الحدائق العامة</h1>
  <div class="byline">كتبت: سلمى يوسف</div>
  <p>{P1}</p>
  <p>{P2}</p>
  <p><strong>اقرأ أيضاً:</strong> <a href="/news/2023/old-park">افتتاح حديقة الكورنيش بعد تجديدها</a></p>
  <h2>مصادر التمويل</h2>
  <p>{P3}</p>
  <div class="related-news">
    <h3>أخبار ذات صلة</h3>
    <ul>
      <li><a href="https://www.example.com/news/2023/trees">حملة لزراعة الأشجار في المدارس</a></li>
      <li><a href="/news/2023/bikes">مسارات جديدة للدراجات</a></li>
    </ul>
  </div>
  <h3>آراء السكان</h3>
  <p>{P4}</p>
  <div class="article-tags">الكلمات المفتاحية: <a href="/tag/1">حدائق</a> <a href="/tag/2">مساحات خضراء</a></div>
</article>
<footer><p>جميع الحقوق محفوظة لصحيفة المدينة</p></footer>
""",
)
PAGE_URL = "https://www.example.com/news/2023/parks-plan?utm_source=feed"


def test_full_page_fields() -> None:
    a = article(FULL_PAGE, url=PAGE_URL)
    assert a.title == "خطة لتوسيع الحدائق العامة"
    assert a.url == "https://www.example.com/news/2023/parks-plan"  # canonical, resolved against the page URL
    assert a.id == article_id(url="https://example.com/news/2023/parks-plan", title="", text="")
    assert a.outlet == "صحيفة المدينة"
    assert a.author == "سلمى يوسف"
    assert a.published_at == datetime(2023, 9, 13, 10, 15, tzinfo=timezone(timedelta(hours=3)))
    assert a.published_at is not None and a.published_at.utcoffset() == timedelta(hours=3)
    assert a.provenance.reader == "html" and a.provenance.source == "page.html"


def test_sub_headings_are_heading_blocks_in_order() -> None:
    a = article(FULL_PAGE, url=PAGE_URL)
    assert [(b.type, b.text) for b in a.body] == [
        ("paragraph", P1),
        ("paragraph", P2),
        ("heading", "مصادر التمويل"),
        ("paragraph", P3),
        ("heading", "آراء السكان"),
        ("paragraph", P4),
    ]


def test_read_also_links_go_to_related_not_body() -> None:
    a = article(FULL_PAGE, url=PAGE_URL)
    assert [r.title for r in a.related] == [
        "افتتاح حديقة الكورنيش بعد تجديدها",
        "حملة لزراعة الأشجار في المدارس",
        "مسارات جديدة للدراجات",
    ]
    assert a.related[0].id == article_id(url="https://www.example.com/news/2023/old-park", title="", text="")
    assert a.related[2].id == article_id(url="https://example.com/news/2023/bikes", title="", text="")
    for words in ("اقرأ", "ذات صلة", "الكورنيش", "الدراجات في", "مسارات جديدة", "كتبت"):
        assert words not in a.text


def test_tags_from_json_ld_meta_and_tag_box_deduped() -> None:
    a = article(FULL_PAGE, url=PAGE_URL)
    assert a.tags == ["مدن", "حدائق", "بيئة", "بلدية", "مساحات خضراء"]
    assert "الكلمات المفتاحية" not in a.text


def test_tag_label_with_plain_text_split_on_arabic_comma() -> None:
    a = article(
        page(body=f"<article><p>{P1}</p><p>{P2}</p><p>كلمات دلالية: البيئة، الحدائق العامة؛ البلدية</p></article>")
    )
    assert a.tags == ["البيئة", "الحدائق العامة", "البلدية"]
    assert "كلمات دلالية" not in a.text
    assert [b.text for b in a.body] == [P1, P2]


def test_byline_stripped_to_author() -> None:
    a = article(
        page(body=f'<article><span class="author-name">بقلم: خالد منصور</span><p>{P1}</p><p>{P2}</p></article>')
    )
    assert a.author == "خالد منصور"
    assert "بقلم" not in a.text and "خالد" not in a.text


def test_byline_line_in_text() -> None:
    a = article(page(body=f"<article><p>كتب: عمر فاروق</p><p>{P1}</p><p>{P2}</p></article>"))
    assert a.author == "عمر فاروق"
    assert a.body[0].text == P1


def test_meta_author_preferred_over_byline_and_outlet_author_ignored() -> None:
    head = '<meta name="author" content="صحيفة المدينة"><meta property="og:site_name" content="صحيفة المدينة">'
    a = article(
        page(head=head, body=f"<article><div class='byline'>كتب: نادر سليم</div><p>{P1}</p><p>{P2}</p></article>")
    )
    assert a.author == "نادر سليم"  # the site's own name in meta[author] is not an author


def test_date_from_arabic_text_line_keeps_zone() -> None:
    body = f"""<article><p class="date">نشر في: الأربعاء 13 سبتمبر 2023 - 10:15 صباحًا بتوقيت مكة</p>
    <p>{P1}</p><p>{P2}</p></article>"""
    a = article(page(body=body))
    assert a.published_at is not None
    assert a.published_at.replace(tzinfo=None) == datetime(2023, 9, 13, 10, 15)
    assert a.published_at.utcoffset() == timedelta(hours=3)
    assert "نشر في" not in a.text


def test_date_from_publication_label_variant() -> None:
    body = f"<article><div>تاريخ النشر: 2023-09-13T08:30:00+02:00</div><p>{P1}</p><p>{P2}</p></article>"
    a = article(page(body=body))
    assert a.published_at == datetime(2023, 9, 13, 8, 30, tzinfo=timezone(timedelta(hours=2)))


def test_meta_published_time_before_text_and_modified() -> None:
    head = """<meta property="article:modified_time" content="2023-09-20T09:00:00+00:00">
    <meta property="article:published_time" content="2023-09-12T21:05:00+04:00">"""
    body = f"<article><p>نشر في: 1 يناير 2020</p><p>{P1}</p><p>{P2}</p></article>"
    a = article(page(head=head, body=body))
    assert a.published_at == datetime(2023, 9, 12, 21, 5, tzinfo=timezone(timedelta(hours=4)))


def test_modified_time_is_the_last_resort() -> None:
    head = '<meta property="og:updated_time" content="2023-09-20T09:00:00+00:00">'
    a = article(page(head=head, body=f"<article><p>{P1}</p><p>{P2}</p></article>"))
    assert a.published_at == datetime(2023, 9, 20, 9, 0, tzinfo=UTC)


def test_no_date_is_none_and_dates_in_body_are_not_taken() -> None:
    body = f"<article><p>{P1} وسيبدأ التنفيذ في 13 سبتمبر 2024.</p><p>{P2}</p></article>"
    a = article(page(body=body))
    assert a.published_at is None


def test_body_sentence_starting_with_publish_verb_is_kept() -> None:
    sentence = "نشر في الصحيفة نفسها تقرير عن الحدائق قبل عامين."
    a = article(page(body=f"<article><p>{P1}</p><p>{sentence}</p><p>{P2}</p></article>"))
    assert sentence in a.text


def test_title_strips_site_name() -> None:
    head = '<meta property="og:site_name" content="الوطن">'
    assert article(page(head=head, title="خطة الحدائق | الوطن", body=f"<p>{P1}</p><p>{P2}</p>")).title == "خطة الحدائق"
    assert strip_site_name("عنوان الخبر - سكاي نيوز عربية", ["سكاي نيوز عربية"]) == "عنوان الخبر"
    assert strip_site_name("الوطن | عنوان الخبر", ["الوطن"]) == "عنوان الخبر"
    assert strip_site_name("عنوان الخبر - موقع ما", [], guess=True) == "عنوان الخبر"
    assert strip_site_name("عنوان الخبر - موقع ما", []) == "عنوان الخبر - موقع ما"


def test_og_title_preferred_and_h1_fallback() -> None:
    head = '<meta property="og:title" content="عنوان من الوسم المفتوح">'
    assert article(page(head=head, body=f"<p>{P1}</p><p>{P2}</p>")).title == "عنوان من الوسم المفتوح"
    a = article(page(title="", body=f"<article><h1>عنوان من الرأس الأول</h1><p>{P1}</p><p>{P2}</p></article>"))
    assert a.title == "عنوان من الرأس الأول"
    assert a.body[0].text == P1  # the h1 is the title, not a body heading


def test_outlet_fallback_to_options() -> None:
    a = article(page(body=f"<p>{P1}</p><p>{P2}</p>"), options=ReadOptions(outlet="موقع الاختبار"))
    assert a.outlet == "موقع الاختبار"


def test_cp1256_page_with_declaration() -> None:
    html = page(body=f"<article><p>{P1}</p><p>{P2}</p></article>").replace(
        '<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">'
    )
    data = html.encode("cp1256")
    assert sniff_charset(data) == "cp1256"
    a = article(data)
    assert a.title == "خطة لتوسيع الحدائق العامة"
    assert a.body[0].text == P1


def test_cp1256_page_without_declaration() -> None:
    html = page(body=f"<article><p>{P1}</p><p>{P2}</p></article>").replace('<meta charset="utf-8">', "")
    assert article(html.encode("cp1256")).body[1].text == P2


def test_no_title_is_a_failure() -> None:
    f = one(page(title="", body=f"<article><p>{P1}</p><p>{P2}</p></article>"))
    assert isinstance(f, Failure)
    assert "no title" in f.reason
    assert f.reader == "html" and f.position == "byte 0"


def test_no_text_is_a_failure() -> None:
    f = one(page(body="<div><img src='x.jpg'></div>"))
    assert isinstance(f, Failure) and f.reason == "no article text found"


@pytest.mark.parametrize("data", [b"", b"   \n", bytes(range(256)) * 20, b"\x89PNG\r\n\x1a\n" + bytes(2000)])
def test_empty_or_binary_input_is_a_failure(data: bytes) -> None:
    f = one(data)
    assert isinstance(f, Failure) and f.reason.startswith("not an HTML page")


def test_oversize_page_is_a_failure() -> None:
    f = one(page(body=f"<p>{P1}</p>"), options=ReadOptions(max_document_bytes=100))
    assert isinstance(f, Failure) and "exceeds the limit" in f.reason


def test_deeply_nested_page_does_not_raise() -> None:
    deep = page(body="<div>" * 10_000 + f"<p>{P1}</p>" + "</div>" * 10_000)
    started = time.monotonic()
    record = one(deep)
    assert time.monotonic() - started < 5
    assert isinstance(record, Failure | Article)
    if isinstance(record, Failure):
        assert "nested deeper" in record.reason


def test_deep_nesting_after_the_article_keeps_the_article() -> None:
    deep = page(body=f"<article><p>{P1}</p><p>{P2}</p></article>" + "<div>" * 10_000 + "</div>" * 10_000)
    assert article(deep).body[0].text == P1


@pytest.mark.parametrize("kind", ["paragraphs", "inline-script"])
def test_20mb_page_does_not_raise(kind: str) -> None:
    if kind == "paragraphs":
        filler = "".join(
            f"<p>الفقرة رقم {i} من نص تجريبي طويل يتكرر بأرقام مختلفة حتى يكبر حجم الصفحة.</p>" for i in range(146_000)
        )
        html = page(body=f"<article>{filler}</article>")
    else:
        html = page(
            head="<script>var state = '" + "x" * 20_000_000 + "';</script>",
            body=f"<article><p>{P1}</p><p>{P2}</p></article>",
        )
    data = html.encode("utf-8")
    assert len(data) >= 20_000_000
    started = time.monotonic()
    record = one(data)
    assert time.monotonic() - started < 10
    assert isinstance(record, Article)
    assert record.body[0].text.startswith("الفقرة رقم 0") if kind == "paragraphs" else record.body[0].text == P1


def test_huge_page_without_container_is_a_clear_failure() -> None:
    html = page(body="".join(f"<div><span>خلية {i}</span></div>" for i in range(20_000)))
    f = one(html)
    assert isinstance(f, Failure) and "page too large to extract" in f.reason


def test_container_provenance_and_reference_time() -> None:
    body = f"<article><p>نشر في: منذ ساعتين</p><p>{P1}</p><p>{P2}</p></article>"
    fetched = datetime(2023, 9, 13, 12, 0, tzinfo=UTC)
    a = article(page(body=body), url="http://example.com/a", reference=fetched, offset=1234, record="<urn:uuid:1>")
    assert a.provenance.offset == 1234 and a.provenance.record == "<urn:uuid:1>"
    assert a.published_at == datetime(2023, 9, 13, 10, 0, tzinfo=UTC)
    assert a.url == "http://example.com/a"


def test_body_parts_of_a_fragment() -> None:
    fragment = f"""<p>{P1}</p><h2>عنوان فرعي</h2><p>{P2}<br>{P3}</p>
    <p>إقرأ أيضاً: <a href="/x">خبر آخر</a></p><ul><li>بند أول</li><li>بند ثان</li></ul>"""
    parts = body_parts(fragment, "https://example.com/news/1")
    assert [(b.type, b.text) for b in parts.blocks] == [
        ("paragraph", P1),
        ("heading", "عنوان فرعي"),
        ("paragraph", P2),
        ("paragraph", P3),
        ("paragraph", "بند أول"),
        ("paragraph", "بند ثان"),
    ]
    assert [r.title for r in parts.related] == ["خبر آخر"]
    assert parts.related[0].id == article_id(url="https://example.com/x", title="", text="")


def test_read_also_inside_running_text_is_not_cut() -> None:
    sentence = (
        "ودعا المسؤول المواطنين إلى أن يقرأوا أيضا التعليمات المنشورة على موقع البلدية قبل زيارة الحدائق الجديدة."
    )
    a = article(page(body=f"<article><p>{P1}</p><p>{sentence}</p></article>"))
    assert sentence in a.text


@pytest.mark.parametrize("line", ["عدد المشاهدات: 1,284", "1.2K مشاهدة", "٣٤٥ تعليق", "طباعة", "شارك"])
def test_page_furniture_lines_are_not_body(line: str) -> None:
    page = (
        "<html><head><title>قمة في الشرق الأقصى</title></head><body><article><h1>قمة في الشرق الأقصى</h1>"
        f"<p>{line}</p><p>التقى الزعيمان في قاعدة فضائية بأقصى الشرق الروسي وبحثا ملفات التعاون العسكري والتقني.</p>"
        "<p>وقال المتحدث إن المحادثات استمرت ساعات وتناولت ملفات إقليمية عدة بينها الوضع في شبه الجزيرة.</p>"
        "</article></body></html>"
    )
    (article,) = [r for r in read_html(page.encode(), "p.html", ReadOptions()) if isinstance(r, Article)]
    assert all(block.text != line for block in article.body)
    assert len(article.body) >= 2


def test_old_table_layout_page_gives_only_the_article() -> None:
    """A Windows-1256 page laid out with a table: menu, sidebar, poll and footer stay out of the body."""
    from tests.conftest import EXAMPLES

    path = EXAMPLES / "html" / "04_putin_in_pyongyang_cp1256.html"
    (article,) = [r for r in read_html(path.read_bytes(), str(path), ReadOptions()) if isinstance(r, Article)]
    text = article.text
    assert len(article.body) == 6 and all(b.type == "paragraph" for b in article.body)
    assert article.body[0].text.startswith("أقيمت في ساحة كيم إيل سونغ")
    for furniture in ("الرئيسية", "الأكثر قراءة", "استطلاع الرأي", "جميع الحقوق محفوظة"):
        assert furniture not in text


def test_json_ld_nested_too_deep_is_ignored_and_the_page_read() -> None:
    deep_ld = '<script type="application/ld+json">' + "[" * 50_000 + "]" * 50_000 + "</script>"
    a = article(page(head=deep_ld, body=f"<article><p>{P1}</p><p>{P2}</p></article>"))
    assert a.title == "خطة لتوسيع الحدائق العامة" and a.body[0].text == P1


def test_json_ld_lone_surrogate_becomes_a_replacement_character() -> None:
    ld = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "خطة \\ud800 الحدائق",'
        ' "author": {"@type": "Person", "name": "سلمى \\udfff"}, "keywords": "حدائق\\ud800"}</script>'
    )
    a = article(page(head=ld, body=f"<article><p>{P1}</p><p>{P2}</p></article>", title=""))
    assert a.title == "خطة \ufffd الحدائق" and a.author == "سلمى \ufffd"
    assert a.id == article_id(url=None, title=a.title, text=a.text)


SIDEBAR_PAGE = page(
    title="افتتاح مكتبة عامة جديدة",
    body=f"""
<div class="layout">
<article>
  <h1>افتتاح مكتبة عامة جديدة</h1>
  <p>{P1}</p>
  <p>{P2}</p>
  <div class="related-articles"><h3>اقرأ أيضاً</h3>
    <ul><li><a href="/news/2023/old-library">ترميم المكتبة القديمة في وسط المدينة</a></li></ul>
  </div>
  <p>{P3}</p>
</article>
<aside class="sidebar">
  <div class="related-news"><h3>أخبار ذات صلة</h3>
    <ul><li><a href="/news/2023/weather">طقس حار في نهاية الأسبوع</a></li></ul>
  </div>
</aside>
<div class="box-most-read"><h3>الأكثر قراءة</h3>
  <ul><li><a href="/news/2023/match">فوز الفريق المحلي في المباراة النهائية</a></li>
      <li><a href="/news/2023/prices">ارتفاع أسعار الخضار في الأسواق</a></li></ul>
</div>
<div class="more-news"><h3>الأكثر مشاهدة</h3>
  <ul><li><a href="/news/2023/video">فيديو: حريق في مستودع قديم</a></li></ul>
</div>
</div>
""",
)


def test_only_the_articles_own_read_also_is_related_never_the_sites_sidebars() -> None:
    """A "related news" widget in the sidebar and the site's "most read" lists are the site's news, not this
    article's read also: linking them sent readers to pages nobody had asked for."""
    a = article(SIDEBAR_PAGE, url="https://www.example.com/news/2023/library")
    assert [r.title for r in a.related] == ["ترميم المكتبة القديمة في وسط المدينة"]
    assert "المكتبة القديمة" not in a.text


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ('<span class="date">الخميس 8 غشت 2024 - 23:05</span>', datetime(2024, 8, 8, 23, 5)),
        ("<time>12 حزيران يونيو 2024</time>", datetime(2024, 6, 12)),
        ('<div id="publish-info">السبت 3 شتنبر 2022</div>', datetime(2022, 9, 3)),
    ],
)
def test_a_date_the_page_prints_without_a_cue_word_is_read(markup: str, expected: datetime) -> None:
    """No meta, no JSON-LD, no «نشر في:»: the date sits in an element named for a date (or a <time> with no
    machine-readable value), in a Maghrebi or a double month name."""
    html = page(
        title="خطة الحدائق", body=f"<article><h1>خطة الحدائق</h1>{markup}<p>{P1}</p><p>{P2}</p><p>{P3}</p></article>"
    )
    a = article(html, url="https://example.com/news/parks")
    assert a.published_at == expected
    assert not any(str(expected.year) in b.text for b in a.body)


@pytest.mark.parametrize(
    ("byline", "author"),
    [
        ('<p class="meta">كتبت: سلمى يوسف</p>', "سلمى يوسف"),
        ("<p>حوار: أحمد علي</p>", "أحمد علي"),
        ("<p>إعداد: منى سعيد</p>", "منى سعيد"),
        ("<p>المصدر: وكالة الأنباء الرسمية</p>", None),
        ('<meta name="author" content="https://example.com/images/logo.png">', None),
    ],
)
def test_bylines_in_the_ways_arabic_pages_write_them(byline: str, author: str | None) -> None:
    """The feminine كتبت, an interview's حوار, a feature's إعداد are bylines; a source line or a logo's path is no
    author (better none than the outlet or an image)."""
    head, body = (byline, "") if byline.startswith("<meta") else ("", byline)
    html = page(
        title="خطة الحدائق",
        head=head,
        body=f"<article><h1>خطة الحدائق</h1>{body}<p>{P1}</p><p>{P2}</p><p>{P3}</p></article>",
    )
    a = article(html, url="https://example.com/news/parks")
    assert a.author == author
    if author:
        assert author not in a.text


@pytest.mark.parametrize(
    ("meta_author", "author"),
    [
        # the outlet in another form than the page's own name for it, or the newsroom: better no author
        ("صحيفة المدينة نت", None),
        ("المدينة", None),
        ("Al Madina", None),
        ("فريق التحرير", None),
        ("Editorial Team", None),
        ("admin", None),
        # a person whose name holds a word like the outlet's is still the author
        ("عبد الله المدني", "عبد الله المدني"),
        ("سارة المدينة حسن", "سارة المدينة حسن"),
    ],
)
def test_the_outlet_or_its_newsroom_is_not_an_author(meta_author: str, author: str | None) -> None:
    html = page(
        title="خطة الحدائق",
        head=f'<meta property="og:site_name" content="صحيفة المدينة"><meta name="author" content="{meta_author}">',
        body=f"<article><h1>خطة الحدائق</h1><p>{P1}</p><p>{P2}</p><p>{P3}</p></article>",
    )
    assert article(html, url="https://www.almadina.com/news/parks").author == author


@pytest.mark.parametrize("head_title", ["خطة لتوسيع الحدائق العامة في... | صحيفة المدينة", "صحيفة المدينة"])
def test_the_h1_wins_over_a_title_cut_short_or_that_only_names_the_site(head_title: str) -> None:
    """No og:title, no JSON-LD: the page's <h1> is the title (once: not again as the first block); the <title>'s
    other segment names the outlet when nothing else does."""
    h1 = "خطة لتوسيع الحدائق العامة في الأحياء الشرقية"
    html = page(
        title=head_title, body=f'<div class="logo">صحيفة المدينة</div><div><h1>{h1}</h1><p>{P1}</p><p>{P2}</p></div>'
    )
    a = article(html, url="https://example.com/news/parks")
    assert a.title == h1
    assert a.body[0].text == P1
    assert a.outlet == ("صحيفة المدينة" if "|" in head_title else None)


def test_a_sites_comment_policy_under_the_article_is_not_its_text() -> None:
    policy = [
        "التعليقات المنشورة لا تعبر عن رأي الموقع وإنما تعبر عن رأي أصحابها.",
        "يرجى الالتزام بآداب الحوار وعدم الإساءة.",
    ]
    body = f"<article><h1>خطة الحدائق</h1><p>{P1}</p><p>{P2}</p><p>{P3}</p>" + "".join(f"<p>{t}</p>" for t in policy)
    a = article(page(title="خطة الحدائق", body=body + "</article>"), url="https://example.com/news/parks")
    assert [b.text for b in a.body] == [P1, P2, P3]


LEAD = "تبدأ البلدية الشهر المقبل أكبر مشروع للحدائق في تاريخ المدينة بكلفة تتجاوز عشرين مليون دينار."
BODY = f"<p>{P1}</p><p>{P2}</p><p>{P3}</p>"


@pytest.mark.parametrize(
    "layout",
    [
        f'<h1>خطة الحدائق</h1><div class="article-lead"><p>{LEAD}</p></div><div class="article-body">{BODY}</div>',
        f'<div class="header"><h1>خطة الحدائق</h1><h2 class="summary">{LEAD}</h2></div><div>{BODY}</div>',
    ],
)
def test_a_lead_in_its_own_container_above_the_body_opens_the_text(layout: str) -> None:
    a = article(page(title="خطة الحدائق", body=layout), url="https://example.com/news/parks")
    assert [b.text for b in a.body] == [LEAD, P1, P2, P3]


def test_a_summary_elsewhere_on_the_page_is_not_taken_for_the_lead() -> None:
    layout = f'<h1>خطة الحدائق</h1><div class="article-body">{BODY}</div><aside><p class="summary">{LEAD}</p></aside>'
    a = article(page(title="خطة الحدائق", body=layout), url="https://example.com/news/parks")
    assert [b.text for b in a.body] == [P1, P2, P3]


def test_a_machine_date_stamped_utc_that_is_the_local_time_shown_gives_way_to_the_sites_zone() -> None:
    """The CMS wrote 23:05 local time as 23:05Z; the page shows 23:05 and the run knows the site is in Casablanca
    (UTC+1 in August): the publication time is 23:05+01:00, not an hour later."""
    from zoneinfo import ZoneInfo

    html = page(
        title="خطة الحدائق",
        head='<meta property="article:published_time" content="2024-08-08T23:05:00Z">',
        body='<article><h1>خطة الحدائق</h1><span class="date">الخميس 8 غشت 2024 - 23:05</span>'
        f"<p>{P1}</p><p>{P2}</p></article>",
    )
    casablanca = ReadOptions(default_tz=ZoneInfo("Africa/Casablanca"))
    (found,) = [
        r
        for r in read_html(html.encode(), "page.html", casablanca, url="https://example.ma/a")
        if isinstance(r, Article)
    ]
    assert found.published_at == datetime(2024, 8, 8, 23, 5, tzinfo=ZoneInfo("Africa/Casablanca"))
    (plain,) = [
        r for r in read_html(html.encode(), "page.html", OPTIONS, url="https://example.ma/a") if isinstance(r, Article)
    ]
    assert plain.published_at == datetime(2024, 8, 8, 23, 5, tzinfo=UTC)  # no zone known: the page's value stands
