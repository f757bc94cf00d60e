"""Django settings, read from Wijkzicht's declared settings (``wijkzicht.settings``).

The operational database (users, roles, notes, audit log) is SQLite beside the store unless
DATABASE_URL names another (PostgreSQL for multi-user deployments).
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from wijkzicht import settings as wz

HERE = Path(__file__).resolve().parent
CONFIG = wz.load()
STORE = Path(CONFIG.db).resolve()
DEMO = bool(CONFIG.demo)
DEMO_SECRET = "wijkzicht-demo-only-secret-never-use-this-in-production"  # noqa: S105

SECRET_KEY = CONFIG.secret_key or (DEMO_SECRET if DEMO else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "WIJKZICHT_SECRET_KEY is not set: the web server needs a secret of at least 32 "
        "characters (outside the demo). Geen WIJKZICHT_SECRET_KEY ingesteld."
    )
if len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("WIJKZICHT_SECRET_KEY must be at least 32 characters")
if SECRET_KEY == DEMO_SECRET and not DEMO:
    raise ImproperlyConfigured("the demo secret key may only be used in demo mode")

DEBUG = False
ALLOWED_HOSTS = [h.strip() for h in CONFIG.allowed_hosts.split(",") if h.strip()] + ["testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "wijkzicht.web.accounts",
    "wijkzicht.web.audit",
    "wijkzicht.web.dashboard",
    "wijkzicht.web.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "wijkzicht.web.language.DutchByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wijkzicht.web.security.SecureHeadersMiddleware",
    "wijkzicht.web.api.problems.ApiMiddleware",  # API-Version header, problem+json under /api
]

ROOT_URLCONF = "wijkzicht.web.urls"
WSGI_APPLICATION = "wijkzicht.web.wsgi.application"
APPEND_SLASH = False  # NL API Design Rules: no trailing slashes, a 404 instead of a redirect

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [HERE / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wijkzicht.web.roles.context",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        CONFIG.database_url or f"sqlite:///{STORE.with_suffix('.web.sqlite3')}",
        conn_max_age=60,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "overview"
LOGOUT_REDIRECT_URL = "overview"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [HERE / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = HERE / "static"  # served from the package by WhiteNoise (+ the admin's, by finder)
WHITENOISE_USE_FINDERS = True

# Security: cookies, headers (see wijkzicht.web.security for CSP and the rest)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = bool(CONFIG.https)
SECURE_HSTS_SECONDS = 31_536_000 if CONFIG.https else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",  # settings: web/api/schema.py
    "EXCEPTION_HANDLER": "wijkzicht.web.api.problems.exception_handler",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django": {"handlers": ["console"], "level": "WARNING"}},
}
