"""The supervisor's live view: who may see it, and figures that add up for a constructed day."""

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone

from majlis.accounts.models import User
from majlis.accounts.testing import sign_in_staff
from majlis.catalogue.models import Branch, Service
from majlis.queueing import services
from majlis.queueing.choices import ShiftStatus, TicketStatus
from majlis.queueing.models import Counter, Ticket

pytestmark = pytest.mark.django_db

OVERVIEW = "/staff/queue/supervisor/ajman/AJ/"


def _figure(page: str, name: str) -> str:
    found = re.search(rf'data-figure="{name}">(.*?)</dd>', page, re.S)
    assert found, name
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def _day() -> dict[str, Any]:
    """Seven tickets at Ajman today, times set by hand:
    waiting since 10 and 4 minutes; served after a 6-minute wait; not answering after 2 minutes;
    cancelled while waiting; one with an agent now (called after 7 minutes); one at another
    branch (not counted)."""
    branch = Branch.objects.get(authority__slug="ajman", ticket_prefix="AJ")
    qareeb = Service.objects.get(authority__slug="ajman", slug="qareeb")
    now = timezone.now()
    ago = lambda minutes: now - datetime.timedelta(minutes=minutes)  # noqa: E731

    def ticket(n: int, **fields: Any) -> Ticket:
        made = services.ticket_issue(
            branch=fields.pop("branch", branch), service=qareeb, citizen=None,
            phone=f"+9715000000{n:02d}",
        )  # fmt: skip
        Ticket.objects.filter(pk=made.pk).update(**fields)
        return made

    ticket(1, joined_at=ago(10))
    ticket(2, joined_at=ago(4))
    ticket(3, joined_at=ago(20), called_at=ago(14), served_at=ago(13), finished_at=ago(5),
           status=TicketStatus.DONE)  # fmt: skip
    ticket(4, joined_at=ago(12), called_at=ago(10), finished_at=ago(7), status=TicketStatus.NO_SHOW)
    ticket(5, joined_at=ago(9), finished_at=ago(8), status=TicketStatus.CANCELLED)
    video = User.objects.get(username="ajman.video")
    counter = User.objects.get(username="ajman.counter")
    services.shift_open(
        agent=video, counter=Counter.objects.get(branch=branch, number="1"), services=[qareeb]
    )
    paused = services.shift_open(
        agent=counter, counter=Counter.objects.get(branch=branch, number="4"), services=[qareeb]
    )
    services.shift_set_status(shift=paused, status=ShiftStatus.PAUSED)
    busy = ticket(6, joined_at=ago(8), called_at=ago(1), status=TicketStatus.CALLED,
                  agent=video, counter=Counter.objects.get(branch=branch, number="1"))  # fmt: skip
    elsewhere = Branch.objects.get(authority__slug="ajman", ticket_prefix="MS")
    ticket(7, branch=elsewhere, joined_at=ago(60))
    return {"busy": busy}


def test_it_shows_the_days_figures(english: Any, demo: Any) -> None:
    day = _day()
    sign_in_staff(english, User.objects.get(username="ajman.supervisor"))
    page = english.get(OVERVIEW).content.decode()
    assert _figure(page, "waiting") == "2"
    assert _figure(page, "longest") == "10 min"
    # Waits of the called: 6, 2 and 7 minutes.
    assert _figure(page, "average") == "5 min"
    assert _figure(page, "agents") == "1"  # the other one is on a break
    assert _figure(page, "served") == "1"
    assert _figure(page, "no_shows") == "1"
    assert _figure(page, "cancelled") == "1"
    assert "Video desk 1" in page
    assert "Counter 4" in page
    assert "On a break" in page
    assert f"With <bdi>{day['busy'].code}</bdi> (Called)" in page
    live = english.get(OVERVIEW + "live").json()["html"]
    assert _figure(live, "waiting") == "2"


def test_it_shows_the_overview_in_arabic(client: Any, demo: Any) -> None:
    _day()
    sign_in_staff(client, User.objects.get(username="ajman.supervisor"))
    page = client.get(OVERVIEW).content.decode()
    assert _figure(page, "waiting") == "2"


def test_it_answers_404_to_staff_without_the_supervisor_role(english: Any, demo: Any) -> None:
    sign_in_staff(english, User.objects.get(username="ajman.video"))
    assert english.get(OVERVIEW).status_code == 404
    assert english.get(OVERVIEW + "live").status_code == 404
    sign_in_staff(english, User.objects.get(username="ajman.supervisor"))
    assert english.get("/staff/queue/supervisor/ajman/ZZ/").status_code == 404
    assert english.get("/staff/queue/supervisor/najran/AJ/").status_code == 404
    assert english.get(OVERVIEW).status_code == 200


def test_it_sends_visitors_to_sign_in(english: Any, demo: Any) -> None:
    response = english.get(OVERVIEW)
    assert response.status_code == 302
