"""Mention spans are names: a proclitic left on the first word of a tagged span is cut off.

The tagger already skips the proclitics that the Arabic layer's conservative splitter cuts
(:func:`akhbar.arabic.tokenize.split_clitics`: و before a long word, any clitic before ال, a clitic before a few
listed names). That splitter never cuts a bare ب, ك, ل or ف, nor و before a short word: too many words and names
begin with those letters (بغداد, كركوك, لبنان, فرنسا, وليد). So ``لإيران``, ``بإيران``, ``ومصر``, ``لماكرون`` stay
whole, and each became an entity of its own beside ``إيران``.

Here the cut is decided by what is known of names, never by the letters alone:

1. a first word (or the whole span) that is itself a known name stays whole (``لبنان``, ``بغداد``, ``وليد``);
2. else the longest run of proclitics (``[وف]?[بكل]?``, or ``لل`` for ``ل`` + ``ال``) whose rest is a known name, or
   a name this article mentions on its own elsewhere, is cut: ``لإيران`` → ``إيران``, ``للأمم المتحدة`` →
   ``الأمم المتحدة``, ``وماكرون`` → ``ماكرون`` when ``ماكرون`` appears alone in the article;
3. else the span stays as tagged.

Known names: :func:`akhbar.analyze.entity_policy.is_known_name` (the transliteration dictionary and the NER
gazetteer). Offsets then point at the name in
the text; after ``لل`` the name's own article lost its alef in writing, so the span starts at the second lam and the
mention's spelling is written with ``ال`` (``للأمم`` → ``الأمم``, span over ``لأمم``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from akhbar.analyze.entities import Mention
from akhbar.analyze.entity_policy import PROCLITIC_RUNS, is_known_name

MIN_NAME_LETTERS = 3  # a rest shorter than this is no name to trust (ليا, بها)


def name_start(span: str, is_name: Callable[[str], bool]) -> tuple[int, str] | None:
    """Where the name starts in a tagged span that begins with proclitics: (characters to skip, the name as
    written), or None to keep the span whole. ``is_name`` says whether a text (a word or the rest of the span) is
    a name; a span whose first word or whole text is a known name (:func:`is_known_name`) is never cut."""
    first, _, tail = span.partition(" ")
    if is_known_name(first) or is_known_name(span):
        return None
    for run in PROCLITIC_RUNS:
        if not first.startswith(run):
            continue
        if run.endswith("لل"):  # ل + ال: the article's alef is not written; the name starts at the second lam
            skip, rest = len(run) - 1, "ال" + first[len(run) :]
        else:
            skip, rest = len(run), first[len(run) :]
        if len(rest) < MIN_NAME_LETTERS or not rest.isalpha():
            continue
        name = rest + (" " + tail if tail else "")
        if is_name(rest) or is_name(name):
            return skip, name
    return None


def clean_mentions(mentions: Sequence[Mention]) -> list[Mention]:
    """The mentions with proclitics cut off their names (see the module notes). A name the article also mentions
    without the clitic counts as known for the article's other mentions."""
    alone = {m.text for m in mentions} | {m.text.partition(" ")[0] for m in mentions}

    def is_name(text: str) -> bool:
        return text in alone or is_known_name(text)

    out = []
    for mention in mentions:
        found = name_start(mention.text, is_name)
        if found is None:
            out.append(mention)
        else:
            skip, name = found
            out.append(replace(mention, text=name, start=mention.start + skip))
    return out
