"""Demo desks for the queued services (Ajman's Qareeb video desks and hall counters)."""

from typing import Any

from django.dispatch import receiver

from majlis.catalogue.demo import demo_loaded
from majlis.catalogue.models import Branch, Service
from majlis.queueing.models import Counter, QueuePolicy
from majlis.queueing.services import QUEUE_KINDS

# number, Arabic name, English name, video desk?
DESKS = [
    ("1", "مكتب الاتصال المرئي 1", "Video desk 1", True),
    ("2", "مكتب الاتصال المرئي 2", "Video desk 2", True),
    ("3", "مكتب الاتصال المرئي 3", "Video desk 3", True),
    ("4", "الكاونتر 4", "Counter 4", False),
    ("5", "الكاونتر 5", "Counter 5", False),
]


@receiver(demo_loaded)
def queue_demo_load(**_kwargs: Any) -> None:
    for branch in Branch.objects.filter(authority__slug="ajman"):
        for number, name_ar, name_en, is_video in DESKS:
            Counter.objects.update_or_create(
                branch=branch,
                number=number,
                defaults={"name_ar": name_ar, "name_en": name_en, "is_video": is_video},
            )
    for service in Service.objects.filter(authority__slug="ajman", kind__in=QUEUE_KINDS):
        QueuePolicy.objects.get_or_create(service=service)
