"""WSGI entry point for gunicorn: `gunicorn soest_office.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "soest_office.settings")

application = get_wsgi_application()
