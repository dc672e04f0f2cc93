"""Settings for CaseReview.

Everything that differs between a laptop demo and a real deployment comes from environment variables,
read by the small helpers below. Defaults suit `make run`; docs/deploy.md lists what production sets.
"""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CASEREVIEW_VAR_DIR", BASE_DIR / "var"))

# Everything this service writes (the database, uploads, exports, backups, keys, the task queue) is readable by
# its own account only: files 0600, directories 0700. The web server reads static files through this process
# (WhiteNoise), so nothing needs to be readable by others. var/ itself is closed too, for files made earlier.
os.umask(0o077)
VAR_DIR.mkdir(parents=True, exist_ok=True)
if VAR_DIR.stat().st_uid == os.getuid():
    VAR_DIR.chmod(0o700)


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


DEBUG = env_bool("DEBUG")
# Demo mode relaxes exactly one rule: the fictional demo accounts may sign in without two-factor.
DEMO_MODE = env_bool("CASEREVIEW_DEMO_MODE")

def _generated_secret_key() -> str:
    """Without SECRET_KEY, each installation makes its own random key once and keeps it in var/ (mode 600),
    so no installation ever runs on a key that is known to anyone else."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        temporary = VAR_DIR / f".secret_key.{os.getpid()}"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
        try:
            os.link(temporary, path)  # atomic: when processes start together, the first key wins for all
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _generated_secret_key()


def _generated_field_key() -> str:
    """Without CASEREVIEW_FIELD_KEYS, the installation's own key for secrets at rest, made once in var/ (0600)."""
    path = VAR_DIR / "field_keys"
    if not path.exists():
        import base64

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        temporary = VAR_DIR / f".field_keys.{os.getpid()}"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return path.read_text().strip()


# Authenticator secrets are encrypted with these Fernet keys, newest first (casereview/core/crypto.py).
FIELD_ENCRYPTION_KEYS = env_list("CASEREVIEW_FIELD_KEYS") or [_generated_field_key()]

# Several machines (one Redis for all) must share one SECRET_KEY and one set of field keys: a key generated in
# each machine's own var/ would sign sessions and encrypt authenticator secrets that the other nodes cannot read.
if os.environ.get("REDIS_URL") and not (os.environ.get("SECRET_KEY") and os.environ.get("CASEREVIEW_FIELD_KEYS")):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("With REDIS_URL (several machines), set SECRET_KEY and CASEREVIEW_FIELD_KEYS to the "
                               "same values on every web node and worker: see docs/deploy.md")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "casereview.core",
    "casereview.partnership",
    "casereview.typology",
    "casereview.audit",
    "casereview.cases",
    "casereview.notifications",
    "casereview.deadlines",
    "casereview.referrals",
    "casereview.learning",
    "casereview.reviews",
    "casereview.chronology",
    "casereview.actions",
    "casereview.committees",
    "casereview.api",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "simple_history",
    "django_tasks",
    "govuk_frontend_django",
]

MIDDLEWARE = [
    "casereview.core.middleware.ClientAddressMiddleware",
    "casereview.core.middleware.UploadSizeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "casereview.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "casereview.partnership.auth.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "casereview.core.middleware.RequestLogMiddleware",
    # Innermost, so it sees the view's response and the audit events the view wrote.
    "casereview.core.middleware.CaseRecordViewAuditMiddleware",
]

ROOT_URLCONF = "casereview.urls"
WSGI_APPLICATION = "casereview.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "casereview" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "casereview.core.context_processors.service",
            ],
        },
    },
]
# Every Django form renders with GOV.UK markup: label, hint, inline error and the error summary.
FORM_RENDERER = "casereview.core.forms.GovukFormRenderer"

# --- Database -------------------------------------------------------------------------------------------
# SQLite in var/ by default. WAL lets readers continue while one writer writes; IMMEDIATE transactions take
# the write lock up front, so two writers queue on the busy timeout instead of failing half-way with
# "database is locked".
SQLITE_PATH = VAR_DIR / "casereview.sqlite3"
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sign-in lockout and API rate limits count in the cache: a file cache is shared by every web process of
# one server, so a limit holds however many gunicorn workers serve the requests.
# With several machines (REDIS_URL set), the limits count in the shared Redis instead.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          "KEY_PREFIX": "casereview"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": VAR_DIR / "cache"}}

