"""Settings for antt_portal, read from the environment (see README, "Configuration")."""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded defaults (SQLite, broker, mail) live here

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (production). "
            "For development, set DEBUG=1 to use the built-in development key."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
elif not DEBUG and (
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-")
):
    # The rule of Django's own `check --deploy` (security.W009), enforced instead of warned.
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak for production: use at least 50 random characters, e.g. from "
        "django.core.management.utils.get_random_secret_key()"
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "bootstrap",  # django-bootstrap-static: Bootstrap 5 CSS/JS served locally, no CDN
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "import_export",
    "treebeard",
    "simple_history",
    "antt_portal.login_protection.LoginProtectionConfig",  # django-axes, named in Vietnamese
    "csp",
    "units",
    "certification",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "antt_portal.middleware.VietnameseUnlessChosenMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Access is denied by default: every view needs a login unless marked login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "antt_portal.middleware.DatabaseBusyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "antt_portal.urls"
WSGI_APPLICATION = "antt_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "certification.context_processors.notifications",
                "certification.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'antt_portal.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a concurrent writer (web server and Celery worker share the file) instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # Take the write lock when a transaction begins: a second writer then waits for the first
    # (up to the timeout) and sees its result, instead of failing with "database is locked" when
    # it tries to upgrade a read lock. What still times out is shown as a lost race
    # (antt_portal.middleware.DatabaseBusyMiddleware).
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "units.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # login throttling
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True

# Internationalisation: Vietnamese first, English second; dates dd/mm/yyyy.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["antt_portal.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Production serves static files from WhiteNoise (compressed, with hashed names cached forever)
# after `collectstatic`; development reads them straight from the apps.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = (
    VAR_DIR / "media"
)  # outside the static root; served only through permission-checking views

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Content-Security-Policy: no inline script or style, no third-party host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "style-src": [SELF],
        "script-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}

SESSION_COOKIE_HTTPONLY = True
# Served over HTTPS in production (SITE_URL https, DEBUG off): secure cookies, HTTP redirected to
# HTTPS and HSTS for a year, each switchable through the environment.
_HTTPS = not DEBUG and SITE_URL.startswith("https")
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=_HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=_HTTPS)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if _HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=_HTTPS)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=_HTTPS)
# The health check is asked by the proxy or monitor over plain HTTP on the host itself.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]

# Behind a reverse proxy (nginx, a load balancer) every request comes from the proxy's address, so
# the login lockout (django-axes, which reads the address through django-ipware) would lock a
# username for everyone. PROXY_CLIENT_IP_HEADER names the header in which the proxy writes the
# client's address, as Django spells it: HTTP_X_REAL_IP with nginx's
# `proxy_set_header X-Real-IP $remote_addr;` (overwritten by the proxy, so a client cannot choose
# it). For an X-Forwarded-For chain (HTTP_X_FORWARDED_FOR) also set PROXY_COUNT, the number of
# addresses the proxies append after the client's. Setting it also trusts the proxy's
# X-Forwarded-Proto header for HTTPS. Never set it without such a proxy in front.
PROXY_CLIENT_IP_HEADER = env.str("PROXY_CLIENT_IP_HEADER", default="")
if PROXY_CLIENT_IP_HEADER:
    AXES_IPWARE_META_PRECEDENCE_ORDER = (PROXY_CLIENT_IP_HEADER, "REMOTE_ADDR")
    AXES_IPWARE_PROXY_ORDER = "right-most"
    AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=None)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)

# E-mail: by default every mail is written as a file under var/mail/ for developers to read.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default=f"filemail://{VAR_DIR / 'mail'}")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Cổng công nhận ANTT <no-reply@antt.local>"
)

# Celery: by default a file-system broker under var/ that needs no server; set CELERY_BROKER_URL
# to redis://… to use Redis. Results follow the broker unless CELERY_RESULT_BACKEND says otherwise.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
    _default_result_backend = f"file://{VAR_DIR / 'celery' / 'results'}"
