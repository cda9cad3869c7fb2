"""Requests through the mobile API: the form, filing with files, drafts, the thread, downloads,
the inquiry — with the same rules, gates and wording as the pages."""

import datetime
import json
import re
import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from majlis.accounts.services import api_token_issue
from majlis.cases import services
from majlis.cases.choices import CaseStatus
from majlis.cases.models import Case, CaseDraft
from majlis.cases.testing import a_file, saudi_id
from majlis.catalogue.models import Service
from majlis.catalogue.selectors import form_version_current
from majlis.core.choices import UploadStatus
from majlis.core.models import Upload
from majlis.core.uploads.tasks import upload_scan
from majlis.notifications.choices import MessageKind
from majlis.notifications.models import Message

pytestmark = pytest.mark.django_db

API = "/api/v1"


def _auth(token: str, language: str = "") -> dict[str, Any]:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if language:
        headers["HTTP_ACCEPT_LANGUAGE"] = language
    return headers


def _token(user: Any) -> str:
    return api_token_issue(user=user)


def _sms_token(client: Client, mobile: str, authority: str) -> str:
    """A guest's token, the way an app gets one: a code by SMS, then the token."""
    sent = client.post(f"{API}/auth/code", {"mobile": mobile, "authority": authority},
                       content_type="application/json")  # fmt: skip
    assert sent.status_code == 202, sent.content
    body = Message.objects.filter(kind=MessageKind.SIGN_IN_CODE).latest("id").body
    code = re.search(r"\b\d{6}\b", body)
    got = client.post(f"{API}/auth/token", {"attempt": sent.json()["attempt"], "code": code[0]},
                      content_type="application/json")  # fmt: skip
    assert got.status_code == 200
    return str(got.json()["token"])


def _options(version: Any, name: str) -> list[str]:
    meta = next(m for m in version.fields if m["name"] == name)
    return [o["value"] for o in meta["options"]]


def _najran() -> tuple[Service, Any]:
    service = Service.objects.get(authority__slug="najran", slug="emirate-appointment")
    return service, form_version_current(service=service)


def najran_answers(version: Any, companions: int = 2, **overrides: Any) -> dict[str, Any]:
    answers: dict[str, Any] = {
        "applicant_type": "individual",
        "full_name": ["أمينة", "سالم", "محمد", "العلي"],
        "national_id": saudi_id(1),
        "mobile": "0501234567",
        "email": "amina@example.com",
        "governorate": _options(version, "governorate")[0],
        "appointment_type": "department",
        "destination": "rights",
        "entry_gate": _options(version, "entry_gate")[0],
        "visit_reason": "request",
        "visit_subject": "طلب موعد لمناقشة معاملة",
        "has_belongings": "yes",
        "belongings": ["car", "laptop"],
        "companions": [
            {"name": f"مرافق {index + 1}", "id_number": saudi_id(index + 2)}
            for index in range(companions)
        ],
        "declaration": True,
    }
    answers.update(overrides)
    return answers


def najran_post(version: Any, companions: int = 2, **overrides: Any) -> dict[str, Any]:
    parts: dict[str, Any] = {
        "authority": "najran", "service": "emirate-appointment",
        "answers": json.dumps(najran_answers(version, companions, **overrides)),
        "reason_letter": a_file("letter.pdf"), "id_copy": a_file("id.png"),
    }  # fmt: skip
    for index in range(companions):
        parts[f"companions.{index}.id_image"] = a_file("companion.png")
    return parts


@pytest.fixture
def amina_token(amina: Any, upload_root: Any) -> str:
    return _token(amina)


def _scan_all() -> None:
    """The virus scan (the console scanner) of every upload waiting for it."""
    for pk in Upload.objects.filter(status=UploadStatus.PENDING_SCAN).values_list("pk", flat=True):
        upload_scan.call(pk)


@pytest.fixture
def filed(amina: Any, amina_token: str) -> Case:
    """Amina's Najran request, filed through the API, its files scanned clean."""
    _service, version = _najran()
    response = Client().post(f"{API}/requests", najran_post(version), **_auth(amina_token))
    assert response.status_code == 201, response.content
    _scan_all()
    return Case.objects.get(reference=response.json()["reference"])


# -- the form -------------------------------------------------------------------------------------


