"""A local Spark session for the bulk tests: Java 17 (OS packages) and pyspark (the dev extra) are needed; CI has
both (``.ci/run`` installs Java when missing), so there a missing one fails instead of skipping."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    missing = None
    if shutil.which("java") is None:
        missing = "no Java runtime (apt install openjdk-17-jre-headless)"
    else:
        try:
            import pyspark  # noqa: F401
        except ImportError:
            missing = "pyspark is not installed (pip install -e '.[dev]')"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"Spark bulk tests cannot run: {missing}")
        pytest.skip(f"Spark bulk tests skipped: {missing}")
    from akhbar.bulk.job import spark_session

    session = spark_session("local[2]", {"spark.sql.shuffle.partitions": "2"})
    yield session
    session.stop()
