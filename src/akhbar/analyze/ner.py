"""Named-entity recognition for Arabic news: a linear-chain CRF (python-crfsuite) trained on ANERcorp's train split.

Types: PERS, LOC, ORG, MISC, tagged IOB2. The model (``models/ner.crfsuite``) and its resources (``ner_gazetteer.txt``,
``ner_clusters.txt``, ``ner_brown.txt``) ship in the package; how they were built and what each part is worth is in
``models/PROVENANCE.md``.

Features of a word (see :class:`FeatureExtractor`): the raw and search-folded word, its light stem and its
proclitic-stripped form (``وبوتين`` → ``بوتين``), 1-3 letter prefixes/suffixes of the folded word, its shape, typed
gazetteer hits (single words and multi-word names, as B/I), a hand list of trigger words (titles, place and
organisation heads, verbs of saying), unsupervised word clusters learned from unlabeled news (ANT: SVD clusters) and
from news and Wikipedia (Brown cluster paths), and every proclitic reading of the word (``بأفغانستان`` →
``أفغانستان``: its gazetteer types, the clusters of the likeliest reading); the same features, fewer of them, of the
word on each side (``FeatureConfig.window``: ±1). :meth:`NerTagger.entities` then reads a text as one document: a name
found in one place is marked where its words stand untagged elsewhere (:meth:`NerTagger.propagate`).

Speed: feature extraction in Python dominates, so everything about one word is computed once and cached as plain
lists of strings - the word's own features and, per window offset, the features it lends its neighbours - and a
token's feature list is a concatenation of cached lists plus the few features that depend on the sentence.
"""

from __future__ import annotations

import gzip
import os
import re
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pycrfsuite

from akhbar.arabic.normalize import entity_key, fold_search
from akhbar.arabic.sentences import sentence_spans
from akhbar.arabic.stem import light_stem
from akhbar.arabic.tokenize import Token, split_clitics, tokenize

__all__ = [
    "ENTITY_TYPES",
    "EntitySpan",
    "FeatureConfig",
    "FeatureExtractor",
    "NerTagger",
    "Prf",
    "Scores",
    "chunks",
    "evaluate",
    "read_conll",
    "score",
]

ENTITY_TYPES = ("PERS", "LOC", "ORG", "MISC")
MODEL_FILE = "ner.crfsuite"
# Words whose features are kept (about 2 KB each): the first ones seen are the frequent ones; the cap bounds memory.
FEATURE_CACHE_WORDS = 100_000
GAZETTEER_FILE = "ner_gazetteer.txt"
CLUSTERS_FILE = "ner_clusters.txt"
BROWN_FILE = "ner_brown.txt"
LEXICON_FILE = "ner_lexicon.txt"
CLUSTERS2_FILE = "ner_clusters2.txt"
AUX_FILE = "ner_aux.crfsuite"

Sentence = tuple[list[str], list[str]]  # tokens, IOB2 tags

# ---------------------------------------------------------------------------------------------------------------------
# Trigger words (written by the akhbar team): words that announce a name right after them (titles, heads of
# place and organisation names) or right before them (verbs of saying follow the speaker in VSO order too).
# Matched on the search-folded, proclitic-stripped word.
# ---------------------------------------------------------------------------------------------------------------------
_TRIGGERS_TEXT = {
    "TITLE": "الرئيس رئيس الرئيسة رئيسة وزير الوزير وزيرة الوزيرة الملك ملك الملكة الأمير أمير الأميرة الشيخ الشيخة"
    " السيد السيدة الدكتور الدكتورة المستشار المستشارة النائب الجنرال العقيد اللواء العميد الفريق المشير الإمام"
    " البابا الأمين نائب زعيم الزعيم المتحدث قائد القائد الكاتب الكاتبة الشاعر الفنان الفنانة المدرب اللاعب"
    " السفير المبعوث المدير مدير الحاكم حاكم القاضي المحامي الصحفي المطرب المخرج الممثل الممثلة الروائي",
    "PLACE": "مدينة المدينة العاصمة عاصمة محافظة ولاية منطقة بلدة قرية إقليم جزيرة مقاطعة مخيم حي شارع نهر جبل"
    " ميناء مطار بلاد دولة",
    "ORG": "شركة الشركة وكالة جامعة منظمة حزب مجلس اتحاد هيئة جمعية بنك مصرف صحيفة حركة جبهة نادي وزارة"
    " مؤسسة مجموعة معهد مركز لجنة محكمة قناة إذاعة تلفزيون جيش مجلة منتدى اللجنة المنظمة الحزب الاتحاد",
    "SAY": "قال أعلن أكد أضاف صرح ذكر أوضح أشار قالت أعلنت أكدت أضافت صرحت ذكرت أوضحت أشارت يقول تقول نقل",
    "NISBA": "الأمريكي الأميركي الروسي الفرنسي البريطاني الصيني الإيراني الإسرائيلي الفلسطيني المصري السوري"
    " العراقي اللبناني السعودي التركي الألماني الأردني اليمني الليبي السوداني المغربي الجزائري التونسي القطري"
    " الكويتي الإماراتي الياباني الهندي الباكستاني الأفغاني الأوكراني الكوري الإيطالي الإسباني",
}
TRIGGERS: dict[str, str] = {fold_search(w): kind for kind, text in _TRIGGERS_TEXT.items() for w in text.split()}

