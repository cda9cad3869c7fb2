"""The client's address, believing X-Forwarded-For only from configured proxies."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    # Entries were checked when the settings loaded (config.env.env_networks).
    return any(
        ip in ipaddress.ip_network(entry, strict=False) for entry in settings.TRUSTED_PROXIES
    )


def client_address(request: HttpRequest) -> str | None:
    """Walk X-Forwarded-For from the right while the hop is a trusted proxy.

    A client can put anything in the header; only the entries appended by our own proxies are
    believed, so a forged leftmost value never becomes the address.
    """
    remote: str | None = request.META.get("REMOTE_ADDR") or None
    if remote is None or not _is_trusted(remote):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    address = remote
    while hops:
        candidate = hops.pop()
        try:
            ipaddress.ip_address(candidate)
        except ValueError:
            break
        address = candidate
        if not _is_trusted(candidate):
            break
    return address
