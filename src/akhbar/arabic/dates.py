"""Arabic news date parsing.

:func:`parse` reads one publication date out of the short strings news pages and feeds carry: RFC-822 and
ISO-8601 stamps, numeric day/month/year dates, Arabic month names from the three naming families (Egyptian/Gulf
``مايو``, Levantine/Iraqi ``أيار``, Maghrebi ``ماي``/``جوان``), Hijri dates (converted with ``hijridate``), 12-hour
times (``10:30 ص``/``مساءً``), named zones (``بتوقيت مكة``, ``GMT+3``, ``+0400``) and relative expressions
(``منذ 3 ساعات``, ``أمس``).

Two rules shape everything here:

* **Never invent a day.** Month+year, a bare year or a bare time give ``value=None`` with a ``reason``. A missing
  time is read as midnight (the day itself is known), a missing year is only filled in from ``reference``.
* **Never invent a zone.** The result is aware only when the text names a zone/offset or ``default_tz`` is given;
  otherwise it is naive and ``tz_known`` is False.

The parser is regex based: the text is folded once (digits to ASCII, hamza/ya/ta-marbuta variants, tashkeel and
tatweel removed, lower case), every date-like span is collected, the first full Gregorian date wins (a Hijri date is
used only when no Gregorian one is given), and the time and zone are looked for next to the chosen date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hijridate import Hijri

__all__ = ["DateResult", "parse"]

_V = TypeVar("_V")


@dataclass(frozen=True, slots=True)
class DateResult:
    """Outcome of :func:`parse`.

    ``value`` is None when no date could be read and ``reason`` then says why; on success ``reason`` is "" or a
    note (e.g. that the year came from the reference time). ``tz_known`` is True when the text named a zone or
    offset, when ``default_tz`` was applied, or when a relative date was resolved against an aware reference.
    """

    value: datetime | None
    reason: str = ""
    tz_known: bool = False

    def __bool__(self) -> bool:
        return self.value is not None


# Reasons, kept as constants so callers and tests can compare them.
EMPTY = "empty input"
NOT_FOUND = "no date found"
NO_DAY = "no day"
NO_YEAR = "no year"
TIME_ONLY = "only a time, no date"
IMPOSSIBLE = "impossible date"
IMPLAUSIBLE_YEAR = "implausible year"
HIJRI_RANGE = "hijri date out of the supported range (1343-1500 AH)"
NEEDS_REFERENCE = "relative date needs a reference time"
YEAR_FROM_REFERENCE = "year taken from the reference time"

# Longer strings are cut: a date string is short, and this bounds the regex work on pathological input.
_MAX_CHARS = 2000
_MIN_YEAR, _MAX_YEAR = 1900, 2100

# --------------------------------------------------------------------------------------------------------------
# Folding. Everything below matches against folded text, so the patterns spell words in folded form only:
# أ/إ/آ/ٱ -> ا, ى/ی -> ي, ة -> ه, ک -> ك, no tashkeel or tatweel, Arabic punctuation as ASCII, lower case.
# --------------------------------------------------------------------------------------------------------------


def _build_fold_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for i in range(10):
        table[0x0660 + i] = str(i)  # Arabic-Indic digits
        table[0x06F0 + i] = str(i)  # Persian (Extended Arabic-Indic) digits
    for ch in "أإآٱ":
        table[ord(ch)] = "ا"
    table.update({ord("ى"): "ي", ord("ی"): "ي", ord("ة"): "ه", ord("ک"): "ك", ord("ھ"): "ه", ord("ۀ"): "ه"})
    table.update({ord("ؤ"): "و", ord("ئ"): "ي"})
    table.update({ord("،"): ",", ord("؛"): ";", ord("٫"): ".", ord("٬"): ",", ord("٪"): "%"})
    for cp in (*range(0x064B, 0x0660), 0x0670, 0x0640):  # tashkeel, superscript alef, tatweel
        table[cp] = None
    for cp in (0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x061C, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0xFEFF):
        table[cp] = None  # zero-width and bidi marks
    for cp in (0x00A0, 0x2002, 0x2003, 0x2009, 0x202F, 0x3000):
        table[cp] = " "
    for cp in (0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2212):
        table[cp] = "-"
    return table


_FOLD = _build_fold_table()
_SPACES = re.compile(r"\s+")


def _fold(text: str) -> str:
    return _SPACES.sub(" ", text.translate(_FOLD)).strip().lower()


# --------------------------------------------------------------------------------------------------------------
# Vocabulary (folded spellings).
# --------------------------------------------------------------------------------------------------------------

_MONTHS: dict[str, int] = {
    # Egyptian / Gulf (transliterated Latin names), with common spelling variants.
    "يناير": 1, "فبراير": 2, "فبرير": 2, "مارس": 3, "ابريل": 4, "مايو": 5, "يونيو": 6, "يونيه": 6,
    "يوليو": 7, "يوليه": 7, "اغسطس": 8, "اغسطوس": 8, "سبتمبر": 9, "سيبتمبر": 9, "اكتوبر": 10, "نوفمبر": 11,
    "ديسمبر": 12,
    # Levantine / Iraqi (Syriac names). Two-word names are matched with flexible spacing, see _month_alternation.
    "كانون الثاني": 1, "كانون ثاني": 1, "شباط": 2, "اذار": 3, "نيسان": 4, "ايار": 5, "حزيران": 6, "تموز": 7,
    "اب": 8, "ايلول": 9, "تشرين الاول": 10, "تشرين اول": 10, "تشرين الثاني": 11, "تشرين ثاني": 11,
    "كانون الاول": 12, "كانون اول": 12,
    # Iraqi/Syrian shorthand: "كانون2" = كانون الثاني, "تشرين1" = تشرين الأول.
    "كانون 2": 1, "تشرين 1": 10, "تشرين 2": 11, "كانون 1": 12,
    # Moroccan (French-derived).
    "ماي": 5, "يوليوز": 7, "غشت": 8, "شتنبر": 9, "نونبر": 11, "دجنبر": 12,
    # Algerian / Tunisian (French).
    "جانفي": 1, "فيفري": 2, "افريل": 4, "جوان": 6, "جويليه": 7, "جويلييه": 7, "اوت": 8,
    # English.
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}  # fmt: skip

_HIJRI_MONTHS: dict[str, int] = {
    "محرم": 1, "المحرم": 1, "صفر": 2, "ربيع الاول": 3, "ربيع اول": 3, "ربيع الثاني": 4, "ربيع ثاني": 4,
    "ربيع الاخر": 4, "ربيع اخر": 4, "جمادي الاولي": 5, "جمادي الاول": 5, "جمادي اولي": 5, "جمادا الاولي": 5,
    "جمادي الثانيه": 6, "جمادي الثاني": 6, "جمادي الاخره": 6, "جمادي الاخر": 6, "جمادا الاخره": 6,
    "جمادا الثانيه": 6, "رجب": 7, "شعبان": 8, "رمضان": 9, "شوال": 10, "ذو القعده": 11, "ذي القعده": 11,
    "ذو الحجه": 12, "ذي الحجه": 12,
}  # fmt: skip

# Ordinal day words ("الخامس من مايو"); only read when followed by "من", so "كانون الأول" is never a day.
_UNITS_ORD = ["الاول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع"]
_ORDINALS: dict[str, int] = {word: i + 1 for i, word in enumerate(_UNITS_ORD)}
_ORDINALS.update({"العاشر": 10, "العشرين": 20, "الثلاثين": 30, "الحادي عشر": 11})
for _i, _word in enumerate(_UNITS_ORD[1:], start=12):
    _ORDINALS[f"{_word} عشر"] = _i
for _tens, _tens_word in ((20, "العشرين"), (30, "الثلاثين")):
    for _i, _word in enumerate(["الحادي", *_UNITS_ORD[1:]], start=1):
        if _tens + _i <= 31:
            _ORDINALS[f"{_word} و{_tens_word}"] = _tens + _i


def _alternation(words: Iterable[str]) -> str:
    """Regex alternation, longest first (so "مايو" beats "ماي"), internal spaces matching any spacing."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s*") for w in ordered)


