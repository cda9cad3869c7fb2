from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from majlis.accounts.models import StaffRole, User
from majlis.core.admin import AuditedAdmin, yes_no
from majlis.core.services import audit_record


class StaffRoleInline(admin.StackedInline):  # type: ignore[type-arg]  # stacked: fields keep labels  # type: ignore[type-arg]
    model = StaffRole
    extra = 0
    autocomplete_fields = ("authority", "branch", "department")


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "display_name", "phone", "staff", "active")
    search_fields = ("username", "display_name", "phone", "email")
    # Access comes from groups and staff roles; per-user permissions are left out on purpose.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("display_name", "first_name", "last_name", "email")}),
        (_("Citizen details"), {"fields": ("name_parts_ar", "name_parts_en", "phone", "language")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    inlines = (StaffRoleInline,)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, id)
            # The password itself never reaches the log; only the fact and who did it.
            audit_record(action="accounts.user.password_changed", obj=user, request=request)
        return response

    @admin.display(description=_("staff status"), ordering="is_staff")
    def staff(self, obj: User) -> str:
        return yes_no(obj.is_staff)

    @admin.display(description=_("active"), ordering="is_active")
    def active(self, obj: User) -> str:
        return yes_no(obj.is_active)
