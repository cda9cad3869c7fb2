"""SMS encoding and parts: what a text costs to send.

A text that fits the GSM 03.38 alphabet goes as 7-bit (160 characters, or 153 per part when
split); anything else, Arabic included, goes as UCS-2 (70 UTF-16 units, or 67 per part).
"""

from typing import Literal

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# These take two septets: an escape and the character.
GSM_EXTENSION = frozenset("^{}\\[~]|€\f")

Encoding = Literal["GSM-7", "UCS-2"]


def sms_encoding(text: str) -> Encoding:
    if all(char in GSM_BASIC or char in GSM_EXTENSION for char in text):
        return "GSM-7"
    return "UCS-2"


def sms_units(text: str, encoding: Encoding) -> int:
    if encoding == "GSM-7":
        return sum(2 if char in GSM_EXTENSION else 1 for char in text)
    return len(text.encode("utf-16-le")) // 2


def sms_parts(text: str) -> tuple[Encoding, int]:
    """(encoding, number of parts) for one text."""
    encoding = sms_encoding(text)
    units = sms_units(text, encoding)
    single, multi = (160, 153) if encoding == "GSM-7" else (70, 67)
    if units <= single:
        return encoding, 1 if units else 0
    return encoding, -(-units // multi)
