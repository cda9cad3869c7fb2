from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from majlis.cases.models import DocumentRequest
from majlis.core.antibot.forms import AntiBotFormMixin


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
