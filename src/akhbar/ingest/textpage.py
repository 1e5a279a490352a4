"""Reader for the Arabic aggregator text page (the format of ``shared/samples/*.txt``).

Layout, one item a line::

    <title>
    تاريخ النشر: 13th, September 2023 GMT
    <body paragraphs…>
    المصدر: الوطن                      ← attribution (the outlet the aggregator took the article from)
    كلمات دلالية: كوريا الشمالية روسيا  ← tags, separated by single spaces even when a tag has several words
    إقرأ أيضاً:                         ← then one or more whole related articles: a title line, then paragraphs

The related articles become articles of their own, linked from the main article's ``related``. Tags lose their
word boundaries on these pages, so they are rebuilt from the body: the longest run of tag words that the body (or a
related article) also says as one phrase is one tag. Text is not repaired here; the pipeline does that for every reader.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

from akhbar.arabic import dates
from akhbar.arabic.normalize import search_terms
from akhbar.arabic.repair import has_visible_text
from akhbar.ingest.base import (
    DecodeError,
    ReadOptions,
    Record,
    clean_author,
    decode_text,
    failure,
    make_article,
    oversize,
    paragraphs,
    split_tags,
)
from akhbar.model import Article, Block, Provenance, RelatedRef

READER = "textpage"

_HAMZA_ALEF = "[اأإآ]"
_DATE_LABEL = re.compile(r"^\s*(?:تاريخ النشر|نشر في|نشر بتاريخ|آخر تحديث|Published)\s*[:：]?\s*(.*)$")
_SOURCE_LABEL = re.compile(r"^\s*(?:ال)?مصدر\s*[:：]\s*(.+)$")
_TAGS_LABEL = re.compile(
    r"^\s*(?:ال)?(?:كلمات|الكلمات) (?:ال)?دلالية\s*[:：]?\s*(.*)$|^\s*(?:الوسوم|وسوم|Tags)\s*[:：]\s*(.*)$"
)
_READ_ALSO = re.compile(f"^\\s*{_HAMZA_ALEF}قر{_HAMZA_ALEF} {_HAMZA_ALEF}يض{_HAMZA_ALEF}[\u064b\u064e]?\\s*[:：]?\\s*$")
_BYLINE = re.compile(r"^\s*(?:كتبت?|بقلم|إعداد|اعداد)\s*[:：]\s*(\S.{0,60})$")
_SENTENCE_END = re.compile(r"[.!؟?:،؛…\"»”)]\s*$")
# Longest tag we try to rebuild, in words (``كيم جونغ أون``, ``وكالة الأنباء المركزية الكورية``).
MAX_TAG_WORDS = 5
MAX_TITLE_CHARS = 200


def read_textpage(data: bytes, source: str, options: ReadOptions) -> Iterator[Record]:
    """Read one aggregator page: the main article first, then each related article."""
    if too_big := oversize(data, source, options, READER):
        yield too_big
        return
    try:
        text = decode_text(data)
    except DecodeError as error:
        yield failure(source, "byte 0", str(error), data, READER)
        return
    yield from parse_textpage(text, source, options)


def parse_textpage(text: str, source: str, options: ReadOptions) -> Iterator[Record]:
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]
    # Lines of zero-width or control characters only before the title are empty lines: the title is the next line.
    lines = lines[next((i for i, line in enumerate(lines) if has_visible_text(line)), len(lines)) :]
    if not lines:
        yield failure(source, "line 1", "empty page: no title and no text", text, READER)
        return
    title, rest = lines[0], lines[1:]
    if len(title) > MAX_TITLE_CHARS or _DATE_LABEL.match(title):
        yield failure(source, "line 1", "no title: the first line is not a title", text, READER)
        return

    published, author, attribution, tag_line = None, None, None, None
    body_lines: list[str] = []
    related_lines: list[str] = []
    section = "body"
    for line in rest:
        if section == "related":
            related_lines.append(line)
        elif _READ_ALSO.match(line):
            section = "related"
        elif (m := _SOURCE_LABEL.match(line)) and len(m.group(1).split()) <= 8:
            attribution = m.group(1).strip()
        elif m := _TAGS_LABEL.match(line):
            tag_line = m.group(1) if m.group(1) is not None else m.group(2)
        elif published is None and not body_lines and (m := _DATE_LABEL.match(line)):
            published = dates.parse(m.group(1), default_tz=options.default_tz).value
        elif author is None and not body_lines and (m := _BYLINE.match(line)):
            author = clean_author(line)
        else:
            body_lines.append(line)

    if not body_lines:
        yield failure(source, "line 2", "no article text after the title", text, READER)
        return

    related_articles = [  # the page's own "read also": the host's outlet, no date (the page gives none)
        make_article(
            title=rel_title,
            body=paragraphs("\n".join(rel_body)),
            provenance=Provenance(source, READER, record=f"related {i}"),
            outlet=options.outlet or attribution,
        )
        for i, (rel_title, rel_body) in enumerate(split_related(related_lines), start=1)
    ]
    context = "\n".join([title, *body_lines, *(a.title + "\n" + a.text for a in related_articles)])
    tags = rebuild_tags(tag_line, context) if tag_line else []
    yield make_article(
        title=title,
        body=paragraphs("\n".join(body_lines)),
        provenance=Provenance(source, READER, record="main"),
        outlet=options.outlet or attribution,
        attribution=attribution,
        published_at=published,
        author=author,
        tags=tags,
        related=[RelatedRef(a.id, a.title) for a in related_articles],
    )
    yield from related_articles


def split_related(lines: list[str]) -> list[tuple[str, list[str]]]:
    """The "read also" block → (title, paragraphs) per related article.

    Each related article starts with a title: a short line with no closing punctuation, after at least one paragraph
    of the previous article and with at least one paragraph after it.
    """
    articles: list[tuple[str, list[str]]] = []
    for i, line in enumerate(lines):
        starts_new = not articles or (
            bool(articles[-1][1])
            and _looks_like_title(line)
            and i + 1 < len(lines)
            and not _looks_like_title(lines[i + 1])
        )
        if starts_new:
            articles.append((line, []))
        else:
            articles[-1][1].append(line)
    return [(title, body) for title, body in articles if body]


def _looks_like_title(line: str) -> bool:
    return len(line) <= MAX_TITLE_CHARS and len(line.split()) <= 25 and not _SENTENCE_END.search(line)


def rebuild_tags(tag_line: str, context: str) -> list[str]:
    """Rebuild multi-word tags from a space-separated tag line, using the phrases the article itself contains.

    ``كوريا الشمالية روسيا كيم جونج اون`` with a body that says ``كوريا الشمالية`` and ``كيم جونج-أون`` →
    ``["كوريا الشمالية", "روسيا", "كيم جونج اون"]``. Words are compared on the search layer, so hamza, ى/ي, ة/ه,
    hyphens, clitics and Persian look-alikes do not matter. Greedy, longest first: a run of words is one tag when
    it is a known multi-word place name, or when the article says it as a phrase and says it every time its first
    word appears or more than once (so ``كيم جونج أون`` + ``قمة``, adjacent once by chance, stay two tags).
    Tags that a separator does delimit (``،`` ``,`` ``|``) are kept as given.
    """
    parts = split_tags(tag_line)
    if len(parts) > 1:
        return parts
    words = tag_line.split()
    counts = _ngram_counts(search_terms(context))
    names = multiword_names()
    tags: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(MAX_TAG_WORDS, len(words) - i), 0, -1):
            key = tuple(search_terms(" ".join(words[i : i + n])))
            seen = counts.get(key, 0)
            if n == 1 or key in names or (seen and (seen > 1 or seen == counts.get(key[:1], 0))):
                tags.append(" ".join(words[i : i + n]))
                i += n
                break
    return tags


def _ngram_counts(terms: list[str]) -> Counter[tuple[str, ...]]:
    """How often each run of 1..MAX_TAG_WORDS terms occurs in a text. A run whose first word carries a one-letter
    proclitic the light stemmer leaves on (``بكيم جونج أون``) also counts without it."""
    counts: Counter[tuple[str, ...]] = Counter()
    for n in range(1, MAX_TAG_WORDS + 1):
        for i in range(len(terms) - n + 1):
            run = tuple(terms[i : i + n])
            counts[run] += 1
            if len(run[0]) > 3 and run[0][0] in _ONE_LETTER_PROCLITICS:
                counts[(run[0][1:], *run[1:])] += 1
    return counts


_ONE_LETTER_PROCLITICS = frozenset("وفبلك")


@lru_cache(maxsize=1)
def multiword_names() -> frozenset[tuple[str, ...]]:
    """Multi-word place names (countries, cities) as search-term tuples, from the shipped list."""
    text = resources.files("akhbar.models").joinpath("multiword_names.txt").read_text(encoding="utf-8")
    return frozenset(
        tuple(search_terms(line)) for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


__all__ = ["Article", "Block", "parse_textpage", "read_textpage", "rebuild_tags"]
