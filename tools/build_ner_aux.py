"""Build ``models/ner_aux.crfsuite``: an auxiliary CRF trained on WikiFANE Gold, whose tags the NER tagger reads as
features (``FeatureConfig.auxiliary``): other text (encyclopedic), other conventions, so its tags are evidence the
main model weighs per type rather than training data mixed into ANERcorp's (mixed in, they lower F1; see
models/PROVENANCE.md).

Run: ``python tools/build_ner_aux.py [--shared ../shared] [--out FILE]`` (~3 min on one core).

Source: ``wikifane/wikifane-gold.anercorp-tags.conll.gz`` (WikiFANE Gold, Alotaibi & Lee 2014, CC BY-SA 3.0; its fine
types mapped to ANERcorp's four, see ``../shared/data/wikifane/SOURCE.md``). Features: the shipped feature set without
the auxiliary tags (``FeatureConfig()``), the same c1/c2.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from akhbar.analyze.ner import read_conll
from akhbar.analyze.ner_train import DEFAULT_C1, DEFAULT_C2, train_sentences

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "akhbar" / "models" / "ner_aux.crfsuite"
SOURCE = "wikifane/wikifane-gold.anercorp-tags.conll.gz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--iterations", type=int, default=150)
    args = parser.parse_args()
    t0 = time.perf_counter()
    sentences = read_conll(args.shared / "data" / SOURCE)
    train_sentences(sentences, args.out, c1=DEFAULT_C1, c2=DEFAULT_C2, max_iterations=args.iterations)
    print(f"{len(sentences)} sentences → {args.out} ({time.perf_counter() - t0:.0f}s)")


if __name__ == "__main__":
    main()
