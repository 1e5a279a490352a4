from __future__ import annotations

from pathlib import Path

import pytest

import akhbar
from akhbar.analyze.annotate import analyze
from akhbar.analyze.entities import ArticleEntity, Mention
from akhbar.analyze.keyphrases import KeyPhrase
from akhbar.analyze.tags import Tag, TagConfig, choose_tags, dateline_end, whole_tags
from akhbar.arabic.normalize import dedup_text, search_term
from akhbar.model import Article, Block, Provenance


def entity(kind: str, name: str, *starts: int) -> ArticleEntity:
    return ArticleEntity(kind, name, name, [Mention(kind, name, s, s + len(name)) for s in starts])


def phrase(text: str, key: str, score: float, count: int = 3) -> KeyPhrase:
    return KeyPhrase(text, key, count, score)


def test_central_entities_first_passing_mentions_only_to_reach_the_minimum() -> None:
    title_end, lead_end = 40, 200
    central = entity("PERS", "فلاديمير بوتين", 5, 300, 400)
    place = entity("LOC", "موسكو", 100)  # once, in the lead
    passing = entity("LOC", "فيجي", 900)  # once, deep in the body
    tags = choose_tags([passing, place, central], [], title_end=title_end, lead_end=lead_end)
    assert [t.text for t in tags] == ["فلاديمير بوتين", "موسكو", "فيجي"]
    tags = choose_tags(
        [passing, place, central],
        [phrase("الحرس الثوري", "حرس ثوري", 9.0)],
        title_end=title_end,
        lead_end=lead_end,
    )
    assert [t.text for t in tags] == ["فلاديمير بوتين", "موسكو", "الحرس الثوري"]


def test_datelines_are_found_and_first_sentences_are_not_taken_for_them() -> None:
    assert dateline_end("دبي، الإمارات العربية المتحدة (CNN) -- شدد الرئيس") == 38
    assert dateline_end("(CNN)-- عبر زعيم كوريا الشمالية") == 7
    assert dateline_end("بيروت (رويترز) - قال مسؤول") == 16
    assert dateline_end("اختار برلمان كوبا ميغيل دياز- كانيل رئيسا") == 0  # a hyphenated name, no comma or agency
    assert dateline_end("تشهد العلاقات الإماراتية – الأمريكية تطورا") == 0


def test_the_desk_in_the_dateline_and_the_agency_quoted_are_not_what_the_story_is_about() -> None:
    title = "ماكرون يحذر إيران"
    body = "دبي، الإمارات العربية المتحدة (CNN) -- قال ماكرون لوكالة رويترز إن على إيران احترام الاتفاق."
    title_end = len(title)
    start = title_end + 1
    dubai = entity("LOC", "دبي", start)
    uae = entity("LOC", "الإمارات العربية المتحدة", start + 5)
    reuters = entity("ORG", "رويترز", start + body.index("رويترز"))
    macron = entity("PERS", "ماكرون", 0, start + body.index("ماكرون"))
    iran = entity("LOC", "إيران", title.index("إيران"), start + body.index("إيران"))
    dateline = (start, start + dateline_end(body))
    everything = [dubai, uae, reuters, macron, iran]
    tags = choose_tags(everything, [], title_end=title_end, lead_end=len(title) + 1 + len(body), dateline=dateline)
    assert [t.text for t in tags] == ["ماكرون", "إيران"]


def test_a_phrase_that_repeats_an_entity_is_not_a_second_tag() -> None:
    korea = entity("LOC", "كوريا الشمالية", 0, 50, 90)
    tags = choose_tags([korea], [phrase("كوريا الشمالية", "كوريا شمال", 5.0)], title_end=20, lead_end=100)
    assert [t.text for t in tags] == ["كوريا الشمالية"]


def test_a_phrase_used_twice_is_not_the_topic() -> None:
    korea = entity("LOC", "كوريا الشمالية", 0, 50, 90)
    tags = choose_tags([korea], [phrase("الأقمار الصناعية", "قمار صناع", 9.0, count=2)], title_end=20, lead_end=100)
    assert [t.text for t in tags] == ["كوريا الشمالية"]


