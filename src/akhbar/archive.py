"""The Python API: an archive of articles you ingest into, read and search.

    import akhbar
    articles = list(akhbar.parse("page.txt"))          # parse without storing
    with akhbar.open("akhbar.db") as archive:
        report = archive.ingest(["examples/"])
        hits = archive.search("كوريا الشمالية")

The CLI and the REST API are thin layers over this class.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from akhbar.analyze.annotate import Analysis, analysis_signature
from akhbar.analyze.entity_policy import (
    Candidate,
    identity_key,
    lookup,
    stored_under,
    surname_candidates,
    surname_owner,
)
from akhbar.analyze.weights import term_weights
from akhbar.arabic.normalize import entity_key, search_terms
from akhbar.arabic.stopwords import is_stopword
from akhbar.arabic.translit import arabic_candidates, name_signature, romanize
from akhbar.ingest.base import Record
from akhbar.link.linker import Linker
from akhbar.link.related import rank_if_stale, same_event_reports, served_related
from akhbar.model import Article, Failure
from akhbar.pipeline import (
    PipelineConfig,
    Processed,
    Skipped,
    analysis_stage,
    parse_source,
    process_article,
    read_source,
)
from akhbar.store import open_search_index, open_store
from akhbar.store.base import (
    ArticleFilter,
    ArticleRef,
    EntityRecord,
    PutOutcome,
    SearchHit,
    Stats,
    Store,
    StoryRecord,
    StorySummary,
    TagRef,
)
from akhbar.store.search import (
    arabic_names,
    key_variants,
    latin_name_key,
    latin_names,
    name_spellings,
    parse_query,
    typing_distance,
)
from akhbar.store.textindex import IndexBusy

_LATIN = re.compile("[A-Za-z]")
T = TypeVar("T")
# Articles written per transaction: big enough for speed, small enough that an interrupted run loses little.
BATCH_SIZE = 200
log = logging.getLogger("akhbar")
# Search: where a query's words meet the archive's entities (measured on bench/search.py's 83 queries judged blind).
# A query's Arabic name is also searched in its entity's other spellings when the entity has QUERY_NAME_MIN_MENTIONS
# mentions and the name as typed finds fewer than QUERY_NAME_WIDEN_BELOW articles: a minority spelling or a slip
# (بيونج يانج 3, جوارديولا 15, رونلدو 0) is widened; a spelling in wide use already fills a page, and widening a word
# the tagger also took for a name (الأمريكية → أمريكا, الحرب) only dilutes it. nDCG@10 0.890 (no widening) -> 0.923;
# a minimum of 5 mentions gives 0.924, but an archive of a few dozen articles names even Putin only twice.
QUERY_NAME_MIN_MENTIONS = 2
QUERY_NAME_WIDEN_BELOW = 50
# «هل تقصد»: a word the archive finds in fewer than SUGGEST_BELOW articles (الروهينجا has 15: in use, not a slip),
# and that fewer than SUGGEST_COMMON_DF of the shipped 30k news articles use (كأس, الحرب: any slip of them would name
# some entity), is offered the spelling of an entity one typing slip away with SUGGEST_MIN_MENTIONS mentions and
# SUGGEST_RATIO times what the word finds.
SUGGEST_BELOW = 10
SUGGEST_COMMON_DF = 100
SUGGEST_MIN_MENTIONS = 10
SUGGEST_RATIO = 10
# The archive's record of the analysis its entities and tags come from (analysis_signature), or MIXED_ANALYSIS once
# articles analyzed otherwise were added to it (or it predates the record): `akhbar reindex` makes it one again.
ANALYSIS_KEY = "analysis"
MIXED_ANALYSIS = "mixed"


@dataclass(slots=True)
class IngestReport:
    """What one ingest did. ``read_anything`` is False only when no input gave a single article."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    failures: list[Failure] = field(default_factory=list)  # the first MAX_KEPT_FAILURES, for the summary
    # Records skipped on purpose, by kind (WARC records that are no HTML page, articles outside the language
    # policy): not failures, but counted.
    skipped: Counter[str] = field(default_factory=Counter)
    # The articles stored (new, updated or unchanged), in order: kept by ingest_records (a posted document is answered
    # with them), not by a run over inputs of any size.
    ids: list[str] | None = None

    MAX_KEPT_FAILURES = 1000

    @property
    def articles(self) -> int:
        return self.new + self.updated + self.unchanged

    @property
    def read_anything(self) -> bool:
        return self.articles > 0

    def count(self, outcome: PutOutcome) -> None:
        setattr(self, outcome.value, getattr(self, outcome.value) + 1)

    def to_json(self) -> dict[str, int]:
        return {
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "skipped": self.skipped["skipped_non_html"],
        }


