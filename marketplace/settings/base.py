"""Settings shared by every environment; values come from environment variables.

Every variable is documented in `.env.example`.
"""

import ipaddress
import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from marketplace.core.client_address import parse_trusted_proxies
from marketplace.core.media_storage import ObjectStorage, media_storages
from marketplace.core.site_address import parse_public_base_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_public_base_url(default: str) -> str:
    """PUBLIC_BASE_URL, checked; `default` when unset (production requires it to be set)."""
    value = os.environ.get("PUBLIC_BASE_URL", "").strip() or default
    return parse_public_base_url(value)


def default_sender(base_url: str) -> str:
    """The site's no-reply address on its public host name; an IP address is no mail
    domain, so a site served at one (make run) says localhost."""
    host = urlsplit(base_url).hostname or "localhost"
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return f"Chợ OCOP <no-reply@{host}>"
    return "Chợ OCOP <no-reply@localhost>"


def local_secret_key() -> str:
    """A key generated once and kept under var/, so local runs need no set-up."""
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = os.environ.get("SECRET_KEY") or local_secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The site's public address, the start of every absolute URL (marketplace.core.site_address).
# `make run` sets it to the address it serves; production must set it.
PUBLIC_BASE_URL = env_public_base_url("http://127.0.0.1:8000")
# Reverse proxies whose client-address header is believed (marketplace.core.client_address):
# addresses, networks, and "unix" for a proxy on a unix socket. Empty: REMOTE_ADDR is the client.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
parse_trusted_proxies(tuple(TRUSTED_PROXIES))  # a typo stops the start, not the limits
# The header those proxies put the client's address in: X-Forwarded-For or X-Real-IP.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER") or "X-Forwarded-For"

# The office running the town's OCOP work, as the site names it until the office edits
# its name in the footer settings: Điện Bàn's Phòng Kinh tế before the 2025 merger; set
# these to the ward's or city's body that took it over (see docs/local-facts.md).
OFFICE_NAME = os.environ.get("OFFICE_NAME") or "Phòng Kinh tế thị xã Điện Bàn"
OFFICE_NAME_EN = os.environ.get("OFFICE_NAME_EN") or "Economic Office of Điện Bàn"

INSTALLED_APPS = [
    "marketplace.demo",
    "marketplace.core",
    "marketplace.base",
    "marketplace.inquiries",
    "marketplace.reviews",
    "marketplace.curation",
    "marketplace.certificates",
    "marketplace.office.reports",
    "marketplace.office.quality",
    "marketplace.office.bulk",
    "marketplace.guidance",
    "marketplace.ratelimits",
    "marketplace.tasks",
    "producers",
    "products",
    "search",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "django_guid",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # First: every answer, a redirect or a cached page too, and every log line of the
    # request carry its id (REQUEST_ID_HEADER, see LOGGING).
    "django_guid.middleware.guid_middleware",
    "django.middleware.security.SecurityMiddleware",
    # 304 to a matching If-None-Match, for fresh and cached pages alike.
    "django.middleware.http.ConditionalGetMiddleware",
    # Anonymous visitors' public pages from the "pages" cache (marketplace.core.page_cache):
    # after the HTTPS redirect, before anything that reads the session or the database.
    "marketplace.core.page_cache.PageCacheMiddleware",
    # Outside the rest, so every answer carries the policy, the NUL middleware's 400 too.
    "marketplace.base.middleware.ContentSecurityPolicyMiddleware",
    # Before anything reads the path, a cookie or a field: PostgreSQL cannot store NUL.
    "marketplace.core.nul_bytes.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "marketplace.base.middleware.SiteLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication: the office's "acting for a producer", for the admin's history.
    "marketplace.guidance.acting.ActingForMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A 404 with another language's URL words (/vi/search/) redirects to /vi/tim-kiem/.
    "marketplace.base.middleware.LocalizedSegmentRedirectMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: turns a login refused by django-axes into its lockout page.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp), on every response but static files, in every
# environment. The public site runs only its own scripts and styles (marketplace/static/).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        # "Pay by card" posts here and is redirected to Stripe Checkout: Chromium checks
        # the redirect against form-action too.
        "form-action": [SELF, "https://checkout.stripe.com"],
        # Videos editors put in stories (StoryBlock's embed): YouTube and Vimeo players.
        "frame-src": [
            "https://www.youtube.com",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ],
    },
}
# Pages with a map (producers.maps.allow_map_tiles) add these to their policy: the tiles
# of OpenStreetMap, and data:, the empty GIF Leaflet writes into a tile it cancels while
# zooming (an image; scripts and styles stay the site's own).
MAP_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
CONTENT_SECURITY_POLICY_MAP = {
    "DIRECTIVES": {"img-src": [f"https://{urlsplit(MAP_TILE_URL).hostname}", "data:"]},
}
# The admins' policy (marketplace.base.middleware.ADMIN_PATHS): Wagtail writes inline
# scripts and styles, and shows previews of the site in frames of its own.
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "frame-src": [SELF, *CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"]],
    },
}

