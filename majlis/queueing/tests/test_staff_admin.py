"""The queue in the admin: desks and policies editable, tickets and shifts read only, each
authority's rows for its own staff."""

from typing import Any

import pytest

from majlis.accounts.models import User
from majlis.accounts.testing import sign_in_staff
from majlis.catalogue.models import Branch, Service
from majlis.queueing import services

pytestmark = pytest.mark.django_db


def _ticket() -> Any:
    return services.ticket_issue(
        branch=Branch.objects.get(authority__slug="ajman", ticket_prefix="AJ"),
        service=Service.objects.get(authority__slug="ajman", slug="qareeb"),
        citizen=None, phone="+971500000001",
    )  # fmt: skip


def test_it_lists_tickets_read_only(english: Any, demo: Any) -> None:
    ticket = _ticket()
    admin = User.objects.create_superuser(username="root", password="x", display_name="Root")
    sign_in_staff(english, admin)
    listing = english.get("/admin/queueing/ticket/").content.decode()
    assert ticket.code in listing
    assert "+971500000001" not in listing  # the phone only on the ticket itself
    page = english.get(f"/admin/queueing/ticket/{ticket.pk}/change/").content.decode()
    assert "+971500000001" in page
    assert 'name="_save"' not in page
    response = english.post(f"/admin/queueing/ticket/{ticket.pk}/change/", {"status": "done"})
    assert response.status_code == 403
    assert english.get("/admin/queueing/ticket/add/").status_code == 403
    assert english.get("/admin/queueing/counter/").status_code == 200
    assert english.get("/admin/queueing/agentshift/").status_code == 200
    assert english.get("/admin/queueing/queuepolicy/").status_code == 200


def test_it_shows_staff_only_their_authoritys_desks(english: Any, demo: Any) -> None:
    User.objects.create_superuser(username="root", password="x", display_name="Root")
    from django.contrib.auth.models import Permission

    admin = User.objects.get(username="najran.admin")
    admin.user_permissions.add(Permission.objects.get(codename="view_counter"))
    sign_in_staff(english, admin)
    response = english.get("/admin/queueing/counter/")
    assert response.status_code == 200
    assert "Video desk 1" not in response.content.decode()  # Ajman's
    sign_in_staff(english, User.objects.get(username="root"))
    assert "Video desk 1" in english.get("/admin/queueing/counter/").content.decode()