def test_a_lone_word_is_a_topic_only_when_the_title_names_it() -> None:
    korea = entity("LOC", "كوريا الشمالية", 0, 50, 90)
    season = KeyPhrase("الموسم", "موسم", 6, 9.0)
    cancer = KeyPhrase("السرطان", "سرطان", 6, 8.0, in_title=True)
    tags = choose_tags([korea], [season, cancer], title_end=20, lead_end=100)
    assert [t.text for t in tags] == ["كوريا الشمالية", "السرطان"]
    crisis = KeyPhrase("الأزمة", search_term("الأزمة"), 6, 9.0, in_title=True)  # in more than 5% of news articles
    assert [t.text for t in choose_tags([korea], [crisis], title_end=20, lead_end=100)] == ["كوريا الشمالية"]


def test_a_lone_word_the_article_keeps_using_is_a_topic_without_the_title() -> None:
    """A report that says الخبز thirteen times is about bread, whatever its title says; six uses are not enough."""
    jordan = entity("LOC", "الأردن", 0, 50, 90)
    bread = KeyPhrase("الخبز", search_term("الخبز"), 13, 40.0)
    assert [t.text for t in choose_tags([jordan], [bread], title_end=20, lead_end=100)] == ["الأردن", "الخبز"]
    bread = KeyPhrase("الخبز", search_term("الخبز"), 6, 20.0)
    assert [t.text for t in choose_tags([jordan], [bread], title_end=20, lead_end=100)] == ["الأردن"]
    crisis = KeyPhrase("الأزمة", search_term("الأزمة"), 13, 40.0)  # still: a word every other report uses
    assert [t.text for t in choose_tags([jordan], [crisis], title_end=20, lead_end=100)] == ["الأردن"]


def test_a_name_first_named_deep_in_the_body_only_fills_the_minimum() -> None:
    """A name the title and the lead leave out, first named after the first third of the body (a page's tail about
    another story, a comparison), is no tag while central names fill the list; it still fills up to three."""
    title_end, lead_end, text_end = 30, 200, 1200
    people = [entity("PERS", "نجيب ساويرس", 0, 100, 500), entity("PERS", "دونالد ترامب", 5, 150, 600)]
    tail = entity("PERS", "كريستين لاغارد", 900, 950, 1000)
    place = entity("LOC", "القاهرة", 300, 350)
    tags = choose_tags([*people, tail, place], [], title_end=title_end, lead_end=lead_end, text_end=text_end)
    assert [t.text for t in tags] == ["نجيب ساويرس", "دونالد ترامب", "القاهرة"]
    tags = choose_tags([people[0], tail], [], title_end=title_end, lead_end=lead_end, text_end=text_end)
    assert [t.text for t in tags] == ["نجيب ساويرس", "كريستين لاغارد"]
    tags = choose_tags([*people, tail, place], [], title_end=title_end, lead_end=lead_end)  # no text end given
    assert "كريستين لاغارد" in [t.text for t in tags]


def test_never_more_than_the_maximum() -> None:
    many = [entity("LOC", f"مدينة{i}", 0, 30 + i) for i in range(10)]
    phrases = [phrase(f"الموضوع رقم{i}", f"موضوع رقم{i}", 5.0) for i in range(10)]
    assert len(choose_tags(many, phrases, title_end=20, lead_end=100, config=TagConfig(max_tags=8))) == 8


def test_the_seed_page_gets_tags_without_a_persian_duplicate(seed_sample: Path) -> None:
    article = next(r for r in akhbar.parse(seed_sample) if isinstance(r, Article))
    tags = analyze(article).tags
    assert 3 <= len(tags) <= 8
    keys = [dedup_text(t.text) for t in tags]
    assert len(keys) == len(set(keys))
    assert not any(ch in t.text for t in tags for ch in "یک")  # Persian yeh and keheh


def test_an_article_without_names_still_gets_phrase_tags() -> None:
    text = "ارتفعت أسعار النفط العالمية مع تراجع المخزونات. وتوقع محللون استمرار ارتفاع أسعار النفط العالمية."
    article = Article(
        id="a",
        url=None,
        outlet=None,
        title="ارتفاع أسعار النفط العالمية",
        published_at=None,
        author=None,
        body=[Block("paragraph", text)],
        provenance=Provenance("-", "test"),
    )
    tags = analyze(article, entities=False).tags
    assert [t.kind for t in tags] == ["phrase"] * len(tags) and tags
    assert any("النفط" in t.text for t in tags)