# Proclitic pieces split_clitics may return before the stem; ال is an article, kept in entity spans.
_PROCLITICS = frozenset("وفبكلس")
_ARABIC = re.compile("[\u0600-\u06ff]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
_DIGIT = re.compile(r"\d")
_LETTER = re.compile(r"[^\W\d_]")


# ---------------------------------------------------------------------------------------------------------------------
# Resources
# ---------------------------------------------------------------------------------------------------------------------


def _model_text(name: str) -> str:
    # Experiments (tools/ner_experiments.py) try other resource files without touching the shipped ones.
    override = os.environ.get("AKHBAR_NER_RESOURCES")
    if override and (Path(override) / name).is_file():
        return (Path(override) / name).read_text(encoding="utf-8")
    return resources.files("akhbar.models").joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def shipped_gazetteer() -> dict[str, frozenset[str]]:
    """Folded name (one word or several, space-joined) → the entity types it is listed under."""
    types: dict[str, set[str]] = {}
    for line in _model_text(GAZETTEER_FILE).splitlines():
        if line and not line.startswith("#"):
            kind, _, name = line.partition("\t")
            types.setdefault(name, set()).add(kind)
    return {name: frozenset(kinds) for name, kinds in types.items()}


@lru_cache(maxsize=1)
def shipped_clusters() -> dict[str, tuple[str, ...]]:
    """Folded word → its cluster ids, coarse to fine."""
    out: dict[str, tuple[str, ...]] = {}
    for line in _model_text(CLUSTERS_FILE).splitlines():
        if line and not line.startswith("#"):
            word, *ids = line.split("\t")
            out[word] = tuple(ids)
    return out


def _model_path(name: str) -> Path:
    override = os.environ.get("AKHBAR_NER_RESOURCES")
    if override and (Path(override) / name).is_file():
        return Path(override) / name
    with resources.as_file(resources.files("akhbar.models").joinpath(name)) as path:
        return Path(path)


@lru_cache(maxsize=1)
def shipped_clusters2() -> dict[str, tuple[str, ...]]:
    """A second clustering (news and Wikipedia): folded word → its cluster ids, coarse to fine."""
    out: dict[str, tuple[str, ...]] = {}
    for line in _model_text(CLUSTERS2_FILE).splitlines():
        if line and not line.startswith("#"):
            word, *ids = line.split("\t")
            out[word] = tuple(ids)
    return out


@lru_cache(maxsize=1)
def shipped_brown() -> dict[str, str]:
    """Folded word → its Brown cluster path (a string of 0/1)."""
    out: dict[str, str] = {}
    for line in _model_text(BROWN_FILE).splitlines():
        if line and not line.startswith("#"):
            word, _, path = line.partition("\t")
            out[word] = path
    return out


@lru_cache(maxsize=1)
def shipped_lexicon() -> dict[str, tuple[str, str]]:
    """Folded word → (zipf frequency, share written with the article in tenths or ``-``)."""
    out: dict[str, tuple[str, str]] = {}
    for line in _model_text(LEXICON_FILE).splitlines():
        if line and not line.startswith("#"):
            word, zipf, definite = line.split("\t")
            out[word] = (zipf, definite)
    return out


# ---------------------------------------------------------------------------------------------------------------------
# Features
# ---------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FeatureConfig:
    """Which feature groups are on (for the ablation; the shipped model uses the defaults)."""

    gazetteer: bool = True
    clusters: bool = True
    triggers: bool = True
    window: int = 1
    strip: bool = True  # every proclitic reading of the word (و ف ب ل ك ال لل): its gazetteer types and clusters
    brown: bool = True  # Brown cluster path prefixes
    lexicon: bool = False  # frequency and article share of the word (wordfreq): tried, not kept (PROVENANCE.md)
    brown_prefixes: tuple[int, ...] = (4, 6, 10, 20)
    auxiliary: bool = False  # tags of a CRF trained on other annotated text (ner_aux.crfsuite) as features
    clusters2: bool = False  # a second SVD clustering, of news and Wikipedia (ner_clusters2.txt)
    heads: int = 0  # the nearest ORG/PLACE/TITLE trigger up to this many words to the left (a name's head word)
    lite: bool = False  # stacked stage 2 reads a few of each word's own features, not all of stage 1's
    marginals: bool = False  # stacked stage 2: stage 1's marginal of its own tag, bucketed


def _shape(word: str) -> str:
    if _ARABIC.search(word):
        return "AD" if _DIGIT.search(word) else "A"
    if _LATIN.search(word):
        return "LU" if word[:1].isupper() else "L"
    if _DIGIT.search(word):
        return "D"
    return "P" if not _LETTER.search(word) else "O"


# Proclitic strings that may lead a folded word, and what is left to look up: the rest, and the rest with the article
# where the prefix ends in it (لل: the lam of the article is the second lam).
_STRIP_PREFIXES: tuple[tuple[str, bool], ...] = tuple(
    sorted(
        {
            (conj + prep + art, bool(art))
            for conj in ("", "و", "ف")
            for prep in ("", "ب", "ل", "ك")
            for art in ("", "ال")
            if conj + prep + art
        }
        | {(conj + "لل", True) for conj in ("", "و", "ف")},
        key=lambda pa: len(pa[0]),
    )
)


def strip_readings(folded: str) -> list[tuple[str, str]]:
    """(prefix, rest) for every proclitic reading of a folded word that leaves at least 2 letters, shortest prefix
    first; a reading that had the article gives the rest with and without it."""
    out: list[tuple[str, str]] = []
    for prefix, article in _STRIP_PREFIXES:
        if folded.startswith(prefix) and len(folded) - len(prefix) >= 2:
            rest = folded[len(prefix) :]
            out.append((prefix, rest))
            if article:
                out.append((prefix, "ال" + rest))
    return out


# The word's own features a light stage 2 reads (FeatureConfig.lite).
_LITE_FEATURES = frozenset(
    [
        "b",
        "f",
        "bare",
        "cl",
        "art",
        "sh",
        "s2",
        "p2",
        "g",
        "sg",
        "tr",
        "c0",
        "c1",
        "c2",
        "bc0",
        "bc1",
        "d0",
        "d1",
        "d2",
        "br4",
        "br6",
        "br10",
        "sbr4",
        "sbr6",
    ]
)


def _length_bucket(n: int) -> str:
    return str(n) if n <= 3 else "4-5" if n <= 5 else "6-8" if n <= 8 else "9+"


def clitic_offset(word: str) -> int:
    """Characters of proclitics (و ف ب ك ل س) at the start of ``word`` that an entity span should skip.

    The article stays (``والبحرين`` → ``البحرين``), except after لل, where its alef was dropped in writing and only
    the lam is left: ``للبحرين`` → ``بحرين``.
    """
    pieces = split_clitics(word)
    offset = 0
    for piece in pieces[:-1]:
        if piece in _PROCLITICS or (len(piece) > 1 and piece[0] in _PROCLITICS and not piece.startswith("ال")):
            offset += len(piece)  # a clitic letter (with any diacritic on it)
        elif piece.startswith("ال") and not word.startswith("ال", offset):
            offset += len(piece) - 1  # elided article: only its lam is in the word
        else:
            break
    return offset


class FeatureExtractor:
    """Turns token sequences into crfsuite feature lists; per-word parts are cached (the vocabulary repeats)."""

    def __init__(self, config: FeatureConfig | None = None) -> None:
        self.config = config or FeatureConfig()
        self._gaz = shipped_gazetteer() if self.config.gazetteer else {}
        self._clusters = shipped_clusters() if self.config.clusters else {}
        self._brown = shipped_brown() if self.config.brown else {}
        self._clusters2 = shipped_clusters2() if self.config.clusters2 else {}
        self._aux: pycrfsuite.Tagger | None = None
        self._aux_lock = threading.Lock()
        if self.config.auxiliary:
            self._aux = pycrfsuite.Tagger()
            self._aux.open(str(_model_path(AUX_FILE)))
        self._lexicon = shipped_lexicon() if self.config.lexicon else {}
        # First word of each multi-word gazetteer name → the longest name length starting with it.
        self._multi_first: dict[str, int] = {}
        for name in self._gaz:
            parts = name.split(" ")
            if len(parts) > 1:
                self._multi_first[parts[0]] = max(self._multi_first.get(parts[0], 0), len(parts))
        self._cache: dict[str, tuple[list[str], tuple[list[str], ...], str, str]] = {}
        self._offsets = [o for o in range(-self.config.window, self.config.window + 1) if o]
        self._lite: dict[str, list[str]] = {}

    def _forms(self, word: str) -> tuple[str, str, str]:
        """(folded word, folded word without proclitics but with its article, folded stem word)."""
        folded = fold_search(word)
        pieces = split_clitics(word)
        if len(pieces) == 1:
            return folded, folded, folded
        stem_word = fold_search(pieces[-1])
        with_article = "ال" + stem_word if "ال" in pieces[:-1] else stem_word
        return folded, with_article, stem_word

    def _gaz_types(self, forms: Iterable[str]) -> list[str]:
        kinds: set[str] = set()
        for form in forms:
            kinds |= self._gaz.get(form, frozenset())
        return sorted(kinds)

    def _word(self, word: str) -> tuple[list[str], tuple[list[str], ...], str, str]:
        """(own features, features lent to the neighbour at each window offset, folded, proclitic-stripped)."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        folded, bare, stem_word = self._forms(word)
        shape = _shape(word)
        own = ["b", "w=" + word, "f=" + folded, "st=" + light_stem(folded), "sh=" + shape]
        own.append("len=" + _length_bucket(len(folded)))
        # The proclitic-stripped form always: وبوتين then shares a feature with بوتين, which training saw.
        own.append("bare=" + bare)
        if bare != folded:
            own.append("cl=" + folded[: len(folded) - len(bare)])
        if stem_word != bare:
            own.append("art")
        # Prefixes of the word without clitics or article (the clitics have their own feature); suffixes of the word.
        for n in (1, 2, 3):
            if len(stem_word) > n:
                own.append(f"p{n}=" + stem_word[:n])
            if len(folded) > n:
                own.append(f"s{n}=" + folded[-n:])
        # Neighbour view: fewer features, the ones that say what kind of word this is.
        # Words two away get fewer still.
        near = ["f=" + folded, "sh=" + shape, "bare=" + bare]
        far = ["bare=" + bare]
        if self.config.gazetteer:
            kinds = ["g=" + k for k in self._gaz_types({folded, bare, stem_word})]
            own += kinds
            near += kinds
            far += kinds
        if self.config.triggers:
            trigger = TRIGGERS.get(bare) or TRIGGERS.get(stem_word) or TRIGGERS.get(folded)
            if trigger:
                own.append("tr=" + trigger)
                near.append("tr=" + trigger)
                far.append("tr=" + trigger)
        if self.config.clusters:
            ids = self._clusters.get(folded)
            if ids:
                own += [f"c{i}=" + c for i, c in enumerate(ids)]
            else:
                own.append("c=none")
            # Clusters of the stripped form too: the clitic-free word is more frequent and better clustered.
            bare_ids = self._clusters.get(bare) or self._clusters.get(stem_word) or ids
            if bare_ids:
                if bare != folded:
                    own += [f"bc{i}=" + c for i, c in enumerate(bare_ids)]
                near += [f"bc{i}=" + c for i, c in enumerate(bare_ids[:2])]
                far.append("bc0=" + bare_ids[0])
        if self.config.clusters2:
            ids2 = self._clusters2.get(bare) or self._clusters2.get(folded) or self._clusters2.get(stem_word)
            if ids2:
                own += [f"d{i}=" + c for i, c in enumerate(ids2)]
                near.append("d1=" + ids2[1])
            else:
                own.append("d=none")
        readings = strip_readings(folded) if (self.config.strip or self.config.lexicon or self.config.brown) else []
        # The reading most likely meant: the most frequent rest in the lexicon (else one in the clusters), when it is
        # more frequent than the word as written.
        best = ""
        if any(len(r) >= 3 for _p, r in readings):

            def weight(w: str) -> float:
                entry = self._lexicon.get(w)
                return float(entry[0]) if entry else 0.5 if w in self._clusters else 0.0

            # Short rests are frequent words by chance (وليد → يد): at least 3 letters, and each stripped letter costs.
            top = max((weight(r) - 0.25 * len(p), r) for p, r in readings if len(r) >= 3)
            if top[0] > weight(folded):
                best = top[1]
        if self.config.strip:
            strip_kinds = ["sg=" + k for k in self._gaz_types(rest for _prefix, rest in readings)]
            own += strip_kinds
            near += strip_kinds
            if best:
                ids = self._clusters.get(best)
                if ids:
                    own += [f"sc{i}=" + c for i, c in enumerate(ids)]
                    near.append("sc1=" + ids[1])
        if self.config.brown:
            path = self._brown.get(bare) or self._brown.get(folded)
            if path:
                own += [f"br{n}=" + path[:n] for n in self.config.brown_prefixes]
                near += [f"br{n}=" + path[:n] for n in self.config.brown_prefixes[:2]]
                far.append(f"br{self.config.brown_prefixes[0]}=" + path[: self.config.brown_prefixes[0]])
            else:
                own.append("br=none")
            if best and best != bare:
                spath = self._brown.get(best)
                if spath:
                    own += [f"sbr{n}=" + spath[:n] for n in self.config.brown_prefixes]
        if self.config.lexicon:
            entry = self._lexicon.get(folded)
            own.append("z=" + entry[0] if entry else "z=none")
            near.append("z=" + entry[0] if entry else "z=none")
            if entry:
                own.append("df=" + entry[1])
            bare_entry = self._lexicon.get(best or bare)
            if bare_entry and (best or bare) != folded:
                own.append("sz=" + bare_entry[0])
                own.append("sdf=" + bare_entry[1])
        lent = tuple([f"{o}:{f}" for f in (near if abs(o) == 1 else far)] for o in self._offsets)
        result = (own, lent, folded, bare)
        if len(self._cache) < FEATURE_CACHE_WORDS:
            self._cache[word] = result
        return result

    def _multiword(self, folded: Sequence[str], bare: Sequence[str]) -> list[str | None]:
        """``B-LOC`` / ``I-LOC`` ... per token from greedy longest matches of multi-word gazetteer names."""
        marks: list[str | None] = [None] * len(folded)
        i = 0
        while i < len(folded):
            matched = 0
            for first in {folded[i], bare[i]}:
                longest = self._multi_first.get(first, 0)
                for n in range(min(longest, len(folded) - i), 1, -1):
                    kinds = self._gaz.get(" ".join([first, *folded[i + 1 : i + n]]))
                    if kinds:
                        kind = min(kinds)
                        marks[i] = "B-" + kind
                        for j in range(i + 1, i + n):
                            marks[j] = "I-" + kind
                        matched = max(matched, n)
                        break
            i += matched or 1
        return marks

    def stage2(self, tokens: Sequence[str], stage1: list[list[str]], extra: list[list[str]]) -> list[list[str]]:
        """Stage-2 feature lists of a sentence: stage 1's (``FeatureConfig.lite``: a few of each word's own) plus the
        document features."""
        if not self.config.lite:
            return [f + e for f, e in zip(stage1, extra, strict=True)]
        out = []
        for token, e in zip(tokens, extra, strict=True):
            lite = self._lite.get(token)
            if lite is None:
                lite = [f for f in self._word(token)[0] if f.partition("=")[0] in _LITE_FEATURES]
                if len(self._lite) < FEATURE_CACHE_WORDS:
                    self._lite[token] = lite
            out.append(lite + e)
        return out

    def document_features(
        self,
        sentences: Sequence[Sequence[str]],
        tags: Sequence[Sequence[str]],
        confidence: Sequence[Sequence[float]] | None = None,
    ) -> list[list[list[str]]]:
        """Stage-2 features of every token of a document from stage 1's tags of the whole document (Krishnan &
        Manning 2006): the token's own and its neighbours' stage-1 tags, the majority stage-1 tag of the same word
        elsewhere in the document and the entity types it takes there, the majority type of the same name (the
        same words tagged as one chunk) elsewhere, the types of longer names elsewhere that contain the word, and
        (``confidence``) stage 1's marginal probability of its own tag, bucketed."""
        word = self._word
        keys = [[word(t)[3] for t in tokens] for tokens in sentences]
        token_votes: dict[str, dict[str, int]] = {}
        name_votes: dict[tuple[str, ...], dict[str, int]] = {}
        inside: dict[str, dict[str, int]] = {}
        spans_of = [chunks(row) for row in tags]
        for ks, row, spans in zip(keys, tags, spans_of, strict=True):
            for k, y in zip(ks, row, strict=True):
                votes = token_votes.setdefault(k, {})
                votes[y] = votes.get(y, 0) + 1
            for kind, a, b in spans:
                votes = name_votes.setdefault(tuple(ks[a:b]), {})
                votes[kind] = votes.get(kind, 0) + 1
                if b - a >= 2:
                    for k in set(ks[a:b]):
                        votes = inside.setdefault(k, {})
                        votes[kind] = votes.get(kind, 0) + 1
        out: list[list[list[str]]] = []
        for s_i, (ks, row, spans) in enumerate(zip(keys, tags, spans_of, strict=True)):
            n = len(ks)
            rows: list[list[str]] = []
            for i, (k, y) in enumerate(zip(ks, row, strict=True)):
                feats = ["y=" + y, "y-1=" + (row[i - 1] if i else "BOS"), "y+1=" + (row[i + 1] if i + 1 < n else "EOS")]
                if confidence is not None:
                    feats.append(f"ym={y}|{min(9, int(confidence[s_i][i] * 10))}")
                votes = token_votes[k]
                if len(k) >= 2 and (len(votes) > 1 or votes[y] > 1) and not k.isdigit():
                    # The word elsewhere in the document (most words are met once: no copy for them).
                    others = {t: c - (t == y) for t, c in votes.items() if c - (t == y) > 0}
                    if others:
                        top = max(sorted(others), key=others.__getitem__)
                        feats.append("dm=" + top)
                        feats.append(f"ydm={y}|{top}")
                        feats += ["dt=" + t[2:] for t in others if t != "O"]
                        if "O" in others and len(others) > 1:
                            feats.append("dtO")
                if k in inside and len(k) >= 2 and not k.isdigit():
                    feats += ["sup=" + kind for kind in inside[k]]
                rows.append(feats)
            for kind, a, b in spans:
                others = dict(name_votes[tuple(ks[a:b])])
                others[kind] -= 1
                others = {t: c for t, c in others.items() if c > 0}
                if others:
                    top = max(sorted(others), key=others.__getitem__)
                    for j in range(a, b):
                        rows[j].append("em=" + top)
                        rows[j].append(f"yem={kind}|{top}")
            out.append(rows)
        return out

    def sentence(self, tokens: Sequence[str]) -> list[list[str]]:
        """Feature lists of the tokens of one sentence."""
        parts = [self._word(t) for t in tokens]
        n = len(parts)
        offsets = self._offsets
        heads = self.config.heads
        kinds: list[str] = []
        if heads:
            for token, part in zip(tokens, parts, strict=True):
                kind = TRIGGERS.get(part[3], "")
                if kind in ("ORG", "PLACE", "TITLE", "SAY"):
                    kinds.append(kind)
                else:
                    kinds.append("P" if not _LETTER.search(token) else "")
        feats: list[list[str]] = []
        for i, (own, _lent, folded, _bare) in enumerate(parts):
            row = own.copy()
            for k, o in enumerate(offsets):
                j = i + o
                if 0 <= j < n:
                    row += parts[j][1][k]
                elif j == -1 or j == n:
                    row.append(f"{o}:{'BOS' if j < 0 else 'EOS'}")
            if i:
                row.append("bg=" + parts[i - 1][2] + "|" + folded)
            if heads:
                for j in range(i - 1, max(-1, i - 1 - heads), -1):
                    kind = kinds[j]
                    if kind == "P" or kind == "SAY":
                        break
                    if kind:
                        row.append(f"hd={kind}{i - j}")
                        break
            feats.append(row)
        if self._multi_first:
            for i, mark in enumerate(self._multiword([p[2] for p in parts], [p[3] for p in parts])):
                if mark:
                    feats[i].append("mg=" + mark)
        if self._aux is not None:
            with self._aux_lock:
                aux = self._aux.tag(feats)
            for i, row in enumerate(feats):
                row.append("ax=" + aux[i])
                row.append("ax-1=" + (aux[i - 1] if i else "BOS"))
                row.append("ax+1=" + (aux[i + 1] if i + 1 < n else "EOS"))
        return feats


