"""The queue in the admin: desks and policies are edited here; tickets and shifts are only read
(every change to them goes through the services, which keep the branch's feed and log right)."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from majlis.accounts.selectors import staff_authority_ids
from majlis.catalogue.models import Branch, Service
from majlis.core.admin import AuditedAdmin, yes_no
from majlis.core.i18n import localized
from majlis.queueing.models import AgentShift, Counter, QueuePolicy, Ticket, TicketNote


class QueueScopedAdmin(AuditedAdmin):
    """Staff other than superusers see only the rows of their own authorities."""

    authority_path = "branch__authority"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        ids = staff_authority_ids(request.user)
        return queryset.filter(**{f"{self.authority_path}__in": ids})

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if not request.user.is_superuser:
            ids = staff_authority_ids(request.user)
            if db_field.name == "branch":
                kwargs["queryset"] = Branch.objects.filter(authority_id__in=ids)
            elif db_field.name == "service":
                kwargs["queryset"] = Service.objects.filter(authority_id__in=ids)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnlyMixin:
    """Seen, never changed, here: the services own every transition."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Counter)
class CounterAdmin(QueueScopedAdmin):
    list_display = ["name", "branch", "number", "video", "active"]
    list_filter = [("branch", admin.RelatedOnlyFieldListFilter), "is_video", "is_active"]
    search_fields = ("number", "name_ar", "name_en")

    @admin.display(description=_("name"), ordering="number")
    def name(self, obj: Counter) -> str:
        return localized(obj, "name")

    @admin.display(description=_("video desk"), ordering="is_video")
    def video(self, obj: Counter) -> str:
        return yes_no(obj.is_video)

    @admin.display(description=_("active"), ordering="is_active")
    def active(self, obj: Counter) -> str:
        return yes_no(obj.is_active)


@admin.register(QueuePolicy)
class QueuePolicyAdmin(QueueScopedAdmin):
    authority_path = "service__authority"
    list_display = ["service", "near_ahead", "grace_seconds", "priority_lead_minutes"]


class TicketNoteInline(admin.TabularInline):  # type: ignore[type-arg]
    model = TicketNote
    fields = ("created_at", "author", "text")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Ticket)
class TicketAdmin(ReadOnlyMixin, QueueScopedAdmin):
    list_display = ["code", "day", "branch", "service", "status", "priority", "counter"]
    list_filter = [("branch", admin.RelatedOnlyFieldListFilter), "status", "priority", "day"]
    search_fields = ("code",)
    date_hierarchy = "joined_at"
    list_select_related = ("branch", "service", "counter")
    # The phone and e-mail are personal data: shown on the ticket, never in the list.
    fields = (
        "code", "branch", "service", "status", "priority", "channel", "phone", "email",
        "language", "joined_at", "called_at", "served_at", "finished_at", "counter", "agent",
        "times_called", "more_time_used", "transferred_to",
    )  # fmt: skip
    readonly_fields = fields
    inlines = [TicketNoteInline]


@admin.register(AgentShift)
class AgentShiftAdmin(ReadOnlyMixin, QueueScopedAdmin):
    authority_path = "branch__authority"
    list_display = ["agent", "branch", "counter", "status", "started_at", "ended_at"]
    list_filter = [("branch", admin.RelatedOnlyFieldListFilter), "status"]
    list_select_related = ("agent", "branch", "counter")
    fields = ("agent", "branch", "counter", "services", "status", "started_at", "ended_at")
    readonly_fields = fields
