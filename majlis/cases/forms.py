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
