"""Django settings for Samverkan.

Everything that differs between a laptop and the county's servers is read from the
environment; see the README's "Configuration" section for the list. The defaults are the
safe ones: DEBUG off, HTTPS on, SQLite only when DATABASE_URL is unset.
"""

import hashlib
import hmac
import os
import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Under pytest: a fast password hasher, an in-process cache, static files without a build.
TESTING = env_bool("SAMVERKAN_TESTING", "pytest" in sys.modules)
DEBUG = env_bool("DEBUG", False)
# HTTPS=0 is for the local demo only: it turns off secure cookies, HSTS and the redirect.
HTTPS = env_bool("HTTPS", not TESTING)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-never-used-in-production"  # noqa: S105
    else:
        raise ImproperlyConfigured("Set SECRET_KEY (a long random string) in the environment.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_NAME = os.environ.get("SITE_NAME", "Samverkan")
# The public address, for links in e-mails sent by periodic jobs (no request to ask).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Shown as a banner on every page when the database holds demo data (set by scripts/demo).
DEMO_MODE = env_bool("DEMO_MODE", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "django_htmx",
    "csp",
    "samverkan.operations",
    "samverkan.accounts",
    "samverkan.organisations",
    "samverkan.audit",
    "samverkan.people",
    "samverkan.consent",
    "samverkan.forum",
    "samverkan.deviations",
    "samverkan.sip",
    "samverkan.governance",
    "samverkan.exports",
    "samverkan.notifications",
    "samverkan.assignments",
    "samverkan.agenda",
    "samverkan.references",
    "samverkan.retention",
    "samverkan.public",
    "samverkan.demo",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Counts every request for /metrics, and answers /healthz, /readyz and /metrics itself,
    # before the session, the host check and the access log.
    "samverkan.operations.middleware.OperationsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "samverkan.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Right after authentication: the request's scope, a transaction around every unsafe
    # request, and the access log written at the end (fail-closed).
    "samverkan.audit.middleware.AccessLogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "samverkan.accounts.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "samverkan.accounts.middleware.RequireMFAMiddleware",
]

FORM_RENDERER = "samverkan.forms.FormRenderer"

# Background work (exports, extracts): django-tasks with the database backend, run by
# ``manage.py db_worker`` on any number of machines. Tests run tasks at once.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}
ROOT_URLCONF = "samverkan.urls"
WSGI_APPLICATION = "samverkan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "samverkan" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "samverkan.context_processors.site",
                "samverkan.notifications.context_processors.unread",
            ],
            "libraries": {"pages": "samverkan.page_tags"},
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if "postgresql" in DATABASES["default"]["ENGINE"]:
        # PostgreSQL's JIT compiles big report queries for 100–240 ms and gains nothing on
        # queries that read by index (bench/README.md): off for this application's sessions.
        # A statement waits at most DB_LOCK_TIMEOUT for a lock (a table locked by a slow
        # migration or a backup): then it fails, and the page answers at once (a 503 when
        # the access log cannot be written) instead of holding a worker until it is killed.
        # No statement runs longer than DB_STATEMENT_TIMEOUT (a runaway report query costs one
        # page an error, not a worker until gunicorn kills it); manage.py sets it to 0 (off)
        # for commands (migrate, the worker, cron jobs) unless their environment sets it.
        lock_timeout = os.environ.get("DB_LOCK_TIMEOUT", "5s")
        statement_timeout = os.environ.get("DB_STATEMENT_TIMEOUT", "30s")
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options.setdefault(
            "options",
            f"-c jit=off -c lock_timeout={lock_timeout} -c statement_timeout={statement_timeout}",
        )
        # A database host that does not answer fails a connection after 5 s, not minutes.
        options.setdefault("connect_timeout", 5)
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared between app servers (login rate limits live here), so it is in the database.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "samverkan_cache",
    }
}
if TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 60 * 60 * 10  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Accounts -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
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
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "samverkan.accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "samverkan.accounts.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"  # accounts are created by administrators, not by sign-up
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_PREVENT_ENUMERATION = True
# No mail to addresses that have no account: the reset form is not a way to send spam.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_SESSION_REMEMBER = False
# Failed logins are limited per IP and per account; the counters live in the shared cache.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "20/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "

MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# With REQUIRE_MFA=1, users whose role lets them see a child's data must set up TOTP first.
REQUIRE_MFA = env_bool("REQUIRE_MFA", False)

# Single sign-on (SITHS, Freja eID or a municipality's own IdP) through OpenID Connect
# (samverkan/accounts/sso.py). Configured here only, from the environment.
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 5  # seconds for each call to the provider
# New people get an account at their first SSO login only with this on, and only with an
# e-mail address the provider says it has verified.
SSO_AUTO_SIGNUP = env_bool("SSO_AUTO_SIGNUP", False)
# A login the provider says was two-factor needs no TOTP code on top: an acr value listed
# here (Swedish assurance levels 3 and 4, for SITHS and Freja eID+), an amr value listed
# here, or amr values of two kinds of factor (e.g. hwk + pin).
OIDC_MFA_ACR = env_list(
    "OIDC_MFA_ACR",
    "http://id.elegnamnden.se/loa/1.0/loa3,http://id.elegnamnden.se/loa/1.0/loa4,"
    "http://id.elegnamnden.se/loa/1.0/eidas-sub,http://id.elegnamnden.se/loa/1.0/eidas-high,"
    "http://id.sambi.se/loa/loa3,http://id.sambi.se/loa/loa4",
)
OIDC_MFA_AMR = env_list("OIDC_MFA_AMR", "mfa")
# Hosts besides the provider's own (from its discovery document) that a form may lead to.
OIDC_FORM_ACTION_HOSTS = env_list("OIDC_FORM_ACTION_HOSTS", "")
OIDC_TOKEN_AUTH_METHODS = ("client_secret_basic", "client_secret_post")
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": []}}
if os.environ.get("OIDC_SERVER_URL"):
    OIDC_TOKEN_AUTH_METHOD = os.environ.get("OIDC_TOKEN_AUTH_METHOD", "client_secret_basic")
    if OIDC_TOKEN_AUTH_METHOD not in OIDC_TOKEN_AUTH_METHODS:
        raise ImproperlyConfigured(
            f"OIDC_TOKEN_AUTH_METHOD must be one of {', '.join(OIDC_TOKEN_AUTH_METHODS)}."
        )
    SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"].append(
        {
            "provider_id": os.environ.get("OIDC_PROVIDER_ID", "sso"),
            "name": os.environ.get("OIDC_NAME", "e-legitimation"),
            "client_id": os.environ.get("OIDC_CLIENT_ID", ""),
            "secret": os.environ.get("OIDC_CLIENT_SECRET", ""),
            "settings": {
                "server_url": os.environ["OIDC_SERVER_URL"],
                "token_auth_method": OIDC_TOKEN_AUTH_METHOD,
                "fetch_userinfo": True,
                "oauth_pkce_enabled": True,
            },
        }
    )
# Whom people write to when they cannot get in (shown to someone whose SSO login matched no
# account, and on the log-in page).
SUPPORT_EMAIL = os.environ.get("SUPPORT_EMAIL", "")

# --- E-mail -------------------------------------------------------------------------------
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
else:
    # No mail server configured: e-mails are printed where the server's log goes.
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Samverkan <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Admin", a) for a in env_list("ADMINS", "")]

