"""Latin romanization of Arabic names, and the Arabic spellings a Latin query should find.

``romanize("بيونج يانج") == "Pyongyang"``; ``arabic_candidates("Kim Jong Un")[0] == "كيم جونغ اون"``.

Two shipped artefacts, both rebuilt by ``tools/build_translit.py`` (see ``models/PROVENANCE.md``):

* ``models/translit.tsv``: ``spelling<TAB>latin<TAB>count`` rows (spelling search-folded, see
  :func:`akhbar.arabic.normalize.fold_search`), from Wikidata person-name words, Google's Wikipedia
  transliterations, the world-cities gazetteer and the team's hand list of news names (count 100000, so it wins).
  Looked up first: whole multi-word names, then shorter spans, word by word. Then the press names (a fourth column
  ``press``): CLDR country and currency names and the team's hand list of names as the English-language press writes
  them (``محمد بن سلمان`` → Mohammed bin Salman, ``الأمم المتحدة`` → United Nations); :func:`romanize` reads them
  before the name dictionary, and so does a Latin query (``Hezbollah`` → ``حزب الله``, no letter of which the
  character model could guess); name signatures never do.
* ``models/translit_model.json``: a joint-sequence ("graphone") character model. Each Arabic letter is aligned to a
  Latin chunk of 0–3 letters (EM over the training pairs); a Witten-Bell smoothed n-gram over those (letter, chunk)
  pairs scores a spelling. Decoding Arabic → Latin gives the romanization of words the dictionary lacks; the same
  model decoded Latin → Arabic proposes Arabic spellings for Latin queries.

Arabic names have no short vowels, so a character model has to guess them; the dictionary is always preferred.
"""

from __future__ import annotations

import heapq
import json
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from akhbar.arabic.normalize import dedup_tokens, fold_search

MODELS = Path(__file__).resolve().parents[1] / "models"
DICTIONARY_PATH = MODELS / "translit.tsv"
MODEL_PATH = MODELS / "translit_model.json"

# Names in the dictionary have at most this many words ("رجب طيب أردوغان"); longer spans are never looked up.
MAX_SPAN = 4
# Press names have at most this many words ("محمد بن زايد آل نهيان").
PRESS_SPAN = 6
# Latin chunks one Arabic letter may stand for ("ش" → "sch"); the build uses the same bound.
MAX_CHUNK = 3
BEAM = 12
# Candidates per query word before phrases are combined, and phrase candidates returned; a name of the press list
# keeps up to PRESS_SPELLINGS of its listed spellings (written by hand, not guessed: ميليشيات الحوثي is Houthis too).
PER_WORD = 5
MAX_CANDIDATES = 5
PRESS_SPELLINGS = 10
# Bounds that keep a Latin query's expansion small whatever is typed (a user's query reaches this from every search
# box). Names have at most a handful of words ("Mohammed bin Salman Al Saud" is 5); a longer run of Latin words is
# not a name and gets no phrase candidates. The character model's work grows with the word's length; the longest
# Latin name words are ~15 letters ("Abdulrahman", "Muhammadiyah"), so longer "words" are not decoded.
MAX_NAME_WORDS = 8
MAX_MODEL_WORD = 24
# Scores the character model caches before it starts afresh: the working set of one word's decoding is a few
# thousand; 2M entries held ~400 MB per server process after a day of varied Latin queries and entity pages.
LOGP_CACHE = 200_000
# Count of the hand list's rows in translit.tsv (the build adds a little so that list order ranks spellings).
HAND_COUNT = 100_000

# Letters the training data (almost) never has, mapped to the Arabic letters writers use for the same sound.
_FOREIGN_LETTERS = str.maketrans({"گ": "غ", "چ": "تش", "پ": "ب", "ڤ": "ف", "ژ": "ج", "ڨ": "غ", "ڭ": "غ"})
# Spelling-variant folding for the fallback look-up: /g/ is غ, ج or ك depending on the writer (cf. entity_key, which
# also drops long vowels: too lossy here, it would make محمود a spelling of محمد).
_VARIANT_LETTERS = str.maketrans({"غ": "ج", "ك": "ج"})
_DOUBLED = re.compile(r"(.)\1+")
# Alef with hamza, marked before folding so that a written article (ال) can be told from ألمانيا's أل.
_HAMZA_MARK = "\u0675"
_HAMZA_ALEF = str.maketrans(dict.fromkeys("أإآ", _HAMZA_MARK))
# The article as the press writes it before a surname ("al-Assad", "el-Sisi").
_ARTICLE = re.compile(r"(?:al|el)-(?=\w)")
# ... and a press name's first word as a Latin query may leave it out ("Houthi" for al-Houthi).
_ARTICLE_WORD = re.compile(r"\A(?:al|el)-(?=\w)", re.IGNORECASE)
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
_LATIN_WORD = re.compile(r"[a-z]+")


