"""Arabic-aware tokenization: one precompiled regex, offsets into the input, and conservative clitic splitting.

Design notes
------------
* Every non-space piece of the input becomes exactly one token, except characters that are *skipped like spaces*:
  Unicode whitespace, control characters (Cc) and format characters (Cf: bidi marks and embeddings, ZWSP, BOM,
  soft hyphen, ...). The one exception is ZWNJ/ZWJ (U+200C/U+200D) *inside* an Arabic word, which stays in the
  word because Persian/Urdu spelling needs it. So ``text[t.start:t.end] == t.text`` always holds, and joining the
  tokens loses nothing but spaces and invisible controls.
* The regex is a single alternation of named groups tried in a fixed order; ``finditer`` does all the scanning in C.
  Only the rare fallback match (a lone character no group knows) is classified in Python with ``unicodedata``.
* ``kind == "latin"`` means any word in a non-Arabic script (Latin, Greek, Cyrillic, CJK, ...), since Arabic news
  mixes in foreign names and brands; ``word`` is reserved for Arabic-script words.
* ``words()`` uses a second regex built from the *same* sub-patterns in the same relative order, so its output is
  exactly the texts of the word/latin/number/hashtag tokens of ``tokenize()`` (a property test checks this).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal, cast

__all__ = [
    "SKIPPED_CHARS",
    "Token",
    "TokenKind",
    "hashtag_phrase",
    "iter_tokens",
    "split_clitics",
    "tokenize",
    "words",
]

TokenKind = Literal["word", "latin", "number", "punct", "url", "email", "hashtag", "mention", "symbol"]


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int  # character offsets into the input string: text == input[start:end]
    end: int
    kind: TokenKind


# ---------------------------------------------------------------------------------------------------------------------
# Character classes
# ---------------------------------------------------------------------------------------------------------------------

# Unicode blocks that hold Arabic script (letters, marks, digits, punctuation, presentation forms).
_ARABIC_BLOCKS: tuple[tuple[int, int], ...] = (
    (0x0600, 0x06FF),  # Arabic
    (0x0750, 0x077F),  # Arabic Supplement
    (0x0870, 0x089F),  # Arabic Extended-B
    (0x08A0, 0x08FF),  # Arabic Extended-A
    (0xFB50, 0xFDFF),  # Arabic Presentation Forms-A
    (0xFE70, 0xFEFF),  # Arabic Presentation Forms-B
    (0x10EC0, 0x10EFF),  # Arabic Extended-C
    (0x1EE00, 0x1EEFF),  # Arabic Mathematical Alphabetic Symbols
)
_TATWEEL = 0x0640

# Characters skipped like spaces: C0/C1 controls that are not whitespace, and all format characters (Cf) up to
# Unicode 15. A test checks that this covers every Cc/Cf character of the running Python's unicodedata.
_SKIP_RANGES: tuple[tuple[int, int], ...] = (
    (0x0000, 0x0008),
    (0x000E, 0x001B),
    (0x007F, 0x0084),
    (0x0086, 0x009F),
    (0x00AD, 0x00AD),  # soft hyphen
    (0x0600, 0x0605),  # Arabic number signs
    (0x061C, 0x061C),  # Arabic letter mark (bidi)
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),  # ZWSP, ZWNJ, ZWJ, LRM, RLM
    (0x202A, 0x202E),  # bidi embeddings/overrides
    (0x2060, 0x2064),
    (0x2066, 0x206F),  # bidi isolates and deprecated format chars
    (0xFEFF, 0xFEFF),  # BOM / ZWNBSP
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
)
SKIPPED_CHARS: frozenset[str] = frozenset(chr(c) for lo, hi in _SKIP_RANGES for c in range(lo, hi + 1))


def _ranges_to_class(ranges: list[tuple[int, int]] | tuple[tuple[int, int], ...]) -> str:
    """Body of a regex character class (without brackets) for code point ranges."""
    parts = []
    for lo, hi in ranges:
        parts.append(re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}")
    return "".join(parts)


def _compress(codepoints: list[int]) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    for cp in codepoints:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    return ranges


def _arabic_classes() -> tuple[str, str]:
    """(letters, marks) of the Arabic blocks as character-class bodies, taken from unicodedata at import time.

    Tatweel counts as a mark here: it is decoration, and a run of only tatweel/diacritics is not a word.
    """
    letters: list[int] = []
    marks: list[int] = []
    for lo, hi in _ARABIC_BLOCKS:
        for cp in range(lo, hi + 1):
            cat = unicodedata.category(chr(cp))
            if cp == _TATWEEL or cat[0] == "M":
                marks.append(cp)
            elif cat[0] == "L":
                letters.append(cp)
    return _ranges_to_class(_compress(letters)), _ranges_to_class(_compress(marks))


_AR_L, _AR_M = _arabic_classes()
_AR_BLOCKS = _ranges_to_class(_ARABIC_BLOCKS)
_SKIP = _ranges_to_class(_SKIP_RANGES)
_ZW = "\u200c\u200d"  # ZWNJ / ZWJ: kept only between Arabic letters

# Latin (really: any non-Arabic script) letters: word characters that are not digits, '_' or Arabic.
_LAT_L = rf"[^\W\d_{_AR_BLOCKS}]"
# ... and what may continue such a word: also digits and combining diacritics (é written as e + U+0301).
_LAT_C = rf"(?:[^\W_{_AR_BLOCKS}]|[\u0300-\u036f])"
# Characters of hashtag / mention bodies: any word char (incl. '_' and digits) plus Arabic/Latin combining marks.
_TAG_C = rf"[\w{_AR_M}\u0300-\u036f]"

# Characters a URL never contains as displayed in news text (quotes and Arabic punctuation end it) ...
_URL_EXCL = rf"\s{_SKIP}<>\"'`«»“”‘’،؛{{}}|\\^"
# ... and characters that end a sentence rather than the URL when they come last.
_URL_TRAIL = r".,;:!?)\]}؟…"
_URL_BODY = rf"[^{_URL_EXCL}]*[^{_URL_EXCL}{_URL_TRAIL}]"
_TLDS = (
    "com|net|org|gov|edu|int|info|biz|io|co|tv|me|news|ae|sa|eg|qa|kw|bh|om|jo|lb|sy|iq|ps|ma|dz|tn|ly|sd|ye|mr"
    "|uk|fr|de|ru|cn|us|ca|tr|ir|il"
)

# The sub-patterns. Lookbehinds on email/domain make them try only at the start of a Latin run, which keeps
# inputs like "a.a.a.a..." linear instead of quadratic.
_P_URL = rf"(?i:(?:https?|ftp)://|www\.){_URL_BODY}"
_P_EMAIL = r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9][A-Za-z0-9._%+\-]*@(?:[A-Za-z0-9\-]+\.)+[A-Za-z]{2,}"
_P_DOMAIN = rf"(?<![A-Za-z0-9.\-])(?:[A-Za-z0-9\-]+\.)+(?:{_TLDS})(?![A-Za-z0-9])(?:/{_URL_BODY})?"
_P_MENTION = rf"@{_TAG_C}+"
_P_HASHTAG = rf"#_*[^\W_]{_TAG_C}*"  # at least one letter/digit, so '#' or '#_' alone is punctuation
# Arabic word: letters and marks in any order with at least one letter; ZWNJ/ZWJ only between letters/marks.
_P_WORD = rf"[{_AR_M}]*[{_AR_L}][{_AR_L}{_AR_M}]*(?:[{_ZW}]+[{_AR_L}{_AR_M}]+)*"
# Latin word, hyphen/apostrophe-joined parts stay whole (COVID-19, e-mail, F-16, O'Brien); may start with digits (5G).
_P_LATIN = rf"[0-9]*{_LAT_L}{_LAT_C}*(?:[\-'’]{_LAT_C}+)*"
# Numbers in any decimal script with decimal/thousands/date/time separators between digit groups.
_P_NUMBER = r"\d+(?:[.,٫٬/:\-]\d+)*"
_P_DASH = "\u0640+"  # tatweel with no letter is used as a dash in news text ("2 ـ 1", "ـ قال"): punct
_P_MARKS = rf"[{_AR_M}]+"  # diacritics with no letter: symbol
_P_PUNCT = r"[.!?؟…]+|[\-‐‑‒–—―]+|[،؛,;:\"'“”‘’„‟«»‹›()\[\]{}/\\|*•·۔٭]"
_P_PERCENT = r"[%٪‰؉؊]"
_P_OTHER = rf"[^\s{_SKIP}]"

# Whitespace and skipped characters are eaten by a possessive prefix inside the match: this is ~2x faster than
# letting finditer fail every alternative at each space. The token itself is the named group after the prefix.
_P_GAP = rf"[\s{_SKIP}]*+"

_TOKEN_RE = re.compile(
    _P_GAP
    + "(?:"
    + "|".join(
        (
            # Arabic words first: they are most tokens, and no other alternative can start with an Arabic letter or
            # mark, so the order between them and the Latin-initial alternatives does not change any result.
            rf"(?P<word>{_P_WORD})",
            rf"(?P<url>{_P_URL})",
            rf"(?P<email>{_P_EMAIL})",
            rf"(?P<domain>{_P_DOMAIN})",
            rf"(?P<mention>{_P_MENTION})",
            rf"(?P<hashtag>{_P_HASHTAG})",
            rf"(?P<latin>{_P_LATIN})",
            rf"(?P<number>{_P_NUMBER})",
            rf"(?P<dash>{_P_DASH})",
            rf"(?P<marks>{_P_MARKS})",
            rf"(?P<punct>{_P_PUNCT})",
            rf"(?P<percent>{_P_PERCENT})",
            rf"(?P<other>{_P_OTHER})",
        )
    )
    + ")"
)

# The same alternatives in the same relative order, so the segmentation is identical to _TOKEN_RE; only the kinds
# words() wants are captured (findall then returns '' for the others).
_WORDS_RE = re.compile(
    rf"{_P_GAP}(?:(?:{_P_URL}|{_P_EMAIL}|{_P_DOMAIN}|{_P_MENTION})"
    rf"|({_P_WORD}|{_P_HASHTAG}|{_P_LATIN}|{_P_NUMBER})"
    rf"|(?:{_P_DASH}|{_P_MARKS}|{_P_PUNCT}|{_P_PERCENT}|{_P_OTHER}))"
)

# Everything the gap prefix may eat. Trailing gap characters are cut off with endpos before matching: the possessive
# prefix followed by a failing alternation would otherwise be retried at each of them (quadratic on long tails).
_GAP_CHARS = "".join(c for c in map(chr, range(0x3001)) if c.isspace()) + "".join(sorted(SKIPPED_CHARS))

_KINDS: dict[str, TokenKind] = {
    "url": "url",
    "email": "email",
    "domain": "url",
    "mention": "mention",
    "hashtag": "hashtag",
    "word": "word",
    "latin": "latin",
    "number": "number",
    "dash": "punct",
    "marks": "symbol",
    "punct": "punct",
    "percent": "symbol",
}


def _fallback_kind(char: str) -> TokenKind:
    """Kind of a lone character no named pattern knows: Unicode punctuation or else a symbol (emoji, $, +, ...)."""
    return "punct" if unicodedata.category(char).startswith("P") else "symbol"


# Building a frozen dataclass through __init__ costs four object.__setattr__ calls; writing the slots through their
# member descriptors gives the very same object ~30% faster, and Token creation dominates tokenize() time.
_new_object = object.__new__


def _slot_setter(name: str) -> Callable[[Token, object], None]:
    """The ``__set__`` of a slot's member descriptor: writes the slot, bypassing the frozen ``__setattr__``."""
    return cast(Callable[[Token, object], None], Token.__dict__[name].__set__)


