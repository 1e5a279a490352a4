"""What a bulk run does per input file and per article: the same stage functions as ``akhbar ingest``.

Two stages, so that a single large input (one JSON-lines dump, one 1 GB WARC) still keeps every core busy:

1. :func:`read_inputs` — per input file (one Spark task per file): read only (the readers of ``akhbar ingest``), and
   yield the articles with the file's failures and one ``file`` record that says the file was read to its end.
   Nothing costly happens here: a single large file is one task, and everything after the shuffle runs in parallel.
   A file that raises while being read (a network filesystem that drops, a reader bug) is read again from its start
   (``attempts``); if it still fails, one failure says so and the run goes on. A file's records are held until the
   file is read whole, so a retried file never yields twice.
2. :func:`analyze_articles` — per article, after the articles are spread over ``--partitions`` tasks: repair
   (:func:`akhbar.pipeline.prepare`), the language check (other languages are counted and dropped), entities,
   key phrases, tags, summary (:func:`akhbar.analyze.annotate.analyze`) and the near-duplicate fingerprint
   (:func:`akhbar.link.duplicates.fingerprint`). An article whose analysis raises becomes a failure; the others go on.

The NER model and the dictionaries are loaded once per Python worker (module-level caches) and Spark reuses its
workers across tasks, so each executor pays the load once.
"""

from __future__ import annotations

import gzip
import io
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from akhbar.bulk.records import failure_row, nested_article
from akhbar.ingest.base import ReadOptions
from akhbar.ingest.detect import InputFile, read_input
from akhbar.link.duplicates import DedupConfig, fingerprint
from akhbar.model import Article, Failure, internal_error
from akhbar.pipeline import PipelineConfig, Skipped, process_article


@dataclass(frozen=True, slots=True)
class BulkOptions:
    """What the executors need to know; sent to them with the task (small, picklable)."""

    # The per-article stages' configuration, as ``akhbar ingest`` takes it. Pages with no Arabic letters are skipped
    # before extraction (most of CC-NEWS), and articles outside ``languages`` after repair: both counted as
    # skipped_language (the policy is PipelineConfig's, the same field on both paths; a bulk run keeps Arabic).
    pipeline: PipelineConfig = field(
        default_factory=lambda: PipelineConfig(read=ReadOptions(arabic_pages_only=True), languages=("ar",))
    )
    attempts: int = 2  # reads of a file before it is given up and quarantined
    dedup: DedupConfig = field(default_factory=DedupConfig)


@dataclass(slots=True)
class FileResult:
    """How reading one input file went: what the driver writes as the file's completion marker."""

    input: str
    status: str  # ok | failed
    articles: int = 0
    failures: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    attempts: int = 1

    def to_json(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "status": self.status,
            "articles": self.articles,
            "failures": self.failures,
            "skipped": self.skipped,
            "attempts": self.attempts,
        }


# What stage 1 yields: ("article", name, Article) | ("failure", name, Failure) | ("file", name, FileResult).
ReadItem = tuple[str, str, Any]
Opener = Callable[[], BinaryIO]


def read_file(name: str, opener: Opener | None, options: BulkOptions) -> Iterator[ReadItem]:
    """Every kept article and every failure of one input file, then its FileResult (see the module docstring).

    ``opener`` gives the file's bytes (remote files: the bytes Spark fetched); None opens ``name`` as a local path.
    """
    error: Exception | None = None
    for attempt in range(1, options.attempts + 1):
        counters: Counter[str] = Counter()
        items: list[ReadItem] = []
        try:
            # Opened here, not by the reader (which turns an open error into a Failure): a filesystem that fails
            # to open a file is worth a second try; damage inside the bytes is not, and the reader reports it.
            raw = opener() if opener is not None else open(name.removeprefix("file://"), "rb")  # noqa: SIM115
            source = _OpenedInput(name.removeprefix("file://"), None, raw)
            for record in read_input(source, options.pipeline.read, counters):
                if isinstance(record, Article):
                    items.append(("article", name, record))
                else:
                    items.append(("failure", name, record))
        except Exception as caught:  # a filesystem error, or a reader bug: read the file again from its start
            error = caught
            continue
        yield from items
        failures = sum(1 for kind, _, _ in items if kind == "failure")
        yield (
            "file",
            name,
            FileResult(name, "ok", len(items) - failures, failures, _skips(counters), attempt),
        )
        return
    assert error is not None
    yield (
        "failure",
        name,
        Failure(
            source=name,
            position="-",
            reason=f"input failed {options.attempts} times while being read ({type(error).__name__}: {error});"
            " it is retried on the next run",
            reader="bulk",
        ),
    )
    yield "file", name, FileResult(name, "failed", 0, 1, {}, options.attempts)


def _skips(counters: Counter[str]) -> dict[str, int]:
    """What readers skipped on purpose (non-HTML WARC records, other languages), not what they merely counted."""
    return {reason: count for reason, count in counters.items() if reason.startswith("skipped_")}


@dataclass(frozen=True, slots=True)
class _OpenedInput(InputFile):
    """An input already opened (a local file, or the bytes Spark fetched from a Hadoop filesystem)."""

    raw: BinaryIO | None = None

    def open(self) -> BinaryIO:
        assert self.raw is not None
        if self.name.endswith(".gz") and not self.name.endswith((".tar.gz", ".warc.gz")):
            return gzip.GzipFile(fileobj=self.raw)  # type: ignore[return-value]
        return self.raw


def read_inputs(names: Iterable[str], options: BulkOptions) -> Iterator[ReadItem]:
    """Stage 1 over local paths (or ``file://`` URIs) — the body of a Spark ``mapPartitions``."""
    for name in names:
        yield from read_file(name, None, options)


def read_fetched(files: Iterable[tuple[str, bytes]], options: BulkOptions) -> Iterator[ReadItem]:
    """Stage 1 over (URI, bytes) pairs, as Spark's ``binaryFiles`` gives files of any Hadoop filesystem."""
    for name, data in files:
        yield from read_file(name, lambda data=data: io.BytesIO(data), options)  # type: ignore[misc]


def analyze_articles(items: Iterable[ReadItem], options: BulkOptions, run: str) -> Iterator[dict[str, Any]]:
    """Stage 2: one output row per item — ``{"article": nested row}``, ``{"failure": row}``, ``{"file": result}`` or
    ``{"skipped": reason}`` (an article in another language)."""
    for kind, name, value in items:
        if kind == "article":
            yield _analyzed(value, name, options, run)
        elif kind == "failure":
            yield {"kind": "failure", "failure": failure_row(value, name, run)}
        else:
            yield {"kind": "file", "file": value.to_json()}


def _analyzed(raw: Article, name: str, options: BulkOptions, run: str) -> dict[str, Any]:
    """One article through the per-article stages of ``akhbar ingest`` (:func:`akhbar.pipeline.process_article`),
    then its near-duplicate fingerprint."""
    result = process_article(raw, options.pipeline)
    if isinstance(result, Skipped):
        return {"kind": "skipped", "skipped": result.reason}
    if isinstance(result, Failure):  # too large, no visible title or text, a bug of ours: quarantined as by `ingest`
        return {"kind": "failure", "failure": failure_row(result, name, run)}
    try:
        fp = fingerprint(result.article, options.dedup)
    except Exception as error:
        return {"kind": "failure", "failure": failure_row(internal_error(raw, "fingerprint", error), name, run)}
    assert result.analysis is not None  # process_article analyzes unless asked not to
    return {"kind": "article", "article": nested_article(result.article, result.analysis, fp, name)}
