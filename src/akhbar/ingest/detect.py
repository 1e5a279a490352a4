"""Inputs and formats: what the user names (files, folders, globs, ``.gz``, ``-``) → the right reader.

``iter_inputs`` expands what the user names into ``InputFile`` values; ``read_input`` picks the reader by the
``--format`` option or, with ``auto``, by the name and the first bytes, and guarantees the reader contract for every
format: records out, never an exception for bad input (a damaged compressed stream becomes one ``Failure`` after
everything read before the damage).
"""

from __future__ import annotations

import glob
import gzip
import io
import json
import os
import sys
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from akhbar.ingest import ant, feeds, html, jsonl, textpage, warc
from akhbar.ingest.base import ReadOptions, Record, error_reason, failure, file_label, wide_bom
from akhbar.model import Failure

BytesReader = Callable[[bytes, str, ReadOptions], Iterator[Record]]
StreamReader = Callable[[BinaryIO, str, ReadOptions], Iterator[Record]]

# Readers of one document per input take the bytes; readers of many documents per input stream them.
BYTES_READERS: dict[str, BytesReader] = {
    "textpage": textpage.read_textpage,
    "html": lambda data, source, options: html.read_html(data, source, options),
    "feed": feeds.read_feed,
}
STREAM_READERS: dict[str, StreamReader] = {
    "warc": lambda stream, source, options: warc.read_warc(stream, source, options, read_page=html.read_html),
    "jsonl": jsonl.read_jsonl,
    "ant": ant.read_ant_jsonl,
    "ant-trec": ant.read_ant_tar,
}
FORMATS = (*BYTES_READERS, *STREAM_READERS)
# Damage a compressed or truncated stream shows while being read.
STREAM_ERRORS = (EOFError, zlib.error, gzip.BadGzipFile, OSError)


# Files a folder walk reads; other files in a folder (READMEs, scripts, images) are not news input. A file the user
# names explicitly is always read.
INPUT_SUFFIXES = (
    ".txt",
    ".html",
    ".htm",
    ".xhtml",
    ".xml",
    ".rss",
    ".atom",
    ".jsonl",
    ".ndjson",
    ".json",
    ".warc",
    ".gz",
    ".tgz",
    ".tar",
)


@dataclass(frozen=True, slots=True)
class InputFile:
    """One input to read: a named file or standard input."""

    name: str  # the path as the user named it, or "-"
    path: Path | None  # None for stdin

    def open(self) -> BinaryIO:
        """The raw bytes, decompressed when the name ends in ``.gz`` (``.tar.gz`` is left to its reader)."""
        raw: BinaryIO = sys.stdin.buffer if self.path is None else open(self.path, "rb")  # noqa: SIM115
        if self.name.endswith(".gz") and not self.name.endswith((".tar.gz", ".warc.gz")):
            return gzip.GzipFile(fileobj=raw)  # type: ignore[return-value]
        return raw

    @property
    def inner_name(self) -> str:
        return self.name[:-3] if self.name.endswith(".gz") and not self.name.endswith(".tar.gz") else self.name


def iter_inputs(spec: str) -> Iterator[InputFile | Failure]:
    """Expand one user argument: ``-`` (stdin), a file, a folder (recursively: news files only, see
    ``INPUT_SUFFIXES``; hidden ones skipped) or a glob."""
    if spec == "-":
        yield InputFile("-", None)
        return
    path = Path(spec)
    if path.is_file():
        yield InputFile(spec, path)
    elif path.is_dir():
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if not name.startswith(".") and name.lower().endswith(INPUT_SUFFIXES):
                    yield InputFile(os.path.join(root, name), Path(root) / name)
    elif glob.has_magic(spec):
        matches = sorted(glob.glob(spec, recursive=True))
        if not matches:
            yield failure(spec, "-", "the pattern matches no file")
        for match in matches:
            yield from iter_inputs(match)
    else:
        yield failure(spec, "-", "no such file or folder")


def detect_format(name: str, head: bytes) -> str:
    """The reader for an input, from its name and first bytes (``head``: at least the first 4 KiB)."""
    lower = name.lower()
    if wide := wide_bom(head):  # UTF-16/UTF-32 with a byte order mark: sniff its characters, not its bytes
        head = head.decode(wide, errors="ignore").encode()
    if lower.endswith((".warc", ".warc.gz")) or head.startswith(b"WARC/"):
        return "warc"
    if lower.endswith((".tar.gz", ".tgz", ".tar")):
        return "ant-trec"
    sniff = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:4096]
    if lower.endswith((".jsonl", ".ndjson", ".json")) or sniff.startswith(b"{"):
        return "ant" if _is_ant_row(sniff) else "jsonl"
    low = sniff.lower()
    if lower.endswith((".rss", ".atom")) or b"<rss" in low or b"<feed" in low or b"<rdf:rdf" in low:
        return "feed"
    if lower.endswith((".html", ".htm", ".xhtml")) or b"<html" in low or b"<!doctype html" in low:
        return "html"
    if lower.endswith(".xml"):
        return "feed"
    return "textpage"