# --- keys ---------------------------------------------------------------------------------------------------------


def arabic_words(name: str) -> list[str]:
    """The words of a name in the dedup layer (hamza carriers folded, ة→ه, ى→ي), foreign letters mapped."""
    return dedup_tokens(name.translate(_FOREIGN_LETTERS))


def arabic_key(name: str) -> str:
    """Dictionary key of an Arabic name: its dedup-layer words joined by one space."""
    return " ".join(arabic_words(name))


def variant_key(name: str) -> str:
    """Looser key: spaces removed, /g/ letters and تش/ش folded, doubled letters collapsed, so that ``بيونج يانج``,
    ``بيونغيانغ`` and ``بيونغ يانغ`` meet."""
    key = "".join(arabic_words(name)).replace("تش", "ش").translate(_VARIANT_LETTERS)
    return _DOUBLED.sub(r"\1", key)


def latin_key(latin: str) -> str:
    """Lower-case ASCII letters only: accents stripped, spaces, hyphens and apostrophes dropped."""
    decomposed = unicodedata.normalize("NFKD", latin.lower())
    return "".join(_LATIN_WORD.findall(decomposed))


def latin_keys(latin: str) -> list[str]:
    """Look-up keys of a Latin name, strictest first: the exact key, then the key with doubled letters collapsed
    (``Lloyd`` = ``Loyd``, ``Zelenskyy`` = ``Zelensky``). Empty for a string with no Latin letter."""
    exact = latin_key(latin)
    if not exact:
        return []
    loose = _DOUBLED.sub(r"\1", exact)
    return [exact] if loose == exact else [exact, loose]


def _title(latin: str) -> str:
    """Capitalize each word (and each part after a hyphen) of an all-lower-case form; keep a hand-cased one."""
    if latin != latin.lower():
        return latin
    return re.sub(r"(^|[\s-])([a-z])", lambda m: m.group(1) + m.group(2).upper(), latin)


# --- the dictionary -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Dictionary:
    exact: dict[str, str]  # arabic_key → most frequent Latin form
    variant: dict[str, str]  # variant_key → most frequent Latin form
    inverse: dict[str, list[str]]  # latin key → search-folded Arabic spellings, most frequent first
    inverse_loose: dict[str, list[str]]  # the same under the loose Latin key
    # Press names (rows marked ``press``): whole names as the English-language press writes them. Kept apart from
    # ``exact`` so that name_signature (single words of ``exact``) is the same with or without them.
    press: dict[str, str] = field(default_factory=dict)  # arabic_key → Latin form
    press_variant: dict[str, str] = field(default_factory=dict)  # press_key → Latin form
    # Latin key of a press name (and of the name without its article: ``al-Houthi`` is also ``Houthi``) → its
    # search-folded Arabic spellings, first listed first: what a Latin query names before any other table is asked.
    press_inverse: dict[str, list[str]] = field(default_factory=dict)


_PLAIN = re.compile(r"[A-Za-z]+(?:[ -][A-Za-z]+)*")


def _best(counts: dict[str, Counter[str]]) -> dict[str, str]:
    """Most frequent Latin form per key. Forms are grouped by their Latin key (``abbas`` = ```abbas``), and forms with
    accents or signs count half: English news writes ``Abbas``, not the French ``Abbès``. Ties go to the plain, then
    the alphabetically first form, so that a rebuild is deterministic."""
    best = {}
    for key, forms in counts.items():
        groups: defaultdict[str, float] = defaultdict(float)
        for form, n in forms.items():
            groups[latin_key(form)] += n if _PLAIN.fullmatch(form) else n / 2
        group = min(groups.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        members = [(form, n) for form, n in forms.items() if latin_key(form) == group]
        best[key] = min(members, key=lambda kv: (not _PLAIN.fullmatch(kv[0]), -kv[1], kv[0]))[0]
    return best


def _ranked(counts: dict[str, Counter[str]], limit: int = 8) -> dict[str, list[str]]:
    return {k: [s for s, _ in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]] for k, c in counts.items()}


