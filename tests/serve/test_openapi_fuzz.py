"""Property-based API testing with schemathesis: requests generated from our own OpenAPI spec (valid and invalid
parameters, odd Unicode, huge numbers) never get a 5xx."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

import akhbar
from akhbar.serve.app import ServeConfig, create_app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _app() -> object:
    folder = Path(tempfile.mkdtemp(prefix="akhbar-fuzz-"))  # the schema is loaded at import time, before fixtures
    db = folder / "fuzz.db"
    with akhbar.open(db) as archive:
        archive.ingest([EXAMPLES / "textpages", EXAMPLES / "jsonl"])
    return create_app(db, serve=ServeConfig(allowed_hosts=("testserver",)))  # the Host schemathesis sends


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())
# One plain pytest test per operation, each a Hypothesis run (schemathesis' own pytest integration reports its
# sub-tests in a way that swallows the terminal summary of the whole run).
OPERATIONS = [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: f"{op.method.upper()} {op.path}")
def test_no_request_gets_a_server_error(operation: Any) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case: schemathesis.Case) -> None:
        response = case.call()
        case.validate_response(response, checks=[not_a_server_error])
        assert response.status_code < 500, (case.method, case.formatted_path, case.query, response.text[:300])

    check()
