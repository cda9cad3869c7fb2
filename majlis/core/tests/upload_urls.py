"""A stand-in for the cases app's download view, to test upload_response through HTTP."""

from django.http import Http404, HttpRequest, HttpResponseBase
from django.urls import path

from config import urls as project_urls
from majlis.core.uploads.selectors import upload_get
from majlis.core.uploads.views import upload_response


def serve(request: HttpRequest, public_id: str) -> HttpResponseBase:
    upload = upload_get(public_id=public_id)
    if upload is None:
        raise Http404
    return upload_response(upload, inline=request.GET.get("inline") == "1")


# The project's own routes stay (middleware reverses some of them); this one goes first.
urlpatterns = [path("file/<str:public_id>/", serve, name="upload"), *project_urls.urlpatterns]
