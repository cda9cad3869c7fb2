from django import forms

from majlis.core.antibot.forms import AntiBotFormMixin


class CheckForm(AntiBotFormMixin, forms.Form):
    """The verification check of a public service's form (Amman's "رمز التحقق")."""
