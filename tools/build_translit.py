"""Build ``models/translit.tsv`` (Arabic name → Latin dictionary) and ``models/translit_model.json`` (character model).

Run: ``python tools/build_translit.py [--shared ../shared] [--dictionary-only]``. Sources, all shippable: Wikidata
person-name words, the TRAIN split only (``wd_arabic_80``, CC0); Google's Wikipedia transliterations,
``ar2en-train.txt`` only (Apache-2.0); the world-cities gazetteer (CC BY 4.0); the hand list ``tools/translit_hand.tsv``
(written by the akhbar team). ANETAC is never read here (no licence): it is only used by ``bench/translit.py``.

Press names (rows marked ``press``, used by ``romanize`` and Latin queries, never by name signatures): CLDR
territory and currency names, Arabic and English, via ``babel`` (Unicode License v3), and the hand list
``tools/translit_press.tsv`` (written by the akhbar team: whole names as the English-language press writes them), which
wins. The ODbL countries file is not used (its share-alike would reach the shipped table); nor is arabnamer (CC BY 4.0):
it holds 751 of the 1,590 words of Google's ar2en-test with the same Latin, so it would leak that held-out set into
the table (bench/translit.py), and it did not change the press-name DEV score.

The character model: each Arabic letter is aligned to a Latin chunk of 0–3 letters by EM (forward-backward over all
monotone alignments, then Viterbi), and a Witten-Bell interpolated n-gram is estimated over the (letter, chunk) tokens.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import time
from collections import Counter, defaultdict
from pathlib import Path

from akhbar.arabic.normalize import fold_search
from akhbar.arabic.translit import HAND_COUNT, MAX_CHUNK, arabic_words, latin_key

REPO = Path(__file__).resolve().parents[1]
MODELS = REPO / "src" / "akhbar" / "models"
HAND_LIST = REPO / "tools" / "translit_hand.tsv"
PRESS_LIST = REPO / "tools" / "translit_press.tsv"
# Press rows: CLDR names count CLDR_COUNT, the press hand list HAND_COUNT and more (it wins).
CLDR_COUNT = 1000
COUNTRY_COUNT = 10
ORDER = 4
EM_ITERATIONS = 4
# n-grams of order 3 and more seen once are not stored (their probability falls back to the lower order): halves the
# model's size for a fraction of a point of accuracy.
PRUNE_FROM_ORDER = 3
# Generic words that open gazetteer entries ("ولاية قندهار" = Kandahar) but not the English name.
GENERIC = {"محافظة", "مقاطعة", "ولاية", "بلدية", "إقليم", "منطقة", "مدينة", "مديرية", "إدارة", "اقليم"}

Row = tuple[str, str, int]  # Arabic spelling, Latin form, count


# --- dictionary sources -------------------------------------------------------------------------------------------


def wikidata_rows(path: Path) -> list[Row]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            latin, letters, count = line.rstrip("\n").split("\t")
            rows.append(("".join(letters.split()), latin, int(count)))
    return rows


def google_rows(path: Path) -> list[Row]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            arabic, latin = line.rstrip("\n").split("\t")
            rows.append((arabic, latin, 1))
    return rows


def city_rows(path: Path) -> list[Row]:
    """City and country names. A city's weight grows with the log of its population, so موسكو is Moscow (Russia,
    17M), not Moskva (Tajikistan, 23k). Entries with digits or an Arabic comma are descriptions, not names."""
    rows: list[Row] = []
    countries: set[tuple[str, str]] = set()
    with open(path, encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            countries.add((r["CountryNameAr"], r["CountryNameEn"]))
            arabic, latin = r["CityNameAr"].strip(), r["CityNameEn"].strip()
            if any(ch.isdigit() for ch in arabic) or "،" in arabic or not arabic or not latin:
                continue
            words = arabic.split()
            if len(words) > len(latin.split()) and words[0] in GENERIC:
                arabic = " ".join(words[1:])
            population = int(float(r["Population"] or 0))
            rows.append((arabic, latin, max(1, round(math.log10(population + 1)))))
    rows += [(ar, en, COUNTRY_COUNT) for ar, en in sorted(countries)]
    return rows


def hand_rows(path: Path) -> list[Row]:
    """Hand rows count HAND_COUNT plus the number of rows after them: the first spelling listed for a name is the
    first Arabic candidate offered for its Latin form."""
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    rows = []
    for i, line in enumerate(lines):
        arabic, latin = line.split("\t")
        rows.append((arabic.strip(), latin.strip(), HAND_COUNT + len(lines) - i))
    return rows


# CLDR English names the English-language press does not use as they are (the press hand list can override others).
CLDR_ENGLISH = {"TR": "Turkey", "CZ": "Czech Republic", "CD": "Democratic Republic of Congo", "CG": "Republic of Congo"}


_ARABIC_NAME = re.compile("[\u0621-\u064a]+(?: [\u0621-\u064a]+)*")


def _cldr_english(name: str) -> str:
    """``Myanmar (Burma)`` → ``Myanmar``, ``Bosnia & Herzegovina`` → ``Bosnia and Herzegovina``."""
    name = name.split(" (")[0].replace(" & ", " and ").replace("’", "'")
    return " ".join(name.split())


def cldr_rows() -> list[Row]:
    """CLDR territory (countries, regions, the EU, the UN) and currency names, Arabic → English, via babel. A name that
    is no proper name (``world``, lower case), or that CLDR writes with a dash or a bracket (``الكونغو - كينشاسا``,
    ``(UIC)فرنك فرنسي``), is left out."""
    from babel import Locale

    rows: list[Row] = []
    ar, en = Locale("ar"), Locale("en")
    for table_ar, table_en, fixes in (
        (ar.territories, en.territories, CLDR_ENGLISH),
        (ar.currencies, en.currencies, {}),
    ):
        for code, arabic in sorted(table_ar.items()):
            english = fixes.get(code) or table_en.get(code)
            if not english or not english[0].isupper() or " - " in english or not _ARABIC_NAME.fullmatch(arabic):
                continue
            rows.append((arabic, _cldr_english(english), CLDR_COUNT))
    return rows


def _count_rows(rows: list[Row]) -> tuple[Counter[tuple[str, str]], dict[tuple[str, str], str]]:
    """Sum counts per (search-folded spelling, Latin form); the hand lists' casing wins over a corpus's."""
    counts: Counter[tuple[str, str]] = Counter()
    cased: dict[tuple[str, str], str] = {}
    for arabic, latin, count in rows:
        spelling = " ".join(fold_search(arabic).split())
        if not spelling or not latin_key(latin):
            continue
        key = (spelling, latin.lower())
        counts[key] += count
        if count >= HAND_COUNT or key not in cased:
            cased[key] = latin
    return counts, cased


def write_dictionary(rows: list[Row], out: Path, press: list[Row] | None = None) -> int:
    """The name dictionary's rows (three columns), then the press names (a fourth column ``press``)."""
    counts, cased = _count_rows(rows)
    lines = [f"{sp}\t{cased[(sp, la)]}\t{n}" for (sp, la), n in sorted(counts.items())]
    press_counts, press_cased = _count_rows(press or [])
    press_lines = [f"{sp}\t{press_cased[(sp, la)]}\t{n}\tpress" for (sp, la), n in sorted(press_counts.items())]
    header = (
        "# Arabic name spellings (search-folded) → Latin form, with counts. Built by tools/build_translit.py from\n"
        "# Wikidata (CC0), Google ar2en-train (Apache-2.0), world-cities (CC BY 4.0) and tools/translit_hand.tsv\n"
        f"# (count >= {HAND_COUNT}). See PROVENANCE.md.\n"
    )
    press_header = (
        "# Press names (fourth column `press`; romanize and Latin queries): CLDR territories and currencies via babel\n"
        f"# (Unicode License v3, count {CLDR_COUNT}) and tools/translit_press.tsv (count >= {HAND_COUNT}).\n"
    )
    out.write_text(
        header + "\n".join(lines) + "\n" + press_header + "\n".join(press_lines) + "\n",
        encoding="utf-8",
    )
    return len(lines) + len(press_lines)