ROOT_URLCONF = "marketplace.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "marketplace.core.context_processors.fragment",
                "marketplace.inquiries.context_processors.inquiry_list",
            ],
        },
    },
]

WSGI_APPLICATION = "marketplace.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        # A kept connection the database dropped (a restart) is replaced at the request's
        # first query, not failed with a 503 once per thread after the database is back.
        conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Write-ahead log: readers (another worker, the thread making renditions ahead) do
    # not block a writer, and a writer waits for another rather than failing at once.
    # Transactions take the write lock when they begin: one that read first and wrote
    # later (Wagtail's reference index update) would fail at once with "database is
    # locked" when another connection wrote meanwhile, without waiting for the timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        init_command="PRAGMA journal_mode=WAL;", timeout=20, transaction_mode="IMMEDIATE"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in throttling (django-axes) for Wagtail's and Django's admin: after
# LOGIN_FAILURE_LIMIT wrong passwords for one username from one client address, that pair
# (not the account everywhere) waits LOGIN_LOCKOUT_MINUTES; `manage.py axes_reset_username`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The same client address as the rate limits; None (not "") when unknown, for axes' model.
AXES_CLIENT_IP_CALLABLE = "marketplace.core.client_address.client_address_or_none"
AXES_LOCKOUT_CALLABLE = "marketplace.base.sign_in.locked_out"
# Tries during a lockout do not lengthen it: the page says when to come back.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
# Its "AXES: BEGIN …" banner on every start (twice under runserver) says nothing new.
AXES_VERBOSE = False

