"""Names the tagger knows from the news are found where it misses them (akhbar.analyze.known_names)."""

from __future__ import annotations

import pytest

from akhbar.analyze.annotate import analyze
from akhbar.analyze.known_names import NewsNames, known_name_spans, shipped_news_names, with_known_names
from akhbar.analyze.ner import EntitySpan
from akhbar.arabic.normalize import entity_key
from akhbar.model import Article, Block, Provenance, article_id

NAMES = NewsNames.of(
    {
        "داعش": "ORG",
        "مانشستر سيتي": "ORG",
        "مانشستر": "LOC",
        "لبنان": "LOC",
        "نيمار": "PERS",
        "السعوديه": "LOC",
        "مالي": "LOC",
        "غزه": "LOC",
        "حلف شمال الاطلسي": "ORG",
        "دبي": "LOC",
        "الولايات المتحده": "LOC",
        "ايفانكا ترامب": "PERS",
        "دونالد ترامب": "PERS",
        "انغيلا ميركل": "PERS",
        "ريف درعا": "LOC",
        "عفرين السوريه": "LOC",
        "اوروبا والولايات المتحده": "LOC",
        "الحوثيين": "ORG",
        "ميليشيا الحوثي": "ORG",
        "الخارجيه الامريكيه": "ORG",
        "المرصد السوري لحقوق الانسان": "ORG",
    }
)


def spans(text: str, tagged: list[EntitySpan] | None = None) -> list[tuple[str, str]]:
    return [(s.text, s.type) for s in known_name_spans(text, tagged or [], NAMES)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("قتل زعيم تنظيم داعش في غارة", [("داعش", "ORG")]),
        ("وداعش خسر مواقعه", [("داعش", "ORG")]),  # the conjunction stays outside the span
        ("فاز مانشستر سيتي على تشيلسي", [("مانشستر سيتي", "ORG")]),  # the longest listed name wins
        ("وصل إلى مانشستر. سيتي أخرى", [("مانشستر", "LOC")]),  # the words of a name are one space apart
        ("زار ولبنان", [("لبنان", "LOC")]),
        ("سجل نيمارو هدفا", []),  # a whole word or nothing
        ("غادر نيمار الملعب ثم عاد نيمار", [("نيمار", "PERS"), ("نيمار", "PERS")]),
        # a place name shaped like an adjective, right after a word it agrees with, is the adjective
        ("افتتحت القنصلية السعودية فرعا", []),
        ("قدمت الحكومة دعم مالي للمشروع", []),
        ("وصل الوفد إلى السعودية أمس", [("السعودية", "LOC")]),
        ("انتشرت القوات في مالي", [("مالي", "LOC")]),
        ("افتتح المعرض في مدينة دبي", [("دبي", "LOC")]),
        # after a proclitic, a short one-word name is too often the rest of another word; a longer name is not
        ("قصف بغزة", []),
        ("اجتماع وحلف شمال الأطلسي", [("حلف شمال الأطلسي", "ORG")]),
        # ل + ال is written لل: the span starts after it, as the tagger cuts it (the mentions give back ال)
        ("غارات مكثفة للحوثيين", [("حوثيين", "ORG")]),
        ("دعم وللحوثيين", [("حوثيين", "ORG")]),
        ("زيارة للسعودية", [("سعودية", "LOC")]),
        # an organization's name that opens with a nisba, right after a word it agrees with, is adjectives
        ("قالت الخارجية الأمريكية إن", [("الخارجية الأمريكية", "ORG")]),
        ("أوقفت المساعدات الخارجية الأمريكية", []),
        # a hand-written name may be longer than the three words of the tagger's spellings
        ("أفاد المرصد السوري لحقوق الإنسان بأن", [("المرصد السوري لحقوق الإنسان", "ORG")]),
    ],
)
def test_listed_names_become_spans(text: str, found: list[tuple[str, str]]) -> None:
    assert spans(text) == found


def test_a_span_is_the_text_at_its_offsets_even_with_harakat() -> None:
    text = "هاجم وَداعِش القرية"
    (span,) = known_name_spans(text, [], NAMES)
    assert text[span.start : span.end] == span.text == "داعِش"
    assert span.key == entity_key("داعش")


def test_what_the_tagger_found_is_left_alone() -> None:
    text = "قال نيمار إن نيمار سيعود"
    tagged = [EntitySpan("PERS", "نيمار", 4, 9, entity_key("نيمار"))]
    assert [(s.start, s.text) for s in known_name_spans(text, tagged, NAMES)] == [(13, "نيمار")]


def test_the_shipped_list_holds_the_names_the_tagger_misses_and_no_fragments() -> None:
    names = shipped_news_names().types
    assert names["داعش"] == "ORG" and names["نيمار"] == "PERS"
    assert "سان" not in names and "شي" not in names  # first words of longer names
    assert "ترامب كيم" not in names and "بابا الفاتيكان" not in names  # tagged often, no one name: NOT by hand
    assert all(kind in ("PERS", "LOC", "ORG") for kind in names.values())


def entity_names(title: str, text: str) -> set[str]:
    """The names of the entities the analysis finds in an article of this title and text."""
    article = Article(
        id=article_id(url="https://example.com/a", title=title, text=text),
        title=title,
        body=[Block("paragraph", text)],
        provenance=Provenance(source="test", reader="test"),
    )
    return {e.name for e in analyze(article).entities}


