from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "majlis.cases"
    label = "cases"
    verbose_name = _("Requests")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from majlis.cases import signals  # noqa: F401