# Vietnamese first, English second.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# Ours first (`make messages` writes there), then locale_upstream: Vietnamese that Wagtail's
# and wagtail-localize's catalogues lack or get wrong, read before theirs; kept apart so
# makemessages, which finds no such msgid in our sources, does not mark it obsolete.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_upstream"]
FORMAT_MODULE_PATH = ["marketplace.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "marketplace" / "static"]
# Uploaded files. S3_BUCKET set: pictures in that bucket (public), documents in
# S3_PRIVATE_BUCKET (never public), with S3_ENDPOINT_URL, S3_REGION, S3_CUSTOM_DOMAIN and
# boto3's credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY); docs/deploy.md. Unset:
# pictures under MEDIA_ROOT, documents under PRIVATE_MEDIA_ROOT.
OBJECT_STORAGE = ObjectStorage.from_environ(os.environ)
STORAGES = {
    # Each name to the public or the private storage below (see core/media_storage.py).
    "default": {"BACKEND": "marketplace.core.media_storage.MediaStorage"},
    **media_storages(OBJECT_STORAGE),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if OBJECT_STORAGE:
    # Pictures come from the bucket's (or the CDN's) address, on public pages and in the admin.
    for policy in (CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_ADMIN):
        policy["DIRECTIVES"]["img-src"].append(OBJECT_STORAGE.public_origin)
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
# Documents' files (certificate scans): outside MEDIA_ROOT, so no web server serving it can
# hand them out; only Wagtail's document view serves them, to whom may see them.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
# Optional: the web server sends a document's file once Django has said who may have it,
# e.g. django_sendfile.backends.nginx (X-Accel-Redirect); unset, Django streams it.
if os.environ.get("SENDFILE_BACKEND"):
    SENDFILE_BACKEND = os.environ["SENDFILE_BACKEND"]
# The web server's internal location for PRIVATE_MEDIA_ROOT (nginx's X-Accel-Redirect).
SENDFILE_ROOT = PRIVATE_MEDIA_ROOT
SENDFILE_URL = "/private-media"
# Uploaded images and documents are served by Django itself when no web server
# in front does it (local runs, small installs); large sites set this off.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)

# Email: the console by default; SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
# Seconds to wait for the mail server at each step: a hung server must not hold a task
# worker (or, with TASKS_BACKEND=immediate, a visitor's request) for ever.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
# A message being sent is left to its sender this long: then (its sender stopped mid-send:
# killed, or the database went away before the outcome was written) it is sent again.
EMAIL_SENDING_LEASE_SECONDS = float(os.environ.get("EMAIL_SENDING_LEASE_SECONDS", "120"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL") or default_sender(PUBLIC_BASE_URL)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Tasks: emails, search index updates, the office's spreadsheet imports and the scheduled
# jobs are queued in the database and run by the task worker, `manage.py run_worker`
# (marketplace/tasks/worker.py: retries, leases, the schedule); no request waits on a mail
# server or on Elasticsearch. TASKS_BACKEND=immediate runs each task inside the request
# that queues it, with no worker: the tests' default (README, Tests).
TASKS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = os.environ.get("TASKS_BACKEND") or "database"
if TASKS_BACKEND not in TASKS_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND is {TASKS_BACKEND!r}: use one of {', '.join(TASKS_BACKENDS)}."
    )
TASKS = {"default": {"BACKEND": TASKS_BACKENDS[TASKS_BACKEND]}}
# A task that raised runs again after TASK_RETRY_SECONDS, then twice as long each time, up
# to TASK_MAX_ATTEMPTS attempts in all; one whose worker stopped beating for
# TASK_LEASE_SECONDS (killed, machine lost) runs again too (marketplace/tasks/worker.py).
TASK_MAX_ATTEMPTS = int(os.environ.get("TASK_MAX_ATTEMPTS", "5"))
TASK_RETRY_SECONDS = float(os.environ.get("TASK_RETRY_SECONDS", "30"))
TASK_LEASE_SECONDS = float(os.environ.get("TASK_LEASE_SECONDS", "60"))
# Jobs the workers queue on their own, once across all of them: "every" so many seconds,
# or "daily" (once per local date, soon after midnight).
TASK_SCHEDULE = {
    "retry-emails": {"task": "marketplace.inquiries.tasks.retry_emails", "every": 300},
    "retry-search-updates": {"task": "search.tasks.retry_pending_updates", "every": 60},
    "featured-products": {"task": "search.featured.refresh_featured_products", "daily": True},
    "certificate-reminders": {
        "task": "marketplace.certificates.tasks.send_expiry_reminders",
        "daily": True,
    },
}

# Elasticsearch (search/backends/elasticsearch/): unset means the database search backend;
# one node's URL, or several nodes' separated by commas (the client skips a node down).
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
ELASTICSEARCH_API_KEY = os.environ.get("ELASTICSEARCH_API_KEY", "")
ELASTICSEARCH_INDEX_PREFIX = os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "chocop")
# Card payments through Stripe (marketplace/payments/): unset means no card payment.
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
# Another server speaking Stripe's API, e.g. stripe-mock in tests.
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE") or "https://api.stripe.com"
# Seconds a visitor waits for Stripe at most per attempt (stripe-python's own is 80), and
# its retries of a failed connection (POSTs carry an idempotency key: no double charge).
STRIPE_TIMEOUT = float(os.environ.get("STRIPE_TIMEOUT", "10"))
STRIPE_NETWORK_RETRIES = 1

# Caches. "default": rate limits, search vocabularies (production: the database).
# "pages": whole public pages for anonymous visitors (marketplace.core.page_cache). Files
# under VAR_DIR, shared by every worker process of the host (a generation bumped by one is
# seen by all), kept across restarts, and writing nothing to the database; LocMem would be
# one copy per process, each blind to the others' invalidations. Several hosts: REDIS_URL.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "marketplace.core.file_cache.PageFileCache",
        "LOCATION": os.environ.get("PAGE_CACHE_DIR") or str(VAR_DIR / "page-cache"),
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("PAGE_CACHE_MAX_ENTRIES", "5000"))},
    },
}
# The cache holding the page cache's generation, which every kept page's key names: with
# the pages, unless Redis is shared (below).
PAGE_CACHE_GENERATION_CACHE = "pages"
# Redis (redis://host:port/db), for several app servers: "default" becomes a cache they
# all share (rate limits with atomic counts, Wagtail's and the search's entries), and the
# page cache's generation lives there, so that a change published through one server is
# seen by the next request on every other; each server still keeps its own pages
# (files and memory, above). Redis failing: core.redis_cache, docs/deploy.md.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    from marketplace.core.redis_cache import redis_cache_settings

    CACHES["default"] = redis_cache_settings(REDIS_URL)
    PAGE_CACHE_GENERATION_CACHE = "default"
# How long the server keeps a page (seconds; 0: not at all). Any change of what public
# pages show drops every kept page at once: this only bounds what nobody changed.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# A page is kept on its Nth request in a process (1: the first): an address asked for
# once (a search, a filter) is not written, nor pushes kept pages out. core.page_cache.
PAGE_CACHE_KEEP_AFTER = int(os.environ.get("PAGE_CACHE_KEEP_AFTER", "2"))
# Cache-Control max-age of anonymous public pages: how long a browser or a front cache
# (CDN, Varnish) may show a page without asking again; then the ETag revalidates it.
PAGE_CACHE_MAX_AGE = int(os.environ.get("PAGE_CACHE_MAX_AGE", "60"))