def _is_ant_row(head: bytes) -> bool:
    first = head.split(b"\n", 1)[0]
    try:
        row = json.loads(first)
    except (ValueError, RecursionError):
        return False
    return isinstance(row, dict) and {"docno", "src", "text"} <= row.keys()


def read_input(item: InputFile, options: ReadOptions, counters: Counter[str] | None = None) -> Iterator[Record]:
    """All records of one input, with the reader chosen by ``options.format`` (``auto``: by name and content).

    ``counters`` receives what readers skip on purpose (e.g. ``skipped_non_html`` WARC records): skipped records are
    not failures, but a run says how many there were.

    One input can never end a run: an unexpected exception escaping a reader (a bug: readers turn bad input into
    Failures) ends this input with one Failure, ``internal error reading <file> after record N``, and the run goes
    on with the next input. A file name that is not UTF-8 is recorded with its odd bytes written as ``\\xe9``.
    """
    source = file_label(item.name)
    fmt = options.format
    count = 0
    try:
        try:
            stream = item.open()
        except OSError as error:
            yield failure(source, "-", f"cannot open: {error.strerror or error}")
            return
        with stream:
            buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(stream)  # type: ignore[type-var]
            try:
                head = buffered.peek(4096)[:4096]
            except STREAM_ERRORS as error:
                yield failure(source, "byte 0", f"unreadable input: {error}")
                return
            if fmt == "auto":
                try:
                    fmt = detect_format(item.inner_name, head)
                except RecursionError:  # the JSON sniff of a first line nested too deep: the JSON-lines reader says so
                    fmt = "jsonl"
            if fmt not in FORMATS:
                yield failure(source, "-", f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
                return
            records: Iterator[Record]
            if fmt == "warc":
                records = warc.read_warc(buffered, source, options, read_page=html.read_html, counters=counters)
            elif fmt in STREAM_READERS:
                records = STREAM_READERS[fmt](buffered, source, options)
            else:
                try:
                    data = buffered.read(options.max_document_bytes + 1)
                except STREAM_ERRORS as error:
                    yield failure(source, "byte 0", f"damaged compressed input: {error}", reader=fmt)
                    return
                records = BYTES_READERS[fmt](data, source, options)
            for record in _guarded(records, source, fmt):
                count += 1
                yield record
    except Exception as error:  # the last line of defence: one Failure, then the next input
        reason = f"internal error reading {source} after record {count}: {error_reason(error)}; please report"
        yield failure(source, f"after record {count}", reason, reader=fmt if fmt != "auto" else "")


def _guarded(records: Iterator[Record], source: str, reader: str) -> Iterator[Record]:
    """Pass records on; a stream that breaks while being read ends with one Failure instead of an exception."""
    count = 0
    try:
        for record in records:
            count += 1
            yield record
    except STREAM_ERRORS as error:
        yield failure(source, f"after record {count}", f"input ends or breaks here: {error}", reader=reader)


def read_text_document(data: bytes, source: str, options: ReadOptions) -> Iterator[Record]:
    """Read raw bytes of one document whose format is unknown (used by the API's POST /ingest). As in
    :func:`read_input`, an exception escaping a reader (a bug) becomes one Failure, never an error of the caller."""
    fmt, count = options.format, 0
    try:
        if fmt == "auto":
            try:
                fmt = detect_format(source, data[:4096])
            except RecursionError:
                fmt = "jsonl"
        if fmt in BYTES_READERS:
            records = BYTES_READERS[fmt](data, source, options)
        elif fmt in STREAM_READERS:
            records = _guarded(STREAM_READERS[fmt](io.BytesIO(data), source, options), source, fmt)
        else:
            yield failure(source, "-", f"unknown format {fmt!r} (known: {', '.join(FORMATS)})", data)
            return
        for record in records:
            count += 1
            yield record
    except Exception as error:  # the last line of defence, as in read_input
        reason = f"internal error reading {source} after record {count}: {error_reason(error)}; please report"
        yield failure(source, f"after record {count}", reason, data, reader=fmt if fmt != "auto" else "")
