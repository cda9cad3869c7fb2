from django.contrib import admin

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

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
from majlis.core.admin import AuditedAdmin


class AuthorityScopedAdmin(AuditedAdmin):
    """Staff other than superusers see and edit only the rows of their own authorities."""

    authority_path = "authority"

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

    list_display = ("name_ar", "name_en", "authority", "position", "is_active")
    list_filter = ("authority", "is_active")
    search_fields = ("name_ar", "name_en")
    list_editable = ("position", "is_active")


@admin.register(Authority)
class AuthorityAdmin(AuthorityScopedAdmin):
    authority_path = "id"
    list_display = ("name_ar", "name_en", "slug", "code", "country", "is_active")
    search_fields = ("name_ar", "name_en", "slug", "code")
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(Branch)
class BranchAdmin(UnitAdmin):
    list_display = ("name_ar", "name_en", "authority", "ticket_prefix", "position", "is_active")


@admin.register(Department)
class DepartmentAdmin(UnitAdmin):
    list_display = ("name_ar", "name_en", "authority", "code", "position", "is_active")


@admin.register(Official)
class OfficialAdmin(UnitAdmin):
    list_display = ("name_ar", "name_en", "title_ar", "authority", "position", "is_active")
    autocomplete_fields = ("department", "user")


@admin.register(EntryGate)
class EntryGateAdmin(UnitAdmin):
    pass


@admin.register(Governorate)
class GovernorateAdmin(UnitAdmin):
    pass


@admin.register(Service)
class ServiceAdmin(UnitAdmin):
    list_display = ("name_ar", "name_en", "authority", "kind", "position", "is_active")
    list_filter = ("authority", "kind", "is_active")
    filter_horizontal = ("branches",)
    autocomplete_fields = ("department",)
    prepopulated_fields = {"slug": ("name_en",)}


@admin.register(ContractorPermit)
class ContractorPermitAdmin(AuthorityScopedAdmin):
    list_display = (
        "contractor_number", "permit_number", "permit_year", "contractor_name_ar", "authority",
        "expires_on",
    )  # fmt: skip
    list_filter = ("authority", "permit_year")
    search_fields = ("contractor_number", "permit_number", "contractor_name_ar", "contractor_name_en")
