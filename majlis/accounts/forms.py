from typing import Any

from allauth.account.forms import LoginForm
from django import forms
from django.utils.translation import gettext_lazy as _

from majlis.core.phone import InvalidMobile, normalize_mobile


class SignInForm(LoginForm):  # type: ignore[misc]  # allauth is untyped
    """allauth's sign-in form without its "Forgot your password?" link: staff passwords are reset
    by an administrator, and citizens sign in with national SSO or as guests."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = ""
        # Our words (allauth's Arabic says كلمة السر where the rest of the site says كلمة المرور).
        self.fields["login"].label = _("Username")
        self.fields["password"].label = _("Password")
        self.fields["login"].widget.attrs.update({"autocapitalize": "none"})


class StandInSignInForm(forms.Form):
    """National ID and PIN of a fictitious citizen of the stand-in national SSO."""

    national_id = forms.CharField(
        label=_("National ID number"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "inputmode": "numeric", "dir": "ltr"}
        ),
    )
    pin = forms.CharField(
        label=_("PIN"),
        max_length=64,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "dir": "ltr"}),
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
