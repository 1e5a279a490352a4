from __future__ import annotations

from akhbar.analyze.summary import SummaryConfig, summarize, summary_sentences
from akhbar.model import Article, Block, Provenance

LEAD = (
    "أعلن وزير الدفاع الأميركي لويد أوستن أن آلاف الجنود الكوريين الشماليين المحتشدين في روسيا"
    " سيشاركون قريبا في القتال."
)
SECOND = "وقال أوستن للصحافيين إن الجنود الكوريين الشماليين تلقوا تدريبا على المدفعية والطائرات المسيرة في روسيا."
FILLER = "وكان الطقس معتدلا في العاصمة خلال عطلة نهاية الأسبوع بحسب ما أفاد السكان المحليون هناك."
ECHO = (
    "أعلن وزير الدفاع الأميركي لويد أوستن أن آلاف الجنود الكوريين الشماليين المحتشدين في روسيا"
    " سيشاركون في القتال قريبا."
)


def article(*paragraphs: str, headings: tuple[str, ...] = ()) -> Article:
    body = [Block("heading", h) for h in headings] + [Block("paragraph", p) for p in paragraphs]
    return Article(
        id="a",
        url=None,
        outlet=None,
        title="أوستن: جنود كوريا الشمالية سيدخلون القتال ضد أوكرانيا",
        published_at=None,
        author=None,
        body=body,
        provenance=Provenance("-", "test"),
    )


def test_the_summary_never_repeats_the_lead() -> None:
    """The first paragraph is what the reader meets under the summary: the summary says what comes after it, in
    reading order, and skips a later sentence that echoes the lead."""
    sentences = summary_sentences(article(LEAD, f"{ECHO} {SECOND}", FILLER))
    assert LEAD not in sentences and ECHO not in sentences
    assert sentences[0] == SECOND
    assert summary_sentences(article(f"{LEAD} {SECOND}")) == []  # all lead: no summary
    assert summary_sentences(article(LEAD, SECOND)) == []  # the summary would be the rest word for word


def test_a_near_repeat_of_a_chosen_sentence_is_skipped() -> None:
    sentences = summary_sentences(article(FILLER, SECOND, SECOND.replace("للصحافيين", "للصحفيين"), LEAD))
    assert sentences.count(SECOND) == 1 and len(sentences) == 2


def test_headings_and_fragments_are_not_summary_sentences() -> None:
    assert summary_sentences(article("قصير جدا.", headings=("عنوان فرعي طويل بما يكفي ليبدو جملة كاملة هنا",))) == []
    assert summarize(article()) == ""


def test_at_most_the_configured_number_of_sentences() -> None:
    assert len(summary_sentences(article(FILLER, LEAD, SECOND, FILLER), SummaryConfig(sentences=2))) == 2