# --- Language and time --------------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("Engelska"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
FORMAT_MODULE_PATH = ["samverkan.formats"]

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "samverkan" / "static",
    ("vendor/designsystemet-css", BASE_DIR / "node_modules/@digdir/designsystemet-css/dist"),
    ("vendor/htmx", BASE_DIR / "node_modules/htmx.org/dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING or DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = TESTING or DEBUG
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# --- Security -----------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
if HTTPS and not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
# How many proxies in front of the app append to X-Forwarded-For (samverkan/network.py);
# 0: the header is ignored, since anyone can send it.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# Permissions-Policy on every response (django-permissions-policy): the browser features the
# service never uses are off, for its own pages and anything they might embed. Security keys
# (WebAuthn, for two-factor log-in) stay allowed for the site itself.
BROWSER_FEATURES_OFF = [
    "accelerometer", "ambient-light-sensor", "autoplay", "bluetooth", "browsing-topics",
    "camera", "display-capture", "encrypted-media", "geolocation", "gyroscope", "hid",
    "identity-credentials-get", "idle-detection", "interest-cohort", "local-fonts",
    "magnetometer", "microphone", "midi", "otp-credentials", "payment", "picture-in-picture",
    "screen-wake-lock", "serial", "shared-storage", "shared-storage-select-url", "usb",
    "window-management", "xr-spatial-tracking",
]  # fmt: skip
PERMISSIONS_POLICY = {
    **{feature: [] for feature in BROWSER_FEATURES_OFF},
    "publickey-credentials-create": "self",
    "publickey-credentials-get": "self",
}

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# --- Access log ---------------------------------------------------------------------------
# The key that seals the access log's hash chains (samverkan/audit/chain.py). Set it in
# production, apart from the database and from SECRET_KEY, and never change it: rows sealed
# with another key no longer verify. Unset, it is derived from SECRET_KEY.
AUDIT_LOG_KEY = os.environ.get("AUDIT_LOG_KEY", "") or hmac.new(
    SECRET_KEY.encode(), b"samverkan.audit.access-log-chain", hashlib.sha256
).hexdigest()
# Concurrent requests write to different chains so that they rarely wait for each other.
ACCESS_LOG_CHAINS = int(os.environ.get("ACCESS_LOG_CHAINS", "8"))
if ACCESS_LOG_CHAINS < 1:
    raise ImproperlyConfigured("ACCESS_LOG_CHAINS must be 1 or more.")


# --- Retention (gallring, ``manage.py gallra``) ------------------------------------------
# How long each kind of record is kept, as the principals' document management plans decide:
# the access log in months, the others in years after the record was closed. Unset (the
# default): that kind is kept for ever.
def _retention_period(name: str) -> int | None:
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise ImproperlyConfigured(f"{name} must be a whole number (or unset: kept for ever).")
    return int(value)


RETENTION_ACCESS_LOG_MONTHS = _retention_period("RETENTION_ACCESS_LOG_MONTHS")
RETENTION_FORUM_YEARS = _retention_period("RETENTION_FORUM_YEARS")
RETENTION_SIP_YEARS = _retention_period("RETENTION_SIP_YEARS")
RETENTION_DEVIATION_YEARS = _retention_period("RETENTION_DEVIATION_YEARS")
# The shortest period ``gallra`` accepts for each kind (same units): conservative floors
# chosen here, not read from the environment. Lower one only when the law and the
# principals' archive authority allow it (see README, "Retention").
RETENTION_MINIMUMS = {
    "RETENTION_ACCESS_LOG_MONTHS": 24,
    "RETENTION_FORUM_YEARS": 5,
    "RETENTION_SIP_YEARS": 10,
    "RETENTION_DEVIATION_YEARS": 2,
}

# How many meetings a year a body that meets "several times a year" (BUSSAM) must hold.
SEVERAL_PER_YEAR_MEETINGS = int(os.environ.get("SEVERAL_PER_YEAR_MEETINGS", "4"))
# A question waiting for a steering group or BUSSAM longer than this shows as overdue.
INBOX_OVERDUE_DAYS = int(os.environ.get("INBOX_OVERDUE_DAYS", "60"))

# Lists show this many rows a page.
PAGE_SIZE = 50

# --- Operations ---------------------------------------------------------------------------
# /metrics answers only a request carrying "Authorization: Bearer <METRICS_TOKEN>"; unset,
# it answers 404. PROMETHEUS_MULTIPROC_DIR (read by prometheus_client itself) sums the
# counters of all gunicorn workers; see the README's "Operations".
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")

# Barrier reports (the accessibility statement's form, open to anyone) one address may send
# in an hour.
BARRIER_REPORTS_PER_HOUR = int(os.environ.get("BARRIER_REPORTS_PER_HOUR", "5"))
