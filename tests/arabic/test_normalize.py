"""The four text layers side by side: search, dedup, entity key (display is tested in test_repair)."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from akhbar.arabic.normalize import dedup_tokens, entity_key, fold_search, search_terms, term_spans

SEARCH_TABLE = [
    ("الكتاب", ["كتاب"], "article"),
    ("والكتاب", ["كتاب"], "conjunction + article"),
    ("بالكتاب", ["كتاب"], "preposition + article"),
    ("للكتاب", ["كتاب"], "lam + article"),
    ("كُتُبٌ", ["كتب"], "diacritics"),
    ("إسرائيل", ["اسرائيل"], "hamza below"),
    ("أسرائيل", ["اسرائيل"], "hamza above"),
    ("آسيا", ["اسيا"], "madda"),
    ("مستشفى", ["مستشف"], "alef maqsura folded to ya, then the ya suffix"),
    ("مدرسة", ["مدرس"], "ta marbuta folded to ha, then the ha suffix"),
    ("مفاوضاتها", ["مفاوض"], "two suffixes"),
    ("المعلمون", ["معلم"], "plural suffix"),
    ("ﻻ", ["لا"], "lam-alef ligature"),
    ("١٢٣ ۴۵", ["123", "45"], "Arabic-Indic and Persian digits"),
    ("الخارجيـــة", ["خارج"], "tatweel, then the nisba suffix"),
    ("کوریا", ["كوريا"], "Persian look-alikes"),
    ("#عاصي_الحلاني", ["عاصي", "حلان"], "hashtag words"),
    ("Kim Jong-Un", ["kim", "jong", "un"], "Latin lower-cased, never stemmed"),
    ("بيونغ", ["بيونغ"], "name"),
    ("ترامب", ["ترامب"], "name"),
    ("فلسطين", ["فلسطين"], "protected name"),
    ("وفلسطين", ["فلسطين"], "protected name behind a clitic"),
    ("بوتين", ["بوتين"], "protected name"),
    ("واشنطن", ["واشنطن"], "protected name that starts with waw"),
    ("وواشنطن", ["واشنطن"], "and Washington"),
    ("البحرين", ["بحرين"], "protected name after the article"),
    ("والبحرين", ["بحرين"], "protected name after conjunction and article"),
    ("", [], "empty"),
    ("، . ؟ !", [], "punctuation only"),
]


@pytest.mark.parametrize(("text", "terms", "why"), SEARCH_TABLE, ids=[row[2] for row in SEARCH_TABLE])
def test_search_layer(text: str, terms: list[str], why: str) -> None:
    assert search_terms(text) == terms


@pytest.mark.parametrize(
    ("query", "document"),
    [("الكتاب", "كتاب"), ("الكتاب", "والكتاب"), ("اسرائيل", "إسرائيل"), ("مدرسه", "المدرسة"), ("على", "علي")],
)
def test_queries_meet_their_documents(query: str, document: str) -> None:
    assert search_terms(query) == search_terms(document)


def test_fold_search_keeps_words_whole() -> None:
    assert fold_search("وَالكِتابُ الجديدُ") == "والكتاب الجديد"


def test_term_spans_point_at_the_display_text() -> None:
    text = "قال #عاصي_الحلاني: والكتاب"
    spans = term_spans(text)
    assert [(term, text[a:b]) for term, a, b in spans] == [
        ("قال", "قال"),
        ("عاصي", "عاصي"),
        ("حلان", "الحلاني"),
        ("كتاب", "والكتاب"),
    ]


DEDUP_TABLE = [
    ("مسؤول", ["مسوول"], "waw hamza"),
    ("رئيس", ["رييس"], "ya hamza"),
    ("سماء", ["سما"], "lone hamza dropped"),
    ("الشماليّة", ["الشماليه"], "shadda and ta marbuta"),
    ("«قمة» ١٢", ["قمه", "12"], "punctuation dropped, digits ASCII"),
    ("والكتاب", ["والكتاب"], "no stemming in the dedup layer"),
]


@pytest.mark.parametrize(("text", "tokens", "why"), DEDUP_TABLE, ids=[row[2] for row in DEDUP_TABLE])
def test_dedup_layer(text: str, tokens: list[str], why: str) -> None:
    assert dedup_tokens(text) == tokens


SAME_ENTITY = [
    ["بيونغ يانغ", "بيونغيانغ", "بيونج يانج", "بيونجيانج", "بيونغ يانج", "بيونغيانج"],
    ["كيم جونغ أون", "كيم جونج-أون", "كيم جونج اون", "كيم جونغ اون", "كيم جونغ-اون", "كيم جونغأون", "کیم جونج اون"],
    ["فوستوتشني", "فوستوشني", "فوستوچني"],
    ["شويغو", "شويجو"],
    ["زيلينسكي", "زيلنسكي"],
    ["لويد أوستن", "لويد اوستن"],
    ["ترامب", "ترمب"],
    ["فلاديفوستوك", "فلاديڤوستوك"],
    ["بيونغ", "بيونج"],
    ["إسرائيل", "اسرائيل"],
]


@pytest.mark.parametrize("spellings", SAME_ENTITY, ids=[group[0] for group in SAME_ENTITY])
def test_entity_key_unifies_spellings(spellings: list[str]) -> None:
    assert len({entity_key(name) for name in spellings}) == 1


DIFFERENT_ENTITIES = [
    ("كيم جونغ أون", "كيم يو جونغ"),
    ("كيم جونغ أون", "كيم جونغ إيل"),
    ("بوتين", "بيونغ"),
    ("سيول", "موسكو"),
    ("لافروف", "شويغو"),
    ("كوريا الشمالية", "كوريا الجنوبية"),
]


@pytest.mark.parametrize(("a", "b"), DIFFERENT_ENTITIES)
def test_entity_key_keeps_names_apart(a: str, b: str) -> None:
    assert entity_key(a) != entity_key(b)


PYONGYANG = re.compile("بيون[غجك] ?يان[غجك]")
KIM = re.compile("كيم جون[غج][ -]?[أا]ون")


def test_entity_key_on_corpus_variants(shared_data: Path) -> None:
    """Every Pyongyang and Kim Jong Un spelling in the first 5,000 ANT articles gets one key per name."""
    found: dict[str, set[str]] = {"pyongyang": set(), "kim": set()}
    with gzip.open(shared_data / "ant" / "multisource-v2.1.jsonl.gz", "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i >= 5000:
                break
            text = json.loads(line)["text"]
            found["pyongyang"].update(PYONGYANG.findall(text))
            found["kim"].update(KIM.findall(text))
    assert len(found["pyongyang"]) >= 2 and len(found["kim"]) >= 2, found
    for spellings in found.values():
        assert len({entity_key(s) for s in spellings}) == 1, spellings


@given(st.text())
def test_layers_never_raise(text: str) -> None:
    search_terms(text)
    dedup_tokens(text)
    entity_key(text)
