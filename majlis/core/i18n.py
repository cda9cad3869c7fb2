"""Dates in both calendars and bilingual field access."""

import datetime

from django.utils import translation
from hijridate import Gregorian

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
