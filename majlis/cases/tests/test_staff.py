"""The officers' back office for requests, through the front door: who sees what, the inbox's
filters, one request's page, and every action with its audit entry and the citizen's SMS."""

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from majlis.accounts.models import User
from majlis.accounts.testing import sign_in_staff
from majlis.cases import services
from majlis.cases.choices import CaseStatus
from majlis.cases.models import Case, CaseFile, CaseNote, DocumentRequest
from majlis.cases.testing import a_file, form_post, saudi_id
from majlis.catalogue.models import Department, Service
from majlis.catalogue.selectors import form_version_current
from majlis.core.choices import UploadStatus
from majlis.core.models import AuditEntry, Upload
from majlis.core.uploads.policy import UploadPolicy
from majlis.core.uploads.services import upload_accept
from majlis.core.uploads.tasks import upload_scan
from majlis.notifications.models import Message

pytestmark = pytest.mark.django_db

INBOX = "/staff/requests/"


def _service() -> Service:
    return Service.objects.select_related("authority").get(
        authority__slug="najran", slug="emirate-appointment"
    )


def _file(citizen: User, *, to: str = "citizens-affairs", serial: int = 1, **answers: Any) -> Case:
    """A request filed by `citizen`, routed to the department `to` by its destination."""
    service = _service()
    version = form_version_current(service=service)
    assert version is not None
    answers = {
        "applicant_type": "individual",
        "full_name": answers.pop("name", ["أمينة", "سالم", "محمد", "العلي"]),
        "national_id": saudi_id(serial),
        "mobile": citizen.phone,
        "appointment_type": "department",
        "destination": to,
        "visit_subject": "أرغب في مقابلة بخصوص معاملة",
        **answers,
    }
    return services.case_submit(
        service=service, version=version, citizen=citizen, answers=answers, files={},
        language="ar",
    )  # fmt: skip


def _triage() -> User:
    return User.objects.get(username="najran.triage")


def _detail(case: Case) -> str:
    return reverse("staff:cases:detail", args=[case.reference])


def _move(case: Case, move: str) -> str:
    return reverse("staff:cases:move", args=[case.reference, move])


def _sms(case: Case) -> list[Message]:
    return list(Message.objects.filter(object_id=str(case.pk), channel="sms").order_by("pk"))


# --- who sees what ------------------------------------------------------------------------------


