"""Benchmark: semantic tags against the tags people chose (AlArabiya's inline hashtags in the ANT corpus).

Run from the repo root:  .venv/bin/python bench/tags.py [--articles 400] [--seed 3]
                         .venv/bin/python bench/tags.py --judged   (editor tags judged blind, served tags)

With ``--judged`` (``bench/data/tags_judged.tsv``, ``TAG_GUIDE.md``) a predicted tag counts when it is a must or ok
tag up to spelling or the same entity name (:func:`same_tag`), never a part of one; the lenient match below (a part
counts) is printed beside it, as earlier figures were measured with it. A second judge tagged 40 of the articles
again, blind, with the same guide (``bench/data/tags_second_judge.tsv``, 2026-12-07; the guide quotes a few of the
first judge's tags as examples): each judge's must tags are scored by the other's, beside ours on those articles.
Both judges are the same kind of reader (a model given the guide, never the system's output), so read their
agreement as an upper bound of what two editors would reach.

AlArabiya marks the entities and topics of an article inline (``#جوني_هاليداي``, ``#ميليشيات_الحوثي``). For a seeded
sample of those articles we strip the marks (``#جوني_هاليداي`` → ``جوني هاليداي``, so the text reads as any other),
run the analysis (:func:`akhbar.analyze.annotate.analyze`) and compare the predicted tags with the hashtags.

A predicted tag matches a hashtag when both name the same thing: same dedup-layer text, or the same entity
(:func:`akhbar.analyze.entity_policy.same_name`), or one is the other with the article ``ال`` or a leading word more
(``الحوثي`` ⊂ ``ميليشيات الحوثي``) - counted once per hashtag. Precision = matched predictions / predictions,
recall = matched hashtags / hashtags, micro-averaged. Baselines on the same articles: the most frequent content
words (what a naive tagger shows), entities only, phrases only. The hashtags are few (about 3 per article) and
mostly entities, so precision is bounded well below 1 by design: the upper bound line shows how many hashtags occur
in the text at all.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import akhbar
from akhbar.analyze.annotate import analyze
from akhbar.analyze.entity_policy import same_name
from akhbar.arabic.normalize import dedup_text, search_terms
from akhbar.arabic.stopwords import is_stopword
from akhbar.model import Article

REPO = Path(__file__).resolve().parents[1]
ANT = REPO.parent / "shared" / "data" / "ant" / "multisource-v2.1.jsonl.gz"
HASHTAG = re.compile(r"#([\w]+)")
SECOND_JUDGE = REPO / "bench" / "data" / "tags_second_judge.tsv"
JUDGED = REPO / "bench" / "data" / "tags_judged.tsv"


def sample_rows(path: Path, n: int, seed: int) -> list[tuple[dict[str, str], list[str]]]:
    rows = []
    seen: set[str] = set()
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row.get("src") != "alarabia" or row["url"] in seen:
                continue
            seen.add(row["url"])
            tags = list(dict.fromkeys(t.replace("_", " ").strip() for t in HASHTAG.findall(row.get("text") or "")))
            if tags:
                rows.append((row, tags))
    random.Random(seed).shuffle(rows)
    return rows[:n]


def strip_marks(text: str) -> str:
    return HASHTAG.sub(lambda m: m.group(1).replace("_", " "), text)


def _variants(text: str) -> set[str]:
    words = dedup_text(text).split()
    out = {" ".join(words)}
    if words and words[0].startswith("ال") and len(words[0]) > 4:
        out.add(" ".join([words[0][2:], *words[1:]]))
    return out


def matches(predicted: str, gold: str) -> bool:
    if _variants(predicted) & _variants(gold) or same_name(predicted, gold):
        return True
    p, g = f" {dedup_text(predicted)} ", f" {dedup_text(gold)} "
    return (len(p) > 5 and p in g) or (len(g) > 5 and g in p)


def score(predictions: Sequence[Sequence[str]], golds: Sequence[Sequence[str]]) -> tuple[float, float, float, float]:
    tp_pred = tp_gold = n_pred = n_gold = 0
    for predicted, gold in zip(predictions, golds, strict=True):
        n_pred += len(predicted)
        n_gold += len(gold)
        tp_pred += sum(any(matches(p, g) for g in gold) for p in predicted)
        tp_gold += sum(any(matches(p, g) for p in predicted) for g in gold)
    precision = tp_pred / n_pred if n_pred else 0.0
    recall = tp_gold / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, n_pred / max(1, len(predictions))


def frequent_words(article: Article, k: int = 5) -> list[str]:
    """Naive baseline: the k most frequent content words (display spelling), what word-count taggers show."""
    counts: Counter[str] = Counter()
    spelled: dict[str, str] = {}
    for word in re.findall(r"[\u0621-\u064a]+", f"{article.title} {article.text}"):
        terms = search_terms(word)
        if not terms or is_stopword(word) or len(word) < 3:
            continue
        counts[terms[0]] += 1
        spelled.setdefault(terms[0], word)
    return [spelled[t] for t, _ in counts.most_common(k)]


def read_judged(path: Path) -> dict[str, tuple[list[str], list[str]]]:
    """docno → (must tags, ok tags) of the editor-style set judged blind (``bench/data/TAG_GUIDE.md``)."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            out[row["docno"]] = (_tag_list(row["must"]), _tag_list(row["ok"]))
    return out


