"""Benchmark: entities you can trust on real news, scored on the production path end to end.

Run from the repo root:  .venv/bin/python bench/entities.py [--sample N] [--seed S] [--top N] [--db FILE]
                         [--quiet | --list N]

The yardstick (``bench/data/``, judged by hand from ANT spans, see ``bench/data/ENTITY_GUIDE.md``):

* ``entity_groups.tsv``: 586 referents (PERS, LOC, ORG) and every spelling the shipped tagger emits for each (count
  >= 2 in ANT), with clitics, hashtags, punctuation, transliterations, surnames (``part=short``) and other names of the
  same referent (``part=alias``);
* ``entity_near_misses.tsv``: 220 pairs of spellings a crude key collides that name two referents (ألمانيا/المنيا);
* ``entity_clitic_lookalikes.tsv``: names whose first letter looks like a proclitic (بكين is not ب + كين);
* ``entity_junk.tsv``: frequent spans that are not one entity (fragments, common words, shared names).

The run: a fixed-seed sample of ANT articles (those where the set's spellings were seen first, then random ones; the
ANT rows as they are, in a temporary JSON-lines file) is ingested with the real code path (``akhbar.open(db).ingest``:
tagger, in-article grouping, the store's merge rule), then the store is read back. Each stored mention is matched to
the set by the text of its span from the start of its first token (so a proclitic the tagger cuts off, لإيران → إيران,
still counts for the spelling the tagger used to emit), else by its whole tokens, its own text, or its text after لل
(أمم المتحدة), and its entity is mapped to the canonical entity the public API shows (``archive.entity(id)``: a
surname alone reads as its full name). Scores, beside the same scores of two rules over the same spans: ``exact``
(one entity per spelling, no merging) and ``entity_key`` (one entity per key of the spelling, no type):

* pair recall: pairs of observed spellings of one referent that land in one entity (each spelling counted where most
  of its mentions go); ``variant`` pairs write one name (clitic, hamza, ة/ه, transliteration, hashtag...), ``short``
  pairs join a surname or short name to the full name, ``alias`` pairs two names of one referent; weighted by mention
  pairs (n_a * n_b) and unweighted;
* near-miss merges: judged-different pairs that land in one entity;
* clitic-initial display names: among the N most mentioned entities, display names that are a proclitic + a name the
  set knows (لإيران, وقطر, لرويترز) or a name that lost its article after لل (أمم المتحدة, ولايات المتحدة);
* fragmentation: distinct entities a referent's mentions land in, the share of its mentions in the largest, and the
  share of its mention pairs (same spelling or not) that share an entity: a surname left unresolved shows here even
  when most of its mentions, and so the spelling, join the full name;
* look-alikes stripped or merged with the name the strip leaves; junk display names among the N most mentioned;
* the 20 largest entities of each type with their display names.

Targets (issue 12): variant pair recall >= 0.95, near-miss merges <= 0.02, clitic-initial display names 0.
Runtime: about 3-4 min for the default sample of 4,000 articles on one core (the ingest is two thirds of it);
``--db FILE`` keeps the archive, and a second run on it only reads it back (~1 min).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations
from pathlib import Path
from statistics import median
from typing import Any

import akhbar
from akhbar.analyze.annotate import analysis_text
from akhbar.arabic.normalize import entity_key

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "bench" / "data"
SHARED = Path(os.environ.get("AKHBAR_SHARED", REPO.parent / "shared")) / "data"
ANT = SHARED / "ant" / "multisource-v2.1.jsonl.gz"
TYPES = ("PERS", "LOC", "ORG")

TARGET_RECALL = 0.95
TARGET_NEAR_MISS = 0.02
TARGET_CLITIC_NAMES = 0

PROCLITICS = ("لل", "وب", "ول", "فل", "فب", "وك", "فك", "و", "ف", "ب", "ك", "ل")
PUNCT = ".:،,!?؟;؛…"
_DIACRITICS = re.compile("[\u064b-\u0652\u0670\u0640]")
_FOLD = str.maketrans("_-", "  ", '#"')


def fold(text: str) -> str:
    """A light comparison form of a spelling (hamza forms, ى/ي, ة/ه, diacritics, #, _, -, edge punctuation)."""
    text = _DIACRITICS.sub("", text).translate(_FOLD)
    text = re.sub("[أإآٱ]", "ا", text).replace("ى", "ي").replace("ة", "ه")
    return " ".join(text.strip(PUNCT).split())


# --- the yardstick --------------------------------------------------------------------------------------------------


def read_tsv(path: Path) -> list[dict[str, str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


@dataclass(frozen=True, slots=True)
class Spelling:
    group: str
    referent: str
    type: str
    text: str
    count: int
    part: str  # full | short | alias
    form: str  # the name this spelling writes
    variant: str  # plain | clitic:X | no-article | hashtag | punct (comma-joined)
    docnos: tuple[str, ...]

    @property
    def clitic(self) -> bool:
        return "clitic:" in self.variant

    @property
    def no_article(self) -> bool:
        return "no-article" in self.variant


@dataclass(frozen=True, slots=True)
class NearMiss:
    a: str
    b: str
    type_a: str
    type_b: str
    why: str
    kind: str


@dataclass(frozen=True, slots=True)
class Lookalike:
    text: str
    referent: str
    remainder: str
    remainder_names: str  # "Harry Kane (كين)" or "-"

    @property
    def remainder_spelling(self) -> str | None:
        found = re.search(r"\(([^)]+)\)", self.remainder_names)
        return found.group(1) if found else None


@dataclass
class Yardstick:
    spellings: dict[str, Spelling]
    groups: dict[str, list[Spelling]]
    near_misses: list[NearMiss]
    lookalikes: list[Lookalike]
    junk: dict[str, str]  # spelling → kind
    docnos: dict[str, tuple[str, ...]]  # every spelling of the set → where the tagger emits it

    @classmethod
    def load(cls, data: Path = DATA) -> Yardstick:
        spellings: dict[str, Spelling] = {}
        groups: dict[str, list[Spelling]] = defaultdict(list)
        docnos: dict[str, tuple[str, ...]] = {}
        for r in read_tsv(data / "entity_groups.tsv"):
            s = Spelling(
                r["group_id"], r["referent"], r["type"], r["spelling"], int(r["count_in_sample"]), r["part"],
                r["form"], r["variant"], tuple(r["docnos"].split()),
            )  # fmt: skip
            spellings[s.text] = s
            groups[s.group].append(s)
            docnos[s.text] = s.docnos
        near = []
        for r in read_tsv(data / "entity_near_misses.tsv"):
            near.append(NearMiss(r["spelling_a"], r["spelling_b"], r["type_a"], r["type_b"], r["why"], r["kind"]))
            docnos.setdefault(r["spelling_a"], tuple(r["docnos_a"].split()))
            docnos.setdefault(r["spelling_b"], tuple(r["docnos_b"].split()))
        looks = []
        for r in read_tsv(data / "entity_clitic_lookalikes.tsv"):
            looks.append(Lookalike(r["spelling"], r["referent"], r["remainder"], r["remainder_names"]))
            docnos.setdefault(r["spelling"], tuple(r["docnos"].split()))
        junk = {r["spelling"]: r["kind"] for r in read_tsv(data / "entity_junk.tsv")}
        return cls(spellings, dict(groups), near, looks, junk, docnos)

    def known(self) -> set[str]:
        """Every spelling the set names (groups, near-misses, look-alikes, junk)."""
        return set(self.docnos) | set(self.junk)

    @cached_property
    def plain_names(self) -> frozenset[str]:
        """The folded spellings of the set that are names as written (no clitic, no lost article)."""
        return frozenset(fold(s.text) for s in self.spellings.values() if s.variant in ("plain", "hashtag", "punct"))

    def clitic_kind(self, name: str) -> str | None:
        """``clitic`` when a display name is a proclitic + a name the set knows, ``no-article`` when it is a name of
        the set without its article (after لل), else None. Names the set knows as plain names (بكين) are fine."""
        known = self.spellings.get(name)
        if known is not None:
            return "clitic" if known.clitic else "no-article" if known.no_article else None
        if name in self.docnos:  # a near-miss or look-alike spelling: a name in its own right
            return None
        plain = self.plain_names
        folded = fold(name)
        for p in PROCLITICS:
            rest = folded[len(p) :]
            if folded.startswith(p) and len(rest) > 1 and (rest in plain or (p == "لل" and "ال" + rest in plain)):
                return "clitic"
        if not folded.startswith("ال") and "ال" + folded in plain:
            return "no-article"
        return None


# --- the sample and the ingest --------------------------------------------------------------------------------------


def load_ant(path: Path) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            rows.setdefault(row["docno"], row)
    return rows


def choose_docnos(ys: Yardstick, available: Iterable[str], n: int, seed: int) -> list[str]:
    """First the articles where each spelling of the set was seen (its first listed docno, then its second...), in a
    seeded order, then random articles, up to n."""
    rng = random.Random(seed)
    pool = set(available)
    texts = sorted(ys.docnos)
    rng.shuffle(texts)
    chosen: list[str] = []
    seen: set[str] = set()
    for rank in range(3):
        for text in texts:
            docs = ys.docnos[text]
            if len(chosen) < n and rank < len(docs) and docs[rank] in pool and docs[rank] not in seen:
                seen.add(docs[rank])
                chosen.append(docs[rank])
    rest = sorted(pool - seen)
    rng.shuffle(rest)
    chosen += rest[: max(0, n - len(chosen))]
    return chosen


def ingest_sample(rows: list[dict[str, Any]], db: Path, workdir: Path) -> tuple[float, Any]:
    sample = workdir / "ant-sample.jsonl"
    with sample.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    t0 = time.perf_counter()
    with akhbar.open(db) as archive:
        report = archive.ingest([sample])
    return time.perf_counter() - t0, report


# --- what the store made --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredMention:
    spelling: str | None  # the set spelling this mention is an occurrence of, if any
    text: str  # the mention's stored text
    entity: int  # the stored entity its row points at


@dataclass
class Canonical:
    id: int
    name: str
    type: str


def _token_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = start
    while left > 0 and not text[left - 1].isspace():
        left -= 1
    right = end
    while right < len(text) and not text[right].isspace():
        right += 1
    return left, right


def set_spelling(text: str, start: int, end: int, stored: str, known: set[str]) -> str | None:
    """The set spelling a stored mention is: its own text, or the text from the start of its first token (a proclitic
    a later tagger leaves out of the span), or its whole tokens (trailing punctuation), or لل-less (أمم المتحدة)."""
    left, right = _token_bounds(text, start, end)
    surfaces = [text[left:end], text[left:right], stored, text[start:right]]
    if surfaces[0].startswith("لل"):
        surfaces.append(surfaces[0][2:])
    return next((s for s in surfaces if s in known), None)


def read_store(db: Path, ys: Yardstick) -> tuple[list[StoredMention], dict[int, Canonical], dict[str, str]]:
    """Every stored mention (with its set spelling), the canonical entity of every stored entity that has mentions,
    and the docno of every stored article (by id)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    columns = [r[1] for r in con.execute("PRAGMA table_info(mentions)")]
    text_col = next(c for c in ("spelling", "text") if c in columns)
    by_article: dict[int, list[tuple[int, int, int, str]]] = defaultdict(list)
    for article, entity, start, end, text in con.execute(
        f'SELECT article, entity, start, "end", {text_col} FROM mentions'
    ):
        by_article[article].append((entity, start, end, text))
    ids = dict(con.execute("SELECT rowid, id FROM articles").fetchall())
    con.close()
    known = ys.known()
    mentions: list[StoredMention] = []
    docnos: dict[str, str] = {}
    canon: dict[int, Canonical] = {}
    with akhbar.open(db, read_only=True) as archive:
        for rowid, rows in by_article.items():
            article = archive.get(ids[rowid])
            if article is None:
                continue
            docnos[article.id] = article.provenance.record or ""
            body = analysis_text(article)
            for entity, start, end, text in rows:
                mentions.append(StoredMention(set_spelling(body, start, end, text, known), text, entity))
        # The canonical entity through the public API, for every entity that holds a spelling of the set or more
        # than one mention; a lone mention of a spelling the set lacks stays its own entity (it cannot change a score,
        # and the look-ups would cost more than the ingest).
        raw = Counter(m.entity for m in mentions)
        wanted = {m.entity for m in mentions if m.spelling is not None} | {e for e, n in raw.items() if n > 1}
        text_of = {m.entity: m.text for m in mentions}
        for entity in sorted(raw):
            record = archive.entity(str(entity)) if entity in wanted else None
            canon[entity] = (
                Canonical(record.id, record.name, record.type) if record else Canonical(entity, text_of[entity], "")
            )
    return mentions, canon, docnos


# --- scoring --------------------------------------------------------------------------------------------------------


@dataclass
class Rule:
    """How one rule clusters the sample's mentions: a cluster per mention and a display name per cluster."""

    name: str
    cluster: list[Any]  # parallel to the mentions
    display: dict[Any, str]
    types: dict[Any, str] = field(default_factory=dict)


def rule_from_store(mentions: list[StoredMention], canon: dict[int, Canonical]) -> Rule:
    cluster = [canon[m.entity].id for m in mentions]
    # an entity left unresolved (a lone mention) may be the canonical entity of others: the API's answer wins
    by_id = {c.id: c for c in sorted(canon.values(), key=lambda c: c.type != "")}
    return Rule("akhbar", cluster, {i: c.name for i, c in by_id.items()}, {i: c.type for i, c in by_id.items()})


def rule_from_function(name: str, mentions: list[StoredMention], key: Callable[[str], Any]) -> Rule:
    """A rule that clusters spans by a function of their spelling (the set spelling when known, else the stored
    text); a cluster's display name is its most frequent spelling."""
    cluster = [key(m.spelling or m.text) for m in mentions]
    counts: dict[Any, Counter[str]] = defaultdict(Counter)
    for m, c in zip(mentions, cluster, strict=True):
        counts[c][m.spelling or m.text] += 1
    return Rule(name, cluster, {c: n.most_common(1)[0][0] for c, n in counts.items()})


@dataclass
class Scores:
    pairs: dict[str, list[float]] = field(default_factory=dict)  # kind → [kept, all, kept_w, all_w]
    near: dict[str, list[int]] = field(default_factory=dict)  # kind → [merged, observed]
    near_merged: list[NearMiss] = field(default_factory=list)
    split_pairs: list[tuple[float, Spelling, Spelling]] = field(default_factory=list)
    clitic_names: list[tuple[str, int, str]] = field(default_factory=list)  # name, mentions, kind
    junk_names: list[tuple[str, int, str]] = field(default_factory=list)
    fragments: dict[str, tuple[int, float, int]] = field(default_factory=dict)  # group → (entities, top share, n)
    majority_entities: dict[str, int] = field(default_factory=dict)  # group → distinct majority entities
    mention_pairs: list[int] = field(default_factory=lambda: [0, 0])  # mention pairs of a referent together / all
    looks_stripped: list[str] = field(default_factory=list)
    looks_merged: list[str] = field(default_factory=list)
    looks_observed: int = 0
    top: list[tuple[Any, int]] = field(default_factory=list)  # most mentioned clusters
    major_type: dict[str, str] = field(default_factory=dict)  # spelling → type of the entity most mentions land in

    def rate(self, kind: str, weighted: bool = False) -> float:
        kept, n, kept_w, n_w = self.pairs.get(kind, [0, 0, 0, 0])
        return (kept_w / n_w if n_w else float("nan")) if weighted else (kept / n if n else float("nan"))

    def near_rate(self, kind: str = "ALL") -> float:
        merged, n = self.near.get(kind, [0, 0])
        return merged / n if n else float("nan")


def variant_kind(a: Spelling, b: Spelling) -> str:
    """What separates two spellings of one name: the non-plain variant of either (clitic, no-article, hashtag, punct),
    else their letters (hamza, ى/ي, ة/ه, transliteration, spacing)."""
    for kind in ("clitic", "no-article", "hashtag", "punct"):
        if kind in a.variant or kind in b.variant:
            return kind
    return "letters"


def pair_kind(a: Spelling, b: Spelling) -> str:
    if a.form == b.form:
        return "variant"
    if "short" in (a.part, b.part):
        return "short"
    return "alias"


def score(rule: Rule, mentions: list[StoredMention], ys: Yardstick, top_n: int) -> Scores:
    sc = Scores()
    per_spelling: dict[str, Counter[Any]] = defaultdict(Counter)
    for m, c in zip(mentions, rule.cluster, strict=True):
        if m.spelling is not None:
            per_spelling[m.spelling][c] += 1
    # a spelling's entity: where most of its mentions go (ties: the first seen)
    major = {s: n.most_common(1)[0][0] for s, n in per_spelling.items()}
    size = {s: sum(n.values()) for s, n in per_spelling.items()}
    sc.major_type = {s: rule.types.get(c, "") for s, c in major.items()}

    for spellings in ys.groups.values():
        seen = [s for s in spellings if s.text in major]
        for a, b in combinations(seen, 2):
            kind = pair_kind(a, b)
            kept = major[a.text] == major[b.text]
            weight = size[a.text] * size[b.text]
            extra = ["all but alias"] if kind != "alias" else []
            if kind == "variant":
                extra.append("variant: " + variant_kind(a, b))
            for k in (kind, "all", *extra):
                row = sc.pairs.setdefault(k, [0, 0, 0, 0])
                row[0] += kept
                row[1] += 1
                row[2] += kept * weight
                row[3] += weight
            if not kept:
                sc.split_pairs.append((weight, a, b))
        if seen:
            clusters: Counter[Any] = Counter()
            for s in seen:
                clusters.update(per_spelling[s.text])
            total = sum(clusters.values())
            group = seen[0].group
            sc.fragments[group] = (len(clusters), clusters.most_common(1)[0][1] / total, total)
            sc.mention_pairs[0] += sum(n * n for n in clusters.values())
            sc.mention_pairs[1] += total * total
            sc.majority_entities[group] = len({major[s.text] for s in seen})
    sc.split_pairs.sort(key=lambda x: -x[0])

    for p in ys.near_misses:
        if p.a in major and p.b in major:
            merged = major[p.a] == major[p.b]
            for k in (p.kind, "ALL"):
                row2 = sc.near.setdefault(k, [0, 0])
                row2[0] += merged
                row2[1] += 1
            if merged:
                sc.near_merged.append(p)

    for look in ys.lookalikes:
        if look.text not in major:
            continue
        sc.looks_observed += 1
        shown = rule.display.get(major[look.text], "")
        if fold(shown) == fold(look.remainder):
            sc.looks_stripped.append(f"{look.text} → {shown}")
        other = look.remainder_spelling
        if other and other in major and major[other] == major[look.text]:
            sc.looks_merged.append(f"{look.text} = {other} ({look.remainder_names})")

    totals = Counter(rule.cluster)
    sc.top = totals.most_common(top_n)
    for cluster, n in sc.top:
        name = rule.display.get(cluster, "?")
        name_kind = ys.clitic_kind(name)
        if name_kind is not None:
            sc.clitic_names.append((name, n, name_kind))
        if ys.junk.get(name) in ("fragment", "common-word"):
            sc.junk_names.append((name, n, ys.junk[name]))
    return sc


# --- report ---------------------------------------------------------------------------------------------------------


def _f(x: float) -> str:
    return "   -  " if x != x else f"{x:6.3f}"  # NaN: nothing observed


def print_table(results: dict[str, Scores], ys: Yardstick, top_n: int) -> None:
    names = list(results)
    head = f"{'':44}{'target':>9}" + "".join(f"{n:>13}" for n in names)
    print(head)
    print("-" * len(head))

    def line(label: str, target: str, cells: Iterable[str]) -> None:
        print(f"{label:44}{target:>9}" + "".join(f"{c:>13}" for c in cells))

    any_scores = next(iter(results.values()))
    for kind in ("variant", "short", "alias", "all but alias", "all"):
        n = int(any_scores.pairs.get(kind, [0, 0])[1])
        target = ">= 0.95" if kind in ("variant", "all but alias") else ""
        line(f"pair recall, {kind} ({n} pairs)", target, (_f(r.rate(kind)) for r in results.values()))
        line("  weighted by mention pairs", target, (_f(r.rate(kind, True)) for r in results.values()))
        if kind == "variant":
            for sub in ("clitic", "no-article", "hashtag", "punct", "letters"):
                n = int(any_scores.pairs.get(f"variant: {sub}", [0, 0])[1])
                line(f"  variant pairs, {sub} ({n})", "", (_f(r.rate(f"variant: {sub}")) for r in results.values()))
    near_n = any_scores.near.get("ALL", [0, 0])[1]
    line(f"near-miss pairs merged ({near_n} observed)", "<= 0.02", (_f(r.near_rate()) for r in results.values()))
    for kind in sorted({p.kind for p in ys.near_misses}):
        n = any_scores.near.get(kind, [0, 0])[1]
        if n:
            line(f"  {kind} ({n})", "", (_f(r.near_rate(kind)) for r in results.values()))
    line(
        f"clitic-initial display names (top {top_n})",
        "0",
        (str(sum(k == "clitic" for _, _, k in r.clitic_names)) for r in results.values()),
    )
    line(
        f"  article-less names after لل (top {top_n})",
        "0",
        (str(sum(k == "no-article" for _, _, k in r.clitic_names)) for r in results.values()),
    )
    line(f"junk display names (top {top_n})", "", (str(len(r.junk_names)) for r in results.values()))
    observed = len(any_scores.fragments)
    line(
        f"groups in one entity, by majority ({observed})",
        "",
        (_f(sum(v == 1 for v in r.majority_entities.values()) / max(1, observed)) for r in results.values()),
    )
    line(
        "entities per group, mean (all mentions)",
        "1",
        (f"{sum(v[0] for v in r.fragments.values()) / max(1, observed):6.2f}" for r in results.values()),
    )
    line(
        "entities per group, median / max",
        "",
        (
            f"{median(v[0] for v in r.fragments.values()):.0f} / {max(v[0] for v in r.fragments.values())}"
            if r.fragments
            else "-"
            for r in results.values()
        ),
    )
    line(
        "mention pairs of a referent in one entity",
        "",
        (_f(r.mention_pairs[0] / max(1, r.mention_pairs[1])) for r in results.values()),
    )
    line(
        "mentions in the group's largest entity",
        "",
        (
            _f(sum(v[1] * v[2] for v in r.fragments.values()) / max(1, sum(v[2] for v in r.fragments.values())))
            for r in results.values()
        ),
    )
    line(
        f"look-alikes stripped / merged ({any_scores.looks_observed})",
        "0 / 0",
        (f"{len(r.looks_stripped)} / {len(r.looks_merged)}" for r in results.values()),
    )


def print_details(sc: Scores, rule: Rule, ys: Yardstick, mentions: list[StoredMention], top_n: int, limit: int) -> None:
    totals = Counter(rule.cluster)
    print(f"\n== {rule.name}: details")
    print(f"\nclitic-initial or article-less display names among the {len(sc.top)} most mentioned entities:")
    print("  " + (" | ".join(f"{n} ({c}, {k})" for n, c, k in sc.clitic_names) or "none"))
    print("junk display names among them: " + (" | ".join(f"{n} ({c}, {k})" for n, c, k in sc.junk_names) or "none"))
    if sc.looks_stripped or sc.looks_merged:
        print("look-alikes stripped: " + (" | ".join(sc.looks_stripped) or "none"))
        print("look-alikes merged with the remainder: " + (" | ".join(sc.looks_merged) or "none"))
    print(f"\nnear-miss pairs merged ({len(sc.near_merged)}):")
    for p in sc.near_merged[:limit]:
        print(f"  {p.kind:16} {p.a} = {p.b}   ({p.why})")
    typed = [(w, a, b) for w, a, b in sc.split_pairs if pair_kind(a, b) != "alias"]
    other_type = sum(sc.major_type.get(a.text) != sc.major_type.get(b.text) for _, a, b in typed)
    print(
        f"\nsame-referent pairs split (alias pairs left out), heaviest first ({len(typed)}; {other_type} of them land"
        " in entities of two types; weight = mentions_a x mentions_b; [variant, type of the entity | ...]):"
    )
    for weight, a, b in typed[:limit]:
        ta, tb = sc.major_type.get(a.text, "?"), sc.major_type.get(b.text, "?")
        print(
            f"  {pair_kind(a, b):8} {a.referent:24} {a.text} ≠ {b.text}   [{a.variant}, {ta} | {b.variant}, {tb}]"
            f"  w={weight:.0f}"
        )
    frag = sorted(sc.fragments.items(), key=lambda kv: (-kv[1][0], -kv[1][2]))
    print("\nmost fragmented referents (entities their mentions land in, share in the largest, mentions):")
    for group, (n, share, total) in frag[:15]:
        print(f"  {ys.groups[group][0].referent:28} {n:3} entities  {share:5.2f}  {total:5}")
    if rule.types:
        referents: dict[Any, Counter[str]] = defaultdict(Counter)
        for m, c in zip(mentions, rule.cluster, strict=True):
            known = ys.spellings.get(m.spelling or "")
            referents[c][known.referent if known else "-"] += 1
        print(f"\nthe {top_n} largest entities of each type: display name, mentions, spellings, the set's referent")
        print("(the referent most of its mentions name, with its share; - when most are spellings the set lacks):")
        ranked = [c for c, _ in totals.most_common()]
        for t in TYPES:
            print(f"  {t}:")
            for c in [c for c in ranked if rule.types.get(c) == t][:top_n]:
                ref, n = referents[c].most_common(1)[0]
                spellings = len({m.text for m, k in zip(mentions, rule.cluster, strict=True) if k == c})
                print(f"    {rule.display.get(c, '?'):28} {totals[c]:6} {spellings:4}   {ref} {n / totals[c]:.2f}")


def code_version() -> str:
    """Where the akhbar under test comes from: its folder, and its git commit when it is a checkout."""
    package = Path(akhbar.__file__).resolve().parent
    try:
        commit = subprocess.run(
            ["git", "-C", str(package), "log", "-1", "--format=%h %s"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(package), "status", "--porcelain", "--", "."], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return str(package)
    return f"{package} at {commit[:90]}" + (" (+ uncommitted changes under src/akhbar)" if dirty else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sample", type=int, default=4000, help="ANT articles to ingest (default 4000)")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--top", type=int, default=200, help="most mentioned entities checked for names (200)")
    parser.add_argument("--db", type=Path, help="keep the archive here; an existing one is read, not ingested again")
    parser.add_argument("--ant", type=Path, default=ANT)
    parser.add_argument("--quiet", action="store_true", help="shorter error lists (20 of each)")
    parser.add_argument("--list", type=int, default=60, help="errors listed of each kind (60)")
    args = parser.parse_args()
    if not args.ant.exists():
        sys.exit(f"ANT corpus not found at {args.ant} (set AKHBAR_SHARED)")

    print(f"code: {code_version()}")
    ys = Yardstick.load()
    kinds = Counter(p.kind for p in ys.near_misses)
    per_type = Counter(s[0].type for s in ys.groups.values())
    print(
        f"yardstick: {len(ys.groups)} groups ({', '.join(f'{t} {per_type[t]}' for t in TYPES)}), "
        f"{len(ys.spellings)} spellings; {len(ys.near_misses)} near-miss pairs; {len(ys.lookalikes)} look-alikes; "
        f"{len(ys.junk)} junk spans"
    )
    print("near-miss kinds: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))

    with tempfile.TemporaryDirectory(prefix="akhbar-entities-") as tmp:
        db = args.db or Path(tmp) / "bench.db"
        t0 = time.perf_counter()
        if args.db is not None and args.db.exists():
            print(f"reading the existing archive {db} (no ingest)")
        else:
            ant = load_ant(args.ant)
            docnos = choose_docnos(ys, ant, args.sample, args.seed)
            print(f"sample: {len(docnos)} of {len(ant)} ANT articles (seed {args.seed}); ingesting into {db} ...")
            sys.stdout.flush()
            seconds, report = ingest_sample([ant[d] for d in docnos], db, Path(tmp))
            print(f"ingest: {report.to_json()} in {seconds:.0f} s ({len(docnos) / max(seconds, 1e-9):.0f} articles/s)")
        mentions, canon, _ = read_store(db, ys)
        print(
            f"store: {len(mentions)} mentions in {len(canon)} stored entities "
            f"({len({c.id for c in canon.values()})} canonical); read back in {time.perf_counter() - t0:.0f} s total"
        )

    observed = {m.spelling for m in mentions if m.spelling is not None}
    in_groups = observed & set(ys.spellings)
    print(
        f"observed: {len(in_groups)} of {len(ys.spellings)} group spellings "
        f"({sum(1 for g in ys.groups.values() if any(s.text in observed for s in g))} groups), "
        f"{sum(p.a in observed and p.b in observed for p in ys.near_misses)} of {len(ys.near_misses)} near-miss pairs"
    )
    rules = [
        rule_from_function("exact", mentions, lambda s: s),
        rule_from_function("entity_key", mentions, entity_key),
        rule_from_store(mentions, canon),
    ]
    results = {r.name: score(r, mentions, ys, args.top) for r in rules}
    print()
    print_table(results, ys, args.top)
    print_details(results["akhbar"], rules[-1], ys, mentions, 20, 20 if args.quiet else args.list)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
