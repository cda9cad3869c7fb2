from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VideoConfig(AppConfig):
    name = "majlis.video"
    label = "video"
    verbose_name = _("Video calls")

    def ready(self) -> None:
        from majlis.video import signals  # noqa: F401  (the call ends with its ticket)
