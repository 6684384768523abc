"""Settings of the benchmark: the project's settings, plus the bench URLconf (which mounts
the "limit" reference view) and plain static files storage (no collectstatic needed).

The database comes from DATABASE_URL, which bench.database sets before Django starts.
"""

from soest_office.settings import *  # noqa: F403
from soest_office.settings import STORAGES

ROOT_URLCONF = "bench.urls"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# The benchmark talks plain HTTP to 127.0.0.1 (test client, gunicorn + wrk).
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