def test_an_article_names_the_group_the_tagger_alone_misses() -> None:
    text = "أكدت القوات الأمريكية في أفغانستان أن قائد تنظيم داعش في البلاد قتل في هجوم."
    assert "داعش" in entity_names("مقتل زعيم", text)


def test_platforms_the_tagger_never_tags_are_names_from_the_hand_list() -> None:
    names = shipped_news_names().types
    assert names["واتساب"] == "ORG" and names["تويتر"] == "ORG"
    assert "الهلال" not in names  # a club that is also a common word (the crescent) stays out
    text = "كيف تحمي محادثات واتساب من المتطفلين؟ يستخدم تطبيق واتساب أكثر من مليار شخص."
    assert "واتساب" in entity_names("حماية المحادثات", text)


def tagged_span(text: str, name: str, kind: str, after: int = 0) -> EntitySpan:
    start = text.index(name, after)
    return EntitySpan(kind, name, start, start + len(name), entity_key(name))


def widened(text: str, *tagged: tuple[str, str]) -> list[tuple[str, str]]:
    spans = [tagged_span(text, name, kind) for name, kind in tagged]
    return [(s.text, s.type) for s in with_known_names(text, spans, NAMES)]


@pytest.mark.parametrize(
    ("text", "tagged", "found"),
    [
        # the tagger cut a listed name into another thing (of another type, or a part of several listed names) or
        # into pieces: the listed name replaces what it tagged inside it
        ("فاز مانشستر سيتي على تشيلسي", [("مانشستر", "LOC")], [("مانشستر سيتي", "ORG")]),
        ("قالت الولايات المتحدة إن", [("الولايات", "LOC"), ("المتحدة", "LOC")], [("الولايات المتحدة", "LOC")]),
        ("وصلت إيفانكا ترامب إلى", [("ترامب", "PERS")], [("إيفانكا ترامب", "PERS")]),
        # a part only one listed name holds is that name as the tagger writes it everywhere: left as tagged
        ("قالت أنغيلا ميركل إن", [("ميركل", "PERS")], [("ميركل", "PERS")]),
        ("قصف في ريف درعا أمس", [("درعا", "LOC")], [("درعا", "LOC")]),
        ("معارك عفرين السورية", [("عفرين", "LOC")], [("عفرين", "LOC")]),
        # nor into a list of names
        ("بين أوروبا والولايات المتحدة", [("أوروبا", "LOC"), ("الولايات المتحدة", "LOC")],
         [("أوروبا", "LOC"), ("الولايات المتحدة", "LOC")]),
        # a tagged span across the listed name's edge is the tagger's reading: left alone
        ("فاز مانشستر سيتي على تشيلسي", [("سيتي على", "ORG")], [("سيتي على", "ORG")]),
        # a listed name the tagger typed MISC, its least sure type, takes the list's type
        ("مقرات ميليشيا الحوثي في الحديدة", [("ميليشيا الحوثي", "MISC")], [("ميليشيا الحوثي", "ORG")]),
        # a listed name that no tagged span touches is added, as known_name_spans finds it
        ("قال نيمار إن مانشستر سيتي", [("نيمار", "PERS")], [("نيمار", "PERS"), ("مانشستر سيتي", "ORG")]),
    ],
)  # fmt: skip
def test_a_listed_name_the_tagger_cut_replaces_its_parts(
    text: str, tagged: list[tuple[str, str]], found: list[tuple[str, str]]
) -> None:
    assert widened(text, *tagged) == found


def test_an_article_about_manchester_city_names_the_club_not_the_city() -> None:
    text = "حقق مانشستر سيتي فوزا على تشيلسي. ورفع مانشستر سيتي رصيده إلى 78 نقطة."
    names = entity_names("مانشستر سيتي يواصل قهر الكبار", text)
    assert "مانشستر سيتي" in names and "مانشستر" not in names


def test_the_houthis_in_every_spelling_are_one_organization() -> None:
    # The tagger tags none of الحوثيين (1,202 ANT articles), ميليشيا الحوثي it takes for MISC: the hand-written rows
    # of the list name them, the alias list makes them one entity.
    title = "التحالف يدمر مقرات للحوثيين في الحديدة"
    text = "أعلن التحالف العربي أن مقاتلاته دمرت مقرات لميليشيا الحوثي. وقالت جماعة الحوثي إن الحوثيين صامدون."
    article = Article(
        id=article_id(url="https://example.com/h", title=title, text=text),
        title=title,
        body=[Block("paragraph", text)],
        provenance=Provenance(source="test", reader="test"),
    )
    by_type = {(e.name, e.type): len(e.mentions) for e in analyze(article).entities}
    houthis = [(name, n) for (name, kind), n in by_type.items() if kind == "ORG" and "حوثي" in name]
    assert len(houthis) == 1 and houthis[0][1] == 4
    assert ("التحالف العربي", "ORG") in by_type


def test_a_paris_saint_germain_report_names_the_club_not_the_city() -> None:
    text = "تعادل باريس سان جرمان مع سانت إتيان. وقال مدرب باريس سان جيرمان إن الفريق سيعود."
    names = entity_names("باريس سان جرمان يفرط في اللقب", text)
    # one club in both spellings (the alias list), no Paris, no cut سان جرمان
    assert names == {"باريس سان جرمان", "سانت إتيان"}