# ---------------------------------------------------------------------------------------------------------------------
# Tagging
# ---------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EntitySpan:
    type: str
    text: str  # == input[start:end]
    start: int
    end: int
    key: str  # entity_key(text): groups spellings of one name


def chunks(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """Entity chunks ``(type, first token, end token exclusive)`` of an IOB2 sequence, read the conlleval way: an
    ``I-X`` after ``O`` or after another type starts a chunk too."""
    out: list[tuple[str, int, int]] = []
    kind: str | None = None
    start = 0
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, t = tag.partition("-")
        continues = prefix == "I" and t == kind
        if kind is not None and not continues:
            out.append((kind, start, i))
            kind = None
        if prefix in ("B", "I") and not continues:
            kind, start = t, i
    return out


class NerTagger:
    """CRF tagger. ``NerTagger.default()`` is the shipped model, loaded once per process."""

    _default: NerTagger | None = None
    _lock = threading.Lock()

    def __init__(self, model_path: Path | str, config: FeatureConfig | None = None) -> None:
        self.model_path = Path(model_path)
        self.features = FeatureExtractor(config)
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(self.model_path))
        # The stacked second stage, where one was trained beside the model (ner.crfsuite → ner.stage2.crfsuite).
        self._stage2: pycrfsuite.Tagger | None = None
        second = stage2_path(self.model_path)
        if second.is_file():
            self._stage2 = pycrfsuite.Tagger()
            self._stage2.open(str(second))
        # A crfsuite tagger holds per-call state: one call at a time when threads share the process-wide tagger.
        self._tag_lock = threading.Lock()

    @classmethod
    def default(cls) -> NerTagger:
        with cls._lock:
            if cls._default is None:
                # The model is a file crfsuite opens by path (it mmaps it): ask importlib.resources for a real one.
                ref = resources.files("akhbar.models").joinpath(MODEL_FILE)
                with resources.as_file(ref) as path:
                    cls._default = cls(path)
            return cls._default

    def tag_tokens(self, tokens: list[str]) -> list[str]:
        """IOB2 tags of one sentence's tokens (the sentence is the whole document for a stacked stage 2)."""
        if not tokens:
            return []
        return self.tag_document([tokens], consistency=False)[0]

    def stage1(self, sentences: Sequence[Sequence[str]]) -> tuple[list[list[list[str]]], list[list[str]]]:
        """(features, stage-1 tags) of each sentence."""
        features = [self.features.sentence(tokens) if tokens else [] for tokens in sentences]
        with self._tag_lock:
            tags = [list(self._tagger.tag(f)) if f else [] for f in features]
        return features, tags

    def tag_document(self, sentences: Sequence[list[str]], *, consistency: bool = True) -> list[list[str]]:
        """IOB2 tags of the sentences of one document: each sentence tagged (by a stacked model: stage 1, then stage
        2 reading stage 1's tags of the whole document), then names found in one place marked where the same words
        stand untagged elsewhere in the document (:meth:`propagate`; ``consistency=False``: not)."""
        features, tags = self.stage1(sentences)
        if self._stage2 is not None:
            confidence = self._confidence(features, tags) if self.features.config.marginals else None
            extra = self.features.document_features(sentences, tags, confidence)
            with self._tag_lock:
                tags = [
                    list(self._stage2.tag(self.features.stage2(tokens, fs, es))) if fs else []
                    for tokens, fs, es in zip(sentences, features, extra, strict=True)
                ]
        return self.propagate(sentences, tags) if consistency else tags

    def _confidence(self, features: list[list[list[str]]], tags: list[list[str]]) -> list[list[float]]:
        out: list[list[float]] = []
        with self._tag_lock:
            for fs, row in zip(features, tags, strict=True):
                if not fs:
                    out.append([])
                    continue
                self._tagger.set(fs)
                out.append([self._tagger.marginal(y, i) for i, y in enumerate(row)])
        return out

    def tag_document_runs(
        self, sentences: Sequence[list[str]], size: int, *, consistency: bool = True
    ) -> list[list[str]]:
        """Tags of consecutive sentences read as documents of ``size`` sentences each (corpora without document
        marks)."""
        out: list[list[str]] = []
        for start in range(0, len(sentences), size):
            out += self.tag_document(sentences[start : start + size], consistency=consistency)
        return out

    def propagate(self, sentences: Sequence[Sequence[str]], tags: Sequence[Sequence[str]]) -> list[list[str]]:
        """Document-level consistency: every name the tagger found (its words search-folded, the first without
        proclitics) is marked, with its most frequent type, where the same words appear with ``O`` tags elsewhere in
        the document, longest names first; the last word (4+ letters) of a person's full name counts as a weaker
        name of that person (a later mention by surname). Measured in models/PROVENANCE.md (NER)."""
        word = self.features._word
        names: dict[tuple[str, ...], dict[str, float]] = {}
        for tokens, row in zip(sentences, tags, strict=True):
            for kind, a, b in chunks(row):
                key = (word(tokens[a])[3], *(word(t)[2] for t in tokens[a + 1 : b]))
                if len(key) == 1 and len(key[0]) < 3:
                    continue
                votes = names.setdefault(key, {})
                votes[kind] = votes.get(kind, 0.0) + 1.0
                if kind == "PERS" and b - a >= 2 and len(key[-1]) >= 4:
                    votes = names.setdefault((key[-1],), {})
                    votes["PERS"] = votes.get("PERS", 0.0) + 0.5
        if not names:
            return [list(row) for row in tags]
        longest = max(len(k) for k in names)
        firsts = {k[0] for k in names}
        out = []
        for tokens, row in zip(sentences, tags, strict=True):
            new = list(row)
            n = len(tokens)
            i = 0
            while i < n:
                step = 1
                if new[i] == "O" and word(tokens[i])[3] in firsts:
                    head = word(tokens[i])[3]
                    for m in range(min(longest, n - i), 0, -1):
                        found = names.get((head, *(word(t)[2] for t in tokens[i + 1 : i + m])))
                        if (
                            found
                            and all(t == "O" for t in new[i : i + m])
                            and (i + m == n or not new[i + m].startswith("I-"))
                        ):
                            kind = max(sorted(found), key=found.__getitem__)
                            new[i] = "B-" + kind
                            for j in range(i + 1, i + m):
                                new[j] = "I-" + kind
                            step = m
                            break
                i += step
            out.append(new)
        return out

    def entities(self, text: str) -> list[EntitySpan]:
        """Entities of raw text, with character offsets into ``text``; a proclitic on the first word is left out.
        The text is one document for :meth:`propagate`."""
        tokens = tokenize(text)
        sentences: list[list[Token]] = []
        k = 0
        for _s_start, s_end in sentence_spans(text):
            sentence: list[Token] = []
            while k < len(tokens) and tokens[k].start < s_end:
                sentence.append(tokens[k])
                k += 1
            if sentence:
                sentences.append(sentence)
        if k < len(tokens):  # tokens outside any sentence span (cannot happen today; cheap to be safe)
            sentences.append(tokens[k:])
        tags = self.tag_document([[t.text for t in sentence] for sentence in sentences])
        spans: list[EntitySpan] = []
        for sentence, row in zip(sentences, tags, strict=True):
            spans += self._sentence_entities(text, sentence, row)
        return spans

    def _sentence_entities(self, text: str, sentence: list[Token], tags: list[str]) -> list[EntitySpan]:
        out = []
        for kind, a, b in chunks(tags):
            first = sentence[a]
            start = first.start + clitic_offset(first.text)
            # A name written with a glued hyphen is one word (كيم جونج-أون): ANERcorp has almost no such names, so
            # the model stops at the hyphen; the span takes the rest of the compound.
            while (
                b + 1 < len(sentence)
                and sentence[b].text == "-"
                and _glued(sentence[b - 1], sentence[b], sentence[b + 1])
            ):
                b += 2
            # A span never ends on punctuation the model took in (انفوغرافيك.. : the dots are no part of a name).
            while b - 1 > a and not any(char.isalnum() for char in sentence[b - 1].text):
                b -= 1
            end = sentence[b - 1].end
            if start >= end or not any(char.isalnum() for char in text[start:end]):
                continue
            surface = text[start:end]
            out.append(EntitySpan(kind, surface, start, end, entity_key(surface)))
        return out


