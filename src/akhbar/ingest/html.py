"""One HTML news page → one Article.

trafilatura finds the main text; what it does not know about Arabic news pages is added around it:

* before extraction, page furniture is found and cut out of the tree so that its text never reaches the body:
  "read also" boxes (their links become ``related``), tag lists (→ ``tags``), bylines (→ ``author``) and
  "published on" lines (→ date candidates);
* metadata comes from JSON-LD, ``<meta>`` and the page itself before trafilatura's guesses;
* the extracted tree becomes heading/paragraph blocks in reading order (sub-headings are kept).

:func:`body_parts` runs the same furniture removal and block walk on an HTML fragment that is already the article
body (an RSS ``content:encoded``, an HTML ``text`` field in JSON lines).
"""

from __future__ import annotations

import codecs
import html as html_lib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.settings import Document

from akhbar.arabic import dates
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
    parse_date,
    parse_json,
    split_tags,
)
from akhbar.model import Article, Block, Provenance, RelatedRef, article_id

READER = "html"

# trafilatura costs ~60-75 µs per element. A news page has a few thousand; above _FAST_MODE_ELEMENTS it runs
# without its readability/jusText fallbacks, and above _MAX_EXTRACT_ELEMENTS (~1 s of work) it is not run at all:
# the body is then read straight from the page's <article>/articleBody/<main> container, or the page is refused.
_FAST_MODE_ELEMENTS = 5_000
_MAX_EXTRACT_ELEMENTS = 15_000
# Heavy elements without article text, removed before counting (inline app state and base64 SVGs inflate pages).
_HEAVY_TAGS = ("style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas")

# ----------------------------------------------------------------------------------------------------------------
# Label patterns. Arabic labels are written plainly and compiled to tolerate hamza/alef and ya/alef-maqsura
# variants and any tashkeel or tatweel between letters ("إقرأ أيضاً" = "اقرأ ايضا").
# ----------------------------------------------------------------------------------------------------------------

_MARKS = "[\u064b-\u065f\u0670\u0640]*"
_VARIANTS = {"ا": "[اأإآٱ]", "أ": "[اأإآ]", "إ": "[اأإ]", "ي": "[يى]", "ى": "[يى]", "ة": "[ةه]", "ه": "[هة]"}


def _tolerant(*phrases: str) -> str:
    """A regex alternation matching each phrase with spelling variants and optional marks between letters."""
    out = []
    for phrase in phrases:
        parts = []
        for ch in phrase:
            if ch == " ":
                parts.append(r"\s+")
            else:
                parts.append(_VARIANTS.get(ch, re.escape(ch)) + _MARKS)
        out.append("".join(parts))
    return "(?:" + "|".join(out) + ")"


_LEAD = r"^[\s\W_]{0,3}"  # a label may follow a bullet, a dash or an opening bracket
_READ_ALSO = re.compile(
    _LEAD
    + _tolerant(
        "اقرأ أيضا",
        "اقرأ المزيد",
        "اقرأ كذلك",
        "شاهد أيضا",
        "طالع أيضا",
        "مواضيع ذات صلة",
        "أخبار ذات صلة",
        "مقالات ذات صلة",
        "موضوعات ذات صلة",
        "قد يهمك أيضا",
        "ذات صلة",
    )
    + r"\s*[:：\-–—]?",
    re.IGNORECASE,
)
_TAGS_LABEL = re.compile(
    _LEAD
    + _tolerant("الكلمات المفتاحية", "كلمات مفتاحية", "الكلمات الدلالية", "كلمات دلالية", "الوسوم", "وسوم")
    + r"|^\s*(?:tags|keywords)\b",
    re.IGNORECASE,
)
_TAGS_LABEL_STRIP = re.compile("(?:" + _TAGS_LABEL.pattern + r")\s*[:：\-–—]?\s*", re.IGNORECASE)
_BYLINE_LABEL = re.compile(
    _LEAD
    + _tolerant("كتب", "كتبت", "حوار", "إعداد", "أعدت", "أعده", "تحرير", "متابعة", "تقرير")
    + r"\s*[:：\-–—]"
    + "|"
    + _LEAD
    + _tolerant("بقلم")
    + r"\s*[:：\-–—]?\s*\S"
)
# Not a person: a source line, a link or an image path (a logo), a web address.
_NOT_AN_AUTHOR = re.compile(
    r"^\s*(?:"
    + _tolerant("المصدر", "مصدر")
    + r")\s*[:：]|https?:|www\.|\.(?:png|jpe?g|svg|gif|webp)\b|\.(?:com|net|org)\b",
    re.IGNORECASE,
)
# Author boxes also say "الكاتب:"/"بواسطة"; clean_author knows the byline verbs, these are stripped here first.
_AUTHOR_PREFIX = re.compile(r"^\s*(?:" + _tolerant("الكاتب", "الكاتبة", "المحرر", "بواسطة") + r")\s*[:：\-–—]?\s*")
_PUBLISHED_LABEL = re.compile(
    _tolerant("تاريخ النشر", "نشر في", "نشر بتاريخ", "تم النشر", "تاريخ الخبر", "نشر")
    + r"\s*(?:[:：]|في|"
    + _tolerant("بتاريخ")
    + r")|\b(?:published|posted)(?:\s+on)?\s*:",
    re.IGNORECASE,
)
_UPDATED_LABEL = re.compile(
    _tolerant("آخر تحديث", "اخر تحديث", "تاريخ التحديث", "تم التحديث", "تحديث") + r"\s*[:：]|\bupdated\s*:",
    re.IGNORECASE,
)
# Cheap pre-filter: only short text containing one of these can hold a label.
_LABEL_HINT = re.compile(
    "يض|صل[ةه]|زيد|كذلك|يهمك|نشر|حديث|كلمات|وسوم|كتب|بقلم|حوار|عداد|عدت|عده|تحرير|متابع|تقرير|tags|keywords|published|posted|updated",
    re.IGNORECASE,
)
_LOWER = "translate(concat(@class, ' ', @id), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
_CLASS_XPATH = etree.XPath(
    f".//*[@class or @id][contains({_LOWER}, 'relat') or contains({_LOWER}, 'also')"
    f" or contains({_LOWER}, 'tag') or contains({_LOWER}, 'keyword') or contains({_LOWER}, 'author')"
    f" or contains({_LOWER}, 'byline') or contains({_LOWER}, 'writer')]"
)
_RELATED_CLASS = re.compile(r"read[-_ ]?also|also[-_ ]?read|related|more[-_ ]?news")
_TAGS_CLASS = re.compile(r"(?:^|[\s_-])(?:tags?|keywords?|tag[-_]?(?:list|cloud|links|box)|hashtags?)(?:$|[\s_-])")
_BYLINE_CLASS = re.compile(r"(?:^|[\s_-])(?:author|authors|byline|writer|author[-_]?name)(?:$|[\s_-])")

