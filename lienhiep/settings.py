"""Lienhiep settings: one module; everything a deployment changes comes from the environment.

Environment variables (all optional in development):
- LIENHIEP_ENV: "development" (default) or "production". Production refuses to start with DEBUG on,
  without SECRET_KEY, or with ALLOWED_HOSTS unset.
- SECRET_KEY, DEBUG, ALLOWED_HOSTS (comma separated), CSRF_TRUSTED_ORIGINS (comma separated).
- DATABASE_URL: default SQLite file var/lienhiep.sqlite3 (WAL, busy timeout); postgres://... for PostgreSQL.
- LIENHIEP_VAR_DIR: where the database, uploaded files and collected static files live (default ./var).
- EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, DEFAULT_FROM_EMAIL:
  SMTP; without EMAIL_HOST, each mail is written as a file to LIENHIEP_VAR_DIR/mail/ (a laptop, the demo).
- LIENHIEP_MFA_REQUIRED_ROLES: roles that must use TOTP (default "leader,union_admin,platform_admin,national";
  empty to require it of nobody).
- LIENHIEP_UPLOAD_MAX_MB: largest accepted upload (default 25).
- LIENHIEP_TRUSTED_PROXIES: the reverse proxies' addresses or CIDR networks (comma separated, default none): only
  from them is X-Forwarded-For believed for the client's address (sign-in lock-out, rate limits, view counts).
- LIENHIEP_S3_BUCKET: keep uploaded files in this S3-compatible bucket instead of LIENHIEP_VAR_DIR/private, with
  LIENHIEP_S3_ENDPOINT_URL (MinIO, Ceph, Viettel/FPT/VNG object storage; empty for AWS), LIENHIEP_S3_REGION,
  LIENHIEP_S3_ACCESS_KEY_ID and LIENHIEP_S3_SECRET_ACCESS_KEY (empty: boto3's usual credentials chain) and
  LIENHIEP_S3_PREFIX (a folder inside the bucket, default none).
- LIENHIEP_PUBLIC_PAGE_CACHE_SECONDS: how long each server process keeps an anonymous visitor's public page
  (default 60, the pages' max-age; 0 turns it off).
- LIENHIEP_TASK_STALE_MINUTES: a background task running longer than this (default 30) is taken as left behind
  by a worker that died and queued again when a worker starts.
- SECURE_HSTS_SECONDS (default a year), SECURE_HSTS_INCLUDE_SUBDOMAINS (default on), SECURE_HSTS_PRELOAD (default
  off: joining browsers' preload list is the domain owner's decision), SECURE_SSL_REDIRECT (default on): production.
"""

import ipaddress
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


LIENHIEP_ENV = os.environ.get("LIENHIEP_ENV", "development").strip().lower()
PRODUCTION = LIENHIEP_ENV == "production"
VAR_DIR = Path(os.environ.get("LIENHIEP_VAR_DIR", BASE_DIR / "var")).resolve()
# matplotlib (the charts of the annual report) keeps its font cache here, not in a home folder that a service
# account may not be able to write (it would rebuild the cache in a temporary folder at every start).
os.environ.setdefault("MPLCONFIGDIR", str(VAR_DIR / "matplotlib"))

DEBUG = env_bool("DEBUG", default=False)
DEVELOPMENT_SECRET_FILE = VAR_DIR / "secret_key"


def _development_secret_key() -> str:
    """A random key kept in var/, so development sessions survive restarts; never used in production."""
    try:
        return DEVELOPMENT_SECRET_FILE.read_text().strip()
    except FileNotFoundError:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        DEVELOPMENT_SECRET_FILE.write_text(key)
        return key


SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if PRODUCTION:
    problems = []
    if DEBUG:
        problems.append("DEBUG must be off")
    if len(SECRET_KEY) < 40 or SECRET_KEY.startswith("django-insecure") or "change-me" in SECRET_KEY:
        problems.append("SECRET_KEY must be set to a random value of at least 40 characters")
    if not ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS must list the site's host names")
    if problems:
        raise ImproperlyConfigured("Production settings refused: " + "; ".join(problems))
