"""Stories: articles about one developing event, across outlets and days, clustered online as articles arrive.

In the spirit of Miranda et al. (2018, "Multilingual Clustering of Streaming News"): each story keeps a profile - the
mean tf-idf vector of its articles' search-layer terms (top ``max_terms`` kept) and the mean vector of their
canonical entities (every spelling one entity; a name an article only passes by, none of its tags, at half weight)
- and its time span. A new article is compared with the stories it could belong to, found through the indexes
rather than by a scan: the stories of the articles whose titles share its top terms and the stories that mention its
rarer entities within ``window_days``. Its similarity to a story is

    (lexical_weight · cos(terms) + entity_weight · cos(entities)) · exp(-days outside the story's span / time_scale)

and it joins the best story when that reaches ``threshold``, else it starts a new one. One pass, no rebuild: the
cost per article is a few indexed queries. Articles arriving out of time order (a backfill) are placed by the same
rule; ``rebuild`` re-runs the pass over the whole archive in publication order when the order mattered.

An article that no story reaches the threshold for, but that reports the very event of articles already placed
(:func:`akhbar.link.related.same_event_reports`: within 12 hours, nearly as close in words as the closest), joins
their story: another outlet's wording can sit far from a story's mean and still be its event. Failing that, it joins
the story of a close earlier read-also pick (:func:`akhbar.link.related.close_earlier`): another development of a
long story, far from its mean, near one of its articles.

Settings measured on 352 hand-labelled ANT articles in 33 stories and 490 ANT pairs judged blind as same event /
same story / related / unrelated (``bench/stories.py``, the whole corpus clustered): "one story" for the pairs judged
same event or same story: precision 0.836, recall 0.881, F1 0.858 (0.821 before the same-event rule, 0.841 with the
news names found and passing names at whole weight); ARI 0.744, B-cubed F1 0.853, purity 0.838 on the labelled
stories.
"""

from __future__ import annotations

import heapq
import math
import sys
from array import array
from collections import Counter, OrderedDict
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from operator import itemgetter
from typing import TypeVar

from akhbar.analyze.weights import term_weights
from akhbar.link.moments import days_between, moment
from akhbar.store.base import ArticleRef, LinkIndex, StoryIndex, StoryProfile

K = TypeVar("K", str, int)  # a vector's keys: terms or entity ids


