"""The web reader: server-rendered, right-to-left Arabic pages that work without JavaScript.

Pages: home (latest articles, active stories), article (laid out like the news page a reader knows: title, date in
Arabic with the outlet's zone, outlet and attribution, summary, body with its sub-headings, كلمات دلالية, إقرأ أيضاً,
"also reported by", the story's timeline), search (highlighted snippets; filters by outlet, date and entity),
entity (spellings, romanization, mentions per week as an inline SVG chart), story, tag. Jinja2 autoescapes every
value: article text and user input always render as text, and only http(s) URLs ever become links. Paths never
reach the filesystem (static files are served by Starlette from the package's own folder only).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from akhbar.arabic.grammar import articles_count
from akhbar.archive import Archive
from akhbar.serve.api import DAY, archive
from akhbar.store.base import ArticleFilter

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
ArchiveDep = Annotated[Archive, Depends(archive)]
PER_PAGE = 20

MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر")
TYPES = {"PERS": "شخص", "LOC": "مكان", "ORG": "مؤسسة", "MISC": "أخرى"}


def arabic_date(iso: str | None, *, time: bool = True) -> str:
    """``2023-09-13T09:30:00+03:00`` → ``13 سبتمبر 2023، 09:30 (غرينتش+3)``; the article's own zone, never
    converted; a date without a zone says so by saying none."""
    if not iso:
        return ""
    try:
        when = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    text = f"{when.day} {MONTHS[when.month - 1]} {when.year}"
    if time and (when.hour or when.minute):
        text += f"، {when:%H:%M}"
        offset = when.utcoffset()
        if offset is not None:
            hours, rest = divmod(int(offset.total_seconds()) // 60, 60)
            zone = "غرينتش" if not hours and not rest else f"غرينتش{hours:+d}" + (f":{rest:02d}" if rest else "")
            text += f" ({zone})"
    return text


def highlighted(snippet: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """A snippet cut into (text, is_match) pieces, for the template to escape and mark."""
    pieces: list[tuple[str, bool]] = []
    at = 0
    for start, end in sorted(spans):
        if start < at:
            continue
        if start > at:
            pieces.append((snippet[at:start], False))
        pieces.append((snippet[start:end], True))
        at = end
    if at < len(snippet):
        pieces.append((snippet[at:], False))
    return pieces


def weekly_chart(days: list[str], width: int = 640, height: int = 120) -> dict[str, Any]:
    """Mentions per week as bars: the data an inline SVG needs (numbers and labels only)."""
    parsed = sorted(date.fromisoformat(d[:10]) for d in days if d)
    if not parsed:
        return {"bars": [], "width": width, "height": height}
    first = parsed[0] - timedelta(days=parsed[0].weekday())
    weeks = Counter((d - first).days // 7 for d in parsed)
    span = max(weeks) + 1
    top = max(weeks.values())
    bar = width / span
    bars = [
        {
            "x": round(i * bar, 1),
            "w": max(1.0, round(bar - 1, 1)),
            "h": round((height - 20) * weeks[i] / top, 1),
            "y": round(height - 20 - (height - 20) * weeks[i] / top, 1),
            "n": weeks[i],
            "label": arabic_date((first + timedelta(weeks=i)).isoformat(), time=False),
        }
        for i in range(span)
        if weeks.get(i)
    ]
    return {
        "bars": bars,
        "width": width,
        "height": height,
        "first": arabic_date(first.isoformat(), time=False),
        "last": arabic_date(parsed[-1].isoformat(), time=False),
        "top": top,
    }


def web_url(url: object) -> bool:
    """A URL the reader may link to: http(s) only. ``javascript:``, ``data:`` and the rest (a scraped or posted
    article can carry any of them) are never an href, whatever the CSP would do with them."""
    return isinstance(url, str) and _WEB_URL.match(url) is not None


# Literally ``http://`` or ``https://`` first: a browser strips nothing before such a URL, so it reads the same scheme.
_WEB_URL = re.compile(r"https?://[^\s/?#\\]", re.IGNORECASE)

templates.env.filters["arabic_date"] = arabic_date
templates.env.tests["web_url"] = web_url
templates.env.filters["articles"] = articles_count
templates.env.globals["TYPES"] = TYPES


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status)


def error_page(request: Request, status: int, message: str) -> Response:
    titles = {
        400: "طلب غير صالح",
        403: "طلب مرفوض",
        404: "الصفحة غير موجودة",
        413: "الطلب أكبر من المسموح",
        422: "طلب غير صالح",
        500: "خطأ في الخادم",
    }
    return page(request, "error.html", status, title=titles.get(status, "خطأ"), message=message, code=status)


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request, archive: ArchiveDep, page_no: Annotated[int, Query(alias="page", ge=1, le=10_000)] = 1
) -> HTMLResponse:
    latest, total = archive.articles(limit=PER_PAGE, offset=(page_no - 1) * PER_PAGE)
    if not latest and page_no > 1:  # past the last page: not "no articles yet"
        raise HTTPException(404, f"لا توجد صفحة بهذا الرقم (آخر صفحة: {max(1, -(-total // PER_PAGE))})")
    stories = [s for s in archive.stories(limit=40) if s.size > 1][:8]
    return page(request, "home.html", latest=latest, total=total, stories=stories, page_no=page_no, per_page=PER_PAGE)


@router.get("/article/{article_id}", response_class=HTMLResponse)
def article(request: Request, article_id: str, archive: ArchiveDep) -> HTMLResponse:
    view = archive.view(article_id) if 6 <= len(article_id) <= 64 else None
    if view is None:
        raise HTTPException(404, "لا يوجد مقال بهذا المعرّف")
    story = archive.story(view.story.id) if view.story and view.story.size > 1 else None
    return page(request, "article.html", view=view, a=view.article, story=story)


@router.get("/search", response_class=HTMLResponse)
def search(
    request: Request,
    archive: ArchiveDep,
    q: Annotated[str, Query(max_length=500)] = "",
    outlet: Annotated[str, Query(max_length=200)] = "",
    since: Annotated[str, Query(max_length=10)] = "",
    until: Annotated[str, Query(max_length=10)] = "",
    entity: Annotated[str, Query(max_length=200)] = "",
    page_no: Annotated[int, Query(alias="page", ge=1, le=1000)] = 1,
) -> HTMLResponse:
    since = since if re.fullmatch(DAY, since) else ""
    until = until if re.fullmatch(DAY, until) else ""
    hits: list[Any] = []
    entity_record = archive.entity(entity) if entity.strip() else None
    suggestion = None
    if q.strip() and not (entity.strip() and entity_record is None):  # an entity no one knows: nothing matches
        where = ArticleFilter(outlet or None, None, entity_record.id if entity_record else None, since, until)
        hits, suggestion = archive.search_with_suggestion(
            q, limit=PER_PAGE, offset=(page_no - 1) * PER_PAGE, where=where
        )
    return page(
        request,
        "search.html",
        q=q,
        hits=[(h, highlighted(h.snippet, h.highlights)) for h in hits],
        outlets=archive.outlets(),
        outlet=outlet,
        since=since,
        until=until,
        entity=entity,
        entity_record=entity_record,
        page_no=page_no,
        per_page=PER_PAGE,
        suggestion=suggestion,
    )


@router.get("/entity/{ref}", response_class=HTMLResponse)
def entity(request: Request, ref: str, archive: ArchiveDep) -> HTMLResponse:
    record = archive.entity(ref) if 0 < len(ref) <= 200 else None
    if record is None:
        raise HTTPException(404, "لا يوجد كيان بهذا الاسم")
    chart = weekly_chart([p for _, _, p in record.articles if p])
    return page(request, "entity.html", e=record, chart=chart)


@router.get("/story/{story_id}", response_class=HTMLResponse)
def story(request: Request, story_id: int, archive: ArchiveDep) -> HTMLResponse:
    record = archive.story(story_id) if 0 < story_id < 2**62 else None
    if record is None:
        raise HTTPException(404, "لا توجد قصة بهذا الرقم")
    return page(request, "story.html", s=record)


@router.get("/stories", response_class=HTMLResponse)
def stories(request: Request, archive: ArchiveDep) -> HTMLResponse:
    return page(request, "stories.html", stories=archive.stories(limit=100))


@router.get("/tag/{text:path}", response_class=HTMLResponse)
def tag(
    request: Request,
    text: str,
    archive: ArchiveDep,
    page_no: Annotated[int, Query(alias="page", ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    if not 0 < len(text) <= 200:
        raise HTTPException(404, "وسم غير صالح")
    found, total = archive.articles(ArticleFilter(tag=text), limit=PER_PAGE, offset=(page_no - 1) * PER_PAGE)
    if not found and page_no == 1:
        raise HTTPException(404, "لا مقالات بهذا الوسم")
    return page(request, "tag.html", tag=text, articles=found, total=total, page_no=page_no, per_page=PER_PAGE)
