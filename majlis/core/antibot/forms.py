"""`AntiBotFormMixin`: add the verification check to any public form.

    class RequestForm(AntiBotFormMixin, forms.Form):
        ...

    form = RequestForm(request.POST or None, antibot_request=request)

In the template, `{{ form.antibot.as_field_group }}` renders the hidden proof-of-work inputs, the
question with its label and help text, and the error; `antibot.js` must be loaded on the page.
An unbound form issues a challenge; a bound one verifies (and so consumes) it in `clean()`, and
issues a new one if the form comes back with errors. The person's other input is kept.
"""

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from majlis.core.antibot.services import (
    AntiBotRefused,
    Challenge,
    antibot_issue,
    antibot_verify,
)
from majlis.core.client import client_address


class AntiBotWidget(forms.Widget):
    """Reads the three inputs `<name>_id`, `<name>_nonce`, `<name>_answer`."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> dict[str, str]:
        return {part: str(data.get(f"{name}_{part}", "")) for part in ("id", "nonce", "answer")}

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return f"{name}_id" not in data


class AntiBotField(forms.Field):
    """The verification check's field; checked by AntiBotFormMixin.clean (it needs the session)."""

    widget = AntiBotWidget

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("template_name", "core/antibot/field.html")
        kwargs.setdefault("label", _("Verification code"))
        kwargs.setdefault(
            "help_text",
            _("Answer the question with a number, so we know a person is sending this form."),
        )
        super().__init__(required=False, **kwargs)


class AntiBotFormMixin:
    """Adds the `antibot` field and checks it; the form takes `antibot_request=request`."""

    antibot_challenge: Challenge | None
    antibot_problem: str

    def __init__(self, *args: Any, antibot_request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["antibot"] = AntiBotField()  # type: ignore[attr-defined]
        self._antibot_request = antibot_request
        self.antibot_challenge = None
        self.antibot_problem = ""
        if not self.is_bound:  # type: ignore[attr-defined]
            self.antibot_renew()

    def _antibot_session_key(self) -> str:
        session = self._antibot_request.session
        if session.session_key is None:
            session.save()  # an anonymous visitor gets a session, for the challenge to bind to
        return str(session.session_key)

    def antibot_renew(self) -> None:
        """Issue a new challenge for the next display (the last one was consumed)."""
        try:
            self.antibot_challenge = antibot_issue(
                session_key=self._antibot_session_key(),
                client_address=client_address(self._antibot_request),
            )
            self.antibot_problem = ""
        except AntiBotRefused as refused:
            self.antibot_challenge = None
            self.antibot_problem = refused.message

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        value = cleaned.get("antibot") or {}
        try:
            passed = antibot_verify(
                challenge_id=value.get("id", ""),
                session_key=self._antibot_session_key(),
                client_address=client_address(self._antibot_request),
                answer=value.get("answer") or None,
                nonce=value.get("nonce") or None,
            )
        except AntiBotRefused as refused:
            self.add_error("antibot", refused.message)  # type: ignore[attr-defined]
            return cleaned
        if not passed:
            message = (
                gettext("Type the answer to the question in digits.")
                if not value.get("answer") and not value.get("nonce")
                else gettext("That answer is not right, or the question has expired. Try this one.")
            )
            self.add_error("antibot", message)  # type: ignore[attr-defined]
        return cleaned

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        if self.is_bound and self._errors:  # type: ignore[attr-defined]
            self.antibot_renew()
