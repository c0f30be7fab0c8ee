"""Settings, read from the environment.

`DEBUG`, `SECRET_KEY`, `AUDIT_HMAC_KEY`, `ALLOWED_HOSTS` and `DATABASE_URL` are the ones a
deployment sets; see the README. Without `DEBUG=1` the process refuses to start without a real
secret key and a real audit key.
A development checkout also has a local `.env` (written by `./scripts/serve`), whose
`NAME=value` lines fill in what the environment does not set.
"""

import os
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from pos_project.databases import default_database, is_postgresql
from pos_project.environment import env_bool, env_list, load_env_file
from pos_project.logs import logging_settings

BASE_DIR = Path(__file__).resolve().parent.parent

# ENV_FILE names another file; set to empty, no file is read (the test suite does so).
ENV_FILE = os.environ.get("ENV_FILE", str(BASE_DIR / ".env"))
if ENV_FILE:
    load_env_file(Path(ENV_FILE))

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable to a long random "
            "string (python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=1 for local development."
        )
    # Only ever used with DEBUG on, so a leaked development key protects nothing real.
    SECRET_KEY = "django-insecure-development-only-key-never-used-in-production"

# Keys the audit trail's hashes (audit/hashing.py). It lives outside the database, so that
# whoever can rewrite the audit rows still cannot recompute their hashes.
AUDIT_HMAC_KEY = os.environ.get("AUDIT_HMAC_KEY", "")
AUDIT_HMAC_KEY_MIN_LENGTH = 32
if len(AUDIT_HMAC_KEY) < AUDIT_HMAC_KEY_MIN_LENGTH:
    if not DEBUG:
        raise ImproperlyConfigured(
            f"AUDIT_HMAC_KEY is {'too short' if AUDIT_HMAC_KEY else 'not set'}. Set it to a "
            f"random string of at least {AUDIT_HMAC_KEY_MIN_LENGTH} characters "
            "(python -c 'import secrets; print(secrets.token_urlsafe(48))'), keep it off the "
            "database host and never change it: the audit trail verifies only with the key "
            "it was written with. Or set DEBUG=1 for local development."
        )
    if not AUDIT_HMAC_KEY:
        # Only ever used with DEBUG on, so a development audit trail proves nothing real.
        AUDIT_HMAC_KEY = "development-only-audit-key-never-used-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Browser front ends on other origins (e.g. a React dev server on http://localhost:3000) may
# call the API, and only the API, when their exact origin is listed; none is by default.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/(api|customers/api|medicine/api|sales/api)/"
CORS_ALLOW_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
CORS_ALLOW_HEADERS = ["authorization", "content-type", "idempotency-key"]
# Response headers a client reads: a replayed write, a CSV download's file name, and the
# request's id, for the person calling support.
CORS_EXPOSE_HEADERS = ["Idempotent-Replayed", "Content-Disposition", "X-Request-ID"]
CORS_PREFLIGHT_MAX_AGE = 3600

# How long a sale's receipt link (opened without a token, e.g. by window.open) stays valid.
RECEIPT_LINK_MAX_AGE = int(os.environ.get("RECEIPT_LINK_MAX_AGE", str(24 * 60 * 60)))

# Proxies whose X-Forwarded-For header is believed when recording a client's address.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

INSTALLED_APPS = [
    # First, so its admin/base_site.html (the back office's look) overrides Django's.
    "pos_project",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "corsheaders",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "staff.apps.LoginProtectionConfig",
    "audit",
    "staff",
    "customers",
    "receivables",
    "medicine",
    "sales",
    "operations",
    "demo",
]

