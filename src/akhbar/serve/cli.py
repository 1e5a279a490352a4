"""The ``akhbar`` command: parse, ingest, show, search, stats, failures.

The default database is ``akhbar.db`` in the working directory, or ``$AKHBAR_DB``, or ``--db``.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import replace
from datetime import datetime, tzinfo
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text as RichText

import akhbar
from akhbar.arabic.grammar import articles_count, list_names
from akhbar.arabic.repair import drop_controls
from akhbar.archive import Archive
from akhbar.ingest.base import ReadOptions, Record
from akhbar.ingest.detect import FORMATS
from akhbar.model import Article, Failure
from akhbar.pipeline import PipelineConfig, language_policy
from akhbar.serve import SEARCH_INDEX_ENV, search_index_folder
from akhbar.serve.bulk_cli import LanguagesOption, bulk_app, load_cmd
from akhbar.serve.cli_help import PlainHelpTyper
from akhbar.serve.ner_cli import ner_app
from akhbar.store import db_label
from akhbar.store.base import PutOutcome, StoreError

if TYPE_CHECKING:
    from akhbar.serve.security import ServeConfig

app = PlainHelpTyper(
    help="akhbar — Arabic news engine: clean, structured, searchable Arabic news.", no_args_is_help=True
)
app.add_typer(ner_app, name="ner", help="Named-entity recognition: train, tag, evaluate.")
app.add_typer(bulk_app, name="bulk", help="Process large inputs with Apache Spark into Parquet tables.")
app.command("load")(load_cmd)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


class Text(RichText):
    """rich's Text without control characters. rich lets ESC and C1 controls through, and what is printed comes from
    stored data (an archive written before display text lost them, a file name, a failure's excerpt) that must never
    drive the terminal. Stored text is never read as rich markup either: it is printed through Text only."""

    def __init__(self, text: str = "", *args: Any, **kwargs: Any) -> None:
        super().__init__(drop_controls(text), *args, **kwargs)


# Failure lines printed during one run before the rest are only counted (all are in the quarantine).
MAX_FAILURE_LINES = 50

DbOption = Annotated[
    str,
    typer.Option("--db", envvar="AKHBAR_DB", help="SQLite database file, or a postgresql:// URL.", show_default=True),
]
FormatOption = Annotated[
    str, typer.Option("--format", "-f", help=f"Input format: auto or one of {', '.join(FORMATS)}.")
]
MapOption = Annotated[
    str | None,
    typer.Option("--map", help="JSON-lines field mapping, ours=theirs: 'title=headline,text=content'."),
]
OutletOption = Annotated[str | None, typer.Option("--outlet", help="Outlet to record when the input names none.")]
TzOption = Annotated[
    str | None, typer.Option("--default-tz", help="Zone for dates that name none (e.g. Asia/Riyadh). Default: none.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON lines instead of text.")]


def _open(db: str, config: PipelineConfig | None = None, *, create: bool = False) -> Archive:
    """The archive at ``db``, or a one-line error and exit status 2 when it cannot be used. Only ``ingest``
    (``create``) makes a new SQLite file: a command that reads says there is no archive rather than making an empty
    one in the wrong folder."""
    if not create and "://" not in db and not Path(db).exists():
        err.print(f"no archive at {db}: `akhbar ingest FILES --db {db}` makes one (or give --db the archive's path)")
        raise typer.Exit(1)
    try:
        return akhbar.open(db, with_search_index(config))
    except StoreError as error:
        err.print(f"[red]error:[/red] {escape(drop_controls(str(error)))}", markup=True, highlight=False)
        raise typer.Exit(2) from None


OUTDATED_ANALYSIS = (
    "note: some articles in this archive were analyzed by another version of akhbar (other entity rules or models),"
    " so one name can stand for two entities here; `akhbar reindex` analyzes them all again"
)

# Beyond this many articles a PostgreSQL archive's own search (exact bm25, every match scored) gets slow: at 100k,
# p95 50 ms for a common word and 272 ms for a phrase (bench/search_scale.py --pg); `akhbar serve` says so.
EXACT_SEARCH_ARTICLES = 100_000


def with_search_index(config: PipelineConfig | None) -> PipelineConfig:
    """The configuration with ``AKHBAR_SEARCH_INDEX`` (where a PostgreSQL archive's search index lives, per server;
    a SQLite archive's is beside its file unless this says otherwise), read here, at the edge."""
    config = config or PipelineConfig()
    folder = search_index_folder()
    return replace(config, search_index=folder) if folder and config.search_index is None else config


def _config(fmt: str, mapping: str | None, outlet: str | None, default_tz: str | None) -> PipelineConfig:
    if fmt != "auto" and fmt not in FORMATS:
        raise typer.BadParameter(f"unknown format {fmt!r}; known: auto, {', '.join(FORMATS)}", param_hint="--format")
    field_map: dict[str, str] = {}
    for pair in filter(None, (mapping or "").split(",")):
        ours, sep, theirs = pair.partition("=")
        if not sep or not ours.strip() or not theirs.strip():
            raise typer.BadParameter(f"expected ours=theirs, got {pair!r}", param_hint="--map")
        field_map[ours.strip()] = theirs.strip()
    zone: tzinfo | None = None
    if default_tz:
        try:
            zone = ZoneInfo(default_tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise typer.BadParameter(f"unknown time zone {default_tz!r}", param_hint="--default-tz") from None
    return PipelineConfig(read=ReadOptions(format=fmt, field_map=field_map, outlet=outlet, default_tz=zone))


def _print_json(data: object) -> None:
    """One JSON object per line on stdout (JSON lines), Arabic kept readable."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")


def _print_failure(failure: Failure) -> None:
    err.print(Text(f"✗ {failure.source} @ {failure.position}: {failure.reason}", style="red"))


@app.command()
def parse(
    paths: Annotated[
        list[str], typer.Argument(metavar="PATH", help="Files, folders, globs, .gz files, or - for stdin.")
    ],
    as_json: JsonOption = False,
    fmt: FormatOption = "auto",
    mapping: MapOption = None,
    outlet: OutletOption = None,
    default_tz: TzOption = None,
) -> None:
    """Parse inputs and print the articles, storing nothing. Failures go to stderr."""
    config = _config(fmt, mapping, outlet, default_tz)
    articles = 0
    for path in paths:
        for record in akhbar.parse(path, config):
            if isinstance(record, Failure):
                _print_failure(record)
                continue
            articles += 1
            if as_json:
                _print_json(record.to_json())
            else:
                _print_article_line(record)
    if articles == 0:
        raise typer.Exit(1)


def when(value: datetime | str | None) -> str:
    """A publication time as the CLI shows it: ISO minutes with the zone, or the day alone when the source gave a
    day without a time (stored as midnight: never shown as a made-up 00:00)."""
    if value is None or value == "":
        return ""
    moment = value if isinstance(value, datetime) else _parse_iso(value)
    if moment is None:
        return str(value)
    if (moment.hour, moment.minute, moment.second, moment.microsecond) == (0, 0, 0, 0):
        return moment.date().isoformat()
    return moment.isoformat(timespec="minutes")


def _parse_iso(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


INGEST_COUNTS = {
    "new": "articles stored for the first time",
    "updated": "stored before; the text changed, so stored again",
    "unchanged": "stored before with the same text (a rerun is safe)",
    "failed": "records that could not be read: each is listed above and kept (akhbar failures)",
    "skipped": "WARC records that are not news pages (requests, metadata, non-HTML responses)",
}


def _no_article(article_id: str, db: str) -> NoReturn:
    hint = " (an id prefix needs 6 characters or more)" if len(article_id) < 6 else ""
    err.print(f"no article {article_id!r} in {db_label(db)}{hint}")
    raise typer.Exit(1)


def _articles(n: int) -> str:
    return f"{n:,} article" + ("" if n == 1 else "s")


def _print_article_line(article: Article) -> None:
    date = when(article.published_at) or "—"
    out.print(Text(f"{article.id}  {date}  {article.outlet or '—'}  {article.title}"))


@app.command()
def ingest(
    paths: Annotated[
        list[str], typer.Argument(metavar="PATH", help="Files, folders, globs, .gz files, or - for stdin.")
    ],
    db: DbOption = "akhbar.db",
    fmt: FormatOption = "auto",
    mapping: MapOption = None,
    outlet: OutletOption = None,
    default_tz: TzOption = None,
    entities: Annotated[bool, typer.Option(help="Tag names and resolve entities (about 70k tokens/s).")] = True,
    languages: LanguagesOption = "all",
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            max=256,
            help="Processes in all: one stores and links each batch while the others analyze the next one. Default:"
            " the machine's cores.",
        ),
    ] = os.cpu_count() or 1,
) -> None:
    """Parse inputs and store them. Re-running is safe: unchanged articles are counted, not duplicated.

    Exits non-zero only when nothing at all could be read.
    """
    config = replace(_config(fmt, mapping, outlet, default_tz), entities=entities, languages=language_policy(languages))
    shown = 0

    with (
        _open(db, config, create=True) as archive,
        Progress(
            SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err, transient=True
        ) as progress,
    ):
        task = progress.add_task("reading…", total=None)
        counts = {"articles": 0, "failed": 0}

        def on_record(record: Record, outcome: PutOutcome | None) -> None:
            nonlocal shown
            if isinstance(record, Failure):
                counts["failed"] += 1
                if shown < MAX_FAILURE_LINES:
                    progress.console.print(Text(f"✗ {record}", style="red"))
                    shown += 1
            else:
                counts["articles"] += 1
            progress.update(task, description=f"{counts['articles']:,} articles, {counts['failed']:,} failed")

        try:
            report = archive.ingest(paths, on_record=on_record, jobs=jobs)
        except KeyboardInterrupt:
            progress.stop()
            err.print(
                f"interrupted after {counts['articles']:,} articles: every finished batch is stored; "
                "run the same command again to finish (stored articles count as unchanged)"
            )
            raise typer.Exit(130) from None
        outdated = archive.analysis_outdated

    if report.failed > shown:
        err.print(f"… and {report.failed - shown:,} more failures: see `akhbar failures`")
    summary = Table.grid(padding=(0, 2))
    for name, value in report.to_json().items():
        summary.add_row(name, f"{value:,}", Text(INGEST_COUNTS[name], style="dim"))
    err.print(Text(f"ingested into {db_label(db)}", style="bold"))
    err.print(summary)
    if outdated:
        err.print(OUTDATED_ANALYSIS, style="yellow")
    if not report.read_anything:
        raise typer.Exit(1)


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(help="Article id (or a unique prefix of 6+ characters).")],
    db: DbOption = "akhbar.db",
    as_json: JsonOption = False,
) -> None:
    """Show one article as a reader sees it."""
    with _open(db) as archive:
        view = archive.view(article_id)
    if view is None:
        _no_article(article_id, db)
    if as_json:
        _print_json(view.to_json())
        return
    article, summary, tags = view.article, view.summary, view.tags
    out.print(Text(article.title, style="bold"))
    meta = [
        article.outlet or "",
        f"المصدر: {article.attribution}" if article.attribution and article.attribution != article.outlet else "",
        when(article.published_at),
        f"بقلم: {article.author}" if article.author else "",
    ]
    out.print(Text(" · ".join(m for m in meta if m), style="dim"))
    if article.url:
        out.print(Text(article.url, style="dim"))
    out.print()
    if summary:
        out.print(Text("الملخص: " + summary, style="italic"))
        out.print()
    for block in article.body:
        out.print(Text(block.text, style="bold" if block.type == "heading" else ""))
        out.print()
    if tags:
        out.print(Text("كلمات دلالية: " + " · ".join(t.text for t in tags), style="cyan"))
    if article.tags:
        out.print(Text("وسوم الصفحة: " + " · ".join(article.tags), style="dim cyan"))
    if article.related:
        out.print(Text("إقرأ أيضاً (من الصفحة):", style="bold"))
        for link in article.related:
            out.print(Text(f"  {link.id}  {link.title}"))
    if view.related:
        out.print(Text("إقرأ أيضاً:", style="bold"))
        for ref in view.related:
            out.print(Text(f"  {ref.id[:10]}  {ref.title}"), Text(f"  — {ref.reason}", style="dim"))
    if view.story:
        story = view.story
        out.print(
            Text(
                f"القصة #{story.id}: {story.title} ({articles_count(story.size)}، {list_names(story.outlets)})",
                style="bold",
            )
        )
    if view.also_reported_by:
        out.print(Text("نشرته أيضاً:", style="bold"))
        for dup in view.also_reported_by:
            out.print(Text(f"  {dup.outlet or '—'}  {(dup.published_at or '')[:10]}  {dup.id[:10]}  {dup.title}"))
    out.print(Text(f"\n{article.id} — {article.provenance.source} ({article.provenance.reader})", style="dim"))


@app.command(context_settings={"ignore_unknown_options": True})  # "-كوريا" is a query, not an option
def search(
    query: Annotated[str, typer.Argument(help='Words to find; "quoted words" are a phrase.')],
    db: DbOption = "akhbar.db",
    as_json: JsonOption = False,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=1000)] = 10,
) -> None:
    """Search stored articles (Arabic-aware: hamza, ى/ي, ة/ه, diacritics and clitics do not matter)."""
    if not query.strip():
        err.print("the query is empty: give words to search for")
        raise typer.Exit(1)
    with _open(db) as archive:
        hits, suggestion = archive.search_with_suggestion(query, limit=limit)
    if as_json:
        for hit in hits:
            _print_json(hit.to_json())
        return
    if suggestion:
        err.print(Text(f"هل تقصد: {suggestion}؟", style="bold"))
    if not hits:
        err.print("no results")
        return
    for hit in hits:
        out.print(Text(f"{hit.title}", style="bold"), Text(f"  {hit.id}", style="dim"))
        out.print(Text(" · ".join(x for x in (hit.outlet, when(hit.published_at)) if x), style="dim"))
        snippet = Text(hit.snippet)
        for start, end in hit.highlights:
            snippet.stylize("bold yellow", start, end)
        out.print(snippet)  # the snippet shows why it matched; a summary beside it said the same twice
        out.print()


WORKER_HEALTHCHECK_SECONDS = 60


@app.command()
def serve(
    db: DbOption = "akhbar.db",
    host: Annotated[str, typer.Option("--host", help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Server processes.")] = 1,
    check: Annotated[
        bool, typer.Option("--check", help="Start, answer one request per page kind, print the URL and stop.")
    ] = False,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            metavar="NAME[:PORT]",
            help="Another Host name the server answers to (NAME or NAME:PORT; repeatable), e.g. the public name a"
            " reverse proxy passes on. The bound address and the loopback names are always allowed.",
        ),
    ] = None,
    allowed_origin: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-origin",
            metavar="ORIGIN",
            help="Another origin (scheme://host[:port]; repeatable) whose pages may POST, besides the server's own.",
        ),
    ] = None,
) -> None:
    """Serve the REST API (/api, OpenAPI at /docs) and the web reader (/) over the archive."""
    import os

    import uvicorn

    from akhbar.serve.security import ENV, LOOPBACK, ServeConfig

    try:
        config = ServeConfig.bound(host, port, allowed_host or (), allowed_origin or ())
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None
    with _open(db) as archive:  # a database akhbar cannot use is reported here, before the server starts
        articles = archive.store.size()
        if archive.search_index is None and articles > EXACT_SEARCH_ARTICLES:
            err.print(
                f"akhbar: {articles:,} articles searched with PostgreSQL's exact bm25, which scores every"
                f" match (slower as the archive grows); give this server a search index: {SEARCH_INDEX_ENV}=FOLDER"
            )
        if archive.analysis_outdated:
            err.print(f"akhbar: {OUTDATED_ANALYSIS}", style="yellow")
    if host not in LOOPBACK and not allowed_host:
        err.print(
            f"akhbar: listening on {host}, but only Host {host}:{port} and the loopback names are answered;"
            " name the server's public name with --allowed-host (the server has no authentication: see SECURITY"
            " in README.md)"
        )
    if check:
        _check_serving(db, host, port, config)
        return
    err.print(f"akhbar: serving {db_label(db)} at http://{host}:{port}/ (API docs: http://{host}:{port}/docs)")
    os.environ["AKHBAR_SERVE_DB"] = str(db)
    os.environ[ENV] = config.to_env()
    uvicorn.run(
        "akhbar.serve.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        # uvicorn kills a worker that does not answer its health ping in time (5 s by default); a worker busy with
        # CPU-bound requests on a loaded machine can take longer to get the GIL for the answer, and was killed with
        # every connection it held (bench/serve.py: 50 connection resets a minute on 2 cores). A hung worker is
        # still replaced, a minute later.
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
    )


def _check_serving(db: str, host: str, port: int, config: ServeConfig) -> None:
    """Run the server in this process just long enough to fetch the home page, an article and the API health."""
    import threading
    import time
    import urllib.request

    import uvicorn

    from akhbar.serve.app import create_app

    server = uvicorn.Server(uvicorn.Config(create_app(db, serve=config), host=host, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    base = f"http://{host}:{port}"
    try:
        with urllib.request.urlopen(f"{base}/api/articles?per_page=1", timeout=10) as response:
            items = json.load(response)["items"]
        for path in ["/", "/api/health", "/docs", *(f"/article/{item['id']}" for item in items)]:
            with urllib.request.urlopen(base + path, timeout=30) as response:
                err.print(f"  GET {path} → {response.status}")
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    out.print(f"akhbar serve --db {db_label(db)} → {base}/  (API docs: {base}/docs)")


@app.command()
def related(
    article_id: Annotated[str, typer.Argument(help="Article id (or a unique prefix of 6+ characters).")],
    db: DbOption = "akhbar.db",
    k: Annotated[int, typer.Option("--top", "-k", min=1, max=100, help="How many articles to list.")] = 5,
    as_json: JsonOption = False,
) -> None:
    """Related articles ("read also"), best first, each with the reason; near-duplicates are not listed."""
    with _open(db) as archive:
        article = archive.get(article_id)
        refs = archive.related(article.id, k=k) if article else []
    if article is None:
        _no_article(article_id, db)
    if as_json:
        for ref in refs:
            _print_json(ref.to_json())
        return
    for ref in refs:
        meta = " · ".join(x for x in (ref.outlet, (ref.published_at or "")[:10]) if x)
        out.print(Text(ref.title, style="bold"), Text(f"  {ref.id[:10]}  {meta}  {ref.score:.3f}", style="dim"))
        out.print(Text(f"  {ref.reason}", style="cyan"))


@app.command()
def stories(
    db: DbOption = "akhbar.db",
    since: Annotated[
        str | None, typer.Option("--since", help="Only stories active since this date (YYYY-MM-DD).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=10000)] = 30,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Cluster all articles again in publication order.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Stories (the same event across outlets and days), most recently active first."""
    with _open(db) as archive:
        if rebuild:
            err.print(f"{archive.rebuild_stories()} stories")
        found = archive.stories(since=since, limit=limit)
    if as_json:
        for story in found:
            _print_json(story.to_json())
        return
    for story in found:
        span = " → ".join(x[:10] for x in (story.first_seen, story.last_seen) if x)
        out.print(Text(f"#{story.id}  {story.title}", style="bold"))
        out.print(Text(f"  {_articles(story.size)} · {span} · {list_names(story.outlets)}", style="dim"))


@app.command()
def relink(
    db: DbOption = "akhbar.db",
    stories: Annotated[
        bool, typer.Option("--stories/--no-stories", help="Cluster stories again in time order.")
    ] = True,
    related: Annotated[bool, typer.Option("--related/--no-related", help="Rank stale related lists again.")] = True,
) -> None:
    """After a bulk load: cluster stories again in publication order and rank the related lists that were ranked
    when the archive was much smaller (otherwise each is ranked on its first view)."""
    with _open(db) as archive:
        if stories:
            err.print(f"stories: {archive.rebuild_stories():,}")
        if related:
            with Progress(TextColumn("{task.description}"), TimeElapsedColumn(), console=err, transient=True) as bar:
                task = bar.add_task("related lists…", total=None)
                done = archive.refresh_related(
                    on_progress=lambda n, total: bar.update(task, description=f"related lists: {n:,}/{total:,}")
                )
            err.print(f"related lists ranked again: {done:,}")


class ReindexPart(StrEnum):
    ALL = "all"
    SEARCH = "search"


@app.command()
def reindex(
    what: Annotated[
        ReindexPart,
        typer.Argument(help="all: entities, stories, related lists and the search index; search: the index only."),
    ] = ReindexPart.ALL,
    db: DbOption = "akhbar.db",
) -> None:
    """After an upgrade of akhbar: analyze every stored article again and re-resolve all entities with the current
    rules (mention spans, keys, merging), then cluster stories, rank related lists and build the search index again.
    `akhbar reindex search` rebuilds the search index alone (a missing or damaged one is rebuilt by the next write
    anyway). Nothing stored is lost; if interrupted, run it again."""
    with _open(db) as archive:
        if what is ReindexPart.ALL:
            with Progress(TextColumn("{task.description}"), TimeElapsedColumn(), console=err, transient=True) as bar:
                task = bar.add_task("entities…", total=None)
                done = archive.reindex_entities(
                    on_progress=lambda n, total: bar.update(task, description=f"entities: {n:,}/{total:,} articles")
                )
            err.print(f"articles analyzed again: {done:,}")
            err.print(f"stories: {archive.rebuild_stories():,}")
            with Progress(TextColumn("{task.description}"), TimeElapsedColumn(), console=err, transient=True) as bar:
                task = bar.add_task("related lists…", total=None)
                ranked = archive.refresh_related(
                    on_progress=lambda n, total: bar.update(task, description=f"related lists: {n:,}/{total:,}")
                )
            err.print(f"related lists ranked again: {ranked:,}")
        if archive.search_index is None:
            err.print("no search index for this archive (PostgreSQL without AKHBAR_SEARCH_INDEX): nothing to build")
            return
        started = time.perf_counter()
        with Progress(TextColumn("{task.description}"), TimeElapsedColumn(), console=err, transient=True) as bar:
            task = bar.add_task("search index…", total=None)
            indexed = archive.update_search_index(  # after a full reindex: only what is not in step yet
                rebuild=what is ReindexPart.SEARCH,
                on_progress=lambda n, total: bar.update(task, description=f"search index: {n:,}/{total:,}"),
            )
        if archive.search_index.lag(archive.store) != 0:
            err.print("[red]error:[/red] the search index could not be built (see the message above)", markup=True)
            raise typer.Exit(1)
        err.print(f"search index: {indexed:,} articles indexed in {time.perf_counter() - started:.1f} s")


@app.command()
def story(
    story_id: Annotated[int, typer.Argument(help="Story id (see akhbar stories).")],
    db: DbOption = "akhbar.db",
    as_json: JsonOption = False,
) -> None:
    """A story's timeline: its articles in time order, its outlets and entities."""
    with _open(db) as archive:
        record = archive.story(story_id)
    if record is None:
        err.print(f"no story {story_id} in {db_label(db)}")
        raise typer.Exit(1)
    if as_json:
        _print_json(record.to_json())
        return
    head = record.summary
    out.print(Text(f"#{head.id}  {head.title}", style="bold"))
    out.print(Text(f"{_articles(head.size)} · {list_names(head.outlets)}", style="dim"))
    if record.entities:
        out.print(Text("  " + " · ".join(f"{name} ({n})" for _, name, n in record.entities), style="cyan"))
    for ref in record.articles:
        out.print(Text(f"  {when(ref.published_at) or '—':16}  {ref.outlet or '—':12}  {ref.id[:10]}  {ref.title}"))


@app.command()
def duplicates(
    db: DbOption = "akhbar.db",
    as_json: JsonOption = False,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=10000)] = 50,
) -> None:
    """Groups of near-duplicate articles (one report in several outlets), largest first; primary first."""
    with _open(db) as archive:
        groups = archive.duplicate_groups(limit=limit)
    if as_json:
        for group in groups:
            _print_json({"primary": group[0].to_json(), "also_reported_by": [r.to_json() for r in group[1:]]})
        return
    if not groups:
        err.print("no near-duplicates")
        return
    for group in groups:
        head = group[0]
        out.print(Text(f"{head.title}", style="bold"), Text(f"  {head.id[:10]}  {head.outlet or '—'}", style="dim"))
        for ref in group[1:]:
            out.print(Text(f"  ↳ {ref.outlet or '—'}  {(ref.published_at or '')[:10]}  {ref.id[:10]}  {ref.score:.2f}"))
        out.print()


@app.command()
def entity(
    ref: Annotated[str, typer.Argument(help="Entity id, or a name in any spelling.")],
    db: DbOption = "akhbar.db",
    as_json: JsonOption = False,
) -> None:
    """An entity: its spellings, its type, and the articles that mention it over time."""
    with _open(db) as archive:
        record = archive.entity(ref)
        candidates = archive.entity_candidates(ref) if record is None else []
    if record is None:
        err.print(Text(f"no entity {ref!r} in {db_label(db)}"))
        if candidates:  # a word several people's names have (كيم): say whom it could mean
            err.print(Text(f"{ref!r} is a word of the names of:"))
            for found in candidates:
                err.print(
                    Text(f"  {found.id:>8}  {found.name}  ({found.romanization}, {found.article_count} articles)")
                )
        raise typer.Exit(1)
    if as_json:
        _print_json(record.to_json())
        return
    latin = f" — {record.romanization}" if record.romanization else ""
    out.print(Text(f"{record.name}{latin}  ({record.type}, id {record.id})", style="bold"))
    out.print(Text("spellings: " + " · ".join(f"{s} ×{n}" for s, n in record.spellings)))
    seen = " → ".join(x[:10] for x in (record.first_seen, record.last_seen) if x)
    out.print(Text(f"{record.article_count} articles" + (f", {seen}" if seen else ""), style="dim"))
    for article_id, title, published in record.articles:
        out.print(Text(f"  {(published or '—')[:10]}  {article_id[:10]}  {title}"))


@app.command()
def stats(db: DbOption = "akhbar.db", as_json: JsonOption = False) -> None:
    """Counts per outlet, per day, and failures."""
    with _open(db) as archive:
        result = archive.stats()
        outdated = archive.analysis_outdated
    if as_json:
        _print_json({**result.to_json(), "analysis_outdated": outdated})
        return
    label = escape(drop_controls(db_label(db)))
    out.print(f"[bold]{result.articles:,}[/] articles, [bold]{result.failures:,}[/] failed inputs in {label}")
    if outdated:
        err.print(OUTDATED_ANALYSIS, style="yellow")
    for title, rows in (
        ("outlet", result.per_outlet),
        ("day", result.per_day),
        ("failure", result.failures_per_reason),
    ):
        if rows:
            table = Table(title=f"per {title}", show_header=False)
            for name, count in rows:
                table.add_row(Text(name), f"{count:,}")
            out.print(table)


@app.command()
def failures(
    db: DbOption = "akhbar.db",
    as_json: JsonOption = False,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1)] = 100,
) -> None:
    """Inputs that could not be read (the quarantine): where and why."""
    with _open(db) as archive:
        rows = archive.failures(limit=limit)
    for failure in rows:  # the listing is what was asked for: standard output, as --json
        if as_json:
            _print_json(failure.to_json())
        else:
            out.print(Text(f"✗ {failure.source} @ {failure.position}: {failure.reason}", style="red"))
            if failure.excerpt:
                out.print(Text("  " + " ".join(drop_controls(failure.excerpt).split())[:200], style="dim"))
    if not rows and not as_json:
        err.print(f"no failures recorded in {db_label(db)}")


if __name__ == "__main__":
    app()
