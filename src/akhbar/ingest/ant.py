"""The ANT corpus (Chouigui et al.): its two layouts.

* ``multisource-v2.1.jsonl.gz``: one JSON object per line with keys ``docno, url, src, cat, title, time, author,
  abstract, text, path`` (:func:`read_ant_jsonl`). ``time`` is RFC-822 with its offset (``+0400`` for AlArabiya,
  ``GMT`` for the others) and is kept as written.
* ``jawharafm-v1.1.tar.gz``: TREC-like files, ``<DOC><DOCNO><URL><SRC><CAT><TITLE><TIME><AUTHOR><ABSTRACT><TEXT>``,
  which are not well-formed XML (bare ``&``, a ``<`` in the text, ``<AUTHOR>`` sometimes missing): read with a
  tolerant regex (:func:`read_ant_trec` for one file or stream, :func:`read_ant_tar` for the tarball).
  ``TIME`` is ISO-8601 with ``+01:00`` for about half of the documents and a bare ``dd/mm/yyyy`` day for the rest;
  a bare day stays without zone unless ``options.default_tz`` is given.

Fields are taken as they are: the text is not repaired (AlArabiya's inline ``#hashtags`` stay), the author field is
only cleaned of byline words (it often reads "city - name" or "city - outlet"). What the scraper took of the sites'
furniture is cut from the text: the lines a site prints on every page and the "more news" items CNN Arabic's pages
end with, found by reading the file once before (:mod:`akhbar.ingest.repeated`; a stream that cannot be read twice,
such as standard input, is read as it is). ``abstract`` is not part of the
body: it is a lead or a truncated copy of the first paragraph; it is used only when ``text`` is empty. The category
becomes one tag, in Arabic (the corpus README's own translations). Provenance ``record`` is the DOCNO.
"""

from __future__ import annotations

import functools
import io
import itertools
import json
import logging
import re
import tarfile
import zlib
from collections.abc import Collection, Iterator
from typing import Any, BinaryIO

from akhbar.ingest.base import (
    DecodeError,
    ReadOptions,
    Record,
    clean_author,
    decode_text,
    error_reason,
    failure,
    guarded_line,
    iter_lines,
    make_article,
    open_maybe_gzip,
    paragraphs,
    parse_date,
)
from akhbar.ingest.repeated import Page, RepeatedText
from akhbar.model import Failure, Provenance

log = logging.getLogger(__name__)

READER_JSONL = "ant-jsonl"
READER_TREC = "ant-trec"

# `src` values of multisource v2.1 → the outlets' own display names.
OUTLETS = {
    "alarabia": "العربية",
    "alarabiya": "العربية",
    "skynews": "سكاي نيوز عربية",
    "france24": "فرانس 24",
    "bbc": "بي بي سي عربي",
    "cnn": "سي إن إن بالعربية",
    "jawhara fm": "الجوهرة أف أم",
}

# Category codes → Arabic names, as the corpus READMEs translate them (JawharaFM's differ for two codes).
CATEGORIES = {
    "culture": "ثقافة",
    "economy": "اقتصاد",
    "internationalnews": "العالم",
    "middleeast": "الشرق الأوسط",
    "sport": "رياضة",
    "technology": "تكنولوجيا",
}
JAWHARA_CATEGORIES = {
    **CATEGORIES,
    "internationalnews": "دولية",
    "localnews": "وطنية",
    "diverse": "متفرقات",
    "politic": "سياسة",
    "society": "مجتمع",
}


def outlet_name(src: str) -> str:
    return OUTLETS.get(src.strip().lower(), src.strip())


def _category(cat: str, table: dict[str, str]) -> list[str]:
    cat = cat.strip()
    return [table.get(cat.lower(), cat)] if cat else []


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


# ----------------------------------------------------------------------------------------------------------------
# multisource JSON lines
# ----------------------------------------------------------------------------------------------------------------


# The survey of a file's repeated text covers this many lines; later ones are read as they are (the survey costs
# about 150 bytes per paragraph: ~70 MB here).
SURVEY_LINES = 500_000


def read_ant_jsonl(stream: BinaryIO, source: str, options: ReadOptions) -> Iterator[Record]:
    """Read ``multisource-v2.1.jsonl.gz`` (gzip or plain); offset = byte offset of the line, decompressed."""
    read = functools.partial(_multisource_line, repeated=_survey(stream, source, options))
    for number, offset, obj in iter_lines(stream, source, options, READER_JSONL):
        if isinstance(obj, Failure):
            yield obj
        else:
            yield guarded_line(read, obj, number, offset, source, options, READER_JSONL)


