from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from akhbar.link.duplicates import (
    DedupConfig,
    candidate_probability,
    estimated_jaccard,
    fingerprint_text,
    shingles,
)
from akhbar.link.linker import Linker
from akhbar.model import Article, Block, Provenance
from akhbar.store import open_store
from akhbar.store.base import Store

REPORT = (
    "أعلن وزير الدفاع الأميركي لويد أوستن السبت أن بلاده تتوقع أن الآلاف من القوات الكورية الشمالية المحتشدة في"
    " روسيا ستشارك قريبا في القتال ضد أوكرانيا وقال أوستن للصحافة خلال توقفه في فيجي إنه يتوقع تماما أن يراهم"
    " يشاركون في القتال قريبا بناء على ما تم تدريبهم عليه والطريقة التي تم دمجهم بها في التشكيلات الروسية"
)
OTHER = (
    "ارتفعت أسعار النفط في الأسواق العالمية بعد أن قررت مجموعة أوبك بلس خفض الإنتاج في الربع الأول من العام"
    " المقبل وسط توقعات بتراجع الطلب في الصين وأوروبا بحسب محللين في أسواق الطاقة"
)


def test_spelling_habits_do_not_hide_a_copy() -> None:
    variant = REPORT.replace("أوكرانيا", "اوكرانيا").replace("القتال", "القتال،").replace("الروسية", "الروسيه")
    a, b = fingerprint_text(REPORT), fingerprint_text(variant)
    assert a.text_hash == b.text_hash  # dedup layer: hamza, ة/ه and punctuation folded
    assert estimated_jaccard(a.signature, b.signature) == 1.0


def test_estimated_jaccard_tracks_the_true_one() -> None:
    words = REPORT.split()
    rewritten = " ".join([*words[:40], "وأضاف", "المسؤول", "الأميركي", *words[40:]])
    size = DedupConfig().shingle
    x, y = set(shingles(words, size)), set(shingles(rewritten.split(), size))
    true = len(x & y) / len(x | y)
    estimate = estimated_jaccard(fingerprint_text(REPORT).signature, fingerprint_text(rewritten).signature)
    assert abs(estimate - true) < 0.15
    assert estimated_jaccard(fingerprint_text(REPORT).signature, fingerprint_text(OTHER).signature) < 0.1


def test_the_banding_s_curve_separates_copies_from_strangers() -> None:
    assert candidate_probability(0.6) > 0.99
    assert candidate_probability(0.05) < 0.01


def article(article_id: str, text: str, outlet: str, day: int) -> Article:
    return Article(
        id=article_id,
        url=None,
        outlet=outlet,
        title="أوستن: جنود كوريا الشمالية سيقاتلون قريبا",
        published_at=datetime(2024, 11, day, tzinfo=UTC),
        author=None,
        body=[Block("paragraph", text)],
        provenance=Provenance("-", "test"),
    )


@pytest.fixture
def linked(store_db: str) -> Iterator[tuple[Store, Linker]]:
    store = open_store(store_db)
    yield store, Linker(store)
    store.close()


def add(store: Store, linker: Linker, item: Article) -> None:
    store.put(item)
    linker.link(item)


def test_copies_in_other_outlets_are_one_report_headed_by_the_earliest(linked: tuple[Store, Linker]) -> None:
    store, linker = linked
    add(store, linker, article("late", REPORT + " وأضاف المسؤول", "الخليج", 3))
    add(store, linker, article("early", REPORT, "العربية", 2))
    add(store, linker, article("other", OTHER, "العربية", 2))
    groups = store.duplicate_groups()
    assert [[r.id for r in g] for g in groups] == [["early", "late"]]
    assert [r.outlet for r in store.duplicates_of("early")] == ["الخليج"]
    assert store.duplicates_of("other") == []


def test_a_changed_text_leaves_its_group(linked: tuple[Store, Linker]) -> None:
    store, linker = linked
    add(store, linker, article("a", REPORT, "العربية", 2))
    add(store, linker, article("b", REPORT, "الخليج", 3))
    assert [r.id for r in store.duplicates_of("a")] == ["b"]
    add(store, linker, replace(article("a", OTHER, "العربية", 2)))
    assert store.duplicates_of("a") == [] and store.duplicates_of("b") == [] and store.duplicate_groups() == []


def test_groups_merge_when_an_article_bridges_them(linked: tuple[Store, Linker]) -> None:
    store, linker = linked
    words = REPORT.split()
    half = len(words) // 2
    first = " ".join(words[: half + 8])
    second = " ".join(words[half - 8 :])
    add(store, linker, article("first", first + " " + first, "أ", 1))
    add(store, linker, article("second", second + " " + second, "ب", 2))
    assert store.duplicate_groups() == []
    add(store, linker, article("both", REPORT, "ج", 3))  # shares most of each
    groups = store.duplicate_groups()
    assert len(groups) == 1 and {r.id for r in groups[0]} == {"first", "second", "both"}
    assert groups[0][0].id == "first"  # the earliest heads the merged group
