"""Mention spans are names: where a tagged span begins inside a word, or on proclitics, the name is found by what is
known of names, never by the letters alone.

The tagger cuts the proclitics that the Arabic layer's conservative splitter finds
(:func:`akhbar.arabic.tokenize.split_clitics`): و before a long word, any clitic before ال, future س before a verb
shape. That leaves two kinds of error. It never cuts a bare ب, ك, ل or ف, nor و before a short word (too many names
begin with those letters: بغداد, كركوك, لبنان, فرنسا, وليد), so ``لإيران``, ``بإيران``, ``ومصر`` stayed whole, each an
entity beside ``إيران``; and a cut it makes can be wrong (``سنجار`` → ``نجار``, ``للسعودية`` → ``سعودية`` without
its article, ``للولايات`` → ``ولايات``).

So the first word of every span is looked at whole, as the text writes it, with whatever the tagger cut:

1. a word (or the whole span) that is itself a known name stays whole (``لبنان``, ``بغداد``, ``سنجار``);
2. else the shortest run of proclitics (``[وف]?[بكل]``, ``[وف]?لل`` for ل + ال) whose rest is a name is cut: a name
   this article mentions on its own elsewhere, a known name of the span's type, or a known name of several words
   (``لإيران`` → ``إيران``, ``للأمم المتحدة`` → ``الأمم المتحدة``, ``وماكرون`` → ``ماكرون`` when ``ماكرون`` also
   stands alone in the article). Shortest first: ``وكريم`` is و + كريم, not وك + ريم;
3. else the tagger's span stands.

Known names: :func:`akhbar.analyze.entity_policy.known_as` (the NER gazetteer by type; the transliteration dictionary
for people). A rest that is a known name of another type is no evidence (``بايرن`` is no ب + a person ايرن). After
``لل`` the name's own article lost its alef in writing: the span starts at the second lam and the mention's spelling
is written with ``ال`` (``للأمم`` → ``الأمم``, span over ``لأمم``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from akhbar.analyze.entities import Mention
from akhbar.analyze.entity_policy import PROCLITIC_RUNS, is_known_name, known_as

MIN_NAME_LETTERS = 3  # a rest shorter than this is no name to trust (ليا, بها)
# Shortest run first (see the module notes).
_RUNS_SHORTEST_FIRST = tuple(sorted(PROCLITIC_RUNS, key=len))


def name_start(word: str, tail: str, kind: str, alone: Callable[[str], bool]) -> tuple[int, str] | None:
    """Where the name starts in the first word of a span (``tail``: the span's other words): (characters of
    ``word`` to skip, the name as written), or None to keep the word whole. ``alone`` says whether the article
    names a text on its own elsewhere."""
    span = word + (" " + tail if tail else "")
    if is_known_name(word) or is_known_name(span):
        return None
    for run in _RUNS_SHORTEST_FIRST:
        if not word.startswith(run):
            continue
        if run.endswith("لل"):  # ل + ال: the article's alef is not written; the name starts at the second lam
            skip, rest = len(run) - 1, "ال" + word[len(run) :]
        else:
            skip, rest = len(run), word[len(run) :]
        if len(rest) < MIN_NAME_LETTERS or not rest.isalpha():
            continue
        name = rest + (" " + tail if tail else "")
        if alone(name) or alone(rest) or known_as(name, kind) or (tail and is_known_name(name)):
            return skip, name
        if run.endswith("لل") and (is_known_name(rest) or is_known_name(name)):  # ال + a name: any type will do
            return skip, name
        if not tail and known_as(rest, kind):
            return skip, name
    return None


def _lil_cut(word: str, cut: int) -> int | None:
    """Where the name starts when the tagger cut ``cut`` letters off a word that begins with لل (ل + ال with the
    alef unwritten: the name is ال + the rest, from the second lam), or None."""
    for run in ("ولل", "فلل", "لل"):
        if word.startswith(run) and cut == len(run):
            return len(run) - 1
    return None


def _token_start(text: str, start: int) -> int:
    """The start of the written word a span begins in (the tagger may have cut letters off its front)."""
    while start > 0 and (text[start - 1].isalpha() or "\u064b" <= text[start - 1] <= "\u0652"):
        start -= 1
    return start


def clean_mentions(mentions: Sequence[Mention], text: str) -> list[Mention]:
    """The mentions with their names found (see the module notes); ``text`` is what their offsets point into."""
    names = {m.text for m in mentions} | {m.text.partition(" ")[0] for m in mentions}
    out = []
    for mention in mentions:
        first, _, tail = mention.text.partition(" ")
        begin = _token_start(text, mention.start)
        word = text[begin : mention.start] + first
        others = names - {mention.text, first}  # names the article mentions alone, but for this very span
        found = name_start(word, tail, mention.type, others.__contains__)
        if found is not None:
            skip, name = found
            out.append(replace(mention, text=name, start=begin + skip))
        elif begin < mention.start and (is_known_name(word) or is_known_name(word + " " + tail)):
            out.append(replace(mention, text=word + (" " + tail if tail else ""), start=begin))  # a wrong cut undone
        elif (lil := _lil_cut(word, mention.start - begin)) is not None:  # the tagger cut لل: the name keeps ال
            out.append(replace(mention, text="ال" + mention.text, start=begin + lil))
        else:
            out.append(mention)
    return out