MIDDLEWARE = [
    "pos_project.request_log.RequestLogMiddleware",
    # Before any middleware that reads the body, so that none reads an oversized one.
    "pos_project.middleware.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything that could answer first: a preflight carries no token.
    "corsheaders.middleware.CorsMiddleware",
    # Before CommonMiddleware, whose APPEND_SLASH would redirect an API path without its
    # slash; after CorsMiddleware, so that its JSON 404 carries the CORS headers too.
    "pos_project.middleware.ApiPathMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After the session (the switcher's choice may live there), before CommonMiddleware:
    # the language of a visitor not logged in, from the switcher's cookie or the browser;
    # it adds `Vary: Accept-Language`. A staff member's own language is taken below.
    "pos_project.middleware.RequestLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pos_project.middleware.BusinessTimeZoneMiddleware",
    # After authentication: the staff member's language (pos_project/languages.py).
    "pos_project.middleware.StaffLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: answers a locked-out admin login with its page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out username and address pair before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Admin login lock-outs (django-axes). The API's token endpoint has its own throttles.
AXES_ONLY_ADMIN_SITE = True
# Nor counts the API's failed logins: they are throttled there (pos_project.throttles).
AXES_WHITELIST_CALLABLE = "staff.lockouts.outside_the_admin"
# Lock-outs are logged one line each; no start-up banner in every command's output.
AXES_VERBOSE = False
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
# One username from one address: a guesser locks only itself out, not the account's owner.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Minutes until a lock-out lifts by itself; 0 keeps it until a manager or axes_reset lifts it.
AXES_COOLOFF_TIME = (
    timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "60")))
    if int(os.environ.get("AXES_COOLOFF_MINUTES", "60"))
    else None
)
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "pos_project.actors.client_ip"
AXES_LOCKOUT_TEMPLATE = "admin/login_locked_out.html"
# Lock-outs are listed, scoped to the manager's business, by staff.admin instead.
AXES_ENABLE_ADMIN = False

# The largest request body accepted, in bytes: the POS sends small JSON documents.
MAX_REQUEST_BODY_BYTES = int(os.environ.get("MAX_REQUEST_BODY_BYTES", str(1024 * 1024)))

ROOT_URLCONF = "pos_project.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "pos_project.wsgi.application"

# How long one PostgreSQL statement may wait for a row lock, and run at all, in milliseconds
# (0: no bound). A request stuck behind a long lock answers 503 and changes nothing, instead
# of holding a worker until a till gives up and retries.
DATABASE_LOCK_TIMEOUT_MS = int(os.environ.get("DATABASE_LOCK_TIMEOUT_MS", "10000"))
DATABASE_STATEMENT_TIMEOUT_MS = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT_MS", "60000"))
# `1` behind PgBouncer in transaction mode: the two timeouts above are then left to the
# pooler (pos_project/databases.py says why).
DATABASE_TRANSACTION_POOLER = os.environ.get("DATABASE_TRANSACTION_POOLER", "0") == "1"
DATABASES = {
    "default": default_database(
        sqlite_path=BASE_DIR / "db.sqlite3",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        sqlite_busy_timeout=os.environ.get("SQLITE_BUSY_TIMEOUT", "20"),
        lock_timeout_ms=DATABASE_LOCK_TIMEOUT_MS,
        statement_timeout_ms=DATABASE_STATEMENT_TIMEOUT_MS,
        transaction_pooler=DATABASE_TRANSACTION_POOLER,
    )
}
IS_POSTGRES = is_postgresql(DATABASES["default"])
if not IS_POSTGRES:
    # Covering indexes (INCLUDE columns) serve PostgreSQL's reports; SQLite builds the same
    # index without them, which changes no result, so its warning is noise on every migrate.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

# An Idempotency-Key claimed this long ago and still in progress may be taken over by a
# retry, provided its first request is provably gone (its key row is not locked).
IDEMPOTENCY_ABANDONED_AFTER_SECONDS = int(
    os.environ.get("IDEMPOTENCY_ABANDONED_AFTER_SECONDS", "120")
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The four languages the product speaks (DESIGN section 13). Each app keeps its own
# catalogues in <app>/locale/<language>/LC_MESSAGES/django.po.
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("ar", "العربية"),
    ("uz", "Oʻzbekcha"),  # noqa: RUF001 (the letter Uzbek writes, U+02BB)
]
# One date and time format per language, everywhere (pos_project/formats/<language>/).
FORMAT_MODULE_PATH = ["pos_project.formats"]
# Amounts are grouped by pos_project.money.format_money; other numbers (quantities, years,
# receipt numbers) are not, so "2026" and "S-001234" never read "2,026" or "S-001 234".
USE_THOUSAND_SEPARATOR = False
# With no language active (a management command), thousands still group by three.
NUMBER_GROUPING = 3
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
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

# Shared by every worker process: login throttle counts must not be per process.
# The database cache's table is created by a migration, so `migrate` alone sets it up.
# Django's database sessions, with keys of another shape taken as no session
# (pos_project/sessions.py).
SESSION_ENGINE = "pos_project.sessions"

