"""Settings of the Soest project-office intranet.

Every value comes from the environment (or a `.env` file beside manage.py), read once here.
Unset values give the embedded default (SQLite, in-process tasks, local-memory cache);
`DATABASE_URL`, `REDIS_URL` and `EMAIL_URL` switch to the production services.
See `.env.example` for the full list.
"""

import datetime
import sys
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Like healthchecks' and Zulip's TESTING flag: pytest imports settings before any conftest
# could set the environment, so the test run is recognised here.
TESTING = "pytest" in sys.modules

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "django-insecure-only-for-development-and-tests"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY ist nicht gesetzt. Im Produktivbetrieb (DEBUG=false) ist ein langer, "
            "zufälliger SECRET_KEY Pflicht, z. B. aus "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The public base URL used in e-mails, feeds and calendar links sent out of the request cycle.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "soest_office",
    "projects",
    "stakeholders",
    "news",
    "subscriptions",
    "participation",
    "meetings",
]

MIDDLEWARE = [
    # First: every log line of the request, and the 500 page, carry its reference.
    "soest_office.middleware.RequestIdMiddleware",
    "soest_office.middleware.CacheScopeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "soest_office.middleware.PermissionsPolicyMiddleware",
    # CORS and the licence link for the open-data API (/api/ only).
    "soest_office.middleware.OpenDataMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "soest_office.middleware.SessionRenewalMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Default-deny: every view needs a login unless marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "soest_office.urls"
WSGI_APPLICATION = "soest_office.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "soest_office.context_processors.roles",
                "soest_office.context_processors.inbox",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the in-process tasks and the dev server read while another request writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int(
        "DATABASE_CONNECT_TIMEOUT", default=5
    )
    # No JIT: it compiles every query whose estimated cost is high, and the search's
    # per-row scope checks are estimated high while they run in milliseconds; at benchmark
    # scale the JIT took 2.7 s for a 30 ms search. Intranet queries are short (OLTP).
    DATABASES["default"]["OPTIONS"]["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache, sessions, Celery ---------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "soest_office.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "soest",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Parts of the page frame that depend only on the code, the role and the section (the
# navigation, the footer: base.html's `{% cache ... using="fragments" %}`), kept in each
# process's memory: about a third of every logged-in page's rendering was reversing their
# URLs. Never shared between processes, so a deploy starts afresh. Also each process's copy
# of cached content under the generations' state it was made in (soest_office.caching
# .read_in_generations), which never changes.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "TIMEOUT": None,
    "OPTIONS": {"MAX_ENTRIES": 1000},
}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Without Redis the tasks run in-process, so `make run` needs no worker.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_RESULT_EXPIRES = 3600
CELERY_TIMEZONE = "Europe/Berlin"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis redelivers an unacknowledged task after the visibility timeout: keep it far above
# the hard time limit so a long task is never run twice while still running.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 4 * 3600}
# Periodic jobs (celery beat). Each app adds its entries below its own comment line.
CELERY_BEAT_SCHEDULE: dict = {
    # projects:
    # Plain intervals (seconds): every job is idempotent per day/period/week, so the exact
    # hour does not matter and settings need no celery import.
    "projects-reminders": {"task": "projects.tasks.send_reminders", "schedule": 6 * 3600},
    "projects-weekly-digest": {"task": "projects.tasks.send_weekly_digests", "schedule": 3600},
    # (The six-hourly transparency file job is gone: /projekte/transparenz/ and /api/v1/ are
    # built on each request, issue 18.)
    # stakeholders:
    "stakeholders-flag-retention-due": {
        "task": "stakeholders.tasks.flag_retention_due",
        "schedule": 24 * 3600,
    },
    # news:
    # Scans the database for due scheduled releases (never a long ETA in the broker).
    "news-publish-due": {"task": "news.tasks.publish_due_releases", "schedule": 30.0},
    # Re-queues press deliveries stuck in "queued"/"sending" (worker killed mid-batch).
    "news-reconcile-deliveries": {"task": "news.tasks.reconcile_deliveries", "schedule": 120.0},
    # soest_office:
    # Applies every retention policy (soest_office.retention; periods RETENTION_* above).
    "soest_office-retention": {"task": "soest_office.tasks.apply_retention", "schedule": 24 * 3600},
    # Deletes background exports (funder report, Auskunft PDF) and their files after
    # EXPORT_JOB_MAX_AGE.
    "soest_office-export-jobs-cleanup": {
        "task": "soest_office.tasks.export_jobs_cleanup",
        "schedule": 3600.0,
    },
    # subscriptions:
    # Deletes subscription requests older than 7 days (unconfirmed ones above all).
    "subscriptions-cleanup-requests": {
        "task": "subscriptions.tasks.cleanup_requests",
        "schedule": 6 * 3600,
    },
    # Fans out releases whose fan-out task got lost (the signal queues it at once).
    "subscriptions-fanout-recent": {
        "task": "subscriptions.tasks.fanout_recent_releases",
        "schedule": 300.0,
    },
    # The weekly overview: hourly check, composed once per week after the configured time
    # (so a beat that was down on Monday catches up).
    "subscriptions-weekly-digest": {
        "task": "subscriptions.tasks.compose_weekly_digests",
        "schedule": 3600.0,
    },
    "subscriptions-reconcile-digests": {
        "task": "subscriptions.tasks.reconcile_digests",
        "schedule": 600.0,
    },
    # participation:
    # Deletes unconfirmed contributions and supports after 7 days; removes the addresses of
    # contributions a set time after their participation ended (the text stays, anonymous).
    "participation-retention": {
        "task": "participation.tasks.apply_retention",
        "schedule": 6 * 3600,
    },
    # meetings:
    # Re-queues invitation mails stuck in "sending" (worker killed mid-batch).
    "meetings-reconcile-invitations": {
        "task": "meetings.tasks.reconcile_invitations",
        "schedule": 300.0,
    },
    # Reminds the owners of overdue action items once per item (idempotent).
    "meetings-overdue-reminders": {
        "task": "meetings.tasks.remind_overdue_action_items",
        "schedule": 6 * 3600,
    },
}

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "soest_office.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the role and municipality with the user (one query).
    # Sessions made under django.contrib.auth.backends.ModelBackend end with this change.
    "soest_office.backends.ModelBackend",
]
LOGIN_URL = "soest_office:login"
LOGIN_REDIRECT_URL = "soest_office:home"
LOGOUT_REDIRECT_URL = "soest_office:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 3 * 3600

# Throttle per (username, IP), never per IP alone, so nobody can lock a colleague out.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_VERBOSE = False

# Sessions end after a period of inactivity (sliding), and on password change (Django default).
# The expiry is renewed at most every SESSION_RENEW_SECONDS (a write per request otherwise:
# soest_office.middleware.SessionRenewalMiddleware); the tests renew on every request.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=8 * 3600)
SESSION_RENEW_SECONDS = env.int("SESSION_RENEW_SECONDS", default=60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Security headers -----------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# Production transport security; tests talk plain HTTP to the test client and live server.
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    if env.bool("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /healthz is probed over plain HTTP by load balancers and monitoring.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# No inline script anywhere: scripts come from static/ only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch")]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Uploads are never served from a public media URL: downloads go through permission-checked
# views, so MEDIA_URL points nowhere public.
MEDIA_URL = "/nicht-oeffentlich/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Background exports (funder report, Auskunft PDF) are kept this long, then deleted with
# their files by the beat task soest_office.tasks.export_jobs_cleanup.
EXPORT_JOB_MAX_AGE = datetime.timedelta(hours=env.int("EXPORT_JOB_MAX_AGE_HOURS", default=24))

# --- E-mail ---------------------------------------------------------------------------------
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default=_email["EMAIL_BACKEND"])
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(BASE_DIR / "tmp" / "mail"))
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Projektbüro Digitale Modellregion <projektbuero@soest.de>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where the office receives mail from the site (accessibility feedback, alerts).
OFFICE_EMAIL = env.str("OFFICE_EMAIL", default="projektbuero@soest.de")

