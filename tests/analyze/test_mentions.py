"""Mention spans are names (akhbar.analyze.mentions): proclitics cut off by what is known of names, never blindly."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akhbar.analyze.annotate import Analysis, analyze
from akhbar.analyze.entities import Mention
from akhbar.analyze.entity_policy import Candidate
from akhbar.analyze.mentions import clean_mentions, name_start, with_compound_head
from akhbar.model import Article, Block, Provenance, article_id

CUT = [
    ("لإيران", "LOC", "إيران"),
    ("بإيران", "LOC", "إيران"),
    ("ومصر", "LOC", "مصر"),
    ("ولبنان", "LOC", "لبنان"),
    ("وبوتين", "PERS", "بوتين"),
    ("لروسيا", "LOC", "روسيا"),
    ("لكوريا الشمالية", "LOC", "كوريا الشمالية"),
    ("للأمم المتحدة", "ORG", "الأمم المتحدة"),
    ("للولايات المتحدة", "LOC", "الولايات المتحدة"),
    ("وكريم", "PERS", "كريم"),  # the shortest run: و + كريم, not وك + ريم
    ("بروسيا", "LOC", "روسيا"),  # Prussia to the dictionary, but a place after ب is روسيا
    ("لبي بي سي", "ORG", "بي بي سي"),  # a press name of several words
]
KEPT = [
    ("لبنان", "LOC"),
    ("بغداد", "LOC"),
    ("وليد", "PERS"),
    ("كركوك", "LOC"),
    ("فرنسا", "LOC"),
    ("ليبيا", "LOC"),
    ("كندا", "LOC"),
    ("بريطانيا", "LOC"),
    ("فلسطين", "LOC"),
    ("واشنطن", "LOC"),
    ("لندن", "LOC"),
    ("بكين", "LOC"),
    ("سنجار", "LOC"),
    ("بايرن", "ORG"),  # no ب + a person's name ايرن: a name of another type is no evidence
]


def _nothing_else(text: str, kind: str | None) -> bool:
    return False


@pytest.mark.parametrize(("span", "kind", "name"), CUT)
def test_a_proclitic_before_a_known_name_is_cut(span: str, kind: str, name: str) -> None:
    word, _, tail = span.partition(" ")
    found = name_start(word, tail, kind, _nothing_else)
    assert found is not None and found[1] == name


@pytest.mark.parametrize(("span", "kind"), KEPT)
def test_names_that_begin_with_clitic_letters_stay_whole(span: str, kind: str) -> None:
    assert name_start(span, "", kind, _nothing_else) is None


def test_a_wrong_cut_of_the_tagger_is_undone_and_lil_keeps_the_article() -> None:
    """The tagger cut س off سنجار (a future-verb shape) and لل off السعودية: the whole written word decides."""
    text = "وصلت القوات إلى سنجار بدعم للسعودية"
    sinjar, saudi = text.index("نجار"), text.index("سعودية")
    cleaned = clean_mentions(
        [Mention("LOC", "نجار", sinjar, sinjar + 4), Mention("LOC", "سعودية", saudi, saudi + 6)], text
    )
    assert [(m.text, text[m.start : m.end]) for m in cleaned] == [("سنجار", "سنجار"), ("السعودية", "لسعودية")]


def test_a_name_the_article_mentions_alone_is_known_there() -> None:
    """ماكرون need not be in any list: the article names him alone elsewhere."""
    text = "قال ماكرون إن فرنسا ستدعم الاتفاق، وأكد لماكرون نظيره ذلك"
    start = text.index("لماكرون")
    mentions = [Mention("PERS", "ماكرون", 4, 10), Mention("PERS", "لماكرون", start, start + 7)]
    cleaned = clean_mentions(mentions, text)
    assert cleaned[1] == Mention("PERS", "ماكرون", start + 1, start + 7)
    assert text[cleaned[1].start : cleaned[1].end] == "ماكرون"
    unknown = [Mention("PERS", "لفلانوف", 0, 7)]  # nothing says فلانوف is a name: the span stays
    assert clean_mentions(unknown, "لفلانوف") == unknown


def test_a_first_name_the_lists_know_is_never_cut() -> None:
    """لويس is Luis, never ل + the dictionary's ويس; كريس is Chris, never ك + ريس."""
    for span in ("لويس روبياليس", "كريس ميسينا", "كايل ووكر"):
        word, _, tail = span.partition(" ")
        assert name_start(word, tail, "PERS", _nothing_else) is None, span


