"""The public half of the VAPID key, as browsers take it (applicationServerKey)."""

import base64
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings


@cache
def _public_key_for(path: str) -> str:
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError("VAPID_PRIVATE_KEY is not an elliptic-curve key")
    raw = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def application_server_key() -> str:
    """Empty when no key is configured (push cannot be offered then)."""
    path = settings.VAPID_PRIVATE_KEY
    return _public_key_for(path) if path and Path(path).is_file() else ""