def _lookup(table: dict[str, _V], matched: str) -> _V:
    """Value for a matched name whose spacing may differ from the key ("ذوالقعده" for "ذو القعده").

    The lookup tables are keyed without spaces (see _squeezed), so the match is squeezed the same way.
    """
    return table[matched.replace(" ", "")]


_FIXED_ZONES: dict[str, timedelta] = {
    # Abbreviations seen on Arabic sites. AST is Arabia Standard Time there, not Atlantic; GST is Gulf time.
    "gmt": timedelta(0), "utc": timedelta(0), "ut": timedelta(0), "z": timedelta(0), "wet": timedelta(0),
    "gst": timedelta(hours=4), "ast": timedelta(hours=3), "ksa": timedelta(hours=3), "msk": timedelta(hours=3),
    "eet": timedelta(hours=2), "eest": timedelta(hours=3), "cet": timedelta(hours=1), "cest": timedelta(hours=2),
    "west": timedelta(hours=1), "bst": timedelta(hours=1), "est": timedelta(hours=-5), "edt": timedelta(hours=-4),
    "pst": timedelta(hours=-8), "pdt": timedelta(hours=-7),
}  # fmt: skip

# Places named after "بتوقيت"/"توقيت"/"حسب توقيت" (folded spellings) -> IANA zone.
_PLACES: dict[str, str] = {
    "مكه المكرمه": "Asia/Riyadh", "مكه": "Asia/Riyadh", "الرياض": "Asia/Riyadh", "السعوديه": "Asia/Riyadh",
    "جده": "Asia/Riyadh", "المدينه المنوره": "Asia/Riyadh",
    "غرينتش": "UTC", "جرينتش": "UTC", "غرينيتش": "UTC", "جرينيتش": "UTC", "غرنتش": "UTC", "جرنتش": "UTC",
    "غرينتش العالمي": "UTC", "عالمي": "UTC",
    "القدس": "Asia/Jerusalem", "فلسطين": "Asia/Hebron", "غزه": "Asia/Gaza", "رام الله": "Asia/Hebron",
    "القاهره": "Africa/Cairo", "مصر": "Africa/Cairo",
    "ابوظبي": "Asia/Dubai", "ابو ظبي": "Asia/Dubai", "الامارات": "Asia/Dubai", "دبي": "Asia/Dubai",
    "الدوحه": "Asia/Qatar", "قطر": "Asia/Qatar", "الكويت": "Asia/Kuwait", "المنامه": "Asia/Bahrain",
    "البحرين": "Asia/Bahrain", "مسقط": "Asia/Muscat", "سلطنه عمان": "Asia/Muscat",
    "بيروت": "Asia/Beirut", "لبنان": "Asia/Beirut", "دمشق": "Asia/Damascus", "سوريا": "Asia/Damascus",
    "بغداد": "Asia/Baghdad", "العراق": "Asia/Baghdad", "الاردن": "Asia/Amman", "عمان الاردن": "Asia/Amman",
    "صنعاء": "Asia/Aden", "اليمن": "Asia/Aden", "عدن": "Asia/Aden",
    "الرباط": "Africa/Casablanca", "المغرب": "Africa/Casablanca", "الدار البيضاء": "Africa/Casablanca",
    "الجزائر": "Africa/Algiers", "تونس": "Africa/Tunis", "ليبيا": "Africa/Tripoli", "طرابلس الغرب": "Africa/Tripoli",
    "الخرطوم": "Africa/Khartoum", "السودان": "Africa/Khartoum", "نواكشوط": "Africa/Nouakchott",
    "موريتانيا": "Africa/Nouakchott",
    "لندن": "Europe/London", "باريس": "Europe/Paris", "برلين": "Europe/Berlin", "موسكو": "Europe/Moscow",
    "انقره": "Europe/Istanbul", "اسطنبول": "Europe/Istanbul", "تركيا": "Europe/Istanbul", "طهران": "Asia/Tehran",
    "ايران": "Asia/Tehran", "واشنطن": "America/New_York", "نيويورك": "America/New_York",
}  # fmt: skip
# Folded, Amman (عمّان) and Oman (عُمان) are the same string; "بتوقيت عمان" is how Jordanian sites write their time,
# while Omani ones name the sultanate or Muscat, so "عمان" alone is Amman.
_PLACES["عمان"] = "Asia/Amman"

