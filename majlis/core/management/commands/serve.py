"""Run the web server and the task worker together, as the embedded profile does.

Both run as child processes of this command: if either stops, the other is stopped too, and
Ctrl+C or SIGTERM stops both. Production runs them as separate services (docs/operations.md).
"""

import signal

# Starts only our own processes, with fixed arguments.
import subprocess  # nosec B404
import sys
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Majlis (uvicorn, ASGI) with the task worker and the message sweeper beside it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-worker", action="store_true", help="Serve without the worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        python = sys.executable
        commands = [
            [python, "-m", "uvicorn", "config.asgi:application", "--host", options["host"],
             "--port", str(options["port"]), "--no-server-header", "--log-level", "warning"],
        ]  # fmt: skip
        if not options["no_worker"]:
            commands.append(
                [python, "-m", "majlis.cli", "db_worker", "--queue-name", "*", "--no-reload"]
            )
            commands.append([python, "-m", "majlis.cli", "sweep_messages", "--loop", "60"])
        children = [subprocess.Popen(command) for command in commands]  # noqa: S603  # nosec B603
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(self.style.SUCCESS(f"Majlis is running at {url}  (Ctrl+C to stop)"))

        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping and all(child.poll() is None for child in children):
                time.sleep(0.2)
        finally:
            for child in children:
                if child.poll() is None:
                    child.terminate()
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
        failed = [child.returncode for child in children if child.returncode not in (0, -15, None)]
        if failed and not stopping:
            raise SystemExit(1)
