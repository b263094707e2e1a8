"""Settings for hct, read from the environment.

The embedded default needs nothing set: SQLite under var/, a generated development secret key,
console email. `HCT_ENV=production` switches on everything `manage.py check --deploy` asks for and
refuses to start without a real secret key and hosts.
"""

import hashlib
import os
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

SRC_DIR = Path(__file__).resolve().parent
BASE_DIR = SRC_DIR.parent.parent
VAR_DIR = Path(os.environ.get("HCT_VAR_DIR", BASE_DIR / "var"))
NODE_MODULES = Path(os.environ.get("HCT_NODE_MODULES", BASE_DIR / "node_modules"))
BUILD_DIR = Path(os.environ.get("HCT_BUILD_DIR", BASE_DIR / "build"))

ENV = os.environ.get("HCT_ENV", "development")
PRODUCTION = ENV == "production"


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from error


DEBUG = os.environ.get("HCT_DEBUG", "") == "1" and not PRODUCTION

if PRODUCTION:
    SECRET_KEY = os.environ.get("HCT_SECRET_KEY", "")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "HCT_SECRET_KEY must be set (50+ random characters) in production"
        )
    ALLOWED_HOSTS = env_list("HCT_ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("HCT_ALLOWED_HOSTS must name the hosts hct answers for")
else:
    # A fixed development key: the demo and tests hold no real personal data.
    SECRET_KEY = os.environ.get(
        "HCT_SECRET_KEY", "development-only-key-never-used-in-production-0123456789abcdef"
    )
    ALLOWED_HOSTS = env_list("HCT_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

CSRF_TRUSTED_ORIGINS = env_list("HCT_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "hct.core",
    "hct.places",
    "hct.partnership",
    "hct.people",
    "hct.directory",
    "hct.systemmap",
    "hct.journeys",
    "hct.conversations",
    "hct.commitments",
    "hct.flexibility",
    "hct.matching",
    "hct.learning",
    "hct.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A view that cannot reach the database or cache answers 503, not 500 (hct.core.availability).
    "hct.core.availability.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "hct.core.middleware.SessionTimeoutMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "hct.core.middleware.NoStoreForSignedInMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hct.urls"
WSGI_APPLICATION = "hct.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "hct.core.context_processors.service",
                "hct.partnership.context_processors.partnership_choice",
            ],
            "builtins": [
                "hct.core.templatetags.hct",
                "django.contrib.humanize.templatetags.humanize",
            ],
        },
    }
]
# Forms render with GOV.UK markup (label, hint, error message, input classes) from our templates.
FORM_RENDERER = "hct.core.forms.GovukFormRenderer"

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'hct.sqlite3'}",
        conn_max_age=env_int("HCT_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo's reader and writer work side by side; the timeout rides out short locks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiler spends over a second compiling the gap analysis's aggregates
    # and saves nothing on queries of this size: the service's queries run without it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# Test databases get a name of their own per checkout, so two checkouts on one server never collide.
_test_suffix = (
    os.environ.get("HCT_TEST_DB_SUFFIX")
    or hashlib.sha1(str(BASE_DIR).encode(), usedforsecurity=False).hexdigest()[:8]
)
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": f"test_hct_{_test_suffix}"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

_cache_url = os.environ.get("HCT_CACHE_URL", "")
if _cache_url.startswith("redis://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:sign-in"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:sign-in"

# Lockout: five failures for one account from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = env_int("HCT_AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_VERBOSE = False

# Sessions: idle timeout 30 minutes (refreshed by each request), absolute timeout 12 hours.
SESSION_COOKIE_AGE = env_int("HCT_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_SECONDS = env_int("HCT_SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Front-end packages come from npm at set-up (node_modules) and our compiled CSS from build/;
# only the files we serve are exposed, under their own prefixes.
STATICFILES_DIRS = [
    ("govuk", NODE_MODULES / "govuk-frontend" / "dist" / "govuk"),
    ("cytoscape", NODE_MODULES / "cytoscape" / "dist"),
    ("htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("hct", BUILD_DIR),
    SRC_DIR / "static",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

EMAIL_BACKEND = os.environ.get(
    "HCT_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("HCT_FROM_EMAIL", "hct@localhost")

# Security headers that apply everywhere.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie.

# Content Security Policy: our own origin only; no inline script or style. django-csp's NONCE is
# a sentinel (the string "'nonce'" would reach the browser as an invalid source): it becomes
# 'nonce-…' on a page whose template asks for request.csp_nonce, and is left out otherwise.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
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

if PRODUCTION:
    SECURE_SSL_REDIRECT = os.environ.get("HCT_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("HCT_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "hct.security": {"handlers": ["console"], "level": "INFO"},
        "axes": {"handlers": ["console"], "level": "WARNING"},
        "hct.jobs": {"handlers": ["console"], "level": "INFO"},
        # One line per request answered 503 because the database or cache was away.
        "hct.availability": {"handlers": ["console"], "level": "INFO"},
    },
}

# The service's own settings.
HCT_SERVICE_NAME = "Healthy Communities Together"
HCT_DEMO_PASSWORD = os.environ.get("HCT_DEMO_PASSWORD", "")
# Run background jobs in the request that queues them (tests; a deployment without `hct worker`).
HCT_JOBS_INLINE = os.environ.get("HCT_JOBS_INLINE", "") == "1"
# Background jobs are tasks of Django's task framework (django-tasks now, django.tasks from
# Django 6): "default" keeps them in the database for `hct worker`; "inline" runs them at once.
# A city that outgrows the database queue names an RQ or Celery backend here instead.
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "inline": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}
# A worker writes a heartbeat this often; a task whose worker has not beaten for the lease is
# taken back and run again (docs/jobs.md). Small enough that a killed worker's job restarts
# within 30 s; large enough that a busy database is not taken for a dead worker.
HCT_WORKER_BEAT_SECONDS = env_int("HCT_WORKER_BEAT_SECONDS", 3)
HCT_WORKER_LEASE_SECONDS = env_int("HCT_WORKER_LEASE_SECONDS", 15)
# What a 503 tells clients to wait before trying again while the database or cache is away.
HCT_RETRY_AFTER_SECONDS = env_int("HCT_RETRY_AFTER_SECONDS", 10)
# A job is tried at most this many times (a lost worker or an unreachable database each count
# one); between tries after a database error it waits HCT_JOBS_RETRY_SECONDS, doubled each time.
HCT_JOBS_MAX_ATTEMPTS = env_int("HCT_JOBS_MAX_ATTEMPTS", 5)
HCT_JOBS_RETRY_SECONDS = env_int("HCT_JOBS_RETRY_SECONDS", 5)

# Identity records (name, contact, address) are encrypted at rest with these Fernet keys, newest
# first: the newest encrypts, every one still decrypts until `hct manage rotate_identity_keys` has
# re-encrypted with the newest. Production refuses to start without them.
HCT_IDENTITY_KEYS = env_list("HCT_IDENTITY_KEYS")
if PRODUCTION and not HCT_IDENTITY_KEYS:
    raise ImproperlyConfigured(
        "HCT_IDENTITY_KEYS must be set in production: comma-separated Fernet keys, newest first "
        "(make one with: python -c 'from cryptography.fernet import Fernet; "
        "print(Fernet.generate_key().decode())')"
    )
if not HCT_IDENTITY_KEYS:
    # A fixed development key: the demo and tests hold no real identities.
    HCT_IDENTITY_KEYS = ["aGN0LWRldmVsb3BtZW50LW9ubHktaWRlbnRpdHkta3k="]
for _key in HCT_IDENTITY_KEYS:
    try:
        Fernet(_key)
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            "HCT_IDENTITY_KEYS holds something that is not a Fernet key (32 url-safe base64 bytes)"
        ) from error
# Erased people's ids, one a line, kept apart from the database so that `hct manage
# reapply_erasures` can erase them again after a restore from a backup taken before the erasure.
HCT_ERASURE_LEDGER = Path(os.environ.get("HCT_ERASURE_LEDGER", VAR_DIR / "erasures.jsonl"))