# --- Forms ----------------------------------------------------------------------------------
# Django's templates, with <select> elements built in Python (see the module).
FORM_RENDERER = "soest_office.forms_renderer.FormRenderer"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# German error pages in the site's layout (soest_office/errors.py; 400-500 in urls.py).
CSRF_FAILURE_VIEW = "soest_office.errors.csrf_failure"

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "soest_office.middleware.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

if TESTING:
    # Fast hashing keeps the suite quick; nothing here is a real password.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- Aufbewahrung: how long personal data is kept (all periods here, in days) ------------
# Each period belongs to a RetentionPolicy in an app's retention.py; the beat job
# "soest_office-retention" applies them daily. The legal reason of each: docs/aufbewahrung.md.
# IP addresses in the security log (AuditEvent): removed, the entry itself stays.
RETENTION_AUDIT_IP_DAYS = env.int("RETENTION_AUDIT_IP_DAYS", default=90)
# Accessibility feedback (the public form): deleted.
RETENTION_ACCESSIBILITY_FEEDBACK_DAYS = env.int(
    "RETENTION_ACCESSIBILITY_FEEDBACK_DAYS", default=730
)
# Delivery records of press mailings: recipient (contact, address, name, error) removed,
# the row stays as a count of the mailing.
RETENTION_NEWS_DELIVERY_DAYS = env.int("RETENTION_NEWS_DELIVERY_DAYS", default=365)
# Weekly overview mails of subscriptions: deleted.
RETENTION_DIGEST_MAIL_DAYS = env.int("RETENTION_DIGEST_MAIL_DAYS", default=365)
for _name in (
    "RETENTION_AUDIT_IP_DAYS",
    "RETENTION_ACCESSIBILITY_FEEDBACK_DAYS",
    "RETENTION_NEWS_DELIVERY_DAYS",
    "RETENTION_DIGEST_MAIL_DAYS",
):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} muss mindestens 1 (Tag) sein.")

