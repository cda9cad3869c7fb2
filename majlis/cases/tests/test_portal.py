"""The citizen's "My account" for requests: the list, a request's page, reply, cancel, files."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from majlis.accounts.testing import sign_in_staff
from majlis.cases import services
from majlis.cases.choices import CaseStatus
from majlis.cases.models import Case, CaseFile, CaseMessage, DocumentRequest
from majlis.cases.testing import a_file, form_post
from majlis.catalogue.models import Service
from majlis.catalogue.selectors import form_version_current
from majlis.core.choices import UploadStatus
from majlis.core.models import Upload
from majlis.core.uploads.policy import UploadPolicy
from majlis.core.uploads.services import upload_accept

pytestmark = pytest.mark.django_db


def _service(slug: str, service_slug: str):
    service = Service.objects.select_related("authority").get(
        authority__slug=slug, slug=service_slug
    )
    return service, form_version_current(service=service)


@pytest.fixture
def najran(demo, upload_root):
    return _service("najran", "emirate-appointment")


def _apply(client, citizen, service, version, **overrides):
    """File a request through the citizen's form, as the citizen would."""
    client.force_login(citizen)
    url = reverse("portal:cases:start", args=[service.authority.slug, service.slug])
    response = client.post(url, form_post(version, **overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Case.objects.filter(citizen=citizen).latest("pk")


def _quick(citizen, service, version, **answers):
    return services.case_submit(
        service=service, version=version, citizen=citizen, answers=answers, files={},
        language="ar",
    )  # fmt: skip


def _url(name, case, *more):
    return reverse(f"portal:cases:{name}", args=[case.authority.slug, case.reference, *more])


def _mine(slug="najran"):
    return reverse("portal:cases:mine", args=[slug])


def _hostile(name="deed.pdf"):
    """A web page with a script, named as a PDF."""
    html = a_file(name)
    html.file.seek(0)
    html.file.truncate()
    html.file.write(b"<html><script>alert(1)</script></html>")
    html.file.seek(0)
    html.size = 40
    return html


# -- my requests ----------------------------------------------------------------------------------


def test_it_lists_my_requests_newest_first_with_a_message_badge(
    client, amina, omar, khalid, najran
):
    service, version = najran
    first = _quick(amina, service, version)
    second = _quick(amina, service, version)
    others = _quick(omar, service, version)
    services.case_request_information(case=first, actor=khalid, body="أرسل صورة الصك")
    client.force_login(amina)
    page = client.get(_mine()).content.decode()
    assert first.reference in page
    assert second.reference in page
    assert others.reference not in page
    assert page.index(second.reference) < page.index(first.reference)  # newest first
    assert page.count("لديك رسالة") == 1
    assert "بانتظار ردّك" in page  # the status's own label
    # Reading the request clears the badge.
    assert client.get(_url("detail", first)).status_code == 200
    first.refresh_from_db()
    assert first.unread_by_citizen == 0
    assert "لديك رسالة" not in client.get(_mine()).content.decode()


def test_it_says_so_when_there_are_no_requests(client, amina, najran):
    client.force_login(amina)
    page = client.get(_mine()).content.decode()
    assert "لم ترسل أي طلبات" in page


def test_it_pages_the_list_by_twenty(client, amina, najran):
    service, version = najran
    cases = [_quick(amina, service, version) for _n in range(21)]
    client.force_login(amina)
    first = client.get(_mine()).content.decode()
    assert cases[0].reference not in first  # the oldest is on page 2
    assert cases[-1].reference in first
    second = client.get(_mine() + "?page=2").content.decode()
    assert cases[0].reference in second


def test_it_sends_visitors_to_sign_in_and_gives_staff_nothing(client, khalid, najran):
    service, _version = najran
    previous = reverse("portal:cases:previous", args=["najran", service.slug])
    for url in (_mine(), previous):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    sign_in_staff(client, khalid)
    assert client.get(_mine()).status_code == 404
    assert client.get(previous).status_code == 404


def _queries_for_list(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_it_keeps_the_list_queries_constant(client, amina, khalid, najran):
    service, version = najran
    madinah, madinah_version = _service("madinah", "meet-an-official")
    previous = reverse("portal:cases:previous", args=["madinah", madinah.slug])
    official = next(f for f in madinah_version.fields if f["name"] == "official")
    answers = {"requested_date": "2099-01-15", "official": official["options"][0]["value"]}
    one = _quick(amina, service, version)
    services.case_request_information(case=one, actor=khalid, body="؟")
    _quick(amina, madinah, madinah_version, requested_date="2099-01-15")
    client.force_login(amina)
    few = (_queries_for_list(client, _mine()), _queries_for_list(client, previous))
    for _n in range(24):
        _quick(amina, service, version)
        _quick(amina, madinah, madinah_version, **answers)
    many = (_queries_for_list(client, _mine()), _queries_for_list(client, previous))
    assert many == few


# -- a request's page -----------------------------------------------------------------------------


def test_it_shows_the_answers_with_option_labels_and_companions(client, amina, najran):
    service, version = najran
    case = _apply(
        client, amina, service, version, groups={"companions": 2}, destination="rights",
        has_belongings="yes", belongings=["car", "laptop"],
    )  # fmt: skip
    response = client.get(_url("detail", case))
    page = response.content.decode()
    assert "موعد مع إدارة محددة" in page  # appointment type "department", by its label
    assert "قطاع عام" in page  # applicant type "public"
    assert "سيارة خاصة، كمبيوتر محمول" in page  # the belongings, joined
    assert "أمينة سالم محمد العلي" in page  # the four-part name on one line
    assert "نص تجريبي للاختبار 10" in page
    assert "نص تجريبي للاختبار 20" in page
    assert "المرافق <bdi>2</bdi>" in page
    reason_letter = case.files.get(path="reason_letter").upload
    assert reason_letter.display_name in page
    assert "هـ" in page  # Najran shows the Hijri date beside the Gregorian one
    assert "public" not in page.replace("public_id", "")  # values never leak as codes
    Upload.objects.update(status=UploadStatus.CLEAN)
    page = client.get(_url("detail", case)).content.decode()
    assert _url("file", case, reason_letter.public_id) in page


def test_it_never_shows_internal_notes_or_officer_names(client, amina, khalid, najran):
    service, version = najran
    case = _quick(amina, service, version)
    services.case_note_add(case=case, actor=khalid, body="ملاحظة داخلية لا يراها المستفيد")
    services.case_request_information(case=case, actor=khalid, body="نحتاج صورة الصك",
                                      documents=["صورة الصك"])  # fmt: skip
    client.force_login(amina)
    page = client.get(_url("detail", case)).content.decode()
    assert "نحتاج صورة الصك" in page
    assert "ملاحظة داخلية" not in page
    assert khalid.display_name not in page
    assert "khalid" not in page
    assert "الموظف" in page
    assert "ما زال مطلوباً" in page  # the checklist item is still open


def test_it_shows_another_citizens_request_as_not_found(client, amina, omar, najran):
    service, version = najran
    case = _quick(amina, service, version)
    client.force_login(omar)
    theirs = client.get(_url("detail", case))
    missing = client.get(reverse("portal:cases:detail", args=["najran", "NJR-1400-999999"]))
    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content
    client.force_login(amina)
    elsewhere = reverse("portal:cases:detail", args=["madinah", case.reference])
    assert client.get(elsewhere).status_code == 404


def test_it_shows_the_decision(client, amina, khalid, najran):
    import datetime

    from django.utils import timezone

    service, version = najran
    case = _quick(amina, service, version)
    when = timezone.now() + datetime.timedelta(days=3)
    services.case_staff_move(case=case, move="approve", actor=khalid, note="نرحب بكم في الموعد",
                             agreed_at=when)  # fmt: skip
    client.force_login(amina)
    page = client.get(_url("detail", case)).content.decode()
    assert "نرحب بكم في الموعد" in page
    assert "الموعد المتفق عليه" in page
    assert 'action="' + _url("reply", case) not in page  # closed: no reply, no cancel


# -- reply ----------------------------------------------------------------------------------------


def test_it_takes_a_reply_with_files_for_the_checklist(client, amina, khalid, najran):
    service, version = najran
    case = _quick(amina, service, version)
    services.case_request_information(
        case=case, actor=khalid, body="أرسل المستندات", documents=["صورة الصك", "خطاب التفويض"]
    )
    deed, letter = DocumentRequest.objects.filter(case=case).order_by("pk")
    client.force_login(amina)
    page = client.get(_url("detail", case)).content.decode()
    assert f'name="document_{deed.pk}"' in page
    assert f'name="document_{letter.pk}"' in page
    response = client.post(_url("reply", case), {
        "body": "أرفقت صورة الصك، والخطاب غداً",
        f"document_{deed.pk}": a_file("deed.pdf"),
        "other_files": [a_file("extra.png"), a_file("more.pdf")],
    })  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == _url("detail", case)
    case.refresh_from_db()
    assert case.status == CaseStatus.RESUBMITTED
    assert case.unread_by_staff == 1
    deed.refresh_from_db()
    letter.refresh_from_db()
    assert deed.fulfilled_at is not None
    assert letter.fulfilled_at is None
    message = CaseMessage.objects.get(case=case, author_kind="citizen")
    assert message.body == "أرفقت صورة الصك، والخطاب غداً"
    files = CaseFile.objects.filter(message=message).order_by("pk")
    assert [(f.upload.display_name, f.document_request_id) for f in files] == [
        ("deed.pdf", deed.pk), ("extra.png", None), ("more.pdf", None),
    ]  # fmt: skip
    page = client.get(_url("detail", case)).content.decode()
    assert "تم إرساله" in page
    assert "تم إرسال ردك إلى الموظف" in page
    assert f'name="document_{deed.pk}"' not in page  # asked for no more
    assert f'name="document_{letter.pk}"' in page


def test_it_keeps_the_text_and_good_files_when_a_file_is_refused(client, amina, khalid, najran):
    service, version = najran
    case = _quick(amina, service, version)
    services.case_request_information(case=case, actor=khalid, body="؟", documents=["صورة الصك"])
    deed = DocumentRequest.objects.get(case=case)
    client.force_login(amina)
    typed = "هذا ما كتبته ولا أريد أن أفقده"
    response = client.post(_url("reply", case), {
        "body": typed, f"document_{deed.pk}": _hostile(), "other_files": [a_file("extra.png")],
    })  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert typed in page
    assert f'id="id_document_{deed.pk}_error"' in page
    assert f'aria-describedby="id_document_{deed.pk}_helptext id_document_{deed.pk}_error"' in page
    assert "نوع هذا الملف غير مقبول" in page
    assert not CaseMessage.objects.filter(author_kind="citizen").exists()
    kept = Upload.objects.get(display_name="extra.png")
    assert f'name="other_files__kept" value="{kept.public_id}"' in page
    # The citizen chooses a proper file; the kept one travels with the form.
    response = client.post(_url("reply", case), {
        "body": typed, f"document_{deed.pk}": a_file("deed.pdf"),
        "other_files__kept": kept.public_id,
    })  # fmt: skip
    assert response.status_code == 302
    message = CaseMessage.objects.get(author_kind="citizen")
    assert message.body == typed
    assert sorted(message.files.values_list("upload__display_name", flat=True)) == [
        "deed.pdf", "extra.png",
    ]  # fmt: skip


def test_it_refuses_someone_elses_upload_passed_as_kept(client, amina, omar, najran):
    service, version = najran
    case = _quick(amina, service, version)
    omars = upload_accept(file=a_file("x.pdf"), owner=omar, policy=UploadPolicy())
    client.force_login(amina)
    response = client.post(_url("reply", case), {"other_files__kept": omars.public_id})
    assert response.status_code == 400  # nothing to send: the id is not hers
    assert "اكتب رسالة أو أرفق ملفاً" in response.content.decode()
    assert not CaseMessage.objects.filter(case=case).exists()


def test_it_refuses_more_than_five_other_files(client, amina, najran):
    service, version = najran
    case = _quick(amina, service, version)
    client.force_login(amina)
    response = client.post(_url("reply", case), {
        "body": "ستة ملفات", "other_files": [a_file(f"f{n}.pdf") for n in range(6)],
    })  # fmt: skip
    assert response.status_code == 400
    assert "id_other_files_error" in response.content.decode()
    assert not Upload.objects.exists()


# -- cancel ---------------------------------------------------------------------------------------


def test_it_cancels_an_open_request_and_then_takes_no_reply(client, amina, najran):
    service, version = najran
    case = _quick(amina, service, version)
    client.force_login(amina)
    page = client.get(_url("detail", case)).content.decode()
    assert "<details" in page
    assert _url("cancel", case) in page
    response = client.post(_url("cancel", case))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CANCELLED
    page = client.get(_url("detail", case)).content.decode()
    with translation.override("ar"):
        assert f'id="case-status">{CaseStatus.CANCELLED.label}<' in page
    assert _url("reply", case) not in page
    assert _url("cancel", case) not in page
    refused = client.post(_url("reply", case), {"body": "هل يمكن إعادة فتحه؟"})
    assert refused.status_code == 409
    assert "لا يمكن تغيير هذا الطلب بهذه الطريقة الآن" in refused.content.decode()
    again = client.post(_url("cancel", case), follow=True)
    assert "لا يمكن تغيير هذا الطلب بهذه الطريقة الآن" in again.content.decode()


# -- files ----------------------------------------------------------------------------------------


def test_it_serves_a_requests_files_to_its_owner_only(client, amina, omar, khalid, najran):
    service, version = najran
    case = _apply(client, amina, service, version)
    other = _apply(client, amina, service, version)
    Upload.objects.update(status=UploadStatus.CLEAN)
    letter = case.files.get(path="reason_letter").upload
    url = _url("file", case, letter.public_id)
    client.force_login(amina)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    b"".join(response.streaming_content)  # read to the end, the test client closes the file
    not_found = []
    not_found.append(client.get(_url("file", case, other.files.first().upload.public_id)))
    not_found.append(client.get(_url("file", case, "nosuchfile")))
    client.force_login(omar)
    not_found.append(client.get(url))
    sign_in_staff(client, khalid)
    not_found.append(client.get(url))
    client.logout()
    not_found.append(client.get(url))
    assert [r.status_code for r in not_found] == [404] * 5
    assert len({r.content for r in not_found}) == 1


def test_it_serves_no_file_before_its_virus_scan(client, amina, najran):
    service, version = najran
    case = _apply(client, amina, service, version)
    letter = case.files.get(path="reason_letter").upload
    assert letter.status == UploadStatus.PENDING_SCAN
    page = client.get(_url("detail", case)).content.decode()
    assert _url("file", case, letter.public_id) not in page
    assert client.get(_url("file", case, letter.public_id)).status_code == 404


# -- previous appointments (Madinah) --------------------------------------------------------------


def test_it_lists_previous_appointments_for_madinah(client, amina, omar, demo, upload_root):
    service, version = _service("madinah", "meet-an-official")
    official = next(f for f in version.fields if f["name"] == "official")["options"][0]
    case = _apply(client, amina, service, version, requested_date="2099-01-15")
    _quick(omar, service, version, requested_date="2099-02-01")
    client.force_login(amina)
    url = reverse("portal:cases:previous", args=["madinah", service.slug])
    page = client.get(url).content.decode()
    assert '<h1 class="page-title">المواعيد السابقة' in page
    assert case.reference in page
    assert Case.objects.filter(citizen=omar).get().reference not in page
    assert "<bdi>15 يناير، 2099</bdi>" in page
    assert official["label_ar"] in page
    assert reverse("portal:cases:start", args=["madinah", service.slug]) in page
    assert "موعد جديد" in page


# -- English --------------------------------------------------------------------------------------


def test_it_speaks_english(english, amina, khalid, najran):
    service, version = najran
    case = _apply(english, amina, service, version, destination="rights")
    services.case_request_information(case=case, actor=khalid, body="Please send the deed",
                                      documents=["Deed copy"])  # fmt: skip
    page = english.get(_mine()).content.decode()
    assert "You have a message" in page
    assert "Waiting for you" in page
    page = english.get(_url("detail", case)).content.decode()
    assert "Appointment with a specific department" in page
    assert "Officer" in page
    assert "Still needed" in page
    assert "Reply to the officer" in page


def test_it_offers_the_rating_once_a_request_is_decided(client, amina, khalid, demo, upload_root):
    from majlis.feedback.models import Rating

    service = Service.objects.get(authority__slug="najran", slug="emirate-appointment")
    case = services.case_submit(
        service=service, version=form_version_current(service=service), citizen=amina,
        answers={}, files={}, language="ar",
    )  # fmt: skip
    client.force_login(amina)
    detail = reverse("portal:cases:detail", args=["najran", case.reference])
    rate = reverse("portal:feedback:case_rating", args=["najran", case.reference])
    assert rate not in client.get(detail).content.decode()  # not while it is open
    services.case_staff_move(case=case, move="approve", actor=khalid)
    assert rate in client.get(detail).content.decode()
    Rating.objects.create(
        authority=case.authority, service=service, case=case, citizen=amina, stars=4
    )
    page = client.get(detail).content.decode()
    assert rate not in page
    assert "<bdi>4</bdi>" in page