# Where a page prints its date without a cue word ("نشر في"): an element named for a date or a time, a <time>
# without a machine-readable value. Only short texts: a date line, not a paragraph that happens to hold a date.
_DATED_XPATH = etree.XPath(
    f"//time[not(@datetime)] | //*[@class or @id or @itemprop][contains({_LOWER}, 'date')"
    f" or contains({_LOWER}, 'publish') or contains({_LOWER}, 'posted') or contains(@itemprop, 'date')"
    f" or contains({_LOWER}, 'time')]"
)
_MAX_DATE_TEXT = 120

# A links box in the page's chrome - a sidebar, a widget, a "most read" list, the header, the footer - lists the
# site's other news, not this article's "read also": its links are never the page's related articles (on real pages
# 24 of 31 such links pointed at articles nobody had asked for).
_CHROME_TAGS = frozenset({"aside", "nav", "header", "footer"})
_CHROME_CLASS = re.compile(
    r"side[-_]?bar|widget|most[-_]?(?:read|viewed|popular)|popular|trending|top[-_]?(?:news|stories)|footer|menu"
    r"|الأكثر"
)
_MOST_READ = re.compile(r"^\s*(?:الأكثر|الأخبار الأكثر|الأشهر|الأعلى)\s*(?:قراءة|مشاهدة|تداولا|تداولاً)")

# Furniture never climbs past these: they hold the article itself.
_STOP_TAGS = frozenset({"html", "body", "article", "main"})
_MAX_LABEL_NODE = 160  # a label text node is short; a longer one is body text that happens to contain the words
_MAX_BYLINE = 100
_MAX_DATE_LINE = 200
_MAX_TAG_BOX = 1500


# ----------------------------------------------------------------------------------------------------------------
# Body blocks: one walker for trafilatura's XML (head/p/list/item/quote/table/row/cell/lb) and for plain HTML.
# ----------------------------------------------------------------------------------------------------------------

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "head"})
_PARAGRAPHS = frozenset({"p", "li", "item", "pre", "code", "dd", "dt", "figcaption", "caption", "summary"})
_ROWS = frozenset({"tr", "row"})
_CONTAINERS = frozenset(
    {
        "div", "section", "article", "main", "body", "html", "ul", "ol", "list", "dl", "table", "tbody", "thead",
        "tfoot", "quote", "blockquote", "header", "footer", "aside", "figure", "center", "details", "fieldset",
        "form", "nav", "address", "hgroup", "doc", "main-content",
    }
)  # fmt: skip
_SKIP = frozenset(
    {
        "script", "style", "noscript", "template", "iframe", "svg", "button", "select", "option", "textarea",
        "graphic", "img", "video", "audio", "object", "embed", "canvas", "map", "input", "link", "meta", "title",
    }
)  # fmt: skip
_BREAKS = frozenset({"br", "lb", "hr"})


def _clean(text: str) -> str:
    return " ".join(text.split())


def _inline_text(el: etree._Element, parts: list[str]) -> None:
    """Raw text of a subtree, line breaks as "\\n" (a <br> inside a paragraph separates paragraphs)."""
    if el.text:
        parts.append(el.text)
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _BREAKS:
            parts.append("\n")
        elif tag and tag not in _SKIP:
            _inline_text(child, parts)
        if child.tail:
            parts.append(child.tail)


def _text_lines(el: etree._Element) -> list[str]:
    parts: list[str] = []
    _inline_text(el, parts)
    return [line for line in (_clean(x) for x in "".join(parts).split("\n")) if line]


