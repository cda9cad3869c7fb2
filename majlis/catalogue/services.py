"""Writes of the catalogue: publishing a service's form definition as a new version."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from majlis.accounts.models import User
from majlis.catalogue.form_schema import validate_form_fields
from majlis.catalogue.models import FormDefinition, FormVersion, Service
from majlis.core.services import audit_record


@transaction.atomic
def form_version_publish(
    *, definition: FormDefinition, actor: AbstractBaseUser | AnonymousUser | None = None
) -> FormVersion:
    """The definition's current fields as a version: a new one if they changed, else the latest.

    The definition row is locked so two editors saving at once get consecutive numbers.
    """
    locked = FormDefinition.objects.select_for_update().get(pk=definition.pk)
    validate_form_fields(locked.fields)
    latest = locked.versions.order_by("-number").first()
    if latest is not None and latest.fields == locked.fields:
        return latest
    version = FormVersion.objects.create(
        definition=locked,
        number=(latest.number + 1) if latest else 1,
        fields=locked.fields,
        created_by=actor if isinstance(actor, User) else None,
    )
    audit_record(
        action="catalogue.formversion.published",
        obj=version,
        actor=actor,
        data={"service": str(locked.service), "number": version.number},
    )
    return version


@transaction.atomic
def form_definition_save(
    *,
    service: Service,
    fields: list[dict[str, Any]],
    actor: AbstractBaseUser | AnonymousUser | None = None,
) -> FormVersion:
    """Set a service's form fields (creating its definition if needed) and publish them."""
    validate_form_fields(fields)
    definition, _created = FormDefinition.objects.get_or_create(
        service=service, defaults={"fields": fields}
    )
    if definition.fields != fields:
        definition.fields = fields
        definition.save(update_fields=["fields", "updated_at"])
    return form_version_publish(definition=definition, actor=actor)