def test_it_describes_the_form_so_an_app_can_draw_it(demo: Any) -> None:
    response = Client().get(f"{API}/services/najran/emirate-appointment/form")
    assert response.status_code == 200
    form = response.json()
    _service, version = _najran()
    assert form["version"] == version.number
    assert form["sign_in_required"] is True
    assert form["registry_check"] is False
    fields = {f["name"]: f for f in form["fields"]}
    assert fields["full_name"]["type"] == "name4"
    assert fields["full_name"]["label_ar"] == "الإسم الرباعي"
    assert fields["destination"]["show_if"] == {
        "field": "appointment_type",
        "values": ["department"],
    }
    assert "rights" in [option["value"] for option in fields["destination"]["options"]]
    assert fields["declaration"]["required"] is True
    companions = fields["companions"]
    assert companions["type"] == "group"
    assert (companions["min"], companions["max"]) == (0, 10)
    image = next(f for f in companions["fields"] if f["name"] == "id_image")
    assert image["type"] == "file"
    assert image["kinds"] == ["jpg", "jpeg", "png", "pdf"]
    assert image["max_mb"] == 5
    amman = Client().get(f"{API}/services/amman/contractor-permit-renewal/form").json()
    assert (amman["sign_in_required"], amman["registry_check"]) == (False, True)
    assert Client().get(f"{API}/services/najran/nothing/form").status_code == 404
    # A queue is not a service with a form.
    assert Client().get(f"{API}/services/ajman/qareeb/form").status_code == 404


# -- filing ---------------------------------------------------------------------------------------


def test_it_files_a_najran_request_with_two_companions(amina: Any, amina_token: str) -> None:
    _service, version = _najran()
    response = Client().post(f"{API}/requests", najran_post(version), **_auth(amina_token))
    assert response.status_code == 201, response.content
    reply = response.json()
    case = Case.objects.get(reference=reply["reference"])
    assert reply["status"] == "submitted"
    assert case.citizen == amina
    assert case.department.code == "rights"  # routed by the destination, as on the page
    assert case.answers["full_name"] == ["أمينة", "سالم", "محمد", "العلي"]
    assert [c["name"] for c in case.answers["companions"]] == ["مرافق 1", "مرافق 2"]
    assert case.answers["belongings"] == ["car", "laptop"]
    assert sorted(case.files.values_list("path", flat=True)) == [
        "companions.0.id_image", "companions.1.id_image", "id_copy", "reason_letter",
    ]  # fmt: skip
    assert Message.objects.filter(channel="sms", object_id=str(case.pk)).exists()


def test_it_files_a_madinah_request_with_a_date_and_attachments(
    amina: Any, amina_token: str
) -> None:
    service = Service.objects.get(authority__slug="madinah", slug="meet-an-official")
    version = form_version_current(service=service)
    answers = {
        "full_name": ["أمينة", "سالم", "محمد", "العلي"], "national_id": saudi_id(5),
        "mobile": "0501234567", "office_name": "مكتب الروضة الهندسي",
        "classification_number": "4471", "official": _options(version, "official")[0],
        "requested_date": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
        "other_attachments": [{}, {}],
    }  # fmt: skip
    response = Client().post(
        f"{API}/requests",
        {"authority": "madinah", "service": "meet-an-official", "answers": json.dumps(answers),
         "version": str(version.number), "petition_letter": a_file("petition.pdf"),
         "id_copy": a_file("id.pdf"), "other_attachments.0.file": a_file("a.pdf"),
         "other_attachments.1.file": a_file("b.png")},
        **_auth(amina_token, "en"),
    )  # fmt: skip
    assert response.status_code == 201, response.content
    case = Case.objects.get(reference=response.json()["reference"])
    assert case.service == service
    assert sorted(case.files.values_list("path", flat=True)) == [
        "id_copy", "other_attachments.0.file", "other_attachments.1.file", "petition_letter",
    ]  # fmt: skip
    assert case.language == "en"
    stale = Client().post(
        f"{API}/requests",
        {"authority": "madinah", "service": "meet-an-official", "answers": json.dumps(answers),
         "version": str(version.number + 1)},
        **_auth(amina_token, "en"),
    )  # fmt: skip
    assert stale.status_code == 409


