"""The agent's console through the front door: who may open it, and a whole working cycle."""

from typing import Any

import pytest
from django.urls import reverse

from majlis.accounts.choices import Role
from majlis.accounts.models import StaffRole, User
from majlis.accounts.testing import sign_in_staff
from majlis.catalogue.models import Authority, Branch, Service
from majlis.core.models import AuditEntry
from majlis.queueing import services
from majlis.queueing.choices import ShiftStatus, TicketPriority, TicketStatus
from majlis.queueing.models import AgentShift, Counter, Ticket

pytestmark = pytest.mark.django_db

CONSOLE = "/staff/queue/"


def _branch(prefix: str = "AJ") -> Branch:
    return Branch.objects.get(authority__slug="ajman", ticket_prefix=prefix)


def _service(slug: str = "qareeb") -> Service:
    return Service.objects.get(authority__slug="ajman", slug=slug)


def _issue(n: int, *, prefix: str = "AJ", slug: str = "qareeb", **extra: Any) -> Ticket:
    citizen = User.objects.create_user(username=f"citizen-{prefix}-{slug}-{n}")
    return services.ticket_issue(
        branch=_branch(prefix), service=_service(slug), citizen=citizen,
        phone=f"+9715000{n:05d}", **extra,
    )  # fmt: skip


def _agent(username: str = "ajman.video") -> User:
    return User.objects.get(username=username)


def _open_shift(
    client: Any, *, counter: str = "1", services_: tuple[str, ...] = ("qareeb",)
) -> Any:
    return client.post(
        reverse("staff:queueing:shift_open"),
        {"branch": "ajman:AJ", "counter": counter, "services": list(services_)},
    )


def _act(client: Any, ticket: Ticket, action: str) -> Any:
    return client.post(reverse("staff:queueing:ticket_action", args=[ticket.public_id, action]))


def _other_authority_agent() -> User:
    user = User.objects.create_user(username="outsider", is_staff=True, display_name="Outsider")
    StaffRole.objects.create(
        user=user, role=Role.VIDEO_AGENT, authority=Authority.objects.get(slug="najran")
    )
    return user


# --- gates --------------------------------------------------------------------------------------


