"""RSS and Atom feeds → one Article per entry, via feedparser.

The body comes from ``content:encoded`` (Atom ``content``) when the feed carries the full text, run through the same
furniture removal and block walk as HTML pages (:func:`akhbar.ingest.html.body_parts`); otherwise from the summary
or description. Dates are read from the entry's original string so that its zone offset is kept; feedparser's own
parsed struct (already converted to UTC) is only the fallback.

A character reference to no character (``&#xD800;``, a lone surrogate; ``&#x110000;``; ``&#0;``) is read as U+FFFD
(feedparser would fail on the whole feed). An entry that cannot be read becomes a Failure for that entry alone.
"""

from __future__ import annotations

import calendar
import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import feedparser

from akhbar.ingest.base import (
    ReadOptions,
    Record,
    clean_author,
    error_reason,
    failure,
    make_article,
    oversize,
    paragraphs,
    parse_date,
    split_tags,
)
from akhbar.ingest.markup import BodyParts, body_parts, dedupe, looks_like_html
from akhbar.model import Provenance

READER = "feed"


def read_feed(data: bytes, source: str, options: ReadOptions) -> Iterator[Record]:
    """Read an RSS/Atom document; provenance record of each article is ``item N`` (1-based, feed order)."""
    if too_big := oversize(data, source, options, READER):
        yield too_big
        return
    try:
        # A stream, not bytes: feedparser tries bytes as a file name first, and would read a local file.
        parsed = feedparser.parse(io.BytesIO(_valid_char_refs(data)), sanitize_html=True, resolve_relative_uris=True)
    except Exception as exc:  # feedparser wraps most errors in bozo; anything escaping is its own bug
        yield failure(source, "byte 0", f"feedparser failed: {type(exc).__name__}: {exc}", data, READER)
        return
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo") or not parsed.get("version"):
            problem = parsed.get("bozo_exception")
            reason = f"not a readable RSS/Atom feed: {problem}" if problem else "not an RSS/Atom feed: no entries"
            yield failure(source, "byte 0", reason, data, READER)
        return  # a well-formed feed with no items is simply empty
    feed = parsed.get("feed") or {}
    outlet = _text(feed.get("title")) or options.outlet
    for index, entry in enumerate(entries, start=1):
        try:
            record = _entry(entry, index, outlet, source, options)
        except Exception as exc:  # a bug on one entry must not end the feed
            reason = f"internal error reading this entry: {error_reason(exc)}; please report"
            record = failure(source, f"item {index}", reason, _excerpt(entry), READER)
        yield record


_CHAR_REF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")


def _valid_char_refs(data: bytes) -> bytes:
    """``data`` with each numeric character reference to no character (a surrogate, NUL, past U+10FFFF) as U+FFFD."""
    if b"&#" not in data:
        return data

    def fix(m: re.Match[bytes]) -> bytes:
        hex_digits, digits = m.group(1), m.group(2)
        if len((hex_digits or digits).lstrip(b"0")) > 8:
            return b"&#xFFFD;"  # past U+10FFFF, and too long for feedparser's int()
        code = int(hex_digits, 16) if hex_digits else int(digits)
        return b"&#xFFFD;" if code == 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF else m.group(0)

    return _CHAR_REF.sub(fix, data)


def _entry(entry: Any, index: int, outlet: str | None, source: str, options: ReadOptions) -> Record:
    position = f"item {index}"
    title = _title(entry)
    link = _text(entry.get("link")) or None
    if not title:
        return failure(source, position, "entry has no title", _excerpt(entry), READER)
    parts = _body(entry, link)
    if not parts.blocks:
        return failure(
            source, position, "entry has no text (no content:encoded, summary or description)", title, READER
        )
    terms = [t for tag in entry.get("tags") or [] for t in split_tags(_text(tag.get("term")) or "")]
    return make_article(
        title=title,
        body=parts.blocks,
        provenance=Provenance(source=source, reader=READER, offset=None, record=position),
        url=link,
        outlet=outlet,
        published_at=_published(entry, options),
        author=clean_author(_text(entry.get("author"))) or next(iter(parts.authors), None),
        tags=dedupe([*terms, *parts.tags]),
        related=parts.related,
    )


def _text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _title(entry: Any) -> str:
    """Entry title as text (an HTML title is flattened with the shared block walker)."""
    title = entry.get("title")
    if not isinstance(title, str):
        return ""
    detail = entry.get("title_detail") or {}
    if "html" in (detail.get("type") or "") and looks_like_html(title):
        return " ".join(b.text for b in body_parts(title).blocks)
    return _text(title)


def _body(entry: Any, link: str | None) -> BodyParts:
    contents = [c for c in entry.get("content") or [] if isinstance(c.get("value"), str) and c["value"].strip()]
    # Prefer an HTML content over a plain one; feeds may carry both.
    contents.sort(key=lambda c: "html" not in (c.get("type") or ""))
    for raw, kind in [*((c["value"], c.get("type") or "") for c in contents), _summary(entry)]:
        if not raw or not raw.strip():
            continue
        if "html" in kind or looks_like_html(raw):
            parts = body_parts(raw, link)
        else:
            parts = BodyParts(paragraphs(raw), [], [], [])
        if parts.blocks:
            return parts
    return BodyParts([], [], [], [])


def _summary(entry: Any) -> tuple[str, str]:
    summary = entry.get("summary")
    detail = entry.get("summary_detail") or {}
    return (summary if isinstance(summary, str) else "", detail.get("type") or "")


def _published(entry: Any, options: ReadOptions) -> datetime | None:
    for raw_key, parsed_key in (("published", "published_parsed"), ("updated", "updated_parsed")):
        value = parse_date(_text(entry.get(raw_key)), options)
        if value is not None:
            return value
        struct = entry.get(parsed_key)
        if struct:
            # feedparser normalises to UTC: the instant is right, the original offset is lost.
            return datetime.fromtimestamp(calendar.timegm(struct), UTC)
    return None


def _excerpt(entry: Any) -> str:
    return " ".join(str(entry.get(k, "")) for k in ("link", "summary"))[:500]
