import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from majlis.accounts.selectors import staff_authority_ids
from majlis.catalogue.form_engine import form_class_for
from majlis.catalogue.forms import ContractorPermitImportForm
from majlis.catalogue.models import (
    Authority,
    Branch,
    ContractorPermit,
    Department,
    EntryGate,
    FormDefinition,
    Governorate,
    Official,
    Service,
)
from majlis.catalogue.registry.table import (
    CSV_COLUMNS,
    CsvRejected,
    contractor_permit_export,
    contractor_permit_import,
)
from majlis.catalogue.services import form_version_publish
from majlis.core.admin import AuditedAdmin, yes_no
from majlis.core.i18n import localized


class AuthorityScopedAdmin(AuditedAdmin):
    """Staff other than superusers see and edit only the rows of their own authorities."""

    authority_path = "authority"

    @admin.display(description=_("active"), ordering="is_active")
    def active(self, obj: Any) -> str:
        return yes_no(obj.is_active)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        ids = staff_authority_ids(request.user)
        return queryset.filter(**{f"{self.authority_path}__in": ids})

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "authority" and not request.user.is_superuser:
            kwargs["queryset"] = Authority.objects.filter(id__in=staff_authority_ids(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class UnitAdmin(AuthorityScopedAdmin):
    """Lists for the rows every authority owns: filterable by authority, searchable by name."""

    list_display = ["name", "authority", "position", "active"]
    # Only authorities that have rows in this (already scoped) list are offered as filters.
    list_filter = [("authority", admin.RelatedOnlyFieldListFilter), "is_active"]
    search_fields = ("name_ar", "name_en")

    @admin.display(description=_("name"), ordering="name_ar")
    def name(self, obj: Any) -> str:
        return localized(obj, "name")


@admin.register(Authority)
class AuthorityAdmin(AuthorityScopedAdmin):
    authority_path = "id"
    list_display = ["name", "slug", "code", "country", "active"]

    @admin.display(description=_("name"), ordering="name_ar")
    def name(self, obj: Any) -> str:
        return localized(obj, "name")

    search_fields = ("name_ar", "name_en", "slug", "code")
    prepopulated_fields = {"slug": ("name_en",)}

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The registry address receives the server's REGISTRY_TOKEN: only superusers may point it
        # somewhere, or an authority administrator could send the token to a server of their own.
        fields = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return fields
        return (*fields, "registry_connector", "registry_url")


@admin.register(Branch)
class BranchAdmin(UnitAdmin):
    list_display = ["name", "authority", "ticket_prefix", "position", "active"]


@admin.register(Department)
class DepartmentAdmin(UnitAdmin):
    list_display = ["name", "authority", "code", "position", "active"]


@admin.register(Official)
class OfficialAdmin(UnitAdmin):
    list_display = ["name", "title", "authority", "position", "active"]

    @admin.display(description=_("title"))
    def title(self, obj: Any) -> str:
        return localized(obj, "title")

    autocomplete_fields = ("department", "user")


@admin.register(EntryGate)
class EntryGateAdmin(UnitAdmin):
    pass


@admin.register(Governorate)
class GovernorateAdmin(UnitAdmin):
    pass


@admin.register(Service)
class ServiceAdmin(UnitAdmin):
    list_display = ["name", "authority", "kind", "position", "active"]
    list_filter = [("authority", admin.RelatedOnlyFieldListFilter), "kind", "is_active"]
    # Plain labelled checkboxes: an authority has a handful of branches, and Django's two-box
    # picker (filter_horizontal) builds markup with an aria-label on a role-less span.
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    autocomplete_fields = ("department",)
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(ContractorPermit)
class ContractorPermitAdmin(AuthorityScopedAdmin):
    list_display = (
        "contractor_number", "permit_number", "permit_year", "contractor_name", "authority",
        "expires_on",
    )  # fmt: skip
    list_filter = [("authority", admin.RelatedOnlyFieldListFilter), "permit_year"]
    search_fields = (
        "contractor_number",
        "permit_number",
        "contractor_name_ar",
        "contractor_name_en",
    )

    change_list_template = "catalogue/staff/contractorpermit_change_list.html"
    actions = ["export_csv"]

    @admin.display(description=_("contractor name"))
    def contractor_name(self, obj: ContractorPermit) -> str:
        return localized(obj, "contractor_name")

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.import_view)
        return [
            path("import/", view, name="catalogue_contractorpermit_import"),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a CSV: every wrong line is listed, and nothing changes until none is wrong."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        authorities = Authority.objects.all()
        if not request.user.is_superuser:
            authorities = authorities.filter(id__in=staff_authority_ids(request.user))
        form = ContractorPermitImportForm(
            request.POST or None, request.FILES or None, authorities=authorities
        )
        report, rejected = None, None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = contractor_permit_import(
                    authority=form.cleaned_data["authority"], data=upload.read(),
                    request=request, file_name=upload.name,
                )  # fmt: skip
            except CsvRejected as exc:
                rejected = str(exc.message)
            if report is not None and report.ok:
                counts = {"created": report.created, "updated": report.updated,
                          "unchanged": report.unchanged}  # fmt: skip
                self.message_user(request, _(
                    "Imported: %(created)s new, %(updated)s updated, %(unchanged)s unchanged."
                ) % counts, messages.SUCCESS)  # fmt: skip
                return redirect("admin:catalogue_contractorpermit_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import contractor permits"),
            "subtitle": None,
            "opts": self.opts,
            "form": form,
            "report": report,
            "rejected": rejected,
            "columns": CSV_COLUMNS,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "catalogue/staff/contractorpermit_import.html", context)

    @admin.action(description=_("Export selected permits as CSV"), permissions=["view"])
    def export_csv(self, request: HttpRequest, queryset: QuerySet[ContractorPermit]) -> Any:
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response = StreamingHttpResponse(
            contractor_permit_export(queryset.order_by("authority", "contractor_number")),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="contractor-permits-{stamp}.csv"'
        return response


class DefinitionFieldsInput(forms.JSONField):
    """The fields as indented JSON, so staff can read and edit them in a text box."""

    def prepare_value(self, value: Any) -> str:
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        return json.dumps(value, ensure_ascii=False, indent=2, cls=self.encoder)


@admin.register(FormDefinition)
class FormDefinitionAdmin(AuthorityScopedAdmin):
    """A service's form as JSON; saving publishes a new version when the fields changed."""

    authority_path = "service__authority"
    list_display = ["service", "authority", "latest_version", "updated_at"]
    list_filter = [("service__authority", admin.RelatedOnlyFieldListFilter)]
    search_fields = ("service__name_ar", "service__name_en")
    autocomplete_fields = ("service",)
    readonly_fields = ("versions_published", "preview")
    fields = ("service", "fields", "versions_published", "preview")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).select_related("service__authority")

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "fields":
            return DefinitionFieldsInput(
                label=db_field.verbose_name,
                help_text=db_field.help_text,
                widget=forms.Textarea(attrs={"dir": "ltr", "rows": 30, "cols": 100,
                                             "class": "vLargeTextField", "spellcheck": "false"}),
                validators=db_field.validators,
            )  # fmt: skip
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("authority"))
    def authority(self, obj: FormDefinition) -> str:
        return str(obj.service.authority)

    @admin.display(description=_("latest version"))
    def latest_version(self, obj: FormDefinition) -> str:
        latest = obj.versions.order_by("-number").first()
        return str(latest.number) if latest else "—"

    @admin.display(description=_("versions"))
    def versions_published(self, obj: FormDefinition) -> str:
        rows = [
            _("Version %(number)s, published %(when)s UTC")
            % {"number": v.number, "when": f"{v.created_at:%Y-%m-%d %H:%M}"}
            for v in obj.versions.order_by("-number")[:20]
        ]
        # A constant separator; every row is escaped by format_html_join.
        return format_html_join(mark_safe("<br>"), "{}", ((row,) for row in rows)) or "—"  # nosec B308

    @admin.display(description=_("preview"))
    def preview(self, obj: FormDefinition) -> str:
        if obj.pk is None:
            return "—"
        url = reverse("admin:catalogue_formdefinition_preview", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("See the form in Arabic and English"))

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            form_version_publish(definition=obj, actor=request.user)

    def get_urls(self) -> list[Any]:
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path("<path:object_id>/preview/", preview, name="catalogue_formdefinition_preview"),
            *super().get_urls(),
        ]

    def preview_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The form as citizens see it, in both languages, for staff who may see the definition."""
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_or_change_permission(request, obj):
            # Same answer whether the definition is missing or merely not visible to this user.
            raise Http404
        authority = obj.service.authority
        previews = []
        for language, heading in (("ar", "العربية"), ("en", "English")):
            form_class = form_class_for(obj.fields, language=language, authority=authority)
            previews.append({
                "language": language, "dir": "rtl" if language == "ar" else "ltr",
                "heading": heading, "form": form_class(prefix=language),
            })  # fmt: skip
        context = {
            **self.admin_site.each_context(request),
            "title": _("Preview: %(service)s") % {"service": obj.service},
            "subtitle": None,
            "object": obj,
            "opts": self.opts,
            "previews": previews,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "catalogue/admin/formdefinition_preview.html", context)
