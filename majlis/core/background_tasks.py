"""django-tasks-db installed under a translated name (its own is a fixed English string), and
whether tasks are rows of our own database."""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class BackgroundTasksConfig(TasksAppConfig):
    verbose_name = _("Background tasks")  # type: ignore[assignment]


def tasks_are_transactional() -> bool:
    """Are tasks rows of our own database (django-tasks-db), committed with the caller? Then a
    task queued inside a transaction is as durable as the change and costs no commit of its
    own; with another backend (the immediate one) it must wait for the commit instead."""
    from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
    from django_tasks_db.backend import DatabaseBackend

    # `django.tasks.default_task_backend` is a proxy object: look the backend itself up.
    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)