def stage2_path(model_path: Path | str) -> Path:
    """Where a stacked model's second stage lies beside its first: ``ner.crfsuite`` → ``ner.stage2.crfsuite``."""
    path = Path(model_path)
    return path.with_name(path.stem + ".stage2" + path.suffix)


def _glued(left: Token, hyphen: Token, right: Token) -> bool:
    return left.end == hyphen.start and hyphen.end == right.start and right.text[:1].isalpha()


# ---------------------------------------------------------------------------------------------------------------------
# Scoring (conlleval: exact-match chunks, micro-averaged)
# ---------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Prf:
    precision: float
    recall: float
    f1: float
    correct: int
    predicted: int
    gold: int

    @classmethod
    def of(cls, correct: int, predicted: int, gold: int) -> Prf:
        p = correct / predicted if predicted else 0.0
        r = correct / gold if gold else 0.0
        return cls(p, r, 2 * p * r / (p + r) if p + r else 0.0, correct, predicted, gold)


@dataclass(slots=True)
class Scores:
    overall: Prf
    per_type: dict[str, Prf] = field(default_factory=dict)
    tokens: int = 0
    seconds: float = 0.0

    @property
    def tokens_per_s(self) -> float:
        return self.tokens / self.seconds if self.seconds else 0.0

    def lines(self) -> list[str]:
        """Per-type lines, then the overall line (the CLI's last line)."""
        out = [
            f"{t:<5} precision={s.precision:.4f} recall={s.recall:.4f} f1={s.f1:.4f} "
            f"gold={s.gold} predicted={s.predicted}"
            for t, s in sorted(self.per_type.items())
        ]
        o = self.overall
        out.append(
            f"overall precision={o.precision:.4f} recall={o.recall:.4f} f1={o.f1:.4f} "
            f"tokens_per_s={round(self.tokens_per_s)}"
        )
        return out