@dataclass(frozen=True, slots=True)
class StoryConfig:
    # Measured on the labelled ANT slice (bench/stories.py, ARI / B-cubed F1): θ 0.3 → 0.51 / 0.58 (stories split),
    # 0.25 → 0.68 / 0.75, 0.2 → 0.69 / 0.80, 0.15 → 0.73 / 0.83, 0.12 → 0.74 / 0.84, 0.1 → 0.75 / 0.85, 0.08 →
    # 0.70 / 0.82 (with up to 200 entity-found candidates; see the module docstring). With an article's same-event
    # reports deciding where no story is close enough (see :func:`place`), ARI / B-cubed F1 / pairwise F1 on the
    # 490 judged event pairs: θ 0.1 → 0.725 / 0.834 / 0.833, 0.09 → 0.747 / 0.859 / 0.847, 0.08 → 0.741 / 0.849 /
    # 0.844 (time scale 4.5: 0.840); without them θ 0.1 → 0.728 / 0.836 / 0.821, 0.08 → 0.736 / 0.846 / 0.841.
    threshold: float = 0.09
    lexical_weight: float = 0.6
    entity_weight: float = 0.4
    time_scale_days: float = 3.0  # decay of similarity with the days between the article and the story's span
    window_days: int = 14  # stories whose span is further away than this are not candidates
    # An article without a date (an embedded "read also", a page whose date was not found), or a story of undated
    # articles only, cannot be placed in time, so time does not keep it from a story of another month: it joins only
    # on content about three times as close as a dated article needs (the labelled slice at θ 0.3 splits stories
    # rather than merging them: B-cubed F1 0.58, above).
    undated_threshold: float = 0.3
    neighbours: int = 15  # lexical neighbours whose stories are candidates
    article_terms: int = 60  # terms kept in an article's vector
    max_terms: int = 150  # terms kept in a story's profile
    query_terms: int = 10  # an article's top terms looked up in the titles of others (4× cheaper than bodies)
    # An article no story is close enough to as a whole joins the story of a read-also pick published up to
    # neighbour_days before it whose re-ranking score (akhbar.link.related) reaches neighbour_likeness: a development
    # days later in other words sits far from a long story's mean but close to one of its articles. On the whole ANT
    # corpus (490 judged pairs, halves by docno crc32): pairwise F1 0.844 (halves 0.860 / 0.827) without; likeness
    # 1.0 / 1.2 / 1.3 / 1.4 / 1.6 within 14 days: 0.838 / 0.851 (0.866 / 0.836) / 0.851 / 0.849 / 0.843; 0.8 within
    # 7 days 0.843. Shipped (1.2, 14; the three best of the stored read-also list), as `bench/stories.py` runs it:
    # pairwise F1 0.853 (P 0.829, R 0.877; halves 0.867 / 0.838), ARI 0.742 -> 0.747, B-cubed 0.854 -> 0.855.
    neighbour_likeness: float = 1.2
    neighbour_days: float = 14.0
    # In an article's entity vector, a name it only passes by (none of its tags: see akhbar.analyze.tags) weighs this
    # share of a central one. Once the news names were found where the tagger misses them (akhbar.analyze.known_names:
    # داعش in 1,009 articles, not 321), whole weight let stories of the same actors merge (pairwise F1 0.853 ->
    # 0.841). On the whole ANT corpus (`bench/stories.py`, one archive, crc32 halves of the judged pairs), weight 1.0
    # / 0.7 / 0.5 / 0.35 / 0.3 / 0: pairwise F1 0.841 / 0.862 / 0.862 / 0.856 / 0.863 / 0.849 (halves at 0.5: 0.873
    # / 0.849, at 1.0: 0.855 / 0.824), ARI 0.742 / 0.761 / 0.734 / 0.734 / 0.771 / 0.716, B-cubed F1 0.844 / 0.867 /
    # 0.847 / 0.847 / 0.870 / 0.837: a plateau from 0.3 to 0.7 with run-to-run noise of about 0.01; 0.5 is its middle.
    passing_weight: float = 0.5


@dataclass(frozen=True, slots=True)
class ArticleProfile:
    terms: dict[str, float]  # unit-length tf-idf vector
    entities: dict[int, float]  # unit-length, weighted by rarity
    published_at: str | None
    title: frozenset[str] = frozenset()  # the title's search-layer terms


