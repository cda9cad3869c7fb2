from django.urls import include, path

from majlis.accounts.views import portal

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
]

# allauth's own routes (names without a namespace, as allauth reverses them): MFA, the national
# SSO provider's login and callback (majlis/accounts/sso/urls.py), the SSO error pages.
allauth_urlpatterns = [path("", include("allauth.urls"))]