def _amman(client: Client, token: str, language: str = "", **answers: Any) -> Any:
    given = {"contractor_number": "31540", "permit_number": "P-7102", "permit_year": 2026,
             "renewal_reason": "انتهاء مدة التصريح", "phone": "0791234567", **answers}  # fmt: skip
    return client.post(
        f"{API}/requests",
        {"authority": "amman", "service": "contractor-permit-renewal",
         "answers": json.dumps(given)},
        **_auth(token, language),
    )  # fmt: skip


def test_amman_checks_the_registry_before_filing(demo: Any, upload_root: Any) -> None:
    client = Client()
    token = _sms_token(client, "0791234567", "amman")  # a guest: Amman lets guests file
    check = client.get(
        f"{API}/services/amman/contractor-permit-renewal/registry",
        {"contractor_number": "31540", "permit_number": "P-7102", "permit_year": "2026"},
        **_auth(token),
    )  # fmt: skip
    assert check.status_code == 200
    assert check.json()["contractor_name_en"] == "Al-Sindiyan Building Works"
    hit = _amman(client, token)
    assert hit.status_code == 201, hit.content
    case = Case.objects.get(reference=hit.json()["reference"])
    assert case.answers["registry"]["contractor_name_ar"] == "مكتب السنديان للأعمال الإنشائية"
    miss = _amman(client, token, "en", permit_number="P-9999")
    assert miss.status_code == 400
    assert miss.json()["errors"] == {
        "__all__": ["No permit matches this contractor number, permit number and year."]
    }
    malformed = _amman(client, token, "en", contractor_number="abc")
    assert malformed.status_code == 400
    assert malformed.json()["errors"] == {
        "contractor_number": ["Enter the contractor number in digits."]
    }
    arabic = _amman(client, token, contractor_number="abc")
    assert re.search("[\u0600-\u06ff]", arabic.json()["errors"]["contractor_number"][0])
    assert Case.objects.count() == 1
    # An expired permit the registry knows is what a renewal is for.
    expired = client.get(
        f"{API}/services/amman/contractor-permit-renewal/registry",
        {"contractor_number": "10231", "permit_number": "P-4410", "permit_year": "2024"},
        **_auth(token),
    )  # fmt: skip
    assert (expired.status_code, expired.json()["expired"]) == (200, True)
    renewal = _amman(client, token, permit_number="P-4410", contractor_number="10231",
                     permit_year=2024)  # fmt: skip
    assert renewal.status_code == 201
    assert Case.objects.get(reference=renewal.json()["reference"]).answers["registry"]["expired"]
    # A guest may not file where the page asks for national sign-on.
    _service, version = _najran()
    refused = client.post(f"{API}/requests", najran_post(version), **_auth(token))
    assert refused.status_code == 403


def test_it_answers_field_errors_in_arabic_by_default_and_in_english_on_request(
    amina: Any, amina_token: str
) -> None:
    _service, version = _najran()
    bad = najran_post(version, companions=1, visit_subject="", national_id="1234567890")
    bad["companions.0.id_image"] = a_file("companion.png")
    arabic = Client().post(f"{API}/requests", bad, **_auth(amina_token))
    assert arabic.status_code == 400
    errors = arabic.json()["errors"]
    assert errors["visit_subject"] == ["هذا الحقل مطلوب."]
    assert re.search("[\u0600-\u06ff]", errors["national_id"][0])
    bad = najran_post(version, companions=1, visit_subject="", full_name=["أمينة"])
    del bad["companions.0.id_image"]
    english = Client().post(f"{API}/requests", bad, **_auth(amina_token, "en"))
    assert english.status_code == 400
    errors = english.json()["errors"]
    assert errors["visit_subject"] == ["This field is required."]
    assert errors["full_name"] == ["Enter all four parts of the name."]
    assert errors["companions.0.id_image"] == ["This field is required."]
    shapes = Client().post(
        f"{API}/requests",
        {"authority": "najran", "service": "emirate-appointment",
         "answers": json.dumps({"visit_subject": {"a": 1}, "companions": [1]})},
        **_auth(amina_token, "en"),
    )  # fmt: skip
    assert shapes.status_code == 400
    assert set(shapes.json()["errors"]) == {"visit_subject", "companions.0"}
    not_json = Client().post(
        f"{API}/requests",
        {"authority": "najran", "service": "emirate-appointment", "answers": "[1, 2"},
        **_auth(amina_token, "en"),
    )  # fmt: skip
    assert not_json.json()["errors"] == {"answers": ["Send the answers as a JSON object."]}
    hostile = najran_post(version, companions=0)
    hostile["reason_letter"].file.write(b"<html><script>alert(1)</script></html>")
    hostile["reason_letter"].file.seek(0)
    hostile["reason_letter"].file.truncate(40)
    refused = Client().post(f"{API}/requests", hostile, **_auth(amina_token, "en"))
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["reason_letter"]
    assert not Case.objects.exists()