class ProfileCache:
    """The text part of article profiles (the top tf-idf terms, the title's terms), kept between links by one writer:
    it depends on the article's text alone (idf comes from the shipped table), and read also compares each new
    article with thirty stored ones. The :class:`~akhbar.link.linker.Linker` drops an article when it links its text
    anew; the entity part is read every time (the archive's entity counts change as it grows). Least recently used
    entries go first. Ingesting 6,000 ANT articles in time order, 94% of look-ups find the article with room for
    all, 57% with room for 1,000. An entry takes about 3 KB (interned terms, weights in an array): the default
    10,000 cost some 30-50 MB."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        # article id → terms kept → (the terms, their weights, the title's terms)
        self._parts: OrderedDict[str, dict[int, tuple[tuple[str, ...], array[float], frozenset[str]]]] = OrderedDict()

    def terms(self, store: LinkIndex, article_id: str, top: int) -> tuple[dict[str, float], frozenset[str]]:
        parts = self._parts.get(article_id)
        if parts is None:
            parts = self._parts[article_id] = {}
            if len(self._parts) > self.size:
                self._parts.popitem(last=False)
        else:
            self._parts.move_to_end(article_id)
        if top not in parts:
            vector, title = _text_part(store, article_id, top)
            # Interned: one string per term of the vocabulary, not one per article that has it.
            kept = frozenset(sys.intern(t) for t in title)
            parts[top] = (tuple(sys.intern(t) for t in vector), array("d", vector.values()), kept)
            return vector, title
        terms, weights, title = parts[top]
        return dict(zip(terms, weights, strict=True)), title

    def forget(self, article_id: str) -> None:
        self._parts.pop(article_id, None)


def _text_part(store: LinkIndex, article_id: str, top: int) -> tuple[dict[str, float], frozenset[str]]:
    """The unit tf-idf vector of the article's ``top`` terms and its title's terms."""
    idf = term_weights().idf
    title, body = store.indexed_terms(article_id)
    counts = Counter(body)
    counts.update({t: 2 * n for t, n in Counter(title).items()})
    # (1 + log n) · idf, the log skipped for the many terms seen once; the top terms as a stable sort would pick them.
    vector = [(idf(t) if n == 1 else (1 + math.log(n)) * idf(t), t) for t, n in counts.items() if len(t) > 1]
    kept = {t: v for v, t in heapq.nlargest(top, vector, key=itemgetter(0))}
    return _unit(kept), frozenset(t for t in title if len(t) > 1)


def article_profile(
    store: LinkIndex,
    article_id: str,
    config: StoryConfig = StoryConfig(),
    *,
    ref: ArticleRef | None = None,
    passing_weight: float = 1.0,
    cache: ProfileCache | None = None,
) -> ArticleProfile:
    """The article's vectors, title terms and date (``ref``: the article's reference, when the caller has it;
    ``passing_weight``: the weight of a name the article only passes by, none of its tags, against a central one;
    ``cache``: a writer's cache of the text part). Read for every story placement and for each of read also's
    re-ranked candidates: kept to two indexed reads, one with a warm cache."""
    terms, title = (
        cache.terms(store, article_id, config.article_terms)
        if cache is not None
        else _text_part(store, article_id, config.article_terms)
    )
    size = max(1, store.size())
    entities = {
        entity: math.log(1 + here) * math.log((size + 1) / (df + 1)) * (1.0 if tag else passing_weight)
        for entity, here, df, tag in sorted(store.article_entities(article_id))  # by id: one order on every store
    }
    if ref is None:
        ref = next(iter(store.refs([store.rowid(article_id)]).values()))
    return ArticleProfile(terms, _unit(entities), ref.published_at, title)


def _unit(vector: dict[K, float]) -> dict[K, float]:
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {k: v / norm for k, v in vector.items()} if norm else {}


def cosine(a: dict[K, float], b: dict[K, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    norm = math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def days_outside(when: str | None, first: str | None, last: str | None) -> float:
    """Days between a moment and a story's span (0 inside it, 0 when unknown)."""
    at, start, end = moment(when), moment(first), moment(last)
    before, after = days_between(at, start), days_between(end, at)
    if before is None or after is None:
        return 0.0
    return max(0.0, before, after)


def similarity(article: ArticleProfile, story: StoryProfile, config: StoryConfig = StoryConfig()) -> float:
    content = config.lexical_weight * cosine(article.terms, story.terms)
    content += config.entity_weight * cosine(article.entities, story.entities)
    gap = days_outside(article.published_at, story.first_seen, story.last_seen)
    return content * math.exp(-gap / config.time_scale_days)


