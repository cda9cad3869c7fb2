"""From the claims a national SSO returns to the fields Majlis keeps about a person.

Providers name their claims differently (UAE PASS: `idn`, `fullnameAR`, `mobile`; Nafath and the
stand-in: `national_id`, `name_parts_ar`, `phone_number`). Each SocialApp may rename them in its
settings under "claims"; what is not renamed uses the names below.
"""

from dataclasses import dataclass, field
from typing import Any

DEFAULT_CLAIMS = {
    "national_id": "national_id",
    "name_parts_ar": "name_parts_ar",
    "name_parts_en": "name_parts_en",
    "name_ar": "name_ar",
    "name_en": "name",
    "phone": "phone_number",
    "email": "email",
}


@dataclass(frozen=True)
class Person:
    """What one sign-in told us about the person; empty where the provider said nothing."""

    national_id: str = ""
    name_parts_ar: list[str] = field(default_factory=list)
    name_parts_en: list[str] = field(default_factory=list)
    phone: str = ""
    email: str = ""

    @property
    def display_name(self) -> str:
        return " ".join(self.name_parts_ar) or " ".join(self.name_parts_en)


def _parts(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(part).strip() for part in value if str(part).strip()][:6]
    if isinstance(value, str):
        return value.split()[:6]
    return []


def _text(value: Any, limit: int) -> str:
    return str(value).strip()[:limit] if isinstance(value, (str, int)) else ""


def person_from_claims(claims: dict[str, Any], names: dict[str, str] | None = None) -> Person:
    """Read a Person from merged ID-token and userinfo claims, with per-provider claim names."""
    names = {**DEFAULT_CLAIMS, **(names or {})}
    parts_ar = _parts(claims.get(names["name_parts_ar"])) or _parts(claims.get(names["name_ar"]))
    parts_en = _parts(claims.get(names["name_parts_en"])) or _parts(claims.get(names["name_en"]))
    phone = _text(claims.get(names["phone"]), 20).replace(" ", "")
    if phone and not phone.startswith("+") and phone.isdigit():
        phone = f"+{phone}"  # UAE PASS sends 9715…; we keep E.164
    return Person(
        national_id=_text(claims.get(names["national_id"]), 32),
        name_parts_ar=parts_ar,
        name_parts_en=parts_en,
        phone=phone,
        email=_text(claims.get(names["email"]), 254),
    )
