"""A dump's site furniture (akhbar.ingest.repeated): site-wide lines and the items of a sliding "more news" widget are
cut; a story's background, repeated by its updates, is kept."""

from __future__ import annotations

import gzip
import io
import json
from collections import Counter
from pathlib import Path

from akhbar.ingest.ant import OUTLETS, read_ant_jsonl
from akhbar.ingest.base import ReadOptions
from akhbar.ingest.repeated import SITE_LINE_MIN, Page, RepeatedText, paragraph_key
from akhbar.model import Article

SITE = "سي إن إن بالعربية"
NOTICE = "يمكنكم متابعة آخر الأخبار بعد تحميل أحدث نسخة من تطبيقنا على هواتفكم المحمولة."
# Leads of other reports, as a widget lists them (each long enough to compare).
TEASERS = [f"أعلنت الوزارة رقم {n} في بيان اليوم عن إجراءات جديدة تخص القطاع الذي تشرف عليه." for n in range(16)]
BACKGROUND = [
    "ويعاني سكان المنطقة المحاصرة منذ سنوات من نقص حاد في الغذاء والدواء والوقود.",
    "وكانت الأمم المتحدة قد دعت مرارا إلى هدنة إنسانية تسمح بإدخال المساعدات إلى السكان.",
]


def own(n: int) -> list[str]:
    """The article's own paragraphs: its lead and a second one, found nowhere else."""
    return [
        f"قال المتحدث باسم الهيئة رقم {n} إن العمل في المشروع سيبدأ خلال الأسابيع المقبلة.",
        f"وأضاف المتحدث {n} أن التكلفة الإجمالية للمشروع لم تحدد بعد.",
    ]


def widget_pages() -> list[Page]:
    """Ten reports whose pages end with a widget of five items that slides by one item per report."""
    return [Page(SITE, f"عنوان التقرير {n}", [*own(n), *TEASERS[n : n + 5]]) for n in range(10)]


def survey(pages: list[Page]) -> RepeatedText:
    return RepeatedText(enumerate(pages))


def test_a_sliding_widget_is_cut_from_every_page_that_shares_it() -> None:
    pages = widget_pages()
    repeated = survey(pages)
    for n in range(2, 8):  # the middle pages: every item is on two other pages at least
        assert repeated.furniture(n) == {2, 3, 4, 5, 6}, n
    assert repeated.furniture(9) == set()  # its newest items are on no other page: the widget cannot be told


def test_a_story_background_repeated_by_its_updates_is_kept() -> None:
    updates = [Page(SITE, f"تحديث {n}", [*own(n), *BACKGROUND]) for n in range(4)]
    repeated = survey(updates)
    assert all(repeated.furniture(n) == set() for n in range(4))


def test_duplicates_are_not_other_pages() -> None:
    # The same report stored three times (same title, or same lead) shares every paragraph with itself only.
    page = Page(SITE, "تقرير واحد", [*own(1), *TEASERS[:3]])
    retitled = Page(SITE, "تقرير واحد معدل", page.paragraphs)
    repeated = survey([page, page, retitled])
    assert all(repeated.furniture(n) == set() for n in range(3))


def test_a_site_wide_line_is_cut_anywhere_but_the_lead() -> None:
    pages = [Page(SITE, f"خبر {n}", [*own(n), NOTICE]) for n in range(SITE_LINE_MIN)]
    pages.append(Page(SITE, "خبر أخير", [NOTICE, *own(99)]))  # a page that opens with it keeps its first paragraph
    repeated = survey(pages)
    assert all(repeated.furniture(n) == {2} for n in range(SITE_LINE_MIN))
    assert repeated.furniture(SITE_LINE_MIN) == set()
    fewer = survey(pages[: SITE_LINE_MIN - 1])  # on fewer pages it may be a story's own sentence
    assert fewer.furniture(0) == set()


def test_other_outlets_do_not_count() -> None:
    pages = widget_pages()
    mixed = [Page(f"موقع {n}", p.title, p.paragraphs) for n, p in enumerate(pages)]
    repeated = survey(mixed)
    assert all(repeated.furniture(n) == set() for n in range(len(mixed)))


def test_paragraph_key_reads_the_dedup_layer() -> None:
    line = TEASERS[0]
    assert paragraph_key(line) == paragraph_key(line.replace("أعلنت", "اعلنت") + " ")
    assert paragraph_key("شاهد.. الفيديو") is None  # too short to tell
    assert paragraph_key(TEASERS[0]) != paragraph_key(TEASERS[1])


def _rows(pages: list[Page]) -> bytes:
    src = {name: code for code, name in OUTLETS.items()}
    rows = [
        {
            "docno": f"CN-x-{n}",
            "src": src[p.outlet],
            "cat": "middleeast",
            "title": p.title,
            "text": "\n".join(p.paragraphs),
        }
        for n, p in enumerate(pages)
    ]
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()


class _Pipe(io.BytesIO):
    def seekable(self) -> bool:
        return False


def test_the_ant_reader_cuts_a_widget_from_a_file_but_reads_a_pipe_as_it_is() -> None:
    data = gzip.compress(_rows(widget_pages()))
    from_file = [a for a in read_ant_jsonl(io.BytesIO(data), "ms.jsonl.gz", ReadOptions()) if isinstance(a, Article)]
    assert [len(a.body) for a in from_file][2:8] == [2] * 6
    assert from_file[2].text == "\n".join(own(2))
    from_pipe = [a for a in read_ant_jsonl(_Pipe(data), "-", ReadOptions()) if isinstance(a, Article)]
    assert [len(a.body) for a in from_pipe] == [7] * 10


def test_the_whole_ant_corpus_loses_cnn_widgets_and_site_lines_only(shared_data: Path) -> None:
    path = shared_data / "ant" / "multisource-v2.1.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        paragraphs = {
            json.loads(line)["docno"]: len([x for x in json.loads(line)["text"].splitlines() if x.strip()])
            for line in fh
        }
    cut: Counter[str] = Counter()
    with path.open("rb") as fh:
        for article in read_ant_jsonl(fh, str(path), ReadOptions()):
            if isinstance(article, Article) and len(article.body) < paragraphs[article.provenance.record or ""]:
                cut[article.outlet or ""] += 1
    assert cut["سي إن إن بالعربية"] >= 700  # the "more news" items of a third of its pages
    assert cut["بي بي سي عربي"] >= 800 and cut["العربية"] >= 400  # the app notice, the opinion disclaimer
    # The cost: a story's background that its updates shared in turns, cut from 3 reports (one stored twice).
    assert cut["سكاي نيوز عربية"] + cut["فرانس 24"] <= 6
