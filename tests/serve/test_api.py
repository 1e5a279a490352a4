"""The REST API and the web reader, through the ASGI test client, over the team's example archive."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import akhbar
from akhbar.serve.app import create_app
from akhbar.serve.limits import MAX_BODY_BYTES

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SEED_TEXTPAGE = EXAMPLES / "textpages" / "01_summit_alwatan.txt"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("api") / "examples.db"
    with akhbar.open(path) as archive:
        archive.ingest([EXAMPLES])
    return path


@pytest.fixture
def client(built: Path, tmp_path: Path) -> Iterator[TestClient]:
    db = tmp_path / "api.db"  # each test gets its own copy: POSTs never leak between tests
    shutil.copy(built, db)
    with TestClient(create_app(db), base_url="http://127.0.0.1") as test_client:  # a Host the app answers to
        yield test_client


def first_id(client: TestClient, query: str = "فوستوتشني") -> str:
    return str(client.get("/api/search", params={"q": query}).json()["items"][0]["id"])


def test_health(client: TestClient) -> None:
    response = client.get("/api/health")
    assert response.status_code == 200 and response.json()["articles"] >= 50


def test_articles_are_paged_newest_first_in_a_stable_order(client: TestClient) -> None:
    first = client.get("/api/articles", params={"per_page": 10}).json()
    second = client.get("/api/articles", params={"per_page": 10, "page": 2}).json()
    assert first["total"] == second["total"] >= 50 and len(first["items"]) == 10
    ids = [a["id"] for a in first["items"] + second["items"]]
    assert len(set(ids)) == 20
    dates = [a["published_at"] for a in first["items"] if a["published_at"]]
    assert dates == sorted(dates, reverse=True)
    assert client.get("/api/articles", params={"per_page": 10}).json() == first


def test_article_filters(client: TestClient) -> None:
    by_outlet = client.get("/api/articles", params={"outlet": "العربية", "per_page": 100}).json()
    assert by_outlet["items"] and all(a["outlet"] == "العربية" for a in by_outlet["items"])
    by_day = client.get("/api/articles", params={"since": "2024-10-01", "until": "2024-10-31"}).json()
    assert by_day["items"] and all("2024-10-01" <= a["published_at"][:10] <= "2024-10-31" for a in by_day["items"])
    kim = client.get("/api/entities/Kim Jong Un").json()
    by_entity = client.get("/api/articles", params={"entity": kim["id"], "per_page": 100}).json()
    assert by_entity["total"] >= 5
    by_tag = client.get("/api/articles", params={"tag": "روسيا", "per_page": 100}).json()
    assert by_tag["total"] >= 5


def test_article_record_with_links_and_etag(client: TestClient) -> None:
    article_id = first_id(client)
    response = client.get(f"/api/articles/{article_id}")
    assert response.status_code == 200
    body = response.json()
    for key in ("title", "body", "summary", "auto_tags", "entities", "read_also", "also_reported_by", "story"):
        assert key in body
    assert body["entities"] and body["read_also"]
    etag = response.headers["etag"]
    again = client.get(f"/api/articles/{article_id}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.content
    related = client.get(f"/api/articles/{article_id}/related", params={"k": 3}).json()
    assert len(related["items"]) == 3 and all(r["reason"] for r in related["items"])


def test_search_in_arabic_and_latin(client: TestClient) -> None:
    arabic = client.get("/api/search", params={"q": "بيونغ يانغ"}).json()
    latin = client.get("/api/search", params={"q": "Kim Jong Un"}).json()
    assert arabic["items"] and latin["items"]
    assert all(hit["highlights"] for hit in latin["items"])
    assert arabic["suggestion"] is None


def test_a_misspelt_name_is_answered_with_a_suggestion(client: TestClient) -> None:
    """«هل تقصد» in the API and on the reader's search page: a link to the search as the archive spells the name."""
    answer = client.get("/api/search", params={"q": "بيونقيانق"}).json()
    assert answer["items"] == [] and answer["suggestion"] in {"بيونغ يانغ", "بيونغيانغ"}
    page = client.get("/search", params={"q": "بيونقيانق"}).text
    assert "هل تقصد" in page and answer["suggestion"] in page


