"""Arabic news sentence splitting: character spans, no models, one regex pass plus small checks per terminator.

Rules
-----
* A sentence ends after a terminator run ``.`` ``!`` ``?`` ``؟`` ``…`` (runs such as ``؟!`` or ``...`` stay together)
  and any closing quotes/brackets right after it (``"`` ``»`` ``”`` ``’`` ``)`` ``]``), and at every line break:
  news paragraphs are lines, and a line break always ends a sentence.
* A terminator only ends a sentence when what follows it is the end of the text, whitespace, an opening quote or
  bracket, or an Arabic letter (a missing space after the full stop is a frequent typo in scraped Arabic text).
  A terminator glued to a Latin letter or a digit (``Node.js``, ``Yahoo!News``) does not end a sentence.
* It does not end one either when the next non-space character is a comma, semicolon or colon (``،`` ``,`` ``؛``
  ``;`` ``:``): ``"سنواصل!"، وأضاف`` is one sentence.
* Full stops that are not sentence ends: inside numbers (``3.5``, ``12.05.2024``), URLs, e-mail addresses and bare
  domains; inside dotted acronyms without spaces (``إس.بي.إس``, ``بي.دبليو.سي``, ``أ.د.``, ``ص.ب.``, ``ق.م.``,
  ``U.S.``, ``e.g.``), whose last dot is taken as part of the acronym; after a Latin letter name spelled in Arabic
  (``سي. إن. إن``, ``جون إم. تشو``); after a one-letter Arabic word (``د.`` doctor, ``أ.`` professor,
  ``م.`` engineer) unless a number comes right before it (``عام 2020 م.`` / ``1445 هـ.``: the era mark, which does end
  sentences); after a single Latin capital (``J. Smith``) or a Latin title (``Mr.`` ``Dr.`` ``St.`` ...); and after a
  list number of 1-3 digits that opens the sentence or follows a colon (``1. ``, ``القرارات: 2. ``); a number
  ending an ordinary sentence (``بلغ عدد الضحايا 25.``) still ends it.
* Quoted speech: a terminator inside quotes followed by the closing quote ends the sentence, the quote included:
  ``قال: "سنواصل العمل." وأضاف ...`` gives ``قال: "سنواصل العمل."`` and ``وأضاف ...``. In news text the words after
  such a quote almost always start a new sentence (وأضاف, وتابع), and the rule needs no quote tracking. A terminator
  inside a still-open quote splits there too (no quote-balancing), like most rule-based splitters.
* Spans exclude surrounding whitespace and invisible format characters (bidi marks, ZWSP, BOM); empty sentences
  are dropped.
"""

from __future__ import annotations

import re

from akhbar.arabic.tokenize import (
    _AR_L,
    _AR_M,
    _GAP_CHARS,
    _P_DOMAIN,
    _P_EMAIL,
    _P_URL,
)

__all__ = ["sentence_spans", "split_sentences"]

_TERMINATORS = ".!?؟…"
_CLOSERS = "\"'»”’)]›"
_OPENERS = "\"'«“‘([‹"
_CONTINUATION = "،,؛;:"
_LATIN_TITLES = "Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|Gen|Col|Lt|Sgt|Capt|Gov|Sen|Rep|Rev|Mt|Ft|vs"

# Latin letters spelled in Arabic, as in transliterated acronyms (سي.إن.إن, بي.دبليو.سي, سي. إن. إن). A dot after
# one of them is taken as an abbreviation dot. Some are also function words (إن, أو, في, أي), but those never end
# a sentence in news prose, so the rule costs nothing there.
_LETTER_NAMES_TEXT = (
    "إيه أيه ايه إي اي بي سي دي إف اف جي إتش اتش آي أي جيه جاي كيه كي إل ال إم ام إن ان أو او كيو آر ار إس اس "
    "تي يو في دبليو إكس اكس واي زد زي"
)
_LETTER_NAMES = frozenset(_LETTER_NAMES_TEXT.split())
# One part of a dotted acronym without spaces: 1-3 letters, or the one longer letter name.
_P_ACRONYM_PART = rf"(?:دبليو|[{_AR_L}]{{1,3}})"

_NEWLINES = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"

