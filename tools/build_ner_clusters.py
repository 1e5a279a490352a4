"""Build ``models/ner_clusters.txt``: unsupervised word clusters for the NER tagger, learned from unlabeled news text.

Run: ``python tools/build_ner_clusters.py [--shared ../shared] [--vocab 50000]`` (needs numpy) for
``ner_clusters.txt``; ``ner_clusters2.txt`` (a second clustering the tagger reads beside it) is
``python tools/build_ner_clusters.py --sources ant/multisource-v2.1.jsonl.gz arwiki/arwiki-2017-egyptlinked.jsonl.gz
--paragraphs --vocab 100000 --out src/akhbar/models/ner_clusters2.txt`` (~1 min, ~5 GB of memory): ANT and the Arabic
Wikipedia subset (CC BY-SA 4.0), neighbours within a paragraph.

Source: the ``text`` field of the ANT multisource corpus (``ant/multisource-v2.1.jsonl.gz``, Apache-2.0). Method: the
search-folded words of every article; the ``--vocab`` most frequent words get a context vector of counts of the
most frequent words one position to their left and to their right (separate columns); counts are turned into
positive PMI, reduced to ``DIMS`` dimensions with a randomized truncated SVD, L2-normalized, and clustered with
spherical k-means at several granularities. Words that behave alike (names of people, of places, of months, verbs of
saying) land in the same cluster, which lets the CRF generalize from the few words ANERcorp labels to the many it
never saw. The output has one line per word: ``word<TAB>c64<TAB>c256<TAB>c1024``; only cluster ids, no text of ANT.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import time
from collections import Counter
from pathlib import Path

import numpy as np
import numpy.typing as npt

from akhbar.arabic.normalize import fold_search
from akhbar.arabic.tokenize import words

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "akhbar" / "models" / "ner_clusters.txt"
CONTEXTS = 2000  # most frequent words used as left/right context features
DIMS = 100
GRANULARITIES = (64, 256, 1024)
SOURCES = ("ant/multisource-v2.1.jsonl.gz",)
SEED = 13

F32 = npt.NDArray[np.float32]


def folded_docs(paths: list[Path], paragraphs: bool = False) -> list[list[str]]:
    """Every document (its ``text``; ``paragraphs``: every paragraph of it) as a list of folded words (folding cached
    per raw word: news vocabulary repeats)."""
    cache: dict[str, str] = {}
    docs: list[list[str]] = []
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                text = json.loads(line).get("text") or ""
                for paragraph in text.split("\n") if paragraphs else [text]:
                    doc = []
                    for w in words(paragraph):
                        fw = cache.get(w)
                        if fw is None:
                            fw = cache[w] = fold_search(w)
                        doc.append(fw)
                    if doc:
                        docs.append(doc)
    return docs


def cooccurrence(docs: list[list[str]], vocab: list[str], contexts: int) -> F32:
    """Counts of context words right before (columns [0, contexts)) and right after (the rest) each vocab word."""
    index = {w: i for i, w in enumerate(vocab)}
    n = len(vocab)
    rows: list[int] = []
    cols: list[int] = []
    for doc in docs:
        ids = [index.get(w, -1) for w in doc]
        for a, b in itertools.pairwise(ids):
            # b sees a on its left; a sees b on its right. Only the top `contexts` words serve as contexts.
            if b >= 0 and 0 <= a < contexts:
                rows.append(b)
                cols.append(a)
            if a >= 0 and 0 <= b < contexts:
                rows.append(a)
                cols.append(contexts + b)
    flat = np.asarray(rows, dtype=np.int64) * (2 * contexts) + np.asarray(cols, dtype=np.int64)
    counts = np.bincount(flat, minlength=n * 2 * contexts).astype(np.float32)
    return counts.reshape(n, 2 * contexts)


def ppmi(counts: F32) -> F32:
    """Positive pointwise mutual information, with context-distribution smoothing (alpha 0.75, Levy et al. 2015)."""
    total = counts.sum()
    row = counts.sum(axis=1, keepdims=True)
    col = counts.sum(axis=0, keepdims=True) ** 0.75
    col = col / col.sum() * total
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log(counts * total / (row * col))
    pmi[~np.isfinite(pmi)] = 0.0
    return np.asarray(np.maximum(pmi, 0.0), dtype=np.float32)


def randomized_svd(m: F32, k: int, rng: np.random.Generator) -> F32:
    """Rows of ``m`` projected on its top-k singular directions, scaled by sqrt of the singular values."""
    g = rng.standard_normal((m.shape[1], k + 20)).astype(np.float32)
    q, _ = np.linalg.qr(m @ g)
    for _ in range(2):  # power iterations sharpen the spectrum
        q, _ = np.linalg.qr(m @ (m.T @ q))
    u, s, _ = np.linalg.svd(q.T @ m, full_matrices=False)
    return np.asarray((q @ u[:, :k]) * np.sqrt(s[:k]), dtype=np.float32)


def spherical_kmeans(x: F32, k: int, rng: np.random.Generator, iterations: int = 25) -> npt.NDArray[np.int64]:
    """Cluster unit vectors by cosine similarity; start from k random points, empty clusters re-seeded at random."""
    centers = x[rng.choice(len(x), size=k, replace=False)].copy()
    labels = np.zeros(len(x), dtype=np.int64)
    for _ in range(iterations):
        labels = np.asarray((x @ centers.T).argmax(axis=1), dtype=np.int64)
        sums = np.zeros_like(centers)
        np.add.at(sums, labels, x)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        empty = norms[:, 0] == 0
        sums[empty] = x[rng.choice(len(x), size=int(empty.sum()), replace=False)]
        norms[empty] = 1.0
        centers = sums / norms
    return labels


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--vocab", type=int, default=50_000)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--sources", nargs="+", default=list(SOURCES), help="jsonl.gz files under shared/data")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--paragraphs", action="store_true", help="neighbours within a paragraph only")
    parser.add_argument("--granularities", type=int, nargs="+", default=list(GRANULARITIES))
    args = parser.parse_args()
    t0 = time.perf_counter()
    docs = folded_docs([args.shared / "data" / source for source in args.sources], args.paragraphs)
    freq = Counter(w for doc in docs for w in doc)
    print(f"{len(docs)} articles, {sum(freq.values())} words, {len(freq)} types ({time.perf_counter() - t0:.0f}s)")
    # Numbers and one-letter words carry no name evidence; keep words with at least one letter and two characters.
    vocab = [w for w, _ in freq.most_common() if len(w) >= 2 and not w.isdigit()][: args.vocab]
    counts = cooccurrence(docs, vocab, CONTEXTS)
    del docs
    rng = np.random.default_rng(args.seed)
    emb = randomized_svd(ppmi(counts), DIMS, rng)
    emb /= np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-9)
    print(f"embeddings {emb.shape} ({time.perf_counter() - t0:.0f}s)")
    columns = [spherical_kmeans(emb, k, rng) for k in args.granularities]
    header = (
        "# NER word clusters: folded word, then its cluster id at "
        + "/".join(map(str, args.granularities))
        + " clusters. Built by tools/build_ner_clusters.py from "
        + " + ".join(args.sources)
        + ".\n"
    )
    lines = ["\t".join([w, *(str(int(c[i])) for c in columns)]) for i, w in enumerate(vocab)]
    args.out.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(vocab)} words → {args.out} ({time.perf_counter() - t0:.0f}s)")


if __name__ == "__main__":
    main()