_set_text = _slot_setter("text")
_set_start = _slot_setter("start")
_set_end = _slot_setter("end")
_set_kind = _slot_setter("kind")


def _make_token(text: str, start: int, end: int, kind: TokenKind) -> Token:
    token: Token = _new_object(Token)
    _set_text(token, text)
    _set_start(token, start)
    _set_end(token, end)
    _set_kind(token, kind)
    return token


# ---------------------------------------------------------------------------------------------------------------------
# Tokenization
# ---------------------------------------------------------------------------------------------------------------------


def _end_of_content(text: str) -> int:
    """Offset just past the last character that is not a gap character (0 for a blank text).

    Strips from the tail in chunks so that a long text is never copied whole.
    """
    end = len(text)
    while end:
        lo = max(0, end - 256)
        kept = len(text[lo:end].rstrip(_GAP_CHARS))
        if kept:
            return lo + kept
        end = lo
    return 0


def iter_tokens(text: str) -> Iterator[Token]:
    """Yield every non-space piece of ``text`` in order, with character offsets."""
    kinds = _KINDS
    for m in _TOKEN_RE.finditer(text, 0, _end_of_content(text)):
        group = m.lastgroup or ""
        piece = m.group(group)
        yield _make_token(piece, m.start(group), m.end(), kinds.get(group) or _fallback_kind(piece))


