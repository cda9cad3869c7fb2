"""Where the cases domain plugs into lower floors: the service card's start button."""

from django.urls import reverse

from majlis.catalogue.choices import ServiceKind
from majlis.catalogue.models import Service
from majlis.catalogue.start import register_start


def _form_url(service: Service) -> str:
    return reverse("portal:cases:start", args=[service.authority.slug, service.slug])


# Appointment requests (Najran, Madinah) are filed as requests with their own forms until the
# appointments engine takes over their scheduling; the approval records the agreed date and time.
for _kind in (ServiceKind.E_SERVICE, ServiceKind.APPOINTMENT):
    register_start(_kind, _form_url)
