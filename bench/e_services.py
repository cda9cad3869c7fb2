"""Requests (issue 5): filing a request, and the officers' inbox over many requests.

1. **File**: `services.case_submit` for a Najran request with two companions and four files
   already accepted (number per authority and Hijri year, routing, due date, file rows, the
   audit entry, the SMS and e-mail rows with their delivery tasks, the draft removed).
   Baseline in the same run: the rows a request must keep written bare — the case, its four
   file rows — in one transaction with a number from `max()+1`.
2. **Inbox**: the first page of `/staff/requests/` (25 rows, default filters) for Najran's triage
   officer with REQUESTS requests in scope, through Django's test client (the whole view and
   template, in process, no network). Baseline: the same 25 rows fetched with their related rows
   and written out as plain text, in the same process.

Rounds alternate between the measured code and its baseline; medians are compared.

    .venv/bin/python bench/e_services.py [REQUESTS]
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._setup import django_setup, table

REQUESTS = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
FILINGS = 100
ROUNDS = 4

django_setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from majlis.accounts.models import User  # noqa: E402
from majlis.accounts.testing import sign_in_staff  # noqa: E402
from majlis.cases import services  # noqa: E402
from majlis.cases.models import Case, CaseFile  # noqa: E402
from majlis.cases.services import reference_format, reference_year  # noqa: E402
from majlis.catalogue.models import Service  # noqa: E402
from majlis.catalogue.selectors import form_version_current  # noqa: E402
from majlis.core.models import Upload  # noqa: E402

ANSWERS = {
    "applicant_type": "individual", "full_name": ["فاطمة", "علي", "حسن", "اليامي"],
    "national_id": "1012345672", "mobile": "+966501234561", "email": "fatimah@example.sa",
    "appointment_type": "department", "destination": "rights", "entry_gate": "north-gate",
    "visit_reason": "request", "visit_subject": "موضوع الزيارة",
    "companions": [{"name": "سالم", "id_number": "1000000008"},
                   {"name": "هند", "id_number": "1000000016"}],
}  # fmt: skip


def _uploads(owner: User, count: int) -> list[Upload]:
    """Upload rows standing for files already accepted (the upload checks are not measured)."""
    now = timezone.now()
    return Upload.objects.bulk_create(
        Upload(
            display_name=f"f{i}.pdf",
            storage_name=f"bench/{time.time_ns()}-{i}.pdf",
            content_type="application/pdf",
            size=1000,
            sha256="0" * 64,
            status="clean",
            uploaded_by=owner,
            created_at=now,
        )
        for i in range(count)
    )


def _paths() -> list[str]:
    return ["reason_letter", "id_copy", "companions.0.id_image", "companions.1.id_image"]


def file_with_service(service: Service, citizen: User) -> float:
    version = form_version_current(service=service)
    assert version is not None
    uploads = _uploads(citizen, 4 * FILINGS)
    started = time.perf_counter()
    for n in range(FILINGS):
        files = dict(zip(_paths(), uploads[4 * n : 4 * n + 4], strict=True))
        services.case_submit(
            service=service, version=version, citizen=citizen, answers=ANSWERS, files=files,
            language="ar",
        )  # fmt: skip
    return (time.perf_counter() - started) / FILINGS


def file_bare(service: Service, citizen: User) -> float:
    version = form_version_current(service=service)
    assert version is not None
    uploads = _uploads(citizen, 4 * FILINGS)
    authority = service.authority
    started = time.perf_counter()
    for n in range(FILINGS):
        with transaction.atomic():
            now = timezone.now()
            year = reference_year(authority, now) + 100  # a year of its own: no clash
            last = Case.objects.filter(authority=authority, year=year).aggregate(m=Max("number"))
            number = (last["m"] or 0) + 1
            case = Case.objects.create(
                reference=reference_format(authority, year, number), authority=authority,
                year=year, number=number, service=service, form_version=version,
                citizen=citizen, answers=ANSWERS, submitted_at=now, updated_at=now,
            )  # fmt: skip
            CaseFile.objects.bulk_create(
                CaseFile(case=case, upload=upload, path=path)
                for path, upload in zip(_paths(), uploads[4 * n : 4 * n + 4], strict=True)
            )
    return (time.perf_counter() - started) / FILINGS


def fill(service: Service, citizen: User, count: int) -> None:
    have = Case.objects.filter(service=service).count()
    if have >= count:
        return
    version = form_version_current(service=service)
    assert version is not None
    authority = service.authority
    now = timezone.now()
    year = reference_year(authority, now) + 200
    start = Case.objects.filter(authority=authority, year=year).count()
    Case.objects.bulk_create(
        Case(
            reference=reference_format(authority, year, start + i + 1),
            authority=authority,
            year=year,
            number=start + i + 1,
            service=service,
            form_version=version,
            citizen=citizen,
            department=service.department,
            answers=ANSWERS,
            applicant_name="فاطمة علي حسن اليامي",
            national_id="1012345672",
            submitted_at=now,
            updated_at=now,
            due_at=now + timezone.timedelta(days=i % 9),
        )
        for i in range(count - have)
    )


def inbox_page(client: Client, times: int) -> float:
    url = reverse("staff:cases:inbox")
    started = time.perf_counter()
    for _ in range(times):
        response = client.get(url, secure=True)
        assert response.status_code == 200
    return (time.perf_counter() - started) / times


def inbox_bare(authority_id: int, times: int) -> float:
    started = time.perf_counter()
    for _ in range(times):
        rows = (
            Case.objects.filter(authority_id=authority_id)
            .select_related("service", "department", "assignee")
            .order_by("due_at")[:25]
        )
        "\n".join(f"{c.reference} {c.service.name_ar} {c.applicant_name} {c.due_at}" for c in rows)
    return (time.perf_counter() - started) / times


def main() -> None:
    call_command("migrate", verbosity=0)
    if not Service.objects.filter(slug="emirate-appointment").exists():
        call_command("load_demo", "--allow-production", verbosity=0)
    service = Service.objects.select_related("authority").get(slug="emirate-appointment")
    citizen, _new = User.objects.get_or_create(username="bench.citizen", defaults={"phone": ""})
    filing: dict[str, list[float]] = {"file": [], "file_bare": []}
    for _ in range(ROUNDS):
        filing["file"].append(file_with_service(service, citizen))
        filing["file_bare"].append(file_bare(service, citizen))
    fill(service, citizen, REQUESTS)
    client = Client(HTTP_HOST="127.0.0.1")
    sign_in_staff(client, User.objects.get(username="najran.triage"))
    client.get(reverse("staff:cases:inbox"), secure=True)  # warm caches and templates
    inbox: dict[str, list[float]] = {"inbox": [], "inbox_bare": []}
    for _ in range(ROUNDS):
        inbox["inbox"].append(inbox_page(client, 20))
        inbox["inbox_bare"].append(inbox_bare(service.authority_id, 20))
    med = {k: statistics.median(v) * 1000 for k, v in {**filing, **inbox}.items()}
    in_scope = Case.objects.filter(authority=service.authority).count()
    table(
        f"File a request ({FILINGS} a round, {ROUNDS} rounds) and the inbox ({in_scope} in scope)",
        ["what", "median ms", "baseline ms", "ratio (time ÷ baseline)"],
        [
            [what, f"{med[key]:.2f}", f"{med[key + '_bare']:.2f}",
             f"{med[key] / med[key + '_bare']:.2f}"]
            for what, key in (("case_submit", "file"), ("inbox first page", "inbox"))
        ],
    )  # fmt: skip


if __name__ == "__main__":
    main()
