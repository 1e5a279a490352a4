"""HTML as the readers meet it, beside trafilatura: Arabic label patterns, the walk from a tree to body blocks, page
furniture and HTML fragments.

* label patterns: Arabic labels («إقرأ أيضاً», «كلمات دلالية», «نشر في») written plainly and compiled to tolerate
  hamza, alef maqsura, ta marbuta and any tashkeel or tatweel between letters;
* body blocks: one walker for trafilatura's XML and for plain HTML, headings and paragraphs in reading order;
* furniture: read-also boxes, tag lists, bylines and date lines found (and cut out of the tree, so that their text
  never reaches the body);
* fragments: an HTML piece that is already the article's body (an RSS ``content:encoded``, an HTML ``text`` field in
  JSON lines) through the same furniture removal and block walk.

Every reader of HTML uses this module (:mod:`akhbar.ingest.html` for pages; :mod:`~akhbar.ingest.feeds` and
:mod:`~akhbar.ingest.jsonl` for fragments); no reader imports another.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from akhbar.arabic import dates
from akhbar.ingest.base import (
    clean_author,
    split_tags,
)
from akhbar.model import Block, RelatedRef, article_id

XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")

# ----------------------------------------------------------------------------------------------------------------
# Label patterns. Arabic labels are written plainly and compiled to tolerate hamza/alef and ya/alef-maqsura
# variants and any tashkeel or tatweel between letters ("إقرأ أيضاً" = "اقرأ ايضا").
# ----------------------------------------------------------------------------------------------------------------

_MARKS = "[\u064b-\u065f\u0670\u0640]*"
_VARIANTS = {"ا": "[اأإآٱ]", "أ": "[اأإآ]", "إ": "[اأإ]", "ي": "[يى]", "ى": "[يى]", "ة": "[ةه]", "ه": "[هة]"}


def tolerant(*phrases: str) -> str:
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
    + tolerant(
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
    + tolerant("الكلمات المفتاحية", "كلمات مفتاحية", "الكلمات الدلالية", "كلمات دلالية", "الوسوم", "وسوم")
    + r"|^\s*(?:tags|keywords)\b",
    re.IGNORECASE,
)
_TAGS_LABEL_STRIP = re.compile("(?:" + _TAGS_LABEL.pattern + r")\s*[:：\-–—]?\s*", re.IGNORECASE)
_BYLINE_LABEL = re.compile(
    _LEAD
    + tolerant("كتب", "كتبت", "حوار", "إعداد", "أعدت", "أعده", "تحرير", "متابعة", "تقرير")
    + r"\s*[:：\-–—]"
    + "|"
    + _LEAD
    + tolerant("بقلم")
    + r"\s*[:：\-–—]?\s*\S"
)
# Not a person: a source line, a link or an image path (a logo), a web address.
NOT_AN_AUTHOR = re.compile(
    r"^\s*(?:"
    + tolerant("المصدر", "مصدر")
    + r")\s*[:：]|https?:|www\.|\.(?:png|jpe?g|svg|gif|webp)\b|\.(?:com|net|org)\b",
    re.IGNORECASE,
)
# Author boxes also say "الكاتب:"/"بواسطة"; clean_author knows the byline verbs, these are stripped here first.
AUTHOR_PREFIX = re.compile(r"^\s*(?:" + tolerant("الكاتب", "الكاتبة", "المحرر", "بواسطة") + r")\s*[:：\-–—]?\s*")
_PUBLISHED_LABEL = re.compile(
    tolerant("تاريخ النشر", "نشر في", "نشر بتاريخ", "تم النشر", "تاريخ الخبر", "نشر")
    + r"\s*(?:[:：]|في|"
    + tolerant("بتاريخ")
    + r")|\b(?:published|posted)(?:\s+on)?\s*:",
    re.IGNORECASE,
)
_UPDATED_LABEL = re.compile(
    tolerant("آخر تحديث", "اخر تحديث", "تاريخ التحديث", "تم التحديث", "تحديث") + r"\s*[:：]|\bupdated\s*:",
    re.IGNORECASE,
)
# Cheap pre-filter: only short text containing one of these can hold a label.
_LABEL_HINT = re.compile(
    "يض|صل[ةه]|زيد|كذلك|يهمك|نشر|حديث|كلمات|وسوم|كتب|بقلم|حوار|عداد|عدت|عده|تحرير|متابع|تقرير|tags|keywords|published|posted|updated",
    re.IGNORECASE,
)
LOWER = "translate(concat(@class, ' ', @id), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
_CLASS_XPATH = etree.XPath(
    f".//*[@class or @id][contains({LOWER}, 'relat') or contains({LOWER}, 'also')"
    f" or contains({LOWER}, 'tag') or contains({LOWER}, 'keyword') or contains({LOWER}, 'author')"
    f" or contains({LOWER}, 'byline') or contains({LOWER}, 'writer')]"
)
_RELATED_CLASS = re.compile(r"read[-_ ]?also|also[-_ ]?read|related|more[-_ ]?news")
_TAGS_CLASS = re.compile(r"(?:^|[\s_-])(?:tags?|keywords?|tag[-_]?(?:list|cloud|links|box)|hashtags?)(?:$|[\s_-])")
_BYLINE_CLASS = re.compile(r"(?:^|[\s_-])(?:author|authors|byline|writer|author[-_]?name)(?:$|[\s_-])")

# Where a page prints its date without a cue word ("نشر في"): an element named for a date or a time, a <time>
# without a machine-readable value. Only short texts: a date line, not a paragraph that happens to hold a date.
_DATED_XPATH = etree.XPath(
    f"//time[not(@datetime)] | //*[@class or @id or @itemprop][contains({LOWER}, 'date')"
    f" or contains({LOWER}, 'publish') or contains({LOWER}, 'posted') or contains(@itemprop, 'date')"
    f" or contains({LOWER}, 'time')]"
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
STOP_TAGS = frozenset({"html", "body", "article", "main"})
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


def clean_text(text: str) -> str:
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
    return [line for line in (clean_text(x) for x in "".join(parts).split("\n")) if line]


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
                if cleaned := clean_text(line):
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
            sizes = [len(clean_text("".join(cell.itertext()))) for cell in cells]
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
    return len(clean_text(el.text_content()))


def _link_text_len(el: etree._Element) -> int:
    return sum(len(clean_text(a.text_content())) for a in el.iter("a"))


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
        if parent is None or parent.tag in STOP_TAGS:
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
            title = clean_text(a.text_content()) or clean_text(a.get("title") or "")
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
            heading = next((h for h in node.iter("h2", "h3", "h4", "strong") if clean_text(h.text_content())), None)
            if heading is not None and _MOST_READ.match(clean_text(heading.text_content())):
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
                tags.extend(split_tags(clean_text(a.text_content())))
        else:
            tags.extend(split_tags(_TAGS_LABEL_STRIP.sub("", clean_text(el.text_content()), count=1)))
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
        text = clean_text(el.text_content())
        if el.tag not in STOP_TAGS and 0 < len(text) <= _MAX_DATE_TEXT and dates.parse(text):
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
    if owner.tag in STOP_TAGS or len(text.strip()) > _MAX_LABEL_NODE:
        return
    is_related = _READ_ALSO.match(text) is not None
    if is_related or _TAGS_LABEL.match(text):
        # A read-also label is followed by links only; a tag label may be followed by plain "a، b، c" text.
        allowance = len(clean_text(text)) + (40 if is_related else 400)
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
    whole = clean_text(owner.text_content())
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
    if el.tag in STOP_TAGS:
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
        if fits and (_links(el) or _TAGS_LABEL.match(clean_text(el.text_content()))):
            tag_boxes.append(el)
            doomed.append(el)
    elif _BYLINE_CLASS.search(names):
        whole = clean_text(el.text_content())
        if 0 < len(whole) <= _MAX_BYLINE:
            _note_date_line(whole, found)
            author = clean_author(AUTHOR_PREFIX.sub("", _PUBLISHED_LABEL.split(whole, maxsplit=1)[0]))
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
            "<html><body><div>" + XML_DECLARATION.sub("", fragment, count=1) + "</div></body></html>",
            parser=lxml.html.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False),
        )
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return BodyParts([Block("paragraph", line) for line in _plain_lines(fragment)], [], [], [])
    furniture = extract_furniture(root, base_url)
    body = root.find("body")
    blocks = blocks_from_tree(body) if body is not None else []
    return BodyParts(blocks, furniture.related, furniture.tags, furniture.authors)


def _plain_lines(text: str) -> list[str]:
    return [c for c in (clean_text(line) for line in re.sub(r"<[^>]*>", " ", text).splitlines()) if c]