class _BlockWriter:
    """Accumulates inline text and emits blocks when a block boundary is met."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._buffer: list[str] = []

    def text(self, text: str | None) -> None:
        if text:
            self._buffer.append(text)

    def flush(self) -> None:
        if self._buffer:
            for line in "".join(self._buffer).split("\n"):
                if cleaned := _clean(line):
                    self.blocks.append(Block("paragraph", cleaned))
            self._buffer = []

    def emit(self, kind: str, lines: list[str]) -> None:
        self.flush()
        if kind == "heading":
            if lines:
                self.blocks.append(Block("heading", " ".join(lines)))
        else:
            self.blocks.extend(Block("paragraph", line) for line in lines)


# Page furniture that survives extraction as a line of its own: view/comment/share counters, print/share labels.
_COUNT = r"[\d٠-٩][\d٠-٩,٬.]*\s*[KkMك]?"
_FURNITURE_LINE = re.compile(
    rf"^(?:(?:عدد\s+)?(?:المشاهدات|مشاهدات|القراءات|قراءات|التعليقات|تعليقات|المشاركات|الزيارات)\s*[:：]?\s*{_COUNT}"
    rf"|{_COUNT}\s*(?:مشاهدة|مشاهدات|قراءة|تعليق|تعليقات|مشاركة)"
    r"|(?:شارك|مشاركة|طباعة|اطبع|أرسل لصديق|حجم الخط|تكبير الخط|تصغير الخط)(?:\s*[:：|/]\s*\S{0,20})*"
    r"|.{0,80}جميع الحقوق محفوظة.{0,80}"  # copyright footer
    r"|[^|.،]{1,25}(?:\s\|\s[^|.،]{1,25}){3,})$"  # a menu: four or more short items between " | "
)


# A site's comment policy, printed under every article ("التعليقات المنشورة لا تعبر عن رأي الموقع", "يرجى الالتزام
# بآداب الحوار"): dropped where it stands, at the end of the body (an article about comments keeps its words).
_COMMENT_POLICY = re.compile(
    r"(?:التعليقات|تعليقات القراء|التعليق)\s.{0,80}(?:لا\s+(?:تعبر|تمثل)|تعبر عن آراء|تخضع|للمراجعة|مسؤولية)"
    r"|لا\s+(?:تعبر|تمثل)\s+(?:بالضرورة\s+)?عن\s+(?:رأي|وجهة نظر)\s+(?:الموقع|الجريدة|الصحيفة|القناة|إدارة)"
    r"|سياسة التعليقات|آداب الحوار|(?:أضف|اترك|اكتب)\s+تعليق|قواعد النشر"
)
_POLICY_TAIL = 4  # at most this many closing blocks are looked at


def blocks_from_tree(root: etree._Element) -> list[Block]:
    """Heading and paragraph blocks of a (trafilatura-extracted or HTML) tree, in document order; lines that are
    only page furniture (``عدد المشاهدات: 1,284``, ``طباعة``) are dropped, and so is a comment policy closing it."""
    writer = _BlockWriter()
    _walk(root, writer)
    writer.flush()
    blocks = [block for block in writer.blocks if not _FURNITURE_LINE.match(block.text)]
    end = len(blocks)
    while end > max(1, len(blocks) - _POLICY_TAIL) and _COMMENT_POLICY.search(blocks[end - 1].text):
        end -= 1
    return blocks[:end]


def _walk(el: etree._Element, out: _BlockWriter) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _SKIP or not tag:
        return
    if tag in _HEADINGS:
        out.emit("heading", _text_lines(el))
    elif tag in _ROWS:
        cells = [cell for cell in el if isinstance(cell.tag, str)]
        if any(_has_block_child(cell) for cell in cells):
            # A layout table: its cells hold the page, not data. The article is the cell with most of the text;
            # sidebars and menus in the other cells are much shorter.
            sizes = [len(_clean("".join(cell.itertext()))) for cell in cells]
            for cell, size in zip(cells, sizes, strict=True):
                if size >= 0.3 * max(sizes):
                    _walk_container(cell, out)
        else:
            texts = [" ".join(_text_lines(cell)) for cell in cells]
            out.emit("paragraph", [" | ".join(t for t in texts if t)] if any(texts) else [])
    elif tag in _PARAGRAPHS and not _has_block_child(el):
        out.emit("paragraph", _text_lines(el))
    elif tag in _CONTAINERS or tag in _PARAGRAPHS:
        _walk_container(el, out)
    else:  # inline element met directly in the walk (e.g. the root of a fragment)
        out.text("\n".join(_text_lines(el)))


def _walk_container(el: etree._Element, out: _BlockWriter) -> None:
    out.flush()
    out.text(el.text)
    for child in el:
        _walk_child(child, out)
    out.flush()


def _walk_child(child: etree._Element, out: _BlockWriter) -> None:
    tag = child.tag if isinstance(child.tag, str) else ""
    if tag in _BREAKS:
        out.text("\n")
    elif tag in _HEADINGS or tag in _PARAGRAPHS or tag in _CONTAINERS or tag in _ROWS:
        _walk(child, out)
    elif tag and tag not in _SKIP:
        parts: list[str] = []
        _inline_text(child, parts)
        out.text("".join(parts))
    out.text(child.tail)


def _has_block_child(el: etree._Element) -> bool:
    return any(
        isinstance(c.tag, str) and (c.tag in _CONTAINERS or c.tag in _HEADINGS or c.tag in _PARAGRAPHS) for c in el
    )


# ----------------------------------------------------------------------------------------------------------------
# Furniture: read-also boxes, tag lists, bylines, date lines.
# ----------------------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Furniture:
    """What was cut out of a page before extraction."""

    related: list[RelatedRef] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)  # candidate date strings, in page order
    updated: list[str] = field(default_factory=list)
    dated: list[str] = field(default_factory=list)  # date lines without a cue word (see _DATED_XPATH)


def _text_len(el: etree._Element) -> int:
    return len(_clean(el.text_content()))


def _link_text_len(el: etree._Element) -> int:
    return sum(len(_clean(a.text_content())) for a in el.iter("a"))


def _links(el: etree._Element) -> list[etree._Element]:
    return [a for a in el.iter("a") if a.get("href")]


def _label_texts(scope: etree._Element) -> Iterator[tuple[str, etree._Element]]:
    """Short text pieces that may be labels, each with the element it visually belongs to (a tail belongs to the
    parent of the element it follows). A Python pass: faster than an XPath of many contains() on big pages."""
    for el in scope.iter():
        if not isinstance(el.tag, str):
            continue
        text = el.text
        if text and len(text) <= 2 * _MAX_LABEL_NODE and _LABEL_HINT.search(text):
            yield text, el
        tail = el.tail
        if el is not scope and tail and len(tail) <= 2 * _MAX_LABEL_NODE and _LABEL_HINT.search(tail):
            parent = el.getparent()
            if parent is not None:
                yield tail, parent


def _climb(el: etree._Element, allowance: int) -> etree._Element:
    """Grow from a label to the largest ancestor that holds nothing but the label and links."""
    while True:
        parent = el.getparent()
        if parent is None or parent.tag in _STOP_TAGS:
            return el
        if _text_len(parent) - _link_text_len(parent) > allowance:
            return el
        el = parent


def _is_link_list(el: etree._Element) -> bool:
    return bool(_links(el)) and _text_len(el) - _link_text_len(el) <= 20


def _related_refs(elements: Iterable[etree._Element], base_url: str | None) -> list[RelatedRef]:
    refs = []
    for el in elements:
        for a in _links(el):
            href = (a.get("href") or "").strip()
            if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
                continue
            title = _clean(a.text_content()) or _clean(a.get("title") or "")
            if not title:
                continue  # an image-only duplicate of a link that also appears with text
            url = urljoin(base_url, href) if base_url else href
            refs.append(RelatedRef(id=article_id(url=url, title=title, text=""), title=title))
    return refs


def _in_chrome(el: etree._Element, scope: etree._Element) -> bool:
    """Whether a links box sits in the page's chrome (see ``_CHROME_TAGS``) rather than in the article: it or an
    ancestor below ``scope`` is one, or its own heading (in it or in its parent) says "most read"."""
    node: etree._Element | None = el
    depth = 0
    while node is not None and node is not scope:
        names = f"{node.get('class', '')} {node.get('id', '')}".lower()
        if node.tag in _CHROME_TAGS or _CHROME_CLASS.search(names):
            return True
        if depth < 2:
            heading = next((h for h in node.iter("h2", "h3", "h4", "strong") if _clean(h.text_content())), None)
            if heading is not None and _MOST_READ.match(_clean(heading.text_content())):
                return True
        node = node.getparent()
        depth += 1
    return False


def _tag_texts(elements: list[etree._Element]) -> list[str]:
    tags: list[str] = []
    for el in elements:
        links = _links(el) or [a for a in el.iter("a")]
        if links:
            for a in links:
                tags.extend(split_tags(_clean(a.text_content())))
        else:
            tags.extend(split_tags(_TAGS_LABEL_STRIP.sub("", _clean(el.text_content()), count=1)))
    return [t for t in tags if not _TAGS_LABEL.fullmatch(t)]


def extract_furniture(scope: etree._Element, base_url: str | None) -> Furniture:
    """Find read-also boxes, tag lists, bylines and date lines in ``scope`` (a page's <body>, or the article
    container of a huge page); remove them from the tree; return what they held."""
    found = Furniture()
    doomed: list[etree._Element] = []
    related_boxes: list[etree._Element] = []
    tag_boxes: list[etree._Element] = []
    for text, owner in _label_texts(scope):
        _label_node(text, owner, found, doomed, related_boxes, tag_boxes)
    for el in _CLASS_XPATH(scope):
        _class_node(el, found, doomed, related_boxes, tag_boxes)
    found.related = _dedupe_refs(_related_refs([b for b in related_boxes if not _in_chrome(b, scope)], base_url))
    for el in _DATED_XPATH(scope):  # a date line the page prints without a cue word: a date, not body text
        text = _clean(el.text_content())
        if el.tag not in _STOP_TAGS and 0 < len(text) <= _MAX_DATE_TEXT and dates.parse(text):
            found.dated.append(text)
            doomed.append(el)
    found.tags = _tag_texts(tag_boxes)
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()  # keeps the tail text, which belongs to the surrounding flow
    return found


def _label_node(
    text: str,
    owner: etree._Element,
    found: Furniture,
    doomed: list[etree._Element],
    related_boxes: list[etree._Element],
    tag_boxes: list[etree._Element],
) -> None:
    if owner.tag in _STOP_TAGS or len(text.strip()) > _MAX_LABEL_NODE:
        return
    is_related = _READ_ALSO.match(text) is not None
    if is_related or _TAGS_LABEL.match(text):
        # A read-also label is followed by links only; a tag label may be followed by plain "a، b، c" text.
        allowance = len(_clean(text)) + (40 if is_related else 400)
        if _text_len(owner) - _link_text_len(owner) > allowance:
            return  # the words sit inside running text: not a box
        box = _climb(owner, allowance)
        members = [box]
        if not _links(box):
            sibling = box.getnext()
            while sibling is not None and _is_link_list(sibling):
                members.append(sibling)
                sibling = sibling.getnext()
        (related_boxes if is_related else tag_boxes).extend(members)
        doomed.extend(members)
        return
    whole = _clean(owner.text_content())
    if _BYLINE_LABEL.match(text):
        if len(whole) <= _MAX_BYLINE:
            _note_date_line(whole, found)  # "كتب: فلان - نشر في: ..." holds both
            author = clean_author(_PUBLISHED_LABEL.split(whole, maxsplit=1)[0])
            if author:
                found.authors.append(author)
            doomed.append(owner)
        return
    if len(whole) <= _MAX_DATE_LINE and _note_date_line(whole, found) and _starts_with_label(whole):
        doomed.append(owner)


def _starts_with_label(text: str) -> bool:
    head = text[:40]
    return any((m := p.search(head)) is not None and m.start() <= 3 for p in (_PUBLISHED_LABEL, _UPDATED_LABEL))


def _note_date_line(text: str, found: Furniture) -> bool:
    """Record the date strings following "نشر في"/"آخر تحديث" labels; True when one of them holds a date.

    Only a line whose label is followed by a readable date counts: "نشر في صحيفة..." is body text.
    """
    published = _PUBLISHED_LABEL.search(text)
    updated = _UPDATED_LABEL.search(text)
    has_date = False
    if published:
        end = updated.start() if updated and updated.start() > published.start() else len(text)
        found.published.append(text[published.end() : end])
        has_date = has_date or bool(dates.parse(found.published[-1]))
    if updated:
        end = published.start() if published and published.start() > updated.start() else len(text)
        found.updated.append(text[updated.end() : end])
        has_date = has_date or bool(dates.parse(found.updated[-1]))
    return has_date


# Class-named boxes count only on elements that can be a box; an <a class="related-link"> inside a paragraph is
# part of the sentence.
_BOX_TAGS = frozenset({"div", "section", "aside", "ul", "ol", "nav", "footer", "header", "table", "figure", "p", "dl"})


def _class_node(
    el: etree._Element,
    found: Furniture,
    doomed: list[etree._Element],
    related_boxes: list[etree._Element],
    tag_boxes: list[etree._Element],
) -> None:
    if el.tag in _STOP_TAGS:
        return
    names = f"{el.get('class', '')} {el.get('id', '')}".lower()
    if _RELATED_CLASS.search(names):
        if el.tag in _BOX_TAGS and _links(el) and not any(True for _ in el.iter("h1")):
            size = _text_len(el)
            if _link_text_len(el) >= 0.5 * size or size <= 300:
                related_boxes.append(el)
                doomed.append(el)
    elif _TAGS_CLASS.search(names):
        fits = el.tag in _BOX_TAGS | {"span"} and 0 < _text_len(el) <= _MAX_TAG_BOX
        if fits and (_links(el) or _TAGS_LABEL.match(_clean(el.text_content()))):
            tag_boxes.append(el)
            doomed.append(el)
    elif _BYLINE_CLASS.search(names):
        whole = _clean(el.text_content())
        if 0 < len(whole) <= _MAX_BYLINE:
            _note_date_line(whole, found)
            author = clean_author(_AUTHOR_PREFIX.sub("", _PUBLISHED_LABEL.split(whole, maxsplit=1)[0]))
            if author:
                found.authors.append(author)
            doomed.append(el)


def _dedupe_refs(refs: list[RelatedRef]) -> list[RelatedRef]:
    seen: set[str] = set()
    out = []
    for ref in refs:
        if ref.id not in seen:
            seen.add(ref.id)
            out.append(ref)
    return out


def dedupe(items: Iterable[str]) -> list[str]:
    """Exact repeats dropped, order kept."""
    return list(dict.fromkeys(i for i in items if i))


# ----------------------------------------------------------------------------------------------------------------
# Metadata: <meta>, JSON-LD, titles.
# ----------------------------------------------------------------------------------------------------------------

_ARTICLE_TYPES = frozenset(
    {
        "newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
        "backgroundnewsarticle", "reviewnewsarticle", "blogposting", "liveblogposting", "report", "socialmediaposting",
    }
)  # fmt: skip


def _meta(root: etree._Element) -> dict[str, list[str]]:
    """<meta> contents by lower-cased name/property/itemprop, in page order."""
    out: dict[str, list[str]] = {}
    for m in root.iter("meta"):
        content = m.get("content")
        if content is None or not has_visible_text(content):  # empty, or zero-width characters only
            continue
        for attr in ("property", "name", "itemprop"):
            key = m.get(attr)
            if key:
                out.setdefault(key.strip().lower(), []).append(_clean(content))
    return out


def _first(meta: dict[str, list[str]], *keys: str) -> str | None:
    for key in keys:
        if meta.get(key):
            return meta[key][0]
    return None


def _json_ld(root: etree._Element) -> dict[str, Any]:
    """The page's article object from JSON-LD (``@graph`` and ``@id`` references resolved), or {}."""
    objects: list[dict[str, Any]] = []
    for script in root.xpath("//script[@type='application/ld+json']"):
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            # strict=False: raw newlines inside strings are common. A lone surrogate escape becomes U+FFFD.
            data = parse_json(raw, strict=False)
            _flatten(data, objects)
        except (ValueError, RecursionError):  # not JSON, or nested too deep to read: the page has no JSON-LD
            continue
    by_id = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str)}
    for obj in objects:
        if _types(obj) & _ARTICLE_TYPES:
            return {k: _resolve(v, by_id) for k, v in obj.items()}
    return {}


