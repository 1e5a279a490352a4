"""The records that flow through akhbar: one ``Article`` per news item, ``Failure`` for input that could not be read.

Everything here is a plain dataclass; JSON in/out lives in this one place so that the CLI, the store and the API
agree on the shape. The JSON key order of an article is part of the public contract of ``akhbar parse --json``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

BlockType = Literal["heading", "paragraph"]


@dataclass(slots=True, frozen=True)
class Block:
    """One block of an article body, in reading order."""

    type: BlockType
    text: str

    def to_json(self) -> dict[str, str]:
        return {"type": self.type, "text": self.text}


@dataclass(slots=True, frozen=True)
class RelatedRef:
    """A link to another article that the page itself declared (a "read also" item)."""

    id: str
    title: str

    def to_json(self) -> dict[str, str]:
        return {"id": self.id, "title": self.title}


@dataclass(slots=True, frozen=True)
class Provenance:
    """Where an article came from: enough to find the bytes again."""

    source: str  # file path, URL or "-" for stdin
    reader: str  # name of the ingest reader, e.g. "textpage", "html", "warc"
    offset: int | None = None  # byte offset of the record in the source, when the format has one
    record: str | None = None  # record id inside the source: WARC-Record-ID, JSONL line number, docno, item index

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "reader": self.reader, "offset": self.offset, "record": self.record}


@dataclass(slots=True)
class Article:
    """The one record of akhbar.

    ``id`` is stable: derived from the canonical URL when known, else from a hash of title and body
    (see :func:`article_id`). ``published_at`` is ``None`` when the input gives no date (a date is never invented);
    it is timezone-aware when the input names a zone or the run sets a default zone (``--default-tz``), and naive
    when the input gives a date without a zone: a zone is never invented either.
    """

    id: str
    title: str
    body: list[Block]
    provenance: Provenance
    url: str | None = None
    outlet: str | None = None
    attribution: str | None = None
    published_at: datetime | None = None
    author: str | None = None
    tags: list[str] = field(default_factory=list)
    related: list[RelatedRef] = field(default_factory=list)
    lang: str = "ar"

    @property
    def text(self) -> str:
        """Body text, one block per line."""
        return "\n".join(block.text for block in self.body)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "url": self.url,
            "outlet": self.outlet,
            "attribution": self.attribution,
            "title": self.title,
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "author": self.author,
            "body": [block.to_json() for block in self.body],
            "tags": list(self.tags),
            "related": [ref.to_json() for ref in self.related],
            "lang": self.lang,
            "provenance": self.provenance.to_json(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Article:
        published = data.get("published_at")
        prov = data.get("provenance") or {}
        return cls(
            id=data["id"],
            url=data.get("url"),
            outlet=data.get("outlet"),
            attribution=data.get("attribution"),
            title=data.get("title") or "",
            published_at=datetime.fromisoformat(published) if published else None,
            author=data.get("author"),
            body=[Block(b["type"], b["text"]) for b in data.get("body") or []],
            tags=list(data.get("tags") or []),
            related=[RelatedRef(r["id"], r["title"]) for r in data.get("related") or []],
            lang=data.get("lang") or "ar",
            provenance=Provenance(
                source=prov.get("source", ""),
                reader=prov.get("reader", ""),
                offset=prov.get("offset"),
                record=prov.get("record"),
            ),
        )

    def content_hash(self) -> str:
        """Hash of everything a reader sees; the store uses it to tell "unchanged" from "updated"."""
        h = hashlib.blake2b(digest_size=16)
        for part in (
            self.title,
            self.url or "",
            self.outlet or "",
            self.attribution or "",
            self.published_at.isoformat() if self.published_at else "",
            self.author or "",
            "\x1e".join(f"{b.type}:{b.text}" for b in self.body),
            "\x1e".join(self.tags),
            "\x1e".join(f"{r.id}:{r.title}" for r in self.related),
            self.lang,
        ):
            h.update(part.encode("utf-8", "surrogatepass"))  # readers replace lone surrogates; never raise here
            h.update(b"\x1f")
        return h.hexdigest()


@dataclass(slots=True, frozen=True)
class Failure:
    """Input that could not become an article: what, where, why. Recorded in the store's quarantine."""

    source: str  # file path, URL or "-"
    position: str  # where in the source: "byte 1234", "line 17", "record <urn:uuid:...>", "item 3"
    reason: str  # one line a person understands
    excerpt: str = ""  # a bounded excerpt of the offending input (at most EXCERPT_CHARS characters)
    reader: str = ""

    EXCERPT_CHARS = 500

    def __str__(self) -> str:
        return f"{self.source} @ {self.position}: {self.reason}"

    def to_json(self) -> dict[str, str]:
        return {
            "source": self.source,
            "position": self.position,
            "reason": self.reason,
            "excerpt": self.excerpt,
            "reader": self.reader,
        }


