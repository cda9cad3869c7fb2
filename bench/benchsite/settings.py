"""Bench-only settings: the product's settings plus the bench views (not in the product URLs)."""

from config.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench.benchsite"]  # noqa: F405
ROOT_URLCONF = "bench.benchsite.urls"
