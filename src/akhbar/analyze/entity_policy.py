"""The one merge rule: when two spellings name one entity, which stored entity a mention joins, which full name a
surname alone stands for, and how an entity is shown. Pure functions over what a store fetched: the stores only fetch
candidate rows and write what these functions decide, and the in-article resolution
(:func:`akhbar.analyze.entities.resolve_in_article`), the benchmarks and the tests use the same functions.

Two spellings (of one type) are one name when

* they share the entity key (:func:`akhbar.arabic.normalize.entity_key`: hamza, ة/ه/ا, غ/ج/ك, doubled letters,
  spacing and long vowels folded away: ``بيونغ يانغ`` = ``بيونجيانج``, ``ترامب`` = ``ترمب``);
* the transliteration dictionary does not know them as two names (:func:`akhbar.arabic.translit.signatures_agree`:
  ``صلاح`` Salah ≠ ``صالح`` Saleh, ``محمد`` ≠ ``محمود``);
* and, when the key is short (``EntityConfig.short_key`` letters or fewer, so it says little) and the dictionary does
  not know every word of both, one spelling is the other with long vowels left out (``بوتن`` = ``بوتين``), never
  with vowels moved or added on both sides (``تركيا`` ≠ ``ترويكا``, both ترج). An unknown spelling does not outvote
  a short key. Measured on the judged variant list: merges of near-misses 11.2 % → 3.1 %, no pair split that was
  merged before (``bench/entities.py`` reports the real-span figures).

Another name of one entity is that entity: a listed alias in any of its spellings (``أمريكا``, ``الولايات المتحدة
الأمريكية`` → ``الولايات المتحدة``) or a head word the name already says (``تنظيم داعش``) is keyed and signed as the
canonical name (:func:`identity_name`); the spellings the text writes are what is stored and shown.

A name typed differently by the tagger is still that name: in one article one entity takes the type most mentions
have; across articles a name joins an established entity of another type when that entity has the very spelling, or
when their key is long enough to name one thing only (:func:`join`), and a stored entity is typed as most of its
mentions are (:func:`majority_type`). A lone surname, or an organization's short
name, stands for the one full name of its type that owns the word (:func:`surname_owner`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

from akhbar.analyze.ner import shipped_gazetteer
from akhbar.arabic.normalize import entity_key, entity_shape, fold_search
from akhbar.arabic.translit import known_spelling, merge_signatures, name_signature, signatures_agree

Signature = tuple[str | None, ...]
VOWELS = frozenset("اوي")
_VOWELS_RE = re.compile("[اوي]")


@dataclass(frozen=True, slots=True)
class EntityConfig:
    # A surname alone goes to the full name that has it when that name has this many times the mentions of the next
    # one (tagging errors leave a few stray full names with any common surname).
    dominance: int = 4
    # Keys of this many letters or fewer need the spellings' vowel shapes to agree (see the module notes).
    short_key: int = 3
    # A name with no stored entity of its type joins the most mentioned one of another type that has it as one of its
    # spellings, when that one has at least this many mentions: the tagger's type for one article is the weaker
    # evidence (#إيران typed PERS, لترامب LOC, لفرانس برس PERS).
    retype_mentions: int = 10
    # A spelling joins an established entity of another type (the tagger typed a club PERS, a town ORG) when their
    # key has this many letters or more: on the judged near-miss pairs no two names of a key this long are two
    # referents (at 5 letters: إسماعيل/الإسماعيلي, أتلانتا/أتالانتا), while 60 split pairs of one name are rejoined
    # (أتلتيكو/أتيلتيكو مدريد, هدرسفيلد/هيدرسفيلد, ستورمي دانيلز/دانيالز).
    cross_type_key: int = 6
    # A word alone stands for a full name only when that name has at least 1/owner_share of the word's own mentions:
    # a stray tagger span (لك الله يا زمالك, 1 mention) is no owner of الزمالك (127).
    owner_share: int = 20


@dataclass(frozen=True, slots=True)
class Candidate:
    """A stored entity of the mention's key (of any type), as a store fetched it."""

    id: int
    signature: Signature
    spellings: tuple[str, ...] = ()  # every spelling its mentions have
    type: str = ""
    mentions: int = 0