CACHE_TABLE = "pos_cache"
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE}
    )
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "pos_project.authentication.StaffTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["pos_project.permissions.IsStaffMember"],
    # The POS speaks JSON; form encodings would only widen what malformed input can look like.
    "DEFAULT_PARSER_CLASSES": ["pos_project.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "pos_project.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "pos_project.filters.StrictFilterBackend",
        "pos_project.filters.StrictOrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "pos_project.schema.PosAutoSchema",
    "EXCEPTION_HANDLER": "pos_project.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        # Per client address.
        "login": os.environ.get("LOGIN_THROTTLE_RATE", "10/min"),
        # Per username tried, from any number of addresses.
        "login_username": os.environ.get("LOGIN_USERNAME_THROTTLE_RATE", "20/hour"),
    },
    "COERCE_DECIMAL_TO_STRING": True,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Pharmacy POS API",
    "DESCRIPTION": (
        "Point-of-sale back end for pharmacies and small shops: customers and their credit, "
        "the catalogue and stock, sales from draft to receipt, and the audit trail. "
        "Authenticate with `Authorization: Token <key>` (or `Bearer <key>`) from "
        "`POST /api/auth/token/`; `DELETE /api/auth/token/` logs out."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "PaymentMethodEnum": "sales.models.PaymentMethod",
        "DebtPaymentMethodEnum": "receivables.models.DebtPaymentMethod",
        # Customers and sales share the RETAIL / WHOLESALE choice set.
        "RetailWholesaleEnum": "sales.models.SaleType",
        "SaleStatusEnum": "sales.models.SaleStatus",
        "TillSessionStatusEnum": "sales.models.TillSessionStatus",
        "CashMovementTypeEnum": "sales.models.CashMovementType",
        "RoleEnum": "pos_project.models.Role",
        "LanguageEnum": "pos_project.languages.LANGUAGE_CHOICES",
        "RefundMethodEnum": "sales.models.RefundMethod",
        "ChosenRefundMethodEnum": "sales.api.return_serializers.REFUND_METHOD_CHOICES",
    },
}

LOGIN_URL = "admin:login"

# A till session's variance (counted - expected cash) beyond this, either way, shows in red
# in the back office.
TILL_VARIANCE_TOLERANCE = Decimal(os.environ.get("TILL_VARIANCE_TOLERANCE", "5.00"))

# Backups (manage.py backup): where they go, how many are kept, and the age past which the
# back-office home shows the last one in red.
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", BASE_DIR / "backups"))
BACKUP_KEEP = int(os.environ.get("BACKUP_KEEP", "14"))
BACKUP_MAX_AGE_HOURS = float(os.environ.get("BACKUP_MAX_AGE_HOURS", "24"))

LOGGING = logging_settings(
    json=os.environ.get("LOG_FORMAT", "text") == "json", level=os.environ.get("LOG_LEVEL", "INFO")
)
# Requests slower than this are logged at warning, with their number of statements.
SLOW_REQUEST_MS = float(os.environ.get("SLOW_REQUEST_MS", "1000"))
# /metrics (Prometheus) answers only when enabled, only to a scraper that sends the bearer
# token, and only from these addresses or networks. Behind a proxy on the same host every
# client's socket address is the loopback, so the token is what keeps it private.
METRICS_ENABLED = env_bool("METRICS_ENABLED", default=False)
METRICS_ALLOWED = env_list("METRICS_ALLOWED", "127.0.0.1,::1")
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
METRICS_TOKEN_MIN_LENGTH = 32
if METRICS_ENABLED and len(METRICS_TOKEN) < METRICS_TOKEN_MIN_LENGTH:
    raise ImproperlyConfigured(
        f"METRICS_ENABLED=1 needs METRICS_TOKEN, a random string of at least "
        f"{METRICS_TOKEN_MIN_LENGTH} characters (python -c 'import secrets; "
        "print(secrets.token_urlsafe(32))'); the scraper sends it as "
        "`Authorization: Bearer <token>`. Or leave METRICS_ENABLED unset."
    )

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # /healthz and /metrics are probed over plain HTTP by load balancers and process managers,
    # and by a Prometheus on the same host straight at the server's loopback port. /metrics
    # still wants its bearer token: a plain-HTTP request without it is a 404.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