_NUMBER_WORDS: dict[str, int] = {
    "واحد": 1, "واحده": 1, "اثنين": 2, "اثنان": 2, "اثنتين": 2, "ثلاث": 3, "ثلاثه": 3, "اربع": 4, "اربعه": 4,
    "خمس": 5, "خمسه": 5, "ست": 6, "سته": 6, "سبع": 7, "سبعه": 7, "ثمان": 8, "ثماني": 8, "ثمانيه": 8, "تسع": 9,
    "تسعه": 9, "عشر": 10, "عشره": 10, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3,
}  # fmt: skip

# Relative units: folded word -> (unit, implied count for dual forms like "ساعتين", else 0 = "read the number").
_REL_UNITS: dict[str, tuple[str, int]] = {
    "ثانيه": ("seconds", 0), "ثواني": ("seconds", 0), "ثوان": ("seconds", 0), "ثانيتين": ("seconds", 2),
    "دقيقه": ("minutes", 0), "دقائق": ("minutes", 0), "دقايق": ("minutes", 0), "دقيقتين": ("minutes", 2),
    "ساعه": ("hours", 0), "ساعات": ("hours", 0), "ساعتين": ("hours", 2),
    "يوم": ("days", 0), "ايام": ("days", 0), "يومين": ("days", 2),
    "اسبوع": ("weeks", 0), "اسابيع": ("weeks", 0), "اسبوعين": ("weeks", 2),
    "شهر": ("months", 0), "اشهر": ("months", 0), "شهور": ("months", 0), "شهرين": ("months", 2),
    "سنه": ("years", 0), "سنوات": ("years", 0), "سنين": ("years", 0), "سنتين": ("years", 2),
    "عام": ("years", 0), "اعوام": ("years", 0), "عامين": ("years", 2),
    "second": ("seconds", 0), "seconds": ("seconds", 0), "sec": ("seconds", 0), "secs": ("seconds", 0),
    "minute": ("minutes", 0), "minutes": ("minutes", 0), "min": ("minutes", 0), "mins": ("minutes", 0),
    "hour": ("hours", 0), "hours": ("hours", 0), "hr": ("hours", 0), "hrs": ("hours", 0),
    "day": ("days", 0), "days": ("days", 0), "week": ("weeks", 0), "weeks": ("weeks", 0),
    "month": ("months", 0), "months": ("months", 0), "year": ("years", 0), "years": ("years", 0),
}  # fmt: skip