# Types whose multi-word names one of their words may stand for alone: a surname (بوتين → فلاديمير بوتين), a club's
# or a company's short name (ريال → ريال مدريد, بايرن → بايرن ميونيخ). Places are left out: مدريد is a city.
SHORT_FORM_TYPES = frozenset({"PERS", "ORG"})


@dataclass(frozen=True, slots=True)
class Owner:
    """A multi-word name (of a type in ``SHORT_FORM_TYPES``) that has a given word: its id, its mentions, the
    signature of the word as that name writes it (:func:`word_forms`), and its type."""

    id: int
    mentions: int
    word_signature: Signature
    type: str = ""
    # The word's shapes (entity_shape) as the name's stored spellings write it; empty: not fetched (see
    # needs_word_shapes), and then only the signature is compared.
    word_shapes: tuple[str, ...] = ()


def only_vowels_apart(a: str, b: str) -> bool:
    """Whether one shape is the other with some long vowels (ا و ي) left out inside it (``بوتن``/``بوتين``), not
    only added at its end: a vowel ending makes another word (``مأرب``/``ماربيا``, ``السويد``/``السويداء``)."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if short != long and long.startswith(short):
        return False
    i = 0
    for char in long:
        if i < len(short) and short[i] == char:
            i += 1
        elif char not in VOWELS:
            return False
    return i == len(short)


def _known(signature: Signature) -> bool:
    return bool(signature) and all(form is not None for form in signature)


# ---------------------------------------------------------------------------------------------------------------------
# Other names of one entity
# ---------------------------------------------------------------------------------------------------------------------

ALIASES_FILE = "entity_aliases.tsv"
# An administrative head before a place name is that place: ``مدينة نيويورك`` is نيويورك (tags show the bare name
# too: akhbar.analyze.tags).
PLACE_HEADS = frozenset(fold_search(word) for word in ("مدينة", "محافظة", "بلدة", "قرية", "مقاطعة", "ولاية"))
# A head word before a name that the name already says: ``تنظيم داعش`` is داعش, ``محافظة دير الزور`` is دير الزور.
# Only where the rest is a name the shipped lists know with one of these types (``حزب الله`` is no حزب + a name,
# ``مجلس الأمن`` no head at all): each head with the types of the names it may precede.
_HEADS: dict[str, frozenset[str]] = {
    **{head: frozenset({"LOC"}) for head in PLACE_HEADS},
    **{
        fold_search(head): frozenset(kinds)
        for head, kinds in (
            ("تنظيم", {"ORG"}), ("منظمة", {"ORG"}), ("حركة", {"ORG"}), ("جبهة", {"ORG"}), ("جماعة", {"ORG"}),
            ("شركة", {"ORG"}), ("وكالة", {"ORG"}), ("نادي", {"ORG", "LOC"}), ("إقليم", {"LOC"}),
            ("شبه جزيرة", {"LOC"}),
        )
    },
}  # fmt: skip


@lru_cache(maxsize=1)
def _aliases() -> dict[str, list[tuple[str, str]]]:
    """Entity key → the listed (alias, canonical name) pairs of that key (``models/entity_aliases.tsv``)."""
    text = resources.files("akhbar.models").joinpath(ALIASES_FILE).read_text(encoding="utf-8")
    out: dict[str, list[tuple[str, str]]] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            canonical, alias = line.split("\t")
            out.setdefault(entity_key(alias), []).append((alias, canonical))
    return out


@lru_cache(maxsize=1)
def _canonical_names() -> frozenset[str]:
    return frozenset(canonical for pairs in _aliases().values() for _, canonical in pairs)


def _alias_of(name: str) -> str | None:
    """The canonical name of a listed alias that ``name`` spells: one key, agreeing signatures and the alias's
    letters up to long vowels left out (hamza, a hashtag, ة/ه and the like are folded by the key and the shape). The
    vowel shapes are asked whatever the key's length: a key folds spaces and vowels away, and ``مينيسوتا`` has the
    key of the alias ``مان سيتي``."""
    key = entity_key(name)
    for alias, canonical in _aliases().get(key, ()):
        if signatures_agree(name_signature(name), name_signature(alias)) and only_vowels_apart(
            entity_shape(name), entity_shape(alias)
        ):
            return canonical
    return None


@lru_cache(maxsize=200_000)
def identity_name(name: str) -> str:
    """The name an entity is keyed and signed by, whatever other name the text gives it: the canonical name of a
    listed alias, in any spelling (``أمريكا``, ``أميركا``, ``الولايات المتحدة الأمريكية`` → ``الولايات المتحدة``;
    ``الناتو`` → ``حلف شمال الأطلسي``), a name after a head word that the name already says (``تنظيم داعش`` →
    ``داعش``, ``محافظة دير الزور`` → ``دير الزور``), else the name itself. The spellings the text writes are kept
    and shown; only the key and the signature that decide which entity a mention is come from this name."""
    canonical = _alias_of(name)
    if canonical is not None:
        return canonical
    words = name.split()
    for size in (1, 2):
        kinds = _HEADS.get(fold_search(" ".join(words[:size])))
        rest = " ".join(words[size:])
        if kinds and len(words) > size and (rest in _canonical_names() or any(known_as(rest, k) for k in kinds)):
            return identity_name(rest)
    return name


def identity_key(name: str) -> str:
    """The entity key of the name's identity (:func:`identity_name`): where the mentions of one entity meet."""
    return entity_key(identity_name(name))