def test_a_word_the_article_writes_inside_a_name_is_that_name() -> None:
    """فيار closes the full name أنخيل ماريا فيار: alone later it is فيار, never ف + a person يار."""
    text = "حل مكان أنخيل ماريا فيار الذي أقالت الحكومة فيار من منصبه"
    full, alone = text.index("أنخيل"), text.rindex("فيار")
    mentions = [Mention("PERS", "أنخيل ماريا فيار", full, full + 16), Mention("PERS", "يار", alone + 1, alone + 4)]
    cleaned = clean_mentions(mentions, text)
    assert [(m.text, text[m.start : m.end]) for m in cleaned] == [
        ("أنخيل ماريا فيار", "أنخيل ماريا فيار"),
        ("فيار", "فيار"),
    ]


def test_lil_keeps_the_name_article_and_points_at_the_name() -> None:
    text = "وجه رسالة للأمم المتحدة أمس"
    start = text.index("للأمم")
    [cleaned] = clean_mentions([Mention("ORG", "للأمم المتحدة", start, start + len("للأمم المتحدة"))], text)
    assert cleaned.text == "الأمم المتحدة"
    assert text[cleaned.start : cleaned.end] == "لأمم المتحدة"  # the article's alef is not written after لل


def _analyzed(title: str, body: list[str]) -> tuple[Analysis, str]:
    """The production analysis of an article of these paragraphs, and the text its mention offsets point into."""
    text = "\n".join(body)
    article = Article(
        id=article_id(url=None, title=title, text=text),
        title=title,
        body=[Block("paragraph", p) for p in body],
        provenance=Provenance(source="test", reader="test"),
    )
    return analyze(article), article.title + "\n" + article.text


def test_one_country_is_one_entity_in_an_article() -> None:
    """The production path (tagger, clean spans, in-article resolution): every clitic form of Iran is one entity
    named إيران, and each mention's offsets point at the name."""
    title = "طهران تحذر واشنطن"
    body = [
        "أعلنت إيران اليوم أنها سترد على العقوبات الأمريكية.",
        "وقال مسؤول إن العقوبات على إيران لن تغير موقفها، وإن لإيران حقا في الرد.",
        "وأضاف أن وإيران ماضية في برنامجها، وأن الضغط بإيران لن ينجح.",
    ]
    analysis, full = _analyzed(title, body)
    iran = [e for e in analysis.entities if "إيران" in e.spellings]
    assert len(iran) == 1, [(e.name, e.type) for e in analysis.entities]
    assert iran[0].name == "إيران"
    assert all(full[m.start : m.end] == m.text for m in iran[0].mentions)
    assert not any(e.name.startswith(("لإ", "بإ", "وإ")) for e in analysis.entities)


def test_display_names_are_clean_spellings() -> None:
    """An entity stored before spans were cleaned (or tagged oddly since) shows its clean spelling."""
    from akhbar.analyze.entity_policy import display_name

    assert display_name(["لإيران", "إيران", "ايران"], full_name=False) == "إيران"
    assert display_name(["للأمم المتحدة", "الأمم المتحدة"], full_name=False) == "الأمم المتحدة"
    assert display_name(["لبنان", "بنان"], full_name=False) == "لبنان"  # a known name is never a clitic form
    assert display_name(["بوتين", "فلاديمير بوتين"], full_name=True) == "فلاديمير بوتين"
    assert display_name(["بوتين", "فلاديمير بوتين"], full_name=True, counts=[90, 40]) == "فلاديمير بوتين"
    # a stray span the tagger made once is no full name (برشلونة أي: "Barcelona, i.e.")
    assert display_name(["برشلونة", "برشلونة أي"], full_name=True, counts=[1339, 3]) == "برشلونة"
    # the name the list of other names gives is no short form when it is the most frequent spelling
    houthis = ["الحوثيين", "ميليشيات الحوثي", "الحوثيون"]
    assert display_name(houthis, full_name=True, counts=[2748, 2016, 662]) == "الحوثيين"
    assert display_name(houthis[1:], full_name=True, counts=[2016, 662]) == "ميليشيات الحوثي"


