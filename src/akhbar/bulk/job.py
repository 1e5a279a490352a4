"""``akhbar bulk run``: the ingest stages over many inputs with Apache Spark, written as Parquet tables.

The driver only lists input files and commits batches; executors run :mod:`akhbar.bulk.stages` (the same stage
functions as ``akhbar ingest``) in ``mapPartitions``. The same code runs on ``local[*]`` (a laptop: Java 17 from the
OS packages and ``pip install akhbar[bulk]``) and on a cluster (``--master spark://…`` or ``yarn``; inputs and
output on any Hadoop filesystem: ``hdfs://``, ``s3a://``…).

Work is committed in batches of input files. A batch's rows go to every table under ``day=…/batch=…`` and, once all
tables are written, the batch's files are recorded in ``_inputs`` (one row per file: status, counts). A rerun skips
files recorded ``ok``, deletes the folders of any batch that was never recorded (an interrupted run: its rows would
otherwise appear twice) and reads the rest again, failed files included. Near-duplicates are grouped over the whole
output at the end of every run that added articles (:mod:`akhbar.bulk.dedup`).
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from akhbar.bulk.dedup import duplicate_counts, group_duplicates
from akhbar.bulk.records import TABLES, failure_row, join_path, run_id
from akhbar.bulk.stages import BulkOptions, analyze_articles, read_fetched, read_inputs
from akhbar.ingest.detect import iter_inputs
from akhbar.model import Failure

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

ARTICLE = (
    "id STRING, day STRING, url STRING, outlet STRING, attribution STRING, title STRING, published_at STRING,"
    " author STRING, lang STRING, page_tags ARRAY<STRING>, read_also ARRAY<STRUCT<id: STRING, title: STRING>>,"
    " provenance STRUCT<source: STRING, reader: STRING, `offset`: BIGINT, record: STRING>, content_hash STRING,"
    " summary STRING, text_hash STRING, signature ARRAY<BIGINT>, bands ARRAY<BIGINT>, input STRING,"
    " body ARRAY<STRUCT<type: STRING, text: STRING>>,"
    " tags ARRAY<STRUCT<kind: STRING, text: STRING, score: DOUBLE, entity: INT>>,"
    " entities ARRAY<STRUCT<type: STRING, name: STRING, key: STRING, signature: ARRAY<STRING>,"
    " mentions: ARRAY<STRUCT<type: STRING, text: STRING, start: INT, `end`: INT>>>>"
)
FAILURE = (
    "source STRING, position STRING, reason STRING, excerpt STRING, reader STRING, input STRING, run STRING, day STRING"
)
FILE = "input STRING, status STRING, articles BIGINT, failures BIGINT, skipped MAP<STRING, BIGINT>, attempts INT"
ROW = f"kind STRING, article STRUCT<{ARTICLE}>, failure STRUCT<{FAILURE}>, file STRUCT<{FILE}>, skipped STRING"
LOCAL_SCHEMES = ("file://",)


@dataclass(frozen=True, slots=True)
class BulkConfig:
    out: str
    master: str = "local[*]"
    partitions: int = 0  # analysis tasks per batch; 0: twice the cores Spark has
    batch_files: int = 64  # input files committed together
    options: BulkOptions = field(default_factory=BulkOptions)
    spark_conf: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class BulkReport:
    inputs: int = 0  # files named by the inputs
    skipped_done: int = 0  # already completed by an earlier run
    read: int = 0  # read to their end in this run
    failed_inputs: int = 0
    articles: int = 0
    failures: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    duplicate_groups: int = 0
    duplicate_articles: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "inputs": self.inputs,
            "skipped_done": self.skipped_done,
            "read": self.read,
            "failed_inputs": self.failed_inputs,
            "articles": self.articles,
            "failures": self.failures,
            "skipped": self.skipped,
            "duplicate_groups": self.duplicate_groups,
            "duplicate_articles": self.duplicate_articles,
        }


def spark_session(master: str, conf: dict[str, str] | None = None) -> SparkSession:
    """A Spark session for akhbar's jobs; the UI is off and shuffles are sized for news batches, not terabytes."""
    from pyspark.sql import SparkSession

    if master.startswith("local"):  # workers run the driver's interpreter, where akhbar is installed
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.appName("akhbar-bulk")
        .master(master)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.python.worker.reuse", "true")
        .config("spark.sql.sources.partitionOverwriteMode", "dynamic")
    )
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def run(inputs: Sequence[str], config: BulkConfig, spark: SparkSession | None = None) -> BulkReport:
    """Process every input file not completed yet, in batches; then group near-duplicates over the whole output."""

    own = spark is None
    spark = spark or spark_session(config.master, config.spark_conf)
    report = BulkReport()
    try:
        run_started = run_id()
        files, listing_failures = list_inputs(spark, inputs)
        report.inputs = len(files)
        done = completed_inputs(spark, config.out)
        _drop_uncommitted_batches(spark, config.out)
        todo = [name for name in files if name not in done]
        report.skipped_done = len(files) - len(todo)
        if listing_failures:
            _write_failures(spark, config.out, listing_failures, run_started)
            report.failures += len(listing_failures)
        for start in range(0, len(todo), config.batch_files):
            _run_batch(spark, todo[start : start + config.batch_files], config, run_started, report)
        if report.articles or not _exists(spark, join_path(config.out, "duplicate_groups")):
            report.duplicate_groups, report.duplicate_articles = group_duplicates(spark, config.out, config.options)
        else:
            report.duplicate_groups, report.duplicate_articles = duplicate_counts(spark, config.out)
    finally:
        if own:
            spark.stop()
    return report


