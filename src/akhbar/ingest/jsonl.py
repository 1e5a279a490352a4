"""JSON lines → one Article per line.

Two shapes are read:

* akhbar's own ``akhbar parse --json`` output (``id``, ``title`` and ``body`` as a list of ``{type, text}``), read
  back with :meth:`Article.from_json` semantics: its id and provenance are kept (the provenance says where the
  article was first read; it is replaced only when the line carries none);
* any other JSON object, whose fields are found through ``options.field_map`` (our name → their key) and else
  through common key names (see ``DEFAULT_KEYS``).

Provenance of a mapped line: ``record`` is the input's own id when it has one, else ``line N``; ``offset`` is the
byte offset of the line in the (decompressed) stream. A gzip stream is decompressed here.

Bad lines: a line that is not JSON, is nested too deep for Python to parse (``JSON nested too deep``), is not an
object or lacks a title or text becomes a ``Failure`` for that line, and reading goes on with the next line. A lone
UTF-16 surrogate in a string (``"\\ud800"``, half of an emoji cut by an exporter) is an encoding error of one
character, not of the line: it is replaced by U+FFFD in every string of the line, and the article is kept (see
:func:`akhbar.ingest.base.parse_json`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, BinaryIO

from akhbar.ingest.base import (
    ReadOptions,
    Record,
    clean_author,
    failure,
    guarded_line,
    iter_lines,
    make_article,
    paragraphs,
    parse_date,
    split_tags,
)
from akhbar.ingest.markup import body_parts, dedupe, looks_like_html
from akhbar.model import Article, Block, BlockType, Failure, Provenance, RelatedRef

READER = "jsonl"

# Our field → the keys tried, in order, when options.field_map does not name one.
DEFAULT_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "name"),
    "text": ("text", "body", "content", "article", "maintext", "description"),
    "url": ("url", "link", "href", "canonical_url"),
    "outlet": ("outlet", "source", "site", "site_name", "publisher", "src"),
    "published_at": ("published_at", "date", "published", "pubDate", "datePublished", "date_publish", "time"),
    "author": ("author", "authors", "byline", "creator"),
    "tags": ("tags", "keywords", "categories", "category"),
    "attribution": ("attribution", "agency"),
    "id": ("id", "docno", "doc_id", "guid"),
}

_BLOCK_TYPES = ("heading", "paragraph")


def read_jsonl(stream: BinaryIO, source: str, options: ReadOptions) -> Iterator[Record]:
    """Read a JSON-lines stream (plain or gzip); bad lines become Failures and reading goes on."""
    for number, offset, raw in iter_lines(stream, source, options, READER):
        if isinstance(raw, Failure):
            yield raw
            continue
        yield guarded_line(_line, raw, number, offset, source, options, READER)


def _line(obj: Any, number: int, offset: int, source: str, options: ReadOptions) -> Record:
    position = f"line {number}"
    if not isinstance(obj, dict):
        return failure(
            source, position, f"expected a JSON object, got {type(obj).__name__}", json.dumps(obj)[:500], READER
        )
    if _is_own_format(obj):
        return _own(obj, number, offset, source)
    return _mapped(obj, number, offset, source, options)


def _is_own_format(obj: dict[str, Any]) -> bool:
    body = obj.get("body")
    return (
        "id" in obj
        and isinstance(body, list)
        and all(isinstance(b, dict) and b.get("type") in _BLOCK_TYPES and isinstance(b.get("text"), str) for b in body)
    )


def _own(obj: dict[str, Any], number: int, offset: int, source: str) -> Record:
    position = f"line {number}"
    if not obj.get("title"):
        return failure(source, position, "missing field 'title'", json.dumps(obj, ensure_ascii=False), READER)
    if not obj.get("body"):
        return failure(source, position, "missing field 'body' (no text)", json.dumps(obj, ensure_ascii=False), READER)
    if problem := _own_problem(obj):
        return failure(
            source, position, f"not a valid akhbar article: {problem}", json.dumps(obj, ensure_ascii=False), READER
        )
    if not _valid_provenance(obj.get("provenance")):
        obj = {k: v for k, v in obj.items() if k != "provenance"}  # where it was first read is unknown: here, then
    try:
        article = Article.from_json(obj)
    except (KeyError, TypeError, ValueError) as exc:
        return failure(
            source, position, f"not a valid akhbar article: {exc!r}", json.dumps(obj, ensure_ascii=False), READER
        )
    if not article.provenance.source:
        article.provenance = Provenance(source=source, reader=READER, offset=offset, record=position)
    return article


# Fields of akhbar's own output that are a string or null.
_OWN_OPTIONAL_STRINGS = ("url", "outlet", "attribution", "published_at", "author", "lang")


def _own_problem(obj: dict[str, Any]) -> str | None:
    """What makes a line of our own shape unusable as an article (a field of the wrong type), or None."""
    for key in ("id", "title"):
        if not isinstance(obj[key], str) or not obj[key].strip():
            return f"field {key!r} must be a non-empty string, got {type(obj[key]).__name__}"
    for key in _OWN_OPTIONAL_STRINGS:
        if obj.get(key) is not None and not isinstance(obj[key], str):
            return f"field {key!r} must be a string or null, got {type(obj[key]).__name__}"
    tags = obj.get("tags")
    if tags is not None and not (isinstance(tags, list) and all(isinstance(t, str) for t in tags)):
        return "field 'tags' must be a list of strings"
    related = obj.get("related")
    if related is not None and not (
        isinstance(related, list) and all(isinstance(r, dict) and _strings(r, "id", "title") for r in related)
    ):
        return "field 'related' must be a list of objects with string 'id' and 'title'"
    return None


def _valid_provenance(value: Any) -> bool:
    """Whether a line's own provenance can be kept (absent keys are fine: :meth:`Article.from_json` fills them)."""
    if value is None:
        return True
    if not isinstance(value, dict):
        return False
    if not all(k not in value or isinstance(value[k], str) for k in ("source", "reader")):
        return False
    offset, record = value.get("offset"), value.get("record")
    return (offset is None or (isinstance(offset, int) and not isinstance(offset, bool))) and (
        record is None or isinstance(record, str)
    )