def identity_signature(name: str) -> Signature:
    return name_signature(identity_name(name))


def stored_under(key: str) -> tuple[str, ...]:
    """The keys the entities of names with entity key ``key`` are stored under: the key itself and the canonical key
    of each listed alias of that key (``أمريكا``'s key → that of ``الولايات المتحدة``): what a search for a name
    typed with a slip looks up."""
    return tuple(dict.fromkeys([key, *(entity_key(canonical) for _, canonical in _aliases().get(key, ()))]))


def spellings_agree(
    name: str,
    signature: Signature,
    others: Iterable[str],
    other_signature: Signature,
    config: EntityConfig = EntityConfig(),
) -> bool:
    """Whether ``name`` (with its signature) can be the entity written ``others`` (with theirs), given one key."""
    if not signatures_agree(signature, other_signature):
        return False
    if len(identity_key(name)) > config.short_key or (_known(signature) and _known(other_signature)):
        return True
    shape = entity_shape(identity_name(name))
    return any(only_vowels_apart(shape, entity_shape(identity_name(other))) for other in others)


def same_name(a: str, b: str, config: EntityConfig = EntityConfig()) -> bool:
    """Whether two spellings name one entity (of one type): the rule every path applies (see the module notes)."""
    return identity_key(a) == identity_key(b) and spellings_agree(
        a, identity_signature(a), [b], identity_signature(b), config
    )


def join(
    name: str,
    signature: Signature,
    candidates: Sequence[Candidate],
    config: EntityConfig = EntityConfig(),
    *,
    kind: str = "",
) -> tuple[int | None, Signature]:
    """The stored entity an article's entity of type ``kind`` joins and the signature that entity then has (it
    learns the words this one knows); ``(None, signature)``: a new entity. ``candidates``: the stored entities of
    its key, in stored order. The most mentioned with this very spelling: of this type, else of another if it has
    ``retype_mentions`` or more; else the first of its type whose name can be this one; else, for a key of
    ``cross_type_key`` letters or more, the most mentioned established one of another type whose signature agrees
    (see :class:`EntityConfig`). The stores type an entity as most of its mentions are (:func:`majority_type`).
    Without ``kind``, any type."""
    shape = entity_shape(name)
    very_name = sorted(
        (
            c
            for c in candidates
            if signatures_agree(signature, c.signature) and any(entity_shape(s) == shape for s in c.spellings)
        ),
        key=lambda c: (bool(kind) and c.type != kind, -c.mentions, c.id),
    )
    for candidate in very_name:  # the very name: of its type, else of another once established (ترامب typed LOC)
        if not kind or candidate.type == kind or candidate.mentions >= config.retype_mentions:
            return candidate.id, merge_signatures(candidate.signature, signature)
    for candidate in candidates:  # a near spelling within the type (never سعود for السعودية)
        if (not kind or candidate.type == kind) and spellings_agree(
            name, signature, candidate.spellings, candidate.signature, config
        ):
            return candidate.id, merge_signatures(candidate.signature, signature)
    if len(identity_key(name).replace(" ", "")) >= config.cross_type_key:  # or, for a long key, an established one
        for candidate in sorted(candidates, key=lambda c: (-c.mentions, c.id)):
            if candidate.mentions >= config.retype_mentions and signatures_agree(signature, candidate.signature):
                return candidate.id, merge_signatures(candidate.signature, signature)
    return None, signature


