"""A video desk with a called, started call: the citizen Amal, the agent of the Ajman video desk,
another citizen and another video agent of the same branch."""

from typing import Any

import pytest

from majlis.accounts.choices import Role
from majlis.accounts.models import StaffRole, User
from majlis.catalogue.models import Branch, Service
from majlis.queueing import services as queueing
from majlis.queueing.models import Counter, Ticket


@pytest.fixture
def desk(demo: Any) -> dict[str, Any]:
    branch = Branch.objects.get(authority__slug="ajman", ticket_prefix="AJ")
    service = Service.objects.get(authority__slug="ajman", slug="qareeb")
    agent = User.objects.get(username="ajman.video")
    shift = queueing.shift_open(
        agent=agent, counter=Counter.objects.get(branch=branch, number="1"), services=[service]
    )
    citizen = User.objects.create_user(username="amal", display_name="أمل", phone="+971501230001")
    stranger = User.objects.create_user(
        username="saeed", display_name="سعيد", phone="+971501230002"
    )
    other_agent = User.objects.create_user(username="other.agent", is_staff=True)
    StaffRole.objects.create(user=other_agent, role=Role.VIDEO_AGENT, authority=branch.authority)
    return {
        "branch": branch, "service": service, "agent": agent, "shift": shift,
        "citizen": citizen, "stranger": stranger, "other_agent": other_agent,
    }  # fmt: skip


def called_ticket(desk: dict[str, Any]) -> Ticket:
    queueing.ticket_issue(
        branch=desk["branch"], service=desk["service"], citizen=desk["citizen"],
        phone="+971501230001",
    )  # fmt: skip
    ticket = queueing.ticket_call_next(shift=desk["shift"])
    assert ticket is not None
    return ticket