def place(
    store: StoryIndex,
    article_id: str,
    config: StoryConfig = StoryConfig(),
    reports: Callable[[str], Collection[str]] | None = None,
    cache: ProfileCache | None = None,
) -> int:
    """Put a stored article into its story (an existing one, or a new one); returns the story id. An article placed
    before (its text changed) leaves its old story first. ``reports``: the ids of the articles whose story an
    article joins when no story is close enough (the linker gives its other reports of the same event,
    :func:`akhbar.link.related.same_event_reports`, and its close earlier read-also picks,
    :func:`akhbar.link.related.close_earlier`): the story most of them are in. ``cache``: the writer's profile
    cache."""
    store.leave_story(article_id)
    profile = article_profile(store, article_id, config, passing_weight=config.passing_weight, cache=cache)
    best: StoryProfile | None = None
    best_score = 0.0
    for story in store.story_profiles(sorted(candidate_stories(store, article_id, profile, config))):
        if days_outside(profile.published_at, story.first_seen, story.last_seen) > config.window_days:
            continue
        score = similarity(profile, story, config)
        if score > best_score:
            best, best_score = story, score
    timeless = moment(profile.published_at) is None or (best is not None and moment(best.first_seen) is None)
    if best is None or best_score < (config.undated_threshold if timeless else config.threshold):
        event_story = _story_of_reports(store, reports(article_id)) if reports is not None else None
        if event_story is not None:
            return store.save_story(_absorb(event_story, profile, config), article_id, similarity(profile, event_story))
        new = StoryProfile(0, profile.published_at, profile.published_at, 1, profile.terms, profile.entities)
        return store.save_story(new, article_id, 1.0)
    return store.save_story(_absorb(best, profile, config), article_id, best_score)


def _story_of_reports(store: StoryIndex, report_ids: Collection[str]) -> StoryProfile | None:
    """The story most of the placed reports are in (ties: the lowest id, the oldest)."""
    stories = Counter(store.stories_of([store.rowid(r) for r in report_ids]).values())
    if not stories:
        return None
    chosen = min(stories, key=lambda story: (-stories[story], story))
    return next(iter(store.story_profiles([chosen])), None)


def candidate_stories(store: StoryIndex, article_id: str, profile: ArticleProfile, config: StoryConfig) -> set[int]:
    query = sorted(profile.terms, key=lambda t: -profile.terms[t])[: config.query_terms]
    neighbours = store.lexical_neighbours(article_id, query, limit=config.neighbours, titles_only=True)
    found = set(store.stories_of([rowid for rowid, _ in neighbours]).values())
    rare = sorted(profile.entities, key=lambda e: -profile.entities[e])[:5]
    at = moment(profile.published_at)
    if at is not None:
        since = (at - timedelta(days=config.window_days)).isoformat()
        until = (at + timedelta(days=config.window_days)).isoformat() + "\uffff"
        found |= store.stories_mentioning(rare, since, until)
    return found


def _absorb(story: StoryProfile, article: ArticleProfile, config: StoryConfig) -> StoryProfile:
    """The story's profile with one more article: running means, the top terms kept."""
    n = story.size
    terms = Counter({t: v * n for t, v in story.terms.items()})
    terms.update(article.terms)
    entities = Counter({e: v * n for e, v in story.entities.items()})
    entities.update(article.entities)
    kept = dict(sorted(((t, v / (n + 1)) for t, v in terms.items()), key=lambda kv: -kv[1])[: config.max_terms])
    dates = [d for d in (story.first_seen, story.last_seen, article.published_at) if d]
    return StoryProfile(
        story.id,
        min(dates, key=lambda d: moment(d) or datetime.max) if dates else None,
        max(dates, key=lambda d: moment(d) or datetime.min) if dates else None,
        n + 1,
        kept,
        {e: v / (n + 1) for e, v in entities.items()},
    )


def rebuild(
    store: StoryIndex,
    config: StoryConfig = StoryConfig(),
    reports: Callable[[str], Collection[str]] | None = None,
    cache: ProfileCache | None = None,
) -> int:
    """Forget all stories and place every article again in publication order; returns the number of stories."""
    store.clear_stories()
    stories = set()
    for article_id in store.ids_in_time_order():
        stories.add(place(store, article_id, config, reports, cache))
    return len(stories)
