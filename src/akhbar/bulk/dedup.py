"""Near-duplicate groups over a whole bulk output, as Spark stages (the same rule as :mod:`akhbar.link.duplicates`).

1. Candidates: articles sharing an LSH band key (40 bands × 3 rows of the stored MinHash signature) or the same text
   hash. Inside one bucket, sorted by time, each article is paired with at most ``WINDOW`` articles before it — the
   linker's bound (≤200 candidates per article), so a template shared by 10,000 pages costs 10,000 × 200 pairs, not
   10,000².
2. Verified: a pair is kept when the texts are identical or the signatures estimate a Jaccard ≥ the threshold (0.3).
3. Grouped: connected components by label propagation (each article takes the smallest label among its neighbours
   until nothing changes); the label is the publication time then the id, so each group's label is its earliest
   article — the group's head, as in the store.

Writes ``duplicate_pairs`` (a, b, similarity; a published first) and ``duplicate_groups`` (article_id, head_id,
size), replacing those of earlier runs.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from akhbar.bulk.records import join_path, read_table
from akhbar.bulk.stages import BulkOptions
from akhbar.store.sql import MAX_CANDIDATES

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

WINDOW = MAX_CANDIDATES  # earlier bucket-mates an article is compared with, as the linker compares them
MAX_ROUNDS = 50  # label propagation rounds; a chain of copies longer than this is split (never seen)
NO_DATE = "9999"  # articles without a date sort after every dated one


def window_pairs(ids: Sequence[str], window: int = WINDOW) -> Iterator[tuple[str, str]]:
    """Pairs of one bucket (ids in time order): each id with up to ``window`` ids before it."""
    for i in range(1, len(ids)):
        for j in range(max(0, i - window), i):
            yield ids[j], ids[i]


def group_duplicates(spark: SparkSession, out: str, options: BulkOptions) -> tuple[int, int]:
    """Find, verify and group near-duplicates of everything in ``out``; (groups, articles in groups)."""
    from pyspark.sql import functions as F

    threshold = options.dedup.threshold
    when = F.to_timestamp("published_at")
    articles = (
        read_table(spark, out, "articles")
        .dropDuplicates(["id"])
        .select(
            "id",
            "text_hash",
            "signature",
            F.concat(F.coalesce(F.date_format(when, "yyyy-MM-dd'T'HH:mm:ss"), F.lit(NO_DATE)), F.lit("|"), "id").alias(
                "order"
            ),
            "bands",
        )
        .localCheckpoint()
    )
    keys = articles.select("id", "order", F.posexplode("bands").alias("band", "key")).unionByName(
        articles.select("id", "order", F.lit(-1).alias("band"), F.xxhash64("text_hash").alias("key"))
    )
    buckets = (
        keys.groupBy("band", "key")
        .agg(F.sort_array(F.collect_list(F.struct("order", "id"))).alias("members"))
        .where(F.size("members") > 1)
        .select(F.col("members.id").alias("ids"))
    )
    candidates = buckets.rdd.flatMap(lambda row: window_pairs(row["ids"])).toDF("a STRING, b STRING").distinct()
    left = articles.select(F.col("id").alias("a"), F.col("text_hash").alias("ha"), F.col("signature").alias("sa"))
    right = articles.select(F.col("id").alias("b"), F.col("text_hash").alias("hb"), F.col("signature").alias("sb"))
    equal = F.aggregate(
        F.zip_with("sa", "sb", lambda x, y: F.when(x == y, 1).otherwise(0)), F.lit(0), lambda s, x: s + x
    )
    similarity = F.when(F.col("ha") == F.col("hb"), F.lit(1.0)).otherwise(equal / F.greatest(F.size("sa"), F.lit(1)))
    pairs = (
        candidates.join(left, "a")
        .join(right, "b")
        .select("a", "b", similarity.alias("similarity"))
        .where(F.col("similarity") >= threshold)
        .localCheckpoint()
    )
    pairs.write.mode("overwrite").parquet(join_path(out, "duplicate_pairs"))
    groups = _components(spark, pairs, articles.select("id", "order"))
    groups.write.mode("overwrite").parquet(join_path(out, "duplicate_groups"))
    return duplicate_counts(spark, out)


def duplicate_counts(spark: SparkSession, out: str) -> tuple[int, int]:
    """(groups, articles in groups) of the ``duplicate_groups`` table."""
    from pyspark.sql import functions as F

    groups = spark.read.parquet(join_path(out, "duplicate_groups"))
    stats = groups.agg(F.countDistinct("head_id").alias("groups"), F.count("*").alias("articles")).collect()[0]
    return int(stats["groups"]), int(stats["articles"])


def _components(spark: SparkSession, pairs: DataFrame, orders: DataFrame) -> DataFrame:
    """Connected components of the pair graph, each labelled by its earliest article: (article_id, head_id, size)."""
    from pyspark.sql import functions as F

    edges = pairs.select(F.col("a").alias("src"), F.col("b").alias("dst")).unionByName(
        pairs.select(F.col("b").alias("src"), F.col("a").alias("dst"))
    )
    vertices = edges.select(F.col("src").alias("id")).distinct()
    labels: Any = vertices.join(orders, "id").select("id", F.col("order").alias("label")).localCheckpoint()
    for _ in range(MAX_ROUNDS):
        offered = edges.join(labels.withColumnRenamed("id", "src"), "src").groupBy("dst").agg(F.min("label").alias("m"))
        updated = (
            labels.join(offered.withColumnRenamed("dst", "id"), "id", "left")
            .select(
                "id",
                F.least("label", F.coalesce("m", "label")).alias("label"),
                (F.col("m") < F.col("label")).alias("moved"),
            )
            .localCheckpoint()
        )
        moved = updated.where("moved").limit(1).count()
        labels = updated.select("id", "label")
        if not moved:
            break
    head = F.element_at(F.split("label", r"\|", 2), 2)
    sizes = labels.groupBy("label").agg(F.count("*").alias("size"))
    components: DataFrame = labels.join(sizes, "label").select(
        F.col("id").alias("article_id"), head.alias("head_id"), "size"
    )
    return components
