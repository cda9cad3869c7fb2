"""Majlis settings: one module, configured by environment variables (see .env.example).

Two profiles:
- ``embedded`` (the default, what ``make run`` starts): SQLite in WAL mode under ``var/``, the
  in-memory channel layer, console SMS and e-mail, a secret key generated into ``var/``.
- ``production``: ``SECRET_KEY`` and ``DATABASE_URL`` are required; ``REDIS_URL`` switches the
  channel layer and shared caches to Redis.
"""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import (
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_networks,
    env_str,
    parse_database_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("MAJLIS_VAR_DIR", str(BASE_DIR / "var")))

PROFILE = env_choice("MAJLIS_PROFILE", ("embedded", "production"), "embedded")
EMBEDDED = PROFILE == "embedded"
DEBUG = env_bool("DEBUG", default=False)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        if len(key) < 32:
            raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long")
        return key
    if not EMBEDDED:
        raise ImproperlyConfigured("SECRET_KEY is required outside the embedded profile")
    # The embedded profile keeps a generated key beside its database, so sessions survive a restart.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if EMBEDDED else [])
if not EMBEDDED and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required outside the embedded profile")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Proxies whose X-Forwarded-For we believe; anything else is the socket's address.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES")
if DEBUG and not EMBEDDED:
    raise ImproperlyConfigured("DEBUG must be off outside the embedded profile")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "majlis.core.background_tasks.BackgroundTasksConfig",  # django_tasks_db
    "majlis.core",
    "majlis.accounts",
    # Identity (docs/decisions/0013-identity-with-allauth.md): local sign-in, TOTP for staff,
    # national SSO over OpenID Connect, a per-user session index, and the stand-in national SSO.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.idp.oidc",
    "majlis.notifications",
    "majlis.catalogue",
    "majlis.queueing",
    "majlis.cases",
    "majlis.video",
    "majlis.feedback",
    "majlis.api",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "majlis.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "majlis.accounts.middleware.StaffSessionMiddleware",
    "majlis.accounts.middleware.SsoFormActionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "majlis" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "majlis.core.context_processors.shell",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
_database_url = env_str("DATABASE_URL")
if not _database_url:
    if not EMBEDDED:
        raise ImproperlyConfigured("DATABASE_URL is required outside the embedded profile")
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _database_url = f"sqlite:///{VAR_DIR / 'majlis.sqlite3'}"
_default_db = parse_database_url(_database_url)
if not EMBEDDED and _default_db["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("The production profile runs on PostgreSQL: set a postgres:// URL")
if _default_db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the single writer; IMMEDIATE takes the write lock at BEGIN,
    # so two transactions never both read and then race to write (our SKIP LOCKED stand-in).
    _default_db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
else:
    options = dict(_default_db.get("OPTIONS", {}))  # type: ignore[call-overload]
    if env_bool("DATABASE_POOL", default=True):
        # psycopg's pool instead of CONN_MAX_AGE: persistent connections per ASGI thread would
        # exhaust PostgreSQL's connection slots.
        options["pool"] = {
            "min_size": env_int("DATABASE_POOL_MIN", 2, minimum=0),
            "max_size": env_int("DATABASE_POOL_MAX", 10, minimum=1),
            "timeout": 10,
        }
    _default_db["OPTIONS"] = options
    _default_db["CONN_MAX_AGE"] = 0
DATABASES = {"default": _default_db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, channels, cache -------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_PREFIX", "majlis"),
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Rate caps (core.ratelimit): in Redis when configured, else in the database.
RATE_LIMIT_PREFIX = env_str("RATE_LIMIT_PREFIX", "majlis:rl")

# Contractor registry web services (catalogue.registry.http), for authorities that use one.
REGISTRY_TOKEN = env_str("REGISTRY_TOKEN")  # a bearer token; never stored in the database
REGISTRY_TIMEOUT = env_int("REGISTRY_TIMEOUT", 3, minimum=1)  # seconds per attempt
REGISTRY_RETRIES = env_int("REGISTRY_RETRIES", 2, minimum=0)  # after a 5xx or a timeout
REGISTRY_BACKOFF_MS = env_int("REGISTRY_BACKOFF_MS", 250, minimum=0)  # doubled per retry
REGISTRY_BREAKER_FAILURES = env_int("REGISTRY_BREAKER_FAILURES", 5, minimum=1)
REGISTRY_BREAKER_WINDOW = env_int("REGISTRY_BREAKER_WINDOW", 60, minimum=1)  # seconds
REGISTRY_BREAKER_COOLDOWN = env_int("REGISTRY_BREAKER_COOLDOWN", 30, minimum=1)  # seconds

# Anti-bot check on public forms (core.antibot, docs/decisions/0019-anti-bot-check.md). A browser
# finds a nonce giving ANTIBOT_POW_BITS leading zero bits of SHA-256 (each bit doubles the work);
# a challenge lives ANTIBOT_TTL_SECONDS; the caps count per client address and per session over
# ANTIBOT_WINDOW_SECONDS.
ANTIBOT_POW_BITS = env_int("ANTIBOT_POW_BITS", 20, minimum=1)
if ANTIBOT_POW_BITS > 32:
    raise ImproperlyConfigured("ANTIBOT_POW_BITS must be at most 32")
ANTIBOT_TTL_SECONDS = env_int("ANTIBOT_TTL_SECONDS", 600, minimum=30)
ANTIBOT_WINDOW_SECONDS = env_int("ANTIBOT_WINDOW_SECONDS", 600, minimum=1)
ANTIBOT_ISSUE_PER_ADDRESS = env_int("ANTIBOT_ISSUE_PER_ADDRESS", 30, minimum=1)
ANTIBOT_ISSUE_PER_SESSION = env_int("ANTIBOT_ISSUE_PER_SESSION", 20, minimum=1)
ANTIBOT_FAILS_PER_ADDRESS = env_int("ANTIBOT_FAILS_PER_ADDRESS", 20, minimum=1)
ANTIBOT_FAILS_PER_SESSION = env_int("ANTIBOT_FAILS_PER_SESSION", 10, minimum=1)

# --- Background tasks -----------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env_choice(
            "TASKS_BACKEND",
            ("django_tasks_db.DatabaseBackend", "django.tasks.backends.immediate.ImmediateBackend"),
            "django_tasks_db.DatabaseBackend",
        ),
        "QUEUES": ["default", "notifications"],
    }
}

