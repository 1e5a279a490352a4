"""``akhbar ner``: train, run and score the CRF named-entity tagger (:mod:`akhbar.analyze.ner`).

Wired into the main CLI as a sub-app: ``app.add_typer(ner_app, name="ner")``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from akhbar.serve.cli_help import PlainHelpTyper

ner_app = PlainHelpTyper(help="Named entities: train, tag and evaluate the CRF tagger.", no_args_is_help=True)


@ner_app.command("train")
def train_cmd(
    data: Annotated[Path, typer.Option("--data", help="CoNLL file (token TAG per line, blank between sentences).")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the .crfsuite model.")],
    dev_fraction: Annotated[
        float, typer.Option("--dev-fraction", help="Last fraction of sentences held out and scored (0: train on all).")
    ] = 0.1,
) -> None:
    """Train a model with the shipped hyper-parameters and print dev scores."""
    from akhbar.analyze.ner_train import train  # imported here: typer start-up stays fast for the other commands

    scores = train(data, out, dev_fraction=dev_fraction)
    if scores is not None:
        typer.echo("\n".join(scores.lines()))
    typer.echo(f"model → {out}", err=True)


@ner_app.command("tag")
def tag_cmd(
    model: Annotated[Path | None, typer.Option("--model", help="A .crfsuite model (default: the shipped one).")] = None,
) -> None:
    """Read text on stdin; print one JSON object per entity: type, text, start, end (character offsets), key."""
    from akhbar.analyze.ner import NerTagger

    tagger = NerTagger(model) if model else NerTagger.default()
    for entity in tagger.entities(sys.stdin.read()):
        record = {"type": entity.type, "text": entity.text, "start": entity.start, "end": entity.end, "key": entity.key}
        typer.echo(json.dumps(record, ensure_ascii=False))


@ner_app.command("eval")
def eval_cmd(
    file: Annotated[Path, typer.Argument(help="CoNLL file to score.", exists=True, dir_okay=False)],
    model: Annotated[Path | None, typer.Option("--model", help="A .crfsuite model (default: the shipped one).")] = None,
    last_fraction: Annotated[
        float | None, typer.Option("--last-fraction", help="Score only the last fraction of sentences (dev: 0.1).")
    ] = None,
) -> None:
    """Score the tagger on a CoNLL file; the last line is: overall precision=… recall=… f1=… tokens_per_s=N."""
    from akhbar.analyze.ner import NerTagger, evaluate

    tagger = NerTagger(model) if model else NerTagger.default()
    typer.echo("\n".join(evaluate(file, tagger=tagger, last_fraction=last_fraction).lines()))
