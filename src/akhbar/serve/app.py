"""The HTTP face of an archive: the REST API (``/api``, OpenAPI at ``/docs``) and the RTL web reader (``/``).

``create_app(db)`` builds one FastAPI application over one SQLite file. Requests run in a thread pool; each thread
opens its own connection (SQLite in WAL mode lets readers run beside the one writer), so a slow search never blocks
an article page. Every response carries a Content-Security-Policy that allows nothing but this origin; errors are
JSON (API) or a plain page (reader) with a message and the right status, never a stack trace.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

import akhbar
from akhbar.archive import Archive
from akhbar.pipeline import PipelineConfig
from akhbar.serve.limits import MAX_BODY_BYTES

log = logging.getLogger("akhbar.serve")
STATIC = Path(__file__).parent / "static"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self';"
    " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


class Archives:
    """One archive (SQLite connection) per worker thread, all on the same file."""

    def __init__(self, db: str | Path, config: PipelineConfig | None = None) -> None:
        self.db = str(db)
        self.config = config
        self._local = threading.local()
        self._all: list[Archive] = []
        self._lock = threading.Lock()
        self._generation = 0
        akhbar.open(self.db, config).close()  # create or check the schema once, up front: errors surface here

    def get(self) -> Archive:
        archive: Archive | None = getattr(self._local, "archive", None)
        if archive is None or getattr(self._local, "generation", -1) != self._generation:
            archive = akhbar.open(self.db, self.config)
            self._local.archive = archive
            self._local.generation = self._generation
            with self._lock:
                self._all.append(archive)
        return archive

    def close(self) -> None:
        """Close every connection (at shutdown); a later request opens a new one (an app can be restarted)."""
        with self._lock:
            self._generation += 1
            for archive in self._all:
                archive.close()
            self._all.clear()


class SecurityHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        length = request.headers.get("content-length")
        if length is not None and length.isascii() and length.isdigit() and int(length) > MAX_BODY_BYTES:
            return _error(request, 413, f"request body over {MAX_BODY_BYTES // (1024 * 1024)} MB")
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        return response


def _error(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api"):
        return JSONResponse({"error": message, "status": status}, status_code=status)
    from akhbar.serve.web import error_page  # the reader's own page, in Arabic

    return error_page(request, status, message)


def create_app(db: str | Path, config: PipelineConfig | None = None) -> FastAPI:
    from akhbar.serve.api import router as api_router
    from akhbar.serve.web import router as web_router

    archives = Archives(db, config)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        archives.close()

    app = FastAPI(
        lifespan=lifespan,
        title="akhbar",
        summary="Arabic news engine: clean, structured, linked, searchable Arabic news.",
        version=akhbar.__version__,
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.archives = archives
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api_router)
    app.include_router(web_router)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        return _error(request, error.status_code, str(error.detail))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()) if p not in ('query', 'path', 'body'))}: {e.get('msg')}"
            for e in error.errors()
        )
        return _error(request, 422, problems or "invalid request")

    @app.exception_handler(Exception)
    async def server_error(request: Request, error: Exception) -> Response:
        log.exception("error serving %s", request.url.path)
        return _error(request, 500, "internal error (logged on the server)")

    return app


def app_from_env() -> FastAPI:
    """The app over ``$AKHBAR_SERVE_DB`` (how ``akhbar serve`` hands the database to each server process)."""
    import os

    return create_app(os.environ.get("AKHBAR_SERVE_DB", "akhbar.db"))