def _folded(table: dict[str, _V]) -> dict[str, _V]:
    """The table with its keys folded like the text (so a spelling slip in a key, ئ or ة, cannot hide it)."""
    return {_fold(key): value for key, value in table.items()}


def _squeezed(table: dict[str, _V]) -> dict[str, _V]:
    """Lookup form of a table: keys without spaces, as _lookup asks for them."""
    return {key.replace(" ", ""): value for key, value in table.items()}


_MONTHS = _folded(_MONTHS)
_HIJRI_MONTHS = _folded(_HIJRI_MONTHS)
_ORDINALS = _folded(_ORDINALS)
_PLACES = _folded(_PLACES)
_NUMBER_WORDS = _folded(_NUMBER_WORDS)
_REL_UNITS = _folded(_REL_UNITS)
_MONTH_OF, _HIJRI_MONTH_OF, _ORDINAL_OF = _squeezed(_MONTHS), _squeezed(_HIJRI_MONTHS), _squeezed(_ORDINALS)
_ZONE_OF_PLACE = _squeezed(_PLACES)

# --------------------------------------------------------------------------------------------------------------
# Patterns (all on folded text).
# --------------------------------------------------------------------------------------------------------------

_MONTH = _alternation(_MONTHS)
_HMONTH = _alternation(_HIJRI_MONTHS)
_ORD = _alternation(_ORDINALS)
# A word boundary that also works next to Arabic letters and digits ("2024م", "بـ12").
_END = r"(?![^\W\d_])"
_START = r"(?<![^\W\d_])"

# Month spec: "مايو", "أيار/مايو", "أيار (مايو)", "حزيران يونيو" and "يونيوحزيران" (the Levantine and Egyptian
# names of one month side by side: the year after them must still be read), "5 (مايو)", "Sept.". The optional
# leading number is only read when a "(" follows it, so "12 مايو" never takes 12 for a month.
_MSPEC = (
    rf"(?:(?P<mnum>\d{{1,2}})\s*\(\s*|\(\s*)?{_START}(?P<mname>{_MONTH})(?:{_END}|(?={_MONTH}{_END}))\.?\s*\)?"
    rf"(?:(?:\s*[/(]\s*|\s*)(?P<mname2>{_MONTH}){_END}\.?\s*\)?)?"
)
_DAY = rf"(?:(?<!\d)(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)|{_START}(?P<ord>{_ORD})\s+من|{_START}(?P<ghurra>غره)\s)"
_SEP = r"[\s,.\-/|]*"
_YEAR = r"(?:(?:من\s+)?(?:ل?عام|ل?سنه|العام)\s*|من\s+)?(?<!\d)(?P<year>\d{4})(?!\d)"

_DMY_NAMED = re.compile(rf"{_DAY}{_SEP}(?:من\s+)?(?:شهر\s+)?{_MSPEC}(?:{_SEP}{_YEAR})?")
_MDY_NAMED = re.compile(rf"{_MSPEC}{_SEP}(?<!\d)(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:{_SEP}{_YEAR})?")
# Year first: "2024 مايو 12", and Elaph's "2024 الأحد 12 مايو".
_WEEKDAY = r"(?:يوم\s*)?(?:الاحد|الاثنين|الثلاثاء|الاربعاء|الخميس|الجمعه|السبت)"
_YEAR_LEAD = r"(?<!\d)(?P<year>\d{4})(?!\d)[\s,\-]*"
_YDM_NAMED = re.compile(rf"{_YEAR_LEAD}(?:{_WEEKDAY}[\s,\-]*)?{_DAY}{_SEP}{_MSPEC}")
_YMD_NAMED = re.compile(rf"{_YEAR_LEAD}{_MSPEC}{_SEP}(?<!\d)(?P<day>\d{{1,2}})(?!\d)(?![:.]\d)")
_MY_NAMED = re.compile(rf"{_MSPEC}{_SEP}{_YEAR}")
_HIJRI = re.compile(
    rf"{_DAY}{_SEP}(?:شهر\s+)?{_START}(?P<hname>{_HMONTH}){_END}{_SEP}(?<!\d)(?P<year>1[3-5]\d\d)(?!\d)"
    rf"(?:\s*(?:ه|هجري|هجريه|h|ah){_END})?"
)
_NUM_DMY = re.compile(
    r"(?<![\d/.\-a-z])(?P<a>\d{1,2})\s?(?P<sep>[/.\-])\s?(?P<b>\d{1,2})\s?(?P=sep)\s?(?P<year>\d{4}|\d{2})"
    r"(?!\d)(?![/.\-]\d)(?P<hsuffix>\s*ه(?![^\W\d_]))?"
)
_NUM_YMD = re.compile(
    r"(?<![\d/.\-])(?P<year>\d{4})\s?(?P<sep>[/.\-])\s?(?P<a>\d{1,2})\s?(?P=sep)\s?(?P<b>\d{1,2})"
    r"(?!\d)(?![/.\-]\d)(?P<hsuffix>\s*ه(?![^\W\d_]))?"
)

