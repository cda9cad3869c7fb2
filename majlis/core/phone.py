"""Mobile numbers: read in the forms citizens type them, stored in E.164."""

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType


class InvalidMobile(ValueError):
    """Not a mobile number we can send an SMS to."""


_MOBILE_TYPES = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}


def normalize_mobile(raw: str, region: str) -> str:
    """`0501234567`, `971501234567`, `+971 50 123 4567` (region AE) → `+971501234567`.

    Local forms are read as numbers of `region`; a number written with its country code but
    without the plus is accepted too, as people copy them from SMS senders that way.
    """
    text = "".join(ch for ch in raw.strip() if ch.isdigit() or ch == "+")
    text = text.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789"))
    if not raw.strip():
        raise InvalidMobile("empty")
    candidates = [text]
    if text.startswith("00"):
        candidates.insert(0, "+" + text[2:])
    elif not text.startswith("+"):
        candidates.append("+" + text)
    for candidate in candidates:
        try:
            number = phonenumbers.parse(candidate, region)
        except NumberParseException:
            continue
        if phonenumbers.is_valid_number(number) and (
            phonenumbers.number_type(number) in _MOBILE_TYPES
        ):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    raise InvalidMobile(raw)


def mask_phone(e164: str) -> str:
    """`+971501234587` → `+97150•••••87`: what an OTP screen shows."""
    if len(e164) <= 6:
        return "•" * len(e164)
    return f"{e164[:6]}{'•' * (len(e164) - 8)}{e164[-2:]}"
