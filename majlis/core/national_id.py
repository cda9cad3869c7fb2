"""National identity numbers: read as people type them, checked by their country's rules.

- Saudi Arabia: national ID (citizens, starts with 1) and iqama (residents, starts with 2), ten
  digits whose last is a Luhn check digit.
- United Arab Emirates: Emirates ID, fifteen digits `784-YYYY-NNNNNNN-C` (784 is the country's
  ISO number, YYYY the holder's year of birth), the last a Luhn check digit over the other fourteen.
- Jordan: the national number (الرقم الوطني), ten digits. No check-digit rule is published, so only
  the format is checked.
- Oman: the civil number (الرقم المدني), up to nine digits. No check-digit rule is published either:
  format only.

Numbers are stored as digits only (the Emirates ID without its dashes).
"""

import re

ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


class InvalidNationalId(ValueError):
    """Not a valid number: `code` is "format" (wrong shape) or "check_digit" (a typo)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def luhn_check_digit(payload: str) -> str:
    """The digit that, appended to `payload`, makes it pass the Luhn check."""
    total = 0
    # Walking from the right, the digit next to the check digit is doubled, then every other one.
    for position, char in enumerate(reversed(payload)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def luhn_valid(digits: str) -> bool:
    return len(digits) > 1 and digits.isdigit() and luhn_check_digit(digits[:-1]) == digits[-1]


def _digits(raw: str) -> str:
    return re.sub(r"[\s\-‐–]", "", raw.translate(ARABIC_DIGITS))


def normalize_national_id(raw: str, country: str) -> str:
    """The number as digits, or InvalidNationalId; `country` is an ISO 3166 alpha-2 code."""
    digits = _digits(raw)
    if not digits.isdigit() or not digits.isascii():
        raise InvalidNationalId("format")
    if country == "SA":
        if not re.fullmatch(r"[12]\d{9}", digits):
            raise InvalidNationalId("format")
        if not luhn_valid(digits):
            raise InvalidNationalId("check_digit")
    elif country == "AE":
        if not re.fullmatch(r"784(19|20)\d{2}\d{8}", digits):
            raise InvalidNationalId("format")
        if not luhn_valid(digits):
            raise InvalidNationalId("check_digit")
    elif country == "JO":
        if not re.fullmatch(r"\d{10}", digits):
            raise InvalidNationalId("format")
    elif country == "OM":
        if not re.fullmatch(r"\d{6,9}", digits):
            raise InvalidNationalId("format")
    elif not re.fullmatch(r"\d{5,20}", digits):
        raise InvalidNationalId("format")
    return digits


def format_national_id(digits: str, country: str) -> str:
    """For display: the Emirates ID with its dashes, the others as they are."""
    if country == "AE" and len(digits) == 15:
        return f"{digits[:3]}-{digits[3:7]}-{digits[7:14]}-{digits[14]}"
    return digits


def mask_national_id(digits: str) -> str:
    """`1234567890` → `1******890`: enough to tell two people apart in a list, not to copy.

    Lists of people (inboxes, reports) show IDs this way (data protection); the full number is
    for the pages about one person, where the reader needs it.
    """
    if len(digits) <= 4:
        return "*" * len(digits)
    return f"{digits[0]}{'*' * (len(digits) - 4)}{digits[-3:]}"
