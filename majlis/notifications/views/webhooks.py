"""Callbacks from providers: delivery reports and incoming SMS. Authenticated by a shared token
in the URL (Kannel can send nothing else); a wrong token gets the same 404 as a wrong path.

Kannel calls these with GET, the only method its dlr-url supports; they are the one kind of GET
that writes, and only what the gateway reports.
"""

import hmac
import urllib.parse

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from majlis.notifications import services
from majlis.notifications.providers.twilio import twilio_callback_url, twilio_signature

# Kannel's report types: 1 delivered, 2 failed, 4 buffered, 8 submitted to the SMSC, 16 rejected.
_DELIVERED, _FAILED, _BUFFERED, _SUBMITTED, _REJECTED = 1, 2, 4, 8, 16


def _check_token(request: HttpRequest) -> None:
    expected = settings.KANNEL_CALLBACK_TOKEN
    given = request.GET.get("token", "")
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        raise Http404


@csrf_exempt
@require_GET
def kannel_dlr(request: HttpRequest) -> HttpResponse:
    _check_token(request)
    try:
        report = int(request.GET.get("type", ""))
    except ValueError:
        return HttpResponse("bad type", status=400, content_type="text/plain")
    if report & _DELIVERED:
        outcome = services.Outcome.DELIVERED
    elif report & (_FAILED | _REJECTED):
        outcome = services.Outcome.FAILED
    else:
        outcome = services.Outcome.ACCEPTED
    services.message_record_report(
        provider="kannel", message_id=request.GET.get("id", ""), outcome=outcome,
        error=f"kannel report {report}",
    )  # fmt: skip
    return HttpResponse("", content_type="text/plain")


def _inbound_text(request: HttpRequest) -> str:
    """The SMS text as Kannel passed it (get-url with `coding=%c&charset=%C`).

    Without `mo-recode`, Kannel hands a UCS-2 message (coding 2, as Arabic arrives from a phone)
    over as raw UTF-16BE bytes; those are read back from the query string byte for byte.
    """
    coding = request.GET.get("coding", "")
    charset = request.GET.get("charset", "").upper().replace("_", "-")
    if coding == "2" and charset in ("", "UCS-2", "UTF-16BE", "UTF-16"):
        raw = dict(urllib.parse.parse_qsl(request.META.get("QUERY_STRING", ""), encoding="latin-1"))
        try:
            text = str(raw.get("text", "")).encode("latin-1").decode("utf-16-be")
        except (UnicodeDecodeError, UnicodeEncodeError):
            text = ""
    else:
        text = str(request.GET.get("text", ""))
    return text.replace("\x00", "").strip()


# Twilio's message statuses: which are final, and how.
_TWILIO_OUTCOMES = {
    "delivered": services.Outcome.DELIVERED,
    "undelivered": services.Outcome.FAILED,
    "failed": services.Outcome.FAILED,
    "sent": services.Outcome.ACCEPTED,
}


@csrf_exempt
@require_POST
def twilio_status(request: HttpRequest) -> HttpResponse:
    """Twilio's status callback, accepted only with a valid X-Twilio-Signature."""
    fields = [(name, value) for name in request.POST for value in request.POST.getlist(name)]
    expected = twilio_signature(settings.TWILIO_AUTH_TOKEN, twilio_callback_url(), fields)
    given = request.headers.get("X-Twilio-Signature", "")
    if not settings.TWILIO_AUTH_TOKEN or not hmac.compare_digest(given, expected):
        raise Http404
    outcome = _TWILIO_OUTCOMES.get(request.POST.get("MessageStatus", ""))
    if outcome is not None:
        services.message_record_report(
            provider="twilio", message_id=request.POST.get("MessageSid", ""), outcome=outcome,
            error=f"twilio {request.POST.get('ErrorCode', '')}".strip(),
        )  # fmt: skip
    return HttpResponse("", content_type="text/plain")


@csrf_exempt
@require_GET
def kannel_inbound(request: HttpRequest) -> HttpResponse:
    """An SMS from a citizen. The empty reply tells Kannel to answer nothing (omit-empty)."""
    _check_token(request)
    sender = request.GET.get("from", "")[:20]
    text = _inbound_text(request)
    if not sender or not text:
        return HttpResponse("missing from or text", status=400, content_type="text/plain")
    services.inbound_sms_receive(
        provider="kannel", sender=sender, receiver=request.GET.get("to", "")[:20], text=text,
        provider_message_id=request.GET.get("id", "")[:100],
    )  # fmt: skip
    return HttpResponse("", content_type="text/plain")
