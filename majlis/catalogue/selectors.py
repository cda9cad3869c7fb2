"""Reads of the catalogue. Public pages see active rows only; a missing and an inactive
authority or service get the same 404."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from majlis.catalogue.models import Authority, Branch, Service


def authority_list() -> QuerySet[Authority]:
    return Authority.objects.filter(is_active=True)


def authority_get(*, slug: str) -> Authority:
    try:
        return authority_list().get(slug=slug)
    except Authority.DoesNotExist:
        raise Http404 from None


def service_list(*, authority: Authority) -> QuerySet[Service]:
    return authority.services.filter(is_active=True).select_related("department")


def service_get(*, authority: Authority, slug: str) -> Service:
    branches = Prefetch("branches", queryset=Branch.objects.filter(is_active=True))
    try:
        return service_list(authority=authority).prefetch_related(branches).get(slug=slug)
    except Service.DoesNotExist:
        raise Http404 from None


def branch_list(*, authority: Authority) -> QuerySet[Branch]:
    return authority.branches.filter(is_active=True)
