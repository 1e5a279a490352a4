"""WARC archives (``.warc``, ``.warc.gz``) → one Article per HTML response, streamed with fastwarc.

The archive is never read into memory: records are taken one at a time from the binary stream, and only the payload
of an HTML response is read (up to ``options.max_document_bytes``).

Counting skipped records
------------------------
``read_warc`` takes an optional ``counters: collections.Counter[str]``; when given, the archive's counts are added to
it when the archive is done (or its reading is abandoned). One counter may be shared by a whole run (the CLI passes
one and prints it at the end): each archive keeps its own accounting while it is read, so damage in one archive never
changes how the next one is read::

    counts = Counter()
    for record in read_warc(stream, path, options, read_page=read_html, counters=counts): ...
    counts["records"]           # every WARC record seen
    counts["html"]              # HTML responses handed to the HTML reader (each gives an Article or a Failure)
    counts["skipped_language"]  # with ``options.arabic_pages_only``: HTML pages with no Arabic text, not extracted
    counts["skipped_non_html"]  # records skipped because they hold no HTML page: the total of the next keys
    counts["skipped:request"], counts["skipped:warcinfo"], counts["skipped:metadata"], counts["skipped:revisit"] ...
    counts["skipped:image/jpeg"], counts["skipped:application/pdf"] ...   # non-HTML responses, by MIME type
    counts["skipped:status 301"] ...                                    # non-2xx HTML responses (redirects, 404s)
    counts["damaged"]           # truncated/unreadable records, each also yielded as a Failure
    counts["errors"]            # records whose reading failed unexpectedly (a bug), each also yielded as a Failure

Skipped records are not yielded: a Failure is for input that should have been an article and was not.
"""

from __future__ import annotations

import io
import re
import zlib
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import BinaryIO

from fastwarc.stream_io import BrotliReader, ChunkedReader
from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType

from akhbar.ingest.base import PageReader, ReadOptions, Record, error_reason, failure

READER = "warc"

_HTML_TYPES = ("text/html", "application/xhtml+xml")
# Content types that are sniffed for HTML: servers label pages with these too.
_SNIFF_TYPES = ("", "text/plain", "application/octet-stream", "binary/octet-stream", "application/unknown")
_HTML_SNIFF = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<title")


def read_warc(
    stream: BinaryIO,
    source: str,
    options: ReadOptions,
    *,
    read_page: PageReader,
    counters: Counter[str] | None = None,
) -> Iterator[Record]:
    """Read every HTML page of a WARC archive with ``read_page`` (the HTML reader); see the module docstring for
    ``counters``.

    Provenance: ``offset`` is the record's byte offset in the archive file (of its gzip member for ``.warc.gz``),
    ``record`` its WARC-Record-ID. A damaged or truncated archive gives everything read before the damage, then one
    Failure. An unexpected error on one record becomes a Failure for that record and reading goes on.
    """
    # This archive's own counts: "damaged" below must mean damage in *this* archive, not in an earlier one of the run.
    counts: Counter[str] = Counter()
    try:
        yield from _read_archive(stream, source, options, counts, read_page)
    finally:
        if counters is not None:
            counters.update(counts)


def _read_archive(
    stream: BinaryIO, source: str, options: ReadOptions, counts: Counter[str], read_page: PageReader
) -> Iterator[Record]:
    # Payloads are read raw (auto_decode="none") so that their length can be checked against the record's: fastwarc's
    # auto-decoding reports the encoded length and hides a cut-off gzip body. They are decoded in _http_decoded.
    records = iter(ArchiveIterator(stream, parse_http=True, auto_decode="none"))
    last_start: int | None = None
    while True:
        try:
            warc_record = next(records)
        except StopIteration:
            break
        except (OSError, ValueError, EOFError) as exc:
            counts["damaged"] += 1
            where = f"byte {last_start}" if last_start is not None else "byte 0"
            yield failure(source, where, f"archive damaged or truncated after this point: {exc}", b"", READER)
            return
        counts["records"] += 1
        last_start = warc_record.stream_pos
        try:
            outcome = _record(warc_record, source, options, counts, read_page)
        except Exception as exc:  # a bug on one page must not end the archive: fastwarc skips to the next record
            counts["errors"] += 1
            reason = f"internal error reading this record: {error_reason(exc)}; please report"
            outcome = [failure(source, f"record {warc_record.record_id}", reason, b"", READER)]
        if outcome is None:
            continue
        yield from outcome
        if counts["damaged"]:
            return  # a truncated record is the end of what can be read
    if last_start is None:
        if _has_content(stream):
            yield failure(source, "byte 0", "not a WARC archive: no WARC record found", b"", READER)
        return
    # fastwarc stops silently when the archive is cut inside the last record or in a record header after it.
    damage = _tail_damage(stream, last_start)
    if damage is not None:
        counts["damaged"] += 1
        yield failure(source, f"byte {damage[0]}", damage[1], b"", READER)


