"""Names the tagger finds in the news, found again where it misses them (one sense per corpus).

The CRF tagger (:mod:`akhbar.analyze.ner`) learned from 2007 news finds a name in some sentences and misses it in
others: over the 30k ANT news articles it tags داعش at a third of its occurrences, so an archive of them linked
321 of the 1,011 articles that name it (نيمار 133 of 335; with the list 1,009 and 299). A spelling the tagger
itself tags at a good share of its occurrences in that corpus (``models/news_names.tsv``, built by
``tools/build_news_names.py``; the thresholds and their evidence are there) is a name wherever it stands: an
occurrence that no tagged span touches becomes a span of the type the tagger gave that spelling most. The longest
listed name wins (مانشستر سيتي over مانشستر); a proclitic on its first word stays outside the span, as the tagger
leaves it (after لل, ل + ال, the span starts after both and the mentions layer gives the name back its ال). The
list also holds names written by hand that the tagger never tags (``tools/news_names_hand.txt``: الحوثيين, in 1,202
ANT articles and not once tagged; التحالف العربي; صندوق النقد الدولي), and one of them the tagger typed MISC, its
least sure type, takes the list's (ميليشيا الحوثي: an ORG).

Where the tagger cut a listed name into another thing (``مانشستر`` of ``مانشستر سيتي``, ``الله`` of ``حزب الله``,
``ترامب`` of ``إيفانكا ترامب``) or into pieces (``الولايات`` + ``المتحدة``), the listed name replaces what it tagged
inside it (:func:`with_known_names`, :func:`_widens`): 101 spans of 1,500 ANT articles, where Manchester City counted
as the Manchester the archive shows as United, Ivanka as Trump, جيش الإسلام as الإسلام. A part that only one listed
name holds (``ميركل``, ``الغوطة``) stays as the tagger writes it everywhere: widening it too, in the articles that
spell the name out, split one entity in two, and read also lost 0.009 nDCG@5 (``bench/related.py``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from akhbar.analyze.entity_policy import LIL_RUNS, PLACE_HEADS, PROCLITIC_RUNS
from akhbar.analyze.ner import EntitySpan
from akhbar.arabic.normalize import entity_key, fold_search
from akhbar.arabic.stopwords import is_stopword

NAMES_FILE = "news_names.tsv"
LONGEST = 3  # words in the longest spelling the tagger's list holds (hand-written names may be longer)
# Proclitic runs a listed name may follow (conjunction, then preposition). ل + ال is written لل, the name's own
# article unwritten: a name of ال after لل is read apart (LIL_RUNS; للحوثيين, لليمن: 511 and 302 uses in the ANT news).
PROCLITICS = tuple(run for run in PROCLITIC_RUNS if run not in LIL_RUNS)
# After a proclitic, a one-word name shorter than this is too often the rest of another word (بحتاً is no ب + حتا,
# كسبا no ك + سبا); a name of several words is not.
MIN_AFTER_PROCLITIC = 4
# A raw word: letters with their harakat and tatweel (folding drops those, so one raw word folds to one word).
_RAW_WORD = re.compile(r"(?:[^\W\d_]|[\u064b-\u065f\u0670\u0640])+")
Word = tuple[int, int, str, str, bool]  # start, end, raw text, folded, followed by one space and another word
# A place name shaped like a nisba adjective (السعودية, سورية, مالي) right after a word of the same definiteness is
# the adjective (القنصلية السعودية, الحكومة السورية, دعم مالي); after a preposition (في مالي) or a place head (مدينة
# دبي) it is the place. So is an organization's name of several words that opens with one (المساعدات الخارجية
# الأمريكية is American foreign aid, not the State Department).
_NISBA_ENDINGS = ("يه", "ي")


@dataclass(frozen=True, slots=True)
class NewsNames:
    types: dict[str, str]  # search-folded spelling → entity type
    firsts: frozenset[str]  # the first words of the spellings: most words of a text are none, and are passed by
    # (a run of words inside a longer listed name, its type) → the entity keys of the listed names of that type
    # holding it: which names a cut word may be the rest of (مانشستر: مانشستر سيتي and مانشستر يونايتد)
    holders: dict[tuple[str, str], frozenset[str]]
    longest: int = LONGEST  # words in the longest listed name

    @classmethod
    def of(cls, types: dict[str, str]) -> NewsNames:
        holders: dict[tuple[str, str], set[str]] = {}
        for spelling, kind in types.items():
            words, key = spelling.split(), entity_key(spelling)
            for size in range(1, len(words)):
                for start in range(len(words) - size + 1):
                    holders.setdefault((" ".join(words[start : start + size]), kind), set()).add(key)
        return cls(
            types,
            frozenset(spelling.split(" ", 1)[0] for spelling in types),
            {held: frozenset(keys) for held, keys in holders.items()},
            max((len(spelling.split()) for spelling in types), default=LONGEST),
        )


@lru_cache(maxsize=1)
def shipped_news_names() -> NewsNames:
    """The names of ``models/news_names.tsv`` (``TYPE<TAB>spelling<TAB>tagged<TAB>occurrences``; lines starting with
    ``#`` are notes)."""
    types = {}
    text = resources.files("akhbar.models").joinpath(NAMES_FILE).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            kind, spelling, *_ = line.split("\t")
            types[spelling] = kind
    return NewsNames.of(types)


def _raw_offset(word: str, folded_letters: int) -> int:
    """Where, in a raw word, the letter after its first ``folded_letters`` folded letters starts (the harakat of
    those letters belong to them)."""
    seen = 0
    for index, char in enumerate(word):
        letters = len(fold_search(char))
        if seen == folded_letters and letters:
            return index
        seen += letters
    return len(word)


def known_name_spans(text: str, tagged: Sequence[EntitySpan], names: NewsNames | None = None) -> list[EntitySpan]:
    """Spans of the listed names in ``text`` that no ``tagged`` span touches, in text order (``names``: the shipped
    list by default)."""
    taken = sorted((span.start, span.end) for span in tagged)
    return [span for span in _listed(text, names) if not any(a < span.end and span.start < b for a, b in taken)]


def with_known_names(text: str, tagged: Sequence[EntitySpan], names: NewsNames | None = None) -> list[EntitySpan]:
    """The ``tagged`` spans with the listed names of ``text`` (in text order): a listed name no tagged span touches
    is added; one the tagger typed MISC takes the list's type (``ميليشيا الحوثي``: the movement, an ORG); one that
    holds tagged spans wholly inside it (none crossing its edges) replaces them when it is longer and may widen them
    (:func:`_widens`)."""
    names = shipped_news_names() if names is None else names
    listed = _listed(text, names)
    kept = list(tagged)
    for span in listed:
        touching = [t for t in kept if t.start < span.end and span.start < t.end]
        if not touching:
            kept.append(span)
        elif all(span.start <= t.start and t.end <= span.end for t in touching) and _widens(touching, span, names):
            kept = [t for t in kept if t not in touching] + [span]
    return sorted(kept, key=lambda span: span.start)


def _widens(inside: Sequence[EntitySpan], listed: EntitySpan, names: NewsNames) -> bool:
    """Whether a listed name replaces the tagged spans ``inside`` it: spans it joins (``الولايات`` + ``المتحدة``),
    unless it is a list (``أوروبا والولايات المتحدة``), or one span that alone is another thing: of another type
    (``جدة`` of ``اتحاد جدة``, ``الله`` of ``حزب الله``) or a part of several listed names of this type (``مانشستر``,
    ``ترامب`` of ``إيفانكا ترامب``). A span the one listed name holds (``ميركل`` of ``أنغيلا ميركل``, ``الغوطة`` of
    ``الغوطة الشرقية``) is that name as the tagger writes it everywhere: widened in some articles only, one entity
    would become two. The very span the tagger typed MISC, its least sure type, takes the list's type
    (``ميليشيا الحوثي``)."""
    if len(inside) == 1 and (inside[0].start, inside[0].end) == (listed.start, listed.end):
        return inside[0].type == "MISC"
    if any(word.startswith("وال") for word in listed.text.split()[1:]):
        return False
    if len(inside) > 1:
        return True
    (span,) = inside
    return span.type != listed.type or len(names.holders.get((fold_search(span.text), listed.type), ())) > 1


def _listed(text: str, names: NewsNames | None = None) -> list[EntitySpan]:
    """Every occurrence of a listed name in ``text``, the longest at each place, in text order."""
    names = shipped_news_names() if names is None else names
    if not names.types:
        return []
    matches = list(_RAW_WORD.finditer(text))
    words: list[Word] = [
        (m.start(), m.end(), m.group(), fold_search(m.group()), nxt is not None and text[m.end() : nxt.start()] == " ")
        for m, nxt in zip(matches, [*matches[1:], None], strict=True)
    ]
    out: list[EntitySpan] = []
    i = 0
    while i < len(words):
        found = _name_at(words, i, names)
        if found is None:
            i += 1
            continue
        length, clitic, kind = found
        shaped = (kind == "LOC" and length == 1) or (kind == "ORG" and length > 1)  # السعودية; الخارجية الأمريكية
        if shaped and clitic == 0 and i and _adjective_after(words[i - 1], words[i]):
            i += 1
            continue
        start = words[i][0] + _raw_offset(words[i][2], clitic)
        end = words[i + length - 1][1]
        surface = text[start:end]
        out.append(EntitySpan(kind, surface, start, end, entity_key(surface)))
        i += length
    return out


def _adjective_after(before: Word, word: Word) -> bool:
    """Whether ``word`` (a one-word place name, the first of an organization's) reads as an adjective of ``before``:
    nisba-shaped, one space after a content word (no place head) of the same definiteness."""
    folded, previous = word[3], before[3]
    return (
        before[4]
        and folded.endswith(_NISBA_ENDINGS)
        and not is_stopword(before[2])
        and previous not in PLACE_HEADS
        and previous.startswith("ال") == folded.startswith("ال")
    )


def _name_at(words: list[Word], i: int, names: NewsNames) -> tuple[int, int, str] | None:
    """The longest listed name starting at word ``i`` (its first word bare or after a proclitic run; its words
    one space apart): (words, letters of the proclitic, type), or None."""
    first = words[i][3]
    forms = [(first, 0)] + [(first[len(run) :], len(run)) for run in PROCLITICS if first.startswith(run)]
    # After لل the name is ال + the rest; its span starts after لل, as the tagger cuts it, and the mentions layer
    # gives it back its article (akhbar.analyze.mentions).
    forms += [("ال" + first[len(run) :], len(run)) for run in LIL_RUNS if first.startswith(run)]
    forms = [(form, clitic) for form, clitic in forms if form in names.firsts]
    if not forms:
        return None
    longest = 1
    while longest < names.longest and i + longest < len(words) and words[i + longest - 1][4]:
        longest += 1
    for length in range(longest, 0, -1):
        rest = [w[3] for w in words[i + 1 : i + length]]
        for form, clitic in forms:
            kind = names.types.get(" ".join([form, *rest]))
            if kind is not None and (not clitic or length > 1 or len(form) >= MIN_AFTER_PROCLITIC):
                return length, clitic, kind
    return None
