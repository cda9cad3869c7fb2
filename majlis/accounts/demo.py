"""Demo configuration of national SSO: the stand-in's fictitious citizens, and "UAE PASS" and
"Nafath" pointed at the stand-in as the client apps the authorities use.

Called by the catalogue's demo loader (majlis/catalogue/demo.py); idempotent like it. Client
secrets are generated once and kept: the portal's SocialApp holds the secret, the stand-in's
Client only its hash.
"""

import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.idp.oidc.models import Client
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from majlis.accounts import services
from majlis.accounts.sso.standin import ACR

# The published demo PIN of the stand-in's fictitious citizens.
STANDIN_PIN = "majlis-demo"  # nosec B105


@dataclass(frozen=True)
class DemoCitizen:
    national_id: str
    name_parts_ar: list[str]
    name_parts_en: list[str]
    phone: str
    email: str = ""


CITIZENS = [
    # UAE PASS (Emirates ID numbers start 784)
    DemoCitizen("784199012345676", ["عائشة", "محمد", "سعيد", "الزعابي"],
                ["Aisha", "Mohammed", "Saeed", "Al Zaabi"], "+971501234561", "aisha@example.ae"),
    DemoCitizen("784198576543213", ["سيف", "راشد", "خليفة", "النعيمي"],
                ["Saif", "Rashed", "Khalifa", "Al Nuaimi"], "+971501234562"),
    # Nafath (Saudi national ID numbers start 1)
    DemoCitizen("1012345672", ["فاطمة", "علي", "حسن", "اليامي"],
                ["Fatimah", "Ali", "Hassan", "Al Yami"], "+966501234561", "fatimah@example.sa"),
    DemoCitizen("1087654321", ["عبدالرحمن", "سعد", "ناصر", "الحربي"],
                ["Abdulrahman", "Saad", "Nasser", "Al Harbi"], "+966501234562"),
]  # fmt: skip


@dataclass(frozen=True)
class DemoSso:
    provider_id: str
    name_ar: str
    name_en: str


SSO_APPS = [
    DemoSso("uaepass", "UAE PASS", "UAE PASS"),
    DemoSso("nafath", "النفاذ الوطني", "Nafath"),
]


def _redirect_uris(issuer: str, provider_id: str) -> list[str]:
    parts = urlsplit(issuer)
    path = reverse("openid_connect_callback", kwargs={"provider_id": provider_id})
    hosts = [parts.netloc]
    # The embedded server answers to both names; register the callback under each.
    for one, other in (("127.0.0.1", "localhost"), ("localhost", "127.0.0.1")):
        if parts.hostname == one:
            hosts.append(parts.netloc.replace(one, other, 1))
    return [f"{parts.scheme}://{host}{path}" for host in hosts]


@transaction.atomic
def sso_demo_load(*, issuer: str | None = None) -> dict[str, int]:
    """Create or refresh the stand-in citizens and the demo SSO apps; returns counts."""
    issuer = (issuer or settings.SSO_STANDIN_ISSUER).rstrip("/")
    for citizen in CITIZENS:
        services.standin_identity_put(
            national_id=citizen.national_id, name_parts_ar=citizen.name_parts_ar,
            name_parts_en=citizen.name_parts_en, phone=citizen.phone, email=citizen.email,
            pin=STANDIN_PIN,
        )  # fmt: skip
    for demo in SSO_APPS:
        client_id = f"majlis-{demo.provider_id}"
        app = SocialApp.objects.filter(
            provider="openid_connect", provider_id=demo.provider_id
        ).first()
        if app is None:
            app = SocialApp(provider="openid_connect", provider_id=demo.provider_id)
        if not app.secret:
            app.secret = secrets.token_urlsafe(32)
        app.name = demo.name_en
        app.client_id = client_id
        app.settings = {
            "server_url": issuer,
            "issuer": issuer,
            "name_ar": demo.name_ar,
            "name_en": demo.name_en,
            "accepted_acr": [ACR],
            "max_auth_age": 600,
        }
        app.save()
        client = Client.objects.filter(id=client_id).first() or Client(id=client_id)
        client.name = f"Majlis ({demo.name_en})"
        client.type = Client.Type.CONFIDENTIAL
        client.skip_consent = True  # the citizen consents by signing in, as on the real service
        client.set_scopes(["openid", "profile", "email"])
        client.set_default_scopes(["openid", "profile", "email"])
        client.set_grant_types([Client.GrantType.AUTHORIZATION_CODE])
        client.set_response_types([Client.ResponseType.CODE])
        client.set_redirect_uris(_redirect_uris(issuer, demo.provider_id))
        if not client.secret or not client.check_secret(app.secret):
            client.set_secret(app.secret)
        client.save()
    return {"standin_citizens": len(CITIZENS), "sso_apps": len(SSO_APPS)}
