"""The search index: top-k full-text search beside the archive, kept in step with the store by its change log.

Why not the store's own full-text search: FTS5 (and the PostgreSQL store's bm25 over postings) scores every article
that matches before it can return the first ten, so a common word costs in proportion to the archive (p95 2.7 s at
1M articles). tantivy (Lucene's design in Rust, embedded, no server) returns the top k with block-max WAND and skips
most of the matches that cannot enter them.

What it holds: the store's search-layer text (the text the store's own full-text table holds: one analyzer,
:func:`akhbar.arabic.normalize.search_terms`, for indexing and querying), as one field in which the title is written
``TITLE_WEIGHT`` times, which is how FTS5 weights its title column: the ranking stays the store's bm25 with the title
boosted (bench/search.py compares both on judged queries); pairs of adjacent common terms as terms of their own, so
a phrase of common words costs what a word costs. Beside them, the fields a search filters on (outlet, day, entity
ids, tag keys), so a filter is applied inside the index, before the top k is cut.

How it stays in step: the store logs every write of an article in that write's own transaction (``search_log``,
:class:`~akhbar.store.base.SearchFeed`). The index holds a state document, committed atomically with the documents it
describes: the archive's id and the number of the last change applied. A writer catches the index up after each of
its commits; after a crash between the archive's commit and the index's (or a kill -9), the next writer replays the
changes the index lacks. Replaying is harmless: a change replaces the article's document whole, and an article no
longer stored loses its document. An index of another archive, of an older format, unreadable or ahead of the store
(the archive was restored from a copy) is rebuilt. A reader uses the index only when it is in step; otherwise the
caller answers from the store's exact search (slower, never wrong) and says so.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import tantivy
from tantivy import Occur

from akhbar.analyze.weights import term_weights
from akhbar.arabic.normalize import dedup_text
from akhbar.store.base import ArticleFilter, IndexedArticle, SearchFeed
from akhbar.store.search import Phrase, Query
from akhbar.store.sql import TITLE_WEIGHT

# The layout of the documents: an index of another format is rebuilt. The title's weight is part of it.
FORMAT_VERSION = f"akhbar-search-2/title-x{int(TITLE_WEIGHT)}"
# Pairs of adjacent terms are indexed as terms when both are common: in at least this share of the articles of the
# shipped document-frequency table (analyze.weights: 1,496 terms of 30k ANT articles, في، من، وزير، الخارجية…; half
# of all adjacent pairs). A phrase of two common words is then one posting list: through positions, «على رئيس» took
# 50 ms at 1M articles. A phrase with a rarer word is matched by positions among that word's articles, few at any
# size. Indexing every pair made the index 3.4 times larger and its build 3.7 times slower (4,374 articles/s).
PAIR_TERM_SHARE = 0.02
# Changes applied, or articles indexed by a rebuild, per step: one read of the store each. A catch-up commits every
# COMMIT_EVERY of them, so a long one interrupted keeps what it did.
PAGE = 1000
COMMIT_EVERY = 50_000
# The writer's indexing memory: tantivy's minimum is 15 MB per thread; a rebuild gets more threads and memory.
WRITER_HEAP = 64_000_000
REBUILD_HEAP = 256_000_000
_STATE = "state"
log = logging.getLogger("akhbar.store")


class IndexBusy(Exception):
    """Another process holds the index's writer lock (it is catching the index up itself)."""


