"""What every reader shares: options, the record type readers yield, decoding of raw bytes, field clean-up.

A reader is a function ``read(data: bytes, source: str, options: ReadOptions) -> Iterator[Article | Failure]``
(streaming readers such as WARC take a binary file object instead). Readers never raise on bad input: they yield a
``Failure`` for the document that could not be read and go on with the next one.
"""

from __future__ import annotations

import codecs
import io
import json
import re
import unicodedata
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any, BinaryIO, Protocol

from akhbar.arabic import dates
from akhbar.model import Article, Block, Failure, Provenance, article_id, excerpt_of

Record = Article | Failure


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """Configuration of the readers, passed explicitly (no globals)."""

    format: str = "auto"
    # JSON-lines field mapping: our field name -> the input's key, e.g. {"title": "headline", "text": "content"}.
    field_map: dict[str, str] = field(default_factory=dict)
    # Largest single document we try to parse; larger ones are quarantined with a clear reason.
    max_document_bytes: int = 50 * 1024 * 1024
    # Timezone assumed for dates that carry none; None keeps them unknown rather than inventing one.
    default_tz: tzinfo | None = None
    # Outlet to use when the input does not name one (e.g. a folder of one site's pages).
    outlet: str | None = None
    # WARC: skip HTML pages with (almost) no Arabic letters before extracting them. In CC-NEWS most pages are in
    # other languages, and extraction is what costs; the check counts UTF-8 Arabic lead bytes (see warc.py).
    arabic_pages_only: bool = False


class PageReader(Protocol):
    """Reads one HTML page into records (:func:`akhbar.ingest.html.read_html`): what a container of pages (a WARC
    archive) is given to read its pages with, so that no reader imports another. ``url``, ``charset`` (HTTP's),
    ``reference`` (the fetch time, for relative dates) and ``offset``/``record``/``reader`` (the provenance) come from
    the container."""

    def __call__(
        self,
        data: bytes,
        source: str,
        options: ReadOptions,
        *,
        url: str | None = None,
        charset: str | None = None,
        reference: datetime | None = None,
        offset: int | None = None,
        record: str | None = None,
        reader: str = ...,
    ) -> Iterator[Record]: ...


class DecodeError(ValueError):
    """Raw bytes that are not text in any encoding Arabic news uses."""


# Bytes that never occur in text: a NUL or most C0 controls mean binary data.
_BINARY_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_ASCII = bytes(range(128))
# UTF-16/UTF-32 byte order marks, longest first (the UTF-32-LE mark starts with the UTF-16-LE one); the codec named
# reads the mark and drops it. The UTF-8 mark is handled with UTF-8 itself (``utf-8-sig``).
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# UTF-8 wins over another encoding when its valid non-ASCII characters outnumber its invalid sequences by this much.
# A page that is UTF-8 but for a few damaged bytes (a stray 0xff, a multi-byte character cut in the middle, a pasted
# Latin-1 byte) stays UTF-8 with each bad sequence replaced by U+FFFD: decoding the whole page as Windows-1256 for
# them turns every Arabic letter into mojibake. Text that really is Windows-1256 looks nothing like that: the 31,525
# articles of ANT v2.1 encoded as Windows-1256 and read as UTF-8 give an invalid sequence for 79-100% of their
# non-ASCII bytes (median 98.6%) and at most 0.11 valid non-ASCII characters per invalid sequence (0.16 for a title
# alone). So 4 valid characters per bad one is 25 times the worst real Windows-1256 text, and keeps as UTF-8 a page
# with bad bytes under 1% of its non-ASCII bytes as well as three stray bytes in a line of a dozen Arabic letters.
_UTF8_MAJORITY = 4