def majority_type(counts: Mapping[str, int], current: str) -> str:
    """The type an entity is shown with: the one most of its mentions were tagged with (``counts``: mentions per
    type); a tie keeps ``current``. The tagger types one name differently from article to article (a club PERS, a
    capital ORG): the first article's type is no better than the others'."""
    if not counts:
        return current
    return min(counts.items(), key=lambda kv: (-kv[1], kv[0] != current, kv[0]))[0]


def surname_owner(
    signature: Signature,
    owners: Sequence[Owner],
    config: EntityConfig = EntityConfig(),
    *,
    kind: str = "",
    mentions: int = 0,
    spelling: str | None = None,
) -> int | None:
    """The full name a surname alone (with this signature; ``mentions``: the word's own; ``spelling``: how it is
    mostly written) stands for (``بوتين`` → ``فلاديمير بوتين``; ``ريال`` → ``ريال مدريد``): among the names (of
    type ``kind``, if given, and with at least 1/``owner_share`` of the word's mentions) that have the word in a form
    that agrees (:func:`word_agrees`), the only one, or one mentioned ``dominance`` times more than the next; else
    None."""
    shape = entity_shape(spelling) if spelling else None
    agreeing = _agreeing(
        signature,
        [
            o
            for o in owners
            if (not kind or o.type == kind)
            and o.mentions * config.owner_share >= mentions
            and word_agrees(shape, o, config)
        ],
    )
    if len(agreeing) == 1:
        return agreeing[0].id
    if len(agreeing) > 1 and agreeing[0].mentions >= config.dominance * max(1, agreeing[1].mentions):
        return agreeing[0].id
    return None


def owns(
    candidate: int,
    signature: Signature,
    owners: Sequence[Owner],
    shapes_of: Callable[[Sequence[int]], dict[int, tuple[str, ...]]],
    config: EntityConfig = EntityConfig(),
    *,
    kind: str = "",
    mentions: int = 0,
    spelling: str | None = None,
) -> bool:
    """Whether :func:`surname_owner` gives ``candidate`` for these arguments, with ``owners`` given without their
    word shapes and ``shapes_of`` fetching the shapes of some owners: only those that can decide it are fetched (the
    candidate, then the owners that would outrank it or come within ``dominance`` of it, most mentioned first, until
    one agrees). A common first name has hundreds of owners: a store answering "which words stand for this name"
    (a search's entity filter) reads a few of their spellings instead of all of them."""
    eligible = [
        o
        for o in owners
        if (not kind or o.type == kind)
        and o.mentions * config.owner_share >= mentions
        and signatures_agree(signature, o.word_signature)
    ]
    mine = [o for o in eligible if o.id == candidate]
    if not mine:
        return False
    own = mine[0].mentions
    rivals = sorted(
        {
            o.id: o
            for o in eligible
            if o.id != candidate
            and ((-o.mentions, o.id) < (-own, candidate) or config.dominance * max(1, o.mentions) > own)
        }.values(),
        key=lambda o: (-o.mentions, o.id),
    )
    shape = entity_shape(spelling) if spelling else None
    if shape is None:  # no shape to compare: every eligible owner agrees
        return not rivals

    def agreeing(group: Sequence[Owner]) -> set[int]:
        shapes = shapes_of(sorted({o.id for o in group}))
        return {o.id for o in group if word_agrees(shape, replace(o, word_shapes=shapes.get(o.id, ())), config)}

    if not agreeing(mine):
        return False
    rows = {o.id: [r for r in eligible if r.id == o.id] for o in rivals}
    for start in range(0, len(rivals), _RIVALS_AT_ONCE):
        if agreeing([r for o in rivals[start : start + _RIVALS_AT_ONCE] for r in rows[o.id]]):
            return False
    return True