def test_a_surname_goes_to_the_name_that_owns_it_whatever_its_spellings() -> None:
    """A full name stored with the word in two forms (ترامب, ترمب) is one owner, not two that tie."""
    from akhbar.analyze.entity_policy import Owner, surname_owner

    trump = [Owner(1, 600, ("trump",)), Owner(1, 600, (None,)), Owner(2, 12, ("trump",))]  # 2: إيفانكا ترامب
    assert surname_owner(("trump",), trump) == 1
    assert surname_owner(("trump",), [Owner(1, 10, ("trump",)), Owner(2, 8, ("trump",))]) is None


def test_the_article_decides_between_a_look_alike_and_a_clitic() -> None:
    """بروسيا is Prussia to the lists, but ب + روسيا where the article names روسيا (a place); بكين stays Beijing
    beside the person كين; a mark on the clitic stays with it."""
    text = "زار كين بكين ثم قال بروسيا إن روسيا ومصرّ"
    spans = [("PERS", "كين"), ("LOC", "بكين"), ("LOC", "بروسيا"), ("LOC", "روسيا"), ("LOC", "ومصرّ")]
    at, mentions = 0, []
    for kind, span in spans:
        at = text.index(span, at)
        mentions.append(Mention(kind, span, at, at + len(span)))
        at += len(span)
    cleaned = clean_mentions(mentions, text)
    assert [m.text for m in cleaned] == ["كين", "بكين", "روسيا", "روسيا", "مصرّ"]
    assert all(text[m.start : m.end] == m.text for m in cleaned)


def test_a_short_name_goes_to_the_full_name_of_its_own_type() -> None:
    """ريال alone (ORG) is ريال مدريد when that club dominates the names that have the word; a person's surname
    never resolves to an organization, nor the reverse."""
    from akhbar.analyze.entity_policy import Owner, surname_owner

    owners = [Owner(1, 2900, (None,), "ORG"), Owner(2, 40, (None,), "ORG"), Owner(3, 5000, (None,), "PERS")]
    assert surname_owner((None,), owners, kind="ORG") == 1
    assert surname_owner((None,), owners, kind="PERS") == 3
    assert surname_owner((None,), owners, kind="LOC") is None


def _archive_knows(**mentions: int) -> Callable[[Sequence[str]], dict[str, list[Candidate]]]:
    """A store's answer (entity_candidates) for an archive whose entities are these spellings with these mentions."""
    from akhbar.arabic.normalize import entity_key
    from akhbar.arabic.translit import name_signature

    def fetch(keys: Sequence[str]) -> dict[str, list[Candidate]]:
        out: dict[str, list[Candidate]] = {}
        for i, (spelling, n) in enumerate(mentions.items()):
            name = spelling.replace("_", " ")
            if entity_key(name) in keys:
                out.setdefault(entity_key(name), []).append(Candidate(i, name_signature(name), (name,), "ORG", n))
        return out

    return fetch


def _mention(text: str, span: str, kind: str) -> Mention:
    start = text.index(span)
    return Mention(kind, span, start, start + len(span))


def test_the_archive_decides_a_clitic_the_lists_cannot() -> None:
    """لريال: ريال is a currency to the lists, and the article never says ريال alone; an archive where ريال is an
    established club (and لريال is not) cuts it, and the mention points at the name. Without the archive, or when
    the word as written is as established as the rest, the span stands."""
    text = "وقال المدرب إن الفوز لريال كان مستحقا"
    mention = _mention(text, "لريال", "ORG")
    [cut] = clean_mentions([mention], text, stored=_archive_knows(ريال=400, لريال=3))
    assert (cut.text, text[cut.start : cut.end]) == ("ريال", "ريال")
    assert clean_mentions([mention], text)[0].text == "لريال"  # no archive: the lists alone say nothing
    assert clean_mentions([mention], text, stored=_archive_knows(ريال=9))[0].text == "لريال"  # not established
    assert clean_mentions([mention], text, stored=_archive_knows(ريال=400, لريال=150))[0].text == "لريال"