def test_it_sends_visitors_to_sign_in_and_answers_citizens_404(english: Any, amina: Any) -> None:
    response = english.get(CONSOLE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    english.force_login(amina)
    # Signing in again would not help a citizen: the back office is not there for them (S5).
    assert english.post(reverse("staff:queueing:call_next")).status_code == 404
    assert english.get(CONSOLE).status_code == 404


def test_it_hides_the_console_from_staff_without_a_queue_role(english: Any, demo: Any) -> None:
    sign_in_staff(english, User.objects.get(username="najran.officer"))
    assert english.get(CONSOLE).status_code == 404
    assert english.post(reverse("staff:queueing:call_next")).status_code == 404


def test_it_answers_404_when_an_agent_acts_on_a_ticket_not_theirs(english: Any, demo: Any) -> None:
    ticket = _issue(1)
    shift = services.shift_open(
        agent=_agent(), counter=Counter.objects.get(branch=_branch(), number="1"),
        services=[_service()],
    )  # fmt: skip
    ticket = services.ticket_call_next(shift=shift) or ticket
    # An agent of another authority, then an agent of the same branch who is not serving it.
    for outsider in (_other_authority_agent(), _agent("ajman.counter")):
        sign_in_staff(english, outsider)
        for action in ("recall", "no-show", "finish"):
            assert _act(english, ticket, action).status_code == 404
        url = reverse("staff:queueing:ticket_note", args=[ticket.public_id])
        assert english.post(url, {"text": "hello"}).status_code == 404
        url = reverse("staff:queueing:ticket_transfer", args=[ticket.public_id])
        assert english.post(url, {"target": "centre-ticket@AJ"}).status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.CALLED
    assert ticket.times_called == 1
    assert not ticket.notes.exists()


def test_it_keeps_a_branch_agent_to_their_branch(english: Any, demo: Any) -> None:
    sign_in_staff(english, _agent("ajman.counter"))  # a counter agent of Ajman branch only
    response = english.post(
        reverse("staff:queueing:shift_open"),
        {"branch": "ajman:MS", "counter": "4", "services": ["centre-ticket"]},
    )
    assert response.status_code == 404
    assert not AgentShift.objects.exists()
    page = english.get(CONSOLE, {"branch": "ajman:MS"}).content.decode()
    assert 'value="ajman:AJ"' in page
    assert "ajman:MS" not in page


def test_it_offers_only_free_desks(english: Any, demo: Any) -> None:
    services.shift_open(
        agent=_agent("ajman.counter"), counter=Counter.objects.get(branch=_branch(), number="1"),
        services=[_service()],
    )  # fmt: skip
    sign_in_staff(english, _agent())
    page = english.get(CONSOLE, {"branch": "ajman:AJ"}).content.decode()
    assert '<option value="1"' not in page
    assert '<option value="2"' in page
    response = _open_shift(english, counter="1")
    assert response.status_code == 400
    assert not AgentShift.objects.filter(agent=_agent(), ended_at__isnull=True).exists()


# --- the working cycle --------------------------------------------------------------------------


def test_it_opens_a_shift_and_calls_in_order(english: Any, demo: Any) -> None:
    sign_in_staff(english, _agent())
    assert "Open shift" in english.get(CONSOLE).content.decode()
    assert _open_shift(english).status_code == 302
    shift = AgentShift.objects.get(agent=_agent(), ended_at__isnull=True)
    assert shift.counter.number == "1"
    assert list(shift.services.values_list("slug", flat=True)) == ["qareeb"]

    first, second = _issue(1), _issue(2)
    urgent = _issue(3, priority=TicketPriority.PRIORITY)
    page = english.get(CONSOLE).content.decode()
    for ticket in (first, second, urgent):
        assert ticket.code in page
    assert "Priority (senior citizen or person of determination)" in page
    assert "3 waiting" in page

    assert english.post(reverse("staff:queueing:call_next")).status_code == 302
    urgent.refresh_from_db()
    assert urgent.status == TicketStatus.CALLED
    assert urgent.counter_id == shift.counter_id
    page = english.get(CONSOLE).content.decode()
    assert "Current ticket" in page
    assert "Recall" in page
    assert "The citizen starts the video call from their page." in page
    assert 'id="call-panel"' in page
    live = english.get(reverse("staff:queueing:console_live")).json()["html"]
    assert f'data-current="{urgent.public_id}:called"' in live
    assert "2 waiting" in live

    # Busy: calling again is refused next to the button, and nothing moves.
    response = english.post(reverse("staff:queueing:call_next"))
    assert response.status_code == 409
    assert "Finish or transfer the current ticket first." in response.content.decode()

    assert _act(english, urgent, "recall").status_code == 302
    urgent.refresh_from_db()
    assert urgent.times_called == 2
    assert _act(english, urgent, "no-show").status_code == 302
    urgent.refresh_from_db()
    assert urgent.status == TicketStatus.NO_SHOW

    english.post(reverse("staff:queueing:call_next"))
    first.refresh_from_db()
    assert first.status == TicketStatus.CALLED
    # A video call is started by the citizen, never from the console.
    assert _act(english, first, "start").status_code == 404
    services.ticket_start(ticket=first, actor=first.citizen)
    assert "Call time" in english.get(CONSOLE).content.decode()

    assert _act(english, first, "hold").status_code == 302
    first.refresh_from_db()
    assert first.status == TicketStatus.ON_HOLD
    assert _act(english, first, "resume").status_code == 302
    first.refresh_from_db()
    assert first.status == TicketStatus.SERVING

    note_url = reverse("staff:queueing:ticket_note", args=[first.public_id])
    assert (
        english.post(note_url, {"text": "Brought the trade licence <b>copy</b>"}).status_code == 302
    )
    page = english.get(CONSOLE).content.decode()
    assert "Brought the trade licence &lt;b&gt;copy&lt;/b&gt;" in page
    response = english.post(note_url, {"text": ""})
    assert response.status_code == 400

    assert _act(english, first, "finish").status_code == 302
    first.refresh_from_db()
    assert first.status == TicketStatus.DONE
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "queueing.shift.opened", "queueing.ticket.called", "queueing.ticket.recalled",
        "queueing.ticket.no_show", "queueing.ticket.held", "queueing.ticket.resumed",
        "queueing.ticket.noted", "queueing.ticket.finished",
    } <= actions  # fmt: skip