# Rivals whose shapes owns() reads at once: the most mentioned one usually settles it.
_RIVALS_AT_ONCE = 8


def needs_word_shapes(word_key: str, kind: str, config: EntityConfig = EntityConfig()) -> bool:
    """Whether :func:`word_agrees` compares the word's shapes for owners of this type (a store fetches them only
    then): an organization's always, a person's when the key is short."""
    return kind == "ORG" or len(word_key) <= config.short_key


def word_agrees(shape: str | None, owner: Owner, config: EntityConfig = EntityConfig()) -> bool:
    """Whether a word alone, written with this shape, is the word its owner's name has. An organization's short name
    is written as in its full name (ريال, بايرن, أتلتيكو): the very shape, so ماركا (a newspaper) is not مايوركا of
    ريال مايوركا, nor أياكس the إكس of سبيس إكس. A person's short key needs the vowel shapes to agree as
    :func:`spellings_agree` asks of two names (سانا is not سنويا). Unknown shapes (not fetched) agree."""
    if shape is None or not owner.word_shapes:
        return True
    if owner.type == "ORG":
        return shape in owner.word_shapes
    if len(shape[:1] + _VOWELS_RE.sub("", shape[1:])) > config.short_key:  # its entity_key is long
        return True
    return any(shape == s or only_vowels_apart(shape, s) for s in owner.word_shapes)


def surname_candidates(signature: Signature, owners: Sequence[Owner]) -> list[int]:
    """The names a word could stand for when no one of them owns it (:func:`surname_owner` gave None): those that
    have it in a form that agrees, most mentioned first."""
    return [o.id for o in _agreeing(signature, owners)]


def _agreeing(signature: Signature, owners: Sequence[Owner]) -> list[Owner]:
    """Owners whose word agrees with the signature, one per name (a name stored with several spellings has the
    word in several forms), most mentioned first."""
    by_id = {o.id: o for o in owners if signatures_agree(signature, o.word_signature)}
    return sorted(by_id.values(), key=lambda o: (-o.mentions, o.id))


def word_shapes(word_key: str, spellings: Iterable[tuple[int, str]]) -> dict[int, tuple[str, ...]]:
    """For owners' stored spellings (owner id, spelling): the shapes of their words of this key, per owner."""
    out: dict[int, set[str]] = {}
    shape_of: dict[str, str | None] = {}  # word -> its shape when its key is word_key (the names share many words)
    for owner, spelling in spellings:
        found = out.setdefault(owner, set())
        for word in spelling.split():
            if word not in shape_of:
                shape_of[word] = entity_shape(word) if entity_key(word) == word_key else None
            if (shape := shape_of[word]) is not None:
                found.add(shape)
    return {owner: tuple(sorted(shapes)) for owner, shapes in out.items()}


def word_forms(name: str) -> list[tuple[str, Signature]]:
    """The words of a multi-word name as surname look-ups see them: (entity key, signature), empty keys left out."""
    return [(key, name_signature(word)) for word in name.split() if (key := entity_key(word))]


def shown_name(
    spellings: Sequence[tuple[str, int]], *, full_name: bool, config: EntityConfig = EntityConfig()
) -> str | None:
    """:func:`display_name` of spellings with their mentions, most frequent first, as a store reads them."""
    return display_name(
        [s for s, _ in spellings], full_name=full_name, counts=[n for _, n in spellings], owner_share=config.owner_share
    )


