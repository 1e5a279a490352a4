"""Training the NER CRF (python-crfsuite, L-BFGS with L1 + L2 regularization) on ANERcorp-style CoNLL data.

Dev protocol: the last ``dev_fraction`` of the sentences is the dev set, the rest is trained on; hyper-parameters and
feature groups were chosen on that dev set only (``python -m akhbar.analyze.ner_train tune --data FILE``).
"""

from __future__ import annotations

import argparse
import itertools
import random
import time
from collections.abc import Sequence
from pathlib import Path

import pycrfsuite

from akhbar.analyze.ner import (
    DOCUMENT_SENTENCES,
    ENTITY_TYPES,
    FeatureConfig,
    FeatureExtractor,
    NerTagger,
    Scores,
    Sentence,
    chunks,
    dev_size,
    evaluate_sentences,
    read_conll,
    stage2_path,
)

__all__ = [
    "DEFAULT_C1",
    "DEFAULT_C2",
    "DEFAULT_ITERATIONS",
    "Interval",
    "bootstrap",
    "read_conll",
    "split_dev",
    "train",
    "train_stacked",
]

# Chosen on the dev split (see models/PROVENANCE.md for the grid and scores).
DEFAULT_C1 = 0.02
DEFAULT_C2 = 0.03
DEFAULT_ITERATIONS = 200
# The two-stage model (train_stacked) is off: +0.6 CV F1 with ner_clusters2.txt, but ~26k tokens/s, below the 30k
# goal (models/PROVENANCE.md, NER).
DEFAULT_STACK = False


def split_dev(sentences: Sequence[Sentence], dev_fraction: float) -> tuple[list[Sentence], list[Sentence]]:
    """(train, dev): dev is the last ``dev_fraction`` of the sentences, in order."""
    cut = len(sentences) - dev_size(len(sentences), dev_fraction)
    return list(sentences[:cut]), list(sentences[cut:])


# ---------------------------------------------------------------------------------------------------------------------
# Bootstrap over sentences: 95% intervals of P/R/F1, and of the difference between two taggers on the same sentences
# ---------------------------------------------------------------------------------------------------------------------

KINDS = (*ENTITY_TYPES, "overall")
Interval = tuple[float, float]


def _sentence_counts(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> list[list[int]]:
    """Per sentence: (correct, predicted, gold) for each of KINDS, flattened."""
    out = []
    for g, p in zip(gold, predicted, strict=True):
        row = [0] * (3 * len(KINDS))
        gold_chunks = set(chunks(g))
        for kind, *_ in gold_chunks:
            i = 3 * ENTITY_TYPES.index(kind)
            row[i + 2] += 1
            row[-1] += 1
        for chunk in chunks(p):
            i = 3 * ENTITY_TYPES.index(chunk[0])
            row[i + 1] += 1
            row[-2] += 1
            if chunk in gold_chunks:
                row[i] += 1
                row[-3] += 1
        out.append(row)
    return out


def _prf(totals: Sequence[int], k: int) -> tuple[float, float, float]:
    c, p, g = totals[3 * k : 3 * k + 3]
    pr = c / p if p else 0.0
    rc = c / g if g else 0.0
    return pr, rc, 2 * pr * rc / (pr + rc) if pr + rc else 0.0


def bootstrap(
    gold: Sequence[Sequence[str]],
    predicted: Sequence[Sequence[str]],
    *,
    baseline: Sequence[Sequence[str]] | None = None,
    resamples: int = 1000,
    seed: int = 13,
) -> dict[str, dict[str, Interval]]:
    """95% percentile intervals by resampling sentences with replacement: ``{kind: {"P"|"R"|"F1": (lo, hi)}}`` for
    each entity type and ``overall``; with ``baseline`` (another tagger's tags of the same sentences) also
    ``"dF1"``: the paired interval of F1(predicted) − F1(baseline), the same resamples for both."""
    rows = _sentence_counts(gold, predicted)
    base_rows = _sentence_counts(gold, baseline) if baseline is not None else None
    rng = random.Random(seed)
    n = len(rows)
    samples: dict[str, dict[str, list[float]]] = {k: {"P": [], "R": [], "F1": [], "dF1": []} for k in KINDS}
    width = len(rows[0]) if rows else 0
    for _ in range(resamples):
        picks = [rng.randrange(n) for _ in range(n)]
        totals = [0] * width
        base_totals = [0] * width
        for i in picks:
            row = rows[i]
            for j in range(width):
                totals[j] += row[j]
            if base_rows is not None:
                brow = base_rows[i]
                for j in range(width):
                    base_totals[j] += brow[j]
        for k, kind in enumerate(KINDS):
            p, r, f = _prf(totals, k)
            samples[kind]["P"].append(p)
            samples[kind]["R"].append(r)
            samples[kind]["F1"].append(f)
            if base_rows is not None:
                samples[kind]["dF1"].append(f - _prf(base_totals, k)[2])

    def interval(values: list[float]) -> Interval:
        values = sorted(values)
        return values[int(0.025 * len(values))], values[min(len(values) - 1, int(0.975 * len(values)))]

    return {kind: {m: interval(v) for m, v in ms.items() if v} for kind, ms in samples.items()}


def train_sentences(
    sentences: Sequence[Sentence],
    out_path: Path | str,
    *,
    c1: float = DEFAULT_C1,
    c2: float = DEFAULT_C2,
    max_iterations: int = DEFAULT_ITERATIONS,
    config: FeatureConfig | None = None,
) -> None:
    """Train a model on ``sentences`` and write it to ``out_path``."""
    features = FeatureExtractor(config)
    trainer = pycrfsuite.Trainer(verbose=False)
    for tokens, tags in sentences:
        trainer.append(features.sentence(tokens), tags)
    trainer.set_params(
        {
            "c1": c1,
            "c2": c2,
            "max_iterations": max_iterations,
            # Transitions never seen in training (O → I-PERS) stay at weight 0 rather than being learned negative:
            # fewer parameters, and chunks() reads a stray I- as a chunk start anyway.
            "feature.possible_transitions": False,
        }
    )
    Path(out_path).parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out_path))