def test_posting_protected_fields_changes_nothing(
    amina: Any, omar: Any, khalid: Any, amina_token: str
) -> None:
    _service, version = _najran()
    protected = {"status": "approved", "owner": omar.pk, "citizen": omar.pk,
                 "assignee": khalid.pk, "department": "citizens-affairs",
                 "reference": "NJR-1400-000001"}  # fmt: skip
    parts = najran_post(version, companions=0, **protected)
    parts.update({key: str(value) for key, value in protected.items()})
    response = Client().post(f"{API}/requests", parts, **_auth(amina_token))
    assert response.status_code == 201
    case = Case.objects.get()
    assert case.status == CaseStatus.SUBMITTED
    assert case.citizen == amina
    assert case.assignee is None
    assert case.department.code == "rights"
    assert case.reference == response.json()["reference"] != "NJR-1400-000001"
    assert not set(protected) & set(case.answers)
    reply = Client().post(
        f"{API}/requests/{case.reference}/messages",
        {"body": "شكرًا", **{key: str(value) for key, value in protected.items()}},
        **_auth(amina_token),
    )  # fmt: skip
    assert reply.status_code == 201
    case.refresh_from_db()
    assert (case.status, case.citizen, case.assignee) == (CaseStatus.SUBMITTED, amina, None)


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_retries_with_one_key_file_one_request(demo: Any, upload_root: Any) -> None:
    token = _sms_token(Client(), "0791234567", "amman")
    barrier = threading.Barrier(50)
    replies: list[tuple[int, bytes]] = []

    def send() -> None:
        try:
            barrier.wait()
            response = _amman_with_key(Client(), token)
            replies.append((response.status_code, response.content))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Case.objects.count() == 1
    assert len(replies) == 50
    assert {status for status, _body in replies} <= {200, 201}
    assert len({body for _status, body in replies}) == 1
    assert json.loads(replies[0][1])["reference"] == Case.objects.get().reference
    # A retry later on gets the same answer, with 200: nothing new was filed.
    again = _amman_with_key(Client(), token)
    assert (again.status_code, again.content) == (200, replies[0][1])


def _amman_with_key(client: Client, token: str) -> Any:
    answers = {"contractor_number": "31540", "permit_number": "P-7102", "permit_year": 2026,
               "renewal_reason": "تجديد", "phone": "0791234567"}  # fmt: skip
    return client.post(
        f"{API}/requests",
        {"authority": "amman", "service": "contractor-permit-renewal",
         "answers": json.dumps(answers)},
        HTTP_IDEMPOTENCY_KEY="retry-7f3a9c", **_auth(token),
    )  # fmt: skip


# -- drafts ---------------------------------------------------------------------------------------


