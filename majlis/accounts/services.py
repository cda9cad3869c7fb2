"""Writes about people."""

import secrets

from django.db import IntegrityError, transaction

from majlis.accounts.models import User
from majlis.core.services import audit_record


def guest_get_or_create(*, phone: str) -> User:
    """The guest identity of a verified mobile number: it owns what that number started."""
    existing = User.objects.filter(phone=phone, is_guest=True).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            user = User(username=f"guest-{secrets.token_hex(8)}", phone=phone, is_guest=True)
            user.set_unusable_password()
            user.save()
            audit_record(action="accounts.user.guest_created", obj=user, actor=user)
            return user
    except IntegrityError:  # the same number verified twice at once: the other request won
        return User.objects.get(phone=phone, is_guest=True)
