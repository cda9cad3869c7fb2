"""A request's answers as people read them: in the labels of the form version it was sent with.

The answers are stored as the form gave them (option values, ISO dates, name parts, file
metadata); what a page or document shows is each field's label and value in the reader's
language: an option's label rather than its value, a four-part name as one line, a repeatable
group (companions) as its rows, a file as a link to the request's own copy.

    rows = answer_rows(case=case, language="ar")
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext

from majlis.cases.models import Case, CaseFile
from majlis.core.choices import UploadStatus
from majlis.core.i18n import format_hijri

# Kinds whose value is a code, number or address: shown isolated and left to right.
LTR_KINDS = frozenset({"phone", "email", "national_id", "number"})
LIST_SEPARATOR = {"ar": "، ", "en": ", "}


@dataclass(frozen=True)
class ShownFile:
    """A file of the request: its name, the link's id, and whether it may be downloaded yet."""

    name: str
    public_id: str
    ready: bool  # scanned and clean; until then it is listed but not served
    status: str = UploadStatus.CLEAN  # the officers' page tells "awaiting the scan" from "held"
    is_image: bool = False  # a picture is previewed inline on the officers' page


@dataclass
class AnswerRow:
    """One answered field: `text` for a plain value, `file` for a file, `rows` for a group."""

    name: str
    label: str
    kind: str
    text: str = ""
    hijri: str = ""
    ltr: bool = False
    file: ShownFile | None = None
    rows: list[list["AnswerRow"]] = field(default_factory=list)
    row_label: str = ""


def text_in(meta: Mapping[str, Any], key: str, language: str) -> str:
    """`label_ar` or `label_en` (any `<key>_<language>`), falling back to the other language."""
    first, second = ("ar", "en") if language == "ar" else ("en", "ar")
    return str(meta.get(f"{key}_{first}") or meta.get(f"{key}_{second}") or "")


def option_label(meta: Mapping[str, Any], value: Any, language: str) -> str:
    """The label of the option `value` of a choice field; the value itself if it is not there."""
    for option in meta.get("options", []):
        if option.get("value") == value:
            return text_in(option, "label", language) or str(value)
    return str(value)


def shown_file(case_file: CaseFile) -> ShownFile:
    upload = case_file.upload
    return ShownFile(
        name=upload.display_name,
        public_id=upload.public_id,
        ready=upload.status == UploadStatus.CLEAN,
        status=upload.status,
        is_image=upload.is_image,
    )


def _date_text(value: Any, language: str, show_hijri: bool) -> tuple[str, str]:
    try:
        day = datetime.date.fromisoformat(str(value))
    except ValueError:
        return str(value), ""
    try:
        hijri = format_hijri(day, language) if show_hijri else ""
    except (OverflowError, ValueError):
        hijri = ""  # outside the Umm al-Qura table (before 1343 or after 1500 AH)
    return date_format(day, "DATE_FORMAT"), hijri


def _row(
    meta: Mapping[str, Any],
    value: Any,
    *,
    path: str,
    files: Mapping[str, CaseFile],
    language: str,
    show_hijri: bool,
) -> AnswerRow | None:
    kind = str(meta["type"])
    if kind == "declaration" or value in (None, "", [], {}):
        return None  # a declaration is ticked on every request: it tells the reader nothing
    row = AnswerRow(name=path, label=text_in(meta, "label", language), kind=kind)
    if kind == "group":
        row.row_label = text_in(meta, "row_label", language) or row.label
        for index, answers in enumerate(value if isinstance(value, list) else []):
            cells: list[AnswerRow] = []
            for sub in meta.get("fields", []):
                cell = _row(
                    sub, answers.get(sub["name"]) if isinstance(answers, dict) else None,
                    path=f"{path}.{index}.{sub['name']}", files=files, language=language,
                    show_hijri=show_hijri,
                )  # fmt: skip
                if cell is not None:
                    cells.append(cell)
            row.rows.append(cells)
        return row if row.rows else None
    if kind == "file":
        case_file = files.get(path)
        if case_file is not None:
            row.file = shown_file(case_file)
        else:
            row.text = str(value.get("name", "")) if isinstance(value, dict) else str(value)
        return row
    if kind == "choice":
        row.text = option_label(meta, value, language)
    elif kind == "multichoice":
        values = value if isinstance(value, list) else [value]
        row.text = LIST_SEPARATOR[language].join(option_label(meta, v, language) for v in values)
    elif kind == "name4":
        row.text = " ".join(str(part) for part in value) if isinstance(value, list) else str(value)
    elif kind == "date":
        row.text, row.hijri = _date_text(value, language, show_hijri)
    else:
        row.text = str(value)
    row.ltr = kind in LTR_KINDS
    return row


def answer_rows(*, case: Case, language: str) -> list[AnswerRow]:
    """The request's answers in the order of its own form version (one query, for its files)."""
    language = "ar" if language.startswith("ar") else "en"
    files = {
        case_file.path: case_file
        for case_file in CaseFile.objects.filter(case=case, message__isnull=True)
        .exclude(path="")
        .select_related("upload")
    }
    show_hijri = case.authority.show_hijri
    answers = case.answers or {}
    rows: list[AnswerRow] = []
    for meta in case.form_version.fields:
        row = _row(
            meta, answers.get(meta["name"]), path=str(meta["name"]), files=files,
            language=language, show_hijri=show_hijri,
        )  # fmt: skip
        if row is not None:
            rows.append(row)
    registry = answers.get("registry")
    if isinstance(registry, dict):
        # Amman: the contractor the permit registry named when the request was sent.
        name = registry.get(f"contractor_name_{language}") or registry.get("contractor_name_ar")
        if name:
            rows.append(AnswerRow(name="registry", label=gettext("Contractor"), kind="text",
                                  text=str(name)))  # fmt: skip
    return rows


def answer_text(*, case: Case, name: str, language: str) -> str:
    """One top-level answer as text (`requested_date`, `official`); "" when the form has none."""
    language = "ar" if language.startswith("ar") else "en"
    value = (case.answers or {}).get(name)
    for meta in case.form_version.fields:
        if meta["name"] == name and meta["type"] not in ("group", "file"):
            row = _row(meta, value, path=name, files={}, language=language, show_hijri=False)
            return row.text if row is not None else ""
    return ""
