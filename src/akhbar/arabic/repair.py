"""The display layer: repair damaged Arabic text while keeping its words.

What scraped Arabic news gets wrong, and what each function here fixes:

* control characters (C0 but tab and line feed, DEL, C1): never text, and a terminal obeys them (ESC starts an
  escape sequence, BEL rings), so display text never holds one;
* invisible characters (bidi controls, zero-width marks, BOMs) and tatweel that carry no meaning;
* Persian/Urdu look-alike letters typed into Arabic words (``کوریا الشمالیة``) — but only when the text is Arabic:
  a Persian or Urdu text is left as it is (the decision is made per text, never per letter);
* presentation-form glyphs from PDF/old-encoding copies (``ﻻ``, ``ﺍ``) back to the base letters;
* words glued together where a line break was lost (``بالذخيرةوبحسب``): a ``ة`` or ``ى`` can only end a word, so a
  letter after it starts a new one. Where the glue is where a sub-heading met its paragraph, :func:`recover_headings`
  gives the heading back as its own block;
* tanween typed in the middle of a word (``تٌعقد``): a slip for the matching short vowel;
* spacing around Arabic punctuation and guillemets.

Everything is a pure function of its input; nothing here removes a word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeGuard

# --- character classes ------------------------------------------------------------------------------------------

ARABIC_LETTERS = "\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff"
HARAKAT = "\u064b-\u065f\u0670"
TATWEEL = "\u0640"
# Bidi embedding/override/isolate controls, marks, zero-width space, word joiner and BOM: never meaningful in stored
# text. ZWNJ/ZWJ (U+200C/D) matter in Persian, so they are only dropped from Arabic text (see repair()).
_INVISIBLE = dict.fromkeys(
    map(ord, "\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2060\ufeff\u061c")
)
_INVISIBLE_ARABIC = {**_INVISIBLE, 0x200C: None, 0x200D: None}
# Tatweel between two letters only stretches a word (``الخارجيـــة``): dropped. Ending a clitic before a space, a
# digit, a quote or a guillemet it separates (``الـ 24``, ``بـ"الجيش"``, ``لـ«الصباح»``): that is what the page
# says, kept (once).
_DECORATIVE_TATWEEL = re.compile(f"(?<=[{ARABIC_LETTERS}{HARAKAT}]){TATWEEL}+(?=[{ARABIC_LETTERS}{HARAKAT}])")
_SEPARATING_TATWEEL = re.compile(f"(?<=[{ARABIC_LETTERS}{HARAKAT}]){TATWEEL}+")
_STRAY_TATWEEL = re.compile(f"(?<![{ARABIC_LETTERS}{HARAKAT}{TATWEEL}]){TATWEEL}+")  # after no letter: nothing
# C0 controls but tab and line feed, DEL and C1 controls. Those that separate (CR, VT, FF, the information
# separators, NEL) become a space, so that the words on either side stay apart; the others are dropped.
_CONTROLS: dict[int, str | None] = {cp: None for cp in [*range(0x20), *range(0x7F, 0xA0)] if chr(cp) not in "\t\n"}
_CONTROLS.update(dict.fromkeys(map(ord, "\r\x0b\x0c\x1c\x1d\x1e\x1f\x85"), " "))
_HAS_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _presentation_forms_table() -> dict[int, str]:
    """Arabic presentation forms A/B (U+FB50–FDFF, U+FE70–FEFF) → their base letters (NFKC, letters only)."""
    table: dict[int, str] = {}
    for cp in [*range(0xFB50, 0xFE00), *range(0xFE70, 0xFF00)]:
        ch = chr(cp)
        if unicodedata.category(ch) == "Cn":
            continue
        base = unicodedata.normalize("NFKC", ch).strip()
        if base and base != ch:
            table[cp] = base
    return table


PRESENTATION_FORMS = _presentation_forms_table()

# Persian/Urdu letters that look like Arabic ones. Yeh is handled apart: its Arabic counterpart depends on position.
_LOOKALIKES = str.maketrans(
    {
        "\u06a9": "\u0643",  # ک keheh → ك
        "\u06aa": "\u0643",  # ڪ swash kaf → ك
        "\u06c0": "\u0629",  # ۀ heh with yeh above (Persian ezafe) → ة
        "\u06d5": "\u0647",  # ە ae → ه
        "\u06c1": "\u0647",  # ہ heh goal → ه
        "\u06be": "\u0647",  # ھ heh doachashmee → ه
        **{chr(0x06F0 + d): chr(0x0660 + d) for d in range(10)},  # Persian digits → Arabic-Indic digits
    }
)
_INVISIBLE_AND_LOOKALIKES = {**_INVISIBLE_ARABIC, **_LOOKALIKES}
_HAS_INVISIBLE_OR_LOOKALIKE = re.compile(
    "[" + "".join(re.escape(chr(cp)) for cp in sorted(_INVISIBLE_AND_LOOKALIKES)) + "]"
)
_HAS_PRESENTATION_FORM = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]")
_FARSI_YEH = "\u06cc"
# Words whose final yeh is written ى in Arabic. Final ی otherwise becomes ي (the nisba ending -ي is far more common).
_ALEF_MAQSURA_WORDS = frozenset(
    [
        "على",
        "إلى",
        "الى",
        "حتى",
        "لدى",
        "سوى",
        "متى",
        "مدى",
        "أدنى",
        "ادنى",
        "أعلى",
        "اعلى",
        "أقصى",
        "اقصى",
        "أخرى",
        "اخرى",
        "كبرى",
        "صغرى",
        "عظمى",
        "ذكرى",
        "فتوى",
        "دعوى",
        "شكوى",
        "مستشفى",
        "ملتقى",
        "منتدى",
        "مبنى",
        "معنى",
        "مستوى",
        "مصطفى",
        "موسى",
        "عيسى",
        "يحيى",
        "ليلى",
        "سلمى",
        "منى",
        "هدى",
        "بشرى",
        "نجوى",
        "رؤى",
        "قوى",
    ]
)

# Function words that only a Persian or Urdu text has (written in Persian letters). Used to leave such texts alone.
_PERSIAN_URDU_WORDS = frozenset(
    [
        "است",
        "این",
        "آن",
        "که",
        "را",
        "برای",
        "یک",
        "می",
        "شد",
        "شده",
        "کرد",
        "کند",
        "های",
        "ها",
        "خود",
        "بود",
        "هم",
        "نیز",
        "اما",
        "ولی",
        "چه",
        "ہے",
        "ہیں",
        "کے",
        "کی",
        "میں",
        "اور",
        "سے",
        "کو",
        "نے",
        "پر",
    ]
)
_WORD = re.compile(f"[{ARABIC_LETTERS}{HARAKAT}\u200c]+")


def is_persian_or_urdu(text: str) -> bool:
    """True when a text is written in Persian or Urdu rather than Arabic (decided on its function words)."""
    words = _WORD.findall(text[:20000])
    if not words:
        return False
    hits = sum(1 for w in words if w in _PERSIAN_URDU_WORDS)
    return hits >= 2 and hits >= 0.04 * len(words)


_URDU_LETTERS = re.compile("[\u06d2\u06c1\u0679\u0688\u0691\u06ba]")  # ے ہ ٹ ڈ ڑ ں: Urdu only
_ARABIC_SCRIPT_LETTER = re.compile(f"[{ARABIC_LETTERS}]")
_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")


def script_language(text: str) -> str:
    """The language a text's script and function words show: ``ar``, ``fa``, ``ur``, or ``und`` (another script).

    Cheap and enough to route Arabic news; it does not tell English from French (``und`` for both).
    """
    sample = text[:20000]
    arabic = len(_ARABIC_SCRIPT_LETTER.findall(sample))
    if arabic == 0 or arabic < len(_LATIN_LETTER.findall(sample)):
        return "und"
    if is_persian_or_urdu(sample):
        return "ur" if len(_URDU_LETTERS.findall(sample)) > 0.01 * arabic else "fa"
    return "ar"


def _fix_yeh(match: re.Match[str]) -> str:
    word = match.group(0)
    if _FARSI_YEH not in word:
        return word
    inner = word[:-1].replace(_FARSI_YEH, "\u064a")
    if word.endswith(_FARSI_YEH):
        candidate = inner + "\u0649"
        return candidate if candidate in _ALEF_MAQSURA_WORDS else inner + "\u064a"
    return inner + word[-1]


# --- glued words, tanween slips ---------------------------------------------------------------------------------

# ة and ى only ever end a word; an Arabic letter right after one (optionally after its diacritics) starts a new word.
_GLUE = re.compile(f"([\u0629\u0649][{HARAKAT}]*)(?=[{ARABIC_LETTERS}])")
# Tanween fath with its alef (``قريباً`` or ``قريبًا``) also ends a word: ``قريباًوقال``.
_GLUE_TANWEEN = re.compile(f"(\u0627\u064b|\u064b\u0627)(?=[{ARABIC_LETTERS}])")
# Any other tanween followed by a letter is a typing slip for the short vowel (``تٌعقد`` → ``تُعقد``).
# Tanween fath is a slip only when no alef is beside it (``اً``/``ًا`` end a word: that is glue, handled below).
_TANWEEN_SLIP = re.compile(f"([\u064c\u064d]|(?<!\u0627)\u064b(?!\u0627))(?=[{ARABIC_LETTERS}])")
_TANWEEN_TO_VOWEL = {"\u064b": "\u064e", "\u064c": "\u064f", "\u064d": "\u0650"}


def split_glued_words(text: str) -> str:
    """Insert the space a lost line break or a typo removed: ``الروسيةوتحرك`` → ``الروسية وتحرك``."""
    text = _GLUE.sub(r"\1 ", text)
    return _GLUE_TANWEEN.sub(r"\1 ", text)


def fix_tanween_slips(text: str) -> str:
    """Tanween inside a word → its short vowel (``تٌعقد`` → ``تُعقد``)."""
    return _TANWEEN_SLIP.sub(lambda m: _TANWEEN_TO_VOWEL[m.group(1)], text)


# --- spacing ------------------------------------------------------------------------------------------------------

_SPACE_RUN = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Not before ":": "عاجل : انفجار" is how many pages write it, not an error (display keeps what the page says).
_SPACE_BEFORE_PUNCT = re.compile(r"[ \t]+([،؛؟!.,;?»)\]])")
_SPACE_AFTER_OPEN = re.compile(r"([«(\[])[ \t]+")
_NO_SPACE_AFTER_COMMA = re.compile(f"([،؛])(?=[{ARABIC_LETTERS}«])")


def fix_spacing(text: str) -> str:
    """One space between words; none before ``، ؛ ؟ .`` or inside ``« »``; one after ``،`` and ``؛``."""
    text = _SPACE_RUN.sub(" ", text)
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = _SPACE_AFTER_OPEN.sub(r"\1", text)
    text = _NO_SPACE_AFTER_COMMA.sub(r"\1 ", text)
    return "\n".join(line.strip() for line in text.split("\n"))


# --- the display layer ------------------------------------------------------------------------------------------


def drop_controls(text: str) -> str:
    """``text`` without control characters but tab and line feed (a separating one becomes a space)."""
    return text.translate(_CONTROLS) if _HAS_CONTROL.search(text) else text


def has_visible_text(text: str | None) -> TypeGuard[str]:
    """True when ``text`` has a character that shows: not only whitespace, controls and format characters (zero-width
    space, joiners, bidi marks, BOM, word joiner...). A title without one is no title."""
    if not text:
        return False
    return any(not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf") for ch in text)


def repair(text: str, *, persian: bool | None = None) -> str:
    """Display text: the words of the input with the damage repaired.

    ``persian`` says whether the text is Persian/Urdu (left alone but for invisibles and spacing); ``None`` decides
    from the text itself. Pass the decision made on a whole article when repairing its fields one by one.
    """
    if not text:
        return text
    text = drop_controls(text)
    if _HAS_PRESENTATION_FORM.search(text):  # rare (PDF copies): a regex test is ~8x faster than the translate
        text = text.translate(PRESENTATION_FORMS)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if persian is None:
        persian = is_persian_or_urdu(text)
    if persian:
        return fix_spacing(text.translate(_INVISIBLE))
    if _HAS_INVISIBLE_OR_LOOKALIKE.search(text):  # most texts have none: skip the (slow) dict translate
        text = text.translate(_INVISIBLE_AND_LOOKALIKES)
    if TATWEEL in text:
        text = _SEPARATING_TATWEEL.sub(TATWEEL, _STRAY_TATWEEL.sub("", _DECORATIVE_TATWEEL.sub("", text)))
    if _FARSI_YEH in text:
        text = _WORD.sub(_fix_yeh, text)
    text = fix_tanween_slips(text)
    text = split_glued_words(text)
    return fix_spacing(text)


# --- sub-headings lost in a paragraph ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HeadingSplit:
    heading: str
    rest: str


# A paragraph opener: the conjunction و on a verb or preposition, the way Arabic news paragraphs start.
_HEADING_GLUE = re.compile(
    f"([{ARABIC_LETTERS}]*(?:[\u0629\u0649][{HARAKAT}]*|\u0627\u064b|\u064b\u0627))(?=و[{ARABIC_LETTERS}]{{2,}})"
)
# Any other last letter gives no sign that a word ended (الاحتفالوانطلق): there the paragraph must open with one of
# the words news paragraphs open with (و + a verb of saying or starting, a preposition; the most frequent openers of
# ANT's 180k و-paragraphs), glued to a word a word list knows (see :func:`split_heading`). Compared without hamza.
_PARAGRAPH_OPENERS = frozenset(
    (
        "قال", "قالت", "اضاف", "اضافت", "اكد", "اكدت", "اوضح", "اوضحت", "اشار", "اشارت", "ذكر", "ذكرت", "تابع", "تابعت",
        "بحسب", "حسب", "وفق", "وفقا", "كان", "كانت", "بعد", "يقول", "تقول", "جاء", "جاءت", "ياتي", "تاتي", "اعلن",
        "اعلنت", "رغم", "منذ", "لكن", "خلال", "افاد", "افادت", "صرح", "اعتبر", "شدد", "اظهرت", "قبل", "دعا", "يرى",
        "نشر", "نشرت", "كشف", "كشفت", "شهد", "شهدت", "بدا", "بدات", "انطلق", "انطلقت", "تشير", "يشير", "سبق", "فيما",
        "يذكر", "يبدو", "لفت", "لفتت", "حذر", "اعرب", "حول", "تحدث", "عندما", "بينما", "طالب", "هناك", "نفى", "اقيم",
        "اقيمت", "اختتم", "اختتمت", "افتتح", "افتتحت", "تضمن", "يتضمن", "ارتفع", "تراجع",
    )
)  # fmt: skip
_NO_HAMZA = str.maketrans("أإآ", "ااا")
_WAW_INSIDE = re.compile(f"(?<=[{ARABIC_LETTERS}]{{3}})و(?=[{ARABIC_LETTERS}]{{3,}}$)")
_WORD_TOKEN = re.compile(f"[{ARABIC_LETTERS}{HARAKAT}]+")
_SENTENCE_END = re.compile(r"[.!؟?:،؛]")
MIN_HEADING_WORDS, MAX_HEADING_WORDS = 3, 14


def split_heading(paragraph: str, known_word: Callable[[str], bool] | None = None) -> HeadingSplit | None:
    """Find a sub-heading glued to the start of a paragraph (the page lost the line break between them).

    ``المحللون يتوقعون ... بالذخيرةوبحسب وكالة ...`` → heading ``المحللون يتوقعون ... بالذخيرة`` and the paragraph
    ``وبحسب وكالة ...``. The glue must be the first one in the paragraph, after a short run of words (3–14) with no
    punctuation — a heading, not a sentence — and the text after it must start like a paragraph (``و`` + word).
    Works on raw text (before :func:`split_glued_words`) since it needs to see the glue.

    A heading whose last word ends in ``ة``, ``ى`` or ``اً`` shows its glue. Any other glue (``الاحتفالوانطلق``) is
    found only with ``known_word``, which says whether a word is a common word of the language: the glued token must
    not be one, and both halves must be (``الاحتفال`` and ``وانطلق``).
    """
    # A heading is at most MAX_HEADING_WORDS words: only the start of the paragraph can hold its glue.
    window = MAX_HEADING_WORDS * 16
    match = _HEADING_GLUE.search(paragraph, 0, window)
    end = match.end() if match is not None else None
    if known_word is not None:
        seam = _word_list_seam(paragraph, window if end is None else end, known_word)
        end = seam if seam is not None else end
    if end is None:
        return None
    heading = paragraph[:end].strip()
    rest = paragraph[end:].strip()
    words = heading.split()
    if not (MIN_HEADING_WORDS <= len(words) <= MAX_HEADING_WORDS) or _SENTENCE_END.search(heading):
        return None
    if len(rest.split()) < 2 * len(words) or len(rest.split()) < 8:
        return None  # what follows is too short to be the paragraph under a heading
    return HeadingSplit(heading, rest)


def _word_list_seam(paragraph: str, before: int, known_word: Callable[[str], bool]) -> int | None:
    """Offset of the first glue before ``before`` that only a word list can see: a token that is no word, made of a
    word and ``و`` + a paragraph opener."""
    for token in _WORD_TOKEN.finditer(paragraph, 0, before):
        word = token.group(0)
        if "و" not in word[3:-3]:
            continue
        for inside in _WAW_INSIDE.finditer(word):
            cut = inside.start()
            opener = word[cut + 1 :].translate(_NO_HAMZA)
            if opener in _PARAGRAPH_OPENERS and known_word(word[:cut]) and not known_word(word):
                return token.start() + cut
    return None