else:
    # Acks-late: a task is acknowledged when it ends, so one taken by a worker that dies is given
    # back by Redis once it has been unacknowledged for the visibility timeout (checked every
    # unacked_restore_interval s). Above the longest task (a national sweep, about a minute), so
    # a running task is not handed out twice; a lost e-mail is re-published sooner by the drain.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("BROKER_VISIBILITY_TIMEOUT_SECONDS", default=180),
        "unacked_restore_interval": 10,
        "unacked_restore_throttle": 1,
    }
    _default_result_backend = CELERY_BROKER_URL
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=_default_result_backend)
CELERY_RESULT_EXPIRES = 3600
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # with acks-late: a worker holds only the task it runs
# A task keeps running through a broker outage (the sweep finishes its planning; the drain
# publishes what it could not).
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
CELERY_BEAT_SCHEDULE: dict = {}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Paging and upload limits
UNIT_LIST_PAGE_SIZE = 50
REGISTRATION_LIST_PAGE_SIZE = 50
# Long work leaves the request (issue 10): an export of more rows, or a bulk recommendation of
# more dossiers, runs in Celery with a progress page and, for an export, a download link.
EXPORT_BACKGROUND_ROWS = env.int("EXPORT_BACKGROUND_ROWS", default=20_000)
BULK_APPROVE_BACKGROUND_DOSSIERS = env.int("BULK_APPROVE_BACKGROUND_DOSSIERS", default=50)
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_MB", default=20) * 1024 * 1024
# Files one registration, or one dossier (evidence included), may hold.
UPLOAD_MAX_FILES = env.int("UPLOAD_MAX_FILES", default=40)
# Django refuses bigger request bodies with a 400 before the form can explain; let the form do it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_EXPORT_SKIP_ADMIN_ACTION_EXPORT_UI = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"

# Reminders and notifications (README, "Reminders and notifications"). The sweep runs daily at
# REMINDER_SWEEP_HOUR:REMINDER_SWEEP_MINUTE (Asia/Ho_Chi_Minh) and catches up any missed day; the
# outbox drain publishes what a broker outage or a dead worker held back. Recovery is bounded by
# these defaults (README, "Recovery settings"): an e-mail claimed by a dead worker is taken again
# within CLAIM_EXPIRY + DRAIN; one lost in the broker within REQUEUE_AFTER + DRAIN. A claim must
# outlast a send, a few SMTP round-trips of at most EMAIL_TIMEOUT each: the system check
# certification.E001 refuses a claim expiry below 3 × EMAIL_TIMEOUT.
REMINDER_SWEEP_HOUR = env.int("REMINDER_SWEEP_HOUR", default=7)
REMINDER_SWEEP_MINUTE = env.int("REMINDER_SWEEP_MINUTE", default=0)
REMINDER_CHUNK_SIZE = env.int("REMINDER_CHUNK_SIZE", default=500)
REMINDER_CATCH_UP_DAYS = env.int("REMINDER_CATCH_UP_DAYS", default=14)
REMINDER_CLAIM_EXPIRY_SECONDS = env.int("REMINDER_CLAIM_EXPIRY_SECONDS", default=45)
REMINDER_MAX_ATTEMPTS = env.int("REMINDER_MAX_ATTEMPTS", default=5)
REMINDER_RETRY_BACKOFF_SECONDS = env.int("REMINDER_RETRY_BACKOFF_SECONDS", default=60)
OUTBOX_DRAIN_SECONDS = env.int("OUTBOX_DRAIN_SECONDS", default=5)
OUTBOX_REQUEUE_AFTER_SECONDS = env.int("OUTBOX_REQUEUE_AFTER_SECONDS", default=20)
OUTBOX_PUBLISH_TIMEOUT_SECONDS = env.int("OUTBOX_PUBLISH_TIMEOUT_SECONDS", default=2)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# Tests give their worker a queue of its own; production keeps Celery's default.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_BEAT_SCHEDULE["reminder-sweep"] = {
    "task": "certification.sweep_reminders",
    "schedule": crontab(hour=REMINDER_SWEEP_HOUR, minute=REMINDER_SWEEP_MINUTE),
}
CELERY_BEAT_SCHEDULE["drain-outbox"] = {
    "task": "certification.drain_outbox",
    "schedule": float(OUTBOX_DRAIN_SECONDS),
}
NOTIFICATION_LIST_PAGE_SIZE = 30
_mail_url = env.str("EMAIL_URL", default=f"filemail://{VAR_DIR / 'mail'}")
if _mail_url.startswith("filemail:///"):
    # django-environ reads filemail:///abs/path as the relative "abs/path": anchor it at the root,
    # so the mails land in var/mail/ (README) whatever the working directory.
    EMAIL_FILE_PATH = "/" + EMAIL_CONFIG["EMAIL_FILE_PATH"].lstrip("/")
