from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from majlis.accounts.selectors import staff_authority_ids
from majlis.catalogue.models import (
    Authority,
    Branch,
    ContractorPermit,
    Department,
    EntryGate,
    Governorate,
    Official,
    Service,
)
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

    @admin.display(description=_("contractor name"))
    def contractor_name(self, obj: ContractorPermit) -> str:
        return localized(obj, "contractor_name")