def article_failure(article: Article, reason: str, *, raw: bool = False, reader: str | None = None) -> Failure:
    """A Failure for an article a reader made (any stage that cannot go on with it); ``raw``: the excerpt shows
    invisible characters as escapes; ``reader``: the stage that failed, when not the reader."""
    lines, size = [article.title], len(article.title)
    for block in article.body:  # the start of the text only: the article may be huge
        if size >= Failure.EXCERPT_CHARS:
            break
        lines.append(block.text[: Failure.EXCERPT_CHARS])
        size += len(lines[-1])
    text = "\n".join(lines)
    provenance = article.provenance
    return Failure(
        source=provenance.source,
        # Where in the input; an article read whole from its own file (a page) is named by its id.
        position=provenance.record
        or (f"byte {provenance.offset}" if provenance.offset is not None else f"article {article.id}"),
        reason=reason,
        excerpt=excerpt_of(repr(text)[1:-1] if raw else text),
        reader=reader or provenance.reader,
    )


def internal_error(article: Article, stage: str, error: Exception, *, outcome: str = "") -> Failure:
    """The Failure of a bug of ours at one stage of one article (``stage``: ``process``, ``link``, ``fingerprint``;
    it becomes the failure's reader): quarantined and counted, and the run goes on. ``outcome``: what became of the
    article (``it is stored without links``)."""
    said = f"; {outcome}" if outcome else ""
    reason = f"internal error while {_DOING.get(stage, stage)} the article ({type(error).__name__}: {error}){said}"
    return article_failure(article, reason + "; please report", reader=stage)


_DOING = {"process": "processing", "link": "linking", "fingerprint": "fingerprinting"}


def excerpt_of(data: bytes | str, limit: int = Failure.EXCERPT_CHARS) -> str:
    """A printable, bounded excerpt of raw input for the quarantine: control characters (but newline and tab)
    written as escapes (``\\x1b``), so that printing a failure can never drive a terminal; lone surrogates as U+FFFD."""
    if isinstance(data, bytes):
        data = data[: limit * 4].decode("utf-8", errors="replace")
    data = _SURROGATE.sub("\ufffd", data[:limit])
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", data)


_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def article_id(*, url: str | None, title: str, text: str) -> str:
    """Stable article id: from the canonical URL when known, else from the content.

    The URL is canonicalised lightly (scheme and ``www.`` dropped, fragment and trailing slash removed) so the same
    page fetched over http and https keeps its id. Never raises: a URL that does not parse (``http://[x/``) is used as
    written, and a lone surrogate is hashed as its UTF-8-like bytes (``surrogatepass``: other text hashes as before).
    """
    if url:
        try:
            key = "url:" + canonical_url(url)
        except ValueError:  # urlsplit refuses some malformed URLs, e.g. an unclosed IPv6 bracket
            key = "url:" + url.strip()
    else:
        key = "text:" + title.strip() + "\n" + text.strip()
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=10).hexdigest()


def canonical_url(url: str) -> str:
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url.strip())
    host = parts.netloc.lower()
    if host.startswith("www."):
        host = host[4:]
    path = unquote(parts.path).rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"
