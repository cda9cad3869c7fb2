from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from majlis.core.phone import InvalidMobile, normalize_mobile


class SignInForm(AuthenticationForm):
    """Django's sign-in form with the autocomplete hints phones and password managers use."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class MobileForm(forms.Form):
    """A mobile number, read in the local forms people type, stored in E.164."""

    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "tel",
                "inputmode": "tel",
                "dir": "ltr",
                "placeholder": "05xxxxxxxx",
            }
        ),
    )

    def __init__(self, *args: Any, region: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.region = region

    def clean_mobile(self) -> str:
        try:
            return normalize_mobile(self.cleaned_data["mobile"], self.region)
        except InvalidMobile:
            raise forms.ValidationError(
                _("Enter a mobile number that can receive SMS, such as 0501234567."),
                code="invalid",
            ) from None


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("One-time password (OTP)"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "dir": "ltr",
                   "pattern": "[0-9]*"}
        ),
    )  # fmt: skip

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
        if not code.isdigit():
            raise forms.ValidationError(_("The code is six digits."), code="invalid")
        return code