def test_a_draft_from_the_app_opens_in_the_app_and_on_the_page(
    amina: Any, amina_token: str, client: Any
) -> None:
    url = f"{API}/requests/drafts/najran/emirate-appointment"
    assert Client().get(url, **_auth(amina_token)).status_code == 404
    _service, version = _najran()
    answers = najran_answers(version, companions=1, visit_subject="سأكمل لاحقاً")
    answers["status"] = "approved"  # not a field: dropped
    answers["email"] = {"not": "text"}  # the wrong shape: dropped, not refused
    put = Client().put(url, {"answers": answers}, content_type="application/json",
                       **_auth(amina_token))  # fmt: skip
    assert put.status_code == 200, put.content
    got = Client().get(url, **_auth(amina_token)).json()
    del answers["status"], answers["email"]
    assert got["answers"] == answers
    assert got["version"] == version.number
    client.force_login(amina)
    page = client.get("/najran/requests/new/emirate-appointment/").content.decode()
    assert "سأكمل لاحقاً" in page
    # And the other way round: what the page kept as the citizen typed opens in the app.
    typed = {"visit_subject": "من الصفحة", "belongings": ["car", "tablet"]}
    saved = client.post("/najran/requests/new/emirate-appointment/draft", typed)
    assert saved.status_code == 204
    got = Client().get(url, **_auth(amina_token)).json()["answers"]
    assert (got["visit_subject"], got["belongings"]) == ("من الصفحة", ["car", "tablet"])
    assert Client().delete(url, **_auth(amina_token)).status_code == 204
    assert not CaseDraft.objects.exists()
    # Filing removes the draft too.
    Client().put(url, {"answers": answers}, content_type="application/json", **_auth(amina_token))
    filed = Client().post(f"{API}/requests", najran_post(version, companions=0),
                          **_auth(amina_token))  # fmt: skip
    assert filed.status_code == 201
    assert not CaseDraft.objects.exists()


# -- the citizen's requests -----------------------------------------------------------------------


def test_it_lists_and_shows_the_citizens_requests_with_the_thread(
    filed: Case, khalid: Any, amina_token: str
) -> None:
    mine = Client().get(f"{API}/requests", **_auth(amina_token)).json()
    assert mine["count"] == 1
    assert mine["items"][0]["reference"] == filed.reference
    assert mine["items"][0]["unread"] == 0
    officers_view = Case.objects.get(pk=filed.pk)
    services.case_note_add(case=officers_view, actor=khalid, body="ملاحظة داخلية سرية")
    services.case_request_information(
        case=officers_view, actor=khalid, body="نرجو إرفاق خطاب معتمد",
        documents=["خطاب معتمد", "صورة الهوية"],
    )  # fmt: skip
    assert Client().get(f"{API}/requests", **_auth(amina_token)).json()["items"][0]["unread"] == 1
    detail = Client().get(f"{API}/requests/{filed.reference}", **_auth(amina_token, "en"))
    assert detail.status_code == 200
    shown = detail.json()
    assert "ملاحظة داخلية سرية" not in detail.content.decode()
    assert shown["status"] == "waiting_citizen"
    assert shown["status_label"] == "Waiting for you"
    assert shown["answers"]["visit_subject"] == "طلب موعد لمناقشة معاملة"
    assert {f["path"] for f in shown["files"]} >= {"reason_letter", "id_copy"}
    letter = next(f for f in shown["files"] if f["path"] == "reason_letter")
    assert letter["available"] is True
    [message] = shown["messages"]
    assert message["author"] == "staff"
    assert [(d["label"], d["fulfilled"]) for d in message["documents"]] == [
        ("خطاب معتمد", False), ("صورة الهوية", False),
    ]  # fmt: skip
    filed.refresh_from_db()
    assert filed.unread_by_citizen == 0  # reading marked it read
    download = Client().get(letter["download"], **_auth(amina_token))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    # The citizen answers one checklist item with a file and adds another file.
    letter_item = message["documents"][0]["id"]
    reply = Client().post(
        f"{API}/requests/{filed.reference}/messages",
        {"body": "أرفقت الخطاب", f"document_{letter_item}": a_file("approved.pdf"),
         "files": [a_file("extra.png")]},
        **_auth(amina_token),
    )  # fmt: skip
    assert reply.status_code == 201, reply.content
    _scan_all()
    assert reply.json()["author"] == "citizen"
    assert len(reply.json()["files"]) == 2
    filed.refresh_from_db()
    assert filed.status == CaseStatus.RESUBMITTED
    shown = Client().get(f"{API}/requests/{filed.reference}", **_auth(amina_token)).json()
    assert [d["fulfilled"] for d in shown["messages"][0]["documents"]] == [True, False]
    sent = shown["messages"][1]["files"][0]
    again_download = Client().get(sent["download"], **_auth(amina_token))
    assert again_download.status_code == 200
    assert b"".join(again_download.streaming_content)  # type: ignore[attr-defined]
    cancelled = Client().post(f"{API}/requests/{filed.reference}/cancel", **_auth(amina_token))
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    again = Client().post(f"{API}/requests/{filed.reference}/cancel", **_auth(amina_token))
    assert again.status_code == 409
    late = Client().post(f"{API}/requests/{filed.reference}/messages", {"body": "؟"},
                         **_auth(amina_token))  # fmt: skip
    assert late.status_code == 409


