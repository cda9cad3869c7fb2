"""The citizen's form for a service: fill in, keep as a draft, check, submit, acknowledgement.

Nothing typed or uploaded is lost: a form with errors is kept as the citizen's draft with the
files that passed their checks (shown as "already uploaded", not asked for again), the page
saves a draft as the citizen types, and a form posted after the session ended is kept until the
citizen signs in again.
"""

import io
import secrets
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.files.uploadedfile import UploadedFile
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from majlis.accounts.models import User
from majlis.accounts.selectors import sso_provider_list
from majlis.cases import form_data, selectors, services
from majlis.cases.forms import CheckForm
from majlis.cases.models import CaseDraft
from majlis.catalogue.choices import ServiceKind
from majlis.catalogue.form_engine import DynamicForm
from majlis.catalogue.models import FormVersion, Service
from majlis.catalogue.selectors import form_class_get, form_version_current
from majlis.core.choices import UploadStatus
from majlis.core.models import Upload

CASE_KINDS = (ServiceKind.E_SERVICE, ServiceKind.APPOINTMENT)
KEPT_SUFFIX = "__kept"
PENDING_KEY = "cases_pending"  # a form posted after the session ended, kept for after sign-in
# Posted keys that are not the citizen's input: never kept in a draft.
_NOT_INPUT = ("csrfmiddlewaretoken", "antibot_id", "antibot_nonce", "antibot_answer", "_check")


def _service(slug: str, service_slug: str) -> Service:
    return get_object_or_404(
        Service.objects.select_related("authority"),
        authority__slug=slug, slug=service_slug, kind__in=CASE_KINDS, is_active=True,
    )  # fmt: skip


class KeptFile(UploadedFile):  # type: ignore[type-arg]
    """An upload accepted earlier (kept in the draft), standing in for a file not posted again."""

    def __init__(self, upload: Upload) -> None:
        super().__init__(
            file=io.BytesIO(), name=upload.display_name, content_type=upload.content_type,
            size=upload.size,
        )  # fmt: skip
        self.kept_upload = upload


def _input_of(data: Any) -> dict[str, list[str]]:
    return {
        key: data.getlist(key)
        for key in data
        if key not in _NOT_INPUT and not key.endswith(KEPT_SUFFIX)
    }


def _kept_uploads(draft: CaseDraft | None, user: User) -> dict[str, Upload]:
    if draft is None or not draft.files:
        return {}
    uploads = Upload.objects.filter(
        public_id__in=list(draft.files.values()), uploaded_by=user,
        status__in=(UploadStatus.PENDING_SCAN, UploadStatus.CLEAN),
    ).in_bulk(field_name="public_id")  # fmt: skip
    return {key: uploads[uid] for key, uid in draft.files.items() if uid in uploads}


def _posted_kept(data: Any, draft: CaseDraft | None, user: User) -> dict[str, Upload]:
    """The kept files the page still shows, by their field's name now (rows may have moved).

    Each kept file travels in a hidden `<field>__kept` input inside its row, so removing
    companion 1 moves companion 2's ID image with companion 2. Only the draft's own uploads count.
    """
    own = {upload.public_id: upload for upload in _kept_uploads(draft, user).values()}
    return {
        key.removesuffix(KEPT_SUFFIX): own[data[key]]
        for key in data
        if key.endswith(KEPT_SUFFIX) and data[key] in own
    }


def _files_with_kept(posted: Any, kept: dict[str, Upload]) -> MultiValueDict[str, Any]:
    files: MultiValueDict[str, Any] = MultiValueDict()
    for key, upload in kept.items():
        files[key] = KeptFile(upload)
    for key in posted:
        files[key] = posted[key]  # a new file replaces the kept one
    return files


def _quiet(form: DynamicForm) -> DynamicForm:
    """A form filled from a draft, shown without the errors it would have (it was not sent)."""
    form._errors = ErrorDict()  # type: ignore[attr-defined]
    form.cleaned_data = {}
    for formset in form.groups.values():
        formset._errors = [ErrorDict() for _row in formset.forms]  # type: ignore[attr-defined]
        formset._non_form_errors = formset.error_class()  # type: ignore[attr-defined]
        for row in formset.forms:
            row._errors = ErrorDict()
    return form


def _previous_url(service: Service) -> str:
    """Appointment requests list the citizen's earlier ones ("previous appointments")."""
    if service.kind != ServiceKind.APPOINTMENT:
        return ""
    return reverse("portal:cases:previous", args=[service.authority.slug, service.slug])


