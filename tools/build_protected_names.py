"""Build ``models/protected_names.txt`` (name words the light stemmer leaves whole) and ``models/multiword_names.txt``.

Run: ``python tools/build_protected_names.py [--shared ../shared]`` (``make models``). Sources, all shippable:
CLDR territory names in Arabic (via babel, Unicode licence), the world-cities gazetteer (CC BY 4.0), person-name words
from Wikidata (CC0) less the words ANERcorp's train split tags as ordinary words, and the hand list in
``tools/names_in_the_news.txt`` (written by the akhbar team). Only words that the stemmer would change are kept:
protecting the others changes nothing.
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from pathlib import Path

from babel import Locale

from akhbar.arabic.normalize import fold_search
from akhbar.arabic.stem import light_stem

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "akhbar" / "models" / "protected_names.txt"
MULTIWORD_OUT = REPO / "src" / "akhbar" / "models" / "multiword_names.txt"
HAND_LIST = REPO / "tools" / "names_in_the_news.txt"
# Person-name words seen at least this often in Wikidata: rarer ones are noise and bloat the list.
MIN_WIKIDATA_COUNT = 3


def name_words(names: list[str]) -> Counter[str]:
    """Folded words of names, without the article (the stemmer checks names after removing a proclitic, so
    ``البحرين`` and ``والبحرين`` both meet ``بحرين``); count in how many names a word occurs."""
    counts: Counter[str] = Counter()
    for name in names:
        counts.update({_bare(word) for word in fold_search(name).split()})
    return counts


def _bare(word: str) -> str:
    return word[2:] if word.startswith("ال") and len(word) > 4 else word


def common_words(conll: Path) -> set[str]:
    """Folded words that ANERcorp (train) tags ``O`` at least twice and more often than as part of an entity."""
    outside: Counter[str] = Counter()
    inside: Counter[str] = Counter()
    with open(conll, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2:
                word = fold_search(parts[0])
                (outside if parts[1] == "O" else inside)[word] += 1
    return {w for w, n in outside.items() if n >= 2 and n > inside[w]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = parser.parse_args()
    data = args.shared / "data"

    places = list(Locale("ar").territories.values())
    with open(data / "gazetteers/world-cities/world-cities.csv", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            places += [row["CountryNameAr"], row["CityNameAr"]]
    place_words = name_words(sorted(set(places)))
    # A word in three or more place names is a generic word ("ولاية", "الشمالية", "جزر"), not a name.
    words = {w for w, n in place_words.items() if n < 3}

    with open(data / "translit/wikidata-names/wd_arabic_80", encoding="utf-8") as f:
        for line in f:
            _latin, letters, count = line.rstrip("\n").split("\t")
            if int(count) >= MIN_WIKIDATA_COUNT:
                words.add(_bare(fold_search(letters.replace(" ", ""))))

    # Person-name words are often ordinary words too ("وزير", "أمين"): drop the ones ANERcorp's train split mostly
    # tags as outside any entity. The hand list below is kept whatever the corpus says.
    words -= common_words(data / "anercorp/train.txt")

    hand = [line.strip() for line in HAND_LIST.read_text(encoding="utf-8").splitlines()]
    words |= {_bare(fold_search(w)) for line in hand if line and not line.startswith("#") for w in line.split()}

    multi = sorted({" ".join(n.split()) for n in places if len(n.split()) > 1 and not n.startswith("ولاية ")})
    MULTIWORD_OUT.write_text(
        "# Multi-word place names (CLDR, world-cities). Built by tools/build_protected_names.py.\n"
        + "\n".join(multi)
        + "\n",
        encoding="utf-8",
    )
    print(f"{len(multi)} multi-word place names → {MULTIWORD_OUT.relative_to(REPO)}")

    empty: frozenset[str] = frozenset()
    kept = sorted(w for w in words if len(w) >= 3 and w.isalpha() and light_stem(w, empty) != w)
    header = "# Name words the light stemmer leaves whole (search-folded). Built by tools/build_protected_names.py.\n"
    OUT.write_text(header + "\n".join(kept) + "\n", encoding="utf-8")
    print(f"{len(kept)} protected name words → {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
