"""PLACEHOLDER: replaced by the staff views (work in progress on a branch)."""

from django.http import Http404, HttpRequest, HttpResponse


def ask(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def assign(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def bulk_assign(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def detail(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def file(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def inbox(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def message(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def move(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def note(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


def route(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404
