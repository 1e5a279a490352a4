"""A local Spark session for the bulk tests: Java 17 (OS packages) and pyspark (the dev extra) are needed; CI has
both (``.ci/run`` installs Java when missing), so there a missing one fails instead of skipping."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLES

# Every example input, and one that does not exist (a quarantined listing failure).
INPUTS = [
    str(EXAMPLES / "textpages"),
    str(EXAMPLES / "html"),
    str(EXAMPLES / "feeds"),
    str(EXAMPLES / "jsonl"),
    str(EXAMPLES / "warc" / "news.warc.gz"),
    "/no/such/input.warc.gz",
]


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


@pytest.fixture(scope="session")
def bulk_out(spark: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """``akhbar bulk run`` over the examples, once for the whole session: (output folder, BulkReport)."""
    from akhbar.bulk.job import BulkConfig, run

    out = tmp_path_factory.mktemp("bulk") / "out"
    report = run(INPUTS, BulkConfig(out=str(out), master="local[2]", partitions=2, batch_files=20), spark)
    return out, report
