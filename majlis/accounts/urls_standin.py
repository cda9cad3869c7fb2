"""The stand-in national SSO (allauth.idp.oidc), mounted at sso-demo/ when SSO_STANDIN is on."""

from django.urls import include, path

from majlis.accounts.views import standin

urlpatterns = [
    # Ours first: the citizen signs in to the stand-in here, then allauth's endpoint continues.
    path("identity/o/authorize", standin.authorize),
    path("", include("allauth.idp.urls")),
]
