"""Build ``models/ner_brown.txt``: Brown word clusters (bit-string paths) for the NER tagger.

Run: ``python tools/build_ner_brown.py [--shared ../shared] [--vocab 80000] [--clusters 256]`` (needs numpy; about
7 minutes on one core).

Sources: the ``text`` of the ANT multisource corpus (``ant/multisource-v2.1.jsonl.gz``, Apache-2.0) and the Arabic
Wikipedia subset ``arwiki/arwiki-2017-egyptlinked.jsonl.gz`` (CC BY-SA 4.0; Saad & Alijla 2017, Wikipedia). Words are
search-folded; the ``--vocab`` most frequent ones are clustered, bigrams with any other word are left out.

Method: Brown et al. (1992) class-bigram clustering with Liang's (2005) windowed greedy algorithm: words enter in
order of frequency; with ``--clusters`` + 1 clusters active, the two whose merge loses the least average mutual
information between adjacent clusters are merged; at the end the last clusters are merged down to one, so every word
gets the path of 0/1 choices from the root of the tree of those last merges to its cluster. The merge losses are kept
up to date incrementally (O(C²) numpy work per word). Output: one line per word, ``word<TAB>path``; only word forms
and paths are stored, no text.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

import numpy as np
import numpy.typing as npt
from build_ner_clusters import folded_docs  # the same reader: documents → folded words, per paragraph

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "akhbar" / "models" / "ner_brown.txt"
SOURCES = ("data/ant/multisource-v2.1.jsonl.gz", "data/arwiki/arwiki-2017-egyptlinked.jsonl.gz")

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]


def _f(p: F64, a: F64 | float, b: F64 | float) -> F64:
    """p·log(p / (a·b)), 0 where p is 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out = p * np.log(p / (a * b))
    out[~(p > 0)] = 0.0
    return out


def _xlogx(m: F64) -> F64:
    out = np.zeros_like(m)
    np.log(m, out=out, where=m > 0)
    out *= m
    return out


