"""One entity across spellings, inside one article.

The tagger finds mentions (``فلاديمير بوتين`` … ``بوتين`` … ``وبوتين``); this module groups them into the entities
the article talks about. Two mentions are one entity when

* they have the same entity key (every spelling of a name shares its key: ``كيم جونغ أون`` =
  ``كيم جونج-أون``; see :func:`akhbar.arabic.normalize.entity_key`) and the transliteration dictionary does not know
  them as two names (``محمد صلاح`` ≠ ``محمد صالح``: Salah, Saleh; see :func:`akhbar.arabic.translit.name_signature`),
  whatever type the tagger gave each (the entity takes the type most of them have); another name of the entity
  is keyed as its canonical name (``أمريكا`` and ``الولايات المتحدة``, ``تنظيم داعش`` and ``داعش``: see
  :func:`akhbar.analyze.entity_policy.identity_name`), or
* a person mention is a run of words of exactly one fuller person name in the article (``بوتين`` →
  ``فلاديمير بوتين``; ``كيم`` → ``كيم جونغ أون``), whichever comes first. When the short form fits two people
  (``كيم`` with both ``كيم جونغ أون`` and ``كيم يو جونغ`` in the article), it is left on its own, not guessed.

Across articles, entities meet by the same rule (:mod:`akhbar.analyze.entity_policy`: one key, agreeing signatures,
and vowel shapes where the key is short), which the stores apply to the candidates they fetch.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from akhbar.analyze.entity_policy import EntityConfig, identity_key, identity_signature, spellings_agree
from akhbar.arabic.normalize import entity_key, entity_shape
from akhbar.arabic.translit import merge_signatures, name_signature, signatures_agree


@dataclass(frozen=True, slots=True)
class Mention:
    """A name as the text says it: its type, its spelling and its character span in the article's display text."""

    type: str
    text: str
    start: int
    end: int


@dataclass(slots=True)
class ArticleEntity:
    """An entity of one article: its fullest name, type, key and every mention."""

    type: str
    name: str  # the fullest spelling the article uses (most words, then most frequent)
    key: str  # identity_key(name): how entities of different articles meet
    mentions: list[Mention] = field(default_factory=list)
    signature: tuple[str | None, ...] = ()  # what the dictionary knows of the name's words (name_signature)

    def __post_init__(self) -> None:
        if not self.signature:
            self.signature = identity_signature(self.name)

    @property
    def spellings(self) -> Counter[str]:
        return Counter(m.text for m in self.mentions)


Word = tuple[str, tuple[str | None, ...]]  # a name word's entity key and signature


@lru_cache(maxsize=50_000)
def _name_words(text: str) -> tuple[Word, ...]:
    return tuple((k, name_signature(word)) for word in text.split() if (k := entity_key(word)))


def _same_word(a: Word, b: Word) -> bool:
    return a[0] == b[0] and signatures_agree(a[1], b[1])


def _contains(long: tuple[Word, ...], short: tuple[Word, ...]) -> bool:
    n = len(short)
    return 0 < n < len(long) and any(all(map(_same_word, long[i : i + n], short)) for i in range(len(long) - n + 1))


def resolve_in_article(mentions: Sequence[Mention], config: EntityConfig | None = None) -> list[ArticleEntity]:
    """Group an article's mentions into entities, in order of first mention.

    First every mention joins the mentions of the same type and key; then a person known only by a short form
    (``بوتين``) joins the one fuller name that contains it (``فلاديمير بوتين``), wherever in the article each is.
    """
    config = config or EntityConfig()
    by_key: dict[str, list[ArticleEntity]] = {}
    entities: list[ArticleEntity] = []
    for mention in sorted(mentions, key=lambda m: m.start):
        key = identity_key(mention.text)
        if not key:
            continue
        signature = identity_signature(mention.text)
        same_key = by_key.setdefault(key, [])
        entity = next((e for e in same_key if _joins(mention, signature, e, config)), None)
        if entity is None:
            entity = ArticleEntity(mention.type, mention.text, key, signature=signature)
            same_key.append(entity)
            entities.append(entity)
        entity.mentions.append(mention)
        entity.signature = merge_signatures(entity.signature, signature)
    for entity in entities:
        _choose_name(entity)
        _choose_type(entity)
    people = [e for e in entities if e.type == "PERS"]
    merged: set[int] = set()
    for short in sorted(people, key=lambda e: len(e.name.split())):
        words = _name_words(short.name)
        fuller = [e for e in people if id(e) not in merged and e is not short and _contains(_name_words(e.name), words)]
        if len(fuller) == 1:
            fuller[0].mentions = sorted(fuller[0].mentions + short.mentions, key=lambda m: m.start)
            merged.add(id(short))
    kept = [e for e in entities if id(e) not in merged]
    for entity in kept:
        _choose_name(entity)
    return sorted(kept, key=lambda e: e.mentions[0].start)


def _joins(mention: Mention, signature: tuple[str | None, ...], entity: ArticleEntity, config: EntityConfig) -> bool:
    """Whether a mention is one of the article's entities (of its key): the merge rule; across the tagger's types
    only for the very name (``لترامب`` typed LOC beside ``ترامب``), never a near one (``سعود`` beside السعودية)."""
    if not spellings_agree(mention.text, signature, entity.spellings, entity.signature, config):
        return False
    if all(m.type == mention.type for m in entity.mentions):
        return True
    shape = entity_shape(mention.text)
    return any(entity_shape(spelling) == shape for spelling in entity.spellings)


def _choose_type(entity: ArticleEntity) -> None:
    """One name in one article is one entity whatever type the tagger gave each mention (``ترامب`` PERS,
    ``لترامب`` LOC): the type most of its mentions have, the first mention's on a tie."""
    votes = Counter(m.type for m in entity.mentions)
    entity.type = max(votes, key=lambda kind: (votes[kind], kind == entity.mentions[0].type))


def _choose_name(entity: ArticleEntity) -> None:
    counts = entity.spellings
    entity.name = max(counts, key=lambda text: (len(text.split()), counts[text], -len(text)))
    entity.key = identity_key(entity.name)
