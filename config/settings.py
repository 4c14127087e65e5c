"""Settings, read from the environment (see .env.example).

The defaults run the whole product on one machine with nothing installed
beyond Python: SQLite, a Celery broker on the filesystem and e-mail written
to files, all under ``var/``. Production sets DATABASE_URL, CELERY_BROKER_URL
and EMAIL_URL.
"""

import datetime
import secrets
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # never overrides variables already set

# An empty variable (as copied from .env.example) means "use the default".
VAR_DIR = Path(env("VAR_DIR", default="") or BASE_DIR / "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Use SECRET_KEY, or a random key kept under var/ so sessions survive restarts."""
    if key := env("SECRET_KEY", default=""):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The address people use to reach the portal; links in e-mail and calendar feeds point here.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "axes",
    "django_htmx",
    "csp",
    "ops",
    "units",
    "notifications",
    "directives",
    "tasks",
    "reports",
    "intake",
    "exchange",
    # The audit trail (issue #12): after the apps whose models it records.
    "audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lib.i18n.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before anything reads the body: a request larger than UPLOAD_REQUEST_MAX_BYTES gets a 413.
    "lib.uploads.RequestSizeMiddleware",
    # The audit trail reads the request's person and address when it writes a record.
    "audit.context.AuditContextMiddleware",
    "lib.caching.PrivateNoStoreMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "lib.htmx.VaryOnHtmxMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes requires: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]
