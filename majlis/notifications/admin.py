"""The outbox: every message, read-only, for staff to see what went out and what failed."""

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from majlis.notifications.models import InboundSms, Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    change_list_template = "core/staff/change_list.html"  # its search box is translated
    list_display = ["created_at", "channel", "kind", "masked", "status", "attempts", "provider"]
    list_filter = ["status", "channel", "kind", "provider"]
    search_fields = ["public_id", "recipient", "provider_message_id"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "public_id", "channel", "kind", "language", "masked", "subject", "text", "segments",
        "encoding", "status", "provider", "provider_message_id", "attempts", "last_error",
        "created_at", "queued_at", "sending_at", "sent_at", "delivered_at", "failed_at",
        "next_attempt_at",
    ]  # fmt: skip
    fields = list(readonly_fields)

    @admin.display(description=_("recipient"))
    def masked(self, obj: Message) -> str:
        return obj.recipient if settings.EMBEDDED else obj.masked_recipient

    @admin.display(description=_("text"))
    def text(self, obj: Message) -> str:
        # Sign-in codes are shown only on the embedded (demo) profile's outbox.
        if obj.sensitive and not settings.EMBEDDED:
            return str(_("(hidden: it holds a sign-in code)"))
        return obj.body

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        # "The messages about this object", linked from every object's history page.
        if lookup in ("content_type__id__exact", "object_id"):
            return True
        return super().lookup_allowed(lookup, value, request)


@admin.register(InboundSms)
class InboundSmsAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    change_list_template = "core/staff/change_list.html"
    list_display = ["received_at", "sender", "receiver", "text", "provider"]
    search_fields = ["sender", "text"]
    readonly_fields = [
        "received_at",
        "sender",
        "receiver",
        "text",
        "provider",
        "provider_message_id",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