def tokenize(text: str) -> list[Token]:
    """All tokens of ``text``; equal to ``list(iter_tokens(text))`` but without generator overhead."""
    kinds = _KINDS
    fallback = _fallback_kind
    make = _make_token
    return [
        make(m.group(group), m.start(group), m.end(), kinds.get(group) or fallback(m.group(group)))
        for m in _TOKEN_RE.finditer(text, 0, _end_of_content(text))
        for group in (m.lastgroup or "",)
    ]


def words(text: str) -> list[str]:
    """Fast path: texts of the word, latin, number and hashtag tokens of ``text``, in order."""
    return [w for w in _WORDS_RE.findall(text, 0, _end_of_content(text)) if w]


def hashtag_phrase(tag: str) -> str:
    """'#عاصي_الحلاني' -> 'عاصي الحلاني': drop the leading '#', underscores become single spaces."""
    return " ".join(tag.lstrip("#").replace("_", " ").split())


# ---------------------------------------------------------------------------------------------------------------------
# Clitic splitting
# ---------------------------------------------------------------------------------------------------------------------
#
# Rules (applied to the word's letter skeleton: diacritics and tatweel ignored, but kept in the returned pieces).
# The aim is matching (entity linking, search), so every rule prefers leaving a word whole over a wrong cut.
#   0. Words shorter than 3 letters, non-Arabic words, and words in _NO_SPLIT or starting with _NO_SPLIT_PREFIXES
#      are returned whole.
#   1. Known word after clitics: [و|ف]? [ب|ك|ل]? + a word from _KNOWN (frequent names and function words that look
#      like clitic+stem, e.g. بوتين, لبنان, الذي, الله) -> split before the known word: لبوتين -> ل بوتين.
#   2. Article: [و|ف]? [ب|ك|ل]? ال + stem. The stem must keep >= 2 letters when ال starts the word (الحق -> ال حق)
#      and >= 3 letters when ال follows another clitic, because foreign words mimic that shape (باليه, بالغة, والدة).
#      لل + stem (>= 3 letters) is ل + ال with the alef elided: للحدود -> ل ال حدود. Not when the stem starts with
#      bare alef that is no hamzat-wasl form (للاعبين = ل + لاعبين) or ل + stem is one of _LAM_NOUNS (للقاء, للجنة:
#      a lam was dropped in writing, which the cut cannot show).
#   3. Future: [و|ف]? س + imperfect verb (_plausible_future_verb): the rest after س starts with ي/ت/ن/أ, has >= 4
#      letters, has no long vowel right after the prefix (سيارة, سياسة, ستيفان), does not end in ة, ات or bare alef
#      (سندات, سيلفا) and ends in و only if it is a 4-letter defective verb (سينمو; not سيرجيو). Frequent names that
#      still pass are listed in _NO_SPLIT. So سيكون -> س يكون, but سيتم (3 letters after س) stays whole.
#   4. Bare conjunction و: the rest must have >= 4 letters, must not start with ال (rule 2 already declined it), and if
#      it starts with bare alef it must look like a hamzat-wasl derived form (است / ان / ات / اCت: استمر, انتخابات,
#      اتفاق, اجتماع), which rejects واشنطن, واصلت, وافقت, واضحة. و-initial nouns (وزارة, وكالة, ولاية, وتيرة) are in
#      _NO_SPLIT_PREFIXES; an unlisted one of >= 5 letters will be cut (the known residual error of this rule).
#   Bare ف, ب, ك, ل never split without ال or a known word after them: far too many words and names start with
#   those letters (فلسطين, فريق, بريطانيا, كندا, لبنان).
#
# Comparisons with the lists use a folded skeleton (أ/إ/آ -> ا, ى -> ي, ة -> ه), so spelling variants match; shape
# tests use the real letters (أ is not ا: وأضاف splits, ألمانيا has no article).

