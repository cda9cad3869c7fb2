from django import forms
from django.utils.translation import gettext_lazy as _

from majlis.feedback.choices import Stars


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("How was the service?"),
        choices=[(value, label) for value, label in reversed(Stars.choices)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a rating from 1 to 5 stars."),
            "invalid_choice": _("Choose a rating from 1 to 5 stars."),
        },
    )
    comment = forms.CharField(
        label=_("Your comment (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
