"""WSGI entry point for the bench site (gunicorn), like config/wsgi.py with bench settings."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.benchsite.settings")
application = get_wsgi_application()