_CONJ = frozenset("وف")
_PREP = frozenset("بكل")
_IMPERFECT = frozenset("يتنأ")

# Frequent words that merely begin with clitic-looking letters. Stored unfolded for readability; folded at import.
_KNOWN_WORDS = (
    # function words and Allah: ال is part of the word
    "الذي التي الذين اللذان اللذين اللتان اللتين اللواتي اللاتي اللائي الآن الان الله اللهم "
    # names (places, people, brands) that start with و ف ب ك ل or ال
    "واشنطن وارسو وهران ووهان ويلز وليد وليام ويليام وائل وديع وفاء واتساب ويكيبيديا ويكيليكس "
    "فلسطين فرنسا فيجي فوستوتشني فنزويلا فنلندا فيتنام فيينا فلوريدا فلاديمير فيصل فهد فاطمة فيسبوك فيفا "
    "بيونغيانغ بيونغ بيونج بكين بوتين باريس بغداد بريطانيا برلين بروكسل باكستان بلجيكا بولندا بيروت بنغازي "
    "بايدن بلينكن بنيامين بولتون البرازيل "
    "لندن لبنان ليبيا لافروف لاهاي لوس ليون لشبونة ليفربول ليستر لوكسمبورغ لاتفيا ليتوانيا ليبيريا "
    "كابول كوريا كندا كازاخستان كاليفورنيا كولومبيا كوبا كينيا كيم كييف "
    "المانيا البانيا الياس الكسندر"
)
# Whole words (after folding) that are never split, and word starts that block splitting entirely.
_NO_SPLIT_WORDS = (
    # nouns and foreign names that pass the future-verb shape test (rule 3)
    "سيناء سيدني سيدي سيما ستار ستون ستين سنوات سنوي سنوية سنويا سنتين سنتان سيرته سيرتها سيلفي سيزار "
    "سيرجي ستورجن سنحان سترلينغ سيغوردسون سندرلاند ستورمي سيدهم ستريت ستونز سيروتي سيهوفر "
    "سيبويه سيسيه سيلاديس سيباستيان سباستيان سيبايوس ستواني سيشنز سيميوني سيرغي "
    "وطني وطنية وطنيا ويمبلي ويلبور"
)
_NO_SPLIT_PREFIXES = (
    # و-initial nouns/verbs frequent in news
    "وزار وزير وزراء وكال وكيل وكلاء ولاي وسائل وسيل وسيط وسطاء وثيق وثائق وظيف وظائف وطن وجه وجود وحد وحيد "
    "والد ورش ورق وقائع واقع وقع وقت وقف وصل وصول وفا وفد وفود وعد وعود وراء ورد وارد وضع وضح وسع ولد وادي "
    "وداع وديع وصف وصي وكر ولاء وافق واصل واجه وجب واجب وتير وجيز وحش وزن "
    # foreign words that look like ب/ك/ف + ال
    "باليست بالست بالغ بالتيمور باليه كاليفورني فالنسي فالنتين "
    # س-initial nouns that look like a future verb
    "سيطر سنغافور سيريلانك ستراتيج سنتيم سينما ستوكهولم ستورغيس ستولتنبرغ ستويشكوف ستراسبورغ سيلف"
)

