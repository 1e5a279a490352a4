"""The one composition of akhbar's per-article stages: read → repair. Used by the CLI, the API and bulk jobs.

``parse_source`` turns an input (a path, a folder, a glob, ``-``) into ``Article`` and ``Failure`` records;
``prepare`` is the per-article stage that gives every reader's output the same display text (see
:mod:`akhbar.arabic.repair`): sub-headings lost inside paragraphs recovered as heading blocks, look-alike letters and
glued words fixed, tags deduplicated on the dedup layer (so a tag repeated in Persian letters appears once).
The analysis stage (:mod:`akhbar.analyze.annotate`: entities, key phrases, tags, summary) runs where articles are
stored (:mod:`akhbar.archive`), only for text not stored yet, so re-reading an archive of inputs stays fast.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from akhbar.analyze.entity_policy import EntityConfig
from akhbar.analyze.weights import is_common_word
from akhbar.arabic.normalize import dedup_text
from akhbar.arabic.repair import repair, script_language, split_heading
from akhbar.ingest.base import ReadOptions, Record
from akhbar.ingest.detect import iter_inputs, read_input
from akhbar.model import Article, Block, Failure, RelatedRef, excerpt_of


@dataclass(frozen=True, slots=True)
class PipelineConfig:
    """Everything a run is configured with; passed explicitly, never read from globals."""

    read: ReadOptions = field(default_factory=ReadOptions)
    recover_headings: bool = True
    # Tag names and resolve entities when articles are stored (see akhbar.analyze.annotate), merging them across
    # articles by these rules (akhbar.analyze.entity_policy).
    entities: bool = True
    entity_rules: EntityConfig = field(default_factory=EntityConfig)
    # The largest article one record may be (title + text); a larger one is quarantined ("article too large") before
    # it costs a repair, an analysis and a write: a 30 MB page once made one article of 72,278 blocks and 260,695
    # mentions, a 150 s transaction at 1.4 GB. Real news is far smaller: ANT v2.1 (31,523 articles of 5 outlets) has
    # at most 21,027 characters and 195 paragraphs (99.9th percentile 9,117 and 51; median 1,286 and 7), ANT
    # JawharaFM (10,134) at most 9,919 and 43. The limits are ~10x and ~25x the largest; even the longest of 10,293
    # Arabic Wikipedia articles (145,514 characters, 514 paragraphs) passes.
    max_article_chars: int = 200_000
    max_article_blocks: int = 5_000


def prepare(article: Article, config: PipelineConfig | None = None) -> Article:
    """Repair an article's text into display form. The id and provenance are kept as the reader made them."""
    config = config or PipelineConfig()
    language = script_language(article.title + "\n" + article.text)
    persian = language in ("fa", "ur")

    def fix(text: str | None) -> str | None:
        return repair(text, persian=persian) if text else text

    body: list[Block] = []
    for block in article.body:
        found = (
            split_heading(block.text, is_common_word) if config.recover_headings and block.type == "paragraph" else None
        )
        if found is not None:
            body.append(Block("heading", repair(found.heading, persian=persian)))
            body.append(Block("paragraph", repair(found.rest, persian=persian)))
        else:
            text = repair(block.text, persian=persian)
            if text:
                body.append(Block(block.type, text))
    return replace(
        article,
        title=repair(article.title, persian=persian),
        body=body,
        author=fix(article.author),
        attribution=fix(article.attribution),
        outlet=fix(article.outlet),
        tags=unique_tags(repair(tag, persian=persian) for tag in article.tags),
        related=[RelatedRef(ref.id, repair(ref.title, persian=persian)) for ref in article.related],
        lang=_language(article.lang, language),
    )


def _language(declared: str, seen: str) -> str:
    """The reader's language (``ar`` by default, or what the page declares) unless the text's script says otherwise."""
    if seen == "ar":
        return declared if declared.lower().startswith("ar") else "ar"
    if seen == "und":
        return "und" if declared.lower().startswith("ar") else declared
    return seen


