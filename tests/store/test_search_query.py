"""User queries → analyzed queries (akhbar.store.search): what a query may cost, whatever is typed; which spellings
a name widens to; what counts as a typing slip."""

from __future__ import annotations

import random
import string
import time
import tracemalloc

import pytest

from akhbar.arabic.normalize import entity_key
from akhbar.store.search import (
    MAX_EXPANDED_WORDS,
    MAX_GROUPS,
    key_variants,
    name_spellings,
    parse_query,
    typing_distance,
)


def test_a_name_is_one_group_of_spellings() -> None:
    query = parse_query("Kim Jong Un صواريخ")
    assert query.groups[0][0] == ("كيم", "جونغ", "اون")
    assert ("kim", "jong", "un") in query.groups[0]
    assert query.groups[1] == (("صواريخ",),)


def test_a_long_latin_run_is_taken_word_by_word() -> None:
    query = parse_query("Putin met Erdogan and Assad in Sochi on Monday to discuss Syria")
    assert len(query.groups) == 12
    assert ("بوتين",) in query.groups[0]


def test_a_repeated_name_is_one_group() -> None:
    assert len(parse_query(" ".join(["Mohammed"] * 1000)).groups) == 1


def test_a_thousand_word_latin_query_stays_within_a_small_budget() -> None:
    """10 Latin words once took 6 s and 1.6 GB and 12 raised MemoryError: the expansion is bounded now."""
    rng = random.Random(7)
    words = ["".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 12))) for _ in range(1000)]
    parse_query("warm up the tables")
    tracemalloc.start()
    started = time.process_time()
    query = parse_query(" ".join(words))
    seconds = time.process_time() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(query.groups) == MAX_GROUPS
    expanded = [g for g in query.groups if len(g) > 1]
    assert len(expanded) <= MAX_EXPANDED_WORDS
    assert peak < 50 * 2**20, f"peak {peak / 2**20:.1f} MiB"
    assert seconds < 10, f"{seconds:.1f} s"


def test_mixed_runs_share_one_budget() -> None:
    """Runs between Arabic words each look small; together they are held to the same budget."""
    text = " و ".join(f"Name{i} Other{i}" for i in range(200))
    query = parse_query(text)
    assert sum(len(p) for g in query.groups for p in g) < 2_000


def test_a_known_arabic_name_is_one_group_of_its_spellings() -> None:
    """A run of the query that names a stored entity stands for all the entity's spellings, in place of its words;
    the other words stay words; the runs asked about are bounded."""
    from akhbar.arabic.normalize import search_terms
    from akhbar.store.search import arabic_names

    spellings = {"بيونغيانغ": ["بيونغ يانغ", "بيونج يانج"]}
    query = parse_query("صواريخ بيونغيانغ", spellings)
    assert ((search_terms("صواريخ")[0],),) in query.groups
    [name] = [g for g in query.groups if len(g) > 1]
    assert set(name) == {tuple(search_terms(s)) for s in ("بيونغيانغ", "بيونغ يانغ", "بيونج يانج")}
    assert parse_query("صواريخ بيونغيانغ").groups == parse_query("صواريخ بيونغيانغ", {}).groups
    assert arabic_names('زيارة "كيم" إلى بيونغ يانغ Trump') == [
        "زيارة إلى بيونغ",
        "إلى بيونغ يانغ",
        "زيارة إلى",
        "إلى بيونغ",
        "بيونغ يانغ",
        "زيارة",
        "إلى",
        "بيونغ",
        "يانغ",
    ]
    assert len(arabic_names(" ".join(["كلمة"] * 1000))) <= 3 * 8


def test_a_latin_name_takes_the_spellings_of_the_entity_it_names() -> None:
    """The archive's other spellings of the entity a Latin name names join its group (given by the name's key)."""
    from akhbar.arabic.normalize import search_terms

    plain = parse_query("Houthis اليمن")
    widened = parse_query("Houthis اليمن", {"houthis": ["أنصار الله"]})
    assert tuple(search_terms("أنصار الله")) in widened.groups[0]
    assert set(widened.groups[0]) - set(plain.groups[0]) == {tuple(search_terms("أنصار الله"))}
    assert widened.groups[1:] == plain.groups[1:]


def test_a_name_widens_to_its_common_spellings_of_the_same_key_only() -> None:
    """Short forms and titles are other names (كيم alone is many people); a spelling met once is a slip or a wrong
    merge, and would rank the article that has it first."""
    counts = {"كيم جونغ أون": 500, "كيم جونغ-أون": 80, "كيم جونج أون": 30, "كيم": 400, "كيم جونغ أونن": 1}
    assert name_spellings("كيم جونج أون", counts) == ["كيم جونغ أون", "كيم جونغ-أون"]
    assert name_spellings("ميسي", {"ميسي": 900, "ماي ساي": 2}) == []  # nothing but the name as typed
    # A listed other name of the entity is the same name (its identity), in any spelling.
    houthis = {"الحوثيين": 500, "ميليشيات الحوثي": 300, "أنصار الله": 40, "الحوثي": 200}
    assert name_spellings("الحوثيين", houthis) == ["ميليشيات الحوثي", "أنصار الله"]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("خاشجقي", "خاشقجي"), ("قوقل", "غوغل"), ("رونلدو", "رونالدو"), ("فيسبوق", "فيسبوك"), ("اردوقان", "أردوغان")],
)
def test_a_slip_is_one_key_variant_away(typed: str, meant: str) -> None:
    assert entity_key(meant) in key_variants(entity_key(typed)) or entity_key(meant) == entity_key(typed)


def test_typing_distance_counts_slips_not_spelling_layers() -> None:
    assert typing_distance("خاشجقي", "خاشقجي") == 1  # two neighbours swapped
    assert typing_distance("ميسى", "ميسي") == 0 and typing_distance("الحديده", "الحديدة") == 0
    assert typing_distance("السنمائي", "سيميوني") > 2
