"""The summary document of a request (seed 001 §2.10, "تنزيل مستند ملخص طلب الخدمة").

One page or two in the reader's language (Arabic laid out right-to-left and shaped by Pango,
or English): the authority, the request number and status, the applicant, every answer under
the label the citizen saw when they submitted it (the request's own form version), the
decision, and a QR code to the request's page on the portal.

Everything the citizen typed goes through Django's autoescaping, and WeasyPrint is given a URL
fetcher that hands over `data:` URIs only: whatever ends up in the HTML, the renderer never
opens a web address or a file on this server.
"""

import base64
import datetime
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

import segno
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from PIL import Image

from majlis.cases import answers
from majlis.cases.choices import CaseStatus
from majlis.cases.models import Case
from majlis.catalogue.models import Authority
from majlis.core.i18n import format_hijri, localized

TEMPLATE = "cases/documents/summary.html"
LOGO_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}
LOGO_MAX_PX = 240
MASK = "•"


class FetchRefused(ValueError):
    """WeasyPrint asked for something other than a `data:` URI."""


@cache
def _weasyprint() -> Any:
    """WeasyPrint, imported on the first PDF (it costs seconds): not every process pays for it.

    Importing it turns on Pillow's `LOAD_TRUNCATED_IMAGES` for the whole process, which would
    let a truncated picture through the upload checks of every later request in this worker.
    It is turned off again here; our PDFs embed only pictures we made ourselves.
    """
    import weasyprint
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return weasyprint


@cache
def _fetcher_class() -> Any:
    _weasyprint()
    from weasyprint.urls import URLFetcher

    class DataOnlyFetcher(URLFetcher):  # type: ignore[misc]
        """Hands WeasyPrint `data:` URIs (the QR code, the logo) and refuses everything else:
        no web address, no `file:` path, whatever the document's HTML asks for."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols={"data"}, allow_redirects=False)
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.lower().startswith("data:"):
                self.refused.append(url)
                raise FetchRefused(url)
            return super().fetch(url, headers)

    return DataOnlyFetcher


def data_only_fetcher() -> Any:
    return _fetcher_class()()


def html_to_pdf(html: str, *, base_url: str | None = None, fetcher: Any = None) -> bytes:
    """Lay `html` out as a PDF, fetching nothing but `data:` URIs."""
    weasyprint = _weasyprint()
    document = weasyprint.HTML(
        string=html, base_url=base_url, url_fetcher=fetcher or data_only_fetcher()
    )
    pdf: bytes = document.write_pdf()
    return pdf


def status_qr(url: str) -> segno.QRCode:
    """The QR code printed on the summary: the request's page on the portal."""
    return segno.make(url, error="m", micro=False)


def status_qr_data_uri(url: str) -> str:
    return str(status_qr(url).svg_data_uri(scale=4, border=2, dark="#000", light="#fff"))


def _logo_data_uri(authority: Authority) -> str:
    """The authority's logo re-encoded as a small PNG, or "" if there is none (or it is not a
    picture Pillow recognises): a broken logo never stops the document."""
    if not authority.logo:
        return ""
    try:
        with authority.logo.open("rb") as stream, Image.open(stream) as image:
            if image.format not in LOGO_FORMATS:
                return ""
            image.thumbnail((LOGO_MAX_PX, LOGO_MAX_PX))
            out = io.BytesIO()
            image.convert("RGBA").save(out, "PNG")
    except (OSError, ValueError, Image.DecompressionBombError):
        return ""
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def mask_national_id(value: str) -> str:
    """All but the last four digits hidden: `••••••1234`."""
    value = str(value or "").strip()
    if len(value) <= 4:
        return MASK * len(value)
    return MASK * (len(value) - 4) + value[-4:]


# -- the answers, as the citizen saw them ---------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One value: `ltr` for numbers, phones and addresses that read left-to-right."""

    text: str
    ltr: bool = False


@dataclass(frozen=True)
class Line:
    """A field and its answer; a repeatable group (companions) has `columns` and `rows`.

    `identity` marks the applicant's own details (name, ID, mobile, e-mail), shown apart.
    """

    label: str
    value: Cell | None = None
    columns: list[str] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    identity: bool = False


def _is_identity(meta: Mapping[str, Any]) -> bool:
    # The same fields services._identity_of takes the applicant's details from.
    return bool(meta.get("prefill")) or meta.get("type") in ("phone", "email")


