"""What every registry connector shares: the query, the answer, the refusals and their wording.

A connector answers one question — does this authority's registry hold a permit with this
contractor number, permit number and year? — with a `Permit` or `None`, or raises
`RegistryUnavailable`. `registry_lookup` (in `__init__`) turns that into a `RegistryResult`.
"""

import datetime
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Literal, Protocol
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from majlis.core.i18n import gregorian_years_of_hijri_year, localized

if TYPE_CHECKING:
    from majlis.catalogue.models import Authority

Field = Literal["contractor_number", "permit_number", "permit_year"]

# Arabic-Indic (U+0660…) and Eastern Arabic-Indic (U+06F0…, Persian/Urdu keyboards) digits.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_NUMBER = re.compile(r"[0-9]{1,20}")
# A permit number may carry the registry's letter prefix as printed on the permit (P-5521).
_PERMIT = re.compile(r"(?:[A-Za-z]{1,3}\s*[-/]?\s*)?([0-9]{1,20})")
GREGORIAN_YEARS = range(1900, 2201)
HIJRI_YEARS = range(1343, 1501)  # the Umm al-Qura table hijridate carries


class Refusal(StrEnum):
    NOT_FOUND = "not_found"
    EXPIRED = "expired"
    UNAVAILABLE = "unavailable"
    INVALID = "invalid"


_MESSAGES: dict[tuple[Refusal, str], Promise] = {
    (Refusal.NOT_FOUND, ""): _("No permit matches this contractor number, permit number and year."),
    (Refusal.EXPIRED, ""): _("This permit has expired."),
    (Refusal.UNAVAILABLE, ""): _(
        "The registry cannot be reached now. Please try again in a few minutes."
    ),
    (Refusal.INVALID, "contractor_number"): _("Enter the contractor number in digits."),
    (Refusal.INVALID, "permit_number"): _("Enter the permit number in digits."),
    (Refusal.INVALID, "permit_year"): _("Enter the permit year in four digits, e.g. 2025."),
    (Refusal.INVALID, "permit_year_hijri"): _(
        "Enter the permit year in four digits, Gregorian or Hijri, e.g. 2025 or 1447."
    ),
}


class RegistryUnavailable(Exception):
    """The registry could not give an answer; the reason is for the log, never for users."""


@dataclass(frozen=True)
class PermitQuery:
    """The three numbers, normalised: ASCII digits, the year as entered and its calendar."""

    contractor_number: str
    permit_number: str
    permit_year: int
    calendar: Literal["gregorian", "hijri"]
    gregorian_years: tuple[int, ...]


@dataclass(frozen=True)
class Permit:
    """A permit as the registry holds it (names in both languages)."""

    contractor_number: str
    permit_number: str
    permit_year: int
    name_ar: str
    name_en: str
    classification: str = ""
    expires_on: datetime.date | None = None
    expired: bool = False

    @property
    def name(self) -> str:
        """The name in the active language, falling back to the other."""
        return localized(self, "name")


@dataclass(frozen=True)
class RegistryResult:
    """Either a permit that may be used (`ok`), or a refusal with its code.

    An expired permit is refused with `expired` but still carried in `permit`, for a caller
    (a renewal, say) that accepts expired permits.
    """

    permit: Permit | None = None
    refusal: Refusal | None = None
    field: Field | None = None  # which input an `invalid` refusal is about
    hijri_allowed: bool = False

    @property
    def ok(self) -> bool:
        return self.permit is not None and self.refusal is None

    @property
    def message(self) -> str:
        """The refusal in the active language, to show beside `field` (or above the form)."""
        if self.refusal is None:
            return ""
        key: str = self.field or ""
        if key == "permit_year" and self.hijri_allowed:
            key = "permit_year_hijri"
        return str(_MESSAGES[self.refusal, key])


class InvalidQuery(Exception):
    def __init__(self, field: Field) -> None:
        super().__init__(field)
        self.field: Field = field


def ascii_digits(value: object) -> str:
    """The text with Arabic-Indic digits turned into ASCII ones and surrounding space removed."""
    return str(value).translate(_DIGITS).strip()


def permit_digits(value: object) -> str | None:
    """The digits of a permit number (`P-5521`, `٥٥٢١` → `5521`), or None if malformed."""
    match = _PERMIT.fullmatch(ascii_digits(value))
    return match.group(1) if match else None


def permit_query(
    *, authority: "Authority", contractor_number: object, permit_number: object, permit_year: object
) -> PermitQuery:
    """Normalise what a citizen typed; raises InvalidQuery naming the first bad field."""
    contractor = ascii_digits(contractor_number)
    if not _NUMBER.fullmatch(contractor):
        raise InvalidQuery("contractor_number")
    permit = permit_digits(permit_number)
    if permit is None:
        raise InvalidQuery("permit_number")
    year_text = ascii_digits(permit_year)
    if not re.fullmatch(r"[0-9]{4}", year_text):
        raise InvalidQuery("permit_year")
    year = int(year_text)
    if year in GREGORIAN_YEARS:
        return PermitQuery(contractor, permit, year, "gregorian", (year,))
    if authority.show_hijri and year in HIJRI_YEARS:
        return PermitQuery(contractor, permit, year, "hijri", gregorian_years_of_hijri_year(year))
    raise InvalidQuery("permit_year")


def is_expired(expires_on: datetime.date | None, authority: "Authority") -> bool:
    """Expired once the expiry day has passed in the authority's own time zone."""
    if expires_on is None:
        return False
    return expires_on < timezone.localdate(timezone=ZoneInfo(authority.time_zone))


class RegistryConnector(Protocol):
    """One way of reaching an authority's contractor registry."""

    name: str

    def lookup(self, *, authority: "Authority", query: PermitQuery) -> Permit | None:
        """The matching permit, or None; raises RegistryUnavailable when there is no answer."""
        ...
