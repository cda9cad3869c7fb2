"""Reads owned by core."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from majlis.core.models import AuditEntry


def audit_list_for_object(obj: models.Model) -> QuerySet[AuditEntry]:
    """The history of one object, newest first."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")
