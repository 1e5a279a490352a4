"""Score akhbar.arabic.translit on held-out transliteration pairs.

Sets (none of them used to build the shipped artefacts):
* Wikidata ``wd_arabic_20``: the character model alone on the words the dictionary (built from the 80 split) lacks,
  and the whole pipeline (dictionary + model) on the whole split;
* Google ``ar2en-test.txt``: the pipeline and the model alone;
* ANETAC ``test.ar``/``test.en``: a 200-pair sample (evaluation only, its licence is unstated);
* round trip: ``arabic_candidates(romanize(x))`` holds x's spelling (dedup layer), recall@1 and @5.

An Arabic word with several reference spellings (``kim``, ``kym``) counts once, and any reference is a hit. CER is the
edit distance to the nearest reference over its length. Peer: pyarabic's ``utf82latin`` letter-by-letter mapping.

Run from the repo root:  .venv/bin/python bench/translit.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from akhbar.arabic import translit  # noqa: E402

Gold = dict[str, set[str]]  # Arabic word → Latin keys of its references


def edit_distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def score(system: Callable[[str], str], gold: Gold) -> tuple[float, float, int]:
    """Exact-match accuracy (case-insensitive, letters only), mean CER, number of items."""
    hits, cer = 0, 0.0
    for arabic, refs in gold.items():
        out = translit.latin_key(system(arabic))
        hits += out in refs
        cer += min(edit_distance(out, r) / len(r) for r in refs)
    return hits / len(gold), cer / len(gold), len(gold)


def load_pairs(pairs: list[tuple[str, str]]) -> Gold:
    gold: Gold = defaultdict(set)
    for arabic, latin in pairs:
        key = translit.latin_key(latin)
        if arabic.strip() and key:
            gold[arabic.strip()].add(key)
    return dict(gold)


def wikidata(path: Path) -> Gold:
    with open(path, encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f]
    return load_pairs([("".join(letters.split()), latin) for latin, letters, _ in rows])


def google(path: Path) -> Gold:
    with open(path, encoding="utf-8") as f:
        return load_pairs([tuple(line.rstrip("\n").split("\t")) for line in f])  # type: ignore[misc]


def anetac(folder: Path, n: int = 200) -> Gold:
    arabic = (folder / "test.ar").read_text(encoding="utf-8").splitlines()
    latin = (folder / "test.en").read_text(encoding="utf-8").splitlines()
    pairs = list(zip(arabic, latin, strict=True))
    return load_pairs(random.Random(0).sample(pairs, n))


def out_of_dictionary(gold: Gold) -> Gold:
    known = translit._dictionary().exact
    return {a: refs for a, refs in gold.items() if translit.arabic_key(a) not in known}


def round_trip(names: list[str]) -> tuple[float, float]:
    at1 = at5 = 0
    for name in names:
        keys = [translit.arabic_key(c) for c in translit.arabic_candidates(translit.romanize(name))]
        want = translit.arabic_key(name)
        at1 += bool(keys) and keys[0] == want
        at5 += want in keys
    return at1 / len(names), at5 / len(names)


def pyarabic_system() -> Callable[[str], str] | None:
    try:
        from pyarabic.trans import utf82latin
    except ImportError:
        return None
    return lambda s: str(utf82latin(s))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    data = args.shared / "data" / "translit"

    wd20 = wikidata(data / "wikidata-names/wd_arabic_20")
    gtest = google(data / "google/ar2en-test.txt")
    sets = {
        "wikidata 20, not in dictionary": out_of_dictionary(wd20),
        "wikidata 20, all": wd20,
        "google ar2en-test, not in dict.": out_of_dictionary(gtest),
        "google ar2en-test, all": gtest,
        "ANETAC test, 200 sample": anetac(data / "anetac"),
    }
    systems: dict[str, Callable[[str], str]] = {"pipeline": translit.romanize, "char model": translit.model_romanize}
    peer = pyarabic_system()
    if peer:
        systems["pyarabic utf82latin"] = peer

    print(f"{'set':34} {'n':>6}  " + "  ".join(f"{name:>22}" for name in systems))
    print(f"{'':34} {'':>6}  " + "  ".join(f"{'acc':>10} {'CER':>11}" for _ in systems))
    for set_name, gold in sets.items():
        cells = []
        for system in systems.values():
            acc, cer, _ = score(system, gold)
            cells.append(f"{acc:10.1%} {cer:11.3f}")
        print(f"{set_name:34} {len(gold):6}  " + "  ".join(cells))

    rng = random.Random(1)
    names = rng.sample(sorted(wd20), 300) + rng.sample(sorted(gtest), 200)
    at1, at5 = round_trip(names)
    print(
        f"\nround trip arabic_candidates(romanize(x)) ∋ x (dedup layer), {len(names)} names: "
        f"recall@1 {at1:.1%}, recall@5 {at5:.1%}"
    )

    words = sorted(set(wd20) | set(gtest))
    translit.romanize.cache_clear()
    translit._model()._cache.clear()
    started = time.perf_counter()
    for w in words:
        translit.romanize(w)
    cold = len(words) / (time.perf_counter() - started)
    started = time.perf_counter()
    for w in words:
        translit.romanize(w)
    warm = len(words) / (time.perf_counter() - started)
    translit._candidates.cache_clear()
    latin = [translit.romanize(w) for w in words[:500]]
    started = time.perf_counter()
    for q in latin:
        translit.arabic_candidates(q)
    rev = len(latin) / (time.perf_counter() - started)
    print(f"speed: romanize {cold:,.0f} names/s cold, {warm:,.0f} names/s cached; arabic_candidates {rev:,.0f} q/s")


if __name__ == "__main__":
    main()
