"""Dates in both calendars and bilingual field access."""

import datetime

from django.utils import translation
from hijridate import Gregorian, Hijri

from majlis.core.types import Bilingual

HIJRI_MONTHS_AR = (
    "محرم",
    "صفر",
    "ربيع الأول",
    "ربيع الآخر",
    "جمادى الأولى",
    "جمادى الآخرة",
    "رجب",
    "شعبان",
    "رمضان",
    "شوال",
    "ذو القعدة",
    "ذو الحجة",
)
HIJRI_MONTHS_EN = (
    "Muharram",
    "Safar",
    "Rabi al-Awwal",
    "Rabi al-Thani",
    "Jumada al-Ula",
    "Jumada al-Akhirah",
    "Rajab",
    "Shaban",
    "Ramadan",
    "Shawwal",
    "Dhu al-Qadah",
    "Dhu al-Hijjah",
)


def hijri_parts(day: datetime.date) -> tuple[int, int, int]:
    """(year, month, day) in the Umm al-Qura calendar."""
    hijri = Gregorian(day.year, day.month, day.day).to_hijri()
    return hijri.year, hijri.month, hijri.day


def hijri_year(day: datetime.date) -> int:
    return hijri_parts(day)[0]


def gregorian_years_of_hijri_year(year: int) -> tuple[int, ...]:
    """The Gregorian years a Hijri (Umm al-Qura) year overlaps, e.g. 1447 -> (2025, 2026).

    Raises ValueError outside the calendar's table (1343-1500 AH).
    """
    try:
        first = Hijri(year, 1, 1).to_gregorian()
        last = Hijri(year, 12, Hijri(year, 12, 1).month_length()).to_gregorian()
    except (OverflowError, ValueError) as exc:
        raise ValueError(f"no Umm al-Qura table for Hijri year {year}") from exc
    return tuple(range(first.year, last.year + 1))


def format_hijri(day: datetime.date, language: str | None = None) -> str:
    """`12 Rajab 1448 AH` / `12 رجب 1448 هـ`."""
    year, month, dom = hijri_parts(day)
    language = language or translation.get_language() or "ar"
    if language.startswith("ar"):
        return f"{dom} {HIJRI_MONTHS_AR[month - 1]} {year} هـ"
    return f"{dom} {HIJRI_MONTHS_EN[month - 1]} {year} AH"


def localized(obj: Bilingual, field: str, language: str | None = None) -> str:
    """The `<field>_ar` or `<field>_en` value for the active language, falling back to the other."""
    language = (language or translation.get_language() or "ar")[:2]
    first, second = ("ar", "en") if language == "ar" else ("en", "ar")
    value = getattr(obj, f"{field}_{first}", "") or getattr(obj, f"{field}_{second}", "")
    return str(value or "")