@dataclass(slots=True)
class ArticleView:
    """An article with everything akhbar knows about it: what a reader's page shows."""

    article: Article
    summary: str | None
    tags: list[TagRef]
    also_reported_by: list[ArticleRef]
    related: list[ArticleRef]  # ranked "read also", with reasons (the page's own links stay in article.related)
    story: StorySummary | None
    entities: list[tuple[int, str, str, int]]  # (entity id, display name, type, mentions in this article)
    held: frozenset[str] = frozenset()  # the ids of the page's own links (article.related) that the archive holds

    def to_json(self) -> dict[str, Any]:
        return {
            **self.article.to_json(),
            "related": [{**r.to_json(), "stored": r.id in self.held} for r in self.article.related],
            "summary": self.summary,
            "auto_tags": [t.to_json() for t in self.tags],
            "also_reported_by": [r.to_json() for r in self.also_reported_by],
            "read_also": [r.to_json() for r in self.related],
            "story": self.story.to_json() if self.story else None,
            "entities": [{"id": e, "name": n, "type": t, "mentions": c} for e, n, t, c in self.entities],
        }


def _batches(records: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


Processing = list[Failure | Processed | Skipped]


class _Workers:
    """Worker processes that run the per-article stages of an ingest (``--jobs``), each over its own read-only
    connection to the archive; the archive's own connection stays the one writer.

    The ingest is a pipeline of batches: while this process writes batch N, ``jobs`` - 1 workers analyze batch N+1
    (storing and linking a batch takes about as long as analyzing it, so one worker keeps the writer busy). Every
    article of a batch is analyzed against what the batches before the one being written stored, whichever process
    analyzes it and however many there are: a worker takes a snapshot of the archive (:meth:`Transactions.snapshot`)
    before the write of batch N begins, and with one job batch N+1 is analyzed here before batch N is written. So the
    archive is the same for any number of jobs (tested). Workers start only when a first full batch comes (a small
    ingest pays nothing), by ``spawn`` (a fork would copy the progress display's threads); each loads the NER model
    once. Should a worker die, its batch and the rest of the run are processed here (a batch analyzed that late may
    see the batch written before it)."""

    def __init__(self, archive: Archive, jobs: int) -> None:
        self.archive = archive
        self.jobs = jobs if archive.db != ":memory:" else 1
        self.pool: ProcessPoolExecutor | None = None
        self.ready: Any = None  # the workers' queue: a chunk's token once its snapshot is taken
        self.batches = 0

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def start(self, batch: list[Record], *, full: bool = True) -> Callable[[], Processing]:
        """Start processing a batch; returns what gives its results, in order. By the time this returns, the batch
        is analyzed against the archive as it is now (here with one job; in snapshots the workers took otherwise),
        whatever is written next."""
        if self.jobs <= 1 or not full:
            done = self._here(batch)
            return lambda: done
        if self.pool is None:
            context = multiprocessing.get_context("spawn")
            self.ready = context.Queue()
            args = (self.archive.db, self.archive.config, self.ready)
            self.pool = ProcessPoolExecutor(self.jobs - 1, mp_context=context, initializer=_open_worker, initargs=args)
        self.batches += 1
        size = -(-len(batch) // (self.jobs - 1))
        try:
            futures = [
                self.pool.submit(_process_in_worker, self.batches, batch[i : i + size])
                for i in range(0, len(batch), size)
            ]
            self._await_snapshots(self.batches, futures)
        except BrokenProcessPool:
            done = self._lost(batch)
            return lambda: done

        def results() -> Processing:
            try:
                return [result for future in futures for result in future.result()]
            except BrokenProcessPool:
                return self._lost(batch)

        return results

    def _await_snapshots(self, token: int, futures: list[Future[Processing]]) -> None:
        """Wait until every chunk of the batch has its snapshot (or has failed: its error comes with its result)."""
        waiting = len(futures)
        while waiting:
            try:
                if self.ready.get(timeout=0.5) == token:
                    waiting -= 1
            except queue.Empty:
                broken = [f for f in futures if f.done() and isinstance(f.exception(), BrokenProcessPool)]
                if broken:
                    raise BrokenProcessPool("a worker process died") from broken[0].exception()
                if all(f.done() for f in futures):
                    return

    def _lost(self, batch: list[Record]) -> Processing:
        log.warning("a worker process died; the rest of the run is processed in this one")
        self.jobs = 1
        return self._here(batch)

    def _here(self, batch: list[Record]) -> Processing:
        return [self.archive._process(record) for record in batch]


_WORKER: list[tuple[Archive, Any]] = []  # a worker process's read-only archive and queue (set by _open_worker)


def _open_worker(db: str, config: PipelineConfig, ready: Any) -> None:
    parent = os.getppid()
    threading.Thread(target=_exit_with, args=(parent,), name="akhbar-parent-watch", daemon=True).start()
    _WORKER.append((Archive(db, config, read_only=True), ready))


def _exit_with(parent: int) -> None:
    """End this worker when the ingest that started it is gone (a kill -9 leaves no one to shut the pool down)."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def _process_in_worker(token: int, records: list[Record]) -> Processing:
    archive, ready = _WORKER[0]
    with archive.store.snapshot():
        ready.put(token)
        return [archive._process(record) for record in records]


def _spellings(ref: str) -> list[str]:
    """The Arabic spellings a typed name stands for: itself, or a Latin name's likely Arabic spellings."""
    return arabic_candidates(ref) if _LATIN.search(ref) else [ref]


def parse(source: str | Path, config: PipelineConfig | None = None) -> Iterator[Record]:
    """Parse an input (file, folder, glob, ``.gz``, ``-``) into prepared articles and failures, storing nothing."""
    return parse_source(str(source), config)


class Archive:
    def __init__(
        self,
        path: str | Path,
        config: PipelineConfig | None = None,
        *,
        read_only: bool = False,
        writer_wait: float | None = None,
    ) -> None:
        self.config = config or PipelineConfig()
        self.db = str(path)
        self.store: Store = open_store(
            path, read_only=read_only, writer_wait=writer_wait, entity_rules=self.config.entity_rules
        )
        self.read_only = read_only
        # Set by a server: a stale related list is served as stored and handed here to be ranked by its writer.
        self.on_stale_related: Callable[[str], None] | None = None
        self.linker = Linker(self.store)
        self.search_index = open_search_index(path, self.config.search_index)
        # Set by a server: a reader that finds the search index behind the archive asks its writer to catch it up.
        self.on_search_index_behind: Callable[[], None] | None = None
        self._said_index_behind = False

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object | TracebackType) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    def ingest(
        self,
        sources: Iterable[str | Path],
        *,
        on_record: Callable[[Record, PutOutcome | None], None] | None = None,
        jobs: int = 1,
        batch_size: int | None = None,
    ) -> IngestReport:
        """Read every input and store its articles, each through the per-article stages
        (:func:`akhbar.pipeline.process_article`), then link the new ones; failures go to the quarantine and the run
        goes on.

        Records are written in batches of ``batch_size`` (``BATCH_SIZE``), one transaction each: an interrupted run
        keeps every finished batch, and running it again stores the rest (what was stored already counts as
        unchanged).
        A batch is analyzed against what the batches before the one being written stored, so that with ``jobs`` > 1
        the articles of the next batch are processed in ``jobs`` - 1 worker processes while this one writes (see
        :class:`_Workers`); the archive is the same for any number of jobs.
        """
        report = IngestReport()
        seen: set[str] = set()
        records = (record for source in sources for record in read_source(str(source), self.config, report.skipped))
        batch_size = batch_size or BATCH_SIZE
        with _Workers(self, jobs) as workers:
            writing: Callable[[], Processing] | None = None
            for batch in _batches(records, batch_size):
                # The next batch is under way (analyzed against what the batches before this one stored) before
                # this one is written: with several jobs the workers analyze while this process writes.
                started = workers.start(batch, full=len(batch) >= batch_size)
                if writing is not None:
                    self._write(self._counted(writing(), report), report, seen, on_record)
                writing = started
            if writing is not None:
                self._write(self._counted(writing(), report), report, seen, on_record)
        return report

    def ingest_records(self, records: Iterable[Record], *, quarantine: bool = True) -> IngestReport:
        """Store records read elsewhere (a document posted to the REST API) through the same stages as
        :meth:`ingest`. ``quarantine=False``: failures are only reported (a poster is answered, not quarantined)."""
        report = IngestReport(ids=[])
        processed = [self._process(record) for record in records]
        self._write(self._counted(processed, report), report, quarantine=quarantine)
        return report

    def _process(self, record: Record) -> Failure | Processed | Skipped:
        """The per-article stages, before the write lock (the slow part: readers and writers wait less). Only new
        text is analyzed (re-ingests stay fast), with the names this archive holds as evidence."""
        if isinstance(record, Failure):
            return record
        return process_article(record, self.config, analyze_text=self._new_text, stored=self.store.entity_candidates)

    @staticmethod
    def _counted(results: list[Failure | Processed | Skipped], report: IngestReport) -> list[Failure | Processed]:
        """What is to be written; articles a policy skipped are counted in the report."""
        out: list[Failure | Processed] = []
        for result in results:
            if isinstance(result, Skipped):
                report.skipped[result.reason] += 1
            else:
                out.append(result)
        return out

    def _write(
        self,
        items: list[Failure | Processed],
        report: IngestReport,
        seen: set[str] | None = None,
        on_record: Callable[[Record, PutOutcome | None], None] | None = None,
        *,
        quarantine: bool = True,
    ) -> None:
        """Store a batch in one transaction, then link the articles whose text is new (a linking bug is recorded as
        that article's failure)."""
        with self.store.transaction():
            if any(isinstance(item, Processed) and item.analysis is not None for item in items):
                self.record_analysis()
            new_text: list[Article] = []
            for item in items:
                if isinstance(item, Failure):
                    self._record_failure(item, report, quarantine=quarantine)
                    outcome = None
                else:
                    outcome = self._store(item, report, seen, new_text)
                if on_record is not None:
                    on_record(item if isinstance(item, Failure) else item.article, outcome)
            for failure in self.linker.link_all(new_text):
                self._record_failure(failure, report)
        self.update_search_index()

    def _record_failure(self, failure: Failure, report: IngestReport, *, quarantine: bool = True) -> None:
        if quarantine:
            self.store.quarantine(failure)
        report.failed += 1
        if len(report.failures) < IngestReport.MAX_KEPT_FAILURES:
            report.failures.append(failure)

    def _store(
        self, item: Processed, report: IngestReport, seen: set[str] | None, new_text: list[Article]
    ) -> PutOutcome:
        """Store one processed article; an article whose text is new is added to ``new_text`` to be linked. The
        text is judged new again here, in the write transaction: an earlier article of the same batch (or another
        writer) may have stored it since it was processed."""
        record, analysis = item.article, item.analysis
        if not self._new_text(record):
            analysis = None
        elif analysis is None:  # stored by another writer after the analysis was skipped, then changed: analyze now
            analysis = self._analyze(record)
            self.record_analysis()
        outcome = self.store.put(record, seen_in_run=seen is not None and record.id in seen, analysis=analysis)
        if analysis is not None:
            new_text.append(record)
        if seen is not None:
            seen.add(record.id)
        report.count(outcome)
        if report.ids is not None:
            report.ids.append(record.id)
        return outcome

    def record_analysis(self) -> None:
        """Before analyses are written (in the writing transaction): an empty archive records this akhbar's
        analysis; one analyzed otherwise becomes mixed (its old articles key some names as another akhbar did, the
        new ones as this one does)."""
        current = self._analysis()
        stored = self.store.meta(ANALYSIS_KEY)
        if stored != current and stored != MIXED_ANALYSIS:
            self.store.set_meta(ANALYSIS_KEY, current if self.store.size() == 0 else MIXED_ANALYSIS)

    @property
    def analysis_outdated(self) -> bool:
        """Whether stored articles were analyzed by another akhbar (other rules, models or lists; or an archive from
        before this was recorded): a name may then be one entity in new articles and another in old ones, until
        ``akhbar reindex`` analyzes them all again."""
        return self.store.size() > 0 and self.store.meta(ANALYSIS_KEY) != self._analysis()

    def _analysis(self) -> str:
        """What this archive's configuration analyzes with (an ingest without entities finds none to merge)."""
        return analysis_signature(self.config.entity_rules) + ("" if self.config.entities else "-no-entities")

    def get(self, article_id: str) -> Article | None:
        return self.store.get(article_id)

    def _analyze(self, article: Article) -> Analysis:
        """The analysis stage with this archive's settings and its stored entities as evidence of names."""
        return analysis_stage(article, self.config, self.store.entity_candidates)

    def _new_text(self, article: Article) -> bool:
        """Whether the article's text is not stored yet (only new text is tagged: re-ingests stay fast)."""
        stored_hash = self.store.stored_hash(article.id)
        if stored_hash is None:
            return True
        if stored_hash == article.content_hash():
            return False
        stored = self.store.get(article.id)  # same article, other tags or metadata (e.g. filed in two sections)?
        return stored is None or (stored.title, stored.body) != (article.title, article.body)

    def entity(self, ref: str) -> EntityRecord | None:
        """An entity by id, by any Arabic spelling of its name, by its name in Latin script (``pyongyang``), or by a
        word of a person's name that one person owns (``ماكرون``, ``Macron`` → إيمانويل ماكرون; see
        :meth:`entity_candidates` when several do)."""
        record = self.store.entity(ref)
        if record is None and not ref.isdigit():
            latin = bool(_LATIN.search(ref))
            for spelling in _spellings(ref):  # the likeliest spelling first: Macron is ماكرون before it is مجوون
                record = self.store.entity(spelling) if latin else None
                if record is None and (owner := self._word_owner(spelling)) is not None:
                    record = self.store.entity(str(owner))
                if record is not None:
                    break
        return replace(record, romanization=romanize(record.name)) if record is not None else None

    def entity_candidates(self, ref: str, *, limit: int = 10) -> list[EntityRecord]:
        """The people a name word could mean when no one entity answers to it (``كيم``: Kim Jong Un, Kim Yo Jong…),
        most mentioned first; empty when :meth:`entity` finds one or nothing has the word."""
        if self.entity(ref) is not None:
            return []
        ids: list[int] = []
        for spelling in _spellings(ref):
            owners = self.store.word_owners(entity_key(spelling))
            ids += [i for i in surname_candidates(name_signature(spelling), owners) if i not in ids]
        records = (self.store.entity(str(i)) for i in ids[:limit])
        return [replace(r, romanization=romanize(r.name)) for r in records if r is not None]

    def _word_owner(self, spelling: str) -> int | None:
        key = entity_key(spelling)
        if not key or " " in spelling.strip():
            return None
        owners = self.store.word_owners(key)
        return surname_owner(name_signature(spelling), owners, self.config.entity_rules, spelling=spelling)

    def view(self, article_id: str) -> ArticleView | None:
        """The article (by id or unique id prefix) with its summary, tags, entities, related articles,
        near-duplicates and story, or None."""
        article = self.store.get(article_id)
        if article is None:
            return None
        story_id = self.store.story_of(article.id)
        story = self.store.story(story_id) if story_id is not None else None
        also_reported = self.duplicates(article.id)  # its same-event reports are kept out of read also: asked once
        return ArticleView(
            article,
            self.summary(article.id),
            self.tags(article.id),
            also_reported,
            self.related(article.id, same_event={ref.id for ref in also_reported}),
            story.summary if story is not None else None,
            self.store.entities_in(article.id),
            frozenset(r.id for r in article.related if self.store.stored_hash(r.id) is not None),
        )

    def articles(
        self, where: ArticleFilter = ArticleFilter(), *, limit: int = 20, offset: int = 0
    ) -> tuple[list[ArticleRef], int]:
        """Articles newest first, those ``where`` keeps (:class:`~akhbar.store.base.ArticleFilter`); one page and the
        total."""
        return self.store.list_articles(where, limit=limit, offset=offset)

    def outlets(self) -> list[tuple[str, int]]:
        """Outlets with their article counts, largest first."""
        return self.store.outlets()

    def related(self, article_id: str, *, k: int = 5, same_event: Collection[str] | None = None) -> list[ArticleRef]:
        """The k articles most worth reading next, with the reason (shared entities, phrases); near-duplicates and
        same-event reports (``same_event``: their ids, when known already) excluded. Empty for an unknown id."""
        if self.store.stored_hash(article_id) is None:
            return []
        return served_related(
            self.store,
            article_id,
            k=k,
            config=self.linker.config.related,
            keep_ranking=not self.read_only,
            on_stale=self.on_stale_related,
            same_event=same_event,
        )

    def stories(self, *, since: str | None = None, limit: int = 50, offset: int = 0) -> list[StorySummary]:
        """Stories, most recently active first; ``since`` an ISO date keeps those active since then."""
        return self.store.stories(since=since, limit=limit, offset=offset)

    def story(self, story_id: int) -> StoryRecord | None:
        """A story: its articles in time order (the timeline), outlets and entities."""
        return self.store.story(story_id)

    def rebuild_stories(self) -> int:
        """Cluster every stored article into stories again, in publication order; returns how many stories."""
        with self.store.transaction():
            return self.linker.rebuild_stories()

    def refresh_related(self, *, on_progress: Callable[[int, int], None] | None = None) -> int:
        """Rank again every related list ranked when the archive was much smaller (after a bulk load), so that first
        views are as fast as later ones; returns how many lists were ranked. Committed every BATCH_SIZE lists."""
        ids = self.store.ids_in_time_order()
        ranked = 0
        for start in range(0, len(ids), BATCH_SIZE):
            ranked += self.rank_related(ids[start : start + BATCH_SIZE])
            if on_progress is not None:
                on_progress(min(start + BATCH_SIZE, len(ids)), len(ids))
        return ranked

    def reindex_entities(self, *, on_progress: Callable[[int, int], None] | None = None) -> int:
        """Analyze every stored article again and re-resolve all entities with the current rules (after an upgrade
        that changed mention spans, keys or merge rules), in the order the articles were stored, committed every
        BATCH_SIZE articles. Articles, blocks, tags and failures are untouched. Interrupted, it is run again from the
        start. Stories and related lists use entities: run :meth:`rebuild_stories` and :meth:`refresh_related`
        after it (``akhbar reindex`` does). Returns how many articles were analyzed."""
        with self.store.transaction():  # an interrupted run leaves a mixed archive, whatever it was before
            self.store.set_meta(ANALYSIS_KEY, MIXED_ANALYSIS)
        self.store.clear_entities()
        articles = list(self.store.iter_articles())
        done = 0
        for batch in _batches(articles, BATCH_SIZE):
            self.store.put_analyses([(a.id, self._analyze(a)) for a in batch])
            done += len(batch)
            if on_progress is not None:
                on_progress(done, len(articles))
        with self.store.transaction():
            self.store.set_meta(ANALYSIS_KEY, self._analysis())
        self.update_search_index()
        return done

    def rank_related(self, article_ids: Iterable[str]) -> int:
        """Rank again and store the related lists of these articles where they are stale (a server's writer does it
        for the lists its readers found stale); returns how many were ranked. One transaction."""
        ranked = 0
        with self.store.transaction():
            for article_id in article_ids:
                if self.store.stored_hash(article_id) is None:
                    continue
                ranked += rank_if_stale(self.store, article_id, self.linker.config.related)
        return ranked

    def summary(self, article_id: str) -> str | None:
        """The article's extractive summary (2-3 sentences), or None when it was not analyzed."""
        return self.store.summary(article_id)

    def tags(self, article_id: str) -> list[TagRef]:
        """The semantic tags akhbar chose for the article (entities first, then key phrases)."""
        return self.store.auto_tags(article_id)

    def duplicates(self, article_id: str) -> list[ArticleRef]:
        """Other outlets' (or the same outlet's) copies of the article's report, then other reports of the same
        event in other words (:func:`akhbar.link.related.same_event_reports`): "also reported by"."""
        copies = self.store.duplicates_of(article_id)
        known = {ref.id for ref in copies}
        same_event = same_event_reports(self.store, article_id, self.linker.config.related)
        return copies + [r for r in same_event if r.id not in known]

    def duplicate_groups(self, *, limit: int = 100, offset: int = 0) -> list[list[ArticleRef]]:
        """Groups of near-duplicate articles, largest first; the first article of each is its primary."""
        return self.store.duplicate_groups(limit=limit, offset=offset)

    def search(
        self, query: str, *, limit: int = 10, offset: int = 0, where: ArticleFilter = ArticleFilter()
    ) -> list[SearchHit]:
        """Ranked hits among the articles ``where`` keeps (outlet, tag, entity, days: applied before the top k is cut,
        in the search index or the store); a name of the query that the archive knows as an entity also finds the
        entity's other spellings (``بيونغيانغ``: بيونغ يانغ, بيونج يانج…; ``بوتن``: بوتين), as a Latin name finds its
        Arabic ones."""
        return self._search(query, limit, offset, self.query_names(query), where)

    def _search(
        self, query: str, limit: int, offset: int, names: dict[str, list[str]], where: ArticleFilter
    ) -> list[SearchHit]:
        """The search index's top k when it is in step with the archive, else the store's exact bm25 (the same
        ranking, scoring every match)."""
        if self.search_index is not None and self._search_index_ready():
            parsed = parse_query(query, names)
            page = max(1, min(limit, 1000))
            scored = self.search_index.search(self.store, parsed, limit=page, offset=offset, where=where)
            return self.store.search_hits(scored, parsed)
        return self.store.search(query, limit=limit, offset=offset, names=names, where=where)

    def _match_count(self, query: str, cap: int) -> int:
        if self.search_index is not None and self._search_index_ready():
            return self.search_index.count(parse_query(query), cap=cap)
        return self.store.match_count(query, cap=cap)

    def _search_index_ready(self) -> bool:
        """Whether the search index is in step with the archive. A writer brings it in step now; a reader asks its
        server's writer to (``on_search_index_behind``) and says once that it searches the archive directly."""
        assert self.search_index is not None
        lag = self.search_index.lag(self.store)
        if lag == 0:
            return True
        if not self.read_only:
            if lag is None:
                log.warning("%s: building the search index of %s articles", self.db, f"{self.store.size():,}")
            self.update_search_index()
            lag = self.search_index.lag(self.store)
            if lag == 0:
                return True
        elif self.on_search_index_behind is not None:
            self.on_search_index_behind()
        if not self._said_index_behind:
            self._said_index_behind = True
            state = "missing or out of date" if lag is None else f"{lag:,} changes behind the archive"
            log.warning(
                "%s: the search index is %s; searching the archive directly (slower) until it is brought up to date"
                " (by the next write, or `akhbar reindex search`)",
                self.db,
                state,
            )
        return False

    def update_search_index(
        self, *, rebuild: bool = False, on_progress: Callable[[int, int], None] | None = None
    ) -> int:
        """Bring the search index in step with the archive (every write does: the articles it changed), or build it
        anew (``rebuild``); returns how many articles were indexed. The archive is the truth: when the index cannot
        be written (another process writes it, the disk is full), this says why and searches use the archive's own
        exact search until a later write or ``akhbar reindex search`` catches up."""
        if self.search_index is None or self.read_only:
            return 0
        try:
            if rebuild:
                return self.search_index.rebuild(self.store, on_progress=on_progress)
            return self.search_index.catch_up(self.store, on_progress=on_progress)
        except IndexBusy as busy:
            log.info("%s", busy)
        except (OSError, ValueError) as error:  # tantivy reports its I/O errors as ValueError
            log.warning("%s: the search index was not updated: %s", self.db, error)
        return 0

    def search_with_suggestion(
        self, query: str, *, limit: int = 10, offset: int = 0, where: ArticleFilter = ArticleFilter()
    ) -> tuple[list[SearchHit], str | None]:
        """:meth:`search` and :meth:`suggest` together, the query's names looked up once (what a results page shows)."""
        names = self.query_names(query)
        hits = self._search(query, limit, offset, names, where)
        return hits, self._suggestion(query, names)

    def query_names(self, query: str) -> dict[str, list[str]]:
        """The names of a query that name a stored entity, each with the spellings a search should also find
        (:func:`~akhbar.store.search.name_spellings`), when the archive finds few articles for them as typed: the
        Arabic runs (longest first, not overlapping, no lone stopword), and the Latin names (by
        :func:`~akhbar.store.search.latin_name_key`) whose likely Arabic spellings name one (the first that does). One
        look-up of the candidates of every key, then the policy's :func:`~akhbar.analyze.entity_policy.lookup` (a few
        milliseconds on a 30k-article archive)."""
        runs = [r for r in arabic_names(query) if " " in r or not is_stopword(r)]
        latin = latin_names(query)
        keys = [identity_key(r) for r in runs] + [identity_key(a) for _, spellings in latin for a in spellings]
        candidates = self.store.entity_candidates(list(dict.fromkeys(k for k in keys if k)))

        def entity_of(name: str) -> int | None:
            found = candidates.get(identity_key(name), [])
            entity = lookup(name, sorted(found, key=lambda c: (-c.mentions, c.id)), self.config.entity_rules)
            if entity is None or next(c for c in found if c.id == entity).mentions < QUERY_NAME_MIN_MENTIONS:
                return None
            return entity

        named: dict[str, tuple[str, int]] = {}  # a Latin name's key → the spelling that named an entity, the entity
        for name, spellings in latin:
            found = next(((s, e) for s in spellings if (e := entity_of(s)) is not None), None)
            if found and self._match_count(name, QUERY_NAME_WIDEN_BELOW) < QUERY_NAME_WIDEN_BELOW:
                named[latin_name_key(name)] = found
        chosen: dict[str, int] = {}
        for run in runs:
            if any(f" {run} " in f" {known} " or f" {known} " in f" {run} " for known in chosen):
                continue
            entity = entity_of(run)
            if entity is not None and self._match_count(run, QUERY_NAME_WIDEN_BELOW) < QUERY_NAME_WIDEN_BELOW:
                chosen[run] = entity
        entities = sorted({*chosen.values(), *(entity for _, entity in named.values())})
        counts = self.store.spelling_counts(entities) if entities else {}
        names = {run: name_spellings(run, counts[entity]) for run, entity in chosen.items()}
        names |= {key: name_spellings(spelling, counts[entity]) for key, (spelling, entity) in named.items()}
        return {name: spellings for name, spellings in names.items() if spellings}

    def suggest(self, query: str) -> str | None:
        """«هل تقصد»: the query with each Arabic word the archive barely finds (fewer than ``SUGGEST_BELOW`` articles)
        spelled as a well-known name one typing slip away (:func:`~akhbar.store.search.key_variants`) is written most
        often, the nearest in letters first (``قوقل`` → ``غوغل``, ``خاشجقي`` → ``خاشقجي``, at most 2 slips); None
        when there is nothing better to offer. A word that real news uses often (``SUGGEST_COMMON_DF`` articles of the
        shipped 30k) is a word, not a slip."""
        return self._suggestion(query, self.query_names(query))

    def _suggestion(self, query: str, names: dict[str, list[str]]) -> str | None:
        known = " ".join(names)
        weights = term_weights()
        found = {
            word: self._match_count(word, SUGGEST_BELOW)
            for word in dict.fromkeys(arabic_names(query, longest=1))
            if not is_stopword(word)
            and f" {word} " not in f" {known} "
            and not all(weights.df.get(term, 0) >= SUGGEST_COMMON_DF for term in search_terms(word))
        }
        variants = {word: key_variants(entity_key(word)) for word, n in found.items() if n < SUGGEST_BELOW}
        # Another name of an entity (أمريكا) is stored under its canonical name's key.
        under = {key: stored_under(key) for keys in variants.values() for key in keys}
        candidates = self.store.entity_candidates(list(dict.fromkeys(k for keys in under.values() for k in keys)))

        def entities_of(key: str) -> list[Candidate]:
            return [c for stored in under[key] for c in candidates.get(stored, [])]

        entities = {c.id for keys in variants.values() for key in keys for c in entities_of(key)}
        counts = self.store.spelling_counts(sorted(entities)) if entities else {}
        suggestion = f" {query} "
        for word, keys in variants.items():
            # The nearest spelling of this very name (خاشقجي, not جمال خاشقجي) of an established entity; ties: the
            # better known entity, then its commoner spelling.
            options = [
                (slips, -entity.mentions, -n, spelling)
                for key in keys
                for entity in entities_of(key)
                if entity.mentions >= max(SUGGEST_MIN_MENTIONS, SUGGEST_RATIO * found[word])
                for spelling, n in counts[entity.id].items()
                if entity_key(spelling) == key
                and (slips := typing_distance(word, spelling)) <= (1 if len(word) <= 3 else 2)
            ]
            if options:
                suggestion = suggestion.replace(f" {word} ", f" {min(options)[3]} ", 1)
        suggestion = " ".join(suggestion.split())
        return suggestion if suggestion != " ".join(query.split()) else None

    def stats(self) -> Stats:
        return self.store.stats()

    def failures(self, *, limit: int = 100) -> list[Failure]:
        return self.store.failures(limit=limit)


def open(
    path: str | Path = "akhbar.db",
    config: PipelineConfig | None = None,
    *,
    read_only: bool = False,
    writer_wait: float | None = None,
) -> Archive:
    """Open (or create) an archive: a SQLite file path, or a ``postgresql://`` URL.

    ``read_only=True`` opens an existing archive for reading only: it never writes (not even a re-ranked related
    list), so any number of readers run beside one writer without waiting. A writer waits for another process's
    write transaction to end: for as long as it takes, or at most ``writer_wait`` seconds
    (then :class:`akhbar.store.base.StoreBusy`)."""
    return Archive(path, config, read_only=read_only, writer_wait=writer_wait)