def wide_bom(data: bytes) -> str | None:
    """The codec (``utf-16`` or ``utf-32``) a byte order mark at the start of ``data`` names, or None."""
    return next((codec for bom, codec in _WIDE_BOMS if data.startswith(bom)), None)


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Decode a page: by its UTF-16/UTF-32 byte order mark; else UTF-8 (with or without BOM, a few bad bytes replaced
    by U+FFFD); else the declared charset, else Windows-1256.

    Arabic pages that are not UTF-8 are nearly always Windows-1256 (or ISO-8859-6, a subset of it for letters).
    A declared UTF-16 is followed when the bytes have UTF-16's shape (an HTTP header of a page without a BOM); a
    ``<meta charset=utf-16>`` read from ASCII bytes is wrong by construction and ignored, as browsers do.
    Raises :class:`DecodeError` for binary data or bytes that decode to no plausible Arabic/Latin text.
    """
    if not data.strip():
        raise DecodeError("empty input")
    wide = wide_bom(data) or _declared_utf16(data, declared)
    if wide is not None:  # checked before any binary sniffing: UTF-16 text is full of NUL bytes
        text = data.decode(wide, errors="replace")
        if not text.strip():
            raise DecodeError("empty input")
        if _implausible_chars(text[:4000]):
            raise DecodeError(f"binary data, not text (decoded as {wide} by its byte order mark or declaration)")
        return text
    sample = data[:65536]
    if sample.count(b"\x00") or len(_BINARY_CONTROL.findall(sample)) > max(2, len(sample) // 1000):
        raise DecodeError("binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        if (
            utf8_error.end == len(data)
            and utf8_error.start >= len(data) - 3
            and utf8_error.reason == "unexpected end of data"
        ):
            # UTF-8 cut inside its last character (a truncated download): keep it UTF-8, drop the partial character.
            return data[: utf8_error.start].decode("utf-8-sig")
        replaced = data.decode("utf-8-sig", errors="replace")
        # Invalid sequences (each one U+FFFD; a U+FFFD the input itself holds is valid) and valid non-ASCII
        # characters (an ASCII byte is never part of an invalid sequence, so it is one character of the text).
        bad = replaced.count("\ufffd") - data.count(b"\xef\xbf\xbd")
        good = len(replaced) - (len(data) - len(data.translate(None, _ASCII))) - bad
        if good >= _UTF8_MAJORITY * bad:
            return replaced
        candidates = [c for c in (declared, "cp1256") if c and not _is_wide(c)]
        for encoding in candidates:
            try:
                text = data.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                continue
            if _looks_like_text(text):
                return text
        raise DecodeError(
            f"invalid UTF-8 at byte {utf8_error.start} and not valid {'/'.join(candidates)} text either"
        ) from None


def _codec_name(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return ""


def _is_wide(encoding: str) -> bool:
    return _codec_name(encoding).startswith(("utf-16", "utf-32"))


def _declared_utf16(data: bytes, declared: str | None) -> str | None:
    """``utf-16-le``/``utf-16-be`` when UTF-16 is declared and the bytes (no BOM) have its shape, else None.

    In UTF-16 of Arabic or Latin-script text the high byte of nearly every unit is 0x00 (ASCII, Latin-1) or 0x06
    (the Arabic block) and the low byte hardly ever is; ASCII-compatible bytes have that shape on neither side. The
    shape alone (no declaration) is not enough: a line of a UTF-16 file split on the byte 0x0a starts one byte off,
    and decoding it by its shape would give other Arabic letters.
    """
    if not declared or not _codec_name(declared).startswith("utf-16"):
        return None
    units = min(len(data), 4096) // 2
    if units < 2:
        return None
    even, odd = data[0 : 2 * units : 2], data[1 : 2 * units : 2]
    high_even = (even.count(0) + even.count(6)) / units
    high_odd = (odd.count(0) + odd.count(6)) / units
    if high_odd >= 0.6 and high_even < 0.1:
        return "utf-16-le"
    if high_even >= 0.6 and high_odd < 0.1:
        return "utf-16-be"
    return None


def _implausible_chars(text: str) -> bool:
    """True when decoded characters look like binary data: NULs or C0 controls, U+FFFD, unassigned or private-use
    code points (random bytes read as UTF-16 give over 10% of those; text in any script next to none)."""
    odd = sum(
        1
        for ch in text
        if (ch < " " and ch not in "\t\n\r") or ch == "\ufffd" or unicodedata.category(ch) in ("Cn", "Co", "Cs")
    )
    return odd > max(2, len(text) // 100)


def _looks_like_text(text: str) -> bool:
    letters = sum(1 for ch in text[:4000] if ch.isalpha() or ch.isspace())
    return letters >= 0.6 * min(len(text), 4000)


# Byline markers that open an author field ("written by", "by", "report:"...). Stripped from the author's name.
_BYLINE = re.compile(
    r"^\s*(?:كتبت?|بقلم|إعداد|اعداد|تقرير|تحرير|حوار|متابعة|ترجمة|by)\s*[:：\-–—]?\s*",
    re.IGNORECASE,
)


def clean_author(raw: str | None) -> str | None:
    """``كتب: أحمد علي`` → ``أحمد علي``; empty → None."""
    if not raw:
        return None
    author = _BYLINE.sub("", " ".join(raw.split())).strip(" :-–—،,")
    return author or None


_TAG_SEPARATORS = re.compile(r"\s*[،؛,;|]\s*")


def split_tags(raw: str) -> list[str]:
    """Split a tag list on Arabic and Latin separators (``،`` ``؛`` ``,`` ``;`` ``|``), keeping multi-word tags."""
    return [t for t in (part.strip(" #\t\n") for part in _TAG_SEPARATORS.split(raw)) if t]


def paragraphs(text: str) -> list[Block]:
    """Plain text → paragraph blocks, one per non-empty line."""
    return [Block("paragraph", line.strip()) for line in text.splitlines() if line.strip()]


def make_article(
    *,
    title: str,
    body: list[Block],
    provenance: Provenance,
    url: str | None = None,
    **fields: object,
) -> Article:
    """Build an article with its stable id (see :func:`akhbar.model.article_id`)."""
    text = "\n".join(b.text for b in body)
    return Article(
        id=article_id(url=url, title=title, text=text),
        title=title,
        body=body,
        provenance=provenance,
        url=url,
        **fields,  # type: ignore[arg-type]
    )


def failure(source: str, position: str, reason: str, data: bytes | str = b"", reader: str = "") -> Failure:
    return Failure(
        source=storable(source),
        position=storable(position),
        reason=storable(reason),
        excerpt=storable(excerpt_of(data)),
        reader=reader,
    )


def storable(text: str) -> str:
    """``text`` with any lone UTF-16 surrogate replaced by U+FFFD: every str a reader gives can be encoded as UTF-8.

    Lone surrogates come from JSON ``\\udXXX`` escapes (see :func:`parse_json`) and from file names that are not
    UTF-8 (Python decodes them with ``surrogateescape``).
    """
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def file_label(name: str) -> str:
    """A file name as it can be stored and shown: bytes of the name that are not UTF-8 (which Python keeps as lone
    surrogates, see ``surrogateescape``) written as ``\\xe9``."""
    if not _SURROGATE.search(name):
        return name
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that is no escaped byte
        return storable(name)


def error_reason(error: BaseException) -> str:
    """``Type: message`` of an unexpected exception, as one bounded line for a Failure's reason."""
    message = " ".join(str(error).split())
    if len(message) > 300:
        message = message[:300] + "…"
    return storable(f"{type(error).__name__}: {message}" if message else type(error).__name__)