_AR_LETTER_RE = re.compile(rf"[{_AR_L}]")
_AR_WORD_FULL_RE = re.compile(rf"[{_AR_L}{_AR_M}]+")
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})


def _fold(skeleton: str) -> str:
    return skeleton.translate(_FOLD)


_KNOWN = frozenset(_fold(w) for w in _KNOWN_WORDS.split())
_NO_SPLIT = frozenset(_fold(w) for w in _NO_SPLIT_WORDS.split()) | _KNOWN
_NO_SPLIT_PREFIX_TUPLE = tuple(_fold(w) for w in _NO_SPLIT_PREFIXES.split())
# ل-initial nouns: لل + (the noun minus its ل) is ل + ال + noun with one lam dropped in writing (للقاء, للجنة), which
# the لل rule would cut wrongly (ل ال قاء). Such words are left whole. Folded forms.
_LAM_NOUNS_TEXT = "لقاء لقاءات لعبة لعبات لجنة لجان لغة لغات لحظة لحظات لقب لون لوحة لوحات لقاح لقاحات لواء ليلة ليالي"
_LAM_NOUNS = frozenset(_fold(w) for w in _LAM_NOUNS_TEXT.split())


def _is_known(skeleton: str) -> bool:
    return _fold(skeleton) in _KNOWN


def _is_protected(skeleton: str) -> bool:
    folded = _fold(skeleton)
    return folded in _NO_SPLIT or folded.startswith(_NO_SPLIT_PREFIX_TUPLE)


