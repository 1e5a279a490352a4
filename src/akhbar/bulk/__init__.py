"""Bulk processing at CC-NEWS scale: the ingest stages on Apache Spark, output as Parquet, loaded into a store.

- :mod:`akhbar.bulk.stages` — per input file and per article: the same functions as ``akhbar ingest`` (no Spark);
- :mod:`akhbar.bulk.records` — the output tables' rows, and the way back to ``Article`` + ``Analysis``;
- :mod:`akhbar.bulk.job` — the Spark job: batches, commit markers, tables partitioned by day (``akhbar bulk run``);
- :mod:`akhbar.bulk.dedup` — near-duplicate groups as Spark stages (LSH buckets → pairs → connected components);
- :mod:`akhbar.bulk.load` — Parquet output → SQLite or PostgreSQL (``akhbar load``).
"""