def _strings(obj: dict[str, Any], *keys: str) -> bool:
    return all(isinstance(obj.get(k), str) for k in keys)


def _key(obj: dict[str, Any], field: str, options: ReadOptions) -> tuple[str, Any]:
    """(key used, value) for one of our fields; the mapped key alone when the field map names one."""
    mapped = options.field_map.get(field)
    keys = (mapped,) if mapped else DEFAULT_KEYS[field]
    for key in keys:
        value = obj.get(key)
        if value not in (None, "", [], {}):
            return key, value
    return "/".join(keys), None


def _mapped(obj: dict[str, Any], number: int, offset: int, source: str, options: ReadOptions) -> Record:
    position = f"line {number}"
    excerpt = json.dumps(obj, ensure_ascii=False)[:500]
    title_key, title_raw = _key(obj, "title", options)
    title = _string(title_raw)
    if not title:
        return failure(source, position, f"missing field 'title' (looked for {title_key!r})", excerpt, READER)
    text_key, text_raw = _key(obj, "text", options)
    url = _string(_key(obj, "url", options)[1]) or None
    blocks, related, inline_tags = _body(text_raw, url)
    if not blocks:
        return failure(source, position, f"missing field 'text' (looked for {text_key!r})", excerpt, READER)
    own_id = _string(_key(obj, "id", options)[1])
    return make_article(
        title=title,
        body=blocks,
        provenance=Provenance(source=source, reader=READER, offset=offset, record=own_id or position),
        url=url,
        outlet=_name(_key(obj, "outlet", options)[1]) or options.outlet,
        attribution=_name(_key(obj, "attribution", options)[1]) or None,
        published_at=_date(_key(obj, "published_at", options)[1], options),
        author=clean_author(_name(_key(obj, "author", options)[1])),
        tags=dedupe([*_tags(_key(obj, "tags", options)[1]), *inline_tags]),
        related=related,
    )


def _string(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return " ".join(value.split()) if isinstance(value, str) else ""


def _name(value: Any) -> str:
    """A name given as a string, a ``{"name": ...}`` object or a list of either (joined with "، ")."""
    if isinstance(value, dict):
        return _string(value.get("name"))
    if isinstance(value, list):
        return "، ".join(n for n in (_name(v) for v in value) if n)
    return _string(value)


def _body(value: Any, url: str | None) -> tuple[list[Block], list[RelatedRef], list[str]]:
    if isinstance(value, list):  # a list of paragraphs, or of {type, text} blocks
        blocks = []
        for item in value:
            if isinstance(item, str):
                blocks.extend(paragraphs(item))
            elif isinstance(item, dict) and isinstance(item.get("text"), str):
                kind: BlockType = "heading" if item.get("type") == "heading" else "paragraph"
                blocks.extend(Block(kind, b.text) for b in paragraphs(item["text"]))
        return blocks, [], []
    if not isinstance(value, str):
        return [], [], []
    if looks_like_html(value):
        parts = body_parts(value, url)
        return parts.blocks, parts.related, parts.tags
    return paragraphs(value), [], []


def _date(value: Any, options: ReadOptions) -> datetime | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value / 1000 if value > 10**11 else value  # epoch milliseconds are common in exports
        try:
            return datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    return parse_date(value, options) if isinstance(value, str) else None


def _tags(value: Any) -> list[str]:
    if isinstance(value, str):
        return split_tags(value)
    if isinstance(value, list):
        return [t for v in value for t in split_tags(_name(v))]
    return []
