"""The REST API: ``/api/...``, JSON in and out, described at ``/docs`` (OpenAPI).

Lists are paged (``page`` from 1, ``per_page`` up to 100) in a stable order, one shape everywhere: ``items``,
``page``, ``per_page``, ``has_more``, and ``total`` where the archive counts it (articles). Items of a ranked list
(search, related) carry their ``score``; plain lists do not. Article
responses carry an ETag (a hash of the body) and answer ``If-None-Match`` with 304. Errors are
``{"error": message, "status": code}`` with 400/404/413/422 as fits; nothing else is ever exposed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from akhbar.archive import Archive, IngestReport
from akhbar.ingest.detect import read_text_document
from akhbar.pipeline import PipelineConfig
from akhbar.serve.limits import MAX_BODY_BYTES
from akhbar.serve.pool import Archives
from akhbar.store.base import ArticleFilter

router = APIRouter(prefix="/api", tags=["api"])

DAY = r"^\d{4}-\d{2}-\d{2}$"
MAX_PER_PAGE = 100
Page = Annotated[int, Query(ge=1, le=10_000, description="Page number, from 1.")]
PerPage = Annotated[int, Query(ge=1, le=MAX_PER_PAGE, description="Items per page.")]
# Any string is looked up (a mistyped id is "no such article", 404, not a validation error); ids are short.
ArticleId = Annotated[str, Path(min_length=1, max_length=64, description="Article id, or a unique prefix of 6+.")]


def archive(request: Request) -> Iterator[Archive]:
    """A read-only archive lent to this request (see :mod:`akhbar.serve.pool`): reads never write."""
    archives: Archives = request.app.state.archives
    with archives.reading() as lent:
        yield lent


ArchiveDep = Annotated[Archive, Depends(archive)]


def _page(items: list[Any], page: int, per_page: int, has_more: bool, total: int | None = None) -> dict[str, Any]:
    """One page of a list, in the one shape every list answers in."""
    out = {"items": items, "page": page, "per_page": per_page, "has_more": has_more}
    if total is not None:
        out["total"] = total
    return out


@router.get("/health", summary="Liveness and a count of stored articles")
def health(archive: ArchiveDep) -> dict[str, Any]:
    """``analysis_outdated``: some articles were analyzed by another version of akhbar, so one name may stand for
    two entities until ``akhbar reindex``."""
    return {"status": "ok", "articles": archive.store.size(), "analysis_outdated": archive.analysis_outdated}


def article_filter(
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    tag: Annotated[str | None, Query(max_length=200, description="A tag, any spelling.")] = None,
    entity: Annotated[int | None, Query(ge=1, le=2**62, description="An entity id.")] = None,
    since: Annotated[str | None, Query(pattern=DAY, description="First publication day, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, Query(pattern=DAY, description="Last publication day, YYYY-MM-DD.")] = None,
) -> ArticleFilter:
    """The filters a list or a search takes, as query parameters."""
    return ArticleFilter(outlet, tag, entity, since, until)


Filters = Annotated[ArticleFilter, Depends(article_filter)]


@router.get("/articles", summary="Articles, newest first, with filters")
def list_articles(archive: ArchiveDep, where: Filters, page: Page = 1, per_page: PerPage = 20) -> dict[str, Any]:
    refs, total = archive.articles(where, limit=per_page, offset=(page - 1) * per_page)
    items = [{k: v for k, v in r.to_json().items() if k != "score"} for r in refs]  # newest first: no score
    return _page(items, page, per_page, page * per_page < total, total)


@router.get("/articles/{article_id}", summary="One article with its summary, tags, entities and links")
def get_article(article_id: ArticleId, request: Request, archive: ArchiveDep) -> Response:
    view = archive.view(article_id) if article_id.isprintable() else None
    if view is None:
        raise HTTPException(404, f"no article {article_id}")
    body = json.dumps(view.to_json(), ensure_ascii=False).encode("utf-8")
    etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers={"ETag": etag})
    return Response(body, media_type="application/json", headers={"ETag": etag, "Cache-Control": "no-cache"})


@router.get("/articles/{article_id}/related", summary="Related articles (read also), with reasons")
def get_related(
    article_id: ArticleId, archive: ArchiveDep, k: Annotated[int, Query(ge=1, le=50)] = 5
) -> dict[str, Any]:
    article = archive.get(article_id) if article_id.isprintable() else None
    if article is None:
        raise HTTPException(404, f"no article {article_id}")
    return {"id": article.id, "items": [r.to_json() for r in archive.related(article.id, k=k)]}


@router.get("/search", summary="Arabic-aware full-text search; Latin names find Arabic spellings; with filters")
def search(
    archive: ArchiveDep,
    q: Annotated[str, Query(min_length=1, max_length=500, description="Query; quoted words are a phrase.")],
    where: Filters,
    page: Page = 1,
    per_page: PerPage = 10,
) -> dict[str, Any]:
    hits, suggestion = archive.search_with_suggestion(q, limit=per_page + 1, offset=(page - 1) * per_page, where=where)
    return {
        "query": q,
        "suggestion": suggestion,  # «هل تقصد»: the query with a misspelt name spelled as the archive knows it
        **_page([h.to_json() for h in hits[:per_page]], page, per_page, len(hits) > per_page),
    }


@router.get(
    "/entities/{ref}",
    summary="An entity by id, any spelling (Arabic or Latin) or a word of a person's name",
    responses={
        300: {"description": "a name word several people's names have: `candidates` lists them"},
        404: {"description": "no such entity"},
    },
)
def get_entity(ref: Annotated[str, Path(min_length=1, max_length=200)], archive: ArchiveDep) -> Any:
    record = archive.entity(ref)
    if record is None:
        candidates = archive.entity_candidates(ref)
        if candidates:  # a word several people's names have: whom it could mean, most mentioned first
            items = [{"id": c.id, "name": c.name, "type": c.type, "articles": c.article_count} for c in candidates]
            return JSONResponse({"error": f"{ref} names several entities", "status": 300, "candidates": items}, 300)
        raise HTTPException(404, f"no entity {ref}")
    return record.to_json()


@router.get("/stories", summary="Stories, most recently active first")
def list_stories(
    archive: ArchiveDep,
    since: Annotated[str | None, Query(pattern=DAY)] = None,
    page: Page = 1,
    per_page: PerPage = 20,
) -> dict[str, Any]:
    found = archive.stories(since=since, limit=per_page + 1, offset=(page - 1) * per_page)
    return _page([s.to_json() for s in found[:per_page]], page, per_page, len(found) > per_page)


@router.get("/stories/{story_id}", summary="A story: its articles in time order, outlets, entities")
def get_story(story_id: Annotated[int, Path(ge=1, le=2**62)], archive: ArchiveDep) -> dict[str, Any]:
    record = archive.story(story_id)
    if record is None:
        raise HTTPException(404, f"no story {story_id}")
    return record.to_json()


# Content types → the name the reader detection sees (it picks the reader from name and first bytes).
_SOURCES = {"text/html": "posted.html", "application/xhtml+xml": "posted.html", "application/json": "posted.jsonl"}


@router.post(
    "/ingest",
    summary="Store a posted document: a text page (text/plain), HTML (text/html) or JSON article(s)",
    status_code=201,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/plain": {"schema": {"type": "string"}},
                "text/html": {"schema": {"type": "string"}},
                "application/json": {"schema": {"type": "object"}},
            },
        }
    },
    responses={
        201: {"description": "stored"},
        413: {"description": "too large"},
        415: {"description": "not a text page, HTML or JSON"},
        422: {"description": "unreadable"},
    },
)
async def ingest(request: Request) -> JSONResponse:
    received = bytearray()
    async for chunk in request.stream():  # a body sent without Content-Length is capped here as well
        received += chunk
        if len(received) > MAX_BODY_BYTES:
            raise HTTPException(413, f"request body over {MAX_BODY_BYTES // (1024 * 1024)} MB")
    data = bytes(received)
    if not data.strip():
        raise HTTPException(400, "empty body: post a text page, an HTML page or a JSON article")
    kind = request.headers.get("content-type", "text/plain").split(";")[0].strip().lower()
    if kind not in _SOURCES and kind != "text/plain":
        raise HTTPException(
            415, f"unsupported content type {kind[:60]!r}: post text/plain, text/html or application/json"
        )
    source = _SOURCES.get(kind, "posted.txt")
    if source.endswith(".jsonl"):
        try:
            parsed = json.loads(data)
        except (ValueError, UnicodeDecodeError) as error:
            raise HTTPException(400, f"invalid JSON: {error}") from None
        except RecursionError:
            raise HTTPException(400, "invalid JSON: nested too deep") from None
        items = parsed if isinstance(parsed, list) else [parsed]
        if not items or not all(isinstance(i, dict) for i in items):
            raise HTTPException(422, "a JSON article is an object (or a list of objects) with title and text")
        # ASCII escapes: a lone surrogate ("\ud800") stays an escape for the JSONL reader to judge, not an error here.
        data = "\n".join(json.dumps(i) for i in items).encode("ascii")
    body, status = await run_in_threadpool(_store_posted, request.app.state.archives, data, source)
    return JSONResponse(body, status_code=status)


def _store_posted(archives: Archives, data: bytes, source: str) -> tuple[dict[str, Any], int]:
    """Parse, analyze, store and link a posted document (in a worker thread: it is CPU work), through the one
    writer; the answer is read back through it too (it sees its own writes)."""
    config = archives.config or PipelineConfig()
    records = list(read_text_document(data, source, config.read))
    with archives.writing() as archive:  # what could not be read is answered to the poster, not quarantined
        report = archive.ingest_records(records, quarantine=False)
        return _posted_answer(archive, report)


def _posted_answer(archive: Archive, report: IngestReport) -> tuple[dict[str, Any], int]:
    failures = report.failures
    stored = report.ids or []
    views = [v.to_json() for v in (archive.view(i) for i in dict.fromkeys(stored)) if v is not None]
    body = {
        "new": report.new,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "articles": views,
        "failures": [{"position": f.position, "reason": f.reason} for f in failures],
    }
    return body, 201 if stored else 422