def train_stacked(
    sentences: Sequence[Sentence],
    out_path: Path | str,
    *,
    c1: float = DEFAULT_C1,
    c2: float = DEFAULT_C2,
    max_iterations: int = DEFAULT_ITERATIONS,
    config: FeatureConfig | None = None,
    folds: int = 4,
    document_sentences: int = DOCUMENT_SENTENCES,
) -> None:
    """A two-stage (stacked) model: stage 1 (``out_path``) as :func:`train_sentences`; stage 2
    (:func:`~akhbar.analyze.ner.stage2_path`) on stage 1's features plus
    :meth:`~akhbar.analyze.ner.FeatureExtractor.document_features` of the stage-1 tags of the training sentences,
    jackknifed: each of ``folds`` contiguous blocks tagged by a stage 1 trained on the other blocks, so that stage 2
    learns from tags as wrong as they are on unseen text. Documents: runs of ``document_sentences`` sentences."""
    out_path = Path(out_path)
    n = len(sentences)
    # Block edges on document edges, so that no document is tagged by two models.
    docs = -(-n // document_sentences)
    cuts = [min(n, round(i * docs / folds) * document_sentences) for i in range(folds + 1)]
    tags: list[list[str]] = []
    confidence: list[list[float]] = []
    marginals = (config or FeatureConfig()).marginals
    for k in range(folds):
        block = sentences[cuts[k] : cuts[k + 1]]
        held = out_path.with_name(f"{out_path.stem}.jack{k}{out_path.suffix}")
        train_sentences(
            list(sentences[: cuts[k]]) + list(sentences[cuts[k + 1] :]),
            held,
            c1=c1,
            c2=c2,
            max_iterations=max_iterations,
            config=config,
        )
        tagger = NerTagger(held, config)
        features, block_tags = tagger.stage1([tokens for tokens, _ in block])
        tags += block_tags
        if marginals:
            confidence += tagger._confidence(features, block_tags)
        held.unlink()
    train_sentences(sentences, out_path, c1=c1, c2=c2, max_iterations=max_iterations, config=config)
    extractor = FeatureExtractor(config)
    trainer = pycrfsuite.Trainer(verbose=False)
    for start in range(0, n, document_sentences):
        doc = sentences[start : start + document_sentences]
        extra = extractor.document_features(
            [tokens for tokens, _ in doc],
            tags[start : start + document_sentences],
            confidence[start : start + document_sentences] if marginals else None,
        )
        for (tokens, gold), more in zip(doc, extra, strict=True):
            trainer.append(extractor.stage2(tokens, extractor.sentence(tokens), more), gold)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": max_iterations, "feature.possible_transitions": False})
    trainer.train(str(stage2_path(out_path)))


def train(
    conll_path: Path | str,
    out_path: Path | str,
    *,
    dev_fraction: float = 0.1,
    c1: float = DEFAULT_C1,
    c2: float = DEFAULT_C2,
    max_iterations: int = DEFAULT_ITERATIONS,
    config: FeatureConfig | None = None,
    stack: bool = DEFAULT_STACK,
) -> Scores | None:
    """Train on all but the last ``dev_fraction`` of the sentences of ``conll_path`` (``stack``: the two-stage model,
    stage 2 written beside ``out_path``, see :func:`train_stacked`); return the dev scores as ``entities()`` tags
    (runs of sentences as documents; None when ``dev_fraction`` is 0, i.e. training on everything)."""
    train_part, dev_part = split_dev(read_conll(conll_path), dev_fraction)
    second = stage2_path(out_path)
    if second.is_file():  # a stale stage 2 would be read beside the new stage 1
        second.unlink()
    if stack:
        train_stacked(train_part, out_path, c1=c1, c2=c2, max_iterations=max_iterations, config=config)
    else:
        train_sentences(train_part, out_path, c1=c1, c2=c2, max_iterations=max_iterations, config=config)
    if not dev_part:
        return None
    return evaluate_sentences(NerTagger(out_path, config), dev_part)


def _tune(data: Path, out_dir: Path, dev_fraction: float, c1s: list[float], c2s: list[float], ablate: bool) -> None:
    """The c1/c2 grid with all features, then the feature ablation at the best c1/c2; prints a table row each."""
    out_dir.mkdir(parents=True, exist_ok=True)

    def run(name: str, c1: float, c2: float, config: FeatureConfig) -> float:
        t0 = time.perf_counter()
        path = out_dir / f"{name}.crfsuite"
        scores = train(data, path, dev_fraction=dev_fraction, c1=c1, c2=c2, config=config)
        assert scores is not None
        o = scores.overall
        size = path.stat().st_size / 1e6
        print(
            f"| {name} | {c1} | {c2} | {o.precision:.4f} | {o.recall:.4f} | {o.f1:.4f} | {size:.1f} MB "
            f"| {scores.tokens_per_s:.0f} | {time.perf_counter() - t0:.0f}s |",
            flush=True,
        )
        return o.f1

    print("| run | c1 | c2 | P | R | F1 | model | tok/s | time |\n|---|---|---|---|---|---|---|---|---|")
    full = FeatureConfig()
    grid = {(c1, c2): run(f"grid-{c1}-{c2}", c1, c2, full) for c1, c2 in itertools.product(c1s, c2s)}
    c1, c2 = max(grid, key=lambda k: grid[k])
    if not ablate:
        return
    for name, config in (
        ("no-clusters", FeatureConfig(clusters=False)),
        ("no-gazetteer", FeatureConfig(gazetteer=False)),
        ("no-triggers", FeatureConfig(triggers=False)),
        ("no-clusters-no-gazetteer", FeatureConfig(clusters=False, gazetteer=False)),
        ("window-1", FeatureConfig(window=1)),
    ):
        run(name, c1, c2, config)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=("train", "tune"))
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=Path("ner.crfsuite"))
    parser.add_argument("--dev-fraction", type=float, default=0.1)
    parser.add_argument("--c1", type=float, default=DEFAULT_C1)
    parser.add_argument("--c2", type=float, default=DEFAULT_C2)
    parser.add_argument("--max-iterations", type=int, default=DEFAULT_ITERATIONS)
    parser.add_argument("--grid-c1", type=float, nargs="+", default=[0.02, 0.1, 0.3], help="tune: c1 values")
    parser.add_argument("--grid-c2", type=float, nargs="+", default=[0.01, 0.1], help="tune: c2 values")
    parser.add_argument("--no-ablation", action="store_true", help="tune: the grid only")
    args = parser.parse_args()
    if args.command == "tune":
        _tune(args.data, args.out, args.dev_fraction, args.grid_c1, args.grid_c2, not args.no_ablation)
        return
    scores = train(
        args.data, args.out, dev_fraction=args.dev_fraction, c1=args.c1, c2=args.c2, max_iterations=args.max_iterations
    )
    if scores:
        print("\n".join(scores.lines()))


if __name__ == "__main__":
    main()