_TIME = re.compile(r"(?<![\d:])(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<f>\d{1,6})\d*)?)?(?![\d:])")
_HOUR_ONLY = re.compile(r"(?:الساعه|at)\s*(?P<h>\d{1,2})(?![\d:])")
# Compact ISO time right after a date: "2017-01-22T171800".
_COMPACT_TIME = re.compile(r"t(?P<h>\d{2})(?P<m>\d{2})(?P<s>\d{2})?(?!\d)")
_MERIDIEM = re.compile(
    r"\s*(?:من\s+)?(?P<mer>صباحا|صباح|ص|مساءا|مساء|م|ظهرا|الظهر|عصرا|العصر|ليلا|الليل|فجرا|الفجر|منتصف\s*الليل|منتصف\s*النهار"
    r"|a\.?m\.?|p\.?m\.?)(?![^\W\d_])"
)
# Numeric offset glued to a time (or an ISO date): "+0400", "+03:00", "Z", "-05".
_TAIL_OFFSET = re.compile(r"\s*(?:(?P<z>z)(?![a-z])|(?P<sign>[+-])(?P<oh>\d{2}):?(?P<om>\d{2})?)(?![\d/.\-])")

_OFFSET = r"(?:\s*(?P<sign>[+-])\s*(?P<oh>\d{1,2})(?::?(?P<om>\d{2}))?(?!\d))?"
_ZONE_ABBR = re.compile(
    rf"(?<![a-z])(?P<abbr>{'|'.join(sorted(_FIXED_ZONES, key=len, reverse=True))})(?![a-z]){_OFFSET}"
)
_ZONE_PLACE = re.compile(
    rf"(?:(?:ب|حسب\s*)?توقيت\s*(?:مدينه\s*)?|\(\s*(?=مكه|غرينتش|جرينتش))(?P<place>{_alternation(_PLACES)}){_END}"
    rf"\s*\)?{_OFFSET}"
)
_ZONE_GMT_AR = re.compile(rf"{_START}(?:ت\s?\.\s?غ|ت\s+غ){_END}\.?{_OFFSET}")

_REL_NUMBER = _alternation(_NUMBER_WORDS)
_RELATIVE_AGO = re.compile(
    rf"{_START}(?:منذ|قبل)\s*(?:(?:حوالي|نحو|قرابه|زهاء|اكثر\s*من|اقل\s*من|ما\s*يقارب)\s+)?"
    rf"(?:(?P<n>\d+)|(?P<nw>{_REL_NUMBER}))?\s*{_START}(?P<unit>{_alternation(_REL_UNITS)}){_END}"
    rf"|(?<![\w])(?:about\s+|over\s+)?(?:(?P<en>\d+)|(?P<enw>a|an|one|two|three))\s+(?P<enunit>[a-z]+)\s+ago(?![a-z])"
)
_RELATIVE_DAY = re.compile(
    rf"{_START}(?P<word>اول\s*امس|امس|الامس|البارحه|اليوم(?!\s*السابع)|الان|للتو|منذ\s*(?:قليل|لحظات)){_END}"
    r"|(?<![a-z])(?P<en>day before yesterday|yesterday|today|just now|now)(?![a-z])"
)
# Day words -> days from the reference day (Arabic keys without spaces, as _relative squeezes them).
_DAY_OFFSETS: dict[str, int] = {"اولامس": -2, "امس": -1, "الامس": -1, "البارحه": -1, "اليوم": 0}
_DAY_OFFSETS.update({"day before yesterday": -2, "yesterday": -1, "today": 0})

_HAS_DIGIT = re.compile(r"\d")


# --------------------------------------------------------------------------------------------------------------
# Candidates.
# --------------------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    kind: str  # "greg" (Gregorian), "hijri", or "partial" (no day or no year; see problem)
    day: date | None  # the resolved day, None when it could not be resolved
    problem: str  # why day is None ("" otherwise)
    iso: bool = False  # a YYYY-MM-DD form: may carry a glued "Z"/offset or compact "T171800" time


def is_month_name(text: str) -> bool:
    """Whether ``text`` is the name of a month of the Gregorian calendar as Arabic writes it (``تشرين الأول``,
    ``يناير``, ``آذار``, ``جوان``), in any of the spellings the date parser reads."""
    return _fold(text).replace(" ", "") in _MONTH_OF


def _gregorian(year: int, month: int, day: int) -> tuple[date | None, str]:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        return None, IMPLAUSIBLE_YEAR
    try:
        return date(year, month, day), ""
    except ValueError:
        return None, IMPOSSIBLE


def _hijri(year: int, month: int, day: int) -> tuple[date | None, str]:
    try:
        g = Hijri(year, month, day).to_gregorian()
    except OverflowError:
        return None, HIJRI_RANGE
    except ValueError:
        return None, IMPOSSIBLE
    return date(g.year, g.month, g.day), ""


def _two_digit_year(year: int) -> int:
    return year + (2000 if year < 70 else 1900)