# Stretches whose dots are never sentence ends, plus plain runs of letters/digits. They are eaten by a possessive
# "gap" inside the regex, so each match ends right at a terminator or line break and Python only sees candidates.
_P_PROTECTED = "|".join(
    (
        # Arabic first (most of the text; nothing else starts with an Arabic letter): a dotted acronym or
        # abbreviation chain without spaces, 1-3 letters or دبليو per part (إس.بي.إس, أ.د., ق.م.), else a plain word.
        rf"(?<![{_AR_L}{_AR_M}]){_P_ACRONYM_PART}(?:\.{_P_ACRONYM_PART})+(?![{_AR_L}{_AR_M}])\.?",
        rf"[{_AR_L}{_AR_M}]+",
        r"[ \t]+",
        _P_URL,
        _P_EMAIL,
        _P_DOMAIN,
        r"(?<![A-Za-z])[A-Za-z](?:\.[A-Za-z])+(?![A-Za-z])\.?",  # U.S., e.g., a.m.
        r"(?<!\d)\d+(?:[.٫,:]\d+)+",  # 3.5, 12.05.2024, 10:30
        r"[A-Za-z0-9]+",
        rf"[^{re.escape(_TERMINATORS)}{_NEWLINES}]",
    )
)
# Every position is either gap, a terminator, a line break or the end, so a match never fails midway (a failing
# possessive gap would be retried at each following position: quadratic).
_SCAN_RE = re.compile(
    rf"(?:{_P_PROTECTED})*+"
    rf"(?:(?P<term>[{re.escape(_TERMINATORS)}]+)[{re.escape(_CLOSERS)}]*"
    rf"|(?P<nl>\r\n|[{_NEWLINES}])"
    r"|\Z)"
)

# A one-letter Arabic word right before the dot (د. أ. م. هـ.), and a number right before that letter.
_AR_INITIAL_RE = re.compile(rf"(?<![{_AR_L}{_AR_M}])[{_AR_M}]*[{_AR_L}][{_AR_M}]*\Z")
_AR_SHORT_WORD_RE = re.compile(rf"(?<![{_AR_L}{_AR_M}])[{_AR_L}]{{2,5}}\Z")
_NUMBER_BEFORE_RE = re.compile(r"\d[ \t]*\Z")
_LATIN_ABBREV_RE = re.compile(rf"(?<![A-Za-z])(?:[A-Z]|{_LATIN_TITLES})\Z")
_ENUMERATOR_RE = re.compile(r"(?<!\d)\(?\d{1,3}\)?\Z")
_AR_LETTER_RE = re.compile(rf"[{_AR_L}]")


def _is_abbreviation(text: str, dot: int) -> bool:
    """Is the full stop at ``dot`` the end of an abbreviation rather than of a sentence?"""
    lo = max(0, dot - 8)
    initial = _AR_INITIAL_RE.search(text, lo, dot)
    if initial is not None:
        # 2020 م. / 1445 هـ. close a date and may close the sentence; د. محمد does not.
        return _NUMBER_BEFORE_RE.search(text, max(0, initial.start() - 4), initial.start()) is None
    short = _AR_SHORT_WORD_RE.search(text, lo, dot)
    if short is not None and short.group() in _LETTER_NAMES:
        return True  # سي. إن. إن / جون إم. تشو
    return _LATIN_ABBREV_RE.search(text, lo, dot) is not None


def _is_enumerator(text: str, sentence_start: int, dot: int) -> bool:
    """A list number ('1. ...') opening a sentence or following a colon is not a sentence of its own."""
    if dot == 0 or not (text[dot - 1].isdigit() or text[dot - 1] == ")"):
        return False
    lo = max(sentence_start, dot - 16)
    window = text[lo:dot]
    number = _ENUMERATOR_RE.search(window)
    if number is None:
        return False
    before = window[: number.start()].rstrip(_GAP_CHARS)
    if before:
        return before.endswith((":", "："))
    return not text[sentence_start:lo].strip(_GAP_CHARS)


def _followed_by_sentence_start(text: str, end: int) -> bool:
    """Does the text after a terminator (and its closers) at ``end`` allow a sentence break?"""
    if end >= len(text):
        return True
    nxt = text[end]
    if nxt in _OPENERS or _AR_LETTER_RE.match(nxt):
        return True
    if not (nxt.isspace() or nxt in _GAP_CHARS):
        return False
    # Skip blanks (but not a line break, which ends the sentence anyway) and look for a continuation mark.
    rest = text[end : end + 40].lstrip(" \t\u00a0\u200e\u200f\u061c")
    return not (rest and rest[0] in _CONTINUATION)


def _cut_points(text: str) -> list[int]:
    """Offsets where one sentence ends and the next may begin, in order, ending with len(text)."""
    cuts: list[int] = []
    sentence_start = 0
    for m in _SCAN_RE.finditer(text):
        kind = m.lastgroup
        if kind is None:  # end of text
            break
        if kind == "nl":
            cuts.append(m.start("nl"))
            sentence_start = m.end()
            continue
        run_start, end = m.start("term"), m.end()
        if m.group("term") == "." and (
            _is_abbreviation(text, run_start) or _is_enumerator(text, sentence_start, run_start)
        ):
            continue
        if _followed_by_sentence_start(text, end):
            cuts.append(end)
            sentence_start = end
    cuts.append(len(text))
    return cuts


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the sentences of ``text``, trimmed of whitespace and format characters."""
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in _cut_points(text):
        piece = text[start:cut]
        left = len(piece) - len(piece.lstrip(_GAP_CHARS))
        right = len(piece.rstrip(_GAP_CHARS))
        if right > left:
            spans.append((start + left, start + right))
        start = cut
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` as stripped strings."""
    return [text[a:b] for a, b in sentence_spans(text)]
