"""The rows of a bulk run's output, and the way back to ``Article`` + ``Analysis`` when they are loaded.

A bulk run writes Parquet tables that a researcher can query as they are (Spark SQL, DuckDB, pandas) and that
``akhbar load`` turns back into the records ``akhbar ingest`` would have stored. Every table carries ``day`` (the
publication date, ``unknown`` when the article has none), the partition column; rows of one article share its
``article_id``, and positions keep the order of blocks, tags, entities and mentions:

- ``articles``: the record (title, date, outlet, url, author, page tags, read-also refs, provenance), its summary
  and its near-duplicate fingerprint (text hash, MinHash signature, LSH band keys);
- ``blocks``: the display body, one row per paragraph or sub-heading;
- ``tags``: the semantic tags akhbar chose (entity or key phrase, score, the entity it stands for);
- ``entities``: the entities of each article (type, fullest spelling, entity key, dictionary signature);
- ``mentions``: every mention of those entities, with character offsets into title + newline + body;
- ``quarantine``: what could not be read or analyzed (source, position, reason, excerpt, reader);
- ``duplicate_pairs`` / ``duplicate_groups``: near-duplicates found across the whole output (:mod:`akhbar.bulk.dedup`).

Nothing here imports Spark: the executors build ``nested`` rows (one per article, the shape Spark flattens into the
tables) and the loader rebuilds records from flat rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from akhbar.analyze.annotate import Analysis
from akhbar.analyze.entities import ArticleEntity, Mention
from akhbar.analyze.tags import Tag
from akhbar.link.duplicates import Fingerprint
from akhbar.model import Article, Block, Failure, Provenance, RelatedRef

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

UNKNOWN_DAY = "unknown"
TABLES = ("articles", "blocks", "tags", "entities", "mentions")


def day_of(article: Article) -> str:
    """The partition an article goes to: its publication date as the page gives it (local date), or ``unknown``."""
    return article.published_at.date().isoformat() if article.published_at is not None else UNKNOWN_DAY


def nested_article(article: Article, analysis: Analysis, fp: Fingerprint, input_name: str) -> dict[str, Any]:
    """One article with everything derived from it, as one nested row (see the module docstring for the tables)."""
    entity_index = {id(entity): i for i, entity in enumerate(analysis.entities)}
    return {
        "id": article.id,
        "day": day_of(article),
        "url": article.url,
        "outlet": article.outlet,
        "attribution": article.attribution,
        "title": article.title,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "author": article.author,
        "lang": article.lang,
        "page_tags": list(article.tags),
        "read_also": [{"id": ref.id, "title": ref.title} for ref in article.related],
        "provenance": article.provenance.to_json(),
        "content_hash": article.content_hash(),
        "summary": analysis.summary or None,
        "text_hash": fp.text_hash,
        "signature": list(fp.signature),
        "bands": list(fp.bands),
        "input": input_name,
        "body": [{"type": block.type, "text": block.text} for block in article.body],
        "tags": [
            {
                "kind": tag.kind,
                "text": tag.text,
                "score": float(tag.score),
                "entity": entity_index.get(id(tag.entity)) if tag.entity is not None else None,
            }
            for tag in analysis.tags
        ],
        "entities": [
            {
                "type": entity.type,
                "name": entity.name,
                "key": entity.key,
                "signature": list(entity.signature),
                "mentions": [{"type": m.type, "text": m.text, "start": m.start, "end": m.end} for m in entity.mentions],
            }
            for entity in analysis.entities
        ],
    }


def failure_row(failure: Failure, input_name: str, run: str) -> dict[str, Any]:
    return {**failure.to_json(), "input": input_name, "run": run, "day": run[:10]}


def run_id() -> str:
    """When a run started (UTC, ISO): quarantine rows say which run found them."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def article_from_rows(
    row: dict[str, Any],
    blocks: Sequence[dict[str, Any]],
    tags: Sequence[dict[str, Any]],
    entities: Sequence[dict[str, Any]],
    mentions: Sequence[dict[str, Any]],
) -> tuple[Article, Analysis, Fingerprint]:
    """Rebuild what ``akhbar ingest`` would have stored from the flat rows of one article (any order)."""
    prov = row.get("provenance") or {}
    article = Article(
        id=row["id"],
        title=row["title"] or "",
        body=[Block(b["type"], b["text"]) for b in sorted(blocks, key=lambda b: b["position"])],
        provenance=Provenance(
            source=prov.get("source") or "",
            reader=prov.get("reader") or "",
            offset=prov.get("offset"),
            record=prov.get("record"),
        ),
        url=row.get("url"),
        outlet=row.get("outlet"),
        attribution=row.get("attribution"),
        published_at=datetime.fromisoformat(row["published_at"]) if row.get("published_at") else None,
        author=row.get("author"),
        tags=list(row.get("page_tags") or []),
        related=[RelatedRef(r["id"], r["title"]) for r in row.get("read_also") or []],
        lang=row.get("lang") or "ar",
    )
    by_entity: dict[int, list[Mention]] = {}
    for m in sorted(mentions, key=lambda m: (m["entity"], m["position"])):
        by_entity.setdefault(m["entity"], []).append(Mention(m["type"], m["text"], m["start"], m["end"]))
    found = [
        ArticleEntity(
            e["type"],
            e["name"],
            e["key"],
            by_entity.get(e["position"], []),
            tuple(e.get("signature") or ()),
        )
        for e in sorted(entities, key=lambda e: e["position"])
    ]
    analysis = Analysis(
        entities=found,
        tags=[
            Tag(t["kind"], t["text"], t["score"], found[t["entity"]] if t.get("entity") is not None else None)
            for t in sorted(tags, key=lambda t: t["position"])
        ],
        summary=row.get("summary") or "",
    )
    fp = Fingerprint(row["text_hash"], tuple(row.get("signature") or ()), tuple(row.get("bands") or ()))
    return article, analysis, fp


def join_path(base: str, name: str) -> str:
    """A path or URI (hdfs://, s3a://) under an output folder."""
    return base.rstrip("/") + "/" + name


def read_table(spark: SparkSession, out: str, table: str) -> DataFrame:
    """One output table as Spark reads it (partition columns ``day`` and ``batch`` included)."""
    return spark.read.option("basePath", join_path(out, table)).parquet(join_path(out, table))