def score(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> Scores:
    """conlleval scores of predicted tag sequences against gold ones (same sentences, same lengths)."""
    correct: dict[str, int] = {}
    n_pred: dict[str, int] = {}
    n_gold: dict[str, int] = {}
    for g, p in zip(gold, predicted, strict=True):
        gold_chunks = set(chunks(g))
        for kind, *_ in gold_chunks:
            n_gold[kind] = n_gold.get(kind, 0) + 1
        for chunk in chunks(p):
            n_pred[chunk[0]] = n_pred.get(chunk[0], 0) + 1
            if chunk in gold_chunks:
                correct[chunk[0]] = correct.get(chunk[0], 0) + 1
    kinds = sorted(set(n_gold) | set(n_pred))
    per_type = {k: Prf.of(correct.get(k, 0), n_pred.get(k, 0), n_gold.get(k, 0)) for k in kinds}
    overall = Prf.of(sum(correct.values()), sum(n_pred.values()), sum(n_gold.values()))
    return Scores(overall, per_type)


def read_conll(path: Path | str) -> list[Sentence]:
    """Sentences of a ``token TAG`` file (blank line between sentences), gzipped when its name ends in ``.gz``."""
    sentences: list[Sentence] = []
    tokens: list[str] = []
    tags: list[str] = []
    with gzip.open(path, "rt", encoding="utf-8") if str(path).endswith(".gz") else open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2:
                tokens.append(parts[0])
                tags.append(parts[-1])
            elif tokens:
                sentences.append((tokens, tags))
                tokens, tags = [], []
    if tokens:
        sentences.append((tokens, tags))
    return sentences


# Documents of a CoNLL file without document marks (ANERcorp has none): runs of this many consecutive sentences.
DOCUMENT_SENTENCES = 20


def evaluate_sentences(
    tagger: NerTagger, sentences: Sequence[Sentence], *, document_sentences: int | None = DOCUMENT_SENTENCES
) -> Scores:
    """Tag ``sentences`` (timing feature extraction + CRF) and score them; runs of ``document_sentences``
    consecutive sentences are tagged as one document (:meth:`NerTagger.tag_document`), ``None``: each sentence on
    its own (no document-level consistency)."""
    t0 = time.perf_counter()
    if document_sentences:
        predicted = tagger.tag_document_runs([tokens for tokens, _ in sentences], document_sentences)
    else:
        predicted = [tagger.tag_tokens(tokens) for tokens, _ in sentences]
    seconds = time.perf_counter() - t0
    scores = score([tags for _, tags in sentences], predicted)
    scores.tokens = sum(len(tokens) for tokens, _ in sentences)
    scores.seconds = seconds
    return scores


def evaluate(conll_path: Path | str, *, tagger: NerTagger | None = None, last_fraction: float | None = None) -> Scores:
    """Score the tagger (default: the shipped model) on a CoNLL file, or on its last ``last_fraction`` of sentences
    (``0.1`` = our dev split of ANERcorp train)."""
    sentences = read_conll(conll_path)
    if last_fraction is not None:
        sentences = sentences[len(sentences) - dev_size(len(sentences), last_fraction) :]
    return evaluate_sentences(tagger or NerTagger.default(), sentences)


def dev_size(n_sentences: int, fraction: float) -> int:
    """Sentences in the dev split: the last ``round(fraction * n)``."""
    return round(n_sentences * fraction)