_SURROGATE = re.compile("[\ud800-\udfff]")


def parse_json(text: str, *, strict: bool = True) -> Any:
    """``json.loads``, with every lone surrogate in the value's strings (object keys too) replaced by U+FFFD.

    A lone surrogate (``"\\ud800"``: half of an emoji cut by an exporter) is an encoding error of the input, local to
    one character: the character is replaced, as a decoder does with an invalid byte, and the document is kept.
    Raises ``ValueError`` (``json.JSONDecodeError`` among them) for what is not JSON and ``RecursionError`` for a value
    nested deeper than Python can parse.
    """
    value = json.loads(text, strict=strict)
    # json.loads joins an escaped high+low pair into one character; a lone "\\udXXX" escape stays in the string.
    # Looked for in the parsed strings: in the JSON text, a regex for the escape costs more than parsing when
    # the exporter escaped every non-ASCII character (``\\u0627``...).
    return _without_surrogates(value) if _has_surrogate(value) else value


def _has_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        if value.isascii():  # a flag of the string: no scan
            return False
        try:
            value.encode("utf-8")  # C speed, a fraction of json.loads
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, list):
        for item in value:
            if _has_surrogate(item):
                return True
    elif isinstance(value, dict):
        for key, item in value.items():
            if _has_surrogate(key) or _has_surrogate(item):
                return True
    return False


