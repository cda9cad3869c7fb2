"""The stand-in national SSO: allauth.idp.oidc as a small national identity provider.

It answers discovery, JWKS, authorization (code + PKCE), token and userinfo exactly as the OpenID
provider of a national SSO does, for the fictitious citizens in StandInIdentity. Its issuer comes
from settings.SSO_STANDIN_ISSUER. Subjects are opaque per-identity values (like UAE PASS's), not
user ids; the claims carry the national ID, the name in parts in both languages and the phone.
"""

from collections.abc import Iterable
from typing import Any, Literal

from allauth.idp.oidc.adapter import DefaultOIDCAdapter
from allauth.idp.oidc.models import Client
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied

from majlis.accounts.models import StandInIdentity

# What the stand-in says about how the citizen signed in (recorded by the client side).
ACR = "urn:majlis:standin:loa:2"
AMR = ["pwd"]


def _identity(user: AbstractBaseUser) -> StandInIdentity:
    identity = StandInIdentity.objects.filter(user_id=user.pk).first()
    if identity is None:
        raise PermissionDenied  # only stand-in identities are known to the stand-in
    return identity


class StandInAdapter(DefaultOIDCAdapter):
    def get_issuer(self) -> str:
        return str(settings.SSO_STANDIN_ISSUER)

    def get_user_sub(self, client: Client, user: AbstractBaseUser) -> str:
        return _identity(user).subject

    def get_user_by_sub(self, client: Client, sub: str) -> AbstractBaseUser | None:
        identity = StandInIdentity.objects.select_related("user").filter(subject=sub).first()
        if identity is None or not identity.user.is_active:
            return None
        return identity.user

    def get_claims(
        self,
        purpose: Literal["id_token", "userinfo"],
        user: AbstractBaseUser,
        client: Client,
        scopes: Iterable[str],
        email: str | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        identity = _identity(user)
        scopes = set(scopes)
        claims: dict[str, Any] = {"sub": identity.subject}
        if "profile" in scopes:
            claims.update(
                {
                    "national_id": identity.national_id,
                    "name_parts_ar": identity.name_parts_ar,
                    "name_parts_en": identity.name_parts_en,
                    "name_ar": " ".join(identity.name_parts_ar),
                    "name": " ".join(identity.name_parts_en),
                    "phone_number": identity.phone,
                    "phone_number_verified": bool(identity.phone),
                }
            )
        if "email" in scopes and identity.email:
            claims.update({"email": identity.email, "email_verified": True})
        return claims

    def populate_id_token(
        self, id_token: dict[str, Any], client: Client, scopes: Iterable[str], **kwargs: Any
    ) -> None:
        # The code lives at most IDP_OIDC_AUTHORIZATION_CODE_EXPIRES_IN seconds, so the token's
        # issue time is within that of the sign-in itself.
        id_token.setdefault("auth_time", id_token["iat"])
        id_token["acr"] = ACR
        id_token["amr"] = AMR

    def populate_server_metadata(self, data: dict[str, str | list[str]]) -> None:
        data["acr_values_supported"] = [ACR]
        data["claims_supported"] = [
            "sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "national_id",
            "name_parts_ar", "name_parts_en", "name_ar", "name", "phone_number", "email",
        ]  # fmt: skip
