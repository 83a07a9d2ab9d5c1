"""Settings for the mentorship platform.

Every value comes from the environment through the small helpers in core/env.py, with defaults that are
safe for development. Production differs from development by environment variables only; the
README lists them all.
"""

from email.utils import getaddresses
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DEV_DATA_DIR = BASE_DIR / ".devdata"

DEBUG = env_bool("DEBUG", True)

_DEV_SECRET_KEY = "dev-only-insecure-secret-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "core.apps.CoreConfig",
    "accounts.apps.AccountsConfig",
    "mentorship.apps.MentorshipConfig",
    "sessions.apps.SessionsConfig",
    "privacy.apps.PrivacyConfig",
    "reporting.apps.ReportingConfig",
    "billing.apps.BillingConfig",
    "progress.apps.ProgressConfig",
    "overview.apps.OverviewConfig",
    "sponsors.apps.SponsorsConfig",
    "demo.apps.DemoConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.AdminMFAMiddleware",  # needs messages and the signed-in user
    "core.middleware.MethodNotAllowedPageMiddleware",  # its page has the language and the user
    "core.middleware.RejectNulBytesMiddleware",  # last: its 404 page has the language and the user
]

ROOT_URLCONF = "mentorship.urls"
WSGI_APPLICATION = "mentorship.wsgi.application"
ASGI_APPLICATION = "mentorship.asgi.application"

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
            ],
        },
    },
]

# PostgreSQL only. The README's commands export DATABASE_URL for an embedded server when none
# is configured, so there is no fallback here on purpose.
_database_url = env_str("DATABASE_URL")
if not _database_url:
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Use `make run` / `make test`, which start an embedded "
        "PostgreSQL, or point DATABASE_URL at a PostgreSQL server."
    )
# With persistent connections (DB_CONN_MAX_AGE > 0), each request first checks that its connection
# still works: after a PostgreSQL restart a worker's first request would otherwise answer 500.
DATABASES = {
    "default": dj_database_url.parse(_database_url, conn_max_age=env_int("DB_CONN_MAX_AGE", 0), conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL (postgres://...)")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Seconds to wait for Redis (the cache and the Celery broker) to connect or to answer before
# treating it as down: a frozen Redis then costs a request this long once, never a hung worker.
REDIS_TIMEOUT_SECONDS = env_float("REDIS_TIMEOUT_SECONDS", 1.0)
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    # Rate limits and other expendable values; without Redis it behaves as an empty cache and
    # logs a warning (core/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "core.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT_SECONDS, "socket_timeout": REDIS_TIMEOUT_SECONDS},
        }
    }
else:
    # Per-process cache: fine for one development process, not for production (rate limits
    # would not be shared between gunicorn workers). Production sets REDIS_URL.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions live in PostgreSQL only: one primary-key read per request, and nothing that Redis
# going down, or coming back from an old snapshot, can break or bring back (README, REDIS_URL).
SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "overview:home"

# django-allauth
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Mentorship] "
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupExtraForm"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"  # emails in the recipient's language
ACCOUNT_RATE_LIMITS = {
    # Five failed logins per account and IP in five minutes; the sixth attempt is refused.
    "login_failed": "5/5m/ip,5/5m/key",
    "signup": "20/h/ip",
    "reset_password": "20/h/ip,5/h/key",
    "reset_password_from_key": "20/h/ip",
    "confirm_email": "3/3m/key",
    "change_password": "5/m/user",
}
# Two-factor authentication (allauth.mfa): TOTP apps plus recovery codes. Consultancy admins see
# every client's data, so they must have TOTP before they can use the app (AdminMFAMiddleware).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_ADAPTER = "accounts.mfa.MFAAdapter"  # two-factor secrets encrypted at rest
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", "Mentorship")
REQUIRE_ADMIN_MFA = env_bool("REQUIRE_ADMIN_MFA", True)
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"

LANGUAGE_CODE = env_str("LANGUAGE_CODE", "sv")
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and times per language ("fre 4 dec. 09:00", "Fri 4 Dec, 09:00"), with our own named formats.
FORMAT_MODULE_PATH = ["mentorship.formats"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True
# Shown to people without a time zone of their own (anonymous visitors).
DEFAULT_USER_TIME_ZONE = env_str("DEFAULT_USER_TIME_ZONE", "Europe/Stockholm")

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env_str(
            "STATICFILES_BACKEND",
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# Email. Development prints emails to the console unless EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Mentorship <noreply@mentorship.example>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)

# Celery. Without CELERY_BROKER_URL, kombu's filesystem transport in a git-ignored folder is
# used, so development delivers background work without Redis (the run command starts a
# worker and beat). Production sets CELERY_BROKER_URL=redis://...
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or "filesystem://"
CELERY_BROKER_DIR = Path(env_str("CELERY_BROKER_DIR", str(DEV_DATA_DIR / "celery-broker")))
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
        # Without these a frozen broker holds a publish (and the request queueing it) for ever.
        "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
        "socket_timeout": REDIS_TIMEOUT_SECONDS,
        # Connecting for a publish: one try, not retries for CELERY_BROKER_CONNECTION_TIMEOUT (4 s).
        # A publish that fails runs its task in-process (core/queueing.py); beat and the
        # worker's own connections keep their own retry policies.
        "max_retries": 0,
    }
CELERY_RESULT_BACKEND = None  # nothing reads task results: no second Redis client to time out
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 60)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 90)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BEAT_SCHEDULE_FILENAME = env_str("CELERY_BEAT_SCHEDULE_FILENAME", str(DEV_DATA_DIR / "celerybeat-schedule"))
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {
        "task": "mentorship.tasks.record_heartbeat",
        "schedule": env_int("CELERY_HEARTBEAT_SECONDS", 300),
    },
    "reminder-sweep": {
        "task": "sessions.reminder_sweep",
        "schedule": env_int("REMINDER_SWEEP_SECONDS", 300),
    },
    "health-refresh": {
        "task": "reporting.refresh_health",
        "schedule": env_int("HEALTH_REFRESH_SECONDS", 120),
    },
    "outbox-sweep": {
        "task": "core.outbox_sweep",
        "schedule": env_int("OUTBOX_SWEEP_SECONDS", 60),
    },
    "busy-calendars-refresh": {
        "task": "sessions.refresh_busy_calendars",
        "schedule": env_int("BUSY_CALENDAR_REFRESH_SECONDS", 900),
    },
}

