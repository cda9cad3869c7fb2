"""PLACEHOLDER: replaced by the portal views (work in progress on a branch)."""

from django.http import Http404, HttpRequest, HttpResponse


def cancel(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def detail(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def file(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def mine(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def previous(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def reply(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404