# --- Identity ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "portal:catalogue:home"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",  # guests, signed in after their SMS code
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Staff sessions end after this long without a request (QUALITY.md S13); citizens keep
# SESSION_COOKIE_AGE.
STAFF_IDLE_TIMEOUT = env_int("STAFF_IDLE_TIMEOUT", 30 * 60, minimum=60)
ACCOUNT_ADAPTER = "majlis.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_FORMS = {"login": "majlis.accounts.forms.SignInForm"}
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
MFA_SUPPORTED_TYPES = ["totp"]  # no recovery codes: an administrator resets a lost phone
MFA_TOTP_ISSUER = "Majlis"
# allauth would ask for the password again right after sign-in before TOTP set-up (only an
# explicit re-authentication counts as recent). Setting up is forced on staff anyway, and
# turning TOTP off is not self-service here (an administrator resets it), so it is not needed.
MFA_REAUTHENTICATION_REQUIRED = False
USERSESSIONS_TRACK_ACTIVITY = False  # the index is written at sign-in; no write per request
SOCIALACCOUNT_ADAPTER = "majlis.accounts.adapters.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # an e-mail claim never links to an existing account
SOCIALACCOUNT_EMAIL_REQUIRED = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_QUERY_EMAIL = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = env_int("SSO_REQUESTS_TIMEOUT", 10, minimum=1)
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        # allauth's client, with what national SSO needs on top (nonce, pinned issuer, signed
        # id_token only, issuer-qualified subjects): majlis/accounts/sso/provider.py.
        "provider_class": "majlis.accounts.sso.provider.NationalSsoProvider",
        "OAUTH_PKCE_ENABLED": True,
    }
}
# The stand-in national SSO (an OpenID provider that ships with Majlis, allauth.idp.oidc): on in
# the embedded profile, where the demo data points "UAE PASS" and "Nafath" at it.
SSO_STANDIN = env_bool("SSO_STANDIN", default=EMBEDDED)
SSO_STANDIN_ISSUER = env_str("SSO_STANDIN_ISSUER", "http://127.0.0.1:8000/sso-demo").rstrip("/")
IDP_OIDC_ADAPTER = "majlis.accounts.sso.standin.StandInAdapter"
IDP_OIDC_ID_TOKEN_EXPIRES_IN = 300
IDP_OIDC_AUTHORIZATION_CODE_EXPIRES_IN = 60


def _standin_private_key() -> str:
    pem = env_str("SSO_STANDIN_PRIVATE_KEY")
    if pem or not SSO_STANDIN:
        return pem.replace("\\n", "\n")
    # Like the secret key: generated once beside the embedded database.
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "sso_standin_key.pem"
    if not path.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        path.chmod(0o600)
    return path.read_text()