def test_the_archive_picks_the_reading_it_knows_best() -> None:
    """للريال cut by the tagger to لريال: ال + ريال (the club, established) wins over لريال (a clitic form some
    older archive stored); a name the lists know whole never goes to the archive (لبنان)."""
    text = "ثم الفوز للريال غدا في لبنان"
    mention = Mention("ORG", "لريال", text.index("للريال") + 1, text.index("للريال") + len("للريال"))
    [cut] = clean_mentions([mention], text, stored=_archive_knows(الريال=400, لريال=20))
    assert (cut.text, text[cut.start : cut.end]) == ("الريال", "لريال")  # the article's alef is not written
    lebanon = _mention(text, "لبنان", "LOC")
    assert clean_mentions([lebanon], text, stored=_archive_knows(بنان=500))[0].text == "لبنان"


def test_a_name_typed_otherwise_joins_the_entity_of_its_name() -> None:
    """Across articles the tagger's type is weak evidence: with no entity of its own type, the very spelling joins an
    established entity of another type (لبرشلونة typed ORG, the stored برشلونة LOC); with a long key, so does a near
    spelling (أتيلتيكو مدريد typed PERS → أتلتيكو مدريد); with a short key, never (هند is not الهند). An entity of the
    mention's own type comes first."""
    from akhbar.analyze.entity_policy import join
    from akhbar.arabic.translit import name_signature

    def stored(spelling: str, kind: str, mentions: int, entity: int = 7) -> Candidate:
        return Candidate(entity, name_signature(spelling), (spelling,), kind, mentions)

    def joined(name: str, kind: str, *candidates: Candidate) -> int | None:
        return join(name, name_signature(name), candidates, kind=kind)[0]

    assert joined("برشلونة", "ORG", stored("برشلونة", "LOC", 300)) == 7
    assert joined("برشلونة", "ORG", stored("برشلونة", "LOC", 3)) is None  # not established: a type of its own
    assert joined("برشلونة", "ORG", stored("برشلونة", "LOC", 3), stored("برشلونة", "ORG", 1, 8)) == 8
    assert joined("برشلونة", "ORG", stored("برشلونة", "ORG", 20, 8), stored("برشلونة", "LOC", 300)) == 8
    assert joined("أتيلتيكو مدريد", "PERS", stored("أتلتيكو مدريد", "ORG", 20)) == 7
    assert joined("أتيلتيكو مدريد", "PERS", stored("أتلتيكو مدريد", "ORG", 2)) is None
    assert joined("هند", "PERS", stored("الهند", "LOC", 900)) is None
    assert joined("سعود", "PERS", stored("السعودية", "LOC", 900)) is None


def test_an_entity_is_typed_as_most_of_its_mentions_are() -> None:
    from akhbar.analyze.entity_policy import majority_type

    assert majority_type({"LOC": 40, "ORG": 49}, "LOC") == "ORG"
    assert majority_type({"LOC": 49, "ORG": 49}, "LOC") == "LOC"  # a tie keeps the type
    assert majority_type({"LOC": 5, "ORG": 5}, "PERS") == "LOC"
    assert majority_type({}, "MISC") == "MISC"


def test_a_stray_span_owns_no_word() -> None:
    """A full name mentioned once (a tagger slip: لك الله يا زمالك) is no owner of a word mentioned 127 times
    alone (الزمالك); a full name with its share of the mentions is (ريال مدريد for ريال)."""
    from akhbar.analyze.entity_policy import Owner, surname_owner

    assert surname_owner((None,), [Owner(1, 1, (None,), "ORG")], kind="ORG", mentions=127) is None
    assert surname_owner((None,), [Owner(1, 1, (None,), "ORG")], kind="ORG", mentions=3) == 1
    assert surname_owner((None,), [Owner(1, 1058, (None,), "ORG")], kind="ORG", mentions=414) == 1


