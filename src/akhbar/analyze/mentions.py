"""Mention spans are names: where a tagged span begins inside a word, or on proclitics, the name is found by what is
known of names, never by the letters alone.

The tagger cuts the proclitics that the Arabic layer's conservative splitter finds
(:func:`akhbar.arabic.tokenize.split_clitics`): و before a long word, any clitic before ال, future س before a verb
shape. That leaves two kinds of error. It never cuts a bare ب, ك, ل or ف, nor و before a short word (too many names
begin with those letters: بغداد, كركوك, لبنان, فرنسا, وليد), so ``لإيران``, ``بإيران``, ``ومصر`` stayed whole, each an
entity beside ``إيران``; and a cut it makes can be wrong (``سنجار`` → ``نجار``, ``للسعودية`` → ``سعودية`` without
its article, ``للولايات`` → ``ولايات``).

So the first word of every span is looked at whole, as the text writes it, with whatever the tagger cut:

1. a word (or a span) known as a name of the span's type stays whole (``بغداد``, ``لبنان`` places; ``وليد`` a person;
   ``لويس`` of ``لويس روبياليس``), and so does a word the article writes inside another name of that type, where no
   proclitic can be (``فيار`` where ``أنخيل ماريا فيار`` is named);
2. else the shortest run of proclitics (``[وف]?[بكل]``, ``[وف]?لل`` for ل + ال) whose rest is a name is cut: a known
   name of the span's type, a name this article also names on its own, or a known name of several words
   (``لإيران`` → ``إيران``, ``لبي بي سي`` → ``بي بي سي``, ``للأمم المتحدة`` → ``الأمم المتحدة``, ``وماكرون`` →
   ``ماكرون`` when ``ماكرون`` also stands alone in the article). A word the lists know only as some other name does
   not block the cut (``بروسيا`` is Prussia to the dictionary, and ب + روسيا in the news), except against a name the
   article mentions with another type (``بكين`` stays Beijing beside Harry ``كين``). Shortest first: ``وكريم`` is
   و + كريم, not وك + ريم. Where the lists and the article say nothing, the archive does: a rest that is the very
   spelling of an established stored entity (``EntityConfig.retype_mentions`` mentions, and ``dominance`` times those
   of the word as written) is the name (``لريال`` → ``ريال``, ``لإنجلترا`` → ``إنجلترا``, ``ومكة`` → ``مكة``);
3. else a wrong cut of the tagger is undone when the whole word is a known name (``سنجار``), a cut لل keeps the name's
   article (``للسعودية`` → ``السعودية``), and otherwise the tagger's span stands.

Known names: :func:`akhbar.analyze.entity_policy.known_as` (the NER gazetteer by type; the transliteration dictionary
for people) and :func:`~akhbar.analyze.entity_policy.is_known_name` (any list, any type). A rest that is a known name
of another type is no evidence (``بايرن`` is no ب + a person ايرن). After ``لل`` the name's own article lost its alef
in writing: the span starts at the second lam and the mention's spelling is written with ``ال`` (``للأمم`` →
``الأمم``, span over ``لأمم``).

A word that only points at a name (``المدينة``, ``الولاية``: the city or the state the report is about; ``الميليشيا``,
``منظمة``) or at none (``الله``, ``على``, ``إنفوغرافيك``, a page's format) is no mention on its own
(:data:`NOT_NAMES`): the tagger took 774 ``المدينة`` and 413 ``الولاية`` of the ANT news for places, one entity for
every city in the archive, a tag of 144 and 81 articles. Nor is a site's domain (``نت`` of ``العربية.نت``, an
outlet's own name: 291 mentions in the ANT news, every one of them joined to NATO, whose ``ناتو`` has the key ``نت``).

A hashtag mark is the page's link, not part of the name: AlArabiya writes ``دونالد #ترمب`` and
``#محمد_بن_سلمان`` in running text (1,978 mentions in 1,371 ANT articles, 636 of their tags). The mention is spelled
without it (``دونالد ترمب``, ``محمد بن سلمان``) and its span starts after a leading mark.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace

from akhbar.analyze.entities import Mention
from akhbar.analyze.entity_policy import (
    LIL_RUNS,
    PROCLITIC_RUNS,
    CandidateFetch,
    EntityConfig,
    is_behind_proclitic,
    is_known_name,
    known_as,
    stored_mentions,
)
from akhbar.arabic.normalize import fold_search
from akhbar.arabic.tokenize import hashtag_phrase

# Words never a name alone (see the module notes), on the search folding; the most frequent the tagger took for names
# in the ANT news, with their mentions: المدينة 774, الولاية 413, الميليشيا 247 (ميليشيا 137, الميليشيات 136), حزب 189,
# منظمة 152, الله 969 (of الحمد الله, رام الله cut short), الرحمن 156, إنفوغرافيك 105; a time of day, الصباح الباكر
# (early morning) 34, a person to the tagger; كوري 115, the adjective of مسؤول كوري شمالي (a North Korean official),
# a person to the tagger too; مشهد 224 (a scene: in 45 of the 50 ANT articles it was a tag of, an actor's or a
# series', not Iran's city).
NOT_NAMES = frozenset(
    fold_search(word)
    for word in (
        "المدينة", "الولاية", "المحافظة", "البلدة", "القرية", "المقاطعة", "العاصمة", "البلاد", "الإقليم",
        "الميليشيا", "ميليشيا", "الميليشيات", "ميليشيات", "المليشيا", "مليشيا", "المليشيات", "مليشيات", "حزب", "منظمة",
        "الله", "الرحمن", "إنفوغرافيك", "انفوغرافيك", "إنفوجرافيك", "انفوجرافيك", "الصباح الباكر", "نت", "كوري",
        "مشهد",
    )
)  # fmt: skip
# The preposition على, which the tagger took for a name 119 times in the ANT news: told from the name علي by its
# alef maqsura, which the search folding erases, so it is matched as written.
PREPOSITION_TAKEN_FOR_A_NAME = "على"
MIN_NAME_LETTERS = 3  # a one-word rest shorter than this is no name to trust (ليا, بها); بي of بي بي سي is fine
# Shortest run first (see the module notes).
_RUNS_SHORTEST_FIRST = tuple(sorted(PROCLITIC_RUNS, key=len))


def name_start(
    word: str,
    tail: str,
    kind: str,
    alone: Callable[[str, str | None], bool],
    established: Callable[[str], int] = lambda name: 0,
    config: EntityConfig | None = None,
) -> tuple[int, str] | None:
    """Where the name starts in the first word of a span (``tail``: the span's other words): (characters of
    ``word`` to skip, the name as written), or None to keep the word whole. ``alone(text, type)`` says whether the
    article names a text on its own elsewhere (with that type; None: any); ``established(text)`` how many mentions
    the archive's largest entity of that very spelling has. A name of the span's type after the clitics wins over a
    word the lists know only as some other name (``بروسيا`` is Prussia to the dictionary, but ب + روسيا, a place); a
    word known as a name of the span's type is never cut (``بكين`` stays Beijing beside Harry ``كين``, a person)."""
    plain = "".join(word[i] for i in _letters(word))
    span = plain + (" " + tail if tail else "")
    # How strongly the word as written is a name: as a name of the span's type (بغداد a place, وليد a person: never
    # cut), or only somewhere in the lists (بروسيا is Prussia to the dictionary: cut only for a name of the span's
    # type, روسيا, or one the article names alone). For a span of several words the whole span decides (لبي بي سي:
    # لبي may be some name word, بي بي سي is the name).
    # The first word of a longer span counts too: لويس روبياليس is Luis, never ل + a person ويس.
    typed_whole = known_as(span, kind) or known_as(plain, kind)
    if typed_whole:
        return None
    config = config or EntityConfig()
    whole_known = is_known_name(span) or (not tail and is_known_name(plain))
    readings = list(_readings(word, tail))
    for run, skip, rest, name in readings:
        same_type = kind if whole_known else None
        if alone(name, same_type) or alone(rest, same_type) or known_as(name, kind) or known_as(rest, kind):
            return skip, _written(word, skip, run, tail)
        if whole_known:
            continue
        if tail and is_known_name(name):
            return skip, _written(word, skip, run, tail)
        if run.endswith("لل") and (is_known_name(rest) or is_known_name(name)):  # ال + a name: any type will do
            return skip, _written(word, skip, run, tail)
    # The archive: the reading it knows best, when established and far better known than the word as written
    # (للريال: لريال, a form stored before the rule, loses to الريال).
    stored, run, skip = max(((established(name), run, skip) for run, skip, _, name in readings), default=(0, "", 0))
    whole = max(established(span), established(plain))
    if stored >= config.retype_mentions and stored >= config.dominance * whole:
        return skip, _written(word, skip, run, tail)
    return None