# --- App settings (each app adds its own below its line) -----------------------------------
# soest_office:
# Public accessibility feedback form: at most this many reports per client IP and window.
ACCESSIBILITY_FEEDBACK_LIMIT = env.int("ACCESSIBILITY_FEEDBACK_LIMIT", default=5)
ACCESSIBILITY_FEEDBACK_WINDOW_SECONDS = 3600
# TOTP second factor: issuer shown in the authenticator app; a pending login (password
# checked, code not yet entered) expires after this many seconds.
OTP_TOTP_ISSUER = "Projektbüro Modellregion Soest"
OTP_PENDING_LOGIN_SECONDS = 300
# Invitations by e-mail (soest_office.accounts): how long the signed link is valid.
INVITATION_MAX_AGE_HOURS = env.int("INVITATION_MAX_AGE_HOURS", default=72)
# The inbox count of the navigation is kept per user until a row it counts is written, and
# at most this long (what falls due by the clock alone; the /aufgaben/ page is live).
INBOX_COUNT_CACHE_SECONDS = env.int("INBOX_COUNT_CACHE_SECONDS", default=60)

# projects:
# A project without an accepted report for this many days is flagged and its contacts reminded.
PROJECTS_REPORT_INTERVAL_DAYS = env.int("PROJECTS_REPORT_INTERVAL_DAYS", default=90)
# Warn when a funding period ends within this many days with money still undrawn.
PROJECTS_UNDRAWN_WARNING_DAYS = env.int("PROJECTS_UNDRAWN_WARNING_DAYS", default=90)
PROJECTS_PAGE_SIZE = env.int("PROJECTS_PAGE_SIZE", default=25)
# The office is reminded of a Verwendungs- or Zwischennachweis this many days before it is due
# (by the beat task projects.tasks.send_reminders).
PROJECTS_PROOF_REMINDER_DAYS = env.int("PROJECTS_PROOF_REMINDER_DAYS", default=30)
# Weekday (0 = Monday) from which the weekly digest of the week is sent.
PROJECTS_DIGEST_WEEKDAY = env.int("PROJECTS_DIGEST_WEEKDAY", default=0)

