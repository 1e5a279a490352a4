"""Bad text is never stored silently (issue 16, item 9), end to end through the Python API: a few bad bytes keep a
page UTF-8, UTF-16 pages are read, a title of zero-width characters is no title, control characters never reach the
store or the terminal, and an article over the size limits is quarantined while the run goes on."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

import akhbar
from akhbar.archive import Archive
from akhbar.model import Article, Block, Provenance
from akhbar.pipeline import PipelineConfig
from akhbar.serve.cli import app

BODY = "أعلنت البلدية اليوم عن خطة جديدة لتوسيع الحدائق العامة في الأحياء الشرقية خلال العام المقبل."
BODY2 = "وقال رئيس البلدية في مؤتمر صحفي إن الخطة تشمل زراعة آلاف الأشجار وإنشاء ممرات للمشاة والدراجات."
DATE = "تاريخ النشر: 13th, September 2023 GMT"
ZERO_WIDTH = "\u200b\u200c\u200d\u200e\u200f\ufeff\u2060"


def textpage(title: str, *paragraphs: str) -> str:
    return "\n".join([title, DATE, *(paragraphs or (BODY,))]) + "\n"


def stored(archive: Archive) -> dict[str, Article]:
    """Every stored article by title."""
    refs, _ = archive.articles(limit=100)
    articles = [archive.get(ref.id) for ref in refs]
    return {a.title: a for a in articles if a is not None}


def test_a_few_bad_bytes_keep_the_page_utf8(tmp_path: Path) -> None:
    data = textpage("خطة لتوسيع الحدائق", BODY, BODY2).encode()
    data = data.replace("الحدائق العامة".encode(), b"\xff" + "الحدائق".encode() + b"\xc3 " + "العامة".encode())
    data = data.replace("الأشجار".encode(), "الأشجار".encode()[:-1])  # the last letter cut in half
    (tmp_path / "page.txt").write_bytes(data)
    (tmp_path / "legacy.txt").write_bytes(textpage("قمة في الشرق الأقصى").encode("cp1256"))
    with akhbar.open(tmp_path / "a.db") as archive:
        report = archive.ingest([tmp_path / "page.txt", tmp_path / "legacy.txt"])
        assert (report.new, report.failed) == (2, 0)
        articles = stored(archive)
    assert set(articles) == {"خطة لتوسيع الحدائق", "قمة في الشرق الأقصى"}
    text = articles["خطة لتوسيع الحدائق"].text
    assert text.count("\ufffd") == 3
    assert "\ufffdالحدائق\ufffd العامة" in text and "الأشجا\ufffd" in text
    assert articles["قمة في الشرق الأقصى"].text == BODY  # real Windows-1256 is still read as such


def test_utf16_pages_with_a_byte_order_mark(tmp_path: Path) -> None:
    html = (
        '<!DOCTYPE html><html lang="ar"><head><meta charset="utf-16"><title>خطة لتوسيع الحدائق</title></head>'
        f"<body><article><p>{BODY}</p><p>{BODY2}</p></article></body></html>"
    )
    (tmp_path / "page.html").write_bytes(b"\xff\xfe" + html.encode("utf-16-le"))
    (tmp_path / "page.txt").write_bytes(textpage("قمة في الشرق الأقصى").encode("utf-16"))
    (tmp_path / "be.txt").write_bytes(b"\xfe\xff" + textpage("زيارة رسمية إلى موسكو").encode("utf-16-be"))
    with akhbar.open(tmp_path / "a.db") as archive:
        report = archive.ingest([tmp_path])
        assert (report.new, report.failed) == (3, 0), archive.failures()
        articles = stored(archive)
    assert articles["خطة لتوسيع الحدائق"].body[0].text == BODY
    assert articles["قمة في الشرق الأقصى"].text == BODY
    assert articles["زيارة رسمية إلى موسكو"].text == BODY


def test_a_title_of_zero_width_characters_is_no_title(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_text(textpage(ZERO_WIDTH), encoding="utf-8")
    lines = [
        {"title": ZERO_WIDTH, "text": BODY},
        {"title": " \u200f\u200e ", "text": BODY},
        {"title": "عنوان سليم", "text": BODY2},
    ]
    (tmp_path / "rows.jsonl").write_text("".join(json.dumps(row) + "\n" for row in lines), encoding="utf-8")
    og_title = f'<meta property="og:title" content="{ZERO_WIDTH}">'
    html = (
        f'<html lang="ar"><head><meta charset="utf-8">{og_title}<title>خطة لتوسيع الحدائق</title></head>'
        f"<body><article><p>{BODY}</p><p>{BODY2}</p></article></body></html>"
    )
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    rss = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>صحيفة</title>'
        f"<item><title>{ZERO_WIDTH}</title><description>{BODY}</description></item></channel></rss>"
    )
    (tmp_path / "feed.rss").write_text(rss, encoding="utf-8")
    with akhbar.open(tmp_path / "a.db") as archive:
        report = archive.ingest([tmp_path])
        failures = archive.failures()
        articles = stored(archive)
        stats = archive.stats()
    # The HTML page takes its next title (<title>), as for an empty og:title; the others have none.
    assert set(articles) == {"خطة لتوسيع الحدائق", "عنوان سليم"}
    assert (report.new, report.failed) == (2, 4)
    assert stats.articles == 2 and stats.failures == 4
    assert all("title" in f.reason for f in failures), failures
    assert {Path(f.source).name for f in failures} == {"page.txt", "rows.jsonl", "feed.rss"}
    assert all(a.title.strip() for a in articles.values())


def test_control_characters_are_not_stored(tmp_path: Path) -> None:
    page = textpage(
        "خطة\x1b[2J لتوسيع\x07 الحدائق", "أعلنت\x1b]0;pwned\x07 البلدية\x9b31m اليوم عن خطة.", "المصدر: الوطن\x1b"
    )
    (tmp_path / "page.txt").write_text(page, encoding="utf-8")
    with akhbar.open(tmp_path / "a.db") as archive:
        assert archive.ingest([tmp_path / "page.txt"]).new == 1
        (article,) = stored(archive).values()
    shown = [article.title, article.text, article.attribution or "", article.outlet or ""]
    assert not [t for t in shown if any(ch in t for ch in "\x1b\x07\x9b")], shown
    assert article.title == "خطة[2J لتوسيع الحدائق"


runner = CliRunner()


def cli(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout + result.stderr


def test_the_command_line_never_prints_stored_control_characters_or_markup(tmp_path: Path) -> None:
    # An archive written before display text lost its control characters: stored as it was, printed safely.
    db = tmp_path / "old.db"
    old = Article(
        id="a1b2c3d4e5f6a7b8",
        title="عنوان\x1b[2J\x1b]0;pwned\x07 [bold red]خبر[/bold red]",
        body=[
            Block("paragraph", "نص\x1b[31m الخبر\x9b31m [link=file:///etc/passwd]هنا[/link] وبقيته."),
            Block("paragraph", BODY),
        ],
        provenance=Provenance("old\x1b[31m.txt", "textpage"),
        outlet="موقع\x07",
        tags=["وسم\x1b[5m"],
    )
    with akhbar.open(db) as archive:
        assert archive.ingest_records([old]).new == 1
    (tmp_path / "bad\x1b[31m.txt").write_bytes(b"")
    with akhbar.open(db) as archive:
        archive.ingest([tmp_path / "bad\x1b[31m.txt"])
    printed = cli("show", old.id, "--db", str(db)) + cli("failures", "--db", str(db)) + cli("stats", "--db", str(db))
    assert not [ch for ch in printed if ch in "\x1b\x07\x9b"], repr(printed)
    assert "[bold red]خبر[/bold red]" in printed and "[link=file:///etc/passwd]هنا[/link]" in printed


def test_an_article_over_the_limits_is_quarantined_and_the_run_goes_on(tmp_path: Path) -> None:
    huge = [f"الفقرة {i}." for i in range(6_000)]
    rows = [
        {"title": "عنوان أول", "text": BODY},
        {"title": "مقال ضخم", "text": huge},
        {"title": "عنوان أخير", "text": BODY2},
    ]
    (tmp_path / "rows.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    (tmp_path / "huge.txt").write_text(textpage("صفحة ضخمة", *huge), encoding="utf-8")
    (tmp_path / "long.txt").write_text(textpage("فقرة طويلة", "كلمة " * 50_000), encoding="utf-8")
    with akhbar.open(tmp_path / "a.db") as archive:
        report = archive.ingest([tmp_path / "rows.jsonl", tmp_path / "huge.txt", tmp_path / "long.txt"])
        failures = archive.failures()
        articles = stored(archive)
    assert set(articles) == {"عنوان أول", "عنوان أخير"}
    assert (report.new, report.failed) == (2, 3)
    reasons = sorted(f.reason for f in failures)
    assert reasons[0].startswith("article too large: 250,") and "characters (limit 200,000)" in reasons[0]
    assert reasons[1:] == ["article too large: 6,000 blocks (limit 5,000)"] * 2
    jsonl_failure = next(f for f in failures if f.source.endswith("rows.jsonl"))
    assert jsonl_failure.position == "line 2" and jsonl_failure.excerpt.startswith("مقال ضخم")


def test_the_limits_are_configuration(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_text(textpage("خطة لتوسيع الحدائق", BODY, BODY2), encoding="utf-8")
    config = PipelineConfig(max_article_blocks=1)
    with akhbar.open(tmp_path / "a.db", config) as archive:
        report = archive.ingest([tmp_path / "page.txt"])
    assert (report.new, report.failed) == (0, 1)
