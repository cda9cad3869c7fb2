import re
from typing import Any

from allauth.account.forms import LoginForm
from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from majlis.accounts.models import User
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
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "dir": "ltr",
                "pattern": "[0-9]*",
            }
        ),
    )

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
        if not code.isdigit():
            raise forms.ValidationError(_("The code is six digits."), code="invalid")
        return code


def _check_new_password(form: forms.Form, cleaned: dict[str, Any], user: User) -> None:
    """password1/password2: the same twice, and strong enough for this user (the validators)."""
    first, second = cleaned.get("password1"), cleaned.get("password2")
    if first and second and first != second:
        form.add_error("password2", _("The two passwords are not the same."))
    elif first:
        try:
            password_validation.validate_password(first, user)
        except forms.ValidationError as error:
            form.add_error("password1", error)


class RegisterForm(MobileForm):
    """Create an account: name, mobile (verified by SMS next), username and password."""

    display_name = forms.CharField(
        label=_("Full name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "dir": "ltr"}
        ),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    field_order = ["display_name", "mobile", "username", "password1", "password2"]

    def clean_username(self) -> str:
        username = str(self.cleaned_data["username"]).strip()
        if not re.fullmatch(r"[\w.@+-]+", username):
            raise forms.ValidationError(
                _("Use letters, digits and . @ + - _ only."), code="invalid"
            )
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken; choose another."), code="taken")
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        user = User(
            username=cleaned.get("username", ""), display_name=cleaned.get("display_name", "")
        )
        _check_new_password(self, cleaned, user)
        return cleaned


class NewPasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _check_new_password(self, cleaned, self.user)
        return cleaned