def press_key(name: str) -> str:
    """Loosest key, for press names only: :func:`variant_key`, and in a name of several words a leading ``ال`` of
    each word dropped first, so that ``أمم المتحدة`` (as a tagger may cut it) finds ``الأمم المتحدة``. A single word
    keeps its article: ``الجزيرة`` is Al Jazeera, ``جزيرة`` an island."""
    words = arabic_words(name)
    if len(words) > 1:
        words = [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in words]
    return variant_key(" ".join(words))


@cache
def _dictionary(path: Path = DICTIONARY_PATH) -> _Dictionary:
    exact: dict[str, Counter[str]] = defaultdict(Counter)
    variant: dict[str, Counter[str]] = defaultdict(Counter)
    inverse: dict[str, Counter[str]] = defaultdict(Counter)
    inverse_loose: dict[str, Counter[str]] = defaultdict(Counter)
    press: dict[str, Counter[str]] = defaultdict(Counter)
    press_variant: dict[str, Counter[str]] = defaultdict(Counter)
    press_rows: list[tuple[str, str, int]] = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            spelling, latin, count_text, *kind = line.rstrip("\n").split("\t")
            count = int(count_text)
            if kind == ["press"]:
                press[arabic_key(spelling)][latin] += count
                press_variant[press_key(spelling)][latin] += count
                press_rows.append((spelling, latin, count))
                continue
            exact[arabic_key(spelling)][latin] += count
            # The variant key is only safe for whole names: on single corpus words it is right 6% of the time where
            # the character model is right 21% (bench/translit.py, Wikidata held-out words).
            if count >= HAND_COUNT or " " in spelling:
                variant[variant_key(spelling)][latin] += count
            keys = latin_keys(latin)
            if keys:
                inverse[keys[0]][spelling] += count
                inverse_loose[keys[-1]][spelling] += count
    shown = _best(press)
    return _Dictionary(
        _best(exact),
        _best(variant),
        _ranked(inverse),
        _ranked(inverse_loose),
        shown,
        _best(press_variant),
        _ranked(_press_inverse(press_rows, shown), limit=PRESS_SPELLINGS),
    )


def _press_inverse(rows: list[tuple[str, str, int]], shown: dict[str, str]) -> dict[str, Counter[str]]:
    """Latin key → the Arabic spellings a Latin query of it finds: the spelling of each press row with that Latin form
    (or that form without a leading ``al-``: "Houthi" is al-Houthi's), and every spelling shown under the same name
    as that one: ``ISIS``, a row of ``داعش`` (shown as Islamic State), finds ``تنظيم الدولة`` too."""
    count: dict[str, int] = {}
    for spelling, _, n in rows:
        count[spelling] = max(n, count.get(spelling, 0))
    name_of = {spelling: latin_key(shown[arabic_key(spelling)]) for spelling in count}
    by_name: defaultdict[str, list[str]] = defaultdict(list)
    for spelling, name in name_of.items():
        by_name[name].append(spelling)
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for spelling, latin, _ in rows:
        for form in dict.fromkeys((latin, _ARTICLE_WORD.sub("", latin))):
            if key := latin_key(form):
                for same in by_name[name_of[spelling]]:
                    out[key][same] = count[same]
    return out


def _press_lookup(name: str) -> str | None:
    """A press name by exact key, or for a name of several words by :func:`press_key` (on one word the loose key joins
    names that differ: ``عبدالله`` and ``عبدالإله`` once doubled letters are collapsed)."""
    table = _dictionary()
    key = arabic_key(name)
    found = table.press.get(key)
    if found is None and " " in key:
        found = table.press_variant.get(press_key(name))
    return found


def _word_lookup(name: str) -> str | None:
    table = _dictionary()
    found = table.exact.get(arabic_key(name))
    if found is None:
        found = table.variant.get(variant_key(name))
    return found


def dictionary_lookup(name: str) -> str | None:
    """The dictionary's Latin form of a whole name, or None: a press name first (exact key, then for several words the
    loose :func:`press_key`), then the name dictionary (exact key, then variant key)."""
    found = _press_lookup(name)
    return found if found is not None else _word_lookup(name)


def known_spelling(name: str) -> bool:
    """Whether the dictionary has this very spelling (its dedup-layer key; a name word or a press name such as
    ``بي بي سي``), no looser variant: what telling a proclitic from a name's first letter needs (``وواشنطن`` is
    و + واشنطن, though its variant key is واشنطن's)."""
    table, key = _dictionary(), arabic_key(name)
    return key in table.exact or key in table.press