def _survey(stream: BinaryIO, source: str, options: ReadOptions) -> RepeatedText | None:
    """The file's repeated text, read in a first pass (None: the stream cannot be read twice); the stream is left
    where it was."""
    if not stream.seekable():
        return None
    start = stream.tell()
    lines = itertools.takewhile(lambda line: line[0] <= SURVEY_LINES, iter_lines(stream, source, options, READER_JSONL))
    try:
        return RepeatedText((number, _page(obj)) for number, _, obj in lines if isinstance(obj, dict))
    except Exception:  # a bug in the survey must not cost the file: it is read as it is
        log.exception("%s: the survey of repeated text failed; the file is read without it", source)
        return None
    finally:
        stream.seek(start)


def _page(row: dict[str, Any]) -> Page:
    fields = _fields(row)
    body = paragraphs(fields["text"]) or paragraphs(fields["abstract"])
    return Page(outlet_name(fields["src"]), fields["title"], [block.text for block in body])


def _fields(row: dict[str, Any]) -> dict[str, str]:
    return {k: _text(row.get(k)) for k in ("url", "src", "cat", "title", "time", "author", "abstract", "text")}


def _multisource_line(
    obj: Any, number: int, offset: int, source: str, options: ReadOptions, repeated: RepeatedText | None = None
) -> Record:
    if not isinstance(obj, dict):
        return failure(source, f"line {number}", "expected a JSON object", json.dumps(obj)[:500], READER_JSONL)
    docno = _text(obj.get("docno")) or None
    position = f"record {docno}" if docno else f"line {number}"
    cut = repeated.furniture(number) if repeated else set()
    return _article(_fields(obj), docno, position, offset, source, options, READER_JSONL, CATEGORIES, obj, cut)


def _article(
    fields: dict[str, str],
    docno: str | None,
    position: str,
    offset: int | None,
    source: str,
    options: ReadOptions,
    reader: str,
    categories: dict[str, str],
    raw: Any,
    furniture: Collection[int] = (),
) -> Record:
    """``furniture``: positions of the body's paragraphs to leave out (see :mod:`akhbar.ingest.repeated`)."""
    excerpt = raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False)
    if not fields["title"]:
        return failure(source, position, "missing field 'title'", excerpt, reader)
    body = paragraphs(fields["text"]) or paragraphs(fields["abstract"])
    body = [block for i, block in enumerate(body) if i not in furniture]
    if not body:
        return failure(source, position, "missing field 'text' (and no abstract)", excerpt, reader)
    return make_article(
        title=" ".join(fields["title"].split()),
        body=body,
        provenance=Provenance(source=source, reader=reader, offset=offset, record=docno or position),
        url=fields["url"] or None,
        outlet=outlet_name(fields["src"]) if fields["src"] else options.outlet,
        published_at=parse_date(fields["time"], options),
        author=clean_author(fields["author"]),
        tags=_category(fields["cat"], categories),
    )


# ----------------------------------------------------------------------------------------------------------------
# TREC-like files (JawharaFM)
# ----------------------------------------------------------------------------------------------------------------

_TREC_FIELDS = ("DOCNO", "URL", "SRC", "CAT", "TITLE", "TIME", "AUTHOR", "ABSTRACT", "TEXT")
_CLOSED = {f: re.compile(rf"<{f}>(.*?)</{f}\s*>", re.DOTALL | re.IGNORECASE) for f in _TREC_FIELDS}
# A field whose closing tag is missing runs to the next known tag (or the end of the document).
_KNOWN_TAG = "|".join(_TREC_FIELDS)
_UNCLOSED = {
    f: re.compile(rf"<{f}>(.*?)(?=</?(?:{_KNOWN_TAG}|DOC)\s*>|\Z)", re.DOTALL | re.IGNORECASE) for f in _TREC_FIELDS
}
_DOC_OPEN = re.compile(rb"<DOC>", re.IGNORECASE)
_DOC_CLOSE = re.compile(rb"</DOC\s*>", re.IGNORECASE)
_CHUNK = 1 << 16


def _field(doc: str, name: str) -> str:
    m = _CLOSED[name].search(doc) or _UNCLOSED[name].search(doc)
    return m.group(1).strip() if m else ""


