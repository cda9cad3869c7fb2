import datetime
from collections.abc import Sequence
from typing import Any, ClassVar, cast
from zoneinfo import ZoneInfo

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from majlis.accounts.models import User
from majlis.cases.choices import OPEN_STATUSES, CaseStatus
from majlis.cases.models import DocumentRequest
from majlis.cases.services import MAX_DOCUMENTS_REQUESTED
from majlis.catalogue.models import Department
from majlis.core.antibot.forms import AntiBotFormMixin
from majlis.core.i18n import localized


class CheckForm(AntiBotFormMixin, forms.Form):
    """The verification check of a public service's form (Amman's "رمز التحقق")."""


# -- the citizen's reply --------------------------------------------------------------------------

MAX_OTHER_FILES = 5
REPLY_MAX_LENGTH = 4000
FILE_ACCEPT = ".pdf,.jpg,.jpeg,.png"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none was chosen)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": FILE_ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        items = data if isinstance(data, list | tuple) else [data]
        return [single(item, initial) for item in items if item]


class ReplyForm(forms.Form):
    """A citizen's answer to the officer: text, a file for each open checklist item, others.

    The files' contents are checked when they are accepted (`upload_accept`), not here.
    """

    body = forms.CharField(
        label=_("Your reply"), required=False, max_length=REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": REPLY_MAX_LENGTH}),
    )  # fmt: skip
    other_files = MultipleFileField(
        label=_("Other attachments"), required=False,
        help_text=_("Up to 5 files: PDF, JPG or PNG, 5 MB each at most."),
    )  # fmt: skip

    def __init__(
        self, *args: Any, document_requests: Sequence[DocumentRequest] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.document_requests = {document_field(item): item for item in document_requests}
        for name, item in self.document_requests.items():
            self.fields[name] = forms.FileField(
                label=item.label, required=False, help_text=_("PDF, JPG or PNG, 5 MB at most."),
                widget=forms.FileInput(attrs={"accept": FILE_ACCEPT}),
            )  # fmt: skip
        # The document inputs come first, in the order the officer asked for them.
        self.order_fields([*self.document_requests, "body", "other_files"])

    def clean_other_files(self) -> list[Any]:
        files: list[Any] = self.cleaned_data.get("other_files") or []
        if len(files) > MAX_OTHER_FILES:
            raise forms.ValidationError(_("Attach at most 5 other attachments."))
        return files

    def file_fields(self) -> list[str]:
        return [*self.document_requests, "other_files"]


def document_field(item: DocumentRequest) -> str:
    """The reply form's input for a checklist item: `document_<id>`."""
    return f"document_{item.pk}"


# -- the public inquiry ---------------------------------------------------------------------------


class InquiryForm(forms.Form):
    """The public transaction inquiry (seed 001 §3): request number and year.

    Both are taken as typed: whatever they hold, a lookup that finds nothing gets the same
    answer as a wrong number, so the form itself only insists that neither is empty.
    """

    number = forms.CharField(
        label=_("Request number"),
        help_text=_("The number in the text message we sent you when you submitted the request."),
        error_messages={"required": _("Enter the request number.")},
    )
    year = forms.CharField(
        label=_("Year"),
        error_messages={"required": _("Enter the year of the request.")},
    )

    def __init__(self, *args: Any, hijri: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if hijri:
            self.fields["year"].label = _("Hijri year")
            self.fields["year"].help_text = _(
                "The Hijri year the request was submitted in; the Gregorian year works too."
            )
        else:
            self.fields["year"].help_text = _("The year the request was submitted in.")

    def clean_number(self) -> str:
        return str(self.cleaned_data["number"])[:40]

    def clean_year(self) -> str:
        return str(self.cleaned_data["year"])[:10]


# -- the officers' back office --------------------------------------------------------------------

# How staff read a status: "Waiting for you" is the citizen's wording of WAITING_CITIZEN.
STAFF_STATUS_LABELS: dict[str, Any] = {
    **dict(CaseStatus.choices),
    CaseStatus.WAITING_CITIZEN: _("Waiting for the citizen"),
}
ASSIGNEE_ANYONE, ASSIGNEE_MINE, ASSIGNEE_NOBODY = "anyone", "mine", "unassigned"
DUE_ALL, DUE_OVERDUE, DUE_TODAY = "all", "overdue", "today"
SORTS = ("due", "submitted", "status")
MAX_DOCUMENT_LABEL = 200


def department_key(department: Department) -> str:
    """How a department is named in the inbox's links: its authority's address and its code."""
    return f"{department.authority.slug}:{department.code}"


class InboxFilterForm(forms.Form):
    """The inbox's filters, sent by GET. A value outside the choices is a field error, and
    that filter is left out rather than guessed."""

    q = forms.CharField(
        label=_("Search"), required=False, max_length=100,
        help_text=_("Request number, applicant's name, ID number (in full) or mobile number."),
    )  # fmt: skip
    status = forms.MultipleChoiceField(
        label=_("Status"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=list(STAFF_STATUS_LABELS.items()),
    )  # fmt: skip
    department = forms.ChoiceField(label=_("Department"), required=False)
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)
    due = forms.ChoiceField(
        label=_("Due"), required=False,
        choices=[(DUE_ALL, _("Any time")), (DUE_OVERDUE, _("Overdue")),
                 (DUE_TODAY, _("Due today"))],
    )  # fmt: skip
    sort = forms.ChoiceField(
        label=_("Sort by"), required=False,
        choices=[("due", _("Due date, soonest first")), ("submitted", _("Submitted, newest first")),
                 ("status", _("Status"))],
    )  # fmt: skip

    DEFAULTS: ClassVar[dict[str, Any]] = {
        "status": [str(s) for s in CaseStatus if s in OPEN_STATUSES],
        "assignee": ASSIGNEE_ANYONE,
        "due": DUE_ALL,
        "sort": "due",
    }

    def __init__(
        self, data: QueryDict, *, departments: list[Department], people: list[User],
        **kwargs: Any,
    ) -> None:  # fmt: skip
        # A filter left out takes its default (the open requests, soonest due first). The form
        # always sends an empty `status` beside the boxes, so that ticking none means "any status".
        data = data.copy()
        for name, value in self.DEFAULTS.items():
            if name not in data:
                data.setlist(name, value if isinstance(value, list) else [value])
        data.setlist("status", [s for s in data.getlist("status") if s])
        super().__init__(data, **kwargs)
        self.departments = {department_key(d): d for d in departments}
        self.people = {p.get_username(): p for p in people}
        department = cast(forms.ChoiceField, self.fields["department"])
        names = [(k, localized(d, "name")) for k, d in self.departments.items()]
        department.choices = [("", _("All departments")), *names]
        assignee = cast(forms.ChoiceField, self.fields["assignee"])
        assignee.choices = [
            (ASSIGNEE_ANYONE, _("Anyone")), (ASSIGNEE_MINE, _("Me")),
            (ASSIGNEE_NOBODY, _("Nobody yet")), *((k, str(p)) for k, p in self.people.items()),
        ]  # fmt: skip

    def value(self, name: str) -> Any:
        """The cleaned value of a filter, or its default when it was left out or wrong."""
        cleaned = getattr(self, "cleaned_data", {})
        value = cleaned.get(name) if name not in self.errors else None
        return value if value not in (None, "") else self.DEFAULTS.get(name, "")


class DecisionForm(forms.Form):
    """The decision on a request: approve (with the agreed date and time), reject (with the
    reason) or complete. The buttons post the same fields to their own move."""

    note = forms.CharField(
        label=_("Decision note"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when rejecting: the reason for the rejection."),
    )  # fmt: skip
    agreed_at = forms.DateTimeField(
        label=_("Agreed date and time"), required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "dir": "ltr"},
                                   format="%Y-%m-%dT%H:%M"),
        help_text=_("When approving an appointment: the date and time agreed, in the authority's "
                    "local time."),
    )  # fmt: skip

    def __init__(
        self, *args: Any, move: str = "", time_zone: str = "UTC", with_date: bool = True,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        kwargs.setdefault("prefix", "decision")
        super().__init__(*args, **kwargs)
        self.move = move
        self.time_zone = ZoneInfo(time_zone)
        if not with_date:
            del self.fields["agreed_at"]

    def full_clean(self) -> None:
        # A datetime-local value has no zone: it is the authority's local time.
        with timezone.override(self.time_zone):
            super().full_clean()

    def clean_note(self) -> str:
        note = str(self.cleaned_data.get("note") or "").strip()
        if self.move == "reject" and not note:
            raise forms.ValidationError(_("Give the reason for the rejection."))
        return note

    def clean_agreed_at(self) -> datetime.datetime | None:
        value: datetime.datetime | None = self.cleaned_data.get("agreed_at")
        if value is None:
            return None
        if self.move == "approve" and value <= timezone.now():
            raise forms.ValidationError(_("Choose a date and time that has not passed."))
        return value.astimezone(datetime.UTC)


class AskForm(forms.Form):
    """Asking the citizen for more: a message and a checklist of what to send."""

    body = forms.CharField(
        label=_("Message to the citizen"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    documents = forms.CharField(
        label=_("Documents to ask for"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, at most 10. The citizen sees them as a checklist."),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "ask")
        super().__init__(*args, **kwargs)

    def clean_documents(self) -> list[str]:
        labels = [line.strip(" -•\t") for line in str(self.cleaned_data["documents"]).splitlines()]
        labels = [label for label in labels if label]
        if len(labels) > MAX_DOCUMENTS_REQUESTED:
            raise forms.ValidationError(_("Ask for at most 10 documents at a time."))
        if any(len(label) > MAX_DOCUMENT_LABEL for label in labels):
            raise forms.ValidationError(_("Keep each document to one short line."))
        return labels

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        empty = not str(cleaned.get("body", "")).strip() and not cleaned.get("documents")
        if empty and "documents" not in self.errors:
            self.add_error("body", _("Write a message or list the documents to ask for."))
        return cleaned


class TextForm(forms.Form):
    """One text to write: a message to the citizen, or an internal note."""

    body = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, label: Any, required_message: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].label = label
        self.fields["body"].error_messages["required"] = required_message

    def clean_body(self) -> str:
        body = str(self.cleaned_data["body"]).strip()
        if not body:
            raise forms.ValidationError(self.fields["body"].error_messages["required"])
        return body


def message_form(*args: Any) -> TextForm:
    return TextForm(*args, prefix="message", label=_("Message to the citizen"),
                    required_message=_("Write the message."))  # fmt: skip


def note_form(*args: Any) -> TextForm:
    return TextForm(*args, prefix="note", label=_("Internal note"),
                    required_message=_("Write the note."))  # fmt: skip


class AssignForm(forms.Form):
    """Who works on the request; "" gives it back to the department's pile."""

    assignee = forms.ChoiceField(label=_("Assign to"), required=False)

    def __init__(self, *args: Any, people: list[User], release: bool, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "assign")
        super().__init__(*args, **kwargs)
        self.people = {p.get_username(): p for p in people}
        choices: list[tuple[str, Any]] = [(k, str(p)) for k, p in self.people.items()]
        if release:
            choices.insert(0, ("", _("Nobody (back to the department)")))
        field = cast(forms.ChoiceField, self.fields["assignee"])
        field.choices = choices
        field.required = not release  # "" means "nobody" only where giving it back is offered
        field.error_messages["required"] = _("Choose someone from the list.")
        field.error_messages["invalid_choice"] = _("Choose someone from the list.")

    def chosen(self) -> User | None:
        return self.people.get(self.cleaned_data.get("assignee") or "")


class RouteForm(forms.Form):
    """Another department of the request's authority to send it to."""

    department = forms.ChoiceField(label=_("Send to department"))

    def __init__(self, *args: Any, departments: list[Department], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "route")
        super().__init__(*args, **kwargs)
        self.departments = {d.code: d for d in departments}
        field = cast(forms.ChoiceField, self.fields["department"])
        names = [(code, localized(d, "name")) for code, d in self.departments.items()]
        field.choices = [("", _("Choose…")), *names]
        field.error_messages["required"] = _("Choose the department.")
        field.error_messages["invalid_choice"] = _("Choose a department from the list.")

    def chosen(self) -> Department:
        return self.departments[self.cleaned_data["department"]]


class BulkAssignForm(forms.Form):
    """The officer to give the requests ticked in the inbox to (the `cases` checkboxes)."""

    assignee = forms.ChoiceField(label=_("Assign the chosen requests to"))

    def __init__(
        self, *args: Any, people: list[User], references: list[str], **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", "bulk")
        super().__init__(*args, **kwargs)
        # Any reference is taken here; the view gates each one (out of its scope: skipped).
        self.references = list(dict.fromkeys(r for r in references if r))[:100]
        self.people = {p.get_username(): p for p in people}
        assignee = cast(forms.ChoiceField, self.fields["assignee"])
        assignee.choices = [("", _("Choose…")), *((k, str(p)) for k, p in self.people.items())]
        assignee.error_messages["required"] = _("Choose who takes the requests.")
        assignee.error_messages["invalid_choice"] = _("Choose someone from the list.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.references:
            raise forms.ValidationError(_("Tick the requests to assign."))
        return cleaned

    def chosen(self) -> User:
        return self.people[self.cleaned_data["assignee"]]