def display_name(
    spellings: Sequence[str], *, full_name: bool, counts: Sequence[int] = (), owner_share: int = 20
) -> str | None:
    """The spelling shown for an entity: the most frequent clean one (``spellings`` come most frequent first, with
    their mentions in ``counts`` when known). A spelling that is another of its spellings behind a proclitic
    (``لإيران`` beside ``إيران``) is never shown; for a person or an organization, a full name wins over its short
    forms, when it has at least 1/``owner_share`` of the mentions of the most frequent spelling (a stray span,
    ``برشلونة أي`` 3 times beside ``برشلونة`` 1,339, is no full name), unless the most frequent is the name the
    list of other names gives (``models/entity_aliases.tsv``): that is no short form (``الحوثيين``, 2,748 ANT
    mentions, not ``ميليشيات الحوثي``, 2,016)."""
    known = set(spellings)
    clean = [s for s in spellings if not _behind_clitic(s, known)] or list(spellings)
    if full_name and not (clean and clean[0] in _canonical_names()):
        top = max(counts, default=0)
        mentions = dict(zip(spellings, counts, strict=False))
        clean = [s for s in clean if " " in s and mentions.get(s, top) * owner_share >= top] or clean
    return clean[0] if clean else None


# Proclitic runs a name's first word may begin with, longest first: conjunction, then preposition; لل is ل + ال.
PROCLITIC_RUNS = ("ولل", "فلل", "وب", "وك", "ول", "فب", "فك", "فل", "لل", "و", "ف", "ب", "ك", "ل")
# The runs ending in ل + ال, the article's alef unwritten (للأمم): the name is ال + the rest, from the second lam.
LIL_RUNS = tuple(run for run in PROCLITIC_RUNS if run.endswith("لل"))


def is_behind_proclitic(word: str, words: Collection[str]) -> bool:
    """Whether ``word`` is one of ``words``, alone or behind a proclitic run (``بفتح``, ``لولي``)."""
    return word in words or any(word.startswith(run) and word[len(run) :] in words for run in PROCLITIC_RUNS)


@lru_cache(maxsize=200_000)
def is_known_name(text: str) -> bool:
    """Whether ``text`` is a name the shipped lists know, spelled as they spell it: the transliteration dictionary
    or the NER gazetteer (CLDR, world cities, name lists)."""
    return known_spelling(text) or fold_search(text) in shipped_gazetteer()


@lru_cache(maxsize=200_000)
def known_as(text: str, kind: str) -> bool:
    """Whether ``text`` is known as a name of this type: listed under it in the NER gazetteer, or, for a person, a
    spelling of the transliteration dictionary (person-name words, mostly)."""
    return kind in shipped_gazetteer().get(fold_search(text), ()) or (kind == "PERS" and known_spelling(text))


def _behind_clitic(spelling: str, others: set[str]) -> bool:
    """Whether a spelling is another one behind a proclitic (and no known name itself: لبنان is not ل + بنان)."""
    if is_known_name(spelling.partition(" ")[0]):
        return False
    for run in PROCLITIC_RUNS:
        if spelling.startswith(run):
            rest = ("ال" if run.endswith("لل") else "") + spelling[len(run) :]
            if rest in others:
                return True
    return False


# What a store answers for the archive's knowledge of names: the stored entities of each of these keys.
CandidateFetch = Callable[[Sequence[str]], Mapping[str, Sequence[Candidate]]]


def stored_mentions(names: Collection[str], fetch: CandidateFetch) -> dict[str, int]:
    """For each name, the mentions of the most mentioned stored entity that has that very spelling (0: none): how
    established a name is in the archive, which decides a proclitic the lists cannot (:mod:`akhbar.analyze.mentions`:
    ``لريال`` is ل + an established ``ريال``)."""
    found = fetch(list(dict.fromkeys(key for name in names if (key := identity_key(name)))))
    out = {}
    for name in names:
        shape = entity_shape(name)
        out[name] = max(
            (
                c.mentions
                for c in found.get(identity_key(name), ())
                if any(entity_shape(s) == shape for s in c.spellings)
            ),
            default=0,
        )
    return out


def lookup(ref: str, candidates: Sequence[Candidate], config: EntityConfig = EntityConfig()) -> int | None:
    """The entity a typed name finds among those of its key (most mentioned first): the first whose name the
    spelling can be (``صالح`` does not find صلاح)."""
    return join(ref, identity_signature(ref), candidates, config)[0]