def test_a_reply_needs_words_or_files_and_only_the_documents_of_its_request(
    filed: Case, amina_token: str
) -> None:
    url = f"{API}/requests/{filed.reference}/messages"
    empty = Client().post(url, {"body": "  "}, **_auth(amina_token, "en"))
    assert empty.status_code == 400
    assert empty.json()["errors"] == {"body": ["Write a message or attach a file."]}
    stranger = Client().post(url, {"document_999999": a_file("x.pdf")}, **_auth(amina_token, "en"))
    assert stranger.status_code == 400
    assert list(stranger.json()["errors"]) == ["document_999999"]
    long = Client().post(url, {"body": "x" * 4001}, **_auth(amina_token, "en"))
    assert long.status_code == 400
    assert "4000" in long.json()["errors"]["body"][0]


def test_another_citizen_or_staff_gets_the_same_404_as_for_nothing(
    filed: Case, omar: Any, khalid: Any
) -> None:
    upload = filed.files.first().upload
    bodies = set()
    for token in (_token(omar), _token(khalid)):
        for reference in (filed.reference, "NJR-1400-999999"):
            for method, path, data in (
                ("get", f"/requests/{reference}", None),
                ("post", f"/requests/{reference}/cancel", None),
                ("post", f"/requests/{reference}/messages", {"body": "مرحبا"}),
                ("get", f"/requests/{reference}/files/{upload.public_id}", None),
            ):
                response = getattr(Client(), method)(f"{API}{path}", data, **_auth(token))
                assert response.status_code == 404, (path, response.content)
                bodies.add(response.content)
        staff_list = Client().get(f"{API}/requests", **_auth(_token(khalid)))
        assert staff_list.status_code == 404
    # The owner asking for a file that is not this request's gets the same answer.
    other = Upload.objects.create(display_name="x.pdf", storage_name="elsewhere.pdf",
                                  content_type="application/pdf", size=1, sha256="0" * 64,
                                  status=UploadStatus.CLEAN)  # fmt: skip
    owner = _token(filed.citizen)
    response = Client().get(f"{API}/requests/{filed.reference}/files/{other.public_id}",
                            **_auth(owner))  # fmt: skip
    assert response.status_code == 404
    bodies.add(response.content)
    assert len(bodies) == 1
    filed.refresh_from_db()
    assert filed.status == CaseStatus.SUBMITTED
    assert not filed.messages.exists()
    assert Client().get(f"{API}/requests/{filed.reference}").status_code == 401


def test_the_inquiry_shows_the_status_only_and_one_answer_for_every_miss(filed: Case) -> None:
    year = filed.year
    query = {"authority": "najran", "number": str(filed.number), "year": year}
    hit = Client().get(f"{API}/requests/inquiry", query)
    assert hit.status_code == 200
    shown = hit.json()
    assert (shown["reference"], shown["status"]) == (filed.reference, "submitted")
    assert re.search("[\u0600-\u06ff]", shown["status_label"])
    assert set(shown) == {"reference", "status", "status_label"}  # nothing personal
    arabic_digits = str(year).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    typed = {"authority": "najran", "number": f"{filed.number}", "year": arabic_digits}
    assert Client().get(f"{API}/requests/inquiry", typed).json() == shown
    misses = set()
    miss: dict[str, Any]
    for miss in (
        {"authority": "najran", "number": "999", "year": year},
        {"authority": "najran", "number": str(filed.number), "year": year - 3},
        {"authority": "madinah", "number": str(filed.number), "year": year},
        {"authority": "nowhere", "number": "1", "year": year},
        {"authority": "najran", "number": "GAM-2026-000001", "year": year},
        {"authority": "najran", "number": str(filed.number), "year": "last year"},
        {"authority": "najran", "number": str(filed.number), "year": "2300"},
    ):
        response = Client().get(f"{API}/requests/inquiry", miss)
        assert response.status_code == 404
        misses.add(response.content)
    assert len(misses) == 1


