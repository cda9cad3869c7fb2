"""A real registry over HTTP/JSON: a timeout, retries and a circuit breaker shared by processes.

Request: `GET {authority.registry_url}?contractor=10231&permit=5521&year=2025` (plus
`&calendar=hijri` when the citizen gave a Hijri year), header `Authorization: Bearer
$REGISTRY_TOKEN`. Answers understood (status 200, or 404 for "not found"):

    {"found": true, "name_ar": "…", "name_en": "…", "classification": "…",
     "expires_on": "2026-12-31" | null, "expired": false}
    {"found": false}

Anything else — another status, a body that is not such an object — is a fault: the citizen is
told the registry is unavailable and the log gets the reason (never the token).
"""

import datetime
import logging
import math
import time
from typing import Any

import httpx
from django.conf import settings
from django.core.cache import cache

from majlis.catalogue.models import Authority
from majlis.catalogue.registry.base import Permit, PermitQuery, RegistryUnavailable

logger = logging.getLogger("majlis.catalogue.registry")

MAX_BODY_BYTES = 64 * 1024


def _now() -> float:
    return time.time()


class CircuitBreaker:
    """Closed → (N consecutive failures within the window) → open → (cool-down) → half-open.

    Open: every lookup fails fast without a request. Half-open: one process at a time sends a
    single probe; success closes the circuit, failure opens it for another cool-down. State lives
    in the Django cache (Redis in production), so all processes and hosts share it.
    """

    def __init__(self, name: str) -> None:
        prefix = f"registry:breaker:{name}"
        self.fails_key = f"{prefix}:fails"
        self.open_key = f"{prefix}:open-until"
        self.probe_key = f"{prefix}:probe"

    def admit(self) -> bool:
        """True to send a normal request, False to send one probe; raises when open."""
        open_until = cache.get(self.open_key)
        if open_until is None:
            return True
        if _now() < float(open_until):
            raise RegistryUnavailable("circuit open")
        # Half-open: the first process to claim the probe asks; the others keep failing fast.
        probe_ttl = math.ceil(settings.REGISTRY_TIMEOUT) + 5
        if cache.add(self.probe_key, 1, timeout=probe_ttl):
            return False
        raise RegistryUnavailable("circuit half-open, probe in flight")

    def success(self) -> None:
        cache.delete_many([self.fails_key, self.open_key, self.probe_key])

    def failure(self) -> None:
        if cache.get(self.open_key) is not None:  # the half-open probe failed
            self._open()
            return
        window = max(1, math.ceil(settings.REGISTRY_BREAKER_WINDOW))
        cache.add(self.fails_key, 0, timeout=window)  # the window starts at the first failure
        try:
            failures = cache.incr(self.fails_key)
        except ValueError:  # the window ran out between add and incr
            cache.set(self.fails_key, 1, timeout=window)
            failures = 1
        if failures >= settings.REGISTRY_BREAKER_FAILURES:
            self._open()

    def _open(self) -> None:
        # No expiry: only a successful probe closes the circuit.
        cache.set(self.open_key, _now() + settings.REGISTRY_BREAKER_COOLDOWN, timeout=None)
        cache.delete_many([self.fails_key, self.probe_key])

    @property
    def is_open(self) -> bool:
        return cache.get(self.open_key) is not None


def _text(body: dict[str, Any], name: str, limit: int) -> str:
    value = body.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > limit:
        raise RegistryUnavailable(f"field {name!r} is not a string of at most {limit} characters")
    return value.strip()


def _permit(query: PermitQuery, response: httpx.Response) -> Permit | None:
    if response.status_code not in (200, 404):
        raise RegistryUnavailable(f"HTTP {response.status_code}")
    if len(response.content) > MAX_BODY_BYTES:
        raise RegistryUnavailable("answer too large")
    try:
        body = response.json()
    except ValueError:
        raise RegistryUnavailable(
            f"HTTP {response.status_code} with a body that is not JSON"
        ) from None
    if not isinstance(body, dict) or not isinstance(body.get("found"), bool):
        raise RegistryUnavailable("JSON without a boolean 'found'")
    if not body["found"]:
        return None
    if response.status_code != 200:
        raise RegistryUnavailable("'found': true with HTTP 404")
    name_ar, name_en = _text(body, "name_ar", 200), _text(body, "name_en", 200)
    if not (name_ar or name_en):
        raise RegistryUnavailable("a permit without a name")
    expires_on = None
    if body.get("expires_on") is not None:
        try:
            expires_on = datetime.date.fromisoformat(str(body["expires_on"]))
        except ValueError:
            raise RegistryUnavailable("'expires_on' is not a YYYY-MM-DD date") from None
    expired = body.get("expired", False)
    if not isinstance(expired, bool):
        raise RegistryUnavailable("'expired' is not a boolean")
    return Permit(
        contractor_number=query.contractor_number,
        permit_number=query.permit_number,
        permit_year=query.permit_year,
        name_ar=name_ar or name_en,
        name_en=name_en or name_ar,
        classification=_text(body, "classification", 50),
        expires_on=expires_on,
        expired=expired,
    )


class HttpConnector:
    name = "http"

    def lookup(self, *, authority: Authority, query: PermitQuery) -> Permit | None:
        breaker = CircuitBreaker(str(authority.pk))
        try:
            normal = breaker.admit()
        except RegistryUnavailable as exc:
            logger.info("registry %s: failing fast (%s)", authority.slug, exc)
            raise
        attempts = settings.REGISTRY_RETRIES + 1 if normal else 1
        try:
            permit = self._ask(authority, query, attempts=attempts)
        except RegistryUnavailable as exc:
            breaker.failure()
            logger.warning("registry %s: no answer (%s)", authority.slug, exc)
            raise
        breaker.success()
        return permit

    def _ask(self, authority: Authority, query: PermitQuery, *, attempts: int) -> Permit | None:
        if not authority.registry_url:
            raise RegistryUnavailable("no registry address configured")
        params = {
            "contractor": query.contractor_number,
            "permit": query.permit_number,
            "year": str(query.permit_year),
        }
        if query.calendar == "hijri":
            params["calendar"] = "hijri"
        headers = {"Accept": "application/json"}
        if settings.REGISTRY_TOKEN:
            headers["Authorization"] = f"Bearer {settings.REGISTRY_TOKEN}"
        reason = "no attempt"
        with httpx.Client(timeout=settings.REGISTRY_TIMEOUT, follow_redirects=False) as client:
            for attempt in range(attempts):
                if attempt:
                    # Back-off: base, then twice the base, … (REGISTRY_BACKOFF_MS)
                    time.sleep(settings.REGISTRY_BACKOFF_MS / 1000 * 2 ** (attempt - 1))
                try:
                    response = client.get(authority.registry_url, params=params, headers=headers)
                except httpx.TimeoutException:
                    reason = "timeout"
                    continue
                except httpx.HTTPError as exc:  # refused, reset, DNS: the class name says enough
                    reason = type(exc).__name__
                    continue
                if response.status_code >= 500:
                    reason = f"HTTP {response.status_code}"
                    continue
                return _permit(query, response)  # a 4xx or a bad shape is not retried
        raise RegistryUnavailable(f"{reason} after {attempts} attempt(s)")