def test_a_unit_of_money_is_a_tag_only_when_the_title_names_it_and_never_as_the_unit_of_an_amount() -> None:
    opec = entity("ORG", "أوبك", 0, 60, 120)
    dollar = entity("MISC", "دولار", 40, 80, 140, 160, 180)
    assert [t.text for t in choose_tags([opec, dollar], [], title_end=20, lead_end=100)] == ["أوبك"]
    lira = entity("MISC", "الليرة", 5, 60, 90)
    assert "الليرة" in [t.text for t in choose_tags([opec, lira], [], title_end=20, lead_end=100)]
    # "صفقة بـ90 مليار دولار": the title gives a price; the deal is the story, not the dollar.
    title = "أوبك تعلن صفقة بـ90 مليار دولار"
    body = "قالت أوبك إن الصفقة بلغت 90 مليار دولار، أي 2 دولار للبرميل."
    text = title + "\n" + body
    opec = entity("ORG", "أوبك", 0, len(title) + 1 + body.index("أوبك"))
    dollar = ArticleEntity(
        "MISC",
        "دولار",
        "دولار",
        [Mention("MISC", "دولار", i, i + 5) for i in range(len(text)) if text.startswith("دولار", i)],
    )
    tags = choose_tags([opec, dollar], [], title_end=len(title), lead_end=len(text), text=text)
    assert [t.text for t in tags] == ["أوبك"]


def test_the_place_of_a_time_zone_is_not_a_tag() -> None:
    """«الساعة 20:30 بتوقيت غرينتش» in the lead gives the hour, not the story's place; Greenwich named as a place
    still counts."""
    title = "ترمب يوقع قرار الرسوم اليوم"
    body = "يوقع دونالد ترمب القرار في البيت الأبيض الساعة 20:30 بتوقيت غرينتش، وقال ترمب إن القرار نهائي."
    text = title + "\n" + body

    def named(kind: str, name: str) -> ArticleEntity:
        spans = [Mention(kind, name, i, i + len(name)) for i in range(len(text)) if text.startswith(name, i)]
        return ArticleEntity(kind, name, name, spans)

    trump, greenwich = named("PERS", "ترمب"), named("LOC", "غرينتش")
    tags = choose_tags([trump, greenwich], [], title_end=len(title), lead_end=len(text), text=text)
    assert [t.text for t in tags] == ["ترمب"]
    text = title + "\n" + body.replace("بتوقيت غرينتش", "في غرينتش")
    trump, greenwich = named("PERS", "ترمب"), named("LOC", "غرينتش")
    tags = choose_tags([trump, greenwich], [], title_end=len(title), lead_end=len(text), text=text)
    assert [t.text for t in tags] == ["ترمب", "غرينتش"]


def test_an_office_or_an_amount_of_money_is_not_a_topic_tag() -> None:
    """المدير الفني stands for a person (the person is the tag); مليار دولار is a price, even in the title; a
    currency the title names (الليرة التركية) is the topic."""
    coach = entity("PERS", "يورغن كلوب", 0, 60, 120)
    phrases = [
        phrase("المدير الفني", "مدير فني", 20.0),
        phrase("مليار دولار", "مليار دولار", 15.0),
        phrase("الدوري الإنجليزي", "دوري انجليزي", 10.0),
    ]
    tags = choose_tags([coach], phrases, title_end=20, lead_end=100)
    assert [t.text for t in tags] == ["يورغن كلوب", "الدوري الإنجليزي"]
    titled = [
        KeyPhrase("مليار دولار", "مليار دولار", 4, 15.0, in_title=True),
        KeyPhrase("الليرة التركية", "ليره تركي", 4, 12.0, in_title=True),
    ]
    tags = choose_tags([coach], titled, title_end=20, lead_end=100)
    assert [t.text for t in tags] == ["يورغن كلوب", "الليرة التركية"]


def test_a_city_or_a_governorate_of_a_name_is_that_name() -> None:
    """An editor tags دوما, not مدينة دوما; where the place is a tag already, the phrase adds nothing."""
    un = entity("ORG", "مجلس الأمن", 0, 60, 120)
    tags = choose_tags([un], [phrase("محافظة السويداء", "محافظ سويداء", 12.0)], title_end=20, lead_end=100)
    assert [t.text for t in tags] == ["مجلس الأمن", "السويداء"]
    douma = entity("LOC", "دوما", 5, 70, 130)
    tags = choose_tags([un, douma], [phrase("مدينة دوما", "مدين دوما", 12.0)], title_end=20, lead_end=100)
    assert [t.text for t in tags] == ["مجلس الأمن", "دوما"]
    airport = choose_tags([un], [phrase("مطار الحديدة", "مطار حديد", 12.0)], title_end=20, lead_end=100)
    assert [t.text for t in airport] == ["مجلس الأمن", "مطار الحديدة"]  # an airport is another place