def _readings(word: str, tail: str) -> Iterator[tuple[str, int, str, str]]:
    """Each way the first word can be proclitics + a name, shortest run first: (the run, characters of ``word`` to
    skip, the rest of the word as a name, that rest with the span's other words)."""
    letters = _letters(word)
    plain = "".join(word[i] for i in letters)
    for run in _RUNS_SHORTEST_FIRST:
        if not plain.startswith(run) or len(plain) - len(run) < (2 if tail else MIN_NAME_LETTERS):
            continue
        rest = plain[len(run) :]
        skip = letters[len(run)] if len(run) < len(letters) else len(word)  # marks on the clitic stay with it
        if run.endswith("لل"):  # ل + ال: the article's alef is not written; the name starts at the second lam
            skip, rest = letters[len(run) - 1], "ال" + rest
        yield run, skip, rest, rest + (" " + tail if tail else "")


def _written(word: str, skip: int, run: str, tail: str) -> str:
    """The name as the text writes it from ``skip`` (with ال restored after لل), marks kept, then the other words."""
    first = word[skip:]
    if run.endswith("لل"):
        first = "ا" + first  # لأمم → الأمم
    return first + (" " + tail if tail else "")


def _letters(word: str) -> list[int]:
    """Indices of the letters of a word (diacritics and tatweel left out)."""
    return [i for i, char in enumerate(word) if char.isalpha() and char != "ـ"]


