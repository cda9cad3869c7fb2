import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from majlis.accounts.choices import Role
from majlis.accounts.models import StaffRole, User
from majlis.catalogue.demo import demo_load
from majlis.catalogue.models import Authority, Branch, ContractorPermit, Service

pytestmark = pytest.mark.django_db


def test_it_loads_the_five_reference_authorities():
    demo_load()
    assert set(Authority.objects.values_list("slug", flat=True)) == {
        "ajman",
        "najran",
        "madinah",
        "amman",
        "muscat",
    }
    prefixes = set(
        Branch.objects.filter(authority__slug="ajman").values_list("ticket_prefix", flat=True)
    )
    assert prefixes == {"AJ", "MS", "MN"}
    assert Authority.objects.get(slug="najran").gates.count() == 3
    assert Authority.objects.get(slug="najran").governorates.count() == 8
    assert Authority.objects.get(slug="madinah").officials.count() == 4
    assert ContractorPermit.objects.filter(authority__slug="amman").count() == 4
    assert Authority.objects.get(slug="muscat").departments.count() == 6


def test_it_gives_every_role_a_demo_account():
    demo_load()
    held = set(StaffRole.objects.values_list("role", flat=True))
    assert held == set(Role.values)


def test_it_can_run_twice_without_duplicating_or_resetting_passwords():
    first = demo_load()
    user = User.objects.get(username="ajman.video")
    user.set_password("changed-by-the-operator")
    user.save()
    assert demo_load() == first
    assert Service.objects.filter(slug="qareeb").count() == 1
    assert StaffRole.objects.filter(user=user).count() == 1
    user.refresh_from_db()
    assert user.check_password("changed-by-the-operator")


def test_it_brings_edited_demo_rows_back_to_their_values():
    demo_load()
    Service.objects.filter(slug="qareeb").update(max_call_minutes=5)
    demo_load()
    assert Service.objects.get(slug="qareeb").max_call_minutes == 30


@override_settings(EMBEDDED=False)
def test_it_refuses_to_load_demo_accounts_in_production():
    with pytest.raises(CommandError, match="refusing outside the embedded profile"):
        call_command("load_demo")
    assert not User.objects.exists()