def list_inputs(spark: SparkSession, inputs: Sequence[str]) -> tuple[list[str], list[Failure]]:
    """Input files: local paths expanded like ``akhbar ingest`` does (folders, globs), other URIs through Hadoop."""
    files: list[str] = []
    failures: list[Failure] = []
    for spec in inputs:
        if _is_remote(spec):
            found = _hadoop_glob(spark, spec)
            if not found:
                failures.append(Failure(source=spec, position="-", reason="the URI matches no file", reader="bulk"))
            files.extend(found)
            continue
        for item in iter_inputs(spec.removeprefix("file://")):
            if isinstance(item, Failure):
                failures.append(item)
            else:
                files.append(str(Path(item.name).resolve()))
    return list(dict.fromkeys(files)), failures


def completed_inputs(spark: SparkSession, out: str) -> set[str]:
    path = join_path(out, "_inputs")
    if not _exists(spark, path):
        return set()
    rows = spark.read.parquet(path).where("status = 'ok'").select("input").collect()
    return {row["input"] for row in rows}


def _run_batch(spark: SparkSession, names: list[str], config: BulkConfig, run: str, report: BulkReport) -> None:
    from pyspark import StorageLevel

    options = config.options
    batch = f"{run[:10]}-{uuid.uuid4().hex[:12]}"
    sc = spark.sparkContext
    partitions = config.partitions or 2 * sc.defaultParallelism
    local = [n for n in names if not _is_remote(n)]
    remote = [n for n in names if _is_remote(n)]
    items = sc.parallelize(local, max(1, len(local))).mapPartitions(lambda it: read_inputs(it, options))
    if remote:
        fetched = sc.binaryFiles(",".join(remote), max(1, len(remote)))
        items = items.union(fetched.mapPartitions(lambda it: read_fetched(it, options)))
    rows = items.repartition(partitions).mapPartitions(lambda it: analyze_articles(it, options, run))
    frame = spark.createDataFrame(rows, ROW).persist(StorageLevel.DISK_ONLY)
    try:
        articles = frame.where("kind = 'article'").select("article.*")
        for table, tframe in _tables(articles).items():
            _append(tframe, join_path(config.out, table), batch)
        failures = frame.where("kind = 'failure'").select("failure.*")
        _append(failures, join_path(config.out, "quarantine"), batch)
        files = frame.where("kind = 'file'").select("file.*").collect()
        # The batch is committed when its files are recorded: everything above is written by then.
        results = [row.asDict() for row in files]
        for row in results:
            row["batch"] = batch
        spark.createDataFrame(results, f"{FILE}, batch STRING").coalesce(1).write.mode("append").parquet(
            join_path(config.out, "_inputs")
        )
        counts = frame.groupBy("kind").count().collect()
    finally:
        frame.unpersist()
    by_kind = {row["kind"]: row["count"] for row in counts}
    report.articles += by_kind.get("article", 0)
    report.failures += by_kind.get("failure", 0)
    if by_kind.get("skipped"):
        report.skipped["skipped_language"] = report.skipped.get("skipped_language", 0) + by_kind["skipped"]
    for row in results:
        if row["status"] == "ok":
            report.read += 1
        else:
            report.failed_inputs += 1
        for reason, count in (row["skipped"] or {}).items():
            report.skipped[reason] = report.skipped.get(reason, 0) + count