def _lil_cut(word: str, cut: int) -> int | None:
    """Where the name starts when the tagger cut ``cut`` letters off a word that begins with لل (ل + ال with the
    alef unwritten: the name is ال + the rest, from the second lam), or None."""
    for run in LIL_RUNS:
        if word.startswith(run) and cut == len(run):
            return len(run) - 1
    return None


def _token_start(text: str, start: int) -> int:
    """The start of the written word a span begins in (the tagger may have cut letters off its front)."""
    while start > 0 and (text[start - 1].isalpha() or "\u064b" <= text[start - 1] <= "\u0652"):
        start -= 1
    return start


# The second half of a compound first name (فتح الله, عبد الرحمن): a name never starts with it. The tagger cut فتح off
# فتح الله غولن 151 times in the ANT news, most often behind a proclitic (بفتح الله غولن), and الله غولن was an
# entity of its own. The first halves, from the Arabic and Persian names of the news (a verb before الله in a quote,
# قال الله, is none).
_COMPOUND_TAILS = frozenset(fold_search(word) for word in ("الله", "الرحمن"))
_COMPOUND_HEADS = frozenset(
    fold_search(word)
    for word in (
        "عبد", "فتح", "نصر", "عطا", "جار", "خير", "حسب", "جاب", "فضل", "سيف", "ضيف", "رزق", "حمد", "عوض", "نعمة", "آية",
        "روح", "حبيب", "رحمة", "أسد", "لطف", "شكر", "كرم", "عزت", "قدرت", "حشمت", "نور", "فرج", "مال", "خلف", "ولي",
    )
)  # fmt: skip