# Letters Persian writes and Arabic does not: a tag that differs from another only in them is the same tag typed on
# a Persian keyboard (پاريس beside باريس on an aggregator's page), shown once, in its Arabic spelling.
_PERSIAN_LETTERS = str.maketrans({"پ": "ب", "چ": "ج", "ژ": "ز", "گ": "ك", "ڤ": "ف"})


def unique_tags(tags: Iterable[str]) -> list[str]:
    """Tags in order, each once: two tags are the same when their dedup-layer forms are, Persian letters read as
    the Arabic ones; of two such, the Arabic spelling is kept (in the first one's place)."""
    index: dict[str, int] = {}
    out: list[str] = []
    for tag in tags:
        key = dedup_text(tag).translate(_PERSIAN_LETTERS)
        if not key:
            continue
        if key not in index:
            index[key] = len(out)
            out.append(tag)
        elif tag.translate(_PERSIAN_LETTERS) == tag and out[index[key]].translate(_PERSIAN_LETTERS) != out[index[key]]:
            out[index[key]] = tag
    return out


def process(records: Iterable[Record], config: PipelineConfig | None = None) -> Iterator[Record]:
    """Prepare every article of a record stream (see :func:`prepare_checked`); failures pass through untouched."""
    config = config or PipelineConfig()
    for record in records:
        if not isinstance(record, Article):
            yield record
            continue
        try:
            yield prepare_checked(record, config)
        except Exception as error:
            reason = f"internal error while preparing the article ({type(error).__name__}: {error}); please report"
            yield article_failure(record, reason)


def prepare_checked(article: Article, config: PipelineConfig | None = None) -> Article | Failure:
    """The article prepared for display, or the Failure that says why it cannot be stored: larger than the limits
    (checked first, before any work), or no visible title or text once repaired (a title of zero-width characters)."""
    config = config or PipelineConfig()
    blocks, chars = len(article.body), len(article.title) + sum(len(block.text) for block in article.body)
    over = [
        f"{count:,} {unit} (limit {limit:,})"
        for count, unit, limit in (
            (blocks, "blocks", config.max_article_blocks),
            (chars, "characters", config.max_article_chars),
        )
        if count > limit
    ]
    if over:
        return article_failure(article, "article too large: " + ", ".join(over))
    prepared = prepare(article, config)
    if not prepared.title:
        return article_failure(
            article, f"no title: the title {article.title[:80]!r} has no visible character", raw=True
        )
    if not prepared.body:
        return article_failure(article, "no article text: the text has no visible character", raw=True)
    return prepared


def article_failure(article: Article, reason: str, *, raw: bool = False) -> Failure:
    """A Failure for an article a reader made (any stage that cannot go on with it: preparing, analyzing); ``raw``:
    the excerpt shows invisible characters as escapes."""
    lines, size = [article.title], len(article.title)
    for block in article.body:  # the start of the text only: the article may be huge
        if size >= Failure.EXCERPT_CHARS:
            break
        lines.append(block.text[: Failure.EXCERPT_CHARS])
        size += len(lines[-1])
    text = "\n".join(lines)
    provenance = article.provenance
    return Failure(
        source=provenance.source,
        position=provenance.record or (f"byte {provenance.offset}" if provenance.offset is not None else "-"),
        reason=reason,
        excerpt=excerpt_of(repr(text)[1:-1] if raw else text),
        reader=provenance.reader,
    )


def parse_source(
    source: str, config: PipelineConfig | None = None, counters: Counter[str] | None = None
) -> Iterator[Record]:
    """Every article (prepared) and failure of one input: a file, a folder, a glob, a ``.gz`` or ``-`` (stdin).

    ``counters`` receives counts of records readers skip on purpose (see :func:`akhbar.ingest.detect.read_input`).
    """
    config = config or PipelineConfig()
    for item in iter_inputs(source):
        if isinstance(item, Failure):
            yield item
        else:
            yield from process(read_input(item, config.read, counters), config)