# --- the character model ------------------------------------------------------------------------------------------

History = tuple[int, ...]
_Beam = dict[tuple[History, bool], tuple[float, str]]  # (history, last token silent) → (log p, Arabic so far)


class _CharModel:
    """Joint n-gram over (Arabic letter, Latin chunk) tokens; token 0 is the word boundary."""

    def __init__(self, data: dict[str, object]) -> None:
        self.order = int(data["order"])  # type: ignore[call-overload]
        tokens: list[list[str]] = data["tokens"]  # type: ignore[assignment]
        self.tokens = [(a, c) for a, c in tokens]
        self.floor = math.log(1.0 / (len(self.tokens) * 100))
        self.prob: dict[History, dict[int, float]] = {}
        for ctx, entries in data["prob"].items():  # type: ignore[attr-defined]
            self.prob[tuple(map(int, ctx.split()))] = {int(w): lp for w, lp in entries}
        self.bow: dict[History, float] = {
            tuple(map(int, ctx.split())): b
            for ctx, b in data["bow"].items()  # type: ignore[attr-defined]
        }
        unigram = self.prob.get((), {})
        by_arabic: dict[str, list[int]] = defaultdict(list)
        by_latin: dict[str, list[int]] = defaultdict(list)
        for i, (a, c) in enumerate(self.tokens):
            if i and i in unigram:
                by_arabic[a].append(i)
                if c:
                    by_latin[c].append(i)
        # Few, likely chunks per letter keep decoding fast; the pruning in the build already dropped rare tokens.
        self.by_arabic = {a: sorted(ids, key=lambda i: -unigram[i])[:10] for a, ids in by_arabic.items()}
        self.by_latin = {c: sorted(ids, key=lambda i: -unigram[i])[:8] for c, ids in by_latin.items()}
        eps = [i for i, (a, c) in enumerate(self.tokens) if i and not c and i in unigram]
        self.silent = sorted(eps, key=lambda i: -unigram[i])[:6]
        self._cache: dict[tuple[History, int], float] = {}

    def logp(self, history: History, token: int) -> float:
        cached = self._cache.get((history, token))
        if cached is not None:
            return cached
        acc = 0.0
        h = history
        while True:
            table = self.prob.get(h)
            if table is not None and token in table:
                result = acc + table[token]
                break
            if not h:
                result = acc + self.floor
                break
            acc += self.bow.get(h, 0.0)
            h = h[1:]
        if len(self._cache) > LOGP_CACHE:
            self._cache.clear()
        self._cache[(history, token)] = result
        return result

    def _push(self, history: History, token: int) -> History:
        return (*history, token)[1 - self.order :]

    def romanize(self, word: str) -> str:
        """Most likely Latin spelling (lower case) of one dedup-layer Arabic word."""
        beam: dict[History, tuple[float, str]] = {(0,): (0.0, "")}
        for letter in word:
            ids = self.by_arabic.get(letter)
            if not ids:
                continue  # a letter never seen in training (digit, foreign letter): romanize the rest
            grown: dict[History, tuple[float, str]] = {}
            for history, (score, out) in beam.items():
                for t in ids:
                    s = score + self.logp(history, t)
                    h = self._push(history, t)
                    if h not in grown or grown[h][0] < s:
                        grown[h] = (s, out + self.tokens[t][1])
            beam = dict(sorted(grown.items(), key=lambda kv: -kv[1][0])[:BEAM])
        return max(beam.items(), key=lambda kv: kv[1][0] + self.logp(kv[0], 0))[1][1]

    def _extend(self, target: _Beam, history: History, score: float, out: str, token: int, silent: bool) -> None:
        """Add ``token`` after a hypothesis, keeping the best hypothesis per state (Viterbi recombination)."""
        key = (self._push(history, token), silent)
        s = score + self.logp(history, token)
        if key not in target or target[key][0] < s:
            target[key] = (s, out + self.tokens[token][0])

    def arabic(self, latin: str, n: int) -> list[str]:
        """Up to ``n`` likely Arabic spellings (dedup layer) of one Latin key, best first."""
        m = len(latin)
        # beams[j]: hypotheses that have consumed latin[:j]. A state is a history and whether the last token was
        # silent (a letter with no Latin chunk); two silent letters in a row are never allowed, which also keeps the
        # search finite.
        beams: list[_Beam] = [{} for _ in range(m + 1)]
        beams[0][((0,), False)] = (0.0, "")
        for j in range(m + 1):
            current = beams[j]
            for (history, silent), (score, out) in list(current.items()):
                if not silent:
                    for t in self.silent:
                        self._extend(current, history, score, out, t, True)
            current = beams[j] = dict(sorted(current.items(), key=lambda kv: -kv[1][0])[: BEAM * 2])
            for (history, _), (score, out) in current.items():
                for k in range(1, min(MAX_CHUNK, m - j) + 1):
                    for t in self.by_latin.get(latin[j : j + k], ()):
                        self._extend(beams[j + k], history, score, out, t, False)
        finals: dict[str, float] = {}
        for (history, _), (score, out) in beams[m].items():
            s = score + self.logp(history, 0)
            if out and finals.get(out, -math.inf) < s:
                finals[out] = s
        return [out for out, _ in sorted(finals.items(), key=lambda kv: -kv[1])[:n]]


