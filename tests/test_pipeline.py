"""The prepare stage every reader's output goes through."""

from __future__ import annotations

from dataclasses import replace

import pytest

from akhbar.model import Article, Block, Failure, Provenance, RelatedRef
from akhbar.pipeline import PipelineConfig, prepare, process, unique_tags


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


def test_prepare_drops_control_characters_from_every_field() -> None:
    article = replace(
        raw("عنوان\x1b[31m الخبر\x07", "نص\x1b[2J الخبر\x9b", tags=["وسم\x1b"]),
        author="كاتب\x07",
        outlet="موقع\x00",
        attribution="مصدر\x1b",
        related=[RelatedRef("y", "خبر\x1b]0;x\x07 آخر")],
    )
    prepared = prepare(article)
    shown = [prepared.title, prepared.text, prepared.author, prepared.outlet, prepared.attribution, *prepared.tags]
    shown += [ref.title for ref in prepared.related]
    assert not [text for text in shown if any(ch in (text or "") for ch in "\x00\x07\x1b\x9b")]
    assert prepared.title == "عنوان[31m الخبر"
    assert prepared.author == "كاتب" and prepared.tags == ["وسم"]


ZERO_WIDTH = "\u200b\u200c\u200d\u200e\u200f\ufeff\u2060"


@pytest.mark.parametrize("title", [ZERO_WIDTH, " \u200f ", "\x1b\x07", "ـــ"])
def test_a_title_with_nothing_visible_is_no_title(title: str) -> None:
    records = list(process([raw(title, "نص الخبر الأول."), raw("عنوان آخر", "نص سليم")]))
    assert isinstance(records[0], Failure), records[0]
    assert records[0].reason.startswith("no title") and records[0].source == "t"
    assert isinstance(records[1], Article) and records[1].title == "عنوان آخر"


def test_text_with_nothing_visible_is_no_text() -> None:
    records = list(process([raw("عنوان", ZERO_WIDTH, "\x1b")]))
    assert isinstance(records[0], Failure) and records[0].reason.startswith("no article text")


def test_an_article_over_the_limits_is_quarantined_and_the_run_goes_on() -> None:
    blocks = raw("عنوان ضخم", *(f"الفقرة رقم {i} من مقال مولد." for i in range(6_000)))
    chars = raw("عنوان طويل", "كلمة " * 50_000)
    records = list(process([blocks, raw("عنوان", "نص سليم"), chars]))
    assert [type(r) for r in records] == [Failure, Article, Failure]
    assert isinstance(records[0], Failure) and isinstance(records[2], Failure)
    assert records[0].reason.startswith("article too large: 6,000 blocks (limit 5,000)")
    assert records[2].reason.startswith("article too large: 250,010 characters (limit 200,000)")
    assert records[0].excerpt.startswith("عنوان ضخم") and records[0].source == "t"
    config = PipelineConfig(max_article_blocks=3, max_article_chars=10)
    small = list(
        process([raw("عنوان", "نص"), raw("عنوان", "أ", "ب", "ج", "د"), raw("عنوان", "نص أطول من عشرة")], config)
    )
    assert [type(r) for r in small] == [Article, Failure, Failure]


def test_the_default_limits_pass_the_longest_real_articles_with_a_margin() -> None:
    # ANT v2.1 (31,523 articles) at most 21,027 characters and 195 paragraphs; see PipelineConfig.
    config = PipelineConfig()
    assert config.max_article_chars >= 5 * 21_027 and config.max_article_blocks >= 5 * 195


def test_a_tag_typed_with_persian_letters_is_the_arabic_tag_once() -> None:
    """پاریس (Persian پ and ی) beside باريس is one tag, kept in its Arabic spelling and first place."""
    assert unique_tags(["پاريس", "كوريا", "باريس"]) == ["باريس", "كوريا"]
    article = prepare(
        raw("زيارة", "زار الرئيس باريس ثم عاد إلى بلاده بعد يومين من المحادثات.", tags=["باريس", "پاریس"])
    )
    assert article.tags == ["باريس"]


def test_process_article_runs_the_stages_in_order_and_the_language_policy() -> None:
    """Limits, repair, the language policy, analysis: one composition for every path (ingest, API, bulk)."""
    from akhbar.pipeline import PipelineConfig, Processed, Skipped, process_article

    arabic = raw("قمة في موسكو", "التقى الرئيس الروسي فلاديمير بوتين الزعيم الكوري كيم جونغ أون في موسكو اليوم.")
    persian = raw("سفر پوتین به کره", "پوتین برای دیدار با رهبر کره شمالی به شرق روسیه سفر کرد و این سفر مهم است.")
    done = process_article(arabic, PipelineConfig())
    assert isinstance(done, Processed) and done.analysis is not None and done.analysis.entities
    assert isinstance(process_article(persian, PipelineConfig()), Processed)  # every language by default
    arabic_only = PipelineConfig(languages=("ar",))
    assert process_article(persian, arabic_only) == Skipped("skipped_language")
    assert isinstance(process_article(arabic, arabic_only), Processed)
    unanalyzed = process_article(arabic, PipelineConfig(), analyze_text=lambda a: a.title != "قمة في موسكو")
    assert isinstance(unanalyzed, Processed) and unanalyzed.analysis is None
    too_big = process_article(arabic, PipelineConfig(max_article_chars=10))
    assert isinstance(too_big, Failure) and "too large" in too_big.reason


def test_languages_option_reads_as_the_policy() -> None:
    from akhbar.pipeline import language_policy

    assert language_policy("ar, FA") == ("ar", "fa")
    assert language_policy("all") is None and language_policy("") is None
