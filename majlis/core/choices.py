from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditVerb(models.TextChoices):
    """The last word of an audit action code (`catalogue.service.changed`)."""

    CREATED = "created", _("created")
    CHANGED = "changed", _("changed")
    DELETED = "deleted", _("deleted")
