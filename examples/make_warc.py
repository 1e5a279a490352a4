#!/usr/bin/env python3
"""Build examples/warc/news.warc.gz from the HTML pages in examples/warc/pages/.

The archive looks like a small crawl of Arabic news sites:

* one ``warcinfo`` record,
* one ``request`` record (the GET for the first page),
* one ``response`` record per HTML page (HTTP 200, ``text/html; charset=utf-8``),
* one ``response`` with ``Content-Type: image/jpeg`` and one with ``application/pdf``:
  readers must skip these (and count them as skipped), not turn them into articles.

The output is deterministic: WARC-Date values, WARC-Record-IDs (UUID5 of the URI and record type)
and the non-HTML payloads are fixed, and warcio's gzip member headers carry no timestamp, so
re-running the script produces a byte-identical file.

Usage::

    .venv/bin/python examples/make_warc.py            # writes examples/warc/news.warc.gz
    .venv/bin/python examples/make_warc.py --list     # also prints the records read back
"""

from __future__ import annotations

import argparse
import hashlib
import uuid
from io import BytesIO
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).resolve().parent
PAGES = HERE / "warc" / "pages"
OUTPUT = HERE / "warc" / "news.warc.gz"

# (page file, target URI, WARC-Date, HTTP Date header, server)
HTML_PAGES = [
    ("01_summit_sputnik.html",
     "https://arabic.example-wire.test/world/20230913/putin-kim-vostochny-summit-1079912.html",
     "2023-09-13T12:05:11Z", "Wed, 13 Sep 2023 12:05:11 GMT", "nginx"),
    ("02_treaty_signing_anadolu.html",
     "https://www.example-aa.test/ar/world/putin-kim-sign-treaty/3250912",
     "2024-06-19T14:02:40Z", "Wed, 19 Jun 2024 14:02:40 GMT", "Apache"),
    ("03_zelensky_10000_asharq.html",
     "https://example-asharq.test/news/2024/10/17/zelensky-north-korea-10000-troops",
     "2024-10-17T17:40:03Z", "Thu, 17 Oct 2024 17:40:03 GMT", "cloudflare"),
    ("04_morocco_reconstruction_medi1.html",
     "https://www.example-medi.test/ar/news/2023/09/20/al-haouz-reconstruction-programme",
     "2023-09-20T20:31:57Z", "Wed, 20 Sep 2023 20:31:57 GMT", "nginx"),
    ("05_worldcup_final_bein.html",
     "https://sports.example-bein.test/ar/2022/12/18/argentina-france-final-report",
     "2022-12-18T19:45:22Z", "Sun, 18 Dec 2022 19:45:22 GMT", "Varnish"),
]

IMAGE_URI = "https://arabic.example-wire.test/images/20230913/vostochny-summit.jpg"
PDF_URI = "https://www.example-medi.test/ar/docs/2023/09/20/reconstruction-programme-summary.pdf"


def record_id(uri: str, record_type: str) -> str:
    """A stable WARC-Record-ID derived from the URI and the record type."""
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'akhbar-examples/{record_type}/{uri}')}>"


def fake_jpeg() -> bytes:
    """A few hundred fixed pseudo-random bytes framed as a JPEG (SOI ... EOI); not a viewable image."""
    body = b"".join(hashlib.sha256(f"akhbar-jpeg-{i}".encode()).digest() for i in range(12))
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + body + b"\xff\xd9"


