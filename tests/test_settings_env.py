"""Settings fail loudly on bad values (house style, habit 7)."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_choice, env_int, env_list, parse_database_url


def test_it_reads_booleans_and_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG") is True
    monkeypatch.setenv("X_FLAG", "off")
    assert env_bool("X_FLAG", default=True) is False
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG")


def test_it_reads_integers_with_a_floor(monkeypatch):
    monkeypatch.setenv("X_NUM", "12")
    assert env_int("X_NUM", 3) == 12
    monkeypatch.setenv("X_NUM", "twelve")
    with pytest.raises(ImproperlyConfigured, match="integer"):
        env_int("X_NUM", 3)
    monkeypatch.setenv("X_NUM", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("X_NUM", 3, minimum=1)


def test_it_reads_lists_and_choices(monkeypatch):
    monkeypatch.setenv("X_LIST", " a.example , ,b.example")
    assert env_list("X_LIST") == ["a.example", "b.example"]
    monkeypatch.setenv("X_CHOICE", "smtp")
    assert env_choice("X_CHOICE", ("console", "smtp"), "console") == "smtp"
    monkeypatch.setenv("X_CHOICE", "carrier-pigeon")
    with pytest.raises(ImproperlyConfigured, match="console, smtp"):
        env_choice("X_CHOICE", ("console", "smtp"), "console")


def test_it_parses_database_urls():
    pg = parse_database_url("postgres://maj:p%40ss@db.internal:6432/majlis?sslmode=require")
    assert pg["ENGINE"] == "django.db.backends.postgresql"
    assert (pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "maj",
        "p@ss",
        "db.internal",
        "6432",
        "majlis",
    )
    assert pg["OPTIONS"] == {"sslmode": "require"}
    assert (
        parse_database_url("sqlite:////srv/majlis/db.sqlite3")["NAME"] == "/srv/majlis/db.sqlite3"
    )
    for bad in ("mysql://x/y", "postgres://host/", "sqlite:///", "postgres://h:port/db"):
        with pytest.raises(ImproperlyConfigured):
            parse_database_url(bad)


def _settings_error(**env: str) -> str:
    """Import the settings in a fresh interpreter with `env`; return what it printed on stderr."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MAJLIS_", "SECRET_KEY"))}
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stderr if result.returncode else ""


def test_it_refuses_production_without_a_secret_key(tmp_path):
    error = _settings_error(MAJLIS_PROFILE="production", MAJLIS_VAR_DIR=str(tmp_path))
    assert "SECRET_KEY is required outside the embedded profile" in error


def test_it_refuses_a_short_secret_key(tmp_path):
    error = _settings_error(SECRET_KEY="short", MAJLIS_VAR_DIR=str(tmp_path))
    assert "at least 32 characters" in error


def test_it_refuses_production_without_allowed_hosts(tmp_path):
    error = _settings_error(
        MAJLIS_PROFILE="production",
        SECRET_KEY="k" * 40,
        MAJLIS_VAR_DIR=str(tmp_path),
        ALLOWED_HOSTS="",
    )
    assert "ALLOWED_HOSTS is required" in error
