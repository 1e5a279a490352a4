"""Sentence splitter: a table of news-style cases (written for these tests) plus span properties."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akhbar.arabic.sentences import sentence_spans, split_sentences
from akhbar.arabic.tokenize import SKIPPED_CHARS

# (id, text, expected sentences)
SENTENCE_CASES: list[tuple[str, str, list[str]]] = [
    # basic terminators
    ("two-full-stops", "وصل الوفد إلى العاصمة. وبدأت المحادثات.", ["وصل الوفد إلى العاصمة.", "وبدأت المحادثات."]),
    ("question-mark", "هل تنجح المفاوضات؟ يبقى السؤال مفتوحا.", ["هل تنجح المفاوضات؟", "يبقى السؤال مفتوحا."]),
    ("latin-question", "ما الخطوة التالية? لم يعلن أحد.", ["ما الخطوة التالية?", "لم يعلن أحد."]),
    ("exclamation", "فوز تاريخي! احتفل الجمهور حتى الصباح.", ["فوز تاريخي!", "احتفل الجمهور حتى الصباح."]),
    ("interrobang-run", "هل هذا معقول؟! رد الوزير بغضب.", ["هل هذا معقول؟!", "رد الوزير بغضب."]),
    ("bang-run", "هدف!! تقدم الفريق المحلي.", ["هدف!!", "تقدم الفريق المحلي."]),
    ("dots-ellipsis", "انتظر الجميع... ثم جاء القرار.", ["انتظر الجميع...", "ثم جاء القرار."]),
    ("ellipsis-char", "ساد الصمت… ثم تكلم الرئيس.", ["ساد الصمت…", "ثم تكلم الرئيس."]),
    ("no-final-stop", "أعلنت الوزارة النتائج. وتبدأ الدراسة الأحد", ["أعلنت الوزارة النتائج.", "وتبدأ الدراسة الأحد"]),
    ("single-sentence", "ارتفعت أسعار النفط اليوم.", ["ارتفعت أسعار النفط اليوم."]),
    (
        "missing-space",
        "انتهى الاجتماع.وقال الوزير إن النتائج جيدة.",
        ["انتهى الاجتماع.", "وقال الوزير إن النتائج جيدة."],
    ),
    (
        "missing-space-question",
        "لماذا تأخر القرار؟قال المتحدث إن السبب فني.",
        ["لماذا تأخر القرار؟", "قال المتحدث إن السبب فني."],
    ),
    ("extra-spaces", "  جملة أولى.    جملة ثانية.  ", ["جملة أولى.", "جملة ثانية."]),
    # line breaks
    ("newline", "العنوان الرئيسي\nنص الخبر يبدأ هنا.", ["العنوان الرئيسي", "نص الخبر يبدأ هنا."]),
    ("crlf", "سطر أول\r\nسطر ثان", ["سطر أول", "سطر ثان"]),
    ("blank-lines", "فقرة أولى.\n\n\nفقرة ثانية.", ["فقرة أولى.", "فقرة ثانية."]),
    ("newline-mid-sentence", "قال المسؤول إن\nالوضع مستقر", ["قال المسؤول إن", "الوضع مستقر"]),
    ("line-separator", "سطر\u2028سطر آخر", ["سطر", "سطر آخر"]),
    ("heading-no-stop", "عاجل\nانفجار في الميناء. لا إصابات.", ["عاجل", "انفجار في الميناء.", "لا إصابات."]),
    # closing quotes and brackets belong to the sentence
    (
        "guillemet-after-stop",
        "«انتهى زمن الانتظار.» قالها المدرب بثقة.",
        ["«انتهى زمن الانتظار.»", "قالها المدرب بثقة."],
    ),
    (
        "quote-after-stop",
        'قال: "سنواصل العمل." وأضاف أن الخطة جاهزة.',
        ['قال: "سنواصل العمل."', "وأضاف أن الخطة جاهزة."],
    ),
    ("curly-quote-after", "كتب: “لن نتراجع!” ثم غادر.", ["كتب: “لن نتراجع!”", "ثم غادر."]),
    ("paren-after-stop", "(صدر البيان مساء أمس.) وتلاه رد رسمي.", ["(صدر البيان مساء أمس.)", "وتلاه رد رسمي."]),
    (
        "quote-then-comma",
        '"سنواصل العمل!"، وأضاف المتحدث أن الخطة جاهزة.',
        ['"سنواصل العمل!"، وأضاف المتحدث أن الخطة جاهزة.'],
    ),
    ("question-then-comma", "سألته: لماذا؟، فلم يجب.", ["سألته: لماذا؟، فلم يجب."]),
    (
        "stop-before-opening-guillemet",
        "انتهت الجولة.«المرحلة المقبلة أصعب» قال المدرب.",
        ["انتهت الجولة.", "«المرحلة المقبلة أصعب» قال المدرب."],
    ),
    ("quote-inside-open-quote", 'قال: "الوضع صعب. لكننا صامدون" وغادر.', ['قال: "الوضع صعب.', 'لكننا صامدون" وغادر.']),
    # abbreviations
    ("doctor", "قال د. أحمد سالم إن اللقاح آمن.", ["قال د. أحمد سالم إن اللقاح آمن."]),
    ("professor", "حاضر أ. منى خليل أمس. وحضر الطلاب.", ["حاضر أ. منى خليل أمس.", "وحضر الطلاب."]),
    ("engineer", "أشرف م. سامي على المشروع.", ["أشرف م. سامي على المشروع."]),
    (
        "prof-doctor",
        "ترأس الجلسة أ.د. فؤاد حسن. وناقشت اللجنة التقرير.",
        ["ترأس الجلسة أ.د. فؤاد حسن.", "وناقشت اللجنة التقرير."],
    ),
    ("doctor-no-space", "قال د.محمد إن النتائج مطمئنة.", ["قال د.محمد إن النتائج مطمئنة."]),
    ("po-box", "العنوان ص.ب. 1234 الرياض. والهاتف متاح.", ["العنوان ص.ب. 1234 الرياض.", "والهاتف متاح."]),
    ("bc-era", "بني المعبد عام 500 ق.م. على ضفاف النهر", ["بني المعبد عام 500 ق.م. على ضفاف النهر"]),
    (
        "ad-era-ends-sentence",
        "ولد الشاعر عام 1950 م. وتوفي عام 2020 م.",
        ["ولد الشاعر عام 1950 م.", "وتوفي عام 2020 م."],
    ),
    (
        "hijri-era-ends-sentence",
        "بدأ العام الجديد 1445 هـ. وهنأ الملك المواطنين.",
        ["بدأ العام الجديد 1445 هـ.", "وهنأ الملك المواطنين."],
    ),
    ("attached-era", "تأسست الشركة عام 1990م. وتوسعت لاحقا.", ["تأسست الشركة عام 1990م.", "وتوسعت لاحقا."]),
    (
        "dotted-acronym",
        "بثت شبكة إس.بي.إس التقرير. وتابعه الملايين.",
        ["بثت شبكة إس.بي.إس التقرير.", "وتابعه الملايين."],
    ),
    ("dotted-acronym-fbi", "حقق مكتب إف.بي.آي في القضية", ["حقق مكتب إف.بي.آي في القضية"]),
    (
        "dotted-acronym-long-part",
        "توقعت بي.دبليو.سي نموا. وتراجع التضخم.",
        ["توقعت بي.دبليو.سي نموا.", "وتراجع التضخم."],
    ),
    ("spaced-acronym", "نقلت شبكة سي. إن. إن الخبر. ثم نفته.", ["نقلت شبكة سي. إن. إن الخبر.", "ثم نفته."]),
    ("spaced-acronym-at-end", 'نقلا عن "سي. إن. إن".\nوأكدت المصادر', ['نقلا عن "سي. إن. إن".', "وأكدت المصادر"]),
    ("middle-initial", "أخرج الفيلم جون إم. تشو. ونجح تجاريا.", ["أخرج الفيلم جون إم. تشو.", "ونجح تجاريا."]),
    ("us-abbrev", "التقى المبعوث U.S. officials في جنيف.", ["التقى المبعوث U.S. officials في جنيف."]),
    ("mr-dr", "Mr. Smith met Dr. Jones. They agreed.", ["Mr. Smith met Dr. Jones.", "They agreed."]),
    ("saint", "زار St. Petersburg الأسبوع الماضي.", ["زار St. Petersburg الأسبوع الماضي."]),
    ("latin-initial", "كتب J. K. Rowling الرواية. ونجحت.", ["كتب J. K. Rowling الرواية.", "ونجحت."]),
    ("eg", "بعض الدول، e.g. مصر، وقعت.", ["بعض الدول، e.g. مصر، وقعت."]),
    # numbers
    ("decimal", "نما الاقتصاد 3.5 بالمئة. وتراجع التضخم.", ["نما الاقتصاد 3.5 بالمئة.", "وتراجع التضخم."]),
    (
        "dotted-date",
        "وقع الاتفاق في 12.05.2024 في الدوحة. وبدأ التنفيذ.",
        ["وقع الاتفاق في 12.05.2024 في الدوحة.", "وبدأ التنفيذ."],
    ),
    ("arabic-decimal", "بلغت النسبة ١٢٫٥ في المئة.", ["بلغت النسبة ١٢٫٥ في المئة."]),
    ("number-at-end", "بلغ عدد الضحايا 25. وتستمر عمليات البحث.", ["بلغ عدد الضحايا 25.", "وتستمر عمليات البحث."]),
    ("time", "تبدأ الجلسة 10.30 صباحا. ويحضرها الوزراء.", ["تبدأ الجلسة 10.30 صباحا.", "ويحضرها الوزراء."]),
    ("list-numbers", "1. خفض الضرائب\n2. دعم الشباب", ["1. خفض الضرائب", "2. دعم الشباب"]),
    (
        "list-number-same-line",
        "أهم القرارات: 1. خفض الضرائب. 2. دعم الشباب.",
        ["أهم القرارات: 1. خفض الضرائب.", "2. دعم الشباب."],
    ),
    # URLs and e-mail
    (
        "url",
        "التفاصيل على https://www.example.com/news/a.html وفي الصحف.",
        ["التفاصيل على https://www.example.com/news/a.html وفي الصحف."],
    ),
    (
        "url-at-end",
        "التفاصيل على www.example.com/news. والمزيد قريبا.",
        ["التفاصيل على www.example.com/news.", "والمزيد قريبا."],
    ),
    ("bare-domain", "نشر موقع alarabiya.net الخبر. ثم حذفه.", ["نشر موقع alarabiya.net الخبر.", "ثم حذفه."]),
    (
        "email",
        "للتواصل: news.desk@example.org أو الهاتف. شكرا.",
        ["للتواصل: news.desk@example.org أو الهاتف.", "شكرا."],
    ),
    ("url-query", "رابط https://x.com/a?id=5 هنا", ["رابط https://x.com/a?id=5 هنا"]),
    # glued to Latin / technical names
    ("dotted-name", "أطلقت الشركة Node.js الجديدة.", ["أطلقت الشركة Node.js الجديدة."]),
    # invisible characters
    ("bidi-marks-trimmed", "\u200fخبر أول.\u200f \u200fخبر ثان.\u200f", ["خبر أول.", "خبر ثان."]),
    ("bom-trimmed", "\ufeffجملة.", ["جملة."]),
    # degenerate
    ("empty", "", []),
    ("spaces-only", "   \n\t ", []),
    ("punct-only", "...", ["..."]),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in SENTENCE_CASES], ids=[c[0] for c in SENTENCE_CASES])
def test_sentence_table(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_sentence_table_size_and_score() -> None:
    failures = [(cid, split_sentences(text)) for cid, text, exp in SENTENCE_CASES if split_sentences(text) != exp]
    assert len(SENTENCE_CASES) >= 50
    assert failures == [], f"{len(SENTENCE_CASES) - len(failures)}/{len(SENTENCE_CASES)} pass"


def test_spans_point_into_text() -> None:
    text = "  قال د. علي: «سنبدأ غدا.» وأضاف أن الموعد نهائي.\nالخبر التالي"
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == split_sentences(text)
    assert spans[0][0] == 2


INTERESTING = 'ابتدرسعفقكلمنهويأإةىـَ د م أ 0123456789٫.,!?؟…«»"”)( \n\r\t\u200f\u2028abcUSM@:/wh،'
sentence_text = st.one_of(
    st.text(alphabet=st.sampled_from(INTERESTING), max_size=80),
    st.lists(
        st.sampled_from(
            ["قال", " ", "د.", "3.5", "www.x.com", "U.S.", ". ", "؟!", "»", "\n", "إس.بي", "https://a.b/c."]
        ),
        max_size=12,
    ).map("".join),
    st.text(max_size=60),
)


@settings(max_examples=400, deadline=None)
@given(sentence_text)
def test_spans_are_ordered_trimmed_and_cover_all_content(text: str) -> None:
    spans = sentence_spans(text)
    covered = [False] * len(text)
    prev = 0
    for a, b in spans:
        assert prev <= a < b <= len(text)
        prev = b
        piece = text[a:b]
        assert not piece[0].isspace() and not piece[-1].isspace()
        assert piece[0] not in SKIPPED_CHARS and piece[-1] not in SKIPPED_CHARS
        assert "\n" not in piece  # a line break always ends a sentence
        for i in range(a, b):
            covered[i] = True
    # Nothing but whitespace and invisible format characters falls between sentences.
    assert all(covered[i] or ch.isspace() or ch in SKIPPED_CHARS for i, ch in enumerate(text))
    assert split_sentences(text) == [text[a:b] for a, b in spans]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, categories=None)))
def test_no_crash_on_any_unicode(text: str) -> None:
    sentence_spans(text)


@pytest.mark.parametrize(
    "text",
    ["." * 100_000, "أ." * 50_000, "1." * 50_000, " " * 200_000, "a" * 200_000, "د. " * 50_000, "www." + "a" * 100_000],
    ids=["dots", "arabic-initials", "numbers", "spaces", "latin-run", "abbreviations", "long-url"],
)
def test_pathological_inputs_are_linear(text: str) -> None:
    t0 = time.process_time()  # this process's CPU: a busy machine cannot fail it
    sentence_spans(text)
    assert time.process_time() - t0 < 3.0
