"""Settings read from the environment, with embedded defaults that run on a laptop.

Embedded defaults: SQLite under var/, Celery on the filesystem transport under var/,
console email. Production sets DATABASE_URL, REDIS_URL, EMAIL_URL and DJANGO_SECRET_KEY.
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MILESTONES_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production-0123456789"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("MILESTONES_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Bench mode (set by `make bench` only) serves the benchmark's floor view at /bench/floor/.
BENCH_MODE = env_bool("MILESTONES_BENCH", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "milestones_site.web",
    "milestones_site.api",
    "projects",
    "deliverables",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "milestones_site.web.accounts.IdleTimeoutMiddleware",
    "projects.web.middleware.CurrentWorkspaceMiddleware",
    "notifications.web.middleware.PersonalTimezoneMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "milestones_site.urls"
WSGI_APPLICATION = "milestones_site.wsgi.application"

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
                "milestones_site.web.context_processors.limits",
                "projects.web.context_processors.workspace_switcher",
                "notifications.web.context_processors.unread_notifications",
            ],
        },
    },
]

# Database -------------------------------------------------------------------------------
SQLITE_PATH = VAR_DIR / "milestones.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{SQLITE_PATH}"),
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the Celery worker write the same file at once: WAL lets readers
    # run beside a writer, IMMEDIATE takes the write lock up front (no upgrade deadlock),
    # and the timeout makes a writer wait instead of failing with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests use a file, not memory, so that a real Celery worker process started by the
    # notification tests can share the test database; one file per test run.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache ----------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")


def redis_cache(url: str) -> dict:
    """The Django cache on the Redis at `url`.

    It fails open: with Redis unreachable a read is a miss and a write is dropped (and
    logged), so pages render afresh, sessions come from the database and the API throttle
    lets requests through instead of answering 500."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
        },
    }


DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# With Redis shared by every process, sessions are read from it and written through to the
# database; a per-process memory cache could keep a signed-out session alive elsewhere.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)
# django-axes first: it refuses a locked-out sign-in before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "notifications.web.auth.PreferenceLoadingBackend",
]

# Celery ---------------------------------------------------------------------------------
CELERY_BROKER_DIR = VAR_DIR / "broker"
REDIS_BROKER_TRANSPORT_OPTIONS = {
    # Longer than any task's hard time limit, so a slow task is never delivered twice.
    "visibility_timeout": 3600,
    # Publishing after a commit retries a refused connection once, quickly: when the broker
    # is down the save goes on and the outbox sweep publishes later (notifications.tasks).
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
}
# The host names nothing for the filesystem transport; without one kombu logs that it fell
# back to "localhost" whenever it describes the connection.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL or "filesystem://localhost")


def filesystem_broker_options(folder: Path) -> dict:
    """Transport options of a filesystem broker kept under `folder` (created here)."""
    for sub in ("queue", "processed", "control"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return {
        # The exchange tables too (kombu's default is ./control, beside the code).
        "control_folder": str(folder / "control"),
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "store_processed": False,
        # kombu sleeps this long whenever it has no message to hand over, which includes
        # every time the worker's prefetch slots are full: its 1 s default let the worker
        # take about two messages a second.
        "polling_interval": 0.05,
    }


if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_broker_options(CELERY_BROKER_DIR)
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = REDIS_BROKER_TRANSPORT_OPTIONS
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
# Webhooks may not target private or loopback addresses unless this is on (tests, local dev).
MILESTONES_WEBHOOK_ALLOW_PRIVATE = env_bool("MILESTONES_WEBHOOK_ALLOW_PRIVATE", False)
# How long the outbox sweep leaves a fresh event to the normal after-commit path.
MILESTONES_OUTBOX_GRACE_SECONDS = int(os.environ.get("MILESTONES_OUTBOX_GRACE_SECONDS", "30"))
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# Email ----------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Milestones <milestones@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_URL = os.environ.get("EMAIL_URL", "")
if EMAIL_URL:
    _email = urlsplit(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or 25
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_TLS = _email.scheme == "smtp+tls"
    EMAIL_USE_SSL = _email.scheme == "smtps"
else:
    EMAIL_BACKEND = os.environ.get(
        "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
    )
    EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10

# Auth, i18n, static ---------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "projects:dashboard"
LOGOUT_REDIRECT_URL = "login"
# A signed-in session ends after this long without a request (milestones_site.web.accounts).
SESSION_IDLE_TIMEOUT_MINUTES = int(os.environ.get("SESSION_IDLE_TIMEOUT_MINUTES", "480"))
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_MINUTES * 60

# Failed sign-ins (django-axes): after SIGNIN_FAILURE_LIMIT failures for one account, or from
# one client address, sign-in is refused there for SIGNIN_LOCKOUT_MINUTES (a reset password
# lifts an account's lock). Counted in the database, so it holds with Redis down too.
SIGNIN_FAILURE_LIMIT = int(os.environ.get("SIGNIN_FAILURE_LIMIT", "5"))
SIGNIN_LOCKOUT_MINUTES = int(os.environ.get("SIGNIN_LOCKOUT_MINUTES", "15"))
# Proxies in front of the site that append to X-Forwarded-For (0: clients connect directly).
SIGNIN_TRUSTED_PROXIES = int(os.environ.get("SIGNIN_TRUSTED_PROXIES", "0"))
AXES_FAILURE_LIMIT = SIGNIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = SIGNIN_LOCKOUT_MINUTES / 60
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "milestones_site.web.accounts.client_address"
AXES_LOCKOUT_CALLABLE = "milestones_site.web.accounts.locked_out"
AXES_VERBOSE = False  # no banner on every manage.py command; lockouts are still logged

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Proof files (deliverable versions and their previews) ----------------------------------
# Kept in the "proofs" storage, never in a public folder: the app serves them after its
# permission checks, from a folder under var/ ("local") or, from an S3-compatible object
# store ("s3"), through signed URLs that expire.


def proof_storage() -> dict:
    """The "proofs" storage the environment asks for (tests call it again after changing
    the environment, to configure themselves exactly as a worker process would be)."""
    kind = os.environ.get("MILESTONES_FILE_STORAGE", "local")
    if kind == "local":
        location = Path(os.environ.get("MILESTONES_FILES_DIR", VAR_DIR / "files"))
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location), "base_url": None},
        }
    if kind == "s3":
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": os.environ.get("MILESTONES_S3_BUCKET", "milestones-proofs"),
                "endpoint_url": os.environ.get("MILESTONES_S3_ENDPOINT_URL") or None,
                "region_name": os.environ.get("MILESTONES_S3_REGION", "us-east-1"),
                "access_key": os.environ.get("MILESTONES_S3_ACCESS_KEY_ID", ""),
                "secret_key": os.environ.get("MILESTONES_S3_SECRET_ACCESS_KEY", ""),
                "addressing_style": os.environ.get("MILESTONES_S3_ADDRESSING_STYLE", "path"),
                "signature_version": "s3v4",
                "querystring_auth": True,
                "querystring_expire": int(os.environ.get("MILESTONES_S3_URL_EXPIRES", "300")),
                "file_overwrite": False,
                "default_acl": None,
            },
        }
    raise ImproperlyConfigured("MILESTONES_FILE_STORAGE must be local or s3.")