def fake_pdf() -> bytes:
    """A tiny but well-formed-looking PDF with a binary marker line, as real PDFs have."""
    return (
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
        b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


def http_response_headers(content_type: str, length: int, date: str, server: str) -> StatusAndHeaders:
    return StatusAndHeaders(
        "200 OK",
        [
            ("Date", date),
            ("Server", server),
            ("Content-Type", content_type),
            ("Content-Length", str(length)),
            ("Cache-Control", "max-age=300"),
            ("Connection", "close"),
        ],
        protocol="HTTP/1.1",
    )


def write_response(writer: WARCWriter, uri: str, warc_date: str, body: bytes, http_headers: StatusAndHeaders,
                   concurrent_to: str | None = None) -> None:
    warc_headers = {
        "WARC-Record-ID": record_id(uri, "response"),
        "WARC-Date": warc_date,
        "WARC-IP-Address": "192.0.2.10",  # TEST-NET-1, documentation-only address
    }
    if concurrent_to:
        warc_headers["WARC-Concurrent-To"] = concurrent_to
    record = writer.create_warc_record(
        uri, "response", payload=BytesIO(body), length=len(body),
        warc_headers_dict=warc_headers, http_headers=http_headers,
    )
    writer.write_record(record)


def build(output: Path = OUTPUT) -> Path:
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True, warc_version="1.1")

        # 1. warcinfo
        info = (
            "software: akhbar examples/make_warc.py (warcio)\r\n"
            "format: WARC File Format 1.1\r\n"
            "description: Sample crawl of Arabic news pages written by the akhbar team for testing\r\n"
            "isPartOf: akhbar-examples\r\n"
            "robots: obey\r\n"
        ).encode("utf-8")
        writer.write_record(writer.create_warc_record(
            "", "warcinfo", payload=BytesIO(info), length=len(info),
            warc_headers_dict={
                "WARC-Record-ID": record_id("news.warc.gz", "warcinfo"),
                "WARC-Date": "2024-12-01T00:00:00Z",
                "WARC-Filename": output.name,
            },
            warc_content_type="application/warc-fields",
        ))

        # 2. the request for the first page, then the pages (a JPEG and a PDF interleaved)
        for index, (name, uri, warc_date, http_date, server) in enumerate(HTML_PAGES):
            body = (PAGES / name).read_bytes()
            concurrent = None
            if index == 0:
                request_headers = StatusAndHeaders(
                    "GET /world/20230913/putin-kim-vostochny-summit-1079912.html HTTP/1.1",
                    [
                        ("Host", "arabic.example-wire.test"),
                        ("User-Agent", "akhbar-example-crawler/1.0 (+https://example.org/akhbar)"),
                        ("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"),
                        ("Accept-Language", "ar,en;q=0.5"),
                    ],
                    is_http_request=True,
                )
                writer.write_record(writer.create_warc_record(
                    uri, "request",
                    warc_headers_dict={"WARC-Record-ID": record_id(uri, "request"), "WARC-Date": warc_date,
                                       "WARC-Concurrent-To": record_id(uri, "response")},
                    http_headers=request_headers,
                ))
                concurrent = record_id(uri, "request")
            write_response(writer, uri, warc_date, body,
                           http_response_headers("text/html; charset=utf-8", len(body), http_date, server),
                           concurrent_to=concurrent)
            if index == 1:
                image = fake_jpeg()
                write_response(writer, IMAGE_URI, "2023-09-13T12:05:12Z", image,
                               http_response_headers("image/jpeg", len(image), "Wed, 13 Sep 2023 12:05:12 GMT", "nginx"))
            if index == 3:
                pdf = fake_pdf()
                write_response(writer, PDF_URI, "2023-09-20T20:31:58Z", pdf,
                               http_response_headers("application/pdf", len(pdf), "Wed, 20 Sep 2023 20:31:58 GMT", "nginx"))
    return output


def list_records(path: Path) -> list[tuple[str, str, str]]:
    """(WARC-Type, HTTP Content-Type or '', WARC-Target-URI or '') of every record, in order."""
    rows = []
    with path.open("rb") as fh:
        for record in ArchiveIterator(fh):
            content_type = record.http_headers.get_header("Content-Type") if record.http_headers else ""
            rows.append((record.rec_type, content_type or "", record.rec_headers.get_header("WARC-Target-URI") or ""))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--list", action="store_true", help="print the records after writing")
    args = parser.parse_args()
    path = build(args.output)
    print(f"wrote {path} ({path.stat().st_size} bytes)")
    if args.list:
        for rec_type, content_type, uri in list_records(path):
            print(f"  {rec_type:9} {content_type:26} {uri}")


if __name__ == "__main__":
    main()