def _tables(articles: DataFrame) -> dict[str, DataFrame]:
    """The flat tables of :mod:`akhbar.bulk.records` from the nested article rows."""
    from pyspark.sql import functions as F

    return {
        "articles": articles.drop("body", "tags", "entities"),
        "blocks": articles.select(F.col("id").alias("article_id"), "day", F.posexplode("body"))
        .select("article_id", "day", "pos", "col.type", "col.text")
        .withColumnRenamed("pos", "position"),
        "tags": articles.select(F.col("id").alias("article_id"), "day", F.posexplode("tags")).select(
            "article_id", "day", F.col("pos").alias("position"), "col.kind", "col.text", "col.score", "col.entity"
        ),
        "entities": articles.select(
            F.col("id").alias("article_id"), "day", F.posexplode("entities").alias("p", "col")
        ).select(
            "article_id",
            "day",
            F.col("p").alias("position"),
            "col.type",
            "col.name",
            "col.key",
            "col.signature",
            F.size("col.mentions").alias("mention_count"),
        ),
        "mentions": articles.select(F.col("id").alias("article_id"), "day", F.posexplode("entities").alias("p", "col"))
        .select("article_id", "day", F.col("p").alias("entity"), F.posexplode("col.mentions").alias("pos", "m"))
        .select(
            "article_id",
            "day",
            "entity",
            F.col("pos").alias("position"),
            "m.type",
            "m.text",
            "m.start",
            F.col("m.end").alias("end"),
        ),
    }


def _append(frame: DataFrame, path: str, batch: str) -> None:
    """Write a batch's rows of one table: one task per day, so a day's rows of a batch are one file."""
    from pyspark.sql import functions as F

    (
        frame.withColumn("batch", F.lit(batch))
        .repartition("day")
        .write.mode("append")
        .partitionBy("day", "batch")
        .option("compression", "zstd")
        .parquet(path)
    )


def _write_failures(spark: SparkSession, out: str, failures: list[Failure], run: str) -> None:
    rows = [failure_row(f, f.source, run) for f in failures]
    frame = spark.createDataFrame(rows, FAILURE)
    _append(frame, join_path(out, "quarantine"), f"{run[:10]}-listing-{uuid.uuid4().hex[:6]}")


def _drop_uncommitted_batches(spark: SparkSession, out: str) -> None:
    """Delete the rows of batches an interrupted run wrote but never recorded in ``_inputs``."""
    committed: set[str] = set()
    if _exists(spark, join_path(out, "_inputs")):
        committed = {
            r["batch"] for r in spark.read.parquet(join_path(out, "_inputs")).select("batch").distinct().collect()
        }
    fs, jvm = _fs(spark, out)
    for table in (*TABLES, "quarantine"):
        statuses = fs.globStatus(jvm.org.apache.hadoop.fs.Path(join_path(out, f"{table}/day=*/batch=*")))
        for status in statuses or []:
            name = status.getPath().getName().removeprefix("batch=")
            if name not in committed and "-listing-" not in name:
                fs.delete(status.getPath(), True)


def _is_remote(name: str) -> bool:
    return "://" in name and not name.startswith(LOCAL_SCHEMES)


def _fs(spark: SparkSession, path: str) -> tuple[Any, Any]:
    context: Any = spark.sparkContext  # the JVM gateway: Hadoop's FileSystem API works on every filesystem Spark reads
    jvm = context._jvm
    conf = context._jsc.hadoopConfiguration()
    return jvm.org.apache.hadoop.fs.Path(path).getFileSystem(conf), jvm


def _exists(spark: SparkSession, path: str) -> bool:
    fs, jvm = _fs(spark, path)
    return bool(fs.exists(jvm.org.apache.hadoop.fs.Path(path)))


def _hadoop_glob(spark: SparkSession, pattern: str) -> list[str]:
    fs, jvm = _fs(spark, pattern)
    found: list[str] = []

    def walk(statuses: Any) -> Iterator[str]:
        for status in statuses or []:
            if status.isDirectory():
                yield from walk(fs.listStatus(status.getPath()))
            elif not status.getPath().getName().startswith((".", "_")):
                yield status.getPath().toString()

    found.extend(walk(fs.globStatus(jvm.org.apache.hadoop.fs.Path(pattern))))
    return sorted(found)