# stakeholders:
# Contact imports: size and row limits; files with more rows than the sync limit run in a
# Celery worker with a progress page.
STAKEHOLDERS_IMPORT_MAX_BYTES = env.int("STAKEHOLDERS_IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
STAKEHOLDERS_IMPORT_MAX_ROWS = env.int("STAKEHOLDERS_IMPORT_MAX_ROWS", default=50_000)
STAKEHOLDERS_IMPORT_SYNC_ROWS = env.int("STAKEHOLDERS_IMPORT_SYNC_ROWS", default=2000)

# news:
# Four-eyes rule: an author may not approve their own release (unless the office has one
# member only). Switch off only where the office is a single person by design.
NEWS_FOUR_EYES = env.bool("NEWS_FOUR_EYES", default=True)
# A scheduled release this long past its time is "overdue": /healthz fails, the office is warned.
NEWS_OVERDUE_GRACE_SECONDS = env.int("NEWS_OVERDUE_GRACE_SECONDS", default=300)
NEWS_IMAGE_MAX_BYTES = env.int("NEWS_IMAGE_MAX_BYTES", default=8 * 1024 * 1024)
NEWS_PAGE_SIZE = 10
# Press mailings: recipients per task (one SMTP connection each), retries of temporary errors.
NEWS_BATCH_SIZE = env.int("NEWS_BATCH_SIZE", default=50)
NEWS_MAX_ATTEMPTS = env.int("NEWS_MAX_ATTEMPTS", default=6)
NEWS_RETRY_BASE_SECONDS = env.int("NEWS_RETRY_BASE_SECONDS", default=30)  # doubles per try
# A delivery claimed ("sending") this long ago by a worker that never finished it is handed
# back to the queue by the reconciler; far above one SMTP handover (EMAIL_TIMEOUT).
NEWS_DELIVERY_STALE_SECONDS = env.int("NEWS_DELIVERY_STALE_SECONDS", default=600)

# subscriptions:
# Double opt-in: the confirmation link expires after this many hours; requests are deleted
# after this many days. Rate limits: submissions per IP per hour, mails per address per day.
SUBSCRIPTIONS_CONFIRM_HOURS = env.int("SUBSCRIPTIONS_CONFIRM_HOURS", default=48)
SUBSCRIPTIONS_REQUEST_RETENTION_DAYS = env.int("SUBSCRIPTIONS_REQUEST_RETENTION_DAYS", default=7)
SUBSCRIPTIONS_RATE_PER_IP = env.int("SUBSCRIPTIONS_RATE_PER_IP", default=10)
SUBSCRIPTIONS_MAILS_PER_ADDRESS = env.int("SUBSCRIPTIONS_MAILS_PER_ADDRESS", default=3)
# Bots submit at once; people need a few seconds for the form.
SUBSCRIPTIONS_MIN_FILL_SECONDS = env.int("SUBSCRIPTIONS_MIN_FILL_SECONDS", default=3)
# Releases published within this window reach "at once" subscribers (older corrections don't).
SUBSCRIPTIONS_FANOUT_WINDOW_HOURS = env.int("SUBSCRIPTIONS_FANOUT_WINDOW_HOURS", default=48)
# The weekly overview goes out from this weekday (0 = Monday) and hour on, once per week.
SUBSCRIPTIONS_DIGEST_WEEKDAY = env.int("SUBSCRIPTIONS_DIGEST_WEEKDAY", default=0)
SUBSCRIPTIONS_DIGEST_HOUR = env.int("SUBSCRIPTIONS_DIGEST_HOUR", default=7)

# participation:
# Confirmation links (contribution, support) expire after this many hours; unconfirmed rows
# are deleted after PARTICIPATION_UNCONFIRMED_DAYS; the addresses of contributions are removed
# PARTICIPATION_ADDRESS_RETENTION_DAYS after the participation ended. Rate limits: submissions
# per IP per hour, mails per address per day. Texts longer than the limit are refused.
PARTICIPATION_CONFIRM_HOURS = env.int("PARTICIPATION_CONFIRM_HOURS", default=48)
PARTICIPATION_UNCONFIRMED_DAYS = env.int("PARTICIPATION_UNCONFIRMED_DAYS", default=7)
PARTICIPATION_ADDRESS_RETENTION_DAYS = env.int("PARTICIPATION_ADDRESS_RETENTION_DAYS", default=90)
PARTICIPATION_RATE_PER_IP = env.int("PARTICIPATION_RATE_PER_IP", default=10)
PARTICIPATION_MAILS_PER_ADDRESS = env.int("PARTICIPATION_MAILS_PER_ADDRESS", default=5)
PARTICIPATION_MIN_FILL_SECONDS = env.int("PARTICIPATION_MIN_FILL_SECONDS", default=5)
PARTICIPATION_TEXT_MAX = env.int("PARTICIPATION_TEXT_MAX", default=4000)