def test_it_sends_visitors_to_sign_in_and_citizens_nowhere(client, amina):
    case = _file(amina)
    for url in (INBOX, _detail(case)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    client.force_login(amina)  # her own request, but not her back office
    assert client.get(INBOX).status_code == 404
    assert client.get(_detail(case)).status_code == 404


def test_each_officer_sees_only_their_departments_requests(client, amina, khalid, huda):
    ours = _file(amina, to="citizens-affairs", serial=1)
    theirs = _file(amina, to="rights", serial=2)
    sign_in_staff(client, khalid)
    page = client.get(INBOX).content.decode()
    assert ours.reference in page
    assert theirs.reference not in page
    assert client.get(_detail(ours)).status_code == 200
    client.logout()
    sign_in_staff(client, huda)
    page = client.get(INBOX).content.decode()
    assert theirs.reference in page
    assert ours.reference not in page


def _routes(reference: str, upload_id: str) -> list[tuple[str, str, dict[str, Any]]]:
    def url(name: str, *args: str) -> str:
        return reverse(f"staff:cases:{name}", args=[reference, *args])

    return [
        ("get", url("detail"), {}),
        ("get", url("file", upload_id), {}),
        ("post", url("move", "start"), {}),
        ("post", url("move", "approve"), {"decision-note": "x"}),
        ("post", url("move", "reject"), {"decision-note": "x"}),
        ("post", url("move", "complete"), {}),
        ("post", url("ask"), {"ask-body": "x"}),
        ("post", url("message"), {"message-body": "x"}),
        ("post", url("note"), {"note-body": "x"}),
        ("post", url("assign"), {"assign-assignee": "khalid"}),
        ("post", url("route"), {"route-department": "rights"}),
    ]


@pytest.mark.parametrize(("officer", "other", "department"), [
    ("khalid", "huda", "rights"), ("huda", "khalid", "citizens-affairs"),
])  # fmt: skip
def test_another_departments_request_is_not_found_on_every_route(
    client, amina, khalid, huda, upload_root, officer, other, department
):
    theirs = _file(amina, to=department)
    upload = upload_accept(file=a_file("image.png"), owner=amina, policy=UploadPolicy())
    upload_scan.call(upload.pk)
    CaseFile.objects.create(case=theirs, upload=upload, path="id_copy")
    sign_in_staff(client, User.objects.get(username=officer))
    unknown = _routes("NJR-1400-999999", upload.public_id)
    for (method, url, data), (_m, missing, _d) in zip(
        _routes(theirs.reference, upload.public_id), unknown, strict=True
    ):
        response = getattr(client, method)(url, data)
        nothing = getattr(client, method)(missing, data)
        assert response.status_code == 404, url
        assert response.content == nothing.content, url
    theirs.refresh_from_db()
    assert theirs.status == CaseStatus.SUBMITTED
    assert theirs.assignee is None
    assert not CaseNote.objects.exists()
    # The officer whose department it is gets the file.
    client.logout()
    sign_in_staff(client, User.objects.get(username=other))
    response = client.get(reverse("staff:cases:file", args=[theirs.reference, upload.public_id]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_triage_sees_every_request_and_routes_and_assigns(client, amina, khalid, huda):
    ours = _file(amina, to="citizens-affairs", serial=1)
    theirs = _file(amina, to="rights", serial=2)
    triage = _triage()
    sign_in_staff(client, triage)
    page = client.get(INBOX).content.decode()
    assert ours.reference in page
    assert theirs.reference in page
    page = client.get(_detail(ours)).content.decode()
    assert "route-department" in page  # the routing form is there for triage

    response = client.post(
        reverse("staff:cases:route", args=[ours.reference]), {"route-department": "rights"}
    )
    assert response.status_code == 302
    ours.refresh_from_db()
    assert ours.department.code == "rights"
    entry = AuditEntry.objects.get(action="cases.case.routed", object_id=str(ours.pk))
    assert entry.actor == triage
    response = client.post(
        reverse("staff:cases:assign", args=[ours.reference]), {"assign-assignee": "huda"}
    )
    assert response.status_code == 302
    ours.refresh_from_db()
    assert ours.assignee == huda
    assert AuditEntry.objects.filter(action="cases.case.assigned", actor=triage).exists()
    history = client.get(_detail(ours)).content.decode()
    assert "أُرسل إلى إدارة أخرى" in history
    assert "إدارة الحقوق العامة" in history

    # Khalid no longer has it; Huda does.
    client.logout()
    sign_in_staff(client, khalid)
    assert client.get(_detail(ours)).status_code == 404
    client.logout()
    sign_in_staff(client, huda)
    assert client.get(_detail(ours)).status_code == 200


def test_triage_cannot_assign_to_someone_outside_the_department(client, amina, khalid):
    case = _file(amina, to="rights")
    sign_in_staff(client, _triage())
    response = client.post(
        reverse("staff:cases:assign", args=[case.reference]), {"assign-assignee": "khalid"}
    )
    assert response.status_code == 400
    assert "اختر شخصاً من القائمة." in response.content.decode()
    case.refresh_from_db()
    assert case.assignee is None


def test_an_officer_takes_and_gives_back_but_does_not_route(client, amina, khalid, huda):
    case = _file(amina)
    sign_in_staff(client, khalid)
    assign = reverse("staff:cases:assign", args=[case.reference])
    response = client.post(assign, {"assign-assignee": "huda"})
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.assignee is None
    page = client.get(_detail(case)).content.decode()
    assert "route-department" not in page
    assert "أتولّى هذا الطلب" in page
    assert client.post(assign, {"assign-assignee": "khalid"}).status_code == 302
    case.refresh_from_db()
    assert case.assignee == khalid
    assert "إعادته إلى الإدارة" in client.get(_detail(case)).content.decode()
    assert client.post(assign, {"assign-assignee": ""}).status_code == 302
    case.refresh_from_db()
    assert case.assignee is None
    route = reverse("staff:cases:route", args=[case.reference])
    response = client.post(route, {"route-department": "rights"})
    assert response.status_code == 403
    assert "موظفو الفرز والمشرفون" in response.content.decode()
    case.refresh_from_db()
    assert case.department.code == "citizens-affairs"
    # Nothing chosen, where giving it back is not offered: an error, not a silent release.
    assigned = AuditEntry.objects.filter(action="cases.case.assigned").count()
    assert client.post(assign, {}).status_code == 400
    assert AuditEntry.objects.filter(action="cases.case.assigned").count() == assigned


# --- the inbox ----------------------------------------------------------------------------------


def _references(response: Any) -> list[str]:
    return [row.reference for row in (r["case"] for r in response.context["rows"])]


def test_it_filters_by_status_department_assignee_and_due(client, amina, khalid, huda):
    first = _file(amina, serial=1)
    second = _file(amina, serial=2)
    third = _file(amina, to="rights", serial=3)
    services.case_cancel(case=second, citizen=amina)
    services.case_assign(case=first, assignee=khalid, actor=khalid)
    now = timezone.now()
    Case.objects.filter(pk=first.pk).update(due_at=now - datetime.timedelta(days=1))
    Case.objects.filter(pk=third.pk).update(due_at=now + datetime.timedelta(minutes=5))
    sign_in_staff(client, _triage())

    # By default: the open requests, soonest due first.
    assert _references(client.get(INBOX)) == [first.reference, third.reference]
    everything = client.get(INBOX, {"status": ["cancelled", "submitted"]})
    assert set(_references(everything)) == {first.reference, second.reference, third.reference}
    assert _references(client.get(INBOX, {"status": "cancelled"})) == [second.reference]
    assert _references(client.get(INBOX, {"department": "najran:rights"})) == [third.reference]
    assert _references(client.get(INBOX, {"assignee": "khalid"})) == [first.reference]
    assert _references(client.get(INBOX, {"assignee": "unassigned"})) == [third.reference]
    assert _references(client.get(INBOX, {"assignee": "mine"})) == []
    overdue = client.get(INBOX, {"due": "overdue"})
    assert _references(overdue) == [first.reference]
    assert "متأخر" in overdue.content.decode()  # said in words, not by colour alone
    assert _references(client.get(INBOX, {"due": "today"})) == [third.reference]
    by_submission = client.get(INBOX, {"sort": "submitted", "status": ["submitted"]})
    assert _references(by_submission) == [third.reference, first.reference]

    # Khalid's department list holds his department only: another one is an error, not a filter.
    client.logout()
    sign_in_staff(client, khalid)
    response = client.get(INBOX, {"department": "najran:rights"})
    assert response.status_code == 200
    assert "id_department_error" in response.content.decode()
    assert _references(response) == [first.reference]
    assert _references(client.get(INBOX, {"assignee": "mine"})) == [first.reference]
    # He can look for what a colleague of his department holds; Huda is not one.
    page = client.get(INBOX).content.decode()
    assert 'value="najran.officer"' in page
    assert 'value="huda"' not in page


def test_it_searches_by_number_name_full_id_and_mobile(client, amina, omar, khalid):
    aminas = _file(amina, serial=1)
    omars = _file(omar, serial=2, name=["عمر", "فهد", "سعد", "الدوسري"])
    sign_in_staff(client, khalid)

    def found(text: str) -> list[str]:
        return _references(client.get(INBOX, {"q": text, "status": ["submitted"]}))

    assert found(omars.reference) == [omars.reference]
    assert found(str(omars.number)) == [omars.reference]
    assert found("الدوسري") == [omars.reference]
    assert found(saudi_id(1)) == [aminas.reference]
    assert found(saudi_id(1)[:6]) == []  # a part of an ID finds nobody
    assert found("0501110002") == [omars.reference]
    assert found("+966 50 111 0001") == [aminas.reference]


def test_it_masks_national_ids_in_the_list_only(client, amina, khalid):
    case = _file(amina, serial=7)
    full = saudi_id(7)
    assert case.national_id == full
    sign_in_staff(client, khalid)
    page = client.get(INBOX).content.decode()
    assert full not in page
    assert f"{full[0]}******{full[-3:]}" in page
    assert full in client.get(_detail(case)).content.decode()


def test_the_inbox_costs_the_same_queries_for_5_and_30_requests(client, amina, khalid, huda):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(INBOX, {"status": ["submitted", "processing"]})
        assert response.status_code == 200
        return len(queries)

    def add(n: int, start: int) -> None:
        for i in range(n):
            case = _file(amina, to="rights" if i % 3 == 0 else "citizens-affairs",
                         serial=start + i)  # fmt: skip
            if i % 2:
                services.case_assign(case=case, assignee=khalid if i % 3 else huda, actor=khalid)
            if i % 4 == 0:
                services.case_staff_move(case=case, move="start", actor=huda)
                services.case_reply(case=case, citizen=amina, body="رد")

    sign_in_staff(client, _triage())
    add(5, 1)
    count()  # warm the per-process caches (content types, sessions)
    five = count()
    add(25, 100)
    assert Case.objects.count() == 30
    assert count() == five


def test_it_marks_new_replies_until_the_officer_opens_the_request(client, amina, khalid):
    case = _file(amina)
    services.case_reply(case=case, citizen=amina, body="أرفقت الخطاب المطلوب")
    sign_in_staff(client, khalid)
    assert "رد جديد" in client.get(INBOX).content.decode()
    client.get(_detail(case))
    case.refresh_from_db()
    assert case.unread_by_staff == 0
    assert "رد جديد" not in client.get(INBOX).content.decode()


def test_it_paginates_by_25(client, amina, khalid):
    for i in range(27):
        _file(amina, serial=i + 1)
    sign_in_staff(client, khalid)
    first = client.get(INBOX)
    assert len(first.context["rows"]) == 25
    second = client.get(INBOX, {"page": 2})
    assert len(second.context["rows"]) == 2
    assert "الصفحة <bdi>2</bdi> من <bdi>2</bdi>" in second.content.decode()


# --- bulk assign --------------------------------------------------------------------------------


def test_triage_assigns_in_bulk_and_out_of_scope_requests_are_skipped(client, amina, khalid):
    ours = [_file(amina, serial=i) for i in (1, 2)]
    rights = _file(amina, to="rights", serial=3)
    sign_in_staff(client, _triage())
    response = client.post(
        reverse("staff:cases:bulk_assign") + "?status=submitted",
        {"cases": [c.reference for c in (*ours, rights)] + ["NJR-1400-999999"],
         "bulk-assignee": "khalid"},
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == INBOX + "?status=submitted"
    assert set(Case.objects.filter(assignee=khalid)) == set(ours)
    rights.refresh_from_db()
    assert rights.assignee is None  # Khalid does not work on Public Rights
    page = client.get(response["Location"]).content.decode()
    assert "تم إسناد 2 طلب." in page
    assert "تم تخطي 2 طلب" in page  # Public Rights' request, and one that does not exist
    assert AuditEntry.objects.filter(action="cases.case.assigned").count() == 2


def test_an_officer_assigns_in_bulk_only_to_themselves(client, amina, khalid, huda):
    ours = _file(amina, serial=1)
    theirs = _file(amina, to="rights", serial=2)
    sign_in_staff(client, khalid)
    url = reverse("staff:cases:bulk_assign")
    response = client.post(url, {"cases": [ours.reference], "bulk-assignee": "huda"})
    assert response.status_code == 400
    assert "اختر شخصاً من القائمة." in response.content.decode()
    ours.refresh_from_db()
    assert ours.assignee is None
    response = client.post(url, {"cases": [ours.reference, theirs.reference],
                                 "bulk-assignee": "khalid"})  # fmt: skip
    assert response.status_code == 302
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert ours.assignee == khalid
    assert theirs.assignee is None
    response = client.post(url, {"bulk-assignee": "khalid"})
    assert response.status_code == 400
    assert "حدّد الطلبات المراد إسنادها." in response.content.decode()


# --- actions ------------------------------------------------------------------------------------


def test_it_starts_and_approves_with_the_agreed_local_time(client, amina, khalid):
    case = _file(amina)
    sign_in_staff(client, khalid)
    page = client.get(_detail(case)).content.decode()
    assert 'data-move="approve"' in page
    assert 'data-move="reject"' in page
    assert 'data-move="complete"' not in page  # not from "submitted"
    assert client.post(_move(case, "start")).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.PROCESSING
    assert case.assignee == khalid  # whoever starts a request has taken it
    assert AuditEntry.objects.filter(action="cases.case.started", actor=khalid).exists()
    assert [m.kind for m in _sms(case)] == ["request_received"]  # starting tells no one

    past = {"decision-note": "نرحب بكم في الموعد", "decision-agreed_at": "2020-01-15T10:30"}
    response = client.post(_move(case, "approve"), past)
    assert response.status_code == 400
    assert "اختر تاريخاً ووقتاً لم يمضيا بعد." in response.content.decode()
    response = client.post(
        _move(case, "approve"),
        {"decision-note": "نرحب بكم في الموعد", "decision-agreed_at": "2030-01-15T10:30"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED
    # 10:30 in Najran (Asia/Riyadh, UTC+3) is 07:30 UTC.
    assert case.agreed_at == datetime.datetime(2030, 1, 15, 7, 30, tzinfo=datetime.UTC)
    assert case.decision_note == "نرحب بكم في الموعد"
    entry = AuditEntry.objects.get(action="cases.case.approved")
    assert entry.data["agreed_at"] == "2030-01-15T07:30:00+00:00"  # audit data in UTC
    sms = _sms(case)[-1]
    assert sms.kind == "status_changed"
    assert sms.recipient == amina.phone
    assert case.reference in sms.body
    assert "نرحب" not in sms.body
    page = client.get(_detail(case)).content.decode()
    assert "2030-01-15 10:30" in page  # back in Najran's time, with the Hijri date beside it
    assert "1451 هـ" in page
    assert 'data-move="complete"' in page
    assert client.post(_move(case, "complete")).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED


def test_it_refuses_to_approve_a_cancelled_request(client, amina, khalid):
    case = _file(amina)
    services.case_cancel(case=case, citizen=amina)
    sign_in_staff(client, khalid)
    page = client.get(_detail(case)).content.decode()
    assert "data-move=" not in page
    response = client.post(_move(case, "approve"), {"decision-note": "موافقة متأخرة"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "لا يمكن تغيير هذا الطلب بهذه الطريقة الآن." in body
    assert "موافقة متأخرة" in body  # what was typed is still there
    case.refresh_from_db()
    assert case.status == CaseStatus.CANCELLED
    assert not AuditEntry.objects.filter(action="cases.case.approved").exists()


def test_a_rejection_needs_a_reason_and_keeps_the_other_inputs(english, amina, khalid):
    case = _file(amina)
    sign_in_staff(english, khalid)
    response = english.post(
        _move(case, "reject"), {"decision-note": "  ", "decision-agreed_at": "2099-02-01T09:15"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_decision-note_error">Give the reason for the rejection.' in body
    assert 'value="2099-02-01T09:15"' in body
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    response = english.post(_move(case, "reject"), {"decision-note": "الموعد غير متاح"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.REJECTED
    assert case.decision_note == "الموعد غير متاح"
    assert AuditEntry.objects.get(action="cases.case.rejected").data["note"] == "الموعد غير متاح"
    assert _sms(case)[-1].kind == "status_changed"


def test_an_unknown_move_is_not_found(client, amina, khalid):
    case = _file(amina)
    sign_in_staff(client, khalid)
    assert client.post(_move(case, "request_info")).status_code == 404
    assert client.post(_move(case, "delete")).status_code == 404
    assert client.get(_move(case, "approve")).status_code == 405


def test_it_asks_for_documents_and_the_sms_says_only_that_there_is_a_message(client, amina, khalid):
    case = _file(amina)
    sign_in_staff(client, khalid)
    url = reverse("staff:cases:ask", args=[case.reference])
    eleven = "\n".join(f"مستند {i}" for i in range(11))
    response = client.post(url, {"ask-body": "نحتاج صورة أوضح", "ask-documents": eleven})
    assert response.status_code == 400
    body = response.content.decode()
    assert "اطلب 10 مستندات على الأكثر في المرة الواحدة." in body
    assert "نحتاج صورة أوضح" in body
    response = client.post(
        url, {"ask-body": "نحتاج صورة أوضح", "ask-documents": "صورة الهوية\n\nخطاب الجهة\n"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING_CITIZEN
    assert case.unread_by_citizen == 1
    labels = list(DocumentRequest.objects.filter(case=case).values_list("label", flat=True))
    assert labels == ["صورة الهوية", "خطاب الجهة"]
    entry = AuditEntry.objects.get(action="cases.case.documents_requested")
    assert entry.actor == khalid
    assert entry.data["documents"] == labels
    sms = _sms(case)[-1]
    assert sms.kind == "documents_requested"
    assert case.reference in sms.body
    for secret in ("نحتاج", "صورة الهوية", "خطاب الجهة"):
        assert secret not in sms.body
    page = client.get(_detail(case)).content.decode()
    assert "بانتظار المتعامل" in page  # the staff's words for "waiting for you"
    assert "لم يصل بعد" in page


def test_it_writes_to_the_citizen_without_changing_the_status(client, amina, khalid):
    case = _file(amina)
    sign_in_staff(client, khalid)
    url = reverse("staff:cases:message", args=[case.reference])
    response = client.post(url, {"message-body": "   "})
    assert response.status_code == 400
    assert 'id="id_message-body_error"' in response.content.decode()
    assert client.post(url, {"message-body": "موعدكم قيد الدراسة"}).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert case.messages.get().body == "موعدكم قيد الدراسة"
    assert AuditEntry.objects.filter(action="cases.case.message_sent", actor=khalid).exists()
    sms = _sms(case)[-1]
    assert sms.kind == "reply"
    assert "قيد الدراسة" not in sms.body


def test_internal_notes_stay_with_staff(client, amina, khalid, huda):
    case = _file(amina)
    sent_before = Message.objects.count()
    sign_in_staff(client, khalid)
    url = reverse("staff:cases:note", args=[case.reference])
    assert client.post(url, {"note-body": ""}).status_code == 400
    assert client.post(url, {"note-body": "المراجع معروف لدى الإدارة"}).status_code == 302
    note = CaseNote.objects.get()
    assert note.author == khalid
    assert note.case == case
    assert AuditEntry.objects.filter(action="cases.case.note_added").exists()
    # Nothing reaches the citizen: no message, nothing in the thread, nothing unread.
    assert Message.objects.count() == sent_before
    case.refresh_from_db()
    assert not case.messages.exists()
    assert case.unread_by_citizen == 0
    page = client.get(_detail(case)).content.decode()
    assert "المراجع معروف لدى الإدارة" in page
    assert "خالد مبارك اليامي" in page


# --- one request's page -------------------------------------------------------------------------


@pytest.fixture
def filed(client, amina, upload_root) -> Case:
    """A Najran request filed through the citizen's form, with two companions and their files."""
    service = _service()
    version = form_version_current(service=service)
    client.force_login(amina)
    data = form_post(version, groups={"companions": 2}, destination="citizens-affairs",
                     has_belongings="yes", belongings=["car", "laptop"])  # fmt: skip
    start = reverse("portal:cases:start", args=["najran", service.slug])
    assert client.post(start, data).status_code == 302
    client.logout()
    return Case.objects.get()


def test_it_shows_the_whole_request_with_safe_previews(client, filed, amina, khalid):
    files = {f.path: f.upload for f in filed.files.select_related("upload")}
    for path in ("reason_letter", "companions.0.id_image"):
        upload_scan.call(files[path].pk)
    Upload.objects.filter(pk=files["id_copy"].pk).update(status=UploadStatus.QUARANTINED)
    # The citizen answers a request for a document with a picture.
    services.case_request_information(case=filed, actor=khalid, body="", documents=["صورة الهوية"])
    wanted = DocumentRequest.objects.get()
    sent = upload_accept(file=a_file("photo.png"), owner=amina, policy=UploadPolicy())
    upload_scan.call(sent.pk)
    services.case_reply(case=filed, citizen=amina, body="تفضلوا", files=[(sent, wanted)])

    sign_in_staff(client, khalid)
    page = client.get(_detail(filed)).content.decode()

    def file_url(upload: Upload) -> str:
        return reverse("staff:cases:file", args=[filed.reference, upload.public_id])

    # Labels and option labels from the request's own form version.
    assert "نص موضوع الزيارة" in page
    assert "قطاع عام" in page  # applicant_type "public"
    assert "سيارة خاصة" in page
    assert "كمبيوتر محمول" in page
    assert "المرافقون" in page
    assert "نص تجريبي للاختبار 20" in page
    assert "<bdi>1</bdi>" in page  # the form version's number
    assert "هـ" in page  # Hijri beside Gregorian in Najran
    # Files: a clean picture inline, a clean PDF as a link, the others named without a link.
    assert f'<img src="{file_url(files["companions.0.id_image"])}"' in page
    assert f'href="{file_url(files["reason_letter"])}"' in page
    assert file_url(files["companions.1.id_image"]) not in page
    assert "بانتظار الفحص" in page
    assert file_url(files["id_copy"]) not in page
    assert "محجوز" in page
    # The thread: the checklist, what was fulfilled, and the citizen's file.
    assert "تفضلوا" in page
    assert "تم الاستلام" in page
    assert f'<img src="{file_url(sent)}"' in page
    # The history, in words.
    assert "قدّمه المتعامل" in page
    assert "طلب معلومات إضافية من المتعامل" in page
    assert "رد المتعامل" in page

    picture = client.get(file_url(files["companions.0.id_image"]))
    assert picture.status_code == 200
    assert picture["Content-Disposition"].startswith("inline")
    assert picture["X-Content-Type-Options"] == "nosniff"
    assert b"".join(picture.streaming_content).startswith(b"\x89PNG")
    pdf = client.get(file_url(files["reason_letter"]))
    assert pdf["Content-Disposition"].startswith("attachment")
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert client.get(file_url(files["companions.1.id_image"])).status_code == 404  # not scanned
    assert client.get(file_url(files["id_copy"])).status_code == 404  # quarantined
    stranger = upload_accept(file=a_file("x.png"), owner=amina, policy=UploadPolicy())
    upload_scan.call(stranger.pk)
    assert client.get(file_url(stranger)).status_code == 404  # clean, but not this request's


def test_the_pages_pass_the_checker_in_english(english, filed, khalid):
    english.cookies["majlis_language"] = "en"  # signing the citizen out cleared the cookies
    sign_in_staff(english, khalid)
    inbox = english.get(INBOX)
    assert "Requests" in inbox.content.decode()
    page = english.get(_detail(filed)).content.decode()
    assert "Subject of the visit" in page
    assert "Public sector" in page
    assert "Submitted by the citizen" in page


def test_the_admin_index_links_to_the_inbox(client, khalid):
    sign_in_staff(client, khalid)
    page = client.get(reverse("admin:index")).content.decode()
    assert f'href="{INBOX}"' in page


def test_it_refuses_unknown_departments_when_routing(client, amina):
    case = _file(amina)
    sign_in_staff(client, _triage())
    url = reverse("staff:cases:route", args=[case.reference])
    response = client.post(url, {"route-department": "nowhere"})
    assert response.status_code == 400
    assert 'id="id_route-department_error"' in response.content.decode()
    # A department of another authority is not offered either.
    other = Department.objects.exclude(authority__slug="najran").first()
    assert other is not None
    assert client.post(url, {"route-department": other.code}).status_code == 400
    case.refresh_from_db()
    assert case.department.code == "citizens-affairs"
