from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditVerb(models.TextChoices):
    """The last word of an audit action code (`catalogue.service.changed`)."""

    CREATED = "created", _("created")
    CHANGED = "changed", _("changed")
    DELETED = "deleted", _("deleted")


class UploadStatus(models.TextChoices):
    """Where an uploaded file stands. Only `clean` files are ever served."""

    PENDING_SCAN = "pending_scan", _("waiting for the virus scan")
    CLEAN = "clean", _("clean")
    QUARANTINED = "quarantined", _("quarantined")
    REJECTED = "rejected", _("rejected")