@cache
def _model(path: Path = MODEL_PATH) -> _CharModel:
    return _CharModel(json.loads(path.read_text(encoding="utf-8")))


def model_romanize(word: str) -> str:
    """The character model alone on one Arabic word (lower case); for evaluation and words the dictionary lacks."""
    return "".join(_model().romanize(w) for w in arabic_words(word))


# --- public API ---------------------------------------------------------------------------------------------------


def _is_arabic(word: str) -> bool:
    return bool(_ARABIC_LETTER.search(word))


def _name_words(name: str) -> list[tuple[str, bool]]:
    """The words of :func:`arabic_words`, each with whether it is written with the article ``ال`` (a plain alef:
    ``ألمانيا`` folds to ``المانيا`` but has no article)."""
    marked = dedup_tokens(name.translate(_FOREIGN_LETTERS).translate(_HAMZA_ALEF))
    return [(w.replace(_HAMZA_MARK, "ا"), w.startswith("ال")) for w in marked]


def _stem_form(stem: str) -> str:
    """Latin form of a word without its article: a press name, the name dictionary, else the character model."""
    found = _press_lookup(stem)
    if found is None:
        found = _word_lookup(stem)
    return _title(found if found is not None else _model().romanize(stem))


def _abd(rest: str) -> str:
    """``عبد`` + ``ال…`` (``عبد العزيز``, ``عبدالعزيز``): "Abdul" and the name as one word, as Gulf names are written
    (Abdulaziz, Abdulrahman); the dictionaries' whole names win (Abdullah, Abdel Fattah el-Sisi)."""
    found = _press_lookup("عبد " + rest) or _word_lookup("عبد " + rest) or _press_lookup("عبد" + rest)
    if found is not None:
        return _title(found)
    return "Abdul" + _stem_form(rest[2:]).lower().replace(" ", "")


def _compose(words: list[tuple[str, bool]], i: int) -> tuple[str, int]:
    """Latin form of the word at ``i`` that no whole name covers, and how many words it took (1, or 2 for
    ``عبد`` + name). Particles as the press writes them; a surname's article as "al-"."""
    word, article = words[i]
    following = words[i + 1][0] if i + 1 < len(words) and _is_arabic(words[i + 1][0]) else ""
    found = _press_lookup(word)
    if found is not None:
        if not i and _ARTICLE.match(found):  # a surname alone: al-Assad → Assad
            found = found[3:4].upper() + found[4:]
        return _title(found), 1
    if word == "عبد" and following.startswith("ال") and len(following) > 3:
        return _abd(following), 2
    if word.startswith("عبدال") and len(word) > 6:
        return _abd(word[3:]), 1
    if word in ("بن", "ابن"):  # Mohammed bin Salman; Ibn Saud, Bin Laden at the start
        return ("bin" if i else "Ibn" if word == "ابن" else "Bin"), 1
    if word == "بنت" and i and following:
        return "bint", 1
    if word == "ابو" and following:
        return "Abu", 1
    if word == "ال" and following:  # آل سعود: the family
        return "Al", 1
    stem = word[2:] if article and len(word) > 3 else ""
    if stem and i:  # a surname's article: Adel al-Jubeir
        return "al-" + _stem_form(stem), 1
    found = _word_lookup(word)
    if found is not None:
        return _title(found), 1
    if stem:  # a name that starts with its article drops it, as the press does for places (Hodeidah, Basra)
        return _stem_form(stem), 1
    return _title(_model().romanize(word)), 1