class Brown:
    """Liang's windowed Brown clustering over integer word ids ``0..V-1`` (ids in order of entry).

    With marginals fixed per word (``pl``, ``pr``: how often it is the left/right word of a bigram), the term of a
    cluster pair (c, d) in the mutual information is q(c, d) = p(c, d)·log(p(c, d) / (pl(c)·pr(d))), and the loss of
    merging s and t is a sum over the other clusters d of the terms of s+t with d (kept in ``a``, updated when a
    cluster enters or two merge), plus the term of s+t with itself, minus every old term of s and t.
    """

    def __init__(self, left: I64, right: I64, counts: I64, n_words: int, n_clusters: int) -> None:
        total = float(counts.sum())
        self.n_words = n_words
        self.k = k = n_clusters + 1
        # (A word that is never the left or the right word of a bigram gets a tiny marginal: its logs stay finite.)
        self.pl = np.maximum(np.bincount(left, weights=counts, minlength=n_words) / total, 1e-15)
        self.pr = np.maximum(np.bincount(right, weights=counts, minlength=n_words) / total, 1e-15)
        # CSR views of the bigrams: by left word (its right neighbours) and by right word (its left neighbours).
        order = np.argsort(left, kind="stable")
        self.r_ptr = np.searchsorted(left[order], np.arange(n_words + 1))
        self.r_nb, self.r_p = right[order], counts[order] / total
        order = np.argsort(right, kind="stable")
        self.l_ptr = np.searchsorted(right[order], np.arange(n_words + 1))
        self.l_nb, self.l_p = left[order], counts[order] / total
        self.slot_of = np.full(n_words, -1, dtype=np.int64)
        self.p = np.zeros((k, k))
        self.q = np.zeros((k, k))
        self.a = np.zeros((k, k))  # a[s, t]: sum over other clusters d of the terms of s+t with d
        # Marginals of the slots (1 in free slots: logs stay finite, their p is 0 anyway) and cached logs:
        # log_pls[s, t] = log(PL[s] + PL[t]), log_prs likewise.
        self.PL = np.ones(k)
        self.PR = np.ones(k)
        self.log_pl = np.zeros(k)
        self.log_pr = np.zeros(k)
        self.log_pls = np.full((k, k), np.log(2.0))
        self.log_prs = np.full((k, k), np.log(2.0))
        self.active = np.zeros(k, dtype=bool)
        self.node = np.full(k, -1, dtype=np.int64)  # merge-tree node of each slot
        self.children: list[tuple[int, int]] = []  # node id n_words + i has children children[i]

    def _set_marginals(self, x: int, pl: float, pr: float) -> None:
        self.PL[x], self.PR[x] = pl, pr
        self.log_pl[x], self.log_pr[x] = np.log(pl), np.log(pr)
        row = np.log(self.PL + pl)
        self.log_pls[x, :] = row
        self.log_pls[:, x] = row
        row = np.log(self.PR + pr)
        self.log_prs[x, :] = row
        self.log_prs[:, x] = row

    def _term(self, d: int) -> F64:
        """[s, t] → the terms between the merged cluster s+t and cluster d (both directions)."""
        col = self.p[:, d]
        m = col[:, None] + col[None, :]
        out = _xlogx(m) - m * (self.log_pls + self.log_pr[d])
        m = self.p[d, :]
        m = m[:, None] + m[None, :]
        out += _xlogx(m) - m * (self.log_pl[d] + self.log_prs)
        return out

    def _fresh_a(self, x: int) -> None:
        """a[x, t] and a[t, x] for every active t, from scratch."""
        p = self.p
        m = p[x][None, :] + p  # [t, d]: p(x+t, d)
        out = _xlogx(m) - m * (self.log_pls[x][:, None] + self.log_pr[None, :])
        m = p[:, x][None, :] + p.T  # [t, d]: p(d, x+t)
        out += _xlogx(m) - m * (self.log_pl[None, :] + self.log_prs[x][:, None])
        out[:, ~self.active] = 0.0
        out[:, x] = 0.0
        np.fill_diagonal(out, 0.0)
        row = out.sum(axis=1)
        self.a[x, :] = row
        self.a[:, x] = row

    def _q_of(self, x: int) -> None:
        self.q[x, :] = _f(self.p[x, :], self.PL[x], self.PR)
        self.q[:, x] = _f(self.p[:, x], self.PL, self.PR[x])

    def add(self, w: int) -> None:
        x = int(np.flatnonzero(~self.active)[0])
        self.slot_of[w] = x
        self.active[x] = True
        self.node[x] = w
        self._set_marginals(x, self.pl[w], self.pr[w])
        k = self.k
        a, b = self.r_ptr[w], self.r_ptr[w + 1]
        slots = self.slot_of[self.r_nb[a:b]]
        known = slots >= 0
        self.p[x, :] = np.bincount(slots[known], weights=self.r_p[a:b][known], minlength=k)
        a, b = self.l_ptr[w], self.l_ptr[w + 1]
        slots = self.slot_of[self.l_nb[a:b]]
        known = slots >= 0
        self.p[:, x] = np.bincount(slots[known], weights=self.l_p[a:b][known], minlength=k)
        self._q_of(x)
        self.a += self._term(x)
        self._fresh_a(x)

    def losses(self) -> F64:
        """[s, t] → change of mutual information if s and t merge (-inf where not a pair of active s < t)."""
        p, q = self.p, self.q
        dp = np.diag(p)
        dq = np.diag(q)
        m = dp[:, None] + dp[None, :] + p + p.T
        inner = _xlogx(m) - m * (self.log_pls + self.log_prs)
        r = q.sum(axis=1) + q.sum(axis=0) - dq
        out = self.a + inner - r[:, None] - r[None, :] + q + q.T
        ok = self.active[:, None] & self.active[None, :]
        ok &= self._upper
        out[~ok] = -np.inf
        return out

    @property
    def _upper(self) -> npt.NDArray[np.bool_]:
        upper = getattr(self, "_upper_cache", None)
        if upper is None:
            upper = self._upper_cache = np.triu(np.ones((self.k, self.k), dtype=bool), 1)
        return upper

    def merge_best(self) -> None:
        loss = self.losses()
        s, t = np.unravel_index(int(loss.argmax()), loss.shape)
        s, t = int(s), int(t)
        self.a -= self._term(s)
        self.a -= self._term(t)
        p = self.p
        p[s, :] += p[t, :]
        p[:, s] += p[:, t]
        p[t, :] = 0.0
        p[:, t] = 0.0
        pl, pr = self.PL[s] + self.PL[t], self.PR[s] + self.PR[t]
        self._set_marginals(t, 1.0, 1.0)
        self._set_marginals(s, pl, pr)
        self.active[t] = False
        self.q[t, :] = 0.0
        self.q[:, t] = 0.0
        self._q_of(s)
        self.a += self._term(s)
        self.a[t, :] = 0.0
        self.a[:, t] = 0.0
        self._fresh_a(s)
        self.slot_of[self.slot_of == t] = s
        self.children.append((int(self.node[s]), int(self.node[t])))
        self.node[s] = self.n_words + len(self.children) - 1
        self.node[t] = -1

    def run(self, log_every: int = 5000) -> list[str]:
        """Cluster every word; return the bit-string path of each word id: the path from the root of the merge tree
        of the final clusters to the word's cluster (the words of one cluster share it)."""
        t0 = time.perf_counter()
        for w in range(self.n_words):
            self.add(w)
            if self.active.all():
                self.merge_best()
            if log_every and w and w % log_every == 0:
                print(f"  {w} words ({time.perf_counter() - t0:.0f}s)", flush=True)
        cluster_node = {int(self.node[x]): x for x in np.flatnonzero(self.active)}
        word_slot = self.slot_of.copy()
        while self.active.sum() > 1:
            self.merge_best()
        slot_path: dict[int, str] = {}
        stack = [(int(self.node[self.active][0]), "")]
        while stack:
            n, path = stack.pop()
            if n in cluster_node:
                slot_path[cluster_node[n]] = path or "0"
            else:
                left, right = self.children[n - self.n_words]
                stack += [(left, path + "0"), (right, path + "1")]
        return [slot_path[int(x)] for x in word_slot]


