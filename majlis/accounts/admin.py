from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from majlis.accounts.models import StaffRole, User
from majlis.core.admin import AuditedAdmin, yes_no


class StaffRoleInline(admin.TabularInline):  # type: ignore[type-arg]
    model = StaffRole
    extra = 0
    autocomplete_fields = ("authority", "branch", "department")


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "display_name", "phone", "staff", "active")
    search_fields = ("username", "display_name", "phone", "email")
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Citizen details"), {"fields": ("display_name", "name_parts_ar", "name_parts_en",
                                            "phone", "language")}),
    )  # fmt: skip
    inlines = (StaffRoleInline,)

    @admin.display(description=_("staff status"), ordering="is_staff")
    def staff(self, obj: User) -> str:
        return yes_no(obj.is_staff)

    @admin.display(description=_("active"), ordering="is_active")
    def active(self, obj: User) -> str:
        return yes_no(obj.is_active)
