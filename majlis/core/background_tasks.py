"""django-tasks-db installed under a translated name (its own is a fixed English string)."""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class BackgroundTasksConfig(TasksAppConfig):
    verbose_name = _("Background tasks")  # type: ignore[assignment]