# bench/run only: every response says how many SQL queries it made (lib/querycount.py). Off by default;
# never on in production (it tells any client how a page is built).
PORTAL_BENCH_QUERY_HEADER = env.bool("PORTAL_BENCH_QUERY_HEADER", default=False)
if PORTAL_BENCH_QUERY_HEADER:
    MIDDLEWARE.insert(0, "lib.querycount.QueryCountMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "units.context_processors.portal",
                "notifications.context_processors.unread",
                "ops.context_processors.background_delay",
                "lib.kept_forms.kept_form",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {"default": env.db_url_config(env("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE makes concurrent writers queue for the lock instead of failing with
    # "database is locked"; WAL lets readers go on while one writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    # JIT compilation costs 20-50 ms on the short queries pages run and never pays back here.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- People and sign-in ---------------------------------------------------
AUTH_USER_MODEL = "units.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Argon2id at OWASP's minimum parameters (units/passwords.py); older PBKDF2 hashes still verify and are
# rewritten as Argon2id at the next sign-in.
PASSWORD_HASHERS = [
    "units.passwords.PortalArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
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

# --- Sign-in lockout (django-axes; see units/lockout.py and docs/decisions.md) ----
# A user name is locked after AXES_FAILURE_LIMIT failures whatever the address; an address
# after SIGN_IN_ADDRESS_FAILURE_LIMIT failures across user names (password spraying), higher
# because an office behind NAT signs in from one address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
SIGN_IN_ADDRESS_FAILURE_LIMIT = env.int("SIGN_IN_ADDRESS_FAILURE_LIMIT", default=30)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "units.lockout.LockoutHandler"
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "units.views.locked_out"
# The client address: REMOTE_ADDR only (X-Forwarded-For ignored) unless the number of trusted
# proxies is set; with N, the N-th address from the right of X-Forwarded-For (one nginx: 1).
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "units.lockout.client_address"

# --- API tokens (units/authentication.py): days a token works, unless revoked or the password changes.
API_TOKEN_LIFETIME_DAYS = env.int("API_TOKEN_LIFETIME_DAYS", default=30)

# django-guardian holds only explicit grants (confidential documents); no anonymous user row.
ANONYMOUS_USER_NAME = None

# --- Language and time ----------------------------------------------------
LANGUAGE_CODE = "vi"
# Only languages that are translated are offered: the pages are written in Vietnamese and there is
# no English catalogue, so English is not offered (docs/decisions.md, "Widgets").
LANGUAGES = [("vi", "Tiếng Việt")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
# Days are typed as dd/mm/yyyy (lib.forms.DateWidget); ISO stays accepted for links and the API.
# Django's "vi" locale defines no input formats, so these apply.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
USE_I18N = True
USE_TZ = True

# --- Files ----------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
# Uploaded files are served only through views that check rights, never from a public URL.
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = True
# The web app manifest (static/manifest.webmanifest): browsers install only what is served as one.
WHITENOISE_MIMETYPES = {".webmanifest": "application/manifest+json"}

# --- Uploads (lib/uploads.py, lib/staged_uploads.py, lib/downloads.py; docs/decisions.md "Uploads") ---
# Kinds accepted, recognised from the bytes: pdf, docx, xlsx, doc, xls, odt, jpg, png.
UPLOAD_ALLOWED_TYPES = env.list(
    "UPLOAD_ALLOWED_TYPES", default=["pdf", "docx", "xlsx", "doc", "xls", "odt", "jpg", "png"]
)
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_MB", default=20) * 2**20
# A whole request: the files plus the form's fields. Refused with 413 from Content-Length, unread.
UPLOAD_REQUEST_MAX_BYTES = int(env("UPLOAD_REQUEST_MAX_MB", default="") or 0) * 2**20 or UPLOAD_MAX_BYTES + 2**20
# Zip containers (DOCX, XLSX, ODT): entries, uncompressed total, and total / file size beyond a floor.
UPLOAD_ARCHIVE_MAX_ENTRIES = env.int("UPLOAD_ARCHIVE_MAX_ENTRIES", default=2000)
UPLOAD_ARCHIVE_MAX_BYTES = env.int("UPLOAD_ARCHIVE_MAX_MB", default=200) * 2**20
UPLOAD_ARCHIVE_MAX_RATIO = env.int("UPLOAD_ARCHIVE_MAX_RATIO", default=100)
UPLOAD_ARCHIVE_RATIO_FLOOR = 10 * 2**20
# Accepted files of a form that failed validation wait here, named by a signed token, this long.
UPLOAD_STAGING_HOURS = env.int("UPLOAD_STAGING_HOURS", default=24)
# Set (e.g. "/_protected/") when nginx serves MEDIA_ROOT from an internal location: downloads then
# answer with X-Accel-Redirect after the rights check instead of streaming through Django.
PROTECTED_MEDIA_ACCEL_PREFIX = env("PROTECTED_MEDIA_ACCEL_PREFIX", default="")
# Up to this size an upload stays in memory, beyond it in a temporary file; never above the limit.
FILE_UPLOAD_MAX_MEMORY_SIZE = min(5 * 2**20, UPLOAD_MAX_BYTES)
# Non-file data of a request (form fields, JSON bodies): no more than a whole upload request.
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_REQUEST_MAX_BYTES

# --- E-mail ---------------------------------------------------------------
if env("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
# Channels that carry notices beyond the in-app list (see notifications/channels.py to add one;
# the old paths "units.channels.<Class>" still work, docs/notifications.md).
NOTIFICATION_CHANNELS = env.list("NOTIFICATION_CHANNELS", default=["notifications.channels.EmailChannel"])
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Cổng điều hành <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Cache -----------------------------------------------------------------
# Default: each process its own memory. With CACHE_URL (a Redis URL, e.g. redis://127.0.0.1:6379/1)
# the web processes and the workers share one cache, so they share the LGSP platform's token.
if _cache_url := env("CACHE_URL", default=""):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}}

# Reminders go out on working days, within these hours (Asia/Ho_Chi_Minh).
OFFICE_HOURS = (
    datetime.time.fromisoformat(env("OFFICE_HOURS_START", default="07:30")),
    datetime.time.fromisoformat(env("OFFICE_HOURS_END", default="17:00")),
)

# --- Celery ---------------------------------------------------------------
# Seconds between two polls of the exchange's transports for what arrived (beat "exchange-poll").
EXCHANGE_POLL_SECONDS = env.int("EXCHANGE_POLL_SECONDS", default=60)
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="") or "filesystem://"
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    _queue_dir.mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "celery" / "control").mkdir(exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        # the exchange table; kombu's default is "control" in the working directory
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Exactly one beat runs these (make run: the worker's embedded beat).
CELERY_BEAT_SCHEDULE = {
    "reminders": {"task": "tasks.jobs.reminders_sweep", "schedule": 300.0},
    # Re-queues due and abandoned work of every kind and writes the worker's heartbeat (ops/background.py).
    "background-recover": {"task": "ops.jobs.background_recover", "schedule": 60.0},
    "standing-duty-reports": {"task": "tasks.jobs.due_reports_schedule", "schedule": 3600.0},
    # Each person's daily digest (tasks/digest.py): 07:00 and, to catch up after downtime, every
    # half hour until 11:00, in CELERY_TIMEZONE (the agency's); sent once per person and day.
    "daily-digests": {"task": "tasks.jobs.daily_digests", "schedule": crontab(minute="0,30", hour="7-10")},
    # The province view reads this summary: it lags the tasks by at most this minute.
    "task-summary": {"task": "reports.jobs.task_summary_refresh", "schedule": 60.0},
    # Files staged by forms that were never saved (lib/staged_uploads.py).
    "staged-uploads": {"task": "units.jobs.staged_uploads_clean", "schedule": 3600.0},
    # Electronic exchange (exchange/jobs.py): fetch what arrived on every configured transport, and
    # once a week copy the LGSP platform's directory of organisations (nothing without LGSP).
    "exchange-poll": {"task": "exchange.jobs.inbox_poll", "schedule": float(EXCHANGE_POLL_SECONDS)},
    "exchange-directory": {
        "task": "exchange.jobs.directory_sync",
        "schedule": crontab(minute="15", hour="2", day_of_week="sunday"),
    },
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Background work: the database is the truth, the broker a wake-up (docs/architecture.md) ---
# Acknowledge a message after its job ran, not before: a worker killed mid-job leaves it
# unacknowledged and the broker hands it out again (the recovery job would anyway).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Reserve one message per process: none waits unacknowledged behind a long job in a dead worker.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A publish (a wake-up after commit) gives up fast when the broker is down; the row waits.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # Redis hands an unacknowledged message out again after this long. Longer than any job
    # (a chunk of 200 e-mails), or a slow job would run twice; no job is published with a
    # countdown (retries wait as rows with a due time), so no ETA can outlive it.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 600, "socket_connect_timeout": 2}

# --- API ------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "units.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "lib.api.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "lib.errors.api_exception_handler",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "lib.api.ContentNegotiation",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cổng điều hành văn bản — API",
    "DESCRIPTION": "Văn bản, nhiệm vụ và đơn vị. Đăng nhập: POST /api/v1/auth/token, "
    "rồi gửi tiêu đề `Authorization: Bearer <token>`.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation names the errors it can give, in the one error shape (lib/api.py).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "lib.api.error_responses_hook"],
}

# --- Security -------------------------------------------------------------
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# A stale or forged form: a Vietnamese page, or the JSON error shape under /api/.
CSRF_FAILURE_VIEW = "lib.error_pages.csrf_failure"
SESSION_COOKIE_AGE = 60 * 60 * 10  # one working day
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Strict CSP: no inline scripts or styles anywhere; every asset is vendored under static/.
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
    },
}

# --- Production behind HTTPS (see .env.example, "Production") ---------------
# The embedded run serves plain HTTP on 127.0.0.1, so each switch defaults to off; production
# turns them on from the environment and `manage.py check --deploy` then reports nothing.
# HSTS: browsers refuse plain HTTP to this host for that many seconds. Start small (3600),
# raise to a year (31536000) once HTTPS is known good; subdomains and preload only if every
# subdomain serves HTTPS too (preload is hard to undo).
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
# The reverse proxy terminates TLS and says so in this header (e.g. X-Forwarded-Proto: https).
# Set it only behind a proxy that always overwrites the header, or any client can claim HTTPS.
if _proxy_header := env("SECURE_PROXY_SSL_HEADER", default=""):
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint reports every rendering step at INFO; keep its warnings (refused resources).
        "weasyprint.progress": {"level": "WARNING"},
        # fontTools narrates every font subset (pyHanko's signature stamp) at INFO.
        "fontTools": {"level": "WARNING"},
        "fontTools.subset": {"level": "ERROR"},
    },
}

# --- Read replica (docs/deployment.md, "Scaling out") ----------------------
# A PostgreSQL streaming replica for the reports and dashboards: reads inside
# lib.replica.replica_reads() go there; everything else stays on default.
if _replica_url := env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db_url_config(_replica_url)
    if DATABASES["replica"]["ENGINE"] != "django.db.backends.sqlite3":
        DATABASES["replica"].setdefault("CONN_MAX_AGE", DATABASES["default"].get("CONN_MAX_AGE", 60))
        DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
        DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    # Tests (and anything run with DATABASE_REPLICA_URL set) read the replica alias from default's test database.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]

# --- Signers (directives/signers.py, directives/certificates.py; docs/pdf.md "Signers") ---
# The PKCS#11 module of the installation's tokens or HSM (a path set by the operator, never by a
# user); each token's PIN is read from SIGNING_PKCS11_PIN_<TOKEN LABEL> or SIGNING_PKCS11_PIN at signing time.
SIGNING_PKCS11_MODULE = env("SIGNING_PKCS11_MODULE", default="")
# PEM certificates trusted when verifying received PDFs, besides the installation's own chains.
SIGNING_TRUST_ROOTS_FILE = env("SIGNING_TRUST_ROOTS_FILE", default="")
# The remote-signing service is read from REMOTE_SIGNING_URL, REMOTE_SIGNING_TOKEN,
# REMOTE_SIGNING_POLL_SECONDS and REMOTE_SIGNING_TIMEOUT_SECONDS at signing time.

# --- Electronic exchange: the provincial LGSP platform (exchange/lgsp.py; docs/exchange-lgsp.md) ---
# Empty URL: not configured. The client id and secret are the portal's OAuth2 client credentials;
# the timeout (seconds) bounds each HTTP call. EXCHANGE_LGSP_PATHS maps a province's paths onto the
# documented shape, e.g. "received=/api/lgspedoc/received-edocs,get=/api/lgspedoc/edocs/{id}".
EXCHANGE_LGSP_URL = env("EXCHANGE_LGSP_URL", default="")
EXCHANGE_LGSP_CLIENT_ID = env("EXCHANGE_LGSP_CLIENT_ID", default="")
EXCHANGE_LGSP_CLIENT_SECRET = env("EXCHANGE_LGSP_CLIENT_SECRET", default="")
EXCHANGE_LGSP_TIMEOUT = float(env("EXCHANGE_LGSP_TIMEOUT", default="") or 30)
EXCHANGE_LGSP_PATHS = env.dict("EXCHANGE_LGSP_PATHS", default={})
# A folder shared with an office that moves packages by hand or another system (exchange/transports.py):
# packages to send are written to <folder>/out/<recipient id>/, arrivals are read from <folder>/in/ and
# moved to <folder>/in/done/ once stored. Empty: not used.
EXCHANGE_FOLDER = env("EXCHANGE_FOLDER", default="")
