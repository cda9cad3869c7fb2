"""A demo public form with the anti-bot check, for tests only (no product URL)."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from config import urls as project_urls
from majlis.core.antibot.forms import AntiBotFormMixin


class DemoForm(AntiBotFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    reason = forms.CharField(label=_("Reason"), max_length=200)


def demo(request: HttpRequest) -> HttpResponse:
    form = DemoForm(request.POST or None, antibot_request=request)
    if request.method == "POST" and form.is_valid():
        return render(request, "core/antibot/demo.html", {"sent": form.cleaned_data["name"]})
    return render(request, "core/antibot/demo.html", {"form": form})


# The project's own routes stay (middleware reverses some of them); this one goes first.
urlpatterns = [path("antibot-demo/", demo, name="antibot_demo"), *project_urls.urlpatterns]