IDP_OIDC_PRIVATE_KEY = _standin_private_key()
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Local mobile numbers (05…) on pages outside any authority are read as this country's.
PHONE_REGION = env_choice("PHONE_REGION", ("AE", "SA", "OM", "JO"), "AE")

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]
LANGUAGE_COOKIE_NAME = "majlis_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "majlis" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every start without it
STATICFILES_DIRS = [BASE_DIR / "majlis" / "static"]
MEDIA_ROOT = VAR_DIR / "media"
# Citizens' uploads (core.uploads): a private folder that no URL maps to. They are served only by
# views that check access first (docs/decisions/0017-uploads.md).
UPLOADS_ROOT = Path(env_str("UPLOADS_ROOT", str(MEDIA_ROOT / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "uploads": {
        "BACKEND": "majlis.core.uploads.storage.PrivateStorage",
        "OPTIONS": {"location": UPLOADS_ROOT},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- Security ---------------------------------------------------------------------------------
SECURE = env_bool("SECURE_COOKIES", default=not EMBEDDED)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
LANGUAGE_COOKIE_SECURE = SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=300)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if EMBEDDED else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not EMBEDDED
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
if SECURE:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

# A strict policy: no inline script anywhere, no third-party origin.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "media-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "worker-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# --- Outside systems (one switch each; the fakes ship with the product and are the default) ---
SMS_PROVIDER = env_choice("SMS_PROVIDER", ("console", "kannel", "twilio"), "console")
EMAIL_PROVIDER = env_choice("EMAIL_PROVIDER", ("console", "smtp"), "console")
# Kannel (SMS_PROVIDER=kannel): its sendsms interface, and the token its callbacks must carry.
KANNEL_SENDSMS_URL = env_str("KANNEL_SENDSMS_URL", "http://127.0.0.1:13013/cgi-bin/sendsms")
KANNEL_USERNAME = env_str("KANNEL_USERNAME")
KANNEL_PASSWORD = env_str("KANNEL_PASSWORD")
KANNEL_SENDER = env_str("KANNEL_SENDER", "Majlis")
KANNEL_TIMEOUT = env_int("KANNEL_TIMEOUT", 10, minimum=1)
# Where Kannel reaches us for delivery reports, e.g. https://majlis.example.gov (no trailing path).
KANNEL_CALLBACK_BASE = env_str("KANNEL_CALLBACK_BASE", "http://127.0.0.1:8000")
KANNEL_CALLBACK_TOKEN = env_str("KANNEL_CALLBACK_TOKEN")
if SMS_PROVIDER == "kannel":
    if len(KANNEL_CALLBACK_TOKEN) < 24:
        raise ImproperlyConfigured("KANNEL_CALLBACK_TOKEN of at least 24 characters is required")
    if not (KANNEL_USERNAME and KANNEL_PASSWORD):
        raise ImproperlyConfigured("KANNEL_USERNAME and KANNEL_PASSWORD are required for Kannel")
    if not EMBEDDED and "KANNEL_CALLBACK_BASE" not in os.environ:
        raise ImproperlyConfigured("KANNEL_CALLBACK_BASE (this site's public URL) is required")
# Twilio (SMS_PROVIDER=twilio): account, sender, and where its signed status callbacks reach us.
TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID")
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN")
TWILIO_FROM = env_str("TWILIO_FROM")
TWILIO_API_BASE = env_str("TWILIO_API_BASE", "https://api.twilio.com")
TWILIO_CALLBACK_BASE = env_str("TWILIO_CALLBACK_BASE", "http://127.0.0.1:8000")
TWILIO_TIMEOUT = env_int("TWILIO_TIMEOUT", 10, minimum=1)
if SMS_PROVIDER == "twilio" and not (TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN and TWILIO_FROM):
    raise ImproperlyConfigured("TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM are required")

# Web push (PUSH_PROVIDER=webpush): the VAPID key pair identifies this server to push services.
PUSH_PROVIDER = env_choice("PUSH_PROVIDER", ("console", "webpush"), "console")
VAPID_PRIVATE_KEY = env_str("VAPID_PRIVATE_KEY")  # path of a P-256 private key in PEM
if not VAPID_PRIVATE_KEY and EMBEDDED:
    VAPID_PRIVATE_KEY = str(VAR_DIR / "vapid_private.pem")
    if not Path(VAPID_PRIVATE_KEY).exists():
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec

        _pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        Path(VAPID_PRIVATE_KEY).write_bytes(_pem)
        Path(VAPID_PRIVATE_KEY).chmod(0o600)
if PUSH_PROVIDER == "webpush" and not Path(VAPID_PRIVATE_KEY or "/nonexistent").is_file():
    raise ImproperlyConfigured("VAPID_PRIVATE_KEY must name a PEM file for web push")
VAPID_SUBJECT = env_str("VAPID_SUBJECT", "mailto:majlis@localhost")
WEBPUSH_TTL = env_int("WEBPUSH_TTL", 86400, minimum=0)
WEBPUSH_TIMEOUT = env_int("WEBPUSH_TIMEOUT", 10, minimum=1)

# Video calls (majlis.video): STUN/TURN servers handed to browsers. TURN (coturn with
# use-auth-secret) gets credentials made from TURN_SECRET that expire after TURN_TTL_SECONDS.
STUN_URLS = env_list("STUN_URLS")
TURN_URLS = env_list("TURN_URLS")
TURN_SECRET = env_str("TURN_SECRET")
TURN_TTL_SECONDS = env_int("TURN_TTL_SECONDS", 3600, minimum=60)
for _url in STUN_URLS + TURN_URLS:
    if not _url.startswith(("stun:", "stuns:", "turn:", "turns:")):
        raise ImproperlyConfigured(f"STUN_URLS and TURN_URLS take stun:/turn: URLs, got {_url!r}")
if TURN_URLS and not TURN_SECRET:
    raise ImproperlyConfigured("TURN_URLS needs TURN_SECRET (coturn's static-auth-secret)")

# Virus scan of uploads (QUALITY S10). `console` scans nothing and marks every file clean, saying
# so in its scan result (the embedded default); `clamav` streams each file to clamd (INSTREAM) over
# CLAMAV_SOCKET, or over TCP when CLAMAV_HOST is set. Until a scan says clean, nothing is served.
VIRUS_SCANNER = env_choice(
    "VIRUS_SCANNER", ("console", "clamav"), "console" if EMBEDDED else "clamav"
)
CLAMAV_SOCKET = env_str("CLAMAV_SOCKET", "/var/run/clamav/clamd.ctl")
CLAMAV_HOST = env_str("CLAMAV_HOST")
CLAMAV_PORT = env_int("CLAMAV_PORT", 3310, minimum=1)
CLAMAV_TIMEOUT = env_int("CLAMAV_TIMEOUT", 60, minimum=1)
# With the scanner unreachable, a scan is tried again after 60 s, doubling up to 30 minutes, for
# as long as it takes: the file stays "waiting for the virus scan" meanwhile.
UPLOADS_SCAN_RETRY_BASE_SECONDS = env_int("UPLOADS_SCAN_RETRY_BASE_SECONDS", 60, minimum=1)
UPLOADS_SCAN_RETRY_CAP_SECONDS = env_int("UPLOADS_SCAN_RETRY_CAP_SECONDS", 1800, minimum=1)

# Keep sign-in codes in delivered messages so the outbox page shows them (demo and tests only).
NOTIFICATIONS_KEEP_CODES = env_bool("NOTIFICATIONS_KEEP_CODES", default=EMBEDDED)
if NOTIFICATIONS_KEEP_CODES and not EMBEDDED:
    raise ImproperlyConfigured("NOTIFICATIONS_KEEP_CODES is for the embedded profile only")
# First retry delay after a temporary failure; it doubles each attempt, capped at 30 minutes.
NOTIFICATIONS_RETRY_BASE_SECONDS = env_int("NOTIFICATIONS_RETRY_BASE_SECONDS", 30, minimum=1)
NOTIFICATIONS_RETRY_CAP_SECONDS = env_int("NOTIFICATIONS_RETRY_CAP_SECONDS", 1800, minimum=1)
NOTIFICATIONS_MAX_ATTEMPTS = env_int("NOTIFICATIONS_MAX_ATTEMPTS", 8, minimum=1)
# The console provider prints each message to the terminal of `make run` (embedded profile only).
NOTIFICATIONS_CONSOLE_ECHO = env_bool("NOTIFICATIONS_CONSOLE_ECHO", default=True)
_EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}
MAILERS = {
    "default": {
        "BACKEND": _EMAIL_BACKENDS[EMAIL_PROVIDER],
        "OPTIONS": {
            "host": env_str("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 25, minimum=1),
            "username": env_str("EMAIL_HOST_USER"),
            "password": env_str("EMAIL_HOST_PASSWORD"),
            "use_tls": env_bool("EMAIL_USE_TLS", default=False),
            "timeout": env_int("EMAIL_TIMEOUT", 20, minimum=1),
        }
        if EMAIL_PROVIDER == "smtp"
        else {},
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "majlis@localhost")

# --- Logging: to stderr, never secrets --------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {
        "handlers": ["stderr"],
        "level": env_choice("LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR"), "INFO"),
    },
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.channels.server": {"level": "WARNING"},
        # HTTP clients log every request line at INFO; provider URLs are not for the logs.
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
        "urllib3": {"level": "WARNING"},
        # oauthlib logs authorization codes, states and token requests at DEBUG (QUALITY.md S16).
        "oauthlib": {"level": "WARNING"},
    },
}

# Shown on the sign-in page and by `make run` in the embedded profile only.
DEMO_LOGINS_VISIBLE = EMBEDDED and env_bool("MAJLIS_SHOW_DEMO_LOGINS", default=True)
