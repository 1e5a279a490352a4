"""Build ``models/ner_gazetteer.txt``: typed name lists the NER tagger uses as features (``TYPE<TAB>folded name``).

Run: ``python tools/build_ner_gazetteer.py [--shared ../shared] [--dev-fraction 0.1]``. Sources, all shippable:

* LOC: CLDR territory and region names in Arabic (via babel, Unicode licence) and the country and city names of the
  world-cities gazetteer (CC BY 4.0). A city name led by an administrative word (``محافظة``, ``ولاية``, ...) is also
  kept without it, since news writes ``قندهار`` more often than ``ولاية قندهار``.
* PERS: person-name words from Wikidata (``wd_arabic_80``, CC0) seen in at least ``MIN_WIKIDATA_COUNT`` names, and
  the words of arabnamer's Arabic spellings of person names (``names/arabnamer-names-en-ar.tsv.gz``, CC BY 4.0,
  arabnamer, Yousef 2026): Arabic given and family names and foreign names as the Arabic press writes them.
* MISC: CLDR currency names in Arabic (``names/cldr-ar-names.tsv.gz``, from babel, Unicode licence), singular and
  plural, and the head words that lead two or more of them (دولار, دينار): ANERcorp tags currencies MISC.
* LOC, PERS, ORG: the typed hand list ``tools/ner_names_in_the_news.txt`` (written by the akhbar team), kept whatever
  the filter below says.

Single words that ANERcorp's *training part* (the sentences before the dev split, CC BY-SA 4.0) tags mostly outside
entities are dropped (``العالم``, ``امين``): they would make the feature noisy. Only used as a filter, no text of
ANERcorp is copied, and the dev part is never read, so dev scores stay honest. Names are search-folded
(:func:`akhbar.arabic.normalize.fold_search`), one space between words.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
from collections import Counter
from pathlib import Path

from babel import Locale

from akhbar.analyze.ner import chunks
from akhbar.analyze.ner_train import read_conll, split_dev
from akhbar.arabic.normalize import fold_search

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "akhbar" / "models" / "ner_gazetteer.txt"
HAND_LIST = REPO / "tools" / "ner_names_in_the_news.txt"
MIN_WIKIDATA_COUNT = 3
HASHTAG = re.compile(r"#([\u0621-\u064a_]+)")
# Administrative words that lead many world-cities names; the rest of the name is kept as a name of its own.
_ADMIN_TEXT = "محافظة مقاطعة ولاية بلدية إقليم منطقة مدينة مديرية ناحية ضاحية مركز إدارة قضاء لواء قرية"
ADMIN_WORDS = frozenset(fold_search(w) for w in _ADMIN_TEXT.split(" "))


def place_names(data: Path) -> set[str]:
    names = {fold_search(n) for n in Locale("ar").territories.values()}
    with open(data / "gazetteers/world-cities/world-cities.csv", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            names.add(fold_search(row["CountryNameAr"]))
            city = fold_search(row["CityNameAr"]).split()
            names.add(" ".join(city))
            if len(city) > 1 and city[0] in ADMIN_WORDS:
                names.add(" ".join(city[1:]))
    return {" ".join(n.split()) for n in names if n.strip()}


def person_words(data: Path) -> set[str]:
    words = set()
    with open(data / "translit/wikidata-names/wd_arabic_80", encoding="utf-8") as f:
        for line in f:
            _latin, letters, count = line.rstrip("\n").split("\t")
            if int(count) >= MIN_WIKIDATA_COUNT:
                words.add(fold_search(letters.replace(" ", "")))
    return words


def arabnamer_words(data: Path) -> set[str]:
    """Words of the Arabic spellings of arabnamer's person names (CC BY 4.0): given names and family names as the
    Arabic press writes them, Arabic and foreign (فايزة, نيستلروي)."""
    out = set()
    with gzip.open(data / "names/arabnamer-names-en-ar.tsv.gz", "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or "\t" not in line:
                continue
            _latin, arabic = line.rstrip("\n").split("\t", 1)
            out |= {w for w in fold_search(arabic).split() if w.isalpha()}
    return out


def currency_names(data: Path) -> set[str]:
    """CLDR currency names (singular and plural forms, dates cut off) and the head words that lead two or more of
    them (دولار, دينار, فرنك): ANERcorp tags currencies MISC."""
    names: set[str] = set()
    with gzip.open(data / "names/cldr-ar-names.tsv.gz", "rt", encoding="utf-8") as f:
        for line in f:
            kind, _code, name = line.rstrip("\n").split("\t")
            if kind.startswith("currency"):
                name = name.split(" - ")[0].split("(")[0]
                names.add(" ".join(fold_search(name).split()))
    heads = Counter(n.split()[0] for n in names if n)
    return {n for n in names if n} | {h for h, k in heads.items() if k >= 2}


def hashtag_names(data: Path) -> set[str]:
    """Names AlArabiya marks inline as hashtags in ANT's article text (``#جوني_هاليداي``, Apache-2.0): untyped (people,
    places, organisations, and some topics), folded, underscores read as spaces, trailing punctuation cut."""
    names: set[str] = set()
    with gzip.open(data / "ant/multisource-v2.1.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            for tag in HASHTAG.findall(json.loads(line).get("text") or ""):
                name = " ".join(fold_search(tag.replace("_", " ")).split())
                if name:
                    names.add(name)
    return names


def wikifane_names(data: Path, types: set[str]) -> set[tuple[str, str]]:
    """Typed names of WikiFANE Gold (hand-annotated Arabic Wikipedia, CC BY-SA 3.0, Alotaibi & Lee 2014), in its
    mapping to ANERcorp's four types: each name under the type it takes most often."""
    votes: dict[str, Counter[str]] = {}
    for tokens, tags in read_conll(data / "wikifane/wikifane-gold.anercorp-tags.conll.gz"):
        for kind, a, b in chunks(tags):
            name = " ".join(fold_search(" ".join(tokens[a:b])).split())
            votes.setdefault(name, Counter())[kind] += 1
    out = set()
    for name, counts in votes.items():
        kind = counts.most_common(1)[0][0]
        if kind in types:
            out.add((kind, name))
    return out


