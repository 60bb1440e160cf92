"""Settings shared by every environment; values that vary come from the environment.

Development defaults make `make demo` work with no configuration: a SQLite file, a
Celery broker on the filesystem (no server), e-mails on the console.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(environ.Env().str("ATELIER_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "lms",
    "lms.accounts",
    "courses",
    "practicals",
    "certificates",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "lms.accounts.users_admin.AtelierUsersConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lms.csp.AtelierCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lms.middleware.FrenchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Pages shared by every visitor without a session (the catalogue, a certificate's
    # page), served from memory: inside CSRF (a token in a shared page is put back per
    # visitor), outside everything a session or a user needs.
    "lms.middleware.SharedPageMiddleware",
    # Django's, with the session's user read from the shared cache (lms/accounts/user_cache.py).
    "lms.accounts.middleware.AtelierAuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "lms.accounts.second_factor.StaffSecondFactorMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "lms.middleware.AtelierErrorMiddleware",
]

# Content Security Policy on every response: no inline script or style anywhere on the
# site; lms/csp.py loosens it under /admin/ only, for Wagtail's own inline code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # data: for the QR code of a staff member's authenticator, shown as an image.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        # The Wagtail admin previews pages in a frame of its own.
        "frame-ancestors": [SELF],
    }
}

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

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

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'atelier.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections: seconds a connection is kept for the next request (0: one per
# request). Checked before reuse, so a restarted database costs one failed ping, not a 500.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's, with that check made without a round trip while the socket shows the
    # server has not ended the connection (lms/db/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "lms.db.postgresql"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for each other instead of failing at once with "database is locked";
    # IMMEDIATE takes the write lock at BEGIN, so check-then-insert cannot interleave.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
elif env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
    # PostgreSQL plans each statement again on every run unless it is prepared; for the
    # small reads a page makes, planning costs several times the execution. Parameters
    # bound on the server let psycopg prepare a statement on a connection once it has run
    # it `prepare_threshold` times, and reuse the plan while the connection lives
    # (CONN_MAX_AGE). Behind PgBouncer older than 1.21 in transaction mode, set
    # DATABASE_PREPARED_STATEMENTS=false.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 5}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache for all processes in production (allauth's login rate limits live there):
# CACHE_URL=redis://127.0.0.1:6379/1. Per process in development.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "lms.cache.RedisCache"  # one client per pool (lms/cache.py)
# django-environ hands `?key_prefix=` over in lower case, which Django ignores: two sites
# (or the benchmark's two sizes) sharing a Redis database would read each other's keys.
if "key_prefix" in CACHES["default"]:
    CACHES["default"]["KEY_PREFIX"] = CACHES["default"].pop("key_prefix")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's, with the user, staff check and permissions read in fewer
    # queries (lms/accounts/backends.py); the originals stay listed for the sessions
    # opened with them before.
    "lms.accounts.backends.AtelierModelBackend",
    "lms.accounts.backends.AtelierAuthenticationBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SITE_ID = 1
LOGIN_REDIRECT_URL = "dashboard"
LOGIN_URL = "account_login"

# django-allauth: e-mail is the login, and it must be verified before one can log in.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_SIGNUP_FORM_CLASS = "lms.accounts.forms.SignupForm"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Atelier] "

# Sign-in sized for a classroom: forty trainees behind one router log in within a minute,
# and a stranger's wrong passwords lock an account for a minute at most (the oldest failure
# leaves the sliding window). Counted in the cache, so production needs a shared one.
# README "Sign-in limits" explains each figure.
ACCOUNT_RATE_LIMITS = {
    "login": "120/m/ip",
    "login_failed": "30/m/ip,5/m/key",
    "signup": "60/m/ip",
    "reset_password": "60/m/ip,5/m/key",
    "reset_password_from_key": "60/m/ip",
}
# A second factor for staff (lms/accounts/second_factor.py): an authenticator app and
# recovery codes. Mandatory for instructors, farm managers and administrators when
# STAFF_MFA_REQUIRED is on (the production default); never for trainees.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Atelier"
MFA_ADAPTER = "lms.accounts.second_factor.MFAAdapter"
STAFF_MFA_REQUIRED = env.bool("STAFF_MFA_REQUIRED", default=False)

# How many reverse proxies in front of the site append to X-Forwarded-For (0: none, the
# socket's address is the client's). One Caddy or nginx in front: 1.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded G-code files are kept on disk, not in memory, past this size.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
GCODE_MAX_BYTES = env.int("GCODE_MAX_BYTES", default=50 * 1024 * 1024)
# Fernet keys for secrets kept in the database (OctoPrint API keys), newest first; see
# practicals/fields.py and the README for rotation. The default is for development only.
FIELD_ENCRYPTION_KEYS = env.list(
    "FIELD_ENCRYPTION_KEYS", default=["ZGV2LW9ubHktZmllbGQta2V5LWNoYW5nZS1tZS0xMjM="]
)

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Atelier <noreply@atelier.local>")
if env.str("EMAIL_URL", default=""):
    vars().update(env.email("EMAIL_URL"))

# Celery: a broker on the filesystem by default (no server to start); Redis in production.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://localhost//")
CELERY_BROKER_DIR = Path(env.str("CELERY_BROKER_DIR", default=str(VAR_DIR / "broker")))
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        # Exchange tables; kombu's default is a "control" folder in the current directory.
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="atelier")
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TIMEZONE = "UTC"

WAGTAIL_SITE_NAME = "Atelier"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# The organisation's key and certificate (PEM) that sign certificate PDFs and Open Badges.
# Empty: a development pair is made on first use under var/signing/ (the demo signs too).
CERTIFICATES_SIGNING_KEY_FILE = env.str("CERTIFICATES_SIGNING_KEY_FILE", default="")
CERTIFICATES_SIGNING_CERT_FILE = env.str("CERTIFICATES_SIGNING_CERT_FILE", default="")
CERTIFICATES_SIGNING_DEV_DIR = VAR_DIR / "signing"
# Public look-ups (page, JSON, PDF check) per client address, as "count/seconds" windows.
# Sized for a job fair's booth where every visitor shares one router's address.
CERTIFICATES_VERIFY_RATES = env.list("CERTIFICATES_VERIFY_RATES", default=["120/60", "1500/3600"])
CERTIFICATES_VERIFY_PDF_MAX_BYTES = env.int("CERTIFICATES_VERIFY_PDF_MAX_BYTES", default=5_000_000)

# How long a print may be followed past its slot before Atelier gives up following it.
PRINT_FOLLOW_GRACE_MINUTES = env.int("PRINT_FOLLOW_GRACE_MINUTES", default=120)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        # Wagtail logs every page change and django-tasks every background job at INFO.
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}