def _wasl_form(rest: str) -> bool:
    """Does a stem starting with bare alef look like a hamzat-wasl derived form (forms VII, VIII, X)?"""
    return rest.startswith(("است", "ان", "ات")) or (len(rest) > 3 and rest[2] == "ت")


def _plausible_lil_stem(stem: str) -> bool:
    """After لل: a bare-alef stem must be a hamzat-wasl form (للاستثمار), else it is a lam word (للاعبين)."""
    if stem[0] == "ا" and not _wasl_form(stem):
        return False
    return _fold("ل" + stem) not in _LAM_NOUNS


def _plausible_future_verb(verb: str) -> bool:
    """Could ``verb`` (what follows س) be an imperfect verb? Shape tests that reject nouns and foreign names."""
    return (
        len(verb) >= 4
        and verb[0] in _IMPERFECT
        # A long vowel right after the prefix is not an imperfect verb shape (سيارة, سياسة, ستيفان, سييرا).
        and verb[1] not in "اي"
        # Verbs never end in ta marbuta or the feminine plural (سندات, سيدات), nor in bare alef after س
        # (سيلفا, سيسيليا); a final و only closes short defective verbs (سينمو, سيدعو), not سيرجيو, سيناريو.
        and not verb.endswith(("ة", "ات", "ا"))
        and (not verb.endswith("و") or len(verb) == 4)
    )


def _clitic_cuts(s: str) -> tuple[list[int], bool] | None:
    """Cut points (letter indices into the skeleton ``s``) after each proclitic, or None to keep s whole.

    Shape tests use the real letters (أ is not ا: وأضاف splits, ألمانيا has no article); list look-ups fold.

    The flag is True when the cuts come from لل, whose article lost its alef in writing.
    """
    conj = 1 if s[0] in _CONJ else 0
    lead = [1] if conj else []
    rest = s[conj:]
    if len(rest) < 2:
        return None
    prep = rest[0] in _PREP
    # Rule 1: a known word right after the clitics.
    if conj and _is_known(rest):
        return lead, False
    if prep and _is_known(rest[1:]):
        return [*lead, conj + 1], False
    # Rule 2: the article, alone or after a preposition, and لل.
    if rest.startswith("ال") and not _is_protected(rest) and len(rest) - 2 >= (3 if conj else 2):
        return [*lead, conj + 2], False
    if prep and rest.startswith("ال", 1) and not _is_protected(rest[1:]) and len(rest) - 3 >= 3:
        return [*lead, conj + 1, conj + 3], False
    if rest.startswith("لل") and len(rest) - 2 >= 3 and _plausible_lil_stem(rest[2:]):
        return [*lead, conj + 1, conj + 2], True
    # Rule 3: future س before an imperfect verb.
    if rest[0] == "س" and _plausible_future_verb(rest[1:]) and not _is_protected(rest):
        return [*lead, conj + 1], False
    # Rule 4: bare conjunction و before a long enough, plausible word.
    if s[0] == "و" and len(rest) >= 4 and not rest.startswith("ال") and (rest[0] != "ا" or _wasl_form(rest)):
        return lead, False
    return None


def split_clitics(word: str) -> list[str]:
    """Split conservative Arabic proclitics off ``word`` for matching: 'وبالقطار' -> ['و', 'ب', 'ال', 'قطار'].

    Diacritics and tatweel stay attached to the letter before them; joining the pieces gives ``word`` back,
    except after لل, where the article piece is written ال (its alef is elided in the word).
    See the rule comment above for what is split and what is deliberately left alone.
    """
    letters = [m.start() for m in _AR_LETTER_RE.finditer(word)]
    # Only pure Arabic words (letters plus marks/tatweel) qualify; anything else is returned untouched.
    if len(letters) < 3 or _AR_WORD_FULL_RE.fullmatch(word) is None:
        return [word]
    skeleton = "".join(word[i] for i in letters)
    if _is_protected(skeleton):
        return [word]
    found = _clitic_cuts(skeleton)
    if found is None:
        return [word]
    cuts, elided_article = found
    bounds = [0, *(letters[c] for c in cuts), len(word)]
    pieces = [word[a:b] for a, b in pairwise(bounds)]
    if elided_article:
        # للحدود -> ل ال حدود: restore the alef so the article piece always reads ال (marks on the ل are kept).
        pieces[-2] = "ا" + pieces[-2]
    return pieces