def hand_names() -> set[tuple[str, str]]:
    entries = set()
    for line in HAND_LIST.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, _, name = line.strip().partition(" ")
            entries.add((kind, " ".join(fold_search(name).split())))
    return entries


def common_words(conll: Path, dev_fraction: float) -> set[str]:
    """Folded words the training part tags ``O`` at least twice and more often than inside an entity."""
    train, _dev = split_dev(read_conll(conll), dev_fraction)
    outside: Counter[str] = Counter()
    inside: Counter[str] = Counter()
    for tokens, tags in train:
        for token, tag in zip(tokens, tags, strict=True):
            (outside if tag == "O" else inside)[fold_search(token)] += 1
    return {w for w, n in outside.items() if n >= 2 and n > inside[w]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--dev-fraction", type=float, default=0.1)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--no-arabnamer", action="store_true", help="leave out arabnamer's person-name words")
    parser.add_argument("--no-currencies", action="store_true", help="leave out CLDR currency names (MISC)")
    parser.add_argument("--wikifane", nargs="*", default=None, help="add WikiFANE Gold names of these types")
    parser.add_argument("--hashtags", action="store_true", help="add ANT's AlArabiya hashtag names, untyped (TAG)")
    args = parser.parse_args()
    data = args.shared / "data"
    common = common_words(data / "anercorp/train.txt", args.dev_fraction)

    def keep(name: str) -> bool:
        # Some world-cities rows have a Latin name in the Arabic column: only Arabic-script names are kept.
        arabic = any("\u0621" <= c <= "\u064a" for c in name)
        return arabic and len(name) >= 2 and (" " in name or name not in common)

    entries = {("LOC", n) for n in place_names(data) if keep(n)}
    entries |= {("PERS", w) for w in person_words(data) if keep(w) and w.isalpha()}
    if not args.no_arabnamer:
        entries |= {("PERS", w) for w in arabnamer_words(data) if keep(w)}
    if not args.no_currencies:
        entries |= {("MISC", n) for n in currency_names(data) if keep(n)}
    if args.wikifane is not None:
        entries |= {
            (t, n) for t, n in wikifane_names(data, set(args.wikifane or ("LOC", "PERS", "ORG", "MISC"))) if keep(n)
        }
    if args.hashtags:
        entries |= {("TAG", n) for n in hashtag_names(data) if keep(n)}
    entries |= hand_names()
    header = (
        "# NER gazetteer: TYPE<TAB>search-folded name. Built by tools/build_ner_gazetteer.py from CLDR (Unicode"
        " licence), world-cities (CC BY 4.0), Wikidata person-name words (CC0), arabnamer (CC BY 4.0) and"
        " tools/ner_names_in_the_news.txt.\n"
    )
    args.out.write_text(header + "".join(f"{t}\t{n}\n" for t, n in sorted(entries)), encoding="utf-8")
    counts = Counter(t for t, _ in entries)
    print(f"{dict(counts)} → {args.out}")


if __name__ == "__main__":
    main()
