"""What operators and users rely on, pinned: routes, migrations, translations (habit 11)."""

from io import StringIO
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = Path(__file__).with_name("routes.txt")


def _routes(resolver: URLResolver, prefix: str = "", namespace: str = "") -> list[str]:
    lines = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            lines += _routes(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else "-"
            lines.append(f"{prefix}{entry.pattern}  {name}")
    return lines


def test_it_keeps_the_routes_as_pinned():
    """A changed route breaks bookmarks and API clients: update tests/routes.txt on purpose."""
    current = "\n".join(_routes(get_resolver())) + "\n"
    assert current == SNAPSHOT.read_text(), (
        "Routes changed. If intended, regenerate tests/routes.txt:\n"
        ".venv/bin/python -c \"import django,os;os.environ['DJANGO_SETTINGS_MODULE']="
        "'config.settings';django.setup();from tests.test_project_pins import write_snapshot;"
        'write_snapshot()"'
    )


def write_snapshot() -> None:
    SNAPSHOT.write_text("\n".join(_routes(get_resolver())) + "\n")


@pytest.mark.django_db
def test_it_has_a_migration_for_every_model_change():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_it_names_every_migration():
    unnamed = [
        p.name
        for p in ROOT.glob("majlis/*/migrations/0*.py")
        if "_auto_" in p.name or p.name.endswith("_initial.py")
    ]
    assert unnamed == []


def test_it_translates_every_string_into_arabic():
    catalogue = polib.pofile(str(ROOT / "majlis/locale/ar/LC_MESSAGES/django.po"))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


def test_it_reserves_every_fixed_root_prefix_from_authority_addresses():
    """/<authority>/ is matched last, so an authority named like a fixed route would hide it."""
    from majlis.catalogue.validators import RESERVED_SLUGS

    first_segments = {
        line.split("/")[0].split("  ")[0]
        for line in _routes(get_resolver())
        if line and not line.startswith(("<", "  "))
    }
    assert first_segments - RESERVED_SLUGS == set()
