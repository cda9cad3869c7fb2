"""Forms of the queue: the citizen's join form, and the staff pages' (opening a shift,
transferring a ticket, writing a note).

Choices are built from what the staff member may use (their branches, the free desks, the queue
services of the branch), so a posted value outside them is a field error, never a lookup.
"""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from majlis.accounts.forms import MobileForm
from majlis.catalogue.models import Branch, Service
from majlis.core.i18n import localized
from majlis.queueing import selectors
from majlis.queueing.models import Counter


class JoinForm(MobileForm):
    """Qareeb's first screen: mobile (locked for account holders), e-mail, branch, terms."""

    email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
    )
    branch = forms.ChoiceField(label=_("Branch"), widget=forms.RadioSelect)
    terms = forms.BooleanField(
        label=_("I have read the terms and conditions and accept them"),
        error_messages={"required": _("Please accept the terms and conditions to continue.")},
    )

    def __init__(
        self, *args: Any, branches: list[Branch], locked_phone: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.branches = {branch.ticket_prefix: branch for branch in branches}
        self.fields["branch"].choices = [  # type: ignore[attr-defined]
            (branch.ticket_prefix, localized(branch, "name")) for branch in branches
        ]
        self.fields["branch"].error_messages["required"] = _("Choose the branch.")
        self.locked_phone = locked_phone
        if locked_phone:
            # The account's number (proven at sign-up or given by national sign-on) is used as is.
            self.fields["mobile"].required = False
            self.fields["mobile"].disabled = True
            self.fields["mobile"].initial = locked_phone

    def clean_mobile(self) -> str:
        if self.locked_phone:
            return self.locked_phone
        return super().clean_mobile()

    def chosen_branch(self) -> Branch:
        return self.branches[self.cleaned_data["branch"]]


def branch_key(branch: Branch) -> str:
    """How a branch is named in forms and links: the authority and the ticket prefix."""
    return f"{branch.authority.slug}:{branch.ticket_prefix}"


class BranchChoiceForm(forms.Form):
    """Step one of opening a shift: where the agent works today (sent by GET)."""

    branch = forms.ChoiceField(label=_("Branch"))

    def __init__(self, *args: Any, branches: list[Branch], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "choose_%s")  # the shift form below has its own "branch"
        super().__init__(*args, **kwargs)
        self.branches = {branch_key(b): b for b in branches}
        field = cast(forms.ChoiceField, self.fields["branch"])
        field.choices = [(k, localized(b, "name")) for k, b in self.branches.items()]

    def chosen(self) -> Branch:
        if self.is_valid():
            return self.branches[self.cleaned_data["branch"]]
        return next(iter(self.branches.values()))


class ShiftOpenForm(forms.Form):
    """Step two: a free desk of the chosen branch and the services to serve there."""

    branch = forms.CharField(widget=forms.HiddenInput)
    counter = forms.ChoiceField(label=_("Desk"))
    services = forms.MultipleChoiceField(
        label=_("Services to serve"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, branch: Branch, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.for_branch = branch
        self.counter_map = {c.number: c for c in selectors.counters_free(branch)}
        self.service_map = {s.slug: s for s in selectors.queue_services(branch)}
        self.fields["branch"].initial = branch_key(branch)
        counter = cast(forms.ChoiceField, self.fields["counter"])
        counter.choices = [(n, localized(c, "name")) for n, c in self.counter_map.items()]
        services = cast(forms.MultipleChoiceField, self.fields["services"])
        services.choices = [(slug, localized(s, "name")) for slug, s in self.service_map.items()]
        services.initial = list(self.service_map)[:1]

    def clean_branch(self) -> str:
        if self.cleaned_data["branch"] != branch_key(self.for_branch):
            raise forms.ValidationError(_("Choose the branch again."))
        return str(self.cleaned_data["branch"])

    def chosen_counter(self) -> Counter:
        return self.counter_map[self.cleaned_data["counter"]]

    def chosen_services(self) -> list[Service]:
        return [self.service_map[slug] for slug in self.cleaned_data["services"]]


class TransferForm(forms.Form):
    """Where to send the citizen: another queue service of the authority, here or elsewhere."""

    target = forms.ChoiceField(label=_("Transfer to"))

    def __init__(self, *args: Any, targets: list[tuple[Service, Branch]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = {f"{s.slug}@{b.ticket_prefix}": (s, b) for s, b in targets}
        cast(forms.ChoiceField, self.fields["target"]).choices = [
            (key, _("%(service)s — %(branch)s")
             % {"service": localized(s, "name"), "branch": localized(b, "name")})
            for key, (s, b) in self.targets.items()
        ]  # fmt: skip

    def chosen_target(self) -> tuple[Service, Branch]:
        return self.targets[self.cleaned_data["target"]]


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
