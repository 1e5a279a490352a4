"""The web reader in a real browser: Debian's Chromium driven by Playwright, against ``akhbar serve`` on loopback.

Needs ``/usr/bin/chromium`` (``.ci/run`` installs it; elsewhere: ``apt-get install chromium``) - skipped with that
reason when absent; a test tool's own browser download cannot work offline. Screenshots at desktop and phone width go
to ``test-artifacts/`` (or ``$AKHBAR_TEST_ARTIFACTS``).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import akhbar

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CHROMIUM = Path(os.environ.get("AKHBAR_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(os.environ.get("AKHBAR_TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "test-artifacts"))
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
XSS = {
    "title": '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> خبر مفخخ',
    "text": "فقرة فيها <script>window.__pwned=3</script> ونص عادي عن <b>الاقتصاد</b> والأسواق في المنطقة العربية.",
    "url": "https://xss.test/article",
}

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, shared_root_or_none: Path | None) -> Iterator[str]:
    import uvicorn

    from akhbar.serve.app import create_app

    db = tmp_path_factory.mktemp("browser") / "reader.db"
    inputs: list[Any] = [EXAMPLES]
    if shared_root_or_none is not None:
        inputs.append(shared_root_or_none / "samples" / "000_3a0885cf1020a608.txt")
    with akhbar.open(db) as archive:
        archive.ingest(inputs)
    port = _free_port()
    uv = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar")
    page = context.new_page()
    yield page
    context.close()


def _article_id(page: Any, server: str, query: str) -> str:
    response = page.request.get(f"{server}/api/search", params={"q": query, "per_page": 1})
    return str(response.json()["items"][0]["id"])


def test_article_page_like_the_sample(page: Any, server: str, shared_root_or_none: Path | None) -> None:
    query = "الدب الروسي يلتقي صاحب الصواريخ" if shared_root_or_none is not None else "فوستوتشني"
    article_id = _article_id(page, server, query)
    page.goto(f"{server}/article/{article_id}")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").first.inner_text().strip()
    tags = page.locator("section.tags:not(.page-tags) a.tag")
    assert 3 <= tags.count() <= 8
    if shared_root_or_none is not None:  # the sample page's own tags are shown as the page gave them
        assert page.locator("section.page-tags a.tag").count() >= 3
    read_also = page.locator("section.read-also ul.articles > li > a")
    assert read_also.count() >= 3
    for link in page.locator("section.read-also a").all():  # every link leads to a page the archive holds
        assert page.request.get(server + str(link.get_attribute("href"))).status == 200
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "article-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "article-phone.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, "no sideways scrolling at phone width"

    entity_tag = page.locator("section.tags a.tag.entity").first
    name = entity_tag.inner_text().strip()
    entity_tag.click()
    page.wait_for_load_state()
    assert "/entity/" in page.url and name in page.locator("h1").inner_text()
    assert page.locator("svg.chart").count() == 1

    page.go_back()
    first_related = page.locator("section.read-also ul.articles > li > a").first
    title = first_related.inner_text().strip()
    first_related.click()
    page.wait_for_load_state()
    assert "/article/" in page.url and page.locator("h1").first.inner_text().strip() == title


@pytest.mark.parametrize(("query", "expected"), [("بيونغ يانغ", "بيونغ"), ("Kim Jong Un", "كيم")])
def test_search_from_the_header_form(page: Any, server: str, query: str, expected: str) -> None:
    page.goto(server)
    page.fill("header form.search input[name=q]", query)
    page.click("header form.search button")
    page.wait_for_load_state()
    hits = page.locator("ol.hits > li")
    assert hits.count() >= 3
    marks = page.locator("ol.hits mark")
    assert marks.count() >= 1
    assert any(expected in hits.nth(i).inner_text() for i in range(hits.count()))


def test_scraped_script_renders_inert(page: Any, server: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    stored = page.request.post(f"{server}/api/ingest", data=XSS).json()["articles"][0]
    page.goto(f"{server}/article/{stored['id']}")
    assert page.evaluate("window.__pwned === undefined")
    assert not dialogs
    assert "<script>" in page.locator("h1").inner_text()  # shown as text, as written
    page.goto(f"{server}/search?q=" + "%3Cscript%3Ewindow.__pwned%3D4%3C%2Fscript%3E")
    assert page.evaluate("window.__pwned === undefined")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "xss-inert.png"))


def test_home_and_story_pages(page: Any, server: str) -> None:
    page.goto(server)
    assert page.locator("main h1").inner_text().strip() == "آخر الأخبار"
    assert page.locator("main ul.articles > li").count() == 20
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home-desktop.png"))
    story_link = page.locator("aside ul.stories a").first
    if story_link.count():
        story_link.click()
        page.wait_for_load_state()
        assert "/story/" in page.url and page.locator(".timeline li").count() >= 2


@pytest.mark.parametrize(("path", "rendered"), [("/docs", ".opblock"), ("/redoc", "[data-section-id]")])
def test_api_docs_render_from_this_server_under_its_policy(page: Any, server: str, path: str, rendered: str) -> None:
    """/docs (Swagger UI) and /redoc show the API's operations: their assets come from this server and nothing is
    refused by the Content-Security-Policy (a blank page was all a reader got when they came from a CDN)."""
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((server, "data:", "blob:")) else None)
    page.goto(f"{server}{path}")
    page.wait_for_selector(rendered, timeout=15000)
    assert page.locator(rendered).count() > 5
    # ReDoc's "powered by" logo is fetched from its maker's CDN: the policy refuses it and ReDoc hides the image.
    badge = "https://cdn.redoc.ly/redoc/logo-mini.svg"
    assert not [m for m in refused if badge not in m] and not [u for u in outside if u != badge], (refused, outside)


def test_the_search_box_shows_its_whole_hint_on_a_small_phone(page: Any, server: str) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(server + "/")
    room, needed = page.evaluate(
        """() => { const box = document.querySelector('#q'); const style = getComputedStyle(box);
        const ruler = document.createElement('canvas').getContext('2d'); ruler.font = style.font;
        const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
        return [box.clientWidth - padding, ruler.measureText(box.placeholder).width]; }"""
    )
    assert needed <= room, "the placeholder is cut off"