def read_ant_trec(
    stream: BinaryIO, source: str, options: ReadOptions, *, member: str | None = None
) -> Iterator[Record]:
    """Read the ``<DOC>`` documents of one TREC-like file, streaming; ``member`` names the file inside an archive
    (it prefixes Failure positions). Provenance offset = byte offset of ``<DOC>`` in the file."""
    where = f"{member} " if member else ""
    for start, raw in _documents(stream, options):
        if isinstance(raw, str):  # a reason: the document could not be cut out
            yield failure(source, f"{where}byte {start}", raw, b"", READER_TREC)
            continue
        try:
            record = _trec_document(raw, start, where, source, options)
        except Exception as exc:  # a bug on one document must not end the file
            reason = f"internal error reading this document: {error_reason(exc)}; please report"
            record = failure(source, f"{where}byte {start}", reason, raw, READER_TREC)
        yield record


def _documents(stream: BinaryIO, options: ReadOptions) -> Iterator[tuple[int, bytes | str]]:
    """``(offset, bytes of one <DOC>…</DOC>)``, or ``(offset, reason)`` for what cannot be one."""
    buffer = b""
    base = 0  # stream offset of buffer[0]
    eof = False
    while True:
        opened = _DOC_OPEN.search(buffer)
        closed = _DOC_CLOSE.search(buffer, opened.end()) if opened else None
        if opened and closed:
            yield base + opened.start(), buffer[opened.start() : closed.end()]
            base += closed.end()
            buffer = buffer[closed.end() :]
            continue
        if eof:
            if opened:
                yield base + opened.start(), "unterminated <DOC>: file ends before </DOC>"
            elif buffer.strip():
                yield base, "text outside any <DOC> element"
            return
        if opened and len(buffer) - opened.start() > options.max_document_bytes:
            yield base + opened.start(), f"<DOC> longer than {options.max_document_bytes:,} bytes without </DOC>"
            return
        if not opened and len(buffer) > _CHUNK:
            # Keep only a tail that could hold the start of a "<DOC>" split across reads.
            base += len(buffer) - 8
            buffer = buffer[-8:]
        chunk = stream.read(_CHUNK)
        eof = not chunk
        buffer += chunk


def _trec_document(raw: bytes, offset: int, where: str, source: str, options: ReadOptions) -> Record:
    try:
        doc = decode_text(raw)
    except DecodeError as exc:
        return failure(source, f"{where}byte {offset}", f"not text: {exc}", raw, READER_TREC)
    fields = {name.lower(): _field(doc, name) for name in _TREC_FIELDS if name != "DOCNO"}
    docno = _field(doc, "DOCNO") or None
    position = f"record {docno}" if docno else f"{where}byte {offset}"  # a DOCNO is also the member's name
    return _article(fields, docno, position, offset, source, options, READER_TREC, JAWHARA_CATEGORIES, doc)


def read_ant_tar(stream: BinaryIO, source: str, options: ReadOptions) -> Iterator[Record]:
    """Read every TREC-like file of a tarball (plain or gzip), streaming: no seeking, no extraction to disk.

    Members that are not ``.txt`` files (README, LICENSE, directories) are skipped. Provenance offset is the byte
    offset inside the member file; ``record`` is the DOCNO, which is also the member's file name.
    """
    try:
        # Decompressed by open_maybe_gzip rather than tarfile's "r|gz": tarfile takes a cut-off gzip stream for a
        # normal end of archive, open_maybe_gzip raises EOFError there.
        archive = tarfile.open(fileobj=open_maybe_gzip(stream), mode="r|")  # noqa: SIM115 - closed by `with` below
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        yield failure(source, "byte 0", f"not a readable tar archive: {exc}", b"", READER_TREC)
        return
    name = ""
    with archive:
        members = iter(archive)
        while True:
            try:
                info = next(members)
            except StopIteration:
                return
            except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
                after = f" after member {name}" if name else ""
                yield failure(
                    source, f"member {name or '-'}", f"archive damaged or truncated{after}: {exc}", b"", READER_TREC
                )
                return
            name = info.name
            if not info.isfile() or not name.lower().endswith(".txt"):
                continue
            if info.size > options.max_document_bytes:
                reason = f"file of {info.size:,} bytes exceeds the limit of {options.max_document_bytes:,} bytes"
                yield failure(source, f"member {name}", reason, b"", READER_TREC)
                continue
            handle = archive.extractfile(info)
            try:
                data = handle.read() if handle is not None else b""
            except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
                yield failure(
                    source, f"member {name}", f"archive damaged or truncated in this member: {exc}", b"", READER_TREC
                )
                return
            yield from read_ant_trec(io.BytesIO(data), source, options, member=name)
