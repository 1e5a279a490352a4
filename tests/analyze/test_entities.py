"""In-article entity resolution: spellings and short forms of one name are one entity; different people stay apart."""

from __future__ import annotations

from akhbar.analyze.entities import Mention, resolve_in_article


def mentions(*items: tuple[str, str]) -> list[Mention]:
    out, pos = [], 0
    for kind, text in items:
        out.append(Mention(kind, text, pos, pos + len(text)))
        pos += len(text) + 10
    return out


def groups(*items: tuple[str, str]) -> list[tuple[str, str, list[str]]]:
    return [(e.type, e.name, [m.text for m in e.mentions]) for e in resolve_in_article(mentions(*items))]


def test_surname_joins_the_full_name() -> None:
    assert groups(("PERS", "فلاديمير بوتين"), ("LOC", "موسكو"), ("PERS", "بوتين")) == [
        ("PERS", "فلاديمير بوتين", ["فلاديمير بوتين", "بوتين"]),
        ("LOC", "موسكو", ["موسكو"]),
    ]


def test_spelling_variants_are_one_entity() -> None:
    result = groups(("PERS", "كيم جونغ أون"), ("PERS", "كيم جونج-أون"), ("LOC", "بيونغ يانغ"), ("LOC", "بيونغيانغ"))
    assert [(kind, len(found)) for kind, _, found in result] == [("PERS", 2), ("LOC", 2)]


def test_ambiguous_short_form_is_not_guessed() -> None:
    result = groups(("PERS", "كيم جونغ أون"), ("PERS", "كيم يو جونغ"), ("PERS", "كيم"))
    assert [name for _, name, _ in result] == ["كيم جونغ أون", "كيم يو جونغ", "كيم"]


def test_different_people_stay_apart() -> None:
    result = groups(("PERS", "سيرغي لافروف"), ("PERS", "سيرغي شويغو"))
    assert len(result) == 2


def test_one_name_is_one_entity_whatever_type_the_tagger_gave() -> None:
    """The tagger types a name differently from mention to mention (لترامب LOC, #إيران PERS): in one article one
    name is one entity, with the type most of its mentions have (the first mention's on a tie)."""
    assert [(k, n) for k, n, _ in groups(("LOC", "كورسك"), ("ORG", "كورسك"))] == [("LOC", "كورسك")]
    result = groups(("LOC", "ترامب"), ("PERS", "ترامب"), ("PERS", "ترامب"))
    assert [(k, n, len(found)) for k, n, found in result] == [("PERS", "ترامب", 3)]


def test_short_form_first_still_joins_the_full_name() -> None:
    result = groups(("PERS", "بوتين"), ("LOC", "موسكو"), ("PERS", "فلاديمير بوتين"), ("PERS", "بوتين"))
    assert result[0] == ("PERS", "فلاديمير بوتين", ["بوتين", "فلاديمير بوتين", "بوتين"])
    assert len(result) == 2


def test_names_the_dictionary_knows_apart_stay_apart() -> None:
    # صلاح and صالح share an entity key (long vowels dropped) but are two names: Salah and Saleh.
    result = groups(("PERS", "محمد صلاح"), ("PERS", "محمد صالح"), ("PERS", "صلاح"))
    assert [(name, found) for _, name, found in result] == [
        ("محمد صلاح", ["محمد صلاح", "صلاح"]),
        ("محمد صالح", ["محمد صالح"]),
    ]


def test_other_names_of_one_entity_are_one_entity() -> None:
    """A listed alias in any spelling (أمريكا, أميركا, الولايات المتحدة الأمريكية) and a head word the name already
    says (تنظيم داعش) are the entity; a head before what is no name stays a name of its own (حزب الله, مجلس الأمن)."""
    result = groups(
        ("LOC", "أمريكا"),
        ("LOC", "الولايات المتحدة"),
        ("LOC", "أميركا"),
        ("ORG", "تنظيم داعش"),
        ("ORG", "داعش"),
        ("ORG", "حزب الله"),
        ("ORG", "مجلس الأمن"),
        ("LOC", "الولايات المتحدة الأمريكية"),
    )
    assert [(name, len(found)) for _, name, found in result] == [
        ("الولايات المتحدة الأمريكية", 4),
        ("تنظيم داعش", 2),
        ("حزب الله", 1),
        ("مجلس الأمن", 1),
    ]


def test_identity_names_table() -> None:
    from akhbar.analyze.entity_policy import identity_name, same_name

    table = {
        "أمريكا": "الولايات المتحدة",
        "#أميركا": "الولايات المتحدة",
        "بريطانيا": "المملكة المتحدة",
        "المملكة العربية السعودية": "السعودية",
        "الناتو": "حلف شمال الأطلسي",
        "تنظيم داعش": "داعش",
        "محافظة دير الزور": "دير الزور",
        "مدينة نيويورك": "نيويورك",
        "منظمة الأمم المتحدة": "الأمم المتحدة",
        "حزب الله": "حزب الله",  # الله is no name the head could precede
        "مجلس الأمن القومي": "مجلس الأمن القومي",
        "نيوكاسل": "نيوكاسل",  # the city, left out of the club's aliases
    }
    assert {name: identity_name(name) for name in table} == table
    assert same_name("فيفا", "الاتحاد الدولي لكرة القدم") and not same_name("أمريكا", "بريطانيا")
