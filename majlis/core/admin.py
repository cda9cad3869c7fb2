"""Admin pieces shared by every app: audited saves and the history page from the audit log."""

from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from majlis.core.choices import AuditVerb
from majlis.core.models import AuditEntry
from majlis.core.selectors import audit_list_for_object
from majlis.core.services import audit_action, audit_record

admin.site.site_header = _("Majlis administration")
admin.site.site_title = _("Majlis")
admin.site.index_title = _("Administration")


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (list, tuple, QuerySet)):
        return [_plain(item) for item in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def yes_no(value: bool | None) -> str:
    """A boolean as a translated word; Django's icons carry an English-only alt text."""
    if value is None:
        return "—"
    return str(_("Yes") if value else _("No"))


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A ModelAdmin whose every save and delete writes an audit entry, shown as the history."""

    object_history_template = "core/staff/history.html"
    change_list_template = "core/staff/change_list.html"

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:  # type: ignore[type-arg]
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if change:
                data = {
                    name: {
                        "from": _plain(form.initial.get(name)),
                        "to": _plain(form.cleaned_data.get(name)),
                    }
                    for name in form.changed_data
                }
                verb = AuditVerb.CHANGED
            else:
                data = {name: _plain(form.cleaned_data.get(name)) for name in form.changed_data}
                verb = AuditVerb.CREATED
            audit_record(action=audit_action(obj, verb), obj=obj, request=request, data=data)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Inline rows (a user's staff roles, say) are audited like the object they belong to."""
        with transaction.atomic():
            super().save_formset(request, form, formset, change)
            parent = str(form.instance)[:200]
            for obj in formset.new_objects:
                audit_record(action=audit_action(obj, AuditVerb.CREATED), obj=obj,
                             request=request, data={"in": parent})  # fmt: skip
            for obj, fields in formset.changed_objects:
                audit_record(action=audit_action(obj, AuditVerb.CHANGED), obj=obj,
                             request=request, data={"in": parent, "fields": fields})  # fmt: skip
            for obj in formset.deleted_objects:
                audit_record(action=audit_action(obj, AuditVerb.DELETED), obj=obj,
                             request=request, data={"in": parent})  # fmt: skip

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            audit_record(action=audit_action(obj, AuditVerb.DELETED), obj=obj, request=request)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        with transaction.atomic():
            for obj in queryset:
                audit_record(action=audit_action(obj, AuditVerb.DELETED), obj=obj, request=request)
            super().delete_queryset(request, queryset)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_or_change_permission(request, obj):
            # Same answer whether the object is missing or merely not visible to this user.
            get_object_or_404(self.model.objects.none())
        assert obj is not None  # noqa: S101 - get_object_or_404 above raised otherwise
        context = {
            **self.admin_site.each_context(request),
            "title": _("History: %(object)s") % {"object": obj},
            "subtitle": None,
            "entries": audit_list_for_object(obj)[:500],
            "content_type_id": ContentType.objects.get_for_model(obj).pk,
            "module_name": self.opts.verbose_name_plural,
            "object": obj,
            "opts": self.opts,
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The whole log, read-only: filter by action, search by actor or object."""

    list_display = ("created_at", "actor_label", "action", "object_repr", "client_address")
    list_filter = ("action",)
    search_fields = ("actor_label", "action", "object_repr", "object_id")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
