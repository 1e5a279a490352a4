from __future__ import annotations

from akhbar.analyze.keyphrases import key_phrases
from akhbar.arabic.normalize import search_term, search_terms
from akhbar.model import Article, Block, Provenance


def article(title: str, *paragraphs: str) -> Article:
    return Article(
        id="a",
        url=None,
        outlet=None,
        title=title,
        published_at=None,
        author=None,
        body=[Block("paragraph", p) for p in paragraphs],
        provenance=Provenance("-", "test"),
    )


TEXT = article(
    "الحرس الثوري يعلن إطلاق صواريخ",
    "أعلن الحرس الثوري الإيراني إطلاق صواريخ باليستية. وقال قائد في الحرس الثوري إن الصواريخ أصابت أهدافها.",
    "ويملك الحرس الثوري ترسانة كبيرة، وأكد وزير الخارجية أن بلاده لن تتراجع، فيما تحدث وزير الخارجية عن المفاوضات.",
)


def test_noun_phrases_are_found_in_their_display_spelling() -> None:
    texts = [p.text for p in key_phrases(TEXT)]
    assert texts[0] == "الحرس الثوري"
    assert "وزير الخارجية" in texts


def test_a_glued_conjunction_or_preposition_is_not_part_of_the_tag() -> None:
    phrases = key_phrases(article("عنوان", "زار بالحرس الثوري ثم والحرس الثوري ثم للحرس الثوري مرة أخرى."))
    assert [p.text for p in phrases][:1] == ["الحرس الثوري"]


def test_a_word_is_cut_only_where_the_arabic_layer_splits_it() -> None:
    """وكالة is a word, not و + ك + «الة»; a prefix written apart with tatweel (الـ5) ends the phrase before it."""
    item = article(
        "وكالة الفضاء اليابانية تنزل عربتين",
        "أعلنت وكالة الفضاء اليابانية نجاح المهمة. وقالت وكالة الفضاء اليابانية إن الصور وصلت.",
        "ويحتفل الموقع بعيد ميلاده الـ11 وتحتفل المنصة بعيد ميلاده الـ12 ثم بعيد ميلاده الـ13.",
    )
    texts = [p.text for p in key_phrases(item)]
    assert "وكالة الفضاء اليابانية" in texts
    assert not any(t.startswith("الة") or t.endswith("ـ") or "الـ" in t for t in texts), texts


def test_no_phrase_has_punctuation_a_verb_or_a_function_word_at_its_edges() -> None:
    for phrase in key_phrases(TEXT):
        words = phrase.text.split()
        assert all(ch.isalpha() or ch == " " for ch in phrase.text), phrase
        assert not words[0].startswith(("يـ", "أعلن", "وقال")), phrase
        assert words[-1] not in {"في", "من", "إن", "أن"}, phrase


def mention_spans(item: Article, name: str) -> list[tuple[int, int]]:
    text = item.title + "\n" + item.text
    spans, start = [], text.find(name)
    while start >= 0:
        spans.append((start, start + len(name)))
        start = text.find(name, start + 1)
    return spans


def test_names_given_are_left_to_entity_tags() -> None:
    phrases = key_phrases(TEXT, names=mention_spans(TEXT, "الحرس الثوري"))
    assert all("الحرس" not in p.text for p in phrases)


def test_only_the_mentions_are_names_not_their_words_elsewhere() -> None:
    item = article(
        "البرنامج النووي الإيراني والاتفاق النووي",
        "قال إن البرنامج النووي الإيراني سلمي. ويهدد الانسحاب من الاتفاق النووي المنطقة، فالاتفاق النووي ضمانة.",
    )
    texts = [p.text for p in key_phrases(item, names=mention_spans(item, "البرنامج النووي الإيراني"))]
    assert "الاتفاق النووي" in texts
    assert not any("البرنامج" in t for t in texts)


