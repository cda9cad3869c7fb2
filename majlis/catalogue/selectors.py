"""Reads of the catalogue. Public pages see active rows only; a missing and an inactive
authority or service get the same 404."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from majlis.catalogue.form_engine import DynamicForm, form_class_for
from majlis.catalogue.models import Authority, Branch, FormVersion, Service

# The contractor registry check, for higher floors (cases) that may import only selectors.
from majlis.catalogue.registry import registry_lookup as registry_lookup


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


def form_version_current(*, service: Service) -> FormVersion | None:
    """The latest published form of a service (the one new requests use), or None."""
    return (
        FormVersion.objects.filter(definition__service=service)
        .select_related("definition__service__authority")
        .order_by("-number")
        .first()
    )


def form_version_get(*, version_id: int) -> FormVersion:
    """A version by id, as a request recorded it (old versions stay readable forever)."""
    return FormVersion.objects.select_related("definition__service__authority").get(pk=version_id)


def form_class_get(*, version: FormVersion, language: str) -> type[DynamicForm]:
    """The Django form class for a version in "ar" or "en", for apps above the catalogue (they
    import selectors, not the engine): see catalogue.form_engine for what the form offers."""
    return form_class_for(version, language=language)
