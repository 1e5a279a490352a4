"""Build ``models/ner_lexicon.txt``: how common a word is, for the NER tagger (``folded word<TAB>zipf<TAB>def``).

Run: ``python tools/build_ner_lexicon.py [--shared ../shared] [--min-zipf 2.0]`` (a few seconds).

Source: the wordfreq 3.1.1 large Arabic list (``wordfreq/wordfreq-ar-large.tsv.gz``, CC BY-SA 4.0 data). Arabic has
no capital letters, so "is this a frequent common word?" is one of the few cheap signals that a word is not a name.
Per search-folded word (frequencies of spellings that fold alike are added up):

* ``zipf``: log10 of its frequency per billion words, rounded down to a half (only words at ``--min-zipf`` or more);
* ``def``: how often the word is written with the article, f(ال+w) / (f(w) + f(ال+w)), in tenths (``-`` when the
  word starts with ال itself). Common nouns and adjectives take the article; most names of people never do.

Only word forms and two numbers per word are stored.
"""

from __future__ import annotations

import argparse
import gzip
import math
from collections import Counter
from pathlib import Path

from akhbar.arabic.normalize import fold_search

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "akhbar" / "models" / "ner_lexicon.txt"


def folded_frequencies(path: Path) -> Counter[str]:
    freq: Counter[str] = Counter()
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            word, share, _zipf = line.rstrip("\n").split("\t")
            folded = fold_search(word)
            if any("\u0621" <= c <= "\u064a" for c in folded):
                freq[folded] += float(share)  # type: ignore[assignment]
    return freq


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--min-zipf", type=float, default=2.0)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    freq = folded_frequencies(args.shared / "data/wordfreq/wordfreq-ar-large.tsv.gz")
    lines = []
    for word, share in sorted(freq.items(), key=lambda kv: (-kv[1], kv[0])):
        zipf = math.log10(share) + 9
        if zipf < args.min_zipf:
            break
        if word.startswith("ال"):
            definite = "-"
        else:
            with_article = freq.get("ال" + word, 0.0)
            definite = str(min(9, int(10 * with_article / (share + with_article))))
        lines.append(f"{word}\t{math.floor(2 * zipf) / 2:g}\t{definite}\n")
    header = (
        "# NER lexicon: folded word, zipf frequency (floored to .5), share written with the article (tenths)."
        " Built by tools/build_ner_lexicon.py from wordfreq 3.1.1 (CC BY-SA 4.0 data).\n"
    )
    args.out.write_text(header + "".join(lines), encoding="utf-8")
    print(f"{len(lines)} words → {args.out}")


if __name__ == "__main__":
    main()
