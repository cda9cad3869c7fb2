"""The wire between Majlis as OpenID client and the OpenID providers, inside the test process.

allauth's client calls providers with `requests`. Here its session gets a transport that hands
each call to Django's test client (a server-to-server client with no cookies of its own), so the
stand-in provider answers discovery, JWKS, token and userinfo through its real views and URLs.
A test can put a man in the middle (`tamper`) to rewrite a request or a reply, and can add a
second, independent provider (`OtherProvider`) at another host, with its own issuer and key.
"""

import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.test import Client
from django.utils import translation
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

Tamper = Callable[[str, dict[str, Any]], dict[str, Any]]


def _response(
    request: requests.PreparedRequest, status: int, body: bytes, ctype: str
) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = body
    response.headers = CaseInsensitiveDict({"Content-Type": ctype})
    response.url = str(request.url)
    response.request = request
    return response


class OtherProvider:
    """A second national SSO at http://other.test with its own issuer and signing key."""

    issuer = "http://other.test"

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.claims: dict[str, Any] = {}
        self.client_id = "majlis-other"

    def jwks(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": "other-1", "alg": "RS256", "use": "sig"}]}

    def handle(self, path: str, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if path == "/.well-known/openid-configuration":
            return 200, {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "userinfo_endpoint": f"{self.issuer}/userinfo",
                "jwks_uri": f"{self.issuer}/jwks",
                "token_endpoint_auth_methods_supported": ["client_secret_post"],
            }
        if path == "/jwks":
            return 200, self.jwks()
        if path == "/token":
            now = int(time.time())
            claims = {"iss": self.issuer, "aud": self.client_id, "iat": now, "exp": now + 300,
                      **self.claims}  # fmt: skip
            token = jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": "other-1"})
            return 200, {"access_token": "other-access", "token_type": "Bearer", "id_token": token}
        if path == "/userinfo":
            return 200, {"sub": self.claims["sub"]}
        return 404, {}


class Wire(BaseAdapter):
    def __init__(self, *, tamper: Tamper | None = None, other: OtherProvider | None = None) -> None:
        super().__init__()
        self.tamper = tamper
        self.other = other
        self.calls: list[str] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        url = urlsplit(str(request.url))
        self.calls.append(url.path)
        raw = request.body
        body = raw.decode() if isinstance(raw, bytes) else raw if isinstance(raw, str) else ""
        form: dict[str, Any] = dict(parse_qsl(body))
        if self.tamper is not None:
            form = self.tamper(f"request {url.path}", form)
        if self.other is not None and url.netloc == "other.test":
            status, payload = self.other.handle(url.path, form)
            return _response(request, status, json.dumps(payload).encode(), "application/json")
        client = (
            Client()
        )  # the provider sees a server-to-server call, without the browser's cookies
        headers: dict[str, str] = {}
        if request.headers.get("Authorization"):
            headers["Authorization"] = str(request.headers["Authorization"])
        path = url.path + (f"?{url.query}" if url.query else "")
        # In production this is another request in another thread; keep the caller's language.
        with translation.override(translation.get_language()):
            if request.method == "POST":
                reply = client.post(path, urlencode(form), headers=headers,
                                    content_type="application/x-www-form-urlencoded")  # fmt: skip
            else:
                reply = client.get(path, headers=headers)
        content = reply.content
        ctype = reply.headers.get("Content-Type", "application/json")
        if self.tamper is not None and ctype.startswith("application/json") and content:
            content = json.dumps(self.tamper(f"reply {url.path}", json.loads(content))).encode()
        return _response(request, reply.status_code, content, ctype)

    def close(self) -> None:
        pass


def standin_key() -> Any:
    """The stand-in's signing key, for tests that play a provider signing what it should not."""
    from cryptography.hazmat.primitives import serialization

    return serialization.load_pem_private_key(settings.IDP_OIDC_PRIVATE_KEY.encode(), password=None)


def resign(
    token: str, change: Callable[[dict[str, Any]], dict[str, Any]], *, alg: str = "RS256"
) -> str:
    """The same ID token with its claims changed, signed again with the stand-in's own key."""
    header = jwt.get_unverified_header(token)
    claims = jwt.decode(token, options={"verify_signature": False})
    claims = change(claims)
    if alg == "none":
        return jwt.encode(claims, "", algorithm="none", headers={"kid": header["kid"]})
    return jwt.encode(claims, standin_key(), algorithm=alg, headers={"kid": header["kid"]})
