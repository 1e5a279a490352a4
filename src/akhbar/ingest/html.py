"""One HTML news page → one Article.

trafilatura finds the main text; what it does not know about Arabic news pages is added around it:

* before extraction, page furniture is found and cut out of the tree so that its text never reaches the body:
  "read also" boxes (their links become ``related``), tag lists (→ ``tags``), bylines (→ ``author``) and
  "published on" lines (→ date candidates);
* metadata comes from JSON-LD, ``<meta>`` and the page itself before trafilatura's guesses;
* the extracted tree becomes heading/paragraph blocks in reading order (sub-headings are kept).

Furniture, label patterns, the block walk and fragments live in :mod:`akhbar.ingest.markup` (shared with the feed
and JSON-lines readers); here: metadata (``<meta>``, JSON-LD, titles, bylines, dates) and the page reader.
"""

from __future__ import annotations

import codecs
import html as html_lib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
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
from akhbar.ingest.markup import (
    AUTHOR_PREFIX,
    LOWER,
    NOT_AN_AUTHOR,
    STOP_TAGS,
    XML_DECLARATION,
    Furniture,
    blocks_from_tree,
    clean_text,
    dedupe,
    extract_furniture,
    tolerant,
)
from akhbar.model import Article, Block, Provenance

READER = "html"

# trafilatura costs ~60-75 µs per element. A news page has a few thousand; above _FAST_MODE_ELEMENTS it runs
# without its readability/jusText fallbacks, and above _MAX_EXTRACT_ELEMENTS (~1 s of work) it is not run at all:
# the body is then read straight from the page's <article>/articleBody/<main> container, or the page is refused.
_FAST_MODE_ELEMENTS = 5_000
_MAX_EXTRACT_ELEMENTS = 15_000
# Heavy elements without article text, removed before counting (inline app state and base64 SVGs inflate pages).
_HEAVY_TAGS = ("style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas")

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
                out.setdefault(key.strip().lower(), []).append(clean_text(content))
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
        return clean_text(html_lib.unescape(value))
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
    + tolerant("فريق", "هيئة", "أسرة", "قسم")
    + r")\s+)?(?:"
    + tolerant("التحرير", "المحرر", "المحررين")
    + r")|^\s*(?:"
    + tolerant("محرر", "إدارة")
    + r")\s+(?:"
    + tolerant("الموقع", "الصحيفة", "الجريدة", "الأخبار")
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
    "//*[@class or @id][" + " or ".join(f"contains({LOWER}, '{name}')" for name in _LEAD_NAMES) + "]"
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
    first = next((el for el in root.iter("p") if clean_text(el.text_content()) == body[0].text), None)
    if first is None:
        return []
    in_body = {_fold_name(b.text) for b in body}
    order = {el: i for i, el in enumerate(root.iter())}  # document order, read only when a page names a lead
    for el in leads:
        if el.tag in STOP_TAGS or any(a.tag in ("aside", "nav", "footer") for a in el.iterancestors()):
            continue
        text = clean_text(el.text_content())
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
        text = XML_DECLARATION.sub("", self.text, count=1)
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
        h1 = next((t for t in (clean_text(h.text_content()) for h in root.iter("h1")) if has_visible_text(t)), None)
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

        head_title = next((clean_text(t.text_content()) for t in root.iter("title")), "")
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
        sitename = clean_text(doc.sitename or "") if doc else ""
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
        head_title = next((clean_text(t.text_content()) for t in root.iter("title")), "")
        if has_visible_text(head_title):
            return strip_site_name(head_title, site_names, guess=True)
        return h1 or (clean_text(doc.title) if doc and doc.title else None)

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
            if not raw or NOT_AN_AUTHOR.search(raw):
                continue  # article:author is often a profile URL, a logo's path stands where a name should
            author = clean_author(AUTHOR_PREFIX.sub("", raw))
            if author and not _names_the_outlet(author, site_names) and not NOT_AN_AUTHOR.search(author):
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
