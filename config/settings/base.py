"""Settings shared by every environment. Values that differ come from the environment."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import django.forms
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.database import database_settings
from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = env_bool("DEBUG", False)

# A development key is only acceptable while DEBUG is on; a deployment must bring its own.
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-do-not-deploy"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Django's widget templates for the Django engine: the admin's own widget templates
    # include them (the forms' renderer takes the Jinja2 copies, TEMPLATES below).
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "django_htmx",
    "axes",
    "csp",
    "postmortems",
    "timelines",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "postmortems.middleware.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "postmortems.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lock-out answer.
    "axes.middleware.AxesMiddleware",
]

# Password guessing: after AXES_FAILURE_LIMIT wrong passwords for one account from one
# address, sign-in for that pair pauses for the cool-off (the login page says so, 429).
# Per account *and* address, so nobody can lock a colleague out from elsewhere. API tokens
# are not passwords: a locked-out account's scripts keep working. An admin lifts a lock
# with `manage.py axes_reset_username <name>`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.views.locked_out"
AXES_VERBOSE = False

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    # Only Django's Jinja2 copies of its form and widget templates (django/forms/...):
    # first, so forms render through Jinja2; a page's name is not there and falls through.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [Path(django.forms.__file__).resolve().parent / "jinja2"],
        "APP_DIRS": False,
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "postmortems.context_processors.roles",
            ],
        },
    },
]

# Forms and widgets render through Django's own Jinja2 versions of its form templates: the
# template language rendered a <select> one included template per <option>, a large share
# of the CPU of the pages with forms (bench/README.md, "What one request costs"). Every
# other template is a Django template (TEMPLATES above).
# TemplatesSetting rather than django.forms.renderers.Jinja2, which knows only Jinja2
# templates: the admin's widgets have Django templates of their own (admin/widgets/...),
# found by the Django engine when the Jinja2 one has no such name.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# SQLite is the embedded default so a newcomer needs no server; production runs PostgreSQL.
# SQLite is configured for a threaded server there (WAL, immediate transactions, a busy timeout).
DATABASES = {
    "default": database_settings(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

SECURE_CONTENT_TYPE_NOSNIFF = True

# Content-Security-Policy (django-csp): scripts only from our own static files, no inline
# script, no handler attributes, no eval. Styles from the stylesheet; the one inline kind
# is the <style> each timeline picture carries (it is also a standalone SVG file), which
# templates mark with the request's nonce (the picture tag). The API docs loosen
# this for themselves only (postmortems/api/urls.py); share links set their own framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Celery: with no REDIS_URL, tasks run in-process so the app works with nothing but Python.
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged only when it finished, so a worker killed mid-task hands it on.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 120)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 150)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Fail fast when the broker does not answer: submissions then stay queued for the sweep.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 600,
    "socket_connect_timeout": 3,
    "socket_timeout": 5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_SERIALIZER = "json"
# Several deployments (or test runs) can share one Redis when each has a queue of its own.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_ACCEPT_CONTENT = ["json"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Tokens first: an anonymous call then gets 401 with a WWW-Authenticate header.
        # Personal tokens (csc_…, hashed) first; drf_create_token's keys after them.
        "postmortems.api.tokens.PersonalTokenAuthentication",
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["postmortems.permissions.ReadOrEdit"],
    # DRF's JSON written by orjson: the timeline endpoint's answers run to megabytes.
    "DEFAULT_RENDERER_CLASSES": [
        "postmortems.api.renderers.FastJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # JSON with a size limit and a nesting limit; forms and files as DRF parses them.
    "DEFAULT_PARSER_CLASSES": [
        "postmortems.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "postmortems.api.pagination.StablePageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "postmortems.api.filtering.StrictDjangoFilterBackend",
        "postmortems.api.pagination.StableOrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "postmortems.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "postmortems.api.throttling.AnonThrottle",
        "postmortems.api.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_THROTTLE_ANON", "60/min"),
        "user": env_str("API_THROTTLE_USER", "1200/min"),
    },
    # Behind the TLS proxy, REMOTE_ADDR is the proxy; trust one X-Forwarded-For hop.
    "NUM_PROXIES": env_int("API_NUM_PROXIES", 0),
}

# The API's rate limits live in the "throttle" cache, the timeline API's answers in
# "timelines" (filed under postmortems.generation's number, so processes may share them).
# With REDIS_URL every web process shares both; IGNORE_EXCEPTIONS makes a Redis outage skip
# throttling (and the cached answers) instead of answering 500 (short timeouts so a dead
# Redis costs milliseconds). Without Redis, per-process caches.
if REDIS_URL:
    _redis_cache = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.25,
            "SOCKET_TIMEOUT": 0.25,
        },
    }
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "throttle": {**_redis_cache, "KEY_PREFIX": "cascade-throttle"},
        "timelines": {**_redis_cache, "KEY_PREFIX": "cascade-timelines"},
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "throttle": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "throttle",
        },
        # A timeline answer of 10,000 events is 8 MB: a few of them per process.
        "timelines": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "timelines",
            "OPTIONS": {"MAX_ENTRIES": 16},
        },
    }
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

SPECTACULAR_SETTINGS = {
    "TITLE": "Cascade API",
    "DESCRIPTION": "Incidents, services, dependencies and timelines of the Cascade knowledge base.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "postmortems.api.errors.declare_errors",
    ],
    # Swagger UI and Redoc from drf-spectacular-sidecar, served by postmortems/api/docs.py.
    "SWAGGER_UI_DIST": "/api/v1/docs/assets/swagger-ui-dist",
    "SWAGGER_UI_FAVICON_HREF": "/api/v1/docs/assets/swagger-ui-dist/favicon-32x32.png",
    "REDOC_DIST": "/api/v1/docs/assets/redoc",
    # Several models have a "status" or a "kind": name each choice set after its meaning.
    "ENUM_NAME_OVERRIDES": {
        "ImpactLevelEnum": "postmortems.models.ImpactLevel",
        "IncidentStatusEnum": "postmortems.models.IncidentStatus",
        "ImportStatusEnum": "postmortems.models.SourceStatus",
        "PostmortemStatusEnum": "postmortems.models.PostmortemStatus",
        "ActionItemStatusEnum": "postmortems.models.ActionItemStatus",
        "EventKindEnum": "postmortems.models.EventKind",
        "ImportKindEnum": "postmortems.models.ImportKind",
        "DependencyKindEnum": "postmortems.models.DependencyKind",
        "ReviewStateEnum": "postmortems.models.ReviewState",
        "FeedKindEnum": "postmortems.ingest.feeds.models.FeedKind",
        "FeedStateEnum": "postmortems.ingest.feeds.models.FeedState",
        "ImpactWindowSourceEnum": "timelines.cascade.WINDOW_SOURCES",
        "ExportJobStatusEnum": "timelines.models.ExportJobStatus",
    },
}

# Plain lines for a terminal; one JSON object per line for a log pipeline (LOG_FORMAT=json).
LOG_FORMAT = env_str("LOG_FORMAT", "plain")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r} must be 'plain' or 'json'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(process)d",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Hosts the article fetcher may reach even though they resolve to private addresses.
CASCADE_FETCH_ALLOWED_HOSTS = env_list("CASCADE_FETCH_ALLOWED_HOSTS")

# The sweep hands imports to the broker that were submitted while it was down, or whose
# worker died; run it with `celery -A config beat` next to the workers.
CELERY_BEAT_SCHEDULE = {
    "dispatch-imports": {"task": "postmortems.tasks.import_sweep_task", "schedule": 60.0},
    # Each feed has its own interval; this only looks for the ones that are due.
    "poll-feeds": {
        "task": "postmortems.tasks.feeds_poll_due_task",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # 50 links every 10 minutes re-checks 7,200 sources a day, each at most weekly.
    "check-source-links": {
        "task": "postmortems.tasks.source_links_check_task",
        "schedule": 600.0,
        "options": {"expires": 540},
    },
    "report-overdue-action-items": {
        "task": "postmortems.tasks.action_items_overdue_task",
        "schedule": 3600.0,
        "options": {"expires": 3000},
    },
    "expire-idempotency-keys": {
        "task": "postmortems.tasks.idempotency_keys_expire_task",
        "schedule": 3600.0,
        "options": {"expires": 3000},
    },
    # Every 5 minutes, so a job whose worker died is reported failed soon after its timeout.
    "expire-export-jobs": {
        "task": "timelines.tasks.export_jobs_expire_task",
        "schedule": 300.0,
        "options": {"expires": 280},
    },
}

# Export jobs (the PDF and HTML files of large incidents, built by a worker). A finished or
# failed job, file included, is kept this many seconds, then the sweep deletes it.
_export_job_retention = env_int("EXPORT_JOB_RETENTION", 86_400)
# A job still queued, or still running, this many seconds after it was asked for or started
# is failed by the sweep with a message (its worker died, or its message was lost). Longer
# than the task's hard time limit, so the sweep never fails a job a worker is still building.
_export_job_timeout = env_int("EXPORT_JOB_TIMEOUT", 900)
if _export_job_retention <= 0:
    raise ImproperlyConfigured("EXPORT_JOB_RETENTION must be a positive number of seconds.")
if _export_job_timeout <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        f"EXPORT_JOB_TIMEOUT must exceed CELERY_TASK_TIME_LIMIT ({CELERY_TASK_TIME_LIMIT} s): "
        "a shorter one would fail jobs a worker is still building."
    )
EXPORT_JOB_RETENTION = timedelta(seconds=_export_job_retention)
EXPORT_JOB_TIMEOUT = timedelta(seconds=_export_job_timeout)

# Review: publishing needs an approval of the current version by another editor. A team of
# one or two can turn that off; admins can always override, and the override is recorded.
CASCADE_PUBLISH_REQUIRES_APPROVAL = env_bool("CASCADE_PUBLISH_REQUIRES_APPROVAL", True)

# E-mail: printed to the console in development; SMTP from the environment otherwise.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Cascade <cascade@localhost>")
# Absolute links in e-mails (there is no request to take the host from in a periodic job).
CASCADE_BASE_URL = env_str("CASCADE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