def _flatten(data: Any, out: list[dict[str, Any]]) -> None:
    if isinstance(data, list):
        for item in data:
            _flatten(item, out)
    elif isinstance(data, dict):
        out.append(data)
        if "@graph" in data:
            _flatten(data["@graph"], out)


def _types(obj: dict[str, Any]) -> set[str]:
    t = obj.get("@type")
    values = t if isinstance(t, list) else [t]
    return {v.lower() for v in values if isinstance(v, str)}


def _resolve(value: Any, by_id: dict[str, dict[str, Any]]) -> Any:
    if isinstance(value, dict) and set(value) == {"@id"} and value["@id"] in by_id:
        return by_id[value["@id"]]
    if isinstance(value, list):
        return [_resolve(v, by_id) for v in value]
    return value


def _ld_text(value: Any) -> str | None:
    """A JSON-LD text value; entities unescaped (several Arabic CMSs HTML-escape their JSON-LD)."""
    if isinstance(value, str) and value.strip():
        return _clean(html_lib.unescape(value))
    return None


def _ld_names(value: Any, *, people_only: bool) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        if isinstance(item, str):
            names.append(_ld_text(item))
        elif isinstance(item, dict):
            if people_only and _types(item) - {"person"}:
                continue  # an Organization "author" is the outlet itself
            names.append(_ld_text(item.get("name")))
    return [n for n in names if n]


