"""Requests (cases): what a citizen submitted through a service's form, and everything after.

A case keeps the form version it was submitted with, its answers as JSON and its files as
uploads; the thread between citizen and officer, the documents asked for, and the officers'
internal notes hang off it. Citizens and staff see it by its reference (`NJR-1448-000067`).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from majlis.cases.choices import CaseStatus, MessageAuthor
from majlis.catalogue.models import Authority, Department, FormVersion, Service
from majlis.core.models import Upload


class ReferenceCounter(models.Model):
    """The last request number an authority gave in a year (its Hijri year where it uses one)."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["authority", "year"], name="cases_counter_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.authority_id}/{self.year}: {self.last}"


class Case(models.Model):
    """One request to one service, from submission to its decision."""

    reference = models.CharField(_("request number"), max_length=32, unique=True, editable=False)
    authority = models.ForeignKey(
        Authority, verbose_name=_("authority"), on_delete=models.PROTECT, related_name="cases"
    )
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    number = models.PositiveIntegerField(_("number"), editable=False)
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="cases"
    )
    form_version = models.ForeignKey(
        FormVersion, verbose_name=_("form version"), on_delete=models.PROTECT, related_name="+"
    )
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("citizen"), on_delete=models.PROTECT,
        related_name="cases",
    )  # fmt: skip
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="cases",
    )  # fmt: skip
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned to"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="assigned_cases",
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.SUBMITTED
    )
    answers = models.JSONField(_("answers"), default=dict)
    applicant_name = models.CharField(_("applicant"), max_length=200, blank=True)
    national_id = models.CharField(_("ID number"), max_length=20, blank=True)
    phone = models.CharField(_("mobile number"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=2, default="ar")
    # Set by the citizen's browser (a hidden field) or the API's Idempotency-Key header: the same
    # key twice gives back the first request instead of a second one.
    submission_key = models.CharField(max_length=64, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    waiting_since = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last change"), default=timezone.now)
    decision_note = models.TextField(_("decision note"), blank=True)
    agreed_at = models.DateTimeField(_("agreed date and time"), null=True, blank=True)
    unread_by_citizen = models.PositiveSmallIntegerField(default=0, editable=False)
    unread_by_staff = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "year", "number"], name="cases_number_per_authority_year"
            ),
            models.UniqueConstraint(
                fields=["citizen", "submission_key"],
                condition=~models.Q(submission_key=""),
                name="cases_one_case_per_submission",
            ),
        ]
        indexes = [
            models.Index(fields=["department", "status", "due_at"]),
            models.Index(fields=["citizen", "-submitted_at"]),
        ]

    def __str__(self) -> str:
        return self.reference


class CaseMessage(models.Model):
    """One message of the thread between the citizen and the officers."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_kind = models.CharField(max_length=10, choices=MessageAuthor.choices)
    body = models.TextField(_("message"), max_length=4000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} #{self.pk}"


class DocumentRequest(models.Model):
    """One item of an officer's checklist: a document or piece of information asked for."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="document_requests")
    message = models.ForeignKey(
        CaseMessage, on_delete=models.CASCADE, related_name="document_requests"
    )
    label = models.CharField(_("document"), max_length=200)
    fulfilled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.label


class CaseFile(models.Model):
    """A file of a request: a form answer (`path` as in the answers) or sent in the thread."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="files")
    upload = models.OneToOneField(Upload, on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=120, blank=True)  # "reason_letter", "companions.1.id_image"
    message = models.ForeignKey(
        CaseMessage, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    document_request = models.ForeignKey(
        DocumentRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="files"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.upload.display_name


class CaseNote(models.Model):
    """An officer's internal note on a request: citizens never see it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("note"), max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} note #{self.pk}"


class CaseDraft(models.Model):
    """What a citizen typed and uploaded into a service's form and has not yet submitted.

    `data` is the posted form as {key: [values]} (no token fields); `files` maps a file field's
    key (`reason_letter`, `companions-0-id_image`) to the public id of an upload already accepted.
    """

    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_drafts"
    )
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    form_version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict)
    files = models.JSONField(default=dict)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["citizen", "service"], name="cases_one_draft")
        ]

    def __str__(self) -> str:
        return f"draft {self.service_id} of {self.citizen_id}"