def _has_content(stream: BinaryIO) -> bool:
    try:
        return stream.tell() > 0
    except (OSError, ValueError):
        return True


_GZIP_MAGIC = b"\x1f\x8b"
_PROBE = 1 << 16


def _tail_damage(stream: BinaryIO, last_start: int) -> tuple[int, str] | None:
    """``(offset, reason)`` when the archive does not end cleanly after the last record read, else None.

    Needs a seekable stream (a file); on a pipe the check is skipped. The last record is re-read from its offset: a
    gzip member is inflated (output discarded) to find where it ends, a plain record's end is computed from its
    Content-Length. A last record that runs past the end of the file, or anything but padding after it, is damage.
    """
    try:
        if not stream.seekable():
            return None
        size = stream.seek(0, io.SEEK_END)
        stream.seek(last_start)
        gz = stream.read(len(_GZIP_MAGIC)) == _GZIP_MAGIC
        stream.seek(last_start)
        end = _gzip_member_end(stream) if gz else _plain_record_end(stream)
        if end is None:
            return None
        if end > size:
            return last_start, "archive truncated inside its last record"
        stream.seek(end)
        if stream.read(_PROBE).strip(b"\r\n\x00 "):
            return end, "archive truncated: incomplete record after the last one read"
        return None
    except (OSError, ValueError):
        return None


def _gzip_member_end(stream: BinaryIO) -> int | None:
    start = stream.tell()
    inflater = zlib.decompressobj(wbits=31)
    consumed = 0
    while not inflater.eof:
        chunk = stream.read(_PROBE)
        if not chunk:
            return stream.tell() + 1  # the member runs past the end of the file
        try:
            inflater.decompress(chunk, 0)
            while inflater.unconsumed_tail and not inflater.eof:
                inflater.decompress(inflater.unconsumed_tail, _PROBE)
        except zlib.error:
            return None  # not one member per record (a whole-file gzip): no way to tell, no false alarm
        consumed += len(chunk) - len(inflater.unused_data)
    return start + consumed


def _plain_record_end(stream: BinaryIO) -> int | None:
    start = stream.tell()
    head = stream.read(_PROBE)
    header_end = head.find(b"\r\n\r\n")
    if not head.startswith(b"WARC/"):
        return None
    if header_end < 0:
        return start + len(head) + 1 if len(head) < _PROBE else None  # the header itself is cut off
    for line in head[:header_end].split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            try:
                # The record ends with two CRLFs; a file that stops right before them lost nothing.
                return start + header_end + 4 + int(value.strip())
            except ValueError:
                return None
    return None


# Arabic letters in UTF-8 start with one of these bytes (U+0600-U+06FF); a page with fewer than MIN_ARABIC of them
# has no Arabic article to extract. Pages in a legacy Arabic encoding (windows-1256, ISO-8859-6) are always kept.
_ARABIC_LEAD_BYTES = (b"\xd8", b"\xd9", b"\xda", b"\xdb")
_LEGACY_ARABIC = re.compile(rb"charset\s*=\s*[\"']?\s*(?:windows-1256|cp1256|iso-8859-6|arabic)", re.IGNORECASE)
MIN_ARABIC = 100


def _may_be_arabic(html: bytes, charset: str | None) -> bool:
    """Whether a page may hold Arabic text: cheap enough to run on every page of a crawl (byte counts in C)."""
    if sum(html.count(lead) for lead in _ARABIC_LEAD_BYTES) >= MIN_ARABIC:
        return True
    legacy = charset is not None and charset.lower() in ("windows-1256", "cp1256", "iso-8859-6")
    return legacy or _LEGACY_ARABIC.search(html[:4096]) is not None


def _record(
    rec: WarcRecord, source: str, options: ReadOptions, counts: Counter[str], read_page: PageReader
) -> list[Record] | None:
    """The records one WARC record gives (none when it is skipped)."""
    record_id = rec.record_id
    offset = rec.stream_pos
    if not record_id or rec.headers.get("Content-Length") is None:
        counts["damaged"] += 1
        return [failure(source, f"byte {offset}", "truncated WARC record: incomplete WARC header", b"", READER)]
    position = f"record {record_id}"
    kind = _skip_reason(rec)
    if kind is not None:
        counts["skipped_non_html"] += 1
        counts[f"skipped:{kind}"] += 1
        if rec.reader.consume() < rec.content_length:
            counts["damaged"] += 1
            return [failure(source, position, f"truncated WARC record ({kind})", b"", READER)]
        return None

    expected = rec.content_length
    if expected > options.max_document_bytes:
        counts["html"] += 1
        return [
            failure(
                source,
                position,
                f"HTML payload of {expected:,} bytes exceeds the limit of {options.max_document_bytes:,} bytes",
                b"",
                READER,
            )
        ]
    payload = rec.reader.read()
    if len(payload) < expected:  # checked first: a record cut inside its HTTP headers has no content type left
        counts["damaged"] += 1
        return [
            failure(
                source,
                position,
                f"truncated WARC record: {len(payload):,} of {expected:,} payload bytes",
                payload,
                READER,
            )
        ]
    if not _is_html_payload(rec, _peek_decoded(rec, payload)):
        counts["skipped_non_html"] += 1
        counts[f"skipped:{_mime(rec) or 'unknown'}"] += 1
        return None
    decoded = _http_decoded(rec, payload, options.max_document_bytes)
    if isinstance(decoded, str):
        counts["html"] += 1
        return [failure(source, position, decoded, payload, READER)]
    if options.arabic_pages_only and not _may_be_arabic(decoded, rec.http_charset if rec.is_http else None):
        counts["skipped_language"] += 1
        return None
    counts["html"] += 1
    return list(
        read_page(
            decoded,
            source,
            options,
            url=rec.headers.get("WARC-Target-URI") or None,
            charset=rec.http_charset if rec.is_http else None,
            reference=_aware(rec.record_date),
            offset=offset,
            record=record_id,
            reader=READER,
        )
    )


