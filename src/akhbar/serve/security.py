"""What the HTTP server checks before any route runs, and the headers every response carries.

``Guard`` is a plain ASGI middleware around the whole application (outside Starlette's error handling, so a 500
gets the headers too). For each HTTP request, in order:

- ``Host`` must name this server (``ServeConfig.allowed_hosts``): another name is a DNS-rebinding page or a proxy
  sending what it should not; 400, and the name is never echoed back or used to build a URL.
- a write (any method but GET/HEAD/OPTIONS) from a browser must come from this origin or one the operator allows:
  ``Origin``, when sent, must be ``scheme://host[:port]`` of this request (or listed in ``allowed_origins``);
  ``Sec-Fetch-Site: cross-site``/``same-site`` is refused unless the origin is listed. A request with neither header
  (curl, scripts) is not a browser's and goes on. 403.
- a declared ``Content-Length`` over ``MAX_BODY_BYTES`` is refused before the body is read (413); a body streamed
  without a length is capped where it is read.

Every response, whatever sent it (a route, an error handler, this guard), gets ``SECURITY_HEADERS`` on its
``http.response.start`` message.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from akhbar.serve.limits import MAX_BODY_BYTES

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self';"
    " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# The API documentation pages (akhbar.serve.docs): the same, but the Swagger UI and ReDoc bundles set inline styles
# and ReDoc searches in a worker made from a blob: URL.
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'") + "; worker-src 'self' blob:"
DOCS_PAGES = frozenset({"/docs", "/redoc"})
SECURITY_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
)
LOOPBACK = ("127.0.0.1", "localhost", "::1")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
ENV = "AKHBAR_SERVE_CONFIG"

# host[:port], host a DNS name, an IPv4 address or a bracketed IPv6 address.
_HOST = re.compile(r"(?P<name>[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?\.?|\[[0-9a-f:.]+\])(?::(?P<port>[0-9]{1,5}))?", re.I)
_ORIGIN = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*)://(?P<host>[^/?#@\s]+)", re.I)


def parse_host(value: str) -> tuple[str, int | None] | None:
    """``"News.example.org:8000"`` → ``("news.example.org", 8000)``; ``"[::1]"`` → ``("::1", None)``; a bare
    IPv6 address (``"::1"``, as an operator may write it) reads too; anything else → None."""
    value = value.strip()
    if value.count(":") > 1 and not value.startswith("["):
        value = f"[{value}]"
    match = _HOST.fullmatch(value)
    if match is None:
        return None
    port = int(match["port"]) if match["port"] else None
    if port is not None and not 0 < port < 65536:
        return None
    return match["name"].lower().strip("[]").rstrip("."), port


def parse_origin(value: str) -> tuple[str, str, int | None] | None:
    """``"https://News.example.org:443"`` → ``("https", "news.example.org", None)`` (a scheme's default port is
    dropped, so origins compare as browsers write them); ``"null"`` or anything else → None."""
    match = _ORIGIN.fullmatch(value.strip().rstrip("/"))
    host = parse_host(match["host"]) if match else None
    if match is None or host is None:
        return None
    scheme = match["scheme"].lower()
    name, port = host
    return scheme, name, None if port == DEFAULT_PORTS.get(scheme) else port


@dataclass(frozen=True, slots=True)
class ServeConfig:
    """What the server accepts. ``allowed_hosts``: ``Host`` values, ``name`` (any port) or ``name:port``; the
    default allows the loopback names only. ``allowed_origins``: origins other than the server's own whose pages
    may write (``POST /api/ingest``), as ``scheme://host[:port]``."""

    allowed_hosts: tuple[str, ...] = LOOPBACK
    allowed_origins: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for host in self.allowed_hosts:
            if parse_host(host) is None:
                raise ValueError(f"not a host name (name or name:port): {host!r}")
        for origin in self.allowed_origins:
            if parse_origin(origin) is None:
                raise ValueError(f"not an origin (scheme://host[:port]): {origin!r}")

    @classmethod
    def bound(
        cls, host: str, port: int, allowed_hosts: Iterable[str] = (), allowed_origins: Iterable[str] = ()
    ) -> ServeConfig:
        """For a server listening on ``host:port``: that address and the loopback names on that port, and the
        names the operator adds (a reverse proxy's public name)."""
        bound = [f"[{h}]:{port}" if ":" in h else f"{h}:{port}" for h in (host, *LOOPBACK)]
        return cls(tuple(dict.fromkeys([*bound, *allowed_hosts])), tuple(dict.fromkeys(allowed_origins)))

    def to_env(self) -> str:
        return json.dumps({"allowed_hosts": self.allowed_hosts, "allowed_origins": self.allowed_origins})

    @classmethod
    def from_env(cls, value: str | None) -> ServeConfig:
        """The configuration ``akhbar serve`` hands to its server processes (``$AKHBAR_SERVE_CONFIG``)."""
        if not value:
            return cls()
        data: dict[str, Any] = json.loads(value)
        return cls(tuple(data.get("allowed_hosts", LOOPBACK)), tuple(data.get("allowed_origins", ())))


ErrorResponse = Callable[[Request, int, str], Response]


class Guard:
    """The checks above and the security headers, as one ASGI middleware; ``error`` builds an error response (JSON
    under /api, the reader's page elsewhere)."""

    def __init__(self, app: ASGIApp, config: ServeConfig, error: ErrorResponse) -> None:
        self.app = app
        self.error = error
        hosts = [parse_host(h) for h in config.allowed_hosts]
        self.hosts = frozenset(h for h in hosts if h is not None)
        origins = [parse_origin(o) for o in config.allowed_origins]
        self.origins = frozenset(o for o in origins if o is not None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS:
                    headers[name] = value
                if scope["path"] in DOCS_PAGES:
                    headers["Content-Security-Policy"] = DOCS_CSP
            await send(message)

        refusal = self.refusal(scope)
        if refusal is None:
            await self.app(scope, receive, send_secured)
            return
        status, message = refusal
        await self.error(Request(scope, receive), status, message)(scope, receive, send_secured)

    def refusal(self, scope: Scope) -> tuple[int, str] | None:
        headers = Headers(scope=scope)
        host = parse_host(headers.get("host", ""))
        if host is None or (host not in self.hosts and (host[0], None) not in self.hosts):
            return 400, "this server does not answer to that host name"
        if scope["method"] not in SAFE_METHODS and not self._same_origin(scope, headers, host):
            return 403, "cross-origin write refused: post from this site's own pages or from a script"
        length = headers.get("content-length")
        if length is not None and length.isascii() and length.isdigit() and int(length) > MAX_BODY_BYTES:
            return 413, f"request body over {MAX_BODY_BYTES // (1024 * 1024)} MB"
        return None

    def _same_origin(self, scope: Scope, headers: Headers, host: tuple[str, int | None]) -> bool:
        sent = headers.get("origin")
        site = headers.get("sec-fetch-site", "").strip().lower()
        origin = parse_origin(sent) if sent is not None else None
        if origin is not None and origin in self.origins:
            return True  # a page the operator trusts, wherever it is
        if sent is not None:
            scheme = str(scope.get("scheme", "http")).lower()
            name, port = host
            own = (scheme, name, None if port == DEFAULT_PORTS.get(scheme) else port)
            if origin != own:
                return False
        return site not in ("cross-site", "same-site")


__all__ = [
    "CSP",
    "DOCS_CSP",
    "DOCS_PAGES",
    "LOOPBACK",
    "SECURITY_HEADERS",
    "Guard",
    "ServeConfig",
    "parse_host",
    "parse_origin",
]