else:
    SECRET_KEY = SECRET_KEY or _development_secret_key()
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_htmx",
    "django_tasks_db",
    "lienhiep.core",
    "lienhiep.portal",
    "lienhiep.experts",
    "lienhiep.outreach",
    "lienhiep.advisory",
    "lienhiep.contests",
    "lienhiep.paperwork",
    "lienhiep.national",
    "lienhiep.devdata",
]

MIDDLEWARE = [
    "lienhiep.core.middleware.PublicPageCache",  # first: a kept public page is served before anything else runs
    "lienhiep.core.middleware.SharedCacheMiddleware",  # next: it sees the response as it leaves, cookies and all
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "lienhiep.core.middleware.NormalizeUnicodeMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "lienhiep.core.middleware.RequireMfaMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lienhiep.urls"
WSGI_APPLICATION = "lienhiep.wsgi.application"
AUTH_USER_MODEL = "core.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lienhiep.core.context_processors.navigation",
            ],
        },
    }
]

# Database: SQLite in var/ by default, with WAL and a busy timeout; PostgreSQL when DATABASE_URL says so.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'lienhiep.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # persistent too: a new SQLite connection reads the schema again and starts with an empty page cache, which
    # halved the throughput of small pages on the national data set
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "lienhiep.core.auth.AuthenticationBackend",  # allauth's, without model permissions
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

# allauth: log in by username or e-mail; only entrants register themselves (see core.forms.EntrantSignupForm).
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "lienhiep.core.auth.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "lienhiep.core.forms.EntrantSignupForm"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Lienhiep] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Lienhiep"
# Accept the codes of the neighbouring 30-second steps (RFC 6238 §5.2): phones drift, and a code typed at the
# end of its window must not fail. A used code is still refused a second time (shared cache).
MFA_TOTP_TOLERANCE = 1
LIENHIEP_MFA_REQUIRED_ROLES = env_list("LIENHIEP_MFA_REQUIRED_ROLES", "leader,union_admin,platform_admin,national")

# django-axes: lock an account+IP pair after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "lienhiep.core.auth.axes_username"
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "lienhiep.core.clients.client_ip"

