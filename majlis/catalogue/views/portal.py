"""Public catalogue pages: the list of authorities, an authority's services, a service card."""

from itertools import groupby

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from PIL import Image, UnidentifiedImageError

from majlis.accounts import selectors as accounts_selectors
from majlis.catalogue import selectors
from majlis.catalogue.choices import ServiceKind
from majlis.catalogue.models import Authority
from majlis.catalogue.start import start_url

REQUEST_KINDS = (ServiceKind.APPOINTMENT, ServiceKind.E_SERVICE)


def _sso(authority: Authority) -> list[accounts_selectors.SsoProvider]:
    """The authority's national sign-on service, as a list the sign-in buttons take."""
    provider = accounts_selectors.sso_provider_get(provider_id=authority.sso_provider_id)
    return [provider] if provider is not None else []


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    authorities = list(selectors.authority_list())
    if len(authorities) == 1:
        return redirect("portal:catalogue:authority", slug=authorities[0].slug)
    return render(request, "catalogue/portal/home.html", {"authorities": authorities})


@require_safe
def authority(request: HttpRequest, slug: str) -> HttpResponse:
    authority = selectors.authority_get(slug=slug)
    order = {kind: index for index, kind in enumerate(ServiceKind.values)}
    services = sorted(selectors.service_list(authority=authority), key=lambda s: order[s.kind])
    groups = [
        (ServiceKind(kind).label, list(items))
        for kind, items in groupby(services, key=lambda s: s.kind)
    ]
    return render(
        request,
        "catalogue/portal/authority.html",
        {
            "authority": authority,
            "groups": groups,
            "branches": selectors.branch_list(authority=authority),
            "sso_providers": _sso(authority),
            # Requests are numbered: offer the public inquiry by number and year.
            "has_requests": any(s.kind in REQUEST_KINDS for s in services),
        },
    )


@require_safe
def service(request: HttpRequest, slug: str, service_slug: str) -> HttpResponse:
    authority = selectors.authority_get(slug=slug)
    service = selectors.service_get(authority=authority, slug=service_slug)
    return render(
        request,
        "catalogue/portal/service.html",
        {
            "authority": authority,
            "service": service,
            "start_url": start_url(service),
            "sso_providers": _sso(authority),
        },
    )


_LOGO_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}


@require_safe
@cache_control(public=True, max_age=3600)
def logo(request: HttpRequest, slug: str) -> FileResponse:
    """The authority's logo, served by Django (never straight from the media folder) and only
    as one of the raster types Pillow recognises in the file itself."""
    authority = selectors.authority_get(slug=slug)
    if not authority.logo:
        raise Http404
    try:
        with authority.logo.open("rb") as stream, Image.open(stream) as image:
            content_type = _LOGO_TYPES.get(image.format or "")
    except (OSError, UnidentifiedImageError):
        content_type = None
    if content_type is None:
        raise Http404
    response = FileResponse(authority.logo.open("rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_safe
@cache_control(public=True, max_age=3600)
def theme(request: HttpRequest, slug: str) -> HttpResponse:
    """The authority's colours as CSS variables over the design system's palette."""
    authority = selectors.authority_get(slug=slug)
    return render(
        request,
        "catalogue/portal/theme.css",
        {"primary": authority.primary_colour, "secondary": authority.secondary_colour},
        content_type="text/css; charset=utf-8",
    )
