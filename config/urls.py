from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from majlis.accounts import urls as accounts_urls
from majlis.accounts import urls_standin
from majlis.accounts.views import portal as accounts_portal
from majlis.api.api import api
from majlis.cases import urls as cases_urls
from majlis.catalogue import urls as catalogue_urls
from majlis.core.views import portal as core
from majlis.feedback import urls as feedback_urls
from majlis.notifications import urls as notifications_urls
from majlis.queueing import urls as queueing_urls
from majlis.video import urls as video_urls

# Citizen-facing pages live under the `portal` namespace (`portal:catalogue:service`).
portal_patterns = [
    path("<slug:slug>/queue/", include((queueing_urls.portal_urlpatterns, "queueing"))),
    path("<slug:slug>/requests/", include((cases_urls.portal_urlpatterns, "cases"))),
    path("<slug:slug>/video/", include((video_urls.portal_urlpatterns, "video"))),
    path("<slug:slug>/feedback/", include((feedback_urls.portal_urlpatterns, "feedback"))),
    path("", include((catalogue_urls.portal_urlpatterns, "catalogue"))),
]
# Back-office pages outside the admin (`staff:queueing:console`); the staff middleware lets only
# staff with a proven second factor in.
staff_patterns = [
    path("queue/", include((queueing_urls.staff_urlpatterns, "queueing"))),
    path("requests/", include((cases_urls.staff_urlpatterns, "cases"))),
    path("video/", include((video_urls.staff_urlpatterns, "video"))),
]

urlpatterns = [
    # Staff sign in where everyone does (password, then TOTP); the admin's own form is not served.
    path("admin/login/", accounts_portal.admin_sign_in),
    path("admin/", admin.site.urls),
    path("accounts/", include(accounts_urls)),
    path("accounts/", include(accounts_urls.allauth_urlpatterns)),
    path("notifications/", include(notifications_urls)),
    path("staff/", include((staff_patterns, "staff"))),
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("offline/", core.offline, name="offline"),
    path("manifest.webmanifest", core.manifest, name="manifest"),
    path("sw.js", core.service_worker, name="service_worker"),
    path("healthz", core.healthz, name="healthz"),
]
if settings.SSO_STANDIN:
    urlpatterns += [path("sso-demo/", include(urls_standin))]
urlpatterns += [
    # Last: the catalogue answers /<authority>/…, so every fixed prefix must come before it.
    path("", include((portal_patterns, "portal"))),
]
