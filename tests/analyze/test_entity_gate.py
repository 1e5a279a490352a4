"""The real-span entity gate: the judged yardstick (``bench/data/entity_*.tsv``) stays well formed, and the production
path (tagger → in-article grouping → store merge → ``archive.entity``) keeps its scores on a small ANT sample.

The data tests check the set itself, not akhbar: sizes the issue asks for, one group per spelling, near-miss pairs that
are really two referents by the set's own groups, look-alikes that are not clitic forms. The production test ingests
400 ANT articles the way ``bench/entities.py --sample 400`` does (~15 s) and holds regression bounds a few points
below what the code scored when the gate was written; the issue's targets (variant pair recall >= 0.95, near-miss
merges <= 0.02, no clitic-initial display name) are what the bounds should climb to. The full figures, with baselines
and the errors listed, come from ``.venv/bin/python bench/entities.py`` (4,000 articles, a few minutes).
"""

from __future__ import annotations

import csv
import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "bench" / "data"

# Measured on the 400-article sample (seed 12): at 3ec3389 variant pair recall 0.734, near-miss merges 0.024 (2 of
# 82: ألمانيا/المنيا, المكسيك/مكسيكو), clitic-initial display names 0, mention pairs of a referent together 0.793;
# at 9672c5b (whole-token clitic decisions, type-agnostic in-article grouping, one owner per surname) 0.833, 0.025,
# 0 and 0.890. The floors sit a few points under the latter.
VARIANT_RECALL_FLOOR = 0.80
NEAR_MISS_CEILING = 0.05
CLITIC_NAMES_CEILING = 0
MENTION_PAIRS_FLOOR = 0.86
PARTS = {"full", "short", "alias"}
VARIANTS = {"plain", "no-article", "hashtag", "punct"}
PROCLITICS = set("وفبكل")


def _rows(name: str) -> list[dict[str, str]]:
    lines = [line for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line and line[0] != "#"]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def groups() -> list[dict[str, str]]:
    return _rows("entity_groups.tsv")


def test_groups_cover_the_issue(groups: list[dict[str, str]]) -> None:
    per_type = Counter(t for _, t in {(r["group_id"], r["type"]) for r in groups})
    assert sum(per_type.values()) >= 300
    assert all(per_type[t] >= 50 for t in ("PERS", "LOC", "ORG")), per_type
    assert sum(r["part"] == "short" for r in groups) >= 100  # surnames and short names, scored apart


def test_group_rows_are_well_formed(groups: list[dict[str, str]]) -> None:
    spellings = Counter(r["spelling"] for r in groups)
    assert [s for s, n in spellings.items() if n > 1] == []  # one spelling, one referent
    referents: dict[str, set[str]] = {}
    for r in groups:
        assert r["group_id"][0] == r["type"][0] and r["type"] in ("PERS", "LOC", "ORG"), r
        assert int(r["count_in_sample"]) >= 2 and r["docnos"].split(), r
        assert r["part"] in PARTS, r
        kinds = r["variant"].split(",")
        assert all(k in VARIANTS or k.startswith("clitic:") for k in kinds), r
        if any(k.startswith("clitic:") for k in kinds):
            assert r["spelling"].lstrip("#")[0] in PROCLITICS, r
        referents.setdefault(r["group_id"], set()).add(r["referent"])
    assert all(len(names) == 1 for names in referents.values())


def test_near_misses_are_two_referents(groups: list[dict[str, str]]) -> None:
    group_of = {r["spelling"]: r["group_id"] for r in groups}
    pairs = _rows("entity_near_misses.tsv")
    assert len(pairs) >= 200
    assert len({tuple(sorted((p["spelling_a"], p["spelling_b"]))) for p in pairs}) == len(pairs)
    for p in pairs:
        a, b = p["spelling_a"], p["spelling_b"]
        assert a != b and p["why"] and p["kind"], p
        assert int(p["count_a"]) >= 2 and int(p["count_b"]) >= 2, p
        assert group_of.get(a) is None or group_of.get(a) != group_of.get(b), p
    assert len({p["kind"] for p in pairs}) >= 6


def test_lookalikes_and_junk_are_not_clitic_forms(groups: list[dict[str, str]]) -> None:
    by_spelling = {r["spelling"]: r for r in groups}
    looks = _rows("entity_clitic_lookalikes.tsv")
    assert len(looks) >= 40
    for r in looks:
        assert r["spelling"][0] in PROCLITICS and r["spelling"].startswith(r["lookalike"]), r
        known = by_spelling.get(r["spelling"])
        assert known is None or "clitic" not in known["variant"], r
    junk = _rows("entity_junk.tsv")
    assert {r["kind"] for r in junk} <= {"fragment", "common-word", "ambiguous"}
    assert not {r["spelling"] for r in junk} & set(by_spelling)


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_entities", REPO / "bench" / "entities.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_production_path_on_real_spans(bench: ModuleType, shared_data: Path, tmp_path: Path) -> None:
    ys = bench.Yardstick.load()
    rows = bench.load_ant(shared_data / "ant" / "multisource-v2.1.jsonl.gz")
    docnos = bench.choose_docnos(ys, rows, 400, 12)
    db = tmp_path / "gate.db"
    bench.ingest_sample([rows[d] for d in docnos], db, tmp_path)
    mentions, canon, _ = bench.read_store(db, ys)
    sc = bench.score(bench.rule_from_store(mentions, canon), mentions, ys, 200)
    split = [(a.text, b.text) for _, a, b in sc.split_pairs if bench.pair_kind(a, b) == "variant"][:20]
    assert sc.rate("variant") >= VARIANT_RECALL_FLOOR, split
    assert sc.near_rate() <= NEAR_MISS_CEILING, [(p.a, p.b) for p in sc.near_merged]
    assert sum(kind == "clitic" for _, _, kind in sc.clitic_names) <= CLITIC_NAMES_CEILING, sc.clitic_names
    assert sc.mention_pairs[0] / sc.mention_pairs[1] >= MENTION_PAIRS_FLOOR
    assert sc.looks_merged == [], sc.looks_merged
