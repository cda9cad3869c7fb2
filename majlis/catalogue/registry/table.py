"""The default connector: the `ContractorPermit` table kept in the admin, and its CSV import/export.

The table keeps Gregorian permit years. Numbers are compared by their digits, so `P-5521` in the
table matches `5521` or `٥٥٢١` typed by a citizen.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from majlis.catalogue.models import Authority, ContractorPermit
from majlis.catalogue.registry.base import (
    GREGORIAN_YEARS,
    Permit,
    PermitQuery,
    ascii_digits,
    permit_digits,
)
from majlis.core.services import audit_record


class TableConnector:
    name = "table"

    def lookup(self, *, authority: Authority, query: PermitQuery) -> Permit | None:
        # A contractor has a handful of permits a year: fetch them and compare digits in Python,
        # which works the same on PostgreSQL and on the embedded SQLite.
        rows = ContractorPermit.objects.filter(
            authority=authority,
            contractor_number=query.contractor_number,
            permit_year__in=query.gregorian_years,
        ).order_by("-permit_year", "pk")
        for row in rows:
            if permit_digits(row.permit_number) == query.permit_number:
                return Permit(
                    contractor_number=row.contractor_number,
                    permit_number=row.permit_number,
                    permit_year=row.permit_year,
                    name_ar=row.contractor_name_ar,
                    name_en=row.contractor_name_en,
                    classification=row.classification,
                    expires_on=row.expires_on,
                )
        return None


# --- CSV --------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "contractor_number",
    "permit_number",
    "permit_year",
    "contractor_name_ar",
    "contractor_name_en",
    "classification",
    "expires_on",
)
_REQUIRED = CSV_COLUMNS[:5]
CSV_MAX_ROWS = 50_000


@dataclass(frozen=True)
class LineError:
    """A problem on one line of the file (line 1 is the header)."""

    line: int
    message: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[LineError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class CsvRejected(Exception):
    """The file as a whole cannot be read (encoding, header, size); nothing was imported."""

    def __init__(self, message: Promise | str) -> None:
        super().__init__(str(message))
        self.message = message


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte-order mark
    except UnicodeDecodeError:
        raise CsvRejected(
            _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")
        ) from None


def _row_values(line: int, row: dict[str, str]) -> tuple[dict[str, Any] | None, list[LineError]]:
    errors: list[LineError] = []

    def fail(message: Promise, **params: object) -> None:
        errors.append(LineError(line, str(message) % params if params else str(message)))

    values = {name: (row.get(name) or "").strip() for name in CSV_COLUMNS}
    for name in _REQUIRED:
        if not values[name]:
            fail(_("The column %(column)s is empty."), column=name)
    contractor = ascii_digits(values["contractor_number"])
    if contractor and not (contractor.isascii() and contractor.isdigit() and len(contractor) <= 20):
        fail(_("The contractor number must be digits only."))
    permit = ascii_digits(values["permit_number"])
    if permit and (permit_digits(permit) is None or len(permit) > 20):
        fail(_("The permit number must be digits, optionally after a letter prefix (P-5521)."))
    year_text = ascii_digits(values["permit_year"])
    year = int(year_text) if year_text.isascii() and year_text.isdigit() else None
    if year_text and (year is None or year not in GREGORIAN_YEARS):
        fail(_("The permit year must be a Gregorian year in four digits, e.g. 2025."))
    for name in ("contractor_name_ar", "contractor_name_en"):
        if len(values[name]) > 200:
            fail(_("The column %(column)s is longer than %(limit)s characters."), column=name,
                 limit=200)  # fmt: skip
    if len(values["classification"]) > 50:
        fail(_("The column %(column)s is longer than %(limit)s characters."),
             column="classification", limit=50)  # fmt: skip
    expires_on = None
    if values["expires_on"]:
        try:
            expires_on = datetime.date.fromisoformat(ascii_digits(values["expires_on"]))
        except ValueError:
            fail(_("The expiry date must be written YYYY-MM-DD, e.g. 2026-12-31."))
    if errors:
        return None, errors
    return {
        "contractor_number": contractor,
        "permit_number": permit.upper(),
        "permit_year": year,
        "contractor_name_ar": values["contractor_name_ar"],
        "contractor_name_en": values["contractor_name_en"],
        "classification": values["classification"],
        "expires_on": expires_on,
    }, []


def _parse(text: str) -> tuple[list[tuple[int, dict[str, Any]]], list[LineError]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [name for name in _REQUIRED if name not in header]
    if missing:
        raise CsvRejected(
            _("The first line must name the columns; missing: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    reader.fieldnames = header
    rows: list[tuple[int, dict[str, Any]]] = []
    errors: list[LineError] = []
    seen: dict[tuple[str, str, int], int] = {}
    for row in reader:
        line = reader.line_num
        if len(rows) + len(errors) >= CSV_MAX_ROWS:
            raise CsvRejected(_("The file has more than %(limit)s rows.") % {"limit": CSV_MAX_ROWS})
        if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
            continue  # blank line
        if None in row:
            errors.append(LineError(line, str(_("This line has more values than the header."))))
            continue
        values, problems = _row_values(line, row)
        errors.extend(problems)
        if values is None:
            continue
        key = (values["contractor_number"], permit_digits(values["permit_number"]) or "",
               values["permit_year"])  # fmt: skip
        if key in seen:
            errors.append(LineError(line, str(
                _("The same permit is already on line %(line)s.") % {"line": seen[key]}
            )))  # fmt: skip
            continue
        seen[key] = line
        rows.append((line, values))
    return rows, errors


@transaction.atomic
def contractor_permit_import(
    *,
    authority: Authority,
    data: bytes,
    actor: Any = None,
    request: HttpRequest | None = None,
    file_name: str = "",
) -> ImportReport:
    """Upsert an authority's registry rows from a CSV file with a header line.

    All or nothing: when any line is wrong, the report lists every wrong line and nothing changes.
    Rows are matched by (contractor number, permit digits, year) within the authority. One audit
    entry records the import and its counts.
    """
    rows, errors = _parse(_decode(data))
    report = ImportReport(errors=errors)
    if errors:
        return report
    existing = {
        (row.contractor_number, permit_digits(row.permit_number) or row.permit_number,
         row.permit_year): row
        for row in ContractorPermit.objects.select_for_update().filter(authority=authority)
    }  # fmt: skip
    to_create: list[ContractorPermit] = []
    to_update: list[ContractorPermit] = []
    fields = [name for name in CSV_COLUMNS if name not in {"contractor_number", "permit_year"}]
    for _line, values in rows:
        key = (values["contractor_number"], permit_digits(values["permit_number"]) or "",
               values["permit_year"])  # fmt: skip
        row = existing.get(key)
        if row is None:
            to_create.append(ContractorPermit(authority=authority, **values))
        elif any(getattr(row, name) != values[name] for name in fields):
            for name in fields:
                setattr(row, name, values[name])
            to_update.append(row)
        else:
            report.unchanged += 1
    ContractorPermit.objects.bulk_create(to_create, batch_size=1000)
    ContractorPermit.objects.bulk_update(to_update, fields, batch_size=1000)
    report.created, report.updated = len(to_create), len(to_update)
    audit_record(
        action="catalogue.contractorpermit.imported",
        obj=authority,
        actor=actor,
        request=request,
        data={"file": file_name[:200], "created": report.created, "updated": report.updated,
              "unchanged": report.unchanged},
    )  # fmt: skip
    return report


# Spreadsheets run a cell that starts with one of these as a formula (QUALITY.md S11).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> str:
    """A cell value that a spreadsheet shows as text, never evaluates."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def contractor_permit_export(rows: Iterable[ContractorPermit]) -> Iterator[str]:
    """CSV lines in the import's own columns, so an export can be edited and imported back."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(CSV_COLUMNS)
    yield "\ufeff" + flush()  # Excel reads UTF-8 (Arabic names) only with the byte-order mark
    for row in rows:
        writer.writerow([
            csv_safe(row.contractor_number), csv_safe(row.permit_number), row.permit_year,
            csv_safe(row.contractor_name_ar), csv_safe(row.contractor_name_en),
            csv_safe(row.classification), row.expires_on.isoformat() if row.expires_on else "",
        ])  # fmt: skip
        yield flush()
