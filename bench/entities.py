"""Benchmark: does ``entity_key`` equality (the cross-article merge rule) keep one entity together and two apart?

Run from the repo root:  .venv/bin/python bench/entities.py [--tsv PATH] [--quiet]

Data: ``bench/data/entity_variants.tsv``: spellings seen in the ANT corpus, pairs judged by the akhbar team.
``same`` rows are two spellings of one entity (grouped in variant groups), ``different`` rows two entities with
similar spellings (near-misses). For each merge rule:

* split error rate: ``same`` pairs the rule keeps apart / all ``same`` pairs (lower is better);
* merge error rate: ``different`` pairs the rule merges / all ``different`` pairs (lower is better);
* groups whole: variant groups all of whose pairs the rule merges.

Rules compared (all are functions of two name strings; the production rule is ``same_name``):

* ``key``          ``entity_key(a) == entity_key(b)``
* ``same_name``    ``key`` and the transliteration dictionary does not know them as two names
                   (:func:`akhbar.analyze.entities.same_name`: ``صلاح`` Salah ≠ ``صالح`` Saleh)
* ``key+first``    ``key`` and the entity keys of the first words equal
* ``key+vowels``   ``key`` and the long vowels agree: same consonant skeleton when doubled letters are collapsed
                   *before* the long vowels are dropped (``سويسرا`` ≠ ``سوريا``), no و-vs-ي clash between the same
                   two consonants (``ميسي`` ≠ ``موسى``), and both or neither end in a long vowel (``عباس`` ≠
                   ``عباسي``). ``ا`` matches anything: writers use it for /a/ and /o/ (``برانسون`` = ``برونسون``).
* ``key|roman``    ``key`` or equal romanizations (``akhbar.arabic.translit.romanize``, compared by ``latin_key``)
* ``vowels|roman`` ``key+vowels`` or equal romanizations
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from akhbar.analyze.entities import same_name
from akhbar.arabic.normalize import dedup_tokens, entity_key
from akhbar.arabic.translit import latin_key, romanize

REPO = Path(__file__).resolve().parents[1]
TSV = REPO / "bench" / "data" / "entity_variants.tsv"
TYPES = ("PERS", "LOC", "ORG", "MISC")


@dataclass(frozen=True, slots=True)
class Pair:
    kind: str  # same | different
    type: str
    group: str
    a: str
    b: str
    note: str


def read_pairs(path: Path = TSV) -> list[Pair]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    rows = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return [Pair(r["kind"], r["type"], r["group"], r["a"], r["b"], r["note"]) for r in rows]


# --- rules ----------------------------------------------------------------------------------------------------------

# The same letter folding as entity_key, without dropping long vowels (kept here to look at them).
_VARIANTS = str.maketrans({"غ": "ج", "ك": "ج", "گ": "ج", "ڤ": "ف", "پ": "ب", "چ": "ش", "ژ": "ز"})
_DOUBLED = re.compile(r"(.)\1+")
_LONG = frozenset("اوي")


@cache
def key(name: str) -> str:
    return entity_key(name)


@cache
def _vowel_shape(name: str) -> tuple[str, tuple[str, ...], bool]:
    """Consonant skeleton (doubled letters collapsed first), the long vowels after each consonant, final vowel?"""
    folded = "".join(dedup_tokens(name)).replace("تش", "ش").translate(_VARIANTS)
    folded = _DOUBLED.sub(r"\1", "".join(ch for ch in folded if ch.isalpha()))
    skeleton, gaps = [], []
    for i, ch in enumerate(folded):
        if i and ch in _LONG:
            gaps[-1] += ch
        else:
            skeleton.append(ch)
            gaps.append("")
    return "".join(skeleton), tuple(gaps), bool(folded) and len(folded) > 1 and folded[-1] in _LONG


def _clash(x: str, y: str) -> bool:
    x, y = x.replace("ا", ""), y.replace("ا", "")
    return bool(x and y) and not (x in y or y in x)


def vowels_agree(a: str, b: str) -> bool:
    skel_a, gaps_a, end_a = _vowel_shape(a)
    skel_b, gaps_b, end_b = _vowel_shape(b)
    return skel_a == skel_b and end_a == end_b and not any(map(_clash, gaps_a, gaps_b))


@cache
def roman(name: str) -> str:
    return latin_key(romanize(name))


def _first(name: str) -> str:
    words = name.split()
    return key(words[0]) if words else ""


RULES: dict[str, Callable[[str, str], bool]] = {
    "key": lambda a, b: key(a) == key(b),
    "same_name": same_name,
    "key+first": lambda a, b: key(a) == key(b) and _first(a) == _first(b),
    "key+vowels": lambda a, b: key(a) == key(b) and vowels_agree(a, b),
    "key|roman": lambda a, b: key(a) == key(b) or roman(a) == roman(b),
    "vowels|roman": lambda a, b: (key(a) == key(b) and vowels_agree(a, b)) or roman(a) == roman(b),
}


# --- scoring --------------------------------------------------------------------------------------------------------


@dataclass
class Score:
    same: int = 0
    split: int = 0
    different: int = 0
    merged: int = 0

    @property
    def split_rate(self) -> float:
        return self.split / self.same if self.same else 0.0

    @property
    def merge_rate(self) -> float:
        return self.merged / self.different if self.different else 0.0


def evaluate(pairs: list[Pair], rule: Callable[[str, str], bool]) -> tuple[dict[str, Score], list[Pair], float]:
    """Scores per type and overall ("ALL"), the pairs the rule gets wrong, and the share of whole groups."""
    scores: dict[str, Score] = defaultdict(Score)
    errors: list[Pair] = []
    group_ok: dict[str, bool] = {}
    for p in pairs:
        merged = rule(p.a, p.b)
        for t in (p.type, "ALL"):
            s = scores[t]
            if p.kind == "same":
                s.same += 1
                s.split += not merged
            else:
                s.different += 1
                s.merged += merged
        if p.kind == "same":
            group_ok[p.group] = group_ok.get(p.group, True) and merged
        if merged != (p.kind == "same"):
            errors.append(p)
    whole = sum(group_ok.values()) / len(group_ok) if group_ok else 0.0
    return dict(scores), errors, whole


def _err_line(p: Pair) -> str:
    what = "split" if p.kind == "same" else "merged"
    return f"  {what:6} {p.type:4} {p.a} ≟ {p.b}   [{key(p.a)} | {key(p.b)}]   {p.note}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tsv", type=Path, default=TSV)
    parser.add_argument("--quiet", action="store_true", help="figures only, no error lists")
    args = parser.parse_args()
    pairs = read_pairs(args.tsv)
    groups = {p.group for p in pairs if p.kind == "same"}
    n_same = sum(p.kind == "same" for p in pairs)
    print(
        f"{args.tsv.relative_to(REPO) if args.tsv.is_relative_to(REPO) else args.tsv}: {len(groups)} variant groups"
        f" ({n_same} same pairs), {len(pairs) - n_same} different pairs"
    )
    results = {name: evaluate(pairs, rule) for name, rule in RULES.items()}

    print("\nsplit error rate (same pairs kept apart) / merge error rate (different pairs merged), in %:")
    print(f"{'type':6}{'n same':>7}{'n diff':>7}" + "".join(f"{name:>18}" for name in RULES))
    for t in (*TYPES, "ALL"):
        base = results["key"][0].get(t)
        if base is None:
            continue
        cells = []
        for name in RULES:
            s = results[name][0][t]
            cells.append(f"{100 * s.split_rate:7.1f} / {100 * s.merge_rate:5.1f}  ")
        print(f"{t:6}{base.same:7}{base.different:7}" + "".join(f"{c:>18}" for c in cells))
    print(
        f"{'groups whole (all spellings merged), %':32}" + "".join(f"{100 * results[name][2]:>18.1f}" for name in RULES)
    )
    print(f"{'errors (pairs)':32}" + "".join(f"{len(results[name][1]):>18}" for name in RULES))

    if args.quiet:
        return
    base_errors = results["key"][1]
    print(f"\nerrors of the production rule `key` ({len(base_errors)}): a ≟ b [key_a | key_b] note")
    for p in sorted(base_errors, key=lambda p: (p.kind, p.type, p.group)):
        print(_err_line(p))
    base = set(base_errors)
    for name in list(RULES)[1:]:
        errs = set(results[name][1])
        fixed, broken = base - errs, errs - base
        print(f"\n{name}: fixes {len(fixed)}, breaks {len(broken)} (vs `key`)")
        for p in sorted(broken, key=lambda p: (p.kind, p.type)):
            extra = f"   romanized {roman(p.a)} | {roman(p.b)}" if "roman" in name else ""
            print("  broken" + _err_line(p)[1:] + extra)
        for p in sorted(fixed, key=lambda p: (p.kind, p.type)):
            print("  fixed " + _err_line(p)[1:])
    sys.stdout.flush()


if __name__ == "__main__":
    main()