# A front cache (Varnish, or a CDN answering HTTP PURGE) at this address: Wagtail purges a
# page's address there when it is published or unpublished (wagtail.contrib.frontend_cache).
# Lists that show the page (home, categories) follow within PAGE_CACHE_MAX_AGE. README.md.
FRONTEND_CACHE_PURGE_URL = os.environ.get("FRONTEND_CACHE_PURGE_URL", "")
if FRONTEND_CACHE_PURGE_URL:
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")
    WAGTAILFRONTENDCACHE = {
        "front": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": FRONTEND_CACHE_PURGE_URL,
        }
    }

# Wagtail
WAGTAIL_SITE_NAME = "Chợ OCOP"
# Links in Wagtail's own emails (moderation, password reset): the same address, always.
WAGTAILADMIN_BASE_URL = PUBLIC_BASE_URL
WAGTAILIMAGES_IMAGE_MODEL = "core.CustomImage"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# Wagtail keeps the renditions it found in the "renditions" cache. In each process's
# memory: a warm page reads them with no query and no write (the "default" cache is the
# database in production). A rendition's key holds its image's file hash and focal point,
# so a changed image is never served an old entry; the timeout bounds how long a process
# may keep a rendition deleted by another (`wagtail_update_image_renditions --purge-only`).
RENDITIONS_CACHE = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "renditions",
    "TIMEOUT": 60 * 60,
    # About 1 kB each: 20,000 renditions are a few images of 1,000 products.
    "OPTIONS": {"MAX_ENTRIES": 20_000},
}
CACHES["renditions"] = RENDITIONS_CACHE
# Renditions made ahead after a publication, in a thread: the editor does not wait.
RENDITIONS_AHEAD_IN_BACKGROUND = True
WAGTAILDOCS_EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "webp"]
# Documents only through Wagtail's view, which checks who asks; never a redirect to a file.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Wagtail's database backend, folding Vietnamese: "tra gao lut" finds "Trà gạo lứt".
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "marketplace.core.admin_search"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No Gravatar: editors' email hashes stay here, and the admin's policy loads no image
# from another site (Wagtail draws its own default avatar).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_ALLOW_UNICODE_SLUGS = False
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# Each request's id: the one a proxy in front sent (nginx's $request_id, a load
# balancer's), when it is a UUID, else a new one; returned in the same header and put in
# every log line of the request as `request_id` (django-guid).
REQUEST_ID_HEADER = "X-Request-ID"
DJANGO_GUID = {
    "GUID_HEADER_NAME": REQUEST_ID_HEADER,
    "VALIDATE_GUID": True,  # a made-up header never reaches the logs as it was sent
    "EXPOSE_HEADER": False,
}
# LOG_FORMAT=json: one JSON object per line (time, level, logger, message, request_id,
# and the exception), for a log collector; else lines of text.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {
            "()": "django_guid.log_filters.CorrelationId",
            "correlation_id_field": "request_id",
        }
    },
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # ISO 8601 in UTC
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # Every immediate task logs its start and end at INFO: too chatty for a console.
        "django_tasks": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # stripe-python logs every request at INFO.
        "stripe": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # django-guid logs each request's id at INFO, and a refused header at WARNING.
        "django_guid": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# Errors to Sentry (or a server of its protocol) when SENTRY_DSN is set; nothing is sent
# without it. Visitors' personal data is not sent (send_default_pii off); each event is
# tagged with its request's id.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from marketplace.core.error_reports import start_error_reports

    start_error_reports(SENTRY_DSN, environment=os.environ.get("SENTRY_ENVIRONMENT", ""))

# The product name shown in the shell; translatable so English pages say it in English.
SITE_TAGLINE = _("OCOP products and craft villages of Điện Bàn")

# Product views and the search log are kept in each process and written in bulk
# (marketplace.core.write_buffer): at most this many seconds late, or once this many wait.
WRITE_BUFFER_SECONDS = int(os.environ.get("WRITE_BUFFER_SECONDS", "30"))
WRITE_BUFFER_ENTRIES = int(os.environ.get("WRITE_BUFFER_ENTRIES", "500"))
WRITE_BUFFER_TIMER = True  # a thread flushes a process that gets no more requests

# Order inquiries: references read DB-2026-000123 ("DB" for Điện Bàn).
INQUIRY_REFERENCE_PREFIX = os.environ.get("INQUIRY_REFERENCE_PREFIX", "DB")
