"""Pool candidate ANT article pairs for the hand-judged same-event / same-story set (bench/data/event_pairs.tsv).

The pooling is deliberately simple and blind to akhbar: it uses none of the engine's linking, story or related
code, only word sets of title + lead after dropping Arabic stopwords and short words.  Four strata:

  1. ``near``    different outlets (some within one), published within 2 days, high title+lead overlap;
  2. ``rare``    sharing 2+ rare title words, published 3-14 days apart;
  3. ``cat``     same category, within 7 days, moderate title+lead overlap;
  4. ``random``  random same-category pairs within 30 days.

Candidates are spread over the months (round-robin) and no article is used in more than two pairs.  Pairs whose two
articles share a URL or have identical text are skipped (a republished copy, not a second report).

    .venv/bin/python bench/sample_event_pairs.py --seed 2018 --out /tmp/event-work/candidates.tsv
    .venv/bin/python bench/sample_event_pairs.py --show /tmp/event-work/candidates.tsv --start 0 --count 40
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
from collections import Counter, defaultdict
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ANT = REPO.parent / "shared" / "data" / "ant" / "multisource-v2.1.jsonl.gz"
DAY = 86400.0
LEAD_CHARS = 300
MIN_TEXT = 150  # video stubs of a line or two say too little to judge

_STOP_TEXT = """
    في من على إلى الى عن مع هذا هذه ذلك تلك التي الذي الذين اللذين اللتين هو هي هم هن نحن انت أنت انا أنا كان كانت
    يكون تكون كانوا قد لقد لم لن لا ما ماذا متى أين اين كيف هل او أو ام أم ثم بل لكن ولكن حتى إذا اذا إن ان أن لأن
    كل بعض غير بين بعد قبل خلال حول ضد عند منذ لدى نحو دون فوق تحت أمام امام وراء عبر أي اي كما مثل ايضا أيضا
    فقط الآن اليوم أمس امس غدا وقال قال قالت وقالت يقول تقول أكد وأكد أعلن وأعلن اعلن مساء صباح العام عام هناك
    وفي ومن وعلى وإلى وعن بها به له لها لهم منه منها عليه عليها فيه فيها إليه اليه وهو وهي التى الذى عليهم وذلك
    تم يتم وتم سيتم بشكل حيث وقد ولم فيما بينما إنه انه أنه إنها انها أنها كانا يمكن عدة عدد أكثر اكثر أقل اقل
    جديد جديدة الجديد الجديدة أول اول الأول الاولى الأولى آخر اخر أخرى اخرى يوم الثلاثاء الأربعاء الخميس الجمعة
    السبت الأحد الاثنين الإثنين بعدما وأضاف أضاف وأشار أشار وكان وكانت ويأتي يأتي تأتي فيديو شاهد صور بالصور
    عربية نيوز سكاي العربية بي سي سي إن إن فرانس
"""
STOPWORDS = set(_STOP_TEXT.split())
DIACRITICS = re.compile("[\u0617-\u061a\u064b-\u0652\u0640]")
NONWORD = re.compile(r"[^\w]+")
PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال")


def norm_word(w: str) -> str:
    w = DIACRITICS.sub("", w)
    w = w.translate(str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه"}))
    for p in PREFIXES:
        if w.startswith(p) and len(w) - len(p) >= 3:
            return w[len(p) :]
    return w


STOP_NORM = {norm_word(w) for w in STOPWORDS}


def words(text: str) -> set[str]:
    out = set()
    for raw in NONWORD.split(text):
        if raw in STOPWORDS or raw.isdigit():
            continue
        w = norm_word(raw)
        if len(w) >= 3 and w not in STOP_NORM:
            out.add(w)
    return out


def load(path: Path) -> list[dict]:
    docs = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            text = d.get("text") or ""
            if len(text) < MIN_TEXT:
                continue
            d["ts"] = parsedate_to_datetime(d["time"]).timestamp()
            d["tw"] = words(d["title"])
            d["lw"] = d["tw"] | words(text[:LEAD_CHARS])
            docs.append(d)
    docs.sort(key=lambda d: (d["ts"], d["docno"]))
    return docs


def outlet(d: dict) -> str:
    return d["docno"].split("-", 1)[0]


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def skip(a: dict, b: dict) -> bool:
    return a["url"] == b["url"] or a["text"].strip() == b["text"].strip()


def windowed_pairs(docs: list[dict], key: str, max_df: int, max_days: float) -> Counter[tuple[int, int]]:
    """Pairs (i < j, by time) within ``max_days`` sharing words of ``key`` with document frequency <= max_df,
    counted by how many such words they share."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(docs):
        for w in d[key]:
            index[w].append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for ids in index.values():
        if len(ids) < 2 or len(ids) > max_df:
            continue
        for n, x in enumerate(ids):
            for y in ids[n + 1 :]:
                if docs[y]["ts"] - docs[x]["ts"] > max_days * DAY:
                    break
                shared[(x, y)] += 1
    return shared


