"""Test helpers: valid answers for any service form, and small files that pass upload checks."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from majlis.catalogue.models import FormVersion
from majlis.core.national_id import luhn_check_digit
from majlis.core.tests import uploads_corpus

SAMPLE_TEXT = {"ar": "نص تجريبي للاختبار", "en": "A test text"}


def png_bytes() -> bytes:
    return uploads_corpus.image("PNG", (40, 30))


def pdf_bytes() -> bytes:
    """A one-page PDF with no active content."""
    return uploads_corpus.plain_pdf()


def a_file(name: str = "letter.pdf") -> SimpleUploadedFile:
    if name.endswith(".pdf"):
        return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def saudi_id(serial: int = 1) -> str:
    payload = f"1{serial:08d}"
    return payload + luhn_check_digit(payload)


def _value(meta: dict[str, Any], index: int) -> Any:
    kind = meta["type"]
    if kind in ("text", "textarea"):
        return f"{SAMPLE_TEXT['ar']} {index}"
    if kind == "number":
        return str(meta.get("min", 1))
    if kind == "date":
        return "2099-01-15"
    if kind == "choice":
        return meta["options"][-1]["value"] if meta.get("routes_to_department") else (
            meta["options"][0]["value"]
        )  # fmt: skip
    if kind == "multichoice":
        return [meta["options"][0]["value"]]
    if kind == "phone":
        return "0501234567"
    if kind == "email":
        return "citizen@example.com"
    if kind == "national_id":
        return saudi_id(index + 1)
    if kind == "declaration":
        return "on"
    raise ValueError(kind)


def form_post(
    version: FormVersion, *, groups: dict[str, int] | None = None, **overrides: Any
) -> dict[str, Any]:
    """A POST body that fills every field of `version` validly, files included.

    `groups` gives the number of rows of each repeatable group (default 0); `overrides` replace
    single keys (`full_name_0`, `companions-1-name`, `reason_letter`).
    """
    groups = groups or {}
    data: dict[str, Any] = {}

    def fill(fields: list[dict[str, Any]], prefix: str, salt: int) -> None:
        for index, meta in enumerate(fields):
            key = f"{prefix}{meta['name']}"
            if meta["type"] == "group":
                rows = groups.get(meta["name"], 0)
                data[f"{key}-TOTAL_FORMS"] = str(rows)
                data[f"{key}-INITIAL_FORMS"] = "0"
                for row in range(rows):
                    fill(meta["fields"], f"{key}-{row}-", salt + 10 * (row + 1))
            elif meta["type"] == "name4":
                for part, word in enumerate(("أمينة", "سالم", "محمد", "العلي")):
                    data[f"{key}_{part}"] = word
            elif meta["type"] == "file":
                data[key] = a_file(
                    "image.png" if "image" in meta["name"] else f"{meta['name']}.pdf"
                )
            else:
                data[key] = _value(meta, salt + index)

    fill(version.fields, "", 0)
    # Conditional fields shown: pick the values that show them.
    for meta in version.fields:
        condition = meta.get("show_if")
        if condition and condition["field"] not in overrides:
            wanted = condition["value"]
            data[condition["field"]] = wanted[0] if isinstance(wanted, list) else wanted
    data.update(overrides)
    return data
