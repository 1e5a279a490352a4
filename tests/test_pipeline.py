"""The prepare stage every reader's output goes through."""

from __future__ import annotations

import pytest

from akhbar.model import Article, Block, Failure, Provenance, RelatedRef
from akhbar.pipeline import prepare, unique_tags


def raw(title: str, *paragraphs: str, tags: list[str] | None = None) -> Article:
    return Article(
        id="x",
        title=title,
        body=[Block("paragraph", p) for p in paragraphs],
        provenance=Provenance("t", "test"),
        tags=tags or [],
        related=[RelatedRef("y", "خبر  ذو صلة ،")],
    )


GLUED = (
    "المحللون يتوقعون موافقة كوريا الشمالية على تزويد روسيا بالذخيرةوبحسب وكالة الأنباء الكورية الجنوبية فإن "
    "المحللين يتوقعون موافقة كوريا الشمالية على تزويد روسيا بالذخيرة والأسلحة اللازمة لحربها في أوكرانيا."
)


def test_prepare_recovers_headings_and_repairs_every_field() -> None:
    article = prepare(raw("عنوان  الخبر ،", GLUED, tags=["كوريا الشمالية", "کوریا الشمالیة", "روسيا", "روسيا "]))
    assert [b.type for b in article.body] == ["heading", "paragraph"]
    assert article.title == "عنوان الخبر،"
    assert article.tags == ["كوريا الشمالية", "روسيا"]
    assert article.related[0].title == "خبر ذو صلة،"
    assert article.id == "x"


def test_persian_article_is_left_alone() -> None:
    persian = "پوتین برای دیدار با رهبر کره شمالی به شرق روسیه سفر کرد و این سفر مهم است."
    article = prepare(raw("سفر پوتین به کره", persian))
    assert article.text == persian
    assert article.lang == "fa"


def test_unique_tags_uses_the_dedup_layer() -> None:
    assert unique_tags(["إسرائيل", "اسرائيل", "قمة", "قمه", "كوريا", "کوریا"]) == ["إسرائيل", "قمة", "كوريا"]


def test_empty_blocks_are_dropped() -> None:
    article = prepare(raw("عنوان", "نص", "\u200f\u200e", "ـــ"))
    assert [b.text for b in article.body] == ["نص"]


def test_language_from_the_script() -> None:
    assert prepare(raw("Summit in the Far East", "The two leaders met at a space base.")).lang == "und"
    urdu = "روس کے صدر نے شمالی کوریا کے رہنما سے ملاقات کی اور یہ ملاقات اہم ہے۔"
    assert prepare(raw("ملاقات", urdu)).lang == "ur"
    assert prepare(raw("قمة", "التقى الزعيمان في قاعدة فضائية.")).lang == "ar"


def test_a_stage_bug_costs_one_article_not_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    import akhbar.pipeline as pipeline

    def broken(text: str, *, persian: bool | None = None) -> str:
        if "انهيار" in text:
            raise ValueError("boom")
        return text

    monkeypatch.setattr(pipeline, "repair", broken)
    records = list(pipeline.process([raw("عنوان", "انهيار"), raw("عنوان آخر", "نص سليم")]))
    assert isinstance(records[0], Failure) and "internal error" in records[0].reason
    assert isinstance(records[1], Article)
