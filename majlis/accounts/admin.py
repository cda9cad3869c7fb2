from allauth.account.models import EmailAddress
from allauth.idp.oidc.models import Client, Token
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialToken
from allauth.usersessions.models import UserSession
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from majlis.accounts import services
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
        (
            _("Citizen details"),
            {
                "fields": (
                    "name_parts_ar",
                    "name_parts_en",
                    "phone",
                    "language",
                    "national_id",
                    "phone_from_sso",
                    "email_from_sso",
                )
            },
        ),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    inlines = (StaffRoleInline,)
    actions = ("reset_two_factor",)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, id)
            # The password itself never reaches the log; only the fact and who did it.
            audit_record(action="accounts.user.password_changed", obj=user, request=request)
        return response

    @admin.action(description=_("Reset two-factor sign-in (a lost phone)"))
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            services.mfa_totp_reset(user=user, request=request)
        messages.success(
            request, _("Two-factor sign-in was reset; they set it up again at their next sign-in.")
        )

    @admin.display(description=_("staff status"), ordering="is_staff")
    def staff(self, obj: User) -> str:
        return yes_no(obj.is_staff)

    @admin.display(description=_("active"), ordering="is_active")
    def active(self, obj: User) -> str:
        return yes_no(obj.is_active)


# allauth registers an admin for each of its models. Staff need only the national SSO apps and
# the accounts linked to them; the rest (tokens, session index, authenticators, e-mail addresses,
# the stand-in's clients) are internal, and their admin pages have no Arabic labels. Their admin
# modules are imported first (autodiscover reaches them after ours), then taken back out.
import allauth.account.admin  # noqa: E402
import allauth.idp.oidc.admin  # noqa: E402
import allauth.mfa.admin  # noqa: E402
import allauth.socialaccount.admin  # noqa: E402
import allauth.usersessions.admin  # noqa: E402, F401

for _model in (Authenticator, Client, Token, UserSession, EmailAddress, SocialToken):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