def with_compound_head(mention: Mention, text: str) -> Mention:
    """A mention of several words that starts with the second half of a compound name (``الله غولن``) takes the first
    half before it (``بفتح الله غولن``: the proclitic is the cleaning's to remove)."""
    first, _, rest = mention.text.partition(" ")
    if not rest or fold_search(first) not in _COMPOUND_TAILS or mention.start < 2 or text[mention.start - 1] != " ":
        return mention
    begin = _token_start(text, mention.start - 1)
    if not is_behind_proclitic(fold_search(text[begin : mention.start - 1]), _COMPOUND_HEADS):
        return mention
    return replace(mention, text=text[begin : mention.start] + mention.text, start=begin)


def without_hashtag_marks(mention: Mention) -> Mention:
    """The mention spelled without the hashtag marks of its words (``دونالد #ترمب`` → ``دونالد ترمب``,
    ``#محمد_بن_سلمان`` → ``محمد بن سلمان``), its span starting after a leading one."""
    if "#" not in mention.text:
        return mention
    words = " ".join(hashtag_phrase(w) if w.startswith("#") else w for w in mention.text.split()).split()
    if not words:
        return mention
    lead = len(mention.text) - len(mention.text.lstrip("#_"))
    return replace(mention, text=" ".join(words), start=mention.start + lead)


def clean_mentions(
    mentions: Sequence[Mention],
    text: str,
    config: EntityConfig | None = None,
    stored: CandidateFetch | None = None,
) -> list[Mention]:
    """The mentions with their names found (see the module notes); ``text`` is what their offsets point into;
    ``stored``: the archive's entities by key (its evidence is asked once for the whole article)."""
    config = config or EntityConfig()
    mentions = [with_compound_head(without_hashtag_marks(m), text) for m in mentions]
    types: dict[str, set[str]] = {}  # what the article names, each text with the types it was tagged with
    # Words the article writes inside a name, after its first word, where no proclitic can be: فيار of أنخيل ماريا
    # فيار is the name فيار where a span starts with it, never ف + a person يار.
    inner: dict[str, set[str]] = {}
    for m in mentions:
        types.setdefault(m.text, set()).add(m.type)
        types.setdefault(m.text.partition(" ")[0], set()).add(m.type)
        for word in m.text.split()[1:]:
            inner.setdefault(word, set()).add(m.type)
    spans = []
    for mention in mentions:
        first, _, tail = mention.text.partition(" ")
        begin = _token_start(text, mention.start)
        spans.append((mention, tail, begin, text[begin : mention.start] + first))
    counts: dict[str, int] = {}
    if stored is not None:
        asked = {name for _, tail, _, word in spans for _, _, _, name in _readings(word, tail)}
        if asked:
            for _, tail, _, word in spans:
                plain = "".join(word[i] for i in _letters(word))
                asked.update((plain, plain + (" " + tail if tail else "")))
            counts = stored_mentions(asked, stored)
    out = []
    for mention, tail, begin, word in spans:
        own = {mention.text, mention.text.partition(" ")[0]}  # this very span is no evidence about itself

        def alone(name: str, kind: str | None, own: set[str] = own) -> bool:
            return name not in own and name in types and (kind is None or kind in types[name])

        if mention.type in inner.get(word, ()):
            found = None if begin == mention.start else (0, word + (" " + tail if tail else ""))
        else:
            found = name_start(word, tail, mention.type, alone, lambda name: counts.get(name, 0), config)
        if found is not None:
            skip, name = found
            out.append(replace(mention, text=name, start=begin + skip))
        elif begin < mention.start and (is_known_name(word) or is_known_name(word + " " + tail)):
            out.append(replace(mention, text=word + (" " + tail if tail else ""), start=begin))  # a wrong cut undone
        elif (lil := _lil_cut(word, mention.start - begin)) is not None:  # the tagger cut لل: the name keeps ال
            out.append(replace(mention, text="ال" + mention.text, start=begin + lil))
        else:
            out.append(mention)
    return [m for m in out if fold_search(m.text) not in NOT_NAMES and m.text != PREPOSITION_TAKEN_FOR_A_NAME]