# Security. Secure defaults follow DEBUG; each can be overridden from the environment.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY") else None
# Behind a reverse proxy the client's address is in X-Forwarded-For, not REMOTE_ADDR (the proxy's).
# The number of proxies of ours that append to it; allauth's per-IP limits (logins, signups,
# password resets, the contact form) then key on the address the outermost of them saw. 0 (no
# proxy) ignores the header, which anyone can send.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("ALLAUTH_TRUSTED_PROXY_COUNT", 0)
# Only for a proxy that sets X-Forwarded-Host itself; ours pass the Host header through.
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
LANGUAGE_COOKIE_SECURE = env_bool("LANGUAGE_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sent on HTML pages by mentorship.middleware.SecurityHeadersMiddleware. No inline scripts or
# styles anywhere (Django's admin included); an empty variable keeps this default.
CONTENT_SECURITY_POLICY = env_str("CONTENT_SECURITY_POLICY") or (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)

# Encryption at rest for notes, reflections and two-factor secrets: Fernet keys, newest first
# (see core/crypto.py). Development without the variable uses a key generated once into
# .devdata/notes.key; production must set it.
NOTES_ENCRYPTION_KEYS = env_list("NOTES_ENCRYPTION_KEYS")
if not NOTES_ENCRYPTION_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured("NOTES_ENCRYPTION_KEYS must be set when DEBUG is off")
    _key_file = DEV_DATA_DIR / "notes.key"
    if not _key_file.exists():
        from cryptography.fernet import Fernet

        _key_file.parent.mkdir(parents=True, exist_ok=True)
        _key_file.write_bytes(Fernet.generate_key())
        _key_file.chmod(0o600)
    NOTES_ENCRYPTION_KEYS = [_key_file.read_text().strip()]

# Product rules: mentorship/product_settings.py
from mentorship.product_settings import *  # noqa: E402, F403

# A reminder or one-off email claimed by a sender that vanished (killed worker), or whose queued
# message was lost, is handed to a new attempt after this long (see core/claims.py). Longer than
# any attempt can live, or a slow sender could be taken over and its email sent twice.
REMINDER_CLAIM_TIMEOUT_SECONDS = env_int("REMINDER_CLAIM_TIMEOUT_SECONDS", 900)
OUTBOX_CLAIM_TIMEOUT_SECONDS = env_int("OUTBOX_CLAIM_TIMEOUT_SECONDS", 900)
for _name, _seconds in [
    ("REMINDER_CLAIM_TIMEOUT_SECONDS", REMINDER_CLAIM_TIMEOUT_SECONDS),
    ("OUTBOX_CLAIM_TIMEOUT_SECONDS", OUTBOX_CLAIM_TIMEOUT_SECONDS),
]:
    if _seconds <= CELERY_TASK_TIME_LIMIT:
        raise ImproperlyConfigured(
            f"{_name} must be longer than CELERY_TASK_TIME_LIMIT ({CELERY_TASK_TIME_LIMIT} s): "
            "a claim may expire only once the task that holds it has certainly ended"
        )

# Logs go to stderr: one line per event, plain text or (LOG_FORMAT=json) one JSON object per line
# for a log collector. They say what happened (ids, times, kinds), never what people wrote.
LOG_FORMAT = env_str("LOG_FORMAT", "plain").strip().lower()
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "core.logging.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
# Celery workers and beat log through the handler above too (same format) instead of replacing it.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Error reporting: with ADMINS set (and SMTP configured), Django mails the traceback of every
# server error to them. ADMINS="Ops <ops@example.net>,dev@example.net". The filter below hides
# local variables and POST values that could hold notes, reflections or comments.
ADMINS = []
for _name, _address in getaddresses([env_str("ADMINS")]):
    if not _name and not _address:
        continue
    if "@" not in _address:
        raise ImproperlyConfigured(f"ADMINS must be email addresses like 'Ops <ops@example.net>', got {_address!r}")
    ADMINS.append((_name, _address))
DEFAULT_EXCEPTION_REPORTER_FILTER = "core.logging.NoteSafeExceptionReporterFilter"

# Health probes (/healthz) come over plain HTTP from the load balancer or container runtime.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
