"""A browser hands over its push subscription (from the preferences page's button)."""

import json
from typing import cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_POST

from majlis.notifications.services import push_subscription_save


@login_required
@require_POST
def subscribe(request: HttpRequest) -> JsonResponse:
    try:
        data = json.loads(request.body)
        endpoint = str(data["endpoint"])
        p256dh, auth = str(data["keys"]["p256dh"]), str(data["keys"]["auth"])
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "expected a PushSubscription as JSON"}, status=400)
    if not endpoint.startswith("https://") or len(endpoint) > 1000 or not (p256dh and auth):
        return JsonResponse({"error": "not a push subscription"}, status=400)
    push_subscription_save(
        user=cast(AbstractBaseUser, request.user), endpoint=endpoint, p256dh=p256dh, auth=auth
    )
    return JsonResponse({"status": "saved"}, status=201)
