from typing import Any

from allauth.account.forms import LoginForm
from django import forms
from django.utils.translation import gettext_lazy as _


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