def test_entities_and_stories(client: TestClient) -> None:
    pyongyang = client.get("/api/entities/pyongyang").json()
    assert pyongyang["romanization"] == "Pyongyang" and pyongyang["type"] == "LOC"
    assert client.get(f"/api/entities/{pyongyang['id']}").json()["id"] == pyongyang["id"]
    stories = client.get("/api/stories").json()["items"]
    assert stories
    story = client.get(f"/api/stories/{stories[0]['id']}").json()
    assert story["articles"] and story["outlets"] is not None


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/articles/0123456789abcdef0123", 404),
        ("/api/articles/not-an-id!", 404),  # any id is looked up: unknown is 404, never a pattern message
        ("/api/articles/zzzzzzzz", 404),
        ("/api/articles/zzzzzzzz/related", 404),
        ("/api/articles?page=0", 422),
        ("/api/articles?per_page=1000", 422),
        ("/api/articles?since=yesterday", 422),
        ("/api/entities/لا-يوجد-مثل-هذا-الاسم", 404),
        ("/api/stories/999999", 404),
        ("/api/search", 422),
        ("/api/nothing-here", 404),
    ],
)
def test_errors_are_json_with_the_right_status(client: TestClient, path: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert response.json()["error"] and "Traceback" not in response.text


def test_post_a_text_page_stores_it(client: TestClient) -> None:
    page = SEED_TEXTPAGE.read_bytes().replace("قمة".encode(), "لقاء".encode(), 1)
    response = client.post("/api/ingest", content=page, headers={"Content-Type": "text/plain; charset=utf-8"})
    assert response.status_code == 201, response.text
    stored = response.json()["articles"]
    assert stored and stored[0]["title"]
    assert client.get(f"/api/articles/{stored[0]['id']}").status_code == 200


def test_post_json_html_and_bad_documents(client: TestClient) -> None:
    article = {
        "title": "خبر تجريبي عن الاقتصاد",
        "text": "ارتفعت أسعار النفط اليوم في الأسواق العالمية.",
        "url": "https://x.test/1",
    }
    assert client.post("/api/ingest", json=article).status_code == 201
    html = (
        "<html><head><title>خبر</title></head><body><article><h1>خبر عن المطر</h1><p>"
        + "هطلت أمطار غزيرة على المدينة اليوم. " * 20
        + "</p></article></body></html>"
    )
    assert client.post("/api/ingest", content=html.encode(), headers={"Content-Type": "text/html"}).status_code == 201
    assert client.post("/api/ingest", content=b"", headers={"Content-Type": "text/plain"}).status_code == 400
    assert (
        client.post("/api/ingest", content=b"{not json", headers={"Content-Type": "application/json"}).status_code
        == 400
    )
    assert client.post("/api/ingest", json=[1, 2]).status_code == 422
    binary = client.post("/api/ingest", content=bytes(range(256)) * 8, headers={"Content-Type": "text/plain"})
    assert binary.status_code == 422 and binary.json()["failures"]
    big = b"x" * (MAX_BODY_BYTES + 1)
    assert client.post("/api/ingest", content=big, headers={"Content-Type": "text/plain"}).status_code == 413


def test_reader_pages_render_in_arabic_rtl_with_a_csp(client: TestClient) -> None:
    article_id = first_id(client)
    for path in ("/", f"/article/{article_id}", "/search?q=بيونغ+يانغ", "/entity/pyongyang", "/stories", "/tag/روسيا"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert '<html dir="rtl" lang="ar">' in response.text
        assert "default-src 'self'" in response.headers["content-security-policy"]
    page = client.get(f"/article/{article_id}").text
    assert "كلمات دلالية" in page and "إقرأ أيضاً" in page
    assert client.get("/article/0123456789abcdef0123").status_code == 404


def test_scraped_markup_renders_as_text(client: TestClient) -> None:
    evil = {
        "title": '<script>alert("x")</script> عنوان خبيث',
        "text": 'نص الخبر <img src=x onerror="alert(1)"> يتحدث عن <b>الاقتصاد</b> في المنطقة.',
        "url": "https://x.test/evil",
    }
    stored = client.post("/api/ingest", json=evil).json()["articles"][0]
    page = client.get(f"/article/{stored['id']}").text
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "<img src=x" not in page
    results = client.get("/search", params={"q": '<script>alert("q")</script> خبيث'}).text
    assert '<script>alert("q")' not in results


def test_paths_never_reach_the_filesystem(client: TestClient) -> None:
    for path in (
        "/static/../../pyproject.toml",
        "/static/%2e%2e/%2e%2e/pyproject.toml",
        "/article/..%2f..%2fetc%2fpasswd",
    ):
        response = client.get(path)
        assert response.status_code in (404, 422), path
        assert "[project]" not in response.text and "root:" not in response.text


def test_openapi_describes_every_endpoint(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    expected = {
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/articles/{article_id}/related",
        "/api/search",
        "/api/entities/{ref}",
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/ingest",
        "/api/health",
    }
    assert expected <= paths
    assert json.dumps(spec)  # serializable


def test_a_streamed_body_without_length_is_capped_too(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(6):
            yield b"x" * (1024 * 1024)

    response = client.post("/api/ingest", content=chunks(), headers={"Content-Type": "text/plain"})
    assert response.status_code == 413 and response.json()["error"]


def test_long_latin_queries_are_cheap_everywhere(client: TestClient) -> None:
    """Latin-name expansion once built 5**n phrases: 10 words took 6 s and 1.6 GB, 12 raised MemoryError (a 500).
    Every route that expands Latin names answers a long one at once."""
    import time

    long_query = " ".join(["Mohammed"] * 12 + ["Kim", "Jong", "Un"] * 60)[:500]
    started = time.process_time()
    assert client.get("/api/search", params={"q": long_query}).status_code == 200
    assert client.get("/search", params={"q": long_query}).status_code == 200
    assert client.get("/api/entities/" + " ".join(["Mohammed"] * 20)).status_code == 404
    assert client.get("/entity/" + " ".join(["Mohammed"] * 20)).status_code == 404
    assert time.process_time() - started < 10


def test_entity_by_a_name_word(tmp_path: Path) -> None:
    """/api/entities/ماكرون finds the one person that has the word; /api/entities/كيم answers 300 with the people
    it could mean."""
    from tests.test_archive import _people_archive

    db = tmp_path / "people.db"
    with akhbar.open(db) as archive:
        archive.ingest([_people_archive(tmp_path)])
    with TestClient(create_app(db), base_url="http://127.0.0.1") as people:
        assert people.get("/api/entities/Macron").json()["name"] == "إيمانويل ماكرون"
        several = people.get("/api/entities/كيم")
        assert several.status_code == 300
        assert {c["name"] for c in several.json()["candidates"]} == {"كيم جونغ أون", "كيم يو جونغ"}
        assert people.get("/api/entities/فلانوف").status_code == 404


def test_api_docs_are_served_from_this_server_without_inline_scripts(client: TestClient) -> None:
    """/docs and /redoc: every script comes from this server (no inline code, no CDN); only these two pages allow
    the inline styles their bundles set, and every other page keeps the strict policy."""
    import re

    from akhbar.serve.security import CSP, DOCS_CSP

    for path in ("/docs", "/redoc"):
        response = client.get(path)
        assert response.status_code == 200 and response.headers["content-security-policy"] == DOCS_CSP
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", response.text, re.S)
        assert scripts and all('src="/' in attrs and not body.strip() for attrs, body in scripts)
        assert "http" not in response.text
        for asset in re.findall(r'(?:src|href)="(/[^"]+)"', response.text):
            assert client.get(asset).status_code == 200, asset
    assert "script-src 'self';" in DOCS_CSP and "unsafe-inline" not in CSP
    assert client.get("/").headers["content-security-policy"] == CSP


def test_the_pages_own_links_lead_only_to_articles_the_archive_holds(tmp_path: Path) -> None:
    """A read-also link of the page to an article akhbar does not hold is shown as plain text (it used to link to a
    404), one it holds is a link; the API says which is which. The page's own tags are on the reader's page."""
    held_text = "أعلنت وزارة الثقافة ترميم المكتبة القديمة في وسط المدينة بعد سنوات من الإهمال وتراجع عدد الزوار. " * 3
    page = f"""<html><head><title>افتتاح مكتبة عامة جديدة</title></head><body><article><h1>افتتاح مكتبة عامة جديدة</h1>
<p>{"افتتحت البلدية مكتبة عامة جديدة تضم آلاف الكتب وقاعات للقراءة والبحث ومساحة مخصصة للأطفال. " * 3}</p>
<div class="related-articles"><h3>اقرأ أيضاً</h3><ul>
<li><a href="https://example.com/news/old-library">ترميم المكتبة القديمة</a></li>
<li><a href="https://example.com/news/elsewhere">خبر لا نملكه</a></li></ul></div>
<div class="article-tags">الوسوم: <a href="/t/1">مكتبات</a> <a href="/t/2">ثقافة</a></div>
</article></body></html>"""
    held = f"""<html><head><title>ترميم المكتبة القديمة</title>
<link rel="canonical" href="https://example.com/news/old-library"></head><body><article><h1>ترميم المكتبة القديمة</h1>
<p>{held_text}</p></article></body></html>"""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "library.html").write_text(page, encoding="utf-8")
    (tmp_path / "in" / "old.html").write_text(held, encoding="utf-8")
    db = tmp_path / "links.db"
    with akhbar.open(db) as archive:
        archive.ingest([tmp_path / "in"])
    with TestClient(create_app(db), base_url="http://127.0.0.1") as client:
        hit = client.get("/api/search", params={"q": "افتتاح مكتبة عامة جديدة"}).json()["items"][0]
        record = client.get(f"/api/articles/{hit['id']}").json()
        assert [(r["title"], r["stored"]) for r in record["related"]] == [
            ("ترميم المكتبة القديمة", True),
            ("خبر لا نملكه", False),
        ]
        html = client.get(f"/article/{hit['id']}").text
        assert '<span class="not-held">خبر لا نملكه</span>' in html
        held_id = next(r["id"] for r in record["related"] if r["stored"])
        assert f'<a href="/article/{held_id}">ترميم المكتبة القديمة</a>' in html
        assert "وسوم الصفحة" in html and "مكتبات" in html


def test_every_list_answers_in_one_shape(client: TestClient) -> None:
    """items, page, per_page and has_more on every list (total where the archive counts it); a plain list has no
    score, a ranked one has."""
    articles = client.get("/api/articles", params={"per_page": 2}).json()
    search = client.get("/api/search", params={"q": "كوريا", "per_page": 2}).json()
    stories = client.get("/api/stories", params={"per_page": 2}).json()
    for answer in (articles, search, stories):
        assert {"items", "page", "per_page", "has_more"} <= answer.keys() and answer["has_more"] is True
    assert articles["total"] > 2
    assert all("score" not in item for item in articles["items"])
    assert all("score" in item for item in search["items"])
    last = client.get("/api/articles", params={"per_page": 2, "page": (articles["total"] + 1) // 2}).json()
    assert last["items"] and last["has_more"] is False


def test_a_post_of_another_kind_is_refused_and_an_unreadable_one_is_not_quarantined(client: TestClient) -> None:
    before = client.get("/api/health").json()["articles"]
    refused = client.post("/api/ingest", content=b"%PDF-1.4", headers={"Content-Type": "application/pdf"})
    assert refused.status_code == 415 and "text/plain" in refused.json()["error"]
    unreadable = client.post("/api/ingest", content=b"\x00\x01\x02" * 50, headers={"Content-Type": "text/plain"})
    assert unreadable.status_code == 422 and unreadable.json()["failures"]  # the poster is told why
    assert client.get("/api/health").json()["articles"] == before
    with akhbar.open(client.app.state.archives.db, read_only=True) as archive:
        assert not [f for f in archive.failures() if f.source.startswith("posted")]


def test_reader_pages_past_the_end_and_result_counts(client: TestClient) -> None:
    past = client.get("/", params={"page": 999})
    assert past.status_code == 404 and "آخر صفحة" in past.text
    page = client.get("/search", params={"q": "كوريا"}).text
    assert "النتائج 1–" in page


def test_search_takes_the_lists_filters(client: TestClient) -> None:
    """/api/search filters as /api/articles does (outlet, tag, entity, days), before ranking and paging."""
    everything = client.get("/api/search", params={"q": "كوريا", "per_page": 50}).json()["items"]
    outlet = everything[-1]["outlet"]
    kept = client.get("/api/search", params={"q": "كوريا", "outlet": outlet, "per_page": 50}).json()["items"]
    assert kept and {h["outlet"] for h in kept} == {outlet}
    assert [h["id"] for h in kept] == [h["id"] for h in everything if h["outlet"] == outlet]
    assert client.get("/api/search", params={"q": "كوريا", "since": "2090-01-01"}).json()["items"] == []
    assert client.get("/api/search", params={"q": "كوريا", "since": "01/08/2024"}).status_code == 422
    page = client.get("/search", params={"q": "كوريا", "outlet": outlet}).text
    assert all(h["title"] not in page for h in everything if h["outlet"] != outlet and h["title"])


def test_a_server_searches_what_another_process_stored_and_brings_its_index_in_step(
    built: Path, tmp_path: Path
) -> None:
    """Another process stored an article without updating the search index (killed, or holding no index): the
    server's readers still find it (the exact search answers while the index is behind), and the server's writer
    brings the index in step in the background."""
    db = tmp_path / "api.db"
    shutil.copy(built, db)
    shutil.copytree(f"{built}.search", f"{db}.search")
    page = tmp_path / "late.jsonl"
    row = {"url": "https://late.example/1", "title": "افتتاح معرض الكتاب السنوي", "text": "افتتح معرض الكتاب اليوم."}
    page.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    article = next(iter(akhbar.parse(page)))
    assert isinstance(article, akhbar.Article)
    store = akhbar.open(db).store  # the store alone, as another process without the index would write
    store.put(article)
    store.close()
    with TestClient(create_app(db), base_url="http://127.0.0.1") as client:
        found = client.get("/api/search", params={"q": "معرض الكتاب"}).json()["items"]
        assert [item["title"] for item in found][:1] == ["افتتاح معرض الكتاب السنوي"]
        with akhbar.open(db, read_only=True) as reader:
            assert reader.search_index is not None
            deadline = time.monotonic() + 30
            while reader.search_index.lag(reader.store) != 0:
                assert time.monotonic() < deadline, "the server did not bring its search index in step"
                time.sleep(0.1)
        found = client.get("/api/search", params={"q": "معرض الكتاب"}).json()["items"]
        assert [item["title"] for item in found][:1] == ["افتتاح معرض الكتاب السنوي"]
