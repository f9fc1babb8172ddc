"""Production: DEBUG off, HTTPS everywhere. Needs SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL
and PUBLIC_BASE_URL."""

from .base import *  # noqa: F403
from .base import env_bool, env_public_base_url

DEBUG = False
# No default: a guessed address would end up in emails and on printed QR codes.
PUBLIC_BASE_URL = env_public_base_url(default=None)
WAGTAILADMIN_BASE_URL = PUBLIC_BASE_URL
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# One cache shared by every worker process: inquiry rate limits and the search
# vocabulary's version must hold across processes. A table in the database needs no
# other service (`manage.py createcachetable` on each release creates it).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "django_cache",
    }
}
