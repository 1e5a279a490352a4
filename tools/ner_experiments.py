"""NER experiments on the dev split (the last 10% of ANERcorp train): train a variant on the first 90%, score it on
dev with bootstrap 95% intervals and a paired interval against a reference run, and print one table row.

Run: ``python tools/ner_experiments.py RUN... [--ref baseline] [--dir /tmp/ner_exp]`` — one run at a time, one core.
Each run leaves ``DIR/RUN.crfsuite`` and ``DIR/RUN.pred.json`` (its dev tags, for later paired comparisons). The runs
and what they found are listed in ``src/akhbar/models/PROVENANCE.md`` (NER section).

3-fold cross-validation over the training part (what decides what is kept; dev is never read):
``python tools/ner_experiments.py --cv RUN...`` tags each contiguous third of the first 90% with a model trained on the
other two thirds and leaves ``DIR/cv_RUN.json`` (sentence and document tags); ``--compare REF RUN...`` prints CV F1
per run and the paired bootstrap interval of each run's difference from ``REF`` (resamples of the training sentences).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from akhbar.analyze.ner import (
    DOCUMENT_SENTENCES,
    FeatureConfig,
    NerTagger,
    Sentence,
    evaluate_sentences,
    read_conll,
    score,
)
from akhbar.analyze.ner_train import (
    DEFAULT_C1,
    DEFAULT_C2,
    KINDS,
    bootstrap,
    split_dev,
    train_sentences,
    train_stacked,
)

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("AKHBAR_SHARED", REPO.parent / "shared")) / "data"


@dataclass(frozen=True)
class Run:
    config: FeatureConfig = field(default_factory=FeatureConfig)
    c1: float = DEFAULT_C1
    c2: float = DEFAULT_C2
    iterations: int = 200
    silver: str = ""  # a CoNLL file of extra (silver) training sentences
    silver_limit: int = 0  # its first N sentences (0: all)
    stack: bool = False  # two-stage CRF: stage 2 reads stage 1's tags of the whole document
    stack_folds: int = 4  # jackknife folds of stage 1's training tags


def parse_run(spec: str) -> Run:
    """``flag+flag@key=value@...``: FeatureConfig flags switched on (``base``: none), then Run or FeatureConfig
    settings, e.g. ``strip+lexicon@c1=0.05@window=2`` or ``brown@silver=build/ner_silver.conll@silver_limit=3000``."""
    head, *settings = spec.split("@")
    config: dict[str, object] = {flag: True for flag in head.split("+") if flag and flag != "base"}
    run: dict[str, object] = {}
    for item in settings:
        key, _, value = item.partition("=")
        if key in ("c1", "c2"):
            run[key] = float(value)
        elif key in ("iterations", "silver_limit", "stack_folds"):
            run[key] = int(value)
        elif key == "stack":
            run[key] = value.lower() in ("1", "true", "yes")
        elif key == "silver":
            run[key] = value
        elif key in ("window", "heads"):
            config[key] = int(value)
        elif key == "brown_prefixes":
            config[key] = tuple(int(v) for v in value.split(","))
        else:
            config[key] = value.lower() in ("1", "true", "yes")
    return Run(FeatureConfig(**config), **run)  # type: ignore[arg-type]


CV_FOLDS = 3


def run_name(label: str, spec: str) -> str:
    return label + spec.replace("/", "_").replace("@", "_").replace("=", "-")


def cross_validate(train: list[Sentence], run: Run, out: Path) -> None:
    """Tags of each contiguous third of ``train`` by a model trained on the rest: ``{"sent": [...], "doc": [...]}``."""
    n = len(train)
    cuts = [round(i * n / CV_FOLDS) for i in range(CV_FOLDS + 1)]
    sent: list[list[str]] = []
    doc: list[list[str]] = []
    bare: list[list[str]] = []  # documents without the consistency step
    extra = read_conll(run.silver)[: run.silver_limit or None] if run.silver else []
    for k in range(CV_FOLDS):
        fold = train[cuts[k] : cuts[k + 1]]
        rest = train[: cuts[k]] + train[cuts[k + 1] :]
        model = out.with_name(f"{out.stem}_{k}.crfsuite")
        tagger = fit(rest + extra, model, run)
        sent += [tagger.tag_tokens(tokens) for tokens, _ in fold]
        doc += tagger.tag_document_runs([tokens for tokens, _ in fold], DOCUMENT_SENTENCES)
        bare += tagger.tag_document_runs([tokens for tokens, _ in fold], DOCUMENT_SENTENCES, consistency=False)
    out.write_text(json.dumps({"sent": sent, "doc": doc, "docnp": bare}))


def fit(sentences: list[Sentence], model: Path, run: Run) -> NerTagger:
    """Train ``run`` on ``sentences`` (stacked: stage 1 and the jackknifed stage 2) and return its tagger."""
    if run.stack:
        train_stacked(
            sentences,
            model,
            c1=run.c1,
            c2=run.c2,
            max_iterations=run.iterations,
            config=run.config,
            folds=run.stack_folds,
        )
        return NerTagger(model, run.config)
    train_sentences(sentences, model, c1=run.c1, c2=run.c2, max_iterations=run.iterations, config=run.config)
    return NerTagger(model, run.config)


def compare(train: list[Sentence], directory: Path, names: list[str], resamples: int) -> None:
    gold = [tags for _, tags in train]
    runs = {name: json.loads((directory / f"cv_{name}.json").read_text()) for name in names}
    ref = names[0]
    print("| run | CV F1 sent | CV F1 doc | paired Δ sent [95% CI] | paired Δ doc [95% CI] | doc per type |")
    print("|---|---|---|---|---|---|")
    for name in names:
        cells = []
        for mode in ("sent", "doc"):
            cells.append(f"{score(gold, runs[name][mode]).overall.f1:.4f}")
        for mode in ("sent", "doc"):
            if name == ref:
                cells.append("(ref)")
                continue
            d = score(gold, runs[name][mode]).overall.f1 - score(gold, runs[ref][mode]).overall.f1
            ci = bootstrap(gold, runs[name][mode], baseline=runs[ref][mode], resamples=resamples)["overall"]["dF1"]
            cells.append(f"{100 * d:+.2f} [{100 * ci[0]:+.2f}, {100 * ci[1]:+.2f}]")
        per_type = " ".join(f"{k[0]}={v.f1:.3f}" for k, v in sorted(score(gold, runs[name]["doc"]).per_type.items()))
        if "docnp" in runs[name]:
            per_type += f" (doc without consistency {score(gold, runs[name]['docnp']).overall.f1:.4f})"
        print(f"| {name} | {' | '.join(cells)} | {per_type} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("runs", nargs="+", help="run specs: see parse_run")
    parser.add_argument("--ref", default="baseline", help="run whose dev tags the paired interval compares against")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/ner_exp"))
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--label", default="", help="prefix of the run names (e.g. the resource set tried)")
    parser.add_argument("--cv", action="store_true", help="3-fold CV over the training part instead of dev")
    parser.add_argument("--compare", action="store_true", help="compare CV runs by name: the first is the reference")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    train, dev = split_dev(read_conll(SHARED / "anercorp/train.txt"), 0.1)
    if args.compare:
        compare(train, args.dir, args.runs, args.resamples)
        return
    if args.cv:
        for spec in args.runs:
            t0 = time.perf_counter()
            name = run_name(args.label, spec)
            cross_validate(train, parse_run(spec), args.dir / f"cv_{name}.json")
            print(f"cv {name}: {time.perf_counter() - t0:.0f}s", flush=True)
        return
    gold = [tags for _, tags in dev]
    ref_path = args.dir / f"{args.ref}.pred.json"
    ref = json.loads(ref_path.read_text()) if ref_path.is_file() else None
    for spec in args.runs:
        run = parse_run(spec)
        name = run_name(args.label, spec)
        t0 = time.perf_counter()
        model = args.dir / f"{name}.crfsuite"
        extra = read_conll(run.silver) if run.silver else []
        if run.silver_limit:
            extra = extra[: run.silver_limit]
        tagger = fit(train + extra, model, run)
        speed = evaluate_sentences(tagger, dev, document_sentences=None)  # cold cache: the tokens/s figure
        cells = []
        for suffix, predicted in (
            ("", [tagger.tag_tokens(tokens) for tokens, _ in dev]),
            (".doc", tagger.tag_document_runs([tokens for tokens, _ in dev], DOCUMENT_SENTENCES)),
        ):
            (args.dir / f"{name}{suffix}.pred.json").write_text(json.dumps(predicted))
            s = score(gold, predicted)
            ci = bootstrap(gold, predicted, baseline=ref, resamples=args.resamples)
            o = s.overall
            lo, hi = ci["overall"]["F1"]
            cell = f"{o.precision:.3f} / {o.recall:.3f} / **{o.f1:.3f}** [{lo:.3f}, {hi:.3f}]"
            if ref is not None:
                dlo, dhi = ci["overall"]["dF1"]
                d = o.f1 - score(gold, ref).overall.f1
                cell += f" {100 * d:+.1f} [{100 * dlo:+.1f}, {100 * dhi:+.1f}]"
            cells.append(cell)
        per_type = " ".join(f"{k[0]}={s.per_type[k].f1:.3f}" for k in KINDS[:-1] if k in s.per_type)
        print(
            f"| {name} | {cells[0]} | {cells[1]} | {per_type} | {speed.tokens_per_s:,.0f} "
            f"| {model.stat().st_size / 1e6:.1f} MB | {time.perf_counter() - t0:.0f}s |",
            flush=True,
        )


if __name__ == "__main__":
    main()
