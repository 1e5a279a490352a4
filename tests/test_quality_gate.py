"""The quality gate: pinned floors under the quality figures the README states, so that a change cannot lower one
without saying so (in the manner of trafilatura's evaluation gate). A floor sits a little under the figure measured
when it was pinned; raise it when a figure rises, and lower it only with the reason in the commit.

Figures pinned elsewhere, beside their own tests: NER dev F1 (``tests/analyze/test_ner.py``, DEV_F1_FLOOR), dates
on the held-out table (``tests/arabic/test_dates.py``, HELDOUT_FLOOR), romanization (``tests/arabic/test_translit.py``).
Read also and stories are measured on the whole ANT archive by ``bench/related.py`` and ``bench/stories.py`` (30k
articles, ~10 minutes to build); here on a sample archive that holds every article their judgments name and a seeded
random 1,300 others (5k articles, ingested with two jobs, ~3 minutes): the figures differ from the benches' (fewer
articles compete), so the floors are pinned on the sample. Search is gated by its own parity tests.
"""

from __future__ import annotations

import csv
import gzip
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

import akhbar
from akhbar.link.linker import Linker
from akhbar.link.related import served_related

BENCH = Path(__file__).resolve().parents[1] / "bench"

# (figure, floor, measured when pinned, 2026-12)
TAG_FLOORS = {"must_recall": (0.56, 0.592), "precision": (0.76, 0.792)}  # 0.521 / 0.759 before news names
DUPLICATE_FLOORS = {
    "twice_filed_recall": (1.0, 1.0),
    "silver_recall_jaccard_0.5": (0.99, 1.0),
    "silver_precision": (0.98, 0.992),
}


# On the sample archive (see the module's docstring; the full benches: nDCG@5 0.766, pairwise F1 0.853; with the
# news names found where the tagger misses them, 2026-12-07: 0.765, 0.841, the gate still passing unchanged; with
# passing names at half weight in stories: 0.765, 0.858).
# Re-measured 2026-12-07: the 886 pairs the old guide had graded 0 judged again under the current one (the code of
# the day before scored nDCG@5 0.662, shown precision 0.711 on the old labels, 0.722 / 0.773 on the new), read also
# counting shared tags, and the fill drawn from the whole corpus (fixture below). Stories re-pinned the same day when
# an article far from every story joins that of a close earlier read-also pick: the judged pairs' F1 0.836 -> 0.887
# here (0.844 -> 0.853 on the whole corpus); B-cubed on the hand-labelled stories lowered with that reason: 0.898 ->
# 0.868 on this 5k sample, 0.854 -> 0.855 on the whole corpus, where the benches measure.
RELATED_FLOORS = {"ndcg5": (0.72, 0.738), "shown_precision": (0.77, 0.786)}
RELATED_CEILINGS = {"same_event": (0.03, 0.021)}  # reports of the query's very event among what is listed
STORY_FLOORS = {"pairwise_f1": (0.87, 0.887), "bcubed_f1": (0.85, 0.868)}
SAMPLE_FILL = 1300  # random ANT articles beside the judged ones


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


@pytest.fixture(scope="module")
def linked_sample(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[akhbar.Archive]:
    """The sample archive: the ANT articles the read-also and story judgments name, and a seeded random fill, as
    ``akhbar ingest --jobs 2`` stores and links them (stories then rebuilt in publication order, as the benches and
    ``akhbar stories --rebuild`` do)."""
    related, stories = _bench("related"), _bench("stories")
    ant = _bench("antdb")
    named: set[str] = set()
    with open(related.JUDGMENTS, encoding="utf-8") as f:
        named.update(
            d for row in csv.DictReader(f, delimiter="\t") for d in (row["query_docno"], row["candidate_docno"])
        )
    with open(stories.PAIRS, encoding="utf-8") as f:
        named.update(d for row in csv.DictReader(f, delimiter="\t") for d in (row["docno_a"], row["docno_b"]))
    with open(stories.LABELS, encoding="utf-8") as f:
        named.update(row["docno"] for row in csv.DictReader(f, delimiter="\t"))
    with gzip.open(ant.ANT, "rt", encoding="utf-8") as f:
        lines = f.readlines()
    docnos = [json.loads(line)["docno"] for line in lines]
    # Drawn from the whole corpus, not from what the judgments leave out: judging more pairs adds their articles and
    # leaves the fill as it was (a fill drawn from the rest changed with every judged article, and the story figures
    # moved by up to 0.03 with it).
    fill = set(random.Random(17).sample(range(len(lines)), SAMPLE_FILL))
    folder = tmp_path_factory.mktemp("gate")
    sample = folder / "sample.jsonl"
    sample.write_text(
        "".join(line for i, line in enumerate(lines) if i in fill or docnos[i] in named),
        encoding="utf-8",
    )
    with akhbar.open(folder / "sample.db") as archive:
        archive.ingest([sample], jobs=2)
        Linker(archive.store).rebuild_stories()
        yield archive


def test_read_also_on_the_judged_pools(linked_sample: akhbar.Archive) -> None:
    """Read also as the archive serves it, on the 100 judged ANT pools (bench/related.py's figures)."""
    related = _bench("related")
    judged, _, same_event = related.read_judgments(_bench("antdb").docno_ids())
    store = linked_sample.store
    figures = related.figures(lambda q: [ref.id for ref in served_related(store, q, k=5)], judged, same_event)
    for name, (floor, measured) in RELATED_FLOORS.items():
        assert figures[name] >= floor, f"read also {name} {figures[name]:.3f} fell under {floor} ({measured})"
    for name, (ceiling, measured) in RELATED_CEILINGS.items():
        assert figures[name] <= ceiling, f"read also {name} {figures[name]:.3f} rose over {ceiling} ({measured})"


def test_stories_on_the_judged_pairs_and_the_labelled_slice(linked_sample: akhbar.Archive) -> None:
    """Story membership on the 490 judged ANT pairs and the 352 labelled articles (bench/stories.py's figures)."""
    stories = _bench("stories")
    labels, pairs = stories.read_labels(_bench("antdb").docno_ids())
    store = linked_sample.store
    _, _, pairwise_f1 = stories.pairwise(store, pairs)
    story = {a: store.story_of(a) for a in labels}
    _, _, bcubed_f1 = stories.bcubed([labels[a] for a in labels], [story[a] or -i for i, a in enumerate(labels)])
    figures = {"pairwise_f1": pairwise_f1, "bcubed_f1": bcubed_f1}
    for name, (floor, measured) in STORY_FLOORS.items():
        assert figures[name] >= floor, f"stories {name} {figures[name]:.3f} fell under {floor} ({measured})"
