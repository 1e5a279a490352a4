"""The one composition of akhbar's per-article stages, written only here: :func:`process_article`.

limits → repair (:func:`prepare`: display text, sub-headings recovered, tags deduplicated) → the language policy →
analysis (:mod:`akhbar.analyze.annotate`: entities, key phrases, tags, summary). ``akhbar parse`` runs it without
the analysis (:func:`parse_source`); ``akhbar ingest`` and ``POST /api/ingest`` run it through
:class:`akhbar.archive.Archive` (analysis only for text not stored yet, with the archive's names as evidence), which
then stores and links; a bulk run (:mod:`akhbar.bulk.stages`) runs it on Spark's executors. :func:`read_source`
turns an input (a path, a folder, a glob, ``-``) into the readers' records. A bug of ours at a stage is that
article's Failure (:func:`akhbar.model.internal_error`), never the end of a run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from akhbar.analyze.annotate import Analysis, analyze
from akhbar.analyze.entity_policy import CandidateFetch, EntityConfig
from akhbar.analyze.weights import is_common_word
from akhbar.arabic.normalize import dedup_text
from akhbar.arabic.repair import repair, script_language, split_heading
from akhbar.ingest.base import ReadOptions, Record
from akhbar.ingest.detect import iter_inputs, read_input
from akhbar.model import Article, Block, Failure, RelatedRef, article_failure, internal_error


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
    # The language policy, the same on every path: keep articles in these languages (the repaired text's script
    # decides, see prepare), count the others as skipped_language; None keeps every language. Persian and Urdu
    # pages are news too, kept by default; a CC-NEWS run keeps Arabic only (``akhbar bulk run --languages ar``).
    languages: tuple[str, ...] | None = None
    # Where the archive's search index lives (store.textindex): None puts it beside a SQLite file; a PostgreSQL
    # archive has one only when a folder is given (per server), else it searches with the store's own bm25.
    search_index: str | None = None


def language_policy(text: str) -> tuple[str, ...] | None:
    """``--languages`` as the config holds it: ``ar,fa`` → ("ar", "fa"); ``all`` (or nothing) → None, every one."""
    codes = tuple(dict.fromkeys(code.strip().lower() for code in text.split(",") if code.strip()))
    return None if not codes or "all" in codes else codes


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


@dataclass(frozen=True, slots=True)
class Processed:
    """An article through the per-article stages: its display form and the analysis of its text (None when the
    caller had it skip the analysis: text already stored, or a parse that stores nothing)."""

    article: Article
    analysis: Analysis | None


@dataclass(frozen=True, slots=True)
class Skipped:
    """An article a policy leaves out on purpose (not a failure): counted under ``reason``."""

    reason: str


def process_article(
    article: Article,
    config: PipelineConfig,
    *,
    analyze_text: bool | Callable[[Article], bool] = True,
    stored: CandidateFetch | None = None,
) -> Processed | Skipped | Failure:
    """The stages one article goes through, in this order, written only here (``akhbar parse`` and ``ingest``,
    ``POST /api/ingest`` and bulk runs all call it):

    1. limits: larger than ``config.max_article_*`` is a Failure before any work;
    2. repair (:func:`prepare`): the display text; no visible title or text is a Failure;
    3. the language policy: outside ``config.languages`` is Skipped (``skipped_language``);
    4. analysis (:func:`akhbar.analyze.annotate.analyze`: entities, key phrases, tags, summary), when
       ``analyze_text`` (a flag, or a test of the repaired article: only new text is analyzed) says so; ``stored``:
       what an archive knows of names (the entity policy's evidence).

    Linking comes after storing (:mod:`akhbar.link`). A bug of ours at any stage is the article's Failure
    (:func:`akhbar.model.internal_error`): one document never ends a run."""
    try:
        prepared = prepare_checked(article, config)
        if isinstance(prepared, Failure):
            return prepared
        if config.languages is not None and not prepared.lang.lower().startswith(config.languages):
            return Skipped("skipped_language")
        wanted = analyze_text(prepared) if callable(analyze_text) else analyze_text
        if not wanted:
            return Processed(prepared, None)
        analysis = analysis_stage(prepared, config, stored)
        return Processed(prepared, analysis)
    except Exception as error:
        return internal_error(article, "process", error)


def analysis_stage(article: Article, config: PipelineConfig, stored: CandidateFetch | None = None) -> Analysis:
    """The analysis stage alone, with the run's settings, on an article already repaired (also what an archive runs
    again on stored text: ``akhbar reindex``, text another writer changed meanwhile)."""
    return analyze(article, entities=config.entities, rules=config.entity_rules, stored=stored)


def process(
    records: Iterable[Record], config: PipelineConfig | None = None, counters: Counter[str] | None = None
) -> Iterator[Record]:
    """Every article of a record stream through :func:`process_article` without the analysis (what ``akhbar parse``
    shows); failures pass through, skipped articles are counted in ``counters``."""
    config = config or PipelineConfig()
    for record in records:
        if not isinstance(record, Article):
            yield record
            continue
        result = process_article(record, config, analyze_text=False)
        if isinstance(result, Skipped):
            if counters is not None:
                counters[result.reason] += 1
        else:
            yield result if isinstance(result, Failure) else result.article


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


def read_source(
    source: str, config: PipelineConfig | None = None, counters: Counter[str] | None = None
) -> Iterator[Record]:
    """Every article and failure the readers make of one input (a file, a folder, a glob, a ``.gz`` or ``-``:
    stdin), as read: not repaired yet (see :func:`process_article`). ``counters`` receives counts of records readers
    skip on purpose (see :func:`akhbar.ingest.detect.read_input`)."""
    config = config or PipelineConfig()
    for item in iter_inputs(source):
        if isinstance(item, Failure):
            yield item
        else:
            yield from read_input(item, config.read, counters)


def parse_source(
    source: str, config: PipelineConfig | None = None, counters: Counter[str] | None = None
) -> Iterator[Record]:
    """Every article (repaired, not analyzed) and failure of one input: :func:`read_source`, then :func:`process`."""
    config = config or PipelineConfig()
    yield from process(read_source(source, config, counters), config, counters)
