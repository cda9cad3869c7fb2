import logging
import time
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError

from majlis.notifications.tasks import sweep_stuck_messages

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Queue again the messages a dead worker or a lost task left behind. Run it every minute "
        "(a timer), or with --loop beside the workers."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sending-grace", type=int, default=120, help="seconds (default 120)")
        parser.add_argument("--queued-grace", type=int, default=300, help="seconds (default 300)")
        parser.add_argument("--loop", type=int, default=0, help="repeat every N seconds")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            try:
                count = sweep_stuck_messages(
                    sending_grace=timedelta(seconds=options["sending_grace"]),
                    queued_grace=timedelta(seconds=options["queued_grace"]),
                )
            except DatabaseError:
                if not options["loop"]:
                    raise
                # A busy or restarting database: try again next round, don't stop the server.
                logger.warning("sweep_messages: database unavailable, retrying", exc_info=True)
                time.sleep(options["loop"])
                continue
            if count or not options["loop"]:
                self.stdout.write(f"Queued {count} stuck messages again.")
            if not options["loop"]:
                return
            time.sleep(options["loop"])