def _ld_keywords(value: Any) -> list[str]:
    if isinstance(value, str):
        return split_tags(html_lib.unescape(value))
    if isinstance(value, list):
        return [t for v in value if isinstance(v, str) for t in split_tags(html_lib.unescape(v))]
    return []


_TITLE_SEPARATOR = re.compile(r"\s+(?:\||-|–|—|::|»|«|\|\|)\s+")


def _fold_name(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.lower())


# A host says the outlet's name between these: www.alarabiya.net → alarabiya.
_HOST_FURNITURE = re.compile(
    r"^(?:www\d?|m|amp|arabic|ar)\.|\.(?:com|net|org|info|news|tv|co|gov|edu|[a-z]{2})\b", re.I
)
# Pages with no byline put the newsroom where the author goes: "فريق التحرير", "Editorial Team", "admin".
_NEWSROOM = re.compile(
    r"^\s*(?:(?:"
    + _tolerant("فريق", "هيئة", "أسرة", "قسم")
    + r")\s+)?(?:"
    + _tolerant("التحرير", "المحرر", "المحررين")
    + r")|^\s*(?:"
    + _tolerant("محرر", "إدارة")
    + r")\s+(?:"
    + _tolerant("الموقع", "الصحيفة", "الجريدة", "الأخبار")
    + r")|^\s*(?:editorial(?:\s+(?:team|staff|board))?|staff(?:\s+writer)?|admin(?:istrator)?|editor|newsroom|"
    r"web\s*desk|news\s*desk)\s*$",
    re.IGNORECASE,
)


def _names_the_outlet(author: str, site_names: Sequence[str]) -> bool:
    """An author field that holds the outlet rather than a person: its name, written together or apart (Al Arabiya
    for alarabiya.net), in a longer or a shorter form (العربية نت for العربية: one's words hold the other's), or the
    newsroom (فريق التحرير)."""
    if _NEWSROOM.search(author):
        return True
    spelled = _name_words(author)
    words = set(spelled)
    for name in site_names:
        outlet = _name_words(_HOST_FURNITURE.sub("", name))
        if outlet and ("".join(outlet) == "".join(spelled) or set(outlet) <= words or words <= set(outlet)):
            return True
    return False


def _name_words(name: str) -> list[str]:
    return [w for w in (_fold_name(part) for part in name.split()) if w]


