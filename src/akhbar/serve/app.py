"""The HTTP face of an archive: the REST API (``/api``, OpenAPI at ``/docs``) and the RTL web reader (``/``).

``create_app(db)`` builds one FastAPI application over one archive. Requests run in a thread pool; each read borrows
a read-only connection for its length and never writes (see :mod:`akhbar.serve.pool`; SQLite in WAL mode lets
readers run beside the one writer), so a slow search never blocks an article page, and an ingest never blocks either.
Before any route runs, ``security.Guard`` checks the ``Host`` name, refuses cross-origin writes
and oversized bodies; every response carries a Content-Security-Policy that allows nothing but this origin and the
other security headers; errors are JSON (API) or a plain page (reader) with a message and the right status, never a
stack trace.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp

import akhbar
from akhbar.pipeline import PipelineConfig
from akhbar.serve.pool import Archives
from akhbar.serve.security import CSP, ENV, Guard, ServeConfig
from akhbar.store.base import StoreBusy

log = logging.getLogger("akhbar.serve")
STATIC = Path(__file__).parent / "static"
__all__ = ["CSP", "ServeConfig", "app_from_env", "create_app"]


class _App(FastAPI):
    """FastAPI with ``Guard`` (host and origin checks, body cap, security headers) outside its whole middleware
    stack: outside Starlette's ServerErrorMiddleware too, so a 500 carries the headers like every other response."""

    serve_config: ServeConfig = ServeConfig()

    def build_middleware_stack(self) -> ASGIApp:
        return Guard(super().build_middleware_stack(), self.serve_config, _error)


def _error(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api"):
        return JSONResponse({"error": message, "status": status}, status_code=status)
    from akhbar.serve.web import error_page  # the reader's own page, in Arabic

    return error_page(request, status, message)


def create_app(db: str | Path, config: PipelineConfig | None = None, serve: ServeConfig | None = None) -> FastAPI:
    """The application over ``db``. ``serve`` says which ``Host`` names it answers to and which other origins may
    write; by default the loopback names (127.0.0.1, localhost, ::1) on any port, and no other origin."""
    from akhbar.serve.api import router as api_router
    from akhbar.serve.docs import ASSETS as DOCS_ASSETS
    from akhbar.serve.docs import router as docs_router
    from akhbar.serve.web import router as web_router

    archives = Archives(db, config)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        archives.close()

    app = _App(
        lifespan=lifespan,
        title="akhbar",
        summary="Arabic news engine: clean, structured, linked, searchable Arabic news.",
        version=akhbar.__version__,
        docs_url=None,  # served by akhbar.serve.docs, from this server (FastAPI's pages load from a CDN)
        redoc_url=None,
    )
    app.state.archives = archives
    app.serve_config = serve or ServeConfig()
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.mount("/docs-assets", StaticFiles(directory=DOCS_ASSETS), name="docs-assets")
    app.include_router(docs_router)
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

    @app.exception_handler(StoreBusy)
    async def busy(request: Request, error: StoreBusy) -> Response:
        log.warning("%s", error)
        response = _error(request, 503, "the archive is busy with another writer; try again shortly")
        response.headers["Retry-After"] = "10"
        return response

    @app.exception_handler(Exception)
    async def server_error(request: Request, error: Exception) -> Response:
        log.exception("error serving %s", request.url.path)
        return _error(request, 500, "internal error (logged on the server)")

    return app


def app_from_env() -> FastAPI:
    """The app over ``$AKHBAR_SERVE_DB`` with ``$AKHBAR_SERVE_CONFIG`` (how ``akhbar serve`` hands the database and
    its host/origin settings to each server process)."""
    import os

    from akhbar.serve import search_index_folder

    return create_app(
        os.environ.get("AKHBAR_SERVE_DB", "akhbar.db"),
        PipelineConfig(search_index=search_index_folder()),
        serve=ServeConfig.from_env(os.environ.get(ENV)),
    )
