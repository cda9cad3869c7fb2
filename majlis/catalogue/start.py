"""Where a service card's "Start service" button leads, per kind of service.

The catalogue sits below the domains that run services, so it cannot name their views. Each
domain registers, in its AppConfig.ready(), a function that gives the entry URL for a service of
its kind. A kind with no registered domain shows no start button: the card then points to the
alternative channels instead of to a dead end.
"""

from collections.abc import Callable

from majlis.catalogue.models import Service

StartUrl = Callable[[Service], str]

_handlers: dict[str, StartUrl] = {}


def register_start(kind: str, handler: StartUrl) -> None:
    _handlers[kind] = handler


def start_url(service: Service) -> str | None:
    handler = _handlers.get(service.kind)
    return handler(service) if handler is not None else None