def mutual_information(p: F64) -> float:
    """Average mutual information of a (cluster) bigram probability matrix: a check for tests."""
    pl = p.sum(axis=1, keepdims=True)
    pr = p.sum(axis=0, keepdims=True)
    return float(_f(p, pl, pr).sum())


def bigrams(docs: list[list[str]], vocab: list[str]) -> tuple[I64, I64, I64]:
    """(left ids, right ids, counts) of the distinct bigrams of vocabulary words (none across documents)."""
    index = {w: i for i, w in enumerate(vocab)}
    n = len(vocab)
    flat: list[int] = []
    for doc in docs:
        flat += [index.get(w, -1) for w in doc]
        flat.append(-1)
    ids = np.asarray(flat, dtype=np.int64)
    a, b = ids[:-1], ids[1:]
    keep = (a >= 0) & (b >= 0)
    uniq, counts = np.unique(a[keep] * n + b[keep], return_counts=True)
    return uniq // n, uniq % n, counts.astype(np.int64)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--vocab", type=int, default=80_000)
    parser.add_argument("--clusters", type=int, default=256)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    t0 = time.perf_counter()
    docs = folded_docs([args.shared / s for s in SOURCES], paragraphs=True)
    freq = Counter(w for doc in docs for w in doc)
    print(f"{len(docs)} paragraphs, {sum(freq.values())} words, {len(freq)} types ({time.perf_counter() - t0:.0f}s)")
    vocab = [w for w, _ in freq.most_common() if not w.isdigit()][: args.vocab]
    left, right, counts = bigrams(docs, vocab)
    del docs
    print(f"{len(counts)} distinct bigrams ({time.perf_counter() - t0:.0f}s)", flush=True)
    paths = Brown(left, right, counts, len(vocab), args.clusters).run()
    header = (
        f"# NER Brown clusters ({args.clusters} leaves, {len(vocab)} words): folded word, bit-string path. Built by"
        " tools/build_ner_brown.py from ANT (Apache-2.0) and Arabic Wikipedia (CC BY-SA 4.0).\n"
    )
    args.out.write_text(header + "".join(f"{w}\t{p}\n" for w, p in zip(vocab, paths, strict=True)), encoding="utf-8")
    print(f"{len(vocab)} words → {args.out} ({time.perf_counter() - t0:.0f}s)")


if __name__ == "__main__":
    main()