def test_the_inquiry_is_limited_per_address(demo: Any) -> None:
    query = {"authority": "najran", "number": "1", "year": 1448}
    statuses = [Client().get(f"{API}/requests/inquiry", query).status_code for _ in range(31)]
    assert statuses[:30] == [404] * 30
    assert statuses[30] == 429
    other = Client(REMOTE_ADDR="10.9.8.7").get(f"{API}/requests/inquiry", query)
    assert other.status_code == 404
    # The page and the API draw on one budget per address.
    page = Client().get("/najran/requests/inquiry/", {"number": "1", "year": "1448"})
    assert page.status_code == 429


def test_the_openapi_document_lists_every_request_operation(demo: Any) -> None:
    paths = Client().get(f"{API}/openapi.json").json()["paths"]
    for path in (
        "/services/{authority}/{service}/form", "/services/{authority}/{service}/registry",
        "/requests", "/requests/inquiry", "/requests/drafts/{authority}/{service}",
        "/requests/{reference}", "/requests/{reference}/messages",
        "/requests/{reference}/cancel", "/requests/{reference}/files/{upload_id}",
        "/requests/{reference}/summary.pdf", "/requests/{reference}/rating",
    ):  # fmt: skip
        assert f"{API}{path}" in paths
    submit = paths[f"{API}/requests"]["post"]
    assert "multipart/form-data" in submit["requestBody"]["content"]
    assert {"200", "201", "400", "401", "404"} <= set(submit["responses"])


def test_unusable_input_gets_an_answer_in_the_apis_shape(amina_token: str, settings: Any) -> None:
    drafts = f"{API}/requests/drafts/najran/emirate-appointment"
    refused = [
        Client().get(f"{API}/requests", {"service": "a\x00b"}, **_auth(amina_token, "en")),
        Client().put(drafts, '{"answers": {"visit_subject": "a\\u0000"}}',
                     content_type="application/json", **_auth(amina_token, "en")),
        Client().post(f"{API}/requests", {"authority": "najran\x00", "service": "x",
                                          "answers": "{}"}, **_auth(amina_token, "en")),
    ]  # fmt: skip
    for response in refused:
        assert response.status_code == 400
        assert response.json() == {
            "message": "The request holds a character that is not allowed.",
            "errors": {},
        }
    assert not CaseDraft.objects.exists()
    broken = Client().put(drafts, "{", content_type="application/json", **_auth(amina_token))
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    too_many = Client().post(
        f"{API}/requests/NJR-1448-000001/messages",
        {"files": [a_file(), a_file(), a_file()]}, **_auth(amina_token),
    )  # fmt: skip
    for response in (broken, too_many):
        assert response.status_code == 400
        assert response["Content-Type"].startswith("application/json")
        assert set(response.json()) == {"message", "errors"}


def test_it_gives_the_summary_pdf_and_takes_one_rating_once_decided(
    filed: Case, amina_token: str, khalid: Any
) -> None:
    from majlis.cases import services as case_services
    from majlis.feedback.models import Rating

    summary = Client().get(f"{API}/requests/{filed.reference}/summary.pdf", **_auth(amina_token))
    assert summary.status_code == 200
    assert summary["Content-Type"] == "application/pdf"
    assert summary.content.startswith(b"%PDF")
    rating = f"{API}/requests/{filed.reference}/rating"
    early = Client().post(rating, {"stars": 5}, content_type="application/json",
                          **_auth(amina_token))  # fmt: skip
    assert early.status_code == 409  # not before the decision
    case_services.case_staff_move(case=filed, move="approve", actor=khalid)
    bad = Client().post(rating, {"stars": 9}, content_type="application/json",
                        **_auth(amina_token, "en"))  # fmt: skip
    assert bad.status_code == 400
    done = Client().post(rating, {"stars": 4, "comment": "سريع"},
                         content_type="application/json", **_auth(amina_token))  # fmt: skip
    assert done.status_code == 201
    assert done.json() == {"stars": 4, "comment": "سريع"}
    again = Client().post(rating, {"stars": 2}, content_type="application/json",
                          **_auth(amina_token))  # fmt: skip
    assert again.status_code == 409
    assert Rating.objects.get(case=filed).stars == 4