def _cell(row: answers.AnswerRow) -> Cell:
    """A shown answer as the document prints it: files by name, ID numbers masked."""
    if row.file is not None:
        return Cell(row.file.name, ltr=True)
    if row.kind == "national_id":
        return Cell(mask_national_id(row.text), ltr=True)
    text = f"{row.text} — {row.hijri}" if row.hijri else row.text
    return Cell(text, ltr=row.ltr)


def summary_lines(case: Case, language: str) -> list[Line]:
    """Every answer of the request under its label in the request's own form version.

    The rows are the ones the request's pages show (`cases.answers`): choices by their option's
    label, files by their names (never their content); here national ID numbers keep only their
    last four digits, and a repeatable group becomes a table with a column per field.
    """
    metas = {meta["name"]: meta for meta in case.form_version.fields}
    lines: list[Line] = []
    for row in answers.answer_rows(case=case, language=language):
        meta = metas.get(row.name, {})
        if row.kind != "group":
            lines.append(Line(label=row.label, value=_cell(row), identity=_is_identity(meta)))
            continue
        fields = meta.get("fields", [])
        table = []
        for entry in row.rows:
            by_name = {cell.name.rsplit(".", 1)[-1]: cell for cell in entry}
            table.append([
                _cell(by_name[sub["name"]]) if sub["name"] in by_name else Cell("—")
                for sub in fields
            ])  # fmt: skip
        columns = [answers.text_in(sub, "label", language) for sub in fields]
        lines.append(Line(label=row.label, columns=columns, rows=table))
    return lines


# -- the document ---------------------------------------------------------------------------------


def _applicant_lines(case: Case) -> list[Line]:
    """The applicant's details kept on the request, for a form that did not ask for them."""
    rows = [Line(label=_("Name"), value=Cell(case.applicant_name))]
    if case.national_id:
        rows.append(
            Line(label=_("ID number"), value=Cell(mask_national_id(case.national_id), ltr=True))
        )
    if case.phone:
        rows.append(Line(label=_("Mobile number"), value=Cell(case.phone, ltr=True)))
    if case.email:
        rows.append(Line(label=_("E-mail"), value=Cell(case.email, ltr=True)))
    return rows


def _when(value: datetime.datetime, authority: Authority, *, with_time: bool) -> dict[str, str]:
    """A moment in the authority's time zone: Gregorian date (and time), and the Hijri date
    where the authority shows it."""
    local = value.astimezone(ZoneInfo(authority.time_zone))
    text = formats.date_format(local, "DATE_FORMAT")
    if with_time:
        text = f"{text} {formats.time_format(local, 'TIME_FORMAT')}"
    hijri = format_hijri(local.date(), translation.get_language()) if authority.show_hijri else ""
    return {"gregorian": text, "hijri": hijri}


def summary_context(case: Case, *, language: str, status_url: str) -> dict[str, Any]:
    """What the summary shows; call inside `translation.override(language)`."""
    authority = case.authority
    lines = summary_lines(case, language)
    applicant = [line for line in lines if line.identity] or _applicant_lines(case)
    return {
        "language": language,
        "rtl": language == "ar",
        "authority": authority,
        "authority_name": localized(authority, "name", language),
        "logo": _logo_data_uri(authority),
        "case": case,
        "service_name": localized(case.service, "name", language),
        "department_name": localized(case.department, "name", language) if case.department else "",
        "status": CaseStatus(case.status).label,
        "submitted": _when(case.submitted_at, authority, with_time=True),
        "agreed": _when(case.agreed_at, authority, with_time=True) if case.agreed_at else None,
        "closed": _when(case.closed_at, authority, with_time=False) if case.closed_at else None,
        "applicant": applicant,
        "answers": [line for line in lines if not line.identity],
        "status_url": status_url,
        "qr": status_qr_data_uri(status_url),
        "generated": _when(timezone.now(), authority, with_time=True),
    }


def case_summary_pdf(case: Case, *, language: str, status_url: str) -> bytes:
    """The request's summary as PDF bytes, in `language` ("ar" or "en").

    `status_url` is the absolute address of the request's page on the portal (the QR code's
    target); the caller has checked who may read this request.
    """
    language = "ar" if language.startswith("ar") else "en"
    with translation.override(language):
        html = render_to_string(
            TEMPLATE, summary_context(case, language=language, status_url=status_url)
        )
    return html_to_pdf(html, base_url=status_url)
