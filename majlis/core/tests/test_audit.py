"""Every change made in the admin is audited, and staff read it on the object's history page."""

import pytest

from majlis.accounts.models import User
from majlis.accounts.testing import sign_in_staff
from majlis.catalogue.models import Service
from majlis.core.models import AuditEntry
from majlis.core.services import audit_record

pytestmark = pytest.mark.django_db


def _sign_in(client, username):
    return sign_in_staff(client, User.objects.get(username=username))


def _service_form(service, **changes):
    data = {
        field.name: getattr(service, field.name)
        for field in Service._meta.fields
        if field.name not in {"id", "authority", "department"}
    }
    data.update(
        authority=service.authority_id,
        department=service.department_id or "",
        branches=[b.pk for b in service.branches.all()],
    )
    data.update(changes)
    return {key: ("" if value is None else value) for key, value in data.items()}


def test_it_audits_an_admin_change_with_before_and_after(client, demo):
    service = Service.objects.get(slug="emirate-appointment")
    _sign_in(client, "najran.admin")
    response = client.post(
        f"/admin/catalogue/service/{service.pk}/change/",
        _service_form(service, fees_en="Free of charge"),
        REMOTE_ADDR="192.0.2.44",
    )
    assert response.status_code == 302, response.content[:2000]
    entry = AuditEntry.objects.get(action="catalogue.service.changed")
    assert entry.actor_label == "najran.admin"
    assert entry.actor == User.objects.get(username="najran.admin")
    assert entry.object_id == str(service.pk)
    assert entry.data == {"fees_en": {"from": "None", "to": "Free of charge"}}
    assert entry.client_address == "192.0.2.44"


def test_it_shows_the_audit_entries_on_the_history_page(client, demo):
    service = Service.objects.get(slug="emirate-appointment")
    audit_record(
        action="catalogue.service.changed",
        obj=service,
        actor_label="najran.admin",
        data={"fees_en": {"from": "None", "to": "Free"}},
    )
    _sign_in(client, "najran.admin")
    response = client.get(f"/admin/catalogue/service/{service.pk}/history/")
    assert response.status_code == 200
    assert "catalogue.service.changed" in response.text
    assert "najran.admin" in response.text


def test_it_hides_other_authorities_rows_from_an_authority_admin(client, demo):
    _sign_in(client, "najran.admin")
    listing = client.get("/admin/catalogue/service/")
    assert "طلب موعد مع الإمارة" in listing.text
    assert "قريب" not in listing.text
    qareeb = Service.objects.get(slug="qareeb")
    assert client.get(f"/admin/catalogue/service/{qareeb.pk}/history/").status_code == 404


def test_it_never_writes_secrets_into_the_log():
    entry = audit_record(
        action="accounts.user.changed",
        actor_label="test",
        data={"password": "hunter2", "nested": {"otp": "123456"}, "ok": 1},
    )
    assert entry.data == {"password": "[redacted]", "nested": {"otp": "[redacted]"}, "ok": 1}


def test_it_audits_admin_deletions(client, demo):
    gate = demo and __import__("majlis.catalogue.models", fromlist=["EntryGate"]).EntryGate
    target = gate.objects.filter(authority__slug="najran").first()
    _sign_in(client, "admin")
    response = client.post(f"/admin/catalogue/entrygate/{target.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(
        action="catalogue.entrygate.deleted", object_id=str(target.pk)
    ).exists()


def test_it_audits_inline_role_grants_and_password_changes(client, demo):
    from majlis.accounts.models import StaffRole

    target = User.objects.get(username="najran.triage")
    _sign_in(client, "admin")
    response = client.post(
        f"/admin/accounts/user/{target.pk}/password/",
        {"password1": "A-much-longer-secret-42", "password2": "A-much-longer-secret-42"},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="accounts.user.password_changed")
    assert entry.object_id == str(target.pk)
    assert "A-much-longer" not in str(entry.data)
    role = StaffRole.objects.get(user=target)
    form = client.get(f"/admin/accounts/user/{target.pk}/change/").context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        {
            "groups": [g.pk for g in target.groups.all()],
            "name_parts_ar": "[]",
            "name_parts_en": "[]",
            "date_joined_0": target.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": target.date_joined.strftime("%H:%M:%S"),
            "staff_roles-TOTAL_FORMS": "1",
            "staff_roles-INITIAL_FORMS": "1",
            "staff_roles-0-id": role.pk,
            "staff_roles-0-user": target.pk,
            "staff_roles-0-role": role.role,
            "staff_roles-0-authority": role.authority_id,
            "staff_roles-0-DELETE": "on",
        }
    )
    data.pop("last_login", None)
    response = client.post(f"/admin/accounts/user/{target.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert AuditEntry.objects.filter(action="accounts.staffrole.deleted").exists()
    assert not StaffRole.objects.filter(pk=role.pk).exists()


def test_it_scrubs_secrets_inside_lists():
    entry = audit_record(action="x.y.changed", actor_label="t", data={"rows": [{"token": "abc"}]})
    assert entry.data == {"rows": [{"token": "[redacted]"}]}