def _named_month(m: re.Match[str]) -> int | None:
    """Month of a named-month match; None when the two names of "أيار/مايو" (or "5 (مايو)") disagree."""
    month = _lookup(_MONTH_OF, m["mname"])
    if m["mname2"] and _lookup(_MONTH_OF, m["mname2"]) != month:
        return None
    if m["mnum"] and int(m["mnum"]) != month:
        return None
    return month


def _day_of(m: re.Match[str]) -> int:
    groups = m.groupdict()
    if groups["day"]:
        return int(groups["day"])
    return 1 if groups.get("ghurra") else _lookup(_ORDINAL_OF, groups["ord"])  # غرة = the first day of the month


def _candidates(s: str) -> tuple[list[_Candidate], list[_Candidate]]:
    """(dated candidates, partial ones). Partial = a month+year without day, or a day+month without year."""
    found: list[_Candidate] = []
    partial: list[_Candidate] = []

    # A numeric date is Hijri when marked "هـ" or when its year can only be Hijri (1445/11/04, as Okaz prints).
    for m in _NUM_YMD.finditer(s):
        year, a, b = int(m["year"]), int(m["a"]), int(m["b"])
        hijri = bool(m["hsuffix"]) or 1343 <= year <= 1500
        day, problem = (_hijri if hijri else _gregorian)(year, a, b)
        found.append(_Candidate(m.start(), m.end(), "hijri" if hijri else "greg", day, problem, m["sep"] == "-"))
    for m in _NUM_DMY.finditer(s):
        a, b, year = int(m["a"]), int(m["b"]), int(m["year"])
        if len(m["year"]) == 2:
            year = _two_digit_year(year)
        # Arab sites write day/month/year. Month/day/year is accepted only when it is the sole valid reading.
        if a <= 12 < b:
            a, b = b, a
        hijri = bool(m["hsuffix"]) or 1343 <= year <= 1500
        day, problem = (_hijri if hijri else _gregorian)(year, b, a)
        found.append(_Candidate(m.start(), m.end(), "hijri" if hijri else "greg", day, problem))
    for m in _HIJRI.finditer(s):
        day, problem = _hijri(int(m["year"]), _lookup(_HIJRI_MONTH_OF, m["hname"]), _day_of(m))
        found.append(_Candidate(m.start(), m.end(), "hijri", day, problem))
    for pattern in (_DMY_NAMED, _MDY_NAMED, _YDM_NAMED, _YMD_NAMED):
        for m in pattern.finditer(s):
            month = _named_month(m)
            if month is None:
                continue
            if m["year"] is None:
                partial.append(_Candidate(m.start(), m.end(), "partial", None, NO_YEAR))
                continue
            day, problem = _gregorian(int(m["year"]), month, _day_of(m))
            found.append(_Candidate(m.start(), m.end(), "greg", day, problem))
    for m in _MY_NAMED.finditer(s):
        partial.append(_Candidate(m.start(), m.end(), "partial", None, NO_DAY))
    return _non_overlapping(found), partial


def _non_overlapping(cands: list[_Candidate]) -> list[_Candidate]:
    """Keep the earliest, then longest, of overlapping candidates."""
    cands.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept: list[_Candidate] = []
    for c in cands:
        if not kept or c.start >= kept[-1].end:
            kept.append(c)
    return kept


# --------------------------------------------------------------------------------------------------------------
# Time and zone near a chosen date.
# --------------------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Time:
    start: int
    end: int
    value: time
    offset: tzinfo | None  # a numeric offset or "Z" glued to the time


def _apply_meridiem(hour: int, mer: str | None) -> int:
    if not mer or hour > 12:
        return hour  # 24-hour clock, or a redundant marker after "21:35"
    mer = mer.replace(".", "").replace(" ", "")
    if mer in ("ص", "صباح", "صباحا", "فجرا", "الفجر", "منتصفالليل", "am"):
        return 0 if hour == 12 else hour
    if mer in ("ليلا", "الليل"):
        # "1 ليلا" is 01:00, "10 ليلا" is 22:00, "12 ليلا" is midnight.
        return 0 if hour == 12 else (hour + 12 if hour >= 6 else hour)
    # مساء / م / ظهرا / عصرا / pm: afternoon or evening; "12 ظهرا" stays noon.
    return hour if hour == 12 else hour + 12


def _offset_tz(sign: str | None, oh: str | None, om: str | None) -> timezone | None:
    if not sign or oh is None:
        return None
    hours, minutes = int(oh), int(om or 0)
    if hours > 14 or minutes > 59:
        return None
    delta = timedelta(hours=hours, minutes=minutes)
    return timezone(-delta if sign == "-" else delta)


def _tail_offset(s: str, pos: int) -> tuple[tzinfo | None, int]:
    m = _TAIL_OFFSET.match(s, pos)
    if not m:
        return None, pos
    if m["z"]:
        return UTC, m.end()
    if m["sign"] == "-" and m["om"] is None:
        return None, pos  # "14:12-13 سبتمبر": a dash then two digits is a range or the day, not a UTC offset
    tz = _offset_tz(m["sign"], m["oh"], m["om"])
    return (tz, m.end()) if tz else (None, pos)


