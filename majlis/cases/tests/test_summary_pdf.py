"""The request's summary document: what it says, in which language and direction, who gets it,
and that rendering it never fetches anything from the network or the disk."""

import base64
import datetime
import io
import re
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from zoneinfo import ZoneInfo

import pypdf
import pytest
import segno
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from majlis.accounts.testing import sign_in_staff
from majlis.cases import pdf as summary
from majlis.cases import services
from majlis.cases.models import Case
from majlis.cases.testing import form_post, png_bytes, saudi_id
from majlis.catalogue.models import Service
from majlis.catalogue.selectors import form_version_current
from majlis.core.i18n import HIJRI_MONTHS_AR, hijri_parts

pytestmark = pytest.mark.django_db

RIYADH = ZoneInfo("Asia/Riyadh")  # Najran's time zone: its dates are in it
COMPANIONS = ("سعد علي الحارثي", "فهد ناصر اليامي")


@dataclass
class Run:
    """One piece of text as pypdf reads it, and where it starts on its page."""

    text: str
    x: float
    y: float


def _runs(pdf: bytes) -> list[Run]:
    found: list[Run] = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:

        def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
            if text.strip():
                found.append(Run(text.strip(), float(tm[4]), float(tm[5])))

        page.extract_text(visitor_text=visit)
    return found


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def _row(runs: list[Run], label: str, value: str) -> tuple[Run, Run]:
    """A label and the run of its value on the same line (the value may appear elsewhere too)."""
    head = next(run for run in runs if run.text == label)
    cell = min((run for run in runs if run.text == value), key=lambda run: abs(run.y - head.y))
    assert head.y == pytest.approx(cell.y, abs=3)
    return head, cell


def _links(pdf: bytes) -> list[str]:
    uris = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if "/URI" in action:
                uris.append(str(action["/URI"]))
    return uris