# --- Authentication -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "partnership.User"
# Argon2id first (0.08 s a sign-in instead of PBKDF2's 0.7 s; BENCHMARKS.md); older hashes upgrade at sign-in.
PASSWORD_HASHERS = [
    "casereview.partnership.hashers.BoardArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_ADAPTER = "casereview.partnership.auth.AccountAdapter"
ACCOUNT_FORMS = {"login": "casereview.partnership.auth.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
# Lockout: five failed sign-ins for one account (or from one address) in 15 minutes blocks further tries.
# A whole office behind one address must still be able to sign in at nine o'clock: the per-address limit on
# sign-in attempts is generous; the per-account limit on failures is what locks out guessing.
ACCOUNT_RATE_LIMITS = {
    "login": "300/m/ip",
    "login_failed": "20/15m/ip,5/15m/key",
    "reset_password": "5/h/ip,3/h/key",
    "reset_password_from_key": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_RECOVERY_CODES_SHOW_ONCE = True  # shown once at enrolment, with a download; never again on screen
MFA_TOTP_ISSUER = "CaseReview"
MFA_ADAPTER = "casereview.core.crypto.MFAAdapter"  # encrypts authenticator secrets at rest

# Idle timeout: a session ends after 30 minutes without a request.
SESSION_COOKIE_AGE = env_int("CASEREVIEW_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Security headers (production turns HTTPS on with CASEREVIEW_HTTPS=1) -------------------------------
HTTPS = env_bool("CASEREVIEW_HTTPS")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("CASEREVIEW_BEHIND_PROXY") else None
# How many proxies we run in front of the service (each appends to X-Forwarded-For). The client's address is
# the entry the outermost of them wrote: the right-most untrusted one (casereview/core/client_ip.py). Behind
# one proxy (CASEREVIEW_BEHIND_PROXY=1) the default is 1; with none, X-Forwarded-For is ignored entirely.
TRUSTED_PROXY_COUNT = env_int("CASEREVIEW_TRUSTED_PROXIES", 1 if env_bool("CASEREVIEW_BEHIND_PROXY") else 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

def _upload_storage() -> dict:
    if os.environ.get("CASEREVIEW_S3_BUCKET"):
        return {"BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {"bucket_name": os.environ["CASEREVIEW_S3_BUCKET"], "default_acl": "private",
                            "querystring_auth": True, "file_overwrite": False,
                            "region_name": os.environ.get("CASEREVIEW_S3_REGION") or None,
                            "endpoint_url": os.environ.get("CASEREVIEW_S3_ENDPOINT") or None,
                            "object_parameters": {"ServerSideEncryption": "AES256"}}}
    location = Path(os.environ.get("CASEREVIEW_SHARED_UPLOADS") or VAR_DIR / "uploads")
    return {"BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "base_url": "/no-direct-access/"}}


# --- Static and uploaded files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "casereview" / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise expects it even before collectstatic
STORAGES = {
    # Uploads live under var/uploads, outside the web root; they are served only by views that check access.
    # With several web machines, uploads go to a folder every node mounts (CASEREVIEW_SHARED_UPLOADS, e.g. NFS)
    # or to S3 (CASEREVIEW_S3_BUCKET, through django-storages, installed separately: see docs/deploy.md).
    "default": _upload_storage(),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Uploads being received are spooled here (under var/, never /tmp), and removed when the request ends.
FILE_UPLOAD_TEMP_DIR = VAR_DIR / "tmp"
FILE_UPLOAD_TEMP_DIR.mkdir(parents=True, exist_ok=True)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
UPLOAD_MAX_BYTES = env_int("CASEREVIEW_UPLOAD_MAX_MB", 20) * 1024 * 1024
# The hard stop: a request declaring more than this is refused (413) before its body is read, and an upload is
# cut off the moment it passes it (casereview/core/uploadhandler.py). The slack above UPLOAD_MAX_BYTES lets a
# file just over the limit reach its form, which says what to do. The proxy in front sets the same limit.
REQUEST_MAX_BYTES = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "casereview.core.uploadhandler.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# --- API tokens: each lasts this many days unless its owner renews it ------------------------------------
API_TOKEN_DAYS = env_int("CASEREVIEW_API_TOKEN_DAYS", 90)

# --- Background tasks -----------------------------------------------------------------------------------
# Code enqueues through the django-tasks API; in the worker, huey runs them (see casereview/core/tasks.py).
TASKS = {"default": {"BACKEND": os.environ.get("CASEREVIEW_TASK_BACKEND",
                                               "casereview.core.task_backend.HueyTaskBackend")}}
HUEY_PATH = Path(os.environ.get("CASEREVIEW_HUEY_PATH", VAR_DIR / "huey.sqlite3"))  # unless REDIS_URL is set
# A worker that stops beating for 4 heartbeats is presumed dead: its running tasks are put back on the queue,
# at most TASK_MAX_ATTEMPTS times in all, then recorded as failed (casereview/core/huey_app.py).
TASK_HEARTBEAT_SECONDS = env_int("CASEREVIEW_TASK_HEARTBEAT_SECONDS", 15)
TASK_MAX_ATTEMPTS = env_int("CASEREVIEW_TASK_MAX_ATTEMPTS", 3)

# --- Email ----------------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "CaseReview <casereview@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
NOTIFY_TEMPLATE_ID = os.environ.get("NOTIFY_TEMPLATE_ID", "")
EMAIL_MAX_ATTEMPTS = 5

# --- Locale ---------------------------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Logging: one JSON object a line, with no personal data (ids and paths only) ------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "casereview.core.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        "huey": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},  # otherwise seven progress lines for every document
        "fontTools": {"level": "WARNING"},
    },
}

# The address people use to reach this deployment, for links in emails (which are sent from the worker,
# outside any request).
SITE_URL = os.environ.get("CASEREVIEW_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

SERVICE_NAME = "CaseReview"
SERVICE_PHASE = "Beta"
