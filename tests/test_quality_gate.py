"""The quality gate: pinned floors under the quality figures the README states, so that a change cannot lower one
without saying so (in the manner of trafilatura's evaluation gate). A floor sits a little under the figure measured
when it was pinned; raise it when a figure rises, and lower it only with the reason in the commit.

Figures pinned elsewhere, beside their own tests: NER dev F1 (``tests/analyze/test_ner.py``, DEV_F1_FLOOR), dates
on the held-out table (``tests/arabic/test_dates.py``, HELDOUT_FLOOR), romanization (``tests/arabic/test_translit.py``).
Read also, stories and search are measured on the whole ANT archive (``bench/related.py``, ``bench/stories.py``,
``bench/search.py``: an archive of 30k articles built once, ~10 minutes), too long for every test run.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parents[1] / "bench"

# (figure, floor, measured when pinned, 2026-12)
TAG_FLOORS = {"must_recall": (0.50, 0.511), "precision": (0.72, 0.736)}
DUPLICATE_FLOORS = {
    "twice_filed_recall": (1.0, 1.0),
    "silver_recall_jaccard_0.5": (0.99, 1.0),
    "silver_precision": (0.98, 0.992),
}


def _bench(name: str) -> ModuleType:
    sys.path.insert(0, str(BENCH))
    try:
        return __import__(name)
    finally:
        sys.path.remove(str(BENCH))


def test_tags_on_the_editor_tags_judged_blind(shared_data: Path) -> None:
    """Served tags (the production path: ingest, then what the archive serves) on the 125 judged ANT articles."""
    tags = _bench("tags")
    judged, stored, served, _ = tags.served_judged_tags()
    docnos = [d for d in judged if d in stored]
    must_recall, precision, _, _ = tags.judged_figures([served[d] for d in docnos], [judged[d] for d in docnos])
    figures = {"must_recall": must_recall, "precision": precision}
    for name, (floor, measured) in TAG_FLOORS.items():
        assert figures[name] >= floor, f"tags {name} {figures[name]:.3f} fell under its floor {floor} ({measured})"


def test_near_duplicates_on_ant(shared_data: Path) -> None:
    """Near-duplicate linking over all 31k ANT articles: the URLs filed twice, silver pairs, precision."""
    figures = _bench("duplicates").figures()
    for name, (floor, measured) in DUPLICATE_FLOORS.items():
        assert figures[name] >= floor, f"duplicates {name} {figures[name]:.3f} fell under {floor} ({measured})"
