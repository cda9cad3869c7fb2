"""Writes owned by core: the audit log."""

from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest

from majlis.core.client import client_address
from majlis.core.models import AuditEntry

# Keys whose values never reach the audit log, whatever the caller passes.
_SECRET_KEYS = ("password", "token", "secret", "otp", "code_hash", "national_id")


def _scrub(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {
            key: "[redacted]"
            if any(marker in str(key).lower() for marker in _SECRET_KEYS)
            else _scrub(item)
            for key, item in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [_scrub(item) for item in value]
    return value


def audit_record(
    *,
    action: str,
    obj: models.Model | None = None,
    actor: AbstractBaseUser | AnonymousUser | None = None,
    request: HttpRequest | None = None,
    data: Mapping[str, Any] | None = None,
    actor_label: str = "",
) -> AuditEntry:
    """Append one audit entry. The actor and address come from the request when one is given."""
    if actor is None and request is not None:
        actor = request.user
    user = actor if isinstance(actor, get_user_model()) else None
    label = actor_label or (user.get_username() if user is not None else "system")
    return AuditEntry.objects.create(
        actor=user,
        actor_label=label[:150],
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        data=_scrub(dict(data or {})),
        client_address=client_address(request) if request is not None else None,
    )


def audit_action(obj: models.Model, verb: str) -> str:
    """`<app>.<entity>.<verb>` for a model instance, e.g. `catalogue.service.changed`."""
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}.{verb}"
