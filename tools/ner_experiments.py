"""NER experiments on the dev split (the last 10% of ANERcorp train): train a variant on the first 90%, score it on
dev with bootstrap 95% intervals and a paired interval against a reference run, and print one table row.

Run: ``python tools/ner_experiments.py RUN... [--ref baseline] [--dir /tmp/ner_exp]`` — one run at a time, one core.
Each run leaves ``DIR/RUN.crfsuite`` and ``DIR/RUN.pred.json`` (its dev tags, for later paired comparisons). The runs
and what they found are listed in ``src/akhbar/models/PROVENANCE.md`` (NER section).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from akhbar.analyze.ner import DOCUMENT_SENTENCES, FeatureConfig, NerTagger, evaluate_sentences, read_conll, score
from akhbar.analyze.ner_train import DEFAULT_C1, DEFAULT_C2, KINDS, bootstrap, split_dev, train_sentences

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
        elif key in ("iterations", "silver_limit"):
            run[key] = int(value)
        elif key == "silver":
            run[key] = value
        elif key == "window":
            config[key] = int(value)
        elif key == "brown_prefixes":
            config[key] = tuple(int(v) for v in value.split(","))
        else:
            config[key] = value.lower() in ("1", "true", "yes")
    return Run(FeatureConfig(**config), **run)  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("runs", nargs="+", help="run specs: see parse_run")
    parser.add_argument("--ref", default="baseline", help="run whose dev tags the paired interval compares against")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/ner_exp"))
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--label", default="", help="prefix of the run names (e.g. the resource set tried)")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    train, dev = split_dev(read_conll(SHARED / "anercorp/train.txt"), 0.1)
    gold = [tags for _, tags in dev]
    ref_path = args.dir / f"{args.ref}.pred.json"
    ref = json.loads(ref_path.read_text()) if ref_path.is_file() else None
    for spec in args.runs:
        run = parse_run(spec)
        name = args.label + spec.replace("/", "_").replace("@", "_").replace("=", "-")
        t0 = time.perf_counter()
        model = args.dir / f"{name}.crfsuite"
        extra = read_conll(run.silver) if run.silver else []
        if run.silver_limit:
            extra = extra[: run.silver_limit]
        train_sentences(
            train + extra,
            model,
            c1=run.c1,
            c2=run.c2,
            max_iterations=run.iterations,
            config=run.config,
        )
        tagger = NerTagger(model, run.config)
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
