"""Benchmark: throughput of akhbar's Arabic text layers on the ANT corpus, beside pyarabic, PyStemmer and camel-tools.

Run from the repo root:  .venv/bin/python bench/arabic.py [--limit N]

Input: the ``text`` field of every article of ``multisource-v2.1.jsonl.gz`` (ANT, 31.5k articles), loaded into memory
once. Speed is MB/s of UTF-8 input bytes per second, wall time of one single-threaded process (other load on the
machine skews it: the load average is printed), measured after one warm-up pass over a small slice. Each layer is
applied to every text in turn and its output discarded.

Layers (ours): display (repair), search_terms (fold + light stem; per-word cached, so the timed pass includes
filling the cache: it is emptied after the warm-up; a second, cache-hot pass is shown too), fold_search
(folding alone: the like-for-like peer of the normalizers below), dedup_tokens, entity_key, tokenize/words and
split_sentences. entity_key is meant for names: it is timed on whole texts and on ~50k short name-like strings (the
2- and 3-word n-grams of the titles).

Peers: pyarabic (strip_tashkeel → strip_tatweel → normalize_hamza → normalize_ligature, a search-fold equivalent),
PyStemmer's Snowball Arabic stemmer (stemWords over whitespace-split words), camel-tools' data-free normalizers
(normalize_unicode → normalize_alef_ar → normalize_alef_maksura_ar → normalize_teh_marbuta_ar → dediac_ar).
``pip install camel-tools`` pulls torch and the CUDA libraries (several GB); its normalizers need only the package and
``emoji``: ``pip install --no-deps --target DIR camel-tools emoji`` and ``PYTHONPATH=DIR`` run them without that.

The issue's goal: the search layer (search_terms, first pass) at ≥ 20 MB/s per core: printed as PASS/FAIL.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))  # also runnable without the editable install

from akhbar.arabic import normalize  # noqa: E402
from akhbar.arabic.normalize import dedup_tokens, display, entity_key, fold_search, search_terms  # noqa: E402

GOAL_MB_S = 20.0
WARMUP_TEXTS = 200
N_NAME_STRINGS = 50_000
NAMES = ["بيونغ", "ترامب", "فلسطين", "إسرائيل", "بوتين", "واشنطن", "زيلينسكي", "لبنان", "البحرين", "الصين"]
ANT_FILE = Path("data") / "ant" / "multisource-v2.1.jsonl.gz"


def shared_root() -> Path:
    return Path(os.environ.get("AKHBAR_SHARED", REPO.parent / "shared"))


def load_ant(limit: int | None) -> tuple[list[str], list[str]]:
    """(texts, titles) of the first ``limit`` ANT articles (all by default)."""
    path = shared_root() / ANT_FILE
    if not path.is_file():
        sys.exit(f"bench/arabic.py: the ANT corpus is not at {path} (set AKHBAR_SHARED to the shared folder)")
    texts: list[str] = []
    titles: list[str] = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if limit is not None and len(texts) >= limit:
                break
            row = json.loads(line)
            text, title = row.get("text"), row.get("title")
            texts.append(text if isinstance(text, str) else "")
            titles.append(title if isinstance(title, str) else "")
    return texts, titles


_ARABIC_WORD = re.compile(r"[\u0621-\u064a\u0671-\u06d3]{2,}")


def title_ngrams(titles: list[str], count: int) -> list[str]:
    """Up to ``count`` distinct 2- and 3-word n-grams of Arabic words from the titles, in corpus order."""
    seen: dict[str, None] = {}
    for title in titles:
        words = _ARABIC_WORD.findall(title)
        for n in (2, 3):
            for i in range(len(words) - n + 1):
                seen.setdefault(" ".join(words[i : i + n]))
                if len(seen) >= count:
                    return list(seen)
    return list(seen)


@dataclass
class Result:
    name: str
    mb_s: float | None
    note: str


def mb(strings: list[str]) -> float:
    return sum(len(s.encode("utf-8")) for s in strings) / 1e6


def timed(fn: Callable[[str], Any], items: list[str]) -> float:
    gc.collect()
    start = time.perf_counter()
    for item in items:
        fn(item)
    return time.perf_counter() - start


def bench(
    name: str,
    fn: Callable[[str], Any],
    items: list[str],
    size_mb: float,
    note: str = "",
    after_warmup: Callable[[], Any] | None = None,
) -> Result:
    timed(fn, items[:WARMUP_TEXTS])  # warm-up: lazy loads (protected names, compiled regexes)
    if after_warmup is not None:
        after_warmup()
    return Result(name, size_mb / timed(fn, items), note)


def optional_layers() -> Iterator[tuple[str, Callable[[str], Any] | None, str]]:
    try:
        from akhbar.arabic.tokenize import tokenize, words
    except Exception as exc:  # a module in progress may not import
        yield "tokenize / words", None, f"does not import: {type(exc).__name__}: {exc}"
    else:
        yield "tokenize (Token objects)", tokenize, "all tokens with offsets and kinds"
        yield "words", words, "texts of word/latin/number/hashtag tokens"
    try:
        from akhbar.arabic.sentences import split_sentences
    except Exception as exc:
        yield "split_sentences", None, f"does not import: {type(exc).__name__}: {exc}"
    else:
        yield "split_sentences", split_sentences, ""


def peer_pyarabic() -> tuple[Callable[[str], str] | None, str]:
    try:
        from pyarabic import araby
    except ImportError:
        return None, "not installed (pip install pyarabic)"
    from importlib.metadata import version

    def fold(text: str) -> str:
        return araby.normalize_ligature(araby.normalize_hamza(araby.strip_tatweel(araby.strip_tashkeel(text))))

    return fold, f"pyarabic {version('pyarabic')}: tashkeel, tatweel, hamza, ligature; no stem"


def peer_pystemmer() -> tuple[Any, str]:
    try:
        import Stemmer
    except ImportError:
        return None, "not installed (pip install PyStemmer)"
    from importlib.metadata import version

    return Stemmer.Stemmer("arabic"), f"PyStemmer {version('PyStemmer')} (Snowball arabic): str.split + stemWords"


def peer_camel() -> tuple[Callable[[str], str] | None, str]:
    try:
        from camel_tools.utils.dediac import dediac_ar
        from camel_tools.utils.normalize import (
            normalize_alef_ar,
            normalize_alef_maksura_ar,
            normalize_teh_marbuta_ar,
            normalize_unicode,
        )
    except ImportError as exc:
        return None, (
            f"not installable here ({exc}): pip install camel-tools pulls torch + CUDA (several GB); "
            "see the docstring for a --no-deps install"
        )

    def fold(text: str) -> str:
        return dediac_ar(
            normalize_teh_marbuta_ar(normalize_alef_maksura_ar(normalize_alef_ar(normalize_unicode(text))))
        )

    from importlib.metadata import PackageNotFoundError, version

    try:
        ver = version("camel-tools")
    except PackageNotFoundError:
        ver = "?"
    return fold, f"camel-tools {ver}: unicode, alef, alef maksura, teh marbuta, dediac; no stem"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles (default: all)")
    args = ap.parse_args()

    start = time.perf_counter()
    texts, titles = load_ant(args.limit)
    names = title_ngrams(titles, N_NAME_STRINGS)
    size, names_size = mb(texts), mb(names)
    loaded = time.perf_counter() - start
    print(
        f"input: {len(texts):,} ANT articles, text field {size:.1f} MB UTF-8 (loaded in {loaded:.1f} s);"
        f" {len(names):,} title n-grams, {names_size:.2f} MB"
    )
    load = "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()) if hasattr(os, "getloadavg") else ""
    print(f"machine: {os.cpu_count()} cores (this bench is single-threaded), {load}; Python {sys.version.split()[0]}\n")

    results: list[Result] = []
    results.append(bench("display (repair)", display, texts, size, "what is stored and shown"))
    search = bench(
        "search_terms",
        search_terms,
        texts,
        size,
        "fold + light stem; word cache emptied after the warm-up: this pass fills it",
        after_warmup=normalize._TERM_CACHE.clear,
    )
    results.append(search)
    cache_size = len(normalize._TERM_CACHE)
    hot = Result("search_terms, cache hot", size / timed(search_terms, texts), f"2nd pass; {cache_size:,} words cached")
    results.append(hot)
    results.append(
        bench("search_text", normalize.search_text, texts, size, "search_terms joined (what FTS stores), cache hot")
    )
    results.append(bench("fold_search", fold_search, texts, size, "folding only, no stem (like the peers below)"))
    results.append(bench("dedup_tokens", dedup_tokens, texts, size, ""))
    results.append(bench("entity_key, whole texts", entity_key, texts, size, "meant for names, not texts"))
    results.append(
        bench("entity_key, title n-grams", entity_key, names, names_size, f"{len(names):,} 2-3 word strings")
    )
    for name, fn, note in optional_layers():
        results.append(bench(name, fn, texts, size, note) if fn is not None else Result(name, None, note))

    fold, note = peer_pyarabic()
    results.append(bench("pyarabic fold", fold, texts, size, note) if fold else Result("pyarabic fold", None, note))
    stemmer, note = peer_pystemmer()
    if stemmer is not None:
        results.append(bench("PyStemmer arabic", lambda t: stemmer.stemWords(t.split()), texts, size, note))
    else:
        results.append(Result("PyStemmer arabic", None, note))
    camel, note = peer_camel()
    results.append(
        bench("camel-tools fold", camel, texts, size, note) if camel else Result("camel-tools fold", None, note)
    )

    width = max(len(r.name) for r in results) + 2
    header = f"{'layer / tool':<{width}} {'MB/s':>8}  note"
    print(header)
    print("-" * (len(header) + 60))
    for r in results:
        speed = f"{r.mb_s:8.1f}" if r.mb_s is not None else f"{'-':>8}"
        print(f"{r.name:<{width}} {speed}  {r.note}")

    verdict = "PASS" if search.mb_s is not None and search.mb_s >= GOAL_MB_S else "FAIL"
    print(
        f"\ngoal: search layer ≥ {GOAL_MB_S:.0f} MB/s per core:"
        f" search_terms (first pass) {search.mb_s:.1f} MB/s → {verdict}"
    )

    print("\nnames: what a stemmer and our layers make of them")
    print(f"{'name':<12} {'PyStemmer':<12} {'search_terms':<14} {'entity_key':<12}")
    for word in NAMES:
        stem = stemmer.stemWord(word) if stemmer is not None else "-"
        print(f"{word:<12} {stem:<12} {' '.join(search_terms(word)):<14} {entity_key(word):<12}")


if __name__ == "__main__":
    main()
