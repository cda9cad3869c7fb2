"""Input shapes of the catalogue's staff forms."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from majlis.catalogue.models import Authority

CSV_MAX_BYTES = 5 * 1024 * 1024


class ContractorPermitImportForm(forms.Form):
    """A CSV file of contractor permits for one of the authorities the staff member administers."""

    authority = forms.ModelChoiceField(label=_("authority"), queryset=Authority.objects.none())
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, comma-separated, with a first line naming the columns."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args: Any, authorities: QuerySet[Authority], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["authority"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared just above
        field.queryset = authorities
        if authorities.count() == 1:
            field.initial = authorities.first()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > CSV_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB."), params={"limit": 5}
            )
        return upload