def spread(
    cands: list[tuple[int, int]],
    docs: list[dict],
    n: int,
    rng: random.Random,
    used: Counter[str],
    taken: set[tuple[str, str]],
    cross_share: float,
) -> list[tuple[int, int]]:
    """Pick ``n`` pairs round-robin over months, about ``cross_share`` of them across outlets, no article more
    than twice overall."""
    by_month: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for c in cands:
        by_month[datetime.fromtimestamp(docs[c[0]]["ts"]).strftime("%Y-%m")].append(c)
    for v in by_month.values():
        rng.shuffle(v)
    months = sorted(by_month)
    picked: list[tuple[int, int]] = []
    want_within = round(n * (1 - cross_share))
    within = 0
    while len(picked) < n and any(by_month.values()):
        for m in months:
            while by_month[m]:
                i, j = by_month[m].pop()
                a, b = docs[i], docs[j]
                key = (a["docno"], b["docno"])
                same_outlet = outlet(a) == outlet(b)
                if key in taken or used[a["docno"]] >= 2 or used[b["docno"]] >= 2 or skip(a, b):
                    continue
                if same_outlet and within >= want_within:
                    continue
                within += same_outlet
                taken.add(key)
                used[a["docno"]] += 1
                used[b["docno"]] += 1
                picked.append((i, j))
                break
            if len(picked) >= n:
                break
    return picked


def sample(docs: list[dict], seed: int, sizes: dict[str, int]) -> list[tuple[str, int, int, float]]:
    rng = random.Random(seed)
    used: Counter[str] = Counter()
    taken: set[tuple[str, str]] = set()
    out: list[tuple[str, int, int, float]] = []

    lead_pairs = windowed_pairs(docs, "lw", 600, 7)
    score = {p: jaccard(docs[p[0]]["lw"], docs[p[1]]["lw"]) for p, k in lead_pairs.items() if k >= 2}

    near = [p for p, s in score.items() if s >= 0.25 and docs[p[1]]["ts"] - docs[p[0]]["ts"] <= 2 * DAY]
    for p in spread(sorted(near), docs, sizes["near"], rng, used, taken, cross_share=0.85):
        out.append(("near", *p, score[p]))

    df = Counter(w for d in docs for w in d["tw"])
    title_pairs = windowed_pairs(docs, "tw", 40, 14)
    rare = [
        p
        for p, k in title_pairs.items()
        if k >= 2
        and docs[p[1]]["ts"] - docs[p[0]]["ts"] >= 3 * DAY
        and sum(1 for w in docs[p[0]]["tw"] & docs[p[1]]["tw"] if df[w] <= 40) >= 2
    ]
    for p in spread(sorted(rare), docs, sizes["rare"], rng, used, taken, cross_share=0.7):
        out.append(("rare", *p, jaccard(docs[p[0]]["lw"], docs[p[1]]["lw"])))

    mid = [p for p, s in score.items() if 0.08 <= s < 0.22 and docs[p[0]]["cat"] == docs[p[1]]["cat"]]
    for p in spread(sorted(mid), docs, sizes["cat"], rng, used, taken, cross_share=0.75):
        out.append(("cat", *p, score[p]))

    by_cat: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(docs):
        by_cat[d["cat"]].append(i)
    rand = []
    cats = sorted(by_cat)
    while len(rand) < sizes["random"] * 20:
        ids = by_cat[rng.choice(cats)]
        i, j = sorted(rng.sample(ids, 2))
        if docs[j]["ts"] - docs[i]["ts"] <= 30 * DAY:
            rand.append((i, j))
    for p in spread(rand, docs, sizes["random"], rng, used, taken, cross_share=0.8):
        out.append(("random", *p, jaccard(docs[p[0]]["lw"], docs[p[1]]["lw"])))
    return out


def show(cands: Path, start: int, count: int, chars: int) -> None:
    rows = [line.rstrip("\n").split("\t") for line in cands.read_text(encoding="utf-8").splitlines()[1:]]
    rows = rows[start : start + count]
    need = {x for r in rows for x in r[:2]}
    docs = {}
    with gzip.open(ANT, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d["docno"] in need:
                docs[d["docno"]] = d
    for n, (a, b, stratum, score) in enumerate(rows, start):
        print(f"=== #{n} [{stratum} {score}]")
        for x in (docs[a], docs[b]):
            when = parsedate_to_datetime(x["time"]).strftime("%m-%d %H:%M")
            lead = " ".join(x["text"].split())[:chars]
            print(f"  {x['docno']} {when} | {x['title']}\n    {lead}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=2018)
    ap.add_argument("--out", type=Path, default=Path("/tmp/event-work/candidates.tsv"))
    ap.add_argument("--near", type=int, default=140)
    ap.add_argument("--rare", type=int, default=170)
    ap.add_argument("--cat", type=int, default=120)
    ap.add_argument("--random", type=int, default=60)
    ap.add_argument("--show", type=Path, help="print a slice of a candidates file for judging instead of sampling")
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--count", type=int, default=40)
    ap.add_argument("--chars", type=int, default=LEAD_CHARS)
    args = ap.parse_args()
    if args.show:
        show(args.show, args.start, args.count, args.chars)
        return
    docs = load(ANT)
    sizes = {"near": args.near, "rare": args.rare, "cat": args.cat, "random": args.random}
    out = sample(docs, args.seed, sizes)
    # judge in a shuffled order so that a stratum's label is not guessed from position
    random.Random(args.seed + 1).shuffle(out)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as f:
        f.write("docno_a\tdocno_b\tstratum\tscore\n")
        for stratum, i, j, s in out:
            f.write(f"{docs[i]['docno']}\t{docs[j]['docno']}\t{stratum}\t{s:.3f}\n")
    print(f"{len(out)} candidates -> {args.out}: {Counter(s for s, *_ in out)}")


if __name__ == "__main__":
    main()