def test_a_short_name_is_the_word_its_owner_writes() -> None:
    """An organization's short name is written as in its full name: ماركا (a newspaper) is not the مايوركا of ريال
    مايوركا, though their keys meet; ريال is the ريال of ريال مدريد. A person's short key needs the vowel shapes to
    agree (سانا is not سنويا); a long one is left to the signatures."""
    from akhbar.analyze.entity_policy import Owner, surname_owner
    from akhbar.arabic.normalize import entity_shape

    mallorca = Owner(1, 50, (None,), "ORG", (entity_shape("مايوركا"),))
    assert surname_owner((None,), [mallorca], kind="ORG", spelling="ماركا") is None
    madrid = Owner(2, 900, (None,), "ORG", (entity_shape("ريال"),))
    assert surname_owner((None,), [madrid], kind="ORG", spelling="ريال") == 2
    assert surname_owner((None,), [madrid], kind="ORG") == 2  # shapes unknown: the signatures decide
    person = Owner(3, 40, (None,), "PERS", (entity_shape("سنويا"),))
    assert surname_owner((None,), [person], kind="PERS", spelling="سانا") is None
    macron = Owner(4, 40, (None,), "PERS", (entity_shape("ماكرون"),))
    assert surname_owner((None,), [macron], kind="PERS", spelling="ماكرن") == 4


_SHAPES = ["بتن", "بوتن", "بوتين", "ريال", "ريل", "سانا", "سنويا"]


@st.composite
def _owner_cases(draw: st.DrawFn) -> tuple[list[Any], dict[int, tuple[str, ...]], str | None, str, int]:
    from akhbar.analyze.entity_policy import Owner

    signatures = [("putin",), (None,), ("real",)]
    owners = [
        Owner(
            draw(st.integers(1, 6)),
            0,
            draw(st.sampled_from(signatures)),
            draw(st.sampled_from(["PERS", "ORG"])),
        )
        for _ in range(draw(st.integers(0, 8)))
    ]
    mentions = {o.id: draw(st.sampled_from([0, 1, 5, 20, 80, 400])) for o in owners}  # one count per name
    owners = [replace(o, mentions=mentions[o.id]) for o in owners]
    shapes = {i: tuple(draw(st.sets(st.sampled_from(_SHAPES), max_size=2))) for i in mentions}
    spelling = draw(st.sampled_from([None, *_SHAPES]))
    return owners, shapes, spelling, draw(st.sampled_from(["", "PERS", "ORG"])), draw(st.integers(0, 200))


