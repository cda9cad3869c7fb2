from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QueueingConfig(AppConfig):
    name = "majlis.queueing"
    label = "queueing"
    verbose_name = _("Queues")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from majlis.catalogue.choices import ServiceKind
        from majlis.catalogue.models import Branch, Service
        from majlis.catalogue.start import register_start
        from majlis.queueing import demo  # noqa: F401  (adds the demo desks to load_demo)
        from majlis.queueing.models import QueuePolicy
        from majlis.queueing.services import caches_clear

        for model in (QueuePolicy, Service, Branch):
            post_save.connect(caches_clear, sender=model, dispatch_uid=f"queue-cache-{model}")
            post_delete.connect(caches_clear, sender=model, dispatch_uid=f"queue-del-{model}")
        m2m_changed.connect(
            caches_clear, sender=Service.branches.through, dispatch_uid="queue-cache-branches"
        )

        def join_url(service: Service) -> str:
            from django.urls import reverse

            return reverse("portal:queueing:join", args=[service.authority.slug, service.slug])

        for kind in (ServiceKind.VIDEO_QUEUE, ServiceKind.WALK_IN_QUEUE):
            register_start(kind, join_url)
