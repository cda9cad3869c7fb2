"""The two P2 endpoints, served by the product's middleware and gunicorn alike."""

import itertools

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from bench.benchsite.models import BenchRow
from majlis.catalogue.models import Branch, Service
from majlis.queueing import services

_phones = itertools.count(1)


@csrf_exempt
@require_POST
def plain_insert(request: HttpRequest) -> HttpResponse:
    """The baseline: one insert."""
    BenchRow.objects.create(phone=f"+97150{next(_phones) % 10**7:07d}")
    return HttpResponse(status=204)  # same length every time: ab counts other lengths as failures


@csrf_exempt
@require_POST
def ticket_join(request: HttpRequest) -> HttpResponse:
    """Join the AJ queue as a guest with a mobile number: the whole service (number, audit,
    broadcast through Redis, the SMS row and its task), as a portal view would call it."""
    branch = Branch.objects.select_related("authority").get(
        authority__slug="ajman", ticket_prefix="AJ"
    )
    service = Service.objects.get(authority__slug="ajman", slug="qareeb")
    services.ticket_issue(
        branch=branch, service=service, citizen=None,
        phone=f"+97150{next(_phones) % 10**7:07d}", language="ar", request=request,
    )  # fmt: skip
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def same_writes(request: HttpRequest) -> HttpResponse:
    """A second baseline: the durable rows a join must write (the ticket, its audit entry, its
    SMS and the SMS's delivery task), as plain inserts in one transaction, without queue logic
    or a shared counter. The gap between this and `insert` is the price of those writes; the
    gap between this and `join` is what the queue itself costs."""
    from django.db import transaction

    from majlis.core.models import AuditEntry
    from majlis.notifications.models import Message
    from majlis.notifications.tasks import deliver_message

    phone = f"+97150{next(_phones) % 10**7:07d}"
    with transaction.atomic():
        row = BenchRow.objects.create(phone=phone)
        AuditEntry.objects.create(actor_label="bench", action="bench.row.created",
                                  object_id=str(row.pk), data={"phone": "x"})  # fmt: skip
        message = Message.objects.create(
            channel="sms", kind="ticket_issued", language="ar", recipient=phone, body="AJ-001",
            status="cancelled",
        )  # fmt: skip
        result = deliver_message.enqueue(0)
        Message.objects.filter(pk=message.pk).update(task_id=str(result.id))
    return HttpResponse(status=204)
