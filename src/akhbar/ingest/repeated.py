"""Text a site repeats across its pages: its furniture, found by reading a corpus dump whole.

A scraper keeps a page's widgets with its text. Read one page at a time, a widget's items look like paragraphs;
read across the dump they give themselves away: the same text recurs, word for word, on pages that have nothing
else in common. Two kinds are cut from an article's body:

* **site-wide lines**: a paragraph found on at least ``SITE_LINE_SHARE`` of an outlet's articles (and on
  ``SITE_LINE_MIN`` of them): BBC Arabic's app notice (on 830 of its 3,799 ANT articles), AlArabiya's opinion
  disclaimer (458 of 6,510), separator rules;
* **a teaser run**: the article's last paragraphs (two or more), each also found on at least two other articles of
  the outlet, where fewer than half the pages that hold any one of them hold them all. That is a "more news"
  widget: its items slide along the site's latest reports, so each item is shared with another set of pages.
  CNN Arabic's pages in ANT v2.1 end with five such items; the rule cuts them from 757 of its 3,303 articles. A
  story's background, repeated from one update to the next, is kept: the updates that share one of those
  paragraphs share them all. Over the whole corpus the rule's cost is 3 reports (Sky News Arabia 2, France 24 1,
  stored twice) that lost the background paragraphs their story's updates shared in turns; "no page holds them
  all" instead cut 737 of CNN's pages; "not every item held by the same pages" 778 of CNN's, but 32 of the others'.

An article's duplicates (the same title, or the same first paragraph) are not "other articles". The first paragraph
is never cut, and neither is a paragraph shorter than ``MIN_CHARS`` letters (a heading, a ``شاهد..`` line) unless
it lies inside or after a teaser run. Memory: about 150 bytes per paragraph of the dump.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from akhbar.arabic.normalize import dedup_text

MIN_CHARS = 40  # shorter paragraphs (in the dedup layer) are not compared: short lines recur by chance
SITE_LINE_SHARE = 0.01
SITE_LINE_MIN = 20
TEASER_HOLDERS = 2  # other articles a teaser item must be found on
TEASER_RUN = 2  # items a widget shows at least


@dataclass(frozen=True, slots=True)
class Page:
    """What the survey needs of one article of the dump."""

    outlet: str
    title: str
    paragraphs: Sequence[str]


def _digest(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")


def paragraph_key(text: str) -> int | None:
    """The paragraph's identity across pages (its dedup layer: spelling and punctuation apart); None when it is too
    short to tell."""
    folded = dedup_text(text)
    return _digest(folded) if len(folded) >= MIN_CHARS else None


class RepeatedText:
    """The survey of a dump's pages, then, per page, the positions of its paragraphs that are site furniture."""

    def __init__(self, pages: Iterable[tuple[int, Page]]) -> None:
        """``pages``: ``(page number, page)``, every page of the dump once."""
        self._outlet: dict[int, str] = {}
        self._keys: dict[int, list[int | None]] = {}
        self._twins: dict[int, tuple[int, int | None]] = {}  # page → (title key, first paragraph key)
        self._holders: dict[tuple[str, int], list[int]] = {}
        self._outlet_pages: Counter[str] = Counter()
        for number, page in pages:
            keys = [paragraph_key(text) for text in page.paragraphs]
            self._outlet[number] = page.outlet
            self._keys[number] = keys
            self._twins[number] = (_digest(dedup_text(page.title)), keys[0] if keys else None)
            self._outlet_pages[page.outlet] += 1
            for key in {k for k in keys if k is not None}:
                self._holders.setdefault((page.outlet, key), []).append(number)
        # Only what recurs matters; the rest is dropped to keep the survey small.
        self._holders = {k: v for k, v in self._holders.items() if len(v) > TEASER_HOLDERS}

    def furniture(self, number: int) -> set[int]:
        """Positions (0-based) of the page's paragraphs to cut: site-wide lines and a trailing teaser run."""
        keys = self._keys.get(number)
        if not keys:
            return set()
        outlet = self._outlet[number]
        cut = {i for i, key in enumerate(keys) if i and key is not None and self._site_wide(outlet, key)}
        run_start, shared = None, []
        for i in range(len(keys) - 1, 0, -1):
            key = keys[i]
            if i in cut or key is None:
                continue
            others = self._others(number, outlet, key)
            if len(others) < TEASER_HOLDERS:
                break
            run_start = i
            shared.append(others)
        if run_start is not None and len(shared) >= TEASER_RUN and _sliding(shared):
            cut.update(range(run_start, len(keys)))
        return cut

    def _site_wide(self, outlet: str, key: int) -> bool:
        holders = len(self._holders.get((outlet, key), ()))
        return holders >= max(SITE_LINE_MIN, SITE_LINE_SHARE * self._outlet_pages[outlet])

    def _others(self, number: int, outlet: str, key: int) -> set[int]:
        """The other articles of the outlet that hold this paragraph, the page's duplicates apart."""
        title, first = self._twins[number]
        return {
            other
            for other in self._holders.get((outlet, key), ())
            if other != number and self._twins[other][0] != title and (first is None or self._keys[other][0] != first)
        }


def _sliding(holders: list[set[int]]) -> bool:
    """The items of a run are held by sliding sets of pages (a widget), not by one set (a story's updates)."""
    return len(set.intersection(*holders)) < 0.5 * min(len(h) for h in holders)
