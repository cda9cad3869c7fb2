import re
import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# First path segments the site itself uses; an authority's slug may not take one of them.
RESERVED_SLUGS = frozenset(
    {"admin", "accounts", "api", "staff", "static", "media", "i18n", "offline", "healthz",
     "manifest.webmanifest", "sw.js", "favicon.ico", "robots.txt", "ws", "services", "theme",
     "notifications", "sso-demo"}
)  # fmt: skip


def validate_authority_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(_("This address is used by Majlis itself; choose another."))


def validate_colour(value: str) -> None:
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
        raise ValidationError(_("Enter a colour as # followed by six hexadecimal digits."))


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone; use a name such as Asia/Dubai."))


def validate_ticket_prefix(value: str) -> None:
    if not re.fullmatch(r"[A-Z]{1,4}", value):
        raise ValidationError(_("Use one to four capital Latin letters, such as MN."))


def validate_reference_code(value: str) -> None:
    if not re.fullmatch(r"[A-Z]{2,6}", value):
        raise ValidationError(_("Use two to six capital Latin letters, such as NJR."))