def _make_time(s: str, m: re.Match[str]) -> _Time | None:
    hour, minute = int(m["h"]), int(m.groupdict().get("m") or 0)
    second = int(m["s"] or 0) if "s" in m.groupdict() else 0
    micro = int((m.groupdict().get("f") or "0").ljust(6, "0"))
    end = m.end()
    mer = _MERIDIEM.match(s, end)
    if mer:
        hour = _apply_meridiem(hour, mer["mer"])
        end = mer.end()
    elif m.re is _HOUR_ONLY:
        return None  # "الساعة 10" with no am/pm is too weak to read as a time
    if hour == 24 and minute == 0 and second == 0:
        hour = 0  # "24:00": the day's end, kept on the same day rather than inventing the next one
    if hour > 23 or minute > 59 or second > 59:
        return None
    offset, end2 = _tail_offset(s, end)
    return _Time(m.start(), end2, time(hour, minute, second, micro), offset)


def _times_in(s: str, lo: int, hi: int) -> list[_Time]:
    out: list[_Time] = []
    for pattern in (_TIME, _HOUR_ONLY):
        for m in pattern.finditer(s, lo, hi):
            t = _make_time(s, m)
            if t is not None:
                out.append(t)
    out.sort(key=lambda t: t.start)
    return out


def _choose_time(s: str, cand: _Candidate, lo: int, hi: int) -> _Time | None:
    """The first time after the date, else the last one before it (as in "10:30 ص الأحد 12 مايو 2024")."""
    if cand.iso:
        m = _COMPACT_TIME.match(s, cand.end)
        if m:
            t = _make_time(s, m)
            if t is not None:
                return t
    after = _times_in(s, cand.end, hi)
    if after:
        return after[0]
    before = _times_in(s, lo, cand.start)
    return before[-1] if before else None


@lru_cache(maxsize=64)
def _zone(name: str) -> tzinfo | None:
    if name == "UTC":
        return UTC  # the fixed object, so "غرينتش +3" can be recognised as an offset from UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _zone_from_match(m: re.Match[str]) -> tzinfo | None:
    base: tzinfo | None
    groups = m.groupdict()
    if groups.get("abbr"):
        base = timezone(_FIXED_ZONES[m["abbr"]]) if _FIXED_ZONES[m["abbr"]] else UTC
    elif groups.get("place"):
        base = _zone(_lookup(_ZONE_OF_PLACE, m["place"]))
    else:
        base = UTC  # ت.غ = توقيت غرينتش
    offset = _offset_tz(m["sign"], m["oh"], m["om"])
    # "GMT+3" / "غرينتش +3": an offset from UTC. On a non-UTC name an offset is ambiguous, so it is ignored.
    if offset is not None and base is UTC:
        return offset
    return base


def _find_zone(s: str, lo: int, hi: int) -> tzinfo | None:
    best: re.Match[str] | None = None
    for pattern in (_ZONE_ABBR, _ZONE_PLACE, _ZONE_GMT_AR):
        m = pattern.search(s, lo, hi)
        if m and (best is None or m.start() < best.start()):
            best = m
    return _zone_from_match(best) if best else None


# --------------------------------------------------------------------------------------------------------------
# Relative dates.
# --------------------------------------------------------------------------------------------------------------


def _add_months(dt: datetime, months: int) -> datetime:
    index = dt.year * 12 + dt.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for day in range(dt.day, 27, -1):  # clamp 31 March - 1 month to 28/29 February
        try:
            return dt.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return dt.replace(year=year, month=month, day=min(dt.day, 28))


def _relative(s: str, reference: datetime | None, default_tz: tzinfo | None) -> DateResult | None:
    """A relative expression resolved against reference; None when the text has none."""
    ago = _RELATIVE_AGO.search(s)
    day_word = _RELATIVE_DAY.search(s) if ago is None else None
    if ago is None and day_word is None:
        return None
    if reference is None:
        return DateResult(None, NEEDS_REFERENCE)
    if reference.tzinfo is None and default_tz is not None:
        reference = reference.replace(tzinfo=default_tz)
    tz_known = reference.tzinfo is not None
    if ago is not None:
        if ago["unit"]:
            unit, implied = _REL_UNITS[ago["unit"].replace(" ", "")]
            count = int(ago["n"]) if ago["n"] else _NUMBER_WORDS[ago["nw"]] if ago["nw"] else implied or 1
        else:
            if ago["enunit"] not in _REL_UNITS:
                return DateResult(None, NOT_FOUND)
            unit, _ = _REL_UNITS[ago["enunit"]]
            count = int(ago["en"]) if ago["en"] else _NUMBER_WORDS[ago["enw"]]
        if unit == "months":
            return DateResult(_add_months(reference, -count), "", tz_known)
        if unit == "years":
            return DateResult(_add_months(reference, -12 * count), "", tz_known)
        try:
            return DateResult(reference - timedelta(**{unit: count}), "", tz_known)
        except OverflowError:
            return DateResult(None, IMPLAUSIBLE_YEAR)
    assert day_word is not None
    word = day_word["word"].replace(" ", "") if day_word["word"] else day_word["en"]
    if word not in _DAY_OFFSETS:  # الآن / للتو / منذ قليل / just now
        return DateResult(reference, "", tz_known)
    day = reference.date() + timedelta(days=_DAY_OFFSETS[word])
    # "أمس 10:30 مساء": the day from the reference, the clock from the text; a bare "أمس" is midnight.
    times = _times_in(s, 0, len(s))
    clock = times[0].value if times else time(0)
    return DateResult(datetime.combine(day, clock, reference.tzinfo), "", tz_known)


