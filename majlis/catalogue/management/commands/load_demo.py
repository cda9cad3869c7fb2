from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from majlis.accounts.demo import CITIZENS, STANDIN_PIN
from majlis.catalogue.demo import DEMO_PASSWORD, STAFF, demo_load


class Command(BaseCommand):
    help = "Load the demo authorities, services and staff accounts (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load even outside the embedded profile (creates accounts with a known password).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.EMBEDDED and not options["allow_production"]:
            raise CommandError(
                "Demo accounts have a published password; refusing outside the embedded profile. "
                "Pass --allow-production to load them anyway."
            )
        counts = demo_load()
        self.stdout.write(
            f"Demo data ready: {counts['authorities']} authorities, {counts['services']} services, "
            f"{counts['staff']} staff accounts."
        )
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        self.stdout.write("  admin                 superuser, all authorities")
        for staff in STAFF:
            self.stdout.write(f"  {staff.username:<21} {staff.role.label} · {staff.authority}")
        self.stdout.write("Staff set up two-factor sign-in (TOTP) at their first sign-in.")
        if settings.SSO_STANDIN:
            self.stdout.write(
                f"Stand-in national SSO at {settings.SSO_STANDIN_ISSUER} "
                f"(UAE PASS on Ajman, Nafath on Najran and Madinah); PIN for all: {STANDIN_PIN}"
            )
            for citizen in CITIZENS:
                self.stdout.write(f"  {citizen.national_id:<21} {' '.join(citizen.name_parts_en)}")