# --- character model ----------------------------------------------------------------------------------------------

Pair = tuple[str, str]  # dedup-layer Arabic word, Latin key


def training_pairs(rows: list[Row]) -> list[Pair]:
    pairs = set()
    for arabic, latin, _ in rows:
        words = arabic_words(arabic)
        key = latin_key(latin)
        if len(words) == 1 and key and len(key) <= MAX_CHUNK * len(words[0]):
            pairs.add((words[0], key))
    return sorted(pairs)


def _chunks(a: str, lat: str, i: int, j: int) -> range:
    """Latin chunk lengths letter ``i`` may take when the alignment is at Latin position ``j`` and can still finish."""
    rest = len(a) - i - 1
    lo = max(0, len(lat) - j - rest * MAX_CHUNK)
    return range(lo, min(MAX_CHUNK, len(lat) - j) + 1)


def em_step(pairs: list[Pair], prob: dict[Pair, float]) -> dict[Pair, float]:
    """One forward-backward pass: expected (letter, chunk) counts, renormalized to joint probabilities."""
    counts: defaultdict[Pair, float] = defaultdict(float)
    floor = 1e-12
    for a, lat in pairs:
        n, m = len(a), len(lat)
        alpha = [[0.0] * (m + 1) for _ in range(n + 1)]
        alpha[0][0] = 1.0
        for i in range(n):
            row, nxt = alpha[i], alpha[i + 1]
            for j in range(m + 1):
                if row[j]:
                    for k in _chunks(a, lat, i, j):
                        nxt[j + k] += row[j] * prob.get((a[i], lat[j : j + k]), floor)
        z = alpha[n][m]
        if z <= 0:
            continue
        beta = [[0.0] * (m + 1) for _ in range(n + 1)]
        beta[n][m] = 1.0
        for i in range(n - 1, -1, -1):
            row, nxt = beta[i], beta[i + 1]
            for j in range(m + 1):
                if alpha[i][j]:
                    for k in _chunks(a, lat, i, j):
                        if nxt[j + k]:
                            p = prob.get((a[i], lat[j : j + k]), floor)
                            row[j] += p * nxt[j + k]
                            counts[(a[i], lat[j : j + k])] += alpha[i][j] * p * nxt[j + k] / z
    total = sum(counts.values())
    return {k: v / total for k, v in counts.items() if v / total > 1e-7}