def _whole(text: str, *tags: Tag) -> list[tuple[str, str]]:
    return [(t.kind, t.text) for t in whole_tags(list(tags), text)]


def _entity_tag(kind: str, name: str) -> Tag:
    return Tag("entity", name, 1.0, entity(kind, name, 0))


def test_a_tag_every_use_of_which_goes_on_is_shown_whole() -> None:
    text = "أعلنت قوات سوريا الديمقراطية الهدنة. وقالت قوات سوريا الديمقراطية إن سوريا تحتاج السلام"
    tags = _whole(text, _entity_tag("LOC", "سوريا"), Tag("phrase", "قوات سوريا", 1.0))
    assert tags == [("entity", "سوريا"), ("phrase", "قوات سوريا الديمقراطية")]  # سوريا is named alone too
    # A cut name (the tagger's الولايات and المتحدة) grows whole, the part it holds goes, and a place word before a
    # cut place joins it.
    text = "واردات الولايات المتحدة من الصلب. وقالت الولايات المتحدة إنها سترد"
    tags = _whole(text, _entity_tag("LOC", "الولايات"), _entity_tag("LOC", "المتحدة"))
    assert tags == [("phrase", "الولايات المتحدة")]
    text = "فاز باريس سان جرمان على ليون، وبات باريس سان جرمان بطلا"
    assert _whole(text, _entity_tag("ORG", "سان")) == [("phrase", "باريس سان جرمان")]
    # So does the head of a competition or festival named after an organization or a place.
    text = "تأهل يونايتد لنهائي كأس الاتحاد الإنجليزي. ويلعب نهائي كأس الاتحاد الإنجليزي في مايو"
    assert _whole(text, _entity_tag("ORG", "الاتحاد الإنجليزي")) == [("phrase", "كأس الاتحاد الإنجليزي")]
    text = "ودعت سيرينا بطولة أميركا المفتوحة، وكانت بطولة أميركا المفتوحة صعبة"
    assert _whole(text, _entity_tag("LOC", "أميركا")) == [("phrase", "بطولة أميركا المفتوحة")]
    # لل of the name's article and a year: جائزة نوبل للآداب, كأس العالم 2018.
    text = "أرجأت الأكاديمية جائزة نوبل للآداب. وكانت جائزة نوبل للآداب قد منحت"
    assert _whole(text, Tag("phrase", "جائزة نوبل", 1.0)) == [("phrase", "جائزة نوبل للآداب")]
    text = "مباريات كأس العالم 2018 في روسيا. وتنتهي كأس العالم 2018 في يوليو"
    assert _whole(text, Tag("phrase", "كأس العالم", 1.0)) == [("phrase", "كأس العالم 2018")]
    # A preposition glued to a phrase goes where the article also writes the phrase without it.
    text = "الاتحاد الدولي لكرة القدم. تحب كرة القدم. بطولة لكرة القدم"
    assert _whole(text, Tag("phrase", "لكرة القدم", 1.0)) == [("phrase", "كرة القدم")]
    text = "اجتمعت لجنة الانتخابات، وقالت لجنة الانتخابات"
    assert _whole(text, Tag("phrase", "لجنة الانتخابات", 1.0)) == [("phrase", "لجنة الانتخابات")]
    text = "قال موفد فرانس 24 إن الوضع هادئ. وأكد مراسل فرانس 24 ذلك"
    assert _whole(text, _entity_tag("ORG", "فرانس")) == [("phrase", "فرانس 24")]