@lru_cache(maxsize=200_000)
def romanize(name: str) -> str:
    """Usual English spelling of an Arabic name: ``كيم جونج-أون`` → ``Kim Jong Un``, ``محمد بن سلمان`` → ``Mohammed bin
    Salman``, ``الأمم المتحدة`` → ``United Nations``, ``موسكو`` → ``Moscow``.

    The longest word spans found in the dictionaries win (whole name first; at each length a press name before the name
    dictionary). Other words are composed as the English-language press writes them: ``بن``/``ابن`` between names
    "bin", ``عبد ال…`` "Abdul…" (one word), ``أبو`` "Abu", ``آل`` "Al", the article of a surname after the first word
    "al-" (a name that starts with its article drops it); then the name dictionary word by word, then the character
    model. Words in other scripts are kept. Each word is capitalized (particles inside the name excepted).
    """
    words = _name_words(name)
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i][0]
        if not _is_arabic(word):
            out.append(_title(word))
            i += 1
            continue
        for j in range(min(len(words), i + PRESS_SPAN), i + 1, -1):
            span = " ".join(w for w, _ in words[i:j])
            found = _press_lookup(span)
            if found is None and j - i <= MAX_SPAN and _is_arabic(span):
                found = _word_lookup(span)
            if found is not None:
                out.append(_title(found))
                i = j
                break
        else:
            latin, used = _compose(words, i)
            out.append(latin)
            i += used
    result = " ".join(w for w in out if w)
    return result[:1].upper() + result[1:]  # a name shown alone starts with a capital ("Bin Laden")


# --- telling near-miss names apart -------------------------------------------------------------------------------

# Latin spelling differences that are one name in different hands (Haley/Haily, Kane/Cane, Moussa/Musa): doubled
# letters, a final h, ou/oo/u, ee/y/i and c/k/q. Vowel qualities stay: Salah is not Saleh, Jamal is not Jamil.
_LATIN_SAME = (("ou", "u"), ("oo", "u"), ("ee", "i"), ("y", "i"), ("k", "c"), ("q", "c"))


def _loose_latin(latin: str) -> str:
    key = _DOUBLED.sub(r"\1", latin_key(latin))
    key = key[:-1] if key.endswith("h") and len(key) > 2 else key
    for old, new in _LATIN_SAME:
        key = key.replace(old, new)
    return key


@lru_cache(maxsize=100_000)
def name_signature(name: str) -> tuple[str | None, ...]:
    """Per word of a name, the loose Latin form the dictionary knows for that exact spelling, or None.

    The entity key folds long vowels away, so ``صلاح`` and ``صالح``, ``محمد`` and ``محمود``, ``كمال`` and ``جمال``
    share a key; the dictionary knows them as different names (Salah/Saleh, Muhammad/Mahmoud, Kamal/Jamal). The
    signature keeps what the key drops, where the dictionary can vouch for it.
    """
    table = _dictionary().exact
    forms = []
    for word in arabic_words(name):
        found = table.get(word)
        forms.append(_loose_latin(found) if found else None)
    return tuple(forms)


def signatures_agree(a: tuple[str | None, ...], b: tuple[str | None, ...]) -> bool:
    """False when two spellings (with one entity key) are known to be different names: in a word both have in the
    dictionary, the Latin forms differ. An unknown word agrees with anything, and so do names of other lengths
    (``عبد الله``/``عبدالله``): the key has already judged those. On 206 variant groups and 161 near-miss pairs from
    ANT (``bench/entities.py``), key + signature keeps 11% of near-misses merged (key alone 62%) and splits 13% of
    same-name pairs (key alone 6%)."""
    if len(a) != len(b):
        return True
    return all(x is None or y is None or x == y for x, y in zip(a, b, strict=True))


def merge_signatures(a: tuple[str | None, ...], b: tuple[str | None, ...]) -> tuple[str | None, ...]:
    """What an entity knows of its name once spellings with both signatures are in it (known forms win)."""
    if len(a) != len(b):
        return a
    return tuple(x if x is not None else y for x, y in zip(a, b, strict=True))


