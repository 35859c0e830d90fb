"""Attract settings, read from the environment.

Defaults give a working laptop setup (SQLite under var/, a filesystem Celery broker,
no Redis server).
Production values come from the environment; see README "Configuration".
"""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab

from attract.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("ATTRACT_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", True)
# The laptop default key is only accepted with DEBUG on; production must set DJANGO_SECRET_KEY.
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-attract-laptop-default-0123456789abcdef"  # noqa: S105
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "template_partials",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "attract",
    "jobs",
    "candidates",
    "talentpools",
    "linkedin",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "attract.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "attract.urls"
FORM_RENDERER = "attract.forms.FormRenderer"
WSGI_APPLICATION = "attract.wsgi.application"

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
                "attract.context_processors.organisation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'attract.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Laptop default: WAL lets the web process read while the worker writes.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "attract.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = env_str("ATTRACT_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"  # never served directly: documents go through access-checked views
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploads above this stay on disk while being checked instead of in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
DOCUMENT_MAX_BYTES = env_int("ATTRACT_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)

# --- Security: strict by default when DEBUG is off (manage.py check --deploy passes clean).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("DJANGO_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /healthz answers load balancers over plain HTTP inside the cluster.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Redis and Celery.
REDIS_URL = env_str("REDIS_URL", "")
CELERY_BROKER_DIR = VAR_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
else:
    # Laptop default: kombu's filesystem transport needs no server.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
        "polling_interval": 0.5,
    }
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 60
# Above the longest time limit, or Redis would redeliver a task still running.
CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = CELERY_TASK_TIME_LIMIT + 15 * 60
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
LINKEDIN_FEED_BUILD_HOUR = env_int("LINKEDIN_FEED_BUILD_HOUR", 2)
# Feed fetches are logged in batches this many seconds apart (0: each fetch at once).
LINKEDIN_FEED_LOG_DELAY = env_int("LINKEDIN_FEED_LOG_DELAY", 1)
# A job's LinkedIn task is first checked this many minutes after it was sent (LinkedIn: at least 5).
LINKEDIN_JOB_TASKS_CHECK_MINUTES = env_int("LINKEDIN_JOB_TASKS_CHECK_MINUTES", 5)
CELERY_BEAT_SCHEDULE = {
    "build-linkedin-feed": {
        "task": "linkedin.build_feed",
        "schedule": crontab(hour=LINKEDIN_FEED_BUILD_HOUR, minute=0),
        "options": {"expires": 6 * 3600},
    },
    "erase-candidates-past-retention": {
        "task": "candidates.erase_candidates_past_retention",
        "schedule": crontab(hour=3, minute=15),
        "options": {"expires": 6 * 3600},
    },
    "sweep-orphan-documents": {
        "task": "candidates.sweep_orphan_documents",
        "schedule": crontab(hour=4, minute=5),
        "options": {"expires": 6 * 3600},
    },
    "refresh-stale-search-documents": {
        "task": "candidates.refresh_stale_search_documents",
        "schedule": crontab(minute="*/30"),
        "options": {"expires": 25 * 60},
    },
    "drain-linkedin-outbox": {
        "task": "linkedin.outbox_drain",
        "schedule": crontab(minute=f"*/{env_int('LINKEDIN_OUTBOX_DRAIN_MINUTES', 1)}"),
        "options": {"expires": 5 * 60},
    },
    "check-linkedin-job-tasks": {
        "task": "linkedin.job_tasks_check",
        "schedule": crontab(minute=f"*/{max(1, LINKEDIN_JOB_TASKS_CHECK_MINUTES)}"),
        "options": {"expires": 4 * 60},
    },
    "pull-linkedin-prospects": {
        "task": "linkedin.prospects_pull",
        "schedule": crontab(minute=7, hour=f"*/{env_int('LINKEDIN_PROSPECTS_PULL_HOURS', 2)}"),
        "options": {"expires": 60 * 60},
    },
}

# --- LinkedIn (integrations are off until configured; the sandbox is the development default).
LINKEDIN_API_BASE_URL = env_str("LINKEDIN_API_BASE_URL", "http://127.0.0.1:8765")
LINKEDIN_OAUTH_BASE_URL = env_str("LINKEDIN_OAUTH_BASE_URL", "http://127.0.0.1:8765")
LINKEDIN_REQUEST_TIMEOUT = env_int("LINKEDIN_REQUEST_TIMEOUT", 20)
# The partner (ATS vendor) application registered with LinkedIn. The defaults are the ones the
# bundled sandbox knows; production sets the real values from the partner agreement.
LINKEDIN_PARTNER_CLIENT_ID = env_str("LINKEDIN_PARTNER_CLIENT_ID", "attract-partner")
LINKEDIN_PARTNER_CLIENT_SECRET = env_str("LINKEDIN_PARTNER_CLIENT_SECRET", "attract-partner-secret")
LINKEDIN_SANDBOX_PORT = env_int("LINKEDIN_SANDBOX_PORT", 8765)
# Fernet keys (comma-separated, newest first) for secrets at rest; derived from SECRET_KEY if unset.
ATTRACT_ENCRYPTION_KEYS = env_list("ATTRACT_ENCRYPTION_KEYS", [])

# --- Demo data.
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "attract-demo")

EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "attract@localhost")
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "attract.api_auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": "60/minute", "user": "1200/minute"},
    # One error format for every 4xx (attract/api_errors.py).
    "EXCEPTION_HANDLER": "attract.api_errors.api_exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Attract API",
    "DESCRIPTION": (
        "Every recruiter action of Attract: jobs, pipelines, candidates, pools. Authenticate with "
        "`Authorization: Bearer <token>` (create a token in My settings → API tokens) or with "
        "the browser session (unsafe methods then need the `X-CSRFToken` header). Every 4xx "
        'answer has the same body: `{"error": {"status", "code", "message", '
        '"fields"}}`. Lists are paginated (`page`, `page_size` up to 200).'
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "attract.api_errors.add_error_responses",
    ],
    # One enum component per domain choice list, whatever the field is called.
    "ENUM_NAME_OVERRIDES": {
        "JobStatusEnum": "jobs.choices.JobStatus",
        "ApplicationStatusEnum": "candidates.models.ApplicationStatus",
        "SecurityRoleEnum": "attract.models.SecurityRole",
        "TeamRoleEnum": "jobs.choices.TeamRole",
        "StageKindEnum": "jobs.choices.StageKind",
        "CandidateSourceEnum": "candidates.models.CandidateSource",
        "NoteVisibilityEnum": "candidates.models.NoteVisibility",
        "CloseReasonEnum": "jobs.choices.CloseReason",
    },
}

# Shared across processes: Redis in production and CI, a file cache on a laptop. Rate limits
# (career-site applications, LinkedIn calls) count here.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("ATTRACT_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