@settings(max_examples=1500, deadline=None)
@given(_owner_cases(), st.integers(1, 6), st.sampled_from([("putin",), (None,), ("real",)]), st.integers(1, 5))
def test_owns_reads_few_shapes_and_answers_as_surname_owner(
    case: tuple[list[Any], dict[int, tuple[str, ...]], str | None, str, int],
    candidate: int,
    signature: Any,
    dominance: int,
) -> None:
    """The store's short-form filter asks owns() "does this name own the word?", reading the shapes of a few owners;
    it must answer exactly as surname_owner does with every owner's shapes in hand."""
    from akhbar.analyze.entity_policy import EntityConfig, owns, surname_owner

    config = EntityConfig(dominance=dominance)
    owners, shapes, spelling, kind, mentions = case
    shaped = [replace(o, word_shapes=shapes.get(o.id, ())) for o in owners]
    expected = surname_owner(signature, shaped, config, kind=kind, mentions=mentions, spelling=spelling) == candidate

    def shapes_of(ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
        return {i: shapes[i] for i in ids if i in shapes}

    found = owns(candidate, signature, owners, shapes_of, config, kind=kind, mentions=mentions, spelling=spelling)
    assert found == expected


def test_a_hashtag_mark_is_no_part_of_a_name() -> None:
    """AlArabiya links names inline (``دونالد #ترمب``, ``#محمد_بن_سلمان``): the entity and its tag are spelled as
    the name, and a mention's span starts at the name, after the mark."""
    title = "ترمب يهاتف بوتين"
    body = [
        "قال الرئيس الأمريكي دونالد #ترمب إن ولي العهد السعودي #محمد_بن_سلمان سيزور #سوريا قريبا.",
        "وأضاف #ترمب أن الزيارة مهمة.",
    ]
    analysis, full = _analyzed(title, body)
    names = {e.name for e in analysis.entities}
    assert {"دونالد ترمب", "محمد بن سلمان", "سوريا"} <= names, names
    assert not any("#" in m.text or "_" in m.text for e in analysis.entities for m in e.mentions)
    assert not any("#" in t.text for t in analysis.tags)
    for entity in analysis.entities:
        for m in entity.mentions:
            assert not full[m.start : m.end].startswith("#"), (m.text, full[m.start : m.end])


def test_a_word_that_only_points_at_a_place_is_no_mention() -> None:
    """«المدينة» (the city the report is about) is no name: kept, every city of the archive would be one entity."""
    text = (
        "قصفت الطائرات مدينة الحديدة، وفر آلاف من المدينة نحو صنعاء."
        " وقال الحمد الله إن الولاية ستساعد على ذلك، وقال علي"
    )
    spans = [
        Mention("LOC", word, text.index(word), text.index(word) + len(word))
        for word in ("الحديدة", "المدينة", "صنعاء", "الله", "الولاية", "على", "علي")
    ]
    # the preposition على is no name; the name علي, one letter apart, is
    assert [m.text for m in clean_mentions(spans, text)] == ["الحديدة", "صنعاء", "علي"]


def test_a_sites_domain_is_no_name() -> None:
    """نت of «العربية.نت» (the outlet's own name) is no name: its key is NATO's (ناتو), so it joined NATO's entity 291
    times in the ANT news."""
    text = 'وقال مصدر لـ"العربية.نت" إن حلف الناتو سيجتمع.'
    spans = [
        Mention("ORG", word, text.index(word), text.index(word) + len(word)) for word in ("العربية", "نت", "الناتو")
    ]
    assert [m.text for m in clean_mentions(spans, text)] == ["العربية", "الناتو"]


def test_a_word_the_tagger_takes_for_a_name_in_the_news_is_none() -> None:
    """كوري of «مسؤول كوري شمالي» (the adjective Korean) and مشهد (a scene) were people and a place to the tagger."""
    text = "وقال مسؤول كوري شمالي إن المشهد الأخير في مشهد مؤثر صور في بيونغ يانغ."
    words = ("كوري", "مشهد", "بيونغ يانغ")
    spans = [Mention("PERS" if w == "كوري" else "LOC", w, text.index(w), text.index(w) + len(w)) for w in words]
    assert [m.text for m in clean_mentions(spans, text)] == ["بيونغ يانغ"]


@pytest.mark.parametrize(
    ("text", "tagged", "name"),
    [
        ("على صلة بفتح الله غولن المقيم", "الله غولن", "فتح الله غولن"),  # the proclitic left out
        ("ويتهم أردوغان فتح الله غولن بالمحاولة", "الله غولن", "فتح الله غولن"),
        ("وأكد لعبد الرحمن محمد أن", "الرحمن محمد", "عبد الرحمن محمد"),
        ("وكما قال الله تعالى في كتابه", "الله تعالى", "الله تعالى"),  # a verb is no first half of a name
        ("مدينة رام الله", "الله", "الله"),  # one word: left as it is (and no name alone)
    ],
)
def test_a_compound_name_keeps_its_first_half(text: str, tagged: str, name: str) -> None:
    start = text.index(tagged)
    mention = Mention("PERS", tagged, start, start + len(tagged))
    assert with_compound_head(mention, text).text.endswith(name)  # a proclitic before it is the cleaning's to drop
    found = clean_mentions([mention], text)
    assert [m.text for m in found] == ([] if name == "الله" else [name])
    assert all(text[m.start : m.end] == m.text for m in found)