STORAGES["proofs"] = proof_storage()
# The largest single file, and what all of a workspace's files may take together.
MILESTONES_UPLOAD_MAX_BYTES = int(os.environ.get("MILESTONES_UPLOAD_MAX_BYTES", 200 * 2**20))
MILESTONES_WORKSPACE_QUOTA_BYTES = int(
    os.environ.get("MILESTONES_WORKSPACE_QUOTA_BYTES", 20 * 2**30)
)

# REST API v1 (the REST layer: milestones_site/api/) -------------------------------------
# Bearer tokens first: their WWW-Authenticate challenge makes a request without
# credentials a 401. Every error is one JSON shape (milestones_site/api/errors.py).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "projects.api.auth.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "projects.api.auth.TokenScopePermission",
    ],
    "DEFAULT_PARSER_CLASSES": ["milestones_site.api.parsers.SizeLimitedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": [
        "milestones_site.api.filters.StrictFilterBackend",
        "rest_framework.filters.SearchFilter",
        "milestones_site.api.filters.StrictOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "milestones_site.api.pagination.PageNumberPagination",
    "DEFAULT_THROTTLE_CLASSES": [
        "milestones_site.api.throttles.ClientRateThrottle",
        "milestones_site.api.throttles.AnonymousRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "client": os.environ.get("API_THROTTLE_CLIENT_RATE", "1200/minute"),
        "anonymous": os.environ.get("API_THROTTLE_ANONYMOUS_RATE", "120/minute"),
    },
    "EXCEPTION_HANDLER": "milestones_site.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "milestones_site.api.schema.ApiAutoSchema",
    "DEFAULT_METADATA_CLASS": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# Bodies above this size are refused with 413 (JSON bodies included, see api_parsers).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", "1048576"))
SPECTACULAR_SETTINGS = {
    "TITLE": "Milestones API",
    "DESCRIPTION": (
        "Campaign projects, phases, milestones and deliverables for marketing teams. "
        "Authenticate with `Authorization: Bearer <token>`. Detail responses carry an "
        '`ETag` (`"<id>-<version>"`); send it back in `If-Match` on PATCH and DELETE '
        "to get 412 instead of overwriting someone else's change. Every 4xx response is a "
        "JSON problem: `type`, `title`, `status`, `detail`, `errors` (messages per field)."
    ),
    "VERSION": "1.0.0",
    # 3.1 for the `webhooks` section: the event catalogue, what deliveries carry.
    "OAS_VERSION": "3.1.0",
    "WEBHOOKS": "notifications.api.webhook_events.WEBHOOKS",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "notifications.api.webhook_events.with_delivery_headers",
    ],
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ProjectKindEnum": "projects.models.ProjectKind",
        "ProjectStatusEnum": "projects.models.ProjectStatus",
        "MilestoneStatusEnum": "projects.models.MilestoneStatus",
        "MilestoneHealthEnum": "projects.models.MilestoneHealth",
        "HealthEnum": "projects.models.Health",
        "DeliverableKindEnum": "deliverables.models.DeliverableKind",
        "DeliverableStatusEnum": "deliverables.models.DeliverableStatus",
        "DeliveryStateEnum": "notifications.models.DeliveryState",
    },
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

# Content-Security-Policy on every response (django-csp): scripts, styles and everything else
# only from this site, no inline script or style, no plugins, no framing, no <base> elsewhere.
# Swagger UI (the API docs) draws its icons from data: URLs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Security (production) ------------------------------------------------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # Django's own console handler would print every line a second time beside root's.
    "loggers": {"django": {"handlers": [], "propagate": True}},
}