def _word_candidates(latin: str) -> list[str]:
    """Arabic spellings of one Latin span: the dictionary's, then the character model's (single words only)."""
    table = _dictionary()
    keys = latin_keys(latin)
    found: list[str] = []
    if keys:
        found = list(table.inverse.get(keys[0], ()))
        for spelling in table.inverse_loose.get(keys[-1], ()):
            if spelling not in found:
                found.append(spelling)
    if len(found) < PER_WORD and keys and " " not in latin.strip() and len(keys[0]) <= MAX_MODEL_WORD:
        for spelling in _model().arabic(keys[0], PER_WORD):
            if all(arabic_key(spelling) != arabic_key(f) for f in found):
                found.append(spelling)
    return found[:PER_WORD]


@lru_cache(maxsize=50_000)
def _candidates(query: str) -> tuple[str, ...]:
    words = query.split()
    if not words:
        return ()
    # Longest spans the dictionaries know first ("kim jong un" as one name), at each length a press name first
    # ("Hezbollah" is حزب الله, "Syrian Observatory" المرصد السوري: no letter of them says so), then word by word.
    table = _dictionary()
    parts: list[list[str]] = []
    i = 0
    while i < len(words):
        for j in range(min(len(words), i + PRESS_SPAN), i, -1):
            keys = latin_keys(" ".join(words[i:j]))
            press = next((table.press_inverse[k] for k in keys if k in table.press_inverse), [])
            names = table.inverse.get(keys[0], []) if keys else []
            if press:  # and the name dictionary's other spellings of that name (بيونغيانغ beside بيونغ يانغ), no more
                variants = {variant_key(p) for p in press}
                names = [n for n in names if variant_key(n) in variants]
            elif not 1 < j - i <= MAX_SPAN:  # one word alone is looked up by _word_candidates
                names = []
            if found := list(dict.fromkeys([*press, *names])):
                parts.append(found[: PRESS_SPELLINGS if press else PER_WORD])
                i = j
                break
        else:
            word_found = _word_candidates(words[i])
            if word_found:
                parts.append(word_found)
            i += 1
    if not parts:
        return ()
    out: list[str] = []
    most = max(MAX_CANDIDATES, *(len(part) for part in parts))  # every listed spelling of a one-part name
    for combo in _best_combinations(parts, most):
        phrase = fold_search(" ".join(combo))
        if phrase not in out:
            out.append(phrase)
        if len(out) == most:
            break
    return tuple(out)


def _best_combinations(parts: list[list[str]], most: int = MAX_CANDIDATES) -> Iterator[tuple[str, ...]]:
    """One spelling per part, best first: phrases ranked by the sum of their parts' ranks, ties in product order.

    Best-first over the grid of rank tuples (a heap of frontier tuples), so taking the top few costs a few steps per
    phrase, never the product of all parts' candidates (5**n phrases for n words). At most ``most * 4`` phrases are
    produced: folding can make two phrases one, and a few spares cover that."""
    start = (0,) * len(parts)
    frontier = [(0, start)]
    seen = {start}
    produced = 0
    while frontier and produced < most * 4:
        cost, ranks = heapq.heappop(frontier)
        yield tuple(part[r] for part, r in zip(parts, ranks, strict=True))
        produced += 1
        for i, r in enumerate(ranks):
            if r + 1 < len(parts[i]):
                following = (*ranks[:i], r + 1, *ranks[i + 1 :])
                if following not in seen:
                    seen.add(following)
                    heapq.heappush(frontier, (cost + 1, following))


def arabic_candidates(latin_query: str) -> list[str]:
    """Likely Arabic spellings (search-folded) of a Latin name, best first, at most five (a name of the press list:
    each of its listed spellings, up to ``PRESS_SPELLINGS``):
    ``arabic_candidates("Kim Jong Un")`` → ``["كيم جونغ اون", "كيم جونج اون", ...]``. Words with no Latin letter
    are ignored; the result is empty when nothing is left, or when more than ``MAX_NAME_WORDS`` words are (that is
    no name; a search splits such a run into words, see :func:`akhbar.store.search.parse_query`)."""
    words = [w for w in re.split(r"[\s\-_]+", latin_query) if latin_key(w)]
    if len(words) > MAX_NAME_WORDS:
        return []
    return list(_candidates(" ".join(words)))


__all__ = [
    "arabic_candidates",
    "arabic_key",
    "arabic_words",
    "dictionary_lookup",
    "latin_key",
    "latin_keys",
    "merge_signatures",
    "model_romanize",
    "name_signature",
    "romanize",
    "signatures_agree",
    "variant_key",
]
