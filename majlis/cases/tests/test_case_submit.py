"""Filing a request through the citizen's form: numbers, routing, files, drafts, repeats."""

import datetime
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from majlis.cases import services
from majlis.cases.choices import CaseStatus
from majlis.cases.models import Case, CaseDraft
from majlis.cases.testing import a_file, form_post
from majlis.catalogue.models import Service
from majlis.catalogue.selectors import form_version_current
from majlis.core.i18n import hijri_year
from majlis.notifications.models import Message

pytestmark = pytest.mark.django_db


def _najran():
    service = Service.objects.get(authority__slug="najran", slug="emirate-appointment")
    return service, form_version_current(service=service)


def _start_url(service):
    return reverse("portal:cases:start", args=[service.authority.slug, service.slug])


@pytest.fixture
def najran(demo, upload_root):
    return _najran()


def test_it_files_a_najran_request_with_companions_and_tells_the_citizen(client, amina, najran):
    service, version = najran
    client.force_login(amina)
    assert client.get(_start_url(service)).status_code == 200
    data = form_post(version, groups={"companions": 2}, destination="rights")
    response = client.post(_start_url(service), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get()
    year = hijri_year(timezone.localdate())
    assert case.reference == f"NJR-{year}-000001"
    assert response["Location"] == reverse(
        "portal:cases:submitted", args=["najran", case.reference]
    )
    assert case.status == CaseStatus.SUBMITTED
    assert case.department.code == "rights"  # the destination chosen routes the request
    assert case.form_version == version
    assert [c["name"] for c in case.answers["companions"]] == [
        "نص تجريبي للاختبار 10",
        "نص تجريبي للاختبار 20",
    ]
    assert sorted(case.files.values_list("path", flat=True)) == [
        "companions.0.id_image", "companions.1.id_image", "id_copy", "reason_letter",
    ]  # fmt: skip
    assert case.applicant_name == "أمينة سالم محمد العلي"
    sms = Message.objects.get(channel="sms", object_id=str(case.pk))
    assert case.reference in sms.body
    assert sms.recipient == "+966501234567"
    assert Message.objects.filter(channel="email", recipient="citizen@example.com").exists()
    page = client.get(response["Location"])
    assert case.reference in page.content.decode()


def test_it_keeps_text_and_files_when_the_form_has_errors(client, amina, najran):
    service, version = najran
    client.force_login(amina)
    data = form_post(version, groups={"companions": 1}, national_id="1234567890")
    response = client.post(_start_url(service), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "رقم الهوية" in body
    assert "field-error" in body
    draft = CaseDraft.objects.get(citizen=amina, service=service)
    assert set(draft.files) == {"reason_letter", "id_copy", "companions-0-id_image"}
    assert draft.data["visit_subject"] == [data["visit_subject"]]
    assert body.count("__kept") == 3  # the files are shown as attached, not asked for again
    # The citizen corrects the ID only; the files travel as the page's kept inputs.
    again = {k: v for k, v in form_post(version, groups={"companions": 1}).items()
             if k not in ("reason_letter", "id_copy", "companions-0-id_image")}  # fmt: skip
    for key, upload_id in draft.files.items():
        again[f"{key}__kept"] = upload_id
    response = client.post(_start_url(service), again)
    assert response.status_code == 302
    case = Case.objects.get()
    assert sorted(case.files.values_list("upload__public_id", flat=True)) == sorted(
        draft.files.values()
    )
    assert not CaseDraft.objects.exists()  # the draft is gone once the request is filed


def test_it_shows_a_saved_draft_without_errors(client, amina, najran):
    service, version = najran
    client.force_login(amina)
    data = {k: v for k, v in form_post(version).items() if not hasattr(v, "read")}
    data["visit_subject"] = "سأكمل لاحقاً"
    save = reverse("portal:cases:draft_save", args=["najran", service.slug])
    assert client.post(save, data).status_code == 204
    page = client.get(_start_url(service)).content.decode()
    assert "سأكمل لاحقاً" in page
    assert "field-error" not in page


def test_it_keeps_a_form_sent_after_the_session_ended(client, amina, najran):
    service, version = najran
    data = {k: v for k, v in form_post(version).items() if not hasattr(v, "read")}
    data["visit_subject"] = "كتبته قبل انتهاء الجلسة"
    response = client.post(_start_url(service), data)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    client.force_login(amina)
    page = client.get(_start_url(service)).content.decode()
    assert "كتبته قبل انتهاء الجلسة" in page
    assert CaseDraft.objects.filter(citizen=amina).exists()


def test_the_same_submission_twice_files_one_request(client, amina, najran):
    service, version = najran
    client.force_login(amina)
    data = form_post(version, submission_key="k" * 32)
    assert client.post(_start_url(service), data).status_code == 302
    data = form_post(version, submission_key="k" * 32)
    second = client.post(_start_url(service), data)
    assert second.status_code == 302
    assert Case.objects.count() == 1
    assert second["Location"].endswith(f"{Case.objects.get().reference}/submitted/")


def test_it_refuses_a_hostile_file_next_to_its_field(client, amina, najran):
    service, version = najran
    client.force_login(amina)
    html = a_file("letter.pdf")
    html.file.seek(0)
    html.file.truncate()
    html.file.write(b"<html><script>alert(1)</script></html>")
    html.file.seek(0)
    html.size = 40
    response = client.post(_start_url(service), form_post(version, reason_letter=html))
    assert response.status_code == 400
    assert not Case.objects.exists()
    assert "id_reason_letter_error" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_it_numbers_concurrent_requests_without_gaps_or_repeats(demo, amina, upload_root):
    service, version = _najran()
    results: list[str] = []

    def submit() -> None:
        try:
            case = services.case_submit(
                service=service, version=version, citizen=amina, answers={"x": 1}, files={},
                language="ar",
            )  # fmt: skip
            results.append(case.reference)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    numbers = sorted(int(ref.rsplit("-", 1)[1]) for ref in results)
    assert numbers == list(range(1, 31))


def test_amman_numbers_use_the_gregorian_year(demo, amina, upload_root):
    service = Service.objects.get(authority__slug="amman", slug="contractor-permit-renewal")
    version = form_version_current(service=service)
    case = services.case_submit(
        service=service, version=version, citizen=amina, answers={}, files={}, language="en"
    )
    assert case.reference == f"{service.authority.code}-{timezone.localdate().year}-000001"


def test_it_ignores_protected_fields_posted_with_the_form(client, amina, omar, khalid, najran):
    """S7: a citizen posting status, owner, assignee, department or number changes none of them."""
    service, version = najran
    client.force_login(amina)
    data = form_post(version, appointment_type="emir")
    data.update(
        status="approved", citizen=str(omar.pk), citizen_id=str(omar.pk), owner=str(omar.pk),
        assignee=str(khalid.pk), assignee_id=str(khalid.pk), department="rights",
        department_id="1", reference="NJR-1400-000001", number="1", due_at="2000-01-01",
        unread_by_staff="99", submitted_at="2000-01-01T00:00:00Z",
    )  # fmt: skip
    assert client.post(_start_url(service), data).status_code == 302
    case = Case.objects.get()
    assert case.status == CaseStatus.SUBMITTED
    assert case.citizen == amina
    assert case.assignee is None
    assert case.department.code == "citizens-affairs"  # the service's own: no destination asked
    assert case.reference.endswith("-000001")
    assert case.reference != "NJR-1400-000001"
    assert case.unread_by_staff == 0
    assert case.due_at is not None
    assert case.due_at > case.submitted_at > timezone.now() - datetime.timedelta(minutes=5)
    assert not {"status", "citizen", "assignee", "department", "reference"} & set(case.answers)