def _tag_list(field: str | None) -> list[str]:
    return [t.strip() for t in (field or "").split(" | ") if t.strip()]


def same_tag(predicted: str, gold: str) -> bool:
    """The judged set's match: the same tag up to spelling (dedup layer, the article ``ال``) or the same entity name
    (:func:`akhbar.analyze.entity_policy.same_name`). Never a part of it: «القدم» is not «كرة القدم», «العهد» not
    «ولي العهد»; the judges listed the short forms an editor accepts (``ترامب``, ``الحوثي``) as ok tags."""
    return bool(_variants(predicted) & _variants(gold)) or same_name(predicted, gold)


def judged_figures(
    predictions: Sequence[Sequence[str]],
    judged: Sequence[tuple[list[str], list[str]]],
    matches: Callable[[str, str], bool] = same_tag,
) -> tuple[float, float, float, float]:
    """Must-recall (must tags some prediction names), precision (predictions that name a must or an ok tag),
    must-precision (predictions that name a must tag), tags per article."""
    musts = sum(len(m) for m, _ in judged)
    found = sum(
        any(matches(p, g) for p in predicted)
        for predicted, (must, _) in zip(predictions, judged, strict=True)
        for g in must
    )
    n_pred = sum(map(len, predictions))
    good = sum(
        any(matches(p, g) for g in must + ok)
        for predicted, (must, ok) in zip(predictions, judged, strict=True)
        for p in predicted
    )
    good_must = sum(
        any(matches(p, g) for g in must)
        for predicted, (must, _) in zip(predictions, judged, strict=True)
        for p in predicted
    )
    return found / musts, good / max(1, n_pred), good_must / max(1, n_pred), n_pred / max(1, len(predictions))


def judged_scores(
    predictions: Sequence[Sequence[str]],
    judged: Sequence[tuple[list[str], list[str]]],
    matches: Callable[[str, str], bool] = same_tag,
) -> str:
    """:func:`judged_figures` as a row of the table."""
    must_recall, precision, must_precision, per_article = judged_figures(predictions, judged, matches)
    return f"{must_recall:10.3f}{precision:11.3f}{must_precision:13.3f}{per_article:14.1f}"


