"""The display layer: each damage a scraped Arabic page shows, and what repair makes of it."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from akhbar.analyze.weights import is_common_word
from akhbar.arabic.repair import has_visible_text, is_persian_or_urdu, repair, split_glued_words, split_heading

REPAIR_TABLE = [
    # Persian/Urdu look-alikes inside Arabic text
    ("کوریا الشمالیة", "كوريا الشمالية", "keheh and farsi yeh"),
    ("زیلینسکی", "زيلينسكي", "final farsi yeh is ya by default"),
    ("علی الحدود", "على الحدود", "final farsi yeh is alef maqsura in على"),
    ("فی موسکو", "في موسكو", "في"),
    ("مستشفی", "مستشفى", "known alef-maqsura word"),
    ("مدرسۀ", "مدرسة", "heh with yeh above is ta marbuta"),
    ("العدد ۱۲", "العدد ١٢", "Persian digits become Arabic-Indic"),
    # glued words
    ("بالذخيرةوبحسب", "بالذخيرة وبحسب", "ta marbuta then a letter"),
    ("الروسيةوتحرك", "الروسية وتحرك", "ta marbuta then waw"),
    ("أخرىوقال", "أخرى وقال", "alef maqsura then a letter"),
    ("قريباًوقال", "قريباً وقال", "tanween fath with alef after"),
    ("قريبًاوقال", "قريبًا وقال", "tanween fath with alef before"),
    ("وصولًا", "وصولًا", "tanween then alef ends the word: no split"),
    ("المدرسةُوالبيت", "المدرسةُ والبيت", "harakat after the ta marbuta stay with it"),
    # tanween slips
    ("تٌعقد", "تُعقد", "tanween damm inside a word"),
    ("بٍه", "بِه", "tanween kasr inside a word"),
    ("كتابٌ جديد", "كتابٌ جديد", "tanween at the end is right"),
    # invisibles, tatweel, presentation forms
    ("الخارجيـــة", "الخارجية", "tatweel"),
    ("الـ 24 ساعة", "الـ 24 ساعة", "tatweel ending a clitic before a number separates: kept"),
    ('قال بـ"الجيش" ولـ«الصباح»', 'قال بـ"الجيش" ولـ«الصباح»', "tatweel before a quote or guillemet: kept"),
    ("الــــ 24", "الـ 24", "a separating run is one tatweel"),
    ("ـــ", "", "tatweel after no letter is nothing"),
    ("عاجل : انفجار", "عاجل : انفجار", "a space before a colon is the page's style: kept"),
    ("\u200fبيان\u200e رسمي\u202b", "بيان رسمي", "bidi marks"),
    ("بيان\u200bرسمي", "بيانرسمي", "zero-width space carries nothing"),
    ("ﺍﻟﺴﻼﻡ", "السلام", "presentation forms and lam-alef ligature"),
    ("\ufeffخبر", "خبر", "BOM"),
    # spacing
    ("قال ، ثم", "قال، ثم", "no space before Arabic comma"),
    ("أولا،ثانيا", "أولا، ثانيا", "a space after Arabic comma"),
    ("هل انتهى ؟", "هل انتهى؟", "no space before question mark"),
    ("وكالة « يونهاب »", "وكالة «يونهاب»", "guillemets"),
    ("كلمة   و  كلمة", "كلمة و كلمة", "space runs"),
    ("3.5 مليون", "3.5 مليون", "numbers untouched"),
    ("https://example.test/a?b=1", "https://example.test/a?b=1", "URLs untouched"),
    ("Kim Jong Un", "Kim Jong Un", "Latin untouched"),
    # control characters: never text, and a terminal obeys them (terminal escape injection through `akhbar show`)
    ("خبر\x1b[2J\x1b]0;pwned\x07عاجل", "خبر[2J]0;pwnedعاجل", "ESC and BEL dropped: no escape sequence survives"),
    ("بيان\x00 رسمي\x08", "بيان رسمي", "NUL and backspace"),
    ("بيان\x9b31m رسمي\x90", "بيان31m رسمي", "C1 controls (8-bit CSI, DCS)"),
    ("بيان\x7f رسمي", "بيان رسمي", "DEL"),
    ("بيان\rرسمي\x0cعاجل\x85خبر\x1fآخر", "بيان رسمي عاجل خبر آخر", "separator controls keep the words apart"),
    ("سطر أول\r\nسطر ثان", "سطر أول\nسطر ثان", "CRLF is a line break"),
    ("سطر أول\nسطر\tثان", "سطر أول\nسطر ثان", "line feed kept, tab is a space"),
]


@pytest.mark.parametrize(("raw", "expected", "why"), REPAIR_TABLE, ids=[row[2] for row in REPAIR_TABLE])
def test_repair_table(raw: str, expected: str, why: str) -> None:
    assert repair(raw) == expected


PERSIAN = "پوتین برای دیدار با رهبر کره شمالی به شرق روسیه سفر کرد و این سفر مهم است."
URDU = "روس کے صدر نے شمالی کوریا کے رہنما سے ملاقات کی اور یہ ملاقات اہم ہے۔"


def test_persian_and_urdu_texts_are_left_alone() -> None:
    assert is_persian_or_urdu(PERSIAN)
    assert is_persian_or_urdu(URDU)
    assert repair(PERSIAN) == PERSIAN
    assert repair(URDU) == URDU


def test_arabic_text_with_one_persian_tag_is_arabic() -> None:
    text = "كلمات دلالية: كوريا الشمالية روسيا بوتين کوریا الشمالیة"
    assert not is_persian_or_urdu(text)
    assert repair(text).endswith("كوريا الشمالية")


def test_the_decision_can_be_made_for_a_whole_article() -> None:
    assert repair("کوریا", persian=True) == "کوریا"
    assert repair("کوریا", persian=False) == "كوريا"


HEADINGS = [
    (
        "المحللون يتوقعون موافقة كوريا الشمالية على تزويد روسيا بالذخيرةوبحسب وكالة الأنباء الكورية الجنوبية «يونهاب» "
        "فإن المحللين يتوقعون موافقة كوريا الشمالية على تزويد روسيا بالذخيرة والأسلحة اللازمة لحربها في أوكرانيا.",
        "المحللون يتوقعون موافقة كوريا الشمالية على تزويد روسيا بالذخيرة",
    ),
    (
        "سافر بالقطار وصولًا للحدود الروسيةوتحرك رئيس كوريا الشمالية بالقطار وصولًا لمدينة خاسان الحدودية الروسية في "
        "الساعة السادسة صباح أمس الثلاثاء، واستقبله كبار المسؤولين الروس.",
        "سافر بالقطار وصولًا للحدود الروسية",
    ),
    ("ملفات عالقة بين الدولتين أخرىوقال مسؤول إن المحادثات تناولت ملفات كثيرة منها الطاقة والنقل والتجارة.", None),
]


@pytest.mark.parametrize(("paragraph", "heading"), HEADINGS)
def test_split_heading(paragraph: str, heading: str | None) -> None:
    found = split_heading(paragraph)
    if heading is None:
        assert found is None or found.heading.split()[-1] == "أخرى"
    else:
        assert found is not None
        assert found.heading == heading
        assert found.rest.startswith("و")
        assert (found.heading + found.rest) == paragraph.strip()


NOT_HEADINGS = [
    # the glue sits in the middle of a long sentence: a typo, not a lost line break
    "قال المتحدث باسم الوزارة في مؤتمر صحفي عقده اليوم في العاصمة إن المحادثات مع الجانب الروسي كانت مثمرة للغاية"
    "وأضاف أن الطرفين اتفقا على مواصلة الحوار في الأسابيع المقبلة وعلى تبادل الزيارات.",
    # punctuation before the glue: a sentence, not a heading
    "في خطوة مفاجئة، أعلنت الحكومة زيادة الضريبةوقال الوزير إن القرار ضروري لسد العجز في الموازنة العامة للدولة.",
    # too short a paragraph after it
    "قمة تاريخية في الشرق الأقصىوبدأت المحادثات.",
    # no glue at all
    "يلتقي الرئيس الروسي فلاديمير بوتين بالزعيم الكوري الشمالي كيم جونج-أون في قمة نادرة في روسيا.",
]


@pytest.mark.parametrize("paragraph", NOT_HEADINGS)
def test_no_heading_where_there_is_none(paragraph: str) -> None:
    assert split_heading(paragraph) is None


def test_glue_split_never_loses_letters() -> None:
    raw = "بالذخيرةوبحسب الروسيةوتحرك أخرىوقال"
    assert split_glued_words(raw).replace(" ", "") == raw.replace(" ", "")


@given(st.text())
def test_repair_never_raises_and_is_idempotent(text: str) -> None:
    once = repair(text)
    assert repair(once) == once


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"])), st.booleans())
def test_display_text_has_no_control_character(text: str, persian: bool) -> None:
    shown = repair(text, persian=persian)
    assert not [ch for ch in shown if unicodedata.category(ch) == "Cc" and ch != "\n"]


@pytest.mark.parametrize(
    ("text", "visible"),
    [
        ("عنوان", True),
        (" \u200bعنوان\u200f ", True),
        ("", False),
        (None, False),
        (" \t\n", False),
        ("\u200b\u200c\u200d\u200e\u200f\ufeff\u2060\u061c\u202b\u2066", False),
        ("\x1b\x07\u00a0\u3000", False),
    ],
)
def test_has_visible_text(text: str | None, visible: bool) -> None:
    assert has_visible_text(text) is visible


@given(st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهويةىءأإآؤئ ًٌٍَُِّْـ،.؟\n"))
def test_repair_keeps_every_arabic_letter(text: str) -> None:
    def letters(s: str) -> list[str]:
        return [ch for ch in s if "\u0621" <= ch <= "\u064a" and ch != "\u0640"]  # tatweel is not a letter

    assert letters(repair(text)) == letters(text)


def test_a_heading_glued_without_a_final_letter_is_found_with_a_word_list() -> None:
    # الاحتفال ends in no ة/ى: the letters alone do not show where the heading ended.
    paragraph = (
        "فرقة الموسيقى الوطنية تحيي ليلة الاحتفالوانطلق الحفل في التاسعة مساء أمس بحضور آلاف من سكان المدينة وزوارها "
        "الذين ملؤوا الساحة الكبرى حتى ساعة متأخرة من الليل."
    )
    assert split_heading(paragraph) is None
    found = split_heading(paragraph, is_common_word)
    assert found is not None
    assert found.heading == "فرقة الموسيقى الوطنية تحيي ليلة الاحتفال"
    assert found.rest.startswith("وانطلق الحفل")


@pytest.mark.parametrize(
    "paragraph",
    [
        # a name holding و + an opener (مالكولم: مالك + ولم is no paragraph opener of three letters)
        "وقال رئيس الوزراء الأسترالي مالكولم تورنبول إن الأمر يتعلق بالأمن القومي للبلاد وبمصالحها الاقتصادية في "
        "المنطقة كلها.",
        # a rare word the list does not know, glued to nothing (الفونوغرامات)
        "اختار الاتحاد الدولي لصناعة الفونوغرامات أفضل الأغاني المبيعة في العالم لهذا العام من بين آلاف الأعمال "
        "التي صدرت في أنحاء العالم.",
    ],
)
def test_words_that_hold_waw_are_not_cut_into_a_heading(paragraph: str) -> None:
    assert split_heading(paragraph, is_common_word) is None
