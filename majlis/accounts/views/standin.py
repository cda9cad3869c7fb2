"""The stand-in national SSO's own sign-in page, in front of allauth's authorization endpoint.

A national SSO asks the citizen who they are on its own site; so does the stand-in: national ID
and PIN of a fictitious citizen. On success the authorization request continues in allauth.idp
for that identity, in this request only: the stand-in keeps no session of its own, so the
browser's Majlis session is never signed in as the stand-in identity.
"""

from urllib.parse import urlsplit

from allauth.idp.oidc import views as idp_views
from allauth.idp.oidc.models import Client
from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_deny
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from majlis.accounts import selectors
from majlis.accounts.forms import StandInSignInForm


@never_cache
@xframe_options_deny
@sensitive_post_parameters("pin")
@require_http_methods(["GET", "POST"])
def authorize(request: HttpRequest) -> HttpResponse:
    form = StandInSignInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        identity = selectors.standin_identity_authenticate(
            national_id=form.cleaned_data["national_id"], pin=form.cleaned_data["pin"]
        )
        if identity is not None:
            # allauth reads the authorization request from the query string, as on a GET.
            request.user = identity.user
            request.method = "GET"
            request.POST = QueryDict()
            response: HttpResponse = idp_views.authorization(request)
            return response
        form.add_error(None, _("The national ID or the PIN is not right."))
    client = Client.objects.filter(id=request.GET.get("client_id", "")).first()
    page = render(request, "accounts/standin/sign_in.html", {"form": form, "client": client})
    if client is not None:
        # The form's answer redirects to the client's callback, which may be another origin:
        # browsers hold that redirect to this page's CSP form-action.
        origins = {
            "{0.scheme}://{0.netloc}".format(urlsplit(uri)) for uri in client.get_redirect_uris()
        }
        config = dict(getattr(page, "_csp_config", None) or settings.SECURE_CSP)
        config["form-action"] = [*config.get("form-action", []), *sorted(origins)]
        page._csp_config = config  # type: ignore[attr-defined]  # read by Django's CSP middleware
    return page