# --------------------------------------------------------------------------------------------------------------
# Entry point.
# --------------------------------------------------------------------------------------------------------------


def _year_from_reference(s: str, reference: datetime) -> date | None:
    """Day+month without year: the most recent such day not after the reference (+1 day of clock slack)."""
    for pattern in (_DMY_NAMED, _MDY_NAMED):
        m = pattern.search(s)
        if not m or m["year"] is not None:
            continue
        month = _named_month(m)
        if month is None:
            continue
        limit = reference.date() + timedelta(days=1)
        for year in (limit.year, limit.year - 1):
            day, _ = _gregorian(year, month, _day_of(m))
            if day is not None and day <= limit:
                return day
    return None


def _assemble(s: str, chosen: _Candidate, lo: int, hi: int, default_tz: tzinfo | None, reason: str = "") -> DateResult:
    """The chosen day plus the time and zone found in s[lo:hi] around it."""
    assert chosen.day is not None
    t = _choose_time(s, chosen, lo, hi)
    zone: tzinfo | None = t.offset if t else None
    if zone is None and t is None and chosen.iso:
        zone, _ = _tail_offset(s, chosen.end)  # "2024-05-12Z"
    if zone is None:
        anchor = max(chosen.end, t.end if t else 0)
        zone = _find_zone(s, anchor, hi) or _find_zone(s, lo, hi)
    value = datetime.combine(chosen.day, t.value if t else time(0))
    if zone is not None:
        return DateResult(value.replace(tzinfo=zone), reason, True)
    if default_tz is not None:
        return DateResult(value.replace(tzinfo=default_tz), reason, True)
    return DateResult(value, reason, False)


def _parse(text: str, default_tz: tzinfo | None, reference: datetime | None) -> DateResult:
    if not text or not text.strip():
        return DateResult(None, EMPTY)
    s = _fold(text[: 4 * _MAX_CHARS])[:_MAX_CHARS]  # cut after folding, so runs of spaces or marks cost nothing
    if not _HAS_DIGIT.search(s):  # fast path: no number, so at most a relative word ("أمس")
        relative = _relative(s, reference, default_tz)
        return relative if relative is not None else DateResult(None, NOT_FOUND)

    found, partial = _candidates(s)
    dated = [c for c in found if c.day is not None]
    # Prefer the Gregorian date when a page prints both calendars ("27 صفر 1445 هـ - 13 سبتمبر 2023 م").
    chosen = next((c for c in dated if c.kind == "greg"), None) or next(iter(dated), None)
    if chosen is not None:
        # The chosen date owns the text up to its Gregorian neighbours (a second, "updated" date has its own
        # time); Hijri companions are not borders.
        others = [c for c in found if c is not chosen and c.kind == "greg"]
        lo = max((c.end for c in others if c.end <= chosen.start), default=0)
        hi = min((c.start for c in others if c.start >= chosen.end), default=len(s))
        return _assemble(s, chosen, lo, hi, default_tz)

    if found:  # date-shaped but impossible (31/02/2024, Hijri out of range, year 1850)
        return DateResult(None, found[0].problem)
    relative = _relative(s, reference, default_tz)
    if relative is not None:
        return relative
    if reference is not None and any(c.problem == NO_YEAR for c in partial):
        day = _year_from_reference(s, reference)
        if day is not None:
            return _assemble(s, _Candidate(0, 0, "greg", day, ""), 0, len(s), default_tz, YEAR_FROM_REFERENCE)
    if partial:
        return DateResult(None, min(partial, key=lambda c: c.start).problem)
    if _times_in(s, 0, len(s)):
        return DateResult(None, TIME_ONLY)
    return DateResult(None, NOT_FOUND)


def parse(text: str, *, default_tz: tzinfo | None = None, reference: datetime | None = None) -> DateResult:
    """Read one date from ``text``; never raises.

    ``default_tz`` is attached when the text names no zone. ``reference`` (preferably aware) anchors relative
    expressions ("منذ 3 ساعات", "أمس") and a missing year ("12 مايو"); without it those give ``value=None``.
    """
    try:
        return _parse(text, default_tz, reference)
    except Exception as exc:  # a bug here must not take an ingest run down with it
        return DateResult(None, f"internal error: {type(exc).__name__}: {exc}")
