"""Shared set-up for the benchmarks: Django on the bench database, the demo data, the Ajman AJ
branch emptied for a fresh run, and small statistics helpers.

The database comes from DATABASE_URL (default: the local `scale` database); Redis from REDIS_URL
(default: the local one), so broadcasts really go out as in production.
"""

import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/scale"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def bench_env(**extra: str) -> dict[str, str]:
    """The environment every bench process (this one and the servers it starts) runs with."""
    env = {
        "DATABASE_URL": os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL),
        "REDIS_URL": os.environ.get("REDIS_URL", DEFAULT_REDIS_URL),
        "DJANGO_SETTINGS_MODULE": "bench.benchsite.settings",
        "MAJLIS_PROFILE": "production",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    env.update(extra)
    return env


def django_setup(**extra: str) -> None:
    os.environ.update(bench_env(**extra))
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare_branch() -> dict[str, Any]:
    """Demo data present, AJ's tickets and day rows gone; returns branch and video service."""
    from django.core.management import call_command
    from django.db import connection

    from bench.benchsite.models import BenchRow
    from majlis.catalogue.models import Branch, Service
    from majlis.queueing.models import AgentShift, BranchDay, Ticket

    call_command("migrate", verbosity=0)  # a new database is set up, a migrated one left as is
    if not Branch.objects.filter(authority__slug="ajman", ticket_prefix="AJ").exists():
        call_command("load_demo", "--allow-production", verbosity=0)
    if BenchRow._meta.db_table not in connection.introspection.table_names():
        with connection.schema_editor() as editor:
            editor.create_model(BenchRow)
    branch = Branch.objects.select_related("authority").get(
        authority__slug="ajman", ticket_prefix="AJ"
    )
    service = Service.objects.get(authority__slug="ajman", slug="qareeb")
    Ticket.objects.filter(branch=branch).update(transferred_to=None)
    Ticket.objects.filter(branch=branch).delete()
    BranchDay.objects.filter(branch=branch).delete()
    AgentShift.objects.filter(branch=branch, ended_at__isnull=True).delete()
    BenchRow.objects.all().delete()
    # What the "same writes" baseline left behind (its SMS rows are born cancelled).
    from django_tasks_db.models import DBTaskResult

    from majlis.core.models import AuditEntry
    from majlis.notifications.models import Message

    AuditEntry.objects.filter(action="bench.row.created").delete()
    Message.objects.filter(status="cancelled", body="AJ-001").delete()
    DBTaskResult.objects.filter(args_kwargs__args=[0]).delete()
    return {"branch": branch, "service": service}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def table(title: str, header: list[str], rows: list[list[Any]]) -> None:
    """Print a plain aligned table."""
    cells = [header] + [[f"{c:.2f}" if isinstance(c, float) else str(c) for c in r] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    print(f"\n{title}")
    for index, row in enumerate(cells):
        print("  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)))
        if index == 0:
            print("  ".join("-" * width for width in widths))
