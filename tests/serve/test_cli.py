"""The akhbar command as a user runs it: parse, ingest (with bad input), show, search, stats, failures."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from akhbar.serve.cli import app
from tests.conftest import EXAMPLES

runner = CliRunner()
KEYS = [
    "id",
    "url",
    "outlet",
    "attribution",
    "title",
    "published_at",
    "author",
    "body",
    "tags",
    "related",
    "lang",
    "provenance",
]


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=input)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_parse_json_lines_have_exactly_the_documented_keys(seed_sample: Path) -> None:
    code, out, _ = run("parse", str(seed_sample), "--json")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 2
    assert all(list(row) == KEYS for row in rows)
    assert rows[0]["related"] == [{"id": rows[1]["id"], "title": rows[1]["title"]}]


def test_parse_from_stdin() -> None:
    page = (EXAMPLES / "textpages" / "01_summit_alwatan.txt").read_text(encoding="utf-8")
    code, out, _ = run("parse", "-", "--json", input=page)
    assert code == 0
    assert json.loads(out.splitlines()[0])["provenance"]["source"] == "-"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "akhbar.db"
    code, _, err = run("ingest", str(EXAMPLES), "--db", str(path))
    assert code == 0, err
    assert "new" in err
    return path


def test_ingest_again_changes_nothing(db: Path) -> None:
    code, _, err = run("ingest", str(EXAMPLES), "--db", str(db))
    assert code == 0
    summary = dict(
        line.split()[:2]  # name, count, then what it counts
        for line in err.splitlines()
        if line.split() and line.split()[0] in ("new", "updated", "unchanged", "failed", "skipped")
    )
    assert summary["new"] == "0" and summary["updated"] == "0"
    assert int(summary["unchanged"]) >= 40
    assert summary["failed"] == "1"  # the deliberately malformed JSONL line
    assert summary["skipped"] == "4"  # the WARC's request, warcinfo, image and PDF records


def test_search_and_show(db: Path) -> None:
    code, out, _ = run("search", "بيونغ يانغ", "--db", str(db), "--json", "-n", "5")
    assert code == 0
    hits = [json.loads(line) for line in out.splitlines()]
    assert len(hits) == 5
    assert all(h["snippet"] for h in hits)
    code, out, _ = run("show", hits[0]["id"][:8], "--db", str(db))
    assert code == 0
    assert hits[0]["title"] in out


def test_show_json_has_the_linked_parts(db: Path) -> None:
    _, out, _ = run("search", "فوستوتشني", "--db", str(db), "--json", "-n", "1")
    article_id = json.loads(out.splitlines()[0])["id"]
    code, out, _ = run("show", article_id, "--db", str(db), "--json")
    assert code == 0
    shown = json.loads(out)
    assert shown["summary"] and 3 <= len(shown["auto_tags"]) <= 8
    assert len(shown["read_also"]) == 5 and all(r["reason"] for r in shown["read_also"])
    assert shown["story"]["id"] and shown["story"]["size"] >= 1
    assert isinstance(shown["also_reported_by"], list)


def test_related_duplicates_stories_and_story(db: Path) -> None:
    _, out, _ = run("search", "فوستوتشني", "--db", str(db), "--json", "-n", "1")
    article_id = json.loads(out.splitlines()[0])["id"]
    code, out, _ = run("related", article_id[:8], "--db", str(db), "--top", "3", "--json")
    assert code == 0
    refs = [json.loads(line) for line in out.splitlines()]
    assert len(refs) == 3 and article_id not in {r["id"] for r in refs}
    code, out, _ = run("duplicates", "--db", str(db), "--json")
    groups = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and groups and all(g["also_reported_by"] for g in groups)
    code, out, _ = run("stories", "--db", str(db), "--json", "--since", "2024-01-01")
    listed = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and listed and all((s["last_seen"] or "") >= "2024-01-01" for s in listed)
    code, out, _ = run("story", str(listed[0]["id"]), "--db", str(db))
    assert code == 0 and listed[0]["title"] in out
    code, _, err = run("story", "999999", "--db", str(db))
    assert code == 1 and "no story" in err
    code, _, err = run("related", "0000000000", "--db", str(db))
    assert code == 1 and "no article" in err


def test_latin_and_syntax_queries_do_not_crash(db: Path) -> None:
    for query in ['"', "NEAR(", "AND OR NOT", "Kim Jong Un", "*"]:
        code, _, _ = run("search", query, "--db", str(db))
        assert code == 0


def test_show_unknown_id(db: Path) -> None:
    code, _, err = run("show", "0000000000", "--db", str(db))
    assert code == 1 and "no article" in err


def test_stats(db: Path) -> None:
    code, out, _ = run("stats", "--db", str(db), "--json")
    assert code == 0
    stats = json.loads(out)
    assert stats["articles"] >= 45
    assert stats["failures"] == 1
    assert "سكاي نيوز عربية" in stats["per_outlet"]


def test_an_archive_of_another_analysis_is_told_to_reindex(tmp_path: Path) -> None:
    """After an upgrade that keys names otherwise, stats and ingest say the archive needs `akhbar reindex`, and
    reindex makes it whole again."""
    import akhbar
    from akhbar.archive import ANALYSIS_KEY

    db = str(tmp_path / "old.db")
    assert run("ingest", str(EXAMPLES / "textpages" / "01_summit_alwatan.txt"), "--db", db)[0] == 0
    assert json.loads(run("stats", "--db", db, "--json")[1])["analysis_outdated"] is False
    with akhbar.open(db) as archive, archive.store.transaction():
        archive.store.set_meta(ANALYSIS_KEY, "an-older-akhbar")
    assert json.loads(run("stats", "--db", db, "--json")[1])["analysis_outdated"] is True
    code, _, err = run("ingest", str(EXAMPLES / "textpages" / "02_summit_wire_alarabiya.txt"), "--db", db)
    assert code == 0 and "akhbar reindex" in err
    assert run("reindex", "--db", db)[0] == 0
    assert json.loads(run("stats", "--db", db, "--json")[1])["analysis_outdated"] is False


def test_jsonl_field_map(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({"h": "عنوان مخصص", "c": "نص الخبر المخصص."}, ensure_ascii=False) + "\n")
    code, out, _ = run("parse", str(path), "--json", "--map", "title=h,text=c")
    assert code == 0
    assert json.loads(out)["title"] == "عنوان مخصص"
    code, _, _ = run("parse", str(path), "--map", "title")
    assert code == 2  # a usage error, said clearly


# --- bad input: one clear line each, quarantined, and the run goes on ------------------------------------------------


def bad_inputs(folder: Path) -> dict[str, Path]:
    good = (EXAMPLES / "textpages" / "01_summit_alwatan.txt").read_text(encoding="utf-8")
    files = {
        "empty": ("empty.txt", b""),
        "binary": ("binary.txt", bytes(range(256)) * 40),
        "cp1256": ("legacy.txt", good.encode("cp1256")),
        "invalid utf-8": ("broken.txt", b"\xff\xfe\xfa" * 10 + "عنوان\nنص".encode() + b"\x81\x8d" * 2000),
        "truncated gzip": ("cut.txt.gz", gzip.compress(good.encode())[:200]),
        "huge page": ("huge.html", b"<html><body>" + ("<p>" + "كلمة " * 50 + "</p>").encode() * 40_000 + b"</body>"),
        "deep nesting": ("deep.html", b"<html><body>" + b"<div>" * 10_000 + "نص".encode() + b"</div>" * 10_000),
        "no title": ("notitle.html", "<html><body><p>نص بلا عنوان</p></body></html>".encode()),
        "good": ("good.txt", good.encode()),
    }
    paths = {}
    for label, (name, data) in files.items():
        path = folder / name
        path.write_bytes(data)
        paths[label] = path
    return paths


def test_bad_input_never_stops_the_run(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    inputs = bad_inputs(tmp_path / "in")
    db = tmp_path / "bad.db"
    code, _, err = run("ingest", str(tmp_path / "in"), "--db", str(db))
    assert code == 0, err  # something was read
    for label in ("empty", "binary", "truncated gzip", "no title"):
        assert f"{inputs[label]} @" in err, label  # one line naming the input and the position
    code, out, _ = run("stats", "--db", str(db), "--json")
    stats = json.loads(out)
    assert stats["articles"] >= 2  # the good page, the cp1256 page (and its related article)
    assert stats["failures"] >= 4
    code, out, _ = run("failures", "--db", str(db), "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert {Path(r["source"]).name for r in rows} >= {"empty.txt", "binary.txt", "cut.txt.gz", "notitle.html"}
    assert all(r["reason"] and r["position"] for r in rows)
    code, out, _ = run("failures", "--db", str(db))  # the text listing goes to standard output, excerpts with it
    assert code == 0 and "notitle.html @" in out and len(out.splitlines()) > len(rows)


def test_ingest_fails_only_when_nothing_could_be_read(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    code, _, err = run(
        "ingest", str(tmp_path / "empty.txt"), str(tmp_path / "missing.txt"), "--db", str(tmp_path / "x.db")
    )
    assert code == 1
    assert "empty input" in err and "no such file" in err


def test_relink_after_a_bulk_load(db: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "relink.db"
    shutil.copy(db, copy)
    code, _, err = run("relink", "--db", str(copy))
    assert code == 0 and "stories:" in err and "related lists ranked again:" in err
    code, _, err = run("relink", "--db", str(copy), "--no-stories")
    assert code == 0 and "related lists ranked again: 0" in err  # every list is fresh now
    code, out, _ = run("stories", "--db", str(copy), "--json")
    assert code == 0 and out.strip()


def test_reindex_keeps_every_article_and_entity_lookups(db: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "reindex.db"
    shutil.copy(db, copy)
    _, before, _ = run("stats", "--db", str(copy), "--json")
    code, _, err = run("reindex", "--db", str(copy))
    assert code == 0 and "articles analyzed again:" in err and "stories:" in err, err
    _, after, _ = run("stats", "--db", str(copy), "--json")
    assert json.loads(after) == json.loads(before)
    code, out, _ = run("entity", "pyongyang", "--db", str(copy), "--json")
    assert code == 0 and json.loads(out)["romanization"] == "Pyongyang"


def test_reindex_search_rebuilds_the_search_index_alone(db: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "reindex.db"
    shutil.copy(db, copy)  # without its index folder: as if it were lost
    _, before, _ = run("search", "كوريا الشمالية", "--db", str(copy), "--json")
    code, _, err = run("reindex", "search", "--db", str(copy))
    articles = json.loads(run("stats", "--db", str(copy), "--json")[1])["articles"]
    assert code == 0 and f"search index: {articles:,} articles indexed" in err and "entities" not in err, err
    _, after, _ = run("search", "كوريا الشمالية", "--db", str(copy), "--json")
    assert after == before and before.strip()


def test_a_day_without_a_time_is_shown_as_a_day() -> None:
    """A source that gives the day only is stored at midnight; the CLI never shows that midnight as a time."""
    from datetime import datetime, timedelta, timezone

    from akhbar.serve.cli import when

    assert when(datetime(2024, 8, 1)) == "2024-08-01"
    assert when("2024-08-01T00:00:00+03:00") == "2024-08-01"
    assert when(datetime(2024, 8, 1, 9, 30, tzinfo=timezone(timedelta(hours=3)))) == "2024-08-01T09:30+03:00"
    assert when(None) == "" and when("not a date") == "not a date"


def test_a_command_that_reads_never_makes_an_empty_archive(tmp_path: Path) -> None:
    db = tmp_path / "akhbar.db"
    for command in (["search", "كوريا"], ["stats"], ["failures"], ["stories"]):
        code, _, err = run(*command, "--db", str(db))
        assert code == 1 and "no archive at" in err and "akhbar ingest" in err, command
    assert not db.exists()


def test_queries_that_look_like_options_or_nothing_and_short_ids_are_answered(db: Path) -> None:
    code, out, _ = run("search", "-كوريا", "--db", str(db), "-n", "1")
    assert code == 0 and out.strip()  # a leading minus is part of the query, not an unknown option
    code, _, err = run("search", "  ", "--db", str(db))
    assert code == 1 and "empty" in err
    code, _, err = run("show", "abc", "--db", str(db))
    assert code == 1 and "6 characters" in err


def test_counts_read_as_the_language_they_are_in() -> None:
    from akhbar.arabic.grammar import articles_count

    assert [articles_count(n) for n in (1, 2, 3, 10, 11, 13, 99, 100, 103)] == [
        "مقال واحد", "مقالان", "3 مقالات", "10 مقالات", "11 مقالاً", "13 مقالاً", "99 مقالاً", "100 مقال", "103 مقالات",
    ]  # fmt: skip


def test_story_lines_count_in_english_and_list_arabic_names_with_the_arabic_comma(db: Path) -> None:
    code, out, _ = run("stories", "--db", str(db), "-n", "50")
    meta = [line for line in out.splitlines() if " · " in line]  # "  3 articles · span · outlet، outlet"
    assert code == 0 and meta and not any(line.lstrip().startswith("1 articles") or ", " in line for line in meta)


HELP_PAGES = [
    [],
    ["parse"],
    ["ingest"],
    ["search"],
    ["show"],
    ["serve"],
    ["stories"],
    ["ner", "train"],
    ["bulk", "run"],
]


@pytest.mark.parametrize("command", HELP_PAGES, ids=lambda c: " ".join(c) or "akhbar")
def test_help_pages_speak_the_users_language_not_pythons(command: list[str]) -> None:
    code, out, _ = run(*command, "--help")
    assert code == 0
    for python in ("<bool>", "<str>", "<int", "<list", "{", "}", "`"):
        assert python not in out, (python, command)
    assert "Usage: " in out


def test_help_names_arguments_and_values_as_users_type_them() -> None:
    _, parse_help, _ = run("parse", "--help")
    assert "parse [OPTIONS] PATH..." in parse_help
    _, search_help, _ = run("search", "--help")
    assert "search [OPTIONS] QUERY" in search_help
    assert "INTEGER" in search_help and "TEXT" in search_help