def served_judged_tags() -> tuple[
    dict[str, tuple[list[str], list[str]]], dict[str, Article], dict[str, list[str]], float
]:
    """The production path on the judged set: its ANT articles ingested into a fresh archive (AlArabiya's hashtag
    marks stripped, as the judge read them), then the tags the archive serves (``auto_tags``): the judged tags, the
    stored articles and their served tags by docno, and the ingest time."""
    judged = read_judged(JUDGED)
    rows: dict[str, dict[str, str]] = {}
    with gzip.open(ANT, "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row["docno"] in judged and row["docno"] not in rows:
                rows[row["docno"]] = {
                    **row,
                    "text": strip_marks(row["text"]),
                    "abstract": strip_marks(row.get("abstract") or ""),
                }
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "judged.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows.values()), encoding="utf-8")
        start = time.perf_counter()
        with akhbar.open(Path(tmp) / "tags.db") as archive:
            archive.ingest([path])
            elapsed = time.perf_counter() - start
            stored = {a.provenance.record: a for a in archive.store.iter_articles()}
            served = {d: [t.text for t in archive.store.auto_tags(a.id)] for d, a in stored.items()}
    return judged, stored, served, elapsed


def run_judged(show: int) -> None:
    """The judged set's table: served tags beside the frequent-words baselines, under both matches."""
    judged, stored, served, elapsed = served_judged_tags()
    docnos = [d for d in judged if d in stored]
    gold = [judged[d] for d in docnos]
    musts, oks = sum(len(m) for m, _ in gold), sum(len(o) for _, o in gold)
    print(f"{len(docnos)} ANT articles with editor tags judged blind ({JUDGED.name}, TAG_GUIDE.md): {musts} must, "
          f"{oks} ok; ingest {elapsed:.0f} s")  # fmt: skip
    systems: dict[str, list[list[str]]] = {
        "akhbar (served tags)": [served[d] for d in docnos],
        "frequent words (5)": [frequent_words(stored[d]) for d in docnos],
        "frequent words (3)": [frequent_words(stored[d], 3) for d in docnos],
    }
    for label, matcher in (
        ("same tag (the set's match)", same_tag),
        ("lenient: a part counts (the old match)", matches),
    ):
        print(f"\n{label}\n{'system':24}{'must-R':>10}{'precision':>11}{'must-P':>13}{'tags/article':>14}")
        for name, predictions in systems.items():
            print(f"{name:24}{judged_scores(predictions, gold, matcher)}")
    second_judge(judged, served)
    for d in docnos[:show]:
        must, ok = judged[d]
        print(f"\n{stored[d].title}\n  must: {' | '.join(must)}\n  ok:   {' | '.join(ok)}")
        print(f"  ours: {' | '.join(served[d])}")


def second_judge(judged: dict[str, tuple[list[str], list[str]]], served: dict[str, list[str]]) -> None:
    """A second judge tagged 40 of the articles again, blind, with the same guide: its must tags scored as a system
    by the first judge's tags (and the other way round), beside our served tags on the same articles. What two
    careful editors reach is the most a tagger can be asked for on this set."""
    second = read_judged(SECOND_JUDGE)
    docnos = [d for d in second if d in judged and d in served]
    first = [judged[d] for d in docnos]
    print(f"\nsecond judge ({SECOND_JUDGE.name}): {len(docnos)} articles tagged again blind; the same tag match")
    print(f"{'scored by':24}{'tags of':>16}{'must-R':>10}{'precision':>11}{'must-P':>13}{'tags/article':>14}")
    rows = (
        ("the first judge", "second's must", [second[d][0] for d in docnos], first),
        ("the first judge", "akhbar", [served[d] for d in docnos], first),
        ("the second judge", "first's must", [judged[d][0] for d in docnos], [second[d] for d in docnos]),
        ("the second judge", "akhbar", [served[d] for d in docnos], [second[d] for d in docnos]),
    )
    for scorer, name, predictions, gold in rows:
        print(f"{scorer:24}{name:>16}{judged_scores(predictions, gold)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--show", type=int, default=5, help="print this many articles with their tags")
    parser.add_argument("--judged", action="store_true", help="score the editor tags judged blind instead")
    args = parser.parse_args()
    if not ANT.is_file():
        sys.exit(f"ANT corpus not found at {ANT}: this benchmark needs ../shared/data")
    if args.judged:
        run_judged(args.show)
        return
    rows = sample_rows(ANT, args.articles, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sample.jsonl"
        with open(path, "w", encoding="utf-8") as out:
            for row, _ in rows:
                clean = {**row, "text": strip_marks(row["text"]), "abstract": strip_marks(row.get("abstract") or "")}
                out.write(json.dumps(clean, ensure_ascii=False) + "\n")
        articles = [r for r in akhbar.parse(path) if isinstance(r, Article)]
    golds = {row["url"]: tags for row, tags in rows}
    start = time.perf_counter()
    analyses = [analyze(a) for a in articles]
    elapsed = time.perf_counter() - start
    gold = [golds.get(a.url or "", []) for a in articles]
    systems: dict[str, Callable[[int], list[str]]] = {
        "akhbar tags": lambda i: [t.text for t in analyses[i].tags],
        "  entities only": lambda i: [t.text for t in analyses[i].tags if t.kind == "entity"],
        "  phrases only": lambda i: [t.text for t in analyses[i].tags if t.kind == "phrase"],
        "frequent words (5)": lambda i: frequent_words(articles[i]),
    }
    n_gold = sum(map(len, gold))
    in_text = sum(
        any(matches(g, w) for w in [dedup_text(articles[i].title + " " + articles[i].text)]) for i, tags in
        enumerate(gold) for g in tags
    )  # fmt: skip
    print(f"{len(articles)} AlArabiya articles with hashtags (seed {args.seed}), {n_gold} hashtags "
          f"({n_gold / len(articles):.1f} per article); analysis {len(articles) / elapsed:.0f} articles/s")  # fmt: skip
    print(f"hashtags whose words occur in the (unmarked) text: {100 * in_text / n_gold:.1f}%  (recall upper bound)\n")
    print(f"{'system':22}{'P':>7}{'R':>7}{'F1':>7}{'tags/article':>14}")
    for name, system in systems.items():
        p, r, f1, per = score([system(i) for i in range(len(articles))], gold)
        print(f"{name:22}{p:7.3f}{r:7.3f}{f1:7.3f}{per:14.1f}")
    for i in range(min(args.show, len(articles))):
        print(f"\n{articles[i].title}\n  gold: {' | '.join(gold[i])}\n  ours: {' | '.join(systems['akhbar tags'](i))}")


if __name__ == "__main__":
    main()
