"""The aggregator text-page reader, through the pipeline (reader + display repair), on the seed page and examples."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from akhbar.ingest.base import ReadOptions
from akhbar.ingest.textpage import read_textpage, rebuild_tags
from akhbar.model import Article, Failure
from akhbar.pipeline import parse_source, prepare
from tests.conftest import EXAMPLES

LABELS = ("تاريخ النشر", "المصدر:", "كلمات دلالية", "إقرأ أيضاً")


def read(data: bytes | str, source: str = "page.txt") -> list[Article | Failure]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return [prepare(r) if isinstance(r, Article) else r for r in read_textpage(raw, source, ReadOptions())]


def test_seed_sample_every_field(seed_sample: Path) -> None:
    records = list(parse_source(str(seed_sample)))
    assert all(isinstance(r, Article) for r in records)
    main, related = records
    assert isinstance(main, Article) and isinstance(related, Article)

    assert main.title == "الدب الروسي يلتقي صاحب الصواريخ البالستية.. «لقاء يثير قلق الغرب»"
    assert main.published_at == datetime(2023, 9, 13, tzinfo=UTC)
    assert main.attribution == "الوطن"
    assert main.outlet == "الوطن"  # the page names no other publisher
    assert main.author is None
    assert main.url is None
    assert main.lang == "ar"
    assert main.provenance.reader == "textpage" and main.provenance.source == str(seed_sample)

    # the two sub-headings glued into paragraphs come back as headings, in place
    headings = [b.text for b in main.body if b.type == "heading"]
    assert headings == [
        "المحللون يتوقعون موافقة كوريا الشمالية على تزويد روسيا بالذخيرة",
        "سافر بالقطار وصولًا للحدود الروسية",
    ]
    types = [b.type for b in main.body]
    assert types == [
        "paragraph",
        "heading",
        "paragraph",
        "paragraph",
        "paragraph",
        "heading",
        "paragraph",
        "paragraph",
        "paragraph",
    ]
    assert main.body[2].text.startswith("وبحسب وكالة الأنباء")
    assert main.body[6].text.startswith("وتحرك رئيس كوريا الشمالية")
    body = main.text
    assert "بالذخيرةوبحسب" not in body and "الروسيةوتحرك" not in body
    assert "تُعقد" in body and "تٌعقد" not in body  # tanween slip repaired
    assert not any(label in body for label in LABELS)
    assert "أوستن" not in body  # the related article's text stays out of the main body

    # tags: multi-word tags rebuilt, the Persian-letter duplicate gone
    assert main.tags == ["كوريا الشمالية", "روسيا", "أوكرانيا", "بوتين", "كيم جونج اون"]

    # the related article is an article of its own, linked from the main one
    assert related.title == "واشنطن: جنود كوريا الشمالية سيدخلون الحرب ضد أوكرانيا قريبا"
    assert [(r.id, r.title) for r in main.related] == [(related.id, related.title)]
    assert related.text.startswith("أعلن وزير الدفاع الأميركي لويد أوستن")
    assert len(related.body) == 5
    assert related.published_at is None  # the page does not date it: never invented
    assert related.outlet == main.outlet and main.outlet  # the host page's outlet, as the reader found it there
    assert related.id != main.id


def test_json_shape_of_parse(seed_sample: Path) -> None:
    main = next(iter(parse_source(str(seed_sample))))
    assert isinstance(main, Article)
    data = main.to_json()
    assert list(data) == [
        "id",
        "url",
        "outlet",
        "attribution",
        "title",
        "published_at",
        "author",
        "body",
        "tags",
        "related",
        "lang",
        "provenance",
    ]
    assert data["published_at"] == "2023-09-13T00:00:00+00:00"
    assert data["body"][1] == {
        "type": "heading",
        "text": "المحللون يتوقعون موافقة كوريا الشمالية على تزويد روسيا بالذخيرة",
    }
    assert data["related"][0].keys() == {"id", "title"}
    assert Article.from_json(data) == main


def test_ids_are_stable_across_runs(seed_sample: Path) -> None:
    first = [r.id for r in parse_source(str(seed_sample)) if isinstance(r, Article)]
    second = [r.id for r in parse_source(str(seed_sample)) if isinstance(r, Article)]
    assert first == second


PAGE = """قمة في الشرق الأقصى
تاريخ النشر: 3rd, October 2024 GMT
كتب: سامي حداد
التقى الرئيسان في مدينة فلاديفوستوك الروسية وبحثا ملفات التعاون.
وقال المتحدث إن كوريا الجنوبية تتابع اللقاء عن كثب.
المصدر: وكالات
كلمات دلالية: كوريا الجنوبية فلاديفوستوك قمة
إقرأ أيضاً:
سيول تستدعي السفير الروسي
استدعت وزارة الخارجية في سيول السفير الروسي للاحتجاج.
وقالت الوزارة إن الخطوة جاءت بعد تقارير عن نقل أسلحة.
موسكو ترد على سيول
ردت موسكو على الاستدعاء ببيان شديد اللهجة.
"""


def test_two_related_articles_and_a_byline() -> None:
    main, first, second = read(PAGE)
    assert isinstance(main, Article) and isinstance(first, Article) and isinstance(second, Article)
    assert main.author == "سامي حداد"
    assert main.published_at == datetime(2024, 10, 3, tzinfo=UTC)
    assert main.attribution == "وكالات"
    assert main.tags == ["كوريا الجنوبية", "فلاديفوستوك", "قمة"]
    assert [r.title for r in main.related] == ["سيول تستدعي السفير الروسي", "موسكو ترد على سيول"]
    assert len(first.body) == 2 and len(second.body) == 1
    assert "كتب" not in main.text


@pytest.mark.parametrize(
    ("tag_line", "context", "tags"),
    [
        ("كوريا الشمالية روسيا", "قالت كوريا الشمالية إن روسيا", ["كوريا الشمالية", "روسيا"]),
        ("الولايات المتحدة الصين", "نص لا يذكرهما", ["الولايات المتحدة", "الصين"]),  # known place name
        ("بوتين قمة", "التقى بوتين قمة الجبل ثم بوتين وحده", ["بوتين", "قمة"]),  # adjacent once by chance
        ("كيم جونج اون", "التقى بكيم جونج-أون", ["كيم جونج اون"]),  # clitic and hyphen do not matter
        ("الشرق الأقصى", "في الشرق الأقصى", ["الشرق الأقصى"]),
        ("أمن، طاقة، نقل بحري", "", ["أمن", "طاقة", "نقل بحري"]),  # delimited lists are kept as given
    ],
)
def test_rebuild_tags(tag_line: str, context: str, tags: list[str]) -> None:
    assert rebuild_tags(tag_line, context) == tags


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n\n  ", "empty"),
        (b"\x00\x01\x02\x03binary\x00\xff" * 50, "binary"),
        ("تاريخ النشر: 3rd, October 2024 GMT\nنص\n".encode(), "no title"),
        ("عنوان فقط\n".encode(), "no article text"),
    ],
)
def test_bad_pages_give_one_clear_failure(data: bytes, reason: str) -> None:
    records = read(data, "bad.txt")
    assert len(records) == 1
    failure = records[0]
    assert isinstance(failure, Failure)
    assert reason in failure.reason
    assert failure.source == "bad.txt" and failure.position


def test_windows_1256_page() -> None:
    records = read(PAGE.encode("cp1256"))
    assert isinstance(records[0], Article)
    assert records[0].title == "قمة في الشرق الأقصى"


def test_huge_page_is_refused_not_crashed() -> None:
    big = ("عنوان\n" + "كلمة " * 3_000_000).encode()
    options = ReadOptions(max_document_bytes=10_000_000)
    records = list(read_textpage(big, "big.txt", options))
    assert len(records) == 1 and isinstance(records[0], Failure)
    assert "exceeds the limit" in records[0].reason


def test_every_example_page_reads(tmp_path: Path) -> None:
    pages = sorted((EXAMPLES / "textpages").glob("*.txt"))
    assert len(pages) >= 14
    for page in pages:
        records = list(parse_source(str(page)))
        main = records[0]
        assert isinstance(main, Article), page
        assert main.published_at is not None and main.published_at.tzinfo is not None, page
        assert not any(label in main.text for label in LABELS), page
        assert all(isinstance(r, Article) for r in records), page
        assert len(main.related) == len(records) - 1, page


def test_examples_damage_is_repaired() -> None:
    records = list(parse_source(str(EXAMPLES / "textpages" / "04_summit_france24.txt")))
    main = records[0]
    assert isinstance(main, Article)
    assert "ذخيرةوكان" not in main.text
    assert any(b.type == "heading" for b in main.body)
    assert "ٌ" not in main.text.replace("ٌ ", "")  # tanween only at word ends
    keys = {t.replace("ک", "ك").replace("ی", "ي") for t in main.tags}
    assert len(keys) == len(main.tags)  # no tag twice in two scripts