def test_a_year_after_a_phrase_is_part_of_it() -> None:
    item = article("كأس العالم 2018", "انطلقت كأس العالم 2018 في روسيا، وتستمر كأس العالم 2018 شهرا.")
    assert "كأس العالم 2018" in [p.text for p in key_phrases(item)]


def test_clauses_are_not_phrases() -> None:
    """A possessive pronoun, a preposition glued inside or a first-person verb makes a clause, not a tag."""
    item = article(
        "آمالهم بالهدف",
        "عززوا آمالهم بالهدف الثاني. وتعرضت فيرجين للطيران للانتقاد. فقررنا اللجوء إلى المحكمة.",
        "عززوا آمالهم بالهدف الثاني. وتعرضت فيرجين للطيران للانتقاد. فقررنا اللجوء إلى المحكمة.",
        "عززوا آمالهم بالهدف الثاني. وتعرضت فيرجين للطيران للانتقاد. فقررنا اللجوء إلى المحكمة.",
    )
    texts = [p.text for p in key_phrases(item)]
    assert not any(t.startswith(("آمالهم", "فقررنا")) or "للانتقاد" in t.split()[1:] for t in texts), texts
    assert "الهدف" in texts or "الهدف الثاني" in texts  # the noun after the glued preposition, shown without it


def test_phrases_are_not_stemmed_and_not_repeated_inside_longer_ones() -> None:
    texts = [p.text for p in key_phrases(TEXT)]
    assert "الحرس" not in texts and "حرس ثور" not in texts


def test_a_noun_phrase_built_on_a_name_is_a_phrase_the_name_alone_is_not() -> None:
    item = article(
        "غارات على قطاع غزة",
        "شنت طائرات غارات على قطاع غزة. وقال سكان في قطاع غزة إن الغارات استمرت، فيما دعا الرئيس ترامب إلى التهدئة.",
    )
    names = mention_spans(item, "غزة") + mention_spans(item, "ترامب")
    texts = [p.text for p in key_phrases(item, names=names)]
    assert "قطاع غزة" in texts
    assert "غزة" not in texts and not any("ترامب" in t for t in texts)  # a definite title before a name is no phrase


def test_the_whole_phrase_wins_over_the_word_it_holds_when_the_article_uses_it() -> None:
    item = article(
        "تراجع أسعار النفط",
        "تراجعت أسعار النفط اليوم. وقال محللون إن النفط يتأثر بالمخزونات، وإن النفط الأمريكي تراجع أيضا.",
        "وتوقعوا أن تواصل أسعار النفط التراجع، فيما ارتفع إنتاج النفط في عدة دول. ويبقى النفط سلعة متقلبة.",
    )
    texts = [p.text for p in key_phrases(item)]
    assert "أسعار النفط" in texts and "النفط" not in texts


def test_a_noun_that_ends_like_an_adjective_heads_its_phrase() -> None:
    """ولي العهد (not its tail العهد السعودي, which the relational-adjective rule left when ولي could not start a
    phrase), نادي الهلال, وادي السيليكون; the adjective الروسي still starts none."""
    body = " ".join(
        [
            "وقال ولي العهد السعودي إن المملكة ستستثمر.",
            "وأكد ولي العهد السعودي أن الاستثمار مستمر.",
            "والتقى لولي العهد السعودي وفد من وادي السيليكون.",
            "وزار وفد وادي السيليكون الرياض، وقال وفد وادي السيليكون إن الرياض واعدة.",
            "وحضر الروسي الجديد اللقاء والروسي الجديد صامت والروسي الجديد غائب.",
        ]
    )
    keys = {p.key for p in key_phrases(article("زيارة", body))}
    assert " ".join(search_terms("ولي العهد السعودي")) in keys
    assert " ".join(search_terms("وادي السيليكون")) in keys
    assert " ".join(search_terms("العهد السعودي")) not in keys
    assert not any(k.startswith(search_term("الروسي")) for k in keys)
