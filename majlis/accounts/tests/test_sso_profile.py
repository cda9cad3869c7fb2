"""What a national SSO's claims become on the account, and the demo configuration."""

from typing import Any

import pytest
from allauth.idp.oidc.models import Client
from allauth.socialaccount.models import SocialApp

from majlis.accounts.demo import sso_demo_load
from majlis.accounts.models import User
from majlis.accounts.services import user_sso_profile_apply
from majlis.accounts.sso.claims import person_from_claims
from majlis.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_it_reads_uae_pass_style_claims_with_the_app_s_names() -> None:
    claims = {
        "sub": "x", "idn": "784199012345671", "fullnameAR": "عائشة محمد سعيد الزعابي",
        "fullnameEN": "Aisha Mohammed Saeed Al Zaabi", "mobile": "971501234561",
        "email": "aisha@example.ae",
    }  # fmt: skip
    names = {"national_id": "idn", "name_ar": "fullnameAR", "name_en": "fullnameEN",
             "phone": "mobile"}  # fmt: skip
    person = person_from_claims(claims, names)
    assert person.national_id == "784199012345671"
    assert person.name_parts_ar == ["عائشة", "محمد", "سعيد", "الزعابي"]
    assert person.name_parts_en == ["Aisha", "Mohammed", "Saeed", "Al", "Zaabi"]
    assert person.phone == "+971501234561"  # kept in E.164
    assert person.display_name == "عائشة محمد سعيد الزعابي"


def test_it_does_not_take_over_a_phone_another_account_holds(amina: Any) -> None:
    citizen = User.objects.create_user(username="sso-1")
    person = person_from_claims(
        {"name_parts_ar": ["أمينة", "سالم"], "phone_number": amina.phone, "email": "a@example.sa"}
    )
    user_sso_profile_apply(
        user=citizen, person=person, provider="nafath", issuer="http://i", linked=True,
        request=None,
    )  # fmt: skip
    citizen.refresh_from_db()
    assert (citizen.phone, citizen.phone_from_sso) == ("", False)
    assert (citizen.email, citizen.email_from_sso) == ("a@example.sa", True)
    entry = AuditEntry.objects.get(action="accounts.user.sso_linked", object_id=citizen.pk)
    assert entry.data["phone_conflict"] is True
    assert amina.phone not in str(entry.data)


def test_it_loads_the_sso_demo_again_without_changing_secrets(demo: Any) -> None:
    before = dict(SocialApp.objects.values_list("provider_id", "secret"))
    counts = sso_demo_load()
    assert counts == {"standin_citizens": 4, "sso_apps": 2}
    assert dict(SocialApp.objects.values_list("provider_id", "secret")) == before
    for app in SocialApp.objects.all():
        assert Client.objects.get(id=app.client_id).check_secret(app.secret)
    assert User.objects.filter(standin_identity__isnull=False).count() == 4
    assert not any(
        u.has_usable_password() for u in User.objects.filter(standin_identity__isnull=False)
    )
