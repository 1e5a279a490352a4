"""Build ``models/news_names.tsv``: spellings the shipped tagger tags at a good share of their occurrences in news.

Run: ``python tools/build_news_names.py [--shared ../shared] [--jobs 2]`` (~3 minutes on 2 cores).

The shipped CRF model (``models/ner.crfsuite``; run it first when it changes) tags the title and text of every ANT
multisource article (``ant/multisource-v2.1.jsonl.gz``, Apache-2.0; one per URL). For each spelling it tagged (search
folding, at most three words), we count the spans it tagged and every occurrence of the spelling in the same texts
(as whole words, the first after an optional proclitic). A spelling is listed when the tagger tagged it at least
``--min-tagged`` times and at ``--min-share`` of its occurrences or more, with the type it gave it most; MISC
(events, nationalities, currencies: the tagger's least sure type), stopwords, words that are never a name alone
(:data:`akhbar.analyze.mentions.NOT_NAMES`: الولاية, إنفوغرافيك), spellings under three letters and spellings the
texts hold fewer times than the tagger emitted them (cut out of longer words) are left out.
:mod:`akhbar.analyze.known_names` then takes a listed spelling for a name wherever the tagger missed it. No text is
stored: spellings, types and counts. The names of ``tools/news_names_hand.txt`` (platforms, companies and products
the news names every day and a tagger trained on 2007 news rarely tags: تويتر, واتساب, أندرويد) are added after them,
and the tagged spellings it marks ``NOT`` (two names run together: ``ترامب كيم``) are left out.

Why these numbers (bench/known_names.py; bench/tags.py --judged): at share 0.3 and 10 tags the list keeps the names
the tagger misses most (داعش 0.34, نيمار 0.54, مانشستر سيتي 0.48) and leaves out words it tags by mistake now and
then (الحوثي 0.07: the family name of a movement's leader, more often the movement). Of 400 spans it added to ANT
articles, judged blind in context, 76% are whole names and 88% names or parts of one (after the rules against
fragments, proclitic spellings, nisba adjectives and short words after a proclitic, which the judged errors
showed). At share 0.5 the list loses داعش, and editor-tag must-recall is 0.532 instead of 0.534 (0.521 without a list).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from multiprocessing import Pool
from pathlib import Path

from akhbar.analyze.known_names import LONGEST, NAMES_FILE, PROCLITICS
from akhbar.analyze.mentions import NOT_NAMES
from akhbar.analyze.ner import NerTagger
from akhbar.arabic.normalize import fold_search
from akhbar.arabic.stopwords import is_stopword

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "akhbar" / "models" / NAMES_FILE
HAND = REPO / "tools" / "news_names_hand.txt"
_WORD = re.compile(r"[^\W\d_]+")


def hand_names(path: Path) -> tuple[list[tuple[str, str]], set[str]]:
    """The hand-written names (``TYPE name`` a line, ``#`` notes) and the tagged spellings that are no name
    (``NOT spelling``), search-folded as the list is."""
    names, not_names = [], set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, name = line.split(" ", 1)
            if kind == "NOT":
                not_names.add(fold_search(name.strip()))
            else:
                names.append((kind, fold_search(name.strip())))
    return names, not_names


def texts(corpus: Path) -> Iterator[str]:
    """Title and text of each ANT article, once per URL."""
    seen: set[str] = set()
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            url = row.get("url") or row.get("docno")
            if url not in seen and row.get("text"):
                seen.add(url)
                yield f"{row.get('title') or ''}\n{row['text']}"


def tagged_spellings(text: str) -> list[tuple[str, str]]:
    """(folded spelling, type) of every span the shipped tagger finds in ``text``."""
    return [(" ".join(_WORD.findall(fold_search(span.text))), span.type) for span in NerTagger.default().entities(text)]


def occurrences(text: str, wanted: set[str]) -> Counter[str]:
    """How often each wanted spelling occurs in ``text`` as whole words (the first bare or after a proclitic)."""
    words = _WORD.findall(fold_search(text))
    found: Counter[str] = Counter()
    for i, first in enumerate(words):
        forms = [first] + [first[len(run) :] for run in PROCLITICS if first.startswith(run)]
        for length in range(1, LONGEST + 1):
            rest = words[i + 1 : i + length]
            for form in forms:
                if (spelling := " ".join([form, *rest])) in wanted:
                    found[spelling] += 1
    return found


def _fragment(spelling: str, share: float, names: set[str]) -> bool:
    """A first word the tagger often tags alone when it cuts a longer name short (سان of سان فرانسيسكو, شي of شي
    جينبينغ, مون of مون جيه إن): one word that begins a longer tagged name, tagged at under half its occurrences."""
    return " " not in spelling and share < 0.5 and any(n.startswith(spelling + " ") for n in names)


def _behind_proclitic(spelling: str, names: set[str]) -> bool:
    """A tagged span that kept a proclitic (لبايرن, لرويترز) beside the bare name."""
    return any(spelling.startswith(run) and spelling[len(run) :] in names for run in PROCLITICS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--min-tagged", type=int, default=10)
    parser.add_argument("--min-share", type=float, default=0.3)
    args = parser.parse_args()
    corpus = list(texts(args.shared / "data" / "ant" / "multisource-v2.1.jsonl.gz"))
    tagged: defaultdict[str, Counter[str]] = defaultdict(Counter)
    with Pool(args.jobs) as pool:
        for spans in pool.imap(tagged_spellings, corpus, chunksize=64):
            for spelling, kind in spans:
                tagged[spelling][kind] += 1
    wanted = {
        s
        for s, kinds in tagged.items()
        if sum(kinds.values()) >= args.min_tagged and 0 < len(s.split()) <= LONGEST and len(s) >= 2
    }
    counts: Counter[str] = Counter()
    for text in corpus:
        counts.update(occurrences(text, wanted))
    hand_listed, hand_not_names = hand_names(HAND)
    rows = []
    for spelling in sorted(wanted):
        kind, _ = tagged[spelling].most_common(1)[0]
        hits = sum(tagged[spelling].values())
        # A spelling the texts hold fewer times than the tagger emitted it is cut out of longer words (صين of للصين,
        # يلتيكس of سيلتيكس): no name as written.
        if counts[spelling] < hits:
            continue
        share = hits / counts[spelling]
        if kind == "MISC" or is_stopword(spelling) or len(spelling) < 3 or share < args.min_share:
            continue
        if spelling in NOT_NAMES or spelling in hand_not_names:
            continue
        if _fragment(spelling, share, wanted) or _behind_proclitic(spelling, wanted):
            continue
        rows.append((kind, spelling, hits, counts[spelling]))
    listed = {s for _, s, _, _ in rows}
    hand: dict[str, str] = {}  # spelling → type, in the hand list's order; names the tagger lists already skipped
    for kind, spelling in hand_listed:
        if spelling not in listed:
            hand.setdefault(spelling, kind)
    with open(OUT, "w", encoding="utf-8") as out:
        out.write(f"# built by tools/build_news_names.py from {len(corpus)} ANT articles: min tagged "
                  f"{args.min_tagged}, min share {args.min_share}\n")  # fmt: skip
        out.write("# type\tspelling (search folding)\ttagged\toccurrences\n")
        out.writelines(f"{k}\t{s}\t{h}\t{c}\n" for k, s, h, c in rows)
        out.write(f"# written by hand ({HAND.relative_to(REPO)}): names the tagger rarely tags; counts not measured\n")
        out.writelines(f"{k}\t{s}\t0\t0\n" for s, k in hand.items())
    print(f"{OUT.relative_to(REPO)}: {len(rows)} names from {len(corpus)} articles")


if __name__ == "__main__":
    main()