@dataclass(frozen=True, slots=True)
class IndexState:
    """What the state document records: whose index it is, in which format, up to which change."""

    archive: str
    format: str
    seq: int


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("rowid", stored=True, indexed=True, fast=True)
    # Already search-layer terms, separated by spaces: the whitespace tokenizer keeps them as they are.
    builder.add_text_field("text", tokenizer_name="whitespace", index_option="position")
    # Two adjacent common terms as one (``وزير_خارجيه``, see PAIR_TERM_SHARE), within the title and within the body:
    # a phrase of common words is one posting list, ranked top-k like a word, not an intersection with positions.
    builder.add_text_field("pairs", tokenizer_name="whitespace", index_option="freq")
    builder.add_text_field("outlet", tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("day", indexed=True, fast=True)
    builder.add_unsigned_field("entity", indexed=True)
    builder.add_text_field("tag", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("kind", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("state", stored=True, tokenizer_name="raw", index_option="basic")
    return builder.build()


SCHEMA = _schema()


def _has_our_fields(index: tantivy.Index) -> bool:
    """Whether the index has every field of :data:`SCHEMA` (its state alone could be wrong about it)."""
    samples = {"rowid": 1, "text": "x", "pairs": "x", "outlet": "x", "day": 1, "entity": 1, "tag": "x", "kind": "x"}
    try:
        for name, value in samples.items():
            tantivy.Query.term_query(index.schema, name, value)
    except ValueError:
        return False
    return True


def _read_state(index: tantivy.Index) -> IndexState | None:
    """The state document of an index, read with the index's own schema (an older version's has other fields)."""
    searcher = index.searcher()
    try:
        query = tantivy.Query.term_query(index.schema, "kind", _STATE)
        found = searcher.search(query, 1, count=False).hits
        value = json.loads(searcher.doc(found[0][1])["state"][0]) if found else None
        return IndexState(str(value["archive"]), str(value["format"]), int(value["seq"])) if value else None
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def day_bound(text: str) -> int | None:
    """A ``since``/``until`` value as the index's day number, compared as the store compares its ISO day strings:
    ``2024-05-03`` → 20240503, ``2024-05`` → 20240500 (after every April day, before every May day)."""
    digits = re.sub(r"\D", "", text[:10])
    return int(digits.ljust(8, "0")[:8]) if digits else None


@cache
def common_terms() -> frozenset[str]:
    """The terms whose adjacent pairs are indexed (see PAIR_TERM_SHARE)."""
    weights = term_weights()
    return frozenset(term for term, n in weights.df.items() if n >= PAIR_TERM_SHARE * weights.articles)


@cache
def index_format() -> str:
    """The layout of the documents, the common terms included: an index of another format is rebuilt."""
    digest = hashlib.blake2b("\n".join(sorted(common_terms())).encode(), digest_size=6).hexdigest()
    return f"{FORMAT_VERSION}/pairs-{PAIR_TERM_SHARE}-{digest}"


def common_pairs(terms: Sequence[str], common: frozenset[str]) -> list[str]:
    """The pairs of adjacent terms that are both common, joined by ``_`` (which no search-layer term holds: ``_``
    splits words there): what the ``pairs`` field holds of a text."""
    return [f"{a}_{b}" for a, b in pairwise(terms) if a in common and b in common]


def phrase_pairs(words: Sequence[str], common: frozenset[str]) -> list[str] | None:
    """A phrase's pairs when every one is indexed; None when one has a rarer word (matched by positions then)."""
    found = common_pairs(words, common)
    return found if len(found) == len(words) - 1 else None


def document(article: IndexedArticle) -> tantivy.Document:
    common = common_terms()
    title_pairs = " ".join(common_pairs(article.title.split(), common))
    fields: dict[str, object] = {
        "rowid": article.rowid,
        "text": " ".join([article.title] * int(TITLE_WEIGHT) + [article.body]),
        "pairs": " ".join([title_pairs] * int(TITLE_WEIGHT) + common_pairs(article.body.split(), common)),
        "entity": list(article.entities),
        "tag": list(article.tags),
    }
    if article.outlet:
        fields["outlet"] = article.outlet
    if article.day is not None:
        fields["day"] = article.day
    return tantivy.Document.from_dict(fields, SCHEMA)


class SearchIndex:
    """The search index of one archive: a folder (``path``), or memory (``None``: an in-memory archive's)."""

    def __init__(self, path: str | Path | None) -> None:
        self.path = Path(path) if path is not None else None
        self._index: tantivy.Index | None = None

    # --- reading --------------------------------------------------------------------------------------------------

    def _opened(self, *, create: bool) -> tantivy.Index | None:
        """The index, opened once: None when there is none, it cannot be read or it is of another format (an
        older akhbar's), unless ``create``: then such a folder is emptied and a new index made in it."""
        if self._index is not None:
            return self._index
        if self.path is None:
            self._index = tantivy.Index(SCHEMA)
            return self._index
        if (self.path / "meta.json").is_file():
            try:
                found = tantivy.Index.open(str(self.path))
                state = _read_state(found)
                ours = state is not None and state.format == index_format() and _has_our_fields(found)
                problem = None if ours else "is of another version (or was never finished)"
            except ValueError as error:  # tantivy's I/O and format errors
                problem = f"cannot be read ({error})"
            if problem is None:
                self._index = found
                return found
            if not create:
                return None
            log.warning("%s: the search index %s; building it again", self.path, problem)
            shutil.rmtree(self.path)
        if not create:
            return None
        self.path.mkdir(parents=True, exist_ok=True)
        self._index = tantivy.Index(SCHEMA, str(self.path), reuse=False)
        return self._index

    def state(self) -> IndexState | None:
        """The state the index was last committed with (None: no index, another format, unreadable)."""
        index = self._opened(create=False)
        if index is None:
            return None
        try:
            index.reload()
            return _read_state(index)
        except ValueError:  # replaced under this reader by another version's index: opened again next time
            self._index = None
            return None

    def lag(self, feed: SearchFeed) -> int | None:
        """How many changes the index lacks (0: in step), or None when it must be rebuilt."""
        state = self.state()
        if state is None or state.archive != feed.archive_id() or state.format != index_format():
            return None
        last = feed.last_change()
        return last - state.seq if state.seq <= last else None

    def search(
        self, feed: SearchFeed, query: Query, *, limit: int, offset: int = 0, where: ArticleFilter = ArticleFilter()
    ) -> list[tuple[int, float]]:
        """The page of best matches, (row id, score), best first: every group of ``query`` must match; if no article
        has them all (and this is the first page), articles with any of them. Call when :meth:`lag` is 0."""
        index = self._opened(create=False)
        if index is None or not query:
            return []
        searcher = index.searcher()
        filters = self._filters(feed, where)
        found = searcher.search(_match(searcher, query, filters), limit, count=False, offset=offset).hits
        if not found and len(query.groups) > 1 and offset == 0:
            found = searcher.search(_match(searcher, query, filters, any_group=True), limit, count=False).hits
        rowids = searcher.fast_field_values("rowid", [address for _, address in found])
        scored = zip(rowids, (score for score, _ in found), strict=True)
        return [(int(rowid), float(score)) for rowid, score in scored if rowid is not None]

    def count(self, query: Query, *, cap: int) -> int:
        """How many articles match every group of ``query`` (at most ``cap``)."""
        index = self._opened(create=False)
        if index is None or not query:
            return 0
        searcher = index.searcher()
        found = searcher.search(_match(searcher, query, []), cap, count=False).hits
        return len(found)

    def rowids(self) -> list[int]:
        """The row ids of every article indexed, ascending (a check that reads the whole index)."""
        index = self._opened(create=False)
        if index is None:
            return []
        index.reload()
        searcher = index.searcher()
        found = searcher.search(tantivy.Query.exists_query("rowid"), max(1, searcher.num_docs), count=False).hits
        return sorted(int(r) for r in searcher.fast_field_values("rowid", [a for _, a in found]) if r is not None)

    @staticmethod
    def _filters(feed: SearchFeed, where: ArticleFilter) -> list[tantivy.Query]:
        """``where`` as index queries, the store's filter (:meth:`~akhbar.store.sql.SQLStore.list_articles`) to the
        letter: an entity with its short forms, a tag by its dedup key, days compared as the store compares them."""
        out = []
        if where.outlet:
            out.append(tantivy.Query.term_query(SCHEMA, "outlet", where.outlet))
        if where.tag:
            out.append(tantivy.Query.term_query(SCHEMA, "tag", dedup_text(where.tag)))
        if where.entity is not None:
            if not 0 <= where.entity < 2**63:
                return [tantivy.Query.empty_query()]
            ids = [where.entity, *feed.short_forms(where.entity)]
            out.append(tantivy.Query.term_set_query(SCHEMA, "entity", ids))
        since, until = day_bound(where.since or ""), day_bound(where.until or "")
        if since is not None or until is not None:
            kind = tantivy.FieldType.Integer
            out.append(tantivy.Query.range_query(SCHEMA, "day", kind, since, until, use_inverted_index=False))
        return out

    # --- writing --------------------------------------------------------------------------------------------------

    def catch_up(self, feed: SearchFeed, *, on_progress: Callable[[int, int], None] | None = None) -> int:
        """Apply the changes the index lacks, or rebuild it when it must be (see the module notes); returns how many
        articles were (re)indexed. Raises :class:`IndexBusy` when another process is writing the index."""
        index = self._opened(create=True)
        assert index is not None
        lag = self.lag(feed)
        if lag == 0:
            return 0
        if lag is None:
            return self.rebuild(feed, on_progress=on_progress)
        state = self.state()
        assert state is not None
        return self._apply_changes(index, feed, state, on_progress=on_progress, lag=lag)

    def _apply_changes(
        self,
        index: tantivy.Index,
        feed: SearchFeed,
        state: IndexState,
        *,
        on_progress: Callable[[int, int], None] | None = None,
        lag: int = 0,
    ) -> int:
        """Replay the changes numbered after ``state``'s: each changed article's document replaced (or removed)."""
        done = 0
        seq = state.seq
        if not feed.changes(seq, 1):
            return 0
        with _writer(index, self.path) as writer:
            committed = seq
            while page := feed.changes(seq, PAGE):
                rowids = list(dict.fromkeys(rowid for _, rowid in page))
                # By query: delete_documents_by_term takes a Python int as a signed term, which no unsigned field has.
                writer.delete_documents_by_query(tantivy.Query.term_set_query(SCHEMA, "rowid", rowids))
                for article in feed.indexed_articles(rowids):
                    writer.add_document(document(article))
                seq = page[-1][0]
                done += len(rowids)
                if done % COMMIT_EVERY < len(rowids):  # a long catch-up keeps what it did if interrupted
                    self._commit(writer, IndexState(state.archive, index_format(), seq))
                    committed = seq
                if on_progress is not None:
                    on_progress(done, max(lag, done))
            if seq != committed:
                self._commit(writer, IndexState(state.archive, index_format(), seq))
        return done

    def rebuild(self, feed: SearchFeed, *, on_progress: Callable[[int, int], None] | None = None) -> int:
        """Index every stored article anew (``akhbar reindex search``), in one commit: readers see the old index
        until the new one is whole. Returns how many articles were indexed."""
        index = self._opened(create=True)
        assert index is not None
        seq, archive, total = feed.last_change(), feed.archive_id(), feed.size()  # changes after seq: replayed below
        done = 0
        with _writer(index, self.path, heap=REBUILD_HEAP, threads=min(4, os.cpu_count() or 1)) as writer:
            writer.delete_all_documents()
            after = 0
            while rowids := feed.article_rowids(after, PAGE):
                for article in feed.indexed_articles(rowids):
                    writer.add_document(document(article))
                after = rowids[-1]
                done += len(rowids)
                if on_progress is not None:
                    on_progress(done, max(total, done))
            state = IndexState(archive, index_format(), seq)
            self._commit(writer, state)
        return done + self._apply_changes(index, feed, state)

    @staticmethod
    def _commit(writer: tantivy.IndexWriter, state: IndexState) -> None:
        """Commit the documents written with the state they bring the index to, in one atomic commit."""
        writer.delete_documents_by_query(tantivy.Query.term_query(SCHEMA, "kind", _STATE))
        value = json.dumps({"archive": state.archive, "format": state.format, "seq": state.seq})
        writer.add_document(tantivy.Document.from_dict({"kind": _STATE, "state": value}, SCHEMA))
        writer.commit()


@contextmanager
def _writer(index: tantivy.Index, path: Path | None, *, heap: int = WRITER_HEAP, threads: int = 1) -> Iterator[Any]:
    """The index's writer for one catch-up or rebuild. Taken and given back each time (another process may need it):
    on the way out the segment merges it started are finished, so the index does not pile up small segments; on an
    error what was not committed is rolled back."""
    try:
        writer = index.writer(heap_size=heap, num_threads=threads)
    except ValueError as error:
        if "lock" in str(error).lower():
            raise IndexBusy(f"{path}: another process is writing the search index") from error
        raise
    try:
        yield writer
    except BaseException:
        writer.rollback()
        raise
    finally:
        writer.wait_merging_threads()


def _match(
    searcher: tantivy.Searcher, query: Query, filters: list[tantivy.Query], *, any_group: bool = False
) -> tantivy.Query:
    """``query`` as a tantivy query: every group must match (or any, ``any_group``), a group when one of its phrases
    does; ``filters`` must hold and add nothing to the score (the words' bm25 alone ranks).

    A phrase of common words is matched and weighted through its pairs of adjacent words (the ``pairs`` field): a
    phrase of two words is one term, with the phrase's own frequency and rarity, as FTS5 weighs a phrase; a longer
    one is its pairs, each weighing 1/(n-1) of one, and the phrase query as a filter (adjacency of the whole phrase,
    checked only in the articles that have every pair). A phrase with a rarer word goes through positions, cheap
    among that word's articles; tantivy (as Lucene) weighs it by the sum of its words' idf, so ``بيونغ يانغ`` would
    outweigh ``بيونغيانغ`` and push a name's one-word spellings off the page (bench/search.py: Latin queries, which
    expand to such spellings, fell from nDCG@10 0.93 to 0.84): it is scaled to its rarest word's idf, a floor of the
    phrase's own rarity."""

    common = common_terms()

    def idf(term: str) -> float:
        matches = searcher.doc_freq("text", term)
        return math.log(1 + (searcher.num_docs - matches + 0.5) / (matches + 0.5))

    def phrase(words: Phrase) -> tantivy.Query:
        if len(words) == 1:
            return tantivy.Query.term_query(SCHEMA, "text", words[0])
        found = phrase_pairs(words, common)
        if found is None:  # a rarer word: positions, the phrase scaled to its rarest word's idf
            weights = [idf(word) for word in words]
            matched = tantivy.Query.phrase_query(SCHEMA, "text", list(words))
            return tantivy.Query.boost_query(matched, max(weights) / sum(weights))
        terms = [tantivy.Query.term_query(SCHEMA, "pairs", pair) for pair in found]
        if len(terms) == 1:
            return terms[0]
        exact = tantivy.Query.const_score_query(tantivy.Query.phrase_query(SCHEMA, "text", list(words)), 0.0)
        weight = 1.0 / len(terms)
        return tantivy.Query.boolean_query(
            [*((Occur.Must, tantivy.Query.boost_query(t, weight)) for t in terms), (Occur.Must, exact)]
        )

    def group(phrases: tuple[Phrase, ...]) -> tantivy.Query:
        if len(phrases) == 1:
            return phrase(phrases[0])
        return tantivy.Query.boolean_query([(Occur.Should, phrase(p)) for p in phrases])

    occur = Occur.Should if any_group else Occur.Must
    text = tantivy.Query.boolean_query([(occur, group(g)) for g in query.groups])
    if not filters:
        return text
    return tantivy.Query.boolean_query(
        [(Occur.Must, text), *((Occur.Must, tantivy.Query.const_score_query(f, 0.0)) for f in filters)]
    )
