"""Production: DEBUG off, HTTPS everywhere.

Needs SECRET_KEY, ALLOWED_HOSTS, a PostgreSQL DATABASE_URL and PUBLIC_BASE_URL, with no
default: a generated key, SQLite or localhost would start a site that cannot serve its
public (and a guessed address would end up in emails and on printed QR codes). Without
them the settings refuse to load, with one message naming every one that is missing.
They are checked before base.py runs, which would generate a local key file.
"""

import os
from collections.abc import Mapping
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from marketplace.core.site_address import EXAMPLE, parse_public_base_url

POSTGRESQL_ENGINES = {
    "django.db.backends.postgresql",
    "django.contrib.gis.db.backends.postgis",
}


def database_problem(url: str) -> str | None:
    """Why DATABASE_URL cannot serve production, or None. Never quotes the URL: it holds
    the database password."""
    try:
        engine = dj_database_url.parse(url)["ENGINE"]
    except ValueError:  # dj-database-url's UnknownSchemeError among others
        engine = None
    if engine in POSTGRESQL_ENGINES:
        return None
    scheme = urlsplit(url).scheme or "no scheme"
    return (
        f"DATABASE_URL names no PostgreSQL database ({scheme}): production runs on "
        "PostgreSQL, e.g. DATABASE_URL=postgres://chocop:PASSWORD@127.0.0.1:5432/chocop."
    )


def environment_problems(environ: Mapping[str, str]) -> list[str]:
    """What the environment lacks for production, one sentence per variable."""
    problems = []
    if not environ.get("SECRET_KEY", "").strip():
        problems.append(
            "SECRET_KEY is not set: a long random string, e.g. the output of "
            'python -c "import secrets; print(secrets.token_urlsafe(50))".'
        )
    if not any(host.strip() for host in environ.get("ALLOWED_HOSTS", "").split(",")):
        problems.append(
            "ALLOWED_HOSTS is not set: the host names the site answers to, comma-separated, "
            f"e.g. ALLOWED_HOSTS={urlsplit(EXAMPLE).hostname}."
        )
    database_url = environ.get("DATABASE_URL", "").strip()
    if not database_url:
        problems.append(
            "DATABASE_URL is not set: the PostgreSQL database, "
            "e.g. DATABASE_URL=postgres://chocop:PASSWORD@127.0.0.1:5432/chocop."
        )
    elif problem := database_problem(database_url):
        problems.append(problem)
    public_base_url = environ.get("PUBLIC_BASE_URL", "").strip()
    if not public_base_url:
        problems.append(
            "PUBLIC_BASE_URL is not set: the address the public reaches the site at, "
            f"e.g. PUBLIC_BASE_URL={EXAMPLE}. Links in emails, canonical links, sitemaps "
            "and QR codes are built on it."
        )
    else:
        try:
            parse_public_base_url(public_base_url)
        except ImproperlyConfigured as error:
            problems.append(str(error))
    return problems


if problems := environment_problems(os.environ):
    raise ImproperlyConfigured(
        "The production settings cannot start: set or fix these environment variables "
        "(see .env.example):\n" + "\n".join(f"- {problem}" for problem in problems)
    )

from .base import *  # noqa: E402, F403
from .base import env_bool  # noqa: E402

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# A load balancer probes app servers over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/"]
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
# The page cache ("pages") stays in files and the renditions in each process's memory
# (base.py): a page per visit written to this table would put the load back on the
# database. With REDIS_URL, base.py has put "default" on Redis instead.
if not REDIS_URL:  # noqa: F405
    CACHES["default"] = {  # noqa: F405
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "django_cache",
    }
