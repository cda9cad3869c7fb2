"""The citizen's choice of how to be told things."""

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from majlis.notifications.choices import PreferredChannel
from majlis.notifications.selectors import channels_available, preferred_channel_get
from majlis.notifications.services import contact_preference_set
from majlis.notifications.vapid import application_server_key


class PreferenceForm(forms.Form):
    channel = forms.ChoiceField(label=gettext_lazy("Tell me by"), widget=forms.RadioSelect)

    def __init__(self, *args: object, available: list[PreferredChannel], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = cast(forms.ChoiceField, self.fields["channel"])
        field.choices = [(c.value, c.label) for c in available]


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    available = channels_available(request.user)
    current = preferred_channel_get(request.user)
    form = PreferenceForm(
        request.POST or None,
        available=available,
        initial={"channel": current.value if current else None},
    )
    if request.method == "POST" and form.is_valid():
        contact_preference_set(
            user=cast(AbstractBaseUser, request.user),
            channel=PreferredChannel(form.cleaned_data["channel"]),
        )
        messages.success(request, _("Saved: we will use this from now on."))
        return redirect("notifications:preferences")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "vapid_key": application_server_key()}
    return render(request, "notifications/portal/preferences.html", context, status=status)
