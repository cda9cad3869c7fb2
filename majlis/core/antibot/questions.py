"""Text questions a person answers in digits, written in words in the reader's language.

Never an image: a screen reader reads the question, and the answer is a number typed with any
keyboard (Arabic-Indic digits are accepted as well as 0-9).
"""

import secrets
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

NUMBER_WORDS = [
    _("zero"), _("one"), _("two"), _("three"), _("four"), _("five"), _("six"), _("seven"),
    _("eight"), _("nine"), _("ten"), _("eleven"), _("twelve"), _("thirteen"), _("fourteen"),
    _("fifteen"), _("sixteen"), _("seventeen"), _("eighteen"), _("nineteen"), _("twenty"),
]  # fmt: skip

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def question_new() -> tuple[dict[str, Any], str]:
    """A random question (as data, rendered per language later) and its answer in digits."""
    kind = secrets.choice(["digits", "add", "subtract"])
    if kind == "digits":
        number = 11 + secrets.randbelow(10)
        return {"kind": kind, "a": number}, str(number)
    a, b = 1 + secrets.randbelow(10), 1 + secrets.randbelow(10)
    if kind == "add":
        return {"kind": kind, "a": a, "b": b}, str(a + b)
    a, b = max(a, b) + 5, min(a, b)
    return {"kind": kind, "a": a, "b": b}, str(a - b)


def question_text(question: dict[str, Any]) -> str:
    """The question in the active language."""
    words = {key: str(NUMBER_WORDS[value]) for key, value in question.items() if key != "kind"}
    if question["kind"] == "digits":
        return gettext("Type the number %(a)s in digits.") % words
    if question["kind"] == "add":
        return gettext("What is %(a)s plus %(b)s? Answer in digits.") % words
    return gettext("What is %(a)s minus %(b)s? Answer in digits.") % words


def answer_normalise(answer: str) -> str:
    """Digits only, Arabic-Indic and Persian digits turned into 0-9, spaces dropped."""
    return "".join(answer.translate(_DIGITS).split())