@pytest.fixture
def case(amina: Any, upload_root: Any) -> Case:
    """Amina's request to Najran with two companions, filed through the citizen's form."""
    client = Client()
    service = Service.objects.get(authority__slug="najran", slug="emirate-appointment")
    version = form_version_current(service=service)
    data = form_post(
        version, groups={"companions": 2}, destination="citizens-affairs",
        **{"companions-0-name": COMPANIONS[0], "companions-1-name": COMPANIONS[1],
           "companions-0-id_number": saudi_id(71), "companions-1-id_number": saudi_id(72)},
    )  # fmt: skip
    client.force_login(amina)
    response = client.post(reverse("portal:cases:start", args=["najran", service.slug]), data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.department.code == "citizens-affairs"
    return case


def _url(case: Case) -> str:
    return reverse("portal:cases:summary", args=[case.authority.slug, case.reference])


def _staff_url(case: Case) -> str:
    return reverse("staff:cases:summary", args=[case.reference])


def test_it_gives_the_owner_an_arabic_right_to_left_pdf_in_reading_order(client, amina, case):
    client.force_login(amina)
    response = client.get(_url(case))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{case.reference}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    pdf = response.content
    text = _text(pdf)
    # pypdf gives Arabic runs in logical (reading) order: whole words, in the order typed.
    for expected in (
        "ملخص الطلب", "إمارة منطقة نجران", "طلب موعد مع الإمارة", "مقدَّم",
        "الإسم الرباعي", "أمينة سالم محمد العلي", "قطاع عام", "إدارة شؤون المواطنين",
        "نص موضوع الزيارة", "المرافقون", *COMPANIONS, "reason_letter.pdf", "id_copy.pdf",
        "رمز", case.reference,
    ):  # fmt: skip
        assert expected in text, expected
    # Numbers inside Arabic lines come out in visual order, so the Hijri date is checked by part.
    year, month, _day = hijri_parts(case.submitted_at.astimezone(RIYADH).date())
    assert HIJRI_MONTHS_AR[month - 1] in text
    assert str(year) in text
    # National ID numbers show their last four digits only, the applicant's and companions'.
    for full in (case.national_id, saudi_id(71), saudi_id(72)):
        assert full not in text
        assert "••••••" + full[-4:] in text
    # Right to left: the label stands to the right of its value on the same line.
    runs = _runs(pdf)
    label, value = _row(runs, "الإسم الرباعي", "أمينة سالم محمد العلي")
    assert label.x > value.x
    assert pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "ar"


def test_it_writes_the_summary_in_english_left_to_right(english, amina, case):
    english.force_login(amina)
    pdf = english.get(_url(case)).content
    text = _text(pdf)
    for expected in (
        "Request summary", "Najran Region Emirate", "Appointment with the Emirate", "Submitted",
        "Four-part name", "Public sector", "Citizens' Affairs Department", "Companions",
        "ID image",
    ):  # fmt: skip
        assert expected in text, expected
    assert "ملخص الطلب" not in text
    assert "الإسم الرباعي" not in text
    assert "AH" in text  # the Hijri date beside the Gregorian one, Najran showing Hijri dates
    runs = _runs(pdf)
    label, value = _row(runs, "Four-part name", "أمينة سالم محمد العلي")
    assert label.x < value.x
    assert pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "en"


def test_the_qr_code_and_link_lead_to_the_citizens_page(client, amina, case):
    client.force_login(amina)
    pdf = client.get(_url(case)).content
    page = f"http://testserver/najran/requests/{case.reference}/"
    assert page == "http://testserver" + reverse(
        "portal:cases:detail", args=["najran", case.reference]
    )
    assert set(_links(pdf)) == {page}
    assert page in _text(pdf)


def test_it_prints_the_decision_and_the_applicant_kept_on_the_request(client, amina, khalid):
    service = Service.objects.get(authority__slug="najran", slug="emirate-appointment")
    case = services.case_submit(
        service=service, version=form_version_current(service=service), citizen=amina,
        answers={}, files={}, language="ar",
    )  # fmt: skip
    agreed = timezone.now() + datetime.timedelta(days=40)
    services.case_staff_move(
        case=case, move="approve", actor=khalid, note="يرجى الحضور قبل الموعد بنصف ساعة",
        agreed_at=agreed,
    )  # fmt: skip
    client.force_login(amina)
    text = _text(client.get(_url(case)).content)
    for expected in ("القرار", "ملاحظة القرار", "يرجى الحضور قبل الموعد بنصف ساعة",
                     "الموعد المتفق عليه", "مقبول", "مقدم الطلب", amina.display_name):  # fmt: skip
        assert expected in text, expected
    _year, month, _day = hijri_parts(agreed.astimezone(RIYADH).date())
    assert HIJRI_MONTHS_AR[month - 1] in text


def test_it_prints_the_authoritys_logo_and_does_without_a_broken_one(
    client, amina, case, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(amina)
    assert b"/Subtype /Image" not in client.get(_url(case)).content  # the QR code is drawn
    authority = case.authority
    authority.logo.save("logo.png", ContentFile(png_bytes()), save=True)
    assert b"/Subtype /Image" in client.get(_url(case)).content
    authority.logo.save("logo2.png", ContentFile(b"<svg onload=alert(1)>"), save=True)
    broken = client.get(_url(case))
    assert broken.status_code == 200
    assert b"/Subtype /Image" not in broken.content


def _svg_dark_modules(data_uri: str) -> set[tuple[int, int]]:
    """The dark modules of segno's SVG (a path of horizontal runs), border included."""
    svg = urllib.parse.unquote(data_uri.split(",", 1)[1])
    path = re.search(r"stroke='#000' d='([^']+)'", svg)
    assert path is not None
    x = y = 0.0
    dark: set[tuple[int, int]] = set()
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path.group(1)):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            dark |= {(int(x) + i, int(y)) for i in range(int(a))}
            x += float(a)
    return dark


def test_the_qr_builder_encodes_the_address_it_is_given():
    address = "https://majlis.example/najran/requests/NJR-1448-000067/"
    uri = summary.status_qr_data_uri(address)
    assert uri.startswith("data:image/svg+xml")
    matrix = segno.make(address, error="m", micro=False).matrix
    expected = {(x + 2, y + 2) for y, row in enumerate(matrix) for x, bit in enumerate(row) if bit}
    assert _svg_dark_modules(uri) == expected
    other = segno.make(address.replace("67", "68"), error="m", micro=False).matrix
    assert _svg_dark_modules(uri) != {
        (x + 2, y + 2) for y, row in enumerate(other) for x, bit in enumerate(row) if bit
    }


def test_strangers_get_the_same_404_as_for_no_request(client, amina, omar, huda, case):
    missing = f"NJR-{case.year}-999999"

    def both(url_of: Any) -> tuple[Any, Any]:
        return client.get(url_of(case)), client.get(
            url_of(Case(authority=case.authority, reference=missing))
        )

    for sign_in in (lambda: None, lambda: client.force_login(omar),
                    lambda: sign_in_staff(client, huda)):  # fmt: skip
        client.logout()
        sign_in()
        theirs, nobodys = both(_url)
        assert theirs.status_code == nobodys.status_code == 404
        assert theirs.content == nobodys.content
    # Huda works on another department of the same authority: not on the staff route either.
    theirs, nobodys = both(_staff_url)
    assert theirs.status_code == nobodys.status_code == 404
    assert theirs.content == nobodys.content
    # Amina's own request under another authority's address is not found either.
    client.logout()
    client.force_login(amina)
    assert client.get(f"/madinah/requests/{case.reference}/summary.pdf").status_code == 404


def test_the_officer_of_the_department_gets_it_on_the_staff_route(client, khalid, case):
    sign_in_staff(client, khalid)
    response = client.get(_staff_url(case))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    # The QR code is the citizen's page, whoever printed the document.
    assert set(_links(response.content)) == {f"http://testserver/najran/requests/{case.reference}/"}
    # The citizen's route is not for staff.
    assert client.get(_url(case)).status_code == 404


# -- nothing is fetched ---------------------------------------------------------------------------


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """A web server on this machine that notes every request it gets."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()
    thread.join()


def _hostile(base: str, secret_css: str) -> str:
    return f"""<html><head>
<link rel="stylesheet" href="{base}/style.css">
<link rel="stylesheet" href="file://{secret_css}">
<style>@import url("{base}/import.css"); @font-face {{ font-family: X; src: url("{base}/f.ttf"); }}
body {{ font-family: X; background: url("{base}/bg.png"); }}</style>
</head><body><p>text</p><img src="{base}/pixel.png" alt=""><img src="file:///etc/hostname" alt="">
<img src="data:image/png;base64,{base64.b64encode(png_bytes()).decode()}" alt="">
</body></html>"""


def test_the_renderer_fetches_nothing_but_data_uris(listener, tmp_path):
    base, hits = listener
    secret = tmp_path / "secret.css"
    secret.write_text('p::after { content: "SECRET-FROM-DISK"; }')
    html = _hostile(base, str(secret))
    # The same document through WeasyPrint's own fetcher does reach out: the test can fail.
    from weasyprint.urls import URLFetcher

    naive = summary.html_to_pdf(html, fetcher=URLFetcher(timeout=5))
    assert hits
    assert "SECRET-FROM-DISK" in _text(naive)
    hits.clear()
    fetcher = summary.data_only_fetcher()
    pdf = summary.html_to_pdf(html, base_url=base + "/", fetcher=fetcher)
    assert hits == []
    assert "SECRET-FROM-DISK" not in _text(pdf)
    assert any(url.startswith("file:") for url in fetcher.refused)
    assert any(url.startswith(base) for url in fetcher.refused)
    assert pdf.startswith(b"%PDF")
    assert b"/Subtype /Image" in pdf  # the data: URI was drawn


def test_citizen_text_is_printed_as_text_never_as_markup(client, amina, listener, upload_root):
    base, hits = listener
    service = Service.objects.get(authority__slug="najran", slug="emirate-appointment")
    version = form_version_current(service=service)
    payload = f'<img src="{base}/x.png"><link rel=stylesheet href="file:///etc/hostname">\u202eX'
    client.force_login(amina)
    response = client.post(
        reverse("portal:cases:start", args=["najran", service.slug]),
        form_post(version, visit_subject=payload),
    )
    assert response.status_code == 302
    case = Case.objects.get()
    pdf = client.get(_url(case)).content
    assert hits == []
    text = _text(pdf)
    # Printed as the citizen typed it (the line is laid out right-to-left, so the brackets move).
    assert f'img src="{base}/x.png"' in text
    assert "file:///etc/hostname" in text
