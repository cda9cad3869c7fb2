from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceKind(models.TextChoices):
    """How a citizen receives a service; each kind is run by its own domain."""

    VIDEO_QUEUE = "video_queue", _("Video call queue")
    WALK_IN_QUEUE = "walk_in_queue", _("Walk-in queue")
    APPOINTMENT = "appointment", _("Appointment")
    E_SERVICE = "e_service", _("E-service request")
    CONTACT = "contact", _("Inquiries, complaints and suggestions")


class Country(models.TextChoices):
    """Countries whose phone numbers, IDs and calendars Majlis knows."""

    UAE = "AE", _("United Arab Emirates")
    SAUDI_ARABIA = "SA", _("Saudi Arabia")
    OMAN = "OM", _("Oman")
    JORDAN = "JO", _("Jordan")


class RegistryConnectorKind(models.TextChoices):
    """Where an authority's contractor registry is read (catalogue.registry)."""

    TABLE = "table", _("Table kept in the administration")
    HTTP = "http", _("Registry web service (HTTP/JSON)")