def viterbi(a: str, lat: str, prob: dict[Pair, float]) -> list[Pair] | None:
    n, m = len(a), len(lat)
    best: list[list[tuple[float, int]]] = [[(-math.inf, -1)] * (m + 1) for _ in range(n + 1)]
    best[0][0] = (0.0, -1)
    for i in range(n):
        for j in range(m + 1):
            score = best[i][j][0]
            if score == -math.inf:
                continue
            for k in _chunks(a, lat, i, j):
                p = prob.get((a[i], lat[j : j + k]))
                if p and score + math.log(p) > best[i + 1][j + k][0]:
                    best[i + 1][j + k] = (score + math.log(p), k)
    if best[n][m][0] == -math.inf:
        return None
    out: list[Pair] = []
    j = m
    for i in range(n, 0, -1):
        k = best[i][j][1]
        out.append((a[i - 1], lat[j - k : j]))
        j -= k
    return out[::-1]


def align(pairs: list[Pair]) -> list[list[Pair]]:
    prob: dict[Pair, float] = defaultdict(lambda: 1.0)
    for it in range(EM_ITERATIONS):
        started = time.perf_counter()
        prob = em_step(pairs, prob)
        print(f"  EM iteration {it + 1}: {len(prob)} (letter, chunk) pairs, {time.perf_counter() - started:.0f} s")
    aligned = [viterbi(a, lat, prob) for a, lat in pairs]
    return [x for x in aligned if x]


def ngram_model(sequences: list[list[Pair]]) -> dict[str, object]:
    """Witten-Bell interpolated joint n-gram, stored in back-off form: log p for stored n-grams, log back-off weights
    for contexts (p(w|h) = p_stored(w|h) if stored, else bow(h) · p(w|h minus its oldest token))."""
    ids: dict[Pair, int] = {("", ""): 0}  # 0: word boundary
    for seq in sequences:
        for tok in seq:
            ids.setdefault(tok, len(ids))
    counts: list[defaultdict[tuple[int, ...], Counter[int]]] = [defaultdict(Counter) for _ in range(ORDER)]
    for seq in sequences:
        toks = [0] + [ids[t] for t in seq] + [0]
        for pos in range(1, len(toks)):
            for n in range(ORDER):  # context length n
                if pos - n < 0:
                    break
                counts[n][tuple(toks[pos - n : pos])][toks[pos]] += 1
    vocab = len(ids)
    prob: dict[tuple[int, ...], dict[int, float]] = {}
    bow: dict[tuple[int, ...], float] = {}

    totals = {ctx: (sum(c.values()), len(c)) for level in counts for ctx, c in level.items()}

    def p(ctx: tuple[int, ...], w: int) -> float:
        lower = p(ctx[1:], w) if ctx else 1.0 / vocab
        c = counts[len(ctx)].get(ctx)
        if not c:
            return lower
        total, types = totals[ctx]
        return (c[w] + types * lower) / (total + types)

    for n in range(ORDER):
        for ctx, c in counts[n].items():
            total, types = totals[ctx]
            kept = {w: round(math.log(p(ctx, w)), 3) for w, k in c.items() if n + 1 < PRUNE_FROM_ORDER or k > 1}
            if kept:
                prob[ctx] = kept
            if n:
                bow[ctx] = round(math.log(types / (total + types)), 3)
    return {
        "order": ORDER,
        "tokens": [list(t) for t in sorted(ids, key=ids.__getitem__)],
        "prob": {" ".join(map(str, ctx)): sorted(d.items()) for ctx, d in prob.items()},
        "bow": {" ".join(map(str, ctx)): b for ctx, b in bow.items() if ctx in prob},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--dictionary-only", action="store_true", help="rebuild translit.tsv, not the model")
    args = parser.parse_args()
    data = args.shared / "data"

    wikidata = wikidata_rows(data / "translit/wikidata-names/wd_arabic_80")
    google = google_rows(data / "translit/google/ar2en-train.txt")
    cities = city_rows(data / "gazetteers/world-cities/world-cities.csv")
    hand = hand_rows(HAND_LIST)
    press = cldr_rows() + hand_rows(PRESS_LIST)
    n = write_dictionary(wikidata + google + cities + hand, MODELS / "translit.tsv", press)
    print(f"{n} dictionary rows ({len(press)} press rows read) → src/akhbar/models/translit.tsv")
    if args.dictionary_only:
        return

    pairs = training_pairs(wikidata + google)
    print(f"{len(pairs)} training pairs for the character model")
    model = ngram_model(align(pairs))
    out = MODELS / "translit_model.json"
    out.write_text(json.dumps(model, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{len(model['tokens'])} tokens, {len(model['prob'])} contexts → {out.relative_to(REPO)}")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