# A lead (standfirst) that a page sets in a container of its own above the body: the extractor keeps the body's
# container and drops it. Named for what it is, a sentence or two long.
_LEAD_NAMES = ("lead", "standfirst", "summary", "excerpt", "intro", "subtitle", "sub-title", "brief", "description")
_LEAD_XPATH = etree.XPath(
    "//*[@class or @id][" + " or ".join(f"contains({_LOWER}, '{name}')" for name in _LEAD_NAMES) + "]"
)
_LEAD_WORDS = (8, 80)


def _lead_above(root: etree._Element, body: list[Block]) -> list[Block]:
    """The page's lead as a first paragraph, when the extracted body lacks it and it stands before the body's first
    paragraph (never a teaser from elsewhere on the page)."""
    if not body:
        return []
    leads = _LEAD_XPATH(root)
    if not leads:
        return []
    first = next((el for el in root.iter("p") if _clean(el.text_content()) == body[0].text), None)
    if first is None:
        return []
    in_body = {_fold_name(b.text) for b in body}
    order = {el: i for i, el in enumerate(root.iter())}  # document order, read only when a page names a lead
    for el in leads:
        if el.tag in _STOP_TAGS or any(a.tag in ("aside", "nav", "footer") for a in el.iterancestors()):
            continue
        text = _clean(el.text_content())
        words = len(text.split())
        if _LEAD_WORDS[0] <= words <= _LEAD_WORDS[1] and order[el] < order[first]:
            if _fold_name(text) not in in_body and not any(_fold_name(text) in f for f in in_body):
                return [Block("paragraph", text)]
            return []
    return []


def _is_headline_part(segment: str, headline: str | None) -> bool:
    """Whether a <title> segment is (the start of) the headline: ``خطة لتوسيع الحدائق العامة في...``."""
    if not headline or not segment.strip():
        return False
    piece = _fold_name(segment.strip().rstrip(".…").strip())
    return bool(piece) and len(piece) >= 8 and (piece in _fold_name(headline))


def strip_site_name(title: str, site_names: Iterable[str], *, guess: bool = False) -> str:
    """``عنوان الخبر - سكاي نيوز عربية`` → ``عنوان الخبر``.

    A segment is dropped when it is a known site name; with ``guess`` (used for ``<title>``) a short trailing
    segment after the last separator is dropped even when the site name is unknown.
    """
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) < 2:
        return title
    known = {_fold_name(n) for n in site_names if n and _fold_name(n)}

    def is_site(segment: str) -> bool:
        folded = _fold_name(segment)
        return bool(folded) and any(folded == k or folded in k or k in folded for k in known)

    if is_site(parts[-1]):
        return _rejoin(title, parts[-1], last=True)
    if is_site(parts[0]):
        return _rejoin(title, parts[0], last=False)
    if guess and len(parts[-1].split()) <= 4 and len(parts[-1]) < len(title) - len(parts[-1]):
        return _rejoin(title, parts[-1], last=True)
    return title


def _rejoin(title: str, segment: str, *, last: bool) -> str:
    if last:
        return _trim_sep(title[: title.rfind(segment)])
    return _trim_sep(title[title.find(segment) + len(segment) :], leading=True)


def _trim_sep(text: str, *, leading: bool = False) -> str:
    pattern = r"^\s*(?:\||-|–|—|::|»|«|\|\|)\s*" if leading else r"\s*(?:\||-|–|—|::|»|«|\|\|)\s*$"
    return re.sub(pattern, "", text).strip()


# ----------------------------------------------------------------------------------------------------------------
# The reader.
# ----------------------------------------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def sniff_charset(data: bytes) -> str | None:
    """The charset a page declares in its first bytes (``<meta charset>``, http-equiv, XML declaration)."""
    head = data[:4096]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if not m:
        return None
    name = m.group(1).decode("ascii", "replace")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def read_html(
    data: bytes,
    source: str,
    options: ReadOptions,
    *,
    url: str | None = None,
    charset: str | None = None,
    reference: datetime | None = None,
    offset: int | None = None,
    record: str | None = None,
    reader: str = READER,
) -> Iterator[Record]:
    """Read one HTML page.

    ``url`` is where the page was fetched from (used to resolve links and as the id when the page names no canonical
    URL); ``charset`` is the HTTP-declared charset; ``reference`` (the fetch time) anchors relative dates like
    "منذ ساعتين"; ``offset``/``record``/``reader`` fill the provenance when the page comes out of a container.
    """
    position = f"record {record}" if record else f"byte {offset or 0}"
    if too_big := oversize(data, source, options, reader, position):
        yield too_big
        return
    try:
        text = decode_text(data, charset or sniff_charset(data))
    except DecodeError as exc:
        yield failure(source, position, f"not an HTML page: {exc}", data, reader)
        return
    page = _Page(text, source, options, url=url, reference=reference)
    provenance = Provenance(source=source, reader=reader, offset=offset, record=record)
    result = page.article(provenance)
    if isinstance(result, str):
        yield failure(source, position, result, data, reader)
    else:
        yield result


