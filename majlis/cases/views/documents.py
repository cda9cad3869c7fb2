"""PLACEHOLDER: replaced by the documents views (work in progress on a branch)."""

from django.http import Http404, HttpRequest, HttpResponse


def inquiry(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def summary_for_citizen(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def summary_for_staff(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404
