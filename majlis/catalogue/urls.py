from django.urls import path

from majlis.catalogue.views import portal

app_name = "catalogue"

# Mounted last at the site root: /<authority>/ and /<authority>/services/<service>/.
portal_urlpatterns = [
    path("", portal.home, name="home"),
    path("<slug:slug>/", portal.authority, name="authority"),
    path("<slug:slug>/theme.css", portal.theme, name="theme"),
    path("<slug:slug>/logo", portal.logo, name="logo"),
    path("<slug:slug>/services/<slug:service_slug>/", portal.service, name="service"),
]