# The reverse proxies in front of the app servers (addresses or CIDR networks, comma separated): only a request
# from one of them has its X-Forwarded-For believed (lienhiep.core.clients.client_ip). Empty: REMOTE_ADDR is the
# client, and a forwarding header is ignored.
LIENHIEP_TRUSTED_PROXIES = env_list("LIENHIEP_TRUSTED_PROXIES")
for _proxy in LIENHIEP_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(f"LIENHIEP_TRUSTED_PROXIES: {_proxy!r} is not an IP address or network") from _error

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
# Our messages, then our Vietnamese translation of the allauth pages we use (allauth ships no vi catalogue).
LOCALE_PATHS = [PACKAGE_DIR / "locale", PACKAGE_DIR / "locale_allauth"]
FORMAT_MODULE_PATH = ["lienhiep.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]


def file_storage(environ: dict[str, str], var_dir: Path) -> dict:
    """Where uploaded and generated files live: the folder var/private (a shared volume when several app servers
    run), or an S3-compatible bucket when LIENHIEP_S3_BUCKET is set. Either way the code reads and writes them
    through Django's storage API only, and they stay private (no public address; every download is checked)."""
    bucket = environ.get("LIENHIEP_S3_BUCKET", "").strip()
    if not bucket:
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": var_dir / "private", "base_url": None},
        }
    options = {
        "bucket_name": bucket,
        "endpoint_url": environ.get("LIENHIEP_S3_ENDPOINT_URL", "").strip() or None,
        "region_name": environ.get("LIENHIEP_S3_REGION", "").strip() or None,
        "access_key": environ.get("LIENHIEP_S3_ACCESS_KEY_ID", "").strip() or None,
        "secret_key": environ.get("LIENHIEP_S3_SECRET_ACCESS_KEY", "").strip() or None,
        "location": environ.get("LIENHIEP_S3_PREFIX", "").strip().strip("/"),
        "default_acl": "private",
        "querystring_auth": True,  # an address to a file, if one were ever made, would be signed and expire
        "file_overwrite": False,  # a second file of the same name gets a new name, as on disk
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": file_storage(os.environ, VAR_DIR),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded files are private: there is no MEDIA_URL route; every download goes through a checked view.
MEDIA_ROOT = VAR_DIR / "private"  # unused by the code (it goes through STORAGES["default"]); kept for tools
LIENHIEP_UPLOAD_MAX_BYTES = int(float(os.environ.get("LIENHIEP_UPLOAD_MAX_MB", "25")) * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Strict Content Security Policy: no inline script or style anywhere.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        # Submitting the domain (often a province's gov.vn name) to browsers' preload list is its owner's
        # decision, not the application's: `check --deploy` stays clean without it.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Lienhiep <no-reply@localhost>")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Issued documents. The address printed on them under "kiểm tra văn bản tại …" (this site's public address).
# An anonymous visitor's public page is kept by each server process this many seconds at most (never longer than
# the page's own max-age, 60 s): 0 turns it off (core.middleware.PublicPageCache).
LIENHIEP_PUBLIC_PAGE_CACHE_SECONDS = int(os.environ.get("LIENHIEP_PUBLIC_PAGE_CACHE_SECONDS", "60"))

LIENHIEP_SITE_URL = os.environ.get("LIENHIEP_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Digital signatures (lienhiep/paperwork/signing.py): each Union's organisation certificate comes from
# LIENHIEP_SIGNING_P12_<SLUG> and LIENHIEP_SIGNING_P12_PASSWORD_<SLUG> (or LIENHIEP_SIGNING_P12 /
# LIENHIEP_SIGNING_P12_PASSWORD for every Union); the roots a signature must chain to, and an RFC 3161
# timestamp authority (none: no timestamp).
LIENHIEP_TRUST_ROOTS = [path for path in os.environ.get("LIENHIEP_TRUST_ROOTS", "").split(",") if path.strip()]
LIENHIEP_TSA_URL = os.environ.get("LIENHIEP_TSA_URL", "")
# Where the demo authority and the demo Unions' certificates are made on a laptop (never used in production).
LIENHIEP_SIGNING_DIR = Path(os.environ.get("LIENHIEP_SIGNING_DIR", VAR_DIR / "signing"))
# A task still running after this long is taken as abandoned by a worker that died, and queued again
# (lienhiep.core.worker.requeue_stale_tasks, run when `lienhiep worker` starts).
LIENHIEP_TASK_STALE_SECONDS = int(float(os.environ.get("LIENHIEP_TASK_STALE_MINUTES", "30")) * 60)
# Processes that render and sign a batch of certificates (contests/certificates.py issue_batch); 0: one per core the
# worker may use.
LIENHIEP_CERTIFICATE_PROCESSES = int(os.environ.get("LIENHIEP_CERTIFICATE_PROCESSES", "0"))

# A cache shared by every worker process: allauth's rate limits and the used-TOTP-code record live here, so a
# per-process memory cache would let a code be replayed on another worker. `lienhiep migrate`/`serve` create it.
# "local": each process's own memory, for what a request can check is current without asking anyone: entries whose
# key carries the version they were read at (a user's memberships under `User.access_key`, which every change of
# them renews; the menu under the language, the Union and the roles that decide it). A stale entry is never read,
# it is only left to expire.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "lienhiep_cache"},
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "lienhiep-local",
        "OPTIONS": {"MAX_ENTRIES": 20000},
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # a tampered file on the public verification page is an expected answer, not an incident
    "loggers": {"pyhanko.sign.diff_analysis": {"level": "ERROR"}},
}
