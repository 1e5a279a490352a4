"""The API's documentation pages, served from this server alone: Swagger UI at ``/docs`` and ReDoc at ``/redoc``.

FastAPI's own pages load their scripts from a CDN and start them with an inline script; the reader's
Content-Security-Policy (scripts from this origin only) blocks both, and a machine without internet could not load
them anyway. The assets come from the ``fastapi-offline`` package (Swagger UI and ReDoc bundles, MIT) at
``/docs-assets``; Swagger UI is started by ``/static/swagger-init.js``. Both bundles set inline styles, and ReDoc
runs its search in a worker made from a ``blob:`` URL: ``akhbar.serve.security.DOCS_CSP`` allows exactly that on
these two pages, and scripts stay this origin's only.
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import APIRouter
from fastapi.responses import HTMLResponse

ASSETS = Path(fastapi_offline.__file__).resolve().parent / "static"

router = APIRouter(include_in_schema=False)

_SWAGGER = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>akhbar API</title>
<link rel="stylesheet" href="/docs-assets/swagger-ui.css"><link rel="icon" href="/docs-assets/favicon.png"></head>
<body><div id="swagger-ui"></div>
<script src="/docs-assets/swagger-ui-bundle.js"></script><script src="/static/swagger-init.js"></script>
</body></html>
"""

_REDOC = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>akhbar API</title>
<link rel="icon" href="/docs-assets/favicon.png"></head>
<body><redoc spec-url="/openapi.json"></redoc><script src="/docs-assets/redoc.standalone.js"></script></body></html>
"""


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui() -> HTMLResponse:
    return HTMLResponse(_SWAGGER)


@router.get("/redoc", response_class=HTMLResponse)
def redoc() -> HTMLResponse:
    return HTMLResponse(_REDOC)