@dataclass(slots=True)
class _Page:
    text: str
    source: str
    options: ReadOptions
    url: str | None = None
    reference: datetime | None = None

    def article(self, provenance: Provenance) -> Article | str:
        """An Article, or a one-line reason why there is none."""
        parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False)
        text = _XML_DECLARATION.sub("", self.text, count=1)
        if len(text) > _PRESTRIP_CHARS:
            text = _prestrip(text)
        try:
            root = lxml.html.document_fromstring(text, parser=parser)
        except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
            return f"HTML could not be parsed: {exc}"
        too_deep = any("depth" in e.message.lower() for e in parser.error_log)

        meta = _meta(root)
        ld = _json_ld(root)
        canonical = self._canonical(root, meta)
        base = self._base(root, canonical)
        h1 = next((t for t in (_clean(h.text_content()) for h in root.iter("h1")) if has_visible_text(t)), None)
        elements = _strip_heavy(root)

        doc: Document | None = None
        if elements <= _MAX_EXTRACT_ELEMENTS:
            body_el = root.find("body")
            furniture = extract_furniture(body_el if body_el is not None else root, base)
            extracted = self._trafilatura(root, canonical, fast=elements > _FAST_MODE_ELEMENTS)
            if isinstance(extracted, str):
                return extracted
            doc = extracted
            body = blocks_from_tree(doc.body) if doc is not None and doc.body is not None else []
        else:
            container = _article_container(root)
            if container is None:
                return (
                    f"page too large to extract: {elements:,} elements (limit {_MAX_EXTRACT_ELEMENTS:,}) "
                    "and no <article>, articleBody or <main> container"
                )
            furniture = extract_furniture(container, base)
            body = blocks_from_tree(container)
        if not body:
            if too_deep:
                return "page nested deeper than the HTML parser's limit (256 levels); no article text found"
            return "no article text found"
        body = [*_lead_above(root, body), *body]

        head_title = next((_clean(t.text_content()) for t in root.iter("title")), "")
        outlet = self._outlet(meta, ld, doc, h1, head_title)
        site_names = [n for n in (outlet, _first(meta, "og:site_name"), _host_of(base)) if n]
        title = self._title(meta, ld, root, h1, doc, site_names)
        if not title:
            return "no title found (no og:title, JSON-LD headline, <title> or <h1>)"
        if body and body[0].type == "heading" and _fold_name(body[0].text) == _fold_name(title):
            body = body[1:]  # the page's h1 repeated at the top of the extracted text
            if not body:
                return "no article text found"
        return make_article(
            title=title,
            body=body,
            provenance=provenance,
            url=canonical or self.url or (doc.url if doc else None),
            outlet=outlet,
            published_at=self._date(meta, ld, root, furniture),
            author=self._author(meta, ld, furniture, doc, site_names),
            tags=dedupe([*_ld_keywords(ld.get("keywords")), *self._meta_tags(meta), *furniture.tags]),
            related=furniture.related,
        )

    def _trafilatura(self, root: etree._Element, canonical: str | None, *, fast: bool) -> Document | str | None:
        """trafilatura's extraction (None when it finds nothing), or the reason it failed."""
        try:
            doc = trafilatura.bare_extraction(
                root,
                url=self.url or canonical,
                fast=fast,
                with_metadata=True,
                include_comments=False,
                include_tables=True,
                output_format="python",
                # Markup-only date search: the extensive mode guesses from the text, which invents dates.
                date_extraction_params={"extensive_search": False, "original_date": True},
            )
        except (RecursionError, ValueError, TypeError, etree.LxmlError) as exc:
            return f"trafilatura failed: {type(exc).__name__}: {exc}"
        return doc if isinstance(doc, Document) else None

    def _outlet(
        self, meta: dict[str, list[str]], ld: dict[str, Any], doc: Document | None, h1: str | None, head_title: str
    ) -> str | None:
        """The publisher as the page names it (JSON-LD, og:site_name), the run's ``--outlet``, else the segment of
        the <title> that is not the headline (``… | صحيفة المدينة``)."""
        publisher = _ld_names(ld.get("publisher"), people_only=False)
        sitename = _clean(doc.sitename or "") if doc else ""
        if re.fullmatch(r"[\w-]+(?:\.[\w-]+)+", sitename) or _is_headline_part(sitename, h1):
            sitename = ""  # trafilatura falls back to the host name, or takes a piece of the headline for the site
        for name in (*publisher, _first(meta, "og:site_name", "application-name"), sitename, self.options.outlet):
            if name:
                return name
        parts = [p for p in _TITLE_SEPARATOR.split(head_title) if p.strip()]
        if h1 and len(parts) >= 2:
            rest = [p.strip() for p in parts if not _is_headline_part(p, h1)]
            if len(rest) == 1 and 0 < len(rest[0].split()) <= 4:
                return rest[0]
        return None

    def _canonical(self, root: etree._Element, meta: dict[str, list[str]]) -> str | None:
        """The page's own canonical URL, absolute; ignored when it points at the site's front page."""
        hrefs: list[str | None] = [link.get("href") for link in root.xpath("//link[@rel='canonical'][@href]")]
        for href in [*hrefs, _first(meta, "og:url")]:
            if not href or not href.strip():
                continue
            absolute = urljoin(self.url, href.strip()) if self.url else href.strip()
            parts = urlsplit(absolute)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                continue
            if parts.path.strip("/") == "" and self.url and urlsplit(self.url).path.strip("/"):
                continue  # a CMS bug seen in the wild: every page declares the home page canonical
            return absolute
        return None

    def _base(self, root: etree._Element, canonical: str | None) -> str | None:
        base: str | None = next((b.get("href") for b in root.iter("base") if b.get("href")), None)
        page = self.url or canonical
        if base:
            return urljoin(page, base) if page else base
        return page

    def _title(
        self,
        meta: dict[str, list[str]],
        ld: dict[str, Any],
        root: etree._Element,
        h1: str | None,
        doc: Document | None,
        site_names: list[str],
    ) -> str | None:
        og = _first(meta, "og:title", "twitter:title")
        if has_visible_text(og):  # a title of zero-width characters is no title: the next one is taken
            return strip_site_name(og, site_names)
        headline = _ld_text(ld.get("headline")) or _ld_text(ld.get("name"))
        if has_visible_text(headline):
            return strip_site_name(headline, site_names)
        known = {_fold_name(n) for n in site_names}
        if h1 and len(h1.split()) >= 3 and _fold_name(h1) not in known:
            return h1  # the article's own heading; a <title> is often cut short, or the site's name alone
        head_title = next((_clean(t.text_content()) for t in root.iter("title")), "")
        if has_visible_text(head_title):
            return strip_site_name(head_title, site_names, guess=True)
        return h1 or (_clean(doc.title) if doc and doc.title else None)

    def _date(self, meta: dict[str, list[str]], ld: dict[str, Any], root: etree._Element, furniture: Furniture) -> Any:
        published_meta = [
            _first(meta, key)
            for key in (
                "article:published_time", "og:article:published_time", "og:published_time", "datepublished",
                "pubdate", "publishdate", "publish-date", "publish_date", "date", "dc.date.issued", "dcterms.issued",
                "dc.date", "dcterms.created", "dcterms.date", "sailthru.date", "parsely-pub-date",
                "article.published", "publication_date", "original-publish-date", "datecreated",
            )
        ]  # fmt: skip
        times = root.xpath("//time[@datetime]")
        marked = [
            t.get("datetime") for t in times if t.get("itemprop") == "datePublished" or t.get("pubdate") is not None
        ]
        in_article = [t.get("datetime") for t in root.xpath("//article//time[@datetime]")]
        lone = [times[0].get("datetime")] if len(times) == 1 else []
        modified = [
            _ld_text(ld.get("dateModified")),
            _first(
                meta, "article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "last-modified"
            ),
            *furniture.updated,
        ]
        candidates = [
            _ld_text(ld.get("datePublished")) or _ld_text(ld.get("dateCreated")),
            *published_meta,
            *marked,
            *furniture.published,
            *in_article[:1],
            *lone,
            *furniture.dated,
            *modified,
        ]
        for candidate in candidates:
            value = parse_date(candidate, self.options, self.reference)
            if value is not None:
                return self._local_over_z(value, [*furniture.published, *furniture.dated])
        return None

    def _local_over_z(self, value: datetime, visible: list[str]) -> datetime:
        """A machine value stamped UTC (``Z``) that reads, on the clock, exactly as the date the page shows, on a
        site whose zone the run knows (``--default-tz``) and that is not UTC: the CMS wrote local time and called it
        UTC. The visible date in the site's zone is the publication time then."""
        zone = self.options.default_tz
        if zone is None or value.utcoffset() != timedelta(0):
            return value
        for text in visible:
            shown = dates.parse(text, reference=self.reference).value
            if shown is not None and shown.tzinfo is None and shown == value.replace(tzinfo=None):
                local = shown.replace(tzinfo=zone)
                if local.utcoffset() != timedelta(0):
                    return local
        return value

    def _author(
        self,
        meta: dict[str, list[str]],
        ld: dict[str, Any],
        furniture: Furniture,
        doc: Document | None,
        site_names: list[str],
    ) -> str | None:
        candidates = [
            "، ".join(_ld_names(ld.get("author"), people_only=True)),
            *meta.get("author", []),
            *meta.get("article:author", []),
            *furniture.authors,
            (doc.author if doc else None) or "",
        ]
        for raw in candidates:
            if not raw or _NOT_AN_AUTHOR.search(raw):
                continue  # article:author is often a profile URL, a logo's path stands where a name should
            author = clean_author(_AUTHOR_PREFIX.sub("", raw))
            if author and not _names_the_outlet(author, site_names) and not _NOT_AN_AUTHOR.search(author):
                return author
        return None

    @staticmethod
    def _meta_tags(meta: dict[str, list[str]]) -> list[str]:
        tags: list[str] = []
        for key in ("keywords", "news_keywords"):
            for value in meta.get(key, []):
                tags.extend(split_tags(value))
        tags.extend(t for value in meta.get("article:tag", []) for t in split_tags(value))
        return tags


