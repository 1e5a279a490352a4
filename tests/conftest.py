"""Shared fixtures. Data written by others lives in ../shared (beside the repo) and is never copied in here."""

from __future__ import annotations

import itertools
import os
import secrets
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
TEST_DATA = Path(__file__).resolve().parent / "data"


def _shared_root() -> Path:
    return Path(os.environ.get("AKHBAR_SHARED", REPO.parent / "shared"))


@pytest.fixture(scope="session")
def shared_root() -> Path:
    root = _shared_root()
    if not root.is_dir():
        pytest.skip(f"../shared not found at {root} (set AKHBAR_SHARED); tests on real data are skipped")
    return root


@pytest.fixture(scope="session")
def shared_root_or_none() -> Path | None:
    """../shared when present (tests that can use real data but do not need it)."""
    root = _shared_root()
    return root if root.is_dir() else None


@pytest.fixture(scope="session")
def shared_data(shared_root: Path) -> Path:
    data = shared_root / "data"
    if not data.is_dir():
        pytest.skip(f"{data} not found; tests on the shared datasets are skipped")
    return data


@pytest.fixture(scope="session")
def seed_sample(shared_root: Path) -> Path:
    path = shared_root / "samples" / "000_3a0885cf1020a608.txt"
    if not path.is_file():
        pytest.skip(f"seed sample {path} not found")
    return path


# --- the store backends: every store/archive test runs on SQLite and on PostgreSQL -----------------------------------

POSTGRES_ENV = "AKHBAR_TEST_POSTGRES"
POSTGRES_SKIPPED = (
    "PostgreSQL store tests: set AKHBAR_TEST_POSTGRES=postgresql://USER:PASS@127.0.0.1/DB (a database they may create"
    " schemas in) to run them"
)
BACKENDS = ["sqlite", "postgresql"]


def postgres_server() -> str:
    """The URL of the PostgreSQL database tests may create schemas in; skips the test when it is not set, and fails
    it under CI (CI must run both backends, never skip one silently)."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(
                "AKHBAR_TEST_POSTGRES is not set, but CI is: CI must run the PostgreSQL store tests", pytrace=False
            )
        pytest.skip(POSTGRES_SKIPPED)
    return url


def with_options(url: str, options: str) -> str:
    """``url`` with libpq ``options`` added (e.g. ``-c search_path=...``), still a ``postgresql://`` URL."""
    parts = urlsplit(url)
    query = [*parse_qsl(parts.query), ("options", options)]
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A fresh schema, dropped afterwards: the URL of the test database with that schema as its search path, so that
    every test sees an empty database and tests never see each other's data."""
    import psycopg

    server = postgres_server()
    schema = f"t_{secrets.token_hex(8)}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}".encode())
    try:
        yield with_options(server, f"-c search_path={schema}")
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(b"SET lock_timeout = '20s'")
            admin.execute(f"DROP SCHEMA {schema} CASCADE".encode())


@contextmanager
def backend_db(backend: str, path: Path) -> Iterator[str]:
    """What ``--db`` names for a backend: the SQLite file ``path``, or a URL of a fresh PostgreSQL schema."""
    if backend == "sqlite":
        yield str(path)
    else:
        with postgres_schema() as url:
            yield url


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    if name == "postgresql":
        postgres_server()  # skip (or fail under CI) before building anything
    return name


@pytest.fixture
def new_db(backend: str, tmp_path: Path) -> Iterator[Callable[[], str]]:
    """Makes databases of the test's backend (each call a new one), all removed after the test."""
    with ExitStack() as stack:
        count = itertools.count()

        def make() -> str:
            return stack.enter_context(backend_db(backend, tmp_path / f"db{next(count)}.db"))

        yield make


@pytest.fixture
def store_db(new_db: Callable[[], str]) -> str:
    """A new, empty database of the test's backend: a SQLite path or a PostgreSQL URL (for ``akhbar.open``)."""
    return new_db()


# --- the reliability suite (issue 16): `pytest -m reliability` -------------------------------------------------------

# Each module reproduces failures found by trying akhbar as an attacker and a heavy user would; all run in CI.
RELIABILITY_SUITE = {
    "tests/store/test_search_query.py": "a long Latin query cannot exhaust memory (bounded name expansion)",
    "tests/serve/test_concurrency.py": "reads never write or wait; 16 clients + an ingest + a held lock: 0 errors",
    "tests/test_reliability_input.py": "a damaged WARC, JSON nested too deep, lone surrogates, reader bugs",
    "tests/store/test_crash_resume.py": "kill -9 mid-batch then rerun equals an uninterrupted run, both stores",
    "tests/serve/test_security.py": "cross-origin writes, Host checks, http(s)-only links, headers on every answer",
    "tests/test_reliability_text.py": "bad bytes, UTF-16, invisible titles, control characters, huge articles",
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "reliability: the reliability suite (tests/conftest.py RELIABILITY_SUITE)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.relative_to(REPO).as_posix() in RELIABILITY_SUITE:
            item.add_marker(pytest.mark.reliability)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Skipped tests, one line per reason with how many (54 lines of "PostgreSQL not set" said one thing)."""
    reasons: Counter[str] = Counter()
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        reasons[reason.removeprefix("Skipped: ")] += 1
    if reasons:
        terminalreporter.section("skipped, by reason")
        for reason, n in reasons.most_common():
            terminalreporter.write_line(f"{n:4} {reason}")
