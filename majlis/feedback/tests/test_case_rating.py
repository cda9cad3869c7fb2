"""Rating the service on a request (seed 001 §2.10 "تقييم الخدمة"): its citizen only, once it
has been decided, once; stars 1-5 with the error next to them and the comment kept."""

import pytest
from django.urls import reverse

from majlis.cases import services as case_services
from majlis.cases.models import Case
from majlis.catalogue.models import Service
from majlis.catalogue.selectors import form_version_current
from majlis.core.models import AuditEntry
from majlis.feedback import services
from majlis.feedback.models import Rating

pytestmark = pytest.mark.django_db


def _case(citizen) -> Case:
    service = Service.objects.get(authority__slug="najran", slug="emirate-appointment")
    return case_services.case_submit(
        service=service, version=form_version_current(service=service), citizen=citizen,
        answers={}, files={}, language="ar",
    )  # fmt: skip


@pytest.fixture
def decided(amina, khalid) -> Case:
    """Amina's request, approved and completed by Khalid."""
    case = _case(amina)
    Case.objects.filter(pk=case.pk).update(department=khalid.staff_roles.get().department)
    case_services.case_staff_move(case=case, move="approve", actor=khalid)
    return case_services.case_staff_move(case=case, move="complete", actor=khalid)


def _url(case: Case) -> str:
    return reverse("portal:feedback:case_rating", args=[case.authority.slug, case.reference])


def test_the_citizen_rates_a_completed_request_once(client, amina, khalid, decided):
    client.force_login(amina)
    page = client.get(_url(decided))
    assert page.status_code == 200
    assert 'name="stars"' in page.content.decode()
    response = client.post(_url(decided), {"stars": "4", "comment": "خدمة سريعة"})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "portal:cases:detail", args=["najran", decided.reference]
    )
    assert "شكرًا لك، رأيك يهمنا." in client.get(response["Location"]).content.decode()
    rating = Rating.objects.get()
    assert (rating.case, rating.citizen, rating.agent, rating.stars, rating.comment) == (
        decided,
        amina,
        khalid,
        4,
        "خدمة سريعة",
    )
    assert (rating.service_id, rating.authority_id) == (decided.service_id, decided.authority_id)
    assert AuditEntry.objects.filter(action="feedback.rating.given", actor=amina).exists()
    # A second rating is refused, and the first one stands.
    again = client.post(_url(decided), {"stars": "1", "comment": "تغيير"})
    assert again.status_code == 400
    assert "لقد قيّمت هذه الخدمة من قبل" in again.content.decode()
    assert Rating.objects.get().stars == 4
    shown = client.get(_url(decided)).content.decode()
    assert 'name="stars"' not in shown
    assert "★★★★☆" in shown


@pytest.mark.parametrize("move", ["approve", "reject"])
def test_an_approved_or_rejected_request_can_be_rated(client, amina, khalid, move):
    case = _case(amina)
    Case.objects.filter(pk=case.pk).update(department=khalid.staff_roles.get().department)
    case_services.case_staff_move(case=case, move=move, actor=khalid, note="السبب")
    client.force_login(amina)
    assert client.post(_url(case), {"stars": "5"}).status_code == 302
    assert Rating.objects.get(case=case).stars == 5


def test_an_open_or_cancelled_request_cannot_be_rated_yet(client, amina):
    case = _case(amina)
    client.force_login(amina)
    page = client.get(_url(case)).content.decode()
    assert "يمكنك تقييم الخدمة بعد البت في طلبك" in page
    assert 'name="stars"' not in page
    assert client.post(_url(case), {"stars": "5"}).status_code == 400
    case_services.case_cancel(case=case, citizen=amina)
    assert client.post(_url(case), {"stars": "5"}).status_code == 400
    assert not Rating.objects.exists()
    with pytest.raises(services.FeedbackError) as refusal:
        services.rating_for_case_submit(case=case, citizen=amina, stars=5, comment="")
    assert refusal.value.code == "not_decided"


def test_only_the_requests_citizen_can_rate_it(client, amina, omar, huda, decided):
    missing = reverse("portal:feedback:case_rating", args=["najran", "NJR-1448-999999"])
    for who in (None, omar, huda):
        client.logout()
        if who is not None:
            client.force_login(who)
        for method in (client.get, client.post):
            theirs = method(_url(decided), {"stars": "1"} if method == client.post else None)
            nobodys = method(missing, {"stars": "1"} if method == client.post else None)
            assert theirs.status_code == nobodys.status_code == 404
            assert theirs.content == nobodys.content
    client.force_login(amina)
    assert client.get(f"/madinah/feedback/requests/{decided.reference}/").status_code == 404
    assert not Rating.objects.exists()
    with pytest.raises(services.FeedbackError) as refusal:
        services.rating_for_case_submit(case=decided, citizen=omar, stars=5, comment="")
    assert refusal.value.code == "not_yours"


@pytest.mark.parametrize("stars", ["", "0", "6", "five"])
def test_stars_out_of_1_to_5_are_refused_next_to_the_field_and_the_comment_kept(
    client, amina, decided, stars
):
    client.force_login(amina)
    response = client.post(_url(decided), {"stars": stars, "comment": "تعليقي <b>هنا</b>"})
    assert response.status_code == 400
    body = response.content.decode()
    assert (
        '<p class="field-error" id="stars_error">اختر تقييمًا من نجمة واحدة إلى خمس نجوم.</p>'
        in (body)
    )
    assert 'aria-describedby="stars_error"' in body
    assert "تعليقي &lt;b&gt;هنا&lt;/b&gt;</textarea>" in body
    assert not Rating.objects.exists()


def test_the_rating_page_speaks_english_too(english, amina, decided):
    english.force_login(amina)
    body = english.get(_url(decided)).content.decode()
    assert "Rate the service" in body
    assert "How was the service?" in body


def test_the_rating_after_a_call_uses_the_same_stars(client, amina):
    """The ticket's rating screen shares the star widget: it still rates a served ticket."""
    from majlis.catalogue.models import Branch
    from majlis.queueing.choices import TicketStatus
    from majlis.queueing.models import Ticket
    from majlis.queueing.services import ticket_issue

    ticket = ticket_issue(
        branch=Branch.objects.get(authority__slug="ajman", ticket_prefix="AJ"),
        service=Service.objects.get(authority__slug="ajman", slug="qareeb"),
        citizen=amina, phone="+971501234567",
    )  # fmt: skip
    Ticket.objects.filter(pk=ticket.pk).update(status=TicketStatus.DONE)
    client.force_login(amina)
    url = reverse("portal:feedback:rate", args=["ajman", ticket.public_id])
    assert 'name="stars"' in client.get(url).content.decode()
    refused = client.post(url, {"stars": "9"})
    assert refused.status_code == 400
    assert 'id="stars_error"' in refused.content.decode()
    assert client.post(url, {"stars": "5", "comment": "ممتاز"}).status_code == 200
    assert Rating.objects.get(ticket=ticket).stars == 5