@pytest.mark.parametrize(
    ("text", "tag", "why"),
    [
        (
            "قال مقرر الأمم المتحدة للفقر. وأكد مقرر الأمم المتحدة للفقر",
            ("ORG", "الأمم المتحدة"),
            "a known name is whole",
        ),
        (
            "قال الجيش الأمريكي يخطط لإرسال. الجيش الأمريكي يخطط",
            (None, "الجيش الأمريكي"),
            "a verb after a definite word",
        ),
        ("ليفربول الإنجليزي فاز. ومدرب ليفربول الإنجليزي قال", ("ORG", "ليفربول"), "a one-word name's adjective"),
        ("المصنف 55 عالميا. كان المصنف 55 عالميا", (None, "المصنف"), "a number that is not a year"),
        ("وصف الاتحاد بالقائمة السوداء. ووضع الاتحاد بالقائمة", (None, "الاتحاد"), "a preposition's phrase"),
        ("ناقشت الأمن الغذائي والمائي. وأكدت الأمن الغذائي والمائي", (None, "الأمن الغذائي"), "a list's next item"),
        ("قال المدير التنفيذي السابق. وكان المدير التنفيذي السابق", (None, "المدير التنفيذي"), "a word of time"),
        ("زار غزنة شرقي أفغانستان. وفي غزنة شرقي البلاد", ("LOC", "غزنة"), "a direction"),
        ("قال رونالدو إنه. وقد سجل رونالدو هدفا", ("PERS", "رونالدو"), "the uses go on differently"),
        ("فاز الفريق بالتصنيف العالمي لأفضل 50 مطعما", (None, "التصنيف العالمي"), "used once"),
        (
            "التصنيف العالمي لأفضل 50 مطعما. تصدر التصنيف العالمي لأفضل 50 مطعما",
            (None, "التصنيف العالمي"),
            "never ends on an indefinite ل word",
        ),
        (
            "الوكالة الدولية للطاقة الذرية التابعة للأمم المتحدة. الوكالة الدولية للطاقة الذرية التابعة للأمم المتحدة",
            (None, "الوكالة الدولية"),
            "the name goes on past two words",
        ),
    ],
)
def test_a_tag_does_not_grow_past_its_name(text: str, tag: tuple[str | None, str], why: str) -> None:
    kind, name = tag
    chosen = Tag("phrase", name, 1.0) if kind is None else _entity_tag(kind, name)
    assert _whole(text, chosen) == [(chosen.kind, name)], why


def test_tags_are_chosen_whole_from_an_article() -> None:
    body = (
        "أعلنت قوات سوريا الديمقراطية استعدادها لتبادل الأسرى مع التنظيم. وقالت قوات سوريا الديمقراطية إن"
        " التبادل يشمل المخطوفين. وأكدت قوات سوريا الديمقراطية أن المفاوضات مستمرة."
    )
    article = Article(
        id="whole", title="قوات سوريا الديمقراطية مستعدة لتبادل الأسرى", body=[Block("p", body)],
        provenance=Provenance("-", "test"),
    )  # fmt: skip
    tags = [t.text for t in analyze(article).tags]
    assert "قوات سوريا الديمقراطية" in tags
    assert not {"قوات سوريا", "الديمقراطية"} & set(tags)


def test_the_country_a_title_names_by_adjective_is_a_tag() -> None:
    title = "محكمة مصرية تستطلع رأي المفتي في إعدام 75 شخصا"
    body = "أحالت محكمة جنايات القاهرة أوراق 75 متهما إلى المفتي في قضية فض اعتصام رابعة."
    text = title + "\n" + body
    cairo = entity("LOC", "القاهرة", len(title) + 1 + body.index("القاهرة"))
    tags = choose_tags([cairo], [], title_end=len(title), lead_end=len(text), text=text)
    assert ("phrase", "مصر") in [(t.kind, t.text) for t in tags]  # not named in the text: a topic tag
    egypt = entity("LOC", "مصر", len(title) + 1 + len(body) - 5)  # named once, late: a passing mention
    tags = choose_tags([cairo, egypt], [], title_end=len(title), lead_end=len(title) + 20, text=text + " مصر")
    assert next(t for t in tags if t.text == "مصر").entity is egypt  # named: the entity tag
    # تركي alone is a first name, not Turkey.
    title = "تركي آل الشيخ يهنئ المنتخب"
    assert "تركيا" not in [t.text for t in choose_tags([], [], title_end=len(title), lead_end=len(title), text=title)]


def test_a_crown_prince_a_month_a_percentage_or_half_an_agency_is_no_tag() -> None:
    """ولي العهد stands for the prince (the person is the tag: without the phrase, its tail العهد السعودي was one);
    تشرين الأول dates the story; في المائة gives a share; فرانس is half of فرانس برس, the source quoted."""
    prince = entity("PERS", "محمد بن سلمان", 0, 60, 120)
    agency = entity("ORG", "فرانس", 40, 90, 140)
    phrases = [
        phrase("ولي العهد السعودي", "ول عهد سعودي", 30.0),
        phrase("تشرين الأول", "تشرين اول", 25.0),
        KeyPhrase("المائة", "مائ", 9, 20.0, in_title=True),
        phrase("صندوق الاستثمارات العامة", "صندوق استثمار عام", 10.0),
    ]
    tags = choose_tags([prince, agency], phrases, title_end=20, lead_end=100)
    assert [t.text for t in tags] == ["محمد بن سلمان", "صندوق الاستثمارات العامة"]