_PRESTRIP_CHARS = 1_000_000
_SCRIPT_OPEN = re.compile(r"<(script|style)\b([^>]*)>", re.IGNORECASE)
_SCRIPT_CLOSE = {
    "script": re.compile(r"</script\s*>", re.IGNORECASE),
    "style": re.compile(r"</style\s*>", re.IGNORECASE),
}
_DATA_URI = re.compile(r"data:[^\"'\s>]{512,}")


def _prestrip(text: str) -> str:
    """Cut script/style bodies (JSON-LD kept) and long data: URIs out of a big page before parsing.

    libxml2 stops at a text node or attribute over 10 MB (inline app state, base64 images), losing the rest of the
    page; they hold no article text. A linear scan: an unclosed <script> ends the scan instead of rescanning.
    """
    out: list[str] = []
    pos = 0
    while (m := _SCRIPT_OPEN.search(text, pos)) is not None:
        close = _SCRIPT_CLOSE[m.group(1).lower()].search(text, m.end())
        if close is None:
            break
        keep = m.group(1).lower() == "script" and "ld+json" in m.group(2).lower()
        out.append(text[pos : close.end()] if keep else text[pos : m.start()])
        pos = close.end()
    out.append(text[pos:])
    return _DATA_URI.sub("data:,", "".join(out))


def _strip_heavy(root: etree._Element) -> int:
    """Remove scripts (JSON-LD is read by then), styles and other text-less heavy elements; count what is left."""
    etree.strip_elements(root, "script", *_HEAVY_TAGS, with_tail=False)
    return int(root.xpath("count(//*)"))


def _article_container(root: etree._Element) -> etree._Element | None:
    for path in ("//*[@itemprop='articleBody']", "//article", "//main", "//*[@role='main']"):
        found = root.xpath(path)
        if found:
            container: etree._Element = found[0]
            return container
    return None


def _host_of(url: str | None) -> str | None:
    return urlsplit(url).hostname if url else None


# ----------------------------------------------------------------------------------------------------------------
# Fragments (feed content, HTML text fields).
# ----------------------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class BodyParts:
    blocks: list[Block]
    related: list[RelatedRef]
    tags: list[str]
    authors: list[str]


_LOOKS_LIKE_HTML = re.compile(r"<(?:p|div|br|h[1-6]|ul|ol|li|span|a|strong|b|em|blockquote|figure|img)\b[^>]*>", re.I)


def looks_like_html(text: str) -> bool:
    return bool(_LOOKS_LIKE_HTML.search(text[:20000]))


def body_parts(fragment: str, base_url: str | None = None) -> BodyParts:
    """Blocks, read-also links, tags and bylines of an HTML fragment that is an article body (no boilerplate).

    The fragment is walked directly rather than through trafilatura: there is no page chrome to remove, and
    trafilatura drops short fragments.
    """
    try:
        root = lxml.html.document_fromstring(
            "<html><body><div>" + _XML_DECLARATION.sub("", fragment, count=1) + "</div></body></html>",
            parser=lxml.html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False),
        )
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return BodyParts([Block("paragraph", line) for line in _plain_lines(fragment)], [], [], [])
    furniture = extract_furniture(root, base_url)
    body = root.find("body")
    blocks = blocks_from_tree(body) if body is not None else []
    return BodyParts(blocks, furniture.related, furniture.tags, furniture.authors)


def _plain_lines(text: str) -> list[str]:
    return [c for c in (_clean(line) for line in re.sub(r"<[^>]*>", " ", text).splitlines()) if c]