def _http_decoded(rec: WarcRecord, raw: bytes, limit: int) -> bytes | str:
    """The payload with HTTP chunking and gzip/deflate/br content encoding undone, or the reason it can't be.

    Some archivers store the decoded body but keep the server's Content-Encoding header: a body that does not look
    encoded is taken as it is. Decompression stops at ``limit`` bytes (a zip bomb is refused, not inflated).
    """
    if not rec.is_http:
        return raw
    headers = rec.http_headers
    try:
        if "chunked" in (headers.get("Transfer-Encoding") or "").lower() and _looks_chunked(raw):
            raw = ChunkedReader(io.BytesIO(raw)).read()
        encoding = (headers.get("Content-Encoding") or "").strip().lower()
        if encoding in ("gzip", "x-gzip", "deflate") and _looks_compressed(raw):
            inflater = zlib.decompressobj(wbits=47 if raw[:2] == _GZIP_MAGIC else 15)
            out = inflater.decompress(raw, limit + 1)
            if len(out) > limit:
                return f"HTML payload inflates past the limit of {limit:,} bytes"
            return out
        if encoding == "br":
            out = BrotliReader(io.BytesIO(raw)).read(limit + 1)
            return out if len(out) <= limit else f"HTML payload inflates past the limit of {limit:,} bytes"
    except (OSError, zlib.error) as exc:
        return f"cannot undo the HTTP encoding ({headers.get('Content-Encoding') or 'chunked'}): {exc}"
    return raw


def _peek_decoded(rec: WarcRecord, raw: bytes) -> bytes:
    """The first bytes of the decoded payload, for sniffing only."""
    decoded = _http_decoded(rec, raw[:65536], 4096) if rec.is_http else raw
    return decoded if isinstance(decoded, bytes) else raw


def _looks_chunked(raw: bytes) -> bool:
    size, sep, _ = raw[:20].partition(b"\r\n")
    return bool(sep) and bool(size.strip()) and all(c in b"0123456789abcdefABCDEF; " for c in size.split(b";")[0])


def _looks_compressed(raw: bytes) -> bool:
    # gzip magic, or a zlib header (CMF 0x78 and a valid check value).
    return raw[:2] == _GZIP_MAGIC or (len(raw) > 1 and raw[0] == 0x78 and (raw[0] * 256 + raw[1]) % 31 == 0)


def _mime(rec: WarcRecord) -> str:
    raw = rec.http_content_type if rec.is_http else rec.headers.get("Content-Type")
    return (raw or "").split(";")[0].strip().lower()


def _skip_reason(rec: WarcRecord) -> str | None:
    """Why a record is not an HTML page ("request", "image/jpeg", "status 404"...), or None to read it.

    Responses (and resource records, which wget and others use for plain captures) whose type is HTML or unknown
    are read; an unknown type is decided by sniffing the payload later.
    """
    rtype = rec.record_type
    if rtype not in (WarcRecordType.response, WarcRecordType.resource):
        return str(rtype)
    if rtype == WarcRecordType.response and not rec.is_http:
        return "response without HTTP headers"
    if rec.is_http:
        status = rec.http_headers.status_code
        if status is not None and not 200 <= status < 300:
            return f"status {status}"
    mime = _mime(rec)
    if mime in _HTML_TYPES or mime in _SNIFF_TYPES:
        return None
    return mime


def _is_html_payload(rec: WarcRecord, payload: bytes) -> bool:
    if _mime(rec) in _HTML_TYPES:
        return True
    head = payload[:1024].lstrip().lower()
    return head.startswith(_HTML_SNIFF) or b"<html" in head


def _aware(value: datetime | None) -> datetime | None:
    """WARC-Date is UTC by definition; fastwarc returns it naive."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)
