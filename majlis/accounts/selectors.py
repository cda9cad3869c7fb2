"""Reads about people: which authorities a staff member works for."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from majlis.accounts.choices import Role
from majlis.accounts.models import StaffRole


def staff_authority_ids(
    user: AbstractBaseUser | AnonymousUser, *, roles: tuple[Role, ...] | None = None
) -> set[int]:
    """Ids of the authorities where the user holds a role (any role, or one of `roles`)."""
    if not user.is_authenticated:
        return set()
    rows = StaffRole.objects.filter(user_id=user.pk)
    if roles is not None:
        rows = rows.filter(role__in=roles)
    return set(rows.values_list("authority_id", flat=True))