def test_it_transfers_the_current_ticket_to_another_service(english: Any, demo: Any) -> None:
    sign_in_staff(english, _agent())
    _open_shift(english)
    ticket = _issue(1)
    english.post(reverse("staff:queueing:call_next"))
    page = english.get(CONSOLE).content.decode()
    assert 'value="centre-ticket@AJ"' in page
    assert 'value="qareeb@AJ"' not in page  # where it already is
    url = reverse("staff:queueing:ticket_transfer", args=[ticket.public_id])
    assert english.post(url, {"target": "qareeb@AJ"}).status_code == 400
    assert english.post(url, {"target": "centre-ticket@AJ"}).status_code == 302
    ticket.refresh_from_db()
    assert ticket.service.slug == "centre-ticket"
    assert ticket.status == TicketStatus.WAITING
    assert ticket.agent_id is None
    # Not one of this desk's services: the agent's queue is empty now.
    response = english.post(reverse("staff:queueing:call_next"))
    assert response.status_code == 409
    assert "Nobody is waiting." in response.content.decode()


def test_it_transfers_to_another_branch(english: Any, demo: Any) -> None:
    sign_in_staff(english, _agent())
    _open_shift(english)
    ticket = _issue(1)
    english.post(reverse("staff:queueing:call_next"))
    url = reverse("staff:queueing:ticket_transfer", args=[ticket.public_id])
    assert english.post(url, {"target": "centre-ticket@MS"}).status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.TRANSFERRED
    assert ticket.transferred_to is not None
    assert ticket.transferred_to.code.startswith("MS-")


def test_it_starts_a_walk_in_at_the_counter(english: Any, demo: Any) -> None:
    sign_in_staff(english, _agent("ajman.counter"))
    _open_shift(english, counter="4", services_=("centre-ticket",))
    ticket = _issue(1, slug="centre-ticket")
    english.post(reverse("staff:queueing:call_next"))
    assert "Start" in english.get(CONSOLE).content.decode()
    assert _act(english, ticket, "start").status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.SERVING
    assert ticket.served_at is not None
    # Done with it: the same button twice finds it already finished.
    assert _act(english, ticket, "finish").status_code == 302
    assert _act(english, ticket, "finish").status_code == 404


def test_it_pauses_resumes_and_ends_the_shift(english: Any, demo: Any) -> None:
    sign_in_staff(english, _agent())
    _open_shift(english)
    status_url = reverse("staff:queueing:shift_status")
    assert english.post(status_url, {"status": "paused"}).status_code == 302
    shift = AgentShift.objects.get(agent=_agent())
    assert shift.status == ShiftStatus.PAUSED
    page = english.get(CONSOLE).content.decode()
    assert "Back from break" in page
    assert "Call next" not in page
    assert english.post(status_url, {"status": "asleep"}).status_code == 404
    english.post(status_url, {"status": "available"})
    shift.refresh_from_db()
    assert shift.status == ShiftStatus.AVAILABLE

    # With a citizen at the desk the shift stays open.
    _issue(1)
    english.post(reverse("staff:queueing:call_next"))
    response = english.post(reverse("staff:queueing:shift_close"))
    assert response.status_code == 409
    current = Ticket.objects.get(status=TicketStatus.CALLED)
    _act(english, current, "no-show")
    assert english.post(reverse("staff:queueing:shift_close")).status_code == 302
    shift.refresh_from_db()
    assert shift.ended_at is not None
    assert "Open shift" in english.get(CONSOLE).content.decode()


def test_it_shows_the_console_in_arabic(client: Any, demo: Any) -> None:
    sign_in_staff(client, _agent())
    assert client.get(CONSOLE).status_code == 200  # the open-shift form, checked in Arabic
    _open_shift(client)
    _issue(1)
    _issue(2, priority=TicketPriority.PRIORITY)
    client.post(reverse("staff:queueing:call_next"))
    current = Ticket.objects.get(status=TicketStatus.CALLED)
    client.post(reverse("staff:queueing:ticket_note", args=[current.public_id]), {"text": "ملاحظة"})
    page = client.get(CONSOLE).content.decode()
    assert 'lang="ar"' in page
    assert current.code in page