def _page(
    request: HttpRequest, service: Service, version: FormVersion, form: DynamicForm, **extra: Any
) -> dict[str, Any]:
    return {
        "service": service,
        "authority": service.authority,
        "version": version,
        "form": form,
        "submission_key": request.POST.get("submission_key") or secrets.token_hex(16),
        "has_registry": all(name in form.metas for name in form_data.REGISTRY_FIELDS),
        "previous_url": _previous_url(service),
        **extra,
    }  # fmt: skip


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, slug: str, service_slug: str) -> HttpResponse:
    service = _service(slug, service_slug)
    version = form_version_current(service=service)
    if version is None:
        raise Http404
    user = request.user
    if not isinstance(user, User):
        if request.method == "POST":
            # The session ended while the citizen was typing: keep the text until they are back.
            request.session[PENDING_KEY] = {"service": service.pk, "data": _input_of(request.POST)}
        return redirect_to_login(request.get_full_path(), reverse("accounts:login"))
    if user.is_staff:
        raise Http404  # staff file nothing for themselves here
    if user.is_guest and not service.allow_guest:
        return render(
            request, "cases/portal/sign_in_needed.html",
            {"service": service, "authority": service.authority,
             "sso_providers": sso_provider_list()},
        )  # fmt: skip
    form_class = form_class_get(version=version, language=request.LANGUAGE_CODE)
    public = service.allow_guest
    draft = selectors.case_draft_get(citizen=user, service=service)
    kept = _kept_uploads(draft, user)
    if request.method == "GET":
        pending = request.session.pop(PENDING_KEY, None)
        data = None
        if isinstance(pending, dict) and pending.get("service") == service.pk:
            data = pending.get("data") or {}
            services.case_draft_save(
                citizen=user, service=service, version=version, data=data,
                files={key: upload.public_id for key, upload in kept.items()},
            )  # fmt: skip
        elif draft is not None:
            data = draft.data
        if data is None:
            form = form_class(user=user)
        else:
            form = _quiet(form_class(MultiValueDict(data), _files_with_kept({}, kept), user=user))
        check = CheckForm(antibot_request=request) if public else None
        context = _page(request, service, version, form, check=check, draft=draft)
        return render(request, "cases/portal/apply.html", context)

    kept = _posted_kept(request.POST, draft, user)
    form = form_class(request.POST, _files_with_kept(request.FILES, kept), user=user)
    form.is_valid()
    accepted = form_data.form_files_accept(form, user)
    registry = None
    if not form.errors or "_check" in request.POST:
        registry = form_data.form_registry_check(form, service.authority)
    files = {key: upload.public_id for key, upload in {**kept, **accepted}.items()}
    if "_check" in request.POST:
        # "Check" (Amman): look the permit up and show whose it is, submitting nothing.
        services.case_draft_save(citizen=user, service=service, version=version,
                                 data=_input_of(request.POST), files=files)  # fmt: skip
        check = CheckForm(antibot_request=request) if public else None
        context = _page(request, service, version, _quiet_errors_except_registry(form),
                        check=check, registry=registry, checked=True)  # fmt: skip
        return render(request, "cases/portal/apply.html", context)
    check = CheckForm(request.POST, antibot_request=request) if public else None
    checked = check.is_valid() if check is not None else True
    if form.is_valid() and checked:
        case = services.case_submit(
            service=service, version=version, citizen=user,
            answers=form_data.form_answers(form, registry), files=form_data.form_uploads(form),
            language=request.LANGUAGE_CODE,
            submission_key=request.POST.get("submission_key", ""), request=request,
        )  # fmt: skip
        return redirect("portal:cases:submitted", service.authority.slug, case.reference)
    services.case_draft_save(
        citizen=user, service=service, version=version, data=_input_of(request.POST), files=files
    )
    context = _page(request, service, version, form, check=check, registry=registry, failed=True)
    return render(request, "cases/portal/apply.html", context, status=400)


def _quiet_errors_except_registry(form: DynamicForm) -> DynamicForm:
    """After "Check", only the registry's own errors are shown; the rest is not sent yet."""
    keep = {name: form.errors[name] for name in form_data.REGISTRY_FIELDS if name in form.errors}
    keep.update({"__all__": form.errors["__all__"]} if "__all__" in form.errors else {})
    _quiet(form)
    for name, errors in keep.items():
        form.errors[name] = errors
    return form


@require_POST
def draft_save(request: HttpRequest, slug: str, service_slug: str) -> HttpResponse:
    """The page's autosave: the text typed so far (files are kept when the form is sent)."""
    service = _service(slug, service_slug)
    user = request.user
    version = form_version_current(service=service)
    if not isinstance(user, User) or user.is_staff or version is None:
        raise Http404
    draft = selectors.case_draft_get(citizen=user, service=service)
    services.case_draft_save(
        citizen=user, service=service, version=version, data=_input_of(request.POST),
        files=draft.files if draft is not None else {},
    )  # fmt: skip
    return HttpResponse(status=204)


@require_POST
def draft_discard(request: HttpRequest, slug: str, service_slug: str) -> HttpResponse:
    service = _service(slug, service_slug)
    user = request.user
    if not isinstance(user, User):
        raise Http404
    services.case_draft_discard(citizen=user, service=service)
    return redirect("portal:cases:start", service.authority.slug, service.slug)


@require_GET
def submitted(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    """The acknowledgement: the request number, what happens next, where to follow it."""
    case = selectors.case_get_for_citizen(citizen=request.user, reference=reference)
    if case is None or case.authority.slug != slug:
        raise Http404
    return render(
        request, "cases/portal/submitted.html", {"case": case, "authority": case.authority}
    )