def _without_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, list):
        return [_without_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {storable(k): _without_surrogates(v) for k, v in value.items()}
    return value


def oversize(data: bytes, source: str, options: ReadOptions, reader: str, position: str = "byte 0") -> Failure | None:
    """A Failure when a document is larger than the configured limit, else None."""
    limit = options.max_document_bytes
    if len(data) <= limit:
        return None
    reason = f"document of {len(data):,} bytes exceeds the limit of {limit:,} bytes"
    return failure(source, position, reason, data, reader)


def parse_date(raw: str | None, options: ReadOptions, reference: datetime | None = None) -> datetime | None:
    """A publication date string → datetime, or None when it holds no full date.

    The zone is kept as written; a date without one gets ``options.default_tz`` or stays naive (zone unknown): a
    zone is never invented.
    """
    if not raw or not raw.strip():
        return None
    return dates.parse(raw, default_tz=options.default_tz, reference=reference).value


_GZIP_MAGIC = b"\x1f\x8b"


def open_maybe_gzip(stream: BinaryIO) -> BinaryIO:
    """The stream itself, or a transparent gunzipping view of it when it starts with the gzip magic bytes.

    Works on unseekable streams (stdin, a tar member): the peeked bytes are put back in front. Concatenated gzip
    members are read one after the other. A truncated gzip stream gives every byte before the damage, then raises
    ``EOFError`` (``zlib.error`` for corrupt data): callers report it after what they could read.
    """
    buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(_RawAdapter(stream))
    if buffered.peek(2)[:2] == _GZIP_MAGIC:
        return io.BufferedReader(_Gunzip(buffered))
    return buffered


class _Gunzip(io.RawIOBase):
    """Incremental gunzip. Unlike gzip.GzipFile it never drops data decompressed before a truncation."""

    _CHUNK = 1 << 16

    def __init__(self, inner: BinaryIO) -> None:
        self._inner = inner
        self._inflater = zlib.decompressobj(wbits=31)
        self._pending = b""
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending and not self._done:
            self._fill()
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def _fill(self) -> None:
        if self._inflater.eof:  # a member ended: another may follow
            rest = self._inflater.unused_data or self._inner.read(self._CHUNK)
            if not rest.strip(b"\x00"):
                self._done = True  # end of stream (or zero padding)
                return
            self._inflater = zlib.decompressobj(wbits=31)
            self._pending = self._inflater.decompress(rest, self._CHUNK)
            return
        data = self._inflater.unconsumed_tail or self._inner.read(self._CHUNK)
        if not data:
            self._done = True
            raise EOFError("gzip stream ends before its end-of-stream marker (truncated)")
        self._pending = self._inflater.decompress(data, self._CHUNK)


class _RawAdapter(io.RawIOBase):
    """Lets io.BufferedReader wrap any object with a ``read`` method (BytesIO, GzipFile, tar members...)."""

    def __init__(self, inner: BinaryIO) -> None:
        self._inner = inner

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._inner.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


# --- JSON lines: one record per line, a bad line its own failure (the JSON-lines and ANT corpus readers) --------

NESTED_TOO_DEEP = "JSON nested too deep (more levels than Python can parse)"


def guarded_line(
    read: Callable[[Any, int, int, str, ReadOptions], Record],
    obj: Any,
    number: int,
    offset: int,
    source: str,
    options: ReadOptions,
    reader: str,
) -> Record:
    """``read(obj, number, offset, source, options)``; an unexpected error becomes a Failure for that line alone."""
    try:
        return read(obj, number, offset, source, options)
    except RecursionError as exc:
        return failure(source, f"line {number}", f"{NESTED_TOO_DEEP}: {error_reason(exc)}", b"", reader)
    except Exception as exc:
        reason = f"internal error reading this line: {error_reason(exc)}; please report"
        return failure(source, f"line {number}", reason, b"", reader)


def iter_lines(stream: BinaryIO, source: str, options: ReadOptions, reader: str) -> Iterator[tuple[int, int, Any]]:
    """``(line number, byte offset, parsed JSON value)`` for each non-blank line; a Failure in place of the value for a
    line that is not JSON, and one last Failure when the (gzip) stream is cut short."""
    data = open_maybe_gzip(stream)
    offset = 0
    number = 0
    while True:
        try:
            line = data.readline(options.max_document_bytes + 1)
        except (EOFError, OSError, zlib.error) as exc:
            yield (
                number + 1,
                offset,
                failure(source, f"line {number + 1}", f"stream damaged or truncated: {exc}", b"", reader),
            )
            return
        if not line:
            return
        number += 1
        start, offset = offset, offset + len(line)
        if len(line) > options.max_document_bytes:
            yield (
                number,
                start,
                failure(
                    source,
                    f"line {number}",
                    f"line longer than the limit of {options.max_document_bytes:,} bytes",
                    line,
                    reader,
                ),
            )
            _skip_rest_of_line(data)
            continue
        if not line.strip():
            continue
        yield number, start, _decode_json(line, number, source, reader)


def _skip_rest_of_line(data: BinaryIO) -> None:
    while True:
        chunk = data.readline(1 << 20)
        if not chunk or chunk.endswith(b"\n"):
            return


def _decode_json(line: bytes, number: int, source: str, reader: str) -> Any:
    try:
        text = decode_text(line)
    except DecodeError as exc:
        return failure(source, f"line {number}", f"not text: {exc}", line, reader)
    try:
        return parse_json(text)
    except RecursionError:
        return failure(source, f"line {number}", NESTED_TOO_DEEP, line, reader)
    except ValueError as exc:  # JSONDecodeError, and e.g. an integer of more digits than Python converts
        return failure(source, f"line {number}", f"invalid JSON: {exc}", line, reader)
