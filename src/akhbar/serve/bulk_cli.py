"""``akhbar bulk run`` (Spark) and ``akhbar load`` (Parquet output → a store): see :mod:`akhbar.bulk`.

Spark and pyarrow are imported only when these commands run: ``pip install 'akhbar[bulk]'`` and a Java 17 runtime
(Debian/Ubuntu: ``apt install openjdk-17-jre-headless``) are needed for them and nothing else.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Annotated

import typer
from rich.console import Console

from akhbar.serve.cli_help import PlainHelpTyper

bulk_app = PlainHelpTyper(
    help="Process large inputs (CC-NEWS WARC, corpus dumps) with Apache Spark.", no_args_is_help=True
)
err = Console(stderr=True, soft_wrap=True)
# The language policy (akhbar.pipeline.PipelineConfig.languages), as `akhbar ingest` and `akhbar bulk run` take it.
LanguagesOption = Annotated[
    str,
    typer.Option(
        "--languages",
        metavar="CODES",
        help="Keep articles in these languages (ar,fa,...; all: every one); the others are counted as skipped.",
    ),
]


def _conf(pairs: list[str]) -> dict[str, str]:
    conf: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise typer.BadParameter(f"expected key=value, got {pair!r}", param_hint="--conf")
        conf[key.strip()] = value.strip()
    return conf


@bulk_app.command("run")
def run_cmd(
    inputs: Annotated[
        list[str], typer.Argument(help="WARC/JSON-lines/corpus files, folders, globs, or hdfs:// s3a:// … URIs.")
    ],
    out: Annotated[str, typer.Option("--out", help="Output folder (or Hadoop URI) of the Parquet tables.")],
    master: Annotated[
        str, typer.Option("--master", help="Spark master: local[*], local[2], spark://host:7077, yarn.")
    ] = "local[*]",
    partitions: Annotated[
        int, typer.Option("--partitions", help="Analysis tasks per batch (0: twice Spark's default parallelism).")
    ] = 0,
    batch_files: Annotated[int, typer.Option("--batch-files", help="Input files committed together.")] = 64,
    entities: Annotated[bool, typer.Option(help="Tag names and resolve entities.")] = True,
    languages: LanguagesOption = "ar",
    conf: Annotated[
        list[str] | None, typer.Option("--conf", help="Extra Spark setting key=value (repeatable).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as one JSON line.")] = False,
) -> None:
    """Read, prepare and analyze inputs on Spark; write Parquet tables partitioned by day; group near-duplicates.

    A rerun skips input files already completed; a file that keeps failing is quarantined and the job goes on.
    """
    from akhbar.bulk.job import BulkConfig, run
    from akhbar.bulk.stages import BulkOptions
    from akhbar.ingest.base import ReadOptions
    from akhbar.pipeline import PipelineConfig, language_policy

    if partitions < 0 or batch_files < 1:
        raise typer.BadParameter("--partitions must be ≥ 0 and --batch-files ≥ 1")
    config = BulkConfig(
        out=out,
        master=master,
        partitions=partitions,
        batch_files=batch_files,
        options=BulkOptions(
            PipelineConfig(
                read=ReadOptions(arabic_pages_only=True), entities=entities, languages=language_policy(languages)
            )
        ),
        spark_conf=_conf(conf or []),
    )
    started = time.perf_counter()
    report = run(inputs, config)
    seconds = time.perf_counter() - started
    if as_json:
        sys.stdout.write(json.dumps({**report.to_json(), "seconds": round(seconds, 1)}, ensure_ascii=False) + "\n")
    else:
        err.print(
            f"{report.inputs} input files: {report.read} read, {report.skipped_done} already done,"
            f" {report.failed_inputs} failed; {report.articles:,} articles, {report.failures:,} failures;"
            f" {report.duplicate_groups:,} near-duplicate groups ({report.duplicate_articles:,} articles);"
            f" {seconds:.0f} s → {out}"
        )
    if report.inputs and not report.read and not report.skipped_done:
        raise typer.Exit(1)


def load_cmd(
    folder: Annotated[str, typer.Argument(help="The --out folder of `akhbar bulk run`.")],
    db: Annotated[
        str, typer.Option("--db", envvar="AKHBAR_DB", help="SQLite database file, or a postgresql:// URL.")
    ] = "akhbar.db",
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as one JSON line.")] = False,
) -> None:
    """Load a bulk run's Parquet output into a store (COPY on PostgreSQL). Loading again is safe (unchanged).

    Then `akhbar relink` clusters stories and ranks related lists (otherwise ranked on first view). The output is
    taken to be analyzed by this akhbar; if another version ran the bulk job, run `akhbar reindex` after loading.
    """
    import akhbar
    from akhbar.bulk.load import LoadReport, load
    from akhbar.pipeline import PipelineConfig
    from akhbar.serve import search_index_folder
    from akhbar.store import db_label
    from akhbar.store.base import StoreError

    def progress(day: str, report: LoadReport) -> None:
        if not as_json:
            err.print(f"  {day}: {report.new + report.updated + report.unchanged:,} articles so far", highlight=False)

    try:
        archive = akhbar.open(db, PipelineConfig(search_index=search_index_folder()))
    except StoreError as error:
        err.print(f"[red]error:[/red] {error}", markup=True, highlight=False)
        raise typer.Exit(2) from None
    started = time.perf_counter()
    try:
        with archive.store.transaction():
            archive.record_analysis()
        report = load(folder, archive.store, on_day=progress)
        archive.update_search_index()
    except FileNotFoundError as error:
        err.print(f"[red]error:[/red] {error}", markup=True, highlight=False)
        raise typer.Exit(2) from None
    finally:
        archive.close()
    seconds = time.perf_counter() - started
    for line in report.errors[:50]:
        err.print(f"✗ {line}", style="red", highlight=False)
    if as_json:
        sys.stdout.write(json.dumps({**report.to_json(), "seconds": round(seconds, 1)}, ensure_ascii=False) + "\n")
    else:
        err.print(
            f"loaded {report.new:,} new, {report.updated:,} updated, {report.unchanged:,} unchanged articles"
            f" ({report.days} days), {report.duplicate_pairs:,} near-duplicate pairs, {report.failures:,} quarantined"
            f" inputs in {seconds:.0f} s into {db_label(db)}"
        )
