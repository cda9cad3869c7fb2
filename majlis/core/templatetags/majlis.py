"""Template helpers used across apps: bilingual fields, Hijri dates, split lists."""

import datetime

from django import template
from django.utils import translation

from majlis.core.i18n import format_hijri, localized

register = template.Library()


@register.filter
def tr(obj: object, field: str) -> str:
    """`{{ service|tr:"name" }}`: the field in the active language."""
    return localized(obj, field)


@register.filter
def hijri(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    day = value.date() if isinstance(value, datetime.datetime) else value
    return format_hijri(day, translation.get_language())


@register.filter
def lines(value: str) -> list[str]:
    """A text field that staff type one item per line, as a list of non-empty lines."""
    return [line.strip(" -•\t") for line in (value or "").splitlines() if line.strip(" -•\t")]


@register.filter
def person(user: object) -> str:
    """How the header names the signed-in person: a guest by the masked number they proved."""
    from majlis.core.phone import mask_phone

    if getattr(user, "is_guest", False):
        return mask_phone(str(getattr(user, "phone", "")))
    return str(user)
