"""What the server refuses and the headers it always sends: cross-origin writes (a CORS "simple" POST any web page
can make to a server on the user's machine), Host names it does not answer to (DNS rebinding), non-http(s) links
in the reader, and the security headers on every response, errors included."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

import akhbar
from akhbar.serve.app import app_from_env, create_app
from akhbar.serve.limits import MAX_BODY_BYTES
from akhbar.serve.security import ENV, SECURITY_HEADERS, ServeConfig, parse_host, parse_origin

BASE = "http://127.0.0.1:8000"
ARTICLES = [
    {
        "title": "خبر برابط خبيث",
        "text": "ارتفعت أسعار النفط اليوم في الأسواق العالمية بعد قرار جديد.",
        "url": "javascript:alert(1)",
    },
    {
        "title": "خبر برابط بيانات",
        "text": "هطلت أمطار غزيرة على المدينة اليوم وأغلقت الطرق الرئيسية.",
        "url": "data:text/html,<script>alert(1)</script>",
    },
    {
        "title": "خبر برابط عادي",
        "text": "افتتح معرض الكتاب أبوابه للزوار صباح اليوم في العاصمة.",
        "url": "https://news.example.org/book-fair",
    },
]
POSTED = {
    "title": "خبر مرسل",
    "text": "وصل وفد رسمي إلى المدينة اليوم في زيارة تستمر يومين.",
    "url": "https://x.test/p",
}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    source = tmp_path / "articles.jsonl"
    source.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in ARTICLES) + "\n", encoding="utf-8")
    path = tmp_path / "security.db"
    with akhbar.open(path) as archive:
        assert archive.ingest([source]).new == len(ARTICLES)
    return path


@pytest.fixture
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db), base_url=BASE) as test_client:
        yield test_client


def stored(client: TestClient) -> int:
    return int(client.get("/api/health").json()["articles"])


def article_id(client: TestClient, title: str) -> str:
    items = client.get("/api/articles", params={"per_page": 100}).json()["items"]
    return str(next(a["id"] for a in items if a["title"] == title))


def assert_secured(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    for name, value in SECURITY_HEADERS:
        assert headers.get(name) == value, (name, response)


# --- item 6: cross-site writes ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"},
        {"Origin": "null"},  # sandboxed frames, file:// pages
        {"Origin": "http://127.0.0.1:8001"},  # another port is another origin
        {"Origin": "https://127.0.0.1:8000"},  # another scheme too
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},  # a sibling subdomain is not this origin
        {"Origin": BASE, "Sec-Fetch-Site": "cross-site"},
    ],
)
def test_a_cross_origin_write_is_refused_and_nothing_stored(client: TestClient, headers: dict[str, str]) -> None:
    before = stored(client)
    page = "عنوان الخبر\n\n" + "وصل وفد رسمي إلى المدينة اليوم في زيارة تستمر يومين. " * 5
    response = client.post(
        "/api/ingest", content=page.encode(), headers={"Content-Type": "text/plain", **headers}
    )  # a CORS "simple" request: no preflight, any page can send it
    assert response.status_code == 403
    assert response.json() == {"error": response.json()["error"], "status": 403} and response.json()["error"]
    assert_secured(response)
    assert stored(client) == before


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_every_unsafe_method_is_checked(client: TestClient, method: str) -> None:
    response = client.request(method, "/api/ingest", headers={"Origin": "http://evil.example"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    "headers",
    [
        {},  # curl, scripts: no browser, no ambient credentials to abuse
        {"Origin": BASE, "Sec-Fetch-Site": "same-origin"},  # the server's own pages
        {"Origin": BASE},
        {"Sec-Fetch-Site": "same-origin"},
        {"Sec-Fetch-Site": "none"},
    ],
)
def test_same_origin_and_header_less_writes_still_work(client: TestClient, headers: dict[str, str]) -> None:
    before = stored(client)
    response = client.post("/api/ingest", json=POSTED, headers=headers)
    assert response.status_code == 201, response.text
    assert stored(client) == before + 1


def test_an_origin_on_the_default_port_matches_a_host_without_one(db: Path) -> None:
    with TestClient(create_app(db), base_url="http://localhost") as local:
        assert local.post("/api/ingest", json=POSTED, headers={"Origin": "http://localhost:80"}).status_code == 201


def test_an_allowed_origin_may_write(db: Path) -> None:
    config = ServeConfig(allowed_origins=("https://news.example.org",))
    with TestClient(create_app(db, serve=config), base_url=BASE) as allowed:
        headers = {"Origin": "https://news.example.org", "Sec-Fetch-Site": "cross-site"}
        assert allowed.post("/api/ingest", json=POSTED, headers=headers).status_code == 201
        other = {"Origin": "https://other.example.org", "Sec-Fetch-Site": "cross-site"}
        assert allowed.post("/api/ingest", json=POSTED, headers=other).status_code == 403


def test_reads_are_never_refused_for_their_origin(client: TestClient) -> None:
    response = client.get("/api/health", headers={"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 200 and "access-control-allow-origin" not in response.headers


# --- item 6: Host validation ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/health", "/", "/api/articles/", "/article/0123456789ab", "/static/akhbar.css"])
@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example"])
def test_another_host_gets_400_and_is_never_reflected(db: Path, host: str, path: str) -> None:
    with TestClient(create_app(db), base_url=f"http://{host}") as rebound:
        response = rebound.get(path, follow_redirects=False)
    assert response.status_code == 400
    assert "location" not in response.headers and "evil" not in response.text
    assert_secured(response)


def test_a_bad_host_is_refused_before_a_write(db: Path) -> None:
    with TestClient(create_app(db), base_url="http://evil.example:8000") as rebound:
        # DNS rebinding: the page's origin and the Host agree, and both name the attacker's domain
        response = rebound.post("/api/ingest", json=POSTED, headers={"Origin": "http://evil.example:8000"})
    assert response.status_code == 400 and response.json()["status"] == 400


def test_redirects_name_only_an_allowed_host(client: TestClient) -> None:
    response = client.get("/api/articles/", follow_redirects=False)  # Starlette redirects to drop the slash
    assert response.is_redirect and response.headers["location"] == BASE + "/api/articles"


@pytest.mark.parametrize("host", ["", "a b", "evil.example:99999", "[::1", "user@127.0.0.1"])
def test_a_malformed_host_is_refused(client: TestClient, host: str) -> None:
    assert client.get("/api/health", headers={"Host": host}).status_code == 400


def test_loopback_names_answer_by_default(db: Path) -> None:
    for base in ("http://127.0.0.1", "http://localhost:8123", "http://[::1]:8000", "http://LOCALHOST"):
        with TestClient(create_app(db), base_url=base) as local:
            assert local.get("/api/health").status_code == 200, base


def test_a_bound_server_answers_its_address_loopback_on_its_port_and_the_names_allowed(db: Path) -> None:
    config = ServeConfig.bound("192.0.2.7", 8000, ["news.example.org"])
    app = create_app(db, serve=config)
    answers = {
        "http://192.0.2.7:8000": 200,
        "http://127.0.0.1:8000": 200,
        "http://localhost:8000": 200,
        "http://[::1]:8000": 200,
        "https://news.example.org": 200,
        "http://news.example.org:8443": 200,  # a name alone allows any port
        "http://192.0.2.7:9000": 400,
        "http://localhost:9000": 400,
        "http://evil.example:8000": 400,
    }
    for base, status in answers.items():
        with TestClient(app, base_url=base) as bound:
            assert bound.get("/api/health").status_code == status, base


def test_the_config_travels_to_server_processes(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = ServeConfig.bound("127.0.0.1", 8000, ["news.example.org"], ["https://news.example.org"])
    assert ServeConfig.from_env(config.to_env()) == config
    monkeypatch.setenv("AKHBAR_SERVE_DB", str(db))
    monkeypatch.setenv(ENV, config.to_env())
    with TestClient(app_from_env(), base_url="https://news.example.org") as served:
        assert served.get("/api/health").status_code == 200
        headers = {"Origin": "https://news.example.org", "Sec-Fetch-Site": "same-origin"}
        assert served.post("/api/ingest", json=POSTED, headers=headers).status_code == 201
    with TestClient(app_from_env(), base_url="http://127.0.0.1:9000") as other_port:
        assert other_port.get("/api/health").status_code == 400


def test_parsing_hosts_and_origins() -> None:
    assert parse_host("News.Example.org:8000") == ("news.example.org", 8000)
    assert parse_host("[::1]:8000") == ("::1", 8000) and parse_host("::1") == ("::1", None)
    assert parse_host("localhost.") == ("localhost", None)
    for bad in ("", "a b", "x:0", "x:65536", "[::g]", "a/b", "evil.example#x"):
        assert parse_host(bad) is None, bad
    assert parse_origin("https://News.example.org:443") == ("https", "news.example.org", None)
    assert parse_origin("http://127.0.0.1:8000") == ("http", "127.0.0.1", 8000)
    for bad in ("null", "", "evil.example", "http://"):
        assert parse_origin(bad) is None, bad
    with pytest.raises(ValueError):
        ServeConfig(allowed_hosts=("not a host",))
    with pytest.raises(ValueError):
        ServeConfig(allowed_origins=("news.example.org",))


# --- item 7: only http(s) links --------------------------------------------------------------------------------------


@pytest.mark.parametrize("title", ["خبر برابط خبيث", "خبر برابط بيانات"])
def test_a_javascript_or_data_url_is_never_an_href(client: TestClient, title: str) -> None:
    page = client.get(f"/article/{article_id(client, title)}")
    assert page.status_code == 200 and title in page.text
    hrefs = re.findall(r"""href\s*=\s*["']?([^"'\s>]*)""", page.text, re.IGNORECASE)
    assert hrefs and all(h.startswith(("/", "#", "http://", "https://")) for h in hrefs), hrefs
    assert "javascript:" not in page.text.lower() and "data:text/html" not in page.text.lower()


def test_an_https_url_is_still_the_original_link(client: TestClient) -> None:
    page = client.get(f"/article/{article_id(client, 'خبر برابط عادي')}").text
    assert 'href="https://news.example.org/book-fair"' in page


# --- item 8: security headers on every response ----------------------------------------------------------------------


def test_headers_on_success_and_on_every_error(client: TestClient) -> None:
    some_id = article_id(client, "خبر برابط عادي")
    etag = client.get(f"/api/articles/{some_id}").headers["etag"]
    responses = {
        "200 api": client.get("/api/health"),
        "200 reader": client.get("/"),
        "200 static": client.get("/static/akhbar.css"),
        "304": client.get(f"/api/articles/{some_id}", headers={"If-None-Match": etag}),
        "404 api": client.get("/api/articles/0123456789abcdef0123"),
        "404 reader": client.get("/article/0123456789abcdef0123"),
        "404 static": client.get("/static/nothing.css"),
        "405": client.delete("/api/health"),
        "422 api": client.get("/api/articles", params={"page": 0}),
        "422 reader": client.get("/", params={"page": 0}),
        "400 body": client.post("/api/ingest", content=b"", headers={"Content-Type": "text/plain"}),
    }
    expected = {"200": 200, "304": 304, "404": 404, "405": 405, "422": 422, "400": 400}
    for name, response in responses.items():
        assert response.status_code == expected[name[:3]], name
        assert_secured(response)


def test_headers_on_413_from_a_declared_length(client: TestClient) -> None:
    response = client.post("/api/ingest", content=b"x" * (MAX_BODY_BYTES + 1), headers={"Content-Type": "text/plain"})
    assert response.status_code == 413 and response.json()["status"] == 413
    assert_secured(response)


def test_headers_on_413_from_a_streamed_body(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(6):
            yield b"x" * (1024 * 1024)

    response = client.post("/api/ingest", content=chunks(), headers={"Content-Type": "text/plain"})
    assert response.status_code == 413 and response.json()["status"] == 413
    assert_secured(response)


def _failing(db: Path) -> FastAPI:
    app = create_app(db)

    def boom() -> None:
        raise RuntimeError("secret detail from deep inside")

    app.add_api_route("/api/boom", boom)
    app.add_api_route("/boom", boom)
    return app


@pytest.mark.parametrize("path", ["/api/boom", "/boom"])
def test_headers_on_500_and_no_stack_trace(db: Path, path: str) -> None:
    with TestClient(_failing(db), base_url=BASE, raise_server_exceptions=False) as failing:
        response = failing.get(path)
    assert response.status_code == 500
    assert_secured(response)
    assert "secret detail" not in response.text and "Traceback" not in response.text
    if path.startswith("/api"):
        assert response.json()["status"] == 500
    else:
        assert '<html dir="rtl" lang="ar">' in response.text
