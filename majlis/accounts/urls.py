from django.urls import include, path

from majlis.accounts.views import guest, portal, register

app_name = "accounts"

urlpatterns = [
    path("login/", portal.SignInView.as_view(), name="login"),
    path("logout/", portal.SignOutView.as_view(), name="logout"),
    path("home/", portal.home, name="home"),
    path("2fa/totp/activate/", portal.TotpSetupView.as_view(), name="totp_setup"),
    # Not self-service: a stolen session must not be able to take the second factor off. An
    # administrator resets it (UserAdmin's action), audited.
    path("2fa/totp/deactivate/", portal.not_offered),
    path("2fa/", portal.not_offered),
    # allauth's self-service pages that Majlis does not offer (yet): e-mail management, password
    # change and reset by e-mail (staff passwords are reset by an administrator), the list of
    # linked SSO accounts and of sessions. Their allauth templates are not in our style.
    path("email/", portal.not_offered),
    path("password/change/", portal.not_offered),
    path("password/set/", portal.not_offered),
    path("password/reset/", portal.not_offered),
    path("password/reset/done/", portal.not_offered),
    path("password/reset/key/<path:rest>", portal.not_offered),
    path("confirm-email/", portal.not_offered),
    path("confirm-email/<path:rest>", portal.not_offered),
    path("3rdparty/", portal.not_offered),
    path("sessions/", portal.not_offered),
    path("register/", register.register, name="register"),
    path("register/code/", register.register_code, name="register_code"),
    path("register/resend/", register.register_resend, name="register_resend"),
    path("forgot/", register.reset, name="reset"),
    path("forgot/code/", register.reset_code, name="reset_code"),
    path("forgot/resend/", register.reset_resend, name="reset_resend"),
    path("forgot/password/", register.reset_password, name="reset_password"),
    path("guest/", guest.start, name="guest_start"),
    path("guest/code/", guest.code, name="guest_code"),
    path("guest/resend/", guest.resend, name="guest_resend"),
    path("guest/cancel/", guest.cancel, name="guest_cancel"),
]

# allauth's own routes (names without a namespace, as allauth reverses them): MFA, the national
# SSO provider's login and callback (majlis/accounts/sso/urls.py), the SSO error pages.
allauth_urlpatterns = [path("", include("allauth.urls"))]
